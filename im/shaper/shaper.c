/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-VC shaper (condis_shaper.h), an intermediate driver written as a
 * Windows one is, in NDIS terms (condis/ndis.h): a CoNDIS miniport to the
 * protocols above, a CoNDIS protocol to the adapter below.
 *
 * Upper edge: MiniportCoSendNetBufferLists takes a VC's NBLs; what the VC's
 * token bucket allows goes down at once, the rest waits in the VC's queue
 * (in order) for the poll. Going down, an NBL's SourceHandle is saved in
 * its context and replaced by the lower VC handle (spec 106-107), and the
 * send flags are dropped (no CHECK_FOR_LOOPBACK below, spec 85). Lower
 * edge: the completion handler restores SourceHandle, frees the context and
 * completes upward, keeping the lower status: an NBL completes upward only
 * after its lower completion. One the shaper cannot send (the lower adapter
 * not running, spec 110) completes upward at once with REQUEST_ABORTED;
 * cancels take the shaper's queues first and then go down (spec 94).
 *
 * The shaper's NdisPoll (condis_poll() of the shaper adapter) moves the
 * queues and drives the lower adapter's polls, so lower and upper
 * completions run on the thread that polls the shaper.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include <condis/ndis.h>
#include <condis/condis_shaper.h>

/* Token arithmetic: bytes scaled by 2^SHAPER_SHIFT (sub-byte credit per cycle). */
#define SHAPER_SHIFT 32
#define SHAPER_MAX_ADAPTERS 64
#define SHAPER_CONTEXT 16 /* NBL context bytes for the saved SourceHandle */

typedef struct _SHAPER_ADAPTER SHAPER_ADAPTER;

typedef struct _SHAPER_VC {
	SHAPER_ADAPTER *Adapter;
	NDIS_HANDLE UpperVcHandle;   /* the VC above (ours as its miniport) */
	NDIS_HANDLE LowerVcHandle;   /* ours below (as a protocol) */
	uint64_t Rate;               /* scaled bytes per TSC cycle; 0: not shaped */
	int64_t Tokens;              /* scaled bytes; may go below 0 (a deficit) */
	int64_t Burst;               /* scaled bytes: the bucket's depth */
	uint64_t LastTsc;
	PNET_BUFFER_LIST QueueHead;  /* waiting for tokens, linked through Next */
	PNET_BUFFER_LIST *QueueTail;
	struct _SHAPER_VC *NextBacklogged;
	BOOLEAN Backlogged;
	BOOLEAN LowerActive;
} SHAPER_VC;

struct _SHAPER_ADAPTER {
	NDIS_HANDLE MiniportAdapterHandle;
	NDIS_POLL_HANDLE PollHandle;
	NDIS_HANDLE ProtocolHandle;
	NDIS_HANDLE BindingHandle;
	struct condis_adapter *Lower;
	struct condis_adapter *Upper;
	uint32_t BurstBytes;
	BOOLEAN PausePending;
	SHAPER_VC *BacklogHead;      /* VCs with queued NBLs, round robin */
	SHAPER_VC **BacklogTail;
	struct condis_shaper_stats Stats;
};

/* The open in progress: what MiniportInitializeEx needs. */
typedef struct _SHAPER_OPEN {
	struct condis_adapter *Lower;
	const struct condis_shaper_params *Params;
	SHAPER_ADAPTER *Adapter;
} SHAPER_OPEN;

/* Shaper adapters by their condis adapter (condis_shaper_stats_get()). */
static struct {
	const struct condis_adapter *Upper;
	SHAPER_ADAPTER *Adapter;
} Registry[SHAPER_MAX_ADAPTERS];

static MINIPORT_SET_OPTIONS ShaperSetOptions;
static MINIPORT_INITIALIZE ShaperInitialize;
static MINIPORT_HALT ShaperHalt;
static MINIPORT_PAUSE ShaperPause;
static MINIPORT_RESTART ShaperRestart;
static MINIPORT_RESET ShaperReset;
static MINIPORT_CANCEL_SEND ShaperCancelSend;
static MINIPORT_CO_CREATE_VC ShaperCoCreateVc;
static MINIPORT_CO_DELETE_VC ShaperCoDeleteVc;
static MINIPORT_CO_ACTIVATE_VC ShaperCoActivateVc;
static MINIPORT_CO_DEACTIVATE_VC ShaperCoDeactivateVc;
static MINIPORT_CO_SEND_NET_BUFFER_LISTS ShaperCoSendNetBufferLists;
static NDIS_POLL ShaperPoll;
static PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE ShaperSendComplete;
static PROTOCOL_SET_OPTIONS ShaperProtocolSetOptions;

/* What an NBL costs in tokens: each frame padded to 60, plus its FCS. */
static inline int64_t
ShaperCost(PNET_BUFFER_LIST Nbl)
{
	PNET_BUFFER Nb;
	int64_t Bytes = 0;

	for (Nb = NET_BUFFER_LIST_FIRST_NB(Nbl); Nb != NULL; Nb = NET_BUFFER_NEXT_NB(Nb))
		Bytes += (NET_BUFFER_DATA_LENGTH(Nb) < 60 ? 60 : NET_BUFFER_DATA_LENGTH(Nb)) + 4;
	return Bytes;
}

static inline BOOLEAN
ShaperLowerRunning(const SHAPER_ADAPTER *Adapter)
{
	return condis_adapter_state(Adapter->Lower) == CONDIS_ADAPTER_RUNNING &&
	       !condis_adapter_resetting(Adapter->Lower);
}

/* Complete a list of one VC's NBLs upward with Status, never having gone down. */
static void
ShaperAbort(SHAPER_VC *Vc, PNET_BUFFER_LIST List, NDIS_STATUS Status)
{
	PNET_BUFFER_LIST Nbl;

	if (List == NULL)
		return;
	for (Nbl = List; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl)) {
		NET_BUFFER_LIST_STATUS(Nbl) = Status;
		Vc->Adapter->Stats.nbls_aborted++;
	}
	NdisMCoSendNetBufferListsComplete(Vc->UpperVcHandle, List, 0);
}

/* Complete everything waiting in the VC's queue upward with Status. */
static void
ShaperFlush(SHAPER_VC *Vc, NDIS_STATUS Status)
{
	PNET_BUFFER_LIST List = Vc->QueueHead, Nbl;

	Vc->QueueHead = NULL;
	Vc->QueueTail = &Vc->QueueHead;
	for (Nbl = List; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl))
		Vc->Adapter->Stats.queued--;
	ShaperAbort(Vc, List, Status);
}

/* Prepare an NBL to go down: save SourceHandle in its context (spec 107).
 * FALSE: no context to be had, the NBL is left as it was. */
static inline BOOLEAN
ShaperPrepare(SHAPER_VC *Vc, PNET_BUFFER_LIST Nbl)
{
	if (NdisAllocateNetBufferListContext(Nbl, SHAPER_CONTEXT, 0, 0) != NDIS_STATUS_SUCCESS)
		return FALSE;
	*(NDIS_HANDLE *)NET_BUFFER_LIST_CONTEXT_DATA_START(Nbl) = Nbl->SourceHandle;
	Nbl->SourceHandle = Vc->LowerVcHandle; /* spec 106 */
	return TRUE;
}

/* Send a chain of prepared NBLs down (flags dropped: spec 85). */
static inline void
ShaperSendDown(SHAPER_VC *Vc, PNET_BUFFER_LIST Chain, ULONG Count, uint64_t Bytes)
{
	SHAPER_ADAPTER *Adapter = Vc->Adapter;

	Adapter->Stats.nbls_forwarded += Count;
	Adapter->Stats.bytes_forwarded += Bytes;
	Adapter->Stats.in_flight += Count;
	NdisCoSendNetBufferLists(Vc->LowerVcHandle, Chain, 0);
}

/* Credit for the time since the last refill, up to the bucket's depth.
 * What a backlogged VC loses to the cap (the poll stalled longer than the
 * bucket lasts) is counted: it is rate the VC did not get. */
static inline void
ShaperRefill(SHAPER_VC *Vc, uint64_t Now)
{
	uint64_t Elapsed = Now - Vc->LastTsc, Room;
	int64_t Tokens;

	Vc->LastTsc = Now;
	Room = (uint64_t)(Vc->Burst - Vc->Tokens); /* Tokens <= Burst always */
	if (Elapsed > Room / Vc->Rate) { /* it fills; cap before multiplying */
		if (Vc->QueueHead != NULL && Elapsed - Room / Vc->Rate > 1)
			Vc->Adapter->Stats.bytes_credit_lost +=
				(Elapsed - Room / Vc->Rate) * Vc->Rate >> SHAPER_SHIFT;
		Vc->Tokens = Vc->Burst;
		return;
	}
	Tokens = Vc->Tokens + (int64_t)(Elapsed * Vc->Rate);
	Vc->Tokens = Tokens > Vc->Burst ? Vc->Burst : Tokens;
}

/* Send down what the VC's queue may send now; TRUE if some is left. */
static BOOLEAN
ShaperDrainVc(SHAPER_VC *Vc, uint64_t Now)
{
	PNET_BUFFER_LIST Head = NULL, *Tail = &Head;
	ULONG Count = 0;
	uint64_t Bytes = 0;

	if (!ShaperLowerRunning(Vc->Adapter)) {
		ShaperFlush(Vc, NDIS_STATUS_REQUEST_ABORTED); /* spec 110 */
		return FALSE;
	}
	ShaperRefill(Vc, Now);
	while (Vc->QueueHead != NULL && Vc->Tokens > 0) {
		PNET_BUFFER_LIST Nbl = Vc->QueueHead;
		int64_t Cost = ShaperCost(Nbl);

		Vc->QueueHead = NET_BUFFER_LIST_NEXT_NBL(Nbl);
		if (Vc->QueueHead == NULL)
			Vc->QueueTail = &Vc->QueueHead;
		NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
		Vc->Adapter->Stats.queued--;
		if (!ShaperPrepare(Vc, Nbl)) {
			ShaperAbort(Vc, Nbl, NDIS_STATUS_RESOURCES);
			continue;
		}
		Vc->Tokens -= Cost << SHAPER_SHIFT;
		*Tail = Nbl;
		Tail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
		Count++;
		Bytes += (uint64_t)Cost;
	}
	if (Head != NULL)
		ShaperSendDown(Vc, Head, Count, Bytes);
	return Vc->QueueHead != NULL;
}

static void
ShaperBacklog(SHAPER_ADAPTER *Adapter, SHAPER_VC *Vc)
{
	if (Vc->Backlogged)
		return;
	Vc->Backlogged = TRUE;
	Vc->NextBacklogged = NULL;
	*Adapter->BacklogTail = Vc;
	Adapter->BacklogTail = &Vc->NextBacklogged;
}

_Use_decl_annotations_
static VOID
ShaperCoSendNetBufferLists(NDIS_HANDLE MiniportVcContext, PNET_BUFFER_LIST NetBufferLists,
			   ULONG SendFlags)
{
	SHAPER_VC *Vc = (SHAPER_VC *)MiniportVcContext;
	SHAPER_ADAPTER *Adapter = Vc->Adapter;
	PNET_BUFFER_LIST Nbl, Next;

	(void)SendFlags;
	if (Vc->Rate == 0 && ShaperLowerRunning(Adapter)) {
		/* Not shaped: straight down, the whole chain. */
		PNET_BUFFER_LIST Head = NULL, *Tail = &Head;
		ULONG Count = 0;
		uint64_t Bytes = 0;

		for (Nbl = NetBufferLists; Nbl != NULL; Nbl = Next) {
			Next = NET_BUFFER_LIST_NEXT_NBL(Nbl);
			NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
			if (!ShaperPrepare(Vc, Nbl)) {
				ShaperAbort(Vc, Nbl, NDIS_STATUS_RESOURCES);
				continue;
			}
			*Tail = Nbl;
			Tail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
			Count++;
			Bytes += (uint64_t)ShaperCost(Nbl);
		}
		if (Head != NULL)
			ShaperSendDown(Vc, Head, Count, Bytes);
		return;
	}
	for (Nbl = NetBufferLists; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl))
		Adapter->Stats.queued++;
	*Vc->QueueTail = NetBufferLists;
	while (*Vc->QueueTail != NULL)
		Vc->QueueTail = &NET_BUFFER_LIST_NEXT_NBL(*Vc->QueueTail);
	/* Whatever the bucket allows goes now; the rest waits for the poll. */
	if (Vc->Backlogged || ShaperDrainVc(Vc, rte_get_tsc_cycles())) {
		if (!Vc->Backlogged)
			Adapter->Stats.nbls_delayed++;
		ShaperBacklog(Adapter, Vc);
	}
}

_Use_decl_annotations_
static VOID
ShaperPoll(void *Context, NDIS_POLL_DATA *PollData)
{
	SHAPER_ADAPTER *Adapter = (SHAPER_ADAPTER *)Context;
	SHAPER_VC *Vc, *List = Adapter->BacklogHead;
	uint64_t Now = rte_get_tsc_cycles();
	uint16_t Queue;

	(void)PollData;
	Adapter->BacklogHead = NULL;
	Adapter->BacklogTail = &Adapter->BacklogHead;
	while ((Vc = List) != NULL) {
		List = Vc->NextBacklogged;
		Vc->Backlogged = FALSE;
		if (Adapter->PausePending)
			ShaperFlush(Vc, NDIS_STATUS_PAUSED); /* spec 96-97 */
		else if (ShaperDrainVc(Vc, Now))
			ShaperBacklog(Adapter, Vc);
	}
	/* The lower adapter's completions come back through this thread. */
	for (Queue = 0; Queue < condis_adapter_tx_queues(Adapter->Lower); Queue++)
		condis_poll(Adapter->Lower, Queue);
	if (Adapter->PausePending && Adapter->Stats.in_flight == 0) {
		Adapter->PausePending = FALSE;
		NdisMPauseComplete(Adapter->MiniportAdapterHandle);
	}
}

/* Lower edge: restore, free the context, complete upward (spec 106-107). */
_Use_decl_annotations_
static VOID
ShaperSendComplete(NDIS_HANDLE ProtocolVcContext, PNET_BUFFER_LIST NetBufferLists,
		   ULONG SendCompleteFlags)
{
	SHAPER_VC *Vc = (SHAPER_VC *)ProtocolVcContext;
	PNET_BUFFER_LIST Nbl;
	ULONG Count = 0;

	(void)SendCompleteFlags;
	for (Nbl = NetBufferLists; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl)) {
		Nbl->SourceHandle = *(NDIS_HANDLE *)NET_BUFFER_LIST_CONTEXT_DATA_START(Nbl);
		NdisFreeNetBufferListContext(Nbl, SHAPER_CONTEXT);
		Count++;
	}
	Vc->Adapter->Stats.in_flight -= Count;
	NdisMCoSendNetBufferListsComplete(Vc->UpperVcHandle, NetBufferLists, 0);
}

_Use_decl_annotations_
static VOID
ShaperCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	SHAPER_ADAPTER *Adapter = (SHAPER_ADAPTER *)MiniportAdapterContext;
	SHAPER_VC *Vc;

	/* Our own queues first (only the backlogged VCs have any) ... */
	for (Vc = Adapter->BacklogHead; Vc != NULL; Vc = Vc->NextBacklogged) {
		PNET_BUFFER_LIST List = Vc->QueueHead, Keep = NULL, *KeepTail = &Keep;
		PNET_BUFFER_LIST Cancelled = NULL, *CancelledTail = &Cancelled;

		while (List != NULL) {
			PNET_BUFFER_LIST Nbl = List;

			List = NET_BUFFER_LIST_NEXT_NBL(Nbl);
			NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
			if (NDIS_GET_NET_BUFFER_LIST_CANCEL_ID(Nbl) == CancelId) {
				*CancelledTail = Nbl;
				CancelledTail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
				Adapter->Stats.queued--;
			} else {
				*KeepTail = Nbl;
				KeepTail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
			}
		}
		Vc->QueueHead = Keep;
		Vc->QueueTail = Keep != NULL ? KeepTail : &Vc->QueueHead;
		ShaperAbort(Vc, Cancelled, NDIS_STATUS_SEND_ABORTED);
	}
	/* ... then the adapter below's (spec 94). */
	NdisCancelSendNetBufferLists(Adapter->BindingHandle, CancelId);
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperCoCreateVc(NDIS_HANDLE MiniportAdapterContext, NDIS_HANDLE NdisVcHandle,
		 PNDIS_HANDLE MiniportVcContext)
{
	SHAPER_ADAPTER *Adapter = (SHAPER_ADAPTER *)MiniportAdapterContext;
	SHAPER_VC *Vc = (SHAPER_VC *)calloc(1, sizeof(*Vc));
	NDIS_STATUS Status;

	if (Vc == NULL)
		return NDIS_STATUS_RESOURCES;
	Vc->Adapter = Adapter;
	Vc->UpperVcHandle = NdisVcHandle;
	Vc->QueueTail = &Vc->QueueHead;
	Status = NdisCoCreateVc(Adapter->BindingHandle, NULL, Vc, &Vc->LowerVcHandle);
	if (Status != NDIS_STATUS_SUCCESS) {
		free(Vc);
		return Status;
	}
	*MiniportVcContext = Vc;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperCoActivateVc(NDIS_HANDLE MiniportVcContext, PCO_CALL_PARAMETERS CallParameters)
{
	SHAPER_VC *Vc = (SHAPER_VC *)MiniportVcContext;
	CO_CALL_MANAGER_PARAMETERS Lower;
	CO_CALL_PARAMETERS LowerCall;
	ULONG Peak = 0;
	NDIS_STATUS Status;

	if (CallParameters->CallMgrParameters != NULL)
		Peak = CallParameters->CallMgrParameters->Transmit.PeakBandwidth;
	/* The VC's own call below runs at line rate: the shaping is ours. */
	memset(&Lower, 0, sizeof(Lower));
	LowerCall = *CallParameters;
	LowerCall.CallMgrParameters = &Lower;
	Status = condis_ndis_make_call(Vc->LowerVcHandle, &LowerCall);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	Vc->LowerActive = TRUE;
	if (Peak == 0 || Peak == UINT32_MAX) {
		Vc->Rate = 0;
	} else {
		uint64_t Hz = rte_get_tsc_hz();
		uint64_t Burst = Vc->Adapter->BurstBytes != 0 ? Vc->Adapter->BurstBytes :
				 RTE_MAX((uint64_t)Peak / 1000, (uint64_t)2 * 1522);

		/* Peak < 2^32: the shifted rate fits; rounded to nearest. */
		Vc->Rate = (((uint64_t)Peak << SHAPER_SHIFT) + Hz / 2) / Hz;
		if (Vc->Rate == 0)
			Vc->Rate = 1;
		Vc->Burst = (int64_t)(Burst << SHAPER_SHIFT);
		Vc->Tokens = Vc->Burst;
		Vc->LastTsc = rte_get_tsc_cycles();
	}
	return NDIS_STATUS_SUCCESS;
}

/* The upper library waits for the VC's sends; what the shaper still holds
 * keeps going down at the VC's rate (a graceful close). */
_Use_decl_annotations_
static NDIS_STATUS
ShaperCoDeactivateVc(NDIS_HANDLE MiniportVcContext)
{
	(void)MiniportVcContext;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperCoDeleteVc(NDIS_HANDLE MiniportVcContext)
{
	SHAPER_VC *Vc = (SHAPER_VC *)MiniportVcContext;
	SHAPER_ADAPTER *Adapter = Vc->Adapter;

	/* A cancel may have emptied its queue and left it on the backlog. */
	if (Vc->Backlogged) {
		SHAPER_VC **Link = &Adapter->BacklogHead;

		while (*Link != Vc)
			Link = &(*Link)->NextBacklogged;
		*Link = Vc->NextBacklogged;
		if (Adapter->BacklogTail == &Vc->NextBacklogged)
			Adapter->BacklogTail = Link;
	}
	/* Nothing of the VC is in flight any more: its call below ends. */
	if (Vc->LowerActive)
		(void)condis_vc_deactivate((struct condis_vc *)Vc->LowerVcHandle);
	(void)NdisCoDeleteVc(Vc->LowerVcHandle);
	free(Vc);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperPause(NDIS_HANDLE MiniportAdapterContext, PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	(void)PauseParameters;
	((SHAPER_ADAPTER *)MiniportAdapterContext)->PausePending = TRUE;
	return NDIS_STATUS_PENDING; /* the poll completes it */
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperRestart(NDIS_HANDLE MiniportAdapterContext, PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	(void)RestartParameters;
	/* A pause that had nothing to wait for ends here, not in a poll. */
	((SHAPER_ADAPTER *)MiniportAdapterContext)->PausePending = FALSE;
	return NDIS_STATUS_SUCCESS;
}

/* A reset drops what waits in the shaper; what is below completes as it does. */
_Use_decl_annotations_
static NDIS_STATUS
ShaperReset(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset)
{
	SHAPER_ADAPTER *Adapter = (SHAPER_ADAPTER *)MiniportAdapterContext;
	SHAPER_VC *Vc, *List = Adapter->BacklogHead;

	*AddressingReset = FALSE;
	Adapter->BacklogHead = NULL;
	Adapter->BacklogTail = &Adapter->BacklogHead;
	while ((Vc = List) != NULL) {
		List = Vc->NextBacklogged;
		Vc->Backlogged = FALSE;
		ShaperFlush(Vc, NDIS_STATUS_RESET_IN_PROGRESS);
	}
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static VOID
ShaperHalt(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	SHAPER_ADAPTER *Adapter = (SHAPER_ADAPTER *)MiniportAdapterContext;
	unsigned int i;

	(void)HaltAction;
	for (i = 0; i < SHAPER_MAX_ADAPTERS; i++)
		if (Registry[i].Adapter == Adapter)
			Registry[i].Adapter = NULL, Registry[i].Upper = NULL;
	condis_ndis_close_adapter(Adapter->BindingHandle);
	NdisDeregisterProtocolDriver(Adapter->ProtocolHandle);
	NdisDeregisterPoll(Adapter->PollHandle);
	rte_free(Adapter);
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperProtocolSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS Co;

	(void)DriverContext;
	memset(&Co, 0, sizeof(Co));
	Co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	Co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.CoSendNetBufferListsCompleteHandler = ShaperSendComplete;
	return NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Co);
}

/* MiniportInitializeEx: the adapter, its Poll object, and the binding below. */
_Use_decl_annotations_
static NDIS_STATUS
ShaperInitialize(NDIS_HANDLE NdisMiniportHandle, NDIS_HANDLE MiniportDriverContext,
		 PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	SHAPER_OPEN *Open = (SHAPER_OPEN *)MiniportDriverContext;
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attributes;
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS ProtocolChars;
	NDIS_POLL_CHARACTERISTICS Poll;
	SHAPER_ADAPTER *Adapter;

	(void)MiniportInitParameters;
	Adapter = (SHAPER_ADAPTER *)rte_zmalloc("condis_shaper", sizeof(*Adapter), 0);
	if (Adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	Adapter->MiniportAdapterHandle = NdisMiniportHandle;
	Adapter->Lower = Open->Lower;
	Adapter->BurstBytes = Open->Params != NULL ? Open->Params->burst_bytes : 0;
	Adapter->BacklogTail = &Adapter->BacklogHead;
	memset(&Attributes, 0, sizeof(Attributes));
	Attributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attributes.Header.Revision = 1;
	Attributes.Header.Size = sizeof(Attributes);
	Attributes.MiniportAdapterContext = Adapter;
	memset(&Poll, 0, sizeof(Poll));
	Poll.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	Poll.Header.Revision = NDIS_POLL_CHARACTERISTICS_REVISION_1;
	Poll.Header.Size = NDIS_SIZEOF_NDIS_POLL_CHARACTERISTICS_REVISION_1;
	Poll.PollHandler = ShaperPoll;
	memset(&ProtocolChars, 0, sizeof(ProtocolChars));
	ProtocolChars.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	ProtocolChars.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	ProtocolChars.Header.Size = sizeof(ProtocolChars);
	ProtocolChars.MajorNdisVersion = 6;
	ProtocolChars.MinorNdisVersion = 20;
	ProtocolChars.SetOptionsHandler = ShaperProtocolSetOptions;
	if (NdisMSetMiniportAttributes(NdisMiniportHandle,
				       (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attributes) !=
		    NDIS_STATUS_SUCCESS ||
	    NdisRegisterPoll(NdisMiniportHandle, Adapter, &Poll, &Adapter->PollHandle) !=
		    NDIS_STATUS_SUCCESS ||
	    NdisRegisterProtocolDriver(Adapter, &ProtocolChars, &Adapter->ProtocolHandle) !=
		    NDIS_STATUS_SUCCESS)
		goto fail;
	/* The binding NDIS would offer an IM driver's protocol edge. */
	if (condis_ndis_open_adapter(Adapter->ProtocolHandle, Adapter->Lower, Adapter,
				     &Adapter->BindingHandle) != NDIS_STATUS_SUCCESS)
		goto fail;
	Open->Adapter = Adapter;
	return NDIS_STATUS_SUCCESS;
fail:
	if (Adapter->ProtocolHandle != NULL)
		NdisDeregisterProtocolDriver(Adapter->ProtocolHandle);
	rte_free(Adapter);
	return NDIS_STATUS_FAILURE;
}

_Use_decl_annotations_
static NDIS_STATUS
ShaperSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
	NDIS_MINIPORT_CO_CHARACTERISTICS Co;

	(void)DriverContext;
	memset(&Co, 0, sizeof(Co));
	Co.Header.Type = NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS;
	Co.Header.Revision = NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1;
	Co.Header.Size = NDIS_SIZEOF_MINIPORT_CO_CHARACTERISTICS_REVISION_1;
	Co.CoCreateVcHandler = ShaperCoCreateVc;
	Co.CoDeleteVcHandler = ShaperCoDeleteVc;
	Co.CoActivateVcHandler = ShaperCoActivateVc;
	Co.CoDeactivateVcHandler = ShaperCoDeactivateVc;
	Co.CoSendNetBufferListsHandler = ShaperCoSendNetBufferLists;
	return NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Co);
}

struct condis_adapter *
condis_shaper_open(struct condis_adapter *lower, const struct condis_shaper_params *params)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;
	SHAPER_OPEN Open = { .Lower = lower, .Params = params };
	NDIS_HANDLE Driver;
	struct condis_adapter *upper;
	unsigned int i;

	if (lower == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	memset(&Chars, 0, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size = sizeof(Chars);
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 20;
	Chars.SetOptionsHandler = ShaperSetOptions;
	Chars.InitializeHandlerEx = ShaperInitialize;
	Chars.HaltHandlerEx = ShaperHalt;
	Chars.PauseHandler = ShaperPause;
	Chars.RestartHandler = ShaperRestart;
	Chars.ResetHandlerEx = ShaperReset;
	Chars.CancelSendHandler = ShaperCancelSend;
	if (NdisMRegisterMiniportDriver(NULL, NULL, &Open, &Chars, &Driver) != NDIS_STATUS_SUCCESS) {
		rte_errno = ENOMEM;
		return NULL;
	}
	upper = condis_ndis_miniport_initialize(Driver, 1,
						params != NULL && params->max_vcs != 0 ?
						params->max_vcs : 1024, lower);
	/* The driver goes with its adapter (or now, if there is none). */
	NdisMDeregisterMiniportDriver(Driver);
	if (upper == NULL)
		return NULL;
	Open.Adapter->Upper = upper;
	for (i = 0; i < SHAPER_MAX_ADAPTERS; i++)
		if (Registry[i].Adapter == NULL) {
			Registry[i].Adapter = Open.Adapter;
			Registry[i].Upper = upper;
			break;
		}
	return upper;
}

int
condis_shaper_stats_get(const struct condis_adapter *shaper, struct condis_shaper_stats *stats)
{
	unsigned int i;

	if (shaper == NULL || stats == NULL)
		return -EINVAL;
	for (i = 0; i < SHAPER_MAX_ADAPTERS; i++)
		if (Registry[i].Upper == shaper && Registry[i].Adapter != NULL) {
			*stats = Registry[i].Adapter->Stats;
			return 0;
		}
	return -EINVAL;
}
