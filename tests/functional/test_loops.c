/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lists that loop (found by fuzz_send): an NB list or an MDL chain that
 * loops completes FAILURE instead of hanging the queue, the calls that take
 * a chain refuse it, and a chain of NBLs that loops is refused with -EBUSY.
 */
#include <rte_ethdev.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

static unsigned int completed;
static condis_status_t last;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(flags);
	for (; chain != NULL; chain = chain->next) {
		completed++;
		last = chain->status;
	}
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };

static struct {
	struct condis_adapter *ad;
	struct condis_protocol *proto;
	struct condis_vc *vc;
	struct condis_nbl_pool *bare;
	struct condis_nb_pool *nbs;
	struct condis_mdl_pool *mdls;
} t;

static int
setup(void)
{
	struct condis_ethdev_params ep = { 0 };
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl_pool_params bp = { .name = "loop_nbl", .count = 4,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_nb_pool_params np = { .name = "loop_nb", .count = 8,
					    .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params mp = { .name = "loop_mdl", .count = 8, .data_size = 128,
					     .socket_id = SOCKET_ID_ANY };

	if (rte_eth_dev_get_port_by_name("net_null0", &ep.port_id) != 0)
		return -1;
	t.ad = tu_ethdev_open(&ep); /* owner mode too (CONDIS_TEST_OWNERS) */
	t.proto = condis_protocol_register("loops", &ops);
	t.bare = condis_nbl_pool_create(&bp);
	t.nbs = condis_nb_pool_create(&np);
	t.mdls = condis_mdl_pool_create(&mp);
	if (t.ad == NULL || t.proto == NULL || t.bare == NULL || t.nbs == NULL || t.mdls == NULL)
		return -1;
	t.vc = condis_vc_create(t.proto, t.ad, NULL);
	if (t.vc == NULL || condis_vc_activate(t.vc, &cp) != CONDIS_STATUS_SUCCESS)
		return -1;
	completed = 0;
	return 0;
}

static void
teardown(void)
{
	condis_adapter_close(t.ad);
	condis_mdl_pool_free(t.mdls);
	condis_nb_pool_free(t.nbs);
	condis_nbl_pool_free(t.bare);
	condis_protocol_deregister(t.proto);
	memset(&t, 0, sizeof(t));
}

/* Send one NBL and poll until it is back (bounded): its status. */
static condis_status_t
send_one(struct condis_nbl *nbl)
{
	unsigned int i;

	completed = 0;
	last = CONDIS_STATUS_PENDING;
	if (condis_co_send_nbls(t.vc, nbl, 0) != 0)
		return CONDIS_STATUS_PENDING;
	for (i = 0; i < 1000 && completed == 0; i++)
		condis_poll(t.ad, 0);
	return completed == 1 ? last : CONDIS_STATUS_PENDING;
}

static void
test_nb_list_loops(void)
{
	struct condis_nbl *nbl;
	struct condis_mdl *m[2];
	struct condis_nb *a, *b;

	CHECK_EQ(setup(), 0);
	nbl = condis_nbl_alloc(t.bare);
	m[0] = condis_mdl_alloc_data(t.mdls, 64);
	m[1] = condis_mdl_alloc_data(t.mdls, 64);
	CHECK(nbl != NULL && m[0] != NULL && m[1] != NULL);
	a = condis_nb_alloc(t.nbs, m[0], 0, 64);
	b = condis_nb_alloc(t.nbs, m[1], 0, 64);
	CHECK(a != NULL && b != NULL);
	a->next = b;
	b->next = a; /* the NB list loops */
	nbl->first_nb = a;
	CHECK_EQ(send_one(nbl), CONDIS_STATUS_FAILURE);
	a->next = b->next = NULL;
	nbl->first_nb = NULL;
	CHECK_EQ(condis_nb_free(a), 0);
	CHECK_EQ(condis_nb_free(b), 0);
	CHECK_EQ(condis_mdl_free(m[0]), 0);
	CHECK_EQ(condis_mdl_free(m[1]), 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	teardown();
}

static void
test_mdl_chain_loops(void)
{
	struct condis_nbl *nbl;
	struct condis_mdl *m;
	struct condis_nb *nb;

	CHECK_EQ(setup(), 0);
	nbl = condis_nbl_alloc(t.bare);
	m = condis_mdl_alloc_data(t.mdls, 64);
	CHECK(nbl != NULL && m != NULL);
	nb = condis_nb_alloc(t.nbs, m, 0, 0);
	CHECK(nb != NULL);
	m->byte_count = 0;
	m->next = m; /* a piece of nothing, forever */
	/* The calls that take a chain refuse it... */
	CHECK_EQ(condis_nb_set_mdl_chain(nb, m, 0, 60), -EINVAL);
	CHECK(condis_nb_alloc(t.nbs, m, 0, 0) == NULL);
	CHECK(!condis_nb_geometry_ok(nb));
	/* ...and a send of it completes instead of hanging. */
	nb->data_length = 60;
	nbl->first_nb = nb;
	CHECK_EQ(send_one(nbl), CONDIS_STATUS_FAILURE);
	m->next = NULL;
	nbl->first_nb = NULL;
	CHECK_EQ(condis_nb_free(nb), 0);
	CHECK_EQ(condis_mdl_free(m), 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	teardown();
}

static void
test_nbl_chain_loops(void)
{
	struct condis_nbl *a, *b;

	CHECK_EQ(setup(), 0);
	a = condis_nbl_alloc(t.bare);
	b = condis_nbl_alloc(t.bare);
	CHECK(a != NULL && b != NULL);
	a->next = b;
	b->next = a;
	CHECK_EQ(condis_co_send_nbls(t.vc, a, 0), -EBUSY);
	CHECK_EQ(completed, 0);
	a->next = b->next = NULL;
	CHECK_EQ(condis_nbl_free(a), 0); /* nothing was taken */
	CHECK_EQ(condis_nbl_free(b), 0);
	teardown();
}

int
main(int argc, char **argv)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct condis_test_case cases[] = {
		{ .name = "an NB list that loops completes FAILURE", .fn = test_nb_list_loops },
		{ .name = "an MDL chain that loops: refused, or FAILURE when sent",
		  .fn = test_mdl_chain_loops },
		{ .name = "an NBL chain that loops: -EBUSY, nothing taken", .fn = test_nbl_chain_loops },
	};

	RTE_SET_USED(argc);
	if (condis_test_eal_init(argv[0], vdevs) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
