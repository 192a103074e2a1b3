/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pause and restart (spec 95-99). A pause refuses new sends with PAUSED (on
 * each queue's owner, send.c), completes what is still queued in software
 * with PAUSED, and waits for what the device has; the adapter is PAUSED once
 * every NBL is back. The FIFOs belong to the queues' owners, so each owner
 * flushes its own at its next poll (or the caller, for queues it owns).
 *
 * A device that frees sent buffers only when it needs the slot again
 * (net_e1000_em, net_virtio) would keep the last ones until more traffic
 * comes, which a pause forbids: a miniport with a pause op is quiesced like
 * a reset. Each owner, once flushed, "parks"; the last to park calls the
 * pause op (ethdev: stop the port, which frees what its rings hold), and
 * only then do the owners reclaim and deliver again, while the miniport
 * keeps its hands off the quiesced device (a PMD that still keeps frames,
 * net_ring, completes them as it frees them). The restart op (start the
 * port) runs on the caller of condis_adapter_restart(); a failed restart
 * leaves the adapter paused (spec 98).
 */
#include <rte_lcore.h>

#include "condis_private.h"

enum condis_adapter_state
condis_adapter_state(const struct condis_adapter *adapter)
{
	return (enum condis_adapter_state)__atomic_load_n(&adapter->state, __ATOMIC_ACQUIRE);
}

/* Last queue parked: quiesce the device; then the owners may deliver. */
static void
pause_device(struct condis_adapter *a)
{
	if (a->ops->pause != NULL)
		a->ops->pause(a->ctx, CONDIS_STATUS_PAUSED);
	__atomic_store_n(&a->pause_device_done, true, __ATOMIC_RELEASE);
}

void
condis_txq_pause_flush(struct condis_txq *q)
{
	struct condis_adapter *a = q->adapter;

	if (q->pause_flushed)
		return;
	condis_tx_abort_txq(q, CONDIS_STATUS_PAUSED);
	__atomic_store_n(&q->pause_flushed, true, __ATOMIC_RELEASE);
	if (__atomic_add_fetch(&a->pause_parked, 1, __ATOMIC_ACQ_REL) == a->nb_tx_queues)
		pause_device(a);
}

unsigned int
condis_txq_poll_paused(struct condis_txq *q)
{
	struct condis_adapter *a = q->adapter;
	unsigned int n;

	condis_txq_pause_flush(q);
	if (a->ops->pause != NULL && !__atomic_load_n(&a->pause_device_done, __ATOMIC_ACQUIRE))
		return 0; /* parked: the last owner quiesces the device first */
	q->tx_reclaim(q->mctx); /* what the device gives back (a quiesced one: no calls) */
	n = condis_tx_deliver(q);
	condis_adapter_check_paused(a);
	return n;
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

	if (__atomic_load_n(&a->state, __ATOMIC_ACQUIRE) != CONDIS_ADAPTER_PAUSING ||
	    __atomic_load_n(&a->pause_parked, __ATOMIC_ACQUIRE) != a->nb_tx_queues ||
	    !__atomic_load_n(&a->pause_device_done, __ATOMIC_ACQUIRE))
		return; /* an owner has not flushed its FIFOs, or the device is busy */
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
	/* Running owners do not read these: reset them before the flag. */
	adapter->pause_parked = 0;
	adapter->pause_device_done = false;
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
	/* Every owner is parked: the device is the caller's alone. */
	if (adapter->ops->restart != NULL && adapter->ops->restart(adapter->ctx) != 0) {
		CONDIS_LOG(ERR, "adapter %s: restart failed, still paused\n", adapter->ops->name);
		return CONDIS_STATUS_FAILURE;
	}
	__atomic_store_n(&adapter->state, CONDIS_ADAPTER_RUNNING, __ATOMIC_RELEASE);
	for (i = 0; i < adapter->nb_tx_queues; i++)
		__atomic_store_n(&adapter->txqs[i].paused, false, __ATOMIC_RELEASE);
	return CONDIS_STATUS_SUCCESS;
}
