/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pools and NB/NBL builders for the tests: the usual set of pools
 * (tu_pools_create()), stamped data NBLs and chains, NBs over several MDLs,
 * and the frees that take an NB's MDLs (or a bare NBL's NBs) with it.
 */
#ifndef CONDIS_TU_POOLS_H
#define CONDIS_TU_POOLS_H

#include <stdbool.h>
#include <stdint.h>

#include <condis/condis.h>

struct tu_pools {
	struct condis_nbl_pool *data;   /* NBL + NB + MDL + data (spec 9) */
	struct condis_nbl_pool *bare;   /* NBLs with no NB */
	struct condis_nb_pool *nb;
	struct condis_mdl_pool *mdl;    /* data MDLs */
};

/*
 * Cap on MDLs per NB for tu_multi_nb() (default 64): set it to
 * condis_ethdev_max_segs() of the adapter under test, since an NB of more
 * segments than the device takes legitimately completes with INVALID_LENGTH
 * (spec 59). net_null and net_pcap do not offer RTE_ETH_TX_OFFLOAD_MULTI_SEGS.
 */
extern unsigned int tu_max_segs;

/** An NBL pool of count NBLs (with an NB and data_size bytes of data if allocate_nb). */
struct condis_nbl_pool *tu_nbl_pool(uint32_t count, bool allocate_nb, uint32_t data_size);

/** An NB pool of count NBs. */
struct condis_nb_pool *tu_nb_pool(uint32_t count);

/** A data MDL pool of count MDLs of data_size bytes. */
struct condis_mdl_pool *tu_mdl_pool(uint32_t count, uint16_t data_size);

/** The usual pools: count data and bare NBLs, 4 * count NBs, 12 * count 2 KB MDLs. */
bool tu_pools_create(struct tu_pools *tp, uint32_t count);

/** Data-pool NBL with its NB cut to len bytes and stamped (vc, seq). */
struct condis_nbl *tu_data_nbl(struct tu_pools *tp, uint32_t len, uint32_t vc, uint32_t seq);

/**
 * Chain of n data-pool NBLs of len bytes, stamped (vc, first_seq + i);
 * NULL (nothing kept) if the pool runs out.
 */
struct condis_nbl *tu_data_chain(struct tu_pools *tp, unsigned int n, uint32_t len, uint32_t vc,
				 uint32_t first_seq);

/**
 * NB of len bytes over nsegs data MDLs (near-equal pieces, nsegs capped at
 * tu_max_segs), stamped.
 */
struct condis_nb *tu_multi_nb(struct tu_pools *tp, uint32_t len, unsigned int nsegs, uint32_t vc,
			      uint32_t seq);

/** Free an NB from tp->nb and its MDLs. */
void tu_free_nb(struct condis_nb *nb);

/** Free an NBL; for bare-pool NBLs (own_nbs) also its NBs and MDLs. Returns condis_nbl_free(). */
int tu_free_nbl(struct condis_nbl *nbl, bool own_nbs);

#endif /* CONDIS_TU_POOLS_H */
