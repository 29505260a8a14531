/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_parse.c - the parse stage: crafted frames in, parsed fields, drops
 * and events out; every frame of a set cut at every length (as it is, and
 * with its length fields fixed to match) parses without reading past its
 * end (each frame sits in a heap block of exactly its size, for ASan) and
 * with the verdict its bytes call for; the flow hash; drop/event names.
 */
#include <ctype.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stage_priv.h"
#include "frames.h"

#define KEPT	(-1)
#define F_L3	WR_PKT_F_L3
#define F_L4	WR_PKT_F_L4
#define F_TAG	WR_PKT_F_TAGGED

static const uint8_t SRC_MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t SRC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t SRC_ZERO[6] = { 0 };
static const uint8_t SRC_LOCAL_MCAST[6] = { 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t SRC_LOW[6] = { 0x00, 0x00, 0x00, 0x00, 0x12, 0x34 };
static const uint8_t SRC_HIGH[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };

/* ------------------------------------------------------------ the harness */

static uint64_t drops[WR_DROP_COUNT];
static uint64_t events[WR_EVENT_COUNT];
static struct wr_pkt *dropped[WR_VEC_MAX];

static struct wr_stage_ctx new_ctx(void)
{
	memset(drops, 0, sizeof(drops));
	memset(events, 0, sizeof(events));
	memset(dropped, 0, sizeof(dropped));
	return (struct wr_stage_ctx){ drops, events, dropped, 0 };
}

/* What one frame came out as. */
struct verdict {
	int drop;		/* KEPT or enum wr_drop */
	bool bad;		/* L3_MALFORMED counted */
	struct wr_pkt p;
};

/*
 * Parse @len bytes of @frame alone, from a heap block of exactly @len
 * bytes; check the stage's bookkeeping and that the bytes are untouched.
 */
static struct verdict parse1(const char *what, const uint8_t *frame, uint16_t len)
{
	struct wr_stage_ctx c = new_ctx();
	struct verdict v;
	uint8_t *buf = malloc(len);
	struct wr_pkt p, *vec[1] = { &p };

	if (len && !buf)
		fail_msg("%s: no memory", what);
	if (len)
		memcpy(buf, frame, len);
	memset(&p, 0x5a, sizeof(p));	/* every field the stage owns must be written */
	p.data = buf;
	p.len = len;
	p.in_port = 3;
	p.bd = 7;

	uint16_t n = wr_stage_parse(&c, vec, 1);

	if (n > 1)
		fail_msg("%s: stage returned %u of 1", what, n);
	if (p.data != buf || p.len != len || p.in_port != 3 || p.bd != 7)
		fail_msg("%s: descriptor fields not the stage's changed", what);
	if (len && memcmp(buf, frame, len) != 0)
		fail_msg("%s: parse wrote into the frame", what);

	uint64_t n_drops = 0;

	for (int i = 0; i < WR_DROP_COUNT; i++)
		n_drops += drops[i];
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		if (i != WR_EVENT_L3_MALFORMED && events[i])
			fail_msg("%s: event %s counted", what, wr_event_name((enum wr_event)i));
	if (n == 1) {
		if (n_drops || c.n_dropped)
			fail_msg("%s: kept but counted as dropped", what);
		if (p.hash != wr_flow_hash(&p))
			fail_msg("%s: hash %08x, wr_flow_hash says %08x", what, p.hash,
				 wr_flow_hash(&p));
		v.drop = KEPT;
	} else {
		if (c.n_dropped != 1 || dropped[0] != &p || p.out_port != WR_OUT_DROP ||
		    p.drop >= WR_DROP_COUNT || drops[p.drop] != 1 || n_drops != 1)
			fail_msg("%s: dropped frame not handed over and counted once", what);
		if (events[WR_EVENT_L3_MALFORMED])
			fail_msg("%s: dropped and counted malformed", what);
		v.drop = p.drop;
	}
	if (events[WR_EVENT_L3_MALFORMED] > 1)
		fail_msg("%s: malformed counted %lu times", what,
			 (unsigned long)events[WR_EVENT_L3_MALFORMED]);
	v.bad = events[WR_EVENT_L3_MALFORMED] == 1;
	v.p = p;
	free(buf);
	return v;
}

/* What a frame should come out as. */
struct want {
	int drop;
	bool bad;
	uint16_t et, tpid, vlan;
	uint8_t n_tags, flags, proto;
	uint16_t l3, l4;
};

static const char *drop_str(int d)
{
	return d == KEPT ? "kept" : wr_drop_name((enum wr_drop)d);
}

static void check(const char *what, const struct verdict *v, const struct want *w)
{
	const struct wr_pkt *p = &v->p;

	if (v->drop != w->drop)
		fail_msg("%s: %s, want %s", what, drop_str(v->drop), drop_str(w->drop));
	if (v->bad != w->bad)
		fail_msg("%s: malformed %d, want %d", what, v->bad, w->bad);
#define EQ(field, want)								\
	do {									\
		if ((long)(p->field) != (long)(want))				\
			fail_msg("%s: " #field " 0x%lx, want 0x%lx", what,	\
				 (long)(p->field), (long)(want));		\
	} while (0)
	EQ(ethertype, w->et);
	EQ(outer_tpid, w->tpid);
	EQ(vlan, w->vlan);
	EQ(n_tags, w->n_tags);
	EQ(flags, w->flags);
	EQ(l4_proto, w->proto);
	EQ(l3_off, w->l3);
	EQ(l4_off, w->l4);
	if (w->drop != KEPT)
		EQ(hash, 0);
#undef EQ
}

/* ----------------------------------------------------------- the frames */

static void b_ipv4_udp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0x4000);
	fb_udp(f, 1000, 2000, 18, 0);
	fb_ip_done(f);
}

static void b_ipv4_tcp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_TCP, 5, 0);
	fb_tcp(f, 40000, 80, 5, 10);
	fb_ip_done(f);
}

static void b_ipv4_opts_tcp_opts(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_TCP, 7, 0);
	fb_tcp(f, 40000, 443, 8, 0);
	fb_ip_done(f);
}

static void b_ipv4_ihl15_udp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 15, 0);
	fb_udp(f, 53, 53, 4, 0);
	fb_ip_done(f);
}

static void b_ipv4_icmp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_ICMP, 5, 0);
	fb_l4_other(f, 16);
	fb_ip_done(f);
}

/* 14 + 20 + 8 + 6 = 48 bytes of datagram, padded to 60 with junk. */
static void b_ipv4_padded(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 7, 9, 6, 0);
	fb_ip_done(f);
	fb_fill(f, 0xee, 60 - f->n);
}

/* First fragment: the UDP length is the whole datagram's, longer than this. */
static void b_ipv4_frag_first(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0x2000);
	fb_udp(f, 5000, 6000, 24, 3000);
	fb_ip_done(f);
}

static void b_ipv4_frag_mid(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0x2000 | 185);
	fb_fill(f, 0x11, 40);	/* looks like nothing; not a UDP header */
	fb_ip_done(f);
}

static void b_ipv4_frag_last(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_TCP, 5, 370);
	fb_fill(f, 0x11, 3);	/* shorter than any TCP header: not read */
	fb_ip_done(f);
}

/* The highest offset bit alone (offset 4096 * 8): still not the first. */
static void b_ipv4_frag_far(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0x1000);
	fb_fill(f, 0x11, 2);
	fb_ip_done(f);
}

/* A middle fragment whose data happens to look like a UDP header. */
static void b_ipv4_frag_mid_udpish(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0x2000 | 100);
	fb_be16(f, 53);
	fb_be16(f, 53);
	fb_be16(f, 16);
	fb_be16(f, 0);
	fb_fill(f, 0, 8);
	fb_ip_done(f);
}

/* Not IPv4, with a sound IPv4/UDP header right behind the ethertype. */
static void b_ipv4_lookalike(struct fb *f, bool tagged)
{
	fb_eth(f, FB_SRC);
	if (tagged)
		fb_tag(f, 0x8100, 5);
	fb_et(f, 0x88b5);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1, 2, 4, 0);
	fb_ip_done(f);
	f->ipver = 0;	/* to the parser it is payload */
	f->l3 = 0;
}

static void b_lookalike(struct fb *f)
{
	b_ipv4_lookalike(f, false);
}

static void b_lookalike_tagged(struct fb *f)
{
	b_ipv4_lookalike(f, true);
}

static void b_ipv4_ihl4(struct fb *f)
{
	b_ipv4_udp(f);
	f->b[14] = 0x44;
}

/* IHL 4 on ICMP: nothing after the header would show it up. */
static void b_ipv4_ihl4_icmp(struct fb *f)
{
	b_ipv4_icmp(f);
	f->b[14] = 0x44;
}

static void b_ipv4_ihl0_icmp(struct fb *f)
{
	b_ipv4_icmp(f);
	f->b[14] = 0x40;
}

static void b_ipv4_ihl_beyond(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1, 2, 0, 0);
	fb_ip_done(f);
	f->b[14] = 0x4f;	/* 60 bytes of header in a 28-byte datagram */
	set_be16(f->b + 16, 60);	/* and a total length that allows it: beyond the frame */
}

static void b_ipv4_tot_beyond(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 16, (uint16_t)(get_be16(f->b + 16) + 1));
}

static void b_ipv4_tot_below_hl(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 16, 19);
}

static void b_ipv4_ver6(struct fb *f)
{
	b_ipv4_udp(f);
	f->b[14] = 0x65;
}

static void b_ipv4_ver0(struct fb *f)
{
	b_ipv4_udp(f);
	f->b[14] = 0x05;
}

static void b_ipv4_hdr_cut(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_ip_done(f);
	f->n = 14 + 19;
}

/* The IP total length leaves 4 bytes for UDP; the frame has more (padding). */
static void b_ipv4_udp_cut(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 16, 24);
}

static void b_ipv4_udp_len7(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 34 + 4, 7);
}

static void b_ipv4_udp_len_beyond(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 34 + 4, 8 + 18 + 1);
}

/* A UDP length shorter than the IP payload is fine (trailing bytes). */
static void b_ipv4_udp_len_short(struct fb *f)
{
	b_ipv4_udp(f);
	set_be16(f->b + 34 + 4, 8);
}

static void b_ipv4_tcp_doff4(struct fb *f)
{
	b_ipv4_tcp(f);
	f->b[34 + 12] = 4 << 4;
}

/* 60 bytes of TCP header claimed, 30 in the datagram. */
static void b_ipv4_tcp_doff_beyond(struct fb *f)
{
	b_ipv4_tcp(f);
	f->b[34 + 12] = 15 << 4;
}

static void b_ipv4_tcp_cut(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_TCP, 5, 0);
	fb_tcp(f, 1, 2, 5, 0);
	f->n--;			/* 19 bytes of TCP */
	fb_ip_done(f);
}

static void b_vlan_ipv4_udp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 5 << 13 | 100);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1000, 2000, 18, 0);
	fb_ip_done(f);
}

static void b_vlan_ipv4_icmp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 42);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_ICMP, 6, 0);
	fb_l4_other(f, 8);
	fb_ip_done(f);
}

static void b_prio_tagged(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 3 << 13);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1000, 2000, 18, 0);
	fb_ip_done(f);
}

static void b_vid4095(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 0x0fff);
	fb_et(f, 0x0806);
	fb_fill(f, 0, 28);
}

static void b_qinq_ipv6_exts_udp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x88a8, 200);
	fb_tag(f, 0x8100, 300);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	fb_opts6(f, 60, 0);
	fb_opts6(f, 43, 1);
	fb_opts6(f, 51, 0);
	fb_ah6(f, IPPROTO_UDP, 4);
	fb_udp(f, 4789, 4789, 30, 0);
	fb_ip_done(f);
}

static void b_qq_ipv4(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 10);
	fb_tag(f, 0x8100, 20);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_TCP, 5, 0);
	fb_tcp(f, 1, 2, 5, 0);
	fb_ip_done(f);
}

static void b_triple(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x88a8, 10);
	fb_tag(f, 0x8100, 20);
	fb_tag(f, 0x8100, 30);
	fb_be16(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1, 2, 0, 0);
	fb_ip_done(f);
	/* The parse stops at the third TPID: not an IP frame to it. */
	f->tags_end = 22;
	f->ipver = 0;
}

/* An S-tag inside an S-tag is not opened: 0x88a8 is the ethertype. */
static void b_sts(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x88a8, 10);
	fb_tag(f, 0x88a8, 20);
	fb_be16(f, 0x0800);
	fb_fill(f, 0, 20);
}

static void b_tag_cut0(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_be16(f, 0x8100);
}

static void b_tag_cut2(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x8100, 10);
	f->n -= 2;
}

static void b_inner_cut0(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x88a8, 10);
	fb_be16(f, 0x8100);
}

static void b_inner_cut3(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_tag(f, 0x88a8, 10);
	fb_tag(f, 0x8100, 20);
	f->n--;
}

static void b_runt13(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_u8(f, 0x08);
}

static void b_empty(struct fb *f)
{
	(void)f;
}

static void b_src(struct fb *f, const uint8_t src[6])
{
	fb_eth(f, src);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	fb_udp(f, 1, 2, 18, 0);
	fb_ip_done(f);
}

static void b_src_mcast(struct fb *f)
{
	b_src(f, SRC_MCAST);
}

static void b_src_bcast(struct fb *f)
{
	b_src(f, SRC_BCAST);
}

static void b_src_zero(struct fb *f)
{
	b_src(f, SRC_ZERO);
}

static void b_src_local_mcast(struct fb *f)
{
	b_src(f, SRC_LOCAL_MCAST);
}

/* Zero but for its last bytes: a fine source. */
static void b_src_low(struct fb *f)
{
	b_src(f, SRC_LOW);
}

static void b_src_low_arp(struct fb *f)
{
	fb_eth(f, SRC_LOW);
	fb_et(f, 0x0806);
	fb_fill(f, 0x42, 28);
}

static void b_src_high(struct fb *f)
{
	b_src(f, SRC_HIGH);
}

static void b_src_high_arp(struct fb *f)
{
	fb_eth(f, SRC_HIGH);
	fb_et(f, 0x0806);
	fb_fill(f, 0x42, 28);
}

/* A multicast source in a runt is still a runt. */
static void b_src_mcast_runt(struct fb *f)
{
	fb_eth(f, SRC_MCAST);
	fb_u8(f, 0x08);
}

/* A multicast destination is fine. */
static void b_dst_mcast(struct fb *f)
{
	b_ipv4_udp(f);
	f->b[0] = 0x01;
}

static void b_arp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0806);
	fb_fill(f, 0x42, 28);
	fb_fill(f, 0, 18);
}

static void b_bare14(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x88cc);
}

static void b_bare14_ipv4(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x0800);
}

static void b_ipv6_udp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, IPPROTO_UDP);
	fb_udp(f, 546, 547, 12, 0);
	fb_ip_done(f);
}

static void b_ipv6_tcp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, IPPROTO_TCP);
	fb_tcp(f, 22, 50000, 10, 5);
	fb_ip_done(f);
}

static void b_ipv6_icmp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 58);
	fb_l4_other(f, 8);
	fb_ip_done(f);
}

static void b_ipv6_hbh(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	fb_opts6(f, IPPROTO_UDP, 0);
	fb_udp(f, 1, 2, 0, 0);
	fb_ip_done(f);
}

static void b_ipv6_routing(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 43);
	fb_opts6(f, IPPROTO_TCP, 2);
	fb_tcp(f, 1, 2, 5, 0);
	fb_ip_done(f);
}

static void b_ipv6_dstopts(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 60);
	fb_opts6(f, IPPROTO_UDP, 1);
	fb_udp(f, 1, 2, 3, 0);
	fb_ip_done(f);
}

static void b_ipv6_ah(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 51);
	fb_ah6(f, IPPROTO_UDP, 4);
	fb_udp(f, 1, 2, 3, 0);
	fb_ip_done(f);
}

static void b_ipv6_frag_first(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 44);
	fb_frag6(f, IPPROTO_UDP, 0, true);
	fb_udp(f, 1, 2, 16, 4000);
	fb_ip_done(f);
}

static void b_ipv6_frag_mid(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 44);
	fb_frag6(f, IPPROTO_UDP, 100, true);
	fb_fill(f, 0x11, 4);
	fb_ip_done(f);
}

/* Hop-by-hop, then a last fragment behind destination options. */
static void b_ipv6_frag_last(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	fb_opts6(f, 60, 0);
	fb_opts6(f, 44, 0);
	fb_frag6(f, IPPROTO_TCP, 2, false);
	fb_fill(f, 0x11, 4);
	fb_ip_done(f);
}

static void b_ipv6_esp(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 60);
	fb_opts6(f, 50, 0);
	fb_l4_other(f, 24);
	fb_ip_done(f);
}

static void b_ipv6_nonext(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 59);
	fb_l4_other(f, 0);
	fb_ip_done(f);
}

static void b_ipv6_nonext_padded(struct fb *f)
{
	b_ipv6_nonext(f);
	fb_fill(f, 0xee, 6);
}

/* Every kind of extension header in one chain, then UDP. */
static void b_ipv6_all_exts(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	fb_opts6(f, 60, 0);
	fb_opts6(f, 43, 1);
	fb_opts6(f, 44, 0);
	fb_frag6(f, 51, 0, false);	/* atomic fragment: offset 0, no more */
	fb_ah6(f, 60, 1);
	fb_opts6(f, IPPROTO_UDP, 2);
	fb_udp(f, 1, 2, 5, 0);
	fb_ip_done(f);
}

/* @n destination-option headers (the hop-by-hop-like kind), then UDP. */
static void b_ipv6_chain(struct fb *f, int n)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 60);
	for (int i = 0; i < n; i++)
		fb_opts6(f, i == n - 1 ? IPPROTO_UDP : 60, 0);
	fb_udp(f, 1, 2, 0, 0);
	fb_ip_done(f);
}

static void b_ipv6_chain8(struct fb *f)
{
	b_ipv6_chain(f, 8);
}

static void b_ipv6_chain9(struct fb *f)
{
	b_ipv6_chain(f, 9);
}

/* 20 headers, each claiming to be followed by hop-by-hop options. */
static void b_ipv6_chain20_hbh(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	for (int i = 0; i < 20; i++)
		fb_opts6(f, 0, 0);
	fb_ip_done(f);
}

static void b_ipv6_hdr_cut(struct fb *f)
{
	b_ipv6_udp(f);
	f->n = 14 + 39;
}

static void b_ipv6_plen_beyond(struct fb *f)
{
	b_ipv6_udp(f);
	set_be16(f->b + 18, (uint16_t)(get_be16(f->b + 18) + 1));
}

static void b_ipv6_ver4(struct fb *f)
{
	b_ipv6_udp(f);
	f->b[14] = 0x40;
}

/* Hop-by-hop claims 16 bytes; the payload has 8. */
static void b_ipv6_hbh_beyond(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 0);
	fb_opts6(f, 59, 0);
	fb_ip_done(f);
	f->b[14 + 40 + 1] = 1;
}

/* One byte of an extension header: not even its length. */
static void b_ipv6_ext_1byte(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 60);
	fb_u8(f, 59);
	fb_ip_done(f);
}

static void b_ipv6_frag_cut(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 44);
	fb_frag6(f, IPPROTO_UDP, 0, false);
	f->n -= 4;
	fb_ip_done(f);
}

/* AH of (6 + 2) * 4 = 32 bytes claimed, 24 there. */
static void b_ipv6_ah_cut(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, 51);
	fb_ah6(f, 59, 4);
	fb_ip_done(f);
	f->b[14 + 40 + 1] = 6;
}

/* The datagram ends inside the UDP header; the frame goes on (padding). */
static void b_ipv6_udp_cut(struct fb *f)
{
	fb_eth(f, FB_SRC);
	fb_et(f, 0x86dd);
	fb_ipv6(f, IPPROTO_UDP);
	fb_fill(f, 0, 7);
	fb_ip_done(f);
	fb_fill(f, 0, 20);
}

static void b_ipv6_tcp_doff_beyond(struct fb *f)
{
	b_ipv6_tcp(f);
	f->b[54 + 12] = 14 << 4;	/* 56 > 40 + 5 */
}

/* --------------------------------------------------------------- the table */

struct pcase {
	const char *name;
	void (*build)(struct fb *f);
	struct want want;
	bool trunc;		/* also cut at every length */
};

#define IP4	.et = 0x0800
#define IP6	.et = 0x86dd
#define BAD4	.bad = true, IP4, .l3 = 14
#define BAD6	.bad = true, IP6, .l3 = 14
#define DROP(r)	{ .drop = WR_DROP_##r }

static const struct pcase cases[] = {
	/* IPv4 */
	{ "ipv4 udp", b_ipv4_udp, { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 }, true },
	{ "ipv4 tcp", b_ipv4_tcp, { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 6, .l3 = 14, .l4 = 34 }, true },
	{ "ipv4 options, tcp options", b_ipv4_opts_tcp_opts,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 6, .l3 = 14, .l4 = 42 }, true },
	{ "ipv4 ihl 15", b_ipv4_ihl15_udp, { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 74 }, true },
	{ "ipv4 icmp", b_ipv4_icmp, { KEPT, IP4, .flags = F_L3, .proto = 1, .l3 = 14, .l4 = 34 }, true },
	{ "ipv4 padded to 60", b_ipv4_padded, { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 }, true },
	{ "ipv4 first fragment", b_ipv4_frag_first,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 }, true },
	{ "ipv4 middle fragment", b_ipv4_frag_mid, { KEPT, IP4, .flags = F_L3, .proto = 17, .l3 = 14 }, true },
	{ "ipv4 last fragment", b_ipv4_frag_last, { KEPT, IP4, .flags = F_L3, .proto = 6, .l3 = 14 }, true },
	{ "ipv4 fragment at offset 0x1000", b_ipv4_frag_far,
	  { KEPT, IP4, .flags = F_L3, .proto = 17, .l3 = 14 }, true },
	{ "ipv4 middle fragment, udp-like data", b_ipv4_frag_mid_udpish,
	  { KEPT, IP4, .flags = F_L3, .proto = 17, .l3 = 14 }, true },
	{ "not ipv4, ipv4 inside", b_lookalike, { KEPT, .et = 0x88b5, .l3 = 14 }, true },
	{ "tagged, not ipv4, ipv4 inside", b_lookalike_tagged,
	  { KEPT, .et = 0x88b5, .tpid = 0x8100, .vlan = 5, .n_tags = 1, .flags = F_TAG, .l3 = 18 }, true },
	{ "ipv4 ihl 4", b_ipv4_ihl4, { KEPT, BAD4 } , false },
	{ "ipv4 ihl 4, icmp", b_ipv4_ihl4_icmp, { KEPT, BAD4 }, false },
	{ "ipv4 ihl 0, icmp", b_ipv4_ihl0_icmp, { KEPT, BAD4 }, false },
	{ "ipv4 ihl beyond frame", b_ipv4_ihl_beyond, { KEPT, BAD4 } , false },
	{ "ipv4 total length beyond frame", b_ipv4_tot_beyond, { KEPT, BAD4 } , false },
	{ "ipv4 total length below ihl", b_ipv4_tot_below_hl, { KEPT, BAD4 } , false },
	{ "ipv4 version 6", b_ipv4_ver6, { KEPT, BAD4 } , false },
	{ "ipv4 version 0", b_ipv4_ver0, { KEPT, BAD4 } , false },
	{ "ipv4 header cut", b_ipv4_hdr_cut, { KEPT, BAD4 } , false },
	{ "ipv4 udp cut by total length", b_ipv4_udp_cut, { KEPT, BAD4 } , false },
	{ "ipv4 udp length 7", b_ipv4_udp_len7, { KEPT, BAD4 } , false },
	{ "ipv4 udp length beyond datagram", b_ipv4_udp_len_beyond, { KEPT, BAD4 } , false },
	{ "ipv4 udp length short of datagram", b_ipv4_udp_len_short,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 } , false },
	{ "ipv4 tcp data offset 4", b_ipv4_tcp_doff4, { KEPT, BAD4 } , false },
	{ "ipv4 tcp data offset beyond", b_ipv4_tcp_doff_beyond, { KEPT, BAD4 } , false },
	{ "ipv4 tcp 19 bytes", b_ipv4_tcp_cut, { KEPT, BAD4 } , false },
	/* tags */
	{ "vlan ipv4 udp", b_vlan_ipv4_udp,
	  { KEPT, IP4, 0x8100, 100, 1, F_TAG | F_L3 | F_L4, 17, 18, 38 }, true },
	{ "vlan ipv4 options icmp", b_vlan_ipv4_icmp,
	  { KEPT, IP4, 0x8100, 42, 1, F_TAG | F_L3, 1, 18, 42 }, true },
	{ "priority tagged", b_prio_tagged, { KEPT, IP4, 0x8100, 0, 1, F_TAG | F_L3 | F_L4, 17, 18, 38 } , false },
	{ "vid 4095", b_vid4095, { KEPT, .et = 0x0806, .tpid = 0x8100, .vlan = 4095, .n_tags = 1,
				    .flags = F_TAG, .l3 = 18 } , false },
	{ "qinq ipv6 extension headers udp", b_qinq_ipv6_exts_udp,
	  { KEPT, IP6, 0x88a8, 200, 2, F_TAG | F_L3 | F_L4, 17, 22, 22 + 40 + 8 + 16 + 8 + 24 }, true },
	{ "two c-tags ipv4 tcp", b_qq_ipv4, { KEPT, IP4, 0x8100, 10, 2, F_TAG | F_L3 | F_L4, 6, 22, 42 }, true },
	{ "three tags", b_triple, { KEPT, .et = 0x8100, .tpid = 0x88a8, .vlan = 10, .n_tags = 2,
				    .flags = F_TAG, .l3 = 22 }, true },
	{ "s-tag in s-tag", b_sts, { KEPT, .et = 0x88a8, .tpid = 0x88a8, .vlan = 10, .n_tags = 1,
				     .flags = F_TAG, .l3 = 18 } , false },
	{ "tag cut at 0", b_tag_cut0, DROP(PARSE_VLAN) , false },
	{ "tag cut at 2", b_tag_cut2, DROP(PARSE_VLAN) , false },
	{ "inner tag cut at 0", b_inner_cut0, DROP(PARSE_VLAN) , false },
	{ "inner tag cut at 3", b_inner_cut3, DROP(PARSE_VLAN) , false },
	/* Ethernet */
	{ "runt 13", b_runt13, DROP(PARSE_RUNT) , false },
	{ "empty", b_empty, DROP(PARSE_RUNT) , false },
	{ "source multicast", b_src_mcast, DROP(PARSE_SRC_MCAST) , false },
	{ "source broadcast", b_src_bcast, DROP(PARSE_SRC_MCAST) , false },
	{ "source zero", b_src_zero, DROP(PARSE_SRC_MCAST) , false },
	{ "source locally administered multicast", b_src_local_mcast, DROP(PARSE_SRC_MCAST) , false },
	{ "source 00:00:00:00:12:34", b_src_low,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 }, false },
	{ "source 00:00:00:00:12:34, arp", b_src_low_arp, { KEPT, .et = 0x0806, .l3 = 14 }, false },
	{ "source 02:00:00:00:00:00", b_src_high,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 }, false },
	{ "source 02:00:00:00:00:00, arp", b_src_high_arp, { KEPT, .et = 0x0806, .l3 = 14 }, false },
	{ "multicast source in a runt", b_src_mcast_runt, DROP(PARSE_RUNT) , false },
	{ "destination multicast", b_dst_mcast,
	  { KEPT, IP4, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 34 } , false },
	{ "arp", b_arp, { KEPT, .et = 0x0806, .l3 = 14 }, true },
	{ "14 bytes", b_bare14, { KEPT, .et = 0x88cc, .l3 = 14 } , false },
	{ "14 bytes claiming ipv4", b_bare14_ipv4, { KEPT, BAD4 } , false },
	/* IPv6 */
	{ "ipv6 udp", b_ipv6_udp, { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 54 }, true },
	{ "ipv6 tcp options", b_ipv6_tcp, { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 6, .l3 = 14, .l4 = 54 }, true },
	{ "ipv6 icmp", b_ipv6_icmp, { KEPT, IP6, .flags = F_L3, .proto = 58, .l3 = 14, .l4 = 54 }, true },
	{ "ipv6 hop-by-hop", b_ipv6_hbh, { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 62 }, true },
	{ "ipv6 routing", b_ipv6_routing, { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 6, .l3 = 14, .l4 = 78 }, true },
	{ "ipv6 destination options", b_ipv6_dstopts,
	  { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 70 }, true },
	{ "ipv6 ah", b_ipv6_ah, { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 78 }, true },
	{ "ipv6 first fragment", b_ipv6_frag_first,
	  { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 62 }, true },
	{ "ipv6 middle fragment", b_ipv6_frag_mid, { KEPT, IP6, .flags = F_L3, .proto = 17, .l3 = 14 }, true },
	{ "ipv6 last fragment after options", b_ipv6_frag_last,
	  { KEPT, IP6, .flags = F_L3, .proto = 6, .l3 = 14 }, true },
	{ "ipv6 esp", b_ipv6_esp, { KEPT, IP6, .flags = F_L3, .proto = 50, .l3 = 14, .l4 = 62 }, true },
	{ "ipv6 no next header", b_ipv6_nonext, { KEPT, IP6, .flags = F_L3, .proto = 59, .l3 = 14, .l4 = 54 }, true },
	{ "ipv6 no next header, padded", b_ipv6_nonext_padded,
	  { KEPT, IP6, .flags = F_L3, .proto = 59, .l3 = 14, .l4 = 54 }, true },
	{ "ipv6 every extension header", b_ipv6_all_exts,
	  { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 54 + 8 + 16 + 8 + 8 + 12 + 24 }, true },
	{ "ipv6 8 extension headers", b_ipv6_chain8,
	  { KEPT, IP6, .flags = F_L3 | F_L4, .proto = 17, .l3 = 14, .l4 = 54 + 64 } , false },
	{ "ipv6 9 extension headers", b_ipv6_chain9, { KEPT, IP6, .flags = F_L3, .l3 = 14 } , false },
	{ "ipv6 20 hop-by-hop headers", b_ipv6_chain20_hbh, { KEPT, IP6, .flags = F_L3, .l3 = 14 } , false },
	{ "ipv6 header cut", b_ipv6_hdr_cut, { KEPT, BAD6 } , false },
	{ "ipv6 payload length beyond frame", b_ipv6_plen_beyond, { KEPT, BAD6 } , false },
	{ "ipv6 version 4", b_ipv6_ver4, { KEPT, BAD6 } , false },
	{ "ipv6 hop-by-hop beyond payload", b_ipv6_hbh_beyond, { KEPT, BAD6 } , false },
	{ "ipv6 extension header of 1 byte", b_ipv6_ext_1byte, { KEPT, BAD6 } , false },
	{ "ipv6 fragment header cut", b_ipv6_frag_cut, { KEPT, BAD6 } , false },
	{ "ipv6 ah cut", b_ipv6_ah_cut, { KEPT, BAD6 } , false },
	{ "ipv6 udp cut by payload length", b_ipv6_udp_cut, { KEPT, BAD6 } , false },
	{ "ipv6 tcp data offset beyond", b_ipv6_tcp_doff_beyond, { KEPT, BAD6 } , false },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CASES; i++) {
		struct fb f = FB_INIT;

		cases[i].build(&f);
		struct verdict v = parse1(cases[i].name, f.b, f.n);

		check(cases[i].name, &v, &cases[i].want);
	}
}

/* ------------------------------------------------------------ truncation */

/* What a @len-byte cut of a frame whose whole parse is @full should give. */
static struct want want_cut(const struct fb *f, const struct want *full, uint16_t len, bool fixed)
{
	struct want w = { .drop = KEPT };

	if (len < 14)
		return (struct want){ .drop = WR_DROP_PARSE_RUNT };
	if (len < f->tags_end)
		return (struct want){ .drop = WR_DROP_PARSE_VLAN };
	w = *full;
	if (!f->ipver)
		return w;	/* L2 only: every byte past the tags is payload */
	if (fixed ? len >= f->need : len >= f->ip_end)
		return w;
	/* The datagram is cut: malformed, bridged as L2. */
	w.bad = true;
	w.flags &= F_TAG;
	w.proto = 0;
	w.l4 = 0;
	return w;
}

static void test_every_cut(void **state)
{
	unsigned n_frames = 0, n_cuts = 0;
	uint8_t cut[FB_MAX];
	char what[160];

	(void)state;
	for (size_t i = 0; i < N_CASES; i++) {
		const struct pcase *pc = &cases[i];
		struct fb f = FB_INIT;

		if (!pc->trunc)
			continue;
		pc->build(&f);
		n_frames++;
		for (uint16_t len = 0; len <= f.n; len++) {
			for (int fixed = 0; fixed < 2; fixed++) {
				struct want w = want_cut(&f, &pc->want, len, fixed);

				if (fixed)
					fb_cut_fixed(&f, len, cut);
				else
					memcpy(cut, f.b, len);
				snprintf(what, sizeof(what), "%s cut at %u%s", pc->name, len,
					 fixed ? " (lengths fixed)" : "");
				struct verdict v = parse1(what, cut, len);

				check(what, &v, &w);
				n_cuts++;
			}
		}
	}
	/* The set must stay wide: a table edit that drops it fails here. */
	assert_true(n_frames >= 25);
	print_message("%u frames, %u cuts\n", n_frames, n_cuts);
	assert_true(n_cuts > 4000);
}

/* ------------------------------------------------------------- the vector */

static void test_vector(void **state)
{
	static void (*const build[])(struct fb *f) = {
		b_ipv4_udp, b_runt13, b_ipv4_ihl4, b_src_mcast, b_tag_cut2,
		b_ipv6_udp, b_arp, b_empty, b_ipv6_hbh_beyond, b_qinq_ipv6_exts_udp,
	};
	static const int want_drop[] = {
		KEPT, WR_DROP_PARSE_RUNT, KEPT, WR_DROP_PARSE_SRC_MCAST, WR_DROP_PARSE_VLAN,
		KEPT, KEPT, WR_DROP_PARSE_RUNT, KEPT, KEPT,
	};
	enum { N = sizeof(build) / sizeof(build[0]) };
	struct fb f[N];
	struct wr_pkt pkts[N], *vec[N];

	(void)state;
	for (int i = 0; i < N; i++) {
		f[i] = (struct fb)FB_INIT;
		build[i](&f[i]);
		memset(&pkts[i], 0, sizeof(pkts[i]));
		pkts[i].data = f[i].b;
		pkts[i].len = f[i].n;
		pkts[i].in_port = (uint16_t)i;
		vec[i] = &pkts[i];
	}

	struct wr_stage_ctx c = new_ctx();
	uint16_t n = wr_stage_parse(&c, vec, N);

	assert_int_equal(n, 6);
	/* survivors packed at the front, in their order */
	for (int i = 0, k = 0, d = 0; i < N; i++) {
		if (want_drop[i] == KEPT) {
			assert_ptr_equal(vec[k++], &pkts[i]);
		} else {
			assert_ptr_equal(dropped[d++], &pkts[i]);
			assert_int_equal(pkts[i].drop, want_drop[i]);
			assert_int_equal(pkts[i].out_port, WR_OUT_DROP);
		}
	}
	assert_int_equal(c.n_dropped, 4);
	assert_int_equal(drops[WR_DROP_PARSE_RUNT], 2);
	assert_int_equal(drops[WR_DROP_PARSE_SRC_MCAST], 1);
	assert_int_equal(drops[WR_DROP_PARSE_VLAN], 1);
	assert_int_equal(events[WR_EVENT_L3_MALFORMED], 2);

	/* counters add up across calls; an empty vector is fine */
	assert_int_equal(wr_stage_parse(&c, vec, 0), 0);
	assert_int_equal(drops[WR_DROP_PARSE_RUNT], 2);
	for (int i = 0; i < N; i++)
		vec[i] = &pkts[i];
	c.n_dropped = 0;
	assert_int_equal(wr_stage_parse(&c, vec, N), 6);
	assert_int_equal(drops[WR_DROP_PARSE_RUNT], 4);
	assert_int_equal(drops[WR_DROP_PARSE_SRC_MCAST], 2);
	assert_int_equal(events[WR_EVENT_L3_MALFORMED], 4);
}

/* A full vector of WR_VEC_MAX, every other frame a runt. */
static void test_full_vector(void **state)
{
	static struct fb good, runt;
	static struct wr_pkt pkts[WR_VEC_MAX];
	struct wr_pkt *vec[WR_VEC_MAX];

	(void)state;
	good = (struct fb)FB_INIT;
	runt = (struct fb)FB_INIT;
	b_vlan_ipv4_udp(&good);
	b_runt13(&runt);
	for (int i = 0; i < WR_VEC_MAX; i++) {
		pkts[i] = (struct wr_pkt){ .data = i % 2 ? runt.b : good.b,
					   .len = i % 2 ? runt.n : good.n, .in_port = (uint16_t)i };
		vec[i] = &pkts[i];
	}

	struct wr_stage_ctx c = new_ctx();

	assert_int_equal(wr_stage_parse(&c, vec, WR_VEC_MAX), WR_VEC_MAX / 2);
	for (int i = 0; i < WR_VEC_MAX / 2; i++) {
		assert_int_equal(vec[i]->in_port, 2 * i);
		assert_int_equal(vec[i]->vlan, 100);
		assert_int_equal(vec[i]->hash, pkts[0].hash);
	}
	assert_int_equal(c.n_dropped, WR_VEC_MAX / 2);
	assert_int_equal(drops[WR_DROP_PARSE_RUNT], WR_VEC_MAX / 2);
}

/* ------------------------------------------------------------------ hash */

static uint32_t hash_of(const struct fb *f)
{
	struct verdict v = parse1("hash", f->b, f->n);

	assert_int_equal(v.drop, KEPT);
	return v.p.hash;
}

/* IPv4 UDP 10.0.0.@a → 10.0.0.2, @sport → @dport, with other bytes to vary. */
static void b_flow4(struct fb *f, uint8_t a, uint16_t sport, uint16_t dport, uint8_t junk)
{
	uint8_t src[6] = { 0x02, 0, 0, 0, junk, 1 };

	fb_eth(f, src);
	fb_et(f, 0x0800);
	fb_ipv4(f, IPPROTO_UDP, 5, 0);
	f->b[f->l3 + 15] = a;
	f->b[f->l3 + 8] = junk;		/* TTL */
	fb_udp(f, sport, dport, 10 + junk % 7, 0);
	fb_ip_done(f);
}

static void b_flow6(struct fb *f, uint16_t sport, uint16_t dport, bool with_ext, bool tagged)
{
	fb_eth(f, FB_SRC);
	if (tagged)
		fb_tag(f, 0x8100, 77);
	fb_et(f, 0x86dd);
	fb_ipv6(f, with_ext ? 0 : IPPROTO_TCP);
	if (with_ext)
		fb_opts6(f, IPPROTO_TCP, 0);
	fb_tcp(f, sport, dport, 5, with_ext ? 9 : 0);
	fb_ip_done(f);
}

static void test_hash_same_tuple(void **state)
{
	struct fb a = FB_INIT, b = FB_INIT;

	(void)state;
	/* other MACs, TTL and payload; the same 5-tuple */
	b_flow4(&a, 1, 1234, 80, 0);
	b_flow4(&b, 1, 1234, 80, 5);
	assert_int_equal(hash_of(&a), hash_of(&b));

	/* IPv6 with and without a tag and an extension header */
	a = (struct fb)FB_INIT;
	b = (struct fb)FB_INIT;
	b_flow6(&a, 1234, 443, false, false);
	b_flow6(&b, 1234, 443, true, true);
	assert_int_equal(hash_of(&a), hash_of(&b));

	/* one tuple element changed: another hash */
	struct fb c = FB_INIT;

	b_flow6(&c, 1234, 444, false, false);
	assert_int_not_equal(hash_of(&a), hash_of(&c));
	/* each 8 bytes of the IPv6 addresses counts */
	for (int at = 8; at < 40; at += 8) {
		c = (struct fb)FB_INIT;
		b_flow6(&c, 1234, 443, false, false);
		c.b[c.l3 + at + 7] ^= 0x40;
		assert_int_not_equal(hash_of(&a), hash_of(&c));
	}
	a = (struct fb)FB_INIT;
	b = (struct fb)FB_INIT;
	b_flow4(&a, 1, 1234, 80, 0);
	b_flow4(&b, 3, 1234, 80, 0);
	assert_int_not_equal(hash_of(&a), hash_of(&b));
	b = (struct fb)FB_INIT;
	b_flow4(&b, 1, 1234, 80, 0);
	b.b[b.l3 + 19] = 3;		/* destination address */
	assert_int_not_equal(hash_of(&a), hash_of(&b));
	b = (struct fb)FB_INIT;
	b_flow4(&b, 1, 1234, 80, 0);
	b.b[b.l3 + 9] = IPPROTO_TCP;	/* UDP header read as TCP: malformed, L2 hash */
	assert_int_not_equal(hash_of(&a), hash_of(&b));
}

/* Distinct ports give distinct hashes, and the low bits spread. */
static void test_hash_ports(void **state)
{
	enum { N = 4096, BUCKETS = 16 };
	static uint32_t h[N];
	unsigned bucket_lo[BUCKETS] = { 0 }, bucket_hi[BUCKETS] = { 0 };

	(void)state;
	for (int i = 0; i < N; i++) {
		struct fb f = FB_INIT;

		b_flow4(&f, (uint8_t)(1 + i / 1024), (uint16_t)(32768 + i % 1024), 4789, 0);
		h[i] = hash_of(&f);
		bucket_lo[h[i] % BUCKETS]++;
		bucket_hi[h[i] >> 28]++;
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (h[i] == h[j])
				fail_msg("flows %d and %d share hash %08x", i, j, h[i]);
	/* 256 expected each; 16 standard deviations is ~±64 */
	for (int b = 0; b < BUCKETS; b++) {
		if (bucket_lo[b] < 192 || bucket_lo[b] > 320)
			fail_msg("low bits: bucket %d has %u of %d", b, bucket_lo[b], N);
		if (bucket_hi[b] < 192 || bucket_hi[b] > 320)
			fail_msg("high bits: bucket %d has %u of %d", b, bucket_hi[b], N);
	}
}

/*
 * Every input bit counts for every output bit: flipping one bit of the
 * destination address or port flips each hash bit in 30-70 % of flows.
 */
static void test_hash_avalanche(void **state)
{
	enum { N = 256 };

	(void)state;
	for (int bit = 0; bit < 48; bit++) {
		unsigned flips[32] = { 0 };

		for (int i = 0; i < N; i++) {
			struct fb a = FB_INIT;

			b_flow4(&a, (uint8_t)(i * 37), (uint16_t)(1024 + i * 101), (uint16_t)(i * 7919), 0);
			a.b[a.l3 + 16] = (uint8_t)(i * 13);
			a.b[a.l3 + 17] = (uint8_t)(i * 29);

			struct fb b = a;

			if (bit < 32)	/* destination address */
				b.b[b.l3 + 16 + bit / 8] ^= (uint8_t)(1 << bit % 8);
			else		/* destination port */
				b.b[b.l4 + 2 + (bit - 32) / 8] ^= (uint8_t)(1 << bit % 8);

			uint32_t d = hash_of(&a) ^ hash_of(&b);

			for (int o = 0; o < 32; o++)
				flips[o] += d >> o & 1;
		}
		for (int o = 0; o < 32; o++)
			if (flips[o] < N * 3 / 10 || flips[o] > N * 7 / 10)
				fail_msg("input bit %d flips output bit %d in %u of %d flows", bit, o,
					 flips[o], N);
	}
}

/* L3 only (non-first fragments): addresses and protocol, nothing after. */
static void test_hash_l3_only(void **state)
{
	struct fb a = FB_INIT, b = FB_INIT, c = FB_INIT;

	(void)state;
	b_ipv4_frag_mid(&a);
	b_ipv4_frag_mid(&b);
	b.b[b.l3 + 7] = 10;	/* another offset */
	memset(b.b + b.l3 + 20, 0x99, 8);	/* what would be ports */
	assert_int_equal(hash_of(&a), hash_of(&b));
	b_ipv4_frag_mid(&c);
	c.b[c.l3 + 9] = IPPROTO_TCP;
	assert_int_not_equal(hash_of(&a), hash_of(&c));
}

/* Not IP, or malformed IP: the two MACs and the ethertype. */
static void test_hash_l2(void **state)
{
	struct fb a = FB_INIT, b = FB_INIT;

	(void)state;
	b_arp(&a);
	b_arp(&b);
	memset(b.b + 14, 0x55, 28);
	assert_int_equal(hash_of(&a), hash_of(&b));
	b.b[11] ^= 0x10;	/* source MAC */
	assert_int_not_equal(hash_of(&a), hash_of(&b));
	b.b[11] ^= 0x10;
	b.b[5] ^= 0x01;		/* destination MAC */
	assert_int_not_equal(hash_of(&a), hash_of(&b));
	b.b[5] ^= 0x01;
	b.b[13] = 0x35;		/* another ethertype */
	assert_int_not_equal(hash_of(&a), hash_of(&b));

	/* a malformed IPv4 frame hashes on MACs: its junk does not count */
	struct fb m1 = FB_INIT, m2 = FB_INIT;

	b_ipv4_ihl4(&m1);
	b_ipv4_ihl4(&m2);
	m2.b[m2.l3 + 15] = 99;
	set_be16(m2.b + m2.l4, 4242);
	assert_int_equal(hash_of(&m1), hash_of(&m2));
}

/* ----------------------------------------------------------------- names */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(wr_drop_name(WR_DROP_PARSE_RUNT), "parse_runt");
	assert_string_equal(wr_drop_name(WR_DROP_VLAN_NOT_ALLOWED), "vlan_not_allowed");
	assert_string_equal(wr_drop_text(WR_DROP_PARSE_RUNT), "frame shorter than an Ethernet header");
	assert_string_equal(wr_event_name(WR_EVENT_L3_MALFORMED), "l3_malformed");
	assert_string_equal(wr_event_name(WR_EVENT_AGED), "aged");
	assert_string_equal(wr_event_text(WR_EVENT_MAC_MOVE), "source MAC moved to another port");
	assert_string_equal(wr_drop_name(WR_DROP_COUNT), "unknown");
	assert_string_equal(wr_event_name((enum wr_event)-1), "unknown");
	assert_non_null(wr_drop_text(WR_DROP_COUNT));
	assert_non_null(wr_event_text(WR_EVENT_COUNT));

	/* every name non-empty, lower case and unique among its kind */
	for (int i = 0; i < WR_DROP_COUNT; i++) {
		const char *s = wr_drop_name((enum wr_drop)i);

		assert_true(s[0] != '\0' && strlen(wr_drop_text((enum wr_drop)i)) > 0);
		for (const char *c = s; *c; c++)
			assert_true(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s, wr_drop_name((enum wr_drop)j));
	}
	for (int i = 0; i < WR_EVENT_COUNT; i++) {
		const char *s = wr_event_name((enum wr_event)i);

		assert_true(s[0] != '\0' && strlen(wr_event_text((enum wr_event)i)) > 0);
		for (const char *c = s; *c; c++)
			assert_true(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s, wr_event_name((enum wr_event)j));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_full_vector),
		cmocka_unit_test(test_hash_same_tuple),
		cmocka_unit_test(test_hash_ports),
		cmocka_unit_test(test_hash_avalanche),
		cmocka_unit_test(test_hash_l3_only),
		cmocka_unit_test(test_hash_l2),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
