/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A protocol's handlers may call back into condis while the miniport is
 * delivering: the usual teardown deletes the VC from co_deactivate_complete
 * (spec 38, 42), and a completion handler may move its VC to another queue
 * once nothing is held (spec 79). Neither may find the miniport's state
 * stale, nor may the miniport touch a VC's state after a handler freed it.
 */
#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

static uint16_t ports[2];
static struct condis_adapter *ad;
static struct condis_protocol *proto;
static struct condis_vc *vc, *vc_after;
static condis_status_t move_status;
static int completions;

static void
count_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(flags);
	for (; chain != NULL; chain = chain->next)
		completions++;
}

/* Teardown from the handler: delete the VC, then create another, which
 * may get the deleted VC's miniport memory. */
static void
delete_on_deactivated(void *ctx, condis_status_t status)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(status);
	if (condis_vc_delete(vc) == CONDIS_STATUS_SUCCESS)
		vc_after = condis_vc_create(proto, ad, NULL);
}

static void
move_on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	const struct condis_call_params other_queue = { .tx_queue = 1 };

	count_complete(ctx, chain, flags);
	move_status = condis_vc_activate(vc, &other_queue);
}

/* An adapter on port with 2 queues, a protocol with ops, and one VC on queue
 * 0 with one NBL sent on it (vc, ad, proto set). Failures are counted by the
 * CHECKs: the caller checks vc's state before going on. */
static void
send_one(uint16_t port, const char *name, const struct condis_protocol_ops *ops,
	 struct tu_pools *tp)
{
	const struct condis_call_params q0 = { .tx_queue = 0 };
	struct condis_nbl *nbl;

	completions = 0;
	vc = NULL;
	ad = tu_open(port, 2);
	proto = condis_protocol_register(name, ops);
	CHECK(ad != NULL && proto != NULL);
	CHECK(tu_pools_create(tp, 8));
	vc = condis_vc_create(proto, ad, NULL);
	CHECK(vc != NULL);
	CHECK_EQ(condis_vc_activate(vc, &q0), CONDIS_STATUS_SUCCESS);
	nbl = tu_data_nbl(tp, 100, 0, 0);
	CHECK(nbl != NULL);
	nbl->next = NULL;
	CHECK_EQ(condis_co_send_nbls(vc, nbl, 0), 0);
}

static void
test_delete_in_deactivate_complete(void)
{
	static const struct condis_protocol_ops ops = {
		.co_send_complete = count_complete,
		.co_deactivate_complete = delete_on_deactivated,
	};
	const struct condis_call_params q0 = { .tx_queue = 0 }, q1 = { .tx_queue = 1 };
	int failures = condis_test_failures;
	struct tu_pools tp;

	send_one(ports[0], "func_reentry_delete", &ops, &tp);
	CHECK_EQ(condis_test_failures, failures);
	CHECK_EQ(condis_vc_deactivate(vc), CONDIS_STATUS_PENDING);
	CHECK_EQ(condis_poll(ad, 0), 1);
	CHECK_EQ(completions, 1);
	CHECK(vc_after != NULL);
	/* The new VC holds nothing, whatever memory it got: it may move. */
	CHECK_EQ(condis_vc_activate(vc_after, &q0), CONDIS_STATUS_SUCCESS);
	CHECK_EQ(condis_vc_activate(vc_after, &q1), CONDIS_STATUS_SUCCESS);
}

static void
test_move_in_send_complete(void)
{
	static const struct condis_protocol_ops ops = { .co_send_complete = move_on_complete };
	int failures = condis_test_failures;
	struct tu_pools tp;

	move_status = CONDIS_STATUS_PENDING;
	send_one(ports[1], "func_reentry_move", &ops, &tp);
	CHECK_EQ(condis_test_failures, failures);
	CHECK_EQ(condis_poll(ad, 0), 1);
	CHECK_EQ(completions, 1);
	/* Inside the handler the NBL was already the protocol's: nothing held. */
	CHECK_EQ(move_status, CONDIS_STATUS_SUCCESS);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "delete the VC in co_deactivate_complete (spec 38, 42)",
		  test_delete_in_deactivate_complete },
		{ "move the VC to another queue in co_send_complete (spec 79)",
		  test_move_in_send_complete },
	};

	RTE_SET_USED(argc);
	if (tu_eal_init(argv[0], (const char *[]){ "net_null0", "net_null1", NULL }) < 0)
		return 1;
	if (tu_port("net_null0", &ports[0]) != 0 || tu_port("net_null1", &ports[1]) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
