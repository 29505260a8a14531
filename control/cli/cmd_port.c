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
#define KW_MAX 32

/*
 * The CLI's own words, which wr_api.def does not know: keywords standing
 * for a value of a BOOL key (`up`, `down` for up), and values with a
 * meaning of their own (`netns root`: the key left out, warrend's
 * namespace). Every other keyword of `port add` and `port set` is a key of
 * port.add or port.set in its word (wr_api_word(), '_' written '-').
 */
static const struct cli_word {
	const char *key;
	const char *word;
	int value;		/* a keyword: the key's value; -1: a value, the key unset */
	const char *help;	/* after the key's own, or NULL */
} cli_words[] = {
	{ "up", "up", 1, NULL },
	{ "up", "down", 0, NULL },
	{ "netns", "root", -1, "'root' is the root namespace (default: -n's, else warrend's)" },
};

/* A keyword of port add or set: a key in its word, or a CLI word for one of its values. */
struct kw {
	char word[24];
	const struct wr_api_key *k;
	const struct cli_word *cw;	/* a keyword of cli_words, or NULL */
	size_t slot;		/* the first keyword of the same key: a key is given once */
};

/* A command's keywords and, made from them, its synopsis and ARGUMENTS. */
struct kws {
	enum wr_api_cmd cmd;
	const struct wr_api_key *pos;	/* NAME: the key that comes first, required */
	struct kw kw[KW_MAX];
	const char *words[KW_MAX];
	size_t n;
	char synopsis[640];
	struct wr_arg args[KW_MAX + 2];
	char names[KW_MAX + 1][96], helps[KW_MAX + 1][384];
};

static struct kws add_kws = { .cmd = WR_CMD_PORT_ADD };
static struct kws set_kws = { .cmd = WR_CMD_PORT_SET };

/* What a keyword's value looks like in a synopsis: N, VLANS, on|off, afxdp|tap|dpdk, DEV. */
static void metavar(const struct kw *w, char *buf, size_t size)
{
	wr_cli_metavar(w->k, w->word, buf, size);
}

/* Keyword @j (with the keywords after it of the same key) as ARGUMENTS entry @i. */
static void describe(struct kws *t, size_t i, size_t j)
{
	const struct kw *w = &t->kw[j];
	char mv[64], range[128];
	size_t o;

	if (w->cw) {
		o = 0;
		for (size_t f = j; f < t->n && t->kw[f].k == w->k; f++)
			o += (size_t)snprintf(t->names[i] + o, sizeof(t->names[i]) - o, "%s%s",
					      f > j ? ", " : "", t->kw[f].word);
	} else {
		metavar(w, mv, sizeof(mv));
		snprintf(t->names[i], sizeof(t->names[i]), "%s %s", w->word, mv);
	}
	snprintf(t->helps[i], sizeof(t->helps[i]), "%s", w->k->text);
	wr_api_in_words(t->helps[i]);
	o = strlen(t->helps[i]);
	if (w->k->type != WR_T_ENUM && *wr_api_key_range(w->k, range, sizeof(range)))
		o += (size_t)snprintf(t->helps[i] + o, sizeof(t->helps[i]) - o, "; %s", range);
	for (size_t c = 0; c < N(cli_words); c++)
		if (cli_words[c].help && !strcmp(cli_words[c].key, w->k->name) &&
		    o < sizeof(t->helps[i]))
			o += (size_t)snprintf(t->helps[i] + o, sizeof(t->helps[i]) - o, "; %s",
					      cli_words[c].help);
}

static void add_kw(struct kws *t, const struct wr_api_key *k, const char *word,
		   const struct cli_word *cw)
{
	struct kw *w = &t->kw[t->n];

	snprintf(w->word, sizeof(w->word), "%s", word);
	for (char *c = w->word; *c; c++)
		*c = *c == '_' ? '-' : *c;
	w->k = k;
	w->cw = cw;
	w->slot = t->n && t->kw[t->n - 1].k == k ? t->kw[t->n - 1].slot : t->n;
	t->words[t->n] = w->word;
	t->n++;
}

/* @t's keywords from wr_api.def, then its synopsis and ARGUMENTS. */
static void make_kws(struct kws *t, const char *name)
{
	size_t o, a = 0;
	char mv[64];
	bool flags;

	for (size_t i = 0; i < wr_api_n_keys && t->n + N(cli_words) < KW_MAX; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];

		if (k->cmd != t->cmd)
			continue;
		if (!t->pos && (k->flags & WR_KEY_REQUIRED)) {
			t->pos = k;
			continue;
		}
		flags = false;
		for (size_t c = 0; c < N(cli_words); c++)
			if (cli_words[c].value >= 0 && !strcmp(cli_words[c].key, k->name)) {
				add_kw(t, k, cli_words[c].word, &cli_words[c]);
				flags = true;
			}
		if (!flags)
			add_kw(t, k, wr_api_word(k->name), NULL);
	}
	o = (size_t)snprintf(t->synopsis, sizeof(t->synopsis), "port %s NAME", name);
	t->args[a++] = (struct wr_arg){ "NAME", t->pos ? t->pos->text : "the port" };
	for (size_t i = 0; i < t->n; i++) {
		const struct kw *w = &t->kw[i];

		if (w->slot != i)
			continue;
		describe(t, a, i);
		t->args[a] = (struct wr_arg){ t->names[a], t->helps[a] };
		a++;
		if (o >= sizeof(t->synopsis))
			continue;
		if (w->cw) {
			o += (size_t)snprintf(t->synopsis + o, sizeof(t->synopsis) - o, " [");
			for (size_t j = i; j < t->n && t->kw[j].k == w->k; j++)
				o += (size_t)snprintf(t->synopsis + o, sizeof(t->synopsis) - o, "%s%s",
						      j > i ? "|" : "", t->kw[j].word);
			o += (size_t)snprintf(t->synopsis + o, sizeof(t->synopsis) - o, "]");
		} else {
			metavar(w, mv, sizeof(mv));
			o += (size_t)snprintf(t->synopsis + o, sizeof(t->synopsis) - o, " [%s %s]",
					      w->word, mv);
		}
	}
	t->args[a] = (struct wr_arg){ NULL, NULL };
}

/* Before main(): wr_port_cmds[] points at what this makes. */
__attribute__((constructor)) static void port_kws(void)
{
	make_kws(&add_kws, "add");
	make_kws(&set_kws, "set");
}

/* Key @k given @val, or a usage error naming @word. */
static int put(const struct wr_ctx *ctx, struct wr_port_req *pc, const struct wr_api_key *k,
	       const char *word, const struct wr_port_val *val)
{
	char msg[256];

	if (!wr_port_req_put(pc, k, val))
		return 0;
	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	return wr_usage(ctx, "%s: %s", word, wr_cli_api_msg(msg));
}

/* The text @v of keyword @w, parsed as its key's type, into @pc; 0 or WR_EXIT_USAGE. */
static int port_value(const struct wr_ctx *ctx, const struct kw *w, const char *v,
		      struct wr_port_req *pc)
{
	const struct wr_api_key *k = w->k;
	struct wr_range r[WR_RANGES_MAX];
	struct wr_port_val val = { .s = v };
	const char *const *names;
	unsigned int u;
	int n;

	for (size_t c = 0; c < N(cli_words); c++)
		if (cli_words[c].value < 0 && !strcmp(cli_words[c].key, k->name) &&
		    !strcmp(cli_words[c].word, v))
			val.s = NULL;
	switch (k->type) {
	case WR_T_INT:
		if (wr_parse_u32(ctx, w->word, v, (unsigned long)k->min, (unsigned long)k->max, &u))
			return WR_EXIT_USAGE;
		val.i = u;
		break;
	case WR_T_ENUM:
	case WR_T_BOOL:
		names = k->type == WR_T_BOOL ? wr_cli_on_off :
			wr_api_enum_names((enum wr_api_enum)k->min, &n);
		n = k->type == WR_T_BOOL ? (int)N(wr_cli_on_off) : n;
		val.i = wr_cli_word(ctx, w->word, v, names, (size_t)n);
		if (val.i < 0)
			return WR_EXIT_USAGE;
		if (k->type == WR_T_BOOL)
			val.i = names[val.i] == wr_cli_on_off[0];
		break;
	case WR_T_VLANS:
		if (wr_range_list_parse(v, "VLAN", (unsigned int)k->min, (unsigned int)k->max, r,
					WR_RANGES_MAX, &val.n))
			return wr_usage(ctx, "%s: %s", w->word, wr_err_msg());
		val.r = r;
		break;
	default:
		break;
	}
	return put(ctx, pc, k, w->word, &val);
}

/*
 * What warrend would refuse, refused here with its words: the request
 * checked against wr_api.def (which keys go with which port type, bounds,
 * the VLAN keys each mode takes).
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
	return err ? wr_usage(ctx, "%s", wr_cli_api_msg(msg)) : 0;
}

int wr_cli_port_args(const struct wr_ctx *ctx, int argc, char **argv, bool add,
		     struct wr_port_req *pc)
{
	const struct kws *t = add ? &add_kws : &set_kws;
	const char *said[KW_MAX] = { NULL };
	struct wr_port_val val = { .s = ctx->netns };
	char list[256];
	bool any = false;
	int i = 0, w;

	wr_port_req_init(pc);
	if (add && ctx->netns && put(ctx, pc, wr_api_key_find(t->cmd, "netns"), "-n", &val))
		return WR_EXIT_USAGE;
	if (i < argc && !strcmp(argv[i], "name"))
		i++;
	if (i >= argc)
		return wr_usage(ctx, "expected the port's NAME");
	val = (struct wr_port_val){ .s = argv[i] };
	if (put(ctx, pc, t->pos, "NAME", &val))
		return WR_EXIT_USAGE;
	for (i++; i < argc; i++) {
		const struct kw *kw;
		const char *v;

		w = wr_cli_word(ctx, "keyword", argv[i], t->words, t->n);
		if (w < 0)
			return WR_EXIT_USAGE;
		kw = &t->kw[w];
		if (said[kw->slot] && strcmp(said[kw->slot], kw->word))
			return wr_usage(ctx, "give one of '%s' and '%s'", said[kw->slot], kw->word);
		if (said[kw->slot])
			return wr_usage(ctx, "'%s' given twice", kw->word);
		said[kw->slot] = kw->word;
		any = true;
		if (kw->cw) {
			val = (struct wr_port_val){ .i = kw->cw->value };
			if (put(ctx, pc, kw->k, kw->word, &val))
				return WR_EXIT_USAGE;
			continue;
		}
		v = wr_next_arg(ctx, argc, argv, &i);
		if (!v || port_value(ctx, kw, v, pc))
			return WR_EXIT_USAGE;
	}
	if (!add && !any)
		return wr_usage(ctx, "nothing to change: give %s",
				wr_enum_list(t->words, (int)t->n, list, sizeof(list)));
	return port_check(ctx, add, pc);
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
	if (detail && wr_json_str(p, "umem")[0])
		printf("    %s; umem %s\n", or_dash(wr_json_str(p, "mode_why")),
		       wr_json_str(p, "umem"));
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
		.synopsis = add_kws.synopsis,
		.summary = "add a port to the switch",
		.description =
			"Adds port NAME to the switch named by -S: device DEV of namespace NS "
			"(default: the namespace of -n, else the root namespace; 'root' names the "
			"root namespace), DEV being NAME unless given.\n\n"
			"type afxdp (the default) serves the device through an AF_XDP socket on "
			"device queue N (default 0). zerocopy auto (the default) binds the "
			"socket zero-copy where the driver has AF_XDP zero-copy (ice, i40e, "
			"ixgbe, mlx5, ...), on a buffer area (UMEM) of the port's own, and in "
			"copy mode otherwise (veth, macvlan); on is zero-copy or the port is "
			"refused, with the device's driver and the kernel's answer; off is copy "
			"mode. The copy-mode ports of a switch share one UMEM, so frames between "
			"them are not copied; umem own gives a copy-mode port a UMEM of its own "
			"(24 MiB), its buffers apart from the others'. Frames between ports of "
			"different UMEMs are copied (port stats: copies). type tap reads "
			"and writes an existing TAP device "
			"through its file descriptor.\n\n"
			"type dpdk serves a DPDK ethdev, through any PMD: DEVARGS (required for "
			"dpdk, refused otherwise) is what DPDK's EAL probes, a device name and its "
			"arguments after commas: net_tap0,iface=dt1 (a TAP device that DPDK "
			"makes), net_af_xdp0,iface=p1 (an AF_XDP socket on p1), "
			"net_memif0,role=server,socket=/run/x.sock, or a PCI address such as "
			"0000:03:00.0. NS is the namespace the PMD works in: net_tap makes its TAP "
			"there, net_af_xdp finds its interface there. A dpdk port takes no dev, "
			"queue, zerocopy or umem, and its device (in 'warren port show') is the device "
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
		.args = add_kws.args,
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
		.synopsis = set_kws.synopsis,
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
		.args = set_kws.args,
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
			"have a kernel fast path'; for an AF_XDP socket another says why copy or "
			"zerocopy and whose UMEM: 'copy: the driver (veth) has no AF_XDP "
			"zero-copy; umem shared'; for a dpdk port one more, its whole devargs.\n\n"
			"JSON: warrend's port.list result, {\"ports\": [...]}, with the keys of "
			"docs/api.md (name, index, type, netns, dev, devargs, ifindex, queue, mode, "
			"mode_why, umem, "
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
			"(what arrived: fwd + up + drop + kernel), fwd_pkts and fwd_bytes (forwarded "
			"in the kernel), up_pkts (handed up to warrend), drop_pkts, tx_pkts and "
			"tx_bytes (forwarded in the kernel out of this port), kernel_pkts (left to "
			"the device's own stack: a tunnel underlay's frames that are not the "
			"tunnel's).\n\n"
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
