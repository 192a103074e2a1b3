/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software loopback of sends (spec 82-84). A send flagged
 * CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK on an 802.3 adapter whose miniport
 * reports CONDIS_MAC_OPTION_NO_LOOPBACK has each NB that its binding's
 * receive criteria accept (packet filter, multicast list) copied into an NBL
 * of the adapter's loopback pool and indicated to the binding's co_receive
 * on the sending VC, flagged IS_LOOPBACK_PACKET, with RESOURCES semantics.
 *
 * The copy is made in the sender's condis_co_send_nbls() before the chain
 * is handed down, the indication right after (send.c, send_looped()); the
 * pool is created on the control path, never on the send path, and an
 * empty pool drops the looped copy (counted per VC), never the send.
 */
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_per_lcore.h>

#include "condis_private.h"

#define FILTER_KNOWN (CONDIS_PACKET_TYPE_DIRECTED | CONDIS_PACKET_TYPE_MULTICAST | \
		      CONDIS_PACKET_TYPE_ALL_MULTICAST | CONDIS_PACKET_TYPE_BROADCAST | \
		      CONDIS_PACKET_TYPE_PROMISCUOUS | CONDIS_PACKET_TYPE_ALL_LOCAL)

/* Nesting of looped sends on this thread (co_receive that sends). */
static RTE_DEFINE_PER_LCORE(unsigned int, lb_depth);
static uint32_t lb_pools_made;

static inline uint64_t
mac_u64(const struct rte_ether_addr *a)
{
	uint64_t v = 0;

	memcpy(&v, a->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v;
}

/* Does the library loop sends on a back itself? */
static inline bool
lb_software(const struct condis_adapter *a)
{
	return a->attrs.medium == CONDIS_MEDIUM_802_3 &&
	       (a->attrs.mac_options & CONDIS_MAC_OPTION_NO_LOOPBACK) != 0 &&
	       a->attrs.mtu_size != 0;
}

static struct condis_binding *
binding_find(const struct condis_adapter *a, uint64_t protocol_id)
{
	struct condis_binding *b;

	for (b = __atomic_load_n(&a->bindings, __ATOMIC_ACQUIRE); b != NULL; b = b->next)
		if (b->protocol_id == protocol_id)
			return b;
	return NULL;
}

/* The binding of p on a, made on first use. Control path. */
static struct condis_binding *
binding_get(struct condis_adapter *a, const struct condis_protocol *p)
{
	struct condis_binding *b = binding_find(a, p->id);

	if (b != NULL)
		return b;
	b = rte_zmalloc("condis_binding", sizeof(*b), 0);
	if (b == NULL)
		return NULL;
	b->protocol_id = p->id;
	b->next = a->bindings;
	__atomic_store_n(&a->bindings, b, __ATOMIC_RELEASE); /* readers see it whole */
	return b;
}

/* Create a's loopback pool if a binding filters and the library loops. */
static int
lb_pool_ensure(struct condis_adapter *a)
{
	struct condis_nbl_pool_params pp;
	struct condis_nbl_pool *pool;
	char name[RTE_MEMPOOL_NAMESIZE];

	if (a->loop_pool != NULL || !lb_software(a))
		return 0;
	snprintf(name, sizeof(name), "condis_lb%u",
		 __atomic_fetch_add(&lb_pools_made, 1, __ATOMIC_RELAXED));
	memset(&pp, 0, sizeof(pp));
	pp.name = name;
	pp.count = CONDIS_LOOPBACK_NBLS;
	pp.data_size = a->attrs.mtu_size + RTE_ETHER_HDR_LEN;
	pp.socket_id = SOCKET_ID_ANY;
	pool = condis_nbl_pool_create(&pp);
	if (pool == NULL) {
		CONDIS_LOG(ERR, "loopback pool: %s\n", rte_strerror(rte_errno));
		return -ENOMEM;
	}
	__atomic_store_n(&a->loop_pool, pool, __ATOMIC_RELEASE);
	return 0;
}

int
condis_adapter_set_general_attributes(struct condis_adapter *adapter,
				      const struct condis_adapter_general_attributes *attrs)
{
	const struct condis_binding *b;

	if (adapter == NULL || attrs == NULL ||
	    attrs->mtu_size > CONDIS_MDL_MAX_BYTES - RTE_PKTMBUF_HEADROOM - RTE_ETHER_HDR_LEN)
		return -EINVAL;
	adapter->attrs = *attrs;
	/* Bindings that filter already (attributes set late) need the pool now. */
	for (b = adapter->bindings; b != NULL; b = b->next)
		if (b->filter != 0)
			return lb_pool_ensure(adapter);
	return 0;
}

int
condis_binding_set_packet_filter(struct condis_protocol *protocol, struct condis_adapter *adapter,
				 uint32_t filter)
{
	struct condis_binding *b;
	int rc;

	if (protocol == NULL || adapter == NULL)
		return -EINVAL;
	if (filter & ~FILTER_KNOWN)
		return -ENOTSUP;
	if (filter == 0) {
		b = binding_find(adapter, protocol->id);
		if (b != NULL)
			__atomic_store_n(&b->filter, 0, __ATOMIC_RELAXED);
		return 0;
	}
	rc = lb_pool_ensure(adapter);
	if (rc != 0)
		return rc;
	b = binding_get(adapter, protocol);
	if (b == NULL)
		return -ENOMEM;
	__atomic_store_n(&b->filter, filter, __ATOMIC_RELEASE);
	return 0;
}

uint32_t
condis_binding_packet_filter(const struct condis_protocol *protocol,
			     const struct condis_adapter *adapter)
{
	const struct condis_binding *b;

	if (protocol == NULL || adapter == NULL)
		return 0;
	b = binding_find(adapter, protocol->id);
	return b != NULL ? __atomic_load_n(&b->filter, __ATOMIC_RELAXED) : 0;
}

int
condis_binding_set_multicast_list(struct condis_protocol *protocol, struct condis_adapter *adapter,
				  const struct rte_ether_addr *addrs, unsigned int n)
{
	struct condis_binding *b;
	unsigned int i;

	if (protocol == NULL || adapter == NULL || (addrs == NULL && n != 0))
		return -EINVAL;
	if (n > CONDIS_MULTICAST_LIST_MAX)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		if (!rte_is_multicast_ether_addr(&addrs[i]))
			return -EINVAL;
	b = binding_get(adapter, protocol);
	if (b == NULL)
		return -ENOMEM;
	/* Empty while it changes: a sender meanwhile sees a prefix of the
	 * old list or of the new one, each address whole. */
	__atomic_store_n(&b->n_mcast, 0, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++)
		__atomic_store_n(&b->mcast[i], mac_u64(&addrs[i]), __ATOMIC_RELAXED);
	__atomic_store_n(&b->n_mcast, n, __ATOMIC_RELEASE);
	return 0;
}

/* Does the binding accept a frame to dst (spec 84; NDIS_PACKET_TYPE_*)? */
static bool
lb_match(const struct condis_binding *b, uint32_t filter, const struct rte_ether_addr *dst,
	 const struct rte_ether_addr *own)
{
	if (filter & (CONDIS_PACKET_TYPE_PROMISCUOUS | CONDIS_PACKET_TYPE_ALL_LOCAL))
		return true;
	if (rte_is_broadcast_ether_addr(dst))
		return (filter & CONDIS_PACKET_TYPE_BROADCAST) != 0;
	if (rte_is_multicast_ether_addr(dst)) {
		uint64_t v;
		uint32_t i, n;

		if (filter & CONDIS_PACKET_TYPE_ALL_MULTICAST)
			return true;
		if (!(filter & CONDIS_PACKET_TYPE_MULTICAST))
			return false;
		v = mac_u64(dst);
		n = __atomic_load_n(&b->n_mcast, __ATOMIC_ACQUIRE);
		for (i = 0; i < n; i++)
			if (__atomic_load_n(&b->mcast[i], __ATOMIC_RELAXED) == v)
				return true;
		return false;
	}
	return (filter & CONDIS_PACKET_TYPE_DIRECTED) && rte_is_same_ether_addr(dst, own);
}

/* Copy the NB's data_length bytes (geometry checked) to dst. */
static void
nb_copy(const struct condis_nb *nb, uint8_t *dst)
{
	const struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	while (left > 0) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		rte_memcpy(dst, RTE_PTR_ADD(mdl->va, off), piece);
		dst += piece;
		left -= piece;
		mdl = mdl->next;
		off = 0;
	}
}

void
condis_loopback_copy(struct condis_vc *vc, struct condis_nbl *chain, uint32_t send_flags,
		     struct condis_loopback *lb)
{
	struct condis_adapter *a = vc->adapter;
	const struct condis_binding *b;
	struct condis_nbl_pool *pool;
	struct condis_nbl *nbl;
	uint32_t filter, max_len;
	bool deep;

	lb->head = NULL;
	lb->tailp = &lb->head;
	lb->count = 0;
	lb->dropped = 0;
	lb->vc = vc;
	lb->serial = vc->serial;
	lb->receive_flags = CONDIS_RECEIVE_FLAGS_RESOURCES |
		((send_flags & CONDIS_SEND_FLAGS_DISPATCH_LEVEL) ?
		 CONDIS_RECEIVE_FLAGS_DISPATCH_LEVEL : 0);
	if ((vc->protocol->ops.co_receive == NULL && vc->protocol->receive_vc == NULL) ||
	    !lb_software(a))
		return; /* no receive handler; or the device loops (spec 83) */
	pool = __atomic_load_n(&a->loop_pool, __ATOMIC_ACQUIRE);
	b = binding_find(a, vc->protocol->id);
	if (pool == NULL || b == NULL)
		return;
	filter = __atomic_load_n(&b->filter, __ATOMIC_ACQUIRE);
	if (filter == 0)
		return;
	/* A VC that carries no data, or an adapter that takes none, sends
	 * nothing (spec 34, 96, 102): nothing to loop. */
	if (__atomic_load_n(&vc->state, __ATOMIC_RELAXED) != CONDIS_VC_ACTIVE ||
	    __atomic_load_n(&vc->txq->paused, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&vc->txq->resetting, __ATOMIC_RELAXED))
		return;
	max_len = RTE_MIN(a->attrs.mtu_size + RTE_ETHER_HDR_LEN, pool->params.data_size);
	deep = RTE_PER_LCORE(lb_depth) >= CONDIS_LOOPBACK_MAX_DEPTH;
	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		struct condis_nb *nb;

		/* NBLs that complete unsent (foreign SourceHandle, spec 46; bad
		 * geometry or length, spec 59) never reach the wire: not looped. */
		if (nbl->source_handle != vc ||
		    condis_nbl_check_geometry(nbl, max_len, UINT32_MAX) != CONDIS_STATUS_PENDING)
			continue;
		for (nb = nbl->first_nb; nb != NULL; nb = nb->next) {
			struct rte_ether_addr storage;
			const struct rte_ether_addr *dst;
			struct condis_nbl *copy;

			if (nb->data_length < RTE_ETHER_HDR_LEN)
				continue; /* no 802.3 header to match */
			dst = condis_nb_data(nb, RTE_ETHER_ADDR_LEN, &storage);
			if (dst == NULL || !lb_match(b, filter, dst, &a->attrs.current_mac))
				continue;
			copy = deep ? NULL : condis_nbl_alloc(pool);
			if (copy == NULL) {
				lb->dropped++; /* the copy, never the send */
				continue;
			}
			nb_copy(nb, copy->prealloc_mdl->va);
			condis_nb_init(&copy->prealloc_nb, copy->prealloc_mdl, 0, nb->data_length);
			copy->flags = CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET;
			copy->info[CONDIS_NBL_INFO_IEEE8021Q] = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
			copy->owner = CONDIS_NBL_OWNER_STACK; /* the library's: not sendable, not freeable */
			*lb->tailp = copy;
			lb->tailp = &copy->handoff_next;
			lb->count++;
		}
	}
	*lb->tailp = NULL;
}

void
condis_loopback_indicate(struct condis_loopback *lb)
{
	struct condis_vc *vc = lb->vc;
	struct condis_nbl *c, *next;

	if (lb->count == 0 && lb->dropped == 0)
		return;
	/* A completion handler run by the hand-down may have deactivated or
	 * deleted the VC (and another may have taken its slot): then the
	 * copies go back unindicated and nothing is counted on the slot. */
	if (vc->magic == CONDIS_VC_MAGIC && vc->serial == lb->serial &&
	    vc->state == CONDIS_VC_ACTIVE) {
		/* One sending thread per VC (nested sends are on it too): stores. */
		__atomic_store_n(&vc->loopback_nbs, vc->loopback_nbs + lb->count, __ATOMIC_RELAXED);
		__atomic_store_n(&vc->loopback_dropped, vc->loopback_dropped + lb->dropped,
				 __ATOMIC_RELAXED);
		if (lb->count != 0) {
			for (c = lb->head; c != NULL; c = c->handoff_next)
				c->next = c->handoff_next;
			RTE_PER_LCORE(lb_depth)++;
			if (vc->protocol->receive_vc != NULL)
				vc->protocol->receive_vc(vc, lb->head, lb->count,
							 lb->receive_flags);
			else
				vc->protocol->ops.co_receive(vc->protocol_ctx, lb->head,
							     lb->count, lb->receive_flags);
			RTE_PER_LCORE(lb_depth)--;
		}
	}
	/* Back to the pool through the library's own links: next is the
	 * protocol's to look at, not to trust. */
	for (c = lb->head; c != NULL; c = next) {
		next = c->handoff_next;
		c->handoff_next = NULL;
		condis_nbl_put(c);
	}
	lb->head = NULL;
}

void
condis_loopback_free(struct condis_adapter *a)
{
	struct condis_binding *b, *next;

	for (b = a->bindings; b != NULL; b = next) {
		next = b->next;
		rte_free(b);
	}
	a->bindings = NULL;
	if (a->loop_pool != NULL && condis_nbl_pool_free(a->loop_pool) != 0)
		CONDIS_LOG(ERR, "loopback pool still in use at close: kept\n");
	a->loop_pool = NULL;
}
