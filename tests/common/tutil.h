/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared helpers for the condis unit and functional tests: one include for
 * all of them. They are compiled once into the condis_test static library
 * (tests/meson.build), with their state in the .c files:
 *
 * - tu_port.h: EAL start through the harness (tu_eal_init()), unique object
 *   names (tu_name()), vdev ports, adapters in the suite's owner mode
 *   (tu_ethdev_open(), tu_open(); CONDIS_TEST_OWNERS=1).
 * - tu_protocol.h: a tracking protocol (tu_ops): every send is recorded
 *   (tu_send()), every completion checked against the record; violations
 *   are counted in tu_cb_errors, which every case checks is 0. The record:
 *   tu_tracks, tu_n_tracks, tu_completed, tu_calls, tu_vcs.
 * - tu_frame.h: write/read a stamped test frame across an NB's MDLs.
 * - tu_pools.h: pools and NB/NBL builders (tu_max_segs caps MDLs per NB).
 * - tu_net_ring.h: net_ring ports when the build has librte_net_ring, else
 *   a case setup (tu_need_net_ring) that skips.
 */
#ifndef CONDIS_TUTIL_H
#define CONDIS_TUTIL_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tu_frame.h"
#include "tu_net_ring.h"
#include "tu_pools.h"
#include "tu_port.h"
#include "tu_protocol.h"

#endif /* CONDIS_TUTIL_H */
