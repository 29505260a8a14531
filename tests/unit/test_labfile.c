/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_labfile.c - the lab file parser: every accepted construct lands in
 * struct wr_lab as expected; every error is reported at its exact
 * line:column with its message, alone (no cascades), in file order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wr_control.h"

#include "labtest.h"

static const struct wr_lab_ns *ns_of(const struct wr_lab *lab, const char *name)
{
	const struct wr_lab_ns *ns = wr_lab_find_ns(lab, name);

	if (!ns)
		fail_msg("namespace '%s' not found", name);
	return ns;
}

static const struct wr_lab_iface *iface_of(const struct wr_lab_ns *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++)
		if (!strcmp(ns->ifaces[i].ifname, name))
			return &ns->ifaces[i];
	fail_msg("interface '%s' not found in '%s'", name, ns->name);
	return NULL;
}

static void assert_cidr(const struct wr_cidr *c, const char *want)
{
	char buf[INET6_ADDRSTRLEN + 4];

	wr_format_cidr(c, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* A growing string, for the big inputs. */
struct text {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* ------------------------------------------------------------ accepted */

static const char full_lab[] =
	"# the example of docs/labfile.md, and then some\n"	/* 1 */
	"prefix: t1-\n"
	"namespaces:\n"
	"  h1:\n"
	"    sysctls:\n"					/* 5 */
	"      net.ipv4.ip_forward: 1\n"
	"      net.ipv4.conf.all.rp_filter: \"2\"\n"
	"      net.ipv4.ping_group_range: 0 2147483647\n"
	"    interfaces:\n"
	"      eth0:\n"						/* 10 */
	"        addresses: [192.0.2.1/24, 2001:db8::1/64]\n"
	"        mtu: 1500\n"
	"        mac: 02:00:00:00:00:01\n"
	"        up: true\n"
	"      lo:\n"						/* 15 */
	"        addresses:\n"
	"          - 10.255.0.1/32\n"
	"    routes:\n"
	"      - to: default\n"
	"        via: 192.0.2.254\n"				/* 20 */
	"        dev: eth0\n"
	"        metric: 100\n"
	"      - to: default\n"
	"        via: 2001:db8::fffe\n"
	"      - {to: 198.51.100.0/24, dev: eth0}\n"		/* 25 */
	"  sw:\n"
	"    interfaces:\n"
	"      h1:\n"
	"        master: br0\n"
	"        up: no\n"					/* 30 */
	"      br0: ~\n"
	"  empty:\n"
	"links:\n"
	"  - kind: veth\n"
	"    endpoints: [h1:eth0, sw:h1]\n"			/* 35 */
	"  - kind: bridge\n"
	"    name: sw:br0\n"
	"  - kind: tap\n"
	"    name: sw:tap0\n"
	"    owner: 1000\n"					/* 40 */
	"    group: 0\n"
	"  - kind: tun\n"
	"    name: tun0\n"
	"  - kind: vxlan\n"
	"    name: sw:vx0\n"					/* 45 */
	"    vni: 42\n"
	"    dstport: 4789\n"
	"    local: 192.0.2.1\n"
	"    remote: 239.1.1.1\n"
	"    link: br0\n"					/* 50 */
	"  - kind: macvlan\n"
	"    name: h1:mv0\n"
	"    link: eth0\n"
	"    mode: vepa\n"
	"  - kind: ipvlan\n"					/* 55 */
	"    name: h1:iv0\n"
	"    link: eth0\n"
	"  - kind: vlan\n"
	"    name: h1:eth0.100\n"
	"    link: eth0\n"					/* 60 */
	"    id: 100\n"
	"  - kind: geneve\n"
	"    name: sw:gn0\n"
	"    vni: 7\n"
	"    remote: 2001:db8::2\n"				/* 65 */
	"    dstport: 6081\n"
	"  - kind: dummy\n"
	"    name: d0\n"
	"  - kind: macvlan\n"
	"    name: mv1\n"					/* 70 */
	"    link: d0\n";

static void test_full_lab(void **state)
{
	const struct wr_lab_ns *h1, *sw, *empty;
	const struct wr_lab_iface *ifc;
	const struct wr_link_spec *s;
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok(full_lab);
	assert_string_equal(lab->file, "t.yaml");
	assert_string_equal(lab->prefix, "t1-");
	assert_int_equal(lab->n_ns, 3);

	h1 = ns_of(lab, "h1");
	assert_ptr_equal(h1, &lab->ns[0]);
	assert_string_equal(h1->full, "t1-h1");
	assert_int_equal(h1->pos.line, 4);
	assert_int_equal(h1->pos.col, 3);
	assert_int_equal(h1->n_sysctls, 3);
	assert_string_equal(h1->sysctls[0].key, "net.ipv4.ip_forward");
	assert_string_equal(h1->sysctls[0].val, "1");
	assert_int_equal(h1->sysctls[0].pos.line, 6);
	assert_int_equal(h1->sysctls[0].pos.col, 7);
	assert_string_equal(h1->sysctls[1].val, "2");
	assert_string_equal(h1->sysctls[2].val, "0 2147483647");

	assert_int_equal(h1->n_ifaces, 2);
	ifc = iface_of(h1, "eth0");
	assert_int_equal(ifc->pos.line, 10);
	assert_int_equal(ifc->pos.col, 7);
	assert_int_equal(ifc->n_addrs, 2);
	assert_cidr(&ifc->addrs[0], "192.0.2.1/24");
	assert_cidr(&ifc->addrs[1], "2001:db8::1/64");
	assert_int_equal(ifc->mtu, 1500);
	assert_true(ifc->has_mac);
	assert_memory_equal(ifc->mac, "\x02\x00\x00\x00\x00\x01", 6);
	assert_true(ifc->up);
	assert_string_equal(ifc->master, "");
	ifc = iface_of(h1, "lo");
	assert_int_equal(ifc->n_addrs, 1);
	assert_cidr(&ifc->addrs[0], "10.255.0.1/32");
	assert_int_equal(ifc->mtu, 0);
	assert_false(ifc->has_mac);
	assert_true(ifc->up);

	assert_int_equal(h1->n_routes, 3);
	assert_cidr(&h1->routes[0].r.dst, "0.0.0.0/0");
	assert_true(h1->routes[0].r.has_via);
	assert_cidr(&h1->routes[0].r.via, "192.0.2.254/32");
	assert_string_equal(h1->routes[0].r.dev, "eth0");
	assert_int_equal(h1->routes[0].r.metric, 100);
	assert_int_equal(h1->routes[0].pos.line, 19);
	assert_int_equal(h1->routes[0].pos.col, 9);
	/* An IPv6 gateway makes "default" the IPv6 default route. */
	assert_int_equal(h1->routes[1].r.dst.family, AF_INET6);
	assert_cidr(&h1->routes[1].r.dst, "::/0");
	assert_cidr(&h1->routes[1].r.via, "2001:db8::fffe/128");
	assert_string_equal(h1->routes[1].r.dev, "");
	assert_int_equal(h1->routes[1].r.metric, 0);
	assert_cidr(&h1->routes[2].r.dst, "198.51.100.0/24");
	assert_false(h1->routes[2].r.has_via);
	assert_int_equal(h1->routes[2].pos.line, 25);
	assert_int_equal(h1->routes[2].pos.col, 9);

	sw = ns_of(lab, "sw");
	assert_string_equal(sw->full, "t1-sw");
	ifc = iface_of(sw, "h1");
	assert_string_equal(ifc->master, "br0");
	assert_false(ifc->up);
	ifc = iface_of(sw, "br0");
	assert_true(ifc->up);
	assert_int_equal(ifc->n_addrs, 0);
	empty = ns_of(lab, "empty");
	assert_int_equal(empty->n_ifaces + empty->n_routes + empty->n_sysctls, 0);

	assert_int_equal(lab->n_links, 11);
	s = &lab->links[0].spec;
	assert_int_equal(lab->links[0].pos.line, 34);
	assert_int_equal(lab->links[0].pos.col, 5);
	assert_int_equal(s->kind, WR_LINK_VETH);
	assert_string_equal(s->ep.netns, "t1-h1");
	assert_string_equal(s->ep.ifname, "eth0");
	assert_string_equal(s->peer.netns, "t1-sw");
	assert_string_equal(s->peer.ifname, "h1");
	assert_int_equal(s->owner, -1);
	assert_int_equal(s->group, -1);

	s = &lab->links[1].spec;
	assert_int_equal(s->kind, WR_LINK_BRIDGE);
	assert_string_equal(s->ep.netns, "t1-sw");
	assert_string_equal(s->ep.ifname, "br0");
	assert_string_equal(s->peer.ifname, "");

	s = &lab->links[2].spec;
	assert_int_equal(s->kind, WR_LINK_TAP);
	assert_int_equal(s->owner, 1000);
	assert_int_equal(s->group, 0);

	/* Root devices carry the prefix. */
	s = &lab->links[3].spec;
	assert_int_equal(s->kind, WR_LINK_TUN);
	assert_string_equal(s->ep.netns, "");
	assert_string_equal(s->ep.ifname, "t1-tun0");
	assert_int_equal(s->owner, -1);

	s = &lab->links[4].spec;
	assert_int_equal(s->kind, WR_LINK_VXLAN);
	assert_int_equal(s->vni, 42);
	assert_int_equal(s->dstport, 4789);
	assert_true(s->has_local);
	assert_cidr(&s->local, "192.0.2.1/32");
	assert_true(s->has_remote);
	assert_cidr(&s->remote, "239.1.1.1/32");
	assert_string_equal(s->lower, "br0");

	s = &lab->links[5].spec;
	assert_int_equal(s->kind, WR_LINK_MACVLAN);
	assert_int_equal(s->macvlan_mode, WR_MACVLAN_VEPA);
	assert_string_equal(s->lower, "eth0");
	assert_string_equal(s->ep.netns, "t1-h1");

	s = &lab->links[6].spec;
	assert_int_equal(s->kind, WR_LINK_IPVLAN);
	assert_string_equal(s->lower, "eth0");
	assert_int_equal(s->ipvlan_mode, WR_IPVLAN_L3);	/* the kernel's defaults */
	assert_int_equal(s->ipvlan_flag, WR_IPVLAN_BRIDGE);

	s = &lab->links[7].spec;
	assert_int_equal(s->kind, WR_LINK_VLAN);
	assert_string_equal(s->ep.ifname, "eth0.100");
	assert_int_equal(s->vlan_id, 100);

	s = &lab->links[8].spec;
	assert_int_equal(s->kind, WR_LINK_GENEVE);
	assert_int_equal(s->vni, 7);
	assert_int_equal(s->dstport, 6081);
	assert_false(s->has_local);
	assert_cidr(&s->remote, "2001:db8::2/128");

	s = &lab->links[9].spec;
	assert_int_equal(s->kind, WR_LINK_DUMMY);
	assert_string_equal(s->ep.ifname, "t1-d0");

	/* A root lower device is named with the prefix too. */
	s = &lab->links[10].spec;
	assert_string_equal(s->ep.ifname, "t1-mv1");
	assert_string_equal(s->lower, "t1-d0");
	assert_int_equal(s->macvlan_mode, WR_MACVLAN_BRIDGE);

	assert_null(wr_lab_find_ns(lab, "t1-h1"));
	assert_null(wr_lab_find_ns(lab, "nope"));
	assert_null(wr_lab_find_ns(lab, NULL));
	assert_null(wr_lab_find_ns(NULL, "h1"));
	wr_lab_free(lab);
	wr_lab_free(NULL);
}

static void test_empty_labs(void **state)
{
	static const char *const texts[] = {
		"{}\n",
		"namespaces:\nlinks:\n",
		"namespaces: {}\nlinks: []\nprefix: ''\n",
		"prefix:\n",
		"prefix: ~\nnamespaces: null\nlinks: Null\n",
		"---\nnamespaces: {}\n...\n",
		"# comment\n{}  # trailing\n",
	};
	struct wr_lab *lab;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		lab = parse_ok(texts[i]);
		assert_int_equal(lab->n_ns, 0);
		assert_int_equal(lab->n_links, 0);
		assert_string_equal(lab->prefix, "");
		wr_lab_free(lab);
	}
}

static void test_empty_bodies(void **state)
{
	struct wr_lab *lab;
	size_t i;

	(void)state;
	lab = parse_ok("namespaces:\n"
		       "  a:\n"
		       "  b: ~\n"
		       "  c: {}\n"
		       "  d: null\n"
		       "  e:\n"
		       "    sysctls:\n"
		       "    interfaces:\n"
		       "      lo:\n"
		       "    routes:\n"
		       "  f: {sysctls: {}, interfaces: {lo: {addresses: []}}, routes: []}\n");
	assert_int_equal(lab->n_ns, 6);
	for (i = 0; i < lab->n_ns; i++) {
		assert_string_equal(lab->ns[i].name, lab->ns[i].full);
		assert_int_equal(lab->ns[i].n_sysctls + lab->ns[i].n_routes, 0);
	}
	assert_int_equal(ns_of(lab, "e")->n_ifaces, 1);
	assert_true(ns_of(lab, "e")->ifaces[0].up);
	assert_int_equal(ns_of(lab, "f")->ifaces[0].n_addrs, 0);
	wr_lab_free(lab);
}

static void test_scalar_forms(void **state)
{
	static const struct {
		const char *text;
		bool up;
	} bools[] = {
		{ "true", true }, { "false", false }, { "yes", true }, { "no", false },
		{ "True", true }, { "FALSE", false }, { "Yes", true }, { "'no'", false },
	};
	char text[256];
	struct wr_lab *lab;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		snprintf(text, sizeof(text), "namespaces:\n  h1:\n    interfaces:\n      lo: {up: %s}\n",
			 bools[i].text);
		lab = parse_ok(text);
		if (lab->ns[0].ifaces[0].up != bools[i].up)
			fail_msg("up: %s read as %d", bools[i].text, lab->ns[0].ifaces[0].up);
		wr_lab_free(lab);
	}

	/* Quoted numbers are numbers; tags are not looked at. */
	lab = parse_ok("namespaces:\n"
		       "  h1:\n"
		       "    interfaces:\n"
		       "      lo: {mtu: \"65535\"}\n"
		       "      d: {mtu: !!int 68}\n"
		       "links:\n"
		       "  - {kind: vxlan, name: 'h1:d', vni: '16777215', dstport: 65535}\n"
		       "  - {kind: geneve, name: \"g\", vni: 0, remote: 192.0.2.9}\n"
		       "  - {kind: tun, name: t, owner: 4294967294, group: 4294967294}\n"
		       "  - {kind: vlan, name: h1:v1, link: d, id: 1}\n"
		       "  - {kind: vlan, name: h1:v4094, link: d, id: 4094}\n");
	assert_int_equal(lab->ns[0].ifaces[0].mtu, 65535);
	assert_int_equal(lab->ns[0].ifaces[1].mtu, 68);
	assert_int_equal(lab->links[0].spec.vni, 16777215);
	assert_int_equal(lab->links[0].spec.dstport, 65535);
	assert_int_equal(lab->links[1].spec.vni, 0);
	assert_int_equal(lab->links[1].spec.dstport, 0);
	assert_int_equal(lab->links[2].spec.owner, 4294967294LL);
	assert_int_equal(lab->links[2].spec.group, 4294967294LL);
	assert_int_equal(lab->links[3].spec.vlan_id, 1);
	assert_int_equal(lab->links[4].spec.vlan_id, 4094);
	wr_lab_free(lab);
}

static void test_routes_ok(void **state)
{
	const struct wr_lab_ns *ns;
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces:\n"
		       "  r:\n"
		       "    routes:\n"
		       "      - {to: default, dev: e}\n"
		       "      - {to: default, dev: e, metric: 4294967295}\n"
		       "      - {to: '2001:db8::/32', via: 'fe80::1', dev: e}\n"
		       "      - {to: 0.0.0.0/1, dev: lo}\n"
		       "      - {to: 192.0.2.128/25, via: 192.0.2.1}\n"
		       "      - {to: 192.0.2.128/25, via: 192.0.2.1, metric: 1}\n"
		       "      - {to: default, via: '2001:db8::1'}\n"
		       "links:\n"
		       "  - {kind: dummy, name: 'r:e'}\n");
	ns = ns_of(lab, "r");
	assert_int_equal(ns->n_routes, 7);
	assert_cidr(&ns->routes[0].r.dst, "0.0.0.0/0");
	assert_int_equal(ns->routes[0].r.dst.family, AF_INET);
	assert_false(ns->routes[0].r.has_via);
	assert_string_equal(ns->routes[0].r.dev, "e");
	assert_int_equal(ns->routes[1].r.metric, 4294967295u);
	assert_cidr(&ns->routes[2].r.dst, "2001:db8::/32");
	assert_cidr(&ns->routes[2].r.via, "fe80::1/128");
	assert_cidr(&ns->routes[3].r.dst, "0.0.0.0/1");
	assert_string_equal(ns->routes[3].r.dev, "lo");
	assert_int_equal(ns->routes[5].r.metric, 1);
	assert_cidr(&ns->routes[6].r.dst, "::/0");
	wr_lab_free(lab);
}

/* ipvlan's mode and flags, each value, as `ip link add ... type ipvlan` takes them. */
static void test_ipvlan_ok(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces:\n"
		       "  h:\n"
		       "links:\n"
		       "  - {kind: veth, endpoints: ['h:e0', 'h:e1']}\n"
		       "  - {kind: ipvlan, name: 'h:i0', link: e0, mode: l2}\n"
		       "  - {kind: ipvlan, name: 'h:i1', link: e0, mode: l3s, flags: private}\n"
		       "  - {kind: ipvlan, name: 'h:i2', link: e0, flags: vepa, mode: l3}\n"
		       "  - {kind: ipvlan, name: 'h:i3', link: e0, flags: bridge}\n");
	assert_int_equal(lab->n_links, 5);
	assert_int_equal(lab->links[1].spec.ipvlan_mode, WR_IPVLAN_L2);
	assert_int_equal(lab->links[1].spec.ipvlan_flag, WR_IPVLAN_BRIDGE);
	assert_int_equal(lab->links[2].spec.ipvlan_mode, WR_IPVLAN_L3S);
	assert_int_equal(lab->links[2].spec.ipvlan_flag, WR_IPVLAN_PRIVATE);
	assert_int_equal(lab->links[3].spec.ipvlan_mode, WR_IPVLAN_L3);
	assert_int_equal(lab->links[3].spec.ipvlan_flag, WR_IPVLAN_VEPA);
	assert_int_equal(lab->links[4].spec.ipvlan_mode, WR_IPVLAN_L3);
	assert_int_equal(lab->links[4].spec.ipvlan_flag, WR_IPVLAN_BRIDGE);
	wr_lab_free(lab);
}

static void test_names(void **state)
{
	char text[512];
	struct wr_lab *lab;

	(void)state;
	/* Forward references: interfaces and lower devices named before their link. */
	lab = parse_ok("namespaces:\n"
		       "  a:\n"
		       "    interfaces:\n"
		       "      v: {master: b}\n"
		       "links:\n"
		       "  - {kind: macvlan, name: 'a:m', link: v}\n"
		       "  - {kind: veth, endpoints: ['a:v', v]}\n"
		       "  - {kind: bridge, name: 'a:b'}\n"
		       "  - {kind: macvlan, name: m2, link: v}\n");
	assert_string_equal(lab->links[0].spec.lower, "v");
	assert_string_equal(lab->links[1].spec.peer.netns, "");
	assert_string_equal(lab->links[1].spec.peer.ifname, "v");
	assert_string_equal(lab->links[3].spec.lower, "v");
	assert_string_equal(lab->ns[0].ifaces[0].master, "b");
	wr_lab_free(lab);

	/* The same interface name in two namespaces is two devices. */
	lab = parse_ok("namespaces: {a: , b: }\n"
		       "links:\n"
		       "  - {kind: veth, endpoints: ['a:eth0', 'b:eth0']}\n"
		       "  - {kind: dummy, name: eth0}\n");
	wr_lab_free(lab);

	/* Longest names: 32-byte prefix + 32-byte namespace; 15-byte device. */
	snprintf(text, sizeof(text),
		 "prefix: %s\nnamespaces:\n  %s:\nlinks:\n  - {kind: dummy, name: %s}\n"
		 "  - {kind: dummy, name: '%s:123456789012345'}\n",
		 "pppppppppppppppppppppppppppppp-.", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
		 "a", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	lab = parse(text);
	/* "a" with a 32-byte prefix is 33 bytes: refused, naming the result. */
	assert_int_equal(lab->n_errors, 1);
	assert_non_null(strstr(lab->errors[0].msg, "'pppppppppppppppppppppppppppppp-.a': with the prefix the interface name is 33 bytes"));
	assert_int_equal(strlen(lab->ns[0].full), 64);
	assert_string_equal(lab->links[1].spec.ep.ifname, "123456789012345");
	wr_lab_free(lab);

	lab = parse_ok("prefix: x-\nlinks:\n  - {kind: dummy, name: 123456789012}\n");
	assert_string_equal(lab->links[0].spec.ep.ifname, "x-123456789012");
	wr_lab_free(lab);
}

static void test_crlf(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces:\r\n  h1:\r\nlinks:\r\n  - kind: dummy\r\n    name: h1:d\r\n");
	assert_int_equal(lab->links[0].pos.line, 4);
	assert_int_equal(lab->links[0].pos.col, 5);
	wr_lab_free(lab);
	lab = parse("namespaces:\r\n  h1:\r\n  h1:\r\n");
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 3);
	assert_int_equal(lab->errors[0].pos.col, 3);
	wr_lab_free(lab);
}

/* -------------------------------------------------------------- errors */

/*
 * Bases. NS + LINKS is a valid lab of 10 lines; a link appended to it is on
 * line 11. H1 opens the body of h1 (its first line is line 3) and TAIL closes
 * the file; SW opens the body of sw (line 4) and LINKS closes it.
 */
#define NS "namespaces:\n  h1:\n  sw:\n"
#define LINKS "links:\n" \
	"  - {kind: veth, endpoints: [h1:eth0, sw:h1]}\n" \
	"  - {kind: bridge, name: sw:br0}\n" \
	"  - {kind: tun, name: h1:tun0}\n" \
	"  - {kind: bridge, name: sw:br1}\n" \
	"  - {kind: dummy, name: sw:d0}\n" \
	"  - {kind: bridge, name: h1:hbr}\n"
#define BASE NS LINKS
#define H1 "namespaces:\n  h1:\n"
#define TAIL "  sw:\n" LINKS
#define SW NS
#define IF1(line) H1 "    interfaces:\n      " line "\n" TAIL
#define IFSW(line) SW "    interfaces:\n      " line "\n" LINKS
#define RT1(line) H1 "    routes:\n      - " line "\n" TAIL
#define SC1(line) H1 "    sysctls:\n      " line "\n" TAIL

static const struct err_case top_cases[] = {
	E("", 1, 1, "the lab file is empty (expected a mapping with 'namespaces' and 'links')"),
	E("# only a comment\n", 1, 1, "the lab file is empty"),
	E("[]\n", 1, 1, "expected a mapping (prefix, namespaces, links, vfs, switch, evpn) at the top level, got a sequence"),
	E("\n\njust text\n", 1, 1, "at the top level, got 'just text'"),
	E("~\n", 1, 1, "at the top level, got an empty value"),
	E("foo: 1\n", 1, 1, "unknown key 'foo' at the top level (expected one of: prefix, namespaces, links, vfs, switch, evpn)"),
	E("links: []\nnamespaces: {}\nlinks: []\n", 3, 1, "duplicate key 'links' (first at line 1)"),
	E("[1]: x\n", 1, 1, "mapping key: expected a key name, got a sequence"),
	E("\"a\\nb\": 1\n", 1, 1, "unknown key 'a\\x0ab' at the top level"),
	E("namespaces: [h1]\n", 1, 13, "namespaces: expected a mapping, got a sequence"),
	E("namespaces: h1\n", 1, 13, "namespaces: expected a mapping, got 'h1'"),
	E("links: {a: 1}\n", 1, 8, "links: expected a sequence, got a mapping"),
	E("links: 5\n", 1, 8, "links: expected a sequence, got '5'"),
	/* prefix */
	E("prefix: 'a b'\n", 1, 9, "prefix: 'a b': prefix may not contain ' ' (only A-Z a-z 0-9 _ . -)"),
	E("prefix: a/\n", 1, 9, "prefix: 'a/': prefix may not contain '/'"),
	E("prefix: 123456789012345678901234567890123\n", 1, 9,
	  "prefix: '123456789012345678901234567890123': prefix is 33 bytes, at most 32 are allowed"),
	E("prefix: [a]\n", 1, 9, "prefix: expected a name prefix such as 't1-', got a sequence"),
	E("prefix: \"a\\0b\"\n", 1, 9, "prefix: a NUL byte is not allowed here"),
};

static const struct err_case yaml_cases[] = {
	E("a: [1, 2\n", 2, 1, "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"),
	E("a: b: c\n", 1, 5, "mapping values are not allowed in this context"),
	E("a:\n\tb: 1\n", 2, 1, "found character that cannot start any token"),
	E("a: 'x\n", 2, 1, "found unexpected end of stream"),
	E("namespaces:\n  h1:\n    a: 1\n   b: 2\n", 4, 4,
	  "did not find expected key (while parsing a block mapping at line 2, column 3)"),
	E("links:\n  - a\n  b: 1\n", 3, 3, "did not find expected '-' indicator"),
	E("prefix: \xff\n", 1, 9, "invalid leading UTF-8 octet (byte 0xff)"),
	E("\nprefix: a\x01\n", 2, 10, "control characters are not allowed (byte 0x01)"),
	E("prefix: &p t1-\nlinks: *p\n", 2, 8, "alias '*p' is not supported in lab files (write the value out)"),
	EN("a: &x 1\nb: *x\nc: *x\n", 3, 4, "alias '*x' is not supported", 2),
	E("base: &b {a: 1}\nlinks:\n  - <<: *b\n", 3, 9, "alias '*b' is not supported"),
	E("namespaces: {}\n---\nlinks: []\n", 2, 1, "a second YAML document: a lab file holds one"),
	E("namespaces: {}\n...\n---\n", 3, 1, "a second YAML document"),
};

static const struct err_case ns_cases[] = {
	E("namespaces:\n  h1:\n  h1:\n", 3, 3, "duplicate namespace 'h1' (first at line 2)"),
	E("namespaces:\n  h1:\n  x:\n  'h1':\n", 4, 3, "duplicate namespace 'h1' (first at line 2)"),
	E("namespaces:\n  'h 1':\n", 2, 3, "'h 1': namespace name may not contain ' ' (only A-Z a-z 0-9 _ . -)"),
	E("namespaces:\n  ..:\n", 2, 3, "'..' is not a valid namespace name"),
	E("namespaces:\n  ~: \n", 2, 3, "namespaces: expected a namespace name, got an empty value"),
	E("namespaces:\n  [a]: \n", 2, 3, "namespaces: expected a namespace name, got a sequence"),
	E("namespaces:\n  12345678901234567890123456789012345678901234567890123456789012345:\n", 2, 3,
	  "namespace name is 65 bytes, at most 64 are allowed"),
	E("prefix: abcdefghij\nnamespaces:\n  x23456789012345678901234567890123456789012345678901234567890:\n",
	  3, 3, "with the prefix 'abcdefghij' its name is 70 bytes, at most 64 are allowed"),
	E("namespaces:\n  h1: [a]\n", 2, 7,
	  "namespace 'h1': expected a mapping (sysctls, interfaces, routes, run) or nothing, got a sequence"),
	E("namespaces:\n  h1: 5\n", 2, 7, "got '5'"),
	E(H1 "    foo: 1\n" TAIL, 3, 5,
	  "unknown key 'foo' in namespace 'h1' (expected one of: sysctls, interfaces, routes, run)"),
	E(H1 "    routes: []\n    routes: []\n" TAIL, 4, 5, "duplicate key 'routes' (first at line 3)"),
	E(H1 "    run: echo hi\n" TAIL, 3, 10, "run: expected a sequence of commands, got 'echo hi'"),
	E(H1 "    run: [[a]]\n" TAIL, 3, 11, "run: expected a command, got a sequence"),
	E(H1 "    run: ['']\n" TAIL, 3, 11, "run: a command is 1 to 4096 bytes, without NUL"),
	E(H1 "    run: [\"a\\0b\"]\n" TAIL, 3, 11, "run: a NUL byte is not allowed here"),
};

/* `run`: commands in order, each with its place in the file. */
static void test_run_ok(void **state)
{
	const struct wr_lab_ns *ns;
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces:\n"
		       "  r:\n"
		       "    run:\n"
		       "      - nft -f fw.nft\n"
		       "      - |\n"
		       "        echo one\n"
		       "        echo two\n"
		       "      - 'sleep 100 &'\n"
		       "  q:\n"
		       "    run: []\n"
		       "links: []\n");
	ns = ns_of(lab, "r");
	assert_int_equal(ns->n_run, 3);
	assert_string_equal(ns->run[0].cmd, "nft -f fw.nft");
	assert_int_equal(ns->run[0].pos.line, 4);
	assert_int_equal(ns->run[0].pos.col, 9);
	assert_string_equal(ns->run[1].cmd, "echo one\necho two\n");
	assert_string_equal(ns->run[2].cmd, "sleep 100 &");
	assert_int_equal(ns_of(lab, "q")->n_run, 0);
	wr_lab_free(lab);
}

static const struct err_case link_cases[] = {
	E(BASE "  - x\n", 11, 5, "link: expected a mapping, got 'x'"),
	E(BASE "  -\n", 11, 4, "link: expected a mapping, got an empty value"),
	E(BASE "  - {name: a}\n", 11, 5, "link: missing 'kind'"),
	E(BASE "  - {kind: foo, name: a}\n", 11, 12,
	  "kind: 'foo': unknown link kind (expected one of: veth, tap, tun, bridge, vxlan, macvlan, dummy, ipvlan, vlan, geneve)"),
	E(BASE "  - {kind: [veth]}\n", 11, 12, "kind: expected a link kind, got a sequence"),
	E(BASE "  - {kind: veth}\n", 11, 5, "link of kind veth: missing 'endpoints'"),
	E(BASE "  - {kind: bridge}\n", 11, 5, "link of kind bridge: missing 'name'"),
	E(BASE "  - {kind: tap}\n", 11, 5, "link of kind tap: missing 'name'"),
	E(BASE "  - {kind: vxlan, name: vx0}\n", 11, 5, "link of kind vxlan: missing 'vni'"),
	EN(BASE "  - {kind: geneve, name: gn0}\n", 11, 5, "link of kind geneve: missing 'vni'", 2),
	EN(BASE "  - {kind: geneve, name: gn0}\n", 11, 5, "link of kind geneve: missing 'remote'", 2),
	EN(BASE "  - {kind: vlan, name: h1:v0}\n", 11, 5, "link of kind vlan: missing 'id'", 2),
	EN(BASE "  - {kind: vlan, name: h1:v0}\n", 11, 5, "link of kind vlan: missing 'link'", 2),
	E(BASE "  - {kind: macvlan, name: h1:mv0}\n", 11, 5, "link of kind macvlan: missing 'link'"),
	E(BASE "  - {kind: ipvlan, name: h1:iv0}\n", 11, 5, "link of kind ipvlan: missing 'link'"),
	/* keys */
	E(BASE "  - {kind: veth, endpoints: [a, b], foo: 1}\n", 11, 37,
	  "unknown key 'foo' in link of kind veth (expected one of: kind, endpoints)"),
	E(BASE "  - {kind: veth, endpoints: [a, b], name: x}\n", 11, 37,
	  "key 'name' is not valid in link of kind veth (expected one of: kind, endpoints)"),
	E(BASE "  - {kind: tap, name: t0, mode: bridge}\n", 11, 27,
	  "key 'mode' is not valid in link of kind tap (expected one of: kind, name, owner, group)"),
	E(BASE "  - {kind: geneve, name: gn0, vni: 1, remote: 192.0.2.2, link: eth0}\n", 11, 58,
	  "key 'link' is not valid in link of kind geneve (expected one of: kind, name, vni, dstport, remote)"),
	E(BASE "  - {kind: dummy, name: a, name: b}\n", 11, 28, "duplicate key 'name' (first at line 11)"),
	E(BASE "  - {kind: dummy, kind: tap, name: a}\n", 11, 19, "duplicate key 'kind' (first at line 11)"),
	EN(BASE "  - {foo: 1, name: a}\n", 11, 6,
	   "unknown key 'foo' in link (expected one of: kind, name, endpoints, owner, group, vni, dstport, local, remote, link, mode, id, flags)", 2),
	EN(BASE "  - {foo: 1, name: a}\n", 11, 5, "link: missing 'kind'", 2),
	/* endpoints and names */
	E(BASE "  - {kind: veth, endpoints: a}\n", 11, 29, "endpoints: expected a sequence of two endpoints, got 'a'"),
	E(BASE "  - {kind: veth, endpoints: [a, b, c]}\n", 11, 29, "endpoints: expected exactly two endpoints, got 3"),
	E(BASE "  - {kind: veth, endpoints: []}\n", 11, 29, "endpoints: expected exactly two endpoints, got 0"),
	E(BASE "  - {kind: veth, endpoints: [a, a]}\n", 11, 33, "endpoints: both ends are 'a' (expected two distinct endpoints)"),
	E(BASE "  - {kind: veth, endpoints: [x:a, b]}\n", 11, 30,
	  "endpoints: namespace 'x' is not declared (add it under 'namespaces')"),
	E(BASE "  - {kind: veth, endpoints: [':a', b]}\n", 11, 30, "endpoints: ':a': the namespace before ':' is empty"),
	E(BASE "  - {kind: veth, endpoints: [a/b, c]}\n", 11, 30, "endpoints: 'a/b': interface name may not contain '/'"),
	E(BASE "  - {kind: veth, endpoints: [h1:a:b, c]}\n", 11, 30, "endpoints: 'a:b': interface name may not contain ':'"),
	E(BASE "  - {kind: veth, endpoints: ['h1:', c]}\n", 11, 30, "endpoints: interface name is empty"),
	E(BASE "  - {kind: veth, endpoints: [[a], c]}\n", 11, 30, "endpoints: expected NAMESPACE:IFNAME or IFNAME, got a sequence"),
	E(BASE "  - {kind: dummy, name: lo}\n", 11, 25, "name: 'lo': every namespace already has its loopback device 'lo'"),
	E(BASE "  - {kind: dummy, name: h1:lo}\n", 11, 25, "name: 'h1:lo': every namespace already has its loopback device"),
	E(BASE "  - {kind: dummy, name: h9:d0}\n", 11, 25, "name: namespace 'h9' is not declared (add it under 'namespaces')"),
	E(BASE "  - {kind: dummy, name: 0123456789abcdef}\n", 11, 25,
	  "name: '0123456789abcdef': interface name is 16 bytes, at most 15 are allowed"),
	E(BASE "  - {kind: dummy, name: {a: b}}\n", 11, 25, "name: expected NAMESPACE:IFNAME or IFNAME, got a mapping"),
	E("prefix: abcdef-\nlinks:\n  - {kind: dummy, name: 0123456789}\n", 3, 25,
	  "name: 'abcdef-0123456789': with the prefix the interface name is 17 bytes, at most 15 are allowed"),
	/* duplicate devices */
	E(BASE "  - {kind: dummy, name: sw:h1}\n", 11, 25, "device 'sw:h1' is already created by the link at line 5"),
	E(BASE "  - {kind: tap, name: h1:eth0}\n", 11, 23, "device 'h1:eth0' is already created by the link at line 5"),
	E("prefix: p-\nlinks:\n  - {kind: dummy, name: d0}\n  - {kind: bridge, name: d0}\n", 4, 26,
	  "device 'd0' is already created by the link at line 3"),
	E("links:\n  - {kind: veth, endpoints: [a, b]}\n  - {kind: veth, endpoints: [c, a]}\n", 3, 33,
	  "device 'a' is already created by the link at line 2"),
	/* numbers */
	E(BASE "  - {kind: tap, name: t0, owner: -1}\n", 11, 34, "owner: -1 is negative (expected 0..4294967294)"),
	E(BASE "  - {kind: tun, name: t0, group: 4294967295}\n", 11, 34, "group: 4294967295 is out of range (expected 0..4294967294)"),
	E(BASE "  - {kind: tap, name: t0, owner: 1e3}\n", 11, 34, "owner: '1e3' is not a decimal integer (expected 0..4294967294)"),
	E(BASE "  - {kind: tap, name: t0, owner: root}\n", 11, 34, "owner: 'root' is not a decimal integer"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 16777216}\n", 11, 35, "vni: 16777216 is out of range (expected 0..16777215)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 0x10}\n", 11, 35, "vni: '0x10' is not a decimal integer (expected 0..16777215)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 007}\n", 11, 35, "vni: '007' has a leading zero (write a plain decimal integer 0..16777215)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 99999999999999999999999}\n", 11, 35,
	  "vni: 99999999999999999999999 is out of range (expected 0..16777215)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 18446744073709551616}\n", 11, 35, "is out of range"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1.5}\n", 11, 35, "vni: '1.5' is not a decimal integer"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: ''}\n", 11, 35, "vni: '' is not a decimal integer"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: '-'}\n", 11, 35, "vni: '-' is not a decimal integer"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: ' 1'}\n", 11, 35, "vni: ' 1' is not a decimal integer"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: [1]}\n", 11, 35, "vni: expected an integer 0..16777215, got a sequence"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, dstport: 0}\n", 11, 47, "dstport: 0 is out of range (expected 1..65535)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, dstport: 65536}\n", 11, 47, "dstport: 65536 is out of range"),
	E(BASE "  - {kind: vlan, name: h1:v0, link: eth0, id: 4095}\n", 11, 47, "id: 4095 is out of range (expected 1..4094)"),
	E(BASE "  - {kind: vlan, name: h1:v0, link: eth0, id: 0}\n", 11, 47, "id: 0 is out of range (expected 1..4094)"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: eth0, mode: source}\n", 11, 53,
	  "mode: 'source': unknown macvlan mode (expected one of: private, vepa, bridge, passthru)"),
	E(BASE "  - {kind: ipvlan, name: h1:iv0, link: eth0, mode: bridge}\n", 11, 52,
	  "mode: 'bridge': unknown ipvlan mode (expected one of: l3, l3s, l2)"),
	E(BASE "  - {kind: ipvlan, name: h1:iv0, link: eth0, flags: l2}\n", 11, 53,
	  "flags: 'l2': unknown ipvlan flag (expected one of: bridge, private, vepa)"),
	E(BASE "  - {kind: ipvlan, name: h1:iv0, link: eth0, flags: [private, vepa]}\n", 11, 53,
	  "flags: expected an ipvlan flag, got a sequence"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: eth0, flags: private}\n", 11, 47,
	  "key 'flags' is not valid in link of kind macvlan (expected one of: kind, name, link, mode)"),
	/* addresses */
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, local: 192.0.2.1/24}\n", 11, 45,
	  "local: '192.0.2.1/24': expected an address without a prefix length"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, local: 239.1.1.1}\n", 11, 45,
	  "local: '239.1.1.1' is not a unicast address (expected an address of this host)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, local: 0.0.0.0}\n", 11, 45, "local: '0.0.0.0' is not a unicast address"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, local: abc}\n", 11, 45, "local: 'abc': not an IPv4 or IPv6 address"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, remote: 0.0.0.0}\n", 11, 46,
	  "remote: '0.0.0.0' is not a usable address (expected the unicast address of the other end or a multicast group)"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, remote: 255.255.255.255}\n", 11, 46, "remote: '255.255.255.255' is not a usable address"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, remote: '::'}\n", 11, 46, "remote: '::' is not a usable address"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, local: 192.0.2.1, remote: 2001:db8::2}\n", 11, 64,
	  "remote: '2001:db8::2' is IPv6 but local is IPv4"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, remote: 239.1.1.1}\n", 11, 46,
	  "remote: multicast group '239.1.1.1' needs 'link', the device to join it on"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, remote: 'ff02::1'}\n", 11, 46, "remote: multicast group 'ff02::1' needs 'link'"),
	E(BASE "  - {kind: geneve, name: gn0, vni: 1, remote: 239.1.1.1}\n", 11, 47,
	  "remote: '239.1.1.1' is a multicast address; geneve needs the unicast address of the other end"),
	E(BASE "  - {kind: geneve, name: gn0, vni: 1, remote: 192.0.2.2/32}\n", 11, 47,
	  "remote: '192.0.2.2/32': expected an address without a prefix length"),
	/* lower devices */
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: eth9}\n", 11, 41,
	  "link: no link creates 'eth9' in namespace 'h1' (the lower device must be in the same namespace)"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: mv0}\n", 11, 41,
	  "link: 'mv0' is the device itself (expected the device it sits on)"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: br0}\n", 11, 41, "link: no link creates 'br0' in namespace 'h1'"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: lo}\n", 11, 41, "link: no link creates 'lo' in namespace 'h1'"),
	E(BASE "  - {kind: vlan, name: h1:v0, link: tun0, id: 5}\n", 11, 37,
	  "link: 'tun0' is a tun device, which has no Ethernet frames for a vlan"),
	E(BASE "  - {kind: ipvlan, name: iv0, link: eth9}\n", 11, 37, "link: no link creates 'eth9' in the root namespace"),
	E(BASE "  - {kind: macvlan, name: h1:mv0, link: a/b}\n", 11, 41, "link: 'a/b': interface name may not contain '/'"),
	E(BASE "  - {kind: vxlan, name: vx0, vni: 1, link: [a]}\n", 11, 44, "link: expected the name of a device, got a sequence"),
	EN(BASE "  - {kind: macvlan, name: h1:a, link: b}\n  - {kind: macvlan, name: h1:b, link: a}\n", 11, 39,
	   "link: lower devices form a loop ('a' sits on 'b', which leads back to it)", 2),
	EN(BASE "  - {kind: macvlan, name: h1:a, link: b}\n  - {kind: macvlan, name: h1:b, link: a}\n", 12, 39,
	   "link: lower devices form a loop ('b' sits on 'a', which leads back to it)", 2),
};

static const struct err_case sysctl_cases[] = {
	E(SC1("kernel.pid_max: 5"), 4, 7, "sysctl 'kernel.pid_max': only keys under 'net.' belong to a namespace"),
	E(SC1("net/ipv4/ip_forward: 1"), 4, 7, "only keys under 'net.' belong to a namespace"),
	E(SC1("net.ipv4.a b: 1"), 4, 7, "sysctl 'net.ipv4.a b': may only contain A-Z a-z 0-9 _ . - /"),
	E(SC1("net..x: 1"), 4, 7, "sysctl 'net..x': every part between dots must be a name"),
	E(SC1("net.x.: 1"), 4, 7, "every part between dots must be a name"),
	E(SC1("net.//.x: 1"), 4, 7, "every part between dots must be a name"),
	E(SC1("net.ipv4.ip_forward: {a: 1}"), 4, 28, "net.ipv4.ip_forward: expected a value, got a mapping"),
	E(SC1("net.x: 1234567890123456789012345678901234567890123456789012345678901234"), 4, 14,
	  "net.x: the value is 64 bytes, at most 63 are allowed"),
	E(SC1("net.ipv4.ip_forward: true"), 4, 28, "net.ipv4.ip_forward: 'true' is not a sysctl value (write 1 or 0)"),
	E(SC1("net.ipv4.ip_forward: No"), 4, 28, "'No' is not a sysctl value"),
	E(SC1("net.x: \"1\\n\""), 4, 14, "net.x: the value may not contain control characters"),
	E(H1 "    sysctls:\n      net.x: 1\n      net.x: 2\n" TAIL, 5, 7, "duplicate sysctl 'net.x' (first at line 4)"),
	E(H1 "    sysctls: [a]\n" TAIL, 3, 14, "sysctls: expected a mapping of key: value, got a sequence"),
	E(H1 "    sysctls:\n      [a]: 1\n" TAIL, 4, 7, "sysctls: expected a sysctl name, got a sequence"),
};

static const struct err_case iface_cases[] = {
	E(IF1("eth9: {mtu: 1500}"), 4, 7,
	  "interface 'eth9': no link creates it in namespace 'h1' (only lo and devices made by links can be set up)"),
	E(IF1("br0: {}"), 4, 7, "interface 'br0': no link creates it in namespace 'h1'"),
	E(IF1("a/b: {}"), 4, 7, "'a/b': interface name may not contain '/'"),
	E(IF1("[a]: {}"), 4, 7, "interfaces: expected an interface name, got a sequence"),
	E(H1 "    interfaces:\n      eth0:\n      eth0:\n" TAIL, 5, 7, "duplicate interface 'eth0' (first at line 4)"),
	E(H1 "    interfaces: [eth0]\n" TAIL, 3, 17, "interfaces: expected a mapping, got a sequence"),
	E(IF1("eth0: 5"), 4, 13, "interface 'eth0': expected a mapping (addresses, mtu, mac, master, up), got '5'"),
	E(IF1("eth0: {speed: 10}"), 4, 14,
	  "unknown key 'speed' in interface 'eth0' (expected one of: addresses, mtu, mac, master, up)"),
	E(IF1("eth0: {mtu: 1500, mtu: 1400}"), 4, 25, "duplicate key 'mtu' (first at line 4)"),
	/* the settings of an undeclared interface are still checked */
	EN(IF1("eth9: {mtu: 1}"), 4, 19, "mtu: 1 is out of range", 2),
	/* addresses */
	E(IF1("eth0: {addresses: 192.0.2.1/24}"), 4, 25,
	  "addresses: expected a sequence of ADDRESS/PREFIX, got '192.0.2.1/24'"),
	E(IF1("eth0: {addresses: [192.0.2.1]}"), 4, 26,
	  "addresses: '192.0.2.1': missing prefix length (expected ADDRESS/PREFIX, e.g. 192.0.2.1/24)"),
	E(IF1("eth0: {addresses: [192.0.2.1/33]}"), 4, 26, "addresses: '192.0.2.1/33': prefix length must be 0..32"),
	E(IF1("eth0: {addresses: [10.0.0.1/8, 2001:db8::1/200]}"), 4, 38,
	  "addresses: '2001:db8::1/200': prefix length must be 0..128"),
	E(IF1("eth0: {addresses: [192.0.2.1/024]}"), 4, 26, "prefix length may not have leading zeros"),
	E(IF1("eth0: {addresses: [224.0.0.1/24]}"), 4, 26, "addresses: '224.0.0.1/24' is not a unicast address"),
	E(IF1("eth0: {addresses: ['0.0.0.0/0']}"), 4, 26, "addresses: '0.0.0.0/0' is not a unicast address"),
	E(IF1("eth0: {addresses: ['ff02::1/64']}"), 4, 26, "is not a unicast address"),
	E(IF1("eth0: {addresses: [192.0.2.1/24, 192.0.2.1/16]}"), 4, 40,
	  "addresses: '192.0.2.1/16' is already on interface 'eth0'"),
	E(IF1("eth0: {addresses: [{a: 1}]}"), 4, 26, "addresses: expected ADDRESS/PREFIX, got a mapping"),
	/* mtu */
	E(IF1("eth0: {mtu: 67}"), 4, 19, "mtu: 67 is out of range (expected 68..65535)"),
	E(IF1("eth0: {mtu: 65536}"), 4, 19, "mtu: 65536 is out of range (expected 68..65535)"),
	E(IF1("eth0: {mtu: abc}"), 4, 19, "mtu: 'abc' is not a decimal integer (expected 68..65535)"),
	E(IF1("eth0: {mtu: 1500.0}"), 4, 19, "mtu: '1500.0' is not a decimal integer"),
	E(IF1("eth0: {mtu: +1500}"), 4, 19, "mtu: '+1500' is not a decimal integer"),
	E(IF1("eth0: {mtu: 1_500}"), 4, 19, "mtu: '1_500' is not a decimal integer"),
	E(IF1("eth0: {mtu: 01500}"), 4, 19, "mtu: '01500' has a leading zero"),
	E(IF1("eth0: {mtu: -1500}"), 4, 19, "mtu: -1500 is negative (expected 68..65535)"),
	E(IF1("eth0: {mtu: [1]}"), 4, 19, "mtu: expected an integer 68..65535, got a sequence"),
	E(H1 "    interfaces:\n      eth0:\n        mtu:\n        up: yes\n" TAIL, 5, 13,
	  "mtu: expected an integer 68..65535, got an empty value"),
	/* mac */
	E(IF1("eth0: {mac: 02:00:00:00:00}"), 4, 19,
	  "mac: '02:00:00:00:00': not a MAC address (expected six hex pairs like 02:00:00:00:00:01)"),
	E(IF1("eth0: {mac: -2:0:0:0:0:1}"), 4, 19,
	  "mac: '-2:0:0:0:0:1': not a MAC address (expected six hex pairs like 02:00:00:00:00:01)"),
	E(IF1("eth0: {mac: 01:00:5e:00:00:01}"), 4, 19,
	  "mac: '01:00:5e:00:00:01' is a multicast address (the low bit of the first byte must be clear)"),
	E(IF1("eth0: {mac: ff:ff:ff:ff:ff:ff}"), 4, 19, "is a multicast address"),
	E(IF1("eth0: {mac: 00:00:00:00:00:00}"), 4, 19, "mac: '00:00:00:00:00:00' is all zeros"),
	E(IF1("tun0: {mac: 02:00:00:00:00:01}"), 4, 19, "mac: 'tun0' is a tun device, which has no MAC address"),
	/* up */
	E(IF1("eth0: {up: maybe}"), 4, 18, "up: expected true, false, yes or no, got 'maybe'"),
	E(IF1("eth0: {up: 1}"), 4, 18, "up: expected true, false, yes or no, got '1'"),
	E(IF1("eth0: {up: on}"), 4, 18, "got 'on'"),
	/* master */
	E(IFSW("h1: {master: d0}"), 5, 20, "master: 'd0' is a dummy, not a bridge"),
	E(IFSW("h1: {master: h1x}"), 5, 20, "master: no link creates 'h1x' in namespace 'sw' (expected a bridge there)"),
	E(IFSW("br0: {master: br0}"), 5, 21, "master: 'br0' is the interface itself (expected a bridge)"),
	E(IFSW("br1: {master: br0}"), 5, 21, "master: 'br1' is a bridge itself, and bridges do not nest"),
	E(IFSW("lo: {master: br0}"), 5, 20, "master: the loopback device 'lo' cannot be a bridge port"),
	E(IFSW("h1: {master: a/b}"), 5, 20, "master: 'a/b': interface name may not contain '/'"),
	E(IFSW("h1: {master: ''}"), 5, 20, "master: interface name is empty"),
	E(IF1("tun0: {master: hbr}"), 4, 22, "master: 'tun0' is a tun device, which has no Ethernet frames to bridge"),
	E(IF1("eth0: {master: br0}"), 4, 22, "master: no link creates 'br0' in namespace 'h1'"),
};

static const struct err_case route_cases[] = {
	E(H1 "    routes: {to: default}\n" TAIL, 3, 13, "routes: expected a sequence, got a mapping"),
	E(RT1("x"), 4, 9, "route: expected a mapping (to, via, dev, metric), got 'x'"),
	E(RT1("{via: 192.0.2.254}"), 4, 9, "route: missing 'to'"),
	E(RT1("{to: default}"), 4, 9, "route: missing 'via' or 'dev' (a route needs at least one)"),
	E(RT1("{to: default, dev: eth0, table: 5}"), 4, 34,
	  "unknown key 'table' in route (expected one of: to, via, dev, metric)"),
	E(RT1("{to: 10.0.0.0/33, dev: eth0}"), 4, 14, "to: '10.0.0.0/33': prefix length must be 0..32"),
	E(RT1("{to: 10.0.0.0, dev: eth0}"), 4, 14, "to: '10.0.0.0': missing prefix length"),
	E(RT1("{to: Default, dev: eth0}"), 4, 14, "to: 'Default': not an IPv4 or IPv6 address"),
	E(RT1("{to: 10.1.2.3/8, dev: eth0}"), 4, 14, "to: '10.1.2.3/8' has host bits set (the network is 10.0.0.0/8)"),
	E(RT1("{to: 192.0.2.1/31, dev: eth0}"), 4, 14, "(the network is 192.0.2.0/31)"),
	E(RT1("{to: 2001:db8::1/64, dev: eth0}"), 4, 14, "has host bits set (the network is 2001:db8::/64)"),
	E(RT1("{to: [a], dev: eth0}"), 4, 14, "to: expected 'default' or ADDRESS/PREFIX, got a sequence"),
	E(RT1("{to: default, via: 192.0.2.254/24}"), 4, 28,
	  "via: '192.0.2.254/24': expected an address without a prefix length"),
	E(RT1("{to: default, via: 224.0.0.1}"), 4, 28, "via: '224.0.0.1' is not a unicast address (a gateway must be one)"),
	E(RT1("{to: default, via: 0.0.0.0}"), 4, 28, "is not a unicast address"),
	E(RT1("{to: default, via: gw}"), 4, 28, "via: 'gw': not an IPv4 or IPv6 address"),
	E(RT1("{to: 10.0.0.0/8, via: 2001:db8::1}"), 4, 31, "via: '2001:db8::1' is IPv6 but 'to' is IPv4"),
	E(RT1("{to: 2001:db8::/32, via: 192.0.2.1}"), 4, 34, "via: '192.0.2.1' is IPv4 but 'to' is IPv6"),
	E(RT1("{to: default, dev: eth9}"), 4, 28, "dev: no link or VF creates 'eth9' in namespace 'h1'"),
	E(RT1("{to: default, dev: br0}"), 4, 28, "dev: no link or VF creates 'br0' in namespace 'h1'"),
	E(RT1("{to: default, dev: a/b}"), 4, 28, "dev: 'a/b': interface name may not contain '/'"),
	E(RT1("{to: default, dev: eth0, metric: 4294967296}"), 4, 42,
	  "metric: 4294967296 is out of range (expected 0..4294967295)"),
	E(H1 "    routes:\n      - {to: default, dev: eth0}\n      - {to: 0.0.0.0/0, via: 192.0.2.1}\n" TAIL,
	  5, 9, "route: a route to 0.0.0.0/0 with metric 0 is already at line 4"),
	E(H1 "    routes:\n      - {to: default, via: '2001:db8::1'}\n      - {to: '::/0', dev: eth0}\n" TAIL,
	  5, 9, "route: a route to ::/0 with metric 0 is already at line 4"),
};


static void test_errors_top(void **state)
{
	(void)state;
	check_cases(top_cases, ARRAY_SIZE(top_cases));
}

static void test_errors_yaml(void **state)
{
	(void)state;
	check_cases(yaml_cases, ARRAY_SIZE(yaml_cases));
}

static void test_errors_ns(void **state)
{
	(void)state;
	check_cases(ns_cases, ARRAY_SIZE(ns_cases));
}

static void test_errors_links(void **state)
{
	(void)state;
	check_cases(link_cases, ARRAY_SIZE(link_cases));
}

static void test_errors_sysctls(void **state)
{
	char text[512], key[129];
	struct err_case ec = { text, 4, 7, "is 128 bytes, at most 127 are allowed", 1 };
	struct wr_lab *lab;

	(void)state;
	check_cases(sysctl_cases, ARRAY_SIZE(sysctl_cases));
	/* 127 bytes is the longest key; 128 is one too many. */
	memset(key, 'a', sizeof(key) - 1);
	memcpy(key, "net.", 4);
	key[127] = '\0';
	snprintf(text, sizeof(text), SC1("%s: 1"), key);
	lab = parse_ok(text);
	assert_int_equal(strlen(lab->ns[0].sysctls[0].key), 127);
	wr_lab_free(lab);
	key[127] = 'a';
	key[128] = '\0';
	snprintf(text, sizeof(text), SC1("%s: 1"), key);
	check_cases(&ec, 1);
}

static void test_errors_ifaces(void **state)
{
	(void)state;
	check_cases(iface_cases, ARRAY_SIZE(iface_cases));
}

static void test_errors_routes(void **state)
{
	(void)state;
	check_cases(route_cases, ARRAY_SIZE(route_cases));
}

/* Errors of all passes, reported in file order whatever pass found them. */
static void test_error_order(void **state)
{
	static const struct {
		unsigned int line, col;
		const char *msg;
	} want[] = {
		{ 4, 7, "interface 'eth9': no link creates it" },
		{ 5, 5, "unknown key 'foo' in namespace 'h1'" },
		{ 6, 3, "'h 2': namespace name may not contain ' '" },
		{ 8, 32, "unknown key 'x' in link of kind dummy" },
		{ 9, 39, "link: no link creates 'nope' in namespace 'h1'" },
		{ 10, 9, "prefix: 'a b': prefix may not contain ' '" },
	};
	struct wr_lab *lab;
	size_t i;

	(void)state;
	lab = parse("namespaces:\n"
		    "  h1:\n"
		    "    interfaces:\n"
		    "      eth9: {}\n"
		    "    foo: 1\n"
		    "  \"h 2\":\n"
		    "links:\n"
		    "  - {kind: dummy, name: h1:d0, x: 1}\n"
		    "  - {kind: macvlan, name: h1:m, link: nope}\n"
		    "prefix: \"a b\"\n");
	if (lab->n_errors != ARRAY_SIZE(want))
		print_errors(lab);
	assert_int_equal(lab->n_errors, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(lab->errors[i].pos.line, want[i].line);
		assert_int_equal(lab->errors[i].pos.col, want[i].col);
		assert_non_null(strstr(lab->errors[i].msg, want[i].msg));
	}
	wr_lab_free(lab);
}

static void test_error_cap(void **state)
{
	struct text t = { NULL, 0, 0 };
	struct wr_lab *lab;
	size_t i;

	(void)state;
	for (i = 0; i < 150; i++)
		text_add(&t, "k%zu: 1\n", i);
	lab = parse(t.s);
	assert_int_equal(lab->n_errors, 100);
	for (i = 0; i < 99; i++) {
		assert_int_equal(lab->errors[i].pos.line, i + 1);
		assert_non_null(strstr(lab->errors[i].msg, "unknown key"));
	}
	assert_int_equal(lab->errors[99].pos.line, 100);
	assert_string_equal(lab->errors[99].msg, "too many errors: 51 more not shown");
	wr_lab_free(lab);

	/*
	 * Links (checked before interfaces) fill the list; the interface
	 * errors found later but earlier in the file still come first.
	 */
	t.len = 0;
	text_add(&t, "namespaces:\n  h1:\n    interfaces:\n");
	for (i = 0; i < 10; i++)
		text_add(&t, "      e%zu:\n", i);		/* lines 4..13 */
	text_add(&t, "links:\n");
	for (i = 0; i < 120; i++)
		text_add(&t, "  - {kind: nope}\n");		/* lines 15..134 */
	lab = parse(t.s);
	assert_int_equal(lab->n_errors, 100);
	for (i = 0; i < 10; i++) {
		assert_int_equal(lab->errors[i].pos.line, 4 + i);
		assert_non_null(strstr(lab->errors[i].msg, "no link creates it"));
	}
	for (i = 10; i < 99; i++) {
		assert_int_equal(lab->errors[i].pos.line, 15 + i - 10);
		assert_non_null(strstr(lab->errors[i].msg, "unknown link kind"));
	}
	assert_int_equal(lab->errors[99].pos.line, 15 + 89);
	assert_string_equal(lab->errors[99].msg, "too many errors: 31 more not shown");
	wr_lab_free(lab);
	free(t.s);
}

/* Over each bound: one error at the first entry too many, none before. */
static void test_limits(void **state)
{
	struct text t = { NULL, 0, 0 };
	struct wr_lab *lab;
	size_t i;

	(void)state;
	text_add(&t, "namespaces:\n");
	for (i = 0; i < 1025; i++)
		text_add(&t, "  n%zu:\n", i);
	lab = parse(t.s);
	assert_int_equal(lab->n_ns, 1024);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 1026);
	assert_int_equal(lab->errors[0].pos.col, 3);
	assert_string_equal(lab->errors[0].msg, "namespaces: too many namespaces (at most 1024)");
	wr_lab_free(lab);

	t.len = 0;
	text_add(&t, "links:\n");
	for (i = 0; i < 4097; i++)
		text_add(&t, "  - {kind: dummy, name: d%zu}\n", i);
	lab = parse(t.s);
	assert_int_equal(lab->n_links, 4096);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 4098);
	assert_int_equal(lab->errors[0].pos.col, 5);
	assert_string_equal(lab->errors[0].msg, "links: too many links (at most 4096)");
	wr_lab_free(lab);

	t.len = 0;
	text_add(&t, "namespaces:\n  h1:\n    interfaces:\n      lo:\n        addresses:\n");
	for (i = 0; i < 257; i++)
		text_add(&t, "          - 10.0.%zu.%zu/32\n", i / 256, i % 256);
	lab = parse(t.s);
	assert_int_equal(lab->ns[0].ifaces[0].n_addrs, 256);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 6 + 256);
	assert_int_equal(lab->errors[0].pos.col, 13);
	assert_string_equal(lab->errors[0].msg, "addresses: too many on interface 'lo' (at most 256)");
	wr_lab_free(lab);

	t.len = 0;
	text_add(&t, "namespaces:\n  h1:\n    routes:\n");
	for (i = 0; i < 1025; i++)
		text_add(&t, "      - {to: 10.%zu.%zu.0/24, dev: lo}\n", i / 256, i % 256);
	lab = parse(t.s);
	assert_int_equal(lab->ns[0].n_routes, 1024);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 4 + 1024);
	assert_int_equal(lab->errors[0].pos.col, 9);
	assert_string_equal(lab->errors[0].msg, "routes: too many in namespace 'h1' (at most 1024)");
	wr_lab_free(lab);

	t.len = 0;
	text_add(&t, "namespaces:\n  h1:\n    sysctls:\n");
	for (i = 0; i < 257; i++)
		text_add(&t, "      net.x%zu: 1\n", i);
	lab = parse(t.s);
	assert_int_equal(lab->ns[0].n_sysctls, 256);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 4 + 256);
	assert_int_equal(lab->errors[0].pos.col, 7);
	assert_string_equal(lab->errors[0].msg, "sysctls: too many in namespace 'h1' (at most 256)");
	wr_lab_free(lab);

	t.len = 0;
	text_add(&t, "namespaces:\n  h1:\n    interfaces:\n");
	for (i = 0; i < 1025; i++)
		text_add(&t, "      d%zu:\n", i);
	text_add(&t, "links:\n");
	for (i = 0; i < 1025; i++)
		text_add(&t, "  - {kind: dummy, name: h1:d%zu}\n", i);
	lab = parse(t.s);
	assert_int_equal(lab->ns[0].n_ifaces, 1024);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 4 + 1024);
	assert_int_equal(lab->errors[0].pos.col, 7);
	assert_string_equal(lab->errors[0].msg, "interfaces: too many in namespace 'h1' (at most 1024)");
	wr_lab_free(lab);
	free(t.s);
}

/* Deep nesting is refused at the first level too many, not read for minutes. */
static void test_depth_limit(void **state)
{
	char text[256];
	struct wr_lab *lab;
	size_t n;

	(void)state;
	/* The top-level mapping is one level: 31 '[' make 32, still read. */
	for (n = 31; n <= 32; n++) {
		snprintf(text, sizeof(text), "a: %.*s%.*s\n", (int)n,
			 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", (int)n,
			 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
		lab = parse(text);
		assert_int_equal(lab->n_errors, 1);
		if (n == 31) {
			assert_non_null(strstr(lab->errors[0].msg, "unknown key 'a'"));
		} else {
			assert_int_equal(lab->errors[0].pos.line, 1);
			assert_int_equal(lab->errors[0].pos.col, 35);
			assert_string_equal(lab->errors[0].msg,
					    "nested more than 32 levels deep (a lab needs 6)");
		}
		wr_lab_free(lab);
	}
}

static void test_size_limit(void **state)
{
	size_t big = 1024 * 1024;
	struct wr_lab *lab;
	char *buf;

	(void)state;
	buf = malloc(big + 1);
	assert_non_null(buf);
	memset(buf, ' ', big + 1);
	buf[0] = '#';
	buf[big - 1] = '\n';
	/* Exactly 1 MiB is read (and is an empty lab: only a comment). */
	lab = wr_lab_parse("big", buf, big);
	assert_non_null(lab);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 1);
	assert_non_null(strstr(lab->errors[0].msg, "the lab file is empty"));
	wr_lab_free(lab);

	lab = wr_lab_parse("big", buf, big + 1);
	assert_non_null(lab);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 0);
	assert_int_equal(lab->errors[0].pos.col, 0);
	assert_string_equal(lab->errors[0].msg, "the file is 1048577 bytes, at most 1048576 are accepted");
	wr_lab_free(lab);
	free(buf);

	lab = wr_lab_parse(NULL, NULL, 0);
	assert_non_null(lab);
	assert_string_equal(lab->file, "");
	assert_int_equal(lab->n_errors, 1);
	wr_lab_free(lab);
}

/* ---------------------------------------------------------------- load */

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/test_labfile.XXXXXX", path[64];
	struct wr_lab *lab;
	char *big;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lab.yaml", dir);

	write_file(path, full_lab, strlen(full_lab));
	lab = wr_lab_load(path);
	assert_non_null(lab);
	assert_int_equal(lab->n_errors, 0);
	assert_string_equal(lab->file, path);
	assert_int_equal(lab->n_links, 11);
	wr_lab_free(lab);

	write_file(path, "links: x\n", 9);
	lab = wr_lab_load(path);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 1);
	assert_int_equal(lab->errors[0].pos.col, 8);
	wr_lab_free(lab);

	big = calloc(1, 1024 * 1024 + 1);
	assert_non_null(big);
	write_file(path, big, 1024 * 1024 + 1);
	free(big);
	lab = wr_lab_load(path);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 0);
	assert_string_equal(lab->errors[0].msg, "the file is 1048577 bytes, at most 1048576 are accepted");
	wr_lab_free(lab);
	unlink(path);

	lab = wr_lab_load(path);
	assert_non_null(lab);
	assert_string_equal(lab->file, path);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 0);
	assert_int_equal(lab->errors[0].pos.col, 0);
	assert_string_equal(lab->errors[0].msg, "cannot open: No such file or directory");
	assert_int_equal(lab->n_ns + lab->n_links, 0);
	wr_lab_free(lab);

	lab = wr_lab_load(dir);
	assert_int_equal(lab->n_errors, 1);
	assert_string_equal(lab->errors[0].msg, "cannot read: Is a directory");
	wr_lab_free(lab);
	rmdir(dir);

	/* Not a regular file, so its size is learned by reading. */
	lab = wr_lab_load("/dev/zero");
	assert_int_equal(lab->n_errors, 1);
	assert_string_equal(lab->errors[0].msg,
			    "the file is more than 1048576 bytes, at most 1048576 are accepted");
	wr_lab_free(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_lab),
		cmocka_unit_test(test_empty_labs),
		cmocka_unit_test(test_empty_bodies),
		cmocka_unit_test(test_scalar_forms),
		cmocka_unit_test(test_routes_ok),
		cmocka_unit_test(test_run_ok),
		cmocka_unit_test(test_ipvlan_ok),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_errors_top),
		cmocka_unit_test(test_errors_yaml),
		cmocka_unit_test(test_errors_ns),
		cmocka_unit_test(test_errors_links),
		cmocka_unit_test(test_errors_sysctls),
		cmocka_unit_test(test_errors_ifaces),
		cmocka_unit_test(test_errors_routes),
		cmocka_unit_test(test_error_order),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
