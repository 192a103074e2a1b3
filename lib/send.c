/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The protocol-facing send and the miniport-facing completion (spec C, D).
 * A send is checked, counted and handed to the miniport on the owner of the
 * VC's queue; a send from another thread only takes ownership of its NBLs
 * and hands the chain over (condis_private.h, struct condis_txq).
 */
#include <rte_lcore.h>

#include "condis_private.h"

/* Give back the first n NBLs of chain to the protocol untouched. */
static void
send_rollback(struct condis_nbl *chain, unsigned int n)
{
	/* Held by an NDIS-style miniport: it was that miniport's send. */
	for (; n > 0; n--, chain = chain->next)
		chain->owner = chain->miniport_holds != 0 ? CONDIS_NBL_OWNER_MINIPORT :
							    CONDIS_NBL_OWNER_PROTOCOL;
}

/* Complete a chain of vc's NBLs inline, all with status (spec 57). */
static void
send_reject(struct condis_vc *vc, struct condis_nbl *chain, condis_status_t status,
	    uint32_t flags)
{
	struct condis_nbl *nbl;

	for (nbl = chain; nbl != NULL; nbl = nbl->next)
		nbl->status = status;
	condis_mco_send_complete(vc, chain, (flags & CONDIS_SEND_FLAGS_DISPATCH_LEVEL) |
				 CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE);
}

/* Pull the NBLs whose SourceHandle is another VC's out of *chain (spec 46). */
static struct condis_nbl *
split_foreign(struct condis_vc *vc, struct condis_nbl **chain)
{
	struct condis_nbl *nbl, *bad = NULL, **badp = &bad, **linkp = chain;

	while ((nbl = *linkp) != NULL) {
		if (nbl->source_handle != vc) {
			*linkp = nbl->next;
			*badp = nbl;
			badp = &nbl->next;
		} else {
			linkp = &nbl->next;
		}
	}
	*badp = NULL;
	return bad;
}

/* Check a chain and hand it to the miniport: on the queue's owner. */
static inline void
send_accept(struct condis_vc *vc, struct condis_nbl *chain, bool foreign, uint32_t flags)
{
	struct condis_nbl *bad = NULL;

	if (unlikely(vc->state != CONDIS_VC_ACTIVE || vc->txq->paused || vc->txq->resetting)) {
		send_reject(vc, chain, vc->txq->resetting ? CONDIS_STATUS_RESET_IN_PROGRESS :
			    vc->txq->paused ? CONDIS_STATUS_PAUSED :
			    vc->state == CONDIS_VC_DEACTIVATING ?
			    CONDIS_STATUS_CLOSING : CONDIS_STATUS_VC_NOT_ACTIVATED, flags);
		return;
	}
	if (unlikely(foreign))
		bad = split_foreign(vc, &chain);
	if (likely(chain != NULL))
		condis_tx_accept(vc->txq, vc, chain);
	if (unlikely(bad != NULL))
		send_reject(vc, bad, CONDIS_STATUS_FAILURE, flags);
}

/* Push a chain for q's owner: lock-free, never blocks, never fails (spec 54). */
static void
txq_handoff(struct condis_txq *q, struct condis_vc *vc, struct condis_nbl *chain)
{
	struct condis_nbl *head = __atomic_load_n(&q->inbox, __ATOMIC_RELAXED);

	chain->handoff_vc = vc;
	do {
		chain->handoff_next = head;
	} while (!__atomic_compare_exchange_n(&q->inbox, &head, chain, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/* Move the inbox, oldest first, to the tail of the backlog. */
static void
txq_take_inbox(struct condis_txq *q)
{
	struct condis_nbl *c = __atomic_exchange_n(&q->inbox, NULL, __ATOMIC_ACQUIRE);
	struct condis_nbl *oldest = NULL, **tailp;

	if (c == NULL)
		return;
	tailp = &c->handoff_next; /* the newest ends the reversed list */
	while (c != NULL) {
		struct condis_nbl *next = c->handoff_next;

		c->handoff_next = oldest;
		oldest = c;
		c = next;
	}
	*q->backlog_tailp = oldest;
	q->backlog_tailp = tailp;
}

/* The oldest chain of the backlog, unlinked; NULL if none. */
static struct condis_nbl *
txq_backlog_pop(struct condis_txq *q)
{
	struct condis_nbl *chain = q->backlog;

	if (chain != NULL) {
		q->backlog = chain->handoff_next;
		if (q->backlog == NULL)
			q->backlog_tailp = &q->backlog;
	}
	return chain;
}

void
condis_txq_drain(struct condis_txq *q)
{
	struct condis_nbl *chain;

	txq_take_inbox(q);
	/* One at a time from the shared backlog: a handler that sends from an
	 * accept drains the rest first, so it cannot overtake them. */
	while ((chain = txq_backlog_pop(q)) != NULL) {
		struct condis_vc *vc = chain->handoff_vc;

		if (unlikely(vc->txq != q))
			txq_handoff(vc->txq, vc, chain); /* moved queues meanwhile */
		else
			send_accept(vc, chain, true, 0);
	}
}

void
condis_txq_abort(struct condis_txq *q, condis_status_t status)
{
	struct condis_nbl *chain;

	txq_take_inbox(q);
	while ((chain = txq_backlog_pop(q)) != NULL)
		send_reject(chain->handoff_vc, chain, status, 0);
}

bool
condis_vc_handoff_pending(const struct condis_vc *vc)
{
	const struct condis_txq *q = vc->txq;
	const struct condis_nbl *c;

	for (c = __atomic_load_n(&q->inbox, __ATOMIC_ACQUIRE); c != NULL; c = c->handoff_next)
		if (c->handoff_vc == vc)
			return true;
	for (c = q->backlog; c != NULL; c = c->handoff_next)
		if (c->handoff_vc == vc)
			return true;
	return false;
}

/* Hand a taken chain to its queue: accept it on the owner, or hand it over. */
static inline void
send_handdown(struct condis_txq *q, struct condis_vc *vc, struct condis_nbl *chain, bool foreign,
	      uint32_t flags)
{
	if (unlikely(q->owner != LCORE_ID_ANY)) {
		if (rte_lcore_id() != q->owner) {
			txq_handoff(q, vc, chain);
			return;
		}
		/* Chains handed over earlier go first (per-VC order, spec 73). */
		if (__atomic_load_n(&q->inbox, __ATOMIC_RELAXED) != NULL || q->backlog != NULL)
			condis_txq_drain(q);
	}
	send_accept(vc, chain, foreign, flags);
}

/*
 * A send with CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK (spec 82-84): the NBs the
 * binding accepts are copied while the chain is still the sender's, the
 * chain goes down as any other, then the copies are indicated. Indicating
 * after the hand-down keeps per-VC order when co_receive sends on the same
 * VC (its send queues behind this chain), and the copies share nothing with
 * the sent NBLs, which may complete (and be reused) before the indication.
 * The send flags go no further: no miniport op receives them, so the flag
 * never reaches a miniport as a loopback request.
 */
static __rte_noinline int
send_looped(struct condis_vc *vc, struct condis_nbl *chain, bool foreign, uint32_t flags)
{
	struct condis_loopback lb;

	condis_loopback_copy(vc, chain, flags, &lb);
	send_handdown(vc->txq, vc, chain, foreign, flags);
	condis_loopback_indicate(&lb);
	return 0;
}

int
condis_co_send_nbls(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_txq *q;
	struct condis_nbl *nbl;
	unsigned int n = 0;
	uint32_t seq;
	bool foreign = false;

	if (unlikely(!condis_vc_valid(vc)))
		return -EINVAL;
	if (unlikely(chain == NULL))
		return 0;
	q = vc->txq;
	if (unlikely(q->closing))
		return -ESHUTDOWN;

	/* One pass: take ownership, set the spec 122 sentinel, stamp a NULL
	 * SourceHandle, number the NBLs in send order (the completion's
	 * `consecutive`). Stop at an NBL that is not the caller's to give: if
	 * the stack already owns it, its next link is ours, not the caller's. */
	seq = (uint32_t)vc->nbls_sent;
	for (nbl = chain; nbl != NULL; nbl = nbl->next, n++) {
		if (unlikely(nbl->magic != CONDIS_NBL_MAGIC ||
			     !CONDIS_NBL_OWNER_CAN_SEND(nbl->owner))) {
			int rc = nbl->magic == CONDIS_NBL_MAGIC &&
				 nbl->owner == CONDIS_NBL_OWNER_STACK ? -EBUSY : -EINVAL;

			send_rollback(chain, n);
			return rc;
		}
		nbl->owner = CONDIS_NBL_OWNER_STACK;
		nbl->status = CONDIS_STATUS_PENDING;
		nbl->send_seq = seq + n;
		if (unlikely(nbl->source_handle != vc)) {
			if (nbl->source_handle == NULL)
				nbl->source_handle = vc;
			else
				foreign = true;
		}
	}
	/* One sending thread per VC: a store, not an atomic add. The handoff's
	 * release publishes it to the owner before the NBLs can complete. */
	__atomic_store_n(&vc->nbls_sent, vc->nbls_sent + n, __ATOMIC_RELAXED);

	/* The only cost of loopback to a send that does not ask for it. */
	if (unlikely(flags & CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK))
		return send_looped(vc, chain, foreign, flags);
	send_handdown(q, vc, chain, foreign, flags);
	return 0;
}

void
condis_mco_send_complete_as(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags,
			    bool may_be_consecutive)
{
	const struct condis_protocol *p = vc->protocol;
	struct condis_send_completion info;
	struct condis_nbl *nbl = chain, *last;
	uint32_t n = 0, failed = 0, seq = chain->send_seq, gaps = 0;

	/* One pass readies the chain for the protocol and learns what
	 * co_send_complete_ex reports, so that the protocol need not walk it. */
	do {
		if (likely(nbl->status == CONDIS_STATUS_PENDING))
			nbl->status = CONDIS_STATUS_SUCCESS;
		else
			failed += nbl->status != CONDIS_STATUS_SUCCESS;
		nbl->owner = CONDIS_NBL_OWNER_PROTOCOL;
		gaps |= nbl->send_seq ^ (seq + n);
		n++;
		last = nbl;
		nbl = nbl->next;
	} while (nbl != NULL);
	/* The owner is the only writer; stores, for readers on other threads. */
	__atomic_store_n(&vc->nbls_completed, vc->nbls_completed + n, __ATOMIC_RELAXED);
	if (unlikely(failed != 0))
		__atomic_store_n(&vc->nbls_failed, vc->nbls_failed + failed, __ATOMIC_RELAXED);
	if (p->ops.co_send_complete_ex != NULL) {
		info.last = last;
		info.count = n;
		info.failed = failed;
		info.consecutive = gaps == 0 && may_be_consecutive;
		p->ops.co_send_complete_ex(vc->protocol_ctx, chain, &info, flags);
	} else {
		p->ops.co_send_complete(vc->protocol_ctx, chain, flags);
	}
	condis_vc_check_deactivated(vc);
}

void
condis_mco_send_complete(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags)
{
	condis_mco_send_complete_as(vc, chain, flags, true);
}

void
condis_protocol_give_back(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags)
{
	const struct condis_protocol *p = vc->protocol;
	struct condis_send_completion info = { .last = chain, .consecutive = false };
	struct condis_nbl *nbl;

	if (p->ops.co_send_complete_ex == NULL) {
		p->ops.co_send_complete(vc->protocol_ctx, chain, flags);
		return;
	}
	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		info.last = nbl;
		info.count++;
		info.failed += nbl->status != CONDIS_STATUS_SUCCESS;
	}
	p->ops.co_send_complete_ex(vc->protocol_ctx, chain, &info, flags);
}
