/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ports of --port-id: worker w sends on port w % K (K ports), its TX
 * queue w / K, from NBLs of its port's pools, allocated on the port's NUMA
 * node (where its DMA goes). libnuma then says where the pages really are:
 * without hugepages (--no-huge) DPDK's memory is the kernel's to place, and
 * a socket id asked for is not one kept.
 */
#include <stdio.h>

#include <numa.h>
#include <numaif.h>

#include <rte_errno.h>
#include <rte_lcore.h>

#include <condis/condis_ethdev.h>

#include "ports.h"
#include "replay.h"

static struct condis_adapter *
port_open(const struct gen_options *opt, const struct gen_port *port,
	  struct condis_ethdev_params *ep)
{
	struct condis_adapter *adapter = condis_ethdev_open(ep);
	struct rte_eth_dev_info info;
	uint32_t max;

	if (adapter == NULL) {
		int err = rte_errno;

		if (opt->mtu != 0 && rte_eth_dev_info_get(port->id, &info) == 0)
			rte_exit(2, "cannot open port %s with --mtu %u: %s (the port takes "
				 "%u..%u)\n", port->name, opt->mtu, rte_strerror(err),
				 info.min_mtu, info.max_mtu);
		rte_exit(1, "cannot open port %s: %s\n", port->name, rte_strerror(err));
	}
	/* Refused here, before a single NBL completes INVALID_LENGTH. */
	max = condis_ethdev_max_frame(adapter);
	if (opt->pcap_path != NULL && gen_frame_len(opt) > max)
		rte_exit(2, "--pcap %s has frames of up to %u bytes (without FCS): port %s's MTU "
			 "%u allows %u; raise it with --mtu %u\n", opt->pcap_path,
			 gen_frame_len(opt), port->name, max - RTE_ETHER_HDR_LEN, max,
			 gen_frame_len(opt) - RTE_ETHER_HDR_LEN);
	/* Tags in the frame count (the miniport's length check sees them). The
	 * largest size may be a phase's or a sweep step's. */
	if (gen_frame_len(opt) > max)
		rte_exit(2, "frames of %u bytes incl. FCS%s (--frame-size, or a --phase or "
			 "--sweep size) do not fit port %s: its MTU %u allows --frame-size up to "
			 "%u; raise it with --mtu %u, or send smaller frames\n",
			 opt->frame_size, opt->qinq ? " and --qinq's 8 bytes of tags" : "",
			 port->name, max - RTE_ETHER_HDR_LEN,
			 max + RTE_ETHER_CRC_LEN - gen_frame_len(opt) + opt->frame_size -
			 RTE_ETHER_CRC_LEN, gen_frame_len(opt) - RTE_ETHER_HDR_LEN);
	return adapter;
}

void
gen_ports_open(const struct gen_options *opt, struct gen_worker *workers,
	       struct gen_port *ports, bool rx_queue)
{
	unsigned int lcore = rte_get_main_lcore();
	uint16_t k = opt->nb_ports, p, w;

	for (p = 0; p < k; p++) {
		ports[p].id = opt->ports[p];
		if (!rte_eth_dev_is_valid_port(ports[p].id))
			rte_exit(2, "port %u does not exist: give a device (--vdev or -a)\n",
				 ports[p].id);
		rte_eth_dev_get_name_by_port(ports[p].id, ports[p].name);
		ports[p].socket = rte_eth_dev_socket_id(ports[p].id);
		ports[p].nb_workers = (uint16_t)(opt->workers / k);
	}
	for (w = 0; w < opt->workers; w++) {
		workers[w].lcore = lcore;
		workers[w].index = w;
		workers[w].port_idx = (uint16_t)(w % k);
		workers[w].queue = (uint16_t)(w / k);
		workers[w].opt = opt;
		gen_latency_init(&workers[w].lat);
		lcore = rte_get_next_lcore(lcore, 1, 0);
	}
	for (p = 0; p < k; p++) {
		struct condis_ethdev_params ep = {
			.port_id = ports[p].id,
			.rx_queue = rx_queue && p == 0,
			.nb_tx_queues = ports[p].nb_workers,
			.nb_tx_desc = opt->nb_txd,
			.max_vcs = opt->vcs,
			.mtu = opt->mtu,
			.owners = true,
		};

		for (w = p; w < opt->workers; w += k)
			ep.owner_lcore[workers[w].queue] = workers[w].lcore;
		ports[p].adapter = port_open(opt, &ports[p], &ep);
		for (w = p; w < opt->workers; w += k)
			workers[w].adapter = ports[p].adapter;
	}
}

uint32_t
gen_ports_window(const struct gen_options *opt)
{
	uint32_t w = opt->window;

	if (w == 0)
		w = (opt->nb_txd + 2 * opt->nbls_per_chain * opt->nbs_per_nbl +
		     opt->nbs_per_nbl - 1) / opt->nbs_per_nbl;
	return RTE_MAX(w, opt->nbls_per_chain);
}

static int
pools_create(const struct gen_options *opt, struct gen_port *port, uint32_t nbls)
{
	uint32_t nbs = nbls * opt->nbs_per_nbl;
	char nbl_name[32], nb_name[32], mdl_name[32];
	struct condis_nbl_pool_params nblp = {
		.name = nbl_name, .count = nbls, .socket_id = port->socket,
	};
	struct condis_nb_pool_params nbp = {
		.name = nb_name, .count = nbs, .socket_id = port->socket,
	};
	/* Each worker sends its own window's MDLs on its own queue only: the
	 * single-queue promise spares the atomic claim per frame. */
	struct condis_mdl_pool_params mdlp = {
		.name = mdl_name, .count = nbs,
		/* A replay's frames start at offset 0 (replay.c); --zero-copy's
		 * are protocol memory, the carriers need no data room. */
		.data_size = opt->zero_copy ? 0 : (uint16_t)(gen_frame_len(opt) +
					(opt->pcap_path != NULL ? 0 : STAMP_ALIGN_OFFSET)),
		.socket_id = port->socket, .flags = CONDIS_MDL_POOL_F_SINGLE_QUEUE,
	};
	int err;

	snprintf(nbl_name, sizeof(nbl_name), "gen_nbl_%u", port->id);
	snprintf(nb_name, sizeof(nb_name), "gen_nb_%u", port->id);
	snprintf(mdl_name, sizeof(mdl_name), "gen_mdl_%u", port->id);
	port->nbls = condis_nbl_pool_create(&nblp);
	port->nbs = port->nbls != NULL ? condis_nb_pool_create(&nbp) : NULL;
	port->mdls = port->nbs != NULL ? condis_mdl_pool_create(&mdlp) : NULL;
	if (port->mdls != NULL)
		return 0;
	err = rte_errno;
	condis_nb_pool_free(port->nbs);
	condis_nbl_pool_free(port->nbls);
	port->nbs = NULL;
	port->nbls = NULL;
	rte_errno = err;
	return -err;
}

/* A frame's buffer: pool data, or --zero-copy's protocol memory. */
static struct condis_mdl *
frame_mdl(const struct gen_options *opt, struct gen_port *port, uint32_t len)
{
	rte_iova_t iova;
	void *va;

	if (!opt->zero_copy)
		return condis_mdl_alloc_data(port->mdls, len);
	va = gen_protomem_take(&port->mem, len, &iova);
	if (va == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	return condis_mdl_alloc_ext(port->mdls, va, iova, len);
}

/* Preallocate a worker's window: NBLs with their NBs and frame data (spec 50). */
static int
window_fill(const struct gen_options *opt, struct gen_port *port, struct gen_worker *gw,
	    uint32_t window)
{
	uint32_t len = gen_frame_len(opt), i, j;

	gw->window = window;
	for (i = 0; i < window; i++) {
		struct condis_nbl *nbl = condis_nbl_alloc(port->nbls);
		struct condis_nb **tailp;

		if (nbl == NULL)
			return -rte_errno;
		tailp = &nbl->first_nb;
		for (j = 0; j < opt->nbs_per_nbl; j++) {
			struct condis_mdl *mdl = frame_mdl(opt, port, len + STAMP_ALIGN_OFFSET);
			struct condis_nb *nb = mdl ? condis_nb_alloc(port->nbs, mdl,
						STAMP_ALIGN_OFFSET, len) : NULL;

			if (nb == NULL)
				return -rte_errno;
			gen_frame_write(opt, 0, condis_nb_first_byte(nb));
			nb->protocol_reserved[GEN_NB_FRAME] = condis_nb_first_byte(nb);
			*tailp = nb;
			tailp = &nb->next;
		}
		nbl->protocol_reserved[GEN_NBL_FRAME] = nbl->first_nb->protocol_reserved[GEN_NB_FRAME];
		nbl->protocol_reserved[GEN_NBL_CUT] = NULL;
		nbl->next = gw->free_head;
		gw->free_head = nbl;
		gw->nb_free++;
	}
	return 0;
}

static void
window_free(struct gen_worker *gw)
{
	while (gw->free_head != NULL) {
		struct condis_nbl *nbl = gw->free_head;
		struct condis_nb *nb = nbl->first_nb, *next;

		gw->free_head = nbl->next;
		gw->nb_free--;
		for (; nb != NULL; nb = next) {
			next = nb->next;
			condis_mdl_free(nb->mdl_chain);
			condis_nb_free(nb);
		}
		nbl->first_nb = NULL;
		condis_nbl_free(nbl);
	}
}

void
gen_ports_fill(const struct gen_options *opt, struct gen_worker *workers,
	       struct gen_port *ports, uint32_t window)
{
	uint16_t k = opt->nb_ports, p, w;
	int rc;

	for (p = 0; p < k; p++) {
		uint64_t nbls = 0;

		for (w = p; w < opt->workers; w += k)
			nbls += opt->pcap_path != NULL ? gen_replay_worker_nbls(opt, w, window) :
							 window;
		if (nbls > UINT32_MAX / opt->nbs_per_nbl)
			rte_exit(1, "--pcap %s: %" PRIu64 " NBLs are too many: fewer --workers, or "
				 "a shorter file\n", opt->pcap_path, nbls);
		if (pools_create(opt, &ports[p], (uint32_t)nbls) == 0)
			continue;
		if (opt->pcap_path != NULL)
			rte_exit(1, "cannot allocate %" PRIu64 " NBLs of up to %u bytes for --pcap "
				 "%s (its frames, copied to fill each worker's window of %u) in "
				 "the EAL's memory: give more (-m): %s\n", nbls,
				 gen_frame_len(opt), opt->pcap_path, window,
				 rte_strerror(rte_errno));
		rte_exit(1, "cannot allocate pools of %" PRIu64 " NBLs and %" PRIu64 " NBs for port "
			 "%s (--window %u x %u workers x --nbs-per-nbl %u) in the EAL's memory "
			 "(-m): %s\n", nbls, nbls * opt->nbs_per_nbl, ports[p].name, window,
			 ports[p].nb_workers, opt->nbs_per_nbl, rte_strerror(rte_errno));
	}
	for (p = 0; p < k && opt->zero_copy; p++) {
		struct gen_port *port = &ports[p];
		size_t frame = RTE_ALIGN_CEIL(gen_frame_len(opt) + STAMP_ALIGN_OFFSET,
					      RTE_CACHE_LINE_SIZE);
		size_t bytes = (size_t)port->nb_workers * window * opt->nbs_per_nbl * frame;

		if (gen_protomem_create(&port->mem, bytes, port->socket, port->id, port->name) != 0)
			rte_exit(1, "--zero-copy: no protocol memory for port %s\n", port->name);
	}
	for (w = 0; w < opt->workers; w++) {
		struct gen_port *port = &ports[workers[w].port_idx];

		rc = opt->pcap_path != NULL ?
		     gen_replay_fill(&workers[w], port->nbls, port->nbs, port->mdls, window) :
		     window_fill(opt, port, &workers[w], window);
		if (rc != 0)
			rte_exit(1, "cannot preallocate NBLs: %s\n", rte_strerror(-rc));
	}
	for (p = 0; p < k && opt->zero_copy; p++) {
		const struct gen_port *port = &ports[p];
		char node[48];

		if (port->socket >= 0)
			snprintf(node, sizeof(node), "NUMA node %d (the port's)", port->socket);
		else
			snprintf(node, sizeof(node), "the local NUMA node (the port has none)");
		printf("condis-gen: port %s: frames in protocol memory (zero-copy MDLs): %zu of "
		       "%zu bytes on %s, registered with DPDK, DMA map: %s\n", port->name,
		       port->mem.used, port->mem.len, node, gen_protomem_dma_text(&port->mem));
	}
}

/* The NUMA node of the page at p, or -1 when the kernel cannot say. */
static int
page_node(const void *p)
{
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)4095);
	int status = -1;

	if (numa_move_pages(0, 1, &page, NULL, &status, 0) != 0 || status < 0)
		return -1;
	return status;
}

/* A frame of the worker's window: its first NBL's (built or loaded). */
static const void *
window_frame(const struct gen_worker *w)
{
	const struct condis_nbl *nbl = w->rp_slots != NULL ? w->rp_slots[0].nbl : w->free_head;

	return nbl != NULL && nbl->first_nb != NULL ? condis_nb_first_byte(nbl->first_nb) : NULL;
}

void
gen_ports_numa_check(const struct gen_options *opt, const struct gen_worker *workers,
		     const struct gen_port *ports)
{
	uint16_t w;

	if (numa_available() < 0)
		return;
	for (w = 0; w < opt->workers; w++) {
		const struct gen_port *port = &ports[workers[w].port_idx];
		int lnode = (int)rte_lcore_to_socket_id(workers[w].lcore);
		const void *frame = window_frame(&workers[w]);
		int mnode = frame != NULL ? page_node(frame) : -1;

		if (port->socket == SOCKET_ID_ANY)
			continue; /* a virtual device: no node of its own */
		if (lnode != port->socket)
			printf("condis-gen: warning: worker %u (lcore %u) runs on NUMA node %d, "
			       "its port %s sits on node %d: every frame crosses the "
			       "interconnect; give lcores of node %d (EAL -l)\n", w,
			       workers[w].lcore, lnode, port->name, port->socket, port->socket);
		if (mnode >= 0 && mnode != port->socket)
			printf("condis-gen: warning: worker %u's frames are in memory of NUMA "
			       "node %d, its port %s sits on node %d: give the EAL hugepages "
			       "on node %d (--socket-mem)\n", w, mnode, port->name,
			       port->socket, port->socket);
	}
}

void
gen_ports_free(const struct gen_options *opt, struct gen_worker *workers,
	       struct gen_port *ports)
{
	uint16_t p, w;

	for (w = 0; w < opt->workers; w++) {
		if (opt->pcap_path != NULL)
			gen_replay_worker_free(&workers[w]);
		else
			window_free(&workers[w]);
	}
	for (p = 0; p < opt->nb_ports; p++) {
		condis_nbl_pool_free(ports[p].nbls);
		condis_nb_pool_free(ports[p].nbs);
		condis_mdl_pool_free(ports[p].mdls);
		gen_protomem_destroy(&ports[p].mem); /* its MDLs are back: before the device goes */
		rte_eth_dev_close(ports[p].id);
	}
}

const char *
gen_ports_names(const struct gen_options *opt, const struct gen_port *ports, char *buf,
		size_t len)
{
	size_t n = 0;
	uint16_t p;

	buf[0] = '\0';
	for (p = 0; p < opt->nb_ports && n < len; p++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", p ? "," : "", ports[p].name);
	return buf;
}
