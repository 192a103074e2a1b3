/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sim miniport's data path (condis_tx.h): tx_burst turns each (NBL, NB)
 * item into one descriptor of the queue's ring, holding the NB's MDLs (or a
 * bounce copy) for as long as the "device" keeps it; releasing a descriptor
 * lets the MDLs go and drops its reference on the NBL, which the library
 * completes at zero. No allocation, no lock, no log per frame.
 */
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_memcpy.h>

#include "sim_private.h"

/* Slot of the i-th oldest descriptor. */
static inline uint32_t
slot(const struct sim_txq *q, uint32_t i)
{
	uint32_t s = q->head + i;

	return s >= q->ring_size ? s - q->ring_size : s;
}

/* Release the claims on the MDLs of nb's data span, up to (not including)
 * stop, or all of them with stop NULL. Empty pieces were never claimed. */
static void
span_release(const struct condis_nb *nb, const struct condis_mdl *stop)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	for (; left > 0 && mdl != stop; mdl = mdl->next, off = 0) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		if (piece != 0)
			condis_mdl_release(mdl);
		left -= piece;
	}
}

/* Claim every MDL of nb's data span for nbl, or none: false if another send
 * (or another NB of nbl) holds one. tx_check proved the span lies inside
 * the chain. */
static bool
span_claim(const struct condis_nb *nb, struct condis_nbl *nbl)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	for (; left > 0; mdl = mdl->next, off = 0) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		if (piece == 0)
			continue;
		if (unlikely(!condis_mdl_claim(mdl, nbl))) {
			span_release(nb, mdl);
			return false;
		}
		left -= piece;
	}
	return true;
}

/* Copy up to len bytes of nb's data from its start into dst. */
static void
span_copy(const struct condis_nb *nb, uint8_t *dst, uint32_t len)
{
	const struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset;

	len = RTE_MIN(len, nb->data_length);
	for (; len > 0 && mdl != NULL; mdl = mdl->next, off = 0) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, len);

		rte_memcpy(dst, RTE_PTR_ADD(mdl->va, off), piece);
		dst += piece;
		len -= piece;
	}
}

/* The frame copied whole into a bounce carrier; NULL if none is free. */
static struct rte_mbuf *
bounce_copy(struct sim_txq *q, const struct condis_nb *nb, struct condis_nbl *nbl)
{
	struct rte_mbuf *m;

	if (q->bounce == NULL || (m = condis_bounce_borrow(q->bounce)) == NULL)
		return NULL;
	m->data_off = RTE_PKTMBUF_HEADROOM;
	span_copy(nb, rte_pktmbuf_mtod(m, uint8_t *), nb->data_length);
	m->data_len = (uint16_t)nb->data_length;
	m->pkt_len = nb->data_length;
	condis_carrier_mdl(m)->inflight = nbl; /* lent to this send alone */
	q->stats.copies++;
	return m;
}

/* Keep the head of a frame the device took; the oldest goes when full. */
static void
capture(struct sim_txq *q, const struct condis_nb *nb)
{
	struct condis_sim_frame *f;
	uint32_t i = q->cap_head + q->cap_count;

	if (q->cap_count == CONDIS_SIM_CAPTURE_FRAMES) {
		q->cap_head = (q->cap_head + 1) % CONDIS_SIM_CAPTURE_FRAMES;
		q->stats.captured_lost++;
	} else {
		q->cap_count++;
	}
	f = &q->capture[i % CONDIS_SIM_CAPTURE_FRAMES];
	f->len = nb->data_length;
	f->queue = q->id;
	span_copy(nb, f->head, CONDIS_SIM_CAPTURE_BYTES);
}

/* The device lets go of descriptor d: its buffers, then its reference. */
static inline void
desc_release(struct sim_txq *q, struct sim_desc *d)
{
	struct condis_nbl *nbl = d->nbl;

	if (d->nb != NULL)
		span_release(d->nb, NULL);
	if (d->bounce != NULL)
		condis_bounce_return(d->bounce);
	if (unlikely(d->status != CONDIS_STATUS_SUCCESS)) {
		q->stats.failed++;
		if (nbl->status == CONDIS_STATUS_PENDING)
			nbl->status = d->status; /* the first failure stays */
	}
	if (d->drop)
		q->drops--;
	q->stats.released++;
	condis_nbl_release_ref(nbl);
}

uint32_t
sim_release_oldest(struct sim_txq *q, uint32_t n)
{
	uint32_t i;

	n = RTE_MIN(n, q->count);
	for (i = 0; i < n; i++) {
		desc_release(q, &q->ring[q->head]);
		q->head = slot(q, 1);
	}
	q->count -= n;
	return n;
}

uint32_t
sim_release_at(struct sim_txq *q, uint32_t i)
{
	if (i >= q->count)
		return 0;
	desc_release(q, &q->ring[slot(q, i)]);
	/* The older ones move up a slot: the rest keep their order. */
	for (; i > 0; i--)
		q->ring[slot(q, i)] = q->ring[slot(q, i - 1)];
	q->head = slot(q, 1);
	q->count--;
	return 1;
}

/* Release the descriptors of frames dropped while the link was down, out of
 * order; the others close up in their order. */
static void
release_drops(struct sim_txq *q)
{
	uint32_t i, kept = 0, n = q->count;

	for (i = 0; i < n; i++) {
		struct sim_desc *d = &q->ring[slot(q, i)];

		if (d->drop)
			desc_release(q, d);
		else
			q->ring[slot(q, kept++)] = *d;
	}
	q->count = kept;
}

void
sim_abort_all(struct sim_txq *q, condis_status_t status)
{
	uint32_t i;

	for (i = 0; i < q->count; i++) {
		struct sim_desc *d = &q->ring[slot(q, i)];

		if (!d->drop) /* a dropped frame's fate is settled */
			d->status = status;
	}
	sim_release_oldest(q, q->count);
}

condis_status_t
sim_tx_check(void *txq_ctx, const struct condis_nbl *nbl)
{
	const struct sim_txq *q = txq_ctx;

	return condis_nbl_check_geometry(nbl, q->ad->max_frame, q->ad->max_pieces);
}

uint16_t
sim_tx_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n)
{
	struct sim_txq *q = txq_ctx;
	const bool up = q->ad->link_up;
	uint64_t bytes = 0;
	uint16_t i, taken = 0;

	if (unlikely(q->stalled)) {
		q->stats.refused += n;
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl = items[i].nbl;
		struct condis_nb *nb = items[i].nb;
		struct sim_desc *d;

		if (unlikely(nbl->status != CONDIS_STATUS_PENDING))
			continue; /* failed in this burst: send no more of it */
		if (unlikely(q->count == q->ring_size))
			break;
		d = &q->ring[slot(q, q->count)];
		d->nbl = nbl;
		d->nb = NULL;
		d->bounce = NULL;
		d->status = CONDIS_STATUS_SUCCESS;
		d->drop = false;
		if (unlikely(!up)) {
			/* Never on the wire: no buffer is touched. */
			d->status = CONDIS_STATUS_MEDIA_DISCONNECTED;
			d->drop = true;
			q->drops++;
		} else {
			/* A buffer another send holds is copied, never shared. */
			if (likely(span_claim(nb, nbl)))
				d->nb = nb;
			else if ((d->bounce = bounce_copy(q, nb, nbl)) == NULL) {
				nbl->status = CONDIS_STATUS_RESOURCES;
				q->stats.no_buffer++;
				continue;
			}
			if (unlikely(q->fail_left != 0)) {
				q->fail_left--;
				d->status = q->fail_status;
			}
			if (q->capture != NULL)
				capture(q, nb);
		}
		nbl->miniport_pending++;
		q->count++;
		bytes += nb->data_length;
		taken++;
	}
	q->stats.taken += taken;
	q->stats.bytes += bytes;
	q->stats.bursts += taken != 0;
	q->stats.refused += n - i;
	return i;
}

void
sim_tx_reclaim(void *txq_ctx)
{
	struct sim_txq *q = txq_ctx;

	if (q->ad->mode == CONDIS_SIM_AUTO)
		sim_release_oldest(q, q->count);
	else if (unlikely(q->drops != 0))
		release_drops(q);
}
