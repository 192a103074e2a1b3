/* SPDX-License-Identifier: BSD-3-Clause */
/* condis-gen: shared types. */
#ifndef CONDIS_GEN_H
#define CONDIS_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include <condis/condis.h>

#include "latency.h"

#define GEN_MAX_VCS 65536
#define GEN_MAX_WORKERS 16
#define GEN_MAX_PORTS 8
#define GEN_MAX_COUNT UINT64_C(1000000000000000) /* frames per VC: no budget overflow */
#define GEN_MAX_SECONDS 3600.0                   /* drain, wait-link, linger, rx-idle */
/* Bytes on the wire around a frame: preamble + SFD 8, inter-frame gap 12 (L1);
 * frames shorter than 60 (no FCS) are padded; an 802.1Q tag. */
#define GEN_L1_OVERHEAD 20
#define GEN_MIN_FRAME_NO_FCS 60u
#define GEN_VLAN_TAG_LEN 4u

/* An adapter event at a time after the start (--event). */
enum gen_event_kind { GEN_EVENT_PAUSE, GEN_EVENT_RESET };
#define GEN_MAX_EVENTS 8
#define GEN_MAX_PHASES 64

/* --phase RATE@S[,size=B][,vcs=K] (or a step of --sweep): a stretch of the
 * run at its own rate, frame size and VC count. */
struct gen_phase {
	double rate_pps;            /* over all VCs; 0: as fast as it goes */
	double seconds;
	uint32_t size;              /* frames incl. FCS; 0: the run's --frame-size */
	uint32_t vcs;               /* the first K VCs send; 0: all */
	uint16_t len;               /* size - FCS: the phase's size cycle of one */
	double wire_l1_bytes;       /* per frame on the wire, L1 (mean over the VCs) */
	char text[96];              /* as given (--sweep: its step, as if given) */
};

struct gen_event {
	enum gen_event_kind kind;
	double at_s;
};

/* What the user asked for. */
struct gen_options {
	uint16_t port_id;           /* the first of ports[] */
	uint16_t ports[GEN_MAX_PORTS]; /* --port-id N,M,...: VC v on ports[v % nb_ports] */
	uint16_t nb_ports;
	uint32_t vcs;
	uint32_t frame_size;        /* Ethernet frame incl. FCS */
	uint32_t mtu;               /* set on the port; 0 = keep the port's */
	uint32_t nbs_per_nbl;
	uint32_t nbls_per_chain;
	uint32_t window;            /* NBLs per worker, shared by its VCs; 0 = automatic */
	bool zero_copy;             /* frames in protocol memory (protomem.h), not pool data */
	uint64_t count;             /* frames per VC; 0 = no limit */
	double duration;            /* seconds; 0 = no limit */
	double rate_pps;            /* frames/s, all VCs; 0 = as fast as possible */
	double rate_link_pct;       /* --rate N%: rate_pps once the link speed is known */
	/* Bytes per frame on the wire, mean over the VCs: the frame, its 802.1Q
	 * tag if any, padding to 60, the FCS, and for L1 20 bytes of preamble,
	 * SFD and gap. rate_layer says which one a bit rate counted (GEN_L1 for
	 * a rate in frames/s: the report's bit rate). */
	double wire_l1_bytes, wire_l2_bytes;
	enum gen_layer { GEN_PPS, GEN_L1, GEN_L2 } rate_layer;
	char rate_text[48];         /* --rate as given */
	double link_speed_mbps;     /* --link-speed; 0: ask the port */
	enum gen_pacing { GEN_PACE_SMOOTH, GEN_PACE_POISSON } pacing;
	uint32_t burst;             /* --burst: NBLs per paced chain; 0: from the rate */
	uint64_t seed;              /* --seed (poisson); set at parse end if not given */
	bool seed_set;
	uint16_t workers;           /* lcores = TX queues, over all ports */
	bool workers_given;
	uint16_t nb_txd;
	bool vlan_all_set;          /* --vlan VID:PRIO given */
	uint16_t vlan_id_all;
	uint8_t vlan_prio_all;
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src_ip, dst_ip;    /* host order */
	uint16_t udp_sport, udp_dport;
	/* What each VC sends (traffic.c, docs/STAMP.md): the headers, the field
	 * that differs per VC (a flow each), per-frame source ports, sizes. */
	enum gen_l3 { GEN_L3_IPV4, GEN_L3_IPV6, GEN_L3_NONE } l3; /* none: raw L2 */
	enum gen_l4 { GEN_L4_UDP, GEN_L4_TCP } l4;
	enum gen_flow_field { GEN_FLOW_SRC_PORT, GEN_FLOW_DST_PORT, GEN_FLOW_SRC_IP,
			      GEN_FLOW_DST_IP, GEN_FLOW_SRC_MAC, GEN_FLOW_DST_MAC } flow_vary;
	uint16_t ethertype;         /* --l3 none: the frames' EtherType */
	/* --qinq: an 802.1ad S-tag in the frame, the VC's --vlan tag inside it
	 * (in the frame too, not the NBL's slot: a slot tag goes outermost). */
	bool qinq;
	uint16_t qinq_vid;
	uint8_t qinq_prio;
	bool flow_random;           /* --flow-random: a seeded permutation, not +1 */
	uint32_t vary_src_port;     /* --vary-src-port N: +0..N-1 per frame; 0, 1: off */
	uint32_t nb_sizes;          /* --frame-size list; frame_size is the largest */
	uint32_t sizes[16], size_weights[16];
	bool size_random;           /* --frame-size MIN-MAX: sizes[0], sizes[1] */
	double drain_s;             /* wait for completions after the last send */
	double wait_link_s;         /* wait for link up before sending */
	double linger_s;            /* keep the port up after the report */
	bool rx;                    /* receive/verify mode */
	double rx_idle_s;           /* --rx: stop after this long without a stamped frame; 0 = never */
	int rx_port;                /* --rx-port: also receive there while sending; -1: no */
	bool rx_check_headers;      /* --rx-check-headers: each frame's flow against its VC's */
	uint16_t rx_queues;         /* --rx-queues: receive queues (RSS), one lcore polls all */
	bool per_vc;                /* print every VC */
	const char *json_path;      /* --json FILE, "-": standard output; NULL: none */
	const char *plot_dir;       /* --plot DIR; NULL: none */
	double stats_period_s;      /* --stats-period; -1: not given (automatic), 0: off */
	struct gen_event events[GEN_MAX_EVENTS]; /* --event, in the order given */
	struct gen_phase phases[GEN_MAX_PHASES]; /* --phase, in the order given */
	uint32_t nb_phases;
	bool sweep;                 /* --sweep: the phases are its steps */
	bool phase_sizes;           /* a phase sets its frame size (the general path) */
	uint32_t nb_events;
	bool vcs_given;             /* --vcs given (--pcap: else one VC per flow) */
	const char *pcap_path;      /* --pcap FILE: replay it (replay.h); NULL: none */
	double pcap_speed;          /* --pcap-speed: the file's time / this; 0: max */
	uint64_t pcap_loops;        /* --pcap-loop: passes over the file; 0: no limit */
	bool pcap_rate;             /* --pcap with --rate: at the rate, not the file's time */
};

/* Per-VC generator state, the protocol's per-VC context. What a send and
 * its completion touch is one cache line; NBs, bytes and successes follow
 * from these counts (gen_vc_totals()). */
struct gen_vc {
	struct condis_vc *vc;
	struct gen_worker *worker;
	uintptr_t vlan_info;        /* 802.1Q OOB value, 0 = untagged */
	uint64_t seq;               /* next sequence number = NBs sent */
	uint64_t budget;            /* NBs still to send (count mode) */
	uint64_t nbls_sent;
	uint64_t completed;         /* NBLs back, any status */
	uint32_t id;
	uint32_t port_word;         /* fast path: its port, where it goes in the block (worker.c) */
	/* Completions other than SUCCESS, by status (rare: second line). */
	uint64_t invalid_length, resources, failure, paused, reset, other;
	uint64_t short_ok_missing;  /* NBs a short last NBL lacked, when it completed SUCCESS */
	uint64_t bytes_sent;        /* --pcap only (else from the size cycle) */
} __rte_cache_aligned;

/* A VC's counters in full, for reports. */
struct gen_vc_totals {
	uint64_t nbls_sent, nbs_sent, bytes_sent;
	uint64_t completed, success, success_nbs;
	uint64_t invalid_length, resources, failure, paused, reset, other;
};

/* Worker w sends on port w % nb_ports, its queue w / nb_ports; VC v goes to
 * port v % nb_ports, and there round robin over the port's workers. One
 * port: worker v % workers, as always. */
static inline uint32_t
gen_vc_worker(const struct gen_options *opt, uint32_t v)
{
	uint32_t p = opt->nb_ports, per_port = opt->workers / p;

	return (v / p) % per_port * p + v % p;
}

/* A phase (or the run) paced at a rate: any. */
static inline bool
gen_phases_paced(const struct gen_options *opt)
{
	uint32_t k;

	for (k = 0; k < opt->nb_phases; k++)
		if (opt->phases[k].rate_pps > 0)
			return true;
	return false;
}

/* One lcore, one TX queue of one port, a set of VCs. */
struct gen_worker {
	unsigned int lcore;
	uint16_t index;             /* in workers[] */
	uint16_t port_idx;          /* in opt->ports[] */
	uint16_t queue;
	struct gen_vc **vcs;
	uint32_t nb_vcs;
	uint32_t next_vc;           /* round robin: the VC to serve first */
	/* NBLs the generator owns, shared by the worker's VCs: a LIFO list
	 * linked through nbl->next (the owner's link), so the same few NBLs
	 * stay hot in cache whatever the VC count, and a completed chain goes
	 * back whole. */
	struct condis_nbl *free_head;
	uint32_t nb_free;
	uint32_t window;
	struct condis_adapter *adapter;
	const struct gen_options *opt;
	struct gen_latency lat;
	uint64_t tsc_start;         /* loop start */
	uint64_t tsc_last_done;     /* last completion */
	uint64_t polls;
	/* The sending interval: frames sent from the first send up to (not
	 * including) the last chain, over the time between the two. */
	uint64_t tsc_first_send, tsc_last_send;
	uint64_t frames_sent;
	uint32_t last_chain_frames;
	/* --rate: times the pacer fell further behind its schedule than it
	 * makes up (GEN_PACE_MAX_LAG_S), and the frames it gave up then. */
	uint64_t pace_stalls, pace_dropped;
	/* --rate: the shape, chains and the gaps between them (TSC). */
	uint32_t pace_min_nbls;     /* a chain waits until this many NBLs are due */
	uint64_t chains;
	uint32_t chain_frames_max;
	struct gen_latency gaps;
	/* The loop's start and end by the TSC and by CLOCK_MONOTONIC: a check
	 * of the clock the rate is measured with. */
	uint64_t tsc_end, mono_start, mono_end;
	/* --rate, smooth or bursts: latency from the schedule too (coordinated
	 * omission): the chain about to go's scheduled TSC, and the histogram. */
	bool sched_on;
	bool sched_mark;            /* chains carry their schedule (or send) time */
	uint64_t sched_tsc;
	struct gen_latency lat_sched;
	/* --phase: the phase running, and what each one sent, when, and the
	 * latency histogram as it stood at its end (a phase's own is the
	 * difference from the one before). */
	uint32_t phase;
	struct gen_phase_stats {
		uint64_t frames, stalls, dropped; /* during the phase */
		uint64_t tsc_start, tsc_end;
		struct gen_latency lat_at_end;
	} *phase_stats;
	/* The general path's sizes (gen_tmpl's, or the phase's one size), and
	 * the VCs sending: its first nb_active (a phase's vcs=K; else all). */
	const uint16_t *size_tab;
	uint32_t size_cycle;
	uint32_t nb_active;
	/* --rx-port: the first worker also receives there (rx.h). */
	struct gen_rx *rx;
	uint16_t rx_port;
	/* --pcap: the frames it sends, in order, and one pass over them in
	 * the file's time (replay.h). */
	struct gen_replay_slot *rp_slots;
	uint32_t rp_frames;         /* its frames of the file, a pass's */
	uint32_t rp_nb;
	uint64_t rp_pass_ns;
} __rte_cache_aligned;

/* The VCs below vcs on the p-th port (VC v is on port v mod K). */
static inline uint32_t
gen_port_vcs(const struct gen_options *opt, uint32_t p, uint32_t vcs)
{
	return (vcs + opt->nb_ports - 1 - p) / opt->nb_ports;
}

/* A worker's share of a rate over the first vcs VCs: the ports that have one
 * of them share it evenly (each port its own wire), and a port's workers by
 * their VCs among them (nb_active: of those VCs). */
static inline double
gen_worker_share(const struct gen_options *opt, const struct gen_worker *w, uint32_t vcs)
{
	uint32_t ports = RTE_MIN(vcs, (uint32_t)opt->nb_ports);
	uint32_t port_vcs = gen_port_vcs(opt, w->port_idx, vcs);

	if (port_vcs == 0)
		return 0;
	return 1.0 / ports * w->nb_active / port_vcs;
}

/* A chain of frames went at now: the sending interval's counts and, paced,
 * how even the chains were (sizes, gaps). */
static inline void
gen_worker_sent(struct gen_worker *w, uint32_t frames, uint64_t now, bool paced)
{
	if (paced) {
		if (w->chains++ != 0)
			gen_latency_add(&w->gaps, now - w->tsc_last_send, 1);
		if (frames > w->chain_frames_max)
			w->chain_frames_max = frames;
	}
	if (unlikely(w->frames_sent == 0))
		w->tsc_first_send = now;
	w->frames_sent += frames;
	w->tsc_last_send = now;
	w->last_chain_frames = frames;
}

/* --rx-port: after the last send, receive until nothing came for this long. */
#define GEN_RX_DRAIN_IDLE_S 0.1
/* Workers still sending or draining their completions. */
extern uint32_t gen_workers_running;

/* A paced worker sends late frames at full speed, after a stall, up to this
 * far behind its schedule; beyond it the schedule moves on (a stall counted). */
#define GEN_PACE_MAX_LAG_S 0.1
/* Smooth pacing: a chain waits until the NBLs of this long are due (at least
 * one), so chains grow with the rate instead of the loop's speed deciding. */
#define GEN_SMOOTH_GAP_S 0.5e-6

/* The NBLs a paced chain waits for, at nbl_pps NBLs/s for the worker. */
static inline uint32_t
gen_pace_min_nbls(const struct gen_options *opt, double nbl_pps)
{
	double k = nbl_pps * GEN_SMOOTH_GAP_S;

	if (opt->burst != 0)
		return opt->burst;
	return k <= 1 ? 1 : k >= opt->nbls_per_chain ? opt->nbls_per_chain : (uint32_t)k + (k > (uint32_t)k);
}

/* frame.c */
/* The largest frame's bytes as sent (no FCS), in-frame tags included. */
uint32_t gen_frame_len(const struct gen_options *opt);
void gen_frame_write(const struct gen_options *opt, uint32_t vc_id, uint8_t *frame);

/* traffic.c: the templates of --l3/--l4, a flow per VC, the size cycle. */
#define GEN_MAX_SIZES 16
#define GEN_SIZE_CYCLE_MAX 65536u   /* --frame-size list: sum of the weights */
#define GEN_RANDOM_SIZES 4096u      /* --frame-size MIN-MAX: a seeded cycle this long */
typedef uint64_t gen_v2u64 __attribute__((vector_size(16)));

/* Per VC, built once (general path): the 4 bytes at flow_off (both ports,
 * or the address), the IPv4 header checksum's RFC 1624 base (~HC + ~m, m
 * the template's total length), the VC's source port (host order). */
struct gen_flow {
	uint32_t field;
	uint32_t ck_base;
	uint16_t sport;
	uint16_t ctci;              /* --qinq: the inner tag's TCI (big endian) */
};

struct gen_tmpl {
	bool general;               /* not the one-store path (below) */
	bool stamp_ts;              /* fast path: the frame has room for the timestamp */
	enum { GEN_PATH_ONE_NB, GEN_PATH_NBS, GEN_PATH_GENERAL } path;
	bool ipv4, udp;
	bool raw;                   /* --l3 none: Ethernet, EtherType, the stamp */
	uint8_t tags;               /* tag bytes in the frame: 8 with --qinq, else 0 */
	uint8_t l4_off, stamp_off;  /* from the frame's first byte, tags included */
	uint8_t flow_off;           /* the 4 bytes a VC varies: ports, an address, a MAC */
	uint8_t port_shift;         /* fast path: the port's bit offset, little endian: 0, 16 */
	uint16_t min_frame;         /* incl. FCS, without tags: headers + 16-byte stamp + FCS */
	uint16_t ethertype;         /* after the tags */
	uint32_t vary_n;            /* per-frame source ports; 1: none */
	uintptr_t csum_info;        /* NBL checksum slot: L4 checksum by the library */
	uint32_t flow_mul, flow_add, flow_mask, flow_keep; /* field of VC v (host order) */
	uint32_t cycle;             /* sizes: size_tab[seq % cycle] */
	const uint16_t *size_tab;   /* frame lengths without FCS */
	gen_v2u64 blk;              /* fast path: UDP header, magic; port and VC id 0 */
	struct gen_flow *flows;     /* general path: per VC */
};
extern struct gen_tmpl gen_tmpl;

/* Fast path: IPv4/UDP, one size, a port per VC, no per-frame variation.
 * Every frame gets one 16-byte store at GEN_BLK_OFFSET: the UDP header
 * (the VC's port) and the stamp's magic and VC id. */
#define GEN_BLK_OFFSET 34
static inline uint32_t
gen_flow_value(uint32_t v)
{
	return gen_tmpl.flow_keep | ((gen_tmpl.flow_mul * v + gen_tmpl.flow_add) & gen_tmpl.flow_mask);
}

/* The receiver's header check (--rx-check-headers): build every VC's flow,
 * then tell whether a frame, its tags taken out, of EtherType ethertype_be
 * and protocol proto (raw L2: any) carries VC vc's. */
void gen_flows_build(const struct gen_options *opt);
bool gen_frame_flow_ok(const uint8_t *frame, uint32_t len, uint16_t ethertype_be, uint8_t proto,
		       uint32_t vc);

/* Parse end: checks and builds the templates (0 or -EINVAL, reported). */
int gen_traffic_init(struct gen_options *opt);
/* --frame-size: one size, a weighted list, or MIN-MAX. */
int gen_parse_frame_size(struct gen_options *opt, const char *s);
/* Mean bytes on the wire (L2: padded to 60, + FCS) over the size cycle,
 * with extra bytes (a tag) per frame. */
double gen_size_mean_wire(uint32_t extra);
/* Bytes of the first n frames of a VC (their sizes without FCS). */
uint64_t gen_frame_bytes(const struct gen_options *opt, uint64_t n);
/* The report's traffic: line. */
void gen_traffic_report(const struct gen_options *opt);
/* --l3 and --flow-vary values by name (the JSON's config). */
const char *gen_l3_name(enum gen_l3 l3);
const char *gen_flow_field_name(enum gen_flow_field f);

#define STAMP_MAGIC 0x434e4453u /* "CNDS" */
#define STAMP_OFFSET 42         /* Ethernet 14 + IPv4 20 + UDP 8 */
#define STAMP_FULL 24           /* magic, VC id, sequence, timestamp */
/* Smallest frame (incl. FCS) with a timestamp in its stamp. */
#define STAMP_TS_MIN_FRAME (STAMP_OFFSET + STAMP_FULL + RTE_ETHER_CRC_LEN)
/* Frames start this far into their (cache-line aligned) buffer, so that the
 * bytes written per send (from the UDP header of IPv4/UDP to the end of the
 * stamp, for every template) sit in one cache line. */
#define STAMP_ALIGN_OFFSET (RTE_CACHE_LINE_SIZE - GEN_BLK_OFFSET)

/* Frame sizes incl. FCS: the smallest frame with the 16-byte stamp, and the
 * largest whose buffer (frame + STAMP_ALIGN_OFFSET) an MDL pool can hold. */
#define GEN_MIN_FRAME_SIZE (STAMP_OFFSET + 16 + RTE_ETHER_CRC_LEN)
#define GEN_MAX_FRAME_SIZE (UINT16_MAX - STAMP_ALIGN_OFFSET + RTE_ETHER_CRC_LEN)

/* ProtocolReserved slots: the NB's frame (its first byte); the NBL's send
 * time (TSC), the frame of its first NB, and the NBs cut off its list to
 * make a VC's last NBL short (--count not a multiple of --nbs-per-nbl),
 * put back at completion (NULL: none). */
#define GEN_NB_FRAME 0
#define GEN_NBL_SENT_TSC 0
#define GEN_NBL_FRAME 1
#define GEN_NBL_CUT 2
#define GEN_NBL_SCHED_TSC 3 /* --rate: when the schedule wanted its chain sent */

/* Fast path, per send: the UDP header with the VC's port and the stamp's
 * magic and VC id (blk, one 16-byte store), the sequence, and the
 * big-endian timestamp when the frame has room for it. */
static inline void
gen_frame_stamp(uint8_t *frame, gen_v2u64 blk, uint64_t seq, bool stamp_ts, uint64_t ts_be)
{
	uint64_t v = rte_cpu_to_be_64(seq);

	memcpy(frame + GEN_BLK_OFFSET, &blk, 16);
	memcpy(frame + STAMP_OFFSET + 8, &v, 8);
	if (likely(stamp_ts))
		memcpy(frame + STAMP_OFFSET + 16, &ts_be, 8);
}

/* options.c: 0, 1 (--help, --version: done) or -EINVAL (reported). */
int gen_options_parse(struct gen_options *opt, int argc, char **argv);
/* --rate N%: the rate from the link speed (Mb/s; 0 or UINT32_MAX: unknown),
 * why it is not to be trusted (NULL: it is), the port's name. */
/* --rate once the wire sizes are known (--pcap: the file's). */
int gen_rate_resolve(struct gen_options *opt);
int gen_rate_from_link(struct gen_options *opt, uint32_t link_mbps, const char *why_not,
		       const char *port_name);
/* "84" or "86.5": a wire size, a mean over the VCs. */
const char *gen_fmt_bytes(double bytes, char *buf, size_t len);
int gen_vlan_lookup(const struct gen_options *opt, uint32_t vc, uint16_t *vid, uint8_t *prio);
/* The resolved value of every option, its unit and where it came from
 * (json.c's "config" object). */
struct gen_opt_info {
	const char *name;           /* the long option, without -- */
	const char *unit;           /* of a number; NULL: none */
	enum { GEN_OPT_UINT, GEN_OPT_REAL, GEN_OPT_FLAG, GEN_OPT_TEXT } kind;
	uint64_t u;                 /* GEN_OPT_UINT */
	double r;                   /* GEN_OPT_REAL */
	bool b;                     /* GEN_OPT_FLAG */
	const char *given;          /* the text last given; NULL: the default */
	const char *source;         /* "default", "command_line" or "profile" */
};
/* Calls fn for every option with a value or a flag, in --help's order. */
void gen_options_each(const struct gen_options *opt,
		      void (*fn)(const struct gen_opt_info *info, void *arg), void *arg);

/* eal.c */
int gen_eal_args(int argc, char **argv, int *app_first);
int gen_eal_init(void);
const char *gen_eal_prefix(void);
void gen_eal_usage(void);

/* main.c */
bool gen_wait_link(uint16_t port, double timeout_s);

/* rx.c: the exit status of a receive run. */
int gen_rx_main(const struct gen_options *opt);

/* telemetry.c: /condis_gen/latency and /condis_gen/rx over DPDK telemetry,
 * until gen_telemetry_stop() (before workers or rx go away). */
struct gen_rx;
void gen_telemetry_register(const struct gen_options *opt, const struct gen_worker *workers,
			    const struct gen_rx *rx);
void gen_telemetry_stop(void);

/* worker.c */
int gen_worker_main(void *arg);
/* After the last send: wait up to --drain for what is in flight, then count
 * the worker out of gen_workers_running. */
void gen_worker_drain(struct gen_worker *w);
void gen_complete(void *protocol_vc_ctx, struct condis_nbl *chain,
		  const struct condis_send_completion *info, uint32_t flags);
void gen_status(void *protocol_vc_ctx, condis_status_t status);
extern volatile bool gen_stop; /* SIGINT/SIGTERM */
/* Workers send nothing while set: a pause or reset runs (spec 103). */
extern volatile bool gen_hold;

/* events.c: run --event on a control thread from now on; join it. */
int gen_events_start(const struct gen_options *opt, struct condis_adapter *adapter);
void gen_events_join(void);

/* report.c */
void gen_vc_totals(const struct gen_options *opt, const struct gen_vc *v, struct gen_vc_totals *t);
/* Phases of their own sizes: the run's wire sizes from what each phase sent. */
void gen_report_phase_wire(struct gen_options *opt, const struct gen_worker *workers);
/* Returns the run's exit status: 1 if NBLs were sent and none completed SUCCESS. */
int gen_report(const struct gen_options *opt, struct gen_vc *vcs, struct gen_worker *workers,
	       const char *port_name);

/* clock.c: the TSC's measured rate; TSC to wall-clock nanoseconds. */
void gen_clock_init(void);
double gen_tsc_hz(void);
uint64_t gen_tsc_to_ns(uint64_t tsc);
/* CLOCK_MONOTONIC (NTP-disciplined, not the calibration's clock), ns. */
uint64_t gen_mono_ns(void);

#endif /* CONDIS_GEN_H */
