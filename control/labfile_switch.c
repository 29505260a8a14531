/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_switch.c - the lab file's `switch:` section, pass 6 (see
 * labfile.c): the warrend instance (its name, cores, aging time and DPDK
 * arguments), its VLAN map, and its ports, each on a device some link of
 * the lab creates (labfile_check.c says which) or, for a dpdk port, on what
 * its devargs make DPDK probe. It fills lab->sw, ready for wr_lab_up().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "labfile_priv.h"

#define LAB_MAX_CORE	4095

static const char *const switch_keys[] = { "name", "cores", "aging", "fastpath", "dpdk", "vlans",
					   "ports", NULL };
enum { SW_NAME, SW_CORES, SW_AGING, SW_FASTPATH, SW_DPDK, SW_VLANS, SW_PORTS, SW_COUNT };

static const char *const dpdk_keys[] = { "args", NULL };

static const char *const port_keys[] = {
	"dev", "name", "type", "devargs", "netns", "queue", "zerocopy", "fastpath", "bd", "access",
	"trunk", "native", "learning", "mac_limit", NULL
};
enum {
	PK_DEV, PK_NAME, PK_TYPE, PK_DEVARGS, PK_NETNS, PK_QUEUE, PK_ZEROCOPY, PK_FASTPATH, PK_BD,
	PK_ACCESS, PK_TRUNK, PK_NATIVE, PK_LEARNING, PK_MAC_LIMIT, PK_COUNT
};

/* "a, b, c" of @names, for messages. */
static const char *list_names(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

/* The index of the text of @n in @names, or -1 after an error. */
static int get_word(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    const char *const *names, size_t n_names)
{
	char b[LAB_SHOW_SIZE], list[64];
	const char *s;

	list_names(list, sizeof(list), names, n_names);
	s = wr_lab_scalar(c, n, what, list);
	if (!s)
		return -1;
	for (size_t i = 0; i < n_names; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	wr_lab_err_node(c, n, "%s: '%s' is not one of: %s", what, wr_lab_show(b, s), list);
	return -1;
}

/*
 * A list of ids and ranges: a sequence of integers and "LOW-HIGH" strings,
 * or just one of them. 0, or -EINVAL after errors.
 */
static int get_ranges(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		      const char *unit, unsigned int min, unsigned int max,
		      struct wr_range *out, size_t *n_out)
{
	const yaml_node_item_t *it, *start, *top;
	char d[LAB_DESC_SIZE];
	int err = 0;

	*n_out = 0;
	if (n->type == YAML_SCALAR_NODE) {
		start = NULL;
		top = NULL;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
	} else {
		wr_lab_err_node(c, n, "%s: expected a list of %ss and ranges like [10, \"20-29\"], got %s",
				what, unit, wr_lab_desc(d, n));
		return -EINVAL;
	}
	for (it = start; n->type == YAML_SCALAR_NODE || it < top; it++) {
		const yaml_node_t *e = start ? lab_node(c, *it) : n;
		const char *s;

		if (*n_out == WR_RANGES_MAX) {
			wr_lab_err_node(c, e, "%s: more than %d %ss and ranges", what, WR_RANGES_MAX,
					unit);
			return -EINVAL;
		}
		s = wr_lab_scalar(c, e, what, "an id or a range LOW-HIGH");
		if (!s || wr_range_parse(s, unit, min, max, &out[*n_out])) {
			if (s)
				wr_lab_err_node(c, e, "%s: %s", what, wr_err_msg());
			err = -EINVAL;
		} else {
			(*n_out)++;
		}
		if (!start)
			break;
	}
	if (!err && !*n_out) {
		wr_lab_err_node(c, n, "%s: the list is empty", what);
		err = -EINVAL;
	}
	return err;
}

/* ------------------------------------------------------------- instance */

/* The lab's name: its file's, without folders and .yaml/.yml ("lab" if none). */
static void lab_name(const char *file, char *buf, size_t size)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t len = strlen(base);

	if (len >= 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len >= 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	if (!len)
		snprintf(buf, size, "lab");
	else
		snprintf(buf, size, "%.*s", (int)len, base);
}

static void parse_name(struct lab_ctx *c, const yaml_node_t *body, const yaml_node_t *n)
{
	struct wr_lab *lab = c->lab;
	char name[LAB_PREFIX_MAX + 256], b[LAB_SHOW_SIZE];
	const char *s;

	if (n) {
		s = wr_lab_scalar(c, n, "name", "the name of a warrend instance");
		if (!s)
			return;
		if (wr_switch_valid_name(s)) {
			wr_lab_err_node(c, n, "name: %s", wr_err_msg());
			return;
		}
		snprintf(name, sizeof(name), "%s%s", lab->prefix, s);
	} else {
		lab_name(lab->file, name + strlen(lab->prefix), sizeof(name) - strlen(lab->prefix));
		memcpy(name, lab->prefix, strlen(lab->prefix));
	}
	if (wr_switch_valid_name(name)) {
		if (n)
			wr_lab_err_node(c, n, "name: with the prefix, %s", wr_err_msg());
		else
			wr_lab_err_node(c, body, "switch: '%s', the lab's name, is not an instance name (%s); give 'name'",
					wr_lab_show(b, name), wr_err_msg());
		return;
	}
	strcpy(lab->sw.name, name);
}

/* One item of `dpdk: args`, appended to sw->dpdk_args; false after an error. */
static bool dpdk_arg(struct lab_ctx *c, const yaml_node_t *e)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	size_t o = strlen(sw->dpdk_args), len;
	char b[LAB_SHOW_SIZE];
	const char *s;

	s = wr_lab_scalar(c, e, "args", "an EAL argument");
	if (!s)
		return false;
	len = strlen(s);
	if (!len || lab_is_null(e)) {
		wr_lab_err_node(c, e, "args: an argument is empty (leave it out)");
		return false;
	}
	if (s[strcspn(s, " \t\n\r\v\f")]) {
		wr_lab_err_node(c, e, "args: '%s' holds a blank, and warrend splits its --dpdk "
				"string at blanks (an EAL argument cannot hold one)",
				wr_lab_show(b, s));
		return false;
	}
	if (o + !!o + len > WR_DPDK_ARGS_MAX) {
		wr_lab_err_node(c, e, "args: with '%s' the arguments come to more than %d bytes",
				wr_lab_show(b, s), WR_DPDK_ARGS_MAX);
		return false;
	}
	if (o)
		sw->dpdk_args[o++] = ' ';
	memcpy(sw->dpdk_args + o, s, len + 1);
	return true;
}

/*
 * `dpdk: {args: [...]}`: the arguments warrend starts DPDK's EAL with, for
 * `warrend --dpdk`, one string split at blanks: joined by single spaces.
 */
static void parse_dpdk(struct lab_ctx *c, const yaml_node_t *n)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	yaml_node_t *args = NULL;
	char d[LAB_DESC_SIZE];
	bool ok = true;

	if (lab_is_null(n))
		return;
	if (n->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, n, "dpdk: expected a mapping (args), got %s", wr_lab_desc(d, n));
		return;
	}
	wr_lab_get_keys(c, n, dpdk_keys, ~0u, "in dpdk", &args);
	if (!args) {
		wr_lab_err_node(c, n, "dpdk: missing 'args' (the EAL's arguments, such as "
				"[--no-huge, -m, 512])");
		return;
	}
	if (args->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, args, "args: expected a sequence of EAL arguments, such as "
				"[--no-huge, -m, 512], got %s", wr_lab_desc(d, args));
		return;
	}
	if (!lab_n_items(args)) {
		wr_lab_err_node(c, args, "args: the list is empty (leave 'dpdk' out for warrend's "
				"defaults)");
		return;
	}
	for (yaml_node_item_t *it = args->data.sequence.items.start;
	     it < args->data.sequence.items.top; it++)
		ok = dpdk_arg(c, lab_node(c, *it)) && ok;
	if (!ok)
		sw->dpdk_args[0] = '\0';
}

static void parse_vlans(struct lab_ctx *c, const yaml_node_t *map)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	size_t n, i;
	bool *dup;

	/* Room for 4094: no more VLANs are valid, and a VLAN written twice is a duplicate. */
	dup = wr_lab_named_map(c, map, "vlans", "a mapping of VLAN: BRIDGE-DOMAIN", "VLAN",
			       WR_VLAN_LAST, sizeof(*sw->vlans), (void **)&sw->vlans, &n);
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		uint64_t vlan, bd;
		int e1, e2;

		if (dup[i])
			continue;
		e1 = wr_lab_get_uint(c, lab_node(c, p->key), "vlans", 1, WR_VLAN_LAST, &vlan);
		e2 = wr_lab_get_uint(c, lab_node(c, p->value), "bridge domain", 1, WR_BD_LAST, &bd);
		if (e1 || e2)
			continue;
		sw->vlans[sw->n_vlans].vlan = (uint16_t)vlan;
		sw->vlans[sw->n_vlans].bd = (uint16_t)bd;
		sw->vlans[sw->n_vlans].pos = lab_node_pos(lab_node(c, p->key));
		sw->n_vlans++;
	}
	free(dup);
}

/* ---------------------------------------------------------------- ports */

/* bd, access and trunk exclude each other: each one after the first in the file is an error. */
static bool one_mode(struct lab_ctx *c, yaml_node_t **v)
{
	static const int modes[] = { PK_BD, PK_ACCESS, PK_TRUNK };
	int first = -1;
	bool ok = true;

	for (size_t i = 0; i < 3; i++)
		if (v[modes[i]] && (first < 0 ||
				    v[modes[i]]->start_mark.index < v[first]->start_mark.index))
			first = modes[i];
	for (size_t i = 0; i < 3; i++) {
		if (!v[modes[i]] || modes[i] == first)
			continue;
		wr_lab_err_node(c, v[modes[i]], "%s: a port has one of bd, access and trunk ('%s' is given already)",
				port_keys[modes[i]], port_keys[first]);
		ok = false;
	}
	return ok;
}

/* The VLAN settings of a port: bd, access, trunk and native. */
static void port_vlans(struct lab_ctx *c, yaml_node_t **v, struct wr_port_req *pc)
{
	uint64_t u;

	pc->vlan_mode = WR_VLAN_NONE;
	if (!one_mode(c, v))
		return;
	if (v[PK_BD] && !wr_lab_get_uint(c, v[PK_BD], "bd", 1, WR_BD_LAST, &u))
		pc->bd = (int)u;
	if (v[PK_ACCESS] && !wr_lab_get_uint(c, v[PK_ACCESS], "access", 1, WR_VLAN_LAST, &u)) {
		pc->vlan_mode = WR_VLAN_ACCESS;
		pc->access_vlan = (int)u;
	}
	if (v[PK_TRUNK] && !get_ranges(c, v[PK_TRUNK], "trunk", "VLAN", 1, WR_VLAN_LAST,
				       pc->allowed, &pc->n_allowed)) {
		pc->vlan_mode = WR_VLAN_TRUNK;
		pc->has_allowed = true;
	}
	if (v[PK_NATIVE] && !wr_lab_get_uint(c, v[PK_NATIVE], "native", 0, WR_VLAN_LAST, &u))
		pc->native_vlan = (int)u;
}

/* The port's name: `name`, else the device's name as written (@dev_ok: it is valid). */
static void port_name(struct lab_ctx *c, yaml_node_t **v, bool dev_ok, struct wr_lab_port *lp)
{
	char b[LAB_SHOW_SIZE];
	const char *s, *colon;

	if (v[PK_NAME]) {
		s = wr_lab_scalar(c, v[PK_NAME], "name", "a port name");
		if (!s)
			return;
		if (wr_port_valid_name(s)) {
			wr_lab_err_node(c, v[PK_NAME], "name: %s", wr_err_msg());
			return;
		}
	} else {
		if (!dev_ok)
			return;
		s = lab_text(v[PK_DEV]);
		colon = strchr(s, ':');
		s = colon ? colon + 1 : s;
		if (wr_port_valid_name(s)) {
			wr_lab_err_node(c, v[PK_DEV], "dev: '%s' cannot name the port (%s); give 'name'",
					wr_lab_show(b, s), wr_err_msg());
			return;
		}
	}
	strcpy(lp->conf.name, s);
}

/*
 * The device and type of a port on a device of the lab (@m): @type as
 * written, -1 after an error, -2 when not given (the device's kind says
 * tap or afxdp). False if the device is not a valid name.
 */
static bool port_dev(struct lab_ctx *c, const yaml_node_t *m, yaml_node_t **v, int type,
		     struct wr_lab_port *lp)
{
	struct wr_port_req *pc = &lp->conf;
	bool dev_ok = false;
	struct wr_pos pos;
	int ns, kind = -1;

	if (!v[PK_DEV])
		wr_lab_err_node(c, m, "port: missing 'dev'");
	else if (!wr_lab_parse_ep(c, v[PK_DEV], "dev", &pc->dev, &ns, &pos)) {
		dev_ok = true;
		kind = wr_lab_check_port_dev(c, &pc->dev, ns, v[PK_DEV]);
	}
	if (type == -2)
		type = kind == WR_LINK_TAP ? WR_PORT_TAP : WR_PORT_AFXDP;
	if (type >= 0)
		pc->type = (enum wr_port_type)type;
	if (v[PK_TYPE] && type == WR_PORT_TAP && kind >= 0 && kind != WR_LINK_TAP)
		wr_lab_err_node(c, v[PK_TYPE], "type: a tap port needs a tap device, and '%s' is a %s",
				lab_text(v[PK_DEV]), wr_link_kind_name((enum wr_link_kind)kind));
	if (kind == WR_LINK_TUN && type == WR_PORT_AFXDP)
		wr_lab_err_node(c, v[PK_DEV], "dev: '%s' is a tun device, which has no Ethernet frames to switch",
				lab_text(v[PK_DEV]));
	/* After a bad type, the dpdk keys may be what was meant: one error is enough. */
	if (v[PK_DEVARGS] && type >= 0)
		wr_lab_err_node(c, v[PK_DEVARGS], "devargs: only dpdk ports have devargs (add 'type: dpdk')");
	if (v[PK_NETNS] && type >= 0)
		wr_lab_err_node(c, v[PK_NETNS], "netns: only dpdk ports take netns (for %s ports the namespace is in 'dev': NS:IFNAME)",
				wr_port_type_names[type]);
	return dev_ok;
}

/*
 * A dpdk port (@m): what DPDK probes (devargs) and the namespace its PMD
 * works in (netns, one of the lab's), but no device of the lab, so nothing
 * to take its name from: `name` is required.
 */
static void port_dpdk(struct lab_ctx *c, const yaml_node_t *m, yaml_node_t **v,
		      struct wr_lab_port *lp)
{
	struct wr_port_req *pc = &lp->conf;
	const char *s;
	int ns;

	pc->type = WR_PORT_DPDK;
	if (!v[PK_DEVARGS]) {
		wr_lab_err_node(c, m, "port: missing 'devargs' (what DPDK probes: net_tap0,iface=dt1, 0000:03:00.0, ...)");
	} else {
		s = wr_lab_scalar(c, v[PK_DEVARGS], "devargs", "what DPDK probes");
		if (s && wr_devargs_valid(s))
			wr_lab_err_node(c, v[PK_DEVARGS], "devargs: %s", wr_err_msg());
		else if (s)
			strcpy(pc->devargs, s);
	}
	if (!v[PK_NAME])
		wr_lab_err_node(c, m, "port: missing 'name' (a dpdk port has no device of the lab to take it from)");
	if (v[PK_DEV])
		wr_lab_err_node(c, v[PK_DEV], "dev: a dpdk port has no device of the lab: DPDK probes 'devargs' (in 'netns')");
	if (v[PK_NETNS]) {
		s = wr_lab_scalar(c, v[PK_NETNS], "netns", "a namespace of the lab");
		ns = s ? wr_lab_ns_ref(c, v[PK_NETNS], "netns", s, strlen(s)) : -1;
		if (ns >= 0)
			strcpy(pc->dev.netns, c->lab->ns[ns].full);
	}
}

/* queue, zero-copy and the kernel fast path, as written; port_check() says which ports take them. */
static void port_queue(struct lab_ctx *c, yaml_node_t **v, struct wr_port_req *pc)
{
	uint64_t u;

	if (v[PK_QUEUE] && !wr_lab_get_uint(c, v[PK_QUEUE], "queue", 0, WR_QUEUE_LAST, &u))
		pc->queue = (int64_t)u;
	if (v[PK_ZEROCOPY])
		pc->zerocopy = get_word(c, v[PK_ZEROCOPY], "zerocopy", wr_zerocopy_names,
					WR_ZEROCOPY_COUNT);
	if (v[PK_FASTPATH])
		pc->fastpath = get_word(c, v[PK_FASTPATH], "fastpath", wr_fastpath_names,
					WR_FASTPATH_COUNT);
}

/*
 * What warrend would refuse of the port (wr_api.def: the keys each port
 * type takes, the VLAN keys each mode takes), refused here in its words, at
 * the key it names (else at the port).
 */
static void port_check(struct lab_ctx *c, const yaml_node_t *m, yaml_node_t **v,
		       const struct wr_port_req *pc)
{
	struct json_object *args = wr_port_req_json(pc, true);
	char msg[256];
	size_t klen;

	if (!args) {
		c->oom = true;
		return;
	}
	if (wr_api_check(WR_CMD_PORT_ADD, args, msg, sizeof(msg))) {
		const yaml_node_t *at = m;

		wr_api_in_words(msg);
		klen = strcspn(msg, ":");
		for (int k = 0; port_keys[k]; k++)
			if (strlen(port_keys[k]) == klen && !strncmp(port_keys[k], msg, klen) && v[k])
				at = v[k];
		wr_lab_err_node(c, at, "%s", msg);
	}
	json_object_put(args);
}

/*
 * The lab's intent, `fastpath:` of the switch: the mode of every afxdp
 * port that does not name its own (tap and dpdk ports have none).
 */
static void lab_fastpath(struct lab_ctx *c, yaml_node_t *n)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	int fp = get_word(c, n, "fastpath", wr_fastpath_names, WR_FASTPATH_COUNT);

	for (size_t i = 0; fp >= 0 && i < sw->n_ports; i++)
		if (sw->ports[i].conf.fastpath < 0 && sw->ports[i].conf.type == WR_PORT_AFXDP)
			sw->ports[i].conf.fastpath = fp;
}

/*
 * Ports may not share a name or a device; dpdk ports not a device name
 * either, whatever their netns: the EAL's names are the process's.
 */
static void check_unique(struct lab_ctx *c, const struct wr_lab_port *lp, yaml_node_t **v)
{
	const struct wr_lab_switch *sw = &c->lab->sw;
	char b[LAB_SHOW_SIZE], mine[WR_DEVARGS_MAX + 1], theirs[WR_DEVARGS_MAX + 1];

	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_lab_port *o = &sw->ports[i];

		if (lp->conf.name[0] && !strcmp(o->conf.name, lp->conf.name)) {
			wr_lab_err_node(c, v[PK_NAME] ? v[PK_NAME] : v[PK_DEV],
					"%s: port '%s' is already at line %u",
					v[PK_NAME] ? "name" : "dev", wr_lab_show(b, lp->conf.name),
					o->pos.line);
			return;
		}
		if (lp->conf.dev.ifname[0] && !strcmp(o->conf.dev.netns, lp->conf.dev.netns) &&
		    !strcmp(o->conf.dev.ifname, lp->conf.dev.ifname)) {
			wr_lab_err_node(c, v[PK_DEV], "dev: '%s' is already the device of port '%s' at line %u",
					wr_lab_show(b, lab_text(v[PK_DEV])), o->conf.name, o->pos.line);
			return;
		}
		if (lp->conf.devargs[0] && o->conf.devargs[0] &&
		    !strcmp(wr_devargs_dev(lp->conf.devargs, mine, sizeof(mine)),
			    wr_devargs_dev(o->conf.devargs, theirs, sizeof(theirs)))) {
			wr_lab_err_node(c, v[PK_DEVARGS], "devargs: device '%s' is already the device of port '%s' at line %u",
					wr_lab_show(b, mine), o->conf.name, o->pos.line);
			return;
		}
	}
}

static void parse_port(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct wr_lab_port *lp = &sw->ports[sw->n_ports];
	yaml_node_t *v[PK_COUNT] = { NULL };
	size_t errors = c->lab->n_errors + c->n_dropped;
	int type = -2;

	wr_port_req_init(&lp->conf);
	lp->pos = lab_node_pos(m);
	wr_lab_get_keys(c, m, port_keys, ~0u, "in port", v);
	if (v[PK_TYPE])
		type = get_word(c, v[PK_TYPE], "type", wr_port_type_names, WR_PORT_TYPE_COUNT);
	if (type == WR_PORT_DPDK) {
		port_dpdk(c, m, v, lp);
		port_name(c, v, false, lp);
	} else {
		port_name(c, v, port_dev(c, m, v, type, lp), lp);
	}
	port_queue(c, v, &lp->conf);
	port_vlans(c, v, &lp->conf);
	if (v[PK_LEARNING]) {
		bool on;

		if (!wr_lab_get_bool(c, v[PK_LEARNING], "learning", &on))
			lp->conf.learning = on;
	}
	if (v[PK_MAC_LIMIT]) {
		uint64_t u;

		if (!wr_lab_get_uint(c, v[PK_MAC_LIMIT], "mac_limit", 0, UINT32_MAX, &u))
			lp->conf.mac_limit = (int64_t)u;
	}
	if (c->lab->n_errors + c->n_dropped == errors)
		port_check(c, m, v, &lp->conf);
	check_unique(c, lp, v);
	/* A port with errors is not kept: the lab is unusable anyway. */
	if (c->lab->n_errors + c->n_dropped == errors)
		sw->n_ports++;
}

static void parse_ports(struct lab_ctx *c, const yaml_node_t *seq)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	char d[LAB_DESC_SIZE];
	yaml_node_item_t *it;
	size_t n;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "ports: expected a sequence of ports, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	n = lab_n_items(seq);
	if (!n)
		return;
	sw->ports = calloc(n < WR_LAB_PORTS_MAX ? n : WR_LAB_PORTS_MAX, sizeof(*sw->ports));
	if (!sw->ports) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = lab_node(c, *it);

		if ((size_t)(it - seq->data.sequence.items.start) == WR_LAB_PORTS_MAX) {
			wr_lab_err_node(c, m, "ports: too many ports (at most %d)", WR_LAB_PORTS_MAX);
			break;
		}
		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "port: expected a mapping (dev, name, type, devargs, bd, access, trunk, ...), got %s",
					wr_lab_desc(d, m));
			continue;
		}
		parse_port(c, m);
	}
}

void wr_lab_parse_switch(struct lab_ctx *c, const yaml_node_t *n)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	yaml_node_t *v[SW_COUNT] = { NULL };
	char d[LAB_DESC_SIZE];
	uint64_t u;

	sw->present = true;
	sw->age_s = -1;
	sw->pos = lab_node_pos(n);
	if (!lab_is_null(n) && n->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, n, "switch: expected a mapping (name, cores, aging, fastpath, dpdk, vlans, ports), got %s",
				wr_lab_desc(d, n));
		return;
	}
	if (n->type == YAML_MAPPING_NODE)
		wr_lab_get_keys(c, n, switch_keys, ~0u, "in switch", v);
	parse_name(c, n, v[SW_NAME]);
	if (v[SW_CORES])
		get_ranges(c, v[SW_CORES], "cores", "core", 0, LAB_MAX_CORE, sw->cores,
			   &sw->n_cores);
	if (v[SW_AGING] && !wr_lab_get_uint(c, v[SW_AGING], "aging", 0, WR_AGE_MAX, &u))
		sw->age_s = (int64_t)u;
	if (v[SW_DPDK])
		parse_dpdk(c, v[SW_DPDK]);
	if (v[SW_VLANS])
		parse_vlans(c, v[SW_VLANS]);
	if (v[SW_PORTS] && !c->oom)
		parse_ports(c, v[SW_PORTS]);
	if (v[SW_FASTPATH])
		lab_fastpath(c, v[SW_FASTPATH]);
}
