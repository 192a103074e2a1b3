/* SPDX-License-Identifier: BSD-3-Clause */
/* The sim miniport's control path: open, VCs, halt, free. */
#include <stdio.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "sim_private.h"

RTE_LOG_REGISTER(sim_logtype, condis.sim, NOTICE);

#define DEFAULT_RING 256
#define DEFAULT_MAX_FRAME 1514
#define DEFAULT_MAX_PIECES 32
#define DEFAULT_MAX_VCS 1024
#define MAX_RING (1u << 20)

/* Bounce pool names must be unique in the process: a pool kept past a
 * close must not block the next open. */
static uint32_t bounce_pools_made;

static int
sim_co_create_vc(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx)
{
	/* The library keeps all per-VC state (queue, FIFO, done list). */
	RTE_SET_USED(vc);
	*miniport_vc_ctx = adapter_ctx;
	return 0;
}

static condis_status_t
sim_co_activate_vc(void *miniport_vc_ctx, const struct condis_call_params *params)
{
	/* The library checked the parameters and bound the queue: the sim
	 * accepts any VC. */
	RTE_SET_USED(miniport_vc_ctx);
	RTE_SET_USED(params);
	return CONDIS_STATUS_SUCCESS;
}

static void
sim_co_delete_vc(void *miniport_vc_ctx)
{
	RTE_SET_USED(miniport_vc_ctx); /* nothing was allocated */
}

/* Stop the device: everything it still holds completes with status. */
static void
sim_halt(void *adapter_ctx, condis_status_t status)
{
	struct sim_adapter *ad = adapter_ctx;
	uint16_t i;

	for (i = 0; i < ad->nb_txq; i++) {
		if (ad->txq[i].count != 0)
			SIM_LOG(DEBUG, "queue %u: %u descriptors aborted\n", i, ad->txq[i].count);
		sim_abort_all(&ad->txq[i], status);
	}
}

/* A reset of the device (condis_adapter_reset(), every queue parked): what
 * it holds completes with status, and a stalled queue runs again. */
static int
sim_reset(void *adapter_ctx, condis_status_t status)
{
	struct sim_adapter *ad = adapter_ctx;
	uint16_t i;

	for (i = 0; i < ad->nb_txq; i++) {
		sim_abort_all(&ad->txq[i], status);
		ad->txq[i].stalled = false;
	}
	return 0;
}

static void
sim_free(void *adapter_ctx)
{
	struct sim_adapter *ad = adapter_ctx;
	uint16_t i;

	for (i = 0; i < ad->nb_txq; i++) {
		condis_bounce_pool_release(ad->txq[i].bounce);
		rte_free(ad->txq[i].ring);
		rte_free(ad->txq[i].capture);
	}
	ad->magic = 0;
	rte_free(ad);
}

/* No tx_direct: every NBL goes through the library's FIFO (simplicity over
 * speed). No co_deactivate_vc: the library tracks what is in flight. */
static const struct condis_miniport_ops sim_ops = {
	.name = "sim",
	.co_create_vc = sim_co_create_vc,
	.co_activate_vc = sim_co_activate_vc,
	.co_delete_vc = sim_co_delete_vc,
	.tx_check = sim_tx_check,
	.tx_burst = sim_tx_burst,
	.tx_reclaim = sim_tx_reclaim,
	.reset = sim_reset,
	.halt = sim_halt,
	.free = sim_free,
};

static int
setup_txq(struct sim_adapter *ad, uint16_t i, const struct condis_sim_params *p)
{
	struct sim_txq *q = &ad->txq[i];
	char name[RTE_MEMPOOL_NAMESIZE];

	q->ad = ad;
	q->id = i;
	q->ring_size = p->ring_size ? p->ring_size : DEFAULT_RING;
	q->ring = rte_zmalloc("condis_sim_ring", sizeof(*q->ring) * q->ring_size,
			      RTE_CACHE_LINE_SIZE);
	if (q->ring == NULL)
		return -ENOMEM;
	if (p->capture) {
		q->capture = rte_zmalloc("condis_sim_capture",
					 sizeof(*q->capture) * CONDIS_SIM_CAPTURE_FRAMES, 0);
		if (q->capture == NULL)
			return -ENOMEM;
	}
	/* Without room for a whole frame in a carrier, no copies: RESOURCES. */
	if (p->no_bounce || ad->max_frame + RTE_PKTMBUF_HEADROOM > UINT16_MAX)
		return 0;
	snprintf(name, sizeof(name), "condis_sim_bn%u_%u", i,
		 __atomic_fetch_add(&bounce_pools_made, 1, __ATOMIC_RELAXED));
	q->bounce = condis_bounce_pool_create(name, p->bounce_size ? p->bounce_size : q->ring_size,
					      (uint16_t)ad->max_frame, SOCKET_ID_ANY);
	return q->bounce == NULL ? -rte_errno : 0;
}

static bool
params_ok(const struct condis_sim_params *p)
{
	return p != NULL && p->nb_tx_queues <= CONDIS_SIM_MAX_TXQ && p->ring_size <= MAX_RING &&
	       (p->mode == CONDIS_SIM_AUTO || p->mode == CONDIS_SIM_MANUAL) &&
	       p->max_frame <= UINT32_MAX / 2;
}

struct condis_adapter *
condis_sim_open(const struct condis_sim_params *p)
{
	struct sim_adapter *ad;
	uint16_t i;
	int rc;

	if (!params_ok(p)) {
		rte_errno = EINVAL;
		return NULL;
	}
	ad = rte_zmalloc("condis_sim", sizeof(*ad), CONDIS_TXQ_ALIGN);
	if (ad == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ad->magic = SIM_MAGIC;
	ad->nb_txq = p->nb_tx_queues ? p->nb_tx_queues : 1;
	ad->max_frame = p->max_frame ? p->max_frame : DEFAULT_MAX_FRAME;
	ad->max_pieces = p->max_pieces ? p->max_pieces : DEFAULT_MAX_PIECES;
	ad->mode = p->mode;
	ad->link_up = true;
	for (i = 0; i < ad->nb_txq; i++) {
		rc = setup_txq(ad, i, p);
		if (rc != 0)
			goto free_ad;
	}
	ad->adapter = condis_adapter_register(&sim_ops, ad, ad->nb_txq,
					      p->max_vcs ? p->max_vcs : DEFAULT_MAX_VCS);
	if (ad->adapter == NULL) {
		rc = -rte_errno;
		goto free_ad;
	}
	for (i = 0; i < ad->nb_txq; i++)
		condis_adapter_set_queue_ctx(ad->adapter, i, &ad->txq[i]);
	{
		struct condis_adapter_general_attributes ga = {
			.medium = CONDIS_MEDIUM_802_3,
			.mac_options = p->device_loopback ? 0 : CONDIS_MAC_OPTION_NO_LOOPBACK,
			.mtu_size = ad->max_frame > RTE_ETHER_HDR_LEN ?
				    ad->max_frame - RTE_ETHER_HDR_LEN : 0,
			.current_mac = p->mac,
		};

		if (rte_is_zero_ether_addr(&ga.current_mac))
			ga.current_mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x01 } };
		/* A max_frame one MDL cannot hold: the library loops nothing. */
		if (condis_adapter_set_general_attributes(ad->adapter, &ga) != 0)
			SIM_LOG(INFO, "max frame %u: no software loopback\n", ad->max_frame);
	}
	for (i = 0; p->owners && i < ad->nb_txq; i++) {
		rc = condis_adapter_set_queue_owner(ad->adapter, i, p->owner_lcore[i]);
		if (rc != 0) {
			condis_adapter_close(ad->adapter); /* frees ad too (sim_free) */
			rte_errno = -rc;
			return NULL;
		}
	}
	SIM_LOG(INFO, "%u txq, ring %u, max frame %u, %u pieces, %s\n", ad->nb_txq,
		ad->txq[0].ring_size, ad->max_frame, ad->max_pieces,
		ad->mode == CONDIS_SIM_AUTO ? "auto" : "manual");
	return ad->adapter;

free_ad:
	sim_free(ad); /* frees what setup_txq made; nb_txq covers them all */
	rte_errno = -rc;
	return NULL;
}
