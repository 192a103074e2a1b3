/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Miniport SDK: carriers. Every MDL lives in the private area of a carrier
 * mbuf, and the carrier is what a miniport hands to the device: no mbuf is
 * allocated on the send path. A miniport binds a carrier to the NBL whose
 * send holds it (condis_mdl_claim()), points it at the MDL's bytes, and
 * unbinds it when the device let go (condis_mdl_release()). Frames it must
 * copy whole go out in *bounce* carriers lent by a bounce pool.
 */
#ifndef CONDIS_CARRIER_H
#define CONDIS_CARRIER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <condis/condis_nbl.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** The carrier mbuf of an MDL (the MDL is the carrier's private area). */
static inline struct rte_mbuf *
condis_mdl_carrier(const struct condis_mdl *mdl)
{
	return (struct rte_mbuf *)(uintptr_t)mdl - 1;
}

/** The MDL in a carrier's private area. */
static inline struct condis_mdl *
condis_carrier_mdl(const struct rte_mbuf *m)
{
	return (struct condis_mdl *)(uintptr_t)(m + 1);
}

/**
 * Take mdl's carrier for a send of nbl: true if it was idle, and it is then
 * bound to nbl (mdl->inflight) until condis_mdl_release(). False if another
 * send holds it, or it is another NBL's preallocated MDL, which only that
 * NBL sends in place: copy the bytes instead (or complete RESOURCES).
 *
 * Sends on two queues driven by two threads may reach one MDL at once, so
 * the claim is a compare-and-swap, except where only one thread can claim:
 * the NBL's own preallocated MDL (not shared by clones), and MDLs from a
 * CONDIS_MDL_POOL_F_SINGLE_QUEUE pool. The owner of the queue calls it.
 */
static inline bool
condis_mdl_claim(struct condis_mdl *mdl, struct condis_nbl *nbl)
{
	const uint32_t f = mdl->flags;
	struct condis_nbl *idle = NULL;

	if (likely((f & CONDIS_MDL_F_SINGLE_QUEUE) ||
		   (mdl->prealloc_of == nbl && !(f & CONDIS_MDL_F_SHARED)))) {
		if (unlikely(mdl->inflight != NULL))
			return false;
		mdl->inflight = nbl;
		return true;
	}
	if (mdl->prealloc_of != NULL && !(f & CONDIS_MDL_F_SHARED))
		return false;
	return __atomic_compare_exchange_n(&mdl->inflight, &idle, nbl, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/** Would condis_mdl_claim() fail now? (A hint: another queue may claim next.) */
static inline bool
condis_mdl_busy_for(const struct condis_mdl *mdl, const struct condis_nbl *nbl)
{
	return __atomic_load_n(&mdl->inflight, __ATOMIC_RELAXED) != NULL ||
	       (mdl->prealloc_of != NULL && mdl->prealloc_of != nbl &&
		!(mdl->flags & CONDIS_MDL_F_SHARED));
}

/**
 * Unbind mdl's carrier from its send: the carrier (data_off, refcnt, ...)
 * is settled before a claimer on another thread can see the MDL idle.
 */
static inline void
condis_mdl_release(struct condis_mdl *mdl)
{
	__atomic_store_n(&mdl->inflight, NULL, __ATOMIC_RELEASE);
}

/**
 * Point a carrier at protocol memory (a zero-copy MDL's bytes) as an
 * external buffer: no reference is taken on anything, and the carrier
 * stays attached until it is pointed elsewhere.
 */
void condis_carrier_attach_ext(struct rte_mbuf *m, void *va, rte_iova_t iova, uint16_t len);

/**
 * Give up a carrier a stopped device still holds with a second reference
 * (the miniport's, taken at send): its NBL loses that reference now, with
 * status if still PENDING, and the carrier is marked an orphan before the
 * reference is dropped, so a free racing from another thread is absorbed by
 * the carrier pool instead of releasing the NBL twice. The MDL reads busy
 * until the device frees the carrier. Control path (halt).
 */
void condis_carrier_abandon(struct rte_mbuf *m, condis_status_t status);

/**
 * @name Bounce carriers: frames copied whole (a buffer another send holds,
 * a header the device cannot take as an extra segment).
 */
/**@{*/
/** @internal carrier flag: lent by a bounce pool for one send. */
#define CONDIS_MDL_F_BOUNCE 0x400u

/**
 * Create a bounce pool: n carriers with data_room bytes each, no cache.
 * @return the pool, or NULL with rte_errno set (the name is free again).
 */
struct rte_mempool *condis_bounce_pool_create(const char *name, uint32_t n,
					      uint16_t data_room, int socket_id);

/**
 * Let go of a bounce pool: freed now if every carrier is back, else kept
 * until they are (a device that keeps mbufs past a stop frees them into it
 * later) and freed by a later create or release. Control path.
 */
void condis_bounce_pool_release(struct rte_mempool *mp);

/** Lend a carrier of a bounce pool for one send; NULL if none is free. */
static inline struct rte_mbuf *
condis_bounce_borrow(struct rte_mempool *mp)
{
	struct rte_mbuf *m;

	if (rte_mempool_get(mp, (void **)&m) != 0)
		return NULL;
	condis_carrier_mdl(m)->flags = CONDIS_MDL_F_POOL_DATA | CONDIS_MDL_F_BOUNCE;
	return m;
}

/** Is m a lent bounce carrier (back to its pool when the device is done)? */
static inline bool
condis_carrier_is_bounce(const struct rte_mbuf *m)
{
	return (condis_carrier_mdl(m)->flags & CONDIS_MDL_F_BOUNCE) != 0;
}

/** Give back a bounce carrier, unbound. */
static inline void
condis_bounce_return(struct rte_mbuf *m)
{
	struct condis_mdl *mdl = condis_carrier_mdl(m);

	mdl->inflight = NULL;
	mdl->flags = 0;
	rte_mempool_put(m->pool, m);
}
/**@}*/

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_CARRIER_H */
