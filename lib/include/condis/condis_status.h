/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * NDIS status codes and flag values used by condis (spec L, items 111-121).
 *
 * Values are NDIS's own numbers so that a status read off a condis NBL means
 * the same thing it means in a Windows driver.
 */
#ifndef CONDIS_STATUS_H
#define CONDIS_STATUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** An NDIS_STATUS: 32-bit, NTSTATUS-style severity in the top bits. */
typedef int32_t condis_status_t;

#define CONDIS_STATUS_SUCCESS            ((condis_status_t)0x00000000) /**< spec 111 */
#define CONDIS_STATUS_PENDING            ((condis_status_t)0x00000103) /**< never a completion status (spec 122) */
#define CONDIS_STATUS_NOT_ACCEPTED       ((condis_status_t)0x00010003) /**< delete of an active VC (spec 41, 114) */
/** @name Status indications (condis_protocol_ops.co_status), NDIS's values */
/**@{*/
#define CONDIS_STATUS_RESET_START        ((condis_status_t)0x40010004) /**< a reset begins (spec 103) */
#define CONDIS_STATUS_RESET_END          ((condis_status_t)0x40010005) /**< the reset is over (spec 103) */
#define CONDIS_STATUS_MEDIA_CONNECT      ((condis_status_t)0x4001000B) /**< link up */
#define CONDIS_STATUS_MEDIA_DISCONNECT   ((condis_status_t)0x4001000C) /**< link down */
/**@}*/
#define CONDIS_STATUS_FAILURE            ((condis_status_t)0xC0000001) /**< spec 112 */
#define CONDIS_STATUS_RESOURCES          ((condis_status_t)0xC000009A) /**< spec 112 */
#define CONDIS_STATUS_NOT_SUPPORTED      ((condis_status_t)0xC00000BB) /**< spec 112 */
#define CONDIS_STATUS_CLOSING            ((condis_status_t)0xC0010002) /**< spec 113 */
#define CONDIS_STATUS_REQUEST_ABORTED    ((condis_status_t)0xC001000C) /**< spec 113 */
#define CONDIS_STATUS_RESET_IN_PROGRESS  ((condis_status_t)0xC001000D) /**< spec 113 */
#define CONDIS_STATUS_CLOSING_INDICATING ((condis_status_t)0xC001000E) /**< spec 113 */
#define CONDIS_STATUS_INVALID_PACKET     ((condis_status_t)0xC001000F) /**< spec 113 */
#define CONDIS_STATUS_INVALID_LENGTH     ((condis_status_t)0xC0010014) /**< spec 113 */
#define CONDIS_STATUS_INVALID_DATA       ((condis_status_t)0xC0010015) /**< spec 113 */
#define CONDIS_STATUS_VC_NOT_ACTIVATED   ((condis_status_t)0xC0010023) /**< spec 114 */
#define CONDIS_STATUS_VC_NOT_AVAILABLE   ((condis_status_t)0xC0010025) /**< spec 114 */
#define CONDIS_STATUS_SEND_ABORTED       ((condis_status_t)0xC023000C) /**< spec 115-116: not REQUEST_ABORTED */
#define CONDIS_STATUS_MEDIA_DISCONNECTED ((condis_status_t)0xC023001F) /**< spec 115 */
#define CONDIS_STATUS_PAUSED             ((condis_status_t)0xC023002A) /**< spec 115 */
#define CONDIS_STATUS_LOW_POWER_STATE    ((condis_status_t)0xC023002F) /**< spec 115 */

/** @name Send flags (spec 117): NDIS_SEND_FLAGS_* */
/**@{*/
#define CONDIS_SEND_FLAGS_DISPATCH_LEVEL           0x00000001u /**< caller runs at DISPATCH_LEVEL */
#define CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK       0x00000002u /**< check the NBLs for loopback */
#define CONDIS_SEND_FLAGS_SINGLE_QUEUE             0x00000004u /**< all NBLs of one queue */
/** Hyper-V extensible switch: the NBLs carry destination port data. */
#define CONDIS_SEND_FLAGS_SWITCH_DESTINATION_GROUP 0x00000010u
/** Hyper-V extensible switch: all NBLs come from one source port. */
#define CONDIS_SEND_FLAGS_SWITCH_SINGLE_SOURCE     0x00000020u
/**@}*/

/** @name Send-complete flags (spec 118): NDIS_SEND_COMPLETE_FLAGS_* */
/**@{*/
#define CONDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL       0x00000001u /**< runs at DISPATCH_LEVEL */
#define CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE         0x00000002u /**< all NBLs of one queue */
/** Hyper-V extensible switch: all NBLs come from one source port. */
#define CONDIS_SEND_COMPLETE_FLAGS_SWITCH_SINGLE_SOURCE 0x00000004u
/**@}*/

/** @name Receive flags (spec 82): NDIS_RECEIVE_FLAGS_*, condis_protocol_ops.co_receive */
/**@{*/
#define CONDIS_RECEIVE_FLAGS_DISPATCH_LEVEL    0x00000001u /**< runs at DISPATCH_LEVEL */
/** The NBLs stay the caller's and are valid only during the call: the
 *  protocol copies what it wants to keep (condis always sets it). */
#define CONDIS_RECEIVE_FLAGS_RESOURCES         0x00000002u
#define CONDIS_RECEIVE_FLAGS_SINGLE_ETHER_TYPE 0x00000100u /**< all NBLs of one EtherType */
#define CONDIS_RECEIVE_FLAGS_SINGLE_VLAN       0x00000200u /**< all NBLs of one VLAN */
#define CONDIS_RECEIVE_FLAGS_PERFECT_FILTERED  0x00000400u /**< filtered exactly, no hash */
#define CONDIS_RECEIVE_FLAGS_SINGLE_QUEUE      0x00000800u /**< all NBLs from one queue */
/**@}*/

/** @name NBL flags (spec 120): NblFlags, NDIS_NBL_FLAGS_* */
/**@{*/
#define CONDIS_NBL_FLAGS_SEND_READ_ONLY     0x00000001u /**< send path: data read-only */
#define CONDIS_NBL_FLAGS_RECV_READ_ONLY     0x00000002u /**< receive path: data read-only */
#define CONDIS_NBL_FLAGS_HD_SPLIT           0x00000100u /**< header-data split applied */
#define CONDIS_NBL_FLAGS_IS_IPV4            0x00000200u /**< frames carry IPv4 */
#define CONDIS_NBL_FLAGS_IS_IPV6            0x00000400u /**< frames carry IPv6 */
#define CONDIS_NBL_FLAGS_IS_TCP             0x00000800u /**< frames carry TCP */
#define CONDIS_NBL_FLAGS_IS_UDP             0x00001000u /**< frames carry UDP */
#define CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET 0x00008000u /**< a loopback copy */
/**@}*/

/** @name Clone flags (spec 20, 120): NDIS_CLONE_FLAGS_* */
/**@{*/
#define CONDIS_CLONE_FLAGS_RESERVED          0x00000001u /**< reserved */
#define CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS 0x00000002u /**< the clone shares the MDLs */
/**@}*/

/** @name MAC options (spec 119): NDIS_MAC_OPTION_* */
/**@{*/
#define CONDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA 0x00000001u /**< lookahead data may be copied */
#define CONDIS_MAC_OPTION_TRANSFERS_NOT_PEND  0x00000004u /**< data transfers never pend */
#define CONDIS_MAC_OPTION_NO_LOOPBACK         0x00000008u /**< the NIC does not loop frames back */
#define CONDIS_MAC_OPTION_FULL_DUPLEX         0x00000010u /**< sends and receives at once */
#define CONDIS_MAC_OPTION_8021P_PRIORITY      0x00000040u /**< 802.1p priority supported */
/**@}*/

/** @name Packet filter bits (spec 121): NDIS_PACKET_TYPE_* */
/**@{*/
#define CONDIS_PACKET_TYPE_DIRECTED      0x00000001u /**< frames to the adapter's own address */
#define CONDIS_PACKET_TYPE_MULTICAST     0x00000002u /**< multicast to the addresses in its list */
#define CONDIS_PACKET_TYPE_ALL_MULTICAST 0x00000004u /**< all multicast */
#define CONDIS_PACKET_TYPE_BROADCAST     0x00000008u /**< broadcast */
#define CONDIS_PACKET_TYPE_PROMISCUOUS   0x00000020u /**< all frames */
#define CONDIS_PACKET_TYPE_ALL_LOCAL     0x00000080u /**< all frames local protocols send */
/**@}*/

/**
 * Name of a status code, for logs and reports.
 *
 * @param status
 *   Any NDIS status.
 * @return
 *   A static string such as "SUCCESS" or "INVALID_LENGTH"; "UNKNOWN" otherwise.
 */
const char *condis_status_name(condis_status_t status);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_STATUS_H */
