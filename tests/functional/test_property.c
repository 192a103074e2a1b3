/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Property test of the adapter events (issue 13): a seeded random walk of
 * sends, polls, device releases (in order and out of order), per-frame
 * failures, stalls, link down/up, cancels, pause/restart, resets and VC
 * deactivate/activate/delete over the sim miniport (two queues, four VCs,
 * the device releasing only when told). After every step it checks what
 * the handler saw: each NBL back exactly once, its NB list and SourceHandle
 * unchanged, with a status that something in its life allows (SEND_ABORTED
 * only after a cancel of its id, PAUSED only under a pause, ...); and the
 * per-VC wire order in the device's capture. At the end nothing may be left
 * out once the device works again (liveness), then a close.
 *
 * A third walk runs over the ethdev miniport on a net_ring port instead, the
 * test being the consumer: it releases by taking frames off the rings (in
 * order, checked there), and stalls by not taking them. A fourth sends
 * through the shaper (im/shaper, an intermediate driver) stacked on the
 * sim, half the VCs shaped, with pauses and resets of both adapters: the
 * NBLs go down and up two libraries and still come back once each.
 *
 * CONDIS_PROPERTY_SEED and CONDIS_PROPERTY_OPS (default 10^6) set the walk;
 * the seed and the last operations are printed on failure.
 */
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_sim.h>
#include <condis/condis_shaper.h>

#include "condis_test.h"
#include "tutil.h"

#define NQ 2
#define NV 4
#define NSLOTS 256
#define MAX_NBS 3
#define RING 48
#define HISTORY 24

enum slot_state { SLOT_FREE, SLOT_OUT };

/* One NBL the walk reuses, and what was true when it was last sent. */
struct slot {
	struct condis_nbl *nbl;
	struct condis_nb *nbs[MAX_NBS];
	unsigned int n_nbs;
	enum slot_state state;
	struct condis_vc *vc;
	unsigned int v;
	uintptr_t cancel_id;
	/* Event counts at send: a status needs its event after (or during) the send. */
	uint64_t cancels_at_send, pauses_at_send, resets_at_send, downs_at_send;
	bool paused_at_send, down_at_send, active_at_send, deactivating_at_send;
	/* Sent from the foreign thread: checked when its queue's owner takes it,
	 * so the VC and adapter states of any moment up to then may decide. */
	bool foreign;
	uint64_t activations_at_send, deactivations_at_send, restarts_at_send;
	/* Shaper walk: the adapter below was not running at send, and its events. */
	bool lower_down_at_send;
	uint64_t lower_events_at_send;
};

static struct {
	struct condis_adapter *ad;     /* what the walk's protocol sends on */
	struct condis_adapter *dev;    /* the sim (ad itself, or below the shaper) */
	uint16_t nq;                   /* queues of ad */
	bool shaper_mode;
	uint64_t lower_events;         /* pauses and resets of the adapter below the shaper */
	struct condis_protocol *proto;
	struct condis_vc *vc[NV];
	struct condis_nbl_pool *bare;
	struct condis_nb_pool *nbp;
	struct condis_mdl_pool *mdlp;
	struct slot slots[NSLOTS];
	uint64_t rng;
	uint64_t seed;
	/* Events so far. */
	uint64_t cancels[3], pauses, resets, downs, fail_arms, restarts;
	uint64_t activations[NV], deactivations[NV];
	bool link_down, stalled[NQ];
	/* Per-VC wire order. */
	uint32_t next_seq[NV];
	int64_t last_wire_seq[NV];
	/* Counts and violations. */
	uint64_t sent, completed, by_status[8], ops, checks;
	int errors;
	/* The device: the sim, or a net_ring port whose rings the walk drains. */
	bool ring_mode;
	struct rte_ring *rrx[NQ], *rtx[NQ];
	/* A thread that is not the queues' owner sends when asked (owner mode):
	 * one operation at a time, so the walk stays reproducible. */
	bool foreign;
	pthread_t thread, main_thread;
	int foreign_req;               /* VC + 1 to send on, -1 quit */
	sem_t req_sem, done_sem;       /* blocking: the thread may share the owner's core */
	uint64_t foreign_sends;
	/* The last operations, for a failure report. */
	char history[HISTORY][64];
	unsigned int hist_n;
} w;

static const uintptr_t cancel_ids[3] = { 0, 0x7a000001, 0x7a000002 };

static uint64_t
rnd(void)
{
	/* xorshift64*: reproducible from the seed */
	w.rng ^= w.rng >> 12;
	w.rng ^= w.rng << 25;
	w.rng ^= w.rng >> 27;
	return w.rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int
rnd_below(unsigned int n)
{
	return (unsigned int)((rnd() >> 32) % n);
}

static void __attribute__((format(printf, 1, 2)))
note_op(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w.history[w.hist_n++ % HISTORY], sizeof(w.history[0]), fmt, ap);
	va_end(ap);
}

#define VIOLATION(...) do { \
	fprintf(stderr, "violation after op %" PRIu64 ": ", w.ops); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	w.errors++; \
} while (0)

static void
print_history(void)
{
	unsigned int i, n = RTE_MIN(w.hist_n, (unsigned int)HISTORY);

	fprintf(stderr, "seed %" PRIu64 " (CONDIS_PROPERTY_SEED=%" PRIu64 " reproduces it); last %u ops:\n",
		w.seed, w.seed, n);
	for (i = w.hist_n - n; i < w.hist_n; i++)
		fprintf(stderr, "  %s\n", w.history[i % HISTORY]);
}

/* Is status allowed for what happened to s between its send and now? */
static bool
status_allowed(const struct slot *s, condis_status_t st)
{
	unsigned int c = s->cancel_id == cancel_ids[1] ? 1 : s->cancel_id == cancel_ids[2] ? 2 : 0;

	if (s->foreign) {
		bool active = s->active_at_send || w.activations[s->v] > s->activations_at_send;
		bool deact = w.deactivations[s->v] > s->deactivations_at_send;

		if (st == CONDIS_STATUS_SUCCESS)
			return active && (!s->paused_at_send || w.restarts > s->restarts_at_send);
		if (st == CONDIS_STATUS_VC_NOT_ACTIVATED)
			return !s->active_at_send || deact;
		if (st == CONDIS_STATUS_CLOSING)
			return s->deactivating_at_send || deact;
	}
	switch (st) {
	case CONDIS_STATUS_SUCCESS:
		return s->active_at_send && !s->paused_at_send;
	case CONDIS_STATUS_SEND_ABORTED:
		return c != 0 && w.cancels[c] > s->cancels_at_send;
	case CONDIS_STATUS_PAUSED:
		return s->paused_at_send || w.pauses > s->pauses_at_send;
	case CONDIS_STATUS_RESET_IN_PROGRESS:
		return w.resets > s->resets_at_send;
	case CONDIS_STATUS_MEDIA_DISCONNECTED:
		return s->down_at_send || w.downs > s->downs_at_send;
	case CONDIS_STATUS_FAILURE:
		return w.fail_arms != 0;
	case CONDIS_STATUS_VC_NOT_ACTIVATED:
		return !s->active_at_send && !s->deactivating_at_send;
	case CONDIS_STATUS_CLOSING:
		return s->deactivating_at_send;
	case CONDIS_STATUS_REQUEST_ABORTED: /* the shaper could not forward (spec 110) */
		return w.shaper_mode &&
		       (s->lower_down_at_send || w.lower_events > s->lower_events_at_send);
	default:
		return false;
	}
}

static void
on_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_vc *vc = NULL;

	RTE_SET_USED(protocol_vc_ctx);
	RTE_SET_USED(flags);
	for (; chain != NULL; chain = chain->next) {
		struct slot *s = chain->protocol_reserved[0];
		const struct condis_nb *nb;
		unsigned int i = 0;

		if (s == NULL || s < w.slots || s >= w.slots + NSLOTS || s->nbl != chain) {
			VIOLATION("an NBL the walk never sent came back");
			continue;
		}
		if (s->state != SLOT_OUT) {
			VIOLATION("slot %td completed twice", s - w.slots);
			continue;
		}
		if (vc == NULL)
			vc = s->vc;
		else if (s->vc != vc)
			VIOLATION("one completion call for two VCs");
		if (chain->source_handle != s->vc)
			VIOLATION("slot %td: SourceHandle changed", s - w.slots);
		for (nb = chain->first_nb; nb != NULL && i < MAX_NBS; nb = nb->next, i++)
			if (nb != s->nbs[i])
				break;
		if (i != s->n_nbs || nb != NULL)
			VIOLATION("slot %td: NB list changed", s - w.slots);
		if (!status_allowed(s, chain->status))
			VIOLATION("slot %td on VC %u: status %s (0x%x) not allowed here",
				  s - w.slots, s->v, condis_status_name(chain->status),
				  (unsigned int)chain->status);
		s->state = SLOT_FREE;
		w.completed++;
		w.by_status[chain->status == CONDIS_STATUS_SUCCESS ? 0 :
			    chain->status == CONDIS_STATUS_SEND_ABORTED ? 1 :
			    chain->status == CONDIS_STATUS_PAUSED ? 2 :
			    chain->status == CONDIS_STATUS_RESET_IN_PROGRESS ? 3 :
			    chain->status == CONDIS_STATUS_MEDIA_DISCONNECTED ? 4 :
			    chain->status == CONDIS_STATUS_FAILURE ? 5 : 6]++;
	}
}

static const struct condis_protocol_ops walk_ops = { .co_send_complete = on_complete };

static void
wire_frame(uint16_t q, const uint8_t *head, uint32_t len)
{
	uint32_t vc, seq;

	if (!tu_frame_parse(head, len, &vc, &seq) || vc >= NV) {
		VIOLATION("queue %u: a frame that was never sent", q);
		return;
	}
	if ((int64_t)seq <= w.last_wire_seq[vc])
		VIOLATION("VC %u: seq %u on the wire after %" PRId64 " (spec 73)", vc, seq,
			  w.last_wire_seq[vc]);
	w.last_wire_seq[vc] = seq;
}

/* net_ring: take up to n frames off queue q's ring, check them, free them. */
static unsigned int
ring_take(uint16_t q, unsigned int n)
{
	struct rte_mbuf *m[64];
	unsigned int got, i;

	n = RTE_MIN(n, (unsigned int)RTE_DIM(m));
	got = rte_ring_dequeue_burst(w.rtx[q], (void **)m, n, NULL);
	for (i = 0; i < got; i++) {
		uint8_t buf[64];
		uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m[i]), (uint32_t)sizeof(buf));
		const uint8_t *p = rte_pktmbuf_read(m[i], 0, len, buf);

		if (p != NULL)
			wire_frame(q, p, len);
		rte_pktmbuf_free(m[i]);
	}
	return got;
}

/* The device lets go of n frames of queue q (in order). */
static void
dev_release(uint16_t q, unsigned int n)
{
	if (!w.ring_mode)
		condis_sim_complete(w.dev, q, n);
	else if (!w.stalled[q])
		ring_take(q, n);
}

/* Per-VC wire order: every frame the device took, in the order it took them. */
static void
check_wire(void)
{
	struct condis_sim_frame fr[64];
	uint16_t q;
	int n, i;

	if (w.ring_mode)
		return; /* checked as the frames come off the rings */
	for (q = 0; q < NQ; q++) {
		while ((n = condis_sim_capture_read(w.dev, q, fr, RTE_DIM(fr))) > 0) {
			for (i = 0; i < n; i++)
				wire_frame(q, fr[i].head, RTE_MIN(fr[i].len,
					   (uint32_t)CONDIS_SIM_CAPTURE_BYTES));
			if (n < (int)RTE_DIM(fr))
				break;
		}
	}
}

static bool
slots_create(void)
{
	unsigned int i, j;

	w.bare = tu_nbl_pool(NSLOTS, false, 0);
	w.nbp = tu_nb_pool(NSLOTS * MAX_NBS);
	w.mdlp = tu_mdl_pool(NSLOTS * MAX_NBS, 256);
	if (w.bare == NULL || w.nbp == NULL || w.mdlp == NULL)
		return false;
	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &w.slots[i];
		struct condis_nb **tail;

		s->nbl = condis_nbl_alloc(w.bare);
		if (s->nbl == NULL)
			return false;
		s->nbl->protocol_reserved[0] = s;
		s->n_nbs = 1 + i % MAX_NBS;
		tail = &s->nbl->first_nb;
		for (j = 0; j < s->n_nbs; j++) {
			struct condis_mdl *mdl = condis_mdl_alloc_data(w.mdlp, 256);
			struct condis_nb *nb = condis_nb_alloc(w.nbp, mdl, 0, 60 + (i * 7 + j * 31) % 190);

			if (mdl == NULL || nb == NULL)
				return false;
			s->nbs[j] = nb;
			*tail = nb;
			tail = &nb->next;
		}
	}
	return true;
}

static void
slots_free(void)
{
	unsigned int i, j;

	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &w.slots[i];

		s->nbl->first_nb = NULL;
		for (j = 0; j < s->n_nbs; j++) {
			struct condis_mdl *mdl = s->nbs[j]->mdl_chain;

			condis_nb_free(s->nbs[j]);
			condis_mdl_free(mdl);
		}
		condis_nbl_free(s->nbl);
	}
	condis_nbl_pool_free(w.bare);
	condis_nb_pool_free(w.nbp);
	condis_mdl_pool_free(w.mdlp);
}

/* VC v's call: its queue; through the shaper, one queue above, the
 * priority picks the queue below, and odd VCs are shaped to 50 Mbit/s. */
static struct condis_call_params
call_of(unsigned int v)
{
	struct condis_call_params cp = { .tx_queue = (uint16_t)(v % NQ) };

	if (w.shaper_mode) {
		cp.tx_queue = 0;
		cp.user_priority = (uint8_t)v;
		cp.peak_rate_bps = v % 2 ? 50000000 : 0;
	}
	return cp;
}

static bool
lower_running(void)
{
	return !w.shaper_mode || (condis_adapter_state(w.dev) == CONDIS_ADAPTER_RUNNING &&
				  !condis_adapter_resetting(w.dev));
}

static bool
vc_make(unsigned int v)
{
	struct condis_call_params cp = call_of(v);

	w.vc[v] = condis_vc_create(w.proto, w.ad, NULL);
	return w.vc[v] != NULL && condis_vc_activate(w.vc[v], &cp) == CONDIS_STATUS_SUCCESS;
}

/* Send a chain of 1..6 free slots on VC v. */
static void
op_send(unsigned int v)
{
	struct condis_nbl *head = NULL, **tail = &head;
	enum condis_vc_state vs = condis_vc_state(w.vc[v]);
	bool paused = condis_adapter_state(w.ad) != CONDIS_ADAPTER_RUNNING;
	unsigned int want = 1 + rnd_below(6), n = 0, tries, i;
	int rc;

	for (tries = 0; tries < 16 && n < want; tries++) {
		struct slot *s = &w.slots[rnd_below(NSLOTS)];

		if (s->state != SLOT_FREE)
			continue;
		s->state = SLOT_OUT;
		s->vc = w.vc[v];
		s->v = v;
		s->cancel_id = cancel_ids[rnd_below(3)];
		condis_nbl_set_cancel_id(s->nbl, s->cancel_id);
		s->nbl->source_handle = NULL;
		s->cancels_at_send = s->cancel_id == cancel_ids[1] ? w.cancels[1] :
				     s->cancel_id == cancel_ids[2] ? w.cancels[2] : 0;
		s->pauses_at_send = w.pauses;
		s->resets_at_send = w.resets;
		s->downs_at_send = w.downs;
		s->paused_at_send = paused;
		s->down_at_send = w.link_down;
		s->active_at_send = vs == CONDIS_VC_ACTIVE;
		s->deactivating_at_send = vs == CONDIS_VC_DEACTIVATING;
		s->foreign = w.foreign && !pthread_equal(pthread_self(), w.main_thread);
		s->activations_at_send = w.activations[v];
		s->deactivations_at_send = w.deactivations[v];
		s->restarts_at_send = w.restarts;
		s->lower_down_at_send = !lower_running();
		s->lower_events_at_send = w.lower_events;
		for (i = 0; i < s->n_nbs; i++)
			if (!tu_nb_write_frame(s->nbs[i], v, w.next_seq[v]++))
				VIOLATION("cannot stamp a frame");
		*tail = s->nbl;
		tail = &s->nbl->next;
		n++;
	}
	*tail = NULL;
	if (head == NULL)
		return;
	note_op("send %u NBLs on VC %u", n, v);
	w.sent += n;
	rc = condis_co_send_nbls(w.vc[v], head, 0);
	if (rc != 0)
		VIOLATION("send refused: %d", rc);
}

static void *
foreign_main(void *arg)
{
	int req;

	RTE_SET_USED(arg);
	for (;;) {
		while (sem_wait(&w.req_sem) != 0)
			;
		req = w.foreign_req;
		if (req < 0)
			return NULL;
		op_send((unsigned int)req - 1); /* not the owner: handed over */
		w.foreign_sends++;
		sem_post(&w.done_sem);
	}
}

/* A send from the foreign thread, waited for. */
static void
op_send_foreign(unsigned int v)
{
	note_op("foreign send on VC %u:", v);
	w.foreign_req = (int)v + 1;
	sem_post(&w.req_sem);
	while (sem_wait(&w.done_sem) != 0)
		;
}

static void
poll_all(void)
{
	uint16_t q;

	for (q = 0; q < w.nq; q++) /* the shaper's poll drives the sim below */
		if (condis_poll(w.ad, q) < 0)
			VIOLATION("poll failed");
}

/* VC v: deactivate, activate, or delete and make again, as its state allows. */
static void
op_vc(unsigned int v)
{
	struct condis_call_params cp = call_of(v);
	enum condis_vc_state vs = condis_vc_state(w.vc[v]);

	if (vs == CONDIS_VC_ACTIVE && rnd_below(4) == 0) {
		condis_status_t st;

		note_op("deactivate VC %u", v);
		w.deactivations[v]++;
		st = condis_vc_deactivate(w.vc[v]);
		if (st != CONDIS_STATUS_SUCCESS && st != CONDIS_STATUS_PENDING)
			VIOLATION("deactivate: 0x%x", (unsigned int)st);
	} else if (vs == CONDIS_VC_INACTIVE && rnd_below(4) == 0) {
		note_op("delete VC %u", v);
		if (condis_vc_delete(w.vc[v]) == CONDIS_STATUS_SUCCESS) {
			w.activations[v]++;
			if (!vc_make(v))
				VIOLATION("cannot make VC %u again", v);
		}
	} else if (vs == CONDIS_VC_INACTIVE) {
		note_op("activate VC %u", v);
		w.activations[v]++;
		if (condis_vc_activate(w.vc[v], &cp) != CONDIS_STATUS_SUCCESS)
			VIOLATION("activate VC %u failed", v);
	}
}

static void
step(void)
{
	unsigned int r = rnd_below(1000), q = rnd_below(NQ);

	if (r < 300) {
		op_send(rnd_below(NV));
	} else if (r < 550) {
		note_op("poll");
		poll_all();
	} else if (r < 700) {
		unsigned int n = 1 + rnd_below(16);

		note_op("complete %u on queue %u", n, q);
		dev_release((uint16_t)q, n);
	} else if (r < 760) {
		unsigned int i = rnd_below(RING);

		note_op("complete_one %u on queue %u", i, q);
		if (w.ring_mode)
			dev_release((uint16_t)q, 1); /* a ring lets go in order */
		else
			condis_sim_complete_one(w.dev, (uint16_t)q, i);
	} else if (r < 775) {
		if (w.ring_mode)
			return; /* net_ring fails no frame */
		note_op("fail_next 1 on queue %u", q);
		w.fail_arms++;
		condis_sim_fail_next(w.dev, (uint16_t)q, 1, CONDIS_STATUS_FAILURE);
	} else if (r < 805) {
		/* Faults are short: set one time in four, cleared at once. */
		if (!w.stalled[q] && rnd_below(4) != 0)
			return;
		w.stalled[q] = !w.stalled[q];
		note_op("stall %u on queue %u", w.stalled[q], q);
		if (!w.ring_mode) /* a ring nobody drains is stalled */
			condis_sim_stall(w.dev, (uint16_t)q, w.stalled[q]);
	} else if (r < 825) {
		if (w.ring_mode || (!w.link_down && rnd_below(4) != 0))
			return;
		w.link_down = !w.link_down;
		w.downs += w.link_down;
		note_op("link %s", w.link_down ? "down" : "up");
		condis_sim_link(w.dev, !w.link_down);
	} else if (r < 865) {
		unsigned int c = 1 + rnd_below(2);

		note_op("cancel id %u", c);
		w.cancels[c]++;
		if (condis_cancel_send_nbls(w.proto, w.ad, cancel_ids[c]) != 0)
			VIOLATION("cancel failed");
	} else if (r < 890 && w.shaper_mode && rnd_below(2) == 0) {
		/* The adapter below the shaper: its pause, restart or reset. */
		if (condis_adapter_state(w.dev) == CONDIS_ADAPTER_RUNNING && rnd_below(16) == 0) {
			note_op("pause below");
			w.pauses++;
			w.lower_events++;
			condis_adapter_pause(w.dev);
		} else if (condis_adapter_state(w.dev) == CONDIS_ADAPTER_PAUSED) {
			note_op("restart below");
			w.restarts++;
			if (condis_adapter_restart(w.dev) != CONDIS_STATUS_SUCCESS)
				VIOLATION("restart of the paused adapter below failed");
		} else if (rnd_below(8) == 0) {
			note_op("reset below");
			w.resets++;
			w.lower_events++;
			w.stalled[0] = w.stalled[1] = false;
			if (condis_adapter_reset(w.dev) != CONDIS_STATUS_SUCCESS)
				VIOLATION("reset of the adapter below did not finish");
		}
	} else if (r < 890) {
		/* Pauses are rarer than restarts: the adapter mostly runs. */
		if (condis_adapter_state(w.ad) == CONDIS_ADAPTER_RUNNING && rnd_below(16) == 0) {
			note_op("pause");
			w.pauses++;
			condis_adapter_pause(w.ad);
		} else if (condis_adapter_state(w.ad) == CONDIS_ADAPTER_PAUSED) {
			note_op("restart");
			w.restarts++;
			if (condis_adapter_restart(w.ad) != CONDIS_STATUS_SUCCESS)
				VIOLATION("restart of a paused adapter failed");
		}
	} else if (r < 900) {
		note_op("reset");
		w.resets++;
		if (!w.ring_mode)
			w.stalled[0] = w.stalled[1] = false; /* a reset clears the sim's stalls */
		if (condis_adapter_reset(w.ad) != CONDIS_STATUS_SUCCESS)
			VIOLATION("reset of an adapter whose queues are all ours did not finish");
		/* A reset device sends nothing it held (their NBLs came back
		 * RESET_IN_PROGRESS and may be rewritten): drop what the rings
		 * kept, as hardware would, instead of reading it as sent. */
		for (q = 0; w.ring_mode && q < NQ; q++) {
			struct rte_mbuf *m[64];
			unsigned int got;

			while ((got = rte_ring_dequeue_burst(w.rtx[q], (void **)m, 64, NULL)) != 0)
				rte_pktmbuf_free_bulk(m, got);
		}
	} else if (r < 970) {
		if (w.foreign)
			op_send_foreign(rnd_below(NV));
		else
			op_send(rnd_below(NV));
	} else {
		op_vc(rnd_below(NV));
	}
	check_wire();
}

/* The device works again: everything out must come back (liveness). */
static void
drain(void)
{
	unsigned int v, i, iter;
	uint16_t q;

	for (q = 0; q < NQ; q++) {
		w.stalled[q] = false;
		if (!w.ring_mode)
			condis_sim_stall(w.dev, q, false);
	}
	w.link_down = false;
	if (!w.ring_mode)
		condis_sim_link(w.dev, true);
	/* Shaped VCs drain at their rate: the shaper walk gets seconds, not turns. */
	for (iter = 0; (iter < 1000 || (w.shaper_mode && iter < 5000000)) &&
	     w.completed != w.sent; iter++) {
		for (q = 0; q < NQ; q++)
			dev_release(q, RING);
		poll_all();
		if (condis_adapter_state(w.ad) == CONDIS_ADAPTER_PAUSED) {
			w.restarts++;
			condis_adapter_restart(w.ad);
		}
		if (w.shaper_mode && condis_adapter_state(w.dev) == CONDIS_ADAPTER_PAUSED) {
			w.restarts++;
			condis_adapter_restart(w.dev);
		}
		for (v = 0; v < NV; v++)
			if (condis_vc_state(w.vc[v]) == CONDIS_VC_INACTIVE)
				op_vc(v);
	}
	check_wire();
	if (w.shaper_mode && w.completed != w.sent) {
		struct condis_shaper_stats st;

		condis_shaper_stats_get(w.ad, &st);
		fprintf(stderr, "shaper: queued %u in flight %u; adapter %d, below %d\n", st.queued,
			st.in_flight, condis_adapter_state(w.ad), condis_adapter_state(w.dev));
	}
	for (i = 0; i < NSLOTS; i++)
		if (w.slots[i].state != SLOT_FREE)
			VIOLATION("slot %u still out after the drain (VC %u)", i, w.slots[i].v);
}

/* A net_ring port of NQ queues on rings the walk drains, and its adapter. */
static struct condis_adapter *
ring_open(void)
{
	struct condis_ethdev_params p = { .nb_tx_queues = NQ, .nb_tx_desc = 64 };
	int port;
	uint16_t q;

	for (q = 0; q < NQ; q++) {
		w.rrx[q] = rte_ring_create(tu_name("wrx"), 64, SOCKET_ID_ANY,
					   RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		w.rtx[q] = rte_ring_create(tu_name("wtx"), RING, SOCKET_ID_ANY,
					   RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		if (w.rrx[q] == NULL || w.rtx[q] == NULL)
			return NULL;
	}
	port = tu_eth_from_rings(tu_name("wport"), w.rrx, NQ, w.rtx, NQ, rte_socket_id());
	if (port < 0)
		return NULL;
	p.port_id = (uint16_t)port;
	return condis_ethdev_open(&p);
}

static void
walk(bool foreign, bool ring_mode, bool shaper_mode)
{
	struct condis_sim_params sp = {
		.nb_tx_queues = NQ, .ring_size = RING, .mode = CONDIS_SIM_MANUAL,
		.capture = true, .max_vcs = 16,
	};
	const char *env_seed = getenv("CONDIS_PROPERTY_SEED");
	const char *env_ops = getenv("CONDIS_PROPERTY_OPS");
	uint64_t n_ops = env_ops != NULL ? strtoull(env_ops, NULL, 0) : 1000000, t0;
	unsigned int v;

	memset(&w, 0, sizeof(w));
	w.foreign = foreign;
	w.ring_mode = ring_mode;
	w.shaper_mode = shaper_mode;
	w.main_thread = pthread_self();
	if (foreign) {
		/* The main lcore owns both queues; the thread is not an lcore. */
		sp.owners = true;
		sp.owner_lcore[0] = sp.owner_lcore[1] = rte_lcore_id();
		CHECK_EQ(sem_init(&w.req_sem, 0, 0), 0);
		CHECK_EQ(sem_init(&w.done_sem, 0, 0), 0);
		CHECK_EQ(pthread_create(&w.thread, NULL, foreign_main, NULL), 0);
	}
	w.seed = env_seed != NULL ? strtoull(env_seed, NULL, 0) : rte_rdtsc();
	w.rng = w.seed != 0 ? w.seed : 1;
	printf("note: seed %" PRIu64 ", %" PRIu64 " operations\n", w.seed, n_ops);
	for (v = 0; v < NV; v++)
		w.last_wire_seq[v] = -1;
	w.proto = condis_protocol_register("walk", &walk_ops);
	w.dev = ring_mode ? ring_open() : condis_sim_open(&sp);
	w.ad = shaper_mode && w.dev != NULL ? condis_shaper_open(w.dev, NULL) : w.dev;
	CHECK(w.proto != NULL && w.ad != NULL);
	w.nq = condis_adapter_tx_queues(w.ad);
	CHECK(slots_create());
	for (v = 0; v < NV; v++)
		CHECK(vc_make(v));
	t0 = rte_rdtsc();
	for (w.ops = 0; w.ops < n_ops && w.errors == 0; w.ops++)
		step();
	drain();
	if (foreign) {
		w.foreign_req = -1;
		sem_post(&w.req_sem);
		pthread_join(w.thread, NULL);
		sem_destroy(&w.req_sem);
		sem_destroy(&w.done_sem);
		printf("note: %" PRIu64 " sends from the foreign thread\n", w.foreign_sends);
	}
	printf("note: %" PRIu64 " ops in %.1f s: %" PRIu64 " NBLs sent, %" PRIu64 " back: "
	       "SUCCESS %" PRIu64 ", SEND_ABORTED %" PRIu64 ", PAUSED %" PRIu64
	       ", RESET_IN_PROGRESS %" PRIu64 ", MEDIA_DISCONNECTED %" PRIu64 ", FAILURE %" PRIu64
	       ", other %" PRIu64 "; %" PRIu64 " cancels, %" PRIu64 " pauses, %" PRIu64 " resets\n",
	       w.ops, (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz(), w.sent, w.completed,
	       w.by_status[0], w.by_status[1], w.by_status[2], w.by_status[3], w.by_status[4],
	       w.by_status[5], w.by_status[6], w.cancels[1] + w.cancels[2], w.pauses, w.resets);
	if (w.errors != 0)
		print_history();
	CHECK_EQ(w.errors, 0);
	CHECK_EQ(w.completed, w.sent);
	/* Every status the events can give was seen (the walk reaches them all). */
	if (n_ops >= 100000)
		for (v = 0; v < 6; v++)
			CHECK(w.by_status[v] > 0 || (ring_mode && v >= 4)); /* no link, no failure */
	condis_adapter_close(w.ad);
	if (w.dev != w.ad)
		condis_adapter_close(w.dev);
	for (v = 0; ring_mode && v < NQ; v++)
		while (ring_take((uint16_t)v, 64) != 0)
			; /* frames the closed port left: their late free is absorbed */
	CHECK_EQ(w.completed, w.sent);
	slots_free();
	CHECK_EQ(condis_protocol_deregister(w.proto), 0);
}

static void
test_property_walk(void)
{
	walk(false, false, false);
}

static void
test_property_walk_foreign(void)
{
	walk(true, false, false);
}

static void
test_property_walk_ring(void)
{
	walk(false, true, false);
}

static void
test_property_walk_shaper(void)
{
	walk(false, false, true);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "random walk of sends and adapter events: every NBL once, allowed status, "
		  "wire order (spec 60, 73, 88-104)", test_property_walk },
		{ "the same with queue owners and a foreign sending thread (spec 54, 73)",
		  test_property_walk_foreign },
		{ "the same over ethdev on net_ring, the walk draining the rings (spec 60, 73, 96)",
		  test_property_walk_ring, tu_need_net_ring },
		{ "the same through the shaper, an intermediate driver, on the sim "
		  "(spec 94, 106, 110)", test_property_walk_shaper },
	};

	RTE_SET_USED(argc);
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
