/* SPDX-License-Identifier: BSD-3-Clause */
/* NBL pools (spec 7-13): rte_mempool of NBLs, optionally each with its NB, MDL and data. */
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "condis_private.h"

#define NBL_CONTEXT_ALIGN 16 /* MEMORY_ALLOCATION_ALIGNMENT on x64 */

static size_t
nbl_elt_size(const struct condis_nbl_pool_params *p)
{
	return RTE_ALIGN(sizeof(struct condis_nbl), NBL_CONTEXT_ALIGN) + p->context_size;
}

/* Bind each NBL to its pool, its context area and its preallocated parts. */
static void
nbl_obj_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct condis_nbl_pool *pool = arg;
	struct condis_nbl *nbl = obj;
	struct condis_mdl *hdr, *data = NULL;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	memset(nbl, 0, sizeof(*nbl));
	nbl->pool = pool;
	nbl->context_size = pool->params.context_size;
	nbl->context_offset = nbl->context_size;
	if (nbl->context_size != 0)
		nbl->context = RTE_PTR_ADD(nbl, RTE_ALIGN(sizeof(*nbl), NBL_CONTEXT_ALIGN));
	if (pool->hdrs == NULL)
		return;
	/* Pools are sized one carrier per NBL, so these cannot fail. */
	hdr = condis_carrier_take(pool->hdrs, CONDIS_MDL_F_HEADER | CONDIS_MDL_F_POOL_DATA |
				  CONDIS_MDL_F_PREALLOCATED);
	hdr->prealloc_of = nbl; /* only this NBL's sends take it: no atomic */
	nbl->prealloc_nb.hdr = condis_mdl_carrier(hdr);
	if (pool->data != NULL) {
		data = condis_carrier_take(pool->data, CONDIS_MDL_F_POOL_DATA |
					   CONDIS_MDL_F_PREALLOCATED);
		data->byte_count = pool->params.data_size;
		data->prealloc_of = nbl;
	}
	nbl->prealloc_mdl = data;
}

struct condis_nbl_pool *
condis_nbl_pool_create(const struct condis_nbl_pool_params *params)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct condis_nbl_pool *pool;
	uint32_t cache;

	/* The fields the send path touches share the NBL's first line. */
	RTE_BUILD_BUG_ON(offsetof(struct condis_nbl, protocol_reserved) > RTE_CACHE_LINE_SIZE);
	if (params == NULL || params->name == NULL || params->count == 0 ||
	    params->context_size % NBL_CONTEXT_ALIGN != 0 ||
	    params->data_size > CONDIS_MDL_MAX_BYTES - RTE_PKTMBUF_HEADROOM) {
		rte_errno = EINVAL;
		return NULL;
	}
	pool = rte_zmalloc_socket("condis_nbl_pool", sizeof(*pool), 0, params->socket_id);
	if (pool == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strlcpy(pool->name, params->name, sizeof(pool->name));
	pool->params = *params;
	pool->params.name = pool->name;
	if (params->allocate_nb || params->data_size != 0) {
		snprintf(name, sizeof(name), "%s_h", params->name);
		pool->hdrs = condis_carrier_pool_create(name, params->count, CONDIS_HDR_ROOM,
							params->socket_id);
		if (pool->hdrs == NULL)
			goto free_pool;
	}
	if (params->data_size != 0) {
		snprintf(name, sizeof(name), "%s_d", params->name);
		pool->data = condis_carrier_pool_create(name, params->count,
							(uint16_t)params->data_size,
							params->socket_id);
		if (pool->data == NULL)
			goto free_hdrs;
	}
	cache = params->cache_size;
	if (cache == 0)
		cache = RTE_MIN((uint32_t)RTE_MEMPOOL_CACHE_MAX_SIZE, params->count / (4 * rte_lcore_count()));
	cache = RTE_MIN(cache, (uint32_t)RTE_MEMPOOL_CACHE_MAX_SIZE);
	if (cache * 3 / 2 > params->count)
		cache = 0;
	pool->nbls = rte_mempool_create(params->name, params->count, nbl_elt_size(params),
					cache, 0, NULL, NULL, nbl_obj_init, pool,
					params->socket_id, 0);
	if (pool->nbls == NULL)
		goto free_data;
	return pool;

free_data:
	if (pool->data != NULL)
		condis_carrier_pool_free(pool->data);
free_hdrs:
	if (pool->hdrs != NULL)
		condis_carrier_pool_free(pool->hdrs);
free_pool:
	rte_free(pool);
	return NULL;
}

uint32_t
condis_nbl_pool_in_use(const struct condis_nbl_pool *pool)
{
	return rte_mempool_in_use_count(pool->nbls);
}

int
condis_nbl_pool_free(struct condis_nbl_pool *pool)
{
	if (pool == NULL)
		return 0;
	if (condis_nbl_pool_in_use(pool) != 0)
		return -EBUSY;
	rte_mempool_free(pool->nbls);
	if (pool->data != NULL)
		condis_carrier_pool_free(pool->data);
	if (pool->hdrs != NULL)
		condis_carrier_pool_free(pool->hdrs);
	rte_free(pool);
	return 0;
}

/* Fresh-NBL state (spec 11, 24): everything zero but the pool bindings. */
static inline void
nbl_reset(struct condis_nbl *nbl)
{
	const struct condis_nbl_pool *pool = nbl->pool;

	nbl->next = NULL;
	nbl->source_handle = NULL;
	nbl->status = CONDIS_STATUS_SUCCESS;
	nbl->flags = 0;
	nbl->parent = NULL;
	nbl->child_ref_count = 0;
	nbl->scratch = NULL;
	memset(nbl->protocol_reserved, 0, sizeof(nbl->protocol_reserved));
	memset(nbl->miniport_reserved, 0, sizeof(nbl->miniport_reserved));
	memset(nbl->info, 0, sizeof(nbl->info));
	nbl->clone_flags = 0;
	nbl->miniport_pending = 0;
	nbl->miniport_cursor = NULL;
	nbl->miniport_done = NULL;
	if (pool->hdrs != NULL) {
		/* The pool's own MDL, never one a caller attached last time. */
		struct condis_mdl *data = nbl->prealloc_mdl;

		if (data != NULL)
			data->next = NULL;
		condis_nb_init(&nbl->prealloc_nb, data, 0,
			       data != NULL ? pool->params.data_size : 0);
		nbl->prealloc_nb.flags = 0;
		nbl->first_nb = &nbl->prealloc_nb;
	} else {
		nbl->first_nb = NULL;
	}
	nbl->magic = CONDIS_NBL_MAGIC;
	nbl->owner = CONDIS_NBL_OWNER_PROTOCOL;
}

struct condis_nbl *
condis_nbl_alloc(struct condis_nbl_pool *pool)
{
	struct condis_nbl *nbl;

	if (pool == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (rte_mempool_get(pool->nbls, (void **)&nbl) != 0) {
		rte_errno = ENOBUFS;
		return NULL;
	}
	nbl_reset(nbl);
	return nbl;
}

int
condis_nbl_alloc_bulk(struct condis_nbl_pool *pool, struct condis_nbl **nbls, unsigned int n)
{
	unsigned int i;

	if (pool == NULL || nbls == NULL)
		return -EINVAL;
	if (rte_mempool_get_bulk(pool->nbls, (void **)nbls, n) != 0)
		return -ENOBUFS;
	for (i = 0; i < n; i++)
		nbl_reset(nbls[i]);
	return 0;
}

struct condis_nbl *
condis_nbl_alloc_with_nb(struct condis_nbl_pool *pool, struct condis_mdl *mdl_chain,
			 uint32_t data_offset, uint32_t data_length)
{
	struct condis_nbl *nbl;

	if (pool == NULL || !pool->params.allocate_nb || pool->params.data_size != 0 ||
	    !condis_mdl_span_ok(mdl_chain, data_offset, data_length)) {
		rte_errno = EINVAL;
		return NULL;
	}
	nbl = condis_nbl_alloc(pool);
	if (nbl != NULL)
		condis_nb_init(&nbl->prealloc_nb, mdl_chain, data_offset, data_length);
	return nbl;
}

static int
nbl_check_owned(const struct condis_nbl *nbl)
{
	if (nbl == NULL || nbl->magic != CONDIS_NBL_MAGIC || nbl->pool == NULL ||
	    nbl->owner == CONDIS_NBL_OWNER_FREE)
		return -EINVAL;
	if (nbl->owner == CONDIS_NBL_OWNER_STACK || nbl->owner == CONDIS_NBL_OWNER_MINIPORT)
		return -EBUSY; /* in a send; a miniport holding it is still in it */
	return 0;
}

void
condis_nbl_put(struct condis_nbl *nbl)
{
	condis_nbl_context_reset(nbl); /* context blocks the caller left allocated */
	nbl->owner = CONDIS_NBL_OWNER_FREE;
	rte_mempool_put(nbl->pool->nbls, nbl);
}

/* Does a device still hold one of the NBL's own buffers? (After a close,
 * a PMD that keeps mbufs, such as net_ring, still has them: the NBL has
 * completed, but its memory must outlive the device's reference.) */
static bool
nbl_prealloc_held(const struct condis_nbl *nbl)
{
	const struct condis_mdl *data = nbl->prealloc_mdl;

	if (nbl->prealloc_nb.hdr != NULL &&
	    __atomic_load_n(&condis_carrier_mdl(nbl->prealloc_nb.hdr)->inflight,
			    __ATOMIC_ACQUIRE) != NULL)
		return true;
	return data != NULL && __atomic_load_n(&data->inflight, __ATOMIC_ACQUIRE) != NULL;
}

int
condis_nbl_free(struct condis_nbl *nbl)
{
	int rc = nbl_check_owned(nbl);

	if (rc != 0)
		return rc;
	if (nbl->clone_flags & CONDIS_NBL_CLONE_MARK)
		return -EPERM;
	/* A clone still out describes this NBL's bytes and points back at it
	 * (spec 21): freeing the parent first would leave it dangling. */
	if (nbl->child_ref_count != 0 || nbl_prealloc_held(nbl))
		return -EBUSY;
	condis_nbl_put(nbl);
	return 0;
}

int
condis_nbl_check_owned(const struct condis_nbl *nbl)
{
	return nbl_check_owned(nbl);
}
