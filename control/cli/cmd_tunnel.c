/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_tunnel.c - warren tunnel add|del|show, vni set|del, vtep add|del:
 * the VXLAN and Geneve tunnels of a warrend instance, the VNIs each
 * carries and its remote VTEPs. Their arguments are the keys of
 * tunnel.add, tunnel.del, tunnel.list, vni.set, vni.del, vtep.add and
 * vtep.del (wr_api.def) through apiform.c; only `sport LO-HI`, for
 * sport_min and sport_max, is the CLI's own word.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

static struct wr_form tunnel_add = {
	.cmd = WR_CMD_TUNNEL_ADD, .object = "tunnel", .verb = "add",
	.pos = { { "name", "NAME" } },
	.range = { "sport", "sport_min", "sport_max" },
};
static struct wr_form tunnel_del = {
	.cmd = WR_CMD_TUNNEL_DEL, .object = "tunnel", .verb = "del",
	.pos = { { "tunnel", "NAME" } },
};
static struct wr_form tunnel_show = {
	.cmd = WR_CMD_TUNNEL_LIST, .object = "tunnel", .verb = "show",
	.pos = { { "tunnel", "NAME" } },
	.pos_optional = true,
};
static struct wr_form vni_set = {
	.cmd = WR_CMD_VNI_SET, .object = "vni", .verb = "set",
	.pos = { { "tunnel", "TUNNEL" }, { "vni", "VNI" } },
};
static struct wr_form vni_del = {
	.cmd = WR_CMD_VNI_DEL, .object = "vni", .verb = "del",
	.pos = { { "tunnel", "TUNNEL" }, { "vni", "VNI" } },
};
static struct wr_form vtep_add = {
	.cmd = WR_CMD_VTEP_ADD, .object = "vtep", .verb = "add",
	.pos = { { "tunnel", "TUNNEL" }, { "remote", "REMOTE" } },
};
static struct wr_form vtep_del = {
	.cmd = WR_CMD_VTEP_DEL, .object = "vtep", .verb = "del",
	.pos = { { "tunnel", "TUNNEL" }, { "remote", "REMOTE" } },
};

/* Before main(): the command tables below point at what this makes. */
__attribute__((constructor)) static void tunnel_forms(void)
{
	wr_form_init(&tunnel_add);
	wr_form_init(&tunnel_del);
	wr_form_init(&tunnel_show);
	wr_form_init(&vni_set);
	wr_form_init(&vni_del);
	wr_form_init(&vtep_add);
	wr_form_init(&vtep_del);
}

/* ----------------------------------------------------------- tunnel show */

#define TUNNEL_ROW "%-15s %-6s %-15s %-39s %-7s %-24s %s\n"

/* A tunnel's "vnis" as "5010:10,5020:20" (VNI:BD), "-" when none. */
static const char *vni_list(struct json_object *a, char *buf, size_t size)
{
	size_t o = 0, n = a ? json_object_array_length(a) : 0;

	snprintf(buf, size, "-");
	for (size_t i = 0; i < n && o < size; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		o += (size_t)snprintf(buf + o, size - o, "%s%" PRId64 ":%" PRId64, i ? "," : "",
				      wr_json_int(v, "vni"), wr_json_int(v, "bd"));
	}
	return buf;
}

/* One VTEP's line: remote, flood, the next hop (or why there is none), counters. */
static void print_vtep(struct json_object *v)
{
	struct json_object *nh = wr_json_object(v, "nexthop");
	char hop[160];

	if (wr_json_bool(nh, "resolved"))
		snprintf(hop, sizeof(hop), "next hop %s via %s dev %s", wr_json_str(nh, "mac"),
			 wr_json_str(nh, "via"), wr_json_str(nh, "dev"));
	else
		snprintf(hop, sizeof(hop), "next hop unresolved: %s",
			 wr_json_str(nh, "why")[0] ? wr_json_str(nh, "why") : "-");
	printf("    vtep %s%s flood %s: %s; rx %" PRId64 " pkts %" PRId64 " bytes, tx %" PRId64
	       " pkts %" PRId64 " bytes, %" PRId64 " drops\n",
	       wr_json_str(v, "remote"), wr_json_bool(v, "learned") ? " (learned)" : "",
	       wr_cli_on_off[!wr_json_bool(v, "flood")], hop,
	       wr_json_int(v, "rx_pkts"), wr_json_int(v, "rx_bytes"), wr_json_int(v, "tx_pkts"),
	       wr_json_int(v, "tx_bytes"), wr_json_int(v, "drops"));
}

/* Geneve: the options it sends, and those it received by class and type. */
static void print_options(struct json_object *t)
{
	struct json_object *sent = wr_json_array(t, "options"), *got = wr_json_array(t, "options_rx");
	size_t n_sent = sent ? json_object_array_length(sent) : 0;
	size_t n_got = got ? json_object_array_length(got) : 0;

	if (n_sent) {
		printf("    options sent");
		for (size_t i = 0; i < n_sent; i++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(sent, i)));
		printf("\n");
	}
	if (n_got || wr_json_int(t, "options_rx_other")) {
		printf("    options received");
		for (size_t i = 0; i < n_got; i++) {
			struct json_object *o = json_object_array_get_idx(got, i);

			printf(" %s:%s %" PRId64, wr_json_str(o, "class"), wr_json_str(o, "type"),
			       wr_json_int(o, "pkts"));
		}
		if (wr_json_int(t, "options_rx_other"))
			printf(" other %" PRId64, wr_json_int(t, "options_rx_other"));
		printf("\n");
	}
}

static void tunnels_text(struct json_object *res)
{
	struct json_object *tunnels = wr_json_array(res, "tunnels");
	char vnis[256], dstport[8], vteps[8];

	printf(TUNNEL_ROW, "NAME", "TYPE", "UNDERLAY", "LOCAL", "DSTPORT", "VNIS", "VTEPS");
	for (size_t i = 0; tunnels && i < json_object_array_length(tunnels); i++) {
		struct json_object *t = json_object_array_get_idx(tunnels, i);
		struct json_object *vt = wr_json_array(t, "vteps");
		size_t n = vt ? json_object_array_length(vt) : 0;

		snprintf(dstport, sizeof(dstport), "%" PRId64, wr_json_int(t, "dstport"));
		snprintf(vteps, sizeof(vteps), "%zu", n);
		printf(TUNNEL_ROW, wr_json_str(t, "name"), wr_json_str(t, "type"),
		       wr_json_str(t, "underlay"), wr_json_str(t, "local"), dstport,
		       vni_list(wr_json_array(t, "vnis"), vnis, sizeof(vnis)), vteps);
		printf("    sport %" PRId64 "-%" PRId64 " udp-csum %s mtu %" PRId64
		       " tenant-mtu %" PRId64 "\n",
		       wr_json_int(t, "sport_min"), wr_json_int(t, "sport_max"),
		       wr_cli_on_off[!wr_json_bool(t, "udp_csum")], wr_json_int(t, "mtu"),
		       wr_json_int(t, "tenant_mtu"));
		print_options(t);
		for (size_t j = 0; j < n; j++)
			print_vtep(json_object_array_get_idx(vt, j));
	}
}

/* ------------------------------------------------------------- commands */

static int run_tunnel_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &tunnel_add, argc, argv, NULL);
}

static int run_tunnel_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &tunnel_del, argc, argv, NULL);
}

static int run_tunnel_show(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &tunnel_show, argc, argv, tunnels_text);
}

static int run_vni_set(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &vni_set, argc, argv, NULL);
}

static int run_vni_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &vni_del, argc, argv, NULL);
}

static int run_vtep_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &vtep_add, argc, argv, NULL);
}

static int run_vtep_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return wr_form_run(ctx, &vtep_del, argc, argv, NULL);
}

const struct wr_cmd wr_tunnel_cmds[] = {
	{
		.object = "tunnel", .name = "add",
		.synopsis = tunnel_add.synopsis,
		.summary = "add a VXLAN or Geneve tunnel on an underlay port",
		.description =
			"Adds tunnel NAME to the switch named by -S. Its frames leave and arrive "
			"by the afxdp port PORT (the underlay), whose device has the address ADDR "
			"(the local VTEP, IPv4 or IPv6) in its namespace: UDP frames to ADDR and the "
			"tunnel's destination port are decapsulated, everything else on the device "
			"(ARP, ND, the namespace's own traffic) goes to the kernel as before. NAME "
			"is a name no port of the switch has: learnt remote MACs point at it, with "
			"their VTEP ('warren fdb show').\n\n"
			"A tunnel carries nothing until 'warren vni set' maps a VNI to a bridge "
			"domain, and sends to remote VTEPs given by 'warren vtep add'. Frames are "
			"encapsulated with one outer header per VTEP and VNI; the UDP source port "
			"comes from the inner flow, within 'sport', so that the underlay's ECMP and "
			"the receiver's RSS spread the flows. Frames too big for the underlay's "
			"MTU with the outer headers (50 bytes for VXLAN over IPv4, 70 over IPv6, "
			"Geneve options on top) are dropped and counted, never fragmented; 'warren "
			"tunnel show' tells the tenant MTU that fits. The next hop towards each VTEP "
			"comes from the routes and neighbours of the underlay's namespace.\n\n"
			"Keywords may be shortened to a unique prefix and come in any order after "
			"NAME.",
		.args = tunnel_add.args,
		.examples =
			"warren tunnel add vx0 underlay u0 local 192.0.2.1\n"
			"warren tunnel add gn0 underlay u0 local 2001:db8::1 type geneve\n"
			"warren -S hosta tunnel add vx1 underlay u0 local 192.0.2.1 dstport 8472 "
			"sport 50000-59999 udp-csum off",
		.uses_switch = true,
		.run = run_tunnel_add,
	},
	{
		.object = "tunnel", .name = "del",
		.synopsis = tunnel_del.synopsis,
		.summary = "remove a tunnel",
		.description =
			"Removes tunnel NAME from the switch named by -S, with its VNI mappings, "
			"its remote VTEPs and the FDB entries that point at them. The underlay port "
			"stays.",
		.args = tunnel_del.args,
		.examples = "warren tunnel del vx0",
		.uses_switch = true,
		.run = run_tunnel_del,
	},
	{
		.object = "tunnel", .name = "show",
		.synopsis = tunnel_show.synopsis,
		.summary = "show the tunnels of the switch",
		.description =
			"Shows every tunnel of the switch named by -S, or only NAME: one line each "
			"with its name, type, underlay port, local address, UDP destination port, "
			"VNIs as VNI:BD (the bridge domain each carries) and how many remote VTEPs "
			"it has. A second line gives the UDP source port range, whether the outer "
			"UDP checksum is sent (IPv6 always sends it), the underlay's MTU and the "
			"tenant MTU, the largest inner frame that fits with the outer headers. "
			"Then a line per remote VTEP: its address, whether it is on the flood list "
			"(broadcast, multicast and unknown unicast go to it), its next hop (the "
			"MAC, the address it goes via and the device), or why there is none yet "
			"('no route to 192.0.2.9', 'resolving 192.0.2.2 on eth0'), and its "
			"counters: frames and bytes received from and sent to it, frames dropped. "
			"A geneve tunnel shows the options it adds to what it sends, and the "
			"options it received, frames counted by class and type (16 pairs apart, "
			"the rest as other).\n\n"
			"JSON: warrend's tunnel.list result, {\"tunnels\": [{name, type, underlay, "
			"local, dstport, sport_min, sport_max, udp_csum, mtu, tenant_mtu, vnis: "
			"[{vni, bd}], options: [\"CLASS:TYPE:DATA\"], options_rx: [{class, type, "
			"pkts}], options_rx_other, vteps: [{remote, flood, port, nexthop: {resolved, mac, via, "
			"dev, why}, rx_pkts, rx_bytes, tx_pkts, tx_bytes, drops}]}]}.",
		.args = tunnel_show.args,
		.examples = "warren tunnel show\nwarren -j -S hosta tunnel show vx0",
		.shows_state = true,
		.uses_switch = true,
		.run = run_tunnel_show,
	},
	{ .name = NULL },
};

const struct wr_cmd wr_vni_cmds[] = {
	{
		.object = "vni", .name = "set",
		.synopsis = vni_set.synopsis,
		.summary = "carry a bridge domain in a VNI of a tunnel",
		.description =
			"Frames of bridge domain N that go to a remote VTEP of TUNNEL (the switch "
			"named by -S) are sent in VNI; frames that arrive by TUNNEL in VNI belong "
			"to N, and their source MACs are learnt against the VTEP that sent them. "
			"A bridge domain has one VNI per tunnel.",
		.args = vni_set.args,
		.examples = "warren vni set vx0 5010 bd 10\nwarren vni set vx0 5020 bd 20",
		.uses_switch = true,
		.run = run_vni_set,
	},
	{
		.object = "vni", .name = "del",
		.synopsis = vni_del.synopsis,
		.summary = "stop carrying a VNI",
		.description =
			"TUNNEL of the switch named by -S stops carrying VNI: frames that arrive "
			"in it are dropped and counted (unknown VNI), and its bridge domain no "
			"longer reaches the tunnel's VTEPs.",
		.args = vni_del.args,
		.examples = "warren vni del vx0 5020",
		.uses_switch = true,
		.run = run_vni_del,
	},
	{ .name = NULL },
};

const struct wr_cmd wr_vtep_cmds[] = {
	{
		.object = "vtep", .name = "add",
		.synopsis = vtep_add.synopsis,
		.summary = "add a remote VTEP to a tunnel",
		.description =
			"Adds the remote VTEP REMOTE, an address of the tunnel's family, to TUNNEL "
			"of the switch named by -S. Frames from it are accepted and their source "
			"MACs learnt against it; with flood on (the default) it gets a copy of "
			"every broadcast, multicast and unknown unicast frame of the tunnel's VNIs "
			"(head-end replication), never one that came in by a tunnel. warrend finds "
			"its next hop in the underlay's namespace and keeps it current; 'warren "
			"tunnel show' says whether it is resolved.",
		.args = vtep_add.args,
		.examples = "warren vtep add vx0 192.0.2.2\nwarren vtep add vx0 192.0.2.3 flood off",
		.uses_switch = true,
		.run = run_vtep_add,
	},
	{
		.object = "vtep", .name = "del",
		.synopsis = vtep_del.synopsis,
		.summary = "remove a remote VTEP",
		.description =
			"Removes REMOTE from TUNNEL of the switch named by -S, with the FDB "
			"entries, learnt or static, that point at it.",
		.args = vtep_del.args,
		.examples = "warren vtep del vx0 192.0.2.2",
		.uses_switch = true,
		.run = run_vtep_del,
	},
	{ .name = NULL },
};
