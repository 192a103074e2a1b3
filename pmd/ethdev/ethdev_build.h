/* SPDX-License-Identifier: BSD-3-Clause */
/* NB -> mbuf building for the ethdev miniport (ethdev_build.c), and its
 * inline fast case for the direct path. */
#ifndef ETHDEV_BUILD_H
#define ETHDEV_BUILD_H

#include "ethdev_private.h"

/* Every NB of nbl fits the device: PENDING, or the status it completes with. */
condis_status_t ethdev_nbl_check(const struct ethdev_adapter *ad, const struct condis_nbl *nbl);
/* The mbuf chain for one NB; NULL if a buffer is held by another send. */
struct rte_mbuf *ethdev_nb_build(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb);
/* Unbind every segment of a built mbuf chain that was not sent. */
void ethdev_chain_unbind(struct rte_mbuf *m, struct condis_nbl *nbl);
/* Unbind one held segment the device did not take (its chain may be cut). */
void ethdev_seg_unbind(struct rte_mbuf *m);
/* Ask the device to insert the tag (only when it does so in hardware). */
void ethdev_mbuf_hw_tag(struct rte_mbuf *m, uintptr_t tag);

/* Bind a carrier no other send can see (a lent bounce carrier) to nbl. */
static inline void
carrier_bind(struct condis_mdl *mdl, struct condis_nbl *nbl)
{
	mdl->inflight = nbl;
	nbl->miniport_pending++;
}

/*
 * Point mdl's carrier at [off, off + len) of the MDL's bytes, as one segment.
 * An idle carrier already has next == NULL and nb_segs == 1: the PMD's free
 * resets them (rte_pktmbuf_prefree_seg), and so does ethdev_chain_unbind()
 * for one the device refused.
 */
static inline struct rte_mbuf *
carrier_point(struct condis_mdl *mdl, uint32_t off, uint32_t len)
{
	struct rte_mbuf *m = condis_mdl_carrier(mdl);

	if (likely(mdl->flags & CONDIS_MDL_F_POOL_DATA)) {
		m->data_off = (uint16_t)RTE_PTR_DIFF(RTE_PTR_ADD(mdl->va, off), m->buf_addr);
		m->ol_flags = 0; /* no tag request left from an earlier send */
	} else {
		condis_carrier_attach_ext(m, mdl->va, mdl->iova, (uint16_t)mdl->byte_count);
		m->data_off = (uint16_t)off;
	}
	m->data_len = (uint16_t)len;
	return m;
}

/* One segment over [off, off + len) of mdl; NULL if another send holds it. */
static inline struct rte_mbuf *
seg_from_mdl(struct condis_mdl *mdl, uint32_t off, uint32_t len, struct condis_nbl *nbl)
{
	struct rte_mbuf *m;

	if (unlikely(!condis_mdl_claim(mdl, nbl)))
		return NULL;
	m = carrier_point(mdl, off, len);
	nbl->miniport_pending++;
	return m;
}

/* One-segment mbuf for an NB that needs nothing built (the common case), or
 * NULL: the general path must take it (checks, padding, tags, chains). Adds
 * the frame's length to *bytes. hw_tags is a constant at each call: with
 * software tags a tagged NBL never gets here. */
static __rte_always_inline struct rte_mbuf *
nb_fast_mbuf(const struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb,
	     uintptr_t tag, uint64_t *bytes, const bool hw_tags)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t len = nb->data_length, off = nb->current_mdl_offset;
	struct rte_mbuf *m;

	/* len in [60, max_frame] with one unsigned compare */
	if (unlikely(len - ETHER_MIN_FRAME > q->len_span || mdl == NULL ||
		     (uint64_t)off + len > mdl->byte_count || !condis_mdl_claim(mdl, nbl)))
		return NULL;
	m = carrier_point(mdl, off, len);
	m->pkt_len = len;
	if (hw_tags && unlikely(tag != 0))
		ethdev_mbuf_hw_tag(m, tag);
	*bytes += len;
	return m;
}

#endif /* ETHDEV_BUILD_H */
