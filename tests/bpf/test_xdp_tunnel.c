/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_xdp_tunnel.c - the kernel fast path's tunnels (XDP, and TC's encap), through
 * BPF_PROG_TEST_RUN: known unicast to a VTEP leaves encapsulated, byte for
 * byte what dataplane/overlay.c's wr_tun_encap() makes of the same frame
 * (the UDP source port and IPv6 flow label come from the program's own
 * flow hash: the reference is given the hash that maps to the port the
 * program chose, and the flow label is taken from the program's output,
 * outside every checksum); what wr_tun_encap() makes is decapsulated back
 * to the inner frame, byte for byte; everything the kernel leaves to
 * warrend goes up, each with its reason and counters. TC's encap: the
 * same bytes but a zero UDP checksum over IPv4, and its own reasons up;
 * TC's decap (an underlay in TC): XDP's cases, and TC's own reasons up.
 *
 * Needs root (BPF, devices). Topology, in a namespace of the process's own:
 *
 *   port 0 T     none, bd 10 (tenant)                          t0 ─┐
 *   port 1 U     a tunnel's underlay (address, port, type per   t1 ─┘ veth
 *                case), its device in wr_devmap
 *   port 2 T2    none, bd 20 (tenant, another domain)          t2 ─┐
 *   port 3 OFF   none, bd 10, fast path off                    t3 ─┘
 *   port 4 V     remote VTEP 192.0.2.2 / fd00::2 of U's tunnel (no device)
 *   port 5 V2    remote VTEP 192.0.2.3 / fd00::3 (split horizon)
 *   VNI 5010 = bd 10, VNI 5020 = bd 20.
 *
 * No AF_XDP socket: "up" reads XDP_PASS; no TAP: TC's reads TC_ACT_OK.
 */
#include <arpa/inet.h>
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
#include "overlay_priv.h"
#include "warrend.h"

enum { P_T, P_U, P_T2, P_OFF, N_DEVS, P_V = N_DEVS, P_V2, N_PORTS };

static const char *const dev_names[N_DEVS] = { "t0", "t1", "t2", "t3" };

static const uint8_t mT[6] = { 2, 0, 0, 0, 10, 1 }, mT2[6] = { 2, 0, 0, 0, 20, 1 },
	mOff[6] = { 2, 0, 0, 0, 10, 3 }, mR[6] = { 2, 0, 0, 0, 10, 2 },	/* behind V */
	mR2[6] = { 2, 0, 0, 0, 10, 4 },						/* behind V2 */
	mNew[6] = { 2, 0, 0, 0, 10, 9 }, bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	mUl[6] = { 2, 0xee, 0, 0, 0, 1 }, mNh[6] = { 2, 0xee, 0, 0, 0, 2 };

#define MTU		1500
#define VNI10		5010
#define VNI20		5020

/* One tunnel as a case sets it up: its type, family, UDP checksum, Geneve options. */
struct tun {
	const char *name;
	enum wr_tunnel_type type;
	bool ipv6;
	bool udp_csum;
	uint8_t n_opts;		/* Geneve: 4-byte options sent */
};

static const struct tun tunnels[] = {
	{ "VXLAN over IPv4", WR_TUNNEL_VXLAN, false, true, 0 },
	{ "VXLAN over IPv4, no UDP checksum", WR_TUNNEL_VXLAN, false, false, 0 },
	{ "VXLAN over IPv6", WR_TUNNEL_VXLAN, true, true, 0 },
	{ "Geneve over IPv4", WR_TUNNEL_GENEVE, false, true, 0 },
	{ "Geneve over IPv6", WR_TUNNEL_GENEVE, true, true, 0 },
	{ "Geneve over IPv6, 5 options (44 bytes)", WR_TUNNEL_GENEVE, true, true, 5 },
	{ "Geneve over IPv4, 1 option", WR_TUNNEL_GENEVE, false, false, 1 },
};

/* Frames into U go through TC, not XDP (test_tc_decap). */
static bool use_tc;

static struct {
	struct xdp_switch *s;
	int ifindex[N_DEVS];
	const struct tun *t;
	struct wr_tun_hdr h[2];		/* to V in bd 10, 20 */
	struct wr_tun_rx_conf rx;	/* V's, as warrend's decap takes frames */
} env;

static void local_ip(bool ipv6, uint8_t last, uint8_t ip[16])
{
	memset(ip, 0, 16);
	if (ipv6) {
		ip[0] = 0xfd, ip[15] = last;
	} else {
		ip[0] = 192, ip[2] = 2, ip[3] = last;
	}
}

static void put_map(struct bpf_map *m, const void *k, size_t klen, const void *v, size_t vlen)
{
	assert_int_equal(bpf_map__update_elem(m, k, klen, v, vlen, BPF_ANY), 0);
}

/* A VTEP port @idx at @last of U's tunnel, as warrend's tunnel mirror writes it. */
static void vtep(uint32_t idx, uint8_t last)
{
	struct wr_bpf_port p = { .ifindex = (uint32_t)env.ifindex[P_U],
				 .flags = WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING |
					  WR_BPF_PORT_F_VTEP };
	struct wr_bpf_tun_vtep_key k = { .underlay = P_U };
	uint16_t v = (uint16_t)idx;

	local_ip(env.t->ipv6, last, k.ip);
	put_map(env.s->maps.wr_ports, &idx, sizeof(idx), &p, sizeof(p));
	put_map(env.s->maps.wr_tun_vteps, &k, sizeof(k), &v, sizeof(v));
}

/* The case's header from @smac/@from to @dmac/@to (last address bytes) for @vni, into @out. */
static void build(const uint8_t *smac, const uint8_t *dmac, uint8_t from, uint8_t to, uint32_t vni,
		  struct wr_tun_hdr *out)
{
	static const uint8_t data[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct wr_geneve_opt opts[5];
	struct wr_tun_params p;

	wr_tun_params_init(&p, env.t->type);
	p.ipv6 = env.t->ipv6;
	p.udp_csum = env.t->udp_csum;
	memcpy(p.src_mac, smac, 6);
	memcpy(p.dst_mac, dmac, 6);
	local_ip(p.ipv6, from, p.src_ip);
	local_ip(p.ipv6, to, p.dst_ip);
	p.vni = vni;
	for (uint8_t i = 0; i < env.t->n_opts; i++)
		opts[i] = (struct wr_geneve_opt){ .cls = (uint16_t)(0x0100 + i), .type = 1, .len = 4,
						  .data = data };
	p.opts = opts;
	p.n_opts = env.t->n_opts;
	assert_int_equal(wr_tun_hdr_build(&p, out), 0);
}

/* The header of VTEP port @vtep_port (at @last) in @bd with VNI @vni into @out, and into wr_tun_hdrs. */
static void header(uint16_t vtep_port, uint8_t last, uint16_t bd, uint32_t vni,
		   struct wr_tun_hdr *out)
{
	struct wr_bpf_tun_hdr_key k = { .vtep = vtep_port, .bd = bd };
	struct wr_bpf_tun_hdr v;

	build(mUl, mNh, 1, last, vni, out);
	wd_fastpath_tun_hdr(out, P_U, MTU, &v);
	put_map(env.s->maps.wr_tun_hdrs, &k, sizeof(k), &v, sizeof(v));
}

static void vni(uint32_t n, uint16_t bd)
{
	struct wr_bpf_tun_vni_key k = { .underlay = P_U, .vni = n };

	put_map(env.s->maps.wr_tun_vni, &k, sizeof(k), &bd, sizeof(bd));
}

static int teardown(void **state)
{
	(void)state;
	xdp_switch__destroy(env.s);
	for (int i = 0; i < N_DEVS; i += 2)
		env_del(dev_names[i]);
	memset(&env, 0, sizeof(env));
	return 0;
}

/* The topology for tunnel @t. cmocka skips the teardown when the setup fails: undo here. */
static int setup_tunnel(const struct tun *t)
{
	struct wr_bpf_port p, off;
	uint8_t ip[16];

	if (env.s)
		teardown(NULL);	/* the last case's, left by a failure */
	env.t = t;
	env.s = env_veths_load(dev_names, N_DEVS, env.ifindex);
	if (!env.s)
		return -1;
	env_port(env.s, P_T, env_port_none(env.ifindex[P_T], 10));
	env_port(env.s, P_T2, env_port_none(env.ifindex[P_T2], 20));
	off = env_port_none(env.ifindex[P_OFF], 10);
	off.flags &= (uint8_t)~WR_BPF_PORT_F_FASTPATH;
	env_port(env.s, P_OFF, off);
	p = env_port_none(env.ifindex[P_U], 0);
	p.flags = WR_BPF_PORT_F_UNDERLAY | WR_BPF_PORT_F_TC_ENCAP;
	p.ul_ipv6 = t->ipv6;
	p.ul_type = (uint8_t)t->type;
	p.ul_dport = htons(wr_tunnel_port(t->type, 0));
	local_ip(t->ipv6, 1, ip);
	memcpy(p.ul_ip, ip, 16);
	env_port(env.s, P_U, p);
	vtep(P_V, 2);
	vtep(P_V2, 3);
	vni(VNI10, 10);
	vni(VNI20, 20);
	header(P_V, 2, 10, VNI10, &env.h[0]);
	header(P_V, 2, 20, VNI20, &env.h[1]);
	env_fdb(env.s, 10, mT, P_T, env_now_ns());
	env_fdb(env.s, 20, mT2, P_T2, env_now_ns());
	env_fdb(env.s, 10, mOff, P_OFF, env_now_ns());
	env_fdb(env.s, 10, mR, P_V, env_now_ns());
	env_fdb(env.s, 10, mR2, P_V2, env_now_ns());
	wr_tun_rx_conf_init(&env.rx, t->type);
	env.rx.ipv6 = t->ipv6;
	local_ip(t->ipv6, 2, env.rx.local_ip);
	return 0;
}

/* ---------------------------------------------------------------- frames */

#define FRAME_MAX	2048
#define HEADROOM	256	/* what a test run gives XDP */

/*
 * An inner IPv4/UDP frame dst ← src of @len bytes (at least 42) into @f, its
 * ports from @flow.
 */
static uint16_t inner(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t len,
		      uint16_t flow)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)((len - 14) >> 8), f[17] = (uint8_t)(len - 14);
	f[22] = 64;
	f[23] = 17;
	f[26] = 10, f[29] = 1;
	f[30] = 10, f[33] = 2;
	f[34] = (uint8_t)(flow >> 8), f[35] = (uint8_t)flow;
	f[37] = 9;
	f[38] = (uint8_t)((len - 34) >> 8), f[39] = (uint8_t)(len - 34);
	for (int i = 42; i < len; i++)
		f[i] = (uint8_t)(i * 7);
	return len;
}

/* What wr_tun_encap() makes of the @len bytes at @f through @h with flow hash @hash, into @out. */
static uint16_t ref_encap(const struct wr_tun_hdr *h, const uint8_t *f, uint16_t len,
			  uint32_t hash, uint8_t *out)
{
	static uint8_t buf[HEADROOM + FRAME_MAX];
	struct wr_pkt p = { .data = buf + HEADROOM, .len = len, .hash = hash };
	enum wr_drop why;

	memcpy(p.data, f, len);
	assert_int_equal(wr_tun_encap(h, &p, HEADROOM, MTU, &why), 0);
	memcpy(out, p.data, p.len);
	return p.len;
}

/* A flow hash that wr_tun_sport() maps onto @sport through @h. */
static uint32_t hash_for(const struct wr_tun_hdr *h, uint16_t sport)
{
	uint64_t off = (uint64_t)(sport - h->sport_min) << 32;
	uint32_t hash = (uint32_t)((off + h->sport_span - 1) / h->sport_span);

	assert_int_equal(wr_tun_sport(h, hash), sport);
	return hash;
}

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

/* Frame @f of @len bytes through program @fd with context @ctx: the verdict, what came out into @out (*@out_len). */
static uint32_t prog_run(int fd, void *ctx, uint32_t ctx_size, const uint8_t *f, uint16_t len,
			 uint8_t *out, uint32_t *out_len)
{
	static uint8_t sink[FRAME_MAX + HEADROOM];
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f, .data_size_in = len,
		    .data_out = out ? out : sink, .data_size_out = sizeof(sink),
		    .ctx_in = ctx, .ctx_size_in = ctx_size);

	assert_int_equal(bpf_prog_test_run_opts(fd, &t), 0);
	if (out_len)
		*out_len = t.data_size_out;
	return t.retval;
}

/* Frame @f of @len bytes into port @in's device through XDP. */
static uint32_t run(int in, const uint8_t *f, uint16_t len, uint8_t *out, uint32_t *out_len)
{
	struct xdp_md xmd = { .ingress_ifindex = (uint32_t)env.ifindex[in], .data_end = len };

	return prog_run(bpf_program__fd(env.s->progs.wr_xdp_switch), &xmd, sizeof(xmd), f, len,
			out, out_len);
}

/* The same through TC, as a GSO frame of @gso_size (2 segments) if not 0. */
static uint32_t tc_run(int in, const uint8_t *f, uint16_t len, uint16_t gso_size, uint8_t *out,
		       uint32_t *out_len)
{
	struct __sk_buff skb = { .ifindex = (uint32_t)env.ifindex[in], .gso_size = gso_size,
				 .gso_segs = gso_size ? 2 : 0 };

	return prog_run(bpf_program__fd(env.s->progs.wr_tc_switch), &skb, sizeof(skb), f, len, out,
			out_len);
}

/*
 * Frame @f, @len bytes, into port @in through XDP, or TC if @tc (a GSO
 * frame of @gso_size if not 0): handed up for reason @up (and nothing
 * else moved), unchanged, counted as its segments. Up reads XDP_PASS (no
 * AF_XDP socket) or TC_ACT_OK (no TAP).
 */
static void up_check(const char *what, bool tc, int in, const uint8_t *f, uint16_t len,
		     uint16_t gso_size, enum wr_bpf_up up)
{
	uint8_t out[FRAME_MAX + HEADROOM];
	uint64_t pkts = gso_size ? 2 : 1;
	struct counts a, b;
	uint32_t n, v;

	snapshot(&a);
	v = tc ? tc_run(in, f, len, gso_size, out, &n) : run(in, f, len, out, &n);
	if (v != (tc ? TC_ACT_OK : XDP_PASS))
		fail_msg("%s, %s: not handed up%s", env.t->name, what, tc ? " by TC" : "");
	snapshot(&b);
	if (n != len || memcmp(out, f, len))
		fail_msg("%s, %s: changed on its way up", env.t->name, what);
	if (b.st.up[up] != a.st.up[up] + pkts || b.ps[in].up_pkts != a.ps[in].up_pkts + pkts)
		fail_msg("%s, %s: up reason %d not counted", env.t->name, what, up);
}

/* Through XDP, or TC if use_tc: up_check()'s. */
static void expect_up(const char *what, int in, const uint8_t *f, uint16_t len, enum wr_bpf_up up)
{
	up_check(what, use_tc, in, f, len, 0, up);
}

/* Through XDP, or TC if use_tc: dropped for @why, counted. */
static void expect_drop(const char *what, int in, const uint8_t *f, uint16_t len,
			enum wr_bpf_drop why)
{
	struct counts a, b;
	uint32_t v;

	snapshot(&a);
	v = use_tc ? tc_run(in, f, len, 0, NULL, NULL) : run(in, f, len, NULL, NULL);
	if (v != (use_tc ? TC_ACT_SHOT : XDP_DROP))
		fail_msg("%s, %s: not dropped", env.t->name, what);
	snapshot(&b);
	if (b.st.drops[why] != a.st.drops[why] + 1 || b.ps[in].drop_pkts != a.ps[in].drop_pkts + 1)
		fail_msg("%s, %s: drop %d not counted", env.t->name, what, why);
}

/* ----------------------------------------------------------------- encap */

/*
 * @out, @n bytes, is what the program made of inner frame @f of @len
 * bytes from T, with counters @a before and @b after: wr_tun_encap()'s
 * bytes for the UDP source port the program chose (a zero UDP checksum
 * if @tc), which decapsulate (checksums checked) to @f, counted as T's
 * forward and U's send. The UDP source port.
 */
static uint16_t encap_check(const char *how, const uint8_t *f, uint16_t len, const uint8_t *out,
			    uint32_t n, const struct counts *a, const struct counts *b, bool tc)
{
	static uint8_t ref[FRAME_MAX + HEADROOM];
	const struct wr_tun_hdr *h = &env.h[0];
	uint16_t sport = (uint16_t)(out[h->l4_off] << 8 | out[h->l4_off + 1]);
	struct wr_tun_rx rx;
	enum wr_drop why;

	assert_int_equal(n, len + h->len);
	assert_in_range(sport, 49152, 65535);
	assert_int_equal(ref_encap(h, f, len, hash_for(h, sport), ref), n);
	if (h->flow_label)
		memcpy(ref + 14, out + 14, 4);	/* the program's own hash (file comment) */
	if (tc)
		ref[h->l4_off + 6] = ref[h->l4_off + 7] = 0;
	for (uint32_t k = 0; k < n; k++)
		if (out[k] != ref[k])
			fail_msg("%s, %s%u bytes: byte %u is %02x, wr_tun_encap's %02x", env.t->name,
				 how, len, k, out[k], ref[k]);
	assert_int_equal(wr_tun_decap(&env.rx, out, (uint16_t)n, &rx, &why), WR_TUN_DECAP);
	assert_int_equal(rx.inner_len, len);
	assert_memory_equal(out + rx.inner_off, f, len);
	assert_int_equal(rx.vni, VNI10);
	assert_int_equal(b->ps[P_T].fwd_pkts, a->ps[P_T].fwd_pkts + 1);
	assert_int_equal(b->ps[P_U].tx_pkts, a->ps[P_U].tx_pkts + 1);
	assert_int_equal(b->ps[P_U].tx_bytes, a->ps[P_U].tx_bytes + n);
	return sport;
}

/*
 * Inner frames of several lengths (odd ones, and over 512 bytes: each part
 * of the checksum's walk) from T to the host behind V: encap_check().
 */
static void encap_case(const struct tun *t)
{
	static const uint16_t lens[] = { 60, 61, 62, 63, 64, 127, 555, 1023, 1100, 1401 };
	uint8_t f[FRAME_MAX], out[FRAME_MAX + HEADROOM], again[FRAME_MAX + HEADROOM];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint16_t len = inner(f, mR, mT, lens[i], (uint16_t)(1000 + i));
		struct counts a, b;
		uint32_t n;

		snapshot(&a);
		if (run(P_T, f, len, out, &n) != XDP_REDIRECT)
			fail_msg("%s, %u bytes: not forwarded", t->name, len);
		snapshot(&b);
		encap_check("", f, len, out, n, &a, &b, false);
		/* One flow, one port. */
		assert_int_equal(run(P_T, f, len, again, &n), XDP_REDIRECT);
		assert_memory_equal(again, out, n);
	}
}

/* The underlay's MTU to the byte; what has no header goes up; split horizon. */
static void encap_edges(const struct tun *t)
{
	uint8_t f[FRAME_MAX];
	uint16_t fits = (uint16_t)(MTU + 14 - env.h[0].len);
	struct wr_bpf_tun_hdr_key k = { .vtep = P_V, .bd = 10 };

	assert_int_equal(run(P_T, f, inner(f, mR, mT, fits, 1), NULL, NULL), XDP_REDIRECT);
	expect_drop("one byte over the MTU", P_T, f, inner(f, mR, mT, fits + 1, 1),
		    WR_BPF_DROP_TUN_TOO_BIG);
	/* V2 has no header (no next hop yet): warrend drops it as tun_no_nexthop. */
	expect_up("a VTEP without a header", P_T, f, inner(f, mR2, mT, 100, 1), WR_BPF_UP_OUT_OFF);
	/* The fast path off on the input port: as any frame. */
	expect_up("from a port off the fast path", P_OFF, f, inner(f, mR, mOff, 100, 1),
		  WR_BPF_UP_FASTPATH_OFF);
	/* A tagged frame crosses untagged: warrend pops the tag. */
	{
		uint16_t len = inner(f, mR, mT, 100, 1);

		memmove(f + 16, f + 12, len - 12u);
		f[12] = 0x81, f[13] = 0, f[14] = 0, f[15] = 10;
		expect_up("a tagged frame", P_T, f, (uint16_t)(len + 4), WR_BPF_UP_TUN_VLAN);
	}
	assert_int_equal(bpf_map__delete_elem(env.s->maps.wr_tun_hdrs, &k, sizeof(k), 0), 0);
	expect_up("its header gone", P_T, f, inner(f, mR, mT, 100, 1), WR_BPF_UP_OUT_OFF);
	(void)t;
}

/* @a then @b for each tunnel of the table, each in a topology of its own. */
static void each_tunnel(void (*a)(const struct tun *), void (*b)(const struct tun *))
{
	for (size_t i = 0; i < sizeof(tunnels) / sizeof(tunnels[0]); i++) {
		assert_int_equal(setup_tunnel(&tunnels[i]), 0);
		a(&tunnels[i]);
		b(&tunnels[i]);
		teardown(NULL);
	}
}

static void test_encap(void **state)
{
	(void)state;
	each_tunnel(encap_case, encap_edges);
}

/* ----------------------------------------------------------------- decap */

/* @f's outer frame (wr_tun_encap(), flow hash 7) as V sends it to U, bd 10's header turned around. */
static uint16_t from_v(const uint8_t *f, uint16_t len, uint8_t *out)
{
	struct wr_tun_hdr h;

	build(mNh, mUl, 2, 1, VNI10, &h);
	return ref_encap(&h, f, len, 7, out);
}

/* Where @o's (outer frame @f's) fields are. */
static uint16_t l4_of(void)
{
	return env.t->ipv6 ? 54 : 34;
}

static void decap_case(const struct tun *t)
{
	static const uint16_t lens[] = { 60, 61, 63, 555, 1401 };
	uint8_t f[FRAME_MAX], o[FRAME_MAX + HEADROOM], out[FRAME_MAX + HEADROOM];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint16_t len = inner(f, mT, mR, lens[i], (uint16_t)i), olen = from_v(f, len, o);
		struct counts a, b;
		uint32_t n;

		if (t->n_opts) {	/* warrend counts options: they go up */
			expect_up("options", P_U, o, olen, WR_BPF_UP_TUNNEL);
			continue;
		}
		snapshot(&a);
		if (use_tc ? tc_run(P_U, o, olen, 0, out, &n) != TC_ACT_REDIRECT :
			     run(P_U, o, olen, out, &n) != XDP_REDIRECT)
			fail_msg("%s, %u bytes: not decapsulated%s", t->name, len,
				 use_tc ? " by TC" : "");
		snapshot(&b);
		assert_int_equal(n, len);
		assert_memory_equal(out, f, len);
		assert_int_equal(b.ps[P_U].rx_pkts, a.ps[P_U].rx_pkts + 1);
		assert_int_equal(b.ps[P_U].rx_bytes, a.ps[P_U].rx_bytes + olen);
		assert_int_equal(b.ps[P_U].fwd_pkts, a.ps[P_U].fwd_pkts + 1);
		assert_int_equal(b.ps[P_T].tx_pkts, a.ps[P_T].tx_pkts + 1);
		assert_int_equal(b.ps[P_T].tx_bytes, a.ps[P_T].tx_bytes + len);
	}
}

/* The one's complement sum of @n bytes at @b (big-endian words), added to @s. */
static uint32_t sum16(const uint8_t *b, uint32_t n, uint32_t s)
{
	for (uint32_t i = 0; i < n; i++)
		s += i & 1 ? b[i] : (uint32_t)b[i] << 8;
	return s;
}

static uint16_t fold16(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The outer IPv4 header's and UDP's checksums of @x (@len bytes) made right again after an edit. */
static void fix_sums(uint8_t *x, uint16_t len)
{
	uint16_t l4 = l4_of(), ulen = (uint16_t)(len - l4), c;
	uint32_t s;

	if (!env.t->ipv6) {
		x[24] = x[25] = 0;
		c = (uint16_t)~fold16(sum16(x + 14, 20, 0));
		x[24] = (uint8_t)(c >> 8), x[25] = (uint8_t)c;
	}
	if (!x[l4 + 6] && !x[l4 + 7])
		return;
	x[l4 + 6] = x[l4 + 7] = 0;
	s = env.t->ipv6 ? sum16(x + 22, 32, 0) : sum16(x + 26, 8, 0);
	c = (uint16_t)~fold16(sum16(x + l4, ulen, s + 17 + ulen));
	c = c ? c : 0xffff;
	x[l4 + 6] = (uint8_t)(c >> 8), x[l4 + 7] = (uint8_t)c;
}

/* Frame @o of @olen bytes into U, with map @m's entry @k away for it: up whole. */
static void without(const char *what, struct bpf_map *m, const void *k, size_t klen,
		    const uint8_t *o, uint16_t olen)
{
	uint16_t v;

	assert_int_equal(bpf_map__lookup_elem(m, k, klen, &v, sizeof(v), 0), 0);
	assert_int_equal(bpf_map__delete_elem(m, k, klen, 0), 0);
	expect_up(what, P_U, o, olen, WR_BPF_UP_TUNNEL);
	put_map(m, k, klen, &v, sizeof(v));
}

/* What the kernel leaves to warrend, and the inner frame's own decisions. */
static void decap_edges(const struct tun *t)
{
	uint8_t f[FRAME_MAX], o[FRAME_MAX + HEADROOM], x[FRAME_MAX + HEADROOM];
	uint16_t len = inner(f, mT, mR, 100, 1), olen = from_v(f, len, o), l4 = l4_of();
	uint16_t tun = (uint16_t)(l4 + 8);

	if (t->n_opts)
		return;
	struct wr_bpf_tun_vni_key vk = { .underlay = P_U, .vni = VNI10 };
	struct wr_bpf_tun_vtep_key tk = { .underlay = P_U };

	local_ip(t->ipv6, 2, tk.ip);
	without("unknown VNI", env.s->maps.wr_tun_vni, &vk, sizeof(vk), o, olen);
	without("unknown VTEP", env.s->maps.wr_tun_vteps, &tk, sizeof(tk), o, olen);
	/* Each edit with the checksums made right again, but the one it breaks. */
#define MUTATE(what, edit, fix)						\
	do {								\
		memcpy(x, o, olen);					\
		edit;							\
		if (fix)						\
			fix_sums(x, olen);				\
		expect_up(what, P_U, x, olen, WR_BPF_UP_TUNNEL);	\
	} while (0)
	if (t->udp_csum)
		MUTATE("bad UDP checksum", x[olen - 1] ^= 1, false);
	if (t->type == WR_TUNNEL_VXLAN) {
		MUTATE("VXLAN without its I flag", x[tun] = 0, true);
	} else {
		MUTATE("Geneve version 1", x[tun] = 0x40, true);
		MUTATE("Geneve control frame", x[tun + 1] = 0x80, true);
		MUTATE("Geneve not Ethernet", x[tun + 3] = 0, true);
	}
	if (t->ipv6) {
		MUTATE("zero UDP checksum over IPv6", (x[l4 + 6] = 0, x[l4 + 7] = 0), false);
	} else {
		MUTATE("bad IPv4 header checksum", x[24] ^= 1, false);
		MUTATE("a first fragment", x[20] = 0x20, true);
	}
#undef MUTATE
	/* Padding after the datagram; an outer 802.1Q tag. */
	memcpy(x, o, olen);
	x[olen] = 0;
	expect_up("padding", P_U, x, (uint16_t)(olen + 1), WR_BPF_UP_TUNNEL);
	memcpy(x, o, 12);
	x[12] = 0x81, x[13] = 0, x[14] = 0, x[15] = 5;
	memcpy(x + 16, o + 12, olen - 12);
	expect_up("an outer tag", P_U, x, (uint16_t)(olen + 4), WR_BPF_UP_TUNNEL);

	/* The inner frame's own decisions. */
	olen = from_v(f, inner(f, mT, mNew, 100, 1), o);
	expect_up("inner source unknown", P_U, o, olen, WR_BPF_UP_SRC_UNKNOWN);
	olen = from_v(f, inner(f, mNew, mR, 100, 1), o);
	expect_up("inner destination unknown", P_U, o, olen, WR_BPF_UP_DST_UNKNOWN);
	olen = from_v(f, inner(f, bcast, mR, 100, 1), o);
	expect_up("inner broadcast", P_U, o, olen, WR_BPF_UP_FLOOD);
	olen = from_v(f, inner(f, mOff, mR, 100, 1), o);
	expect_up("to a port off the fast path", P_U, o, olen, WR_BPF_UP_OUT_OFF);
	olen = from_v(f, inner(f, mT2, mR, 100, 1), o);
	expect_up("to another domain's host", P_U, o, olen, WR_BPF_UP_DST_UNKNOWN);
	/* Split horizon: from V to the host behind V2, and back to V itself. */
	olen = from_v(f, inner(f, mR2, mR, 100, 1), o);
	expect_drop("to another VTEP", P_U, o, olen, WR_BPF_DROP_SAME_PORT);
	olen = from_v(f, inner(f, mR, mR, 100, 1), o);
	expect_drop("back to its VTEP", P_U, o, olen, WR_BPF_DROP_SAME_PORT);
	/* To an access port: warrend gives the frame its domain's VLAN. */
	{
		struct wr_bpf_port acc = env_port_none(env.ifindex[P_T], 10);

		acc.vlan_mode = WR_BPF_VLAN_ACCESS;
		acc.access_vlan = 10;
		env_port(env.s, P_T, acc);
		olen = from_v(f, inner(f, mT, mR, 100, 1), o);
		expect_up("to an access port", P_U, o, olen, WR_BPF_UP_TUN_VLAN);
		env_port(env.s, P_T, env_port_none(env.ifindex[P_T], 10));
	}
	/* A trace armed on the underlay: known unicast too goes up, for warrend's decap. */
	{
		struct wr_bpf_port u;

		assert_int_equal(bpf_map__lookup_elem(env.s->maps.wr_ports, &(uint32_t){ P_U },
						      sizeof(uint32_t), &u, sizeof(u), 0), 0);
		u.flags |= WR_BPF_PORT_F_WATCH;
		env_port(env.s, P_U, u);
		olen = from_v(f, inner(f, mT, mR, 100, 1), o);
		expect_up("a trace on the underlay", P_U, o, olen, WR_BPF_UP_WATCH);
		u.flags &= (uint8_t)~WR_BPF_PORT_F_WATCH;
		env_port(env.s, P_U, u);
	}
}

static void test_decap(void **state)
{
	(void)state;
	each_tunnel(decap_case, decap_edges);
}

/* ------------------------------------------------------------------- TC */

/* Through TC from T: up_check()'s. */
static void tc_expect_up(const char *what, const uint8_t *f, uint16_t len, uint16_t gso_size,
			 enum wr_bpf_up up)
{
	up_check(what, true, P_T, f, len, gso_size, up);
}

/* An inner IPv4/TCP frame of @len bytes (at least 54): inner()'s, another protocol. */
static uint16_t inner_tcp(uint8_t *f, uint16_t len)
{
	inner(f, mR, mT, len, 1);
	f[23] = 6;
	f[46] = 0x50;	/* data offset: 20 bytes */
	f[24] = f[25] = 0;
	return len;
}

/*
 * TC over IPv4: wr_tun_encap()'s bytes but the UDP checksum, 0 whatever
 * the tunnel says (docs/overlays.md), which warrend's decap takes; counted
 * as T's forward and U's send, redirected to U's device. Over IPv6: up.
 */
static void tc_case(const struct tun *t)
{
	static const uint16_t lens[] = { 60, 61, 127, 555, 1401 };
	uint8_t f[FRAME_MAX], out[FRAME_MAX + HEADROOM];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint16_t len = inner(f, mR, mT, lens[i], (uint16_t)(2000 + i));
		struct counts a, b;
		uint32_t n;

		if (t->ipv6) {
			tc_expect_up("over IPv6", f, len, 0, WR_BPF_UP_TC_ENCAP);
			continue;
		}
		snapshot(&a);
		if (tc_run(P_T, f, len, 0, out, &n) != TC_ACT_REDIRECT)
			fail_msg("%s, TC, %u bytes: not forwarded", t->name, len);
		snapshot(&b);
		encap_check("TC, ", f, len, out, n, &a, &b, true);
	}
}

/* What TC leaves to warrend, and the MTU, GSO segments included. */
static void tc_edges(const struct tun *t)
{
	uint8_t f[FRAME_MAX];
	uint16_t fits = (uint16_t)(MTU + 14 - env.h[0].len), len;
	struct wr_bpf_tun_hdr_key k = { .vtep = P_V, .bd = 10 };
	struct wr_bpf_port u;
	struct counts a, b;

	if (t->ipv6)
		return;
	assert_int_equal(tc_run(P_T, f, inner(f, mR, mT, fits, 1), 0, NULL, NULL), TC_ACT_REDIRECT);
	snapshot(&a);
	assert_int_equal(tc_run(P_T, f, inner(f, mR, mT, fits + 1, 1), 0, NULL, NULL), TC_ACT_SHOT);
	snapshot(&b);
	assert_int_equal(b.st.drops[WR_BPF_DROP_TUN_TOO_BIG], a.st.drops[WR_BPF_DROP_TUN_TOO_BIG] + 1);
	/* A GSO frame by its segments: 14 + 20 + 20 bytes of headers each. */
	len = inner_tcp(f, 200);
	snapshot(&a);
	assert_int_equal(tc_run(P_T, f, len, (uint16_t)(fits - 53), NULL, NULL), TC_ACT_SHOT);
	snapshot(&b);
	assert_int_equal(b.st.drops[WR_BPF_DROP_TUN_TOO_BIG], a.st.drops[WR_BPF_DROP_TUN_TOO_BIG] + 2);
	/* One that fits: a test run's skb has no GSO type, which bpf_skb_adjust_room() refuses. */
	tc_expect_up("a GSO frame of no GSO type", f, len, (uint16_t)(fits - 54), WR_BPF_UP_TC_ENCAP);
	len = inner(f, mR, mT, 100, 1);
	f[12] = 0x88, f[13] = 0xb5;
	tc_expect_up("not IP", f, len, 0, WR_BPF_UP_TC_ENCAP);
	tc_expect_up("a VTEP without a header", f, inner(f, mR2, mT, 100, 1), 0, WR_BPF_UP_OUT_OFF);
	/* The underlay in another namespace, or without a number of its own. */
	assert_int_equal(bpf_map__lookup_elem(env.s->maps.wr_ports, &(uint32_t){ P_U },
					      sizeof(uint32_t), &u, sizeof(u), 0), 0);
	u.netns_id = 7;
	env_port(env.s, P_U, u);
	tc_expect_up("underlay elsewhere", f, inner(f, mR, mT, 100, 1), 0, WR_BPF_UP_OTHER_NETNS);
	u.netns_id = 0;
	u.flags &= (uint8_t)~WR_BPF_PORT_F_TC_ENCAP;
	env_port(env.s, P_U, u);
	tc_expect_up("underlay without a number", f, inner(f, mR, mT, 100, 1), 0,
		     WR_BPF_UP_OTHER_NETNS);
	u.flags |= WR_BPF_PORT_F_TC_ENCAP;
	env_port(env.s, P_U, u);
	assert_int_equal(bpf_map__delete_elem(env.s->maps.wr_tun_hdrs, &k, sizeof(k), 0), 0);
	tc_expect_up("its header gone", f, inner(f, mR, mT, 100, 1), 0, WR_BPF_UP_OUT_OFF);
}

static void test_tc(void **state)
{
	(void)state;
	each_tunnel(tc_case, tc_edges);
}

/*
 * TC's decap, for an underlay in TC: decap_edges()'s cases through TC, and
 * what only TC leaves to warrend: an inner frame that is not IP (the
 * helper takes IP only), and a GSO frame the helper refuses (a test run's
 * skb has no GSO type), whose outer lengths are not checked on the way.
 */
static void tc_decap_edges(const struct tun *t)
{
	uint8_t f[FRAME_MAX], o[FRAME_MAX + HEADROOM];
	uint16_t len, olen;

	decap_edges(t);
	if (t->n_opts)
		return;
	len = inner(f, mT, mR, 100, 1);
	f[12] = 0x88, f[13] = 0xb5;
	olen = from_v(f, len, o);
	expect_up("not IP inside", P_U, o, olen, WR_BPF_UP_TC_DECAP);
	len = inner(f, mT, mR, 300, 1);
	olen = from_v(f, len, o);
	o[t->ipv6 ? 19 : 17] ^= 0x40;	/* the outer IP length: each segment gets its own */
	o[l4_of() + 5] ^= 0x40;		/* the UDP length */
	fix_sums(o, olen);		/* the IPv4 header's is checked */
	up_check("a GSO frame of no GSO type", true, P_U, o, olen, 100, WR_BPF_UP_TC_DECAP);
}

static void test_tc_decap(void **state)
{
	(void)state;
	use_tc = true;
	each_tunnel(decap_case, tc_decap_edges);
}

static int teardown_tc(void **state)
{
	use_tc = false;
	return teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_encap, teardown),
		cmocka_unit_test_teardown(test_decap, teardown),
		cmocka_unit_test_teardown(test_tc, teardown),
		cmocka_unit_test_teardown(test_tc_decap, teardown_tc),
	};

	if (env_enter())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
