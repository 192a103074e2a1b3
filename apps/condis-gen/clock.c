/* SPDX-License-Identifier: BSD-3-Clause */
/* Wall-clock nanoseconds from the TSC: one clock_gettime at start, then arithmetic. */
#include <time.h>

#include <rte_cycles.h>

#include "gen.h"

static uint64_t base_tsc, base_ns;
static double ns_per_tsc;

void
gen_clock_init(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	base_tsc = rte_rdtsc();
	base_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	ns_per_tsc = 1e9 / (double)rte_get_tsc_hz();
}

uint64_t
gen_tsc_to_ns(uint64_t tsc)
{
	return base_ns + (uint64_t)((double)(tsc - base_tsc) * ns_per_tsc);
}
