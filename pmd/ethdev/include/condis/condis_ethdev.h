/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The ethdev miniport: a condis adapter over any DPDK ethdev port (virtual
 * devices such as net_null, net_ring, net_pcap, net_tap, net_af_packet,
 * net_memif, or a PCI NIC on vfio-pci). It owns the port's transmit queues
 * and descriptor rings, turns NBs into mbuf bursts without allocating, and
 * completes an NBL when the PMD has freed every carrier of every NB.
 */
#ifndef CONDIS_ETHDEV_H
#define CONDIS_ETHDEV_H

#include <stdint.h>

#include <condis/condis.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Largest number of transmit queues one adapter drives. */
#define CONDIS_ETHDEV_MAX_TXQ 16

/** How 802.1Q tags from the NBL OOB slot reach the wire. */
enum condis_vlan_insert {
	/** Software (the default): a library-built header segment, or a copy on
	 *  one-segment devices. The offload is not trusted by default: several
	 *  PMDs implement it with rte_vlan_insert(), which rewrites the frame in
	 *  place (protocol memory), and net_e1000_em inserts only with RX VLAN
	 *  strip on (docs/DESIGN-NOTES.md). */
	CONDIS_VLAN_INSERT_AUTO = 0,
	/** RTE_ETH_TX_OFFLOAD_VLAN_INSERT; condis_ethdev_open() fails with
	 *  ENOTSUP if the port does not offer it. For NICs known to insert in
	 *  hardware without touching the buffer. */
	CONDIS_VLAN_INSERT_HW,
	CONDIS_VLAN_INSERT_SW,   /**< always a library-built header segment */
};

/** How checksums requested in the NBL checksum slot (condis_checksum.h) are made. */
enum condis_checksum_offload {
	/** The default: each of the IPv4 header, TCP and UDP checksums by the
	 *  device when the port offers its offload (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM,
	 *  TCP_CKSUM, UDP_CKSUM, enabled at open), by software otherwise. */
	CONDIS_CHECKSUM_OFFLOAD_AUTO = 0,
	/** Always in software; no checksum offload is enabled on the port (a
	 *  PMD may pick a faster transmit function without). */
	CONDIS_CHECKSUM_OFFLOAD_SW,
};

/** Ethdev adapter parameters. Zeroed fields take the defaults noted. */
struct condis_ethdev_params {
	uint16_t port_id;        /**< DPDK port */
	uint16_t nb_tx_queues;   /**< transmit queues (default 1) */
	uint16_t nb_tx_desc;     /**< descriptors per queue (default 1024, clamped to the device) */
	uint16_t tx_free_thresh; /**< PMD free threshold (default: the PMD's) */
	uint32_t max_vcs;        /**< VC table size (default 1024) */
	uint32_t mtu;            /**< MTU to set (default: keep the port's) */
	enum condis_vlan_insert vlan_insert; /**< default AUTO */
	enum condis_checksum_offload checksum_offload; /**< default AUTO */
	/** With owners set, owner_lcore[q] owns queue q: it polls the queue, and
	 *  sends from other threads reach it through a lock-free stack
	 *  (condis_adapter_set_queue_owner()). Without (the default), the caller
	 *  guarantees one thread per queue at a time. */
	bool owners;
	unsigned int owner_lcore[CONDIS_ETHDEV_MAX_TXQ]; /**< see owners */
	bool no_start;           /**< configure the queues only; do not start the port */
	bool rx_queue;           /**< also set up one RX queue (some PMDs want one) */
};

/**
 * Open an adapter over a DPDK port: configure it, set up its transmit
 * queues, start it.
 *
 * @return the adapter, or NULL with rte_errno set.
 */
struct condis_adapter *condis_ethdev_open(const struct condis_ethdev_params *params);

/** Largest frame (bytes handed to the device, no FCS, no tag) the adapter sends;
 *  0 for an adapter of another miniport (so for the getters below: 0, false). */
uint32_t condis_ethdev_max_frame(const struct condis_adapter *adapter);

/** Largest number of segments per frame the device takes. */
uint16_t condis_ethdev_max_segs(const struct condis_adapter *adapter);

/** True if 802.1Q tags are inserted by the device. */
bool condis_ethdev_vlan_hw(const struct condis_adapter *adapter);

/** @name Checksums the device computes (condis_ethdev_checksum_hw()). */
/**@{*/
#define CONDIS_ETHDEV_CSUM_HW_IPV4 0x1u /**< IPv4 header checksum */
#define CONDIS_ETHDEV_CSUM_HW_TCP  0x2u /**< TCP checksum (IPv4 and IPv6) */
#define CONDIS_ETHDEV_CSUM_HW_UDP  0x4u /**< UDP checksum (IPv4 and IPv6) */
/**@}*/

/** The checksums (CONDIS_ETHDEV_CSUM_HW_*) the device computes; the others
 *  requested are computed by condis. 0 for another miniport's adapter. */
uint32_t condis_ethdev_checksum_hw(const struct condis_adapter *adapter);

/** Queue counters of the adapter. */
struct condis_ethdev_queue_stats {
	uint64_t bursts;          /**< tx_burst calls that moved at least one packet */
	uint64_t pkts;            /**< mbufs the device accepted */
	uint64_t partial;         /**< tx_burst calls that took fewer than offered (none included) */
	uint64_t cleanups;        /**< tx_done_cleanup calls */
	uint64_t backlog_nbls;    /**< NBLs that waited in a VC FIFO */
	/** Scans of all carriers the device holds, for those it freed out of
	 *  order (a kept frame, a full hold ring); 0 with in-order PMDs. */
	uint64_t reap_scans;
	/** Frames copied whole into a bounce carrier: a buffer another send
	 *  held (on any queue), or a software tag (or checksummed headers) the
	 *  device cannot chain. */
	uint64_t copies;
	/** Frames whose requested checksums (condis_checksum.h) condis computed,
	 *  all or some of them. */
	uint64_t csum_sw;
	/** Frames whose requested checksums the device computes, all or some
	 *  of them (offload flags set). */
	uint64_t csum_hw;
};

/** Read a queue's counters. @return 0, or -EINVAL (also for another miniport's adapter). */
int condis_ethdev_queue_stats_get(const struct condis_adapter *adapter, uint16_t txq,
				  struct condis_ethdev_queue_stats *stats);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* CONDIS_ETHDEV_H */
