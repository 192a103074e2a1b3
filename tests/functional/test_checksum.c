/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: the TCP/IP checksum OOB slot on transmit (spec 26,
 * condis_checksum.h). IPv4/UDP, IPv4/TCP, IPv6/UDP and IPv6/TCP frames with
 * zero checksums are sent with the slot set (and some with it clear, some
 * malformed), and what reaches the wire is checked by tshark with checksum
 * validation on: every checksum asked for is Good, a frame that did not ask
 * keeps its zero checksums, a malformed request completes INVALID_PACKET and
 * is not on the wire, and the protocol's bytes are never written.
 *
 * Two ports: net_pcap (one segment per frame: the frame is copied whole into
 * a bounce carrier) writes its pcap file itself; net_ring (chained mbufs:
 * the headers in the NB's header carrier, the payload zero-copy from the
 * protocol's MDLs, also with headers split across MDLs) is drained by the
 * test, which writes each frame to a second pcap file with libpcap.
 *
 * Skips (exit 77) without tshark or libpcap; the net_ring cases skip
 * without librte_net_ring.
 */
#include <stdlib.h>
#include <string.h>

#ifndef CONDIS_HAVE_LIBPCAP
#error "CONDIS_HAVE_LIBPCAP must be 0 or 1 (tests/meson.build)"
#endif
#if CONDIS_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_checksum.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

#define MAXF 64
#define FRAME_MAX 1600

enum kind { V4UDP, V4TCP, V6UDP, V6TCP };

/* One frame (NB) of the test. */
struct tframe {
	uint16_t id;           /* L4 source port: 1000 + id on the wire */
	enum kind kind;
	uint32_t len;          /* frame bytes */
	uint8_t bytes[FRAME_MAX];
	uint32_t splits[4];    /* MDL boundaries (0-terminated) */
	/* expectations on the wire */
	bool want_ip, want_l4; /* checksums requested (Good), else zero */
};

/* One NBL of the test. */
struct tnbl {
	struct condis_nbl *nbl;
	uintptr_t slot;
	uintptr_t tag;         /* 802.1Q slot */
	unsigned int frames[2], n_frames;
	condis_status_t expect;
};

struct port_run {
	const char *name;
	bool ring;
	char pcap_path[128];
	uint16_t port;
	struct rte_ring *rx, *tx;
	struct condis_adapter *ad;
	struct tu_pools tp;
	struct tu_vc tv;
	struct tframe fr[MAXF];
	unsigned int n_fr;
	struct tnbl nb[MAXF];
	unsigned int n_nb;
	bool sent_ok, closed_ok;
	struct condis_ethdev_queue_stats st;
#if CONDIS_HAVE_LIBPCAP
	pcap_t *dead;
	pcap_dumper_t *dump;
#endif
};

static struct condis_protocol *proto;
static const char *missing;   /* why every case skips, or NULL */
static struct port_run pcap_run = { .name = "net_pcap" };
static struct port_run ring_run = { .name = "net_ring", .ring = true };

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * A frame of kind k with payload bytes of payload and zero checksums.
 * Options: tags (1: an 802.1Q tag of the frame's own; 2: QinQ, an 802.1ad
 * S-tag outside it), ipopt (IPv4 header
 * options / an IPv6 hop-by-hop header), tcpopt (12 bytes of TCP options).
 */
static uint32_t
build(struct tframe *f, enum kind k, uint16_t id, uint32_t payload, unsigned int tags, bool ipopt,
      bool tcpopt)
{
	uint8_t *p = f->bytes;
	bool v6 = k == V6UDP || k == V6TCP, tcp = k == V4TCP || k == V6TCP;
	uint32_t off = 12, l4hl = tcp ? (tcpopt ? 32 : 20) : 8, l4len = l4hl + payload, i, l3;

	memset(f, 0, sizeof(*f));
	f->id = id;
	f->kind = k;
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if (tags == 2) {
		put16(p + off, 0x88a8); /* QinQ: the S-tag outside */
		put16(p + off + 2, 100);
		off += 4;
	}
	if (tags != 0) {
		put16(p + off, 0x8100);
		put16(p + off + 2, 42);
		off += 4;
	}
	put16(p + off, v6 ? 0x86dd : 0x0800);
	off += 2;
	l3 = off;
	if (!v6) {
		uint32_t ihl = ipopt ? 24 : 20;

		p[off] = (uint8_t)(0x40 | (ihl / 4));
		put16(p + off + 2, (uint16_t)(ihl + l4len));
		put16(p + off + 4, id);          /* identification */
		put16(p + off + 6, 0x4000);      /* DF */
		p[off + 8] = 64;
		p[off + 9] = tcp ? 6 : 17;
		/* checksum at +10 stays 0 */
		memcpy(p + off + 12, "\xc0\xa8\x01\x0a\xc0\xa8\x02\x14", 8);
		if (ipopt)
			memcpy(p + off + 20, "\x01\x01\x01\x00", 4); /* NOP NOP NOP EOL */
		off += ihl;
	} else {
		uint32_t ext = ipopt ? 8 : 0;

		p[off] = 0x60;
		put16(p + off + 4, (uint16_t)(ext + l4len));
		p[off + 6] = ipopt ? 0 : (tcp ? 6 : 17);
		p[off + 7] = 64;
		for (i = 0; i < 16; i++) {
			p[off + 8 + i] = (uint8_t)(i == 0 ? 0x20 : i == 1 ? 0x01 : i * 7);
			p[off + 24 + i] = (uint8_t)(i == 0 ? 0x20 : i == 1 ? 0x01 : 255 - i * 3);
		}
		off += 40;
		if (ipopt) {
			/* hop-by-hop: next header, length 0 (8 bytes), PadN of 4 */
			p[off] = tcp ? 6 : 17;
			p[off + 1] = 0;
			p[off + 2] = 1;
			p[off + 3] = 4;
			off += 8;
		}
	}
	(void)l3;
	put16(p + off, (uint16_t)(1000 + id));
	put16(p + off + 2, 7777);
	if (tcp) {
		put16(p + off + 4, 0x1234);
		put16(p + off + 6, 0x5678 + id);
		p[off + 12] = (uint8_t)((l4hl / 4) << 4);
		p[off + 13] = 0x18;              /* PSH ACK */
		put16(p + off + 14, 8192);
		/* checksum at +16 stays 0 */
		for (i = 20; i < l4hl; i++)
			p[off + i] = 1;              /* NOP options */
	} else {
		put16(p + off + 4, (uint16_t)l4len);
		/* checksum at +6 stays 0 */
	}
	off += l4hl;
	for (i = 0; i < payload; i++)
		p[off + i] = (uint8_t)(id * 31 + i * 7 + (i >> 8));
	f->len = off + payload;
	return f->len;
}

static struct tframe *
new_frame(struct port_run *r)
{
	return r->n_fr < MAXF ? &r->fr[r->n_fr++] : NULL;
}

/* An NB over f's bytes, split into MDLs at f->splits. */
static struct condis_nb *
make_nb(struct port_run *r, const struct tframe *f)
{
	struct condis_mdl *head = NULL, **tail = &head;
	uint32_t at = 0, i;

	for (i = 0; at < f->len; i++) {
		uint32_t end = (i < RTE_DIM(f->splits) && f->splits[i] != 0) ? f->splits[i] : f->len;
		struct condis_mdl *m = condis_mdl_alloc_data(r->tp.mdl, end - at);

		if (m == NULL)
			return NULL;
		memcpy(m->va, f->bytes + at, end - at);
		*tail = m;
		tail = &m->next;
		at = end;
	}
	return condis_nb_alloc(r->tp.nb, head, 0, f->len);
}

/* Add an NBL of frames fi[0..n) with slot value slot; expect its status. */
static bool
add_nbl(struct port_run *r, const unsigned int *fi, unsigned int n, uintptr_t slot,
	uintptr_t tag, condis_status_t expect)
{
	struct tnbl *t = &r->nb[r->n_nb];
	struct condis_nb **nextp;
	unsigned int i;

	if (r->n_nb >= MAXF)
		return false;
	memset(t, 0, sizeof(*t));
	t->nbl = condis_nbl_alloc(r->tp.bare);
	if (t->nbl == NULL)
		return false;
	nextp = &t->nbl->first_nb;
	for (i = 0; i < n; i++) {
		struct condis_nb *nb = make_nb(r, &r->fr[fi[i]]);

		if (nb == NULL)
			return false;
		*nextp = nb;
		nextp = &nb->next;
		t->frames[i] = fi[i];
	}
	t->n_frames = n;
	t->slot = slot;
	t->tag = tag;
	t->expect = expect;
	condis_nbl_set_tcpip_checksum(t->nbl, slot);
	t->nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = tag;
	r->n_nb++;
	return true;
}

/* One frame of kind k in its own NBL with the usual request for it. */
static bool
add1(struct port_run *r, enum kind k, uint32_t payload, unsigned int tags, bool ipopt, bool tcpopt,
     uint32_t split0, uint32_t split1, bool request, uintptr_t tag)
{
	struct tframe *f = new_frame(r);
	bool v6 = k == V6UDP || k == V6TCP, tcp = k == V4TCP || k == V6TCP;
	uint32_t flags = (v6 ? CONDIS_CSUM_TX_IPV6 : CONDIS_CSUM_TX_IPV4 | CONDIS_CSUM_TX_IP_HEADER) |
			 (tcp ? CONDIS_CSUM_TX_TCP : CONDIS_CSUM_TX_UDP);
	unsigned int fi;

	if (f == NULL)
		return false;
	build(f, k, (uint16_t)(r->n_fr - 1), payload, tags, ipopt, tcpopt);
	f->splits[0] = split0;
	f->splits[1] = split1;
	f->want_ip = request && !v6;
	f->want_l4 = request;
	fi = r->n_fr - 1;
	return add_nbl(r, &fi, 1, request ? condis_tcpip_checksum_info(flags, 0) : 0, tag,
		       CONDIS_STATUS_SUCCESS);
}

/* A malformed request: a frame of kind k, sent with slot; INVALID_PACKET. */
static bool
add_bad(struct port_run *r, enum kind k, uint32_t payload, uint32_t cut, uintptr_t slot)
{
	struct tframe *f = new_frame(r);
	unsigned int fi;

	if (f == NULL)
		return false;
	build(f, k, (uint16_t)(r->n_fr - 1), payload, false, false, false);
	if (cut != 0)
		f->len = cut;
	fi = r->n_fr - 1;
	return add_nbl(r, &fi, 1, slot, 0, CONDIS_STATUS_INVALID_PACKET);
}

/* The mix of frames for a port; multi-MDL ones only where the device chains. */
static bool
make_mix(struct port_run *r, bool chained)
{
	const uint32_t v4 = CONDIS_CSUM_TX_IPV4, v6 = CONDIS_CSUM_TX_IPV6;
	const uint32_t tcp = CONDIS_CSUM_TX_TCP, udp = CONDIS_CSUM_TX_UDP;
	enum kind k;
	unsigned int fi[2];

	/* every kind, requested, plain and with header options */
	for (k = V4UDP; k <= V6TCP; k++) {
		if (!add1(r, k, 200, 0, false, false, 0, 0, true, 0) ||
		    !add1(r, k, 333, 0, true, k == V4TCP || k == V6TCP, 0, 0, true, 0) ||
		    !add1(r, k, 1001, 1, false, false, 0, 0, true, 0) ||
		    !add1(r, k, 77, 2, false, false, 0, 0, true, 0))
			return false;
	}
	/* slot clear: the zero checksums stay (the direct path) */
	for (k = V4UDP; k <= V6TCP; k++)
		if (!add1(r, k, 100, 0, false, false, 0, 0, false, 0))
			return false;
	/* short frame (padded to 60) and a software 802.1Q tag on top */
	if (!add1(r, V4UDP, 3, 0, false, false, 0, 0, true, 0) ||
	    !add1(r, V4TCP, 64, 0, false, false, 0, 0, true, condis_8021q_info(100, 5)) ||
	    !add1(r, V6UDP, 1, 0, false, false, 0, 0, true, condis_8021q_info(7, 1)))
		return false;
	/* IPv4 header checksum alone: UDP's stays 0 */
	{
		struct tframe *f = new_frame(r);

		if (f == NULL)
			return false;
		build(f, V4UDP, (uint16_t)(r->n_fr - 1), 50, false, false, false);
		f->want_ip = true;
		fi[0] = r->n_fr - 1;
		if (!add_nbl(r, fi, 1, condis_tcpip_checksum_info(v4 | CONDIS_CSUM_TX_IP_HEADER, 0), 0,
			     CONDIS_STATUS_SUCCESS))
			return false;
	}
	/* bits without an IP version: nothing offloaded, zeros stay */
	{
		struct tframe *f = new_frame(r);

		if (f == NULL)
			return false;
		build(f, V4TCP, (uint16_t)(r->n_fr - 1), 50, false, false, false);
		fi[0] = r->n_fr - 1;
		if (!add_nbl(r, fi, 1, condis_tcpip_checksum_info(tcp | CONDIS_CSUM_TX_IP_HEADER, 0),
			     0, CONDIS_STATUS_SUCCESS))
			return false;
	}
	/* TcpHeaderOffset given and right (IPv4: 34, IPv6 with hop-by-hop: 62) */
	{
		struct tframe *f = new_frame(r);

		if (f == NULL)
			return false;
		build(f, V6TCP, (uint16_t)(r->n_fr - 1), 70, false, true, false);
		f->want_l4 = true;
		fi[0] = r->n_fr - 1;
		if (!add_nbl(r, fi, 1, condis_tcpip_checksum_info(v6 | tcp, 62), 0,
			     CONDIS_STATUS_SUCCESS))
			return false;
	}
	/* two NBs in one NBL, both checksummed */
	{
		struct tframe *a = new_frame(r), *b = new_frame(r);

		if (a == NULL || b == NULL)
			return false;
		build(a, V4UDP, (uint16_t)(r->n_fr - 2), 120, false, false, false);
		build(b, V4UDP, (uint16_t)(r->n_fr - 1), 121, false, false, false);
		a->want_ip = a->want_l4 = b->want_ip = b->want_l4 = true;
		fi[0] = r->n_fr - 2;
		fi[1] = r->n_fr - 1;
		if (!add_nbl(r, fi, 2, condis_tcpip_checksum_info(v4 | udp | CONDIS_CSUM_TX_IP_HEADER, 0),
			     0, CONDIS_STATUS_SUCCESS))
			return false;
	}
	if (chained) {
		/* headers across MDLs: in the Ethernet header, the IP header, the
		 * L4 header (checksum field cut), odd splits in the payload */
		if (!add1(r, V4UDP, 301, 0, false, false, 10, 0, true, 0) ||
		    !add1(r, V4TCP, 300, 0, false, false, 25, 0, true, 0) ||
		    !add1(r, V4TCP, 300, 0, false, false, 34 + 17, 0, true, 0) ||
		    !add1(r, V6UDP, 257, 0, false, false, 54 + 7, 201, true, 0) ||
		    !add1(r, V6TCP, 999, 0, true, true, 33, 401, true, 0) ||
		    !add1(r, V4UDP, 555, 0, false, false, 43, 99, true, condis_8021q_info(9, 2)) ||
		    !add1(r, V6TCP, 20, 0, false, false, 7, 61, true, 0) ||
		    !add1(r, V6UDP, 400, 2, false, false, 20, 70, true, 0))
			return false;
	}
	/* malformed requests: INVALID_PACKET, not on the wire */
	if (!add_bad(r, V6UDP, 50, 0, condis_tcpip_checksum_info(v4 | udp, 0)) ||  /* not IPv4 */
	    !add_bad(r, V4UDP, 50, 0, condis_tcpip_checksum_info(v6 | udp, 0)) ||  /* not IPv6 */
	    !add_bad(r, V4UDP, 50, 0, condis_tcpip_checksum_info(v4 | tcp, 0)) ||  /* not TCP */
	    !add_bad(r, V4UDP, 500, 300, condis_tcpip_checksum_info(v4 | udp, 0)) || /* truncated */
	    !add_bad(r, V4TCP, 10, 40, condis_tcpip_checksum_info(v4 | tcp, 0)) || /* TCP header cut */
	    !add_bad(r, V4TCP, 50, 0, condis_tcpip_checksum_info(v4 | tcp, 1000)) || /* offset past */
	    !add_bad(r, V4TCP, 50, 0, condis_tcpip_checksum_info(v4 | v6 | tcp, 0))) /* both */
		return false;
	/* an NBL whose second NB is malformed: the whole NBL fails, neither is sent */
	{
		struct tframe *a = new_frame(r), *b = new_frame(r);

		if (a == NULL || b == NULL)
			return false;
		build(a, V4TCP, (uint16_t)(r->n_fr - 2), 80, false, false, false);
		build(b, V6TCP, (uint16_t)(r->n_fr - 1), 80, false, false, false);
		fi[0] = r->n_fr - 2;
		fi[1] = r->n_fr - 1;
		if (!add_nbl(r, fi, 2, condis_tcpip_checksum_info(v4 | tcp, 0), 0,
			     CONDIS_STATUS_INVALID_PACKET))
			return false;
	}
	return true;
}

#if CONDIS_HAVE_LIBPCAP
/* net_ring: dequeue what the port sent, write it to the pcap, free it. */
static unsigned int
ring_drain(struct port_run *r)
{
	struct rte_mbuf *m[32];
	unsigned int n = rte_ring_dequeue_burst(r->tx, (void **)m, RTE_DIM(m), NULL), i;

	for (i = 0; i < n; i++) {
		uint8_t buf[FRAME_MAX + 8];
		uint32_t len = rte_pktmbuf_pkt_len(m[i]);
		const uint8_t *p = rte_pktmbuf_read(m[i], 0, RTE_MIN(len, (uint32_t)sizeof(buf)), buf);
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof(h));
		h.caplen = h.len = RTE_MIN(len, (uint32_t)sizeof(buf));
		if (p != NULL)
			pcap_dump((u_char *)r->dump, &h, p);
		rte_pktmbuf_free(m[i]);
	}
	return n;
}
#endif

static void
need_all(void)
{
	if (missing != NULL)
		SKIP(missing);
}

static void
need_ring(void)
{
	need_all();
	if (missing == NULL && tu_net_ring_missing() != NULL)
		SKIP(tu_net_ring_missing());
}

static bool
open_run(struct port_run *r)
{
	if (r->ring) {
		r->rx = rte_ring_create(tu_name("crx"), 256, SOCKET_ID_ANY,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
		r->tx = rte_ring_create(tu_name("ctx"), 256, SOCKET_ID_ANY,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r->rx == NULL || r->tx == NULL)
			return false;
		int p = tu_eth_from_rings(tu_name("cring"), &r->rx, 1, &r->tx, 1, rte_socket_id());

		if (p < 0)
			return false;
		r->port = (uint16_t)p;
#if CONDIS_HAVE_LIBPCAP
		r->dead = pcap_open_dead(DLT_EN10MB, 65535);
		if (r->dead == NULL)
			return false;
		r->dump = pcap_dump_open(r->dead, r->pcap_path);
		if (r->dump == NULL)
			return false;
#endif
	} else if (tu_port("net_pcap0", &r->port) != 0) {
		return false;
	}
	r->ad = tu_open(r->port, 1);
	if (r->ad == NULL) {
		fprintf(stderr, "condis_ethdev_open: %s\n", rte_strerror(rte_errno));
		return false;
	}
	printf("note: %s max_segs %u, checksums in hw 0x%x\n", r->name,
	       condis_ethdev_max_segs(r->ad), condis_ethdev_checksum_hw(r->ad));
	return tu_pools_create(&r->tp, 64);
}

/* spec 26, 59, 61: send the mix in one chain; every NBL back once, with the
 * status expected; the protocol's bytes unchanged. */
static void
run_send(struct port_run *r)
{
	struct condis_nbl *chain = NULL, **tail = &chain;
	unsigned int i, j, iter;

	tu_reset();
	CHECK(open_run(r));
	CHECK(tu_vc_up(&r->tv, 0, proto, r->ad, 0));
	CHECK(make_mix(r, condis_ethdev_max_segs(r->ad) >= 4));
	for (i = 0; i < r->n_nb; i++) {
		*tail = r->nb[i].nbl;
		tail = &r->nb[i].nbl->next;
	}
	*tail = NULL;
	CHECK_EQ(tu_send(&r->tv, chain), 0);
	for (iter = 0; iter < 10000 && tu_outstanding() != 0; iter++) {
#if CONDIS_HAVE_LIBPCAP
		if (r->ring)
			ring_drain(r);
#endif
		tu_poll_all(r->ad);
	}
	CHECK_EQ(tu_outstanding(), 0);
	CHECK_EQ(tu_cb_errors, 0);
	for (i = 0; i < r->n_nb; i++) {
		struct tu_track *t = tu_track_of(r->nb[i].nbl);
		const struct condis_nb *nb = r->nb[i].nbl->first_nb;

		CHECK(t != NULL);
		CHECK_EQ(t->completions, 1);
		if (t->status != r->nb[i].expect)
			fprintf(stderr, "%s NBL %u (frame id %u): %s, expected %s\n", r->name, i,
				r->fr[r->nb[i].frames[0]].id, condis_status_name(t->status),
				condis_status_name(r->nb[i].expect));
		CHECK_EQ(t->status, r->nb[i].expect);
		/* the protocol's bytes: not written (checksums built elsewhere) */
		for (j = 0; j < r->nb[i].n_frames; j++, nb = nb->next) {
			const struct tframe *f = &r->fr[r->nb[i].frames[j]];
			uint8_t tmp[FRAME_MAX];
			const uint8_t *p = condis_nb_data((struct condis_nb *)(uintptr_t)nb,
							  nb->data_length, tmp);

			CHECK(p != NULL);
			CHECK_EQ(nb->data_length, f->len);
			CHECK_EQ(memcmp(p, f->bytes, f->len), 0);
		}
	}
	CHECK_EQ(condis_ethdev_queue_stats_get(r->ad, 0, &r->st), 0);
	printf("note: %s: %" PRIu64 " frames checksummed in software, %" PRIu64
	       " by the device, %" PRIu64 " copied whole\n", r->name, r->st.csum_sw,
	       r->st.csum_hw, r->st.copies);
	CHECK(r->st.csum_sw + r->st.csum_hw > 0);
	if (r->ring)
		CHECK_EQ(r->st.copies, 0); /* headers in the header carrier, payload zero-copy */
	r->sent_ok = true;
}

/* Close the adapter (and port), flush the capture. */
static void
run_close(struct port_run *r)
{
	unsigned int i;

	CHECK(r->sent_ok);
	tu_close(r->ad);
	r->ad = NULL;
#if CONDIS_HAVE_LIBPCAP
	if (r->ring) {
		ring_drain(r);
		pcap_dump_close(r->dump);
		pcap_close(r->dead);
		r->dump = NULL;
	}
#endif
	rte_eth_dev_stop(r->port);
	CHECK_EQ(rte_eth_dev_close(r->port), 0);
	for (i = 0; i < r->n_nb; i++)
		CHECK_EQ(tu_free_nbl(r->nb[i].nbl, true), 0);
	CHECK_EQ(condis_nbl_pool_free(r->tp.bare), 0);
	r->closed_ok = true;
}

/* A tshark field: 1 Good, 0 Bad, 2 Unverified, -1 absent. */
static int
field_int(const char *s)
{
	return (s == NULL || *s == '\0') ? -1 : (int)strtol(s, NULL, 0);
}

static const struct tframe *
frame_of_port(const struct port_run *r, int sport)
{
	unsigned int i;

	for (i = 0; i < r->n_fr; i++)
		if (1000 + r->fr[i].id == sport)
			return &r->fr[i];
	return NULL;
}

/* Is frame f sent in an NBL expected to succeed? */
static bool
frame_expected(const struct port_run *r, const struct tframe *f)
{
	unsigned int i, j;

	for (i = 0; i < r->n_nb; i++)
		for (j = 0; j < r->nb[i].n_frames; j++)
			if (&r->fr[r->nb[i].frames[j]] == f)
				return r->nb[i].expect == CONDIS_STATUS_SUCCESS;
	return false;
}

/* spec 26: tshark over the capture: requested checksums Good, others still 0,
 * malformed requests absent, every good frame once. */
static void
run_verify(struct port_run *r)
{
	static const char *const fields[] = { "ip.checksum.status", "udp.checksum.status",
		"tcp.checksum.status", "ip.checksum", "udp.checksum", "tcp.checksum",
		"udp.srcport", "tcp.srcport" };
	char cmd[512], line[512];
	bool seen[MAXF];
	unsigned int i, lines = 0, good = 0, expected = 0;
	FILE *fp;

	CHECK(r->closed_ok);
	memset(seen, 0, sizeof(seen));
	snprintf(cmd, sizeof(cmd), "timeout 60 tshark -n -r '%s' -o ip.check_checksum:TRUE "
		 "-o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE -T fields "
		 "-E occurrence=f", r->pcap_path);
	for (i = 0; i < RTE_DIM(fields); i++) {
		strncat(cmd, " -e ", sizeof(cmd) - strlen(cmd) - 1);
		strncat(cmd, fields[i], sizeof(cmd) - strlen(cmd) - 1);
	}
	strncat(cmd, " 2>/dev/null", sizeof(cmd) - strlen(cmd) - 1);
	fp = popen(cmd, "r");
	CHECK(fp != NULL);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *v[RTE_DIM(fields)], *s = line, *tok;
		const struct tframe *f;
		int ip_st, udp_st, tcp_st, sport;
		bool v6, tcp;

		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < RTE_DIM(fields); i++) {
			tok = strsep(&s, "\t");
			v[i] = tok;
		}
		lines++;
		sport = field_int(v[6]) >= 0 ? field_int(v[6]) : field_int(v[7]);
		f = frame_of_port(r, sport);
		if (f == NULL) {
			fprintf(stderr, "%s: wire frame with source port %d: not sent\n", r->name,
				sport);
			pclose(fp);
			CHECK(f != NULL);
		}
		if (!frame_expected(r, f) || seen[f - r->fr]) {
			fprintf(stderr, "%s: frame id %u on the wire %s\n", r->name, f->id,
				seen[f - r->fr] ? "twice" : "but its NBL failed");
			pclose(fp);
			CHECK(false);
		}
		seen[f - r->fr] = true;
		v6 = f->kind == V6UDP || f->kind == V6TCP;
		tcp = f->kind == V4TCP || f->kind == V6TCP;
		ip_st = field_int(v[0]);
		udp_st = field_int(v[1]);
		tcp_st = field_int(v[2]);
		if (f->want_ip != (ip_st == 1) || (!v6 && !f->want_ip && field_int(v[3]) != 0) ||
		    f->want_l4 != ((tcp ? tcp_st : udp_st) == 1) ||
		    (!f->want_l4 && field_int(tcp ? v[5] : v[4]) != 0)) {
			fprintf(stderr, "%s: frame id %u (kind %d, want ip %d l4 %d): ip %s/%s udp %s/%s tcp %s/%s\n",
				r->name, f->id, f->kind, f->want_ip, f->want_l4, v[0], v[3], v[1],
				v[4], v[2], v[5]);
			pclose(fp);
			CHECK(false);
		}
		good++;
	}
	CHECK_EQ(pclose(fp), 0);
	for (i = 0; i < r->n_fr; i++) {
		if (!frame_expected(r, &r->fr[i]))
			continue;
		expected++;
		if (!seen[i])
			fprintf(stderr, "%s: frame id %u missing from the wire\n", r->name, r->fr[i].id);
		CHECK(seen[i]);
	}
	printf("note: %s: %u frames on the wire, all as expected (%u NBLs, %u frames sent)\n",
	       r->name, lines, r->n_nb, r->n_fr);
	CHECK_EQ(good, expected);
	unlink(r->pcap_path);
}

static void t_pcap_send(void) { run_send(&pcap_run); }
static void t_pcap_close(void) { run_close(&pcap_run); }
static void t_pcap_verify(void) { run_verify(&pcap_run); }
static void t_ring_send(void) { run_send(&ring_run); }
static void t_ring_close(void) { run_close(&ring_run); }
static void t_ring_verify(void) { run_verify(&ring_run); }

/* spec 26: the slot's bit layout (NDIS Transmit bit-fields) */
static void
t_layout(void)
{
	uintptr_t v = condis_tcpip_checksum_info(CONDIS_CSUM_TX_IPV6 | CONDIS_CSUM_TX_TCP, 54);

	CHECK_EQ(CONDIS_CSUM_TX_IPV4, 1u << 0);
	CHECK_EQ(CONDIS_CSUM_TX_IPV6, 1u << 1);
	CHECK_EQ(CONDIS_CSUM_TX_TCP, 1u << 2);
	CHECK_EQ(CONDIS_CSUM_TX_UDP, 1u << 3);
	CHECK_EQ(CONDIS_CSUM_TX_IP_HEADER, 1u << 4);
	CHECK_EQ(v, 0x2u | 0x4u | (54u << 16));
	CHECK_EQ(condis_tcpip_checksum_flags(v), CONDIS_CSUM_TX_IPV6 | CONDIS_CSUM_TX_TCP);
	CHECK_EQ(condis_tcpip_checksum_tcp_offset(v), 54);
	CHECK_EQ(condis_tcpip_checksum_tcp_offset(condis_tcpip_checksum_info(0, 0x7ff)), 0x3ff);
	CHECK(condis_tcpip_checksum_requested(v));
	CHECK(!condis_tcpip_checksum_requested(condis_tcpip_checksum_info(CONDIS_CSUM_TX_TCP, 0)));
	CHECK(!condis_tcpip_checksum_requested(condis_tcpip_checksum_info(CONDIS_CSUM_TX_IPV4, 0)));
	CHECK(!condis_tcpip_checksum_requested(0));
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "checksum slot bit layout (spec 26)", t_layout },
		{ "net_pcap: send the mix, statuses, protocol bytes unwritten (spec 26, 61)",
		  t_pcap_send, need_all },
		{ "net_pcap: close, flush the capture", t_pcap_close, need_all },
		{ "net_pcap: tshark: requested checksums good, others zero (spec 26)",
		  t_pcap_verify, need_all },
		{ "net_ring: send the mix, headers across MDLs, zero-copy payload (spec 26, 61)",
		  t_ring_send, need_ring },
		{ "net_ring: close, write the capture", t_ring_close, need_ring },
		{ "net_ring: tshark: requested checksums good, others zero (spec 26)",
		  t_ring_verify, need_ring },
	};
	char vdev[192];
	const char *vdevs[] = { vdev, NULL };

	(void)argc;
	snprintf(pcap_run.pcap_path, sizeof(pcap_run.pcap_path), "/tmp/condis_cksum_%d.pcap",
		 (int)getpid());
	snprintf(ring_run.pcap_path, sizeof(ring_run.pcap_path), "/tmp/condis_cksum_ring_%d.pcap",
		 (int)getpid());
	snprintf(vdev, sizeof(vdev), "net_pcap0,tx_pcap=%s", pcap_run.pcap_path);
#if !CONDIS_HAVE_LIBPCAP
	missing = "libpcap not available";
#endif
	if (missing == NULL && system("command -v tshark >/dev/null 2>&1") != 0)
		missing = "tshark not installed";
	if (missing != NULL)
		vdevs[0] = NULL; /* no net_pcap0 port either: the cases skip */
	if (tu_eal_init(argv[0], vdevs) < 0)
		return 1;
	proto = condis_protocol_register("func_checksum", &tu_ops);
	if (proto == NULL)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
