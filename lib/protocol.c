/* SPDX-License-Identifier: BSD-3-Clause */
/* Protocol (client) registration and miniport adapter registration. */
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "condis_private.h"

/* Protocol ids, never reused: a binding names its protocol by id, so a
 * protocol registered at a freed one's address inherits none of its filters. */
static uint64_t protocol_ids;

struct condis_protocol *
condis_protocol_register(const char *name, const struct condis_protocol_ops *ops)
{
	struct condis_protocol *p;

	if (ops == NULL || (ops->co_send_complete == NULL && ops->co_send_complete_ex == NULL)) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = rte_zmalloc("condis_protocol", sizeof(*p), 0);
	if (p == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strlcpy(p->name, name != NULL ? name : "protocol", sizeof(p->name));
	p->ops = *ops;
	p->id = __atomic_add_fetch(&protocol_ids, 1, __ATOMIC_RELAXED);
	return p;
}

int
condis_protocol_deregister(struct condis_protocol *protocol)
{
	if (protocol == NULL)
		return -EINVAL;
	if (protocol->nb_vcs != 0)
		return -EBUSY;
	rte_free(protocol);
	return 0;
}

struct condis_adapter *
condis_adapter_register(const struct condis_miniport_ops *ops, void *adapter_ctx,
			uint16_t nb_tx_queues, uint32_t max_vcs)
{
	struct condis_adapter *a;
	uint32_t i;

	if (ops == NULL || ops->co_create_vc == NULL || ops->co_activate_vc == NULL ||
	    ops->co_delete_vc == NULL || ops->tx_check == NULL || ops->tx_burst == NULL ||
	    ops->tx_reclaim == NULL || ops->halt == NULL || nb_tx_queues == 0 || max_vcs == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	a = rte_zmalloc("condis_adapter", sizeof(*a), 0);
	if (a == NULL)
		goto nomem;
	a->vcs = rte_zmalloc("condis_vcs", sizeof(*a->vcs) * max_vcs, RTE_CACHE_LINE_SIZE);
	a->free_slots = rte_malloc("condis_vc_slots", sizeof(uint32_t) * max_vcs, 0);
	a->txqs = rte_zmalloc("condis_txqs", sizeof(*a->txqs) * nb_tx_queues, CONDIS_TXQ_ALIGN);
	if (a->vcs == NULL || a->free_slots == NULL || a->txqs == NULL)
		goto free_adapter;
	for (i = 0; i < nb_tx_queues; i++) {
		struct condis_txq *q = &a->txqs[i];

		q->owner = LCORE_ID_ANY;
		q->mctx = adapter_ctx;
		q->tx_direct = ops->tx_direct;
		q->tx_burst = ops->tx_burst;
		q->tx_reclaim = ops->tx_reclaim;
		q->tx_check = ops->tx_check;
		q->backlog_tailp = &q->backlog;
		q->adapter = a;
		q->id = (uint16_t)i;
	}
	for (i = 0; i < max_vcs; i++) {
		a->free_slots[i] = i;
		a->vcs[i].index = i;
		a->vcs[i].state = CONDIS_VC_DELETED;
	}
	a->free_count = max_vcs;
	a->ops = ops;
	a->ctx = adapter_ctx;
	a->nb_tx_queues = nb_tx_queues;
	a->max_vcs = max_vcs;
	condis_telemetry_add(a);
	return a;

free_adapter:
	rte_free(a->txqs);
	rte_free(a->vcs);
	rte_free(a->free_slots);
	rte_free(a);
nomem:
	rte_errno = ENOMEM;
	return NULL;
}

void *
condis_adapter_ctx(const struct condis_adapter *adapter)
{
	return adapter->ctx;
}

uint16_t
condis_adapter_tx_queues(const struct condis_adapter *adapter)
{
	return adapter->nb_tx_queues;
}

int
condis_adapter_set_queue_ctx(struct condis_adapter *adapter, uint16_t tx_queue, void *txq_ctx)
{
	if (adapter == NULL || tx_queue >= adapter->nb_tx_queues)
		return -EINVAL;
	adapter->txqs[tx_queue].mctx = txq_ctx;
	return 0;
}

uint64_t
condis_adapter_queue_backlog_nbls(const struct condis_adapter *adapter, uint16_t tx_queue)
{
	if (adapter == NULL || tx_queue >= adapter->nb_tx_queues)
		return 0;
	return adapter->txqs[tx_queue].backlog_nbls;
}

int
condis_adapter_set_queue_owner(struct condis_adapter *adapter, uint16_t tx_queue,
			       unsigned int lcore_id)
{
	struct condis_txq *q;

	if (adapter == NULL || tx_queue >= adapter->nb_tx_queues ||
	    (lcore_id != LCORE_ID_ANY && lcore_id >= RTE_MAX_LCORE))
		return -EINVAL;
	q = &adapter->txqs[tx_queue];
	/* Chains waiting for the old owner would be stranded. */
	if (__atomic_load_n(&q->inbox, __ATOMIC_ACQUIRE) != NULL || q->backlog != NULL)
		return -EBUSY;
	q->owner = lcore_id;
	return 0;
}

int
condis_poll(struct condis_adapter *adapter, uint16_t tx_queue)
{
	struct condis_txq *q;

	if (unlikely(adapter == NULL || tx_queue >= adapter->nb_tx_queues))
		return -EINVAL;
	q = &adapter->txqs[tx_queue];
	if (unlikely(__atomic_load_n(&q->inbox, __ATOMIC_RELAXED) != NULL || q->backlog != NULL))
		condis_txq_drain(q);
	if (unlikely(__atomic_load_n(&q->cancels, __ATOMIC_RELAXED) != NULL))
		condis_txq_cancel_pending(q);
	if (unlikely(__atomic_load_n(&q->resetting, __ATOMIC_ACQUIRE))) {
		condis_txq_reset_park(q); /* touches nothing of the device until it is over */
		return 0;
	}
	if (unlikely(q->paused))
		return (int)condis_txq_poll_paused(q);
	if (q->rr_head != NULL)
		condis_tx_xmit(q);
	q->tx_reclaim(q->mctx);
	return q->done.first != NULL ? (int)condis_tx_deliver(q) : 0;
}

void
condis_adapter_close(struct condis_adapter *adapter)
{
	uint32_t i;

	if (adapter == NULL)
		return;
	condis_telemetry_remove(adapter);
	/* From here a send (say from a completion handler that recycles) is
	 * refused, not taken: nothing can come back after the miniport halts. */
	for (i = 0; i < adapter->nb_tx_queues; i++)
		adapter->txqs[i].closing = true;
	/* NDIS pauses an adapter before it halts it, so everything still out
	 * completes with the pause's status (spec 96-97): chains handed to an
	 * owner that never took them, the FIFOs, then (halt) what the device
	 * still holds. Then every VC goes. */
	for (i = 0; i < adapter->nb_tx_queues; i++) {
		condis_txq_abort(&adapter->txqs[i], CONDIS_STATUS_PAUSED);
		condis_txq_cancel_discard(&adapter->txqs[i]);
	}
	for (i = 0; i < adapter->nb_tx_queues; i++)
		condis_tx_abort_txq(&adapter->txqs[i], CONDIS_STATUS_PAUSED);
	/* The miniport stops the device and gives back what it still holds. */
	adapter->ops->halt(adapter->ctx, CONDIS_STATUS_PAUSED);
	for (i = 0; i < adapter->nb_tx_queues; i++)
		condis_tx_deliver(&adapter->txqs[i]);
	for (i = 0; i < adapter->max_vcs; i++) {
		struct condis_vc *vc = &adapter->vcs[i];

		if (vc->state == CONDIS_VC_DELETED)
			continue;
		if (vc->state == CONDIS_VC_ACTIVE || vc->state == CONDIS_VC_DEACTIVATING)
			vc->state = CONDIS_VC_INACTIVE;
		condis_vc_delete(vc);
	}
	condis_loopback_free(adapter);
	if (adapter->ops->free != NULL)
		adapter->ops->free(adapter->ctx);
	rte_free(adapter->vcs);
	rte_free(adapter->free_slots);
	rte_free(adapter->txqs);
	rte_free(adapter);
}
