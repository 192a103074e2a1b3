/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Minimal test harness: each test binary is one EAL process running a list
 * of cases; a failed CHECK fails its case and the binary exits 1. A case
 * that needs a part this machine lacks calls SKIP("reason"); a binary whose
 * cases all skip exits 77, meson's "skipped" (a real part is absent).
 *
 * A case is { name, fn [, setup [, teardown]] }: setup runs first and a
 * failed CHECK (or a SKIP) in it fails (skips) the case without running fn;
 * teardown runs after every case, also when setup or fn failed or skipped,
 * so it must cope with a half-done (or skipped) setup.
 */
#ifndef CONDIS_TEST_H
#define CONDIS_TEST_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

extern int condis_test_failures;

/** Fail the current case (and the binary) unless cond holds. */
#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		condis_test_failures++; \
		return; \
	} \
} while (0)

/** CHECK for equality of integers, printing both. */
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		fprintf(stderr, "%s:%d: CHECK_EQ failed: %s (%lld, 0x%llx) != %s (%lld, 0x%llx)\n", \
			__FILE__, __LINE__, #a, a_, (unsigned long long)a_, #b, b_, (unsigned long long)b_); \
		condis_test_failures++; \
		return; \
	} \
} while (0)

/**
 * Skip the current case (setup, fn or teardown): print "SKIP: reason" and
 * return. A case that also failed a CHECK counts as failed.
 */
#define SKIP(reason) do { \
	condis_test_skip_case(reason); \
	return; \
} while (0)

/** What SKIP() calls: mark the running case skipped, print the reason. */
void condis_test_skip_case(const char *reason);

/*
 * Cases written { "name", fn } leave setup and teardown NULL; tests build
 * with -Wno-missing-field-initializers (test_common_dep in tests/meson.build,
 * as DPDK builds itself) so those positional initialisers stay warning-free.
 */
struct condis_test_case {
	const char *name;
	void (*fn)(void);
	void (*setup)(void);    /**< optional: before fn; fails or skips the case */
	void (*teardown)(void); /**< optional: after fn, even a failed one */
};

/**
 * Start EAL for a test: no hugepages, no PCI, in-memory, plus the given
 * --vdev arguments (NULL-terminated list, may be empty).
 */
int condis_test_eal_init(const char *prog, const char *const *vdevs);

/** condis_test_eal_init() on the lcores of an EAL -l list (e.g. "0-1"). */
int condis_test_eal_init_lcores(const char *prog, const char *lcores, const char *const *vdevs);

/** rte_eal_cleanup(), then remove the process's EAL runtime directory. */
void condis_test_eal_cleanup(void);

/**
 * Run the cases (those whose name contains $CONDIS_TEST_ONLY, if set); print
 * one line per case ("ok", "FAIL" or "skip") and a summary; clean up EAL if
 * condis_test_eal_init*() started it. Returns the process exit code: 1 if a
 * case failed, 77 if every case run skipped, else 0.
 */
int condis_test_run(const struct condis_test_case *cases, unsigned int n);

#endif /* CONDIS_TEST_H */
