/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Close, resend and shared buffers on net_ring (mbufs stay in the ring until
 * the test frees them): regressions from a review of the exactly-once
 * invariant (spec 60-67).
 */
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

static int completions, resends;
static condis_status_t last_status;
static struct condis_vc *resend_vc;
static int resend_rc = 1;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	(void)ctx;
	(void)flags;
	for (struct condis_nbl *n = chain, *next; n != NULL; n = next) {
		next = n->next;
		completions++;
		last_status = n->status;
		if (resend_vc != NULL && resends++ == 0) {
			/* A protocol that recycles at once. */
			n->next = NULL;
			resend_rc = condis_co_send_nbls(resend_vc, n, 0);
		}
	}
}

static const struct condis_protocol_ops ops = { .co_send_complete = on_complete };

/* An adapter over two fresh rings; *tx is the ring the PMD transmits into. */
static struct condis_adapter *
ring_adapter(const char *name, struct rte_ring **tx)
{
	char b[32];
	struct rte_ring *rx;
	struct condis_ethdev_params p = { 0 };
	int port;

	snprintf(b, sizeof(b), "%s_rx", name);
	rx = rte_ring_create(b, 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(b, sizeof(b), "%s_tx", name);
	*tx = rte_ring_create(b, 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	port = tu_eth_from_rings(name, &rx, 1, tx, 1, SOCKET_ID_ANY);
	if (rx == NULL || *tx == NULL || port < 0)
		return NULL;
	p.port_id = (uint16_t)port;
	return tu_ethdev_open(&p);
}

static struct condis_vc *
active_vc(struct condis_protocol *pr, struct condis_adapter *ad)
{
	struct condis_call_params cp = { .tx_queue = CONDIS_TXQ_AUTO };
	struct condis_vc *vc = condis_vc_create(pr, ad, NULL);

	if (vc != NULL && condis_vc_activate(vc, &cp) != CONDIS_STATUS_SUCCESS)
		return NULL;
	return vc;
}

static void
drain(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

/* A resend from the completion handler during close is refused, not lost. */
static void
test_close_refuses_resend(void)
{
	struct condis_nbl_pool_params pp = { .name = "cl1", .count = 4, .data_size = 100 };
	struct condis_protocol *pr = condis_protocol_register("cl1", &ops);
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&pp);
	struct rte_ring *tx;
	struct condis_adapter *ad = ring_adapter("cl1", &tx);
	struct condis_vc *vc = active_vc(pr, ad);
	struct condis_nbl *nbl;

	CHECK(pr != NULL && pool != NULL && ad != NULL && vc != NULL);
	nbl = condis_nbl_alloc(pool);
	CHECK(nbl != NULL);
	completions = resends = 0;
	resend_vc = vc;
	CHECK_EQ(condis_co_send_nbls(vc, nbl, 0), 0);
	condis_adapter_close(ad);
	resend_vc = NULL;
	CHECK_EQ(completions, 1);
	CHECK_EQ(last_status, CONDIS_STATUS_PAUSED);
	CHECK_EQ(resend_rc, -ESHUTDOWN);
	CHECK_EQ(nbl->owner, CONDIS_NBL_OWNER_PROTOCOL);
	drain(tx); /* the old ring's late free is absorbed */
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(pr), 0);
}

/* After close, a buffer an old ring still holds is not handed to a new device:
 * the resend is copied, and the old ring's late free completes nothing. */
static void
test_resend_after_close_no_reuse(void)
{
	struct condis_nbl_pool_params pp = { .name = "cl2", .count = 4, .data_size = 100 };
	struct condis_protocol *pr = condis_protocol_register("cl2", &ops);
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&pp);
	struct rte_ring *txa, *txb;
	struct condis_adapter *a = ring_adapter("cl2a", &txa), *b = ring_adapter("cl2b", &txb);
	struct condis_vc *va = active_vc(pr, a), *vb = active_vc(pr, b);
	struct rte_mbuf *ma = NULL, *mb = NULL;
	struct condis_nbl *nbl;

	CHECK(pr != NULL && pool != NULL && va != NULL && vb != NULL);
	nbl = condis_nbl_alloc(pool);
	CHECK(nbl != NULL);
	memset(condis_nb_first_byte(nbl->first_nb), 0x11, 100);
	completions = 0;
	CHECK_EQ(condis_co_send_nbls(va, nbl, 0), 0);
	condis_adapter_close(a); /* ring A keeps the mbuf */
	CHECK_EQ(completions, 1);
	CHECK_EQ(last_status, CONDIS_STATUS_PAUSED);
	nbl->source_handle = NULL;
	CHECK_EQ(condis_co_send_nbls(vb, nbl, 0), 0);
	CHECK_EQ(rte_ring_count(txa), 1);
	CHECK_EQ(rte_ring_count(txb), 1);
	CHECK_EQ(rte_ring_dequeue(txa, (void **)&ma), 0);
	CHECK_EQ(rte_ring_dequeue(txb, (void **)&mb), 0);
	CHECK(ma != mb);
	CHECK_EQ(rte_pktmbuf_data_len(mb), 100);
	CHECK_EQ(*rte_pktmbuf_mtod(mb, uint8_t *), 0x11);
	rte_pktmbuf_free(ma); /* the late free from the closed device */
	condis_poll(b, 0);
	CHECK_EQ(completions, 1); /* nothing completed early */
	rte_pktmbuf_free(mb);
	condis_poll(b, 0);
	CHECK_EQ(completions, 2);
	CHECK_EQ(last_status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_deactivate(vb), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(b);
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_protocol_deregister(pr), 0);
}

/* Two NBs of one NBL over one MDL (as a clone with the original MDLs makes):
 * both frames go out, the NBL completes SUCCESS (the second is copied). */
static void
test_nbs_sharing_an_mdl(void)
{
	struct condis_mdl_pool_params mp = { .name = "cl3m", .count = 4, .data_size = 512 };
	struct condis_nb_pool_params np = { .name = "cl3n", .count = 4 };
	struct condis_nbl_pool_params pp = { .name = "cl3", .count = 4 };
	struct condis_protocol *pr = condis_protocol_register("cl3", &ops);
	struct condis_mdl_pool *mpool = condis_mdl_pool_create(&mp);
	struct condis_nb_pool *nbp = condis_nb_pool_create(&np);
	struct condis_nbl_pool *pool = condis_nbl_pool_create(&pp);
	struct rte_ring *tx;
	struct condis_adapter *ad = ring_adapter("cl3", &tx);
	struct condis_vc *vc = active_vc(pr, ad);
	struct rte_mbuf *m[2];
	struct condis_nbl *nbl;
	struct condis_mdl *mdl;
	uint8_t *p;
	int i;

	CHECK(pr && mpool && nbp && pool && ad && vc);
	mdl = condis_mdl_alloc_data(mpool, 200);
	nbl = condis_nbl_alloc(pool);
	CHECK(mdl != NULL && nbl != NULL);
	for (p = mdl->va, i = 0; i < 200; i++)
		p[i] = (uint8_t)i;
	nbl->first_nb = condis_nb_alloc(nbp, mdl, 0, 100);
	CHECK(nbl->first_nb != NULL);
	nbl->first_nb->next = condis_nb_alloc(nbp, mdl, 100, 100);
	CHECK(nbl->first_nb->next != NULL);
	completions = 0;
	CHECK_EQ(condis_co_send_nbls(vc, nbl, 0), 0);
	condis_poll(ad, 0);
	CHECK_EQ(rte_ring_count(tx), 2);
	CHECK_EQ(completions, 0); /* the ring holds both */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(rte_ring_dequeue(tx, (void **)&m[i]), 0);
		CHECK_EQ(rte_pktmbuf_data_len(m[i]), 100);
		CHECK_EQ(*rte_pktmbuf_mtod(m[i], uint8_t *), i * 100); /* wire order, right bytes */
	}
	rte_pktmbuf_free(m[0]);
	rte_pktmbuf_free(m[1]);
	condis_poll(ad, 0);
	CHECK_EQ(completions, 1);
	CHECK_EQ(last_status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(ad);
	CHECK_EQ(condis_nb_free(nbl->first_nb->next), 0);
	CHECK_EQ(condis_nb_free(nbl->first_nb), 0);
	nbl->first_nb = NULL;
	CHECK_EQ(condis_nbl_free(nbl), 0);
	CHECK_EQ(condis_mdl_free(mdl), 0);
	CHECK_EQ(condis_nbl_pool_free(pool), 0);
	CHECK_EQ(condis_nb_pool_free(nbp), 0);
	CHECK_EQ(condis_mdl_pool_free(mpool), 0);
	CHECK_EQ(condis_protocol_deregister(pr), 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "close refuses a resend from the completion handler (spec 60)",
		  test_close_refuses_resend, tu_need_net_ring },
		{ "after close, a buffer still in the old ring is not reused (spec 67)",
		  test_resend_after_close_no_reuse, tu_need_net_ring },
		{ "two NBs of one NBL over one MDL both go out (spec 20, 61, 74)",
		  test_nbs_sharing_an_mdl, tu_need_net_ring },
	};

	(void)argc;
	if (condis_test_eal_init(argv[0], NULL) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
