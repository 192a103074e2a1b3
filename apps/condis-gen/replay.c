/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --pcap FILE sent: each worker takes the frames of its VCs, in the file's
 * order, loaded once into NBLs of one NB each. A worker holds at least a
 * window's worth (ring + 2 chains): a short file is copied that many times,
 * so the ring stays full without waiting for the frame it just sent. A
 * frame goes again only once it is back (its NBL's owner), so the frames of
 * a flow leave in order, every pass.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "json.h"
#include "replay.h"

/* The file's frames that worker w sends (its VCs'). */
static uint32_t
worker_frames(const struct gen_options *opt, uint16_t w)
{
	uint32_t i, k = 0;

	for (i = 0; i < gen_replay.nb_frames; i++)
		k += gen_vc_worker(opt, gen_replay.frames[i].vc) == w;
	return k;
}

/* Copies of its share a worker holds: enough for min_window NBLs, no more
 * than the passes it will make. */
static uint32_t
worker_copies(const struct gen_options *opt, uint32_t frames, uint32_t min_window)
{
	uint64_t c = frames != 0 ? (min_window + frames - 1) / frames : 0;

	if (opt->pcap_loops != 0 && c > opt->pcap_loops)
		c = opt->pcap_loops;
	return (uint32_t)RTE_MAX(c, (uint64_t)(frames != 0));
}

uint64_t
gen_replay_worker_nbls(const struct gen_options *opt, uint16_t w, uint32_t min_window)
{
	uint32_t f = worker_frames(opt, w);

	return (uint64_t)f * worker_copies(opt, f, min_window);
}

static struct condis_nbl *
nbl_load(const struct gen_replay_frame *fr, struct condis_nbl_pool *nbls,
	 struct condis_nb_pool *nbs, struct condis_mdl_pool *mdls)
{
	struct condis_nbl *nbl = condis_nbl_alloc(nbls);
	struct condis_mdl *mdl = nbl != NULL ? condis_mdl_alloc_data(mdls, fr->len) : NULL;
	struct condis_nb *nb = mdl != NULL ? condis_nb_alloc(nbs, mdl, 0, fr->len) : NULL;

	if (nb == NULL) {
		if (mdl != NULL)
			condis_mdl_free(mdl);
		if (nbl != NULL)
			condis_nbl_free(nbl);
		return NULL;
	}
	memcpy(condis_nb_first_byte(nb), gen_replay.data + fr->off, fr->len);
	nbl->first_nb = nb;
	nbl->protocol_reserved[GEN_NBL_CUT] = NULL;
	return nbl;
}

int
gen_replay_fill(struct gen_worker *w, struct condis_nbl_pool *nbls, struct condis_nb_pool *nbs,
		struct condis_mdl_pool *mdls, uint32_t min_window)
{
	const struct gen_options *opt = w->opt;
	uint32_t frames = worker_frames(opt, w->index);
	uint32_t copies = worker_copies(opt, frames, min_window), c, i, k = 0;
	struct gen_vc **vc_of = calloc(opt->vcs, sizeof(*vc_of));
	uint32_t *mine = malloc(sizeof(*mine) * RTE_MAX(frames, 1u)); /* its frames, in order */
	int rc = 0;

	w->rp_frames = frames;
	w->rp_nb = frames * copies;
	w->rp_pass_ns = gen_replay.period_ns * copies;
	w->rp_slots = calloc(RTE_MAX(w->rp_nb, 1u), sizeof(*w->rp_slots));
	if (vc_of == NULL || mine == NULL || w->rp_slots == NULL) {
		free(vc_of);
		free(mine);
		return -ENOMEM;
	}
	for (i = 0; i < w->nb_vcs; i++)
		vc_of[w->vcs[i]->id] = w->vcs[i];
	for (i = 0; i < gen_replay.nb_frames; i++)
		if (gen_vc_worker(opt, gen_replay.frames[i].vc) == w->index)
			mine[k++] = i;
	for (k = 0, c = 0; c < copies && rc == 0; c++) {
		for (i = 0; i < frames; i++, k++) {
			const struct gen_replay_frame *fr = &gen_replay.frames[mine[i]];
			struct gen_replay_slot *s = &w->rp_slots[k];

			s->nbl = nbl_load(fr, nbls, nbs, mdls);
			if (s->nbl == NULL) {
				rc = -ENOMEM;
				break;
			}
			s->vc = vc_of[fr->vc];
			s->t_ns = fr->t_ns + c * gen_replay.period_ns;
			s->len = fr->len;
		}
	}
	free(vc_of);
	free(mine);
	if (rc != 0)
		return rc;
	/* gen_complete() counts NBLs back against the window. */
	w->window = w->nb_free = w->rp_nb;
	w->free_head = NULL;
	return 0;
}

void
gen_replay_worker_free(struct gen_worker *w)
{
	uint32_t i;

	for (i = 0; w->rp_slots != NULL && i < w->rp_nb && w->rp_slots[i].nbl != NULL; i++) {
		struct condis_nbl *nbl = w->rp_slots[i].nbl;

		condis_mdl_free(nbl->first_nb->mdl_chain);
		condis_nb_free(nbl->first_nb);
		nbl->first_nb = NULL;
		condis_nbl_free(nbl);
	}
	free(w->rp_slots);
	w->rp_slots = NULL;
	w->free_head = NULL; /* gen_complete() linked the slots' NBLs there */
}

/* When a slot is due: the file's time (sped up), its place at --rate, or
 * now (as fast as possible). */
struct replay_clock {
	uint64_t base;              /* TSC of the pass's start */
	double tsc_per_ns;          /* file time: 0: not by the file */
	double tsc_per_frame;       /* --rate: 0: not by the rate */
	uint64_t max_lag;           /* TSC: later than this is a stall */
	bool behind;
};

static inline uint64_t
slot_due(const struct replay_clock *c, const struct gen_replay_slot *s, uint64_t pass_frame)
{
	if (c->tsc_per_ns > 0)
		return c->base + (uint64_t)((double)s->t_ns * c->tsc_per_ns);
	if (c->tsc_per_frame > 0)
		return c->base + (uint64_t)((double)pass_frame * c->tsc_per_frame);
	return 0;
}

/* Waiting: completions (and a pause or reset) still come in. */
static inline uint64_t
replay_idle(struct gen_worker *w)
{
	condis_poll(w->adapter, w->queue);
	return rte_rdtsc();
}

int
gen_replay_worker_main(void *arg)
{
	struct gen_worker *w = arg;
	const struct gen_options *opt = w->opt;
	const struct gen_replay_slot *slots = w->rp_slots;
	double hz = gen_tsc_hz();
	uint32_t frames = w->rp_frames;
	/* Frames to send: saturated, --pcap-loop goes up to 10^15. */
	uint64_t total = opt->pcap_loops == 0 || frames == 0 ||
			 opt->pcap_loops > UINT64_MAX / frames ? UINT64_MAX : opt->pcap_loops * frames;
	uint64_t sent = 0, pass_sent = 0, now, end;
	uint32_t next = 0;
	struct replay_clock c = { .max_lag = (uint64_t)(GEN_PACE_MAX_LAG_S * hz) };

	if (opt->rate_pps > 0 && !opt->pcap_rate) /* the file's rate, gen_replay_load() */
		c.tsc_per_ns = hz / 1e9 / opt->pcap_speed;
	else if (opt->rate_pps > 0)
		/* Each worker its share of the rate: its share of the frames. */
		c.tsc_per_frame = hz / (opt->rate_pps * frames / gen_replay.nb_frames);
	gen_latency_init(&w->gaps);
	gen_latency_init(&w->lat_sched);
	w->mono_start = gen_mono_ns();
	now = c.base = w->tsc_start = rte_rdtsc();
	end = opt->duration > 0 ? now + (uint64_t)(opt->duration * hz) : UINT64_MAX;
	while (!gen_stop && now < end && sent < total && w->rp_nb != 0) {
		const struct gen_replay_slot *s = &slots[next];
		struct gen_vc *gv = s->vc;
		struct condis_nbl *tail;
		uint64_t due, limit, bytes = 0;
		uint32_t n = 0;

		if (unlikely(gen_hold) || s->nbl->owner == CONDIS_NBL_OWNER_STACK) {
			now = replay_idle(w); /* held, or its frame of the last pass is not back */
			continue;
		}
		due = slot_due(&c, s, pass_sent);
		if (now < due) {
			now = replay_idle(w);
			continue;
		}
		if (unlikely(now - due > c.max_lag) && due != 0) {
			/* A stall it will not make up: the schedule moves on. */
			w->pace_stalls += !c.behind;
			c.behind = true;
			c.base += now - due - c.max_lag;
		} else {
			c.behind = false;
		}
		/* A chain: the slots due now on the same VC, in order. */
		limit = RTE_MIN(RTE_MIN((uint64_t)opt->nbls_per_chain, total - sent),
				(uint64_t)(w->rp_nb - next));
		do {
			struct condis_nbl *nbl = slots[next + n].nbl;

			nbl->protocol_reserved[GEN_NBL_SENT_TSC] = (void *)(uintptr_t)now;
			nbl->source_handle = gv->vc;
			nbl->next = n + 1 < limit ? slots[next + n + 1].nbl : NULL;
			bytes += slots[next + n].len;
			tail = nbl;
			n++;
		} while (n < limit && slots[next + n].vc == gv &&
			 slots[next + n].nbl->owner != CONDIS_NBL_OWNER_STACK &&
			 slot_due(&c, &slots[next + n], pass_sent + n) <= now);
		tail->next = NULL;
		w->nb_free -= n;
		if (unlikely(condis_co_send_nbls(gv->vc, slots[next].nbl, 0) != 0))
			rte_panic("condis_co_send_nbls refused a replayed chain\n");
		gv->seq += n;
		gv->nbls_sent += n;
		gv->bytes_sent += bytes;
		gen_worker_sent(w, n, now, opt->rate_pps > 0);
		sent += n;
		pass_sent += n;
		next += n;
		if (next == w->rp_nb) {
			/* The next pass: the file's time goes on from where this one ended. */
			next = 0;
			pass_sent = 0;
			if (c.tsc_per_ns > 0)
				c.base += (uint64_t)((double)w->rp_pass_ns * c.tsc_per_ns);
			else if (c.tsc_per_frame > 0)
				c.base += (uint64_t)((double)w->rp_nb * c.tsc_per_frame);
		}
		now = replay_idle(w);
	}
	w->tsc_end = rte_rdtsc();
	w->mono_end = gen_mono_ns();
	gen_worker_drain(w);
	return 0;
}

void
gen_replay_print(const struct gen_options *opt)
{
	const struct gen_replay *r = &gen_replay;
	char b[32];

	printf("condis-gen: --pcap %s: %u frames (%" PRIu64 " bytes, mean %s on the wire, L1), "
	       "%u flows on %u VC(s), span %.6f s", opt->pcap_path, r->nb_frames, r->bytes,
	       gen_fmt_bytes(opt->wire_l1_bytes, b, sizeof(b)), r->nb_flows, opt->vcs,
	       r->span_ns * 1e-9);
	if (r->period_ns > 0)
		printf(" (%.1f frames/s as captured)", r->nb_frames / (r->period_ns * 1e-9));
	printf("\ncondis-gen: replay ");
	if (opt->pcap_loops != 0)
		printf("%" PRIu64 " time(s)", opt->pcap_loops);
	else
		printf("until --duration");
	if (opt->pcap_rate)
		printf(", at --rate %s: %.1f frames/s\n", opt->rate_text, opt->rate_pps);
	else if (opt->rate_pps > 0)
		printf(", by %s: %.1f frames/s\n", opt->rate_text, opt->rate_pps);
	else
		printf(", as fast as it goes%s\n", opt->pcap_speed > 0 ?
		       " (the file's timestamps are all equal)" : "");
	if (r->cut_short != 0)
		printf("condis-gen: %u frame(s) shorter in the file than on its wire (snap "
		       "length): sent as captured\n", r->cut_short);
	if (r->out_of_order != 0)
		printf("condis-gen: %u timestamp(s) earlier than the frame's before: sent right "
		       "after it\n", r->out_of_order);
	if (r->gaps_cut != 0)
		printf("condis-gen: %u gap(s) between frames longer than %.0f s (a clock step in "
		       "the capture): cut to %.0f s\n", r->gaps_cut, GEN_REPLAY_MAX_GAP_NS * 1e-9,
		       GEN_REPLAY_MAX_GAP_NS * 1e-9);
}

static const char *
replay_timing(const struct gen_options *opt)
{
	return opt->pcap_rate ? "rate" : opt->rate_pps > 0 ? "file" : "max";
}

void
gen_replay_report(const struct gen_options *opt, uint64_t frames_sent)
{
	const struct gen_replay *r = &gen_replay;

	printf("replay: file=%s frames=%u bytes=%" PRIu64 " flows=%u vcs=%u span_s=%.9f "
	       "timing=%s", opt->pcap_path, r->nb_frames, r->bytes, r->nb_flows, opt->vcs,
	       r->span_ns * 1e-9, replay_timing(opt));
	if (strcmp(replay_timing(opt), "file") == 0)
		printf(" speed=%.6g", opt->pcap_speed);
	printf(" passes_sent=%.3f cut_short=%u out_of_order=%u gaps_cut=%u\n",
	       (double)frames_sent / r->nb_frames, r->cut_short, r->out_of_order, r->gaps_cut);
}

void
gen_replay_json(struct gen_json *j, const struct gen_options *opt, uint64_t frames_sent)
{
	const struct gen_replay *r = &gen_replay;

	if (opt->pcap_path == NULL) {
		gj_null(j, "replay");
		return;
	}
	gj_obj(j, "replay");
	gj_str(j, "file", opt->pcap_path);
	gj_u64(j, "frames", r->nb_frames);
	gj_u64(j, "bytes", r->bytes);
	gj_u64(j, "flows", r->nb_flows);
	gj_dbl(j, "span_s", r->span_ns * 1e-9);
	gj_str(j, "timing", replay_timing(opt));
	if (strcmp(replay_timing(opt), "file") == 0)
		gj_dbl(j, "speed", opt->pcap_speed);
	else
		gj_null(j, "speed");
	if (opt->pcap_loops != 0)
		gj_u64(j, "loops", opt->pcap_loops);
	else
		gj_null(j, "loops");
	gj_dbl(j, "passes_sent", (double)frames_sent / r->nb_frames);
	gj_u64(j, "cut_short", r->cut_short);
	gj_u64(j, "out_of_order", r->out_of_order);
	gj_u64(j, "gaps_cut", r->gaps_cut);
	gj_obj_end(j);
}
