/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Miniport SDK: the library's transmit queueing as a miniport sees it.
 *
 * The library keeps, per VC, the software FIFO of NBLs not yet wholly
 * handed to the device, and per transmit queue the round robin of VCs with
 * queued NBs, the cross-thread hand-over and the done lists it delivers to
 * the protocol (like iflib's if_txrx split). A miniport only puts NBs on its
 * device and says when the device let go of their buffers, through the
 * data-path ops of struct condis_miniport_ops (condis_miniport.h), called per
 * burst, never per frame:
 *
 * - tx_burst(txq_ctx, items, n): build the NBs of up to CONDIS_TX_BURST
 *   (NBL, NB) items into device frames and hand them down in order; return
 *   how many items the device took (a prefix). For every buffer it hands
 *   down it adds one to nbl->miniport_pending; when the device releases it,
 *   condis_nbl_release_ref() drops it, and the library completes the NBL at
 *   zero. It unbinds everything of the refused items.
 * - tx_reclaim(txq_ctx): release what the device let go of (condis_poll()).
 * - tx_direct(txq_ctx, vt, chain): optional fast path, used while nothing is
 *   queued on the queue: hand NBLs straight from the protocol's chain.
 * - tx_check(txq_ctx, nbl): can the device take every NB of the NBL?
 *
 * Everything here runs on the queue's owning lcore: no atomics.
 */
#ifndef CONDIS_TX_H
#define CONDIS_TX_H

#include <stdint.h>

#include <rte_common.h>

#include <condis/condis_nbl.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Most items the library passes to one tx_burst call. */
#define CONDIS_TX_BURST 32

/**
 * Alignment for a miniport's per-queue state (and for the block that holds
 * an array of them): each queue on pages of its own. Two queues' states on
 * one 4 KiB page go back and forth between the cores that drive them even
 * with guard lines between them: the L2 streamer prefetches ahead within a
 * page. Measured on an Intel Xeon VM, two workers on one port: the second
 * at two-thirds of the first's rate with 64-byte (and 128-byte) alignment,
 * both at full rate with this one (docs/PERF.md, "Two workers on one port").
 */
#define CONDIS_TXQ_ALIGN 4096

/** NBs of one VC in a burst before the next VC with queued NBs gets its turn. */
#define CONDIS_TX_VC_QUANTUM 32

struct condis_vc;
struct condis_done_queue;

/** One NB to put on the device, and the NBL it belongs to. */
struct condis_tx_item {
	struct condis_nbl *nbl; /**< its NBL: miniport_done and a guard are set */
	struct condis_nb *nb;   /**< the NB to build and hand down */
};

/**
 * @name Done lists: where released NBLs gather until the library delivers them.
 *
 * The library keeps one done list per VC and one done queue per transmit
 * queue. Before an NBL reaches the miniport it sets nbl->miniport_done; each
 * buffer the miniport hands to the device adds one to nbl->miniport_pending
 * (the library adds one more, a guard, while NBs of the NBL are still
 * queued), and each one the device releases drops it
 * (condis_nbl_release_ref()). At zero the NBL is appended to its done list,
 * and a list that becomes non-empty is linked on its queue; condis_poll()
 * hands each list to the protocol in one call.
 */
/**@{*/

/** NBLs of one VC that are ready to complete. */
struct condis_done_list {
	struct condis_nbl *head;          /**< first NBL, when tailp != &head */
	struct condis_nbl **tailp;        /**< where the next NBL links */
	struct condis_done_list *next;    /**< next non-empty list of the queue */
	struct condis_done_queue *queue;  /**< queue this list reports to */
	struct condis_vc *vc;             /**< VC the NBLs belong to */
	uint32_t count;                   /**< NBLs on the list */
	/** Some NBL on the list may carry another VC's send number (an
	 *  intermediate driver sent it below): not reported consecutive. */
	bool renumbered;
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
	dl->renumbered = false;
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
	dl->renumbered = false;
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

/**
 * The library's transmit state of one VC. A miniport's tx_direct op writes
 * the counters and takes `done`; the FIFO fields are the library's.
 */
struct condis_vc_tx {
	/* What tx_direct touches: one cache line. */
	struct condis_done_list done; /**< released NBLs of the VC, delivered by condis_poll() */
	uint64_t nbs_tx;              /**< NBs handed to the device */
	uint64_t bytes_tx;            /**< their bytes (data_length) */
	/** @internal the software FIFO: NBLs not wholly handed down, in send order */
	struct condis_nbl *fifo_head;
	/** @internal where the next queued NBL links */
	struct condis_nbl **fifo_tailp;
	/** @internal next VC of the queue's round robin */
	struct condis_vc_tx *rr_next;
	/** @internal NBLs in the FIFO */
	uint32_t queued;
	/** @internal on the queue's round robin */
	uint8_t on_rr;
} __rte_cache_aligned;

/**
 * For tx_direct, when the device took the first NBs of nbl but not `next`
 * and those after it: the NBL keeps a guard reference and waits at the head
 * of its VC's FIFO for the rest (return it, the rest of the chain linked
 * behind it, as the first NBL not wholly handed down).
 */
static inline void
condis_tx_hold_partial(struct condis_nbl *nbl, struct condis_nb *next)
{
	nbl->miniport_pending++;
	nbl->miniport_cursor = next;
}

/**
 * A generic tx_check: every NB of nbl (at most CONDIS_NBL_MAX_NBS, at least
 * one) has 1..max_len bytes that lie inside its MDL chain in at most
 * max_pieces non-empty MDLs.
 *
 * @return CONDIS_STATUS_PENDING if the NBL can be sent, else the status it
 *   completes with: INVALID_LENGTH (length or pieces, spec 59) or FAILURE
 *   (no NB, no MDL, data past the MDL chain, a looping list).
 */
condis_status_t condis_nbl_check_geometry(const struct condis_nbl *nbl, uint32_t max_len,
					  uint32_t max_pieces);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_TX_H */
