/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit: protocols and the VC lifecycle on a net_null adapter (spec 31-44).
 */
#include <string.h>

#include <rte_mbuf.h> /* condis_miniport.h uses struct rte_mbuf without including it */

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_miniport.h>

#include "condis_test.h"
#include "tutil.h"

static struct condis_adapter *ad;   /* net_null0, 2 queues */
static struct condis_protocol *proto;
static struct tu_pools tp;

static void noop_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	(void)ctx; (void)chain; (void)flags;
}

/* protocol register / deregister */
static void
test_protocol_register(void)
{
	struct condis_protocol_ops ops = { 0 };
	struct condis_protocol *p;
	struct tu_vc tv;

	rte_errno = 0;
	CHECK(condis_protocol_register("bad", NULL) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	rte_errno = 0;
	CHECK(condis_protocol_register("bad", &ops) == NULL); /* no co_send_complete */
	CHECK_EQ(rte_errno, EINVAL);
	ops.co_send_complete = noop_complete;
	p = condis_protocol_register("p1", &ops);
	CHECK(p != NULL);
	/* deregister with a VC: -EBUSY */
	tu_reset();
	tu_vc_init(&tv, 0);
	tv.vc = condis_vc_create(p, ad, &tv);
	CHECK(tv.vc != NULL);
	CHECK_EQ(condis_protocol_deregister(p), -EBUSY);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_protocol_deregister(p), 0);
}

/* spec 31, 33: create */
static void
test_vc_create(void)
{
	struct tu_vc tv;
	struct condis_vc *vcs[3];
	struct condis_adapter *small;
	struct condis_ethdev_params p;
	uint16_t port;
	struct condis_protocol_ops ops = { .co_send_complete = noop_complete };
	struct condis_protocol *p2;

	tu_reset();
	tu_vc_init(&tv, 0);
	rte_errno = 0;
	CHECK(condis_vc_create(NULL, ad, &tv) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	rte_errno = 0;
	CHECK(condis_vc_create(proto, NULL, &tv) == NULL);
	CHECK_EQ(rte_errno, EINVAL);
	tv.vc = condis_vc_create(proto, ad, &tv);
	CHECK(tv.vc != NULL);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_CREATED);
	CHECK(condis_vc_miniport_ctx(tv.vc) != NULL); /* spec 33: miniport VC context */
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(NULL), CONDIS_VC_DELETED);

	/* spec 31: VC table full -> ENOSPC */
	CHECK_EQ(tu_port("net_null1", &port), 0);
	memset(&p, 0, sizeof(p));
	p.port_id = port;
	p.max_vcs = 2;
	small = tu_ethdev_open(&p);
	CHECK(small != NULL);
	p2 = condis_protocol_register("p2", &ops);
	CHECK(p2 != NULL);
	vcs[0] = condis_vc_create(p2, small, NULL);
	vcs[1] = condis_vc_create(p2, small, NULL);
	CHECK(vcs[0] != NULL && vcs[1] != NULL);
	rte_errno = 0;
	vcs[2] = condis_vc_create(p2, small, NULL);
	CHECK(vcs[2] == NULL);
	CHECK_EQ(rte_errno, ENOSPC);
	/* a slot freed by delete is reusable */
	CHECK_EQ(condis_vc_delete(vcs[1]), CONDIS_STATUS_SUCCESS);
	vcs[1] = condis_vc_create(p2, small, NULL);
	CHECK(vcs[1] != NULL);
	condis_adapter_close(small); /* deletes every VC */
	CHECK_EQ(condis_protocol_deregister(p2), 0);
}

/* spec 34-36, 39: activation, bad parameters, reactivation */
static void
test_vc_activate(void)
{
	struct tu_vc tv;
	struct condis_call_params cp = { .user_priority = 0, .tx_queue = 1 };
	struct condis_call_params bad;
	struct condis_nbl *nbl;
	uint16_t nq = condis_adapter_tx_queues(ad);

	CHECK_EQ(nq, 2);
	tu_reset();
	tu_vc_init(&tv, 0);
	tv.vc = condis_vc_create(proto, ad, &tv);
	CHECK(tv.vc != NULL);

	/* spec 35: INVALID_DATA for parameters not supported; state unchanged */
	bad = cp;
	bad.user_priority = 8;
	CHECK_EQ(condis_vc_activate(tv.vc, &bad), CONDIS_STATUS_INVALID_DATA);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_CREATED);
	bad = cp;
	bad.tx_queue = nq;
	CHECK_EQ(condis_vc_activate(tv.vc, &bad), CONDIS_STATUS_INVALID_DATA);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_CREATED);

	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_ACTIVE);
	CHECK_EQ(condis_vc_tx_queue(tv.vc), 1);

	/* spec 36: a failed reactivation keeps the old parameters ... */
	bad = cp;
	bad.tx_queue = 0;
	bad.user_priority = 9;
	CHECK_EQ(condis_vc_activate(tv.vc, &bad), CONDIS_STATUS_INVALID_DATA);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_ACTIVE);
	CHECK_EQ(condis_vc_tx_queue(tv.vc), 1);
	/* ... and the VC still sends */
	nbl = tu_data_nbl(&tp, 100, 0, 0);
	CHECK(nbl != NULL);
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);

	/* spec 36: a successful reactivation changes them */
	cp.tx_queue = 0;
	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_tx_queue(tv.vc), 0);
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_SUCCESS);

	/* AUTO picks a queue of the adapter */
	cp.tx_queue = CONDIS_TXQ_AUTO;
	cp.user_priority = 7;
	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK(condis_vc_tx_queue(tv.vc) < nq);

	/* spec 37, 39: deactivate, then reactivate with new parameters */
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_INACTIVE);
	cp.tx_queue = 1;
	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_ACTIVE);
	CHECK_EQ(condis_vc_tx_queue(tv.vc), 1);
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[2].status, CONDIS_STATUS_SUCCESS);

	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	/* a deleted VC can't be activated */
	CHECK_EQ(tu_tracks[0].completions + tu_tracks[1].completions + tu_tracks[2].completions, 3);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
}

/* spec 37, 41, 44: deactivate / delete rules without sends in flight */
static void
test_vc_deactivate_delete(void)
{
	struct tu_vc tv;
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl *nbl;

	tu_reset();
	tu_vc_init(&tv, 0);
	tv.vc = condis_vc_create(proto, ad, &tv);
	CHECK(tv.vc != NULL);
	/* deactivating a never-activated VC fails */
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_FAILURE);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_CREATED);

	/* spec 44: send before activation completes at once with VC_NOT_ACTIVATED */
	nbl = tu_data_nbl(&tp, 64, 0, 0);
	CHECK(nbl != NULL);
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK(tu_tracks[0].inline_done);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_VC_NOT_ACTIVATED);

	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	/* spec 41: delete of an active VC: NOT_ACCEPTED, VC unchanged */
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_NOT_ACCEPTED);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_ACTIVE);
	/* spec 37: nothing in flight: SUCCESS, inactive, no callback */
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_INACTIVE);
	CHECK_EQ(tv.deact_calls, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_FAILURE); /* not active */
	/* spec 44: after deactivation: VC_NOT_ACTIVATED, inline */
	CHECK_EQ(tu_send1(&tv, nbl), 0);
	CHECK_EQ(tu_tracks[1].completions, 1);
	CHECK(tu_tracks[1].inline_done);
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_VC_NOT_ACTIVATED);
	/* spec 41-42 */
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(NULL), CONDIS_STATUS_FAILURE);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_nbl_free(nbl), 0);
}

/* spec 38, 41, 44: deactivation pending while sends are in flight */
static void
test_vc_deactivate_pending(void)
{
	struct tu_vc tv;
	struct condis_call_params cp = { .tx_queue = 0 };
	struct condis_nbl *nbl[4], *late;
	struct condis_vc_stats st;
	unsigned int i;

	tu_reset();
	tu_vc_init(&tv, 0);
	tv.vc = condis_vc_create(proto, ad, &tv);
	CHECK(tv.vc != NULL);
	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_SUCCESS);
	for (i = 0; i < 4; i++) {
		nbl[i] = tu_data_nbl(&tp, 100, 0, i);
		CHECK(nbl[i] != NULL);
		nbl[i]->next = i ? NULL : NULL;
	}
	for (i = 0; i < 3; i++)
		nbl[i]->next = nbl[i + 1];
	CHECK_EQ(tu_send(&tv, nbl[0]), 0);
	/* completion is delivered in condis_poll() (condis_vc.h) */
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.nbls_sent, 4);
	CHECK_EQ(st.in_flight, 4);

	/* spec 38: sends in flight -> PENDING */
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_PENDING);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_DEACTIVATING);
	/* spec 41: delete while pending -> CLOSING */
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_CLOSING);
	/* activation of a deactivating VC fails (condis_vc.h) */
	CHECK_EQ(condis_vc_activate(tv.vc, &cp), CONDIS_STATUS_FAILURE);
	/* spec 44: a send while pending completes at once with CLOSING */
	late = tu_data_nbl(&tp, 100, 0, 99);
	CHECK(late != NULL);
	CHECK_EQ(tu_send1(&tv, late), 0);
	CHECK_EQ(tu_tracks[4].completions, 1);
	CHECK(tu_tracks[4].inline_done);
	CHECK_EQ(tu_tracks[4].status, CONDIS_STATUS_CLOSING);
	CHECK_EQ(tv.deact_calls, 0);

	/* spec 38: every send back, then co_deactivate_complete, once */
	CHECK(tu_poll_until_done(ad, 100));
	for (i = 0; i < 4; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS); /* graceful */
	}
	tu_poll_all(ad);
	CHECK_EQ(tv.deact_calls, 1);
	CHECK_EQ(tv.deact_status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(tv.vc), CONDIS_VC_INACTIVE);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.nbls_completed, 5);
	CHECK_EQ(st.nbls_failed, 1);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_cb_errors, 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(condis_nbl_free(nbl[i]), 0);
	CHECK_EQ(condis_nbl_free(late), 0);
}

/* spec 78-79: a VC's queue follows its priority, DCB class or hash; every
 * completion says it came from one queue (spec 80, checked by the tracker). */
static void
test_queue_choice(void)
{
	struct condis_call_params cp = { .user_priority = 5, .traffic_class = 6,
					 .flow_hash = 0x12345679 };
	const struct condis_protocol_ops ops = { .co_send_complete = noop_complete };
	struct condis_protocol *p = condis_protocol_register("q", &ops);
	struct condis_sim_params sp;
	struct condis_adapter *sim;
	struct condis_vc *vc;

	cp.tx_queue = CONDIS_TXQ_AUTO;
	CHECK_EQ(condis_call_params_tx_queue(&cp, 4), 1);   /* 5 % 4 */
	cp.tx_queue = CONDIS_TXQ_BY_CLASS;
	CHECK_EQ(condis_call_params_tx_queue(&cp, 4), 2);   /* 6 % 4 */
	cp.tx_queue = CONDIS_TXQ_BY_HASH;
	CHECK_EQ(condis_call_params_tx_queue(&cp, 4), 1);   /* 0x12345679 % 4 */
	CHECK_EQ(condis_call_params_tx_queue(&cp, 3), 0x12345679 % 3);
	cp.tx_queue = 3;
	CHECK_EQ(condis_call_params_tx_queue(&cp, 4), 3);
	cp.tx_queue = 9;
	CHECK_EQ(condis_call_params_tx_queue(&cp, 4), 9);   /* the miniport refuses it */
	/* Through a miniport (the sim, four queues), as activation binds them. */
	CHECK(p != NULL);
	tu_sim_params(&sp, 4);
	sim = tu_sim_open(&sp);
	CHECK(sim != NULL);
	vc = condis_vc_create(p, sim, NULL);
	CHECK(vc != NULL);
	cp.tx_queue = CONDIS_TXQ_BY_CLASS;
	CHECK_EQ(condis_vc_activate(vc, &cp), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_tx_queue(vc), 2);
	CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_SUCCESS);
	cp.tx_queue = CONDIS_TXQ_BY_HASH;
	cp.flow_hash = 7;
	CHECK_EQ(condis_vc_activate(vc, &cp), CONDIS_STATUS_SUCCESS); /* nothing in flight: it moves */
	CHECK_EQ(condis_vc_tx_queue(vc), 3);
	cp.tx_queue = 9;
	CHECK_EQ(condis_vc_activate(vc, &cp), CONDIS_STATUS_INVALID_DATA);
	CHECK_EQ(condis_vc_tx_queue(vc), 3); /* the old binding stays (spec 36) */
	CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(vc), CONDIS_STATUS_SUCCESS);
	condis_adapter_close(sim);
	CHECK_EQ(condis_protocol_deregister(p), 0);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "protocol register/deregister -EBUSY", test_protocol_register },
		{ "VC create, table full (spec 31, 33)", test_vc_create },
		{ "VC activate, INVALID_DATA, reactivate keeps params (spec 34-36, 39)", test_vc_activate },
		{ "VC deactivate/delete NOT_ACCEPTED, VC_NOT_ACTIVATED (spec 37, 41-44)", test_vc_deactivate_delete },
		{ "VC deactivate PENDING, delete CLOSING, send CLOSING (spec 38, 41, 44)", test_vc_deactivate_pending },
		{ "queue by priority, DCB class or hash (spec 78-79)", test_queue_choice },
	};
	uint16_t port;
	int rc;

	(void)argc;
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", "net_null1", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &port) != 0) {
		fprintf(stderr, "no net_null0\n");
		return 1;
	}
	ad = tu_open(port, 2);
	if (ad == NULL) {
		fprintf(stderr, "condis_ethdev_open: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	proto = condis_protocol_register("unit_vc", &tu_ops);
	if (proto == NULL || !tu_pools_create(&tp, 32)) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rc = condis_test_run(cases, RTE_DIM(cases));
	return rc;
}
