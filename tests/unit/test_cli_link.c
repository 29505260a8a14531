/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_link.c - what `link add` makes of its arguments, without a
 * kernel: the ipvlan mode and flags as iproute2 takes them (and the macvlan
 * mode beside them), the usage errors by their text, and the RTM_NEWLINK
 * request an ipvlan is created with, read back attribute by attribute.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "cli.h"
#include "cli_capture.h"
#include "link_priv.h"
#include "wr_control.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct wr_cmd fake_cmd = { .object = "link", .name = "add" };

struct add_call {
	const char *text;
	struct wr_link_spec *spec;
	struct wr_link_change *chg;
};

static int add_args(void *arg)
{
	struct add_call *a = arg;
	struct wr_ctx ctx = { .netns = "h1", .switch_name = "warren", .cmd = &fake_cmd };
	char buf[256], *argv[CAPTURE_ARGV_MAX];

	snprintf(buf, sizeof(buf), "%s", a->text);
	return wr_cli_link_add_args(&ctx, capture_split(buf, argv), argv, a->spec, a->chg);
}

/* `warren -n h1 link add TEXT`, parsed; stderr in @c. */
static int parse(const char *text, struct wr_link_spec *spec, struct wr_link_change *chg,
		 struct captured *c)
{
	struct add_call a = { text, spec, chg };

	return capture(add_args, &a, c);
}

static void parse_ok(const char *text, struct wr_link_spec *spec, struct wr_link_change *chg)
{
	struct captured c;

	if (parse(text, spec, chg, &c))
		fail_msg("'%s' refused: %s", text, c.err);
}

/* ---------------------------------------------------------------- ipvlan */

static void test_ipvlan_defaults(void **state)
{
	struct wr_link_change chg;
	struct wr_link_spec s;

	(void)state;
	parse_ok("iv0 type ipvlan link eth0", &s, &chg);
	assert_int_equal(s.kind, WR_LINK_IPVLAN);
	assert_string_equal(s.ep.netns, "h1");
	assert_string_equal(s.ep.ifname, "iv0");
	assert_string_equal(s.lower, "eth0");
	assert_int_equal(s.ipvlan_mode, WR_IPVLAN_L3);	/* the kernel's default */
	assert_int_equal(s.ipvlan_flag, WR_IPVLAN_BRIDGE);
	assert_int_equal(chg.up, -1);
	assert_int_equal(chg.mtu, 0);
}

/* Each mode and flag, in any order among the other keywords. */
static void test_ipvlan_modes_flags(void **state)
{
	static const struct {
		const char *text;
		enum wr_ipvlan_mode mode;
		enum wr_ipvlan_flag flag;
	} cases[] = {
		{ "iv0 type ipvlan link eth0 mode l2", WR_IPVLAN_L2, WR_IPVLAN_BRIDGE },
		{ "iv0 type ipvlan link eth0 mode l3", WR_IPVLAN_L3, WR_IPVLAN_BRIDGE },
		{ "iv0 type ipvlan link eth0 mode l3s", WR_IPVLAN_L3S, WR_IPVLAN_BRIDGE },
		{ "iv0 type ipvlan link eth0 private", WR_IPVLAN_L3, WR_IPVLAN_PRIVATE },
		{ "iv0 type ipvlan link eth0 mode l2 vepa", WR_IPVLAN_L2, WR_IPVLAN_VEPA },
		{ "iv0 type ipvlan link eth0 mode l3s bridge", WR_IPVLAN_L3S, WR_IPVLAN_BRIDGE },
		{ "iv0 private mode l2 type ipvlan dev eth0", WR_IPVLAN_L2, WR_IPVLAN_PRIVATE },
		{ "name iv0 link eth0 type ipvlan vepa mode l3s up", WR_IPVLAN_L3S, WR_IPVLAN_VEPA },
	};
	struct wr_link_change chg;
	struct wr_link_spec s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_ok(cases[i].text, &s, &chg);
		assert_int_equal(s.kind, WR_LINK_IPVLAN);
		assert_string_equal(s.lower, "eth0");
		if (s.ipvlan_mode != cases[i].mode || s.ipvlan_flag != cases[i].flag)
			fail_msg("'%s': mode %d flag %d", cases[i].text, s.ipvlan_mode,
				 s.ipvlan_flag);
	}
	assert_int_equal(chg.up, 1);
}

/* macvlan keeps its own modes; an ipvlan's settings stay at their defaults there. */
static void test_macvlan_mode(void **state)
{
	struct wr_link_change chg;
	struct wr_link_spec s;

	(void)state;
	parse_ok("mv0 type macvlan link eth0 mode vepa mtu 1400", &s, &chg);
	assert_int_equal(s.kind, WR_LINK_MACVLAN);
	assert_int_equal(s.macvlan_mode, WR_MACVLAN_VEPA);
	assert_int_equal(s.ipvlan_mode, WR_IPVLAN_L3);
	assert_int_equal(chg.mtu, 1400);
	parse_ok("mv0 type macvlan link eth0", &s, &chg);
	assert_int_equal(s.macvlan_mode, WR_MACVLAN_BRIDGE);
}

static void test_usage_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "iv0 type ipvlan link eth0 mode l4",
		  "mode: 'l4': unknown ipvlan mode (expected one of: l3, l3s, l2)" },
		{ "iv0 type ipvlan link eth0 mode vepa",
		  "(bridge, private and vepa are flags, given without 'mode')" },
		{ "iv0 type ipvlan link eth0 mode", "'mode' needs a value" },
		{ "iv0 type ipvlan link eth0 mode l2 mode l3", "'mode' given twice" },
		{ "iv0 type ipvlan link eth0 private vepa",
		  "give one of 'bridge', 'private' and 'vepa', once" },
		{ "iv0 type ipvlan link eth0 bridge bridge", "give one of" },
		{ "iv0 type ipvlan mode l2", "type ipvlan needs 'link LOWER'" },
		{ "mv0 type macvlan link eth0 private",
		  "'private' does not apply to type macvlan (it is an ipvlan flag; a macvlan "
		  "takes 'mode MODE')" },
		{ "mv0 type macvlan link eth0 mode l2",
		  "mode: 'l2': unknown macvlan mode" },
		{ "v0 type vlan link eth0 id 5 mode l2", "'mode' does not apply to type vlan" },
		{ "d0 type dummy vepa", "'vepa' does not apply to type dummy (it is an ipvlan flag)" },
	};
	struct wr_link_change chg;
	struct wr_link_spec s;
	struct captured c;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (parse(cases[i].text, &s, &chg, &c) != WR_EXIT_USAGE)
			fail_msg("'%s' accepted", cases[i].text);
		if (!strstr(c.err, cases[i].msg))
			fail_msg("'%s': got '%s', want '%s'", cases[i].text, c.err, cases[i].msg);
		assert_non_null(strstr(c.err, "warren link add: "));
	}
}

/* ------------------------------------------------------ the netlink request */

/* The IFLA_INFO_DATA of the ipvlan request for (@mode, @flag) on ifindex 7. */
static void check_request(enum wr_ipvlan_mode mode, enum wr_ipvlan_flag flag,
			  uint16_t want_mode, uint16_t want_flags)
{
	struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1], *data[IFLA_IPVLAN_MAX + 1];
	struct wr_link_spec s = { .kind = WR_LINK_IPVLAN, .ipvlan_mode = mode,
				  .ipvlan_flag = flag };
	struct nlmsghdr *h;
	struct nl_msg *msg;

	snprintf(s.ep.ifname, sizeof(s.ep.ifname), "iv0");
	assert_int_equal(wr_link_ipvlan_msg(&s, 7, &msg), 0);
	h = nlmsg_hdr(msg);
	assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL), 0);
	assert_non_null(tb[IFLA_IFNAME]);
	assert_string_equal(nla_get_string(tb[IFLA_IFNAME]), "iv0");
	assert_non_null(tb[IFLA_LINK]);
	assert_int_equal(nla_get_u32(tb[IFLA_LINK]), 7);
	assert_non_null(tb[IFLA_LINKINFO]);
	assert_int_equal(nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL), 0);
	assert_string_equal(nla_get_string(info[IFLA_INFO_KIND]), "ipvlan");
	assert_non_null(info[IFLA_INFO_DATA]);
	assert_int_equal(nla_parse_nested(data, IFLA_IPVLAN_MAX, info[IFLA_INFO_DATA], NULL), 0);
	/* NLA_U16 in the kernel's policy: two bytes each. */
	assert_non_null(data[IFLA_IPVLAN_MODE]);
	assert_int_equal(nla_len(data[IFLA_IPVLAN_MODE]), 2);
	assert_int_equal(nla_get_u16(data[IFLA_IPVLAN_MODE]), want_mode);
	assert_non_null(data[IFLA_IPVLAN_FLAGS]);
	assert_int_equal(nla_len(data[IFLA_IPVLAN_FLAGS]), 2);
	assert_int_equal(nla_get_u16(data[IFLA_IPVLAN_FLAGS]), want_flags);
	nlmsg_free(msg);
}

static void test_ipvlan_request(void **state)
{
	static const uint16_t modes[] = {
		[WR_IPVLAN_L3] = IPVLAN_MODE_L3,
		[WR_IPVLAN_L3S] = IPVLAN_MODE_L3S,
		[WR_IPVLAN_L2] = IPVLAN_MODE_L2,
	};
	static const uint16_t flags[] = {
		[WR_IPVLAN_BRIDGE] = 0,
		[WR_IPVLAN_PRIVATE] = IPVLAN_F_PRIVATE,
		[WR_IPVLAN_VEPA] = IPVLAN_F_VEPA,
	};
	struct wr_link_spec s = { .kind = WR_LINK_IPVLAN };
	struct nl_msg *msg = NULL;

	(void)state;
	for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
		for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
			check_request((enum wr_ipvlan_mode)m, (enum wr_ipvlan_flag)f, modes[m],
				      flags[f]);
	s.ipvlan_mode = (enum wr_ipvlan_mode)3;
	assert_int_equal(wr_link_ipvlan_msg(&s, 7, &msg), -EINVAL);
	s.ipvlan_mode = WR_IPVLAN_L2;
	s.ipvlan_flag = (enum wr_ipvlan_flag)3;
	assert_int_equal(wr_link_ipvlan_msg(&s, 7, &msg), -EINVAL);
	assert_null(msg);
}

/* The names: each both ways, and what is not one. */
static void test_ipvlan_names(void **state)
{
	(void)state;
	assert_string_equal(wr_ipvlan_mode_name(WR_IPVLAN_L3), "l3");
	assert_string_equal(wr_ipvlan_mode_name(WR_IPVLAN_L3S), "l3s");
	assert_string_equal(wr_ipvlan_mode_name(WR_IPVLAN_L2), "l2");
	assert_null(wr_ipvlan_mode_name((enum wr_ipvlan_mode)3));
	assert_string_equal(wr_ipvlan_flag_name(WR_IPVLAN_BRIDGE), "bridge");
	assert_string_equal(wr_ipvlan_flag_name(WR_IPVLAN_PRIVATE), "private");
	assert_string_equal(wr_ipvlan_flag_name(WR_IPVLAN_VEPA), "vepa");
	assert_null(wr_ipvlan_flag_name((enum wr_ipvlan_flag)3));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(wr_ipvlan_mode_parse(wr_ipvlan_mode_name(i)), i);
		assert_int_equal(wr_ipvlan_flag_parse(wr_ipvlan_flag_name(i)), i);
	}
	assert_int_equal(wr_ipvlan_mode_parse("L2"), -EINVAL);
	assert_int_equal(wr_ipvlan_mode_parse(""), -EINVAL);
	assert_string_equal(wr_err_msg(), "ipvlan mode is empty (expected one of: l3, l3s, l2)");
	assert_int_equal(wr_ipvlan_flag_parse("passthru"), -EINVAL);
	assert_int_equal(wr_ipvlan_flag_parse(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipvlan_defaults),
		cmocka_unit_test(test_ipvlan_modes_flags),
		cmocka_unit_test(test_macvlan_mode),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_ipvlan_request),
		cmocka_unit_test(test_ipvlan_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
