/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sends from a thread that does not own the transmit queue (spec 54; DESIGN
 * "Threads"): they reach the owner through the queue's lock-free ring, and
 * every NBL still completes exactly once, on the owner, with SUCCESS.
 */
#include <pthread.h>
#include <stdatomic.h>

#include <rte_lcore.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tu_port.h"

#define N_NBLS 4096
#define CHAIN 16

static struct condis_nbl *nbls[N_NBLS];
static int completions[N_NBLS];
static unsigned int completed, not_success, wrong_thread;
static pthread_t owner_thread;
static atomic_int sender_done;
static int send_errors;

struct sender {
	struct condis_vc *vc;
};

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	(void)ctx;
	(void)flags;
	if (!pthread_equal(pthread_self(), owner_thread))
		wrong_thread++;
	for (; chain != NULL; chain = chain->next) {
		completions[(uintptr_t)chain->protocol_reserved[0]]++;
		not_success += chain->status != CONDIS_STATUS_SUCCESS;
		completed++;
	}
}

/* A non-EAL thread: rte_lcore_id() is LCORE_ID_ANY, never the owner. */
static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	unsigned int i, j;

	for (i = 0; i < N_NBLS; i += CHAIN) {
		for (j = 0; j < CHAIN - 1; j++)
			nbls[i + j]->next = nbls[i + j + 1];
		nbls[i + CHAIN - 1]->next = NULL;
		if (condis_co_send_nbls(s->vc, nbls[i], 0) != 0)
			send_errors++;
	}
	atomic_store(&sender_done, 1);
	return NULL;
}

static void
test_cross_thread_sends(void)
{
	const struct condis_protocol_ops ops = { .co_send_complete = on_complete };
	struct condis_nbl_pool_params pp = { .name = "thr", .count = N_NBLS, .data_size = 64 };
	struct condis_ethdev_params ep = { .port_id = 0, .owners = true };
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl_pool *pool;
	struct condis_protocol *proto;
	struct condis_adapter *ad;
	struct sender s;
	pthread_t th;
	unsigned int i, spins = 0;

	owner_thread = pthread_self();
	ep.owner_lcore[0] = rte_lcore_id();
	ad = tu_ethdev_open(&ep);
	CHECK(ad != NULL);
	proto = condis_protocol_register("thr", &ops);
	pool = condis_nbl_pool_create(&pp);
	CHECK(proto != NULL && pool != NULL);
	s.vc = condis_vc_create(proto, ad, NULL);
	CHECK(s.vc != NULL);
	CHECK_EQ(condis_vc_activate(s.vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, N_NBLS), 0);
	for (i = 0; i < N_NBLS; i++) {
		memset(condis_nb_first_byte(nbls[i]->first_nb), 0x5a, 64);
		nbls[i]->protocol_reserved[0] = (void *)(uintptr_t)i;
	}
	CHECK_EQ(pthread_create(&th, NULL, sender_main, &s), 0);
	/* The owner polls until the sender is done and everything is back. */
	while ((!atomic_load(&sender_done) || completed < N_NBLS) && spins++ < 50000000)
		condis_poll(ad, 0);
	pthread_join(th, NULL);
	printf("note: %u NBLs completed from a foreign thread, %u polls\n", completed, spins);
	CHECK_EQ(send_errors, 0);
	CHECK_EQ(completed, N_NBLS);
	CHECK_EQ(not_success, 0);
	CHECK_EQ(wrong_thread, 0);
	for (i = 0; i < N_NBLS; i++)
		CHECK_EQ(completions[i], 1);
	CHECK_EQ(condis_vc_deactivate(s.vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	for (i = 0; i < N_NBLS; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(proto), 0);
}

int
main(int argc, char **argv)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct condis_test_case cases[] = {
		{ "sends from a non-owner thread reach the owner (spec 54)", test_cross_thread_sends },
	};

	(void)argc;
	if (condis_test_eal_init(argv[0], vdevs) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
