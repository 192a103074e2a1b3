/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <stdbool.h>
#include <unistd.h>

#include "condis_test.h"

int condis_test_failures;

/* The running case's skip mark (SKIP()). */
static bool case_skipped;
/* condis_test_eal_init*() started EAL: condis_test_run() cleans it up. */
static bool eal_started;

int
condis_test_eal_init(const char *prog, const char *const *vdevs)
{
	return condis_test_eal_init_lcores(prog, "0", vdevs);
}

int
condis_test_eal_init_lcores(const char *prog, const char *lcores, const char *const *vdevs)
{
	static char prefix[64];
	char *argv[64];
	int argc = 0;
	unsigned int i;

	argv[argc++] = (char *)(uintptr_t)prog;
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)lcores;
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"256";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	/* --in-memory refuses --no-huge -m; a per-process prefix keeps tests apart. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=condis-test-%d", (int)getpid());
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
	for (i = 0; vdevs != NULL && vdevs[i] != NULL && argc < 62; i++) {
		argv[argc++] = (char *)(uintptr_t)"--vdev";
		argv[argc++] = (char *)(uintptr_t)vdevs[i];
	}
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	eal_started = true;
	return 0;
}

void
condis_test_skip_case(const char *reason)
{
	case_skipped = true;
	printf("SKIP: %s\n", reason != NULL ? reason : "(no reason given)");
	fflush(stdout);
}

enum case_result { CASE_OK, CASE_FAIL, CASE_SKIP };

/* One case: setup, then fn unless setup failed or skipped, then teardown (always). */
static enum case_result
run_case(const struct condis_test_case *c)
{
	int before = condis_test_failures;

	case_skipped = false;
	if (c->setup != NULL)
		c->setup();
	if (condis_test_failures == before && !case_skipped)
		c->fn();
	else if (condis_test_failures != before)
		fprintf(stderr, "%s: setup failed, case not run\n", c->name);
	if (c->teardown != NULL)
		c->teardown();
	if (condis_test_failures != before)
		return CASE_FAIL;
	return case_skipped ? CASE_SKIP : CASE_OK;
}

int
condis_test_run(const struct condis_test_case *cases, unsigned int n)
{
	unsigned int i, ran = 0, failed = 0, skipped = 0;

	const char *only = getenv("CONDIS_TEST_ONLY"); /* run the cases whose name has it */

	for (i = 0; i < n; i++) {
		if (only != NULL && strstr(cases[i].name, only) == NULL)
			continue;

		ran++;
		switch (run_case(&cases[i])) {
		case CASE_FAIL:
			failed++;
			printf("FAIL %s\n", cases[i].name);
			break;
		case CASE_SKIP:
			skipped++;
			printf("skip %s\n", cases[i].name);
			break;
		default:
			printf("ok   %s\n", cases[i].name);
			break;
		}
		fflush(stdout);
	}
	printf("%u cases, %u failed, %u skipped\n", n, failed, skipped);
	if (eal_started)
		condis_test_eal_cleanup();
	if (failed != 0)
		return 1;
	/* every case run skipped: the binary skips (meson's 77) */
	return ran != 0 && skipped == ran ? 77 : 0;
}

void
condis_test_eal_cleanup(void)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	/* --in-memory refuses --no-huge, so EAL made a runtime directory
	 * under our per-process prefix: take it away with us. */
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	eal_started = false;
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX + 256];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
