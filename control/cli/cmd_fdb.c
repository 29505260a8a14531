/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_fdb.c - warren fdb show|add|del|flush: the switch's forwarding database. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { FK_BD, FK_PORT, FK_ALL };
static const char *const fdb_words[] = { "bd", "port", "all" };

/*
 * The keywords of an fdb command from argv[@i] into @args, those allowed
 * (a bit per FK_*) only: bd BD, port NAME, all. WR_EXIT_USAGE or 0, with
 * *@seen the bits given.
 */
static int fdb_keywords(const struct wr_ctx *ctx, int argc, char **argv, int i,
			unsigned int allowed, struct json_object *args, unsigned int *seen)
{
	const char *words[N(fdb_words)];
	int map[N(fdb_words)];
	size_t n = 0;
	unsigned int u;
	const char *v;
	int w;

	for (size_t k = 0; k < N(fdb_words); k++)
		if (allowed & (1u << k)) {
			map[n] = (int)k;
			words[n++] = fdb_words[k];
		}
	*seen = 0;
	for (; i < argc; i++) {
		w = wr_cli_word(ctx, "keyword", argv[i], words, n);
		if (w < 0)
			return WR_EXIT_USAGE;
		w = map[w];
		if (*seen & (1u << w))
			return wr_usage(ctx, "'%s' given twice", fdb_words[w]);
		*seen |= 1u << w;
		if (w == FK_ALL) {
			json_object_object_add(args, "all", json_object_new_boolean(true));
			continue;
		}
		v = wr_next_arg(ctx, argc, argv, &i);
		if (!v)
			return WR_EXIT_USAGE;
		if (w == FK_BD) {
			if (wr_parse_u32(ctx, "bd", v, 1, WR_BD_LAST, &u))
				return WR_EXIT_USAGE;
			json_object_object_add(args, "bd", json_object_new_int((int)u));
		} else {
			if (wr_port_valid_name(v))
				return wr_usage(ctx, "port: %s", wr_err_msg());
			json_object_object_add(args, "port", json_object_new_string(v));
		}
	}
	return 0;
}

/* MAC (argv[0]) normalised, then keywords; *@args is new either way. */
static int mac_and_keywords(const struct wr_ctx *ctx, int argc, char **argv, unsigned int allowed,
			    struct json_object **args, unsigned int *seen)
{
	uint8_t m[6];
	char mac[18];

	*args = json_object_new_object();
	if (argc < 1)
		return wr_usage(ctx, "expected a MAC address");
	if (wr_parse_mac(argv[0], m))
		return wr_usage(ctx, "MAC: %s", wr_err_msg());
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	json_object_object_add(*args, "mac", json_object_new_string(mac));
	return fdb_keywords(ctx, argc, argv, 1, allowed, *args, seen);
}

#define FDB_ROW "%-4s %-17s %-15s %-6s %-8s %s\n"

static void fdb_text(struct json_object *res)
{
	struct json_object *entries = wr_json_array(res, "entries");
	char bd[8], age[24];

	printf(FDB_ROW, "BD", "MAC", "PORT", "TYPE", "AGE", "REMOTE");
	for (size_t i = 0; entries && i < json_object_array_length(entries); i++) {
		struct json_object *e = json_object_array_get_idx(entries, i);
		bool st = wr_json_bool(e, "static");

		snprintf(bd, sizeof(bd), "%" PRId64, wr_json_int(e, "bd"));
		snprintf(age, sizeof(age), st ? "-" : "%" PRId64 " s", wr_json_int(e, "age_s"));
		/* "remote": the VTEP of an entry whose port is a tunnel. */
		printf(FDB_ROW, bd, wr_json_str(e, "mac"), wr_json_str(e, "port"),
		       st ? "static" : "learnt", age,
		       wr_json_str(e, "remote")[0] ? wr_json_str(e, "remote") : "-");
	}
	printf("%" PRId64 " entries (the FDB holds %" PRId64 " at most)\n",
	       wr_json_int(res, "count"), wr_json_int(res, "max"));
}

static int fdb_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args = json_object_new_object();
	unsigned int seen;
	int err;

	err = fdb_keywords(ctx, argc, argv, 0, (1u << FK_BD) | (1u << FK_PORT), args, &seen);
	if (err) {
		json_object_put(args);
		return err;
	}
	return wr_cli_show(ctx, "fdb.show", args, fdb_text);
}

/* fdb add: the keys of fdb.add (apiform.c). */
static struct wr_form fdb_add_form = {
	.cmd = WR_CMD_FDB_ADD, .object = "fdb", .verb = "add",
	.pos = { { "mac", "MAC" } },
};

__attribute__((constructor)) static void fdb_forms(void)
{
	wr_form_init(&fdb_add_form);
}

static int fdb_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &fdb_add_form, argc, argv, NULL);
}

/* fdb del MAC [bd BD]. */
static int fdb_del(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	unsigned int seen;
	int err;

	err = mac_and_keywords(ctx, argc, argv, 1u << FK_BD, &args, &seen);
	if (err) {
		json_object_put(args);
		return err;
	}
	return wr_cli_request(ctx, "fdb.del", args, NULL);
}

static int fdb_flush(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args = json_object_new_object(), *res;
	unsigned int seen;
	int err;

	err = fdb_keywords(ctx, argc, argv, 0, (1u << FK_BD) | (1u << FK_PORT) | (1u << FK_ALL),
			   args, &seen);
	if (!err && (seen & (1u << FK_BD)) && (seen & (1u << FK_PORT)))
		err = wr_usage(ctx, "give one of 'port NAME' and 'bd BD', or neither for all");
	if (err) {
		json_object_put(args);
		return err;
	}
	err = wr_cli_request(ctx, "fdb.flush", args, &res);
	if (err)
		return err;
	printf("flushed %" PRId64 " %s\n", wr_json_int(res, "flushed"),
	       wr_json_int(res, "flushed") == 1 ? "entry" : "entries");
	json_object_put(res);
	return WR_EXIT_OK;
}

static const struct wr_arg show_args[] = {
	{ "bd BD", "only the entries of bridge domain BD" },
	{ "port NAME", "only the entries pointing at port NAME" },
	{ NULL, NULL },
};

const struct wr_cmd wr_fdb_cmds[] = {
	{
		.object = "fdb", .name = "show",
		.synopsis = "fdb show [bd BD] [port NAME]",
		.summary = "show the forwarding database of the switch",
		.description =
			"Shows the MAC addresses the switch named by -S knows, one line each: "
			"bridge domain, MAC address, port, type (learnt, or static for 'fdb add' "
			"entries, which never age or move) and the seconds since a learnt entry "
			"was last seen, and for an entry whose port is a tunnel the remote VTEP "
			"the MAC is behind ('-' for the others); then how many entries there are "
			"and the FDB's bound.\n\n"
			"JSON: warrend's fdb.show result, {\"entries\": [{bd, mac, port, static, "
			"age_s, remote}], \"count\": N, \"max\": M}, remote only where the port "
			"is a tunnel.",
		.args = show_args,
		.examples = "warren fdb show\nwarren fdb show bd 10 port p1\nwarren -j fdb show",
		.shows_state = true,
		.uses_switch = true,
		.run = fdb_show,
	},
	{
		.object = "fdb", .name = "add",
		.synopsis = fdb_add_form.synopsis,
		.summary = "add a static entry",
		.description =
			"Adds a static entry to the switch named by -S: frames to MAC in bridge "
			"domain N (default: the bridge domain of PORT) leave by PORT. A static "
			"entry never ages, and a frame from MAC on another port does not move "
			"it.\n\n"
			"PORT may be a tunnel ('warren tunnel add'): then 'remote' says which of "
			"its VTEPs the MAC is behind, and frames to MAC are encapsulated to that "
			"VTEP in the VNI that carries the bridge domain. That is how a MAC behind "
			"a VTEP is known before it has sent anything, as a controller that "
			"distributes MACs would write it.",
		.args = fdb_add_form.args,
		.examples = "warren fdb add 02:00:00:00:00:01 port p1\n"
			    "warren fdb add 02:00:00:00:00:02 port up0 bd 10\n"
			    "warren fdb add 02:00:00:00:00:03 port vx0 remote 192.0.2.2 bd 10",
		.uses_switch = true,
		.run = fdb_add,
	},
	{
		.object = "fdb", .name = "del",
		.synopsis = "fdb del MAC [bd BD]",
		.summary = "remove one entry",
		.description =
			"Removes the entry of MAC in bridge domain BD (default 1) from the switch "
			"named by -S, learnt or static. An absent entry is an error.",
		.args = (const struct wr_arg[]){
			{ "MAC", "the address" },
			{ "bd BD", "the bridge domain, 1 to 4095 (default 1)" },
			{ NULL, NULL },
		},
		.examples = "warren fdb del 02:00:00:00:00:01\nwarren fdb del 02:00:00:00:00:02 bd 10",
		.uses_switch = true,
		.run = fdb_del,
	},
	{
		.object = "fdb", .name = "flush",
		.synopsis = "fdb flush [port NAME | bd BD] [all]",
		.summary = "remove learnt entries",
		.description =
			"Removes the learnt entries of port NAME, of bridge domain BD, or of the "
			"whole switch named by -S; with 'all', static entries too. Prints how many "
			"entries went.",
		.args = (const struct wr_arg[]){
			{ "port NAME", "only the entries pointing at port NAME" },
			{ "bd BD", "only the entries of bridge domain BD" },
			{ "all", "static entries too" },
			{ NULL, NULL },
		},
		.examples = "warren fdb flush\nwarren fdb flush port p1\nwarren fdb flush bd 10 all",
		.uses_switch = true,
		.run = fdb_flush,
	},
	{ .name = NULL },
};
