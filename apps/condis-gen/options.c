/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line and INI profile (rte_cfgfile) of condis-gen. opts[] is the
 * only list of options: it builds the getopt_long array, names the option in
 * every error, checks every value and writes --help, so none of these can
 * disagree with another.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_version.h>

#include "gen.h"
#include "rx_seq.h"

#ifndef CONDIS_GEN_VERSION
#define CONDIS_GEN_VERSION "unknown"
#endif

#define MAX_VLAN_RULES 256
#define PROFILE_SECTION "condis-gen"
#define OPT_VAL_BASE 256    /* getopt value of opts[i]: OPT_VAL_BASE + i */
#define HELP_COL 24         /* where help text starts */
#define REPORTED (-EALREADY) /* a parser printed its own error */

struct vlan_rule {
	uint32_t vc;
	uint16_t vid;
	uint8_t prio;
};
static struct vlan_rule vlan_rules[MAX_VLAN_RULES];
static unsigned int nb_vlan_rules;

enum opt_kind {
	K_UINT,     /* decimal integer in [lo, hi], into an unsigned field */
	K_REAL,     /* finite decimal number in [rlo, rhi], into a double */
	K_FLAG,     /* no value on the command line; a boolean in a profile */
	K_TEXT,     /* parsed by parse(); expect says what it takes */
	K_HELP,
	K_VERSION,
};

struct opt_def {
	const char *name;       /* long option, and profile key */
	const char *meta;       /* its value in --help; NULL: none */
	enum opt_kind kind;
	bool cli_only;          /* not a profile key */
	size_t off, size;       /* the field set (K_UINT, K_REAL, K_FLAG) */
	uint64_t lo, hi;        /* K_UINT */
	double rlo, rhi;        /* K_REAL */
	const char *unit;       /* K_UINT, K_REAL */
	const char *expect;     /* K_TEXT */
	int (*parse)(struct gen_options *opt, const char *arg);
	const char *help;       /* '\n' starts a continuation line */
};

#define FIELD(f) .off = offsetof(struct gen_options, f), .size = sizeof(((struct gen_options *)0)->f)
#define UINT_OPT(n, m, f, l, h, u, hl) \
	{ .name = n, .meta = m, .kind = K_UINT, FIELD(f), .lo = l, .hi = h, .unit = u, .help = hl }
#define REAL_OPT(n, m, f, l, h, u, hl) \
	{ .name = n, .meta = m, .kind = K_REAL, FIELD(f), .rlo = l, .rhi = h, .unit = u, .help = hl }
#define FLAG_OPT(n, f, hl) { .name = n, .kind = K_FLAG, FIELD(f), .help = hl }
#define TEXT_OPT(n, m, fn, e, hl) \
	{ .name = n, .meta = m, .kind = K_TEXT, .parse = fn, .expect = e, .help = hl }

static int parse_vlan(struct gen_options *opt, const char *s);
static int parse_src_mac(struct gen_options *opt, const char *s);
static int parse_dst_mac(struct gen_options *opt, const char *s);
static int parse_src_ip(struct gen_options *opt, const char *s);
static int parse_dst_ip(struct gen_options *opt, const char *s);
static int parse_profile(struct gen_options *opt, const char *path);
static int parse_rx_port(struct gen_options *opt, const char *s);
static int parse_phase(struct gen_options *opt, const char *s);
static int parse_rate(struct gen_options *opt, const char *s);
static int parse_event(struct gen_options *opt, const char *s);
static int parse_link_speed(struct gen_options *opt, const char *s);
static int parse_pacing(struct gen_options *opt, const char *s);
static int parse_seed(struct gen_options *opt, const char *s);
static int parse_frame_size(struct gen_options *opt, const char *s);
static int parse_l3(struct gen_options *opt, const char *s);
static int parse_l4(struct gen_options *opt, const char *s);
static int parse_flow_vary(struct gen_options *opt, const char *s);
static int parse_ethertype(struct gen_options *opt, const char *s);
static int parse_qinq(struct gen_options *opt, const char *s);

_Static_assert(GEN_MIN_FRAME_SIZE == 62 && GEN_MAX_FRAME_SIZE == 65509,
	       "--frame-size's help and error text spell the range out");
#define FRAME_SIZE_EXPECT "a decimal integer 62..65509 bytes, a list of them with\n" \
	"  weights (64,594,1518:7,4,1: at most 16 sizes, weights 1.. summing to 65536 or less),\n" \
	"  or a range MIN-MAX"
static int parse_json(struct gen_options *opt, const char *s);
static int parse_plot(struct gen_options *opt, const char *s);
static int parse_pcap(struct gen_options *opt, const char *s);
static int parse_port_ids(struct gen_options *opt, const char *s);
static int parse_sweep(struct gen_options *opt, const char *s);
#define PORT_IDS_EXPECT "a DPDK port id 0..31, or a list of up to 8 distinct ones: 0,1"
_Static_assert(RTE_MAX_ETHPORTS == 32, "--port-id's expected text spells the range out");
static int parse_pcap_speed(struct gen_options *opt, const char *s);

#define GEN_MAX_PPS 1e9
#define GEN_MAX_LINK_MBPS 1e7   /* 10 Tb/s */
#define RATE_EXPECT "a decimal number 0..1000000000 frames/s, or one with a unit: pps, kpps,\n" \
	"  mpps (frames/s); bps, kbps, mbps, gbps (L1 bit/s: frame + 802.1Q tag + padding to 60\n" \
	"  + 4 B FCS + 20 B preamble/SFD/IFG); the same with -l2 (L2 bit/s: without the 20 B);\n" \
	"  N% (0..100 of the link speed, L1; the port's, or --link-speed); at most 1000000000\n" \
	"  frames/s once resolved"
#define LINK_SPEED_EXPECT "a decimal number with a unit: 0.001..10000gbps or 1..10000000mbps\n" \
	"  (or a plain number in Mb/s)"

static const struct opt_def opts[] = {
	TEXT_OPT("port-id", "N[,M...]", parse_port_ids, PORT_IDS_EXPECT,
		 "DPDK port (default 0), or several: VC v on the\n"
		 "v mod K-th, each port its share of --workers (by\n"
		 "default one each), totals per port"),
	UINT_OPT("vcs", "K", vcs, 1, GEN_MAX_VCS, "VCs", "virtual connections (default 4)"),
	TEXT_OPT("frame-size", "B", parse_frame_size, FRAME_SIZE_EXPECT,
		 "Ethernet frame incl. FCS (default 64, or the least\n"
		 "the --l3/--l4 headers take); frames the port's MTU\n"
		 "does not allow are refused: see --mtu.\n"
		 "A list with weights, sizes incl. FCS as IMIX is\n"
		 "quoted: 64,594,1518:7,4,1 (smooth weighted round\n"
		 "robin, the same order every cycle of 12 frames per\n"
		 "VC); MIN-MAX: random sizes, a cycle of 4096 drawn\n"
		 "from --seed. IPv4/TCP needs 74, IPv6/UDP 82, IPv6/TCP\n"
		 "94 (more with a timestamp: docs/STAMP.md); without\n"
		 "the tags of --vlan and --qinq, which add theirs\n"
		 "[62..65509 bytes]"),
	TEXT_OPT("l3", "ipv4|ipv6|none", parse_l3, "ipv4, ipv6 or none",
		 "network header (default ipv4; ipv6: 2001:2::1 ->\n"
		 "2001:2::2, the RFC 5180 benchmarking range; none:\n"
		 "raw L2, the stamp right after the EtherType)"),
	TEXT_OPT("ethertype", "T", parse_ethertype,
		 "0x0600..0xffff (hex with 0x, or decimal), not IPv4's, IPv6's or a tag's",
		 "with --l3 none: the frames' EtherType (default\n"
		 "0x88b5, IEEE 802 local experimental 1)"),
	TEXT_OPT("qinq", "VID:PRIO", parse_qinq, "VID:PRIO, decimal, VID 0..4094, PRIO 0..7",
		 "QinQ: an 802.1ad S-tag (0x88a8) VID:PRIO in every\n"
		 "frame, and inside it each VC's --vlan tag (needed\n"
		 "on every VC), in the frame too: a tag from the\n"
		 "NBL's 802.1Q slot would go outermost. 8 bytes more"),
	TEXT_OPT("l4", "udp|tcp", parse_l4, "udp or tcp",
		 "transport header (default udp; ports from --udp-sport,\n"
		 "--udp-dport). UDP over IPv4 carries checksum 0; TCP\n"
		 "and UDP over IPv6 ask the library for the checksum\n"
		 "(the NBL's TCP/IP checksum slot)"),
	TEXT_OPT("flow-vary", "FIELD", parse_flow_vary,
		 "src-port, dst-port, src-ip, dst-ip, src-mac or dst-mac",
		 "the field that gives each VC its own flow: +1 per VC\n"
		 "from its base (default src-port, with --l3 none\n"
		 "src-mac; src-ip, dst-ip, src-mac, dst-mac: the\n"
		 "address's last 32 bits)"),
	FLAG_OPT("flow-random", flow_random,
		 "the --flow-vary field of each VC from a seeded\n"
		 "permutation instead of +1 (distinct for every VC;\n"
		 "addresses keep their /16; --seed, printed)"),
	UINT_OPT("vary-src-port", "N", vary_src_port, 1, 65536, "ports",
		 "also vary the source port per frame: +0..N-1, in\n"
		 "turn (with --flow-vary src-port each VC gets N)"),
	UINT_OPT("mtu", "B", mtu, 0, UINT16_MAX, "bytes",
		 "set the port's MTU first, also for --rx\n(default 0: keep the port's)"),
	UINT_OPT("nbs-per-nbl", "N", nbs_per_nbl, 1, 64, "NBs",
		 "NET_BUFFERs (frames) per NBL (default 1)"),
	UINT_OPT("nbls-per-chain", "N", nbls_per_chain, 1, 1024, "NBLs",
		 "NBLs per send call (default 32; with --rate, the\n"
		 "most a chain carries: one catching up, or at a\n"
		 "rate the loop only reaches with long chains)"),
	UINT_OPT("window", "N", window, 1, 1u << 20, "NBLs",
		 "NBLs per worker, shared by its VCs\n(default: ring + 2 chains)"),
	FLAG_OPT("zero-copy", zero_copy,
		 "frames in the application's memory on the port's\n"
		 "NUMA node (libnuma), registered with DPDK and\n"
		 "mapped for the device, sent by zero-copy MDLs\n"
		 "(default: the MDL pool's own data)"),
	UINT_OPT("count", "N", count, 1, GEN_MAX_COUNT, "frames per VC",
		 "frames per VC, then stop (exactly N: a VC's last\n"
		 "NBL carries fewer NBs if --nbs-per-nbl does not\n"
		 "divide N); with --rx, the frames per VC the sender\n"
		 "sent: those after the last received are lost too"),
	REAL_OPT("duration", "S", duration, 0, 365 * 86400.0, "seconds",
		 "seconds to send (default: 2 without --count, no\n"
		 "limit with it; 0: no limit)"),
	TEXT_OPT("rate", "RATE", parse_rate, RATE_EXPECT,
		 "over all VCs: frames/s (default 0: unlimited), or\n"
		 "with a unit: 12.5mpps, 800kpps, 100pps (frames/s);\n"
		 "25gbps, 100mbps (L1 bit/s: frame + 802.1Q tag +\n"
		 "padding to 60 + FCS + 20 B preamble/SFD/IFG);\n"
		 "25gbps-l2 (L2 bit/s: frame + tag + padding + FCS);\n"
		 "40% (of the link speed, L1: the port's or\n"
		 "--link-speed; refused when neither is known).\n"
		 "A worker paces its VCs' share\n"
		 "[0..1000000000 frames/s once resolved]"),
	TEXT_OPT("link-speed", "SPEED", parse_link_speed, LINK_SPEED_EXPECT,
		 "link speed for --rate N%, instead of what the\n"
		 "port reports: 25gbps, 100mbps (default: the port's;\n"
		 "virtual devices report none that counts)\n"
		 "[0.001..10000gbps, 1..10000000mbps; no unit: Mb/s]"),
	TEXT_OPT("pacing", "SHAPE", parse_pacing, "smooth or poisson",
		 "with --rate: smooth (default: a chain as soon as\n"
		 "its NBLs are due, its size chosen from the rate)\n"
		 "or poisson (exponential gaps between chains, mean\n"
		 "chain / rate; seeded, the seed is printed)"),
	UINT_OPT("burst", "N", burst, 1, 1024, "NBLs",
		 "with --rate: chains of N NBLs, every N NB/NBL / rate\n"
		 "(sets --nbls-per-chain; default: from the rate)"),
	TEXT_OPT("seed", "N", parse_seed, "a decimal integer 0..18446744073709551615",
		 "seed of --pacing poisson, --flow-random and random\n"
		 "--frame-size (default: from the clock)\n"
		 "[0..18446744073709551615]"),
	UINT_OPT("workers", "N", workers, 1, GEN_MAX_WORKERS, "lcores",
		 "worker lcores = TX queues (default 1; needs N lcores)"),
	UINT_OPT("txd", "N", nb_txd, 32, 32768, "descriptors",
		 "TX descriptors per queue (default 1024)"),
	TEXT_OPT("vlan", "[VC=]VID:PRIO", parse_vlan,
		 "VID:PRIO or VC=VID:PRIO, decimal, VID 0..4094, PRIO 0..7, VC below --vcs",
		 "802.1Q tag on every VC, or with VC= on that VC\n(repeatable; the last rule for a VC wins)"),
	TEXT_OPT("src-mac", "MAC", parse_src_mac, "a MAC address such as 02:00:00:00:00:01",
		 "source MAC (default 02:00:00:00:00:01)"),
	TEXT_OPT("dst-mac", "MAC", parse_dst_mac, "a MAC address such as 02:00:00:00:00:02",
		 "destination MAC (default 02:00:00:00:00:02)"),
	TEXT_OPT("src-ip", "A.B.C.D", parse_src_ip, "a dotted IPv4 address",
		 "source IPv4 (default 198.18.0.1)"),
	TEXT_OPT("dst-ip", "A.B.C.D", parse_dst_ip, "a dotted IPv4 address",
		 "destination IPv4 (default 198.18.0.2)"),
	UINT_OPT("udp-sport", "P", udp_sport, 0, UINT16_MAX, "UDP port",
		 "UDP source port (default 1024)"),
	UINT_OPT("udp-dport", "P", udp_dport, 0, UINT16_MAX, "UDP port",
		 "UDP destination port (default 9)"),
	REAL_OPT("drain", "S", drain_s, 0, GEN_MAX_SECONDS, "seconds",
		 "wait this long for completions at the end (default 2)"),
	REAL_OPT("wait-link", "S", wait_link_s, 0, GEN_MAX_SECONDS, "seconds",
		 "wait up to S for link up before sending or\n"
		 "receiving (default 10; 0: no wait)"),
	REAL_OPT("linger", "S", linger_s, 0, GEN_MAX_SECONDS, "seconds",
		 "keep the port up S after the report, for a peer to\n"
		 "read what is still in flight on a shared ring (memif)"),
	TEXT_OPT("pcap", "FILE", parse_pcap, "a pcap or pcapng file of Ethernet frames",
		 "replay FILE's frames byte for byte instead of\n"
		 "building frames: each flow (5-tuple and VLAN tags;\n"
		 "else MACs and EtherType) on a VC of its own, in the\n"
		 "order flows first appear (--vcs N: flow k on VC\n"
		 "k mod N), so each keeps its order; by the file's\n"
		 "timestamps (--pcap-speed), at --rate, or as fast\n"
		 "as it goes. In a profile: relative to its directory"),
	TEXT_OPT("pcap-speed", "X", parse_pcap_speed,
		 "a decimal number 0.000001..1000000, or max",
		 "with --pcap: the file's time divided by X (default\n"
		 "1: as captured; 10: ten times as fast); max: as\n"
		 "fast as it goes [0.000001..1000000, or max]"),
	UINT_OPT("pcap-loop", "N", pcap_loops, 0, GEN_MAX_COUNT, "passes",
		 "with --pcap: send the file N times, each pass\n"
		 "after the last in the file's time (default 1;\n"
		 "0: until --duration, by default 2 s)"),
	TEXT_OPT("phase", "RATE@S[,...]", parse_phase,
		 "RATE@S[,size=B][,vcs=K]: a --rate value without % (12.5mpps, 10gbps, ...) or max,\n"
		 "  S seconds, a frame size 62..65509 and a VC count 1..65536 if given; at most 64",
		 "a phase of the run: S seconds at RATE (max: as\n"
		 "fast as it goes), then the next (repeatable, in\n"
		 "order); ,size=B: its frames are B bytes incl. FCS;\n"
		 ",vcs=K: only the first K VCs send; each phase\n"
		 "reported apart; in place of --rate and --duration"),
	TEXT_OPT("sweep", "SIZES@S", parse_sweep,
		 "SIZES@S: sizes 62..65509 as a list 64,128,1518 or MIN-MAX/STEP (MAX the last\n"
		 "  step), at most 64, and\n"
		 "  S seconds per size",
		 "a phase of S seconds per frame size, in order, at\n"
		 "--rate (in its unit, for each size) or as fast as\n"
		 "it goes, each reported apart: 64-1518/64@2 (64,\n"
		 "128, ..., 1472, 1518), or\n"
		 "64,128,256,512,1024,1280,1518@5 (RFC 2544's)"),
	TEXT_OPT("event", "KIND@S", parse_event,
		 "pause@S or reset@S: S seconds (decimal) after the start, at most 8 events",
		 "adapter event S seconds after the start: pause\n"
		 "(restart 0.1 s after it completes) or reset\n"
		 "(repeatable; frames they fail are not resent)"),
	FLAG_OPT("per-vc", per_vc, "print every VC (default: the first 16)"),
	TEXT_OPT("json", "FILE", parse_json, "a file name, or - for standard output",
		 "also write the report as one JSON document to FILE\n"
		 "(docs/OUTPUT.md); -: to standard output, the text\n"
		 "report then goes to standard error"),
	TEXT_OPT("plot", "DIR", parse_plot, "a directory name",
		 "also write PNG plots to DIR (made if missing), with\n"
		 "gnuplot: latency histograms, rate over time,\n"
		 "completions by status; and their data and script"),
	REAL_OPT("stats-period", "S", stats_period_s, 0, GEN_MAX_SECONDS, "seconds",
		 "live statistics every S seconds (default: 1 when\n"
		 "standard output is a terminal and the run is\n"
		 "longer than 3 s, else off; 0: off); with --json\n"
		 "FILE also as JSON lines in FILE.intervals.jsonl"),
	FLAG_OPT("rx", rx, "receive/verify mode instead of sending (below)"),
	UINT_OPT("rx-queues", "N", rx_queues, 1, 16, "queues",
		 "with --rx, or --rx-port on another port: receive\n"
		 "on N queues with RSS on the 5-tuple (a VC is a flow,\n"
		 "so it stays on one), all polled by one lcore\n"
		 "(default 1)"),
	FLAG_OPT("rx-check-headers", rx_check_headers,
		 "with --rx or --rx-port, also check that every\n"
		 "frame's flow field (--flow-vary: its ports or\n"
		 "address) is its VC's: a device that rewrites them\n"
		 "shows (give --rx the sender's traffic options)"),
	TEXT_OPT("rx-port", "N", parse_rx_port, "a DPDK port id",
		 "while sending, also receive on port N in this\n"
		 "process and check the frames as --rx does, with\n"
		 "the wire latency on one clock (N = --port-id: its\n"
		 "own receive queue, a looped port; one worker)"),
	REAL_OPT("rx-idle", "S", rx_idle_s, 0, GEN_MAX_SECONDS, "seconds",
		 "with --rx, stop after S without a condis-gen frame\n(default 3; 0: never)"),
	{ .name = "profile", .meta = "FILE", .kind = K_TEXT, .cli_only = true,
	  .parse = parse_profile,
	  .help = "options from the [" PROFILE_SECTION "] section of an INI\n"
		  "file: keys are option names without --, flags take\n"
		  "true/false, yes/no, on/off or 1/0" },
	{ .name = "help", .kind = K_HELP, .cli_only = true, .help = "this text" },
	{ .name = "version", .kind = K_VERSION, .cli_only = true,
	  .help = "print the version of condis-gen and DPDK" },
};

/* What the user gave for each option (the last value), for the JSON
 * report: the text and where it came from. */
static char *given_text[RTE_DIM(opts)];
static const char *given_from[RTE_DIM(opts)];

static void
given_reset(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(opts); i++) {
		free(given_text[i]);
		given_text[i] = NULL;
		given_from[i] = NULL;
	}
}

static bool phases_from_profile; /* the phases so far came from a profile */

static void
given_clear(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(opts); i++) {
		if (strcmp(opts[i].name, name) == 0) {
			free(given_text[i]);
			given_text[i] = NULL;
			given_from[i] = NULL;
		}
	}
}

static void
given_set(const struct opt_def *d, const char *arg, const char *file)
{
	size_t i = (size_t)(d - opts);

	free(given_text[i]);
	given_text[i] = strdup(arg != NULL ? arg : "true");
	given_from[i] = file != NULL ? "profile" : "command_line";
}

void
gen_options_each(const struct gen_options *opt,
		 void (*fn)(const struct gen_opt_info *info, void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(opts); i++) {
		const struct opt_def *d = &opts[i];
		const char *field = (const char *)opt + d->off;
		struct gen_opt_info info = {
			.name = d->name, .unit = d->unit, .given = given_text[i],
			.source = given_from[i] != NULL ? given_from[i] : "default",
		};

		switch (d->kind) {
		case K_UINT:
			info.kind = GEN_OPT_UINT;
			if (d->size == sizeof(uint64_t)) {
				memcpy(&info.u, field, sizeof(uint64_t));
			} else if (d->size == sizeof(uint32_t)) {
				uint32_t v;

				memcpy(&v, field, sizeof(v));
				info.u = v;
			} else {
				uint16_t v;

				memcpy(&v, field, sizeof(v));
				info.u = v;
			}
			break;
		case K_REAL:
			info.kind = GEN_OPT_REAL;
			memcpy(&info.r, field, sizeof(info.r));
			break;
		case K_FLAG:
			info.kind = GEN_OPT_FLAG;
			memcpy(&info.b, field, sizeof(info.b));
			break;
		case K_TEXT:
			info.kind = GEN_OPT_TEXT;
			break;
		default:
			continue; /* --help, --version */
		}
		fn(&info, arg);
	}
}

static void
print_range(const struct opt_def *d, FILE *f)
{
	if (d->kind == K_UINT)
		fprintf(f, "%" PRIu64 "..%" PRIu64 " %s", d->lo, d->hi, d->unit);
	else
		fprintf(f, "%.15g..%.15g %s", d->rlo, d->rhi, d->unit);
}

/* file: the profile the value came from, NULL for the command line. */
static void
report_bad(const struct opt_def *d, const char *arg, const char *file)
{
	if (file != NULL)
		fprintf(stderr, "condis-gen: profile %s: bad value '%s' for key '%s': expected ",
			file, arg, d->name);
	else
		fprintf(stderr, "condis-gen: bad value '%s' for --%s: expected ", arg, d->name);
	switch (d->kind) {
	case K_UINT:
		fputs("a decimal integer ", stderr);
		print_range(d, stderr);
		break;
	case K_REAL:
		fputs("a decimal number ", stderr);
		print_range(d, stderr);
		break;
	case K_FLAG:
		fputs("true/false, yes/no, on/off or 1/0", stderr);
		break;
	default:
		fputs(d->expect, stderr);
	}
	fputc('\n', stderr);
}

/* Decimal digits only: no sign, no space, no 0x, no octal. */
static bool
dec_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned int)(unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits, an optional fraction and exponent; strtod alone would take nan,
 * inf, hex and leading space. */
static bool
dec_real(const char *s, double *out)
{
	const char *p = s;
	size_t digits = 0;
	char *end;

	for (; is_digit(*p); p++)
		digits++;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			digits++;
	if (digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && end == p && isfinite(*out);
}

static bool
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return true;
		}
	}
	return false;
}

static int
parse_vlan(struct gen_options *opt, const char *s)
{
	const char *eq = strchr(s, '='), *vs = eq ? eq + 1 : s, *colon = strchr(vs, ':');
	uint64_t vc = 0, vid, prio;

	if (colon == NULL || (eq != NULL && !dec_u64(s, (size_t)(eq - s), &vc)) ||
	    !dec_u64(vs, (size_t)(colon - vs), &vid) || !dec_u64(colon + 1, strlen(colon + 1), &prio) ||
	    vc >= GEN_MAX_VCS || vid > 4094 || prio > 7)
		return -EINVAL;
	if (eq == NULL) {
		opt->vlan_all_set = true;
		opt->vlan_id_all = (uint16_t)vid;
		opt->vlan_prio_all = (uint8_t)prio;
		return 0;
	}
	if (nb_vlan_rules == MAX_VLAN_RULES) {
		fprintf(stderr, "condis-gen: --vlan %s: more than %u per-VC rules\n", s,
			MAX_VLAN_RULES);
		return REPORTED;
	}
	vlan_rules[nb_vlan_rules++] = (struct vlan_rule){ (uint32_t)vc, (uint16_t)vid, (uint8_t)prio };
	return 0;
}

/* Units of --rate: frames/s, or bit/s of frames on the wire (L1 or L2). */
static const struct rate_unit {
	const char *suffix;
	double scale;
	enum gen_layer layer;
} rate_units[] = {
	{ "", 1, GEN_PPS }, { "pps", 1, GEN_PPS }, { "kpps", 1e3, GEN_PPS },
	{ "mpps", 1e6, GEN_PPS },
	{ "bps", 1, GEN_L1 }, { "kbps", 1e3, GEN_L1 }, { "mbps", 1e6, GEN_L1 },
	{ "gbps", 1e9, GEN_L1 },
	{ "bps-l2", 1, GEN_L2 }, { "kbps-l2", 1e3, GEN_L2 }, { "mbps-l2", 1e6, GEN_L2 },
	{ "gbps-l2", 1e9, GEN_L2 },
};

/* The unit of a rate, by its suffix (no %); NULL if none. */
static const struct rate_unit *
rate_unit_find(const char *suffix)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(rate_units); i++)
		if (strcasecmp(suffix, rate_units[i].suffix) == 0)
			return &rate_units[i];
	return NULL;
}

/* value in unit u as frames/s of this run's wire size. */
static double
rate_unit_pps(const struct gen_options *opt, const struct rate_unit *u, double value)
{
	if (u->layer == GEN_PPS)
		return value * u->scale;
	return value * u->scale /
	       (8.0 * (u->layer == GEN_L2 ? opt->wire_l2_bytes : opt->wire_l1_bytes));
}

/* Resolved to frames/s once --frame-size is known (parse end), or, for %,
 * the link speed (gen_rate_from_link()). */
static const struct rate_unit *rate_unit;
static double rate_value;

static int
parse_event(struct gen_options *opt, const char *s)
{
	const char *at = strchr(s, '@');
	struct gen_event ev;
	double t;

	if (at == NULL || opt->nb_events == GEN_MAX_EVENTS || !dec_real(at + 1, &t) || t < 0 ||
	    t > GEN_MAX_SECONDS)
		return -EINVAL;
	if ((size_t)(at - s) == 5 && strncmp(s, "pause", 5) == 0)
		ev.kind = GEN_EVENT_PAUSE;
	else if ((size_t)(at - s) == 5 && strncmp(s, "reset", 5) == 0)
		ev.kind = GEN_EVENT_RESET;
	else
		return -EINVAL;
	ev.at_s = t;
	opt->events[opt->nb_events++] = ev;
	return 0;
}

/* --phase RATE@S: resolved to frames/s at parse end, as --rate is. */
static const struct rate_unit *phase_unit[GEN_MAX_PHASES];
static double phase_value[GEN_MAX_PHASES];

static bool split_number(const char *s, double *v, const char **unit);
static bool given(const char *name);

/* ",size=B" and ",vcs=K" after a phase's seconds, in any order, once each. */
static bool
phase_keys(struct gen_phase *ph, const char *s)
{
	while (*s == ',') {
		size_t n = strcspn(s + 1, ",");
		uint64_t v;

		if (n > 5 && strncmp(s + 1, "size=", 5) == 0 && ph->size == 0 &&
		    dec_u64(s + 6, n - 5, &v) && v >= GEN_MIN_FRAME_SIZE && v <= GEN_MAX_FRAME_SIZE)
			ph->size = (uint32_t)v;
		else if (n > 4 && strncmp(s + 1, "vcs=", 4) == 0 && ph->vcs == 0 &&
			 dec_u64(s + 5, n - 4, &v) && v >= 1 && v <= GEN_MAX_VCS)
			ph->vcs = (uint32_t)v;
		else
			return false;
		s += n + 1;
	}
	return *s == '\0';
}

/* RATE@S[,size=B][,vcs=K]; RATE "max": as fast as it goes. */
static int
phase_add(struct gen_options *opt, const char *s, const char *rate_end)
{
	struct gen_phase *ph = &opt->phases[opt->nb_phases];
	const char *at = strchr(s, '@'), *unit;
	const struct rate_unit *u = NULL;
	char rate[48], secs[32];
	size_t n;
	double v = 0, t;

	if (at == NULL || at > rate_end || opt->nb_phases == GEN_MAX_PHASES ||
	    (size_t)(at - s) >= sizeof(rate) || strlen(s) >= sizeof(ph->text))
		return -EINVAL;
	memset(ph, 0, sizeof(*ph));
	memcpy(rate, s, (size_t)(at - s));
	rate[at - s] = '\0';
	n = strcspn(at + 1, ",");
	if (n >= sizeof(secs))
		return -EINVAL;
	memcpy(secs, at + 1, n);
	secs[n] = '\0';
	if (!dec_real(secs, &t) || t <= 0 || t > GEN_MAX_SECONDS || !phase_keys(ph, at + 1 + n))
		return -EINVAL;
	if (strcmp(rate, "max") != 0 && (!split_number(rate, &v, &unit) || v <= 0 ||
					 (u = rate_unit_find(unit)) == NULL))
		return -EINVAL;
	phase_unit[opt->nb_phases] = u;
	phase_value[opt->nb_phases] = v;
	ph->seconds = t;
	snprintf(ph->text, sizeof(ph->text), "%s", s);
	opt->nb_phases++;
	return 0;
}

static int
parse_phase(struct gen_options *opt, const char *s)
{
	return phase_add(opt, s, s + strlen(s));
}

/* --sweep SIZES@S: a phase of S seconds per size, at --rate or as fast as it
 * goes (resolve_phases()); SIZES a list 64,128,... or MIN-MAX/STEP. */
static int
parse_sweep(struct gen_options *opt, const char *s)
{
	const char *at = strrchr(s, '@'), *p = s;
	uint64_t lo, hi, step, sizes[GEN_MAX_PHASES];
	uint32_t n = 0, k;
	double t;

	if (at == NULL || !dec_real(at + 1, &t) || t <= 0 || t > GEN_MAX_SECONDS)
		return -EINVAL;
	if (memchr(s, '-', (size_t)(at - s)) != NULL) {
		const char *dash = strchr(s, '-'), *slash = strchr(s, '/');

		if (slash == NULL || slash > at || !dec_u64(s, (size_t)(dash - s), &lo) ||
		    !dec_u64(dash + 1, (size_t)(slash - dash - 1), &hi) ||
		    !dec_u64(slash + 1, (size_t)(at - slash - 1), &step) || step == 0 || hi < lo)
			return -EINVAL;
		/* MAX is the last step even off the step (64-1518/64 ends 1472, 1518). */
		for (; lo <= hi; lo = lo + step > hi && lo != hi ? hi : lo + step) {
			if (n == GEN_MAX_PHASES)
				return -EINVAL;
			sizes[n++] = lo;
			if (lo == hi)
				break;
		}
	} else {
		while (p < at) {
			size_t len = strcspn(p, ",@");

			if (n == GEN_MAX_PHASES || !dec_u64(p, len, &sizes[n++]) ||
			    (p[len] == ',' && p + len + 1 == at)) /* "64,@1": an empty size */
				return -EINVAL;
			p += len + (p[len] == ',');
		}
	}
	opt->nb_phases = 0;
	for (k = 0; k < n; k++) {
		char text[64];

		if (sizes[k] < GEN_MIN_FRAME_SIZE || sizes[k] > GEN_MAX_FRAME_SIZE)
			return -EINVAL;
		snprintf(text, sizeof(text), "max@%.15g,size=%" PRIu64, t, sizes[k]);
		if (phase_add(opt, text, text + strlen(text)) != 0)
			return -EINVAL;
	}
	opt->sweep = true;
	return 0;
}

/* The phases' rates in frames/s, once the frame size is known; the run's
 * duration is theirs, its --rate their mean (the overall target). */
static double wire_l2(const struct gen_options *opt, uint32_t vcs, uint16_t len);

static int
resolve_phases(struct gen_options *opt)
{
	double frames = 0, secs = 0;
	bool all_paced = true;
	uint32_t k;

	if (opt->nb_phases == 0)
		return 0;
	if ((!opt->sweep && (rate_unit != NULL || opt->rate_link_pct > 0)) || opt->duration >= 0 ||
	    opt->count != 0 || (opt->sweep && given("phase"))) {
		fprintf(stderr, "condis-gen: --%s sets each %s length%s: not with %s--duration or "
			"--count\n", opt->sweep ? "sweep" : "phase", opt->sweep ? "step's" :
			"phase's rate and", opt->sweep && given("phase") ? " (and is phases)" : "",
			opt->sweep ? "--phase, " : "--rate, ");
		return -EINVAL;
	}
	if (opt->sweep && opt->rate_link_pct > 0) {
		fprintf(stderr, "condis-gen: --sweep at --rate N%%: give the rate in frames/s or "
			"bit/s\n");
		return -EINVAL;
	}
	for (k = 0; k < opt->nb_phases; k++) {
		struct gen_phase *ph = &opt->phases[k];
		const struct rate_unit *u = opt->sweep ? rate_unit : phase_unit[k];
		double v = opt->sweep ? rate_value : phase_value[k];
		double l2 = wire_l2(opt, ph->vcs != 0 ? ph->vcs : opt->vcs, ph->len);

		if (ph->vcs > opt->vcs) {
			fprintf(stderr, "condis-gen: --phase %s: vcs=%u, but the run has %u VCs "
				"(--vcs)\n", ph->text, ph->vcs, opt->vcs);
			return -EINVAL;
		}
		if (opt->sweep && u != NULL)
			snprintf(ph->text, sizeof(ph->text), "%s@%.15g,size=%u", opt->rate_text,
				 ph->seconds, ph->size);
		ph->rate_pps = u == NULL ? 0 : u->layer == GEN_PPS ? v * u->scale :
			       v * u->scale / (8.0 * (u->layer == GEN_L2 ? l2 : l2 + GEN_L1_OVERHEAD));
		if (u != NULL && (ph->rate_pps > GEN_MAX_PPS || ph->rate_pps < 1)) {
			fprintf(stderr, "condis-gen: --%s %s is %.0f frames/s: not in 1..%.0f\n",
				opt->sweep ? "sweep" : "phase", ph->text, ph->rate_pps, GEN_MAX_PPS);
			return -EINVAL;
		}
		ph->wire_l1_bytes = l2 + GEN_L1_OVERHEAD;
		all_paced = all_paced && u != NULL;
		frames += ph->rate_pps * ph->seconds;
		secs += ph->seconds;
	}
	opt->duration = secs;
	/* A phase as fast as it goes: the run has no rate of its own. */
	opt->rate_pps = all_paced ? frames / secs : 0;
	opt->rate_layer = GEN_PPS;
	snprintf(opt->rate_text, sizeof(opt->rate_text), "%u %s", opt->nb_phases,
		 opt->sweep ? "sweep steps" : "phases");
	return 0;
}

/* A decimal number and the unit after it; "1e" of "1e9gbps" is the number's. */
static bool
split_number(const char *s, double *v, const char **unit)
{
	size_t n = strspn(s, "0123456789.eE+-");
	char num[64];

	/* "e" may start no unit: none of them does. */
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	*unit = s + n;
	return dec_real(num, v);
}

static int
parse_rate(struct gen_options *opt, const char *s)
{
	const char *unit;

	if (!split_number(s, &rate_value, &unit))
		return -EINVAL;
	if (strcmp(unit, "%") == 0) {
		if (rate_value > 100)
			return -EINVAL;
		opt->rate_link_pct = rate_value;
		opt->rate_pps = 0;
		opt->rate_layer = GEN_L1;
		rate_unit = NULL;
		snprintf(opt->rate_text, sizeof(opt->rate_text), "%s", s);
		return 0;
	}
	rate_unit = rate_unit_find(unit);
	if (rate_unit == NULL)
		return -EINVAL;
	opt->rate_link_pct = 0;
	snprintf(opt->rate_text, sizeof(opt->rate_text), "%s", s);
	return 0;
}

static int
parse_link_speed(struct gen_options *opt, const char *s)
{
	const char *unit;
	double v;

	if (!split_number(s, &v, &unit))
		return -EINVAL;
	if (strcasecmp(unit, "gbps") == 0)
		v *= 1e3;
	else if (strcasecmp(unit, "mbps") != 0 && *unit != '\0')
		return -EINVAL;
	if (v < 1 || v > GEN_MAX_LINK_MBPS)
		return -EINVAL;
	opt->link_speed_mbps = v;
	return 0;
}

static int
parse_pacing(struct gen_options *opt, const char *s)
{
	if (strcmp(s, "smooth") == 0)
		opt->pacing = GEN_PACE_SMOOTH;
	else if (strcmp(s, "poisson") == 0)
		opt->pacing = GEN_PACE_POISSON;
	else
		return -EINVAL;
	return 0;
}

static int
parse_json(struct gen_options *opt, const char *s)
{
	if (*s == '\0')
		return -EINVAL;
	opt->json_path = s; /* argv, or the copy given_set() keeps for a profile */
	return 0;
}

static int
parse_plot(struct gen_options *opt, const char *s)
{
	if (*s == '\0')
		return -EINVAL;
	opt->plot_dir = s;
	return 0;
}

static int
parse_port_ids(struct gen_options *opt, const char *s)
{
	uint16_t n = 0;
	const char *p = s;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint64_t v;
		uint16_t i;

		if (n == GEN_MAX_PORTS || !dec_u64(p, len, &v) || v >= RTE_MAX_ETHPORTS)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (opt->ports[i] == v)
				return -EINVAL;
		opt->ports[n++] = (uint16_t)v;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	opt->nb_ports = n;
	opt->port_id = opt->ports[0];
	return 0;
}

static char pcap_path[4096];

/* A profile's relative path is the profile directory's (parse_value). */
static int
parse_pcap(struct gen_options *opt, const char *s)
{
	if (s[0] == '\0' || strlen(s) >= sizeof(pcap_path))
		return -EINVAL;
	snprintf(pcap_path, sizeof(pcap_path), "%s", s);
	opt->pcap_path = pcap_path;
	return 0;
}

static int
parse_pcap_speed(struct gen_options *opt, const char *s)
{
	double v;

	if (strcmp(s, "max") == 0) {
		opt->pcap_speed = 0;
		return 0;
	}
	if (!dec_real(s, &v) || v < 1e-6 || v > 1e6)
		return -EINVAL;
	opt->pcap_speed = v;
	return 0;
}

static int
parse_frame_size(struct gen_options *opt, const char *s)
{
	return gen_parse_frame_size(opt, s);
}

static int
parse_l3(struct gen_options *opt, const char *s)
{
	if (strcmp(s, "ipv4") == 0)
		opt->l3 = GEN_L3_IPV4;
	else if (strcmp(s, "ipv6") == 0)
		opt->l3 = GEN_L3_IPV6;
	else if (strcmp(s, "none") == 0)
		opt->l3 = GEN_L3_NONE;
	else
		return -EINVAL;
	return 0;
}

/* An EtherType a receiver will not read as IP or as a tag. */
static int
parse_ethertype(struct gen_options *opt, const char *s)
{
	/* Hex with 0x, else decimal: a leading 0 is not octal here. */
	const bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]) || (hex && !isxdigit((unsigned char)s[2])))
		return -EINVAL;
	errno = 0;
	v = strtoul(hex ? s + 2 : s, &end, hex ? 16 : 10);
	/* Below 0x0600 the field is an 802.3 length, not a type. */
	if (errno != 0 || *end != '\0' || v < 0x0600 || v > UINT16_MAX ||
	    v == RTE_ETHER_TYPE_IPV4 || v == RTE_ETHER_TYPE_IPV6 || v == RTE_ETHER_TYPE_VLAN ||
	    v == RTE_ETHER_TYPE_QINQ || v == RTE_ETHER_TYPE_QINQ1)
		return -EINVAL;
	opt->ethertype = (uint16_t)v;
	return 0;
}

static int
parse_qinq(struct gen_options *opt, const char *s)
{
	const char *colon = strchr(s, ':');
	uint64_t vid, prio;

	if (colon == NULL || !dec_u64(s, (size_t)(colon - s), &vid) ||
	    !dec_u64(colon + 1, strlen(colon + 1), &prio) || vid > 4094 || prio > 7)
		return -EINVAL;
	opt->qinq = true;
	opt->qinq_vid = (uint16_t)vid;
	opt->qinq_prio = (uint8_t)prio;
	return 0;
}

static int
parse_l4(struct gen_options *opt, const char *s)
{
	if (strcmp(s, "udp") == 0)
		opt->l4 = GEN_L4_UDP;
	else if (strcmp(s, "tcp") == 0)
		opt->l4 = GEN_L4_TCP;
	else
		return -EINVAL;
	return 0;
}

static int
parse_flow_vary(struct gen_options *opt, const char *s)
{
	unsigned int i;

	for (i = 0; i <= GEN_FLOW_DST_MAC; i++) {
		if (strcmp(s, gen_flow_field_name((enum gen_flow_field)i)) == 0) {
			opt->flow_vary = (enum gen_flow_field)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int
parse_seed(struct gen_options *opt, const char *s)
{
	if (!dec_u64(s, strlen(s), &opt->seed))
		return -EINVAL;
	opt->seed_set = true;
	return 0;
}

const char *
gen_fmt_bytes(double bytes, char *buf, size_t len)
{
	snprintf(buf, len, "%.15g", round(bytes * 1000) / 1000);
	return buf;
}

/* Bytes on the wire per frame, mean over the first vcs VCs (round robin
 * gives them the same share): the frame, its tags (inserted from the slot:
 * in software by default, so on the wire; or --qinq's, in the frame),
 * padding to the 60-byte minimum, the FCS. The frame: len bytes (a phase's
 * one size), or 0: the size cycle's (frame.c). */
static double
wire_l2(const struct gen_options *opt, uint32_t vcs, uint16_t len)
{
	const uint32_t plain = gen_tmpl.tags, tag = plain + GEN_VLAN_TAG_LEN;
	uint32_t vc, tagged = 0;
	uint16_t vid;
	uint8_t prio;

	for (vc = 0; vc < vcs && !opt->qinq; vc++)
		tagged += gen_vlan_lookup(opt, vc, &vid, &prio) != 0;
	if (len == 0)
		return (gen_size_mean_wire(plain) * (vcs - tagged) +
			gen_size_mean_wire(tag) * tagged) / vcs;
	return (RTE_MAX(len + plain, GEN_MIN_FRAME_NO_FCS) * (double)(vcs - tagged) +
		RTE_MAX(len + tag, GEN_MIN_FRAME_NO_FCS) * (double)tagged) / vcs +
	       RTE_ETHER_CRC_LEN;
}

static int
rate_check(struct gen_options *opt, double pps)
{
	char b[32];

	if (pps > GEN_MAX_PPS) {
		fprintf(stderr, "condis-gen: --rate %s is %.0f frames/s of %s bytes: more than "
			"%.0f\n", opt->rate_text, pps,
			gen_fmt_bytes(opt->rate_layer == GEN_L2 ? opt->wire_l2_bytes :
				      opt->wire_l1_bytes, b, sizeof(b)), GEN_MAX_PPS);
		return -EINVAL;
	}
	opt->rate_pps = pps;
	return 0;
}

static int
resolve_rate(struct gen_options *opt)
{
	const struct rate_unit *u = rate_unit;

	if (opt->pcap_path == NULL) {
		opt->wire_l2_bytes = wire_l2(opt, opt->vcs, 0);
		opt->wire_l1_bytes = opt->wire_l2_bytes + GEN_L1_OVERHEAD;
	} else if (opt->wire_l2_bytes == 0) {
		return 0; /* the file's sizes first: gen_replay_load() calls again */
	}
	if (u == NULL)
		return 0;
	opt->rate_layer = u->layer;
	return rate_check(opt, rate_unit_pps(opt, u, rate_value));
}

int
gen_rate_resolve(struct gen_options *opt)
{
	return resolve_rate(opt);
}

int
gen_rate_from_link(struct gen_options *opt, uint32_t link_mbps, const char *why_not,
		   const char *port_name)
{
	double mbps = opt->link_speed_mbps * opt->nb_ports; /* --link-speed: each port's */

	if (opt->rate_link_pct <= 0)
		return 0;
	if (mbps == 0 && (link_mbps == 0 || link_mbps == UINT32_MAX || why_not != NULL)) {
		fprintf(stderr, "condis-gen: --rate %s needs the link speed, and port %s ",
			opt->rate_text, port_name);
		if (why_not != NULL)
			fprintf(stderr, "reports %u Mb/s, %s", link_mbps, why_not);
		else
			fprintf(stderr, "reports none (%s)", link_mbps == 0 ? "link down" :
				"unknown speed");
		fprintf(stderr, ": give --link-speed (e.g. --link-speed 25gbps), or the rate "
			"in frames/s or bit/s (e.g. --rate 10gbps)\n");
		return -EINVAL;
	}
	if (mbps == 0)
		mbps = link_mbps;
	opt->link_speed_mbps = mbps;
	return rate_check(opt, opt->rate_link_pct / 100 * mbps * 1e6 / (8.0 * opt->wire_l1_bytes));
}

/* Every per-VC rule names a VC the run has: checked once --vcs is known. */
static int
check_vlan_rules(const struct gen_options *opt)
{
	unsigned int i;

	for (i = 0; i < nb_vlan_rules; i++) {
		const struct vlan_rule *r = &vlan_rules[i];

		if (r->vc >= opt->vcs) {
			fprintf(stderr, "condis-gen: --vlan %u=%u:%u: there is no VC %u with %u VCs "
				"(--vcs %u: VC ids 0..%u)\n", r->vc, r->vid, r->prio, r->vc,
				opt->vcs, opt->vcs, opt->vcs - 1);
			return -EINVAL;
		}
	}
	return 0;
}

int
gen_vlan_lookup(const struct gen_options *opt, uint32_t vc, uint16_t *vid, uint8_t *prio)
{
	unsigned int i;

	for (i = nb_vlan_rules; i-- > 0;) {
		if (vlan_rules[i].vc == vc) {
			*vid = vlan_rules[i].vid;
			*prio = vlan_rules[i].prio;
			return 1;
		}
	}
	if (opt->vlan_all_set) {
		*vid = opt->vlan_id_all;
		*prio = opt->vlan_prio_all;
		return 1;
	}
	return 0;
}

static int
parse_src_mac(struct gen_options *opt, const char *s)
{
	return rte_ether_unformat_addr(s, &opt->src_mac) == 0 ? 0 : -EINVAL;
}

static int
parse_dst_mac(struct gen_options *opt, const char *s)
{
	return rte_ether_unformat_addr(s, &opt->dst_mac) == 0 ? 0 : -EINVAL;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int
parse_src_ip(struct gen_options *opt, const char *s)
{
	return parse_ip(s, &opt->src_ip);
}

static int
parse_dst_ip(struct gen_options *opt, const char *s)
{
	return parse_ip(s, &opt->dst_ip);
}

/* Check arg and store it in d's field; the field is written only when valid. */
static int
parse_value(struct gen_options *opt, const struct opt_def *d, const char *arg, const char *file)
{
	char *field = (char *)opt + d->off;
	uint64_t u;
	double r;
	bool b;
	int rc = 0;

	switch (d->kind) {
	case K_UINT:
		if (!dec_u64(arg, strlen(arg), &u) || u < d->lo || u > d->hi) {
			rc = -EINVAL;
		} else if (d->size == sizeof(uint64_t)) {
			memcpy(field, &u, sizeof(uint64_t));
		} else if (d->size == sizeof(uint32_t)) {
			uint32_t v = (uint32_t)u;

			memcpy(field, &v, sizeof(v));
		} else {
			uint16_t v = (uint16_t)u;

			RTE_VERIFY(d->size == sizeof(v));
			memcpy(field, &v, sizeof(v));
		}
		break;
	case K_REAL:
		if (!dec_real(arg, &r) || r < d->rlo || r > d->rhi)
			rc = -EINVAL;
		else
			memcpy(field, &r, sizeof(r));
		break;
	case K_FLAG:
		if (arg == NULL)
			b = true;       /* command line: the flag alone */
		else if (!parse_bool(arg, &b))
			rc = -EINVAL;
		if (rc == 0)
			memcpy(field, &b, sizeof(b));
		break;
	case K_TEXT:
		if ((d->parse == parse_phase || d->parse == parse_sweep) && file == NULL &&
		    phases_from_profile) {
			/* The command line's phases replace a profile's. */
			phases_from_profile = false;
			opt->nb_phases = 0;
			opt->sweep = false;
			given_clear("phase");
			given_clear("sweep");
		}
		rc = d->parse(opt, arg);
		if (rc == 0 && file != NULL && (d->parse == parse_phase || d->parse == parse_sweep))
			phases_from_profile = true;
		break;
	default:
		rc = -EINVAL;
	}
	if (rc == -EINVAL)
		report_bad(d, arg ? arg : "", file);
	else if (rc == 0)
		given_set(d, arg, file);
	if (rc == 0 && d->parse == parse_json)
		opt->json_path = given_text[d - opts]; /* a profile's value is freed */
	if (rc == 0 && d->parse == parse_plot)
		opt->plot_dir = given_text[d - opts];
	if (rc == 0 && d->parse == parse_pcap && file != NULL && arg[0] != '/' &&
	    strrchr(file, '/') != NULL) {
		int dir = (int)(strrchr(file, '/') - file);

		if (snprintf(pcap_path, sizeof(pcap_path), "%.*s/%s", dir, file, arg) >=
		    (int)sizeof(pcap_path)) {
			report_bad(d, arg, file);
			rc = -EINVAL;
		}
	}
	return rc;
}

static const struct opt_def *
find_opt(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(opts); i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/* Every key of the profile's section is a long option name. */
static int
parse_profile(struct gen_options *opt, const char *path)
{
	struct rte_cfgfile_entry *entries;
	struct rte_cfgfile *cfg;
	int n, i, rc = 0;
	FILE *f;

	/* rte_cfgfile_load() says nothing of why it failed: ask first. */
	f = fopen(path, "r");
	if (f == NULL || (getc(f) == EOF && ferror(f))) {
		fprintf(stderr, "condis-gen: --profile %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return REPORTED;
	}
	fclose(f);
	cfg = rte_cfgfile_load(path, 0);
	if (cfg == NULL) {
		fprintf(stderr, "condis-gen: --profile %s: not a valid INI file\n", path);
		return REPORTED;
	}
	n = rte_cfgfile_section_num_entries(cfg, PROFILE_SECTION);
	if (n < 0) {
		fprintf(stderr, "condis-gen: profile %s: no [%s] section\n", path, PROFILE_SECTION);
		rte_cfgfile_close(cfg);
		return REPORTED;
	}
	entries = calloc((size_t)n + 1, sizeof(*entries));
	if (entries == NULL) {
		rte_cfgfile_close(cfg);
		fprintf(stderr, "condis-gen: profile %s: out of memory\n", path);
		return REPORTED;
	}
	rte_cfgfile_section_entries(cfg, PROFILE_SECTION, entries, n);
	for (i = 0; i < n && rc == 0; i++) {
		const struct opt_def *d = find_opt(entries[i].name);

		if (d == NULL || d->cli_only) {
			fprintf(stderr, "condis-gen: profile %s: %s key '%s' (keys are the long "
				"options of --help, without --)\n", path,
				d ? "command-line only" : "unknown", entries[i].name);
			rc = REPORTED;
		} else {
			rc = parse_value(opt, d, entries[i].value, path);
		}
	}
	free(entries);
	rte_cfgfile_close(cfg);
	return rc == -EINVAL ? REPORTED : rc;
}

/* Print text from column col, continuation lines at HELP_COL. */
static void
print_help_text(const char *text, int col)
{
	for (; *text != '\0'; text++) {
		if (col < HELP_COL) {
			printf("%*s", HELP_COL - col, "");
			col = HELP_COL;
		}
		putchar(*text);
		col = *text == '\n' ? 0 : col + 1;
	}
}

static void
usage(void)
{
	unsigned int i;

	printf("usage: condis-gen [EAL options --] [options]\n"
	       "Sends chains of NBLs on VCs through libcondis and reports completions by status,\n"
	       "rate and latency. Options (later ones override earlier ones, a profile's too):\n");
	for (i = 0; i < RTE_DIM(opts); i++) {
		const struct opt_def *d = &opts[i];
		int col = printf("  %s--%s%s%s", d->kind == K_HELP ? "-h, " : "", d->name,
				 d->meta ? " " : "", d->meta ? d->meta : "");

		print_help_text(d->help, col);
		if (d->kind == K_UINT || d->kind == K_REAL) {
			printf("\n%*s[", HELP_COL, "");
			print_range(d, stdout);
			putchar(']');
		}
		putchar('\n');
	}
	printf("\n--rx receives on the port and checks condis-gen frames (docs/STAMP.md) per VC:\n"
	       "frames lost, duplicated and reordered, each counted exactly over the last %u\n"
	       "sequence numbers (older ones count as too late), the port's own drops apart,\n"
	       "and one-way latency when frames are at least %u bytes (smaller ones carry no\n"
	       "timestamp). With --count N, frames after the last one received are lost too.\n"
	       "It stops on SIGINT/SIGTERM, after --duration, or after --rx-idle S without a\n"
	       "condis-gen frame (counted from link up; --wait-link bounds the wait for link).\n"
	       "It fails if no condis-gen frame arrived, or a frame came for a VC id not below\n"
	       "--vcs, or a VC lost, duplicated or reordered frames, or had frames too late.\n\n",
	       RX_SEQ_WINDOW, STAMP_TS_MIN_FRAME);
	gen_eal_usage();
	printf("\nSIGINT/SIGTERM stop a run cleanly (report, EAL cleanup); a second one kills.\n"
	       "Exit status: 0 done; 1 failed: NBLs were sent and none completed SUCCESS, an\n"
	       "--rx check failed, or setup failed; 2 bad option, or frames the port cannot\n"
	       "send.\n");
}

static int
parse_rx_port(struct gen_options *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	opt->rx_port = (int)v;
	return 0;
}

static void
set_defaults(struct gen_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->duration = -1;      /* not given */
	opt->vcs = 4;
	opt->nb_ports = 1;
	opt->frame_size = 64;
	opt->nbs_per_nbl = 1;
	opt->nbls_per_chain = 32;
	opt->workers = 1;
	opt->nb_txd = 1024;
	opt->drain_s = 2.0;
	opt->wait_link_s = 10.0;
	opt->rx_idle_s = 3.0;
	opt->rx_port = -1;
	opt->rx_queues = 1;
	opt->stats_period_s = -1; /* automatic */
	opt->pcap_speed = 1;
	opt->pcap_loops = 1;
	given_reset();
	rte_ether_unformat_addr("02:00:00:00:00:01", &opt->src_mac);
	rte_ether_unformat_addr("02:00:00:00:00:02", &opt->dst_mac);
	/* 198.18.0.1 -> 198.18.0.2 (RFC 2544 benchmark range); not RTE_IPV4(),
	 * whose int shift of 198 << 24 is undefined behaviour (UBSan). */
	opt->src_ip = UINT32_C(198) << 24 | UINT32_C(18) << 16 | 1;
	opt->dst_ip = UINT32_C(198) << 24 | UINT32_C(18) << 16 | 2;
	opt->udp_sport = 1024;
	opt->udp_dport = 9;
	opt->ethertype = 0x88b5; /* IEEE 802 local experimental EtherType 1 */
	nb_vlan_rules = 0;
	rate_unit = NULL;
	phases_from_profile = false;
}

static bool
given(const char *name)
{
	const struct opt_def *d = find_opt(name);

	return d != NULL && given_from[d - opts] != NULL;
}

static bool
given_on_cli(const char *name)
{
	const struct opt_def *d = find_opt(name);

	return given(name) && strcmp(given_from[d - opts], "command_line") == 0;
}

/* --pcap sends the file's frames: what builds or checks condis-gen's own
 * frames has nothing to act on, and is refused rather than ignored. */
static int
check_pcap(struct gen_options *opt)
{
	static const char *const builds[] = {
		"frame-size", "l3", "l4", "ethertype", "qinq", "zero-copy", "flow-vary", "flow-random",
		"vary-src-port", "vlan",
		"src-mac", "dst-mac", "src-ip", "dst-ip", "udp-sport", "udp-dport",
		"nbs-per-nbl", "count", "phase", "sweep", "burst", "pacing", "seed", "rx", "rx-port",
		"rx-check-headers", "rx-queues", "rx-idle",
	};
	unsigned int i;

	opt->vcs_given = given("vcs");
	if (opt->pcap_path == NULL) {
		if (given("pcap-speed") || given("pcap-loop")) {
			fprintf(stderr, "condis-gen: --%s is for --pcap FILE\n",
				given("pcap-speed") ? "pcap-speed" : "pcap-loop");
			return -EINVAL;
		}
		return 0;
	}
	for (i = 0; i < RTE_DIM(builds); i++) {
		if (given(builds[i])) {
			fprintf(stderr, "condis-gen: --%s is for the frames condis-gen builds and "
				"stamps; --pcap sends the file's as they are, one per NBL%s\n",
				builds[i], strcmp(builds[i], "count") == 0 ?
				" (--pcap-loop N: the file N times)" : "");
			return -EINVAL;
		}
	}
	opt->pcap_rate = given("rate");
	if (opt->pcap_rate && given("pcap-speed")) {
		bool rate_cli = given_on_cli("rate");

		if (rate_cli == given_on_cli("pcap-speed")) {
			fprintf(stderr, "condis-gen: --rate and --pcap-speed both pace the replay: "
				"give one (--rate: evenly at a rate; --pcap-speed: by the file's "
				"timestamps)\n");
			return -EINVAL;
		}
		/* The command line overrides the profile's other timing. */
		if (rate_cli) {
			opt->pcap_speed = 1;
		} else {
			opt->pcap_rate = false;
			rate_unit = NULL;
			opt->rate_link_pct = 0;
			opt->rate_pps = 0;
			opt->rate_text[0] = '\0';
		}
	}
	if (opt->duration < 0)
		opt->duration = opt->pcap_loops != 0 ? 0 : 2.0;
	return 0;
}

/* Raw L2 has no IP or L4 header for the options that fill one; --qinq
 * puts each VC's --vlan tag inside its S-tag, so every VC needs one. */
static int
check_template(struct gen_options *opt)
{
	static const char *const ip_only[] = {
		"l4", "src-ip", "dst-ip", "udp-sport", "udp-dport", "vary-src-port",
	};
	unsigned int i;
	uint32_t vc;

	if (opt->l3 != GEN_L3_NONE) {
		if (given("ethertype")) {
			fprintf(stderr, "condis-gen: --ethertype is for --l3 none (raw L2); IP "
				"frames carry IPv4's or IPv6's\n");
			return -EINVAL;
		}
	} else {
		for (i = 0; i < RTE_DIM(ip_only); i++) {
			if (given(ip_only[i])) {
				fprintf(stderr, "condis-gen: --%s fills an IP or L4 header: --l3 "
					"none sends raw L2 frames (Ethernet, --ethertype, the "
					"stamp)\n", ip_only[i]);
				return -EINVAL;
			}
		}
		if (!given("flow-vary"))
			opt->flow_vary = GEN_FLOW_SRC_MAC;
		else if (opt->flow_vary != GEN_FLOW_SRC_MAC && opt->flow_vary != GEN_FLOW_DST_MAC) {
			fprintf(stderr, "condis-gen: --flow-vary %s: --l3 none has no IP or L4 "
				"header; give src-mac or dst-mac\n",
				gen_flow_field_name(opt->flow_vary));
			return -EINVAL;
		}
	}
	/* A MAC per VC starts away from the other MAC's default (...:01 + 1 is
	 * ...:02, the destination's): 02:00:00:01:00:00 + v, 02:00:00:02:00:00 + v. */
	if (opt->flow_vary == GEN_FLOW_SRC_MAC && !given("src-mac"))
		rte_ether_unformat_addr("02:00:00:01:00:00", &opt->src_mac);
	if (opt->flow_vary == GEN_FLOW_DST_MAC && !given("dst-mac"))
		rte_ether_unformat_addr("02:00:00:02:00:00", &opt->dst_mac);
	/* --rx strips the tags and reads no VID: it needs no inner tag per VC. */
	for (vc = 0; opt->qinq && !opt->rx && vc < opt->vcs; vc++) {
		uint16_t vid;
		uint8_t prio;

		if (!gen_vlan_lookup(opt, vc, &vid, &prio)) {
			fprintf(stderr, "condis-gen: --qinq puts each VC's --vlan tag inside the "
				"S-tag, and VC %u has none: give --vlan VID:PRIO (every VC) or "
				"--vlan %u=VID:PRIO\n", vc, vc);
			return -EINVAL;
		}
	}
	return 0;
}

/* Several ports: each gets the same share of the workers; what works on one
 * port only is refused. */
static int
check_ports(struct gen_options *opt)
{
	static const char *const one_port[] = { "rx", "rx-port", "event" };
	unsigned int i;

	opt->workers_given = given("workers");
	if (opt->nb_ports == 1)
		return 0;
	if (!opt->workers_given)
		opt->workers = opt->nb_ports;
	if (opt->workers % opt->nb_ports != 0) {
		fprintf(stderr, "condis-gen: --workers %u over %u ports: give a multiple of %u, so "
			"each port gets as many TX queues\n", opt->workers, opt->nb_ports,
			opt->nb_ports);
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(one_port); i++) {
		if (given(one_port[i])) {
			fprintf(stderr, "condis-gen: --%s works on one port: give one --port-id\n",
				one_port[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* --burst, --pacing and --seed shape a rate: without one they mean nothing. */
static int
check_pacing(struct gen_options *opt)
{
	bool paced = opt->rate_pps > 0 || opt->rate_link_pct > 0 || gen_phases_paced(opt);

	/* --seed also seeds --flow-random and --frame-size MIN-MAX. */
	bool seeded = opt->flow_random || opt->size_random;

	if (!paced && (opt->burst != 0 || opt->pacing != GEN_PACE_SMOOTH ||
		       (opt->seed_set && !seeded))) {
		fprintf(stderr, "condis-gen: --%s shapes the pacing of --rate: give a rate "
			"(e.g. --rate 1mpps)\n", opt->burst != 0 ? "burst" :
			opt->pacing != GEN_PACE_SMOOTH ? "pacing" : "seed");
		return -EINVAL;
	}
	if (opt->burst != 0)
		opt->nbls_per_chain = opt->burst;
	if (!opt->seed_set) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt->seed = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	}
	return 0;
}

int
gen_options_parse(struct gen_options *opt, int argc, char **argv)
{
	static struct option long_opts[RTE_DIM(opts) + 1];
	unsigned int i;
	int c, rc;

	for (i = 0; i < RTE_DIM(opts); i++)
		long_opts[i] = (struct option){
			.name = opts[i].name,
			.has_arg = opts[i].meta ? required_argument : no_argument,
			.val = OPT_VAL_BASE + (int)i,
		};
	set_defaults(opt);
	optind = 0; /* glibc: a full reset, also of a scan an earlier call left mid-argument */
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		const struct opt_def *d = c >= OPT_VAL_BASE ? &opts[c - OPT_VAL_BASE] : NULL;

		if (c == 'h' || (d && d->kind == K_HELP)) {
			usage();
			return 1;
		}
		if (d && d->kind == K_VERSION) {
			printf("condis-gen %s (%s)\n", CONDIS_GEN_VERSION, rte_version());
			return 1;
		}
		if (d == NULL) {
			fprintf(stderr, "condis-gen: -h lists the options; EAL options go before --\n");
			return -EINVAL;
		}
		rc = parse_value(opt, d, optarg, NULL);
		if (rc != 0)
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "condis-gen: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (check_pcap(opt) != 0 || check_ports(opt) != 0 ||
	    check_vlan_rules(opt) != 0 || check_template(opt) != 0 || gen_traffic_init(opt) != 0 || resolve_rate(opt) != 0 ||
	    resolve_phases(opt) != 0 || check_pacing(opt) != 0)
		return -EINVAL;
	if (opt->rx && opt->nb_events != 0) {
		fprintf(stderr, "condis-gen: --event is for sending, not --rx\n");
		return -EINVAL;
	}
	if (opt->rx_queues > 1 && !opt->rx && (opt->rx_port < 0 || opt->rx_port == opt->port_id)) {
		fprintf(stderr, "condis-gen: --rx-queues is for --rx, or --rx-port on another port "
			"than --port-id\n");
		return -EINVAL;
	}
	if (opt->rx_check_headers && !opt->rx && opt->rx_port < 0) {
		fprintf(stderr, "condis-gen: --rx-check-headers needs --rx or --rx-port\n");
		return -EINVAL;
	}
	if (opt->rx && opt->rx_port >= 0) {
		fprintf(stderr, "condis-gen: --rx-port is for sending; --rx receives on --port-id\n");
		return -EINVAL;
	}
	if (opt->rx_port == opt->port_id && opt->workers > 1) {
		fprintf(stderr, "condis-gen: --rx-port %d is the sending port: it takes one worker "
			"(--workers %u), since its receive queue gets one transmit queue's frames\n",
			opt->rx_port, opt->workers);
		return -EINVAL;
	}
	if (opt->duration < 0)
		opt->duration = opt->count == 0 && !opt->rx ? 2.0 : 0;
	return 0;
}
