/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exact per-VC sequence accounting for --rx: frames received, lost,
 * duplicated and reordered, each counted apart, from the sequence number in
 * every frame's stamp (docs/STAMP.md), with a window of the last
 * RX_SEQ_WINDOW sequence numbers instead of a heuristic (docs/OUTPUT.md).
 *
 * A sequence number above the highest seen opens a gap: the numbers skipped
 * are missing. One of them arriving later (within the window) is reordered
 * and no longer missing; one arriving twice is duplicated. A frame older
 * than the window cannot be told apart (duplicated, or reordered that far):
 * it counts as too_late and what it might have filled stays missing. At the
 * end, lost = missing + the numbers the sender sent after the highest one
 * seen (tail loss), when the receiver knows how many were sent.
 */
#ifndef GEN_RX_SEQ_H
#define GEN_RX_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* Sequence numbers behind the highest one that are told apart exactly. */
#define RX_SEQ_WINDOW 2048u

struct rx_seq {
	uint64_t next;       /* the highest sequence number seen + 1 */
	uint64_t frames;     /* every frame of the VC */
	uint64_t distinct;   /* sequence numbers received (frames minus repeats) */
	uint64_t missing;    /* sequence numbers below next not received (yet) */
	uint64_t duplicated; /* a sequence number again, within the window */
	uint64_t reordered;  /* a missing one arriving after a higher one */
	uint64_t too_late;   /* older than the window: duplicated or reordered */
	uint64_t seen[RX_SEQ_WINDOW / 64]; /* bit s % WINDOW: s in [next - WINDOW, next) arrived */
};

/* A jump further ahead than this is a corrupt stamp, not a gap. */
#define RX_SEQ_MAX_JUMP (UINT64_C(1) << 40)

/* Account one frame of sequence number seq; false (and nothing counted) for
 * a corrupt one, more than RX_SEQ_MAX_JUMP past the highest seen. */
bool rx_seq_add(struct rx_seq *s, uint64_t seq);

/* Sequence numbers lost: missing ones, plus those after the highest seen
 * when `sent` (the sender's count for the VC) is above it; sent 0: unknown. */
uint64_t rx_seq_lost(const struct rx_seq *s, uint64_t sent);

#endif /* GEN_RX_SEQ_H */
