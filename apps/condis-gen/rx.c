/* SPDX-License-Identifier: BSD-3-Clause */
/* The receive side of condis-gen (rx.h): frames counted per VC from their stamps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gen.h"
#include "rx.h"
#include "rx_seq.h"

#define RX_BURST 32
#define RX_MBUFS 8191

struct rx_vc {
	struct rx_seq seq;
	uint64_t expect;     /* frames the sender sent, 0: unknown */
	uint64_t failed;     /* of them, completed with a failure status at the sender */
	double transit;      /* the last timestamped frame's receive - stamp time, ns */
	bool timed;          /* transit holds a value */
	double jitter;       /* RFC 3550 interarrival jitter, ns */
	uint64_t lat_n, lat_sum, lat_min, lat_max; /* stamp to receive, ns */
	uint64_t bad_header; /* --rx-check-headers: not the VC's flow */
	uint16_t queue;      /* the receive queue of its first frame */
	bool split;          /* its frames came on more than one queue */
};

struct gen_rx {
	struct rx_vc *vcs;
	uint32_t nb_vcs;
	uint64_t frames, stamped, foreign, bad_vc;
	uint64_t no_ts;         /* stamped frames too short for the timestamp */
	bool check_headers;     /* --rx-check-headers */
	struct rte_eth_stats port; /* the receiver's own drops */
	struct gen_latency lat; /* stamp to receive, ns */
	uint64_t tsc_first, tsc_last; /* bursts with the first and the last stamped frame */
};

/* Sums over the VCs. */
struct rx_totals {
	uint64_t lost, lost_path, failed, duplicated, reordered, too_late, bad_header;
	uint32_t split_vcs, timed_vcs;
	bool sent_known;     /* some VC has the sender's count: tail loss counted */
	double jitter_sum, jitter_max;
};

void
gen_rx_check_headers(struct gen_rx *rx, const struct gen_options *opt)
{
	gen_flows_build(opt);
	rx->check_headers = true;
}

struct gen_rx *
gen_rx_create(uint32_t nb_vcs)
{
	struct gen_rx *rx = calloc(1, sizeof(*rx));

	if (rx == NULL)
		return NULL;
	rx->vcs = calloc(nb_vcs, sizeof(*rx->vcs));
	if (rx->vcs == NULL) {
		free(rx);
		return NULL;
	}
	rx->nb_vcs = nb_vcs;
	gen_latency_init(&rx->lat);
	return rx;
}

void
gen_rx_free(struct gen_rx *rx)
{
	if (rx != NULL)
		free(rx->vcs);
	free(rx);
}

void
gen_rx_expect(struct gen_rx *rx, uint32_t vc, uint64_t sent, uint64_t failed)
{
	if (vc < rx->nb_vcs) {
		rx->vcs[vc].expect = sent;
		rx->vcs[vc].failed = failed;
	}
}

/* Lost on the path: lost, less the frames the sender failed (a reset, a
 * pause, an invalid frame), which may never have reached the wire. */
static uint64_t
lost_on_path(const struct rx_vc *v)
{
	uint64_t lost = rx_seq_lost(&v->seq, v->expect);

	return lost - RTE_MIN(lost, v->failed);
}

uint64_t
gen_rx_stamped(const struct gen_rx *rx)
{
	return rx->stamped;
}

void
gen_rx_port_stats(struct gen_rx *rx, uint16_t port)
{
	if (rte_eth_stats_get(port, &rx->port) != 0)
		memset(&rx->port, 0, sizeof(rx->port));
}

/* RFC 3550 6.4.1: J += (|D| - J) / 16, D the change in transit time
 * between a VC's consecutive frames. */
static void
rx_jitter(struct rx_vc *v, double transit)
{
	if (v->timed) {
		double d = fabs(transit - v->transit);

		v->jitter += (d - v->jitter) / 16.0;
	}
	v->transit = transit;
	v->timed = true;
}

/* Account one frame; frames that are not condis-gen's count as foreign. */
static void
rx_frame(struct gen_rx *rx, const struct rte_mbuf *m, uint64_t now_ns, uint16_t queue)
{
	/* Headers and stamp fit here; a frame in segments (net_ring hands over
	 * the sender's chains) is read across them. */
	uint8_t buf[192];
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)sizeof(buf));
	const uint8_t *p = rte_pktmbuf_read(m, 0, len, buf);
	uint32_t off = RTE_ETHER_HDR_LEN, magic, vc, tag = 0;
	uint16_t type;
	uint8_t proto;
	uint64_t seq, ts;
	struct rx_vc *v;

	rx->frames++;
	if (p == NULL || len < RTE_ETHER_HDR_LEN)
		goto foreign;
	memcpy(&type, p + 12, 2);
	/* An 802.1Q tag, or QinQ: an S-tag (0x88a8, or the older 0x9100) and
	 * a C-tag inside it. */
	while (tag < 2 * RTE_VLAN_HLEN && (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) ||
					   type == rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ) ||
					   type == rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ1))) {
		if (len < off + RTE_VLAN_HLEN)
			goto foreign;
		memcpy(&type, p + off + 2, 2);
		off += RTE_VLAN_HLEN;
		tag += RTE_VLAN_HLEN;
	}
	/* The templates (docs/STAMP.md): IPv4 or IPv6, then UDP or TCP; or raw
	 * L2, the stamp right after the EtherType (any: the magic tells). */
	proto = 0;
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)) {
		if (len < off + sizeof(struct rte_ipv4_hdr))
			goto foreign;
		proto = p[off + 9];
		off += (p[off] & 0xf) * 4u;
	} else if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6)) {
		if (len < off + sizeof(struct rte_ipv6_hdr))
			goto foreign;
		proto = p[off + 6];
		off += sizeof(struct rte_ipv6_hdr);
	}
	if (proto == IPPROTO_UDP)
		off += sizeof(struct rte_udp_hdr);
	else if (proto == IPPROTO_TCP && len >= off + sizeof(struct rte_tcp_hdr))
		off += (p[off + 12] >> 4) * 4u;
	else if (proto != 0 || type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
		 type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
		goto foreign;
	if (len < off + 16)
		goto foreign;
	memcpy(&magic, p + off, 4);
	if (rte_be_to_cpu_32(magic) != STAMP_MAGIC)
		goto foreign;
	memcpy(&vc, p + off + 4, 4);
	vc = rte_be_to_cpu_32(vc);
	rx->stamped++;
	if (vc >= rx->nb_vcs) {
		rx->bad_vc++;
		return;
	}
	memcpy(&seq, p + off + 8, 8);
	seq = rte_be_to_cpu_64(seq);
	v = &rx->vcs[vc];
	if (unlikely(!rx_seq_add(&v->seq, seq))) {
		rx->stamped--; /* a corrupt stamp: not a frame of the VC */
		goto foreign;
	}
	/* One VC, one queue: its order is only kept within one. */
	if (unlikely(v->seq.frames == 1))
		v->queue = queue;
	else if (unlikely(v->queue != queue))
		v->split = true;
	if (unlikely(rx->check_headers)) {
		uint8_t head[RTE_ETHER_HDR_LEN + 64];

		/* The template's offsets are the untagged frame's. */
		memcpy(head, p, 12);
		memcpy(head + 12, p + 12 + tag, RTE_MIN(len - 12 - tag, sizeof(head) - 12));
		v->bad_header += !gen_frame_flow_ok(head, len - tag, type, proto, vc);
	}
	if (len >= off + STAMP_FULL) {
		memcpy(&ts, p + off + 16, 8);
		ts = rte_be_to_cpu_64(ts);
		if (now_ns > ts) {
			uint64_t d = now_ns - ts;

			gen_latency_add(&rx->lat, d, 1);
			v->lat_min = v->lat_n == 0 || d < v->lat_min ? d : v->lat_min;
			v->lat_max = RTE_MAX(v->lat_max, d);
			v->lat_sum += d;
			v->lat_n++;
			rx_jitter(v, (double)d);
		}
	} else {
		rx->no_ts++;
	}
	return;
foreign:
	rx->foreign++;
}

uint16_t
gen_rx_poll(struct gen_rx *rx, uint16_t port, uint16_t queue)
{
	struct rte_mbuf *pkts[RX_BURST];
	uint16_t n = rte_eth_rx_burst(port, queue, pkts, RX_BURST), i;
	uint64_t now_ns;

	uint64_t now, stamped = rx->stamped;

	if (n == 0)
		return 0;
	now = rte_rdtsc();
	now_ns = gen_tsc_to_ns(now);
	for (i = 0; i < n; i++)
		rx_frame(rx, pkts[i], now_ns, queue);
	rte_pktmbuf_free_bulk(pkts, n);
	if (rx->stamped != stamped) {
		if (rx->tsc_first == 0)
			rx->tsc_first = now;
		rx->tsc_last = now;
	}
	return n;
}

const struct gen_latency *
gen_rx_latency(const struct gen_rx *rx)
{
	return &rx->lat;
}

double
gen_rx_secs(const struct gen_rx *rx)
{
	return rx->tsc_last > rx->tsc_first ?
		(double)(rx->tsc_last - rx->tsc_first) / gen_tsc_hz() : 0;
}

static void
rx_totals(const struct gen_rx *rx, struct rx_totals *t)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < rx->nb_vcs; i++) {
		const struct rx_vc *v = &rx->vcs[i];

		t->lost += rx_seq_lost(&v->seq, v->expect);
		t->lost_path += lost_on_path(v);
		t->failed += v->failed;
		t->duplicated += v->seq.duplicated;
		t->reordered += v->seq.reordered;
		t->too_late += v->seq.too_late;
		t->bad_header += v->bad_header;
		t->split_vcs += v->split;
		t->sent_known |= v->expect != 0;
		if (v->timed) {
			t->timed_vcs++;
			t->jitter_sum += v->jitter;
			t->jitter_max = RTE_MAX(t->jitter_max, v->jitter);
		}
	}
}

static void
rx_latency_report(const struct gen_rx *rx, const struct rx_totals *t)
{
	if (rx->lat.count == 0 && rx->no_ts == 0) {
		printf("rx latency_ns: unavailable: no condis-gen frame\n");
		return;
	}
	if (rx->lat.count == 0) {
		printf("rx latency_ns: unavailable: the %" PRIu64 " frames carry no timestamp: it "
		       "needs frames of %u bytes incl. FCS or more (docs/STAMP.md)\n",
		       rx->no_ts, STAMP_TS_MIN_FRAME);
		return;
	}
	printf("rx latency_ns: count=%" PRIu64 " min=%" PRIu64 " p50=%" PRIu64 " p90=%" PRIu64
	       " p99=%" PRIu64 " p999=%" PRIu64 " max=%" PRIu64 " jitter_mean=%.0f jitter_max=%.0f"
	       " (stamp to receive, one host clock; RFC 3550 jitter per VC; %" PRIu64
	       " frames without timestamp)\n", rx->lat.count, rx->lat.min,
	       gen_latency_quantile(&rx->lat, 0.5), gen_latency_quantile(&rx->lat, 0.9),
	       gen_latency_quantile(&rx->lat, 0.99), gen_latency_quantile(&rx->lat, 0.999),
	       rx->lat.max, t->timed_vcs ? t->jitter_sum / t->timed_vcs : 0.0, t->jitter_max,
	       rx->no_ts);
	/* No device clock is read: say which clock it is, and how fine. */
	printf("rx clock: software TSC at %.3f GHz (resolution %.2f ns), mapped to "
	       "CLOCK_REALTIME at start; stamps are the chain's send time; histogram buckets "
	       "1/8 of an octave\n", gen_tsc_hz() / 1e9, 1e9 / gen_tsc_hz());
}

const char *
gen_rx_report(const struct gen_rx *rx, const char *who, bool per_vc, double secs)
{
	uint64_t dropped = rx->port.imissed + rx->port.ierrors + rx->port.rx_nombuf;
	uint64_t good = rx->stamped - rx->bad_vc;
	const char *failure = NULL;
	struct rx_totals t;
	uint32_t i;

	rx_totals(rx, &t);
	for (i = 0; i < rx->nb_vcs && (per_vc || i < 16); i++) {
		const struct rx_vc *v = &rx->vcs[i];

		printf("rx vc %u: frames=%" PRIu64 " next_seq=%" PRIu64 " lost=%" PRIu64
		       " duplicated=%" PRIu64 " reordered=%" PRIu64 " too_late=%" PRIu64, i,
		       v->seq.frames, v->seq.next, rx_seq_lost(&v->seq, v->expect),
		       v->seq.duplicated, v->seq.reordered, v->seq.too_late);
		if (v->failed != 0)
			printf(" failed_at_sender=%" PRIu64 " lost_on_path=%" PRIu64, v->failed,
			       lost_on_path(v));
		if (v->seq.frames != 0)
			printf(" rx_queue=%u%s", v->queue, v->split ? "+" : "");
		if (rx->check_headers)
			printf(" bad_header=%" PRIu64, v->bad_header);
		if (v->lat_n != 0)
			printf(" latency_ns_min=%" PRIu64 " mean=%.0f max=%" PRIu64, v->lat_min,
			       (double)v->lat_sum / v->lat_n, v->lat_max);
		if (v->timed)
			printf(" jitter_ns=%.0f", v->jitter);
		putchar('\n');
	}
	printf("rx total: frames=%" PRIu64 " stamped=%" PRIu64 " lost=%" PRIu64
	       " duplicated=%" PRIu64 " reordered=%" PRIu64 " too_late=%" PRIu64
	       " foreign=%" PRIu64 " bad_vc=%" PRIu64 " elapsed_s=%.3f mpps=%.3f\n",
	       rx->frames, good, t.lost, t.duplicated, t.reordered, t.too_late,
	       rx->foreign, rx->bad_vc, secs, secs > 0 ? (double)good / secs / 1e6 : 0);
	if (rx->check_headers)
		printf("rx headers: checked=%" PRIu64 " bad_header=%" PRIu64 " (the flow field "
		       "against each VC's)\n", good, t.bad_header);
	if (t.failed != 0)
		printf("rx sender: failed_at_sender=%" PRIu64 " lost_on_path=%" PRIu64 " (frames "
		       "the sender completed with a failure status may never have been sent: the "
		       "verdict counts lost_on_path)\n", t.failed, t.lost_path);
	printf("rx receiver: ipackets=%" PRIu64 " imissed=%" PRIu64 " ierrors=%" PRIu64
	       " rx_nombuf=%" PRIu64 " (dropped by this port, not on the path)\n",
	       rx->port.ipackets, rx->port.imissed, rx->port.ierrors, rx->port.rx_nombuf);
	rx_latency_report(rx, &t);
	if (rx->stamped == 0) {
		failure = "no condis-gen frame arrived";
		fprintf(stderr, "%s: FAIL: %s\n", who, failure);
	}
	if (rx->bad_vc != 0) {
		failure = "frames for VCs this receiver does not expect";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames for VCs this receiver "
			"does not expect (--vcs %u: VC ids 0..%u)\n", who, rx->bad_vc, rx->nb_vcs,
			rx->nb_vcs - 1);
	}
	if (t.lost_path != 0) {
		failure = failure != NULL ? failure : "frames lost";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames lost (sequence numbers "
			"never received%s)", who, t.lost_path,
			t.sent_known ? ", up to the frames sent" : "");
		if (t.failed != 0)
			fprintf(stderr, "; %" PRIu64 " more the sender failed", t.lost - t.lost_path);
		if (dropped != 0)
			fprintf(stderr, "; this port dropped %" PRIu64 " frames itself "
				"(imissed, ierrors, rx_nombuf)", dropped);
		fputc('\n', stderr);
	}
	if (t.duplicated != 0) {
		failure = failure != NULL ? failure : "frames duplicated";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames duplicated\n", who,
			t.duplicated);
	}
	if (t.reordered != 0) {
		failure = failure != NULL ? failure : "frames reordered";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames reordered (arrived "
			"after a higher sequence number)\n", who, t.reordered);
	}
	if (t.split_vcs != 0)
		printf("rx queues: %u VC(s) came on more than one receive queue: their order "
		       "is not kept across queues, so reordered counts them too\n", t.split_vcs);
	if (t.bad_header != 0) {
		failure = failure != NULL ? failure : "frames with another VC's headers";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames whose flow field is not their VC's "
			"(rewritten on the way, or --rx without the sender's traffic options)\n",
			who, t.bad_header);
	}
	if (t.too_late != 0) {
		failure = failure != NULL ? failure : "frames too late";
		fprintf(stderr, "%s: FAIL: %" PRIu64 " frames more than %u sequence "
			"numbers late (duplicated or reordered)\n", who, t.too_late, RX_SEQ_WINDOW);
	}
	return failure;
}

void
gen_rx_json(struct gen_json *j, const struct gen_rx *rx, double secs)
{
	uint64_t good = rx->stamped - rx->bad_vc;
	struct rx_totals t;
	uint32_t i;

	rx_totals(rx, &t);
	gj_obj(j, "rx");
	gj_obj(j, "totals");
	gj_u64(j, "frames_received", rx->frames);
	gj_u64(j, "frames_stamped", good);
	gj_u64(j, "lost", t.lost);
	gj_u64(j, "failed_at_sender", t.failed);
	gj_u64(j, "lost_on_path", t.lost_path);
	gj_u64(j, "duplicated", t.duplicated);
	gj_u64(j, "reordered", t.reordered);
	gj_u64(j, "too_late", t.too_late);
	gj_u64(j, "foreign", rx->foreign);
	gj_u64(j, "bad_vc", rx->bad_vc);
	gj_u64(j, "no_timestamp", rx->no_ts);
	gj_u64(j, "window", RX_SEQ_WINDOW);
	if (rx->check_headers)
		gj_u64(j, "bad_header", t.bad_header);
	else
		gj_null(j, "bad_header");
	gj_bool(j, "sent_known", t.sent_known);
	if (t.timed_vcs != 0) {
		gj_dbl(j, "jitter_ns_mean", t.jitter_sum / t.timed_vcs);
		gj_dbl(j, "jitter_ns_max", t.jitter_max);
	} else {
		gj_null(j, "jitter_ns_mean");
		gj_null(j, "jitter_ns_max");
	}
	gj_obj_end(j);
	gj_obj(j, "receiver");
	gj_u64(j, "ipackets", rx->port.ipackets);
	gj_u64(j, "imissed", rx->port.imissed);
	gj_u64(j, "ierrors", rx->port.ierrors);
	gj_u64(j, "rx_nombuf", rx->port.rx_nombuf);
	gj_obj_end(j);
	gj_arr(j, "vcs");
	for (i = 0; i < rx->nb_vcs; i++) {
		const struct rx_vc *v = &rx->vcs[i];

		gj_line_obj(j, NULL);
		gj_u64(j, "id", i);
		gj_u64(j, "frames", v->seq.frames);
		gj_u64(j, "next_seq", v->seq.next);
		if (v->expect != 0)
			gj_u64(j, "sent", v->expect);
		else
			gj_null(j, "sent");
		gj_u64(j, "lost", rx_seq_lost(&v->seq, v->expect));
		gj_u64(j, "failed_at_sender", v->failed);
		gj_u64(j, "lost_on_path", lost_on_path(v));
		gj_u64(j, "duplicated", v->seq.duplicated);
		gj_u64(j, "reordered", v->seq.reordered);
		gj_u64(j, "too_late", v->seq.too_late);
		if (v->seq.frames != 0)
			gj_u64(j, "rx_queue", v->queue);
		else
			gj_null(j, "rx_queue");
		gj_bool(j, "split_over_queues", v->split);
		if (v->timed)
			gj_dbl(j, "jitter_ns", v->jitter);
		else
			gj_null(j, "jitter_ns");
		if (v->lat_n != 0) {
			gj_u64(j, "latency_min_ns", v->lat_min);
			gj_dbl(j, "latency_mean_ns", (double)v->lat_sum / v->lat_n);
			gj_u64(j, "latency_max_ns", v->lat_max);
		} else {
			gj_null(j, "latency_min_ns");
			gj_null(j, "latency_mean_ns");
			gj_null(j, "latency_max_ns");
		}
		gj_line_obj_end(j);
	}
	gj_arr_end(j);
	gj_obj(j, "rates");
	gj_dbl(j, "elapsed_s", secs);
	gj_dbl(j, "rx_pps", secs > 0 ? (double)good / secs : 0);
	gj_obj_end(j);
	gen_json_latency(j, "latency", &rx->lat, 1, "stamp to receive, one host clock");
	gj_obj_end(j);
}

int
gen_rx_port_setup(uint16_t port, uint32_t mtu, uint16_t nb_rxq, struct rte_mempool **mp)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	int socket = rte_eth_dev_socket_id(port);
	char name[RTE_MEMPOOL_NAMESIZE];
	uint16_t q;

	if (socket < 0)
		socket = (int)rte_socket_id();
	if (rte_eth_dev_info_get(port, &info) != 0) {
		fprintf(stderr, "condis-gen: port %u: no device info\n", port);
		return -1;
	}
	if (nb_rxq > info.max_rx_queues) {
		fprintf(stderr, "condis-gen: port %u: %u receive queues asked for, it has %u\n",
			port, nb_rxq, info.max_rx_queues);
		return -1;
	}
	/* Several queues: RSS on the 5-tuple, so each VC (a flow) stays on one. */
	if (nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
	snprintf(name, sizeof(name), "gen_rx_%u", port);
	*mp = rte_pktmbuf_pool_create(name, RX_MBUFS * nb_rxq, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				      socket);
	if (*mp == NULL || rte_eth_dev_configure(port, nb_rxq, 1, &conf) != 0 ||
	    (mtu != 0 && rte_eth_dev_set_mtu(port, (uint16_t)mtu) != 0))
		goto fail;
	for (q = 0; q < nb_rxq; q++)
		if (rte_eth_rx_queue_setup(port, q, 1024, socket, NULL, *mp) != 0)
			goto fail;
	if (rte_eth_tx_queue_setup(port, 0, 512, socket, NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		goto fail;
	rte_eth_promiscuous_enable(port);
	return 0;
fail:
	fprintf(stderr, "condis-gen: cannot set up port %u for receiving\n", port);
	/* Its queues may hold mbufs of the pool: the port goes first. */
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_mempool_free(*mp);
	*mp = NULL;
	return -1;
}

void
gen_rx_live(const struct gen_rx *rx, struct gen_rx_counts *c, struct gen_latency *lat)
{
#define LIVE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->frames = LIVE(rx->frames);
	c->stamped = LIVE(rx->stamped);
	c->foreign = LIVE(rx->foreign);
	c->bad_vc = LIVE(rx->bad_vc);
	for (i = 0; i < rx->nb_vcs; i++) {
		const struct rx_vc *v = &rx->vcs[i];

		c->missing += LIVE(v->seq.missing);
		c->duplicated += LIVE(v->seq.duplicated);
		c->reordered += LIVE(v->seq.reordered);
		c->too_late += LIVE(v->seq.too_late);
	}
	gen_latency_merge_live(lat, &rx->lat);
#undef LIVE
}
