/* SPDX-License-Identifier: BSD-3-Clause */
/* Final report: key=value lines, one per VC and a total (parsed by the tests),
 * and the run's verdict. */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include <rte_ethdev.h>

#include "gen.h"
#include "json.h"
#include "plot.h"
#include "replay.h"
#include "rx.h"

#define DEFAULT_VC_LINES 16

void
gen_vc_totals(const struct gen_options *opt, const struct gen_vc *v, struct gen_vc_totals *t)
{
	uint64_t failed = v->invalid_length + v->resources + v->failure + v->paused + v->reset +
			  v->other;

	t->nbls_sent = v->nbls_sent;
	t->nbs_sent = v->seq; /* one sequence number per frame */
	/* Counted where the path counts them (a file's, or sizes that vary); else
	 * from the size cycle by sequence number. */
	t->bytes_sent = opt->pcap_path != NULL || gen_tmpl.general ? v->bytes_sent :
			gen_frame_bytes(opt, t->nbs_sent);
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
	if (stalls != 0 && opt->pcap_path != NULL)
		printf("condis-gen: --pcap: %" PRIu64 " time(s) more than %.0f ms behind the "
		       "replay's schedule (a stall, a pause, or a rate the port or loop cannot "
		       "reach): the schedule moved on, no frame of the file skipped\n", stalls,
		       GEN_PACE_MAX_LAG_S * 1e3);
	else if (stalls != 0)
		printf("condis-gen: --rate: %" PRIu64 " time(s) more than %.0f ms behind schedule "
		       "(a stall, or a rate the port or loop cannot reach): %" PRIu64 " frames "
		       "not made up\n", stalls, GEN_PACE_MAX_LAG_S * 1e3, dropped);
}

/* How even a paced run was, over the workers: chain sizes (frames) and the
 * gaps between the chains of a worker. */
struct pacing_sum {
	uint64_t chains, frames, span, gaps_n;
	uint32_t max, min_nbls;
	struct gen_latency gaps;
};

static void
pacing_sum(const struct gen_options *opt, const struct gen_worker *workers,
	   struct pacing_sum *p)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	gen_latency_init(&p->gaps);
	for (i = 0; i < opt->workers; i++) {
		const struct gen_worker *w = &workers[i];

		if (w->chains == 0)
			continue;
		p->chains += w->chains;
		p->frames += w->frames_sent;
		p->max = RTE_MAX(p->max, w->chain_frames_max);
		p->min_nbls = RTE_MAX(p->min_nbls, w->pace_min_nbls);
		p->span += w->tsc_last_send - w->tsc_first_send;
		p->gaps_n += w->chains - 1;
		gen_latency_merge(&p->gaps, &w->gaps);
	}
}

static const char *
pacing_shape(const struct gen_options *opt)
{
	if (opt->pcap_path != NULL)
		return opt->pcap_rate ? "pcap-rate" : "pcap-timestamps";
	return opt->pacing == GEN_PACE_POISSON ? "poisson" : opt->burst != 0 ? "burst" : "smooth";
}

static void
pacing_report(const struct gen_options *opt, const struct gen_worker *workers)
{
	struct pacing_sum p;
	double ns = 1e9 / gen_tsc_hz();

	pacing_sum(opt, workers, &p);
	printf("pacing: shape=%s", pacing_shape(opt));
	if (opt->burst != 0)
		printf(" burst=%u", opt->burst);
	if (opt->pacing == GEN_PACE_POISSON)
		printf(" seed=%" PRIu64, opt->seed);
	printf(" min_chain_nbls=%u chains=%" PRIu64 " chain_frames_mean=%.2f chain_frames_max=%u"
	       " gap_ns_mean=%.0f gap_ns_p50=%.0f gap_ns_p99=%.0f gap_ns_max=%.0f\n", p.min_nbls,
	       p.chains, p.chains ? (double)p.frames / p.chains : 0, p.max,
	       p.gaps_n ? (double)p.span / p.gaps_n * ns : 0,
	       (double)gen_latency_quantile(&p.gaps, 0.50) * ns,
	       (double)gen_latency_quantile(&p.gaps, 0.99) * ns, (double)p.gaps.max * ns);
}

/* The ports' counters after the run (gen_report_port_snapshot()): their
 * sum, and each port's. */
struct port_counters {
	bool ok;
	uint64_t opackets, obytes, oerrors;
};
static struct port_counters port_end, port_end_each[GEN_MAX_PORTS];

void
gen_report_port_snapshot(const struct gen_options *opt)
{
	uint16_t p;

	for (p = 0; p < opt->nb_ports; p++) {
		struct port_counters *c = &port_end_each[p];

		c->ok = gen_stats_port(opt->ports[p], &c->opackets, &c->obytes, &c->oerrors) == 0;
	}
	port_end.ok = gen_stats_ports(opt, &port_end.opackets, &port_end.obytes,
				      &port_end.oerrors) == 0;
}

/* Each port's share: VC v on port v mod K. */
static void
port_totals(const struct gen_options *opt, struct gen_vc *vcs, uint16_t p,
	    struct gen_vc_totals *t)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	for (i = p; i < opt->vcs; i += opt->nb_ports) {
		struct gen_vc_totals v;

		gen_vc_totals(opt, &vcs[i], &v);
		t->nbls_sent += v.nbls_sent;
		t->nbs_sent += v.nbs_sent;
		t->bytes_sent += v.bytes_sent;
		t->completed += v.completed;
		t->success += v.success;
		t->success_nbs += v.success_nbs;
	}
}

static void
ports_report(const struct gen_options *opt, struct gen_vc *vcs)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t p;

	for (p = 0; p < opt->nb_ports; p++) {
		const struct port_counters *c = &port_end_each[p];
		struct gen_vc_totals t;

		port_totals(opt, vcs, p, &t);
		rte_eth_dev_get_name_by_port(opt->ports[p], name);
		printf("port %u: name=%s vcs=%u workers=%u nbs_sent=%" PRIu64 " bytes_sent=%" PRIu64
		       " completed=%" PRIu64 " success_nbs=%" PRIu64, opt->ports[p], name,
		       gen_port_vcs(opt, p, opt->vcs),
		       opt->workers / opt->nb_ports, t.nbs_sent, t.bytes_sent, t.completed,
		       t.success_nbs);
		if (c->ok)
			printf(" opackets=%" PRIu64 " obytes=%" PRIu64 " oerrors=%" PRIu64 "\n",
			       c->opackets, c->obytes, c->oerrors);
		else
			printf(" opackets=none\n");
	}
}

static void
ports_json(struct gen_json *j, const struct gen_options *opt, struct gen_vc *vcs)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t p;

	gj_arr(j, "ports");
	for (p = 0; p < opt->nb_ports; p++) {
		const struct port_counters *c = &port_end_each[p];
		struct gen_vc_totals t;

		port_totals(opt, vcs, p, &t);
		rte_eth_dev_get_name_by_port(opt->ports[p], name);
		gj_obj(j, NULL);
		gj_u64(j, "id", opt->ports[p]);
		gj_str(j, "name", name);
		gj_i64(j, "numa_node", rte_eth_dev_socket_id(opt->ports[p]));
		gj_u64(j, "vcs", gen_port_vcs(opt, p, opt->vcs));
		gj_u64(j, "workers", opt->workers / opt->nb_ports);
		gj_u64(j, "nbls_sent", t.nbls_sent);
		gj_u64(j, "nbs_sent", t.nbs_sent);
		gj_u64(j, "bytes_sent", t.bytes_sent);
		gj_u64(j, "nbls_completed", t.completed);
		gj_u64(j, "success_nbs", t.success_nbs);
		if (c->ok) {
			gj_u64(j, "opackets", c->opackets);
			gj_u64(j, "obytes", c->obytes);
			gj_u64(j, "oerrors", c->oerrors);
		} else {
			gj_null(j, "opackets");
			gj_null(j, "obytes");
			gj_null(j, "oerrors");
		}
		gj_obj_end(j);
	}
	gj_arr_end(j);
}

static void
json_counters(struct gen_json *j, const char *key, const struct gen_vc_totals *v,
	      bool open)
{
	if (open)
		gj_obj(j, key);
	gj_u64(j, "nbls_sent", v->nbls_sent);
	gj_u64(j, "nbs_sent", v->nbs_sent);
	gj_u64(j, "bytes_sent", v->bytes_sent);
	gj_u64(j, "nbls_completed", v->completed);
	gj_u64(j, "nbls_in_flight", v->nbls_sent - RTE_MIN(v->completed, v->nbls_sent));
	gj_u64(j, "success_nbs", v->success_nbs);
	gj_obj(j, "completions");
	gj_u64(j, condis_status_name(CONDIS_STATUS_SUCCESS), v->success);
	gj_u64(j, condis_status_name(CONDIS_STATUS_INVALID_LENGTH), v->invalid_length);
	gj_u64(j, condis_status_name(CONDIS_STATUS_RESOURCES), v->resources);
	gj_u64(j, condis_status_name(CONDIS_STATUS_FAILURE), v->failure);
	gj_u64(j, condis_status_name(CONDIS_STATUS_PAUSED), v->paused);
	gj_u64(j, condis_status_name(CONDIS_STATUS_RESET_IN_PROGRESS), v->reset);
	gj_u64(j, "OTHER", v->other);
	gj_obj_end(j);
	if (open)
		gj_obj_end(j);
}

/* What the text report computed, for the JSON one. */
struct report_sums {
	struct gen_vc_totals total;
	double secs, send_secs, send_pps, clock_ppm;
	uint64_t stalls, dropped;
	const struct gen_latency *lat;
	const struct gen_latency *lat_sched; /* --rate, smooth or bursts; else NULL */
};

static void
json_pacing(struct gen_json *j, const struct gen_options *opt, const struct gen_worker *workers)
{
	struct pacing_sum p;
	double ns = 1e9 / gen_tsc_hz();

	pacing_sum(opt, workers, &p);
	gj_obj(j, "pacing");
	gj_str(j, "shape", pacing_shape(opt));
	if (opt->burst != 0)
		gj_u64(j, "burst_nbls", opt->burst);
	else
		gj_null(j, "burst_nbls");
	if (opt->pacing == GEN_PACE_POISSON)
		gj_u64(j, "seed", opt->seed);
	else
		gj_null(j, "seed");
	gj_u64(j, "min_chain_nbls", p.min_nbls);
	gj_u64(j, "chains", p.chains);
	gj_dbl(j, "chain_frames_mean", p.chains ? (double)p.frames / p.chains : 0);
	gj_u64(j, "chain_frames_max", p.max);
	gj_dbl(j, "gap_mean_ns", p.gaps_n ? (double)p.span / p.gaps_n * ns : 0);
	gen_json_latency(j, "gaps", &p.gaps, ns, "time between a worker's chains");
	gj_obj_end(j);
}

/* A latency line: count, min, p50, p90, p99, p99.9, max in ns (ns per unit of l). */
static void
print_latency(const char *label, const struct gen_latency *l, double ns, const char *what)
{
	printf("%s: count=%" PRIu64 " min=%.0f p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f"
	       " (%s)\n", label, l->count, l->count ? (double)l->min * ns : 0,
	       (double)gen_latency_quantile(l, 0.50) * ns, (double)gen_latency_quantile(l, 0.90) * ns,
	       (double)gen_latency_quantile(l, 0.99) * ns,
	       (double)gen_latency_quantile(l, 0.999) * ns, (double)l->max * ns, what);
}

/* --phase k over the workers: frames, the interval (worker 0's), stalls,
 * and the latency of the NBLs completed in it (the histograms' difference). */
struct phase_sum {
	uint64_t frames, stalls, dropped;
	double secs, pps;
	struct gen_latency lat;
};

static void
phase_sum(const struct gen_options *opt, const struct gen_worker *workers, uint32_t k,
	  struct phase_sum *ps)
{
	unsigned int w, b;

	memset(ps, 0, sizeof(*ps));
	gen_latency_init(&ps->lat);
	for (w = 0; w < opt->workers; w++) {
		const struct gen_phase_stats *x = &workers[w].phase_stats[k];
		const struct gen_latency *a = &x->lat_at_end;
		const struct gen_latency *before = k > 0 ? &workers[w].phase_stats[k - 1].lat_at_end :
						   NULL;

		ps->frames += x->frames;
		ps->stalls += x->stalls;
		ps->dropped += x->dropped;
		for (b = 0; b < GEN_LAT_BUCKETS; b++) {
			uint64_t n = a->bucket[b] - (before != NULL ? before->bucket[b] : 0);
			uint64_t lo, hi;

			if (n == 0)
				continue;
			gen_latency_bucket_bounds(b, &lo, &hi);
			ps->lat.bucket[b] += n;
			ps->lat.count += n;
			ps->lat.sum += n * lo; /* at the bucket's floor: a bound, not the sum */
			ps->lat.min = RTE_MIN(ps->lat.min, lo);
			ps->lat.max = RTE_MAX(ps->lat.max, hi);
		}
	}
	if (workers[0].phase_stats[k].tsc_end > workers[0].phase_stats[k].tsc_start)
		ps->secs = (double)(workers[0].phase_stats[k].tsc_end -
				    workers[0].phase_stats[k].tsc_start) / gen_tsc_hz();
	ps->pps = ps->secs > 0 ? (double)ps->frames / ps->secs : 0;
}

static void
phases_report(const struct gen_options *opt, const struct gen_worker *workers)
{
	double ns = 1e9 / gen_tsc_hz();
	struct phase_sum ps;
	uint32_t k;

	for (k = 0; k < opt->nb_phases; k++) {
		const struct gen_phase *ph = &opt->phases[k];

		phase_sum(opt, workers, k, &ps);
		printf("phase %u: rate=%s size=", k + 1, ph->text);
		if (ph->size != 0)
			printf("%u", ph->size);
		else
			printf("run");
		printf(" vcs=%u target_pps=", ph->vcs != 0 ? ph->vcs : opt->vcs);
		if (ph->rate_pps > 0)
			printf("%.1f", ph->rate_pps);
		else
			printf("none");
		printf(" seconds=%.3f sent=%" PRIu64 " pps=%.1f l1_gbps=%.6f error_pct=", ps.secs,
		       ps.frames, ps.pps, ps.pps * ph->wire_l1_bytes * 8 / 1e9);
		if (ph->rate_pps > 0)
			printf("%+.4f", (ps.pps / ph->rate_pps - 1) * 100);
		else
			printf("none");
		printf(" stalls=%" PRIu64 " dropped=%" PRIu64 " latency_ns: count=%"
		       PRIu64 " p50=%.0f p99=%.0f max=%.0f\n", ps.stalls, ps.dropped, ps.lat.count,
		       (double)gen_latency_quantile(&ps.lat, 0.5) * ns,
		       (double)gen_latency_quantile(&ps.lat, 0.99) * ns,
		       ps.lat.count ? (double)ps.lat.max * ns : 0);
	}
}

static void
json_phases(struct gen_json *j, const struct gen_options *opt, const struct gen_worker *workers)
{
	struct phase_sum ps;
	uint32_t k;

	if (opt->nb_phases == 0) {
		gj_null(j, "phases");
		return;
	}
	gj_arr(j, "phases");
	for (k = 0; k < opt->nb_phases; k++) {
		const struct gen_phase *ph = &opt->phases[k];

		phase_sum(opt, workers, k, &ps);
		gj_obj(j, NULL);
		gj_u64(j, "index", k + 1);
		gj_str(j, "given", ph->text);
		if (ph->size != 0)
			gj_u64(j, "size_bytes", ph->size);
		else
			gj_null(j, "size_bytes");
		gj_u64(j, "vcs", ph->vcs != 0 ? ph->vcs : opt->vcs);
		gj_dbl(j, "wire_l1_bytes", ph->wire_l1_bytes);
		if (ph->rate_pps > 0)
			gj_dbl(j, "target_pps", ph->rate_pps);
		else
			gj_null(j, "target_pps");
		gj_dbl(j, "target_seconds", ph->seconds);
		gj_dbl(j, "seconds", ps.secs);
		gj_u64(j, "frames_sent", ps.frames);
		gj_dbl(j, "tx_pps", ps.pps);
		gj_dbl(j, "tx_l1_bps", ps.pps * ph->wire_l1_bytes * 8);
		if (ph->rate_pps > 0)
			gj_dbl(j, "error_pct", (ps.pps / ph->rate_pps - 1) * 100);
		else
			gj_null(j, "error_pct");
		gj_u64(j, "stalls", ps.stalls);
		gj_u64(j, "dropped_frames", ps.dropped);
		gen_json_latency(j, "latency", &ps.lat, 1e9 / gen_tsc_hz(),
				 "send to completion of the NBLs completed in the phase");
		gj_obj_end(j);
	}
	gj_arr_end(j);
}

static void
report_json(const struct gen_options *opt, struct gen_vc *vcs, struct gen_worker *workers,
	    const struct report_sums *r, int rc, const char *failure)
{
	static const char *const layer[] = { "pps", "L1", "L2" };
	struct gen_json *j = gen_json_begin(opt, "send");
	const struct gen_vc_totals *t = &r->total;
	double hz = gen_tsc_hz();
	uint32_t i;

	if (j == NULL)
		return;
	gj_obj(j, "send");
	gj_obj(j, "resolved");
	gj_u64(j, "frame_len_bytes", gen_frame_len(opt));
	gj_dbl(j, "wire_l1_bytes", opt->wire_l1_bytes);
	gj_dbl(j, "wire_l2_bytes", opt->wire_l2_bytes);
	gj_u64(j, "window_nbls", workers[0].window);
	gj_dbl(j, "duration_s", opt->duration);
	gj_u64(j, "count_frames_per_vc", opt->count);
	gj_obj_end(j);
	json_counters(j, "totals", t, true);
	gj_arr(j, "vcs");
	for (i = 0; i < opt->vcs; i++) {
		struct gen_vc_totals vt;
		uint16_t vid;
		uint8_t prio;

		gen_vc_totals(opt, &vcs[i], &vt);
		gj_line_obj(j, NULL);
		gj_u64(j, "id", i);
		gj_u64(j, "worker", (uint64_t)(vcs[i].worker - workers));
		if (gen_vlan_lookup(opt, i, &vid, &prio)) {
			gj_u64(j, "vlan_id", vid);
			gj_u64(j, "vlan_prio", prio);
		} else {
			gj_null(j, "vlan_id");
			gj_null(j, "vlan_prio");
		}
		json_counters(j, NULL, &vt, false);
		gj_line_obj_end(j);
	}
	gj_arr_end(j);
	gj_arr(j, "workers");
	for (i = 0; i < opt->workers; i++) {
		const struct gen_worker *w = &workers[i];

		gj_line_obj(j, NULL);
		gj_u64(j, "id", i);
		gj_u64(j, "lcore", w->lcore);
		gj_u64(j, "port_id", opt->ports[w->port_idx]);
		gj_u64(j, "tx_queue", w->queue);
		gj_u64(j, "vcs", w->nb_vcs);
		gj_u64(j, "window_nbls", w->window);
		gj_u64(j, "frames_sent", w->frames_sent);
		gj_u64(j, "polls", w->polls);
		gj_u64(j, "chains", w->chains);
		gj_u64(j, "pace_stalls", w->pace_stalls);
		gj_u64(j, "pace_dropped_frames", w->pace_dropped);
		gj_u64(j, "latency_count", w->lat.count);
		gj_line_obj_end(j);
	}
	gj_arr_end(j);
	gj_obj(j, "port_counters");
	if (port_end.ok) {
		const char *why = t->success_nbs > port_end.opackets ? "success_nbs>opackets" :
				  port_end.opackets + port_end.oerrors > t->nbs_sent ?
				  "opackets+oerrors>nbs_sent" : NULL;

		gj_u64(j, "opackets", port_end.opackets);
		gj_u64(j, "obytes", port_end.obytes);
		gj_u64(j, "oerrors", port_end.oerrors);
		gj_bool(j, "device_agrees", why == NULL);
		gj_str(j, "disagreement", why);
	} else {
		gj_null(j, "opackets");
		gj_null(j, "obytes");
		gj_null(j, "oerrors");
		gj_null(j, "device_agrees");
		gj_str(j, "disagreement", NULL);
	}
	gj_obj_end(j);
	gj_obj(j, "rates");
	gj_dbl(j, "elapsed_s", r->secs);
	gj_dbl(j, "success_pps", r->secs > 0 ? (double)t->success_nbs / r->secs : 0);
	gj_dbl(j, "success_l1_bps", r->secs > 0 ?
	       (double)t->success_nbs / r->secs * opt->wire_l1_bytes * 8 : 0);
	gj_dbl(j, "success_l2_bps", r->secs > 0 ?
	       (double)t->success_nbs / r->secs * opt->wire_l2_bytes * 8 : 0);
	gj_dbl(j, "send_interval_s", r->send_secs);
	gj_dbl(j, "tx_pps", r->send_pps);
	gj_dbl(j, "tx_l1_bps", r->send_pps * opt->wire_l1_bytes * 8);
	gj_dbl(j, "tx_l2_bps", r->send_pps * opt->wire_l2_bytes * 8);
	gj_dbl(j, "tsc_hz", hz);
	gj_dbl(j, "tsc_vs_monotonic_ppm", r->clock_ppm);
	gj_obj_end(j);
	if (opt->rate_pps > 0) {
		gj_obj(j, "rate_target");
		gj_str(j, "text", opt->rate_text);
		gj_str(j, "layer", layer[opt->rate_layer]);
		gj_dbl(j, "target_pps", opt->rate_pps);
		gj_dbl(j, "target_l1_bps", opt->rate_pps * opt->wire_l1_bytes * 8);
		gj_dbl(j, "target_l2_bps", opt->rate_pps * opt->wire_l2_bytes * 8);
		gj_dbl(j, "error_pct", (r->send_pps / opt->rate_pps - 1) * 100);
		if (opt->rate_link_pct > 0) {
			gj_dbl(j, "link_pct", opt->rate_link_pct);
			gj_dbl(j, "link_speed_mbps", opt->link_speed_mbps);
		} else {
			gj_null(j, "link_pct");
			gj_null(j, "link_speed_mbps");
		}
		gj_u64(j, "stalls", r->stalls);
		gj_u64(j, "dropped_frames", r->dropped);
		json_pacing(j, opt, workers);
		gj_obj_end(j);
	} else {
		gj_null(j, "rate_target");
	}
	json_phases(j, opt, workers);
	gen_replay_json(j, opt, t->nbs_sent);
	ports_json(j, opt, vcs);
	gen_json_latency(j, "latency", r->lat, 1e9 / hz, "send to completion, per NBL");
	if (r->lat_sched != NULL)
		gen_json_latency(j, "latency_from_schedule", r->lat_sched, 1e9 / hz,
				 "from the --rate schedule to completion, per NBL");
	else
		gj_null(j, "latency_from_schedule");
	gj_obj_end(j);
	if (workers[0].rx != NULL)
		gen_rx_json(j, workers[0].rx, gen_rx_secs(workers[0].rx));
	gen_json_close(rc, failure);
}

/* The loop's length by the TSC against CLOCK_MONOTONIC, in parts per million. */
static double
clock_ppm(const struct gen_worker *w)
{
	double tsc_s = (double)(w->tsc_end - w->tsc_start) / gen_tsc_hz();
	double mono_s = (double)(w->mono_end - w->mono_start) / 1e9;

	return mono_s > 0 ? (tsc_s / mono_s - 1) * 1e6 : 0;
}

void
gen_report_phase_wire(struct gen_options *opt, const struct gen_worker *workers)
{
	double frames = 0, l1 = 0;
	struct phase_sum ps;
	uint32_t k;

	if (!opt->phase_sizes)
		return;
	/* The run's wire size: its phases', each by the frames it sent. */
	for (k = 0; k < opt->nb_phases; k++) {
		phase_sum(opt, workers, k, &ps);
		frames += (double)ps.frames;
		l1 += (double)ps.frames * opt->phases[k].wire_l1_bytes;
	}
	if (frames > 0) {
		opt->wire_l1_bytes = l1 / frames;
		opt->wire_l2_bytes = opt->wire_l1_bytes - GEN_L1_OVERHEAD;
	}
}

int
gen_report(const struct gen_options *opt, struct gen_vc *vcs, struct gen_worker *workers,
	   const char *port_name)
{
	struct gen_vc_totals total = { 0 };
	struct gen_latency lat, lat_sched;
	struct report_sums sums;
	const char *rx_failure = NULL;
	uint64_t start = UINT64_MAX, done = 0, first = UINT64_MAX, last = 0, frames = 0;
	uint64_t stalls = 0, dropped = 0, last_chain = 0;
	double hz = gen_tsc_hz(), secs, mpps, l1_gbps;
	char label[32];
	uint32_t i;

	gen_latency_init(&lat);
	gen_latency_init(&lat_sched);
	for (i = 0; i < opt->workers; i++) {
		gen_latency_merge(&lat, &workers[i].lat);
		gen_latency_merge(&lat_sched, &workers[i].lat_sched);
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
	if (opt->nb_ports > 1)
		ports_report(opt, vcs);
	if (opt->pcap_path != NULL)
		gen_replay_report(opt, frames); /* replay: the file, its flows, passes sent */
	else
		gen_traffic_report(opt); /* traffic: headers, flows, size mix, mean size */
	printf("rate: port=%s elapsed_s=%.6f mpps=%.3f l1_gbps=%.3f frame_size=", port_name, secs,
	       mpps, l1_gbps);
	if (opt->phase_sizes)
		printf("by-phase");
	else
		printf("%u", opt->frame_size);
	printf(" vcs=%u workers=%u\n", opt->vcs, opt->workers);
	send_rate(opt, frames - last_chain, last > first ? (double)(last - first) / hz : 0,
		  stalls, dropped, clock_ppm(&workers[0]));
	if (opt->rate_pps > 0)
		pacing_report(opt, workers);
	phases_report(opt, workers);
	print_latency("latency_ns", &lat, 1e9 / hz, "send to completion, per NBL");
	sums.total = total;
	sums.secs = secs;
	sums.send_secs = last > first ? (double)(last - first) / hz : 0;
	sums.send_pps = sums.send_secs > 0 ? (double)(frames - last_chain) / sums.send_secs : 0;
	sums.clock_ppm = clock_ppm(&workers[0]);
	sums.stalls = stalls;
	sums.dropped = dropped;
	sums.lat = &lat;
	sums.lat_sched = lat_sched.count != 0 ? &lat_sched : NULL;
	if (lat_sched.count != 0)
		print_latency("latency_sched_ns", &lat_sched, 1e9 / hz, "from the --rate schedule "
			      "to completion, per NBL: coordinated omission included");
	if (workers[0].rx != NULL) {
		/* --rx-port: every frame sent is expected back, so a lost tail shows. */
		for (i = 0; i < opt->vcs; i++) {
			struct gen_vc_totals vt;

			gen_vc_totals(opt, &vcs[i], &vt);
			gen_rx_expect(workers[0].rx, i, vcs[i].seq, vt.nbs_sent - vt.success_nbs);
		}
		rx_failure = gen_rx_report(workers[0].rx, "condis-gen --rx-port", opt->per_vc,
					   gen_rx_secs(workers[0].rx));
	}
	if (opt->plot_dir != NULL) {
		const struct gen_plot_status status[] = {
			{ "SUCCESS", total.success }, { "INVALID_LENGTH", total.invalid_length },
			{ "RESOURCES", total.resources }, { "FAILURE", total.failure },
			{ "PAUSED", total.paused }, { "RESET_IN_PROGRESS", total.reset },
			{ "OTHER", total.other },
		};

		gen_plot_finish(opt, &lat, 1e9 / hz,
				workers[0].rx != NULL ? gen_rx_latency(workers[0].rx) : NULL,
				status, RTE_DIM(status));
	}
	if (rx_failure != NULL && (total.nbls_sent == 0 || total.success != 0)) {
		report_json(opt, vcs, workers, &sums, 1, rx_failure);
		return 1;
	}
	if (total.nbls_sent == 0 || total.success != 0) {
		report_json(opt, vcs, workers, &sums, 0, NULL);
		return 0;
	}
	report_json(opt, vcs, workers, &sums, 1, "none of the NBLs sent completed SUCCESS");
	fprintf(stderr, "condis-gen: FAIL: none of the %" PRIu64 " NBLs sent completed SUCCESS "
		"(INVALID_LENGTH %" PRIu64 ", RESOURCES %" PRIu64 ", FAILURE %" PRIu64
		", other %" PRIu64 ", not completed %" PRIu64 ")\n", total.nbls_sent,
		total.invalid_length, total.resources, total.failure, total.other,
		total.nbls_sent - total.completed);
	return 1;
}
