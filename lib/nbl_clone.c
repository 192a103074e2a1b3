/* SPDX-License-Identifier: BSD-3-Clause */
/* Clones (spec 20-21): new NBL and NBs over the original's bytes, no copy. */
#include <rte_errno.h>

#include "condis_private.h"

static void
mdl_chain_free(struct condis_mdl *mdl)
{
	while (mdl != NULL) {
		struct condis_mdl *next = mdl->next;

		condis_mdl_free(mdl);
		mdl = next;
	}
}

/* New MDLs over the used span of nb, from mdl_pool. NULL on failure. */
static struct condis_mdl *
clone_span(const struct condis_nb *nb, struct condis_mdl_pool *mdl_pool)
{
	struct condis_mdl *head = NULL, **tailp = &head, *src = nb->current_mdl;
	uint32_t off = nb->current_mdl_offset, left = nb->data_length;

	while (left > 0 && src != NULL) {
		uint32_t len = RTE_MIN(src->byte_count - off, left);
		struct condis_mdl *mdl;

		if (len > 0) {
			mdl = condis_mdl_alloc_ext(mdl_pool, RTE_PTR_ADD(src->va, off),
						   src->iova + off, len);
			if (mdl == NULL)
				goto undo;
			*tailp = mdl;
			tailp = &mdl->next;
			left -= len;
		}
		off = 0;
		src = src->next;
	}
	return head;
undo:
	mdl_chain_free(head);
	return NULL;
}

static void
clone_nbs_free(struct condis_nb *nb, bool own_mdls)
{
	while (nb != NULL) {
		struct condis_nb *next = nb->next;

		if (own_mdls)
			mdl_chain_free(nb->mdl_chain);
		condis_nb_free(nb);
		nb = next;
	}
}

struct condis_nbl *
condis_nbl_clone(struct condis_nbl *orig, struct condis_nbl_pool *pool,
		 struct condis_nb_pool *nb_pool, struct condis_mdl_pool *mdl_pool, uint32_t flags)
{
	bool original_mdls = flags & CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS;
	struct condis_nb *src, *head = NULL, **tailp = &head;
	struct condis_nbl *clone;

	if (condis_nbl_check_owned(orig) != 0 || pool == NULL || nb_pool == NULL ||
	    pool->params.data_size != 0 || pool->params.allocate_nb ||
	    (!original_mdls && mdl_pool == NULL) ||
	    (flags & ~(CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS | CONDIS_CLONE_FLAGS_RESERVED))) {
		rte_errno = EINVAL;
		return NULL;
	}
	for (src = orig->first_nb; src != NULL; src = src->next) {
		struct condis_nb *nb;

		if (original_mdls) {
			struct condis_mdl *m;

			/* The original's own MDLs now have two senders. */
			for (m = src->mdl_chain; m != NULL; m = m->next)
				if (m->prealloc_of != NULL)
					m->flags |= CONDIS_MDL_F_SHARED;
			nb = condis_nb_alloc(nb_pool, src->mdl_chain, src->data_offset,
					     src->data_length);
		} else {
			struct condis_mdl *chain = clone_span(src, mdl_pool);

			nb = chain == NULL && src->data_length != 0 ? NULL :
				condis_nb_alloc(nb_pool, chain, 0, src->data_length);
			if (nb == NULL)
				mdl_chain_free(chain);
		}
		if (nb == NULL)
			goto undo;
		*tailp = nb;
		tailp = &nb->next;
	}
	clone = condis_nbl_alloc(pool);
	if (clone == NULL)
		goto undo;
	clone->first_nb = head;
	clone->parent = orig;
	clone->flags = orig->flags;
	memcpy(clone->info, orig->info, sizeof(clone->info));
	clone->clone_flags = (uint8_t)(flags | CONDIS_NBL_CLONE_MARK);
	orig->child_ref_count++;
	return clone;

undo:
	clone_nbs_free(head, !original_mdls);
	rte_errno = ENOBUFS;
	return NULL;
}

int
condis_nbl_free_clone(struct condis_nbl *clone, uint32_t flags)
{
	int rc = condis_nbl_check_owned(clone);

	if (rc != 0)
		return rc;
	if (!(clone->clone_flags & CONDIS_NBL_CLONE_MARK) ||
	    (clone->clone_flags & ~CONDIS_NBL_CLONE_MARK) != flags)
		return -EINVAL;
	clone_nbs_free(clone->first_nb, !(flags & CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS));
	clone->first_nb = NULL;
	if (clone->parent != NULL && clone->parent->child_ref_count > 0)
		clone->parent->child_ref_count--;
	condis_nbl_put(clone);
	return 0;
}
