/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the libFuzzer targets share: reading an input as a program, a
 * failure libFuzzer records as a crash, and an EAL of their own that leaves
 * no runtime directory behind.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message: libFuzzer records the input as a crash. */
#define FUZZ_FAIL(target, ...) do { \
	fprintf(stderr, target ": " __VA_ARGS__); \
	abort(); \
} while (0)

/* An input read as a program: bytes past its end read as 0. */
struct fuzz_input {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fuzz_take(struct fuzz_input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint16_t
fuzz_take16(struct fuzz_input *in)
{
	return (uint16_t)(fuzz_take(in) | fuzz_take(in) << 8);
}

static char fuzz_rundir[256];

static void
fuzz_eal_cleanup(void)
{
	rte_eal_cleanup();
	rmdir(fuzz_rundir); /* --no-shconf and --no-telemetry leave it empty */
}

/* EAL for a target: no hugepages, no PCI, no shared config, a per-process
 * prefix, and the vdev given (NULL for none). 0, or -1. */
static inline int
fuzz_eal_init(const char *prog, const char *name, const char *mem_mb, const char *vdev)
{
	char prefix[64];
	char *argv[16];
	int argc = 0;

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s-%d", name, (int)getpid());
	argv[argc++] = (char *)(uintptr_t)prog;
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)"0";
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)mem_mb;
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-shconf";
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"--log-level=*:error";
	argv[argc++] = prefix;
	if (vdev != NULL) {
		argv[argc++] = (char *)(uintptr_t)"--vdev";
		argv[argc++] = (char *)(uintptr_t)vdev;
	}
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0)
		return -1;
	snprintf(fuzz_rundir, sizeof(fuzz_rundir), "%s", rte_eal_get_runtime_dir());
	atexit(fuzz_eal_cleanup);
	return 0;
}

#endif /* FUZZ_COMMON_H */
