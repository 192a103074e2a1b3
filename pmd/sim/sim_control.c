/* SPDX-License-Identifier: BSD-3-Clause */
/* The sim miniport's test controls (condis_sim.h): release, faults, stats. */
#include <errno.h>

#include "sim_private.h"

struct sim_adapter *
sim_of(const struct condis_adapter *adapter)
{
	struct sim_adapter *ad;

	if (adapter == NULL)
		return NULL;
	/* Every miniport context starts with at least 4 bytes; only ours
	 * starts with the magic. */
	ad = condis_adapter_ctx(adapter);
	if (ad == NULL || ad->magic != SIM_MAGIC)
		return NULL;
	return ad;
}

static struct sim_txq *
txq_of(const struct condis_adapter *adapter, uint16_t txq)
{
	struct sim_adapter *ad = sim_of(adapter);

	if (ad == NULL || txq >= ad->nb_txq)
		return NULL;
	return &ad->txq[txq];
}

bool
condis_sim_is_sim(const struct condis_adapter *adapter)
{
	return sim_of(adapter) != NULL;
}

int
condis_sim_complete(struct condis_adapter *adapter, uint16_t txq, uint32_t n)
{
	struct sim_txq *q = txq_of(adapter, txq);

	if (q == NULL)
		return -EINVAL;
	return (int)sim_release_oldest(q, n);
}

int
condis_sim_complete_one(struct condis_adapter *adapter, uint16_t txq, uint32_t i)
{
	struct sim_txq *q = txq_of(adapter, txq);

	if (q == NULL)
		return -EINVAL;
	return (int)sim_release_at(q, i);
}

int
condis_sim_fail_next(struct condis_adapter *adapter, uint16_t txq, uint32_t n,
		     condis_status_t status)
{
	struct sim_txq *q = txq_of(adapter, txq);

	if (q == NULL || status == CONDIS_STATUS_SUCCESS || status == CONDIS_STATUS_PENDING)
		return -EINVAL;
	q->fail_left = n;
	q->fail_status = status;
	return 0;
}

int
condis_sim_stall(struct condis_adapter *adapter, uint16_t txq, bool on)
{
	struct sim_txq *q = txq_of(adapter, txq);

	if (q == NULL)
		return -EINVAL;
	q->stalled = on;
	return 0;
}

int
condis_sim_link(struct condis_adapter *adapter, bool up)
{
	struct sim_adapter *ad = sim_of(adapter);

	if (ad == NULL)
		return -EINVAL;
	if (ad->link_up == up)
		return 0;
	SIM_LOG(INFO, "link %s\n", up ? "up" : "down");
	ad->link_up = up;
	/* Protocols hear of it (NdisMCoIndicateStatusEx). */
	condis_adapter_indicate_status(adapter, up ? CONDIS_STATUS_MEDIA_CONNECT :
				       CONDIS_STATUS_MEDIA_DISCONNECT);
	return 0;
}

int
condis_sim_queue_stats_get(const struct condis_adapter *adapter, uint16_t txq,
			   struct condis_sim_queue_stats *stats)
{
	const struct sim_txq *q = txq_of(adapter, txq);

	if (q == NULL || stats == NULL)
		return -EINVAL;
	*stats = q->stats;
	stats->held = q->count;
	return 0;
}

int
condis_sim_capture_read(struct condis_adapter *adapter, uint16_t txq,
			struct condis_sim_frame *frames, uint32_t n)
{
	struct sim_txq *q = txq_of(adapter, txq);
	uint32_t i;

	if (q == NULL || (frames == NULL && n != 0))
		return -EINVAL;
	if (q->capture == NULL)
		return 0;
	n = RTE_MIN(n, q->cap_count);
	for (i = 0; i < n; i++) {
		frames[i] = q->capture[q->cap_head];
		q->cap_head = (q->cap_head + 1) % CONDIS_SIM_CAPTURE_FRAMES;
	}
	q->cap_count -= n;
	return (int)n;
}
