/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --plot DIR: the run's data as gnuplot data files, a gnuplot script, and
 * the PNG plots gnuplot draws from them (docs/OUTPUT.md): the latency
 * histograms (log-log), the rate over time, the completions by status.
 */
#ifndef GEN_PLOT_H
#define GEN_PLOT_H

#include <stdint.h>
#include <stdio.h>

#include "gen.h"

/* The live statistics' period when only --plot asks for it. */
#define GEN_PLOT_PERIOD_S 0.1

/* Make DIR and open its rate file; 0, or -1 (printed). No-op without --plot. */
int gen_plot_open(const struct gen_options *opt);

/* The interval file the live statistics append to (t, rates); NULL without --plot. */
FILE *gen_plot_rate_file(void);

/* Completions by status, for the plot (the report's totals). */
struct gen_plot_status {
	const char *name;
	uint64_t nbls;
};

/*
 * Write the histograms and completions, the script, and run gnuplot. send:
 * send to completion (units of ns_per_unit ns), or NULL (--rx); wire: stamp
 * to receive (ns), or NULL. 0, or -1 when gnuplot failed or is missing (the
 * data and the script are written anyway; printed).
 */
int gen_plot_finish(const struct gen_options *opt, const struct gen_latency *send,
		    double ns_per_unit, const struct gen_latency *wire,
		    const struct gen_plot_status *status, unsigned int nb_status);

#endif /* GEN_PLOT_H */
