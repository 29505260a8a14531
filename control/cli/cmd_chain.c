/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_chain.c - warren chain add|del|show|hop: the service chains of a
 * warrend instance. Their arguments are the keys of chain.add, chain.del,
 * chain.list and chain.hop (wr_api.def) through apiform.c; a hop of
 * chain.add's list is one keyword, "hop in=PORT,out=PORT", each time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

static struct wr_form chain_add = {
	.cmd = WR_CMD_CHAIN_ADD, .object = "chain", .verb = "add",
	.pos = { { "name", "NAME" } },
};
static struct wr_form chain_del = {
	.cmd = WR_CMD_CHAIN_DEL, .object = "chain", .verb = "del",
	.pos = { { "chain", "CHAIN" } },
};
static struct wr_form chain_show = {
	.cmd = WR_CMD_CHAIN_LIST, .object = "chain", .verb = "show",
	.pos = { { "chain", "CHAIN" } },
	.pos_optional = true,
};
static struct wr_form chain_hop = {
	.cmd = WR_CMD_CHAIN_HOP, .object = "chain", .verb = "hop",
	.pos = { { "chain", "CHAIN" }, { "hop", "HOP" }, { "state", "up|down" } },
};

/* Before main(): the command table below points at what this makes. */
__attribute__((constructor)) static void chain_forms(void)
{
	wr_form_init(&chain_add);
	wr_form_init(&chain_del);
	wr_form_init(&chain_show);
	wr_form_init(&chain_hop);
}

/* The classifier as chain add takes it: "proto 6 dst-port 80". */
static void class_text(struct json_object *cls, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	json_object_object_foreach(cls, key, val) {
		char word[24];

		snprintf(word, sizeof(word), "%s", key);
		for (char *c = word; *c; c++)
			*c = *c == '_' ? '-' : *c;
		if (o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%s %s", o ? " " : "", word,
					      json_object_get_string(val));
	}
}

/* Under a hop's row: why it is down, and its probe with what it found. */
static void hop_detail(struct json_object *j)
{
	struct json_object *why = wr_json_array(j, "why"), *p;
	char port[16] = "";

	if (why && json_object_array_length(why)) {
		printf("      down:");
		for (size_t i = 0; i < json_object_array_length(why); i++)
			printf("%s %s", i ? "," : "",
			       json_object_get_string(json_object_array_get_idx(why, i)));
		printf("\n");
	}
	if (!json_object_object_get_ex(j, "probe", &p))
		return;
	if (json_object_object_get_ex(p, "target_port", NULL))
		snprintf(port, sizeof(port), " port %" PRId64, wr_json_int(p, "target_port"));
	printf("      probe %s %s%s from %s every %" PRId64 " ms: %s, %" PRId64 " of %" PRId64
	       " failed", wr_json_str(p, "probe"), wr_json_str(p, "target"), port,
	       wr_json_str(p, "netns"), wr_json_int(p, "interval_ms"), wr_json_str(p, "state"),
	       wr_json_int(p, "failed"), wr_json_int(p, "sent"));
	if (*wr_json_str(p, "error"))
		printf("; last error: %s", wr_json_str(p, "error"));
	printf("\n");
}

#define HOP_ROW "  %-3s %-15s %-15s %-4s %-6s %-5s %-19s %10s %10s %9s %9s\n"

static void chains_text(struct json_object *res)
{
	struct json_object *chains = wr_json_array(res, "chains");
	char cls[256];

	for (size_t i = 0; chains && i < json_object_array_length(chains); i++) {
		struct json_object *c = json_object_array_get_idx(chains, i), *v;
		struct json_object *hops = wr_json_array(c, "hops");

		class_text(json_object_object_get_ex(c, "classifier", &v) ? v : NULL, cls, sizeof(cls));
		printf("chain %s bd %" PRId64 " priority %" PRId64 ": %s\n", wr_json_str(c, "name"),
		       wr_json_int(c, "bd"), wr_json_int(c, "priority"), cls);
		if (json_object_object_get_ex(c, "matched", &v))
			printf("  matched %" PRId64 " forward, %" PRId64 " reverse\n",
			       wr_json_int(v, "forward"), wr_json_int(v, "reverse"));
		printf(HOP_ROW, "HOP", "IN", "OUT", "KIND", "FAIL", "STATE", "SINCE", "FWD IN/BACK",
		       "REV IN/BACK", "BYPASSED", "DROPPED");
		for (size_t h = 0; hops && h < json_object_array_length(hops); h++) {
			struct json_object *j = json_object_array_get_idx(hops, h), *f = NULL, *r = NULL;
			char hop[8], since[24], fwd[24], rev[24], byp[24], drop[24];
			time_t t = (time_t)wr_json_int(j, "since");
			struct tm tm;

			json_object_object_get_ex(j, "forward", &f);
			json_object_object_get_ex(j, "reverse", &r);
			snprintf(hop, sizeof(hop), "%" PRId64, wr_json_int(j, "hop"));
			strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
			snprintf(fwd, sizeof(fwd), "%" PRId64 "/%" PRId64, wr_json_int(f, "into"),
				 wr_json_int(f, "back"));
			snprintf(rev, sizeof(rev), "%" PRId64 "/%" PRId64, wr_json_int(r, "into"),
				 wr_json_int(r, "back"));
			snprintf(byp, sizeof(byp), "%" PRId64,
				 wr_json_int(f, "bypassed") + wr_json_int(r, "bypassed"));
			snprintf(drop, sizeof(drop), "%" PRId64,
				 wr_json_int(f, "dropped") + wr_json_int(r, "dropped"));
			printf(HOP_ROW, hop, wr_json_str(j, "in"), wr_json_str(j, "out"),
			       wr_json_str(j, "kind"), wr_json_str(j, "fail"), wr_json_str(j, "state"),
			       since, fwd, rev, byp, drop);
			hop_detail(j);
		}
	}
	printf("%" PRId64 " chains (at most %" PRId64 ")\n", wr_json_int(res, "count"),
	       wr_json_int(res, "max"));
}

static int run_chain_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &chain_add, argc, argv, NULL);
}

static int run_chain_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &chain_del, argc, argv, NULL);
}

static int run_chain_show(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &chain_show, argc, argv, chains_text);
}

static int run_chain_hop(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &chain_hop, argc, argv, NULL);
}

const struct wr_cmd wr_chain_cmds[] = {
	{
		.object = "chain", .name = "add",
		.synopsis = chain_add.synopsis,
		.summary = "send a bridge domain's frames that match through network functions",
		.description =
			"Adds a service chain to the switch named by -S: frames of bridge domain N "
			"from its ordinary ports that the classifier matches (every field given must "
			"match; at least one) go through the hops in order, each hop a pair of "
			"ports into a network function: in by 'in', back by 'out'. After the last "
			"hop they are bridged in the domain as any frame. Frames that match with "
			"source and destination swapped (the answers) go through the hops in "
			"reverse: in by 'out', back by 'in'. Chains are asked by priority, lowest "
			"first, then by name.\n\n"
			"Hop ports leave their bridge domains while the chain lives: they learn "
			"nothing and get no flooded frame; they must be untagged, and cannot be "
			"deleted or moved meanwhile. A hop down (warren chain hop, a port "
			"without carrier, or its probe failing) is skipped with fail=open (the "
			"default) or its frames dropped (chain_hop_down) with fail=closed.\n\n"
			"A hop's probe (probe=ping or probe=tcp, with target, netns, and for tcp "
			"target-port) is sent by warrend from namespace netns every interval-ms; "
			"fails failures in a row (each an error, or no answer in timeout-ms) take "
			"the hop down, passes successes bring it back. Only kind=l2 (transparent) "
			"hops are supported yet. At most 64 chains, 8 hops each. See "
			"docs/chains.md.",
		.args = chain_add.args,
		.examples =
			"warren chain add web bd 1 proto 6 dst-port 80 hop in=fw-in,out=fw-out\n"
			"warren chain add all bd 1 src 10.0.0.0/8 hop in=fw-in,out=fw-out "
			"hop in=lb-in,out=lb-out,fail=closed\n"
			"warren chain add web bd 1 proto 6 dst-port 80 hop in=fw-in,out=fw-out,probe=ping,"
			"target=10.9.0.2,netns=mgmt,interval-ms=200,fails=2",
		.uses_switch = true,
		.run = run_chain_add,
	},
	{
		.object = "chain", .name = "del",
		.synopsis = chain_del.synopsis,
		.summary = "remove a service chain",
		.description =
			"Removes the chain from the switch named by -S: its frames are bridged "
			"again, its hop ports are ordinary ports of their own bridge domain again. "
			"Safe under traffic.",
		.args = chain_del.args,
		.examples = "warren chain del web",
		.uses_switch = true,
		.run = run_chain_del,
	},
	{
		.object = "chain", .name = "show",
		.synopsis = chain_show.synopsis,
		.summary = "show the service chains, their hops' state and counters",
		.description =
			"Shows every chain of the switch named by -S, or CHAIN: its classifier, the "
			"frames it took each way, and per hop its ports, kind, fail mode, state "
			"(up: set up, both ports with carrier and its probe passing), the time of "
			"its last change (UTC), frames into it and back from it each way, bypassed "
			"and dropped; under a hop down, why (admin, link, probe), and under a hop "
			"with a probe, what it found and its last error.\n\n"
			"JSON: warrend's chain.list result, {\"chains\": [{name, bd, priority, "
			"classifier, matched: {forward, reverse}, hops: [{hop, in, out, kind, fail, "
			"state, admin, link, why, since, probe: {...}, forward: {into, back, "
			"bypassed, dropped}, reverse: {...}}]}], count, max}.",
		.args = chain_show.args,
		.examples = "warren chain show\nwarren -j chain show web",
		.shows_state = true,
		.uses_switch = true,
		.run = run_chain_show,
	},
	{
		.object = "chain", .name = "hop",
		.synopsis = chain_hop.synopsis,
		.summary = "set a hop of a chain up or down",
		.description =
			"Sets hop HOP (0 is the first) of CHAIN administratively down (its frames "
			"bypassed or dropped, as its fail mode says) or up again (used while both "
			"its ports have carrier). The time of the change is what chain show says.",
		.args = chain_hop.args,
		.examples = "warren chain hop web 1 down\nwarren chain hop web 1 up",
		.uses_switch = true,
		.run = run_chain_hop,
	},
	{ .name = NULL },
};
