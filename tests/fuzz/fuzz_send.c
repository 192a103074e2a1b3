/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: caller-built send chains against the invariant.
 *
 * Each input is a small program: build chains of NBLs (pool NBLs with their
 * own NB, or bare NBLs with NBs over chains of data and zero-copy MDLs;
 * arbitrary offsets and lengths, zero-length and shared pieces, 802.1Q info,
 * own, NULL or foreign SourceHandles, NBLs already in flight or freed, NB
 * and MDL cycles) and send them on VCs of a net_ring adapter whose "wire"
 * the program drains at its own pace; poll; deactivate; cancel by id, pause
 * and restart, reset. At the end every
 * frame is drained and every NBL must have come back exactly once for each
 * send that returned 0, with a final status (never PENDING), and everything
 * must free: no MDL left bound, no pool object left out.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "fuzz_common.h"

#define N_VCS 3
#define N_NBLS 24           /* NBLs an input may use */
#define N_MDLS 48           /* MDLs an input may use */
#define EXT_BYTES 4096      /* zero-copy region */
#define MAX_OPS 48

/* Abort with a message: libFuzzer records the input as a crash. */
#define FAIL(...) FUZZ_FAIL("fuzz_send", __VA_ARGS__)




/* Set up once: EAL, a net_ring port, pools, a protocol. */
static struct {
	struct rte_ring *wire;
	uint16_t port;
	struct condis_protocol *proto;
	struct condis_nbl_pool *data, *bare;
	struct condis_nb_pool *nbs;
	struct condis_mdl_pool *mdls, *ext;
	uint8_t *ext_buf;
} g;

/* Per-NBL record: sends accepted, completions seen. */
struct rec {
	struct condis_nbl *nbl;
	unsigned int sent, done;
	bool bad_status;
};
static struct rec recs[N_NBLS];

static struct rec *
rec_of(const struct condis_nbl *nbl)
{
	return &recs[(uintptr_t)nbl->protocol_reserved[0]];
}

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	(void)ctx;
	(void)flags;
	for (; chain != NULL; chain = chain->next) {
		struct rec *r = rec_of(chain);

		r->done++;
		if (r->done > r->sent)
			FAIL("NBL %u completed more often than sent\n", (unsigned int)(r - recs));
		if (chain->status == CONDIS_STATUS_PENDING)
			r->bad_status = true;
	}
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rte_ring *rx;
	struct condis_nbl_pool_params dp = { .name = "fz_data", .count = N_NBLS,
					     .allocate_nb = true, .data_size = 256,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_nbl_pool_params bp = { .name = "fz_bare", .count = N_NBLS,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_nb_pool_params np = { .name = "fz_nb", .count = 4 * N_NBLS,
					    .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params mp = { .name = "fz_mdl", .count = N_MDLS,
					     .data_size = 256, .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params xp = { .name = "fz_ext", .count = N_MDLS,
					     .socket_id = SOCKET_ID_ANY };
	int port;

	(void)argc;
	if (fuzz_eal_init((*argv)[0], "fuzz-send", "256", NULL) != 0)
		FAIL("EAL init failed\n");
	rx = rte_ring_create("fz_rx", 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	g.wire = rte_ring_create("fz_wire", 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	port = rte_eth_from_rings("fz_port", &rx, 1, &g.wire, 1, SOCKET_ID_ANY);
	g.proto = condis_protocol_register("fuzz", &ops);
	g.data = condis_nbl_pool_create(&dp);
	g.bare = condis_nbl_pool_create(&bp);
	g.nbs = condis_nb_pool_create(&np);
	g.mdls = condis_mdl_pool_create(&mp);
	g.ext = condis_mdl_pool_create(&xp);
	g.ext_buf = rte_zmalloc("fz_ext", EXT_BYTES, 64);
	if (port < 0 || g.proto == NULL || g.data == NULL || g.bare == NULL || g.nbs == NULL ||
	    g.mdls == NULL || g.ext == NULL || g.ext_buf == NULL)
		FAIL("set-up failed: %s\n", rte_strerror(rte_errno));
	g.port = (uint16_t)port;
	return 0;
}

/* Everything one input built, to check and free at the end. */
struct run {
	struct condis_adapter *ad;
	struct condis_vc *vc[N_VCS];
	struct condis_mdl *mdl[N_MDLS];
	unsigned int n_mdls, n_nbls;
	struct condis_nb *nb[4 * N_NBLS];
	unsigned int n_nbs;
	struct rte_mbuf *kept[64];     /* frames the "wire" holds back for a while */
	unsigned int n_kept;
};

/* A new data or zero-copy MDL with a length the input chooses (0 allowed). */
static struct condis_mdl *
make_mdl(struct run *r, struct fuzz_input *in)
{
	uint8_t kind = fuzz_take(in);
	uint16_t len = fuzz_take16(in);
	struct condis_mdl *m;

	if (r->n_mdls == N_MDLS)
		return NULL;
	if (kind % 4 == 1) {
		uint16_t off = fuzz_take16(in) % EXT_BYTES;

		len = (uint16_t)(1 + len % (EXT_BYTES - off));
		m = condis_mdl_alloc_ext(g.ext, g.ext_buf + off, RTE_BAD_IOVA, len);
	} else {
		m = condis_mdl_alloc_data(g.mdls, 1 + len % 256);
	}
	if (m == NULL)
		FAIL("MDL pool ran dry: an earlier input leaked\n");
	if (kind % 4 == 2)
		m->byte_count = 0; /* a piece describing nothing */
	r->mdl[r->n_mdls++] = m;
	return m;
}

/*
 * An NB over 0..4 new pieces, maybe ending in a piece another NB uses too
 * (read-only: its links are not ours to change while it may be in flight),
 * with a geometry inside the chain, or broken as the input says.
 */
static struct condis_nb *
make_nb(struct run *r, struct fuzz_input *in)
{
	struct condis_mdl *head = NULL, **tailp = &head, *m;
	unsigned int pieces = fuzz_take(in) % 5, i;
	uint32_t total = 0, off, len;
	struct condis_nb *nb;

	for (i = 0; i < pieces && (m = make_mdl(r, in)) != NULL; i++) {
		*tailp = m;
		tailp = &m->next;
	}
	if (r->n_mdls > 0 && fuzz_take(in) % 4 == 0) {
		m = r->mdl[fuzz_take(in) % r->n_mdls];
		if (m->next == NULL && m != head && tailp != &m->next)
			*tailp = m; /* shared: the same bytes in two sends */
	}
	for (m = head; m != NULL; m = m->next)
		total += m->byte_count;
	off = fuzz_take16(in) % (total + 1);
	len = fuzz_take16(in) % (total - off + 1);
	nb = condis_nb_alloc(g.nbs, head, off, len);
	if (nb == NULL)
		FAIL("NB pool ran dry, or a valid geometry refused\n");
	r->nb[r->n_nbs++] = nb;
	switch (fuzz_take(in) % 8) {
	case 0: nb->data_length += 1 + fuzz_take(in); break;   /* past the chain: FAILURE */
	case 1: nb->current_mdl_offset += fuzz_take(in); break; /* inconsistent geometry */
	case 2: nb->data_length = 0; break;                /* INVALID_LENGTH */
	default: break;
	}
	return nb;
}

static struct condis_nbl *
make_nbl(struct run *r, struct fuzz_input *in)
{
	uint8_t kind = fuzz_take(in);
	struct condis_nbl *nbl;

	if (r->n_nbls == N_NBLS)
		return NULL;
	if (kind & 1) {
		nbl = condis_nbl_alloc(g.data);
		if (nbl == NULL)
			FAIL("data NBL pool ran dry\n");
		nbl->first_nb->data_length = fuzz_take16(in) % 300;
	} else {
		struct condis_nb **tailp;
		unsigned int n = fuzz_take(in) % 4, i;

		nbl = condis_nbl_alloc(g.bare);
		if (nbl == NULL)
			FAIL("bare NBL pool ran dry\n");
		tailp = &nbl->first_nb;
		for (i = 0; i < n; i++) {
			*tailp = make_nb(r, in);
			tailp = &(*tailp)->next;
		}
	}
	if (kind & 2)
		nbl->info[CONDIS_NBL_INFO_IEEE8021Q] = condis_8021q_info(fuzz_take16(in), fuzz_take(in));
	recs[r->n_nbls] = (struct rec){ .nbl = nbl };
	nbl->protocol_reserved[0] = (void *)(uintptr_t)r->n_nbls;
	r->n_nbls++;
	return nbl;
}

static bool
in_flight(const struct condis_nbl *nbl)
{
	return rec_of(nbl)->sent > rec_of(nbl)->done;
}

/* Send a chain of NBLs picked from those this input made. An NBL the stack
 * still owns may end the chain (only its owner's link is touched): the send
 * must refuse the whole chain with -EBUSY and take nothing. */
static void
op_send(struct run *r, struct fuzz_input *in)
{
	struct condis_vc *vc = r->vc[fuzz_take(in) % N_VCS];
	unsigned int n = 1 + fuzz_take(in) % 6, i, j, n_picked = 0;
	struct condis_nbl *head = NULL, **tailp = &head, *picked[8];
	bool expect_busy = false;
	int rc;

	for (i = 0; i < n && !expect_busy; i++) {
		struct condis_nbl *nbl;

		if (fuzz_take(in) % 4 == 0 && r->n_nbls > 0)
			nbl = recs[fuzz_take(in) % r->n_nbls].nbl; /* reused: maybe in flight */
		else
			nbl = make_nbl(r, in);
		if (nbl == NULL)
			break;
		for (j = 0; j < n_picked && picked[j] != nbl; j++)
			;
		if (j < n_picked)
			break; /* twice in one chain is a cycle: tested on its own */
		*tailp = nbl;
		picked[n_picked++] = nbl;
		if (in_flight(nbl)) {
			expect_busy = true;
			break;
		}
		nbl->next = NULL;
		tailp = &nbl->next;
		switch (fuzz_take(in) % 5) {
		case 0: nbl->source_handle = NULL; break;
		case 1: nbl->source_handle = r->vc[fuzz_take(in) % N_VCS]; break; /* maybe foreign */
		case 2: nbl->source_handle = (void *)(uintptr_t)0xdeadbeef; break;
		default: nbl->source_handle = vc; break;
		}
		condis_nbl_set_cancel_id(nbl, fuzz_take(in) % 4); /* 0: none */
	}
	if (head == NULL)
		return;
	/* Counted first: a refusal completes inside the send (spec 57). */
	for (i = 0; i < n_picked - expect_busy; i++)
		rec_of(picked[i])->sent++;
	rc = condis_co_send_nbls(vc, head, 0);
	if (rc == 0 && !expect_busy)
		return;
	if (rc != -EBUSY || !expect_busy)
		FAIL("send returned %d, %s expected\n", rc, expect_busy ? "-EBUSY" : "0");
	for (i = 0; i + 1 < n_picked; i++) {
		rec_of(picked[i])->sent--;
		picked[i]->next = NULL; /* refused: still the caller's */
	}
}

/* Let the wire free some frames now and keep some for later, out of order. */
static void
op_wire(struct run *r, struct fuzz_input *in)
{
	struct rte_mbuf *m[16];
	unsigned int got = rte_ring_dequeue_burst(g.wire, (void **)m, 1 + fuzz_take(in) % 16, NULL);
	unsigned int i;

	for (i = 0; i < got; i++) {
		if ((fuzz_take(in) & 3) == 0 && r->n_kept < RTE_DIM(r->kept))
			r->kept[r->n_kept++] = m[i];
		else
			rte_pktmbuf_free(m[i]);
	}
	if (r->n_kept > 0 && (fuzz_take(in) & 1)) {
		unsigned int k = fuzz_take(in) % r->n_kept;

		rte_pktmbuf_free(r->kept[k]);
		r->kept[k] = r->kept[--r->n_kept];
	}
}

/*
 * Cycles: an NBL chain that loops is refused (-EBUSY, nothing taken); an NB
 * list or an MDL chain that loops must complete, not hang the queue.
 */
static void
op_cycle(struct run *r, struct fuzz_input *in)
{
	struct condis_vc *vc = r->vc[fuzz_take(in) % 2];
	struct condis_nbl *nbl = make_nbl(r, in);
	struct condis_nb *nb;
	int rc;

	if (nbl == NULL)
		return;
	nbl->source_handle = vc;
	switch (fuzz_take(in) % 3) {
	case 0:
		nbl->next = nbl;
		rc = condis_co_send_nbls(vc, nbl, 0);
		if (rc != -EBUSY)
			FAIL("a cyclic NBL chain was taken (%d)\n", rc);
		nbl->next = NULL;
		return;
	case 1:
		if ((nb = nbl->first_nb) == NULL || nbl->first_nb == &nbl->prealloc_nb)
			return;
		while (nb->next != NULL)
			nb = nb->next;
		nb->next = nbl->first_nb; /* the NB list loops */
		break;
	default: {
		struct condis_mdl *m;

		if ((nb = nbl->first_nb) == NULL || nbl->first_nb == &nbl->prealloc_nb ||
		    (m = make_mdl(r, in)) == NULL)
			return;
		condis_nb_set_mdl_chain(nb, m, 0, 0);
		m->byte_count = 0;
		m->next = m; /* a piece of nothing, forever */
		nb->data_length = 60 + fuzz_take(in);
		break;
	}
	}
	nbl->next = NULL;
	rec_of(nbl)->sent++;
	rc = condis_co_send_nbls(vc, nbl, 0);
	if (rc != 0)
		FAIL("send of a looping NB/MDL list returned %d\n", rc);
}

static void
drain_wire(struct run *r)
{
	struct rte_mbuf *m;

	while (r->n_kept > 0)
		rte_pktmbuf_free(r->kept[--r->n_kept]);
	while (rte_ring_dequeue(g.wire, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

static bool
all_back(const struct run *r)
{
	unsigned int i;

	for (i = 0; i < r->n_nbls; i++)
		if (recs[i].done != recs[i].sent)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct condis_ethdev_params ep = { .port_id = g.port, .nb_tx_desc = 64 };
	struct run r;
	unsigned int i, op;

	memset(&r, 0, sizeof(r));
	memset(recs, 0, sizeof(recs));
	r.ad = condis_ethdev_open(&ep);
	if (r.ad == NULL)
		FAIL("open: %s\n", rte_strerror(rte_errno));
	for (i = 0; i < N_VCS; i++) {
		struct condis_call_params cp = { .tx_queue = 0 };

		r.vc[i] = condis_vc_create(g.proto, r.ad, NULL);
		if (r.vc[i] == NULL)
			FAIL("vc create\n");
		if (i < 2 && condis_vc_activate(r.vc[i], &cp) != CONDIS_STATUS_SUCCESS)
			FAIL("vc activate\n"); /* VC 2 stays inactive: VC_NOT_ACTIVATED */
	}
	for (op = 0; op < MAX_OPS && in.n > 0; op++) {
		switch (fuzz_take(&in) % 9) {
		case 0: case 1: op_send(&r, &in); break;
		case 2: condis_poll(r.ad, 0); break;
		case 3: op_wire(&r, &in); break;
		case 4: condis_vc_deactivate(r.vc[fuzz_take(&in) % 2]); break;
		/* Adapter events (issue 13): each must still bring every NBL back. */
		case 6: condis_cancel_send_nbls(g.proto, r.ad, 1 + fuzz_take(&in) % 3); break;
		case 7:
			if (condis_adapter_state(r.ad) == CONDIS_ADAPTER_RUNNING)
				condis_adapter_pause(r.ad);
			else if (condis_adapter_state(r.ad) == CONDIS_ADAPTER_PAUSED)
				condis_adapter_restart(r.ad);
			break;
		case 8: condis_adapter_reset(r.ad); break;
		default:
			op_cycle(&r, &in);
			break;
		}
	}
	/* Everything comes back once the wire lets go. */
	for (i = 0; i < 10000 && !all_back(&r); i++) {
		drain_wire(&r);
		condis_poll(r.ad, 0);
	}
	for (i = 0; i < r.n_nbls; i++) {
		if (recs[i].done != recs[i].sent)
			FAIL("NBL %u: sent %u, completed %u\n", i, recs[i].sent, recs[i].done);
		if (recs[i].bad_status)
			FAIL("NBL %u completed PENDING\n", i);
	}
	for (i = 0; i < N_VCS; i++)
		condis_vc_deactivate(r.vc[i]);
	condis_adapter_close(r.ad);
	drain_wire(&r);
	/* Free everything: nothing may still be bound or out. */
	for (i = 0; i < r.n_nbls; i++) {
		struct condis_nbl *nbl = recs[i].nbl;

		if (nbl->pool != NULL && nbl->first_nb != &nbl->prealloc_nb)
			nbl->first_nb = NULL; /* NBs are freed below */
		if (condis_nbl_free(nbl) != 0)
			FAIL("NBL %u cannot be freed\n", i);
	}
	for (i = 0; i < r.n_nbs; i++)
		if (condis_nb_free(r.nb[i]) != 0)
			FAIL("NB %u cannot be freed\n", i);
	for (i = 0; i < r.n_mdls; i++) {
		r.mdl[i]->next = NULL;
		if (condis_mdl_free(r.mdl[i]) != 0)
			FAIL("MDL %u still bound\n", i);
	}
	if (condis_nbl_pool_in_use(g.data) != 0 || condis_nbl_pool_in_use(g.bare) != 0)
		FAIL("NBLs left out of their pools\n");
	return 0;
}
