/* SPDX-License-Identifier: BSD-3-Clause */
/* The NDIS-style miniport of sample_miniport.h: NDIS names only. */
#include <stdlib.h>
#include <string.h>

#include "sample_miniport.h"

SAMPLE_COMPLETE_MODE SampleCompleteMode = SampleCompleteCycle;
SAMPLE_FRAME *SampleWire;
ULONG SampleWireCount;
ULONG SampleQueued;
ULONG SampleDoubleCompleteNext;
ULONG SampleActivatePending;

typedef struct _SAMPLE_ADAPTER SAMPLE_ADAPTER;

typedef struct _SAMPLE_VC {
	SAMPLE_ADAPTER *Adapter;
	NDIS_HANDLE NdisVcHandle;
	BOOLEAN Active;
	BOOLEAN ActivatePending;
	ULONG PeakBandwidth;
} SAMPLE_VC, *PSAMPLE_VC;

struct _SAMPLE_ADAPTER {
	NDIS_HANDLE MiniportAdapterHandle;
	NDIS_POLL_HANDLE PollHandle;
	PNET_BUFFER_LIST QueueHead;   /* linked through Next, which is ours now */
	PNET_BUFFER_LIST *QueueTail;
	PSAMPLE_VC PendingVcs[64];
	ULONG PendingVcCount;
	BOOLEAN PausePending;
	BOOLEAN ResetPending;
	ULONG PollCount;
};

/* The VC an NBL was sent on: kept in its MiniportReserved while we hold it. */
#define SAMPLE_NBL_VC(nbl) ((PSAMPLE_VC)NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0])

static MINIPORT_SET_OPTIONS SampleSetOptions;
static MINIPORT_INITIALIZE SampleInitialize;
static MINIPORT_HALT SampleHalt;
static MINIPORT_PAUSE SamplePause;
static MINIPORT_RESTART SampleRestart;
static MINIPORT_RESET SampleReset;
static MINIPORT_CANCEL_SEND SampleCancelSend;
static MINIPORT_CO_CREATE_VC SampleCoCreateVc;
static MINIPORT_CO_DELETE_VC SampleCoDeleteVc;
static MINIPORT_CO_ACTIVATE_VC SampleCoActivateVc;
static MINIPORT_CO_DEACTIVATE_VC SampleCoDeactivateVc;
static MINIPORT_CO_SEND_NET_BUFFER_LISTS SampleCoSendNetBufferLists;
static NDIS_POLL SamplePoll;

/* "Transmit" one NBL: every NB onto the wire, or the status that refuses it. */
static NDIS_STATUS
SampleTransmit(PNET_BUFFER_LIST Nbl)
{
	PNET_BUFFER Nb;

	for (Nb = NET_BUFFER_LIST_FIRST_NB(Nbl); Nb != NULL; Nb = NET_BUFFER_NEXT_NB(Nb))
		if (NET_BUFFER_DATA_LENGTH(Nb) == 0 || NET_BUFFER_DATA_LENGTH(Nb) > SAMPLE_MAX_LENGTH)
			return NDIS_STATUS_INVALID_LENGTH; /* never truncate */
	for (Nb = NET_BUFFER_LIST_FIRST_NB(Nbl); Nb != NULL; Nb = NET_BUFFER_NEXT_NB(Nb)) {
		SAMPLE_FRAME *Frame;
		PMDL Mdl = NET_BUFFER_CURRENT_MDL(Nb);
		ULONG Offset = NET_BUFFER_CURRENT_MDL_OFFSET(Nb);
		ULONG Left = NET_BUFFER_DATA_LENGTH(Nb);

		if (SampleWireCount == SAMPLE_MAX_FRAMES)
			return NDIS_STATUS_RESOURCES;
		Frame = &SampleWire[SampleWireCount++];
		Frame->Length = 0;
		for (; Mdl != NULL && Left > 0; Mdl = NDIS_MDL_LINKAGE(Mdl), Offset = 0) {
			ULONG Take = MmGetMdlByteCount(Mdl) - Offset;

			if (Take > Left)
				Take = Left;
			memcpy(Frame->Data + Frame->Length,
			       (PUCHAR)MmGetSystemAddressForMdlSafe(Mdl, 0) + Offset, Take);
			Frame->Length += Take;
			Left -= Take;
		}
	}
	return NDIS_STATUS_SUCCESS;
}

static void
SampleEnqueue(SAMPLE_ADAPTER *Adapter, PNET_BUFFER_LIST Nbl)
{
	NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
	*Adapter->QueueTail = Nbl;
	Adapter->QueueTail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
	SampleQueued++;
}

/* Take the whole queue. */
static PNET_BUFFER_LIST
SampleDequeueAll(SAMPLE_ADAPTER *Adapter)
{
	PNET_BUFFER_LIST List = Adapter->QueueHead;

	Adapter->QueueHead = NULL;
	Adapter->QueueTail = &Adapter->QueueHead;
	return List;
}

/* Complete one list of one VC, maybe the same NBL twice (a miniport bug). */
static void
SampleCompleteVcList(PSAMPLE_VC Vc, PNET_BUFFER_LIST List)
{
	PNET_BUFFER_LIST Nbl;
	ULONG Count = 0;

	for (Nbl = List; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl))
		Count++;
	SampleQueued -= Count;
	if (SampleDoubleCompleteNext != 0 && List != NULL) {
		/* A miniport bug: the first NBL, alone, completed twice in a row
		 * (its Next is still NULL: nothing joined its done list after it). */
		PNET_BUFFER_LIST First = List;

		List = NET_BUFFER_LIST_NEXT_NBL(First);
		NET_BUFFER_LIST_NEXT_NBL(First) = NULL;
		SampleDoubleCompleteNext--;
		NdisMCoSendNetBufferListsComplete(Vc->NdisVcHandle, First, 0);
		NdisMCoSendNetBufferListsComplete(Vc->NdisVcHandle, First, 0);
		if (List == NULL)
			return;
	}
	NdisMCoSendNetBufferListsComplete(Vc->NdisVcHandle, List, 0);
}

/* Complete List (NBLs of any VCs, statuses set) as Mode says. */
static void
SampleComplete(PNET_BUFFER_LIST List, SAMPLE_COMPLETE_MODE Mode, NDIS_POLL_DATA *PollData)
{
	PSAMPLE_VC Vcs[64];
	PNET_BUFFER_LIST Heads[64], *Tails[64];
	ULONG VcCount = 0, i;

	if (Mode == SampleCompletePollChain && PollData != NULL) {
		ULONG Count = 0;
		PNET_BUFFER_LIST Nbl;

		for (Nbl = List; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl))
			Count++;
		SampleQueued -= Count;
		PollData->Transmit.CompletedNblChain = List;
		PollData->Transmit.NumberOfCompletedNbls = Count;
		return;
	}
	/* Split the list per VC (NdisMCoSendNetBufferListsComplete takes one VC). */
	while (List != NULL) {
		PNET_BUFFER_LIST Nbl = List;
		PSAMPLE_VC Vc = SAMPLE_NBL_VC(Nbl);

		List = NET_BUFFER_LIST_NEXT_NBL(Nbl);
		NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
		if (Mode == SampleCompleteOneByOne) {
			SampleCompleteVcList(Vc, Nbl);
			continue;
		}
		for (i = 0; i < VcCount && Vcs[i] != Vc; i++)
			;
		if (i == VcCount) {
			Vcs[VcCount] = Vc;
			Heads[VcCount] = NULL;
			Tails[VcCount] = &Heads[VcCount];
			VcCount++;
		}
		if (Mode == SampleCompleteReverse) {
			NET_BUFFER_LIST_NEXT_NBL(Nbl) = Heads[i];
			Heads[i] = Nbl;
		} else {
			*Tails[i] = Nbl;
			Tails[i] = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
		}
	}
	for (i = 0; i < VcCount; i++) {
		PNET_BUFFER_LIST Half = Heads[i], Rest;

		if (Mode == SampleCompleteReverse && Half != NULL &&
		    NET_BUFFER_LIST_NEXT_NBL(Half) != NULL) {
			/* Two calls: the first NBL alone, then the rest. */
			Rest = NET_BUFFER_LIST_NEXT_NBL(Half);
			NET_BUFFER_LIST_NEXT_NBL(Half) = NULL;
			SampleCompleteVcList(Vcs[i], Half);
			SampleCompleteVcList(Vcs[i], Rest);
		} else {
			SampleCompleteVcList(Vcs[i], Heads[i]);
		}
	}
}

/* Transmit and complete what is queued, with status; Mode as asked. */
static void
SampleDrain(SAMPLE_ADAPTER *Adapter, NDIS_STATUS Status, SAMPLE_COMPLETE_MODE Mode,
	    NDIS_POLL_DATA *PollData)
{
	PNET_BUFFER_LIST List = SampleDequeueAll(Adapter), Nbl;

	for (Nbl = List; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl))
		NET_BUFFER_LIST_STATUS(Nbl) = Status == NDIS_STATUS_SUCCESS ?
					      SampleTransmit(Nbl) : Status;
	if (List != NULL)
		SampleComplete(List, Mode, PollData);
}

_Use_decl_annotations_
static VOID
SamplePoll(void *Context, NDIS_POLL_DATA *PollData)
{
	SAMPLE_ADAPTER *Adapter = (SAMPLE_ADAPTER *)Context;
	SAMPLE_COMPLETE_MODE Mode = SampleCompleteMode;
	ULONG i;

	Adapter->PollCount++;
	for (i = 0; i < Adapter->PendingVcCount; i++) {
		PSAMPLE_VC Vc = Adapter->PendingVcs[i];

		Vc->Active = TRUE;
		Vc->ActivatePending = FALSE;
		NdisMCoActivateVcComplete(NDIS_STATUS_SUCCESS, Vc->NdisVcHandle, NULL);
	}
	Adapter->PendingVcCount = 0;
	if (Adapter->ResetPending) {
		/* A reset loses what the device held. */
		SampleDrain(Adapter, NDIS_STATUS_RESET_IN_PROGRESS, SampleCompleteInOrder, NULL);
		Adapter->ResetPending = FALSE;
		NdisMResetComplete(Adapter->MiniportAdapterHandle, NDIS_STATUS_SUCCESS, FALSE);
		return;
	}
	if (Adapter->PausePending) {
		/* Everything queued is sent before the pause completes. */
		SampleDrain(Adapter, NDIS_STATUS_SUCCESS, SampleCompleteInOrder, NULL);
		Adapter->PausePending = FALSE;
		NdisMPauseComplete(Adapter->MiniportAdapterHandle);
		return;
	}
	if (Mode == SampleCompleteHold)
		return;
	if (Mode == SampleCompleteCycle)
		Mode = (SAMPLE_COMPLETE_MODE)(Adapter->PollCount % SampleCompleteCycle);
	SampleDrain(Adapter, NDIS_STATUS_SUCCESS, Mode, PollData);
}

_Use_decl_annotations_
static VOID
SampleCoSendNetBufferLists(NDIS_HANDLE MiniportVcContext, PNET_BUFFER_LIST NetBufferLists,
			   ULONG SendFlags)
{
	PSAMPLE_VC Vc = (PSAMPLE_VC)MiniportVcContext;
	PNET_BUFFER_LIST Nbl, Next;

	(void)SendFlags;
	for (Nbl = NetBufferLists; Nbl != NULL; Nbl = Next) {
		Next = NET_BUFFER_LIST_NEXT_NBL(Nbl);
		NET_BUFFER_LIST_MINIPORT_RESERVED(Nbl)[0] = Vc;
		if (!Vc->Active) {
			/* Completed at once, from the send handler. */
			NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
			NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_VC_NOT_ACTIVATED;
			SampleQueued++;
			SampleCompleteVcList(Vc, Nbl);
			continue;
		}
		SampleEnqueue(Vc->Adapter, Nbl);
	}
}

_Use_decl_annotations_
static VOID
SampleCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
	SAMPLE_ADAPTER *Adapter = (SAMPLE_ADAPTER *)MiniportAdapterContext;
	PNET_BUFFER_LIST List = SampleDequeueAll(Adapter), Cancelled = NULL, *Tail = &Cancelled;

	while (List != NULL) {
		PNET_BUFFER_LIST Nbl = List;

		List = NET_BUFFER_LIST_NEXT_NBL(Nbl);
		if (NDIS_GET_NET_BUFFER_LIST_CANCEL_ID(Nbl) == CancelId) {
			NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_SEND_ABORTED;
			NET_BUFFER_LIST_NEXT_NBL(Nbl) = NULL;
			*Tail = Nbl;
			Tail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
		} else {
			SampleQueued--;
			SampleEnqueue(Adapter, Nbl);
		}
	}
	if (Cancelled != NULL)
		SampleComplete(Cancelled, SampleCompleteInOrder, NULL);
}

_Use_decl_annotations_
static NDIS_STATUS
SampleCoCreateVc(NDIS_HANDLE MiniportAdapterContext, NDIS_HANDLE NdisVcHandle,
		 PNDIS_HANDLE MiniportVcContext)
{
	PSAMPLE_VC Vc = (PSAMPLE_VC)calloc(1, sizeof(*Vc));

	if (Vc == NULL)
		return NDIS_STATUS_RESOURCES;
	Vc->Adapter = (SAMPLE_ADAPTER *)MiniportAdapterContext;
	Vc->NdisVcHandle = NdisVcHandle;
	*MiniportVcContext = Vc;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
SampleCoDeleteVc(NDIS_HANDLE MiniportVcContext)
{
	free(MiniportVcContext);
	return NDIS_STATUS_SUCCESS;
}

/* Every other activation completes later, from the poll (asynchronous). */
_Use_decl_annotations_
static NDIS_STATUS
SampleCoActivateVc(NDIS_HANDLE MiniportVcContext, PCO_CALL_PARAMETERS CallParameters)
{
	PSAMPLE_VC Vc = (PSAMPLE_VC)MiniportVcContext;
	SAMPLE_ADAPTER *Adapter = Vc->Adapter;
	static ULONG Activations;

	if (CallParameters->CallMgrParameters != NULL)
		Vc->PeakBandwidth = CallParameters->CallMgrParameters->Transmit.PeakBandwidth;
	if (Activations++ % 2 == 0 || Adapter->PendingVcCount == 64) {
		Vc->Active = TRUE;
		return NDIS_STATUS_SUCCESS;
	}
	Vc->ActivatePending = TRUE;
	Adapter->PendingVcs[Adapter->PendingVcCount++] = Vc;
	SampleActivatePending++;
	return NDIS_STATUS_PENDING;
}

_Use_decl_annotations_
static NDIS_STATUS
SampleCoDeactivateVc(NDIS_HANDLE MiniportVcContext)
{
	((PSAMPLE_VC)MiniportVcContext)->Active = FALSE;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
SampleInitialize(NDIS_HANDLE NdisMiniportHandle, NDIS_HANDLE MiniportDriverContext,
		 PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attributes;
	NDIS_POLL_CHARACTERISTICS Poll;
	SAMPLE_ADAPTER *Adapter = (SAMPLE_ADAPTER *)calloc(1, sizeof(*Adapter));

	(void)MiniportDriverContext;
	(void)MiniportInitParameters;
	if (Adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	Adapter->MiniportAdapterHandle = NdisMiniportHandle;
	Adapter->QueueTail = &Adapter->QueueHead;
	memset(&Attributes, 0, sizeof(Attributes));
	Attributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attributes.Header.Revision = 1;
	Attributes.Header.Size = sizeof(Attributes);
	Attributes.MiniportAdapterContext = Adapter;
	if (NdisMSetMiniportAttributes(NdisMiniportHandle,
				       (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attributes) !=
	    NDIS_STATUS_SUCCESS)
		goto fail;
	memset(&Poll, 0, sizeof(Poll));
	Poll.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	Poll.Header.Revision = NDIS_POLL_CHARACTERISTICS_REVISION_1;
	Poll.Header.Size = NDIS_SIZEOF_NDIS_POLL_CHARACTERISTICS_REVISION_1;
	Poll.PollHandler = SamplePoll;
	if (NdisRegisterPoll(NdisMiniportHandle, Adapter, &Poll, &Adapter->PollHandle) !=
	    NDIS_STATUS_SUCCESS)
		goto fail;
	return NDIS_STATUS_SUCCESS;
fail:
	free(Adapter);
	return NDIS_STATUS_FAILURE;
}

_Use_decl_annotations_
static VOID
SampleHalt(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	SAMPLE_ADAPTER *Adapter = (SAMPLE_ADAPTER *)MiniportAdapterContext;

	(void)HaltAction;
	NdisDeregisterPoll(Adapter->PollHandle);
	free(Adapter);
}

_Use_decl_annotations_
static NDIS_STATUS
SamplePause(NDIS_HANDLE MiniportAdapterContext, PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	(void)PauseParameters;
	((SAMPLE_ADAPTER *)MiniportAdapterContext)->PausePending = TRUE;
	return NDIS_STATUS_PENDING; /* NdisMPauseComplete from the poll */
}

_Use_decl_annotations_
static NDIS_STATUS
SampleRestart(NDIS_HANDLE MiniportAdapterContext,
	      PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	(void)MiniportAdapterContext;
	(void)RestartParameters;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
static NDIS_STATUS
SampleReset(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset)
{
	*AddressingReset = FALSE;
	((SAMPLE_ADAPTER *)MiniportAdapterContext)->ResetPending = TRUE;
	return NDIS_STATUS_PENDING; /* NdisMResetComplete from the poll */
}

_Use_decl_annotations_
static NDIS_STATUS
SampleSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
	NDIS_MINIPORT_CO_CHARACTERISTICS Co;

	(void)DriverContext;
	memset(&Co, 0, sizeof(Co));
	Co.Header.Type = NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS;
	Co.Header.Revision = NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1;
	Co.Header.Size = NDIS_SIZEOF_MINIPORT_CO_CHARACTERISTICS_REVISION_1;
	Co.CoCreateVcHandler = SampleCoCreateVc;
	Co.CoDeleteVcHandler = SampleCoDeleteVc;
	Co.CoActivateVcHandler = SampleCoActivateVc;
	Co.CoDeactivateVcHandler = SampleCoDeactivateVc;
	Co.CoSendNetBufferListsHandler = SampleCoSendNetBufferLists;
	return NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Co);
}

NDIS_STATUS
SampleMiniportDriverEntry(PNDIS_HANDLE DriverHandle)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	if (SampleWire == NULL)
		SampleWire = (SAMPLE_FRAME *)calloc(SAMPLE_MAX_FRAMES, sizeof(*SampleWire));
	if (SampleWire == NULL)
		return NDIS_STATUS_RESOURCES;
	memset(&Chars, 0, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size = sizeof(Chars);
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 20;
	Chars.SetOptionsHandler = SampleSetOptions;
	Chars.InitializeHandlerEx = SampleInitialize;
	Chars.HaltHandlerEx = SampleHalt;
	Chars.PauseHandler = SamplePause;
	Chars.RestartHandler = SampleRestart;
	Chars.ResetHandlerEx = SampleReset;
	Chars.CancelSendHandler = SampleCancelSend;
	return NdisMRegisterMiniportDriver(NULL, NULL, NULL, &Chars, DriverHandle);
}
