/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * condis: the NDIS 6 connection-oriented send path on DPDK. Umbrella header
 * for protocols (clients): objects, pools, VCs and send.
 */
#ifndef CONDIS_H
#define CONDIS_H

#include <condis/condis_status.h>
#include <condis/condis_nbl.h>
#include <condis/condis_vc.h>

#endif /* CONDIS_H */
