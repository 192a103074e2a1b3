/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Protocols (clients): registration, and the handlers condis calls back
 * (NdisRegisterProtocolDriver, ProtocolCoSendNetBufferListsComplete; spec B, D).
 */
#ifndef CONDIS_PROTOCOL_H
#define CONDIS_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include <condis/condis_nbl.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_protocol;
struct condis_adapter;

/**
 * What the library learned of a completed chain while readying it, handed
 * to co_send_complete_ex so that the protocol need not walk the chain again
 * to count it, find its end or look for failures.
 */
struct condis_send_completion {
	/** The chain's last NBL (its next is NULL). */
	struct condis_nbl *last;
	/** NBLs in the chain, at least 1. */
	uint32_t count;
	/** Of them, those whose status is not CONDIS_STATUS_SUCCESS. */
	uint32_t failed;
	/**
	 * The NBLs were sent on this VC one after another, in chain order: no
	 * other NBL of the VC was sent between two of them, and none is out of
	 * order. A protocol that stamps each send (a time, a sequence) may then
	 * read the first and last NBL's stamps for the whole chain. false when
	 * the library cannot tell (an NDIS-style miniport completed part of it).
	 * Numbered per VC modulo 2^32 by condis_co_send_nbls(), so it relies on
	 * the rule that one thread at a time sends on a VC (condis_send.h).
	 */
	bool consecutive;
};

/** Protocol (client) handlers. */
struct condis_protocol_ops {
	/**
	 * ProtocolCoSendNetBufferListsComplete (spec 60, 69, 70): a chain of NBLs of
	 * one VC, each with its status set. Called once per VC per completion batch.
	 * The protocol owns the NBLs again from this call on. Required, unless
	 * co_send_complete_ex is set.
	 */
	void (*co_send_complete)(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t flags);
	/**
	 * A deactivation that returned CONDIS_STATUS_PENDING has finished: every
	 * send on the VC has completed (spec 38). Optional.
	 */
	void (*co_deactivate_complete)(void *protocol_vc_ctx, condis_status_t status);
	/**
	 * ProtocolCoStatusEx: an adapter-wide status indication
	 * (CONDIS_STATUS_RESET_START / RESET_END, MEDIA_CONNECT / DISCONNECT),
	 * called once for each of the protocol's VCs on the adapter, on the
	 * thread that raised it (the reset's caller, the poll that finished the
	 * reset, the miniport's control call for a link change). Optional.
	 */
	void (*co_status)(void *protocol_vc_ctx, condis_status_t status);
	/**
	 * ProtocolCoReceiveNetBufferLists: frames for the binding. condis has no
	 * receive path; the only frames indicated are the software loopback of
	 * the protocol's own sends (spec 82-84, condis_binding_set_packet_filter()):
	 * count NBLs of one NB each, every one flagged
	 * CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET, copies of the NBs of a send made
	 * with CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK on the VC whose context
	 * this is. receive_flags always holds CONDIS_RECEIVE_FLAGS_RESOURCES:
	 * the NBLs (and their data) stay the library's and are valid only during
	 * the call; do not keep, send or free them, and do not change their
	 * links. It runs on the sending thread, inside condis_co_send_nbls(),
	 * after the sent chain was handed down. It may send (on any VC); a send
	 * from it that asks for loopback is looped too, up to
	 * CONDIS_LOOPBACK_MAX_DEPTH nested sends. Optional: without it nothing
	 * is looped back.
	 */
	void (*co_receive)(void *protocol_vc_ctx, struct condis_nbl *chain, uint32_t count,
			   uint32_t receive_flags);
	/**
	 * co_send_complete with what the library learned of the chain (struct
	 * condis_send_completion, valid during the call only). Called in place
	 * of co_send_complete when set, for every completion; same rules.
	 * Optional: a condis extension, not in NDIS.
	 */
	void (*co_send_complete_ex)(void *protocol_vc_ctx, struct condis_nbl *chain,
				    const struct condis_send_completion *info, uint32_t flags);
};

/**
 * @name Software loopback (spec 82-84)
 *
 * NDIS loops no send back by default. A send flagged
 * CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK has each of its NBs that the sending
 * binding's receive criteria accept (its packet filter, and its multicast
 * list) indicated to that binding's co_receive, on the sending VC; other
 * bindings see nothing. condis does it in software for 802.3 adapters whose
 * miniport reports CONDIS_MAC_OPTION_NO_LOOPBACK (the ethdev and sim
 * miniports do); on others the device loops frames itself and condis does
 * not. Each looped NB is copied into an NBL of a pool the library creates
 * for the adapter when a binding first sets a filter other than 0
 * (CONDIS_LOOPBACK_NBLS NBLs of the adapter's largest frame): the copy
 * shares nothing with the sent NBL, whose completion is unaffected. A frame
 * that finds the pool empty is not looped and is counted
 * (condis_vc_stats.loopback_dropped); its send goes on as usual.
 */
/**@{*/
/** NBLs of an adapter's loopback pool. */
#define CONDIS_LOOPBACK_NBLS 256
/** Most nested looped sends (co_receive sending with loopback); deeper ones
 *  loop nothing and count their matching NBs as dropped. */
#define CONDIS_LOOPBACK_MAX_DEPTH 4
/** Most addresses in a binding's multicast list (OID_802_3_MAXIMUM_LIST_SIZE). */
#define CONDIS_MULTICAST_LIST_MAX 32

/**
 * Set the packet filter of the binding of protocol and adapter
 * (OID_GEN_CURRENT_PACKET_FILTER, which NDIS keeps per binding): the
 * CONDIS_PACKET_TYPE_* bits of the frames it receives. For loopback:
 * DIRECTED accepts frames to the adapter's own address, MULTICAST those to
 * an address of its multicast list, ALL_MULTICAST every multicast,
 * BROADCAST ff:ff:ff:ff:ff:ff, PROMISCUOUS and ALL_LOCAL every frame.
 * 0, the default, accepts nothing. Control path: a send running on another
 * thread meanwhile is matched against the old filter or the new one.
 * @return 0; -EINVAL for a NULL protocol or adapter; -ENOTSUP for bits
 *   outside those above (nothing changes); -ENOMEM if the binding or the
 *   adapter's loopback pool could not be allocated (nothing changes).
 */
int condis_binding_set_packet_filter(struct condis_protocol *protocol,
				     struct condis_adapter *adapter, uint32_t filter);

/** The binding's packet filter, 0 if it never set one. */
uint32_t condis_binding_packet_filter(const struct condis_protocol *protocol,
				      const struct condis_adapter *adapter);

/**
 * Replace the multicast list of the binding of protocol and adapter
 * (OID_802_3_MULTICAST_LIST): the addresses CONDIS_PACKET_TYPE_MULTICAST
 * accepts. n == 0 empties it. Control path, as the filter.
 * @return 0; -EINVAL for a NULL protocol or adapter, addrs NULL with n != 0,
 *   or an address that is not multicast; -ENOSPC for more than
 *   CONDIS_MULTICAST_LIST_MAX (NDIS_STATUS_MULTICAST_FULL); -ENOMEM.
 *   The list is unchanged on error.
 */
int condis_binding_set_multicast_list(struct condis_protocol *protocol,
				      struct condis_adapter *adapter,
				      const struct rte_ether_addr *addrs, unsigned int n);
/**@}*/

/**
 * Register a protocol (NdisRegisterProtocolDriver).
 *
 * @return the protocol handle, or NULL with rte_errno EINVAL (neither
 *   co_send_complete nor co_send_complete_ex) or ENOMEM.
 */
struct condis_protocol *condis_protocol_register(const char *name,
						 const struct condis_protocol_ops *ops);

/** Deregister a protocol. @return 0, or -EBUSY while it has VCs. */
int condis_protocol_deregister(struct condis_protocol *protocol);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_PROTOCOL_H */
