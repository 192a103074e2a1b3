/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev miniport's frame building: checks an NB against the device
 * (spec 59), turns it into an mbuf chain of carriers, and builds what the
 * miniport must write itself: zero padding outside protocol memory
 * (spec 86-87) and software 802.1Q tags (pitfall 12). The one-segment fast
 * case is inline in ethdev_build.h.
 */
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "ethdev_build.h"

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

/* Segments needed for len bytes from (mdl, off); 0 if the chain is too short,
 * or loops (more than CONDIS_NB_MAX_MDLS pieces walked, empty ones included). */
static uint32_t
span_pieces(const struct condis_mdl *mdl, uint32_t off, uint32_t len)
{
	uint32_t n = 0, walked = 0;

	while (len > 0) {
		uint32_t piece;

		if (mdl == NULL || off > mdl->byte_count || ++walked > CONDIS_NB_MAX_MDLS)
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
	uint32_t len = nb->data_length;

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
	if (span_pieces(nb->current_mdl, nb->current_mdl_offset, len) > ad->max_segs)
		return CONDIS_STATUS_INVALID_LENGTH;
	return CONDIS_STATUS_PENDING;
}

condis_status_t
ethdev_nbl_check(const struct ethdev_adapter *ad, const struct condis_nbl *nbl)
{
	bool tag_sw = !ad->vlan_hw && nbl->info[CONDIS_NBL_INFO_IEEE8021Q] != 0;
	const struct condis_nb *nb = nbl->first_nb;
	condis_status_t st = CONDIS_STATUS_FAILURE; /* an NBL without NBs */
	unsigned int n = 0;

	for (; nb != NULL; nb = nb->next) {
		if (unlikely(++n > CONDIS_NBL_MAX_NBS))
			return CONDIS_STATUS_FAILURE; /* the NB list loops */
		st = nb_check(ad, nb, tag_sw);
		if (unlikely(st != CONDIS_STATUS_PENDING))
			return st;
	}
	return st;
}

/* Unbind every segment of a built mbuf chain that was not sent. */
void
ethdev_chain_unbind(struct rte_mbuf *m, struct condis_nbl *nbl)
{
	struct rte_mbuf *next;

	for (; m != NULL; m = next) {
		struct condis_mdl *mdl = condis_carrier_mdl(m);

		next = m->next;
		m->next = NULL; /* an idle carrier's invariant (carrier_point) */
		m->nb_segs = 1;
		rte_mbuf_refcnt_set(m, 1); /* the reference held for the PMD, if taken */
		if (mdl->inflight == nbl) {
			condis_mdl_release(mdl);
			nbl->miniport_pending--;
		}
		if (condis_carrier_is_bounce(m))
			condis_bounce_return(m);
	}
}

void
ethdev_seg_unbind(struct rte_mbuf *m)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);
	struct condis_nbl *nbl = mdl->inflight; /* every held segment is bound */

	m->next = NULL;
	m->nb_segs = 1;
	rte_mbuf_refcnt_set(m, 1);
	condis_mdl_release(mdl);
	nbl->miniport_pending--;
	if (condis_carrier_is_bounce(m))
		condis_bounce_return(m);
}

/* Ask the device to insert the tag (only when it does so in hardware). */
void
ethdev_mbuf_hw_tag(struct rte_mbuf *m, uintptr_t tag)
{
	m->ol_flags |= RTE_MBUF_F_TX_VLAN;
	m->vlan_tci = condis_8021q_to_tci(tag);
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
/* Is any MDL in the NB's span held by a send already (this one included),
 * or another NBL's own? */
static bool
nb_span_busy(const struct condis_nb *nb, const struct condis_nbl *nbl)
{
	const struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	for (; left > 0 && mdl != NULL; mdl = mdl->next, off = 0) {
		if (condis_mdl_busy_for(mdl, nbl))
			return true;
		left -= RTE_MIN(mdl->byte_count - off, left);
	}
	return false;
}

/*
 * The frame copied whole into a carrier lent by the queue's bounce pool: for
 * a software tag the device cannot take as an extra segment, and for an NB
 * whose MDL another send (or another NB of this NBL) already holds. Short
 * frames are padded to 60 before the tag. NULL if no carrier is free
 * (RESOURCES).
 */
static struct rte_mbuf *
nb_build_bounce(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb,
		uintptr_t tag, bool tag_sw)
{
	uint32_t len = nb->data_length, at = tag_sw ? RTE_ETHER_ADDR_LEN * 2 : len;
	uint32_t wire = RTE_MAX(len, (uint32_t)ETHER_MIN_FRAME);
	struct rte_mbuf *m;
	uint8_t *p;

	if (q->bounce == NULL || (m = condis_bounce_borrow(q->bounce)) == NULL)
		return NULL;
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->ol_flags = 0;
	m->next = NULL;
	m->nb_segs = 1;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	at = RTE_MIN(at, len);
	nb_copy(nb, 0, at, p);
	if (tag_sw) {
		put_tag(p + at, tag);
		p += RTE_VLAN_HLEN;
	}
	nb_copy(nb, at, len - at, p + at);
	memset(p + len, 0, wire - len);
	m->data_len = (uint16_t)(wire + (tag_sw ? RTE_VLAN_HLEN : 0));
	m->pkt_len = m->data_len;
	carrier_bind(condis_carrier_mdl(m), nbl);
	q->stats.copies++;
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

		if (unlikely(!condis_mdl_claim(hmdl, nbl)))
			return NULL;
		nbl->miniport_pending++;
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
			ethdev_chain_unbind(head, nbl);
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

/* The mbuf chain for one NB, over the NB's own buffers; NULL if one is held
 * by another send. */
static struct rte_mbuf *
nb_build_in_place(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb,
		  uintptr_t tag, bool tag_sw)
{
	const struct ethdev_adapter *ad = q->ad;
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, len = nb->data_length;
	struct rte_mbuf *m;

	if (likely(!tag_sw && len >= ETHER_MIN_FRAME && mdl->byte_count - off >= len)) {
		m = seg_from_mdl(mdl, off, len, nbl); /* the common case: one segment */
		if (likely(m != NULL))
			m->pkt_len = len;
		return m;
	}
	if (tag_sw && len >= ETHER_MIN_FRAME && span_pieces(mdl, off, len) + 1 > ad->max_segs)
		return nb_build_bounce(q, nbl, nb, tag, true);
	return nb_build_slow(nbl, nb, tag_sw, tag);
}

/* The mbuf chain for one NB; NULL if a buffer is held by another send and no
 * bounce carrier is free. */
struct rte_mbuf *
ethdev_nb_build(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb)
{
	uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
	bool tag_sw = tag != 0 && !q->ad->vlan_hw;
	struct rte_mbuf *m = NULL;

	/* A buffer another send holds (or claims first, from another queue's
	 * thread) is copied, never shared (spec 52, condis_send.h). */
	if (likely(!nb_span_busy(nb, nbl)))
		m = nb_build_in_place(q, nbl, nb, tag, tag_sw);
	if (unlikely(m == NULL)) {
		m = nb_build_bounce(q, nbl, nb, tag, tag_sw);
		if (unlikely(m == NULL))
			return NULL;
	}
	if (tag != 0 && !tag_sw)
		ethdev_mbuf_hw_tag(m, tag);
	return m;
}
