/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_labfile_evpn.c - the lab file's `evpn:` section: a host takes its
 * tunnel's VNIs, local address and underlay namespace from the switch, a
 * route reflector names its namespace; every error at its line:column.
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

#include "wr_control.h"

#include "labtest.h"

/* A host: its switch's tunnel vx0 at line 9; the evpn section starts at line 11. */
#define HOST \
	"prefix: t1-\n"						/* 1 */ \
	"namespaces: {ua: , a1: }\n" \
	"links:\n" \
	"  - {kind: veth, endpoints: [ua:eth0, a1:eth0]}\n" \
	"switch:\n"						/* 5 */ \
	"  ports:\n" \
	"    - {dev: ua:eth0, name: u0}\n" \
	"  tunnels:\n" \
	"    - {name: vx0, underlay: u0, local: 192.0.2.1, vnis: {5010: 10, 5020: 20}}\n" \
	"    - {name: vx6, underlay: u0, local: '2001:db8::1', vnis: {7: 30}, dstport: 4790}\n" \
	"evpn:\n"						/* 11 */
#define EV(body) HOST body

static void test_host(void **state)
{
	struct wr_lab *lab;
	char a[INET_ADDRSTRLEN];

	(void)state;
	lab = parse_ok(EV("  {tunnel: vx0, asn: 65000, router_id: 192.0.2.1, neighbors: [192.0.2.254, 192.0.2.253]}\n"));
	assert_true(lab->evpn.present);
	assert_int_equal(lab->evpn.asn, 65000);
	assert_string_equal(lab->evpn.tunnel, "vx0");
	assert_string_equal(lab->evpn.netns, "t1-ua");
	assert_string_equal(inet_ntop(AF_INET, &lab->evpn.local.addr.v4, a, sizeof(a)), "192.0.2.1");
	assert_int_equal(lab->evpn.n_vnis, 2);
	assert_int_equal(lab->evpn.vni[1], 5020);
	assert_int_equal(lab->evpn.bd[1], 20);
	assert_int_equal(lab->evpn.n_peers, 2);
	assert_int_equal(lab->evpn.anchor_port, 4790);
	assert_false(lab->evpn.has_listen);
	wr_lab_free(lab);
}

static void test_rr(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces: {rr: }\n"
		       "evpn: {netns: rr, asn: 4200000000, router_id: 192.0.2.254, listen: 192.0.2.0/24}\n");
	assert_string_equal(lab->evpn.netns, "rr");
	assert_string_equal(lab->evpn.tunnel, "");
	assert_true(lab->evpn.has_listen);
	assert_int_equal(lab->evpn.listen.prefixlen, 24);
	assert_int_equal(lab->evpn.asn, 4200000000u);
	wr_lab_free(lab);
}

static const struct err_case cases[] = {
	E(EV("  {tunnel: vx0, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 3,
	  "evpn: missing 'asn'"),
	E(EV("  {tunnel: vx0, asn: 0, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 22,
	  "asn: 0 is out of range"),
	E(EV("  {tunnel: vx0, asn: 1, router_id: '2001:db8::9', neighbors: [192.0.2.254]}\n"), 12, 36,
	  "evpn: router_id: FRR 8.4's EVPN has IPv4 only"),
	E(EV("  {tunnel: vx0, asn: 1, router_id: 192.0.2.1}\n"), 12, 3,
	  "evpn: no BGP peer: give 'neighbors'"),
	E(EV("  {tunnel: vx0, asn: 1, router_id: 192.0.2.1, listen: 192.0.2.1}\n"), 12, 55,
	  "evpn: listen: expected an IPv4 prefix"),
	E(EV("  {tunnel: vx9, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 12,
	  "evpn: tunnel 'vx9': no such tunnel in the switch"),
	EN(EV("  {tunnel: vx6, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 12,
	   "evpn: tunnel 'vx6': its local address is not IPv4", 2),
	E(EV("  {tunnel: vx0, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254], anchor_port: 4789}\n"), 12, 12,
	  "evpn: anchor_port 4789 is tunnel 'vx0''s own UDP port"),
	E(EV("  {tunnel: vx0, netns: ua, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 24,
	  "evpn: 'netns' with 'tunnel'"),
	E(EV("  {asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n"), 12, 3,
	  "evpn: give 'tunnel'"),
	E(EV("  {netns: nope, asn: 1, router_id: 192.0.2.1, listen: 192.0.2.0/24}\n"), 12, 11,
	  "'nope'"),
	E(EV("  {tunnel: vx0, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254], vnis: [1]}\n"), 12, 73,
	  "unknown key 'vnis' in evpn"),
	E(EV("  {tunnel: vx0, asn: 1, router_id: 192.0.2.1, neighbors: 192.0.2.254}\n"), 12, 58,
	  "evpn: neighbors: expected a sequence of IPv4 addresses"),
	E(EV("  [1]\n"), 12, 3, "evpn: expected a mapping"),
	E("evpn: {tunnel: vx0, asn: 1, router_id: 192.0.2.1, neighbors: [192.0.2.254]}\n", 1, 16,
	  "evpn: tunnel: the lab has no switch"),
};

static void test_errors(void **state)
{
	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_rr),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
