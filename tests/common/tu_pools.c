/* SPDX-License-Identifier: BSD-3-Clause */
/* Pools and NB/NBL builders for the tests (tu_pools.h). */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memory.h>

#include "tu_frame.h"
#include "tu_pools.h"
#include "tu_port.h"

unsigned int tu_max_segs = 64;

struct condis_nbl_pool *
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

struct condis_nb_pool *
tu_nb_pool(uint32_t count)
{
	struct condis_nb_pool_params p = {
		.name = tu_name("tnb"), .count = count, .socket_id = SOCKET_ID_ANY,
	};

	return condis_nb_pool_create(&p);
}

struct condis_mdl_pool *
tu_mdl_pool(uint32_t count, uint16_t data_size)
{
	struct condis_mdl_pool_params p = {
		.name = tu_name("tmdl"), .count = count, .data_size = data_size,
		.socket_id = SOCKET_ID_ANY,
	};

	return condis_mdl_pool_create(&p);
}

bool
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

struct condis_nbl *
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

struct condis_nbl *
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

struct condis_nb *
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

void
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

int
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
