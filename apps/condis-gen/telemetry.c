/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen's own DPDK telemetry commands, beside the library's /condis/...
 * (docs/OUTPUT.md): /condis_gen/latency (send to completion over the
 * workers, and stamp to receive) and /condis_gen/rx (the receive counters).
 * They read what the workers write with relaxed loads, as the live
 * statistics do: the send path is unchanged. The lock only orders the
 * telemetry threads (one per client) and the end of the run.
 */
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "gen.h"
#include "rx.h"

static rte_spinlock_t tel_lock = RTE_SPINLOCK_INITIALIZER;
static struct {
	const struct gen_options *opt;
	const struct gen_worker *workers;
	const struct gen_rx *rx;
} tel;

static void
add_latency(struct rte_tel_data *d, const struct gen_latency *l, double ns)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "count", l->count);
	if (l->count == 0)
		return;
	rte_tel_data_add_dict_u64(d, "min_ns", (uint64_t)((double)l->min * ns));
	rte_tel_data_add_dict_u64(d, "mean_ns", (uint64_t)((double)l->sum / l->count * ns));
	rte_tel_data_add_dict_u64(d, "p50_ns", (uint64_t)((double)gen_latency_quantile(l, 0.5) * ns));
	rte_tel_data_add_dict_u64(d, "p90_ns", (uint64_t)((double)gen_latency_quantile(l, 0.9) * ns));
	rte_tel_data_add_dict_u64(d, "p99_ns", (uint64_t)((double)gen_latency_quantile(l, 0.99) * ns));
	rte_tel_data_add_dict_u64(d, "p999_ns",
				  (uint64_t)((double)gen_latency_quantile(l, 0.999) * ns));
	rte_tel_data_add_dict_u64(d, "max_ns", (uint64_t)((double)l->max * ns));
}

static int
tel_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static struct gen_latency send, wire; /* the telemetry thread's own */
	struct gen_rx_counts c;
	struct rte_tel_data *s, *w;
	unsigned int i;

	int rc = 0;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_spinlock_lock(&tel_lock);
	gen_latency_init(&send);
	gen_latency_init(&wire);
	for (i = 0; tel.workers != NULL && i < tel.opt->workers; i++)
		gen_latency_merge_live(&send, &tel.workers[i].lat);
	if (tel.rx != NULL)
		gen_rx_live(tel.rx, &c, &wire);
	rte_tel_data_start_dict(d);
	if (tel.workers != NULL) {
		s = rte_tel_data_alloc();
		if (s == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		add_latency(s, &send, 1e9 / gen_tsc_hz());
		rte_tel_data_add_dict_container(d, "send_to_completion", s, 0);
	}
	if (tel.rx != NULL) {
		w = rte_tel_data_alloc();
		if (w == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		add_latency(w, &wire, 1.0);
		rte_tel_data_add_dict_container(d, "stamp_to_receive", w, 0);
	}
out:
	rte_spinlock_unlock(&tel_lock);
	return rc;
}

static int
tel_rx(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static struct gen_latency unused;
	struct gen_rx_counts c;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_spinlock_lock(&tel_lock);
	if (tel.rx == NULL) {
		rte_spinlock_unlock(&tel_lock);
		return -ENOENT; /* not receiving: no --rx, no --rx-port */
	}
	gen_latency_init(&unused);
	gen_rx_live(tel.rx, &c, &unused);
	rte_spinlock_unlock(&tel_lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "frames_received", c.frames);
	rte_tel_data_add_dict_u64(d, "frames_stamped", c.stamped - c.bad_vc);
	rte_tel_data_add_dict_u64(d, "missing", c.missing);
	rte_tel_data_add_dict_u64(d, "duplicated", c.duplicated);
	rte_tel_data_add_dict_u64(d, "reordered", c.reordered);
	rte_tel_data_add_dict_u64(d, "too_late", c.too_late);
	rte_tel_data_add_dict_u64(d, "foreign", c.foreign);
	rte_tel_data_add_dict_u64(d, "bad_vc", c.bad_vc);
	return 0;
}

void
gen_telemetry_stop(void)
{
	rte_spinlock_lock(&tel_lock);
	tel.workers = NULL;
	tel.rx = NULL;
	rte_spinlock_unlock(&tel_lock);
}

void
gen_telemetry_register(const struct gen_options *opt, const struct gen_worker *workers,
		       const struct gen_rx *rx)
{
	rte_spinlock_lock(&tel_lock);
	tel.opt = opt;
	tel.workers = workers;
	tel.rx = rx;
	rte_spinlock_unlock(&tel_lock);
	rte_telemetry_register_cmd("/condis_gen/latency", tel_latency,
		"condis-gen's latency now: send to completion, stamp to receive. No parameters");
	rte_telemetry_register_cmd("/condis_gen/rx", tel_rx,
		"condis-gen's receive counters now (--rx, --rx-port). No parameters");
}
