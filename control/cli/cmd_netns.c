/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_netns.c - warren netns add|del|list|exec|attach|identify|pids. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "wr_control.h"

#define PID_MAX 4194304		/* the kernel's PID_MAX_LIMIT */

/*
 * A list printed as it comes: the array is opened with its first element,
 * so that a command failing before it prints nothing on stdout.
 */
struct listing {
	bool open;
};

static void listing_item(struct listing *l)
{
	if (!l->open)
		wr_print_open_array(NULL);
	l->open = true;
}

/* Close the list after @n (a count or -errno); the exit status. */
static int listing_end(struct listing *l, int n)
{
	if (n < 0 && !l->open)
		return wr_fail();
	listing_item(l);
	wr_print_close_array();
	wr_print_end();
	return n < 0 ? wr_fail() : WR_EXIT_OK;
}

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
		if (wr_valid_netns_name(argv[i]))
			return wr_usage(ctx, "%s", wr_err_msg());
	for (int i = 0; i < argc; i++)
		if (wr_netns_del(argv[i]))
			ret = wr_fail();
	return ret;
}

static int print_name(const char *name, void *arg)
{
	listing_item(arg);
	wr_print_open_object(NULL);
	wr_print_str("name", "%s\n", name);
	wr_print_close_object();
	return 0;
}

static int print_pid(pid_t pid, void *arg)
{
	listing_item(arg);
	wr_print_open_object(NULL);
	wr_print_uint("pid", "%" PRIu64 "\n", (uint64_t)pid);
	wr_print_close_object();
	return 0;
}

static int netns_list(struct wr_ctx *ctx, int argc, char **argv)
{
	struct listing l = { false };

	(void)argv;
	if (argc)
		return wr_usage(ctx, "takes no arguments");
	return listing_end(&l, wr_netns_foreach(print_name, &l));
}

static int netns_exec(struct wr_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return wr_usage(ctx, "expected NAME and a COMMAND");
	if (wr_valid_netns_name(argv[0]))
		return wr_usage(ctx, "%s", wr_err_msg());
	wr_netns_exec(argv[0], argv + 1);
	return wr_fail();
}

static int netns_identify(struct wr_ctx *ctx, int argc, char **argv)
{
	struct listing l = { false };
	unsigned int pid = 0;

	if (argc > 1)
		return wr_usage(ctx, "expected at most one PID");
	if (argc == 1 && wr_parse_u32(ctx, "PID", argv[0], 1, PID_MAX, &pid))
		return WR_EXIT_USAGE;
	return listing_end(&l, wr_netns_identify((pid_t)pid, print_name, &l));
}

static int netns_pids(struct wr_ctx *ctx, int argc, char **argv)
{
	struct listing l = { false };
	const char *name = argc ? argv[0] : ctx->netns;

	if (argc > 1)
		return wr_usage(ctx, "expected one NAME");
	if (!name)
		return wr_usage(ctx, "expected NAME (or -n NAME)");
	if (wr_valid_netns_name(name))
		return wr_usage(ctx, "%s", wr_err_msg());
	return listing_end(&l, wr_netns_pids(name, print_pid, &l));
}

static int netns_attach(struct wr_ctx *ctx, int argc, char **argv)
{
	unsigned int pid;

	if (argc != 2)
		return wr_usage(ctx, "expected NAME and PID");
	if (wr_valid_netns_name(argv[0]))
		return wr_usage(ctx, "%s", wr_err_msg());
	if (wr_parse_u32(ctx, "PID", argv[1], 1, PID_MAX, &pid))
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
			{ "NAME...", "one or more namespace names; all are checked before the first "
			  "is deleted" },
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
	{
		.object = "netns", .name = "identify",
		.synopsis = "netns identify [PID]",
		.summary = "name the network namespace of a process",
		.description =
			"Prints every name under /run/netns whose namespace is the network "
			"namespace of process PID (of warren itself without PID), one per line in "
			"name order, as `ip netns identify`: /proc/PID/ns/net and each "
			"/run/netns/NAME are compared by device and inode. A namespace named twice "
			"(`warren netns attach` on a process of a named namespace) prints both names, "
			"where iproute2 prints one of them. Nothing is printed for a namespace "
			"without a name, such as the root namespace, a container's or one made by "
			"`unshare -n`; that is no failure.\n\n"
			"A PID that is not a process, or that exits before it is looked at, is an "
			"error, and so is a process whose namespace warren may not see (that takes "
			"the right to ptrace it: another user's process needs root).\n\n"
			"JSON: an array of objects with the key name, as `netns list`; [] for no "
			"name.",
		.args = (const struct wr_arg[]){
			{ "PID", "a process id, 1 to 4194304 (default: warren's own process, that is "
			  "the namespace warren was started in)" },
			{ NULL, NULL },
		},
		.examples = "warren netns identify $$\nwarren -j netns identify 4242",
		.shows_state = true,
		.run = netns_identify,
	},
	{
		.object = "netns", .name = "pids",
		.synopsis = "netns pids NAME",
		.summary = "list the processes inside a named namespace",
		.description =
			"Prints the id of every process whose network namespace is NAME, one per "
			"line in ascending order, as `ip netns pids`: each /proc/PID/ns/net is "
			"compared with /run/netns/NAME by device and inode. Processes are what /proc "
			"lists, so a thread that entered NAME on its own (setns) while its process "
			"stays outside is not shown. A process that exits during the scan, a zombie, "
			"and (without root) another user's process are left out, as ip does.\n\n"
			"A NAME that is not a namespace under /run/netns is an error; a namespace "
			"without processes prints nothing.\n\n"
			"JSON: an array of objects with the key pid (a number); [] when there is "
			"none.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the namespace (default: the one of -n)" },
			{ NULL, NULL },
		},
		.examples = "warren netns pids h1\nwarren -j netns pids h1\n"
			    "kill $(warren netns pids h1)",
		.shows_state = true,
		.run = netns_pids,
	},
	{ .name = NULL },
};
