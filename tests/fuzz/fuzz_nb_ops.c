/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: sequences of retreat, advance, clone and data access on
 * an NB over a chain of MDLs (spec 14, 17-21, 29). After every step the
 * geometry invariant holds (condis_nb_geometry_ok()), the data the NB
 * describes is what a model of it says (retreat prepends, advance drops,
 * a clone shows the same bytes), a refused step changes nothing, and at
 * the end every object frees: no MDL, NB or NBL is left out of its pool.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include <condis/condis.h>

#include "fuzz_common.h"

#define MAX_STEPS 32
#define MODEL_MAX 4096

#define FAIL(...) FUZZ_FAIL("fuzz_nb_ops", __VA_ARGS__)

static struct {
	struct condis_nbl_pool *bare;
	struct condis_nb_pool *nbs;
	struct condis_mdl_pool *mdls, *retreat, *clone_mdls;
} g;




int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct condis_nbl_pool_params bp = { .name = "fo_bare", .count = 16,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_nb_pool_params np = { .name = "fo_nb", .count = 64,
					    .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params mp = { .name = "fo_mdl", .count = 16, .data_size = 512,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params rp = { .name = "fo_ret", .count = 8, .data_size = 128,
					     .socket_id = SOCKET_ID_ANY };
	struct condis_mdl_pool_params cp = { .name = "fo_cln", .count = 256,
					     .socket_id = SOCKET_ID_ANY };

	(void)argc;
	if (fuzz_eal_init((*argv)[0], "fuzz-nb", "128", NULL) != 0)
		FAIL("EAL init failed\n");
	g.bare = condis_nbl_pool_create(&bp);
	g.nbs = condis_nb_pool_create(&np);
	g.mdls = condis_mdl_pool_create(&mp);
	g.retreat = condis_mdl_pool_create(&rp);
	g.clone_mdls = condis_mdl_pool_create(&cp);
	if (g.bare == NULL || g.nbs == NULL || g.mdls == NULL || g.retreat == NULL ||
	    g.clone_mdls == NULL)
		FAIL("set-up failed\n");
	return 0;
}

/* The bytes the NB must describe, as a model: the NB's data is compared
 * with model[0..len) after every step. Bytes a retreat adds are unknown
 * until written, so the model writes them through the NB. */
struct model {
	uint8_t b[MODEL_MAX];
	uint32_t len;
};

static void
check_nb(const struct condis_nb *nb, const struct model *m, const char *step)
{
	uint8_t buf[MODEL_MAX];
	const uint8_t *p;

	if (!condis_nb_geometry_ok(nb))
		FAIL("%s: geometry broken\n", step);
	if (nb->data_length != m->len)
		FAIL("%s: length %u, model %u\n", step, nb->data_length, m->len);
	if (m->len == 0)
		return;
	p = condis_nb_data((struct condis_nb *)(uintptr_t)nb, m->len, buf);
	if (p == NULL || memcmp(p, m->b, m->len) != 0)
		FAIL("%s: data differs from the model\n", step);
}

/* Write the model's bytes through the NB (across its MDLs). */
static void
write_nb(struct condis_nb *nb, const struct model *m)
{
	struct condis_mdl *mdl = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, done = 0;

	while (done < m->len && mdl != NULL) {
		uint32_t n = RTE_MIN(mdl->byte_count - off, m->len - done);

		memcpy((uint8_t *)mdl->va + off, m->b + done, n);
		done += n;
		off = 0;
		mdl = mdl->next;
	}
}

/* Does a live clone describe the original's own MDLs? */
static bool
shares_mdls(struct condis_nbl *const clone[4], const uint32_t flags[4])
{
	unsigned int k;

	for (k = 0; k < 4; k++)
		if (clone[k] != NULL && (flags[k] & CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS))
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct condis_mdl *mdl[8], *head = NULL, **tailp = &head;
	struct condis_nbl *nbl, *clone[4] = { NULL };
	uint32_t clone_flags[4] = { 0 }, total = 0, off;
	unsigned int n_mdl = 1 + fuzz_take(&in) % 4, i, step;
	struct model m;
	struct condis_nb *nb;

	for (i = 0; i < n_mdl; i++) {
		mdl[i] = condis_mdl_alloc_data(g.mdls, 1 + fuzz_take(&in) % 512);
		if (mdl[i] == NULL)
			FAIL("MDL pool ran dry: an earlier input leaked\n");
		*tailp = mdl[i];
		tailp = &mdl[i]->next;
		total += mdl[i]->byte_count;
	}
	off = fuzz_take(&in) % (total + 1);
	m.len = fuzz_take(&in) % (total - off + 1);
	for (i = 0; i < m.len; i++)
		m.b[i] = (uint8_t)(i * 13 + 7);
	nbl = condis_nbl_alloc(g.bare);
	nb = condis_nb_alloc(g.nbs, head, off, m.len);
	if (nbl == NULL || nb == NULL)
		FAIL("NBL or NB pool ran dry\n");
	nbl->first_nb = nb;
	write_nb(nb, &m);
	check_nb(nb, &m, "set-up");

	for (step = 0; step < MAX_STEPS && in.n > 0; step++) {
		uint8_t op = fuzz_take(&in) % 5;
		uint32_t delta = fuzz_take(&in);

		if (op == 0) { /* retreat, with or without back-fill (spec 17, 19) */
			uint32_t backfill = fuzz_take(&in) % 64, before = nb->data_offset;
			condis_status_t st = condis_nb_retreat(nb, delta, backfill, g.retreat);

			if (st == CONDIS_STATUS_SUCCESS) {
				if (m.len + delta > MODEL_MAX)
					FAIL("retreat grew past any pool's data\n");
				memmove(m.b + delta, m.b, m.len);
				for (i = 0; i < delta; i++)
					m.b[i] = (uint8_t)(0xa5 ^ i ^ step);
				m.len += delta;
				write_nb(nb, &m);
			} else if (nb->data_offset != before || nb->data_length != m.len) {
				FAIL("a refused retreat changed the NB\n");
			}
			check_nb(nb, &m, "retreat");
		} else if (op == 1) { /* advance (spec 18) */
			/* Freeing retreat MDLs while a clone shares them is the
			 * caller's error (the clone's chain would point at them). */
			bool free_mdl = (fuzz_take(&in) & 1) && !shares_mdls(clone, clone_flags);
			int rc = condis_nb_advance(nb, delta, free_mdl);

			if (rc == 0) {
				memmove(m.b, m.b + delta, m.len - delta);
				m.len -= delta;
			} else if (delta <= m.len) {
				FAIL("advance of %u refused on %u bytes\n", delta, m.len);
			}
			check_nb(nb, &m, "advance");
		} else if (op == 2) { /* clone (spec 20-21): the same bytes */
			unsigned int k = delta % 4;
			uint32_t flags = fuzz_take(&in) & 1 ? CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS : 0;

			if (clone[k] != NULL)
				continue;
			clone[k] = condis_nbl_clone(nbl, g.bare, g.nbs, g.clone_mdls, flags);
			if (clone[k] == NULL)
				continue; /* a pool ran out: refused, nothing changed */
			clone_flags[k] = flags;
			if (clone[k]->parent != nbl)
				FAIL("clone without its parent\n");
			if (m.len > 0)
				check_nb(clone[k]->first_nb, &m, "clone");
		} else if (op == 3) { /* free a clone */
			unsigned int k = delta % 4;

			if (clone[k] == NULL)
				continue;
			if (condis_nbl_free_clone(clone[k], clone_flags[k] ^ 2) != -EINVAL)
				FAIL("a clone freed with the wrong flags\n");
			if (condis_nbl_free_clone(clone[k], clone_flags[k]) != 0)
				FAIL("a clone cannot be freed\n");
			clone[k] = NULL;
		} else { /* data access across MDLs (spec 29) */
			uint8_t buf[MODEL_MAX];
			uint32_t n = delta % (m.len + 2);
			const uint8_t *p = condis_nb_data(nb, n, fuzz_take(&in) & 1 ? buf : NULL);

			if (n > m.len && p != NULL)
				FAIL("nb_data past the data\n");
			if (p != NULL && memcmp(p, m.b, n) != 0)
				FAIL("nb_data bytes differ\n");
		}
	}

	for (i = 0; i < 4; i++)
		if (clone[i] != NULL && condis_nbl_free_clone(clone[i], clone_flags[i]) != 0)
			FAIL("clone %u cannot be freed\n", i);
	if (nbl->child_ref_count != 0)
		FAIL("child_ref_count %u after every clone went\n", nbl->child_ref_count);
	/* What a retreat added goes with advance(free); then the caller's own. */
	condis_nb_advance(nb, nb->data_length, true);
	head = nb->mdl_chain;
	nbl->first_nb = NULL;
	if (condis_nb_free(nb) != 0 || condis_nbl_free(nbl) != 0)
		FAIL("NB or NBL cannot be freed\n");
	while (head != NULL) {
		struct condis_mdl *next = head->next;

		head->next = NULL;
		if (condis_mdl_free(head) != 0)
			FAIL("MDL cannot be freed\n");
		head = next;
	}
	if (condis_nbl_pool_in_use(g.bare) != 0)
		FAIL("NBLs left out\n");
	return 0;
}
