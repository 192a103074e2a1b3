/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PMDs that copy frames and free the mbufs inside tx_burst, yet take only
 * part of a burst when full (af_packet, tap, memif in copy mode, vhost):
 * emulated with net_null, which frees inside tx_burst, behind a TX callback
 * that passes it only the first two mbufs of each burst. Each NB must leave
 * once, every NBL complete once (spec 61, 76), and the queue's accounting
 * must come back to zero (a VC with nothing held may move queues, spec 79).
 */
#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

#define TAKE_AT_MOST 2

static uint16_t ports[2];
static struct condis_protocol *proto;

static uint16_t
take_at_most(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	RTE_SET_USED(port);
	RTE_SET_USED(q);
	RTE_SET_USED(pkts);
	RTE_SET_USED(arg);
	return RTE_MIN(n, (uint16_t)TAKE_AT_MOST);
}

static struct condis_adapter *
open_partial(uint16_t port)
{
	struct condis_adapter *ad = tu_open(port, 2);

	if (ad != NULL && rte_eth_add_tx_callback(port, 0, take_at_most, NULL) == NULL)
		return NULL;
	return ad;
}

/* One NBL of 3 NBs: the device takes (and frees) 2 and refuses the third. */
static void
test_multi_nb_split(void)
{
	const struct condis_call_params other_queue = { .tx_queue = 1 };
	struct condis_vc_stats st;
	struct rte_eth_stats es;
	struct condis_adapter *ad;
	struct condis_nbl *x;
	struct tu_pools tp;
	struct tu_vc tv;

	tu_reset();
	ad = open_partial(ports[0]);
	CHECK(ad != NULL);
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	x = condis_nbl_alloc(tp.bare);
	CHECK(x != NULL);
	x->first_nb = tu_multi_nb(&tp, 100, 1, 0, 1);
	x->first_nb->next = tu_multi_nb(&tp, 100, 1, 0, 2);
	x->first_nb->next->next = tu_multi_nb(&tp, 100, 1, 0, 3);
	CHECK_EQ(tu_send1(&tv, x), 0);
	CHECK(tu_poll_until_done(ad, 100));
	tu_poll_all(ad);
	CHECK_EQ(tu_cb_errors, 0);
	CHECK_EQ(tu_tracks[0].completions, 1);
	CHECK_EQ(tu_tracks[0].status, CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_stats_get(tv.vc, &st), 0);
	CHECK_EQ(rte_eth_stats_get(ports[0], &es), 0);
	CHECK_EQ(es.opackets, 3); /* each NB on the wire once, none resent */
	CHECK_EQ(st.nbs_tx, 3);
	CHECK_EQ(condis_vc_activate(tv.vc, &other_queue), CONDIS_STATUS_SUCCESS);
}

/* Five 1-NB NBLs: the device takes two per burst. */
static void
test_one_nb_nbls_split(void)
{
	const struct condis_call_params other_queue = { .tx_queue = 1 };
	struct condis_nbl *head;
	struct rte_eth_stats es;
	struct condis_adapter *ad;
	struct tu_pools tp;
	struct tu_vc tv;
	uint32_t i;

	tu_reset();
	ad = open_partial(ports[1]);
	CHECK(ad != NULL);
	CHECK(tu_pools_create(&tp, 16));
	CHECK(tu_vc_up(&tv, 0, proto, ad, 0));
	head = tu_data_chain(&tp, 5, 100, 0, 0);
	CHECK(head != NULL);
	CHECK_EQ(tu_send(&tv, head), 0);
	CHECK(tu_poll_until_done(ad, 100));
	tu_poll_all(ad);
	CHECK_EQ(tu_cb_errors, 0);
	for (i = 0; i < 5; i++) {
		CHECK_EQ(tu_tracks[i].completions, 1);
		CHECK_EQ(tu_tracks[i].status, CONDIS_STATUS_SUCCESS);
	}
	CHECK_EQ(rte_eth_stats_get(ports[1], &es), 0);
	CHECK_EQ(es.opackets, 5);
	CHECK_EQ(condis_vc_activate(tv.vc, &other_queue), CONDIS_STATUS_SUCCESS);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "copying PMD takes part of a multi-NB NBL (spec 76)", test_multi_nb_split },
		{ "copying PMD takes part of a chain of 1-NB NBLs (spec 76)", test_one_nb_nbls_split },
	};

	RTE_SET_USED(argc);
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", "net_null1", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &ports[0]) != 0 || tu_port("net_null1", &ports[1]) != 0)
		return 1;
	proto = condis_protocol_register("func_partial_copy", &tu_ops);
	return condis_test_run(cases, RTE_DIM(cases));
}
