/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen --pcap FILE: a capture replayed byte for byte, each flow (its
 * 5-tuple) on a VC of its own, so every flow keeps its order. The file is
 * read once, before the EAL (replay_load.c); each worker's share of it is
 * loaded into its NBLs once, copied as often as its transmit ring needs,
 * and sent by the file's timestamps, at --rate, or as fast as it goes
 * (replay.c).
 */
#ifndef CONDIS_GEN_REPLAY_H
#define CONDIS_GEN_REPLAY_H

#include <stdint.h>

#include "gen.h"

/* At most this many frames in a file (their bytes are kept in memory twice:
 * read, then in the NBLs). */
#define GEN_REPLAY_MAX_FRAMES (1u << 24)
/* The longest frame: an mbuf's data room (a uint16_t) less its headroom. */
#define GEN_REPLAY_MAX_LEN (UINT16_MAX - RTE_PKTMBUF_HEADROOM)
/* A longer gap between two frames is cut to this (and counted): a clock
 * step in the capture, not a pause to wait out. */
#define GEN_REPLAY_MAX_GAP_NS UINT64_C(10000000000)

/* One frame of the file. */
struct gen_replay_frame {
	uint64_t t_ns;              /* after the file's first frame */
	uint64_t off;               /* its bytes in gen_replay.data */
	uint32_t vc;                /* its flow's VC */
	uint16_t len;               /* as captured, without FCS */
};

/* The file as read. */
struct gen_replay {
	uint8_t *data;
	struct gen_replay_frame *frames;
	uint32_t nb_frames;
	uint32_t nb_flows;          /* distinct 5-tuples (non-IP: MACs and EtherType) */
	uint32_t max_len;
	uint64_t bytes;             /* sum of the frames' lengths */
	uint64_t span_ns;           /* first to last timestamp */
	uint64_t period_ns;         /* a loop: the span and one mean gap */
	uint32_t cut_short;         /* frames the capture's snap length cut */
	uint32_t out_of_order;      /* timestamps before the one before (taken as equal) */
	uint32_t gaps_cut;          /* gaps longer than GEN_REPLAY_MAX_GAP_NS, cut to it */
};
extern struct gen_replay gen_replay;

/* A frame of a worker, in the order it sends them: the file's frames of its
 * VCs, copied as many times as its window needs. */
struct gen_replay_slot {
	struct condis_nbl *nbl;     /* its frame loaded, one NB */
	struct gen_vc *vc;
	uint64_t t_ns;              /* its time in the worker's pass over its copies */
	uint32_t len;
};

/* After the options: reads --pcap, gives each flow its VC (--vcs: modulo)
 * and sets --vcs, the frame size and the wire sizes, then resolves --rate
 * from them. 0 or -EINVAL (reported). */
int gen_replay_load(struct gen_options *opt);
void gen_replay_free(void);

/* A worker's slots, with its frames loaded into NBLs from the pools (NBLs
 * at least min_window): 0 or a negative errno. */
int gen_replay_fill(struct gen_worker *w, struct condis_nbl_pool *nbls, struct condis_nb_pool *nbs,
		    struct condis_mdl_pool *mdls, uint32_t min_window);
/* The NBLs worker w will need (for its port's pools). */
uint64_t gen_replay_worker_nbls(const struct gen_options *opt, uint16_t w, uint32_t min_window);
void gen_replay_worker_free(struct gen_worker *w);
/* The worker loop of a replay. */
int gen_replay_worker_main(void *arg);
/* The run's replay, before it starts; its report line and JSON object. */
void gen_replay_print(const struct gen_options *opt);
void gen_replay_report(const struct gen_options *opt, uint64_t frames_sent);
struct gen_json;
void gen_replay_json(struct gen_json *j, const struct gen_options *opt, uint64_t frames_sent);

#endif /* CONDIS_GEN_REPLAY_H */
