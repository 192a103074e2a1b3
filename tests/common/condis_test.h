/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Minimal test harness: each test binary is one EAL process running a list
 * of cases; a failed CHECK fails its case and the binary exits 1; exit 77
 * means skipped (a real part is absent), as meson expects.
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

struct condis_test_case {
	const char *name;
	void (*fn)(void);
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

/** Run the cases; print one line per case; return the process exit code. */
int condis_test_run(const struct condis_test_case *cases, unsigned int n);

#endif /* CONDIS_TEST_H */
