/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shaper_bench: the per-VC shaper (im/shaper) on net_null: how close each
 * VC gets to its peak rate, and what the shaper costs per frame.
 *
 *   cost:     frames/s of one unpaced protocol over 1 VC, straight to the
 *             ethdev adapter, through the shaper with the VC not shaped,
 *             and through it shaped at a rate above what the core can send
 *             (every frame pays the bucket); same run, same core, best of R.
 *   accuracy: VCS VCs shaped at RATE each, kept backlogged for SECS
 *             seconds: each VC's achieved rate (frame bytes + FCS, as the
 *             shaper counts) against its peak, min/median/max error.
 *
 * Usage: shaper_bench [EAL args --] [-s SECS] [-r RUNS] [-l FRAME_LEN] [-m cost|accuracy|all]
 * Without EAL args: -l 0 --no-huge -m 512 --no-pci --vdev net_null0 --in-memory.
 * Under callgrind: --toggle-collect=run_cost_* for Ir/frame of each cost case.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_shaper.h>

#define MAX_VCS 256
#define WINDOW 64          /* NBLs per VC */
#define CHAIN 8

struct bvc {
	struct condis_vc *vc;
	struct condis_nbl *free;   /* NBLs back from completion, linked through next */
	uint64_t frames, bytes;    /* completed SUCCESS */
	uint64_t failed;
	/* the measured window: bytes after its first completion, and the TSC
	 * of that one and of the last (a rate without frame quantization) */
	uint64_t win_bytes, t_first, t_last;
};

static bool measuring;

static struct bvc vcs[MAX_VCS];
static struct condis_nbl_pool *pool;
static uint32_t frame_len = 1000;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct bvc *v = ctx;
	struct condis_nbl *nbl, *next;

	(void)flags;
	for (nbl = chain; nbl != NULL; nbl = next) {
		next = nbl->next;
		if (nbl->status == CONDIS_STATUS_SUCCESS) {
			v->frames++;
			v->bytes += RTE_MAX(frame_len, 60u) + 4;
			if (measuring) {
				uint64_t now = rte_get_tsc_cycles();

				if (v->t_first == 0)
					v->t_first = now;
				else
					v->win_bytes += RTE_MAX(frame_len, 60u) + 4;
				v->t_last = now;
			}
		} else {
			v->failed++;
		}
		nbl->next = v->free;
		v->free = nbl;
	}
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };

/* Open n VCs on ad at peak (bit/s, 0: line rate), each with a window of NBLs. */
static int
open_vcs(struct condis_protocol *proto, struct condis_adapter *ad, unsigned int n, uint64_t peak)
{
	struct condis_call_params cp = { .tx_queue = 0, .peak_rate_bps = peak };
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		struct bvc *v = &vcs[i];

		memset(v, 0, sizeof(*v));
		v->vc = condis_vc_create(proto, ad, v);
		if (v->vc == NULL) {
			fprintf(stderr, "VC %u: create: %s\n", i, rte_strerror(rte_errno));
			return -1;
		}
		if (condis_vc_activate(v->vc, &cp) != CONDIS_STATUS_SUCCESS) {
			fprintf(stderr, "VC %u: activation refused\n", i);
			return -1;
		}
		for (k = 0; k < WINDOW; k++) {
			struct condis_nbl *nbl = condis_nbl_alloc(pool);

			if (nbl == NULL) {
				fprintf(stderr, "VC %u: no NBL: %s\n", i, rte_strerror(rte_errno));
				return -1;
			}
			nbl->first_nb->data_length = frame_len;
			memset(nbl->first_nb->mdl_chain->va, 0x5a, frame_len);
			nbl->next = v->free;
			v->free = nbl;
		}
	}
	return 0;
}

static void
close_vcs(struct condis_adapter *ad, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl, *next;

		/* everything is back (the caller polled until then) */
		for (nbl = vcs[i].free; nbl != NULL; nbl = next) {
			next = nbl->next;
			condis_nbl_free(nbl);
		}
		condis_vc_deactivate(vcs[i].vc);
		condis_vc_delete(vcs[i].vc);
	}
	(void)ad;
}

/* Keep n VCs sending for cycles TSC cycles; return the cycles it ran. */
static uint64_t
pump(struct condis_adapter *ad, unsigned int n, uint64_t cycles)
{
	uint64_t start = rte_get_tsc_cycles(), end = start + cycles, now;
	unsigned int i;

	do {
		for (i = 0; i < n; i++) {
			struct bvc *v = &vcs[i];
			struct condis_nbl *head = v->free, *last = NULL, *nbl = head;
			unsigned int k;

			for (k = 0; k < CHAIN && nbl != NULL; k++) {
				last = nbl;
				nbl = nbl->next;
			}
			if (last == NULL)
				continue;
			v->free = nbl;
			last->next = NULL;
			condis_co_send_nbls(v->vc, head, 0);
		}
		condis_poll(ad, 0);
		now = rte_get_tsc_cycles();
	} while (now < end);
	return now - start;
}

/* Poll until every NBL is back (at most 10 s). */
static void
drain(struct condis_adapter *ad, unsigned int n)
{
	uint64_t end = rte_get_tsc_cycles() + 10 * rte_get_tsc_hz();
	unsigned int i, back;

	do {
		condis_poll(ad, 0);
		for (back = 0, i = 0; i < n; i++) {
			struct condis_nbl *nbl;
			unsigned int k = 0;

			for (nbl = vcs[i].free; nbl != NULL; nbl = nbl->next)
				k++;
			back += k == WINDOW;
		}
	} while (back < n && rte_get_tsc_cycles() < end);
}

/* One cost case: frames/s of 1 VC over ad for secs; the function name is
 * the callgrind toggle. */
#define COST_CASE(name) \
static uint64_t frames_##name; /* all frames of the last run, warm-up too (Ir/frame) */ \
static __rte_noinline double \
run_cost_##name(struct condis_protocol *proto, struct condis_adapter *ad, uint64_t peak, \
		double secs) \
{ \
	uint64_t ran, before; \
	double fps; \
	if (open_vcs(proto, ad, 1, peak) != 0) \
		return -1; \
	pump(ad, 1, rte_get_tsc_hz() / 10); /* warm up */ \
	before = vcs[0].frames; \
	ran = pump(ad, 1, (uint64_t)(secs * rte_get_tsc_hz())); \
	fps = (double)(vcs[0].frames - before) * rte_get_tsc_hz() / ran; \
	drain(ad, 1); \
	frames_##name = vcs[0].frames; \
	close_vcs(ad, 1); \
	return fps; \
}
COST_CASE(direct)
COST_CASE(unshaped)
COST_CASE(shaped)

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench_cost(struct condis_protocol *proto, struct condis_adapter *eth, struct condis_adapter *sh,
	   double secs, unsigned int runs)
{
	double d = 0, u = 0, s = 0;
	unsigned int r;

	for (r = 0; r < runs; r++) {
		d = RTE_MAX(d, run_cost_direct(proto, eth, 0, secs));
		u = RTE_MAX(u, run_cost_unshaped(proto, sh, 0, secs));
		/* 400 Gbit/s: above what one core sends, so every frame pays the bucket */
		s = RTE_MAX(s, run_cost_shaped(proto, sh, 400000000000ull, secs));
	}
	printf("cost: frame %u B, 1 VC, chains of %u, best of %u x %.1f s\n", frame_len, CHAIN,
	       runs, secs);
	printf("%-34s %10s %10s %9s\n", "path", "Mfps", "ns/frame", "vs direct");
	printf("%-34s %10.3f %10.1f %9.3f\n", "ethdev (no shaper)", d / 1e6, 1e9 / d, 1.0);
	printf("%-34s %10.3f %10.1f %9.3f\n", "shaper, VC not shaped", u / 1e6, 1e9 / u, u / d);
	printf("%-34s %10.3f %10.1f %9.3f\n", "shaper, VC shaped (400 Gbit/s)", s / 1e6, 1e9 / s,
	       s / d);
	printf("shaper cost per frame: %.1f ns not shaped, %.1f ns shaped\n", 1e9 / u - 1e9 / d,
	       1e9 / s - 1e9 / d);
	printf("frames of the last run (for callgrind's Ir/frame): direct %" PRIu64
	       " unshaped %" PRIu64 " shaped %" PRIu64 "\n", frames_direct, frames_unshaped,
	       frames_shaped);
}

static void
bench_accuracy(struct condis_protocol *proto, struct condis_adapter *sh, double secs)
{
	static const uint64_t rates[] = { 1000000, 10000000, 100000000, 1000000000, 5000000000 };
	static const unsigned int counts[] = { 1, 16, 256 };
	unsigned int ri, ci, i;

	printf("accuracy: frame %u B (+4 FCS counted), %.1f s per point; error = achieved/peak - 1\n",
	       frame_len, secs);
	printf("%12s %5s %14s %9s %9s %9s %8s %10s\n", "peak/VC", "VCs", "total Mbit/s", "min",
	       "median", "max", "failed", "lost B/VC");
	for (ri = 0; ri < RTE_DIM(rates); ri++) {
		for (ci = 0; ci < RTE_DIM(counts); ci++) {
			unsigned int n = counts[ci];
			uint64_t ran, failed = 0, lost;
			struct condis_shaper_stats st;
			double err[MAX_VCS], total = 0;

			/* above ~5 Mfps of offered frames this core is the limit, not the shaper */
			if ((double)rates[ri] * n / 8 / (frame_len + 4) > 3e6)
				continue;
			if (open_vcs(proto, sh, n, rates[ri]) != 0) {
				printf("open %u VCs failed\n", n);
				return;
			}
			pump(sh, n, rte_get_tsc_hz() / 5); /* fill the queues, spend the bursts */
			for (i = 0; i < n; i++) {
				vcs[i].win_bytes = vcs[i].t_first = vcs[i].t_last = 0;
			}
			condis_shaper_stats_get(sh, &st);
			lost = st.bytes_credit_lost;
			measuring = true;
			ran = pump(sh, n, (uint64_t)(secs * rte_get_tsc_hz()));
			measuring = false;
			for (i = 0; i < n; i++) {
				/* first to last completion of the window: no frame
				 * quantization, no idle tail */
				double bps = vcs[i].t_last > vcs[i].t_first ?
					     (double)vcs[i].win_bytes * 8 * rte_get_tsc_hz() /
					     (double)(vcs[i].t_last - vcs[i].t_first) : 0;

				err[i] = bps / rates[ri] - 1;
				if (getenv("SHAPER_BENCH_DEBUG") != NULL && i == 0)
					printf("debug: win_bytes %lu span %lu ran %lu frames %lu\n",
					       vcs[i].win_bytes, vcs[i].t_last - vcs[i].t_first, ran,
					       vcs[i].frames);
				total += bps;
				failed += vcs[i].failed;
			}
			qsort(err, n, sizeof(err[0]), cmp_double);
			condis_shaper_stats_get(sh, &st);
			printf("%9.0f Mb %5u %14.1f %+8.3f%% %+8.3f%% %+8.3f%% %8" PRIu64 " %10" PRIu64 "\n",
			       rates[ri] / 1e6, n, total / 1e6, err[0] * 100, err[n / 2] * 100,
			       err[n - 1] * 100, failed, (st.bytes_credit_lost - lost) / n);
			drain(sh, n);
			close_vcs(sh, n);
			if (condis_nbl_pool_in_use(pool) != 0)
				printf("after the point: %u NBLs not back\n",
				       condis_nbl_pool_in_use(pool));
		}
	}
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *def[] = { argv[0], "-l", "0", "--no-huge", "-m", "512", "--no-pci",
			"--vdev", "net_null0", "--file-prefix", prefix, "--log-level", "5" };
	struct condis_ethdev_params ep = { .nb_tx_queues = 1, .max_vcs = 1024 };
	struct condis_nbl_pool_params pp = { .name = "bench_nbl", .allocate_nb = true,
					     .context_size = 16, .socket_id = SOCKET_ID_ANY };
	struct condis_shaper_params sp = { .max_vcs = 1024, .burst_bytes = (uint32_t)atoi(getenv("SHAPER_BURST") ? getenv("SHAPER_BURST") : "0") };
	struct condis_adapter *eth, *sh;
	struct condis_protocol *proto;
	const char *mode = "all";
	double secs = 2;
	unsigned int runs = 3;
	int n, opt, dd;

	snprintf(prefix, sizeof(prefix), "shbench-%d", (int)getpid());
	/* EAL arguments are those before "--"; without one, the defaults. */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--") != 0; dd++)
		;
	if (dd < argc)
		n = rte_eal_init(dd, argv);
	else
		n = rte_eal_init((int)RTE_DIM(def), def);
	if (n < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (dd < argc) {
		argc -= dd;
		argv += dd;
	}
	while ((opt = getopt(argc, argv, "s:r:l:m:")) != -1) {
		switch (opt) {
		case 's': secs = atof(optarg); break;
		case 'r': runs = (unsigned int)atoi(optarg); break;
		case 'l': frame_len = (uint32_t)atoi(optarg); break;
		case 'm': mode = optarg; break;
		default:
			fprintf(stderr, "usage: shaper_bench [EAL args --] [-s SECS] [-r RUNS] [-l LEN] [-m cost|accuracy|all]\n");
			return 2;
		}
	}
	if (frame_len < 60 || frame_len > 1514 || secs <= 0 || runs == 0) {
		fprintf(stderr, "shaper_bench: -l 60..1514, -s > 0, -r > 0\n");
		return 2;
	}
	pp.count = 2 * MAX_VCS * WINDOW;
	pp.data_size = frame_len;
	pool = condis_nbl_pool_create(&pp);
	eth = condis_ethdev_open(&ep);
	sh = eth != NULL ? condis_shaper_open(eth, &sp) : NULL;
	proto = condis_protocol_register("shaper_bench", &ops);
	if (pool == NULL || eth == NULL || sh == NULL || proto == NULL) {
		fprintf(stderr, "set-up failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	printf("shaper_bench: TSC %.3f GHz\n", rte_get_tsc_hz() / 1e9);
	if (strcmp(mode, "cost") == 0 || strcmp(mode, "all") == 0)
		bench_cost(proto, eth, sh, secs, runs);
	if (strcmp(mode, "accuracy") == 0 || strcmp(mode, "all") == 0)
		bench_accuracy(proto, sh, secs);
	condis_adapter_close(sh);
	condis_adapter_close(eth);
	condis_protocol_deregister(proto);
	condis_nbl_pool_free(pool);
	rte_eal_cleanup();
	return 0;
}
