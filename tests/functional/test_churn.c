/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Create and free in a loop of 10^4 (issue 17): protocols, NBL/NB/MDL
 * pools, and adapters opened, used and closed on net_null leave nothing
 * behind: DPDK heap bytes, memzones (mempools and rings live there) and
 * mempools are where they started.
 */
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tu_port.h"

#define ROUNDS 10000

struct footprint {
	size_t heap_bytes;
	unsigned int memzones, mempools;
};

static void
count_memzone(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	(*(unsigned int *)arg)++;
}

static void
count_mempool(struct rte_mempool *mp, void *arg)
{
	RTE_SET_USED(mp);
	(*(unsigned int *)arg)++;
}

static struct footprint
footprint(void)
{
	struct footprint f = { 0 };
	struct rte_malloc_socket_stats st;
	unsigned int s;

	for (s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			f.heap_bytes += st.heap_allocsz_bytes;
	rte_memzone_walk(count_memzone, &f.memzones);
	rte_mempool_walk(count_mempool, &f.mempools);
	return f;
}

static bool
same(const struct footprint *a, const struct footprint *b, const char *what)
{
	if (a->heap_bytes == b->heap_bytes && a->memzones == b->memzones &&
	    a->mempools == b->mempools)
		return true;
	fprintf(stderr, "%s: heap %zu -> %zu bytes, memzones %u -> %u, mempools %u -> %u\n",
		what, a->heap_bytes, b->heap_bytes, a->memzones, b->memzones, a->mempools,
		b->mempools);
	return false;
}

static unsigned int completed;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(flags);
	completed += condis_nbl_chain_count(chain);
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };

static void
test_pools_and_protocols(void)
{
	struct footprint before, after;
	unsigned int i;

	/* One round first: DPDK sets up its own tables on first use. */
	for (i = 0; i <= ROUNDS; i++) {
		struct condis_nbl_pool_params lp = { .name = "churn_nbl", .count = 16,
						     .data_size = 128, .socket_id = SOCKET_ID_ANY };
		struct condis_nb_pool_params np = { .name = "churn_nb", .count = 16,
						    .socket_id = SOCKET_ID_ANY };
		struct condis_mdl_pool_params mp = { .name = "churn_mdl", .count = 16,
						     .data_size = 128, .socket_id = SOCKET_ID_ANY };
		struct condis_protocol *proto = condis_protocol_register("churn", &ops);
		struct condis_nbl_pool *nbls = condis_nbl_pool_create(&lp);
		struct condis_nb_pool *nbs = condis_nb_pool_create(&np);
		struct condis_mdl_pool *mdls = condis_mdl_pool_create(&mp);
		struct condis_nbl *nbl;

		CHECK(proto != NULL && nbls != NULL && nbs != NULL && mdls != NULL);
		nbl = condis_nbl_alloc(nbls);
		CHECK(nbl != NULL);
		CHECK_EQ(condis_nbl_free(nbl), 0);
		CHECK_EQ(condis_mdl_pool_free(mdls), 0);
		CHECK_EQ(condis_nb_pool_free(nbs), 0);
		CHECK_EQ(condis_nbl_pool_free(nbls), 0);
		CHECK_EQ(condis_protocol_deregister(proto), 0);
		if (i == 0)
			before = footprint();
	}
	after = footprint();
	CHECK(same(&before, &after, "pools and protocols"));
}

static void
test_adapters(void)
{
	struct condis_nbl_pool_params lp = { .name = "churn_send", .count = 8,
					     .data_size = 64, .socket_id = SOCKET_ID_ANY };
	struct condis_protocol *proto = condis_protocol_register("churn", &ops);
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&lp);
	struct footprint before, after;
	struct condis_nbl *nbls[8];
	unsigned int i, j;
	uint16_t port;

	CHECK(proto != NULL && pool != NULL);
	CHECK_EQ(rte_eth_dev_get_port_by_name("net_null0", &port), 0);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, 8), 0);
	for (i = 0; i <= ROUNDS; i++) {
		struct condis_ethdev_params ep = { .port_id = port, .nb_tx_desc = 64 };
		struct condis_call_params cp = { .tx_queue = 0 };
		struct condis_adapter *ad = tu_ethdev_open(&ep);
		struct condis_vc *vc;

		CHECK(ad != NULL);
		vc = condis_vc_create(proto, ad, NULL);
		CHECK(vc != NULL);
		CHECK_EQ(condis_vc_activate(vc, &cp), CONDIS_STATUS_SUCCESS);
		for (j = 0; j < 8; j++)
			nbls[j]->next = j < 7 ? nbls[j + 1] : NULL;
		completed = 0;
		CHECK_EQ(condis_co_send_nbls(vc, nbls[0], 0), 0);
		for (j = 0; j < 100 && completed < 8; j++)
			condis_poll(ad, 0);
		CHECK_EQ(completed, 8);
		CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_SUCCESS);
		CHECK_EQ(condis_vc_delete(vc), CONDIS_STATUS_SUCCESS);
		condis_adapter_close(ad);
		if (i == 0)
			before = footprint();
	}
	after = footprint();
	printf("note: %u adapters opened, used and closed\n", ROUNDS);
	CHECK(same(&before, &after, "adapters"));
	for (j = 0; j < 8; j++)
		CHECK_EQ(condis_nbl_free(nbls[j]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(proto), 0);
}

int
main(int argc, char **argv)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct condis_test_case cases[] = {
		{ .name = "10^4 pools and protocols leave nothing behind",
		  .fn = test_pools_and_protocols },
		{ .name = "10^4 adapters opened, used and closed leave nothing behind",
		  .fn = test_adapters },
	};

	RTE_SET_USED(argc);
	if (condis_test_eal_init(argv[0], vdevs) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
