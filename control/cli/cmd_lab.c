/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_lab.c - warren lab check|up|down|show|graph FILE. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "wr_control.h"

static void print_findings(const struct wr_lab *lab, const struct wr_lab_error *e, size_t n,
			   const char *kind)
{
	for (size_t i = 0; i < n; i++) {
		if (e[i].pos.line)
			fprintf(stderr, "%s:%u:%u: %s%s\n", lab->file, e[i].pos.line, e[i].pos.col,
				kind, e[i].msg);
		else
			fprintf(stderr, "%s: %s%s\n", lab->file, kind, e[i].msg);
	}
}

/*
 * Load FILE (the one argument), checked against this host too when @host
 * (its VFs: wr_lab_check_host()); print every error as FILE:LINE:COLUMN:
 * MSG, and every note as FILE:LINE:COLUMN: note: MSG.
 */
static int load(struct wr_ctx *ctx, int argc, char **argv, bool host, struct wr_lab **out)
{
	struct wr_lab *lab;

	if (argc != 1)
		return wr_usage(ctx, "expected exactly one FILE");
	lab = wr_lab_load(argv[0]);
	if (!lab) {
		fprintf(stderr, "warren: %s: out of memory\n", argv[0]);
		return WR_EXIT_FAIL;
	}
	*out = lab;
	if (host && wr_lab_check_host(lab, NULL) < 0)
		return wr_fail();
	if (!ctx->json) {
		print_findings(lab, lab->errors, lab->n_errors, "");
		print_findings(lab, lab->notes, lab->n_notes, "note: ");
	}
	return lab->n_errors ? WR_EXIT_FAIL : WR_EXIT_OK;
}

static void print_json_findings(const char *key, const struct wr_lab_error *e, size_t n)
{
	wr_print_open_array(key);
	for (size_t i = 0; i < n; i++) {
		wr_print_open_object(NULL);
		wr_print_uint("line", NULL, e[i].pos.line);
		wr_print_uint("column", NULL, e[i].pos.col);
		wr_print_str("message", NULL, e[i].msg);
		wr_print_close_object();
	}
	wr_print_close_array();
}

static int lab_check(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_lab *lab = NULL;
	int ret;

	ret = load(ctx, argc, argv, true, &lab);
	if (!lab)
		return ret;
	wr_print_open_object(NULL);
	wr_print_str("file", "%s: ", lab->file);
	wr_print_bool("valid", NULL, lab->n_errors == 0);
	if (!lab->n_errors) {
		wr_print_uint("namespaces", "ok, %lu namespaces, ", lab->n_ns);
		wr_print_uint("links", lab->n_vfs ? "%lu links, " : "%lu links", lab->n_links);
		wr_print_uint("vfs", lab->n_vfs ? "%lu VFs" : NULL, lab->n_vfs);
		wr_print_uint("n_notes", lab->n_notes ? " (%lu notes about this host)\n" : "\n",
			      lab->n_notes);
	} else {
		wr_print_uint("n_errors", "%lu errors\n", lab->n_errors);
	}
	if (wr_print_is_json()) {
		print_json_findings("errors", lab->errors, lab->n_errors);
		print_json_findings("notes", lab->notes, lab->n_notes);
	}
	wr_print_close_object();
	wr_print_end();
	wr_lab_free(lab);
	return ret;
}

/*
 * ^C in the middle of `up` or `down` would leave half a lab that nobody
 * journals. Both take well under a second per object, so the signals wait
 * until the lab is whole or gone (or rolled back) instead.
 */
static void hold_signals(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int lab_up(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_lab *lab = NULL;
	int ret, err;

	ret = load(ctx, argc, argv, true, &lab);
	if (ret == WR_EXIT_OK && lab->n_notes) {
		fprintf(stderr, "warren: lab %s: not up: this host cannot lend its VFs (the notes "
			"above say why)\n", lab->file);
		ret = WR_EXIT_FAIL;
	}
	if (ret == WR_EXIT_OK) {
		hold_signals(true);
		err = wr_lab_up(lab);
		if (err) {
			fprintf(stderr, "warren: lab %s: up failed, removed what it made: %s\n",
				lab->file, wr_err_msg());
			ret = WR_EXIT_FAIL;
		} else {
			printf("lab %s: up (%zu namespaces, %zu links", lab->file, lab->n_ns,
			       lab->n_links);
			if (lab->n_vfs)
				printf(", %zu VFs", lab->n_vfs);
			if (lab->sw.present)
				printf(", switch %s with %zu ports", lab->sw.name, lab->sw.n_ports);
			printf(")\n");
		}
		fflush(stdout);
		hold_signals(false);
	}
	wr_lab_free(lab);
	return ret;
}

static int lab_down(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_lab *lab = NULL;
	int ret;

	ret = load(ctx, argc, argv, false, &lab);
	if (ret == WR_EXIT_OK) {
		hold_signals(true);
		if (wr_lab_down(lab))
			ret = wr_fail();
		else
			printf("lab %s: down\n", lab->file);
		fflush(stdout);
		hold_signals(false);
	}
	wr_lab_free(lab);
	return ret;
}

static int show_item(const struct wr_lab_item *it, void *arg)
{
	(void)arg;
	wr_print_open_object(NULL);
	wr_print_str("type", "%-10s ", it->type);
	wr_print_str("name", "%-40s ", it->name);
	wr_print_bool("present", NULL, it->present);
	wr_print_text("%s", it->present ? "present" : "MISSING");
	wr_print_str("detail", it->detail[0] ? " (%s)\n" : "%s\n", it->detail);
	wr_print_close_object();
	return 0;
}

static int lab_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_lab *lab = NULL;
	int ret, missing;

	ret = load(ctx, argc, argv, false, &lab);
	if (ret != WR_EXIT_OK) {
		wr_lab_free(lab);
		return ret;
	}
	wr_print_open_object(NULL);
	wr_print_str("file", NULL, lab->file);
	wr_print_text("%-10s %-40s %s\n", "TYPE", "NAME", "STATE");
	wr_print_open_array("items");
	missing = wr_lab_status(lab, show_item, NULL);
	wr_print_close_array();
	if (missing >= 0) {
		wr_print_uint("missing", "%lu missing", (unsigned long)missing);
		wr_print_bool("complete", NULL, missing == 0);
		wr_print_text("%s\n", missing ? "" : ": the lab is complete");
	}
	wr_print_close_object();
	wr_print_end();
	wr_lab_free(lab);
	return missing < 0 ? wr_fail() : WR_EXIT_OK;
}

/* The graphviz format OUT's name asks for: "dot", "svg" or "png"; NULL for another. */
static const char *graph_format(const char *out)
{
	static const char *const fmts[] = { "dot", "gv", "svg", "png", NULL };
	const char *dot = strrchr(out, '.');

	for (int i = 0; dot && fmts[i]; i++)
		if (!strcmp(dot + 1, fmts[i]))
			return i < 2 ? "dot" : fmts[i];
	return NULL;
}

/* The graph of @lab drawn by graphviz's dot as @fmt into @out. */
static int graph_draw(const struct wr_lab *lab, bool live, const char *fmt, const char *out)
{
	char tfmt[8];
	int fd[2], status;
	pid_t pid;
	FILE *f;

	snprintf(tfmt, sizeof(tfmt), "-T%s", fmt);
	if (pipe(fd))
		return wr_err_set(-errno, "lab graph: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return wr_err_set(-errno, "lab graph: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execlp("dot", "dot", tfmt, "-o", out, (char *)NULL);
		fprintf(stderr, "warren: lab graph: graphviz's dot: %s (apt-get install graphviz, "
			"or write a .dot file)\n", strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	f = fdopen(fd[1], "w");
	if (!f) {
		close(fd[1]);
		waitpid(pid, &status, 0);
		return wr_err_set(-errno, "lab graph: %s", strerror(errno));
	}
	wr_lab_graph(lab, live, f);
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return wr_err_set(-EIO, "lab graph: dot did not draw %s", out);
	return 0;
}

static int lab_graph(struct wr_ctx *ctx, int argc, char **argv)
{
	const char *out = NULL, *fmt = "dot";
	struct wr_lab *lab = NULL;
	bool live = false;
	int ret, err;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "live")) {
			live = true;
		} else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "output")) && i + 1 < argc) {
			out = argv[++i];
			fmt = graph_format(out);
			if (!fmt)
				return wr_usage(ctx, "output %s: the name ends in .dot, .gv, .svg or .png",
						out);
		} else {
			return wr_usage(ctx, "unexpected '%s'", argv[i]);
		}
	}
	ret = load(ctx, argc ? 1 : 0, argv, false, &lab);
	if (ret != WR_EXIT_OK) {
		wr_lab_free(lab);
		return ret;
	}
	if (out && strcmp(fmt, "dot")) {
		err = graph_draw(lab, live, fmt, out);
	} else if (out) {
		f = fopen(out, "w");
		err = f ? wr_lab_graph(lab, live, f) : wr_err_set(-errno, "lab graph: %s: %s", out,
								   strerror(errno));
		if (f && fclose(f) && !err)
			err = wr_err_set(-errno, "lab graph: %s: %s", out, strerror(errno));
	} else {
		err = wr_lab_graph(lab, live, stdout);
	}
	wr_lab_free(lab);
	return err ? wr_fail() : WR_EXIT_OK;
}

/* @what (a namespace of @lab, its first address; or an address) into @ip, *@ipv6. */
static int explain_target(const struct wr_lab *lab, const char *what, uint8_t ip[16], bool *ipv6)
{
	struct wr_cidr c;

	memset(ip, 0, 16);
	if (!wr_parse_cidr(what, false, &c)) {
		*ipv6 = c.family == AF_INET6;
		memcpy(ip, c.addr.bytes, *ipv6 ? 16 : 4);
		return 0;
	}
	for (size_t i = 0; i < lab->n_ns; i++) {
		static const int fams[2] = { AF_INET, AF_INET6 };	/* IPv4 first */

		if (strcmp(lab->ns[i].name, what))
			continue;
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; j < lab->ns[i].n_ifaces; j++)
				for (size_t a = 0; a < lab->ns[i].ifaces[j].n_addrs; a++) {
					const struct wr_cidr *x = &lab->ns[i].ifaces[j].addrs[a];

					if (x->family != fams[k] || !strcmp(lab->ns[i].ifaces[j].ifname, "lo"))
						continue;
					*ipv6 = x->family == AF_INET6;
					memcpy(ip, x->addr.bytes, *ipv6 ? 16 : 4);
					return 0;
				}
		return wr_err_set(-EINVAL, "lab %s: namespace %s has no address in the file: "
				  "name an address instead", lab->file, what);
	}
	return wr_err_set(-EINVAL, "'%s': neither a namespace of lab %s nor an address", what,
			  lab->file);
}

static int lab_explain(struct wr_ctx *ctx, int argc, char **argv)
{
	char addr[INET6_ADDRSTRLEN];
	struct wr_lab *lab = NULL;
	struct wr_lab_way way;
	uint8_t ip[16];
	bool ipv6 = false;
	int ret;

	if (argc != 3)
		return wr_usage(ctx, "expected FILE FROM TO");
	ret = load(ctx, 1, argv, false, &lab);
	if (ret != WR_EXIT_OK) {
		wr_lab_free(lab);
		return ret;
	}
	if (explain_target(lab, argv[2], ip, &ipv6) ||
	    wr_lab_explain(lab, argv[1], ipv6, ip, &way)) {
		wr_lab_free(lab);
		return wr_fail();
	}
	inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip, addr, sizeof(addr));
	wr_print_open_object(NULL);
	wr_print_str("from", NULL, argv[1]);
	wr_print_str("to", NULL, argv[2]);
	wr_print_str("address", NULL, addr);
	wr_print_open_array("steps");
	for (size_t i = 0; i < way.n_steps; i++) {
		wr_print_open_object(NULL);
		wr_print_text("%2zu %s ", i + 1, way.steps[i].ok ? "  " : "✗ ");
		wr_print_bool("ok", NULL, way.steps[i].ok);
		wr_print_str("text", "%s\n", way.steps[i].text);
		wr_print_close_object();
	}
	wr_print_close_array();
	wr_print_bool("reached", NULL, way.reached);
	wr_print_bool("leaves_lab", NULL, way.leaves);
	wr_print_uint("breaks_at", NULL, way.broken);
	if (way.reached)
		wr_print_text("%s reaches %s (%s)\n", argv[1], argv[2], addr);
	else if (way.leaves)
		wr_print_text("%s's way to %s (%s) leaves the lab through a tunnel\n", argv[1],
			      argv[2], addr);
	else
		wr_print_text("%s does not reach %s (%s): the way breaks at step %zu\n", argv[1],
			      argv[2], addr, way.broken);
	wr_print_close_object();
	wr_print_end();
	wr_lab_free(lab);
	return way.reached || way.leaves ? WR_EXIT_OK : WR_EXIT_FAIL;
}

static const struct wr_arg file_arg[] = {
	{ "FILE", "a lab file (YAML); docs/labfile.md describes it" },
	{ NULL, NULL },
};

const struct wr_cmd wr_lab_cmds[] = {
	{
		.object = "lab", .name = "check",
		.synopsis = "lab check FILE",
		.summary = "validate a lab file without touching the system",
		.description =
			"Parses FILE and checks everything that can be checked without the "
			"kernel: unknown keys, wrong types, duplicate names, endpoints in "
			"undeclared namespaces, interface names over 15 bytes (prefix included), "
			"bad addresses and CIDRs, references to devices no link creates, switch "
			"ports on devices the lab does not make or with contradicting VLAN "
			"settings. Every problem is printed on stderr as FILE:LINE:COLUMN: "
			"MESSAGE, not only the first.\n\n"
			"The VFs of the vfs section are checked against this host's sysfs (read "
			"only; under $WARREN_SYSFS when it is set): a VF index at or past its "
			"PF's sriov_numvfs, or more entries on a PF than it has VFs, is an error; "
			"a PF that is not here or has no SR-IOV is a note (FILE:LINE:COLUMN: "
			"note: MESSAGE), since the file may be meant for another host: the file "
			"is still valid, but 'lab up' refuses it here.\n\n"
			"JSON: an object with the keys file, valid, namespaces, links, vfs and "
			"n_notes (when valid) or n_errors, and errors and notes, arrays of "
			"{line, column, message}.",
		.args = file_arg,
		.examples = "warren lab check docs/examples/router.yaml",
		.shows_state = true,
		.run = lab_check,
	},
	{
		.object = "lab", .name = "up",
		.synopsis = "lab up FILE",
		.summary = "build the namespaces, devices, addresses, routes and sysctls of a lab",
		.description =
			"Checks FILE as 'lab check' does and refuses to start on any error or "
			"note. Then creates, in this order: the namespaces (loopback up), the "
			"VFs of the vfs section, lent as 'vf attach' lends them (for vf: any, "
			"the first VF of the PF with a netdev here that is not lent, not in use "
			"and not named by another entry), the links (each "
			"directly in its namespace; a device on a lower device after it), the "
			"net.* sysctls, the interface settings (mtu, mac, master, up: every "
			"device the lab creates is brought up unless it says up: false), the "
			"addresses and the routes.\n\n"
			"Then the switch, if the file has a switch section: its warrend instance is "
			"started unless it runs already (a lab that starts it marks it as its own "
			"in /run/warren/NAME.lab), the aging time and VLAN map are set and the "
			"ports added; warrend prepares the far end of each veth port for the "
			"port's fast path.\n\n"
			"Last, the run commands of each namespace that this 'up' made: each "
			"through /bin/sh -c inside the namespace, in FILE's folder, with "
			"WARREN_NETNS set, in order; each must end within 30 s (a daemon goes to "
			"the background, and 'lab down' ends it).\n\n"
			"What already exists is kept (a port already there on the same device "
			"included), so running 'up' twice changes nothing. If a step fails, "
			"everything this run created is removed again (a warrend it started is "
			"stopped) and the message names the object that failed.",
		.args = file_arg,
		.examples = "warren lab up docs/examples/two-hosts.yaml",
		.run = lab_up,
	},
	{
		.object = "lab", .name = "down",
		.synopsis = "lab down FILE",
		.summary = "remove every namespace and device a lab describes",
		.description =
			"First the switch: a warrend instance that 'lab up' started is stopped; "
			"one that was running already keeps running, without the lab's ports. "
			"Then every VF Warren lent to a namespace of the lab is released as 'vf "
			"release' does, whether the file still names it or not. Then deletes the devices the lab's links create (root-namespace devices "
			"included), stops the processes still running inside the lab's "
			"namespaces (SIGTERM, then SIGKILL after a second) so that no namespace "
			"lives on unnamed, and deletes the namespaces. Objects already absent "
			"are fine; objects the lab does not describe are not touched.",
		.args = file_arg,
		.examples = "warren lab down docs/examples/two-hosts.yaml",
		.run = lab_down,
	},
	{
		.object = "lab", .name = "show",
		.synopsis = "lab show FILE",
		.summary = "compare a lab file with what exists",
		.description =
			"Lists every namespace, VF, device, sysctl, address and route FILE describes "
			"and says whether it is present, in file order, then the switch (running "
			"or not), its VLAN mappings and its ports (there, on the right device, "
			"with the device present), then how many are missing. The exit status is "
			"0 whether or not the lab is complete.\n\n"
			"JSON: an object with the keys file, items (an array of {type, name, "
			"present, detail}), missing and complete.",
		.args = file_arg,
		.examples = "warren lab show docs/examples/bridge-3.yaml\n"
			    "warren -j lab show docs/examples/bridge-3.yaml",
		.shows_state = true,
		.run = lab_show,
	},
	{
		.object = "lab", .name = "graph",
		.synopsis = "lab graph FILE [live] [-o OUT]",
		.summary = "draw a lab: namespaces, devices, links, the switch's ports and tunnels",
		.description =
			"Writes the lab of FILE as a graph in graphviz's dot language: a box per "
			"namespace (\"host\" for devices of the root namespace) with its devices "
			"(name, kind, the first addresses), an edge per link (a veth's two ends; "
			"a device to its lower device, dotted; a bridge port to its bridge, "
			"dashed), the switch as a box of its ports (bridge domain or VLANs), each "
			"port an edge to its device, and each tunnel (its VNIs and VTEPs) an edge "
			"to its underlay port. Without -o, on stdout.\n\n"
			"With live, what runs now: each device green when up with its carrier, "
			"orange when down or without carrier, red when missing; and, when the "
			"switch runs, each port's edge with its received, sent and dropped "
			"frames and the MACs learned on it.",
		.args = (const struct wr_arg[]){
			{ "FILE", "a lab file (YAML); docs/labfile.md describes it" },
			{ "live", "colour devices and label ports by their state now" },
			{ "-o OUT", "write to OUT: a name ending in .dot or .gv (the graph as text), "
				    ".svg or .png (drawn by graphviz's dot, which must be installed)" },
			{ NULL, NULL },
		},
		.examples = "warren lab graph docs/examples/overlay-a.yaml -o overlay-a.svg\n"
			    "warren lab graph lab.yaml live | dot -Tpng > lab.png",
		.run = lab_graph,
	},
	{
		.object = "lab", .name = "explain",
		.synopsis = "lab explain FILE FROM TO",
		.summary = "whether namespace FROM of a running lab reaches TO, and by which way",
		.description =
			"Follows the way a packet from namespace FROM to TO would take in the "
			"running lab of FILE, and names the first place it breaks. In each "
			"namespace: the route to TO's address and its neighbour, as the kernel "
			"gives them (looking a neighbour up asks the kernel to resolve it, as a "
			"packet would). Then the wire from the route's device to whoever holds "
			"the next hop: a veth's far end; through the switch, the port's bridge "
			"domain and its FDB (the port the next hop's MAC is learned on, or "
			"flooding when it is not known, and the domain's service chains "
			"named; a tunnel's VTEP ends the way in this "
			"lab); through a kernel bridge, its other ports. A namespace that is "
			"not TO must forward (net.ipv4.ip_forward or "
			"net.ipv6.conf.all.forwarding).\n\n"
			"The way breaks at: no route (or an unreachable one), a device the lab "
			"does not make, a next hop that nothing the lab connects holds, a next "
			"hop behind a port of another bridge domain or VLAN, forwarding off, more than "
			"16 namespaces (a loop).\n\n"
			"Exit status 0 when TO is reached (or the way leaves the lab through a "
			"tunnel), 1 when it breaks. JSON: from, to, address, steps [{ok, "
			"text}], reached, leaves_lab, breaks_at (1-based; 0: none).",
		.args = (const struct wr_arg[]){
			{ "FILE", "the lab file; the lab must be up" },
			{ "FROM", "a namespace of the lab, as the file names it" },
			{ "TO", "a namespace of the lab (its first IPv4 address in the file, else "
				"its first IPv6 one), or an address" },
			{ NULL, NULL },
		},
		.examples = "warren lab explain docs/examples/router.yaml h1 h2\n"
			    "warren -j lab explain lab.yaml client 10.0.0.2",
		.shows_state = true,
		.run = lab_explain,
	},
	{ .name = NULL },
};
