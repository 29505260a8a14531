/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_port.c - warren port add|set|del|show|stats: the ports of a warrend instance. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every keyword of `port add` and `port set`; each command takes a part. */
enum {
	KW_NETNS, KW_DEV, KW_DEVARGS, KW_TYPE, KW_QUEUE, KW_ZEROCOPY, KW_FASTPATH, KW_BD,
	KW_ACCESS, KW_TRUNK, KW_NATIVE, KW_VLAN, KW_LEARNING, KW_MAC_LIMIT, KW_UP, KW_DOWN,
	KW_COUNT
};

static const char *const add_words[] = {
	"netns", "dev", "devargs", "type", "queue", "zerocopy", "fastpath", "bd", "access",
	"trunk", "native", "learning", "mac-limit",
};
static const int add_kws[] = {
	KW_NETNS, KW_DEV, KW_DEVARGS, KW_TYPE, KW_QUEUE, KW_ZEROCOPY, KW_FASTPATH, KW_BD,
	KW_ACCESS, KW_TRUNK, KW_NATIVE, KW_LEARNING, KW_MAC_LIMIT,
};
static const char *const set_words[] = {
	"bd", "access", "trunk", "native", "vlan", "learning", "mac-limit", "fastpath", "up",
	"down",
};
static const int set_kws[] = {
	KW_BD, KW_ACCESS, KW_TRUNK, KW_NATIVE, KW_VLAN, KW_LEARNING, KW_MAC_LIMIT, KW_FASTPATH,
	KW_UP, KW_DOWN,
};

static const char *const on_off[] = { "on", "off" };
static const char *const none_word[] = { "none" };

/* One of @n @names (or a unique prefix) into *@out; 0 or WR_EXIT_USAGE. */
static int word_value(const struct wr_ctx *ctx, const char *what, const char *v,
		      const char *const *names, size_t n, int *out)
{
	int w = wr_cli_word(ctx, what, v, names, n);

	if (w < 0)
		return WR_EXIT_USAGE;
	*out = w;
	return 0;
}

/* The number @v of port.add's @key, within wr_api.def's bounds; 0 or WR_EXIT_USAGE. */
static int parse_key(const struct wr_ctx *ctx, const char *what, const char *key, const char *v,
		     unsigned int *u)
{
	const struct wr_api_key *k = wr_api_key_find(WR_CMD_PORT_ADD, key);

	return wr_parse_u32(ctx, what, v, (unsigned long)k->min, (unsigned long)k->max, u);
}

/* The value of one keyword into @pc; 0 or WR_EXIT_USAGE. */
static int port_value(const struct wr_ctx *ctx, int kw, const char *word, const char *v,
		      struct wr_port_req *pc)
{
	unsigned int u;
	int w;

	switch (kw) {
	case KW_NETNS:
		if (strcmp(v, "root") && wr_valid_netns_name(v))
			return wr_usage(ctx, "netns: %s", wr_err_msg());
		snprintf(pc->dev.netns, sizeof(pc->dev.netns), "%s", strcmp(v, "root") ? v : "");
		return 0;
	case KW_DEV:
		if (wr_valid_ifname(v))
			return wr_usage(ctx, "dev: %s", wr_err_msg());
		snprintf(pc->dev.ifname, sizeof(pc->dev.ifname), "%s", v);
		return 0;
	case KW_DEVARGS:
		if (wr_devargs_valid(v))
			return wr_usage(ctx, "devargs: %s", wr_err_msg());
		snprintf(pc->devargs, sizeof(pc->devargs), "%s", v);
		return 0;
	case KW_TYPE:
		if (word_value(ctx, "type", v, wr_port_type_names, WR_PORT_TYPE_COUNT, &w))
			return WR_EXIT_USAGE;
		pc->type = (enum wr_port_type)w;
		return 0;
	case KW_QUEUE:
		if (parse_key(ctx, word, "queue", v, &u))
			return WR_EXIT_USAGE;
		pc->queue = u;
		return 0;
	case KW_ZEROCOPY:
		return word_value(ctx, "zerocopy mode", v, wr_zerocopy_names, WR_ZEROCOPY_COUNT,
				  &pc->zerocopy);
	case KW_FASTPATH:
		return word_value(ctx, "fastpath mode", v, wr_fastpath_names, WR_FASTPATH_COUNT,
				  &pc->fastpath);
	case KW_BD:
		if (parse_key(ctx, word, "bd", v, &u))
			return WR_EXIT_USAGE;
		pc->bd = (int)u;
		return 0;
	case KW_ACCESS:
		if (parse_key(ctx, "access (VLAN)", "access_vlan", v, &u))
			return WR_EXIT_USAGE;
		pc->vlan_mode = WR_VLAN_ACCESS;
		pc->access_vlan = (int)u;
		return 0;
	case KW_TRUNK:
		if (wr_range_list_parse(v, "VLAN", 1, WR_VLAN_LAST, pc->allowed, WR_RANGES_MAX,
					&pc->n_allowed))
			return wr_usage(ctx, "trunk: %s", wr_err_msg());
		pc->vlan_mode = WR_VLAN_TRUNK;
		pc->has_allowed = true;
		return 0;
	case KW_NATIVE:
		if (parse_key(ctx, "native (VLAN)", "native_vlan", v, &u))
			return WR_EXIT_USAGE;
		pc->native_vlan = (int)u;
		return 0;
	case KW_VLAN:
		if (wr_cli_word(ctx, "vlan mode", v, none_word, N(none_word)) < 0)
			return WR_EXIT_USAGE;
		pc->vlan_mode = WR_VLAN_NONE;
		return 0;
	case KW_LEARNING:
		if (word_value(ctx, "learning", v, on_off, N(on_off), &w))
			return WR_EXIT_USAGE;
		pc->learning = w == 0;
		return 0;
	case KW_MAC_LIMIT:
		if (parse_key(ctx, word, "mac_limit", v, &u))
			return WR_EXIT_USAGE;
		pc->mac_limit = u;
		return 0;
	default:
		return 0;
	}
}

/*
 * What the CLI's own words given together must respect (@seen has a bit
 * per keyword); what the API's keys must, port_check() asks wr_api.def.
 */
static int port_rules(const struct wr_ctx *ctx, bool add, unsigned int seen)
{
	unsigned int modes = seen & ((1u << KW_BD) | (1u << KW_ACCESS) | (1u << KW_TRUNK));

	if (modes & (modes - 1))
		return wr_usage(ctx, "give only one of 'bd', 'access' and 'trunk' ('bd' is for "
				"a port without VLANs)");
	if ((seen & (1u << KW_VLAN)) && (seen & ((1u << KW_ACCESS) | (1u << KW_TRUNK))))
		return wr_usage(ctx, "'vlan none' and 'access' or 'trunk' contradict each other");
	if ((seen & (1u << KW_UP)) && (seen & (1u << KW_DOWN)))
		return wr_usage(ctx, "give one of 'up' and 'down'");
	if (!add && !seen)
		return wr_usage(ctx, "nothing to change: give bd, access, trunk, native, vlan none, "
				"learning, mac-limit, fastpath, up or down");
	return 0;
}

/*
 * What warrend would refuse, refused here with its words: the request
 * checked against wr_api.def (which keys go with which port type, bounds).
 */
static int port_check(const struct wr_ctx *ctx, bool add, const struct wr_port_req *pc)
{
	struct json_object *args = wr_port_req_json(pc, add);
	char msg[256];
	int err;

	if (!args)
		return wr_usage(ctx, "out of memory");
	err = wr_api_check(add ? WR_CMD_PORT_ADD : WR_CMD_PORT_SET, args, msg, sizeof(msg));
	json_object_put(args);
	return err ? wr_usage(ctx, "%s", wr_api_in_words(msg)) : 0;
}

int wr_cli_port_args(const struct wr_ctx *ctx, int argc, char **argv, bool add,
		     struct wr_port_req *pc)
{
	const char *const *words = add ? add_words : set_words;
	const int *kws = add ? add_kws : set_kws;
	size_t n_words = add ? N(add_words) : N(set_words);
	unsigned int seen = 0;
	const char *v;
	int i = 0, w, kw, err;

	wr_port_req_init(pc);
	if (add && ctx->netns)
		snprintf(pc->dev.netns, sizeof(pc->dev.netns), "%s", ctx->netns);
	if (i < argc && !strcmp(argv[i], "name"))
		i++;
	if (i >= argc)
		return wr_usage(ctx, "expected the port's NAME");
	if (wr_port_valid_name(argv[i]))
		return wr_usage(ctx, "NAME: %s", wr_err_msg());
	snprintf(pc->name, sizeof(pc->name), "%s", argv[i]);
	for (i++; i < argc; i++) {
		w = wr_cli_word(ctx, "keyword", argv[i], words, n_words);
		if (w < 0)
			return WR_EXIT_USAGE;
		kw = kws[w];
		if (seen & (1u << kw))
			return wr_usage(ctx, "'%s' given twice", words[w]);
		seen |= 1u << kw;
		if (kw == KW_UP || kw == KW_DOWN) {
			pc->up = kw == KW_UP;
			continue;
		}
		v = wr_next_arg(ctx, argc, argv, &i);
		if (!v || port_value(ctx, kw, words[w], v, pc))
			return WR_EXIT_USAGE;
	}
	err = port_rules(ctx, add, seen);
	return err ? err : port_check(ctx, add, pc);
}

/* ------------------------------------------------------------- commands */

/*
 * What warrend did to the far end of the port's veth (its reply's "peer"),
 * for people: on stdout, or on stderr when the peer was out of its reach.
 */
static void say_peer(const char *name, struct json_object *port)
{
	struct json_object *peer = wr_json_object(port, "peer");

	if (peer)
		fprintf(wr_json_bool(peer, "found") ? stdout : stderr, "port %s: %s\n", name,
			wr_json_str(peer, "prepared"));
}

/* port add and port set: the request, then what warrend did to the peer. */
static int port_request(struct wr_ctx *ctx, int argc, char **argv, bool add)
{
	struct json_object *res = NULL;
	struct wr_port_req pc;
	int err;

	err = wr_cli_port_args(ctx, argc, argv, add, &pc);
	if (err)
		return err;
	err = wr_cli_request(ctx, add ? "port.add" : "port.set", wr_port_req_json(&pc, add), &res);
	if (!err && (add || pc.fastpath >= 0))
		say_peer(pc.name, res);
	json_object_put(res);
	return err;
}

static int port_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return port_request(ctx, argc, argv, true);
}

static int port_set(struct wr_ctx *ctx, int argc, char **argv)
{
	return port_request(ctx, argc, argv, false);
}

/* `port del NAME`, `port show [NAME]`, `port stats [NAME]`: the port's name, if any. */
static int one_port(const struct wr_ctx *ctx, int argc, char **argv, bool needed,
		    struct json_object **args)
{
	int i = 0;

	*args = NULL;
	if (i < argc && !strcmp(argv[i], "name"))
		i++;
	if (i >= argc)
		return needed ? wr_usage(ctx, "expected the port's NAME") : 0;
	if (wr_port_valid_name(argv[i]))
		return wr_usage(ctx, "NAME: %s", wr_err_msg());
	if (i + 1 < argc)
		return wr_usage(ctx, "unexpected '%s' after NAME", argv[i + 1]);
	*args = json_object_new_object();
	json_object_object_add(*args, "port", json_object_new_string(argv[i]));
	return 0;
}

static int port_del(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	int err;

	err = one_port(ctx, argc, argv, true, &args);
	return err ? err : wr_cli_request(ctx, "port.del", args, NULL);
}

/* "bd 1", "access 10", "trunk 10,20-29 native 1", then learning and the limit. */
static void port_bridging(struct json_object *p, char *buf, size_t size)
{
	int mode = wr_enum_parse(wr_vlan_mode_names, WR_VLAN_MODE_COUNT,
				 wr_json_str(p, "vlan_mode"));
	char list[256];
	size_t o;

	if (mode == WR_VLAN_ACCESS)
		o = (size_t)snprintf(buf, size, "access %" PRId64, wr_json_int(p, "access_vlan"));
	else if (mode == WR_VLAN_TRUNK)
		o = (size_t)snprintf(buf, size, "trunk %s",
				     wr_cli_vlan_list(wr_json_array(p, "allowed"), list, sizeof(list)));
	else
		o = (size_t)snprintf(buf, size, "bd %" PRId64, wr_json_int(p, "bd"));
	if (o < size && mode == WR_VLAN_TRUNK && wr_json_int(p, "native_vlan"))
		o += (size_t)snprintf(buf + o, size - o, " native %" PRId64,
				      wr_json_int(p, "native_vlan"));
	if (o < size && !wr_json_bool(p, "learning"))
		o += (size_t)snprintf(buf + o, size - o, " learning off");
	if (o < size && wr_json_int(p, "mac_limit"))
		snprintf(buf + o, size - o, " mac-limit %" PRId64, wr_json_int(p, "mac_limit"));
}

#define PORT_ROW "%-15s %-5s %-24s %-8s %-6s %-8s %-5s %-5s %s\n"

/* @s, or "-" when it is empty (absent, or null in JSON). */
static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

/* One line of the table; with @detail, a second saying why the port has its fast path. */
static void print_port(struct json_object *p, bool detail)
{
	char dev[WR_NETNS_NAME_MAX + WR_DEVARGS_MAX + 2], bridging[320];
	const char *netns = wr_json_str(p, "netns");

	snprintf(dev, sizeof(dev), "%s%s%s", netns, netns[0] ? ":" : "", wr_json_str(p, "dev"));
	port_bridging(p, bridging, sizeof(bridging));
	printf(PORT_ROW, wr_json_str(p, "name"), wr_json_str(p, "type"), dev,
	       wr_json_str(p, "mode"), or_dash(wr_json_str(p, "xdp_mode")),
	       or_dash(wr_json_str(p, "fastpath")), wr_json_str(p, "link"),
	       wr_json_str(p, "admin"), bridging);
	if (detail && wr_json_str(p, "fastpath")[0])
		printf("    fastpath %s (asked %s): %s\n", wr_json_str(p, "fastpath"),
		       or_dash(wr_json_str(p, "fastpath_asked")),
		       or_dash(wr_json_str(p, "fastpath_why")));
	/* DEVICE shows only its device name; null for the other types. */
	if (detail && wr_json_str(p, "devargs")[0])
		printf("    devargs %s\n", wr_json_str(p, "devargs"));
}

/* The table; @detail for `port show NAME`. */
static void print_ports(struct json_object *res, bool detail)
{
	struct json_object *ports = wr_json_array(res, "ports");

	printf(PORT_ROW, "NAME", "TYPE", "DEVICE", "MODE", "XDP", "FASTPATH", "LINK", "ADMIN",
	       "BRIDGING");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++)
		print_port(json_object_array_get_idx(ports, i), detail);
}

static void ports_text(struct json_object *res)
{
	print_ports(res, false);
}

static void port_text(struct json_object *res)
{
	print_ports(res, true);
}

static int port_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	int err;

	err = one_port(ctx, argc, argv, false, &args);
	return err ? err : wr_cli_show(ctx, "port.list", args, args ? port_text : ports_text);
}

/* The counters of @o that are not zero, on one line after "    @title: "; nothing if none. */
static void print_counters(const char *title, struct json_object *o)
{
	bool any = false;

	if (!o)
		return;
	json_object_object_foreach(o, k, v) {
		if (!json_object_is_type(v, json_type_int) || !json_object_get_int64(v))
			continue;
		if (!any)
			printf("    %s: ", title);
		printf("%s%s %" PRId64, any ? ", " : "", k, json_object_get_int64(v));
		any = true;
	}
	if (any)
		printf("\n");
}

static void stats_text(struct json_object *res)
{
	static const char *const keys[] = {
		"rx_pkts", "rx_bytes", "tx_pkts", "tx_bytes", "drops", "copies",
	};
	struct json_object *ports = wr_json_array(res, "ports");

	printf("%-15s", "NAME");
	for (size_t k = 0; k < N(keys); k++)
		printf(" %14s", keys[k]);
	printf("\n");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);

		printf("%-15s", wr_json_str(p, "name"));
		for (size_t k = 0; k < N(keys); k++)
			printf(" %14" PRId64, wr_json_int(p, keys[k]));
		printf("\n");
		print_counters("driver", wr_json_object(p, "driver"));
		print_counters("kernel fast path", wr_json_object(p, "fastpath"));
	}
}

static int port_stats(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args;
	int err;

	err = one_port(ctx, argc, argv, false, &args);
	return err ? err : wr_cli_show(ctx, "port.stats", args, stats_text);
}

static const struct wr_arg name_arg[] = {
	{ "NAME", "the port's name in the switch" },
	{ NULL, NULL },
};

static const struct wr_arg opt_name_arg[] = {
	{ "NAME", "only this port (default: every port)" },
	{ NULL, NULL },
};

const struct wr_cmd wr_port_cmds[] = {
	{
		.object = "port", .name = "add",
		.synopsis = "port add NAME [netns NS] [dev DEV] [type TYPE] "
			    "[devargs DEVARGS] [queue N] [zerocopy MODE] [fastpath MODE] "
			    "[bd BD | access VLAN | trunk VLANS [native VLAN]] "
			    "[learning on|off] [mac-limit N]",
		.summary = "add a port to the switch",
		.description =
			"Adds port NAME to the switch named by -S: device DEV of namespace NS "
			"(default: the namespace of -n, else the root namespace; 'root' names the "
			"root namespace), DEV being NAME unless given.\n\n"
			"type afxdp (the default) serves the device through an AF_XDP socket on "
			"device queue N (default 0). The AF_XDP ports of a switch share one "
			"buffer area in copy mode (veth has no zero-copy in any case): zerocopy "
			"auto (the default) and off give copy mode, on is refused. type tap reads "
			"and writes an existing TAP device "
			"through its file descriptor.\n\n"
			"type dpdk serves a DPDK ethdev, through any PMD: DEVARGS (required for "
			"dpdk, refused otherwise) is what DPDK's EAL probes, a device name and its "
			"arguments after commas: net_tap0,iface=dt1 (a TAP device that DPDK "
			"makes), net_af_xdp0,iface=p1 (an AF_XDP socket on p1), "
			"net_memif0,role=server,socket=/run/x.sock, or a PCI address such as "
			"0000:03:00.0. NS is the namespace the PMD works in: net_tap makes its TAP "
			"there, net_af_xdp finds its interface there. A dpdk port takes no dev, "
			"queue or zerocopy, and its device (in 'warren port show') is the device "
			"name of DEVARGS, the text before the first comma. warrend starts the EAL "
			"at its first dpdk port, with the arguments of 'warren switch start dpdk' "
			"or its own defaults.\n\n"
			"fastpath chooses the port's kernel fast path, which forwards known "
			"unicast without waking warrend: a frame whose source MAC is learned on "
			"this port and whose destination is learned on another port of the fast "
			"path goes from device to device in the kernel; everything else (broadcast, "
			"unknown or moving MACs, ...) goes up to warrend. xdp runs the lookup in an "
			"XDP program in the driver: the fewest cycles per frame, but an XDP program "
			"on a veth makes its peer give up TSO, so TCP travels in MTU-sized frames. "
			"tc runs the same lookup at tcx ingress, on whole skbs: 64 KB GSO frames "
			"stay whole, best for TCP throughput. off sends every frame through warrend. "
			"auto (the default) leaves the choice to warrend: tc for an afxdp port on a "
			"veth (TCP through it keeps its 64 KB frames), xdp on other devices, "
			"unless warrend was started with --fastpath xdp, tc or off. Tap and dpdk "
			"ports have no kernel "
			"fast path: only off and auto (which means off) are taken. 'warren port show "
			"NAME' says which mode is in effect and why; 'warren stats' and 'warren "
			"port stats' show the kernel's counters.\n\n"
			"warrend prepares an afxdp port on a veth itself: at the far end of the "
			"veth (found through netlink, in whatever named namespace it lives) it "
			"turns TX checksum offload off and GRO on, and the command says so: "
			"'port p1: peer h1:eth0: tx checksum off, gro on'. Frames leaving a "
			"namespace with checksum offload carry partial checksums that are wrong "
			"once they have crossed AF_XDP or an XDP redirect, and an XDP transmit into "
			"a veth is dropped unless its far end runs NAPI, which GRO turns on. With "
			"fastpath tc the checksum offload is left as it is, and the message says "
			"so ('tx checksum left on'): TC keeps the checksum state and GSO frames "
			"intact. A peer in a namespace without a name is left alone, with a "
			"warning on stderr. A dpdk port on a net_af_xdp device is an AF_XDP socket "
			"too: when DEVARGS gives iface=X, the far end of X (in NS) is prepared as "
			"for an afxdp port with fastpath off. Other dpdk ports are left alone. "
			"What warrend changed is put back when the port goes, changes its fast "
			"path or warrend stops.\n\n"
			"Bridging: a port without VLANs belongs to bridge domain BD (default 1). An "
			"access port carries untagged frames of one VLAN; a trunk port carries "
			"tagged frames of VLANS (a list such as 10,20-29), and untagged frames "
			"belong to its native VLAN (default 0: dropped). Frames of VLAN N belong to "
			"bridge domain N unless 'warren vlan set' maps them elsewhere.\n\n"
			"Keywords may be shortened to a unique prefix and come in any order after "
			"NAME.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the port's name in the switch" },
			{ "netns NS", "the namespace of the device, for dpdk the namespace the PMD "
			  "works in; 'root' for the root namespace (default: -n's, else the root "
			  "namespace)" },
			{ "dev DEV", "the device: a veth end or another netdev (afxdp), an existing "
			  "TAP device (tap); default NAME; not for dpdk" },
			{ "type TYPE", "the backend (default afxdp)" },
			{ "devargs DEVARGS", "dpdk, and required for it: what DPDK's EAL probes, a "
			  "device name and its arguments after commas (net_tap0,iface=dt1, "
			  "net_af_xdp0,iface=p1, 0000:03:00.0)" },
			{ "queue N", "afxdp: the device queue to bind (default 0)" },
			{ "zerocopy MODE", "afxdp: auto (the default) and off give copy mode, "
			  "the ports' shared buffer area's; on is refused" },
			{ "fastpath MODE", "the kernel fast path: xdp (XDP in the driver, "
			  "fewest cycles per frame; a veth peer loses TSO), tc (tcx ingress, GSO "
			  "frames whole, best for TCP), off (every frame through warrend), auto (the "
			  "default: warrend's choice, tc on a veth and xdp elsewhere unless "
			  "'warrend --fastpath' says otherwise); tap and dpdk ports take off or "
			  "auto" },
			{ "bd BD", "the bridge domain of a port without VLANs (default 1)" },
			{ "access VLAN", "an access port of VLAN" },
			{ "trunk VLANS", "a trunk port carrying VLANS tagged, separated by "
			  "commas: 10,20-29" },
			{ "native VLAN", "trunk: the VLAN of untagged frames (default 0: "
			  "untagged frames are dropped)" },
			{ "learning on|off", "learn source MAC addresses (default on)" },
			{ "mac-limit N", "learn at most N MAC addresses on this port (default 0: "
			  "only the FDB's bound)" },
			{ NULL, NULL },
		},
		.examples =
			"warren port add p1 netns sw dev h1\n"
			"warren -n sw port add h2 access 10\n"
			"warren -S lab1 port add up0 netns sw dev eth1 trunk 10,20-29 native 1\n"
			"warren port add p3 netns sw dev h3 fastpath tc\n"
			"warren port add t0 type tap dev tap0 bd 2 learning off\n"
			"warren port add d0 type dpdk devargs net_tap0,iface=dt1 netns sw access 10\n"
			"warren port add x1 type dpdk devargs net_af_xdp0,iface=p1 netns sw",
		.uses_switch = true,
		.run = port_add,
	},
	{
		.object = "port", .name = "set",
		.synopsis = "port set NAME [bd BD | access VLAN | trunk VLANS | vlan none] "
			    "[native VLAN] [learning on|off] [mac-limit N] "
			    "[fastpath MODE] [up|down]",
		.summary = "change a port of the switch",
		.description =
			"Changes port NAME of the switch named by -S in one request; what is not "
			"given keeps its value. 'vlan none' makes an access or trunk port a port "
			"without VLANs again, in bridge domain BD when 'bd' is given too; bd alone "
			"changes the bridge domain of a port without VLANs. native changes the "
			"native VLAN of a trunk port. down stops the port forwarding (its frames are "
			"counted as port_down drops) until up.\n\n"
			"fastpath changes the port's kernel fast path, the modes of 'warren port "
			"add': xdp (an XDP program in the driver: fewest cycles per frame, but a "
			"veth peer gives up TSO, so TCP travels in MTU-sized frames), tc (the same "
			"lookup at tcx ingress: 64 KB GSO frames stay whole, best for TCP "
			"throughput), off (every frame through warrend) or auto (warrend's "
			"default: tc on a veth, xdp elsewhere, unless 'warrend --fastpath' says "
			"otherwise). Moving a port to or from tc makes it anew in warrend: its "
			"learned MACs are learned again. A tap port has none: it stays off. "
			"warrend prepares the far end of an afxdp port's veth for the new mode, "
			"as for 'port add' (TX checksum offload off for xdp and off, as it was "
			"for tc), and the command says so on a line of its own.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the port" },
			{ "bd BD", "the bridge domain of a port without VLANs" },
			{ "access VLAN", "make it an access port of VLAN" },
			{ "trunk VLANS", "make it a trunk port carrying VLANS, e.g. 10,20-29" },
			{ "vlan none", "make it a port without VLANs" },
			{ "native VLAN", "trunk: the VLAN of untagged frames (0: dropped)" },
			{ "learning on|off", "learn source MAC addresses or not" },
			{ "mac-limit N", "learn at most N MAC addresses (0: only the FDB's bound)" },
			{ "fastpath MODE", "the kernel fast path, as for 'port add' (auto: warrend's "
			  "default)" },
			{ "up, down", "the administrative state" },
			{ NULL, NULL },
		},
		.examples =
			"warren port set p1 access 20\n"
			"warren port set p1 vlan none bd 3\n"
			"warren port set up0 trunk 10-19 native 0\n"
			"warren port set p3 fastpath off\n"
			"warren port set p2 learning off mac-limit 4 down",
		.uses_switch = true,
		.run = port_set,
	},
	{
		.object = "port", .name = "del",
		.synopsis = "port del NAME",
		.summary = "remove a port from the switch",
		.description =
			"Removes port NAME from the switch named by -S. It stops at once, its FDB "
			"entries go, and its socket and XDP program are released. The device "
			"itself stays, with the offload settings 'port add' gave its peer.",
		.args = name_arg,
		.examples = "warren port del p1",
		.uses_switch = true,
		.run = port_del,
	},
	{
		.object = "port", .name = "show",
		.synopsis = "port show [NAME]",
		.summary = "show the ports of the switch",
		.description =
			"Shows every port of the switch named by -S, or only NAME: one line each "
			"with its name, type, device (NS:DEV; for a dpdk port "
			"DEV is the device name of its devargs), mode (how frames "
			"reach warrend: copy or zerocopy for afxdp, tap for tap ports and for "
			"afxdp ports whose fast path is tc), XDP mode (native or skb; '-' without "
			"an AF_XDP socket), the "
			"kernel fast path in effect (xdp, tc or off), link state (up, down, or gone "
			"when the device vanished), administrative state, and bridging: 'bd N', "
			"'access VLAN' or 'trunk VLANS [native N]', then 'learning off' and "
			"'mac-limit N' where set.\n\n"
			"With NAME a second line says what fast path was asked for and why the "
			"port has the one in effect: 'fastpath off (asked auto): only AF_XDP ports "
			"have a kernel fast path'; a third, for a dpdk port, its whole devargs.\n\n"
			"JSON: warrend's port.list result, {\"ports\": [...]}, with the keys of "
			"docs/api.md (name, index, type, netns, dev, devargs, ifindex, queue, mode, "
			"xdp_mode, fastpath, fastpath_asked, fastpath_why, fastpath_tap, worker, link, admin, bd, "
			"vlan_mode, access_vlan, native_vlan, allowed, learning, mac_limit).",
		.args = opt_name_arg,
		.examples = "warren port show\nwarren -j -S lab1 port show p1",
		.shows_state = true,
		.uses_switch = true,
		.run = port_show,
	},
	{
		.object = "port", .name = "stats",
		.synopsis = "port stats [NAME]",
		.summary = "show the counters of the switch's ports",
		.description =
			"Shows the counters of every port of the switch named by -S, or of NAME: "
			"packets and bytes received and sent, frames dropped, frames copied, all "
			"by warrend itself (the slow path); then, on a line of its own, the "
			"backend's counters that are not zero (for afxdp: rx_ring_full, "
			"rx_dropped, rx_invalid, tx_invalid, fill_empty, tx_ring_empty from "
			"XDP_STATISTICS, tx_full and wakeups); then, on another, the kernel fast "
			"path's counters of the port that are not zero: rx_pkts and rx_bytes "
			"(what arrived: fwd + up + drop), fwd_pkts and fwd_bytes (forwarded in the "
			"kernel), up_pkts (handed up to warrend), drop_pkts, tx_pkts and tx_bytes "
			"(forwarded in the kernel out of this port).\n\n"
			"JSON: warrend's port.stats result, {\"ports\": [{name, rx_pkts, rx_bytes, "
			"tx_pkts, tx_bytes, drops, copies, driver: {...}, fastpath: {...} or "
			"null}]}, zeros included.",
		.args = opt_name_arg,
		.examples = "warren port stats\nwarren -j port stats p1",
		.shows_state = true,
		.uses_switch = true,
		.run = port_stats,
	},
	{ .name = NULL },
};
