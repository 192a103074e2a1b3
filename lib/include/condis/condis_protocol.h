/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Protocols (clients): registration, and the handlers condis calls back
 * (NdisRegisterProtocolDriver, ProtocolCoSendNetBufferListsComplete; spec B, D).
 */
#ifndef CONDIS_PROTOCOL_H
#define CONDIS_PROTOCOL_H

#include <stdint.h>

#include <condis/condis_nbl.h>
#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct condis_protocol;

/** Protocol (client) handlers. */
struct condis_protocol_ops {
	/**
	 * ProtocolCoSendNetBufferListsComplete (spec 60, 69, 70): a chain of NBLs of
	 * one VC, each with its status set. Called once per VC per completion batch.
	 * The protocol owns the NBLs again from this call on. Required.
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
};

/**
 * Register a protocol (NdisRegisterProtocolDriver).
 *
 * @return the protocol handle, or NULL with rte_errno EINVAL (no completion
 *   handler) or ENOMEM.
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
