/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The smallest condis protocol: one VC on net_null, 1000 NBLs of 64 bytes,
 * each back exactly once with SUCCESS. Built against the *installed*
 * library with `pkg-config --cflags --libs condis` (test-pkgconfig.sh).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#define N 1000

static unsigned int done, ok;

static void
on_complete(void *ctx, struct condis_nbl *chain, uint32_t flags)
{
	(void)ctx;
	(void)flags;
	for (; chain != NULL; chain = chain->next) {
		done++;
		ok += chain->status == CONDIS_STATUS_SUCCESS;
	}
}

int
main(int argc, char **argv)
{
	char prefix[64];
	/* No shared config: EAL's runtime directory stays empty, and goes at the end. */
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
			"--no-telemetry", "--vdev", "net_null0", prefix, NULL };
	char rundir[256];
	const struct condis_protocol_ops ops = { .co_send_complete = on_complete };
	struct condis_nbl_pool_params pp = { .name = "hello", .count = N, .data_size = 60 };
	struct condis_ethdev_params ep = { .port_id = 0 };
	struct condis_call_params cp = { .tx_queue = CONDIS_TXQ_AUTO };
	struct condis_nbl *nbls[N], *chain = NULL;
	struct condis_nbl_pool *pool;
	struct condis_protocol *proto;
	struct condis_adapter *ad;
	struct condis_vc *vc;
	int i;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "--file-prefix=hello-%d", (int)getpid());
	if (rte_eal_init(12, eal) < 0)
		return 1;
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	ad = condis_ethdev_open(&ep);
	proto = condis_protocol_register("hello", &ops);
	pool = condis_nbl_pool_create(&pp);
	if (ad == NULL || proto == NULL || pool == NULL)
		return 1;
	vc = condis_vc_create(proto, ad, NULL);
	if (vc == NULL || condis_vc_activate(vc, &cp) != CONDIS_STATUS_SUCCESS)
		return 1;
	if (condis_nbl_alloc_bulk(pool, nbls, N) != 0)
		return 1;
	for (i = N - 1; i >= 0; i--) {
		memset(condis_nb_first_byte(nbls[i]->first_nb), 0xab, 60);
		nbls[i]->next = chain;
		chain = nbls[i];
	}
	if (condis_co_send_nbls(vc, chain, 0) != 0)
		return 1;
	while (done < N)
		condis_poll(ad, condis_vc_tx_queue(vc));
	printf("hello_protocol: %u completed, %u SUCCESS\n", done, ok);
	condis_vc_deactivate(vc);
	condis_adapter_close(ad);
	for (i = 0; i < N; i++)
		condis_nbl_free(nbls[i]);
	condis_nbl_pool_free(pool);
	condis_protocol_deregister(proto);
	rte_eal_cleanup();
	rmdir(rundir);
	return done == N && ok == N ? 0 : 1;
}
