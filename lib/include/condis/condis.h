/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * condis: the NDIS 6 connection-oriented send path on DPDK. Umbrella header
 * for protocols (clients): objects and pools (condis_nbl.h), protocol
 * registration (condis_protocol.h), VCs (condis_vc.h), send and poll
 * (condis_send.h), adapters (condis_adapter.h), statuses (condis_status.h),
 * the TCP/IP checksum slot (condis_checksum.h).
 *
 * Conventions: VC lifecycle calls return NDIS statuses (their results are
 * NDIS's: NOT_ACCEPTED, CLOSING, PENDING, ...); object constructors return
 * NULL and set rte_errno; other calls return 0 or -errno. An attribute is
 * read with condis_<object>_<attribute>(); a call that fills the caller's
 * struct ends in _get (condis_vc_stats_get(), as rte_eth_stats_get()).
 */
#ifndef CONDIS_H
#define CONDIS_H

#include <condis/condis_status.h>
#include <condis/condis_nbl.h>
#include <condis/condis_protocol.h>
#include <condis/condis_vc.h>
#include <condis/condis_send.h>
#include <condis/condis_adapter.h>
#include <condis/condis_checksum.h>

#endif /* CONDIS_H */
