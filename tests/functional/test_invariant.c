/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exactly-once invariant across threads and at the edges (issue 10):
 * per-VC order when a chain handed over from another thread meets the
 * owner's own send; per-VC counters with refusals made for other threads; a
 * send racing a deactivation; one MDL in sends on two queues of two lcores;
 * an NB in more pieces than the held ring; NBL memory a device still holds
 * after close; and a stress run in which two lcores and a non-EAL thread
 * send on each other's queues, per-VC order checked on the wire.
 *
 * Runs on two lcores (-l 0-1); every wait is bounded.
 */
#define _GNU_SOURCE /* CPU_SET, pthread_setaffinity_np */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "condis_test.h"
#include "tutil.h"

#define FRAME_LEN 64
#define SPIN_SECONDS 20 /* bound on any wait */

static struct condis_protocol *proto;

/* A protocol VC as these tests see it. Completion counts are atomics: the
 * tests read them from other threads than the completing owner. */
struct tvc {
	struct condis_vc *vc;
	uint32_t id;
	unsigned int owner_lcore;      /* where completions must run */
	struct rte_ring *free;         /* NBLs back from completion, MP/MC */
	atomic_ulong completed, success, failed, other;
	atomic_ulong wrong_thread, twice, success_after_deact;
	atomic_int deact_done;
};

/* Per-NBL bookkeeping in ProtocolReserved: [1] sends, [2] completions. */
static inline uintptr_t
nbl_count_inc(struct condis_nbl *nbl, unsigned int slot)
{
	uintptr_t n = (uintptr_t)nbl->protocol_reserved[slot] + 1;

	nbl->protocol_reserved[slot] = (void *)n;
	return n;
}
#define NBL_SENDS 1
#define NBL_DONE 2

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct tvc *tv = ctx;
	struct condis_nbl *nbl, *next;

	RTE_SET_USED(flags);
	if (tv->owner_lcore != LCORE_ID_ANY && rte_lcore_id() != tv->owner_lcore)
		atomic_fetch_add(&tv->wrong_thread, 1);
	for (nbl = chain; nbl != NULL; nbl = next) {
		next = nbl->next;
		nbl->next = NULL;
		if (nbl_count_inc(nbl, NBL_DONE) != (uintptr_t)nbl->protocol_reserved[NBL_SENDS])
			atomic_fetch_add(&tv->twice, 1);
		if (nbl->status == CONDIS_STATUS_SUCCESS) {
			atomic_fetch_add(&tv->success, 1);
			if (atomic_load(&tv->deact_done))
				atomic_fetch_add(&tv->success_after_deact, 1);
		} else if (nbl->status == CONDIS_STATUS_FAILURE) {
			atomic_fetch_add(&tv->failed, 1);
		} else {
			atomic_fetch_add(&tv->other, 1);
		}
		atomic_fetch_add(&tv->completed, 1);
		if (tv->free != NULL && rte_ring_enqueue(tv->free, nbl) != 0)
			atomic_fetch_add(&tv->other, 1000000); /* cannot happen: ring sized */
	}
}

static void
on_deactivate(void *ctx, condis_status_t status)
{
	struct tvc *tv = ctx;

	RTE_SET_USED(status);
	atomic_store(&tv->deact_done, 1);
}

static const struct condis_protocol_ops ops = {
	.co_send_complete = on_complete,
	.co_deactivate_complete = on_deactivate,
};

static uint64_t
deadline(void)
{
	return rte_get_timer_cycles() + SPIN_SECONDS * rte_get_timer_hz();
}

static bool
expired(uint64_t end)
{
	return rte_get_timer_cycles() > end;
}

static void
tvc_init(struct tvc *tv, uint32_t id, unsigned int owner_lcore)
{
	memset(tv, 0, sizeof(*tv));
	tv->id = id;
	tv->owner_lcore = owner_lcore;
}

static bool
tvc_up(struct tvc *tv, struct condis_adapter *ad, uint16_t q)
{
	struct condis_call_params cp = { .tx_queue = q };

	tv->vc = condis_vc_create(proto, ad, tv);
	return tv->vc != NULL && condis_vc_activate(tv->vc, &cp) == CONDIS_STATUS_SUCCESS;
}

/* A free ring of n data NBLs (FRAME_LEN bytes each) for tv. */
static bool
tvc_fill(struct tvc *tv, struct condis_nbl_pool *pool, unsigned int n)
{
	unsigned int i;

	tv->free = rte_ring_create(tu_name("free"), rte_align32pow2(n + 1), SOCKET_ID_ANY, 0);
	if (tv->free == NULL)
		return false;
	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl = condis_nbl_alloc(pool);

		if (nbl == NULL)
			return false;
		nbl->first_nb->data_length = FRAME_LEN;
		rte_ring_enqueue(tv->free, nbl);
	}
	return true;
}

/* Free every NBL in tv's free ring; false if one cannot be freed. */
static bool
tvc_drain_free(struct tvc *tv)
{
	void *nbl;
	bool ok = true;

	while (rte_ring_dequeue(tv->free, &nbl) == 0)
		ok &= condis_nbl_free(nbl) == 0;
	rte_ring_free(tv->free);
	tv->free = NULL;
	return ok;
}

/* Take an NBL from tv's free ring, stamped (stamp_vc, seq); NULL if none. */
static struct condis_nbl *
tvc_take(struct tvc *tv, uint32_t stamp_vc, uint32_t seq)
{
	struct condis_nbl *nbl;

	if (rte_ring_dequeue(tv->free, (void **)&nbl) != 0)
		return NULL;
	nbl->next = NULL;
	nbl->source_handle = NULL;
	tu_nb_write_frame(nbl->first_nb, stamp_vc, seq);
	nbl_count_inc(nbl, NBL_SENDS);
	return nbl;
}

/* A net_ring port with nq TX rings, each the "wire" of one queue. Cases that
 * use one name tu_need_net_ring as their setup. */
static int
ring_port(struct rte_ring **tx, unsigned int nq, unsigned int cap)
{
	struct rte_ring *rx = rte_ring_create(tu_name("irx"), cap, SOCKET_ID_ANY,
					      RING_F_SP_ENQ | RING_F_SC_DEQ);
	unsigned int i;

	for (i = 0; i < nq; i++) {
		tx[i] = rte_ring_create(tu_name("itx"), cap, SOCKET_ID_ANY,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (tx[i] == NULL)
			return -1;
	}
	if (rx == NULL)
		return -1;
	return tu_eth_from_rings(tu_name("iport"), &rx, 1, tx, nq, rte_socket_id());
}

/* Per-VC order on one wire. */
struct wire {
	struct rte_ring *tx;
	uint32_t next_seq[8];
	unsigned long frames[8];
	unsigned long order_errors, bad_frames;
};

/* Consume what the device put on the wire: check per-VC order, free. */
static void
wire_drain(struct wire *w)
{
	struct rte_mbuf *m[32];
	unsigned int got, i;

	got = rte_ring_dequeue_burst(w->tx, (void **)m, RTE_DIM(m), NULL);
	for (i = 0; i < got; i++) {
		uint8_t buf[TU_HDR_LEN];
		const uint8_t *p = rte_pktmbuf_read(m[i], 0, TU_HDR_LEN, buf);
		uint32_t vc, seq;

		if (p == NULL || !tu_frame_parse(p, TU_HDR_LEN, &vc, &seq) || vc >= 8) {
			w->bad_frames++;
		} else {
			if (seq != w->next_seq[vc]) {
				if (w->order_errors++ < 5)
					fprintf(stderr, "wire: VC %u seq %u, expected %u\n",
						vc, seq, w->next_seq[vc]);
			}
			w->next_seq[vc] = seq + 1;
			w->frames[vc]++;
		}
		rte_pktmbuf_free(m[i]);
	}
}

/* ---------------------------------------------------------------------
 * 1. A chain handed over from another thread, then the owner's own send
 *    on the same VC: the older chain reaches the wire first (spec 73).
 */
#define ORDER_ITERS 2000

struct order_sender {
	struct condis_vc *vc;
	struct condis_nbl **nbls;
	atomic_uint go, sent;
	int errors;
};

/*
 * A pthread inherits lcore 0's pinning: let it run on any CPU, as an
 * application's own thread would, so that it need not wait for a time
 * slice of the CPU the owner spins on (the waits below still yield).
 */
static void
thread_unpin(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), c;
	cpu_set_t all;

	CPU_ZERO(&all);
	for (c = 0; c < n && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
}

static void *
order_sender_main(void *arg)
{
	struct order_sender *s = arg;
	uint64_t end = deadline();
	unsigned int i;

	thread_unpin();
	for (i = 0; i < ORDER_ITERS; i++) {
		while (atomic_load(&s->go) != i + 1) {
			if (expired(end))
				return NULL;
			sched_yield(); /* maybe on lcore 0's CPU still (below) */
		}
		if (condis_co_send_nbls(s->vc, s->nbls[2 * i], 0) != 0)
			s->errors++;
		atomic_store(&s->sent, i + 1);
	}
	return NULL;
}

static void
test_handover_order(void)
{
	static struct condis_nbl *nbls[2 * ORDER_ITERS];
	struct condis_ethdev_params p = { .owners = true };
	struct order_sender s = { 0 };
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	struct rte_ring *tx;
	struct wire w = { 0 };
	struct tvc tv;
	pthread_t th;
	uint64_t end = deadline();
	unsigned int i;
	int port = ring_port(&tx, 1, 4096);

	CHECK(port >= 0);
	p.port_id = (uint16_t)port;
	p.owner_lcore[0] = rte_lcore_id();
	ad = condis_ethdev_open(&p);
	CHECK(ad != NULL);
	tvc_init(&tv, 0, rte_lcore_id());
	CHECK(tvc_up(&tv, ad, 0));
	pool = tu_nbl_pool(2 * ORDER_ITERS, true, 128);
	CHECK(pool != NULL);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, 2 * ORDER_ITERS), 0);
	for (i = 0; i < 2 * ORDER_ITERS; i++) {
		nbls[i]->first_nb->data_length = FRAME_LEN;
		tu_nb_write_frame(nbls[i]->first_nb, 0, i);
		nbl_count_inc(nbls[i], NBL_SENDS);
	}
	w.tx = tx;
	s.vc = tv.vc;
	s.nbls = nbls;
	CHECK_EQ(pthread_create(&th, NULL, order_sender_main, &s), 0);
	for (i = 0; i < ORDER_ITERS && !expired(end); i++) {
		atomic_store(&s.go, i + 1);
		/* The sender may share this CPU (a loaded machine): yield to it
		 * (spinning, each handover took a time slice and 2000 of them
		 * outlasted the deadline). */
		while (atomic_load(&s.sent) != i + 1 && !expired(end))
			sched_yield();
		if (atomic_load(&s.sent) != i + 1)
			break; /* timed out: sending now would be out of order */
		/* The other thread's send has returned: this one comes after it. */
		CHECK_EQ(condis_co_send_nbls(tv.vc, nbls[2 * i + 1], 0), 0);
		condis_poll(ad, 0);
		wire_drain(&w);
	}
	while (atomic_load(&tv.completed) < 2 * ORDER_ITERS && !expired(end)) {
		condis_poll(ad, 0);
		wire_drain(&w);
	}
	pthread_join(th, NULL);
	printf("note: %lu frames on the wire, %lu out of order\n", w.frames[0], w.order_errors);
	CHECK_EQ(s.errors, 0);
	CHECK_EQ(w.order_errors, 0);
	CHECK_EQ(w.frames[0], 2 * ORDER_ITERS);
	CHECK_EQ(atomic_load(&tv.completed), 2 * ORDER_ITERS);
	CHECK_EQ(atomic_load(&tv.success), 2 * ORDER_ITERS);
	CHECK_EQ(atomic_load(&tv.twice), 0);
	CHECK_EQ(atomic_load(&tv.wrong_thread), 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	for (i = 0; i < 2 * ORDER_ITERS; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* An adapter on net_null0 whose queue this lcore owns; NULL on failure. */
static struct condis_adapter *
null_owned_here(void)
{
	struct condis_ethdev_params p = { .owners = true };

	if (tu_port("net_null0", &p.port_id) != 0)
		return NULL;
	p.owner_lcore[0] = rte_lcore_id();
	return condis_ethdev_open(&p);
}

/* ---------------------------------------------------------------------
 * 2. Refusals made for another thread (a foreign SourceHandle) while the
 *    owner completes: per-VC counters stay exact, so the VC deactivates at
 *    once and is deleted.
 */
#define FOREIGN_CHAINS 100000

struct foreign_sender {
	struct tvc *tv;
	struct condis_vc *other;
	atomic_int done;
	int errors;
};

static void *
foreign_sender_main(void *arg)
{
	struct foreign_sender *s = arg;
	uint64_t end = deadline();
	unsigned int i;

	thread_unpin();

	for (i = 0; i < FOREIGN_CHAINS && !expired(end); i++) {
		struct condis_nbl *a, *b;

		while ((a = tvc_take(s->tv, 0, i)) == NULL && !expired(end))
			;
		while ((b = tvc_take(s->tv, 0, i)) == NULL && !expired(end))
			;
		if (a == NULL || b == NULL)
			break;
		b->source_handle = s->other; /* refused: FAILURE (spec 46) */
		a->next = b;
		if (condis_co_send_nbls(s->tv->vc, a, 0) != 0)
			s->errors++;
	}
	atomic_store(&s->done, 1);
	return NULL;
}

static void
test_counters_with_refusals(void)
{
	struct foreign_sender s = { 0 };
	struct condis_vc_stats st;
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	struct tvc tv, other;
	pthread_t th;
	uint64_t end = deadline();

	ad = null_owned_here();
	CHECK(ad != NULL);
	tvc_init(&tv, 0, rte_lcore_id());
	tvc_init(&other, 1, rte_lcore_id());
	CHECK(tvc_up(&tv, ad, 0) && tvc_up(&other, ad, 0));
	pool = tu_nbl_pool(512, true, 128);
	CHECK(pool != NULL && tvc_fill(&tv, pool, 512));
	s.tv = &tv;
	s.other = other.vc;
	CHECK_EQ(pthread_create(&th, NULL, foreign_sender_main, &s), 0);
	while ((!atomic_load(&s.done) || atomic_load(&tv.completed) < 2ul * FOREIGN_CHAINS) &&
	       !expired(end))
		condis_poll(ad, 0);
	pthread_join(th, NULL);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	printf("note: sent %" PRIu64 ", completed %" PRIu64 ", in flight %u\n",
	       st.nbls_sent, st.nbls_completed, st.in_flight);
	CHECK_EQ(s.errors, 0);
	CHECK_EQ(st.nbls_sent, 2ul * FOREIGN_CHAINS);
	CHECK_EQ(st.nbls_completed, st.nbls_sent);
	CHECK_EQ(st.nbls_failed, FOREIGN_CHAINS);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(atomic_load(&tv.success), FOREIGN_CHAINS);
	CHECK_EQ(atomic_load(&tv.failed), FOREIGN_CHAINS);
	CHECK_EQ(atomic_load(&tv.twice), 0);
	CHECK_EQ(atomic_load(&tv.wrong_thread), 0);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	CHECK(tvc_drain_free(&tv));
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* ---------------------------------------------------------------------
 * 3. Another thread keeps sending while the owner deactivates the VC:
 *    every NBL comes back once, none with SUCCESS after the deactivation
 *    completed, and the VC can then be deleted.
 */
struct racing_sender {
	struct tvc *tv;
	atomic_int stop;
	atomic_ulong sent;
};

static void *
racing_sender_main(void *arg)
{
	struct racing_sender *s = arg;
	uint64_t end = deadline();
	uint32_t seq = 0;

	thread_unpin();

	while (!atomic_load(&s->stop) && !expired(end)) {
		struct condis_nbl *nbl = tvc_take(s->tv, 0, seq++);

		if (nbl == NULL)
			continue;
		if (condis_co_send_nbls(s->tv->vc, nbl, 0) == 0)
			atomic_fetch_add(&s->sent, 1);
	}
	return NULL;
}

static void
test_send_racing_deactivate(void)
{
	struct racing_sender s = { 0 };
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	condis_status_t st;
	struct tvc tv;
	pthread_t th;
	uint64_t end = deadline();

	ad = null_owned_here();
	CHECK(ad != NULL);
	tvc_init(&tv, 0, rte_lcore_id());
	CHECK(tvc_up(&tv, ad, 0));
	pool = tu_nbl_pool(256, true, 128);
	CHECK(pool != NULL && tvc_fill(&tv, pool, 256));
	s.tv = &tv;
	CHECK_EQ(pthread_create(&th, NULL, racing_sender_main, &s), 0);
	while (atomic_load(&tv.completed) < 20000 && !expired(end))
		condis_poll(ad, 0);
	st = condis_vc_deactivate(tv.vc);
	CHECK(st == CONDIS_STATUS_SUCCESS || st == CONDIS_STATUS_PENDING);
	if (st == CONDIS_STATUS_SUCCESS)
		atomic_store(&tv.deact_done, 1);
	while (!atomic_load(&tv.deact_done) && !expired(end))
		condis_poll(ad, 0);
	/* Some sends after the deactivation, then the sender stops. */
	while (atomic_load(&tv.completed) < 20000 + 1000 && !expired(end))
		condis_poll(ad, 0);
	atomic_store(&s.stop, 1);
	pthread_join(th, NULL);
	while (atomic_load(&tv.completed) < atomic_load(&s.sent) && !expired(end))
		condis_poll(ad, 0);
	printf("note: %lu sent, %lu SUCCESS, %lu refused\n", atomic_load(&s.sent),
	       atomic_load(&tv.success), atomic_load(&tv.other));
	CHECK(atomic_load(&tv.deact_done));
	CHECK_EQ(atomic_load(&tv.completed), atomic_load(&s.sent));
	CHECK_EQ(atomic_load(&tv.success_after_deact), 0);
	CHECK(atomic_load(&tv.other) > 0); /* CLOSING / VC_NOT_ACTIVATED */
	CHECK_EQ(atomic_load(&tv.twice), 0);
	CHECK_EQ(atomic_load(&tv.wrong_thread), 0);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	CHECK(tvc_drain_free(&tv));
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* ---------------------------------------------------------------------
 * 4. One zero-copy MDL in NBLs sent on two queues owned by two lcores:
 *    one send holds the buffer, the other copies it (or completes
 *    RESOURCES); nothing is bound twice (condis_vc.h, RESOURCES).
 */
#define SHARED_NBLS 128

struct shared_side {
	struct condis_adapter *ad;
	uint16_t q;
	struct tvc tv;
	struct condis_nbl *free[SHARED_NBLS];
	unsigned int n_free;
	unsigned long sent;
	int errors;
};

static atomic_int shared_stop;

static void
shared_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct shared_side *sd = container_of(ctx, struct shared_side, tv);
	struct condis_nbl *nbl;

	/* Back on this lcore's own free list; on_complete() unlinks them. */
	for (nbl = chain; nbl != NULL; nbl = nbl->next)
		sd->free[sd->n_free++] = nbl;
	on_complete(ctx, chain, flags);
}

static int
shared_side_main(void *arg)
{
	struct shared_side *sd = arg;
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 2; /* 0.5 s */

	while (!expired(end) && !atomic_load(&shared_stop)) {
		struct condis_nbl *chain = NULL;

		while (sd->n_free > 0) {
			struct condis_nbl *nbl = sd->free[--sd->n_free];

			nbl_count_inc(nbl, NBL_SENDS);
			nbl->next = chain;
			chain = nbl;
			sd->sent++;
		}
		if (chain != NULL && condis_co_send_nbls(sd->tv.vc, chain, 0) != 0)
			sd->errors++;
		condis_poll(sd->ad, sd->q);
	}
	end = deadline();
	while (atomic_load(&sd->tv.completed) < sd->sent && !expired(end))
		condis_poll(sd->ad, sd->q);
	return 0;
}

static void
test_shared_mdl_two_queues(void)
{
	static struct shared_side side[2];
	const struct condis_protocol_ops shared_ops = { .co_send_complete = shared_complete };
	struct condis_ethdev_params p = { .nb_tx_queues = 2, .owners = true };
	struct condis_mdl_pool_params mp = { .name = tu_name("shmdl"), .count = 4,
					     .socket_id = SOCKET_ID_ANY };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0), i, j;
	struct condis_protocol *sproto;
	struct condis_nbl_pool *pool;
	struct condis_mdl_pool *mdls;
	struct condis_nb_pool *nbs;
	struct condis_mdl *mdl;
	struct condis_adapter *ad;
	uint64_t copies = 0;
	uint8_t *buf;
	uint16_t port;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_EQ(tu_port("net_null1", &port), 0);
	p.port_id = port;
	p.owner_lcore[0] = rte_lcore_id();
	p.owner_lcore[1] = worker;
	ad = condis_ethdev_open(&p);
	CHECK(ad != NULL);
	sproto = condis_protocol_register("shared", &shared_ops);
	pool = tu_nbl_pool(2 * SHARED_NBLS, false, 0);
	nbs = tu_nb_pool(2 * SHARED_NBLS);
	mdls = condis_mdl_pool_create(&mp);
	buf = rte_malloc("shbuf", 256, 64);
	CHECK(sproto != NULL && pool != NULL && nbs != NULL && mdls != NULL && buf != NULL);
	tu_frame_fill(buf, 7, 0, FRAME_LEN);
	mdl = condis_mdl_alloc_ext(mdls, buf, RTE_BAD_IOVA, FRAME_LEN);
	CHECK(mdl != NULL);
	atomic_store(&shared_stop, 0);
	for (i = 0; i < 2; i++) {
		struct shared_side *sd = &side[i];
		struct condis_call_params cp = { .tx_queue = (uint16_t)i };

		memset(sd, 0, sizeof(*sd));
		sd->ad = ad;
		sd->q = (uint16_t)i;
		tvc_init(&sd->tv, i, i == 0 ? rte_lcore_id() : worker);
		sd->tv.vc = condis_vc_create(sproto, ad, &sd->tv);
		CHECK(sd->tv.vc != NULL);
		CHECK_EQ(condis_vc_activate(sd->tv.vc, &cp), CONDIS_STATUS_SUCCESS);
		for (j = 0; j < SHARED_NBLS; j++) {
			struct condis_nbl *nbl = condis_nbl_alloc(pool);

			CHECK(nbl != NULL);
			nbl->first_nb = condis_nb_alloc(nbs, mdl, 0, FRAME_LEN);
			CHECK(nbl->first_nb != NULL);
			sd->free[sd->n_free++] = nbl;
		}
	}
	CHECK_EQ(rte_eal_remote_launch(shared_side_main, &side[1], worker), 0);
	shared_side_main(&side[0]);
	atomic_store(&shared_stop, 1);
	CHECK_EQ(rte_eal_wait_lcore(worker), 0);
	for (i = 0; i < 2; i++) {
		struct condis_ethdev_queue_stats qs;
		struct tvc *tv = &side[i].tv;

		CHECK_EQ(condis_ethdev_queue_stats_get(ad, (uint16_t)i, &qs), 0);
		copies += qs.copies;
		printf("note: queue %u: %lu sent, %lu SUCCESS, %lu other, %" PRIu64 " copied\n",
		       i, side[i].sent, atomic_load(&tv->success), atomic_load(&tv->other),
		       qs.copies);
		CHECK_EQ(side[i].errors, 0);
		CHECK(side[i].sent > 0);
		CHECK_EQ(atomic_load(&tv->completed), side[i].sent);
		CHECK_EQ(atomic_load(&tv->twice), 0);
		CHECK_EQ(atomic_load(&tv->wrong_thread), 0);
		CHECK_EQ(atomic_load(&tv->failed), 0);
		CHECK_EQ(side[i].n_free, SHARED_NBLS);
		CHECK_EQ(condis_vc_deactivate(tv->vc), CONDIS_STATUS_SUCCESS);
	}
	CHECK(copies > 0); /* the two lcores did meet on the buffer */
	condis_adapter_close(ad);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < SHARED_NBLS; j++) {
			struct condis_nbl *nbl = side[i].free[j];

			CHECK_EQ(condis_nb_free(nbl->first_nb), 0);
			nbl->first_nb = NULL;
			CHECK_EQ(condis_nbl_free(nbl), 0);
		}
	}
	CHECK_EQ(condis_mdl_free(mdl), 0); /* idle: no carrier left bound */
	CHECK_EQ(condis_mdl_pool_free(mdls), 0);
	CHECK_EQ(condis_nb_pool_free(nbs), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(sproto), 0);
	rte_free(buf);
}

/* ---------------------------------------------------------------------
 * 5. An NB in more pieces than the held ring has slots completes
 *    INVALID_LENGTH instead of wedging its VC; one that fits is sent.
 */
static struct condis_nb *
pieces_nb(struct condis_nb_pool *nbs, struct condis_mdl_pool *mdls, uint32_t n)
{
	struct condis_mdl *head = NULL, **tailp = &head;
	struct condis_nb *nb;
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct condis_mdl *m = condis_mdl_alloc_data(mdls, 1);

		if (m == NULL)
			return NULL;
		*tailp = m;
		tailp = &m->next;
	}
	nb = condis_nb_alloc(nbs, head, 0, n);
	if (nb != NULL)
		tu_nb_write_frame(nb, 0, 0);
	return nb;
}

static void
test_more_pieces_than_held_ring(void)
{
	struct condis_ethdev_params p = { .nb_tx_desc = 64 };
	struct condis_nbl *big, *fits, *after;
	struct condis_nbl_pool *bare, *data;
	struct condis_mdl_pool *mdls;
	struct condis_nb_pool *nbs;
	struct condis_adapter *ad;
	struct rte_ring *tx;
	struct wire w = { 0 };
	struct tvc tv;
	uint64_t end = deadline();
	int port = ring_port(&tx, 1, 256);

	CHECK(port >= 0);
	w.tx = tx;
	p.port_id = (uint16_t)port;
	ad = tu_ethdev_open(&p);
	CHECK(ad != NULL);
	printf("note: net_ring takes %u segments per frame here\n", condis_ethdev_max_segs(ad));
	CHECK(condis_ethdev_max_segs(ad) > 1000); /* net_ring offers MULTI_SEGS */
	CHECK(condis_ethdev_max_segs(ad) <= 1024); /* no more than the held ring */
	tvc_init(&tv, 0, LCORE_ID_ANY);
	CHECK(tvc_up(&tv, ad, 0));
	bare = tu_nbl_pool(4, false, 0);
	data = tu_nbl_pool(4, true, 128);
	nbs = tu_nb_pool(4);
	mdls = tu_mdl_pool(2200, 64);
	CHECK(bare != NULL && data != NULL && nbs != NULL && mdls != NULL);
	big = condis_nbl_alloc(bare);
	fits = condis_nbl_alloc(bare);
	after = condis_nbl_alloc(data);
	CHECK(big != NULL && fits != NULL && after != NULL);
	big->first_nb = pieces_nb(nbs, mdls, 1100);
	fits->first_nb = pieces_nb(nbs, mdls, 1000);
	CHECK(big->first_nb != NULL && fits->first_nb != NULL);
	after->first_nb->data_length = FRAME_LEN;
	tu_nb_write_frame(after->first_nb, 1, 0);
	nbl_count_inc(big, NBL_SENDS);
	nbl_count_inc(fits, NBL_SENDS);
	nbl_count_inc(after, NBL_SENDS);
	big->next = fits;
	fits->next = after;
	CHECK_EQ(condis_co_send_nbls(tv.vc, big, 0), 0);
	while (atomic_load(&tv.completed) < 3 && !expired(end)) {
		condis_poll(ad, 0);
		wire_drain(&w);
	}
	CHECK_EQ(atomic_load(&tv.completed), 3);
	CHECK_EQ(big->status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(fits->status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(after->status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(w.frames[0], 1);
	CHECK_EQ(w.frames[1], 1);
	CHECK_EQ(w.bad_frames, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	tu_free_nbl(big, true);
	tu_free_nbl(fits, true);
	CHECK_EQ(condis_nbl_free(after), 0);
	CHECK_EQ(condis_mdl_pool_free(mdls), 0);
	CHECK_EQ(condis_nb_pool_free(nbs), 0);
	CHECK_EQ(condis_nbl_pool_free(bare), 0);
	CHECK_EQ(condis_nbl_pool_free(data), 0);
}

/* ---------------------------------------------------------------------
 * 6. After close, a device that still holds an NBL's own buffers keeps its
 *    memory alive: the NBL and its pool cannot be freed until it lets go.
 */
static void
test_pool_outlives_device_hold(void)
{
	struct condis_ethdev_params p = { 0 };
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	struct condis_nbl *nbl;
	struct rte_mbuf *m = NULL;
	struct rte_ring *tx;
	struct tvc tv;
	int port = ring_port(&tx, 1, 64);

	CHECK(port >= 0);
	p.port_id = (uint16_t)port;
	ad = tu_ethdev_open(&p);
	CHECK(ad != NULL);
	tvc_init(&tv, 0, LCORE_ID_ANY);
	CHECK(tvc_up(&tv, ad, 0));
	pool = tu_nbl_pool(4, true, 128);
	CHECK(pool != NULL);
	nbl = condis_nbl_alloc(pool);
	CHECK(nbl != NULL);
	nbl->first_nb->data_length = FRAME_LEN;
	nbl_count_inc(nbl, NBL_SENDS);
	CHECK_EQ(condis_co_send_nbls(tv.vc, nbl, 0), 0);
	condis_poll(ad, 0);
	CHECK_EQ(rte_ring_count(tx), 1); /* the "device" keeps the frame */
	condis_adapter_close(ad);
	CHECK_EQ(atomic_load(&tv.completed), 1);
	CHECK_EQ(nbl->status, CONDIS_STATUS_PAUSED);
	CHECK_EQ(condis_nbl_free(nbl), -EBUSY);
	CHECK_EQ(condis_nbl_pool_free(pool), -EBUSY);
	CHECK_EQ(rte_ring_dequeue(tx, (void **)&m), 0);
	rte_pktmbuf_free(m); /* the device lets go, late */
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* ---------------------------------------------------------------------
 * 7. Stress: two lcores own a queue each; they and a non-EAL thread send
 *    on VCs of both queues (each VC from one thread), with refused NBLs
 *    mixed in. Per-VC order on each wire, every NBL back once on its
 *    queue's owner, counters exact, every VC deactivated and deleted.
 */
#define STRESS_VCS 6
#define STRESS_PER_VC 20000
#define STRESS_SENDERS 3

static struct {
	struct condis_adapter *ad;
	struct tvc tv[STRESS_VCS];
	struct wire wire[2];
	uint32_t seq[STRESS_VCS];
	atomic_int senders_done;
	atomic_ulong sent_total;
	int errors;
} stress;

/* One sending step on VC k: a chain of up to 8 NBLs, every 16th chain
 * with a refused NBL (foreign SourceHandle) at its end. */
static void
stress_send(unsigned int k)
{
	struct tvc *tv = &stress.tv[k];
	struct condis_nbl *head = NULL, **tailp = &head, *nbl;
	unsigned int n = 0, i;

	for (i = 0; i < 8 && stress.seq[k] < STRESS_PER_VC; i++) {
		nbl = tvc_take(tv, k, stress.seq[k]);
		if (nbl == NULL)
			break;
		stress.seq[k]++;
		*tailp = nbl;
		tailp = &nbl->next;
		n++;
	}
	if (n > 0 && stress.seq[k] % 16 < 8 && (nbl = tvc_take(tv, 99, 0)) != NULL) {
		nbl->source_handle = stress.tv[(k + 1) % STRESS_VCS].vc;
		*tailp = nbl;
		n++;
	}
	if (n == 0)
		return;
	if (condis_co_send_nbls(tv->vc, head, 0) != 0)
		stress.errors++;
	else
		atomic_fetch_add(&stress.sent_total, n);
}

static unsigned long
stress_completed(void)
{
	unsigned long n = 0;
	unsigned int k;

	for (k = 0; k < STRESS_VCS; k++)
		n += atomic_load(&stress.tv[k].completed);
	return n;
}

/* VCs 2t and 2t+1 are sent by sender t; VC k lives on queue k % 2. */
static void
stress_send_all(unsigned int t, bool *done)
{
	unsigned int k;

	*done = true;
	for (k = 2 * t; k < 2 * t + 2; k++) {
		stress_send(k);
		*done &= stress.seq[k] == STRESS_PER_VC;
	}
}

static int
stress_lcore_main(void *arg)
{
	unsigned int q = (unsigned int)(uintptr_t)arg;
	uint64_t end = deadline();
	bool done = false, counted = false;

	while (!expired(end)) {
		if (!done)
			stress_send_all(q, &done);
		if (done && !counted) {
			atomic_fetch_add(&stress.senders_done, 1);
			counted = true;
		}
		condis_poll(stress.ad, (uint16_t)q);
		wire_drain(&stress.wire[q]);
		if (atomic_load(&stress.senders_done) == STRESS_SENDERS &&
		    stress_completed() == atomic_load(&stress.sent_total))
			break;
	}
	return 0;
}

static void *
stress_thread_main(void *arg)
{
	uint64_t end = deadline();
	bool done = false;

	thread_unpin();

	RTE_SET_USED(arg);
	while (!done && !expired(end))
		stress_send_all(2, &done);
	atomic_fetch_add(&stress.senders_done, 1);
	return NULL;
}

static void
test_stress_cross_queue(void)
{
	struct condis_ethdev_params p = { .nb_tx_queues = 2, .owners = true };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0), k;
	struct condis_nbl_pool *pool;
	struct rte_ring *tx[2];
	pthread_t th;
	int port = ring_port(tx, 2, 4096);

	CHECK(port >= 0 && worker < RTE_MAX_LCORE);
	memset(&stress, 0, sizeof(stress));
	p.port_id = (uint16_t)port;
	p.owner_lcore[0] = rte_lcore_id();
	p.owner_lcore[1] = worker;
	stress.ad = condis_ethdev_open(&p);
	CHECK(stress.ad != NULL);
	pool = tu_nbl_pool(STRESS_VCS * 256, true, 128);
	CHECK(pool != NULL);
	for (k = 0; k < 2; k++)
		stress.wire[k].tx = tx[k];
	for (k = 0; k < STRESS_VCS; k++) {
		struct tvc *tv = &stress.tv[k];

		tvc_init(tv, k, k % 2 == 0 ? rte_lcore_id() : worker);
		CHECK(tvc_up(tv, stress.ad, (uint16_t)(k % 2)));
		CHECK(tvc_fill(tv, pool, 256));
	}
	CHECK_EQ(pthread_create(&th, NULL, stress_thread_main, NULL), 0);
	CHECK_EQ(rte_eal_remote_launch(stress_lcore_main, (void *)(uintptr_t)1, worker), 0);
	stress_lcore_main((void *)(uintptr_t)0);
	CHECK_EQ(rte_eal_wait_lcore(worker), 0);
	pthread_join(th, NULL);
	CHECK_EQ(stress.errors, 0);
	CHECK_EQ(atomic_load(&stress.senders_done), STRESS_SENDERS);
	CHECK_EQ(stress_completed(), atomic_load(&stress.sent_total));
	for (k = 0; k < STRESS_VCS; k++) {
		struct tvc *tv = &stress.tv[k];
		struct wire *w = &stress.wire[k % 2];
		struct condis_vc_stats st;

		CHECK_EQ(condis_vc_stats_get(tv->vc, &st), 0);
		CHECK_EQ(w->frames[k], STRESS_PER_VC);
		CHECK_EQ(atomic_load(&tv->success), STRESS_PER_VC);
		CHECK_EQ(atomic_load(&tv->failed), st.nbls_sent - STRESS_PER_VC);
		CHECK_EQ(atomic_load(&tv->other), 0);
		CHECK_EQ(atomic_load(&tv->twice), 0);
		CHECK_EQ(atomic_load(&tv->wrong_thread), 0);
		CHECK_EQ(st.in_flight, 0);
		CHECK_EQ(st.nbls_completed, st.nbls_sent);
		CHECK_EQ(condis_vc_deactivate(tv->vc), CONDIS_STATUS_SUCCESS);
		CHECK_EQ(condis_vc_delete(tv->vc), CONDIS_STATUS_SUCCESS);
	}
	for (k = 0; k < 2; k++) {
		printf("note: wire %u: %lu out of order, %lu bad frames\n", k,
		       stress.wire[k].order_errors, stress.wire[k].bad_frames);
		CHECK_EQ(stress.wire[k].order_errors, 0);
		CHECK_EQ(stress.wire[k].bad_frames, 0);
	}
	condis_adapter_close(stress.ad);
	for (k = 0; k < STRESS_VCS; k++)
		CHECK(tvc_drain_free(&stress.tv[k]));
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

int
main(int argc, char **argv)
{
	static const char *const vdevs[] = { "net_null0", "net_null1", NULL };
	static const struct condis_test_case cases[] = {
		{ "a handed-over chain stays ahead of the owner's next send (spec 73)",
		  test_handover_order, tu_need_net_ring },
		{ "refusals for other threads keep per-VC counters exact (spec 38)",
		  test_counters_with_refusals },
		{ "a send racing deactivation: once each, no SUCCESS after (spec 38, 44)",
		  test_send_racing_deactivate },
		{ "one MDL in sends on two lcores' queues: held once, else copied",
		  test_shared_mdl_two_queues },
		{ "an NB in more pieces than the held ring completes INVALID_LENGTH (spec 59)",
		  test_more_pieces_than_held_ring, tu_need_net_ring },
		{ "NBL memory outlives a device's hold after close (spec 13)",
		  test_pool_outlives_device_hold, tu_need_net_ring },
		{ "stress: two lcores and a thread send on each other's queues",
		  test_stress_cross_queue, tu_need_net_ring },
	};

	RTE_SET_USED(argc);
	if (condis_test_eal_init_lcores(argv[0], "0-1", vdevs) != 0)
		return 1;
	proto = condis_protocol_register("invariant", &ops);
	if (proto == NULL)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
