/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: software loopback of sends (spec 82-84). A send flagged
 * CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK has the NBs its binding's packet
 * filter accepts copied and indicated to the binding's co_receive on the
 * sending VC, flagged IS_LOOPBACK_PACKET, with RESOURCES semantics; the
 * send itself completes as any other. Over net_null (ethdev, whose miniport
 * reports NO_LOOPBACK with the port's MAC) and, as func_loopback_sim, the
 * sim miniport.
 *
 * Every send is also checked by the tracking protocol (tu_protocol.h):
 * exactly once, status set, NB list unchanged.
 */
#include <string.h>

#include <rte_ethdev.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_miniport.h>
#include <condis/condis_sim.h>

#include "condis_test.h"
#include "tutil.h"

#define NPORTS 8
#define MAX_RX 512
#define MAX_FRAME_REC 1600

static uint16_t ports[NPORTS]; /* one vdev per case: no reopen of a closed port */
static unsigned int next_port;
static struct condis_protocol *proto_a, *proto_b;
static struct condis_protocol_ops ops_a, ops_b;

static const struct rte_ether_addr other_uc = { { 0x02, 0, 0, 0, 0, 0x99 } };
static const struct rte_ether_addr bcast = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
static const struct rte_ether_addr mc_in = { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr mc_out = { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 } };

/* ---- what co_receive saw ---- */

struct rx_rec {
	struct tu_vc *tv;
	uint32_t len;
	uint32_t nbl_flags;
	uintptr_t vlan_info;
	uint8_t data[MAX_FRAME_REC];
};

static struct rx_rec rx[MAX_RX];
static unsigned int n_rx, rx_calls, rx_calls_b;
static int rx_err;
/* What the handler does besides recording: resend on its VC (nesting). */
static struct condis_nbl *rx_resend[8];
static unsigned int rx_n_resend;

#define RX_ERR(...) do { fprintf(stderr, "co_receive: " __VA_ARGS__); fputc('\n', stderr); \
			 rx_err++; } while (0)

static void
rx_reset(void)
{
	n_rx = rx_calls = rx_calls_b = 0;
	rx_err = 0;
	rx_n_resend = 0;
}

/* Copy the NB's data_length bytes out, across its MDLs. */
static void
nb_read(const struct condis_nb *nb, uint8_t *dst)
{
	const struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	while (left > 0 && mdl != NULL) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		memcpy(dst, RTE_PTR_ADD(mdl->va, off), piece);
		dst += piece;
		left -= piece;
		mdl = mdl->next;
		off = 0;
	}
}

/* Write src over the NB's data_length bytes, across its MDLs. */
static void
nb_write(struct condis_nb *nb, const uint8_t *src)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	while (left > 0 && mdl != NULL) {
		uint32_t piece = RTE_MIN(mdl->byte_count - off, left);

		memcpy(RTE_PTR_ADD(mdl->va, off), src, piece);
		src += piece;
		left -= piece;
		mdl = mdl->next;
		off = 0;
	}
}

static int loop_send(struct tu_vc *tv, struct condis_nbl *chain);

static void
rx_a(void *ctx, struct condis_nbl *chain, uint32_t count, uint32_t flags)
{
	struct tu_vc *tv = ctx;
	struct condis_nbl *nbl;
	uint32_t n = 0;

	rx_calls++;
	if (!(flags & CONDIS_RECEIVE_FLAGS_RESOURCES))
		RX_ERR("receive flags 0x%x without RESOURCES", flags);
	for (nbl = chain; nbl != NULL; nbl = nbl->next, n++) {
		struct condis_nb *nb = nbl->first_nb;
		struct rx_rec *r;

		if (nb == NULL || nb->next != NULL) {
			RX_ERR("looped NBL without exactly one NB");
			continue;
		}
		/* The library's NBLs: the protocol can neither send nor free them. */
		if (condis_nbl_free(nbl) != -EBUSY)
			RX_ERR("a looped NBL could be freed");
		if (condis_co_send_nbls(tv->vc, nbl, 0) != -EBUSY)
			RX_ERR("a looped NBL could be sent");
		if (n_rx >= MAX_RX || nb->data_length > MAX_FRAME_REC) {
			RX_ERR("too many or too long");
			continue;
		}
		r = &rx[n_rx++];
		r->tv = tv;
		r->len = nb->data_length;
		r->nbl_flags = nbl->flags;
		r->vlan_info = nbl->info[CONDIS_NBL_INFO_IEEE8021Q];
		nb_read(nb, r->data);
	}
	if (n != count)
		RX_ERR("count %u, chain of %u", count, n);
	/* Send from the handler (reentrancy): one prepared NBL per call. */
	if (rx_n_resend > 0) {
		struct condis_nbl *again = rx_resend[--rx_n_resend];

		if (loop_send(tv, again) != 0)
			RX_ERR("send from co_receive refused");
	}
}

static void
rx_b(void *ctx, struct condis_nbl *chain, uint32_t count, uint32_t flags)
{
	(void)ctx;
	(void)chain;
	(void)count;
	(void)flags;
	rx_calls_b++;
}

/* tu_send() with the loopback flag. */
static int
loop_send(struct tu_vc *tv, struct condis_nbl *chain)
{
	return tu_send_flags(tv, chain, CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK);
}

/* ---- the frames ---- */

/*
 * F0 directed to the adapter, 100 B; F1 unicast elsewhere, 64 B; F2
 * broadcast, 60 B; F3 multicast in the list, 200 B; F4 multicast not in it,
 * 80 B, with an 802.1Q OOB value; F5 directed, 1000 B over 3 MDLs (where the
 * device takes them); F6 broadcast, 20 B (padded on the wire, not in the
 * copy); F7 10 B, no 802.3 header: never looped.
 */
#define NFRAMES 8
static const uint32_t frame_len[NFRAMES] = { 100, 64, 60, 200, 80, 1000, 20, 10 };
static uint8_t frame[NFRAMES][MAX_FRAME_REC];
static struct rte_ether_addr own_mac;
#define VLAN_INFO_F4 ((uintptr_t)0x1235)

enum { M_F0 = 1, M_F1 = 2, M_F2 = 4, M_F3 = 8, M_F4 = 16, M_F5 = 32, M_F6 = 64, M_F7 = 128 };

static void
frames_make(void)
{
	const struct rte_ether_addr *dst[NFRAMES] = {
		&own_mac, &other_uc, &bcast, &mc_in, &mc_out, &own_mac, &bcast, &bcast,
	};
	unsigned int f, i;

	for (f = 0; f < NFRAMES; f++) {
		for (i = 0; i < frame_len[f]; i++)
			frame[f][i] = (uint8_t)(f * 31 + i * 7 + 1);
		memcpy(frame[f], dst[f], RTE_MIN(frame_len[f], 6u));
	}
}

struct chain {
	struct condis_nbl *nbl[6];
	bool own_nbs[6];
};

static struct condis_nb *
nb_of(struct tu_pools *tp, unsigned int f, unsigned int nsegs)
{
	struct condis_nb *nb = tu_multi_nb(tp, frame_len[f], nsegs, 0, f);

	if (nb != NULL)
		nb_write(nb, frame[f]);
	return nb;
}

static struct condis_nbl *
data_nbl_of(struct tu_pools *tp, unsigned int f)
{
	struct condis_nbl *nbl = tu_data_nbl(tp, frame_len[f], 0, f);

	if (nbl != NULL)
		nb_write(nbl->first_nb, frame[f]);
	return nbl;
}

/* NBL0 = F0; NBL1 = F1, F2, F3 (three NBs); NBL2 = F4 (802.1Q OOB);
 * NBL3 = F5 (3 MDLs); NBL4 = F6; NBL5 = F7. Linked in that order. */
static bool
chain_make(struct chain *c, struct tu_pools *tp)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->nbl[0] = data_nbl_of(tp, 0);
	c->nbl[1] = condis_nbl_alloc(tp->bare);
	c->own_nbs[1] = true;
	c->nbl[2] = data_nbl_of(tp, 4);
	c->nbl[3] = condis_nbl_alloc(tp->bare);
	c->own_nbs[3] = true;
	c->nbl[4] = data_nbl_of(tp, 6);
	c->nbl[5] = data_nbl_of(tp, 7);
	for (i = 0; i < 6; i++)
		if (c->nbl[i] == NULL)
			return false;
	c->nbl[1]->first_nb = nb_of(tp, 1, 1);
	if (c->nbl[1]->first_nb == NULL)
		return false;
	c->nbl[1]->first_nb->next = nb_of(tp, 2, 2);
	if (c->nbl[1]->first_nb->next == NULL)
		return false;
	c->nbl[1]->first_nb->next->next = nb_of(tp, 3, 1);
	if (c->nbl[1]->first_nb->next->next == NULL)
		return false;
	c->nbl[2]->info[CONDIS_NBL_INFO_IEEE8021Q] = VLAN_INFO_F4;
	c->nbl[3]->first_nb = nb_of(tp, 5, 3);
	return c->nbl[3]->first_nb != NULL;
}

static struct condis_nbl *
chain_link(struct chain *c)
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		c->nbl[i]->next = i + 1 < 6 ? c->nbl[i + 1] : NULL;
		c->nbl[i]->source_handle = NULL; /* stamped with the VC it goes on */
	}
	return c->nbl[0];
}

static void
chain_free(struct chain *c)
{
	unsigned int i;

	for (i = 0; i < 6; i++)
		if (c->nbl[i] != NULL)
			tu_free_nbl(c->nbl[i], c->own_nbs[i]);
}

/* The frames of mask were indicated, in order, byte for byte, on tv. */
static bool
rx_is(unsigned int mask, struct tu_vc *tv)
{
	unsigned int f, k = 0;

	for (f = 0; f < NFRAMES; f++) {
		if (!(mask & (1u << f)))
			continue;
		if (k >= n_rx) {
			fprintf(stderr, "frame F%u not indicated (%u indicated)\n", f, n_rx);
			return false;
		}
		if (rx[k].tv != tv || rx[k].len != frame_len[f] ||
		    memcmp(rx[k].data, frame[f], frame_len[f]) != 0 ||
		    rx[k].nbl_flags != CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET ||
		    rx[k].vlan_info != (f == 4 ? VLAN_INFO_F4 : 0)) {
			fprintf(stderr, "indication %u is not F%u (len %u, flags 0x%x, vc %d)\n",
				k, f, rx[k].len, rx[k].nbl_flags, rx[k].tv ? rx[k].tv->id : -1);
			return false;
		}
		k++;
	}
	if (k != n_rx) {
		fprintf(stderr, "%u indicated, %u expected\n", n_rx, k);
		return false;
	}
	return true;
}

/* ---- cases ---- */

struct fixture {
	struct condis_adapter *ad;
	struct tu_vc a1, a2, b1;
	struct chain c;
};
static struct fixture fx;
static struct tu_pools pools; /* shared by the cases (pools are never freed) */

static void
fx_setup(void)
{
	uint16_t port = ports[next_port++ % NPORTS];

	tu_reset();
	rx_reset();
	memset(&fx, 0, sizeof(fx));
	fx.ad = tu_open(port, 1);
	CHECK(fx.ad != NULL);
	tu_max_segs = tu_max_pieces(fx.ad);
	if (tu_on_sim())
		own_mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x01 } };
	else
		CHECK_EQ(rte_eth_macaddr_get(port, &own_mac), 0);
	frames_make();
	CHECK(tu_vc_up(&fx.a1, 0, proto_a, fx.ad, 0));
	CHECK(tu_vc_up(&fx.a2, 1, proto_a, fx.ad, 0));
	CHECK(tu_vc_up(&fx.b1, 2, proto_b, fx.ad, 0));
	CHECK(chain_make(&fx.c, &pools));
	/* The other binding accepts everything: it must still see nothing. */
	CHECK_EQ(condis_binding_set_packet_filter(proto_b, fx.ad, CONDIS_PACKET_TYPE_PROMISCUOUS), 0);
}

static void
fx_teardown(void)
{
	if (fx.ad != NULL) {
		tu_poll_until_done(fx.ad, 100000);
		tu_close(fx.ad);
	}
	chain_free(&fx.c);
	fx.ad = NULL;
}

/* Send the chain on tv with or without the flag, poll it home: every NBL
 * SUCCESS but F7's? (F7 is 10 bytes: padded, so SUCCESS too.) */
static bool
send_and_drain(struct tu_vc *tv, bool flag)
{
	unsigned int first = tu_n_tracks, i;
	int rc = flag ? loop_send(tv, chain_link(&fx.c)) : tu_send(tv, chain_link(&fx.c));

	if (rc != 0) {
		fprintf(stderr, "send: %d\n", rc);
		return false;
	}
	if (!tu_poll_until_done(fx.ad, 100000)) {
		fprintf(stderr, "sends did not complete\n");
		return false;
	}
	for (i = first; i < tu_n_tracks; i++)
		if (tu_tracks[i].completions != 1 || tu_tracks[i].status != CONDIS_STATUS_SUCCESS) {
			fprintf(stderr, "NBL %u: %d completions, status 0x%x\n", i - first,
				tu_tracks[i].completions, (unsigned int)tu_tracks[i].status);
			return false;
		}
	return tu_cb_errors == 0;
}

/* spec 82: no loopback by default, nor with a filter of 0 */
static void
test_default_none(void)
{
	struct condis_vc_stats st;

	/* A filter that accepts everything, but no flag: nothing. */
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_PROMISCUOUS), 0);
	CHECK(send_and_drain(&fx.a1, false));
	CHECK_EQ(rx_calls, 0);
	/* The flag, and filter 0 (the default): nothing. */
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, 0), 0);
	CHECK_EQ(condis_binding_packet_filter(proto_a, fx.ad), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK_EQ(rx_calls, 0);
	CHECK_EQ(rx_calls_b, 0);
	CHECK_EQ(condis_vc_stats_get(fx.a1.vc, &st), 0);
	CHECK_EQ(st.loopback_nbs, 0);
	CHECK_EQ(st.loopback_dropped, 0);
	CHECK_EQ(rx_err, 0);
}

/* spec 82, 84: directed, broadcast, listed multicast: exactly those, on the sending VC */
static void
test_filter_match(void)
{
	struct condis_vc_stats st;
	unsigned int expect = M_F0 | M_F2 | M_F3 | M_F5 | M_F6;

	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_DIRECTED |
						  CONDIS_PACKET_TYPE_BROADCAST |
						  CONDIS_PACKET_TYPE_MULTICAST), 0);
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, &mc_in, 1), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK_EQ(rx_calls, 1); /* one indication per send */
	CHECK(rx_is(expect, &fx.a1));
	CHECK_EQ(rx_calls_b, 0); /* the other binding: nothing */
	CHECK_EQ(condis_vc_stats_get(fx.a1.vc, &st), 0);
	CHECK_EQ(st.loopback_nbs, 5);
	CHECK_EQ(st.loopback_dropped, 0);
	CHECK_EQ(st.nbls_completed, 6);
	CHECK_EQ(st.nbls_failed, 0);
	/* The same on the binding's other VC: indicated there, not on a1. */
	rx_reset();
	CHECK(send_and_drain(&fx.a2, true));
	CHECK(rx_is(expect, &fx.a2));
	/* Multicast with an empty list: no multicast. */
	rx_reset();
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, NULL, 0), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK(rx_is(M_F0 | M_F2 | M_F5 | M_F6, &fx.a1));
	/* Directed only. */
	rx_reset();
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_DIRECTED), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK(rx_is(M_F0 | M_F5, &fx.a1));
	/* The other protocol sending with the flag sees its own, a's nothing. */
	rx_reset();
	CHECK(send_and_drain(&fx.b1, true));
	CHECK_EQ(rx_calls, 0);
	CHECK_EQ(rx_calls_b, 1);
	CHECK_EQ(rx_err, 0);
	CHECK_EQ(tu_cb_errors, 0);
}

/* spec 84: all multicast, promiscuous, all local */
static void
test_filter_wide(void)
{
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_ALL_MULTICAST), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK(rx_is(M_F3 | M_F4, &fx.a1)); /* broadcast is not multicast to a filter */
	rx_reset();
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_PROMISCUOUS), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK(rx_is(0x7f, &fx.a1)); /* all but F7 (no header) */
	rx_reset();
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_ALL_LOCAL), 0);
	CHECK(send_and_drain(&fx.a1, true));
	CHECK(rx_is(0x7f, &fx.a1));
	CHECK_EQ(rx_calls_b, 0);
	CHECK_EQ(rx_err, 0);
}

/* spec 82: the completion does not depend on the indication; a handler that sends */
static void
test_reentry_and_depth(void)
{
	struct condis_nbl *extra[CONDIS_LOOPBACK_MAX_DEPTH];
	struct condis_vc_stats st;
	unsigned int i;

	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_BROADCAST), 0);
	/* F2 alone; each indication sends one more broadcast from co_receive,
	 * with loopback: nested to CONDIS_LOOPBACK_MAX_DEPTH, then dropped. */
	for (i = 0; i < RTE_DIM(extra); i++) {
		extra[i] = data_nbl_of(&pools, 2);
		CHECK(extra[i] != NULL);
		rx_resend[i] = extra[i];
	}
	rx_n_resend = RTE_DIM(extra);
	fx.c.nbl[0]->next = NULL;
	memcpy(frame[0], bcast.addr_bytes, 6); /* F0 broadcast now */
	nb_write(fx.c.nbl[0]->first_nb, frame[0]);
	CHECK_EQ(loop_send(&fx.a1, fx.c.nbl[0]), 0);
	CHECK(tu_poll_until_done(fx.ad, 100000));
	CHECK_EQ(rx_calls, CONDIS_LOOPBACK_MAX_DEPTH);
	CHECK_EQ(n_rx, CONDIS_LOOPBACK_MAX_DEPTH);
	CHECK_EQ(rx_n_resend, 0); /* the deepest send was made, and not looped */
	CHECK_EQ(tu_n_tracks, CONDIS_LOOPBACK_MAX_DEPTH + 1);
	for (i = 0; i < tu_n_tracks; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(condis_vc_stats_get(fx.a1.vc, &st), 0);
	CHECK_EQ(st.loopback_nbs, CONDIS_LOOPBACK_MAX_DEPTH);
	CHECK_EQ(st.loopback_dropped, 1);
	for (i = 0; i < RTE_DIM(extra); i++)
		CHECK_EQ(tu_free_nbl(extra[i], false), 0);
	CHECK_EQ(rx_err, 0);
	CHECK_EQ(tu_cb_errors, 0);
}

/* spec 82: an empty loopback pool drops looped copies, never the send */
static void
test_pool_exhausted(void)
{
	enum { N = CONDIS_LOOPBACK_NBLS + 24 };
	static struct condis_nbl *nbls[N];
	struct condis_vc_stats st;
	unsigned int i;

	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_BROADCAST), 0);
	for (i = 0; i < N; i++) {
		nbls[i] = data_nbl_of(&pools, 2);
		CHECK(nbls[i] != NULL);
		if (i > 0)
			nbls[i - 1]->next = nbls[i];
	}
	CHECK_EQ(loop_send(&fx.a1, nbls[0]), 0);
	CHECK(tu_poll_until_done(fx.ad, 100000));
	CHECK_EQ(n_rx, CONDIS_LOOPBACK_NBLS);
	CHECK_EQ(tu_n_tracks, N);
	for (i = 0; i < N; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(condis_vc_stats_get(fx.a1.vc, &st), 0);
	CHECK_EQ(st.loopback_nbs, CONDIS_LOOPBACK_NBLS);
	CHECK_EQ(st.loopback_dropped, 24);
	CHECK_EQ(st.nbls_failed, 0);
	/* The pool came back whole: the next send loops again. */
	rx_reset();
	nbls[0]->next = NULL;
	CHECK_EQ(loop_send(&fx.a1, nbls[0]), 0);
	CHECK(tu_poll_until_done(fx.ad, 100000));
	CHECK_EQ(n_rx, 1);
	for (i = 0; i < N; i++)
		CHECK_EQ(tu_free_nbl(nbls[i], false), 0);
	CHECK_EQ(rx_err, 0);
	CHECK_EQ(tu_cb_errors, 0);
}

/* spec 34, 82: a VC that carries no data loops nothing */
static void
test_inactive_vc(void)
{
	struct tu_vc tv;
	unsigned int first = tu_n_tracks;

	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_PROMISCUOUS), 0);
	tu_vc_init(&tv, 3);
	tv.vc = condis_vc_create(proto_a, fx.ad, &tv);
	CHECK(tv.vc != NULL);
	CHECK_EQ(loop_send(&tv, chain_link(&fx.c)), 0);
	CHECK(tu_poll_until_done(fx.ad, 100000));
	CHECK_EQ(tu_tracks[first].status, CONDIS_STATUS_VC_NOT_ACTIVATED);
	CHECK_EQ(rx_calls, 0);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	/* An NBL with another VC's SourceHandle completes FAILURE (spec 46):
	 * not looped; the rest of the chain is. */
	first = tu_n_tracks;
	chain_link(&fx.c);
	fx.c.nbl[0]->source_handle = fx.a2.vc;
	CHECK_EQ(loop_send(&fx.a1, fx.c.nbl[0]), 0);
	CHECK(tu_poll_until_done(fx.ad, 100000));
	CHECK_EQ(tu_tracks[first].status, CONDIS_STATUS_FAILURE);
	CHECK_EQ(tu_tracks[first + 1].status, CONDIS_STATUS_SUCCESS);
	CHECK(rx_is(0x7e, &fx.a1));
	CHECK_EQ(rx_err, 0);
	CHECK_EQ(tu_cb_errors, 0);
}

/* API errors (spec 121 values) */
static void
test_api(void)
{
	struct rte_ether_addr many[CONDIS_MULTICAST_LIST_MAX + 1];
	unsigned int i;

	CHECK_EQ(condis_binding_set_packet_filter(NULL, fx.ad, 1), -EINVAL);
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, NULL, 1), -EINVAL);
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, 0x10), -ENOTSUP); /* SOURCE_ROUTING */
	CHECK_EQ(condis_binding_packet_filter(proto_a, fx.ad), 0);
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, fx.ad, CONDIS_PACKET_TYPE_DIRECTED), 0);
	CHECK_EQ(condis_binding_packet_filter(proto_a, fx.ad), CONDIS_PACKET_TYPE_DIRECTED);
	CHECK_EQ(condis_binding_packet_filter(proto_b, fx.ad), CONDIS_PACKET_TYPE_PROMISCUOUS);
	for (i = 0; i < RTE_DIM(many); i++)
		many[i] = mc_in;
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, many, RTE_DIM(many)), -ENOSPC);
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, many, RTE_DIM(many) - 1), 0);
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, &other_uc, 1), -EINVAL);
	CHECK_EQ(condis_binding_set_multicast_list(proto_a, fx.ad, NULL, 1), -EINVAL);
}

/* spec 83: a device that loops frames itself: the library does not */
static void
test_device_loops(void)
{
	struct condis_sim_params sp;
	struct condis_adapter *ad;
	struct tu_vc tv;
	struct condis_nbl *nbl;
	struct condis_vc_stats st;

	tu_sim_params(&sp, 1);
	sp.device_loopback = true;
	ad = tu_sim_open(&sp);
	CHECK(ad != NULL);
	CHECK(tu_vc_up(&tv, 4, proto_a, ad, 0));
	CHECK_EQ(condis_binding_set_packet_filter(proto_a, ad, CONDIS_PACKET_TYPE_PROMISCUOUS), 0);
	nbl = data_nbl_of(&pools, 2);
	CHECK(nbl != NULL);
	CHECK_EQ(loop_send(&tv, nbl), 0);
	CHECK(tu_poll_until_done(ad, 100000));
	CHECK_EQ(tu_track_of(nbl)->status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(rx_calls, 0);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.loopback_nbs + st.loopback_dropped, 0);
	tu_close(ad);
	CHECK_EQ(tu_free_nbl(nbl, false), 0);
	CHECK_EQ(tu_cb_errors, 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "no flag, or filter 0: nothing looped (spec 82)", test_default_none,
		  fx_setup, fx_teardown },
		{ "directed, broadcast, listed multicast: exactly those, sending VC only (spec 82, 84)",
		  test_filter_match, fx_setup, fx_teardown },
		{ "all multicast, promiscuous, all local (spec 84)", test_filter_wide,
		  fx_setup, fx_teardown },
		{ "co_receive sends: nested to the depth bound, sends complete once (spec 82)",
		  test_reentry_and_depth, fx_setup, fx_teardown },
		{ "empty loopback pool drops copies, never sends (spec 82)", test_pool_exhausted,
		  fx_setup, fx_teardown },
		{ "NBLs the library refuses are not looped: inactive VC, foreign SourceHandle "
		  "(spec 34, 46, 82)", test_inactive_vc, fx_setup, fx_teardown },
		{ "filter and multicast list calls", test_api, fx_setup, fx_teardown },
		{ "a device without NO_LOOPBACK: the library loops nothing (spec 83)",
		  test_device_loops, fx_setup, fx_teardown },
	};
	unsigned int i;

	(void)argc;
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", "net_null1", "net_null2",
						    "net_null3", "net_null4", "net_null5",
						    "net_null6", "net_null7", NULL }) < 0)
		return 1;
	for (i = 0; i < NPORTS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "net_null%u", i);
		if (tu_port(name, &ports[i]) != 0)
			return 1;
	}
	ops_a = tu_ops;
	ops_a.co_receive = rx_a;
	ops_b = tu_ops;
	ops_b.co_receive = rx_b;
	if (!tu_pools_create(&pools, 320))
		return 1;
	proto_a = condis_protocol_register("func_loopback_a", &ops_a);
	proto_b = condis_protocol_register("func_loopback_b", &ops_b);
	if (proto_a == NULL || proto_b == NULL)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
