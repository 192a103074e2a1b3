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
#include <rte_ip.h>

#include <condis/condis_checksum.h>

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

static bool nbl_csum_ok(const struct condis_nbl *nbl, uintptr_t info);

condis_status_t
ethdev_nbl_check(const struct ethdev_adapter *ad, const struct condis_nbl *nbl)
{
	bool tag_sw = !ad->vlan_hw && nbl->info[CONDIS_NBL_INFO_IEEE8021Q] != 0;
	uintptr_t csum = nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM];
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
	if (unlikely(csum != 0) && condis_tcpip_checksum_requested(csum) && !nbl_csum_ok(nbl, csum))
		return CONDIS_STATUS_INVALID_PACKET; /* spec 26: checksums asked for, impossible */
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

/*
 * The NB's header carrier first, then the rest of the NB's bytes straight
 * from its MDLs. The carrier holds the first `copy` bytes of the NB (0 if
 * nothing else needs them there: at least the addresses when a software tag
 * goes after them, the whole frame when it is short, the headers up to the
 * L4 header when checksums are filled in), the tag after the addresses, and
 * the zero padding of a short frame. The caller made sure it fits the
 * carrier's buffer (headroom included).
 */
static struct rte_mbuf *
nb_build_slow(struct condis_nbl *nbl, struct condis_nb *nb, bool tag_sw, uintptr_t tag,
	      uint32_t copy)
{
	struct condis_mdl *hmdl = condis_carrier_mdl(nb->hdr), *mdl;
	uint32_t len = nb->data_length, pos = 0, off, left, segs = 0;
	struct rte_mbuf *head = NULL, **nextp = &head, *m;
	uint8_t *h;

	if (len < ETHER_MIN_FRAME)
		copy = len; /* linearised and padded in the header carrier */
	else if (tag_sw && copy < RTE_ETHER_ADDR_LEN * 2)
		copy = RTE_ETHER_ADDR_LEN * 2;
	if (copy > 0) {
		uint32_t at = tag_sw ? RTE_MIN(copy, (uint32_t)RTE_ETHER_ADDR_LEN * 2) : copy;
		uint32_t need = copy + (tag_sw ? RTE_VLAN_HLEN : 0) +
				(len < ETHER_MIN_FRAME ? ETHER_MIN_FRAME - len : 0);
		uint32_t hlen;

		if (unlikely(!condis_mdl_claim(hmdl, nbl)))
			return NULL;
		nbl->miniport_pending++;
		head = nb->hdr;
		/* Headers longer than the room after the headroom start in it. */
		head->data_off = (uint16_t)RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM,
						   (uint32_t)head->buf_len - need);
		head->ol_flags = 0;
		head->next = NULL;
		h = rte_pktmbuf_mtod(head, uint8_t *);
		/* The copied bytes, tagged after the addresses ... */
		nb_copy(nb, 0, at, h);
		hlen = at;
		if (tag_sw) {
			put_tag(h + hlen, tag);
			hlen += RTE_VLAN_HLEN;
			nb_copy(nb, at, copy - at, h + hlen);
			hlen += copy - at;
		}
		/* ... and a short frame padded untagged to 60. */
		if (len < ETHER_MIN_FRAME) {
			memset(h + hlen, 0, ETHER_MIN_FRAME - len);
			hlen += ETHER_MIN_FRAME - len;
		}
		pos = copy;
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
	return nb_build_slow(nbl, nb, tag_sw, tag, 0);
}

static struct rte_mbuf *ethdev_nb_build_plain(struct ethdev_txq *q, struct condis_nbl *nbl,
					      struct condis_nb *nb, uintptr_t tag, bool tag_sw);

/*
 * Checksums on transmit (spec 26, condis_checksum.h). The headers of the
 * frame are parsed from a copy of its first CSUM_PARSE_MAX bytes (the
 * protocol's memory is only read); the frame goes out with its headers, up
 * to and including the L4 header, in the NB's header carrier (or copied
 * whole into a bounce carrier), where the checksums are written: by
 * software, or as the pseudo-header sum plus mbuf offload flags for a port
 * that computes them. The payload stays in the protocol's MDLs.
 */
#define CSUM_PARSE_MAX 256 /* headers must lie in the first 256 bytes */
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Where the headers of nb are and which checksums it wants, for a slot value
 * that asks for one (condis_tcpip_checksum_requested()). False if the frame
 * cannot have them: not the IP version the bits claim, not the L4 protocol
 * they claim (or an IP fragment), headers cut short or past CSUM_PARSE_MAX,
 * lengths past the data, TcpHeaderOffset not where the TCP header is.
 * lo->want may come back 0: IpHeaderChecksum on IPv6 (nothing to do).
 */
static bool
csum_parse(const struct condis_nb *nb, uintptr_t info, struct ethdev_csum *lo)
{
	const uint32_t f = condis_tcpip_checksum_flags(info), len = nb->data_length;
	const uint32_t tcp_off = condis_tcpip_checksum_tcp_offset(info);
	const bool v6 = (f & CONDIS_CSUM_TX_IPV6) != 0;
	uint8_t b[CSUM_PARSE_MAX], proto;
	uint32_t n = RTE_MIN(len, (uint32_t)CSUM_PARSE_MAX), off = RTE_ETHER_HDR_LEN, l3_end, l4;
	uint32_t tags;
	uint16_t et;

	memset(lo, 0, sizeof(*lo));
	if ((f & CONDIS_CSUM_TX_IPV4) && v6)
		return false; /* both versions claimed */
	if ((f & CONDIS_CSUM_TX_TCP) && (f & CONDIS_CSUM_TX_UDP))
		return false; /* both L4 protocols claimed */
	if (f & CONDIS_CSUM_TX_TCP)
		lo->want = ETHDEV_CSUM_TCP;
	else if (f & CONDIS_CSUM_TX_UDP)
		lo->want = ETHDEV_CSUM_UDP;
	if (!v6 && (f & CONDIS_CSUM_TX_IP_HEADER))
		lo->want |= ETHDEV_CSUM_IP;
	if (lo->want == 0)
		return true;
	lo->v6 = v6;
	if (n < RTE_ETHER_HDR_LEN)
		return false;
	nb_copy(nb, 0, n, b);
	et = rd16(b + 12);
	/* Tags of the protocol's own: one 802.1Q, or QinQ (an 802.1ad S-tag,
	 * or the older 0x9100, outside an 802.1Q C-tag). */
	for (tags = 0; tags < 2 && (et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ ||
				   et == RTE_ETHER_TYPE_QINQ1); tags++) {
		if (n < off + RTE_VLAN_HLEN)
			return false;
		et = rd16(b + off + 2);
		off += RTE_VLAN_HLEN;
	}
	lo->l3_off = (uint16_t)off;
	if (!v6) {
		uint32_t ihl, total;

		if (et != RTE_ETHER_TYPE_IPV4 || off + 20 > n || (b[off] >> 4) != 4)
			return false;
		ihl = (b[off] & 0xfu) * 4u;
		total = rd16(b + off + 2);
		if (ihl < 20 || off + ihl > n || total < ihl || off + total > len)
			return false;
		l4 = off + ihl;
		l3_end = off + total;
		proto = b[off + 9];
		/* MF set or a fragment offset: the L4 checksum spans fragments */
		if ((lo->want & ETHDEV_CSUM_L4) && (rd16(b + off + 6) & 0x3fff) != 0)
			return false;
	} else {
		unsigned int ext = 0;

		if (et != RTE_ETHER_TYPE_IPV6 || off + 40 > n || (b[off] >> 4) != 6)
			return false;
		l3_end = off + 40 + rd16(b + off + 4);
		if (l3_end > len)
			return false;
		proto = b[off + 6];
		l4 = off + 40;
		/* Hop-by-hop, routing (with no segment left: the pseudo-header's
		 * destination is then the header's) and destination options. */
		while (proto == 0 || proto == 43 || proto == 60) {
			if (++ext > 8 || l4 + 8 > n || (proto == 43 && b[l4 + 3] != 0))
				return false;
			proto = b[l4];
			l4 += (b[l4 + 1] + 1u) * 8u;
		}
		if (l4 > l3_end)
			return false;
	}
	lo->l4_off = (uint16_t)l4;
	lo->hdr_end = (uint16_t)l4; /* IP header checksum only: up to the L4 header */
	if (lo->want & ETHDEV_CSUM_TCP) {
		uint32_t doff;

		if (proto != IPPROTO_TCP_ || l4 + 20 > n || l4 + 20 > l3_end ||
		    (tcp_off != 0 && tcp_off != l4))
			return false;
		doff = (b[l4 + 12] >> 4) * 4u;
		if (doff < 20 || l4 + doff > n || l4 + doff > l3_end)
			return false;
		lo->hdr_end = (uint16_t)(l4 + doff);
	} else if (lo->want & ETHDEV_CSUM_UDP) {
		if (proto != IPPROTO_UDP_ || l4 + 8 > n || rd16(b + l4 + 4) != l3_end - l4)
			return false;
		lo->hdr_end = (uint16_t)(l4 + 8);
	}
	lo->l4_len = l3_end - l4;
	return true;
}

/* Every NB of nbl can have the checksums its slot asks for. */
static bool
nbl_csum_ok(const struct condis_nbl *nbl, uintptr_t info)
{
	const struct condis_nb *nb;
	struct ethdev_csum lo;

	for (nb = nbl->first_nb; nb != NULL; nb = nb->next)
		if (!csum_parse(nb, info, &lo))
			return false;
	return true;
}

/* The pseudo-header's one's complement sum (not folded to the field's
 * complement), in memory order like rte_raw_cksum(). */
static uint16_t
csum_phdr(const uint8_t *ip, bool v6, uint32_t l4_len, uint8_t proto)
{
	uint32_t sum;

	if (!v6) {
		uint8_t ph[12];

		memcpy(ph, ip + 12, 8); /* source, destination */
		ph[8] = 0;
		ph[9] = proto;
		ph[10] = (uint8_t)(l4_len >> 8);
		ph[11] = (uint8_t)l4_len;
		sum = __rte_raw_cksum(ph, sizeof(ph), 0);
	} else {
		uint8_t ph[40];

		memcpy(ph, ip + 8, 32); /* source, destination */
		ph[32] = (uint8_t)(l4_len >> 24);
		ph[33] = (uint8_t)(l4_len >> 16);
		ph[34] = (uint8_t)(l4_len >> 8);
		ph[35] = (uint8_t)l4_len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		sum = __rte_raw_cksum(ph, sizeof(ph), 0);
	}
	return __rte_raw_cksum_reduce(sum);
}

/*
 * The one's complement sum of len bytes of the mbuf chain m from byte off
 * (checked by csum_parse(): they lie in the frame). Not rte_raw_cksum_mbuf():
 * DPDK 22.11's truncates a segment's sum to 16 bits before swapping the bytes
 * of one that starts at an odd offset, which loses its carries.
 */
static uint16_t
csum_chain(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0, done = 0;

	for (; m != NULL && len > 0; m = m->next) {
		uint32_t seg = m->data_len, piece, s;

		if (off >= seg) {
			off -= seg;
			continue;
		}
		piece = RTE_MIN(seg - off, len);
		s = __rte_raw_cksum_reduce(__rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const void *,
										 off), piece, 0));
		if (done & 1)
			s = rte_bswap16((uint16_t)s);
		sum += s;
		done += piece;
		len -= piece;
		off = 0;
	}
	return __rte_raw_cksum_reduce(sum);
}

/*
 * Fill the checksums lo wants into frame m, whose first segment is library
 * memory (header or bounce carrier) holding the headers up to lo->hdr_end,
 * shifted by `shift` bytes (a software tag). What the port offloads (hw:
 * ETHDEV_CSUM_*) gets the mbuf flags and, for L4, the pseudo-header sum in
 * the field (as rte_eth_tx_prepare() would write it); the rest is computed.
 */
static void
csum_fill(struct ethdev_txq *q, struct rte_mbuf *m, const struct ethdev_csum *lo, uint32_t shift)
{
	const uint8_t hw = q->ad->csum_hw & lo->want;
	uint8_t *base = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *ip = base + lo->l3_off + shift, *field;
	uint64_t fl = lo->v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4;
	uint16_t v;

	if (lo->want & ETHDEV_CSUM_IP) {
		memset(ip + 10, 0, 2);
		if (hw & ETHDEV_CSUM_IP) {
			fl |= RTE_MBUF_F_TX_IP_CKSUM;
		} else {
			v = rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip);
			memcpy(ip + 10, &v, 2);
		}
	}
	if (lo->want & ETHDEV_CSUM_L4) {
		const bool tcp = (lo->want & ETHDEV_CSUM_TCP) != 0;
		uint16_t phdr = csum_phdr(ip, lo->v6, lo->l4_len, tcp ? IPPROTO_TCP_ : IPPROTO_UDP_);

		field = base + lo->l4_off + shift + (tcp ? 16 : 6);
		if (hw & lo->want & ETHDEV_CSUM_L4) {
			memcpy(field, &phdr, 2);
			fl |= tcp ? RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM;
		} else {
			uint16_t raw = 0;
			uint32_t sum;

			memset(field, 0, 2);
			raw = csum_chain(m, lo->l4_off + shift, lo->l4_len);
			sum = (uint32_t)raw + phdr;
			v = (uint16_t)~__rte_raw_cksum_reduce(sum);
			if (v == 0 && !tcp)
				v = 0xffff; /* UDP: 0 means "no checksum" */
			memcpy(field, &v, 2);
		}
	}
	if (hw != 0) {
		m->ol_flags |= fl;
		m->l2_len = lo->l3_off + shift;
		m->l3_len = lo->l4_off - lo->l3_off;
		q->stats.csum_hw++;
	}
	if (hw != lo->want)
		q->stats.csum_sw++;
}

/*
 * The frame of an NB whose NBL asks for checksums: its headers in the NB's
 * header carrier and the rest zero-copy, or copied whole when a buffer is
 * held by another send, the headers do not fit the carrier or the device
 * cannot chain them. NULL with nbl->status set: INVALID_PACKET (checksums
 * impossible), or left PENDING when no buffer is free (RESOURCES).
 */
static struct rte_mbuf * __rte_noinline
nb_build_csum(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb,
	      uintptr_t info, uintptr_t tag, bool tag_sw)
{
	const uint32_t shift = tag_sw ? RTE_VLAN_HLEN : 0, len = nb->data_length;
	struct rte_mbuf *m = NULL;
	struct ethdev_csum lo;

	if (unlikely(!csum_parse(nb, info, &lo))) {
		nbl->status = CONDIS_STATUS_INVALID_PACKET;
		return NULL;
	}
	if (lo.want == 0) {
		m = ethdev_nb_build_plain(q, nbl, nb, tag, tag_sw);
		return m;
	}
	if (!nb_span_busy(nb, nbl)) {
		uint32_t rest = 0, off;
		struct condis_mdl *mdl;

		if (len >= ETHER_MIN_FRAME) {
			nb_locate_byte(nb, lo.hdr_end, &mdl, &off);
			rest = len > lo.hdr_end ? span_pieces(mdl, off, len - lo.hdr_end) : 0;
		}
		/* the header carrier holds the headers (a short frame whole) */
		if ((len < ETHER_MIN_FRAME ? (uint32_t)ETHER_MIN_FRAME : lo.hdr_end) + shift <=
		    nb->hdr->buf_len && 1 + rest <= q->ad->max_segs)
			m = nb_build_slow(nbl, nb, tag_sw, tag, lo.hdr_end);
	}
	if (m == NULL)
		m = nb_build_bounce(q, nbl, nb, tag, tag_sw);
	if (unlikely(m == NULL))
		return NULL;
	csum_fill(q, m, &lo, shift);
	if (tag != 0 && !tag_sw)
		ethdev_mbuf_hw_tag(m, tag);
	return m;
}

/* The mbuf chain for one NB of an NBL that asks for no checksum. */
static struct rte_mbuf *
ethdev_nb_build_plain(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb,
		      uintptr_t tag, bool tag_sw)
{
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

/* The mbuf chain for one NB; NULL if a buffer is held by another send and no
 * bounce carrier is free, or (status set) its checksums cannot be made. */
struct rte_mbuf *
ethdev_nb_build(struct ethdev_txq *q, struct condis_nbl *nbl, struct condis_nb *nb)
{
	uintptr_t tag = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
	uintptr_t csum = nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM];
	bool tag_sw = tag != 0 && !q->ad->vlan_hw;

	if (unlikely(csum != 0) && condis_tcpip_checksum_requested(csum))
		return nb_build_csum(q, nbl, nb, csum, tag, tag_sw);
	return ethdev_nb_build_plain(q, nbl, nb, tag, tag_sw);
}
