/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_mirror.c - warren mirror add|del|show: port mirrors of a warrend
 * instance. Their arguments are the keys of mirror.add, mirror.del and
 * mirror.list (wr_api.def) through apiform.c.
 */
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

static struct wr_form mirror_add = {
	.cmd = WR_CMD_MIRROR_ADD, .object = "mirror", .verb = "add",
	.pos = { { "port", "PORT" } },
};
static struct wr_form mirror_del = {
	.cmd = WR_CMD_MIRROR_DEL, .object = "mirror", .verb = "del",
	.pos = { { "port", "PORT" } },
};
static struct wr_form mirror_show = {
	.cmd = WR_CMD_MIRROR_LIST, .object = "mirror", .verb = "show",
};

__attribute__((constructor)) static void mirror_forms(void)
{
	wr_form_init(&mirror_add);
	wr_form_init(&mirror_del);
	wr_form_init(&mirror_show);
}

#define MIRROR_ROW "%-4s %-15s %-15s %-5s %12s %12s\n"

static void mirrors_text(struct json_object *res)
{
	struct json_object *ms = wr_json_array(res, "mirrors");
	char id[8], copied[24], dropped[24];

	printf(MIRROR_ROW, "ID", "PORT", "TO", "DIR", "COPIED", "DROPPED");
	for (size_t i = 0; ms && i < json_object_array_length(ms); i++) {
		struct json_object *m = json_object_array_get_idx(ms, i);

		snprintf(id, sizeof(id), "%" PRId64, wr_json_int(m, "id"));
		snprintf(copied, sizeof(copied), "%" PRId64, wr_json_int(m, "copied"));
		snprintf(dropped, sizeof(dropped), "%" PRId64, wr_json_int(m, "dropped"));
		printf(MIRROR_ROW, id, wr_json_str(m, "port"), wr_json_str(m, "to"),
		       wr_json_str(m, "dir"), copied, dropped);
	}
	printf("%zu mirrors (at most %" PRId64 ")\n", ms ? json_object_array_length(ms) : 0,
	       wr_json_int(res, "max"));
}

static int run_mirror_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &mirror_add, argc, argv, NULL);
}

static int run_mirror_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &mirror_del, argc, argv, NULL);
}

static int run_mirror_show(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &mirror_show, argc, argv, mirrors_text);
}

const struct wr_cmd wr_mirror_cmds[] = {
	{
		.object = "mirror", .name = "add",
		.synopsis = mirror_add.synopsis,
		.summary = "copy what a port receives and sends out of another port",
		.description =
			"Copies the frames PORT receives (dir rx), sends (dir tx) or both (the "
			"default) out of port TO of the switch named by -S: a namespace running "
			"tcpdump, an analyzer. A copy is one more frame on TO's send queue; when "
			"that is full (its reader is slow) the copy is dropped and counted, never "
			"waited for, and PORT's own frames are not slowed. In the kernel fast path "
			"PORT's frames, and those for it, then go through warrend, so that each is "
			"seen. TO stays a port of its bridge domain. A port is not mirrored to "
			"itself, a mirror's TO is mirrored by none and a mirrored port is no "
			"mirror's TO (no copy is copied again); at most " WR_STR(WR_MIRROR_MAX) " mirrors. A port a "
			"mirror names cannot be deleted until the mirror is. See docs/capture.md.",
		.args = mirror_add.args,
		.examples = "warren mirror add p1 to tap0\nwarren mirror add p1 to tap0 dir rx",
		.uses_switch = true,
		.run = run_mirror_add,
	},
	{
		.object = "mirror", .name = "del",
		.synopsis = mirror_del.synopsis,
		.summary = "remove a port's mirrors, or its mirror to one port",
		.description = "Removes PORT's mirrors, or only the one to TO. Safe under traffic.",
		.args = mirror_del.args,
		.examples = "warren mirror del p1\nwarren mirror del p1 to tap0",
		.uses_switch = true,
		.run = run_mirror_del,
	},
	{
		.object = "mirror", .name = "show",
		.synopsis = mirror_show.synopsis,
		.summary = "show the mirrors and their counters",
		.description =
			"Shows every mirror of the switch named by -S: its id, port, destination, "
			"direction, the copies sent and those dropped (the destination's queue "
			"was full, or its buffers ran out).\n\n"
			"JSON: warrend's mirror.list result, {\"mirrors\": [{id, port, to, dir, "
			"copied, dropped}], max}.",
		.args = mirror_show.args,
		.examples = "warren mirror show\nwarren -j mirror show",
		.shows_state = true,
		.uses_switch = true,
		.run = run_mirror_show,
	},
	{ .name = NULL },
};
