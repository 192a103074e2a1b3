/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cancel by id (spec 88-92): NBLs of a binding still queued in a VC's FIFO,
 * none of their NBs handed down, complete SEND_ABORTED. The FIFOs belong to
 * each queue's owner, so a queue owned by another lcore gets a request on a
 * lock-free stack and searches itself at its next condis_poll().
 */
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "condis_private.h"

struct condis_cancel_req {
	struct condis_cancel_req *next;
	struct condis_protocol *protocol;
	uintptr_t id;
};

static uint32_t prefixes_given;

uint8_t
condis_cancel_id_prefix(void)
{
	return (uint8_t)(__atomic_add_fetch(&prefixes_given, 1, __ATOMIC_RELAXED) & 0xff);
}

/* Move the cancelled NBLs of vc's FIFO to its done list; a poll delivers. */
static void
fifo_cancel(struct condis_vc *vc, uintptr_t id)
{
	struct condis_vc_tx *vt = &vc->tx;
	struct condis_nbl *nbl = vt->fifo_head, *next, **linkp = &vt->fifo_head;

	vt->fifo_tailp = &vt->fifo_head;
	for (; nbl != NULL; nbl = next) {
		next = nbl->next;
		/* Not one NB in the device yet (cursor on the first, only the guard). */
		if (nbl->info[CONDIS_NBL_INFO_CANCEL_ID] == id &&
		    nbl->miniport_cursor == nbl->first_nb && nbl->miniport_pending == 1) {
			nbl->status = CONDIS_STATUS_SEND_ABORTED;
			nbl->miniport_cursor = NULL;
			vt->queued--;
			condis_nbl_release_ref(nbl); /* the guard: onto the done list */
			continue;
		}
		*linkp = nbl;
		linkp = &nbl->next;
		vt->fifo_tailp = &nbl->next;
	}
	*linkp = NULL;
}

/* Search every VC of protocol queued on q (they are on its round robin). On
 * q's owner; a poll delivers. */
static void
txq_cancel(struct condis_txq *q, const struct condis_protocol *protocol, uintptr_t id)
{
	struct condis_vc_tx *vt = q->rr_head, *next;

	q->rr_head = q->rr_tail = NULL;
	for (; vt != NULL; vt = next) {
		struct condis_vc *vc = container_of(vt, struct condis_vc, tx);

		next = vt->rr_next;
		vt->on_rr = 0;
		if (vc->protocol == protocol)
			fifo_cancel(vc, id);
		if (vt->fifo_head != NULL)
			condis_tx_rr_push(q, vt);
	}
	/* Then what a miniport queues itself (MiniportCancelSend). */
	if (q->adapter->ops->tx_cancel != NULL)
		q->adapter->ops->tx_cancel(q->mctx, id);
}

void
condis_txq_cancel_pending(struct condis_txq *q)
{
	struct condis_cancel_req *r = __atomic_exchange_n(&q->cancels, NULL, __ATOMIC_ACQUIRE);

	while (r != NULL) {
		struct condis_cancel_req *next = r->next;

		txq_cancel(q, r->protocol, r->id);
		rte_free(r);
		r = next;
	}
}

void
condis_txq_cancel_discard(struct condis_txq *q)
{
	struct condis_cancel_req *r = __atomic_exchange_n(&q->cancels, NULL, __ATOMIC_ACQUIRE);

	while (r != NULL) {
		struct condis_cancel_req *next = r->next;

		rte_free(r);
		r = next;
	}
}

int
condis_cancel_send_nbls(struct condis_protocol *protocol, struct condis_adapter *adapter,
			uintptr_t cancel_id)
{
	unsigned int self = rte_lcore_id();
	uint16_t i;

	if (protocol == NULL || adapter == NULL || cancel_id == 0)
		return -EINVAL;
	for (i = 0; i < adapter->nb_tx_queues; i++) {
		struct condis_txq *q = &adapter->txqs[i];
		struct condis_cancel_req *r;

		if (q->owner == LCORE_ID_ANY || q->owner == self) {
			/* Chains handed over earlier are searched too. */
			if (q->owner != LCORE_ID_ANY)
				condis_txq_drain(q);
			txq_cancel(q, protocol, cancel_id); /* the next poll delivers */
			continue;
		}
		r = rte_malloc("condis_cancel", sizeof(*r), 0);
		if (r == NULL)
			return -ENOMEM;
		r->protocol = protocol;
		r->id = cancel_id;
		r->next = __atomic_load_n(&q->cancels, __ATOMIC_RELAXED);
		while (!__atomic_compare_exchange_n(&q->cancels, &r->next, r, true,
						    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			;
	}
	return 0;
}
