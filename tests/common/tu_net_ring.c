/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring ports for the tests (tu_net_ring.h).
 *
 * rte_eth_from_rings() lives in librte_net_ring, a PMD that libdpdk.pc does
 * not link. tests/meson.build looks for it and builds this file with
 * CONDIS_HAVE_NET_RING 1 (and links the library through test_common_dep) or
 * 0, in which case the wrapper fails and every case needing a ring port
 * skips at run time: the tests are always registered, always built (the
 * test sources compile the same either way, so they cannot rot on machines
 * that have the library), and report "SKIP: ..." with exit 77 instead of
 * vanishing at configure time.
 *
 * Why not dlopen()/dlsym() at run time: the library's file name carries
 * DPDK's ABI version (librte_net_ring.so.23), a static DPDK build has no .so
 * to open, and a lookup that silently fails would turn a broken install into
 * a skipped (green) test. Deciding at configure time keeps the outcome
 * fixed per build: where meson found the library, these tests link it and
 * run, and only the static library's wrapper differs.
 *
 * Only the test binaries that call these functions pull this object out of
 * the condis_test static library (and, with --as-needed, the PMD with it).
 */
#include <errno.h>

#include <rte_errno.h>

#ifndef CONDIS_HAVE_NET_RING
#error "CONDIS_HAVE_NET_RING must be 0 or 1 (tests/meson.build)"
#endif
#if CONDIS_HAVE_NET_RING
#include <rte_eth_ring.h>
#endif

#include "condis_test.h"
#include "tu_net_ring.h"

const char *
tu_net_ring_missing(void)
{
#if CONDIS_HAVE_NET_RING
	return NULL;
#else
	return "net_ring PMD (librte_net_ring) not available";
#endif
}

void
tu_need_net_ring(void)
{
	const char *why = tu_net_ring_missing();

	if (why != NULL)
		SKIP(why);
}

int
tu_eth_from_rings(const char *name, struct rte_ring *const rx_queues[], unsigned int nb_rx_queues,
		  struct rte_ring *const tx_queues[], unsigned int nb_tx_queues,
		  unsigned int numa_node)
{
#if CONDIS_HAVE_NET_RING
	return rte_eth_from_rings(name, rx_queues, nb_rx_queues, tx_queues, nb_tx_queues,
				  numa_node);
#else
	(void)name;
	(void)rx_queues;
	(void)nb_rx_queues;
	(void)tx_queues;
	(void)nb_tx_queues;
	(void)numa_node;
	rte_errno = ENOTSUP;
	return -1;
#endif
}
