/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Carrier mbufs and the "condis_carrier" mempool ops.
 *
 * Every MDL lives in the private area of a carrier mbuf, and the carrier is
 * what the miniport hands to the PMD. Carrier pools have no per-lcore cache,
 * so every put reaches these ops. The ethdev miniport holds a second
 * reference on what it sends and learns of completion from its held ring
 * (pmd/ethdev/ethdev_held.h), so what reaches enqueue is idle carriers put
 * back, bounce carriers returned and late frees after an abandon at close;
 * a bound carrier freed by a PMD without a held reference still releases
 * its NBL here (docs/DESIGN-NOTES.md).
 */
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "condis_private.h"

#define CARRIER_OPS_NAME "condis_carrier"

/* What an abandoned carrier's inflight points at until the PMD frees it: the
 * MDL reads busy, so nothing re-points an mbuf that an old ring still holds. */
static struct condis_nbl orphan;

struct carrier_store {
	struct rte_ring *idle; /* carriers not bound to anything */
	uint32_t size;
};

static int
carrier_alloc(struct rte_mempool *mp)
{
	char name[RTE_RING_NAMESIZE];
	struct carrier_store *st;

	st = rte_zmalloc_socket("condis_carrier_store", sizeof(*st), 0, mp->socket_id);
	if (st == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "cc_%s", mp->name);
	st->idle = rte_ring_create(name, mp->size, mp->socket_id, RING_F_EXACT_SZ);
	if (st->idle == NULL) {
		rte_free(st);
		return -rte_errno;
	}
	st->size = mp->size;
	mp->pool_data = st;
	return 0;
}

static void
carrier_free(struct rte_mempool *mp)
{
	struct carrier_store *st = mp->pool_data;

	/* rte_mempool_free() calls this even when alloc failed or never ran. */
	if (st == NULL)
		return;
	rte_ring_free(st->idle);
	rte_free(st);
}

/* Every carrier but a bound one in flight: a bounce carrier, an idle one put
 * back, or a bound one freed late after an abandon. */
static __rte_noinline int
carrier_release_slow(struct carrier_store *st, struct rte_mbuf *m)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);
	struct condis_nbl *nbl = mdl->inflight;

	if (mdl->flags & CONDIS_MDL_F_ORPHAN) {
		/* The late free of an abandoned carrier: its NBL is long done.
		 * A bound carrier stays with its owner; a bounce one goes back.
		 * The mark goes first, then inflight with release order: a
		 * sender that sees the MDL free sees the carrier settled. */
		mdl->flags &= ~CONDIS_MDL_F_ORPHAN;
		if (mdl->flags & CONDIS_MDL_F_ALLOCATED) {
			__atomic_store_n(&mdl->inflight, NULL, __ATOMIC_RELEASE);
			return 0;
		}
		condis_mdl_release(mdl);
	} else {
		condis_mdl_release(mdl);
		if (nbl != NULL)
			condis_nbl_release_ref(nbl); /* a bounce carrier's send */
	}
	mdl->flags = 0;
	return rte_ring_enqueue(st->idle, m) == 0 ? 0 : -ENOBUFS;
}

/* A carrier comes back from the PMD. The common case, a bound carrier the
 * device is done with, is one flag test and one reference drop: the flags
 * of every carrier are valid from populate on (carrier_populate). */
static __rte_always_inline int
carrier_release(struct rte_mempool *mp, void *obj)
{
	struct condis_mdl *mdl = condis_carrier_mdl(obj);

	/* The PMD saw the reference count at 1 with a relaxed load: pairs with
	 * condis_carrier_abandon()'s release decrement, so an orphan mark made
	 * on another thread is seen (free on x86). */
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (likely((mdl->flags & (CONDIS_MDL_F_ALLOCATED | CONDIS_MDL_F_ORPHAN)) ==
		   CONDIS_MDL_F_ALLOCATED)) {
		/* One reference of its NBL goes; the carrier stays bound. */
		struct condis_nbl *nbl = mdl->inflight;

		condis_mdl_release(mdl);
		condis_nbl_release_ref(nbl);
		return 0;
	}
	return carrier_release_slow(mp->pool_data, obj);
}

static __rte_noinline int
carrier_enqueue_bulk(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (unlikely(carrier_release(mp, objs[i]) != 0))
			return -ENOBUFS;
	return 0;
}

static int
carrier_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	/* PMDs that free mbuf by mbuf (rte_pktmbuf_free) put one at a time:
	 * that case has no loop and no frame. */
	if (likely(n == 1))
		return carrier_release(mp, objs[0]);
	return carrier_enqueue_bulk(mp, objs, n);
}

struct populate_ctx {
	rte_mempool_populate_obj_cb_t *add;
	void *arg;
};

/* Clear a new object's MDL before the mempool enqueues it, so that the
 * enqueue sees an idle carrier, not whatever the memory held. */
static void
carrier_add(struct rte_mempool *mp, void *arg, void *obj, rte_iova_t iova)
{
	struct populate_ctx *ctx = arg;

	memset(condis_carrier_mdl(obj), 0, sizeof(struct condis_mdl));
	ctx->add(mp, ctx->arg, obj, iova);
}

static int
carrier_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
		 size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	struct populate_ctx ctx = { obj_cb, obj_cb_arg };

	return rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len,
					      carrier_add, &ctx);
}

static int
carrier_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	struct carrier_store *st = mp->pool_data;

	return rte_ring_dequeue_bulk(st->idle, objs, n, NULL) == n ? 0 : -ENOBUFS;
}

static unsigned int
carrier_get_count(const struct rte_mempool *mp)
{
	const struct carrier_store *st = mp->pool_data;

	return rte_ring_count(st->idle);
}

static const struct rte_mempool_ops carrier_ops = {
	.name = CARRIER_OPS_NAME,
	.alloc = carrier_alloc,
	.free = carrier_free,
	.enqueue = carrier_enqueue,
	.dequeue = carrier_dequeue,
	.get_count = carrier_get_count,
	.populate = carrier_populate,
};

RTE_MEMPOOL_REGISTER_OPS(carrier_ops);

static void
carrier_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;
	struct condis_mdl *mdl = condis_carrier_mdl(m);

	RTE_SET_USED(arg);
	RTE_SET_USED(idx);
	rte_pktmbuf_init(mp, NULL, obj, 0);
	memset(mdl, 0, sizeof(*mdl));
	mdl->va = (char *)m->buf_addr + m->data_off;
	mdl->iova = rte_mbuf_data_iova(m);
	mdl->byte_count = m->buf_len - m->data_off;
}

struct rte_mempool *
condis_carrier_pool_create(const char *name, uint32_t n, uint16_t data_room, int socket_id)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room == 0 ? 0 :
			(uint16_t)(data_room + RTE_PKTMBUF_HEADROOM),
		.mbuf_priv_size = RTE_ALIGN(sizeof(struct condis_carrier_priv), RTE_MBUF_PRIV_ALIGN),
	};
	uint32_t elt = sizeof(struct rte_mbuf) + priv.mbuf_priv_size + priv.mbuf_data_room_size;
	struct rte_mempool *mp;
	int rc;

	/* condis_carrier_mdl() finds the MDL right after the mbuf. */
	RTE_BUILD_BUG_ON(offsetof(struct condis_carrier_priv, mdl) != 0);
	/* The library's carrier flags never collide with the public ones. */
	RTE_BUILD_BUG_ON((CONDIS_MDL_F_POOL_DATA | CONDIS_MDL_F_PREALLOCATED |
			  CONDIS_MDL_F_SINGLE_QUEUE | CONDIS_MDL_F_SHARED) &
			 (CONDIS_MDL_F_ALLOCATED | CONDIS_MDL_F_HEADER | CONDIS_MDL_F_BOUNCE |
			  CONDIS_MDL_F_ORPHAN));
	if ((uint32_t)data_room + RTE_PKTMBUF_HEADROOM > UINT16_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	mp = rte_mempool_create_empty(name, n, elt, 0, sizeof(priv), socket_id, 0);
	if (mp == NULL)
		return NULL;
	rc = rte_mempool_set_ops_byname(mp, CARRIER_OPS_NAME, NULL);
	if (rc != 0)
		goto free_pool;
	rte_pktmbuf_pool_init(mp, &priv);
	rc = rte_mempool_populate_default(mp);
	if (rc < 0)
		goto free_pool;
	rte_mempool_obj_iter(mp, carrier_init, NULL);
	return mp;

free_pool:
	rte_mempool_free(mp);
	rte_errno = -rc;
	return NULL;
}

void
condis_carrier_pool_free(struct rte_mempool *mp)
{
	rte_mempool_free(mp);
}

void
condis_carrier_reset(struct rte_mbuf *m)
{
	uint32_t mbuf_size = sizeof(*m) + rte_pktmbuf_priv_size(m->pool);

	m->buf_addr = (char *)m + mbuf_size;
	rte_mbuf_iova_set(m, rte_mempool_virt2iova(m) + mbuf_size);
	m->buf_len = rte_pktmbuf_data_room_size(m->pool);
	m->ol_flags = 0;
	m->shinfo = NULL;
	m->next = NULL;
	m->nb_segs = 1;
	rte_pktmbuf_reset_headroom(m);
}

static void
carrier_noop_free(void *addr, void *opaque)
{
	RTE_SET_USED(addr);
	RTE_SET_USED(opaque);
}

void
condis_carrier_attach_ext(struct rte_mbuf *m, void *va, rte_iova_t iova, uint16_t len)
{
	struct condis_carrier_priv *priv = (struct condis_carrier_priv *)(m + 1);

	priv->shinfo.free_cb = carrier_noop_free;
	priv->shinfo.fcb_opaque = NULL;
	rte_mbuf_ext_refcnt_set(&priv->shinfo, 1);
	m->buf_addr = va;
	rte_mbuf_iova_set(m, iova);
	m->buf_len = len;
	m->ol_flags = RTE_MBUF_F_EXTERNAL;
	m->shinfo = &priv->shinfo;
}

struct condis_mdl *
condis_carrier_take(struct rte_mempool *mp, uint32_t flags)
{
	struct rte_mbuf *m;
	struct condis_mdl *mdl;

	if (rte_mempool_get(mp, (void **)&m) != 0)
		return NULL;
	condis_carrier_reset(m);
	mdl = condis_carrier_mdl(m);
	mdl->next = NULL;
	mdl->inflight = NULL;
	mdl->prealloc_of = NULL;
	mdl->flags = flags | CONDIS_MDL_F_ALLOCATED;
	if (m->buf_len != 0) {
		mdl->va = (char *)m->buf_addr + RTE_PKTMBUF_HEADROOM;
		mdl->iova = m->buf_iova + RTE_PKTMBUF_HEADROOM;
		mdl->byte_count = m->buf_len - RTE_PKTMBUF_HEADROOM;
	} else {
		mdl->va = NULL;
		mdl->iova = RTE_BAD_IOVA;
		mdl->byte_count = 0;
	}
	return mdl;
}

void
condis_carrier_put(struct condis_mdl *mdl)
{
	struct rte_mbuf *m = condis_mdl_carrier(mdl);

	mdl->flags = 0;
	mdl->inflight = NULL;
	rte_mempool_put(m->pool, m);
}

uint32_t
condis_carrier_in_use(const struct rte_mempool *mp)
{
	return mp->size - rte_mempool_avail_count(mp);
}

void
condis_carrier_abandon(struct rte_mbuf *m, condis_status_t status)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);
	struct condis_nbl *nbl = mdl->inflight;

	/* Busy until the PMD frees it (if ever): a late free is then absorbed. */
	mdl->inflight = &orphan;
	mdl->flags |= CONDIS_MDL_F_ORPHAN;
	if (nbl->status == CONDIS_STATUS_PENDING)
		nbl->status = status;
	condis_nbl_release_ref(nbl);
	/* Release order: a free that sees the count drop sees the orphan mark. */
	if (rte_mbuf_refcnt_update(m, -1) != 0)
		return;
	/* The PMD's free came first and left the carrier to us. */
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	rte_mbuf_refcnt_set(m, 1);
	m->next = NULL;
	m->nb_segs = 1;
	mdl->flags &= ~CONDIS_MDL_F_ORPHAN;
	condis_mdl_release(mdl);
	if (mdl->flags & CONDIS_MDL_F_BOUNCE)
		condis_bounce_return(m);
}
