/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL, names, ports and adapters for the tests: EAL through the harness,
 * unique object names, vdev ports by name, and condis_ethdev_open() in the
 * suite's owner mode (CONDIS_TEST_OWNERS=1), or a sim adapter in its place
 * (CONDIS_TEST_MINIPORT=sim).
 */
#ifndef CONDIS_TU_PORT_H
#define CONDIS_TU_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>
#include <condis/condis_sim.h>

/** EAL start: the harness's (no hugepages, no PCI, per-process file prefix). */
int tu_eal_init(const char *prog, const char *const *vdevs);

/**
 * A unique object name, base plus a counter (mempool and ring names are
 * global to the process). Valid until 256 more names were made.
 */
const char *tu_name(const char *base);

/** Look up a vdev port by name (rte_eth_dev_get_port_by_name()). */
int tu_port(const char *name, uint16_t *port);

/**
 * condis_ethdev_open() in the suite's owner mode: with CONDIS_TEST_OWNERS=1
 * in the environment (meson runs every functional test both ways) every
 * queue the params leave unowned is owned by the calling lcore, which polls
 * it, so each send goes through the owner's path (condis_vc.h "Threads").
 * With CONDIS_TEST_MINIPORT=sim it opens a sim adapter instead
 * (tu_sim_params()), with the queue count, VC table and owners of p.
 */
struct condis_adapter *tu_ethdev_open(struct condis_ethdev_params *p);

/** tu_ethdev_open() of port with nq TX queues, defaults otherwise. */
struct condis_adapter *tu_open(uint16_t port, uint16_t nq);

/** Does the suite run on the sim miniport (CONDIS_TEST_MINIPORT=sim)? */
bool tu_on_sim(void);

/**
 * What tu_ethdev_open() gives the sim, for nq queues: AUTO mode (a device
 * done at once, like net_null), max_frame 1514, 32 pieces, 1024 descriptors.
 */
void tu_sim_params(struct condis_sim_params *sp, uint16_t nq);

/** condis_sim_open() in the suite's owner mode (as tu_ethdev_open()). */
struct condis_adapter *tu_sim_open(struct condis_sim_params *sp);

/** Largest frame of the adapter under test, ethdev or sim (tu_sim_params()). */
uint32_t tu_max_frame(const struct condis_adapter *ad);

/** Most pieces per frame of the adapter under test, ethdev or sim (tu_sim_params()). */
uint16_t tu_max_pieces(const struct condis_adapter *ad);

#endif /* CONDIS_TU_PORT_H */
