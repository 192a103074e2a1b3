/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "latency.h"

void
gen_latency_init(struct gen_latency *l)
{
	memset(l, 0, sizeof(*l));
	l->min = UINT64_MAX;
}

void
gen_latency_merge(struct gen_latency *dst, const struct gen_latency *src)
{
	unsigned int i;

	for (i = 0; i < GEN_LAT_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

/* Largest value that falls in bucket b. */
static uint64_t
bucket_upper(unsigned int b)
{
	unsigned int msb, sub;

	if (b < GEN_LAT_SUB)
		return b;
	msb = b / GEN_LAT_SUB + 2;
	sub = b % GEN_LAT_SUB;
	return ((uint64_t)(GEN_LAT_SUB + sub + 1) << (msb - 3)) - 1;
}

uint64_t
gen_latency_quantile(const struct gen_latency *l, double q)
{
	uint64_t target, seen = 0;
	unsigned int b;

	if (l->count == 0)
		return 0;
	target = (uint64_t)(q * (double)l->count);
	if (target >= l->count)
		target = l->count - 1;
	for (b = 0; b < GEN_LAT_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen > target) {
			uint64_t v = bucket_upper(b);

			return v > l->max ? l->max : v < l->min ? l->min : v;
		}
	}
	return l->max;
}

void
gen_latency_bucket_bounds(unsigned int b, uint64_t *lo, uint64_t *hi)
{
	*lo = b == 0 ? 0 : bucket_upper(b - 1) + 1;
	*hi = bucket_upper(b);
}

void
gen_latency_merge_live(struct gen_latency *dst, const struct gen_latency *src)
{
	uint64_t count = 0, v;
	unsigned int i;

	/* The writer adds without a lock: read each word once, and take the
	 * count as the buckets' sum, so the quantiles stay consistent. */
	for (i = 0; i < GEN_LAT_BUCKETS; i++) {
		v = __atomic_load_n(&src->bucket[i], __ATOMIC_RELAXED);
		dst->bucket[i] += v;
		count += v;
	}
	dst->count += count;
	dst->sum += __atomic_load_n(&src->sum, __ATOMIC_RELAXED);
	v = __atomic_load_n(&src->min, __ATOMIC_RELAXED);
	if (v < dst->min)
		dst->min = v;
	v = __atomic_load_n(&src->max, __ATOMIC_RELAXED);
	if (v > dst->max)
		dst->max = v;
}
