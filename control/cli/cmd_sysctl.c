/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_sysctl.c - warren sysctl get|set: net.* sysctls of a namespace. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

#define VALUE_MAX 4096

static int sysctl_get(struct wr_ctx *ctx, int argc, char **argv)
{
	static char val[VALUE_MAX];
	int ret = WR_EXIT_OK;

	if (argc < 1)
		return wr_usage(ctx, "expected at least one KEY, e.g. net.ipv4.ip_forward");
	/* Bad keys are the command line's fault: none is read if one is wrong. */
	for (int i = 0; i < argc; i++)
		if (wr_sysctl_valid_key(argv[i]))
			return wr_usage(ctx, "%s", wr_err_msg());
	wr_print_open_object(NULL);
	for (int i = 0; i < argc; i++) {
		if (wr_sysctl_get(ctx->netns, argv[i], val, sizeof(val))) {
			ret = wr_fail();
			continue;
		}
		wr_print_text("%s = ", argv[i]);
		wr_print_str(argv[i], "%s\n", val);
	}
	wr_print_close_object();
	wr_print_end();
	return ret;
}

static int sysctl_set(struct wr_ctx *ctx, int argc, char **argv)
{
	char key[WR_SYSCTL_KEY_MAX + 1];
	int ret = WR_EXIT_OK;

	if (argc < 1)
		return wr_usage(ctx, "expected at least one KEY=VALUE, e.g. net.ipv4.ip_forward=1");
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (!eq)
			return wr_usage(ctx, "'%s': expected KEY=VALUE", argv[i]);
		if ((size_t)(eq - argv[i]) >= sizeof(key))
			return wr_usage(ctx, "'%.40s...': key too long", argv[i]);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (wr_sysctl_valid_key(key))
			return wr_usage(ctx, "%s", wr_err_msg());
	}
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (wr_sysctl_set(ctx->netns, key, eq + 1))
			ret = wr_fail();
	}
	return ret;
}

const struct wr_cmd wr_sysctl_cmds[] = {
	{
		.object = "sysctl", .name = "get",
		.synopsis = "sysctl get KEY...",
		.summary = "read net.* sysctls of a namespace",
		.description =
			"Reads each KEY in the namespace given with -n (the root namespace without "
			"it), as `ip netns exec NETNS sysctl KEY`. Only keys under net. belong to a "
			"namespace, so only they are accepted. Keys are written with dots "
			"(net.ipv4.conf.all.forwarding) and map to files under /proc/sys/net; as "
			"in sysctl(8), a '/' stands for a dot inside a part, for devices such "
			"as eth0.10 (net.ipv4.conf.eth0/10.forwarding).\n\n"
			"Text: one 'KEY = VALUE' line per key, as sysctl(8). JSON: one object, KEY "
			"→ VALUE, values as strings, exactly as the kernel gives them (a value of "
			"several fields keeps its tabs). A key that cannot be read is reported on "
			"stderr and the others are still shown; the exit status is then 1.",
		.args = (const struct wr_arg[]){
			{ "KEY...", "one or more keys, e.g. net.ipv4.ip_forward, "
			  "net.ipv6.conf.all.forwarding" },
			{ NULL, NULL },
		},
		.examples = "warren -n r1 sysctl get net.ipv4.ip_forward\n"
			    "warren -j -n r1 sysctl get net.ipv4.ip_forward net.ipv6.conf.all.forwarding",
		.shows_state = true,
		.run = sysctl_get,
	},
	{
		.object = "sysctl", .name = "set",
		.synopsis = "sysctl set KEY=VALUE...",
		.summary = "write net.* sysctls of a namespace",
		.description =
			"Writes VALUE to each KEY in the namespace given with -n, in the order "
			"given, as `ip netns exec NETNS sysctl -w KEY=VALUE`. Every KEY is checked "
			"before anything is written; a value the kernel refuses is reported and the "
			"remaining ones are still written, with exit status 1. Nothing is printed "
			"on success.",
		.args = (const struct wr_arg[]){
			{ "KEY=VALUE...", "a net.* key and its new value, e.g. net.ipv4.ip_forward=1" },
			{ NULL, NULL },
		},
		.examples = "warren -n r1 sysctl set net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1",
		.run = sysctl_set,
	},
	{ .name = NULL },
};
