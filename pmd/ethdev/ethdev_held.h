/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Completion by reference hold (docs/DESIGN-NOTES.md): every carrier handed
 * to the PMD keeps a second reference, so the PMD's free only drops it (an
 * atomic decrement, no mempool put, no lcore lookup, no ops call). The
 * queue's held ring lists those carriers in send order; a carrier whose
 * reference count reads 1 is free again and goes back to its NBL.
 *
 * TX PMDs free in ring order, so reaping from the head finds them all in the
 * fast path. A carrier kept out of order (a consumer of net_ring that holds
 * one frame, a PMD that frees lazily) must not stall the rest: when the ring
 * fills, or the queue is idle with its head still held, held_ring_reap_all()
 * releases every free carrier and closes the gaps.
 *
 * Carriers are staged in the ring before tx_burst and committed after it:
 * a PMD may unlink and free segments inside tx_burst (linearizing a chain),
 * so the chain cannot be walked afterwards.
 */
#ifndef ETHDEV_HELD_H
#define ETHDEV_HELD_H

#include "ethdev_build.h"
#include "ethdev_private.h"

static inline uint32_t
held_ring_room(const struct ethdev_txq *q)
{
	return q->held_mask + 1 - (q->held_tail - q->held_head);
}

/* The PMD is done with carrier m: back to its NBL (or its pool, if lent);
 * an NBL that completes goes to its done list through a. */
static inline void
held_ring_release_to(struct condis_done_appender *a, struct rte_mbuf *m)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);
	struct condis_nbl *nbl = mdl->inflight;

	/* A free that only dropped a reference left the chain links. */
	if (unlikely(m->next != NULL)) {
		m->next = NULL;
		m->nb_segs = 1;
	}
	condis_mdl_release(mdl);
	condis_nbl_release_ref_to(a, nbl);
	if (unlikely(condis_carrier_is_bounce(m))) {
		condis_done_appender_flush(a); /* the pool's ops may complete NBLs too */
		condis_bounce_return(m);
	}
}

/* held_ring_release_to() of one carrier. */
static inline void
held_ring_release(struct rte_mbuf *m)
{
	struct condis_done_appender a;

	condis_done_appender_init(&a);
	held_ring_release_to(&a, m);
	condis_done_appender_flush(&a);
}

/* Release every carrier at the head of the held ring the PMD has freed. */
static inline void
held_ring_reap(struct ethdev_txq *q)
{
	/* Locals: the stores below could alias q's fields as far as the
	 * compiler knows, which would reload them for every carrier. */
	struct rte_mbuf **const ring = q->held_ring;
	const uint32_t mask = q->held_mask, tail = q->held_tail;
	uint32_t head = q->held_head;
	struct condis_done_appender a;

	condis_done_appender_init(&a);
	while (head != tail) {
		struct rte_mbuf *m = ring[head & mask];

		if (rte_mbuf_refcnt_read(m) != 1)
			break;
		held_ring_release_to(&a, m);
		head++;
	}
	condis_done_appender_flush(&a);
	q->held_head = head;
}

/* Is the oldest held carrier still with the PMD? */
static inline bool
held_ring_stuck(const struct ethdev_txq *q)
{
	return q->held_head != q->held_tail &&
	       rte_mbuf_refcnt_read(q->held_ring[q->held_head & q->held_mask]) != 1;
}

/* Release every freed carrier in the ring, keeping the rest in send order;
 * returns how many were released. */
uint32_t held_ring_reap_all(struct ethdev_txq *q);

/*
 * Take a second reference on every segment of the first mbufs of burst that
 * fit in the held ring and stage them after its tail; returns how many
 * mbufs. held_ring_commit() keeps those the PMD took.
 * one_seg: every mbuf is a single segment (the direct path).
 */
static __rte_always_inline unsigned int
held_ring_stage(struct ethdev_txq *q, struct rte_mbuf **burst, unsigned int k, const bool one_seg)
{
	struct rte_mbuf **const ring = q->held_ring; /* locals: see held_ring_reap() */
	const uint32_t mask = q->held_mask;
	uint32_t room = held_ring_room(q), need = 0, tail = q->held_tail;
	unsigned int i;

	if (one_seg) {
		if (unlikely(room < k)) {
			held_ring_reap_all(q);
			k = RTE_MIN(k, held_ring_room(q));
			tail = q->held_tail;
		}
		for (i = 0; i < k; i++) {
			struct rte_mbuf *m = burst[i];

			rte_mbuf_refcnt_set(m, 2);
			ring[tail++ & mask] = m;
		}
		return k;
	}
	for (i = 0; i < k; i++)
		need += burst[i]->nb_segs;
	if (unlikely(need > room)) {
		held_ring_reap_all(q);
		room = held_ring_room(q);
		tail = q->held_tail;
		for (i = 0, need = 0; i < k && need + burst[i]->nb_segs <= room; i++)
			need += burst[i]->nb_segs;
		k = i;
	}
	for (i = 0; i < k; i++) {
		struct rte_mbuf *s;

		for (s = burst[i]; s != NULL; s = s->next) {
			rte_mbuf_refcnt_set(s, 2);
			ring[tail++ & mask] = s;
		}
	}
	q->held_staged = tail - q->held_tail;
	return k;
}

/*
 * Keep the staged carriers of the first sent mbufs of burst (which the PMD
 * took) of the n staged. One-segment mbufs the device refused are unbound by
 * the caller; the segments of refused chains are unbound here, from their
 * slots: the PMD may have unlinked (and freed) segments of a chain it then
 * refused, so walking the chain would miss them.
 */
static __rte_always_inline void
held_ring_commit(struct ethdev_txq *q, struct rte_mbuf **burst, unsigned int sent,
		   unsigned int n, const bool one_seg)
{
	uint32_t tail = q->held_tail, end;

	if (one_seg) {
		q->held_tail = tail + sent;
		return;
	}
	end = tail + q->held_staged;
	if (likely(sent == n)) {
		q->held_tail = end;
		return;
	}
	/* The first refused head among the staged slots ends what was taken. */
	while (tail != end && q->held_ring[tail & q->held_mask] != burst[sent])
		tail++;
	q->held_tail = tail;
	for (; tail != end; tail++)
		ethdev_seg_unbind(q->held_ring[tail & q->held_mask]);
}

/*
 * At halt or reset, after the port stopped: release what the PMD freed (as
 * any free: a PMD that frees a slot only when it reuses it, net_e1000_em,
 * holds frames it sent long ago, and frees them all at stop), and abandon
 * what it still keeps (net_ring): the NBL completes now with status, and the
 * carrier is marked an orphan before the held reference is dropped, so that a
 * consumer freeing it at that moment, on any thread, reaches the carrier ops'
 * orphan path instead of releasing the NBL a second time. Control path.
 */
static inline void
held_ring_abandon(struct ethdev_txq *q, condis_status_t status)
{
	uint32_t head;

	for (head = q->held_head; head != q->held_tail; head++) {
		struct rte_mbuf *m = q->held_ring[head & q->held_mask];

		if (rte_mbuf_refcnt_read(m) == 1)
			held_ring_release(m); /* the PMD let go of it: as any free */
		else
			condis_carrier_abandon(m, status);
	}
	q->held_head = q->held_tail;
}

#endif /* ETHDEV_HELD_H */
