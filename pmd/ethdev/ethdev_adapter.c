/* SPDX-License-Identifier: BSD-3-Clause */
/* The ethdev miniport's control path: port set-up, VCs, halt. */
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "ethdev_held.h"

RTE_LOG_REGISTER(condis_ethdev_logtype, condis.ethdev, NOTICE);

#define DEFAULT_TX_DESC 1024
#define DEFAULT_MAX_VCS 1024
#define RX_POOL_MBUFS 1023
#define HELD_RING_MIN 1024

/* Bounce pools opened by this process (their names must be unique: a pool
 * kept past a close must not block the next open of the port). */
static uint32_t bounce_pools_made;

static int
ethdev_co_create_vc(void *adapter_ctx, struct condis_vc *vc, void **miniport_vc_ctx)
{
	/* The library keeps all per-VC state (queue, FIFO, done list). */
	RTE_SET_USED(vc);
	*miniport_vc_ctx = adapter_ctx;
	return 0;
}

static condis_status_t
ethdev_co_activate_vc(void *miniport_vc_ctx, const struct condis_call_params *params)
{
	/* The library checked the parameters and bound the queue (spec 79):
	 * every port takes any VC. */
	RTE_SET_USED(miniport_vc_ctx);
	RTE_SET_USED(params);
	return CONDIS_STATUS_SUCCESS;
}

static void
ethdev_co_delete_vc(void *miniport_vc_ctx)
{
	RTE_SET_USED(miniport_vc_ctx); /* nothing was allocated */
}

/* Before a stop: what the device has finished is sent, so ask for it and
 * reap it, and only what the stop cuts short is left. True if the PMD still
 * holds carriers. Every queue's owner is parked (or gone). */
static bool
reap_finished(struct ethdev_adapter *ad)
{
	bool held = false;
	uint16_t i;

	for (i = 0; i < ad->nb_txq; i++) {
		if (ad->started && ad->txq[i].cleanup_ok)
			rte_eth_tx_done_cleanup(ad->port_id, i, 0);
		held_ring_reap_all(&ad->txq[i]);
		held |= ad->txq[i].held_head != ad->txq[i].held_tail;
	}
	return held;
}

/* Stop the port: most PMDs free what their rings hold. The owners' reclaim
 * reads `started`: no PMD call from them from here on. */
static void
port_stop(struct ethdev_adapter *ad)
{
	if (!ad->started)
		return;
	__atomic_store_n(&ad->started, false, __ATOMIC_RELEASE);
	rte_eth_dev_stop(ad->port_id);
}

static void
ethdev_halt(void *adapter_ctx, condis_status_t status)
{
	struct ethdev_adapter *ad = adapter_ctx;
	uint16_t i;

	reap_finished(ad);
	port_stop(ad);
	/* What a PMD still keeps (net_ring) is completed anyway. Every
	 * carrier it was given is in a held ring, so no walk of the carrier
	 * pools (which other adapters' lcores are using) is needed. */
	for (i = 0; i < ad->nb_txq; i++)
		held_ring_abandon(&ad->txq[i], status);
}

/* The link-state interrupt, on DPDK's interrupt thread: only a flag, which
 * queue 0's owner reads at its next poll (the protocols' handlers then run
 * on a thread that polls, and nothing else of the adapter is touched here). */
static int
ethdev_lsc_cb(uint16_t port_id, enum rte_eth_event_type type, void *arg, void *ret_param)
{
	struct ethdev_adapter *ad = arg;

	RTE_SET_USED(port_id);
	RTE_SET_USED(type);
	RTE_SET_USED(ret_param);
	__atomic_store_n(&ad->txq[0].link_event, true, __ATOMIC_RELEASE);
	return 0;
}

void __rte_cold
ethdev_link_indicate(struct ethdev_adapter *ad)
{
	struct rte_eth_link link;
	bool up;

	__atomic_store_n(&ad->txq[0].link_event, false, __ATOMIC_RELAXED);
	if (rte_eth_link_get_nowait(ad->port_id, &link) != 0)
		return;
	up = link.link_status == RTE_ETH_LINK_UP;
	if (up == ad->link_up)
		return;
	ad->link_up = up;
	ETHDEV_LOG(INFO, "port %u: link %s\n", ad->port_id, up ? "up" : "down");
	condis_adapter_indicate_status(ad->adapter, up ? CONDIS_STATUS_MEDIA_CONNECT :
				       CONDIS_STATUS_MEDIA_DISCONNECT);
}

/* A reset (every queue parked by the library): stop the port, which makes
 * most PMDs free what their rings hold; complete with status what a PMD
 * still keeps (as halt does), and start it again. */
static int
ethdev_reset(void *adapter_ctx, condis_status_t status)
{
	struct ethdev_adapter *ad = adapter_ctx;
	bool was_started = ad->started;
	uint16_t i;

	ethdev_halt(adapter_ctx, status);
	for (i = 0; i < ad->nb_txq; i++)
		ad->txq[i].pkts_at_poll = ad->txq[i].stats.pkts;
	if (!was_started)
		return 0;
	if (rte_eth_dev_start(ad->port_id) != 0)
		return -EIO;
	ad->started = true;
	return 0;
}

/* Pause: stop the port if the PMD still holds frames after a cleanup, so
 * that one that frees a slot only when it reuses it (net_e1000_em,
 * net_virtio) gives them back. One that holds nothing (net_null, net_pcap,
 * which frees in tx_burst) keeps running: a stop/start is not free (it
 * reopens net_pcap's file, truncating the capture). */
static void
ethdev_pause(void *adapter_ctx, condis_status_t status)
{
	struct ethdev_adapter *ad = adapter_ctx;
	uint16_t i;

	RTE_SET_USED(status); /* nothing is abandoned: it completes as freed */
	ad->paused_started = ad->started && reap_finished(ad);
	if (ad->paused_started)
		port_stop(ad);
	for (i = 0; i < ad->nb_txq; i++)
		held_ring_reap_all(&ad->txq[i]); /* what the stop freed */
}

static int
ethdev_restart(void *adapter_ctx)
{
	struct ethdev_adapter *ad = adapter_ctx;

	if (!ad->paused_started || ad->started)
		return 0;
	if (rte_eth_dev_start(ad->port_id) != 0)
		return -EIO;
	__atomic_store_n(&ad->started, true, __ATOMIC_RELEASE);
	return 0;
}

static void
ethdev_free(void *adapter_ctx)
{
	struct ethdev_adapter *ad = adapter_ctx;
	uint16_t i;

	if (ad->lsc)
		rte_eth_dev_callback_unregister(ad->port_id, RTE_ETH_EVENT_INTR_LSC,
						ethdev_lsc_cb, ad);
	for (i = 0; i < ad->nb_txq; i++) {
		/* A device that still holds bounce carriers (net_ring's consumer)
		 * frees them later into their pool: the library keeps it till then. */
		condis_bounce_pool_release(ad->txq[i].bounce);
		rte_free(ad->txq[i].held_ring);
	}
	rte_mempool_free(ad->rx_pool);
	ad->magic = 0;
	rte_free(ad);
}

#define ETHDEV_OPS(direct) { \
	.name = "ethdev", \
	.co_create_vc = ethdev_co_create_vc, \
	.co_activate_vc = ethdev_co_activate_vc, \
	.co_delete_vc = ethdev_co_delete_vc, \
	.tx_check = ethdev_tx_check, \
	.tx_burst = ethdev_tx_burst, \
	.tx_reclaim = ethdev_tx_reclaim, \
	.tx_direct = (direct), \
	.reset = ethdev_reset, \
	.pause = ethdev_pause, \
	.restart = ethdev_restart, \
	.halt = ethdev_halt, \
	.free = ethdev_free, \
}

/* One table per way of tagging: the direct path tests neither per NB. */
static const struct condis_miniport_ops ethdev_ops_sw_tags = ETHDEV_OPS(ethdev_tx_direct_sw_tags);
static const struct condis_miniport_ops ethdev_ops_hw_tags = ETHDEV_OPS(ethdev_tx_direct_hw_tags);

/*
 * Tags go in software unless the user asks for the device's offload. The
 * offload is not what it claims on the PMDs we can test: net_virtio (in
 * tx_prepare), net_af_packet and net_tap insert with rte_vlan_insert(),
 * which rewrites the frame in place, i.e. in protocol memory; net_e1000_em
 * inserts only with CTRL.VME, which its PMD sets only with RX VLAN strip.
 */
static bool
want_vlan_hw(const struct condis_ethdev_params *p)
{
	return p->vlan_insert == CONDIS_VLAN_INSERT_HW;
}

/* The ETHDEV_CSUM_* a port with these TX offloads computes. */
static uint8_t
csum_hw_of(uint64_t offloads)
{
	return (uint8_t)(((offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) ? ETHDEV_CSUM_IP : 0) |
			 ((offloads & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) ? ETHDEV_CSUM_TCP : 0) |
			 ((offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) ? ETHDEV_CSUM_UDP : 0));
}

static int
setup_rx(struct ethdev_adapter *ad, uint16_t port, int socket)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "condis_rx_%u", port);
	ad->rx_pool = rte_pktmbuf_pool_create(name, RX_POOL_MBUFS, 0, 0,
					      RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (ad->rx_pool == NULL)
		return -rte_errno;
	return rte_eth_rx_queue_setup(port, 0, 512, socket, NULL, ad->rx_pool);
}

static int
setup_txqs(struct ethdev_adapter *ad, const struct condis_ethdev_params *p,
	   const struct rte_eth_dev_info *info, uint64_t offloads, int socket)
{
	struct rte_eth_txconf txconf = info->default_txconf;
	uint16_t nb_txd = p->nb_tx_desc ? p->nb_tx_desc : DEFAULT_TX_DESC;
	uint16_t nb_rxd = 512, i;
	uint32_t ring_slots;
	int rc;

	rc = rte_eth_dev_adjust_nb_rx_tx_desc(ad->port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		return rc;
	txconf.offloads = offloads;
	if (p->tx_free_thresh != 0)
		txconf.tx_free_thresh = p->tx_free_thresh;
	for (i = 0; i < ad->nb_txq; i++) {
		struct ethdev_txq *q = &ad->txq[i];
		char name[RTE_RING_NAMESIZE];

		q->ad = ad;
		q->id = i;
		q->cleanup_ok = true;
		q->len_span = ad->max_frame - ETHER_MIN_FRAME;
		q->hw_tags = ad->vlan_hw;
		rc = rte_eth_tx_queue_setup(ad->port_id, i, nb_txd, socket, &txconf);
		if (rc != 0)
			return rc;
		/* Room for every segment a descriptor ring can hold, and then some
		 * for PMDs that keep mbufs elsewhere; a full held ring stalls sends
		 * like a full descriptor ring. */
		ring_slots = rte_align32pow2(RTE_MAX(4u * nb_txd, (uint32_t)HELD_RING_MIN));
		q->held_ring = rte_zmalloc_socket("condis_held", sizeof(*q->held_ring) * ring_slots,
						  RTE_CACHE_LINE_SIZE, socket);
		if (q->held_ring == NULL)
			return -ENOMEM;
		q->held_mask = ring_slots - 1;
		q->idle_scan_wait_max = rte_get_tsc_hz() / 10000; /* 100 us */
		/* Bounce carriers: frames copied whole when a buffer is already held
		 * by another send, or a software tag would exceed max_segs. None if
		 * a whole frame cannot fit an mbuf (jumbo MTU near 64 KiB). */
		if (ad->max_frame + RTE_VLAN_HLEN + RTE_PKTMBUF_HEADROOM <= UINT16_MAX) {
			/* Unique per open: a pool kept past a close (ethdev_free)
			 * must not block the next open of the port. */
			snprintf(name, sizeof(name), "condis_bn%u_%u_%u", ad->port_id, i,
				 __atomic_fetch_add(&bounce_pools_made, 1, __ATOMIC_RELAXED));
			q->bounce = condis_bounce_pool_create(name, nb_txd + 2 * ETHDEV_BURST,
					(uint16_t)(ad->max_frame + RTE_VLAN_HLEN), socket);
			if (q->bounce == NULL)
				return -rte_errno;
		}
	}
	return 0;
}

struct condis_adapter *
condis_ethdev_open(const struct condis_ethdev_params *p)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct ethdev_adapter *ad;
	uint16_t mtu, nb_txq, i;
	int socket, rc;

	if (p == NULL || !rte_eth_dev_is_valid_port(p->port_id) ||
	    p->nb_tx_queues > CONDIS_ETHDEV_MAX_TXQ) {
		rte_errno = EINVAL;
		return NULL;
	}
	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0)
		goto fail;
	nb_txq = p->nb_tx_queues ? p->nb_tx_queues : 1;
	if (nb_txq > info.max_tx_queues) {
		rc = -EINVAL;
		goto fail;
	}
	socket = rte_eth_dev_socket_id(p->port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	ad = rte_zmalloc_socket("condis_ethdev", sizeof(*ad), CONDIS_TXQ_ALIGN, socket);
	if (ad == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	ad->magic = ETHDEV_MAGIC;
	ad->port_id = p->port_id;
	ad->nb_txq = nb_txq;
	ad->vlan_hw = want_vlan_hw(p);
	if (ad->vlan_hw && !(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_VLAN_INSERT)) {
		rc = -ENOTSUP;
		goto free_ad;
	}

	memset(&conf, 0, sizeof(conf));
	/* Never MBUF_FAST_FREE: carriers are external buffers from several pools (pitfall 7). */
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (ad->vlan_hw)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	/* Checksums the NBL slot asks for (spec 26): by the device where it can. */
	if (p->checksum_offload == CONDIS_CHECKSUM_OFFLOAD_AUTO) {
		conf.txmode.offloads |= info.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM);
		ad->csum_hw = csum_hw_of(conf.txmode.offloads);
	}
	/* Link changes by interrupt where the PMD has one (media indications). */
	conf.intr_conf.lsc = (*info.dev_flags & RTE_ETH_DEV_INTR_LSC) != 0;
	rc = rte_eth_dev_configure(p->port_id, p->rx_queue ? 1 : 0, nb_txq, &conf);
	if (rc != 0)
		goto free_ad;
	if (p->mtu != 0) {
		rc = rte_eth_dev_set_mtu(p->port_id, (uint16_t)p->mtu);
		if (rc != 0)
			goto free_ad;
	}
	if (p->rx_queue) {
		rc = setup_rx(ad, p->port_id, socket);
		if (rc != 0)
			goto free_ad;
	}
	if (rte_eth_dev_get_mtu(p->port_id, &mtu) != 0)
		mtu = RTE_ETHER_MTU;
	ad->max_frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN;
	ad->max_segs = (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ?
		RTE_MIN(info.tx_desc_lim.nb_seg_max, info.tx_desc_lim.nb_mtu_seg_max) : 1;
	if (ad->max_segs == 0)
		ad->max_segs = 1;
	rc = setup_txqs(ad, p, &info, conf.txmode.offloads, socket);
	if (rc != 0)
		goto free_rings;
	/* A frame must fit the held ring whole, or it could never be staged and
	 * would wedge its VC: more pieces complete INVALID_LENGTH (spec 59). */
	ad->max_segs = (uint16_t)RTE_MIN((uint32_t)ad->max_segs, ad->txq[0].held_mask + 1);
	if (!p->no_start) {
		rc = rte_eth_dev_start(p->port_id);
		if (rc != 0)
			goto free_rings;
		ad->started = true;
	}
	ad->adapter = condis_adapter_register(ad->vlan_hw ? &ethdev_ops_hw_tags :
					      &ethdev_ops_sw_tags, ad, nb_txq,
					      p->max_vcs ? p->max_vcs : DEFAULT_MAX_VCS);
	if (ad->adapter == NULL) {
		rc = -rte_errno;
		goto stop;
	}
	for (i = 0; i < nb_txq; i++)
		condis_adapter_set_queue_ctx(ad->adapter, i, &ad->txq[i]);
	{
		/* A port sends to the wire only: the library loops sends back (spec 83). */
		struct condis_adapter_general_attributes ga = {
			.medium = CONDIS_MEDIUM_802_3,
			.mac_options = CONDIS_MAC_OPTION_NO_LOOPBACK,
			.mtu_size = ad->max_frame - RTE_ETHER_HDR_LEN,
		};

		if (rte_eth_macaddr_get(p->port_id, &ga.current_mac) != 0)
			memset(&ga.current_mac, 0, sizeof(ga.current_mac));
		condis_adapter_set_general_attributes(ad->adapter, &ga);
	}
	{
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(p->port_id, &link) == 0)
			ad->link_up = link.link_status == RTE_ETH_LINK_UP;
		ad->txq[0].link_watch = true;
	}
	if (conf.intr_conf.lsc)
		ad->lsc = rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_LSC,
							ethdev_lsc_cb, ad) == 0;
	for (i = 0; p->owners && i < nb_txq; i++) {
		rc = condis_adapter_set_queue_owner(ad->adapter, i, p->owner_lcore[i]);
		if (rc != 0) {
			condis_adapter_close(ad->adapter);
			rte_errno = -rc;
			return NULL;
		}
	}
	ETHDEV_LOG(INFO, "port %u: %u txq, max frame %u, %u segs, vlan %s, checksums in hw 0x%x\n",
		   p->port_id, nb_txq, ad->max_frame, ad->max_segs, ad->vlan_hw ? "hw" : "sw",
		   ad->csum_hw);
	return ad->adapter;

stop:
	if (ad->started)
		rte_eth_dev_stop(p->port_id);
free_rings:
	for (nb_txq = 0; nb_txq < ad->nb_txq; nb_txq++) {
		condis_bounce_pool_release(ad->txq[nb_txq].bounce);
		rte_free(ad->txq[nb_txq].held_ring);
	}
	rte_mempool_free(ad->rx_pool);
free_ad:
	rte_free(ad);
fail:
	rte_errno = -rc;
	return NULL;
}

/* The ethdev context of adapter; NULL if it is none, or another miniport's. */
static const struct ethdev_adapter *
adapter_of(const struct condis_adapter *adapter)
{
	const struct ethdev_adapter *ad = adapter != NULL ? condis_adapter_ctx(adapter) : NULL;

	return ad != NULL && ad->magic == ETHDEV_MAGIC ? ad : NULL;
}

uint32_t
condis_ethdev_max_frame(const struct condis_adapter *adapter)
{
	const struct ethdev_adapter *ad = adapter_of(adapter);

	return ad != NULL ? ad->max_frame : 0;
}

uint16_t
condis_ethdev_max_segs(const struct condis_adapter *adapter)
{
	const struct ethdev_adapter *ad = adapter_of(adapter);

	return ad != NULL ? ad->max_segs : 0;
}

bool
condis_ethdev_vlan_hw(const struct condis_adapter *adapter)
{
	const struct ethdev_adapter *ad = adapter_of(adapter);

	return ad != NULL && ad->vlan_hw;
}

uint32_t
condis_ethdev_checksum_hw(const struct condis_adapter *adapter)
{
	const struct ethdev_adapter *ad = adapter_of(adapter);
	uint32_t r = 0;

	if (ad == NULL)
		return 0;
	r |= (ad->csum_hw & ETHDEV_CSUM_IP) ? CONDIS_ETHDEV_CSUM_HW_IPV4 : 0;
	r |= (ad->csum_hw & ETHDEV_CSUM_TCP) ? CONDIS_ETHDEV_CSUM_HW_TCP : 0;
	r |= (ad->csum_hw & ETHDEV_CSUM_UDP) ? CONDIS_ETHDEV_CSUM_HW_UDP : 0;
	return r;
}

int
condis_ethdev_queue_stats_get(const struct condis_adapter *adapter, uint16_t txq,
			      struct condis_ethdev_queue_stats *stats)
{
	const struct ethdev_adapter *ad;

	ad = adapter_of(adapter);
	if (ad == NULL || stats == NULL || txq >= ad->nb_txq)
		return -EINVAL;
	*stats = ad->txq[txq].stats;
	stats->backlog_nbls = condis_adapter_queue_backlog_nbls(adapter, txq);
	return 0;
}
