/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit: NBL/NB/MDL objects and pools (spec 4, 8-14, 17-21, 24, 29, pitfall 4).
 */
#include <string.h>

#include <rte_malloc.h>
#include <rte_memory.h>

#include <condis/condis.h>

#include "condis_test.h"
#include "tutil.h"

static struct condis_nbl_pool_params
pool_params(uint32_t count)
{
	struct condis_nbl_pool_params p;

	memset(&p, 0, sizeof(p));
	p.name = tu_name("unbl");
	p.count = count;
	p.socket_id = SOCKET_ID_ANY;
	return p;
}

/* spec 8: pool parameter validation */
static void
test_pool_params(void)
{
	struct condis_nbl_pool_params p;
	struct condis_nbl_pool *pool, *dup;

	rte_errno = 0;
	CHECK(condis_nbl_pool_create(NULL) == NULL);
	CHECK_EQ(rte_errno, EINVAL);

	p = pool_params(0); /* no NBLs */
	rte_errno = 0;
	CHECK(condis_nbl_pool_create(&p) == NULL);
	CHECK_EQ(rte_errno, EINVAL);

	p = pool_params(8);
	p.context_size = 10; /* spec 8: ContextSize a multiple of the alignment (16) */
	rte_errno = 0;
	CHECK(condis_nbl_pool_create(&p) == NULL);
	CHECK_EQ(rte_errno, EINVAL);

	p = pool_params(8);
	p.allocate_nb = true;
	p.data_size = CONDIS_MDL_MAX_BYTES + 1u; /* one MDL can't describe it (pitfall 4) */
	rte_errno = 0;
	CHECK(condis_nbl_pool_create(&p) == NULL);
	CHECK_EQ(rte_errno, EINVAL);

	p = pool_params(8);
	p.name = NULL;
	rte_errno = 0;
	CHECK(condis_nbl_pool_create(&p) == NULL);
	CHECK_EQ(rte_errno, EINVAL);

	p = pool_params(8);
	p.context_size = 32;
	pool = condis_nbl_pool_create(&p);
	CHECK(pool != NULL);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 0);
	rte_errno = 0;
	dup = condis_nbl_pool_create(&p); /* same name */
	CHECK(dup == NULL);
	CHECK_EQ(rte_errno, EEXIST);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

static bool
nbl_is_zeroed(const struct condis_nbl *nbl, bool expect_nb)
{
	unsigned int i;

	if (nbl->next != NULL || nbl->source_handle != NULL || nbl->status != CONDIS_STATUS_SUCCESS ||
	    nbl->flags != 0 || nbl->parent != NULL || nbl->child_ref_count != 0 ||
	    nbl->scratch != NULL)
		return false;
	for (i = 0; i < RTE_DIM(nbl->protocol_reserved); i++)
		if (nbl->protocol_reserved[i] != NULL)
			return false;
	for (i = 0; i < RTE_DIM(nbl->miniport_reserved); i++)
		if (nbl->miniport_reserved[i] != NULL)
			return false;
	for (i = 0; i < CONDIS_NBL_INFO_MAX; i++)
		if (nbl->info[i] != 0)
			return false;
	if (expect_nb != (nbl->first_nb != NULL))
		return false;
	return true;
}

static void
dirty_nbl(struct condis_nbl *nbl)
{
	unsigned int i;

	nbl->source_handle = (void *)0x1;
	nbl->status = CONDIS_STATUS_FAILURE;
	nbl->flags = CONDIS_NBL_FLAGS_IS_IPV4;
	nbl->scratch = (void *)0x2;
	nbl->child_ref_count = 0; /* library-maintained; leave sane */
	for (i = 0; i < RTE_DIM(nbl->protocol_reserved); i++)
		nbl->protocol_reserved[i] = (void *)0x3;
	for (i = 0; i < RTE_DIM(nbl->miniport_reserved); i++)
		nbl->miniport_reserved[i] = (void *)0x4;
	for (i = 0; i < CONDIS_NBL_INFO_MAX; i++)
		nbl->info[i] = 0x5;
}

/* spec 11, 24: a fresh NBL is zeroed even when the object is recycled */
static void
test_alloc_zeroes(void)
{
	struct condis_nbl_pool_params p = pool_params(4);
	struct condis_nbl_pool *pool;
	struct condis_nbl *nbls[4];
	unsigned int i, round;

	p.context_size = 32;
	pool = condis_nbl_pool_create(&p);
	CHECK(pool != NULL);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4; i++) {
			nbls[i] = condis_nbl_alloc(pool);
			CHECK(nbls[i] != NULL);
			CHECK(nbl_is_zeroed(nbls[i], false));
			/* spec 8, 12: the reserved context is there, of the requested size */
			CHECK(nbls[i]->context != NULL);
			CHECK(nbls[i]->context_size >= 32);
			CHECK_EQ(nbls[i]->owner, CONDIS_NBL_OWNER_PROTOCOL);
			dirty_nbl(nbls[i]);
		}
		CHECK_EQ(condis_nbl_pool_in_use(pool), 4);
		/* exhausted: NULL + ENOBUFS */
		rte_errno = 0;
		CHECK(condis_nbl_alloc(pool) == NULL);
		CHECK_EQ(rte_errno, ENOBUFS);
		for (i = 0; i < 4; i++)
			CHECK_EQ(condis_nbl_free(nbls[i]), 0);
		CHECK_EQ(condis_nbl_pool_in_use(pool), 0);
	}
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* spec 9: preallocated NB / MDL / data */
static void
test_prealloc(void)
{
	struct condis_nbl_pool_params p = pool_params(4);
	struct condis_nbl_pool *pd, *pnb, *pbare;
	struct condis_nbl *nbl;
	struct condis_nb *nb;
	struct condis_mdl *m;

	p.allocate_nb = true;
	p.data_size = 1500;
	pd = condis_nbl_pool_create(&p);
	CHECK(pd != NULL);
	nbl = condis_nbl_alloc(pd);
	CHECK(nbl != NULL);
	CHECK(nbl_is_zeroed(nbl, true));
	nb = nbl->first_nb;
	CHECK(nb->next == NULL);
	CHECK(nb->mdl_chain != NULL);
	CHECK(nb->current_mdl == nb->mdl_chain);
	CHECK_EQ(nb->current_mdl_offset, 0);
	CHECK_EQ(nb->data_offset, 0);
	CHECK_EQ(nb->data_length, 1500);
	m = nb->mdl_chain;
	CHECK(m->next == NULL);
	CHECK(m->va != NULL);
	CHECK_EQ(m->byte_count, 1500);
	CHECK(m->iova != RTE_BAD_IOVA); /* DMA-able pool data */
	CHECK(m->flags & CONDIS_MDL_F_POOL_DATA);
	CHECK(m->flags & CONDIS_MDL_F_PREALLOCATED);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(condis_nb_chain_bytes(nb), 1500);
	memset(m->va, 0x5a, 1500); /* the data is writable */
	CHECK(condis_nb_first_byte(nb) == m->va);
	/* spec 9: the preallocated MDL is freed only with its NBL */
	CHECK_EQ(condis_mdl_free(m), -EINVAL);
	/* spec 9: with the NBL's NB, the pool can't be freed */
	CHECK_EQ(condis_nbl_pool_free(pd), -EBUSY);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pd), 0);

	/* allocate_nb without data: one NB, no MDL yet */
	p = pool_params(4);
	p.allocate_nb = true;
	pnb = condis_nbl_pool_create(&p);
	CHECK(pnb != NULL);
	nbl = condis_nbl_alloc(pnb);
	CHECK(nbl != NULL);
	CHECK(nbl_is_zeroed(nbl, true));
	CHECK(nbl->first_nb->mdl_chain == NULL);
	CHECK(nbl->first_nb->current_mdl == NULL);
	CHECK_EQ(nbl->first_nb->data_length, 0);
	CHECK_EQ(nbl->first_nb->data_offset, 0);
	CHECK(nbl->first_nb->next == NULL);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pnb), 0);

	/* neither: no NB */
	p = pool_params(4);
	pbare = condis_nbl_pool_create(&p);
	CHECK(pbare != NULL);
	nbl = condis_nbl_alloc(pbare);
	CHECK(nbl != NULL);
	CHECK(nbl_is_zeroed(nbl, false));
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pbare), 0);
}

/* bulk allocation: all or none */
static void
test_alloc_bulk(void)
{
	struct condis_nbl_pool_params p = pool_params(8);
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&p);
	struct condis_nbl *nbls[9];
	unsigned int i;

	CHECK(pool != NULL);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, 9), -ENOBUFS);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 0);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, 6), 0);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 6);
	for (i = 0; i < 6; i++)
		CHECK(nbls[i] != NULL && nbl_is_zeroed(nbls[i], false));
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls + 6, 3), -ENOBUFS);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 6);
	for (i = 0; i < 6; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* spec 10, 3-4: condis_nbl_alloc_with_nb geometry */
static void
test_alloc_with_nb(void)
{
	struct condis_nbl_pool_params p = pool_params(8);
	struct condis_nbl_pool *pool, *pdata, *pbare;
	struct condis_mdl_pool *mp;
	struct condis_mdl *m0, *m1;
	struct condis_nbl *nbl;
	struct condis_nb *nb;

	p.allocate_nb = true;
	pool = condis_nbl_pool_create(&p);
	CHECK(pool != NULL);
	mp = tu_mdl_pool(8, 256);
	CHECK(mp != NULL);
	m0 = condis_mdl_alloc_data(mp, 100);
	m1 = condis_mdl_alloc_data(mp, 200);
	CHECK(m0 != NULL && m1 != NULL);
	CHECK_EQ(m0->byte_count, 100);
	m0->next = m1;

	/* NULL chain only with 0/0 */
	nbl = condis_nbl_alloc_with_nb(pool, NULL, 0, 0);
	CHECK(nbl != NULL);
	CHECK(nbl->first_nb != NULL && nbl->first_nb->mdl_chain == NULL);
	CHECK_EQ(nbl->first_nb->data_length, 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	rte_errno = 0;
	CHECK(condis_nbl_alloc_with_nb(pool, NULL, 0, 10) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	rte_errno = 0;
	CHECK(condis_nbl_alloc_with_nb(pool, NULL, 4, 0) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	/* span beyond the chain (300 bytes) */
	rte_errno = 0;
	CHECK(condis_nbl_alloc_with_nb(pool, m0, 150, 151) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 0);

	/* offset 150 lands 50 bytes into the second MDL (spec 3-4) */
	nbl = condis_nbl_alloc_with_nb(pool, m0, 150, 100);
	CHECK(nbl != NULL);
	nb = nbl->first_nb;
	CHECK(nb->mdl_chain == m0);
	CHECK(nb->current_mdl == m1);
	CHECK_EQ(nb->current_mdl_offset, 50);
	CHECK_EQ(nb->data_offset, 150);
	CHECK_EQ(nb->data_length, 100);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(condis_nb_chain_bytes(nb), 300);
	CHECK(condis_nb_first_byte(nb) == RTE_PTR_ADD(m1->va, 50));
	/* spec 12: freeing the NBL does not free MDLs the caller attached */
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(m0->byte_count, 100);
	CHECK_EQ(condis_mdl_pool_free(mp), -EBUSY);

	/* offset exactly at the MDL boundary (re-link m0 -> m1: see
	 * test_recycled_nb_no_stale_mdl for why it may have been cut) */
	m0->next = m1;
	nbl = condis_nbl_alloc_with_nb(pool, m0, 100, 200);
	CHECK(nbl != NULL);
	nb = nbl->first_nb;
	if (!condis_nb_geometry_ok(nb))
		fprintf(stderr, "boundary NB: chain %p (m0 %p m1 %p) current %p off %u data_offset %u len %u\n",
			(void *)nb->mdl_chain, (void *)m0, (void *)m1, (void *)nb->current_mdl,
			nb->current_mdl_offset, nb->data_offset, nb->data_length);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(nbl->first_nb->data_offset, 100);
	CHECK_EQ(condis_nbl_free(nbl), 0);

	/* wrong pool kinds (spec 9-10) */
	p = pool_params(4);
	p.allocate_nb = true;
	p.data_size = 128;
	pdata = condis_nbl_pool_create(&p);
	CHECK(pdata != NULL);
	rte_errno = 0;
	CHECK(condis_nbl_alloc_with_nb(pdata, m0, 0, 10) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(condis_nbl_pool_free(pdata), 0);
	p = pool_params(4);
	pbare = condis_nbl_pool_create(&p);
	CHECK(pbare != NULL);
	rte_errno = 0;
	CHECK(condis_nbl_alloc_with_nb(pbare, m0, 0, 10) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(condis_nbl_pool_free(pbare), 0);

	m0->next = NULL;
	CHECK_EQ(condis_mdl_free(m0), 0);
	CHECK_EQ(condis_mdl_free(m1), 0);
	CHECK_EQ(condis_mdl_pool_free(mp), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* spec 11-12: a recycled allocate_nb NBL starts with an empty NB and does not
 * touch MDLs a previous user attached to it */
static void
test_recycled_nb_no_stale_mdl(void)
{
	struct condis_nbl_pool_params p = pool_params(1); /* one NBL: always recycled */
	struct condis_nbl_pool *pool;
	struct condis_mdl_pool *mp;
	struct condis_mdl *m0, *m1;
	struct condis_nbl *nbl;

	p.allocate_nb = true;
	pool = condis_nbl_pool_create(&p);
	CHECK(pool != NULL);
	mp = tu_mdl_pool(2, 128);
	CHECK(mp != NULL);
	m0 = condis_mdl_alloc_data(mp, 100);
	m1 = condis_mdl_alloc_data(mp, 100);
	CHECK(m0 != NULL && m1 != NULL);
	m0->next = m1;
	nbl = condis_nbl_alloc_with_nb(pool, m0, 0, 200);
	CHECK(nbl != NULL);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK(m0->next == m1); /* spec 12: the caller's chain is not touched by free */
	nbl = condis_nbl_alloc(pool);
	CHECK(nbl != NULL);
	/* spec 12: ... nor by the next allocation of the same NBL */
	if (m0->next != m1)
		fprintf(stderr, "recycled NBL: caller's MDL m0->next cut to %p\n", (void *)m0->next);
	CHECK(m0->next == m1);
	/* spec 11: the fresh NB has no MDL (condis_nbl_alloc: "no MDL until the
	 * caller gives it one") */
	if (nbl->first_nb->mdl_chain != NULL)
		fprintf(stderr, "recycled NBL: NB still points at the old MDL %p (m0 %p), data_length %u\n",
			(void *)nbl->first_nb->mdl_chain, (void *)m0, nbl->first_nb->data_length);
	CHECK(nbl->first_nb->mdl_chain == NULL);
	CHECK(nbl->first_nb->current_mdl == NULL);
	CHECK_EQ(nbl->first_nb->data_length, 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	m0->next = NULL;
	CHECK_EQ(condis_mdl_free(m0), 0);
	CHECK_EQ(condis_mdl_free(m1), 0);
	CHECK_EQ(condis_mdl_pool_free(mp), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

/* spec 12-13, 7: free rules, double free, foreign NBL, pool free */
static void
test_free_rules(void)
{
	struct condis_nbl_pool_params p = pool_params(4);
	struct condis_nbl_pool *pool;
	struct condis_nb_pool *nbp;
	struct condis_mdl_pool *mp;
	struct condis_nbl *a, *b;
	struct condis_nb *nb;
	struct condis_mdl *m;
	struct condis_nbl foreign;

	pool = condis_nbl_pool_create(&p);
	CHECK(pool != NULL);
	nbp = tu_nb_pool(4);
	CHECK(nbp != NULL);
	mp = tu_mdl_pool(4, 128);
	CHECK(mp != NULL);

	a = condis_nbl_alloc(pool);
	b = condis_nbl_alloc(pool);
	CHECK(a != NULL && b != NULL);
	m = condis_mdl_alloc_data(mp, 64);
	CHECK(m != NULL);
	nb = condis_nb_alloc(nbp, m, 0, 64);
	CHECK(nb != NULL);
	CHECK(nb->current_mdl == m);
	CHECK(condis_nb_geometry_ok(nb));
	a->first_nb = nb;

	/* spec 13: pool with outstanding NBLs: -EBUSY, pool unchanged */
	CHECK_EQ(condis_nbl_pool_free(pool), -EBUSY);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 2);

	/* spec 12: NBs the caller attached survive the NBL */
	CHECK_EQ(condis_nbl_free(a), 0);
	CHECK_EQ(condis_nb_pool_free(nbp), -EBUSY);
	CHECK_EQ(nb->data_length, 64);
	/* double free: -EINVAL, and the count is not disturbed */
	CHECK_EQ(condis_nbl_free(a), -EINVAL);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 1);
	/* spec 7: an NBL not from a pool is rejected */
	memset(&foreign, 0, sizeof(foreign));
	CHECK_EQ(condis_nbl_free(&foreign), -EINVAL);
	CHECK_EQ(condis_nbl_free(NULL), -EINVAL);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 1);
	/* a free must not corrupt the pool: allocation still works, zeroed */
	a = condis_nbl_alloc(pool);
	CHECK(a != NULL && nbl_is_zeroed(a, false));
	CHECK_EQ(condis_nbl_free(a), 0);
	CHECK_EQ(condis_nbl_free(b), 0);
	CHECK_EQ(condis_nbl_pool_in_use(pool), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);

	/* NB / MDL pools: -EBUSY while allocated */
	CHECK_EQ(condis_mdl_pool_free(mp), -EBUSY);
	CHECK_EQ(condis_nb_free(nb), 0);
	CHECK_EQ(condis_nb_pool_free(nbp), 0);
	CHECK_EQ(condis_mdl_free(m), 0);
	CHECK_EQ(condis_mdl_pool_free(mp), 0);
}

/* spec 4, 14: geometry invariant and condis_nb_set_mdl_chain */
static void
test_geometry_set_chain(void)
{
	struct tu_pools tp;
	struct condis_mdl *m[3], *big;
	struct condis_nb *nb, saved;
	unsigned int i;

	CHECK(tu_pools_create(&tp, 8));
	for (i = 0; i < 3; i++) {
		m[i] = condis_mdl_alloc_data(tp.mdl, 64);
		CHECK(m[i] != NULL);
		if (i > 0)
			m[i - 1]->next = m[i];
	}
	big = condis_mdl_alloc_data(tp.mdl, 1000);
	CHECK(big != NULL);
	nb = condis_nb_alloc(tp.nb, big, 10, 900);
	CHECK(nb != NULL);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(nb->current_mdl_offset, 10);

	/* spec 14: re-point at a 3-MDL chain, every field consistent */
	CHECK_EQ(condis_nb_set_mdl_chain(nb, m[0], 100, 80), 0);
	CHECK(nb->mdl_chain == m[0]);
	CHECK(nb->current_mdl == m[1]);
	CHECK_EQ(nb->current_mdl_offset, 36);
	CHECK_EQ(nb->data_offset, 100);
	CHECK_EQ(nb->data_length, 80);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(condis_nb_chain_bytes(nb), 192);

	/* too long: -EINVAL, NB unchanged */
	saved = *nb;
	CHECK_EQ(condis_nb_set_mdl_chain(nb, big, 500, 501), -EINVAL);
	CHECK(memcmp(&saved, nb, sizeof(saved)) == 0);
	CHECK_EQ(condis_nb_set_mdl_chain(nb, m[0], 192, 1), -EINVAL);
	CHECK(memcmp(&saved, nb, sizeof(saved)) == 0);

	/* spec 4: the checker catches an inconsistent NB */
	nb->data_offset = 99;
	CHECK(!condis_nb_geometry_ok(nb));
	nb->data_offset = 100;
	nb->data_length = 93; /* 100 + 93 > 192 */
	CHECK(!condis_nb_geometry_ok(nb));
	nb->data_length = 92;
	CHECK(condis_nb_geometry_ok(nb));
	nb->current_mdl = m[2]; /* offset 36 into m[2] is byte 164, not 100 */
	CHECK(!condis_nb_geometry_ok(nb));

	CHECK_EQ(condis_nb_set_mdl_chain(nb, big, 0, 1000), 0);
	CHECK(nb->current_mdl == big);
	CHECK_EQ(nb->current_mdl_offset, 0);
	CHECK(condis_nb_geometry_ok(nb));
	tu_free_nb(nb); /* and big */
	m[0]->next = NULL;
	m[1]->next = NULL;
	for (i = 0; i < 3; i++)
		CHECK_EQ(condis_mdl_free(m[i]), 0);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.bare), 0);
}

/* spec 17-19: retreat / advance */
static void
test_retreat_advance(void)
{
	struct tu_pools tp;
	struct condis_mdl_pool *rp;
	struct condis_mdl *m, *nm, *a, *b;
	struct condis_nb *nb, saved;
	uint8_t buf[256];
	uint8_t *p;
	unsigned int i;

	CHECK(tu_pools_create(&tp, 8));
	rp = tu_mdl_pool(1, 256); /* one MDL for retreats */
	CHECK(rp != NULL);
	m = condis_mdl_alloc_data(tp.mdl, 128);
	CHECK(m != NULL);
	for (i = 0; i < 128; i++)
		((uint8_t *)m->va)[i] = (uint8_t)i;

	/* spec 17: room in front: only the offset moves */
	nb = condis_nb_alloc(tp.nb, m, 64, 64);
	CHECK(nb != NULL);
	CHECK_EQ(condis_nb_retreat(nb, 14, 0, rp), CONDIS_STATUS_SUCCESS);
	CHECK(nb->mdl_chain == m);
	CHECK_EQ(nb->data_offset, 50);
	CHECK_EQ(nb->data_length, 78);
	CHECK_EQ(nb->current_mdl_offset, 50);
	CHECK(condis_nb_geometry_ok(nb));
	/* spec 18: advance back */
	CHECK_EQ(condis_nb_advance(nb, 14, true), 0);
	CHECK_EQ(nb->data_offset, 64);
	CHECK_EQ(nb->data_length, 64);
	CHECK(condis_nb_geometry_ok(nb));
	/* advance beyond data_length: -EINVAL, unchanged */
	saved = *nb;
	CHECK_EQ(condis_nb_advance(nb, 65, false), -EINVAL);
	CHECK(memcmp(&saved, nb, sizeof(saved)) == 0);

	/* spec 17: no room: a new MDL of delta + backfill in front */
	CHECK_EQ(condis_nb_set_mdl_chain(nb, m, 0, 128), 0);
	CHECK_EQ(condis_nb_retreat(nb, 14, 32, rp), CONDIS_STATUS_SUCCESS);
	nm = nb->mdl_chain;
	CHECK(nm != m);
	CHECK(nm->next == m);
	CHECK_EQ(nm->byte_count, 14 + 32);
	CHECK_EQ(nb->data_length, 142);
	CHECK_EQ(nb->data_offset, 32);
	CHECK(nb->current_mdl == nm);
	CHECK_EQ(nb->current_mdl_offset, 32);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(condis_nb_chain_bytes(nb), 128 + 46);
	/* the retreated bytes plus the old data read back in order (spec 29) */
	memset(condis_nb_first_byte(nb), 0xee, 14);
	p = condis_nb_data(nb, 142, buf);
	CHECK(p == buf);
	for (i = 0; i < 14; i++)
		CHECK_EQ(p[i], 0xee);
	for (i = 0; i < 128; i++)
		CHECK_EQ(p[14 + i], i);
	/* retreat pool now empty: a retreat that needs a new MDL fails with
	 * RESOURCES and leaves the NB unchanged */
	{
		struct condis_mdl *m2 = condis_mdl_alloc_data(tp.mdl, 64);
		struct condis_nb *nb2;

		CHECK(m2 != NULL);
		nb2 = condis_nb_alloc(tp.nb, m2, 0, 64);
		CHECK(nb2 != NULL);
		saved = *nb2;
		CHECK_EQ(condis_nb_retreat(nb2, 10, 0, rp), CONDIS_STATUS_RESOURCES);
		CHECK(memcmp(&saved, nb2, sizeof(saved)) == 0);
		tu_free_nb(nb2);
	}

	/* spec 18: advance without free keeps the MDL for reuse ... */
	CHECK_EQ(condis_nb_advance(nb, 14, false), 0);
	CHECK_EQ(nb->data_offset, 46);
	CHECK_EQ(nb->data_length, 128);
	CHECK(nb->mdl_chain == nm);
	CHECK(condis_nb_geometry_ok(nb));
	/* ... so the next retreat reuses it (the retreat pool is empty) */
	CHECK_EQ(condis_nb_retreat(nb, 14, 0, rp), CONDIS_STATUS_SUCCESS);
	CHECK(nb->mdl_chain == nm);
	CHECK_EQ(nb->data_offset, 32);
	CHECK(condis_nb_geometry_ok(nb));
	/* advance with free releases the retreat MDL (back to its pool) */
	CHECK_EQ(condis_nb_advance(nb, 14, true), 0);
	CHECK(nb->mdl_chain == m);
	CHECK(nb->current_mdl == m);
	CHECK_EQ(nb->current_mdl_offset, 0);
	CHECK_EQ(nb->data_offset, 0);
	CHECK_EQ(nb->data_length, 128);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(condis_mdl_pool_free(rp), 0);

	/* spec 17: 0 < offset < delta: a new MDL of delta + backfill in front,
	 * the old unused bytes become data after its tail */
	{
		struct condis_mdl_pool *rp2 = tu_mdl_pool(1, 256);
		struct condis_mdl *m3 = condis_mdl_alloc_data(tp.mdl, 64);
		struct condis_nb *nb3;

		CHECK(rp2 != NULL && m3 != NULL);
		for (i = 0; i < 64; i++)
			((uint8_t *)m3->va)[i] = (uint8_t)(0x40 + i);
		nb3 = condis_nb_alloc(tp.nb, m3, 6, 58);
		CHECK(nb3 != NULL);
		CHECK_EQ(condis_nb_retreat(nb3, 14, 8, rp2), CONDIS_STATUS_SUCCESS);
		CHECK(nb3->mdl_chain != m3 && nb3->mdl_chain->next == m3);
		CHECK_EQ(nb3->mdl_chain->byte_count, 14 + 8);
		CHECK_EQ(nb3->data_offset, 8 + 6);
		CHECK_EQ(nb3->data_length, 72);
		CHECK_EQ(nb3->current_mdl_offset, 14);
		CHECK(condis_nb_geometry_ok(nb3));
		memset(condis_nb_first_byte(nb3), 0xcc, 8); /* the 8 new bytes in the new MDL */
		p = condis_nb_data(nb3, 72, buf);
		CHECK(p != NULL);
		for (i = 0; i < 8; i++)
			CHECK_EQ(p[i], 0xcc);
		for (i = 0; i < 64; i++) /* then the old unused 6 bytes and the data */
			CHECK_EQ(p[8 + i], 0x40 + i);
		CHECK_EQ(condis_nb_advance(nb3, 14, true), 0);
		CHECK(nb3->mdl_chain == m3); /* the retreat MDL went back */
		CHECK_EQ(nb3->data_offset, 6);
		CHECK(condis_nb_geometry_ok(nb3));
		condis_nb_set_mdl_chain(nb3, m3, 0, 0);
		tu_free_nb(nb3); /* frees m3 */
		CHECK_EQ(condis_mdl_pool_free(rp2), 0);
	}

	/* advance across an MDL boundary */
	a = condis_mdl_alloc_data(tp.mdl, 64);
	b = condis_mdl_alloc_data(tp.mdl, 64);
	CHECK(a != NULL && b != NULL);
	a->next = b;
	CHECK_EQ(condis_nb_set_mdl_chain(nb, a, 0, 128), 0);
	CHECK_EQ(condis_nb_advance(nb, 70, false), 0);
	CHECK(nb->current_mdl == b);
	CHECK_EQ(nb->current_mdl_offset, 6);
	CHECK_EQ(nb->data_offset, 70);
	CHECK_EQ(nb->data_length, 58);
	CHECK(condis_nb_geometry_ok(nb));
	/* retreat back across the boundary: no allocation needed */
	CHECK_EQ(condis_nb_retreat(nb, 70, 0, NULL), CONDIS_STATUS_SUCCESS);
	CHECK(nb->current_mdl == a);
	CHECK_EQ(nb->data_offset, 0);
	CHECK(condis_nb_geometry_ok(nb));

	CHECK_EQ(condis_nb_retreat(NULL, 1, 0, NULL), CONDIS_STATUS_FAILURE);

	condis_nb_set_mdl_chain(nb, m, 0, 0);
	tu_free_nb(nb); /* frees m */
	a->next = NULL;
	condis_mdl_free(a);
	condis_mdl_free(b);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.bare), 0);
}

/* spec 29: condis_nb_data */
static void
test_nb_data(void)
{
	struct tu_pools tp;
	struct condis_mdl *a, *b;
	struct condis_nb *nb;
	uint8_t storage[128];
	uint8_t *p;
	unsigned int i;

	CHECK(tu_pools_create(&tp, 4));
	a = condis_mdl_alloc_data(tp.mdl, 40);
	b = condis_mdl_alloc_data(tp.mdl, 40);
	CHECK(a != NULL && b != NULL);
	a->next = b;
	for (i = 0; i < 40; i++) {
		((uint8_t *)a->va)[i] = (uint8_t)i;
		((uint8_t *)b->va)[i] = (uint8_t)(40 + i);
	}
	nb = condis_nb_alloc(tp.nb, a, 10, 60); /* bytes 10..69 */
	CHECK(nb != NULL);
	/* contiguous: a pointer into the data, storage untouched */
	memset(storage, 0x77, sizeof(storage));
	p = condis_nb_data(nb, 30, storage);
	CHECK(p == RTE_PTR_ADD(a->va, 10));
	CHECK_EQ(storage[0], 0x77);
	p = condis_nb_data(nb, 30, NULL);
	CHECK(p == RTE_PTR_ADD(a->va, 10));
	/* spans two MDLs: NULL without storage, a copy with it */
	CHECK(condis_nb_data(nb, 31, NULL) == NULL);
	p = condis_nb_data(nb, 60, storage);
	CHECK(p == storage);
	for (i = 0; i < 60; i++)
		CHECK_EQ(p[i], 10 + i);
	/* more than data_length: NULL */
	CHECK(condis_nb_data(nb, 61, storage) == NULL);
	/* data starting in the second MDL is contiguous */
	CHECK_EQ(condis_nb_advance(nb, 35, false), 0);
	p = condis_nb_data(nb, 25, NULL);
	CHECK(p == RTE_PTR_ADD(b->va, 5));
	CHECK_EQ(p[0], 45);
	tu_free_nb(nb);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.bare), 0);
}

/* spec 20-21: clones with and without the original MDLs */
static void
test_clone(void)
{
	struct tu_pools tp;
	struct condis_nbl_pool_params p = pool_params(8);
	struct condis_nbl_pool *orig_pool, *clone_pool;
	struct condis_mdl_pool *clone_mdls;
	struct condis_nbl *orig, *c1, *c2;
	struct condis_nb *onb[2], *cnb;
	uint8_t s1[1600], s2[1600];
	uint32_t flags;

	CHECK(tu_pools_create(&tp, 8));
	p.context_size = 32;
	orig_pool = condis_nbl_pool_create(&p);
	CHECK(orig_pool != NULL);
	clone_pool = tu_nbl_pool(8, false, 0);
	CHECK(clone_pool != NULL);
	clone_mdls = tu_mdl_pool(16, 0); /* zero-copy only MDLs for the clone */
	CHECK(clone_mdls != NULL);

	orig = condis_nbl_alloc(orig_pool);
	CHECK(orig != NULL);
	onb[0] = tu_multi_nb(&tp, 300, 3, 1, 0);
	onb[1] = tu_multi_nb(&tp, 200, 1, 1, 1);
	CHECK(onb[0] != NULL && onb[1] != NULL);
	/* give NB 0 unused space in front: only the used span is cloned */
	CHECK_EQ(condis_nb_advance(onb[0], 30, false), 0);
	onb[0]->next = onb[1];
	orig->first_nb = onb[0];
	orig->info[CONDIS_NBL_INFO_IEEE8021Q] = condis_8021q_info(7, 1);

	for (flags = 0; flags <= CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS;
	     flags += CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS) {
		struct condis_nb *o;

		c1 = condis_nbl_clone(orig, clone_pool, tp.nb, clone_mdls, flags);
		CHECK(c1 != NULL);
		CHECK(c1 != orig);
		CHECK(c1->parent == orig);                 /* spec 21 */
		CHECK_EQ(orig->child_ref_count, 1);
		CHECK(c1->context == NULL);                /* spec 20: no context */
		CHECK_EQ(condis_nbl_nb_count(c1), 2);
		for (cnb = c1->first_nb, o = orig->first_nb; cnb != NULL;
		     cnb = cnb->next, o = o->next) {
			uint8_t *pc, *po;

			CHECK(cnb != o);                   /* new NBs */
			CHECK_EQ(cnb->data_length, o->data_length);
			CHECK(condis_nb_geometry_ok(cnb));
			/* no copy: the first used byte is the same memory */
			CHECK(condis_nb_first_byte(cnb) == condis_nb_first_byte(o));
			pc = condis_nb_data(cnb, cnb->data_length, s1);
			po = condis_nb_data(o, o->data_length, s2);
			CHECK(pc != NULL && po != NULL);
			CHECK(memcmp(pc, po, o->data_length) == 0);
			if (flags & CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS) {
				CHECK(cnb->current_mdl == o->current_mdl);
				CHECK_EQ(cnb->current_mdl_offset, o->current_mdl_offset);
			} else {
				struct condis_mdl *cm;

				/* new MDLs over the used span only */
				for (cm = cnb->mdl_chain; cm != NULL; cm = cm->next) {
					struct condis_mdl *om;

					for (om = o->mdl_chain; om != NULL; om = om->next)
						CHECK(cm != om);
				}
				CHECK_EQ(cnb->data_offset, 0);
				CHECK_EQ(condis_nb_chain_bytes(cnb), o->data_length);
			}
		}
		/* the clone reads the same bytes the original describes: write
		 * through the original, read through the clone */
		((uint8_t *)condis_nb_first_byte(orig->first_nb))[0] ^= 0xff;
		CHECK_EQ(((uint8_t *)condis_nb_first_byte(c1->first_nb))[0],
			 ((uint8_t *)condis_nb_first_byte(orig->first_nb))[0]);
		((uint8_t *)condis_nb_first_byte(orig->first_nb))[0] ^= 0xff;

		c2 = condis_nbl_clone(orig, clone_pool, tp.nb, clone_mdls, flags);
		CHECK(c2 != NULL);
		CHECK_EQ(orig->child_ref_count, 2);

		/* free rules (spec 20) */
		CHECK_EQ(condis_nbl_free(c1), -EPERM);
		CHECK_EQ(condis_nbl_free_clone(c1, flags ^ CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS), -EINVAL);
		CHECK_EQ(condis_nbl_free_clone(orig, flags), -EINVAL);
		CHECK_EQ(condis_nbl_free(orig), -EBUSY); /* its clones still out (spec 21) */
		CHECK_EQ(orig->child_ref_count, 2);
		CHECK_EQ(condis_nbl_free_clone(c1, flags), 0);
		CHECK_EQ(orig->child_ref_count, 1);
		CHECK_EQ(condis_nbl_free_clone(c2, flags), 0);
		CHECK_EQ(orig->child_ref_count, 0);
		/* every clone NB and MDL went back */
		CHECK_EQ(condis_nbl_pool_in_use(clone_pool), 0);
		CHECK_EQ(onb[0]->data_length, 270); /* original untouched */
		CHECK_EQ(onb[0]->data_offset, 30);
	}
	CHECK_EQ(condis_mdl_pool_free(clone_mdls), 0);
	orig->first_nb = NULL;
	onb[0]->next = NULL;
	tu_free_nb(onb[0]);
	tu_free_nb(onb[1]);
	CHECK_EQ(condis_nbl_free(orig), 0);
	CHECK_EQ(condis_nbl_pool_free(orig_pool), 0);
	CHECK_EQ(condis_nbl_pool_free(clone_pool), 0);
	CHECK_EQ(condis_mdl_pool_free(tp.mdl), 0);
	CHECK_EQ(condis_nb_pool_free(tp.nb), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.data), 0);
	CHECK_EQ(condis_nbl_pool_free(tp.bare), 0);
}

/* spec 6, pitfall 4, 6: MDL allocation limits */
static void
test_mdl_limits(void)
{
	struct condis_mdl_pool *zc, *dp;
	struct condis_mdl *m, *m2, *ms[3];
	uint8_t *mem;

	zc = tu_mdl_pool(2, 0);
	dp = tu_mdl_pool(2, 512);
	CHECK(zc != NULL && dp != NULL);
	mem = rte_malloc("tmem", 70000, 64);
	CHECK(mem != NULL);

	rte_errno = 0;
	CHECK(condis_mdl_alloc_ext(zc, mem, RTE_BAD_IOVA, 0) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	rte_errno = 0;
	CHECK(condis_mdl_alloc_ext(zc, mem, RTE_BAD_IOVA, CONDIS_MDL_MAX_BYTES + 1) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	m = condis_mdl_alloc_ext(zc, mem, RTE_BAD_IOVA, CONDIS_MDL_MAX_BYTES);
	CHECK(m != NULL);
	CHECK(m->va == mem);
	CHECK_EQ(m->byte_count, CONDIS_MDL_MAX_BYTES);
	CHECK(m->next == NULL);
	CHECK(!(m->flags & CONDIS_MDL_F_POOL_DATA));
	CHECK(!(m->flags & CONDIS_MDL_F_PREALLOCATED));
	/* RTE_BAD_IOVA: condis looks the address up */
	CHECK(m->iova != RTE_BAD_IOVA);
	CHECK_EQ(m->iova, rte_malloc_virt2iova(mem));
	/* an explicit IOVA is kept */
	m2 = condis_mdl_alloc_ext(zc, mem + 64, rte_malloc_virt2iova(mem) + 64, 100);
	CHECK(m2 != NULL);
	CHECK_EQ(m2->iova, rte_malloc_virt2iova(mem) + 64);
	/* pool of 2 exhausted */
	rte_errno = 0;
	CHECK(condis_mdl_alloc_ext(zc, mem, RTE_BAD_IOVA, 10) == NULL);
	CHECK_EQ(rte_errno, ENOBUFS);
	/* data MDLs from a zero-copy-only pool: EINVAL */
	rte_errno = 0;
	CHECK(condis_mdl_alloc_data(zc, 1) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(condis_mdl_pool_free(zc), -EBUSY);
	CHECK_EQ(condis_mdl_free(m), 0);
	CHECK_EQ(condis_mdl_free(m2), 0);
	CHECK_EQ(condis_mdl_pool_free(zc), 0);

	/* data MDLs: len <= pool data_size */
	rte_errno = 0;
	CHECK(condis_mdl_alloc_data(dp, 513) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	ms[0] = condis_mdl_alloc_data(dp, 512);
	CHECK(ms[0] != NULL);
	CHECK_EQ(ms[0]->byte_count, 512);
	CHECK(ms[0]->flags & CONDIS_MDL_F_POOL_DATA);
	CHECK(ms[0]->iova != RTE_BAD_IOVA);
	memset(ms[0]->va, 0xab, 512);
	ms[1] = condis_mdl_alloc_data(dp, 1);
	CHECK(ms[1] != NULL);
	rte_errno = 0;
	ms[2] = condis_mdl_alloc_data(dp, 1);
	CHECK(ms[2] == NULL);
	CHECK_EQ(rte_errno, ENOBUFS);
	CHECK_EQ(condis_mdl_free(ms[0]), 0);
	CHECK_EQ(condis_mdl_free(ms[1]), 0);
	CHECK_EQ(condis_mdl_pool_free(dp), 0);
	rte_free(mem);
}

/* spec 17: at data offset 0 the new MDL goes in front of the whole chain,
 * so a leading zero-length MDL stays on it (and is not leaked). */
static void
test_retreat_keeps_leading_empty_mdl(void)
{
	struct condis_mdl_pool *mp = tu_mdl_pool(4, 256);
	struct condis_nb_pool *np = tu_nb_pool(1);
	struct condis_mdl *empty, *data, *m;
	struct condis_nb *nb;
	unsigned int n = 0;

	CHECK(mp != NULL && np != NULL);
	empty = condis_mdl_alloc_data(mp, 8);
	data = condis_mdl_alloc_data(mp, 100);
	CHECK(empty != NULL && data != NULL);
	empty->byte_count = 0; /* an MDL describing nothing, first in the chain */
	empty->next = data;
	nb = condis_nb_alloc(np, empty, 0, 100);
	CHECK(nb != NULL);
	CHECK(nb->current_mdl == data);
	CHECK_EQ(condis_nb_retreat(nb, 14, 0, mp), CONDIS_STATUS_SUCCESS);
	CHECK(nb->mdl_chain != empty && nb->mdl_chain != data);
	CHECK(nb->mdl_chain->next == empty);
	for (m = nb->mdl_chain; m != NULL; m = m->next)
		n++;
	CHECK_EQ(n, 3);
	CHECK(condis_nb_geometry_ok(nb));
	CHECK_EQ(nb->data_length, 114);
	CHECK_EQ(condis_nb_advance(nb, 14, true), 0); /* frees the retreat MDL */
	CHECK(nb->mdl_chain == empty);
	CHECK_EQ(condis_nb_free(nb), 0);
	CHECK_EQ(condis_mdl_free(data), 0);
	empty->next = NULL;
	CHECK_EQ(condis_mdl_free(empty), 0);
	CHECK_EQ(condis_mdl_pool_free(mp), 0); /* nothing leaked */
	CHECK_EQ(condis_nb_pool_free(np), 0);
}

/* A pool that cannot be built returns NULL with rte_errno and leaves
 * nothing behind: the same name works at once with a size that fits. */
static void
test_pool_create_failure(void)
{
	const uint32_t huge = 1u << 26; /* far more than the 256 MB EAL has */
	struct condis_mdl_pool_params mp = { .name = "fail_mdl", .count = huge,
					     .data_size = 64, .socket_id = SOCKET_ID_ANY };
	struct condis_nb_pool_params np = { .name = "fail_nb", .count = huge,
					    .socket_id = SOCKET_ID_ANY };
	struct condis_nbl_pool_params lp = { .name = "fail_nbl", .count = huge,
					     .data_size = 64, .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool *mdl;
	struct condis_nb_pool *nb;
	struct condis_nbl_pool *nbl;

	rte_errno = 0;
	CHECK(condis_mdl_pool_create(&mp) == NULL);
	CHECK(rte_errno != 0);
	rte_errno = 0;
	CHECK(condis_nb_pool_create(&np) == NULL);
	CHECK(rte_errno != 0);
	rte_errno = 0;
	CHECK(condis_nbl_pool_create(&lp) == NULL);
	CHECK(rte_errno != 0);
	mp.count = np.count = lp.count = 64;
	mdl = condis_mdl_pool_create(&mp);
	nb = condis_nb_pool_create(&np);
	nbl = condis_nbl_pool_create(&lp);
	CHECK(mdl != NULL && nb != NULL && nbl != NULL);
	CHECK_EQ(condis_mdl_pool_free(mdl), 0);
	CHECK_EQ(condis_nb_pool_free(nb), 0);
	CHECK_EQ(condis_nbl_pool_free(nbl), 0);
}

/* An unknown MDL pool flag is refused; single-queue MDLs say so. */
static void
test_mdl_pool_flags(void)
{
	struct condis_mdl_pool_params mp = { .name = tu_name("flg"), .count = 4,
					     .data_size = 64, .socket_id = SOCKET_ID_ANY,
					     .flags = 0x80 };
	struct condis_mdl_pool *pool;
	struct condis_mdl *m;

	rte_errno = 0;
	CHECK(condis_mdl_pool_create(&mp) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	mp.flags = CONDIS_MDL_POOL_F_SINGLE_QUEUE;
	pool = condis_mdl_pool_create(&mp);
	CHECK(pool != NULL);
	m = condis_mdl_alloc_data(pool, 64);
	CHECK(m != NULL);
	CHECK(m->flags & CONDIS_MDL_F_SINGLE_QUEUE);
	CHECK_EQ(condis_mdl_free(m), 0);
	CHECK_EQ(condis_mdl_pool_free(pool), 0);
}

/* spec 15: the context is a stack in the NBL's area, continued in allocated
 * blocks; a free undoes the last allocation; freeing the NBL drops what the
 * caller left. */
static void
test_context_stack(void)
{
	struct condis_nbl_pool_params pp = { .name = tu_name("ctx"), .count = 2,
					     .context_size = 64, .socket_id = SOCKET_ID_ANY };
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&pp);
	struct rte_malloc_socket_stats before, after;
	struct condis_nbl *nbl;
	uint8_t *area, *p1, *p2, *p3;

	CHECK(pool != NULL);
	nbl = condis_nbl_alloc(pool);
	CHECK(nbl != NULL);
	area = nbl->context;
	CHECK(condis_nbl_context_data(nbl) == NULL);
	CHECK_EQ(condis_nbl_context_data_size(nbl), 0);
	CHECK_EQ(condis_nbl_context_alloc(nbl, 24, 0), -EINVAL); /* not a multiple of 16 */
	CHECK_EQ(condis_nbl_context_alloc(nbl, 0, 0), -EINVAL);
	/* In the area: each allocation sits below the one before (a stack). */
	CHECK_EQ(condis_nbl_context_alloc(nbl, 32, 0), 0);
	p1 = condis_nbl_context_data(nbl);
	CHECK(p1 == area + 32);
	CHECK_EQ(condis_nbl_context_data_size(nbl), 32);
	memset(p1, 0x11, 32);
	CHECK_EQ(condis_nbl_context_alloc(nbl, 32, 0), 0);
	p2 = condis_nbl_context_data(nbl);
	CHECK(p2 == area);
	CHECK_EQ(condis_nbl_context_data_size(nbl), 64);
	/* The area is full: a block of size + back-fill, the data at its end. */
	rte_malloc_get_socket_stats(rte_socket_id(), &before);
	CHECK_EQ(condis_nbl_context_alloc(nbl, 48, 32), 0);
	p3 = condis_nbl_context_data(nbl);
	CHECK(p3 != NULL && (p3 < area || p3 >= area + 64));
	CHECK_EQ(condis_nbl_context_data_size(nbl), 48);
	CHECK_EQ((uintptr_t)p3 % 16, 0);
	memset(p3, 0x33, 48);
	/* Back-fill: the next one fits in the same block, below. */
	CHECK_EQ(condis_nbl_context_alloc(nbl, 16, 0), 0);
	CHECK(condis_nbl_context_data(nbl) == p3 - 16);
	/* Frees undo in order; one past what the top block holds is refused. */
	CHECK_EQ(condis_nbl_context_free(nbl, 80), -EINVAL);
	CHECK_EQ(condis_nbl_context_free(nbl, 16), 0);
	CHECK(condis_nbl_context_data(nbl) == p3);
	CHECK_EQ(condis_nbl_context_free(nbl, 48), 0); /* the block goes */
	CHECK(condis_nbl_context_data(nbl) == p2);
	CHECK_EQ(p1[0], 0x11); /* untouched below */
	CHECK_EQ(condis_nbl_context_free(nbl, 32), 0);
	CHECK(condis_nbl_context_data(nbl) == p1);
	/* Left allocated, a block is freed with the NBL. */
	CHECK_EQ(condis_nbl_context_alloc(nbl, 64, 0), 0);
	CHECK(condis_nbl_context_data(nbl) != NULL);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	rte_malloc_get_socket_stats(rte_socket_id(), &after);
	CHECK_EQ(after.heap_allocsz_bytes, before.heap_allocsz_bytes);
	nbl = condis_nbl_alloc(pool); /* recycled: a fresh stack */
	CHECK(nbl != NULL);
	CHECK(condis_nbl_context_data(nbl) == NULL);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "NBL pool parameter validation (spec 8)", test_pool_params },
		{ "alloc zeroes every field, also recycled (spec 11, 24)", test_alloc_zeroes },
		{ "prealloc NB/MDL/data (spec 9)", test_prealloc },
		{ "bulk alloc all-or-none", test_alloc_bulk },
		{ "alloc_with_nb geometry (spec 3-4, 10)", test_alloc_with_nb },
		{ "recycled NBL: no stale MDL, caller chain untouched (spec 11-12)", test_recycled_nb_no_stale_mdl },
		{ "free rules, double/foreign free, pool busy (spec 7, 12-13)", test_free_rules },
		{ "geometry invariant, set_mdl_chain (spec 4, 14)", test_geometry_set_chain },
		{ "retreat / advance (spec 17-18)", test_retreat_advance },
		{ "nb_data contiguous / copied (spec 29)", test_nb_data },
		{ "clone with/without original MDLs, parent refs (spec 20-21)", test_clone },
		{ "MDL ext/data limits (spec 6, pitfall 4, 6)", test_mdl_limits },
		{ "retreat keeps a leading zero-length MDL (spec 17)",
		  test_retreat_keeps_leading_empty_mdl },
		{ "pool creation failure: NULL, rte_errno, nothing left", test_pool_create_failure },
		{ "MDL pool flags", test_mdl_pool_flags },
		{ "NBL context: a stack, continued in blocks (spec 15)", test_context_stack },
	};

	(void)argc;
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
