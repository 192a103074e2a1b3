/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * completion_mech: per-packet cost of four ways to learn, precisely and per packet, that
 * a PMD has released a transmitted buffer, over the same device (net_null by default):
 *
 *   A carrier  mbufs from a cache-less mempool whose custom ops' enqueue callback is the
 *              completion (what lib/carrier.c does; replicated here without the NBL layer).
 *   B refcnt   hold a reference (rte_mbuf_refcnt_update(m, +1) before tx_burst); the PMD's
 *              free drops it to 1; poll the sent mbufs in ring order for refcnt == 1.
 *   C extbuf   the payload is an external buffer attached to an mbuf from an ordinary
 *              (cached) pool; the shinfo free_cb is the completion.
 *   D cache    mbufs with one reference from a pool with a per-lcore cache: the PMD's
 *              free puts them in this lcore's cache, which is drained as completions
 *              after each burst (a probe: nothing in condis does this).
 *   0 none     reference only: alloc from a cached pool, tx_burst, no completion detection
 *              (what testpmd txonly does, minus building headers).
 *
 * Same work in each: N packets of 60 bytes (a pre-built frame), bursts of 32, a window of
 * WINDOW buffers; every completion runs the same handler (count it, check its id, put the
 * buffer back on the sender's free stack). Every run checks that exactly N completions
 * arrived, each once, and that the window is full again.
 *
 * Usage: completion_mech [EAL args --] [-n PKTS] [-r RUNS] [-w WARMUP_PKTS] [-m A|B|C|D|0|all]
 *                        [-d null|bulk]
 * -d bulk frees each burst with rte_pktmbuf_free_bulk() in place of tx_burst: the free of
 * a NIC PMD (i40e, ice, ixgbe, mlx5 collect done mbufs and put them per pool), where net_null
 * frees mbuf by mbuf.
 * Without EAL args: -l 0 --no-huge -m 256 --no-pci --vdev net_null0 --file-prefix cmech-PID.
 * Output: one "mech:" line per mechanism with cycles/packet min/median/max over RUNS.
 * Under valgrind --tool=callgrind --toggle-collect=run_<name>, Ir/packet = Ir / (RUNS * N + W).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define BURST 32
#define WINDOW 1024
#define FRAME_LEN 60
#define MAX_RUNS 64

/* ---- shared completion bookkeeping (identical for every mechanism) ---- */

struct slot {
	struct rte_mbuf *m;        /* A, B: the slot's mbuf; C: the mbuf in flight */
	uint32_t id;
	uint32_t inflight;         /* 1 between send and completion */
	void *buf;                 /* C: external buffer */
	rte_iova_t iova;           /* C: its IO address (computed once) */
	struct rte_mbuf_ext_shared_info shinfo; /* C */
};

struct ctx {
	uint16_t port;
	struct slot *slots;
	struct slot *free_stack[WINDOW];
	uint32_t nb_free;
	uint64_t completed;
	uint64_t bad;              /* completion of a slot not in flight */
	struct rte_mempool *pool;  /* per mechanism */
	/* B: sent slots in send order */
	struct slot *fifo[WINDOW];
	uint32_t fifo_head, fifo_tail;
};

static struct ctx g;

static inline void
on_complete(struct slot *s)
{
	if (unlikely(s->inflight != 1))
		g.bad++;
	s->inflight = 0;
	g.completed++;
	g.free_stack[g.nb_free++] = s;
}

/* Take up to n free slots, mark them in flight. */
static inline uint32_t
take(struct slot **out, uint32_t n)
{
	uint32_t i;

	n = RTE_MIN(n, g.nb_free);
	for (i = 0; i < n; i++) {
		out[i] = g.free_stack[--g.nb_free];
		out[i]->inflight = 1;
	}
	return n;
}

/* -d bulk: the device frees as a NIC PMD frees its done descriptors
 * (rte_pktmbuf_free_bulk: each mbuf's prefree, one put per run of one
 * pool), not mbuf by mbuf as net_null does. */
static bool bulk_device;

static inline void
xmit(struct rte_mbuf **pkts, uint32_t k)
{
	uint32_t sent = 0;

	if (bulk_device) {
		rte_pktmbuf_free_bulk(pkts, k);
		return;
	}
	while (sent < k)
		sent += rte_eth_tx_burst(g.port, 0, pkts + sent, (uint16_t)(k - sent));
}

/* ---- A: carrier mempool ops ---- */

struct carrier_priv {
	struct slot *slot;  /* the MDL's place in condis */
};

/* Idle objects before the slots own them (population only). */
static void **carrier_idle;
static uint32_t carrier_nb_idle;
static bool carrier_ready;

static int
carrier_alloc(struct rte_mempool *mp)
{
	carrier_idle = rte_malloc(NULL, sizeof(void *) * mp->size, 0);
	return carrier_idle == NULL ? -ENOMEM : 0;
}

static void
carrier_free(struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	rte_free(carrier_idle);
}

static int
carrier_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	unsigned int i;

	RTE_SET_USED(mp);
	if (unlikely(!carrier_ready)) {
		for (i = 0; i < n; i++)
			carrier_idle[carrier_nb_idle++] = objs[i];
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct carrier_priv *p = rte_mbuf_to_priv((struct rte_mbuf *)objs[i]);

		on_complete(p->slot); /* the carrier stays bound to its slot */
	}
	return 0;
}

static int
carrier_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	unsigned int i;

	RTE_SET_USED(mp);
	if (n > carrier_nb_idle)
		return -ENOBUFS;
	for (i = 0; i < n; i++)
		objs[i] = carrier_idle[--carrier_nb_idle];
	return 0;
}

static unsigned int
carrier_get_count(const struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	return carrier_nb_idle;
}

static const struct rte_mempool_ops bench_carrier_ops = {
	.name = "bench_carrier",
	.alloc = carrier_alloc,
	.free = carrier_free,
	.enqueue = carrier_enqueue,
	.dequeue = carrier_dequeue,
	.get_count = carrier_get_count,
};
RTE_MEMPOOL_REGISTER_OPS(bench_carrier_ops);

static uint8_t frame[FRAME_LEN];

static void
mbuf_fill(struct rte_mbuf *m)
{
	memcpy(rte_pktmbuf_mtod(m, void *), frame, FRAME_LEN);
	m->data_len = FRAME_LEN;
	m->pkt_len = FRAME_LEN;
}

static void
slots_reset(void)
{
	uint32_t i;

	g.nb_free = 0;
	for (i = WINDOW; i-- > 0;) {
		g.slots[i].inflight = 0;
		g.free_stack[g.nb_free++] = &g.slots[i];
	}
	g.completed = 0;
	g.bad = 0;
	g.fifo_head = g.fifo_tail = 0;
}

static void
setup_carrier(void)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = RTE_PKTMBUF_HEADROOM + 128,
		.mbuf_priv_size = RTE_ALIGN(sizeof(struct carrier_priv), RTE_MBUF_PRIV_ALIGN),
	};
	uint32_t elt = sizeof(struct rte_mbuf) + priv.mbuf_priv_size + priv.mbuf_data_room_size;
	struct rte_mempool *mp;
	uint32_t i;

	mp = rte_mempool_create_empty("cm_carrier", WINDOW, elt, 0, sizeof(priv), SOCKET_ID_ANY, 0);
	if (mp == NULL || rte_mempool_set_ops_byname(mp, "bench_carrier", NULL) != 0)
		rte_exit(1, "carrier pool: %s\n", rte_strerror(rte_errno));
	rte_pktmbuf_pool_init(mp, &priv);
	if (rte_mempool_populate_default(mp) < 0)
		rte_exit(1, "carrier pool populate failed\n");
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	for (i = 0; i < WINDOW; i++) {
		struct rte_mbuf *m;

		if (rte_mempool_get(mp, (void **)&m) != 0) /* no cache: straight to dequeue */
			rte_exit(1, "carrier get failed\n");
		rte_pktmbuf_reset(m);
		mbuf_fill(m);
		((struct carrier_priv *)rte_mbuf_to_priv(m))->slot = &g.slots[i];
		g.slots[i].m = m;
	}
	carrier_ready = true;
	g.pool = mp;
}

static __rte_noinline void
run_carrier(uint64_t n)
{
	struct rte_mbuf *pkts[BURST];
	struct slot *s[BURST];
	uint64_t sent = 0;

	while (sent < n) {
		uint32_t k = take(s, (uint32_t)RTE_MIN((uint64_t)BURST, n - sent)), i;

		for (i = 0; i < k; i++)
			pkts[i] = s[i]->m;
		xmit(pkts, k); /* the PMD's free is the completion */
		sent += k;
	}
}

/* ---- B: refcnt polling ---- */

static void
setup_refcnt(void)
{
	uint32_t i;

	g.pool = rte_pktmbuf_pool_create("cm_refcnt", WINDOW * 2, 256, 0,
					 RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY);
	if (g.pool == NULL)
		rte_exit(1, "refcnt pool: %s\n", rte_strerror(rte_errno));
	for (i = 0; i < WINDOW; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(g.pool);

		if (m == NULL)
			rte_exit(1, "refcnt alloc failed\n");
		mbuf_fill(m);
		g.slots[i].m = m;
	}
}

static inline void
refcnt_poll(void)
{
	while (g.fifo_head != g.fifo_tail) {
		struct slot *s = g.fifo[g.fifo_head % WINDOW];

		if (rte_mbuf_refcnt_read(s->m) != 1)
			break; /* in ring order: the head is still held by the device */
		g.fifo_head++;
		on_complete(s);
	}
}

static __rte_noinline void
run_refcnt(uint64_t n)
{
	struct rte_mbuf *pkts[BURST];
	struct slot *s[BURST];
	uint64_t sent = 0;

	while (sent < n) {
		uint32_t k = take(s, (uint32_t)RTE_MIN((uint64_t)BURST, n - sent)), i;

		for (i = 0; i < k; i++) {
			rte_mbuf_refcnt_update(s[i]->m, 1);
			pkts[i] = s[i]->m;
			g.fifo[g.fifo_tail++ % WINDOW] = s[i];
		}
		xmit(pkts, k);
		sent += k;
		refcnt_poll();
	}
	refcnt_poll();
}

/* ---- C: external buffer free_cb ---- */

static void
extbuf_free_cb(void *addr, void *opaque)
{
	RTE_SET_USED(addr);
	on_complete(opaque);
}

static void
setup_extbuf(void)
{
	uint32_t i;

	g.pool = rte_pktmbuf_pool_create("cm_extbuf", WINDOW * 2, 256, 0, 0, SOCKET_ID_ANY);
	if (g.pool == NULL)
		rte_exit(1, "extbuf pool: %s\n", rte_strerror(rte_errno));
	for (i = 0; i < WINDOW; i++) {
		g.slots[i].buf = rte_malloc(NULL, 128, RTE_CACHE_LINE_SIZE);
		if (g.slots[i].buf == NULL)
			rte_exit(1, "extbuf malloc failed\n");
		memcpy(g.slots[i].buf, frame, FRAME_LEN);
		g.slots[i].iova = rte_malloc_virt2iova(g.slots[i].buf);
		g.slots[i].shinfo.free_cb = extbuf_free_cb;
		g.slots[i].shinfo.fcb_opaque = &g.slots[i];
	}
}

static __rte_noinline void
run_extbuf(uint64_t n)
{
	struct rte_mbuf *pkts[BURST];
	struct slot *s[BURST];
	uint64_t sent = 0;

	while (sent < n) {
		uint32_t k = take(s, (uint32_t)RTE_MIN((uint64_t)BURST, n - sent)), i;

		if (rte_pktmbuf_alloc_bulk(g.pool, pkts, k) != 0)
			rte_panic("extbuf: mbuf pool empty\n");
		for (i = 0; i < k; i++) {
			struct slot *sl = s[i];

			rte_mbuf_ext_refcnt_set(&sl->shinfo, 1);
			rte_pktmbuf_attach_extbuf(pkts[i], sl->buf, sl->iova, 128, &sl->shinfo);
			pkts[i]->data_off = 0;
			pkts[i]->data_len = FRAME_LEN;
			pkts[i]->pkt_len = FRAME_LEN;
		}
		xmit(pkts, k); /* free -> detach -> free_cb is the completion */
		sent += k;
	}
}

/* ---- D: drain the lcore's mempool cache ---- */

static struct rte_mempool_cache *drain_cache;

static void
setup_cache(void)
{
	uint32_t i;

	/* A cache larger than any burst, so the PMD's put never flushes. */
	g.pool = rte_pktmbuf_pool_create("cm_cache", WINDOW * 2, 512,
					 RTE_ALIGN(sizeof(struct carrier_priv), RTE_MBUF_PRIV_ALIGN),
					 RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY);
	if (g.pool == NULL)
		rte_exit(1, "cache pool: %s\n", rte_strerror(rte_errno));
	for (i = 0; i < WINDOW; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(g.pool);

		if (m == NULL)
			rte_exit(1, "cache alloc failed\n");
		mbuf_fill(m);
		((struct carrier_priv *)rte_mbuf_to_priv(m))->slot = &g.slots[i];
		g.slots[i].m = m;
	}
	drain_cache = rte_mempool_default_cache(g.pool, rte_lcore_id());
	if (drain_cache == NULL)
		rte_exit(1, "cache: no lcore cache\n");
	rte_mempool_cache_flush(drain_cache, g.pool); /* only freed slots in it from now on */
}

static __rte_noinline void
run_cache(uint64_t n)
{
	struct rte_mempool_cache *c = drain_cache;
	struct rte_mbuf *pkts[BURST];
	struct slot *s[BURST];
	uint64_t sent = 0;

	while (sent < n) {
		uint32_t k = take(s, (uint32_t)RTE_MIN((uint64_t)BURST, n - sent)), i;

		for (i = 0; i < k; i++)
			pkts[i] = s[i]->m;
		xmit(pkts, k); /* the PMD's free puts them in this lcore's cache */
		sent += k;
		for (i = 0; i < c->len; i++)
			on_complete(((struct carrier_priv *)rte_mbuf_to_priv(c->objs[i]))->slot);
		c->len = 0;
	}
}

/* ---- 0: no completion detection (reference) ---- */

static void
setup_none(void)
{
	g.pool = rte_pktmbuf_pool_create("cm_none", WINDOW * 2, 256, 0,
					 RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY);
	if (g.pool == NULL)
		rte_exit(1, "none pool: %s\n", rte_strerror(rte_errno));
}

static __rte_noinline void
run_none(uint64_t n)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t sent = 0;

	while (sent < n) {
		uint32_t k = (uint32_t)RTE_MIN((uint64_t)BURST, n - sent), i;

		if (rte_pktmbuf_alloc_bulk(g.pool, pkts, k) != 0)
			rte_panic("none: mbuf pool empty\n");
		for (i = 0; i < k; i++) {
			pkts[i]->data_len = FRAME_LEN;
			pkts[i]->pkt_len = FRAME_LEN;
		}
		xmit(pkts, k);
		sent += k;
	}
	g.completed += n; /* nothing is detected: count sends so the check passes */
}

/* ---- driver ---- */

struct mech {
	const char *key, *name;
	void (*setup)(void);
	void (*run)(uint64_t n);
	bool tracks; /* detects completions */
};

static const struct mech mechs[] = {
	{ "A", "carrier(mempool-ops)", setup_carrier, run_carrier, true },
	{ "B", "refcnt-poll", setup_refcnt, run_refcnt, true },
	{ "C", "extbuf-free_cb", setup_extbuf, run_extbuf, true },
	{ "D", "cache-drain", setup_cache, run_cache, true },
	{ "0", "none(reference)", setup_none, run_none, false },
};

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
port_setup(uint16_t port)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_info_get(port, &info) != 0 ||
	    rte_eth_dev_configure(port, 0, 1, &conf) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		rte_exit(1, "cannot set up port %u (%s)\n", port, info.driver_name);
}

static void
check(const struct mech *mc, uint64_t n)
{
	if (g.completed != n || g.bad != 0 || (mc->tracks && g.nb_free != WINDOW))
		rte_exit(1, "%s: completed=%" PRIu64 " of %" PRIu64 ", bad=%" PRIu64
			 ", free=%u of %u\n", mc->name, g.completed, n, g.bad, g.nb_free, WINDOW);
}

int
main(int argc, char **argv)
{
	static char prefix[64];
	char *def[] = { argv[0], "-l", "0", "--no-huge", "-m", "256", "--no-pci",
			"--vdev", "net_null0", "--log-level=lib.eal:error", prefix, NULL };
	uint64_t n = 10 * 1000 * 1000, warm = 1000 * 1000, cyc[MAX_RUNS];
	unsigned int runs = 7, r, i;
	const char *which = "all";
	int sep = -1, ret, opt;

	for (i = 1; i < (unsigned int)argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = (int)i;
			break;
		}
	if (sep > 1) {
		ret = rte_eal_init(sep, argv);
	} else {
		snprintf(prefix, sizeof(prefix), "--file-prefix=cmech-%d", (int)getpid());
		ret = rte_eal_init((int)RTE_DIM(def) - 1, def);
	}
	if (ret < 0)
		rte_exit(1, "EAL init failed\n");
	argc -= sep > 0 ? sep : 0;
	argv += sep > 0 ? sep : 0;
	optind = 1;
	while ((opt = getopt(argc, argv, "n:r:w:m:d:")) != -1) {
		switch (opt) {
		case 'n': n = strtoull(optarg, NULL, 0); break;
		case 'r': runs = (unsigned int)atoi(optarg); break;
		case 'w': warm = strtoull(optarg, NULL, 0); break;
		case 'm': which = optarg; break;
		case 'd': bulk_device = strcmp(optarg, "bulk") == 0; break;
		default:
			rte_exit(2, "usage: completion_mech [EAL --] [-n PKTS] [-r RUNS] "
				 "[-w WARMUP_PKTS] [-m A|B|C|D|0|all] [-d null|bulk]\n");
		}
	}
	if (runs < 1 || runs > MAX_RUNS || n == 0)
		rte_exit(2, "bad -n/-r\n");
	if (rte_eth_dev_count_avail() == 0)
		rte_exit(2, "no port (give --vdev net_null0)\n");
	g.port = 0;
	port_setup(g.port);
	memset(frame, 0xab, sizeof(frame));
	g.slots = rte_zmalloc(NULL, sizeof(*g.slots) * WINDOW, RTE_CACHE_LINE_SIZE);
	if (g.slots == NULL)
		rte_exit(1, "no memory\n");
	printf("completion_mech: port %u, %" PRIu64 " packets x %u runs (+%" PRIu64
	       " warm-up), %u B frames, burst %u, window %u, tsc %" PRIu64 " Hz, device %s\n",
	       g.port, n, runs, warm, FRAME_LEN, BURST, WINDOW, rte_get_tsc_hz(),
	       bulk_device ? "bulk (NIC-like free, no tx_burst)" : "the port's tx_burst");
	for (i = 0; i < RTE_DIM(mechs); i++) {
		const struct mech *mc = &mechs[i];
		double mn, md, mx;

		if (strcmp(which, "all") != 0 && strcmp(which, mc->key) != 0)
			continue;
		memset(g.slots, 0, sizeof(*g.slots) * WINDOW);
		for (r = 0; r < WINDOW; r++)
			g.slots[r].id = r;
		slots_reset();
		mc->setup();
		if (warm > 0) {
			slots_reset();
			mc->run(warm);
			check(mc, warm);
		}
		for (r = 0; r < runs; r++) {
			uint64_t t0;

			slots_reset();
			t0 = rte_rdtsc_precise();
			mc->run(n);
			cyc[r] = rte_rdtsc_precise() - t0;
			check(mc, n);
		}
		qsort(cyc, runs, sizeof(cyc[0]), cmp_u64);
		mn = (double)cyc[0] / (double)n;
		mx = (double)cyc[runs - 1] / (double)n;
		md = runs % 2 ? (double)cyc[runs / 2] / (double)n :
			(double)(cyc[runs / 2 - 1] + cyc[runs / 2]) / 2.0 / (double)n;
		printf("mech: key=%s name=%s cycles_per_pkt_min=%.2f median=%.2f max=%.2f "
		       "mpps_at_median=%.2f completions_checked=%s\n", mc->key, mc->name, mn, md, mx,
		       (double)rte_get_tsc_hz() / md / 1e6, mc->tracks ? "yes" : "no");
		fflush(stdout);
	}
	rte_eth_dev_stop(g.port);
	rte_eth_dev_close(g.port);
	rte_eal_cleanup();
	return 0;
}
