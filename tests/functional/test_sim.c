/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: the sim miniport (pmd/sim), a device the test drives: it holds
 * buffers until told, releases out of order, fails single frames, stalls,
 * loses its link, fills its ring. Above all, every NBL handed to
 * condis_co_send_nbls() comes back exactly once with a status (checked on
 * every completion by the tracking protocol, tu_protocol.h, and at the end
 * of every case).
 */
#include <string.h>

#include <condis/condis.h>
#include <condis/condis_miniport.h>
#include <condis/condis_sim.h>

#include "condis_test.h"
#include "tutil.h"

#define MAX_ORDER 1024

static struct condis_protocol *proto;
static uint16_t null_port;

/* Completion order: track indexes in the order the protocol got them. */
static unsigned int order[MAX_ORDER], n_order;

static void
order_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_nbl *nbl;

	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		struct tu_track *t = tu_track_of(nbl);

		if (t != NULL && n_order < MAX_ORDER)
			order[n_order++] = (unsigned int)(t - tu_tracks);
	}
	tu_co_send_complete(ctx, chain, flags);
}

static const struct condis_protocol_ops order_ops = {
	.co_send_complete = order_complete,
	.co_deactivate_complete = tu_co_deactivate_complete,
	.co_status = tu_co_status,
};

/* A case's adapter, pools and VC. */
struct fix {
	struct condis_adapter *ad;
	struct tu_pools tp;
	struct tu_vc tv[2];
	bool closed;
};

static void
fix_reset(struct fix *f)
{
	memset(f, 0, sizeof(*f));
	tu_reset();
	n_order = 0;
}

/* Open a sim adapter with the suite's usual shape, then p's overrides. */
static bool
fix_open(struct fix *f, const struct condis_sim_params *p, unsigned int nvc, uint32_t pool)
{
	struct condis_sim_params sp = *p;
	unsigned int v;

	f->ad = tu_sim_open(&sp);
	if (f->ad == NULL) {
		fprintf(stderr, "condis_sim_open: %s\n", rte_strerror(rte_errno));
		return false;
	}
	if (!tu_pools_create(&f->tp, pool))
		return false;
	for (v = 0; v < nvc; v++)
		if (!tu_vc_up(&f->tv[v], (int)v, proto, f->ad,
			      (uint16_t)(v % condis_adapter_tx_queues(f->ad))))
			return false;
	return true;
}

/* Every tracked NBL completed exactly once; no handler saw a violation. */
static bool
all_once(void)
{
	unsigned int i;
	bool ok = tu_cb_errors == 0;

	for (i = 0; i < tu_n_tracks; i++) {
		if (tu_tracks[i].completions != 1) {
			fprintf(stderr, "track %u: %d completions\n", i, tu_tracks[i].completions);
			ok = false;
		}
	}
	return ok;
}

/* Close (if the case did not) and free the pools: nothing left held. */
static bool
fix_close(struct fix *f, const bool *own_nbs)
{
	unsigned int i;
	bool ok = true;

	if (!f->closed && f->ad != NULL)
		tu_close(f->ad);
	f->closed = true;
	for (i = 0; i < tu_n_tracks; i++)
		if (tu_free_nbl(tu_tracks[i].nbl, own_nbs != NULL && own_nbs[i]) != 0)
			ok = false;
	ok = ok && condis_nbl_pool_free(f->tp.data) == 0;
	ok = ok && condis_nbl_pool_free(f->tp.bare) == 0;
	ok = ok && condis_nb_pool_free(f->tp.nb) == 0;
	ok = ok && condis_mdl_pool_free(f->tp.mdl) == 0;
	return ok;
}

static struct condis_sim_params
sim_params(enum condis_sim_mode mode, uint32_t ring)
{
	struct condis_sim_params sp;

	tu_sim_params(&sp, 1);
	sp.mode = mode;
	sp.ring_size = ring;
	sp.capture = true;
	return sp;
}

/* A bare NBL of nnb NBs of 1-3 MDLs each, stamped (vc, seq * 16 + k). */
static struct condis_nbl *
multi_nbl(struct tu_pools *tp, unsigned int nnb, uint32_t vc, uint32_t seq)
{
	struct condis_nbl *nbl = condis_nbl_alloc(tp->bare);
	struct condis_nb **tail;
	unsigned int k;

	if (nbl == NULL)
		return NULL;
	tail = &nbl->first_nb;
	for (k = 0; k < nnb; k++) {
		struct condis_nb *nb = tu_multi_nb(tp, 100 + 50 * k, 1 + k % 3, vc, seq * 16 + k);

		if (nb == NULL)
			return NULL;
		*tail = nb;
		tail = &nb->next;
	}
	return nbl;
}

/* AUTO: every NBL (one NB or several) completes SUCCESS once, at a poll. */
static void
test_auto_once(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_AUTO, 0);
	struct condis_sim_queue_stats qs;
	struct condis_vc_stats vs;
	static bool own[64];
	struct fix f;
	unsigned int i, nbs = 0;

	fix_reset(&f);
	sp.nb_tx_queues = 2;
	CHECK(fix_open(&f, &sp, 2, 64));
	for (i = 0; i < 40; i++) {
		struct condis_nbl *nbl;

		own[i] = i % 2;
		nbl = own[i] ? multi_nbl(&f.tp, 1 + i % 3, i % 2, i) :
			tu_data_nbl(&f.tp, 60 + i * 20, i % 2, i);
		CHECK(nbl != NULL);
		nbs += condis_nbl_nb_count(nbl);
		CHECK_EQ(tu_send1(&f.tv[i % 2], nbl), 0);
	}
	CHECK_EQ(tu_completed, 0); /* completion only in condis_poll() */
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	for (i = 0; i < tu_n_tracks; i++)
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.held, 0);
	CHECK_EQ(qs.failed, 0);
	CHECK_EQ(qs.taken, qs.released);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 1, &qs), 0);
	CHECK_EQ(qs.taken, qs.released);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(condis_vc_stats_get(f.tv[i].vc, &vs), 0);
		CHECK_EQ(vs.nbls_completed, 20);
		CHECK_EQ(vs.in_flight, 0);
	}
	{
		struct condis_sim_queue_stats q0, q1;

		CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &q0), 0);
		CHECK_EQ(condis_sim_queue_stats_get(f.ad, 1, &q1), 0);
		CHECK_EQ(q0.taken + q1.taken, nbs);
	}
	CHECK(fix_close(&f, own));
}

/* MANUAL: nothing completes until condis_sim_complete(), then in order. */
static void
test_manual_in_order(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 64);
	struct condis_sim_queue_stats qs;
	struct condis_vc_stats vs;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 1, 16));
	for (i = 0; i < 10; i++) {
		struct condis_nbl *nbl = tu_data_nbl(&f.tp, 100 + i, 0, i);

		CHECK(nbl != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	for (i = 0; i < 5; i++)
		CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.held, 10);
	CHECK_EQ(condis_vc_stats_get(f.tv[0].vc, &vs), 0);
	CHECK_EQ(vs.in_flight, 10);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 3), 3);
	CHECK_EQ(tu_completed, 0); /* on the done list until the poll */
	CHECK_EQ(tu_poll_all(f.ad), 3);
	CHECK_EQ(n_order, 3);
	for (i = 0; i < 3; i++)
		CHECK_EQ(order[i], i);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 100), 7);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 1), 0);
	CHECK_EQ(tu_poll_all(f.ad), 7);
	CHECK_EQ(n_order, 10);
	for (i = 0; i < 10; i++) {
		CHECK_EQ(order[i], i);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK(all_once());
	CHECK(fix_close(&f, NULL));
}

/* complete_one: exactly that NBL completes; an NBL of several NBs only when
 * every one of its descriptors is released. */
static void
test_out_of_order(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 16);
	struct condis_sim_queue_stats qs;
	static const bool own[3] = { false, true, false };
	struct condis_nbl *a, *b, *c;
	struct fix f;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 1, 8));
	a = tu_data_nbl(&f.tp, 200, 0, 0);
	b = multi_nbl(&f.tp, 3, 0, 1);
	c = tu_data_nbl(&f.tp, 300, 0, 2);
	CHECK(a && b && c);
	a->next = b;
	b->next = c;
	c->next = NULL;
	CHECK_EQ(tu_send(&f.tv[0], a), 0); /* descriptors: a, b0, b1, b2, c */
	CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.held, 5);
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 2), 1); /* b1 */
	CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 3), 1); /* now c */
	CHECK_EQ(tu_poll_all(f.ad), 1);
	CHECK_EQ(tu_tracks[2].completions, 1);
	CHECK_EQ(tu_tracks[0].completions + tu_tracks[1].completions, 0);
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 0), 1); /* a */
	CHECK_EQ(tu_poll_all(f.ad), 1);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 0);
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 2), 0); /* only b0, b2 left */
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 1), 1); /* b2 */
	CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 5), 1);     /* b0 */
	CHECK_EQ(tu_poll_all(f.ad), 1);
	CHECK_EQ(n_order, 3);
	CHECK_EQ(order[0], 2);
	CHECK_EQ(order[1], 0);
	CHECK_EQ(order[2], 1);
	CHECK(all_once());
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_SUCCESS);
	CHECK(fix_close(&f, own));
}

/* fail_next: exactly the NBLs of those frames get the status. */
static void
test_fail_next(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_AUTO, 0);
	struct condis_sim_queue_stats qs;
	static bool own[16];
	struct condis_nbl *nbl;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 1, 16));
	for (i = 0; i < 2; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK_EQ(condis_sim_fail_next(f.ad, 0, 2, CONDIS_STATUS_FAILURE), 0);
	for (i = 2; i < 7; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK(tu_poll_until_done(f.ad, 10));
	/* The first of three NBs fails: the NBL has the failure, once. */
	CHECK_EQ(condis_sim_fail_next(f.ad, 0, 1, CONDIS_STATUS_SEND_ABORTED), 0);
	own[7] = true;
	CHECK((nbl = multi_nbl(&f.tp, 3, 0, 7)) != NULL);
	CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, 8)) != NULL);
	CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	for (i = 0; i < 9; i++) {
		condis_status_t want = (i == 2 || i == 3) ? CONDIS_STATUS_FAILURE :
			i == 7 ? CONDIS_STATUS_SEND_ABORTED : CONDIS_STATUS_SUCCESS;

		if (tu_tracks[i].status != want)
			fprintf(stderr, "NBL %u: %s\n", i, condis_status_name(tu_tracks[i].status));
		CHECK_EQ(tu_tracks[i].status, want);
	}
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.failed, 3);
	CHECK(fix_close(&f, own));
}

/* Stall: NBLs queue in the library; unstalled they go down in send order. */
static void
test_stall_order(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_AUTO, 0);
	struct condis_sim_frame fr[64];
	struct condis_sim_queue_stats qs;
	struct condis_vc_stats vs;
	uint32_t next_seq[2] = { 0, 0 };
	struct fix f;
	unsigned int i, v;
	int n;

	fix_reset(&f);
	sp.nb_tx_queues = 1;
	CHECK(fix_open(&f, &sp, 2, 64)); /* both VCs on queue 0 */
	CHECK_EQ(condis_sim_stall(f.ad, 0, true), 0);
	for (i = 0; i < 40; i++) {
		struct condis_nbl *nbl = tu_data_nbl(&f.tp, 64 + i, i % 2, i / 2);

		CHECK(nbl != NULL);
		CHECK_EQ(tu_send1(&f.tv[i % 2], nbl), 0);
	}
	for (i = 0; i < 5; i++)
		CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(tu_completed, 0);
	for (v = 0; v < 2; v++) {
		CHECK_EQ(condis_vc_stats_get(f.tv[v].vc, &vs), 0);
		CHECK_EQ(vs.queued, 20);
	}
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK(qs.refused > 0);
	CHECK_EQ(qs.taken, 0);
	CHECK_EQ(condis_sim_capture_read(f.ad, 0, fr, 64), 0);
	CHECK_EQ(condis_sim_stall(f.ad, 0, false), 0);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	n = condis_sim_capture_read(f.ad, 0, fr, 64);
	CHECK_EQ(n, 40);
	for (i = 0; i < (unsigned int)n; i++) {
		uint32_t vc, seq;

		CHECK(tu_frame_parse(fr[i].head, fr[i].len, &vc, &seq));
		CHECK(vc < 2);
		CHECK_EQ(seq, next_seq[vc]); /* per VC, send order (spec 73) */
		CHECK_EQ(fr[i].len, 64 + 2 * seq + vc);
		next_seq[vc]++;
	}
	for (i = 0; i < tu_n_tracks; i++)
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	CHECK(fix_close(&f, NULL));
}

/* Link down: MEDIA_DISCONNECTED at the next poll, in either mode, never
 * on the wire; frames held from before keep their fate; SUCCESS once up. */
static void
test_link_down(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 32);
	struct condis_sim_frame fr[16];
	struct condis_nbl *nbl;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 1, 16));
	for (i = 0; i < 2; i++) { /* held while up */
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK_EQ(condis_sim_link(f.ad, false), 0);
	CHECK_EQ(f.tv[0].media_disconnects, 1); /* indicated to the protocol */
	CHECK_EQ(condis_sim_link(f.ad, false), 0);
	CHECK_EQ(f.tv[0].media_disconnects, 1); /* no change, no indication */
	for (i = 2; i < 5; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK_EQ(tu_poll_all(f.ad), 3);
	for (i = 2; i < 5; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_MEDIA_DISCONNECTED);
	}
	CHECK_EQ(tu_tracks[0].completions + tu_tracks[1].completions, 0);
	CHECK_EQ(condis_sim_capture_read(f.ad, 0, fr, 16), 2); /* only those sent while up */
	CHECK_EQ(condis_sim_link(f.ad, true), 0);
	CHECK_EQ(f.tv[0].media_connects, 1);
	for (i = 5; i < 8; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK_EQ(condis_sim_complete(f.ad, 0, 100), 5);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	for (i = 0; i < 8; i++)
		if (i < 2 || i >= 5)
			CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_sim_capture_read(f.ad, 0, fr, 16), 3);
	CHECK(fix_close(&f, NULL));
}

/* spec 100-104: a reset of a hung device (descriptors held, queue stalled,
 * NBLs in the FIFO): every NBL back once with RESET_IN_PROGRESS, the
 * indications in order, sends refused meanwhile, the device working after. */
static void
test_reset_hung(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 32);
	struct condis_nbl *chain, *nbl;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 2, 32));
	CHECK((chain = tu_data_chain(&f.tp, 4, 100, 0, 0)) != NULL);
	CHECK_EQ(tu_send(&f.tv[0], chain), 0); /* 4 held by the device */
	CHECK_EQ(condis_sim_stall(f.ad, 0, true), 0);
	CHECK((chain = tu_data_chain(&f.tp, 4, 100, 1, 0)) != NULL);
	CHECK_EQ(tu_send(&f.tv[1], chain), 0); /* 4 queued in the library */
	CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(condis_adapter_reset(f.ad), CONDIS_STATUS_SUCCESS); /* every queue ours */
	CHECK_EQ(f.tv[0].resets_started, 1);
	CHECK_EQ(f.tv[1].resets_ended, 1);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	for (i = 0; i < 8; i++)
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_RESET_IN_PROGRESS);
	/* The stall went with the reset: a send goes down and completes. */
	CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, 4)) != NULL);
	CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 1), 1);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK_EQ(tu_tracks[8].status, CONDIS_STATUS_SUCCESS);
	CHECK(all_once());
	CHECK(fix_close(&f, NULL));
}

/* A ring of 8 and 100 NBLs: all complete once, in send order. */
static void
test_ring_full(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_AUTO, 8);
	struct condis_sim_queue_stats qs;
	struct condis_nbl *chain;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 1, 128));
	chain = tu_data_chain(&f.tp, 100, 128, 0, 0);
	CHECK(chain != NULL);
	CHECK_EQ(tu_send(&f.tv[0], chain), 0);
	CHECK(tu_poll_until_done(f.ad, 100));
	CHECK(all_once());
	CHECK_EQ(n_order, 100);
	for (i = 0; i < 100; i++) {
		CHECK_EQ(order[i], i);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.taken, 100);
	CHECK(qs.refused > 0);
	CHECK(fix_close(&f, NULL));
}

/* Close in MANUAL mode with descriptors held (one over a lent bounce
 * carrier) and NBLs queued behind them: every NBL once, PAUSED (close pauses first);
 * nothing stays claimed or lent. */
static void
test_close_aborts(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 8);
	struct condis_sim_queue_stats qs;
	struct condis_nbl *chain, *shared;
	struct condis_vc_stats vs;
	struct fix f;
	unsigned int i;

	fix_reset(&f);
	sp.nb_tx_queues = 2;
	CHECK(fix_open(&f, &sp, 2, 32));
	chain = tu_data_chain(&f.tp, 20, 100, 0, 0);
	CHECK(chain != NULL);
	CHECK_EQ(tu_send(&f.tv[0], chain), 0); /* 8 held, 12 queued */
	/* on queue 1, an NBL over NBL 0's own MDL: copied into a bounce carrier */
	shared = condis_nbl_alloc(f.tp.bare);
	CHECK(shared != NULL);
	shared->first_nb = condis_nb_alloc(f.tp.nb, tu_tracks[0].nbl->first_nb->mdl_chain, 0, 100);
	CHECK(shared->first_nb != NULL);
	CHECK_EQ(tu_send1(&f.tv[1], shared), 0);
	/* then queue 1 stalls: the next ones wait in the FIFO */
	CHECK_EQ(condis_sim_stall(f.ad, 1, true), 0);
	chain = tu_data_chain(&f.tp, 4, 100, 1, 0);
	CHECK(chain != NULL);
	CHECK_EQ(tu_send(&f.tv[1], chain), 0);
	CHECK_EQ(tu_poll_all(f.ad), 0);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.held, 8);
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 1, &qs), 0);
	CHECK_EQ(qs.held, 1);
	CHECK_EQ(qs.copies, 1);
	CHECK_EQ(condis_vc_stats_get(f.tv[0].vc, &vs), 0);
	CHECK_EQ(vs.queued, 12);
	CHECK_EQ(condis_vc_stats_get(f.tv[1].vc, &vs), 0);
	CHECK_EQ(vs.queued, 4);
	tu_close(f.ad);
	f.closed = true;
	CHECK_EQ(tu_n_tracks, 25);
	CHECK(all_once());
	for (i = 0; i < tu_n_tracks; i++) {
		if (tu_tracks[i].status != CONDIS_STATUS_PAUSED)
			fprintf(stderr, "NBL %u: %s\n", i, condis_status_name(tu_tracks[i].status));
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_PAUSED);
	}
	/* The shared NB first (its MDL is NBL 0's), then everything. */
	CHECK_EQ(condis_nb_free(shared->first_nb), 0);
	shared->first_nb = NULL;
	CHECK(fix_close(&f, NULL));
}

/* Bad arguments: -EINVAL (NULL, another miniport's adapter, bad queue). */
static void
test_bad_args(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 8);
	struct condis_ethdev_params ep = { .port_id = null_port };
	struct condis_sim_queue_stats qs;
	struct condis_sim_frame fr;
	struct condis_adapter *ad, *eth;

	tu_reset();
	CHECK(condis_sim_open(NULL) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	sp.nb_tx_queues = CONDIS_SIM_MAX_TXQ + 1;
	CHECK(condis_sim_open(&sp) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	sp.nb_tx_queues = 1;
	sp.mode = (enum condis_sim_mode)7;
	CHECK(condis_sim_open(&sp) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	sp.mode = CONDIS_SIM_MANUAL;
	ad = condis_sim_open(&sp);
	CHECK(ad != NULL);
	eth = condis_ethdev_open(&ep);
	CHECK(eth != NULL);
	CHECK(condis_sim_is_sim(ad));
	CHECK(!condis_sim_is_sim(eth));
	CHECK(!condis_sim_is_sim(NULL));
	{
		struct condis_adapter *bad[2] = { NULL, eth };
		unsigned int i;

		for (i = 0; i < 2; i++) {
			CHECK_EQ(condis_sim_complete(bad[i], 0, 1), -EINVAL);
			CHECK_EQ(condis_sim_complete_one(bad[i], 0, 0), -EINVAL);
			CHECK_EQ(condis_sim_fail_next(bad[i], 0, 1, CONDIS_STATUS_FAILURE), -EINVAL);
			CHECK_EQ(condis_sim_stall(bad[i], 0, true), -EINVAL);
			CHECK_EQ(condis_sim_link(bad[i], false), -EINVAL);
			CHECK_EQ(condis_sim_queue_stats_get(bad[i], 0, &qs), -EINVAL);
			CHECK_EQ(condis_sim_capture_read(bad[i], 0, &fr, 1), -EINVAL);
		}
	}
	/* a queue the adapter does not have */
	CHECK_EQ(condis_sim_complete(ad, 1, 1), -EINVAL);
	CHECK_EQ(condis_sim_complete_one(ad, 1, 0), -EINVAL);
	CHECK_EQ(condis_sim_fail_next(ad, 1, 1, CONDIS_STATUS_FAILURE), -EINVAL);
	CHECK_EQ(condis_sim_stall(ad, 1, true), -EINVAL);
	CHECK_EQ(condis_sim_queue_stats_get(ad, 1, &qs), -EINVAL);
	CHECK_EQ(condis_sim_capture_read(ad, 1, &fr, 1), -EINVAL);
	/* bad values */
	CHECK_EQ(condis_sim_queue_stats_get(ad, 0, NULL), -EINVAL);
	CHECK_EQ(condis_sim_capture_read(ad, 0, NULL, 1), -EINVAL);
	CHECK_EQ(condis_sim_fail_next(ad, 0, 1, CONDIS_STATUS_SUCCESS), -EINVAL);
	CHECK_EQ(condis_sim_fail_next(ad, 0, 1, CONDIS_STATUS_PENDING), -EINVAL);
	/* and the good ones on an idle queue */
	CHECK_EQ(condis_sim_complete(ad, 0, 1), 0);
	CHECK_EQ(condis_sim_complete_one(ad, 0, 0), 0);
	CHECK_EQ(condis_sim_capture_read(ad, 0, NULL, 0), 0);
	CHECK_EQ(condis_sim_queue_stats_get(ad, 0, &qs), 0);
	CHECK_EQ(qs.held, 0);
	condis_adapter_close(eth);
	condis_adapter_close(ad);
}

/* Bad geometry: INVALID_LENGTH without reaching the device. */
static void
test_bad_geometry(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_AUTO, 0);
	struct condis_sim_queue_stats qs;
	struct condis_nbl *ok1, *zero, *big, *pieces, *ok2;
	static const bool own[5] = { false, false, false, true, false };
	struct fix f;

	fix_reset(&f);
	sp.max_frame = 1000;
	sp.max_pieces = 2;
	CHECK(fix_open(&f, &sp, 1, 16));
	ok1 = tu_data_nbl(&f.tp, 100, 0, 0);
	zero = tu_data_nbl(&f.tp, 100, 0, 1);
	big = tu_data_nbl(&f.tp, 1001, 0, 2);
	pieces = condis_nbl_alloc(f.tp.bare);
	ok2 = tu_data_nbl(&f.tp, 1000, 0, 4); /* exactly max_frame */
	CHECK(ok1 && zero && big && pieces && ok2);
	zero->first_nb->data_length = 0;
	pieces->first_nb = tu_multi_nb(&f.tp, 300, 3, 0, 3);
	CHECK(pieces->first_nb != NULL);
	ok1->next = zero;
	zero->next = big;
	big->next = pieces;
	pieces->next = ok2;
	ok2->next = NULL;
	CHECK_EQ(tu_send(&f.tv[0], ok1), 0);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK(all_once());
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(tu_tracks[2].status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(tu_tracks[3].status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(tu_tracks[4].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(big->first_nb->data_length, 1001); /* never truncated */
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.taken, 2);
	CHECK_EQ(qs.bytes, 1100);
	CHECK(fix_close(&f, own));
}

/* Two NBLs over one MDL at once: the second is copied (or RESOURCES with no
 * bounce carriers), never shared; both come back. */
static void
shared_buffer(bool bounce)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 16);
	struct condis_sim_queue_stats qs;
	struct condis_sim_frame fr[4];
	struct condis_nbl *a, *b, *c;
	struct condis_mdl *mdl;
	struct fix f;
	uint32_t vc, seq;

	fix_reset(&f);
	sp.no_bounce = !bounce;
	CHECK(fix_open(&f, &sp, 1, 8));
	mdl = condis_mdl_alloc_data(f.tp.mdl, 200);
	CHECK(mdl != NULL);
	a = condis_nbl_alloc(f.tp.bare);
	b = condis_nbl_alloc(f.tp.bare);
	c = condis_nbl_alloc(f.tp.bare);
	CHECK(a && b && c);
	a->first_nb = condis_nb_alloc(f.tp.nb, mdl, 0, 200);
	b->first_nb = condis_nb_alloc(f.tp.nb, mdl, 0, 200);
	/* two NBs of one NBL over the same MDL: the second is copied too */
	c->first_nb = condis_nb_alloc(f.tp.nb, mdl, 0, 100);
	CHECK(a->first_nb && b->first_nb && c->first_nb);
	CHECK(tu_nb_write_frame(a->first_nb, 0, 7));
	a->next = b;
	b->next = NULL;
	CHECK_EQ(tu_send(&f.tv[0], a), 0);
	CHECK_EQ(tu_poll_all(f.ad), bounce ? 0 : 1);
	CHECK_EQ(condis_mdl_free(mdl), -EBUSY); /* a holds it */
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.copies, bounce ? 1 : 0);
	CHECK_EQ(qs.no_buffer, bounce ? 0 : 1);
	CHECK_EQ(qs.held, bounce ? 2 : 1);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 10), bounce ? 2 : 1);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_tracks[1].status, bounce ? CONDIS_STATUS_SUCCESS : CONDIS_STATUS_RESOURCES);
	CHECK_EQ(condis_sim_capture_read(f.ad, 0, fr, 4), bounce ? 2 : 1);
	CHECK(tu_frame_parse(fr[0].head, fr[0].len, &vc, &seq));
	CHECK_EQ(seq, 7);
	/* the MDL is idle again: an NBL of two NBs over it */
	c->first_nb->next = condis_nb_alloc(f.tp.nb, mdl, 0, 150);
	CHECK(c->first_nb->next != NULL);
	CHECK_EQ(tu_send1(&f.tv[0], c), 0);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 10), bounce ? 2 : 1);
	CHECK(tu_poll_until_done(f.ad, 10));
	CHECK_EQ(tu_tracks[2].status, bounce ? CONDIS_STATUS_SUCCESS : CONDIS_STATUS_RESOURCES);
	CHECK(all_once());
	CHECK_EQ(condis_sim_queue_stats_get(f.ad, 0, &qs), 0);
	CHECK_EQ(qs.copies, bounce ? 2 : 0);
	CHECK_EQ(qs.held, 0);
	/* NBs first, then the one MDL they share */
	CHECK_EQ(condis_nb_free(c->first_nb->next), 0);
	c->first_nb->next = NULL;
	CHECK_EQ(condis_nb_free(a->first_nb), 0);
	CHECK_EQ(condis_nb_free(b->first_nb), 0);
	CHECK_EQ(condis_nb_free(c->first_nb), 0);
	a->first_nb = b->first_nb = c->first_nb = NULL;
	CHECK_EQ(condis_mdl_free(mdl), 0);
	CHECK(fix_close(&f, NULL));
}

static void
test_shared_buffer_bounce(void)
{
	shared_buffer(true);
}

/*
 * co_send_complete_ex (tu_ops): what condis says of each completed chain
 * (last, count, failed, consecutive) is checked against the chain and the
 * send record by the handler; here, that `consecutive` is said of in-order
 * chains, even across two sends and with a failure, and not of chains the
 * device released out of order.
 */
static void
test_completion_info(void)
{
	struct condis_sim_params sp = sim_params(CONDIS_SIM_MANUAL, 64);
	struct condis_protocol *ex = condis_protocol_register("sim_test_ex", &tu_ops);
	struct condis_nbl *chain[2] = { NULL, NULL }, **tail[2] = { &chain[0], &chain[1] };
	struct condis_nbl *nbl;
	struct fix f;
	unsigned int i;

	CHECK(ex != NULL);
	fix_reset(&f);
	CHECK(fix_open(&f, &sp, 0, 32));
	CHECK(tu_vc_up(&f.tv[0], 0, ex, f.ad, 0));
	for (i = 0; i < 10; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100 + i, 0, i)) != NULL);
		*tail[i / 5] = nbl;
		tail[i / 5] = &nbl->next;
	}
	CHECK_EQ(tu_send(&f.tv[0], chain[0]), 0); /* NBLs 0-4 */
	CHECK_EQ(tu_send(&f.tv[0], chain[1]), 0); /* 5-9 */
	CHECK_EQ(condis_sim_complete(f.ad, 0, 7), 7);
	CHECK_EQ(tu_poll_all(f.ad), 7);                /* 0-6: across the two sends */
	CHECK_EQ(tu_calls_consecutive, 1);
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 2), 1); /* 9 */
	CHECK_EQ(condis_sim_complete_one(f.ad, 0, 0), 1); /* 7 */
	CHECK_EQ(tu_poll_all(f.ad), 2);                /* 9, 7: out of order */
	CHECK_EQ(tu_calls_consecutive, 1);
	CHECK_EQ(tu_calls_scattered, 1);
	CHECK_EQ(condis_sim_complete(f.ad, 0, 1), 1);  /* 8 */
	CHECK_EQ(tu_poll_all(f.ad), 1);
	CHECK_EQ(tu_calls_consecutive, 2);
	/* A failure leaves the chain consecutive; the handler checks failed = 1. */
	CHECK_EQ(condis_sim_fail_next(f.ad, 0, 1, CONDIS_STATUS_FAILURE), 0);
	for (i = 10; i < 13; i++) {
		CHECK((nbl = tu_data_nbl(&f.tp, 100, 0, i)) != NULL);
		CHECK_EQ(tu_send1(&f.tv[0], nbl), 0);
	}
	CHECK_EQ(condis_sim_complete(f.ad, 0, 3), 3);
	CHECK_EQ(tu_poll_all(f.ad), 3);
	CHECK_EQ(tu_calls_consecutive, 3);
	CHECK_EQ(tu_tracks[10].status, CONDIS_STATUS_FAILURE);
	CHECK_EQ(tu_calls, 4);
	CHECK(all_once());
	CHECK(fix_close(&f, NULL));
	CHECK_EQ(condis_protocol_deregister(ex), 0);
}

static void
test_shared_buffer_no_bounce(void)
{
	shared_buffer(false);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "auto_once", test_auto_once },
		{ "manual_in_order", test_manual_in_order },
		{ "out_of_order", test_out_of_order },
		{ "fail_next", test_fail_next },
		{ "stall_order", test_stall_order },
		{ "link_down", test_link_down },
		{ "ring_full", test_ring_full },
		{ "reset of a hung device (spec 100-104)", test_reset_hung },
		{ "close_aborts", test_close_aborts },
		{ "bad_args", test_bad_args },
		{ "bad_geometry", test_bad_geometry },
		{ "shared_buffer_bounce", test_shared_buffer_bounce },
		{ "shared_buffer_no_bounce", test_shared_buffer_no_bounce },
		{ "completion info (co_send_complete_ex)", test_completion_info },
	};

	(void)argc;
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &null_port) != 0)
		return 1;
	proto = condis_protocol_register("sim_test", &order_ops);
	if (proto == NULL)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
