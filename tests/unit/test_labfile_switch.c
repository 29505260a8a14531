/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_labfile_switch.c - the lab file's `switch:` section: a full one lands
 * in struct wr_lab_switch as expected, defaults are what docs/labfile.md
 * says, and every error is reported alone at its exact line:column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "wr_control.h"

#include "labtest.h"

static const char full_switch[] =
	"prefix: t1-\n"						/* 1 */
	"namespaces:\n"
	"  h1:\n"
	"  h2:\n"
	"  sw:\n"						/* 5 */
	"links:\n"
	"  - kind: veth\n"
	"    endpoints: [h1:eth0, sw:p1]\n"
	"  - kind: veth\n"
	"    endpoints: [h2:eth0, sw:p2]\n"			/* 10 */
	"  - {kind: tap, name: sw:tap0}\n"
	"  - {kind: veth, endpoints: [up0, sw:up]}\n"
	"switch:\n"
	"  name: lab1\n"
	"  cores: [1, \"3-4\"]\n"				/* 15 */
	"  aging: 60\n"
	"  vlans: {10: 100, 20: 20}\n"
	"  ports:\n"
	"    - dev: sw:p1\n"
	"      name: a1\n"					/* 20 */
	"      access: 10\n"
	"      learning: false\n"
	"      mac_limit: 5\n"
	"    - {dev: sw:p2, bd: 2, queue: 1, zerocopy: \"off\", umem: own, fastpath: tc}\n"
	"    - {dev: sw:tap0, trunk: [10, \"20-29\"], native: 1, fastpath: off}\n"	/* 25 */
	"    - {dev: up0, type: afxdp, trunk: 7, learning: yes, fastpath: xdp}\n";

static void test_full_switch(void **state)
{
	const struct wr_lab_switch *sw;
	const struct wr_port_req *pc;
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok(full_switch);
	sw = &lab->sw;
	assert_true(sw->present);
	assert_string_equal(sw->name, "t1-lab1");
	assert_int_equal(sw->pos.line, 14);
	assert_int_equal(sw->n_cores, 2);
	assert_int_equal(sw->cores[0].lo, 1);
	assert_int_equal(sw->cores[0].hi, 1);
	assert_int_equal(sw->cores[1].lo, 3);
	assert_int_equal(sw->cores[1].hi, 4);
	assert_int_equal(sw->age_s, 60);
	assert_int_equal(sw->n_vlans, 2);
	assert_int_equal(sw->vlans[0].vlan, 10);
	assert_int_equal(sw->vlans[0].bd, 100);
	assert_int_equal(sw->vlans[0].pos.line, 17);
	assert_int_equal(sw->vlans[0].pos.col, 11);
	assert_int_equal(sw->vlans[1].vlan, 20);
	assert_int_equal(sw->vlans[1].bd, 20);
	assert_int_equal(sw->n_ports, 4);

	pc = &sw->ports[0].conf;
	assert_int_equal(sw->ports[0].pos.line, 19);
	assert_int_equal(sw->ports[0].pos.col, 7);
	assert_string_equal(pc->name, "a1");
	assert_string_equal(pc->dev.netns, "t1-sw");
	assert_string_equal(pc->dev.ifname, "p1");
	assert_int_equal(pc->type, WR_PORT_AFXDP);
	assert_int_equal(pc->vlan_mode, WR_VLAN_ACCESS);
	assert_int_equal(pc->access_vlan, 10);
	assert_int_equal(pc->bd, -1);
	assert_int_equal(pc->learning, 0);
	assert_int_equal(pc->mac_limit, 5);
	assert_int_equal(pc->queue, -1);
	assert_int_equal(pc->zerocopy, -1);
	assert_int_equal(pc->umem, -1);
	assert_int_equal(pc->fastpath, -1);
	assert_false(pc->has_allowed);

	/* The name defaults to the device's, as written. */
	pc = &sw->ports[1].conf;
	assert_string_equal(pc->name, "p2");
	assert_int_equal(pc->vlan_mode, WR_VLAN_NONE);
	assert_int_equal(pc->bd, 2);
	assert_int_equal(pc->queue, 1);
	assert_int_equal(pc->zerocopy, WR_ZEROCOPY_OFF);
	assert_int_equal(pc->umem, WR_UMEM_OWN);
	assert_int_equal(pc->fastpath, WR_FASTPATH_TC);
	assert_int_equal(pc->learning, -1);
	assert_int_equal(pc->mac_limit, -1);

	/* A tap device makes a tap port unless told otherwise. */
	pc = &sw->ports[2].conf;
	assert_string_equal(pc->name, "tap0");
	assert_int_equal(pc->type, WR_PORT_TAP);
	assert_int_equal(pc->vlan_mode, WR_VLAN_TRUNK);
	assert_true(pc->has_allowed);
	assert_int_equal(pc->n_allowed, 2);
	assert_int_equal(pc->allowed[0].lo, 10);
	assert_int_equal(pc->allowed[0].hi, 10);
	assert_int_equal(pc->allowed[1].lo, 20);
	assert_int_equal(pc->allowed[1].hi, 29);
	assert_int_equal(pc->native_vlan, 1);
	assert_int_equal(pc->fastpath, WR_FASTPATH_OFF);	/* a tap port may say off */

	/* A root device: its real name carries the prefix, the port's does not. */
	pc = &sw->ports[3].conf;
	assert_string_equal(pc->name, "up0");
	assert_string_equal(pc->dev.netns, "");
	assert_string_equal(pc->dev.ifname, "t1-up0");
	assert_int_equal(pc->n_allowed, 1);
	assert_int_equal(pc->allowed[0].lo, 7);
	assert_int_equal(pc->learning, 1);
	assert_int_equal(pc->fastpath, WR_FASTPATH_XDP);
	wr_lab_free(lab);
}

/* dpdk ports and the EAL's arguments; the lab's prefix reaches the namespace only. */
static const char dpdk_switch[] =
	"prefix: t1-\n"						/* 1 */
	"namespaces: {h1: , sw: }\n"
	"links:\n"
	"  - {kind: veth, endpoints: [h1:eth0, sw:p1]}\n"
	"switch:\n"						/* 5 */
	"  fastpath: tc\n"
	"  dpdk:\n"
	"    args: [--no-huge, -m, 512, \"--file-prefix=t1\"]\n"
	"  ports:\n"
	"    - {type: dpdk, name: d0, devargs: 'net_tap0,iface=dt1', netns: sw, bd: 3}\n" /* 10 */
	"    - type: dpdk\n"
	"      name: d1\n"
	"      devargs: \"0000:03:00.0\"\n"
	"      fastpath: off\n"
	"      learning: false\n"					/* 15 */
	"    - {type: dpdk, name: d2, devargs: net_tap01}\n"
	"    - {dev: sw:p1}\n";

static void test_dpdk(void **state)
{
	const struct wr_lab_switch *sw;
	const struct wr_port_req *pc;
	struct json_object *o;
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok(dpdk_switch);
	sw = &lab->sw;
	assert_string_equal(sw->dpdk_args, "--no-huge -m 512 --file-prefix=t1");
	assert_int_equal(sw->n_ports, 4);

	pc = &sw->ports[0].conf;
	assert_int_equal(sw->ports[0].pos.line, 10);
	assert_string_equal(pc->name, "d0");
	assert_int_equal(pc->type, WR_PORT_DPDK);
	assert_string_equal(pc->devargs, "net_tap0,iface=dt1");
	assert_string_equal(pc->dev.netns, "t1-sw");
	assert_string_equal(pc->dev.ifname, "");
	/* The switch's fast path is for afxdp ports: a dpdk port has none. */
	assert_int_equal(pc->fastpath, -1);
	o = wr_port_req_json(pc, true);
	assert_non_null(o);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"name\":\"d0\",\"type\":\"dpdk\",\"netns\":\"t1-sw\","
			    "\"devargs\":\"net_tap0,iface=dt1\",\"bd\":3,\"vlan_mode\":\"none\"}");
	json_object_put(o);

	pc = &sw->ports[1].conf;
	assert_string_equal(pc->devargs, "0000:03:00.0");
	assert_string_equal(pc->dev.netns, "");
	assert_int_equal(pc->fastpath, WR_FASTPATH_OFF);
	assert_int_equal(pc->learning, 0);
	/* Another device, though its name starts like d0's. */
	assert_string_equal(sw->ports[2].conf.devargs, "net_tap01");
	assert_int_equal(sw->ports[3].conf.type, WR_PORT_AFXDP);
	assert_int_equal(sw->ports[3].conf.fastpath, WR_FASTPATH_TC);
	assert_string_equal(sw->ports[3].conf.devargs, "");
	wr_lab_free(lab);

	/* No dpdk section: no arguments. */
	lab = parse_ok("switch: {ports: []}\n");
	assert_string_equal(lab->sw.dpdk_args, "");
	wr_lab_free(lab);
}

/* `dpdk: args` joined come to WR_DPDK_ARGS_MAX bytes at most. */
static void test_dpdk_args_max(void **state)
{
	char text[2 * WR_DPDK_ARGS_MAX], arg[102];
	struct wr_lab *lab;
	size_t o;

	(void)state;
	memset(arg, 'x', 101);
	arg[101] = '\0';
	/* Ten of 101 bytes, nine blanks, then one of 3: 1023 bytes in all. */
	o = (size_t)snprintf(text, sizeof(text), "switch:\n  dpdk:\n    args:\n");
	for (int i = 0; i < 10; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "      - %s\n", arg);
	snprintf(text + o, sizeof(text) - o, "      - abc\n");
	lab = parse_ok(text);
	assert_int_equal(strlen(lab->sw.dpdk_args), WR_DPDK_ARGS_MAX);
	wr_lab_free(lab);
	/* One byte more. */
	snprintf(text + o, sizeof(text) - o, "      - abcd\n");
	lab = parse(text);
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 14);
	assert_int_equal(lab->errors[0].pos.col, 9);
	assert_non_null(strstr(lab->errors[0].msg, "args: with 'abcd' the arguments come to more than 1023 bytes"));
	assert_string_equal(lab->sw.dpdk_args, "");
	wr_lab_free(lab);
}

static void test_defaults(void **state)
{
	static const struct {
		const char *file, *text, *name;
	} cases[] = {
		{ "t.yaml", "switch:\n", "t" },
		{ "t.yaml", "switch: {}\n", "t" },
		{ "t.yaml", "prefix: p-\nswitch: ~\n", "p-t" },
		{ "dir/my.lab.yml", "switch:\n", "my.lab" },
		{ "/x/switch-3.yaml", "prefix: wr1-\nswitch: {ports: []}\n", "wr1-switch-3" },
		{ "lab", "switch: {vlans: {}}\n", "lab" },
		{ "", "switch:\n", "lab" },
		{ "dir/.yaml", "switch:\n", "lab" },
	};
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces: {}\n");
	assert_false(lab->sw.present);
	wr_lab_free(lab);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		lab = wr_lab_parse(cases[i].file, cases[i].text, strlen(cases[i].text));
		assert_non_null(lab);
		if (lab->n_errors) {
			print_errors(lab);
			fail_msg("case %zu", i);
		}
		assert_true(lab->sw.present);
		assert_string_equal(lab->sw.name, cases[i].name);
		assert_int_equal(lab->sw.age_s, -1);
		assert_int_equal(lab->sw.n_cores, 0);
		assert_int_equal(lab->sw.n_ports, 0);
		assert_int_equal(lab->sw.n_vlans, 0);
		wr_lab_free(lab);
	}
}

/* A name the file gives that is no instance name; one too long with the prefix. */
static void test_bad_lab_names(void **state)
{
	struct wr_lab *lab;
	const char *text = "switch:\n  ports: []\n";

	(void)state;
	lab = wr_lab_parse("a b.yaml", text, strlen(text));
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 2);
	assert_int_equal(lab->errors[0].pos.col, 3);
	assert_non_null(strstr(lab->errors[0].msg, "switch: 'a b', the lab's name, is not an instance name"));
	assert_non_null(strstr(lab->errors[0].msg, "give 'name'"));
	wr_lab_free(lab);
	text = "prefix: abcdefghijabcdefghij-\nswitch: {name: abcdefghijk}\n";
	lab = wr_lab_parse("t.yaml", text, strlen(text));
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 2);
	assert_int_equal(lab->errors[0].pos.col, 16);
	assert_non_null(strstr(lab->errors[0].msg, "name: with the prefix, 'abcdefghijabcdefghij-abcdefghijk': switch name is 32 bytes"));
	wr_lab_free(lab);
}

/* ------------------------------------------------------------------ errors */

/*
 * Bases: namespaces h1 and sw, links making sw:p1, sw:p2, sw:tap0, sw:tun0
 * and sw:p@1 (lines 1..9), then `switch:` on line 10. SW1 adds one line to
 * the switch (line 11); PORT one port (line 12, after `ports:`), PORT2 two.
 */
#define SBASE "namespaces:\n  h1:\n  sw:\nlinks:\n" \
	"  - {kind: veth, endpoints: [h1:eth0, sw:p1]}\n" \
	"  - {kind: veth, endpoints: [h1:eth1, sw:p2]}\n" \
	"  - {kind: tap, name: sw:tap0}\n" \
	"  - {kind: tun, name: sw:tun0}\n" \
	"  - {kind: veth, endpoints: [h1:eth2, 'sw:p@1']}\n" \
	"switch:\n"
#define SW1(line) SBASE "  " line "\n"
#define PORT(line) SBASE "  ports:\n    - " line "\n"
#define PORT2(a, b) SBASE "  ports:\n    - " a "\n    - " b "\n"

/*
 * The switch's fastpath: the mode of every afxdp port that names none; tap
 * and dpdk ports have none.
 */
static void test_switch_fastpath(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok(SBASE "  fastpath: tc\n  ports:\n    - {dev: sw:p1}\n"
		       "    - {dev: sw:p2, fastpath: xdp}\n    - {dev: sw:tap0}\n"
		       "    - {type: dpdk, name: d0, devargs: net_tap0}\n");
	assert_int_equal(lab->sw.n_ports, 4);
	assert_int_equal(lab->sw.ports[0].conf.fastpath, WR_FASTPATH_TC);
	assert_int_equal(lab->sw.ports[1].conf.fastpath, WR_FASTPATH_XDP);
	assert_int_equal(lab->sw.ports[2].conf.fastpath, -1);
	assert_int_equal(lab->sw.ports[3].conf.fastpath, -1);
	wr_lab_free(lab);
}

static const struct err_case switch_cases[] = {
	E("switch: [a]\n", 1, 9, "switch: expected a mapping (name, cores, aging, fastpath, dpdk, vlans, ports, tunnels, steer, chains, mirrors), got a sequence"),
	E("switch: x\n", 1, 9, "switch: expected a mapping (name, cores, aging, fastpath, dpdk, vlans, ports, tunnels, steer, chains, mirrors), got 'x'"),
	E(SW1("name: 'a b'"), 11, 9, "name: 'a b': switch name may not contain ' ' (only A-Z a-z 0-9 _ . -)"),
	E(SW1("name: .hidden"), 11, 9, "name: '.hidden': switch name may not start with '.'"),
	E(SW1("name: abcdefghijabcdefghijabcdefghijab"), 11, 9, "name: 'abcdefghijabcdefghijabcdefghijab': switch name is 32 bytes, at most 31 are allowed"),
	E(SW1("name: [a]"), 11, 9, "name: expected the name of a warrend instance, got a sequence"),
	E(SW1("foo: 1"), 11, 3, "unknown key 'foo' in switch (expected one of: name, cores, aging, fastpath, dpdk, vlans, ports, tunnels, steer, chains, mirrors)"),
	E(SW1("dpdk: [a]"), 11, 9, "dpdk: expected a mapping (args), got a sequence"),
	E(SW1("dpdk: {}"), 11, 9, "dpdk: missing 'args' (the EAL's arguments, such as [--no-huge, -m, 512])"),
	EN(SW1("dpdk: {arg: [x]}"), 11, 10, "unknown key 'arg' in dpdk (expected one of: args)", 2),
	E(SW1("dpdk: {args: [-m], args: [-n]}"), 11, 22, "duplicate key 'args' (first at line 11)"),
	E(SW1("dpdk: {args: x}"), 11, 16, "args: expected a sequence of EAL arguments, such as [--no-huge, -m, 512], got 'x'"),
	E(SW1("dpdk: {args: []}"), 11, 16, "args: the list is empty (leave 'dpdk' out for warrend's defaults)"),
	E(SW1("dpdk: {args: [-m, '']}"), 11, 21, "args: an argument is empty (leave it out)"),
	E(SW1("dpdk: {args: ['-m 512']}"), 11, 17, "args: '-m 512' holds a blank, and warrend splits its --dpdk string at blanks (an EAL argument cannot hold one)"),
	E(SW1("dpdk: {args: [[x]]}"), 11, 17, "args: expected an EAL argument, got a sequence"),
	E(SW1("dpdk: {args: [~]}"), 11, 17, "args: expected an EAL argument, got an empty value"),
	E(SW1("cores: {a: 1}"), 11, 10, "cores: expected a list of cores and ranges like [10, \"20-29\"], got a mapping"),
	E(SW1("cores: []"), 11, 10, "cores: the list is empty"),
	E(SW1("fastpath: fast"), 11, 13, "fastpath: 'fast' is not one of: off, xdp, tc, auto"),
	E(SW1("cores: [1, '3-2']"), 11, 14, "cores: core range '3-2' goes backwards (write LOW-HIGH)"),
	E(SW1("cores: [x]"), 11, 11, "cores: 'x' is not a core or a range of them (expected N or LOW-HIGH, each 0..4095)"),
	E(SW1("cores: [4096]"), 11, 11, "cores: '4096' is not a core or a range of them"),
	E(SW1("cores: [[1]]"), 11, 11, "cores: expected an id or a range LOW-HIGH, got a sequence"),
	E(SW1("aging: -1"), 11, 10, "aging: -1 is negative (expected 0..31536000)"),
	E(SW1("aging: 31536001"), 11, 10, "aging: 31536001 is out of range (expected 0..31536000)"),
	E(SW1("vlans: [10]"), 11, 10, "vlans: expected a mapping of VLAN: BRIDGE-DOMAIN, got a sequence"),
	E(SW1("vlans: {0: 1}"), 11, 11, "vlans: 0 is out of range (expected 1..4094)"),
	E(SW1("vlans: {4095: 1}"), 11, 11, "vlans: 4095 is out of range (expected 1..4094)"),
	E(SW1("vlans: {10: 0}"), 11, 15, "bridge domain: 0 is out of range (expected 1..4095)"),
	E(SW1("vlans: {10: 4096}"), 11, 15, "bridge domain: 4096 is out of range (expected 1..4095)"),
	E(SW1("vlans: {10: 1, 10: 2}"), 11, 18, "duplicate VLAN '10' (first at line 11)"),
	E(SW1("vlans: {x: 1}"), 11, 11, "vlans: 'x' is not a decimal integer (expected 1..4094)"),
	E(SW1("ports: {a: 1}"), 11, 10, "ports: expected a sequence of ports, got a mapping"),
	E(PORT("x"), 12, 7, "port: expected a mapping (dev, name, type, devargs, bd, access, trunk, ...), got 'x'"),
	E(PORT("{name: a}"), 12, 7, "port: missing 'dev'"),
	E(PORT("{dev: sw:p1, foo: 1}"), 12, 20, "unknown key 'foo' in port (expected one of: name, type, netns, dev, devargs, queue, zerocopy, umem, bd, vlan, access, trunk, native, learning, mac_limit, fastpath)"),
	E(PORT("{dev: sw:p9}"), 12, 13, "dev: no link creates 'sw:p9' in namespace 'sw' (a port is a device of the lab)"),
	E(PORT("{dev: p1}"), 12, 13, "dev: no link creates 'p1' in the root namespace (a port is a device of the lab)"),
	E(PORT("{dev: h9:p1}"), 12, 13, "dev: namespace 'h9' is not declared (add it under 'namespaces')"),
	E(PORT("{dev: [a]}"), 12, 13, "dev: expected NAMESPACE:IFNAME or IFNAME, got a sequence"),
	E(PORT("{dev: 'sw:a/b'}"), 12, 13, "dev: 'a/b': interface name may not contain '/'"),
	E(PORT("{dev: 'sw:p@1'}"), 12, 13, "dev: 'p@1' cannot name the port ('p@1': port name may not contain '@' (only A-Z a-z 0-9 _ . -)); give 'name'"),
	E(PORT("{dev: sw:p1, name: 'a b'}"), 12, 26, "name: 'a b': port name may not contain ' ' (only A-Z a-z 0-9 _ . -)"),
	E(PORT("{dev: sw:p1, name: abcdefghijklmnop}"), 12, 26, "name: 'abcdefghijklmnop': port name is 16 bytes, at most 15 are allowed"),
	E(PORT("{dev: sw:p1, type: vhost}"), 12, 26, "type: 'vhost' is not one of: afxdp, tap, dpdk"),
	/* A bad type says so once: the dpdk keys next to it are no second error. */
	EN(PORT("{type: bogus, devargs: net_tap0}"), 12, 14, "type: 'bogus' is not one of: afxdp, tap, dpdk", 2),
	E(PORT("{dev: sw:p1, devargs: net_tap0}"), 12, 29, "devargs: only dpdk ports have devargs (add 'type: dpdk')"),
	E(PORT("{dev: sw:tap0, netns: sw}"), 12, 29, "netns: only dpdk ports take netns (for tap ports the namespace is in 'dev': NS:IFNAME)"),
	E(PORT("{type: dpdk, name: d0}"), 12, 7, "port: missing 'devargs' (what DPDK probes: net_tap0,iface=dt1, 0000:03:00.0, ...)"),
	E(PORT("{type: dpdk, devargs: net_tap0}"), 12, 7, "port: missing 'name' (a dpdk port has no device of the lab to take it from)"),
	E(PORT("{type: dpdk, name: 'a b', devargs: net_tap0}"), 12, 26, "name: 'a b': port name may not contain ' ' (only A-Z a-z 0-9 _ . -)"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, dev: sw:p1}"), 12, 54, "dev: a dpdk port has no device of the lab: DPDK probes 'devargs' (in 'netns')"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, queue: 1}"), 12, 56, "queue: for afxdp ports, not dpdk"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, zerocopy: 'off'}"), 12, 59, "zerocopy: for afxdp ports, not dpdk"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, fastpath: xdp}"), 12, 59, "fastpath: dpdk ports have no kernel fast path ('xdp' is for afxdp ports; give off or auto)"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, netns: h9}"), 12, 56, "netns: namespace 'h9' is not declared (add it under 'namespaces')"),
	E(PORT("{type: dpdk, name: d0, devargs: net_tap0, netns: [a]}"), 12, 56, "netns: expected a namespace of the lab, got a sequence"),
	E(PORT("{type: dpdk, name: d0, devargs: ',x'}"), 12, 39, "devargs: ',x': devargs has no device name before its first comma"),
	E(PORT("{type: dpdk, name: d0, devargs: 'net_af_xdp0,iface=a/b'}"), 12, 39, "devargs: iface: 'a/b': interface name may not contain '/'"),
	E(PORT("{type: dpdk, name: d0, devargs: [a]}"), 12, 39, "devargs: expected what DPDK probes, got a sequence"),
	E(PORT("{dev: sw:p1, type: tap}"), 12, 26, "type: a tap port needs a tap device, and 'sw:p1' is a veth"),
	E(PORT("{dev: sw:tun0}"), 12, 13, "dev: 'sw:tun0' is a tun device, which has no Ethernet frames to switch"),
	E(PORT("{dev: sw:tap0, queue: 1}"), 12, 29, "queue: for afxdp ports, not tap"),
	E(PORT("{dev: sw:tap0, zerocopy: 'on'}"), 12, 32, "zerocopy: for afxdp ports, not tap"),
	E(PORT("{dev: sw:p1, zerocopy: maybe}"), 12, 30, "zerocopy: 'maybe' is not one of: auto, on, off"),
	E(PORT("{dev: sw:p1, fastpath: bogus}"), 12, 30, "fastpath: 'bogus' is not one of: off, xdp, tc, auto"),
	E(PORT("{dev: sw:p1, fastpath: XDP}"), 12, 30, "fastpath: 'XDP' is not one of: off, xdp, tc, auto"),
	E(PORT("{dev: sw:p1, fastpath: [xdp]}"), 12, 30, "fastpath: expected off, xdp, tc, auto, got a sequence"),
	E(PORT("{dev: sw:tap0, fastpath: xdp}"), 12, 32, "fastpath: tap ports have no kernel fast path ('xdp' is for afxdp ports; give off or auto)"),
	E(PORT("{dev: sw:tap0, type: tap, fastpath: tc}"), 12, 43, "fastpath: tap ports have no kernel fast path ('tc' is for afxdp ports; give off or auto)"),
	E(PORT("{dev: sw:p1, queue: 4096}"), 12, 27, "queue: 4096 is out of range (expected 0..4095)"),
	E(PORT("{dev: sw:p1, bd: 0}"), 12, 24, "bd: 0 is out of range (expected 1..4095)"),
	E(PORT("{dev: sw:p1, bd: 1, access: 10}"), 12, 24, "bd: for untagged ('vlan' none) ports only, this one is access"),
	E(PORT("{dev: sw:p1, trunk: 5, bd: 1}"), 12, 34, "bd: for untagged ('vlan' none) ports only, this one is trunk"),
	/* Keys that say the VLAN mode: the later in the file is the error. */
	E(PORT("{dev: sw:p1, trunk: 5, access: 10}"), 12, 38, "access: makes the port access, and 'trunk' makes it trunk"),
	E(PORT("{dev: sw:p1, access: 10, trunk: 5}"), 12, 39, "trunk: makes the port trunk, and 'access' makes it access"),
	E(PORT("{dev: sw:p1, vlan: none, access: 10}"), 12, 40, "access: makes the port access, and 'vlan' makes it none"),
	E(PORT("{dev: sw:p1, vlan: access}"), 12, 7, "access: required for an access port"),
	E(PORT("{dev: sw:p1, vlan: tagged}"), 12, 26, "vlan: 'tagged' is not one of: none, access, trunk"),
	E(PORT("{dev: sw:p1, access: 4095}"), 12, 28, "access: 4095 is out of range (expected 1..4094)"),
	E(PORT("{dev: sw:p1, access: 10, native: 1}"), 12, 40, "native: for trunk ports only, this one is access"),
	E(PORT("{dev: sw:p1, trunk: 10, native: 4095}"), 12, 39, "native: 4095 is out of range (expected 0..4094)"),
	E(PORT("{dev: sw:p1, trunk: []}"), 12, 27, "trunk: the list is empty"),
	E(PORT("{dev: sw:p1, trunk: [10, 5000]}"), 12, 32, "trunk: '5000' is not a VLAN or a range of them (expected N or LOW-HIGH, each 1..4094)"),
	E(PORT("{dev: sw:p1, trunk: [0]}"), 12, 28, "trunk: '0' is not a VLAN or a range of them"),
	E(PORT("{dev: sw:p1, trunk: [\"1-4294967297\"]}"), 12, 28, "trunk: '1-4294967297' is not a VLAN or a range of them"),
	E(PORT("{dev: sw:p1, trunk: [\"-2-5\"]}"), 12, 28, "trunk: '-2-5' is not a VLAN or a range of them"),
	E(PORT("{dev: sw:p1, trunk: '20-10'}"), 12, 27, "trunk: VLAN range '20-10' goes backwards (write LOW-HIGH)"),
	E(PORT("{dev: sw:p1, trunk: {a: 1}}"), 12, 27, "trunk: expected a list of VLANs and ranges like [10, \"20-29\"], got a mapping"),
	E(PORT("{dev: sw:p1, learning: maybe}"), 12, 30, "learning: expected true, false, yes or no, got 'maybe'"),
	E(PORT("{dev: sw:p1, mac_limit: -1}"), 12, 31, "mac_limit: -1 is negative (expected 0..4294967295)"),
	E(PORT2("{dev: sw:p1}", "{dev: sw:p2, name: p1}"), 13, 26, "name: port 'p1' is already at line 12"),
	E(PORT2("{dev: sw:p1, name: x}", "{dev: sw:p1, name: y}"), 13, 13, "dev: 'sw:p1' is already the device of port 'x' at line 12"),
	E(PORT2("{dev: sw:p2, name: p1}", "{dev: sw:p1}"), 13, 13, "dev: port 'p1' is already at line 12"),
	/* The EAL's device names are the process's: another netns is no other device. */
	E(PORT2("{type: dpdk, name: a, devargs: 'net_tap0,iface=x'}",
		"{type: dpdk, name: b, devargs: 'net_tap0,iface=y', netns: sw}"), 13, 38,
	  "devargs: device 'net_tap0' is already the device of port 'a' at line 12"),
	E(PORT2("{dev: sw:p1}", "{type: dpdk, name: p1, devargs: net_tap0}"), 13, 26, "name: port 'p1' is already at line 12"),
};

static void test_errors(void **state)
{
	(void)state;
	check_cases(switch_cases, ARRAY_SIZE(switch_cases));
}

/* A port with errors is not kept, and causes no second error. */
static void test_no_cascade(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse(PORT2("{dev: sw:p1, bd: 1, access: 2}", "{dev: sw:p1}"));
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->sw.n_ports, 1);
	assert_string_equal(lab->sw.ports[0].conf.name, "p1");
	wr_lab_free(lab);
}

/*
 * A value of port.add's key @k made from its type and bounds (@e: which
 * enum word), as a lab file writes it (@yaml) and as the request's JSON has
 * it (@json). A device is NS:IFNAME of the lab; a name "sw" is a namespace
 * of the bases and a port name too.
 */
static void sample(const struct wr_api_key *k, int e, char *yaml, char *json, size_t size)
{
	const char *const *names;
	int n;

	switch (k->type) {
	case WR_T_INT:
		snprintf(yaml, size, "%lld", (long long)k->max);
		snprintf(json, size, "%lld", (long long)k->max);
		break;
	case WR_T_BOOL:
		snprintf(yaml, size, "false");
		snprintf(json, size, "false");
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		snprintf(yaml, size, "\"%s\"", names[e]);
		snprintf(json, size, "\"%s\"", names[e]);
		break;
	case WR_T_VLANS:
		snprintf(yaml, size, "[%lld, \"%lld-%lld\"]", (long long)k->min,
			 (long long)k->min + 1, (long long)k->max);
		snprintf(json, size, "[%lld,\"%lld-%lld\"]", (long long)k->min,
			 (long long)k->min + 1, (long long)k->max);
		break;
	case WR_T_IFNAME:
		snprintf(yaml, size, "sw:p2");
		snprintf(json, size, "\"p2\"");
		break;
	default:
		snprintf(yaml, size, "sw");
		snprintf(json, size, "\"sw\"");
		break;
	}
}

/* A port of each type (the lab's own keys for it), @key left out. */
static size_t context(size_t which, const char *key, char *buf, size_t size)
{
	static const char *const ctx[][3] = {
		{ "dev: sw:p1" }, { "dev: sw:tap0" },
		{ "type: dpdk", "name: d0", "devargs: net_tap9" },
	};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 3 && ctx[which][i]; i++)
		if (strncmp(ctx[which][i], key, strlen(key)) || ctx[which][i][strlen(key)] != ':')
			o += (size_t)snprintf(buf + o, size - o, "%s, ", ctx[which][i]);
	return o;
}

/*
 * Every key of port.add in wr_api.def, written in a lab file's port in its
 * word, reaches the request under its own name with the value given: a key
 * added to the table is a lab file's with no edit of labfile_switch.c. A key
 * may need others beside it (a port type, a VLAN mode); those are tried.
 */
static void test_every_key(void **state)
{
	static const char *const modes[] = { "", "vlan: trunk, ", "access: 1, " };
	char yaml[128], json[128], ctx[128], port[384], text[1024];
	struct json_object *o, *v;
	struct wr_lab *lab;

	(void)state;
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		const char *word = wr_api_word(k->name);
		int n = 1;

		if (k->cmd != WR_CMD_PORT_ADD)
			continue;
		if (k->type == WR_T_ENUM)
			wr_api_enum_names((enum wr_api_enum)k->min, &n);
		for (int e = 0; e < n; e++) {
			bool ok = false;

			sample(k, e, yaml, json, sizeof(yaml));
			for (size_t c = 0; !ok && c < 3 * ARRAY_SIZE(modes); c++) {
				context(c / ARRAY_SIZE(modes), word, ctx, sizeof(ctx));
				snprintf(port, sizeof(port), "{%s%s%s: %s}", ctx,
					 modes[c % ARRAY_SIZE(modes)], word, yaml);
				snprintf(text, sizeof(text), PORT("%s"), port);
				lab = parse(text);
				if (!lab->n_errors && lab->sw.n_ports == 1) {
					ok = true;
					o = wr_port_req_json(&lab->sw.ports[0].conf, true);
					if (!json_object_object_get_ex(o, k->name, &v) ||
					    strcmp(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
						   json))
						fail_msg("%s: %s has no %s: %s", port,
							 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
							 k->name, json);
					json_object_put(o);
				}
				wr_lab_free(lab);
			}
			if (!ok)
				fail_msg("port.add's %s as '%s: %s': refused in every port tried", k->name,
					 word, yaml);
		}
	}
}

/* A value of each type that is not one: an error at it that names the key's word. */
static void test_every_key_bad(void **state)
{
	char ctx[128], bad[320], text[1024];
	struct wr_lab *lab;

	(void)state;
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		const char *word = wr_api_word(k->name);
		bool named = false;

		if (k->cmd != WR_CMD_PORT_ADD)
			continue;
		switch (k->type) {
		case WR_T_INT:
			snprintf(bad, sizeof(bad), "%lld", (long long)k->max + 1);
			break;
		case WR_T_VLANS:
			snprintf(bad, sizeof(bad), "[%lld]", (long long)k->max + 1);
			break;
		case WR_T_STR:
			memset(bad, 'a', (size_t)k->max + 1);
			bad[k->max + 1] = '\0';
			break;
		case WR_T_IFNAME:
			snprintf(bad, sizeof(bad), "'sw:a/b'");
			break;
		case WR_T_NAME:
			snprintf(bad, sizeof(bad), "'a/b'");
			break;
		default:
			snprintf(bad, sizeof(bad), "zzz");
			break;
		}
		context(0, word, ctx, sizeof(ctx));
		snprintf(text, sizeof(text), SBASE "  ports:\n    - {%s%s: %s}\n", ctx, word, bad);
		lab = parse(text);
		for (size_t j = 0; j < lab->n_errors; j++)
			named = named || !strncmp(lab->errors[j].msg, word, strlen(word));
		if (!named) {
			print_errors(lab);
			fail_msg("%s: %s: no error naming '%s'", k->name, bad, word);
		}
		wr_lab_free(lab);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_every_key_bad),
		cmocka_unit_test(test_full_switch),
		cmocka_unit_test(test_dpdk),
		cmocka_unit_test(test_dpdk_args_max),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_switch_fastpath),
		cmocka_unit_test(test_bad_lab_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_no_cascade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
