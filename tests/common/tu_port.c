/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL, names, ports and adapters for the tests (tu_port.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "condis_test.h"
#include "tu_port.h"

int
tu_eal_init(const char *prog, const char *const *vdevs)
{
	return condis_test_eal_init(prog, vdevs);
}

const char *
tu_name(const char *base)
{
	static char names[256][24];
	static unsigned int n;
	char *s = names[n++ % 256];

	snprintf(s, sizeof(names[0]), "%s%u", base, n);
	return s;
}

int
tu_port(const char *name, uint16_t *port)
{
	return rte_eth_dev_get_port_by_name(name, port);
}

struct condis_adapter *
tu_ethdev_open(struct condis_ethdev_params *p)
{
	const char *mode = getenv("CONDIS_TEST_OWNERS");
	unsigned int i;

	if (mode != NULL && strcmp(mode, "1") == 0 && !p->owners) {
		static bool said;

		if (!said)
			printf("note: owner mode: queues owned by lcore %u\n", rte_lcore_id());
		said = true;
		p->owners = true;
		for (i = 0; i < CONDIS_ETHDEV_MAX_TXQ; i++)
			p->owner_lcore[i] = rte_lcore_id();
	}
	return condis_ethdev_open(p);
}

struct condis_adapter *
tu_open(uint16_t port, uint16_t nq)
{
	struct condis_ethdev_params p;

	memset(&p, 0, sizeof(p));
	p.port_id = port;
	p.nb_tx_queues = nq;
	return tu_ethdev_open(&p);
}
