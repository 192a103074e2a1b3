/* SPDX-License-Identifier: BSD-3-Clause */
/* Wall-clock nanoseconds from the TSC: one calibration at start, then arithmetic. */
#include <time.h>

#include <rte_cycles.h>

#include "gen.h"

/* How long the TSC is measured against CLOCK_MONOTONIC_RAW: a read takes well
 * under 1 µs, so the rate is good to a few parts per million. */
#define CALIBRATE_NS 50000000

static uint64_t base_tsc, base_ns;
static double ns_per_tsc, tsc_hz;

static uint64_t
ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A clock reading and the TSC at its midpoint. */
static uint64_t
ts_ns_tsc(uint64_t *tsc)
{
	uint64_t t0 = rte_rdtsc(), ns = ts_ns(CLOCK_MONOTONIC_RAW);

	*tsc = t0 + (rte_rdtsc() - t0) / 2;
	return ns;
}

/* rte_get_tsc_hz() can be an estimate rounded to 10 MHz (0.2 % off at
 * 2.6 GHz); rates and durations need the TSC's own rate. */
void
gen_clock_init(void)
{
	uint64_t tsc0, tsc1, ns0 = ts_ns_tsc(&tsc0), ns1;
	struct timespec nap = { .tv_nsec = CALIBRATE_NS };

	nanosleep(&nap, NULL);
	ns1 = ts_ns_tsc(&tsc1);
	tsc_hz = ns1 > ns0 && tsc1 > tsc0 ? (double)(tsc1 - tsc0) * 1e9 / (double)(ns1 - ns0) :
					    (double)rte_get_tsc_hz();
	ns_per_tsc = 1e9 / tsc_hz;
	base_ns = ts_ns(CLOCK_REALTIME);
	base_tsc = rte_rdtsc();
}

double
gen_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
gen_tsc_to_ns(uint64_t tsc)
{
	return base_ns + (uint64_t)((double)(tsc - base_tsc) * ns_per_tsc);
}

uint64_t
gen_mono_ns(void)
{
	return ts_ns(CLOCK_MONOTONIC);
}
