/* SPDX-License-Identifier: BSD-3-Clause */
/* print.c - text or JSON output from the same calls (see print.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "print.h"

#define DEPTH_MAX 16

static struct {
	FILE *out;
	bool json;
	bool pretty;
	int depth;
	bool need_comma[DEPTH_MAX];
} p = { .out = NULL };

void wr_print_start(FILE *out, bool json, bool pretty)
{
	p.out = out;
	p.json = json;
	p.pretty = pretty;
	p.depth = 0;
	p.need_comma[0] = false;
}

bool wr_print_is_json(void)
{
	return p.json;
}

int wr_print_end(void)
{
	if (p.json)
		fputc('\n', p.out);
	fflush(p.out);
	return ferror(p.out) ? -EIO : 0;
}

static void json_string(const char *s)
{
	fputc('"', p.out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", p.out); break;
		case '\\': fputs("\\\\", p.out); break;
		case '\n': fputs("\\n", p.out); break;
		case '\t': fputs("\\t", p.out); break;
		case '\r': fputs("\\r", p.out); break;
		default:
			if (*c < 0x20)
				fprintf(p.out, "\\u%04x", *c);
			else
				fputc(*c, p.out);
		}
	}
	fputc('"', p.out);
}

/* Comma, newline and indent before a member; then "key": when keyed. */
static void json_member(const char *key)
{
	if (p.depth > 0 && p.need_comma[p.depth])
		fputc(',', p.out);
	if (p.pretty && p.depth > 0) {
		fputc('\n', p.out);
		for (int i = 0; i < p.depth; i++)
			fputs("  ", p.out);
	}
	p.need_comma[p.depth] = true;
	if (key) {
		json_string(key);
		fputs(p.pretty ? ": " : ":", p.out);
	}
}

static void json_open(const char *key, char c)
{
	json_member(key);
	fputc(c, p.out);
	if (p.depth + 1 < DEPTH_MAX)
		p.depth++;
	p.need_comma[p.depth] = false;
}

static void json_close(char c)
{
	bool had_members = p.need_comma[p.depth];

	if (p.depth > 0)
		p.depth--;
	if (p.pretty && had_members) {
		fputc('\n', p.out);
		for (int i = 0; i < p.depth; i++)
			fputs("  ", p.out);
	}
	fputc(c, p.out);
}

void wr_print_open_object(const char *key)
{
	if (p.json)
		json_open(key, '{');
}

void wr_print_close_object(void)
{
	if (p.json)
		json_close('}');
}

void wr_print_open_array(const char *key)
{
	if (p.json)
		json_open(key, '[');
}

void wr_print_close_array(void)
{
	if (p.json)
		json_close(']');
}

void wr_print_str(const char *key, const char *fmt, const char *val)
{
	if (p.json) {
		json_member(key);
		json_string(val ? val : "");
	} else if (fmt) {
		fprintf(p.out, fmt, val ? val : "");
	}
}

void wr_print_uint(const char *key, const char *fmt, uint64_t val)
{
	if (p.json) {
		json_member(key);
		fprintf(p.out, "%" PRIu64, val);
	} else if (fmt) {
		fprintf(p.out, fmt, val);
	}
}

void wr_print_int(const char *key, const char *fmt, int64_t val)
{
	if (p.json) {
		json_member(key);
		fprintf(p.out, "%" PRId64, val);
	} else if (fmt) {
		fprintf(p.out, fmt, val);
	}
}

void wr_print_bool(const char *key, const char *fmt, bool val)
{
	if (p.json) {
		json_member(key);
		fputs(val ? "true" : "false", p.out);
	} else if (fmt) {
		fprintf(p.out, fmt, val ? "yes" : "no");
	}
}

void wr_print_double(const char *key, const char *fmt, double val)
{
	char buf[32];

	if (p.json) {
		json_member(key);
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, val);
			if (strtod(buf, NULL) == val)
				break;
		}
		fputs(buf, p.out);
	} else if (fmt) {
		fprintf(p.out, fmt, val);
	}
}

void wr_print_null(const char *key, const char *fmt)
{
	if (p.json) {
		json_member(key);
		fputs("null", p.out);
	} else if (fmt) {
		fputs(fmt, p.out);
	}
}

void wr_print_text(const char *fmt, ...)
{
	va_list ap;

	if (p.json)
		return;
	va_start(ap, fmt);
	vfprintf(p.out, fmt, ap);
	va_end(ap);
}
