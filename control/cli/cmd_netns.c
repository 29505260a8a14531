/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_netns.c - warren netns add|del|list|exec|attach. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "wr_control.h"

static int netns_add(struct wr_ctx *ctx, int argc, char **argv)
{
	if (argc != 1)
		return wr_usage(ctx, "expected exactly one NAME");
	if (wr_valid_netns_name(argv[0]))
		return wr_usage(ctx, "%s", wr_err_msg());
	return wr_netns_add(argv[0]) ? wr_fail() : WR_EXIT_OK;
}

static int netns_del(struct wr_ctx *ctx, int argc, char **argv)
{
	int ret = WR_EXIT_OK;

	if (argc < 1)
		return wr_usage(ctx, "expected at least one NAME");
	for (int i = 0; i < argc; i++)
		if (wr_netns_del(argv[i]))
			ret = wr_fail();
	return ret;
}

static int print_one(const char *name, void *arg)
{
	(void)arg;
	wr_print_open_object(NULL);
	wr_print_str("name", "%s\n", name);
	wr_print_close_object();
	return 0;
}

static int netns_list(struct wr_ctx *ctx, int argc, char **argv)
{
	int n;

	(void)argv;
	if (argc)
		return wr_usage(ctx, "takes no arguments");
	wr_print_open_array(NULL);
	n = wr_netns_foreach(print_one, NULL);
	wr_print_close_array();
	wr_print_end();
	return n < 0 ? wr_fail() : WR_EXIT_OK;
}

static int netns_exec(struct wr_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return wr_usage(ctx, "expected NAME and a COMMAND");
	wr_netns_exec(argv[0], argv + 1);
	return wr_fail();
}

static int netns_attach(struct wr_ctx *ctx, int argc, char **argv)
{
	unsigned int pid;

	if (argc != 2)
		return wr_usage(ctx, "expected NAME and PID");
	if (wr_valid_netns_name(argv[0]))
		return wr_usage(ctx, "%s", wr_err_msg());
	if (wr_parse_u32(ctx, "PID", argv[1], 1, 4194304, &pid))
		return WR_EXIT_USAGE;
	return wr_netns_attach(argv[0], (pid_t)pid) ? wr_fail() : WR_EXIT_OK;
}

const struct wr_cmd wr_netns_cmds[] = {
	{
		.object = "netns", .name = "add",
		.synopsis = "netns add NAME",
		.summary = "create a named network namespace",
		.description =
			"Creates a new network namespace and keeps it alive with a bind mount on "
			"/run/netns/NAME, exactly as `ip netns add` does: `ip netns list` shows it "
			"and `ip netns exec` enters it. /run/netns is made a shared mount point on "
			"first use.\n\n"
			"The namespace holds only a loopback device, down. It lives until "
			"`warren netns del NAME` and the last process inside it are gone.",
		.args = (const struct wr_arg[]){
			{ "NAME", "1 to 64 characters from A-Z a-z 0-9 _ . -" },
			{ NULL, NULL },
		},
		.examples = "warren netns add h1",
		.run = netns_add,
	},
	{
		.object = "netns", .name = "del",
		.synopsis = "netns del NAME...",
		.summary = "remove named network namespaces",
		.description =
			"Unmounts /run/netns/NAME and removes it. As with `ip netns del`, the "
			"namespace and its devices disappear once no process runs in it any more; "
			"a veth whose one end lived there disappears with it.",
		.args = (const struct wr_arg[]){
			{ "NAME...", "one or more namespace names" },
			{ NULL, NULL },
		},
		.examples = "warren netns del h1 h2",
		.run = netns_del,
	},
	{
		.object = "netns", .name = "list",
		.synopsis = "netns list",
		.summary = "list named network namespaces",
		.description =
			"Lists the namespaces under /run/netns in name order, whoever made them "
			"(warren, `ip netns add`, or `warren netns attach`).\n\n"
			"JSON: an array of objects with the key name.",
		.examples = "warren netns list\nwarren -j netns list",
		.shows_state = true,
		.run = netns_list,
	},
	{
		.object = "netns", .name = "exec",
		.synopsis = "netns exec NAME COMMAND [ARGS...]",
		.summary = "run a command inside a named namespace",
		.description =
			"Runs COMMAND in namespace NAME as `ip netns exec` does: in a private mount "
			"namespace where /sys is remounted to show NAME's devices and every file "
			"under /etc/netns/NAME/ is bind-mounted over the file of the same name in "
			"/etc (resolv.conf, hosts, ...). warren is replaced by COMMAND, so the exit "
			"status is COMMAND's.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the namespace" },
			{ "COMMAND [ARGS...]", "looked up in PATH; its own options are passed as they are" },
			{ NULL, NULL },
		},
		.examples = "warren netns exec h1 ping -c 1 192.0.2.2\nwarren netns exec h1 ip -br addr",
		.passthrough = true,
		.run = netns_exec,
	},
	{
		.object = "netns", .name = "attach",
		.synopsis = "netns attach NAME PID",
		.summary = "give a name to the namespace of a running process",
		.description =
			"Bind-mounts /proc/PID/ns/net on /run/netns/NAME, as `ip netns attach`: "
			"the namespace of a container or of a process started with `unshare -n` "
			"can then be used by name, and outlives the process until deleted.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the new name" },
			{ "PID", "a process whose network namespace is to be named" },
			{ NULL, NULL },
		},
		.examples = "unshare -n sleep 600 & warren netns attach box $!",
		.run = netns_attach,
	},
	{ .name = NULL },
};
