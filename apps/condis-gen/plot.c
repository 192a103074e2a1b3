/* SPDX-License-Identifier: BSD-3-Clause */
/* --plot DIR (plot.h): gnuplot data files, a script, and the PNG plots. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "plot.h"

extern char **environ;

static FILE *rate_file;

static FILE *
open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		fprintf(stderr, "condis-gen: --plot: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int
gen_plot_open(const struct gen_options *opt)
{
	if (opt->plot_dir == NULL)
		return 0;
	if (mkdir(opt->plot_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "condis-gen: --plot %s: %s\n", opt->plot_dir, strerror(errno));
		return -1;
	}
	rate_file = open_in(opt->plot_dir, "rate.dat");
	if (rate_file == NULL)
		return -1;
	fprintf(rate_file, "# t_s tx_mpps port_mpps success_mnbls_per_s failed_nbls in_flight_nbls\n");
	return 0;
}

FILE *
gen_plot_rate_file(void)
{
	return rate_file;
}

/* One histogram as "lower upper count" lines in ns, non-empty buckets only. */
static int
write_hist(const char *dir, const char *name, const struct gen_latency *l, double ns)
{
	FILE *f = open_in(dir, name);
	unsigned int b;

	if (f == NULL)
		return -1;
	fprintf(f, "# lower_ns upper_ns count\n");
	for (b = 0; b < GEN_LAT_BUCKETS; b++) {
		uint64_t lo, hi;

		if (l->bucket[b] == 0)
			continue;
		gen_latency_bucket_bounds(b, &lo, &hi);
		fprintf(f, "%.1f %.1f %" PRIu64 "\n", (double)lo * ns, (double)(hi + 1) * ns,
			l->bucket[b]);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static void
write_script(FILE *f, const struct gen_options *opt, bool send, bool wire)
{
	fprintf(f, "# condis-gen --plot: run `gnuplot condis-gen.gp` in this directory.\n"
		"set terminal pngcairo size 960,540 enhanced font 'DejaVu Sans,10'\n"
		"set grid\nset key top right\n"
		"set output 'latency.png'\n"
		"set title 'condis-gen: latency histogram, %u VC(s), %u B frames'\n"
		"set logscale xy 10\nset xlabel 'latency (ns)'\nset ylabel 'count per bucket'\n"
		"set format x '10^{%%L}'\n",
		opt->vcs, opt->frame_size);
	fprintf(f, "plot ");
	if (send)
		fprintf(f, "'latency.dat' using (($1+$2)/2):3 with histeps lw 2 "
			"title 'send to completion (per NBL)'%s", wire ? ", \\\n     " : "\n");
	if (wire)
		fprintf(f, "'wire.dat' using (($1+$2)/2):3 with histeps lw 2 "
			"title 'stamp to receive (per frame)'\n");
	fprintf(f, "unset logscale\nset format x '%%g'\n");
	if (send) {
		fprintf(f, "set output 'rate.png'\n"
			"set title 'condis-gen: rate over time'\n"
			"set xlabel 'time (s)'\nset ylabel 'Mpps'\nset yrange [0:*]\n"
			"plot 'rate.dat' using 1:2 with linespoints lw 2 title 'sent (condis-gen)', \\\n"
			"     '' using 1:3 with lines lw 1 dt 2 title 'device opackets', \\\n"
			"     '' using 1:4 with lines lw 1 title 'NBLs completed SUCCESS (M/s)'\n"
			"set output 'completions.png'\n"
			"set title 'condis-gen: NBLs completed, by status'\n"
			"set xlabel ''\nset ylabel 'NBLs'\nset style data histograms\n"
			"set termoption noenhanced\n"
			"set style fill solid 0.6\nset boxwidth 0.7\nset yrange [0:*]\n"
			"plot 'completions.dat' using 2:xtic(1) title 'NBLs' lc rgb '#3060a0', \\\n"
			"     '' using 0:2:2 with labels offset 0,0.7 notitle\n");
	}
}

int
gen_plot_finish(const struct gen_options *opt, const struct gen_latency *send,
		double ns_per_unit, const struct gen_latency *wire,
		const struct gen_plot_status *status, unsigned int nb_status)
{
	char *argv[] = { "gnuplot", "condis-gen.gp", NULL };
	const char *dir = opt->plot_dir;
	posix_spawn_file_actions_t fa;
	FILE *f;
	unsigned int i;
	pid_t pid;
	int rc, ws;

	if (dir == NULL)
		return 0;
	if (rate_file != NULL) {
		fclose(rate_file);
		rate_file = NULL;
	}
	if (send == NULL && (wire == NULL || wire->count == 0)) {
		printf("plots: none in %s: no latency was measured (frames without the "
		       "timestamp, or none arrived)\n", dir);
		return 0;
	}
	if ((send != NULL && write_hist(dir, "latency.dat", send, ns_per_unit) != 0) ||
	    (wire != NULL && write_hist(dir, "wire.dat", wire, 1.0) != 0))
		return -1;
	if (send != NULL) {
		f = open_in(dir, "completions.dat");
		if (f == NULL)
			return -1;
		for (i = 0; i < nb_status; i++)
			fprintf(f, "%s %" PRIu64 "\n", status[i].name, status[i].nbls);
		fclose(f);
	}
	f = open_in(dir, "condis-gen.gp");
	if (f == NULL)
		return -1;
	write_script(f, opt, send != NULL, wire != NULL && wire->count != 0);
	fclose(f);
	/* gnuplot in DIR, its output to our standard error. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "condis-gen: --plot: cannot run gnuplot (%s): the data and "
			"%s/condis-gen.gp are written; install gnuplot-nox and run it there\n",
			strerror(rc), dir);
		return -1;
	}
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
		fprintf(stderr, "condis-gen: --plot: gnuplot failed in %s\n", dir);
		return -1;
	}
	printf("plots: %s/latency.png%s (and the data, condis-gen.gp)\n", dir,
	       send != NULL ? ", rate.png, completions.png" : "");
	return 0;
}
