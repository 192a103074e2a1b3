/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The library's transmit queueing (spec C, D, E; condis_tx.h): per VC a
 * software FIFO of the NBLs not wholly handed to the device, linked through
 * nbl->next (the owner's link, spec 2); per queue the round robin of VCs
 * with queued NBs and the done lists delivered to the protocol. The
 * miniport builds and hands down bursts of (NBL, NB) items; everything here
 * runs on the queue's owner, so nothing is atomic.
 *
 * An NBL in a FIFO holds a guard reference (miniport_pending + 1) until its
 * last NB is handed down, so a device that frees inside tx_burst cannot
 * complete an NBL half sent.
 */
#include "condis_private.h"

static inline struct condis_vc_tx *
vt_of(const struct condis_nbl *nbl)
{
	return container_of(nbl->miniport_done, struct condis_vc_tx, done);
}

/* Add up to quota NBs of vt's FIFO to the burst from index k; return the new k. */
static inline unsigned int
fill_from_vc(struct condis_txq *q, struct condis_vc_tx *vt, unsigned int k, unsigned int quota)
{
	uint64_t bytes = 0;
	unsigned int first = k, popped = 0;
	struct condis_nbl *nbl;

	while (quota > 0 && (nbl = vt->fifo_head) != NULL) {
		struct condis_nb *nb = nbl->miniport_cursor;
		unsigned int start = k;

		/* An NBL that failed in an earlier burst sends no more NBs. */
		for (; nb != NULL && quota > 0 && nbl->status == CONDIS_STATUS_PENDING;
		     nb = nb->next) {
			q->items[k].nbl = nbl;
			q->items[k].nb = nb;
			q->last[k] = false;
			bytes += nb->data_length;
			k++;
			quota--;
		}
		if (nb != NULL && nbl->status == CONDIS_STATUS_PENDING) {
			nbl->miniport_cursor = nb; /* quota ran out inside this NBL */
			break;
		}
		/* Wholly in the burst (or given up): the FIFO moves on. */
		nbl->miniport_cursor = NULL;
		vt->fifo_head = nbl->next;
		popped++;
		if (k > start)
			q->last[k - 1] = true; /* its guard goes when that one is taken */
		else
			condis_nbl_release_ref(nbl);
	}
	if (vt->fifo_head == NULL)
		vt->fifo_tailp = &vt->fifo_head;
	vt->queued -= popped;
	vt->nbs_tx += k - first; /* unsend() takes back what the device refuses */
	vt->bytes_tx += bytes;
	return k;
}

/* Build a burst round robin over the VCs with queued NBs. */
static inline unsigned int
fill_burst(struct condis_txq *q)
{
	unsigned int k = 0;
	struct condis_vc_tx *vt;

	while (k < CONDIS_TX_BURST && (vt = q->rr_head) != NULL) {
		k = fill_from_vc(q, vt, k, RTE_MIN((unsigned int)CONDIS_TX_VC_QUANTUM,
						   CONDIS_TX_BURST - k));
		q->rr_head = vt->rr_next;
		if (q->rr_head == NULL)
			q->rr_tail = NULL;
		vt->on_rr = 0;
		if (vt->fifo_head != NULL)
			condis_tx_rr_push(q, vt);
	}
	return k;
}

/* Put items [sent, k) the device refused back at their FIFO heads, newest
 * first, so each VC's FIFO starts at its oldest unsent NB (spec 76). */
static void
unsend(struct condis_txq *q, unsigned int sent, unsigned int k)
{
	unsigned int i;

	for (i = k; i-- > sent;) {
		struct condis_nbl *nbl = q->items[i].nbl;
		struct condis_vc_tx *vt = vt_of(nbl);

		vt->nbs_tx--;
		vt->bytes_tx -= q->items[i].nb->data_length;
		if (nbl->miniport_cursor == NULL) {
			/* It had left the FIFO in this burst: back to the head. */
			nbl->next = vt->fifo_head;
			if (vt->fifo_head == NULL)
				vt->fifo_tailp = &nbl->next;
			vt->fifo_head = nbl;
			vt->queued++;
		}
		nbl->miniport_cursor = q->items[i].nb;
		if (!vt->on_rr)
			condis_tx_rr_push(q, vt);
	}
}

unsigned int
condis_tx_xmit(struct condis_txq *q)
{
	unsigned int total = 0;

	while (q->rr_head != NULL) {
		unsigned int k = fill_burst(q), sent, i;

		if (unlikely(k == 0))
			continue;
		sent = q->tx_burst(q->mctx, q->items, (uint16_t)k);
		for (i = 0; i < sent; i++)
			if (q->last[i])
				condis_nbl_release_ref(q->items[i].nbl);
		total += sent;
		if (unlikely(sent < k)) {
			unsend(q, sent, k);
			break; /* the device is full: the next poll tries again */
		}
	}
	return total;
}

/* Queue a chain (or the rest of one) on vc's FIFO and push the queue. The
 * head may be an NBL the direct path sent part of (condis_tx_hold_partial()). */
static void
fifo_accept(struct condis_txq *q, struct condis_vc *vc, struct condis_nbl *chain)
{
	struct condis_vc_tx *vt = &vc->tx;
	struct condis_nbl *nbl = chain, *next, *bad = NULL, **badp = &bad;
	unsigned int n = 0;

	if (nbl->miniport_cursor != NULL) {
		/* Checked, and guarded, by the direct path already. */
		next = nbl->next;
		*vt->fifo_tailp = nbl;
		vt->fifo_tailp = &nbl->next;
		n++;
		nbl = next;
	}
	for (; nbl != NULL; nbl = next) {
		condis_status_t st = q->tx_check(q->mctx, nbl);

		next = nbl->next;
		if (unlikely(st != CONDIS_STATUS_PENDING)) {
			nbl->status = st;
			*badp = nbl;
			badp = &nbl->next;
			continue;
		}
		nbl->miniport_done = &vt->done;
		nbl->miniport_pending = 1; /* the guard: dropped when its last NB is handed down */
		nbl->miniport_cursor = nbl->first_nb;
		*vt->fifo_tailp = nbl;
		vt->fifo_tailp = &nbl->next;
		n++;
	}
	*vt->fifo_tailp = NULL;
	*badp = NULL;
	q->backlog_nbls += n;
	vt->queued += n;
	if (vt->fifo_head != NULL && !vt->on_rr)
		condis_tx_rr_push(q, vt);
	condis_tx_xmit(q);
	if (unlikely(bad != NULL))
		condis_mco_send_complete(vc, bad, CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE);
}

void
condis_tx_accept(struct condis_txq *q, struct condis_vc *vc, struct condis_nbl *chain)
{
	/* Order holds: with nothing queued on the queue, nothing can be overtaken. */
	if (likely(q->rr_head == NULL && q->tx_direct != NULL))
		chain = q->tx_direct(q->mctx, &vc->tx, chain);
	if (chain != NULL)
		fifo_accept(q, vc, chain);
}

unsigned int
condis_tx_deliver(struct condis_txq *q)
{
	struct condis_done_list *dl;
	unsigned int total = 0;

	while ((dl = q->done.first) != NULL) {
		bool renumbered = dl->renumbered;

		/* Settled before the handler runs: it may send again (and so
		 * complete at once), move the VC or delete it. */
		q->done.first = dl->next;
		total += dl->count;
		/* One call per VC (spec 60), all from this queue (spec 80). */
		condis_mco_send_complete_as(dl->vc, condis_done_list_take(dl),
					    CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE, !renumbered);
	}
	return total;
}

void
condis_tx_abort_queued(struct condis_vc *vc, condis_status_t status)
{
	struct condis_vc_tx *vt = &vc->tx;
	struct condis_nbl *nbl;

	while ((nbl = vt->fifo_head) != NULL) {
		vt->fifo_head = nbl->next;
		nbl->status = status;
		nbl->miniport_cursor = NULL;
		vt->queued--;
		condis_nbl_release_ref(nbl);
	}
	vt->fifo_tailp = &vt->fifo_head;
	vt->on_rr = 0;
	vt->rr_next = NULL;
}

void
condis_tx_abort_txq(struct condis_txq *q, condis_status_t status)
{
	struct condis_vc_tx *vt, *next;

	for (vt = q->rr_head; vt != NULL; vt = next) {
		next = vt->rr_next;
		condis_tx_abort_queued(container_of(vt, struct condis_vc, tx), status);
	}
	q->rr_head = q->rr_tail = NULL;
}

void
condis_tx_vc_bind(struct condis_vc *vc, struct condis_txq *q)
{
	struct condis_vc_tx *vt = &vc->tx;

	condis_done_list_init(&vt->done, &q->done, vc);
	vt->fifo_head = NULL;
	vt->fifo_tailp = &vt->fifo_head;
	vt->rr_next = NULL;
	vt->queued = 0;
	vt->on_rr = 0;
}

condis_status_t
condis_nbl_check_geometry(const struct condis_nbl *nbl, uint32_t max_len, uint32_t max_pieces)
{
	const struct condis_nb *nb = nbl->first_nb;
	unsigned int n = 0;

	if (nb == NULL)
		return CONDIS_STATUS_FAILURE;
	for (; nb != NULL; nb = nb->next) {
		const struct condis_mdl *mdl = nb->current_mdl;
		uint32_t off = nb->current_mdl_offset, left = nb->data_length, pieces = 0;
		unsigned int walked = 0;

		if (++n > CONDIS_NBL_MAX_NBS)
			return CONDIS_STATUS_FAILURE; /* the NB list loops */
		if (left == 0 || left > max_len)
			return CONDIS_STATUS_INVALID_LENGTH;
		for (; left > 0; mdl = mdl->next, off = 0) {
			uint32_t piece;

			if (mdl == NULL || off > mdl->byte_count || ++walked > CONDIS_NB_MAX_MDLS)
				return CONDIS_STATUS_FAILURE;
			piece = RTE_MIN(mdl->byte_count - off, left);
			pieces += piece != 0;
			left -= piece;
		}
		if (pieces > max_pieces)
			return CONDIS_STATUS_INVALID_LENGTH;
	}
	return CONDIS_STATUS_PENDING;
}
