/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which way an adapter learns of the PMD's frees (enum
 * condis_tx_completion): a held reference costs the PMD one locked
 * decrement per carrier, completion by put a mempool put and an ops call.
 * Which is cheaper depends on the CPU (docs/PERF.md, "Completion by put"):
 * on the Intel Xeon VMs measured a locked read-modify-write costs more than
 * the put, on the AMD EPYC ones less.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#if defined(RTE_ARCH_X86)
#include <cpuid.h>
#endif

#include "ethdev_private.h"

static const char *const completion_names[] = {
	[CONDIS_TX_COMPLETION_AUTO] = "auto",
	[CONDIS_TX_COMPLETION_HOLD] = "hold",
	[CONDIS_TX_COMPLETION_PUT] = "put",
};

const char *
condis_tx_completion_name(enum condis_tx_completion completion)
{
	if ((unsigned int)completion >= RTE_DIM(completion_names))
		return NULL;
	return completion_names[completion];
}

/* PMDs that free mbufs on another thread than the one calling them: the
 * mark of completion by put would race with the queue's owner. */
static bool
frees_elsewhere(const char *driver)
{
	return driver != NULL && strcmp(driver, "net_ring") == 0;
}

/* A locked read-modify-write costs more than a mempool put on this CPU. */
static bool
locked_rmw_dear(void)
{
#if defined(RTE_ARCH_X86)
	unsigned int eax, ebx, ecx, edx;

	if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0)
		return false;
	/* "GenuineIntel" */
	return ebx == 0x756e6547 && edx == 0x49656e69 && ecx == 0x6c65746e;
#else
	return false;
#endif
}

/* The way asked for, CONDIS_TX_COMPLETION_AUTO resolved. PUT asked for
 * is the caller's word that the PMD frees on the threads calling it. */
enum condis_tx_completion
ethdev_completion_resolve(enum condis_tx_completion asked, const char *driver)
{
	const char *env;

	if (asked != CONDIS_TX_COMPLETION_AUTO)
		return asked;
	if (frees_elsewhere(driver))
		return CONDIS_TX_COMPLETION_HOLD;
	env = getenv("CONDIS_TX_COMPLETION");
	if (env != NULL && strcmp(env, "hold") == 0)
		return CONDIS_TX_COMPLETION_HOLD;
	if (env != NULL && strcmp(env, "put") == 0)
		return CONDIS_TX_COMPLETION_PUT;
	return locked_rmw_dear() ? CONDIS_TX_COMPLETION_PUT : CONDIS_TX_COMPLETION_HOLD;
}
