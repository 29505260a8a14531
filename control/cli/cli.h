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
#include "wr_api.h"

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
	bool bare;		/* the object's default: `warren OBJECT ARGS` runs it */
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
extern const struct wr_cmd wr_tunnel_cmds[];
extern const struct wr_cmd wr_vni_cmds[];
extern const struct wr_cmd wr_vtep_cmds[];
extern const struct wr_cmd wr_vf_cmds[];
extern const struct wr_cmd wr_steer_cmds[];
extern const struct wr_cmd wr_chain_cmds[];
extern const struct wr_cmd wr_mirror_cmds[];
extern const struct wr_cmd wr_capture_cmds[];
extern const struct wr_cmd wr_doctor_cmds[];
extern const struct wr_cmd wr_trace_cmds[];

/* The words of a BOOL key's values, true first: "on", "off". */
extern const char *const wr_cli_on_off[2];

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

/**
 * @msg of the API's (wr_api_check(), wr_port_req_put()) in the CLI's words,
 * in place: `native_vlan` is 'native', a leading mac_limit is mac-limit.
 * Returns @msg.
 */
char *wr_cli_api_msg(char *msg);

/**
 * What a value of key @k looks like in a synopsis, into @buf: N, VLANS,
 * ADDR, PORT, MAC, on|off, the enum's words as a|b|c; for a name or text,
 * @word in capitals (NULL: NAME).
 */
void wr_cli_metavar(const struct wr_api_key *k, const char *word, char *buf, size_t size);

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

struct wr_vf_conf;

/**
 * If argv[*i] is a VF setting (wr_vf_conf_keys), take it and its value
 * into @c through wr_vf_conf_put() and advance *i past the value
 * (*@qos_or_proto becomes true for qos and proto, for wr_vf_conf_finish()):
 * 0; a usage error: WR_EXIT_USAGE after printing it; 1 when it is none.
 */
int wr_cli_vf_conf(const struct wr_ctx *ctx, int argc, char **argv, int *i, struct wr_vf_conf *c,
		   bool *qos_or_proto);

/* ------------------------------------------------- API forms (apiform.c) */

#define WR_FORM_POS_MAX 3
#define WR_FORM_KW_MAX 12
/* A list of hops's keyword is followed by its hop keys' entries. */
#define WR_FORM_ARGS_MAX (WR_FORM_POS_MAX + WR_FORM_KW_MAX + WR_HOP_KEYS_MAX)

/*
 * A command whose arguments are the keys of one command of wr_api.def:
 * some taken by position, the others as keywords in their words
 * (wr_api_word(), '_' written '-'), their bounds, texts, synopsis and
 * ARGUMENTS all from the table. The first fields are the command's; the
 * rest wr_form_init() makes.
 */
struct wr_form {
	enum wr_api_cmd cmd;
	const char *object, *verb;
	struct {
		const char *key;	/* of cmd */
		const char *metavar;	/* what the synopsis calls it: "NAME", "VNI" */
	} pos[WR_FORM_POS_MAX];	/* in order; an entry with key NULL ends them */
	bool pos_optional;	/* the last positional may be left out */
	/* Two INT keys given as one keyword "LO-HI" (or "N" for both); word NULL: none. */
	struct {
		const char *word, *lo, *hi;
	} range;

	size_t n_pos, n_kw;
	const struct wr_api_key *pos_k[WR_FORM_POS_MAX];
	const struct wr_api_key *kw_k[WR_FORM_KW_MAX];	/* NULL: the range keyword */
	char kw_word[WR_FORM_KW_MAX][24];
	const char *words[WR_FORM_KW_MAX];
	char synopsis[320];
	struct wr_arg args[WR_FORM_ARGS_MAX + 1];
	char names[WR_FORM_ARGS_MAX][64], helps[WR_FORM_ARGS_MAX][384];
};

/**
 * Make @f's keywords, synopsis and ARGUMENTS from wr_api.def, and make it
 * known to wr_form_find(). Called before main() (a constructor), once per
 * form.
 */
void wr_form_init(struct wr_form *f);

/** The form of `warren @object @verb`, or NULL. */
const struct wr_form *wr_form_find(const char *object, const char *verb);

/**
 * Parse argv (after OBJECT COMMAND) by @f into *@args, a new object with
 * the keys in the table's order, checked with wr_api_check(). A usage
 * error names the word and the value and returns WR_EXIT_USAGE (*@args
 * NULL); 0 otherwise.
 */
int wr_form_args(const struct wr_ctx *ctx, const struct wr_form *f, int argc, char **argv,
		 struct json_object **args);

/** wr_form_args(), then the request; its result is printed by @text (NULL: nothing). */
int wr_form_run(const struct wr_ctx *ctx, const struct wr_form *f, int argc, char **argv,
		void (*text)(struct json_object *res));

#endif /* WR_CLI_H */
