/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_vlan.c - VLAN ingress classification (every port mode against
 * untagged, priority-tagged, allowed, not allowed and reserved tags) and
 * egress tag pop / push / rewrite with exact bytes, headroom limits, and
 * round trips. Frames sit in heap blocks of exactly headroom + length so
 * that ASan sees any write outside them; each edited frame is parsed
 * again and must agree with the descriptor egress left.
 */
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

#define NO_TAG 0

/* ----------------------------------------------------------------- frames */

enum l3_kind { K_IPV4_UDP, K_IPV6_TCP, K_ARP, K_BARE };

/* A frame with up to two tags (tpid 0: none) and the given payload. */
static void build(struct fb *f, enum l3_kind k, uint16_t tpid1, uint16_t tci1, uint16_t tpid2,
		  uint16_t tci2)
{
	*f = (struct fb)FB_INIT;
	fb_eth(f, FB_SRC);
	if (tpid1)
		fb_tag(f, tpid1, tci1);
	if (tpid2)
		fb_tag(f, tpid2, tci2);
	switch (k) {
	case K_IPV4_UDP:
		fb_et(f, 0x0800);
		fb_ipv4(f, IPPROTO_UDP, 5, 0);
		fb_udp(f, 1111, 2222, 12, 0);
		fb_ip_done(f);
		break;
	case K_IPV6_TCP:
		fb_et(f, 0x86dd);
		fb_ipv6(f, IPPROTO_TCP);
		fb_tcp(f, 5555, 22, 6, 3);
		fb_ip_done(f);
		break;
	case K_ARP:
		fb_et(f, 0x0806);
		fb_fill(f, 0x42, 28);
		break;
	case K_BARE:
		fb_et(f, 0x88b5);
		break;
	}
}

/* A parsed frame in a heap block with @hr bytes of headroom before it. */
struct tf {
	uint8_t *blk;
	uint16_t hr;
	struct wr_pkt p;
};

static void parse_into(struct wr_pkt *p)
{
	uint64_t drops[WR_DROP_COUNT] = { 0 }, events[WR_EVENT_COUNT] = { 0 };
	struct wr_pkt *dropped[1], *vec[1] = { p };
	struct wr_stage_ctx c = { drops, events, dropped, 0 };

	assert_int_equal(wr_stage_parse(&c, vec, 1), 1);
	assert_int_equal(events[WR_EVENT_L3_MALFORMED], 0);
}

static void tf_make(struct tf *t, const struct fb *f, uint16_t hr)
{
	t->hr = hr;
	t->blk = malloc((size_t)hr + f->n);
	assert_non_null(t->blk);
	memset(t->blk, 0xcc, hr);
	memcpy(t->blk + hr, f->b, f->n);
	t->p = (struct wr_pkt){ .data = t->blk + hr, .len = f->n, .in_port = 1 };
	parse_into(&t->p);
}

static uint16_t tf_headroom(const struct tf *t)
{
	return (uint16_t)(t->p.data - t->blk);
}

/* Every field of two descriptors (not memcmp: padding bytes are unspecified). */
static bool same_desc(const struct wr_pkt *a, const struct wr_pkt *b)
{
	return a->data == b->data && a->cookie == b->cookie && a->hash == b->hash &&
	       a->len == b->len && a->in_port == b->in_port && a->out_port == b->out_port &&
	       a->bd == b->bd && a->vlan == b->vlan && a->outer_tpid == b->outer_tpid &&
	       a->ethertype == b->ethertype && a->l3_off == b->l3_off && a->l4_off == b->l4_off &&
	       a->l4_proto == b->l4_proto && a->n_tags == b->n_tags && a->flags == b->flags &&
	       a->drop == b->drop;
}

static void tf_free(struct tf *t)
{
	free(t->blk);
	t->blk = NULL;
}

/* The frame's bytes are exactly @f's. */
static void expect_bytes(const char *what, const struct wr_pkt *p, const struct fb *f)
{
	if (p->len != f->n)
		fail_msg("%s: length %u, want %u", what, p->len, f->n);
	for (unsigned i = 0; i < f->n; i++)
		if (p->data[i] != f->b[i])
			fail_msg("%s: byte %u is %02x, want %02x", what, i, p->data[i], f->b[i]);
}

/* What egress left in the descriptor is what a fresh parse of the bytes says. */
static void expect_reparse(const char *what, const struct wr_pkt *p)
{
	uint8_t *copy = malloc(p->len);
	struct wr_pkt q = { .data = copy, .len = p->len };

	assert_non_null(copy);
	memcpy(copy, p->data, p->len);
	parse_into(&q);
#define SAME(field)							\
	do {								\
		if (p->field != q.field)				\
			fail_msg("%s: " #field " %ld, parse says %ld", what, \
				 (long)p->field, (long)q.field);	\
	} while (0)
	SAME(ethertype);
	SAME(outer_tpid);
	SAME(n_tags);
	SAME(flags);
	SAME(l3_off);
	SAME(l4_off);
	SAME(l4_proto);
	SAME(hash);
#undef SAME
	free(copy);
}

/* ----------------------------------------------------------------- ports */

static void allow(struct wr_port_conf *c, uint16_t vid)
{
	c->allowed[vid / 64] |= 1ULL << (vid % 64);
}

static struct wr_port_conf port_none(void)
{
	struct wr_port_conf c;

	memset(&c, 0, sizeof(c));
	c.bd = 1;
	c.vlan_mode = WR_VLAN_NONE;
	c.learning = true;
	return c;
}

static struct wr_port_conf port_access(uint16_t vlan)
{
	struct wr_port_conf c = port_none();

	c.vlan_mode = WR_VLAN_ACCESS;
	c.access_vlan = vlan;
	return c;
}

/* A trunk of VLANs 10, 20 and (wrongly configured) 4095, native @native. */
static struct wr_port_conf port_trunk(uint16_t native)
{
	struct wr_port_conf c = port_none();

	c.vlan_mode = WR_VLAN_TRUNK;
	c.native_vlan = native;
	allow(&c, 10);
	allow(&c, 20);
	allow(&c, 4095);
	return c;
}

/* ---------------------------------------------------------- classification */

enum frame_kind { UNTAGGED, PRIO, T10, T20, T30, T4095, QINQ20, S10, N_FRAMES };

static const char *const frame_names[N_FRAMES] = {
	"untagged", "priority-tagged", "tag 10", "tag 20", "tag 30", "tag 4095",
	"qinq 20/30", "s-tag 10",
};

static void build_kind(struct fb *f, enum frame_kind k)
{
	switch (k) {
	case UNTAGGED: build(f, K_IPV4_UDP, NO_TAG, 0, NO_TAG, 0); break;
	case PRIO:     build(f, K_IPV4_UDP, 0x8100, 6 << 13, NO_TAG, 0); break;
	case T10:      build(f, K_IPV4_UDP, 0x8100, 10, NO_TAG, 0); break;
	case T20:      build(f, K_IPV6_TCP, 0x8100, 3 << 13 | 20, NO_TAG, 0); break;
	case T30:      build(f, K_ARP, 0x8100, 30, NO_TAG, 0); break;
	case T4095:    build(f, K_ARP, 0x8100, 4095, NO_TAG, 0); break;
	case QINQ20:   build(f, K_IPV4_UDP, 0x88a8, 20, 0x8100, 30); break;
	case S10:      build(f, K_IPV4_UDP, 0x88a8, 10, NO_TAG, 0); break;
	case N_FRAMES: break;
	}
}

#define DROP 0xffff	/* in the table: dropped, VLAN_NOT_ALLOWED */

static void test_classify(void **state)
{
	static const struct {
		const char *name;
		struct wr_port_conf (*conf)(uint16_t);
		uint16_t arg;
		uint16_t want[N_FRAMES];
	} rows[] = {
		/*                               untag  prio   t10   t20   t30   t4095 qinq20 s10 */
		{ "access 10", port_access, 10, { 10, 10, 10, DROP, DROP, DROP, DROP, 10 } },
		{ "access 20", port_access, 20, { 20, 20, DROP, 20, DROP, DROP, 20, DROP } },
		{ "access 0 (unset)", port_access, 0, { DROP, DROP, DROP, DROP, DROP, DROP, DROP, DROP } },
		{ "access 4095", port_access, 4095, { DROP, DROP, DROP, DROP, DROP, DROP, DROP, DROP } },
		{ "trunk native 10", port_trunk, 10, { 10, 10, 10, 20, DROP, DROP, 20, 10 } },
		{ "trunk native 20", port_trunk, 20, { 20, 20, 10, 20, DROP, DROP, 20, 10 } },
		{ "trunk native 0", port_trunk, 0, { DROP, DROP, 10, 20, DROP, DROP, 20, 10 } },
		{ "trunk native 30 (not allowed)", port_trunk, 30,
		  { DROP, DROP, 10, 20, DROP, DROP, 20, 10 } },
	};
	char what[128];

	(void)state;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct wr_port_conf conf = rows[r].conf(rows[r].arg);

		for (int k = 0; k < N_FRAMES; k++) {
			struct fb f;
			struct tf t;
			enum wr_drop why = WR_DROP_COUNT;

			build_kind(&f, (enum frame_kind)k);
			tf_make(&t, &f, WR_HEADROOM);
			t.p.vlan = 999;	/* classify reads the tag, not this */
			snprintf(what, sizeof(what), "%s, %s", rows[r].name, frame_names[k]);

			uint16_t got = wr_vlan_classify(&conf, &t.p, &why);

			if (rows[r].want[k] == DROP) {
				if (got != 0 || why != WR_DROP_VLAN_NOT_ALLOWED)
					fail_msg("%s: vlan %u why %d, want a drop", what, got, why);
			} else if (got != rows[r].want[k]) {
				fail_msg("%s: vlan %u, want %u", what, got, rows[r].want[k]);
			}
			/* the frame is not touched */
			if (t.p.data != t.blk + t.hr)
				fail_msg("%s: data moved", what);
			expect_bytes(what, &t.p, &f);
			tf_free(&t);
		}
	}
}

/* A NONE port takes everything as VLAN 0 and never drops. */
static void test_classify_none(void **state)
{
	struct wr_port_conf conf = port_none();

	(void)state;
	allow(&conf, 10);	/* ignored */
	conf.access_vlan = 10;
	conf.native_vlan = 10;
	for (int k = 0; k < N_FRAMES; k++) {
		struct fb f;
		struct tf t;
		enum wr_drop why = WR_DROP_COUNT;

		build_kind(&f, (enum frame_kind)k);
		tf_make(&t, &f, WR_HEADROOM);
		assert_int_equal(wr_vlan_classify(&conf, &t.p, &why), 0);
		assert_int_equal(why, WR_DROP_COUNT);
		tf_free(&t);
	}
}

/* ------------------------------------------------------------------ egress */

/* One egress: the result, the bytes after, the descriptor after. */
struct eg {
	const char *name;
	struct wr_port_conf conf;
	uint16_t vlan;
	struct fb in, out;	/* out.n == 0: dropped, frame untouched */
	enum wr_drop why;
	uint16_t hr;
};

static void run_egress(const struct eg *e)
{
	struct tf t;
	enum wr_drop why = WR_DROP_COUNT;

	tf_make(&t, &e->in, e->hr);

	struct wr_pkt before = t.p;
	int rc = wr_vlan_egress(&e->conf, e->vlan, &t.p, e->hr, &why);

	if (e->out.n == 0) {
		if (rc != -1 || why != e->why)
			fail_msg("%s: rc %d why %d, want -1 why %d", e->name, rc, why, e->why);
		if (!same_desc(&before, &t.p))
			fail_msg("%s: dropped frame's descriptor changed", e->name);
		expect_bytes(e->name, &t.p, &e->in);
		tf_free(&t);
		return;
	}
	if (rc != 0)
		fail_msg("%s: rc %d why %d, want 0", e->name, rc, why);
	if (why != WR_DROP_COUNT)
		fail_msg("%s: why set on success", e->name);
	expect_bytes(e->name, &t.p, &e->out);
	/* the frame moved by what its length changed, within its block */
	int grew = (int)e->out.n - (int)e->in.n;

	if (tf_headroom(&t) != e->hr - grew)
		fail_msg("%s: headroom %u, want %d", e->name, tf_headroom(&t), e->hr - grew);
	if (t.p.vlan != before.vlan || t.p.in_port != before.in_port ||
	    t.p.hash != before.hash)
		fail_msg("%s: fields egress does not own changed", e->name);
	expect_reparse(e->name, &t.p);
	tf_free(&t);
}

static void test_egress(void **state)
{
	static struct eg e;
	struct wr_port_conf acc10 = port_access(10);
	struct wr_port_conf trunk10 = port_trunk(10);
	struct wr_port_conf trunk0 = port_trunk(0);
	struct wr_port_conf none = port_none();

	(void)state;
#define EG(nm, cf, vl, hroom, BUILD_IN, BUILD_OUT, reason)		\
	do {								\
		memset(&e, 0, sizeof(e));				\
		e.name = nm;						\
		e.conf = cf;						\
		e.vlan = vl;						\
		e.hr = hroom;						\
		e.why = reason;						\
		BUILD_IN;						\
		BUILD_OUT;						\
		run_egress(&e);						\
	} while (0)
#define IN(...)  build(&e.in, __VA_ARGS__)
#define OUT(...) build(&e.out, __VA_ARGS__)
#define NOTHING  (void)0
#define OK	 WR_DROP_COUNT

	/* access: pop, or nothing to pop; another VLAN is refused */
	EG("access pop", acc10, 10, 64, IN(K_IPV4_UDP, 0x8100, 5 << 13 | 10, 0, 0),
	   OUT(K_IPV4_UDP, 0, 0, 0, 0), OK);
	EG("access pop priority tag", acc10, 10, 0, IN(K_IPV6_TCP, 0x8100, 7 << 13, 0, 0),
	   OUT(K_IPV6_TCP, 0, 0, 0, 0), OK);
	EG("access untagged", acc10, 10, 0, IN(K_IPV4_UDP, 0, 0, 0, 0),
	   OUT(K_IPV4_UDP, 0, 0, 0, 0), OK);
	EG("access pop outer of qinq", acc10, 10, 0, IN(K_IPV4_UDP, 0x88a8, 10, 0x8100, 30),
	   OUT(K_IPV4_UDP, 0x8100, 30, 0, 0), OK);
	EG("access pop, 14 bytes left", acc10, 10, 0, IN(K_BARE, 0x8100, 10, 0, 0),
	   OUT(K_BARE, 0, 0, 0, 0), OK);
	EG("access other vlan", acc10, 20, 64, IN(K_IPV4_UDP, 0x8100, 20, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);
	EG("access vlan 0", port_access(0), 0, 64, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);

	/* trunk: push on untagged, rewrite a tag (keeping PCP/DEI), pop for native */
	EG("trunk push", trunk10, 20, 64, IN(K_IPV4_UDP, 0, 0, 0, 0),
	   OUT(K_IPV4_UDP, 0x8100, 20, 0, 0), OK);
	EG("trunk push, headroom 4", trunk10, 20, 4, IN(K_IPV6_TCP, 0, 0, 0, 0),
	   OUT(K_IPV6_TCP, 0x8100, 20, 0, 0), OK);
	EG("trunk push arp", trunk0, 10, 4, IN(K_ARP, 0, 0, 0, 0),
	   OUT(K_ARP, 0x8100, 10, 0, 0), OK);
	EG("trunk push, headroom 3", trunk10, 20, 3, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_NO_HEADROOM);
	EG("trunk push, no headroom", trunk10, 20, 0, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_NO_HEADROOM);
	EG("trunk rewrite keeps pcp and dei", trunk10, 20, 0,
	   IN(K_IPV4_UDP, 0x8100, 5 << 13 | 1 << 12 | 10, 0, 0),
	   OUT(K_IPV4_UDP, 0x8100, 5 << 13 | 1 << 12 | 20, 0, 0), OK);
	EG("trunk rewrite s-tag to c-tag", trunk10, 20, 0, IN(K_IPV6_TCP, 0x88a8, 2 << 13 | 30, 0, 0),
	   OUT(K_IPV6_TCP, 0x8100, 2 << 13 | 20, 0, 0), OK);
	EG("trunk rewrite priority tag", trunk10, 20, 0, IN(K_ARP, 0x8100, 4 << 13, 0, 0),
	   OUT(K_ARP, 0x8100, 4 << 13 | 20, 0, 0), OK);
	EG("trunk rewrite outer of qinq", trunk10, 20, 0, IN(K_IPV4_UDP, 0x88a8, 30, 0x8100, 40),
	   OUT(K_IPV4_UDP, 0x8100, 20, 0x8100, 40), OK);
	EG("trunk same tag", trunk10, 20, 0, IN(K_IPV4_UDP, 0x8100, 20, 0, 0),
	   OUT(K_IPV4_UDP, 0x8100, 20, 0, 0), OK);
	EG("trunk native pops", trunk10, 10, 0, IN(K_IPV4_UDP, 0x8100, 10, 0, 0),
	   OUT(K_IPV4_UDP, 0, 0, 0, 0), OK);
	EG("trunk native untagged stays", trunk10, 10, 0, IN(K_IPV6_TCP, 0, 0, 0, 0),
	   OUT(K_IPV6_TCP, 0, 0, 0, 0), OK);
	EG("trunk not allowed", trunk10, 30, 64, IN(K_IPV4_UDP, 0x8100, 30, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);
	EG("trunk not allowed, untagged", trunk10, 30, 64, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);
	EG("trunk vlan 0", trunk10, 0, 64, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);
	EG("trunk vlan 4095 even if allowed", trunk10, 4095, 64, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);
	EG("trunk not allowed beats no headroom", trunk10, 30, 0, IN(K_IPV4_UDP, 0, 0, 0, 0), NOTHING,
	   WR_DROP_VLAN_NOT_ALLOWED);

	/* none: as it is */
	EG("none tagged", none, 20, 0, IN(K_IPV4_UDP, 0x8100, 30, 0, 0),
	   OUT(K_IPV4_UDP, 0x8100, 30, 0, 0), OK);
	EG("none untagged", none, 0, 0, IN(K_IPV4_UDP, 0, 0, 0, 0),
	   OUT(K_IPV4_UDP, 0, 0, 0, 0), OK);
#undef EG
#undef IN
#undef OUT
#undef NOTHING
#undef OK
}

/* The bytes of a push, spelled out rather than built. */
static void test_push_bytes(void **state)
{
	static const uint8_t in[] = {
		0x02, 0, 0, 0, 0, 0x02,  0x02, 0, 0, 0, 0, 0x01,  0x88, 0xb5,  0xde, 0xad,
	};
	static const uint8_t out[] = {
		0x02, 0, 0, 0, 0, 0x02,  0x02, 0, 0, 0, 0, 0x01,  0x81, 0x00, 0x0f, 0xfe,
		0x88, 0xb5,  0xde, 0xad,
	};
	struct wr_port_conf conf = port_trunk(0);
	uint8_t *blk = malloc(4 + sizeof(in));
	struct wr_pkt p = { .data = blk + 4, .len = sizeof(in) };
	enum wr_drop why = WR_DROP_COUNT;

	(void)state;
	assert_non_null(blk);
	memcpy(p.data, in, sizeof(in));
	parse_into(&p);
	allow(&conf, 4094);
	assert_int_equal(wr_vlan_egress(&conf, 4094, &p, 4, &why), 0);
	assert_ptr_equal(p.data, blk);
	assert_int_equal(p.len, sizeof(out));
	assert_memory_equal(p.data, out, sizeof(out));
	assert_int_equal(p.n_tags, 1);
	assert_int_equal(p.outer_tpid, 0x8100);
	assert_int_equal(p.flags, WR_PKT_F_TAGGED);
	assert_int_equal(p.l3_off, 18);
	assert_int_equal(p.l4_off, 0);

	/* and back: an access port of 4094 pops it */
	struct wr_port_conf acc = port_access(4094);

	assert_int_equal(wr_vlan_egress(&acc, 4094, &p, 0, &why), 0);
	assert_ptr_equal(p.data, blk + 4);
	assert_int_equal(p.len, sizeof(in));
	assert_memory_equal(p.data, in, sizeof(in));
	assert_int_equal(p.n_tags, 0);
	assert_int_equal(p.outer_tpid, 0);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.l3_off, 14);
	free(blk);
}

/* Push then pop, pop then push: the bytes and the descriptor come back. */
static void test_round_trips(void **state)
{
	static const enum l3_kind kinds[] = { K_IPV4_UDP, K_IPV6_TCP, K_ARP, K_BARE };
	struct wr_port_conf trunk = port_trunk(0);
	struct wr_port_conf acc = port_access(20);
	char what[96];

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		for (int tagged = 0; tagged < 2; tagged++) {
			struct fb f;
			struct tf t;
			enum wr_drop why = WR_DROP_COUNT;

			/* untagged: push, pop; tagged (20, PCP 0): pop, push */
			build(&f, kinds[i], tagged ? 0x8100 : 0, 20, 0, 0);
			tf_make(&t, &f, 4);
			snprintf(what, sizeof(what), "kind %zu %s", i, tagged ? "pop, push" : "push, pop");

			struct wr_pkt orig = t.p;
			const struct wr_port_conf *first = tagged ? &acc : &trunk;
			const struct wr_port_conf *second = tagged ? &trunk : &acc;

			assert_int_equal(wr_vlan_egress(first, 20, &t.p, tf_headroom(&t), &why), 0);
			assert_int_equal(t.p.len, f.n + (tagged ? -4 : 4));
			expect_reparse(what, &t.p);
			assert_int_equal(wr_vlan_egress(second, 20, &t.p, tf_headroom(&t), &why), 0);
			expect_bytes(what, &t.p, &f);
			if (!same_desc(&orig, &t.p))
				fail_msg("%s: descriptor differs after the round trip", what);
			tf_free(&t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_classify_none),
		cmocka_unit_test(test_egress),
		cmocka_unit_test(test_push_bytes),
		cmocka_unit_test(test_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
