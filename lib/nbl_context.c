/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NBL context (spec 15): a stack in the NBL's preallocated context area,
 * continued in blocks allocated when the area is full. Each block keeps the
 * offset its predecessor had, so freeing back across blocks restores it.
 */
#include <rte_errno.h>
#include <rte_malloc.h>

#include "condis_private.h"

#define CONTEXT_ALIGN 16 /* MEMORY_ALLOCATION_ALIGNMENT on x64 */

struct condis_nbl_context_block {
	struct condis_nbl_context_block *prev; /* NULL: the NBL's own area comes next */
	uint32_t prev_offset;                   /* the offset to restore when this block goes */
	uint32_t size;                          /* bytes of data */
	uint8_t data[] __rte_aligned(CONTEXT_ALIGN);
};

/* The top block's data and size. */
static inline uint8_t *
top_data(const struct condis_nbl *nbl, uint32_t *size)
{
	if (nbl->context_block != NULL) {
		*size = nbl->context_block->size;
		return nbl->context_block->data;
	}
	*size = nbl->context_size;
	return nbl->context;
}

int
condis_nbl_context_alloc(struct condis_nbl *nbl, uint32_t size, uint32_t backfill)
{
	struct condis_nbl_context_block *b;
	uint64_t room;

	if (nbl == NULL || nbl->magic != CONDIS_NBL_MAGIC || size == 0 ||
	    size % CONTEXT_ALIGN != 0 || (uint64_t)size + backfill > UINT32_MAX / 2)
		return -EINVAL;
	if (nbl->context_offset >= size) {
		nbl->context_offset -= size;
		return 0;
	}
	room = RTE_ALIGN_CEIL((uint64_t)size + backfill, CONTEXT_ALIGN);
	b = rte_malloc("condis_nbl_context", sizeof(*b) + room, CONTEXT_ALIGN);
	if (b == NULL)
		return -ENOMEM;
	b->prev = nbl->context_block;
	b->prev_offset = nbl->context_offset;
	b->size = (uint32_t)room;
	nbl->context_block = b;
	nbl->context_offset = (uint32_t)room - size;
	return 0;
}

int
condis_nbl_context_free(struct condis_nbl *nbl, uint32_t size)
{
	struct condis_nbl_context_block *b;
	uint32_t top;

	if (nbl == NULL || nbl->magic != CONDIS_NBL_MAGIC || size == 0 ||
	    size % CONTEXT_ALIGN != 0)
		return -EINVAL;
	top_data(nbl, &top);
	if (size > top - nbl->context_offset)
		return -EINVAL; /* more than the top block holds */
	nbl->context_offset += size;
	b = nbl->context_block;
	if (b != NULL && nbl->context_offset == b->size) {
		nbl->context_block = b->prev;
		nbl->context_offset = b->prev_offset;
		rte_free(b);
	}
	return 0;
}

void *
condis_nbl_context_data(const struct condis_nbl *nbl)
{
	uint32_t size;
	uint8_t *data = top_data(nbl, &size);

	return nbl->context_offset == size && nbl->context_block == NULL ? NULL :
		data + nbl->context_offset;
}

uint32_t
condis_nbl_context_data_size(const struct condis_nbl *nbl)
{
	uint32_t size;

	top_data(nbl, &size);
	return size - nbl->context_offset;
}

void
condis_nbl_context_reset(struct condis_nbl *nbl)
{
	while (nbl->context_block != NULL) {
		struct condis_nbl_context_block *b = nbl->context_block;

		nbl->context_block = b->prev;
		rte_free(b);
	}
	nbl->context_offset = nbl->context_size;
}
