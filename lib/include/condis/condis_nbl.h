/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * NET_BUFFER_LIST, NET_BUFFER and MDL objects and their pools (spec A).
 *
 * The objects are library structs, not the Windows binary layout. Their
 * memory comes from DPDK: NBLs and NBs from rte_mempool pools (per-lcore
 * caches), and every MDL is backed by a *carrier* mbuf whose private area
 * holds the MDL. A carrier is what the miniport hands to the PMD, so no mbuf
 * is allocated on the send path, and the PMD's free of a carrier is what
 * tells condis that the bytes are released (see docs/DESIGN-NOTES.md).
 *
 * Two kinds of MDL:
 * - pool data (default): the bytes are the carrier's own data room, in
 *   DPDK memory, so they are DMA-able by construction (NBL pools with
 *   data_size != 0, or condis_mdl_alloc_data()).
 * - zero-copy: the bytes are protocol memory, attached to the carrier as an
 *   external buffer at send time (condis_mdl_alloc_ext()). That memory must
 *   be DMA-able: DPDK memory (rte_malloc), or memory registered with
 *   rte_extmem_register() and mapped for the device with rte_dev_dma_map().
 *
 * NDIS version pinned: 6.20 (x64), so NBLs carry 18 OOB info slots (spec 24).
 *
 * The members NDIS code touches directly answer to both names: the native
 * one (nbl->source_handle) and the documented one (nbl->SourceHandle), the
 * two members of an anonymous union, so code written to the NDIS
 * documentation compiles unchanged (condis/ndis.h) at no cost.
 */
#ifndef CONDIS_NBL_H
#define CONDIS_NBL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>

#include <condis/condis_status.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** OOB info slot ids (spec 23). */
enum condis_nbl_info_id {
	CONDIS_NBL_INFO_TCPIP_CHECKSUM = 0,
	CONDIS_NBL_INFO_IPSEC_OFFLOAD_V1 = 1,
	CONDIS_NBL_INFO_TCP_LARGE_SEND = 2,
	CONDIS_NBL_INFO_CLASSIFICATION_HANDLE = 3,
	CONDIS_NBL_INFO_IEEE8021Q = 4,
	CONDIS_NBL_INFO_CANCEL_ID = 5,
	CONDIS_NBL_INFO_MEDIA_SPECIFIC = 6,
	CONDIS_NBL_INFO_FRAME_TYPE = 7,
	CONDIS_NBL_INFO_HASH_VALUE = 8,
	CONDIS_NBL_INFO_HASH_INFO = 9,
	CONDIS_NBL_INFO_WFP = 10,
	CONDIS_NBL_INFO_IPSEC_V2_TUNNEL = 11,
	CONDIS_NBL_INFO_IPSEC_V2_HEADER = 12,
	CONDIS_NBL_INFO_CORRELATION_ID = 13,
	CONDIS_NBL_INFO_FILTERING = 14,
	/** MaxNetBufferListInfo for NDIS 6.20 on x64 (spec 24). */
	CONDIS_NBL_INFO_MAX = 18,
};

/** @name 802.1Q OOB slot layout (spec 25): NDIS bit-field order, not wire TCI. */
/**@{*/
#define CONDIS_8021Q_PRIORITY_SHIFT 0 /**< UserPriority: bits 0-2 */
#define CONDIS_8021Q_CFI_SHIFT      3 /**< CanonicalFormatId: bit 3 (wire DEI) */
#define CONDIS_8021Q_VLAN_ID_SHIFT  4 /**< VlanId: bits 4-15 */
/** Pack an 802.1Q OOB value (UserPriority:3, CanonicalFormatId:1 = 0, VlanId:12). */
static inline uintptr_t
condis_8021q_info(uint16_t vlan_id, uint8_t priority)
{
	return ((uintptr_t)(vlan_id & 0xfff) << CONDIS_8021Q_VLAN_ID_SHIFT) |
	       ((uintptr_t)(priority & 0x7) << CONDIS_8021Q_PRIORITY_SHIFT);
}
/** Convert an 802.1Q OOB value to a wire TCI (PCP 15-13, DEI 12, VID 11-0; pitfall 12). */
static inline uint16_t
condis_8021q_to_tci(uintptr_t info)
{
	/* priority bits 0-2 -> 13-15, CFI bit 3 -> 12, VLAN id bits 4-15 -> 0-11 */
	return (uint16_t)(((info & 0x7) << 13) | ((info & 0x8) << 9) | ((info >> 4) & 0xfff));
}
/**@}*/

/** Largest byte count one MDL may describe: one mbuf segment (pitfall 4). */
#define CONDIS_MDL_MAX_BYTES UINT16_MAX

/**
 * Most MDLs the library walks in one NB's chain. A chain longer than this
 * before its data ends is taken for a loop: refused with -EINVAL (or false)
 * by the calls that take a chain, FAILURE when sent.
 */
#define CONDIS_NB_MAX_MDLS 4096

/** Most NBs a sent NBL may have; a longer list (a loop) completes with FAILURE. */
#define CONDIS_NBL_MAX_NBS 4096

struct condis_nbl;
struct condis_nbl_context_block;
struct condis_vc;
struct condis_nbl_pool;
struct condis_nb_pool;
struct condis_mdl_pool;

/**
 * Memory descriptor list entry: one virtually contiguous run of bytes
 * (spec 6). Lives in the private area of its carrier mbuf.
 */
struct condis_mdl {
	union { struct condis_mdl *next; struct condis_mdl *Next; }; /**< NDIS_MDL_LINKAGE (MDL.Next) */
	union { void *va; void *MappedSystemVa; }; /**< first byte described */
	rte_iova_t iova;           /**< IO address of va */
	union { uint32_t byte_count; uint32_t ByteCount; }; /**< bytes described, <= CONDIS_MDL_MAX_BYTES */
	uint32_t flags;            /**< CONDIS_MDL_F_* (library-owned) */
	/** @internal NBL whose send holds the carrier, NULL when idle. */
	struct condis_nbl *inflight;
	/** @internal pool the MDL came from (for free and foreign checks). */
	struct condis_mdl_pool *pool;
	/** @internal the NBL this MDL was preallocated with, NULL if none: only
	 *  that NBL's sends take its carrier without an atomic (condis_mdl_claim()). */
	struct condis_nbl *prealloc_of;
};

/** The MDL's bytes are its carrier's own data room. */
#define CONDIS_MDL_F_POOL_DATA 0x1u
/** The MDL was allocated with its NB/NBL and is freed only with it (spec 9). */
#define CONDIS_MDL_F_PREALLOCATED 0x2u
/** From a pool created with CONDIS_MDL_POOL_F_SINGLE_QUEUE. */
#define CONDIS_MDL_F_SINGLE_QUEUE 0x4u
/** @internal A preallocated MDL that clones also describe: every send takes
 *  its carrier with an atomic, its own NBL's included. */
#define CONDIS_MDL_F_SHARED 0x8u

/** NET_BUFFER: one packet (spec 3). */
struct condis_nb {
	union { struct condis_nb *next; struct condis_nb *Next; }; /**< NB.Next: never touched by the stack (spec 64) */
	union { struct condis_mdl *current_mdl; struct condis_mdl *CurrentMdl; }; /**< MDL holding the first used byte */
	union { uint32_t current_mdl_offset; uint32_t CurrentMdlOffset; }; /**< offset of that byte in current_mdl */
	union { uint32_t data_length; uint32_t DataLength; }; /**< used bytes (frame length on the wire, less padding) */
	union { struct condis_mdl *mdl_chain; struct condis_mdl *MdlChain; }; /**< first MDL */
	union { uint32_t data_offset; uint32_t DataOffset; }; /**< unused bytes from the start of mdl_chain */
	uint32_t flags;                    /**< CONDIS_NB_F_* (library-owned) */
	union { void *protocol_reserved[6]; void *ProtocolReserved[6]; }; /**< the protocol's */
	union { void *miniport_reserved[4]; void *MiniportReserved[4]; }; /**< the miniport's */
	/** @internal library-owned carrier for headers built at send time
	 *  (software 802.1Q tag, zero padding). */
	struct rte_mbuf *hdr;
	/** @internal pool the NB came from, NULL when preallocated with its NBL. */
	struct condis_nb_pool *pool;
	/** @internal MDLs a retreat linked at the head of mdl_chain (spec 17-18). */
	uint32_t retreat_mdls;
};

/** NET_BUFFER_LIST (spec 1, 22). Fields the send path touches come first. */
struct condis_nbl {
	union { struct condis_nbl *next; struct condis_nbl *Next; }; /**< chain link, owned by the current owner (spec 2) */
	union { struct condis_nb *first_nb; struct condis_nb *FirstNetBuffer; }; /**< NB list: never changed by the stack (spec 64) */
	union { void *source_handle; void *SourceHandle; }; /**< the VC handle it is sent on (spec 46) */
	union { condis_status_t status; condis_status_t Status; }; /**< NET_BUFFER_LIST_STATUS (spec 61) */
	union { uint32_t flags; uint32_t NblFlags; }; /**< CONDIS_NBL_FLAGS_* */

	/** @internal library fields: do not touch. */
	uint32_t magic;                    /**< CONDIS_NBL_MAGIC while allocated */
	uint8_t owner;                     /**< enum condis_nbl_owner */
	uint8_t clone_flags;               /**< flags a clone was made with */
	/** @internal NDIS-style miniports holding it (lib/ndis_miniport.c):
	 *  more than one when an intermediate driver sent it down to another.
	 *  Only the host touches it, so the send path pays nothing for it. */
	uint8_t miniport_holds;
	uint8_t pad_;                      /**< unused (alignment) */
	uint32_t miniport_pending;               /**< carriers held by the PMD, + 1 while queued */
	uint32_t send_seq;                 /**< its place among the NBLs sent on its VC (mod 2^32) */
	struct condis_done_list *miniport_done; /**< where the NBL goes at miniport_pending 0 */
	struct condis_nb *miniport_cursor;       /**< miniport cursor: next NB to hand down */

	union { void *protocol_reserved[4]; void *ProtocolReserved[4]; }; /**< the protocol's */
	union { void *miniport_reserved[2]; void *MiniportReserved[2]; }; /**< the miniport's */
	/** OOB info (spec 22): NetBufferListInfo, pointer-typed as NDIS declares it */
	union { uintptr_t info[CONDIS_NBL_INFO_MAX]; void *NetBufferListInfo[CONDIS_NBL_INFO_MAX]; };
	union { struct condis_nbl *parent; struct condis_nbl *ParentNetBufferList; }; /**< spec 11, 21 */
	union { uint32_t child_ref_count; uint32_t ChildRefCount; }; /**< clones still allocated */
	void *context;                     /**< context area (ContextSize), NULL if none */
	uint32_t context_size;             /**< bytes of context area */
	/** @internal offset of the context data in the top context block
	 *  (condis_nbl_context_alloc()); context_size when nothing is allocated */
	uint32_t context_offset;
	/** @internal context block allocated past the area, NULL while in it */
	struct condis_nbl_context_block *context_block;
	union { void *scratch; void *Scratch; }; /**< the current owner's */

	/** @internal */
	struct condis_nbl_pool *pool;      /**< pool it came from */
	struct condis_nbl *handoff_next;   /**< next chain handed to a queue's owner */
	struct condis_vc *handoff_vc;      /**< VC of a chain handed to a queue's owner */
	struct condis_nb prealloc_nb;      /**< the NB a pool with allocate_nb/data_size supplies */
	struct condis_mdl *prealloc_mdl;   /**< the MDL and data a data_size pool supplies */
};

/**
 * @name Cancel ids (spec 89): NDIS_SET_NET_BUFFER_LIST_CANCEL_ID and friends.
 * A cancel id's high byte is a prefix from condis_cancel_id_prefix(), so the
 * ids of two protocols never collide; the rest is the protocol's.
 */
/**@{*/
/** Bits below the prefix byte. */
#define CONDIS_CANCEL_ID_PREFIX_SHIFT ((sizeof(uintptr_t) - 1) * 8)

/**
 * A cancel-id prefix no other call of this process got (NdisGeneratePartialCancelId):
 * 1..255, then 0 (exhausted; wraps). Control path, thread-safe.
 */
uint8_t condis_cancel_id_prefix(void);

/** Tag nbl with a cancel id (0: none); put the prefix in its high byte. */
static inline void
condis_nbl_set_cancel_id(struct condis_nbl *nbl, uintptr_t id)
{
	nbl->info[CONDIS_NBL_INFO_CANCEL_ID] = id;
}

/** The cancel id of nbl, 0 if none. */
static inline uintptr_t
condis_nbl_cancel_id(const struct condis_nbl *nbl)
{
	return nbl->info[CONDIS_NBL_INFO_CANCEL_ID];
}
/**@}*/

/**
 * Who owns an NBL now. The owners that may send it have bit 0 set: the
 * protocol, and a miniport that keeps NBLs itself (an NDIS-style miniport,
 * condis/ndis.h), which may send one down as the protocol of another
 * adapter (an intermediate driver) before it completes it upward; that
 * lower send's completion hands it back as PROTOCOL-owned, to the
 * intermediate driver's protocol edge.
 */
enum condis_nbl_owner {
	CONDIS_NBL_OWNER_FREE = 0,     /**< in its pool */
	CONDIS_NBL_OWNER_PROTOCOL = 1, /**< allocated, or completed back */
	CONDIS_NBL_OWNER_STACK = 2,    /**< handed to send, not completed yet */
	CONDIS_NBL_OWNER_MINIPORT = 3, /**< held by an NDIS-style miniport; sendable */
};
/** May the current owner send the NBL? */
#define CONDIS_NBL_OWNER_CAN_SEND(owner) (((owner) & 1) != 0)


/** @internal magic of an allocated NBL. */
#define CONDIS_NBL_MAGIC 0x434e424cu /* "CNBL" */

/** NBL pool parameters (spec 8). */
struct condis_nbl_pool_params {
	const char *name;          /**< unique name (mempool names) */
	uint32_t count;            /**< NBLs in the pool */
	uint16_t protocol_id;      /**< ProtocolId, 0 for miniports/IM drivers */
	bool allocate_nb;          /**< fAllocateNetBuffer: one NB comes with each NBL */
	uint16_t context_size;     /**< ContextSize: multiple of RTE_CACHE_LINE_MIN_SIZE/4 (16) */
	uint32_t data_size;        /**< DataSize: bytes of data (one MDL) preallocated per NBL; 0 none */
	uint32_t pool_tag;         /**< PoolTag, informational */
	int socket_id;             /**< NUMA socket, SOCKET_ID_ANY for any */
	uint32_t cache_size;       /**< per-lcore cache of NBLs, 0 for a default */
};

/**
 * Create an NBL pool (NdisAllocateNetBufferListPool).
 *
 * With data_size != 0 every NBL comes with one NB and one MDL describing
 * data_size bytes of DMA-able pool data (spec 9); that NB/MDL/data are freed
 * only with the NBL.
 *
 * @return
 *   The pool, or NULL with rte_errno set (EINVAL for bad parameters,
 *   ENOMEM, EEXIST for a name in use).
 */
struct condis_nbl_pool *condis_nbl_pool_create(const struct condis_nbl_pool_params *params);

/**
 * Free an NBL pool (NdisFreeNetBufferListPool).
 *
 * @return
 *   0, or -EBUSY if any NBL of the pool is still allocated (spec 13): the pool
 *   is left unchanged.
 */
int condis_nbl_pool_free(struct condis_nbl_pool *pool);

/** NBLs of the pool currently allocated (not in the pool). */
uint32_t condis_nbl_pool_in_use(const struct condis_nbl_pool *pool);

/**
 * Allocate an NBL (NdisAllocateNetBufferList). With a data_size pool the NBL
 * comes with its NB and MDL, the NB spanning the whole data (data_offset 0,
 * data_length data_size); with allocate_nb and no data the NB has no MDL
 * until the caller gives it one (condis_nb_set_mdl_chain()). Every field is
 * zeroed: status SUCCESS, no parent, no OOB info (spec 11, 24).
 *
 * @return
 *   The NBL owned by the caller, or NULL with rte_errno = ENOBUFS.
 */
struct condis_nbl *condis_nbl_alloc(struct condis_nbl_pool *pool);

/**
 * Allocate NBLs in bulk, all or none.
 *
 * @return 0, or -ENOBUFS with nothing allocated.
 */
int condis_nbl_alloc_bulk(struct condis_nbl_pool *pool, struct condis_nbl **nbls, unsigned int n);

/**
 * Allocate an NBL with one NB describing mdl_chain
 * (NdisAllocateNetBufferAndNetBufferList, spec 9-10). The pool must have
 * allocate_nb and no data_size.
 *
 * @param pool
 *   NBL pool with allocate_nb and no data_size.
 * @param mdl_chain
 *   MDLs for the NB; NULL only when data_offset and data_length are 0.
 * @param data_offset
 *   DataOffset: unused bytes at the start of mdl_chain.
 * @param data_length
 *   DataLength: used bytes after them; data_offset + data_length must fit in
 *   the chain.
 * @return
 *   The NBL, or NULL with rte_errno EINVAL (bad geometry or pool kind) or ENOBUFS.
 */
struct condis_nbl *condis_nbl_alloc_with_nb(struct condis_nbl_pool *pool,
					    struct condis_mdl *mdl_chain,
					    uint32_t data_offset, uint32_t data_length);

/**
 * Free an NBL (NdisFreeNetBufferList): its preallocated NB, MDL and data go
 * with it; NBs and MDLs the caller attached are not freed (spec 12).
 *
 * @return
 *   0; -EBUSY if the stack owns the NBL (sent and not completed), if clones
 *   of it are still allocated (free them first, spec 21), or if a
 *   device still holds its preallocated buffers (completed PAUSED
 *   by condis_adapter_close() while a PMD such as net_ring keeps the mbufs):
 *   nothing is freed, try again once the device let go; -EINVAL if it is
 *   not an allocated condis NBL (foreign or freed twice); -EPERM for a clone
 *   (use condis_nbl_free_clone()).
 */
int condis_nbl_free(struct condis_nbl *nbl);

/**
 * Allocate context space on an NBL (NdisAllocateNetBufferListContext,
 * spec 15). The context is a stack: size bytes are taken from the NBL's
 * context area below what earlier allocations hold; when the area has no
 * room left, a block of size + backfill bytes is allocated (rte_malloc: a
 * slow path, which a pool with a large enough context_size never takes)
 * and backfill of it stays free for later allocations.
 *
 * @param nbl
 *   The NBL, owned by the caller.
 * @param size
 *   Bytes, a multiple of 16 (MEMORY_ALLOCATION_ALIGNMENT on x64), not 0.
 * @param backfill
 *   Extra bytes for a block, should one be needed (ContextBackFill).
 * @return 0; -EINVAL for a bad size or NBL; -ENOMEM.
 */
int condis_nbl_context_alloc(struct condis_nbl *nbl, uint32_t size, uint32_t backfill);

/**
 * Free the last size bytes of context allocated (NdisFreeNetBufferListContext):
 * the reverse of condis_nbl_context_alloc() with the same size. A block it
 * empties is freed.
 * @return 0; -EINVAL for a bad size, or more than the top block holds.
 */
int condis_nbl_context_free(struct condis_nbl *nbl, uint32_t size);

/** Start of the NBL's current context data (NET_BUFFER_LIST_CONTEXT_DATA_START);
 *  NULL when no context is allocated. */
void *condis_nbl_context_data(const struct condis_nbl *nbl);

/** Bytes from the current context data to the end of its block
 *  (NET_BUFFER_LIST_CONTEXT_DATA_SIZE). */
uint32_t condis_nbl_context_data_size(const struct condis_nbl *nbl);

/**
 * Clone an NBL (NdisAllocateCloneNetBufferList, spec 20): new NBL and NBs over
 * the same bytes, no copy; new MDLs unless CONDIS_CLONE_FLAGS_USE_ORIGINAL_MDLS.
 * Only the used span is cloned; the clone has no context; parent is set and
 * the original's child_ref_count incremented (spec 21).
 *
 * @param orig
 *   The NBL to clone: allocated, and not owned by the stack.
 * @param pool
 *   Pool for the clone NBL (an NBL pool without data_size or allocate_nb).
 * @param nb_pool
 *   Pool for the clone's NBs.
 * @param mdl_pool
 *   Pool for new MDLs (ignored with USE_ORIGINAL_MDLS).
 * @param flags
 *   CONDIS_CLONE_FLAGS_*, 0 for none; condis_nbl_free_clone() wants the same.
 * @return
 *   The clone, or NULL with rte_errno set.
 */
struct condis_nbl *condis_nbl_clone(struct condis_nbl *orig, struct condis_nbl_pool *pool,
				    struct condis_nb_pool *nb_pool, struct condis_mdl_pool *mdl_pool,
				    uint32_t flags);

/**
 * Free a clone with the flags it was made with (NdisFreeCloneNetBufferList).
 * Decrements the parent's child_ref_count.
 *
 * @return 0, -EBUSY (owned by the stack), -EINVAL (not a clone or flags differ).
 */
int condis_nbl_free_clone(struct condis_nbl *clone, uint32_t flags);

/** NB pool parameters (NdisAllocateNetBufferPool). */
struct condis_nb_pool_params {
	const char *name;       /**< unique name */
	uint32_t count;         /**< NBs in the pool */
	uint32_t data_size;     /**< unused by condis NB pools, must be 0 */
	int socket_id;          /**< NUMA socket */
};

/** Create an NB pool. @return the pool or NULL with rte_errno set. */
struct condis_nb_pool *condis_nb_pool_create(const struct condis_nb_pool_params *params);

/** Free an NB pool. @return 0 or -EBUSY if NBs are still allocated. */
int condis_nb_pool_free(struct condis_nb_pool *pool);

/**
 * Allocate an NB over mdl_chain (NdisAllocateNetBuffer); same geometry rules
 * as condis_nbl_alloc_with_nb(). @return the NB or NULL with rte_errno set.
 */
struct condis_nb *condis_nb_alloc(struct condis_nb_pool *pool, struct condis_mdl *mdl_chain,
				  uint32_t data_offset, uint32_t data_length);

/** Free an NB from an NB pool. @return 0 or -EINVAL (not from an NB pool). */
int condis_nb_free(struct condis_nb *nb);

/**
 * Point an NB at a new MDL chain and make its geometry consistent (spec 14).
 *
 * @return 0, or -EINVAL if data_offset + data_length exceeds the chain (the NB
 *   is left unchanged).
 */
int condis_nb_set_mdl_chain(struct condis_nb *nb, struct condis_mdl *mdl_chain,
			    uint32_t data_offset, uint32_t data_length);

/**
 * The protocol's promise, like rte_ring's single-producer flag: no MDL of
 * the pool is ever in sends on two transmit queues (of any adapter) at the
 * same time. Sends then take an MDL's carrier with a plain load and store
 * instead of an atomic compare-and-swap. Without it (the default), an MDL
 * shared by sends on queues that two threads drive is safe: the second send
 * copies it or completes with CONDIS_STATUS_RESOURCES. A preallocated MDL
 * sent with its own NBL never needs the atomic.
 */
#define CONDIS_MDL_POOL_F_SINGLE_QUEUE 0x1u

/** MDL pool parameters. */
struct condis_mdl_pool_params {
	const char *name;       /**< unique name */
	uint32_t count;         /**< MDLs (carriers) in the pool */
	uint16_t data_size;     /**< bytes of pool data per MDL; 0 for zero-copy MDLs only */
	int socket_id;          /**< NUMA socket */
	uint32_t flags;         /**< CONDIS_MDL_POOL_F_*, 0 for none */
};

/** Create an MDL pool. @return the pool or NULL with rte_errno set. */
struct condis_mdl_pool *condis_mdl_pool_create(const struct condis_mdl_pool_params *params);

/** Free an MDL pool. @return 0 or -EBUSY while MDLs are allocated. */
int condis_mdl_pool_free(struct condis_mdl_pool *pool);

/**
 * Allocate a zero-copy MDL describing protocol memory [va, va + len).
 *
 * @param pool
 *   MDL pool (its data_size does not matter).
 * @param va
 *   First byte of the protocol memory, not NULL.
 * @param iova
 *   IO address of va (rte_mem_virt2iova() for DPDK memory; RTE_BAD_IOVA
 *   makes condis look it up). The memory must be DMA-able for a real NIC.
 * @param len
 *   Bytes, 1 to CONDIS_MDL_MAX_BYTES.
 * @return
 *   The MDL, or NULL with rte_errno EINVAL (len 0 or > CONDIS_MDL_MAX_BYTES),
 *   ENOBUFS.
 */
struct condis_mdl *condis_mdl_alloc_ext(struct condis_mdl_pool *pool, void *va,
					rte_iova_t iova, uint32_t len);

/**
 * Allocate an MDL describing len bytes of pool data (DMA-able).
 *
 * @return the MDL or NULL with rte_errno EINVAL (len > pool data_size), ENOBUFS.
 */
struct condis_mdl *condis_mdl_alloc_data(struct condis_mdl_pool *pool, uint32_t len);

/**
 * Free an MDL. @return 0, -EBUSY if its carrier is held by a send, -EINVAL for
 * a preallocated or foreign MDL.
 */
int condis_mdl_free(struct condis_mdl *mdl);

/** Total bytes an NB's MDL chain describes (its first CONDIS_NB_MAX_MDLS pieces). */
uint64_t condis_nb_chain_bytes(const struct condis_nb *nb);

/**
 * Check an NB's geometry invariant (spec 4).
 *
 * @return true if the MDLs before current_mdl plus current_mdl_offset sum to
 *   data_offset and data_offset + data_length fits in the chain.
 */
bool condis_nb_geometry_ok(const struct condis_nb *nb);

/**
 * Retreat the data start by delta bytes (NdisRetreatNetBufferDataStart, spec 17).
 * Moves the offset when data_offset >= delta. Otherwise it links a new MDL
 * of delta + backfill pool-data bytes in front (from mdl_pool): the data
 * then starts backfill + data_offset bytes into it, and the data_offset
 * unused bytes the chain had before become data (the NB's bytes run on
 * from the new MDL into them).
 *
 * @return CONDIS_STATUS_SUCCESS, CONDIS_STATUS_RESOURCES (no MDL, or
 *   delta + backfill over the pool's data size) or CONDIS_STATUS_FAILURE
 *   (bad arguments, or no mdl_pool when one is needed). The NB is
 *   unchanged on failure.
 */
condis_status_t condis_nb_retreat(struct condis_nb *nb, uint32_t delta, uint32_t backfill,
				  struct condis_mdl_pool *mdl_pool);

/**
 * Advance the data start by delta bytes (NdisAdvanceNetBufferDataStart, spec 18).
 * With free_mdl, MDLs that retreat allocated and that are now wholly unused
 * are freed; otherwise they are kept for reuse.
 *
 * @return 0, or -EINVAL if delta > data_length (NB unchanged).
 */
int condis_nb_advance(struct condis_nb *nb, uint32_t delta, bool free_mdl);

/**
 * n contiguous bytes at the start of the NB's data (NdisGetDataBuffer, spec 29).
 *
 * @param nb
 *   The NB.
 * @param n
 *   Bytes wanted, from the first used byte.
 * @param storage
 *   Room for n bytes, where they are copied if they span MDLs; may be NULL.
 * @return
 *   A pointer into the data, or storage, or NULL if data_length < n or the
 *   bytes are not contiguous and storage is NULL.
 */
void *condis_nb_data(struct condis_nb *nb, uint32_t n, void *storage);

/** First NB of an NBL (NET_BUFFER_LIST_FIRST_NB). */
static inline struct condis_nb *
condis_nbl_first_nb(const struct condis_nbl *nbl)
{
	return nbl->first_nb;
}

/** Number of NBLs in a chain. */
static inline unsigned int
condis_nbl_chain_count(const struct condis_nbl *chain)
{
	unsigned int n = 0;

	for (; chain != NULL; chain = chain->next)
		n++;
	return n;
}

/** Number of NBs of an NBL. */
static inline unsigned int
condis_nbl_nb_count(const struct condis_nbl *nbl)
{
	unsigned int n = 0;
	const struct condis_nb *nb;

	for (nb = nbl->first_nb; nb != NULL; nb = nb->next)
		n++;
	return n;
}

/** Pointer to the first used byte of an NB (within current_mdl). */
static inline void *
condis_nb_first_byte(const struct condis_nb *nb)
{
	return RTE_PTR_ADD(nb->current_mdl->va, nb->current_mdl_offset);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_NBL_H */
