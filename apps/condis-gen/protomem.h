/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --zero-copy: a port's frames in protocol memory, not pool data. The memory
 * is the application's (libnuma, on the port's NUMA node), registered with
 * DPDK (rte_extmem_register) and mapped for the device (rte_dev_dma_map),
 * and the NBs describe it with zero-copy MDLs (condis_mdl_alloc_ext), as an
 * appliance that sends from its own buffers does (protomem.c).
 */
#ifndef CONDIS_GEN_PROTOMEM_H
#define CONDIS_GEN_PROTOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

struct gen_protomem {
	uint8_t *va;                /* NULL: none */
	size_t len, used;
	int node;                   /* asked for; -1: the local one */
	bool registered;            /* rte_extmem_register() */
	enum { GEN_DMA_UNMAPPED, GEN_DMA_MAPPED, GEN_DMA_NOT_NEEDED } dma;
	uint16_t port_id;
};

/* len bytes on node (-1: local) for port_id's device, registered and
 * mapped. 0, or -errno with a message printed. */
int gen_protomem_create(struct gen_protomem *pm, size_t len, int node, uint16_t port_id,
			const char *port_name);
/* The next len bytes, cache-line aligned, and their IO address; NULL when
 * the region is used up. */
void *gen_protomem_take(struct gen_protomem *pm, size_t len, rte_iova_t *iova);
/* Unmapped, unregistered and freed; the MDLs over it must be gone. */
void gen_protomem_destroy(struct gen_protomem *pm);
/* "done", "not needed (the device's bus maps none)". */
const char *gen_protomem_dma_text(const struct gen_protomem *pm);

#endif /* CONDIS_GEN_PROTOMEM_H */
