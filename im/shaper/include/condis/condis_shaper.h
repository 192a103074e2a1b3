/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The per-VC shaper: an intermediate driver (spec 106-110) between the
 * protocols that open VCs on it and an adapter below. It is a miniport to
 * the protocols above and a protocol to the adapter below, written in NDIS
 * terms (condis/ndis.h) as a Windows IM driver would be, and it holds every
 * VC to the peak rate of its call parameters (condis_call_params.peak_rate_bps,
 * FLOWSPEC PeakBandwidth) with a token bucket: what a VC sends over its rate
 * waits, in order, in the shaper, and goes down as tokens come.
 *
 * The rate counts frame bytes as a receiver sees them: the frame padded to
 * 60 bytes, plus 4 bytes of FCS (an 802.1Q tag added below is not counted).
 * A VC with no peak rate is not held back.
 *
 * Threads: the shaper adapter has one transmit queue; whoever polls it
 * (condis_poll(shaper, 0)) also drives the adapter below (condis_poll() of
 * each of its queues), so the lower completions, and with them the upward
 * ones, run on that thread. The lower adapter's queues must be owned by
 * that lcore or by none.
 */
#ifndef CONDIS_SHAPER_H
#define CONDIS_SHAPER_H

#include <stdint.h>

#include <condis/condis.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Shaper parameters. */
struct condis_shaper_params {
	/** Bucket depth in bytes: how much a VC may send at once after an
	 *  idle time, and how long a stall of the polling thread may last
	 *  before the VC loses rate (bytes_credit_lost); 0 for the default,
	 *  1 ms at the VC's rate but at least two 1522-byte frames. */
	uint32_t burst_bytes;
	/** VCs at once on the shaper (its VC table); 0 for 1024. */
	uint32_t max_vcs;
};

/** Shaper counters (all VCs). */
struct condis_shaper_stats {
	uint64_t nbls_forwarded; /**< NBLs sent down */
	uint64_t bytes_forwarded; /**< their frame bytes, as the rate counts them */
	uint64_t nbls_delayed;   /**< NBLs that waited for tokens */
	uint64_t nbls_aborted;   /**< NBLs completed upward without going down */
	/** Credit backlogged VCs lost because the poll came later than their
	 *  buckets last (a stalled or overloaded thread): the rate they missed. */
	uint64_t bytes_credit_lost;
	uint32_t queued;         /**< NBLs waiting for tokens now */
	uint32_t in_flight;      /**< NBLs down and not completed yet */
};

/**
 * Stack a shaper on lower. Control path.
 * @return the shaper adapter, for protocols to open VCs on, or NULL with
 *   rte_errno set (EINVAL, ENOMEM, EIO).
 */
struct condis_adapter *condis_shaper_open(struct condis_adapter *lower,
					  const struct condis_shaper_params *params);

/** Read the shaper's counters. @return 0, or -EINVAL for another adapter. */
int condis_shaper_stats_get(const struct condis_adapter *shaper,
			    struct condis_shaper_stats *stats);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_SHAPER_H */
