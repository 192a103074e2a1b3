/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the ethdev miniport. */
#ifndef ETHDEV_PRIVATE_H
#define ETHDEV_PRIVATE_H

#include <rte_ethdev.h>
#include <rte_ring.h>

#include <rte_log.h>

#include <condis/condis_ethdev.h>
#include <condis/condis_miniport.h>

extern int condis_ethdev_logtype;
#define ETHDEV_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, condis_ethdev_logtype, "condis.ethdev: " __VA_ARGS__)

#define ETHDEV_BURST 32        /* mbufs per tx_burst */
#define ETHDEV_VC_QUANTUM 32   /* NBs one VC may put in a burst before the next VC's turn */
#define ETHER_MIN_FRAME 60     /* minimum frame without FCS (spec 87) */

struct ethdev_txq;

/* Miniport VC context. The software FIFO holds, in send order, the NBLs not
 * yet wholly handed to the device, linked through nbl->next (the owner's
 * link, spec 2); `cursor` is its head. NBLs in the device are on no list:
 * their carriers lead back to them. */
struct ethdev_vc {
	/* The direct path and completion: the first cache line. */
	struct ethdev_txq *q;
	struct condis_done_list done;
	uint32_t in_flight;             /* NBLs accepted and not completed */
	uint32_t queued;
	/* The second: counters and the FIFO. */
	uint64_t nbs_tx;
	uint64_t bytes_tx;
	struct condis_vc *vc;
	struct condis_nbl *cursor;     /* FIFO head */
	struct condis_nbl **fifo_tailp; /* where the next queued NBL links */
	struct ethdev_vc *rr_next;     /* next VC with queued NBLs */
	bool on_rr;
	struct ethdev_vc *all_prev, *all_next; /* every VC of the adapter */
} __rte_cache_aligned;

struct ethdev_adapter;

/* One transmit queue, owned by one lcore. */
struct ethdev_txq {
	struct ethdev_adapter *ad;
	uint16_t id;
	bool cleanup_ok;               /* PMD implements tx_done_cleanup */
	/* Copies of adapter settings the direct path reads per NBL. */
	uint32_t len_span;             /* max_frame - ETHER_MIN_FRAME */
	bool hw_tags;                  /* the device inserts 802.1Q tags */
	uint64_t pkts_at_poll;         /* stats.pkts at the previous poll */
	struct condis_done_queue done;
	/* Carriers the PMD holds, in send order (ethdev_held.h). */
	struct rte_mbuf **held_ring;
	uint32_t held_head, held_tail, held_mask;
	uint32_t held_staged;          /* slots the last multi-segment held_ring_stage() staged */
	struct ethdev_vc *rr_head, *rr_tail; /* VCs with queued NBLs */
	uint32_t in_flight;            /* NBLs accepted and not completed, all VCs */
	uint32_t queued;               /* of those, not wholly handed to the device */
	struct condis_ethdev_queue_stats stats;
	struct rte_mempool *bounce;    /* carriers for frames copied whole (software tags) */
	/* Idle scans of the held ring (ethdev_poll): the earliest TSC of the
	 * next, the wait after a scan that freed nothing, and its cap. */
	uint64_t idle_scan_tsc, idle_scan_wait, idle_scan_wait_max;
	/* Burst under construction. */
	struct rte_mbuf *burst[ETHDEV_BURST];
	struct condis_nbl *burst_nbl[ETHDEV_BURST];
	struct condis_nb *burst_nb[ETHDEV_BURST];
	bool burst_last[ETHDEV_BURST]; /* the NBL's last NB handed down */
} __rte_cache_aligned;

struct ethdev_adapter {
	struct condis_adapter *adapter;
	uint16_t port_id;
	uint16_t nb_txq;
	uint32_t max_frame;            /* bytes handed down, untagged, no FCS */
	uint16_t max_segs;
	bool vlan_hw;
	bool started;
	struct ethdev_vc *vcs;         /* every VC */
	struct rte_mempool *rx_pool;   /* only with params.rx_queue */
	struct ethdev_txq txq[CONDIS_ETHDEV_MAX_TXQ];
};

/* ethdev_tx.c */
void ethdev_co_send_nbls(void *miniport_vc_ctx, struct condis_nbl *chain, uint32_t flags);
int ethdev_poll(void *adapter_ctx, uint16_t txq);
void ethdev_abort_queued(struct ethdev_vc *ev, condis_status_t status);
unsigned int ethdev_deliver(struct ethdev_txq *q);

static inline struct ethdev_vc *
ethdev_vc_of(const struct condis_nbl *nbl)
{
	return container_of(nbl->miniport_done, struct ethdev_vc, done);
}

#endif /* ETHDEV_PRIVATE_H */
