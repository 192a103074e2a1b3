/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev miniport's data path: the direct path to the ring, the per-VC
 * software FIFO with round robin, polling and completion delivery (spec C,
 * D, E). Building frames is ethdev_build.c's.
 *
 * No allocation: every segment is an MDL's carrier (or the NB's header
 * carrier), bound to its NBL for as long as the PMD holds it. An NBL keeps
 * miniport_pending = carriers held by the PMD + 1 while some of its NBs are still
 * queued; reaping the held ring (ethdev_held.h) drops the count as the PMD
 * frees, and at zero the NBL lands on its VC's done list, which poll
 * delivers.
 */
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>

#include "ethdev_build.h"
#include "ethdev_held.h"

static inline void
rr_push_tail(struct ethdev_txq *q, struct ethdev_vc *ev)
{
	ev->rr_next = NULL;
	if (q->rr_tail != NULL)
		q->rr_tail->rr_next = ev;
	else
		q->rr_head = ev;
	q->rr_tail = ev;
	ev->on_rr = true;
}

/* Add up to quota NBs of ev's FIFO to the burst from index k; return the new k. */
static inline unsigned int
fill_from_vc(struct ethdev_txq *q, struct ethdev_vc *ev, unsigned int k, unsigned int quota)
{
	uint64_t bytes = 0;
	unsigned int first = k, popped = 0;
	struct condis_nbl *nbl;

	while (quota > 0 && (nbl = ev->cursor) != NULL) {
		struct condis_nb *nb = nbl->miniport_cursor;
		unsigned int start = k;

		for (; nb != NULL && quota > 0; nb = nb->next) {
			struct rte_mbuf *m;

			if (unlikely(nbl->status != CONDIS_STATUS_PENDING))
				break; /* failed earlier: send no more of it */
			m = ethdev_nb_build(q, nbl, nb);
			if (unlikely(m == NULL)) {
				nbl->status = CONDIS_STATUS_RESOURCES;
				break;
			}
			q->burst[k] = m;
			q->burst_nbl[k] = nbl;
			q->burst_nb[k] = nb;
			q->burst_last[k] = false;
			bytes += nb->data_length;
			k++;
			quota--;
		}
		if (nb != NULL && nbl->status == CONDIS_STATUS_PENDING) {
			nbl->miniport_cursor = nb; /* quota ran out inside this NBL */
			break;
		}
		/* Wholly handed down (or given up): the FIFO moves on. */
		nbl->miniport_cursor = NULL;
		ev->cursor = nbl->next;
		popped++;
		if (k > start)
			q->burst_last[k - 1] = true; /* its guard goes when that one is taken */
		else
			condis_nbl_release_ref(nbl);
	}
	if (ev->cursor == NULL)
		ev->fifo_tailp = &ev->cursor;
	ev->queued -= popped;
	q->queued -= popped;
	ev->nbs_tx += k - first; /* unsend() takes back what the device refuses */
	ev->bytes_tx += bytes;
	return k;
}

/* Build a burst round robin over the VCs with queued NBs. */
static inline unsigned int
fill_burst(struct ethdev_txq *q)
{
	unsigned int k = 0;
	struct ethdev_vc *ev;

	while (k < ETHDEV_BURST && (ev = q->rr_head) != NULL) {
		k = fill_from_vc(q, ev, k, RTE_MIN((unsigned int)ETHDEV_VC_QUANTUM,
						   ETHDEV_BURST - k));
		q->rr_head = ev->rr_next;
		if (q->rr_head == NULL)
			q->rr_tail = NULL;
		ev->on_rr = false;
		if (ev->cursor != NULL)
			rr_push_tail(q, ev);
	}
	return k;
}

/* Put what the device refused back at the FIFO heads, newest first, so each
 * VC's cursor ends on its oldest unsent NB (spec 76). Of burst[sent, k), the
 * first n were held (held_ring_commit() unbound them). */
static void
unsend(struct ethdev_txq *q, unsigned int sent, unsigned int n, unsigned int k)
{
	unsigned int i;

	for (i = k; i-- > sent;) {
		struct condis_nbl *nbl = q->burst_nbl[i];
		struct ethdev_vc *ev = ethdev_vc_of(nbl);

		if (i >= n) /* never held; the held ones were unbound from their slots */
			ethdev_chain_unbind(q->burst[i], nbl);
		ev->nbs_tx--;
		ev->bytes_tx -= q->burst_nb[i]->data_length;
		if (nbl->miniport_cursor == NULL) {
			/* It had left the FIFO in this burst: back to the head. */
			nbl->next = ev->cursor;
			if (ev->cursor == NULL)
				ev->fifo_tailp = &nbl->next;
			ev->cursor = nbl;
			ev->queued++;
			q->queued++;
		}
		nbl->miniport_cursor = q->burst_nb[i];
		if (!ev->on_rr)
			rr_push_tail(q, ev);
	}
}

/* Move queued NBs to the device until the FIFOs are empty or the ring is full. */
static unsigned int
q_xmit(struct ethdev_txq *q)
{
	unsigned int total = 0;

	while (q->rr_head != NULL) {
		unsigned int k = fill_burst(q), n, sent, i;

		if (unlikely(k == 0))
			continue;
		n = held_ring_stage(q, q->burst, k, false);
		/* Even with nothing held (n == 0): some PMDs free only in tx_burst. */
		sent = rte_eth_tx_burst(q->ad->port_id, q->id, q->burst, (uint16_t)n);
		held_ring_commit(q, q->burst, sent, n, false);
		for (i = 0; i < sent; i++)
			if (q->burst_last[i])
				condis_nbl_release_ref(q->burst_nbl[i]);
		held_ring_reap(q);
		total += sent;
		q->stats.bursts += sent != 0;
		q->stats.pkts += sent;
		if (unlikely(sent < k)) {
			unsend(q, sent, n, k);
			q->stats.partial++;
			break;
		}
	}
	return total;
}

/*
 * Put every NB of nbl in the burst from index k, or none of them: returns
 * the new k, or k itself if an NB needs the general path or the burst has
 * no room for all of them.
 */
static __rte_always_inline unsigned int
burst_put_nbl(struct ethdev_txq *q, unsigned int k, struct condis_nbl *nbl,
	      struct condis_nb *nb, uintptr_t tag, uint64_t *bytes, const bool hw_tags)
{
	const unsigned int start = k;
	uint64_t b = *bytes;

	for (;;) {
		struct rte_mbuf *m = nb_fast_mbuf(q, nbl, nb, tag, &b, hw_tags);

		if (unlikely(m == NULL))
			break;
		q->burst[k++] = m;
		if (likely((nb = nb->next) == NULL)) {
			*bytes = b;
			return k;
		}
		if (unlikely(k == ETHDEV_BURST))
			break;
	}
	while (k > start)
		condis_mdl_release(condis_carrier_mdl(q->burst[--k]));
	return start;
}

/* The NB of nbl that carrier m was built from (direct path: m is the
 * carrier of the NB's current MDL, which no other NB of nbl holds). */
static struct condis_nb *
nb_of_carrier(const struct condis_nbl *nbl, const struct rte_mbuf *m)
{
	struct condis_nb *nb = nbl->first_nb;

	while (nb->current_mdl != condis_carrier_mdl(m))
		nb = nb->next;
	return nb;
}

/*
 * The ring took only the first `sent` of the k mbufs, which carry `nbls`
 * NBLs: the refused NBs take the FIFO, in order. Returns the first NBL not
 * wholly in the device, with the rest of the chain behind it; *sent_nbls
 * counts the NBLs that are. Only the refused carriers are read: a PMD that
 * copies frames (af_packet, tap, memif) may already have freed, and so
 * unbound, the ones it took.
 */
static struct condis_nbl *
direct_refused(struct ethdev_txq *q, struct ethdev_vc *ev, unsigned int sent, unsigned int k,
	       unsigned int nbls, unsigned int *sent_nbls)
{
	struct rte_mbuf **burst = q->burst;
	struct condis_nbl **bnbl = q->burst_nbl;
	struct condis_nbl *nbl;
	struct condis_nb *nb;
	unsigned int i, refused_nbls = 0;

	for (i = sent; i < k; i++) {
		bnbl[i] = condis_carrier_mdl(burst[i])->inflight;
		refused_nbls += i == sent || bnbl[i] != bnbl[i - 1];
	}
	*sent_nbls = nbls - refused_nbls;
	nbl = bnbl[sent];
	nb = nb_of_carrier(nbl, burst[sent]);
	if (nb != nbl->first_nb) {
		/* Part of this NBL is in the device (its NBs are in order in the
		 * burst): it waits at the FIFO head with a guard, the rest of the
		 * chain behind it. */
		struct condis_nbl *rest = nbl->next;

		nbl->miniport_cursor = nb;
		for (i = sent; i < k; i++)
			ethdev_chain_unbind(burst[i], bnbl[i]);
		nbl->miniport_pending++;
		nbl->next = NULL;
		ev->cursor = nbl;
		ev->fifo_tailp = &nbl->next;
		ev->in_flight++;
		ev->queued++;
		q->in_flight++;
		q->queued++;
		q->stats.backlog_nbls++;
		if (!ev->on_rr)
			rr_push_tail(q, ev);
		return rest;
	}
	for (i = sent; i < k; i++)
		ethdev_chain_unbind(burst[i], bnbl[i]);
	return nbl;
}

/*
 * The direct path: nothing is queued on this queue, so NBLs whose NBs need
 * nothing built go straight from the protocol's chain to the ring: no FIFO,
 * no guard reference, no round robin. Returns the first NBL it did not
 * send wholly (one the general path must take, or that the ring refused),
 * with the rest of the chain still linked behind it.
 */
static __rte_always_inline struct condis_nbl *
direct_xmit(struct ethdev_txq *q, struct ethdev_vc *ev, struct condis_nbl *nbl,
	    const bool hw_tags)
{
	const struct ethdev_adapter *ad = q->ad;
	struct condis_done_list *done = &ev->done;
	struct rte_mbuf **burst = q->burst;

	while (nbl != NULL) {
		uint64_t bytes = 0;
		unsigned int k = 0, nbls = 0, n, sent, i;

		for (; nbl != NULL; nbl = nbl->next) {
			uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
			struct condis_nb *nb = nbl->first_nb;
			unsigned int start = k;

			/* Software tags and empty NBLs take the general path. */
			if (unlikely(nb == NULL || (!hw_tags && tag != 0)))
				break;
			if (likely(nb->next == NULL)) {
				/* One NB: the common shape, no inner loop. */
				struct rte_mbuf *m = nb_fast_mbuf(q, nbl, nb, tag, &bytes, hw_tags);

				if (unlikely(m == NULL))
					break;
				burst[k++] = m;
			} else {
				k = burst_put_nbl(q, k, nbl, nb, tag, &bytes, hw_tags);
				if (unlikely(k == start))
					break;
			}
			nbl->miniport_pending = k - start; /* its carriers: no guard needed */
			nbl->miniport_done = done;
			nbls++;
			if (k == ETHDEV_BURST) {
				nbl = nbl->next;
				break;
			}
		}
		if (k == 0)
			return nbl;
		n = held_ring_stage(q, burst, k, true);
		sent = rte_eth_tx_burst(ad->port_id, q->id, burst, (uint16_t)n);
		held_ring_commit(q, burst, sent, n, true);
		held_ring_reap(q);
		q->stats.bursts += sent != 0;
		q->stats.pkts += sent;
		ev->nbs_tx += sent;
		if (likely(sent == k)) {
			ev->bytes_tx += bytes;
			ev->in_flight += nbls;
			q->in_flight += nbls;
			continue;
		}
		for (i = sent; i < k; i++)
			bytes -= burst[i]->data_len; /* one segment, the whole frame */
		ev->bytes_tx += bytes;
		q->stats.partial++;
		nbl = direct_refused(q, ev, sent, k, nbls, &nbls);
		ev->in_flight += nbls;
		q->in_flight += nbls;
		return nbl;
	}
	return NULL;
}

/* The direct path for each way of tagging: no per-NB test of the other. */
static __rte_noinline struct condis_nbl *
direct_xmit_sw_tags(struct ethdev_txq *q, struct ethdev_vc *ev, struct condis_nbl *nbl)
{
	return direct_xmit(q, ev, nbl, false);
}

static __rte_noinline struct condis_nbl *
direct_xmit_hw_tags(struct ethdev_txq *q, struct ethdev_vc *ev, struct condis_nbl *nbl)
{
	return direct_xmit(q, ev, nbl, true);
}

/* Queue a chain (or the rest of one) on ev's FIFO and push the queue. */
static void
fifo_accept(struct ethdev_vc *ev, struct condis_nbl *chain)
{
	struct ethdev_txq *q = ev->q;
	struct condis_nbl *nbl, *next, *bad = NULL, **badp = &bad;
	unsigned int n = 0;

	for (nbl = chain; nbl != NULL; nbl = next) {
		condis_status_t st = ethdev_nbl_check(q->ad, nbl);

		next = nbl->next;
		if (unlikely(st != CONDIS_STATUS_PENDING)) {
			nbl->status = st;
			*badp = nbl;
			badp = &nbl->next;
			continue;
		}
		nbl->miniport_done = &ev->done;
		nbl->miniport_pending = 1; /* the guard: dropped when its last NB is handed down */
		nbl->miniport_cursor = nbl->first_nb;
		*ev->fifo_tailp = nbl;
		ev->fifo_tailp = &nbl->next;
		n++;
	}
	*ev->fifo_tailp = NULL;
	*badp = NULL;
	q->stats.backlog_nbls += n;
	ev->in_flight += n;
	ev->queued += n;
	q->in_flight += n;
	q->queued += n;
	if (ev->cursor != NULL && !ev->on_rr)
		rr_push_tail(q, ev);
	q_xmit(q);
	if (unlikely(bad != NULL))
		condis_mco_send_complete(ev->vc, bad, 0);
}

/* Take a chain on the owning lcore. */
static inline void
ethdev_accept(struct ethdev_vc *ev, struct condis_nbl *chain)
{
	struct ethdev_txq *q = ev->q;

	/* Order holds: with nothing queued on the queue, nothing can be overtaken. */
	if (likely(q->rr_head == NULL))
		chain = q->hw_tags ? direct_xmit_hw_tags(q, ev, chain) :
				     direct_xmit_sw_tags(q, ev, chain);
	if (chain != NULL)
		fifo_accept(ev, chain);
}

/* Every send reaches the miniport on the queue's owner (the library hands
 * over chains sent from other threads), so the queue needs no atomics. */
void
ethdev_co_send_nbls(void *miniport_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(flags);
	ethdev_accept(miniport_vc_ctx, chain);
}

unsigned int
ethdev_deliver(struct ethdev_txq *q)
{
	struct condis_done_list *dl;
	unsigned int total = 0;

	while ((dl = q->done.first) != NULL) {
		struct ethdev_vc *ev = container_of(dl, struct ethdev_vc, done);
		struct condis_vc *vc = dl->vc;
		uint32_t n = dl->count;
		struct condis_nbl *chain;

		/* Settled before the handler runs: it may send again (and so
		 * complete at once), move the VC or delete it, freeing ev. */
		q->done.first = dl->next;
		chain = condis_done_list_take(dl);
		ev->in_flight -= n;
		q->in_flight -= n;
		total += n;
		condis_mco_send_complete(vc, chain, 0); /* one call per VC (spec 60) */
	}
	return total;
}

uint32_t __rte_cold
held_ring_reap_all(struct ethdev_txq *q)
{
	uint32_t kept = q->held_head, released = 0, i;

	for (i = q->held_head; i != q->held_tail; i++) {
		struct rte_mbuf *m = q->held_ring[i & q->held_mask];

		if (rte_mbuf_refcnt_read(m) == 1) {
			held_ring_release(m);
			released++;
		} else {
			q->held_ring[kept++ & q->held_mask] = m;
		}
	}
	q->held_tail = kept;
	q->stats.reap_scans++;
	return released;
}

/*
 * The queue is idle with its oldest carrier still out: free ones behind it
 * must not wait for it (a consumer keeping one frame, an out-of-order free).
 * A scan that frees nothing doubles the wait before the next one, up to
 * idle_scan_wait_max (about 100 us): a consumer that keeps thousands of
 * frames must not cost a scan of all of them at every poll.
 */
static void __rte_cold
idle_scan(struct ethdev_txq *q)
{
	uint64_t now = rte_rdtsc();

	if (now < q->idle_scan_tsc)
		return;
	if (held_ring_reap_all(q) != 0)
		q->idle_scan_wait = 0;
	else if (q->idle_scan_wait == 0)
		q->idle_scan_wait = q->idle_scan_wait_max / 128; /* about 1 us */
	else
		q->idle_scan_wait = RTE_MIN(2 * q->idle_scan_wait, q->idle_scan_wait_max);
	q->idle_scan_tsc = now + q->idle_scan_wait;
}

int
ethdev_poll(void *adapter_ctx, uint16_t txq)
{
	struct ethdev_adapter *ad = adapter_ctx;
	struct ethdev_txq *q = &ad->txq[txq];

	if (q->rr_head != NULL)
		q_xmit(q);
	/* Lazy PMDs free sent mbufs only on later bursts; when the queue has
	 * sent nothing since the last poll, ask for them so completion latency
	 * stays bounded (pitfall 1). */
	if (q->stats.pkts == q->pkts_at_poll && q->in_flight > q->queued && q->cleanup_ok) {
		int rc = rte_eth_tx_done_cleanup(ad->port_id, txq, 0);

		if (rc == -ENOTSUP)
			q->cleanup_ok = false;
		else
			q->stats.cleanups++;
	}
	held_ring_reap(q);
	if (q->stats.pkts == q->pkts_at_poll && held_ring_stuck(q))
		idle_scan(q);
	q->pkts_at_poll = q->stats.pkts;
	return q->done.first != NULL ? (int)ethdev_deliver(q) : 0;
}

void
ethdev_abort_queued(struct ethdev_vc *ev, condis_status_t status)
{
	struct condis_nbl *nbl;

	while ((nbl = ev->cursor) != NULL) {
		ev->cursor = nbl->next;
		nbl->status = status;
		nbl->miniport_cursor = NULL;
		ev->queued--;
		ev->q->queued--;
		condis_nbl_release_ref(nbl);
	}
	ev->fifo_tailp = &ev->cursor;
}
