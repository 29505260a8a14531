/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * args.c - what every command's argument parsing shares: usage errors,
 * failures, unique prefixes of keywords, values after keywords, numbers.
 * Apart from main.c so that unit tests can drive a command's parser.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

const char *const wr_cli_on_off[2] = { "on", "off" };

char *wr_cli_api_msg(char *msg)
{
	wr_api_in_words(msg);
	for (char *c = msg; *c && !strchr(": '", *c); c++)
		*c = *c == '_' ? '-' : *c;
	return msg;
}

void wr_cli_metavar(const struct wr_api_key *k, const char *word, char *buf, size_t size)
{
	static const char *const by_type[] = {
		[WR_T_INT] = "N", [WR_T_VLANS] = "VLANS", [WR_T_IP] = "ADDR", [WR_T_PORT] = "PORT",
		[WR_T_MAC] = "MAC", [WR_T_GOPTS] = "OPTIONS", [WR_T_PREFIX] = "PREFIX",
		[WR_T_RANGE] = "LO-HI", [WR_T_HOPS] = "in=PORT,out=PORT[,KEY=VALUE]...",
	};
	const char *const *names = wr_cli_on_off;
	size_t o = 0;
	int n = 2;

	if ((size_t)k->type < sizeof(by_type) / sizeof(by_type[0]) && by_type[k->type]) {
		snprintf(buf, size, "%s", by_type[k->type]);
		return;
	}
	buf[0] = '\0';
	if (k->type == WR_T_ENUM)
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
	if (k->type == WR_T_ENUM || k->type == WR_T_BOOL) {
		for (int i = 0; i < n && o < size; i++)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "|" : "", names[i]);
		return;
	}
	word = word ? word : "NAME";
	for (o = 0; word[o] && o + 1 < size; o++)
		buf[o] = word[o] == '-' ? '_' : (char)toupper((unsigned char)word[o]);
	buf[o] = '\0';
}

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
