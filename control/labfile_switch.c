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
					   "ports", "tunnels", "steer", "chains", "mirrors", NULL };
enum { SW_NAME, SW_CORES, SW_AGING, SW_FASTPATH, SW_DPDK, SW_VLANS, SW_PORTS, SW_TUNNELS,
       SW_STEER, SW_CHAINS, SW_MIRRORS, SW_COUNT };

static const char *const dpdk_keys[] = { "args", NULL };

/*
 * A port's keys: port.add's (wr_api.def) in their words, found in one
 * port's mapping. The lab reads own_keys its own way (the device is
 * NS:IFNAME of the lab, the name defaults to it, a dpdk port's keys are
 * checked against its type); every other key by its type, into the
 * request through wr_port_req_put().
 */
#define PORT_KEYS_MAX 31

struct port_keys {
	const struct wr_api_key *k[PORT_KEYS_MAX];
	const char *words[PORT_KEYS_MAX + 1];
	yaml_node_t *v[PORT_KEYS_MAX];
	size_t n;
};

static const char *const own_keys[] = { "name", "dev", "type", "devargs", "netns" };

static void port_keys_init(struct port_keys *pk)
{
	memset(pk, 0, sizeof(*pk));
	for (size_t i = 0; i < wr_api_n_keys && pk->n < PORT_KEYS_MAX; i++) {
		if (wr_api_keys[i].cmd != WR_CMD_PORT_ADD)
			continue;
		pk->k[pk->n] = &wr_api_keys[i];
		pk->words[pk->n++] = wr_api_word(wr_api_keys[i].name);
	}
}

/* The value of port.add's key @key, NULL if not given. */
static yaml_node_t *port_val(const struct port_keys *pk, const char *key)
{
	for (size_t i = 0; i < pk->n; i++)
		if (!strcmp(pk->k[i]->name, key))
			return pk->v[i];
	return NULL;
}

/* "a, b, c" of @names, for messages. */
static const char *list_names(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

int wr_lab_get_word(struct lab_ctx *c, const yaml_node_t *n, const char *what,
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

/* The port's name: `name`, else the device's name as written (@dev_ok: it is valid). */
static void port_name(struct lab_ctx *c, const struct port_keys *pk, bool dev_ok,
		      struct wr_lab_port *lp)
{
	yaml_node_t *name = port_val(pk, "name"), *dev = port_val(pk, "dev");
	char b[LAB_SHOW_SIZE];
	const char *s, *colon;

	if (name) {
		s = wr_lab_scalar(c, name, "name", "a port name");
		if (!s)
			return;
		if (wr_port_valid_name(s)) {
			wr_lab_err_node(c, name, "name: %s", wr_err_msg());
			return;
		}
	} else {
		if (!dev_ok)
			return;
		s = lab_text(dev);
		colon = strchr(s, ':');
		s = colon ? colon + 1 : s;
		if (wr_port_valid_name(s)) {
			wr_lab_err_node(c, dev, "dev: '%s' cannot name the port (%s); give 'name'",
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
static bool port_dev(struct lab_ctx *c, const yaml_node_t *m, const struct port_keys *pk,
		     int type, struct wr_lab_port *lp)
{
	yaml_node_t *dev = port_val(pk, "dev"), *tnode = port_val(pk, "type");
	yaml_node_t *devargs = port_val(pk, "devargs"), *netns = port_val(pk, "netns");
	struct wr_port_req *pc = &lp->conf;
	bool dev_ok = false;
	struct wr_pos pos;
	int ns, kind = -1;

	if (!dev)
		wr_lab_err_node(c, m, "port: missing 'dev'");
	else if (!wr_lab_parse_ep(c, dev, "dev", &pc->dev, &ns, &pos)) {
		dev_ok = true;
		kind = wr_lab_check_port_dev(c, &pc->dev, ns, dev);
	}
	if (type == -2)
		type = kind == WR_LINK_TAP ? WR_PORT_TAP : WR_PORT_AFXDP;
	if (type >= 0)
		pc->type = (enum wr_port_type)type;
	if (tnode && type == WR_PORT_TAP && kind >= 0 && kind != WR_LINK_TAP)
		wr_lab_err_node(c, tnode, "type: a tap port needs a tap device, and '%s' is a %s",
				lab_text(dev), wr_link_kind_name((enum wr_link_kind)kind));
	if (kind == WR_LINK_TUN && type == WR_PORT_AFXDP)
		wr_lab_err_node(c, dev, "dev: '%s' is a tun device, which has no Ethernet frames to switch",
				lab_text(dev));
	/* After a bad type, the dpdk keys may be what was meant: one error is enough. */
	if (devargs && type >= 0)
		wr_lab_err_node(c, devargs, "devargs: only dpdk ports have devargs (add 'type: dpdk')");
	if (netns && type >= 0)
		wr_lab_err_node(c, netns, "netns: only dpdk ports take netns (for %s ports the namespace is in 'dev': NS:IFNAME)",
				wr_port_type_names[type]);
	return dev_ok;
}

/*
 * A dpdk port (@m): what DPDK probes (devargs) and the namespace its PMD
 * works in (netns, one of the lab's), but no device of the lab, so nothing
 * to take its name from: `name` is required.
 */
static void port_dpdk(struct lab_ctx *c, const yaml_node_t *m, const struct port_keys *pk,
		      struct wr_lab_port *lp)
{
	yaml_node_t *devargs = port_val(pk, "devargs"), *netns = port_val(pk, "netns");
	yaml_node_t *dev = port_val(pk, "dev");
	struct wr_port_req *pc = &lp->conf;
	const char *s;
	int ns;

	pc->type = WR_PORT_DPDK;
	if (!devargs) {
		wr_lab_err_node(c, m, "port: missing 'devargs' (what DPDK probes: net_tap0,iface=dt1, 0000:03:00.0, ...)");
	} else {
		s = wr_lab_scalar(c, devargs, "devargs", "what DPDK probes");
		if (s && wr_devargs_valid(s))
			wr_lab_err_node(c, devargs, "devargs: %s", wr_err_msg());
		else if (s)
			strcpy(pc->devargs, s);
	}
	if (!port_val(pk, "name"))
		wr_lab_err_node(c, m, "port: missing 'name' (a dpdk port has no device of the lab to take it from)");
	if (dev)
		wr_lab_err_node(c, dev, "dev: a dpdk port has no device of the lab: DPDK probes 'devargs' (in 'netns')");
	if (netns) {
		s = wr_lab_scalar(c, netns, "netns", "a namespace of the lab");
		ns = s ? wr_lab_ns_ref(c, netns, "netns", s, strlen(s)) : -1;
		if (ns >= 0)
			strcpy(pc->dev.netns, c->lab->ns[ns].full);
	}
}

/* Whether @key is one the lab reads its own way. */
static bool own_key(const char *key)
{
	for (size_t i = 0; i < sizeof(own_keys) / sizeof(own_keys[0]); i++)
		if (!strcmp(own_keys[i], key))
			return true;
	return false;
}

/* Key @k (its word @word) given @n, parsed as its type says, into @pc. */
static void port_value(struct lab_ctx *c, const struct wr_api_key *k, const char *word,
		       const yaml_node_t *n, struct wr_port_req *pc)
{
	struct wr_port_val val = { 0 };
	struct wr_range r[WR_RANGES_MAX];
	const char *const *names;
	char msg[256];
	uint64_t u;
	bool b;
	int nn;

	switch (k->type) {
	case WR_T_INT:
		if (wr_lab_get_uint(c, n, word, (uint64_t)k->min, (uint64_t)k->max, &u))
			return;
		val.i = (int64_t)u;
		break;
	case WR_T_BOOL:
		if (wr_lab_get_bool(c, n, word, &b))
			return;
		val.i = b;
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &nn);
		val.i = wr_lab_get_word(c, n, word, names, (size_t)nn);
		if (val.i < 0)
			return;
		break;
	case WR_T_VLANS:
		if (get_ranges(c, n, word, "VLAN", (unsigned int)k->min, (unsigned int)k->max, r,
			       &val.n))
			return;
		val.r = r;
		break;
	default:
		val.s = wr_lab_scalar(c, n, word, k->text);
		if (!val.s)
			return;
		break;
	}
	if (wr_port_req_put(pc, k, &val)) {
		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		wr_lab_err_node(c, n, "%s: %s", word, wr_api_in_words(msg));
	}
}

/*
 * The keys of port @m that are not own_keys, in the order of the file: a
 * key that contradicts one before it (access after trunk) is the error.
 */
static void port_values(struct lab_ctx *c, const yaml_node_t *m, const struct port_keys *pk,
			struct wr_port_req *pc)
{
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *key = lab_node(c, p->key);

		for (size_t i = 0; key->type == YAML_SCALAR_NODE && i < pk->n; i++)
			if (pk->v[i] && !strcmp(lab_text(key), pk->words[i]) &&
			    !own_key(pk->k[i]->name))
				port_value(c, pk->k[i], pk->words[i], pk->v[i], pc);
	}
	if (pc->vlan_mode < 0)
		pc->vlan_mode = WR_VLAN_NONE;
}

/*
 * What warrend would refuse of the port (wr_api.def: the keys each port
 * type takes, the VLAN keys each mode takes), refused here in its words, at
 * the key it names (else at the port).
 */
static void port_check(struct lab_ctx *c, const yaml_node_t *m, const struct port_keys *pk,
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
		for (size_t k = 0; k < pk->n; k++)
			if (strlen(pk->words[k]) == klen && !strncmp(pk->words[k], msg, klen) &&
			    pk->v[k])
				at = pk->v[k];
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
	int fp = wr_lab_get_word(c, n, "fastpath", wr_fastpath_names, WR_FASTPATH_COUNT);

	for (size_t i = 0; fp >= 0 && i < sw->n_ports; i++)
		if (sw->ports[i].conf.fastpath < 0 && sw->ports[i].conf.type == WR_PORT_AFXDP)
			sw->ports[i].conf.fastpath = fp;
}

/*
 * Ports may not share a name or a device; dpdk ports not a device name
 * either, whatever their netns: the EAL's names are the process's.
 */
static void check_unique(struct lab_ctx *c, const struct wr_lab_port *lp,
			 const struct port_keys *pk)
{
	yaml_node_t *name = port_val(pk, "name"), *dev = port_val(pk, "dev");
	const struct wr_lab_switch *sw = &c->lab->sw;
	char b[LAB_SHOW_SIZE], mine[WR_DEVARGS_MAX + 1], theirs[WR_DEVARGS_MAX + 1];

	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_lab_port *o = &sw->ports[i];

		if (lp->conf.name[0] && !strcmp(o->conf.name, lp->conf.name)) {
			wr_lab_err_node(c, name ? name : dev,
					"%s: port '%s' is already at line %u",
					name ? "name" : "dev", wr_lab_show(b, lp->conf.name),
					o->pos.line);
			return;
		}
		if (lp->conf.dev.ifname[0] && !strcmp(o->conf.dev.netns, lp->conf.dev.netns) &&
		    !strcmp(o->conf.dev.ifname, lp->conf.dev.ifname)) {
			wr_lab_err_node(c, dev, "dev: '%s' is already the device of port '%s' at line %u",
					wr_lab_show(b, lab_text(dev)), o->conf.name, o->pos.line);
			return;
		}
		if (lp->conf.devargs[0] && o->conf.devargs[0] &&
		    !strcmp(wr_devargs_dev(lp->conf.devargs, mine, sizeof(mine)),
			    wr_devargs_dev(o->conf.devargs, theirs, sizeof(theirs)))) {
			wr_lab_err_node(c, port_val(pk, "devargs"), "devargs: device '%s' is already the device of port '%s' at line %u",
					wr_lab_show(b, mine), o->conf.name, o->pos.line);
			return;
		}
	}
}

static void parse_port(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct wr_lab_port *lp = &sw->ports[sw->n_ports];
	size_t errors = c->lab->n_errors + c->n_dropped;
	struct port_keys pk;
	yaml_node_t *tnode;
	int type = -2;

	wr_port_req_init(&lp->conf);
	lp->pos = lab_node_pos(m);
	port_keys_init(&pk);
	wr_lab_get_keys(c, m, pk.words, ~0u, "in port", pk.v);
	tnode = port_val(&pk, "type");
	if (tnode)
		type = wr_lab_get_word(c, tnode, "type", wr_port_type_names, WR_PORT_TYPE_COUNT);
	if (type == WR_PORT_DPDK) {
		port_dpdk(c, m, &pk, lp);
		port_name(c, &pk, false, lp);
	} else {
		port_name(c, &pk, port_dev(c, m, &pk, type, lp), lp);
	}
	port_values(c, m, &pk, &lp->conf);
	if (c->lab->n_errors + c->n_dropped == errors)
		port_check(c, m, &pk, &lp->conf);
	check_unique(c, lp, &pk);
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
		wr_lab_err_node(c, n, "switch: expected a mapping (name, cores, aging, fastpath, dpdk, vlans, ports, tunnels, steer, chains, mirrors), got %s",
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
	if (v[SW_TUNNELS] && !c->oom)
		wr_lab_parse_tunnels(c, v[SW_TUNNELS]);
	if (v[SW_STEER] && !c->oom)
		wr_lab_parse_steer(c, v[SW_STEER]);
	if (v[SW_CHAINS] && !c->oom)
		wr_lab_parse_chains(c, v[SW_CHAINS]);
	if (v[SW_MIRRORS] && !c->oom)
		wr_lab_parse_mirrors(c, v[SW_MIRRORS]);
}
