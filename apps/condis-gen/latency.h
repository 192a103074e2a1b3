/* SPDX-License-Identifier: BSD-3-Clause */
/* Log-linear latency histogram: 8 sub-buckets per power of two of TSC cycles. */
#ifndef CONDIS_GEN_LATENCY_H
#define CONDIS_GEN_LATENCY_H

#include <stdint.h>

#define GEN_LAT_SUB 8
#define GEN_LAT_BUCKETS (64 * GEN_LAT_SUB)

struct gen_latency {
	uint64_t count;
	uint64_t min, max;
	uint64_t sum;           /* of the values: the mean (no overflow below 2^64) */
	uint64_t bucket[GEN_LAT_BUCKETS];
};

void gen_latency_init(struct gen_latency *l);
void gen_latency_merge(struct gen_latency *dst, const struct gen_latency *src);
/* gen_latency_merge() of a histogram another thread is adding to. */
void gen_latency_merge_live(struct gen_latency *dst, const struct gen_latency *src);
/* Cycles at quantile q (0..1), upper edge of its bucket. */
uint64_t gen_latency_quantile(const struct gen_latency *l, double q);
/* The smallest and largest value bucket b holds (inclusive). */
void gen_latency_bucket_bounds(unsigned int b, uint64_t *lo, uint64_t *hi);

static inline void
gen_latency_add(struct gen_latency *l, uint64_t cycles, uint64_t n)
{
	unsigned int b;

	if (cycles < GEN_LAT_SUB) {
		b = (unsigned int)cycles;
	} else {
		unsigned int msb = 63 - (unsigned int)__builtin_clzll(cycles);

		b = (msb - 2) * GEN_LAT_SUB + (unsigned int)((cycles >> (msb - 3)) & (GEN_LAT_SUB - 1));
	}
	l->bucket[b] += n;
	l->count += n;
	l->sum += cycles * n;
	if (cycles < l->min)
		l->min = cycles;
	if (cycles > l->max)
		l->max = cycles;
}

#endif /* CONDIS_GEN_LATENCY_H */
