/* SPDX-License-Identifier: BSD-3-Clause */
/* Command line and INI profile (rte_cfgfile) of condis-gen. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_cfgfile.h>

#include "gen.h"

#define MAX_VLAN_RULES 256
#define PROFILE_SECTION "condis-gen"

struct vlan_rule {
	uint32_t vc;
	uint16_t vid;
	uint8_t prio;
};
static struct vlan_rule vlan_rules[MAX_VLAN_RULES];
static unsigned int nb_vlan_rules;

enum {
	OPT_PORT_ID = 256, OPT_VCS, OPT_FRAME_SIZE, OPT_NBS_PER_NBL, OPT_NBLS_PER_CHAIN,
	OPT_WINDOW, OPT_COUNT, OPT_DURATION, OPT_RATE, OPT_WORKERS, OPT_TXD, OPT_VLAN,
	OPT_SRC_MAC, OPT_DST_MAC, OPT_SRC_IP, OPT_DST_IP, OPT_UDP_SPORT, OPT_UDP_DPORT,
	OPT_DRAIN, OPT_PER_VC, OPT_PROFILE, OPT_WAIT_LINK, OPT_LINGER, OPT_RX, OPT_RX_IDLE, OPT_HELP,
};

static const struct option long_opts[] = {
	{ "port-id", required_argument, NULL, OPT_PORT_ID },
	{ "vcs", required_argument, NULL, OPT_VCS },
	{ "frame-size", required_argument, NULL, OPT_FRAME_SIZE },
	{ "nbs-per-nbl", required_argument, NULL, OPT_NBS_PER_NBL },
	{ "nbls-per-chain", required_argument, NULL, OPT_NBLS_PER_CHAIN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "txd", required_argument, NULL, OPT_TXD },
	{ "vlan", required_argument, NULL, OPT_VLAN },
	{ "src-mac", required_argument, NULL, OPT_SRC_MAC },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "src-ip", required_argument, NULL, OPT_SRC_IP },
	{ "dst-ip", required_argument, NULL, OPT_DST_IP },
	{ "udp-sport", required_argument, NULL, OPT_UDP_SPORT },
	{ "udp-dport", required_argument, NULL, OPT_UDP_DPORT },
	{ "drain", required_argument, NULL, OPT_DRAIN },
	{ "wait-link", required_argument, NULL, OPT_WAIT_LINK },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "rx", no_argument, NULL, OPT_RX },
	{ "rx-idle", required_argument, NULL, OPT_RX_IDLE },
	{ "per-vc", no_argument, NULL, OPT_PER_VC },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

void
gen_usage(const char *prog)
{
	printf("usage: %s [EAL options --] [options]\n"
	       "Without EAL options condis-gen runs on an embedded default: --no-huge -m 512\n"
	       "--no-pci --in-memory --vdev net_null0 -l 0.\n\n"
	       "  --port-id N          DPDK port (default 0)\n"
	       "  --vcs K              virtual connections (default 4)\n"
	       "  --frame-size B       Ethernet frame size incl. FCS, 62..65535 (default 64)\n"
	       "  --nbs-per-nbl N      NET_BUFFERs (frames) per NBL (default 1)\n"
	       "  --nbls-per-chain N   NBLs per send call (default 32)\n"
	       "  --window N           NBLs per worker, shared by its VCs (default: ring + 2 chains)\n"
	       "  --count N            frames per VC, then stop\n"
	       "  --duration S         seconds to send (default 2 when no --count)\n"
	       "  --rate PPS           frames per second over all VCs (default: unlimited)\n"
	       "  --workers N          worker lcores = TX queues (default 1; needs N lcores)\n"
	       "  --txd N              TX descriptors per queue (default 1024)\n"
	       "  --vlan VID:PRIO      802.1Q tag on every VC; --vlan VC=VID:PRIO for one VC\n"
	       "  --src-mac/--dst-mac  MACs (default 02:00:00:00:00:01 -> 02:00:00:00:00:02)\n"
	       "  --src-ip/--dst-ip    IPv4 (default 198.18.0.1 -> 198.18.0.2)\n"
	       "  --udp-sport/--udp-dport  UDP ports (default 1024 -> 9)\n"
	       "  --drain S            wait this long for completions at the end (default 2)\n"
	       "  --wait-link S        wait up to S s for link up before sending (default 10; 0: no wait)\n"
	       "  --linger S           keep the port up S s after the report, for a peer to\n"
	       "                       read what is still in flight on a shared ring (memif)\n"
	       "  --per-vc             print every VC (default: the first 16)\n"
	       "  --rx                 receive/verify mode: count stamped frames per VC on the\n"
	       "                       port, check loss and order, measure one-way latency\n"
	       "  --rx-idle S          with --rx, stop S s after the last frame (default 2)\n"
	       "  --profile FILE       read options from the [%s] section of an INI file\n",
	       prog, PROFILE_SECTION);
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	/* strtoull takes "-1" as ULLONG_MAX: no sign allowed */
	if (strchr(s, '-') != NULL)
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Narrower options: the field is written only when the value is valid. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int rc = parse_u64(s, min, max, &v);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}

static int
parse_u16(const char *s, uint16_t min, uint16_t max, uint16_t *out)
{
	uint32_t v;
	int rc = parse_u32(s, min, max, &v);

	if (rc == 0)
		*out = (uint16_t)v;
	return rc;
}

static int
parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno != 0 || end == s || *end != '\0' || *out < 0 ? -EINVAL : 0;
}

static int
parse_vlan(struct gen_options *opt, const char *s)
{
	unsigned int vc = 0, vid, prio;
	int all = strchr(s, '=') == NULL;

	if (all ? sscanf(s, "%u:%u", &vid, &prio) != 2 :
		  sscanf(s, "%u=%u:%u", &vc, &vid, &prio) != 3)
		return -EINVAL;
	if (vid > 4094 || prio > 7)
		return -EINVAL;
	if (all) {
		opt->vlan_all_set = true;
		opt->vlan_id_all = (uint16_t)vid;
		opt->vlan_prio_all = (uint8_t)prio;
		return 0;
	}
	if (nb_vlan_rules == MAX_VLAN_RULES)
		return -ENOSPC;
	vlan_rules[nb_vlan_rules++] = (struct vlan_rule){ vc, (uint16_t)vid, (uint8_t)prio };
	return 0;
}

int
gen_vlan_lookup(const struct gen_options *opt, uint32_t vc, uint16_t *vid, uint8_t *prio)
{
	unsigned int i;

	for (i = nb_vlan_rules; i-- > 0;) {
		if (vlan_rules[i].vc == vc) {
			*vid = vlan_rules[i].vid;
			*prio = vlan_rules[i].prio;
			return 1;
		}
	}
	if (opt->vlan_all_set) {
		*vid = opt->vlan_id_all;
		*prio = opt->vlan_prio_all;
		return 1;
	}
	return 0;
}

static int parse_one(struct gen_options *opt, int c, const char *arg);

/* Every key of the profile's section is a long option name. */
static int
parse_profile(struct gen_options *opt, const char *path)
{
	struct rte_cfgfile *cfg = rte_cfgfile_load(path, 0);
	struct rte_cfgfile_entry *entries;
	int n, i, rc = 0;

	if (cfg == NULL) {
		fprintf(stderr, "cannot read profile %s\n", path);
		return -EINVAL;
	}
	n = rte_cfgfile_section_num_entries(cfg, PROFILE_SECTION);
	if (n < 0) {
		fprintf(stderr, "%s: no [%s] section\n", path, PROFILE_SECTION);
		rte_cfgfile_close(cfg);
		return -EINVAL;
	}
	entries = calloc((size_t)n + 1, sizeof(*entries));
	if (entries == NULL) {
		rte_cfgfile_close(cfg);
		return -ENOMEM;
	}
	rte_cfgfile_section_entries(cfg, PROFILE_SECTION, entries, n);
	for (i = 0; i < n && rc == 0; i++) {
		const struct option *o;

		for (o = long_opts; o->name != NULL; o++)
			if (strcmp(o->name, entries[i].name) == 0)
				break;
		if (o->name == NULL || o->val == OPT_PROFILE || o->val == OPT_HELP) {
			fprintf(stderr, "%s: unknown key '%s'\n", path, entries[i].name);
			rc = -EINVAL;
			break;
		}
		rc = parse_one(opt, o->val, entries[i].value);
	}
	free(entries);
	rte_cfgfile_close(cfg);
	return rc;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int
parse_one(struct gen_options *opt, int c, const char *arg)
{
	int rc = 0;

	switch (c) {
	case OPT_PORT_ID:
		rc = parse_u16(arg, 0, RTE_MAX_ETHPORTS - 1, &opt->port_id);
		break;
	case OPT_VCS:
		rc = parse_u32(arg, 1, GEN_MAX_VCS, &opt->vcs);
		break;
	case OPT_FRAME_SIZE:
		rc = parse_u32(arg, 62, 16000, &opt->frame_size);
		break;
	case OPT_NBS_PER_NBL:
		rc = parse_u32(arg, 1, 64, &opt->nbs_per_nbl);
		break;
	case OPT_NBLS_PER_CHAIN:
		rc = parse_u32(arg, 1, 1024, &opt->nbls_per_chain);
		break;
	case OPT_WINDOW:
		rc = parse_u32(arg, 1, 1u << 20, &opt->window);
		break;
	case OPT_COUNT:
		rc = parse_u64(arg, 1, UINT64_MAX, &opt->count);
		break;
	case OPT_DURATION:
		rc = parse_double(arg, &opt->duration);
		break;
	case OPT_RATE:
		rc = parse_double(arg, &opt->rate_pps);
		break;
	case OPT_WORKERS:
		rc = parse_u16(arg, 1, GEN_MAX_WORKERS, &opt->workers);
		break;
	case OPT_TXD:
		rc = parse_u16(arg, 32, 32768, &opt->nb_txd);
		break;
	case OPT_VLAN:
		rc = parse_vlan(opt, arg);
		break;
	case OPT_SRC_MAC:
		rc = rte_ether_unformat_addr(arg, &opt->src_mac);
		break;
	case OPT_DST_MAC:
		rc = rte_ether_unformat_addr(arg, &opt->dst_mac);
		break;
	case OPT_SRC_IP:
		rc = parse_ip(arg, &opt->src_ip);
		break;
	case OPT_DST_IP:
		rc = parse_ip(arg, &opt->dst_ip);
		break;
	case OPT_UDP_SPORT:
		rc = parse_u16(arg, 0, 65535, &opt->udp_sport);
		break;
	case OPT_UDP_DPORT:
		rc = parse_u16(arg, 0, 65535, &opt->udp_dport);
		break;
	case OPT_DRAIN:
		rc = parse_double(arg, &opt->drain_s);
		break;
	case OPT_WAIT_LINK:
		rc = parse_double(arg, &opt->wait_link_s);
		break;
	case OPT_LINGER:
		rc = parse_double(arg, &opt->linger_s);
		break;
	case OPT_RX:
		opt->rx = arg == NULL || strcmp(arg, "0") != 0;
		break;
	case OPT_RX_IDLE:
		rc = parse_double(arg, &opt->rx_idle_s);
		break;
	case OPT_PER_VC:
		opt->per_vc = arg == NULL || strcmp(arg, "0") != 0;
		break;
	case OPT_PROFILE:
		rc = parse_profile(opt, arg);
		break;
	default:
		rc = -EINVAL;
	}
	return rc;
}

int
gen_options_parse(struct gen_options *opt, int argc, char **argv)
{
	int c;

	memset(opt, 0, sizeof(*opt));
	opt->vcs = 4;
	opt->frame_size = 64;
	opt->nbs_per_nbl = 1;
	opt->nbls_per_chain = 32;
	opt->workers = 1;
	opt->nb_txd = 1024;
	opt->drain_s = 2.0;
	opt->wait_link_s = 10.0;
	opt->rx_idle_s = 2.0;
	rte_ether_unformat_addr("02:00:00:00:00:01", &opt->src_mac);
	rte_ether_unformat_addr("02:00:00:00:00:02", &opt->dst_mac);
	/* 198.18.0.1 -> 198.18.0.2 (RFC 2544 benchmark range); not RTE_IPV4(),
	 * whose int shift of 198 << 24 is undefined behaviour (UBSan). */
	opt->src_ip = UINT32_C(198) << 24 | UINT32_C(18) << 16 | 1;
	opt->dst_ip = UINT32_C(198) << 24 | UINT32_C(18) << 16 | 2;
	opt->udp_sport = 1024;
	opt->udp_dport = 9;
	nb_vlan_rules = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			gen_usage(argv[0]);
			return 1;
		}
		if (c == '?' || parse_one(opt, c, optarg) != 0) {
			if (c != '?')
				fprintf(stderr, "%s: bad value '%s' for --%s\n", argv[0],
					optarg ? optarg : "", long_opts[c - OPT_PORT_ID].name);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return -EINVAL;
	}
	if (opt->count == 0 && opt->duration == 0 && !opt->rx)
		opt->duration = 2.0;
	return 0;
}
