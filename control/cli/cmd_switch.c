/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_switch.c - warren switch show|set|start|stop (a warrend instance) and
 * warren vlan set|del|show (its VLAN to bridge domain map).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define CORE_MAX 4095

static int no_args(const struct wr_ctx *ctx, int argc, char **argv)
{
	return argc ? wr_usage(ctx, "unexpected '%s'", argv[0]) : 0;
}

/* ---------------------------------------------------------------- switch */

static void print_workers(struct json_object *workers)
{
	for (size_t i = 0; workers && i < json_object_array_length(workers); i++) {
		struct json_object *w = json_object_array_get_idx(workers, i);

		printf("  worker %" PRId64 ": core %" PRId64 ", %" PRId64 " ports, %" PRId64
		       " polls, %" PRId64 " packets received%s\n", wr_json_int(w, "id"),
		       wr_json_int(w, "core"), wr_json_int(w, "ports"), wr_json_int(w, "polls"),
		       wr_json_int(w, "rx_pkts"), wr_json_bool(w, "sleeping") ? ", sleeping" : "");
	}
}

/* "  dpdk: running, EAL: --no-huge -m 512 ..." (or what it would start with). */
static void print_dpdk(struct json_object *dpdk)
{
	struct json_object *args = dpdk ? wr_json_array(dpdk, "args") : NULL;

	if (!dpdk)
		return;
	printf("  dpdk: %s, EAL", wr_json_bool(dpdk, "running") ? "running" :
	       "not started (at the first dpdk port)");
	for (size_t i = 0; args && i < json_object_array_length(args); i++)
		printf(" %s", json_object_get_string(json_object_array_get_idx(args, i)));
	printf("\n");
}

/* The API socket: clients, and what it refused or cut (docs/api.md, switch.show). */
static void print_api(struct json_object *api)
{
	struct json_object *ref = api ? json_object_object_get(api, "refused") : NULL;
	struct json_object *cut = api ? json_object_object_get(api, "cut") : NULL;

	if (!api)
		return;
	printf("  api: %" PRId64 " of %" PRId64 " clients, idle ones cut after %" PRId64 " s%s; "
	       "refused %" PRId64 " (perm %" PRId64 ", full %" PRId64 ", no fd %" PRId64 "), "
	       "cut %" PRId64 " (idle %" PRId64 ", stalled %" PRId64 ", long line %" PRId64
	       ", reply max %" PRId64 ")\n",
	       wr_json_int(api, "clients"), wr_json_int(api, "clients_max"),
	       wr_json_int(api, "client_idle_s"), wr_json_int(api, "client_idle_s") ? "" : " (never)",
	       wr_json_int(ref, "perm") + wr_json_int(ref, "full") + wr_json_int(ref, "no_fd"),
	       wr_json_int(ref, "perm"), wr_json_int(ref, "full"), wr_json_int(ref, "no_fd"),
	       wr_json_int(cut, "idle") + wr_json_int(cut, "stalled") + wr_json_int(cut, "long_line") +
	       wr_json_int(cut, "reply_max"), wr_json_int(cut, "idle"), wr_json_int(cut, "stalled"),
	       wr_json_int(cut, "long_line"), wr_json_int(cut, "reply_max"));
}

static int switch_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *health = NULL, *conf = NULL;
	struct wr_api *api;
	int err;

	if (no_args(ctx, argc, argv))
		return WR_EXIT_USAGE;
	if (wr_api_open(ctx->switch_name, &api))
		return wr_fail();
	err = wr_api_call(api, "health", NULL, &health);
	if (!err)
		err = wr_api_call(api, "switch.show", NULL, &conf);
	wr_api_close(api);
	if (err) {
		json_object_put(health);
		return wr_fail();
	}
	if (wr_print_is_json()) {
		wr_print_open_object(NULL);
		wr_cli_print_json("health", health);
		wr_cli_print_json("switch", conf);
		wr_print_close_object();
	} else {
		printf("switch %s: %s, pid %" PRId64 ", up %" PRId64 " s\n",
		       wr_json_str(health, "name"), wr_json_str(health, "status"),
		       wr_json_int(health, "pid"), wr_json_int(health, "uptime_s"));
		printf("  %" PRId64 " ports, FDB %" PRId64 " of %" PRId64 " entries, aging %" PRId64
		       " s%s, %" PRId64 " workers, busy polling %s\n", wr_json_int(health, "ports"),
		       wr_json_int(health, "fdb_entries"), wr_json_int(conf, "fdb_max"),
		       wr_json_int(conf, "age_s"), wr_json_int(conf, "age_s") ? "" : " (never)",
		       wr_json_int(conf, "workers"), wr_json_bool(conf, "busy_poll") ? "on" : "off");
		print_dpdk(json_object_object_get(conf, "dpdk"));
		print_api(json_object_object_get(conf, "api"));
		print_workers(wr_json_array(health, "workers"));
	}
	json_object_put(health);
	json_object_put(conf);
	return wr_print_end() ? WR_EXIT_FAIL : WR_EXIT_OK;
}

static const char *const aging_word[] = { "aging" };

static int switch_set(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	unsigned int age;

	if (!argc)
		return wr_usage(ctx, "nothing to change: give aging SECONDS");
	if (wr_cli_word(ctx, "keyword", argv[0], aging_word, N(aging_word)) < 0)
		return WR_EXIT_USAGE;
	if (argc < 2)
		return wr_usage(ctx, "'%s' needs a value", argv[0]);
	if (wr_parse_u32(ctx, "aging", argv[1], 0, WR_AGE_MAX, &age))
		return WR_EXIT_USAGE;
	if (argc > 2)
		return wr_usage(ctx, "unexpected '%s'", argv[2]);
	args = json_object_new_object();
	json_object_object_add(args, "age_s", json_object_new_int64(age));
	return wr_cli_request(ctx, "switch.set", args, NULL);
}

static const char *const start_words[] = { "cores", "aging", "dpdk" };

/* The value of `dpdk`: 0, or WR_EXIT_USAGE after saying what is wrong. */
static int dpdk_value(const struct wr_ctx *ctx, const char *v)
{
	/* warrend splits the string at blanks: one of blanks only is no argument. */
	if (!v[strspn(v, " \t\n")])
		return wr_usage(ctx, "dpdk: no EAL arguments in '%s' (give them as one quoted "
				"string: dpdk '--no-huge -m 512')", v);
	if (strlen(v) > WR_DPDK_ARGS_MAX)
		return wr_usage(ctx, "dpdk: the EAL arguments are %zu bytes, at most %d are "
				"allowed", strlen(v), WR_DPDK_ARGS_MAX);
	return 0;
}

static int switch_start(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_range cores[WR_RANGES_MAX];
	const char *cores_text = NULL, *dpdk_args = NULL;
	char list[WR_RANGES_MAX * 12];
	int64_t age_s = -1;
	unsigned int age;
	size_t n;
	int w;

	for (int i = 0; i < argc; i++) {
		w = wr_cli_word(ctx, "keyword", argv[i], start_words, N(start_words));
		if (w < 0 || !wr_next_arg(ctx, argc, argv, &i))
			return WR_EXIT_USAGE;
		if ((w == 0 && cores_text) || (w == 1 && age_s >= 0) || (w == 2 && dpdk_args))
			return wr_usage(ctx, "'%s' given twice", start_words[w]);
		if (w == 0) {
			if (wr_range_list_parse(argv[i], "core", 0, CORE_MAX, cores, WR_RANGES_MAX,
						&n))
				return wr_usage(ctx, "cores: %s", wr_err_msg());
			cores_text = wr_range_list_format(cores, n, list, sizeof(list));
		} else if (w == 1) {
			if (wr_parse_u32(ctx, "aging", argv[i], 0, WR_AGE_MAX, &age))
				return WR_EXIT_USAGE;
			age_s = age;
		} else {
			if (dpdk_value(ctx, argv[i]))
				return WR_EXIT_USAGE;
			dpdk_args = argv[i];
		}
	}
	if (wr_switch_start(ctx->switch_name, cores_text, age_s, dpdk_args))
		return wr_fail();
	printf("switch %s: started\n", ctx->switch_name);
	return WR_EXIT_OK;
}

static int switch_stop(struct wr_ctx *ctx, int argc, char **argv)
{
	if (no_args(ctx, argc, argv))
		return WR_EXIT_USAGE;
	if (wr_switch_stop(ctx->switch_name))
		return wr_fail();
	printf("switch %s: stopped\n", ctx->switch_name);
	return WR_EXIT_OK;
}

const struct wr_cmd wr_switch_cmds[] = {
	{
		.object = "switch", .name = "show",
		.synopsis = "switch show",
		.summary = "show the state and settings of the switch",
		.description =
			"Asks the switch named by -S how it is: its status (ok, or degraded when "
			"a port's device went away), pid and uptime; how many ports and FDB "
			"entries it has, of how many at most; the aging time of learnt entries "
			"(0: never); whether DPDK's EAL runs, and with which arguments (or "
			"would start with, at the first dpdk port); its API socket: clients "
			"connected, of how many, after how long a silent one is cut, and the "
			"connections it refused or cut, by cause; and per worker thread its "
			"core, ports, polls, packets received and whether it sleeps for lack of "
			"traffic.\n\n"
			"JSON: {\"health\": H, \"switch\": S}, H and S being warrend's health and "
			"switch.show results with the keys of docs/api.md.",
		.examples = "warren switch show\nwarren -j -S lab1 switch show",
		.shows_state = true,
		.uses_switch = true,
		.run = switch_show,
	},
	{
		.object = "switch", .name = "set",
		.synopsis = "switch set aging SECONDS",
		.summary = "change a setting of the switch",
		.description =
			"Sets the aging time of the switch named by -S: a learnt FDB entry not "
			"seen for SECONDS goes (0: entries never age). Static entries never age.",
		.args = (const struct wr_arg[]){
			{ "aging SECONDS", "0 to 31536000 (a year; warrend's default is 300)" },
			{ NULL, NULL },
		},
		.examples = "warren switch set aging 60",
		.uses_switch = true,
		.run = switch_set,
	},
	{
		.object = "switch", .name = "start",
		.synopsis = "switch start [cores LIST] [aging SECONDS] [dpdk 'EAL ARGS']",
		.summary = "start the switch",
		.description =
			"Starts the warrend instance named by -S as a daemon: `warrend --name NAME "
			"--daemon [--cores LIST] [--age SECONDS] [--dpdk 'EAL ARGS']`, and returns "
			"once it answers on "
			"its socket (/run/warren/NAME.sock). warrend is $WARREND if set, else the "
			"one next to this warren in a build tree (../dataplane/warrend), else the "
			"one in $PATH. An instance that is running already is an error; so is a "
			"warrend that fails to start, with its own message.\n\n"
			"dpdk gives the arguments with which warrend starts DPDK's EAL at its "
			"first dpdk port ('warren port add NAME type dpdk devargs ...'), as one "
			"quoted string that warrend splits at blanks, so no argument can hold a "
			"blank. Without it the EAL starts with warrend's defaults.\n\n"
			"With $WARREN_RUN_DIR set (tests), sockets live in that directory "
			"instead of /run/warren, and warrend is given --run-dir with it.",
		.args = (const struct wr_arg[]){
			{ "cores LIST", "the CPU cores of the worker threads: numbers and ranges "
			  "separated by commas, 1,3-4 (default: warrend's choice)" },
			{ "aging SECONDS", "the aging time of learnt FDB entries, 0 (never) to "
			  "31536000 (default 300)" },
			{ "dpdk 'EAL ARGS'", "the EAL's arguments, separated by blanks, at most 1023 "
			  "bytes: '--no-huge -m 512 --file-prefix lab1' (default: warrend's)" },
			{ NULL, NULL },
		},
		.examples = "warren switch start\nwarren -S lab1 switch start cores 2,3 aging 60\n"
			    "warren -S lab1 switch start dpdk '--no-huge -m 512 --file-prefix lab1'",
		.uses_switch = true,
		.run = switch_start,
	},
	{
		.object = "switch", .name = "stop",
		.synopsis = "switch stop",
		.summary = "stop the switch",
		.description =
			"Asks the instance named by -S to shut down, as SIGTERM would, and waits up "
			"to 5 seconds for it to exit. Its ports are released (their XDP programs "
			"detached); their devices stay. If a lab started the instance, the lab "
			"forgets it did (its mark /run/warren/NAME.lab goes).",
		.examples = "warren switch stop\nwarren -S lab1 switch stop",
		.uses_switch = true,
		.run = switch_stop,
	},
	{ .name = NULL },
};

/* ------------------------------------------------------------------ vlan */

/* VLAN (argv[0]) into a new @args as "vlan". */
static int take_vlan(const struct wr_ctx *ctx, int argc, char **argv, struct json_object **args)
{
	unsigned int vlan;

	*args = NULL;
	if (argc < 1)
		return wr_usage(ctx, "expected a VLAN id");
	if (wr_parse_u32(ctx, "VLAN", argv[0], 1, WR_VLAN_LAST, &vlan))
		return WR_EXIT_USAGE;
	*args = json_object_new_object();
	json_object_object_add(*args, "vlan", json_object_new_int((int)vlan));
	return 0;
}

static const char *const bd_word[] = { "bd" };

static int vlan_set(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	unsigned int bd;
	int err;

	err = take_vlan(ctx, argc, argv, &args);
	if (!err && argc < 3)
		err = wr_usage(ctx, "expected VLAN bd BD");
	if (!err && wr_cli_word(ctx, "keyword", argv[1], bd_word, N(bd_word)) < 0)
		err = WR_EXIT_USAGE;
	if (!err)
		err = wr_parse_u32(ctx, "bd", argv[2], 1, WR_BD_LAST, &bd);
	if (!err && argc > 3)
		err = wr_usage(ctx, "unexpected '%s'", argv[3]);
	if (err) {
		json_object_put(args);
		return err;
	}
	json_object_object_add(args, "bd", json_object_new_int((int)bd));
	return wr_cli_request(ctx, "vlan.set", args, NULL);
}

static int vlan_del(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	int err;

	err = take_vlan(ctx, argc, argv, &args);
	if (!err && argc > 1)
		err = wr_usage(ctx, "unexpected '%s'", argv[1]);
	if (err) {
		json_object_put(args);
		return err;
	}
	return wr_cli_request(ctx, "vlan.del", args, NULL);
}

static void vlans_text(struct json_object *res)
{
	struct json_object *vlans = wr_json_array(res, "vlans");

	printf("%-5s %s\n", "VLAN", "BD");
	for (size_t i = 0; vlans && i < json_object_array_length(vlans); i++) {
		struct json_object *v = json_object_array_get_idx(vlans, i);

		printf("%-5" PRId64 " %" PRId64 "\n", wr_json_int(v, "vlan"), wr_json_int(v, "bd"));
	}
}

static int vlan_show(struct wr_ctx *ctx, int argc, char **argv)
{
	if (no_args(ctx, argc, argv))
		return WR_EXIT_USAGE;
	return wr_cli_show(ctx, "vlan.list", NULL, vlans_text);
}

const struct wr_cmd wr_vlan_cmds[] = {
	{
		.object = "vlan", .name = "set",
		.synopsis = "vlan set VLAN bd BD",
		.summary = "map a VLAN to a bridge domain",
		.description =
			"Makes the frames of VLAN (on access and trunk ports) belong to bridge "
			"domain BD in the switch named by -S. Without a mapping, VLAN N belongs to "
			"bridge domain N; a mapping lets two VLANs share a domain, or a VLAN meet "
			"the ports without VLANs of a domain.",
		.args = (const struct wr_arg[]){
			{ "VLAN", "the VLAN id, 1 to 4094" },
			{ "bd BD", "the bridge domain, 1 to 4095" },
			{ NULL, NULL },
		},
		.examples = "warren vlan set 10 bd 100\nwarren vlan set 20 bd 1",
		.uses_switch = true,
		.run = vlan_set,
	},
	{
		.object = "vlan", .name = "del",
		.synopsis = "vlan del VLAN",
		.summary = "remove the mapping of a VLAN",
		.description =
			"Removes the mapping 'vlan set' gave VLAN in the switch named by -S: its "
			"frames belong to bridge domain VLAN again. A VLAN without a mapping is an "
			"error.",
		.args = (const struct wr_arg[]){
			{ "VLAN", "the VLAN id, 1 to 4094" },
			{ NULL, NULL },
		},
		.examples = "warren vlan del 10",
		.uses_switch = true,
		.run = vlan_del,
	},
	{
		.object = "vlan", .name = "show",
		.synopsis = "vlan show",
		.summary = "show the VLAN to bridge domain map",
		.description =
			"Lists the VLANs mapped with 'vlan set' in the switch named by -S and their "
			"bridge domains; the VLANs not listed belong to the bridge domain of their "
			"own number.\n\n"
			"JSON: warrend's vlan.list result, {\"vlans\": [{\"vlan\": V, \"bd\": B}]}.",
		.examples = "warren vlan show\nwarren -j vlan show",
		.shows_state = true,
		.uses_switch = true,
		.run = vlan_show,
	},
	{ .name = NULL },
};
