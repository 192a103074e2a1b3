/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The NDIS names: code written to the NDIS 6 documentation compiles against
 * condis. Types, values, members, accessors, calls and handler types keep
 * their documented names, signatures and parameter order; each maps onto
 * the native API (condis.h, and for miniports the SDK, condis_miniport.h)
 * as a macro or a thin inline function. There is no second implementation:
 * a NET_BUFFER_LIST *is* a struct condis_nbl, and the documented members
 * (NetBufferList->SourceHandle) are the native ones under their NDIS names.
 *
 * What user space has no use for is accepted and ignored (listed below);
 * where NDIS needs machinery user space does not have, one condis call
 * stands in for it, and everything after it is NDIS:
 *
 * | NDIS machinery                                   | condis call                          |
 * |--------------------------------------------------|--------------------------------------|
 * | NdisOpenAdapterEx (binding a protocol)           | condis_ndis_open_adapter()           |
 * | NdisCloseAdapterEx                               | condis_ndis_close_adapter()          |
 * | a call manager activating a VC (NdisClMakeCall)  | condis_ndis_make_call()              |
 * | NDIS starting a miniport's adapter (PnP)         | condis_ndis_miniport_initialize()    |
 * | NDIS calling a poll-mode miniport's NdisPoll     | the library's condis_poll()          |
 *
 * Accepted and ignored: SAL annotations (_In_, _Out_, _Inout_, _In_opt_,
 * _Out_opt_, _Use_decl_annotations_, _IRQL_requires_*_, _Function_class_,
 * _Must_inspect_result_, IN, OUT, OPTIONAL), IRQL (the DISPATCH_LEVEL flags
 * pass through unchanged), pool tags, the NdisHandle argument of the
 * allocators, the DriverObject and RegistryPath of driver registration, and
 * NdisMAllocateNetBufferSGList (condis hands the device IO addresses already;
 * the macro evaluates to NDIS_STATUS_NOT_SUPPORTED).
 *
 * The NDIS names are Microsoft's to document (the WDK reference of ndis.h);
 * this API reference shows only the condis calls beside them, and what
 * each NDIS name becomes is the header's own code.
 *
 * Where condis differs (see docs/NDIS.md): NBL and NB pools have a fixed
 * size (CONDIS_NDIS_POOL_SIZE, 4096 unless defined before this header);
 * NdisAllocateMdl and the retreat/clone calls take their MDLs from one
 * process-wide pool that the first NDIS-style driver's registration
 * creates; an NDIS-style miniport completes sends only on the owner of the
 * queue (from its send handler or its NdisPoll), never from another thread.
 */
#ifndef CONDIS_NDIS_H
#define CONDIS_NDIS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <condis/condis.h>
#include <condis/condis_miniport.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** @cond NDIS_NAMES */
/* --- SAL annotations and kernel decorations: accepted, ignored --- */
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Out_opt_
#define _Out_opt_
#endif
#ifndef _Inout_
#define _Inout_
#endif
#ifndef _Inout_opt_
#define _Inout_opt_
#endif
#ifndef _In_reads_bytes_
#define _In_reads_bytes_(n)
#endif
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#endif
#ifndef _Must_inspect_result_
#define _Must_inspect_result_
#endif
#ifndef _IRQL_requires_
#define _IRQL_requires_(irql)
#endif
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(irql)
#endif
#ifndef _IRQL_requires_min_
#define _IRQL_requires_min_(irql)
#endif
#ifndef _Function_class_
#define _Function_class_(name)
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

/* --- Windows base types (x64: LONG and ULONG are 32 bits) --- */
#ifndef VOID
#define VOID void
#endif
typedef void *PVOID;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WCHAR, *PWSTR;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG;
typedef unsigned int UINT;
typedef uint64_t ULONG64;
typedef uintptr_t ULONG_PTR;
typedef size_t SIZE_T;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
/** A counted UTF-16 string (NDIS_STRING). condis does not read it. */
typedef struct _UNICODE_STRING {
	USHORT Length;        /**< bytes used */
	USHORT MaximumLength; /**< bytes of Buffer */
	PWSTR Buffer;         /**< the characters */
} UNICODE_STRING, *PUNICODE_STRING, NDIS_STRING, *PNDIS_STRING;
/** The kernel's driver object: never dereferenced here (pass NULL). */
typedef struct _DRIVER_OBJECT *PDRIVER_OBJECT;

/* --- NDIS types --- */
typedef void *NDIS_HANDLE, **PNDIS_HANDLE;     /**< every NDIS handle */
typedef condis_status_t NDIS_STATUS, *PNDIS_STATUS;
typedef ULONG NDIS_PORT_NUMBER, *PNDIS_PORT_NUMBER;
typedef struct condis_nbl NET_BUFFER_LIST, *PNET_BUFFER_LIST;
typedef struct condis_nb NET_BUFFER, *PNET_BUFFER;
typedef struct condis_mdl MDL, *PMDL;

/** The header every documented NDIS structure that has one starts with. */
typedef struct _NDIS_OBJECT_HEADER {
	UCHAR Type;     /**< NDIS_OBJECT_TYPE_* */
	UCHAR Revision; /**< the structure's revision */
	USHORT Size;    /**< NDIS_SIZEOF_* of that revision */
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

/** Bytes of a structure up to and including one of its members. */
#define RTL_SIZEOF_THROUGH_FIELD(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))

#define NDIS_OBJECT_TYPE_DEFAULT                                 0x80
#define NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS                0x81
#define NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS         0x8A
#define NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS             0x90
#define NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS             0x91
#define NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS         0x95
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES 0x9E

/* --- NDIS_STATUS values (condis_status.h: the same numbers) --- */
#define NDIS_STATUS_SUCCESS            CONDIS_STATUS_SUCCESS
#define NDIS_STATUS_PENDING            CONDIS_STATUS_PENDING
#define NDIS_STATUS_NOT_ACCEPTED       CONDIS_STATUS_NOT_ACCEPTED
#define NDIS_STATUS_RESET_START        CONDIS_STATUS_RESET_START
#define NDIS_STATUS_RESET_END          CONDIS_STATUS_RESET_END
#define NDIS_STATUS_MEDIA_CONNECT      CONDIS_STATUS_MEDIA_CONNECT
#define NDIS_STATUS_MEDIA_DISCONNECT   CONDIS_STATUS_MEDIA_DISCONNECT
#define NDIS_STATUS_FAILURE            CONDIS_STATUS_FAILURE
#define NDIS_STATUS_RESOURCES          CONDIS_STATUS_RESOURCES
#define NDIS_STATUS_NOT_SUPPORTED      CONDIS_STATUS_NOT_SUPPORTED
#define NDIS_STATUS_CLOSING            CONDIS_STATUS_CLOSING
#define NDIS_STATUS_REQUEST_ABORTED    CONDIS_STATUS_REQUEST_ABORTED
#define NDIS_STATUS_RESET_IN_PROGRESS  CONDIS_STATUS_RESET_IN_PROGRESS
#define NDIS_STATUS_CLOSING_INDICATING CONDIS_STATUS_CLOSING_INDICATING
#define NDIS_STATUS_INVALID_PACKET     CONDIS_STATUS_INVALID_PACKET
#define NDIS_STATUS_INVALID_LENGTH     CONDIS_STATUS_INVALID_LENGTH
#define NDIS_STATUS_INVALID_DATA       CONDIS_STATUS_INVALID_DATA
#define NDIS_STATUS_VC_NOT_ACTIVATED   CONDIS_STATUS_VC_NOT_ACTIVATED
#define NDIS_STATUS_VC_NOT_AVAILABLE   CONDIS_STATUS_VC_NOT_AVAILABLE
#define NDIS_STATUS_SEND_ABORTED       CONDIS_STATUS_SEND_ABORTED
#define NDIS_STATUS_MEDIA_DISCONNECTED CONDIS_STATUS_MEDIA_DISCONNECTED
#define NDIS_STATUS_PAUSED             CONDIS_STATUS_PAUSED
#define NDIS_STATUS_LOW_POWER_STATE    CONDIS_STATUS_LOW_POWER_STATE
/** NT_SUCCESS-style test of an NDIS_STATUS. */
#define NDIS_STATUS_IS_SUCCESS(s)      ((NDIS_STATUS)(s) >= 0)

/* --- Flags (condis_status.h: the same numbers) --- */
#define NDIS_SEND_FLAGS_DISPATCH_LEVEL             CONDIS_SEND_FLAGS_DISPATCH_LEVEL
#define NDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK         CONDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK
#define NDIS_SEND_FLAGS_SINGLE_QUEUE               CONDIS_SEND_FLAGS_SINGLE_QUEUE
#define NDIS_SEND_FLAGS_SWITCH_DESTINATION_GROUP   CONDIS_SEND_FLAGS_SWITCH_DESTINATION_GROUP
#define NDIS_SEND_FLAGS_SWITCH_SINGLE_SOURCE       CONDIS_SEND_FLAGS_SWITCH_SINGLE_SOURCE
#define NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL       CONDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
#define NDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE         CONDIS_SEND_COMPLETE_FLAGS_SINGLE_QUEUE
#define NDIS_SEND_COMPLETE_FLAGS_SWITCH_SINGLE_SOURCE CONDIS_SEND_COMPLETE_FLAGS_SWITCH_SINGLE_SOURCE
#define NDIS_NBL_FLAGS_SEND_READ_ONLY       CONDIS_NBL_FLAGS_SEND_READ_ONLY
#define NDIS_NBL_FLAGS_RECV_READ_ONLY       CONDIS_NBL_FLAGS_RECV_READ_ONLY
#define NDIS_NBL_FLAGS_IS_IPV4              CONDIS_NBL_FLAGS_IS_IPV4
#define NDIS_NBL_FLAGS_IS_IPV6              CONDIS_NBL_FLAGS_IS_IPV6
#define NDIS_NBL_FLAGS_IS_TCP               CONDIS_NBL_FLAGS_IS_TCP
#define NDIS_NBL_FLAGS_IS_UDP               CONDIS_NBL_FLAGS_IS_UDP
#define NDIS_NBL_FLAGS_IS_LOOPBACK_PACKET   CONDIS_NBL_FLAGS_IS_LOOPBACK_PACKET
#define NDIS_CLONE_FLAGS_RESERVED           CONDIS_CLONE_FLAGS_RESERVED
#define NDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS  CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS
#define NDIS_MAC_OPTION_NO_LOOPBACK         CONDIS_MAC_OPTION_NO_LOOPBACK
#define NDIS_MAC_OPTION_FULL_DUPLEX         CONDIS_MAC_OPTION_FULL_DUPLEX
#define NDIS_MAC_OPTION_8021P_PRIORITY      CONDIS_MAC_OPTION_8021P_PRIORITY
#define NDIS_PACKET_TYPE_DIRECTED           CONDIS_PACKET_TYPE_DIRECTED
#define NDIS_PACKET_TYPE_MULTICAST          CONDIS_PACKET_TYPE_MULTICAST
#define NDIS_PACKET_TYPE_ALL_MULTICAST      CONDIS_PACKET_TYPE_ALL_MULTICAST
#define NDIS_PACKET_TYPE_BROADCAST          CONDIS_PACKET_TYPE_BROADCAST
#define NDIS_PACKET_TYPE_PROMISCUOUS        CONDIS_PACKET_TYPE_PROMISCUOUS
#define NDIS_PACKET_TYPE_ALL_LOCAL          CONDIS_PACKET_TYPE_ALL_LOCAL

/* --- NET_BUFFER_LIST OOB info (spec 22-25) --- */
/** The slots of NetBufferListInfo[] (NDIS 6.20, x64). */
typedef enum _NDIS_NET_BUFFER_LIST_INFO {
	TcpIpChecksumNetBufferListInfo = CONDIS_NBL_INFO_TCPIP_CHECKSUM,
	TcpOffloadBytesTransferred = TcpIpChecksumNetBufferListInfo,
	IPsecOffloadV1NetBufferListInfo = CONDIS_NBL_INFO_IPSEC_OFFLOAD_V1,
	IPsecOffloadV2NetBufferListInfo = IPsecOffloadV1NetBufferListInfo,
	TcpLargeSendNetBufferListInfo = CONDIS_NBL_INFO_TCP_LARGE_SEND,
	TcpReceiveNoPush = TcpLargeSendNetBufferListInfo,
	ClassificationHandleNetBufferListInfo = CONDIS_NBL_INFO_CLASSIFICATION_HANDLE,
	Ieee8021QNetBufferListInfo = CONDIS_NBL_INFO_IEEE8021Q,
	NetBufferListCancelId = CONDIS_NBL_INFO_CANCEL_ID,
	MediaSpecificInformation = CONDIS_NBL_INFO_MEDIA_SPECIFIC,
	NetBufferListFrameType = CONDIS_NBL_INFO_FRAME_TYPE,
	NetBufferListProtocolId = NetBufferListFrameType,
	NetBufferListHashValue = CONDIS_NBL_INFO_HASH_VALUE,
	NetBufferListHashInfo = CONDIS_NBL_INFO_HASH_INFO,
	WfpNetBufferListInfo = CONDIS_NBL_INFO_WFP,
	IPsecOffloadV2TunnelNetBufferListInfo = CONDIS_NBL_INFO_IPSEC_V2_TUNNEL,
	IPsecOffloadV2HeaderNetBufferListInfo = CONDIS_NBL_INFO_IPSEC_V2_HEADER,
	NetBufferListCorrelationId = CONDIS_NBL_INFO_CORRELATION_ID,
	NetBufferListFilteringInfo = CONDIS_NBL_INFO_FILTERING,
	MediaSpecificInformationEx = 15,
	NblOriginalInterfaceIfIndex = 16,
	NblReAuthWfpFlowContext = NblOriginalInterfaceIfIndex,
	TcpReceiveBytesTransferred = 17,
	MaxNetBufferListInfo = CONDIS_NBL_INFO_MAX
} NDIS_NET_BUFFER_LIST_INFO, *PNDIS_NET_BUFFER_LIST_INFO;

/** The Ieee8021QNetBufferListInfo value (bit-fields lowest first, as NDIS). */
typedef struct _NDIS_NET_BUFFER_LIST_8021Q_INFO {
	union {
		struct {
			uint32_t UserPriority : 3;      /**< 802.1p priority */
			uint32_t CanonicalFormatId : 1; /**< 0 for Ethernet */
			uint32_t VlanId : 12;           /**< VLAN id, 0 for none */
			uint32_t Reserved : 16;         /**< 0 */
		} TagHeader;                            /**< the tag's fields */
		PVOID Value;                            /**< the slot's value */
	};
} NDIS_NET_BUFFER_LIST_8021Q_INFO, *PNDIS_NET_BUFFER_LIST_8021Q_INFO;

/* --- Accessors (documented macros; all assignable where NDIS's are) --- */
#define NET_BUFFER_LIST_NEXT_NBL(nbl)          ((nbl)->Next)
#define NET_BUFFER_LIST_FIRST_NB(nbl)          ((nbl)->FirstNetBuffer)
#define NET_BUFFER_LIST_STATUS(nbl)            ((nbl)->Status)
#define NET_BUFFER_LIST_FLAGS(nbl)             ((nbl)->NblFlags)
#define NET_BUFFER_LIST_INFO(nbl, id)          ((nbl)->NetBufferListInfo[(id)])
#define NET_BUFFER_LIST_PROTOCOL_RESERVED(nbl) ((nbl)->ProtocolReserved)
#define NET_BUFFER_LIST_MINIPORT_RESERVED(nbl) ((nbl)->MiniportReserved)
#define NET_BUFFER_LIST_CONTEXT_DATA_START(nbl) condis_ndis_context_data(nbl)
#define NET_BUFFER_LIST_CONTEXT_DATA_SIZE(nbl)  condis_nbl_context_data_size(nbl)
#define NET_BUFFER_NEXT_NB(nb)                 ((nb)->Next)
#define NET_BUFFER_FIRST_MDL(nb)               ((nb)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(nb)             ((nb)->DataLength)
#define NET_BUFFER_DATA_OFFSET(nb)             ((nb)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(nb)             ((nb)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(nb)      ((nb)->CurrentMdlOffset)
#define NET_BUFFER_PROTOCOL_RESERVED(nb)       ((nb)->ProtocolReserved)
#define NET_BUFFER_MINIPORT_RESERVED(nb)       ((nb)->MiniportReserved)
#define NDIS_MDL_LINKAGE(mdl)                  ((mdl)->Next)
#define NDIS_SET_NET_BUFFER_LIST_CANCEL_ID(nbl, id) \
	(NET_BUFFER_LIST_INFO((nbl), NetBufferListCancelId) = (PVOID)(id))
#define NDIS_GET_NET_BUFFER_LIST_CANCEL_ID(nbl) \
	(NET_BUFFER_LIST_INFO((nbl), NetBufferListCancelId))
#define NDIS_GET_NET_BUFFER_LIST_CANCEL_ID_PREFIX_SHIFT CONDIS_CANCEL_ID_PREFIX_SHIFT
/** First byte an MDL describes. */
#define MmGetMdlVirtualAddress(mdl)            ((PVOID)(mdl)->MappedSystemVa)
/** Bytes an MDL describes. */
#define MmGetMdlByteCount(mdl)                 ((ULONG)(mdl)->ByteCount)
/** The MDL's bytes: always mapped in user space; Priority is ignored. */
#define MmGetSystemAddressForMdlSafe(mdl, prio) ((PVOID)(mdl)->MappedSystemVa)
/** Scatter/gather lists: condis gives the device IO addresses itself. */
#define NdisMAllocateNetBufferSGList(...)      NDIS_STATUS_NOT_SUPPORTED

/* --- Pools and objects (spec A) --- */
#ifndef CONDIS_NDIS_POOL_SIZE
/** Objects in a pool the NDIS calls create (NDIS pools grow; condis's do not). */
#define CONDIS_NDIS_POOL_SIZE 4096
#endif

#define NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 1
#define NET_BUFFER_POOL_PARAMETERS_REVISION_1 1

/** NdisAllocateNetBufferListPool's parameters. */
typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /**< DEFAULT, revision 1, its size */
	UCHAR ProtocolId;          /**< NDIS_PROTOCOL_ID_*, 0 for miniports */
	BOOLEAN fAllocateNetBuffer; /**< an NB comes with each NBL */
	USHORT ContextSize;        /**< context bytes preallocated per NBL */
	ULONG PoolTag;             /**< ignored */
	ULONG DataSize;            /**< data bytes preallocated per NBL (one MDL) */
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;
#define NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_LIST_POOL_PARAMETERS, DataSize)

/** NdisAllocateNetBufferPool's parameters. */
typedef struct _NET_BUFFER_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /**< DEFAULT, revision 1, its size */
	ULONG PoolTag;             /**< ignored */
	ULONG DataSize;            /**< must be 0: condis NBs get their data from MDLs */
} NET_BUFFER_POOL_PARAMETERS, *PNET_BUFFER_POOL_PARAMETERS;
#define NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_POOL_PARAMETERS, DataSize)

/** @endcond */
/**
 * NdisAllocateNetBufferListPool's work: check the header, then create a
 * condis NBL pool of CONDIS_NDIS_POOL_SIZE NBLs under a unique name.
 * @return the pool, or NULL (bad header or parameters, no memory).
 */
struct condis_nbl_pool *condis_ndis_nbl_pool_create(const NET_BUFFER_LIST_POOL_PARAMETERS *params,
						    uint32_t count);
/** NdisAllocateNetBufferPool's work (see condis_ndis_nbl_pool_create()). */
struct condis_nb_pool *condis_ndis_nb_pool_create(const NET_BUFFER_POOL_PARAMETERS *params,
						  uint32_t count);
/**
 * The process-wide MDL pool of the NDIS calls that allocate MDLs
 * (NdisAllocateMdl, NdisRetreatNetBufferDataStart, NdisAllocateCloneNetBufferList):
 * created by the first NDIS-style driver registration, NULL before.
 */
struct condis_mdl_pool *condis_ndis_mdl_pool(void);
/** @cond NDIS_NAMES */

static inline NDIS_HANDLE
NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_LIST_POOL_PARAMETERS Parameters)
{
	(void)NdisHandle;
	return condis_ndis_nbl_pool_create(Parameters, CONDIS_NDIS_POOL_SIZE);
}

/** Frees the pool; one with NBLs still allocated is left as it is (NDIS: a bug). */
static inline VOID
NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle)
{
	(void)condis_nbl_pool_free((struct condis_nbl_pool *)PoolHandle);
}

static inline PNET_BUFFER_LIST
NdisAllocateNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize, USHORT ContextBackFill)
{
	PNET_BUFFER_LIST nbl = condis_nbl_alloc((struct condis_nbl_pool *)PoolHandle);

	if (nbl != NULL && ContextSize != 0 &&
	    condis_nbl_context_alloc(nbl, ContextSize, ContextBackFill) != 0) {
		condis_nbl_free(nbl);
		return NULL;
	}
	return nbl;
}

static inline PNET_BUFFER_LIST
NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
				      USHORT ContextBackFill, PMDL MdlChain, ULONG DataOffset,
				      SIZE_T DataLength)
{
	PNET_BUFFER_LIST nbl;

	if (DataLength > UINT32_MAX)
		return NULL;
	nbl = condis_nbl_alloc_with_nb((struct condis_nbl_pool *)PoolHandle, MdlChain, DataOffset,
				       (uint32_t)DataLength);
	if (nbl != NULL && ContextSize != 0 &&
	    condis_nbl_context_alloc(nbl, ContextSize, ContextBackFill) != 0) {
		condis_nbl_free(nbl);
		return NULL;
	}
	return nbl;
}

/** Frees the NBL; one the stack still owns is left as it is (NDIS: a bug). */
static inline VOID
NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList)
{
	(void)condis_nbl_free(NetBufferList);
}

static inline NDIS_HANDLE
NdisAllocateNetBufferPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_POOL_PARAMETERS Parameters)
{
	(void)NdisHandle;
	return condis_ndis_nb_pool_create(Parameters, CONDIS_NDIS_POOL_SIZE);
}

static inline VOID
NdisFreeNetBufferPool(NDIS_HANDLE PoolHandle)
{
	(void)condis_nb_pool_free((struct condis_nb_pool *)PoolHandle);
}

static inline PNET_BUFFER
NdisAllocateNetBuffer(NDIS_HANDLE PoolHandle, PMDL MdlChain, ULONG DataOffset, SIZE_T DataLength)
{
	if (DataLength > UINT32_MAX)
		return NULL;
	return condis_nb_alloc((struct condis_nb_pool *)PoolHandle, MdlChain, DataOffset,
			       (uint32_t)DataLength);
}

static inline VOID
NdisFreeNetBuffer(PNET_BUFFER NetBuffer)
{
	(void)condis_nb_free(NetBuffer);
}

/**
 * An MDL describing caller memory (zero-copy; for a real NIC the memory
 * must be DMA-able, condis_nbl.h). NULL without an NDIS-style driver
 * registered, or for Length 0 or over CONDIS_MDL_MAX_BYTES.
 */
static inline PMDL
NdisAllocateMdl(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, UINT Length)
{
	(void)NdisHandle;
	return condis_mdl_alloc_ext(condis_ndis_mdl_pool(), VirtualAddress, RTE_BAD_IOVA, Length);
}

static inline VOID
NdisFreeMdl(PMDL Mdl)
{
	(void)condis_mdl_free(Mdl);
}

static inline PNET_BUFFER_LIST
NdisAllocateCloneNetBufferList(PNET_BUFFER_LIST OriginalNetBufferList,
			       NDIS_HANDLE NetBufferListPoolHandle, NDIS_HANDLE NetBufferPoolHandle,
			       ULONG AllocateCloneFlags)
{
	return condis_nbl_clone(OriginalNetBufferList,
				(struct condis_nbl_pool *)NetBufferListPoolHandle,
				(struct condis_nb_pool *)NetBufferPoolHandle, condis_ndis_mdl_pool(),
				AllocateCloneFlags);
}

static inline VOID
NdisFreeCloneNetBufferList(PNET_BUFFER_LIST CloneNetBufferList, ULONG FreeCloneFlags)
{
	(void)condis_nbl_free_clone(CloneNetBufferList, FreeCloneFlags);
}

/** NDIS_STATUS of a native 0 / -errno result. */
static inline NDIS_STATUS
condis_ndis_status_of(int rc)
{
	return rc == 0 ? NDIS_STATUS_SUCCESS :
	       rc == -ENOMEM || rc == -ENOBUFS ? NDIS_STATUS_RESOURCES : NDIS_STATUS_FAILURE;
}

/* NBL context: the common case (room in the NBL's own area) inline, as an
 * intermediate driver saving SourceHandle takes it on every frame; the rest
 * is condis_nbl_context_alloc()/free()/data(). */
static inline NDIS_STATUS
NdisAllocateNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize,
				 USHORT ContextBackFill, ULONG PoolTag)
{
	(void)PoolTag;
	if (likely(NetBufferList != NULL && NetBufferList->magic == CONDIS_NBL_MAGIC &&
		   ContextSize != 0 && ContextSize % 16 == 0 &&
		   NetBufferList->context_offset >= ContextSize)) {
		NetBufferList->context_offset -= ContextSize;
		return NDIS_STATUS_SUCCESS;
	}
	return condis_ndis_status_of(condis_nbl_context_alloc(NetBufferList, ContextSize,
							      ContextBackFill));
}

static inline VOID
NdisFreeNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize)
{
	if (likely(NetBufferList != NULL && NetBufferList->context_block == NULL &&
		   NetBufferList->magic == CONDIS_NBL_MAGIC && ContextSize != 0 &&
		   ContextSize % 16 == 0 &&
		   ContextSize <= NetBufferList->context_size - NetBufferList->context_offset)) {
		NetBufferList->context_offset += ContextSize;
		return;
	}
	(void)condis_nbl_context_free(NetBufferList, ContextSize);
}

static inline PVOID
condis_ndis_context_data(PNET_BUFFER_LIST NetBufferList)
{
	if (likely(NetBufferList->context_block == NULL))
		return NetBufferList->context_offset == NetBufferList->context_size ? NULL :
		       RTE_PTR_ADD(NetBufferList->context, NetBufferList->context_offset);
	return condis_nbl_context_data(NetBufferList);
}

/** The MDL allocator NDIS lets a caller pass: condis uses its own pool; must be NULL. */
typedef PMDL (NET_BUFFER_ALLOCATE_MDL)(PULONG BufferSize);
/** The MDL free routine NDIS lets a caller pass: must be NULL. */
typedef VOID (NET_BUFFER_FREE_MDL)(PMDL Mdl);

/**
 * Retreat (spec 17): with too little unused space, an MDL of delta +
 * back-fill bytes from the NDIS MDL pool is linked in front. An allocator
 * of the caller's is not supported (FAILURE).
 */
static inline NDIS_STATUS
NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, ULONG DataBackFill,
			      NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler)
{
	if (AllocateMdlHandler != NULL)
		return NDIS_STATUS_FAILURE;
	return condis_nb_retreat(NetBuffer, DataOffsetDelta, DataBackFill, condis_ndis_mdl_pool());
}

/** Advance (spec 18); a FreeMdlHandler other than NULL is ignored. */
static inline VOID
NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN FreeMdl,
			      NET_BUFFER_FREE_MDL *FreeMdlHandler)
{
	(void)FreeMdlHandler;
	(void)condis_nb_advance(NetBuffer, DataOffsetDelta, FreeMdl != 0);
}

/**
 * BytesNeeded contiguous bytes at the NB's data start (spec 29): a pointer
 * into the data, or Storage (copied there) when they span MDLs or are not
 * aligned as asked (AlignMultiple 1 asks nothing), or NULL.
 */
static inline PVOID
NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, UINT AlignMultiple,
		  UINT AlignOffset)
{
	PVOID p = condis_nb_data(NetBuffer, BytesNeeded, Storage);

	if (p != NULL && p != Storage && AlignMultiple > 1 &&
	    (uintptr_t)p % AlignMultiple != AlignOffset) {
		if (Storage == NULL)
			return NULL;
		memcpy(Storage, p, BytesNeeded);
		p = Storage;
	}
	return p;
}

static inline UCHAR
NdisGeneratePartialCancelId(void)
{
	return condis_cancel_id_prefix();
}

/* --- Call parameters (a call manager's; the fields condis reads) --- */
/** A direction's traffic contract; condis reads PeakBandwidth (bytes/s, 0: line rate). */
typedef struct _FLOWSPEC {
	ULONG TokenRate;          /**< bytes per second */
	ULONG TokenBucketSize;    /**< bytes */
	ULONG PeakBandwidth;      /**< bytes per second: the VC's peak rate */
	ULONG Latency;            /**< microseconds */
	ULONG DelayVariation;     /**< microseconds */
	ULONG ServiceType;        /**< SERVICETYPE_* */
	ULONG MaxSduSize;         /**< bytes */
	ULONG MinimumPolicedSize; /**< bytes */
} FLOWSPEC, *PFLOWSPEC;

/** Media-specific parameters: condis reads none. */
typedef struct _CO_SPECIFIC_PARAMETERS {
	ULONG ParamType;      /**< its type */
	ULONG Length;         /**< bytes of Parameters */
	UCHAR Parameters[1];  /**< the bytes */
} CO_SPECIFIC_PARAMETERS, *PCO_SPECIFIC_PARAMETERS;

/** The call manager's parameters of a call. */
typedef struct _CO_CALL_MANAGER_PARAMETERS {
	FLOWSPEC Transmit;                      /**< the send direction */
	FLOWSPEC Receive;                       /**< the receive direction */
	CO_SPECIFIC_PARAMETERS CallMgrSpecific; /**< ignored */
} CO_CALL_MANAGER_PARAMETERS, *PCO_CALL_MANAGER_PARAMETERS;

/** The media parameters of a call. */
typedef struct _CO_MEDIA_PARAMETERS {
	ULONG Flags;                         /**< TRANSMIT_VC, RECEIVE_VC, ... */
	ULONG ReceivePriority;               /**< ignored */
	ULONG ReceiveSizeHint;               /**< ignored */
	CO_SPECIFIC_PARAMETERS MediaSpecific; /**< ignored */
} CO_MEDIA_PARAMETERS, *PCO_MEDIA_PARAMETERS;

/** A call's parameters, as MiniportCoActivateVc receives them. */
typedef struct _CO_CALL_PARAMETERS {
	ULONG Flags;                                  /**< ignored */
	PCO_CALL_MANAGER_PARAMETERS CallMgrParameters; /**< may be NULL */
	PCO_MEDIA_PARAMETERS MediaParameters;         /**< may be NULL */
} CO_CALL_PARAMETERS, *PCO_CALL_PARAMETERS;

/* --- Protocol (client) side --- */
typedef VOID (PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE)(NDIS_HANDLE ProtocolVcContext,
							  PNET_BUFFER_LIST NetBufferLists,
							  ULONG SendCompleteFlags);
typedef PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE(*CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER);

#define NDIS_OBJECT_TYPE_STATUS_INDICATION 0x98
#define NDIS_STATUS_INDICATION_REVISION_1 1
/** NDIS_RECEIVE_FLAGS_* (condis_status.h: the same numbers). */
#define NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL CONDIS_RECEIVE_FLAGS_DISPATCH_LEVEL
#define NDIS_RECEIVE_FLAGS_RESOURCES      CONDIS_RECEIVE_FLAGS_RESOURCES
/** A status indication (ProtocolCoStatusEx). */
typedef struct _NDIS_STATUS_INDICATION {
	NDIS_OBJECT_HEADER Header;  /**< DEFAULT */
	NDIS_HANDLE SourceHandle;   /**< the adapter */
	NDIS_PORT_NUMBER PortNumber; /**< 0 */
	NDIS_STATUS StatusCode;     /**< NDIS_STATUS_RESET_START, MEDIA_CONNECT, ... */
	ULONG Flags;                /**< 0 */
	NDIS_HANDLE DestinationHandle; /**< NULL */
	PVOID RequestId;            /**< NULL */
	PVOID StatusBuffer;         /**< NULL */
	ULONG StatusBufferSize;     /**< 0 */
} NDIS_STATUS_INDICATION, *PNDIS_STATUS_INDICATION;
#define NDIS_SIZEOF_STATUS_INDICATION_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_STATUS_INDICATION, StatusBufferSize)

typedef VOID (PROTOCOL_CO_STATUS_EX)(NDIS_HANDLE ProtocolBindingContext,
				     NDIS_HANDLE ProtocolVcContext,
				     PNDIS_STATUS_INDICATION StatusIndication);
typedef PROTOCOL_CO_STATUS_EX(*CO_STATUS_HANDLER_EX);
typedef VOID (PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS)(NDIS_HANDLE ProtocolBindingContext,
						    NDIS_HANDLE ProtocolVcContext,
						    PNET_BUFFER_LIST NetBufferLists,
						    ULONG NumberOfNetBufferLists,
						    ULONG ReceiveFlags);
typedef PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS(*CO_RECEIVE_NET_BUFFER_LISTS_HANDLER);
/** Address-family notification: condis has no call managers, never called. */
typedef VOID (PROTOCOL_CO_AF_REGISTER_NOTIFY)(NDIS_HANDLE ProtocolBindingContext,
					      PVOID AddressFamily);
typedef PROTOCOL_CO_AF_REGISTER_NOTIFY(*CO_AF_REGISTER_NOTIFY_HANDLER);

#define NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1 1
/** A CoNDIS protocol's handlers, given to NdisSetOptionalHandlers(). */
typedef struct _NDIS_PROTOCOL_CO_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /**< CO_PROTOCOL_CHARACTERISTICS, revision 1, its size */
	ULONG Flags;               /**< reserved */
	CO_STATUS_HANDLER_EX CoStatusHandlerEx;                 /**< optional: reset, link */
	CO_AF_REGISTER_NOTIFY_HANDLER CoAfRegisterNotifyHandler; /**< never called */
	CO_RECEIVE_NET_BUFFER_LISTS_HANDLER CoReceiveNetBufferListsHandler; /**< optional: loopback */
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER CoSendNetBufferListsCompleteHandler; /**< required */
} NDIS_PROTOCOL_CO_CHARACTERISTICS, *PNDIS_PROTOCOL_CO_CHARACTERISTICS;
#define NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PROTOCOL_CO_CHARACTERISTICS, \
				 CoSendNetBufferListsCompleteHandler)

/** What NdisSetOptionalHandlers takes: a structure that starts with a header. */
typedef struct _NDIS_DRIVER_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header; /**< says which structure it is */
} NDIS_DRIVER_OPTIONAL_HANDLERS, *PNDIS_DRIVER_OPTIONAL_HANDLERS;

typedef NDIS_STATUS (SET_OPTIONS)(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext);
typedef SET_OPTIONS(*SET_OPTIONS_HANDLER);
typedef SET_OPTIONS PROTOCOL_SET_OPTIONS;
typedef SET_OPTIONS MINIPORT_SET_OPTIONS;
/** A handler NDIS would call and condis never does (binding, PnP, OIDs). */
typedef VOID (*CONDIS_NDIS_UNUSED_HANDLER)(void);

#define NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1 1
/** A protocol driver's characteristics (NdisRegisterProtocolDriver). */
typedef struct _NDIS_PROTOCOL_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;  /**< PROTOCOL_DRIVER_CHARACTERISTICS, revision 1 */
	UCHAR MajorNdisVersion;     /**< 6 */
	UCHAR MinorNdisVersion;     /**< 0 to 20 */
	UCHAR MajorDriverVersion;   /**< the driver's */
	UCHAR MinorDriverVersion;   /**< the driver's */
	ULONG Flags;                /**< 0 */
	NDIS_STRING Name;           /**< ignored */
	SET_OPTIONS_HANDLER SetOptionsHandler; /**< called by the registration */
	CONDIS_NDIS_UNUSED_HANDLER BindAdapterHandlerEx;   /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER UnbindAdapterHandlerEx; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER OpenAdapterCompleteHandlerEx;  /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER CloseAdapterCompleteHandlerEx; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER NetPnPEventHandler;     /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER UninstallHandler;       /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER OidRequestCompleteHandler; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER StatusHandlerEx;        /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER ReceiveNetBufferListsHandler; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER SendNetBufferListsCompleteHandler; /**< never called */
} NDIS_PROTOCOL_DRIVER_CHARACTERISTICS, *PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS;

/** @endcond */
/**
 * NdisRegisterProtocolDriver: the protocol's handle; its SetOptionsHandler
 * runs inside, where it calls NdisSetOptionalHandlers() with its
 * NDIS_PROTOCOL_CO_CHARACTERISTICS.
 * @return SUCCESS, FAILURE (bad characteristics), RESOURCES.
 */
NDIS_STATUS condis_ndis_register_protocol(NDIS_HANDLE ProtocolDriverContext,
					  const NDIS_PROTOCOL_DRIVER_CHARACTERISTICS *chars,
					  NDIS_HANDLE *NdisProtocolHandle);
/** NdisDeregisterProtocolDriver (its bindings closed first). */
void condis_ndis_deregister_protocol(NDIS_HANDLE NdisProtocolHandle);
/**
 * NdisSetOptionalHandlers: an NDIS_PROTOCOL_CO_CHARACTERISTICS for a
 * protocol's handle, an NDIS_MINIPORT_CO_CHARACTERISTICS for a miniport
 * driver's. @return SUCCESS, or FAILURE (bad header, missing handler, or a
 * handle of the wrong kind).
 */
NDIS_STATUS condis_ndis_set_optional_handlers(NDIS_HANDLE NdisHandle,
					      const NDIS_DRIVER_OPTIONAL_HANDLERS *OptionalHandlers);
/**
 * Bind a protocol to an adapter (what NdisOpenAdapterEx does once NDIS has
 * offered the binding): NdisBindingHandle is what NdisCoCreateVc and
 * NdisCancelSendNetBufferLists take; ProtocolBindingContext is what
 * CoStatusHandlerEx receives. Control path.
 * @return SUCCESS, FAILURE (bad handle, no CoNDIS handlers set), RESOURCES.
 */
NDIS_STATUS condis_ndis_open_adapter(NDIS_HANDLE NdisProtocolHandle,
				     struct condis_adapter *adapter,
				     NDIS_HANDLE ProtocolBindingContext,
				     NDIS_HANDLE *NdisBindingHandle);
/**
 * Set the binding's packet filter (what an OID_GEN_CURRENT_PACKET_FILTER
 * request sets; NDIS_PACKET_TYPE_* bits): the frames of its loopback sends
 * it receives (CoReceiveNetBufferListsHandler). condis_binding_set_packet_filter().
 * @return SUCCESS, NOT_SUPPORTED (unknown bits), RESOURCES, FAILURE (bad handle).
 */
NDIS_STATUS condis_ndis_set_packet_filter(NDIS_HANDLE NdisBindingHandle, ULONG PacketFilter);
/** NdisCloseAdapterEx: the binding's VCs must be deleted first. @return SUCCESS or FAILURE. */
NDIS_STATUS condis_ndis_close_adapter(NDIS_HANDLE NdisBindingHandle);
/**
 * Activate a VC as a call manager would at the end of NdisClMakeCall:
 * CallMgrParameters->Transmit.PeakBandwidth becomes the peak rate, and
 * MediaParameters->ReceivePriority the 802.1p priority (it picks the queue).
 * @return the activation's status (SUCCESS, INVALID_DATA, FAILURE).
 */
NDIS_STATUS condis_ndis_make_call(NDIS_HANDLE NdisVcHandle, const CO_CALL_PARAMETERS *CallParameters);
/** NdisCoCreateVc's work. */
NDIS_STATUS condis_ndis_co_create_vc(NDIS_HANDLE NdisBindingHandle, NDIS_HANDLE ProtocolVcContext,
				     NDIS_HANDLE *NdisVcHandle);
/**
 * NdisCoSendNetBufferLists's work: condis_co_send_nbls(), and where that
 * refuses the chain outright (an NBL that is not an allocated condis NBL,
 * an adapter closing) every NBL of it comes back through the protocol's
 * send-complete handler with NDIS_STATUS_FAILURE, as NDIS would hand it
 * back. Only a dead VC handle or an NBL sent twice (the caller's bug) is
 * returned untouched.
 */
void condis_ndis_co_send(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags);
/** NdisCancelSendNetBufferLists's work. */
void condis_ndis_cancel_send(NDIS_HANDLE NdisBindingHandle, PVOID CancelId);
/** @cond NDIS_NAMES */

static inline NDIS_STATUS
NdisRegisterProtocolDriver(NDIS_HANDLE ProtocolDriverContext,
			   PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS ProtocolCharacteristics,
			   PNDIS_HANDLE NdisProtocolHandle)
{
	return condis_ndis_register_protocol(ProtocolDriverContext, ProtocolCharacteristics,
					     NdisProtocolHandle);
}

static inline VOID
NdisDeregisterProtocolDriver(NDIS_HANDLE NdisProtocolHandle)
{
	condis_ndis_deregister_protocol(NdisProtocolHandle);
}

static inline NDIS_STATUS
NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle, PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers)
{
	return condis_ndis_set_optional_handlers(NdisHandle, OptionalHandlers);
}

/** NdisCoCreateVc; NdisAfHandle (no call managers) is ignored. */
static inline NDIS_STATUS
NdisCoCreateVc(NDIS_HANDLE NdisBindingHandle, NDIS_HANDLE NdisAfHandle,
	       NDIS_HANDLE ProtocolVcContext, PNDIS_HANDLE NdisVcHandle)
{
	(void)NdisAfHandle;
	return condis_ndis_co_create_vc(NdisBindingHandle, ProtocolVcContext, NdisVcHandle);
}

static inline NDIS_STATUS
NdisCoDeleteVc(NDIS_HANDLE NdisVcHandle)
{
	return condis_vc_delete((struct condis_vc *)NdisVcHandle);
}

static inline VOID
NdisCoSendNetBufferLists(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	condis_ndis_co_send(NdisVcHandle, NetBufferLists, SendFlags);
}

static inline VOID
NdisCancelSendNetBufferLists(NDIS_HANDLE NdisBindingHandle, PVOID CancelId)
{
	condis_ndis_cancel_send(NdisBindingHandle, CancelId);
}

/* --- Miniport side --- */
typedef NDIS_STATUS (MINIPORT_CO_CREATE_VC)(NDIS_HANDLE MiniportAdapterContext,
					    NDIS_HANDLE NdisVcHandle,
					    PNDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_CREATE_VC(*W_CO_CREATE_VC_HANDLER);
typedef NDIS_STATUS (MINIPORT_CO_DELETE_VC)(NDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_DELETE_VC(*W_CO_DELETE_VC_HANDLER);
typedef NDIS_STATUS (MINIPORT_CO_ACTIVATE_VC)(NDIS_HANDLE MiniportVcContext,
					      PCO_CALL_PARAMETERS CallParameters);
typedef MINIPORT_CO_ACTIVATE_VC(*W_CO_ACTIVATE_VC_HANDLER);
typedef NDIS_STATUS (MINIPORT_CO_DEACTIVATE_VC)(NDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_DEACTIVATE_VC(*W_CO_DEACTIVATE_VC_HANDLER);
typedef VOID (MINIPORT_CO_SEND_NET_BUFFER_LISTS)(NDIS_HANDLE MiniportVcContext,
						 PNET_BUFFER_LIST NetBufferLists,
						 ULONG SendFlags);
typedef MINIPORT_CO_SEND_NET_BUFFER_LISTS(*W_CO_SEND_NET_BUFFER_LISTS_HANDLER);
/** OID requests: condis has none; never called. */
typedef NDIS_STATUS (MINIPORT_CO_OID_REQUEST)(NDIS_HANDLE MiniportAdapterContext,
					      NDIS_HANDLE MiniportVcContext, PVOID NdisRequest);
typedef MINIPORT_CO_OID_REQUEST(*W_CO_OID_REQUEST_HANDLER);
typedef VOID (MINIPORT_CANCEL_SEND)(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId);
typedef MINIPORT_CANCEL_SEND(*MINIPORT_CANCEL_SEND_HANDLER);
/** The connectionless send handler (a seed's example); condis never calls it. */
typedef VOID (MINIPORT_SEND_NET_BUFFER_LISTS)(NDIS_HANDLE MiniportAdapterContext,
					      PNET_BUFFER_LIST NetBufferList,
					      NDIS_PORT_NUMBER PortNumber, ULONG SendFlags);
typedef MINIPORT_SEND_NET_BUFFER_LISTS(*SEND_NET_BUFFER_LISTS_HANDLER);

#define NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1 1
/** A CoNDIS miniport's handlers, given to NdisSetOptionalHandlers(). */
typedef struct _NDIS_MINIPORT_CO_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /**< CO_MINIPORT_CHARACTERISTICS, revision 1, its size */
	ULONG Flags;               /**< reserved */
	W_CO_CREATE_VC_HANDLER CoCreateVcHandler;         /**< required */
	W_CO_DELETE_VC_HANDLER CoDeleteVcHandler;         /**< required */
	W_CO_ACTIVATE_VC_HANDLER CoActivateVcHandler;     /**< required */
	W_CO_DEACTIVATE_VC_HANDLER CoDeactivateVcHandler; /**< required */
	W_CO_SEND_NET_BUFFER_LISTS_HANDLER CoSendNetBufferListsHandler; /**< required */
	W_CO_OID_REQUEST_HANDLER CoOidRequestHandler;     /**< never called */
} NDIS_MINIPORT_CO_CHARACTERISTICS, *PNDIS_MINIPORT_CO_CHARACTERISTICS;
#define NDIS_SIZEOF_MINIPORT_CO_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_CO_CHARACTERISTICS, CoOidRequestHandler)

/** Why a miniport halts. */
typedef enum _NDIS_HALT_ACTION {
	NdisHaltDeviceDisabled,      /**< the adapter is closed */
	NdisHaltDeviceInstanceDeInitialized,
	NdisHaltDevicePoweredDown,
	NdisHaltDeviceSurpriseRemoved,
	NdisHaltDeviceFailed,
	NdisHaltDeviceInitializationFailed,
	NdisHaltDeviceStopped
} NDIS_HALT_ACTION, *PNDIS_HALT_ACTION;

/** MiniportInitializeEx's parameters: the members condis fills. */
typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
	NDIS_OBJECT_HEADER Header;  /**< MINIPORT_INIT_PARAMETERS, revision 1 */
	ULONG Flags;                /**< 0 */
	PVOID AllocatedResources;   /**< NULL: no hardware resources in user space */
	NDIS_HANDLE IMDeviceInstanceContext;  /**< from condis_ndis_miniport_initialize() */
	NDIS_HANDLE MiniportAddDeviceContext; /**< NULL */
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;

/** MiniportPause's parameters. */
typedef struct _NDIS_MINIPORT_PAUSE_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /**< DEFAULT, revision 1 */
	ULONG Flags;               /**< 0 */
	ULONG PauseReason;         /**< 0 */
} NDIS_MINIPORT_PAUSE_PARAMETERS, *PNDIS_MINIPORT_PAUSE_PARAMETERS;

/** MiniportRestart's parameters. */
typedef struct _NDIS_MINIPORT_RESTART_PARAMETERS {
	NDIS_OBJECT_HEADER Header; /**< DEFAULT, revision 1 */
	PVOID FilterModuleNameList; /**< NULL */
	PVOID RestartAttributes;    /**< NULL */
	ULONG Flags;                /**< 0 */
} NDIS_MINIPORT_RESTART_PARAMETERS, *PNDIS_MINIPORT_RESTART_PARAMETERS;

typedef NDIS_STATUS (MINIPORT_INITIALIZE)(NDIS_HANDLE NdisMiniportHandle,
					  NDIS_HANDLE MiniportDriverContext,
					  PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef MINIPORT_INITIALIZE(*MINIPORT_INITIALIZE_HANDLER);
typedef VOID (MINIPORT_HALT)(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction);
typedef MINIPORT_HALT(*MINIPORT_HALT_HANDLER);
typedef NDIS_STATUS (MINIPORT_PAUSE)(NDIS_HANDLE MiniportAdapterContext,
				     PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters);
typedef MINIPORT_PAUSE(*MINIPORT_PAUSE_HANDLER);
typedef NDIS_STATUS (MINIPORT_RESTART)(NDIS_HANDLE MiniportAdapterContext,
				       PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters);
typedef MINIPORT_RESTART(*MINIPORT_RESTART_HANDLER);
typedef NDIS_STATUS (MINIPORT_RESET)(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset);
typedef MINIPORT_RESET(*MINIPORT_RESET_HANDLER);

#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 1
/** A miniport driver's characteristics (NdisMRegisterMiniportDriver). */
typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /**< MINIPORT_DRIVER_CHARACTERISTICS, revision 1 */
	UCHAR MajorNdisVersion;    /**< 6 */
	UCHAR MinorNdisVersion;    /**< 0 to 20 */
	UCHAR MajorDriverVersion;  /**< the driver's */
	UCHAR MinorDriverVersion;  /**< the driver's */
	ULONG Flags;               /**< 0 */
	SET_OPTIONS_HANDLER SetOptionsHandler;       /**< called by the registration */
	MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx; /**< required */
	MINIPORT_HALT_HANDLER HaltHandlerEx;         /**< required */
	CONDIS_NDIS_UNUSED_HANDLER UnloadHandler;    /**< never called */
	MINIPORT_PAUSE_HANDLER PauseHandler;         /**< required */
	MINIPORT_RESTART_HANDLER RestartHandler;     /**< required */
	CONDIS_NDIS_UNUSED_HANDLER OidRequestHandler; /**< never called */
	SEND_NET_BUFFER_LISTS_HANDLER SendNetBufferListsHandler; /**< never called (connectionless) */
	CONDIS_NDIS_UNUSED_HANDLER ReturnNetBufferListsHandler; /**< never called */
	MINIPORT_CANCEL_SEND_HANDLER CancelSendHandler; /**< optional */
	CONDIS_NDIS_UNUSED_HANDLER CheckForHangHandlerEx; /**< never called */
	MINIPORT_RESET_HANDLER ResetHandlerEx;       /**< optional */
	CONDIS_NDIS_UNUSED_HANDLER DevicePnPEventNotifyHandler; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER ShutdownHandlerEx; /**< never called */
	CONDIS_NDIS_UNUSED_HANDLER CancelOidRequestHandler; /**< never called */
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;

/** What a miniport's MiniportInitializeEx registers (NdisMSetMiniportAttributes). */
typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;          /**< MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES */
	NDIS_HANDLE MiniportAdapterContext; /**< what its handlers receive */
	ULONG AttributeFlags;               /**< ignored */
	UINT CheckForHangTimeInSeconds;     /**< ignored */
	ULONG InterfaceType;                /**< ignored */
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
/** NdisMSetMiniportAttributes takes any attributes structure by its header. */
typedef NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES NDIS_MINIPORT_ADAPTER_ATTRIBUTES,
	*PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

/* --- Poll mode (poll.h): how a user-space miniport completes sends --- */
#define NDIS_ANY_NUMBER_OF_NBLS ((ULONG)0xFFFFFFFF)
/** Send completions of one NdisPoll call. */
typedef struct _NDIS_POLL_TRANSMIT_DATA {
	ULONG MaxNblsToComplete;           /**< NDIS_ANY_NUMBER_OF_NBLS */
	ULONG Reserved1[3];                /**< 0 */
	NET_BUFFER_LIST *CompletedNblChain; /**< the miniport's completed NBLs, any VCs */
	ULONG NumberOfCompletedNbls;       /**< how many, or NDIS_ANY_NUMBER_OF_NBLS */
	ULONG NumberOfRemainingNbls;       /**< ignored */
	ULONG SendCompleteFlags;           /**< ignored */
	ULONG Reserved2;                   /**< 0 */
	void *Reserved3[4];                /**< 0 */
} NDIS_POLL_TRANSMIT_DATA;
/** Receive indications of one NdisPoll call: condis has no receive path, 0. */
typedef struct _NDIS_POLL_RECEIVE_DATA {
	ULONG MaxNblsToIndicate;           /**< 0 */
	ULONG Reserved1[3];                /**< 0 */
	NET_BUFFER_LIST *IndicatedNblChain; /**< must stay NULL */
	ULONG NumberOfIndicatedNbls;       /**< 0 */
	ULONG NumberOfRemainingNbls;       /**< ignored */
	ULONG Flags;                       /**< 0 */
	ULONG Reserved2;                   /**< 0 */
	void *Reserved3[4];                /**< 0 */
} NDIS_POLL_RECEIVE_DATA;
/** What NdisPoll receives. */
typedef struct _NDIS_POLL_DATA {
	NDIS_OBJECT_HEADER Header;         /**< DEFAULT */
	NDIS_POLL_TRANSMIT_DATA Transmit;  /**< send completions */
	NDIS_POLL_RECEIVE_DATA Receive;    /**< receive indications (none) */
} NDIS_POLL_DATA;
typedef VOID (NDIS_POLL)(void *Context, NDIS_POLL_DATA *PollData);
typedef NDIS_POLL *NDIS_POLL_HANDLER;
/** Interrupt control: user space polls, never called. */
typedef VOID (NDIS_SET_POLL_NOTIFICATION)(void *Context, PVOID Notification);
typedef NDIS_SET_POLL_NOTIFICATION *NDIS_SET_POLL_NOTIFICATION_HANDLER;
#define NDIS_POLL_CHARACTERISTICS_REVISION_1 1
/** A Poll object's callbacks. */
typedef struct _NDIS_POLL_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header; /**< DEFAULT, revision 1, its size */
	NDIS_SET_POLL_NOTIFICATION_HANDLER SetPollNotificationHandler; /**< never called */
	NDIS_POLL_HANDLER PollHandler; /**< called by every condis_poll() of every queue */
} NDIS_POLL_CHARACTERISTICS;
#define NDIS_SIZEOF_NDIS_POLL_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_POLL_CHARACTERISTICS, PollHandler)
typedef struct condis_ndis_poll *NDIS_POLL_HANDLE;

/** @endcond */
/**
 * NdisMRegisterMiniportDriver: the driver's handle; its SetOptionsHandler
 * runs inside, where it calls NdisSetOptionalHandlers() with its
 * NDIS_MINIPORT_CO_CHARACTERISTICS.
 * @return SUCCESS, FAILURE (bad characteristics), RESOURCES.
 */
NDIS_STATUS condis_ndis_register_miniport(NDIS_HANDLE MiniportDriverContext,
					  const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *chars,
					  NDIS_HANDLE *NdisMiniportDriverHandle);
/** NdisMDeregisterMiniportDriver (its adapters closed first). */
void condis_ndis_deregister_miniport(NDIS_HANDLE NdisMiniportDriverHandle);
/**
 * Start an adapter of an NDIS-style miniport driver (what NDIS does when
 * PnP finds the device): its MiniportInitializeEx runs inside and calls
 * NdisMSetMiniportAttributes() (its adapter context) and NdisRegisterPoll()
 * (how its sends complete). The adapter is a condis adapter like any other:
 * protocols bind to it, condis_poll() polls it, condis_adapter_close()
 * pauses and halts it. Control path.
 *
 * @param NdisMiniportDriverHandle from NdisMRegisterMiniportDriver.
 * @param nb_tx_queues transmit queues (the miniport sees one NdisPoll call per
 *   condis_poll() of any of them).
 * @param max_vcs most VCs at once.
 * @param IMDeviceInstanceContext handed to MiniportInitializeEx (NULL but
 *   for intermediate drivers).
 * @return the adapter, or NULL with rte_errno set (EINVAL; EIO when
 *   MiniportInitializeEx fails or sets no context or no poll).
 */
struct condis_adapter *condis_ndis_miniport_initialize(NDIS_HANDLE NdisMiniportDriverHandle,
						       uint16_t nb_tx_queues, uint32_t max_vcs,
						       NDIS_HANDLE IMDeviceInstanceContext);
/** NdisMSetMiniportAttributes's work. */
NDIS_STATUS condis_ndis_set_miniport_attributes(NDIS_HANDLE MiniportAdapterHandle,
						const NDIS_MINIPORT_ADAPTER_ATTRIBUTES *attrs);
/** NdisRegisterPoll's work. */
NDIS_STATUS condis_ndis_register_poll(NDIS_HANDLE MiniportAdapterHandle, void *Context,
				      const NDIS_POLL_CHARACTERISTICS *Characteristics,
				      NDIS_POLL_HANDLE *PollHandle);
/**
 * NdisMCoSendNetBufferListsComplete's work, on the owner of the VC's queue
 * (inside the miniport's send handler or its NdisPoll): each NBL of the
 * chain, with its Status set (PENDING counts as FAILURE), goes back to its
 * protocol through the next condis_poll(). NBLs of the chain that the
 * miniport does not hold (completed twice, never sent) are skipped and
 * counted (condis_ndis_miniport_bad_completions()).
 */
void condis_ndis_mco_send_complete(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists);
/** @cond NDIS_NAMES */
/** NBLs an NDIS-style miniport completed that it did not hold (its bugs). */
uint64_t condis_ndis_miniport_bad_completions(const struct condis_adapter *adapter);
/** @endcond */
/** NdisMCoActivateVcComplete's / NdisMCoDeactivateVcComplete's work. */
void condis_ndis_mco_vc_complete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle, bool activate);
/** NdisMPauseComplete's / NdisMResetComplete's work (a pending pause or reset is over). */
void condis_ndis_m_event_complete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status);
/** @cond NDIS_NAMES */

static inline NDIS_STATUS
NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PVOID RegistryPath,
			    NDIS_HANDLE MiniportDriverContext,
			    PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
			    PNDIS_HANDLE NdisMiniportDriverHandle)
{
	(void)DriverObject;
	(void)RegistryPath;
	return condis_ndis_register_miniport(MiniportDriverContext, MiniportDriverCharacteristics,
					     NdisMiniportDriverHandle);
}

static inline VOID
NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle)
{
	condis_ndis_deregister_miniport(NdisMiniportDriverHandle);
}

static inline NDIS_STATUS
NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
			   PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes)
{
	return condis_ndis_set_miniport_attributes(NdisMiniportHandle, MiniportAttributes);
}

static inline NDIS_STATUS
NdisRegisterPoll(NDIS_HANDLE MiniportHandle, void *Context,
		 NDIS_POLL_CHARACTERISTICS const *Characteristics, NDIS_POLL_HANDLE *PollHandle)
{
	return condis_ndis_register_poll(MiniportHandle, Context, Characteristics, PollHandle);
}

/** Poll objects go with their adapter; nothing to do. */
static inline VOID
NdisDeregisterPoll(NDIS_POLL_HANDLE PollHandle)
{
	(void)PollHandle;
}

/** condis polls every queue all the time; a request changes nothing. */
static inline VOID
NdisRequestPoll(NDIS_POLL_HANDLE PollHandle, PVOID Reserved)
{
	(void)PollHandle;
	(void)Reserved;
}

static inline VOID
NdisMCoSendNetBufferListsComplete(NDIS_HANDLE NdisVcHandle, PNET_BUFFER_LIST NetBufferLists,
				  ULONG SendCompleteFlags)
{
	(void)SendCompleteFlags;
	condis_ndis_mco_send_complete(NdisVcHandle, NetBufferLists);
}

static inline VOID
NdisMCoActivateVcComplete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle,
			  PCO_CALL_PARAMETERS CallParameters)
{
	(void)CallParameters;
	condis_ndis_mco_vc_complete(Status, NdisVcHandle, true);
}

static inline VOID
NdisMCoDeactivateVcComplete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle)
{
	condis_ndis_mco_vc_complete(Status, NdisVcHandle, false);
}

static inline VOID
NdisMPauseComplete(NDIS_HANDLE MiniportAdapterHandle)
{
	condis_ndis_m_event_complete(MiniportAdapterHandle, NDIS_STATUS_SUCCESS);
}

static inline VOID
NdisMResetComplete(NDIS_HANDLE MiniportAdapterHandle, NDIS_STATUS Status, BOOLEAN AddressingReset)
{
	(void)AddressingReset;
	condis_ndis_m_event_complete(MiniportAdapterHandle, Status);
}

/** @endcond */
#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_NDIS_H */
