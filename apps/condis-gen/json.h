/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * condis-gen: a small streaming JSON writer (RFC 8259) and the machine-
 * readable output built with it: --json FILE (one document, docs/OUTPUT.md)
 * and --stats-period (live statistics, FILE.intervals.jsonl with --json).
 */
#ifndef CONDIS_GEN_JSON_H
#define CONDIS_GEN_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define GJ_MAX_DEPTH 32

/* Keys are given with each value inside an object, NULL inside an array or
 * at the top. Strings are escaped; bytes that are not valid UTF-8 become
 * U+FFFD; non-finite numbers are written as null. */
struct gen_json {
	FILE *f;
	bool pretty;              /* newlines and 2-space indentation; else one line */
	unsigned int depth;
	bool comma;               /* the current container has an item already */
	bool overflow;            /* nested deeper than GJ_MAX_DEPTH: a bug */
	unsigned int flat_from;   /* pretty: containers from this depth on one line */
};

void gj_init(struct gen_json *j, FILE *f, bool pretty);
void gj_obj(struct gen_json *j, const char *key);
void gj_obj_end(struct gen_json *j);
/* An object on one line of a pretty document (array items: a VC, a bucket). */
void gj_line_obj(struct gen_json *j, const char *key);
void gj_line_obj_end(struct gen_json *j);
void gj_arr(struct gen_json *j, const char *key);
void gj_arr_end(struct gen_json *j);
void gj_str(struct gen_json *j, const char *key, const char *s); /* NULL: null */
void gj_u64(struct gen_json *j, const char *key, uint64_t v);
void gj_i64(struct gen_json *j, const char *key, int64_t v);
void gj_dbl(struct gen_json *j, const char *key, double v);
void gj_bool(struct gen_json *j, const char *key, bool v);
void gj_null(struct gen_json *j, const char *key);
/* Ends the document (a newline); 0, or -1 if a write failed or it is not
 * complete. */
int gj_finish(struct gen_json *j);

#define GEN_JSON_SCHEMA_VERSION 2

struct gen_options;
struct gen_latency;
struct rte_eth_stats;

/* The command line, for the document (main.c: before EAL parsing). */
void gen_json_set_cmdline(int argc, char **argv);
/* --json: opens FILE (or takes standard output for "-": the text output then
 * goes to standard error). Before EAL init; -1 (reported) if it cannot. */
int gen_json_open(const struct gen_options *opt);
bool gen_json_enabled(void);
/* The document so far: schema_version, mode, command line, versions, port,
 * link, config. The caller adds its section and calls gen_json_close(). */
struct gen_json *gen_json_begin(const struct gen_options *opt, const char *mode);
/* exit_status and verdict, end of the document, file closed. */
int gen_json_close(int exit_status, const char *failure);
/* A latency object: count, min/mean/percentiles/max in ns, histogram.
 * ns_per_unit converts the histogram's unit (TSC cycles, or 1 for ns). */
void gen_json_latency(struct gen_json *j, const char *key, const struct gen_latency *l,
		      double ns_per_unit, const char *what);
/* The port's identity and link, before the run (main.c, rx.c). */
void gen_json_port_snapshot(uint16_t port_id, const char *why_speed_fake);
/* The interval records' file (FILE.intervals.jsonl), NULL if none. */
FILE *gen_json_intervals_file(void);

/* stats.c: --stats-period. The control thread reads what the workers
 * publish (plain stores) and prints per interval. */
struct gen_vc;
struct gen_worker;
int gen_stats_start(const struct gen_options *opt, struct gen_vc *vcs,
		    struct gen_worker *workers);
void gen_stats_stop(void);
/* The ports' counters now, minus those at gen_stats_baseline(): one port's,
 * or the sum over --port-id's. */
void gen_stats_baseline(const struct gen_options *opt);
int gen_stats_port(uint16_t port_id, uint64_t *opackets, uint64_t *obytes, uint64_t *oerrors);
int gen_stats_ports(const struct gen_options *opt, uint64_t *opackets, uint64_t *obytes,
		    uint64_t *oerrors);
/* report.c: the port's counters after the run, for the JSON report. */
void gen_report_port_snapshot(const struct gen_options *opt);
/* Whether the text output goes to a terminal (decides the default period). */
double gen_stats_period_resolve(const struct gen_options *opt);

#endif /* CONDIS_GEN_JSON_H */
