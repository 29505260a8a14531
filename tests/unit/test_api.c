/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_api.c - warrend's API (docs/api.md) request by request, on a switch
 * whose ports are ring ports: the replies, the errors, and that a bad
 * request changes nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../wd_ring.h"
#include "switch_priv.h"

static struct warrend wd;

static int setup(void **state)
{
	(void)state;
	return wd_ring_open(&wd);
}

static int teardown(void **state)
{
	(void)state;
	wd_ring_close(&wd);
	return 0;
}

/* Send one line; the reply parsed (or NULL when there was none). */
static json_object *call(const char *line)
{
	char *reply = wd_api_handle(&wd, line, strlen(line));
	json_object *o;

	if (!reply)
		return NULL;
	/* One line: a single newline, at the end. */
	assert_ptr_equal(strchr(reply, '\n'), reply + strlen(reply) - 1);
	o = json_tokener_parse(reply);
	free(reply);
	assert_non_null(o);
	return o;
}

static json_object *get(json_object *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	}
	return o;
}

/* The call succeeds; its result. The caller puts the reply. */
static json_object *ok(const char *line, json_object **reply)
{
	*reply = call(line);
	assert_non_null(*reply);
	if (!json_object_get_boolean(get(*reply, "ok")))
		fail_msg("%s -> %s", line, json_object_to_json_string(*reply));
	return get(*reply, "result");
}

/* The call fails with @code and a message that contains @words. */
static void fails(const char *line, const char *code, const char *words)
{
	json_object *r = call(line);

	assert_non_null(r);
	if (json_object_get_boolean(get(r, "ok")))
		fail_msg("%s -> accepted: %s", line, json_object_to_json_string(r));
	assert_int_equal(json_object_get_int(get(r, "v")), 1);
	if (strcmp(json_object_get_string(get(r, "error.code")), code))
		fail_msg("%s -> %s, wanted %s", line, json_object_to_json_string(r), code);
	if (words && !strstr(json_object_get_string(get(r, "error.message")), words))
		fail_msg("%s -> message %s, wanted '%s'", line,
			 json_object_get_string(get(r, "error.message")), words);
	json_object_put(r);
}

static int n_ports(void)
{
	json_object *r, *res = ok("{\"v\":1,\"cmd\":\"port.list\"}", &r);
	int n = (int)json_object_array_length(get(res, "ports"));

	json_object_put(r);
	return n;
}

static void add_two_ports(void)
{
	json_object *r;

	ok("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p1\",\"netns\":\"sw\",\"dev\":\"v1\"}}", &r);
	json_object_put(r);
	ok("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p2\",\"netns\":\"sw\",\"dev\":\"v2\"}}", &r);
	json_object_put(r);
}

static void del_ports(void)
{
	json_object *r;

	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd.ports[i].used)
			wd_port_del(&wd, &wd.ports[i]);
	wr_switch_tick(wd.sw, 1);
	assert_int_equal(n_ports(), 0);
	(void)r;
}

static void test_envelope(void **state)
{
	json_object *r, *res;

	(void)state;
	res = ok("{\"v\":1,\"id\":\"abc\",\"cmd\":\"hello\"}", &r);
	assert_string_equal(json_object_get_string(get(r, "id")), "abc");
	assert_int_equal(json_object_get_int(get(res, "api")), 1);
	assert_string_equal(json_object_get_string(get(res, "name")), "test");
	json_object_put(r);

	assert_null(call(""));
	assert_null(call("  \r"));
	fails("not json", "EPROTO", "not JSON");
	fails("{\"v\":1,\"cmd\":\"hello\"} trailing", "EPROTO", "not JSON");
	fails("[1,2]", "EPROTO", "object");
	fails("{\"cmd\":\"hello\"}", "EPROTO", "version 1");
	fails("{\"v\":2,\"cmd\":\"hello\"}", "EPROTO", "version 1");
	fails("{\"v\":\"1\",\"cmd\":\"hello\"}", "EPROTO", NULL);
	fails("{\"v\":1}", "EINVAL", "cmd");
	fails("{\"v\":1,\"cmd\":7}", "EINVAL", "cmd");
	fails("{\"v\":1,\"cmd\":\"nope\"}", "EINVAL", "unknown command 'nope'");
	fails("{\"v\":1,\"cmd\":\"hello\",\"extra\":1}", "EINVAL", "unknown key 'extra'");
	fails("{\"v\":1,\"cmd\":\"stats\",\"args\":[]}", "EINVAL", "args");
	fails("{\"v\":1,\"cmd\":\"stats\",\"args\":{\"x\":1}}", "EINVAL", "unknown argument 'x'");
}

static void test_ports(void **state)
{
	static const char *const bad_ranges[] = {
		"1-4294967297", "4294967297-4294967298", "1-4294971390", "-1-5", "+5-6", " 5-6",
		"5- 6", "5-6 ", "5--6", "5-", "-5", "05-6", "5-06", "0-5", "5-4095", "1-99999",
		"a-b", "5-6-7", "",
	};
	json_object *r, *res;

	(void)state;
	add_two_ports();
	assert_int_equal(n_ports(), 2);
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p1\",\"dev\":\"v9\"}}", "EEXIST", "p1");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"netns\":\"sw\",\"dev\":\"v1\"}}",
	      "EBUSY", "already port p1");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p/3\"}}", "EINVAL", "name");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"a-very-long-port-name\"}}", "EINVAL",
	      "name");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"dev\":\"x\"}}", "EINVAL", "name: required");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"colour\":1}}", "EINVAL",
	      "colour");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"type\":\"vpp\"}}", "EINVAL",
	      "type 'vpp': afxdp, tap or dpdk");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"bd\":4096}}", "EINVAL", "bd");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"bd\":\"1\"}}", "EINVAL", "bd");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"vlan_mode\":\"access\"}}",
	      "EINVAL", "access_vlan");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"vlan_mode\":\"trunk\","
	      "\"allowed\":[4095]}}", "EINVAL", "allowed[0]");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"vlan_mode\":\"trunk\","
	      "\"allowed\":[\"30-20\"]}}", "EINVAL", "allowed[0]");
	/* "LO-HI": plain decimals 1..4094, nothing more (no wrap past 2^32, no sign, no blank). */
	for (size_t i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		char line[200];

		snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\","
			 "\"vlan_mode\":\"trunk\",\"allowed\":[10,\"%s\"]}}", bad_ranges[i]);
		fails(line, "EINVAL", "allowed[1]");
	}
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"vlan_mode\":\"trunk\","
	      "\"allowed\":[4294967297]}}", "EINVAL", "allowed[0]");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"vlan_mode\":\"trunk\","
	      "\"allowed\":[true]}}", "EINVAL", "allowed[0]");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"type\":\"tap\",\"queue\":1}}",
	      "EINVAL", "afxdp");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"fastpath\":\"bogus\"}}",
	      "EINVAL", "fastpath 'bogus': off, xdp, tc or auto");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"fastpath\":true}}",
	      "EINVAL", "fastpath");
	/* Nothing of the refused requests stayed. */
	assert_int_equal(n_ports(), 2);

	res = ok("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"t1\",\"vlan_mode\":\"trunk\","
		 "\"allowed\":[10,\"20-29\",31,32],\"native_vlan\":5,\"learning\":false}}", &r);
	assert_string_equal(json_object_get_string(get(res, "vlan_mode")), "trunk");
	assert_string_equal(json_object_to_json_string_ext(get(res, "allowed"), JSON_C_TO_STRING_PLAIN),
			    "[10,\"20-29\",31,32]");
	assert_int_equal(json_object_get_int(get(res, "native_vlan")), 5);
	assert_false(json_object_get_boolean(get(res, "learning")));
	assert_string_equal(json_object_get_string(get(res, "dev")), "t1");
	assert_null(get(res, "netns"));
	json_object_put(r);

	res = ok("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"t1\",\"vlan_mode\":\"access\","
		 "\"access_vlan\":7,\"up\":false,\"mac_limit\":3}}", &r);
	assert_string_equal(json_object_get_string(get(res, "vlan_mode")), "access");
	assert_int_equal(json_object_get_int(get(res, "access_vlan")), 7);
	assert_string_equal(json_object_get_string(get(res, "admin")), "down");
	assert_int_equal(json_object_get_int(get(res, "mac_limit")), 3);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"zz\"}}", "ENOENT", "zz");
	fails("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"t1\",\"up\":1}}", "EINVAL", "up");

	res = ok("{\"v\":1,\"cmd\":\"port.list\",\"args\":{\"port\":\"p2\"}}", &r);
	assert_int_equal(json_object_array_length(get(res, "ports")), 1);
	assert_string_equal(json_object_get_string(get(res, "ports.0.netns")), "sw");
	assert_string_equal(json_object_get_string(get(res, "ports.0.mode")), "ring");
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"port.stats\",\"args\":{\"port\":\"p2\"}}", &r);
	assert_int_equal(json_object_get_int(get(res, "ports.0.rx_pkts")), 0);
	assert_non_null(get(res, "ports.0.driver"));
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"port.stats\",\"args\":{\"port\":\"zz\"}}", "ENOENT", NULL);

	ok("{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"t1\"}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"t1\"}}", "ENOENT", "t1");
	assert_int_equal(n_ports(), 2);
	del_ports();
}

/* A member that is there, with the JSON value null. */
static void assert_null_member(json_object *o, const char *key)
{
	json_object *v = (json_object *)1;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no '%s' in %s", key, json_object_to_json_string(o));
	assert_null(v);
}

/*
 * The fast path's keys on ring ports, with no program loaded: every port
 * says off and why, what was asked is kept, and the kernel's counters are
 * null.
 */
static void test_fastpath(void **state)
{
	json_object *r, *res;
	const char *why;

	(void)state;
	add_two_ports();
	res = ok("{\"v\":1,\"cmd\":\"port.list\",\"args\":{\"port\":\"p1\"}}", &r);
	assert_string_equal(json_object_get_string(get(res, "ports.0.fastpath")), "off");
	assert_string_equal(json_object_get_string(get(res, "ports.0.fastpath_asked")), "auto");
	why = json_object_get_string(get(res, "ports.0.fastpath_why"));
	assert_non_null(why);
	assert_true(strlen(why) > 10);
	json_object_put(r);

	/* Asked for, but not given: the port stays off and says what was asked. */
	res = ok("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p3\",\"fastpath\":\"xdp\"}}",
		 &r);
	assert_string_equal(json_object_get_string(get(res, "fastpath")), "off");
	assert_string_equal(json_object_get_string(get(res, "fastpath_asked")), "xdp");
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"p3\",\"fastpath\":\"off\"}}",
		 &r);
	assert_string_equal(json_object_get_string(get(res, "fastpath")), "off");
	assert_string_equal(json_object_get_string(get(res, "fastpath_asked")), "off");
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"p3\",\"fastpath\":\"fast\"}}",
	      "EINVAL", "fastpath 'fast': off, xdp, tc or auto");
	res = ok("{\"v\":1,\"cmd\":\"port.list\",\"args\":{\"port\":\"p3\"}}", &r);
	assert_string_equal(json_object_get_string(get(res, "ports.0.fastpath_asked")), "off");
	json_object_put(r);

	res = ok("{\"v\":1,\"cmd\":\"port.stats\",\"args\":{\"port\":\"p1\"}}", &r);
	assert_null_member(get(res, "ports.0"), "fastpath");
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"stats\"}", &r);
	assert_null_member(res, "fastpath");
	assert_null_member(get(res, "ports.0"), "fastpath");
	json_object_put(r);
	del_ports();
}

/* port.add type dpdk: its keys, and what is refused with it. (Ring ports stand in.) */
static void test_dpdk_port(void **state)
{
	json_object *r, *res;

	(void)state;
	res = ok("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d1\",\"type\":\"dpdk\","
		 "\"devargs\":\"net_tap0,iface=dt0\",\"netns\":\"h1\",\"bd\":7}}", &r);
	assert_int_equal(json_object_get_int(get(res, "bd")), 7);
	assert_string_equal(json_object_get_string(get(res, "fastpath")), "off");
	json_object_put(r);
	assert_string_equal(wd_port_find(&wd, "d1")->devargs, "net_tap0,iface=dt0");
	assert_string_equal(wd_port_find(&wd, "d1")->netns, "h1");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"type\":\"dpdk\"}}",
	      "EINVAL", "devargs: required for dpdk ports");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"devargs\":\"net_tap1\"}}",
	      "EINVAL", "devargs: for dpdk ports, not afxdp");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"type\":\"dpdk\","
	      "\"devargs\":\"net_tap1\",\"dev\":\"x\"}}", "EINVAL", "dev: for afxdp or tap ports, not dpdk");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"type\":\"dpdk\","
	      "\"devargs\":\"net_tap1\",\"queue\":1}}", "EINVAL", "queue: for afxdp ports, not dpdk");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"type\":\"dpdk\","
	      "\"devargs\":\"net_tap1\",\"fastpath\":\"tc\"}}", "EINVAL",
	      "fastpath: dpdk ports have no kernel fast path ('tc' is for afxdp ports");
	fails("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"d2\",\"type\":\"dpdk\","
	      "\"devargs\":\"\"}}", "EINVAL", "devargs: a string of 1 to 255");
	assert_int_equal(n_ports(), 1);
	del_ports();
}

/* The EAL's arguments: the defaults, or --dpdk's, with -l and --file-prefix unless given. */
static void test_dpdk_args(void **state)
{
	struct wd_conf c = { .name = "lab1", .cores = { 1 } };
	struct wd_eal_args a;
	json_object *r, *res;
	char line[512] = "";

	(void)state;
	assert_int_equal(wd_dpdk_args(&c, &a), 0);
	for (int i = 0; i < a.argc; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "",
			 a.argv[i]);
	assert_string_equal(line, "--no-huge -m 512 --no-shconf --no-pci --no-telemetry -l 1 "
			    "--file-prefix=warren-lab1");
	assert_null(a.argv[a.argc]);

	strcpy(c.dpdk_args, " -a 0000:03:00.0\t--lcores=2 --file-prefix x ");
	assert_int_equal(wd_dpdk_args(&c, &a), 0);
	assert_int_equal(a.argc, 5);
	assert_string_equal(a.argv[0], "-a");
	assert_string_equal(a.argv[1], "0000:03:00.0");
	assert_string_equal(a.argv[2], "--lcores=2");
	assert_string_equal(a.argv[4], "x");

	c.cores[0] = -1;
	strcpy(c.dpdk_args, "--vdev net_ring0");
	assert_int_equal(wd_dpdk_args(&c, &a), 0);
	assert_int_equal(a.argc, 5);
	assert_string_equal(a.argv[3], "0");	/* unpinned: lcore 0 */

	c.dpdk_args[0] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(c.dpdk_args, "-v ");
	assert_int_equal(wd_dpdk_args(&c, &a), -E2BIG);

	/* switch.show says what the EAL would start with; it does not run here. */
	res = ok("{\"v\":1,\"cmd\":\"switch.show\"}", &r);
	assert_false(json_object_get_boolean(get(res, "dpdk.running")));
	assert_string_equal(json_object_get_string(get(res, "dpdk.args.0")), "--no-huge");
	json_object_put(r);
}

static void test_fdb(void **state)
{
	static const char *const bad_macs[] = {
		"-2:0:0:0:0:1", "-2:00:00:00:00:01", "2:00:00:00:00:01", "02:00:00:00:00:1",
		" 02:00:00:00:00:01", "02:00:00:00:00:01 ", "+2:00:00:00:00:01", "0x:00:00:00:00:01",
		"02:00:00:00:00:0g", "02-00-00-00-00-01", "02:00:00:00:00:01:", "020:00:00:00:00:1",
		"02:00:00:00:00:-1", "02:00:00: 0:00:01",
	};
	json_object *r, *res;
	uint64_t sweeps;

	(void)state;
	add_two_ports();
	ok("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:01\",\"port\":\"p1\"}}", &r);
	json_object_put(r);
	/* Only in a bridge domain of the port's. */
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:02\",\"port\":\"p2\","
	      "\"bd\":2}}", "EXDEV", "port p2 is not in bridge domain 2");
	ok("{\"v\":1,\"cmd\":\"port.set\",\"args\":{\"port\":\"p2\",\"vlan_mode\":\"trunk\","
	   "\"allowed\":[2,3]}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:02\",\"port\":\"p2\"}}",
	      "EXDEV", "several bridge domains");
	ok("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:02\",\"port\":\"p2\","
	   "\"bd\":2}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"01:00:5e:00:00:01\",\"port\":\"p1\"}}",
	      "EINVAL", "unicast");
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00\",\"port\":\"p1\"}}",
	      "EINVAL", "MAC");
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:03\"}}", "EINVAL", "port");
	/* Exactly two hex digits per byte: no sign, no blank, no 0x, nothing after. */
	for (size_t i = 0; i < sizeof(bad_macs) / sizeof(bad_macs[0]); i++) {
		char line[160];

		snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"%s\","
			 "\"port\":\"p1\"}}", bad_macs[i]);
		fails(line, "EINVAL", "MAC");
		snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"fdb.del\",\"args\":{\"mac\":\"%s\"}}",
			 bad_macs[i]);
		fails(line, "EINVAL", "MAC");
	}
	ok("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"0A:bC:0d:Ef:10:9F\",\"port\":\"p1\"}}", &r);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"fdb.show\",\"args\":{\"port\":\"p1\"}}", &r);
	assert_int_equal(json_object_get_int(get(res, "count")), 2);
	assert_true(!strcmp(json_object_get_string(get(res, "entries.0.mac")), "0a:bc:0d:ef:10:9f") ||
		    !strcmp(json_object_get_string(get(res, "entries.1.mac")), "0a:bc:0d:ef:10:9f"));
	json_object_put(r);
	ok("{\"v\":1,\"cmd\":\"fdb.del\",\"args\":{\"mac\":\"0a:bc:0d:ef:10:9f\"}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:03\",\"port\":\"p9\"}}",
	      "ENOENT", "p9");

	res = ok("{\"v\":1,\"cmd\":\"fdb.show\"}", &r);
	assert_int_equal(json_object_get_int(get(res, "count")), 2);
	assert_int_equal(json_object_get_int(get(res, "max")), 1024);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"fdb.show\",\"args\":{\"port\":\"p1\"}}", &r);
	assert_int_equal(json_object_get_int(get(res, "count")), 1);
	assert_string_equal(json_object_get_string(get(res, "entries.0.mac")), "02:00:00:00:00:01");
	assert_string_equal(json_object_get_string(get(res, "entries.0.port")), "p1");
	assert_true(json_object_get_boolean(get(res, "entries.0.static")));
	assert_int_equal(json_object_get_int(get(res, "entries.0.bd")), 1);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"fdb.show\",\"args\":{\"bd\":2}}", &r);
	assert_string_equal(json_object_get_string(get(res, "entries.0.port")), "p2");
	json_object_put(r);

	/* Static entries survive a flush without "all"; the whole table is walked once. */
	sweeps = wd.sw->fdb->sweeps;
	res = ok("{\"v\":1,\"cmd\":\"fdb.flush\"}", &r);
	assert_int_equal(json_object_get_int(get(res, "flushed")), 0);
	json_object_put(r);
	assert_int_equal(wd.sw->fdb->sweeps - sweeps, 1);
	fails("{\"v\":1,\"cmd\":\"fdb.flush\",\"args\":{\"port\":\"p1\",\"bd\":1}}", "EINVAL", "not both");
	ok("{\"v\":1,\"cmd\":\"fdb.del\",\"args\":{\"mac\":\"02:00:00:00:00:01\"}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"fdb.del\",\"args\":{\"mac\":\"02:00:00:00:00:01\"}}", "ENOENT",
	      "no such entry");
	res = ok("{\"v\":1,\"cmd\":\"fdb.flush\",\"args\":{\"bd\":2,\"all\":true}}", &r);
	assert_int_equal(json_object_get_int(get(res, "flushed")), 1);
	json_object_put(r);
	del_ports();
}

static void test_vlans_switch_stats(void **state)
{
	json_object *r, *res;

	(void)state;
	ok("{\"v\":1,\"cmd\":\"vlan.set\",\"args\":{\"vlan\":10,\"bd\":100}}", &r);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"vlan.list\"}", &r);
	assert_int_equal(json_object_array_length(get(res, "vlans")), 1);
	assert_int_equal(json_object_get_int(get(res, "vlans.0.bd")), 100);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"vlan.set\",\"args\":{\"vlan\":4095,\"bd\":1}}", "EINVAL", "vlan");
	fails("{\"v\":1,\"cmd\":\"vlan.set\",\"args\":{\"vlan\":10}}", "EINVAL", "required");
	ok("{\"v\":1,\"cmd\":\"vlan.del\",\"args\":{\"vlan\":10}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"vlan.del\",\"args\":{\"vlan\":10}}", "ENOENT", "not mapped");

	ok("{\"v\":1,\"cmd\":\"switch.set\",\"args\":{\"age_s\":42}}", &r);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"switch.show\"}", &r);
	assert_int_equal(json_object_get_int(get(res, "age_s")), 42);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"switch.set\",\"args\":{\"age_s\":-1}}", "EINVAL", "age_s");

	res = ok("{\"v\":1,\"cmd\":\"stats\"}", &r);
	for (int i = 0; i < WR_DROP_COUNT; i++)
		assert_non_null(get(get(res, "drops"), wr_drop_name((enum wr_drop)i)));
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		assert_non_null(get(get(res, "events"), wr_event_name((enum wr_event)i)));
	json_object_put(r);

	res = ok("{\"v\":1,\"cmd\":\"health\"}", &r);
	assert_string_equal(json_object_get_string(get(res, "status")), "ok");
	assert_int_equal(json_object_get_int(get(res, "fdb_max")), 1024);
	json_object_put(r);

	assert_false(atomic_load(&wd.stop));
	/* A refused shutdown stops nothing. */
	fails("{\"v\":1,\"cmd\":\"shutdown\",\"args\":{\"now\":true}}", "EINVAL", "now");
	fails("{\"v\":1,\"cmd\":\"shutdown\",\"args\":[]}", "EINVAL", "args");
	assert_false(atomic_load(&wd.stop));
	ok("{\"v\":1,\"cmd\":\"shutdown\"}", &r);
	json_object_put(r);
	assert_true(atomic_load(&wd.stop));
}

/* @cmd with @args (JSON text), as one request line. */
static const char *line_of(const char *cmd, const char *args)
{
	static char line[512];

	snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"%s\",\"args\":%s}", cmd, args);
	return line;
}

static void ok_free(const char *cmd, const char *args)
{
	json_object *r;

	ok(line_of(cmd, args), &r);
	json_object_put(r);
}

/*
 * Tunnels through the API: their rules, their VNIs and VTEPs, the next
 * hop of each (wd_ring.h's underlay: every remote resolved but
 * 192.0.2.98), static entries behind a VTEP, and the underlay held.
 */
static void test_tunnels(void **state)
{
	json_object *r, *res;

	(void)state;
	ok_free("port.add", "{\"name\":\"u0\"}");
	ok_free("port.add", "{\"name\":\"h1\",\"bd\":10}");
	res = ok(line_of("tunnel.add", "{\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}"), &r);
	assert_string_equal(json_object_get_string(get(res, "type")), "vxlan");
	assert_int_equal(json_object_get_int(get(res, "dstport")), 4789);
	assert_int_equal(json_object_get_int(get(res, "mtu")), 1500);
	assert_int_equal(json_object_get_int(get(res, "tenant_mtu")), 1450);
	json_object_put(r);

	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"h1\",\"local\":\"192.0.2.99\"}"),
	      "EADDRNOTAVAIL", "no address of h1");
	fails(line_of("tunnel.add", "{\"name\":\"vx0\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\"}"),
	      "EEXIST", "tunnel vx0: the name of a tunnel");
	fails(line_of("tunnel.add", "{\"name\":\"h1\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}"),
	      "EEXIST", "the name of a port");
	fails(line_of("port.add", "{\"name\":\"vx0\"}"), "EEXIST", "port vx0: the name of a tunnel");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"u9\",\"local\":\"192.0.2.1\"}"),
	      "ENOENT", "underlay u9: no such port");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}"),
	      "EBUSY", "underlay of tunnel vx0 already");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"h1\",\"local\":\"224.0.0.1\"}"),
	      "EINVAL", "local '224.0.0.1': a unicast IPv4 or IPv6 address");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"sport_min\":60000,\"sport_max\":50000}"),
	      "EINVAL", "sport_min 60000 is above sport_max 50000");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"options\":[\"0102:01\"]}"),
	      "EINVAL", "options: for a geneve tunnel only (this one is vxlan)");
	res = ok(line_of("tunnel.add", "{\"name\":\"gn1\",\"type\":\"geneve\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"options\":[\"102:1:DEADBEEF\",\"0103:80\"]}"), &r);
	assert_string_equal(json_object_get_string(get(res, "options.0")), "0102:01:deadbeef");
	assert_string_equal(json_object_get_string(get(res, "options.1")), "0103:80");
	assert_int_equal(json_object_array_length(get(res, "known_options")), 0);
	assert_int_equal(json_object_array_length(get(res, "options_rx")), 0);
	json_object_put(r);
	ok_free("tunnel.del", "{\"tunnel\":\"gn1\"}");
	res = ok(line_of("tunnel.add", "{\"name\":\"gn1\",\"type\":\"geneve\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"known_options\":[\"102:80\"]}"), &r);
	assert_string_equal(json_object_get_string(get(res, "known_options.0")), "0102:80");
	json_object_put(r);
	ok_free("tunnel.del", "{\"tunnel\":\"gn1\"}");
	fails(line_of("tunnel.add", "{\"name\":\"gn1\",\"type\":\"geneve\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"known_options\":[\"102:80:00000000\"]}"),
	      "EINVAL", "known_options[0]: CLASS:TYPE only, no data");
	fails(line_of("tunnel.add", "{\"name\":\"vx1\",\"underlay\":\"h1\",\"local\":\"192.0.2.1\",\"known_options\":[\"102:80\"]}"),
	      "EINVAL", "known_options: for a geneve tunnel only");

	ok_free("vni.set", "{\"tunnel\":\"vx0\",\"vni\":5010,\"bd\":10}");
	fails(line_of("vni.set", "{\"tunnel\":\"vx0\",\"vni\":5011,\"bd\":10}"), "EBUSY",
	      "bd 10 carries VNI 5010 already");
	fails(line_of("vni.del", "{\"tunnel\":\"vx0\",\"vni\":5099}"), "ENOENT", "VNI 5099: not carried");
	fails(line_of("vni.set", "{\"tunnel\":\"vx9\",\"vni\":1,\"bd\":1}"), "ENOENT", "tunnel vx9: no such tunnel");
	fails(line_of("vni.set", "{\"tunnel\":\"vx0\",\"vni\":16777216,\"bd\":1}"), "EINVAL", "vni");

	ok_free("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}");
	ok_free("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.98\",\"flood\":false}");
	fails(line_of("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}"), "EEXIST", "a VTEP already");
	fails(line_of("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"2001:db8::2\"}"), "EINVAL",
	      "an IPv6 address, and the tunnel's local one is IPv4");
	fails(line_of("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.1\"}"), "EINVAL", "the local address");
	res = ok(line_of("tunnel.list", "{\"tunnel\":\"vx0\"}"), &r);
	assert_int_equal(json_object_array_length(get(res, "tunnels")), 1);
	assert_int_equal(json_object_get_int(get(res, "tunnels.0.vnis.0.vni")), 5010);
	assert_int_equal(json_object_get_int(get(res, "tunnels.0.vnis.0.bd")), 10);
	assert_string_equal(json_object_get_string(get(res, "tunnels.0.vteps.0.remote")), "192.0.2.2");
	assert_true(json_object_get_boolean(get(res, "tunnels.0.vteps.0.nexthop.resolved")));
	assert_string_equal(json_object_get_string(get(res, "tunnels.0.vteps.0.nexthop.mac")),
			    "02:dd:00:00:00:02");
	assert_false(json_object_get_boolean(get(res, "tunnels.0.vteps.1.flood")));
	assert_false(json_object_get_boolean(get(res, "tunnels.0.vteps.1.nexthop.resolved")));
	assert_string_equal(json_object_get_string(get(res, "tunnels.0.vteps.1.nexthop.why")),
			    "no route to 192.0.2.98");
	json_object_put(r);

	/* A static entry behind a VTEP, shown with its remote; found by the tunnel's name. */
	ok_free("fdb.add", "{\"mac\":\"02:00:00:00:00:0b\",\"port\":\"vx0\",\"remote\":\"192.0.2.2\",\"bd\":10}");
	fails(line_of("fdb.add", "{\"mac\":\"02:00:00:00:00:0c\",\"port\":\"vx0\"}"), "EINVAL",
	      "remote: required when the port is a tunnel");
	fails(line_of("fdb.add", "{\"mac\":\"02:00:00:00:00:0c\",\"port\":\"h1\",\"remote\":\"192.0.2.2\"}"),
	      "EINVAL", "remote: for a tunnel only");
	fails(line_of("fdb.add", "{\"mac\":\"02:00:00:00:00:0c\",\"port\":\"vx0\",\"remote\":\"192.0.2.7\"}"),
	      "ENOENT", "remote 192.0.2.7: no such VTEP");
	fails(line_of("fdb.add", "{\"mac\":\"02:00:00:00:00:0c\",\"port\":\"vx0\",\"remote\":\"192.0.2.2\",\"bd\":11}"),
	      "EXDEV", "tunnel vx0's VTEP 192.0.2.2 is not in bridge domain 11");
	res = ok(line_of("fdb.show", "{\"port\":\"vx0\"}"), &r);
	assert_int_equal(json_object_array_length(get(res, "entries")), 1);
	assert_string_equal(json_object_get_string(get(res, "entries.0.port")), "vx0");
	assert_string_equal(json_object_get_string(get(res, "entries.0.remote")), "192.0.2.2");
	json_object_put(r);

	/* The underlay is the tunnel's, but for its admin state. */
	fails(line_of("port.del", "{\"port\":\"u0\"}"), "EBUSY", "the underlay of tunnel vx0");
	fails(line_of("port.set", "{\"port\":\"u0\",\"bd\":2}"), "EBUSY", "the underlay of tunnel vx0");
	ok_free("port.set", "{\"port\":\"u0\",\"up\":true}");

	ok_free("vtep.del", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}");
	fails(line_of("vtep.del", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}"), "ENOENT", "no such VTEP");
	res = ok(line_of("fdb.show", "{}"), &r);
	if (json_object_array_length(get(res, "entries")))	/* it went with its VTEP */
		fail_msg("left: %s", json_object_to_json_string(res));
	json_object_put(r);
	ok_free("tunnel.del", "{\"tunnel\":\"vx0\"}");
	fails(line_of("tunnel.del", "{\"tunnel\":\"vx0\"}"), "ENOENT", "no such tunnel");
	ok_free("port.del", "{\"port\":\"u0\"}");
	ok_free("port.del", "{\"port\":\"h1\"}");
}

/* Steering rules: one match each, a port that exists, inactive while their port is gone. */
static void test_steer(void **state)
{
	json_object *r, *res;

	(void)state;
	ok_free("port.add", "{\"name\":\"u0\"}");
	ok_free("port.add", "{\"name\":\"s1\"}");
	res = ok(line_of("steer.add", "{\"mac\":\"02:00:00:00:00:0b\",\"port\":\"s1\"}"), &r);
	assert_int_equal(json_object_get_int(get(res, "id")), 0);
	json_object_put(r);
	ok_free("steer.add", "{\"vlan\":10,\"port\":\"u0\"}");
	ok_free("steer.add", "{\"vni\":0,\"port\":\"s1\"}");
	fails(line_of("steer.add", "{\"mac\":\"02:00:00:00:00:0b\",\"port\":\"u0\"}"), "EEXIST",
	      "steer mac 02:00:00:00:00:0b: a rule exists (to port s1)");
	fails(line_of("steer.add", "{\"mac\":\"01:00:5e:00:00:01\",\"port\":\"s1\"}"), "EINVAL",
	      "not a unicast MAC");
	fails(line_of("steer.add", "{\"port\":\"s1\"}"), "EINVAL",
	      "one of `mac`, `vlan` or `vni` is required");
	fails(line_of("steer.add", "{\"mac\":\"02:00:00:00:00:0c\",\"vni\":3,\"port\":\"s1\"}"),
	      "EINVAL", "vni: with `mac`: give one of");
	fails(line_of("steer.add", "{\"vlan\":4095,\"port\":\"s1\"}"), "EINVAL", "vlan: an integer from 1 to 4094");
	fails(line_of("steer.add", "{\"vni\":16777216,\"port\":\"s1\"}"), "EINVAL", "vni");
	fails(line_of("steer.add", "{\"vlan\":11}"), "EINVAL", "port: required");
	fails(line_of("steer.add", "{\"vlan\":11,\"port\":\"s9\"}"), "ENOENT", "port s9: no such port");
	/* A rule's port becomes no underlay. */
	fails(line_of("tunnel.add", "{\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}"),
	      "EBUSY", "1 steering rules send frames to port u0");

	res = ok(line_of("steer.list", "{}"), &r);
	assert_int_equal(json_object_get_int(get(res, "count")), 3);
	assert_int_equal(json_object_get_int(get(res, "max")), WR_STEER_MAX);
	assert_string_equal(json_object_get_string(get(res, "rules.0.mac")), "02:00:00:00:00:0b");
	assert_string_equal(json_object_get_string(get(res, "rules.0.port")), "s1");
	assert_true(json_object_get_boolean(get(res, "rules.0.active")));
	assert_int_equal(json_object_get_int(get(res, "rules.0.pkts")), 0);
	assert_int_equal(json_object_get_int(get(res, "rules.1.vlan")), 10);
	assert_int_equal(json_object_get_int(get(res, "rules.2.vni")), 0);
	json_object_put(r);
	res = ok(line_of("steer.list", "{\"port\":\"u0\"}"), &r);
	assert_int_equal(json_object_array_length(get(res, "rules")), 1);
	json_object_put(r);

	/* Its port goes: inactive, still listed by its name; a port of that name comes: active again. */
	ok_free("port.del", "{\"port\":\"s1\"}");
	res = ok(line_of("steer.list", "{\"port\":\"s1\"}"), &r);
	assert_int_equal(json_object_array_length(get(res, "rules")), 2);
	assert_false(json_object_get_boolean(get(res, "rules.0.active")));
	json_object_put(r);
	ok_free("port.add", "{\"name\":\"s1\"}");
	res = ok(line_of("steer.list", "{\"port\":\"s1\"}"), &r);
	assert_true(json_object_get_boolean(get(res, "rules.0.active")));
	assert_true(json_object_get_boolean(get(res, "rules.1.active")));
	json_object_put(r);

	ok_free("steer.del", "{\"mac\":\"02:00:00:00:00:0b\"}");
	fails(line_of("steer.del", "{\"mac\":\"02:00:00:00:00:0b\"}"), "ENOENT",
	      "steer mac 02:00:00:00:00:0b: no such rule");
	fails(line_of("steer.del", "{}"), "EINVAL", "one of `mac`, `vlan` or `vni` is required");
	ok_free("steer.del", "{\"vlan\":10}");
	ok_free("steer.del", "{\"vni\":0}");
	res = ok(line_of("steer.list", "{}"), &r);
	assert_int_equal(json_object_array_length(get(res, "rules")), 0);
	json_object_put(r);
	ok_free("port.del", "{\"port\":\"u0\"}");
	ok_free("port.del", "{\"port\":\"s1\"}");
}

/* Service chains: the hops as objects, the classifier's types, the ports they hold. */
static void test_chain(void **state)
{
	static const char *const names[] = { "cl", "sv", "a-in", "a-out", "b-in", "b-out" };
	json_object *r, *res;

	(void)state;
	ok_free("port.add", "{\"name\":\"cl\"}");
	ok_free("port.add", "{\"name\":\"sv\"}");
	ok_free("port.add", "{\"name\":\"a-in\",\"bd\":11}");
	ok_free("port.add", "{\"name\":\"a-out\",\"bd\":12}");
	ok_free("port.add", "{\"name\":\"b-in\",\"bd\":13}");
	ok_free("port.add", "{\"name\":\"b-out\",\"vlan_mode\":\"access\",\"access_vlan\":5}");
	res = ok(line_of("chain.add", "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"dst_port\":\"80-81\","
			 "\"src\":\"10.0.0.0/8\",\"in_port\":\"cl\",\"hops\":[{\"in\":\"a-in\","
			 "\"out\":\"a-out\",\"fail\":\"closed\"}]}"), &r);
	assert_int_equal(json_object_get_int(get(res, "id")), 0);
	json_object_put(r);
	fails(line_of("chain.add", "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\"}]}"), "EEXIST", "chain web: exists");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"hops\":[{\"in\":\"b-in\",\"out\":\"sv\"}]}"),
	      "EINVAL", "chain x: no classifier");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\"}]}"), "EINVAL", "chain x: the classifier has no direction");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[]}"), "EINVAL",
	      "hops: an array of 1 to 8 hops");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\"}]}"),
	      "EINVAL", "hops[0].out: required");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"via\":1}]}"), "EINVAL", "hops[0]: unknown argument 'via'");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"kind\":\"l4\"}]}"), "EINVAL", "hops[0].kind 'l4': l2 or l3");
	/* A router hop: its MACs given, or its ports' veth peers' (these are no veths). */
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"kind\":\"l3\"}]}"), "EINVAL",
	      "hop 0: port b-in: its device b-in is not a veth whose far end warrend can see: give "
	      "in_mac");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"kind\":\"l3\",\"in_mac\":\"02:00:00:00:00:01\"}]}"), "EINVAL",
	      "port sv: its device sv is not a veth whose far end warrend can see: give out_mac");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"kind\":\"l3\",\"in_mac\":\"03:00:00:00:00:01\"}]}"), "EINVAL",
	      "hop 0: in_mac 03:00:00:00:00:01: not a unicast MAC");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"sv\",\"out_mac\":\"02:00:00:00:00:01\"}]}"), "EINVAL",
	      "hop 0: out_mac: only an l3 hop takes one (kind l3)");
	ok_free("chain.add", "{\"name\":\"rt\",\"bd\":1,\"proto\":17,\"dst_port\":53,\"hops\":"
		"[{\"in\":\"b-in\",\"out\":\"sv\",\"kind\":\"l3\",\"in_mac\":\"02:00:00:00:00:01\","
		"\"out_mac\":\"02:00:00:00:00:02\"}]}");
	res = ok(line_of("chain.list", "{\"chain\":\"rt\"}"), &r);
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.kind")), "l3");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.in_mac")),
			    "02:00:00:00:00:01");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.out_mac")),
			    "02:00:00:00:00:02");
	json_object_put(r);
	ok_free("chain.del", "{\"chain\":\"rt\"}");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"src\":\"10.0.0.1/8\",\"hops\":[{\"in\":"
		      "\"b-in\",\"out\":\"sv\"}]}"), "EINVAL", "src '10.0.0.1/8': an IPv4 or IPv6 prefix");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"src_port\":\"9-8\",\"hops\":[{\"in\":"
		      "\"b-in\",\"out\":\"sv\"}]}"), "EINVAL", "src_port: N or \"LO-HI\"");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"src\":\"10.0.0.0/8\",\"dst\":"
		      "\"2001:db8::/32\",\"hops\":[{\"in\":\"b-in\",\"out\":\"sv\"}]}"), "EINVAL",
	      "one IPv4 and one IPv6");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"a-in\","
		      "\"out\":\"b-in\"}]}"), "EBUSY", "hop 0: port a-in: a port of chain web already");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"b-out\"}]}"), "EINVAL", "port b-out: a port of VLANs (vlan access)");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"b-in\"}]}"), "EINVAL", "named twice");
	fails(line_of("chain.add", "{\"name\":\"x\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"b-in\","
		      "\"out\":\"zz\"}]}"), "ENOENT", "hop 0: port zz: no such port");
	/* Its ports are held. */
	fails(line_of("port.del", "{\"port\":\"a-out\"}"), "EBUSY", "port a-out: a port of chain web");
	fails(line_of("port.del", "{\"port\":\"cl\"}"), "EBUSY", "port cl: a port of chain web");
	fails(line_of("port.set", "{\"port\":\"a-in\",\"bd\":1}"), "EBUSY", "a port of chain web");
	ok_free("port.set", "{\"port\":\"a-in\",\"up\":false}");
	fails(line_of("steer.add", "{\"vlan\":11,\"port\":\"a-in\"}"), "EINVAL",
	      "a hop port of chain web");
	fails(line_of("tunnel.add", "{\"name\":\"vx0\",\"underlay\":\"a-in\",\"local\":\"192.0.2.1\"}"),
	      "EBUSY", "port a-in is a port of chain web");

	res = ok(line_of("chain.list", "{}"), &r);
	assert_int_equal(json_object_get_int(get(res, "count")), 1);
	assert_int_equal(json_object_get_int(get(res, "max")), WR_CHAIN_MAX);
	assert_string_equal(json_object_get_string(get(res, "chains.0.name")), "web");
	assert_string_equal(json_object_get_string(get(res, "chains.0.classifier.dst_port")), "80-81");
	assert_string_equal(json_object_get_string(get(res, "chains.0.classifier.src")), "10.0.0.0/8");
	assert_string_equal(json_object_get_string(get(res, "chains.0.classifier.in_port")), "cl");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.in")), "a-in");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.fail")), "closed");
	/* a-in is down: so is the hop, by its link. */
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.state")), "down");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.admin")), "up");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.link")), "down");
	assert_true(json_object_get_int64(get(res, "chains.0.hops.0.since")) > 1000000000);
	assert_int_equal(json_object_get_int(get(res, "chains.0.hops.0.forward.into")), 0);
	json_object_put(r);
	ok_free("port.set", "{\"port\":\"a-in\",\"up\":true}");
	ok_free("chain.hop", "{\"chain\":\"web\",\"hop\":0,\"state\":\"down\"}");
	fails(line_of("chain.hop", "{\"chain\":\"web\",\"hop\":1,\"state\":\"down\"}"), "ERANGE",
	      "chain web: no hop 1 (its hops are 0 to 0)");
	fails(line_of("chain.hop", "{\"chain\":\"nope\",\"hop\":0,\"state\":\"up\"}"), "ENOENT",
	      "chain nope: no such chain");
	res = ok(line_of("chain.list", "{\"chain\":\"web\"}"), &r);
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.admin")), "down");
	assert_string_equal(json_object_get_string(get(res, "chains.0.hops.0.link")), "up");
	json_object_put(r);
	fails(line_of("chain.list", "{\"chain\":\"nope\"}"), "ENOENT", "chain nope: no such chain");

	ok_free("chain.del", "{\"chain\":\"web\"}");
	fails(line_of("chain.del", "{\"chain\":\"web\"}"), "ENOENT", "chain web: no such chain");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char args[64];

		snprintf(args, sizeof(args), "{\"port\":\"%s\"}", names[i]);
		ok_free("port.del", args);
	}
}

/* A frame @dst <- @src of ethertype 0x88b5 into ring port @name. */
static void ring_frame(const char *name, const char *dst, const char *src)
{
	uint8_t f[60] = { 0 };

	wr_mac_parse(dst, f);
	wr_mac_parse(src, f + 6);
	f[12] = 0x88, f[13] = 0xb5;
	assert_int_equal(wr_ring_inject(wd_port_find(&wd, name)->port, f, sizeof(f)), 0);
}

static const char *str_at(json_object *o, const char *path)
{
	json_object *v = get(o, path);

	return v ? json_object_get_string(v) : "(none)";
}

static void test_trace(void **state)
{
	struct wr_worker *w;
	json_object *r, *res;

	(void)state;
	add_two_ports();
	w = wr_worker_create(wd.sw, 0);
	assert_non_null(w);
	assert_int_equal(wr_worker_add_port(w, wd_port_find(&wd, "p1")->index), 0);
	assert_int_equal(wr_worker_add_port(w, wd_port_find(&wd, "p2")->index), 0);

	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{}}", "EINVAL", "port");
	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p1\",\"count\":0}}", "EINVAL",
	      "count");
	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p1\",\"in_port\":\"p2\"}}",
	      "EINVAL", "unknown argument 'in_port'");
	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"nope\"}}", "ENOENT", "nope");
	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p1\",\"src\":\"10.0.0.0/8\","
	      "\"dst\":\"2001:db8::/32\"}}", "EINVAL", "trace: src and dst: one IPv4 and one IPv6");
	ok("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p1\",\"count\":2,"
	   "\"dst_mac\":\"02:00:00:00:00:0b\"}}", &r);
	json_object_put(r);
	fails("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p2\"}}", "EBUSY",
	      "one is armed already, on port p1");

	/* One frame the filter takes, one it does not. */
	ring_frame("p1", "02:00:00:00:00:0c", "02:00:00:00:00:0a");
	ring_frame("p1", "02:00:00:00:00:0b", "02:00:00:00:00:0a");
	while (wr_worker_poll(w, 1))
		;
	res = ok("{\"v\":1,\"cmd\":\"trace.show\"}", &r);
	assert_true(json_object_get_boolean(get(res, "armed")));
	assert_false(json_object_get_boolean(get(res, "done")));
	assert_string_equal(str_at(res, "port"), "p1");
	assert_int_equal(json_object_array_length(get(res, "records")), 1);
	assert_string_equal(str_at(res, "records.0.port"), "p1");
	assert_string_equal(str_at(res, "records.0.frame.dst_mac"), "02:00:00:00:00:0b");
	assert_string_equal(str_at(res, "records.0.frame.ethertype"), "0x88b5");
	assert_null(get(res, "records.0.fastpath"));	/* no kernel fast path here */
	assert_string_equal(str_at(res, "records.0.stages.0.stage"), "parse");
	assert_string_equal(str_at(res, "records.0.stages.1.stage"), "bridge");
	/* Not learned yet: the first frame's request waits for the control thread's tick. */
	assert_string_equal(str_at(res, "records.0.stages.1.src"), "learn");
	assert_string_equal(str_at(res, "records.0.stages.1.dst"), "unknown");
	assert_string_equal(str_at(res, "records.0.stages.1.out"), "flood");
	assert_string_equal(str_at(res, "records.0.stages.2.ports.0"), "p2");
	assert_true(json_object_get_boolean(get(res, "records.0.stages.2.flood")));
	assert_string_equal(str_at(res, "records.0.verdict"), "sent");
	assert_string_equal(str_at(res, "records.0.stopped"), "output");
	json_object_put(r);
	wr_switch_tick(wd.sw, 1);
	res = ok("{\"v\":1,\"cmd\":\"trace.stop\"}", &r);
	assert_false(json_object_get_boolean(get(res, "armed")));
	assert_int_equal(json_object_array_length(get(res, "records")), 1);
	json_object_put(r);
	/* Disarmed, its records stay (a client polling late still gets them). */
	res = ok("{\"v\":1,\"cmd\":\"trace.show\"}", &r);
	assert_false(json_object_get_boolean(get(res, "armed")));
	assert_int_equal(json_object_array_length(get(res, "records")), 1);
	json_object_put(r);

	/* Past its deadline, warrend disarms it itself, keeping what came. */
	ok("{\"v\":1,\"cmd\":\"trace.start\",\"args\":{\"port\":\"p1\",\"count\":5}}", &r);
	json_object_put(r);
	ring_frame("p1", "02:00:00:00:00:0b", "02:00:00:00:00:0a");
	while (wr_worker_poll(w, 1))
		;
	wd_trace_tick(&wd);
	assert_true(wd.trace.on);
	wd.trace.deadline_ns = 0;
	wd_trace_tick(&wd);
	assert_false(wd.trace.on);
	res = ok("{\"v\":1,\"cmd\":\"trace.show\"}", &r);
	assert_false(json_object_get_boolean(get(res, "armed")));
	assert_false(json_object_get_boolean(get(res, "done")));
	assert_int_equal(json_object_array_length(get(res, "records")), 1);
	json_object_put(r);

	/* A synthetic frame: its fields, built; run dry. */
	fails("{\"v\":1,\"cmd\":\"trace.frame\",\"args\":{\"port\":\"p1\",\"src_mac\":"
	      "\"02:00:00:00:00:0a\",\"dst_mac\":\"02:00:00:00:00:0b\",\"src\":\"10.0.0.1\"}}",
	      "EINVAL", "src and dst go together");
	fails("{\"v\":1,\"cmd\":\"trace.frame\",\"args\":{\"port\":\"p1\",\"src_mac\":"
	      "\"02:00:00:00:00:0a\",\"dst_mac\":\"02:00:00:00:00:0b\",\"dst_port\":80}}",
	      "EINVAL", "need src and dst");
	ok("{\"v\":1,\"cmd\":\"trace.frame\",\"args\":{\"port\":\"p1\",\"src_mac\":"
	   "\"02:00:00:00:00:0d\",\"dst_mac\":\"02:00:00:00:00:0a\",\"vlan\":10,\"src\":\"10.0.0.1\","
	   "\"dst\":\"10.0.0.2\",\"proto\":6,\"dst_port\":443}}", &r);
	json_object_put(r);
	while (wr_worker_poll(w, 1))
		;
	res = ok("{\"v\":1,\"cmd\":\"trace.stop\"}", &r);
	assert_true(json_object_get_boolean(get(res, "records.0.synthetic")));
	assert_int_equal(json_object_get_int(get(res, "records.0.frame.vlan")), 10);
	assert_string_equal(str_at(res, "records.0.frame.src"), "10.0.0.1");
	assert_int_equal(json_object_get_int(get(res, "records.0.frame.proto")), 6);
	assert_int_equal(json_object_get_int(get(res, "records.0.frame.dst_port")), 443);
	assert_int_equal(json_object_get_int(get(res, "records.0.stages.0.tags")), 1);
	assert_string_equal(str_at(res, "records.0.stages.1.src"), "learn");
	/* 02:..:0a was learned on p1 by the real frames above: back to p1, dropped by the bridge. */
	assert_string_equal(str_at(res, "records.0.stages.1.dst"), "p1");
	assert_null(get(res, "records.0.stages.1.out"));
	assert_string_equal(str_at(res, "records.0.verdict"), "dropped");
	assert_string_equal(str_at(res, "records.0.stopped"), "bridge");
	assert_string_equal(str_at(res, "records.0.drop"), "same_port");
	json_object_put(r);
	del_ports();
}

/* The call succeeds; its reply put. */
static void ok_put(const char *line)
{
	json_object *r;

	ok(line, &r);
	json_object_put(r);
}

#define MIRROR(args) "{\"v\":1,\"cmd\":\"mirror.add\",\"args\":{" args "}}"
#define CAPTURE(args) "{\"v\":1,\"cmd\":\"capture.start\",\"args\":{" args "}}"

/*
 * Mirrors: added, refused (itself, a loop, twice, a port that is not),
 * listed with counters in mirror.list and stats; the ports they name stay
 * until they go. Captures: bounded, and ended with their port.
 */
static void test_mirror(void **state)
{
	json_object *r, *res;

	(void)state;
	add_two_ports();
	res = ok(MIRROR("\"port\":\"p1\",\"to\":\"p2\",\"dir\":\"rx\""), &r);
	assert_int_equal(json_object_get_int(get(res, "id")), 0);
	assert_string_equal(json_object_get_string(get(res, "dir")), "rx");
	json_object_put(r);
	fails(MIRROR("\"port\":\"p1\",\"to\":\"p1\""), "EINVAL", "not mirrored to itself");
	fails(MIRROR("\"port\":\"p2\",\"to\":\"p1\""), "ELOOP",
	      "mirror p2 to p1: a loop: p1 is mirrored itself (mirror 0, to p2)");
	fails(MIRROR("\"port\":\"p1\",\"to\":\"p2\""), "EEXIST", "there is one already");
	fails(MIRROR("\"port\":\"p2\",\"to\":\"p2\""), "EINVAL", "not mirrored to itself");
	fails(MIRROR("\"port\":\"p1\",\"to\":\"p9\""), "ENOENT", "p9");
	fails(MIRROR("\"port\":\"p1\",\"to\":\"p2\",\"dir\":\"up\""), "EINVAL", "rx, tx or both");
	fails(MIRROR("\"port\":\"p1\""), "EINVAL", "to: required");
	fails("{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"p2\"}}", "EBUSY",
	      "port p2: a port of mirror 0 (p1 to p2)");
	res = ok("{\"v\":1,\"cmd\":\"mirror.list\"}", &r);
	assert_int_equal(json_object_array_length(get(res, "mirrors")), 1);
	assert_string_equal(json_object_get_string(get(res, "mirrors.0.to")), "p2");
	assert_int_equal(json_object_get_int(get(res, "mirrors.0.copied")), 0);
	assert_int_equal(json_object_get_int(get(res, "max")), WR_MIRROR_MAX);
	json_object_put(r);
	res = ok("{\"v\":1,\"cmd\":\"stats\"}", &r);
	assert_int_equal(json_object_array_length(get(res, "mirrors")), 1);
	json_object_put(r);

	fails(CAPTURE("\"port\":\"p1\",\"count\":0"), "EINVAL", "count");
	fails(CAPTURE("\"port\":\"p9\""), "ENOENT", "p9");
	/* Not taken over by a server (none here): ended at the next request. */
	res = ok(CAPTURE("\"port\":\"p1\",\"count\":5"), &r);
	assert_string_equal(json_object_get_string(get(res, "port")), "p1");
	assert_int_equal(json_object_get_int(get(res, "snaplen")), WR_CAPTURE_SNAP);
	json_object_put(r);
	assert_true(wd.cap_claim > 0);
	assert_true(wd_captures_active(&wd));
	assert_true(wr_tap_port_watched(wd.sw, wd.ports[0].index));
	ok_put("{\"v\":1,\"cmd\":\"hello\"}");
	assert_false(wd_captures_active(&wd));
	/* Kept as a server would: the bound holds. */
	for (int i = 0; i < WR_CAPTURE_MAX; i++) {
		ok_put(CAPTURE("\"port\":\"p1\""));
		wd.cap_claim = 0;
	}
	fails(CAPTURE("\"port\":\"p2\""), "EBUSY", "4 captures run already");
	/* A tunnel's underlay: its frames are the tunnel's. */
	fails("{\"v\":1,\"cmd\":\"tunnel.add\",\"args\":{\"name\":\"vx0\",\"underlay\":\"p1\","
	      "\"local\":\"192.0.2.1\"}}", "EBUSY", "port p1 is mirrored or captured");

	ok_put("{\"v\":1,\"cmd\":\"mirror.del\",\"args\":{\"port\":\"p1\","
			   "\"to\":\"p2\"}}");
	fails("{\"v\":1,\"cmd\":\"mirror.del\",\"args\":{\"port\":\"p1\"}}", "ENOENT",
	      "port p1: not mirrored");
	ok_put("{\"v\":1,\"cmd\":\"tunnel.add\",\"args\":{\"name\":\"vx0\","
			   "\"underlay\":\"p2\",\"local\":\"192.0.2.1\"}}");
	fails(MIRROR("\"port\":\"p2\",\"to\":\"p1\""), "EBUSY", "p2 is the underlay of tunnel vx0");
	fails(CAPTURE("\"port\":\"p2\""), "EBUSY", "p2 is the underlay of tunnel vx0");
	ok_put("{\"v\":1,\"cmd\":\"tunnel.del\",\"args\":{\"tunnel\":\"vx0\"}}");
	/* Its port deleted: its captures end. */
	ok_put("{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"p1\"}}");
	assert_false(wd_captures_active(&wd));
	del_ports();
}

/*
 * Every command of wr_api.def is served, and checked against its keys
 * before it runs: an unknown argument is refused by each (shutdown
 * included: the daemon keeps running).
 */
static void test_every_command(void **state)
{
	char line[160];
	json_object *r;

	(void)state;
	atomic_store(&wd.stop, false);
	for (int c = 0; c < WR_CMD_COUNT; c++) {
		snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"%s\",\"args\":{\"nope\":1}}",
			 wr_api_cmds[c].name);
		fails(line, "EINVAL", "unknown argument 'nope'");
	}
	assert_false(atomic_load(&wd.stop));
	for (int c = 0; c < WR_CMD_COUNT; c++) {
		snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"%s\"}", wr_api_cmds[c].name);
		r = call(line);
		assert_non_null(r);
		if (!json_object_get_boolean(get(r, "ok")) &&
		    (!strcmp(json_object_get_string(get(r, "error.code")), "ENOSYS") ||
		     strstr(json_object_get_string(get(r, "error.message")), "unknown command")))
			fail_msg("%s -> %s", line, json_object_to_json_string(r));
		json_object_put(r);
	}
	atomic_store(&wd.stop, false);	/* shutdown asked it, as it should */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_fastpath),
		cmocka_unit_test(test_dpdk_port),
		cmocka_unit_test(test_dpdk_args),
		cmocka_unit_test(test_fdb),
		cmocka_unit_test(test_vlans_switch_stats),
		cmocka_unit_test(test_tunnels),
		cmocka_unit_test(test_steer),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_mirror),
		cmocka_unit_test(test_every_command),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
