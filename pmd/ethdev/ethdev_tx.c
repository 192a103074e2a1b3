/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev miniport's data path: NBs to mbuf bursts, the per-VC software
 * FIFO, and completion delivery (spec C, D, E, H).
 *
 * No allocation: every segment is an MDL's carrier (or the NB's header
 * carrier), bound to its NBL for as long as the PMD holds it. An NBL keeps
 * mp_pending = carriers held by the PMD + 1 while some of its NBs are still
 * queued; the carrier ops drop the count as the PMD frees, and at zero the
 * NBL lands on its VC's done list, which poll delivers.
 */
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "ethdev_private.h"

/* Where byte `pos` of the NB's data lives: *mdl, *off. */
static inline void
nb_locate_byte(const struct condis_nb *nb, uint32_t pos, struct condis_mdl **mdl, uint32_t *off)
{
	struct condis_mdl *m = nb->current_mdl;
	uint32_t o = nb->current_mdl_offset + pos;

	while (m != NULL && o >= m->byte_count && m->next != NULL) {
		o -= m->byte_count;
		m = m->next;
	}
	*mdl = m;
	*off = o;
}

/* Segments needed for len bytes from (mdl, off); 0 if the chain is too short. */
static uint32_t
span_pieces(const struct condis_mdl *mdl, uint32_t off, uint32_t len)
{
	uint32_t n = 0;

	while (len > 0) {
		uint32_t piece;

		if (mdl == NULL || off > mdl->byte_count)
			return 0;
		piece = RTE_MIN(mdl->byte_count - off, len);
		n += piece != 0;
		len -= piece;
		off = 0;
		mdl = mdl->next;
	}
	return n;
}

/* Can the device take this NB as built? (spec 59: never truncate.) */
static inline condis_status_t
nb_check(const struct ethdev_adapter *ad, const struct condis_nb *nb, bool tag_sw)
{
	uint32_t len = nb->data_length, segs;
	struct condis_mdl *mdl;
	uint32_t off;

	if (unlikely(len == 0 || len > ad->max_frame))
		return CONDIS_STATUS_INVALID_LENGTH;
	if (unlikely(nb->current_mdl == NULL || nb->hdr == NULL))
		return CONDIS_STATUS_FAILURE; /* no data, or an NB not from a condis pool */
	if (likely(!tag_sw && nb->current_mdl->byte_count >= nb->current_mdl_offset &&
		   nb->current_mdl->byte_count - nb->current_mdl_offset >= len))
		return CONDIS_STATUS_PENDING;
	if (span_pieces(nb->current_mdl, nb->current_mdl_offset, len) == 0)
		return CONDIS_STATUS_FAILURE; /* data_length runs past the MDL chain */
	if (len < ETHER_MIN_FRAME)
		return CONDIS_STATUS_PENDING; /* linearised into the header carrier */
	/* The protocol's own segments must fit the device (spec 59); a tag
	 * header we add beyond that makes the frame go out copied whole. */
	segs = span_pieces(nb->current_mdl, nb->current_mdl_offset, len);
	if (segs > ad->max_segs)
		return CONDIS_STATUS_INVALID_LENGTH;
	RTE_SET_USED(mdl);
	RTE_SET_USED(off);
	return CONDIS_STATUS_PENDING;
}

static condis_status_t
nbl_check(const struct ethdev_adapter *ad, const struct condis_nbl *nbl)
{
	bool tag_sw = !ad->vlan_hw && nbl->info[CONDIS_NBL_INFO_IEEE8021Q] != 0;
	const struct condis_nb *nb = nbl->first_nb;
	condis_status_t st = CONDIS_STATUS_FAILURE; /* an NBL without NBs */

	for (; nb != NULL; nb = nb->next) {
		st = nb_check(ad, nb, tag_sw);
		if (unlikely(st != CONDIS_STATUS_PENDING))
			return st;
	}
	return st;
}

static inline void
carrier_bind(struct condis_mdl *mdl, struct condis_nbl *nbl)
{
	mdl->inflight = nbl;
	nbl->mp_pending++;
}

/* Unbind every segment of a built mbuf chain that was not sent. */
static void
chain_unbind(struct rte_mbuf *m, struct condis_nbl *nbl)
{
	struct rte_mbuf *next;

	for (; m != NULL; m = next) {
		struct condis_mdl *mdl = condis_carrier_mdl(m);

		next = m->next;
		if (mdl->inflight == nbl) {
			mdl->inflight = NULL;
			nbl->mp_pending--;
		}
		if (mdl->flags & CONDIS_MDL_F_BOUNCE)
			condis_carrier_return(m);
	}
}

/* Point mdl's carrier at [off, off + len) of the MDL's bytes, as one segment. */
static inline struct rte_mbuf *
carrier_point(struct condis_mdl *mdl, uint32_t off, uint32_t len)
{
	struct rte_mbuf *m = condis_mdl_carrier(mdl);

	if (likely(mdl->flags & CONDIS_MDL_F_POOL_DATA)) {
		m->data_off = (uint16_t)RTE_PTR_DIFF(RTE_PTR_ADD(mdl->va, off), m->buf_addr);
		m->ol_flags = 0;
	} else {
		condis_carrier_attach_ext(m, mdl->va, mdl->iova, (uint16_t)mdl->byte_count);
		m->data_off = (uint16_t)off;
	}
	m->data_len = (uint16_t)len;
	m->next = NULL;
	m->nb_segs = 1;
	return m;
}

/* One segment over [off, off + len) of mdl; NULL if another send holds it. */
static inline struct rte_mbuf *
seg_from_mdl(struct condis_mdl *mdl, uint32_t off, uint32_t len, struct condis_nbl *nbl)
{
	struct rte_mbuf *m;

	if (unlikely(mdl->inflight != NULL))
		return NULL;
	m = carrier_point(mdl, off, len);
	carrier_bind(mdl, nbl);
	return m;
}

/* Copy len bytes of NB data from byte pos into dst. */
static void
nb_copy(const struct condis_nb *nb, uint32_t pos, uint32_t len, uint8_t *dst)
{
	struct condis_mdl *mdl;
	uint32_t off;

	nb_locate_byte(nb, pos, &mdl, &off);
	while (len > 0 && mdl != NULL) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, len);

		rte_memcpy(dst, RTE_PTR_ADD(mdl->va, off), piece);
		dst += piece;
		len -= piece;
		off = 0;
		mdl = mdl->next;
	}
}

/* Write an 802.1Q tag (TPID + TCI) at p. */
static inline void
put_tag(uint8_t *p, uintptr_t tag)
{
	uint16_t tpid = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	uint16_t tci = rte_cpu_to_be_16(condis_8021q_to_tci(tag));

	memcpy(p, &tpid, 2);
	memcpy(p + 2, &tci, 2);
}

/*
 * Frames that need the NB's header carrier: short frames (copied and
 * zero-padded there, so nothing is written past data_length in protocol
 * memory, spec 87), software 802.1Q tags (addresses + tag there, the rest
 * from protocol memory) and multi-MDL NBs.
 */
/* A tagged frame copied whole into a lent carrier, for devices that cannot
 * take the extra header segment. NULL if no carrier is free (RESOURCES). */
static struct rte_mbuf *
nb_build_bounce(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb, uintptr_t tag)
{
	uint32_t len = nb->data_length, at = RTE_ETHER_ADDR_LEN * 2;
	struct rte_mbuf *m = condis_carrier_borrow(q->bounce);
	uint8_t *p;

	if (unlikely(m == NULL))
		return NULL;
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->ol_flags = 0;
	m->next = NULL;
	m->nb_segs = 1;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	nb_copy(nb, 0, at, p);
	put_tag(p + at, tag);
	nb_copy(nb, at, len - at, p + at + RTE_VLAN_HLEN);
	m->data_len = (uint16_t)(len + RTE_VLAN_HLEN);
	m->pkt_len = len + RTE_VLAN_HLEN;
	carrier_bind(condis_carrier_mdl(m), nbl);
	return m;
}

static struct rte_mbuf *
nb_build_slow(struct condis_nbl *nbl, struct condis_nb *nb, bool tag_sw, uintptr_t tag)
{
	struct condis_mdl *hmdl = condis_carrier_mdl(nb->hdr), *mdl;
	uint32_t len = nb->data_length, pos = 0, off, left, segs = 0;
	struct rte_mbuf *head = NULL, **nextp = &head, *m;
	uint8_t *h;

	if (len < ETHER_MIN_FRAME || tag_sw) {
		uint32_t hlen;

		if (unlikely(hmdl->inflight != NULL))
			return NULL;
		head = nb->hdr;
		head->data_off = RTE_PKTMBUF_HEADROOM;
		head->ol_flags = 0;
		head->next = NULL;
		h = rte_pktmbuf_mtod(head, uint8_t *);
		if (len < ETHER_MIN_FRAME) {
			/* Whole frame, tagged after the addresses, padded untagged to 60. */
			uint32_t at = tag_sw ? RTE_MIN(len, (uint32_t)RTE_ETHER_ADDR_LEN * 2) : len;

			nb_copy(nb, 0, at, h);
			hlen = at;
			if (tag_sw) {
				put_tag(h + hlen, tag);
				hlen += RTE_VLAN_HLEN;
				nb_copy(nb, at, len - at, h + hlen);
				hlen += len - at;
			}
			memset(h + hlen, 0, ETHER_MIN_FRAME - len);
			hlen += ETHER_MIN_FRAME - len;
			pos = len;
		} else {
			nb_copy(nb, 0, RTE_ETHER_ADDR_LEN * 2, h);
			put_tag(h + RTE_ETHER_ADDR_LEN * 2, tag);
			hlen = RTE_ETHER_ADDR_LEN * 2 + RTE_VLAN_HLEN;
			pos = RTE_ETHER_ADDR_LEN * 2;
		}
		head->data_len = (uint16_t)hlen;
		head->pkt_len = hlen;
		carrier_bind(hmdl, nbl);
		nextp = &head->next;
		segs = 1;
	}
	/* The rest straight from the MDLs, no copy. */
	nb_locate_byte(nb, pos, &mdl, &off);
	for (left = len - pos; left > 0; mdl = mdl->next, off = 0) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		if (piece == 0)
			continue;
		m = seg_from_mdl(mdl, off, piece, nbl);
		if (unlikely(m == NULL)) {
			chain_unbind(head, nbl);
			return NULL;
		}
		*nextp = m;
		nextp = &m->next;
		segs++;
		left -= piece;
	}
	head->nb_segs = (uint16_t)segs;
	head->pkt_len = len < ETHER_MIN_FRAME ? head->data_len :
			len + (tag_sw ? RTE_VLAN_HLEN : 0);
	return head;
}

/* The mbuf chain for one NB; NULL if a buffer is held by another send. */
static inline struct rte_mbuf *
nb_build(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb)
{
	const struct ethdev_adapter *ad = q->ad;
	uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
	bool tag_sw = tag != 0 && !ad->vlan_hw;
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, len = nb->data_length;
	struct rte_mbuf *m;

	if (likely(!tag_sw && len >= ETHER_MIN_FRAME && mdl->byte_count - off >= len)) {
		m = seg_from_mdl(mdl, off, len, nbl); /* the common case: one segment */
		if (unlikely(m == NULL))
			return NULL;
		m->pkt_len = len;
	} else if (tag_sw && len >= ETHER_MIN_FRAME &&
		   span_pieces(mdl, off, len) + 1 > ad->max_segs) {
		return nb_build_bounce(q, nbl, nb, tag);
	} else {
		m = nb_build_slow(nbl, nb, tag_sw, tag);
		if (unlikely(m == NULL))
			return NULL;
	}
	if (tag != 0 && !tag_sw) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = condis_8021q_to_tci(tag);
	}
	return m;
}

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
		struct condis_nb *nb = nbl->mp_cursor;
		unsigned int start = k;

		for (; nb != NULL && quota > 0; nb = nb->next) {
			struct rte_mbuf *m;

			if (unlikely(nbl->status != CONDIS_STATUS_PENDING))
				break; /* failed earlier: send no more of it */
			m = nb_build(q, nbl, nb);
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
			nbl->mp_cursor = nb; /* quota ran out inside this NBL */
			break;
		}
		/* Wholly handed down (or given up): the FIFO moves on. */
		nbl->mp_cursor = NULL;
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
	ev->nbs_tx += k - first; /* settle_burst takes back what the device refuses */
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
 * VC's cursor ends on its oldest unsent NB (spec 76). */
static void
unsend(struct ethdev_txq *q, unsigned int sent, unsigned int k)
{
	unsigned int i;

	for (i = k; i-- > sent;) {
		struct condis_nbl *nbl = q->burst_nbl[i];
		struct ethdev_vc *ev = ethdev_vc_of(nbl);

		chain_unbind(q->burst[i], nbl);
		ev->nbs_tx--;
		ev->bytes_tx -= q->burst_nb[i]->data_length;
		if (nbl->mp_cursor == NULL) {
			/* It had left the FIFO in this burst: back to the head. */
			nbl->next = ev->cursor;
			if (ev->cursor == NULL)
				ev->fifo_tailp = &nbl->next;
			ev->cursor = nbl;
			ev->queued++;
			q->queued++;
		}
		nbl->mp_cursor = q->burst_nb[i];
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
		unsigned int k = fill_burst(q), sent, i;

		if (unlikely(k == 0))
			continue;
		sent = rte_eth_tx_burst(q->ad->port_id, q->id, q->burst, (uint16_t)k);
		for (i = 0; i < sent; i++)
			if (q->burst_last[i])
				condis_nbl_release_ref(q->burst_nbl[i]);
		total += sent;
		q->stats.bursts += sent != 0;
		q->stats.pkts += sent;
		if (unlikely(sent < k)) {
			unsend(q, sent, k);
			q->stats.partial++;
			break;
		}
	}
	return total;
}

/* Ask the device to insert the tag (only when it does so in hardware). */
static __rte_noinline void
mbuf_hw_tag(struct rte_mbuf *m, uintptr_t tag)
{
	m->ol_flags |= RTE_MBUF_F_TX_VLAN;
	m->vlan_tci = condis_8021q_to_tci(tag);
}

/* One-segment mbuf for an NB that needs nothing built (the common case), or
 * NULL: the general path must take it (checks, padding, tags, chains). */
static inline struct rte_mbuf *
nb_fast_mbuf(const struct ethdev_adapter *ad, struct condis_nbl *nbl, struct condis_nb *nb,
	     uintptr_t tag)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t len = nb->data_length, off = nb->current_mdl_offset;
	struct rte_mbuf *m;

	/* len in [60, max_frame] with one unsigned compare */
	if (unlikely(len - ETHER_MIN_FRAME > ad->max_frame - ETHER_MIN_FRAME || mdl == NULL ||
		     (uint64_t)off + len > mdl->byte_count || mdl->inflight != NULL))
		return NULL;
	m = carrier_point(mdl, off, len);
	m->pkt_len = len;
	if (unlikely(tag != 0))
		mbuf_hw_tag(m, tag);
	mdl->inflight = nbl;
	return m;
}

/* Put NB nb of nbl, built as m, at index k of the burst; return the next index. */
static inline unsigned int
burst_put(struct ethdev_txq *q, unsigned int k, struct rte_mbuf *m, struct condis_nbl *nbl,
	  struct condis_nb *nb, uint64_t *bytes)
{
	q->burst[k] = m;
	q->burst_nbl[k] = nbl;
	q->burst_nb[k] = nb;
	*bytes += nb->data_length;
	return k + 1;
}

/*
 * The direct path: nothing is queued on this queue, so NBLs whose NBs need
 * nothing built go straight from the protocol's chain to the ring: no FIFO,
 * no guard reference, no round robin. Returns the first NBL it did not
 * send wholly (one the general path must take, or that the ring refused),
 * with the rest of the chain still linked behind it.
 */
static struct condis_nbl *
direct_xmit(struct ethdev_txq *q, struct ethdev_vc *ev, struct condis_nbl *nbl)
{
	const struct ethdev_adapter *ad = q->ad;
	struct rte_mbuf **burst = q->burst;
	struct condis_nbl **bnbl = q->burst_nbl;

	while (nbl != NULL) {
		uint64_t bytes = 0;
		unsigned int k = 0, nbls = 0, sent, i;

		for (; nbl != NULL; nbl = nbl->next) {
			uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
			struct condis_nb *nb = nbl->first_nb;
			unsigned int start = k;

			if (unlikely(nb == NULL || (tag != 0 && !ad->vlan_hw)))
				break;
			if (likely(nb->next == NULL)) {
				/* One NB: the common shape, no inner loop. */
				struct rte_mbuf *m = nb_fast_mbuf(ad, nbl, nb, tag);

				if (unlikely(m == NULL))
					break;
				k = burst_put(q, k, m, nbl, nb, &bytes);
			} else {
				for (; nb != NULL && k < ETHDEV_BURST; nb = nb->next) {
					struct rte_mbuf *m = nb_fast_mbuf(ad, nbl, nb, tag);

					if (unlikely(m == NULL))
						break;
					k = burst_put(q, k, m, nbl, nb, &bytes);
				}
				if (unlikely(nb != NULL)) {
					/* Not all of it here: undo its part, send what is built. */
					for (i = start; i < k; i++) {
						condis_carrier_mdl(burst[i])->inflight = NULL;
						bytes -= q->burst_nb[i]->data_length;
					}
					k = start;
					break;
				}
			}
			nbl->mp_pending = k - start; /* its carriers: no guard needed */
			nbl->mp_done = &ev->done;
			nbls++;
			if (k == ETHDEV_BURST) {
				nbl = nbl->next;
				break;
			}
		}
		if (k == 0)
			return nbl;
		sent = rte_eth_tx_burst(ad->port_id, q->id, burst, (uint16_t)k);
		q->stats.bursts += sent != 0;
		q->stats.pkts += sent;
		ev->nbs_tx += sent;
		if (likely(sent == k)) {
			ev->bytes_tx += bytes;
			ev->held += nbls;
			q->held += nbls;
			continue;
		}
		/* The ring is full: the refused NBs take the FIFO, in order. */
		for (i = sent; i < k; i++) {
			chain_unbind(burst[i], bnbl[i]);
			bytes -= q->burst_nb[i]->data_length;
		}
		ev->bytes_tx += bytes;
		q->stats.partial++;
		nbl = bnbl[sent];
		for (i = 0, nbls = 0; i < sent; i++)
			nbls += bnbl[i] != nbl && (i == 0 || bnbl[i] != bnbl[i - 1]);
		ev->held += nbls;
		q->held += nbls;
		if (sent > 0 && bnbl[sent - 1] == nbl) {
			/* Part of this NBL is in the device: it waits at the FIFO
			 * head with a guard, the rest of the chain behind it. */
			struct condis_nbl *rest = nbl->next;

			nbl->mp_pending++;
			nbl->mp_cursor = q->burst_nb[sent];
			nbl->next = NULL;
			ev->cursor = nbl;
			ev->fifo_tailp = &nbl->next;
			ev->held++;
			ev->queued++;
			q->held++;
			q->queued++;
			q->stats.backlog_nbls++;
			if (!ev->on_rr)
				rr_push_tail(q, ev);
			return rest;
		}
		return nbl;
	}
	return NULL;
}

/* Queue a chain (or the rest of one) on ev's FIFO and push the queue. */
static void
fifo_accept(struct ethdev_vc *ev, struct condis_nbl *chain)
{
	struct ethdev_txq *q = ev->q;
	struct condis_nbl *nbl, *next, *bad = NULL, **badp = &bad;
	unsigned int n = 0;

	for (nbl = chain; nbl != NULL; nbl = next) {
		condis_status_t st = nbl_check(q->ad, nbl);

		next = nbl->next;
		if (unlikely(st != CONDIS_STATUS_PENDING)) {
			nbl->status = st;
			*badp = nbl;
			badp = &nbl->next;
			continue;
		}
		nbl->mp_done = &ev->done;
		nbl->mp_pending = 1; /* the guard: dropped when its last NB is handed down */
		nbl->mp_cursor = nbl->first_nb;
		*ev->fifo_tailp = nbl;
		ev->fifo_tailp = &nbl->next;
		n++;
	}
	*ev->fifo_tailp = NULL;
	*badp = NULL;
	q->stats.backlog_nbls += n;
	ev->held += n;
	ev->queued += n;
	q->held += n;
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
		chain = direct_xmit(q, ev, chain);
	if (chain != NULL)
		fifo_accept(ev, chain);
}

void
ethdev_co_send_nbls(void *mp_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct ethdev_vc *ev = mp_vc_ctx;
	struct ethdev_txq *q = ev->q;
	struct condis_nbl *nbl;

	RTE_SET_USED(flags);
	if (likely(q->owner == LCORE_ID_ANY || rte_lcore_id() == q->owner)) {
		ethdev_accept(ev, chain);
		return;
	}
	/* Another thread: hand the chain to the owner, never block (spec 54). */
	if (likely(rte_ring_mp_enqueue(q->inbox, chain) == 0))
		return;
	for (nbl = chain; nbl != NULL; nbl = nbl->next)
		nbl->status = CONDIS_STATUS_RESOURCES;
	condis_mco_send_complete(ev->vc, chain, 0);
}

unsigned int
ethdev_deliver(struct ethdev_txq *q)
{
	struct condis_done_list *dl;
	unsigned int n = 0;

	while ((dl = q->done.first) != NULL) {
		struct ethdev_vc *ev = container_of(dl, struct ethdev_vc, done);
		struct condis_nbl *chain = dl->head;

		q->done.first = dl->next;
		n += dl->count;
		ev->held -= dl->count;
		q->held -= dl->count;
		dl->head = NULL;
		dl->tailp = &dl->head;
		dl->next = NULL;
		dl->count = 0;
		condis_mco_send_complete(ev->vc, chain, 0); /* one call per VC (spec 60) */
	}
	return n;
}

int
ethdev_poll(void *adapter_ctx, uint16_t txq)
{
	struct ethdev_adapter *ad = adapter_ctx;
	struct ethdev_txq *q = &ad->txq[txq];

	if (q->inbox != NULL && unlikely(!rte_ring_empty(q->inbox))) {
		void *chains[ETHDEV_BURST];
		unsigned int i, n;

		n = rte_ring_sc_dequeue_burst(q->inbox, chains, ETHDEV_BURST, NULL);
		for (i = 0; i < n; i++) {
			struct condis_nbl *chain = chains[i];

			ethdev_accept(condis_vc_miniport_ctx(chain->source_handle), chain);
		}
	}
	if (q->rr_head != NULL)
		q_xmit(q);
	/* Lazy PMDs free sent mbufs only on later bursts; when the queue has
	 * sent nothing since the last poll, ask for them so completion latency
	 * stays bounded (pitfall 1). */
	if (q->stats.pkts == q->pkts_at_poll && q->held > q->queued && q->cleanup_ok) {
		int rc = rte_eth_tx_done_cleanup(ad->port_id, txq, 0);

		if (rc == -ENOTSUP)
			q->cleanup_ok = false;
		else
			q->stats.cleanups++;
	}
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
		nbl->mp_cursor = NULL;
		ev->queued--;
		ev->q->queued--;
		condis_nbl_release_ref(nbl);
	}
	ev->fifo_tailp = &ev->cursor;
}
