/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen's ports (--port-id N[,M...]): each one an adapter of the ethdev
 * miniport with its share of the workers as TX queues, its own pools on its
 * NUMA node, and its workers' NBL windows (ports.c).
 */
#ifndef CONDIS_GEN_PORTS_H
#define CONDIS_GEN_PORTS_H

#include <rte_ethdev.h>

#include "gen.h"
#include "protomem.h"

struct gen_port {
	uint16_t id;
	int socket;                 /* its NUMA node; SOCKET_ID_ANY: not known */
	char name[RTE_ETH_NAME_MAX_LEN];
	struct condis_adapter *adapter;
	uint16_t nb_workers;
	struct condis_nbl_pool *nbls;
	struct condis_nb_pool *nbs;
	struct condis_mdl_pool *mdls;
	struct gen_protomem mem;    /* --zero-copy: its workers' frames */
};

/* Gives each worker its lcore, port and queue, and opens every port with
 * its workers' queues (rx_queue: the first port also receives, --rx-port on
 * itself). Exits with a message on failure. */
void gen_ports_open(const struct gen_options *opt, struct gen_worker *workers,
		    struct gen_port *ports, bool rx_queue);
/* NBLs per worker: the descriptor ring and two chains. */
uint32_t gen_ports_window(const struct gen_options *opt);
/* Each port's pools on its node, then its workers' windows (frames built,
 * or --pcap's loaded). Exits with a message on failure. */
void gen_ports_fill(const struct gen_options *opt, struct gen_worker *workers,
		    struct gen_port *ports, uint32_t window);
/* Warns of a worker, or a port's pool memory, on another NUMA node than its
 * port (libnuma: where the pages are, not where they were asked for). */
void gen_ports_numa_check(const struct gen_options *opt, const struct gen_worker *workers,
			  const struct gen_port *ports);
/* The windows and pools back, after the adapters closed; then the ports. */
void gen_ports_free(const struct gen_options *opt, struct gen_worker *workers,
		    struct gen_port *ports);
/* "net_null0" or "net_null0,net_null1". */
const char *gen_ports_names(const struct gen_options *opt, const struct gen_port *ports,
			    char *buf, size_t len);

#endif /* CONDIS_GEN_PORTS_H */
