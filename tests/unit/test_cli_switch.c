/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_switch.c - what the switch commands make of their arguments,
 * without a switch: `port add` and `port set` keywords (unique prefixes,
 * values, rules) into struct wr_port_req, that into the JSON of port.add
 * and port.set, and the names, lists and devargs under them (swconf.c), and
 * what a port's preparation looks at. Usage errors are checked by their text
 * on stderr.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ARGV_MAX 24

static const struct wr_cmd fake_cmd = { .object = "port", .name = "add" };

/* Split @line at spaces into @argv; returns argc. */
static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *t = strtok(line, " "); t && argc < ARGV_MAX; t = strtok(NULL, " "))
		argv[argc++] = t;
	return argc;
}

/* wr_cli_port_args() on @line; what it wrote on stderr into @err (may be NULL). */
static int port_args(const char *line, bool add, const char *netns, struct wr_port_req *pc,
		     char *err, size_t size)
{
	struct wr_ctx ctx = { .netns = netns, .switch_name = "warren", .cmd = &fake_cmd };
	char buf[512], *argv[ARGV_MAX];
	FILE *tmp = tmpfile();
	int saved, ret, argc;
	size_t n;

	assert_non_null(tmp);
	snprintf(buf, sizeof(buf), "%s", line);
	argc = split(buf, argv);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = wr_cli_port_args(&ctx, argc, argv, add, pc);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (err) {
		rewind(tmp);
		n = fread(err, 1, size - 1, tmp);
		err[n] = '\0';
	}
	fclose(tmp);
	return ret;
}

static void port_ok(const char *line, bool add, const char *netns, struct wr_port_req *pc)
{
	char err[512];

	if (port_args(line, add, netns, pc, err, sizeof(err)))
		fail_msg("'%s' refused: %s", line, err);
}

/* ------------------------------------------------------------- port add */

static void test_add_minimal(void **state)
{
	struct wr_port_req pc;

	(void)state;
	port_ok("p1", true, NULL, &pc);
	assert_string_equal(pc.name, "p1");
	assert_string_equal(pc.dev.netns, "");
	assert_string_equal(pc.dev.ifname, "");
	assert_int_equal(pc.type, WR_PORT_AFXDP);
	assert_int_equal(pc.queue, -1);
	assert_int_equal(pc.zerocopy, -1);
	assert_int_equal(pc.vlan_mode, -1);
	assert_int_equal(pc.bd, -1);
	assert_int_equal(pc.access_vlan, -1);
	assert_int_equal(pc.native_vlan, -1);
	assert_false(pc.has_allowed);
	assert_int_equal(pc.learning, -1);
	assert_int_equal(pc.mac_limit, -1);
	assert_int_equal(pc.fastpath, -1);
	assert_int_equal(pc.up, -1);

	/* -n gives the namespace; netns overrides it, 'root' is the root. */
	port_ok("name p1", true, "sw", &pc);
	assert_string_equal(pc.name, "p1");
	assert_string_equal(pc.dev.netns, "sw");
	port_ok("p1 netns h1", true, "sw", &pc);
	assert_string_equal(pc.dev.netns, "h1");
	port_ok("p1 netns root", true, "sw", &pc);
	assert_string_equal(pc.dev.netns, "");
}

static void test_add_full(void **state)
{
	struct wr_port_req pc;

	(void)state;
	port_ok("p1 netns sw dev h1 type afxdp queue 3 zerocopy on umem own bd 7 learning off "
		"mac-limit 9", true, NULL, &pc);
	assert_string_equal(pc.dev.netns, "sw");
	assert_string_equal(pc.dev.ifname, "h1");
	assert_int_equal(pc.queue, 3);
	assert_int_equal(pc.zerocopy, WR_ZEROCOPY_ON);
	assert_int_equal(pc.umem, WR_UMEM_OWN);
	assert_int_equal(pc.bd, 7);
	assert_int_equal(pc.learning, 0);
	assert_int_equal(pc.mac_limit, 9);

	/* Unique prefixes, of keywords and of values. */
	port_ok("up0 ty ta dev tap1 tr 10,20-29 nat 1 l on ma 0", true, NULL, &pc);
	assert_int_equal(pc.type, WR_PORT_TAP);
	assert_string_equal(pc.dev.ifname, "tap1");
	assert_int_equal(pc.vlan_mode, WR_VLAN_TRUNK);
	assert_true(pc.has_allowed);
	assert_int_equal(pc.n_allowed, 2);
	assert_int_equal(pc.allowed[0].lo, 10);
	assert_int_equal(pc.allowed[0].hi, 10);
	assert_int_equal(pc.allowed[1].lo, 20);
	assert_int_equal(pc.allowed[1].hi, 29);
	assert_int_equal(pc.native_vlan, 1);
	assert_int_equal(pc.learning, 1);
	assert_int_equal(pc.mac_limit, 0);

	port_ok("a1 acc 4094 z of q 4095", true, NULL, &pc);
	assert_int_equal(pc.vlan_mode, WR_VLAN_ACCESS);
	assert_int_equal(pc.access_vlan, 4094);
	assert_int_equal(pc.zerocopy, WR_ZEROCOPY_OFF);
	assert_int_equal(pc.queue, 4095);
}

/* A dpdk port: its devargs and the namespace its PMD works in; no device. */
static void test_add_dpdk(void **state)
{
	struct wr_port_req pc;

	(void)state;
	port_ok("d0 type dpdk devargs net_tap0,iface=dt1 netns sw access 10 fastpath off", true,
		NULL, &pc);
	assert_int_equal(pc.type, WR_PORT_DPDK);
	assert_string_equal(pc.devargs, "net_tap0,iface=dt1");
	assert_string_equal(pc.dev.netns, "sw");
	assert_string_equal(pc.dev.ifname, "");
	assert_int_equal(pc.access_vlan, 10);
	assert_int_equal(pc.fastpath, WR_FASTPATH_OFF);
	assert_int_equal(pc.queue, -1);
	assert_int_equal(pc.zerocopy, -1);
	assert_int_equal(pc.umem, -1);

	/* Prefixes; -n gives the namespace as for the other types. */
	port_ok("d1 deva 0000:03:00.0 ty dp fa a", true, "h1", &pc);
	assert_int_equal(pc.type, WR_PORT_DPDK);
	assert_string_equal(pc.devargs, "0000:03:00.0");
	assert_string_equal(pc.dev.netns, "h1");
	assert_int_equal(pc.fastpath, WR_FASTPATH_AUTO);

	/* Other types have no devargs. */
	port_ok("p1 dev h1", true, NULL, &pc);
	assert_string_equal(pc.devargs, "");
}

/* fastpath: each mode, by name or by a unique prefix, in add and in set. */
static void test_fastpath(void **state)
{
	static const struct {
		const char *line;
		bool add;
		int want;
	} cases[] = {
		{ "p1 fastpath xdp", true, WR_FASTPATH_XDP },
		{ "p1 fastpath tc", true, WR_FASTPATH_TC },
		{ "p1 fastpath off", true, WR_FASTPATH_OFF },
		{ "p1 fastpath auto", true, WR_FASTPATH_AUTO },
		{ "p1 f x", true, WR_FASTPATH_XDP },
		{ "p1 fast t", true, WR_FASTPATH_TC },
		{ "t0 type tap fastpath off", true, WR_FASTPATH_OFF },
		{ "t0 type tap fastpath auto", true, WR_FASTPATH_AUTO },
		{ "p1 fastpath tc", false, WR_FASTPATH_TC },
		{ "p1 fa o", false, WR_FASTPATH_OFF },
		{ "p1 fastpath a up", false, WR_FASTPATH_AUTO },
	};
	struct wr_port_req pc;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		port_ok(cases[i].line, cases[i].add, NULL, &pc);
		if (pc.fastpath != cases[i].want)
			fail_msg("'%s': fastpath %d, want %d", cases[i].line, pc.fastpath,
				 cases[i].want);
	}
}

/* A command line of `port add` (@add) or `port set`, and what it should give. */
struct line_case {
	const char *line;
	bool add;
	const char *want;	/* the usage error, or the request */
};

static const struct line_case usage_cases[] = {
	{ "", true, "expected the port's NAME" },
	{ "name", true, "expected the port's NAME" },
	{ "a/b", true, "NAME: 'a/b': port name may not contain '/' (only A-Z a-z 0-9 _ . -)" },
	{ "abcdefghijklmnop", true, "NAME: 'abcdefghijklmnop': port name is 16 bytes, at most 15 are allowed" },
	{ "p1 foo 1", true, "unknown keyword 'foo' (expected one of: type, netns, dev, devargs, queue, zerocopy, umem, bd, vlan, access, trunk, native, learning, mac-limit, fastpath)" },
	{ "p1 n sw", true, "keyword 'n' is ambiguous: netns, native" },
	{ "p1 d h1", true, "keyword 'd' is ambiguous: dev, devargs" },
	{ "p1 bd 1 bd 2", true, "'bd' given twice" },
	{ "p1 b 1 bd 2", true, "'bd' given twice" },
	{ "p1 dev", true, "'dev' needs a value" },
	{ "p1 netns a/b", true, "netns: 'a/b': namespace name may not contain '/'" },
	{ "p1 dev a/b", true, "dev: 'a/b': interface name may not contain '/'" },
	{ "p1 type vhost", true, "unknown type 'vhost' (expected one of: afxdp, tap, dpdk)" },
	/* dpdk: devargs is required, and only for it; no device, queue, zero-copy, fast path. */
	{ "p1 type dpdk", true, "devargs: required for dpdk ports" },
	{ "p1 type dpdk netns sw bd 2", true, "devargs: required for dpdk ports" },
	{ "p1 type dpdk devargs", true, "'devargs' needs a value" },
	{ "p1 devargs net_tap0", true, "devargs: for dpdk ports, not afxdp" },
	{ "p1 type tap devargs net_tap0 dev tap0", true, "devargs: for dpdk ports, not tap" },
	{ "p1 type dpdk devargs net_tap0 devargs net_tap1", true, "'devargs' given twice" },
	{ "p1 type dpdk devargs net_tap0 dev h1", true, "dev: for afxdp or tap ports, not dpdk" },
	{ "p1 type dpdk devargs net_tap0 queue 1", true, "queue: for afxdp ports, not dpdk" },
	{ "p1 zerocopy off type dpdk devargs net_tap0", true, "zerocopy: for afxdp ports, not dpdk" },
	{ "p1 type dpdk devargs net_tap0 fastpath xdp", true, "fastpath: dpdk ports have no kernel fast path ('xdp' is for afxdp ports; give off or auto)" },
	{ "p1 fastpath tc devargs net_tap0 type dpdk", true, "fastpath: dpdk ports have no kernel fast path ('tc' is for afxdp ports; give off or auto)" },
	{ "p1 type dpdk devargs ,iface=dt1", true, "devargs: ',iface=dt1': devargs has no device name before its first comma (net_tap0,iface=dt1)" },
	{ "p1 type dpdk devargs net_af_xdp0,iface=a/b", true, "devargs: iface: 'a/b': interface name may not contain '/'" },
	{ "p1 type dpdk devargs net_af_xdp0,queue_count=1,iface=", true, "devargs: iface: interface name is empty" },
	{ "p1 zerocopy o", true, "zerocopy 'o' is ambiguous: on, off" },
	{ "p1 queue 4096", true, "queue: '4096' is not a number from 0 to 4095" },
	{ "p1 queue -1", true, "queue: '-1' is not a number from 0 to 4095" },
	{ "p1 bd 0", true, "bd: '0' is not a number from 1 to 4095" },
	{ "p1 bd 4096", true, "bd: '4096' is not a number from 1 to 4095" },
	{ "p1 access 4095", true, "access: '4095' is not a number from 1 to 4094" },
	{ "p1 access 4294967297", true, "access: '4294967297' is not a number from 1 to 4094" },
	{ "p1 trunk 1-4294967297", true, "trunk: '1-4294967297' is not a VLAN or a range of them" },
	{ "p1 mac-limit 18446744073709551616", true, "mac-limit: '18446744073709551616' is not a number" },
	{ "p1 trunk 10,,20", true, "trunk: '10,,20' is not a list of VLANs" },
	{ "p1 trunk 20-10", true, "trunk: VLAN range '20-10' goes backwards (write LOW-HIGH)" },
	{ "p1 trunk 0", true, "trunk: '0' is not a VLAN or a range of them (expected N or LOW-HIGH, each 1..4094)" },
	{ "p1 trunk 10 native 4095", true, "native: '4095' is not a number from 0 to 4094" },
	{ "p1 native 1", true, "native: for trunk ports only, this one is untagged" },
	{ "p1 bd 1 access 10", true, "bd: for untagged ('vlan' none) ports only, this one is access" },
	{ "p1 access 10 bd 1", true, "bd: for untagged ('vlan' none) ports only, this one is access" },
	{ "p1 access 10 trunk 20", true, "trunk: makes the port trunk, and 'access' makes it access" },
	{ "p1 trunk 20 access 10", true, "access: makes the port access, and 'trunk' makes it trunk" },
	{ "p1 vlan trunk access 10", true, "access: makes the port access, and 'vlan' makes it trunk" },
	{ "p1 access 10 vlan none", true, "vlan: makes the port none, and 'access' makes it access" },
	{ "p1 vlan bogus", true, "unknown vlan 'bogus' (expected one of: none, access, trunk)" },
	{ "p1 vlan access", true, "access: required for an access port" },
	{ "p1 type tap queue 1", true, "queue: for afxdp ports, not tap" },
	{ "p1 zerocopy on type tap", true, "zerocopy: for afxdp ports, not tap" },
	{ "p1 umem own type tap", true, "umem: for afxdp ports, not tap" },
	{ "p1 umem mine", true, "unknown umem 'mine' (expected one of: shared, own)" },
	{ "p1 learning maybe", true, "unknown learning 'maybe' (expected one of: on, off)" },
	{ "p1 fastpath bogus", true, "unknown fastpath 'bogus' (expected one of: off, xdp, tc, auto)" },
	{ "p1 fastpath XDP", true, "unknown fastpath 'XDP' (expected one of: off, xdp, tc, auto)" },
	{ "p1 fastpath", true, "'fastpath' needs a value" },
	{ "p1 fastpath xdp fastpath tc", true, "'fastpath' given twice" },
	{ "p1 type tap fastpath xdp", true, "fastpath: tap ports have no kernel fast path ('xdp' is for afxdp ports; give off or auto)" },
	{ "p1 fastpath tc type tap", true, "fastpath: tap ports have no kernel fast path ('tc' is for afxdp ports; give off or auto)" },
	{ "p1 mac-limit x", true, "mac-limit: 'x' is not a number from 0 to 4294967295" },
	{ "p1 up", true, "unknown keyword 'up'" },
	/* set */
	{ "p1", false, "nothing to change: give bd, vlan, access, trunk, native, learning, mac-limit, fastpath, up or down" },
	{ "p1 netns sw", false, "unknown keyword 'netns' (expected one of: bd, vlan, access, trunk, native, learning, mac-limit, fastpath, up, down)" },
	{ "p1 fastpath fast", false, "unknown fastpath 'fast' (expected one of: off, xdp, tc, auto)" },
	{ "p1 up down", false, "give one of 'up' and 'down'" },
	{ "p1 up up", false, "'up' given twice" },
	{ "p1 vlan access", false, "access: required for an access port" },
	{ "p1 down up", false, "give one of 'down' and 'up'" },
	{ "p1 vlan none access 3", false, "access: makes the port access, and 'vlan' makes it none" },
	{ "p1 mac-limit 1 mac-limit 2", false, "'mac-limit' given twice" },
	{ "p1 vlan none native 3", false, "native: for trunk ports only, this one is untagged" },
	{ "p1 access 3 native 3", false, "native: for trunk ports only, this one is access" },
};

static void test_usage_errors(void **state)
{
	struct wr_port_req pc;
	char err[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(usage_cases); i++) {
		int ret = port_args(usage_cases[i].line, usage_cases[i].add, NULL, &pc, err,
				    sizeof(err));

		if (ret != WR_EXIT_USAGE || !strstr(err, usage_cases[i].want))
			fail_msg("'%s': want usage error '%s', got %d: %s", usage_cases[i].line,
				 usage_cases[i].want, ret, err);
		/* Each says which command and where to read more. */
		assert_non_null(strstr(err, "warren port add: "));
		assert_non_null(strstr(err, "Try 'warren port add --help'."));
	}
}

/* ------------------------------------------------------------- port set */

static void test_set(void **state)
{
	struct wr_port_req pc;

	(void)state;
	port_ok("p1 vlan none bd 3 down", false, "sw", &pc);
	assert_string_equal(pc.dev.netns, "");	/* set has no device */
	assert_int_equal(pc.vlan_mode, WR_VLAN_NONE);
	assert_int_equal(pc.bd, 3);
	assert_int_equal(pc.up, 0);
	port_ok("p1 native 5", false, NULL, &pc);
	assert_int_equal(pc.native_vlan, 5);
	assert_int_equal(pc.vlan_mode, -1);
	port_ok("p1 u", false, NULL, &pc);
	assert_int_equal(pc.up, 1);
	port_ok("p1 tr 1-4094 n 0 le of", false, NULL, &pc);
	assert_int_equal(pc.vlan_mode, WR_VLAN_TRUNK);
	assert_int_equal(pc.allowed[0].lo, 1);
	assert_int_equal(pc.allowed[0].hi, 4094);
	assert_int_equal(pc.native_vlan, 0);
	assert_int_equal(pc.learning, 0);
}

/* ----------------------------------------------------------------- JSON */

static const struct line_case json_cases[] = {
	{ "p1", true, "{\"name\":\"p1\",\"type\":\"afxdp\"}" },
	{ "p1 netns sw dev h1 queue 2 zerocopy off umem own trunk 10,20-29 native 1 learning off "
	  "mac-limit 4", true,
	  "{\"name\":\"p1\",\"type\":\"afxdp\",\"netns\":\"sw\",\"dev\":\"h1\","
	  "\"queue\":2,\"zerocopy\":\"off\",\"umem\":\"own\",\"vlan_mode\":\"trunk\","
	  "\"allowed\":[10,\"20-29\"],\"native_vlan\":1,\"learning\":false,"
	  "\"mac_limit\":4}" },
	{ "t0 type tap access 10", true,
	  "{\"name\":\"t0\",\"type\":\"tap\",\"vlan_mode\":\"access\",\"access_vlan\":10}" },
	/* set names the port "port", and may say up or down; never a device. */
	{ "p1 vlan none bd 3 up", false,
	  "{\"port\":\"p1\",\"bd\":3,\"vlan_mode\":\"none\",\"up\":true}" },
	{ "p1 learning on", false, "{\"port\":\"p1\",\"learning\":true}" },
	/* fastpath goes as the API's word, only when given. */
	{ "p1 netns sw fastpath tc", true,
	  "{\"name\":\"p1\",\"type\":\"afxdp\",\"netns\":\"sw\",\"fastpath\":\"tc\"}" },
	{ "p1 fastpath a", true, "{\"name\":\"p1\",\"type\":\"afxdp\",\"fastpath\":\"auto\"}" },
	{ "t0 type tap fastpath off", true,
	  "{\"name\":\"t0\",\"type\":\"tap\",\"fastpath\":\"off\"}" },
	{ "p1 fastpath xdp down", false, "{\"port\":\"p1\",\"fastpath\":\"xdp\",\"up\":false}" },
	{ "p1 fastpath off", false, "{\"port\":\"p1\",\"fastpath\":\"off\"}" },
	{ "p1 mac-limit 2", false, "{\"port\":\"p1\",\"mac_limit\":2}" },
	/* dpdk: devargs and netns, never a dev (json-c writes '/' as "\/", as JSON allows). */
	{ "d0 type dpdk devargs net_memif0,role=server,socket=/run/x.sock netns sw bd 2 "
	  "learning off", true,
	  "{\"name\":\"d0\",\"type\":\"dpdk\",\"netns\":\"sw\","
	  "\"devargs\":\"net_memif0,role=server,socket=\\/run\\/x.sock\",\"bd\":2,"
	  "\"learning\":false}" },
	{ "d1 type dpdk devargs 0000:03:00.0 fastpath off", true,
	  "{\"name\":\"d1\",\"type\":\"dpdk\",\"devargs\":\"0000:03:00.0\","
	  "\"fastpath\":\"off\"}" },
};

static void test_json(void **state)
{
	struct wr_port_req pc;
	struct json_object *o;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(json_cases); i++) {
		port_ok(json_cases[i].line, json_cases[i].add, NULL, &pc);
		o = wr_port_req_json(&pc, json_cases[i].add);
		assert_non_null(o);
		if (strcmp(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			   json_cases[i].want))
			fail_msg("'%s': %s, want %s", json_cases[i].line,
				 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
				 json_cases[i].want);
		json_object_put(o);
	}
}

/* ---------------------------------------------------------- swconf.c */

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(wr_switch_valid_name("warren"), 0);
	assert_int_equal(wr_switch_valid_name("t1-lab_1.x"), 0);
	assert_int_equal(wr_switch_valid_name("abcdefghijabcdefghijabcdefghija"), 0);	/* 31 */
	assert_int_equal(wr_switch_valid_name("abcdefghijabcdefghijabcdefghijab"), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "switch name is 32 bytes, at most 31 are allowed"));
	assert_int_equal(wr_switch_valid_name(""), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "switch name is empty"));
	assert_int_equal(wr_switch_valid_name(NULL), -EINVAL);
	assert_int_equal(wr_switch_valid_name(".x"), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "may not start with '.'"));
	assert_int_equal(wr_switch_valid_name(".."), -EINVAL);
	assert_int_equal(wr_switch_valid_name("a/b"), -EINVAL);
	assert_int_equal(wr_switch_valid_name("a\nb"), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "'a\\x0ab'"));
	assert_int_equal(wr_port_valid_name("abcdefghijklmno"), 0);	/* 15 */
	assert_int_equal(wr_port_valid_name(".p"), 0);
	assert_int_equal(wr_port_valid_name("."), -EINVAL);
	assert_int_equal(wr_port_valid_name("p:1"), -EINVAL);
	assert_int_equal(wr_port_valid_name("abcdefghijklmnop"), -EINVAL);
	/* The API's words, as warrend parses them. */
	assert_string_equal(wr_fastpath_names[WR_FASTPATH_XDP], "xdp");
	assert_string_equal(wr_fastpath_names[WR_FASTPATH_TC], "tc");
	assert_string_equal(wr_fastpath_names[WR_FASTPATH_OFF], "off");
	assert_string_equal(wr_fastpath_names[WR_FASTPATH_AUTO], "auto");
}

static void test_devargs(void **state)
{
	char buf[WR_DEVARGS_MAX + 2], ifname[IFNAMSIZ];

	(void)state;
	assert_string_equal(wr_port_type_names[WR_PORT_DPDK], "dpdk");
	assert_string_equal(wr_devargs_dev("net_tap0,iface=dt1", buf, sizeof(buf)), "net_tap0");
	assert_string_equal(wr_devargs_dev("0000:03:00.0", buf, sizeof(buf)), "0000:03:00.0");
	assert_string_equal(wr_devargs_dev("net_memif0,role=server,socket=/run/x.sock", buf,
					   sizeof(buf)), "net_memif0");

	/* The iface of a net_af_xdp device, wherever it is among the keys; none elsewhere. */
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xdp0,iface=p1", ifname, sizeof(ifname)), 1);
	assert_string_equal(ifname, "p1");
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xdp,start_queue=0,iface=veth-b,"
						"queue_count=1", ifname, sizeof(ifname)), 1);
	assert_string_equal(ifname, "veth-b");
	strcpy(ifname, "untouched");
	assert_int_equal(wr_devargs_afxdp_iface("net_tap0,iface=dt1", ifname, sizeof(ifname)), 0);
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xdp0", ifname, sizeof(ifname)), 0);
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xdp0,xiface=p1", ifname, sizeof(ifname)),
			 0);
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xd,iface=p1", ifname, sizeof(ifname)), 0);
	assert_int_equal(wr_devargs_afxdp_iface("eth_af_xdp0,iface=p1", ifname, sizeof(ifname)), 0);
	assert_string_equal(ifname, "untouched");
	assert_int_equal(wr_devargs_afxdp_iface("net_af_xdp0,iface=abcdefghijklmnop", ifname,
						sizeof(ifname)), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "iface: 'abcdefghijklmnop': interface name is 16 bytes"));

	assert_int_equal(wr_devargs_valid("net_tap0,iface=dt1"), 0);
	assert_int_equal(wr_devargs_valid("0000:03:00.0"), 0);
	assert_int_equal(wr_devargs_valid(""), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "devargs is empty"));
	assert_int_equal(wr_devargs_valid("net_tap0,iface=a\tb"), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "devargs may not contain control characters"));
	assert_int_equal(wr_devargs_valid("net_af_xdp0,iface=a:b"), -EINVAL);
	/* 255 bytes, and one more. */
	memset(buf, 'a', WR_DEVARGS_MAX);
	buf[WR_DEVARGS_MAX] = '\0';
	assert_int_equal(wr_devargs_valid(buf), 0);
	strcat(buf, "a");
	assert_int_equal(wr_devargs_valid(buf), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "devargs is 256 bytes, at most 255 are allowed"));
}

/*
 * What warrend looks at before it prepares a port's device: a device that
 * is not there is named in the error; lo is no veth, so nothing is done.
 */
static void test_endpoint_probe(void **state)
{
	struct wr_endpoint_report rep;

	(void)state;
	assert_int_equal(wr_endpoint_probe(NULL, "wr-nodev0", &rep), -ENODEV);
	assert_non_null(strstr(wr_err_msg(), "port device wr-nodev0: "));
	assert_int_equal(wr_endpoint_probe("", "a/b", &rep), -EINVAL);
	assert_int_equal(wr_endpoint_probe(NULL, "lo", &rep), 0);
	assert_false(rep.veth);
	assert_string_equal(rep.dev.ifname, "lo");
	assert_int_equal(wr_endpoint_prepare(&rep, WR_FASTPATH_XDP), 0);
	assert_false(rep.tx_csum_changed);
	assert_int_equal(wr_endpoint_restore(&rep), 0);
}

/* ----------------------------------------------- every key of the table */

/* Key @k's word on the command line: mac_limit is mac-limit. */
static const char *cli_word(const struct wr_api_key *k, char *buf, size_t size)
{
	snprintf(buf, size, "%s", wr_api_word(k->name));
	for (char *c = buf; *c; c++)
		*c = *c == '_' ? '-' : *c;
	return buf;
}

/*
 * A value of key @k made from its type and bounds (@e: which enum word), as
 * the CLI writes it (@text) and as the request's JSON has it (@json).
 */
static void sample(const struct wr_api_key *k, int e, char *text, char *json, size_t size)
{
	const char *const *names;
	int n;

	switch (k->type) {
	case WR_T_INT:
		snprintf(text, size, "%lld", (long long)k->max);
		snprintf(json, size, "%lld", (long long)k->max);
		break;
	case WR_T_BOOL:
		snprintf(text, size, "off");
		snprintf(json, size, "false");
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		snprintf(text, size, "%s", names[e]);
		snprintf(json, size, "\"%s\"", names[e]);
		break;
	case WR_T_VLANS:
		snprintf(text, size, "%lld,%lld-%lld", (long long)k->min, (long long)k->min + 1,
			 (long long)k->max);
		snprintf(json, size, "[%lld,\"%lld-%lld\"]", (long long)k->min,
			 (long long)k->min + 1, (long long)k->max);
		break;
	default:
		snprintf(text, size, "x1");
		snprintf(json, size, "\"x1\"");
		break;
	}
}

/* The first key of @cmd: NAME, given by its place. */
static bool positional(const struct wr_api_key *k)
{
	return k == wr_api_key_find(k->cmd, k->cmd == WR_CMD_PORT_ADD ? "name" : "port");
}

/*
 * What a request of port type @t needs besides its key (port.add): "type
 * T" and a sample of each key WR_KEY_NEEDED for T, but @k itself.
 */
static size_t type_context(int t, const struct wr_api_key *k, char *buf, size_t size)
{
	char word[32], text[64], json[64];
	size_t o = 0;

	buf[0] = '\0';
	if (t < 0)
		return 0;
	if (strcmp(k->name, "type"))
		o += (size_t)snprintf(buf + o, size - o, " type %s", wr_port_type_names[t]);
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *n = &wr_api_keys[i];

		if (n->cmd != WR_CMD_PORT_ADD || n == k || !(n->flags & WR_KEY_NEEDED) ||
		    !(n->ports & (1u << t)))
			continue;
		sample(n, 0, text, json, sizeof(text));
		o += (size_t)snprintf(buf + o, size - o, " %s %s", cli_word(n, word, sizeof(word)),
				      text);
	}
	return o;
}

/*
 * Every key of port.add and port.set in wr_api.def goes from the command
 * line into the request under its own name, with the value given: a key
 * added to the table reaches warrend through the CLI with no edit of
 * cmd_port.c. A key may need others beside it: its port type (and what
 * that needs), a VLAN mode; those are tried in turn.
 */
static void round_trip(bool add)
{
	static const char *const modes[] = { "", " vlan trunk", " access 1" };
	enum wr_api_cmd cmd = add ? WR_CMD_PORT_ADD : WR_CMD_PORT_SET;
	char word[32], text[64], json[64], tctx[128], line[256], err[512] = "";
	struct json_object *o, *v;
	struct wr_port_req pc;

	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		int n = 1, t = -1;

		if (k->cmd != cmd || positional(k))
			continue;
		if (k->type == WR_T_ENUM)
			wr_api_enum_names((enum wr_api_enum)k->min, &n);
		for (int e = 0; e < n; e++) {
			bool ok = false;

			sample(k, e, text, json, sizeof(text));
			if (add && k->ports)
				t = __builtin_ctz(k->ports);
			if (add && k->type == WR_T_ENUM && k->min == WR_ENUM_PORT_TYPE)
				t = e;
			type_context(t, k, tctx, sizeof(tctx));
			for (size_t m = 0; !ok && m < ARRAY_SIZE(modes); m++) {
				/* up is the CLI's up and down, without a value. */
				if (!strcmp(k->name, "up"))
					snprintf(line, sizeof(line), "p1 down");
				else
					snprintf(line, sizeof(line), "p1%s%s %s %s", tctx, modes[m],
						 cli_word(k, word, sizeof(word)), text);
				if (port_args(line, add, NULL, &pc, err, sizeof(err)))
					continue;
				ok = true;
				o = wr_port_req_json(&pc, add);
				if (!json_object_object_get_ex(o, k->name, &v) ||
				    strcmp(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), json))
					fail_msg("'%s': %s has no %s: %s", line,
						 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
						 k->name, json);
				json_object_put(o);
			}
			if (!ok)
				fail_msg("%s: '%s' refused: %s", wr_api_cmds[cmd].name, line, err);
		}
	}
}

/* A value of each type that is not one: refused, with the keyword named. */
static void bad_values(bool add)
{
	enum wr_api_cmd cmd = add ? WR_CMD_PORT_ADD : WR_CMD_PORT_SET;
	char word[32], text[320], line[400], err[512];
	struct wr_port_req pc;

	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];

		if (k->cmd != cmd || positional(k) || !strcmp(k->name, "up"))
			continue;
		switch (k->type) {
		case WR_T_INT:
			snprintf(text, sizeof(text), "%lld", (long long)k->max + 1);
			break;
		case WR_T_VLANS:
			snprintf(text, sizeof(text), "%lld,%lld", (long long)k->min,
				 (long long)k->max + 1);
			break;
		case WR_T_STR:
			memset(text, 'a', (size_t)k->max + 1);
			text[k->max + 1] = '\0';
			break;
		case WR_T_NAME:
		case WR_T_IFNAME:
		case WR_T_PORT:
			snprintf(text, sizeof(text), "a/b");
			break;
		default:
			snprintf(text, sizeof(text), "zzz");
			break;
		}
		snprintf(line, sizeof(line), "p1 %s %s", cli_word(k, word, sizeof(word)), text);
		if (port_args(line, add, NULL, &pc, err, sizeof(err)) != WR_EXIT_USAGE ||
		    !strstr(err, word))
			fail_msg("'%s': want a usage error naming '%s', got: %s", line, word, err);
	}
}

static void test_every_key(void **state)
{
	(void)state;
	round_trip(true);
	round_trip(false);
	bad_values(true);
	bad_values(false);
}

static void test_ranges(void **state)
{
	static const struct {
		const char *text;
		int lo, hi;	/* -1: refused */
	} cases[] = {
		{ "1", 1, 1 }, { "4094", 4094, 4094 }, { "10-20", 10, 20 }, { "5-5", 5, 5 },
		{ "1-4094", 1, 4094 }, { "0", -1, 0 }, { "4095", -1, 0 }, { "01", -1, 0 },
		{ "", -1, 0 }, { "-5", -1, 0 }, { "5-", -1, 0 }, { "5--6", -1, 0 },
		{ "a", -1, 0 }, { "5 ", -1, 0 }, { "+5", -1, 0 }, { "20-10", -1, 0 },
		{ "99999999999999999999", -1, 0 }, { "1-99999999999", -1, 0 },
		{ "1-4294967297", -1, 0 }, { "4294967297", -1, 0 }, { "-2-5", -1, 0 },
		{ "5-+6", -1, 0 }, { "5- 6", -1, 0 }, { "18446744073709551617", -1, 0 },
	};
	struct wr_range r[WR_RANGES_MAX + 1];
	char buf[64], big[WR_RANGES_MAX * 3 + 8];
	size_t n, o = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = wr_range_parse(cases[i].text, "VLAN", 1, 4094, &r[0]);

		if (cases[i].lo < 0) {
			if (!err)
				fail_msg("'%s' accepted", cases[i].text);
			continue;
		}
		if (err)
			fail_msg("'%s' refused: %s", cases[i].text, wr_err_msg());
		assert_int_equal(r[0].lo, cases[i].lo);
		assert_int_equal(r[0].hi, cases[i].hi);
	}
	assert_int_equal(wr_range_parse("0", "core", 0, 7, &r[0]), 0);
	assert_int_equal(wr_range_parse("8", "core", 0, 7, &r[0]), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "'8' is not a core or a range of them (expected N or LOW-HIGH, each 0..7)"));

	assert_int_equal(wr_range_list_parse("10,20-29,5", "VLAN", 1, 4094, r, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(wr_range_list_format(r, n, buf, sizeof(buf)), "10,20-29,5");
	assert_string_equal(wr_range_list_format(r, 0, buf, sizeof(buf)), "");
	assert_int_equal(wr_range_list_parse("10,", "VLAN", 1, 4094, r, 4, &n), -EINVAL);
	assert_int_equal(wr_range_list_parse(",10", "VLAN", 1, 4094, r, 4, &n), -EINVAL);
	assert_int_equal(wr_range_list_parse("", "VLAN", 1, 4094, r, 4, &n), -EINVAL);
	assert_int_equal(wr_range_list_parse("1,2,3,4,5", "VLAN", 1, 4094, r, 4, &n), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "more than 4 VLAN ids and ranges"));
	assert_int_equal(wr_range_list_parse("1,x", "VLAN", 1, 4094, r, 4, &n), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "'x' is not a VLAN"));
	/* As many as allowed, and one more. */
	for (int i = 0; i < WR_RANGES_MAX; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "%s%d", i ? "," : "", i + 1);
	assert_int_equal(wr_range_list_parse(big, "VLAN", 1, 4094, r, WR_RANGES_MAX, &n), 0);
	assert_int_equal(n, WR_RANGES_MAX);
	snprintf(big + o, sizeof(big) - o, ",99");
	assert_int_equal(wr_range_list_parse(big, "VLAN", 1, 4094, r, WR_RANGES_MAX, &n),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_minimal),
		cmocka_unit_test(test_add_full),
		cmocka_unit_test(test_add_dpdk),
		cmocka_unit_test(test_fastpath),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_devargs),
		cmocka_unit_test(test_endpoint_probe),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
