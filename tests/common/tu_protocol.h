/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tracking protocol: every send is recorded (tu_send()), every completion
 * is checked against the record by its co_send_complete (tu_ops): completed
 * exactly once (spec 60), status never PENDING (spec 122), NB list
 * unchanged (spec 64), one VC per completion chain and SourceHandle == VC
 * (spec 46, 71), at most one handler call per VC per condis_poll() (spec 60,
 * header condis_poll()), completions only inside send/poll/close (header
 * condis_vc.h "Threads").
 *
 * Handlers cannot use CHECK (it returns from the handler), so they count
 * violations in tu_cb_errors and print them; every case checks
 * tu_cb_errors == 0. The record is process-wide state (below), reset by
 * tu_reset(); cases read it directly (tu_tracks[i].status, tu_completed).
 */
#ifndef CONDIS_TU_PROTOCOL_H
#define CONDIS_TU_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <condis/condis.h>

#define TU_MAX_VCS 64
#define TU_MAX_TRACK 8192
#define TU_MAX_NBS 16

/* A value no completion may carry (spec 122: status must be set). */
#define TU_STATUS_GARBAGE ((condis_status_t)0x5eadbeef)

struct tu_vc {
	struct condis_vc *vc;
	int id;
	uint32_t seq;              /* next sequence number to stamp */
	uint32_t sent;             /* NBLs condis_co_send_nbls() took on it (mod 2^32) */
	unsigned int calls;        /* co_send_complete calls */
	unsigned int calls_in_poll;/* calls in the current condis_poll() */
	unsigned int nbls;         /* NBLs completed through this VC context */
	unsigned int deact_calls;  /* co_deactivate_complete calls */
	condis_status_t deact_status;
	/* co_status indications */
	unsigned int resets_started, resets_ended, media_connects, media_disconnects;
	bool in_reset;             /* between RESET_START and RESET_END */
};

struct tu_track {
	struct condis_nbl *nbl;
	struct tu_vc *sent_on;
	struct tu_vc *completed_on;
	struct condis_nb *nbs[TU_MAX_NBS];
	unsigned int n_nbs;
	int completions;
	condis_status_t status;
	bool inline_done;          /* completed inside condis_co_send_nbls() */
	bool foreign_source;       /* source handle deliberately not the VC */
	uint32_t seq;              /* user tag */
	uint32_t vc_pos;           /* its place among the NBLs sent on sent_on */
};

/* The record (tu_protocol.c). */
extern struct tu_vc *tu_vcs[TU_MAX_VCS];    /* VCs of tu_vc_init(), for per-poll accounting */
extern unsigned int tu_n_vcs;
extern struct tu_track tu_tracks[TU_MAX_TRACK]; /* one per NBL sent, in send order */
extern unsigned int tu_n_tracks;
extern unsigned long tu_completed;   /* NBLs completed (tracked) */
extern unsigned long tu_calls;       /* handler calls */
extern int tu_cb_errors;             /* violations seen by the handlers */
extern unsigned long tu_calls_consecutive; /* co_send_complete_ex calls told `consecutive` */
extern unsigned long tu_calls_scattered;   /* ... told not, of chains that were not */
extern int tu_in_send, tu_in_poll, tu_in_close; /* inside send/poll/close (nesting depth) */

/* The tracking protocol's handlers. */
extern const struct condis_protocol_ops tu_ops;

/** Count and print a violation found in a handler. */
#define TU_CB_ERR(...) do { \
	fprintf(stderr, "callback error: " __VA_ARGS__); \
	fputc('\n', stderr); \
	tu_cb_errors++; \
} while (0)

/** A status a completion may carry (spec 62, 122). */
bool tu_status_is_completion(condis_status_t st);

/** Forget the record: tracks, counters, VCs, tu_cb_errors. */
void tu_reset(void);

/** Zero tv, give it id, and count it in tu_vcs. */
void tu_vc_init(struct tu_vc *tv, int id);

/** The record of a tracked NBL (tag in protocol_reserved[0]), or NULL. */
struct tu_track *tu_track_of(const struct condis_nbl *nbl);

/** Record an NBL about to be sent on tv (snapshot of its NB list). */
struct tu_track *tu_track_nbl(struct condis_nbl *nbl, struct tu_vc *tv, uint32_t seq);

/** The protocol's co_send_complete (spec 60, 69, 70). */
void tu_co_send_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags);

/** tu_co_send_complete() that first checks what condis says of the chain
 *  (last, count, failed, and consecutive against the send record), as in tu_ops. */
void tu_co_send_complete_ex(void *protocol_vc_ctx, struct condis_nbl *chain,
			    const struct condis_send_completion *info, uint32_t flags);

/** The protocol's co_status (indications counted per VC), as in tu_ops. */
void tu_co_status(void *protocol_vc_ctx, condis_status_t status);

/** The protocol's co_deactivate_complete, as in tu_ops. */
void tu_co_deactivate_complete(void *protocol_vc_ctx, condis_status_t status);

/** Track every NBL of chain and send it on tv. Returns condis_co_send_nbls(). */
int tu_send(struct tu_vc *tv, struct condis_nbl *chain);

/** tu_send() with condis_co_send_nbls() flags. */
int tu_send_flags(struct tu_vc *tv, struct condis_nbl *chain, uint32_t flags);

/** Send one NBL (its next is set to NULL). */
int tu_send1(struct tu_vc *tv, struct condis_nbl *nbl);

/** Tracked NBLs not completed yet. */
unsigned long tu_outstanding(void);

/** One condis_poll() of one queue, with the per-poll call accounting. */
int tu_poll1(struct condis_adapter *ad, uint16_t q);

/** Poll every queue of ad once; the NBLs completed, or condis_poll()'s error. */
int tu_poll_all(struct condis_adapter *ad);

/** Poll until nothing tracked is outstanding (or give up after max_iter rounds). */
bool tu_poll_until_done(struct condis_adapter *ad, unsigned int max_iter);

/** condis_adapter_close(), where completions are allowed. */
void tu_close(struct condis_adapter *ad);

/** Create a VC for tv (tu_vc_init(tv, id)) and activate it on queue q. */
bool tu_vc_up(struct tu_vc *tv, int id, struct condis_protocol *proto, struct condis_adapter *ad,
	      uint16_t q);

#endif /* CONDIS_TU_PROTOCOL_H */
