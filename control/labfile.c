/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile.c - the lab file: YAML text in, a checked struct wr_lab out. This
 * file owns the schema (prefix, namespaces, interfaces, sysctls, routes) and
 * the entry points; labfile_yaml.c reads the YAML and collects the errors,
 * labfile_links.c reads the links, labfile_vfs.c the VFs, labfile_switch.c
 * the switch section,
 * labfile_check.c checks the names that refer to devices.
 *
 * Everything is checked here, before wr_lab_up() could touch the system,
 * and every problem is reported, each at the line and column of the node at
 * fault: the key for unknown or repeated keys, the value for bad values, the
 * mapping for missing keys. Names may be used before they are defined (an
 * interface section names a device that a link further down creates), so the
 * work goes in passes, and errors are kept sorted by position as they come:
 *
 *   1. libyaml's event stream: syntax errors, aliases, a second document;
 *   2. the document tree: top-level keys, the prefix, namespace names;
 *   3. links, then the table of the devices they create (duplicates);
 *   4. lower devices of links (they may name a later link);
 *   5. VFs lent to namespaces (their names are devices there), then the
 *      namespace bodies: sysctls, interfaces, routes (they name devices);
 *   6. the switch: its instance, VLAN map and ports (they name devices).
 *
 * Aliases are refused rather than resolved: the tree holds one node for an
 * anchor and all its aliases, so a value used twice would be reported twice
 * at the anchor, and a few aliases of aliases could make a small file
 * describe millions of objects.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include <json-c/json.h>

#include "labfile_priv.h"

#define LAB_MAX_SIZE	(1024 * 1024)	/* bytes of YAML */
#define LAB_MAX_NS	1024
#define LAB_MAX_IFACES	1024		/* per namespace */
#define LAB_MAX_ADDRS	256		/* per interface */
#define LAB_MAX_ROUTES	1024		/* per namespace */
#define LAB_MAX_SYSCTLS	256		/* per namespace */
#define LAB_MAX_RUN	64		/* commands per namespace */
#define LAB_MAX_CMD	4096		/* bytes of one command */

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* -------------------------------------------------------------- addresses */

static size_t addr_len(const struct wr_cidr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

bool wr_lab_addr_is_zero(const struct wr_cidr *a)
{
	size_t i;

	for (i = 0; i < addr_len(a); i++)
		if (a->addr.bytes[i])
			return false;
	return true;
}

bool wr_lab_addr_is_multicast(const struct wr_cidr *a)
{
	if (a->family == AF_INET)
		return (a->addr.bytes[0] & 0xf0) == 0xe0;
	return a->addr.bytes[0] == 0xff;
}

bool wr_lab_addr_is_unicast(const struct wr_cidr *a)
{
	static const uint8_t bcast[4] = { 0xff, 0xff, 0xff, 0xff };

	if (a->family == AF_INET && !memcmp(a->addr.bytes, bcast, 4))
		return false;
	return !wr_lab_addr_is_zero(a) && !wr_lab_addr_is_multicast(a);
}

int wr_lab_ip_version(const struct wr_cidr *a)
{
	return a->family == AF_INET ? 4 : 6;
}

/* ------------------------------------------------------------- top level */

static const char *const top_keys[] = { "prefix", "namespaces", "links", "vfs", "switch", "evpn",
					 NULL };
enum { TOP_PREFIX, TOP_NAMESPACES, TOP_LINKS, TOP_VFS, TOP_SWITCH, TOP_EVPN, TOP_COUNT };

static void parse_prefix(struct lab_ctx *c, const yaml_node_t *n)
{
	const char *s;

	if (lab_is_null(n))
		return;
	s = wr_lab_scalar(c, n, "prefix", "a name prefix such as 't1-'");
	if (!s)
		return;
	if (wr_valid_name(WR_NAME_PREFIX, s, LAB_PREFIX_MAX)) {
		wr_lab_err_node(c, n, "prefix: %s", wr_err_msg());
		return;
	}
	snprintf(c->lab->prefix, sizeof(c->lab->prefix), "%s", s);
}

int wr_lab_ns_index(const struct wr_lab *lab, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < lab->n_ns; i++)
		if (strlen(lab->ns[i].name) == len && !memcmp(lab->ns[i].name, name, len))
			return (int)i;
	return -1;
}

const struct wr_lab_ns *wr_lab_find_ns(const struct wr_lab *lab, const char *name)
{
	int i;

	if (!lab || !name)
		return NULL;
	i = wr_lab_ns_index(lab, name, strlen(name));
	return i < 0 ? NULL : &lab->ns[i];
}

/* Pass 2: the names under `namespaces`; their bodies wait for pass 5. */
static void parse_ns_names(struct lab_ctx *c, const yaml_node_t *map)
{
	struct wr_lab *lab = c->lab;
	size_t n, i, plen = strlen(lab->prefix);
	char d[LAB_DESC_SIZE], b[LAB_SHOW_SIZE];
	bool *dup;

	if (lab_is_null(map))
		return;
	if (map->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, map, "namespaces: expected a mapping, got %s",
				wr_lab_desc(d, map));
		return;
	}
	n = lab_n_pairs(map);
	if (!n)
		return;
	dup = calloc(n, sizeof(*dup));
	lab->ns = calloc(min_size(n, LAB_MAX_NS), sizeof(*lab->ns));
	c->ns_body = calloc(min_size(n, LAB_MAX_NS), sizeof(*c->ns_body));
	if (!dup || !lab->ns || !c->ns_body) {
		c->oom = true;
		goto out;
	}
	wr_lab_find_dups(c, map, dup, "namespace");
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = lab_node(c, p->key);
		struct wr_lab_ns *ns;
		const char *name;
		size_t len;

		if (dup[i])
			continue;
		if (lab->n_ns == LAB_MAX_NS) {
			wr_lab_err_node(c, k, "namespaces: too many namespaces (at most %d)",
					LAB_MAX_NS);
			break;
		}
		name = wr_lab_scalar(c, k, "namespaces", "a namespace name");
		if (!name)
			continue;
		if (wr_valid_netns_name(name)) {
			wr_lab_err_node(c, k, "%s", wr_err_msg());
			continue;
		}
		len = strlen(name);
		ns = &lab->ns[lab->n_ns];
		memcpy(ns->name, name, len + 1);
		/* Kept even when too long, so that links naming it do not fail too. */
		if (plen + len > WR_NETNS_NAME_MAX) {
			wr_lab_err_node(c, k, "namespace '%s': with the prefix '%s' its name is %zu bytes, at most %d are allowed",
					wr_lab_show(b, name), lab->prefix, plen + len,
					WR_NETNS_NAME_MAX);
			len = WR_NETNS_NAME_MAX - plen;
		}
		memcpy(ns->full, lab->prefix, plen);
		memcpy(ns->full + plen, name, len);
		ns->full[plen + len] = '\0';
		ns->pos = lab_node_pos(k);
		c->ns_body[lab->n_ns] = lab_node(c, p->value);
		lab->n_ns++;
	}
out:
	free(dup);
}

/* ------------------------------------------------------ namespace bodies */

static const char *const ns_keys[] = { "sysctls", "interfaces", "routes", "run", NULL };
enum { NS_SYSCTLS, NS_INTERFACES, NS_ROUTES, NS_RUN, NS_COUNT };

static const char *const iface_keys[] = { "addresses", "mtu", "mac", "master", "up", NULL };
enum { IF_ADDRESSES, IF_MTU, IF_MAC, IF_MASTER, IF_UP, IF_COUNT };

static const char *const route_keys[] = { "to", "via", "dev", "metric", NULL };
enum { RT_TO, RT_VIA, RT_DEV, RT_METRIC, RT_COUNT };

/* See labfile_priv.h. */
size_t wr_lab_seq(struct lab_ctx *c, const yaml_node_t *seq, const char *what,
		  const char *expect, size_t max, size_t size, void **arr)
{
	char d[LAB_DESC_SIZE];
	size_t n;

	if (lab_is_null(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "%s: expected %s, got %s", what, expect, wr_lab_desc(d, seq));
		return 0;
	}
	n = min_size(lab_n_items(seq), max);
	if (!n)
		return 0;
	*arr = calloc(n, size);
	if (!*arr) {
		c->oom = true;
		return 0;
	}
	return n;
}

/* See labfile_priv.h. */
bool *wr_lab_named_map(struct lab_ctx *c, const yaml_node_t *map, const char *what,
		       const char *expect, const char *dup_what, size_t max, size_t size,
		       void **arr, size_t *n)
{
	char d[LAB_DESC_SIZE];
	bool *dup;

	*n = 0;
	if (lab_is_null(map))
		return NULL;
	if (map->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, map, "%s: expected %s, got %s", what, expect, wr_lab_desc(d, map));
		return NULL;
	}
	if (!lab_n_pairs(map))
		return NULL;
	dup = calloc(lab_n_pairs(map), sizeof(*dup));
	*arr = calloc(min_size(lab_n_pairs(map), max), size);
	if (!dup || !*arr) {
		c->oom = true;
		free(dup);
		return NULL;
	}
	*n = lab_n_pairs(map);
	wr_lab_find_dups(c, map, dup, dup_what);
	return dup;
}

static void parse_sysctls(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *map)
{
	char b[LAB_SHOW_SIZE], nb[LAB_SHOW_SIZE];
	size_t n, i;
	bool *dup;

	dup = wr_lab_named_map(c, map, "sysctls", "a mapping of key: value", "sysctl", LAB_MAX_SYSCTLS,
			sizeof(*ns->sysctls), (void **)&ns->sysctls, &n);
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = lab_node(c, p->key), *v = lab_node(c, p->value);
		struct wr_lab_sysctl *sc;
		const char *key, *val, *q;

		if (dup[i])
			continue;
		if (ns->n_sysctls == LAB_MAX_SYSCTLS) {
			wr_lab_err_node(c, k, "sysctls: too many in namespace '%s' (at most %d)",
					wr_lab_show(nb, ns->name), LAB_MAX_SYSCTLS);
			break;
		}
		key = wr_lab_scalar(c, k, "sysctls", "a sysctl name");
		if (!key)
			continue;
		/* `warren sysctl`'s rules; keys fit sc->key (WR_SYSCTL_KEY_MAX). */
		if (wr_sysctl_valid_key(key)) {
			wr_lab_err_node(c, k, "%s", wr_err_msg());
			continue;
		}
		val = wr_lab_scalar(c, v, wr_lab_show(b, key), "a value");
		if (!val)
			continue;
		if (strlen(val) >= sizeof(sc->val)) {
			wr_lab_err_node(c, v, "%s: the value is %zu bytes, at most %zu are allowed",
					wr_lab_show(b, key), strlen(val), sizeof(sc->val) - 1);
			continue;
		}
		for (q = val; *q && ((unsigned char)*q >= 0x20 || *q == '\t') && *q != 0x7f; q++)
			;
		if (*q) {
			wr_lab_err_node(c, v, "%s: the value may not contain control characters",
					wr_lab_show(b, key));
			continue;
		}
		/* The kernel reads 1 or 0; "true" would be refused at `lab up`. */
		if (!strcasecmp(val, "true") || !strcasecmp(val, "false") ||
		    !strcasecmp(val, "yes") || !strcasecmp(val, "no")) {
			wr_lab_err_node(c, v, "%s: '%s' is not a sysctl value (write 1 or 0)",
					wr_lab_show(b, key), val);
			continue;
		}
		sc = &ns->sysctls[ns->n_sysctls++];
		strcpy(sc->key, key);
		strcpy(sc->val, val);
		sc->pos = lab_node_pos(k);
	}
	free(dup);
}

/* See labfile_priv.h. */
void wr_lab_parse_addrs(struct lab_ctx *c, struct wr_lab_iface *ifc, const yaml_node_t *seq)
{
	char d[LAB_DESC_SIZE], b[LAB_SHOW_SIZE];
	yaml_node_item_t *it;
	size_t n, j;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "addresses: expected a sequence of ADDRESS/PREFIX, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	n = min_size(lab_n_items(seq), LAB_MAX_ADDRS);
	if (!n)
		return;
	ifc->addrs = calloc(n, sizeof(*ifc->addrs));
	if (!ifc->addrs) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *a = lab_node(c, *it);
		struct wr_cidr cidr;
		const char *t;

		if (ifc->n_addrs == LAB_MAX_ADDRS) {
			wr_lab_err_node(c, a, "addresses: too many on interface '%s' (at most %d)",
					ifc->ifname, LAB_MAX_ADDRS);
			break;
		}
		t = wr_lab_scalar(c, a, "addresses", "ADDRESS/PREFIX");
		if (!t)
			continue;
		if (wr_parse_cidr(t, true, &cidr)) {
			wr_lab_err_node(c, a, "addresses: %s", wr_err_msg());
			continue;
		}
		if (wr_lab_addr_is_zero(&cidr) || wr_lab_addr_is_multicast(&cidr)) {
			wr_lab_err_node(c, a, "addresses: '%s' is not a unicast address",
					wr_lab_show(b, t));
			continue;
		}
		for (j = 0; j < ifc->n_addrs; j++)
			if (ifc->addrs[j].family == cidr.family &&
			    !memcmp(ifc->addrs[j].addr.bytes, cidr.addr.bytes, addr_len(&cidr)))
				break;
		if (j < ifc->n_addrs) {
			wr_lab_err_node(c, a, "addresses: '%s' is already on interface '%s'",
					wr_lab_show(b, t), ifc->ifname);
			continue;
		}
		ifc->addrs[ifc->n_addrs++] = cidr;
	}
}

static void parse_iface_body(struct lab_ctx *c, const struct wr_lab_ns *ns,
			     struct wr_lab_iface *ifc, const struct lab_dev *d,
			     const yaml_node_t *body)
{
	static const uint8_t zero[6];
	yaml_node_t *v[IF_COUNT] = { NULL };
	char where[48], db[LAB_DESC_SIZE], b[LAB_SHOW_SIZE];
	const char *t;
	uint64_t u;

	if (lab_is_null(body))
		return;
	if (body->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, body, "interface '%s': expected a mapping (addresses, mtu, mac, master, up), got %s",
				ifc->ifname, wr_lab_desc(db, body));
		return;
	}
	snprintf(where, sizeof(where), "in interface '%s'", ifc->ifname);
	wr_lab_get_keys(c, body, iface_keys, ~0u, where, v);
	if (v[IF_ADDRESSES])
		wr_lab_parse_addrs(c, ifc, v[IF_ADDRESSES]);
	if (v[IF_MTU] && !wr_lab_get_uint(c, v[IF_MTU], "mtu", 68, 65535, &u))
		ifc->mtu = (uint32_t)u;
	if (v[IF_MAC] && (t = wr_lab_scalar(c, v[IF_MAC], "mac", "a MAC address"))) {
		if (wr_parse_mac(t, ifc->mac))
			wr_lab_err_node(c, v[IF_MAC], "mac: %s", wr_err_msg());
		else if (ifc->mac[0] & 1)
			wr_lab_err_node(c, v[IF_MAC], "mac: '%s' is a multicast address (the low bit of the first byte must be clear)",
					wr_lab_show(b, t));
		else if (!memcmp(ifc->mac, zero, 6))
			wr_lab_err_node(c, v[IF_MAC], "mac: '%s' is all zeros, which no device may have",
					wr_lab_show(b, t));
		else if (wr_lab_dev_kind(c, d) == WR_LINK_TUN)
			wr_lab_err_node(c, v[IF_MAC], "mac: '%s' is a tun device, which has no MAC address",
					ifc->ifname);
		else
			ifc->has_mac = true;
	}
	if (v[IF_MASTER])
		wr_lab_check_master(c, ns, ifc, d, v[IF_MASTER]);
	if (v[IF_UP])
		wr_lab_get_bool(c, v[IF_UP], "up", &ifc->up);
}

static void parse_ifaces(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *map)
{
	char nb[LAB_SHOW_SIZE];
	size_t n, i;
	bool *dup;

	dup = wr_lab_named_map(c, map, "interfaces", "a mapping", "interface", LAB_MAX_IFACES,
			sizeof(*ns->ifaces), (void **)&ns->ifaces, &n);
	for (i = 0; i < n && !c->oom; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = lab_node(c, p->key);
		const struct lab_dev *dev = NULL;
		struct wr_lab_iface *ifc;
		const char *name;

		if (dup[i])
			continue;
		if (ns->n_ifaces == LAB_MAX_IFACES) {
			wr_lab_err_node(c, k, "interfaces: too many in namespace '%s' (at most %d)",
					wr_lab_show(nb, ns->name), LAB_MAX_IFACES);
			break;
		}
		name = wr_lab_scalar(c, k, "interfaces", "an interface name");
		if (!name)
			continue;
		if (wr_valid_ifname(name)) {
			wr_lab_err_node(c, k, "%s", wr_err_msg());
			continue;
		}
		/* Still read the settings below: their errors are worth knowing too. */
		if (strcmp(name, "lo")) {
			dev = wr_lab_find_dev(c, ns->full, name);
			if (!dev)
				wr_lab_err_node(c, k, "interface '%s': no link creates it in namespace '%s' (only lo and devices made by links can be set up)",
						name, wr_lab_show(nb, ns->name));
		}
		ifc = &ns->ifaces[ns->n_ifaces++];
		strcpy(ifc->ifname, name);
		ifc->up = true;
		ifc->pos = lab_node_pos(k);
		parse_iface_body(c, ns, ifc, dev, lab_node(c, p->value));
	}
	free(dup);
}

static bool same_dst(const struct wr_route *a, const struct wr_route *b)
{
	return a->dst.family == b->dst.family && a->dst.prefixlen == b->dst.prefixlen &&
	       !memcmp(a->dst.addr.bytes, b->dst.addr.bytes, addr_len(&a->dst)) &&
	       a->metric == b->metric;
}

/* 0 if the bits of @a past its prefix length are clear, as a route's must be. */
static int host_bits(const struct wr_cidr *a, struct wr_cidr *net)
{
	size_t i;

	*net = *a;
	for (i = 0; i < addr_len(a); i++) {
		unsigned int keep = a->prefixlen > i * 8 ? a->prefixlen - i * 8 : 0;

		if (keep < 8)
			net->addr.bytes[i] &= (uint8_t)(0xff00u >> keep);
	}
	return memcmp(a->addr.bytes, net->addr.bytes, addr_len(a)) ? -EINVAL : 0;
}

static void parse_route(struct lab_ctx *c, struct wr_lab_ns *ns, yaml_node_t *m)
{
	struct wr_lab_route *lr = &ns->routes[ns->n_routes];
	struct wr_route *r = &lr->r;
	yaml_node_t *v[RT_COUNT] = { NULL };
	char b[LAB_SHOW_SIZE], nb[LAB_SHOW_SIZE], fb[INET6_ADDRSTRLEN + 8];
	bool is_default = false, have_dst = false;
	struct wr_cidr net;
	const char *t;
	uint64_t u;
	size_t j;

	lr->pos = lab_node_pos(m);
	wr_lab_get_keys(c, m, route_keys, ~0u, "in route", v);
	if (!v[RT_TO])
		wr_lab_err_node(c, m, "route: missing 'to'");
	if (!v[RT_VIA] && !v[RT_DEV])
		wr_lab_err_node(c, m, "route: missing 'via' or 'dev' (a route needs at least one)");
	if (v[RT_TO] && (t = wr_lab_scalar(c, v[RT_TO], "to", "'default' or ADDRESS/PREFIX"))) {
		if (!strcmp(t, "default")) {
			is_default = true;
		} else if (wr_parse_cidr(t, true, &r->dst)) {
			wr_lab_err_node(c, v[RT_TO], "to: %s", wr_err_msg());
		} else if (host_bits(&r->dst, &net)) {
			wr_format_cidr(&net, fb, sizeof(fb));
			wr_lab_err_node(c, v[RT_TO], "to: '%s' has host bits set (the network is %s)",
					wr_lab_show(b, t), fb);
		} else {
			have_dst = true;
		}
	}
	if (v[RT_VIA] && !wr_lab_get_addr(c, v[RT_VIA], "via", &r->via)) {
		t = lab_text(v[RT_VIA]);
		if (!wr_lab_addr_is_unicast(&r->via))
			wr_lab_err_node(c, v[RT_VIA], "via: '%s' is not a unicast address (a gateway must be one)",
					wr_lab_show(b, t));
		else if (have_dst && r->via.family != r->dst.family)
			wr_lab_err_node(c, v[RT_VIA], "via: '%s' is IPv%d but 'to' is IPv%d",
					wr_lab_show(b, t), wr_lab_ip_version(&r->via),
					wr_lab_ip_version(&r->dst));
		else
			r->has_via = true;
	}
	if (v[RT_DEV] && (t = wr_lab_scalar(c, v[RT_DEV], "dev", "the name of a device"))) {
		if (wr_valid_ifname(t))
			wr_lab_err_node(c, v[RT_DEV], "dev: %s", wr_err_msg());
		else if (strcmp(t, "lo") && !wr_lab_find_dev(c, ns->full, t) &&
			 !wr_lab_find_vf(c->lab, ns->full, t))
			wr_lab_err_node(c, v[RT_DEV], "dev: no link or VF creates '%s' in namespace '%s'",
					t, wr_lab_show(nb, ns->name));
		else
			strcpy(r->dev, t);
	}
	if (v[RT_METRIC] && !wr_lab_get_uint(c, v[RT_METRIC], "metric", 0, UINT32_MAX, &u))
		r->metric = (uint32_t)u;
	if (is_default) {
		/* The gateway says which default: 0.0.0.0/0 or ::/0. */
		memset(&r->dst, 0, sizeof(r->dst));
		r->dst.family = r->has_via ? r->via.family : AF_INET;
		have_dst = true;
	}
	if (have_dst) {
		for (j = 0; j < ns->n_routes; j++)
			if (same_dst(&ns->routes[j].r, r))
				break;
		if (j < ns->n_routes) {
			wr_format_cidr(&r->dst, fb, sizeof(fb));
			wr_lab_err_node(c, m, "route: a route to %s with metric %u is already at line %u",
					fb, r->metric, ns->routes[j].pos.line);
		}
	}
	ns->n_routes++;
}

static void parse_routes(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *seq)
{
	char d[LAB_DESC_SIZE], nb[LAB_SHOW_SIZE];
	yaml_node_item_t *it;

	if (!wr_lab_seq(c, seq, "routes", "a sequence", LAB_MAX_ROUTES, sizeof(*ns->routes),
			(void **)&ns->routes))
		return;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = lab_node(c, *it);

		if (ns->n_routes == LAB_MAX_ROUTES) {
			wr_lab_err_node(c, m, "routes: too many in namespace '%s' (at most %d)",
					wr_lab_show(nb, ns->name), LAB_MAX_ROUTES);
			break;
		}
		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "route: expected a mapping (to, via, dev, metric), got %s",
					wr_lab_desc(d, m));
			continue;
		}
		parse_route(c, ns, m);
	}
}

/* `run`: commands, each a non-empty string without NUL of at most LAB_MAX_CMD bytes. */
static void parse_run(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *seq)
{
	char nb[LAB_SHOW_SIZE];
	yaml_node_item_t *it;

	if (!wr_lab_seq(c, seq, "run", "a sequence of commands", LAB_MAX_RUN, sizeof(*ns->run),
			(void **)&ns->run))
		return;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = lab_node(c, *it);
		struct wr_lab_cmd *cmd;
		const char *s;

		if (ns->n_run == LAB_MAX_RUN) {
			wr_lab_err_node(c, m, "run: too many commands in namespace '%s' (at most %d)",
					wr_lab_show(nb, ns->name), LAB_MAX_RUN);
			break;
		}
		s = wr_lab_scalar(c, m, "run", "a command");
		if (!s)
			continue;
		if (!s[0] || strlen(s) != m->data.scalar.length || strlen(s) > LAB_MAX_CMD) {
			wr_lab_err_node(c, m, "run: a command is 1 to %d bytes, without NUL",
					LAB_MAX_CMD);
			continue;
		}
		cmd = &ns->run[ns->n_run];
		cmd->cmd = strdup(s);
		if (!cmd->cmd) {
			c->oom = true;
			return;
		}
		cmd->pos = lab_node_pos(m);
		ns->n_run++;
	}
}

/* Pass 5: what goes inside one namespace. */
static void parse_ns_body(struct lab_ctx *c, size_t i)
{
	struct wr_lab_ns *ns = &c->lab->ns[i];
	const yaml_node_t *body = c->ns_body[i];
	yaml_node_t *v[NS_COUNT] = { NULL };
	char where[LAB_SHOW_SIZE + 16], d[LAB_DESC_SIZE], b[LAB_SHOW_SIZE];

	if (lab_is_null(body))
		return;
	if (body->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, body, "namespace '%s': expected a mapping (sysctls, interfaces, routes, run) or nothing, got %s",
				wr_lab_show(b, ns->name), wr_lab_desc(d, body));
		return;
	}
	snprintf(where, sizeof(where), "in namespace '%s'", wr_lab_show(b, ns->name));
	wr_lab_get_keys(c, body, ns_keys, ~0u, where, v);
	if (v[NS_SYSCTLS])
		parse_sysctls(c, ns, v[NS_SYSCTLS]);
	if (v[NS_INTERFACES])
		parse_ifaces(c, ns, v[NS_INTERFACES]);
	if (v[NS_ROUTES])
		parse_routes(c, ns, v[NS_ROUTES]);
	if (v[NS_RUN])
		parse_run(c, ns, v[NS_RUN]);
}

static void check_lab(struct lab_ctx *c)
{
	static const struct wr_pos top = { 1, 1 };
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	yaml_node_t *v[TOP_COUNT] = { NULL };
	char d[LAB_DESC_SIZE];
	size_t i;

	if (!root) {
		wr_lab_err_at(c, top, "the lab file is empty (expected a mapping with 'namespaces' and 'links')");
		return;
	}
	if (root->type != YAML_MAPPING_NODE) {
		wr_lab_err_at(c, top, "expected a mapping (prefix, namespaces, links, vfs, switch, evpn) at the top level, got %s",
			      wr_lab_desc(d, root));
		return;
	}
	wr_lab_get_keys(c, root, top_keys, ~0u, "at the top level", v);
	/* The prefix first: namespace and device names are built with it. */
	if (v[TOP_PREFIX])
		parse_prefix(c, v[TOP_PREFIX]);
	if (v[TOP_NAMESPACES])
		parse_ns_names(c, v[TOP_NAMESPACES]);
	if (v[TOP_LINKS] && !c->oom)
		wr_lab_parse_links(c, v[TOP_LINKS]);
	if (!c->oom)
		wr_lab_build_devs(c);
	if (!c->oom)
		wr_lab_check_lowers(c);
	if (v[TOP_VFS] && !c->oom)
		wr_lab_parse_vfs(c, v[TOP_VFS]);
	for (i = 0; i < c->lab->n_ns && !c->oom; i++)
		parse_ns_body(c, i);
	if (v[TOP_SWITCH] && !c->oom)
		wr_lab_parse_switch(c, v[TOP_SWITCH]);
	if (v[TOP_EVPN] && !c->oom)
		wr_lab_parse_evpn(c, v[TOP_EVPN]);
}

/* ------------------------------------------------------------------ entry */

struct wr_lab *wr_lab_parse(const char *file, const char *buf, size_t len)
{
	struct lab_ctx c = { .lab = NULL };
	bool have_parser = false, have_doc = false;
	yaml_document_t doc;
	yaml_parser_t p;
	struct wr_lab *lab;

	lab = wr_lab_new(file);
	if (!lab)
		goto fail;
	c.lab = lab;
	if (len > LAB_MAX_SIZE) {
		wr_lab_err_at(&c, (struct wr_pos){ 0, 0 },
			      "the file is %zu bytes, at most %d are accepted", len, LAB_MAX_SIZE);
		goto done;
	}
	/* libyaml asserts on a NULL input, even an empty one. */
	if (!buf) {
		buf = "";
		len = 0;
	}
	if (wr_lab_prescan(&c, buf, len))
		goto done;
	if (!yaml_parser_initialize(&p)) {
		c.oom = true;
		goto done;
	}
	have_parser = true;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&p, &doc)) {
		wr_lab_yaml_error(&c, &p, buf, len);
		goto done;
	}
	have_doc = true;
	c.doc = &doc;
	check_lab(&c);
done:
	wr_lab_finish_errors(lab, c.n_dropped);
	free(c.ns_body);
	free(c.aux);
	free(c.devs);
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&p);
	if (!c.oom)
		return lab;
	wr_lab_free(lab);
fail:
	wr_err_set(-ENOMEM, "lab %s: %s", file ? file : "", strerror(ENOMEM));
	return NULL;
}

/* A lab holding the one error that kept @path from being read. */
__attribute__((format(printf, 2, 3)))
static struct wr_lab *lab_unreadable(const char *path, const char *fmt, ...)
{
	struct wr_lab *lab;
	size_t n_dropped = 0;
	va_list ap;

	lab = wr_lab_new(path);
	if (!lab) {
		wr_err_set(-ENOMEM, "lab %s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	va_start(ap, fmt);
	wr_lab_add_error(lab, &n_dropped, (struct wr_pos){ 0, 0 }, fmt, ap);
	va_end(ap);
	return lab;
}

struct wr_lab *wr_lab_load(const char *path)
{
	struct wr_lab *lab = NULL;
	char *buf = NULL;
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lab = lab_unreadable(path, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > LAB_MAX_SIZE) {
		lab = lab_unreadable(path, "the file is %lld bytes, at most %d are accepted",
				     (long long)st.st_size, LAB_MAX_SIZE);
		goto out_close;
	}
	/* One byte more than allowed tells a pipe that is too long. */
	buf = malloc(LAB_MAX_SIZE + 1);
	if (!buf) {
		wr_err_set(-ENOMEM, "lab %s: %s", path, strerror(ENOMEM));
		goto out_close;
	}
	while (len < LAB_MAX_SIZE + 1) {
		r = read(fd, buf + len, LAB_MAX_SIZE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			lab = lab_unreadable(path, "cannot read: %s", strerror(errno));
			goto out_free;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	if (len > LAB_MAX_SIZE) {
		lab = lab_unreadable(path, "the file is more than %d bytes, at most %d are accepted",
				     LAB_MAX_SIZE, LAB_MAX_SIZE);
		goto out_free;
	}
	lab = wr_lab_parse(path, buf, len);
out_free:
	free(buf);
out_close:
	close(fd);
out:
	return lab;
}

void wr_lab_free(struct wr_lab *lab)
{
	size_t i, j;

	if (!lab)
		return;
	for (i = 0; i < lab->n_ns; i++) {
		struct wr_lab_ns *ns = &lab->ns[i];

		for (j = 0; j < ns->n_ifaces; j++)
			free(ns->ifaces[j].addrs);
		free(ns->ifaces);
		free(ns->sysctls);
		free(ns->routes);
		for (j = 0; j < ns->n_run; j++)
			free(ns->run[j].cmd);
		free(ns->run);
	}
	free(lab->ns);
	free(lab->links);
	free(lab->vfs);
	free(lab->sw.vlans);
	free(lab->sw.ports);
	for (i = 0; i < lab->sw.n_tunnels; i++) {
		for (j = 0; j < lab->sw.tunnels[i].n_reqs; j++)
			json_object_put(lab->sw.tunnels[i].reqs[j].args);
		free(lab->sw.tunnels[i].reqs);
	}
	free(lab->sw.tunnels);
	for (i = 0; i < lab->sw.n_steer; i++)
		json_object_put(lab->sw.steer[i].args);
	free(lab->sw.steer);
	for (i = 0; i < lab->sw.n_chains; i++)
		json_object_put(lab->sw.chains[i].args);
	free(lab->sw.chains);
	for (i = 0; i < lab->sw.n_mirrors; i++)
		json_object_put(lab->sw.mirrors[i].args);
	free(lab->sw.mirrors);
	free(lab->errors);
	free(lab->notes);
	free(lab);
}
