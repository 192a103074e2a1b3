/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen: sends NBL chains per VC through libcondis and the ethdev
 * miniport, and reports per-VC counts by status, rate and completion latency.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_bus.h>
#include <rte_dev.h>

#include <condis/condis.h>

#include "gen.h"
#include "rx.h"
#include "json.h"
#include "plot.h"
#include "ports.h"
#include "replay.h"

/* The first signal stops the run, which then reports and cleans up; the
 * handler resets, so a second one kills. */
static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	gen_stop = true;
}

static void
signals_catch(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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

/* Wait until the port reports link up, timeout_s passes, or a signal. */
bool
gen_wait_link(uint16_t port, double timeout_s)
{
	uint64_t end = rte_get_timer_cycles() + (uint64_t)(timeout_s * (double)rte_get_timer_hz());
	struct rte_eth_link link;

	do {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status == RTE_ETH_LINK_UP)
			return true;
		rte_delay_us_sleep(10000);
	} while (!gen_stop && rte_get_timer_cycles() < end);
	return false;
}

static uint32_t
link_speed(uint16_t port)
{
	struct rte_eth_link link = { 0 };

	if (rte_eth_link_get_nowait(port, &link) != 0)
		return RTE_ETH_SPEED_NUM_UNKNOWN;
	return link.link_status == RTE_ETH_LINK_UP ? link.link_speed : 0;
}

/* Why the speed a port reports does not count, or NULL. A virtual device
 * (net_null, net_pcap, net_ring, net_memif, net_af_packet, ...) reports a
 * constant its driver picked (net_null and net_pcap: 10 Gb/s), not a wire. */
static const char *
link_speed_fake(uint16_t port)
{
	struct rte_eth_dev_info info;
	const struct rte_bus *bus;

	if (rte_eth_dev_info_get(port, &info) != 0 || info.device == NULL)
		return NULL;
	bus = rte_dev_bus(info.device);
	if (bus != NULL && strcmp(rte_bus_name(bus), "vdev") == 0)
		return "a constant of its virtual device's driver, not a wire";
	return NULL;
}

/* The resolved rate, the wire size it counted, and how it is paced. */
static void
print_rate(const struct gen_options *opt)
{
	static const char *const layer[] = { "", " (L1)", " (L2)" };
	double wire = opt->rate_layer == GEN_L2 ? opt->wire_l2_bytes : opt->wire_l1_bytes;
	double nbl_pps = opt->rate_pps / opt->nbs_per_nbl;
	char b[32];

	printf("condis-gen: --rate %s: %.1f frames/s", opt->rate_text, opt->rate_pps);
	if (opt->rate_layer != GEN_PPS) {
		printf(" of %s bytes on the wire%s", gen_fmt_bytes(wire, b, sizeof(b)),
		       layer[opt->rate_layer]);
		if (opt->rate_link_pct > 0)
			printf(", %.15g%% of %.15g Mb/s", opt->rate_link_pct, opt->link_speed_mbps);
	}
	printf("\ncondis-gen: pacing %s, ", opt->pacing == GEN_PACE_POISSON ? "poisson" :
	       opt->burst != 0 ? "burst" : "smooth");
	if (opt->burst != 0)
		printf("chains of %u NBLs every %.3f us%s%s", opt->burst,
		       opt->burst / nbl_pps * 1e6 * opt->workers,
		       opt->pacing == GEN_PACE_POISSON ? " on average" : "",
		       opt->workers > 1 ? " per worker" : "");
	else
		printf("chains of %u..%u NBLs (from the rate)",
		       gen_pace_min_nbls(opt, nbl_pps / opt->workers), opt->nbls_per_chain);
	if (opt->pacing == GEN_PACE_POISSON)
		printf(", exponential gaps, seed %" PRIu64, opt->seed);
	printf("\n");
}

/* Sleep s seconds, or until a signal. */
static void
sleep_unless_stopped(double s)
{
	uint64_t end = rte_get_timer_cycles() + (uint64_t)(s * (double)rte_get_timer_hz());

	while (!gen_stop && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(10000);
}

int
main(int argc, char **argv)
{
	static struct gen_worker workers[GEN_MAX_WORKERS];
	static struct gen_port ports[GEN_MAX_PORTS];
	const struct condis_protocol_ops pops = {
		.co_send_complete_ex = gen_complete,
		.co_status = gen_status,
	};
	struct gen_options opt;
	struct rte_mempool *rx_pool = NULL; /* --rx-port on another port */
	struct condis_protocol *proto;
	struct gen_vc *vcs;
	char port_name[GEN_MAX_PORTS * RTE_ETH_NAME_MAX_LEN] = "?";
	uint32_t i, window, link_mbps = 0;
	uint16_t p;
	int app_first, rc;
	unsigned int w;

	gen_json_set_cmdline(argc, argv); /* copied: argv changes below */
	if (gen_eal_args(argc, argv, &app_first) != 0)
		return 1;
	/* Options first: --help, --version and bad values need no EAL. */
	argv[app_first] = argv[0];
	rc = gen_options_parse(&opt, argc - app_first, argv + app_first);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (opt.pcap_path != NULL && gen_replay_load(&opt) != 0)
		return 2;
	if (opt.vcs < opt.nb_ports) {
		fprintf(stderr, "condis-gen: %u VC(s) over %u ports: every port needs a VC (--vcs "
			"%u or more)\n", opt.vcs, opt.nb_ports, opt.nb_ports);
		return 2;
	}
	if (gen_json_open(&opt) != 0 || gen_plot_open(&opt) != 0)
		return 2;
	signals_catch();
	if (gen_eal_init() < 0) {
		fprintf(stderr, "condis-gen: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (!rte_eth_dev_is_valid_port(opt.port_id))
		rte_exit(2, "port %u does not exist: give a device (--vdev or -a)\n", opt.port_id);
	if (opt.workers > rte_lcore_count())
		rte_exit(2, "--workers %u needs %u lcores (EAL -l)%s\n", opt.workers, opt.workers,
			 opt.nb_ports > 1 && !opt.workers_given ? ": one per port by default" : "");
	gen_clock_init();
	if (opt.rx) {
		gen_json_port_snapshot(opt.port_id, link_speed_fake(opt.port_id));
		rc = gen_rx_main(&opt);
		rte_eal_cleanup();
		return rc;
	}

	/* A looped port receives on its own queue. */
	gen_ports_open(&opt, workers, ports, opt.rx_port == opt.port_id);
	gen_ports_names(&opt, ports, port_name, sizeof(port_name));
	if (opt.rx_port >= 0) {
		/* --rx-port: the first worker receives too, on the same clock. */
		if (!rte_eth_dev_is_valid_port((uint16_t)opt.rx_port))
			rte_exit(2, "--rx-port %d does not exist: give a device (--vdev or -a)\n",
				 opt.rx_port);
		if (opt.rx_port != opt.port_id &&
		    gen_rx_port_setup((uint16_t)opt.rx_port, opt.mtu, opt.rx_queues, &rx_pool) != 0)
			rte_exit(1, "cannot receive on --rx-port %d\n", opt.rx_port);
		workers[0].rx = gen_rx_create(opt.vcs);
		workers[0].rx_port = (uint16_t)opt.rx_port;
		if (workers[0].rx == NULL)
			rte_exit(1, "out of memory\n");
		if (opt.rx_check_headers)
			gen_rx_check_headers(workers[0].rx, &opt);
	}
	proto = condis_protocol_register("condis-gen", &pops);
	window = gen_ports_window(&opt);
	vcs = rte_zmalloc("gen_vcs", sizeof(*vcs) * opt.vcs, RTE_CACHE_LINE_SIZE);
	for (w = 0; w < opt.workers; w++) {
		workers[w].vcs = calloc(opt.vcs, sizeof(struct gen_vc *));
		if (workers[w].vcs == NULL || (opt.nb_phases != 0 &&
		    (workers[w].phase_stats = calloc(opt.nb_phases, sizeof(struct gen_phase_stats))) == NULL))
			rte_exit(1, "out of memory\n");
	}
	if (proto == NULL || vcs == NULL)
		rte_exit(1, "out of memory\n");
	for (i = 0; i < opt.vcs; i++) {
		struct gen_vc *gv = &vcs[i];
		struct gen_worker *wk = &workers[gen_vc_worker(&opt, i)];
		struct condis_call_params cp = { .tx_queue = wk->queue };
		uint16_t vid = 0;
		uint8_t prio = 0;

		gv->id = i;
		gv->worker = wk;
		gv->budget = opt.count;
		if (gen_vlan_lookup(&opt, i, &vid, &prio)) {
			/* --qinq: the tag is in the frame, inside the S-tag */
			gv->vlan_info = opt.qinq ? 0 : condis_8021q_info(vid, prio);
			cp.user_priority = prio;
		}
		gv->vc = condis_vc_create(proto, wk->adapter, gv);
		if (gv->vc == NULL || condis_vc_activate(gv->vc, &cp) != CONDIS_STATUS_SUCCESS)
			rte_exit(1, "cannot create/activate VC %u\n", i);
		wk->vcs[wk->nb_vcs++] = gv;
	}
	gen_ports_fill(&opt, workers, ports, window);
	gen_ports_numa_check(&opt, workers, ports);
	for (p = 0; p < opt.nb_ports; p++)
		if (opt.wait_link_s > 0 && !gen_wait_link(ports[p].id, opt.wait_link_s) && !gen_stop)
			printf("condis-gen: port %s: link still down after %.1f s, sending anyway\n",
			       ports[p].name, opt.wait_link_s);
	/* --rate N%: of the links together; one down or unknown, none known. */
	for (p = 0; p < opt.nb_ports; p++) {
		uint32_t mbps = link_speed(ports[p].id);

		if (mbps == 0 || mbps == UINT32_MAX) {
			link_mbps = mbps;
			break;
		}
		link_mbps += mbps;
	}
	if (opt.rate_link_pct > 0 &&
	    gen_rate_from_link(&opt, link_mbps, link_speed_fake(opt.port_id), port_name) != 0)
		rte_exit(2, "--rate %s: no link speed\n", opt.rate_text);
	gen_json_port_snapshot(opt.port_id, link_speed_fake(opt.port_id));
	printf("condis-gen: port%s %s, %u VC(s), %u worker(s), ", opt.nb_ports > 1 ? "s" : "",
	       port_name, opt.vcs, opt.workers);
	if (opt.pcap_path != NULL) {
		uint32_t lo = UINT32_MAX, hi = 0;

		for (w = 0; w < opt.workers; w++) {
			lo = RTE_MIN(lo, workers[w].window);
			hi = RTE_MAX(hi, workers[w].window);
		}
		printf("frames from --pcap, 1 NB/NBL, %u NBL/chain, %u..%u NBLs loaded per "
		       "worker, ", opt.nbls_per_chain, lo, hi);
	}
	else if (opt.phase_sizes)
		printf("frame sizes by phase (buffers of %u B), %u NB/NBL, %u NBL/chain, window %u "
		       "NBL/worker, ", opt.frame_size, opt.nbs_per_nbl, opt.nbls_per_chain, window);
	else
		printf("frame %u B (%u + FCS%s), %u NB/NBL, %u NBL/chain, window %u NBL/worker, ",
		       opt.frame_size, opt.frame_size - RTE_ETHER_CRC_LEN,
		       opt.qinq ? " + 8 B of QinQ tags" : "", opt.nbs_per_nbl, opt.nbls_per_chain,
		       window);
	if (opt.pcap_path != NULL && opt.pcap_loops != 0)
		printf("%" PRIu64 " pass(es) over the file\n", opt.pcap_loops);
	else if (opt.count != 0)
		printf("%" PRIu64 " frames per VC\n", opt.count);
	else if (opt.duration > 0)
		printf("%.1f s\n", opt.duration);
	else
		printf("until SIGINT\n");
	if (opt.pcap_path != NULL)
		gen_replay_print(&opt);
	else if (opt.rate_pps > 0)
		print_rate(&opt);
	if (opt.nb_ports > 1)
		printf("condis-gen: live counters: dpdk-telemetry.py -f %s (/condis/adapter,0 "
		       "to /condis/adapter,%u: one per port)\n", gen_eal_prefix(), opt.nb_ports - 1);
	else
		printf("condis-gen: live counters: dpdk-telemetry.py -f %s (/condis/adapter,0)\n",
		       gen_eal_prefix());
	fflush(stdout);

	if (gen_events_start(&opt, ports[0].adapter) != 0)
		rte_exit(1, "cannot start the --event thread\n");
	gen_stats_baseline(&opt);
	if (gen_stats_start(&opt, vcs, workers) != 0)
		rte_exit(1, "cannot start the --stats-period thread\n");
	gen_telemetry_register(&opt, workers, workers[0].rx);
	gen_workers_running = opt.workers;
	for (w = 1; w < opt.workers; w++)
		rte_eal_remote_launch(opt.pcap_path != NULL ? gen_replay_worker_main :
				      gen_worker_main, &workers[w], workers[w].lcore);
	if (opt.pcap_path != NULL)
		gen_replay_worker_main(&workers[0]);
	else
		gen_worker_main(&workers[0]);
	rte_eal_mp_wait_lcore();
	if (workers[0].rx != NULL)
		gen_rx_port_stats(workers[0].rx, workers[0].rx_port); /* before the close */
	gen_stats_stop();
	gen_report_port_snapshot(&opt);
	gen_report_phase_wire(&opt, workers);
	gen_events_join();

	/* Everything still held completes here (PAUSED: close pauses, then halts). */
	for (i = 0; i < opt.vcs; i++)
		condis_vc_deactivate(vcs[i].vc);
	if (opt.linger_s > 0 && all_completed(vcs, opt.vcs)) {
		/* Report first, then give the peer time to read a shared ring. */
		rc = gen_report(&opt, vcs, workers, port_name);
		fflush(stdout);
		sleep_unless_stopped(opt.linger_s);
		for (p = 0; p < opt.nb_ports; p++)
			condis_adapter_close(ports[p].adapter);
	} else {
		for (p = 0; p < opt.nb_ports; p++)
			condis_adapter_close(ports[p].adapter);
		rc = gen_report(&opt, vcs, workers, port_name);
	}

	gen_telemetry_stop();
	for (w = 0; w < opt.workers; w++) {
		free(workers[w].vcs);
		free(workers[w].phase_stats);
	}
	rte_free(vcs);
	gen_rx_free(workers[0].rx);
	if (rx_pool != NULL) {
		rte_eth_dev_stop((uint16_t)opt.rx_port);
		rte_eth_dev_close((uint16_t)opt.rx_port);
		rte_mempool_free(rx_pool);
	}
	condis_protocol_deregister(proto);
	gen_ports_free(&opt, workers, ports);
	gen_replay_free();
	rte_eal_cleanup();
	return rc;
}
