/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Miniport SDK: what a miniport implements (an ops table, like DPDK's
 * eth_dev_ops or iflib's if_txrx) and the library calls it makes back.
 * With condis_carrier.h it is everything a miniport needs: a miniport is
 * built against the protocol API and these SDK headers only, never the
 * library's private ones. Protocols do not include this header.
 */
#ifndef CONDIS_MINIPORT_H
#define CONDIS_MINIPORT_H

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include <condis/condis_carrier.h>
#include <condis/condis_nbl.h>
#include <condis/condis_status.h>
#include <condis/condis_tx.h>
#include <condis/condis.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/**
 * Miniport operations. The control-path ops run on the control thread; the
 * data-path ops (tx_*) run on the owner of their transmit queue, per burst
 * (condis_tx.h). The ops marked optional may be NULL, and the library then
 * does without them as each says; condis_adapter_register() refuses a table
 * missing any other.
 */
struct condis_miniport_ops {
	const char *name; /**< miniport name, e.g. "ethdev" */
	/** MiniportCoCreateVc (spec 33): synchronous; store vc, return the miniport VC context. */
	int (*co_create_vc)(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx);
	/**
	 * MiniportCoActivateVc (spec 35-36): SUCCESS or INVALID_DATA. The
	 * library has checked the parameters' ranges and bound the VC to the
	 * queue they pick (condis_vc_tx_queue()); a refusal puts the old
	 * binding back.
	 */
	condis_status_t (*co_activate_vc)(void *miniport_vc_ctx,
					  const struct condis_call_params *params);
	/**
	 * MiniportCoDeactivateVc (spec 37): mark inactive; the library tracks sends
	 * in flight and completes the deactivation when they are all back.
	 * Optional: without it the library's own state change is all there is.
	 */
	void (*co_deactivate_vc)(void *miniport_vc_ctx);
	/** MiniportCoDeleteVc (spec 42): synchronous, frees the VC context. */
	void (*co_delete_vc)(void *miniport_vc_ctx);
	/**
	 * Can the device take every NB of nbl? CONDIS_STATUS_PENDING if so, else
	 * the status the NBL completes with, unsent (spec 59: never truncate).
	 * Called once per NBL before it joins its VC's FIFO.
	 * condis_nbl_check_geometry() does the usual checks.
	 */
	condis_status_t (*tx_check)(void *txq_ctx, const struct condis_nbl *nbl);
	/**
	 * Build the NBs of items[0..n) (n <= CONDIS_TX_BURST) into device frames
	 * and hand them down in order. Adds one to item.nbl->miniport_pending for
	 * every buffer handed down. Returns how many items the device took, a
	 * prefix; everything of the others is unbound (they are sent again
	 * later, spec 76). An item it cannot build (no buffer) gets its NBL's
	 * status set (RESOURCES) and counts as taken; items of an NBL whose
	 * status is no longer PENDING may be skipped the same way.
	 */
	uint16_t (*tx_burst)(void *txq_ctx, const struct condis_tx_item *items, uint16_t n);
	/**
	 * Release what the device let go of since the last call
	 * (condis_nbl_release_ref()), and whatever keeps completion latency
	 * bounded when the queue is idle. Called by every condis_poll().
	 */
	void (*tx_reclaim)(void *txq_ctx);
	/**
	 * Optional fast path, used while nothing is queued on the queue: hand
	 * NBLs of chain straight to the device, in order, each checked as
	 * tx_check would and with nbl->miniport_done = &vt->done and
	 * miniport_pending = its buffers; add to vt->nbs_tx and vt->bytes_tx.
	 * Returns the first NBL not wholly handed down, with the rest of the
	 * chain still linked behind it (condis_tx_hold_partial() if part of it
	 * went down), or NULL. Without it every NBL goes through the FIFO.
	 */
	struct condis_nbl *(*tx_direct)(void *txq_ctx, struct condis_vc_tx *vt,
					struct condis_nbl *chain);
	/**
	 * MiniportCancelSend (spec 88-92) for a miniport that keeps NBLs
	 * queued itself before they reach the device: complete those carrying
	 * cancel_id (condis_nbl_cancel_id()) with CONDIS_STATUS_SEND_ABORTED
	 * by releasing them, the library having already searched its FIFOs.
	 * Runs on the queue's owner, once per queue. Optional: without it a
	 * cancel reaches only the library's FIFOs.
	 */
	void (*tx_cancel)(void *txq_ctx, uintptr_t cancel_id);
	/**
	 * Reset the device (condis_adapter_reset()), with no queue's owner
	 * touching it and every FIFO already emptied by the library: release
	 * what the device freed, abandon what it still keeps with status (as
	 * halt does), and bring it back. Optional: without it a reset only
	 * empties the FIFOs. Returns 0 or a negative errno if the device did
	 * not come back.
	 */
	int (*reset)(void *adapter_ctx, condis_status_t status);
	/**
	 * Quiesce the device for a pause (condis_adapter_pause()), with no
	 * queue's owner touching it and every FIFO emptied: make it give back
	 * the buffers it is done with (ethdev: stop the port). tx_reclaim keeps
	 * running afterwards and must not call into the quiesced device; what
	 * it still holds completes as it lets go. For devices that free sent
	 * buffers only when they reuse the slot. Optional: without it the
	 * owners keep reclaiming while pausing, and the pause completes as the
	 * device frees.
	 */
	void (*pause)(void *adapter_ctx, condis_status_t status);
	/**
	 * Bring the device back after pause (condis_adapter_restart()), on the
	 * caller's thread, while the owners only reclaim. 0, or a negative
	 * errno: the adapter then stays paused (spec 98). Optional.
	 */
	int (*restart)(void *adapter_ctx);
	/**
	 * Halt the device with every queue's FIFO already emptied by the
	 * library: stop it, release what it freed and abandon what it still
	 * keeps (condis_carrier_abandon(): those NBLs complete with status).
	 * Used by condis_adapter_close(); the library then delivers.
	 */
	void (*halt)(void *adapter_ctx, condis_status_t status);
	/** Free the adapter context, after halt and the deletion of every VC.
	 *  Optional: without it condis_adapter_close() leaves the context to its owner. */
	void (*free)(void *adapter_ctx);
};

/**
 * Register a miniport adapter (NdisMRegisterMiniportDriver + initialize).
 *
 * @return the adapter or NULL with rte_errno set.
 */
struct condis_adapter *condis_adapter_register(const struct condis_miniport_ops *ops,
					       void *adapter_ctx, uint16_t nb_tx_queues,
					       uint32_t max_vcs);

/** The miniport context of an adapter. */
void *condis_adapter_ctx(const struct condis_adapter *adapter);

/**
 * Indicate an adapter-wide status to the protocols of its VCs
 * (NdisMCoIndicateStatusEx): CONDIS_STATUS_MEDIA_CONNECT or
 * MEDIA_DISCONNECT on a link change. Each protocol's co_status runs once
 * per VC, on the calling thread. Control path.
 */
void condis_adapter_indicate_status(struct condis_adapter *adapter, condis_status_t status);

/** @name NDIS_MEDIUM values (condis_adapter_general_attributes.medium) */
/**@{*/
#define CONDIS_MEDIUM_802_3 0u /**< NdisMedium802_3: Ethernet */
#define CONDIS_MEDIUM_802_5 1u /**< NdisMedium802_5: token ring */
/**@}*/

/** What condis uses of NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES. */
struct condis_adapter_general_attributes {
	uint32_t medium;               /**< MediaType: CONDIS_MEDIUM_* */
	uint32_t mac_options;          /**< MacOptions: CONDIS_MAC_OPTION_* */
	uint32_t mtu_size;             /**< MtuSize: largest frame less its 14-byte header */
	struct rte_ether_addr current_mac; /**< CurrentMacAddress */
};

/**
 * NdisMSetMiniportAttributes with general attributes: the adapter's medium,
 * MAC options, MTU and address. Without the call an adapter is 802.3 with
 * no MAC options, so condis loops nothing back (the device would). With
 * CONDIS_MAC_OPTION_NO_LOOPBACK on an 802.3 medium the library loops sends
 * back in software (spec 82-84), matching the binding's filter against
 * current_mac. Control path: at open, before protocols bind.
 * @return 0; -EINVAL for NULL arguments or an MTU over what one MDL holds.
 */
int condis_adapter_set_general_attributes(struct condis_adapter *adapter,
					  const struct condis_adapter_general_attributes *attrs);

/**
 * Set the context the data-path ops of a transmit queue receive (txq_ctx);
 * until then it is the adapter context. Control path, before traffic.
 *
 * @return 0, or -EINVAL for a bad queue.
 */
int condis_adapter_set_queue_ctx(struct condis_adapter *adapter, uint16_t tx_queue,
				 void *txq_ctx);

/**
 * The queue's counter of NBLs that waited in a VC's FIFO (did not go down
 * the direct path whole), for a miniport's statistics. 0 for a bad queue.
 */
uint64_t condis_adapter_queue_backlog_nbls(const struct condis_adapter *adapter,
					   uint16_t tx_queue);

/**
 * Make lcore_id the owner of a transmit queue: from then on every send on a
 * VC of the queue is checked, counted, queued and handed to the data-path
 * ops on that lcore, inside its own sends or its condis_poll(); a send from any other
 * thread only hands the chain over, through a lock-free stack. The miniport
 * therefore never sees two threads on one queue. LCORE_ID_ANY (the default)
 * means the caller of each send owns the queue: the protocol keeps to one
 * thread per queue at a time. Control path, before traffic.
 *
 * @return 0; -EINVAL for a bad queue or lcore; -EBUSY while chains wait for
 *   the current owner.
 */
int condis_adapter_set_queue_owner(struct condis_adapter *adapter, uint16_t tx_queue,
				   unsigned int lcore_id);

/** The miniport's context of a VC. */
void *condis_vc_miniport_ctx(const struct condis_vc *vc);


#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_MINIPORT_H */
