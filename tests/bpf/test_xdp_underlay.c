/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_xdp_underlay.c - a tunnel's underlay port in the XDP program
 * (WR_BPF_PORT_F_UNDERLAY): one table of crafted frames through
 * BPF_PROG_TEST_RUN. UDP to the tunnel's local address and port goes up
 * to the port's AF_XDP socket (XDP_REDIRECT, up reason tunnel, up_pkts);
 * everything else goes to the device's stack (XDP_PASS, kernel_pkts),
 * unchanged, whatever the switch would have done with it.
 *
 * Needs root (BPF, devices). Topology, in a namespace of the process's own:
 *
 *   port 0 UL4  underlay 10.0.0.1, UDP 4789 (VXLAN); also fast path and
 *               learning on, its hosts known: without the underlay rule
 *               the switch would forward their frames to port 2   u0 ─┐
 *   port 1 UL6  underlay fd00::1, UDP 6081 (Geneve), as warrend sets
 *               it (fast path off)                                 u1 ─┘ veth
 *   port 2 B    none, bd 1                                         u2 ─┐
 *   port 3 C    none, bd 1                                         u3 ─┘
 *
 * An AF_XDP socket (on u0, queue 0) sits in wr_xsks for ports 0 and 1:
 * a test run only looks the key up, so a hand-up reads XDP_REDIRECT and a
 * frame left to the stack XDP_PASS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <cmocka.h>

#include "bpf_env.h"

enum { P_UL4, P_UL6, P_B, P_C, N_PORTS };

static const char *const dev_names[N_PORTS] = { "u0", "u1", "u2", "u3" };

static const uint8_t mHost[6] = { 0x02, 0, 0, 0, 1, 0x0a }, mPeer[6] = { 0x02, 0, 0, 0, 1, 0x0b },
	bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/*
 * 10.0.18.181: its last two bytes read as 4789, so that an IPv4 header
 * with IHL 4 would put "UDP port 4789" where the address is.
 */
static const uint8_t ip4_local[4] = { 10, 0, 0x12, 0xb5 }, ip4_other[4] = { 10, 0, 0, 2 },
	ip4_peer[4] = { 10, 0, 0, 9 };
static const uint8_t ip6_local[16] = { 0xfd, [15] = 1 }, ip6_other[16] = { 0xfd, [15] = 2 },
	ip6_peer[16] = { 0xfd, [15] = 9 },
	ip6_snm[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };	/* solicited-node */

#define VXLAN_PORT	4789
#define GENEVE_PORT	6081

static struct {
	struct xdp_switch *s;
	int ifindex[N_PORTS];
	struct env_xsk xsk;
} env;

/* ---------------------------------------------------------------- setup */

static struct wr_bpf_port underlay_port(int ifindex, const uint8_t *ip, bool ipv6, uint16_t dport)
{
	struct wr_bpf_port p = env_port_none(ifindex, 1);

	p.flags = WR_BPF_PORT_F_UNDERLAY;
	p.ul_ipv6 = ipv6;
	p.ul_dport = htons(dport);
	memcpy(p.ul_ip, ip, ipv6 ? 16 : 4);
	return p;
}

static void xsk_open(void)
{
	int fd = env_xsk_open(&env.xsk, dev_names[P_UL4]);

	for (uint32_t port = P_UL4; port <= P_UL6; port++) {
		uint32_t key = wr_bpf_xsk_key(port, 0);

		assert_int_equal(bpf_map__update_elem(env.s->maps.wr_xsks, &key, sizeof(key), &fd,
						      sizeof(fd), BPF_ANY), 0);
	}
}

static int teardown(void **state)
{
	(void)state;
	env_xsk_close(&env.xsk);
	xdp_switch__destroy(env.s);
	for (int i = 0; i < N_PORTS; i += 2)
		env_del(dev_names[i]);
	memset(&env, 0, sizeof(env));
	return 0;
}

/* cmocka skips the teardown when the setup fails: undo here. */
static int setup(void **state)
{
	struct wr_bpf_port p;

	env.s = env_veths_load(dev_names, N_PORTS, env.ifindex);
	if (!env.s)
		goto fail;
	p = underlay_port(env.ifindex[P_UL4], ip4_local, false, VXLAN_PORT);
	p.flags |= WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING;
	env_port(env.s, P_UL4, p);
	env_port(env.s, P_UL6, underlay_port(env.ifindex[P_UL6], ip6_local, true, GENEVE_PORT));
	env_port(env.s, P_B, env_port_none(env.ifindex[P_B], 1));
	env_port(env.s, P_C, env_port_none(env.ifindex[P_C], 1));
	env_fdb(env.s, 1, mHost, P_UL4, env_now_ns());
	env_fdb(env.s, 1, mPeer, P_B, env_now_ns());
	xsk_open();
	return 0;
fail:
	teardown(state);
	return -1;
}

/* --------------------------------------------------------------- frames */

enum l3 { ARP, V4, V6 };
/* ALIAS: the other family's local address in this one's bytes (IPv4: IPv6's first 4). */
enum dst { LOCAL, OTHER, SNM, ALIAS };
enum want { UP, KERNEL };

#define Q	ETH_P_8021Q
#define AD	ETH_P_8021AD
#define UDP	17
#define TCP	6
#define ICMP	1
#define ICMP6	58
#define HOPOPT	0	/* IPv6 hop-by-hop options: an extension header */

struct ucase {
	const char *name;
	uint32_t in;		/* P_UL4 or P_UL6 */
	enum l3 l3;
	uint16_t tpid;		/* one tag (0: none), TCI 100 */
	enum dst dst;
	uint16_t dport;		/* UDP destination port */
	uint8_t proto;		/* IPv4 protocol, IPv6 next header; 0 = UDP, but HOPOPT for V6 */
	bool hopopt;		/* V6: a hop-by-hop header, then UDP */
	uint8_t ihl;		/* V4: 0 = 5 */
	uint8_t version;	/* 0: right for l3 */
	uint16_t frag;		/* V4: frag_off, host order */
	uint16_t cut;		/* 0: the whole frame; else cut to this many bytes */
	uint16_t linear;	/* XDP's linear part, when shorter than the frame */
	const uint8_t *src_mac;	/* NULL: mHost */
	enum want want;
};

static const struct ucase cases[] = {
	{ "VXLAN to the local address", P_UL4, V4, .dport = VXLAN_PORT, .want = UP },
	{ "VXLAN, one 802.1Q tag", P_UL4, V4, Q, .dport = VXLAN_PORT, .want = UP },
	{ "VXLAN, IPv4 options (IHL 7)", P_UL4, V4, .dport = VXLAN_PORT, .ihl = 7, .want = UP },
	{ "VXLAN, first fragment (the decap's to count)", P_UL4, V4, .dport = VXLAN_PORT,
	  .frag = 0x2000, .want = UP },
	{ "VXLAN, source the switch would drop", P_UL4, V4, .dport = VXLAN_PORT, .src_mac = bcast,
	  .want = UP },
	{ "ARP", P_UL4, ARP, .want = KERNEL },
	{ "ARP, one 802.1Q tag", P_UL4, ARP, Q, .want = KERNEL },
	{ "UDP to another port", P_UL4, V4, .dport = 53, .want = KERNEL },
	{ "UDP to Geneve's port (not this tunnel's)", P_UL4, V4, .dport = GENEVE_PORT,
	  .want = KERNEL },
	{ "UDP 4789 to another address", P_UL4, V4, .dst = OTHER, .dport = VXLAN_PORT, .want = KERNEL },
	{ "TCP to port 4789", P_UL4, V4, .dport = VXLAN_PORT, .proto = TCP, .want = KERNEL },
	{ "ICMP", P_UL4, V4, .dport = VXLAN_PORT, .proto = ICMP, .want = KERNEL },
	{ "non-first fragment reading as UDP 4789", P_UL4, V4, .dport = VXLAN_PORT, .frag = 185,
	  .want = KERNEL },
	{ "last fragment reading as UDP 4789", P_UL4, V4, .dport = VXLAN_PORT, .frag = 1,
	  .want = KERNEL },
	{ "IHL 4", P_UL4, V4, .dport = VXLAN_PORT, .ihl = 4, .want = KERNEL },
	{ "version 6 in an IPv4 ethertype", P_UL4, V4, .dport = VXLAN_PORT, .version = 6,
	  .want = KERNEL },
	{ "802.1ad tag", P_UL4, V4, AD, .dport = VXLAN_PORT, .want = KERNEL },
	{ "IPv6 on the IPv4 underlay, to its address's bytes", P_UL4, V6, .dst = ALIAS,
	  .dport = VXLAN_PORT, .want = KERNEL },
	/* A test run takes no frame under 14 bytes: XDP gets 14, 10 of them linear. */
	{ "runt (10 bytes)", P_UL4, V4, .dport = VXLAN_PORT, .cut = 14, .linear = 10,
	  .want = KERNEL },
	{ "802.1Q tag cut", P_UL4, V4, Q, .dport = VXLAN_PORT, .cut = 16, .want = KERNEL },
	{ "IPv4 header cut", P_UL4, V4, .dport = VXLAN_PORT, .cut = 14 + 19, .want = KERNEL },
	{ "IPv4 options cut", P_UL4, V4, .dport = VXLAN_PORT, .ihl = 7, .cut = 14 + 27,
	  .want = KERNEL },
	{ "UDP header cut", P_UL4, V4, .dport = VXLAN_PORT, .cut = 14 + 20 + 7, .want = KERNEL },
	{ "UDP header whole, nothing after", P_UL4, V4, .dport = VXLAN_PORT, .cut = 14 + 20 + 8,
	  .want = UP },
	{ "Geneve over IPv6 to the local address", P_UL6, V6, .dport = GENEVE_PORT, .want = UP },
	{ "Geneve over IPv6, one 802.1Q tag", P_UL6, V6, Q, .dport = GENEVE_PORT, .want = UP },
	{ "IPv6 to another address", P_UL6, V6, .dst = OTHER, .dport = GENEVE_PORT, .want = KERNEL },
	{ "IPv6 UDP to another port", P_UL6, V6, .dport = VXLAN_PORT, .want = KERNEL },
	{ "version 4 in an IPv6 ethertype", P_UL6, V6, .dport = GENEVE_PORT, .version = 4,
	  .want = KERNEL },
	{ "IPv6 hop-by-hop header before UDP", P_UL6, V6, .dport = GENEVE_PORT, .hopopt = true,
	  .want = KERNEL },
	{ "ND neighbour solicitation", P_UL6, V6, .dst = SNM, .proto = ICMP6, .want = KERNEL },
	{ "ICMPv6 to the local address", P_UL6, V6, .dport = GENEVE_PORT, .proto = ICMP6,
	  .want = KERNEL },
	{ "IPv6 TCP to port 6081", P_UL6, V6, .dport = GENEVE_PORT, .proto = TCP, .want = KERNEL },
	{ "IPv4 on the IPv6 underlay, to its address's bytes", P_UL6, V4, .dst = ALIAS,
	  .dport = GENEVE_PORT, .want = KERNEL },
	{ "ARP on the IPv6 underlay", P_UL6, ARP, .want = KERNEL },
	{ "IPv6 header cut", P_UL6, V6, .dport = GENEVE_PORT, .cut = 14 + 39, .want = KERNEL },
	{ "IPv6 UDP header cut", P_UL6, V6, .dport = GENEVE_PORT, .cut = 14 + 40 + 7,
	  .want = KERNEL },
};

static uint16_t put16(uint8_t *b, uint16_t n, uint16_t v)
{
	b[n] = (uint8_t)(v >> 8);
	b[n + 1] = (uint8_t)v;
	return (uint16_t)(n + 2);
}

static uint16_t put(uint8_t *b, uint16_t n, const void *v, size_t len)
{
	memcpy(b + n, v, len);
	return (uint16_t)(n + len);
}

/* UDP to @c->dport, a VXLAN header (VNI 42) and an inner Ethernet header. */
static uint16_t put_udp(const struct ucase *c, uint8_t *b, uint16_t n)
{
	static const uint8_t vxlan[8] = { 0x08, 0, 0, 0, 0, 0, 42, 0 };

	n = put16(b, n, 49152);
	n = put16(b, n, c->dport);
	n = put16(b, n, 8 + 8 + 14);
	n = put16(b, n, 0);
	n = put(b, n, vxlan, sizeof(vxlan));
	n = put(b, n, mPeer, 6);
	n = put(b, n, mHost, 6);
	return put16(b, n, ENV_ETHERTYPE);
}

static uint16_t put_v4(const struct ucase *c, uint8_t *b, uint16_t n)
{
	uint8_t ihl = c->ihl ? c->ihl : 5, version = c->version ? c->version : 4;
	uint16_t start = n;

	b[n++] = (uint8_t)(version << 4 | ihl);
	b[n++] = 0;
	n = put16(b, n, 0);			/* total length: written below */
	n = put16(b, n, 0x1234);
	n = put16(b, n, c->frag);
	b[n++] = 64;
	b[n++] = c->proto ? c->proto : UDP;
	n = put16(b, n, 0);			/* checksum: the program does not look */
	n = put(b, n, ip4_peer, 4);
	n = put(b, n, c->dst == LOCAL ? ip4_local : c->dst == ALIAS ? ip6_local : ip4_other, 4);
	for (int i = 5; i < ihl; i++)
		n = put(b, n, "\x01\x01\x01\x01", 4);	/* NOP options */
	n = put_udp(c, b, n);
	put16(b, (uint16_t)(start + 2), (uint16_t)(n - start));
	return n;
}

static uint16_t put_v6(const struct ucase *c, uint8_t *b, uint16_t n)
{
	static const uint8_t hop[8] = { UDP, 0, 1, 4, 0, 0, 0, 0 };	/* PadN */
	uint8_t alias[16] = { 0 };
	const uint8_t *dst = c->dst == LOCAL ? ip6_local : c->dst == OTHER ? ip6_other :
			     c->dst == ALIAS ? alias : ip6_snm;
	uint16_t start = n;

	memcpy(alias, ip4_local, 4);
	b[n++] = (uint8_t)((c->version ? c->version : 6) << 4);
	b[n++] = 0;
	n = put16(b, n, 0);
	n = put16(b, n, 0);			/* payload length: written below */
	b[n++] = c->hopopt ? HOPOPT : c->proto ? c->proto : UDP;
	b[n++] = 64;
	n = put(b, n, ip6_peer, 16);
	n = put(b, n, dst, 16);
	if (c->hopopt)
		n = put(b, n, hop, sizeof(hop));
	n = put_udp(c, b, n);
	put16(b, (uint16_t)(start + 4), (uint16_t)(n - start - 40));
	return n;
}

/* A who-has for the local address. */
static uint16_t put_arp(uint8_t *b, uint16_t n)
{
	static const uint8_t zero[6];

	n = put16(b, n, 1);
	n = put16(b, n, ETH_P_IP);
	b[n++] = 6;
	b[n++] = 4;
	n = put16(b, n, 1);
	n = put(b, n, mPeer, 6);
	n = put(b, n, ip4_peer, 4);
	n = put(b, n, zero, 6);
	return put(b, n, ip4_local, 4);
}

/* @c's frame into @b (ENV_FRAME_MAX): its length. */
static uint16_t make_frame(const struct ucase *c, uint8_t *b)
{
	uint16_t n = 0;

	memset(b, 0, ENV_FRAME_MAX);
	/* To the underlay device's MAC, which the switch knows on port B. */
	n = put(b, n, mPeer, 6);
	n = put(b, n, c->src_mac ? c->src_mac : mHost, 6);
	if (c->tpid) {
		n = put16(b, n, c->tpid);
		n = put16(b, n, 100);
	}
	switch (c->l3) {
	case ARP:
		n = put16(b, n, ETH_P_ARP);
		n = put_arp(b, n);
		break;
	case V4:
		n = put16(b, n, ETH_P_IP);
		n = put_v4(c, b, n);
		break;
	case V6:
		n = put16(b, n, ETH_P_IPV6);
		n = put_v6(c, b, n);
		break;
	}
	if (n < ENV_FRAME_LEN)
		n = ENV_FRAME_LEN;		/* zero padding */
	assert_true(n <= ENV_FRAME_MAX);
	return c->cut ? c->cut : n;
}

/* ------------------------------------------------------------ test runs */

struct counts {
	struct wr_bpf_stats st;
	struct wr_bpf_port_stats ps[N_PORTS];
};

static void snapshot(struct counts *c)
{
	env_stats(env.s, &c->st);
	for (uint32_t i = 0; i < N_PORTS; i++)
		env_port_stats(env.s, i, &c->ps[i]);
}

/* Every counter moved as @c through one frame of @len bytes says, and no other. */
static void expect_counts(const struct ucase *c, const struct counts *a, const struct counts *b,
			  uint32_t len)
{
	struct counts want = *a;

	want.ps[c->in].rx_pkts++;
	want.ps[c->in].rx_bytes += len;
	if (c->want == UP) {
		want.ps[c->in].up_pkts++;
		want.st.up[WR_BPF_UP_TUNNEL]++;
	} else {
		want.ps[c->in].kernel_pkts++;
	}
	for (unsigned i = 0; i < sizeof(want.st) / sizeof(uint64_t); i++)
		if (((const uint64_t *)&want.st)[i] != ((const uint64_t *)&b->st)[i])
			fail_msg("%s: wr_stats word %u is %lu, want %lu", c->name, i,
				 (unsigned long)((const uint64_t *)&b->st)[i],
				 (unsigned long)((const uint64_t *)&want.st)[i]);
	for (unsigned p = 0; p < N_PORTS; p++) {
		const uint64_t *g = (const uint64_t *)&b->ps[p], *w = (const uint64_t *)&want.ps[p];

		for (unsigned i = 0; i < sizeof(b->ps[p]) / sizeof(uint64_t); i++)
			if (g[i] != w[i])
				fail_msg("%s: port %u counter %u is %lu, want %lu", c->name, p, i,
					 (unsigned long)g[i], (unsigned long)w[i]);
	}
}

static void run_case(const struct ucase *c)
{
	uint8_t frame[ENV_FRAME_MAX], out[ENV_FRAME_MAX + 64];
	uint16_t len = make_frame(c, frame);
	struct xdp_md xmd = { .ingress_ifindex = (uint32_t)env.ifindex[c->in],
			      .data_end = c->linear ? c->linear : len };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .ctx_in = &xmd, .ctx_size_in = sizeof(xmd));
	struct counts before, after;
	uint32_t want = c->want == UP ? XDP_REDIRECT : XDP_PASS;
	int err;

	snapshot(&before);
	err = bpf_prog_test_run_opts(bpf_program__fd(env.s->progs.wr_xdp_switch), &t);
	if (err)
		fail_msg("%s: test run: %s", c->name, strerror(-err));
	snapshot(&after);
	if (t.retval != want)
		fail_msg("%s: verdict %u, want %u (%s)", c->name, t.retval, want,
			 c->want == UP ? "up to the AF_XDP socket" : "the stack's");
	/* Untouched, either way. */
	if (t.data_size_out != len || memcmp(out, frame, len))
		fail_msg("%s: %u bytes out, changed, or not %u", c->name, t.data_size_out, len);
	expect_counts(c, &before, &after, c->linear ? c->linear : len);
}

static void test_underlay_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/*
 * The table's frames are ones the switch would forward (both MACs known,
 * port UL4 in the fast path): without the underlay flag, the same port
 * forwards what the underlay leaves to the stack. So the table's
 * KERNEL verdicts are the underlay rule's, not the switch's.
 */
static void test_without_underlay_forwarded(void **state)
{
	static const struct ucase arp = { "ARP", P_UL4, ARP, .want = KERNEL };
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = make_frame(&arp, frame);
	struct xdp_md xmd = { .ingress_ifindex = (uint32_t)env.ifindex[P_UL4], .data_end = len };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len,
		    .ctx_in = &xmd, .ctx_size_in = sizeof(xmd));
	struct wr_bpf_port p = underlay_port(env.ifindex[P_UL4], ip4_local, false, VXLAN_PORT);

	(void)state;
	p.flags = WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING;
	env_port(env.s, P_UL4, p);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(env.s->progs.wr_xdp_switch), &t), 0);
	assert_int_equal(t.retval, XDP_REDIRECT);
	p.flags |= WR_BPF_PORT_F_UNDERLAY;
	env_port(env.s, P_UL4, p);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(env.s->progs.wr_xdp_switch), &t), 0);
	assert_int_equal(t.retval, XDP_PASS);
}

/* A frame for the underlay port from a switch port: not in the fast path, handed up. */
static void test_not_an_output(void **state)
{
	uint8_t frame[ENV_FRAME_MAX];
	uint16_t len = env_frame(frame, mHost, mPeer, 0, 0, 0, 0, 0);
	struct xdp_md xmd = { .ingress_ifindex = (uint32_t)env.ifindex[P_B], .data_end = len };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len,
		    .ctx_in = &xmd, .ctx_size_in = sizeof(xmd));
	struct wr_bpf_stats st0, st1;

	(void)state;
	env_fdb(env.s, 1, mHost, P_UL6, env_now_ns());
	env_stats(env.s, &st0);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(env.s->progs.wr_xdp_switch), &t), 0);
	env_stats(env.s, &st1);
	assert_int_equal(t.retval, XDP_PASS);	/* no socket of port B's: the stack */
	assert_int_equal(st1.up[WR_BPF_UP_OUT_OFF], st0.up[WR_BPF_UP_OUT_OFF] + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_underlay_table),
		cmocka_unit_test(test_without_underlay_forwarded),
		cmocka_unit_test(test_not_an_output),
	};

	if (env_enter())
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
