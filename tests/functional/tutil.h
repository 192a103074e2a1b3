/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared helpers for the condis unit and functional tests (header only).
 *
 * - tu_eal_init(): EAL start through the harness.
 * - a tracking protocol: every send is recorded (tu_send()), every completion
 *   is checked against the record by tu_co_send_complete(): completed exactly
 *   once (spec 60, 91), status never PENDING (spec 122), NB list unchanged
 *   (spec 64), one VC per completion chain and SourceHandle == VC (spec 46,
 *   71), at most one handler call per VC per condis_poll() (spec 60, header
 *   condis_poll()), completions only inside send/poll/close (header
 *   condis_vc.h "Threads").
 * - frame builders: write/read a stamped test frame across an NB's MDLs.
 *
 * Handlers cannot use CHECK (it returns from the handler), so they count
 * violations in tu_cb_errors and print them; every case checks
 * tu_cb_errors == 0.
 */
#ifndef CONDIS_TUTIL_H
#define CONDIS_TUTIL_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"

/* ------------------------------------------------------------------ EAL */

/* EAL start: the harness's (no hugepages, no PCI, per-process file prefix). */
static inline int
tu_eal_init(const char *prog, const char *const *vdevs)
{
	return condis_test_eal_init(prog, vdevs);
}

/* Unique object names (mempool names are global to the process). */
static inline const char *
tu_name(const char *base)
{
	static char names[256][24];
	static unsigned int n;
	char *s = names[n++ % 256];

	snprintf(s, sizeof(names[0]), "%s%u", base, n);
	return s;
}

/* ------------------------------------------------------- tracking protocol */

#define TU_MAX_VCS 64
#define TU_MAX_TRACK 8192
#define TU_MAX_NBS 16

/* A value no completion may carry (spec 122: status must be set). */
#define TU_STATUS_GARBAGE ((condis_status_t)0x5eadbeef)

static inline bool
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

struct tu_vc {
	struct condis_vc *vc;
	int id;
	uint32_t seq;              /* next sequence number to stamp */
	unsigned int calls;        /* co_send_complete calls */
	unsigned int calls_in_poll;/* calls in the current condis_poll() */
	unsigned int nbls;         /* NBLs completed through this VC context */
	unsigned int deact_calls;  /* co_deactivate_complete calls */
	condis_status_t deact_status;
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
};

static struct tu_vc *tu_vcs[TU_MAX_VCS];
static unsigned int tu_n_vcs;
static struct tu_track tu_tracks[TU_MAX_TRACK];
static unsigned int tu_n_tracks;
static unsigned long tu_completed;   /* NBLs completed (tracked) */
static unsigned long tu_calls;       /* handler calls */
static int tu_cb_errors;
static int tu_in_send, tu_in_poll, tu_in_close;

#define TU_CB_ERR(...) do { \
	fprintf(stderr, "callback error: " __VA_ARGS__); \
	fputc('\n', stderr); \
	tu_cb_errors++; \
} while (0)

static inline void
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
}

static inline void
tu_vc_init(struct tu_vc *tv, int id)
{
	memset(tv, 0, sizeof(*tv));
	tv->id = id;
	if (tu_n_vcs < TU_MAX_VCS)
		tu_vcs[tu_n_vcs++] = tv;
}

static inline struct tu_track *
tu_track_of(const struct condis_nbl *nbl)
{
	uintptr_t idx = (uintptr_t)nbl->protocol_reserved[0];

	if (idx == 0 || idx > tu_n_tracks)
		return NULL;
	return &tu_tracks[idx - 1];
}

/* Record an NBL about to be sent on tv (snapshot of its NB list). */
static inline struct tu_track *
tu_track_nbl(struct condis_nbl *nbl, struct tu_vc *tv, uint32_t seq)
{
	struct tu_track *t;
	struct condis_nb *nb;

	if (tu_n_tracks >= TU_MAX_TRACK)
		return NULL;
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
static void
tu_co_send_complete(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags)
{
	struct tu_vc *tv = protocol_vc_ctx;
	struct condis_nbl *nbl;
	unsigned int n = 0;

	(void)flags;
	tu_calls++;
	if (tv == NULL) {
		TU_CB_ERR("NULL protocol_vc_ctx");
		return;
	}
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

static void
tu_co_deactivate_complete(void *protocol_vc_ctx, condis_status_t status)
{
	struct tu_vc *tv = protocol_vc_ctx;

	tv->deact_calls++;
	tv->deact_status = status;
	if (status == CONDIS_STATUS_PENDING)
		TU_CB_ERR("VC %d: deactivate completed with PENDING", tv->id);
}

static const struct condis_protocol_ops tu_ops = {
	.co_send_complete = tu_co_send_complete,
	.co_deactivate_complete = tu_co_deactivate_complete,
};

/* Track every NBL of chain and send it on tv. Returns condis_co_send_nbls(). */
static inline int
tu_send(struct tu_vc *tv, struct condis_nbl *chain)
{
	struct condis_nbl *nbl;
	unsigned int first = tu_n_tracks;
	int rc;

	for (nbl = chain; nbl != NULL; nbl = nbl->next)
		tu_track_nbl(nbl, tv, 0);
	tu_in_send++;
	rc = condis_co_send_nbls(tv->vc, chain, 0);
	tu_in_send--;
	if (rc != 0) {
		/* nothing was taken: forget the records */
		unsigned int i;

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
static inline int
tu_send1(struct tu_vc *tv, struct condis_nbl *nbl)
{
	nbl->next = NULL;
	return tu_send(tv, nbl);
}

static inline unsigned long
tu_outstanding(void)
{
	return tu_n_tracks - tu_completed;
}

/* One condis_poll() of one queue, with the per-poll call accounting. */
static inline int
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
static inline int
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
static inline bool
tu_poll_until_done(struct condis_adapter *ad, unsigned int max_iter)
{
	unsigned int i;

	for (i = 0; i < max_iter && tu_outstanding() != 0; i++)
		if (tu_poll_all(ad) < 0)
			return false;
	return tu_outstanding() == 0;
}

static inline void
tu_close(struct condis_adapter *ad)
{
	tu_in_close++;
	condis_adapter_close(ad);
	tu_in_close--;
}

/* ------------------------------------------------------------- frames */

#define TU_ETHERTYPE 0x88b5 /* IEEE local experimental */
#define TU_HDR_LEN 26       /* 14 Ethernet + magic 4 + vc 4 + seq 4 */

/* Byte i of the test frame (vc, seq, total length len). */
static inline uint8_t
tu_frame_byte(uint32_t vc, uint32_t seq, uint32_t len, uint32_t i)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	if (i < 12)
		return mac[i];
	switch (i) {
	case 12: return TU_ETHERTYPE >> 8;
	case 13: return TU_ETHERTYPE & 0xff;
	case 14: return 'C';
	case 15: return 'N';
	case 16: return 'D';
	case 17: return 'S';
	case 18: case 19: case 20: case 21:
		return (uint8_t)(vc >> (8 * (21 - i)));
	case 22: case 23: case 24: case 25:
		return (uint8_t)(seq >> (8 * (25 - i)));
	default:
		return (uint8_t)(i * 7 + seq + len);
	}
}

static inline void
tu_frame_fill(uint8_t *buf, uint32_t vc, uint32_t seq, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = tu_frame_byte(vc, seq, len, i);
}

/* Write the test frame into the used span of nb (across its MDLs). */
static inline bool
tu_nb_write_frame(struct condis_nb *nb, uint32_t vc, uint32_t seq)
{
	struct condis_mdl *m = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, done = 0, len = nb->data_length;

	while (done < len) {
		uint32_t n;

		if (m == NULL)
			return false;
		n = RTE_MIN(m->byte_count - off, len - done);
		for (uint32_t i = 0; i < n; i++)
			((uint8_t *)m->va)[off + i] = tu_frame_byte(vc, seq, len, done + i);
		done += n;
		m = m->next;
		off = 0;
	}
	return true;
}

/* Parse (vc, seq) from frame bytes; false if it is not a test frame. */
static inline bool
tu_frame_parse(const uint8_t *p, uint32_t len, uint32_t *vc, uint32_t *seq)
{
	if (len < TU_HDR_LEN || p[12] != (TU_ETHERTYPE >> 8) || p[13] != (TU_ETHERTYPE & 0xff) ||
	    memcmp(p + 14, "CNDS", 4) != 0)
		return false;
	*vc = (uint32_t)p[18] << 24 | (uint32_t)p[19] << 16 | (uint32_t)p[20] << 8 | p[21];
	*seq = (uint32_t)p[22] << 24 | (uint32_t)p[23] << 16 | (uint32_t)p[24] << 8 | p[25];
	return true;
}

/* Check frame bytes p[0..len) against the expected frame; return the first bad index or -1. */
static inline long
tu_frame_diff(const uint8_t *p, uint32_t vc, uint32_t seq, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != tu_frame_byte(vc, seq, len, i))
			return (long)i;
	return -1;
}

/* ------------------------------------------------------------- pools */

struct tu_pools {
	struct condis_nbl_pool *data;   /* NBL + NB + MDL + data (spec 9) */
	struct condis_nbl_pool *bare;   /* NBLs with no NB */
	struct condis_nb_pool *nb;
	struct condis_mdl_pool *mdl;    /* data MDLs */
};

static inline struct condis_nbl_pool *
tu_nbl_pool(uint32_t count, bool allocate_nb, uint32_t data_size)
{
	struct condis_nbl_pool_params p = {
		.name = tu_name("tnbl"),
		.count = count,
		.allocate_nb = allocate_nb,
		.data_size = data_size,
		.socket_id = SOCKET_ID_ANY,
	};

	return condis_nbl_pool_create(&p);
}

static inline struct condis_nb_pool *
tu_nb_pool(uint32_t count)
{
	struct condis_nb_pool_params p = {
		.name = tu_name("tnb"), .count = count, .socket_id = SOCKET_ID_ANY,
	};

	return condis_nb_pool_create(&p);
}

static inline struct condis_mdl_pool *
tu_mdl_pool(uint32_t count, uint16_t data_size)
{
	struct condis_mdl_pool_params p = {
		.name = tu_name("tmdl"), .count = count, .data_size = data_size,
		.socket_id = SOCKET_ID_ANY,
	};

	return condis_mdl_pool_create(&p);
}

static inline bool
tu_pools_create(struct tu_pools *tp, uint32_t count)
{
	memset(tp, 0, sizeof(*tp));
	tp->data = tu_nbl_pool(count, true, 2048);
	tp->bare = tu_nbl_pool(count, false, 0);
	tp->nb = tu_nb_pool(count * 4);
	tp->mdl = tu_mdl_pool(count * 12, 2048);
	if (tp->data == NULL || tp->bare == NULL || tp->nb == NULL || tp->mdl == NULL) {
		fprintf(stderr, "pool creation failed: %s\n", rte_strerror(rte_errno));
		return false;
	}
	return true;
}

/* Data-pool NBL with its NB cut to len bytes and stamped (vc, seq). */
static inline struct condis_nbl *
tu_data_nbl(struct tu_pools *tp, uint32_t len, uint32_t vc, uint32_t seq)
{
	struct condis_nbl *nbl = condis_nbl_alloc(tp->data);

	if (nbl == NULL || nbl->first_nb == NULL)
		return NULL;
	nbl->first_nb->data_length = len; /* data_offset 0: still a valid span (spec 4) */
	if (!tu_nb_write_frame(nbl->first_nb, vc, seq))
		return NULL;
	return nbl;
}

/* Chain of n data-pool NBLs of len bytes, stamped (vc, first_seq + i);
 * NULL (nothing kept) if the pool runs out. */
static inline struct condis_nbl *
tu_data_chain(struct tu_pools *tp, unsigned int n, uint32_t len, uint32_t vc, uint32_t first_seq)
{
	struct condis_nbl *head = NULL, **tailp = &head;
	unsigned int i;

	for (i = 0; i < n; i++) {
		*tailp = tu_data_nbl(tp, len, vc, first_seq + i);
		if (*tailp == NULL) {
			while (head != NULL) {
				struct condis_nbl *next = head->next;

				condis_nbl_free(head);
				head = next;
			}
			return NULL;
		}
		tailp = &(*tailp)->next;
	}
	*tailp = NULL;
	return head;
}

/*
 * Cap on MDLs per NB for tu_multi_nb(): set it to condis_ethdev_max_segs()
 * of the adapter under test, since an NB of more segments than the device
 * takes legitimately completes with INVALID_LENGTH (spec 59). net_null and
 * net_pcap do not offer RTE_ETH_TX_OFFLOAD_MULTI_SEGS.
 */
static unsigned int tu_max_segs = 64;

/* NB of len bytes over nsegs data MDLs (near-equal pieces, nsegs capped at
 * tu_max_segs), stamped. */
static inline struct condis_nb *
tu_multi_nb(struct tu_pools *tp, uint32_t len, unsigned int nsegs, uint32_t vc, uint32_t seq)
{
	struct condis_mdl *head = NULL, **tail = &head;
	struct condis_nb *nb;
	unsigned int i;
	uint32_t left = len;

	if (nsegs > tu_max_segs)
		nsegs = tu_max_segs;

	for (i = 0; i < nsegs; i++) {
		uint32_t piece = (i == nsegs - 1) ? left : len / nsegs;
		struct condis_mdl *m = condis_mdl_alloc_data(tp->mdl, piece);

		if (m == NULL)
			return NULL;
		*tail = m;
		tail = &m->next;
		left -= piece;
	}
	nb = condis_nb_alloc(tp->nb, head, 0, len);
	if (nb == NULL || !tu_nb_write_frame(nb, vc, seq))
		return NULL;
	return nb;
}

/* Free an NB from tp->nb and its MDLs. */
static inline void
tu_free_nb(struct condis_nb *nb)
{
	struct condis_mdl *m = nb->mdl_chain, *next;

	condis_nb_free(nb);
	for (; m != NULL; m = next) {
		next = m->next;
		m->next = NULL;
		condis_mdl_free(m);
	}
}

/* Free an NBL; for bare-pool NBLs also its NBs and MDLs. */
static inline int
tu_free_nbl(struct condis_nbl *nbl, bool own_nbs)
{
	struct condis_nb *nb, *next;
	int rc;

	if (own_nbs) {
		nb = nbl->first_nb;
		nbl->first_nb = NULL;
		for (; nb != NULL; nb = next) {
			next = nb->next;
			nb->next = NULL;
			tu_free_nb(nb);
		}
	}
	rc = condis_nbl_free(nbl);
	return rc;
}

/* Look up a vdev port by name. */
static inline int
tu_port(const char *name, uint16_t *port)
{
	return rte_eth_dev_get_port_by_name(name, port);
}

/*
 * condis_ethdev_open() in the suite's owner mode: with CONDIS_TEST_OWNERS=1
 * in the environment (meson runs every functional test both ways) every
 * queue the params leave unowned is owned by the calling lcore, which polls
 * it, so each send goes through the owner's path (condis_vc.h "Threads").
 */
static inline struct condis_adapter *
tu_ethdev_open(struct condis_ethdev_params *p)
{
	const char *mode = getenv("CONDIS_TEST_OWNERS");
	unsigned int i;

	if (mode != NULL && strcmp(mode, "1") == 0 && !p->owners) {
		static bool said;

		if (!said)
			printf("note: owner mode: queues owned by lcore %u\n", rte_lcore_id());
		said = true;
		p->owners = true;
		for (i = 0; i < CONDIS_ETHDEV_MAX_TXQ; i++)
			p->owner_lcore[i] = rte_lcore_id();
	}
	return condis_ethdev_open(p);
}

static inline struct condis_adapter *
tu_open(uint16_t port, uint16_t nq)
{
	struct condis_ethdev_params p;

	memset(&p, 0, sizeof(p));
	p.port_id = port;
	p.nb_tx_queues = nq;
	return tu_ethdev_open(&p);
}

/* Create a VC for tv and activate it on queue q. */
static inline bool
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

#endif /* CONDIS_TUTIL_H */
