/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - the command table of `warren`. Each command is described once:
 * the same entry gives the dispatcher its handler, `--help` its man page
 * and docs/warren.8.md its section (`warren help --markdown`).
 */
#ifndef WR_CLI_H
#define WR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "print.h"

struct json_object;
struct wr_link_change;
struct wr_link_spec;
struct wr_port_req;

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
	const char *switch_name;	/* -S NAME: the warrend instance (never NULL) */
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
	bool uses_switch;	/* talks to warrend: takes -S */
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
extern const struct wr_cmd wr_port_cmds[];
extern const struct wr_cmd wr_fdb_cmds[];
extern const struct wr_cmd wr_vlan_cmds[];
extern const struct wr_cmd wr_stats_cmds[];
extern const struct wr_cmd wr_switch_cmds[];

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

/**
 * The index of @arg in @words (@n of them), exactly or as a unique prefix;
 * -1 after a usage error naming @what ("keyword", "type") and the choices.
 */
int wr_cli_word(const struct wr_ctx *ctx, const char *what, const char *arg,
		const char *const *words, size_t n);

/* ------------------------------------------- talking to warrend (reply.c) */

/**
 * Send @cmd with @args (NULL for none; consumed) to the instance of -S and
 * wait for the reply; *@result (when not NULL) gets the result, which the
 * caller puts. WR_EXIT_OK, or WR_EXIT_FAIL after printing the failure.
 */
int wr_cli_request(const struct wr_ctx *ctx, const char *cmd, struct json_object *args,
		   struct json_object **result);

/**
 * Send @cmd with @args (consumed) and show the result: for -j as it is
 * (wr_cli_print_json()), for people through @text. A WR_EXIT_* status.
 */
int wr_cli_show(const struct wr_ctx *ctx, const char *cmd, struct json_object *args,
		void (*text)(struct json_object *res));

/** Print @o under @key through print.h (for -j): the daemon's own keys and types. */
void wr_cli_print_json(const char *key, struct json_object *o);

/**
 * @a, a VLAN list of the API ([10, "20-29"]), as text "10,20-29" into @buf
 * ("-" when empty); returns @buf.
 */
const char *wr_cli_vlan_list(struct json_object *a, char *buf, size_t size);

/* ------------------------------------------------------ parsers (testable) */

/**
 * Parse `port add NAME ...` (@add) or `port set NAME ...` (argv[0] is NAME)
 * into @pc, which it initialises. A usage error returns WR_EXIT_USAGE
 * after printing it; 0 otherwise.
 */
int wr_cli_port_args(const struct wr_ctx *ctx, int argc, char **argv, bool add,
		     struct wr_port_req *pc);

/**
 * Parse `link add NAME type KIND ...` into @spec and into @chg, what is set
 * right after creation (mtu, address, up); both are initialised here. A
 * usage error returns WR_EXIT_USAGE after printing it; 0 otherwise.
 */
int wr_cli_link_add_args(const struct wr_ctx *ctx, int argc, char **argv,
			 struct wr_link_spec *spec, struct wr_link_change *chg);

#endif /* WR_CLI_H */
