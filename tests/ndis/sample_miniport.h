/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An NDIS-style CoNDIS miniport written to the NDIS documentation only
 * (<condis/ndis.h>): it queues the NBLs it is sent, "transmits" them into a
 * capture buffer from its NdisPoll, and completes them in the orders and
 * groupings the documents allow. Test knobs are plain globals.
 */
#ifndef SAMPLE_MINIPORT_H
#define SAMPLE_MINIPORT_H

#include <condis/ndis.h>

/** How the poll hands NBLs back (cycled per poll with SAMPLE_COMPLETE_CYCLE). */
typedef enum _SAMPLE_COMPLETE_MODE {
	SampleCompleteInOrder,   /**< per VC, in order, one call per VC */
	SampleCompleteReverse,   /**< per VC, newest first, split into two calls */
	SampleCompletePollChain, /**< every VC merged in the poll's CompletedNblChain */
	SampleCompleteOneByOne,  /**< one NdisMCoSendNetBufferListsComplete per NBL */
	SampleCompleteCycle,     /**< a different one of the above each poll */
	SampleCompleteHold,      /**< nothing: the NBLs stay queued */
} SAMPLE_COMPLETE_MODE;

/** A frame the miniport put on its "wire". */
typedef struct _SAMPLE_FRAME {
	ULONG Length;
	UCHAR Data[2048];
} SAMPLE_FRAME;

#define SAMPLE_MAX_FRAMES 4096
#define SAMPLE_MAX_LENGTH 1514

extern SAMPLE_COMPLETE_MODE SampleCompleteMode;
extern SAMPLE_FRAME *SampleWire;       /**< SAMPLE_MAX_FRAMES frames */
extern ULONG SampleWireCount;
extern ULONG SampleQueued;             /**< NBLs held now */
extern ULONG SampleDoubleCompleteNext; /**< complete the next NBL twice (a bug) */
extern ULONG SampleActivatePending;    /**< activations that went PENDING */

/** DriverEntry: NdisMRegisterMiniportDriver with the sample's characteristics. */
NDIS_STATUS SampleMiniportDriverEntry(PNDIS_HANDLE DriverHandle);

#endif
