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
#include <condis/condis.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/**
 * Miniport operations. Every op runs on the control path except
 * co_send_nbls and poll, which run on the queue's owner. The ops marked
 * optional may be NULL, and the library then does without them as each
 * says; condis_adapter_register() refuses a table missing any other.
 */
struct condis_miniport_ops {
	const char *name; /**< miniport name, e.g. "ethdev" */
	/** MiniportCoCreateVc (spec 33): synchronous; store vc, return the miniport VC context. */
	int (*co_create_vc)(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx);
	/** MiniportCoActivateVc (spec 35-36): SUCCESS or INVALID_DATA. */
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
	 * MiniportCoSendNetBufferLists (spec 51-52): accept every NBL of the
	 * chain (all of one VC, status PENDING, owned by the stack) and complete
	 * each later with condis_mco_send_complete().
	 */
	void (*co_send_nbls)(void *miniport_vc_ctx, struct condis_nbl *chain, uint32_t flags);
	/** Add the miniport's per-VC counters (nbs_tx, bytes_tx, queued).
	 *  Optional: without it condis_vc_stats_get() reports those as 0. */
	void (*co_vc_stats)(void *miniport_vc_ctx, struct condis_vc_stats *stats);
	/** Drive transmit queue txq; return NBLs completed. */
	int (*poll)(void *adapter_ctx, uint16_t txq);
	/**
	 * Complete every NBL the miniport holds, with status for those that
	 * never reached the device, then stop. Used by condis_adapter_close().
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
 * Make lcore_id the owner of a transmit queue: from then on every send on a
 * VC of the queue is checked, counted and handed to co_send_nbls on that
 * lcore, inside its own sends or its condis_poll(); a send from any other
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

/**
 * Does a chain sent on vc from another thread still wait for the owner of
 * the VC's queue? A miniport that moves a VC to another queue at
 * reactivation refuses while this holds (the chain would go to the old
 * queue). Control path.
 */
bool condis_vc_handoff_pending(const struct condis_vc *vc);

/**
 * NdisMCoSendNetBufferListsComplete (spec 60-72): hand back a chain of NBLs
 * of vc, each with its final status set (never PENDING). The library sets
 * SUCCESS on NBLs still marked PENDING, returns ownership to the protocol
 * and calls its handler once for the chain.
 */
void condis_mco_send_complete(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags);

/** Record the transmit queue the miniport bound a VC to (condis_vc_tx_queue()). */
void condis_vc_bind_tx_queue(struct condis_vc *vc, uint16_t tx_queue);

/** The miniport's context of a VC. */
void *condis_vc_miniport_ctx(const struct condis_vc *vc);

/**
 * @name Done lists: where released NBLs gather until the miniport delivers them.
 *
 * A miniport keeps one done list per VC and one done queue per transmit
 * queue. When it hands an NBL's buffers to the device it sets
 * nbl->miniport_done and nbl->miniport_pending (carriers held, + 1 while it still holds
 * NBs back). Each carrier the device frees decrements miniport_pending; at 0 the
 * NBL is appended to its done list, and a list that becomes non-empty is
 * linked on its queue. All of this runs on the queue's owning lcore, so no
 * atomics are needed.
 */
/**@{*/
struct condis_done_queue;

/** NBLs of one VC that are ready to complete. */
struct condis_done_list {
	struct condis_nbl *head;          /**< first NBL, when tailp != &head */
	struct condis_nbl **tailp;        /**< where the next NBL links */
	struct condis_done_list *next;    /**< next non-empty list of the queue */
	struct condis_done_queue *queue;  /**< queue this list reports to */
	struct condis_vc *vc;             /**< VC the NBLs belong to */
	uint32_t count;                   /**< NBLs on the list */
};

/** Non-empty done lists of one transmit queue. */
struct condis_done_queue {
	struct condis_done_list *first;   /**< first non-empty list */
};

/** Initialise a done list. */
static inline void
condis_done_list_init(struct condis_done_list *dl, struct condis_done_queue *q,
		      struct condis_vc *vc)
{
	dl->head = NULL;
	dl->tailp = &dl->head;
	dl->next = NULL;
	dl->queue = q;
	dl->vc = vc;
	dl->count = 0;
}

/**
 * Append an NBL whose buffers are all released. The list is not kept
 * NULL-terminated (condis_done_list_take() ends it), which saves a store to
 * every NBL appended.
 */
static inline void
condis_done_list_append(struct condis_done_list *dl, struct condis_nbl *nbl)
{
	struct condis_nbl **tailp = dl->tailp;

	if (tailp == &dl->head) {
		dl->next = dl->queue->first;
		dl->queue->first = dl;
	}
	*tailp = nbl;
	dl->tailp = &nbl->next;
	dl->count++;
}

/** Take a non-empty done list's NBLs as a NULL-terminated chain and empty it. */
static inline struct condis_nbl *
condis_done_list_take(struct condis_done_list *dl)
{
	*dl->tailp = NULL;
	dl->tailp = &dl->head;
	dl->next = NULL;
	dl->count = 0;
	return dl->head;
}

/** Drop one reference of an NBL's miniport_pending; at zero it is done. */
static inline void
condis_nbl_release_ref(struct condis_nbl *nbl)
{
	if (--nbl->miniport_pending == 0)
		condis_done_list_append(nbl->miniport_done, nbl);
}

/**
 * Appends to done lists for a loop that completes many NBLs, mostly of one
 * VC: the current list's tail and count stay in registers instead of being
 * loaded and stored back for every NBL (a store-to-load chain through
 * memory). Start with condis_done_appender_init(); call
 * condis_done_appender_flush() before anything else reads or appends to a
 * done list.
 */
struct condis_done_appender {
	struct condis_done_list *dl;      /**< list being appended to, NULL if none */
	struct condis_nbl **tailp;        /**< its tail, not yet stored */
	uint32_t count;                   /**< NBLs appended to it, not yet counted */
};

/** Start appending. */
static inline void
condis_done_appender_init(struct condis_done_appender *a)
{
	a->dl = NULL;
	a->tailp = NULL;
	a->count = 0;
}

/** Store the current list's tail and count. */
static inline void
condis_done_appender_flush(struct condis_done_appender *a)
{
	if (a->dl != NULL) {
		a->dl->tailp = a->tailp;
		a->dl->count += a->count;
		a->dl = NULL;
	}
}

/** condis_done_list_append() of nbl to nbl->miniport_done, through the appender. */
static inline void
condis_done_appender_add(struct condis_done_appender *a, struct condis_nbl *nbl)
{
	struct condis_done_list *dl = nbl->miniport_done;

	if (unlikely(dl != a->dl)) {
		condis_done_appender_flush(a);
		if (dl->tailp == &dl->head) {
			dl->next = dl->queue->first;
			dl->queue->first = dl;
		}
		a->dl = dl;
		a->tailp = dl->tailp;
		a->count = 0;
	}
	*a->tailp = nbl;
	a->tailp = &nbl->next;
	a->count++;
}

/** condis_nbl_release_ref(), appending through a. */
static inline void
condis_nbl_release_ref_to(struct condis_done_appender *a, struct condis_nbl *nbl)
{
	if (--nbl->miniport_pending == 0)
		condis_done_appender_add(a, nbl);
}

/**@}*/

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_MINIPORT_H */
