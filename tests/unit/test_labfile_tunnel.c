/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_labfile_tunnel.c - the `tunnels:` list of a lab's switch: good files
 * give the requests of wr_api.def that lab up sends (and lab up sends them,
 * after the ports, to a fake warrend; a second up only what is missing; down
 * removes the tunnels before the ports), and every error of a tunnel is
 * reported alone at its line:column. The same for the `steer:` list, and
 * the `chains:` list (a chain the file changed is replaced by a second up).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "fake_sock.h"
#include "lab_priv.h"
#include "wr_control.h"

#include "labtest.h"

/* The switch's ports: what a tunnel or a steering rule, at line 13, names. */
#define PORTS \
	"prefix: t1-\n"						/* 1 */ \
	"namespaces: {ua: , a1: , a2: }\n" \
	"links:\n" \
	"  - {kind: veth, endpoints: [ua:eth0, wire0]}\n" \
	"  - {kind: veth, endpoints: [a1:eth0, ua:a1]}\n"	/* 5 */ \
	"  - {kind: tap, name: ua:tap0}\n" \
	"switch:\n" \
	"  ports:\n" \
	"    - {dev: ua:eth0, name: u0}\n" \
	"    - {dev: ua:a1, bd: 10}\n"			/* 10 */ \
	"    - {dev: ua:tap0}\n"
#define BASE PORTS "  tunnels:\n"
#define TUN(line) BASE "    - " line "\n"		/* the tunnel is at 13:7 */
#define STEER_BASE(line) PORTS "  steer:\n    - " line "\n"	/* the rule is at 13:7 */
#define STEER(line) STEER_BASE(line)
#define CHAIN(line) PORTS "  chains:\n    - " line "\n"	/* the chain is at 13:7 */
#define MIRROR(line) PORTS "  mirrors:\n    - " line "\n"	/* the mirror is at 13:7 */

static const char good[] =
	BASE
	"    - name: vx0\n"					/* 13 */
	"      underlay: u0\n"
	"      local: 192.0.2.1\n"				/* 15 */
	"      vnis: {5010: 10, 5020: 20}\n"
	"      remotes: [192.0.2.2, {remote: 192.0.2.3, flood: false}]\n"
	"    - {name: gn0, type: geneve, underlay: u0, local: 2001:db8::1, dstport: 6081,\n"
	"       sport: 1000-2000, udp_csum: no, vnis: [{vni: 7, bd: 10}, {bd: 3, vni: 0}],\n"
	"       remotes: [{remote: \"2001:db8::2\", flood: yes}]}\n"	/* 20 */
	"    - {name: vx2, underlay: u0, local: 192.0.2.1, sport_min: 50000, sport_max: 50000,\n"
	"       type: vxlan, udp_csum: true}\n";

/* Request @i of tunnel @t as "cmd {args}". */
static void assert_req(const struct wr_lab_tunnel *t, size_t i, const char *want,
		       unsigned int line, unsigned int col)
{
	char got[512];

	assert_true(i < t->n_reqs);
	snprintf(got, sizeof(got), "%s %s", wr_api_cmds[t->reqs[i].cmd].name,
		 json_object_to_json_string_ext(t->reqs[i].args, JSON_C_TO_STRING_PLAIN));
	assert_string_equal(got, want);
	assert_int_equal(t->reqs[i].pos.line, line);
	assert_int_equal(t->reqs[i].pos.col, col);
}

static void test_good(void **state)
{
	const struct wr_lab_tunnel *t;
	struct wr_lab *lab;
	char msg[256];

	(void)state;
	lab = parse_ok(good);
	assert_int_equal(lab->sw.n_ports, 3);
	assert_int_equal(lab->sw.n_tunnels, 3);

	t = &lab->sw.tunnels[0];
	assert_string_equal(t->name, "vx0");
	assert_int_equal(t->pos.line, 13);
	assert_int_equal(t->n_reqs, 5);
	/* Names are the switch's: the lab's prefix does not reach them. */
	assert_req(t, 0, "tunnel.add {\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}",
		   13, 7);
	assert_req(t, 1, "vni.set {\"tunnel\":\"vx0\",\"vni\":5010,\"bd\":10}", 16, 14);
	assert_req(t, 2, "vni.set {\"tunnel\":\"vx0\",\"vni\":5020,\"bd\":20}", 16, 24);
	assert_req(t, 3, "vtep.add {\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}", 17, 17);
	assert_req(t, 4, "vtep.add {\"tunnel\":\"vx0\",\"remote\":\"192.0.2.3\",\"flood\":false}",
		   17, 37);

	t = &lab->sw.tunnels[1];
	assert_string_equal(t->name, "gn0");
	assert_int_equal(t->n_reqs, 4);
	assert_req(t, 0, "tunnel.add {\"name\":\"gn0\",\"type\":\"geneve\",\"underlay\":\"u0\","
		   "\"local\":\"2001:db8::1\",\"dstport\":6081,\"sport_min\":1000,\"sport_max\":2000,"
		   "\"udp_csum\":false}", 18, 7);
	assert_req(t, 1, "vni.set {\"tunnel\":\"gn0\",\"vni\":7,\"bd\":10}", 19, 53);
	/* The keys of a {vni, bd} in any order; VNI 0 is one (wr_api.def's bound). */
	assert_req(t, 2, "vni.set {\"tunnel\":\"gn0\",\"vni\":0,\"bd\":3}", 19, 78);
	assert_req(t, 3, "vtep.add {\"tunnel\":\"gn0\",\"remote\":\"2001:db8::2\",\"flood\":true}",
		   20, 27);

	t = &lab->sw.tunnels[2];
	assert_int_equal(t->n_reqs, 1);
	assert_req(t, 0, "tunnel.add {\"name\":\"vx2\",\"type\":\"vxlan\",\"underlay\":\"u0\","
		   "\"local\":\"192.0.2.1\",\"sport_min\":50000,\"sport_max\":50000,"
		   "\"udp_csum\":true}", 21, 7);

	/* What the lab sends, warrend's check takes. */
	for (size_t i = 0; i < lab->sw.n_tunnels; i++)
		for (size_t r = 0; r < lab->sw.tunnels[i].n_reqs; r++)
			assert_int_equal(wr_api_check(lab->sw.tunnels[i].reqs[r].cmd,
						      lab->sw.tunnels[i].reqs[r].args, msg,
						      sizeof(msg)), 0);
	wr_lab_free(lab);

	/* No tunnels, an empty list: none. */
	lab = parse_ok(BASE "    \n");
	assert_int_equal(lab->sw.n_tunnels, 0);
	wr_lab_free(lab);
	lab = parse_ok("switch:\n  tunnels: []\n");
	assert_int_equal(lab->sw.n_tunnels, 0);
	wr_lab_free(lab);
}

static const struct err_case cases[] = {
	E(TUN("{name: vx0, local: 192.0.2.1}"), 13, 7,
	  "tunnel: missing 'underlay' (the afxdp port on the device that has 'local': its tunnel frames are decapsulated, all else goes to the kernel)"),
	E(TUN("{underlay: u0, local: 192.0.2.1}"), 13, 7,
	  "tunnel: missing 'name' (the tunnel's name (no port's)"),
	E(TUN("{name: vx0, underlay: u0}"), 13, 7,
	  "tunnel: missing 'local' (the local VTEP address, IPv4 or IPv6)"),
	E(TUN("{name: a/b, underlay: u0, local: 192.0.2.1}"), 13, 14,
	  "name: 'a/b': port name may not contain '/'"),
	E(TUN("{name: abcdefghijklmnop, underlay: u0, local: 192.0.2.1}"), 13, 14,
	  "name: 'abcdefghijklmnop': port name is 16 bytes, at most 15 are allowed"),
	E(TUN("{name: u0, underlay: u0, local: 192.0.2.1}"), 13, 14,
	  "name: 'u0' is already the name of the port at line 9"),
	E(TUN("{name: vx0, underlay: nope, local: 192.0.2.1}"), 13, 29,
	  "underlay: 'nope' is not a port of this switch (a tunnel sits on one of its afxdp ports)"),
	E(TUN("{name: vx0, underlay: tap0, local: 192.0.2.1}"), 13, 29,
	  "underlay: port 'tap0' (line 11) is a tap port, and a tunnel sits on an afxdp port"),
	E(TUN("{name: vx0, underlay: u/0, local: 192.0.2.1}"), 13, 29,
	  "underlay: 'u/0': port name may not contain '/'"),
	E(TUN("{name: vx0, underlay: u0, local: 1.2.3}"), 13, 40,
	  "local '1.2.3': a unicast IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1"),
	E(TUN("{name: vx0, underlay: u0, local: 224.0.0.1}"), 13, 40,
	  "local '224.0.0.1': a unicast IPv4 or IPv6 address"),
	E(TUN("{name: vx0, underlay: u0, local: [192.0.2.1]}"), 13, 40,
	  "local: expected the local VTEP address, IPv4 or IPv6, got a sequence"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, type: gre}"), 13, 57,
	  "type: 'gre' is not one of: vxlan, geneve"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, dstport: 0}"), 13, 60,
	  "dstport: 0 is out of range (expected 1..65535)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, dstport: 65536}"), 13, 60,
	  "dstport: 65536 is out of range (expected 1..65535)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, dstport: x}"), 13, 60,
	  "dstport: 'x' is not a decimal integer (expected 1..65535)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, udp_csum: maybe}"), 13, 61,
	  "udp_csum: expected true, false, yes or no, got 'maybe'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, sport: 9-3}"), 13, 58,
	  "sport: '9-3' ends below its start (LO-HI, LO <= HI)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, sport: 0-3}"), 13, 58,
	  "sport: '0-3' is not LO-HI or N, each 1..65535"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, sport: 1-2, sport_max: 4}"), 13, 58,
	  "sport: give either 'sport' or 'sport_min' and 'sport_max'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, sport_min: 100, sport_max: 50}"), 13, 78,
	  "sport_max: 50 is below sport_min 100"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, sport_min: 0}"), 13, 62,
	  "sport_min: 0 is out of range (expected 1..65535)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, mtu: 1400}"), 13, 51,
	  "unknown key 'mtu' in tunnel (expected one of: name, type, underlay, local, dstport, sport_min, sport_max, options, known_options, learn_vteps, udp_csum, sport, vnis, remotes)"),
	E(TUN("{name: vx0, name: vx1, underlay: u0, local: 192.0.2.1}"), 13, 19,
	  "duplicate key 'name' (first at line 13)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: 3}"), 13, 57,
	  "vnis: expected a mapping of VNI: BRIDGE-DOMAIN or a sequence of {vni, bd}, got '3'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: {1: 5, 1: 6}}"), 13, 64,
	  "vni: 1 is already mapped at line 13"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: {1: 5, 2: 5}}"), 13, 67,
	  "bd: bridge domain 5 already has VNI 1 in this tunnel (line 13): one VNI per bridge domain and tunnel"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: {16777216: 5}}"), 13, 58,
	  "vni: 16777216 is out of range (expected 0..16777215)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: {7: 0}}"), 13, 61,
	  "bd: 0 is out of range (expected 1..4095)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: {7: 4096}}"), 13, 61,
	  "bd: 4096 is out of range (expected 1..4095)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: [5]}"), 13, 58,
	  "vnis: expected a mapping {vni, bd}, got '5'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: [{vni: 5}]}"), 13, 58,
	  "vnis: missing 'bd' (its bridge domain (one VNI per domain and tunnel))"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: [{vni: 5, bd: 1, x: 1}]}"), 13, 74,
	  "unknown key 'x' in a VNI (expected one of: vni, bd)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, vnis: [{vni: 5, bd: 1}, {vni: 5, bd: 2}]}"), 13, 81,
	  "vni: 5 is already mapped at line 13"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: 192.0.2.2}"), 13, 60,
	  "remotes: expected a sequence of addresses or of {remote, flood}, got '192.0.2.2'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [192.0.2.1]}"), 13, 61,
	  "remote: 192.0.2.1 is the tunnel's local address"),
	E(TUN("{name: vx0, underlay: u0, local: '2001:db8::1', remotes: ['2001:DB8:0::1']}"), 13, 65,
	  "remote: 2001:DB8:0::1 is the tunnel's local address"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: ['2001:db8::2']}"), 13, 61,
	  "remote: 2001:db8::2 is IPv6, and the tunnel's local address 192.0.2.1 is IPv4"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [192.0.2.2, {remote: 192.0.2.2}]}"), 13, 81,
	  "remote: 192.0.2.2 is already a remote of this tunnel, at line 13"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [host]}"), 13, 61,
	  "remote 'host': a unicast IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [192.0.2.255, 255.255.255.255]}"), 13, 74,
	  "remote '255.255.255.255': a unicast IPv4 or IPv6 address"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [{remote: 192.0.2.2, flood: maybe}]}"), 13, 88,
	  "flood: expected true, false, yes or no, got 'maybe'"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [{flood: true}]}"), 13, 61,
	  "remotes: missing 'remote' (its address, of the tunnel's family)"),
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, remotes: [{remote: 192.0.2.2, port: 5}]}"), 13, 81,
	  "unknown key 'port' in a remote (expected one of: remote, flood)"),
	E(TUN("42"), 13, 7,
	  "tunnel: expected a mapping (name, underlay, local, vnis, remotes, ...), got '42'"),
	/* A second tunnel of the same name; its error does not hide the name from the next. */
	E(TUN("{name: vx0, underlay: u0, local: 192.0.2.1}\n    - {name: vx0, underlay: u0, local: 192.0.2.1}"),
	  14, 14, "name: 'vx0' is already the name of the tunnel at line 13"),
	EN(TUN("{name: vx0, underlay: u0, local: 192.0.2.1, dstport: 0}\n"
	       "    - {name: vx0, underlay: u0, local: 192.0.2.1}"),
	   14, 14, "name: 'vx0' is already the name of the tunnel at line 13", 2),
	/* Several errors of one tunnel, each at its place. */
	EN(TUN("{name: vx0, underlay: nope, local: 1.2.3, type: gre}"), 13, 42,
	   "local '1.2.3': a unicast IPv4 or IPv6 address", 3),
	E("switch:\n  tunnels: x\n", 2, 12, "tunnels: expected a sequence of tunnels, got 'x'"),
	/* Steering rules: each a steer.add, its port one of the switch's. */
	E(STEER("{port: u0}"), 13, 7, "one of 'mac', 'vlan' or 'vni' is required"),
	E(STEER("{vlan: 10}"), 13, 7, "steer: missing 'port' (where they go: a port in their bridge "
	  "domain, no tunnel's underlay)"),
	E(STEER("{vlan: 10, vni: 5, port: u0}"), 13, 23, "vni: with 'vlan': give one of 'mac', "
	  "'vlan' or 'vni'"),
	E(STEER("{vlan: 4095, port: u0}"), 13, 14, "vlan: 4095 is out of range (expected 1..4094)"),
	E(STEER("{mac: 02:00:00:00:00, port: u0}"), 13, 13,
	  "mac '02:00:00:00:00': a MAC address such as 02:00:00:00:00:01"),
	E(STEER("{vni: 7, port: nope}"), 13, 22, "port: 'nope' is not a port of this switch"),
	E(STEER("{vni: 7, port: u0, bd: 1}"), 13, 26,
	  "unknown key 'bd' in a steering rule (expected one of: mac, vlan, vni, port)"),
	E(STEER("{mac: 02:00:00:00:00:0A, port: u0}\n    - {mac: 02:00:00:00:00:0a, port: tap0}"),
	  14, 7, "steer: mac 02:00:00:00:00:0a has a rule already, at line 13"),
	E(STEER("7"), 13, 7, "steer: expected a mapping {mac | vlan | vni, port}, got '7'"),
	E("switch:\n  steer: {vlan: 1}\n", 2, 10, "steer: expected a sequence of rules"),
	E("switch:\n  tunnels: {a: 1}\n", 2, 12, "tunnels: expected a sequence of tunnels, got a mapping"),
	/* Chains: each a chain.add, its hops a list of mappings of the switch's ports. */
	E(CHAIN("{name: web, bd: 1, proto: 6}"), 13, 7, "chain: missing 'hops' (the hops in order"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1}]}"), 13, 43,
	  "hop: missing 'out' (the port frames come back by"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: tap0, via: u0}]}"), 13, 63,
	  "unknown key 'via' in a hop (expected one of: in, out, kind, in_mac, out_mac, fail, probe, target, "
	  "target_port, netns, interval_ms, timeout_ms, fails, passes)"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: tap0, fail: maybe}]}"), 13, 69,
	  "fail: 'maybe' is not one of: open, closed"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: []}"), 13, 42,
	  "hops: expected a list of 1 to 8 hops ({in, out}), got"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: nope}]}"), 13, 42,
	  "hops[0].out: 'nope' is not a port of this switch"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: a1}]}"), 13, 42,
	  "hops[0].out: port 'a1' twice in the chain"),
	E(CHAIN("{name: web, bd: 1, dst_port: 9-8, hops: [{in: a1, out: tap0}]}"), 13, 36,
	  "dst_port: N or \"LO-HI\" (LO <= HI), each 0 to 65535"),
	E(CHAIN("{name: web, bd: 1, src: 10.0.0.1/8, hops: [{in: a1, out: tap0}]}"), 13, 31,
	  "src '10.0.0.1/8': an IPv4 or IPv6 prefix"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: tap0}]}\n"
		"    - {name: web, bd: 1, proto: 17, hops: [{in: u0, out: tap0}]}"), 14, 43,
	  "hops[0].out: port 'tap0' is a hop port of chain 'web' already, at line 13"),
	/* A hop's probe: its keys typed, and those it needs there. */
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: tap0, probe: ping, netns: h}]}"),
	  13, 42, "hops[0].target: required by 'probe' (the address it goes to)"),
	E(CHAIN("{name: web, bd: 1, proto: 6, hops: [{in: a1, out: tap0, probe: tcp, netns: h,\n"
		"       target: 10.0.0.9, interval_ms: 50}]}"), 14, 39,
	  "interval_ms: 50 is out of range (expected 100..60000)"),
	E("switch:\n  chains: x\n", 2, 11, "chains: expected a sequence of chains"),
	/* Mirrors: each a mirror.add between two ports of the switch, refused as warrend would. */
	E(MIRROR("{port: u0}"), 13, 7, "mirrors: missing 'to' (the port the copies leave by"),
	E(MIRROR("{port: u0, to: nope}"), 13, 22, "to: 'nope' is not a port of this switch"),
	E(MIRROR("{port: u0, to: u0}"), 13, 7, "mirrors: port u0 is not mirrored to itself"),
	E(MIRROR("{port: u0, to: a1, dir: up}"), 13, 31, "dir: 'up' is not one of: rx, tx, both"),
	E(MIRROR("{port: u0, to: a1}\n    - {port: u0, to: a1, dir: rx}"), 14, 7,
	  "mirrors: u0 to a1 is there already, at line 13"),
	E(MIRROR("{port: u0, to: a1}\n    - {port: a1, to: tap0}"), 14, 7,
	  "mirrors: a1 to tap0: a loop with u0 to a1 at line 13"),
	E("switch:\n  mirrors: x\n", 2, 12, "mirrors: expected a sequence of mirrors"),
};

static void test_errors(void **state)
{
	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

/* ------------------------------------------------- lab up and down, against a fake warrend */

static char dir[64];

/* Answers hello, port.list and tunnel.list as told, anything else {}; logs "cmd args" lines. */
struct fake {
	struct fake_sock fs;
	const char *tunnels;	/* tunnel.list's result */
	const char *rules;	/* steer.list's result (NULL: none) */
	const char *chains;	/* chain.list's result (NULL: none) */
	const char *mirrors;	/* mirror.list's result (NULL: none) */
	char log[8192];
	size_t o;
};

static bool answer(void *arg, FILE *f, const char *line)
{
	struct json_object *req = json_tokener_parse(line), *id = NULL, *args = NULL;
	const char *cmd = json_object_get_string(json_object_object_get(req, "cmd"));
	struct fake *fk = arg;
	const char *res = "{}";

	json_object_object_get_ex(req, "id", &id);
	json_object_object_get_ex(req, "args", &args);
	if (!strcmp(cmd, "hello"))
		res = "{\"api\": 1, \"pid\": 0}";
	else if (!strcmp(cmd, "port.list"))
		res = "{\"ports\": []}";
	else if (!strcmp(cmd, "tunnel.list"))
		res = fk->tunnels;
	else if (!strcmp(cmd, "steer.list") && fk->rules)
		res = fk->rules;
	else if (!strcmp(cmd, "chain.list") && fk->chains)
		res = fk->chains;
	else if (!strcmp(cmd, "mirror.list") && fk->mirrors)
		res = fk->mirrors;
	if (strcmp(cmd, "hello") && fk->o < sizeof(fk->log))
		fk->o += (size_t)snprintf(fk->log + fk->o, sizeof(fk->log) - fk->o, "%s %s\n", cmd,
					  args ? json_object_to_json_string_ext(args,
										JSON_C_TO_STRING_PLAIN) : "-");
	fprintf(f, "{\"v\": 1, \"id\": %s, \"ok\": true, \"result\": %s}\n",
		json_object_to_json_string(id), res);
	json_object_put(req);
	return true;
}

static void fake_start(struct fake *fk, const char *tunnels)
{
	char path[sizeof(fk->fs.path)];

	memset(fk, 0, sizeof(*fk));
	fk->tunnels = tunnels;
	snprintf(path, sizeof(path), "%s/t1-lab.sock", dir);
	fake_sock_start(&fk->fs, path, answer, fk);
}

static const char lab_text[] =
	BASE
	"    - {name: vx0, underlay: u0, local: 192.0.2.1, vnis: {5010: 10},\n"
	"       remotes: [192.0.2.2, 192.0.2.3]}\n"
	"  name: lab\n";

static const char sent_up[] =
	"tunnel.list -\n"
	"tunnel.add {\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}\n"
	"vni.set {\"tunnel\":\"vx0\",\"vni\":5010,\"bd\":10}\n"
	"vtep.add {\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}\n"
	"vtep.add {\"tunnel\":\"vx0\",\"remote\":\"192.0.2.3\"}\n";

static void test_up_down(void **state)
{
	struct wr_lab *lab;
	struct fake fk;
	char *at;

	(void)state;
	lab = parse_ok(lab_text);
	assert_string_equal(lab->sw.name, "t1-lab");

	/* The ports, then each tunnel: its add, its VNIs, its VTEPs. */
	fake_start(&fk, "{\"tunnels\": []}");
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "tunnel.list");
	assert_non_null(at);
	assert_string_equal(at, sent_up);
	assert_non_null(strstr(fk.log, "port.add {\"name\":\"u0\""));
	assert_true(strstr(fk.log, "port.add {\"name\":\"tap0\"") < at);
	fake_sock_stop(&fk.fs);

	/* A second up sends only what warrend lacks: here the VTEP 192.0.2.3. */
	fake_start(&fk, "{\"tunnels\": [{\"name\": \"vx0\", \"underlay\": \"u0\", "
		   "\"local\": \"192.0.2.1\", \"vnis\": [{\"vni\": 5010, \"bd\": 10}], "
		   "\"vteps\": [{\"remote\": \"192.0.2.2\"}]}]}");
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "tunnel.list");
	assert_non_null(at);
	assert_string_equal(at, "tunnel.list -\n"
			    "vtep.add {\"tunnel\":\"vx0\",\"remote\":\"192.0.2.3\"}\n");

	/* Down, from an instance the lab did not start: the tunnel goes before the ports. */
	fk.o = 0;
	fk.log[0] = '\0';
	assert_int_equal(wr_lab_switch_down(lab), 0);
	assert_true(!strncmp(fk.log, "tunnel.list -\ntunnel.del {\"tunnel\":\"vx0\"}\nport.list -\n",
			     strlen("tunnel.list -\ntunnel.del {\"tunnel\":\"vx0\"}\nport.list -\n")));
	fake_sock_stop(&fk.fs);

	/* One of that name elsewhere is an error; the ports this up added go again. */
	fake_start(&fk, "{\"tunnels\": [{\"name\": \"vx0\", \"underlay\": \"a1\", "
		   "\"local\": \"192.0.2.1\", \"vnis\": [], \"vteps\": []}]}");
	assert_int_equal(wr_lab_switch_up(lab), -EEXIST);
	assert_non_null(strstr(wr_err_msg(), "switch 't1-lab': tunnel vx0: exists on a1 with local "
			       "192.0.2.1, the lab wants it on u0 with local 192.0.2.1"));
	assert_null(strstr(fk.log, "tunnel.add"));
	assert_non_null(strstr(fk.log, "port.del {\"port\":\"u0\"}"));
	fake_sock_stop(&fk.fs);
	wr_lab_free(lab);
}

static const char steer_lab[] =
	STEER_BASE("{mac: 02:00:00:00:00:0B, port: u0}")
	"    - {vlan: 100, port: a1}\n"
	"    - {vni: 5010, port: tap0}\n"
	"  name: lab\n";

/* `steer`: parsed into steer.add requests, sent after the ports; down deletes them first. */
static void test_steer_up_down(void **state)
{
	struct wr_lab *lab;
	struct fake fk;
	char msg[256], *at;

	(void)state;
	lab = parse_ok(steer_lab);
	assert_int_equal(lab->sw.n_steer, 3);
	assert_int_equal(lab->sw.steer[0].cmd, WR_CMD_STEER_ADD);
	assert_int_equal(lab->sw.steer[1].pos.line, 14);
	assert_string_equal(json_object_to_json_string_ext(lab->sw.steer[2].args,
							   JSON_C_TO_STRING_PLAIN),
			    "{\"vni\":5010,\"port\":\"tap0\"}");
	for (size_t i = 0; i < lab->sw.n_steer; i++)
		assert_int_equal(wr_api_check(lab->sw.steer[i].cmd, lab->sw.steer[i].args, msg,
					      sizeof(msg)), 0);

	fake_start(&fk, "{\"tunnels\": []}");
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "steer.list");
	assert_non_null(at);
	assert_true(strstr(fk.log, "port.add {\"name\":\"tap0\"") < at);
	assert_string_equal(at, "steer.list -\n"
			    "steer.add {\"mac\":\"02:00:00:00:00:0B\",\"port\":\"u0\"}\n"
			    "steer.add {\"vlan\":100,\"port\":\"a1\"}\n"
			    "steer.add {\"vni\":5010,\"port\":\"tap0\"}\n");
	fake_sock_stop(&fk.fs);

	/* What warrend has (MACs in any case) is not sent again; down deletes the lab's rules only. */
	fake_start(&fk, "{\"tunnels\": []}");
	fk.rules = "{\"rules\": [{\"id\": 0, \"mac\": \"02:00:00:00:00:0b\", \"port\": \"u0\"}, "
		   "{\"id\": 1, \"vni\": 5010, \"port\": \"tap0\"}, "
		   "{\"id\": 2, \"vlan\": 7, \"port\": \"tap0\"}]}";
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "steer.list");
	assert_string_equal(at, "steer.list -\nsteer.add {\"vlan\":100,\"port\":\"a1\"}\n");
	fk.o = 0;
	fk.log[0] = '\0';
	assert_int_equal(wr_lab_switch_down(lab), 0);
	assert_true(!strncmp(fk.log, "steer.list -\n"
			     "steer.del {\"mac\":\"02:00:00:00:00:0B\"}\n"
			     "steer.del {\"vni\":5010}\n"
			     "port.list -\n", strlen("steer.list -\nsteer.del {\"mac\":\"02:00:00:00:00:0B\"}\n"
						     "steer.del {\"vni\":5010}\nport.list -\n")));
	fake_sock_stop(&fk.fs);

	/* A rule of that match to another port: an error, and the ports this up added go. */
	fake_start(&fk, "{\"tunnels\": []}");
	fk.rules = "{\"rules\": [{\"id\": 0, \"vlan\": 100, \"port\": \"u0\"}]}";
	assert_int_equal(wr_lab_switch_up(lab), -EEXIST);
	assert_non_null(strstr(wr_err_msg(), "switch 't1-lab': steering rule {\"vlan\":100}: sends "
			       "to port u0, the lab wants port a1"));
	assert_non_null(strstr(fk.log, "steer.del {\"mac\":\"02:00:00:00:00:0B\"}"));
	assert_non_null(strstr(fk.log, "port.del {\"port\":\"u0\"}"));
	fake_sock_stop(&fk.fs);
	wr_lab_free(lab);
}

static const char chain_lab[] =
	CHAIN("{name: web, bd: 1, proto: 6, dst_port: 80-81, src: 10.0.0.0/8,\n"
	      "       hops: [{in: a1, out: tap0, fail: closed, probe: tcp, target: 10.0.0.9,\n"
	      "               target_port: 80, netns: h1, fails: 2}]}")
	"  name: lab\n";

/*
 * chain_lab's chain as chain.list shows it, into @buf: its classifier (as
 * warrend prints it: the prefix's address masked, the range LO-HI) and
 * its hop's probe with the defaults filled in; @cls and @probe, when not
 * "", replace the classifier's and the probe's keys after their first.
 */
static void chain_have(char *buf, const char *cls, const char *probe)
{
	snprintf(buf, 1024, "{\"chains\": [{\"name\": \"web\", \"bd\": 1, \"priority\": 0, "
		 "\"classifier\": {\"src\": \"10.0.0.0/8\", %s}, "
		 "\"matched\": {\"forward\": 5, \"reverse\": 5}, "
		 "\"hops\": [{\"hop\": 0, \"in\": \"a1\", \"out\": \"tap0\", \"kind\": \"l2\", "
		 "\"fail\": \"closed\", \"state\": \"up\", \"why\": [], "
		 "\"probe\": {\"probe\": \"tcp\", %s, \"state\": \"up\", \"sent\": 9}}]}]}",
		 cls[0] ? cls : "\"proto\": 6, \"dst_port\": \"80-81\"",
		 probe[0] ? probe : "\"target\": \"10.0.0.9\", \"target_port\": 80, \"netns\": \"h1\", "
				    "\"interval_ms\": 1000, \"timeout_ms\": 500, \"fails\": 2, "
				    "\"passes\": 2");
}

/* chain_lab's chain through a router hop whose MACs the file leaves to warrend. */
static const char chain_lab_l3[] =
	CHAIN("{name: web, bd: 1, proto: 6, dst_port: 80-81, src: 10.0.0.0/8,\n"
	      "       hops: [{in: a1, out: tap0, kind: l3, fail: closed, probe: tcp,\n"
	      "               target: 10.0.0.9, target_port: 80, netns: h1, fails: 2}]}")
	"  name: lab\n";

/* Classifiers and probes chain_have() makes that chain_lab's chain is not. */
static const char *const changed[][2] = {
	{ "\"proto\": 17, \"dst_port\": \"80-81\"", "" },
	{ "\"proto\": 6, \"dst_port\": 80", "" },
	{ "\"proto\": 6, \"dst_port\": \"80-81\", \"vlan\": 5", "" },
	{ "", "\"target\": \"10.0.0.9\", \"target_port\": 80, \"netns\": \"h1\", "
	      "\"interval_ms\": 1000, \"timeout_ms\": 500, \"fails\": 3, \"passes\": 2" },
	{ "", "\"target\": \"10.0.0.9\", \"target_port\": 80, \"netns\": \"h1\", "
	      "\"interval_ms\": 200, \"timeout_ms\": 200, \"fails\": 2, \"passes\": 2" },
	{ "", "\"target\": \"10.0.0.8\", \"target_port\": 80, \"netns\": \"h1\", "
	      "\"interval_ms\": 1000, \"timeout_ms\": 500, \"fails\": 2, \"passes\": 2" },
};

/* `chains`: parsed into chain.add requests (hops as objects), sent after the ports; down deletes them first. */
static void test_chain_up_down(void **state)
{
	struct wr_lab *lab;
	struct fake fk;
	char msg[256], have[1024], *at;

	(void)state;
	lab = parse_ok(chain_lab);
	assert_int_equal(lab->sw.n_chains, 1);
	assert_int_equal(lab->sw.chains[0].cmd, WR_CMD_CHAIN_ADD);
	assert_int_equal(wr_api_check(WR_CMD_CHAIN_ADD, lab->sw.chains[0].args, msg, sizeof(msg)), 0);

	fake_start(&fk, "{\"tunnels\": []}");
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "chain.list");
	assert_non_null(at);
	assert_true(strstr(fk.log, "port.add {\"name\":\"tap0\"") < at);
	assert_string_equal(at, "chain.list -\n"
			    "chain.add {\"name\":\"web\",\"bd\":1,\"src\":\"10.0.0.0\\/8\",\"proto\":6,"
			    "\"dst_port\":\"80-81\",\"hops\":[{\"in\":\"a1\",\"out\":\"tap0\","
			    "\"fail\":\"closed\",\"probe\":\"tcp\",\"target\":\"10.0.0.9\","
			    "\"target_port\":80,\"netns\":\"h1\",\"fails\":2}]}\n");
	fake_sock_stop(&fk.fs);

	/* One warrend has as the lab asks (defaults given) is not sent again; down deletes it first. */
	fake_start(&fk, "{\"tunnels\": []}");
	chain_have(have, "", "");
	fk.chains = have;
	assert_int_equal(wr_lab_switch_up(lab), 0);
	assert_null(strstr(fk.log, "chain.add"));
	assert_null(strstr(fk.log, "chain.del"));
	fk.o = 0;
	fk.log[0] = '\0';
	assert_int_equal(wr_lab_switch_down(lab), 0);
	assert_true(!strncmp(fk.log, "chain.list -\nchain.del {\"chain\":\"web\"}\nport.list -\n",
			     strlen("chain.list -\nchain.del {\"chain\":\"web\"}\nport.list -\n")));
	fake_sock_stop(&fk.fs);

	/* Changed in the file (each of these warrend has otherwise): deleted and added anew. */
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		fake_start(&fk, "{\"tunnels\": []}");
		chain_have(have, changed[i][0], changed[i][1]);
		fk.chains = have;
		assert_int_equal(wr_lab_switch_up(lab), 0);
		at = strstr(fk.log, "chain.list");
		assert_non_null(at);
		assert_true(!strncmp(at, "chain.list -\nchain.del {\"chain\":\"web\"}\nchain.add {"
				     "\"name\":\"web\"", strlen("chain.list -\nchain.del {\"chain\":"
								    "\"web\"}\nchain.add {\"name\":\"web\"")));
		fake_sock_stop(&fk.fs);
	}

	/* A router's MACs warrend read (the file gives none) are no change; another kind is. */
	wr_lab_free(lab);
	lab = parse_ok(chain_lab_l3);
	for (int l3 = 1; l3 >= 0; l3--) {
		char *kind;

		fake_start(&fk, "{\"tunnels\": []}");
		chain_have(have, "", "");
		kind = strstr(have, "\"kind\": \"l2\"");
		assert_non_null(kind);
		if (l3) {
			static const char r[] = "\"kind\": \"l3\", \"in_mac\": \"02:00:00:00:00:01\", "
						"\"out_mac\": \"02:00:00:00:00:02\"";
			const size_t was = strlen("\"kind\": \"l2\"");

			memmove(kind + strlen(r), kind + was, strlen(kind + was) + 1);
			memcpy(kind, r, strlen(r));
		}
		fk.chains = have;
		assert_int_equal(wr_lab_switch_up(lab), 0);
		if (l3)
			assert_null(strstr(fk.log, "chain.del"));
		else
			assert_non_null(strstr(fk.log, "chain.del {\"chain\":\"web\"}"));
		fake_sock_stop(&fk.fs);
	}
	wr_lab_free(lab);
	lab = parse_ok(chain_lab);

	/* One of that name through other hops: an error, and the ports this up added go. */
	fake_start(&fk, "{\"tunnels\": []}");
	fk.chains = "{\"chains\": [{\"name\": \"web\", \"bd\": 1, \"hops\": [{\"in\": \"u0\", "
		    "\"out\": \"tap0\"}]}]}";
	assert_int_equal(wr_lab_switch_up(lab), -EEXIST);
	assert_non_null(strstr(wr_err_msg(), "switch 't1-lab': chain web: runs through other hops"));
	assert_non_null(strstr(fk.log, "port.del {\"port\":\"u0\"}"));
	fake_sock_stop(&fk.fs);
	wr_lab_free(lab);
}

static int setup(void **state)
{
	(void)state;
	return fake_run_dir(dir, sizeof(dir), "/tmp/wr-lab-tunnel.XXXXXX");
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

static const char mirror_lab[] =
	MIRROR("{port: u0, to: tap0}")
	"    - {port: a1, to: tap0, dir: rx}\n"
	"  name: lab\n";

/* `mirrors`: mirror.add requests sent after the ports; down deletes them before the ports. */
static void test_mirror_up_down(void **state)
{
	struct wr_lab *lab;
	struct fake fk;
	char msg[256], *at;

	(void)state;
	lab = parse_ok(mirror_lab);
	assert_int_equal(lab->sw.n_mirrors, 2);
	for (size_t i = 0; i < lab->sw.n_mirrors; i++)
		assert_int_equal(wr_api_check(lab->sw.mirrors[i].cmd, lab->sw.mirrors[i].args, msg,
					      sizeof(msg)), 0);
	fake_start(&fk, "{\"tunnels\": []}");
	assert_int_equal(wr_lab_switch_up(lab), 0);
	at = strstr(fk.log, "mirror.list");
	assert_non_null(at);
	assert_true(strstr(fk.log, "port.add {\"name\":\"tap0\"") < at);
	assert_string_equal(at, "mirror.list -\n"
			    "mirror.add {\"port\":\"u0\",\"to\":\"tap0\"}\n"
			    "mirror.add {\"port\":\"a1\",\"to\":\"tap0\",\"dir\":\"rx\"}\n");
	fake_sock_stop(&fk.fs);

	/* What warrend has is not sent again; down deletes the lab's, first. */
	fake_start(&fk, "{\"tunnels\": []}");
	fk.mirrors = "{\"mirrors\": [{\"id\": 0, \"port\": \"u0\", \"to\": \"tap0\"}]}";
	assert_int_equal(wr_lab_switch_up(lab), 0);
	assert_string_equal(strstr(fk.log, "mirror.list"), "mirror.list -\n"
			    "mirror.add {\"port\":\"a1\",\"to\":\"tap0\",\"dir\":\"rx\"}\n");
	fk.o = 0;
	fk.log[0] = '\0';
	assert_int_equal(wr_lab_switch_down(lab), 0);
	assert_true(!strncmp(fk.log, "mirror.list -\nmirror.del {\"port\":\"u0\",\"to\":\"tap0\"}\n",
			     strlen("mirror.list -\nmirror.del {\"port\":\"u0\",\"to\":\"tap0\"}\n")));
	fake_sock_stop(&fk.fs);
	wr_lab_free(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_up_down),
		cmocka_unit_test(test_steer_up_down),
		cmocka_unit_test(test_chain_up_down),
		cmocka_unit_test(test_mirror_up_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
