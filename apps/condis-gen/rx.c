/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive/verify mode (--rx): counts condis-gen frames per VC from their
 * stamps (docs/STAMP.md): received, lost, duplicated and reordered each
 * exactly (rx_seq.h), tail loss against --count, the port's own drops apart,
 * and the one-way latency where the stamp carries a timestamp (same host
 * clock). Its exit status is the verdict: 1 on no frame, a foreign VC id,
 * or a VC that lost, repeated or reordered frames.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gen.h"
#include "json.h"
#include "rx_seq.h"

#define RX_BURST 32
#define RX_MBUFS 8191

struct rx_state {
	struct rx_seq *vcs;
	uint32_t nb_vcs;
	uint64_t expect;        /* frames per VC the sender sent (--count), 0: unknown */
	uint64_t frames, foreign, bad_vc;
	uint64_t no_ts;         /* stamped frames too short for the timestamp */
	struct rte_eth_stats port; /* at the end: the receiver's own drops */
	struct gen_latency lat; /* nanoseconds */
};

/* Sums over the VCs. */
struct rx_totals {
	uint64_t frames, lost, duplicated, reordered, too_late;
};

static void
rx_totals(const struct rx_state *st, struct rx_totals *t)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < st->nb_vcs; i++) {
		const struct rx_seq *v = &st->vcs[i];

		t->frames += v->frames;
		t->lost += rx_seq_lost(v, st->expect);
		t->duplicated += v->duplicated;
		t->reordered += v->reordered;
		t->too_late += v->too_late;
	}
}

/* Account one frame; frames that are not condis-gen's count as foreign. */
static void
rx_frame(struct rx_state *st, const struct rte_mbuf *m, uint64_t now_ns)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), off = RTE_ETHER_HDR_LEN, magic, vc;
	uint16_t type;
	uint8_t proto;
	uint64_t seq, ts;
	struct rx_seq *v;

	st->frames++;
	if (len < RTE_ETHER_HDR_LEN)
		goto foreign;
	memcpy(&type, p + 12, 2);
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		memcpy(&type, p + 16, 2);
		off += RTE_VLAN_HLEN;
	}
	/* The four templates (docs/STAMP.md): IPv4 or IPv6, then UDP or TCP. */
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
	} else {
		goto foreign;
	}
	if (proto == IPPROTO_UDP)
		off += sizeof(struct rte_udp_hdr);
	else if (proto == IPPROTO_TCP && len >= off + sizeof(struct rte_tcp_hdr))
		off += (p[off + 12] >> 4) * 4u;
	else
		goto foreign;
	if (len < off + 16)
		goto foreign;
	memcpy(&magic, p + off, 4);
	if (rte_be_to_cpu_32(magic) != STAMP_MAGIC)
		goto foreign;
	memcpy(&vc, p + off + 4, 4);
	vc = rte_be_to_cpu_32(vc);
	if (vc >= st->nb_vcs) {
		st->bad_vc++;
		return;
	}
	memcpy(&seq, p + off + 8, 8);
	seq = rte_be_to_cpu_64(seq);
	v = &st->vcs[vc];
	rx_seq_add(v, seq);
	if (len >= off + STAMP_FULL) {
		memcpy(&ts, p + off + 16, 8);
		ts = rte_be_to_cpu_64(ts);
		if (now_ns > ts)
			gen_latency_add(&st->lat, now_ns - ts, 1);
	} else {
		st->no_ts++;
	}
	return;
foreign:
	st->foreign++;
}

static void
rx_latency_report(const struct rx_state *st)
{
	if (st->lat.count == 0 && st->no_ts == 0) {
		printf("rx latency_ns: unavailable: no condis-gen frame\n");
		return;
	}
	if (st->lat.count == 0) {
		printf("rx latency_ns: unavailable: the %" PRIu64 " frames carry no timestamp: it "
		       "needs frames of %u bytes incl. FCS or more (docs/STAMP.md)\n",
		       st->no_ts, STAMP_TS_MIN_FRAME);
		return;
	}
	printf("rx latency_ns: count=%" PRIu64 " p50=%" PRIu64 " p99=%" PRIu64 " max=%" PRIu64
	       " (stamp to receive, same host clock; %" PRIu64 " frames without timestamp)\n",
	       st->lat.count, gen_latency_quantile(&st->lat, 0.5),
	       gen_latency_quantile(&st->lat, 0.99), st->lat.max, st->no_ts);
}

/* --json: the "rx" section (docs/OUTPUT.md), and the end of the document. */
static void
rx_json(const struct gen_options *opt, const struct rx_state *st, double secs, int rc,
	const char *failure)
{
	struct gen_json *j = gen_json_begin(opt, "rx");
	struct rx_totals t;
	uint32_t i;

	if (j == NULL)
		return;
	rx_totals(st, &t);
	gj_obj(j, "rx");
	gj_obj(j, "totals");
	gj_u64(j, "frames_received", st->frames);
	gj_u64(j, "frames_stamped", t.frames);
	gj_u64(j, "lost", t.lost);
	gj_u64(j, "duplicated", t.duplicated);
	gj_u64(j, "reordered", t.reordered);
	gj_u64(j, "too_late", t.too_late);
	gj_u64(j, "foreign", st->foreign);
	gj_u64(j, "bad_vc", st->bad_vc);
	gj_u64(j, "no_timestamp", st->no_ts);
	gj_u64(j, "window", RX_SEQ_WINDOW);
	if (st->expect != 0)
		gj_u64(j, "expected_per_vc", st->expect);
	else
		gj_null(j, "expected_per_vc");
	gj_obj_end(j);
	gj_obj(j, "receiver");
	gj_u64(j, "ipackets", st->port.ipackets);
	gj_u64(j, "imissed", st->port.imissed);
	gj_u64(j, "ierrors", st->port.ierrors);
	gj_u64(j, "rx_nombuf", st->port.rx_nombuf);
	gj_obj_end(j);
	gj_arr(j, "vcs");
	for (i = 0; i < st->nb_vcs; i++) {
		const struct rx_seq *v = &st->vcs[i];

		gj_line_obj(j, NULL);
		gj_u64(j, "id", i);
		gj_u64(j, "frames", v->frames);
		gj_u64(j, "next_seq", v->next);
		gj_u64(j, "lost", rx_seq_lost(v, st->expect));
		gj_u64(j, "duplicated", v->duplicated);
		gj_u64(j, "reordered", v->reordered);
		gj_u64(j, "too_late", v->too_late);
		gj_line_obj_end(j);
	}
	gj_arr_end(j);
	gj_obj(j, "rates");
	gj_dbl(j, "elapsed_s", secs);
	gj_dbl(j, "rx_pps", secs > 0 ? (double)t.frames / secs : 0);
	gj_obj_end(j);
	gen_json_latency(j, "latency", &st->lat, 1, "stamp to receive, same host clock");
	gj_obj_end(j);
	gen_json_close(rc, failure);
}

/* Print the report; returns the exit status (see the rx part of --help). */
static int
rx_report(const struct gen_options *opt, const struct rx_state *st, double secs)
{
	uint64_t dropped = st->port.imissed + st->port.ierrors + st->port.rx_nombuf;
	const char *failure = NULL;
	struct rx_totals t;
	uint32_t i;

	rx_totals(st, &t);
	for (i = 0; i < st->nb_vcs && (opt->per_vc || i < 16); i++) {
		const struct rx_seq *v = &st->vcs[i];

		printf("rx vc %u: frames=%" PRIu64 " next_seq=%" PRIu64 " lost=%" PRIu64
		       " duplicated=%" PRIu64 " reordered=%" PRIu64 " too_late=%" PRIu64 "\n", i,
		       v->frames, v->next, rx_seq_lost(v, st->expect), v->duplicated,
		       v->reordered, v->too_late);
	}
	printf("rx total: frames=%" PRIu64 " stamped=%" PRIu64 " lost=%" PRIu64
	       " duplicated=%" PRIu64 " reordered=%" PRIu64 " too_late=%" PRIu64
	       " foreign=%" PRIu64 " bad_vc=%" PRIu64 " elapsed_s=%.3f mpps=%.3f\n",
	       st->frames, t.frames, t.lost, t.duplicated, t.reordered, t.too_late,
	       st->foreign, st->bad_vc, secs, secs > 0 ? (double)t.frames / secs / 1e6 : 0);
	printf("rx receiver: ipackets=%" PRIu64 " imissed=%" PRIu64 " ierrors=%" PRIu64
	       " rx_nombuf=%" PRIu64 " (dropped by this port, not on the path)\n",
	       st->port.ipackets, st->port.imissed, st->port.ierrors, st->port.rx_nombuf);
	rx_latency_report(st);
	if (t.frames + st->bad_vc == 0) {
		failure = "no condis-gen frame arrived";
		fprintf(stderr, "condis-gen --rx: FAIL: %s\n", failure);
	}
	if (st->bad_vc != 0) {
		failure = "frames for VCs this receiver does not expect";
		fprintf(stderr, "condis-gen --rx: FAIL: %" PRIu64 " frames for VCs this receiver "
			"does not expect (--vcs %u: VC ids 0..%u)\n", st->bad_vc, st->nb_vcs,
			st->nb_vcs - 1);
	}
	if (t.lost != 0) {
		failure = failure != NULL ? failure : "frames lost";
		fprintf(stderr, "condis-gen --rx: FAIL: %" PRIu64 " frames lost (sequence numbers "
			"never received%s)", t.lost, st->expect != 0 ? ", up to --count" : "");
		if (dropped != 0)
			fprintf(stderr, "; this port dropped %" PRIu64 " frames itself "
				"(imissed, ierrors, rx_nombuf)", dropped);
		fputc('\n', stderr);
	}
	if (t.duplicated != 0) {
		failure = failure != NULL ? failure : "frames duplicated";
		fprintf(stderr, "condis-gen --rx: FAIL: %" PRIu64 " frames duplicated\n",
			t.duplicated);
	}
	if (t.reordered != 0) {
		failure = failure != NULL ? failure : "frames reordered";
		fprintf(stderr, "condis-gen --rx: FAIL: %" PRIu64 " frames reordered (arrived "
			"after a higher sequence number)\n", t.reordered);
	}
	if (t.too_late != 0) {
		failure = failure != NULL ? failure : "frames too late";
		fprintf(stderr, "condis-gen --rx: FAIL: %" PRIu64 " frames more than %u sequence "
			"numbers late (duplicated or reordered)\n", t.too_late, RX_SEQ_WINDOW);
	}
	rx_json(opt, st, secs, failure != NULL, failure);
	return failure != NULL;
}

int
gen_rx_main(const struct gen_options *opt)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *pkts[RX_BURST];
	struct rte_mempool *mp;
	struct rx_state st = { .nb_vcs = opt->vcs, .expect = opt->count };
	uint64_t hz = (uint64_t)gen_tsc_hz(), start, first_rx = 0, last_rx, now, end, stamped = 0;
	uint64_t idle = (uint64_t)(opt->rx_idle_s * (double)hz);
	int socket = rte_eth_dev_socket_id(opt->port_id), rc;

	st.vcs = calloc(opt->vcs, sizeof(*st.vcs));
	mp = rte_pktmbuf_pool_create("gen_rx", RX_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     socket < 0 ? (int)rte_socket_id() : socket);
	if (st.vcs == NULL || mp == NULL ||
	    rte_eth_dev_configure(opt->port_id, 1, 1, &conf) != 0 ||
	    (opt->mtu != 0 && rte_eth_dev_set_mtu(opt->port_id, (uint16_t)opt->mtu) != 0) ||
	    rte_eth_rx_queue_setup(opt->port_id, 0, 1024, socket, NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(opt->port_id, 0, 512, socket, NULL) != 0 ||
	    rte_eth_dev_start(opt->port_id) != 0) {
		fprintf(stderr, "condis-gen --rx: cannot set up port %u\n", opt->port_id);
		free(st.vcs);
		rte_mempool_free(mp);
		return 1;
	}
	rte_eth_promiscuous_enable(opt->port_id);
	gen_latency_init(&st.lat);
	/* A receiver started before its peer waits for the link, then idles. */
	if (opt->wait_link_s > 0 && !gen_wait_link(opt->port_id, opt->wait_link_s) && !gen_stop)
		printf("condis-gen: port %u: link still down after %.1f s, receiving anyway\n",
		       opt->port_id, opt->wait_link_s);
	gen_json_port_snapshot(opt->port_id, NULL); /* started: its link now */
	printf("condis-gen: receiving on port %u, %u VC(s); stops on SIGINT", opt->port_id, opt->vcs);
	if (opt->rx_idle_s > 0)
		printf(", after %.1f s without a condis-gen frame", opt->rx_idle_s);
	if (opt->duration > 0)
		printf(", after %.1f s", opt->duration);
	printf("\n");
	fflush(stdout);
	start = last_rx = rte_rdtsc();
	end = opt->duration > 0 ? start + (uint64_t)(opt->duration * (double)hz) : UINT64_MAX;
	for (now = start; !gen_stop && now < end; now = rte_rdtsc()) {
		uint16_t n = rte_eth_rx_burst(opt->port_id, 0, pkts, RX_BURST), i;
		uint64_t now_ns = n ? gen_tsc_to_ns(now) : 0;

		for (i = 0; i < n; i++) {
			rx_frame(&st, pkts[i], now_ns);
			rte_pktmbuf_free(pkts[i]);
		}
		/* Only condis-gen frames reset the idle clock: a port that
		 * delivers other traffic (net_null: endless) must still stop. */
		if (st.frames - st.foreign != stamped) {
			stamped = st.frames - st.foreign;
			if (first_rx == 0)
				first_rx = now;
			last_rx = now;
		} else if (idle != 0 && now - last_rx > idle) {
			break;
		}
	}
	if (rte_eth_stats_get(opt->port_id, &st.port) != 0)
		memset(&st.port, 0, sizeof(st.port));
	rc = rx_report(opt, &st, first_rx ? (double)(last_rx - first_rx) / (double)hz : 0);
	rte_eth_dev_stop(opt->port_id);
	rte_eth_dev_close(opt->port_id);
	rte_mempool_free(mp);
	free(st.vcs);
	return rc;
}
