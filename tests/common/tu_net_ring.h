/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring ports (rte_eth_from_rings(), librte_net_ring) when the build has
 * them. Without librte_net_ring the tests still build and run: a case that
 * needs a ring port names tu_need_net_ring as its setup and skips.
 */
#ifndef CONDIS_TU_NET_RING_H
#define CONDIS_TU_NET_RING_H

#include <rte_ring.h>

/** NULL when net_ring ports can be made, else why not (a SKIP reason). */
const char *tu_net_ring_missing(void);

/** Case setup: SKIP the case unless net_ring ports can be made. */
void tu_need_net_ring(void);

/**
 * rte_eth_from_rings() (same arguments, same result) when the build has
 * librte_net_ring; otherwise -1 with rte_errno ENOTSUP.
 */
int tu_eth_from_rings(const char *name, struct rte_ring *const rx_queues[],
		      unsigned int nb_rx_queues, struct rte_ring *const tx_queues[],
		      unsigned int nb_tx_queues, unsigned int numa_node);

#endif /* CONDIS_TU_NET_RING_H */
