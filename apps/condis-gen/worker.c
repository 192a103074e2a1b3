/* SPDX-License-Identifier: BSD-3-Clause */
/* The send loop of one worker lcore, and the protocol's completion handler. */
#include <rte_cycles.h>

#include "gen.h"

volatile bool gen_stop;

/* Send one chain of n NBLs on gv, stamped with VC id, sequence and time. The
 * chain is cut from the head of the free list, whose links it keeps. */
static inline void
send_chain(struct gen_worker *w, struct gen_vc *gv, uint32_t n, uint64_t tsc)
{
	const struct gen_options *opt = w->opt;
	const uint32_t vc_be = rte_cpu_to_be_32(gv->id);
	const uint64_t ts_be = rte_cpu_to_be_64(gen_tsc_to_ns(tsc));
	const bool stamp_ts = gen_frame_len(opt) >= STAMP_OFFSET + STAMP_FULL;
	const uintptr_t vlan_info = gv->vlan_info;
	struct condis_vc *vc = gv->vc;
	struct condis_nbl *head = w->free_head, *nbl = head, *last;
	uint64_t seq = gv->seq;
	uint32_t i = n;

	do {
		struct condis_nb *nb = nbl->first_nb;

		nbl->protocol_reserved[0] = (void *)(uintptr_t)tsc;
		nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = vlan_info;
		nbl->source_handle = vc; /* spec 46 */
		do
			gen_frame_stamp(nb->protocol_reserved[GEN_NB_FRAME], vc_be, seq++,
					stamp_ts, ts_be);
		while ((nb = nb->next) != NULL);
		last = nbl;
		nbl = nbl->next;
	} while (--i > 0);
	last->next = NULL;
	w->free_head = nbl;
	w->nb_free -= n;
	gv->seq = seq;
	/* Only a bug here can make this fail: the generator owns every NBL it sends. */
	if (unlikely(condis_co_send_nbls(vc, head, 0) != 0))
		rte_panic("condis_co_send_nbls refused a chain\n");
	gv->nbls_sent += n;
	gv->nbs_sent += (uint64_t)n * opt->nbs_per_nbl;
	gv->bytes_sent += (uint64_t)n * opt->nbs_per_nbl * gen_frame_len(opt);
	if (opt->count != 0)
		gv->budget -= RTE_MIN(gv->budget, (uint64_t)n * opt->nbs_per_nbl);
}

/* A completion that is not SUCCESS, by status. */
static __rte_noinline void
count_failure(struct gen_vc *gv, condis_status_t status)
{
	switch (status) {
	case CONDIS_STATUS_INVALID_LENGTH:
		gv->invalid_length++;
		break;
	case CONDIS_STATUS_RESOURCES:
		gv->resources++;
		break;
	case CONDIS_STATUS_FAILURE:
		gv->failure++;
		break;
	default:
		gv->other++;
	}
}

void
gen_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct gen_vc *gv = protocol_vc_ctx;
	struct gen_worker *w = gv->worker;
	uint64_t now = rte_rdtsc(), n = 0, failed = 0, run_start = 0, run_tsc;
	struct condis_nbl *nbl = chain, *last;

	RTE_SET_USED(flags);
	run_tsc = (uint64_t)(uintptr_t)chain->protocol_reserved[0];
	do {
		uint64_t sent_tsc = (uint64_t)(uintptr_t)nbl->protocol_reserved[0];

		/* NBLs of one chain share a send time: one histogram update per run. */
		if (unlikely(sent_tsc != run_tsc)) {
			gen_latency_add(&w->lat, now - run_tsc, n - run_start);
			run_tsc = sent_tsc;
			run_start = n;
		}
		if (unlikely(nbl->status != CONDIS_STATUS_SUCCESS)) {
			count_failure(gv, nbl->status);
			failed++;
		}
		n++;
		last = nbl;
		nbl = nbl->next;
	} while (nbl != NULL);
	gen_latency_add(&w->lat, now - run_tsc, n - run_start);
	/* The whole chain goes back on the free list: reuse beats the pool (spec 50). */
	last->next = w->free_head;
	w->free_head = chain;
	w->nb_free += (uint32_t)n;
	gv->completed += n;
	gv->success += n - failed;
	gv->success_nbs += (n - failed) * w->opt->nbs_per_nbl;
	w->tsc_last_done = now;
}

int
gen_worker_main(void *arg)
{
	struct gen_worker *w = arg;
	const struct gen_options *opt = w->opt;
	uint64_t hz = rte_get_tsc_hz(), now, end, last, drain_end;
	uint32_t chain_frames = opt->nbls_per_chain * opt->nbs_per_nbl;
	/* Each worker offers its VCs' share of the rate. */
	double pps = opt->rate_pps * w->nb_vcs / opt->vcs, tokens = 0;
	double max_tokens = (double)chain_frames * 4;

	now = last = w->tsc_start = rte_rdtsc();
	end = opt->duration > 0 ? now + (uint64_t)(opt->duration * (double)hz) : UINT64_MAX;
	while (!gen_stop && now < end && w->nb_vcs > 0) {
		uint32_t i, active = 0, sent = 0, v = w->next_vc;

		if (pps > 0) {
			tokens += (double)(now - last) * pps / (double)hz;
			if (tokens > max_tokens)
				tokens = max_tokens;
			last = now;
		}
		/* One round robin pass; a VC that cannot get a chain now keeps
		 * its turn for the next pass. */
		for (i = 0; i < w->nb_vcs; i++, v = v + 1 == w->nb_vcs ? 0 : v + 1) {
			struct gen_vc *gv = w->vcs[v];
			uint32_t n = opt->nbls_per_chain;

			if (opt->count != 0) {
				if (gv->budget == 0)
					continue;
				n = (uint32_t)RTE_MIN((uint64_t)n,
					(gv->budget + opt->nbs_per_nbl - 1) / opt->nbs_per_nbl);
			}
			active++;
			if (w->nb_free < n || (pps > 0 && tokens < (double)n * opt->nbs_per_nbl))
				break;
			tokens -= pps > 0 ? (double)n * opt->nbs_per_nbl : 0;
			now = rte_rdtsc();
			send_chain(w, gv, n, now);
			sent++;
			/* Completions come back in poll: polling after each chain keeps
			 * the window small and hot, and latency honest. */
			condis_poll(w->adapter, w->queue);
		}
		w->next_vc = v;
		w->polls++;
		if (sent == 0) {
			/* Nothing could go: wait for completions (or tokens). */
			if (opt->count != 0 && active == 0)
				break;
			condis_poll(w->adapter, w->queue);
			now = rte_rdtsc();
		}
	}
	/* Wait for what is still in flight; close completes anything left. */
	drain_end = rte_rdtsc() + (uint64_t)(opt->drain_s * (double)hz);
	while (w->nb_free != w->window && rte_rdtsc() < drain_end)
		condis_poll(w->adapter, w->queue);
	return 0;
}
