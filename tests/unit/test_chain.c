/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_chain.c - service chains on ring ports: bounds and refusals, the
 * classifier's fields, forward and reverse through 1 to 3 hops, bypass
 * (fail open) and drop (fail closed) of a hop down by its state or its
 * carrier, priorities, chains of several domains, counters, hop ports held, a chain deleted with
 * frames queued. Each hop is played by the test: what a hop port sends
 * is collected and injected into the hop's other port, untouched.
 *
 *   C (bd 1, client) --+              +-- S (bd 1, server)
 *   X (bd 1)  ---------+-- switch ----+-- A (access VLAN 1)
 *   hop j: Hj.in, Hj.out (bd 10 + j, each alone until a chain takes them)
 *
 * Every test ends with every buffer back in its pool.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "chain_priv.h"
#include "frames.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define POOL_BUFS 8192
#define N_HOPS 3
#define N_PORTS (4 + 2 * N_HOPS)
enum { C, S, X, A, H0 };
#define HIN(j) (H0 + 2 * (j))
#define HOUT(j) (H0 + 2 * (j) + 1)

static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_ring_pool *pool;
static struct wr_port *port[WR_PORT_MAX];
static int n_ports;
static const uint32_t now = 1000;

static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0xc };
static const uint8_t mac_s[6] = { 0x02, 0, 0, 0, 0, 0x5 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint32_t ip_c = 0x0a000001, ip_s = 0x0a000002;

static int add_port(uint16_t bd, enum wr_vlan_mode mode, uint32_t ring)
{
	struct wr_port_conf c;
	char name[8];
	int i = n_ports;

	wr_port_conf_init(&c);
	c.bd = bd;
	c.vlan_mode = mode;
	c.access_vlan = mode == WR_VLAN_ACCESS ? 1 : 0;
	snprintf(name, sizeof(name), "p%d", i);
	port[i] = wr_ring_port_create(pool, name, ring);
	assert_non_null(port[i]);
	assert_int_equal(wr_switch_port_add(sw, port[i], &c), i);
	assert_int_equal(wr_worker_add_port(w, (uint16_t)i), 0);
	return n_ports++;
}

static int setup(void **state)
{
	(void)state;
	sw = wr_switch_create(NULL);
	assert_non_null(sw);
	w = wr_worker_create(sw, 0);
	assert_non_null(w);
	pool = wr_ring_pool_create(POOL_BUFS, 2048);
	assert_non_null(pool);
	n_ports = 0;
	for (int i = 0; i < N_PORTS; i++)
		add_port(i < H0 ? 1 : (uint16_t)(10 + i), i == A ? WR_VLAN_ACCESS : WR_VLAN_NONE, 256);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wr_switch_destroy(sw);
	assert_int_equal(wr_ring_pool_free_count(pool), POOL_BUFS);
	wr_ring_pool_destroy(pool);
	return 0;
}

/* IPv4 @sip:@sport → @dip:@dport (UDP, or TCP), @dst ← @src, into port @p. */
static void send4(int p, const uint8_t *dst, const uint8_t *src, uint32_t sip, uint32_t dip,
		  uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct fb f = FB_INIT;

	fb_eth(&f, src);
	memcpy(f.b, dst, 6);
	fb_et(&f, 0x0800);
	fb_ipv4(&f, proto, 5, 0);
	if (proto == 6)
		fb_tcp(&f, sport, dport, 5, 10);
	else
		fb_udp(&f, sport, dport, 18, 0);
	fb_ip_done(&f);
	for (int i = 0; i < 4; i++) {
		f.b[f.l3 + 12 + i] = (uint8_t)(sip >> (24 - 8 * i));
		f.b[f.l3 + 16 + i] = (uint8_t)(dip >> (24 - 8 * i));
	}
	assert_int_equal(wr_ring_inject(port[p], f.b, f.n), 0);
}

/* Client → server, UDP to @dport; and the server's answer from it. */
static void c2s(uint16_t dport)
{
	send4(C, mac_s, mac_c, ip_c, ip_s, 17, 40000, dport);
}

static void s2c(uint16_t sport)
{
	send4(S, mac_c, mac_s, ip_s, ip_c, 17, sport, 40000);
}

static void run(void)
{
	while (wr_worker_poll(w, now))
		;
	wr_switch_tick(sw, now);
}

/* Frames port @p sent, drained. */
static int got(int p)
{
	uint8_t f[2048];
	int n = 0;

	while (wr_ring_collect(port[p], f, sizeof(f)) >= 0)
		n++;
	return n;
}

static void drain(void)
{
	for (int i = 0; i < n_ports; i++)
		got(i);
}

/* The hop between ports @from and @to: what @from sent comes in by @to, as it was. How many. */
static int pass(int from, int to)
{
	uint8_t f[2048];
	int n = 0, len;

	while ((len = wr_ring_collect(port[from], f, sizeof(f))) >= 0) {
		assert_int_equal(wr_ring_inject(port[to], f, (uint16_t)len), 0);
		n++;
	}
	run();
	return n;
}

static uint64_t drops(enum wr_drop d)
{
	uint64_t dr[WR_DROP_COUNT] = { 0 }, ev[WR_EVENT_COUNT] = { 0 };

	wr_switch_counters(sw, dr, ev);
	return dr[d];
}

/* Both MACs learned: the client's on C, the server's on S. */
static void learn(void)
{
	send4(C, bcast, mac_c, ip_c, ip_s, 17, 1, 1);
	send4(S, bcast, mac_s, ip_s, ip_c, 17, 1, 1);
	run();
	drain();
}

/* A chain @name in bd 1 over the first @n hops, UDP to port 80. */
static struct wr_chain_conf udp80(const char *name, int n)
{
	struct wr_chain_conf c = { .bd = 1, .n_hops = (uint8_t)n };

	snprintf(c.name, sizeof(c.name), "%s", name);
	c.cls.fields = WR_CHAIN_F_PROTO | WR_CHAIN_F_DPORT;
	c.cls.proto = 17;
	c.cls.dport_lo = c.cls.dport_hi = 80;
	for (int j = 0; j < n; j++)
		c.hops[j] = (struct wr_chain_hop){ .in = (uint16_t)HIN(j), .out = (uint16_t)HOUT(j),
						   .kind = WR_CHAIN_L2, .fail = WR_CHAIN_FAIL_OPEN };
	return c;
}

/* ---------------------------------------------------------------- tests */

static void test_refused(void **state)
{
	struct wr_chain_conf c = udp80("web", 2), bad;
	struct wr_port_conf pc;

	(void)state;
	bad = c;
	bad.cls.fields = 0;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);	/* no classifier field */
	bad = c;
	bad.n_hops = 0;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	bad.n_hops = WR_CHAIN_HOPS_MAX + 1;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	bad = c;
	bad.hops[1].kind = WR_CHAIN_L3;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);	/* a router without its MACs */
	memcpy(bad.hops[1].mac[WR_CHAIN_FWD], mac_c, 6);
	memcpy(bad.hops[1].mac[WR_CHAIN_REV], bcast, 6);
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);	/* nor to a multicast one */
	bad.hops[1].kind = 7;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	bad = c;
	bad.hops[1].out = HIN(0);
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);	/* a port twice */
	bad = c;
	bad.hops[0].in = A;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);	/* a port of VLANs */
	bad = c;
	bad.hops[0].in = 200;
	assert_int_equal(wr_chain_add(sw, &bad), -ENOENT);
	bad = c;
	bad.cls.fields |= WR_CHAIN_F_SPORT;
	bad.cls.sport_lo = 9;
	bad.cls.sport_hi = 8;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	bad = c;
	bad.cls.fields = WR_CHAIN_F_DST_NET;
	bad.cls.ip_version = 4;
	bad.cls.dst_len = 33;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	bad = c;
	bad.bd = 0;
	assert_int_equal(wr_chain_add(sw, &bad), -EINVAL);
	/* No direction: its answers would match forward too. */
	bad = c;
	bad.cls.fields = WR_CHAIN_F_PROTO;
	assert_int_equal(wr_chain_add(sw, &bad), -EDOM);
	bad.cls.fields = WR_CHAIN_F_PROTO | WR_CHAIN_F_SPORT | WR_CHAIN_F_DPORT;
	bad.cls.sport_lo = bad.cls.dport_lo = 80;
	bad.cls.sport_hi = bad.cls.dport_hi = 81;
	assert_int_equal(wr_chain_add(sw, &bad), -EDOM);
	bad.cls.sport_hi = 82;		/* one side differs: a direction (bounds checked first) */
	bad.hops[0].in = 200;
	assert_int_equal(wr_chain_add(sw, &bad), -ENOENT);

	c.cls.fields |= WR_CHAIN_F_IN_PORT;
	c.cls.in_port = C;
	assert_int_equal(wr_chain_add(sw, &c), 0);
	assert_int_equal(wr_chain_add(sw, &c), -EEXIST);
	/* Its ports are its own: in no other chain, not deleted, not moved. */
	bad = udp80("other", 1);
	assert_int_equal(wr_chain_add(sw, &bad), -EBUSY);
	assert_int_equal(wr_switch_port_del(sw, HOUT(1)), -EBUSY);
	assert_int_equal(wr_switch_port_del(sw, C), -EBUSY);
	wr_port_conf_init(&pc);
	pc.bd = 5;
	assert_int_equal(wr_switch_port_set(sw, HIN(0), &pc), -EBUSY);
	pc.bd = 10 + HIN(0);
	pc.learning = false;
	assert_int_equal(wr_switch_port_set(sw, HIN(0), &pc), 0);	/* same place */
	assert_true(wr_chain_hop_port(sw, HIN(0)));
	assert_false(wr_chain_hop_port(sw, C));
	assert_true(wr_chain_in_bd(sw, 1));
	assert_false(wr_chain_in_bd(sw, 2));
	assert_int_equal(wr_chain_hop_set(sw, 0, 2, false), -ERANGE);
	assert_int_equal(wr_chain_hop_set(sw, 1, 0, false), -ENOENT);
	assert_int_equal(wr_chain_find(sw, "web"), 0);
	assert_int_equal(wr_chain_del(sw, 0), 0);
	assert_int_equal(wr_chain_del(sw, 0), -ENOENT);
	assert_int_equal(wr_switch_port_del(sw, HOUT(1)), 0);
	assert_int_equal(wr_chain_count(sw), 0);
	run();
}

/* WR_CHAIN_MAX chains, each over ports of its own; one more is refused. */
static void test_bound(void **state)
{
	struct wr_chain_conf c = udp80("x", 1);

	(void)state;
	for (int i = 0; i < WR_CHAIN_MAX; i++) {
		c.hops[0].in = (uint16_t)add_port((uint16_t)(100 + i), WR_VLAN_NONE, 16);
		c.hops[0].out = (uint16_t)add_port((uint16_t)(100 + i), WR_VLAN_NONE, 16);
		snprintf(c.name, sizeof(c.name), "c%02d", i);
		assert_int_equal(wr_chain_add(sw, &c), i);
	}
	c.hops[0].in = HIN(0);
	c.hops[0].out = HOUT(0);
	snprintf(c.name, sizeof(c.name), "one-more");
	assert_int_equal(wr_chain_add(sw, &c), -ENOSPC);
	assert_int_equal(wr_chain_count(sw), WR_CHAIN_MAX);
	/* A frame none of them takes (UDP to 81) is bridged. */
	learn();
	c2s(81);
	run();
	assert_int_equal(got(S), 1);
	/* One that all would: the first by name, c00. */
	c2s(80);
	run();
	assert_int_equal(got(H0 + 2 * N_HOPS), 1);
}

/* Forward and reverse through 1, 2 and 3 hops; other traffic bridged. */
static void test_through_hops(void **state)
{
	struct wr_chain_info info;
	struct wr_fdb_entry e;

	(void)state;
	learn();
	for (int n = 1; n <= N_HOPS; n++) {
		struct wr_chain_conf c = udp80("web", n);
		int id = wr_chain_add(sw, &c);

		assert_true(id >= 0);
		for (int k = 0; k < 5; k++)
			c2s(80);
		run();
		assert_int_equal(got(S), 0);
		assert_int_equal(got(X), 0);
		for (int j = 0; j < n; j++)
			assert_int_equal(pass(HIN(j), HOUT(j)), 5);
		assert_int_equal(got(S), 5);	/* the FDB's port only, not X */
		assert_int_equal(got(X), 0);
		/* The answer, through the hops in reverse. */
		for (int k = 0; k < 3; k++)
			s2c(80);
		run();
		assert_int_equal(got(C), 0);
		for (int j = n - 1; j >= 0; j--)
			assert_int_equal(pass(HOUT(j), HIN(j)), 3);
		assert_int_equal(got(C), 3);
		/* Not the chain's: straight. */
		c2s(81);
		run();
		assert_int_equal(got(S), 1);
		/* No hop port learned a MAC that crossed it. */
		assert_int_equal(wr_fdb_get(sw, 1, mac_c, &e), 0);
		assert_int_equal(e.port, C);
		assert_int_equal(wr_fdb_get(sw, 1, mac_s, &e), 0);
		assert_int_equal(e.port, S);
		assert_int_equal(wr_chain_get(sw, id, &info), 0);
		assert_int_equal(info.matched[WR_CHAIN_FWD], 5);
		assert_int_equal(info.matched[WR_CHAIN_REV], 3);
		for (int j = 0; j < n; j++) {
			assert_true(info.hop[j].up);
			assert_int_equal(info.hop[j].st[WR_CHAIN_FWD].into, 5);
			assert_int_equal(info.hop[j].st[WR_CHAIN_FWD].back, 5);
			assert_int_equal(info.hop[j].st[WR_CHAIN_REV].into, 3);
			assert_int_equal(info.hop[j].st[WR_CHAIN_REV].back, 3);
		}
		assert_int_equal(wr_chain_del(sw, id), 0);
		run();
	}
}

/* Broadcast in the chain's domain never reaches a hop port; a hop port's own flood neither. */
static void test_hop_ports_out_of_bd(void **state)
{
	struct wr_chain_conf c = udp80("web", 1);

	(void)state;
	assert_int_equal(wr_chain_add(sw, &c), 0);
	send4(C, bcast, mac_c, ip_c, ip_s, 17, 1, 1);
	run();
	assert_int_equal(got(HIN(0)), 0);
	assert_int_equal(got(HOUT(0)), 0);
	assert_int_equal(got(S), 1);
	drain();
	/*
	 * Unknown unicast into the chain: into the hop, then flooded in bd 1
	 * to every ordinary port (the hop port is where it came in), never
	 * to a hop port.
	 */
	c2s(80);
	run();
	assert_int_equal(pass(HIN(0), HOUT(0)), 1);
	assert_int_equal(got(S), 1);
	assert_int_equal(got(X), 1);
	assert_int_equal(got(A), 1);
	assert_int_equal(got(C), 1);
	assert_int_equal(got(HIN(0)), 0);
	/* Gone with the chain: the hop ports are in their own domains again. */
	assert_int_equal(wr_chain_del(sw, 0), 0);
	send4(HIN(0), bcast, mac_c, ip_c, ip_s, 17, 1, 1);
	run();
	assert_int_equal(got(S), 0);
	assert_int_equal(drops(WR_DROP_NO_PORT), 1);
}

/* A frame of the chain goes through both hops, both up, to the server. */
static void through_both(void)
{
	struct wr_chain_info info;

	c2s(80);
	run();
	assert_int_equal(pass(HIN(0), HOUT(0)), 1);
	assert_int_equal(pass(HIN(1), HOUT(1)), 1);
	assert_int_equal(got(S), 1);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_true(info.hop[0].up && info.hop[1].up);
}

/* A hop down: skipped when it fails open, its frames dropped when closed; back when up. */
static void test_bypass(void **state)
{
	struct wr_chain_conf c = udp80("web", 2);
	struct wr_chain_info info;
	int64_t since;

	(void)state;
	learn();
	c.hops[1].fail = WR_CHAIN_FAIL_CLOSED;
	assert_int_equal(wr_chain_add(sw, &c), 0);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	since = info.hop[0].since_s;
	assert_true(since > 1000000000);	/* CLOCK_REALTIME */

	/* Hop 0 down (fail open): frames go straight into hop 1, and back from it to the client. */
	assert_int_equal(wr_chain_hop_set(sw, 0, 0, false), 0);
	c2s(80);
	run();
	assert_int_equal(got(HIN(0)), 0);
	assert_int_equal(pass(HIN(1), HOUT(1)), 1);
	assert_int_equal(got(S), 1);
	s2c(80);
	run();
	assert_int_equal(pass(HOUT(1), HIN(1)), 1);
	assert_int_equal(got(C), 1);
	assert_int_equal(got(HOUT(0)), 0);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_false(info.hop[0].up);
	assert_false(info.hop[0].admin_up);
	assert_true(info.hop[0].link_up);
	assert_int_equal(info.hop[0].st[WR_CHAIN_FWD].bypassed, 1);
	assert_int_equal(info.hop[0].st[WR_CHAIN_REV].bypassed, 1);
	assert_int_equal(wr_chain_hop_set(sw, 0, 0, true), 0);

	/* Hop 1 loses its carrier (fail closed): dropped and counted, both ways. */
	wr_ring_set_link(port[HOUT(1)], false);
	run();
	c2s(80);
	run();
	assert_int_equal(pass(HIN(0), HOUT(0)), 1);
	assert_int_equal(got(HIN(1)), 0);
	assert_int_equal(got(S), 0);
	s2c(80);
	run();
	assert_int_equal(got(HOUT(1)), 0);
	assert_int_equal(drops(WR_DROP_CHAIN_HOP_DOWN), 2);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_false(info.hop[1].up);
	assert_true(info.hop[1].admin_up);
	assert_false(info.hop[1].link_up);
	assert_int_equal(info.hop[1].st[WR_CHAIN_FWD].dropped, 1);
	assert_int_equal(info.hop[1].st[WR_CHAIN_REV].dropped, 1);

	/* Carrier back: through both hops again. */
	wr_ring_set_link(port[HOUT(1)], true);
	run();
	through_both();
}

/* A frame of the chain goes past hop 0, through hop 1, to the server. */
static void past_hop0(void)
{
	c2s(80);
	run();
	assert_int_equal(got(HIN(0)), 0);
	assert_int_equal(pass(HIN(1), HOUT(1)), 1);
	assert_int_equal(got(S), 1);
}

/*
 * A failing probe takes a hop down apart from its administrative state:
 * up again only when both say up (a probe passing does not undo "hop
 * down", nor "hop up" a failing probe).
 */
static void test_probe_state(void **state)
{
	struct wr_chain_conf c = udp80("web", 2);
	struct wr_chain_info info;

	(void)state;
	learn();
	assert_int_equal(wr_chain_add(sw, &c), 0);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_true(info.hop[0].probe_up && info.hop[0].up);
	assert_int_equal(wr_chain_hop_probe(sw, 0, 2, false), -ERANGE);
	assert_int_equal(wr_chain_hop_probe(sw, 1, 0, false), -ENOENT);

	assert_int_equal(wr_chain_hop_probe(sw, 0, 0, false), 0);
	past_hop0();
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_false(info.hop[0].up);
	assert_false(info.hop[0].probe_up);
	assert_true(info.hop[0].admin_up && info.hop[0].link_up);
	assert_int_equal(info.hop[0].st[WR_CHAIN_FWD].bypassed, 1);

	/* Set down as well: the probe passing again leaves it down. */
	assert_int_equal(wr_chain_hop_set(sw, 0, 0, false), 0);
	assert_int_equal(wr_chain_hop_probe(sw, 0, 0, true), 0);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_false(info.hop[0].up);
	past_hop0();

	/* Both up: through hop 0 again. */
	assert_int_equal(wr_chain_hop_set(sw, 0, 0, true), 0);
	through_both();
}

/* Each classifier field, forward and swapped. */
static void test_classifier(void **state)
{
	static const struct {
		uint32_t fields;
		int fwd_port, rev_port;	/* the ports the probe frames come in by */
	} cases[] = {
		{ WR_CHAIN_F_IN_PORT, C, -1 },
		{ WR_CHAIN_F_SRC_MAC, C, S },
		{ WR_CHAIN_F_DST_MAC, C, S },
		{ WR_CHAIN_F_SRC_NET, C, S },
		{ WR_CHAIN_F_DST_NET | WR_CHAIN_F_SPORT, C, S },
	};

	(void)state;
	learn();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wr_chain_conf c = udp80("k", 1);

		c.cls.fields = cases[i].fields;
		c.cls.in_port = C;
		memcpy(c.cls.src_mac, mac_c, 6);
		memcpy(c.cls.dst_mac, mac_s, 6);
		c.cls.ip_version = 4;
		c.cls.src_ip[0] = 10;
		c.cls.src_ip[3] = 1;
		c.cls.src_len = 32;
		c.cls.dst_ip[0] = 10;
		c.cls.dst_len = 8;
		c.cls.sport_lo = 40000;
		c.cls.sport_hi = 40010;
		assert_int_equal(wr_chain_add(sw, &c), 0);
		c2s(7);
		run();
		assert_int_equal(got(HIN(0)), 1);
		s2c(7);
		run();
		assert_int_equal(got(HOUT(0)), cases[i].rev_port < 0 ? 0 : 1);
		assert_int_equal(got(C), cases[i].rev_port < 0 ? 1 : 0);
		/* X's frames to another match none of these (flooded: S gets one). */
		send4(X, (const uint8_t[6]){ 2, 0, 0, 0, 0, 0xf },
		      (const uint8_t[6]){ 2, 0, 0, 0, 0, 0xe }, 0x0b000001, 0x0c000001, 17, 1, 1);
		run();
		assert_int_equal(got(HIN(0)), 0);
		assert_int_equal(got(S), 1);
		assert_int_equal(wr_chain_del(sw, 0), 0);
		run();
		drain();
	}
}

/* VLAN and IPv6 fields; a tagged frame goes into the hop untagged and leaves tagged again. */
static void test_vlan_ipv6(void **state)
{
	struct wr_chain_conf c = udp80("v6", 1);
	struct fb f = FB_INIT;
	uint8_t out[2048];
	int len;

	(void)state;
	c.cls.fields = WR_CHAIN_F_VLAN | WR_CHAIN_F_DST_NET;
	c.cls.vlan = 1;
	c.cls.ip_version = 6;
	c.cls.dst_ip[0] = 0x20;
	c.cls.dst_ip[1] = 0x01;
	c.cls.dst_len = 16;
	assert_int_equal(wr_chain_add(sw, &c), 0);
	/* IPv6 from the access port A (VLAN 1, whose domain is bd 1): into the hop. */
	fb_eth(&f, mac_c);
	memcpy(f.b, mac_s, 6);
	fb_et(&f, 0x86dd);
	fb_ipv6(&f, 17);
	fb_udp(&f, 1, 2, 10, 0);
	fb_ip_done(&f);
	assert_int_equal(wr_ring_inject(port[A], f.b, f.n), 0);
	/* IPv4 is not: bridged (flooded: S unknown). */
	send4(A, mac_s, mac_c, ip_c, ip_s, 17, 1, 2);
	run();
	assert_int_equal(got(S), 1);
	assert_int_equal(got(C), 1);
	assert_int_equal(got(X), 1);
	len = wr_ring_collect(port[HIN(0)], out, sizeof(out));
	assert_int_equal(len, f.n);
	assert_int_equal(out[12], 0x86);	/* untagged */
	assert_int_equal(wr_ring_inject(port[HOUT(0)], out, (uint16_t)len), 0);
	run();
	/* Out of the hop into bd 1, flooded to every ordinary port, A among them (its VLAN, untagged). */
	assert_int_equal(got(S), 1);
	assert_int_equal(got(X), 1);
	assert_int_equal(got(C), 1);
	assert_int_equal(wr_ring_collect(port[A], out, sizeof(out)), f.n);
	assert_int_equal(out[12], 0x86);
}

/* The lowest priority first, then the name. */
static void test_priority(void **state)
{
	struct wr_chain_conf a = udp80("b-first", 1), b = udp80("a-second", 2);

	(void)state;
	learn();
	b.hops[0] = (struct wr_chain_hop){ .in = HIN(1), .out = HOUT(1) };
	b.hops[1] = (struct wr_chain_hop){ .in = HIN(2), .out = HOUT(2) };
	a.priority = 1;
	b.priority = 2;
	assert_int_equal(wr_chain_add(sw, &a), 0);
	assert_int_equal(wr_chain_add(sw, &b), 1);
	c2s(80);
	run();
	assert_int_equal(got(HIN(0)), 1);
	/* Same priority: by name, a-second first. */
	assert_int_equal(wr_chain_del(sw, 0), 0);
	a.priority = 2;
	assert_int_equal(wr_chain_add(sw, &a), 2);	/* id 0 not free before a quiescent point */
	c2s(80);
	run();
	assert_int_equal(got(HIN(1)), 1);
	assert_int_equal(got(HIN(0)), 0);
}

/*
 * Chains of several domains: a frame is asked only its own domain's, in
 * their order, though another domain's would match it and come first by
 * priority and name; the ranges follow a chain deleted.
 */
static void test_domains(void **state)
{
	struct wr_chain_conf z = udp80("z", 1), a = udp80("a", 2), b = udp80("b", 3);
	int d = add_port(2, WR_VLAN_NONE, 256), e = add_port(3, WR_VLAN_NONE, 256);

	(void)state;
	learn();
	z.priority = 5;			/* bd 1, UDP 80: hop 0 */
	a.bd = 2;			/* bd 2, UDP 80: hop 1; first of all by priority and name */
	a.hops[0] = a.hops[1];
	a.n_hops = 1;
	b.priority = 9;			/* bd 1, UDP 81: hop 2 */
	b.cls.dport_lo = b.cls.dport_hi = 81;
	b.hops[0] = b.hops[2];
	b.n_hops = 1;
	assert_int_equal(wr_chain_add(sw, &z), 0);
	assert_int_equal(wr_chain_add(sw, &a), 1);
	assert_int_equal(wr_chain_add(sw, &b), 2);
	c2s(80);
	c2s(81);
	send4(d, mac_s, mac_c, ip_c, ip_s, 17, 40000, 80);
	send4(e, mac_s, mac_c, ip_c, ip_s, 17, 40000, 80);	/* bd 3: no chain, flooded */
	run();
	assert_int_equal(got(HIN(0)), 1);
	assert_int_equal(got(HIN(2)), 1);
	assert_int_equal(got(HIN(1)), 1);
	assert_int_equal(got(S), 0);
	drain();
	/* z gone: bd 1 has b alone, bd 2 a. */
	assert_int_equal(wr_chain_del(sw, 0), 0);
	c2s(80);
	c2s(81);
	send4(d, mac_s, mac_c, ip_c, ip_s, 17, 40000, 80);
	run();
	assert_int_equal(got(S), 1);
	assert_int_equal(got(HIN(2)), 1);
	assert_int_equal(got(HIN(1)), 1);
	assert_int_equal(got(HIN(0)), 0);
	drain();
}

/*
 * A chain deleted while frames wait in its hop ports' and the client's
 * rings, and while a worker may hold its table: the table lives until the
 * worker's next quiescent point, the frames are bridged or dropped, every
 * buffer comes back (teardown).
 */
static void test_delete_queued(void **state)
{
	struct wr_chain_conf c = udp80("web", 2);
	const struct chain_table *held;
	struct wr_chain_info info;

	(void)state;
	learn();
	assert_int_equal(wr_chain_add(sw, &c), 0);
	for (int i = 0; i < 40; i++)
		c2s(80);
	run();
	held = atomic_load(&sw->chains);
	/* Some frames come back from hop 0, more go in from the client, none run yet. */
	{
		uint8_t f[2048];
		int len;

		while ((len = wr_ring_collect(port[HIN(0)], f, sizeof(f))) >= 0)
			assert_int_equal(wr_ring_inject(port[HOUT(0)], f, (uint16_t)len), 0);
	}
	for (int i = 0; i < 40; i++)
		c2s(80);
	assert_int_equal(wr_chain_del(sw, 0), 0);
	assert_null(atomic_load(&sw->chains));
	assert_int_equal(held->n, 1);	/* still readable: no quiescent point yet */
	assert_int_equal(wr_chain_add(sw, &c), 1);	/* id 0 not free yet */
	assert_int_equal(wr_chain_del(sw, 1), 0);
	run();
	drain();
	/* Counted with the ids they had; id 0 free again, its counters from zero. */
	assert_int_equal(wr_chain_add(sw, &c), 0);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_int_equal(info.matched[WR_CHAIN_FWD], 0);
	run();
}

static const uint8_t mac_ri[6] = { 0x02, 0, 0, 0, 0x0e, 0x01 };	/* the router's in side */
static const uint8_t mac_ro[6] = { 0x02, 0, 0, 0, 0x0e, 0x02 };	/* its out side */

/* One frame from port @p into @f (its length), and nothing more there. */
static int got_one(int p, uint8_t *f)
{
	int len = wr_ring_collect(port[p], f, 2048);

	assert_true(len > 0);
	assert_int_equal(got(p), 0);
	return len;
}

/* An ARP request from @src in @f. */
static void arp_from(struct fb *f, const uint8_t src[6])
{
	fb_eth(f, src);
	memcpy(f->b, bcast, 6);
	fb_et(f, 0x0806);
	fb_fill(f, 0, 28);
}

/*
 * A router hop (l3) after a transparent one: frames going into it take its
 * interface's MAC as their destination, both ways; what it routes goes on
 * along the chain; its own ARP and ND are bridged in the chain's domain and
 * its MACs learned there; the domain's flooded frames reach its ports (and
 * never the transparent hop's); after the chain its ports are back in
 * their own domains, what they learned forgotten.
 */
static void test_l3(void **state)
{
	struct wr_chain_conf c = udp80("routed", 2);
	struct wr_chain_info info;
	struct wr_fdb_entry e;
	struct fb f = FB_INIT;
	uint8_t out[2048];
	int len;

	(void)state;
	learn();
	c.hops[1].kind = WR_CHAIN_L3;
	memcpy(c.hops[1].mac[WR_CHAIN_FWD], mac_ri, 6);
	memcpy(c.hops[1].mac[WR_CHAIN_REV], mac_ro, 6);
	assert_int_equal(wr_chain_add(sw, &c), 0);

	/* Forward: through the bridge hop untouched, into the router to its in MAC. */
	c2s(80);
	run();
	assert_int_equal(pass(HIN(0), HOUT(0)), 1);
	len = got_one(HIN(1), out);
	assert_memory_equal(out, mac_ri, 6);
	assert_memory_equal(out + 6, mac_c, 6);
	/* The router routes it to the server: after the last hop, bridged by the FDB. */
	memcpy(out, mac_s, 6);
	memcpy(out + 6, mac_ro, 6);
	assert_int_equal(wr_ring_inject(port[HOUT(1)], out, (uint16_t)len), 0);
	run();
	assert_int_equal(got(S), 1);
	assert_int_equal(got(C) + got(X) + got(A), 0);

	/* Reverse: the answer goes into the router by out, to its out MAC, then the bridge hop. */
	s2c(80);
	run();
	len = got_one(HOUT(1), out);
	assert_memory_equal(out, mac_ro, 6);
	memcpy(out, mac_c, 6);
	memcpy(out + 6, mac_ri, 6);
	assert_int_equal(wr_ring_inject(port[HIN(1)], out, (uint16_t)len), 0);
	run();
	assert_int_equal(pass(HOUT(0), HIN(0)), 1);
	assert_int_equal(got(C), 1);
	assert_int_equal(got(S) + got(X), 0);

	/* The router's ARP: flooded in bd 1 (its other port too, not the bridge hop), learned. */
	arp_from(&f, mac_ri);
	assert_int_equal(wr_ring_inject(port[HIN(1)], f.b, f.n), 0);
	run();
	assert_int_equal(got(C) + got(S) + got(X) + got(A), 4);
	assert_int_equal(got(HOUT(1)), 1);
	assert_int_equal(got(HIN(0)) + got(HOUT(0)) + got(HIN(1)), 0);
	for (int i = 0; i < 4; i++)
		wr_switch_tick(sw, now);
	assert_int_equal(wr_fdb_get(sw, 1, mac_ri, &e), 0);
	assert_int_equal(e.port, HIN(1));
	/* IPv6 ND (a neighbour solicitation) from its out side likewise. */
	f = (struct fb)FB_INIT;
	fb_eth(&f, mac_ro);
	memcpy(f.b, bcast, 6);
	fb_et(&f, 0x86dd);
	fb_ipv6(&f, 58);
	fb_u8(&f, 135);
	fb_fill(&f, 0, 23);
	fb_ip_done(&f);
	assert_int_equal(wr_ring_inject(port[HOUT(1)], f.b, f.n), 0);
	run();
	assert_int_equal(got(S), 1);
	assert_int_equal(got(HIN(1)), 1);
	drain();
	for (int i = 0; i < 4; i++)
		wr_switch_tick(sw, now);
	assert_int_equal(wr_fdb_get(sw, 1, mac_ro, &e), 0);
	assert_int_equal(e.port, HOUT(1));
	/* So a frame the chain does not take reaches the router by the FDB (UDP 53: not port 80). */
	send4(C, mac_ri, mac_c, ip_c, ip_s, 17, 40000, 53);
	run();
	assert_int_equal(got(HIN(1)), 1);
	assert_int_equal(got(HIN(0)) + got(S), 0);
	/* A broadcast of the domain: its ports of no VLAN and the router's two, not the bridge hop. */
	send4(C, bcast, mac_c, ip_c, ip_s, 17, 40000, 53);
	run();
	assert_int_equal(got(HIN(1)) + got(HOUT(1)), 2);
	assert_int_equal(got(HIN(0)) + got(HOUT(0)), 0);
	assert_int_equal(got(S) + got(X), 2);
	assert_int_equal(wr_chain_get(sw, 0, &info), 0);
	assert_int_equal(info.hop[1].st[WR_CHAIN_FWD].into, 1);
	assert_int_equal(info.hop[1].st[WR_CHAIN_REV].into, 1);

	/* The chain gone: the router's ports in their own domains, what they learned forgotten. */
	assert_int_equal(wr_chain_del(sw, 0), 0);
	run();
	assert_int_equal(wr_fdb_get(sw, 1, mac_ri, &e), -ENOENT);
	assert_int_equal(wr_fdb_get(sw, 1, mac_ro, &e), -ENOENT);
	send4(C, bcast, mac_c, ip_c, ip_s, 17, 40000, 53);
	run();
	assert_int_equal(got(HIN(1)) + got(HOUT(1)), 0);
	drain();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_through_hops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_ports_out_of_bd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bypass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classifier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_l3, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
