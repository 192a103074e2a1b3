/* SPDX-License-Identifier: BSD-3-Clause */
/* Final report: key=value lines, one per VC and a total (parsed by the tests),
 * and the run's verdict. */
#include <stdio.h>

#include <rte_cycles.h>

#include "gen.h"

#define DEFAULT_VC_LINES 16

void
gen_vc_totals(const struct gen_options *opt, const struct gen_vc *v, struct gen_vc_totals *t)
{
	uint64_t failed = v->invalid_length + v->resources + v->failure + v->paused + v->reset +
			  v->other;

	t->nbls_sent = v->nbls_sent;
	t->nbs_sent = v->seq; /* one sequence number per frame */
	t->bytes_sent = t->nbs_sent * gen_frame_len(opt);
	t->completed = v->completed;
	t->success = v->completed - failed;
	t->success_nbs = t->success * opt->nbs_per_nbl - v->short_ok_missing;
	t->invalid_length = v->invalid_length;
	t->resources = v->resources;
	t->failure = v->failure;
	t->paused = v->paused;
	t->reset = v->reset;
	t->other = v->other;
}

static void
print_vc(const char *label, const struct gen_vc_totals *v)
{
	printf("%s: nbls_sent=%" PRIu64 " nbs_sent=%" PRIu64 " bytes_sent=%" PRIu64
	       " completed=%" PRIu64 " success=%" PRIu64 " success_nbs=%" PRIu64
	       " invalid_length=%" PRIu64 " resources=%" PRIu64 " failure=%" PRIu64
	       " paused=%" PRIu64 " reset=%" PRIu64 " other=%" PRIu64 "\n", label,
	       v->nbls_sent, v->nbs_sent, v->bytes_sent, v->completed, v->success,
	       v->success_nbs, v->invalid_length, v->resources, v->failure, v->paused, v->reset,
	       v->other);
}

/* The rate sent, against --rate: frames sent before the last chain over the
 * time from the first send to the last (completions do not count). */
static void
send_rate(const struct gen_options *opt, uint64_t frames, double secs, uint64_t stalls,
	  uint64_t dropped, double clock_ppm)
{
	double pps = secs > 0 ? (double)frames / secs : 0;
	bool l2 = opt->rate_layer == GEN_L2;
	double wire = l2 ? opt->wire_l2_bytes : opt->wire_l1_bytes;
	char b[32];

	printf("send: pps=%.1f interval_s=%.6f target_pps=%.1f", pps, secs, opt->rate_pps);
	if (opt->rate_pps > 0)
		printf(" error_pct=%+.4f", (pps / opt->rate_pps - 1) * 100);
	else
		printf(" error_pct=none");
	/* The wire size a bit rate counted (L1 for a rate in frames/s). */
	printf(" wire_bytes=%s layer=%s gbps=%.6f target_gbps=%.6f", gen_fmt_bytes(wire, b, sizeof(b)),
	       l2 ? "L2" : "L1", pps * wire * 8 / 1e9, opt->rate_pps * wire * 8 / 1e9);
	printf(" stalls=%" PRIu64 " dropped=%" PRIu64 " tsc_hz=%.0f tsc_vs_monotonic_ppm=%+.1f\n",
	       stalls, dropped, gen_tsc_hz(), clock_ppm);
	if (stalls != 0)
		printf("condis-gen: --rate: %" PRIu64 " time(s) more than %.0f ms behind schedule "
		       "(a stall, or a rate the port or loop cannot reach): %" PRIu64 " frames "
		       "not made up\n", stalls, GEN_PACE_MAX_LAG_S * 1e3, dropped);
}

/* How even a paced run was: chain sizes (frames) and the gaps between the
 * chains of a worker. */
static void
pacing_report(const struct gen_options *opt, const struct gen_worker *workers)
{
	uint64_t chains = 0, frames = 0, span = 0, gaps_n = 0;
	uint32_t max = 0, min_nbls = 0, i;
	struct gen_latency gaps;
	double ns = 1e9 / gen_tsc_hz();

	gen_latency_init(&gaps);
	for (i = 0; i < opt->workers; i++) {
		const struct gen_worker *w = &workers[i];

		if (w->chains == 0)
			continue;
		chains += w->chains;
		frames += w->frames_sent;
		max = RTE_MAX(max, w->chain_frames_max);
		min_nbls = RTE_MAX(min_nbls, w->pace_min_nbls);
		span += w->tsc_last_send - w->tsc_first_send;
		gaps_n += w->chains - 1;
		gen_latency_merge(&gaps, &w->gaps);
	}
	printf("pacing: shape=%s", opt->pacing == GEN_PACE_POISSON ? "poisson" :
	       opt->burst != 0 ? "burst" : "smooth");
	if (opt->burst != 0)
		printf(" burst=%u", opt->burst);
	if (opt->pacing == GEN_PACE_POISSON)
		printf(" seed=%" PRIu64, opt->seed);
	printf(" min_chain_nbls=%u chains=%" PRIu64 " chain_frames_mean=%.2f chain_frames_max=%u"
	       " gap_ns_mean=%.0f gap_ns_p50=%.0f gap_ns_p99=%.0f gap_ns_max=%.0f\n", min_nbls,
	       chains, chains ? (double)frames / chains : 0, max,
	       gaps_n ? (double)span / gaps_n * ns : 0,
	       (double)gen_latency_quantile(&gaps, 0.50) * ns,
	       (double)gen_latency_quantile(&gaps, 0.99) * ns, (double)gaps.max * ns);
}

/* The loop's length by the TSC against CLOCK_MONOTONIC, in parts per million. */
static double
clock_ppm(const struct gen_worker *w)
{
	double tsc_s = (double)(w->tsc_end - w->tsc_start) / gen_tsc_hz();
	double mono_s = (double)(w->mono_end - w->mono_start) / 1e9;

	return mono_s > 0 ? (tsc_s / mono_s - 1) * 1e6 : 0;
}

int
gen_report(const struct gen_options *opt, struct gen_vc *vcs, struct gen_worker *workers,
	   const char *port_name)
{
	struct gen_vc_totals total = { 0 };
	struct gen_latency lat;
	uint64_t start = UINT64_MAX, done = 0, first = UINT64_MAX, last = 0, frames = 0;
	uint64_t stalls = 0, dropped = 0, last_chain = 0;
	double hz = gen_tsc_hz(), secs, mpps, l1_gbps;
	char label[32];
	uint32_t i;

	gen_latency_init(&lat);
	for (i = 0; i < opt->workers; i++) {
		gen_latency_merge(&lat, &workers[i].lat);
		start = RTE_MIN(start, workers[i].tsc_start);
		done = RTE_MAX(done, workers[i].tsc_last_done);
		if (workers[i].frames_sent == 0)
			continue;
		first = RTE_MIN(first, workers[i].tsc_first_send);
		if (workers[i].tsc_last_send >= last) {
			last = workers[i].tsc_last_send;
			last_chain = workers[i].last_chain_frames;
		}
		frames += workers[i].frames_sent;
		stalls += workers[i].pace_stalls;
		dropped += workers[i].pace_dropped;
	}
	for (i = 0; i < opt->vcs; i++) {
		struct gen_vc_totals vt, *v = &vt;

		gen_vc_totals(opt, &vcs[i], v);
		if (opt->per_vc || i < DEFAULT_VC_LINES) {
			snprintf(label, sizeof(label), "vc %u", i);
			print_vc(label, v);
		}
		total.nbls_sent += v->nbls_sent;
		total.nbs_sent += v->nbs_sent;
		total.bytes_sent += v->bytes_sent;
		total.completed += v->completed;
		total.success += v->success;
		total.success_nbs += v->success_nbs;
		total.invalid_length += v->invalid_length;
		total.resources += v->resources;
		total.failure += v->failure;
		total.paused += v->paused;
		total.reset += v->reset;
		total.other += v->other;
	}
	if (!opt->per_vc && opt->vcs > DEFAULT_VC_LINES)
		printf("(%u more VCs: --per-vc prints them)\n", opt->vcs - DEFAULT_VC_LINES);
	secs = done > start ? (double)(done - start) / hz : 0;
	mpps = secs > 0 ? (double)total.success_nbs / secs / 1e6 : 0;
	/* L1: frame, tag, padding, FCS, preamble/SFD (8), inter-frame gap (12). */
	l1_gbps = mpps * 1e6 * opt->wire_l1_bytes * 8 / 1e9;
	print_vc("total", &total);
	printf("rate: port=%s elapsed_s=%.6f mpps=%.3f l1_gbps=%.3f frame_size=%u vcs=%u workers=%u\n",
	       port_name, secs, mpps, l1_gbps, opt->frame_size, opt->vcs, opt->workers);
	send_rate(opt, frames - last_chain, last > first ? (double)(last - first) / hz : 0,
		  stalls, dropped, clock_ppm(&workers[0]));
	if (opt->rate_pps > 0)
		pacing_report(opt, workers);
	printf("latency_ns: count=%" PRIu64 " min=%.0f p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f"
	       " (send to completion, per NBL)\n", lat.count,
	       lat.count ? (double)lat.min * 1e9 / hz : 0,
	       (double)gen_latency_quantile(&lat, 0.50) * 1e9 / hz,
	       (double)gen_latency_quantile(&lat, 0.90) * 1e9 / hz,
	       (double)gen_latency_quantile(&lat, 0.99) * 1e9 / hz,
	       (double)gen_latency_quantile(&lat, 0.999) * 1e9 / hz,
	       (double)lat.max * 1e9 / hz);
	if (total.nbls_sent == 0 || total.success != 0)
		return 0;
	fprintf(stderr, "condis-gen: FAIL: none of the %" PRIu64 " NBLs sent completed SUCCESS "
		"(INVALID_LENGTH %" PRIu64 ", RESOURCES %" PRIu64 ", FAILURE %" PRIu64
		", other %" PRIu64 ", not completed %" PRIu64 ")\n", total.nbls_sent,
		total.invalid_length, total.resources, total.failure, total.other,
		total.nbls_sent - total.completed);
	return 1;
}
