/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Protocols, adapters, virtual connections and the CoNDIS send path
 * (spec B, C, D, E).
 *
 * Conventions: VC lifecycle calls return NDIS statuses (their results are
 * NDIS's: NOT_ACCEPTED, CLOSING, PENDING, ...); object constructors return
 * NULL and set rte_errno; other calls return 0 or -errno. An attribute is
 * read with condis_<object>_<attribute>(); a call that fills the caller's
 * struct ends in _get (condis_vc_stats_get(), as rte_eth_stats_get()).
 *
 * Threads: every transmit queue of an adapter is owned by one lcore, which
 * calls condis_poll() for it (the miniport names it; without one, the caller
 * of each send owns the queue and keeps to one thread per queue at a time).
 * condis_co_send_nbls() may be called from any thread, one thread per VC at
 * a time. A send on the owner is checked and handed to the miniport at once;
 * a send from any other thread only takes ownership of the NBLs and hands
 * the chain to the owner through a lock-free, unbounded stack, never
 * waiting, and the owner checks and sends it before its own next send on the
 * queue or in its next condis_poll(), so per-VC order holds across threads
 * (spec 73). Completion handlers therefore always run on the owner: inside
 * condis_poll(), or inside the owner's own condis_co_send_nbls() for NBLs
 * refused at once (an inactive VC, a foreign SourceHandle, a bad length;
 * spec 57). VC control calls (activate, deactivate, delete) must not run
 * concurrently with condis_poll() or the owner's sends on the VC's queue.
 * A client closing a call stops sending first (spec 40), but a send that
 * races the deactivation from another thread is still safe: it is either
 * transmitted before the deactivation completes, or completes with CLOSING
 * or VC_NOT_ACTIVATED; condis_vc_delete() refuses until it is back (no
 * send may race condis_vc_delete() itself: the handle dies there).
 */
#ifndef CONDIS_VC_H
#define CONDIS_VC_H

#include <stdint.h>

#include <condis/condis_nbl.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_protocol;
struct condis_adapter;
struct condis_vc;

/** Protocol (client) handlers. */
struct condis_protocol_ops {
	/**
	 * ProtocolCoSendNetBufferListsComplete (spec 60, 69, 70): a chain of NBLs of
	 * one VC, each with its status set. Called once per VC per completion batch.
	 * The protocol owns the NBLs again from this call on. Required.
	 */
	void (*co_send_complete)(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags);
	/**
	 * A deactivation that returned CONDIS_STATUS_PENDING has finished: every
	 * send on the VC has completed (spec 38). Optional.
	 */
	void (*co_deactivate_complete)(void *protocol_vc_ctx, condis_status_t status);
};

/**
 * Register a protocol (NdisRegisterProtocolDriver).
 *
 * @return the protocol handle, or NULL with rte_errno EINVAL (no completion
 *   handler) or ENOMEM.
 */
struct condis_protocol *condis_protocol_register(const char *name,
						 const struct condis_protocol_ops *ops);

/** Deregister a protocol. @return 0, or -EBUSY while it has VCs. */
int condis_protocol_deregister(struct condis_protocol *protocol);

/** VC states. */
enum condis_vc_state {
	CONDIS_VC_CREATED = 0,   /**< created, never activated */
	CONDIS_VC_ACTIVE,        /**< activated: carries data */
	CONDIS_VC_DEACTIVATING,  /**< deactivation pending on sends in flight */
	CONDIS_VC_INACTIVE,      /**< deactivated; may be reactivated or deleted */
	CONDIS_VC_DELETED,       /**< deleted: the handle is dead */
};

/** Let the miniport choose the transmit queue (by user priority). */
#define CONDIS_TXQ_AUTO UINT16_MAX

/** Call (activation) parameters: what a call manager would negotiate. */
struct condis_call_params {
	uint8_t user_priority;   /**< 802.1p priority, 0-7; picks the queue when tx_queue is AUTO */
	uint8_t traffic_class;   /**< DCB traffic class, 0-7 (informational) */
	uint16_t tx_queue;       /**< transmit queue, or CONDIS_TXQ_AUTO */
	uint64_t peak_rate_bps;  /**< informational; 0 = line rate */
};

/**
 * Create a VC on an adapter (NdisCoCreateVc, spec 31, 33). Synchronous.
 *
 * @param protocol
 *   The protocol that owns the VC (condis_protocol_register()).
 * @param adapter
 *   The adapter to create it on (condis_ethdev_open()).
 * @param protocol_vc_ctx
 *   The protocol's per-VC context, handed back to its handlers (spec 70).
 * @return the VC handle, or NULL with rte_errno EINVAL or ENOSPC (VC table full)
 *   or the miniport's error.
 */
struct condis_vc *condis_vc_create(struct condis_protocol *protocol,
				   struct condis_adapter *adapter, void *protocol_vc_ctx);

/**
 * Activate a VC, or change an active VC's parameters (spec 34-36).
 *
 * @return CONDIS_STATUS_SUCCESS; CONDIS_STATUS_INVALID_DATA for parameters the
 *   miniport does not support (an active VC keeps its old parameters);
 *   CONDIS_STATUS_FAILURE for a deleted or deactivating VC.
 */
condis_status_t condis_vc_activate(struct condis_vc *vc, const struct condis_call_params *params);

/**
 * Deactivate a VC (spec 37-39). New sends complete with CONDIS_STATUS_CLOSING
 * while it is pending and CONDIS_STATUS_VC_NOT_ACTIVATED after. NBLs already
 * handed to the miniport are still transmitted (graceful close) and complete
 * normally; a chain sent from another thread that the queue's owner has not
 * taken yet counts as in flight, and completes with CLOSING when it does.
 *
 * @return CONDIS_STATUS_SUCCESS if nothing was in flight; CONDIS_STATUS_PENDING
 *   otherwise, and co_deactivate_complete follows once every send on the VC
 *   has completed; CONDIS_STATUS_FAILURE if the VC was not active.
 */
condis_status_t condis_vc_deactivate(struct condis_vc *vc);

/**
 * Delete a VC (NdisCoDeleteVc, spec 41-42). Synchronous.
 *
 * @return CONDIS_STATUS_SUCCESS (handle dead from now on);
 *   CONDIS_STATUS_NOT_ACCEPTED if the VC is active; CONDIS_STATUS_CLOSING if
 *   deactivation is pending or a send that raced it has not completed yet
 *   (poll, then retry); CONDIS_STATUS_FAILURE for a bad handle.
 */
condis_status_t condis_vc_delete(struct condis_vc *vc);

/** State of a VC, CONDIS_VC_DELETED for a dead or NULL handle. */
enum condis_vc_state condis_vc_state(const struct condis_vc *vc);

/** The transmit queue a VC is bound to (valid once activated). */
uint16_t condis_vc_tx_queue(const struct condis_vc *vc);

/** Per-VC counters. */
struct condis_vc_stats {
	uint64_t nbls_sent;       /**< NBLs accepted by condis_co_send_nbls() */
	uint64_t nbls_completed;  /**< NBLs handed back, any status */
	uint64_t nbls_failed;     /**< of those, with a status other than SUCCESS */
	uint64_t nbs_tx;          /**< NBs handed to the device */
	uint64_t bytes_tx;        /**< bytes of those NBs (before padding and tags) */
	uint32_t in_flight;       /**< NBLs accepted and not completed */
	uint32_t queued;          /**< of those, waiting in the VC's software FIFO */
};

/** Read a VC's counters. @return 0 or -EINVAL. */
int condis_vc_stats_get(const struct condis_vc *vc, struct condis_vc_stats *stats);

/**
 * Send a chain of NBLs on a VC (NdisCoSendNetBufferLists, spec 45-59).
 *
 * Ownership of every NBL passes at the call (spec 48) and each comes back
 * exactly once through the protocol's co_send_complete, with a status:
 * - SUCCESS once the device released every buffer of every NB;
 * - INVALID_LENGTH for an NB of length 0, longer than the port's MTU + 14,
 *   or in more MDL pieces than the device takes (never truncated; nothing
 *   of the NBL is sent);
 * - RESOURCES when a buffer is already held by another send (on any queue,
 *   any thread) and no bounce buffer is free to copy it into;
 * - VC_NOT_ACTIVATED before activation and after deactivation, CLOSING while
 *   deactivation is pending (spec 44);
 * - FAILURE for a foreign SourceHandle, an NBL without NBs, or an NB whose
 *   data runs past its MDL chain;
 * - REQUEST_ABORTED for NBLs still held when the adapter closes.
 * A NULL SourceHandle is stamped with vc. Chain order is wire order and
 * per-VC order holds across calls (spec 47, 73). Frames under 60 bytes are
 * zero-padded to 60 (before any 802.1Q tag) outside protocol memory.
 *
 * @return
 *   0 when the chain was taken (including an empty chain); -EINVAL for a
 *   NULL or deleted VC, or an NBL that is not an allocated condis NBL
 *   (foreign or freed); -EBUSY for an NBL the stack already owns (sent
 *   twice); -ESHUTDOWN while condis_adapter_close() runs (a completion
 *   handler that resends gets this). On error nothing is taken: the caller
 *   still owns every NBL
 *   (those before the offending one read status PENDING and, if their
 *   SourceHandle was NULL, carry vc in it).
 */
int condis_co_send_nbls(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags);

/**
 * Poll a transmit queue: move queued NBLs to the device, reap buffers the
 * device released, and deliver completions (one handler call per VC).
 * Call on the queue's owning lcore.
 *
 * @return NBLs completed in this call, or -EINVAL.
 */
int condis_poll(struct condis_adapter *adapter, uint16_t tx_queue);

/**
 * Prefetch what a send on vc and its completion touch (the VC and the
 * miniport's per-VC state) into the cache. For protocols that send on many
 * VCs in turn, whose per-VC state does not stay cached between turns: call
 * it a turn ahead. It reads *vc, so vc itself should be in cache by then
 * (rte_prefetch0(vc) a turn earlier still); condis-gen's round robin shows
 * the pipeline (apps/condis-gen/worker.c).
 */
void condis_vc_prefetch(const struct condis_vc *vc);

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

#endif /* CONDIS_VC_H */
