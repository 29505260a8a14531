/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_steer.c - warren steer add|del|show: the steering rules of a warrend
 * instance. Their arguments are the keys of steer.add, steer.del and
 * steer.list (wr_api.def) through apiform.c.
 */
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

static struct wr_form steer_add = {
	.cmd = WR_CMD_STEER_ADD, .object = "steer", .verb = "add",
};
static struct wr_form steer_del = {
	.cmd = WR_CMD_STEER_DEL, .object = "steer", .verb = "del",
};
static struct wr_form steer_show = {
	.cmd = WR_CMD_STEER_LIST, .object = "steer", .verb = "show",
	.pos = { { "port", "PORT" } },
	.pos_optional = true,
};

/* Before main(): the command table below points at what this makes. */
__attribute__((constructor)) static void steer_forms(void)
{
	wr_form_init(&steer_add);
	wr_form_init(&steer_del);
	wr_form_init(&steer_show);
}

#define STEER_ROW "%-5s %-22s %-15s %-8s %12s %14s\n"

static void rules_text(struct json_object *res)
{
	struct json_object *rules = wr_json_array(res, "rules");
	char id[8], match[32], pkts[24], bytes[24];

	printf(STEER_ROW, "ID", "MATCH", "PORT", "STATE", "PKTS", "BYTES");
	for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);

		snprintf(id, sizeof(id), "%" PRId64, wr_json_int(r, "id"));
		if (wr_json_str(r, "mac")[0])
			snprintf(match, sizeof(match), "mac %s", wr_json_str(r, "mac"));
		else if (wr_json_int(r, "vlan") > 0)
			snprintf(match, sizeof(match), "vlan %" PRId64, wr_json_int(r, "vlan"));
		else
			snprintf(match, sizeof(match), "vni %" PRId64, wr_json_int(r, "vni"));
		snprintf(pkts, sizeof(pkts), "%" PRId64, wr_json_int(r, "pkts"));
		snprintf(bytes, sizeof(bytes), "%" PRId64, wr_json_int(r, "bytes"));
		printf(STEER_ROW, id, match, wr_json_str(r, "port"),
		       wr_json_bool(r, "active") ? "active" : "inactive", pkts, bytes);
	}
	printf("%" PRId64 " rules (at most %" PRId64 ")\n", wr_json_int(res, "count"),
	       wr_json_int(res, "max"));
}

static int run_steer_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &steer_add, argc, argv, NULL);
}

static int run_steer_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &steer_del, argc, argv, NULL);
}

static int run_steer_show(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &steer_show, argc, argv, rules_text);
}

const struct wr_cmd wr_steer_cmds[] = {
	{
		.object = "steer", .name = "add",
		.synopsis = steer_add.synopsis,
		.summary = "send the frames a rule matches to a port, whatever the FDB says",
		.description =
			"Adds a steering rule to the switch named by -S: unicast frames to MAC, of "
			"VLAN N, or that came off a tunnel in VNI N go to PORT, whatever the FDB "
			"has learnt or been told (an unknown destination is not flooded either). "
			"Broadcast and multicast are flooded as ever. A frame is looked up by its "
			"destination MAC first, then its VLAN, then its VNI; one rule per match.\n\n"
			"The frame leaves PORT as a bridged frame would: untagged from an access "
			"port, tagged from a trunk, dropped (vlan_not_allowed) where the port does "
			"not carry its VLAN. A port without VLANs takes only frames of its own "
			"bridge domain (others: steer_other_bd); a frame sent back to the port it "
			"came by is dropped (steer_same_port). When PORT is deleted the rule stays, "
			"inactive: its frames are dropped (steer_no_port) until a port of that "
			"name is added again. At most 4096 rules. See docs/steering.md.",
		.args = steer_add.args,
		.examples =
			"warren steer add mac 02:00:00:00:00:0b port vf1\n"
			"warren steer add vlan 100 port cap0\n"
			"warren -S hosta steer add vni 5010 port vf2",
		.uses_switch = true,
		.run = run_steer_add,
	},
	{
		.object = "steer", .name = "del",
		.synopsis = steer_del.synopsis,
		.summary = "remove a steering rule",
		.description =
			"Removes the rule of that match from the switch named by -S: its frames "
			"are bridged again. Safe under traffic.",
		.args = steer_del.args,
		.examples = "warren steer del mac 02:00:00:00:00:0b\nwarren steer del vlan 100",
		.uses_switch = true,
		.run = run_steer_del,
	},
	{
		.object = "steer", .name = "show",
		.synopsis = steer_show.synopsis,
		.summary = "show the steering rules and their counters",
		.description =
			"Shows every steering rule of the switch named by -S, or only those to "
			"PORT: its id, match, port, whether it is active (its port is there) and "
			"the frames and bytes it matched, in warrend and in the kernel fast path "
			"together.\n\n"
			"JSON: warrend's steer.list result, {\"rules\": [{id, mac | vlan | vni, "
			"port, active, pkts, bytes, fastpath_pkts}], count, max}: fastpath_pkts "
			"is the kernel's share of pkts.",
		.args = steer_show.args,
		.examples = "warren steer show\nwarren -j steer show vf1",
		.shows_state = true,
		.uses_switch = true,
		.run = run_steer_show,
	},
	{ .name = NULL },
};
