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

/* Owner mode: CONDIS_TEST_OWNERS=1 in the environment. */
static bool
owner_mode(void)
{
	const char *mode = getenv("CONDIS_TEST_OWNERS");

	return mode != NULL && strcmp(mode, "1") == 0;
}

/* What tu_sim_params() gives every sim adapter. */
#define TU_SIM_MAX_FRAME 1514
#define TU_SIM_MAX_PIECES 32

uint32_t
tu_max_frame(const struct condis_adapter *ad)
{
	return condis_sim_is_sim(ad) ? TU_SIM_MAX_FRAME : condis_ethdev_max_frame(ad);
}

uint16_t
tu_max_pieces(const struct condis_adapter *ad)
{
	return condis_sim_is_sim(ad) ? TU_SIM_MAX_PIECES : condis_ethdev_max_segs(ad);
}

bool
tu_on_sim(void)
{
	const char *mp = getenv("CONDIS_TEST_MINIPORT");

	return mp != NULL && strcmp(mp, "sim") == 0;
}

void
tu_sim_params(struct condis_sim_params *sp, uint16_t nq)
{
	memset(sp, 0, sizeof(*sp));
	sp->nb_tx_queues = nq;
	sp->mode = CONDIS_SIM_AUTO;
	sp->max_frame = TU_SIM_MAX_FRAME;
	sp->max_pieces = TU_SIM_MAX_PIECES;
	sp->ring_size = 1024;
}

struct condis_adapter *
tu_sim_open(struct condis_sim_params *sp)
{
	unsigned int i;

	if (owner_mode() && !sp->owners) {
		sp->owners = true;
		for (i = 0; i < CONDIS_SIM_MAX_TXQ; i++)
			sp->owner_lcore[i] = rte_lcore_id();
	}
	return condis_sim_open(sp);
}

/* The sim in place of an ethdev port: p's queues, VC table and owners. */
static struct condis_adapter *
sim_for_ethdev(const struct condis_ethdev_params *p)
{
	struct condis_sim_params sp;
	static bool said;
	unsigned int i;

	if (!said)
		printf("note: CONDIS_TEST_MINIPORT=sim: sim adapters in place of ethdev ports\n");
	said = true;
	tu_sim_params(&sp, p->nb_tx_queues);
	sp.max_vcs = p->max_vcs;
	sp.owners = p->owners;
	for (i = 0; p->owners && i < CONDIS_SIM_MAX_TXQ && i < CONDIS_ETHDEV_MAX_TXQ; i++)
		sp.owner_lcore[i] = p->owner_lcore[i];
	return tu_sim_open(&sp);
}

struct condis_adapter *
tu_ethdev_open(struct condis_ethdev_params *p)
{
	unsigned int i;

	if (tu_on_sim())
		return sim_for_ethdev(p);
	if (owner_mode() && !p->owners) {
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
