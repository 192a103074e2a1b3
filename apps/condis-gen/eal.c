/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL around condis-gen: its command line (the user's EAL options, with
 * every embedded default they do not override), and the runtime directory the
 * EAL leaves behind (/var/run/dpdk/<prefix>: ~6 MB of memseg files with
 * --no-huge), removed at exit when this run owns it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "gen.h"

#define MAX_UNLESS 14

/* An embedded default, and the user's options that override it. */
struct eal_default {
	const char *args[2];
	const char *unless[MAX_UNLESS];
};

/* PCI devices named replace --no-pci, any device named replaces net_null0.
 * Hugepage options (--in-memory refuses --no-huge) and PCI devices (a NIC
 * wants DMA memory; the vfio e2e test relies on it) replace --no-huge -m 512. */
#define PCI_OPTS "-a", "--allow", "-b", "--block"
#define HUGE_OPTS "--in-memory", "--huge-dir", "--socket-mem", "--socket-limit", "--huge-unlink", \
	"--single-file-segments", "--legacy-mem", PCI_OPTS
static const struct eal_default eal_defaults[] = {
	{ { "-l", "0" }, { "-l", "-c", "--lcores" } },
	{ { "-m", "512" }, { "-m", HUGE_OPTS } },
	{ { "--no-huge" }, { "--no-huge", HUGE_OPTS } },
	{ { "--no-pci" }, { "--no-pci", PCI_OPTS } },
	{ { "--vdev", "net_null0" }, { "--vdev", PCI_OPTS } },
	{ { "--log-level=lib.eal:error" }, { "--log-level" } },
	{ { "--log-level=lib.telemetry:error" }, { "--log-level" } },
};
#define PREFIX_OPT "--file-prefix"
#define OWN_PREFIX "condis-gen-%d"  /* per process: parallel runs stay apart */
#define OWN_PREFIX_HELP "condis-gen-<pid>"
#define LINE_WIDTH 79

static char **eal_argv;
static int eal_argc;
static char own_prefix[32];         /* the prefix condis-gen chose, "" if the user's */
static const char *user_prefix;
static char rundir[PATH_MAX];       /* removed at exit; "" if not this run's */

/* "-l0" and "-l" are -l; "--vdev=x" and "--vdev" are --vdev, "--vdevx" is not. */
static bool
is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 &&
	       (name[1] != '-' || arg[n] == '\0' || arg[n] == '=');
}

static bool
overridden(const struct eal_default *d, char **uargv, int uargc)
{
	unsigned int j;
	int i;

	for (j = 0; j < MAX_UNLESS && d->unless[j] != NULL; j++)
		for (i = 0; i < uargc; i++)
			if (is_opt(uargv[i], d->unless[j]))
				return true;
	return false;
}

void
gen_eal_usage(void)
{
	unsigned int i, j;

	printf("EAL options go before --. condis-gen adds each of these defaults unless an\n"
	       "EAL option given overrides it (so with none given, it runs on all of them):\n");
	for (i = 0; i < RTE_DIM(eal_defaults); i++) {
		const struct eal_default *d = &eal_defaults[i];
		int col = printf("  %s%s%s unless", d->args[0], d->args[1] ? " " : "",
				 d->args[1] ? d->args[1] : "");

		for (j = 0; j < MAX_UNLESS && d->unless[j] != NULL; j++) {
			const char *sep = j ? "," : "";

			if (col + (int)strlen(d->unless[j]) + 2 > LINE_WIDTH) {
				col = printf("%s\n    ", sep) - 2;
				sep = "";
			}
			col += printf("%s %s", sep, d->unless[j]);
		}
		printf("\n");
	}
	printf("  " PREFIX_OPT "=" OWN_PREFIX_HELP " unless " PREFIX_OPT "\n"
	       "At exit, also after an error or SIGINT/SIGTERM, the EAL's runtime directory\n"
	       "(/var/run/dpdk/<prefix> as root) is removed when condis-gen chose the prefix,\n"
	       "or when this run created it (a directory found in place is left alone).\n");
}

int
gen_eal_args(int argc, char **argv, int *app_first)
{
	char **uargv = argv + 1;
	int uargc = 0, sep, i, n = 0;
	bool gave_prefix = false;
	unsigned int d;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
		;
	if (sep < argc) {
		uargc = sep - 1;
		*app_first = sep;
	} else {
		*app_first = 0; /* no "--": every argument is condis-gen's */
	}
	eal_argv = calloc(RTE_DIM(eal_defaults) * 2 + (size_t)uargc + 3, sizeof(*eal_argv));
	if (eal_argv == NULL)
		return -ENOMEM;
	eal_argv[n++] = argv[0];
	/* The defaults the user left, then the user's options. */
	for (d = 0; d < RTE_DIM(eal_defaults); d++) {
		if (overridden(&eal_defaults[d], uargv, uargc))
			continue;
		for (i = 0; i < 2 && eal_defaults[d].args[i] != NULL; i++)
			eal_argv[n++] = (char *)(uintptr_t)eal_defaults[d].args[i];
	}
	for (i = 0; i < uargc; i++) {
		if (is_opt(uargv[i], PREFIX_OPT)) {
			gave_prefix = true;
			user_prefix = uargv[i][strlen(PREFIX_OPT)] == '=' ?
				uargv[i] + strlen(PREFIX_OPT) + 1 : i + 1 < uargc ? uargv[i + 1] : NULL;
		}
		eal_argv[n++] = uargv[i];
	}
	if (!gave_prefix) {
		static char arg[sizeof(PREFIX_OPT) + sizeof(own_prefix)];

		snprintf(own_prefix, sizeof(own_prefix), OWN_PREFIX, (int)getpid());
		snprintf(arg, sizeof(arg), PREFIX_OPT "=%s", own_prefix);
		eal_argv[n++] = arg;
	}
	eal_argc = n;
	return 0;
}

const char *
gen_eal_prefix(void)
{
	return own_prefix[0] != '\0' ? own_prefix : user_prefix ? user_prefix : "rte";
}

/* The EAL's rule (eal_create_runtime_dir()): /var/run for root, else
 * $XDG_RUNTIME_DIR or /tmp; then dpdk/<prefix>. */
static void
expected_rundir(char *buf, size_t len)
{
	const char *base = "/var/run";

	if (getuid() != 0) {
		base = getenv("XDG_RUNTIME_DIR");
		if (base == NULL)
			base = "/tmp";
	}
	snprintf(buf, len, "%s/dpdk/%s", base, gen_eal_prefix());
}

/* After rte_eal_cleanup() (rte_exit() runs it before exit()): the files
 * (memseg lists, config, sockets), then the directory. */
static void
rundir_remove(void)
{
	struct dirent *e;
	DIR *dir;

	if (rundir[0] == '\0')
		return;
	dir = opendir(rundir);
	if (dir == NULL)
		return;
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(dir), e->d_name, 0);
	closedir(dir);
	if (rmdir(rundir) != 0)
		fprintf(stderr, "condis-gen: cannot remove %s: %s\n", rundir, strerror(errno));
}

int
gen_eal_init(void)
{
	char expect[PATH_MAX];
	struct stat st;
	bool existed;
	int rc;

	expected_rundir(expect, sizeof(expect));
	existed = stat(expect, &st) == 0;
	rc = rte_eal_init(eal_argc, eal_argv);
	/* Ours if condis-gen named it, or if it is where this run expected it
	 * and did not exist before (rte_eal_init() may have failed after
	 * creating it). A directory found in place belongs to someone else. */
	if (strcmp(rte_eal_get_runtime_dir(), expect) == 0 &&
	    (own_prefix[0] != '\0' || !existed)) {
		snprintf(rundir, sizeof(rundir), "%s", expect);
		atexit(rundir_remove);
	}
	return rc;
}
