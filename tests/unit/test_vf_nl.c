/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_vf_nl.c - the RTM_NEWLINK request Warren builds for each VF setting
 * against the one iproute2 sends for it (data/vf_golden.txt, captured with
 * strace by data/vf_golden.sh), byte for byte but for the three fields
 * that depend on the run: nlmsg_seq, nlmsg_pid and ifi_index. Each
 * captured request also parses back to the settings it was made from, and
 * a PF's reply with hundreds of VFs parses whole.
 *
 * Usage: test_vf_nl GOLDEN_FILE
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "sriov_priv.h"
#include "wr_control.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *golden_file;

/* The bytes of case @name in the golden file into @buf; their number. */
static size_t golden(const char *name, uint8_t *buf, size_t size)
{
	char line[2048], *hex;
	size_t n = 0;
	FILE *f = fopen(golden_file, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || strncmp(line, name, strlen(name)) ||
		    line[strlen(name)] != ' ')
			continue;
		hex = line + strlen(name) + 1;
		for (; hex[0] && hex[1] && hex[0] != '\n' && n < size; hex += 2) {
			unsigned int b;

			assert_int_equal(sscanf(hex, "%2x", &b), 1);
			buf[n++] = (uint8_t)b;
		}
		break;
	}
	fclose(f);
	if (!n)
		fail_msg("case '%s' is not in %s", name, golden_file);
	return n;
}

/* The fields that differ from run to run: nlmsg_seq, nlmsg_pid, ifi_index. */
static void clear_run_fields(uint8_t *m, size_t len)
{
	assert_true(len >= NLMSG_HDRLEN + sizeof(struct ifinfomsg));
	memset(m + offsetof(struct nlmsghdr, nlmsg_seq), 0, 8);
	memset(m + NLMSG_HDRLEN + offsetof(struct ifinfomsg, ifi_index), 0, 4);
}

struct got {
	unsigned int vf;
	struct wr_vf_conf c;
	int n;
};

static int keep(unsigned int vf, const struct wr_vf_conf *c, void *arg)
{
	struct got *g = arg;

	g->vf = vf;
	g->c = *c;
	g->n++;
	return 0;
}

static void assert_conf_equal(const struct wr_vf_conf *a, const struct wr_vf_conf *b)
{
	assert_int_equal(a->has_mac, b->has_mac);
	if (a->has_mac)
		assert_memory_equal(a->mac, b->mac, 6);
	assert_int_equal(a->has_vlan, b->has_vlan);
	if (a->has_vlan) {
		assert_int_equal(a->vlan, b->vlan);
		assert_int_equal(a->qos, b->qos);
		assert_int_equal(a->proto, b->proto);
	}
	assert_int_equal(a->min_rate, b->min_rate);
	assert_int_equal(a->max_rate, b->max_rate);
	assert_int_equal(a->spoofchk, b->spoofchk);
	assert_int_equal(a->trust, b->trust);
	assert_int_equal(a->link_state, b->link_state);
	assert_int_equal(a->rss_query, b->rss_query);
}

struct golden_case {
	const char *name;
	unsigned int vf;
	void (*set)(struct wr_vf_conf *c);
};

static void mac7(struct wr_vf_conf *c)
{
	c->has_mac = true;
	memcpy(c->mac, (uint8_t[]){ 2, 0, 0, 0, 0, 7 }, 6);
}
static void mac_vf7(struct wr_vf_conf *c)
{
	c->has_mac = true;
	memcpy(c->mac, (uint8_t[]){ 0x52, 0x54, 0, 0xab, 0xcd, 0xef }, 6);
}
static void vlan(struct wr_vf_conf *c) { c->has_vlan = true, c->vlan = 100, c->qos = 5; }
static void vlan_noqos(struct wr_vf_conf *c) { c->has_vlan = true, c->vlan = 4094; }
static void vlan_clear(struct wr_vf_conf *c) { c->has_vlan = true; }
static void vlan_ad(struct wr_vf_conf *c) { vlan(c), c->proto = WR_VF_PROTO_8021AD; }
static void vlan_q(struct wr_vf_conf *c) { c->has_vlan = true, c->vlan = 100; }
static void rate(struct wr_vf_conf *c) { c->min_rate = 10, c->max_rate = 1000; }
static void rate_off(struct wr_vf_conf *c) { c->min_rate = 0, c->max_rate = 0; }
static void spoof_on(struct wr_vf_conf *c) { c->spoofchk = 1; }
static void spoof_off(struct wr_vf_conf *c) { c->spoofchk = 0; }
static void trust_on(struct wr_vf_conf *c) { c->trust = 1; }
static void trust_off(struct wr_vf_conf *c) { c->trust = 0; }
static void st_auto(struct wr_vf_conf *c) { c->link_state = WR_VF_STATE_AUTO; }
static void st_enable(struct wr_vf_conf *c) { c->link_state = WR_VF_STATE_ENABLE; }
static void st_disable(struct wr_vf_conf *c) { c->link_state = WR_VF_STATE_DISABLE; }
static void rss_on(struct wr_vf_conf *c) { c->rss_query = 1; }
static void rss_off(struct wr_vf_conf *c) { c->rss_query = 0; }
static void all(struct wr_vf_conf *c)
{
	c->has_mac = true;
	memcpy(c->mac, (uint8_t[]){ 2, 0, 0, 0, 4, 1 }, 6);
	c->has_vlan = true, c->vlan = 10, c->qos = 1;
	c->spoofchk = 0, c->trust = 1, c->link_state = WR_VF_STATE_ENABLE, c->rss_query = 1;
	c->min_rate = 5, c->max_rate = 100;
}

static const struct golden_case cases[] = {
	{ "mac", 0, mac7 },
	{ "mac_vf7", 7, mac_vf7 },
	{ "vlan", 3, vlan },
	{ "vlan_noqos", 3, vlan_noqos },
	{ "vlan_clear", 3, vlan_clear },
	{ "vlan_8021ad", 3, vlan_ad },
	{ "vlan_8021q_proto", 3, vlan_q },
	{ "rate", 1, rate },
	{ "rate_off", 1, rate_off },
	{ "spoofchk_on", 2, spoof_on },
	{ "spoofchk_off", 2, spoof_off },
	{ "trust_on", 2, trust_on },
	{ "trust_off", 2, trust_off },
	{ "state_auto", 2, st_auto },
	{ "state_enable", 2, st_enable },
	{ "state_disable", 2, st_disable },
	{ "query_rss_on", 2, rss_on },
	{ "query_rss_off", 2, rss_off },
	{ "all", 4, all },
};

static void test_golden(void **state)
{
	uint8_t want[1024];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct golden_case *gc = &cases[i];
		struct wr_vf_conf c;
		struct got g = { 0 };
		struct nl_msg *msg;
		struct nlmsghdr *h;
		size_t n;

		wr_vf_conf_init(&c);
		gc->set(&c);
		n = golden(gc->name, want, sizeof(want));
		assert_int_equal(wr_vf_msg(42, gc->vf, &c, &msg), 0);
		h = nlmsg_hdr(msg);
		if (h->nlmsg_len != n)
			fail_msg("%s: %u bytes, iproute2 sends %zu", gc->name, h->nlmsg_len, n);
		clear_run_fields((uint8_t *)h, h->nlmsg_len);
		clear_run_fields(want, n);
		for (size_t b = 0; b < n; b++)
			if (((uint8_t *)h)[b] != want[b])
				fail_msg("%s: byte %zu is 0x%02x, iproute2 sends 0x%02x", gc->name, b,
					 ((uint8_t *)h)[b], want[b]);
		nlmsg_free(msg);

		/* iproute2's request reads back as what it was made from. */
		assert_int_equal(wr_vf_parse((struct nlmsghdr *)want, keep, &g), 1);
		assert_int_equal(g.vf, gc->vf);
		assert_conf_equal(&g.c, &c);
	}
}

/* Settings that are not one are not sent. */
static void test_refused(void **state)
{
	struct wr_vf_conf c;
	struct nl_msg *msg = (struct nl_msg *)&msg;

	(void)state;
	wr_vf_conf_init(&c);
	assert_int_equal(wr_vf_msg(1, 0, &c, &msg), -EINVAL);
	assert_null(msg);
	assert_string_equal(wr_err_msg(), "no VF setting given");
	c.has_vlan = true, c.vlan = 4096;
	assert_int_equal(wr_vf_conf_check(&c), -EINVAL);
	c.vlan = 0, c.qos = 3;
	assert_int_equal(wr_vf_conf_check(&c), -EINVAL);
	assert_string_equal(wr_err_msg(), "QoS 3 needs a VLAN");
	c.vlan = 5, c.qos = 8;
	assert_int_equal(wr_vf_conf_check(&c), -EINVAL);
	c.qos = 7, c.proto = 0x9100;
	assert_int_equal(wr_vf_conf_check(&c), -EINVAL);
	wr_vf_conf_init(&c);
	c.min_rate = 200, c.max_rate = 100;
	assert_int_equal(wr_vf_conf_check(&c), -EINVAL);
	assert_string_equal(wr_err_msg(), "min_rate 200 is above max_rate 100");
	/* max_rate 0 is no limit: any min_rate goes with it. */
	c.max_rate = 0;
	assert_int_equal(wr_vf_conf_check(&c), 0);
	/* One rate alone is the caller's to complete (wr_vf_conf_rates). */
	c.max_rate = -1;
	assert_int_equal(wr_vf_msg(1, 0, &c, &msg), -EINVAL);
	assert_int_equal(wr_vf_state_parse("up"), -EINVAL);
	assert_int_equal(wr_vf_state_parse("disable"), WR_VF_STATE_DISABLE);
	assert_string_equal(wr_vf_state_name(WR_VF_STATE_ENABLE), "enable");
	assert_null(wr_vf_state_name(3));
}

/* The rate not given is the VF's, as iproute2 reads it first. */
static void test_rates(void **state)
{
	struct wr_vf_conf c, cur;

	(void)state;
	wr_vf_conf_init(&cur);
	cur.min_rate = 10, cur.max_rate = 500;
	wr_vf_conf_init(&c);
	c.max_rate = 1000;
	wr_vf_conf_rates(&c, &cur);
	assert_int_equal(c.min_rate, 10);
	assert_int_equal(c.max_rate, 1000);
	wr_vf_conf_init(&c);
	c.min_rate = 20;
	wr_vf_conf_rates(&c, &cur);
	assert_int_equal(c.max_rate, 500);
	/* Nothing known (a PF that reports no VFs): 0, no limit, as iproute2. */
	wr_vf_conf_init(&c);
	c.min_rate = 20;
	wr_vf_conf_rates(&c, NULL);
	assert_int_equal(c.max_rate, 0);
	/* No rate asked for: none made up. */
	wr_vf_conf_init(&c);
	wr_vf_conf_rates(&c, &cur);
	assert_int_equal(c.min_rate, -1);
	assert_int_equal(c.max_rate, -1);
}

/* The request for a PF's VFs: its ifindex, and the mask as `ip link show` puts it. */
static void test_getlink(void **state)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct nl_msg *msg;
	struct nlmsghdr *h;
	struct ifinfomsg *ifi;

	(void)state;
	assert_int_equal(wr_vf_getlink_msg(7, &msg), 0);
	h = nlmsg_hdr(msg);
	assert_int_equal(h->nlmsg_type, RTM_GETLINK);
	assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST);	/* one link, no dump */
	ifi = nlmsg_data(h);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL), 0);
	assert_non_null(tb[IFLA_EXT_MASK]);
	assert_int_equal(nla_get_u32(tb[IFLA_EXT_MASK]), RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
	nlmsg_free(msg);
}

/* A reply as the kernel fills it (rtnl_fill_vfinfo), with counters, for @n VFs. */
static struct nl_msg *reply(unsigned int n)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 3 };
	struct nl_msg *msg = nlmsg_alloc_size(1 << 20);
	struct nlattr *list, *info, *vl, *st;

	assert_non_null(msg);
	assert_non_null(nlmsg_put(msg, 0, 0, RTM_NEWLINK, 0, 0));
	assert_int_equal(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	nla_put_string(msg, IFLA_IFNAME, "eth0");
	nla_put_u32(msg, IFLA_NUM_VF, n);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	for (uint32_t vf = 0; vf < n; vf++) {
		struct ifla_vf_mac m = { .vf = vf, .mac = { 2, 0, 0, 0, vf >> 8, vf & 0xff } };
		struct ifla_vf_vlan v = { .vf = vf, .vlan = vf % 4000, .qos = vf % 8 };
		struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = vf % 4000, .qos = vf % 8,
						.vlan_proto = htons(vf % 2 ? 0x88a8 : 0x8100) };
		struct ifla_vf_tx_rate tr = { .vf = vf, .rate = 1000 };
		struct ifla_vf_rate r = { .vf = vf, .min_tx_rate = vf, .max_tx_rate = 1000 };
		struct ifla_vf_spoofchk sc = { .vf = vf, .setting = vf % 2 };
		struct ifla_vf_link_state ls = { .vf = vf, .link_state = vf % 3 };
		struct ifla_vf_rss_query_en rq = { .vf = vf, .setting = (uint32_t)-1 };
		struct ifla_vf_trust t = { .vf = vf, .setting = (vf + 1) % 2 };

		info = nla_nest_start(msg, IFLA_VF_INFO);
		nla_put(msg, IFLA_VF_MAC, sizeof(m), &m);
		nla_put(msg, IFLA_VF_VLAN, sizeof(v), &v);
		vl = nla_nest_start(msg, IFLA_VF_VLAN_LIST);
		nla_put(msg, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		nla_nest_end(msg, vl);
		nla_put(msg, IFLA_VF_TX_RATE, sizeof(tr), &tr);
		nla_put(msg, IFLA_VF_RATE, sizeof(r), &r);
		nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc);
		nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
		nla_put(msg, IFLA_VF_RSS_QUERY_EN, sizeof(rq), &rq);
		nla_put(msg, IFLA_VF_TRUST, sizeof(t), &t);
		st = nla_nest_start(msg, IFLA_VF_STATS);
		for (int s = IFLA_VF_STATS_RX_PACKETS; s <= IFLA_VF_STATS_MULTICAST; s++)
			nla_put_u64(msg, s, 1000000 + vf);
		nla_nest_end(msg, st);
		nla_nest_end(msg, info);
	}
	nla_nest_end(msg, list);
	return msg;
}

struct check {
	unsigned int next;
};

static int check_vf(unsigned int vf, const struct wr_vf_conf *c, void *arg)
{
	struct check *k = arg;

	assert_int_equal(vf, k->next++);
	assert_true(c->has_mac);
	assert_int_equal(c->mac[4], vf >> 8);
	assert_int_equal(c->mac[5], vf & 0xff);
	assert_int_equal(c->vlan, vf % 4000);
	assert_int_equal(c->qos, vf % 8);
	assert_int_equal(c->proto, vf % 2 ? WR_VF_PROTO_8021AD : WR_VF_PROTO_8021Q);
	assert_int_equal(c->min_rate, vf);
	assert_int_equal(c->max_rate, 1000);
	assert_int_equal(c->spoofchk, (int)(vf % 2));
	assert_int_equal(c->link_state, (int)(vf % 3));
	assert_int_equal(c->rss_query, -1);	/* the driver has none */
	assert_int_equal(c->trust, (int)((vf + 1) % 2));
	return 0;
}

/* 256 VFs with their counters: past libnl's 16 KB, near the 64 KB of one attribute. */
static void test_reply_many(void **state)
{
	struct check k = { 0 };
	struct nl_msg *msg = reply(256);

	(void)state;
	assert_true(nlmsg_hdr(msg)->nlmsg_len > 60000);
	assert_int_equal(wr_vf_parse(nlmsg_hdr(msg), check_vf, &k), 256);
	assert_int_equal(k.next, 256);
	nlmsg_free(msg);
}

/* No IFLA_VFINFO_LIST (a veth, a PF without VFs): -ENODATA, not an empty list. */
static void test_reply_none(void **state)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 3 };
	struct nl_msg *msg = nlmsg_alloc();
	struct check k = { 0 };

	(void)state;
	nlmsg_put(msg, 0, 0, RTM_NEWLINK, 0, 0);
	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	nla_put_u32(msg, IFLA_NUM_VF, 0);
	assert_int_equal(wr_vf_parse(nlmsg_hdr(msg), check_vf, &k), -ENODATA);
	nlmsg_free(msg);
}

/* An entry whose attributes name two VFs is no entry. */
static void test_reply_mixed_index(void **state)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct ifla_vf_trust t = { .vf = 1, .setting = 1 };
	struct ifla_vf_spoofchk sc = { .vf = 2, .setting = 1 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *list, *info;
	struct got g = { 0 };

	(void)state;
	nlmsg_put(msg, 0, 0, RTM_NEWLINK, 0, 0);
	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	info = nla_nest_start(msg, IFLA_VF_INFO);
	nla_put(msg, IFLA_VF_TRUST, sizeof(t), &t);
	nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc);
	nla_nest_end(msg, info);
	nla_nest_end(msg, list);
	assert_int_equal(wr_vf_parse(nlmsg_hdr(msg), keep, &g), -EINVAL);
	nlmsg_free(msg);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_getlink),
		cmocka_unit_test(test_reply_many),
		cmocka_unit_test(test_reply_none),
		cmocka_unit_test(test_reply_mixed_index),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s GOLDEN_FILE\n", argv[0]);
		return 2;
	}
	golden_file = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
