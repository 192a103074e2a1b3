/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: the send path over net_ring (rte_eth_from_rings). The PMD
 * leaves every mbuf in the TX ring until the test dequeues and frees it, so
 * completion is under test control (spec pitfalls 1, 8, 16): deferred
 * completion, back-pressure, partial acceptance, order under retry,
 * deactivation pending on the drain, adapter close with NBLs stuck.
 * Every case skips without librte_net_ring (tu_need_net_ring).
 */
#include <string.h>

#include <rte_ring.h>

#include <condis/condis_miniport.h> /* condis_adapter_set_queue_owner() */

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

#define MAXSEQ 256

static struct condis_protocol *proto;

struct rport {
	struct rte_ring *rx, *tx;
	int port;
	struct condis_adapter *ad;
	/* wire log */
	uint32_t next_seq[4];          /* per-VC expected next sequence */
	bool drained[4][MAXSEQ];       /* frame (vc, seq) dequeued and freed */
	unsigned int frames;
	int order_errors, byte_errors;
	uint32_t len_of[4][MAXSEQ];    /* expected frame length per (vc, seq) */
};

static bool
rport_open(struct rport *rp, unsigned int cap)
{
	memset(rp, 0, sizeof(*rp));
	rp->rx = rte_ring_create(tu_name("rrx"), cap, SOCKET_ID_ANY,
				 RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	rp->tx = rte_ring_create(tu_name("rtx"), cap, SOCKET_ID_ANY,
				 RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (rp->rx == NULL || rp->tx == NULL)
		return false;
	rp->port = tu_eth_from_rings(tu_name("rport"), &rp->rx, 1, &rp->tx, 1, rte_socket_id());
	if (rp->port < 0) {
		fprintf(stderr, "rte_eth_from_rings: %s\n", rte_strerror(rte_errno));
		return false;
	}
	rp->ad = tu_open((uint16_t)rp->port, 1);
	if (rp->ad == NULL) {
		fprintf(stderr, "condis_ethdev_open: %s\n", rte_strerror(rte_errno));
		return false;
	}
	return true;
}

/* Dequeue up to n frames, check bytes and per-VC order, free them. */
static unsigned int
rport_drain(struct rport *rp, unsigned int n)
{
	struct rte_mbuf *m[64];
	unsigned int got, i;

	n = RTE_MIN(n, RTE_DIM(m));
	got = rte_ring_dequeue_burst(rp->tx, (void **)m, n, NULL);
	for (i = 0; i < got; i++) {
		uint8_t buf[2048];
		const uint8_t *p;
		uint32_t vc, seq, len = rte_pktmbuf_pkt_len(m[i]);

		p = rte_pktmbuf_read(m[i], 0, RTE_MIN(len, sizeof(buf)), buf);
		if (p == NULL || !tu_frame_parse(p, len, &vc, &seq) || vc >= 4 || seq >= MAXSEQ) {
			fprintf(stderr, "ring: unexpected frame of %u bytes\n", len);
			rp->byte_errors++;
		} else {
			if (seq != rp->next_seq[vc]) {
				fprintf(stderr, "ring: VC %u frame seq %u, expected %u (spec 73-76)\n",
					vc, seq, rp->next_seq[vc]);
				rp->order_errors++;
			}
			rp->next_seq[vc] = seq + 1;
			if (rp->drained[vc][seq]) {
				fprintf(stderr, "ring: VC %u seq %u on the wire twice\n", vc, seq);
				rp->order_errors++;
			}
			rp->drained[vc][seq] = true;
			if (rp->len_of[vc][seq] != 0 && len != rp->len_of[vc][seq]) {
				fprintf(stderr, "ring: VC %u seq %u: %u bytes, expected %u\n", vc, seq,
					len, rp->len_of[vc][seq]);
				rp->byte_errors++;
			} else if (tu_frame_diff(p, vc, seq, len) >= 0) {
				fprintf(stderr, "ring: VC %u seq %u: byte %ld differs\n", vc, seq,
					tu_frame_diff(p, vc, seq, len));
				rp->byte_errors++;
			}
		}
		rte_pktmbuf_free(m[i]);
		rp->frames++;
	}
	return got;
}

/* Every completed NBL (single-NB, tag = (vc, seq)) was drained first. */
static int
completed_before_drain(struct rport *rp)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < tu_n_tracks; i++) {
		struct tu_track *t = &tu_tracks[i];

		if (t->completions == 0 || t->status != CONDIS_STATUS_SUCCESS)
			continue;
		if (!rp->drained[t->sent_on->id][t->seq]) {
			fprintf(stderr, "NBL VC %d seq %u completed SUCCESS before its frame left the ring (pitfall 1)\n",
				t->sent_on->id, t->seq);
			bad++;
		}
	}
	return bad;
}

/* A chain of n single-NB data NBLs for VC tv, seq from..from+n-1; tags set. */
static struct condis_nbl *
seq_chain(struct rport *rp, struct tu_pools *tp, struct tu_vc *tv, uint32_t from, unsigned int n,
	  struct condis_nbl **out)
{
	struct condis_nbl *head = NULL, **tail = &head;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t len = 60 + ((from + i) * 29) % 900;
		struct condis_nbl *nbl = tu_data_nbl(tp, len, (uint32_t)tv->id, from + i);

		if (nbl == NULL)
			return NULL;
		rp->len_of[tv->id][from + i] = len;
		out[i] = nbl;
		*tail = nbl;
		tail = &nbl->next;
	}
	return head;
}

/* Send a chain and set each track's tag to its sequence number. */
static int
send_seq(struct tu_vc *tv, struct condis_nbl *chain, uint32_t from)
{
	unsigned int first = tu_n_tracks, i;
	int rc = tu_send(tv, chain);

	for (i = first; i < tu_n_tracks; i++)
		tu_tracks[i].seq = from + (i - first);
	return rc;
}

/* pitfall 1, 16, spec 66: nothing completes while the mbufs sit in the ring */
static void
test_deferred_completion(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *nbls[4];
	struct condis_vc_stats st;
	unsigned int i;

	tu_reset();
	CHECK(rport_open(&rp, 32));
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	CHECK(seq_chain(&rp, &tp, &tv, 0, 4, nbls) != NULL);
	CHECK_EQ(send_seq(&tv, nbls[0], 0), 0);
	for (i = 0; i < 10; i++)
		tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 4);
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.in_flight, 4);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.nbs_tx, 4);
	/* free two: exactly those two complete (spec 65) */
	/* an MDL whose carrier the device holds can't be freed (condis_mdl_free) */
	CHECK_EQ(condis_mdl_free(nbls[3]->first_nb->mdl_chain), -EINVAL); /* preallocated */
	CHECK_EQ(rport_drain(&rp, 2), 2);
	for (i = 0; i < 3; i++)
		tu_poll_all(rp.ad);
	CHECK_EQ(tu_completed, 2);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 1);
	CHECK_EQ(tu_tracks[2].completions, 0);
	CHECK_EQ(rport_drain(&rp, 8), 2);
	CHECK(tu_poll_until_done(rp.ad, 100));
	for (i = 0; i < 4; i++)
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(completed_before_drain(&rp), 0);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	tu_close(rp.ad);
	for (i = 0; i < 4; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
}

/* condis_mdl_free: -EBUSY while the MDL's carrier is held by a send (spec 48) */
static void
test_mdl_busy(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *nbl;
	struct condis_nb *nb;

	tu_reset();
	CHECK(rport_open(&rp, 32));
	CHECK(tu_pools_create(&tp, 8));
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	nbl = condis_nbl_alloc(tp.bare);
	nb = tu_multi_nb(&tp, 200, 2, 0, 0);
	CHECK(nbl && nb);
	rp.len_of[0][0] = 200;
	nbl->first_nb = nb;
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 1);
	CHECK_EQ(condis_mdl_free(nb->mdl_chain), -EBUSY);
	CHECK_EQ(condis_mdl_free(nb->mdl_chain->next), -EBUSY);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), -EBUSY);
	CHECK_EQ(rport_drain(&rp, 8), 1);
	CHECK(tu_poll_until_done(rp.ad, 100));
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(rp.byte_errors, 0);
	CHECK_EQ(tu_free_nbl(nbl, true), 0);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
}

/* spec 52, 73, 76, pitfall 8: back-pressure, partial acceptance, order under
 * retry, later sends never overtake queued ones */
static void
test_backpressure_order(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv[2];
	struct condis_nbl *nbls[2][40];
	struct condis_vc_stats st0, st1;
	struct condis_ethdev_queue_stats qs;
	unsigned int i, iter;
	bool sent_more = false;
	uint64_t first_backlog;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 64));
	CHECK(tu_vc_up(&tv[0], 0, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, rp.ad, 0));
	CHECK(seq_chain(&rp, &tp, &tv[0], 0, 10, nbls[0]) != NULL);
	CHECK(seq_chain(&rp, &tp, &tv[1], 0, 10, nbls[1]) != NULL);
	CHECK_EQ(send_seq(&tv[0], nbls[0][0], 0), 0);
	CHECK_EQ(send_seq(&tv[1], nbls[1][0], 0), 0);
	tu_poll_all(rp.ad);
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8);
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(condis_vc_stats_get(tv[0].vc, &st0), 0);
	CHECK_EQ(condis_vc_stats_get(tv[1].vc, &st1), 0);
	CHECK_EQ(st0.in_flight + st1.in_flight, 20);
	CHECK_EQ(st0.queued + st1.queued, 12); /* 8 reached the device */
	CHECK_EQ(condis_ethdev_queue_stats_get(rp.ad, 0, &qs), 0);
	printf("note: after the first polls: bursts %" PRIu64 " partial %" PRIu64 " backlog %" PRIu64 "\n",
	       qs.bursts, qs.partial, qs.backlog_nbls);
	CHECK_EQ(qs.pkts, 8);
	CHECK(qs.partial > 0);       /* 20 offered, 8 taken */
	first_backlog = qs.backlog_nbls; /* checked at the end */

	/* drain in small steps; halfway, VC 0 sends more (must queue behind) */
	for (iter = 0; iter < 1000 && (tu_outstanding() != 0 || rte_ring_count(rp.tx)); iter++) {
		rport_drain(&rp, 3);
		tu_poll_all(rp.ad);
		CHECK_EQ(completed_before_drain(&rp), 0);
		if (!sent_more && rp.frames >= 6) {
			CHECK(seq_chain(&rp, &tp, &tv[0], 10, 5, &nbls[0][10]) != NULL);
			CHECK_EQ(send_seq(&tv[0], nbls[0][10], 10), 0);
			sent_more = true;
		}
	}
	CHECK(sent_more);
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(rp.frames, 25);
	CHECK_EQ(rp.next_seq[0], 15);
	CHECK_EQ(rp.next_seq[1], 10);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	for (i = 0; i < tu_n_tracks; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(condis_ethdev_queue_stats_get(rp.ad, 0, &qs), 0);
	CHECK_EQ(qs.pkts, 25);
	CHECK_EQ(tu_cb_errors, 0);
	/* condis_ethdev_queue_stats.backlog_nbls: "NBLs that waited in a VC
	 * FIFO": 12 did after the first polls */
	CHECK(first_backlog > 0);
	CHECK(qs.backlog_nbls >= 12);
	tu_close(rp.ad);
	for (i = 0; i < 15; i++)
		CHECK_EQ(condis_nbl_free(nbls[0][i]), 0);
	for (i = 0; i < 10; i++)
		CHECK_EQ(condis_nbl_free(nbls[1][i]), 0);
}

/* spec 72, 74, pitfall 8: an NBL whose NBs straddle bursts completes only
 * when its last NB is released; NB order inside the NBL holds */
static void
test_straddle(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *nbls[7], **tail, *head = NULL;
	unsigned int j, k, iter;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 32));
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	tail = &head;
	for (j = 0; j < 7; j++) {
		struct condis_nb **nt;

		nbls[j] = condis_nbl_alloc(tp.bare);
		CHECK(nbls[j] != NULL);
		nt = &nbls[j]->first_nb;
		for (k = 0; k < 3; k++) {
			uint32_t seq = j * 3 + k, len = 64 + seq * 10;
			struct condis_nb *nb = tu_multi_nb(&tp, len, 1 + k, 0, seq);

			CHECK(nb != NULL);
			rp.len_of[0][seq] = len;
			*nt = nb;
			nt = &nb->next;
		}
		*tail = nbls[j];
		tail = &nbls[j]->next;
	}
	CHECK_EQ(tu_send(&tv, head), 0);
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8);
	CHECK_EQ(tu_completed, 0);
	/* release NBs 0-7: NBLs 0 and 1 are whole, NBL 2 still has NB 8 out */
	CHECK_EQ(rport_drain(&rp, 8), 8);
	tu_poll_all(rp.ad);
	tu_poll_all(rp.ad);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 1);
	CHECK_EQ(tu_tracks[2].completions, 0);
	CHECK_EQ(tu_completed, 2);
	for (iter = 0; iter < 1000 && tu_outstanding() != 0; iter++) {
		rport_drain(&rp, 5);
		tu_poll_all(rp.ad);
		/* NBL j is complete only if NB 3j+2 was released */
		for (j = 0; j < 7; j++)
			if (tu_tracks[j].completions != 0 && !rp.drained[0][j * 3 + 2]) {
				fprintf(stderr, "NBL %u completed before its last NB was released\n", j);
				CHECK(0);
			}
	}
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(rp.frames, 21);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	for (j = 0; j < 7; j++)
		CHECK_EQ(tu_tracks[j].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
	for (j = 0; j < 7; j++)
		CHECK_EQ(tu_free_nbl(nbls[j], true), 0);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
}

/* spec 25, 49, 86-87, pitfall 12 on a device that takes chained mbufs
 * (net_ring offers MULTI_SEGS): software 802.1Q tag and zero padding */
static void
test_vlan_and_pad(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *tagged, *shortf, *both;
	struct rte_mbuf *m[4];
	uint8_t buf[2048];
	const uint8_t *p;
	unsigned int n, k;

	tu_reset();
	CHECK(rport_open(&rp, 32));
	CHECK(tu_pools_create(&tp, 8));
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	printf("note: net_ring max_segs %u vlan_hw %d\n", condis_ethdev_max_segs(rp.ad),
	       (int)condis_ethdev_vlan_hw(rp.ad));
	tagged = tu_data_nbl(&tp, 300, 0, 0);
	shortf = tu_data_nbl(&tp, 2048, 0, 1);
	both = tu_data_nbl(&tp, 2048, 0, 2);
	CHECK(tagged && shortf && both);
	tagged->info[CONDIS_NBL_INFO_IEEE8021Q] = condis_8021q_info(100, 5);
	memset(shortf->first_nb->mdl_chain->va, 0xaa, 2048);
	shortf->first_nb->data_length = 42;
	tu_nb_write_frame(shortf->first_nb, 0, 1);
	memset(both->first_nb->mdl_chain->va, 0xaa, 2048);
	both->first_nb->data_length = 30;
	tu_nb_write_frame(both->first_nb, 0, 2);
	both->info[CONDIS_NBL_INFO_IEEE8021Q] = condis_8021q_info(4095, 1);
	tagged->next = shortf;
	shortf->next = both;
	both->next = NULL;
	CHECK_EQ(tu_send(&tv, tagged), 0);
	tu_poll_all(rp.ad);
	for (k = 0; k < 3; k++)
		if (tu_tracks[k].completions != 0)
			fprintf(stderr, "NBL %u completed before the drain: %s\n", k,
				condis_status_name(tu_tracks[k].status));
	CHECK_EQ(tu_completed, 0);
	n = rte_ring_dequeue_burst(rp.tx, (void **)m, 4, NULL);
	CHECK_EQ(n, 3);
	/* tagged: 802.1Q TPID then TCI = PCP 5 | VID 100 (pitfall 12), then the frame from byte 12 */
	CHECK_EQ(rte_pktmbuf_pkt_len(m[0]), 304);
	p = rte_pktmbuf_read(m[0], 0, 304, buf);
	CHECK(p != NULL);
	CHECK_EQ(p[12] << 8 | p[13], 0x8100);
	CHECK_EQ(p[14] << 8 | p[15], 0xA064);
	CHECK_EQ(tu_frame_diff(p, 0, 0, 12), -1);
	for (k = 12; k < 300; k++)
		CHECK_EQ(p[k + 4], tu_frame_byte(0, 0, 300, k));
	/* short: 42 bytes + 18 zero bytes (spec 86-87) */
	CHECK_EQ(rte_pktmbuf_pkt_len(m[1]), 60);
	p = rte_pktmbuf_read(m[1], 0, 60, buf);
	CHECK(p != NULL);
	for (k = 0; k < 42; k++)
		CHECK_EQ(p[k], tu_frame_byte(0, 1, 42, k));
	for (k = 42; k < 60; k++)
		CHECK_EQ(p[k], 0);
	/* short + tag: tag inserted, and at least 60 bytes (pad before or after
	 * the tag; the spec does not say), zero fill */
	CHECK(rte_pktmbuf_pkt_len(m[2]) >= 60);
	p = rte_pktmbuf_read(m[2], 0, rte_pktmbuf_pkt_len(m[2]), buf);
	CHECK(p != NULL);
	CHECK_EQ(p[14] << 8 | p[15], (1 << 13) | 4095);
	for (k = 34; k < rte_pktmbuf_pkt_len(m[2]); k++)
		CHECK_EQ(p[k], 0);
	for (k = 0; k < n; k++)
		rte_pktmbuf_free(m[k]);
	CHECK(tu_poll_until_done(rp.ad, 100));
	for (k = 0; k < 3; k++)
		CHECK_EQ(tu_tracks[k].status, CONDIS_STATUS_SUCCESS);
	/* the protocol's buffers: untouched past data_length, data_length kept */
	CHECK_EQ(shortf->first_nb->data_length, 42);
	CHECK_EQ(both->first_nb->data_length, 30);
	for (k = 42; k < 2048; k++)
		CHECK_EQ(((uint8_t *)shortf->first_nb->mdl_chain->va)[k], 0xaa);
	for (k = 30; k < 2048; k++)
		CHECK_EQ(((uint8_t *)both->first_nb->mdl_chain->va)[k], 0xaa);
	CHECK_EQ(tu_frame_diff(tagged->first_nb->mdl_chain->va, 0, 0, 300), -1);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
	CHECK_EQ(condis_nbl_free(tagged), 0);
	CHECK_EQ(condis_nbl_free(shortf), 0);
	CHECK_EQ(condis_nbl_free(both), 0);
}

/* spec 20, 50 (clones are sendable): a clone with new (zero-copy) MDLs goes
 * out next to its original; a clone on the original MDLs, sent while the
 * original holds the carrier, completes with RESOURCES (condis_vc.h) and
 * never hangs */
static void
test_clone_send(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *orig, *cnew, *corig;
	struct condis_mdl_pool *zc;
	unsigned int iter;

	tu_reset();
	CHECK(rport_open(&rp, 32));
	CHECK(tu_pools_create(&tp, 8));
	zc = tu_mdl_pool(8, 0);
	CHECK(zc != NULL);
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	orig = tu_data_nbl(&tp, 200, 0, 0);
	CHECK(orig != NULL);
	cnew = condis_nbl_clone(orig, tp.bare, tp.nb, zc, 0);
	corig = condis_nbl_clone(orig, tp.bare, tp.nb, NULL, CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS);
	CHECK(cnew != NULL && corig != NULL);
	CHECK_EQ(orig->child_ref_count, 2);
	orig->next = cnew;
	cnew->next = corig;
	corig->next = NULL;
	CHECK_EQ(tu_send(&tv, orig), 0);
	for (iter = 0; iter < 100 && tu_outstanding() != 0; iter++) {
		struct rte_mbuf *m[8];
		unsigned int n = rte_ring_dequeue_burst(rp.tx, (void **)m, 8, NULL), k;

		for (k = 0; k < n; k++) {
			uint8_t buf[256];
			const uint8_t *p = rte_pktmbuf_read(m[k], 0, 200, buf);

			CHECK_EQ(rte_pktmbuf_pkt_len(m[k]), 200);
			CHECK(p != NULL);
			CHECK_EQ(tu_frame_diff(p, 0, 0, 200), -1);
			rte_pktmbuf_free(m[k]);
			rp.frames++;
		}
		tu_poll_all(rp.ad);
	}
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_SUCCESS);
	if (tu_tracks[2].status != CONDIS_STATUS_RESOURCES)
		printf("note: clone on the original MDLs sent with its original: %s\n",
		       condis_status_name(tu_tracks[2].status));
	CHECK(tu_tracks[2].status == CONDIS_STATUS_RESOURCES ||
	      tu_tracks[2].status == CONDIS_STATUS_SUCCESS);
	CHECK_EQ(rp.frames, tu_tracks[2].status == CONDIS_STATUS_SUCCESS ? 3u : 2u);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_nbl_free_clone(cnew, 0), 0);
	CHECK_EQ(condis_nbl_free_clone(corig, CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS), 0);
	CHECK_EQ(orig->child_ref_count, 0);
	CHECK_EQ(condis_mdl_pool_free(zc), 0);
	CHECK_EQ(condis_nbl_free(orig), 0);
	tu_close(rp.ad);
}

/* spec 37-38, 41, 44: deactivation stays PENDING until the ring is drained */
static void
test_deactivate_pending_drain(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv;
	struct condis_nbl *nbls[12], *late;
	unsigned int i, iter;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 32));
	CHECK(tu_vc_up(&tv, 0, proto, rp.ad, 0));
	CHECK(seq_chain(&rp, &tp, &tv, 0, 12, nbls) != NULL);
	CHECK_EQ(send_seq(&tv, nbls[0], 0), 0);
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8);

	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_PENDING);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_DEACTIVATING);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_CLOSING);
	late = tu_data_nbl(&tp, 100, 0, 200);
	CHECK(late != NULL);
	CHECK_EQ(tu_send1(&tv, late), 0);
	CHECK_EQ(tu_tracks[12].completions, 1);
	CHECK(tu_tracks[12].inline_done);
	CHECK_EQ(tu_tracks[12].status, CONDIS_STATUS_CLOSING);
	tu_tracks[12].seq = 200;
	for (i = 0; i < 10; i++)
		tu_poll_all(rp.ad);
	CHECK_EQ(tv.deact_calls, 0);
	CHECK_EQ(tu_outstanding(), 12);

	for (iter = 0; iter < 1000 && (tu_outstanding() != 0 || tv.deact_calls == 0); iter++) {
		rport_drain(&rp, 3);
		tu_poll_all(rp.ad);
		CHECK_EQ(completed_before_drain(&rp), 0);
		if (tv.deact_calls != 0 && tu_outstanding() != 0) {
			fprintf(stderr, "co_deactivate_complete with %lu sends outstanding (spec 38)\n",
				tu_outstanding());
			CHECK(0);
		}
	}
	/* graceful: the accepted NBLs were all transmitted, in order */
	CHECK_EQ(rp.frames, 12);
	CHECK_EQ(rp.next_seq[0], 12);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	for (i = 0; i < 12; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(tv.deact_calls, 1);
	CHECK_EQ(tv.deact_status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_INACTIVE);
	/* spec 38: nothing more is transmitted */
	CHECK_EQ(tu_send1(&tv, late), 0);
	CHECK_EQ(tu_tracks[13].status, CONDIS_STATUS_VC_NOT_ACTIVATED);
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 0);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
	for (i = 0; i < 12; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_free(late), 0);
}

/* condis_adapter_close with NBLs in the ring and in the VC FIFOs: each
 * completes exactly once; those that never reached the device PAUSED (close pauses first) */
static void
test_close_stuck(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv[2];
	struct condis_nbl *nbls[2][12];
	unsigned long calls;
	unsigned int i, v;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 32));
	CHECK(tu_vc_up(&tv[0], 0, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, rp.ad, 0));
	for (v = 0; v < 2; v++) {
		CHECK(seq_chain(&rp, &tp, &tv[v], 0, 12, nbls[v]) != NULL);
		CHECK_EQ(send_seq(&tv[v], nbls[v][0], 0), 0);
	}
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8);
	CHECK_EQ(tu_completed, 0);

	tu_close(rp.ad);
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_cb_errors, 0);
	calls = tu_calls;
	/* what is in the ring reached the device; now release it */
	while (rport_drain(&rp, 64) != 0)
		;
	CHECK_EQ(tu_calls, calls); /* nothing after close */
	CHECK(rp.frames >= 8);
	CHECK_EQ(rp.order_errors, 0);
	for (i = 0; i < tu_n_tracks; i++) {
		struct tu_track *t = &tu_tracks[i];

		CHECK_EQ(t->completions, 1);
		if (!rp.drained[t->sent_on->id][t->seq]) {
			if (t->status != CONDIS_STATUS_PAUSED)
				fprintf(stderr, "VC %d seq %u never reached the device: status 0x%x\n",
					t->sent_on->id, t->seq, (unsigned int)t->status);
			CHECK_EQ(t->status, CONDIS_STATUS_PAUSED);
		} else {
			CHECK(t->status == CONDIS_STATUS_SUCCESS ||
			      t->status == CONDIS_STATUS_PAUSED);
		}
	}
	for (v = 0; v < 2; v++)
		for (i = 0; i < 12; i++)
			CHECK_EQ(condis_nbl_free(nbls[v][i]), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
}

/* spec 88-92: cancel by id reaches every VC of the binding and only it;
 * queued NBLs with the id complete SEND_ABORTED and never reach the wire,
 * those the device has complete as usual, each exactly once; an id that
 * matches nothing is harmless; a queue owned by another lcore runs the
 * cancel at its owner's next poll. */
static void
test_cancel(void)
{
	static struct rport rp;
	struct condis_protocol *other = condis_protocol_register("func_ring_other", &tu_ops);
	struct tu_pools tp;
	struct tu_vc tv[3];
	struct condis_nbl *nbls[3][12];
	uintptr_t id_a, id_b;
	uint8_t prefix = condis_cancel_id_prefix();
	unsigned int i, v, iter, aborted = 0;
	uint32_t last_seq[3] = { 0, 0, 0 };
	bool seen[3] = { false, false, false };

	tu_reset();
	CHECK(other != NULL);
	CHECK(prefix != 0 && condis_cancel_id_prefix() != prefix); /* never the same twice */
	id_a = ((uintptr_t)prefix << CONDIS_CANCEL_ID_PREFIX_SHIFT) | 1;
	id_b = ((uintptr_t)prefix << CONDIS_CANCEL_ID_PREFIX_SHIFT) | 2;
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 48));
	CHECK(tu_vc_up(&tv[0], 0, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[2], 2, other, rp.ad, 0)); /* another binding */
	for (v = 0; v < 3; v++) {
		CHECK(seq_chain(&rp, &tp, &tv[v], 0, 12, nbls[v]) != NULL);
		for (i = 0; i < 12; i++)
			condis_nbl_set_cancel_id(nbls[v][i], v == 0 && i % 2 ? id_b : id_a);
		CHECK_EQ(condis_nbl_cancel_id(nbls[v][0]), id_a);
		CHECK_EQ(send_seq(&tv[v], nbls[v][0], 0), 0);
	}
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8); /* VC 0's first 8; 28 NBLs wait in FIFOs */
	CHECK_EQ(condis_cancel_send_nbls(NULL, rp.ad, id_a), -EINVAL);
	CHECK_EQ(condis_cancel_send_nbls(proto, NULL, id_a), -EINVAL);
	CHECK_EQ(condis_cancel_send_nbls(proto, rp.ad, 0), -EINVAL);
	/* Nothing carries this id: nothing happens. */
	CHECK_EQ(condis_cancel_send_nbls(proto, rp.ad, id_a + 100), 0);
	CHECK_EQ(tu_completed, 0);
	/* The queue's owner is another lcore: the cancel waits for its poll. */
	CHECK_EQ(condis_adapter_set_queue_owner(rp.ad, 0, rte_lcore_id() + 1), 0);
	CHECK_EQ(condis_cancel_send_nbls(proto, rp.ad, id_a), 0);
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(condis_adapter_set_queue_owner(rp.ad, 0, rte_lcore_id()), 0);
	tu_poll_all(rp.ad);
	/* VC 0: 8..11 queued, of which 8 and 10 carry id_a; VC 1: all 12. */
	CHECK_EQ(tu_completed, 14);
	for (iter = 0; iter < 1000 && (tu_outstanding() != 0 || rte_ring_count(rp.tx)); iter++) {
		struct rte_mbuf *m[8];
		unsigned int n = rte_ring_dequeue_burst(rp.tx, (void **)m, 8, NULL), k;

		for (k = 0; k < n; k++) {
			uint8_t buf[2048];
			uint32_t len = rte_pktmbuf_pkt_len(m[k]), vc, seq;
			const uint8_t *p = rte_pktmbuf_read(m[k], 0, RTE_MIN(len, sizeof(buf)), buf);

			CHECK(p != NULL && tu_frame_parse(p, len, &vc, &seq) && vc < 3);
			CHECK(!seen[vc] || seq > last_seq[vc]); /* order kept around the gaps */
			seen[vc] = true;
			last_seq[vc] = seq;
			rp.drained[vc][seq] = true;
			rte_pktmbuf_free(m[k]);
		}
		tu_poll_all(rp.ad);
	}
	CHECK_EQ(tu_outstanding(), 0);
	for (i = 0; i < tu_n_tracks; i++) {
		struct tu_track *t = &tu_tracks[i];
		int vc = t->sent_on->id;
		bool cancelled = vc == 1 || (vc == 0 && t->seq >= 8 && t->seq % 2 == 0);

		CHECK_EQ(t->completions, 1);
		CHECK_EQ(t->status, cancelled ? CONDIS_STATUS_SEND_ABORTED : CONDIS_STATUS_SUCCESS);
		CHECK_EQ(rp.drained[vc][t->seq], !cancelled);
		aborted += cancelled;
	}
	CHECK_EQ(aborted, 14);
	CHECK_EQ(tu_cb_errors, 0);
	for (v = 0; v < 3; v++)
		CHECK_EQ(condis_vc_deactivate(tv[v].vc), CONDIS_STATUS_SUCCESS);
	for (v = 0; v < 3; v++)
		CHECK_EQ(condis_vc_delete(tv[v].vc), CONDIS_STATUS_SUCCESS);
	tu_close(rp.ad);
	for (v = 0; v < 3; v++)
		for (i = 0; i < 12; i++)
			CHECK_EQ(condis_nbl_free(nbls[v][i]), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_protocol_deregister(other), 0);
}

/* spec 95-99: a pause completes queued NBLs PAUSED and sends made while
 * pausing or paused at once PAUSED; those in the device complete as it
 * frees them, and the pause completes with the last; VCs stay active; a
 * restart accepts sends again. */
static void
test_pause_restart(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv[2];
	struct condis_nbl *nbls[2][12], *late[2];
	unsigned int i, v, iter, paused = 0, ok = 0;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 32));
	CHECK(tu_vc_up(&tv[0], 0, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, rp.ad, 0));
	CHECK_EQ(condis_adapter_state(rp.ad), CONDIS_ADAPTER_RUNNING);
	CHECK_EQ(condis_adapter_restart(rp.ad), CONDIS_STATUS_FAILURE); /* not paused */
	for (v = 0; v < 2; v++) {
		CHECK(seq_chain(&rp, &tp, &tv[v], 0, 12, nbls[v]) != NULL);
		CHECK_EQ(send_seq(&tv[v], nbls[v][0], 0), 0);
	}
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8);
	CHECK_EQ(condis_adapter_pause(rp.ad), CONDIS_STATUS_PENDING); /* 8 in the device */
	CHECK_EQ(condis_adapter_state(rp.ad), CONDIS_ADAPTER_PAUSING);
	CHECK_EQ(condis_adapter_pause(rp.ad), CONDIS_STATUS_FAILURE);
	CHECK_EQ(condis_adapter_restart(rp.ad), CONDIS_STATUS_FAILURE); /* still pausing */
	tu_poll_all(rp.ad);
	CHECK_EQ(tu_completed, 16); /* the queued ones: PAUSED */
	/* A send while pausing completes at once, PAUSED; the VC stays active. */
	CHECK(seq_chain(&rp, &tp, &tv[0], 12, 1, &late[0]) != NULL);
	CHECK_EQ(send_seq(&tv[0], late[0], 12), 0);
	CHECK_EQ(tu_completed, 17);
	CHECK_EQ(tu_tracks[tu_n_tracks - 1].status, CONDIS_STATUS_PAUSED);
	CHECK_EQ(condis_vc_state(tv[0].vc), CONDIS_VC_ACTIVE);
	for (iter = 0; iter < 100 && condis_adapter_state(rp.ad) != CONDIS_ADAPTER_PAUSED; iter++) {
		rport_drain(&rp, 3);
		tu_poll_all(rp.ad);
	}
	CHECK_EQ(condis_adapter_state(rp.ad), CONDIS_ADAPTER_PAUSED);
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(rp.frames, 8);
	for (i = 0; i < tu_n_tracks; i++) {
		struct tu_track *t = &tu_tracks[i];

		CHECK_EQ(t->completions, 1);
		CHECK_EQ(t->status, rp.drained[t->sent_on->id][t->seq] ? CONDIS_STATUS_SUCCESS :
			 CONDIS_STATUS_PAUSED);
		paused += t->status == CONDIS_STATUS_PAUSED;
	}
	CHECK_EQ(paused, 17);
	/* Restart: sends go out again, in order. */
	CHECK_EQ(condis_adapter_restart(rp.ad), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_adapter_state(rp.ad), CONDIS_ADAPTER_RUNNING);
	CHECK(seq_chain(&rp, &tp, &tv[1], 8, 1, &late[1]) != NULL);
	rp.next_seq[1] = 8; /* 8..11 of VC 1 never reached the wire */
	CHECK_EQ(send_seq(&tv[1], late[1], 8), 0);
	for (iter = 0; iter < 100 && tu_outstanding() != 0; iter++) {
		rport_drain(&rp, 8);
		tu_poll_all(rp.ad);
	}
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_tracks[tu_n_tracks - 1].status, CONDIS_STATUS_SUCCESS);
	for (i = 0; i < tu_n_tracks; i++)
		ok += tu_tracks[i].status == CONDIS_STATUS_SUCCESS;
	CHECK_EQ(ok, 9);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < 12; i++)
			CHECK_EQ(condis_nbl_free(nbls[v][i]), 0);
		CHECK_EQ(condis_nbl_free(late[v]), 0);
	}
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
}

/* spec 100-104: a reset tells protocols RESET_START and RESET_END, completes
 * what is queued and what the device still keeps with RESET_IN_PROGRESS,
 * each once, refuses a reset during a reset, waits for an owner on another
 * lcore, and leaves the adapter sending. */
static void
test_reset(void)
{
	static struct rport rp;
	struct tu_pools tp;
	struct tu_vc tv[2];
	struct condis_nbl *nbls[2][12], *after[2];
	unsigned int i, v, iter;

	tu_reset();
	CHECK(rport_open(&rp, 8));
	CHECK(tu_pools_create(&tp, 32));
	CHECK(tu_vc_up(&tv[0], 0, proto, rp.ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, rp.ad, 0));
	for (v = 0; v < 2; v++) {
		CHECK(seq_chain(&rp, &tp, &tv[v], 0, 12, nbls[v]) != NULL);
		CHECK_EQ(send_seq(&tv[v], nbls[v][0], 0), 0);
	}
	tu_poll_all(rp.ad);
	CHECK_EQ(rte_ring_count(rp.tx), 8); /* kept by the ring: a hung device */
	CHECK_EQ(tu_completed, 0);
	/* An owner on another lcore: the reset waits for its poll. */
	CHECK_EQ(condis_adapter_set_queue_owner(rp.ad, 0, rte_lcore_id() + 1), 0);
	CHECK_EQ(condis_adapter_reset(rp.ad), CONDIS_STATUS_PENDING);
	CHECK(condis_adapter_resetting(rp.ad));
	CHECK_EQ(tv[0].resets_started, 1);
	CHECK(tv[0].in_reset && tv[1].in_reset);
	CHECK_EQ(condis_adapter_reset(rp.ad), CONDIS_STATUS_RESET_IN_PROGRESS); /* spec 101 */
	CHECK_EQ(tv[1].resets_started, 1);
	CHECK_EQ(condis_adapter_set_queue_owner(rp.ad, 0, rte_lcore_id()), 0);
	tu_poll_all(rp.ad); /* the owner parks, last: the reset finishes here */
	CHECK(!condis_adapter_resetting(rp.ad));
	for (v = 0; v < 2; v++) {
		CHECK_EQ(tv[v].resets_ended, 1);
		CHECK(!tv[v].in_reset);
	}
	tu_poll_all(rp.ad); /* hands back what the reset completed */
	CHECK_EQ(tu_outstanding(), 0);
	for (i = 0; i < tu_n_tracks; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_RESET_IN_PROGRESS);
	}
	CHECK_EQ(condis_adapter_state(rp.ad), CONDIS_ADAPTER_RUNNING);
	/* The frames the ring kept leave late; nothing completes twice. */
	while (rport_drain(&rp, 64) != 0)
		tu_poll_all(rp.ad);
	CHECK_EQ(rp.frames, 8);
	/* And the adapter sends again, now with nothing queued: synchronous. */
	for (v = 0; v < 2; v++) {
		CHECK(seq_chain(&rp, &tp, &tv[v], 12, 1, &after[v]) != NULL);
		CHECK_EQ(send_seq(&tv[v], after[v], 12), 0);
	}
	rp.next_seq[0] = rp.next_seq[1] = 12;
	for (iter = 0; iter < 100 && tu_outstanding() != 0; iter++) {
		rport_drain(&rp, 8);
		tu_poll_all(rp.ad);
	}
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_tracks[tu_n_tracks - 1].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_tracks[tu_n_tracks - 2].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_adapter_reset(rp.ad), CONDIS_STATUS_SUCCESS); /* idle: at once */
	CHECK_EQ(tv[0].resets_ended, 2);
	CHECK_EQ(rp.order_errors, 0);
	CHECK_EQ(rp.byte_errors, 0);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(rp.ad);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < 12; i++)
			CHECK_EQ(condis_nbl_free(nbls[v][i]), 0);
		CHECK_EQ(condis_nbl_free(after[v]), 0);
	}
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "deferred completion until the ring is drained (pitfall 1, 16; spec 65-66)",
		  test_deferred_completion, tu_need_net_ring },
		{ "MDL held by the device: free -EBUSY (spec 48)",
		  test_mdl_busy, tu_need_net_ring },
		{ "back-pressure, partial acceptance, order under retry (spec 52, 73, 76; pitfall 8)",
		  test_backpressure_order, tu_need_net_ring },
		{ "NBL straddling bursts completes with its last NB (spec 72, 74; pitfall 8)",
		  test_straddle, tu_need_net_ring },
		{ "software 802.1Q tag and padding on a multi-seg device (spec 25, 86-87, pitfall 12)",
		  test_vlan_and_pad, tu_need_net_ring },
		{ "clones sent next to their original (spec 20, 50)",
		  test_clone_send, tu_need_net_ring },
		{ "deactivation PENDING until drain, CLOSING, then complete (spec 37-38, 41, 44)",
		  test_deactivate_pending_drain, tu_need_net_ring },
		{ "adapter close with NBLs stuck in ring and FIFO (spec 60)",
		  test_close_stuck, tu_need_net_ring },
		{ "cancel by id: the binding's queued NBLs SEND_ABORTED, once (spec 88-92)",
		  test_cancel, tu_need_net_ring },
		{ "pause: queued and new sends PAUSED, device ones complete, restart (spec 95-99)",
		  test_pause_restart, tu_need_net_ring },
		{ "reset: RESET_START/END, queued and held NBLs RESET_IN_PROGRESS (spec 100-104)",
		  test_reset, tu_need_net_ring },
	};

	(void)argc;
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	proto = condis_protocol_register("func_ring", &tu_ops);
	if (proto == NULL)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
