/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit: done lists and the batched appender a miniport's reap uses
 * (condis_miniport.h). The appender must leave every list, its count and the
 * queue's order exactly as one condis_nbl_release_ref() per NBL would.
 */
#include <string.h>

#include <condis/condis_miniport.h>

#include "condis_test.h"
#include "tutil.h"

#define NB_LISTS 3
#define NB_NBLS 12

/* Two identical worlds: one fed NBL by NBL, one through the appender. */
struct world {
	struct condis_done_queue queue;
	struct condis_done_list lists[NB_LISTS];
	struct condis_nbl nbls[NB_NBLS];
};

static void
world_init(struct world *w, const unsigned int *list_of, const uint32_t *pending)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < NB_LISTS; i++)
		condis_done_list_init(&w->lists[i], &w->queue, NULL);
	for (i = 0; i < NB_NBLS; i++) {
		w->nbls[i].miniport_done = &w->lists[list_of[i]];
		w->nbls[i].miniport_pending = pending[i];
		w->nbls[i].next = (struct condis_nbl *)(uintptr_t)0xdead; /* stale link */
	}
}

/* Both worlds hold the same lists, in the same queue order, with the same
 * NBLs in the same order (compared by index). */
static void
world_check_same(struct world *a, struct world *b)
{
	struct condis_done_list *la = a->queue.first, *lb = b->queue.first;
	unsigned int lists = 0;

	while (la != NULL || lb != NULL) {
		struct condis_nbl *na, *nb;
		uint32_t ca, cb;

		CHECK(la != NULL && lb != NULL);
		CHECK_EQ(la - a->lists, lb - b->lists);
		ca = la->count;
		cb = lb->count;
		CHECK_EQ(ca, cb);
		a->queue.first = la->next;
		b->queue.first = lb->next;
		na = condis_done_list_take(la);
		nb = condis_done_list_take(lb);
		for (; na != NULL || nb != NULL; na = na->next, nb = nb->next, ca--) {
			CHECK(na != NULL && nb != NULL);
			CHECK_EQ(na - a->nbls, nb - b->nbls);
		}
		CHECK_EQ(ca, 0u);
		la = a->queue.first;
		lb = b->queue.first;
		lists++;
	}
	CHECK(lists > 0);
}

/* Release refs in `order` (NBL indexes); the appender flushes after every
 * flush_every releases (0: only at the end). */
static void
run_case(const unsigned int *list_of, const uint32_t *pending, const unsigned int *order,
	 unsigned int n, unsigned int flush_every)
{
	static struct world plain, batched;
	struct condis_done_appender ap;
	unsigned int i;

	world_init(&plain, list_of, pending);
	world_init(&batched, list_of, pending);
	condis_done_appender_init(&ap);
	for (i = 0; i < n; i++) {
		condis_nbl_release_ref(&plain.nbls[order[i]]);
		condis_nbl_release_ref_to(&ap, &batched.nbls[order[i]]);
		if (flush_every != 0 && (i + 1) % flush_every == 0) {
			condis_done_appender_flush(&ap);
			/* A plain append between batches must see a settled list. */
			if (i + 1 < n) {
				condis_nbl_release_ref(&plain.nbls[order[++i]]);
				condis_nbl_release_ref(&batched.nbls[order[i]]);
			}
		}
	}
	condis_done_appender_flush(&ap);
	world_check_same(&plain, &batched);
}

/* One VC's NBLs in a row: the common shape of a reap. */
static void
test_one_list(void)
{
	static const unsigned int list_of[NB_NBLS] = { 0 };
	static const uint32_t pending[NB_NBLS] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	static const unsigned int order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

	run_case(list_of, pending, order, RTE_DIM(order), 0);
	run_case(list_of, pending, order, RTE_DIM(order), 5);
}

/* Lists interleaved (A A B A C B ...), NBLs of several carriers (pending > 1)
 * completing out of send order: every switch of list must settle the one
 * left, and a list already on the queue must not be linked twice. */
static void
test_interleaved(void)
{
	static const unsigned int list_of[NB_NBLS] = { 0, 0, 1, 0, 2, 1, 1, 2, 0, 2, 1, 0 };
	static const uint32_t pending[NB_NBLS] = { 1, 2, 1, 1, 3, 1, 2, 1, 1, 1, 1, 2 };
	static const unsigned int order[] = { 0, 1, 2, 3, 4, 5, 1, 6, 7, 4, 8, 9, 10, 6,
					      11, 4, 11 };
	unsigned int f;

	for (f = 0; f <= 4; f++)
		run_case(list_of, pending, order, RTE_DIM(order), f);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "appender: one list, as plain appends", test_one_list },
		{ "appender: interleaved lists, multi-carrier NBLs, flushes", test_interleaved },
	};

	(void)argc;
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
