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

#define ETHDEV_BURST CONDIS_TX_BURST /* mbufs per tx_burst */
#define ETHER_MIN_FRAME 60     /* minimum frame without FCS (spec 87) */

struct ethdev_txq;

struct ethdev_adapter;

/* Checksums of a frame (condis_checksum.h), as ETHDEV_CSUM_* bits: what a
 * frame wants filled, what the port computes (ethdev_adapter.csum_hw). */
#define ETHDEV_CSUM_IP  0x1u  /* IPv4 header checksum */
#define ETHDEV_CSUM_TCP 0x2u  /* TCP, over IPv4 or IPv6 */
#define ETHDEV_CSUM_UDP 0x4u  /* UDP, over IPv4 or IPv6 */
#define ETHDEV_CSUM_L4  (ETHDEV_CSUM_TCP | ETHDEV_CSUM_UDP)

/* Where a frame's headers are, from the first byte of the NB's data. */
struct ethdev_csum {
	uint16_t l3_off;   /* IP header */
	uint16_t l4_off;   /* L4 header (IPv6: after its extension headers) */
	uint16_t hdr_end;  /* end of the last header a checksum is written in */
	uint32_t l4_len;   /* L4 header + payload, from the IP header's length */
	uint8_t want;      /* ETHDEV_CSUM_* to fill */
	bool v6;
};

/* One transmit queue, owned by one lcore. */
struct ethdev_txq {
	struct ethdev_adapter *ad;
	uint16_t id;
	bool cleanup_ok;               /* PMD implements tx_done_cleanup */
	bool link_event;               /* queue 0: the link changed (set by the LSC callback) */
	bool link_watch;               /* queue 0: poll the link while idle */
	uint64_t link_check_tsc;       /* queue 0: earliest TSC of the next idle link poll */
	/* Copies of adapter settings the direct path reads per NBL. */
	uint32_t len_span;             /* max_frame - ETHER_MIN_FRAME */
	bool hw_tags;                  /* the device inserts 802.1Q tags */
	uint64_t pkts_at_poll;         /* stats.pkts at the previous poll */
	/* Carriers the PMD holds, in send order (ethdev_held.h). */
	struct rte_mbuf **held_ring;
	uint32_t held_head, held_tail, held_mask;
	uint32_t held_staged;          /* slots the last multi-segment held_ring_stage() staged */
	struct condis_ethdev_queue_stats stats;
	struct rte_mempool *bounce;    /* carriers for frames copied whole (software tags) */
	/* Idle scans of the held ring (ethdev_poll): the earliest TSC of the
	 * next, the wait after a scan that freed nothing, and its cap. */
	uint64_t idle_scan_tsc, idle_scan_wait, idle_scan_wait_max;
	/* Burst under construction. */
	struct rte_mbuf *burst[ETHDEV_BURST];
	uint8_t burst_item[ETHDEV_BURST]; /* tx_burst: the item each mbuf was built from */
} __rte_aligned(CONDIS_TXQ_ALIGN); /* its own pages: see CONDIS_TXQ_ALIGN */

#define ETHDEV_MAGIC 0x45544844u /* "ETHD": tells an ethdev adapter context from another miniport's */

struct ethdev_adapter {
	uint32_t magic;
	struct condis_adapter *adapter;
	uint16_t port_id;
	uint16_t nb_txq;
	uint32_t max_frame;            /* bytes handed down, untagged, no FCS */
	uint16_t max_segs;
	bool vlan_hw;
	uint8_t csum_hw;               /* ETHDEV_CSUM_* the port computes (offloads enabled) */
	bool started;
	bool paused_started;           /* started when a pause stopped it */
	bool lsc;                      /* link-state interrupts registered */
	bool link_up;                  /* as last indicated to the protocols */
	struct rte_mempool *rx_pool;   /* only with params.rx_queue */
	struct ethdev_txq txq[CONDIS_ETHDEV_MAX_TXQ];
};

/* ethdev_tx.c: the data-path ops (condis_tx.h). */
condis_status_t ethdev_tx_check(void *txq_ctx, const struct condis_nbl *nbl);
uint16_t ethdev_tx_burst(void *txq_ctx, const struct condis_tx_item *items, uint16_t n);
void ethdev_tx_reclaim(void *txq_ctx);
/* The link may have changed: tell the protocols if it did (queue 0's owner). */
void ethdev_link_indicate(struct ethdev_adapter *ad);
struct condis_nbl *ethdev_tx_direct_sw_tags(void *txq_ctx, struct condis_vc_tx *vt,
					    struct condis_nbl *chain);
struct condis_nbl *ethdev_tx_direct_hw_tags(void *txq_ctx, struct condis_vc_tx *vt,
					    struct condis_nbl *chain);

#endif /* ETHDEV_PRIVATE_H */
