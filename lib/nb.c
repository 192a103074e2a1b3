/* SPDX-License-Identifier: BSD-3-Clause */
/* NET_BUFFERs: pools, geometry (spec 3-4, 14), retreat/advance (17-19), data access (29). */
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "condis_private.h"

bool
condis_mdl_span_ok(const struct condis_mdl *mdl, uint32_t data_offset, uint32_t data_length)
{
	uint64_t total = 0;

	unsigned int n = 0;

	if (mdl == NULL)
		return data_offset == 0 && data_length == 0;
	for (; mdl != NULL; mdl = mdl->next)
		if (++n > CONDIS_NB_MAX_MDLS)
			return false; /* a loop */
		else
			total += mdl->byte_count;
	return (uint64_t)data_offset + data_length <= total;
}

/* Point current_mdl/current_mdl_offset at byte data_offset of the chain. */
static void
nb_locate(struct condis_nb *nb)
{
	struct condis_mdl *mdl = nb->mdl_chain;
	uint32_t off = nb->data_offset;
	unsigned int n = 0;

	/* Skip MDLs wholly before the data; stop on the last one (or where a
	 * chain that loops gives up: the send then finds it inconsistent). */
	while (mdl != NULL && mdl->next != NULL && off >= mdl->byte_count &&
	       ++n < CONDIS_NB_MAX_MDLS) {
		off -= mdl->byte_count;
		mdl = mdl->next;
	}
	nb->current_mdl = mdl;
	nb->current_mdl_offset = off;
}

void
condis_nb_init(struct condis_nb *nb, struct condis_mdl *mdl_chain, uint32_t data_offset,
	       uint32_t data_length)
{
	nb->next = NULL;
	nb->mdl_chain = mdl_chain;
	nb->data_offset = data_offset;
	nb->data_length = data_length;
	nb->retreat_mdls = 0;
	memset(nb->protocol_reserved, 0, sizeof(nb->protocol_reserved));
	memset(nb->miniport_reserved, 0, sizeof(nb->miniport_reserved));
	nb_locate(nb);
}

int
condis_nb_set_mdl_chain(struct condis_nb *nb, struct condis_mdl *mdl_chain,
			uint32_t data_offset, uint32_t data_length)
{
	if (nb == NULL || !condis_mdl_span_ok(mdl_chain, data_offset, data_length))
		return -EINVAL;
	nb->mdl_chain = mdl_chain;
	nb->data_offset = data_offset;
	nb->data_length = data_length;
	nb->retreat_mdls = 0;
	nb_locate(nb);
	return 0;
}

uint64_t
condis_nb_chain_bytes(const struct condis_nb *nb)
{
	const struct condis_mdl *mdl;
	uint64_t total = 0;
	unsigned int n = 0;

	for (mdl = nb->mdl_chain; mdl != NULL && n < CONDIS_NB_MAX_MDLS; mdl = mdl->next, n++)
		total += mdl->byte_count;
	return total;
}

bool
condis_nb_geometry_ok(const struct condis_nb *nb)
{
	const struct condis_mdl *mdl;
	uint64_t before = 0;

	if (nb->mdl_chain == NULL)
		return nb->current_mdl == NULL && nb->data_offset == 0 && nb->data_length == 0;
	unsigned int n = 0;

	for (mdl = nb->mdl_chain; mdl != NULL && mdl != nb->current_mdl; mdl = mdl->next)
		if (++n > CONDIS_NB_MAX_MDLS)
			return false; /* a loop */
		else
			before += mdl->byte_count;
	if (mdl == NULL)
		return false; /* current_mdl is not on the chain */
	if (!condis_mdl_span_ok(nb->mdl_chain, 0, 0))
		return false; /* the rest of the chain loops */
	if (nb->current_mdl_offset > mdl->byte_count)
		return false;
	return before + nb->current_mdl_offset == nb->data_offset &&
	       (uint64_t)nb->data_offset + nb->data_length <= condis_nb_chain_bytes(nb);
}

/* NB pools: each NB owns a header carrier for tags and padding. */
static void
nb_obj_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct condis_nb_pool *pool = arg;
	struct condis_nb *nb = obj;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	memset(nb, 0, sizeof(*nb));
	nb->pool = pool;
}

struct condis_nb_pool *
condis_nb_pool_create(const struct condis_nb_pool_params *params)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct condis_nb_pool *pool;

	if (params == NULL || params->name == NULL || params->count == 0 ||
	    params->data_size != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	pool = rte_zmalloc_socket("condis_nb_pool", sizeof(*pool), 0, params->socket_id);
	if (pool == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strlcpy(pool->name, params->name, sizeof(pool->name));
	snprintf(name, sizeof(name), "%s_h", params->name);
	pool->hdrs = condis_carrier_pool_create(name, params->count, CONDIS_HDR_ROOM,
						params->socket_id);
	if (pool->hdrs == NULL)
		goto free_pool;
	pool->nbs = rte_mempool_create(params->name, params->count, sizeof(struct condis_nb),
				       0, 0, NULL, NULL, nb_obj_init, pool,
				       params->socket_id, 0);
	if (pool->nbs == NULL)
		goto free_hdrs;
	return pool;

free_hdrs:
	condis_carrier_pool_free(pool->hdrs);
free_pool:
	rte_free(pool);
	return NULL;
}

int
condis_nb_pool_free(struct condis_nb_pool *pool)
{
	if (pool == NULL)
		return 0;
	if (rte_mempool_in_use_count(pool->nbs) != 0)
		return -EBUSY;
	rte_mempool_free(pool->nbs);
	condis_carrier_pool_free(pool->hdrs);
	rte_free(pool);
	return 0;
}

struct condis_nb *
condis_nb_alloc(struct condis_nb_pool *pool, struct condis_mdl *mdl_chain,
		uint32_t data_offset, uint32_t data_length)
{
	struct condis_nb *nb;
	struct condis_mdl *hdr;

	if (pool == NULL || !condis_mdl_span_ok(mdl_chain, data_offset, data_length)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (rte_mempool_get(pool->nbs, (void **)&nb) != 0) {
		rte_errno = ENOBUFS;
		return NULL;
	}
	hdr = condis_carrier_take(pool->hdrs, CONDIS_MDL_F_HEADER | CONDIS_MDL_F_POOL_DATA);
	if (hdr == NULL) {
		rte_mempool_put(pool->nbs, nb);
		rte_errno = ENOBUFS;
		return NULL;
	}
	nb->hdr = condis_mdl_carrier(hdr);
	nb->flags = 0;
	condis_nb_init(nb, mdl_chain, data_offset, data_length);
	return nb;
}

int
condis_nb_free(struct condis_nb *nb)
{
	if (nb == NULL || nb->pool == NULL || nb->hdr == NULL)
		return -EINVAL;
	if (__atomic_load_n(&condis_carrier_mdl(nb->hdr)->inflight, __ATOMIC_ACQUIRE) != NULL)
		return -EBUSY;
	condis_carrier_put(condis_carrier_mdl(nb->hdr));
	nb->hdr = NULL;
	rte_mempool_put(nb->pool->nbs, nb);
	return 0;
}

condis_status_t
condis_nb_retreat(struct condis_nb *nb, uint32_t delta, uint32_t backfill,
		  struct condis_mdl_pool *mdl_pool)
{
	struct condis_mdl *mdl;

	if (nb == NULL || (uint64_t)nb->data_length + delta > UINT32_MAX)
		return CONDIS_STATUS_FAILURE;
	if (nb->data_offset >= delta) {
		nb->data_offset -= delta;
		nb->data_length += delta;
		nb_locate(nb);
		return CONDIS_STATUS_SUCCESS;
	}
	/* A new MDL of delta + backfill goes in front of the chain, as NDIS
	 * does. Unused bytes the chain had before the data (0 < offset < delta)
	 * become data: the NB's bytes run on from the new MDL's tail into them,
	 * and the first used byte moves backfill + offset into the new MDL. */
	if (mdl_pool == NULL)
		return CONDIS_STATUS_FAILURE;
	if ((uint64_t)delta + backfill > mdl_pool->data_size)
		return CONDIS_STATUS_RESOURCES;
	mdl = condis_mdl_alloc_data(mdl_pool, delta + backfill);
	if (mdl == NULL)
		return CONDIS_STATUS_RESOURCES;
	/* In front of the whole chain: leading zero-length MDLs stay on it. */
	mdl->next = nb->mdl_chain;
	nb->mdl_chain = mdl;
	nb->data_offset += backfill;
	nb->data_length += delta;
	nb->retreat_mdls++;
	nb_locate(nb);
	return CONDIS_STATUS_SUCCESS;
}

int
condis_nb_advance(struct condis_nb *nb, uint32_t delta, bool free_mdl)
{
	if (nb == NULL || delta > nb->data_length)
		return -EINVAL;
	nb->data_offset += delta;
	nb->data_length -= delta;
	if (free_mdl) {
		/* Free retreat MDLs now wholly before the data. */
		while (nb->retreat_mdls > 0 && nb->mdl_chain->next != NULL &&
		       nb->data_offset >= nb->mdl_chain->byte_count) {
			struct condis_mdl *mdl = nb->mdl_chain;

			nb->mdl_chain = mdl->next;
			nb->data_offset -= mdl->byte_count;
			nb->retreat_mdls--;
			mdl->next = NULL;
			condis_mdl_free(mdl);
		}
	}
	nb_locate(nb);
	return 0;
}

void *
condis_nb_data(struct condis_nb *nb, uint32_t n, void *storage)
{
	struct condis_mdl *mdl;
	uint32_t off, copied = 0;

	if (nb == NULL || nb->data_length < n || nb->current_mdl == NULL)
		return NULL;
	mdl = nb->current_mdl;
	off = nb->current_mdl_offset;
	if (mdl->byte_count - off >= n)
		return RTE_PTR_ADD(mdl->va, off);
	if (storage == NULL)
		return NULL;
	while (copied < n && mdl != NULL) {
		uint32_t len = RTE_MIN(mdl->byte_count - off, n - copied);

		memcpy(RTE_PTR_ADD(storage, copied), RTE_PTR_ADD(mdl->va, off), len);
		copied += len;
		off = 0;
		mdl = mdl->next;
	}
	return storage;
}
