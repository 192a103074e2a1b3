/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NDIS names' protocol side (condis/ndis.h): a protocol registered
 * through NDIS_PROTOCOL_DRIVER_CHARACTERISTICS and NdisSetOptionalHandlers
 * is a condis protocol whose completion handler is the NDIS one itself
 * (the two signatures are the same type), so a completion costs nothing
 * more than the native one. A binding is (protocol, adapter).
 */
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "condis_ndis.h"

struct condis_ndis_protocol {
	uint32_t magic;
	NDIS_HANDLE driver_ctx;
	NDIS_PROTOCOL_CO_CHARACTERISTICS co;
	struct condis_protocol *protocol; /* once the CoNDIS handlers are set */
	uint32_t bindings;
	struct condis_ndis_binding *binding_list;
};

struct condis_ndis_binding {
	uint32_t magic;
	struct condis_ndis_binding *next; /* the protocol's bindings */
	struct condis_ndis_protocol *np;
	struct condis_adapter *adapter;
	NDIS_HANDLE binding_ctx;
};

static uint32_t protocols_made;

/* The binding context of vc's protocol on vc's adapter; NULL: unbound. */
static struct condis_ndis_binding *
binding_of_vc(const struct condis_vc *vc)
{
	struct condis_ndis_protocol *np = vc->protocol->ndis;
	struct condis_ndis_binding *b;

	for (b = np->binding_list; b != NULL; b = b->next)
		if (b->adapter == vc->adapter)
			return b;
	return NULL;
}

/* ProtocolCoStatusEx: a status indication with the binding's context. */
static void
ndis_status_vc(struct condis_vc *vc, condis_status_t status)
{
	struct condis_ndis_protocol *np = vc->protocol->ndis;
	struct condis_ndis_binding *b = binding_of_vc(vc);
	NDIS_STATUS_INDICATION ind;

	if (b == NULL)
		return;
	memset(&ind, 0, sizeof(ind));
	ind.Header.Type = NDIS_OBJECT_TYPE_STATUS_INDICATION;
	ind.Header.Revision = NDIS_STATUS_INDICATION_REVISION_1;
	ind.Header.Size = NDIS_SIZEOF_STATUS_INDICATION_REVISION_1;
	ind.SourceHandle = vc->adapter;
	ind.StatusCode = status;
	np->co.CoStatusHandlerEx(b->binding_ctx, vc->protocol_ctx, &ind);
}

/* ProtocolCoReceiveNetBufferLists (looped-back sends) with the binding's context. */
static void
ndis_receive_vc(struct condis_vc *vc, struct condis_nbl *chain, uint32_t count, uint32_t flags)
{
	struct condis_ndis_protocol *np = vc->protocol->ndis;
	struct condis_ndis_binding *b = binding_of_vc(vc);

	if (b != NULL)
		np->co.CoReceiveNetBufferListsHandler(b->binding_ctx, vc->protocol_ctx, chain,
						      count, flags);
}

static struct condis_ndis_protocol *
protocol_of(NDIS_HANDLE h)
{
	return condis_ndis_magic(h) == CONDIS_NDIS_PROTOCOL_MAGIC ? h : NULL;
}

static struct condis_ndis_binding *
binding_of(NDIS_HANDLE h)
{
	return condis_ndis_magic(h) == CONDIS_NDIS_BINDING_MAGIC ? h : NULL;
}

NDIS_STATUS
condis_ndis_register_protocol(NDIS_HANDLE ProtocolDriverContext,
			      const NDIS_PROTOCOL_DRIVER_CHARACTERISTICS *chars,
			      NDIS_HANDLE *NdisProtocolHandle)
{
	struct condis_ndis_protocol *np;
	NDIS_STATUS st;

	if (chars == NULL || NdisProtocolHandle == NULL ||
	    chars->Header.Type != NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS ||
	    chars->MajorNdisVersion != 6)
		return NDIS_STATUS_FAILURE;
	np = rte_zmalloc("condis_ndis_protocol", sizeof(*np), 0);
	if (np == NULL)
		return NDIS_STATUS_RESOURCES;
	if (condis_ndis_mdl_pool_get() != 0) {
		rte_free(np);
		return NDIS_STATUS_RESOURCES;
	}
	np->magic = CONDIS_NDIS_PROTOCOL_MAGIC;
	np->driver_ctx = ProtocolDriverContext;
	/* NDIS calls ProtocolSetOptions from the registration. */
	if (chars->SetOptionsHandler != NULL) {
		st = chars->SetOptionsHandler(np, ProtocolDriverContext);
		if (st != NDIS_STATUS_SUCCESS) {
			condis_ndis_deregister_protocol(np);
			return st;
		}
	}
	*NdisProtocolHandle = np;
	return NDIS_STATUS_SUCCESS;
}

void
condis_ndis_deregister_protocol(NDIS_HANDLE NdisProtocolHandle)
{
	struct condis_ndis_protocol *np = protocol_of(NdisProtocolHandle);

	if (np == NULL)
		return;
	if (np->bindings != 0 ||
	    (np->protocol != NULL && condis_protocol_deregister(np->protocol) != 0)) {
		CONDIS_LOG(ERR, "NdisDeregisterProtocolDriver: bindings or VCs remain; kept\n");
		return;
	}
	np->magic = 0;
	rte_free(np);
	condis_ndis_mdl_pool_put();
}

static NDIS_STATUS
protocol_set_co(struct condis_ndis_protocol *np, const NDIS_PROTOCOL_CO_CHARACTERISTICS *co)
{
	struct condis_protocol_ops ops = {0};
	char name[32];

	if (co->Header.Revision < NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1 ||
	    co->Header.Size < NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1 ||
	    co->CoSendNetBufferListsCompleteHandler == NULL || np->protocol != NULL)
		return NDIS_STATUS_FAILURE;
	/* The same function type: the NDIS handler is the condis handler. */
	ops.co_send_complete = co->CoSendNetBufferListsCompleteHandler;
	snprintf(name, sizeof(name), "ndis%u",
		 __atomic_fetch_add(&protocols_made, 1, __ATOMIC_RELAXED));
	np->protocol = condis_protocol_register(name, &ops);
	if (np->protocol == NULL)
		return NDIS_STATUS_RESOURCES;
	np->co = *co;
	np->protocol->ndis = np;
	if (co->CoStatusHandlerEx != NULL)
		np->protocol->status_vc = ndis_status_vc;
	if (co->CoReceiveNetBufferListsHandler != NULL)
		np->protocol->receive_vc = ndis_receive_vc;
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
condis_ndis_set_optional_handlers(NDIS_HANDLE NdisHandle,
				  const NDIS_DRIVER_OPTIONAL_HANDLERS *OptionalHandlers)
{
	struct condis_ndis_protocol *np = protocol_of(NdisHandle);

	if (OptionalHandlers == NULL)
		return NDIS_STATUS_FAILURE;
	if (np != NULL &&
	    OptionalHandlers->Header.Type == NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS)
		return protocol_set_co(np, (const NDIS_PROTOCOL_CO_CHARACTERISTICS *)
					    (const void *)OptionalHandlers);
	return condis_ndis_driver_set_co(NdisHandle, OptionalHandlers);
}

NDIS_STATUS
condis_ndis_open_adapter(NDIS_HANDLE NdisProtocolHandle, struct condis_adapter *adapter,
			 NDIS_HANDLE ProtocolBindingContext, NDIS_HANDLE *NdisBindingHandle)
{
	struct condis_ndis_protocol *np = protocol_of(NdisProtocolHandle);
	struct condis_ndis_binding *b;

	if (np == NULL || np->protocol == NULL || adapter == NULL || NdisBindingHandle == NULL)
		return NDIS_STATUS_FAILURE;
	b = rte_zmalloc("condis_ndis_binding", sizeof(*b), 0);
	if (b == NULL)
		return NDIS_STATUS_RESOURCES;
	b->magic = CONDIS_NDIS_BINDING_MAGIC;
	b->np = np;
	b->adapter = adapter;
	b->binding_ctx = ProtocolBindingContext;
	b->next = np->binding_list;
	np->binding_list = b;
	np->bindings++;
	*NdisBindingHandle = b;
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
condis_ndis_set_packet_filter(NDIS_HANDLE NdisBindingHandle, ULONG PacketFilter)
{
	struct condis_ndis_binding *b = binding_of(NdisBindingHandle);
	int rc;

	if (b == NULL)
		return NDIS_STATUS_FAILURE;
	rc = condis_binding_set_packet_filter(b->np->protocol, b->adapter, PacketFilter);
	return rc == -ENOTSUP ? NDIS_STATUS_NOT_SUPPORTED : condis_ndis_status_of(rc);
}

NDIS_STATUS
condis_ndis_close_adapter(NDIS_HANDLE NdisBindingHandle)
{
	struct condis_ndis_binding *b = binding_of(NdisBindingHandle);

	struct condis_ndis_binding **linkp;

	if (b == NULL)
		return NDIS_STATUS_FAILURE;
	for (linkp = &b->np->binding_list; *linkp != b; linkp = &(*linkp)->next)
		;
	*linkp = b->next;
	b->np->bindings--;
	b->magic = 0;
	rte_free(b);
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
condis_ndis_co_create_vc(NDIS_HANDLE NdisBindingHandle, NDIS_HANDLE ProtocolVcContext,
			 NDIS_HANDLE *NdisVcHandle)
{
	struct condis_ndis_binding *b = binding_of(NdisBindingHandle);
	struct condis_vc *vc;

	if (b == NULL || NdisVcHandle == NULL)
		return NDIS_STATUS_FAILURE;
	vc = condis_vc_create(b->np->protocol, b->adapter, ProtocolVcContext);
	if (vc == NULL)
		return rte_errno == ENOSPC || rte_errno == ENOMEM ? NDIS_STATUS_RESOURCES :
								    NDIS_STATUS_FAILURE;
	*NdisVcHandle = vc;
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
condis_ndis_make_call(NDIS_HANDLE NdisVcHandle, const CO_CALL_PARAMETERS *CallParameters)
{
	struct condis_call_params params = { .tx_queue = CONDIS_TXQ_AUTO };

	if (CallParameters != NULL && CallParameters->CallMgrParameters != NULL) {
		ULONG peak = CallParameters->CallMgrParameters->Transmit.PeakBandwidth;

		/* QOS_NOT_SPECIFIED (all ones) and 0 both mean line rate. */
		if (peak != UINT32_MAX)
			params.peak_rate_bps = (uint64_t)peak * 8;
	}
	if (CallParameters != NULL && CallParameters->MediaParameters != NULL)
		params.user_priority = (uint8_t)(CallParameters->MediaParameters->ReceivePriority & 7);
	return condis_vc_activate((struct condis_vc *)NdisVcHandle, &params);
}

void
condis_ndis_co_send(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	struct condis_vc *vc = (struct condis_vc *)NdisVcHandle;
	PNET_BUFFER_LIST nbl;
	int rc = condis_co_send_nbls(vc, NetBufferLists, SendFlags);

	/* NdisCoSendNetBufferLists returns nothing: what condis refused at the
	 * door goes back through the handler, as NDIS would hand it back. An
	 * NBL sent twice (-EBUSY) is in flight: touching the chain would
	 * corrupt that send. A dead VC names no protocol to return to. */
	if (rc == 0 || rc == -EBUSY || condis_vc_state(vc) == CONDIS_VC_DELETED)
		return;
	for (nbl = NetBufferLists; nbl != NULL; nbl = nbl->Next)
		nbl->Status = NDIS_STATUS_FAILURE;
	condis_protocol_give_back(vc, NetBufferLists, SendFlags & NDIS_SEND_FLAGS_DISPATCH_LEVEL);
}

void
condis_ndis_cancel_send(NDIS_HANDLE NdisBindingHandle, PVOID CancelId)
{
	struct condis_ndis_binding *b = binding_of(NdisBindingHandle);

	if (b != NULL)
		(void)condis_cancel_send_nbls(b->np->protocol, b->adapter, (uintptr_t)CancelId);
}
