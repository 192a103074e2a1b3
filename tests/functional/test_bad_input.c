/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: bad input to the send path on net_null (spec 7, 44, 46, 48,
 * 57, 59; condis_co_send_nbls() contract: on error nothing is taken).
 */
#include <string.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

static struct condis_adapter *ad;
static struct condis_protocol *proto;
static struct tu_pools tp;

/* NULL / empty chain: 0, nothing completes */
static void
test_null_chain(void)
{
	struct tu_vc tv;

	tu_reset();
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	tu_in_send++;
	CHECK_EQ(condis_co_send_nbls(tv.vc, NULL, 0), 0);
	tu_in_send--;
	tu_poll_all(ad);
	tu_poll_all(ad);
	CHECK_EQ(tu_calls, 0);
	CHECK_EQ(tv.calls, 0);
	/* NULL VC: -EINVAL */
	CHECK_EQ(condis_co_send_nbls(NULL, NULL, 0), -EINVAL);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_cb_errors, 0);
}

/* zero-length NB and NBL without NBs: completes exactly once, never PENDING */
static void
test_zero_length(void)
{
	struct tu_vc tv;
	struct condis_nbl *z, *empty, *ok;

	tu_reset();
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	z = tu_data_nbl(&tp, 64, 0, 0);
	CHECK(z != NULL);
	z->first_nb->data_length = 0;
	empty = condis_nbl_alloc(tp.bare);
	CHECK(empty != NULL);
	ok = tu_data_nbl(&tp, 64, 0, 1);
	CHECK(ok != NULL);
	z->next = empty;
	empty->next = ok;
	ok->next = NULL;
	CHECK_EQ(tu_send(&tv, z), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[1].completions, 1);
	CHECK_EQ(tu_tracks[2].completions, 1);
	printf("note: zero-length NB -> %s, NBL without NBs -> %s\n",
	       condis_status_name(tu_tracks[0].status), condis_status_name(tu_tracks[1].status));
	/* What condis_send.h documents: a zero-byte NB is never padded into a
	 * frame (INVALID_LENGTH, spec 59); an NBL without NBs is malformed
	 * (FAILURE, spec 62 "anything else"). */
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_FAILURE);
	CHECK_EQ(tu_tracks[2].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(z->first_nb->data_length, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_free(z), 0);
	CHECK_EQ(condis_nbl_free(empty), 0);
	CHECK_EQ(condis_nbl_free(ok), 0);
}

/* spec 59: NB over the MTU */
static void
test_over_mtu(void)
{
	struct tu_vc tv;
	struct condis_nbl *big;

	tu_reset();
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	big = tu_data_nbl(&tp, tu_max_frame(ad) + 1, 0, 0);
	CHECK(big != NULL);
	CHECK_EQ(tu_send1(&tv, big), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_INVALID_LENGTH);
	CHECK_EQ(big->first_nb->data_length, tu_max_frame(ad) + 1);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_free(big), 0);
}

/* spec 7: foreign / freed NBL in a chain: -EINVAL, nothing taken */
static void
test_foreign_nbl(void)
{
	struct tu_vc tv;
	struct condis_nbl foreign, *good, *freed, *after;
	struct condis_vc_stats st;

	tu_reset();
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	good = tu_data_nbl(&tp, 100, 0, 0);
	after = tu_data_nbl(&tp, 100, 0, 1);
	CHECK(good && after);
	memset(&foreign, 0, sizeof(foreign));
	good->next = &foreign;
	foreign.next = after;
	after->next = NULL;
	CHECK_EQ(tu_send(&tv, good), -EINVAL);
	/* nothing taken: the chain is intact, the NBLs are still ours */
	CHECK(good->next == &foreign);
	CHECK(foreign.next == after);
	CHECK_EQ(good->owner, CONDIS_NBL_OWNER_PROTOCOL);
	CHECK_EQ(after->owner, CONDIS_NBL_OWNER_PROTOCOL);
	tu_poll_all(ad);
	tu_poll_all(ad);
	CHECK_EQ(tu_calls, 0);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.nbls_sent, 0);
	CHECK_EQ(st.in_flight, 0);

	/* a freed NBL */
	freed = condis_nbl_alloc(tp.bare);
	CHECK(freed != NULL);
	CHECK_EQ(condis_nbl_free(freed), 0);
	good->next = freed;
	freed->next = NULL;
	CHECK_EQ(tu_send(&tv, good), -EINVAL);
	CHECK(good->next == freed);
	tu_poll_all(ad);
	CHECK_EQ(tu_calls, 0);

	/* the NBLs still work */
	good->next = after;
	after->next = NULL;
	CHECK_EQ(tu_send(&tv, good), 0);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_free(good), 0);
	CHECK_EQ(condis_nbl_free(after), 0);
}

/* spec 46: SourceHandle of another VC -> FAILURE; NULL -> stamped */
static void
test_source_handle(void)
{
	struct tu_vc tv[2];
	struct condis_nbl *mis, *null_sh, *own;

	tu_reset();
	CHECK(tu_vc_up(&tv[0], 0, proto, ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, ad, 0));
	mis = tu_data_nbl(&tp, 100, 0, 0);
	null_sh = tu_data_nbl(&tp, 100, 0, 1);
	own = tu_data_nbl(&tp, 100, 0, 2);
	CHECK(mis && null_sh && own);
	mis->source_handle = tv[1].vc;
	null_sh->source_handle = NULL;
	own->source_handle = tv[0].vc;
	mis->next = null_sh;
	null_sh->next = own;
	own->next = NULL;
	CHECK_EQ(tu_send(&tv[0], mis), 0);
	CHECK(tu_tracks[0].foreign_source);
	CHECK(tu_poll_until_done(ad, 100));
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_FAILURE);
	CHECK(tu_tracks[0].completed_on == &tv[0]); /* back to the VC it was sent on */
	CHECK_EQ(tu_tracks[1].status, CONDIS_STATUS_SUCCESS);
	CHECK(null_sh->source_handle == tv[0].vc);  /* stamped */
	CHECK_EQ(tu_tracks[2].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tv[1].calls, 0);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_deactivate(tv[0].vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_deactivate(tv[1].vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv[0].vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv[1].vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_free(mis), 0);
	CHECK_EQ(condis_nbl_free(null_sh), 0);
	CHECK_EQ(condis_nbl_free(own), 0);
}

/* spec 41, 44: deleted VC -> -EINVAL nothing taken; never activated ->
 * VC_NOT_ACTIVATED inline (spec 57) */
static void
test_vc_states(void)
{
	struct tu_vc dead, fresh;
	struct condis_nbl *nbl;
	struct condis_vc *dead_handle;

	tu_reset();
	CHECK(tu_vc_up(&dead, 0, proto, ad, 0));
	CHECK_EQ(condis_vc_deactivate(dead.vc), CONDIS_STATUS_SUCCESS);
	dead_handle = dead.vc;
	CHECK_EQ(condis_vc_delete(dead_handle), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_state(dead_handle), CONDIS_VC_DELETED);
	nbl = tu_data_nbl(&tp, 100, 0, 0);
	CHECK(nbl != NULL);
	CHECK_EQ(tu_send1(&dead, nbl), -EINVAL);
	CHECK_EQ(nbl->owner, CONDIS_NBL_OWNER_PROTOCOL);
	tu_poll_all(ad);
	CHECK_EQ(tu_calls, 0);

	tu_vc_init(&fresh, 1);
	fresh.vc = condis_vc_create(proto, ad, &fresh);
	CHECK(fresh.vc != NULL);
	CHECK_EQ(tu_send1(&fresh, nbl), 0);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK(tu_tracks[0].inline_done);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_VC_NOT_ACTIVATED);
	CHECK(nbl->source_handle == fresh.vc);
	tu_poll_all(ad);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_delete(fresh.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_nbl_free(nbl), 0);
}

/* spec 48, 13: free / resend of an NBL the stack owns: -EBUSY, nothing taken */
static void
test_owned_by_stack(void)
{
	struct tu_vc tv;
	struct condis_nbl *a, *b;
	struct condis_vc_stats st;

	tu_reset();
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	a = tu_data_nbl(&tp, 100, 0, 0);
	b = tu_data_nbl(&tp, 100, 0, 1);
	CHECK(a && b);
	CHECK_EQ(tu_send1(&tv, a), 0);
	CHECK_EQ(tu_completed, 0);
	CHECK_EQ(a->owner, CONDIS_NBL_OWNER_STACK);
	/* free while owned: -EBUSY */
	CHECK_EQ(condis_nbl_free(a), -EBUSY);
	/* pool free with NBLs out (spec 13) */
	CHECK_EQ(condis_nbl_pool_free(tp.data), -EBUSY);
	/* the same NBL again: -EBUSY; also behind a fresh one, which is not taken.
	 * Note: a->next belongs to the stack now; a chain [b, a] only points at it. */
	CHECK_EQ(condis_co_send_nbls(tv.vc, a, 0), -EBUSY);
	b->next = a;
	CHECK_EQ(condis_co_send_nbls(tv.vc, b, 0), -EBUSY);
	CHECK(b->next == a);
	CHECK_EQ(b->owner, CONDIS_NBL_OWNER_PROTOCOL);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(st.nbls_sent, 1);
	/* the first send still completes, once */
	CHECK(tu_poll_until_done(ad, 100));
	tu_poll_all(ad);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(tu_calls, 1);
	CHECK_EQ(condis_nbl_free(a), 0);
	CHECK_EQ(condis_nbl_free(a), -EINVAL); /* double free */
	b->next = NULL;
	CHECK_EQ(condis_nbl_free(b), 0);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(condis_vc_deactivate(tv.vc), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_delete(tv.vc), CONDIS_STATUS_SUCCESS);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "NULL chain / NULL VC (spec 45)", test_null_chain },
		{ "zero-length NB, NBL without NBs (spec 59, 86, 122)", test_zero_length },
		{ "NB over MTU -> INVALID_LENGTH (spec 59)", test_over_mtu },
		{ "foreign / freed NBL -> -EINVAL, nothing taken (spec 7, 48)", test_foreign_nbl },
		{ "SourceHandle mismatch FAILURE, NULL stamped (spec 46)", test_source_handle },
		{ "deleted VC -EINVAL, never-activated VC_NOT_ACTIVATED (spec 41, 44, 57)", test_vc_states },
		{ "NBL owned by the stack: free/resend -EBUSY (spec 13, 48)", test_owned_by_stack },
	};
	uint16_t port;

	(void)argc;
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &port) != 0)
		return 1;
	ad = tu_open(port, 1);
	if (ad == NULL) {
		fprintf(stderr, "condis_ethdev_open: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	proto = condis_protocol_register("func_bad", &tu_ops);
	if (proto == NULL || !tu_pools_create(&tp, 32))
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
