/* SPDX-License-Identifier: BSD-3-Clause */
/* Library internals shared by lib/ and pmd/: not installed. */
#ifndef CONDIS_PRIVATE_H
#define CONDIS_PRIVATE_H

#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <condis/condis_miniport.h>
#include <condis/condis.h>

extern int condis_logtype;
#define CONDIS_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, condis_logtype, "condis: " __VA_ARGS__)

/* Carrier MDL flags beyond the public ones (CONDIS_MDL_F_BOUNCE: condis_carrier.h). */
#define CONDIS_MDL_F_ALLOCATED 0x100u /* bound to an owner (MDL, NB header, NBL data) */
#define CONDIS_MDL_F_HEADER    0x200u /* an NB's header carrier */
#define CONDIS_MDL_F_ORPHAN    0x800u /* reclaimed at close while a PMD still holds it */

/* Bytes of data room in an NB's header carrier: a full minimum frame plus tag. */
#define CONDIS_HDR_ROOM 128

/* A carrier's private area: the MDL first (condis_carrier_mdl()), then the
 * shared info used when protocol memory is attached as an external buffer. */
struct condis_carrier_priv {
	struct condis_mdl mdl;
	struct rte_mbuf_ext_shared_info shinfo;
};

/* Make a carrier direct again: its own data room, no external buffer. */
void condis_carrier_reset(struct rte_mbuf *m);

/* Carrier pools: rte_mempool of mbufs with an MDL in the private area, no
 * cache, and the "condis_carrier" ops, which see every put: idle and bounce
 * carriers back, late frees after an abandon, and the free of a bound
 * carrier that no miniport held (released to its NBL there; carrier.c). */
struct rte_mempool *condis_carrier_pool_create(const char *name, uint32_t n,
					       uint16_t data_room, int socket_id);
void condis_carrier_pool_free(struct rte_mempool *mp);
/* Take one idle carrier from the pool and bind it (ALLOCATED). NULL if none. */
struct condis_mdl *condis_carrier_take(struct rte_mempool *mp, uint32_t flags);
/* Unbind a carrier and return it to its pool. */
void condis_carrier_put(struct condis_mdl *mdl);
/* Carriers currently out of the pool. */
uint32_t condis_carrier_in_use(const struct rte_mempool *mp);

/* Reset an NB to describe mdl_chain; no checks. */
void condis_nb_init(struct condis_nb *nb, struct condis_mdl *mdl_chain,
		    uint32_t data_offset, uint32_t data_length);
/* Does [data_offset, data_offset + data_length) fit in mdl_chain? */
bool condis_mdl_span_ok(const struct condis_mdl *mdl_chain, uint32_t data_offset,
			uint32_t data_length);

/* Drop every context allocation of an NBL (blocks freed): a fresh stack. */
void condis_nbl_context_reset(struct condis_nbl *nbl);

/* Return an NBL to its pool; no checks. */
void condis_nbl_put(struct condis_nbl *nbl);
/* 0 if nbl is an allocated condis NBL owned by the caller, -EBUSY if the
 * stack owns it, -EINVAL if it is foreign or free. */
int condis_nbl_check_owned(const struct condis_nbl *nbl);

/* Clones are marked in clone_flags with this bit. */
#define CONDIS_NBL_CLONE_MARK 0x80u

/* NBL pool internals. */
struct condis_nbl_pool {
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *nbls;   /* struct condis_nbl + context */
	struct rte_mempool *hdrs;   /* header carriers of preallocated NBs */
	struct rte_mempool *data;   /* data carriers of preallocated MDLs */
	struct condis_nbl_pool_params params;
};

struct condis_nb_pool {
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *nbs;
	struct rte_mempool *hdrs;
};

struct condis_mdl_pool {
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *carriers;
	uint16_t data_size;
	uint32_t mdl_flags;            /* given to every MDL allocated */
};

#define CONDIS_VC_MAGIC 0x434e5643u /* "CNVC" */

struct condis_protocol {
	char name[32];
	struct condis_protocol_ops ops;
	uint32_t nb_vcs;
	uint64_t id;                   /* never reused: names the protocol in its bindings */
	/* An NDIS-style protocol (lib/ndis_protocol.c): its indications want the
	 * binding context, which the VC leads to; called instead of
	 * ops.co_status / ops.co_receive when set. */
	void (*status_vc)(struct condis_vc *vc, condis_status_t status);
	void (*receive_vc)(struct condis_vc *vc, struct condis_nbl *chain, uint32_t count,
			   uint32_t receive_flags);
	void *ndis;                    /* its struct condis_ndis_protocol */
};

/* A binding's receive criteria (loopback.c): what OID_GEN_CURRENT_PACKET_FILTER
 * and OID_802_3_MULTICAST_LIST set for one protocol on one adapter. On the
 * adapter's list from the first set until the adapter closes; each field is
 * read by sending threads with atomic loads. */
struct condis_binding {
	struct condis_binding *next;
	uint64_t protocol_id;          /* condis_protocol.id */
	uint32_t filter;               /* CONDIS_PACKET_TYPE_* */
	uint32_t n_mcast;
	uint64_t mcast[CONDIS_MULTICAST_LIST_MAX]; /* addresses, as rte_ether_addr in 8 bytes */
};

/*
 * A transmit queue as the library sees it. Every send and completion of a
 * VC runs on its queue's owner: a send from another thread only takes
 * ownership of the NBLs and pushes the chain on the inbox; the owner takes
 * it (condis_poll(), or its own next send on the queue, so that per-VC
 * order holds) and only then checks and counts it. So every per-VC counter
 * but nbls_sent has one writer and needs no atomic.
 */
struct condis_txq {
	/* Read by every send on the queue. */
	unsigned int owner;            /* lcore id; LCORE_ID_ANY: the caller owns it */
	bool closing;                  /* condis_adapter_close() runs: sends are refused */
	bool paused;                   /* the adapter is pausing or paused: sends complete PAUSED */
	bool resetting;                /* a reset runs: sends complete RESET_IN_PROGRESS */
	bool reset_parked;             /* the owner stopped for the reset (owner only) */
	bool pause_flushed;            /* the owner completed its FIFOs since the pause (owner only) */
	void *mctx;                    /* the miniport's queue context (txq_ctx) */
	struct condis_nbl *(*tx_direct)(void *txq_ctx, struct condis_vc_tx *vt,
					struct condis_nbl *chain);
	struct condis_vc_tx *rr_head;  /* VCs with queued NBs, round robin */
	struct condis_vc_tx *rr_tail;
	struct condis_done_queue done; /* VCs with NBLs to deliver */
	/* Chains from other threads: a lock-free stack, newest first, linked
	 * through each head's handoff_next. Unbounded: a sender never waits. */
	struct condis_nbl *inbox;
	/* Owner only: chains taken from the inbox, oldest first, not accepted
	 * yet (a handler run by an accept may send, and must queue behind them). */
	struct condis_nbl *backlog;
	struct condis_nbl **backlog_tailp;
	/* Cancel requests from other threads (cancel.c), a lock-free stack. */
	struct condis_cancel_req *cancels;
	/* The FIFO path (tx.c). */
	uint16_t (*tx_burst)(void *txq_ctx, const struct condis_tx_item *items, uint16_t n);
	void (*tx_reclaim)(void *txq_ctx);
	condis_status_t (*tx_check)(void *txq_ctx, const struct condis_nbl *nbl);
	uint64_t backlog_nbls;         /* NBLs that joined a FIFO */
	struct condis_adapter *adapter;
	uint16_t id;
	/* The burst under construction: items, and whether each is its NBL's last NB. */
	struct condis_tx_item items[CONDIS_TX_BURST];
	bool last[CONDIS_TX_BURST];
} __rte_aligned(CONDIS_TXQ_ALIGN); /* its own pages: see CONDIS_TXQ_ALIGN */

/* What the send path and completion touch comes first, in one cache line. */
struct condis_vc {
	uint32_t magic;
	uint8_t state;                 /* enum condis_vc_state */
	uint16_t tx_queue;
	void *miniport_ctx;
	struct condis_txq *txq;        /* the queue it is bound to (txqs[0] until activated) */
	struct condis_protocol *protocol;
	void *protocol_ctx;
	uint64_t nbls_sent;            /* written by the sending thread (relaxed atomic store) */
	uint64_t nbls_completed;       /* written by the queue's owner */
	uint64_t nbls_failed;          /* written by the queue's owner */
	/* The queue's view of the VC: done list, FIFO (second line on). */
	struct condis_vc_tx tx;
	/* Control path. */
	struct condis_adapter *adapter;
	struct condis_call_params params;
	uint32_t index;                /* slot in the adapter's table */
	uint64_t serial;               /* the adapter's count of VCs created: this VC's */
	uint64_t loopback_nbs;         /* written by the sending thread (loopback.c) */
	uint64_t loopback_dropped;     /* written by the sending thread */
} __rte_cache_aligned;

struct condis_adapter {
	const struct condis_miniport_ops *ops;
	uint8_t state;                 /* enum condis_adapter_state (atomic: pollers move it) */
	bool resetting;                /* a reset runs (atomic) */
	bool pause_device_done;        /* the miniport's pause op ran (atomic) */
	uint16_t pause_parked;         /* queues flushed for the pause (atomic) */
	uint16_t reset_parked;         /* queues whose owner stopped for it (atomic) */
	int id;                        /* slot in the telemetry registry, -1 if none */
	void *ctx;
	uint16_t nb_tx_queues;
	uint32_t max_vcs;
	uint32_t nb_vcs;
	uint32_t free_head, free_count; /* FIFO of free slots: stale handles are reused last */
	uint32_t *free_slots;
	struct condis_vc *vcs;
	struct condis_txq *txqs;       /* nb_tx_queues */
	uint64_t vcs_created;          /* VC serials */
	/* Software loopback (loopback.c): set on the control path. */
	struct condis_adapter_general_attributes attrs;
	struct condis_binding *bindings; /* appended with a release store */
	struct condis_nbl_pool *loop_pool; /* looped copies; NULL until a filter needs it */
};

/* Take every chain handed to q's owner, oldest first, and accept each
 * (send.c). On the owner only. */
/* Does a chain sent on vc from another thread still wait for its queue's owner? */
bool condis_vc_handoff_pending(const struct condis_vc *vc);
/* Accepted by a send and not completed, handed-over chains included. */
static inline uint64_t
condis_vc_in_flight(const struct condis_vc *vc)
{
	return __atomic_load_n(&vc->nbls_sent, __ATOMIC_RELAXED) -
	       __atomic_load_n(&vc->nbls_completed, __ATOMIC_RELAXED);
}

/* The queueing (tx.c), on the queue's owner: take a checked chain of vc
 * (the direct path while nothing is queued, else the FIFO); move queued
 * NBs to the device; hand done lists to the protocol. */
void condis_tx_accept(struct condis_txq *q, struct condis_vc *vc, struct condis_nbl *chain);
unsigned int condis_tx_xmit(struct condis_txq *q);
unsigned int condis_tx_deliver(struct condis_txq *q);
/* Run the cancels other threads asked of q (on its owner; the caller
 * delivers), or drop them unrun (close). */
void condis_txq_cancel_pending(struct condis_txq *q);
void condis_txq_cancel_discard(struct condis_txq *q);
/* On q's owner, once per pause: complete its FIFOs PAUSED; then, pausing,
 * finish the pause if nothing is outstanding (pause.c). */
void condis_txq_pause_flush(struct condis_txq *q);
/* A queue's poll while the adapter is pausing or paused; NBLs delivered. */
unsigned int condis_txq_poll_paused(struct condis_txq *q);
void condis_adapter_check_paused(struct condis_adapter *a);
/* A queue's poll while a reset runs: empty its FIFOs and stop for it; the
 * queue that stops last resets the device (SUCCESS or FAILURE, else PENDING). */
condis_status_t condis_txq_reset_park(struct condis_txq *q);
/* Call co_status of the protocol of every VC of a (reset.c). */
void condis_adapter_indicate(struct condis_adapter *a, condis_status_t status);
/* Complete every NBL still in vc's FIFO with status (close; control path). */
void condis_tx_abort_queued(struct condis_vc *vc, condis_status_t status);
/* The same for every VC queued on q, on its owner (pause, reset). */
void condis_tx_abort_txq(struct condis_txq *q, condis_status_t status);

/* Put vt at the tail of q's round robin. */
static inline void
condis_tx_rr_push(struct condis_txq *q, struct condis_vc_tx *vt)
{
	vt->rr_next = NULL;
	if (q->rr_tail != NULL)
		q->rr_tail->rr_next = vt;
	else
		q->rr_head = vt;
	q->rr_tail = vt;
	vt->on_rr = 1;
}
/* Bind vc's transmit state to queue q (nothing in flight). */
void condis_tx_vc_bind(struct condis_vc *vc, struct condis_txq *q);
void condis_txq_drain(struct condis_txq *q);
/* Complete every chain handed to q and not accepted yet with status (close). */
void condis_txq_abort(struct condis_txq *q, condis_status_t status);

/* NdisMCoSendNetBufferListsComplete (spec 60-72), the library's own: hand
 * back a chain of vc's NBLs, each with its final status (PENDING becomes
 * SUCCESS), in one handler call. Miniports release buffers through
 * condis_nbl_release_ref() and never complete an NBL themselves, so every
 * chain is one VC's (spec 71). */
void condis_mco_send_complete(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags);
/* condis_mco_send_complete() of a non-empty chain; may_be_consecutive false
 * when its NBLs' send numbers may not be their VC's (an NDIS-style miniport
 * completed some: an intermediate driver's send below renumbered them). */
void condis_mco_send_complete_as(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags,
				 bool may_be_consecutive);
/* Hand a chain the library refused at the door back to vc's protocol,
 * statuses set, through whichever completion handler it has; no counting. */
void condis_protocol_give_back(struct condis_vc *vc, struct condis_nbl *chain, uint32_t flags);

/* Software loopback of a send (loopback.c, spec 82-84): copy the NBs of
 * vc's chain that its binding accepts before the chain is handed down, then
 * indicate them. */
struct condis_loopback {
	struct condis_nbl *head;       /* copies, linked through handoff_next */
	struct condis_nbl **tailp;
	uint32_t count;
	uint32_t dropped;
	struct condis_vc *vc;
	uint64_t serial;               /* vc's, to see it was not deleted meanwhile */
	uint32_t receive_flags;
};
void condis_loopback_copy(struct condis_vc *vc, struct condis_nbl *chain, uint32_t send_flags,
			  struct condis_loopback *lb);
void condis_loopback_indicate(struct condis_loopback *lb);
/* Free an adapter's bindings and loopback pool (close). */
void condis_loopback_free(struct condis_adapter *a);

/* Finish a pending deactivation once nothing is in flight (spec 38). */
void condis_vc_check_deactivated(struct condis_vc *vc);

/* Telemetry registry of adapters (telemetry.c): control path, locked. */
void condis_telemetry_add(struct condis_adapter *a);
void condis_telemetry_remove(struct condis_adapter *a);

static inline bool
condis_vc_valid(const struct condis_vc *vc)
{
	return vc != NULL && vc->magic == CONDIS_VC_MAGIC && vc->state != CONDIS_VC_DELETED;
}

#endif /* CONDIS_PRIVATE_H */
