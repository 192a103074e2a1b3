/* SPDX-License-Identifier: BSD-3-Clause */
/* The NDIS-style protocol of sample_protocol.h: NDIS names after set-up. */
#include <stdlib.h>
#include <string.h>

#include "sample_protocol.h"

SAMPLE_SEND SampleSends[SAMPLE_SENDS];
SAMPLE_PVC SamplePvcs[SAMPLE_VCS];
ULONG SampleProtocolErrors;
ULONG SampleInFlight;
ULONG SampleCompletionCalls;
ULONG SampleOutOfOrder;
ULONG SampleSendFlags;
static UCHAR SampleBindingContext; /* its address is what the handlers must get back */
ULONG SamplePeakBandwidth[SAMPLE_VCS] = { 125000000, 250000000, 375000000, 500000000 };

static NDIS_HANDLE ProtocolHandle, BindingHandle, NblPool, NbNblPool;
static PUCHAR ZeroCopyMemory;
static ULONG LastCompletedSeq[SAMPLE_VCS];

#define SAMPLE_BUFFER 2048
#define SAMPLE_ZERO_COPY_EVERY 8 /* one NBL in 8 describes protocol memory */

static PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE SampleSendComplete;
static PROTOCOL_CO_STATUS_EX SampleCoStatus;
static PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS SampleCoReceive;
static PROTOCOL_SET_OPTIONS SampleProtocolSetOptions;

void
SampleFrame(PUCHAR Buffer, ULONG Vc, ULONG Seq, ULONG Length)
{
	static const UCHAR Dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const UCHAR Src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	ULONG i;

	memcpy(Buffer, Dst, 6);
	memcpy(Buffer + 6, Src, 6);
	Buffer[12] = SAMPLE_ETHERTYPE >> 8;
	Buffer[13] = SAMPLE_ETHERTYPE & 0xff;
	Buffer[14] = (UCHAR)Vc;
	Buffer[15] = (UCHAR)(Seq >> 24);
	Buffer[16] = (UCHAR)(Seq >> 16);
	Buffer[17] = (UCHAR)(Seq >> 8);
	Buffer[18] = (UCHAR)Seq;
	for (i = 19; i < Length; i++)
		Buffer[i] = (UCHAR)(Seq * 7 + i);
}

_Use_decl_annotations_
static VOID
SampleSendComplete(NDIS_HANDLE ProtocolVcContext, PNET_BUFFER_LIST NetBufferLists,
		   ULONG SendCompleteFlags)
{
	SAMPLE_PVC *Pvc = (SAMPLE_PVC *)ProtocolVcContext;
	PNET_BUFFER_LIST Nbl;

	(void)SendCompleteFlags;
	SampleCompletionCalls++;
	for (Nbl = NetBufferLists; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl)) {
		SAMPLE_SEND *Send = (SAMPLE_SEND *)NET_BUFFER_LIST_PROTOCOL_RESERVED(Nbl)[0];

		if (Send == NULL || Send->Nbl != Nbl || !Send->InFlight ||
		    Nbl->SourceHandle != Pvc->NdisVcHandle || Send->Vc != Pvc->Index ||
		    NET_BUFFER_LIST_FIRST_NB(Nbl) != Send->FirstNb ||
		    /* our context is ours again, as we left it (spec 107) */
		    *(ULONG *)NET_BUFFER_LIST_CONTEXT_DATA_START(Nbl) != (ULONG)(Send - SampleSends) ||
		    NET_BUFFER_LIST_STATUS(Nbl) == NDIS_STATUS_PENDING) {
			SampleProtocolErrors++;
			continue;
		}
		if (Send->Seq < LastCompletedSeq[Send->Vc])
			SampleOutOfOrder++;
		LastCompletedSeq[Send->Vc] = Send->Seq;
		Send->InFlight = FALSE;
		Send->Completions++;
		Send->Status = NET_BUFFER_LIST_STATUS(Nbl);
		Pvc->Completed++;
		if (Send->Status == NDIS_STATUS_SUCCESS) {
			Pvc->Succeeded++;
			Pvc->SucceededBytes += Send->Length;
		}
		SampleInFlight--;
	}
}

_Use_decl_annotations_
static VOID
SampleCoStatus(NDIS_HANDLE ProtocolBindingContext, NDIS_HANDLE ProtocolVcContext,
	       PNDIS_STATUS_INDICATION StatusIndication)
{
	SAMPLE_PVC *Pvc = (SAMPLE_PVC *)ProtocolVcContext;

	if (ProtocolBindingContext != &SampleBindingContext ||
	    StatusIndication->Header.Type != NDIS_OBJECT_TYPE_STATUS_INDICATION) {
		SampleProtocolErrors++;
		return;
	}
	if (Pvc->StatusCount < 8)
		Pvc->Statuses[Pvc->StatusCount] = StatusIndication->StatusCode;
	Pvc->StatusCount++;
}

/* Loopback: the NBLs are NDIS's, valid during the call (RESOURCES semantics). */
_Use_decl_annotations_
static VOID
SampleCoReceive(NDIS_HANDLE ProtocolBindingContext, NDIS_HANDLE ProtocolVcContext,
		PNET_BUFFER_LIST NetBufferLists, ULONG NumberOfNetBufferLists, ULONG ReceiveFlags)
{
	SAMPLE_PVC *Pvc = (SAMPLE_PVC *)ProtocolVcContext;
	PNET_BUFFER_LIST Nbl;
	ULONG n = 0;

	(void)ReceiveFlags;
	if (ProtocolBindingContext != &SampleBindingContext)
		SampleProtocolErrors++;
	for (Nbl = NetBufferLists; Nbl != NULL; Nbl = NET_BUFFER_LIST_NEXT_NBL(Nbl), n++) {
		UCHAR Frame[64];
		PUCHAR p = (PUCHAR)NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(Nbl), 19, Frame, 1, 0);

		if (!(NET_BUFFER_LIST_FLAGS(Nbl) & NDIS_NBL_FLAGS_IS_LOOPBACK_PACKET) || p == NULL ||
		    p[14] != Pvc->Index)
			SampleProtocolErrors++;
	}
	if (n != NumberOfNetBufferLists)
		SampleProtocolErrors++;
	Pvc->Looped += n;
}

_Use_decl_annotations_
static NDIS_STATUS
SampleProtocolSetOptions(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS Co;

	(void)DriverContext;
	memset(&Co, 0, sizeof(Co));
	Co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	Co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.CoSendNetBufferListsCompleteHandler = SampleSendComplete;
	Co.CoStatusHandlerEx = SampleCoStatus;
	Co.CoReceiveNetBufferListsHandler = SampleCoReceive;
	return NdisSetOptionalHandlers(NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Co);
}

/* Preallocate every NBL: most with their own data, some over protocol memory. */
static NDIS_STATUS
SampleAllocate(void)
{
	NET_BUFFER_LIST_POOL_PARAMETERS Params;
	ULONG i;

	memset(&Params, 0, sizeof(Params));
	Params.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	Params.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	Params.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	Params.fAllocateNetBuffer = TRUE;
	Params.ContextSize = 16;
	Params.DataSize = SAMPLE_BUFFER;
	Params.PoolTag = 0x706d6153; /* 'Samp' */
	NblPool = NdisAllocateNetBufferListPool(ProtocolHandle, &Params);
	Params.DataSize = 0;
	NbNblPool = NdisAllocateNetBufferListPool(ProtocolHandle, &Params);
	ZeroCopyMemory = (PUCHAR)calloc(SAMPLE_SENDS / SAMPLE_ZERO_COPY_EVERY, SAMPLE_BUFFER);
	if (NblPool == NULL || NbNblPool == NULL || ZeroCopyMemory == NULL)
		return NDIS_STATUS_RESOURCES;
	for (i = 0; i < SAMPLE_SENDS; i++) {
		SAMPLE_SEND *Send = &SampleSends[i];

		memset(Send, 0, sizeof(*Send));
		if (i % SAMPLE_ZERO_COPY_EVERY == 0) {
			PMDL Mdl = NdisAllocateMdl(ProtocolHandle,
						   ZeroCopyMemory + (i / SAMPLE_ZERO_COPY_EVERY) * SAMPLE_BUFFER,
						   SAMPLE_BUFFER);

			if (Mdl == NULL)
				return NDIS_STATUS_RESOURCES;
			Send->Nbl = NdisAllocateNetBufferAndNetBufferList(NbNblPool, 16, 0, Mdl, 0,
									  SAMPLE_BUFFER);
			Send->ZeroCopy = TRUE;
		} else {
			Send->Nbl = NdisAllocateNetBufferList(NblPool, 16, 0);
		}
		if (Send->Nbl == NULL)
			return NDIS_STATUS_RESOURCES;
		Send->FirstNb = NET_BUFFER_LIST_FIRST_NB(Send->Nbl);
		NET_BUFFER_LIST_PROTOCOL_RESERVED(Send->Nbl)[0] = Send;
		/* The context area is ours too: it holds the send's index. */
		*(ULONG *)NET_BUFFER_LIST_CONTEXT_DATA_START(Send->Nbl) = i;
	}
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
SampleProtocolStart(struct condis_adapter *adapter)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS Chars;
	CO_CALL_MANAGER_PARAMETERS CallMgr;
	CO_CALL_PARAMETERS Call;
	NDIS_STATUS Status;
	ULONG i;

	memset(&Chars, 0, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size = sizeof(Chars);
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 20;
	Chars.SetOptionsHandler = SampleProtocolSetOptions;
	Status = NdisRegisterProtocolDriver(NULL, &Chars, &ProtocolHandle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	Status = SampleAllocate();
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	/* Set-up NDIS does for us in the kernel: the binding. */
	Status = condis_ndis_open_adapter(ProtocolHandle, adapter, &SampleBindingContext,
					  &BindingHandle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	memset(LastCompletedSeq, 0, sizeof(LastCompletedSeq));
	memset(&CallMgr, 0, sizeof(CallMgr));
	memset(&Call, 0, sizeof(Call));
	Call.CallMgrParameters = &CallMgr;
	for (i = 0; i < SAMPLE_VCS; i++) {
		SAMPLE_PVC *Pvc = &SamplePvcs[i];

		memset(Pvc, 0, sizeof(*Pvc));
		Pvc->Index = i;
		Status = NdisCoCreateVc(BindingHandle, NULL, Pvc, &Pvc->NdisVcHandle);
		if (Status != NDIS_STATUS_SUCCESS)
			return Status;
		CallMgr.Transmit.PeakBandwidth = SamplePeakBandwidth[i]; /* bytes/s */
		Pvc->PeakBandwidth = SamplePeakBandwidth[i];
		/* ... and the call manager's: the call. */
		Status = condis_ndis_make_call(Pvc->NdisVcHandle, &Call);
		if (Status != NDIS_STATUS_SUCCESS)
			return Status;
	}
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS
SampleProtocolStop(void)
{
	ULONG i;

	for (i = 0; i < SAMPLE_VCS; i++)
		if (SamplePvcs[i].NdisVcHandle != NULL) {
			/* the adapter may be closed already: its VCs died with it */
			(void)NdisCoDeleteVc(SamplePvcs[i].NdisVcHandle);
			SamplePvcs[i].NdisVcHandle = NULL;
		}
	if (BindingHandle != NULL)
		condis_ndis_close_adapter(BindingHandle);
	BindingHandle = NULL;
	for (i = 0; i < SAMPLE_SENDS; i++) {
		SAMPLE_SEND *Send = &SampleSends[i];

		if (Send->Nbl == NULL)
			continue;
		if (Send->ZeroCopy) {
			PMDL Mdl = NET_BUFFER_FIRST_MDL(Send->FirstNb);

			NdisFreeNetBufferList(Send->Nbl);
			NdisFreeMdl(Mdl);
		} else {
			NdisFreeNetBufferList(Send->Nbl);
		}
		Send->Nbl = NULL;
	}
	if (NblPool != NULL)
		NdisFreeNetBufferListPool(NblPool);
	if (NbNblPool != NULL)
		NdisFreeNetBufferListPool(NbNblPool);
	NblPool = NbNblPool = NULL;
	free(ZeroCopyMemory);
	ZeroCopyMemory = NULL;
	if (ProtocolHandle != NULL)
		NdisDeregisterProtocolDriver(ProtocolHandle);
	ProtocolHandle = NULL;
	return NDIS_STATUS_SUCCESS;
}

NDIS_HANDLE
SampleBinding(void)
{
	return BindingHandle;
}

ULONG
SampleProtocolSend(ULONG Vc, ULONG Count, ULONG ChainLength, ULONG Length, PVOID CancelId,
		   USHORT VlanId)
{
	SAMPLE_PVC *Pvc = &SamplePvcs[Vc];
	PNET_BUFFER_LIST Head = NULL, *Tail = &Head;
	ULONG Sent = 0, InChain = 0, i;
	static ULONG Cursor; /* round robin: an NBL is reused as late as can be */

	for (i = 0; i < SAMPLE_SENDS && Sent < Count; i++) {
		SAMPLE_SEND *Send = &SampleSends[(Cursor + i) % SAMPLE_SENDS];
		PNET_BUFFER_LIST Nbl = Send->Nbl;
		PNET_BUFFER Nb = NET_BUFFER_LIST_FIRST_NB(Nbl);
		NDIS_NET_BUFFER_LIST_8021Q_INFO Tag;

		if (Send->InFlight)
			continue;
		Send->InFlight = TRUE;
		Send->Vc = Vc;
		Send->Seq = Pvc->NextSeq++;
		Send->Length = Length;
		Send->VlanId = VlanId;
		Send->Priority = (UCHAR)(Send->Seq % 8);
		SampleFrame((PUCHAR)MmGetMdlVirtualAddress(NET_BUFFER_FIRST_MDL(Nb)), Vc, Send->Seq,
			    Length > SAMPLE_BUFFER ? SAMPLE_BUFFER : Length);
		NET_BUFFER_DATA_LENGTH(Nb) = Length > SAMPLE_BUFFER ? SAMPLE_BUFFER : Length;
		NET_BUFFER_LIST_STATUS(Nbl) = NDIS_STATUS_SUCCESS;
		Nbl->SourceHandle = Pvc->NdisVcHandle; /* as the seeds say */
		NDIS_SET_NET_BUFFER_LIST_CANCEL_ID(Nbl, CancelId);
		Tag.Value = NULL;
		if (VlanId != 0) {
			Tag.TagHeader.VlanId = VlanId;
			Tag.TagHeader.UserPriority = Send->Priority;
		}
		NET_BUFFER_LIST_INFO(Nbl, Ieee8021QNetBufferListInfo) = Tag.Value;
		*Tail = Nbl;
		Tail = &NET_BUFFER_LIST_NEXT_NBL(Nbl);
		SampleInFlight++;
		Pvc->Sent++;
		Sent++;
		if (++InChain == ChainLength || Sent == Count) {
			*Tail = NULL;
			NdisCoSendNetBufferLists(Pvc->NdisVcHandle, Head, SampleSendFlags);
			Head = NULL;
			Tail = &Head;
			InChain = 0;
		}
	}
	Cursor = (Cursor + i) % SAMPLE_SENDS;
	if (Head != NULL) {
		*Tail = NULL;
		NdisCoSendNetBufferLists(Pvc->NdisVcHandle, Head, SampleSendFlags);
	}
	return Sent;
}
