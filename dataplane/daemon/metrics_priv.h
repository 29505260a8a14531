/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metrics_priv.h - warrend's Prometheus endpoint (--metrics, docs/metrics.md):
 * the text exposition writer (metrics_text.c) and the HTTP request parser
 * (metrics.c), apart so that the unit test drives each alone.
 */
#ifndef WD_METRICS_PRIV_H
#define WD_METRICS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct warrend;

/*
 * The text format 0.0.4, written into a buffer that grows: each family
 * once (# HELP, # TYPE), then its samples, all together. A failed
 * allocation is kept in @failed, and every write after it does nothing.
 */
struct wd_prom {
	char *buf;
	size_t len, size;
	bool failed;
	const char *family;	/* the family whose samples are being written */
};

/** Start family @name (counter or gauge) with @help (escaped here). */
void wd_prom_family(struct wd_prom *p, const char *name, const char *type, const char *help);
/**
 * A sample of the current family: @labels are name, value pairs ending
 * with NULL (may be NULL for none); the values are escaped here.
 */
void wd_prom_sample(struct wd_prom *p, const char *const *labels, uint64_t value);

/** Every counter of `warren stats` for @wd into @p (docs/metrics.md). [control] */
void wd_metrics_text(struct warrend *wd, struct wd_prom *p);

/* What wd_http_parse() made of a request's head. */
enum wd_http_verdict {
	WD_HTTP_MORE = 0,	/* not whole yet: read on */
	WD_HTTP_OK = 200,	/* GET /metrics */
	WD_HTTP_HEAD = 1,	/* HEAD /metrics: the headers only */
	WD_HTTP_BAD = 400,	/* not an HTTP/1.x request line */
	WD_HTTP_NOT_FOUND = 404,
	WD_HTTP_METHOD = 405,	/* a method other than GET or HEAD */
	WD_HTTP_TOO_LONG = 431,	/* no end of the head within @max bytes */
	WD_HTTP_VERSION = 505,	/* HTTP/2 and later, HTTP/0.9 */
};

/**
 * The first request in @buf (@len bytes read so far, at most @max taken):
 * a verdict once its head is whole (or can never be), WD_HTTP_MORE
 * before. What follows the head (a body, pipelined requests) is not
 * looked at: the connection closes after one answer.
 */
enum wd_http_verdict wd_http_parse(const char *buf, size_t len, size_t max);

#endif /* WD_METRICS_PRIV_H */
