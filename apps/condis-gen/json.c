/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A streaming JSON writer, and the parts of the --json document every mode
 * shares (docs/OUTPUT.md): schema version, command line, versions, port,
 * link, configuration, and latency objects. Nothing here runs on the fast
 * path: the document is written once, after the run.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_version.h>

#include "gen.h"
#include "json.h"

#ifndef CONDIS_GEN_VERSION
#define CONDIS_GEN_VERSION "unknown"
#endif

/* ---- the writer ---- */

void
gj_init(struct gen_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void
indent(struct gen_json *j)
{
	unsigned int i;

	if (!j->pretty || (j->flat_from != 0 && j->depth >= j->flat_from)) {
		if (j->pretty && j->comma)
			putc(' ', j->f);
		return;
	}
	putc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* A UTF-8 sequence at s (n bytes left): its length if valid, else 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
put_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	putc('"', f);
	while (n > 0) {
		size_t len;

		switch (*s) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if ((len = utf8_len(s, n)) == 0) {
				fputs("\\ufffd", f);
			} else {
				fwrite(s, 1, len, f);
				s += len;
				n -= len;
				continue;
			}
		}
		s++;
		n--;
	}
	putc('"', f);
}

/* Comma, newline and key before a value. */
static void
item(struct gen_json *j, const char *key)
{
	if (j->comma)
		putc(',', j->f);
	if (j->depth > 0)
		indent(j);
	j->comma = true;
	if (key != NULL) {
		put_string(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void
open_container(struct gen_json *j, const char *key, char c)
{
	item(j, key);
	putc(c, j->f);
	if (j->depth == GJ_MAX_DEPTH)
		j->overflow = true;
	j->depth++;
	j->comma = false;
}

static void
close_container(struct gen_json *j, char c)
{
	bool empty = !j->comma;

	if (j->depth == 0) {
		j->overflow = true;
		return;
	}
	j->depth--;
	if (!empty && !(j->flat_from != 0 && j->depth >= j->flat_from))
		indent(j);
	putc(c, j->f);
	j->comma = true;
}

void gj_obj(struct gen_json *j, const char *key) { open_container(j, key, '{'); }
void gj_obj_end(struct gen_json *j) { close_container(j, '}'); }
void gj_arr(struct gen_json *j, const char *key) { open_container(j, key, '['); }

void
gj_line_obj(struct gen_json *j, const char *key)
{
	open_container(j, key, '{');
	if (j->flat_from == 0)
		j->flat_from = j->depth;
}

void
gj_line_obj_end(struct gen_json *j)
{
	bool flat_here = j->flat_from == j->depth, pretty = j->pretty;

	j->pretty = pretty && !flat_here;
	close_container(j, '}');
	j->pretty = pretty;
	if (flat_here)
		j->flat_from = 0;
}
void gj_arr_end(struct gen_json *j) { close_container(j, ']'); }

void
gj_str(struct gen_json *j, const char *key, const char *s)
{
	item(j, key);
	if (s == NULL)
		fputs("null", j->f);
	else
		put_string(j->f, s);
}

void
gj_u64(struct gen_json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void
gj_i64(struct gen_json *j, const char *key, int64_t v)
{
	item(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void
gj_dbl(struct gen_json *j, const char *key, double v)
{
	char buf[64];

	item(j, key);
	if (!isfinite(v)) {
		fputs("null", j->f);
		return;
	}
	/* 15 significant digits: exact for what the report measures, and no
	 * 0.1 printed as 0.10000000000000001. %g may give "1e+20": valid JSON. */
	snprintf(buf, sizeof(buf), "%.15g", v);
	fputs(buf, j->f);
}

void
gj_bool(struct gen_json *j, const char *key, bool v)
{
	item(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
gj_null(struct gen_json *j, const char *key)
{
	item(j, key);
	fputs("null", j->f);
}

int
gj_finish(struct gen_json *j)
{
	putc('\n', j->f);
	return j->depth != 0 || j->overflow || ferror(j->f) ? -1 : 0;
}

/* ---- the document ---- */

static int cmd_argc;
static char **cmd_argv;
static FILE *doc_file, *intervals_file;
static struct gen_json doc;
static char start_utc[32];

/* The port, as found before the run. */
static struct {
	bool valid;
	uint16_t id;
	char name[RTE_ETH_NAME_MAX_LEN];
	char driver[64], bus[32], mac[RTE_ETHER_ADDR_FMT_SIZE];
	int numa;
	uint16_t mtu, max_tx_queues, max_rx_queues, tx_desc_max, min_mtu, max_mtu;
	uint32_t max_rx_pktlen;
	uint64_t tx_offload_capa;
	uint32_t speed_capa;
	bool link_valid, link_up, full_duplex, autoneg;
	uint32_t link_mbps;
	const char *speed_fake;
} port;

void
gen_json_set_cmdline(int argc, char **argv)
{
	cmd_argv = calloc((size_t)argc + 1, sizeof(*cmd_argv));
	if (cmd_argv == NULL)
		return;
	memcpy(cmd_argv, argv, (size_t)argc * sizeof(*argv));
	cmd_argc = argc;
}

bool
gen_json_enabled(void)
{
	return doc_file != NULL;
}

FILE *
gen_json_intervals_file(void)
{
	return intervals_file;
}

int
gen_json_open(const struct gen_options *opt)
{
	time_t now = time(NULL);
	struct tm tm;

	if (opt->json_path == NULL)
		return 0;
	if (gmtime_r(&now, &tm) != NULL)
		strftime(start_utc, sizeof(start_utc), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (strcmp(opt->json_path, "-") == 0) {
		/* The document alone on standard output: everything else that
		 * writes to it (the text report, DPDK's log) goes to stderr. */
		int fd = dup(STDOUT_FILENO);

		fflush(stdout);
		if (fd < 0 || (doc_file = fdopen(fd, "w")) == NULL ||
		    dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			fprintf(stderr, "condis-gen: --json -: %s\n", strerror(errno));
			return -1;
		}
		return 0;
	}
	doc_file = fopen(opt->json_path, "w");
	if (doc_file == NULL) {
		fprintf(stderr, "condis-gen: --json %s: %s\n", opt->json_path, strerror(errno));
		return -1;
	}
	if (gen_stats_period_resolve(opt) > 0) {
		size_t n = strlen(opt->json_path) + sizeof(".intervals.jsonl");
		char *path = malloc(n);

		if (path != NULL) {
			snprintf(path, n, "%s.intervals.jsonl", opt->json_path);
			intervals_file = fopen(path, "w");
			if (intervals_file == NULL)
				fprintf(stderr, "condis-gen: %s: %s (no interval records)\n", path,
					strerror(errno));
			free(path);
		}
	}
	return 0;
}

void
gen_json_port_snapshot(uint16_t port_id, const char *why_speed_fake)
{
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	const struct rte_bus *bus;

	memset(&port, 0, sizeof(port));
	port.valid = true;
	port.id = port_id;
	port.numa = rte_eth_dev_socket_id(port_id);
	port.speed_fake = why_speed_fake;
	rte_eth_dev_get_name_by_port(port_id, port.name);
	if (rte_eth_dev_info_get(port_id, &info) == 0) {
		snprintf(port.driver, sizeof(port.driver), "%s",
			 info.driver_name ? info.driver_name : "");
		bus = info.device ? rte_dev_bus(info.device) : NULL;
		snprintf(port.bus, sizeof(port.bus), "%s", bus ? rte_bus_name(bus) : "");
		port.max_tx_queues = info.max_tx_queues;
		port.max_rx_queues = info.max_rx_queues;
		port.tx_desc_max = info.tx_desc_lim.nb_max;
		port.min_mtu = info.min_mtu;
		port.max_mtu = info.max_mtu;
		port.max_rx_pktlen = info.max_rx_pktlen;
		port.tx_offload_capa = info.tx_offload_capa;
		port.speed_capa = info.speed_capa;
	}
	rte_eth_dev_get_mtu(port_id, &port.mtu);
	if (rte_eth_macaddr_get(port_id, &mac) == 0)
		rte_ether_format_addr(port.mac, sizeof(port.mac), &mac);
	if (rte_eth_link_get_nowait(port_id, &link) == 0) {
		port.link_valid = true;
		port.link_up = link.link_status == RTE_ETH_LINK_UP;
		port.full_duplex = link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
		port.autoneg = link.link_autoneg == RTE_ETH_LINK_AUTONEG;
		port.link_mbps = link.link_speed;
	}
}

static void
write_port(struct gen_json *j)
{
	gj_obj(j, "port");
	gj_u64(j, "id", port.id);
	gj_str(j, "name", port.name);
	gj_str(j, "driver", port.driver);
	gj_str(j, "bus", port.bus);
	gj_str(j, "mac", port.mac);
	gj_i64(j, "numa_node", port.numa);
	gj_u64(j, "mtu_bytes", port.mtu);
	gj_u64(j, "min_mtu_bytes", port.min_mtu);
	gj_u64(j, "max_mtu_bytes", port.max_mtu);
	gj_u64(j, "max_rx_pktlen_bytes", port.max_rx_pktlen);
	gj_u64(j, "max_tx_queues", port.max_tx_queues);
	gj_u64(j, "max_rx_queues", port.max_rx_queues);
	gj_u64(j, "tx_desc_max", port.tx_desc_max);
	gj_u64(j, "tx_offload_capa", port.tx_offload_capa);
	gj_u64(j, "speed_capa", port.speed_capa);
	gj_obj_end(j);
	gj_obj(j, "link");
	if (port.link_valid) {
		gj_bool(j, "up", port.link_up);
		if (port.link_up && port.link_mbps != RTE_ETH_SPEED_NUM_UNKNOWN)
			gj_u64(j, "speed_mbps", port.link_mbps);
		else
			gj_null(j, "speed_mbps");
		gj_bool(j, "full_duplex", port.full_duplex);
		gj_bool(j, "autoneg", port.autoneg);
	} else {
		gj_null(j, "up");
		gj_null(j, "speed_mbps");
		gj_null(j, "full_duplex");
		gj_null(j, "autoneg");
	}
	gj_str(j, "speed_not_a_wire", port.speed_fake);
	gj_obj_end(j);
}

struct config_ctx {
	struct gen_json *j;
	const struct gen_options *opt;
};

static const char *
ip_text(uint32_t ip, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff);
	return buf;
}

/* The value of a text option, resolved where condis-gen resolves it; the
 * text given otherwise (an option this writer does not know yet). */
static void
config_text_value(const struct gen_opt_info *in, const struct gen_options *opt,
		  struct gen_json *j)
{
	char b[RTE_ETHER_ADDR_FMT_SIZE + 16];
	uint32_t i;

	if (strcmp(in->name, "rate") == 0) {
		gj_dbl(j, "value", opt->rate_pps);
		gj_str(j, "unit", "frames/s");
	} else if (strcmp(in->name, "link-speed") == 0) {
		if (opt->link_speed_mbps > 0)
			gj_dbl(j, "value", opt->link_speed_mbps);
		else
			gj_null(j, "value");
		gj_str(j, "unit", "Mb/s");
	} else if (strcmp(in->name, "pcap") == 0 && opt->pcap_path != NULL) {
		gj_str(j, "value", opt->pcap_path); /* a profile's: the path it resolved to */
	} else if (strcmp(in->name, "port-id") == 0) {
		/* One port: its id; several: the list. */
		if (opt->nb_ports == 1) {
			gj_u64(j, "value", opt->port_id);
		} else {
			gj_arr(j, "value");
			for (i = 0; i < opt->nb_ports; i++)
				gj_u64(j, NULL, opt->ports[i]);
			gj_arr_end(j);
		}
	} else if (strcmp(in->name, "pacing") == 0) {
		gj_str(j, "value", opt->pacing == GEN_PACE_POISSON ? "poisson" : "smooth");
	} else if (strcmp(in->name, "seed") == 0) {
		gj_u64(j, "value", opt->seed);
	} else if (strcmp(in->name, "src-mac") == 0 || strcmp(in->name, "dst-mac") == 0) {
		rte_ether_format_addr(b, sizeof(b),
				      in->name[0] == 's' ? &opt->src_mac : &opt->dst_mac);
		gj_str(j, "value", b);
	} else if (strcmp(in->name, "src-ip") == 0 || strcmp(in->name, "dst-ip") == 0) {
		gj_str(j, "value", ip_text(in->name[0] == 's' ? opt->src_ip : opt->dst_ip, b,
					   sizeof(b)));
	} else if (strcmp(in->name, "event") == 0) {
		gj_arr(j, "value");
		for (i = 0; i < opt->nb_events; i++) {
			gj_obj(j, NULL);
			gj_str(j, "kind", opt->events[i].kind == GEN_EVENT_PAUSE ? "pause" :
			       "reset");
			gj_dbl(j, "at_s", opt->events[i].at_s);
			gj_obj_end(j);
		}
		gj_arr_end(j);
	} else if (strcmp(in->name, "frame-size") == 0) {
		/* One size: the number; a list or a range: as given. */
		if (opt->nb_sizes <= 1 && !opt->size_random)
			gj_u64(j, "value", opt->frame_size);
		else
			gj_str(j, "value", in->given);
		gj_str(j, "unit", "bytes");
	} else if (strcmp(in->name, "l3") == 0) {
		gj_str(j, "value", gen_l3_name(opt->l3));
	} else if (strcmp(in->name, "l4") == 0) {
		gj_str(j, "value", opt->l3 == GEN_L3_NONE ? "none" : opt->l4 == GEN_L4_TCP ? "tcp" :
		       "udp");
	} else if (strcmp(in->name, "flow-vary") == 0) {
		gj_str(j, "value", gen_flow_field_name(opt->flow_vary));
	} else if (strcmp(in->name, "ethertype") == 0) {
		gj_u64(j, "value", opt->ethertype);
	} else if (strcmp(in->name, "qinq") == 0 && opt->qinq) {
		gj_obj(j, "value");
		gj_u64(j, "vid", opt->qinq_vid);
		gj_u64(j, "prio", opt->qinq_prio);
		gj_u64(j, "tpid", RTE_ETHER_TYPE_QINQ);
		gj_obj_end(j);
	} else if (strcmp(in->name, "vlan") == 0 && opt->vlan_all_set) {
		/* Per-VC rules: each VC's tag is in the VC's own record. */
		snprintf(b, sizeof(b), "%u:%u", opt->vlan_id_all, opt->vlan_prio_all);
		gj_str(j, "value", in->given != NULL ? in->given : b);
	} else {
		gj_str(j, "value", in->given);
	}
}

static void
config_item(const struct gen_opt_info *in, void *arg)
{
	struct config_ctx *c = arg;
	struct gen_json *j = c->j;

	gj_obj(j, in->name);
	switch (in->kind) {
	case GEN_OPT_UINT:
		gj_u64(j, "value", in->u);
		break;
	case GEN_OPT_REAL:
		/* --stats-period: the period in effect when not given. */
		if (strcmp(in->name, "stats-period") == 0 && in->r < 0)
			gj_dbl(j, "value", gen_stats_period_resolve(c->opt));
		else
			gj_dbl(j, "value", in->r);
		break;
	case GEN_OPT_FLAG:
		gj_bool(j, "value", in->b);
		break;
	case GEN_OPT_TEXT:
		config_text_value(in, c->opt, j);
		break;
	}
	if (in->kind != GEN_OPT_TEXT)
		gj_str(j, "unit", in->unit);
	else if (strcmp(in->name, "rate") != 0 && strcmp(in->name, "link-speed") != 0 &&
		 strcmp(in->name, "frame-size") != 0)
		gj_null(j, "unit");
	gj_str(j, "source", in->source);
	gj_str(j, "given", in->given);
	gj_obj_end(j);
}

struct gen_json *
gen_json_begin(const struct gen_options *opt, const char *mode)
{
	struct gen_json *j = &doc;
	struct config_ctx ctx;
	int i;

	if (doc_file == NULL)
		return NULL;
	gj_init(j, doc_file, true);
	gj_obj(j, NULL);
	gj_u64(j, "schema_version", GEN_JSON_SCHEMA_VERSION);
	gj_str(j, "tool", "condis-gen");
	gj_str(j, "mode", mode);
	gj_str(j, "started_utc", start_utc[0] ? start_utc : NULL);
	gj_arr(j, "command_line");
	for (i = 0; i < cmd_argc; i++)
		gj_str(j, NULL, cmd_argv[i]);
	gj_arr_end(j);
	gj_obj(j, "versions");
	gj_str(j, "condis", CONDIS_GEN_VERSION);
	gj_str(j, "dpdk", rte_version());
	gj_str(j, "pmd", port.driver);
	gj_obj_end(j);
	if (!port.valid)
		gen_json_port_snapshot(opt->port_id, NULL);
	write_port(j);
	gj_obj(j, "config");
	ctx.j = j;
	ctx.opt = opt;
	gen_options_each(opt, config_item, &ctx);
	gj_obj_end(j);
	gj_obj(j, "clock");
	gj_dbl(j, "tsc_hz", gen_tsc_hz());
	gj_obj_end(j);
	return j;
}

int
gen_json_close(int exit_status, const char *failure)
{
	struct gen_json *j = &doc;
	int rc;

	if (doc_file == NULL)
		return 0;
	gj_i64(j, "exit_status", exit_status);
	gj_str(j, "verdict", exit_status == 0 ? "pass" : "fail");
	gj_str(j, "failure", failure);
	gj_obj_end(j);
	rc = gj_finish(j);
	if (fclose(doc_file) != 0)
		rc = -1;
	doc_file = NULL;
	if (intervals_file != NULL && fclose(intervals_file) != 0)
		rc = -1;
	intervals_file = NULL;
	if (rc != 0)
		fprintf(stderr, "condis-gen: --json: writing the document failed\n");
	return rc;
}

void
gen_json_latency(struct gen_json *j, const char *key, const struct gen_latency *l,
		 double ns_per_unit, const char *what)
{
	static const struct { const char *key; double q; } pct[] = {
		{ "p50_ns", 0.50 }, { "p90_ns", 0.90 }, { "p99_ns", 0.99 }, { "p999_ns", 0.999 },
	};
	unsigned int i;

	gj_obj(j, key);
	gj_str(j, "what", what);
	gj_u64(j, "count", l->count);
	if (l->count == 0) {
		gj_null(j, "min_ns");
		gj_null(j, "mean_ns");
		for (i = 0; i < RTE_DIM(pct); i++)
			gj_null(j, pct[i].key);
		gj_null(j, "max_ns");
	} else {
		gj_dbl(j, "min_ns", (double)l->min * ns_per_unit);
		gj_dbl(j, "mean_ns", (double)l->sum / (double)l->count * ns_per_unit);
		for (i = 0; i < RTE_DIM(pct); i++)
			gj_dbl(j, pct[i].key,
			       (double)gen_latency_quantile(l, pct[i].q) * ns_per_unit);
		gj_dbl(j, "max_ns", (double)l->max * ns_per_unit);
	}
	/* The non-empty buckets, in order; bounds inclusive, in the histogram's
	 * own unit converted to ns (a bucket is 1/8 of a power of two wide). */
	gj_obj(j, "histogram");
	gj_dbl(j, "ns_per_unit", ns_per_unit);
	gj_u64(j, "sub_buckets_per_octave", GEN_LAT_SUB);
	gj_arr(j, "buckets");
	for (i = 0; i < GEN_LAT_BUCKETS; i++) {
		uint64_t lo, hi;

		if (l->bucket[i] == 0)
			continue;
		gen_latency_bucket_bounds(i, &lo, &hi);
		gj_line_obj(j, NULL);
		gj_u64(j, "index", i);
		gj_dbl(j, "lower_ns", (double)lo * ns_per_unit);
		gj_dbl(j, "upper_ns", (double)hi * ns_per_unit);
		gj_u64(j, "lower_units", lo);
		gj_u64(j, "upper_units", hi);
		gj_u64(j, "count", l->bucket[i]);
		gj_line_obj_end(j);
	}
	gj_arr_end(j);
	gj_obj_end(j);
	gj_obj_end(j);
}
