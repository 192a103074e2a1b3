/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen --rx's sequence accounting (apps/condis-gen/rx_seq.c): lost,
 * duplicated, reordered and too late, each exact, against a plain model that
 * remembers every sequence number, over seeded random impairments.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "condis_test.h"
#include "rx_seq.h"

static struct rx_seq s;

static void
feed(const uint64_t *seq, unsigned int n)
{
	unsigned int i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < n; i++)
		rx_seq_add(&s, seq[i]);
}

static void
test_fixed_cases(void)
{
	static const uint64_t in_order[] = { 0, 1, 2, 3, 4 };
	static const uint64_t lost_one[] = { 0, 1, 3, 4 };
	static const uint64_t dup_one[] = { 0, 1, 1, 2 };
	static const uint64_t swapped[] = { 0, 2, 1, 3 };
	static const uint64_t late_start[] = { 5, 6 };

	feed(in_order, 5);
	CHECK_EQ(s.distinct, 5);
	CHECK_EQ(rx_seq_lost(&s, 5), 0);
	CHECK_EQ(rx_seq_lost(&s, 7), 2); /* two sent after the last seen: tail loss */
	CHECK_EQ(s.duplicated + s.reordered + s.too_late, 0);
	feed(lost_one, 4);
	CHECK_EQ(rx_seq_lost(&s, 0), 1);
	CHECK_EQ(s.duplicated + s.reordered, 0);
	feed(dup_one, 4);
	CHECK_EQ(s.duplicated, 1);
	CHECK_EQ(rx_seq_lost(&s, 3), 0);
	CHECK_EQ(s.reordered, 0);
	feed(swapped, 4);
	CHECK_EQ(s.reordered, 1);
	CHECK_EQ(rx_seq_lost(&s, 4), 0);
	CHECK_EQ(s.duplicated, 0);
	feed(late_start, 2);
	CHECK_EQ(rx_seq_lost(&s, 7), 5); /* 0-4 never came */
}

/* A corrupt stamp far ahead is refused, and the sequence goes on as before. */
static void
test_corrupt_jump(void)
{
	static const uint64_t seqs[] = { 0, 1, 2, UINT64_MAX, 3, RX_SEQ_MAX_JUMP + 10, 4 };
	unsigned int i, refused = 0;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < RTE_DIM(seqs); i++)
		refused += !rx_seq_add(&s, seqs[i]);
	CHECK_EQ(refused, 2);
	CHECK_EQ(s.frames, 5);
	CHECK_EQ(s.next, 5);
	CHECK_EQ(rx_seq_lost(&s, 5), 0);
	CHECK_EQ(s.duplicated + s.reordered + s.too_late, 0);
}

/* Beyond the window a frame cannot be told apart: too late, and the hole it
 * may have filled stays lost; inside it everything is exact. */
static void
test_window_edge(void)
{
	uint64_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i <= RX_SEQ_WINDOW + 10; i++)
		if (i != 3 && i != 20)
			rx_seq_add(&s, i);
	rx_seq_add(&s, 3);  /* next - 3 > WINDOW: too late */
	rx_seq_add(&s, 20); /* next - 20 <= WINDOW: reordered */
	rx_seq_add(&s, 21); /* a repeat inside the window */
	CHECK_EQ(s.too_late, 1);
	CHECK_EQ(s.reordered, 1);
	CHECK_EQ(s.duplicated, 1);
	CHECK_EQ(rx_seq_lost(&s, 0), 1);
	/* A jump past the whole window: all of it missing, nothing left marked. */
	rx_seq_add(&s, s.next + 3 * RX_SEQ_WINDOW + 5);
	CHECK_EQ(rx_seq_lost(&s, 0), 1 + 3 * RX_SEQ_WINDOW + 5);
	rx_seq_add(&s, s.next - 2); /* one of the gap, inside the window */
	CHECK_EQ(s.reordered, 2);
	CHECK_EQ(rx_seq_lost(&s, 0), 3 * RX_SEQ_WINDOW + 5);
}

/* Random streams: drops, repeats, and moves by up to 1.5 windows, against a
 * model that keeps every sequence number seen and when. */
static void
test_against_model(void)
{
	enum { N = 200000 };
	static uint64_t out[2 * N];
	static uint8_t times_seen[N];
	unsigned int round;

	for (round = 0; round < 20; round++) {
		uint64_t dup = 0, reo = 0, late = 0, hi = 0, i;
		unsigned int n = 0, k;
		bool any = false;

		srand(round + 1);
		for (i = 0; i < N; i++) {
			int r = rand() % 1000;

			if (r < 10)
				continue;                /* dropped */
			out[n++] = i;
			if (r < 15)
				out[n++] = i;            /* repeated at once */
		}
		/* Moves: take a frame and put it up to 1.5 windows later. */
		for (k = 0; k < n / 500; k++) {
			unsigned int a = (unsigned int)rand() % n;
			unsigned int d = 1 + (unsigned int)rand() % (3 * RX_SEQ_WINDOW / 2);
			unsigned int b = a + d < n ? a + d : n - 1, j;
			uint64_t v = out[a];

			for (j = a; j < b; j++)
				out[j] = out[j + 1];
			out[b] = v;
		}
		/* The model: every number's arrival, the highest so far. */
		memset(times_seen, 0, sizeof(times_seen));
		for (k = 0; k < n; k++) {
			uint64_t q = out[k];

			if (any && q < hi + 1 && hi + 1 - q > RX_SEQ_WINDOW)
				late++;
			else if (times_seen[q])
				dup++;
			else if (any && q < hi)
				reo++;
			if (!(any && q < hi + 1 && hi + 1 - q > RX_SEQ_WINDOW))
				times_seen[q] = 1;
			if (!any || q > hi)
				hi = q;
			any = true;
		}
		feed(out, n);
		CHECK_EQ(s.frames, n);
		CHECK_EQ(s.duplicated, dup);
		CHECK_EQ(s.reordered, reo);
		CHECK_EQ(s.too_late, late);
		{
			uint64_t missing = 0;

			for (i = 0; i < N; i++)
				missing += !times_seen[i];
			CHECK_EQ(rx_seq_lost(&s, N), missing);
		}
	}
}

int
main(void)
{
	static const struct condis_test_case cases[] = {
		{ "lost, duplicated, reordered, tail loss", test_fixed_cases },
		{ "the window's edge: too late, exact inside", test_window_edge },
		{ "a corrupt stamp far ahead is refused", test_corrupt_jump },
		{ "random drops, repeats and moves against a model", test_against_model },
	};

	return condis_test_run(cases, RTE_DIM(cases));
}
