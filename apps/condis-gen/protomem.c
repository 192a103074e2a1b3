/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Protocol memory for --zero-copy (protomem.h). DPDK needs to know memory a
 * device will read: rte_extmem_register() adds it to DPDK's map (so its IO
 * address can be looked up) and rte_dev_dma_map() maps it in the device's
 * IOMMU domain (vfio-pci). A virtual device reads by virtual address: DPDK
 * 22.11's vdev bus accepts the map and does nothing (reported "done"); a bus
 * with no map at all says ENOTSUP, which is not a failure either. With IOVA
 * as physical addresses, pages of the application's are not contiguous, so
 * that mode is refused rather than sending from wrong addresses.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <numa.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_memory.h>

#include "protomem.h"

int
gen_protomem_create(struct gen_protomem *pm, size_t len, int node, uint16_t port_id,
		    const char *port_name)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct rte_eth_dev_info info;
	int rc;

	memset(pm, 0, sizeof(*pm));
	pm->node = node;
	pm->port_id = port_id;
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		fprintf(stderr, "condis-gen: --zero-copy needs IO addresses as virtual addresses "
			"(EAL --iova-mode=va): the application's pages are not physically "
			"contiguous\n");
		return -ENOTSUP;
	}
	pm->len = RTE_ALIGN_CEIL(len, page);
	if (numa_available() >= 0)
		pm->va = node >= 0 ? numa_alloc_onnode(pm->len, node) : numa_alloc_local(pm->len);
	else
		pm->va = mmap(NULL, pm->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
	if (pm->va == NULL || pm->va == MAP_FAILED) {
		pm->va = NULL;
		fprintf(stderr, "condis-gen: --zero-copy: cannot allocate %zu bytes of protocol "
			"memory for port %s\n", pm->len, port_name);
		return -ENOMEM;
	}
	if (rte_extmem_register(pm->va, pm->len, NULL, 0, page) != 0) {
		rc = -rte_errno;
		fprintf(stderr, "condis-gen: --zero-copy: rte_extmem_register of %zu bytes: %s\n",
			pm->len, rte_strerror(rte_errno));
		gen_protomem_destroy(pm);
		return rc;
	}
	pm->registered = true;
	if (rte_eth_dev_info_get(port_id, &info) != 0) {
		rc = -ENODEV;
		gen_protomem_destroy(pm);
		return rc;
	}
	rte_errno = 0; /* a bus or driver may fail without setting it */
	rc = rte_dev_dma_map(info.device, pm->va, (rte_iova_t)(uintptr_t)pm->va, pm->len);
	if (rc == 0) {
		pm->dma = GEN_DMA_MAPPED;
	} else if (rc < 0 && rte_errno == ENOTSUP) {
		pm->dma = GEN_DMA_NOT_NEEDED;
	} else {
		fprintf(stderr, "condis-gen: --zero-copy: rte_dev_dma_map of %zu bytes for port "
			"%s failed (%d): %s\n", pm->len, port_name, rc,
			rte_errno != 0 ? rte_strerror(rte_errno) : "no reason given");
		rc = rte_errno != 0 ? -rte_errno : -EIO;
		gen_protomem_destroy(pm);
		return rc;
	}
	return 0;
}

void *
gen_protomem_take(struct gen_protomem *pm, size_t len, rte_iova_t *iova)
{
	size_t off = RTE_ALIGN_CEIL(pm->used, RTE_CACHE_LINE_SIZE);

	if (pm->va == NULL || off > pm->len || pm->len - off < len)
		return NULL;
	pm->used = off + len;
	*iova = (rte_iova_t)(uintptr_t)(pm->va + off);
	return pm->va + off;
}

void
gen_protomem_destroy(struct gen_protomem *pm)
{
	struct rte_eth_dev_info info;

	if (pm->va == NULL)
		return;
	if (pm->dma == GEN_DMA_MAPPED && rte_eth_dev_info_get(pm->port_id, &info) == 0)
		rte_dev_dma_unmap(info.device, pm->va, (rte_iova_t)(uintptr_t)pm->va, pm->len);
	if (pm->registered)
		rte_extmem_unregister(pm->va, pm->len);
	if (numa_available() >= 0)
		numa_free(pm->va, pm->len);
	else
		munmap(pm->va, pm->len);
	memset(pm, 0, sizeof(*pm));
}

const char *
gen_protomem_dma_text(const struct gen_protomem *pm)
{
	return pm->dma == GEN_DMA_MAPPED ? "done" :
	       pm->dma == GEN_DMA_NOT_NEEDED ? "not needed (the device's bus maps none)" : "none";
}
