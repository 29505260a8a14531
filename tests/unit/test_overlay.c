/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_overlay.c - the VXLAN/Geneve codec (overlay.c): encap then decap
 * for every type, family, option set and checksum setting, each outer
 * field checked against a byte-wise checksum of the test's own; two frames
 * written by hand from RFC 7348 and RFC 8926 compared byte for byte; the
 * source port range; every drop reason and "not mine" from a crafted
 * frame; every cut of a frame, as it is and with its lengths and
 * checksums fixed, from a heap block of exactly its size (for ASan).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overlay_priv.h"

#define BUF_SIZE	(WR_HEADROOM + 2048)
#define HASH		0x40012345u	/* sport 53248, flow label 0x12345 */

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t V4_A[16] = { 10, 0, 0, 1 };
static const uint8_t V4_B[16] = { 10, 0, 0, 2 };
static const uint8_t V6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t OPT_DATA[124] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8 };

/* Drop reasons some test reached; the last test wants every tunnel reason. */
static bool reached[WR_DROP_COUNT];

/* ------------------------------------------------ the test's own checksums */

/* Big-endian 16-bit words, one at a time, folded: RFC 1071 as written. */
static uint32_t ref_sum(const uint8_t *b, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* Where a test frame's headers are. */
struct layout {
	bool v6;
	unsigned l3, l4, tun, inner;
};

static struct layout layout_of(const uint8_t *f, bool geneve)
{
	struct layout l = { .l3 = 14 };

	if (get16(f + 12) == 0x8100)
		l.l3 += 4;
	l.v6 = get16(f + l.l3 - 2) == 0x86dd;
	l.l4 = l.l3 + (l.v6 ? 40 : 20);
	l.tun = l.l4 + 8;
	l.inner = l.tun + 8 + (geneve ? (f[l.tun] & 0x3f) * 4u : 0);
	return l;
}

static uint16_t ref_ipv4_csum(const uint8_t *ip)
{
	uint8_t h[20];

	memcpy(h, ip, 20);
	put16(h + 10, 0);
	return (uint16_t)~ref_sum(h, 20, 0);
}

/* The UDP checksum the datagram at l4 of @ulen bytes should carry. */
static uint16_t ref_udp_csum(const uint8_t *f, const struct layout *l, unsigned ulen)
{
	uint8_t *u = malloc(ulen);
	uint32_t s = 17 + ulen;

	assert_non_null(u);
	if (l->v6)
		s = ref_sum(f + l->l3 + 8, 32, s);
	else
		s = ref_sum(f + l->l3 + 12, 8, s);
	memcpy(u, f + l->l4, ulen);
	put16(u + 6, 0);
	s = ref_sum(u, ulen, s);
	free(u);
	return (uint16_t)~s ? (uint16_t)~s : 0xffff;
}

/* Checksums of @f made right for its fields as they are (a zero UDP checksum stays zero). */
static void fix_csums(uint8_t *f, const struct layout *l)
{
	if (!l->v6)
		put16(f + l->l3 + 10, ref_ipv4_csum(f + l->l3));
	if (get16(f + l->l4 + 6) && get16(f + l->l4 + 4) >= 8)
		put16(f + l->l4 + 6, ref_udp_csum(f, l, get16(f + l->l4 + 4)));
}

/*
 * Make the first @n bytes of @f a sound frame again: IP and UDP lengths
 * say @n, checksums match. Fields past @n are left alone.
 */
static void fix_lengths(uint8_t *f, unsigned n, const struct layout *l)
{
	if (!l->v6 && n >= l->l3 + 20)
		put16(f + l->l3 + 2, (uint16_t)(n - l->l3));
	if (l->v6 && n >= l->l3 + 40)
		put16(f + l->l3 + 4, (uint16_t)(n - l->l4));
	if (n >= l->l4 + 8)
		put16(f + l->l4 + 4, (uint16_t)(n - l->l4));
	if (!l->v6 && n >= l->l3 + 20)
		put16(f + l->l3 + 10, ref_ipv4_csum(f + l->l3));
	if (n >= l->l4 + 8 && get16(f + l->l4 + 6))
		put16(f + l->l4 + 6, ref_udp_csum(f, l, n - l->l4));
}

/* ----------------------------------------------------------------- helpers */

static void params(struct wr_tun_params *p, enum wr_tunnel_type type, bool v6)
{
	wr_tun_params_init(p, type);
	p->ipv6 = v6;
	memcpy(p->src_mac, MAC_A, 6);
	memcpy(p->dst_mac, MAC_B, 6);
	memcpy(p->src_ip, v6 ? V6_A : V4_A, 16);
	memcpy(p->dst_ip, v6 ? V6_B : V4_B, 16);
	p->vni = 0x123456;
}

/* The receiver of what params() sends. */
static void rx_conf(struct wr_tun_rx_conf *c, enum wr_tunnel_type type, bool v6)
{
	wr_tun_rx_conf_init(c, type);
	c->ipv6 = v6;
	memcpy(c->local_ip, v6 ? V6_B : V4_B, 16);
}

/* An inner frame of @len bytes: MACs, ethertype 0x88b5, a counting payload. */
static void inner_frame(uint8_t *b, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	if (len >= 14) {
		memcpy(b, (uint8_t[]){ 2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x88, 0xb5 }, 14);
	}
}

/* Encapsulate an inner frame of @len bytes through @p into @out; its length. */
static unsigned encap(const struct wr_tun_params *p, unsigned len, uint32_t hash, uint8_t *out)
{
	static uint8_t buf[BUF_SIZE];
	struct wr_tun_hdr h;
	struct wr_pkt pkt = { .data = buf + WR_HEADROOM, .len = (uint16_t)len, .hash = hash };
	enum wr_drop why = WR_DROP_COUNT;

	assert_int_equal(wr_tun_hdr_build(p, &h), 0);
	inner_frame(pkt.data, len);
	assert_int_equal(wr_tun_encap(&h, &pkt, WR_HEADROOM, 9000, &why), 0);
	assert_int_equal(why, WR_DROP_COUNT);
	assert_ptr_equal(pkt.data, buf + WR_HEADROOM - h.len);
	assert_int_equal(pkt.len, len + h.len);
	memcpy(out, pkt.data, pkt.len);
	return pkt.len;
}

static const char *verdict_str(int r, enum wr_drop why)
{
	return r == WR_TUN_DECAP ? "decap" : r == WR_TUN_NOT_MINE ? "not mine" : wr_drop_name(why);
}

/* Decap @n bytes of @f from a heap block of exactly @n bytes. */
static int decap(const struct wr_tun_rx_conf *c, const uint8_t *f, unsigned n,
		 struct wr_tun_rx *out, enum wr_drop *why)
{
	uint8_t *b = malloc(n ? n : 1);

	assert_non_null(b);
	memcpy(b, f, n);
	*why = WR_DROP_COUNT;
	int r = wr_tun_decap(c, b, (uint16_t)n, out, why);

	if (memcmp(b, f, n) != 0)
		fail_msg("decap wrote into the frame");
	free(b);
	if (r == WR_TUN_DROP) {
		assert_true(*why < WR_DROP_COUNT);
		reached[*why] = true;
	} else if (*why != WR_DROP_COUNT) {
		fail_msg("%s but why set to %s", verdict_str(r, *why), wr_drop_name(*why));
	}
	return r;
}

#define NOT_MINE	(-2)	/* for expect(): WR_TUN_NOT_MINE */
#define DECAP		(-1)	/* for expect(): WR_TUN_DECAP */

static const char *want_str(int want)
{
	return want == DECAP ? "decap" : want == NOT_MINE ? "not mine" :
	       wr_drop_name((enum wr_drop)want);
}

/* @f (@n bytes) must come out of decap as @want: DECAP, NOT_MINE or a drop reason. */
static void expect(const char *what, const struct wr_tun_rx_conf *c, const uint8_t *f, unsigned n,
		   int want)
{
	struct wr_tun_rx out;
	enum wr_drop why;
	int r = decap(c, f, n, &out, &why);
	int got = r == WR_TUN_DROP ? (int)why : r == WR_TUN_DECAP ? DECAP : NOT_MINE;

	if (got != want)
		fail_msg("%s (%u bytes): %s, want %s", what, n, want_str(got), want_str(want));
}

/* ------------------------------------------------------------ round trips */

/* Option sets for Geneve: none, one, several, exactly the 48-byte bound. */
static const struct wr_geneve_opt OPTS_ONE[] = { { 0x0102, 0x03, 4, OPT_DATA } };
static const struct wr_geneve_opt OPTS_SOME[] = {
	{ 0x0102, 0x03, 0, NULL }, { 0xffff, 0x7f, 8, OPT_DATA }, { 0x0000, 0x01, 12, OPT_DATA },
};
static const struct wr_geneve_opt OPTS_FULL[] = { { 0x0104, 0x05, 44, OPT_DATA } };
static const struct {
	const struct wr_geneve_opt *opts;
	uint8_t n, bytes;
} OPT_SETS[] = { { NULL, 0, 0 }, { OPTS_ONE, 1, 8 }, { OPTS_SOME, 3, 32 }, { OPTS_FULL, 1, 48 } };

/* Every outer field of an encapsulated frame, against what @p asked. */
static void check_outer(const struct wr_tun_params *p, const uint8_t *f, unsigned n,
			unsigned inner_len, uint32_t hash)
{
	struct layout l = layout_of(f, p->type == WR_TUNNEL_GENEVE);
	unsigned ulen = n - l.l4;

	assert_memory_equal(f, MAC_B, 6);
	assert_memory_equal(f + 6, MAC_A, 6);
	if (p->ipv6) {
		const uint8_t *ip = f + 14;
		uint32_t w0 = (uint32_t)get16(ip) << 16 | get16(ip + 2);

		assert_int_equal(get16(f + 12), 0x86dd);
		assert_int_equal(w0, 0x60000000u | (p->flow_label ? (hash & 0xfffff) : 0));
		assert_int_equal(get16(ip + 4), ulen);
		assert_int_equal(ip[6], 17);
		assert_int_equal(ip[7], 64);
		assert_memory_equal(ip + 8, p->src_ip, 16);
		assert_memory_equal(ip + 24, p->dst_ip, 16);
	} else {
		const uint8_t *ip = f + 14;

		assert_int_equal(get16(f + 12), 0x0800);
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(get16(ip + 2), n - 14);
		assert_int_equal(get16(ip + 4), 0);		/* id */
		assert_int_equal(get16(ip + 6), 0x4000);	/* DF */
		assert_int_equal(ip[8], 64);
		assert_int_equal(ip[9], 17);
		assert_int_equal(get16(ip + 10), ref_ipv4_csum(ip));
		assert_memory_equal(ip + 12, p->src_ip, 4);
		assert_memory_equal(ip + 16, p->dst_ip, 4);
	}

	const uint8_t *u = f + l.l4, *t = f + l.tun;
	uint16_t sport = get16(u);

	assert_true(sport >= p->sport_min && sport <= p->sport_max);
	assert_int_equal(get16(u + 2), p->type == WR_TUNNEL_VXLAN ? 4789 : 6081);
	assert_int_equal(get16(u + 4), ulen);
	if (p->udp_csum || p->ipv6)
		assert_int_equal(get16(u + 6), ref_udp_csum(f, &l, ulen));
	else
		assert_int_equal(get16(u + 6), 0);
	assert_int_equal((uint32_t)t[4] << 16 | t[5] << 8 | t[6], p->vni);
	assert_int_equal(t[7], 0);
	if (p->type == WR_TUNNEL_VXLAN) {
		assert_memory_equal(t, ((uint8_t[]){ 0x08, 0, 0, 0 }), 4);
	} else {
		unsigned off = 8;

		assert_int_equal(t[0] >> 6, 0);
		assert_int_equal(get16(t + 2), 0x6558);
		assert_int_equal(t[1] & 0x80, 0);
		for (unsigned i = 0; i < p->n_opts; i++) {
			const struct wr_geneve_opt *o = &p->opts[i];

			assert_int_equal(get16(t + off), o->cls);
			assert_int_equal(t[off + 2], o->type);
			assert_int_equal(t[off + 3], o->len / 4);
			if (o->len)
				assert_memory_equal(t + off + 4, o->data, o->len);
			off += 4 + o->len;
		}
		assert_int_equal(off, 8 + (t[0] & 0x3f) * 4u);
	}
	assert_int_equal(l.inner + inner_len, n);
}

/* Decap of what @p sent: the inner frame back, and what the receiver learns. */
static void check_decap(const struct wr_tun_params *p, const uint8_t *f, unsigned n,
			unsigned inner_len)
{
	struct wr_tun_rx_conf c;
	struct wr_tun_rx out;
	enum wr_drop why;
	uint8_t inner[2048];
	struct layout l = layout_of(f, p->type == WR_TUNNEL_GENEVE);

	rx_conf(&c, p->type, p->ipv6);
	if (decap(&c, f, n, &out, &why) != WR_TUN_DECAP)
		fail_msg("decap: %s", wr_drop_name(why));
	inner_frame(inner, inner_len);
	assert_int_equal(out.vni, p->vni);
	assert_int_equal(out.inner_off, l.inner);
	assert_int_equal(out.inner_len, inner_len);
	assert_memory_equal(f + out.inner_off, inner, inner_len);
	assert_int_equal(out.ipv6, p->ipv6);
	assert_memory_equal(out.src_ip, p->src_ip, p->ipv6 ? 16 : 4);
	assert_int_equal(out.src_port, get16(f + l.l4));
	assert_int_equal(out.vlan, 0);
	assert_int_equal(out.n_opts, p->n_opts);
	assert_int_equal(out.opts_len, l.inner - l.tun - 8);
	if (p->n_opts)
		assert_int_equal(out.opts_off, l.tun + 8);
}

static void test_round_trips(void **state)
{
	static const unsigned LENS[] = { 14, 15, 64, 65, 1000, 1451 };
	static uint8_t f[BUF_SIZE];
	unsigned n_runs = 0;

	(void)state;
	for (int type = WR_TUNNEL_VXLAN; type <= WR_TUNNEL_GENEVE; type++)
	for (int v6 = 0; v6 <= 1; v6++)
	for (unsigned o = 0; o < (type == WR_TUNNEL_GENEVE ? 4u : 1u); o++)
	for (int csum = 0; csum <= 1; csum++)
	for (unsigned k = 0; k < sizeof(LENS) / sizeof(LENS[0]); k++) {
		struct wr_tun_params p;
		struct wr_tun_hdr h;

		params(&p, (enum wr_tunnel_type)type, v6);
		p.opts = OPT_SETS[o].opts;
		p.n_opts = OPT_SETS[o].n;
		p.udp_csum = csum;
		p.flow_label = k & 1;
		assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
		assert_int_equal(wr_tun_overhead(&h), (v6 ? 70 : 50) + OPT_SETS[o].bytes);

		uint32_t hash = HASH * (k + 1);
		unsigned n = encap(&p, LENS[k], hash, f);

		check_outer(&p, f, n, LENS[k], hash);
		check_decap(&p, f, n, LENS[k]);
		n_runs++;
	}
	assert_int_equal(n_runs, (1 + 4) * 2 * 2 * 6);
}

/* ------------------------------------------------------- known-good frames */

/* RFC 7348 5: outer Ethernet, IPv4, UDP to 4789, VXLAN I flag and VNI 42, inner frame. */
static const uint8_t VXLAN_V4[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x34, 0x00, 0x00, 0x40, 0x00,		/* 52 bytes, id 0, DF */
	0x40, 0x11, 0x26, 0xb7,					/* TTL 64, UDP, checksum */
	10, 0, 0, 1, 10, 0, 0, 2,
	0xd0, 0x00, 0x12, 0xb5, 0x00, 0x20, 0xe1, 0xc1,		/* 53248 -> 4789, 32 bytes */
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x00,		/* I; VNI 42 */
	0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0x88, 0xb5, 'h', 'i',
};

/*
 * RFC 8926 3.4-3.5: outer IPv6 (flow label 0x12345), UDP to 6081, Geneve
 * version 0 with 2 words of options and the C bit; class 0x0102, type
 * 0x83 (critical), 1 word of data.
 */
static const uint8_t GENEVE_V6[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x86, 0xdd,
	0x60, 0x01, 0x23, 0x45, 0x00, 0x28, 0x11, 0x40,		/* 40 bytes, UDP, hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0xd0, 0x00, 0x17, 0xc1, 0x00, 0x28, 0xd5, 0xc5,		/* 53248 -> 6081, 40 bytes */
	0x02, 0x40, 0x65, 0x58, 0x12, 0x34, 0x56, 0x00,		/* 2 words, C; 0x6558; VNI */
	0x01, 0x02, 0x83, 0x01, 0xde, 0xad, 0xbe, 0xef,
	0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0x88, 0xb5, 'h', 'i',
};

static unsigned encap_hi(const struct wr_tun_params *p, uint8_t *f)
{
	static uint8_t buf[BUF_SIZE];
	struct wr_tun_hdr h;
	struct wr_pkt pkt = { .data = buf + 96, .len = 16, .hash = HASH };
	enum wr_drop why;

	memcpy(pkt.data, VXLAN_V4 + 50, 16);
	assert_int_equal(wr_tun_hdr_build(p, &h), 0);
	assert_int_equal(wr_tun_encap(&h, &pkt, 96, 1500, &why), 0);
	memcpy(f, pkt.data, pkt.len);
	return pkt.len;
}

static void test_known_frames(void **state)
{
	static const struct wr_geneve_opt crit[] = { { 0x0102, 0x83, 4, OPT_DATA } };
	struct wr_tun_params p;
	struct wr_tun_rx_conf c;
	struct wr_tun_rx out;
	enum wr_drop why;
	uint8_t f[256];

	(void)state;
	params(&p, WR_TUNNEL_VXLAN, false);
	p.vni = 42;
	assert_int_equal(encap_hi(&p, f), sizeof(VXLAN_V4));
	assert_memory_equal(f, VXLAN_V4, sizeof(VXLAN_V4));

	params(&p, WR_TUNNEL_GENEVE, true);
	p.opts = crit;
	p.n_opts = 1;
	assert_int_equal(encap_hi(&p, f), sizeof(GENEVE_V6));
	assert_memory_equal(f, GENEVE_V6, sizeof(GENEVE_V6));

	rx_conf(&c, WR_TUNNEL_VXLAN, false);
	assert_int_equal(decap(&c, VXLAN_V4, sizeof(VXLAN_V4), &out, &why), WR_TUN_DECAP);
	assert_int_equal(out.vni, 42);
	assert_int_equal(out.inner_off, 50);
	assert_int_equal(out.inner_len, 16);
	assert_int_equal(out.src_port, 53248);

	rx_conf(&c, WR_TUNNEL_GENEVE, true);
	expect("critical option, unknown", &c, GENEVE_V6, sizeof(GENEVE_V6), WR_DROP_GENEVE_CRITICAL);
	c.known[0].cls = 0x0102;
	c.known[0].type = 0x83;
	c.n_known = 1;
	assert_int_equal(decap(&c, GENEVE_V6, sizeof(GENEVE_V6), &out, &why), WR_TUN_DECAP);
	assert_int_equal(out.vni, 0x123456);
	assert_true(out.critical);
	assert_int_equal(out.n_opts, 1);
	assert_int_equal(out.opts_off, 70);
	assert_int_equal(out.opts_len, 8);
	assert_int_equal(out.inner_off, 78);
	assert_int_equal(out.inner_len, 16);
}

/* ------------------------------------------------------------ source ports */

static void test_sport(void **state)
{
	struct wr_tun_params p;
	struct wr_tun_hdr h;
	bool seen[2] = { false, false };
	uint32_t lo = 0xffff, hi = 0;

	(void)state;
	params(&p, WR_TUNNEL_VXLAN, false);
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	for (uint32_t i = 0; i < 100000; i++) {
		uint32_t hash = i * 0x9e3779b9u;
		uint16_t s = wr_tun_sport(&h, hash);

		assert_int_equal(s, wr_tun_sport(&h, hash));	/* stable */
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
	}
	assert_int_equal(wr_tun_sport(&h, 0), 49152);
	assert_int_equal(wr_tun_sport(&h, 0xffffffff), 65535);
	assert_true(lo < 49152 + 16 && hi > 65535 - 16);	/* the range is used, ends included */

	p.sport_min = 1000;
	p.sport_max = 1001;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	for (uint32_t i = 0; i < 1000; i++) {
		uint16_t s = wr_tun_sport(&h, i * 0x9e3779b9u);

		assert_true(s == 1000 || s == 1001);
		seen[s - 1000] = true;
	}
	assert_true(seen[0] && seen[1]);

	p.sport_min = p.sport_max = 4242;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_int_equal(wr_tun_sport(&h, 0xffffffff), 4242);
	p.sport_min = 1;
	p.sport_max = 65535;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_int_equal(wr_tun_sport(&h, 0xffffffff), 65535);
}

/* ------------------------------------------------------- what build refuses */

static void test_build_refuses(void **state)
{
	static const struct wr_geneve_opt odd[] = { { 1, 1, 6, OPT_DATA } };
	static const struct wr_geneve_opt huge[] = { { 1, 1, 128, OPT_DATA } };
	static const struct wr_geneve_opt no_data[] = { { 1, 1, 4, NULL } };
	static const struct wr_geneve_opt over[] = { { 1, 1, 44, OPT_DATA }, { 2, 2, 0, NULL } };
	struct wr_tun_params p;
	struct wr_tun_hdr h;

	(void)state;
	params(&p, WR_TUNNEL_GENEVE, true);
	p.vni = WR_VNI_LAST;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	p.vni = WR_VNI_LAST + 1;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);

	params(&p, WR_TUNNEL_GENEVE, true);
	p.opts = OPTS_FULL;		/* 48 bytes: the bound */
	p.n_opts = 1;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_true(h.len <= WR_TUN_HDR_MAX);
	p.opts = over;			/* 52 */
	p.n_opts = 2;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);
	p.opts = odd;
	p.n_opts = 1;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);
	p.opts = huge;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);
	p.opts = no_data;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);

	params(&p, WR_TUNNEL_VXLAN, false);
	p.opts = OPTS_ONE;		/* VXLAN has no options */
	p.n_opts = 1;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);

	params(&p, WR_TUNNEL_VXLAN, false);
	p.sport_min = 2000;
	p.sport_max = 1999;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);
	p.sport_min = 0;
	assert_int_equal(wr_tun_hdr_build(&p, &h), -EINVAL);
}

/* ---------------------------------------------------- what encap refuses */

static void test_encap_refuses(void **state)
{
	static uint8_t buf[BUF_SIZE];
	struct wr_tun_params p;
	struct wr_tun_hdr h;
	enum wr_drop why = WR_DROP_COUNT;

	(void)state;
	for (int type = WR_TUNNEL_VXLAN; type <= WR_TUNNEL_GENEVE; type++)
	for (int v6 = 0; v6 <= 1; v6++) {
		params(&p, (enum wr_tunnel_type)type, v6);
		if (type == WR_TUNNEL_GENEVE) {
			p.opts = OPTS_SOME;
			p.n_opts = 3;
		}
		assert_int_equal(wr_tun_hdr_build(&p, &h), 0);

		uint16_t tmtu = wr_tun_tenant_mtu(&h, 1500);
		unsigned want = 1500 - (v6 ? 70 : 50) - (type == WR_TUNNEL_GENEVE ? 32 : 0);

		assert_int_equal(tmtu, want);

		/* A tenant packet of its MTU fits an underlay of 1500; one byte more does not. */
		struct wr_pkt pkt = { .data = buf + WR_HEADROOM, .len = (uint16_t)(tmtu + 14) };

		assert_int_equal(wr_tun_encap(&h, &pkt, WR_HEADROOM, 1500, &why), 0);
		assert_int_equal(pkt.len, 1514);
		pkt = (struct wr_pkt){ .data = buf + WR_HEADROOM, .len = (uint16_t)(tmtu + 15) };
		assert_int_equal(wr_tun_encap(&h, &pkt, WR_HEADROOM, 1500, &why), -1);
		assert_int_equal(why, WR_DROP_TUN_TOO_BIG);
		reached[why] = true;
		assert_ptr_equal(pkt.data, buf + WR_HEADROOM);
		assert_int_equal(pkt.len, tmtu + 15);

		/* Headroom: exactly the header fits, a byte less does not. */
		pkt = (struct wr_pkt){ .data = buf + h.len, .len = 64 };
		assert_int_equal(wr_tun_encap(&h, &pkt, h.len, 1500, &why), 0);
		assert_ptr_equal(pkt.data, buf);
		pkt = (struct wr_pkt){ .data = buf + h.len, .len = 64 };
		why = WR_DROP_COUNT;
		assert_int_equal(wr_tun_encap(&h, &pkt, (uint16_t)(h.len - 1), 1500, &why), -1);
		assert_int_equal(why, WR_DROP_TUN_NO_HEADROOM);
		reached[why] = true;
		assert_ptr_equal(pkt.data, buf + h.len);
		assert_int_equal(pkt.len, 64);
	}
	assert_int_equal(wr_tun_tenant_mtu(&h, 50), 0);

	/* A frame whose outer length would not fit 16 bits, whatever the MTU says. */
	static uint8_t big[WR_HEADROOM + 65535];
	struct wr_pkt pkt = { .data = big + WR_HEADROOM, .len = 65535 - 20 };

	params(&p, WR_TUNNEL_VXLAN, false);
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_int_equal(wr_tun_encap(&h, &pkt, WR_HEADROOM, 65535, &why), -1);
	assert_int_equal(why, WR_DROP_TUN_TOO_BIG);
}

/* ------------------------------------------------------ crafted frames */

/* A frame as params() sends it, with a 64-byte inner frame (Geneve: OPTS_SOME). */
static unsigned base(enum wr_tunnel_type type, bool v6, uint8_t *f, struct layout *l)
{
	struct wr_tun_params p;

	params(&p, type, v6);
	if (type == WR_TUNNEL_GENEVE) {
		p.opts = OPTS_SOME;
		p.n_opts = 3;
	}

	unsigned n = encap(&p, 64, HASH, f);

	*l = layout_of(f, type == WR_TUNNEL_GENEVE);
	return n;
}

/* Insert @k bytes @b at @at of an @n-byte frame; the new length. */
static unsigned insert(uint8_t *f, unsigned n, unsigned at, const uint8_t *b, unsigned k)
{
	memmove(f + at + k, f + at, n - at);
	memcpy(f + at, b, k);
	return n + k;
}

/* An IPv6 extension header of 8 bytes (@nh: its type) put before the UDP header. */
static unsigned add_ext(uint8_t *f, unsigned n, const struct layout *l, uint8_t nh,
			const uint8_t ext[8])
{
	uint8_t *ip = f + l->l3;

	ip[6] = nh;
	put16(ip + 4, (uint16_t)(get16(ip + 4) + 8));
	return insert(f, n, l->l4, ext, 8);
}

static uint8_t frame[512];

/* The state of tests of crafted VXLAN frames: the IPv4 receiver of params(). */
static int vxlan_setup(void **state)
{
	static struct wr_tun_rx_conf c;

	rx_conf(&c, WR_TUNNEL_VXLAN, false);
	*state = &c;
	return 0;
}

static void test_outer_drops(void **state)
{
	uint8_t *f = frame;
	struct layout l;
	struct wr_tun_rx_conf c4 = *(struct wr_tun_rx_conf *)state[0], c6 = c4;
	unsigned n;

	c6.ipv6 = true;
	memcpy(c6.local_ip, V6_B, 16);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	expect("sound", &c4, f, n, DECAP);
	expect("10 bytes", &c4, f, 10, WR_DROP_TUN_RUNT);
	expect("Ethernet header alone", &c4, f, 14, WR_DROP_TUN_RUNT);

	f[l.l3] = 0x55, fix_csums(f, &l);
	expect("IPv4 version 5", &c4, f, n, WR_DROP_TUN_BAD_IP);
	f[l.l3] = 0x44, fix_csums(f, &l);
	expect("IHL 4", &c4, f, n, WR_DROP_TUN_BAD_IP);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	put16(f + l.l3 + 2, 19), fix_csums(f, &l);
	expect("total length under the header's", &c4, f, n, WR_DROP_TUN_BAD_IP);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[l.l3 + 10] ^= 1;
	expect("IPv4 header checksum", &c4, f, n, WR_DROP_TUN_BAD_IP);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	put16(f + l.l3 + 2, (uint16_t)(n - l.l3 + 1)), fix_csums(f, &l);
	expect("total length past the frame", &c4, f, n, WR_DROP_TUN_RUNT);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[l.l3 + 6] |= 0x20, fix_csums(f, &l);
	expect("first fragment (MF)", &c4, f, n, WR_DROP_TUN_FRAGMENT);
	put16(f + l.l3 + 6, 0x0001), fix_csums(f, &l);
	expect("later fragment", &c4, f, n, NOT_MINE);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	put16(f + l.l4 + 4, 7), fix_csums(f, &l);
	expect("UDP length 7", &c4, f, n, WR_DROP_TUN_BAD_UDP);
	put16(f + l.l4 + 4, (uint16_t)(n - l.l4 + 1));
	expect("UDP length past IP's", &c4, f, n, WR_DROP_TUN_BAD_UDP);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[n - 1] ^= 0x40;
	expect("UDP checksum", &c4, f, n, WR_DROP_TUN_UDP_CSUM);
	c4.verify_udp_csum = false;
	expect("UDP checksum not verified", &c4, f, n, DECAP);
	c4.verify_udp_csum = true;
	put16(f + l.l4 + 6, 0);
	expect("IPv4, no UDP checksum", &c4, f, n, DECAP);

	/* IPv4 options (4 NOPs): skipped; the UDP checksum does not cover them. */
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	n = insert(f, n, l.l4, (const uint8_t[]){ 1, 1, 1, 1 }, 4);
	f[l.l3] = 0x46;
	put16(f + l.l3 + 2, (uint16_t)(n - l.l3));
	put16(f + l.l3 + 10, 0);
	put16(f + l.l3 + 10, (uint16_t)~ref_sum(f + l.l3, 24, 0));
	{
		struct wr_tun_rx out;
		enum wr_drop why;

		assert_int_equal(decap(&c4, f, n, &out, &why), WR_TUN_DECAP);
		assert_int_equal(out.inner_off, l.inner + 4);
		assert_int_equal(out.inner_len, 64);
		f[l.l3 + 21] = 0;	/* an option byte: the header checksum covers it */
		expect("IPv4 options, header checksum", &c4, f, n, WR_DROP_TUN_BAD_IP);
	}

	/* Ethernet padding after the IP packet is not the inner frame's. */
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	memset(f + n, 0xee, 10);
	{
		struct wr_tun_rx out;
		enum wr_drop why;

		assert_int_equal(decap(&c4, f, n + 10, &out, &why), WR_TUN_DECAP);
		assert_int_equal(out.inner_len, 64);
	}

	/* IPv6 */
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	expect("IPv6 sound", &c6, f, n, DECAP);
	f[l.l3] = 0x40;
	expect("IPv6 version 4", &c6, f, n, WR_DROP_TUN_BAD_IP);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	put16(f + l.l4 + 6, 0);
	expect("IPv6, no UDP checksum", &c6, f, n, WR_DROP_TUN_UDP_CSUM);
	c6.udp6_zero_csum = true;
	expect("IPv6, no UDP checksum, allowed", &c6, f, n, DECAP);
	c6.udp6_zero_csum = false;
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	put16(f + l.l3 + 4, (uint16_t)(n - l.l4 + 2));
	expect("IPv6 payload length past the frame", &c6, f, n, WR_DROP_TUN_RUNT);
}

static void test_ipv6_ext(void **state)
{
	static const uint8_t DSTOPTS[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };	/* PadN */
	static const uint8_t FRAG_FIRST[8] = { 17, 0, 0x00, 0x01, 0, 0, 0, 7 };
	static const uint8_t FRAG_LATER[8] = { 17, 0, 0x00, 0x18, 0, 0, 0, 7 };
	static const uint8_t HOP_ICMP[8] = { 58, 0, 1, 4, 0, 0, 0, 0 };
	static const uint8_t HOP_LONG[8] = { 17, 3, 1, 4, 0, 0, 0, 0 };	/* says 32 bytes */
	uint8_t f[512];
	struct layout l;
	struct wr_tun_rx_conf c;
	unsigned n;

	(void)state;
	rx_conf(&c, WR_TUNNEL_VXLAN, true);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	n = add_ext(f, n, &l, 60, DSTOPTS);
	expect("destination options, then the tunnel's port", &c, f, n, WR_DROP_TUN_IPV6_EXT);
	put16(f + l.l4 + 8 + 2, 53);
	expect("destination options, then another port", &c, f, n, NOT_MINE);

	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	n = add_ext(f, n, &l, 44, FRAG_FIRST);
	expect("first fragment", &c, f, n, WR_DROP_TUN_FRAGMENT);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	n = add_ext(f, n, &l, 44, FRAG_LATER);
	expect("later fragment", &c, f, n, NOT_MINE);

	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	n = add_ext(f, n, &l, 0, HOP_ICMP);
	expect("hop-by-hop, then ICMPv6", &c, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	n = add_ext(f, n, &l, 0, HOP_LONG);
	put16(f + l.l3 + 4, 16);
	expect("hop-by-hop longer than the payload", &c, f, l.l4 + 16, WR_DROP_TUN_RUNT);
	put16(f + l.l3 + 4, 4);
	expect("hop-by-hop cut", &c, f, l.l4 + 4, WR_DROP_TUN_RUNT);
	put16(f + l.l3 + 4, 12);
	f[l.l4 + 1] = 0;
	expect("hop-by-hop, UDP header cut", &c, f, l.l4 + 12, WR_DROP_TUN_RUNT);

	/* Nine destination options headers: past the walk's bound, the kernel's. */
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	for (int i = 0; i < 9; i++) {
		n = add_ext(f, n, &l, 60, i ? (const uint8_t[8]){ 60, 0, 1, 4 } : DSTOPTS);
	}
	expect("nine extension headers", &c, f, n, NOT_MINE);
}

static void test_not_mine(void **state)
{
	uint8_t *f = frame;
	struct layout l;
	struct wr_tun_rx_conf c4 = *(struct wr_tun_rx_conf *)state[0], c6 = c4;
	unsigned n;

	c6.ipv6 = true;
	memcpy(c6.local_ip, V6_B, 16);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	put16(f + 12, 0x0806);
	expect("ARP", &c4, f, n, NOT_MINE);
	expect("ARP, short", &c4, f, 20, NOT_MINE);
	put16(f + 12, 0x88a8);
	expect("802.1ad outer tag", &c4, f, n, NOT_MINE);

	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	expect("IPv4 to an IPv6 tunnel", &c6, f, n, NOT_MINE);
	f[l.l3 + 9] = 6, fix_csums(f, &l);
	expect("TCP", &c4, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	put16(f + l.l4 + 2, 53), fix_csums(f, &l);
	expect("another UDP port", &c4, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[l.l3 + 19] = 3, fix_csums(f, &l);
	expect("another address", &c4, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[l.l3 + 6] |= 0x20, put16(f + l.l4 + 2, 53), fix_csums(f, &l);
	expect("first fragment to another port", &c4, f, n, NOT_MINE);

	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	expect("IPv6 to an IPv4 tunnel", &c4, f, n, NOT_MINE);
	f[l.l3 + 6] = 58;
	expect("ICMPv6 (ND)", &c6, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	f[l.l3 + 39] = 9;
	expect("another IPv6 address", &c6, f, n, NOT_MINE);
	n = base(WR_TUNNEL_VXLAN, true, f, &l);
	put16(f + l.l4 + 2, 4790), fix_csums(f, &l);
	expect("another UDP port over IPv6", &c6, f, n, NOT_MINE);

	/* The kernel's old port: 8472 when configured, and then only it. */
	struct wr_tun_params p;

	params(&p, WR_TUNNEL_VXLAN, false);
	p.dst_port = 8472;
	n = encap(&p, 64, HASH, f);
	expect("8472 to a 4789 tunnel", &c4, f, n, NOT_MINE);
	c4.dst_port = 8472;
	expect("8472 to an 8472 tunnel", &c4, f, n, DECAP);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	expect("4789 to an 8472 tunnel", &c4, f, n, NOT_MINE);
}

static void test_vlan_underlay(void **state)
{
	static const uint8_t TAG[4] = { 0x81, 0x00, 0x20, 0x64 };	/* PCP 1, VID 100 */
	uint8_t f[512];
	struct layout l;
	struct wr_tun_rx_conf c;
	struct wr_tun_rx out;
	enum wr_drop why;
	unsigned n;

	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		rx_conf(&c, WR_TUNNEL_GENEVE, v6);
		n = base(WR_TUNNEL_GENEVE, v6, f, &l);
		n = insert(f, n, 12, TAG, 4);
		assert_int_equal(decap(&c, f, n, &out, &why), WR_TUN_DECAP);
		assert_int_equal(out.vlan, 100);
		assert_int_equal(out.inner_off, l.inner + 4);
		assert_int_equal(out.inner_len, 64);
		assert_int_equal(out.n_opts, 3);
		expect("tag cut", &c, f, 17, WR_DROP_TUN_RUNT);
		expect("tag alone", &c, f, 18, WR_DROP_TUN_RUNT);
	}
}

static void test_tunnel_headers(void **state)
{
	uint8_t f[512];
	struct layout l;
	struct wr_tun_rx_conf c;
	struct wr_tun_rx out;
	enum wr_drop why;
	unsigned n;

	(void)state;
	rx_conf(&c, WR_TUNNEL_VXLAN, false);
	n = base(WR_TUNNEL_VXLAN, false, f, &l);
	f[l.tun] = 0, fix_csums(f, &l);
	expect("VXLAN without I", &c, f, n, WR_DROP_VXLAN_FLAGS);
	f[l.tun] = 0xff, f[l.tun + 1] = 0xff, f[l.tun + 3] = 0xff, f[l.tun + 7] = 0xff;
	fix_csums(f, &l);
	assert_int_equal(decap(&c, f, n, &out, &why), WR_TUN_DECAP);	/* RFC 7348: ignored */
	assert_int_equal(out.vni, 0x123456);

	rx_conf(&c, WR_TUNNEL_GENEVE, false);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	expect("Geneve sound", &c, f, n, DECAP);
	f[l.tun] |= 0x40, fix_csums(f, &l);
	expect("Geneve version 1", &c, f, n, WR_DROP_GENEVE_VERSION);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun] |= 0x3f, fix_csums(f, &l);
	expect("options longer than the datagram", &c, f, n, WR_DROP_GENEVE_OPT_LEN);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun + 8 + 3] = 0x1f, fix_csums(f, &l);
	expect("an option past the options", &c, f, n, WR_DROP_GENEVE_OPT_LEN);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun] = (uint8_t)((f[l.tun] & 0xc0) | 3), fix_csums(f, &l);	/* 12 of 32 bytes */
	expect("options length inside an option", &c, f, n, WR_DROP_GENEVE_OPT_LEN);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun] = (uint8_t)((f[l.tun] & 0xc0) | 1), fix_csums(f, &l);	/* the first alone */
	assert_int_equal(decap(&c, f, n, &out, &why), WR_TUN_DECAP);
	assert_int_equal(out.n_opts, 1);
	assert_int_equal(out.opts_len, 4);
	assert_int_equal(out.inner_off, l.tun + 12);
	assert_int_equal(out.inner_len, n - l.tun - 12);

	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun + 1] |= 0x80, fix_csums(f, &l);
	expect("Geneve O bit", &c, f, n, WR_DROP_GENEVE_OAM);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	f[l.tun + 1] |= 0x3f, fix_csums(f, &l);
	expect("Geneve reserved bits", &c, f, n, DECAP);
	n = base(WR_TUNNEL_GENEVE, false, f, &l);
	put16(f + l.tun + 2, 0x0800), fix_csums(f, &l);
	expect("Geneve carrying IPv4", &c, f, n, WR_DROP_GENEVE_PROTO);

	/* Too short an inner frame, for both. */
	for (int type = WR_TUNNEL_VXLAN; type <= WR_TUNNEL_GENEVE; type++) {
		struct wr_tun_params p;

		params(&p, (enum wr_tunnel_type)type, false);
		rx_conf(&c, (enum wr_tunnel_type)type, false);
		n = encap(&p, 13, HASH, f);
		expect("inner frame of 13 bytes", &c, f, n, WR_DROP_TUN_INNER_RUNT);
		n = encap(&p, 14, HASH, f);
		expect("inner frame of 14 bytes", &c, f, n, DECAP);
	}
}

/* Critical options: dropped unless the receiver knows them; others pass whatever they are. */
static void test_geneve_critical(void **state)
{
	static const struct wr_geneve_opt mixed[] = {
		{ 0x0102, 0x03, 4, OPT_DATA }, { 0xff01, 0x80, 0, NULL }, { 0x0001, 0x7f, 8, OPT_DATA },
	};
	struct wr_tun_params p;
	struct wr_tun_hdr h;
	struct wr_tun_rx_conf c;
	struct wr_tun_rx out;
	enum wr_drop why;
	uint8_t f[512];
	unsigned n;

	(void)state;
	params(&p, WR_TUNNEL_GENEVE, false);
	p.opts = mixed;
	p.n_opts = 3;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_int_equal(h.bytes[h.l4_off + 8 + 1], 0x40);	/* C */
	n = encap(&p, 64, HASH, f);

	rx_conf(&c, WR_TUNNEL_GENEVE, false);
	expect("unknown critical option", &c, f, n, WR_DROP_GENEVE_CRITICAL);
	c.known[0].cls = 0xff01;
	c.known[0].type = 0x00;		/* the same option without its critical bit: not it */
	c.n_known = 1;
	expect("known, but not as critical", &c, f, n, WR_DROP_GENEVE_CRITICAL);
	c.known[1].cls = 0xff01;
	c.known[1].type = 0x80;
	c.n_known = 2;
	assert_int_equal(decap(&c, f, n, &out, &why), WR_TUN_DECAP);
	assert_true(out.critical);
	assert_int_equal(out.n_opts, 3);

	/* The options span, walked by the caller as decap did. */
	struct wr_geneve_opt o;
	uint16_t at = 0;

	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(wr_geneve_opt_next(f + out.opts_off, out.opts_len, &at, &o), 1);
		assert_int_equal(o.cls, mixed[i].cls);
		assert_int_equal(o.type, mixed[i].type);
		assert_int_equal(o.len, mixed[i].len);
		if (o.len)
			assert_memory_equal(o.data, mixed[i].data, o.len);
	}
	assert_int_equal(wr_geneve_opt_next(f + out.opts_off, out.opts_len, &at, &o), 0);
	at = 0;
	assert_int_equal(wr_geneve_opt_next(f + out.opts_off, 9, &at, &o), 1);
	assert_int_equal(wr_geneve_opt_next(f + out.opts_off, 9, &at, &o), -1);

	/* No critical option: no C bit; a critical bit without the C bit still counts. */
	p.opts = OPTS_SOME;
	assert_int_equal(wr_tun_hdr_build(&p, &h), 0);
	assert_int_equal(h.bytes[h.l4_off + 8 + 1], 0);
	n = encap(&p, 64, HASH, f);
	c.n_known = 0;
	assert_int_equal(decap(&c, f, n, &out, &why), WR_TUN_DECAP);
	assert_false(out.critical);
	struct layout l = layout_of(f, true);

	f[l.tun + 8 + 2] |= 0x80, fix_csums(f, &l);
	expect("critical bit, no C bit", &c, f, n, WR_DROP_GENEVE_CRITICAL);
}

/* ------------------------------------------------------------------ cuts */

/* What a frame cut to @n bytes, its lengths fixed, must give. */
static int cut_verdict(const struct layout *l, unsigned n)
{
	if (n < l->tun + 8)
		return WR_DROP_TUN_RUNT;
	if (n < l->inner)
		return WR_DROP_GENEVE_OPT_LEN;
	if (n < l->inner + 14)
		return WR_DROP_TUN_INNER_RUNT;
	return DECAP;
}

static void test_cuts(void **state)
{
	static uint8_t f[BUF_SIZE], g[BUF_SIZE];
	unsigned n_cuts = 0;

	(void)state;
	for (int type = WR_TUNNEL_VXLAN; type <= WR_TUNNEL_GENEVE; type++)
	for (int v6 = 0; v6 <= 1; v6++)
	for (int tag = 0; tag <= 1; tag++) {
		struct wr_tun_rx_conf c;
		struct layout l;
		unsigned n = base((enum wr_tunnel_type)type, v6, f, &l);
		char what[64];

		if (tag) {
			n = insert(f, n, 12, (const uint8_t[]){ 0x81, 0, 0, 7 }, 4);
			l = layout_of(f, type == WR_TUNNEL_GENEVE);
		}
		rx_conf(&c, (enum wr_tunnel_type)type, v6);
		expect("whole", &c, f, n, DECAP);
		for (unsigned k = 0; k < n; k++) {
			snprintf(what, sizeof(what), "type %d v6 %d tag %d, cut to %u", type, v6, tag, k);
			expect(what, &c, f, k, WR_DROP_TUN_RUNT);
			memcpy(g, f, n);
			fix_lengths(g, k, &l);
			snprintf(what, sizeof(what), "type %d v6 %d tag %d, fixed to %u", type, v6, tag, k);
			expect(what, &c, g, k, cut_verdict(&l, k));
			n_cuts++;
		}
	}
	assert_true(n_cuts > 8 * 100);
}

/* Every tunnel drop reason was reached by some frame above. */
static void test_every_reason(void **state)
{
	(void)state;
	for (int r = WR_DROP_TUN_RUNT; r <= WR_DROP_TUN_TOO_BIG; r++)
		if (!reached[r])
			fail_msg("drop reason %s reached by no test", wr_drop_name((enum wr_drop)r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_known_frames),
		cmocka_unit_test(test_sport),
		cmocka_unit_test(test_build_refuses),
		cmocka_unit_test(test_encap_refuses),
		cmocka_unit_test_setup(test_outer_drops, vxlan_setup),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test_setup(test_not_mine, vxlan_setup),
		cmocka_unit_test(test_vlan_underlay),
		cmocka_unit_test(test_tunnel_headers),
		cmocka_unit_test(test_geneve_critical),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_every_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
