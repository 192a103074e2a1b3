/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reset (spec 100-104) and status indications. A reset refuses sends with
 * RESET_IN_PROGRESS and has every queue's owner, at its next poll, complete
 * its FIFOs with that status and stop touching the device ("park"). The
 * owner that parks last (or the caller, when it owns every queue) resets the
 * device through the miniport and lets the queues go: the device is never
 * reset under a running tx_burst, and no lock is taken on the data path.
 */
#include <rte_lcore.h>

#include "condis_private.h"

void
condis_adapter_indicate(struct condis_adapter *a, condis_status_t status)
{
	uint32_t i;

	for (i = 0; i < a->max_vcs; i++) {
		struct condis_vc *vc = &a->vcs[i];

		if (vc->state == CONDIS_VC_DELETED)
			continue;
		if (vc->protocol->status_vc != NULL)
			vc->protocol->status_vc(vc, status);
		else if (vc->protocol->ops.co_status != NULL)
			vc->protocol->ops.co_status(vc->protocol_ctx, status);
	}
}

void
condis_adapter_indicate_status(struct condis_adapter *adapter, condis_status_t status)
{
	if (adapter != NULL)
		condis_adapter_indicate(adapter, status);
}

bool
condis_adapter_resetting(const struct condis_adapter *adapter)
{
	return adapter != NULL && __atomic_load_n(&adapter->resetting, __ATOMIC_ACQUIRE);
}

/* Every queue is parked: reset the device, let the queues go, say so. */
static condis_status_t
reset_finish(struct condis_adapter *a)
{
	int rc = 0;
	uint16_t i;

	if (a->ops->reset != NULL)
		rc = a->ops->reset(a->ctx, CONDIS_STATUS_RESET_IN_PROGRESS);
	for (i = 0; i < a->nb_tx_queues; i++)
		__atomic_store_n(&a->txqs[i].resetting, false, __ATOMIC_RELEASE);
	__atomic_store_n(&a->resetting, false, __ATOMIC_RELEASE);
	if (rc != 0)
		CONDIS_LOG(ERR, "adapter %s: device reset failed (%d)\n", a->ops->name, rc);
	condis_adapter_indicate(a, CONDIS_STATUS_RESET_END);
	return rc == 0 ? CONDIS_STATUS_SUCCESS : CONDIS_STATUS_FAILURE;
}

/* Park q for the reset (on its owner): empty its FIFOs and count it. The
 * queue that parks last finishes the reset. */
condis_status_t
condis_txq_reset_park(struct condis_txq *q)
{
	struct condis_adapter *a = q->adapter;

	if (q->reset_parked)
		return CONDIS_STATUS_PENDING;
	condis_tx_abort_txq(q, CONDIS_STATUS_RESET_IN_PROGRESS);
	q->reset_parked = true;
	if (__atomic_add_fetch(&a->reset_parked, 1, __ATOMIC_ACQ_REL) == a->nb_tx_queues)
		return reset_finish(a);
	return CONDIS_STATUS_PENDING;
}

condis_status_t
condis_adapter_reset(struct condis_adapter *adapter)
{
	condis_status_t st = CONDIS_STATUS_PENDING;
	unsigned int self = rte_lcore_id();
	bool idle = false;
	uint16_t i;

	if (adapter == NULL)
		return CONDIS_STATUS_FAILURE;
	if (!__atomic_compare_exchange_n(&adapter->resetting, &idle, true, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return CONDIS_STATUS_RESET_IN_PROGRESS; /* spec 101 */
	condis_adapter_indicate(adapter, CONDIS_STATUS_RESET_START);
	adapter->reset_parked = 0;
	for (i = 0; i < adapter->nb_tx_queues; i++)
		adapter->txqs[i].reset_parked = false;
	/* Owners read the flag at their polls; it publishes the resets above. */
	for (i = 0; i < adapter->nb_tx_queues; i++)
		__atomic_store_n(&adapter->txqs[i].resetting, true, __ATOMIC_RELEASE);
	for (i = 0; i < adapter->nb_tx_queues; i++) {
		struct condis_txq *q = &adapter->txqs[i];

		if (q->owner != LCORE_ID_ANY && q->owner != self)
			continue; /* parks at its owner's next poll */
		if (q->owner != LCORE_ID_ANY)
			condis_txq_drain(q); /* handed-over chains: RESET_IN_PROGRESS */
		st = condis_txq_reset_park(q);
	}
	return st;
}
