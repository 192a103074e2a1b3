/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive/verify mode (--rx): receive on the port and check condis-gen
 * frames per VC (rx.h). Its exit status is the verdict: 1 on no frame, a
 * foreign VC id, or a VC that lost, repeated or reordered frames.
 */
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "gen.h"
#include "json.h"
#include "plot.h"
#include "rx.h"

int
gen_rx_main(const struct gen_options *opt)
{
	uint64_t hz = (uint64_t)gen_tsc_hz(), start, last_rx, now, end, stamped = 0;
	uint64_t idle = (uint64_t)(opt->rx_idle_s * (double)hz);
	struct rte_mempool *mp;
	const char *failure;
	struct gen_json *j;
	struct gen_rx *rx;
	double secs;
	uint32_t i;
	uint16_t q;

	rx = gen_rx_create(opt->vcs);
	if (rx == NULL || gen_rx_port_setup(opt->port_id, opt->mtu, opt->rx_queues, &mp) != 0) {
		gen_rx_free(rx);
		return 1;
	}
	if (opt->rx_check_headers)
		gen_rx_check_headers(rx, opt);
	gen_telemetry_register(opt, NULL, rx);
	/* --count: the sender's frames per VC, so tail loss shows. */
	for (i = 0; i < opt->vcs && opt->count != 0; i++)
		gen_rx_expect(rx, i, opt->count, 0);
	/* A receiver started before its peer waits for the link, then idles. */
	if (opt->wait_link_s > 0 && !gen_wait_link(opt->port_id, opt->wait_link_s) && !gen_stop)
		printf("condis-gen: port %u: link still down after %.1f s, receiving anyway\n",
		       opt->port_id, opt->wait_link_s);
	gen_json_port_snapshot(opt->port_id, NULL); /* started: its link now */
	printf("condis-gen: receiving on port %u, %u VC(s); stops on SIGINT", opt->port_id, opt->vcs);
	if (opt->rx_idle_s > 0)
		printf(", after %.1f s without a condis-gen frame", opt->rx_idle_s);
	if (opt->duration > 0)
		printf(", after %.1f s", opt->duration);
	printf("\n");
	fflush(stdout);
	start = last_rx = rte_rdtsc();
	end = opt->duration > 0 ? start + (uint64_t)(opt->duration * (double)hz) : UINT64_MAX;
	for (now = start; !gen_stop && now < end; now = rte_rdtsc()) {
		for (q = 0; q < opt->rx_queues; q++)
			gen_rx_poll(rx, opt->port_id, q);
		/* Only condis-gen frames reset the idle clock: a port that
		 * delivers other traffic (net_null: endless) must still stop. */
		if (gen_rx_stamped(rx) != stamped) {
			stamped = gen_rx_stamped(rx);
			last_rx = now;
		} else if (idle != 0 && now - last_rx > idle) {
			break;
		}
	}
	gen_rx_port_stats(rx, opt->port_id);
	secs = gen_rx_secs(rx);
	failure = gen_rx_report(rx, "condis-gen --rx", opt->per_vc, secs);
	gen_plot_finish(opt, NULL, 1.0, gen_rx_latency(rx), NULL, 0);
	j = gen_json_begin(opt, "rx");
	if (j != NULL) {
		gen_rx_json(j, rx, secs);
		gen_json_close(failure != NULL, failure);
	}
	gen_telemetry_stop();
	rte_eth_dev_stop(opt->port_id);
	rte_eth_dev_close(opt->port_id);
	rte_mempool_free(mp);
	gen_rx_free(rx);
	return failure != NULL;
}
