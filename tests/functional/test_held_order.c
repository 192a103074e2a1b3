/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Completion by reference hold when the device does not free in send order
 * or rewrites chains (pmd/ethdev/ethdev_held.h). Each case hangs an NBL
 * forever, or stalls the queue, if the held ring only trusts its head or
 * walks chains after tx_burst. Every NBL must still complete exactly once
 * (spec 60, 61).
 */
#include <inttypes.h>
#include <pthread.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_miniport.h>

#include "condis_test.h"
#include "tutil.h"

/* lib/condis_private.h: a carrier reclaimed while a PMD still held it */
#define TEST_MDL_F_ORPHAN 0x800u

static struct condis_protocol *proto;
static uint16_t null_port;

/* A net_ring port; its TX ring is the "wire" the test consumes. Cases that
 * use one name tu_need_net_ring as their setup. */
static int
ring_port(struct rte_ring **tx, unsigned int cap)
{
	struct rte_ring *rx = rte_ring_create(tu_name("hrx"), cap, SOCKET_ID_ANY,
					      RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);

	*tx = rte_ring_create(tu_name("htx"), cap, SOCKET_ID_ANY,
			      RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (rx == NULL || *tx == NULL)
		return -1;
	return tu_eth_from_rings(tu_name("hport"), &rx, 1, tx, 1, rte_socket_id());
}

static uint64_t
reap_scans(struct condis_adapter *ad)
{
	struct condis_ethdev_queue_stats qs;

	if (condis_ethdev_queue_stats_get(ad, 0, &qs) != 0)
		return UINT64_MAX;
	return qs.reap_scans;
}

/* A PMD that copies a chain's tail into its head and frees the tail segments
 * inside tx_burst (what __rte_pktmbuf_linearize does for ena, and copying
 * PMDs do): the chain handed over is not the chain that comes back. */
static uint16_t
drop_tail_segments(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	uint16_t i;

	RTE_SET_USED(port);
	RTE_SET_USED(q);
	RTE_SET_USED(arg);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i], *tail = m->next;

		if (tail == NULL)
			continue;
		m->next = NULL;
		m->nb_segs = 1;
		m->pkt_len = m->data_len;
		rte_pktmbuf_free(tail);
	}
	return n;
}

static void
test_chain_rewritten_in_tx_burst(void)
{
	struct rte_mbuf *wire[8];
	struct condis_adapter *ad;
	struct condis_nbl *nbl;
	struct rte_ring *tx;
	struct tu_pools tp;
	struct tu_vc tv;
	unsigned int got, i;
	int port;

	tu_reset();
	port = ring_port(&tx, 64);
	CHECK(port >= 0);
	ad = tu_open((uint16_t)port, 1);
	CHECK(ad != NULL);
	CHECK(condis_ethdev_max_segs(ad) >= 3); /* net_ring takes chains */
	CHECK(rte_eth_add_tx_callback((uint16_t)port, 0, drop_tail_segments, NULL) != NULL);
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	for (i = 0; i < 4; i++) {
		nbl = condis_nbl_alloc(tp.bare);
		CHECK(nbl != NULL);
		nbl->first_nb = tu_multi_nb(&tp, 300, 3, 0, i);
		CHECK(nbl->first_nb != NULL);
		CHECK_EQ(tu_send1(&tv, nbl), 0);
	}
	got = rte_ring_dequeue_burst(tx, (void **)wire, RTE_DIM(wire), NULL);
	CHECK_EQ(got, 4);
	for (i = 0; i < got; i++) {
		CHECK_EQ(wire[i]->nb_segs, 1);
		rte_pktmbuf_free(wire[i]);
	}
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_cb_errors, 0);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	tu_close(ad);
}

/* The consumer keeps the first frame and frees the others: the others'
 * NBLs (another VC's) must not wait for it. */
static void
test_one_frame_kept(void)
{
	struct condis_nbl *head;
	struct rte_mbuf *wire[64], *kept;
	struct condis_adapter *ad;
	struct rte_ring *tx;
	struct tu_pools tp;
	struct tu_vc tv0, tv1;
	unsigned int got, i, done_vc1 = 0;
	int port;

	tu_reset();
	port = ring_port(&tx, 1024);
	CHECK(port >= 0);
	ad = tu_open((uint16_t)port, 1);
	CHECK(ad != NULL);
	CHECK(tu_pools_create(&tp, 64));
	CHECK(tu_vc_up(&tv0, 0, proto, ad, 0));
	CHECK(tu_vc_up(&tv1, 1, proto, ad, 0));
	CHECK_EQ(tu_send1(&tv0, tu_data_nbl(&tp, 100, 0, 0)), 0);
	head = tu_data_chain(&tp, 16, 100, 1, 0);
	CHECK(head != NULL);
	CHECK_EQ(tu_send(&tv1, head), 0);
	got = rte_ring_dequeue_burst(tx, (void **)wire, RTE_DIM(wire), NULL);
	CHECK_EQ(got, 17);
	kept = wire[0];
	for (i = 1; i < got; i++)
		rte_pktmbuf_free(wire[i]);
	for (i = 0; i < 4; i++)
		tu_poll_all(ad);
	for (i = 1; i < 17; i++)
		done_vc1 += tu_tracks[i].completions;
	CHECK_EQ(done_vc1, 16);
	CHECK_EQ(tu_tracks[0].completions, 0); /* still on the wire */
	CHECK(reap_scans(ad) >= 1);
	rte_pktmbuf_free(kept);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(ad);
}

/* A consumer that keeps many frames: idle polls must not scan all of them
 * every time (the wait between fruitless scans doubles), yet a frame it
 * frees behind the kept head still completes within that bounded wait. */
#define KEEP_MANY 200u
#define IDLE_POLLS 5000u

static void
test_many_kept_idle(void)
{
	struct condis_nbl *head;
	struct rte_mbuf *wire[KEEP_MANY];
	struct condis_adapter *ad;
	struct rte_ring *tx;
	struct tu_pools tp;
	struct tu_vc tv;
	uint64_t scans, deadline;
	unsigned int got, i;
	int port;

	tu_reset();
	port = ring_port(&tx, 1024);
	CHECK(port >= 0);
	ad = tu_open((uint16_t)port, 1);
	CHECK(ad != NULL);
	CHECK(tu_pools_create(&tp, KEEP_MANY));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	head = tu_data_chain(&tp, KEEP_MANY, 100, 0, 0);
	CHECK(head != NULL);
	CHECK_EQ(tu_send(&tv, head), 0);
	got = rte_ring_dequeue_burst(tx, (void **)wire, RTE_DIM(wire), NULL);
	CHECK_EQ(got, KEEP_MANY); /* the consumer keeps every frame */
	scans = reap_scans(ad);
	for (i = 0; i < IDLE_POLLS; i++)
		tu_poll_all(ad);
	scans = reap_scans(ad) - scans;
	printf("  %u idle polls, %" PRIu64 " scans of %u kept frames\n", IDLE_POLLS, scans, got);
	CHECK(scans < IDLE_POLLS / 10);
	/* One frame behind the kept head comes back: it completes anyway. */
	rte_pktmbuf_free(wire[KEEP_MANY / 2]);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz(); /* 1 s, far above the wait */
	while (tu_tracks[KEEP_MANY / 2].completions == 0 && rte_get_timer_cycles() < deadline)
		tu_poll_all(ad);
	CHECK_EQ(tu_tracks[KEEP_MANY / 2].completions, 1);
	CHECK_EQ(tu_tracks[0].completions, 0); /* still on the wire */
	for (i = 0; i < got; i++)
		if (i != KEEP_MANY / 2)
			rte_pktmbuf_free(wire[i]);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	while (tu_outstanding() != 0 && rte_get_timer_cycles() < deadline)
		tu_poll_all(ad);
	CHECK_EQ(tu_outstanding(), 0);
	for (i = 0; i < got; i++)
		CHECK_EQ(tu_tracks[i].completions, 1);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(ad);
}

/* A PMD that keeps the first mbuf it is given and frees it only inside a
 * later tx_burst, long after the held ring would have filled behind it.
 * The queue must go on sending (and tx_burst be called) meanwhile. */
#define OOO_FRAMES 4096u
#define OOO_FREE_AFTER 3000u /* frames seen before the PMD lets it go */

static struct rte_mbuf *ooo_kept;
static unsigned int ooo_seen;

static uint16_t
keep_first_until_later(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	RTE_SET_USED(port);
	RTE_SET_USED(q);
	RTE_SET_USED(arg);
	if (ooo_seen == 0 && n != 0) {
		ooo_kept = pkts[0];
		rte_mbuf_refcnt_update(ooo_kept, 1); /* net_null frees one reference */
	}
	ooo_seen += n;
	if (ooo_kept != NULL && ooo_seen >= OOO_FREE_AFTER) {
		rte_pktmbuf_free(ooo_kept);
		ooo_kept = NULL;
	}
	return n;
}

static void
test_kept_past_a_full_ring(void)
{
	struct condis_ethdev_params p = { .port_id = null_port, .nb_tx_desc = 64 };
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	struct tu_vc tv;
	unsigned int i, j;

	tu_reset();
	ad = tu_ethdev_open(&p);
	CHECK(ad != NULL);
	CHECK(rte_eth_add_tx_callback(null_port, 0, keep_first_until_later, NULL) != NULL);
	pool = tu_nbl_pool(OOO_FRAMES, true, 128);
	CHECK(pool != NULL);
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	for (i = 0; i < OOO_FRAMES; i += 64) {
		struct condis_nbl *head = NULL, **tailp = &head;

		for (j = i; j < i + 64; j++) {
			struct condis_nbl *nbl = condis_nbl_alloc(pool);

			CHECK(nbl != NULL);
			nbl->first_nb->data_length = 100;
			CHECK(tu_nb_write_frame(nbl->first_nb, 0, j));
			*tailp = nbl;
			tailp = &nbl->next;
		}
		*tailp = NULL;
		CHECK_EQ(tu_send(&tv, head), 0);
		tu_poll_all(ad);
	}
	CHECK(tu_poll_until_done(ad, 1000));
	CHECK_EQ(ooo_seen, OOO_FRAMES);
	CHECK(ooo_kept == NULL);
	CHECK(reap_scans(ad) >= 1);
	CHECK_EQ(tu_cb_errors, 0);
	for (i = 0; i < OOO_FRAMES; i++)
		CHECK_EQ(tu_tracks[i].completions, 1);
	tu_close(ad);
}

/* The PMD unlinks and frees chain segments inside tx_burst, then refuses the
 * frame (its ring is full): the freed segments are no longer on the chain,
 * yet they must be unbound from their NBL, or it never completes. */
static void
test_rewritten_then_refused(void)
{
	struct condis_nbl *head = NULL, **tailp = &head, *nbl;
	struct rte_mbuf *wire[16];
	struct condis_adapter *ad;
	struct rte_ring *tx;
	struct tu_pools tp;
	struct tu_vc tv;
	unsigned int i, got, total = 0;
	int port;

	tu_reset();
	port = ring_port(&tx, 4); /* the "descriptor ring" takes 4 frames */
	CHECK(port >= 0);
	ad = tu_open((uint16_t)port, 1);
	CHECK(ad != NULL);
	CHECK(condis_ethdev_max_segs(ad) >= 3);
	CHECK(rte_eth_add_tx_callback((uint16_t)port, 0, drop_tail_segments, NULL) != NULL);
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	for (i = 0; i < 6; i++) {
		nbl = condis_nbl_alloc(tp.bare);
		CHECK(nbl != NULL);
		nbl->first_nb = tu_multi_nb(&tp, 300, 3, 0, i);
		CHECK(nbl->first_nb != NULL);
		*tailp = nbl;
		tailp = &nbl->next;
	}
	*tailp = NULL;
	CHECK_EQ(tu_send(&tv, head), 0);
	for (i = 0; i < 50; i++) {
		got = rte_ring_dequeue_burst(tx, (void **)wire, RTE_DIM(wire), NULL);
		total += got;
		while (got > 0)
			rte_pktmbuf_free(wire[--got]);
		tu_poll_all(ad);
	}
	printf("  frames on the wire: %u, NBLs outstanding after 50 polls: %lu\n",
	       total, tu_outstanding());
	for (i = 0; i < 6; i++) {
		struct condis_mdl *m;

		printf("  NBL %u: completions %d", i, tu_tracks[i].completions);
		for (m = tu_tracks[i].nbs[0]->mdl_chain; m != NULL; m = m->next)
			printf(" mdl inflight=%p", (void *)m->inflight);
		printf("\n");
	}
	if (tu_outstanding() != 0) {
		tu_close(ad);
		for (i = 4; i < 6; i++) {
			struct condis_mdl *m;

			printf("  after close NBL %u: completions %d status 0x%x", i,
			       tu_tracks[i].completions, (unsigned int)tu_tracks[i].status);
			for (m = tu_tracks[i].nbs[0]->mdl_chain; m != NULL; m = m->next)
				printf(" [inflight=%p flags=0x%x refcnt=%u]", (void *)m->inflight,
				       m->flags, rte_mbuf_refcnt_read(condis_mdl_carrier(m)));
			printf("\n");
		}
		CHECK(!"NBLs 4 and 5 hung until close");
	}
	CHECK_EQ(total, 6);
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(ad);
}

/* Close while a consumer on another thread frees what net_ring kept: each
 * frame's NBL completes once, and every carrier ends idle (the held reference
 * dropped at close must not race the consumer's free into a second release).
 * Timing-dependent: the consumer's pace varies per iteration. */
#define RACE_FRAMES 512u

static struct rte_mbuf *race_wire[RACE_FRAMES];
static unsigned int race_spin;

static void *
race_consumer(void *arg)
{
	unsigned int i, j;

	RTE_SET_USED(arg);
	/* Wait for the abandon to reach the first frame, then free them all,
	 * spread over the reclaim that follows. */
	while (rte_mbuf_refcnt_read(race_wire[RACE_FRAMES - 1]) != 1)
		rte_pause();
	for (i = RACE_FRAMES; i-- > 0;) {
		rte_pktmbuf_free(race_wire[i]);
		for (j = 0; j < race_spin; j++)
			rte_pause();
	}
	return NULL;
}

static void
test_close_with_concurrent_consumer(void)
{
	struct condis_nbl_pool *pool;
	struct rte_ring *tx;
	unsigned int it, i, bad_iters = 0, lost = 0, twice = 0, busy = 0;
	int port;

	port = ring_port(&tx, 1024);
	CHECK(port >= 0);
	pool = tu_nbl_pool(RACE_FRAMES, true, 128);
	CHECK(pool != NULL);
	for (it = 0; it < 300; it++) {
		struct condis_nbl *nbls[RACE_FRAMES];
		struct condis_nbl *head = NULL, **tailp = &head;
		struct condis_adapter *ad;
		struct tu_vc tv;
		pthread_t th;
		unsigned int l = 0, t2 = 0, b = 0;

		tu_reset();
		race_spin = (it % 6) * 20;
		ad = tu_open((uint16_t)port, 1);
		CHECK(ad != NULL);
		CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
		for (i = 0; i < RACE_FRAMES; i++) {
			nbls[i] = condis_nbl_alloc(pool);
			CHECK(nbls[i] != NULL);
			nbls[i]->first_nb->data_length = 100;
			CHECK(tu_nb_write_frame(nbls[i]->first_nb, 0, i));
			*tailp = nbls[i];
			tailp = &nbls[i]->next;
		}
		*tailp = NULL;
		CHECK_EQ(tu_send(&tv, head), 0);
		CHECK_EQ(rte_ring_dequeue_burst(tx, (void **)race_wire, RACE_FRAMES, NULL),
			 RACE_FRAMES);
		CHECK_EQ(pthread_create(&th, NULL, race_consumer, NULL), 0);
		tu_close(ad);
		pthread_join(th, NULL);
		for (i = 0; i < RACE_FRAMES; i++) {
			struct condis_mdl *m = nbls[i]->first_nb->current_mdl;

			l += tu_tracks[i].completions == 0;
			t2 += tu_tracks[i].completions > 1;
			if (m->inflight != NULL || (m->flags & TEST_MDL_F_ORPHAN) != 0 ||
			    rte_mbuf_refcnt_read(condis_mdl_carrier(m)) != 1) {
				b++;
				printf("    frame %u: inflight %p flags 0x%x refcnt %u completions %d status 0x%x pending %d\n",
				       i, (void *)m->inflight, m->flags,
				       rte_mbuf_refcnt_read(condis_mdl_carrier(m)),
				       tu_tracks[i].completions, (unsigned int)tu_tracks[i].status,
				       (int)nbls[i]->miniport_pending);
			}
		}
		if (l || t2 || b || tu_cb_errors) {
			bad_iters++;
			printf("  iter %u (spin %u): never completed %u, completed twice %u, carriers not idle %u, cb errors %d\n",
			       it, race_spin, l, t2, b, tu_cb_errors);
		}
		lost += l;
		twice += t2;
		busy += b;
		if (l || t2 || b)
			break; /* state is corrupt: stop */
		for (i = 0; i < RACE_FRAMES; i++)
			condis_nbl_free(nbls[i]);
	}
	printf("  iterations %u, bad %u (lost %u, twice %u, not idle %u)\n", it, bad_iters, lost,
	       twice, busy);
	CHECK_EQ(bad_iters, 0);
}

/* A frame copied to a bounce carrier (its buffer was already held by another
 * send) is still with the net_ring consumer at close: both NBLs complete once,
 * and the bounce pool must outlive close, since the consumer's late free puts
 * the carrier back into it. The port can be opened again meanwhile, and a
 * later close frees the kept pool once the carrier is back. */
static void
pool_is(struct rte_mempool *mp, void *arg)
{
	struct rte_mempool **want = arg;

	if (mp == *want)
		*want = NULL; /* found */
}

static void
test_bounce_kept_past_close(void)
{
	struct rte_mbuf *wire[8], *bm = NULL;
	struct rte_mempool *bp, *probe;
	struct condis_adapter *ad, *ad2;
	struct condis_nbl *a, *b;
	struct rte_ring *tx;
	struct tu_pools tp;
	struct tu_vc tv;
	unsigned int got, i;
	int port;

	tu_reset();
	port = ring_port(&tx, 64);
	CHECK(port >= 0);
	ad = tu_open((uint16_t)port, 1);
	CHECK(ad != NULL);
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	a = tu_data_nbl(&tp, 100, 0, 0);
	CHECK(a != NULL);
	CHECK_EQ(tu_send1(&tv, a), 0);
	b = condis_nbl_alloc(tp.bare); /* the same bytes: a's MDL is held, so a copy */
	CHECK(b != NULL);
	b->first_nb = condis_nb_alloc(tp.nb, a->first_nb->current_mdl, 0, 100);
	CHECK(b->first_nb != NULL);
	CHECK_EQ(tu_send1(&tv, b), 0);
	tu_poll_all(ad);
	got = rte_ring_dequeue_burst(tx, (void **)wire, RTE_DIM(wire), NULL);
	CHECK_EQ(got, 2);
	for (i = 0; i < got; i++)
		if (wire[i]->pool != condis_mdl_carrier(a->first_nb->current_mdl)->pool)
			bm = wire[i];
	CHECK(bm != NULL);
	bp = bm->pool;
	tu_close(ad);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 1);
	CHECK_EQ(tu_cb_errors, 0);
	probe = bp;
	rte_mempool_walk(pool_is, &probe);
	CHECK(probe == NULL); /* the bounce pool still exists */
	ad2 = tu_open((uint16_t)port, 1); /* a new bounce pool, another name */
	CHECK(ad2 != NULL);
	for (i = 0; i < got; i++)
		rte_pktmbuf_free(wire[i]); /* the consumer lets go at last */
	CHECK_EQ(rte_mempool_avail_count(bp), bp->size);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 1);
	tu_close(ad2);
	probe = bp;
	rte_mempool_walk(pool_is, &probe);
	CHECK(probe == bp); /* every carrier back: the next close freed the kept pool */
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "PMD frees chain segments inside tx_burst",
		  test_chain_rewritten_in_tx_burst, tu_need_net_ring },
		{ "consumer keeps one frame, frees the rest",
		  test_one_frame_kept, tu_need_net_ring },
		{ "consumer keeps many frames: idle scans back off, a freed one still completes",
		  test_many_kept_idle, tu_need_net_ring },
		{ "PMD keeps one mbuf past a full held ring", test_kept_past_a_full_ring },
		{ "PMD rewrites a chain in tx_burst, then refuses it",
		  test_rewritten_then_refused, tu_need_net_ring },
		{ "close while a consumer thread frees",
		  test_close_with_concurrent_consumer, tu_need_net_ring },
		{ "bounce carrier kept by the consumer past close",
		  test_bounce_kept_past_close, tu_need_net_ring },
	};

	RTE_SET_USED(argc);
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &null_port) != 0)
		return 1;
	proto = condis_protocol_register("func_held_order", &tu_ops);
	return condis_test_run(cases, RTE_DIM(cases));
}
