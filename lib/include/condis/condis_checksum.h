/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The TCP/IP checksum OOB slot on transmit (spec 26):
 * NET_BUFFER_LIST_INFO(nbl, TcpIpChecksumNetBufferListInfo), slot
 * CONDIS_NBL_INFO_TCPIP_CHECKSUM, holds an
 * NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO: a ULONG in a pointer-sized
 * slot whose Transmit bit-fields are, lowest bit first, IsIPv4:1, IsIPv6:1,
 * TcpChecksum:1, UdpChecksum:1, IpHeaderChecksum:1, Reserved:11,
 * TcpHeaderOffset:10.
 *
 * A protocol sets the slot on an NBL to have the checksums it names put on
 * the wire for every NB of the NBL; nothing is offloaded unless IsIPv4 or
 * IsIPv6 is set. The ethdev miniport fills them with the port's checksum
 * offload where the port has it, else in software, never writing into the
 * protocol's buffers (docs/DESIGN-NOTES.md, "Checksums on transmit"). A
 * request it cannot meet (a frame that is not what the bits claim, headers
 * cut short, an offset past the data) completes with
 * CONDIS_STATUS_INVALID_PACKET, unsent.
 *
 * Whatever the checksum fields of the frame hold is ignored for the
 * checksums requested: the protocol may leave them 0 (or put the
 * pseudo-header sum there, as Windows' TCP/IP does).
 */
#ifndef CONDIS_CHECKSUM_H
#define CONDIS_CHECKSUM_H

#include <stdbool.h>
#include <stdint.h>

#include <condis/condis_nbl.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Transmit bits of the checksum slot (NDIS bit-field order). */
/**@{*/
#define CONDIS_CSUM_TX_IPV4       0x01u /**< IsIPv4: the frame is IPv4 */
#define CONDIS_CSUM_TX_IPV6       0x02u /**< IsIPv6: the frame is IPv6 */
#define CONDIS_CSUM_TX_TCP        0x04u /**< TcpChecksum: fill the TCP checksum */
#define CONDIS_CSUM_TX_UDP        0x08u /**< UdpChecksum: fill the UDP checksum */
#define CONDIS_CSUM_TX_IP_HEADER  0x10u /**< IpHeaderChecksum: fill the IPv4 header checksum */
/** Every flag bit above (bits 0-4). */
#define CONDIS_CSUM_TX_FLAGS_MASK 0x1fu
/** TcpHeaderOffset: bits 16-25. */
#define CONDIS_CSUM_TX_TCP_OFFSET_SHIFT 16
/** TcpHeaderOffset's width: 10 bits, so at most 1023. */
#define CONDIS_CSUM_TX_TCP_OFFSET_MAX   0x3ffu
/**@}*/

/**
 * Pack a transmit checksum slot value (the NDIS ULONG, in a uintptr_t).
 *
 * @param flags
 *   CONDIS_CSUM_TX_* bits; bits outside CONDIS_CSUM_TX_FLAGS_MASK are dropped.
 * @param tcp_header_offset
 *   TcpHeaderOffset: bytes from the first byte of the NB's data (the
 *   Ethernet header) to the TCP header, 0 when not given; cut to 10 bits.
 * @return
 *   The value for nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM].
 */
static inline uintptr_t
condis_tcpip_checksum_info(uint32_t flags, uint32_t tcp_header_offset)
{
	return (uintptr_t)(flags & CONDIS_CSUM_TX_FLAGS_MASK) |
	       ((uintptr_t)(tcp_header_offset & CONDIS_CSUM_TX_TCP_OFFSET_MAX)
		<< CONDIS_CSUM_TX_TCP_OFFSET_SHIFT);
}

/** The CONDIS_CSUM_TX_* flag bits of a checksum slot value. */
static inline uint32_t
condis_tcpip_checksum_flags(uintptr_t info)
{
	return (uint32_t)(info & CONDIS_CSUM_TX_FLAGS_MASK);
}

/** The TcpHeaderOffset of a checksum slot value (0: not given). */
static inline uint32_t
condis_tcpip_checksum_tcp_offset(uintptr_t info)
{
	return (uint32_t)(info >> CONDIS_CSUM_TX_TCP_OFFSET_SHIFT) & CONDIS_CSUM_TX_TCP_OFFSET_MAX;
}

/**
 * Does a checksum slot value ask for any checksum? False unless IsIPv4 or
 * IsIPv6 is set and at least one of TcpChecksum, UdpChecksum and
 * IpHeaderChecksum (spec 26: nothing is offloaded without an IP version).
 */
static inline bool
condis_tcpip_checksum_requested(uintptr_t info)
{
	return (info & (CONDIS_CSUM_TX_IPV4 | CONDIS_CSUM_TX_IPV6)) != 0 &&
	       (info & (CONDIS_CSUM_TX_TCP | CONDIS_CSUM_TX_UDP | CONDIS_CSUM_TX_IP_HEADER)) != 0;
}

/** Set the checksum slot of nbl (0 clears it: nothing requested). */
static inline void
condis_nbl_set_tcpip_checksum(struct condis_nbl *nbl, uintptr_t info)
{
	nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM] = info;
}

/** The checksum slot of nbl, 0 if nothing is set. */
static inline uintptr_t
condis_nbl_tcpip_checksum(const struct condis_nbl *nbl)
{
	return nbl->info[CONDIS_NBL_INFO_TCPIP_CHECKSUM];
}

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_CHECKSUM_H */
