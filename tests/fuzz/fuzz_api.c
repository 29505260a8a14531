/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_api.c - warrend's API requests (docs/api.md) from the fuzzer: each
 * input is one or more request lines, answered by the real handlers on a
 * switch whose ports are ring ports. A reply must be one JSON line; the
 * switch is reset after each input so that inputs do not pile ports up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../wd_ring.h"

static struct warrend wd;

static void init(void)
{
	strcpy(wd.conf.name, "fuzz");
	wd.conf.fdb_max = 256;
	wd.sw = wr_switch_create(&(struct wr_switch_conf){ .fdb_max = 256, .age_s = 300,
							   .n_workers = 1 });
	wd_ring_pool = wr_ring_pool_create(8192, 256);
	wd_log_open(WD_LOG_ERR, NULL);
	if (!wd.sw || !wd_ring_pool)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *line, *nl;

	if (!wd.sw)
		init();
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (line = buf; line < buf + size; line = nl + 1) {
		char *reply;

		nl = memchr(line, '\n', (size_t)(buf + size - line));
		if (!nl)
			nl = buf + size;
		*nl = '\0';
		reply = wd_api_handle(&wd, line, (size_t)(nl - line));
		/* One line, ending the reply and nowhere else. */
		if (reply && strchr(reply, '\n') != reply + strlen(reply) - 1)
			abort();
		free(reply);
	}
	free(buf);
	wd_ring_reset(&wd);
	return 0;
}
