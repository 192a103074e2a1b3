/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sends from threads that do not own the transmit queue (spec 54; DESIGN
 * "Threads"): they reach the owner through the queue's lock-free ring, and
 * every NBL still completes exactly once, on the owner, with SUCCESS. The
 * completion info (co_send_complete_ex) stays true across the hand-over:
 * the count, last NBL and failures match the chain, and a chain called
 * consecutive holds NBLs its VC's sender sent one after another.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include <rte_lcore.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tu_port.h"

#define N_NBLS 4096
#define CHAIN 16

#define MAX_SENDERS 2
/* Each sender's share is whole chains. */
_Static_assert(N_NBLS / MAX_SENDERS % CHAIN == 0, "senders send whole chains");

static struct condis_nbl *nbls[N_NBLS];
static int completions[N_NBLS];
static unsigned int completed, not_success, wrong_thread, wrong_vc;
static unsigned int info_wrong, claims, claims_wrong, calls, max_n;
static pthread_t owner_thread;
static atomic_int senders_done;
static atomic_int send_errors;

/* One sending thread per VC (DESIGN "Threads"): NBLs [lo, hi) in order. */
struct sender {
	struct condis_vc *vc;
	unsigned int lo, hi;
};

static unsigned int
nbl_index(const struct condis_nbl *nbl)
{
	return (unsigned int)(uintptr_t)nbl->protocol_reserved[0];
}

static void
on_complete(void *ctx, struct condis_nbl *chain, const struct condis_send_completion *info,
	    uint32_t flags)
{
	const struct sender *s = ctx;
	const struct condis_nbl *nbl, *last = NULL;
	unsigned int n = 0, failed = 0, gaps = 0;

	(void)flags;
	if (!pthread_equal(pthread_self(), owner_thread))
		wrong_thread++;
	for (nbl = chain; nbl != NULL; last = nbl, nbl = nbl->next, n++) {
		unsigned int i = nbl_index(nbl);

		completions[i]++;
		wrong_vc += i < s->lo || i >= s->hi;
		failed += nbl->status != CONDIS_STATUS_SUCCESS;
		gaps += last != NULL && i != nbl_index(last) + 1;
	}
	completed += n;
	not_success += failed;
	calls++;
	max_n = RTE_MAX(max_n, n);
	info_wrong += info->count != n || info->last != last || info->failed != failed;
	if (info->consecutive) {
		claims++;
		claims_wrong += gaps != 0; /* each sender sends its NBLs in index order */
	}
}

/* A non-EAL thread: rte_lcore_id() is LCORE_ID_ANY, never the owner. */
static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	unsigned int i, j;

	for (i = s->lo; i < s->hi; i += CHAIN) {
		/* The threads share the owner's CPU (EAL's affinity):
		 * yielding before each chain lets the owner take them a few
		 * at a time, the VCs' chains interleaved in its inbox. */
		sched_yield();
		for (j = 0; j < CHAIN - 1; j++)
			nbls[i + j]->next = nbls[i + j + 1];
		nbls[i + CHAIN - 1]->next = NULL;
		if (condis_co_send_nbls(s->vc, nbls[i], 0) != 0)
			atomic_fetch_add(&send_errors, 1);
	}
	atomic_fetch_add(&senders_done, 1);
	return NULL;
}

/*
 * n_senders threads, each on its own VC, share N_NBLS between them. merged:
 * the owner polls only once every sender is done, so one poll takes all the
 * chains (the VCs' interleaved in its inbox) and each VC's completion holds
 * many sends; else it polls as they come, a few chains at a time.
 */
static void
cross_thread_sends(unsigned int n_senders, bool merged)
{
	const struct condis_protocol_ops ops = { .co_send_complete_ex = on_complete };
	struct condis_nbl_pool_params pp = { .name = "thr", .count = N_NBLS, .data_size = 64 };
	struct condis_ethdev_params ep = { .port_id = 0, .owners = true };
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl_pool *pool;
	struct condis_protocol *proto;
	struct condis_adapter *ad;
	struct sender s[MAX_SENDERS];
	pthread_t th[MAX_SENDERS];
	unsigned int i, spins = 0;

	memset(completions, 0, sizeof(completions));
	completed = not_success = wrong_thread = wrong_vc = 0;
	info_wrong = claims = claims_wrong = calls = max_n = 0;
	atomic_store(&senders_done, 0);
	atomic_store(&send_errors, 0);
	owner_thread = pthread_self();
	ep.owner_lcore[0] = rte_lcore_id();
	ad = tu_ethdev_open(&ep);
	CHECK(ad != NULL);
	proto = condis_protocol_register("thr", &ops);
	pool = condis_nbl_pool_create(&pp);
	CHECK(proto != NULL && pool != NULL);
	for (i = 0; i < n_senders; i++) {
		s[i].lo = N_NBLS / n_senders * i;
		s[i].hi = N_NBLS / n_senders * (i + 1);
		s[i].vc = condis_vc_create(proto, ad, &s[i]);
		CHECK(s[i].vc != NULL);
		CHECK_EQ(condis_vc_activate(s[i].vc, &cp), CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(condis_nbl_alloc_bulk(pool, nbls, N_NBLS), 0);
	for (i = 0; i < N_NBLS; i++) {
		memset(condis_nb_first_byte(nbls[i]->first_nb), 0x5a, 64);
		nbls[i]->protocol_reserved[0] = (void *)(uintptr_t)i;
	}
	for (i = 0; i < n_senders; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, sender_main, &s[i]), 0);
	while (merged && atomic_load(&senders_done) < (int)n_senders)
		sched_yield();
	/* The owner polls until the senders are done and everything is back. */
	while ((atomic_load(&senders_done) < (int)n_senders || completed < N_NBLS) &&
	       spins++ < 5000000) {
		condis_poll(ad, 0);
		sched_yield();
	}
	for (i = 0; i < n_senders; i++)
		pthread_join(th[i], NULL);
	printf("note: %u NBLs from %u foreign thread(s) completed, %u polls, %u chains called "
	       "consecutive of %u\n", completed, n_senders, spins, claims, calls);
	CHECK_EQ(atomic_load(&send_errors), 0);
	CHECK_EQ(completed, N_NBLS);
	CHECK_EQ(not_success, 0);
	CHECK_EQ(wrong_thread, 0);
	CHECK_EQ(wrong_vc, 0);
	for (i = 0; i < N_NBLS; i++)
		CHECK_EQ(completions[i], 1);
	CHECK_EQ(info_wrong, 0);
	CHECK_EQ(claims_wrong, 0);
	/* Both devices run here (net_null, sim) release in order and nothing
	 * renumbers: every chain is consecutive, so every claim is made. */
	CHECK_EQ(claims, calls);
	if (merged)
		CHECK(max_n > CHAIN); /* completions of several sends each */
	for (i = 0; i < n_senders; i++)
		CHECK_EQ(condis_vc_deactivate(s[i].vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	for (i = 0; i < N_NBLS; i++)
		CHECK_EQ(condis_nbl_free(nbls[i]), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(proto), 0);
}

static void
test_cross_thread_sends(void)
{
	cross_thread_sends(1, false);
}

static void
test_two_senders(void)
{
	cross_thread_sends(MAX_SENDERS, false);
}

static void
test_two_senders_merged(void)
{
	cross_thread_sends(MAX_SENDERS, true);
}

int
main(int argc, char **argv)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct condis_test_case cases[] = {
		{ "sends from a non-owner thread reach the owner (spec 54)", test_cross_thread_sends },
		{ "two non-owner threads, a VC each: completion info per VC", test_two_senders },
		{ "two non-owner threads, every chain taken in one poll: completion info",
		  test_two_senders_merged },
	};

	(void)argc;
	if (condis_test_eal_init(argv[0], vdevs) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
