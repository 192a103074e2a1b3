/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log types: one per component, under names --log-level can match
 * ("condis" for the library, "condis.ethdev" for the ethdev miniport).
 */
#include <stdio.h>

#include <rte_log.h>

#include <condis/condis.h>
#include <condis/condis_ethdev.h>

#include "condis_test.h"

/* rte_log_dump()'s line for a log type ("id N: NAME, level is LEVEL"), or "". */
static void
log_line(const char *name, char *out, size_t len)
{
	char *buf = NULL, *line, *save = NULL, want[64];
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	out[0] = '\0';
	if (f == NULL)
		return;
	rte_log_dump(f);
	fclose(f);
	snprintf(want, sizeof(want), ": %s, level is ", name);
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, want) != NULL)
			snprintf(out, len, "%s", line);
	free(buf);
}

static void
test_log_types_named(void)
{
	char line[256];

	/* Link the library's and the miniport's objects that register them. */
	CHECK_EQ(condis_vc_state(NULL), CONDIS_VC_DELETED);
	CHECK(condis_ethdev_open(NULL) == NULL);
	log_line("condis", line, sizeof(line));
	printf("note: %s\n", line);
	CHECK(strstr(line, "level is notice") != NULL);
	log_line("condis.ethdev", line, sizeof(line));
	CHECK(strstr(line, "level is notice") != NULL);
	log_line("RTE_LOG_DEFAULT_LOGTYPE", line, sizeof(line));
	CHECK_EQ(line[0], '\0');
	/* What --log-level=condis:debug does (a glob on the exact name). */
	CHECK(rte_log_set_level_pattern("condis", RTE_LOG_DEBUG) >= 0);
	log_line("condis", line, sizeof(line));
	CHECK(strstr(line, "level is debug") != NULL);
	log_line("condis.ethdev", line, sizeof(line));
	CHECK(strstr(line, "level is notice") != NULL);
	CHECK(rte_log_set_level_pattern("condis.*", RTE_LOG_INFO) >= 0);
	log_line("condis.ethdev", line, sizeof(line));
	CHECK(strstr(line, "level is info") != NULL);
}

int
main(int argc, char **argv)
{
	static const struct condis_test_case cases[] = {
		{ "log types condis and condis.ethdev, set by name", test_log_types_named },
	};

	(void)argc;
	if (condis_test_eal_init(argv[0], NULL) != 0)
		return 1;
	return condis_test_run(cases, RTE_DIM(cases));
}
