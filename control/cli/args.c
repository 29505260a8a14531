/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * args.c - what every command's argument parsing shares: usage errors,
 * failures, unique prefixes of keywords, values after keywords, numbers.
 * Apart from main.c so that unit tests can drive a command's parser.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

bool wr_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n > 0 && n <= strlen(word) && !strncmp(arg, word, n);
}

int wr_usage(const struct wr_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx && ctx->cmd)
		fprintf(stderr, "warren %s %s: ", ctx->cmd->object, ctx->cmd->name);
	else
		fprintf(stderr, "warren: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (ctx && ctx->cmd)
		fprintf(stderr, "\nTry 'warren %s %s --help'.\n", ctx->cmd->object, ctx->cmd->name);
	else
		fprintf(stderr, "\nTry 'warren --help'.\n");
	return WR_EXIT_USAGE;
}

int wr_fail(void)
{
	fprintf(stderr, "warren: %s\n", wr_err_msg()[0] ? wr_err_msg() : "failed");
	return WR_EXIT_FAIL;
}

const char *wr_next_arg(const struct wr_ctx *ctx, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		wr_usage(ctx, "'%s' needs a value", argv[*i]);
		return NULL;
	}
	*i += 1;
	return argv[*i];
}

int wr_parse_u32(const struct wr_ctx *ctx, const char *what, const char *text,
		 unsigned long min, unsigned long max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		goto bad;
	/* ERANGE: where long is 32 bits, 2^32 would read as 4294967295. */
	errno = 0;
	v = strtoul(text, &end, 10);
	if (*end || errno || v < min || v > max)
		goto bad;
	*out = (unsigned int)v;
	return 0;
bad:
	return wr_usage(ctx, "%s: '%s' is not a number from %lu to %lu", what, text, min, max);
}

void wr_cli_print_start(const struct wr_ctx *ctx)
{
	wr_print_start(stdout, ctx->json, ctx->pretty);
}

int wr_cli_word(const struct wr_ctx *ctx, const char *what, const char *arg,
		const char *const *words, size_t n)
{
	char list[256];
	size_t o = 0;
	int found = -1;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(arg, words[i]))
			return (int)i;
		if (wr_matches(arg, words[i]))
			found = found == -1 ? (int)i : -2;
	}
	if (found >= 0)
		return found;
	list[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(list); i++)
		if (found == -1 || wr_matches(arg, words[i]))
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", o ? ", " : "",
					      words[i]);
	if (found == -2)
		wr_usage(ctx, "%s '%s' is ambiguous: %s", what, arg, list);
	else
		wr_usage(ctx, "unknown %s '%s' (expected one of: %s)", what, arg, list);
	return -1;
}
