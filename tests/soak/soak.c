/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Soak: every API path in a loop for a given time, memory sampled as it goes.
 *
 * Each epoch registers a protocol, opens an adapter (net_null, or a net_ring
 * port whose "wire" frees frames late and keeps some past the close), creates
 * and activates a varying number of VCs, sends chains from a pool it also
 * drains dry and refills (ENOBUFS, then recovery), deactivates and deletes
 * some VCs while others still send, closes the adapter with frames in
 * flight, and checks that every NBL came back exactly once. Every sample
 * prints a CSV line (seconds, RSS KiB, DPDK heap bytes, mempools, epochs,
 * NBLs sent); the run fails if the heap or the mempool count at an epoch
 * boundary ever differs from the first, or if RSS grows by more than
 * --rss-slack KiB after the first quarter of the run.
 *
 *   soak [EAL options --] [--seconds S] [--sample S] [--rss-slack KiB]
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#define POOL_NBLS 512
#define MAX_VCS 16

#define FAIL(...) do { fprintf(stderr, "soak: " __VA_ARGS__); exit(1); } while (0)

static struct {
	double seconds, sample;
	long rss_slack_kib;
	uint16_t null_port, ring_port;
	struct rte_ring *wire;
	struct condis_nbl_pool *pool;
	struct condis_nbl *nbl[POOL_NBLS];
	uint8_t sent[POOL_NBLS], done[POOL_NBLS];
	uint64_t nbls_sent, epochs;
	char rundir[256];
} s = { .seconds = 10, .sample = 1, .rss_slack_kib = 4096 };

static unsigned int
nbl_index(const struct condis_nbl *nbl)
{
	return (unsigned int)(uintptr_t)nbl->protocol_reserved[0];
}

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(flags);
	for (; chain != NULL; chain = chain->next) {
		unsigned int i = nbl_index(chain);

		if (chain->status == CONDIS_STATUS_PENDING || ++s.done[i] != s.sent[i])
			FAIL("NBL %u: completed %u times for %u sends, status 0x%x\n", i,
			     s.done[i], s.sent[i], (unsigned int)chain->status);
	}
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };

static long
rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void
count_mempool(struct rte_mempool *mp, void *arg)
{
	RTE_SET_USED(mp);
	(*(unsigned int *)arg)++;
}

static size_t
heap_bytes(void)
{
	struct rte_malloc_socket_stats st;

	return rte_malloc_get_socket_stats((int)rte_socket_id(), &st) == 0 ?
		st.heap_allocsz_bytes : 0;
}

static unsigned int
mempools(void)
{
	unsigned int n = 0;

	rte_mempool_walk(count_mempool, &n);
	return n;
}

/* Frames on the wire: free most now, keep the rest for later (out of order). */
static void
wire_step(bool all)
{
	struct rte_mbuf *m[32];
	unsigned int n = rte_ring_dequeue_burst(s.wire, (void **)m, RTE_DIM(m), NULL), i;

	for (i = 0; i < n; i++) {
		if (!all && rte_rand() % 8 == 0 && rte_ring_enqueue(s.wire, m[i]) == 0)
			continue; /* back at the tail: freed after the ones behind it */
		rte_pktmbuf_free(m[i]);
	}
}

/* A chain of up to n idle NBLs, stamped with vc. */
static struct condis_nbl *
take_chain(unsigned int n, struct condis_vc *vc)
{
	struct condis_nbl *head = NULL, **tailp = &head;
	unsigned int i, start = (unsigned int)(rte_rand() % POOL_NBLS);

	for (i = 0; i < POOL_NBLS && n > 0; i++) {
		unsigned int k = (start + i) % POOL_NBLS;
		struct condis_nbl *nbl = s.nbl[k];

		if (nbl == NULL || s.sent[k] != s.done[k])
			continue;
		nbl->next = NULL;
		nbl->source_handle = vc;
		s.sent[k]++;
		*tailp = nbl;
		tailp = &nbl->next;
		n--;
	}
	return head;
}

static bool
all_back(void)
{
	unsigned int i;

	for (i = 0; i < POOL_NBLS; i++)
		if (s.sent[i] != s.done[i])
			return false;
	return true;
}

/* Drain the pool dry (ENOBUFS), then give back what was taken. */
static void
pool_exhaust(void)
{
	struct condis_nbl *extra[POOL_NBLS];
	unsigned int n = 0, i, idle = 0;

	for (i = 0; i < POOL_NBLS; i++)
		idle += s.nbl[i] == NULL;
	while (n < POOL_NBLS && (extra[n] = condis_nbl_alloc(s.pool)) != NULL)
		n++;
	if (n != idle || rte_errno != ENOBUFS)
		FAIL("pool gave %u of %u free NBLs, then rte_errno %d\n", n, idle, rte_errno);
	while (n > 0)
		if (condis_nbl_free(extra[--n]) != 0)
			FAIL("an NBL of a drained pool cannot be freed\n");
}

static void
epoch(bool ring)
{
	struct condis_ethdev_params ep = { .port_id = ring ? s.ring_port : s.null_port,
					   .nb_tx_desc = 64 };
	struct condis_protocol *proto = condis_protocol_register("soak", &ops);
	struct condis_vc *vc[MAX_VCS];
	unsigned int n_vcs = 1 + (unsigned int)(rte_rand() % MAX_VCS), i, round, live;
	struct condis_adapter *ad;

	if (proto == NULL || (ad = condis_ethdev_open(&ep)) == NULL)
		FAIL("open: %s\n", rte_strerror(rte_errno));
	for (i = 0; i < n_vcs; i++) {
		struct condis_call_params cp = { .tx_queue = 0 };

		vc[i] = condis_vc_create(proto, ad, NULL);
		if (vc[i] == NULL || condis_vc_activate(vc[i], &cp) != CONDIS_STATUS_SUCCESS)
			FAIL("VC %u of %u\n", i, n_vcs);
	}
	live = n_vcs;
	for (round = 0; round < 64; round++) {
		struct condis_vc *v = vc[rte_rand() % live];
		struct condis_nbl *chain = take_chain(1 + (unsigned int)(rte_rand() % 32), v);

		if (chain != NULL) {
			s.nbls_sent += condis_nbl_chain_count(chain);
			if (condis_co_send_nbls(v, chain, 0) != 0)
				FAIL("send refused\n");
		}
		condis_poll(ad, 0);
		if (ring)
			wire_step(false);
		if (round == 32 && live > 1) { /* some VCs go while others send */
			condis_status_t st = condis_vc_deactivate(vc[live - 1]);

			while (st == CONDIS_STATUS_PENDING &&
			       condis_vc_state(vc[live - 1]) != CONDIS_VC_INACTIVE) {
				condis_poll(ad, 0);
				wire_step(true);
			}
			if (condis_vc_delete(vc[live - 1]) != CONDIS_STATUS_SUCCESS)
				FAIL("delete after deactivation\n");
			live--;
		}
	}
	/* Close with frames still on the wire (net_ring): PAUSED. */
	for (i = 0; i < live; i++)
		condis_vc_deactivate(vc[i]);
	condis_adapter_close(ad);
	if (!all_back())
		FAIL("NBLs not back after close\n");
	wire_step(true);
	while (rte_ring_count(s.wire) > 0)
		wire_step(true);
	if (condis_protocol_deregister(proto) != 0)
		FAIL("deregister\n");
	pool_exhaust();
	s.epochs++;
}

static void
cleanup(void)
{
	rte_eal_cleanup();
	rmdir(s.rundir);
}

static void
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "sample", required_argument, NULL, 'i' },
		{ "rss-slack", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's': s.seconds = strtod(optarg, &end); break;
		case 'i': s.sample = strtod(optarg, &end); break;
		case 'r': s.rss_slack_kib = strtol(optarg, &end, 10); break;
		default: FAIL("usage: soak [EAL --] [--seconds S] [--sample S] [--rss-slack KiB]\n");
		}
		if (*end != '\0')
			FAIL("bad value '%s'\n", optarg);
	}
	if (!(s.seconds > 0 && s.sample > 0 && s.rss_slack_kib >= 0))
		FAIL("--seconds and --sample must be positive, --rss-slack not negative\n");
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *def[] = { argv[0], "-l", "0", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
			"--no-telemetry", "--log-level=*:error", "--vdev", "net_null0", prefix };
	struct condis_nbl_pool_params pp = { .name = "soak", .count = POOL_NBLS, .data_size = 128,
					     .socket_id = SOCKET_ID_ANY };
	struct rte_ring *rx;
	uint64_t hz, start, next, end;
	size_t heap0 = 0;
	unsigned int i, pools0 = 0;
	long rss_base = 0, rss_max = 0;
	bool user_eal;
	int n, port;

	snprintf(prefix, sizeof(prefix), "--file-prefix=soak-%d", (int)getpid());
	/* EAL options only when the first argument is one (-l ...): then up to "--". */
	user_eal = argc > 1 && argv[1][0] == '-' && argv[1][1] != '-';
	n = user_eal ? rte_eal_init(argc, argv) : rte_eal_init((int)RTE_DIM(def), def);
	if (n < 0)
		FAIL("EAL init failed\n");
	snprintf(s.rundir, sizeof(s.rundir), "%s", rte_eal_get_runtime_dir());
	atexit(cleanup);
	if (user_eal) {
		argv[n] = argv[0];
		parse(argc - n, argv + n);
	} else {
		parse(argc, argv);
	}
	rx = rte_ring_create("soak_rx", 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	s.wire = rte_ring_create("soak_wire", 128, SOCKET_ID_ANY, 0);
	port = rte_eth_from_rings("soak_ring", &rx, 1, &s.wire, 1, SOCKET_ID_ANY);
	s.pool = condis_nbl_pool_create(&pp);
	if (port < 0 || s.pool == NULL || rte_eth_dev_get_port_by_name("net_null0", &s.null_port))
		FAIL("set-up: %s\n", rte_strerror(rte_errno));
	s.ring_port = (uint16_t)port;
	for (i = 0; i < POOL_NBLS; i++) {
		/* Half the pool is the protocol's window, half stays free to drain. */
		if (i % 2 == 0)
			continue;
		s.nbl[i] = condis_nbl_alloc(s.pool);
		s.nbl[i]->protocol_reserved[0] = (void *)(uintptr_t)i;
		s.nbl[i]->first_nb->data_length = 64 + (uint32_t)(rte_rand() % 64);
	}
	/* Warm-up: DPDK sets up each port's queues on first use. */
	epoch(true);
	epoch(false);
	hz = rte_get_timer_hz();
	start = rte_get_timer_cycles();
	end = start + (uint64_t)(s.seconds * (double)hz);
	next = start;
	printf("seconds,rss_kib,heap_bytes,mempools,epochs,nbls_sent\n");
	for (;;) {
		uint64_t now = rte_get_timer_cycles();
		double t = (double)(now - start) / (double)hz;

		if (now >= next || now >= end) {
			long rss = rss_kib();
			size_t heap = heap_bytes();
			unsigned int pools = mempools();

			printf("%.1f,%ld,%zu,%u,%" PRIu64 ",%" PRIu64 "\n", t, rss, heap, pools,
			       s.epochs, s.nbls_sent);
			fflush(stdout);
			if (heap0 == 0) {
				heap0 = heap;
				pools0 = pools;
			} else if (heap0 != 0 && (heap != heap0 || pools != pools0)) {
				FAIL("grew: heap %zu -> %zu bytes, mempools %u -> %u\n", heap0, heap,
				     pools0, pools);
			}
			if (t >= s.seconds / 4 && rss_base == 0)
				rss_base = rss;
			rss_max = RTE_MAX(rss_max, rss);
			next += (uint64_t)(s.sample * (double)hz);
			if (now >= end)
				break;
		}
		epoch(rte_rand() & 1);
	}
	if (rss_base != 0 && rss_max - rss_base > s.rss_slack_kib)
		FAIL("RSS grew by %ld KiB after the first quarter (slack %ld)\n",
		     rss_max - rss_base, s.rss_slack_kib);
	printf("soak: %" PRIu64 " epochs, %" PRIu64 " NBLs, RSS %ld KiB after warm-up, %ld at most,"
	       " heap and mempools flat\n", s.epochs, s.nbls_sent, rss_base, rss_max);
	for (i = 0; i < POOL_NBLS; i++)
		if (s.nbl[i] != NULL && condis_nbl_free(s.nbl[i]) != 0)
			FAIL("NBL %u cannot be freed\n", i);
	if (condis_nbl_pool_free(s.pool) != 0)
		FAIL("pool cannot be freed\n");
	return 0;
}
