/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame templates and what each VC sends (docs/STAMP.md): Ethernet II,
 * QinQ tags (--qinq), IPv4 or IPv6 (--l3) and UDP or TCP (--l4), or raw L2
 * (--l3 none: an EtherType of --ethertype), the stamp; a flow per VC (the
 * field --flow-vary names, +1 per VC or a seeded permutation with
 * --flow-random), source ports per frame (--vary-src-port), and sizes
 * (--frame-size: one, a weighted list in smooth weighted round robin, or a
 * seeded random cycle). Everything here runs at parse end or at set-up;
 * the send path (worker.c) only reads gen_tmpl.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include <condis/condis_checksum.h>

#include "gen.h"

struct gen_tmpl gen_tmpl;

static uint16_t size_tab[GEN_SIZE_CYCLE_MAX];
static uint64_t size_prefix[GEN_SIZE_CYCLE_MAX + 1]; /* bytes of the first k of a cycle */
static struct gen_flow flows[GEN_MAX_VCS];

/* 2001:2::/48, the IPv6 benchmarking range (RFC 5180): ::1 -> ::2. */
#define IP6_SRC_LOW 1u
#define IP6_DST_LOW 2u
static const uint8_t ip6_prefix[12] = { 0x20, 0x01, 0x00, 0x02 };

uint32_t
gen_frame_len(const struct gen_options *opt)
{
	return opt->frame_size - RTE_ETHER_CRC_LEN + gen_tmpl.tags;
}

/* The largest frame without its tags: what --frame-size counts. */
static uint32_t
untagged_len(const struct gen_options *opt)
{
	return opt->frame_size - RTE_ETHER_CRC_LEN;
}

static const char *const l3_names[] = { "ipv4", "ipv6", "none" };
static const char *const field_name[] = { "src-port", "dst-port", "src-ip", "dst-ip", "src-mac",
					  "dst-mac" };

const char *
gen_l3_name(enum gen_l3 l3)
{
	return (unsigned int)l3 < RTE_DIM(l3_names) ? l3_names[l3] : "?";
}

const char *
gen_flow_field_name(enum gen_flow_field f)
{
	return (unsigned int)f < RTE_DIM(field_name) ? field_name[f] : "?";
}

/* "IPv4/UDP", "raw L2", for messages. */
static const char *
tmpl_name(const struct gen_options *opt)
{
	static const char *const names[] = { "IPv4/UDP", "IPv4/TCP", "IPv6/UDP", "IPv6/TCP" };

	if (opt->l3 == GEN_L3_NONE)
		return "raw L2";
	return names[(opt->l3 == GEN_L3_IPV6) * 2 + (opt->l4 == GEN_L4_TCP)];
}

/* The last 4 bytes of a MAC address, host order: what --flow-vary
 * src-mac and dst-mac vary. */
static uint32_t
mac_low(const struct rte_ether_addr *m)
{
	uint32_t v;

	memcpy(&v, &m->addr_bytes[2], 4);
	return rte_be_to_cpu_32(v);
}

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static bool
flow_is_port(const struct gen_options *opt)
{
	return opt->flow_vary == GEN_FLOW_SRC_PORT || opt->flow_vary == GEN_FLOW_DST_PORT;
}

/* The addresses and ports of VC v (host order; IPv6 and MACs: the low 32
 * bits). */
struct vc_addrs {
	uint32_t src, dst;
	uint32_t smac, dmac;
	uint16_t sport, dport;
};

static void
vc_addrs(const struct gen_options *opt, uint32_t v, struct vc_addrs *a)
{
	bool v6 = opt->l3 == GEN_L3_IPV6;

	a->src = v6 ? IP6_SRC_LOW : opt->src_ip;
	a->dst = v6 ? IP6_DST_LOW : opt->dst_ip;
	a->sport = opt->udp_sport;
	a->dport = opt->udp_dport;
	a->smac = mac_low(&opt->src_mac);
	a->dmac = mac_low(&opt->dst_mac);
	switch (opt->flow_vary) {
	case GEN_FLOW_SRC_PORT:
		a->sport = (uint16_t)gen_flow_value(v);
		break;
	case GEN_FLOW_DST_PORT:
		a->dport = (uint16_t)gen_flow_value(v);
		break;
	case GEN_FLOW_SRC_IP:
		a->src = gen_flow_value(v);
		break;
	case GEN_FLOW_DST_IP:
		a->dst = gen_flow_value(v);
		break;
	case GEN_FLOW_SRC_MAC:
		a->smac = gen_flow_value(v);
		break;
	case GEN_FLOW_DST_MAC:
		a->dmac = gen_flow_value(v);
		break;
	}
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	v = rte_cpu_to_be_16(v);
	memcpy(p, &v, 2);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

/* The IPv4 or IPv6 header at l3 of a frame of len bytes (untagged), l4_len
 * of them from the L4 header on. */
static void
write_ip(const struct gen_options *opt, const struct vc_addrs *a, uint8_t *l3, uint32_t len,
	 uint32_t l4_len)
{
	uint8_t proto = opt->l4 == GEN_L4_UDP ? IPPROTO_UDP : IPPROTO_TCP;

	if (opt->l3 == GEN_L3_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN));
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = 64;
		ip->next_proto_id = proto;
		ip->src_addr = rte_cpu_to_be_32(a->src);
		ip->dst_addr = rte_cpu_to_be_32(a->dst);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;
		uint32_t s = rte_cpu_to_be_32(a->src), d = rte_cpu_to_be_32(a->dst);

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)l4_len);
		ip->proto = proto;
		ip->hop_limits = 64;
		memcpy(ip->src_addr, ip6_prefix, 12);
		memcpy(ip->src_addr + 12, &s, 4);
		memcpy(ip->dst_addr, ip6_prefix, 12);
		memcpy(ip->dst_addr + 12, &d, 4);
	}
}

/* The UDP or TCP header at l4, l4_len bytes from it to the frame's end. */
static void
write_l4(const struct gen_options *opt, const struct vc_addrs *a, uint8_t *l4, uint32_t l4_len)
{
	if (opt->l4 == GEN_L4_UDP) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)l4;

		udp->src_port = rte_cpu_to_be_16(a->sport);
		udp->dst_port = rte_cpu_to_be_16(a->dport);
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)l4_len);
		/* IPv4: none (legal); IPv6: the library fills it (csum_info). */
		udp->dgram_cksum = 0;
	} else {
		struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)l4;

		memset(tcp, 0, sizeof(*tcp));
		tcp->src_port = rte_cpu_to_be_16(a->sport);
		tcp->dst_port = rte_cpu_to_be_16(a->dport);
		tcp->data_off = 5 << 4;
		tcp->tcp_flags = RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG;
		tcp->rx_win = rte_cpu_to_be_16(UINT16_MAX);
	}
}

/* The headers of VC v for a frame of len bytes without tags or FCS, the
 * stamp's magic and VC id; the rest of the frame is left as it is. */
static void
write_headers(const struct gen_options *opt, uint32_t v, uint8_t *frame, uint32_t len)
{
	const struct gen_tmpl *t = &gen_tmpl;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	const uint32_t l4u = t->l4_off - t->tags; /* the L4 header's offset untagged */
	uint8_t *l3 = frame + RTE_ETHER_HDR_LEN + t->tags;
	uint8_t *l4 = frame + t->l4_off, *stamp = frame + t->stamp_off;
	struct vc_addrs a;

	vc_addrs(opt, v, &a);
	rte_ether_addr_copy(&opt->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&opt->src_mac, &eth->src_addr);
	put_be32(frame + 2, a.dmac);
	put_be32(frame + 8, a.smac);
	if (t->tags != 0) {
		uint16_t vid = 0;
		uint8_t prio = 0;

		gen_vlan_lookup(opt, v, &vid, &prio); /* every sender VC has one; --rx reads no VID */
		put_be16(frame + 12, RTE_ETHER_TYPE_QINQ);
		put_be16(frame + 14, (uint16_t)(opt->qinq_prio << 13 | opt->qinq_vid));
		put_be16(frame + 16, RTE_ETHER_TYPE_VLAN);
		put_be16(frame + 18, (uint16_t)(prio << 13 | vid));
	}
	put_be16(l3 - 2, t->ethertype);
	if (!t->raw) {
		write_ip(opt, &a, l3, len, len - l4u);
		write_l4(opt, &a, l4, len - l4u);
	}
	put_be32(stamp, STAMP_MAGIC);
	put_be32(stamp + 4, v);
}

void
gen_frame_write(const struct gen_options *opt, uint32_t vc_id, uint8_t *frame)
{
	memset(frame, 0, gen_frame_len(opt));
	write_headers(opt, vc_id, frame, untagged_len(opt));
}

/* Smooth weighted round robin (nginx's): every step each size gains its
 * weight and the one with the most goes, losing the total. Over a cycle of
 * sum(weights) steps each size goes exactly weight times, spread evenly. */
static void
build_sizes(const struct gen_options *opt)
{
	struct gen_tmpl *t = &gen_tmpl;
	uint32_t i, k;

	if (opt->size_random) {
		uint64_t s = opt->seed ^ UINT64_C(0x5157e5);
		uint32_t lo = opt->sizes[0], span = opt->sizes[1] - opt->sizes[0] + 1;

		t->cycle = GEN_RANDOM_SIZES;
		for (k = 0; k < t->cycle; k++)
			size_tab[k] = (uint16_t)(lo + splitmix64(&s) % span - RTE_ETHER_CRC_LEN);
	} else {
		int64_t cur[GEN_MAX_SIZES] = { 0 }, total = 0;

		for (i = 0; i < opt->nb_sizes; i++)
			total += opt->size_weights[i];
		t->cycle = (uint32_t)total;
		for (k = 0; k < t->cycle; k++) {
			uint32_t best = 0;

			for (i = 0; i < opt->nb_sizes; i++) {
				cur[i] += opt->size_weights[i];
				if (cur[i] > cur[best])
					best = i;
			}
			cur[best] -= total;
			size_tab[k] = (uint16_t)(opt->sizes[best] - RTE_ETHER_CRC_LEN);
		}
	}
	size_prefix[0] = 0;
	for (k = 0; k < t->cycle; k++)
		size_prefix[k + 1] = size_prefix[k] + size_tab[k];
	t->size_tab = size_tab;
}

static void
build_flows(const struct gen_options *opt)
{
	const struct gen_tmpl *t = &gen_tmpl;
	const uint32_t l3 = RTE_ETHER_HDR_LEN + t->tags;
	uint8_t hdr[128];
	uint32_t v, len = untagged_len(opt);

	for (v = 0; v < opt->vcs; v++) {
		struct gen_flow *f = &flows[v];
		struct vc_addrs a;

		vc_addrs(opt, v, &a);
		f->sport = a.sport;
		/* The 4 bytes at flow_off: both ports, an address or a MAC. */
		write_headers(opt, v, hdr, len);
		memcpy(&f->field, hdr + t->flow_off, 4);
		memcpy(&f->ctci, hdr + 18, 2); /* --qinq: the inner tag; else unused */
		f->ck_base = 0;
		if (t->ipv4) {
			/* RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): ~HC + ~m here, m'
			 * (the frame's total length) added per frame. */
			uint16_t hc, m;

			memcpy(&hc, hdr + l3 + 10, 2);
			memcpy(&m, hdr + l3 + 2, 2);
			f->ck_base = (uint32_t)(uint16_t)~hc + (uint16_t)~m;
		}
	}
	gen_tmpl.flows = flows;
}

/* The receiver's header check: the 4 bytes a VC's frames carry at flow_off
 * (both ports, or an address), for every VC, also on the fast path. */
void
gen_flows_build(const struct gen_options *opt)
{
	build_flows(opt);
}

bool
gen_frame_flow_ok(const uint8_t *frame, uint32_t len, uint16_t ethertype_be, uint8_t proto,
		  uint32_t vc)
{
	const struct gen_tmpl *t = &gen_tmpl;
	/* The frame's tags are out: fields past the MACs sit t->tags earlier. */
	const uint32_t off = t->flow_off < 12 ? t->flow_off : t->flow_off - t->tags;
	const uint8_t *want = (const uint8_t *)&flows[vc].field, *got = frame + off;

	if (ethertype_be != rte_cpu_to_be_16(t->ethertype) ||
	    (!t->raw && proto != (t->udp ? IPPROTO_UDP : IPPROTO_TCP)) || len < off + 4u)
		return false;
	if (t->vary_n > 1 && t->flow_off == t->l4_off) {
		/* --vary-src-port: the source port is the VC's + 0..N-1 per frame */
		uint16_t base = flows[vc].sport, sport = (uint16_t)(got[0] << 8 | got[1]);

		return memcmp(got + 2, want + 2, 2) == 0 && (uint16_t)(sport - base) < t->vary_n;
	}
	return memcmp(got, want, 4) == 0;
}

/* The --flow-vary field's value in the options (VC 0's without
 * --flow-random), host order. */
static uint32_t
flow_base(const struct gen_options *opt)
{
	bool v4 = opt->l3 == GEN_L3_IPV4;

	switch (opt->flow_vary) {
	case GEN_FLOW_SRC_PORT:
		return opt->udp_sport;
	case GEN_FLOW_DST_PORT:
		return opt->udp_dport;
	case GEN_FLOW_SRC_IP:
		return v4 ? opt->src_ip : IP6_SRC_LOW;
	case GEN_FLOW_DST_IP:
		return v4 ? opt->dst_ip : IP6_DST_LOW;
	case GEN_FLOW_SRC_MAC:
		return mac_low(&opt->src_mac);
	case GEN_FLOW_DST_MAC:
		return mac_low(&opt->dst_mac);
	}
	return 0;
}

/* --flow-vary src-mac or dst-mac: no VC's MAC may be the other one. A
 * learning bridge would take the destination for a station on the
 * generator's own port and drop every frame sent to it. */
static int
mac_clash(const struct gen_options *opt)
{
	bool src = opt->flow_vary == GEN_FLOW_SRC_MAC;
	const struct rte_ether_addr *varied = src ? &opt->src_mac : &opt->dst_mac;
	const struct rte_ether_addr *other = src ? &opt->dst_mac : &opt->src_mac;
	uint32_t v, low = mac_low(other);

	if (!src && opt->flow_vary != GEN_FLOW_DST_MAC)
		return 0;
	if (memcmp(varied->addr_bytes, other->addr_bytes, 2) != 0)
		return 0;
	for (v = 0; v < opt->vcs; v++) {
		if (gen_flow_value(v) == low) {
			char b[RTE_ETHER_ADDR_FMT_SIZE];

			rte_ether_format_addr(b, sizeof(b), other);
			fprintf(stderr, "condis-gen: --flow-vary %s: VC %u's %s MAC would be the "
				"%s MAC %s, and a bridge would drop its frames: give another "
				"--%s\n", field_name[opt->flow_vary], v,
				src ? "source" : "destination", src ? "destination" : "source", b,
				src ? "src-mac" : "dst-mac");
			return -EINVAL;
		}
	}
	return 0;
}

int
gen_traffic_init(struct gen_options *opt)
{
	struct gen_tmpl *t = &gen_tmpl;
	const bool raw = opt->l3 == GEN_L3_NONE, v4 = opt->l3 == GEN_L3_IPV4;
	const bool udp = !raw && opt->l4 == GEN_L4_UDP;
	uint32_t step = 1, i, l3, max_size;
	uint8_t hdr[128];

	memset(t, 0, sizeof(*t));
	t->raw = raw;
	t->tags = opt->qinq ? 2 * RTE_VLAN_HLEN : 0;
	l3 = RTE_ETHER_HDR_LEN + t->tags;
	t->ethertype = raw ? opt->ethertype : v4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6;
	t->l4_off = (uint8_t)(l3 + (raw ? 0 : v4 ? sizeof(struct rte_ipv4_hdr) :
				    sizeof(struct rte_ipv6_hdr)));
	t->stamp_off = (uint8_t)(t->l4_off + (raw ? 0 : udp ? sizeof(struct rte_udp_hdr) :
					      sizeof(struct rte_tcp_hdr)));
	t->min_frame = t->stamp_off - t->tags + 16 + RTE_ETHER_CRC_LEN;
	max_size = GEN_MAX_FRAME_SIZE - t->tags;
	if (opt->nb_sizes == 0) { /* --frame-size not given: 64, or the template's least */
		opt->frame_size = RTE_MAX(opt->frame_size, (uint32_t)t->min_frame);
		opt->nb_sizes = 1;
		opt->sizes[0] = opt->frame_size;
		opt->size_weights[0] = 1;
	}
	if ((opt->flow_random || opt->size_random) && !opt->seed_set) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt->seed = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		opt->seed_set = true; /* chosen: the same one paces a --rate */
	}
	t->ipv4 = v4;
	t->udp = udp;
	t->vary_n = opt->vary_src_port > 1 ? opt->vary_src_port : 1;
	switch (opt->flow_vary) {
	case GEN_FLOW_SRC_PORT:
		t->flow_off = t->l4_off;
		break;
	case GEN_FLOW_DST_PORT:
		t->flow_off = t->l4_off; /* both ports, 4 bytes */
		break;
	case GEN_FLOW_SRC_IP:
		t->flow_off = (uint8_t)(l3 + (v4 ? 12 : 8 + 12));
		break;
	case GEN_FLOW_DST_IP:
		t->flow_off = (uint8_t)(l3 + (v4 ? 16 : 24 + 12));
		break;
	case GEN_FLOW_SRC_MAC:
		t->flow_off = 8; /* its last 4 bytes */
		break;
	case GEN_FLOW_DST_MAC:
		t->flow_off = 2;
		break;
	}
	t->port_shift = opt->flow_vary == GEN_FLOW_DST_PORT ? 16 : 0;
	if (opt->flow_vary == GEN_FLOW_SRC_PORT)
		step = t->vary_n;
	if (flow_is_port(opt) && (uint64_t)opt->vcs * step > 65536) {
		fprintf(stderr, "condis-gen: --vcs %u x --vary-src-port %u source ports: more than "
			"the 65536 a port takes (--flow-vary src-port gives each VC its own %u)\n",
			opt->vcs, step, step);
		return -EINVAL;
	}
	if (opt->flow_random) {
		uint64_t s = opt->seed ^ UINT64_C(0xf10f);

		t->flow_mul = ((uint32_t)splitmix64(&s) | 1) * step;
		t->flow_add = (uint32_t)splitmix64(&s);
		t->flow_mask = 0xffff;
		/* Addresses keep the base's upper 16 bits (the /16 of --src-ip;
		 * of a MAC, all but its last 2 bytes). */
		t->flow_keep = flow_is_port(opt) ? 0 : flow_base(opt) & 0xffff0000u;
	} else {
		t->flow_mul = step;
		t->flow_mask = flow_is_port(opt) ? 0xffff : UINT32_MAX;
		t->flow_add = flow_base(opt);
	}
	if (mac_clash(opt) != 0)
		return -EINVAL;
	for (i = 0; i < (opt->size_random ? 2 : opt->nb_sizes); i++) {
		/* The buffer takes the tags too: the largest size gives way to them. */
		if (opt->sizes[i] < t->min_frame || opt->sizes[i] > max_size) {
			fprintf(stderr, "condis-gen: bad value %u for --frame-size: %s frames need "
				"%u..%u bytes incl. FCS (%u of headers, a 16-byte stamp, the FCS%s)\n",
				opt->sizes[i], tmpl_name(opt), t->min_frame,
				max_size, t->stamp_off - t->tags,
				t->tags ? "; the buffer also holds --qinq's 8 bytes of tags" : "");
			return -EINVAL;
		}
	}
	for (i = 0; i < opt->nb_phases; i++) {
		struct gen_phase *ph = &opt->phases[i];

		if (ph->size == 0)
			continue;
		if (ph->size < t->min_frame || ph->size > max_size) {
			fprintf(stderr, "condis-gen: --%s %s: size %u is too %s: %s frames need "
				"%u..%u bytes incl. FCS\n", opt->sweep ? "sweep" : "phase", ph->text,
				ph->size, ph->size < t->min_frame ? "small" : "large", tmpl_name(opt),
				t->min_frame, max_size);
			return -EINVAL;
		}
		ph->len = (uint16_t)(ph->size - RTE_ETHER_CRC_LEN);
		opt->phase_sizes = true;
		/* Every buffer takes the largest frame of any phase. */
		opt->frame_size = RTE_MAX(opt->frame_size, ph->size);
	}
	build_sizes(opt);
	t->general = !(v4 && udp && t->tags == 0 && t->cycle == 1 && t->vary_n == 1 &&
		       flow_is_port(opt)) || opt->phase_sizes;
	t->path = t->general ? GEN_PATH_GENERAL : opt->nbs_per_nbl == 1 ? GEN_PATH_ONE_NB : GEN_PATH_NBS;
	t->stamp_ts = gen_frame_len(opt) >= STAMP_OFFSET + STAMP_FULL;
	if (!(v4 && udp) && !raw)
		t->csum_info = condis_tcpip_checksum_info((v4 ? CONDIS_CSUM_TX_IPV4 : CONDIS_CSUM_TX_IPV6) |
							  (udp ? CONDIS_CSUM_TX_UDP : CONDIS_CSUM_TX_TCP),
							  udp ? 0 : t->l4_off);
	/* The fast path's block: VC 0's UDP header and stamp head, from the
	 * template; the VC's port and id go in per chain. */
	write_headers(opt, 0, hdr, untagged_len(opt));
	memset(hdr + (opt->flow_vary == GEN_FLOW_DST_PORT ? t->l4_off + 2 : t->l4_off), 0, 2);
	memset(hdr + STAMP_OFFSET + 4, 0, 4);
	memcpy(&t->blk, hdr + GEN_BLK_OFFSET, 16);
	if (t->general)
		build_flows(opt);
	return 0;
}

int
gen_parse_frame_size(struct gen_options *opt, const char *s)
{
	uint32_t sizes[GEN_MAX_SIZES], weights[GEN_MAX_SIZES], n = 0, nw = 0, i, max = 0;
	const char *p = s, *colon = strchr(s, ':');
	uint64_t total = 0;
	char *end;

	/* MIN-MAX: random sizes. */
	if (strchr(s, '-') != NULL) {
		unsigned long lo, hi;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		lo = strtoul(s, &end, 10);
		if (*end != '-' || end[1] < '0' || end[1] > '9')
			return -EINVAL;
		hi = strtoul(end + 1, &end, 10);
		if (*end != '\0' || lo < GEN_MIN_FRAME_SIZE || hi > GEN_MAX_FRAME_SIZE || lo > hi)
			return -EINVAL;
		opt->size_random = true;
		opt->nb_sizes = 2;
		opt->sizes[0] = (uint32_t)lo;
		opt->sizes[1] = (uint32_t)hi;
		opt->size_weights[0] = opt->size_weights[1] = 1;
		opt->frame_size = (uint32_t)hi;
		return 0;
	}
	for (;;) {
		unsigned long v;

		if (*p < '0' || *p > '9' || n == GEN_MAX_SIZES)
			return -EINVAL;
		v = strtoul(p, &end, 10);
		if (end - p > 6 || v < GEN_MIN_FRAME_SIZE || v > GEN_MAX_FRAME_SIZE)
			return -EINVAL;
		sizes[n++] = (uint32_t)v;
		max = RTE_MAX(max, (uint32_t)v);
		if (*end == ',') {
			p = end + 1;
			continue;
		}
		if (*end != '\0' && end != colon)
			return -EINVAL;
		break;
	}
	if (colon != NULL) {
		for (p = colon + 1;;) {
			unsigned long v;

			if (*p < '0' || *p > '9' || nw == GEN_MAX_SIZES)
				return -EINVAL;
			v = strtoul(p, &end, 10);
			if (end - p > 6 || v < 1 || v > GEN_SIZE_CYCLE_MAX)
				return -EINVAL;
			weights[nw++] = (uint32_t)v;
			total += v;
			if (*end == ',') {
				p = end + 1;
				continue;
			}
			if (*end != '\0')
				return -EINVAL;
			break;
		}
		if (nw != n || total > GEN_SIZE_CYCLE_MAX)
			return -EINVAL;
	} else {
		for (i = 0; i < n; i++)
			weights[i] = 1;
	}
	opt->size_random = false;
	opt->nb_sizes = n;
	memcpy(opt->sizes, sizes, n * sizeof(sizes[0]));
	memcpy(opt->size_weights, weights, n * sizeof(weights[0]));
	opt->frame_size = max;
	return 0;
}

double
gen_size_mean_wire(uint32_t extra)
{
	const struct gen_tmpl *t = &gen_tmpl;
	uint64_t sum = 0;
	uint32_t k;

	for (k = 0; k < t->cycle; k++)
		sum += RTE_MAX((uint32_t)t->size_tab[k] + extra, 60u) + RTE_ETHER_CRC_LEN;
	return (double)sum / t->cycle;
}

uint64_t
gen_frame_bytes(const struct gen_options *opt, uint64_t n)
{
	const struct gen_tmpl *t = &gen_tmpl;

	if (t->cycle <= 1)
		return n * gen_frame_len(opt);
	return n / t->cycle * size_prefix[t->cycle] + size_prefix[n % t->cycle];
}

void
gen_traffic_report(const struct gen_options *opt)
{
	const struct gen_tmpl *t = &gen_tmpl;
	const uint8_t *mac = (opt->flow_vary == GEN_FLOW_SRC_MAC ? &opt->src_mac :
			      &opt->dst_mac)->addr_bytes;
	uint32_t first = gen_flow_value(0), i;

	printf("traffic: l3=%s l4=%s", gen_l3_name(opt->l3), t->raw ? "none" : t->udp ? "udp" : "tcp");
	if (t->raw)
		printf(" ethertype=0x%04x", t->ethertype);
	else
		printf(" l4_checksum=%s", t->csum_info == 0 ? "zero" : "library");
	if (t->tags != 0)
		printf(" qinq=%u:%u(0x%04x, inner: --vlan, in the frame)", opt->qinq_vid,
		       opt->qinq_prio, RTE_ETHER_TYPE_QINQ);
	printf(" flows=%u flow_vary=%s flow_first=", opt->vcs, field_name[opt->flow_vary]);
	if (flow_is_port(opt))
		printf("%" PRIu32, first);
	else if (opt->flow_vary == GEN_FLOW_SRC_MAC || opt->flow_vary == GEN_FLOW_DST_MAC)
		printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], first >> 24, first >> 16 & 0xff, first >> 8 & 0xff,
		       first & 0xff);
	else if (t->ipv4)
		printf("%u.%u.%u.%u", first >> 24, first >> 16 & 0xff, first >> 8 & 0xff, first & 0xff);
	else
		printf("2001:2::%x:%x", first >> 16, first & 0xffff);
	if (opt->flow_random)
		printf(" flow_random=1 seed=%" PRIu64, opt->seed);
	else
		printf(" flow_step=%" PRIu32, t->flow_mul);
	if (t->vary_n > 1)
		printf(" vary_src_port=%u", t->vary_n);
	printf(" stamp_offset=%u sizes=", t->stamp_off);
	if (opt->size_random) {
		printf("%u-%u random_cycle=%u seed=%" PRIu64, opt->sizes[0], opt->sizes[1], t->cycle,
		       opt->seed);
	} else {
		for (i = 0; i < opt->nb_sizes; i++)
			printf("%s%u:%u", i ? "," : "", opt->sizes[i], opt->size_weights[i]);
		printf(" cycle=%u", t->cycle);
	}
	printf(" mean_frame=%.3f mean_wire_l2=%.3f%s\n",
	       (double)size_prefix[t->cycle] / t->cycle + RTE_ETHER_CRC_LEN, gen_size_mean_wire(t->tags),
	       opt->phase_sizes ? " phase_sizes=1 (phases with size= send their own: phase N:)" :
	       "");
}
