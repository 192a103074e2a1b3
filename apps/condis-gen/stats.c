/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --stats-period: live statistics from a control thread. The workers keep
 * their counters as they always do (plain stores to their own VCs' and
 * their own state, no atomic read-modify-write, no lock); this thread reads
 * them with relaxed atomic loads (aligned 64-bit words: never torn), beside
 * the port's own counters (rte_eth_stats), and prints each interval's rates,
 * completions by status, NBLs in flight and progress, and whether the
 * software and the device agree. docs/OUTPUT.md describes the fields.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "gen.h"
#include "json.h"
#include "plot.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define NB_FAIL 6 /* the failure statuses struct gen_vc counts */

static const char *const fail_key[NB_FAIL] = {
	"invalid_length", "resources", "failure", "paused", "reset", "other",
};

struct wsample {
	uint64_t frames, nbls_sent, completed;
};

struct sample {
	uint64_t mono_ns;
	uint64_t nbls_sent, nbs_sent, completed, success_nbls, success_nbs;
	uint64_t fail[NB_FAIL];
	uint64_t opackets, obytes, oerrors;
	bool port_ok;
	struct wsample w[GEN_MAX_WORKERS];
};

static struct {
	const struct gen_options *opt;
	struct gen_vc *vcs;
	struct gen_worker *workers;
	double period_s;
	pthread_t thread;
	bool running;
	bool quiet;             /* sampling for --plot only: nothing printed */
	volatile bool stop;
	uint64_t start_ns;
	struct rte_eth_stats base[RTE_MAX_ETHPORTS];
} st;

double
gen_stats_period_resolve(const struct gen_options *opt)
{
	if (opt->stats_period_s >= 0)
		return opt->stats_period_s;
	/* Automatic: a person watching a run long enough to want it. A --count
	 * run without --duration has no known length: on. */
	if (opt->rx || !isatty(STDOUT_FILENO) || (opt->duration > 0 && opt->duration <= 3))
		return 0;
	return 1;
}

void
gen_stats_baseline(const struct gen_options *opt)
{
	uint16_t p;

	for (p = 0; p < opt->nb_ports; p++)
		if (rte_eth_stats_get(opt->ports[p], &st.base[opt->ports[p]]) != 0)
			memset(&st.base[opt->ports[p]], 0, sizeof(st.base[0]));
}

int
gen_stats_port(uint16_t port_id, uint64_t *opackets, uint64_t *obytes, uint64_t *oerrors)
{
	struct rte_eth_stats s;

	if (rte_eth_stats_get(port_id, &s) != 0)
		return -1;
	*opackets = s.opackets - st.base[port_id].opackets;
	*obytes = s.obytes - st.base[port_id].obytes;
	*oerrors = s.oerrors - st.base[port_id].oerrors;
	return 0;
}

int
gen_stats_ports(const struct gen_options *opt, uint64_t *opackets, uint64_t *obytes,
		uint64_t *oerrors)
{
	uint64_t op, ob, oe;
	uint16_t p;

	*opackets = *obytes = *oerrors = 0;
	for (p = 0; p < opt->nb_ports; p++) {
		if (gen_stats_port(opt->ports[p], &op, &ob, &oe) != 0)
			return -1;
		*opackets += op;
		*obytes += ob;
		*oerrors += oe;
	}
	return 0;
}

/* Completions first, then the device, then the sends: each read no earlier
 * than the one before, so success <= opackets <= sent holds whenever the
 * device counted a frame before its NBL completed (it must have). */
static void
take(struct sample *s)
{
	const struct gen_options *opt = st.opt;
	uint32_t i, k;

	memset(s, 0, sizeof(*s));
	s->mono_ns = gen_mono_ns();
	for (i = 0; i < opt->vcs; i++) {
		struct gen_vc *v = &st.vcs[i];
		struct wsample *w = &s->w[v->worker - st.workers];
		uint64_t done = LOAD(v->completed), f[NB_FAIL], failed = 0;

		f[0] = LOAD(v->invalid_length);
		f[1] = LOAD(v->resources);
		f[2] = LOAD(v->failure);
		f[3] = LOAD(v->paused);
		f[4] = LOAD(v->reset);
		f[5] = LOAD(v->other);
		for (k = 0; k < NB_FAIL; k++) {
			s->fail[k] += f[k];
			failed += f[k];
		}
		/* Read after the counts: a short NBL is never over-counted. */
		failed = RTE_MIN(failed, done);
		s->completed += done;
		s->success_nbls += done - failed;
		s->success_nbs += (done - failed) * opt->nbs_per_nbl - LOAD(v->short_ok_missing);
		w->completed += done;
	}
	s->port_ok = gen_stats_ports(opt, &s->opackets, &s->obytes, &s->oerrors) == 0;
	for (i = 0; i < opt->vcs; i++) {
		struct gen_vc *v = &st.vcs[i];
		struct wsample *w = &s->w[v->worker - st.workers];
		uint64_t nbls = LOAD(v->nbls_sent), nbs = LOAD(v->seq);

		s->nbls_sent += nbls;
		s->nbs_sent += nbs;
		w->nbls_sent += nbls;
		w->frames += nbs;
	}
}

/* Why the software and the device disagree, NULL if they do not. */
static const char *
disagreement(const struct sample *s)
{
	if (!s->port_ok)
		return NULL; /* no device counters: nothing to compare */
	if (s->success_nbs > s->opackets)
		return "success_nbs>opackets";
	if (s->opackets + s->oerrors > s->nbs_sent)
		return "opackets+oerrors>nbs_sent";
	return NULL;
}

/* Percent done of --count and --duration (the larger: the first to end). */
static double
progress_pct(const struct sample *s)
{
	const struct gen_options *opt = st.opt;
	double p = -1;

	if (opt->count != 0)
		p = (double)s->nbs_sent / ((double)opt->count * opt->vcs) * 100;
	if (opt->duration > 0)
		p = RTE_MAX(p, (double)(s->mono_ns - st.start_ns) / 1e9 / opt->duration * 100);
	return p < 0 ? -1 : RTE_MIN(p, 100.0);
}

static void
print_interval(const struct sample *a, const struct sample *b, FILE *jl)
{
	const struct gen_options *opt = st.opt;
	double dt = (double)(b->mono_ns - a->mono_ns) / 1e9, pct = progress_pct(b);
	double t = (double)(b->mono_ns - st.start_ns) / 1e9;
	uint64_t frames = b->nbs_sent - a->nbs_sent, pk = b->opackets - a->opackets;
	/* Phases of their own sizes: the wire size of the phase running now. */
	uint32_t ph = RTE_MIN(LOAD(st.workers[0].phase), opt->nb_phases - 1);
	double l1 = opt->phase_sizes ? opt->phases[ph].wire_l1_bytes : opt->wire_l1_bytes;
	double l2 = l1 - (opt->wire_l1_bytes - opt->wire_l2_bytes);
	uint64_t in_flight = b->nbls_sent - RTE_MIN(b->completed, b->nbls_sent);
	const char *why = disagreement(b);
	char line[1024];
	int n;
	uint32_t k, w;

	if (dt <= 0)
		return;
	if (gen_plot_rate_file() != NULL) {
		uint64_t failed = 0;
		char port[32] = "NaN"; /* gnuplot's missing value */

		for (k = 0; k < NB_FAIL; k++)
			failed += b->fail[k] - a->fail[k];
		if (b->port_ok)
			snprintf(port, sizeof(port), "%.6f", pk / dt / 1e6);
		fprintf(gen_plot_rate_file(), "%.3f %.6f %s %.6f %" PRIu64 " %" PRIu64 "\n", t,
			frames / dt / 1e6, port, (b->success_nbls - a->success_nbls) / dt / 1e6,
			failed, in_flight);
	}
	if (st.quiet)
		return;
	n = snprintf(line, sizeof(line), "stats: t_s=%.1f tx_mpps=%.3f tx_l1_gbps=%.3f "
		     "tx_l2_gbps=%.3f success=%" PRIu64, t, frames / dt / 1e6,
		     frames * l1 * 8 / dt / 1e9,
		     frames * l2 * 8 / dt / 1e9,
		     b->success_nbls - a->success_nbls);
	for (k = 0; k < NB_FAIL; k++)
		if (b->fail[k] != a->fail[k] && n < (int)sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64, fail_key[k],
				      b->fail[k] - a->fail[k]);
	if (n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " in_flight_nbls=%" PRIu64, in_flight);
	if (pct >= 0 && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " progress_pct=%.1f", pct);
	if (b->port_ok && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " port_mpps=%.3f port_opackets=%" PRIu64
			      " port_obytes=%" PRIu64 " port_oerrors=%" PRIu64 " check=%s%s",
			      pk / dt / 1e6, pk, b->obytes - a->obytes, b->oerrors - a->oerrors,
			      why ? "MISMATCH:" : "ok", why ? why : "");
	if (n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - n, "\n");
	fputs(line, stdout);
	for (w = 0; opt->workers > 1 && w < opt->workers; w++) {
		const struct wsample *x = &a->w[w], *y = &b->w[w];

		printf("stats worker %u: tx_mpps=%.3f completed=%" PRIu64 " in_flight_nbls=%" PRIu64
		       "\n", w, (y->frames - x->frames) / dt / 1e6, y->completed - x->completed,
		       y->nbls_sent - RTE_MIN(y->completed, y->nbls_sent));
	}
	fflush(stdout);
	if (jl == NULL)
		return;
	{
		struct gen_json j;

		gj_init(&j, jl, false);
		gj_obj(&j, NULL);
		gj_str(&j, "type", "interval");
		gj_dbl(&j, "t_s", t);
		gj_dbl(&j, "interval_s", dt);
		gj_u64(&j, "tx_frames", frames);
		gj_dbl(&j, "tx_pps", frames / dt);
		gj_dbl(&j, "tx_l1_bps", frames * l1 * 8 / dt);
		gj_dbl(&j, "tx_l2_bps", frames * l2 * 8 / dt);
		gj_obj(&j, "completions");
		gj_u64(&j, "SUCCESS", b->success_nbls - a->success_nbls);
		gj_u64(&j, "INVALID_LENGTH", b->fail[0] - a->fail[0]);
		gj_u64(&j, "RESOURCES", b->fail[1] - a->fail[1]);
		gj_u64(&j, "FAILURE", b->fail[2] - a->fail[2]);
		gj_u64(&j, "PAUSED", b->fail[3] - a->fail[3]);
		gj_u64(&j, "RESET_IN_PROGRESS", b->fail[4] - a->fail[4]);
		gj_u64(&j, "OTHER", b->fail[5] - a->fail[5]);
		gj_obj_end(&j);
		gj_u64(&j, "success_nbs", b->success_nbs - a->success_nbs);
		gj_u64(&j, "nbls_in_flight", in_flight);
		if (pct >= 0)
			gj_dbl(&j, "progress_pct", pct);
		else
			gj_null(&j, "progress_pct");
		if (b->port_ok) {
			gj_obj(&j, "port");
			gj_u64(&j, "opackets", pk);
			gj_u64(&j, "obytes", b->obytes - a->obytes);
			gj_u64(&j, "oerrors", b->oerrors - a->oerrors);
			gj_dbl(&j, "tx_pps", pk / dt);
			gj_obj_end(&j);
		} else {
			gj_null(&j, "port");
		}
		gj_obj(&j, "cumulative");
		gj_u64(&j, "nbs_sent", b->nbs_sent);
		gj_u64(&j, "success_nbs", b->success_nbs);
		if (b->port_ok)
			gj_u64(&j, "port_opackets", b->opackets);
		else
			gj_null(&j, "port_opackets");
		gj_obj_end(&j);
		gj_bool(&j, "device_agrees", why == NULL);
		gj_str(&j, "disagreement", why);
		gj_arr(&j, "workers");
		for (w = 0; w < opt->workers; w++) {
			const struct wsample *x = &a->w[w], *y = &b->w[w];

			gj_obj(&j, NULL);
			gj_u64(&j, "id", w);
			gj_u64(&j, "tx_frames", y->frames - x->frames);
			gj_dbl(&j, "tx_pps", (y->frames - x->frames) / dt);
			gj_u64(&j, "nbls_completed", y->completed - x->completed);
			gj_u64(&j, "nbls_in_flight", y->nbls_sent - RTE_MIN(y->completed,
									   y->nbls_sent));
			gj_obj_end(&j);
		}
		gj_arr_end(&j);
		gj_obj_end(&j);
		gj_finish(&j);
		fflush(jl);
	}
}

static void *
stats_main(void *arg)
{
	static struct sample s[2];
	unsigned int cur = 0;
	uint64_t next;

	RTE_SET_USED(arg);
	take(&s[0]);
	st.start_ns = s[0].mono_ns;
	next = st.start_ns + (uint64_t)(st.period_s * 1e9);
	while (!st.stop && !gen_stop) {
		uint64_t now = gen_mono_ns();
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (now < next) {
			uint64_t left = next - now;

			if (left < (uint64_t)ts.tv_nsec)
				ts.tv_nsec = (long)left;
			nanosleep(&ts, NULL);
			continue;
		}
		take(&s[cur ^ 1]);
		print_interval(&s[cur], &s[cur ^ 1], gen_json_intervals_file());
		cur ^= 1;
		next += (uint64_t)(st.period_s * 1e9);
		if (next < now) /* fell behind (a stopped process): skip ahead */
			next = now + (uint64_t)(st.period_s * 1e9);
	}
	/* The run's last stretch, unless it is a sliver of a period. */
	take(&s[cur ^ 1]);
	if ((double)(s[cur ^ 1].mono_ns - s[cur].mono_ns) > st.period_s * 1e9 / 10)
		print_interval(&s[cur], &s[cur ^ 1], gen_json_intervals_file());
	return NULL;
}

int
gen_stats_start(const struct gen_options *opt, struct gen_vc *vcs, struct gen_worker *workers)
{
	st.opt = opt;
	st.vcs = vcs;
	st.workers = workers;
	st.period_s = gen_stats_period_resolve(opt);
	st.stop = false;
	st.quiet = false;
	if (st.period_s <= 0 && opt->plot_dir != NULL) {
		/* --plot's rate over time, without the live lines. */
		st.period_s = GEN_PLOT_PERIOD_S;
		st.quiet = true;
	}
	if (st.period_s <= 0)
		return 0;
	/* A control thread: on the CPUs the lcores leave free, not a worker's. */
	if (rte_ctrl_thread_create(&st.thread, "gen-stats", NULL, stats_main, NULL) != 0)
		return -1;
	st.running = true;
	return 0;
}

void
gen_stats_stop(void)
{
	if (!st.running)
		return;
	st.stop = true;
	pthread_join(st.thread, NULL);
	st.running = false;
}
