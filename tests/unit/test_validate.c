/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_validate.c - names, addresses, MACs, sysctl keys, link kinds and
 * macvlan modes: every accepted form, and every refusal with the message it
 * must carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>

#include "wr_control.h"

/* A refusal: the input and a piece of the message it must give. */
struct bad_case {
	const char *text;
	const char *msg;
};

static void assert_msg_has(const char *input, const char *want)
{
	if (!strstr(wr_err_msg(), want))
		fail_msg("input '%s': message '%s' lacks '%s'", input, wr_err_msg(), want);
}

/* -------------------------------------------------------------- ifname */

static void test_ifname_ok(void **state)
{
	static const char *const good[] = {
		"eth0", "a", "veth-a_b.c", "123456789012345", "br0.100", "x@y", "..a", "é",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		wr_err_clear();
		if (wr_valid_ifname(good[i]))
			fail_msg("'%s' refused: %s", good[i], wr_err_msg());
	}
}

static void test_ifname_bad(void **state)
{
	static const struct bad_case bad[] = {
		{ "", "interface name is empty (expected 1..15 bytes)" },
		{ ".", "'.' is not a valid interface name" },
		{ "..", "'..' is not a valid interface name" },
		{ "eth0/1", "'eth0/1': interface name may not contain '/'" },
		{ "h1:eth0", "'h1:eth0': interface name may not contain ':'" },
		{ "eth%d", "'eth%d': interface name may not contain '%'" },
		{ "eth 0", "'eth 0': interface name may not contain whitespace" },
		{ "eth\t0", "'eth\\x090': interface name may not contain whitespace" },
		{ "eth0\n", "'eth0\\x0a': interface name may not contain whitespace" },
		{ "eth\xa0", "interface name may not contain whitespace" },
		{ "eth\x01", "'eth\\x01': interface name may not contain control characters" },
		{ "eth\x7f", "interface name may not contain control characters" },
		{ "1234567890123456", "'1234567890123456': interface name is 16 bytes, at most 15 are allowed" },
	};
	size_t i;

	(void)state;
	assert_int_equal(wr_valid_ifname(NULL), -EINVAL);
	assert_msg_has("NULL", "interface name is empty");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_err_clear();
		if (wr_valid_ifname(bad[i].text) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		assert_msg_has(bad[i].text, bad[i].msg);
	}
}

/* --------------------------------------------------------------- netns */

static void test_netns_ok(void **state)
{
	static const char *const good[] = {
		"h1", "A-Z_a.z-09", "...", ".h", "x",
		"1234567890123456789012345678901234567890123456789012345678901234",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (wr_valid_netns_name(good[i]))
			fail_msg("'%s' refused: %s", good[i], wr_err_msg());
}

static void test_netns_bad(void **state)
{
	static const struct bad_case bad[] = {
		{ "", "namespace name is empty (expected 1..64 bytes of A-Z a-z 0-9 _ . -)" },
		{ ".", "'.' is not a valid namespace name" },
		{ "..", "'..' is not a valid namespace name" },
		{ "h 1", "'h 1': namespace name may not contain ' ' (only A-Z a-z 0-9 _ . -)" },
		{ "a/b", "namespace name may not contain '/'" },
		{ "a:b", "namespace name may not contain ':'" },
		{ "a\nb", "'a\\x0ab': namespace name may not contain '\\x0a'" },
		{ "h\xc3\xa9", "may not contain '\\xc3'" },
		{ "12345678901234567890123456789012345678901234567890123456789012345",
		  "namespace name is 65 bytes, at most 64 are allowed" },
	};
	size_t i;

	(void)state;
	assert_int_equal(wr_valid_netns_name(NULL), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_err_clear();
		if (wr_valid_netns_name(bad[i].text) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		assert_msg_has(bad[i].text, bad[i].msg);
	}
}

/* ---------------------------------------------------------------- CIDR */

struct cidr_case {
	const char *text;
	bool need_prefix;
	int family;
	unsigned int prefixlen;
	const char *formatted;	/* wr_format_cidr() of the result */
};

static void test_cidr_ok(void **state)
{
	static const struct cidr_case good[] = {
		{ "192.0.2.1/24", true, AF_INET, 24, "192.0.2.1/24" },
		{ "0.0.0.0/0", true, AF_INET, 0, "0.0.0.0/0" },
		{ "10.0.0.1/32", true, AF_INET, 32, "10.0.0.1/32" },
		{ "2001:db8::1/64", true, AF_INET6, 64, "2001:db8::1/64" },
		{ "2001:DB8:0:0::1/128", true, AF_INET6, 128, "2001:db8::1/128" },
		{ "::/0", true, AF_INET6, 0, "::/0" },
		{ "::ffff:192.0.2.1/96", true, AF_INET6, 96, "::ffff:192.0.2.1/96" },
		{ "192.0.2.1", false, AF_INET, 32, "192.0.2.1/32" },
		{ "fe80::1", false, AF_INET6, 128, "fe80::1/128" },
		{ "192.0.2.1/8", false, AF_INET, 8, "192.0.2.1/8" },
	};
	char buf[INET6_ADDRSTRLEN + 4];
	struct wr_cidr c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&c, 0xaa, sizeof(c));
		if (wr_parse_cidr(good[i].text, good[i].need_prefix, &c))
			fail_msg("'%s' refused: %s", good[i].text, wr_err_msg());
		assert_int_equal(c.family, good[i].family);
		assert_int_equal(c.prefixlen, good[i].prefixlen);
		wr_format_cidr(&c, buf, sizeof(buf));
		assert_string_equal(buf, good[i].formatted);
	}
	assert_int_equal(wr_parse_cidr("192.0.2.7/24", true, &c), 0);
	assert_memory_equal(c.addr.bytes, "\xc0\x00\x02\x07", 4);
}

static void test_cidr_bad(void **state)
{
	static const struct {
		const char *text;
		bool need_prefix;
		const char *msg;
	} bad[] = {
		{ "", true, "address is empty (expected ADDRESS/PREFIX" },
		{ "", false, "address is empty (expected an IPv4 or IPv6 address)" },
		{ "10.0.0.1/33", true, "'10.0.0.1/33': prefix length must be 0..32" },
		{ "2001:db8::1/129", true, "'2001:db8::1/129': prefix length must be 0..128" },
		{ "10.0.0.1/1000", true, "prefix length must be 0..32" },
		{ "10.0.0.1/99999999999999999999", true, "prefix length must be 0..32" },
		{ "192.0.2.1", true, "'192.0.2.1': missing prefix length (expected ADDRESS/PREFIX, e.g. 192.0.2.1/24)" },
		{ "2001:db8::1", true, "missing prefix length (expected ADDRESS/PREFIX, e.g. 2001:db8::1/64)" },
		{ "10.0.0.1/", true, "'10.0.0.1/': missing prefix length after '/'" },
		{ "10.0.0.1/", false, "missing prefix length after '/'" },
		{ "/24", true, "'/24': missing address before '/'" },
		{ "10.0.0.1/024", true, "'10.0.0.1/024': prefix length may not have leading zeros" },
		{ "10.0.0.1/00", true, "prefix length may not have leading zeros" },
		{ "10.0.0.1/+24", true, "'10.0.0.1/+24': prefix length must be a decimal number 0..32" },
		{ "10.0.0.1/-1", true, "prefix length must be a decimal number 0..32" },
		{ "10.0.0.1/ 24", true, "prefix length must be a decimal number" },
		{ "10.0.0.1/24 ", true, "prefix length must be a decimal number" },
		{ "10.0.0.1/24/8", true, "prefix length must be a decimal number" },
		{ "10.0.0.1/0x10", true, "prefix length must be a decimal number" },
		{ "10.0.0.1 /24", true, "'10.0.0.1 /24': not an IPv4 or IPv6 address" },
		{ "10.0.0.1x", false, "'10.0.0.1x': not an IPv4 or IPv6 address" },
		{ " 10.0.0.1", false, "not an IPv4 or IPv6 address" },
		{ "300.0.0.1/8", true, "'300.0.0.1/8': not an IPv4 or IPv6 address" },
		{ "010.0.0.1/8", true, "not an IPv4 or IPv6 address" },
		{ "10.0.1/8", true, "not an IPv4 or IPv6 address" },
		{ "2001:db8:::1/64", true, "not an IPv4 or IPv6 address" },
		{ "fe80::1%eth0", false, "not an IPv4 or IPv6 address" },
		{ "default", false, "'default': not an IPv4 or IPv6 address" },
		{ "0123456789012345678901234567890123456789012345678901234567890123456789",
		  false, "not an IPv4 or IPv6 address" },
	};
	struct wr_cidr c, before;
	size_t i;

	(void)state;
	memset(&before, 0x5a, sizeof(before));
	assert_int_equal(wr_parse_cidr(NULL, false, &c), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = before;
		wr_err_clear();
		if (wr_parse_cidr(bad[i].text, bad[i].need_prefix, &c) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		assert_msg_has(bad[i].text, bad[i].msg);
		/* A refused text leaves the output alone. */
		assert_memory_equal(&c, &before, sizeof(c));
	}
}

static void test_format_cidr_small(void **state)
{
	struct wr_cidr c;
	char buf[8];

	(void)state;
	assert_int_equal(wr_parse_cidr("192.0.2.100/24", true, &c), 0);
	wr_format_cidr(&c, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2");
	memset(&c, 0, sizeof(c));
	wr_format_cidr(&c, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	wr_format_cidr(&c, buf, 0);
}

/* ----------------------------------------------------------------- MAC */

static void test_mac_ok(void **state)
{
	static const struct {
		const char *text;
		uint8_t mac[6];
	} good[] = {
		{ "02:00:00:00:00:01", { 2, 0, 0, 0, 0, 1 } },
		{ "aa:BB:cC:Dd:ee:FF", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "ff:ff:ff:ff:ff:ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ "00:00:00:00:00:00", { 0 } },
	};
	uint8_t mac[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (wr_parse_mac(good[i].text, mac))
			fail_msg("'%s' refused: %s", good[i].text, wr_err_msg());
		assert_memory_equal(mac, good[i].mac, 6);
	}
}

static void test_mac_bad(void **state)
{
	static const char *const bad[] = {
		"02:00:00:00:00", "02:00:00:00:00:01:02", "02:00:00:00:00:1", "2:00:00:00:00:01",
		"02-00-00-00-00-01", "0200.0000.0001", "020000000001", "02:00:00:00:00:0g",
		"02:00:00:00:00:01 ", " 02:00:00:00:00:01", "02::00:00:00:00:01", "xx:00:00:00:00:01",
		"02:00:00:00:00:01:", "-2:0:0:0:0:1", "-2:00:00:00:00:01", "+2:00:00:00:00:01",
		"0x:00:00:00:00:01", "02:00:00:00:00:-1",
	};
	uint8_t mac[6] = { 9, 9, 9, 9, 9, 9 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_err_clear();
		if (wr_parse_mac(bad[i], mac) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_msg_has(bad[i], "not a MAC address (expected six hex pairs like 02:00:00:00:00:01)");
		assert_msg_has(bad[i], bad[i]);
	}
	assert_memory_equal(mac, "\x09\x09\x09\x09\x09\x09", 6);
	assert_int_equal(wr_parse_mac("", mac), -EINVAL);
	assert_msg_has("", "MAC address is empty");
	assert_int_equal(wr_parse_mac(NULL, mac), -EINVAL);
}

/* ----------------------------------------------------------- sysctl keys */

static void test_sysctl_key_ok(void **state)
{
	static const char *const good[] = {
		"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.core.somaxconn",
		"net.ipv4.conf.eth0/10.forwarding", "net./a", "net.a/", "net.a-b_C9",
	};
	char longest[WR_SYSCTL_KEY_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		wr_err_clear();
		if (wr_sysctl_valid_key(good[i]))
			fail_msg("'%s' refused: %s", good[i], wr_err_msg());
	}
	memset(longest, 'a', sizeof(longest) - 1);
	memcpy(longest, "net.", 4);
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(wr_sysctl_valid_key(longest), 0);
}

static void test_sysctl_key_bad(void **state)
{
	static const struct bad_case bad[] = {
		{ "kernel.pid_max", "sysctl 'kernel.pid_max': only keys under 'net.' belong to a namespace" },
		{ "net/ipv4/ip_forward", "only keys under 'net.' belong to a namespace" },
		{ "", "sysctl '': only keys under 'net.'" },
		{ "net", "sysctl 'net': only keys under 'net.'" },
		{ "net.ipv4.a b", "sysctl 'net.ipv4.a b': may only contain A-Z a-z 0-9 _ . - /" },
		{ "net.a\x1b[31m", "sysctl 'net.a\\x1b[31m': may only contain" },
		{ "net.a'b", "sysctl 'net.a\\x27b': may only contain" },
		{ "net..x", "sysctl 'net..x': every part between dots must be a name" },
		{ "net.", "sysctl 'net.': every part between dots must be a name" },
		{ "net.x.", "every part between dots must be a name" },
		{ "net./", "every part between dots must be a name" },
		{ "net.//.x", "every part between dots must be a name" },
	};
	char key[WR_SYSCTL_KEY_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_err_clear();
		if (wr_sysctl_valid_key(bad[i].text) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		assert_msg_has(bad[i].text, bad[i].msg);
	}
	/* One byte past the limit; the message shows the key cut short. */
	memset(key, 'a', sizeof(key) - 1);
	memcpy(key, "net.", 4);
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(wr_sysctl_valid_key(key), -EINVAL);
	assert_msg_has("long", "...': is 128 bytes, at most 127 are allowed");
	assert_true(strlen(wr_err_msg()) < 150);
}

/* ------------------------------------------------------ kinds and modes */

static void test_link_kinds(void **state)
{
	static const char *const names[WR_LINK_KIND_COUNT] = {
		"veth", "tap", "tun", "bridge", "vxlan", "macvlan", "dummy", "ipvlan", "vlan",
		"geneve",
	};
	int i;

	(void)state;
	for (i = 0; i < WR_LINK_KIND_COUNT; i++) {
		assert_string_equal(wr_link_kind_name((enum wr_link_kind)i), names[i]);
		assert_int_equal(wr_link_kind_parse(names[i]), i);
	}
	assert_null(wr_link_kind_name(WR_LINK_KIND_COUNT));
	assert_null(wr_link_kind_name((enum wr_link_kind)-1));
	assert_int_equal(wr_link_kind_parse("Veth"), -EINVAL);
	assert_msg_has("Veth", "'Veth': unknown link kind (expected one of: veth, tap, tun, bridge, vxlan, macvlan, dummy, ipvlan, vlan, geneve)");
	assert_int_equal(wr_link_kind_parse("veth "), -EINVAL);
	assert_int_equal(wr_link_kind_parse(""), -EINVAL);
	assert_msg_has("", "link kind is empty");
	assert_int_equal(wr_link_kind_parse(NULL), -EINVAL);
}

static void test_macvlan_modes(void **state)
{
	static const char *const names[] = { "private", "vepa", "bridge", "passthru" };
	int i;

	(void)state;
	assert_int_equal(WR_MACVLAN_PRIVATE, 0);
	for (i = 0; i < 4; i++) {
		assert_string_equal(wr_macvlan_mode_name((enum wr_macvlan_mode)i), names[i]);
		assert_int_equal(wr_macvlan_mode_parse(names[i]), i);
	}
	assert_null(wr_macvlan_mode_name((enum wr_macvlan_mode)4));
	assert_int_equal(wr_macvlan_mode_parse("source"), -EINVAL);
	assert_msg_has("source", "'source': unknown macvlan mode (expected one of: private, vepa, bridge, passthru)");
	assert_int_equal(wr_macvlan_mode_parse(NULL), -EINVAL);
}

/* Messages quote what they got; a long or binary value must not flood them. */
static void test_message_quoting(void **state)
{
	char longname[600];

	(void)state;
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(wr_valid_ifname(longname), -EINVAL);
	assert_msg_has("long", "...': interface name is 599 bytes, at most 15 are allowed");
	assert_true(strlen(wr_err_msg()) < 150);
	assert_int_equal(wr_parse_mac("\x1b[31m", (uint8_t[6]){ 0 }), -EINVAL);
	assert_msg_has("escape", "'\\x1b[31m'");
	assert_int_equal(wr_valid_netns_name("it's"), -EINVAL);
	assert_msg_has("quote", "'it\\x27s'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifname_ok),
		cmocka_unit_test(test_ifname_bad),
		cmocka_unit_test(test_netns_ok),
		cmocka_unit_test(test_netns_bad),
		cmocka_unit_test(test_cidr_ok),
		cmocka_unit_test(test_cidr_bad),
		cmocka_unit_test(test_format_cidr_small),
		cmocka_unit_test(test_mac_ok),
		cmocka_unit_test(test_mac_bad),
		cmocka_unit_test(test_sysctl_key_ok),
		cmocka_unit_test(test_sysctl_key_bad),
		cmocka_unit_test(test_link_kinds),
		cmocka_unit_test(test_macvlan_modes),
		cmocka_unit_test(test_message_quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
