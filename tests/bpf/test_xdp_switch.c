/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_xdp_switch.c - the fast path's decisions, one table of crafted
 * frames run through both entry points with BPF_PROG_TEST_RUN: verdict,
 * counters (which say the redirect target: the output port's tx), and the
 * bytes that come out. Then the last-seen stamp, TC and a port in another
 * namespace, a program instance bound to one port, hand-ups reaching the
 * AF_XDP socket of their own port, and the VLAN rules against the
 * userspace switch's own (dataplane/vlan.c) for every pair of port modes
 * and tag.
 *
 * Needs root (BPF, devices). Topology, in a namespace of the process's own:
 *
 *   port 0 A      none, bd 1                 v0 ─┐
 *   port 1 B      none, bd 1, max_len 100    v1 ─┘ veth
 *   port 2 ACC10  access 10                  v2 ─┐
 *   port 3 TRUNK  trunk 10,20,30,50, native 30   v3 ─┘
 *   port 4 ACC20  access 20                  v4 ─┐
 *   port 5 OFF    none, bd 1, fast path off  v5 ─┘
 *   port 6 T2     trunk 10,30, no native     v6 ─┐
 *   port 7 NOLRN  none, bd 1, no learning    v7 ─┘
 *   VLAN n → bd n for 10, 20, 30; VLAN 50 → none.
 *
 * Nothing is sent: the devices only give real ifindexes (the DEVMAP and
 * test runs want existing devices). Under BPF_PROG_TEST_RUN without live
 * frames a redirect is only a verdict: XDP_REDIRECT when the DEVMAP has
 * the key, TC_ACT_REDIRECT; nothing leaves. With no AF_XDP socket in
 * wr_xsks, "to userspace" reads XDP_PASS (the helper's fallback).
 *
 * What test runs cannot show, test_xdp_switch_live.c shows on real
 * devices: a TC push puts the tag in the skb's metadata (vlan_tci), not in
 * the bytes a test run returns, and at a real tc ingress the stack has
 * already moved the outer tag out of the data.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <cmocka.h>

#include "bpf_env.h"
#include "stage_priv.h"

enum { P_A, P_B, P_ACC10, P_TRUNK, P_ACC20, P_OFF, P_T2, P_NOLRN, N_PORTS };
#define P_LO	100	/* the loopback device: no port */

static const char *const dev_names[N_PORTS] = { "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7" };

/* MACs: 02:00:00:00:<bd>:<host>. */
#define MAC(bd, h) { 0x02, 0, 0, 0, bd, h }
static const uint8_t mA[6] = MAC(1, 0xa), mA2[6] = MAC(1, 0xa2), mB[6] = MAC(1, 0xb),
	mOff[6] = MAC(1, 0xf), mNone[6] = MAC(1, 0xee), bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 },
	m10acc[6] = MAC(10, 2), m10tr[6] = MAC(10, 3), m10t2[6] = MAC(10, 6),
	m20acc[6] = MAC(20, 4), m20tr[6] = MAC(20, 3), m20t2[6] = MAC(20, 6),
	m30tr[6] = MAC(30, 3), m30t2[6] = MAC(30, 6);

struct env {
	struct xdp_switch *s;
	int ifindex[N_PORTS];
};

static struct env env;

/* ---------------------------------------------------------------- setup */

static void fill_ports(struct xdp_switch *s, const int *ifx)
{
	static const uint16_t trunk_vlans[] = { 10, 20, 30, 50 }, t2_vlans[] = { 10, 30 };
	static const struct {
		uint16_t bd;
		const uint8_t *mac;
		uint16_t port;
	} hosts[] = {
		{ 1, mA, P_A }, { 1, mA2, P_A }, { 1, mB, P_B }, { 1, mOff, P_OFF },
		{ 10, m10acc, P_ACC10 }, { 10, m10tr, P_TRUNK }, { 10, m10t2, P_T2 },
		{ 20, m20acc, P_ACC20 }, { 20, m20tr, P_TRUNK }, { 20, m20t2, P_T2 },
		{ 30, m30tr, P_TRUNK }, { 30, m30t2, P_T2 },
	};
	uint64_t now = env_now_ns();
	struct wr_bpf_port p;

	env_port(s, P_A, env_port_none(ifx[P_A], 1));
	p = env_port_none(ifx[P_B], 1);
	p.max_len = 100;
	env_port(s, P_B, p);
	env_port(s, P_ACC10, env_port_access(ifx[P_ACC10], 10));
	env_port(s, P_TRUNK, env_port_trunk(ifx[P_TRUNK], 30, trunk_vlans, 4));
	env_port(s, P_ACC20, env_port_access(ifx[P_ACC20], 20));
	p = env_port_none(ifx[P_OFF], 1);
	p.flags &= (uint8_t)~WR_BPF_PORT_F_FASTPATH;
	env_port(s, P_OFF, p);
	env_port(s, P_T2, env_port_trunk(ifx[P_T2], 0, t2_vlans, 2));
	p = env_port_none(ifx[P_NOLRN], 1);
	p.flags &= (uint8_t)~WR_BPF_PORT_F_LEARNING;
	p.src_check = WR_BPF_SRC_ANY;
	env_port(s, P_NOLRN, p);

	env_vlan_bd(s, 10, 10);
	env_vlan_bd(s, 20, 20);
	env_vlan_bd(s, 30, 30);
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		env_fdb(s, hosts[i].bd, hosts[i].mac, hosts[i].port, now);
}

static int teardown(void **state)
{
	(void)state;
	xdp_switch__destroy(env.s);
	env.s = NULL;
	for (int i = 0; i < N_PORTS; i += 2)
		env_del(dev_names[i]);
	return 0;
}

/* cmocka skips the teardown when the setup fails: undo here. */
static int setup(void **state)
{
	env.s = env_veths_load(dev_names, N_PORTS, env.ifindex);
	if (!env.s)
		goto fail;
	fill_ports(env.s, env.ifindex);
	return 0;
fail:
	teardown(state);
	return -1;
}

/* ------------------------------------------------------------ test runs */

enum entry { E_XDP, E_TC, N_ENTRIES };
static const char *const entry_names[N_ENTRIES] = { "xdp", "tc" };

struct run {
	int err;		/* bpf_prog_test_run_opts() */
	uint32_t retval;
	uint8_t out[ENV_FRAME_MAX + 64];
	uint32_t out_len;
};

/* Optional test-run context: TC GSO fields; an XDP linear part shorter than the frame. */
struct run_opts {
	uint32_t gso_size, gso_segs;
	uint32_t xdp_linear;
};

static void run(struct xdp_switch *s, enum entry e, int ifindex, const uint8_t *frame,
		uint32_t len, const struct run_opts *o, struct run *r)
{
	struct xdp_md xmd = { .ingress_ifindex = (uint32_t)ifindex, .data_end = len };
	struct __sk_buff skb = { .ifindex = (uint32_t)ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len,
		    .data_out = r->out, .data_size_out = sizeof(r->out));
	int fd;

	if (e == E_XDP) {
		if (o && o->xdp_linear)
			xmd.data_end = o->xdp_linear;
		t.ctx_in = &xmd;
		t.ctx_size_in = sizeof(xmd);
		fd = bpf_program__fd(s->progs.wr_xdp_switch);
	} else {
		if (o) {
			skb.gso_size = o->gso_size;
			skb.gso_segs = o->gso_segs;
		}
		t.ctx_in = &skb;
		t.ctx_size_in = sizeof(skb);
		fd = bpf_program__fd(s->progs.wr_tc_switch);
	}
	r->err = bpf_prog_test_run_opts(fd, &t);
	r->retval = t.retval;
	r->out_len = t.data_size_out;
}

/* -------------------------------------------------------------- the table */

enum want { FWD, UP, DROP };
enum out_tag { SAME, TAGGED, UNTAGGED };

struct tcase {
	const char *name;
	uint32_t in;			/* input port, P_LO: the loopback device */
	const uint8_t *dst, *src;
	uint16_t tpid1, tci1, tpid2, tci2;	/* tags as sent (0: none) */
	uint16_t len;			/* 0: a full frame; else cut or padded to this */
	enum want want;
	int reason;			/* UP: enum wr_bpf_up; DROP: enum wr_bpf_drop */
	uint32_t out;			/* FWD: the output port */
	enum out_tag tag;		/* FWD: what the outer tag becomes */
	uint16_t out_tci;		/* TAGGED: its TCI */
	bool xdp_only, tc_only;
	struct run_opts opts;
};

#define Q	ETH_P_8021Q
#define AD	ETH_P_8021AD

static const struct tcase cases[] = {
	{ "known unicast", P_A, mB, mA, .want = FWD, .out = P_B },
	{ "unknown destination", P_A, mNone, mA, .want = UP, .reason = WR_BPF_UP_DST_UNKNOWN },
	{ "broadcast", P_A, bcast, mA, .want = UP, .reason = WR_BPF_UP_FLOOD },
	{ "multicast", P_A, mcast, mA, .want = UP, .reason = WR_BPF_UP_FLOOD },
	{ "unknown source", P_A, mB, mNone, .want = UP, .reason = WR_BPF_UP_SRC_UNKNOWN },
	{ "source known on another port (a move)", P_A, mA2, mB, .want = UP,
	  .reason = WR_BPF_UP_SRC_MOVED },
	{ "destination on the input port", P_A, mA2, mA, .want = DROP,
	  .reason = WR_BPF_DROP_SAME_PORT },
	{ "fast path off on the output port", P_A, mOff, mA, .want = UP,
	  .reason = WR_BPF_UP_OUT_OFF },
	{ "fast path off on the input port", P_OFF, mA, mOff, .want = UP,
	  .reason = WR_BPF_UP_FASTPATH_OFF },
	{ "device that is no port", P_LO, mB, mA, .want = UP, .reason = WR_BPF_UP_NO_PORT },
	{ "multicast source", P_A, mB, mcast, .want = DROP, .reason = WR_BPF_DROP_PARSE_SRC_MCAST },
	/* A test run takes no frame under 14 bytes: XDP gets 14, 10 of them linear. */
	{ "runt (10 bytes)", P_A, mB, mA, .len = 14, .want = DROP, .reason = WR_BPF_DROP_PARSE_RUNT,
	  .xdp_only = true, .opts = { .xdp_linear = 10 } },
	{ "tag cut short (16 bytes)", P_TRUNK, m10acc, m10tr, Q, 10, .len = 16, .want = DROP,
	  .reason = WR_BPF_DROP_PARSE_VLAN },
	{ "inner tag cut short (20 bytes)", P_TRUNK, m10acc, m10tr, AD, 10, Q, 20, .len = 20,
	  .want = DROP, .reason = WR_BPF_DROP_PARSE_VLAN },
	{ "802.1ad outer tag", P_TRUNK, m10acc, m10tr, AD, 10, .want = UP, .reason = WR_BPF_UP_TAGS },
	{ "two 802.1Q tags", P_TRUNK, m10acc, m10tr, Q, 10, Q, 20, .want = UP,
	  .reason = WR_BPF_UP_TAGS },
	{ "access to trunk: tag pushed", P_ACC10, m10tr, m10acc, .want = FWD, .out = P_TRUNK,
	  .tag = TAGGED, .out_tci = 10 },
	{ "trunk to access: tag popped", P_TRUNK, m10acc, m10tr, Q, 10, .want = FWD, .out = P_ACC10,
	  .tag = UNTAGGED },
	{ "trunk to trunk: tag kept", P_TRUNK, m10t2, m10tr, Q, 5 << 13 | 10, .want = FWD,
	  .out = P_T2 },
	{ "trunk native to trunk: tag pushed", P_TRUNK, m30t2, m30tr, .want = FWD, .out = P_T2,
	  .tag = TAGGED, .out_tci = 30 },
	{ "trunk to trunk native: tag popped", P_T2, m30tr, m30t2, Q, 30, .want = FWD,
	  .out = P_TRUNK, .tag = UNTAGGED },
	{ "priority tag to trunk: rewritten, PCP kept", P_ACC10, m10tr, m10acc, Q, 3 << 13,
	  .want = FWD, .out = P_TRUNK, .tag = TAGGED, .out_tci = 3 << 13 | 10 },
	{ "priority tag on trunk: native VLAN, rewritten", P_TRUNK, m30t2, m30tr, Q, 4 << 13,
	  .want = FWD, .out = P_T2, .tag = TAGGED, .out_tci = 4 << 13 | 30 },
	{ "access port, own VLAN tagged: kept to trunk", P_ACC10, m10tr, m10acc, Q, 10,
	  .want = FWD, .out = P_TRUNK },
	{ "access port, other VLAN tagged", P_ACC10, m10tr, m10acc, Q, 20, .want = DROP,
	  .reason = WR_BPF_DROP_VLAN_NOT_ALLOWED },
	{ "trunk, VLAN not allowed", P_TRUNK, m10acc, m10tr, Q, 40, .want = DROP,
	  .reason = WR_BPF_DROP_VLAN_NOT_ALLOWED },
	{ "trunk without native VLAN, untagged", P_T2, m30tr, m30t2, .want = DROP,
	  .reason = WR_BPF_DROP_VLAN_NOT_ALLOWED },
	{ "VLAN without bridge domain", P_TRUNK, m10acc, m10tr, Q, 50, .want = DROP,
	  .reason = WR_BPF_DROP_NO_BD },
	{ "VLAN not allowed on the output port", P_TRUNK, m20t2, m20tr, Q, 20, .want = DROP,
	  .reason = WR_BPF_DROP_VLAN_NOT_ALLOWED },
	{ "longer than the output port takes", P_A, mB, mA, .len = 101, .want = DROP,
	  .reason = WR_BPF_DROP_TOO_BIG },
	{ "GSO frame: its length is the segments'", P_A, mB, mA, .len = 101, .want = FWD,
	  .out = P_B, .tc_only = true, .opts = { .gso_size = 40, .gso_segs = 3 } },
	{ "no learning: unknown source forwarded", P_NOLRN, mB, mNone, .want = FWD, .out = P_B },
};

static uint32_t want_retval(enum entry e, enum want w)
{
	static const uint32_t rv[N_ENTRIES][3] = {
		[E_XDP] = { XDP_REDIRECT, XDP_PASS, XDP_DROP },
		[E_TC] = { TC_ACT_REDIRECT, TC_ACT_OK, TC_ACT_SHOT },
	};

	return rv[e][w];
}

/* The bytes that should come out of the test run for @c through @e. */
static uint16_t want_bytes(const struct tcase *c, enum entry e, const uint8_t *in, uint16_t len,
			   uint8_t *out)
{
	memcpy(out, in, len);
	if (c->want != FWD || c->tag == SAME)
		return len;
	if (c->tag == UNTAGGED) {
		/* The MACs, then what followed the tag. */
		memcpy(out + 12, in + 16, (size_t)len - 16);
		return (uint16_t)(len - 4);
	}
	if (c->tpid1) {
		/* Rewritten in place. */
		out[14] = (uint8_t)(c->out_tci >> 8);
		out[15] = (uint8_t)c->out_tci;
		return len;
	}
	if (e == E_TC)
		return len;	/* pushed into the skb's metadata: see the live test */
	out[12] = ETH_P_8021Q >> 8;
	out[13] = ETH_P_8021Q & 0xff;
	out[14] = (uint8_t)(c->out_tci >> 8);
	out[15] = (uint8_t)c->out_tci;
	memcpy(out + 16, in + 12, (size_t)len - 12);
	return (uint16_t)(len + 4);
}

static int port_ifindex(uint32_t port)
{
	return port == P_LO ? 1 : env.ifindex[port];
}

struct counts {
	struct wr_bpf_stats st;
	struct wr_bpf_port_stats ps[N_PORTS];
};

static void snapshot(struct xdp_switch *s, struct counts *c)
{
	env_stats(s, &c->st);
	for (uint32_t i = 0; i < N_PORTS; i++)
		env_port_stats(s, i, &c->ps[i]);
}

/* Every counter moved as @c through one frame says, and no other. */
static void expect_counts(const struct tcase *c, const char *what, const struct counts *a,
			  const struct counts *b, uint32_t len, uint32_t out_len)
{
	struct counts want = *a;
	uint64_t pkts = c->opts.gso_segs ? c->opts.gso_segs : 1;

	if (c->in != P_LO) {
		want.ps[c->in].rx_pkts += pkts;
		want.ps[c->in].rx_bytes += len;
	}
	switch (c->want) {
	case FWD:
		want.ps[c->in].fwd_pkts += pkts;
		want.ps[c->in].fwd_bytes += len;
		want.ps[c->out].tx_pkts += pkts;
		want.ps[c->out].tx_bytes += out_len;
		break;
	case UP:
		want.st.up[c->reason] += pkts;
		if (c->in != P_LO)
			want.ps[c->in].up_pkts += pkts;
		break;
	case DROP:
		want.st.drops[c->reason] += pkts;
		want.ps[c->in].drop_pkts += pkts;
		break;
	}
	for (unsigned i = 0; i < WR_BPF_DROP_MAX; i++)
		if (want.st.drops[i] != b->st.drops[i])
			fail_msg("%s: drops[%u] %lu, want %lu", what, i,
				 (unsigned long)b->st.drops[i], (unsigned long)want.st.drops[i]);
	for (unsigned i = 0; i < WR_BPF_UP_MAX; i++)
		if (want.st.up[i] != b->st.up[i])
			fail_msg("%s: up[%u] %lu, want %lu", what, i, (unsigned long)b->st.up[i],
				 (unsigned long)want.st.up[i]);
	for (unsigned p = 0; p < N_PORTS; p++) {
		const uint64_t *g = (const uint64_t *)&b->ps[p], *w = (const uint64_t *)&want.ps[p];

		for (unsigned i = 0; i < sizeof(b->ps[p]) / sizeof(uint64_t); i++)
			if (g[i] != w[i])
				fail_msg("%s: port %u counter %u is %lu, want %lu", what, p, i,
					 (unsigned long)g[i], (unsigned long)w[i]);
	}
}

static void expect_out(const char *what, const struct run *r, const uint8_t *want, uint16_t len)
{
	if (r->out_len != len)
		fail_msg("%s: %u bytes out, want %u", what, r->out_len, len);
	for (unsigned i = 0; i < len; i++)
		if (r->out[i] != want[i])
			fail_msg("%s: byte %u is %02x, want %02x", what, i, r->out[i], want[i]);
}

static void run_case(const struct tcase *c, enum entry e)
{
	uint8_t frame[ENV_FRAME_MAX], want[ENV_FRAME_MAX];
	struct counts before, after;
	struct run r;
	char what[160];
	uint16_t len, wlen;

	snprintf(what, sizeof(what), "%s (%s)", c->name, entry_names[e]);
	len = env_frame(frame, c->dst, c->src, c->tpid1, c->tci1, c->tpid2, c->tci2, c->len);
	wlen = want_bytes(c, e, frame, len, want);
	snapshot(env.s, &before);
	run(env.s, e, port_ifindex(c->in), frame, len, &c->opts, &r);
	if (r.err)
		fail_msg("%s: test run: %s", what, strerror(-r.err));
	snapshot(env.s, &after);
	if (r.retval != want_retval(e, c->want))
		fail_msg("%s: verdict %u, want %u", what, r.retval, want_retval(e, c->want));
	/* The runt's bytes past the linear part are the test run's, not the program's. */
	expect_out(what, &r, want, wlen);
	/* On the wire, a TC push's tag too; the runt's is its linear part. */
	expect_counts(c, what, &before, &after, c->opts.xdp_linear ? c->opts.xdp_linear : len,
		      len + (c->tag == TAGGED && !c->tpid1 ? 4u : 0u) - (c->tag == UNTAGGED ? 4u : 0u));
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (enum entry e = 0; e < N_ENTRIES; e++)
			if (!(cases[i].xdp_only && e != E_XDP) && !(cases[i].tc_only && e != E_TC))
				run_case(&cases[i], e);
}

/* ----------------------------------------------------------- last seen */

/* A stale stamp is refreshed by forwarded traffic; a fresh one is left alone. */
static void test_last_seen(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	struct wr_bpf_fdb_val v;
	struct run r;

	(void)state;
	for (enum entry e = 0; e < N_ENTRIES; e++) {
		uint64_t t0 = env_now_ns(), fresh;

		env_fdb(env.s, 1, mA, P_A, 1);
		run(env.s, e, env.ifindex[P_A], frame, len, NULL, &r);
		assert_int_equal(r.err, 0);
		assert_int_equal(r.retval, want_retval(e, FWD));
		assert_true(env_fdb_get(env.s, 1, mA, &v));
		/* The coarse clock trails CLOCK_MONOTONIC by up to a tick. */
		assert_true(v.last_seen_ns + 50000000 >= t0);
		assert_true(v.last_seen_ns <= env_now_ns());
		assert_int_equal(v.port, P_A);

		fresh = env_now_ns() - WR_BPF_STAMP_NS / 2;
		env_fdb(env.s, 1, mA, P_A, fresh);
		run(env.s, e, env.ifindex[P_A], frame, len, NULL, &r);
		assert_int_equal(r.retval, want_retval(e, FWD));
		assert_true(env_fdb_get(env.s, 1, mA, &v));
		assert_true(v.last_seen_ns == fresh);
	}
}

/* ------------------------------------------------------- namespaces */

/*
 * An output port in another namespace: XDP's DEVMAP reaches it, a TC
 * redirect (an ifindex of the input's namespace) cannot; TC hands it up.
 */
static void test_other_netns(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	struct wr_bpf_port b = env_port_none(env.ifindex[P_B], 1);
	struct wr_bpf_stats st0, st1;
	struct run r;

	(void)state;
	b.netns_id = 1;
	env_port(env.s, P_B, b);
	run(env.s, E_XDP, env.ifindex[P_A], frame, len, NULL, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, XDP_REDIRECT);
	env_stats(env.s, &st0);
	run(env.s, E_TC, env.ifindex[P_A], frame, len, NULL, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, TC_ACT_OK);
	env_stats(env.s, &st1);
	assert_int_equal(st1.up[WR_BPF_UP_OTHER_NETNS], st0.up[WR_BPF_UP_OTHER_NETNS] + 1);
}

/*
 * A port a mirror or a capture watches (WR_BPF_PORT_F_WATCH) hands its
 * frames up, and known unicast for it from an unmarked port goes up too,
 * both entry points, as WATCH.
 */
static void marked_up(uint8_t flag, enum wr_bpf_up why)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	struct wr_bpf_port a = env_port_none(env.ifindex[P_A], 1);
	struct wr_bpf_port b = env_port_none(env.ifindex[P_B], 1);
	struct wr_bpf_stats st0, st1;
	struct run r;

	for (int marked = 0; marked < 2; marked++) {
		a.flags |= marked == 0 ? flag : 0;
		b.flags |= marked == 1 ? flag : 0;
		a.flags &= (uint8_t)(marked == 1 ? ~flag : 0xff);
		env_port(env.s, P_A, a);
		env_port(env.s, P_B, b);
		for (enum entry e = E_XDP; e < N_ENTRIES; e++) {
			env_stats(env.s, &st0);
			run(env.s, e, env.ifindex[P_A], frame, len, NULL, &r);
			assert_int_equal(r.err, 0);
			assert_int_equal(r.retval, want_retval(e, UP));
			env_stats(env.s, &st1);
			assert_int_equal(st1.up[why], st0.up[why] + 1);
		}
	}
}

/*
 * A trace armed on a port (WR_BPF_PORT_F_WATCH): known unicast the kernel
 * forwards without it goes up as TRACE, both entry points.
 */
static void test_trace_up(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	struct wr_bpf_port a = env_port_none(env.ifindex[P_A], 1);
	struct wr_bpf_stats st0, st1;
	struct run r;

	(void)state;
	for (int traced = 0; traced < 2; traced++) {
		a.flags = (uint8_t)((a.flags & ~WR_BPF_PORT_F_WATCH) |
				    (traced ? WR_BPF_PORT_F_WATCH : 0));
		env_port(env.s, P_A, a);
		for (enum entry e = E_XDP; e < N_ENTRIES; e++) {
			env_stats(env.s, &st0);
			run(env.s, e, env.ifindex[P_A], frame, len, NULL, &r);
			assert_int_equal(r.err, 0);
			assert_int_equal(r.retval, want_retval(e, traced ? UP : FWD));
			env_stats(env.s, &st1);
			assert_int_equal(st1.up[WR_BPF_UP_WATCH], st0.up[WR_BPF_UP_WATCH] + traced);
		}
	}
}

/* Chain @id's kernel counters at hop 0, forward, summed over the CPUs. */
static struct wr_bpf_chain_stats chain_stats0(uint32_t id)
{
	int n = libbpf_num_possible_cpus();
	struct wr_bpf_chain_stats v[256], sum = { 0 };
	uint32_t key = wr_bpf_chain_stats_key(id, 0, 0);

	assert_true(n > 0 && n <= 256);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(env.s->maps.wr_chain_stats), &key, v), 0);
	for (int c = 0; c < n; c++) {
		sum.matched += v[c].matched;
		sum.into += v[c].into;
		sum.back += v[c].back;
		sum.dropped += v[c].dropped;
	}
	return sum;
}

static void chain_maps(const struct wr_bpf_chain *c, uint32_t port, const struct wr_bpf_chain_port *hp)
{
	uint32_t zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(env.s->maps.wr_chains), &zero, c, BPF_ANY), 0);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(env.s->maps.wr_chain_ports), &port, hp,
					     BPF_ANY), 0);
}

/* One frame into port @in by entry point @e: the action wanted, and port @out's tx_pkts moved. */
static void chain_run(enum entry e, int in, const uint8_t *frame, uint16_t len, enum want w,
		      int out, struct run *r)
{
	struct wr_bpf_port_stats b0, b1;

	env_port_stats(env.s, (uint32_t)out, &b0);
	run(env.s, e, env.ifindex[in], frame, len, NULL, r);
	assert_int_equal(r->err, 0);
	assert_int_equal(r->retval, want_retval(e, w));
	env_port_stats(env.s, (uint32_t)out, &b1);
	assert_int_equal(b1.tx_pkts, b0.tx_pkts + (w == FWD));
}

/*
 * Service chains in the kernel (docs/chains.md, The kernel fast path), both
 * entry points. A port of a domain with chains (WR_BPF_PORT_F_CHAIN) whose
 * chains take nothing bridges as any; known unicast for such a port from an
 * unmarked one goes up. A chain that takes the frame sends it into its hop
 * port, a router's MAC written; a tagged frame goes up. Out of a hop port
 * the frame goes where wr_chain_ports says: to the bridge (the FDB's port)
 * or dropped at a hop that fails closed. Counted in wr_chain_stats.
 */
static void test_chain_kernel(void **state)
{
	static const uint8_t mR[6] = MAC(9, 0x1);
	uint8_t frame[ENV_FRAME_MAX], tagged[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	uint16_t tlen = env_frame(tagged, mB, mA, 0x8100, 5, 0, 0, 0);
	struct wr_bpf_port a = env_port_none(env.ifindex[P_A], 1);
	struct wr_bpf_port b = env_port_none(env.ifindex[P_B], 1);
	struct wr_bpf_port h = env_port_none(env.ifindex[P_NOLRN], 101);
	struct wr_bpf_chain c = { .bd = 1, .id = 3 };
	struct wr_bpf_chain_port hp = { 0 }, none = { 0 };
	struct wr_bpf_chain end = { 0 };
	struct wr_bpf_chain_stats k0, k1;
	struct wr_bpf_stats st0, st1;
	struct run r;

	(void)state;
	b.max_len = 100;
	for (enum entry e = E_XDP; e < N_ENTRIES; e++) {
		/* Marked, no chain: bridged. The other way: up. */
		a.flags |= WR_BPF_PORT_F_CHAIN;
		env_port(env.s, P_A, a);
		chain_maps(&end, P_NOLRN, &none);
		chain_run(e, P_A, frame, len, FWD, P_B, &r);
		a.flags &= (uint8_t)~WR_BPF_PORT_F_CHAIN;
		b.flags |= WR_BPF_PORT_F_CHAIN;
		env_port(env.s, P_A, a);
		env_port(env.s, P_B, b);
		env_stats(env.s, &st0);
		chain_run(e, P_A, frame, len, UP, P_B, &r);
		env_stats(env.s, &st1);
		assert_int_equal(st1.up[WR_BPF_UP_CHAIN], st0.up[WR_BPF_UP_CHAIN] + 1);
		b.flags &= (uint8_t)~WR_BPF_PORT_F_CHAIN;
		env_port(env.s, P_B, b);

		/* A chain taking everything of bd 1 into a router behind P_NOLRN. */
		a.flags |= WR_BPF_PORT_F_CHAIN;
		env_port(env.s, P_A, a);
		h.flags |= WR_BPF_PORT_F_CHAIN;
		env_port(env.s, P_NOLRN, h);
		c.cls.sp_span = c.cls.dp_span = 0xffff;
		c.start[0] = (struct wr_bpf_chain_step){ .port = P_NOLRN, .hop = 0, .l3 = 1 };
		memcpy(c.start[0].mac, mR, 6);
		hp = (struct wr_bpf_chain_port){ .bd = 1, .id = 3, .hop = 0, .dir = 0,
						  .next = { .port = WR_BPF_CHAIN_BRIDGE } };
		chain_maps(&c, P_NOLRN, &hp);
		k0 = chain_stats0(3);
		chain_run(e, P_A, frame, len, FWD, P_NOLRN, &r);
		assert_memory_equal(r.out, mR, 6);
		k1 = chain_stats0(3);
		assert_int_equal(k1.matched, k0.matched + 1);
		assert_int_equal(k1.into, k0.into + 1);
		/* Tagged: warrend pops the tag. */
		chain_run(e, P_A, tagged, tlen, UP, P_NOLRN, &r);
		/* Back by the hop port: to the bridge, by the FDB (mB on P_B), not learned. */
		chain_run(e, P_NOLRN, frame, len, FWD, P_B, &r);
		k0 = chain_stats0(3);
		assert_int_equal(k0.back, k1.back + 1);
		/* The next hop down, failing closed: dropped, counted. */
		hp.next = (struct wr_bpf_chain_step){ .port = WR_BPF_CHAIN_DROP, .hop = 0 };
		chain_maps(&c, P_NOLRN, &hp);
		env_stats(env.s, &st0);
		chain_run(e, P_NOLRN, frame, len, DROP, P_B, &r);
		env_stats(env.s, &st1);
		assert_int_equal(st1.drops[WR_BPF_DROP_CHAIN_HOP_DOWN],
				 st0.drops[WR_BPF_DROP_CHAIN_HOP_DOWN] + 1);
		assert_int_equal(chain_stats0(3).dropped, k0.dropped + 1);
	}
	chain_maps(&end, P_NOLRN, &none);	/* the ports: restore_ports() */
}

static void test_mirror_up(void **state)
{
	(void)state;
	marked_up(WR_BPF_PORT_F_WATCH, WR_BPF_UP_WATCH);
}

/* ----------------------------------------------- an instance per device */

/*
 * A second instance, its input port fixed at load (rodata wr_in_port),
 * sharing the first one's maps: a device wr_ifports does not list (the
 * loopback) is port A to it.
 */
static struct xdp_switch *second;

static int destroy_second(void **state)
{
	(void)state;
	xdp_switch__destroy(second);
	second = NULL;
	return 0;
}

static void test_instance_per_port(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mB, mA, 0, 0, 0, 0, 0);
	struct counts before, after;
	struct bpf_map *m;
	struct run r;

	(void)state;
	second = xdp_switch__open();
	assert_non_null(second);
	bpf_object__for_each_map(m, second->obj) {
		const struct bpf_map *mine = bpf_object__find_map_by_name(env.s->obj,
									   bpf_map__name(m));

		/* .rodata is the instance's own: that is where wr_in_port lives. */
		if (mine && !strstr(bpf_map__name(m), ".rodata"))
			assert_int_equal(bpf_map__reuse_fd(m, bpf_map__fd(mine)), 0);
	}
	second->rodata->wr_in_port = P_A;
	if (xdp_switch__load(second))
		fail_msg("second instance: load: %s", strerror(errno));
	for (enum entry e = 0; e < N_ENTRIES; e++) {
		snapshot(env.s, &before);
		run(second, e, 1, frame, len, NULL, &r);
		snapshot(env.s, &after);
		if (r.err || r.retval != want_retval(e, FWD))
			fail_msg("%s: instance of port A: error %d, verdict %u", entry_names[e],
				 r.err, r.retval);
		assert_int_equal(after.ps[P_A].fwd_pkts, before.ps[P_A].fwd_pkts + 1);
		assert_int_equal(after.ps[P_B].tx_pkts, before.ps[P_B].tx_pkts + 1);
	}
}

/* ------------------------------------------------------ up to AF_XDP */

static struct env_xsk xsk;

static int close_xsk(void **state)
{
	uint32_t key = wr_bpf_xsk_key(P_A, 0);

	(void)state;
	bpf_map__delete_elem(env.s->maps.wr_xsks, &key, sizeof(key), 0);
	key = wr_bpf_xsk_key(P_B, 0);
	bpf_map__delete_elem(env.s->maps.wr_xsks, &key, sizeof(key), 0);
	env_xsk_close(&xsk);
	return 0;
}

/*
 * A frame for userspace goes to the AF_XDP socket of its own port and
 * queue (wr_bpf_xsk_key), not to another port's; without one, to the stack.
 */
static void test_up_to_xsk(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, bcast, mA, 0, 0, 0, 0, 0);
	uint32_t key;
	struct run r;
	int fd;

	(void)state;
	fd = env_xsk_open(&xsk, dev_names[P_A]);

	key = wr_bpf_xsk_key(P_B, 0);
	assert_int_equal(bpf_map__update_elem(env.s->maps.wr_xsks, &key, sizeof(key), &fd,
					      sizeof(fd), BPF_ANY), 0);
	run(env.s, E_XDP, env.ifindex[P_A], frame, len, NULL, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, XDP_PASS);	/* port B's socket is not port A's */

	key = wr_bpf_xsk_key(P_A, 0);
	assert_int_equal(bpf_map__update_elem(env.s->maps.wr_xsks, &key, sizeof(key), &fd,
					      sizeof(fd), BPF_ANY), 0);
	run(env.s, E_XDP, env.ifindex[P_A], frame, len, NULL, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, XDP_REDIRECT);
}

/* --------------------------------------- the same VLAN rules as vlan.c */

/* The dataplane's port configuration as the fast path's (what warrend will do). */
static struct wr_bpf_port to_bpf(const struct wr_port_conf *c, int ifindex)
{
	struct wr_bpf_port p = {
		.ifindex = (uint32_t)ifindex,
		.bd = c->bd,
		.access_vlan = c->access_vlan,
		.native_vlan = c->native_vlan,
		.vlan_mode = (uint8_t)c->vlan_mode,
		.flags = WR_BPF_PORT_F_FASTPATH | (c->learning ? WR_BPF_PORT_F_LEARNING : 0),
	};

	memcpy(p.allowed, c->allowed, sizeof(p.allowed));
	return p;
}

static struct wr_port_conf conf_of(enum wr_vlan_mode mode, uint16_t vlan, uint16_t native,
				   const uint16_t *vlans, int n)
{
	struct wr_port_conf c;

	wr_port_conf_init(&c);
	c.vlan_mode = mode;
	c.access_vlan = vlan;
	c.native_vlan = native;
	for (int i = 0; i < n; i++)
		c.allowed[vlans[i] / 64] |= 1ULL << (vlans[i] % 64);
	return c;
}

/*
 * The userspace switch's answer for @frame from a port @in to one @out (both
 * MACs known there): -1 and the bytes it sends in @out_bytes, or the drop
 * reason. As stage_bridge.c: parse, classify, bridge domain, egress edit.
 */
static int userspace(const struct wr_port_conf *in, const struct wr_port_conf *out,
		     const uint16_t *vlan_bd, const uint8_t *frame, uint16_t len,
		     uint8_t *out_bytes, uint16_t *out_len)
{
	uint64_t drops[WR_DROP_COUNT] = { 0 }, events[WR_EVENT_COUNT] = { 0 };
	uint8_t buf[WR_HEADROOM + ENV_FRAME_MAX];
	struct wr_pkt p = { .data = buf + WR_HEADROOM, .len = len }, *vec[1] = { &p }, *gone[1];
	struct wr_stage_ctx ctx = { drops, events, gone, 0 };
	enum wr_drop why = WR_DROP_NO_BD;
	uint16_t vlan = 0, bd;

	memcpy(p.data, frame, len);
	if (wr_stage_parse(&ctx, vec, 1) == 0)
		return p.drop;
	if (in->vlan_mode == WR_VLAN_NONE) {
		bd = in->bd;
	} else {
		vlan = wr_vlan_classify(in, &p, &why);
		bd = vlan ? vlan_bd[vlan] : 0;
	}
	if (bd == 0)
		return why;
	p.vlan = vlan;
	if (out->vlan_mode != WR_VLAN_NONE &&
	    wr_vlan_egress(out, vlan, &p, (uint16_t)(p.data - buf), &why))
		return why;
	memcpy(out_bytes, p.data, p.len);
	*out_len = p.len;
	return -1;
}

/*
 * Every pair of port modes, every kind of tag: the fast path forwards the
 * same bytes or drops for the same reason as the userspace switch; it
 * hands up only 802.1ad and double-tagged frames, which userspace handles.
 */
static void test_vlan_as_userspace(void **state)
{
	static const uint16_t t1[] = { 10, 20, 30 }, t2[] = { 10, 30, 4095 };
	const struct wr_port_conf confs[] = {
		conf_of(WR_VLAN_NONE, 0, 0, NULL, 0),
		conf_of(WR_VLAN_ACCESS, 10, 0, NULL, 0),
		conf_of(WR_VLAN_ACCESS, 20, 0, NULL, 0),
		conf_of(WR_VLAN_TRUNK, 0, 30, t1, 3),
		conf_of(WR_VLAN_TRUNK, 0, 0, t2, 3),
	};
	/* Outer TPID and TCI, inner TPID and TCI (0: no tag). */
	static const uint16_t tags[][4] = {
		{ 0 }, { Q, 0 }, { Q, 5 << 13 }, { Q, 10 }, { Q, 3 << 13 | 20 }, { Q, 30 },
		{ Q, 40 }, { Q, 4095 }, { AD, 10 }, { Q, 10, Q, 20 }, { AD, 20, Q, 30 },
	};
	const size_t n_confs = sizeof(confs) / sizeof(confs[0]);
	uint16_t vlan_bd[WR_VLAN_MAX] = { [10] = 10, [20] = 20, [30] = 30 };
	static const uint8_t src[6] = MAC(0x77, 1), dst[6] = MAC(0x77, 2);
	static const uint16_t bds[] = { 1, 10, 20, 30 };
	struct xdp_switch *s = env.s;
	(void)state;
	for (size_t b = 0; b < 4; b++) {
		env_fdb(s, bds[b], src, P_A, env_now_ns());
		env_fdb(s, bds[b], dst, P_B, env_now_ns());
	}
	for (size_t i = 0; i < n_confs; i++) {
		for (size_t o = 0; o < n_confs; o++) {
			env_port(s, P_A, to_bpf(&confs[i], env.ifindex[P_A]));
			env_port(s, P_B, to_bpf(&confs[o], env.ifindex[P_B]));
			for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
				uint8_t frame[ENV_FRAME_MAX], want[ENV_FRAME_MAX];
				uint16_t len, wlen = 0;
				struct run r;
				int us;

				len = env_frame(frame, dst, src, tags[t][0], tags[t][1], tags[t][2],
						tags[t][3], 0);
				us = userspace(&confs[i], &confs[o], vlan_bd, frame, len, want,
					       &wlen);
				run(s, E_XDP, env.ifindex[P_A], frame, len, NULL, &r);
				assert_int_equal(r.err, 0);
				if (tags[t][0] == AD || tags[t][2]) {
					if (r.retval != XDP_PASS)
						fail_msg("ports %zu->%zu tag %zu: verdict %u, want up",
							 i, o, t, r.retval);
				} else if (us < 0) {
					if (r.retval != XDP_REDIRECT)
						fail_msg("ports %zu->%zu tag %zu: verdict %u, userspace forwards",
							 i, o, t, r.retval);
					expect_out("as userspace", &r, want, wlen);
				} else if (r.retval != XDP_DROP) {
					fail_msg("ports %zu->%zu tag %zu: verdict %u, userspace drops (%s)",
						 i, o, t, r.retval, wr_drop_name((enum wr_drop)us));
				}
			}
		}
	}
}

/* The table's ports again, whatever the test left. */
static int restore_ports(void **state)
{
	(void)state;
	fill_ports(env.s, env.ifindex);
	return 0;
}

/* The drop counters' numbering is wr_drop.def's: one ABI. */
static void test_drop_numbering(void **state)
{
	(void)state;
	assert_int_equal(WR_BPF_DROP_COUNT, WR_DROP_COUNT);
	assert_int_equal(WR_BPF_DROP_PARSE_RUNT, WR_DROP_PARSE_RUNT);
	assert_int_equal(WR_BPF_DROP_TOO_BIG, WR_DROP_TOO_BIG);
	assert_int_equal(WR_BPF_VLAN_TRUNK, WR_VLAN_TRUNK);
	assert_int_equal(WR_BPF_VLAN_ACCESS, WR_VLAN_ACCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_numbering),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_last_seen),
		cmocka_unit_test_teardown(test_other_netns, restore_ports),
		cmocka_unit_test_teardown(test_chain_kernel, restore_ports),
		cmocka_unit_test_teardown(test_trace_up, restore_ports),
		cmocka_unit_test_teardown(test_mirror_up, restore_ports),
		cmocka_unit_test_teardown(test_instance_per_port, destroy_second),
		cmocka_unit_test_teardown(test_up_to_xsk, close_xsk),
		cmocka_unit_test_teardown(test_vlan_as_userspace, restore_ports),
	};

	if (env_enter())
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
