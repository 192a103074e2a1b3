/* SPDX-License-Identifier: BSD-3-Clause */
/* MDL pools: pool-data MDLs and zero-copy MDLs over protocol memory. */
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "condis_private.h"

struct condis_mdl_pool *
condis_mdl_pool_create(const struct condis_mdl_pool_params *params)
{
	struct condis_mdl_pool *pool;

	if (params == NULL || params->name == NULL || params->count == 0 ||
	    (params->flags & ~CONDIS_MDL_POOL_F_SINGLE_QUEUE) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	pool = rte_zmalloc_socket("condis_mdl_pool", sizeof(*pool), 0, params->socket_id);
	if (pool == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strlcpy(pool->name, params->name, sizeof(pool->name));
	pool->data_size = params->data_size;
	if (params->flags & CONDIS_MDL_POOL_F_SINGLE_QUEUE)
		pool->mdl_flags = CONDIS_MDL_F_SINGLE_QUEUE;
	pool->carriers = condis_carrier_pool_create(params->name, params->count,
						    params->data_size, params->socket_id);
	if (pool->carriers == NULL) {
		rte_free(pool);
		return NULL;
	}
	return pool;
}

int
condis_mdl_pool_free(struct condis_mdl_pool *pool)
{
	if (pool == NULL)
		return 0;
	if (condis_carrier_in_use(pool->carriers) != 0)
		return -EBUSY;
	condis_carrier_pool_free(pool->carriers);
	rte_free(pool);
	return 0;
}

struct condis_mdl *
condis_mdl_alloc_ext(struct condis_mdl_pool *pool, void *va, rte_iova_t iova, uint32_t len)
{
	struct condis_mdl *mdl;

	if (pool == NULL || va == NULL || len == 0 || len > CONDIS_MDL_MAX_BYTES) {
		rte_errno = EINVAL;
		return NULL;
	}
	mdl = condis_carrier_take(pool->carriers, pool->mdl_flags);
	if (mdl == NULL) {
		rte_errno = ENOBUFS;
		return NULL;
	}
	if (iova == RTE_BAD_IOVA)
		iova = rte_mem_virt2iova(va);
	mdl->va = va;
	mdl->iova = iova;
	mdl->byte_count = len;
	mdl->pool = pool;
	return mdl;
}

struct condis_mdl *
condis_mdl_alloc_data(struct condis_mdl_pool *pool, uint32_t len)
{
	struct condis_mdl *mdl;

	if (pool == NULL || len == 0 || len > pool->data_size) {
		rte_errno = EINVAL;
		return NULL;
	}
	mdl = condis_carrier_take(pool->carriers, CONDIS_MDL_F_POOL_DATA | pool->mdl_flags);
	if (mdl == NULL) {
		rte_errno = ENOBUFS;
		return NULL;
	}
	mdl->byte_count = len;
	mdl->pool = pool;
	return mdl;
}

int
condis_mdl_free(struct condis_mdl *mdl)
{
	if (mdl == NULL || mdl->pool == NULL || !(mdl->flags & CONDIS_MDL_F_ALLOCATED) ||
	    (mdl->flags & (CONDIS_MDL_F_PREALLOCATED | CONDIS_MDL_F_HEADER)))
		return -EINVAL;
	if (__atomic_load_n(&mdl->inflight, __ATOMIC_ACQUIRE) != NULL)
		return -EBUSY; /* a send holds it, perhaps on another lcore */
	mdl->pool = NULL;
	condis_carrier_put(mdl);
	return 0;
}
