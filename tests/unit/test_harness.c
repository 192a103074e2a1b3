/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit: the harness itself (tests/common/condis_test.c). Each case runs a
 * small list of synthetic cases through condis_test_run() in a child process
 * (no EAL) and checks what ran, in which order, and the exit code: setup
 * before fn, teardown after fn even when the case failed or skipped, a failed
 * or skipped setup leaves fn out, SKIP() marks a case skipped, a binary whose
 * cases all skip exits 77 (meson's "skipped"), one failure exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>

#include "condis_test.h"

/* What the synthetic cases did, one letter each (child process). */
static char trail[64];

static void
mark(char c)
{
	size_t n = strlen(trail);

	if (n + 1 < sizeof(trail)) {
		trail[n] = c;
		trail[n + 1] = '\0';
	}
}

static void
setup_ok(void)
{
	mark('s');
}

static void
setup_fail(void)
{
	mark('S');
	CHECK(0);
}

static void
setup_skip(void)
{
	mark('K');
	SKIP("synthetic: part missing");
}

static void
fn_ok(void)
{
	mark('f');
}

static void
fn_fail(void)
{
	mark('F');
	CHECK_EQ(1, 2);
	mark('!');
}

static void
fn_skip(void)
{
	mark('k');
	SKIP("synthetic: skipped in fn");
	mark('!');
}

static void
teardown_ok(void)
{
	mark('t');
}

static void
teardown_fail(void)
{
	mark('T');
	CHECK(0);
}


/*
 * Run cases in a child; it exits with condis_test_run()'s code if the
 * trail is want, else 99. Returns the child's exit code (or -1). The
 * child's own case lines (expected FAILs among them) are framed by "--".
 */
static int
run_child(const struct condis_test_case *cases, unsigned int n, const char *want)
{
	pid_t pid;
	int st;

	printf("-- synthetic cases (expected to run \"%s\"):\n", want);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int rc;

		unsetenv("CONDIS_TEST_ONLY"); /* the synthetic cases all run */
		trail[0] = '\0';
		rc = condis_test_run(cases, n);
		if (strcmp(trail, want) != 0) {
			fprintf(stderr, "ran \"%s\", expected \"%s\"\n", trail, want);
			rc = 99;
		}
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	printf("-- exit %d\n", WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

static void
test_setup_fn_teardown_order(void)
{
	static const struct condis_test_case cases[] = {
		{ "full", fn_ok, setup_ok, teardown_ok },
		{ "legacy { name, fn }", fn_ok },
		{ "teardown only", fn_ok, NULL, teardown_ok },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "sftfft"), 0);
}

static void
test_teardown_after_failed_fn(void)
{
	static const struct condis_test_case cases[] = {
		{ "fn fails", fn_fail, setup_ok, teardown_ok },
		{ "next case still runs", fn_ok },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "sFtf"), 1);
}

static void
test_failed_setup_skips_fn(void)
{
	static const struct condis_test_case cases[] = {
		{ "setup fails", fn_ok, setup_fail, teardown_ok },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "St"), 1);
}

static void
test_failed_teardown_fails_case(void)
{
	static const struct condis_test_case cases[] = {
		{ "teardown fails", fn_ok, setup_ok, teardown_fail },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "sfT"), 1);
}

static void
test_all_skipped_exits_77(void)
{
	static const struct condis_test_case cases[] = {
		{ "setup skips", fn_ok, setup_skip, teardown_ok },
		{ "fn skips", fn_skip },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "Ktk"), 77);
}

static void
test_some_skipped_exits_0(void)
{
	static const struct condis_test_case cases[] = {
		{ "setup skips", fn_ok, setup_skip },
		{ "runs", fn_ok },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "Kf"), 0);
}

static void
test_failure_beats_skip(void)
{
	static const struct condis_test_case cases[] = {
		{ "fn skips", fn_skip },
		{ "fn fails", fn_fail },
	};

	CHECK_EQ(run_child(cases, RTE_DIM(cases), "kF"), 1);
}

int
main(void)
{
	static const struct condis_test_case cases[] = {
		{ "setup, fn, teardown in order; { name, fn } still a case",
		  test_setup_fn_teardown_order },
		{ "teardown runs after a failed fn", test_teardown_after_failed_fn },
		{ "a failed setup fails the case without running it", test_failed_setup_skips_fn },
		{ "a failed teardown fails the case", test_failed_teardown_fails_case },
		{ "every case skipped: exit 77", test_all_skipped_exits_77 },
		{ "some cases skipped, the rest pass: exit 0", test_some_skipped_exits_0 },
		{ "a failure wins over skips: exit 1", test_failure_beats_skip },
	};

	return condis_test_run(cases, RTE_DIM(cases));
}
