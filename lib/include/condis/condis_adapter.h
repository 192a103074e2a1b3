/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Adapters as protocols see them: queues and close. An adapter comes from
 * its miniport (condis_ethdev_open() for DPDK ports).
 */
#ifndef CONDIS_ADAPTER_H
#define CONDIS_ADAPTER_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_adapter;

/** Number of transmit queues of an adapter. */
uint16_t condis_adapter_tx_queues(const struct condis_adapter *adapter);

#include <condis/condis_status.h>

/**
 * Adapter states as a send sees them (spec 95). An adapter is RUNNING from
 * its miniport's open (NDIS's initialize, which ends paused, followed at once
 * by a restart); condis_adapter_pause() and condis_adapter_restart() move it.
 */
enum condis_adapter_state {
	CONDIS_ADAPTER_RUNNING = 0,  /**< sends accepted */
	CONDIS_ADAPTER_PAUSING = 1,  /**< sends complete PAUSED; waiting for outstanding ones */
	CONDIS_ADAPTER_PAUSED = 2,   /**< nothing outstanding; sends complete PAUSED */
};

/** The adapter's state (read from any thread; a snapshot). */
enum condis_adapter_state condis_adapter_state(const struct condis_adapter *adapter);

/**
 * Pause the adapter (MiniportPause, spec 96-99). From the call on, every send
 * on it completes at once with PAUSED (on the owner of its queue); NBLs still
 * queued in software complete PAUSED, handed back by the queue's next
 * condis_poll() (completions come only from send, poll and close); NBLs the
 * device has complete as it releases them. VCs stay active. Control path.
 *
 * @return SUCCESS when nothing is outstanding (the adapter is PAUSED);
 *   PENDING otherwise: keep polling, the adapter becomes PAUSED in the
 *   condis_poll() that completes the last outstanding NBL; FAILURE if it is
 *   not RUNNING or adapter is NULL.
 */
condis_status_t condis_adapter_pause(struct condis_adapter *adapter);

/**
 * Restart a PAUSED adapter (MiniportRestart, spec 98): sends are accepted
 * again. Control path.
 *
 * @return SUCCESS; FAILURE if the adapter is not PAUSED (a PAUSING adapter
 *   stays so; a failed restart leaves it paused).
 */
condis_status_t condis_adapter_restart(struct condis_adapter *adapter);

/**
 * Reset the adapter (MiniportResetEx, spec 100-104). Protocols get
 * CONDIS_STATUS_RESET_START (co_status) first. Then every send on the
 * adapter completes at once with RESET_IN_PROGRESS, and so does every NBL
 * still queued in software; once each queue's owner has stopped at its
 * next condis_poll() (the caller stands in for queues it owns or that have
 * none), the miniport resets the device (its reset op: for ethdev the port
 * is stopped and started; what the device still held completes
 * RESET_IN_PROGRESS too), sends are accepted again and protocols get
 * CONDIS_STATUS_RESET_END from that thread. Every NBL pending at the reset
 * is handed back by its queue's first poll after it. The adapter state
 * (running, paused) is unchanged. Control path.
 *
 * @return SUCCESS if the reset is over on return; PENDING if it waits for
 *   other lcores' polls; RESET_IN_PROGRESS during another reset; FAILURE
 *   for a NULL adapter or if the device failed to come back (the adapter
 *   then accepts sends, which the device may refuse).
 */
condis_status_t condis_adapter_reset(struct condis_adapter *adapter);

/** Is a reset of the adapter under way? (A snapshot, from any thread.) */
bool condis_adapter_resetting(const struct condis_adapter *adapter);

/**
 * Close an adapter, as NDIS does it: a pause, then a halt. Every NBL still
 * queued or in flight on any VC completes (PAUSED if it never reached the
 * device, spec 96-97), every VC is deleted, the miniport halts. Sends made meanwhile (from completion handlers) are refused
 * with -ESHUTDOWN. Call when no lcore polls the adapter and no thread sends
 * on it. The adapter's VC handles are dead afterwards: do not pass them to
 * any call.
 *
 * An NBL whose buffers a PMD still holds after the port stopped (net_ring)
 * completes with PAUSED too; its MDLs stay marked busy until the PMD
 * frees them, so a resend of the same memory copies it or completes with
 * RESOURCES instead of reusing a buffer the old device may still read.
 */
void condis_adapter_close(struct condis_adapter *adapter);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_ADAPTER_H */
