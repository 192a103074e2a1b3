/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Live counters through DPDK telemetry (usertools/dpdk-telemetry.py):
 *   /condis/adapters           ids of open adapters
 *   /condis/adapter,<id>       miniport, queues, VCs, NBL totals
 *   /condis/vc,<id>,<vc>       one VC: state and counters (condis_vc_stats)
 * Counters are read without stopping the data path: each is exact, a set of
 * them is a snapshot taken over a few microseconds.
 */
#include <stdlib.h>

#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "condis_private.h"

#define MAX_ADAPTERS 64

static struct condis_adapter *adapters[MAX_ADAPTERS];
static rte_spinlock_t lock = RTE_SPINLOCK_INITIALIZER;

void
condis_telemetry_add(struct condis_adapter *a)
{
	int i;

	a->id = -1;
	rte_spinlock_lock(&lock);
	for (i = 0; i < MAX_ADAPTERS; i++) {
		if (adapters[i] == NULL) {
			adapters[i] = a;
			a->id = i;
			break;
		}
	}
	rte_spinlock_unlock(&lock);
}

void
condis_telemetry_remove(struct condis_adapter *a)
{
	rte_spinlock_lock(&lock);
	if (a->id >= 0)
		adapters[a->id] = NULL;
	rte_spinlock_unlock(&lock);
}

static const char *const vc_state_names[] = {
	[CONDIS_VC_CREATED] = "created", [CONDIS_VC_ACTIVE] = "active",
	[CONDIS_VC_DEACTIVATING] = "deactivating", [CONDIS_VC_INACTIVE] = "inactive",
	[CONDIS_VC_DELETED] = "deleted",
};

static void
add_stats(struct rte_tel_data *d, const struct condis_vc_stats *st)
{
	rte_tel_data_add_dict_u64(d, "nbls_sent", st->nbls_sent);
	rte_tel_data_add_dict_u64(d, "nbls_completed", st->nbls_completed);
	rte_tel_data_add_dict_u64(d, "nbls_failed", st->nbls_failed);
	rte_tel_data_add_dict_u64(d, "nbs_tx", st->nbs_tx);
	rte_tel_data_add_dict_u64(d, "bytes_tx", st->bytes_tx);
	rte_tel_data_add_dict_u64(d, "in_flight", st->in_flight);
	rte_tel_data_add_dict_u64(d, "queued", st->queued);
}

/* Parse "a" or "a,b" into unsigned ints; -1 on bad input. */
static int
parse_ids(const char *params, unsigned long *a, unsigned long *b)
{
	char *end;

	if (params == NULL)
		return -1;
	*a = strtoul(params, &end, 10);
	if (end == params)
		return -1;
	if (b == NULL)
		return *end == '\0' ? 0 : -1;
	if (*end != ',')
		return -1;
	params = end + 1;
	*b = strtoul(params, &end, 10);
	return end != params && *end == '\0' ? 0 : -1;
}

static int
tel_adapters(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	rte_spinlock_lock(&lock);
	for (i = 0; i < MAX_ADAPTERS; i++)
		if (adapters[i] != NULL)
			rte_tel_data_add_array_int(d, i);
	rte_spinlock_unlock(&lock);
	return 0;
}

static int
tel_adapter(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct condis_vc_stats sum = { 0 }, st;
	unsigned long id;
	struct condis_adapter *a;
	uint32_t i, vcs = 0;

	RTE_SET_USED(cmd);
	if (parse_ids(params, &id, NULL) != 0 || id >= MAX_ADAPTERS)
		return -EINVAL;
	rte_spinlock_lock(&lock);
	a = adapters[id];
	if (a == NULL) {
		rte_spinlock_unlock(&lock);
		return -ENOENT;
	}
	for (i = 0; i < a->max_vcs; i++) {
		if (a->vcs[i].state == CONDIS_VC_DELETED ||
		    condis_vc_stats_get(&a->vcs[i], &st) != 0)
			continue;
		vcs++;
		sum.nbls_sent += st.nbls_sent;
		sum.nbls_completed += st.nbls_completed;
		sum.nbls_failed += st.nbls_failed;
		sum.nbs_tx += st.nbs_tx;
		sum.bytes_tx += st.bytes_tx;
		sum.in_flight += st.in_flight;
		sum.queued += st.queued;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "miniport", a->ops->name);
	rte_tel_data_add_dict_int(d, "tx_queues", a->nb_tx_queues);
	rte_tel_data_add_dict_u64(d, "vcs", vcs);
	rte_tel_data_add_dict_u64(d, "max_vcs", a->max_vcs);
	rte_spinlock_unlock(&lock);
	add_stats(d, &sum);
	return 0;
}

static int
tel_vc(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct condis_vc_stats st;
	unsigned long id, vc;
	struct condis_adapter *a;
	uint8_t state;
	int rc = 0;

	RTE_SET_USED(cmd);
	if (parse_ids(params, &id, &vc) != 0 || id >= MAX_ADAPTERS)
		return -EINVAL;
	rte_spinlock_lock(&lock);
	a = adapters[id];
	if (a == NULL || vc >= a->max_vcs || a->vcs[vc].state == CONDIS_VC_DELETED ||
	    condis_vc_stats_get(&a->vcs[vc], &st) != 0)
		rc = -ENOENT;
	else
		state = a->vcs[vc].state;
	rte_spinlock_unlock(&lock);
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "state", vc_state_names[state]);
	add_stats(d, &st);
	return 0;
}

RTE_INIT(condis_telemetry_init)
{
	rte_telemetry_register_cmd("/condis/adapters", tel_adapters,
				   "Ids of open condis adapters. No parameters");
	rte_telemetry_register_cmd("/condis/adapter", tel_adapter,
				   "An adapter's miniport, queues and NBL totals. Parameter: adapter id");
	rte_telemetry_register_cmd("/condis/vc", tel_vc,
				   "A VC's state and counters. Parameters: adapter id,VC index");
}
