/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The CoNDIS send path: send chains of NBLs on a VC, poll a queue for
 * their completions (spec C, D, E).
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
#ifndef CONDIS_SEND_H
#define CONDIS_SEND_H

#include <stdint.h>

#include <condis/condis_nbl.h>
#include <condis/condis_vc.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_adapter;

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
 * - SEND_ABORTED for NBLs a cancel took out of the queue (spec 90);
 * - PAUSED while the adapter is pausing or paused, and for NBLs still held
 *   when it closes (a close pauses, then halts; spec 96-97);
 * - RESET_IN_PROGRESS during a reset and for NBLs it flushed (spec 102);
 * - MEDIA_DISCONNECTED from a device whose link is down (pmd/sim).
 * A NULL SourceHandle is stamped with vc. Chain order is wire order and
 * per-VC order holds across calls (spec 47, 73). Frames under 60 bytes are
 * zero-padded to 60 (before any 802.1Q tag) outside protocol memory.
 * With CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK in flags, copies of the NBs the
 * binding's packet filter accepts are indicated to the protocol's
 * co_receive on vc inside this call, on the calling thread, after the chain
 * was handed down (spec 82-84, condis_binding_set_packet_filter()); the
 * send and its completions are otherwise the same. Other send flags are
 * accepted and change nothing.
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
 * Prefetch what a send on vc and its completion touch (the VC's line and
 * its transmit state's line) into the cache. For protocols that send on
 * many VCs in turn, whose per-VC state does not stay cached between turns:
 * call it a turn ahead (it does not read *vc); condis-gen's round robin
 * shows the pipeline (apps/condis-gen/worker.c).
 */
void condis_vc_prefetch(const struct condis_vc *vc);

/**
 * NdisCancelSendNetBufferLists for the binding of protocol and adapter
 * (spec 88-92): every NBL of the binding's VCs, on any queue, that carries
 * cancel_id (condis_nbl_set_cancel_id()) and is still queued in software,
 * none of its NBs handed to the device yet, completes with SEND_ABORTED,
 * through the usual completion handler in the queue's next condis_poll()
 * (completions come only from send, poll and close), one call per VC. NBLs the device
 * already has complete as usual: the cancel is best effort, and every NBL
 * still comes back exactly once. A cancel id that matches nothing is
 * harmless.
 *
 * A queue whose owner is the calling lcore (or that has no owner) is
 * searched before the call returns; one owned by another lcore is searched
 * at that owner's next condis_poll(), after the chains handed to it before
 * the call were taken (the cancel is asynchronous, as in NDIS).
 *
 * @return 0; -EINVAL for a NULL protocol or adapter or a cancel id of 0;
 *   -ENOMEM if a request for another lcore could not be allocated.
 */
int condis_cancel_send_nbls(struct condis_protocol *protocol, struct condis_adapter *adapter,
			    uintptr_t cancel_id);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_SEND_H */
