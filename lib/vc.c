/* SPDX-License-Identifier: BSD-3-Clause */
/* VC lifecycle (spec 30-44). */
#include <inttypes.h>

#include <rte_errno.h>

#include <rte_prefetch.h>

#include "condis_private.h"

struct condis_vc *
condis_vc_create(struct condis_protocol *protocol, struct condis_adapter *adapter,
		 void *protocol_vc_ctx)
{
	struct condis_vc *vc;
	uint32_t slot;
	int rc;

	/* Everything a send and its completion touch is in the VC's first line. */
	RTE_BUILD_BUG_ON(offsetof(struct condis_vc, tx) > RTE_CACHE_LINE_SIZE);
	/* ... and the transmit state's counters in the next. */
	RTE_BUILD_BUG_ON(offsetof(struct condis_vc_tx, fifo_head) > RTE_CACHE_LINE_SIZE);
	if (protocol == NULL || adapter == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (adapter->free_count == 0) {
		rte_errno = ENOSPC;
		return NULL;
	}
	/* FIFO reuse: a stale handle points at a deleted slot for as long as possible. */
	slot = adapter->free_slots[adapter->free_head];
	vc = &adapter->vcs[slot];
	memset(vc, 0, sizeof(*vc));
	vc->index = slot;
	vc->serial = ++adapter->vcs_created;
	vc->protocol = protocol;
	vc->protocol_ctx = protocol_vc_ctx;
	vc->adapter = adapter;
	vc->txq = &adapter->txqs[0];
	vc->tx_queue = 0;
	condis_tx_vc_bind(vc, vc->txq);
	vc->state = CONDIS_VC_CREATED;
	vc->magic = CONDIS_VC_MAGIC;
	rc = adapter->ops->co_create_vc(adapter->ctx, vc, &vc->miniport_ctx);
	if (rc != 0) {
		vc->magic = 0;
		vc->state = CONDIS_VC_DELETED;
		rte_errno = -rc;
		return NULL;
	}
	adapter->free_head = (adapter->free_head + 1) % adapter->max_vcs;
	adapter->free_count--;
	CONDIS_LOG(DEBUG, "vc %u created on %s\n", slot, adapter->ops->name);
	adapter->nb_vcs++;
	protocol->nb_vcs++;
	return vc;
}

/* Bind vc to a transmit queue: 0; -EINVAL for a bad queue; -EBUSY when
 * moving while NBLs of the VC are in flight or on their way to the old
 * queue's owner (they could be reordered, or race two owners). */
static int
vc_bind_tx_queue(struct condis_vc *vc, uint16_t tx_queue)
{
	struct condis_txq *q;

	if (tx_queue >= vc->adapter->nb_tx_queues)
		return -EINVAL;
	q = &vc->adapter->txqs[tx_queue];
	if (q == vc->txq)
		return 0;
	/* Moving with NBLs in flight, or chains still on their way to the old
	 * queue's owner, could reorder them or race two owners. */
	if (condis_vc_in_flight(vc) != 0 || condis_vc_handoff_pending(vc))
		return -EBUSY;
	vc->tx_queue = tx_queue;
	vc->txq = q;
	condis_tx_vc_bind(vc, q);
	return 0;
}

condis_status_t
condis_vc_activate(struct condis_vc *vc, const struct condis_call_params *params)
{
	condis_status_t st;
	uint16_t q, old_q;

	if (!condis_vc_valid(vc) || params == NULL)
		return CONDIS_STATUS_FAILURE;
	if (vc->state == CONDIS_VC_DEACTIVATING)
		return CONDIS_STATUS_FAILURE;
	/* The library checks what is the same for every miniport: the ranges,
	 * and the one queue of the VC (spec 79); a failure keeps the old
	 * parameters and binding (spec 36). */
	if (params->user_priority > 7 || params->traffic_class > 7)
		return CONDIS_STATUS_INVALID_DATA;
	q = condis_call_params_tx_queue(params, vc->adapter->nb_tx_queues);
	old_q = vc->tx_queue;
	if (vc_bind_tx_queue(vc, q) != 0)
		return CONDIS_STATUS_INVALID_DATA;
	st = vc->adapter->ops->co_activate_vc(vc->miniport_ctx, params);
	if (st != CONDIS_STATUS_SUCCESS) {
		vc_bind_tx_queue(vc, old_q); /* nothing in flight: it cannot fail */
		return st;
	}
	vc->params = *params;
	vc->state = CONDIS_VC_ACTIVE;
	CONDIS_LOG(DEBUG, "vc %u active on txq %u\n", vc->index, vc->tx_queue);
	return CONDIS_STATUS_SUCCESS;
}

void
condis_vc_check_deactivated(struct condis_vc *vc)
{
	if (vc->state != CONDIS_VC_DEACTIVATING || condis_vc_in_flight(vc) != 0)
		return;
	vc->state = CONDIS_VC_INACTIVE;
	CONDIS_LOG(DEBUG, "vc %u inactive: deactivation complete\n", vc->index);
	if (vc->protocol->ops.co_deactivate_complete != NULL)
		vc->protocol->ops.co_deactivate_complete(vc->protocol_ctx, CONDIS_STATUS_SUCCESS);
}

condis_status_t
condis_vc_deactivate(struct condis_vc *vc)
{
	if (!condis_vc_valid(vc) || vc->state != CONDIS_VC_ACTIVE)
		return CONDIS_STATUS_FAILURE;
	vc->state = CONDIS_VC_DEACTIVATING;
	if (vc->adapter->ops->co_deactivate_vc != NULL)
		vc->adapter->ops->co_deactivate_vc(vc->miniport_ctx);
	if (condis_vc_in_flight(vc) == 0) {
		vc->state = CONDIS_VC_INACTIVE;
		CONDIS_LOG(DEBUG, "vc %u inactive\n", vc->index);
		return CONDIS_STATUS_SUCCESS;
	}
	CONDIS_LOG(DEBUG, "vc %u deactivating, %" PRIu64 " NBLs in flight\n", vc->index,
		   condis_vc_in_flight(vc));
	return CONDIS_STATUS_PENDING;
}

condis_status_t
condis_vc_delete(struct condis_vc *vc)
{
	struct condis_adapter *a;

	if (!condis_vc_valid(vc))
		return CONDIS_STATUS_FAILURE;
	if (vc->state == CONDIS_VC_ACTIVE)
		return CONDIS_STATUS_NOT_ACCEPTED;
	/* Deactivating, or a send that raced the deactivation still on its way
	 * to the queue's owner: the handle must outlive it. */
	if (vc->state == CONDIS_VC_DEACTIVATING || condis_vc_in_flight(vc) != 0)
		return CONDIS_STATUS_CLOSING;
	a = vc->adapter;
	a->ops->co_delete_vc(vc->miniport_ctx);
	vc->miniport_ctx = NULL;
	vc->state = CONDIS_VC_DELETED;
	vc->protocol->nb_vcs--;
	a->free_slots[(a->free_head + a->free_count) % a->max_vcs] = vc->index;
	a->free_count++;
	a->nb_vcs--;
	CONDIS_LOG(DEBUG, "vc %u deleted\n", vc->index);
	return CONDIS_STATUS_SUCCESS;
}

enum condis_vc_state
condis_vc_state(const struct condis_vc *vc)
{
	if (vc == NULL || vc->magic != CONDIS_VC_MAGIC)
		return CONDIS_VC_DELETED;
	return (enum condis_vc_state)vc->state;
}

uint16_t
condis_vc_tx_queue(const struct condis_vc *vc)
{
	return vc->tx_queue;
}

uint16_t
condis_call_params_tx_queue(const struct condis_call_params *params, uint16_t nb_queues)
{
	switch (params->tx_queue) {
	case CONDIS_TXQ_AUTO:
		return (uint16_t)(params->user_priority % nb_queues);
	case CONDIS_TXQ_BY_CLASS:
		return (uint16_t)(params->traffic_class % nb_queues);
	case CONDIS_TXQ_BY_HASH:
		return (uint16_t)(params->flow_hash % nb_queues);
	default:
		return params->tx_queue;
	}
}

void
condis_vc_prefetch(const struct condis_vc *vc)
{
	/* The send path's line and the transmit state's. */
	rte_prefetch0(vc);
	rte_prefetch0(&vc->tx);
}

void *
condis_vc_miniport_ctx(const struct condis_vc *vc)
{
	return vc->miniport_ctx;
}

int
condis_vc_stats_get(const struct condis_vc *vc, struct condis_vc_stats *stats)
{
	if (vc == NULL || vc->magic != CONDIS_VC_MAGIC || stats == NULL)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	stats->nbls_sent = __atomic_load_n(&vc->nbls_sent, __ATOMIC_RELAXED);
	stats->nbls_completed = __atomic_load_n(&vc->nbls_completed, __ATOMIC_RELAXED);
	stats->nbls_failed = __atomic_load_n(&vc->nbls_failed, __ATOMIC_RELAXED);
	stats->in_flight = (uint32_t)condis_vc_in_flight(vc);
	/* Written by the queue's owner: each read is exact, the set a snapshot. */
	stats->nbs_tx = __atomic_load_n(&vc->tx.nbs_tx, __ATOMIC_RELAXED);
	stats->bytes_tx = __atomic_load_n(&vc->tx.bytes_tx, __ATOMIC_RELAXED);
	stats->queued = __atomic_load_n(&vc->tx.queued, __ATOMIC_RELAXED);
	/* Written by the sending thread (loopback.c). */
	stats->loopback_nbs = __atomic_load_n(&vc->loopback_nbs, __ATOMIC_RELAXED);
	stats->loopback_dropped = __atomic_load_n(&vc->loopback_dropped, __ATOMIC_RELAXED);
	return 0;
}
