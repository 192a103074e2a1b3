/* SPDX-License-Identifier: BSD-3-Clause */
/* The tracking protocol and its record (tu_protocol.h). */
#include <string.h>

#include <rte_errno.h>

#include "tu_protocol.h"

struct tu_vc *tu_vcs[TU_MAX_VCS];
unsigned int tu_n_vcs;
struct tu_track tu_tracks[TU_MAX_TRACK];
unsigned int tu_n_tracks;
unsigned long tu_completed;
unsigned long tu_calls;
int tu_cb_errors;
unsigned long tu_calls_consecutive, tu_calls_scattered;
int tu_in_send, tu_in_poll, tu_in_close;

bool
tu_status_is_completion(condis_status_t st)
{
	switch (st) {
	case CONDIS_STATUS_SUCCESS:
	case CONDIS_STATUS_FAILURE:
	case CONDIS_STATUS_RESOURCES:
	case CONDIS_STATUS_CLOSING:
	case CONDIS_STATUS_REQUEST_ABORTED:
	case CONDIS_STATUS_RESET_IN_PROGRESS:
	case CONDIS_STATUS_INVALID_PACKET:
	case CONDIS_STATUS_INVALID_LENGTH:
	case CONDIS_STATUS_INVALID_DATA:
	case CONDIS_STATUS_VC_NOT_ACTIVATED:
	case CONDIS_STATUS_VC_NOT_AVAILABLE:
	case CONDIS_STATUS_SEND_ABORTED:
	case CONDIS_STATUS_MEDIA_DISCONNECTED:
	case CONDIS_STATUS_PAUSED:
	case CONDIS_STATUS_LOW_POWER_STATE:
		return true;
	default:
		return false;
	}
}

void
tu_reset(void)
{
	/* (NBLs of earlier cases may be freed, with their pools: never touch
	 * them; every send re-tags its NBLs in protocol_reserved[0]) */
	memset(tu_tracks, 0, sizeof(tu_tracks));
	tu_n_tracks = 0;
	tu_completed = 0;
	tu_calls = 0;
	tu_n_vcs = 0;
	tu_cb_errors = 0;
	tu_calls_consecutive = 0;
	tu_calls_scattered = 0;
}

void
tu_vc_init(struct tu_vc *tv, int id)
{
	memset(tv, 0, sizeof(*tv));
	tv->id = id;
	if (tu_n_vcs < TU_MAX_VCS)
		tu_vcs[tu_n_vcs++] = tv;
}

struct tu_track *
tu_track_of(const struct condis_nbl *nbl)
{
	uintptr_t idx = (uintptr_t)nbl->protocol_reserved[0];

	if (idx == 0 || idx > tu_n_tracks)
		return NULL;
	return &tu_tracks[idx - 1];
}

/* Record an NBL about to be sent on tv (snapshot of its NB list). */
struct tu_track *
tu_track_nbl(struct condis_nbl *nbl, struct tu_vc *tv, uint32_t seq)
{
	struct tu_track *t;
	struct condis_nb *nb;

	if (tu_n_tracks >= TU_MAX_TRACK) {
		nbl->protocol_reserved[0] = NULL; /* untracked: its completion is an error */
		return NULL;
	}
	t = &tu_tracks[tu_n_tracks++];
	memset(t, 0, sizeof(*t));
	t->nbl = nbl;
	t->sent_on = tv;
	t->seq = seq;
	t->status = (condis_status_t)0x7eadbeef;
	/* spec 46: a SourceHandle of another VC is the protocol's own mistake */
	t->foreign_source = nbl->source_handle != NULL && tv != NULL &&
			    nbl->source_handle != (void *)tv->vc;
	for (nb = nbl->first_nb; nb != NULL && t->n_nbs < TU_MAX_NBS; nb = nb->next)
		t->nbs[t->n_nbs++] = nb;
	nbl->protocol_reserved[0] = (void *)(uintptr_t)tu_n_tracks;
	/* spec 122: a stale status must not survive the send */
	nbl->status = TU_STATUS_GARBAGE;
	return t;
}

/* The protocol's co_send_complete (spec 60, 69, 70). */
void
tu_co_send_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct tu_vc *tv = protocol_vc_ctx;
	struct condis_nbl *nbl;
	unsigned int n = 0;

	tu_calls++;
	if (tv == NULL) {
		TU_CB_ERR("NULL protocol_vc_ctx");
		return;
	}
	/* Every completion call comes from one queue (spec 80), on no other flag. */
	if ((flags & ~CONDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL) !=
	    CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE)
		TU_CB_ERR("VC %d: completion flags 0x%x, SINGLE_QUEUE expected", tv->id,
			  (unsigned int)flags);
	tv->calls++;
	if (!tu_in_send && !tu_in_poll && !tu_in_close)
		TU_CB_ERR("VC %d: completion outside send/poll/close", tv->id);
	if (tu_in_poll && ++tv->calls_in_poll > 1)
		TU_CB_ERR("VC %d: %u handler calls in one condis_poll() (spec 60: one per VC per batch)",
			  tv->id, tv->calls_in_poll);
	if (chain == NULL)
		TU_CB_ERR("VC %d: empty completion chain", tv->id);
	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		struct tu_track *t = tu_track_of(nbl);
		struct condis_nb *nb;
		unsigned int i;

		if (++n > TU_MAX_TRACK) {
			TU_CB_ERR("VC %d: completion chain loops", tv->id);
			break;
		}
		tv->nbls++;
		if (t == NULL) {
			TU_CB_ERR("VC %d: completion of an untracked NBL %p", tv->id, (void *)nbl);
			continue;
		}
		t->completions++;
		t->status = nbl->status;
		t->completed_on = tv;
		t->inline_done = tu_in_send != 0;
		tu_completed++;
		if (t->completions > 1)
			TU_CB_ERR("VC %d: NBL %p (tag %u) completed %d times", tv->id,
				  (void *)nbl, t->seq, t->completions);
		if (nbl->status == CONDIS_STATUS_PENDING)
			TU_CB_ERR("VC %d: NBL tag %u completed with PENDING (spec 122)", tv->id, t->seq);
		else if (!tu_status_is_completion(nbl->status))
			TU_CB_ERR("VC %d: NBL tag %u completed with status 0x%x, not a completion status (spec 62, 122)",
				  tv->id, t->seq, (unsigned int)nbl->status);
		if (t->sent_on != tv)
			TU_CB_ERR("NBL tag %u sent on VC %d completed on VC %d (spec 70-71)",
				  t->seq, t->sent_on ? t->sent_on->id : -1, tv->id);
		if (!t->foreign_source && nbl->source_handle != (void *)tv->vc)
			TU_CB_ERR("VC %d: NBL tag %u source_handle %p != vc %p (spec 46, 71)",
				  tv->id, t->seq, nbl->source_handle, (void *)tv->vc);
		/* spec 64: NB list unchanged */
		for (i = 0, nb = nbl->first_nb; nb != NULL && i < TU_MAX_NBS; nb = nb->next, i++) {
			if (i >= t->n_nbs || nb != t->nbs[i])
				break;
		}
		if (i != t->n_nbs || nb != NULL)
			TU_CB_ERR("VC %d: NBL tag %u NB list changed (spec 64)", tv->id, t->seq);
	}
}

void
tu_co_deactivate_complete(void *protocol_vc_ctx, condis_status_t status)
{
	struct tu_vc *tv = protocol_vc_ctx;

	tv->deact_calls++;
	tv->deact_status = status;
	if (status == CONDIS_STATUS_PENDING)
		TU_CB_ERR("VC %d: deactivate completed with PENDING", tv->id);
}

void
tu_co_status(void *protocol_vc_ctx, condis_status_t status)
{
	struct tu_vc *tv = protocol_vc_ctx;

	if (tv == NULL)
		return; /* a VC made without a tracker context */
	switch (status) {
	case CONDIS_STATUS_RESET_START:
		if (tv->in_reset)
			TU_CB_ERR("VC %d: RESET_START twice", tv->id);
		tv->in_reset = true;
		tv->resets_started++;
		break;
	case CONDIS_STATUS_RESET_END:
		if (!tv->in_reset)
			TU_CB_ERR("VC %d: RESET_END without RESET_START", tv->id);
		tv->in_reset = false;
		tv->resets_ended++;
		break;
	case CONDIS_STATUS_MEDIA_CONNECT:
		tv->media_connects++;
		break;
	case CONDIS_STATUS_MEDIA_DISCONNECT:
		tv->media_disconnects++;
		break;
	default:
		TU_CB_ERR("VC %d: unexpected status indication 0x%x", tv->id, (unsigned int)status);
	}
}

/* Were chain's NBLs sent on tv one after another, in chain order? */
static bool
chain_consecutive(const struct tu_vc *tv, struct condis_nbl *chain)
{
	const struct tu_track *prev = NULL;
	struct condis_nbl *nbl;

	for (nbl = chain; nbl != NULL; nbl = nbl->next) {
		const struct tu_track *t = tu_track_of(nbl);

		if (t == NULL || t->sent_on != tv || (prev != NULL && t->vc_pos != prev->vc_pos + 1))
			return false;
		prev = t;
	}
	return true;
}

void
tu_co_send_complete_ex(void *protocol_vc_ctx, struct condis_nbl *chain,
		       const struct condis_send_completion *info, uint32_t flags)
{
	struct tu_vc *tv = protocol_vc_ctx;
	struct condis_nbl *nbl, *last = NULL;
	uint32_t n = 0, failed = 0;
	bool consecutive;

	for (nbl = chain; nbl != NULL && n <= TU_MAX_TRACK; nbl = nbl->next) {
		last = nbl;
		n++;
		failed += nbl->status != CONDIS_STATUS_SUCCESS;
	}
	if (info == NULL) {
		TU_CB_ERR("co_send_complete_ex without its info");
	} else if (tv != NULL) {
		if (info->last != last || info->count != n || info->failed != failed)
			TU_CB_ERR("VC %d: completion info last %p count %u failed %u; the chain: %p %u %u",
				  tv->id, (void *)info->last, info->count, info->failed,
				  (void *)last, n, failed);
		consecutive = chain_consecutive(tv, chain);
		if (info->consecutive && !consecutive)
			TU_CB_ERR("VC %d: a chain of %u NBLs told consecutive is not", tv->id, n);
		tu_calls_consecutive += info->consecutive;
		tu_calls_scattered += !info->consecutive && !consecutive;
	}
	tu_co_send_complete(protocol_vc_ctx, chain, flags);
}

const struct condis_protocol_ops tu_ops = {
	.co_send_complete_ex = tu_co_send_complete_ex,
	.co_deactivate_complete = tu_co_deactivate_complete,
	.co_status = tu_co_status,
};

/* Track every NBL of chain and send it on tv. Returns condis_co_send_nbls(). */
int
tu_send(struct tu_vc *tv, struct condis_nbl *chain)
{
	return tu_send_flags(tv, chain, 0);
}

int
tu_send_flags(struct tu_vc *tv, struct condis_nbl *chain, uint32_t flags)
{
	struct condis_nbl *nbl;
	unsigned int first = tu_n_tracks;
	uint32_t k = 0;
	int rc;

	/* Placed before the send: some complete inside it, and a handler may
	 * send on tv from inside it (after these, as condis numbers them). */
	for (nbl = chain; nbl != NULL; nbl = nbl->next, k++) {
		struct tu_track *t = tu_track_nbl(nbl, tv, 0);

		if (t != NULL)
			t->vc_pos = tv->sent + k;
	}
	tv->sent += k;
	tu_in_send++;
	rc = condis_co_send_nbls(tv->vc, chain, flags);
	tu_in_send--;
	if (rc != 0) {
		/* Refused at the door: nothing was taken (nor sent from a
		 * handler inside); forget the records. */
		unsigned int i;

		tv->sent -= k;
		for (i = first; i < tu_n_tracks; i++) {
			if (tu_tracks[i].completions != 0)
				TU_CB_ERR("send failed (%d) but NBL tag %u completed", rc,
					  tu_tracks[i].seq);
			if (tu_tracks[i].nbl != NULL)
				tu_tracks[i].nbl->protocol_reserved[0] = NULL;
		}
		tu_n_tracks = first;
	}
	return rc;
}

/* Send one NBL (its next is set to NULL). */
int
tu_send1(struct tu_vc *tv, struct condis_nbl *nbl)
{
	nbl->next = NULL;
	return tu_send(tv, nbl);
}

unsigned long
tu_outstanding(void)
{
	return tu_n_tracks - tu_completed;
}

/* One condis_poll() of one queue, with the per-poll call accounting. */
int
tu_poll1(struct condis_adapter *ad, uint16_t q)
{
	unsigned int i;
	int rc;

	for (i = 0; i < tu_n_vcs; i++)
		tu_vcs[i]->calls_in_poll = 0;
	tu_in_poll++;
	rc = condis_poll(ad, q);
	tu_in_poll--;
	return rc;
}

/* Poll every queue of ad once; return the NBLs completed. */
int
tu_poll_all(struct condis_adapter *ad)
{
	uint16_t q, nq = condis_adapter_tx_queues(ad);
	int n = 0;

	for (q = 0; q < nq; q++) {
		int rc = tu_poll1(ad, q);

		if (rc < 0) {
			TU_CB_ERR("condis_poll(q %u) = %d", q, rc);
			return rc;
		}
		n += rc;
	}
	return n;
}

/* Poll until nothing tracked is outstanding (or give up). */
bool
tu_poll_until_done(struct condis_adapter *ad, unsigned int max_iter)
{
	unsigned int i;

	for (i = 0; i < max_iter && tu_outstanding() != 0; i++)
		if (tu_poll_all(ad) < 0)
			return false;
	return tu_outstanding() == 0;
}

void
tu_close(struct condis_adapter *ad)
{
	tu_in_close++;
	condis_adapter_close(ad);
	tu_in_close--;
}

/* Create a VC for tv and activate it on queue q. */
bool
tu_vc_up(struct tu_vc *tv, int id, struct condis_protocol *proto, struct condis_adapter *ad,
	 uint16_t q)
{
	struct condis_call_params cp = { .user_priority = 0, .tx_queue = q };
	condis_status_t st;

	tu_vc_init(tv, id);
	tv->vc = condis_vc_create(proto, ad, tv);
	if (tv->vc == NULL) {
		fprintf(stderr, "condis_vc_create: %s\n", rte_strerror(rte_errno));
		return false;
	}
	st = condis_vc_activate(tv->vc, &cp);
	if (st != CONDIS_STATUS_SUCCESS) {
		fprintf(stderr, "condis_vc_activate: 0x%x\n", (unsigned int)st);
		return false;
	}
	return true;
}
