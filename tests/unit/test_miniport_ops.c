/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The miniport ops contract (condis_miniport.h, condis_tx.h): a table
 * missing a required op is refused; optional ops may be NULL and the library
 * does without them. The miniport here is the smallest the SDK allows: a
 * "device" of TINY_SLOTS slots that takes NBs in tx_burst and lets them go
 * at the next reclaim, with no direct path, so every NBL goes through the
 * library's FIFO.
 */
#include <rte_malloc.h>

#include <condis/condis.h>
#include <condis/condis_miniport.h>

#include "condis_test.h"

#define TINY_SLOTS 5

struct tiny_adapter {
	unsigned int n_vcs;
	int halted;
	int refuse_create;              /* co_create_vc fails with this errno */
	struct condis_nbl *slot[TINY_SLOTS];
	unsigned int used;
	struct condis_nbl *order[64];   /* NBLs in the order their NBs went down */
	unsigned int n_order;
};

static int
tiny_create_vc(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx)
{
	struct tiny_adapter *ta = adapter_ctx;

	if (ta->refuse_create != 0)
		return -ta->refuse_create;
	ta->n_vcs++;
	*miniport_vc_ctx = vc;
	return 0;
}

static condis_status_t
tiny_activate_vc(void *miniport_vc_ctx, const struct condis_call_params *params)
{
	RTE_SET_USED(miniport_vc_ctx);
	return params->tx_queue == 0 || params->tx_queue == CONDIS_TXQ_AUTO ?
		CONDIS_STATUS_SUCCESS : CONDIS_STATUS_INVALID_DATA;
}

static void
tiny_delete_vc(void *miniport_vc_ctx)
{
	struct condis_vc *vc = miniport_vc_ctx;

	RTE_SET_USED(vc);
}

static condis_status_t
tiny_check(void *txq_ctx, const struct condis_nbl *nbl)
{
	RTE_SET_USED(txq_ctx);
	return condis_nbl_check_geometry(nbl, 1514, 1);
}

/* Take as many items as there are free slots: a prefix. */
static uint16_t
tiny_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n)
{
	struct tiny_adapter *ta = txq_ctx;
	uint16_t i;

	for (i = 0; i < n && ta->used < TINY_SLOTS; i++) {
		items[i].nbl->miniport_pending++;
		ta->slot[ta->used++] = items[i].nbl;
		if (ta->n_order < RTE_DIM(ta->order))
			ta->order[ta->n_order++] = items[i].nbl;
	}
	return i;
}

static void
tiny_reclaim(void *txq_ctx)
{
	struct tiny_adapter *ta = txq_ctx;
	unsigned int i;

	for (i = 0; i < ta->used; i++)
		condis_nbl_release_ref(ta->slot[i]);
	ta->used = 0;
}

static void
tiny_halt(void *adapter_ctx, condis_status_t status)
{
	struct tiny_adapter *ta = adapter_ctx;
	unsigned int i;

	ta->halted++;
	for (i = 0; i < ta->used; i++) {
		ta->slot[i]->status = status;
		condis_nbl_release_ref(ta->slot[i]);
	}
	ta->used = 0;
}

/* Only the required ops: no co_deactivate_vc, tx_direct or free. */
static const struct condis_miniport_ops tiny_ops = {
	.name = "tiny",
	.co_create_vc = tiny_create_vc,
	.co_activate_vc = tiny_activate_vc,
	.co_delete_vc = tiny_delete_vc,
	.tx_check = tiny_check,
	.tx_burst = tiny_burst,
	.tx_reclaim = tiny_reclaim,
	.halt = tiny_halt,
};

static unsigned int completed, succeeded;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(flags);
	for (; chain != NULL; chain = chain->next) {
		completed++;
		succeeded += chain->status == CONDIS_STATUS_SUCCESS;
	}
}

static void
test_required_ops(void)
{
	static const size_t required[] = {
		offsetof(struct condis_miniport_ops, co_create_vc),
		offsetof(struct condis_miniport_ops, co_activate_vc),
		offsetof(struct condis_miniport_ops, co_delete_vc),
		offsetof(struct condis_miniport_ops, tx_check),
		offsetof(struct condis_miniport_ops, tx_burst),
		offsetof(struct condis_miniport_ops, tx_reclaim),
		offsetof(struct condis_miniport_ops, halt),
	};
	struct tiny_adapter ta = { 0 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(required); i++) {
		struct condis_miniport_ops ops = tiny_ops;

		memset((char *)&ops + required[i], 0, sizeof(void *));
		rte_errno = 0;
		CHECK(condis_adapter_register(&ops, &ta, 1, 4) == NULL);
		CHECK_EQ(rte_errno, EINVAL);
	}
	CHECK(condis_adapter_register(NULL, &ta, 1, 4) == NULL);
	CHECK(condis_adapter_register(&tiny_ops, &ta, 0, 4) == NULL);
	CHECK(condis_adapter_register(&tiny_ops, &ta, 1, 0) == NULL);
}

static void
test_optional_ops_absent(void)
{
	const struct condis_protocol_ops pops = { .co_send_complete = on_complete };
	struct condis_nbl_pool_params pp = { .name = "tiny", .count = 8, .data_size = 64 };
	struct condis_call_params cp = { .tx_queue = CONDIS_TXQ_AUTO };
	struct tiny_adapter ta = { 0 };
	struct condis_nbl *nbls[8];
	struct condis_vc_stats st;
	struct condis_protocol *proto;
	struct condis_nbl_pool *pool;
	struct condis_adapter *ad;
	struct condis_vc *vc;
	unsigned int i;

	completed = succeeded = 0;
	ad = condis_adapter_register(&tiny_ops, &ta, 1, 4);
	CHECK(ad != NULL);
	CHECK_EQ(condis_adapter_set_queue_ctx(ad, 1, &ta), -EINVAL);
	proto = condis_protocol_register("tiny", &pops);
	pool = condis_nbl_pool_create(&pp);
	CHECK(ad != NULL && proto != NULL && pool != NULL);
	CHECK(condis_adapter_ctx(ad) == &ta);
	vc = condis_vc_create(proto, ad, NULL);
	CHECK(vc != NULL);
	CHECK_EQ(condis_vc_activate(vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, 8), 0);
	for (i = 0; i < 7; i++)
		nbls[i]->next = nbls[i + 1];
	CHECK_EQ(condis_co_send_nbls(vc, nbls[0], 0), 0);
	/* No tx_direct: all went to the FIFO; the device took 5, 3 wait. */
	CHECK_EQ(condis_vc_stats_get(vc, &st), 0);
	CHECK_EQ(st.in_flight, 8);
	CHECK_EQ(st.nbs_tx, TINY_SLOTS);
	CHECK_EQ(st.queued, 8 - TINY_SLOTS);
	CHECK_EQ(condis_adapter_queue_backlog_nbls(ad, 0), 8);
	/* No co_deactivate_vc: the deactivation still waits for the sends. */
	CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_PENDING);
	CHECK_EQ(condis_poll(ad, 0), TINY_SLOTS); /* the device was full: 3 refused */
	CHECK_EQ(condis_poll(ad, 0), 8 - TINY_SLOTS);
	CHECK_EQ(condis_vc_stats_get(vc, &st), 0);
	CHECK_EQ(st.nbs_tx, 8);
	CHECK_EQ(st.queued, 0);
	/* Refused NBs went down again in send order (spec 76). */
	CHECK_EQ(ta.n_order, 8);
	for (i = 0; i < 8; i++)
		CHECK(ta.order[i] == nbls[i]);
	CHECK_EQ(completed, 8);
	CHECK_EQ(succeeded, 8);
	CHECK_EQ(condis_vc_state(vc), CONDIS_VC_INACTIVE);
	/* No free: close leaves the context (ta, on this stack) to its owner. */
	condis_adapter_close(ad);
	CHECK_EQ(ta.halted, 1);
	for (i = 0; i < 8; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(proto), 0);
}

/* spec 31, 33: a miniport that cannot create the VC fails the create with
 * its error; nothing is left behind and a later create works. */
static void
test_create_vc_refused(void)
{
	const struct condis_protocol_ops pops = { .co_send_complete = on_complete };
	struct tiny_adapter ta = { .refuse_create = ENOMEM };
	struct condis_protocol *proto = condis_protocol_register("tiny", &pops);
	struct condis_adapter *ad = condis_adapter_register(&tiny_ops, &ta, 1, 1);
	struct condis_vc *vc;

	CHECK(proto != NULL && ad != NULL);
	rte_errno = 0;
	CHECK(condis_vc_create(proto, ad, NULL) == NULL);
	CHECK_EQ(rte_errno, ENOMEM);
	CHECK_EQ(condis_protocol_deregister(proto), 0); /* no VC counted against it */
	proto = condis_protocol_register("tiny", &pops);
	CHECK(proto != NULL);
	ta.refuse_create = 0;
	vc = condis_vc_create(proto, ad, NULL); /* the one slot is still free */
	CHECK(vc != NULL);
	CHECK_EQ(condis_vc_state(vc), CONDIS_VC_CREATED);
	CHECK_EQ(condis_vc_delete(vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	CHECK_EQ(condis_protocol_deregister(proto), 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "a table missing a required op is refused", test_required_ops },
		{ "optional ops absent: the library does without", test_optional_ops_absent },
		{ "a VC the miniport cannot create: the error, nothing left (spec 31, 33)",
		  test_create_vc_refused },
	};

	RTE_SET_USED(argc);
	if (condis_test_eal_init(argv[0], NULL) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
