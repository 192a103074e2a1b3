/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bounce pools: carriers a miniport lends for frames it copies whole. A
 * pool whose carriers a device still holds when the miniport lets go of it
 * (net_ring's consumer keeps mbufs past a stop) is kept until they are all
 * back, since the late free writes into it, and freed by a later create or
 * release. Control path.
 */
#include <rte_spinlock.h>

#include "condis_private.h"

#define KEPT_POOLS_MAX 64

static struct rte_mempool *kept_pools[KEPT_POOLS_MAX];
static rte_spinlock_t kept_pools_lock = RTE_SPINLOCK_INITIALIZER;

/* Free the kept pools whose carriers are all back. */
static void
kept_pools_sweep(void)
{
	unsigned int i;

	rte_spinlock_lock(&kept_pools_lock);
	for (i = 0; i < KEPT_POOLS_MAX; i++) {
		if (kept_pools[i] != NULL && condis_carrier_in_use(kept_pools[i]) == 0) {
			CONDIS_LOG(INFO, "bounce pool %s: every carrier back, freed\n",
				   kept_pools[i]->name);
			condis_carrier_pool_free(kept_pools[i]);
			kept_pools[i] = NULL;
		}
	}
	rte_spinlock_unlock(&kept_pools_lock);
}

/* Keep mp until its carriers are back; false if the table is full. */
static bool
kept_pools_add(struct rte_mempool *mp)
{
	unsigned int i;
	bool kept = false;

	rte_spinlock_lock(&kept_pools_lock);
	for (i = 0; i < KEPT_POOLS_MAX && !kept; i++) {
		if (kept_pools[i] == NULL) {
			kept_pools[i] = mp;
			kept = true;
		}
	}
	rte_spinlock_unlock(&kept_pools_lock);
	return kept;
}

struct rte_mempool *
condis_bounce_pool_create(const char *name, uint32_t n, uint16_t data_room, int socket_id)
{
	kept_pools_sweep();
	return condis_carrier_pool_create(name, n, data_room, socket_id);
}

void
condis_bounce_pool_release(struct rte_mempool *mp)
{
	uint32_t held;

	if (mp == NULL)
		return;
	held = condis_carrier_in_use(mp);
	if (held == 0) {
		condis_carrier_pool_free(mp);
	} else {
		bool kept = kept_pools_add(mp);

		CONDIS_LOG(WARNING, "bounce pool %s: %u carriers still held by a device; kept %s\n",
			   mp->name, held, kept ? "until they are back" : "for good (too many kept)");
	}
	kept_pools_sweep();
}
