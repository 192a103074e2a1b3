/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen: sends NBL chains per VC through libcondis and the ethdev
 * miniport, and reports per-VC counts by status, rate and completion latency.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "gen.h"

/* --file-prefix of the embedded default, shown for dpdk-telemetry.py -f. */
static char prefix[64];

/* The embedded default: a virtual device, no NIC, no hugepages. */
static const char *const default_eal[] = {
	"-l", "0", "--no-huge", "-m", "512", "--no-pci", "--vdev", "net_null0",
	"--log-level=lib.eal:error", "--log-level=lib.telemetry:error",
};

struct gen_pools {
	struct condis_nbl_pool *nbls;
	struct condis_nb_pool *nbs;
	struct condis_mdl_pool *mdls;
};

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	gen_stop = true;
}

/* Build the EAL argv: the user's part before "--", or the embedded default. */
static int
split_args(int argc, char **argv, char ***eal_argv, int *eal_argc, int *app_first)
{
	int i, sep = -1;
	char **v;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	if (sep > 1) {
		*eal_argv = argv;
		*eal_argc = sep;
		*app_first = sep;
		return 0;
	}
	/* --in-memory refuses --no-huge -m, so a per-process prefix keeps runs apart. */
	v = calloc(RTE_DIM(default_eal) + 3, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v[0] = argv[0];
	for (i = 0; i < (int)RTE_DIM(default_eal); i++)
		v[i + 1] = (char *)(uintptr_t)default_eal[i];
	snprintf(prefix, sizeof(prefix), "--file-prefix=condis-gen-%d", (int)getpid());
	v[i + 1] = prefix;
	*eal_argv = v;
	*eal_argc = (int)RTE_DIM(default_eal) + 2;
	*app_first = sep == 1 ? 1 : 0;
	return 0;
}

static bool
all_completed(const struct gen_vc *vcs, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (vcs[i].completed != vcs[i].nbls_sent)
			return false;
	return true;
}

/* Wait until the port reports link up, or timeout_s passes. */
static bool
wait_link(uint16_t port, double timeout_s)
{
	uint64_t end = rte_get_timer_cycles() + (uint64_t)(timeout_s * (double)rte_get_timer_hz());
	struct rte_eth_link link;

	do {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status == RTE_ETH_LINK_UP)
			return true;
		rte_delay_us_sleep(10000);
	} while (rte_get_timer_cycles() < end);
	return false;
}

/* NBLs per worker: enough to fill the descriptor ring and have a chain in
 * hand, so a real NIC never starves for want of NBLs. */
static uint32_t
auto_window(const struct gen_options *opt)
{
	uint32_t w = opt->window;

	if (w == 0)
		w = (opt->nb_txd + 2 * opt->nbls_per_chain * opt->nbs_per_nbl +
		     opt->nbs_per_nbl - 1) / opt->nbs_per_nbl;
	return RTE_MAX(w, opt->nbls_per_chain);
}

static int
pools_create(const struct gen_options *opt, uint32_t window, struct gen_pools *p)
{
	uint32_t nbls = opt->workers * window, nbs = nbls * opt->nbs_per_nbl;
	int socket = rte_eth_dev_socket_id(opt->port_id);
	struct condis_nbl_pool_params nblp = {
		.name = "gen_nbl", .count = nbls, .socket_id = socket,
	};
	struct condis_nb_pool_params nbp = { .name = "gen_nb", .count = nbs, .socket_id = socket };
	struct condis_mdl_pool_params mdlp = {
		.name = "gen_mdl", .count = nbs,
		.data_size = (uint16_t)(gen_frame_len(opt) + STAMP_ALIGN_OFFSET),
		.socket_id = socket,
	};

	p->nbls = condis_nbl_pool_create(&nblp);
	p->nbs = condis_nb_pool_create(&nbp);
	p->mdls = condis_mdl_pool_create(&mdlp);
	return p->nbls && p->nbs && p->mdls ? 0 : -rte_errno;
}

/* Preallocate a worker's window: NBLs with their NBs and frame data (spec 50). */
static int
worker_fill_window(const struct gen_options *opt, const struct gen_pools *p,
		   struct gen_worker *gw, uint32_t window)
{
	uint32_t len = gen_frame_len(opt), i, j;

	gw->window = window;
	for (i = 0; i < window; i++) {
		struct condis_nbl *nbl = condis_nbl_alloc(p->nbls);
		struct condis_nb **tailp;

		if (nbl == NULL)
			return -rte_errno;
		tailp = &nbl->first_nb;
		for (j = 0; j < opt->nbs_per_nbl; j++) {
			struct condis_mdl *mdl = condis_mdl_alloc_data(p->mdls,
								len + STAMP_ALIGN_OFFSET);
			struct condis_nb *nb = mdl ? condis_nb_alloc(p->nbs, mdl,
						STAMP_ALIGN_OFFSET, len) : NULL;

			if (nb == NULL)
				return -rte_errno;
			gen_frame_write(opt, 0, condis_nb_first_byte(nb));
			nb->protocol_reserved[GEN_NB_FRAME] = condis_nb_first_byte(nb);
			*tailp = nb;
			tailp = &nb->next;
		}
		nbl->protocol_reserved[GEN_NBL_FRAME] = nbl->first_nb->protocol_reserved[GEN_NB_FRAME];
		nbl->next = gw->free_head;
		gw->free_head = nbl;
		gw->nb_free++;
	}
	return 0;
}

static void
worker_free_window(struct gen_worker *gw)
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

int
main(int argc, char **argv)
{
	static struct gen_worker workers[GEN_MAX_WORKERS];
	struct condis_ethdev_params ep = { 0 };
	const struct condis_protocol_ops pops = { .co_send_complete = gen_complete };
	struct gen_options opt;
	struct gen_pools pools = { 0 };
	struct condis_protocol *proto;
	struct condis_adapter *adapter;
	struct gen_vc *vcs;
	char port_name[RTE_ETH_NAME_MAX_LEN] = "?";
	char **eal_argv;
	int eal_argc, app_first, rc;
	unsigned int lcore, w;
	uint32_t i, window;

	if (split_args(argc, argv, &eal_argv, &eal_argc, &app_first) != 0)
		return 1;
	/* --help needs no EAL. */
	for (rc = app_first + 1; rc < argc; rc++)
		if (strcmp(argv[rc], "--help") == 0) {
			gen_usage(argv[0]);
			return 0;
		}
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "condis-gen: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argv[app_first] = argv[0];
	rc = gen_options_parse(&opt, argc - app_first, argv + app_first);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (!rte_eth_dev_is_valid_port(opt.port_id))
		rte_exit(2, "port %u does not exist: give a device (--vdev or -a)\n", opt.port_id);
	if (opt.workers > rte_lcore_count())
		rte_exit(2, "--workers %u needs %u lcores (EAL -l)\n", opt.workers, opt.workers);
	rte_eth_dev_get_name_by_port(opt.port_id, port_name);
	gen_clock_init();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (opt.rx) {
		rc = gen_rx_main(&opt);
		rte_eal_cleanup();
		return rc;
	}

	ep.port_id = opt.port_id;
	ep.nb_tx_queues = opt.workers;
	ep.nb_tx_desc = opt.nb_txd;
	ep.max_vcs = opt.vcs;
	ep.owners = true;
	lcore = rte_get_main_lcore();
	for (w = 0; w < opt.workers; w++) {
		workers[w].lcore = lcore;
		workers[w].queue = (uint16_t)w;
		workers[w].opt = &opt;
		ep.owner_lcore[w] = lcore;
		gen_latency_init(&workers[w].lat);
		lcore = rte_get_next_lcore(lcore, 1, 0);
	}
	adapter = condis_ethdev_open(&ep);
	if (adapter == NULL)
		rte_exit(1, "cannot open port %u: %s\n", opt.port_id, rte_strerror(rte_errno));
	for (w = 0; w < opt.workers; w++)
		workers[w].adapter = adapter;
	proto = condis_protocol_register("condis-gen", &pops);
	window = auto_window(&opt);
	vcs = rte_zmalloc("gen_vcs", sizeof(*vcs) * opt.vcs, RTE_CACHE_LINE_SIZE);
	for (w = 0; w < opt.workers; w++)
		workers[w].vcs = calloc(opt.vcs, sizeof(struct gen_vc *));
	if (proto == NULL || vcs == NULL || pools_create(&opt, window, &pools) != 0)
		rte_exit(1, "cannot allocate pools: %s\n", rte_strerror(rte_errno));

	for (i = 0; i < opt.vcs; i++) {
		struct gen_vc *gv = &vcs[i];
		struct gen_worker *wk = &workers[i % opt.workers];
		struct condis_call_params cp = { .tx_queue = wk->queue };
		uint16_t vid = 0;
		uint8_t prio = 0;

		gv->id = i;
		gv->worker = wk;
		gv->budget = (opt.count + opt.nbs_per_nbl - 1) / opt.nbs_per_nbl * opt.nbs_per_nbl;
		if (gen_vlan_lookup(&opt, i, &vid, &prio)) {
			gv->vlan_info = condis_8021q_info(vid, prio);
			cp.user_priority = prio;
		}
		gv->vc = condis_vc_create(proto, adapter, gv);
		if (gv->vc == NULL || condis_vc_activate(gv->vc, &cp) != CONDIS_STATUS_SUCCESS)
			rte_exit(1, "cannot create/activate VC %u\n", i);
		wk->vcs[wk->nb_vcs++] = gv;
	}
	for (w = 0; w < opt.workers; w++) {
		rc = worker_fill_window(&opt, &pools, &workers[w], window);
		if (rc != 0)
			rte_exit(1, "cannot preallocate NBLs: %s\n", rte_strerror(-rc));
	}
	if (opt.wait_link_s > 0 && !wait_link(opt.port_id, opt.wait_link_s))
		printf("condis-gen: port %s: link still down after %.1f s, sending anyway\n",
		       port_name, opt.wait_link_s);
	printf("condis-gen: port %s, %u VC(s), %u worker(s), frame %u B (%u + FCS), %u NB/NBL, "
	       "%u NBL/chain, window %u NBL/worker, ", port_name, opt.vcs, opt.workers,
	       opt.frame_size, gen_frame_len(&opt), opt.nbs_per_nbl, opt.nbls_per_chain, window);
	if (opt.count != 0)
		printf("%" PRIu64 " frames per VC\n", opt.count);
	else
		printf("%.1f s\n", opt.duration);
	if (prefix[0] != '\0')
		printf("condis-gen: live counters: dpdk-telemetry.py -f %s (/condis/adapter,0)\n",
		       prefix + strlen("--file-prefix="));
	fflush(stdout);

	for (w = 1; w < opt.workers; w++)
		rte_eal_remote_launch(gen_worker_main, &workers[w], workers[w].lcore);
	gen_worker_main(&workers[0]);
	rte_eal_mp_wait_lcore();

	/* Everything still held completes here (REQUEST_ABORTED if it never left). */
	for (i = 0; i < opt.vcs; i++)
		condis_vc_deactivate(vcs[i].vc);
	if (opt.linger_s > 0 && all_completed(vcs, opt.vcs)) {
		/* Report first, then give the peer time to read a shared ring. */
		gen_report(&opt, vcs, workers, port_name);
		fflush(stdout);
		rte_delay_us_sleep((unsigned int)(opt.linger_s * 1e6));
		condis_adapter_close(adapter);
	} else {
		condis_adapter_close(adapter);
		gen_report(&opt, vcs, workers, port_name);
	}

	for (w = 0; w < opt.workers; w++)
		worker_free_window(&workers[w]);
	condis_nbl_pool_free(pools.nbls);
	condis_nb_pool_free(pools.nbs);
	condis_mdl_pool_free(pools.mdls);
	condis_protocol_deregister(proto);
	rte_eth_dev_close(opt.port_id);
	rte_eal_cleanup();
	return 0;
}
