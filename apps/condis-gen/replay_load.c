/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --pcap FILE, read once before the EAL: every frame, its time, and its flow.
 * A flow is what RSS and a device under test tell apart: the 5-tuple (and
 * the VLAN tags around it); a frame without one (ARP, say) is a flow of its
 * MAC addresses and EtherType. Flows are numbered in the order they first
 * appear and flow k goes on VC k (modulo --vcs when given).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include <pcap/pcap.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "replay.h"

struct gen_replay gen_replay;

#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd

struct flow_key {
	uint8_t src[16], dst[16];   /* addresses, or MACs */
	uint32_t vids;              /* up to two 12-bit VLAN ids */
	uint16_t ethertype;         /* inside the tags */
	uint16_t sport, dport;      /* TCP, UDP, SCTP; 0: none */
	uint8_t proto;
	uint8_t tags;               /* VLAN tags seen: VID 0 tagged is not untagged */
};

struct keyed {
	struct flow_key key;
	uint32_t frame;
};

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
ports_at(struct flow_key *k, const uint8_t *l4, const uint8_t *end)
{
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP && k->proto != IPPROTO_SCTP)
		return;
	if (end - l4 < 4)
		return;
	k->sport = be16_at(l4);
	k->dport = be16_at(l4 + 2);
}

/* The flow of a frame of len bytes (at least an Ethernet header). */
static void
flow_of(const uint8_t *f, uint32_t len, struct flow_key *k)
{
	const uint8_t *p = f + 12, *end = f + len;
	unsigned int tags;

	memset(k, 0, sizeof(*k));
	k->ethertype = be16_at(p);
	for (tags = 0; tags < 2 && (k->ethertype == ETHERTYPE_VLAN ||
				    k->ethertype == ETHERTYPE_QINQ) && end - p >= 6; tags++) {
		k->vids = k->vids << 12 | (be16_at(p + 2) & 0xfff);
		k->tags++;
		p += 4;
		k->ethertype = be16_at(p);
	}
	p += 2;
	if (k->ethertype == ETHERTYPE_IPV4 && end - p >= 20 && (p[0] >> 4) == 4) {
		uint32_t ihl = (p[0] & 0xfu) * 4u;

		k->proto = p[9];
		memcpy(k->src, p + 12, 4);
		memcpy(k->dst, p + 16, 4);
		/* A fragment's flow is its addresses' (RSS hashes every fragment of
		 * a datagram, the first too, on the 2-tuple): one VC, in order. */
		if ((be16_at(p + 6) & 0x3fff) == 0 && ihl >= 20 && end - p >= ihl)
			ports_at(k, p + ihl, end);
	} else if (k->ethertype == ETHERTYPE_IPV6 && end - p >= 40 && (p[0] >> 4) == 6) {
		k->proto = p[6];
		memcpy(k->src, p + 8, 16);
		memcpy(k->dst, p + 24, 16);
		ports_at(k, p + 40, end);
	} else {
		memcpy(k->dst, f, 6);
		memcpy(k->src, f + 6, 6);
	}
}

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = memcmp(&x->key, &y->key, sizeof(x->key));

	return c != 0 ? c : (x->frame > y->frame) - (x->frame < y->frame);
}

/* Each frame's flow, numbered by first appearance, onto nb_vcs VCs (0: one
 * VC per flow). Sorting by key groups a flow's frames, first one first. */
static int
flows_assign(struct gen_replay *r, uint32_t nb_vcs)
{
	struct keyed *kv = malloc(sizeof(*kv) * r->nb_frames);
	uint32_t *group_of = malloc(sizeof(*group_of) * r->nb_frames);
	uint32_t *rank = malloc(sizeof(*rank) * r->nb_frames);
	uint32_t i, g = 0, first = 0;

	if (kv == NULL || group_of == NULL || rank == NULL) {
		free(kv);
		free(group_of);
		free(rank);
		return -ENOMEM;
	}
	for (i = 0; i < r->nb_frames; i++) {
		flow_of(r->data + r->frames[i].off, r->frames[i].len, &kv[i].key);
		kv[i].frame = i;
	}
	qsort(kv, r->nb_frames, sizeof(*kv), keyed_cmp);
	/* rank[f] = UINT32_MAX unless f is a flow's first frame. */
	memset(rank, 0xff, sizeof(*rank) * r->nb_frames);
	for (i = 0; i < r->nb_frames; i++) {
		if (i == 0 || memcmp(&kv[i].key, &kv[i - 1].key, sizeof(kv[i].key)) != 0) {
			first = kv[i].frame;
			rank[first] = 0;
		}
		group_of[kv[i].frame] = first;
	}
	for (i = 0; i < r->nb_frames; i++)
		if (rank[i] != UINT32_MAX)
			rank[i] = g++;
	r->nb_flows = g;
	for (i = 0; i < r->nb_frames; i++) {
		uint32_t flow = rank[group_of[i]];

		r->frames[i].vc = nb_vcs != 0 ? flow % nb_vcs : flow;
	}
	free(kv);
	free(group_of);
	free(rank);
	return 0;
}

/* Appends a frame; grows the arrays by doubling. */
static int
frame_add(struct gen_replay *r, const uint8_t *bytes, uint32_t len, uint64_t t_ns,
	  uint64_t *cap_frames, uint64_t *cap_bytes)
{
	if (r->nb_frames == *cap_frames) {
		uint64_t n = *cap_frames ? *cap_frames * 2 : 1024;
		void *p = realloc(r->frames, n * sizeof(*r->frames));

		if (p == NULL)
			return -ENOMEM;
		r->frames = p;
		*cap_frames = n;
	}
	if (r->bytes + len > *cap_bytes) {
		uint64_t n = RTE_MAX(*cap_bytes * 2, r->bytes + len + 65536);
		void *p = realloc(r->data, n);

		if (p == NULL)
			return -ENOMEM;
		r->data = p;
		*cap_bytes = n;
	}
	memcpy(r->data + r->bytes, bytes, len);
	r->frames[r->nb_frames++] = (struct gen_replay_frame){
		.t_ns = t_ns, .off = r->bytes, .len = (uint16_t)len,
	};
	r->bytes += len;
	r->max_len = RTE_MAX(r->max_len, len);
	return 0;
}

static int
file_read(const char *path, struct gen_replay *r)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							      err);
	/* Times after the first frame, less the gaps cut (skip); prev: the last. */
	uint64_t cap_frames = 0, cap_bytes = 0, t0 = 0, skip = 0, prev = 0;
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc, ret = 0;

	if (pc == NULL) {
		fprintf(stderr, "condis-gen: --pcap %s: %s\n", path, err);
		return -EINVAL;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "condis-gen: --pcap %s: link type %s, not Ethernet: only Ethernet "
			"frames can be replayed\n", path,
			pcap_datalink_val_to_name(pcap_datalink(pc)) ?: "unknown");
		pcap_close(pc);
		return -EINVAL;
	}
	while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
		uint64_t raw = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec, t;
		uint32_t n = r->nb_frames + 1;

		if (h->caplen < RTE_ETHER_HDR_LEN || h->caplen > GEN_REPLAY_MAX_LEN) {
			fprintf(stderr, "condis-gen: --pcap %s: frame %u has %u bytes: a frame "
				"takes 14..%u\n", path, n, h->caplen, GEN_REPLAY_MAX_LEN);
			ret = -EINVAL;
			break;
		}
		if (r->nb_frames == GEN_REPLAY_MAX_FRAMES) {
			fprintf(stderr, "condis-gen: --pcap %s: more than %u frames\n", path,
				GEN_REPLAY_MAX_FRAMES);
			ret = -EINVAL;
			break;
		}
		if (r->nb_frames == 0)
			t0 = raw;
		t = raw >= t0 + skip ? raw - t0 - skip : 0;
		if (t < prev) {
			r->out_of_order++;
			t = prev; /* sent at once after the one before */
		} else if (t - prev > GEN_REPLAY_MAX_GAP_NS) {
			/* A clock step in the capture, not a pause to wait out. */
			r->gaps_cut++;
			skip += t - prev - GEN_REPLAY_MAX_GAP_NS;
			t = prev + GEN_REPLAY_MAX_GAP_NS;
		}
		prev = t;
		r->cut_short += h->caplen < h->len;
		if (frame_add(r, bytes, h->caplen, t, &cap_frames, &cap_bytes) != 0) {
			fprintf(stderr, "condis-gen: --pcap %s: out of memory at frame %u\n",
				path, n);
			ret = -ENOMEM;
			break;
		}
	}
	if (ret == 0 && rc == PCAP_ERROR) {
		fprintf(stderr, "condis-gen: --pcap %s: after frame %u: %s\n", path, r->nb_frames,
			pcap_geterr(pc));
		ret = -EINVAL;
	}
	pcap_close(pc);
	if (ret == 0 && r->nb_frames == 0) {
		fprintf(stderr, "condis-gen: --pcap %s: no frames\n", path);
		ret = -EINVAL;
	}
	return ret;
}

int
gen_replay_load(struct gen_options *opt)
{
	struct gen_replay *r = &gen_replay;
	uint64_t wire = 0;
	uint32_t i;

	memset(r, 0, sizeof(*r));
	if (file_read(opt->pcap_path, r) != 0 ||
	    flows_assign(r, opt->vcs_given ? opt->vcs : 0) != 0) {
		gen_replay_free();
		return -EINVAL;
	}
	if (!opt->vcs_given)
		opt->vcs = r->nb_flows;
	if (opt->vcs > GEN_MAX_VCS) {
		fprintf(stderr, "condis-gen: --pcap %s has %u flows, more than %u VCs: give --vcs "
			"N to put them on N VCs\n", opt->pcap_path, r->nb_flows, GEN_MAX_VCS);
		gen_replay_free();
		return -EINVAL;
	}
	r->span_ns = r->frames[r->nb_frames - 1].t_ns;
	/* Not in integers: a dense capture's mean gap is below a nanosecond. */
	r->period_ns = r->nb_frames > 1 ?
		       (uint64_t)llround((double)r->span_ns * r->nb_frames / (r->nb_frames - 1)) : 0;
	for (i = 0; i < r->nb_frames; i++)
		wire += RTE_MAX((uint32_t)r->frames[i].len, GEN_MIN_FRAME_NO_FCS) + RTE_ETHER_CRC_LEN;
	opt->frame_size = r->max_len + RTE_ETHER_CRC_LEN;
	opt->wire_l2_bytes = (double)wire / r->nb_frames;
	opt->wire_l1_bytes = opt->wire_l2_bytes + GEN_L1_OVERHEAD;
	if (gen_rate_resolve(opt) != 0) {
		gen_replay_free();
		return -EINVAL;
	}
	/* The file's own timing: its rate, sped up, is the target. */
	if (opt->rate_text[0] == '\0' && opt->pcap_speed > 0 && r->period_ns > 0) {
		opt->rate_pps = r->nb_frames / (r->period_ns * 1e-9) * opt->pcap_speed;
		snprintf(opt->rate_text, sizeof(opt->rate_text), "the file's timestamps x %.6g",
			 opt->pcap_speed);
	}
	return 0;
}

void
gen_replay_free(void)
{
	free(gen_replay.data);
	free(gen_replay.frames);
	memset(&gen_replay, 0, sizeof(gen_replay));
}
