/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An NDIS-style CoNDIS protocol written to the NDIS documentation only
 * (<condis/ndis.h>; condis calls only where NDIS has machinery user space
 * lacks: binding and the call manager). It preallocates its NBLs and reuses
 * them, stamps SourceHandle, cancel ids and 802.1Q info, sends chains on
 * several VCs and checks every completion in its handler.
 */
#ifndef SAMPLE_PROTOCOL_H
#define SAMPLE_PROTOCOL_H

#include <condis/ndis.h>

#define SAMPLE_VCS 4
#define SAMPLE_SENDS 1024 /* NBLs the protocol owns */
#define SAMPLE_ETHERTYPE 0x88B5

/** One preallocated NBL and what became of its last send. */
typedef struct _SAMPLE_SEND {
	PNET_BUFFER_LIST Nbl;
	PNET_BUFFER FirstNb;     /**< to check the NB list comes back unchanged */
	BOOLEAN ZeroCopy;        /**< MDL over protocol memory (NdisAllocateMdl) */
	BOOLEAN InFlight;
	ULONG Vc, Seq, Length;
	ULONG Completions;       /**< over its whole life */
	NDIS_STATUS Status;      /**< of the last completion */
	USHORT VlanId;           /**< 0: no tag */
	UCHAR Priority;
} SAMPLE_SEND;

typedef struct _SAMPLE_PVC {
	NDIS_HANDLE NdisVcHandle;
	ULONG Index;
	ULONG NextSeq;
	ULONG Sent, Completed, Succeeded;
	ULONG64 SucceededBytes;  /**< frame bytes of the NBLs that succeeded */
	ULONG PeakBandwidth;     /**< bytes/s asked for at the call (SamplePeakBandwidth) */
	NDIS_STATUS Statuses[8]; /**< status indications, in order (CoStatusHandlerEx) */
	ULONG StatusCount;
	ULONG Looped;            /**< looped-back NBLs received (CoReceiveNetBufferListsHandler) */
} SAMPLE_PVC;

/** Send flags of SampleProtocolSend() (NDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK, ...). */
extern ULONG SampleSendFlags;

/** Each VC's FLOWSPEC PeakBandwidth (bytes/s, 0: line rate) at SampleProtocolStart(). */
extern ULONG SamplePeakBandwidth[SAMPLE_VCS];

extern SAMPLE_SEND SampleSends[SAMPLE_SENDS];
extern SAMPLE_PVC SamplePvcs[SAMPLE_VCS];
extern ULONG SampleProtocolErrors;  /**< what the completion handler found wrong */
extern ULONG SampleInFlight;
extern ULONG SampleCompletionCalls;
extern ULONG SampleOutOfOrder;      /**< completions that came before an older send's */

/** Register, bind to adapter, create and activate SAMPLE_VCS VCs. */
NDIS_STATUS SampleProtocolStart(struct condis_adapter *adapter);
/** Delete the VCs, unbind, free everything. */
NDIS_STATUS SampleProtocolStop(void);
/**
 * Send Count NBLs on VC Vc in chains of ChainLength, Length bytes each
 * (over SAMPLE_MAX: refused by the miniport), each with CancelId (NULL:
 * none) and VlanId (0: none). @return NBLs sent (the free ones run out).
 */
ULONG SampleProtocolSend(ULONG Vc, ULONG Count, ULONG ChainLength, ULONG Length, PVOID CancelId,
			 USHORT VlanId);
/** Build the frame of (Vc, Seq, Length) into Buffer. */
void SampleFrame(PUCHAR Buffer, ULONG Vc, ULONG Seq, ULONG Length);
/** The binding handle (for NdisCancelSendNetBufferLists). */
NDIS_HANDLE SampleBinding(void);

#endif
