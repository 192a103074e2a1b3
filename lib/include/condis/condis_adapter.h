/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Adapters as protocols see them: queues and close. An adapter comes from
 * its miniport (condis_ethdev_open() for DPDK ports).
 */
#ifndef CONDIS_ADAPTER_H
#define CONDIS_ADAPTER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_adapter;

/** Number of transmit queues of an adapter. */
uint16_t condis_adapter_tx_queues(const struct condis_adapter *adapter);

/**
 * Close an adapter: every NBL still queued or in flight on any VC completes
 * (REQUEST_ABORTED if it never reached the device), every VC is deleted, the
 * miniport halts. Sends made meanwhile (from completion handlers) are refused
 * with -ESHUTDOWN. Call when no lcore polls the adapter and no thread sends
 * on it. The adapter's VC handles are dead afterwards: do not pass them to
 * any call.
 *
 * An NBL whose buffers a PMD still holds after the port stopped (net_ring)
 * completes with REQUEST_ABORTED; its MDLs stay marked busy until the PMD
 * frees them, so a resend of the same memory copies it or completes with
 * RESOURCES instead of reusing a buffer the old device may still read.
 */
void condis_adapter_close(struct condis_adapter *adapter);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_ADAPTER_H */
