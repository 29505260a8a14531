/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_vf.c - what `vf set` and `vf attach` make of a VF's settings,
 * without a kernel: each keyword into its field (iproute2's spellings of
 * the rates too), and the usage errors by their text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "cli_capture.h"
#include "wr_control.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct wr_cmd fake_cmd = { .object = "vf", .name = "set" };

struct call {
	const char *text;
	struct wr_vf_conf *c;
	int stopped_at;		/* the index of the first word that is no setting, or -1 */
};

/* Every word of @text through wr_cli_vf_conf(), as vf set's loop does. */
static int run(void *arg)
{
	struct call *a = arg;
	struct wr_ctx ctx = { .switch_name = "warren", .cmd = &fake_cmd };
	char buf[256], *argv[CAPTURE_ARGV_MAX];
	bool qp = false;
	int argc, r;

	snprintf(buf, sizeof(buf), "%s", a->text);
	argc = capture_split(buf, argv);
	wr_vf_conf_init(a->c);
	a->stopped_at = -1;
	for (int i = 0; i < argc; i++) {
		r = wr_cli_vf_conf(&ctx, argc, argv, &i, a->c, &qp);
		if (r == 1) {
			a->stopped_at = i;
			return 0;
		}
		if (r)
			return r;
	}
	return 0;
}

static int parse(const char *text, struct wr_vf_conf *c, struct captured *out, int *stopped)
{
	struct call a = { text, c, -1 };
	int r = capture(run, &a, out);

	if (stopped)
		*stopped = a.stopped_at;
	return r;
}

static void test_settings(void **state)
{
	struct wr_vf_conf c;
	struct captured out;
	int stopped;

	(void)state;
	assert_int_equal(parse("mac 02:00:00:00:00:07 vlan 100 qos 5 proto 802.1ad spoofchk on "
			       "trust off state disable query_rss on min_rate 10 max_rate 1000",
			       &c, &out, &stopped), 0);
	assert_int_equal(stopped, -1);
	assert_true(c.has_mac);
	assert_memory_equal(c.mac, ((uint8_t[]){ 2, 0, 0, 0, 0, 7 }), 6);
	assert_true(c.has_vlan);
	assert_int_equal(c.vlan, 100);
	assert_int_equal(c.qos, 5);
	assert_int_equal(c.proto, WR_VF_PROTO_8021AD);
	assert_int_equal(c.spoofchk, 1);
	assert_int_equal(c.trust, 0);
	assert_int_equal(c.link_state, WR_VF_STATE_DISABLE);
	assert_int_equal(c.rss_query, 1);
	assert_int_equal(c.min_rate, 10);
	assert_int_equal(c.max_rate, 1000);
	assert_int_equal(wr_vf_conf_check(&c), 0);

	/* iproute2's words: rate is max_tx_rate, and the _tx_ spellings. */
	assert_int_equal(parse("rate 300", &c, &out, NULL), 0);
	assert_int_equal(c.max_rate, 300);
	assert_int_equal(c.min_rate, -1);
	assert_int_equal(parse("min_tx_rate 5 max_tx_rate 50 proto 802.1Q", &c, &out, NULL), 0);
	assert_int_equal(c.min_rate, 5);
	assert_int_equal(c.max_rate, 50);
	assert_int_equal(c.proto, WR_VF_PROTO_8021Q);
	assert_false(c.has_vlan);

	/* Not a setting: left to the caller (attach's netns, name, addr). */
	assert_int_equal(parse("trust on netns h1", &c, &out, &stopped), 0);
	assert_int_equal(stopped, 2);
	assert_int_equal(c.trust, 1);
}

static void test_usage(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "mac 02:00:00", "warren vf set: mac: " },
		{ "vlan 4096", "vlan: '4096' is not a number from 0 to 4095" },
		{ "qos 8", "qos: '8' is not a number from 0 to 7" },
		{ "proto 802.1x", "warren vf set: proto: '802.1x' is not one of: 802.1Q, 802.1ad" },
		{ "spoofchk yes", "spoofchk: 'yes' is not one of: on, off" },
		{ "state up", "state: 'up' is not one of: auto, enable, disable" },
		{ "max_rate -1", "max_rate: '-1' is not a number from 0 to 4294967295" },
		{ "rate 10 max_rate 20", "'max_rate' given twice (rate is max_rate)" },
		{ "trust", "'trust' needs a value" },
	};
	struct wr_vf_conf c;
	struct captured out;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (parse(cases[i].text, &c, &out, NULL) != WR_EXIT_USAGE)
			fail_msg("'%s' accepted", cases[i].text);
		if (!strstr(out.err, cases[i].msg))
			fail_msg("'%s': got '%s', want '%s'", cases[i].text, out.err, cases[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
