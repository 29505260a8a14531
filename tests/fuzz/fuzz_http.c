/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_http.c - the HTTP request parser of warrend's metrics endpoint
 * (wd_http_parse, dataplane/daemon/metrics.c) on any bytes, read as the
 * endpoint reads them: a growing prefix. It must never read past what it
 * was given, must decide by the bound at the latest, and once it has
 * decided, more bytes must not change its mind (what follows a head is
 * never looked at).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../wd_ring.h"	/* the daemon links whole: its device calls stubbed */
#include "metrics_priv.h"

#define MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum wd_http_verdict first = WD_HTTP_MORE;

	for (size_t len = 0; len <= size; len++) {
		/* An exact copy: ASan sees any read past @len. */
		char *buf = malloc(len ? len : 1);
		enum wd_http_verdict v;

		memcpy(buf, data, len);
		v = wd_http_parse(buf, len, MAX);
		free(buf);
		if (len >= MAX && v == WD_HTTP_MORE)
			abort();
		if (first != WD_HTTP_MORE && v != first)
			abort();
		if (first == WD_HTTP_MORE)
			first = v;
	}
	return 0;
}
