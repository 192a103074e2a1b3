/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Functional: link changes reach the protocols (MEDIA_DISCONNECT and
 * MEDIA_CONNECT through co_status) from DPDK's link-state interrupt, over a
 * net_tap port whose kernel interface the test takes down and up with ip(8).
 * Needs root and net_tap: skips otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"
#include "tutil.h"

#define TAP_VDEV "net_tap_clnk"

/* The tap's kernel name, per process: the plain and owner runs go in parallel. */
static char tap_iface[16];

static struct condis_protocol *proto;

/* Poll until cond or about two seconds. */
#define POLL_UNTIL(ad, cond) do { \
	uint64_t end_ = rte_get_timer_cycles() + 2 * rte_get_timer_hz(); \
	while (!(cond) && rte_get_timer_cycles() < end_) { \
		tu_poll_all(ad); \
		rte_delay_us_sleep(1000); \
	} \
} while (0)

/* ip link set dev <the tap> up|down */
static int
link_set(const char *state)
{
	char cmd[80];

	snprintf(cmd, sizeof(cmd), "ip link set dev %s %s", tap_iface, state);
	return system(cmd);
}

static void
need_tap(void)
{
	char devargs[64];

	if (geteuid() != 0)
		SKIP("needs root (net_tap, ip link)");
	if (system("command -v ip >/dev/null 2>&1") != 0)
		SKIP("no ip(8) (apt-get install iproute2)");
	snprintf(tap_iface, sizeof(tap_iface), "cdlnk%u", (unsigned int)getpid() % 1000000u);
	snprintf(devargs, sizeof(devargs), TAP_VDEV ",iface=%s", tap_iface);
	if (rte_dev_probe(devargs) != 0)
		SKIP("cannot create a net_tap port (no /dev/net/tun or no net_tap driver)");
}

/* Link down and up on the tap's kernel side: one indication each, per VC. */
static void
test_link_indications(void)
{
	struct condis_ethdev_params p = { .nb_tx_queues = 1, .rx_queue = true };
	struct condis_adapter *ad;
	struct tu_vc tv[2];

	tu_reset();
	CHECK_EQ(rte_eth_dev_get_port_by_name(TAP_VDEV, &p.port_id), 0);
	ad = tu_ethdev_open(&p); /* net_tap wants as many RX queues as TX queues */
	CHECK(ad != NULL);
	CHECK(tu_vc_up(&tv[0], 0, proto, ad, 0));
	CHECK(tu_vc_up(&tv[1], 1, proto, ad, 0));
	CHECK_EQ(link_set("up"), 0);
	POLL_UNTIL(ad, tv[0].media_connects > 0); /* the interface may have come up at start */
	tv[0].media_connects = tv[1].media_connects = 0;
	CHECK_EQ(link_set("down"), 0);
	POLL_UNTIL(ad, tv[1].media_disconnects > 0);
	CHECK_EQ(tv[0].media_disconnects, 1);
	CHECK_EQ(tv[1].media_disconnects, 1);
	CHECK_EQ(link_set("up"), 0);
	POLL_UNTIL(ad, tv[1].media_connects > 0);
	CHECK_EQ(tv[0].media_connects, 1);
	CHECK_EQ(tv[1].media_connects, 1);
	CHECK_EQ(tv[0].media_disconnects, 1);
	CHECK_EQ(tu_cb_errors, 0);
	tu_close(ad);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "link down/up on net_tap: MEDIA_DISCONNECT/CONNECT per VC", test_link_indications,
		  need_tap },
	};
	int rc;

	(void)argc;
	if (tu_eal_init(argv[0], NULL) < 0)
		return 1;
	proto = condis_protocol_register("func_link", &tu_ops);
	if (proto == NULL)
		return 1;
	rc = condis_test_run(cases, RTE_DIM(cases));
	return rc;
}
