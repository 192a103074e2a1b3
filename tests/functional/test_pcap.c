/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: what reaches the wire, read back from a net_pcap tx_pcap file
 * (after condis_adapter_close + rte_eth_dev_close so the file is flushed):
 * bytes, per-VC order (spec 73-74), zero padding to 60 without touching the
 * protocol's buffer (spec 86-87), the 802.1Q tag and its TCI (spec 25,
 * pitfall 12), over-MTU frames failed and absent (spec 59).
 *
 * Without libpcap (CONDIS_HAVE_LIBPCAP 0, tests/meson.build) every case
 * skips: nothing could read the capture (and DPDK's net_pcap is built on
 * libpcap too).
 */
#include <string.h>

#ifndef CONDIS_HAVE_LIBPCAP
#error "CONDIS_HAVE_LIBPCAP must be 0 or 1 (tests/meson.build)"
#endif
#if CONDIS_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

#define NSEQ 32
#define MAXPKT 256

static char pcap_path[128];
static uint16_t port;
static struct condis_protocol *proto;
static struct condis_adapter *ad;
static struct tu_pools tp;
static struct tu_vc tv[2];
/* Why every case skips (need_pcap), or NULL. */
static const char *pcap_missing;

/* what was sent */
struct sent {
	struct condis_nbl *nbl;
	bool own_nbs;
	uint32_t vc, seq;     /* of the first NB */
	uint32_t len;         /* bytes of the first NB */
	uintptr_t vlan;       /* 802.1Q slot, 0 none */
	bool oversize;
	bool short_frame;
};
static struct sent sent[64];
static unsigned int n_sent;
static uint32_t maxlen;
static bool sent_ok;

/* what the pcap holds */
struct pkt {
	uint8_t data[2100];
	uint32_t len;
};
static struct pkt *pkts;
static unsigned int n_pkts;
static bool pcap_read_ok;

static struct condis_nbl *
short_nbl(uint32_t vc, uint32_t seq, uint32_t len)
{
	struct condis_nbl *nbl = condis_nbl_alloc(tp.data);
	struct condis_nb *nb;

	if (nbl == NULL)
		return NULL;
	nb = nbl->first_nb;
	/* the whole data area 0xAA: padding must not be written into it */
	memset(nb->mdl_chain->va, 0xaa, nb->mdl_chain->byte_count);
	nb->data_length = len;
	tu_nb_write_frame(nb, vc, seq);
	return nbl;
}

static bool
add(struct condis_nbl *nbl, bool own, uint32_t vc, uint32_t seq, uint32_t len)
{
	if (nbl == NULL || n_sent >= RTE_DIM(sent))
		return false;
	memset(&sent[n_sent], 0, sizeof(sent[0]));
	sent[n_sent].nbl = nbl;
	sent[n_sent].own_nbs = own;
	sent[n_sent].vc = vc;
	sent[n_sent].seq = seq;
	sent[n_sent].len = len;
	n_sent++;
	return true;
}

/* spec 45-47, 59, 86-87: send the mix, every NBL completes with the right status */
static void
test_send_mix(void)
{
	struct condis_nbl *nbl;
	struct condis_nb *a, *b;
	unsigned int i, s;

	tu_reset();
	CHECK(tu_vc_up(&tv[0], 0, proto, ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, ad, 0));
	maxlen = condis_ethdev_max_frame(ad);
	tu_max_segs = condis_ethdev_max_segs(ad);
	printf("note: net_pcap max_segs %u max_frame %u vlan_hw %d\n", tu_max_segs, maxlen,
	       (int)condis_ethdev_vlan_hw(ad));
	CHECK(maxlen >= 1514 && maxlen < 2047);

	/* VC 0 */
	CHECK(add(tu_data_nbl(&tp, 200, 0, 0), false, 0, 0, 200));
	CHECK(add(short_nbl(0, 1, 40), false, 0, 1, 40));
	sent[n_sent - 1].short_frame = true;
	nbl = tu_data_nbl(&tp, 100, 0, 2);
	CHECK(add(nbl, false, 0, 2, 100));
	sent[n_sent - 1].vlan = condis_8021q_info(100, 5);
	nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = sent[n_sent - 1].vlan;
	CHECK(add(tu_data_nbl(&tp, maxlen + 1, 0, 3), false, 0, 3, maxlen + 1));
	sent[n_sent - 1].oversize = true;
	nbl = condis_nbl_alloc(tp.bare);
	a = tu_multi_nb(&tp, 300, 3, 0, 4);
	b = tu_multi_nb(&tp, 1000, 2, 0, 5);
	CHECK(nbl && a && b);
	a->next = b;
	nbl->first_nb = a;
	CHECK(add(nbl, true, 0, 4, 300)); /* NBs seq 4 and 5 */
	CHECK(add(short_nbl(0, 6, 60), false, 0, 6, 60));
	CHECK(add(short_nbl(0, 7, 59), false, 0, 7, 59));
	sent[n_sent - 1].short_frame = true;
	nbl = tu_data_nbl(&tp, maxlen, 0, 8);
	CHECK(add(nbl, false, 0, 8, maxlen));
	/* 802.1Q with the largest values; tag on top of a max-size frame */
	sent[n_sent - 1].vlan = condis_8021q_info(0xffe, 7);
	nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = sent[n_sent - 1].vlan;
	/* VC 1 */
	for (i = 0; i < 10; i++)
		CHECK(add(tu_data_nbl(&tp, 64 + i * 50, 1, i), false, 1, i, 64 + i * 50));

	/* interleave: VC 0 NBLs one chain each, VC 1 in chains of 2 */
	for (s = 0, i = 0; s < n_sent; s++) {
		struct sent *e = &sent[s];

		if (e->vc == 0) {
			CHECK_EQ(tu_send1(&tv[0], e->nbl), 0);
		} else if ((e->seq % 2) == 0) {
			e->nbl->next = sent[s + 1].nbl;
			sent[s + 1].nbl->next = NULL;
			CHECK_EQ(tu_send(&tv[1], e->nbl), 0);
		}
		if (++i % 3 == 0)
			tu_poll_all(ad);
	}
	CHECK(tu_poll_until_done(ad, 1000));
	sent_ok = true; /* everything is back: the wire checks can run */
	CHECK_EQ(tu_cb_errors, 0);
	/* statuses last: first the buffer checks of every NBL */
	for (s = 0; s < n_sent; s++) {
		struct tu_track *t = tu_track_of(sent[s].nbl);
		struct condis_nb *nb = sent[s].nbl->first_nb;

		CHECK(t != NULL);
		CHECK_EQ(t->completions, 1);
		/* spec 87: DataLength unchanged; spec 64 NB list unchanged */
		CHECK_EQ(nb->data_length, sent[s].len);
		if (sent[s].short_frame) {
			const uint8_t *d = nb->mdl_chain->va;
			uint32_t k;

			for (k = sent[s].len; k < nb->mdl_chain->byte_count; k++) {
				if (d[k] != 0xaa)
					fprintf(stderr, "seq %u: buffer byte %u past data_length is 0x%02x, not 0xaa (spec 87)\n",
						sent[s].seq, k, d[k]);
				CHECK_EQ(d[k], 0xaa);
			}
		}
		/* the protocol's bytes are not modified (tags built elsewhere) */
		{
			uint8_t tmp[2100];
			const uint8_t *p = condis_nb_data(nb, nb->data_length, tmp);

			CHECK(p != NULL);
			CHECK_EQ(tu_frame_diff(p, sent[s].vc, sent[s].seq, sent[s].len), -1);
		}
	}
	for (s = 0; s < n_sent; s++) {
		struct tu_track *t = tu_track_of(sent[s].nbl);

		if (sent[s].oversize) {
			CHECK_EQ(t->status, CONDIS_STATUS_INVALID_LENGTH); /* spec 59 */
		} else {
			if (t->status != CONDIS_STATUS_SUCCESS)
				fprintf(stderr, "VC %u seq %u (%u bytes%s): status %s\n", sent[s].vc,
					sent[s].seq, sent[s].len, sent[s].vlan ? ", 802.1Q" : "",
					condis_status_name(t->status));
			CHECK_EQ(t->status, CONDIS_STATUS_SUCCESS);
		}
	}
}

static void
need_pcap(void)
{
	if (pcap_missing != NULL)
		SKIP(pcap_missing);
}

/* Close the adapter and the port, read the pcap. */
static void
test_close_and_read(void)
{
#if CONDIS_HAVE_LIBPCAP
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc;
	struct pcap_pkthdr *h;
	const u_char *d;

	CHECK(sent_ok);
	tu_close(ad);
	rte_eth_dev_stop(port);
	CHECK_EQ(rte_eth_dev_close(port), 0);
	pkts = calloc(MAXPKT, sizeof(*pkts));
	CHECK(pkts != NULL);
	pc = pcap_open_offline(pcap_path, err);
	if (pc == NULL)
		fprintf(stderr, "pcap_open_offline(%s): %s\n", pcap_path, err);
	CHECK(pc != NULL);
	while (pcap_next_ex(pc, &h, &d) == 1 && n_pkts < MAXPKT) {
		pkts[n_pkts].len = h->len;
		CHECK_EQ(h->caplen, h->len);
		memcpy(pkts[n_pkts].data, d, RTE_MIN(h->caplen, (uint32_t)sizeof(pkts[0].data)));
		n_pkts++;
	}
	pcap_close(pc);
	unlink(pcap_path);
	pcap_read_ok = true;
	printf("note: %u frames in the pcap\n", n_pkts);
#endif
}

static struct sent *
find_sent(uint32_t vc, uint32_t seq)
{
	unsigned int s;

	for (s = 0; s < n_sent; s++) {
		if (sent[s].vc == vc && sent[s].seq == seq)
			return &sent[s];
		if (sent[s].own_nbs && sent[s].vc == vc && sent[s].seq + 1 == seq)
			return &sent[s]; /* second NB of the multi-NB NBL */
	}
	return NULL;
}

/* Untag a frame copy; returns the TCI or -1 if untagged. */
static int
untag(const struct pkt *p, uint8_t *out, uint32_t *len)
{
	if (p->len >= 18 && p->data[12] == 0x81 && p->data[13] == 0x00) {
		memcpy(out, p->data, 12);
		memcpy(out + 12, p->data + 16, p->len - 16);
		*len = p->len - 4;
		return p->data[14] << 8 | p->data[15];
	}
	memcpy(out, p->data, p->len);
	*len = p->len;
	return -1;
}

/* spec 73-74, 45-47: every good frame once, bytes equal, per-VC order.
 * (Tagged frames are checked by test_vlan; here they only must not be out
 * of order.) */
static void
test_bytes_and_order(void)
{
	uint32_t next[2] = { 0, 0 };
	bool seen[2][NSEQ];
	unsigned int i, s;

	CHECK(pcap_read_ok);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n_pkts; i++) {
		uint8_t f[2100];
		uint32_t len, vc, seq, orig;
		struct sent *e;

		untag(&pkts[i], f, &len);
		CHECK(tu_frame_parse(f, len, &vc, &seq));
		CHECK(vc < 2);
		e = find_sent(vc, seq);
		CHECK(e != NULL);
		CHECK(!e->oversize);
		/* per-VC order (spec 73-74): strictly increasing, each once */
		if (seq < next[vc])
			fprintf(stderr, "pcap frame %u: VC %u seq %u after seq %u\n", i, vc, seq,
				next[vc] - 1);
		CHECK(seq >= next[vc]);
		CHECK(seq < NSEQ && !seen[vc][seq]);
		seen[vc][seq] = true;
		next[vc] = seq + 1;
		orig = (e->own_nbs && seq == e->seq + 1) ? 1000 : e->len;
		if (orig < 60)
			CHECK_EQ(len, 60);
		else
			CHECK_EQ(len, orig);
		if (tu_frame_diff(f, vc, seq, orig) != -1)
			fprintf(stderr, "pcap frame VC %u seq %u: byte %ld differs\n", vc, seq,
				tu_frame_diff(f, vc, seq, orig));
		CHECK_EQ(tu_frame_diff(f, vc, seq, orig), -1);
	}
	/* every untagged, not oversize frame is there (both NBs of the multi-NB NBL) */
	for (s = 0; s < n_sent; s++) {
		if (sent[s].oversize || sent[s].vlan != 0)
			continue;
		if (!seen[sent[s].vc][sent[s].seq])
			fprintf(stderr, "VC %u seq %u missing from the pcap\n", sent[s].vc, sent[s].seq);
		CHECK(seen[sent[s].vc][sent[s].seq]);
		if (sent[s].own_nbs)
			CHECK(seen[sent[s].vc][sent[s].seq + 1]);
	}
}

/* spec 86-87: short frames zero-padded to 60 on the wire */
static void
test_padding(void)
{
	unsigned int i, found = 0;

	CHECK(pcap_read_ok);
	for (i = 0; i < n_pkts; i++) {
		uint8_t f[2100];
		uint32_t len, vc, seq, k;
		struct sent *e;

		untag(&pkts[i], f, &len);
		if (!tu_frame_parse(f, len, &vc, &seq))
			continue;
		e = find_sent(vc, seq);
		if (e == NULL || !e->short_frame)
			continue;
		found++;
		CHECK_EQ(pkts[i].len, 60);
		for (k = e->len; k < 60; k++) {
			if (f[k] != 0)
				fprintf(stderr, "seq %u: pad byte %u = 0x%02x\n", seq, k, f[k]);
			CHECK_EQ(f[k], 0);
		}
	}
	CHECK_EQ(found, 2);
}

/* spec 25, 49, pitfall 12: the 802.1Q slot becomes a tag with the right TCI */
static void
test_vlan(void)
{
	unsigned int i, tagged = 0;

	CHECK(pcap_read_ok);
	for (i = 0; i < n_pkts; i++) {
		uint8_t f[2100];
		uint32_t len, vc, seq;
		struct sent *e;
		int tci = untag(&pkts[i], f, &len);

		CHECK(tu_frame_parse(f, len, &vc, &seq));
		CHECK(vc < 2);
		e = find_sent(vc, seq);
		CHECK(e != NULL);
		if (e->vlan == 0) {
			CHECK_EQ(tci, -1); /* untagged stays untagged */
			continue;
		}
		tagged++;
		CHECK(tci >= 0);
		CHECK_EQ(tci, condis_8021q_to_tci(e->vlan));
		if (seq == 2)
			CHECK_EQ(tci, (5 << 13) | 100); /* PCP 5, VID 100 */
		else
			CHECK_EQ(tci, (7 << 13) | 0xffe);
		CHECK_EQ(pkts[i].len, e->len + 4);
	}
	if (tagged != 2)
		fprintf(stderr, "%u of 2 tagged frames on the wire\n", tagged);
	CHECK_EQ(tagged, 2);
}

/* spec 59: the over-MTU frame is not on the wire, not truncated */
static void
test_oversize_absent(void)
{
	unsigned int i;

	CHECK(pcap_read_ok);
	for (i = 0; i < n_pkts; i++) {
		uint8_t f[2100];
		uint32_t len, vc, seq;

		untag(&pkts[i], f, &len);
		CHECK(len <= maxlen);
		if (tu_frame_parse(f, len, &vc, &seq))
			CHECK(!(vc == 0 && seq == 3));
	}
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "send mix on 2 VCs: statuses, buffers untouched (spec 59, 61, 64, 87)",
		  test_send_mix, need_pcap },
		{ "close adapter + port, read the pcap", test_close_and_read, need_pcap },
		{ "bytes equal, per-VC order (spec 45-47, 73-74)", test_bytes_and_order, need_pcap },
		{ "short frames zero-padded to 60 (spec 86-87)", test_padding, need_pcap },
		{ "802.1Q tag and TCI on the wire (spec 25, 49, pitfall 12)", test_vlan, need_pcap },
		{ "over-MTU frame absent (spec 59)", test_oversize_absent, need_pcap },
	};
	char vdev[192];
	const char *vdevs[] = { vdev, NULL };

	(void)argc;
	snprintf(pcap_path, sizeof(pcap_path), "/tmp/condis_test_%d.pcap", (int)getpid());
	snprintf(vdev, sizeof(vdev), "net_pcap0,tx_pcap=%s", pcap_path);
#if !CONDIS_HAVE_LIBPCAP
	pcap_missing = "libpcap not available";
	vdevs[0] = NULL; /* no net_pcap0 port either: the cases skip */
#endif
	if (tu_eal_init(argv[0], vdevs) < 0)
		return 1;
	if (pcap_missing == NULL) {
		if (tu_port("net_pcap0", &port) != 0)
			return 1;
		ad = tu_open(port, 1);
		if (ad == NULL) {
			fprintf(stderr, "condis_ethdev_open: %s\n", rte_strerror(rte_errno));
			return 1;
		}
		proto = condis_protocol_register("func_pcap", &tu_ops);
		if (proto == NULL || !tu_pools_create(&tp, 64))
			return 1;
	}
	return condis_test_run(cases, RTE_DIM(cases));
}
