/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The code of the five NDIS documents this project comes from
 * (../shared/seeds), as they print it, compiled against <condis/ndis.h>
 * (as C in test_ndis, as C++ in ndis_cpp). The declarations repeat the
 * documented prototypes: they must match the header's.
 */
#include <condis/ndis.h>

/* "Porting CoNDIS Miniport Driver Send Data Handling": the status macro. */
void
SeedSetStatus(PNET_BUFFER_LIST pNetBufferList)
{
	NET_BUFFER_LIST_STATUS(pNetBufferList) = NDIS_STATUS_SUCCESS;
}

/* "Sending NET_BUFFER structures from CoNDIS drivers": the protocol stamps
 * SourceHandle with the VC handle it sends on. */
void
SeedStampSourceHandle(PNET_BUFFER_LIST NetBufferList, NDIS_HANDLE NdisVcHandle)
{
	NetBufferList->SourceHandle = NdisVcHandle;
	NdisCoSendNetBufferLists(NdisVcHandle, NetBufferList, 0);
}

/* "NdisMCoSendNetBufferListsComplete function": its prototype. */
VOID NdisMCoSendNetBufferListsComplete(
  _In_ NDIS_HANDLE      NdisVcHandle,
  _In_ PNET_BUFFER_LIST NetBufferLists,
  _In_ ULONG            SendCompleteFlags
);

/* "MiniportSendNetBufferLists callback function": the declaration by role
 * type, then the definition. */
MINIPORT_SEND_NET_BUFFER_LISTS MySendNetBufferLists;

_Use_decl_annotations_
VOID
MySendNetBufferLists(
    NDIS_HANDLE  MiniportAdapterContext,
    PNET_BUFFER_LIST  NetBufferList,
    NDIS_PORT_NUMBER  PortNumber,
    ULONG  SendFlags
    )
{
	(void)MiniportAdapterContext;
	(void)NetBufferList;
	(void)PortNumber;
	(void)SendFlags;
}

/* "NdisCoSendNetBufferLists function (ndis.h)": its prototype. */
void NdisCoSendNetBufferLists(
  IN NDIS_HANDLE      NdisVcHandle,
  IN PNET_BUFFER_LIST NetBufferLists,
  IN ULONG            SendFlags
);
