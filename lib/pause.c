/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pause and restart (spec 95-99). A pause refuses new sends with PAUSED (on
 * each queue's owner, send.c), completes what is still queued in software
 * with PAUSED, and lets the device finish what it has; the adapter is PAUSED
 * once every NBL is back. The FIFOs belong to the queues' owners, so each
 * owner flushes its own at its next poll (or the caller, for queues it owns).
 */
#include <rte_lcore.h>

#include "condis_private.h"

enum condis_adapter_state
condis_adapter_state(const struct condis_adapter *adapter)
{
	return (enum condis_adapter_state)__atomic_load_n(&adapter->state, __ATOMIC_ACQUIRE);
}

void
condis_txq_pause_flush(struct condis_txq *q)
{
	struct condis_vc_tx *vt, *next;

	if (q->pause_flushed)
		return;
	for (vt = q->rr_head; vt != NULL; vt = next) {
		next = vt->rr_next;
		condis_tx_abort_queued(container_of(vt, struct condis_vc, tx),
				       CONDIS_STATUS_PAUSED);
	}
	q->rr_head = q->rr_tail = NULL;
	__atomic_store_n(&q->pause_flushed, true, __ATOMIC_RELEASE);
}

/* NBLs accepted on the adapter and not back yet. */
static uint64_t
adapter_outstanding(const struct condis_adapter *a)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < a->max_vcs; i++)
		if (a->vcs[i].state != CONDIS_VC_DELETED)
			n += condis_vc_in_flight(&a->vcs[i]);
	return n;
}

void
condis_adapter_check_paused(struct condis_adapter *a)
{
	uint8_t pausing = CONDIS_ADAPTER_PAUSING;
	uint16_t i;

	if (__atomic_load_n(&a->state, __ATOMIC_ACQUIRE) != CONDIS_ADAPTER_PAUSING)
		return;
	for (i = 0; i < a->nb_tx_queues; i++)
		if (!__atomic_load_n(&a->txqs[i].pause_flushed, __ATOMIC_ACQUIRE))
			return; /* an owner has not flushed its FIFOs yet */
	if (adapter_outstanding(a) == 0)
		__atomic_compare_exchange_n(&a->state, &pausing, CONDIS_ADAPTER_PAUSED, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

condis_status_t
condis_adapter_pause(struct condis_adapter *adapter)
{
	unsigned int self = rte_lcore_id();
	uint16_t i;

	if (adapter == NULL || condis_adapter_state(adapter) != CONDIS_ADAPTER_RUNNING)
		return CONDIS_STATUS_FAILURE;
	/* Running owners do not read pause_flushed: reset it before the flag. */
	for (i = 0; i < adapter->nb_tx_queues; i++)
		__atomic_store_n(&adapter->txqs[i].pause_flushed, false, __ATOMIC_RELAXED);
	__atomic_store_n(&adapter->state, CONDIS_ADAPTER_PAUSING, __ATOMIC_RELEASE);
	for (i = 0; i < adapter->nb_tx_queues; i++)
		__atomic_store_n(&adapter->txqs[i].paused, true, __ATOMIC_RELEASE);
	for (i = 0; i < adapter->nb_tx_queues; i++) {
		struct condis_txq *q = &adapter->txqs[i];

		if (q->owner != LCORE_ID_ANY && q->owner != self)
			continue; /* its owner flushes at its next poll */
		if (q->owner != LCORE_ID_ANY)
			condis_txq_drain(q); /* handed-over chains complete PAUSED */
		condis_txq_pause_flush(q); /* delivered by the next poll (condis_vc.h "Threads") */
	}
	condis_adapter_check_paused(adapter);
	return condis_adapter_state(adapter) == CONDIS_ADAPTER_PAUSED ?
		CONDIS_STATUS_SUCCESS : CONDIS_STATUS_PENDING;
}

condis_status_t
condis_adapter_restart(struct condis_adapter *adapter)
{
	uint16_t i;

	if (adapter == NULL || condis_adapter_state(adapter) != CONDIS_ADAPTER_PAUSED)
		return CONDIS_STATUS_FAILURE;
	for (i = 0; i < adapter->nb_tx_queues; i++)
		__atomic_store_n(&adapter->txqs[i].paused, false, __ATOMIC_RELEASE);
	__atomic_store_n(&adapter->state, CONDIS_ADAPTER_RUNNING, __ATOMIC_RELEASE);
	return CONDIS_STATUS_SUCCESS;
}
