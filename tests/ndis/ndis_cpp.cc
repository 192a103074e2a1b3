// SPDX-License-Identifier: BSD-3-Clause
// <condis/ndis.h> and the seeds' fragments compiled as C++
// (-Wall -Wextra -Werror): the names, the handler types and the layout.
#include <cstdio>

#include "seed_fragments.c"

static MINIPORT_CO_SEND_NET_BUFFER_LISTS CppCoSend;
static PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE CppSendComplete;

static VOID
CppCoSend(NDIS_HANDLE MiniportVcContext, PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	NdisMCoSendNetBufferListsComplete(MiniportVcContext, NetBufferLists, SendFlags);
}

static VOID
CppSendComplete(NDIS_HANDLE ProtocolVcContext, PNET_BUFFER_LIST NetBufferLists, ULONG Flags)
{
	(void)ProtocolVcContext;
	(void)NetBufferLists;
	(void)Flags;
}

int
main()
{
	NDIS_MINIPORT_CO_CHARACTERISTICS mc = {};
	NDIS_PROTOCOL_CO_CHARACTERISTICS pc = {};
	NDIS_NET_BUFFER_LIST_8021Q_INFO tag;

	mc.CoSendNetBufferListsHandler = CppCoSend;
	pc.CoSendNetBufferListsCompleteHandler = CppSendComplete;
	tag.Value = nullptr;
	tag.TagHeader.VlanId = 100;
	tag.TagHeader.UserPriority = 5;
	static_assert(sizeof(NDIS_OBJECT_HEADER) == 4, "NDIS_OBJECT_HEADER is 4 bytes");
	static_assert(offsetof(NET_BUFFER_LIST, SourceHandle) ==
		      offsetof(struct condis_nbl, source_handle), "one member, two names");
	static_assert(MaxNetBufferListInfo == 18, "NDIS 6.20 x64 has 18 info slots");
	// The tag's bit-fields are condis's own packing of the slot.
	if ((uintptr_t)tag.Value != condis_8021q_info(100, 5) || mc.CoSendNetBufferListsHandler == nullptr ||
	    pc.CoSendNetBufferListsCompleteHandler == nullptr) {
		std::puts("ndis.h as C++: layout differs");
		return 1;
	}
	std::puts("ndis.h compiles and lays out as C++");
	return 0;
}
