/* SPDX-License-Identifier: BSD-3-Clause */
/* Exact per-VC sequence accounting (rx_seq.h). */
#include <string.h>

#include <rte_branch_prediction.h>

#include "rx_seq.h"

#define WORDS (RX_SEQ_WINDOW / 64)

static inline uint64_t *
word_of(struct rx_seq *s, uint64_t seq)
{
	return &s->seen[(seq % RX_SEQ_WINDOW) / 64];
}

static inline uint64_t
bit_of(uint64_t seq)
{
	return 1ull << (seq % 64);
}

/* Forget [from, to): those slots now stand for sequence numbers not seen. */
static void
clear_range(struct rx_seq *s, uint64_t from, uint64_t to)
{
	if (to - from >= RX_SEQ_WINDOW) {
		memset(s->seen, 0, sizeof(s->seen));
		return;
	}
	/* Whole words where the range covers them, bits at its ends. */
	for (; from < to && from % 64 != 0; from++)
		*word_of(s, from) &= ~bit_of(from);
	for (; to - from >= 64; from += 64)
		*word_of(s, from) = 0;
	for (; from < to; from++)
		*word_of(s, from) &= ~bit_of(from);
}

bool
rx_seq_add(struct rx_seq *s, uint64_t seq)
{
	uint64_t *w = word_of(s, seq), b = bit_of(seq);

	if (unlikely(seq >= s->next && seq - s->next > RX_SEQ_MAX_JUMP))
		return false;
	s->frames++;
	if (seq >= s->next) {
		/* In order (seq == next) is the common case: no gap. */
		if (seq != s->next) {
			s->missing += seq - s->next;
			clear_range(s, s->next, seq);
		}
		*w |= b; /* the slot's old bit (seq - WINDOW) leaves the window */
		s->next = seq + 1;
		s->distinct++;
		return true;
	}
	if (s->next - seq > RX_SEQ_WINDOW) {
		s->too_late++;
	} else if (*w & b) {
		s->duplicated++;
	} else {
		*w |= b;
		s->reordered++;
		s->missing--;
		s->distinct++;
	}
	return true;
}

uint64_t
rx_seq_lost(const struct rx_seq *s, uint64_t sent)
{
	return s->missing + (sent > s->next ? sent - s->next : 0);
}
