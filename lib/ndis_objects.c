/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NDIS names' object calls that are more than a rename (condis/ndis.h):
 * pools made from documented parameter structures, under names NDIS never
 * asks for, and the one MDL pool the MDL-allocating NDIS calls share.
 */
#include <stdio.h>

#include <rte_errno.h>
#include <rte_spinlock.h>

#include <condis/ndis.h>

#include "condis_ndis.h"

/* Pool names: NDIS pools are anonymous, mempools want unique names. */
static uint32_t pools_made;

/* The shared MDL pool, made by the first registered NDIS-style driver and
 * freed with the last (control path, under the lock). */
static rte_spinlock_t mdl_pool_lock = RTE_SPINLOCK_INITIALIZER;
static struct condis_mdl_pool *mdl_pool;
static unsigned int mdl_pool_users;

static bool
header_ok(const NDIS_OBJECT_HEADER *h, UCHAR type, UCHAR revision, USHORT size)
{
	return h->Type == type && h->Revision >= revision && h->Size >= size;
}

struct condis_nbl_pool *
condis_ndis_nbl_pool_create(const NET_BUFFER_LIST_POOL_PARAMETERS *params, uint32_t count)
{
	struct condis_nbl_pool_params p = {0};
	char name[32];

	if (params == NULL ||
	    !header_ok(&params->Header, NDIS_OBJECT_TYPE_DEFAULT,
		       NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1,
		       NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1)) {
		rte_errno = EINVAL;
		return NULL;
	}
	snprintf(name, sizeof(name), "ndis_nbl%u",
		 __atomic_fetch_add(&pools_made, 1, __ATOMIC_RELAXED));
	p.name = name;
	p.count = count;
	p.protocol_id = params->ProtocolId;
	p.allocate_nb = params->fAllocateNetBuffer != 0;
	p.context_size = params->ContextSize;
	p.data_size = params->DataSize;
	p.pool_tag = params->PoolTag;
	p.socket_id = SOCKET_ID_ANY;
	return condis_nbl_pool_create(&p);
}

struct condis_nb_pool *
condis_ndis_nb_pool_create(const NET_BUFFER_POOL_PARAMETERS *params, uint32_t count)
{
	struct condis_nb_pool_params p = {0};
	char name[32];

	if (params == NULL ||
	    !header_ok(&params->Header, NDIS_OBJECT_TYPE_DEFAULT,
		       NET_BUFFER_POOL_PARAMETERS_REVISION_1,
		       NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1)) {
		rte_errno = EINVAL;
		return NULL;
	}
	snprintf(name, sizeof(name), "ndis_nb%u",
		 __atomic_fetch_add(&pools_made, 1, __ATOMIC_RELAXED));
	p.name = name;
	p.count = count;
	p.data_size = params->DataSize; /* not 0: refused (EINVAL) */
	p.socket_id = SOCKET_ID_ANY;
	return condis_nb_pool_create(&p);
}

struct condis_mdl_pool *
condis_ndis_mdl_pool(void)
{
	return __atomic_load_n(&mdl_pool, __ATOMIC_ACQUIRE);
}

int
condis_ndis_mdl_pool_get(void)
{
	int rc = 0;

	rte_spinlock_lock(&mdl_pool_lock);
	if (mdl_pool == NULL) { /* none yet, or freed with the last user */
		struct condis_mdl_pool_params p = {
			.name = "ndis_mdl",
			.count = CONDIS_NDIS_MDL_POOL_SIZE,
			.data_size = CONDIS_NDIS_MDL_DATA_SIZE,
			.socket_id = SOCKET_ID_ANY,
		};
		struct condis_mdl_pool *pool = condis_mdl_pool_create(&p);

		if (pool == NULL)
			rc = -rte_errno;
		else
			__atomic_store_n(&mdl_pool, pool, __ATOMIC_RELEASE);
	}
	if (rc == 0)
		mdl_pool_users++;
	rte_spinlock_unlock(&mdl_pool_lock);
	return rc;
}

void
condis_ndis_mdl_pool_put(void)
{
	rte_spinlock_lock(&mdl_pool_lock);
	if (mdl_pool_users > 0 && --mdl_pool_users == 0) {
		/* MDLs still allocated keep the pool (and are reported). */
		if (condis_mdl_pool_free(mdl_pool) == 0)
			__atomic_store_n(&mdl_pool, NULL, __ATOMIC_RELEASE);
		else
			CONDIS_LOG(WARNING, "NDIS MDL pool kept: MDLs still allocated\n");
	}
	rte_spinlock_unlock(&mdl_pool_lock);
}
