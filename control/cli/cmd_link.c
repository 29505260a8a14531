/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_link.c - warren link add|del|set|show: network devices, iproute2-style. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

#define ALL_KINDS ((1u << WR_LINK_KIND_COUNT) - 1)
#define K(kind) (1u << WR_LINK_##kind)

/* `link add` keywords that take a value, as typed; checked once the kind is known. */
struct add_opts {
	const char *type, *peer, *peer_netns, *owner, *group, *id, *dstport, *local, *remote,
		*lower, *mode, *mtu, *address;
	const char *lower_kw;	/* "dev" or "link", for messages */
	const char *ipvlan_flag;	/* bridge, private or vepa: a keyword without a value */
	bool up;
};

static const struct add_kw {
	const char *name;
	size_t off;
	unsigned int kinds;	/* the kinds it applies to */
} add_kws[] = {
	{ "type", offsetof(struct add_opts, type), ALL_KINDS },
	{ "peer", offsetof(struct add_opts, peer), K(VETH) },
	{ "peer-netns", offsetof(struct add_opts, peer_netns), K(VETH) },
	{ "owner", offsetof(struct add_opts, owner), K(TAP) | K(TUN) },
	{ "group", offsetof(struct add_opts, group), K(TAP) | K(TUN) | K(VXLAN) },
	{ "id", offsetof(struct add_opts, id), K(VXLAN) | K(GENEVE) | K(VLAN) },
	{ "dstport", offsetof(struct add_opts, dstport), K(VXLAN) | K(GENEVE) },
	{ "local", offsetof(struct add_opts, local), K(VXLAN) },
	{ "remote", offsetof(struct add_opts, remote), K(VXLAN) | K(GENEVE) },
	{ "dev", offsetof(struct add_opts, lower), K(VXLAN) | K(MACVLAN) | K(IPVLAN) | K(VLAN) },
	{ "link", offsetof(struct add_opts, lower), K(VXLAN) | K(MACVLAN) | K(IPVLAN) | K(VLAN) },
	{ "mode", offsetof(struct add_opts, mode), K(MACVLAN) | K(IPVLAN) },
	{ "mtu", offsetof(struct add_opts, mtu), ALL_KINDS },
	{ "address", offsetof(struct add_opts, address), ALL_KINDS },
	{ NULL, 0, 0 },
};

static const char **opt_slot(struct add_opts *o, const struct add_kw *kw)
{
	return (const char **)((char *)o + kw->off);
}

/* Copy a valid interface name into @out, or a usage error naming @what. */
static int take_ifname(const struct wr_ctx *ctx, const char *what, const char *text,
		       char out[IFNAMSIZ])
{
	if (wr_valid_ifname(text))
		return wr_usage(ctx, "%s: %s", what, wr_err_msg());
	snprintf(out, IFNAMSIZ, "%s", text);
	return 0;
}

/* A namespace argument: "root" is the root namespace (""). */
static int take_netns(const struct wr_ctx *ctx, const char *what, const char *text,
		      char out[WR_NETNS_NAME_MAX + 1])
{
	if (!strcmp(text, "root")) {
		out[0] = '\0';
		return 0;
	}
	if (wr_valid_netns_name(text))
		return wr_usage(ctx, "%s: %s", what, wr_err_msg());
	snprintf(out, WR_NETNS_NAME_MAX + 1, "%s", text);
	return 0;
}

/* A single address, no prefix length: the endpoints of a tunnel. */
static int take_addr(const struct wr_ctx *ctx, const char *what, const char *text,
		     struct wr_cidr *out)
{
	if (strchr(text, '/'))
		return wr_usage(ctx, "%s: '%s': expected an address without a prefix length",
				what, text);
	if (wr_parse_cidr(text, false, out))
		return wr_usage(ctx, "%s: %s", what, wr_err_msg());
	return 0;
}

static bool is_multicast(const struct wr_cidr *c)
{
	return c->family == AF_INET ? (c->addr.bytes[0] & 0xf0) == 0xe0 : c->addr.bytes[0] == 0xff;
}

static int parse_add_args(const struct wr_ctx *ctx, int argc, char **argv, int i,
			  struct add_opts *o)
{
	for (; i < argc; i++) {
		const struct add_kw *kw;
		const char **slot;

		if (!strcmp(argv[i], "up")) {
			o->up = true;
			continue;
		}
		/* ipvlan's flags are bare words, as in iproute2. */
		if (wr_ipvlan_flag_parse(argv[i]) >= 0) {
			if (o->ipvlan_flag)
				return wr_usage(ctx, "give one of 'bridge', 'private' and 'vepa', "
						"once");
			o->ipvlan_flag = argv[i];
			continue;
		}
		for (kw = add_kws; kw->name && strcmp(kw->name, argv[i]); kw++)
			;
		if (!kw->name)
			return wr_usage(ctx, "unknown keyword '%s'", argv[i]);
		slot = opt_slot(o, kw);
		if (*slot && kw->off == offsetof(struct add_opts, lower))
			return wr_usage(ctx, "the lower device is given twice ('link' and 'dev' "
					"are synonyms)");
		if (*slot)
			return wr_usage(ctx, "'%s' given twice", argv[i]);
		if (kw->off == offsetof(struct add_opts, lower))
			o->lower_kw = kw->name;
		/* iproute2 spells it "peer name PEER". */
		if (!strcmp(kw->name, "peer") && i + 2 < argc && !strcmp(argv[i + 1], "name"))
			i++;
		*slot = wr_next_arg(ctx, argc, argv, &i);
		if (!*slot)
			return WR_EXIT_USAGE;
	}
	return 0;
}

/* Every keyword given must apply to @kind. */
static int check_applies(const struct wr_ctx *ctx, struct add_opts *o, int kind)
{
	for (const struct add_kw *kw = add_kws; kw->name; kw++) {
		if (!*opt_slot(o, kw) || (kw->kinds & (1u << kind)))
			continue;
		if (kw->off == offsetof(struct add_opts, lower) && strcmp(kw->name, o->lower_kw))
			continue;
		return wr_usage(ctx, "'%s' does not apply to type %s", kw->name,
				wr_link_kind_name(kind));
	}
	if (o->ipvlan_flag && kind != WR_LINK_IPVLAN)
		return wr_usage(ctx, "'%s' does not apply to type %s (it is an ipvlan flag%s)",
				o->ipvlan_flag, wr_link_kind_name(kind),
				kind == WR_LINK_MACVLAN ? "; a macvlan takes 'mode MODE'" : "");
	return 0;
}

static int kind_args(const struct wr_ctx *ctx, struct add_opts *o, struct wr_link_spec *s)
{
	const char *kind = wr_link_kind_name(s->kind);
	unsigned int v;
	int mode;

	if (s->kind == WR_LINK_VETH) {
		if (!o->peer)
			return wr_usage(ctx, "type veth needs 'peer PEER'");
		if (take_ifname(ctx, "peer", o->peer, s->peer.ifname))
			return WR_EXIT_USAGE;
		if (o->peer_netns && take_netns(ctx, "peer-netns", o->peer_netns, s->peer.netns))
			return WR_EXIT_USAGE;
		if (!o->peer_netns)
			snprintf(s->peer.netns, sizeof(s->peer.netns), "%s", s->ep.netns);
	}
	if (s->kind == WR_LINK_TAP || s->kind == WR_LINK_TUN) {
		if (o->owner) {
			if (wr_parse_u32(ctx, "owner", o->owner, 0, 4294967294UL, &v))
				return WR_EXIT_USAGE;
			s->owner = v;
		}
		if (o->group) {
			if (wr_parse_u32(ctx, "group", o->group, 0, 4294967294UL, &v))
				return WR_EXIT_USAGE;
			s->group = v;
		}
	}
	if (s->kind == WR_LINK_VXLAN || s->kind == WR_LINK_GENEVE) {
		if (!o->id)
			return wr_usage(ctx, "type %s needs 'id VNI'", kind);
		if (wr_parse_u32(ctx, "id (VNI)", o->id, 0, 16777215, &s->vni))
			return WR_EXIT_USAGE;
		if (o->dstport) {
			if (wr_parse_u32(ctx, "dstport", o->dstport, 1, 65535, &v))
				return WR_EXIT_USAGE;
			s->dstport = (uint16_t)v;
		}
		if (o->remote && o->group)
			return wr_usage(ctx, "give either 'remote' or 'group', not both");
		if (o->remote || o->group) {
			if (take_addr(ctx, o->remote ? "remote" : "group",
				      o->remote ? o->remote : o->group, &s->remote))
				return WR_EXIT_USAGE;
			if (o->group && !is_multicast(&s->remote))
				return wr_usage(ctx, "group: '%s' is not a multicast address "
						"(use 'remote' for a unicast peer)", o->group);
			s->has_remote = true;
		}
		if (s->kind == WR_LINK_GENEVE && !o->remote)
			return wr_usage(ctx, "type geneve needs 'remote ADDR'");
		if (o->local) {
			if (take_addr(ctx, "local", o->local, &s->local))
				return WR_EXIT_USAGE;
			s->has_local = true;
			if (s->has_remote && s->local.family != s->remote.family)
				return wr_usage(ctx, "local and remote must be both IPv4 or both IPv6");
		}
		if (s->has_remote && is_multicast(&s->remote) && !o->lower)
			return wr_usage(ctx, "a multicast group needs 'dev LOWER' to join it on");
	}
	if (s->kind == WR_LINK_VLAN) {
		if (!o->id)
			return wr_usage(ctx, "type vlan needs 'id ID'");
		if (wr_parse_u32(ctx, "id (VLAN)", o->id, 1, 4094, &v))
			return WR_EXIT_USAGE;
		s->vlan_id = (uint16_t)v;
	}
	if (s->kind == WR_LINK_MACVLAN || s->kind == WR_LINK_IPVLAN || s->kind == WR_LINK_VLAN) {
		if (!o->lower)
			return wr_usage(ctx, "type %s needs 'link LOWER'", kind);
	}
	if (o->lower && take_ifname(ctx, o->lower_kw, o->lower, s->lower))
		return WR_EXIT_USAGE;
	if (o->mode && s->kind == WR_LINK_MACVLAN) {
		mode = wr_macvlan_mode_parse(o->mode);
		if (mode < 0)
			return wr_usage(ctx, "mode: %s", wr_err_msg());
		s->macvlan_mode = mode;
	}
	if (o->mode && s->kind == WR_LINK_IPVLAN) {
		/* Before the parse whose message is shown: both record one. */
		bool is_flag = wr_ipvlan_flag_parse(o->mode) >= 0;

		mode = wr_ipvlan_mode_parse(o->mode);
		if (mode < 0)
			return wr_usage(ctx, "mode: %s%s", wr_err_msg(), is_flag ?
					" (bridge, private and vepa are flags, given without 'mode')" :
					"");
		s->ipvlan_mode = mode;
	}
	if (o->ipvlan_flag)
		s->ipvlan_flag = wr_ipvlan_flag_parse(o->ipvlan_flag);
	return 0;
}

int wr_cli_link_add_args(const struct wr_ctx *ctx, int argc, char **argv,
			 struct wr_link_spec *spec, struct wr_link_change *chg)
{
	struct add_opts o = { 0 };
	unsigned int mtu;
	int i = 0, kind, err;

	memset(spec, 0, sizeof(*spec));
	memset(chg, 0, sizeof(*chg));
	chg->up = -1;
	spec->owner = spec->group = -1;
	spec->macvlan_mode = WR_MACVLAN_BRIDGE;
	if (i < argc && !strcmp(argv[i], "name"))
		i++;
	if (i >= argc)
		return wr_usage(ctx, "expected NAME type KIND ...");
	if (take_ifname(ctx, "NAME", argv[i], spec->ep.ifname))
		return WR_EXIT_USAGE;
	snprintf(spec->ep.netns, sizeof(spec->ep.netns), "%s", ctx->netns ? ctx->netns : "");
	err = parse_add_args(ctx, argc, argv, i + 1, &o);
	if (err)
		return err;
	if (!o.type)
		return wr_usage(ctx, "'type KIND' is missing (veth, tap, tun, bridge, dummy, vxlan, "
				"macvlan, ipvlan, vlan, geneve)");
	kind = wr_link_kind_parse(o.type);
	if (kind < 0)
		return wr_usage(ctx, "type: %s", wr_err_msg());
	spec->kind = kind;
	if (check_applies(ctx, &o, kind) || kind_args(ctx, &o, spec))
		return WR_EXIT_USAGE;
	if (o.mtu) {
		if (wr_parse_u32(ctx, "mtu", o.mtu, 1, 4294967295UL, &mtu))
			return WR_EXIT_USAGE;
		chg->mtu = mtu;
	}
	if (o.address) {
		if (wr_parse_mac(o.address, chg->mac))
			return wr_usage(ctx, "address: %s", wr_err_msg());
		chg->has_mac = true;
	}
	if (o.up)
		chg->up = 1;
	return 0;
}

static int link_add(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_link_change chg;
	struct wr_link_spec spec;
	char msg[512];
	int err;

	err = wr_cli_link_add_args(ctx, argc, argv, &spec, &chg);
	if (err)
		return err;
	if (wr_link_add(&spec))
		return wr_fail();
	if (!chg.mtu && !chg.has_mac && chg.up < 0)
		return WR_EXIT_OK;
	err = wr_link_set(&spec.ep, &chg);
	if (!err)
		return WR_EXIT_OK;
	/* All or nothing: a device without the settings asked for goes again. */
	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	wr_link_del(&spec.ep);
	wr_err_set(err, "%s; the new device was removed again", msg);
	return wr_fail();
}

/* NAME or "dev NAME", as iproute2 takes either; returns the index after it. */
static int take_dev(const struct wr_ctx *ctx, int argc, char **argv, struct wr_ep *ep)
{
	int i = 0;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i >= argc)
		return -wr_usage(ctx, "expected NAME");
	if (take_ifname(ctx, "NAME", argv[i], ep->ifname))
		return -WR_EXIT_USAGE;
	snprintf(ep->netns, sizeof(ep->netns), "%s", ctx->netns ? ctx->netns : "");
	return i + 1;
}

static int link_del(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_ep ep;
	int i;

	i = take_dev(ctx, argc, argv, &ep);
	if (i < 0)
		return -i;
	if (i < argc)
		return wr_usage(ctx, "unexpected '%s' after NAME", argv[i]);
	return wr_link_del(&ep) ? wr_fail() : WR_EXIT_OK;
}

static int link_set(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_link_change chg = { .up = -1 };
	char netns[WR_NETNS_NAME_MAX + 1], new_name[IFNAMSIZ], master[IFNAMSIZ];
	bool any = false;
	struct wr_ep ep;
	unsigned int mtu;
	const char *v;
	int i;

	i = take_dev(ctx, argc, argv, &ep);
	if (i < 0)
		return -i;
	for (; i < argc; i++, any = true) {
		const char *kw = argv[i];

		if (!strcmp(kw, "up") || !strcmp(kw, "down")) {
			if (chg.up >= 0)
				return wr_usage(ctx, "give one of 'up' and 'down', once");
			chg.up = !strcmp(kw, "up");
		} else if (!strcmp(kw, "nomaster")) {
			if (chg.master)
				return wr_usage(ctx, "give one of 'master' and 'nomaster', once");
			chg.master = "";
		} else if (!strcmp(kw, "mtu") || !strcmp(kw, "address") || !strcmp(kw, "master") ||
			   !strcmp(kw, "netns") || !strcmp(kw, "name")) {
			v = wr_next_arg(ctx, argc, argv, &i);
			if (!v)
				return WR_EXIT_USAGE;
			if (!strcmp(kw, "mtu")) {
				if (chg.mtu)
					return wr_usage(ctx, "'mtu' given twice");
				if (wr_parse_u32(ctx, "mtu", v, 1, 4294967295UL, &mtu))
					return WR_EXIT_USAGE;
				chg.mtu = mtu;
			} else if (!strcmp(kw, "address")) {
				if (chg.has_mac)
					return wr_usage(ctx, "'address' given twice");
				if (wr_parse_mac(v, chg.mac))
					return wr_usage(ctx, "address: %s", wr_err_msg());
				chg.has_mac = true;
			} else if (!strcmp(kw, "master")) {
				if (chg.master)
					return wr_usage(ctx, "give one of 'master' and 'nomaster', once");
				if (take_ifname(ctx, "master", v, master))
					return WR_EXIT_USAGE;
				chg.master = master;
			} else if (!strcmp(kw, "netns")) {
				if (chg.netns)
					return wr_usage(ctx, "'netns' given twice");
				if (take_netns(ctx, "netns", v, netns))
					return WR_EXIT_USAGE;
				chg.netns = netns;
			} else {
				if (chg.new_name)
					return wr_usage(ctx, "'name' given twice");
				if (take_ifname(ctx, "name", v, new_name))
					return WR_EXIT_USAGE;
				chg.new_name = new_name;
			}
		} else {
			return wr_usage(ctx, "unknown keyword '%s'", kw);
		}
	}
	if (!any)
		return wr_usage(ctx, "nothing to change: give up, down, mtu, address, master, "
				"nomaster, netns or name");
	if (chg.master && chg.master[0] && chg.netns)
		return wr_usage(ctx, "'master' and 'netns' cannot be combined: a device leaves its "
				"master when it changes namespace");
	return wr_link_set(&ep, &chg) ? wr_fail() : WR_EXIT_OK;
}

static int print_link(const struct wr_link_info *li, void *arg)
{
	char mac[18];

	(void)arg;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", li->mac[0], li->mac[1],
		 li->mac[2], li->mac[3], li->mac[4], li->mac[5]);
	wr_print_open_object(NULL);
	wr_print_str("ifname", "%-16s ", li->ifname);
	wr_print_int("ifindex", NULL, li->ifindex);
	wr_print_str("kind", "%-8s ", li->kind[0] || wr_print_is_json() ? li->kind : "-");
	wr_print_bool("up", NULL, li->up);
	wr_print_bool("carrier", NULL, li->lower_up);
	wr_print_str("operstate", "%-14s ", li->operstate);
	wr_print_uint("mtu", "%5" PRIu64 "  ", li->mtu);
	wr_print_str("address", "%s", mac);
	if (li->master[0])
		wr_print_str("master", "  master %s", li->master);
	else
		wr_print_null("master", NULL);
	wr_print_text("\n");
	wr_print_close_object();
	return 0;
}

static int link_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_link_info li;
	struct wr_ep ep;
	int i, err;

	if (argc == 0) {
		wr_print_open_array(NULL);
		err = wr_link_foreach(ctx->netns, print_link, NULL);
		wr_print_close_array();
		wr_print_end();
		return err < 0 ? wr_fail() : WR_EXIT_OK;
	}
	i = take_dev(ctx, argc, argv, &ep);
	if (i < 0)
		return -i;
	if (i < argc)
		return wr_usage(ctx, "unexpected '%s' after NAME", argv[i]);
	if (wr_link_get(&ep, &li))
		return wr_fail();
	wr_print_open_array(NULL);
	print_link(&li, NULL);
	wr_print_close_array();
	wr_print_end();
	return WR_EXIT_OK;
}

const struct wr_cmd wr_link_cmds[] = {
	{
		.object = "link", .name = "add",
		.synopsis = "link add NAME type KIND [KIND OPTIONS] [mtu MTU] [address MAC] [up]",
		.summary = "create a network device",
		.description =
			"Creates device NAME in the namespace given with -n (the root namespace "
			"without it), down and with the kernel's defaults unless mtu, address or up "
			"say otherwise; those three are applied right after creation, and if that "
			"fails the new device is removed again. The device is made directly in its "
			"namespace: it never appears in the root namespace on its way. "
			"Keywords may come in any order after NAME.\n\n"
			"type veth peer PEER [peer-netns NS]: a veth pair, NAME in -n NETNS and "
			"PEER in NS (default: the same namespace as NAME; 'root' is the root "
			"namespace). Deleting either end deletes both. As `ip link add NAME type "
			"veth peer name PEER`, which is also accepted.\n\n"
			"type tap [owner UID] [group GID], type tun [owner UID] [group GID]: a "
			"persistent TAP (Ethernet frames) or TUN (IP packets) device without packet "
			"information header (IFF_NO_PI), made through /dev/net/tun; OWNER and GROUP "
			"may then open it without privileges. As `ip tuntap add NAME mode tap user "
			"UID group GID`. `link show` reports both as kind tun.\n\n"
			"type bridge, type dummy: an empty Linux bridge (STP off, the kernel's "
			"defaults), a dummy device.\n\n"
			"type vxlan id VNI [dstport PORT] [local ADDR] [remote ADDR | group ADDR] "
			"[dev LOWER]: a VXLAN tunnel endpoint. PORT defaults to 4789 (IANA), not to "
			"the kernel's historical 8472. remote is the unicast peer; group (or a "
			"multicast remote) is a multicast group joined on LOWER, which is then "
			"required. Learning is on, as the kernel's default.\n\n"
			"type macvlan link LOWER [mode private|vepa|bridge|passthru]: a MACVLAN on "
			"LOWER, mode bridge by default. type ipvlan link LOWER [mode l3|l3s|l2] "
			"[bridge|private|vepa]: an IPVLAN on LOWER, mode l3 and flag bridge by "
			"default, as the kernel and `ip link add ... type ipvlan` have them; the "
			"mode and the flag belong to LOWER, so every ipvlan on it shares them and "
			"the one created last sets them for all. "
			"type vlan link LOWER id ID: an 802.1Q VLAN sub-interface, ID 1 to 4094. "
			"type geneve id VNI remote ADDR [dstport PORT]: a Geneve tunnel, PORT 6081 "
			"by default. LOWER must be in the same namespace; 'dev' and 'link' are "
			"synonyms for it.\n\n"
			"A kernel built without a kind says so: the message names the missing "
			"option, e.g. `(kernel lacks 802.1Q VLAN support: CONFIG_VLAN_8021Q)`.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the new device, 1 to 15 bytes, no '/', ':', '%' or spaces "
			  "(a leading 'name' keyword is accepted, as iproute2)" },
			{ "type KIND", "veth, tap, tun, bridge, dummy, vxlan, macvlan, ipvlan, vlan "
			  "or geneve" },
			{ "peer PEER", "veth: the name of the other end" },
			{ "peer-netns NS", "veth: the namespace of the other end (default: NAME's); "
			  "'root' for the root namespace" },
			{ "owner UID, group GID", "tap/tun: the user and group allowed to attach "
			  "(default: only processes with CAP_NET_ADMIN); vxlan: 'group ADDR' is the "
			  "multicast group" },
			{ "id N", "vxlan/geneve: the VNI, 0 to 16777215; vlan: the VLAN id, 1 to 4094" },
			{ "dstport PORT", "vxlan/geneve: UDP destination port (default 4789/6081)" },
			{ "local ADDR", "vxlan: source address of the tunnel (IPv4 or IPv6)" },
			{ "remote ADDR", "vxlan/geneve: the far tunnel endpoint; for vxlan a "
			  "multicast address is taken as the group" },
			{ "link LOWER, dev LOWER", "macvlan/ipvlan/vlan (required) and vxlan "
			  "(optional): the parent device, in the same namespace" },
			{ "mode MODE", "macvlan: private, vepa, bridge (default) or passthru; "
			  "ipvlan: l3 (default: the lower device routes), l3s (l3 through the "
			  "lower device's netfilter hooks) or l2 (the lower device switches)" },
			{ "bridge, private, vepa", "ipvlan, one of them: ipvlans on one lower device "
			  "talk to each other directly (bridge, the default), not at all "
			  "(private), or only through the outside switch (vepa)" },
			{ "mtu MTU", "set the MTU after creation (the kernel checks the range)" },
			{ "address MAC", "set the MAC address after creation, e.g. 02:00:00:00:00:01" },
			{ "up", "bring the device up after creation" },
			{ NULL, NULL },
		},
		.examples =
			"warren -n h1 link add eth0 type veth peer h1-eth0 peer-netns root\n"
			"warren -n h1 link add v0 type veth peer v0 peer-netns h2 mtu 9000 up\n"
			"warren -n h1 link add tap0 type tap owner 1000\n"
			"warren -n sw link add br0 type bridge up\n"
			"warren -n h1 link add vx42 type vxlan id 42 local 192.0.2.1 remote 192.0.2.2\n"
			"warren -n h1 link add mv0 type macvlan link eth0 mode vepa\n"
			"warren -n h1 link add iv0 type ipvlan link eth0 mode l2 private\n"
			"warren -n h1 link add eth0.10 type vlan link eth0 id 10",
		.run = link_add,
	},
	{
		.object = "link", .name = "del",
		.synopsis = "link del NAME",
		.summary = "delete a network device",
		.description =
			"Deletes device NAME of the namespace given with -n. A veth takes its peer "
			"with it, wherever the peer lives; a bridge releases its ports. Physical "
			"devices and loopback cannot be deleted. As `ip link del NAME`; "
			"'dev NAME' is accepted too.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the device" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 link del eth0",
		.run = link_del,
	},
	{
		.object = "link", .name = "set",
		.synopsis = "link set NAME [up|down] [mtu MTU] [address MAC] [master BRIDGE|nomaster] "
			    "[netns NS|root] [name NEWNAME]",
		.summary = "change a network device",
		.description =
			"Changes device NAME of the namespace given with -n, in one request where "
			"the kernel allows it. As `ip link set dev NAME ...`.\n\n"
			"netns moves the device to NS ('root' for the root namespace); a device "
			"that moves goes down and leaves its bridge, so 'up' given with netns is "
			"applied in the new namespace, and master cannot be combined with netns. "
			"netns and name together give the device its new name as it arrives, so "
			"a name taken only in the old namespace is no obstacle.\n\n"
			"Older kernels rename only devices that are down (EBUSY otherwise); "
			"'down name NEW' takes the device down before renaming it. master is "
			"looked up in the device's namespace.",
		.args = (const struct wr_arg[]){
			{ "NAME", "the device ('dev NAME' is accepted too)" },
			{ "up, down", "set the administrative state" },
			{ "mtu MTU", "set the MTU" },
			{ "address MAC", "set the MAC address" },
			{ "master BRIDGE", "make the device a port of BRIDGE (or of any master device)" },
			{ "nomaster", "release the device from its master" },
			{ "netns NS", "move the device to namespace NS; 'root' is the root namespace" },
			{ "name NEWNAME", "rename the device" },
			{ NULL, NULL },
		},
		.examples =
			"warren -n sw link set sw-h1 master br0 up\n"
			"warren -n h1 link set eth0 mtu 9000 address 02:00:00:00:01:01 up\n"
			"warren link set tmp0 netns h1 name eth1 up",
		.run = link_set,
	},
	{
		.object = "link", .name = "show",
		.synopsis = "link show [NAME]",
		.summary = "show network devices",
		.description =
			"Shows every device of the namespace given with -n, in ifindex order, or "
			"only NAME. One line per device, as `ip -br link`: name, kind ('-' for "
			"none, as loopback or a physical NIC; tap and tun devices both show as "
			"tun), operational state (UP, DOWN, UNKNOWN, LOWERLAYERDOWN, ...), MTU, "
			"MAC address and master.\n\n"
			"JSON: an array of objects with the keys ifname, ifindex, kind (\"\" for "
			"none), mtu, address, up (administratively up: IFF_UP), carrier (lower "
			"layer up), operstate and master (null when none).",
		.args = (const struct wr_arg[]){
			{ "NAME", "show only this device ('dev NAME' is accepted too); a missing "
			  "device is an error" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 link show\nwarren -j -p -n h1 link show eth0",
		.shows_state = true,
		.run = link_show,
	},
	{ .name = NULL },
};
