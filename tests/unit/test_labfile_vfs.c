/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_labfile_vfs.c - the lab file's `vfs:` section: entries land in
 * struct wr_lab_vf with the settings `warren vf set` would give, every
 * error is reported alone at its line:column, and wr_lab_check_host()
 * against a fake sysfs tree: a missing PF or one without SR-IOV is a note,
 * an index past sriov_numvfs an error.
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

#include "wr_control.h"

#include "fake_sysfs.h"
#include "labtest.h"

static const char full_vfs[] =
	"prefix: t1-\n"						/* 1 */
	"namespaces:\n"
	"  h1:\n"
	"    routes:\n"
	"      - {to: default, via: 192.0.2.254, dev: net1}\n"	/* 5 */
	"  h2:\n"
	"links:\n"
	"  - {kind: veth, endpoints: [h1:eth0, h2:eth0]}\n"
	"vfs:\n"
	"  - pf: enp3s0f0\n"					/* 10 */
	"    vf: 2\n"
	"    netns: h1\n"
	"    name: net1\n"
	"    addresses: [192.0.2.1/24, 2001:db8::1/64]\n"
	"    mac: 02:00:00:00:02:01\n"				/* 15 */
	"    vlan: 100\n"
	"    qos: 3\n"
	"    proto: 802.1ad\n"
	"    min_rate: 10\n"
	"    max_rate: 1000\n"					/* 20 */
	"    spoofchk: on\n"
	"    trust: off\n"
	"    state: enable\n"
	"    query_rss: on\n"
	"  - {pf: enp3s0f0, vf: any, netns: h2, name: net1, up: false}\n";	/* 25 */

static void test_full(void **state)
{
	const struct wr_lab_vf *e;
	const struct wr_vf_conf *c;
	struct wr_lab *lab;
	char buf[64];

	(void)state;
	lab = parse_ok(full_vfs);
	assert_int_equal(lab->n_vfs, 2);
	e = &lab->vfs[0];
	assert_string_equal(e->a.pf, "enp3s0f0");
	assert_false(e->any);
	assert_int_equal(e->a.vf, 2);
	assert_string_equal(e->a.netns, "t1-h1");
	assert_string_equal(e->a.name, "net1");
	assert_false(e->a.down);
	assert_int_equal(e->pos.line, 10);
	assert_int_equal(e->pos.col, 5);
	assert_int_equal(e->pf_pos.line, 10);
	assert_int_equal(e->pf_pos.col, 9);
	assert_int_equal(e->vf_pos.line, 11);
	assert_int_equal(e->vf_pos.col, 9);
	assert_int_equal(e->a.n_addrs, 2);
	wr_format_cidr(&e->a.addrs[1], buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1/64");
	c = &e->a.conf;
	assert_true(c->has_mac);
	assert_int_equal(c->mac[5], 1);
	assert_true(c->has_vlan);
	assert_int_equal(c->vlan, 100);
	assert_int_equal(c->qos, 3);
	assert_int_equal(c->proto, WR_VF_PROTO_8021AD);
	assert_int_equal(c->min_rate, 10);
	assert_int_equal(c->max_rate, 1000);
	assert_int_equal(c->spoofchk, 1);
	assert_int_equal(c->trust, 0);
	assert_int_equal(c->link_state, WR_VF_STATE_ENABLE);
	assert_int_equal(c->rss_query, 1);

	e = &lab->vfs[1];
	assert_true(e->any);
	assert_string_equal(e->a.netns, "t1-h2");
	assert_true(e->a.down);
	assert_int_equal(e->a.n_addrs, 0);
	/* Nothing asked: every setting unset, as wr_vf_conf_init() leaves it. */
	assert_false(e->a.conf.has_mac);
	assert_false(e->a.conf.has_vlan);
	assert_int_equal(e->a.conf.max_rate, -1);
	assert_int_equal(e->a.conf.trust, -1);
	wr_lab_free(lab);

	lab = parse_ok("vfs:\n");
	assert_int_equal(lab->n_vfs, 0);
	wr_lab_free(lab);
}

/* The same words as `warren vf set`: the other names of the rates too. */
static void test_same_as_cli(void **state)
{
	struct wr_lab *lab;

	(void)state;
	lab = parse_ok("namespaces: {h1: }\n"
		       "vfs:\n"
		       "  - {pf: p0, vf: 0, netns: h1, name: v0, rate: 300, min_tx_rate: 5}\n");
	assert_int_equal(lab->vfs[0].a.conf.max_rate, 300);
	assert_int_equal(lab->vfs[0].a.conf.min_rate, 5);
	wr_lab_free(lab);
}

#define NS "namespaces: {h1: , h2: }\n"
/* A file whose only entry (line 3, column 5) is the flow mapping @body. */
#define V1(body) NS "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: v0, " body "}\n"

static const struct err_case errors[] = {
	E(NS "vfs: {pf: p0}\n", 2, 6, "vfs: expected a sequence of VF entries, got a mapping"),
	E(NS "vfs: [p0]\n", 2, 7, "vfs entry: expected a mapping (pf, vf, netns, name, addresses, up, settings), got 'p0'"),
	E(NS "vfs:\n  - {vf: 0, netns: h1, name: v0}\n", 3, 5, "vfs entry: missing 'pf'"),
	EN(NS "vfs:\n  - {pf: p0}\n", 3, 5, "vfs entry: missing 'name'", 3),
	E(V1("foo: 1"), 3, 42, "unknown key 'foo' in a vfs entry (expected one of: pf, vf, netns, name, addresses, up, mac, vlan, qos, proto, min_rate, max_rate, rate"),
	E(V1("vf: 1"), 3, 42, "duplicate key 'vf'"),
	E(NS "vfs:\n  - {pf: 'p 0', vf: 0, netns: h1, name: v0}\n", 3, 10, "pf: "),
	E(NS "vfs:\n  - {pf: p0, vf: some, netns: h1, name: v0}\n", 3, 18, "vf: expected a VF index or 'any', got 'some'"),
	E(NS "vfs:\n  - {pf: p0, vf: 70000, netns: h1, name: v0}\n", 3, 18, "vf: 70000 is out of range (expected 0..65535)"),
	E(NS "vfs:\n  - {pf: p0, vf: 0, netns: h9, name: v0}\n", 3, 28, "netns: namespace 'h9' is not declared"),
	E(NS "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: lo}\n", 3, 38, "name: 'lo' is the namespace's loopback device"),
	E(NS "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: a-name-much-too-long}\n", 3, 38, "name: "),
	E(NS "links:\n  - {kind: veth, endpoints: [h1:eth0, h2:eth0]}\n"
	  "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: eth0}\n", 5, 38,
	  "name: the link at line 3 creates 'eth0' in namespace 'h1' already"),
	E(NS "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: v0}\n"
	  "  - {pf: p0, vf: 1, netns: h1, name: v0}\n", 4, 38,
	  "name: the VF at line 3 is 'v0' in namespace 'h1' already"),
	E(NS "vfs:\n  - {pf: p0, vf: 0, netns: h1, name: v0}\n"
	  "  - {pf: p0, vf: 0, netns: h2, name: v0}\n", 4, 18,
	  "vf: PF 'p0' vf 0 is wanted by the entry at line 3 already"),
	E(V1("addresses: [10.0.0.1]"), 3, 54, "addresses: "),
	E(V1("up: maybe"), 3, 46, "up: expected true, false, yes or no, got 'maybe'"),
	/* The settings, in `warren vf set`'s words. */
	E(V1("mac: 02:00:00"), 3, 47, "mac: "),
	E(V1("vlan: 4096"), 3, 48, "vlan: '4096' is not a number from 0 to 4095"),
	E(V1("qos: 8, vlan: 1"), 3, 47, "qos: '8' is not a number from 0 to 7"),
	E(V1("proto: 802.1x, vlan: 1"), 3, 49, "proto: '802.1x' is not one of: 802.1Q, 802.1ad"),
	E(V1("spoofchk: yes"), 3, 52, "spoofchk: 'yes' is not one of: on, off"),
	E(V1("state: up"), 3, 49, "state: 'up' is not one of: auto, enable, disable"),
	E(V1("max_rate: -1"), 3, 52, "max_rate: '-1' is not a number from 0 to 4294967295"),
	E(V1("max_rate: 20, rate: 10"), 3, 62, "'rate' given twice (rate is max_rate)"),
	E(V1("qos: 3"), 3, 47, "'qos' and 'proto' go with 'vlan'"),
	E(V1("min_rate: 200, max_rate: 100"), 3, 52, "min_rate 200 is above max_rate 100"),
	E(V1("trust: [on]"), 3, 49, "trust: expected a value, as `warren vf set` takes it, got a sequence"),
	/* Routes may name a VF of their namespace, not one of another. */
	E("namespaces:\n  h1: {routes: [{to: default, dev: v0}]}\n  h2:\n"
	  "vfs:\n  - {pf: p0, vf: 0, netns: h2, name: v0}\n", 2, 36,
	  "dev: no link or VF creates 'v0' in namespace 'h1'"),
};

static void test_errors(void **state)
{
	(void)state;
	check_cases(errors, ARRAY_SIZE(errors));
}

/* ---------------------------------------------------------------- host */

static char *sysfs;

static int setup(void **state)
{
	(void)state;
	sysfs = fake_sysfs_new();
	fake_pf(sysfs, "pf0", "0000:03:00.0", 8);
	fake_numvfs(sysfs, "0000:03:00.0", 2);
	fake_vf(sysfs, "0000:03:00.0", 0, "0000:03:02.0", "vf0", "iavf");
	fake_vf(sysfs, "0000:03:00.0", 1, "0000:03:02.1", "vf1", "iavf");
	fake_pf(sysfs, "pf1", "0000:04:00.0", 8);	/* no VFs made */
	/* A netdev without SR-IOV: a PCI device with no sriov_totalvfs. */
	fake_mkdirs(fake_path((char[PATH_MAX]){ 0 }, sysfs, FAKE_BUS "/0000:05:00.0"));
	fake_netdev(sysfs, "0000:05:00.0", "eth9");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_sysfs_free(sysfs);
	return 0;
}

static struct wr_lab *host_lab(const char *vfs)
{
	char text[1024];
	struct wr_lab *lab;
	int n;

	snprintf(text, sizeof(text), "namespaces: {h1: , h2: , h3: }\nvfs:\n%s", vfs);
	lab = parse_ok(text);
	n = wr_lab_check_host(lab, sysfs);
	assert_int_equal(n, (int)lab->n_errors);
	return lab;
}

static void test_host(void **state)
{
	struct wr_lab *lab;

	(void)state;
	/* Indexes within sriov_numvfs, and one `any`: nothing to say. */
	lab = host_lab("  - {pf: pf0, vf: 1, netns: h1, name: v}\n"
		       "  - {pf: pf0, vf: any, netns: h2, name: v}\n");
	assert_int_equal(lab->n_errors, 0);
	assert_int_equal(lab->n_notes, 0);
	wr_lab_free(lab);

	lab = host_lab("  - {pf: pf0, vf: 2, netns: h1, name: v}\n"		/* 3 */
		       "  - {pf: pf1, vf: 0, netns: h2, name: v}\n"
		       "  - {pf: nope, vf: 0, netns: h3, name: v}\n"		/* 5 */
		       "  - {pf: eth9, vf: any, netns: h3, name: w}\n");
	assert_int_equal(lab->n_errors, 2);
	assert_int_equal(lab->errors[0].pos.line, 3);
	assert_int_equal(lab->errors[0].pos.col, 19);
	assert_string_equal(lab->errors[0].msg,
			    "vf: 2 is out of range: PF 'pf0' has 2 VFs (sriov_numvfs), 0 to 1");
	assert_int_equal(lab->errors[1].pos.line, 4);
	assert_string_equal(lab->errors[1].msg,
			    "vf: PF 'pf1' has no VFs (sriov_numvfs is 0: 'warren vf set pf1 numvfs N' "
			    "makes them)");
	/* Not this host's: notes at each entry's pf, in file order. */
	assert_int_equal(lab->n_notes, 2);
	assert_int_equal(lab->notes[0].pos.line, 5);
	assert_int_equal(lab->notes[0].pos.col, 10);
	assert_non_null(strstr(lab->notes[0].msg, "pf: PF nope: No such device"));
	assert_non_null(strstr(lab->notes[0].msg, ": this host cannot lend the VF"));
	assert_int_equal(lab->notes[1].pos.line, 6);
	assert_non_null(strstr(lab->notes[1].msg, "pf: PF eth9: no SR-IOV"));
	wr_lab_free(lab);

	/* More entries on a PF than it has VFs: the `any` one says so. */
	lab = host_lab("  - {pf: pf0, vf: 0, netns: h1, name: v}\n"
		       "  - {pf: pf0, vf: 1, netns: h2, name: v}\n"
		       "  - {pf: pf0, vf: any, netns: h3, name: v}\n");
	assert_int_equal(lab->n_errors, 1);
	assert_int_equal(lab->errors[0].pos.line, 5);
	assert_string_equal(lab->errors[0].msg,
			    "vf: 'any' may find none: PF 'pf0' has 2 VFs (sriov_numvfs) and the lab wants 3");
	wr_lab_free(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_same_as_cli),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
