/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Virtual connections: create, activate, deactivate, delete, state and
 * counters (spec B).
 */
#ifndef CONDIS_VC_H
#define CONDIS_VC_H

#include <stdint.h>

#include <condis/condis_protocol.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_adapter;
struct condis_vc;

/** VC states. */
enum condis_vc_state {
	CONDIS_VC_CREATED = 0,   /**< created, never activated */
	CONDIS_VC_ACTIVE,        /**< activated: carries data */
	CONDIS_VC_DEACTIVATING,  /**< deactivation pending on sends in flight */
	CONDIS_VC_INACTIVE,      /**< deactivated; may be reactivated or deleted */
	CONDIS_VC_DELETED,       /**< deleted: the handle is dead */
};

/**
 * @name Queue choice (spec 78-79): tx_queue values that let the VC's queue
 * follow a property of the connection, as connectionless NDIS spreads
 * connections over queues; every NBL of the VC then uses that one queue.
 */
/**@{*/
/** By 802.1p user priority (without DCB): user_priority % queues. */
#define CONDIS_TXQ_AUTO UINT16_MAX
/** By DCB traffic class: traffic_class % queues. */
#define CONDIS_TXQ_BY_CLASS (UINT16_MAX - 1)
/** By the connection's hash (RSS-style): flow_hash % queues. */
#define CONDIS_TXQ_BY_HASH (UINT16_MAX - 2)
/**@}*/

/** Call (activation) parameters: what a call manager would negotiate. */
struct condis_call_params {
	uint8_t user_priority;   /**< 802.1p priority, 0-7; picks the queue when tx_queue is AUTO */
	uint8_t traffic_class;   /**< DCB traffic class, 0-7; picks the queue with CONDIS_TXQ_BY_CLASS */
	uint16_t tx_queue;       /**< transmit queue, or CONDIS_TXQ_AUTO / _BY_CLASS / _BY_HASH */
	uint32_t flow_hash;      /**< the connection's hash; picks the queue with CONDIS_TXQ_BY_HASH */
	uint64_t peak_rate_bps;  /**< informational; 0 = line rate */
};

/**
 * The queue call parameters pick among nb_queues (spec 78-79): tx_queue
 * itself, or the one CONDIS_TXQ_AUTO, _BY_CLASS or _BY_HASH picks. An
 * explicit queue may be out of range: activation then gives INVALID_DATA.
 */
uint16_t condis_call_params_tx_queue(const struct condis_call_params *params,
				     uint16_t nb_queues);

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
	/** NBs of sends with CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK indicated back (spec 82) */
	uint64_t loopback_nbs;
	/** NBs the binding's filter accepted but that were not looped: the
	 *  adapter's loopback pool was empty, or too deep a nesting */
	uint64_t loopback_dropped;
};

/** Read a VC's counters. @return 0 or -EINVAL. */
int condis_vc_stats_get(const struct condis_vc *vc, struct condis_vc_stats *stats);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_VC_H */
