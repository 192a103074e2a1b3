/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev miniport's data path (condis_tx.h): bursts of (NBL, NB) items
 * from the library's FIFOs to the ring, the direct path from a protocol's
 * chain to the ring while nothing is queued, and reclaim (spec C, D).
 * Building frames is ethdev_build.c's.
 *
 * No allocation: every segment is an MDL's carrier (or the NB's header
 * carrier), bound to its NBL for as long as the PMD holds it. Each carrier
 * counts one in nbl->miniport_pending; reaping the held ring (ethdev_held.h)
 * drops the count as the PMD frees, and at zero the NBL lands on its VC's
 * done list, which the library delivers.
 */
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>

#include "ethdev_build.h"
#include "ethdev_held.h"

uint16_t
ethdev_tx_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n)
{
	struct ethdev_txq *q = txq_ctx;
	unsigned int i, k = 0, staged, sent;

	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl = items[i].nbl;
		struct rte_mbuf *m;

		if (unlikely(nbl->status != CONDIS_STATUS_PENDING))
			continue; /* failed in this burst: send no more of it */
		m = ethdev_nb_build(q, nbl, items[i].nb);
		if (unlikely(m == NULL)) {
			/* no buffer; or INVALID_PACKET set by the build (spec 26) */
			if (nbl->status == CONDIS_STATUS_PENDING)
				nbl->status = CONDIS_STATUS_RESOURCES;
			continue;
		}
		q->burst[k] = m;
		q->burst_item[k++] = (uint8_t)i;
	}
	staged = held_ring_stage(q, q->burst, k, false);
	/* Even with nothing held (staged == 0): some PMDs free only in tx_burst. */
	sent = rte_eth_tx_burst(q->ad->port_id, q->id, q->burst, (uint16_t)staged);
	held_ring_commit(q, q->burst, sent, staged, false);
	held_ring_reap(q);
	q->stats.bursts += sent != 0;
	q->stats.pkts += sent;
	if (likely(sent == k))
		return n;
	/* Of the refused, the staged ones were unbound from their slots. */
	for (i = staged; i < k; i++)
		ethdev_chain_unbind(q->burst[i], items[q->burst_item[i]].nbl);
	q->stats.partial++;
	return q->burst_item[sent];
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
 * The ring took only the first `sent` of the k mbufs: the refused NBs go
 * back to the library, in order. Returns the first NBL not wholly in the
 * device, with the rest of the chain behind it (condis_tx_hold_partial() if
 * the device took its first NBs). Only the refused carriers are read: a PMD
 * that copies frames (af_packet, tap, memif) may already have freed, and so
 * unbound, the ones it took.
 */
static struct condis_nbl *
direct_refused(struct ethdev_txq *q, unsigned int sent, unsigned int k)
{
	struct rte_mbuf **burst = q->burst;
	struct condis_nbl *nbl = condis_carrier_mdl(burst[sent])->inflight;
	struct condis_nb *nb = nb_of_carrier(nbl, burst[sent]);
	unsigned int i;

	for (i = sent; i < k; i++)
		ethdev_chain_unbind(burst[i], condis_carrier_mdl(burst[i])->inflight);
	/* Part of this NBL is in the device (its NBs are in order in the
	 * burst): it waits at the FIFO head with a guard for the rest. */
	if (nb != nbl->first_nb)
		condis_tx_hold_partial(nbl, nb);
	return nbl;
}

/*
 * The direct path: nothing is queued on this queue, so NBLs whose NBs need
 * nothing built go straight from the protocol's chain to the ring: no FIFO,
 * no guard reference, no round robin. Returns the first NBL it did not
 * send wholly (one the FIFO must take, or that the ring refused), with the
 * rest of the chain still linked behind it.
 */
static __rte_always_inline struct condis_nbl *
direct_xmit(struct ethdev_txq *q, struct condis_vc_tx *vt, struct condis_nbl *nbl,
	    const bool hw_tags)
{
	const struct ethdev_adapter *ad = q->ad;
	struct condis_done_list *done = &vt->done;
	struct rte_mbuf **burst = q->burst;

	while (nbl != NULL) {
		uint64_t bytes = 0;
		unsigned int k = 0, n, sent, i;

		for (; nbl != NULL; nbl = nbl->next) {
			uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
			uintptr_t csum = nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM];
			struct condis_nb *nb = nbl->first_nb;
			unsigned int start = k;

			/* Software tags, checksum requests (any slot value: the
			 * FIFO path reads it) and empty NBLs take the FIFO path:
			 * one test of the slot, folded into the tag's. */
			if (unlikely((hw_tags ? csum : (tag | csum)) != 0 || nb == NULL))
				break;
			if (likely(nb->next == NULL)) {
				/* One NB: the common shape, no inner loop. */
				struct rte_mbuf *m = nb_fast_mbuf(q, nbl, nb, tag, &bytes, hw_tags);

				if (unlikely(m == NULL))
					break;
				/* its carrier: no guard needed (a constant: one store) */
				nbl->miniport_pending = 1;
				nbl->miniport_done = done;
				burst[k++] = m;
			} else {
				k = burst_put_nbl(q, k, nbl, nb, tag, &bytes, hw_tags);
				if (unlikely(k == start))
					break;
				nbl->miniport_pending = k - start; /* its carriers */
				nbl->miniport_done = done;
			}
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
		vt->nbs_tx += sent;
		if (likely(sent == k)) {
			vt->bytes_tx += bytes;
			continue;
		}
		for (i = sent; i < k; i++)
			bytes -= burst[i]->data_len; /* one segment, the whole frame */
		vt->bytes_tx += bytes;
		q->stats.partial++;
		return direct_refused(q, sent, k);
	}
	return NULL;
}

/* The direct path for each way of tagging: no per-NB test of the other. */
struct condis_nbl *
ethdev_tx_direct_sw_tags(void *txq_ctx, struct condis_vc_tx *vt, struct condis_nbl *nbl)
{
	return direct_xmit(txq_ctx, vt, nbl, false);
}

struct condis_nbl *
ethdev_tx_direct_hw_tags(void *txq_ctx, struct condis_vc_tx *vt, struct condis_nbl *nbl)
{
	return direct_xmit(txq_ctx, vt, nbl, true);
}

condis_status_t
ethdev_tx_check(void *txq_ctx, const struct condis_nbl *nbl)
{
	const struct ethdev_txq *q = txq_ctx;

	return ethdev_nbl_check(q->ad, nbl);
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

/*
 * Queue 0, idle: ask for the link every 10 ms. The LSC interrupt, where the
 * PMD has one, tells at once; this also covers PMDs without one, and
 * interrupts that do not come (net_tap here). A link that goes down stops
 * the traffic, so the queue goes idle and the poll finds it; under load it
 * costs nothing.
 */
static void __rte_cold
link_poll(struct ethdev_txq *q)
{
	uint64_t now = rte_rdtsc();

	if (now < q->link_check_tsc)
		return;
	q->link_check_tsc = now + rte_get_tsc_hz() / 100;
	ethdev_link_indicate(q->ad);
}

void
ethdev_tx_reclaim(void *txq_ctx)
{
	struct ethdev_txq *q = txq_ctx;

	if (unlikely(q->link_event))
		ethdev_link_indicate(q->ad);
	/* Lazy PMDs free sent mbufs only on later bursts; when the queue has
	 * sent nothing since the last poll, ask for them so completion latency
	 * stays bounded (pitfall 1). */
	if (q->stats.pkts == q->pkts_at_poll && q->held_head != q->held_tail && q->cleanup_ok &&
	    __atomic_load_n(&q->ad->started, __ATOMIC_ACQUIRE)) { /* not while paused */
		int rc = rte_eth_tx_done_cleanup(q->ad->port_id, q->id, 0);

		if (rc == -ENOTSUP)
			q->cleanup_ok = false;
		else
			q->stats.cleanups++;
	}
	held_ring_reap(q);
	if (q->stats.pkts == q->pkts_at_poll) {
		if (held_ring_stuck(q))
			idle_scan(q);
		if (unlikely(q->link_watch))
			link_poll(q);
	}
	q->pkts_at_poll = q->stats.pkts;
}
