/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Completion by reference hold (docs/DESIGN-NOTES.md): every carrier handed
 * to the PMD keeps a second reference, so the PMD's free only drops it (an
 * atomic decrement, no mempool put, no lcore lookup, no ops call). The
 * queue's held ring lists those carriers in send order; reaping it from the
 * head while the reference count reads 1 releases them to their NBLs. TX
 * PMDs free in ring order, so the head is always the next one done.
 */
#ifndef ETHDEV_HELD_H
#define ETHDEV_HELD_H

#include "ethdev_private.h"

static inline uint32_t
held_room(const struct ethdev_txq *q)
{
	return q->held_mask + 1 - (q->held_tail - q->held_head);
}

/* The PMD is done with carrier m: back to its NBL (or its pool, if lent). */
static inline void
held_release(struct rte_mbuf *m)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);
	struct condis_nbl *nbl = mdl->inflight;

	/* A free that only dropped a reference left the chain links. */
	if (unlikely(m->next != NULL)) {
		m->next = NULL;
		m->nb_segs = 1;
	}
	mdl->inflight = NULL;
	condis_nbl_release_ref(nbl);
	if (unlikely(mdl->flags & CONDIS_MDL_F_BOUNCE))
		condis_carrier_return(m);
}

/* Release every carrier at the head of the held ring the PMD has freed. */
static inline void
ethdev_reap(struct ethdev_txq *q)
{
	uint32_t head = q->held_head, tail = q->held_tail;

	while (head != tail) {
		struct rte_mbuf *m = q->held_ring[head & q->held_mask];

		if (rte_mbuf_refcnt_read(m) != 1)
			break;
		held_release(m);
		head++;
	}
	q->held_head = head;
}

/*
 * Take a second reference on every segment of the first mbufs of burst that
 * fit in the held ring (reaping first if all k do not); returns how many.
 * one_seg: every mbuf is a single segment (the direct path).
 */
static __rte_always_inline unsigned int
ethdev_hold(struct ethdev_txq *q, struct rte_mbuf **burst, unsigned int k, const bool one_seg)
{
	uint32_t room = held_room(q), need = 0;
	unsigned int i;

	if (one_seg) {
		if (unlikely(room < k)) {
			ethdev_reap(q);
			k = RTE_MIN(k, held_room(q));
		}
		for (i = 0; i < k; i++)
			rte_mbuf_refcnt_set(burst[i], 2);
		return k;
	}
	for (i = 0; i < k; i++)
		need += burst[i]->nb_segs;
	if (unlikely(need > room)) {
		ethdev_reap(q);
		room = held_room(q);
		for (i = 0, need = 0; i < k && need + burst[i]->nb_segs <= room; i++)
			need += burst[i]->nb_segs;
		k = i;
	}
	for (i = 0; i < k; i++) {
		struct rte_mbuf *s;

		for (s = burst[i]; s != NULL; s = s->next)
			rte_mbuf_refcnt_set(s, 2);
	}
	return k;
}

/* Record the segments of the first n mbufs of burst, which the PMD took. */
static __rte_always_inline void
ethdev_held_push(struct ethdev_txq *q, struct rte_mbuf **burst, unsigned int n,
		 const bool one_seg)
{
	uint32_t tail = q->held_tail;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *s = burst[i];

		if (one_seg) {
			q->held_ring[tail++ & q->held_mask] = s;
			continue;
		}
		for (; s != NULL; s = s->next)
			q->held_ring[tail++ & q->held_mask] = s;
	}
	q->held_tail = tail;
}

/*
 * At halt, after the port stopped: release what the PMD freed, and give up
 * the held reference on what it still keeps (net_ring), so that its late
 * free reaches the carrier ops, which absorb it once condis_carriers_reclaim()
 * has completed the NBL (an orphan). Control path.
 */
static inline void
ethdev_held_abandon(struct ethdev_txq *q)
{
	uint32_t head;

	ethdev_reap(q);
	for (head = q->held_head; head != q->held_tail; head++) {
		struct rte_mbuf *m = q->held_ring[head & q->held_mask];

		if (rte_mbuf_refcnt_read(m) == 1)
			held_release(m); /* freed out of order */
		else
			rte_mbuf_refcnt_update(m, -1);
	}
	q->held_head = q->held_tail;
}

#endif /* ETHDEV_HELD_H */
