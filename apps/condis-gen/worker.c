/* SPDX-License-Identifier: BSD-3-Clause */
/* The send loop of one worker lcore, and the protocol's completion handler. */
#include <rte_cycles.h>

#include "gen.h"

volatile bool gen_stop;

/* Send one chain of n NBLs on gv, stamped with VC id, sequence and time. */
static inline void
send_chain(struct gen_worker *w, struct gen_vc *gv, uint32_t n, uint64_t tsc)
{
	const struct gen_options *opt = w->opt;
	uint32_t frame_len = gen_frame_len(opt), vc_be = rte_cpu_to_be_32(gv->id);
	uint64_t ts_ns = gen_tsc_to_ns(tsc);
	struct condis_nbl *head = NULL, **tailp = &head;
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct condis_nbl *nbl = w->free[--w->nb_free];
		struct condis_nb *nb;

		nbl->protocol_reserved[0] = (void *)(uintptr_t)tsc;
		nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = gv->vlan_info;
		nbl->source_handle = gv->vc; /* spec 46 */
		for (nb = nbl->first_nb; nb != NULL; nb = nb->next)
			gen_frame_stamp(condis_nb_first_byte(nb), frame_len, vc_be, gv->seq++, ts_ns);
		*tailp = nbl;
		tailp = &nbl->next;
	}
	*tailp = NULL;
	/* Only a bug here can make this fail: the generator owns every NBL it sends. */
	if (unlikely(condis_co_send_nbls(gv->vc, head, 0) != 0))
		rte_panic("condis_co_send_nbls refused a chain\n");
	gv->nbls_sent += n;
	gv->nbs_sent += (uint64_t)n * opt->nbs_per_nbl;
	gv->bytes_sent += (uint64_t)n * opt->nbs_per_nbl * frame_len;
	if (opt->count != 0)
		gv->budget -= RTE_MIN(gv->budget, (uint64_t)n * opt->nbs_per_nbl);
}

void
gen_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct gen_vc *gv = protocol_vc_ctx;
	struct gen_worker *w = gv->worker;
	uint64_t now = rte_rdtsc(), n = 0, ok = 0, run = 0, run_tsc = 0;
	struct condis_nbl *nbl, *next;

	RTE_SET_USED(flags);
	for (nbl = chain; nbl != NULL; nbl = next) {
		uint64_t sent_tsc = (uint64_t)(uintptr_t)nbl->protocol_reserved[0];

		next = nbl->next;
		/* NBLs of one chain share a send time: one histogram update per run. */
		if (sent_tsc != run_tsc) {
			if (run != 0)
				gen_latency_add(&w->lat, now - run_tsc, run);
			run_tsc = sent_tsc;
			run = 0;
		}
		run++;
		if (likely(nbl->status == CONDIS_STATUS_SUCCESS))
			ok++;
		else switch (nbl->status) {
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
		w->free[w->nb_free++] = nbl; /* reuse beats the pool (spec 50) */
		n++;
	}
	if (run != 0)
		gen_latency_add(&w->lat, now - run_tsc, run);
	gv->completed += n;
	gv->success += ok;
	gv->success_nbs += ok * w->opt->nbs_per_nbl;
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
