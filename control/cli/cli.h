/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - the command table of `warren`. Each command is described once:
 * the same entry gives the dispatcher its handler, `--help` its man page
 * and docs/warren.8.md its section (`warren help --markdown`).
 */
#ifndef WR_CLI_H
#define WR_CLI_H

#include <stdbool.h>

#include "print.h"

enum {
	WR_EXIT_OK = 0,
	WR_EXIT_FAIL = 1,	/* the system said no */
	WR_EXIT_USAGE = 2,	/* the command line is wrong */
};

/** Global options, parsed before OBJECT. */
struct wr_ctx {
	bool json;		/* -j */
	bool pretty;		/* -p */
	const char *netns;	/* -n NAME: default namespace for the command, NULL = root */
	const struct wr_cmd *cmd;	/* the command being run */
};

/** One argument or keyword of a command, for its help. */
struct wr_arg {
	const char *name;	/* "mtu MTU", "-j" */
	const char *help;
};

struct wr_cmd {
	const char *object;	/* "link" */
	const char *name;	/* "add" */
	const char *synopsis;	/* after "warren ": "link add NAME type KIND [OPTIONS]" */
	const char *summary;	/* one line, no period */
	const char *description;	/* paragraphs separated by blank lines */
	const struct wr_arg *args;	/* ends with { NULL } ; may be NULL */
	const char *examples;	/* one command per line; may be NULL */
	bool shows_state;	/* takes -j */
	bool passthrough;	/* arguments after the first belong to another program */
	int (*run)(struct wr_ctx *ctx, int argc, char **argv);
};

/* The commands of each object, ending with an entry whose name is NULL. */
extern const struct wr_cmd wr_netns_cmds[];
extern const struct wr_cmd wr_link_cmds[];
extern const struct wr_cmd wr_addr_cmds[];
extern const struct wr_cmd wr_route_cmds[];
extern const struct wr_cmd wr_sysctl_cmds[];
extern const struct wr_cmd wr_lab_cmds[];

/**
 * Report a usage error for ctx->cmd on stderr ("warren link add: ...", then
 * a pointer to --help) and return WR_EXIT_USAGE.
 */
int wr_usage(const struct wr_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Print wr_err_msg() as "warren: MSG" on stderr and return WR_EXIT_FAIL. */
int wr_fail(void);

/** 1 if @arg is a non-empty prefix of @word (iproute2's matches()). */
bool wr_matches(const char *arg, const char *word);

/**
 * Take the value that follows keyword argv[*i]; a usage error (and NULL)
 * when there is none. Advances *i past the value.
 */
const char *wr_next_arg(const struct wr_ctx *ctx, int argc, char **argv, int *i);

/** Parse a decimal unsigned in [min, max]; usage error text otherwise. */
int wr_parse_u32(const struct wr_ctx *ctx, const char *what, const char *text,
		 unsigned long min, unsigned long max, unsigned int *out);

/** Start printing per -j/-p to stdout. */
void wr_cli_print_start(const struct wr_ctx *ctx);

#endif /* WR_CLI_H */
