/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: condis-gen's command line and INI profiles
 * (apps/condis-gen/options.c). The first byte picks the form: an argv
 * (the rest split at NUL bytes) or a profile file (the rest is the file,
 * given with --profile). A parse that succeeds must leave options inside
 * their documented ranges; one that fails must say so and return an error,
 * never crash, hang or read past its input.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "gen.h"

#define MAX_ARGS 24

#define FAIL(...) FUZZ_FAIL("fuzz_gen_options", __VA_ARGS__)

/* --help also lists the EAL defaults, which live beside EAL start-up in
 * condis-gen (eal.c); the option parser is what is under test here. */
void
gen_eal_usage(void)
{
}

static bool
seconds_ok(double s)
{
	return isfinite(s) && s >= 0 && s <= GEN_MAX_SECONDS;
}

static void
check(const struct gen_options *o)
{
	uint16_t vid;
	uint8_t prio;
	uint32_t vc;

	if (o->vcs == 0 || o->frame_size < 62 || o->frame_size > 65517 ||
	    o->workers == 0 || o->workers > GEN_MAX_WORKERS || o->nbs_per_nbl == 0 ||
	    o->nbls_per_chain == 0 || o->count > GEN_MAX_COUNT)
		FAIL("accepted out of range: vcs %u frame %u workers %u nbs %u chain %u\n",
		     o->vcs, o->frame_size, o->workers, o->nbs_per_nbl, o->nbls_per_chain);
	if (!isfinite(o->duration) || o->duration < 0 || !isfinite(o->rate_pps) ||
	    o->rate_pps < 0 || !seconds_ok(o->drain_s) || !seconds_ok(o->wait_link_s) ||
	    !seconds_ok(o->linger_s) || !seconds_ok(o->rx_idle_s))
		FAIL("accepted a time or rate out of range\n");
	for (vc = 0; vc < o->vcs && vc < 4096; vc++)
		if (gen_vlan_lookup(o, vc, &vid, &prio) && (vid > 4095 || prio > 7))
			FAIL("VC %u: VLAN %u priority %u\n", vc, vid, prio);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 4], path[64];
	struct gen_options opt;
	int argc = 0, fd = -1;
	size_t i, start;

	if (size == 0)
		return 0;
	buf = malloc(size + 1); /* NUL-terminated copy: argv strings end there */
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[argc++] = (char *)"condis-gen";
	if (data[0] & 1) {
		fd = memfd_create("profile", 0);
		if (fd < 0 || write(fd, buf, size - 1) != (ssize_t)(size - 1))
			FAIL("memfd\n");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		argv[argc++] = (char *)"--profile";
		argv[argc++] = path;
	} else {
		for (i = 0, start = 0; i < size && argc < MAX_ARGS; i++) {
			if (i == size - 1 || buf[i] == '\0') {
				argv[argc++] = buf + start;
				start = i + 1;
			}
		}
	}
	argv[argc] = NULL;
	if (gen_options_parse(&opt, argc, argv) == 0)
		check(&opt);
	if (fd >= 0)
		close(fd);
	free(buf);
	return 0;
}
