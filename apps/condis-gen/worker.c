/* SPDX-License-Identifier: BSD-3-Clause */
/* The send loop of one worker lcore, and the protocol's completion handler. */
#include <math.h>

#include <rte_cycles.h>
#include <rte_prefetch.h>

#include "gen.h"
#include "rx.h"

volatile bool gen_stop;
uint32_t gen_workers_running;
volatile bool gen_hold;

/* From this many VCs on, a worker prefetches the next VCs' state. */
#define GEN_PREFETCH_MIN_VCS 4

/* What every frame of a chain is stamped with. */
struct chain_stamp {
	uint64_t tsc;               /* send time, kept in the NBL for latency */
	uint64_t ts_be;             /* wall-clock ns, big endian, in the frame */
	gen_v2u64 blk;              /* fast path: UDP header and stamp head of the VC */
	uint32_t vc_be;
	bool stamp_ts;              /* the frame has room for the timestamp */
	uintptr_t vlan_info;
	struct condis_vc *vc;
};

/* Cut n NBLs from the free list and stamp them; returns the last. one_nb
 * is a constant at each call: NBLs of one NB find their frame in their own
 * ProtocolReserved, without a load of the NB. */
static __rte_always_inline struct condis_nbl *
stamp_chain(struct condis_nbl *nbl, uint32_t n, const struct chain_stamp *cs, uint64_t *seqp,
	    const bool one_nb)
{
	uint64_t seq = *seqp;
	struct condis_nbl *last;

	do {
		nbl->protocol_reserved[GEN_NBL_SENT_TSC] = (void *)(uintptr_t)cs->tsc;
		nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = cs->vlan_info;
		nbl->source_handle = cs->vc; /* spec 46 */
		if (one_nb) {
			gen_frame_stamp(nbl->protocol_reserved[GEN_NBL_FRAME], cs->blk, seq++,
					cs->stamp_ts, cs->ts_be);
		} else {
			struct condis_nb *nb = nbl->first_nb;

			do
				gen_frame_stamp(nb->protocol_reserved[GEN_NB_FRAME], cs->blk,
						seq++, cs->stamp_ts, cs->ts_be);
			while ((nb = nb->next) != NULL);
		}
		last = nbl;
		nbl = nbl->next;
	} while (--n > 0);
	*seqp = seq;
	return last;
}

/*
 * The general path (docs/STAMP.md): every frame gets its size from the
 * cycle (the NB's DataLength, the IP and UDP length fields), the VC's 4
 * bytes (ports, address or MAC), the per-frame source port, the IPv4 header
 * checksum by RFC 1624 from the VC's base, the VC's inner tag (--qinq), and
 * the stamp. The L4 checksum, where there is one, is the library's (the
 * NBL's slot). v4, udp and raw are constants at each call, so the offsets
 * are too, but for the tags (0 or 8) added to them; the rest is read once
 * per chain. Sizes are without tags: the frame is tl bytes longer.
 */
static __rte_always_inline struct condis_nbl *
chain_general(const struct gen_worker *w, struct gen_vc *gv, struct condis_nbl *nbl, uint32_t n,
	      const struct chain_stamp *cs, const struct gen_flow *f, const bool v4, const bool udp,
	      const bool raw)
{
	const uint32_t tl = gen_tmpl.tags, l3 = RTE_ETHER_HDR_LEN + tl;
	const uint32_t l4u = raw ? RTE_ETHER_HDR_LEN : v4 ? 34 : 54, l4 = l4u + tl;
	const uint32_t so = l4 + (raw ? 0 : udp ? 8 : 20);
	const uint32_t l3len_off = l3 + (v4 ? 2 : 4), l3len_sub = v4 ? RTE_ETHER_HDR_LEN : l4u;
	const uint32_t cycle = w->size_cycle, vary_n = gen_tmpl.vary_n, flow_off = gen_tmpl.flow_off;
	const uint16_t *tab = w->size_tab;
	const uintptr_t csum = gen_tmpl.csum_info;
	const uint32_t field = f->field, ck_base = f->ck_base, sport = f->sport, vc_be = cs->vc_be;
	const uint16_t ctci = f->ctci;
	const uint64_t ts_be = cs->ts_be;
	uint64_t seq = gv->seq, bytes = 0;
	uint32_t pos = (uint32_t)(seq % cycle), k = (uint32_t)(seq % vary_n);
	struct condis_nbl *last;

	do {
		struct condis_nb *nb = nbl->first_nb;

		nbl->protocol_reserved[GEN_NBL_SENT_TSC] = (void *)(uintptr_t)cs->tsc;
		nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = cs->vlan_info;
		nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM] = csum;
		nbl->source_handle = cs->vc; /* spec 46 */
		do {
			uint8_t *fr = nb->protocol_reserved[GEN_NB_FRAME];
			uint32_t len = tab[pos];
			uint64_t seq_be = rte_cpu_to_be_64(seq);
			uint16_t v16;

			pos = pos + 1 == cycle ? 0 : pos + 1;
			nb->data_length = len + tl;
			bytes += len + tl;
			memcpy(fr + flow_off, &field, 4);
			if (tl != 0)
				memcpy(fr + 18, &ctci, 2);
			if (!raw) {
				if (vary_n > 1) {
					v16 = rte_cpu_to_be_16((uint16_t)(sport + k));
					memcpy(fr + l4, &v16, 2);
					k = k + 1 == vary_n ? 0 : k + 1;
				}
				v16 = rte_cpu_to_be_16((uint16_t)(len - l3len_sub));
				memcpy(fr + l3len_off, &v16, 2);
			}
			if (v4) {
				uint32_t sum = ck_base + v16;

				sum = (sum & 0xffff) + (sum >> 16);
				sum = (sum & 0xffff) + (sum >> 16);
				v16 = (uint16_t)~sum;
				memcpy(fr + l3 + 10, &v16, 2);
			}
			if (udp) {
				v16 = rte_cpu_to_be_16((uint16_t)(len - l4u));
				memcpy(fr + l4 + 4, &v16, 2);
			}
			memcpy(fr + so + 4, &vc_be, 4);
			memcpy(fr + so + 8, &seq_be, 8);
			if (len + tl >= so + STAMP_FULL)
				memcpy(fr + so + 16, &ts_be, 8);
			seq++;
		} while ((nb = nb->next) != NULL);
		last = nbl;
		nbl = nbl->next;
	} while (--n > 0);
	gv->seq = seq;
	gv->bytes_sent += bytes; /* sizes vary by phase: counted, not computed */
	return last;
}

static __rte_noinline struct condis_nbl *
stamp_chain_general(const struct gen_worker *w, struct gen_vc *gv, struct condis_nbl *nbl,
		    uint32_t n, const struct chain_stamp *cs)
{
	const struct gen_flow *f = &gen_tmpl.flows[gv->id];

	if (gen_tmpl.raw)
		return chain_general(w, gv, nbl, n, cs, f, false, false, true);
	if (gen_tmpl.ipv4)
		return gen_tmpl.udp ? chain_general(w, gv, nbl, n, cs, f, true, true, false) :
				      chain_general(w, gv, nbl, n, cs, f, true, false, false);
	return gen_tmpl.udp ? chain_general(w, gv, nbl, n, cs, f, false, true, false) :
			      chain_general(w, gv, nbl, n, cs, f, false, false, false);
}

/* The count of a VC is not a multiple of its NBs per NBL: the n-th NBL of
 * the chain about to go carries only the frames left (rare: once per VC). */
static __rte_noinline void
shorten_last(struct condis_nbl *nbl, uint32_t n, uint32_t nbs_per_nbl, uint64_t frames_left)
{
	struct condis_nb *nb;

	for (; n > 1; n--, frames_left -= nbs_per_nbl)
		nbl = nbl->next;
	nb = nbl->first_nb;
	while (--frames_left > 0)
		nb = nb->next;
	nbl->protocol_reserved[GEN_NBL_CUT] = nb->next;
	nb->next = NULL;
}

/* A short NBL is back: its NBs go back on its list. */
static __rte_noinline void
unshorten(struct gen_vc *gv, struct condis_nbl *nbl)
{
	struct condis_nb *nb = nbl->first_nb, *cut = nbl->protocol_reserved[GEN_NBL_CUT];
	uint64_t missing = 0;

	while (nb->next != NULL)
		nb = nb->next;
	nb->next = cut;
	for (; cut != NULL; cut = cut->next)
		missing++;
	nbl->protocol_reserved[GEN_NBL_CUT] = NULL;
	if (nbl->status == CONDIS_STATUS_SUCCESS)
		gv->short_ok_missing += missing;
}

/* --rate (smooth or bursts): when the schedule wanted the chain to go, for
 * the latency measured from it (coordinated omission). */
static __rte_noinline void
mark_sched(struct condis_nbl *nbl, uint32_t n, uint64_t sched_tsc)
{
	do {
		nbl->protocol_reserved[GEN_NBL_SCHED_TSC] = (void *)(uintptr_t)sched_tsc;
		nbl = nbl->next;
	} while (--n > 0);
}

/* Send one chain of n NBLs on gv, stamped with VC id, sequence and time. The
 * chain is cut from the head of the free list, whose links it keeps. Returns
 * the frames sent. */
static inline uint32_t
send_chain(struct gen_worker *w, struct gen_vc *gv, uint32_t n, uint64_t tsc)
{
	const struct gen_options *opt = w->opt;
	const uint32_t vc_be = rte_cpu_to_be_32(gv->id);
	const struct chain_stamp cs = {
		.tsc = tsc,
		.ts_be = rte_cpu_to_be_64(gen_tsc_to_ns(tsc)),
		/* The VC's port in the UDP header, its id in the stamp (fast
		 * path): the template's block has zeros there. */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
		.blk = gen_tmpl.blk | (gen_v2u64){ gv->port_word, (uint64_t)vc_be << 32 },
#else
		.blk = gen_tmpl.blk | (gen_v2u64){ (uint64_t)gv->port_word << 32, vc_be },
#endif
		.vc_be = vc_be,
		.stamp_ts = gen_tmpl.stamp_ts,
		.vlan_info = gv->vlan_info,
		.vc = gv->vc,
	};
	struct condis_nbl *head = w->free_head, *last;
	uint64_t seq0 = gv->seq;

	if (unlikely(opt->count != 0 && gv->budget < (uint64_t)n * opt->nbs_per_nbl))
		shorten_last(head, n, opt->nbs_per_nbl, gv->budget);
	if (likely(gen_tmpl.path == GEN_PATH_ONE_NB))
		last = stamp_chain(head, n, &cs, &gv->seq, true);
	else if (gen_tmpl.path == GEN_PATH_NBS)
		last = stamp_chain(head, n, &cs, &gv->seq, false);
	else
		last = stamp_chain_general(w, gv, head, n, &cs);
	if (unlikely(w->sched_mark))
		mark_sched(head, n, w->sched_on ? w->sched_tsc : tsc);
	w->free_head = last->next;
	last->next = NULL;
	w->nb_free -= n;
	/* Only a bug here can make this fail: the generator owns every NBL it sends. */
	if (unlikely(condis_co_send_nbls(cs.vc, head, 0) != 0))
		rte_panic("condis_co_send_nbls refused a chain\n");
	gv->nbls_sent += n;
	gv->budget -= opt->count != 0 ? gv->seq - seq0 : 0;
	return (uint32_t)(gv->seq - seq0);
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
	case CONDIS_STATUS_PAUSED:
		gv->paused++;
		break;
	case CONDIS_STATUS_RESET_IN_PROGRESS:
		gv->reset++;
		break;
	default:
		gv->other++;
	}
}

/* A protocol holds its sends between RESET_START and RESET_END (spec 103):
 * what the reset failed is not resent, so the wire keeps per-VC order with
 * gaps, and the report counts them (reset=). */
void
gen_status(void *protocol_vc_ctx, condis_status_t status)
{
	RTE_SET_USED(protocol_vc_ctx);
	if (status == CONDIS_STATUS_RESET_START)
		gen_hold = true;
	else if (status == CONDIS_STATUS_RESET_END)
		gen_hold = false;
}

/* A paced chain's latency from its schedule: never less than from its send
 * (a chain that went early waited anyway), more by as late as it went. A
 * second walk, so the unpaced one stays as it was. */
static __rte_noinline void
sched_latency(struct gen_worker *w, const struct condis_nbl *nbl, uint64_t now)
{
	for (; nbl != NULL; nbl = nbl->next) {
		uint64_t sched = (uint64_t)(uintptr_t)nbl->protocol_reserved[GEN_NBL_SCHED_TSC];
		uint64_t sent = (uint64_t)(uintptr_t)nbl->protocol_reserved[GEN_NBL_SENT_TSC];

		gen_latency_add(&w->lat_sched, now - RTE_MIN(sched, sent), 1);
	}
}

/* A completed chain, NBL by NBL: runs of send times, failures, short NBLs. */
static __rte_noinline void
complete_walk(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct gen_vc *gv = protocol_vc_ctx;
	struct gen_worker *w = gv->worker;
	uint64_t now = rte_rdtsc(), n = 0, run_start = 0, run_tsc;
	struct condis_nbl *nbl = chain, *last;

	RTE_SET_USED(flags);
	run_tsc = (uint64_t)(uintptr_t)chain->protocol_reserved[GEN_NBL_SENT_TSC];
	do {
		uint64_t sent_tsc = (uint64_t)(uintptr_t)nbl->protocol_reserved[GEN_NBL_SENT_TSC];

		/* NBLs of one chain share a send time: one histogram update per run. */
		if (unlikely(sent_tsc != run_tsc)) {
			gen_latency_add(&w->lat, now - run_tsc, n - run_start);
			run_tsc = sent_tsc;
			run_start = n;
		}
		if (unlikely(nbl->status != CONDIS_STATUS_SUCCESS))
			count_failure(gv, nbl->status);
		if (unlikely(nbl->protocol_reserved[GEN_NBL_CUT] != NULL))
			unshorten(gv, nbl);
		n++;
		last = nbl;
		nbl = nbl->next;
	} while (nbl != NULL);
	gen_latency_add(&w->lat, now - run_tsc, n - run_start);
	if (unlikely(w->sched_mark))
		sched_latency(w, chain, now);
	/* The whole chain goes back on the free list: reuse beats the pool (spec 50). */
	last->next = w->free_head;
	w->free_head = chain;
	w->nb_free += (uint32_t)n;
	gv->completed += n;
	w->tsc_last_done = now;
}

/*
 * The common completion needs no walk: the library counted the chain, found
 * its end and its failures, and its NBLs went one after another, so equal
 * send times at both ends mean one send time for all (stamp_chain() gives a
 * chain's NBLs one). A chain cut short (its VC's --count ran out: budget 0)
 * or paced (the schedule's latency) takes the walk.
 */
void
gen_complete(void *protocol_vc_ctx, struct condis_nbl *chain,
	     const struct condis_send_completion *info, uint32_t flags)
{
	struct gen_vc *gv = protocol_vc_ctx;
	struct gen_worker *w = gv->worker;
	struct condis_nbl *last = info->last;
	uint64_t sent_tsc = (uint64_t)(uintptr_t)chain->protocol_reserved[GEN_NBL_SENT_TSC];
	uint64_t now;

	if (unlikely(!info->consecutive || info->failed != 0 ||
		     (uint64_t)(uintptr_t)last->protocol_reserved[GEN_NBL_SENT_TSC] != sent_tsc ||
		     (gv->budget == 0 && w->opt->count != 0) || w->sched_mark)) {
		complete_walk(protocol_vc_ctx, chain, flags);
		return;
	}
	now = rte_rdtsc();
	gen_latency_add(&w->lat, now - sent_tsc, info->count);
	last->next = w->free_head;
	w->free_head = chain;
	w->nb_free += info->count;
	gv->completed += info->count;
	w->tsc_last_done = now;
}

/*
 * A software pipeline over the round robin, for VC counts whose state does
 * not stay cached between turns: while VC v sends, the generator's state of
 * v + 3, the condis VC of v + 2 and the miniport's state of v + 1 move into
 * the cache, each from an address the step before brought in, so no send
 * waits on memory.
 */
static inline void
prefetch_ahead(const struct gen_worker *w, uint32_t v)
{
	uint32_t n = w->nb_active, v1 = v + 1, v2 = v + 2, v3 = v + 3;

	v1 -= v1 >= n ? n : 0;
	v2 -= v2 >= n ? n : 0;
	v3 -= v3 >= n ? n : 0;
	rte_prefetch0(w->vcs[v3]);
	rte_prefetch0(w->vcs[v2]->vc);
	condis_vc_prefetch(w->vcs[v1]->vc);
}

/*
 * --rate keeps a schedule, not a token bucket: frame k of a worker is due
 * k / pps after its start (the first chain at once), so a chain sent late
 * leaves the next one due just as early and a short stall loses no credit.
 * A chain waits until min_frames are due (its size chosen from the rate, or
 * --burst), then carries what is due up to --nbls-per-chain: at high rates
 * chains grow until the loop keeps up. --pacing poisson puts chains of
 * min_frames at the arrivals of a Poisson process instead (exponential gaps
 * of mean min_frames / pps), on the same credit: an arrival adds min_frames
 * to what is due. The process is conditioned on its count per block of
 * POISSON_BLOCK arrivals: a block's exponential gaps are scaled to sum to
 * exactly POISSON_BLOCK mean gaps (within it the arrivals are uniform, the
 * gaps exponential to a few %), so the rate over a run holds to about
 * sqrt(POISSON_BLOCK) / 2 arrivals, not sqrt(arrivals) (0.6 % at 10 kpps for
 * 3 s, unconditioned).
 */
#define POISSON_BLOCK 64
struct pacer {
	uint64_t base;              /* schedule start (TSC) */
	uint64_t sched;             /* frames of the schedule sent, or given up */
	uint64_t due;               /* poisson: frames the arrivals so far made due */
	uint64_t max_lag;           /* frames it may be behind */
	uint64_t caught_up;         /* frames behind that end a stall: a chain */
	double frames_per_tsc;
	uint32_t min_frames;        /* a chain waits until this many are due */
	bool behind;                /* gave up credit, not caught up since */
	bool poisson;
	double next;                /* poisson: the next arrival, TSC after base */
	double mean_gap;            /* poisson: TSC */
	double max_lag_tsc;
	uint64_t rng;               /* poisson: xorshift64* state */
	unsigned int gap_next;      /* poisson: the next of gaps[] */
	double gaps[POISSON_BLOCK]; /* poisson: this block's gaps, TSC */
};

/* A stall longer than the pacer makes up: move the schedule on. */
static __rte_noinline void
pace_give_up(struct gen_worker *w, struct pacer *p, uint64_t due)
{
	w->pace_stalls += !p->behind;
	w->pace_dropped += due - p->sched - p->max_lag;
	p->sched = due - p->max_lag;
	p->behind = true;
}

/* Exponential with mean 1: -ln(u), u uniform in (0, 1). */
static inline double
pace_exp(struct pacer *p)
{
	uint64_t x = p->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	p->rng = x;
	x *= UINT64_C(0x2545F4914F6CDD1D);
	return -log(((double)(x >> 11) + 0.5) * 0x1p-53);
}

/* The next gap: a block's worth drawn at once, scaled to its exact length. */
static inline double
pace_poisson_gap(struct pacer *p)
{
	if (unlikely(p->gap_next == POISSON_BLOCK)) {
		double sum = 0, scale;
		unsigned int i;

		for (i = 0; i < POISSON_BLOCK; i++)
			sum += p->gaps[i] = pace_exp(p);
		scale = POISSON_BLOCK * p->mean_gap / sum;
		for (i = 0; i < POISSON_BLOCK; i++)
			p->gaps[i] *= scale;
		p->gap_next = 0;
	}
	return p->gaps[p->gap_next++];
}

/* Poisson arrivals up to now: each makes min_frames due. Far behind (a
 * stall), the arrivals older than the lag allowed are given up. */
static __rte_noinline uint64_t
pace_arrivals(struct gen_worker *w, struct pacer *p, double t)
{
	unsigned int i;

	if (unlikely(t - p->next > p->max_lag_tsc)) {
		uint64_t lost = (uint64_t)((t - p->next - p->max_lag_tsc) * p->frames_per_tsc);

		w->pace_stalls += !p->behind;
		w->pace_dropped += lost;
		p->behind = true;
		p->next = t - p->max_lag_tsc;
	}
	/* A bounded catch-up per call: the rest comes on the next ones. */
	for (i = 0; i < 64 && p->next <= t; i++) {
		p->due += p->min_frames;
		p->next += pace_poisson_gap(p);
	}
	if (p->behind && p->next > t)
		p->behind = false;
	return p->due;
}

/* NBLs the schedule allows now (0: none yet). */
static inline uint32_t
pace_nbls(struct gen_worker *w, struct pacer *p, uint64_t now, uint32_t nbs_per_nbl)
{
	uint64_t due;

	if (unlikely(p->poisson)) {
		double t = (double)(now - p->base);

		due = t >= p->next ? pace_arrivals(w, p, t) : p->due;
	} else {
		due = (uint64_t)((double)(now - p->base) * p->frames_per_tsc) + p->min_frames;
		if (unlikely(due - p->sched > p->max_lag))
			pace_give_up(w, p, due);
		else if (unlikely(p->behind) && due - p->sched <= p->caught_up)
			p->behind = false;
	}
	if (due - p->sched < p->min_frames)
		return 0;
	return (uint32_t)RTE_MIN((due - p->sched) / nbs_per_nbl, (uint64_t)UINT32_MAX);
}

/* --rx-port: one burst from each receive queue; the frames received. */
static __rte_noinline unsigned int
rx_poll(struct gen_worker *w)
{
	unsigned int n = 0;
	uint16_t q;

	for (q = 0; q < w->opt->rx_queues; q++)
		n += gen_rx_poll(w->rx, w->rx_port, q);
	return n;
}

/* --rx-port: what is still on the way arrives after the last send: receive
 * until every worker is done and nothing came for GEN_RX_DRAIN_IDLE_S
 * (bounded by --drain). A frame that comes later is lost. */
static void
rx_drain(struct gen_worker *w)
{
	uint64_t hz = (uint64_t)gen_tsc_hz(), now = rte_rdtsc();
	uint64_t idle = (uint64_t)(GEN_RX_DRAIN_IDLE_S * (double)hz), last = now;
	uint64_t end = now + (uint64_t)(RTE_MAX(w->opt->drain_s, GEN_RX_DRAIN_IDLE_S) * (double)hz);

	bool others = true;

	for (; now < end || others; now = rte_rdtsc()) {
		bool running = __atomic_load_n(&gen_workers_running, __ATOMIC_ACQUIRE) != 0;

		if (others && !running) {
			/* The last worker is done: the drain counts from here. */
			others = false;
			end = now + (uint64_t)(RTE_MAX(w->opt->drain_s, GEN_RX_DRAIN_IDLE_S) *
					       (double)hz);
		}
		if (rx_poll(w) != 0 || running)
			last = now;
		else if (now - last > idle)
			break;
		condis_poll(w->adapter, w->queue); /* looped carriers complete as they come back */
	}
}

/* Pace at pps frames/s (the worker's share) from now on. */
static void
pacer_rate(struct gen_worker *w, struct pacer *p, double pps, uint64_t now)
{
	const struct gen_options *opt = w->opt;
	uint32_t chain_frames = opt->nbls_per_chain * opt->nbs_per_nbl;
	double hz = gen_tsc_hz();

	p->frames_per_tsc = pps / hz;
	p->max_lag = RTE_MAX((uint64_t)(pps * GEN_PACE_MAX_LAG_S), 2 * (uint64_t)chain_frames);
	p->base = now;
	p->sched = p->due = 0;
	p->behind = false;
	p->next = 0;
	p->gap_next = POISSON_BLOCK; /* gaps drawn at the old rate are dropped */
	w->pace_min_nbls = gen_pace_min_nbls(opt, pps / opt->nbs_per_nbl);
	p->min_frames = w->pace_min_nbls * opt->nbs_per_nbl;
	p->mean_gap = pps > 0 ? p->min_frames / pps * hz : 0;
	/* Poisson's schedule is random: its arrivals are not kept per frame. */
	w->sched_on = pps > 0 && !p->poisson;
}

/* --phase: close the phase that ran until now. */
static void
phase_close(struct gen_worker *w, uint64_t now)
{
	struct gen_phase_stats *ps = &w->phase_stats[w->phase];

	ps->frames = w->frames_sent - ps->frames; /* began as the count at its start */
	ps->stalls = w->pace_stalls - ps->stalls;
	ps->dropped = w->pace_dropped - ps->dropped;
	ps->tsc_end = now;
	ps->lat_at_end = w->lat;
}

/* --phase: start phase k now: its sizes, its VCs (the worker's VCs are in
 * id order, so the first K VCs are a prefix of each worker's), and each
 * worker its VCs' share of the rate. Returns the worker's rate (0: as fast
 * as it goes). */
static double
phase_start(struct gen_worker *w, struct pacer *p, uint32_t k, uint64_t now, uint64_t *phase_end)
{
	const struct gen_options *opt = w->opt;
	const struct gen_phase *ph = &opt->phases[k];
	struct gen_phase_stats *ps = &w->phase_stats[k];
	uint32_t vcs = ph->vcs != 0 ? ph->vcs : opt->vcs;
	double pps;

	w->phase = k;
	ps->frames = w->frames_sent;
	ps->stalls = w->pace_stalls;
	ps->dropped = w->pace_dropped;
	ps->tsc_start = now;
	w->size_tab = ph->size != 0 ? &ph->len : gen_tmpl.size_tab;
	w->size_cycle = ph->size != 0 ? 1 : gen_tmpl.cycle;
	for (w->nb_active = 0; w->nb_active < w->nb_vcs; w->nb_active++)
		if (w->vcs[w->nb_active]->id >= vcs)
			break;
	w->next_vc = 0;
	pps = gen_worker_share(opt, w, vcs) * ph->rate_pps;
	pacer_rate(w, p, pps, now);
	*phase_end = now + (uint64_t)(ph->seconds * gen_tsc_hz());
	return pps;
}

/* --phase: the phase ends; false after the last one. */
static __rte_noinline bool
phase_next(struct gen_worker *w, struct pacer *p, uint64_t now, uint64_t *phase_end, double *pps)
{
	phase_close(w, now);
	if (w->phase + 1 == w->opt->nb_phases) {
		w->phase++;
		return false;
	}
	*pps = phase_start(w, p, w->phase + 1, now, phase_end);
	return true;
}

int
gen_worker_main(void *arg)
{
	struct gen_worker *w = arg;
	const struct gen_options *opt = w->opt;
	double hz = gen_tsc_hz();
	uint64_t now, end, phase_end = UINT64_MAX;
	uint32_t chain_frames = opt->nbls_per_chain * opt->nbs_per_nbl;
	double pps;
	struct pacer p;

	/* Each worker offers its VCs' share of its port's share of the rate. */
	w->nb_active = w->nb_vcs;
	pps = gen_worker_share(opt, w, opt->vcs) * opt->rate_pps;
	p = (struct pacer){
		.frames_per_tsc = pps / hz,
		.max_lag = RTE_MAX((uint64_t)(pps * GEN_PACE_MAX_LAG_S), 2 * (uint64_t)chain_frames),
		.caught_up = chain_frames,
		.poisson = opt->pacing == GEN_PACE_POISSON,
		.max_lag_tsc = GEN_PACE_MAX_LAG_S * hz,
		/* One stream per worker, never 0 (xorshift's fixed point). */
		.rng = (opt->seed ^ (UINT64_C(0x9E3779B97F4A7C15) * (w->index + 1u))) | 1,
		.gap_next = POISSON_BLOCK,
	};

	/* Each VC's port (network order), shifted to where the fast path's
	 * block takes it: the low 32 bits of the block's first 8 bytes read
	 * little endian, the high 32 bits read big endian. */
	for (uint32_t i = 0; i < w->nb_vcs; i++) {
		uint16_t port = rte_cpu_to_be_16((uint16_t)gen_flow_value(w->vcs[i]->id));

#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
		w->vcs[i]->port_word = (uint32_t)port << gen_tmpl.port_shift;
#else
		w->vcs[i]->port_word = (uint32_t)port << (16 - gen_tmpl.port_shift);
#endif
	}
	w->size_tab = gen_tmpl.size_tab;
	w->size_cycle = gen_tmpl.cycle;
	w->pace_min_nbls = gen_pace_min_nbls(opt, pps / opt->nbs_per_nbl);
	p.min_frames = w->pace_min_nbls * opt->nbs_per_nbl;
	p.mean_gap = pps > 0 ? p.min_frames / pps * hz : 0;
	gen_latency_init(&w->gaps);
	gen_latency_init(&w->lat_sched);
	/* Poisson's schedule is random: its arrivals are not kept per frame. */
	w->sched_on = pps > 0 && !p.poisson;
	/* Marked from the first chain when any phase is paced: a chain of an
	 * unpaced phase is marked with its send, not left with a stale mark. */
	w->sched_mark = w->sched_on || (gen_phases_paced(opt) && !p.poisson);
	w->mono_start = gen_mono_ns();
	now = p.base = w->tsc_start = rte_rdtsc();
	end = opt->duration > 0 ? now + (uint64_t)(opt->duration * hz) : UINT64_MAX;
	if (opt->nb_phases != 0) {
		/* The phases end the run: the last one's end, not the sum's. */
		end = UINT64_MAX;
		pps = phase_start(w, &p, 0, now, &phase_end);
	}
	while (!gen_stop && now < end && w->nb_vcs > 0) {
		uint32_t i, active = 0, sent = 0, v = w->next_vc;

		if (unlikely(now >= phase_end)) {
			if (!phase_next(w, &p, now, &phase_end, &pps))
				break;
			v = w->next_vc; /* the phase's round robin, maybe of fewer VCs */
		}

		if (unlikely(gen_hold)) {
			/* Polls still run: a pause completes, a reset parks the queue. */
			condis_poll(w->adapter, w->queue);
			now = rte_rdtsc();
			continue;
		}
		/* One round robin pass; a VC that cannot get a chain now keeps
		 * its turn for the next pass. */
		for (i = 0; i < w->nb_active; i++, v = v + 1 == w->nb_active ? 0 : v + 1) {
			struct gen_vc *gv = w->vcs[v];
			uint32_t n = opt->nbls_per_chain, frames;

			if (opt->count != 0) {
				if (gv->budget == 0)
					continue;
				n = (uint32_t)RTE_MIN((uint64_t)n,
					(gv->budget + opt->nbs_per_nbl - 1) / opt->nbs_per_nbl);
			}
			active++;
			now = rte_rdtsc();
			if (pps > 0)
				n = RTE_MIN(n, pace_nbls(w, &p, now, opt->nbs_per_nbl));
			/* Past the end (a stall mid-pass) nothing more goes, so the
			 * sending interval stays within --duration. */
			if (n == 0 || w->nb_free < n || now >= end)
				break;
			if (w->nb_active >= GEN_PREFETCH_MIN_VCS)
				prefetch_ahead(w, v);
			if (w->sched_on)
				w->sched_tsc = p.base + (uint64_t)((double)p.sched / p.frames_per_tsc);
			frames = send_chain(w, gv, n, now);
			p.sched += frames;
			gen_worker_sent(w, frames, now, pps > 0);
			sent++;
			/* Completions come back in poll: polling after each chain keeps
			 * the window small and hot, and latency honest. */
			condis_poll(w->adapter, w->queue);
			if (unlikely(w->rx != NULL))
				rx_poll(w);
		}
		w->next_vc = v;
		w->polls++;
		if (sent == 0) {
			/* Nothing could go: wait for completions (or the schedule). */
			if (opt->count != 0 && active == 0)
				break;
			condis_poll(w->adapter, w->queue);
			if (unlikely(w->rx != NULL))
				rx_poll(w);
			now = rte_rdtsc();
		}
	}
	w->tsc_end = rte_rdtsc();
	w->mono_end = gen_mono_ns();
	if (opt->nb_phases != 0 && w->phase < opt->nb_phases) {
		/* Stopped inside a phase (SIGINT): close it; the ones that never
		 * ran sent nothing and end where it ended. */
		phase_close(w, w->tsc_end);
		for (uint32_t k = w->phase + 1; k < opt->nb_phases; k++) {
			w->phase_stats[k] = (struct gen_phase_stats){
				.tsc_start = w->tsc_end, .tsc_end = w->tsc_end,
			};
			w->phase_stats[k].lat_at_end = w->lat;
		}
	}
	gen_worker_drain(w);
	if (w->rx != NULL)
		rx_drain(w);
	return 0;
}

void
gen_worker_drain(struct gen_worker *w)
{
	uint64_t end = rte_rdtsc() + (uint64_t)(w->opt->drain_s * gen_tsc_hz());

	/* What is still in flight; close completes anything left. */
	while (w->nb_free != w->window && rte_rdtsc() < end) {
		condis_poll(w->adapter, w->queue);
		if (w->rx != NULL)
			rx_poll(w);
	}
	__atomic_fetch_sub(&gen_workers_running, 1, __ATOMIC_RELEASE);
}
