/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - `warren [GLOBAL OPTIONS] OBJECT COMMAND [ARGS]`: global options,
 * dispatch by (unique prefix of) object and command, and the help pages,
 * all from the command tables of cmd_*.c.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

struct wr_object {
	const char *name;
	const char *summary;
	const struct wr_cmd *cmds;
	const char *default_cmd;	/* run when no command is given */
};

static const struct wr_object objects[] = {
	{ "netns", "named network namespaces (iproute2-compatible)", wr_netns_cmds, "list" },
	{ "link", "network devices: veth, tap, tun, bridge, vxlan, macvlan, ...", wr_link_cmds, "show" },
	{ "addr", "IPv4 and IPv6 addresses", wr_addr_cmds, "show" },
	{ "route", "routes of the main table", wr_route_cmds, "show" },
	{ "sysctl", "per-namespace net.* sysctls (forwarding, ...)", wr_sysctl_cmds, "get" },
	{ "vf", "SR-IOV VFs: their number, settings and loans to namespaces", wr_vf_cmds, "show" },
	{ "lab", "whole labs from one YAML file", wr_lab_cmds, NULL },
	{ "switch", "the Warren switch: a warrend instance", wr_switch_cmds, "show" },
	{ "port", "the ports of the switch", wr_port_cmds, "show" },
	{ "fdb", "the switch's forwarding database (MAC addresses)", wr_fdb_cmds, "show" },
	{ "vlan", "the switch's VLAN to bridge domain map", wr_vlan_cmds, "show" },
	{ "tunnel", "the switch's VXLAN and Geneve tunnels", wr_tunnel_cmds, "show" },
	{ "vni", "the VNIs a tunnel carries, each a bridge domain", wr_vni_cmds, NULL },
	{ "vtep", "the remote VTEPs of a tunnel", wr_vtep_cmds, NULL },
	{ "steer", "steering rules: a MAC, VLAN or VNI to a port, over the FDB", wr_steer_cmds, "show" },
	{ "chain", "service chains: a domain's frames through network functions", wr_chain_cmds, "show" },
	{ "mirror", "port mirrors: copies of a port's frames out of another port", wr_mirror_cmds, "show" },
	{ "capture", "a port's frames with the switch's verdict, as pcapng", wr_capture_cmds, "start" },
	{ "stats", "the switch's counters: drops by reason, events, ports", wr_stats_cmds, "show" },
	{ "trace", "follow frames through every stage of the switch", wr_trace_cmds, "run" },
	{ "doctor", "is the switch set up the fast way: checks, verdicts, fixes", wr_doctor_cmds, "check" },
	{ NULL, NULL, NULL, NULL },
};

static const struct wr_arg global_args[] = {
	{ "-j, --json", "Print state as JSON (one document on stdout)." },
	{ "-p, --pretty", "With -j: indent the JSON." },
	{ "-n, --netns NETNS", "Run the command in namespace NETNS (as `ip -n`); "
	  "commands that take a NETNS argument use this one by default." },
	{ "-S, --switch NAME", "The warrend instance that switch, port, fdb, vlan and stats "
	  "talk to, through /run/warren/NAME.sock (default: $WARREN_SWITCH, else warren; "
	  "$WARREN_RUN_DIR replaces /run/warren)." },
	{ "-h, --help", "Show help for warren, an OBJECT or a COMMAND and exit." },
	{ "-V, --version", "Print the version and exit." },
	{ NULL, NULL },
};

static const char exit_status[] =
	"0 on success, 1 when the command failed (the message on stderr names the "
	"object and the cause), 2 when the command line is wrong.";

/* ------------------------------------------------------------------ help */

/* Print @text wrapped at 76 columns with @indent spaces in front. */
static void wrap(FILE *f, const char *text, int indent)
{
	const char *p = text;

	while (*p) {
		const char *para_end = strstr(p, "\n\n");
		const char *end = para_end ? para_end : p + strlen(p);
		int col = 0;

		while (p < end) {
			size_t w = strcspn(p, " \n");

			if (p + w > end)
				w = (size_t)(end - p);
			if (col && col + 1 + (int)w > 76 - indent) {
				fputc('\n', f);
				col = 0;
			}
			if (!col)
				fprintf(f, "%*s", indent, "");
			else
				fputc(' ', f), col++;
			fprintf(f, "%.*s", (int)w, p);
			col += (int)w;
			p += w;
			while (p < end && (*p == ' ' || *p == '\n'))
				p++;
		}
		fputc('\n', f);
		if (!para_end)
			break;
		fputc('\n', f);
		p = para_end + 2;
	}
}

static void print_args(FILE *f, const struct wr_arg *args)
{
	for (; args && args->name; args++) {
		fprintf(f, "    %s\n", args->name);
		wrap(f, args->help, 8);
	}
}

static void help_cmd(FILE *f, const struct wr_cmd *c)
{
	fprintf(f, "NAME\n    warren %s %s - %s\n\n", c->object, c->name, c->summary);
	fprintf(f, "SYNOPSIS\n    warren %s%s %s\n\n", c->uses_switch ? "[-S SWITCH]" : "[-n NETNS]",
		c->shows_state ? " [-j [-p]]" : "", c->synopsis);
	fprintf(f, "DESCRIPTION\n");
	wrap(f, c->description, 4);
	if (c->args && c->args->name) {
		fprintf(f, "\nARGUMENTS\n");
		print_args(f, c->args);
	}
	if (c->examples) {
		fprintf(f, "\nEXAMPLES\n");
		for (const char *p = c->examples; *p;) {
			size_t n = strcspn(p, "\n");

			fprintf(f, "    %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	fprintf(f, "\nEXIT STATUS\n");
	wrap(f, exit_status, 4);
}

static void help_object(FILE *f, const struct wr_object *o)
{
	fprintf(f, "NAME\n    warren %s - %s\n\nCOMMANDS\n", o->name, o->summary);
	for (const struct wr_cmd *c = o->cmds; c->name; c++)
		fprintf(f, "    warren %s\n        %s\n", c->synopsis, c->summary);
	if (o->default_cmd)
		fprintf(f, "\n    With no COMMAND, '%s' is run.\n", o->default_cmd);
	fprintf(f, "\n    'warren %s COMMAND --help' tells more.\n", o->name);
}

static void help_top(FILE *f)
{
	fprintf(f, "NAME\n    warren - build network labs of namespaces and drive the Warren switch\n\n"
		"SYNOPSIS\n    warren [-j [-p]] [-n NETNS] [-S SWITCH] OBJECT [COMMAND [ARGS]]\n"
		"    warren help [--markdown]\n\nOBJECTS\n");
	for (const struct wr_object *o = objects; o->name; o++)
		fprintf(f, "    %-8s %s\n", o->name, o->summary);
	fprintf(f, "\nGLOBAL OPTIONS\n");
	print_args(f, global_args);
	fprintf(f, "\nDESCRIPTION\n");
	wrap(f, "OBJECT and COMMAND may be shortened to any unique prefix (warren li sh). "
	     "Namespaces are the ones of `ip netns`: bind mounts under /run/netns. "
	     "The switch objects (switch, port, fdb, vlan, tunnel, vni, vtep, stats) talk to a warrend "
	     "instance through its socket, as docs/api.md describes. "
	     "Output is for people by default; -j prints JSON with stable snake_case keys.\n\n"
	     "'warren OBJECT --help' lists the commands of an object, "
	     "'warren OBJECT COMMAND --help' describes one.", 4);
	fprintf(f, "\nEXIT STATUS\n");
	wrap(f, exit_status, 4);
}

/* docs/warren.8.md: the same tables as Markdown. */
static void help_markdown(FILE *f)
{
	fprintf(f, "<!-- Generated by `warren help --markdown`; edit control/cli/cmd_*.c instead. -->\n"
		"# warren(8)\n\n## NAME\n\nwarren - build network labs of namespaces and drive the "
		"Warren switch\n\n## SYNOPSIS\n\n    warren [-j [-p]] [-n NETNS] [-S SWITCH] OBJECT [COMMAND [ARGS]]\n\n"
		"## GLOBAL OPTIONS\n\n");
	for (const struct wr_arg *a = global_args; a->name; a++)
		fprintf(f, "- `%s`: %s\n", a->name, a->help);
	fprintf(f, "\nOBJECT and COMMAND may be shortened to any unique prefix.\n\n"
		"## EXIT STATUS\n\n%s\n", exit_status);
	for (const struct wr_object *o = objects; o->name; o++) {
		fprintf(f, "\n## %s\n\n%s.\n", o->name, o->summary);
		for (const struct wr_cmd *c = o->cmds; c->name; c++) {
			fprintf(f, "\n### warren %s %s\n\n    warren%s%s %s\n\n%s.\n\n%s\n",
				c->object, c->name, c->uses_switch ? " [-S SWITCH]" : "",
				c->shows_state ? " [-j [-p]]" : "", c->synopsis, c->summary,
				c->description);
			if (c->args && c->args->name) {
				fprintf(f, "\n");
				for (const struct wr_arg *a = c->args; a->name; a++)
					fprintf(f, "- `%s`: %s\n", a->name, a->help);
			}
			if (c->examples)
				fprintf(f, "\nExamples:\n\n```\n%s\n```\n", c->examples);
		}
	}
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* A command that runs another one (netns exec) leaves that one's -h alone. */
static bool wants_help(const struct wr_cmd *c, int argc, char **argv)
{
	for (int i = 0; i < argc && (i == 0 || !c->passthrough); i++)
		if (is_help(argv[i]) || (i == 0 && !strcmp(argv[i], "help")))
			return true;
	return false;
}

/* ------------------------------------------------------------- dispatch */

static const struct wr_object *find_object(const char *arg)
{
	const struct wr_object *found = NULL;

	for (const struct wr_object *o = objects; o->name; o++) {
		if (!strcmp(arg, o->name))
			return o;
		if (wr_matches(arg, o->name)) {
			if (found)
				return NULL;	/* ambiguous */
			found = o;
		}
	}
	return found;
}

static const struct wr_cmd *find_cmd(const struct wr_object *o, const char *arg)
{
	const struct wr_cmd *found = NULL;

	for (const struct wr_cmd *c = o->cmds; c->name; c++) {
		if (!strcmp(arg, c->name))
			return c;
		if (wr_matches(arg, c->name)) {
			if (found)
				return NULL;
			found = c;
		}
	}
	if (found)
		return found;
	/* iproute2 spells "show" as "list" and "ls" too, and the other way round. */
	if (!strcmp(arg, "list") || !strcmp(arg, "ls") || !strcmp(arg, "show"))
		for (const struct wr_cmd *c = o->cmds; c->name; c++)
			if (!strcmp(c->name, "show") || !strcmp(c->name, "list"))
				return c;
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'n' },
		{ "switch", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct wr_ctx ctx = { 0 };
	const struct wr_object *o;
	const struct wr_cmd *c;
	int opt, first = 2;	/* argv[first]: the command's first argument */

	/* '+': stop at OBJECT, the command's own arguments are its business. */
	ctx.switch_name = getenv("WARREN_SWITCH");
	if (!ctx.switch_name || !ctx.switch_name[0])
		ctx.switch_name = WR_SWITCH_DEFAULT;
	while ((opt = getopt_long(argc, argv, "+jpn:S:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': ctx.json = true; break;
		case 'p': ctx.pretty = true; break;
		case 'n':
			if (wr_valid_netns_name(optarg))
				return wr_usage(NULL, "-n: %s", wr_err_msg());
			ctx.netns = optarg;
			break;
		case 'S':
			ctx.switch_name = optarg;
			break;
		case 'h': help_top(stdout); return WR_EXIT_OK;
		case 'V': printf("warren %s\n", WR_VERSION); return WR_EXIT_OK;
		default: return wr_usage(NULL, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		help_top(stderr);
		return WR_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		if (argc > 1 && !strcmp(argv[1], "--markdown"))
			help_markdown(stdout);
		else
			help_top(stdout);
		return WR_EXIT_OK;
	}
	o = find_object(argv[0]);
	if (!o)
		return wr_usage(NULL, "'%s' is not an object (or is ambiguous)", argv[0]);
	if (argc == 1 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc == 1 && o->default_cmd) {
			c = find_cmd(o, o->default_cmd);
			ctx.cmd = c;
			if (c->uses_switch && wr_switch_valid_name(ctx.switch_name))
				return wr_usage(NULL, "-S (or $WARREN_SWITCH): %s", wr_err_msg());
			wr_cli_print_start(&ctx);
			return c->run(&ctx, 0, argv + 2);
		}
		help_object(argc == 1 ? stderr : stdout, o);
		return argc == 1 ? WR_EXIT_USAGE : WR_EXIT_OK;
	}
	c = find_cmd(o, argv[1]);
	/* `warren stats --watch`: options straight after OBJECT go to its default command. */
	/*
	 * `warren trace PORT`, `warren capture p1`: an argument that is no
	 * command goes to a default that takes it, or to an object's one command.
	 */
	if (!c && o->default_cmd &&
	    (argv[1][0] == '-' || find_cmd(o, o->default_cmd)->bare || !o->cmds[1].name)) {
		c = find_cmd(o, o->default_cmd);
		first = 1;
	}
	if (!c)
		return wr_usage(NULL, "'%s' is not a command of '%s' (or is ambiguous); "
				"see 'warren %s --help'", argv[1], o->name, o->name);
	ctx.cmd = c;
	if (wants_help(c, argc - first, argv + first)) {
		help_cmd(stdout, c);
		return WR_EXIT_OK;
	}
	if (c->uses_switch && wr_switch_valid_name(ctx.switch_name))
		return wr_usage(NULL, "-S (or $WARREN_SWITCH): %s", wr_err_msg());
	if (ctx.json && !c->shows_state)
		ctx.json = false;	/* -j changes only what shows state */
	wr_cli_print_start(&ctx);
	return c->run(&ctx, argc - first, argv + first);
}
