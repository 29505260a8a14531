/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pipeline.c - the whole pipeline end to end on ring ports: learn,
 * forward, flood, age out, move, VLAN access/trunk, isolation, port down
 * and deleted, malformed frames; and after each run every received frame
 * is accounted for: forwarded or dropped with a reason.
 *
 *        p0 ---+
 *        p1 ---+--- switch (one worker) ---+--- p2
 *                                          +--- p3
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "switch_priv.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define N_PORTS 4

static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_ring_pool *pool;
static struct wr_port *port[N_PORTS];
static uint32_t now;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0xc };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int setup_with(struct wr_port_conf *confs, uint32_t fdb_max)
{
	struct wr_switch_conf sc;

	wr_switch_conf_init(&sc);
	sc.fdb_max = fdb_max;
	sw = wr_switch_create(&sc);
	assert_non_null(sw);
	w = wr_worker_create(sw, 0);
	assert_non_null(w);
	pool = wr_ring_pool_create(4096, 2048);
	assert_non_null(pool);
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;
		char name[8];
		int idx;

		if (!confs)
			wr_port_conf_init(&c);
		snprintf(name, sizeof(name), "p%d", i);
		port[i] = wr_ring_port_create(pool, name, 1024);
		assert_non_null(port[i]);
		idx = wr_switch_port_add(sw, port[i], confs ? &confs[i] : &c);
		assert_int_equal(idx, i);
		assert_int_equal(wr_worker_add_port(w, (uint16_t)idx), 0);
	}
	now = 1000;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_with(NULL, 1024);
}

static int teardown(void **state)
{
	(void)state;
	wr_switch_destroy(sw);	/* closes the ports */
	/* Every buffer is back: nothing leaked by any path of the pipeline. */
	assert_int_equal(wr_ring_pool_free_count(pool), 4096);
	wr_ring_pool_destroy(pool);
	return 0;
}

/* A 64-byte frame dst ← src carrying IPv4/UDP, optionally 802.1Q-tagged. */
static uint16_t frame(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t vid)
{
	uint16_t o = 12;

	memset(f, 0, 128);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	if (vid) {
		f[o++] = 0x81, f[o++] = 0x00;
		f[o++] = (uint8_t)(vid >> 8), f[o++] = (uint8_t)vid;
	}
	f[o++] = 0x08, f[o++] = 0x00;
	f[o] = 0x45;			/* IPv4, IHL 5 */
	f[o + 3] = 46;			/* total length */
	f[o + 8] = 64;
	f[o + 9] = 17;			/* UDP */
	f[o + 12] = 192, f[o + 13] = 0, f[o + 14] = 2, f[o + 15] = 1;
	f[o + 16] = 192, f[o + 17] = 0, f[o + 18] = 2, f[o + 19] = 2;
	f[o + 21] = 0x10, f[o + 23] = 0x20;	/* ports */
	f[o + 25] = 26;			/* UDP length */
	return vid ? 68 : 64;
}

static void send(int p, const uint8_t *dst, const uint8_t *src, uint16_t vid)
{
	uint8_t f[128];

	assert_int_equal(wr_ring_inject(port[p], f, frame(f, dst, src, vid)), 0);
}

/* Poll until nothing is left to receive, then let the control thread learn. */
static void run(void)
{
	while (wr_worker_poll(w, now))
		;
	wr_switch_tick(sw, now);
}

/* How many frames port @p sent; drained. The last one's tag is in *vid. */
static int got(int p, int *vid)
{
	uint8_t f[2048];
	int n = 0, len;

	if (vid)
		*vid = -1;
	while ((len = wr_ring_collect(port[p], f, sizeof(f))) >= 0) {
		n++;
		if (vid)
			*vid = f[12] == 0x81 && f[13] == 0 ? ((f[14] & 0x0f) << 8 | f[15]) : 0;
	}
	return n;
}

static uint64_t drops(enum wr_drop d)
{
	uint64_t dr[WR_DROP_COUNT] = { 0 }, ev[WR_EVENT_COUNT] = { 0 };

	wr_switch_counters(sw, dr, ev);
	return dr[d];
}

static uint64_t events(enum wr_event e)
{
	uint64_t dr[WR_DROP_COUNT] = { 0 }, ev[WR_EVENT_COUNT] = { 0 };

	wr_switch_counters(sw, dr, ev);
	return ev[e];
}

static int fdb_port(uint16_t bd, const uint8_t *mac)
{
	struct wr_fdb_entry e;

	return wr_fdb_get(sw, bd, mac, &e) ? -1 : e.port;
}

/*
 * Every frame received on a port either left (a flooded one counts once,
 * however many ports it left by) or was dropped, on the port it came in
 * by. Every attached port, the test's four and any other.
 */
static void check_accounting(uint64_t forwarded_frames)
{
	uint64_t rx = 0, dropped = 0;

	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wr_port_stats st;

		wr_switch_port_stats(sw, (uint16_t)i, &st);
		rx += st.rx_pkts;
		dropped += st.drops;
	}
	assert_int_equal(rx, forwarded_frames + dropped);

	/* The driver's own counts agree with the switch's, port by port. */
	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wr_port *p = atomic_load(&sw->ports[i].port);
		struct wr_port_stats sws, drv = { 0 };

		if (!p)
			continue;
		wr_switch_port_stats(sw, (uint16_t)i, &sws);
		p->ops->stats(p, &drv);
		assert_int_equal(drv.rx_pkts, sws.rx_pkts);
		assert_int_equal(drv.rx_bytes, sws.rx_bytes);
		assert_int_equal(drv.tx_pkts, sws.tx_pkts);
		assert_int_equal(drv.tx_bytes, sws.tx_bytes);
	}
}

static void test_flood_then_learn(void **state)
{
	int vid;

	(void)state;
	send(0, bcast, mac_a, 0);
	run();
	assert_int_equal(got(0, NULL), 0);
	assert_int_equal(got(1, NULL), 1);
	assert_int_equal(got(2, NULL), 1);
	assert_int_equal(got(3, &vid), 1);
	assert_int_equal(vid, 0);
	assert_int_equal(fdb_port(1, mac_a), 0);
	assert_int_equal(events(WR_EVENT_FLOOD), 1);

	send(1, mac_a, mac_b, 0);	/* known: only p0 */
	run();
	assert_int_equal(got(0, NULL), 1);
	assert_int_equal(got(2, NULL) + got(3, NULL) + got(1, NULL), 0);
	assert_int_equal(fdb_port(1, mac_b), 1);

	send(0, mac_b, mac_a, 0);	/* both known now */
	run();
	assert_int_equal(got(1, NULL), 1);
	assert_int_equal(got(0, NULL) + got(2, NULL) + got(3, NULL), 0);
	check_accounting(3);
}

static void test_unknown_unicast_floods(void **state)
{
	(void)state;
	send(2, mac_c, mac_a, 0);
	run();
	assert_int_equal(got(0, NULL), 1);
	assert_int_equal(got(1, NULL), 1);
	assert_int_equal(got(3, NULL), 1);
	assert_int_equal(got(2, NULL), 0);	/* never back out the input port */
	check_accounting(1);
}

static void test_same_port_dropped(void **state)
{
	(void)state;
	send(0, bcast, mac_a, 0);
	send(0, bcast, mac_b, 0);
	run();
	got(1, NULL), got(2, NULL), got(3, NULL);
	send(0, mac_b, mac_a, 0);	/* b lives on p0 too */
	run();
	assert_int_equal(got(0, NULL) + got(1, NULL) + got(2, NULL) + got(3, NULL), 0);
	assert_int_equal(drops(WR_DROP_SAME_PORT), 1);
	check_accounting(2);
}

/*
 * Runs of frames with the same keys in one vector take the first one's
 * verdict; a run from another port, or with another destination, is
 * looked up again.
 */
static void test_runs_in_one_vector(void **state)
{
	(void)state;
	send(0, bcast, mac_a, 0);
	send(1, bcast, mac_b, 0);
	send(0, bcast, mac_c, 0);
	run();
	got(0, NULL), got(1, NULL), got(2, NULL), got(3, NULL);

	/* One poll: p0's burst, then p1's. */
	for (int i = 0; i < 5; i++)
		send(0, mac_b, mac_a, 0);	/* to p1 */
	for (int i = 0; i < 3; i++)
		send(0, mac_c, mac_a, 0);	/* c is on p0: dropped */
	for (int i = 0; i < 2; i++)
		send(0, mac_b, mac_a, 0);	/* to p1 again */
	for (int i = 0; i < 4; i++)
		send(1, mac_b, mac_a, 0);	/* same keys, but b is on p1: dropped */
	assert_int_equal(wr_worker_poll(w, now), 14);
	wr_switch_tick(sw, now);
	assert_int_equal(got(1, NULL), 7);
	assert_int_equal(got(0, NULL) + got(2, NULL) + got(3, NULL), 0);
	assert_int_equal(drops(WR_DROP_SAME_PORT), 7);
	assert_int_equal(fdb_port(1, mac_a), 1);	/* a moved to p1 */
	check_accounting(3 + 7);
}

static void test_age_out(void **state)
{
	(void)state;
	send(0, bcast, mac_a, 0);
	run();
	assert_int_equal(fdb_port(1, mac_a), 0);
	now += 200;
	send(0, bcast, mac_a, 0);	/* refreshes a */
	run();
	now += 200;
	wr_switch_tick(sw, now);
	assert_int_equal(fdb_port(1, mac_a), 0);	/* seen 200 s ago: stays */
	now += 301;
	wr_switch_tick(sw, now);
	assert_int_equal(fdb_port(1, mac_a), -1);
	assert_int_equal(events(WR_EVENT_AGED), 1);
	got(1, NULL), got(2, NULL), got(3, NULL);
	send(1, mac_a, mac_b, 0);	/* a forgotten: flooded again */
	run();
	assert_int_equal(got(0, NULL) + got(2, NULL) + got(3, NULL), 3);
}

static void test_mac_move(void **state)
{
	(void)state;
	send(0, bcast, mac_a, 0);
	run();
	assert_int_equal(fdb_port(1, mac_a), 0);
	send(2, bcast, mac_a, 0);
	run();
	assert_int_equal(fdb_port(1, mac_a), 2);
	assert_int_equal(events(WR_EVENT_MAC_MOVE), 1);
	got(0, NULL), got(1, NULL), got(2, NULL), got(3, NULL);
	send(1, mac_a, mac_b, 0);
	run();
	assert_int_equal(got(2, NULL), 1);
	assert_int_equal(got(0, NULL), 0);
}

static void test_bridge_domains_isolated(void **state)
{
	struct wr_port_conf c[N_PORTS];

	(void)state;
	teardown(NULL);
	for (int i = 0; i < N_PORTS; i++) {
		wr_port_conf_init(&c[i]);
		c[i].bd = i < 2 ? 1 : 2;
	}
	setup_with(c, 1024);
	send(0, bcast, mac_a, 0);
	send(2, bcast, mac_b, 0);
	run();
	assert_int_equal(got(1, NULL), 1);
	assert_int_equal(got(3, NULL), 1);
	assert_int_equal(got(0, NULL) + got(2, NULL), 0);
	/* The same MAC may live in both domains, on different ports. */
	send(3, bcast, mac_a, 0);
	run();
	assert_int_equal(fdb_port(1, mac_a), 0);
	assert_int_equal(fdb_port(2, mac_a), 3);
	assert_int_equal(events(WR_EVENT_MAC_MOVE), 0);
}

static void test_vlan_access_trunk(void **state)
{
	struct wr_port_conf c[N_PORTS];
	int vid;

	(void)state;
	teardown(NULL);
	for (int i = 0; i < N_PORTS; i++)
		wr_port_conf_init(&c[i]);
	c[0].vlan_mode = WR_VLAN_ACCESS, c[0].access_vlan = 10;
	c[1].vlan_mode = WR_VLAN_ACCESS, c[1].access_vlan = 20;
	c[2].vlan_mode = WR_VLAN_TRUNK;
	c[2].allowed[0] = (1ull << 10) | (1ull << 20);
	c[3].vlan_mode = WR_VLAN_TRUNK, c[3].native_vlan = 10;
	c[3].allowed[0] = 1ull << 10;
	setup_with(c, 1024);
	assert_int_equal(wr_switch_vlan_bd(sw, 10, 10), 0);
	assert_int_equal(wr_switch_vlan_bd(sw, 20, 20), 0);

	send(0, bcast, mac_a, 0);	/* access 10 → trunk tagged 10, native trunk untagged */
	run();
	assert_int_equal(got(1, NULL), 0);
	assert_int_equal(got(2, &vid), 1);
	assert_int_equal(vid, 10);
	assert_int_equal(got(3, &vid), 1);
	assert_int_equal(vid, 0);

	send(2, bcast, mac_b, 20);	/* trunk tagged 20 → access 20 untagged */
	run();
	assert_int_equal(got(1, &vid), 1);
	assert_int_equal(vid, 0);
	assert_int_equal(got(0, NULL) + got(3, NULL), 0);

	send(2, bcast, mac_c, 30);	/* not allowed */
	send(0, bcast, mac_c, 20);	/* tagged on an access port of another VLAN */
	run();
	assert_int_equal(drops(WR_DROP_VLAN_NOT_ALLOWED), 2);
	assert_int_equal(got(0, NULL) + got(1, NULL) + got(2, NULL) + got(3, NULL), 0);

	send(1, mac_a, mac_b, 0);	/* VLAN 20 cannot reach a (VLAN 10): flooded in 20 */
	run();
	assert_int_equal(got(0, NULL), 0);
	assert_int_equal(got(2, &vid), 1);
	assert_int_equal(vid, 20);
	check_accounting(3);
}

static void test_port_down_and_deleted(void **state)
{
	(void)state;
	send(0, bcast, mac_a, 0);
	send(1, bcast, mac_b, 0);
	run();
	got(0, NULL), got(1, NULL), got(2, NULL), got(3, NULL);

	assert_int_equal(wr_switch_port_up(sw, 1, false), 0);
	send(0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(1, NULL), 0);
	assert_int_equal(drops(WR_DROP_PORT_DOWN), 1);
	assert_int_equal(wr_switch_port_up(sw, 1, true), 0);

	wr_ring_set_link(port[1], false);	/* carrier lost */
	send(0, mac_b, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_PORT_DOWN), 2);
	wr_ring_set_link(port[1], true);

	assert_int_equal(wr_switch_port_del(sw, 1), 0);
	port[1] = NULL;
	assert_int_equal(fdb_port(1, mac_b), -1);	/* its entries went with it */
	send(0, mac_b, mac_a, 0);			/* unknown now: flooded to p2, p3 */
	run();
	assert_int_equal(got(2, NULL), 1);
	assert_int_equal(got(3, NULL), 1);
	assert_int_equal(wr_switch_port_del(sw, 1), -ENOENT);
}

/* A port made in a deleted port's slot starts with counters of its own: zero. */
static void test_reused_slot_counts_anew(void **state)
{
	struct wr_port_stats st;
	struct wr_port_conf c;

	(void)state;
	send(1, bcast, mac_b, 0);
	send(0, mac_b, mac_a, 0);
	run();
	wr_switch_port_stats(sw, 1, &st);
	assert_int_equal(st.rx_pkts + st.tx_pkts, 2);
	assert_int_equal(wr_switch_port_del(sw, 1), 0);
	run();					/* closed, its slot free */
	port[1] = wr_ring_port_create(pool, "p1again", 64);
	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_add(sw, port[1], &c), 1);
	assert_int_equal(wr_worker_add_port(w, 1), 0);
	wr_switch_port_stats(sw, 1, &st);
	assert_int_equal(st.rx_pkts + st.rx_bytes + st.tx_pkts + st.tx_bytes + st.drops + st.copies, 0);
	got(0, NULL), got(2, NULL), got(3, NULL);
}

static void test_malformed_counted(void **state)
{
	uint8_t f[128];
	uint16_t len = frame(f, mac_b, mac_a, 0);

	(void)state;
	assert_int_equal(wr_ring_inject(port[0], f, 10), 0);	/* runt */
	assert_int_equal(wr_ring_inject(port[0], f, 14), 0);	/* header only: fine */
	f[6] = 0x01;						/* multicast source */
	assert_int_equal(wr_ring_inject(port[0], f, len), 0);
	run();
	assert_int_equal(drops(WR_DROP_PARSE_RUNT), 1);
	assert_int_equal(drops(WR_DROP_PARSE_SRC_MCAST), 1);
	assert_int_equal(got(1, NULL) + got(2, NULL) + got(3, NULL), 3);
	check_accounting(1);
}

static void test_fdb_full_still_forwards(void **state)
{
	uint8_t src[6] = { 0x02, 1, 0, 0, 0, 0 };

	(void)state;
	teardown(NULL);
	setup_with(NULL, 4);
	for (int i = 0; i < 8; i++) {
		src[5] = (uint8_t)i;
		send(0, bcast, src, 0);
		run();
	}
	assert_int_equal(wr_fdb_count(sw), 4);
	assert_int_equal(events(WR_EVENT_FDB_FULL), 4);
	assert_int_equal(got(1, NULL), 8);	/* a full table is a counter, not a drop */
}

static void test_learning_off_and_mac_limit(void **state)
{
	struct wr_port_conf c[N_PORTS];
	uint8_t src[6] = { 0x02, 2, 0, 0, 0, 0 };

	(void)state;
	teardown(NULL);
	for (int i = 0; i < N_PORTS; i++)
		wr_port_conf_init(&c[i]);
	c[0].learning = false;
	c[1].mac_limit = 2;
	setup_with(c, 1024);
	send(0, bcast, mac_a, 0);
	for (int i = 0; i < 4; i++) {
		src[5] = (uint8_t)i;
		send(1, bcast, src, 0);
	}
	run();
	assert_int_equal(fdb_port(1, mac_a), -1);	/* p0 does not learn */
	assert_int_equal(wr_fdb_count(sw), 2);		/* p1 learns two, no more */
	assert_int_equal(events(WR_EVENT_MAC_LIMIT), 2);
	assert_int_equal(got(2, NULL), 5);		/* and every frame still went */
	check_accounting(5);
}

/*
 * A frame too long for another pool's buffers is dropped and counted, never
 * copied past them; dropped whole (unicast), it is a drop of its input port.
 */
static void test_too_big_for_other_pool(void **state)
{
	struct wr_ring_pool *small = wr_ring_pool_create(64, 256);
	struct wr_port *sp;
	struct wr_port_conf c;
	uint8_t f[1024] = { 0 }, out[1024];
	uint16_t len = frame(f, bcast, mac_a, 0);
	struct wr_port_stats st;
	int idx;

	(void)state;
	assert_non_null(small);
	sp = wr_ring_port_create(small, "small", 64);
	wr_port_conf_init(&c);
	idx = wr_switch_port_add(sw, sp, &c);
	assert_int_equal(idx, N_PORTS);
	assert_int_equal(wr_worker_add_port(w, (uint16_t)idx), 0);

	assert_int_equal(wr_ring_inject(port[0], f, len), 0);	/* fits: 64 bytes */
	assert_int_equal(wr_ring_inject(port[0], f, 1000), 0);	/* does not: 1000 > 256 */
	run();
	assert_int_equal(drops(WR_DROP_TOO_BIG), 1);
	assert_int_equal(got(1, NULL), 2);			/* same pool: both */
	assert_int_equal(wr_ring_collect(sp, out, sizeof(out)), len);
	assert_int_equal(wr_ring_collect(sp, out, sizeof(out)), -1);
	got(2, NULL);
	got(3, NULL);
	/* The flooded one reached three ports of four: it left, it is no drop. */
	wr_switch_port_stats(sw, 0, &st);
	assert_int_equal(st.drops, 0);

	/* mac_c lives behind the small port; a unicast to it cannot fit. */
	len = frame(f, bcast, mac_c, 0);
	assert_int_equal(wr_ring_inject(sp, f, len), 0);
	run();
	assert_int_equal(got(0, NULL) + got(1, NULL) + got(2, NULL) + got(3, NULL), 4);
	frame(f, mac_c, mac_a, 0);
	assert_int_equal(wr_ring_inject(port[0], f, 1000), 0);
	run();
	assert_int_equal(drops(WR_DROP_TOO_BIG), 2);
	assert_int_equal(wr_ring_collect(sp, out, sizeof(out)), -1);
	wr_switch_port_stats(sw, 0, &st);
	assert_int_equal(st.drops, 1);
	check_accounting(3);

	assert_int_equal(wr_switch_port_del(sw, (uint16_t)idx), 0);
	run();
	assert_int_equal(wr_ring_pool_free_count(small), 64);
	wr_ring_pool_destroy(small);
}

static uint64_t port_drops(int p)
{
	struct wr_port_stats st;

	wr_switch_port_stats(sw, (uint16_t)p, &st);
	return st.drops;
}

/* Frames @p sent, collected and freed. */
static int collect_all(struct wr_port *p)
{
	uint8_t f[2048];
	int n = 0;

	while (wr_ring_collect(p, f, sizeof(f)) >= 0)
		n++;
	return n;
}

/*
 * What the output stage drops (too long for the port, not of its VLAN,
 * its send ring full) is a drop of the port the frame came in by; a
 * flooded frame is one only when none of its copies left.
 */
static void test_output_drops_on_input_port(void **state)
{
	static const uint8_t mac_d[6] = { 0x02, 0, 0, 0, 0, 0xd };
	static const uint8_t mac_e[6] = { 0x02, 0, 0, 0, 0, 0xe };
	struct wr_port *tiny = wr_ring_port_create(pool, "tiny", 2);	/* sends two at most */
	struct wr_port_conf c;
	uint8_t f[256] = { 0 };
	int t;

	(void)state;
	wr_port_conf_init(&c);
	t = wr_switch_port_add(sw, tiny, &c);
	assert_int_equal(t, N_PORTS);
	assert_int_equal(wr_worker_add_port(w, (uint16_t)t), 0);
	send(1, bcast, mac_b, 0);
	assert_int_equal(wr_ring_inject(tiny, f, frame(f, bcast, mac_d, 0)), 0);
	run();
	got(0, NULL), got(1, NULL), got(2, NULL), got(3, NULL), collect_all(tiny);

	port[1]->max_len = 100;				/* longer than p1 takes */
	frame(f, mac_b, mac_a, 0);
	assert_int_equal(wr_ring_inject(port[0], f, 200), 0);
	run();
	assert_int_equal(drops(WR_DROP_TOO_BIG), 1);
	assert_int_equal(port_drops(0), 1);

	for (int i = 0; i < 4; i++)			/* four to a ring of two */
		send(0, mac_d, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_TX_FULL), 2);
	assert_int_equal(port_drops(0), 3);
	assert_int_equal(port_drops(N_PORTS), 0);	/* the output port's are not its drops */

	/* A flood p1 (too long) and tiny (full) refuse, p2 and p3 take: it left. */
	frame(f, bcast, mac_a, 0);
	assert_int_equal(wr_ring_inject(port[0], f, 200), 0);
	run();
	assert_int_equal(got(2, NULL) + got(3, NULL), 2);
	assert_int_equal(drops(WR_DROP_TOO_BIG), 2);
	assert_int_equal(drops(WR_DROP_TX_FULL), 3);
	assert_int_equal(port_drops(0), 3);

	/* One that no port takes is dropped, once. */
	port[2]->max_len = port[3]->max_len = 100;
	assert_int_equal(wr_ring_inject(port[0], f, 200), 0);
	run();
	assert_int_equal(drops(WR_DROP_TOO_BIG), 5);
	assert_int_equal(drops(WR_DROP_TX_FULL), 4);
	assert_int_equal(port_drops(0), 4);
	for (int i = 1; i < N_PORTS; i++)
		port[i]->max_len = port[i]->buf_size;

	/* VLANs 10 and 20 share bridge domain 10: a unicast from 20 to 10 cannot leave. */
	c.vlan_mode = WR_VLAN_ACCESS;
	c.access_vlan = 10;
	assert_int_equal(wr_switch_port_set(sw, 2, &c), 0);
	c.access_vlan = 20;
	assert_int_equal(wr_switch_port_set(sw, 3, &c), 0);
	assert_int_equal(wr_switch_vlan_bd(sw, 20, 10), 0);
	send(2, bcast, mac_e, 0);			/* no port of VLAN 10 but its own */
	run();
	assert_int_equal(drops(WR_DROP_NO_PORT), 1);
	assert_int_equal(port_drops(2), 1);
	assert_int_equal(fdb_port(10, mac_e), 2);
	send(3, mac_e, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_VLAN_NOT_ALLOWED), 1);
	assert_int_equal(port_drops(3), 1);
	assert_int_equal(got(0, NULL) + got(1, NULL) + got(2, NULL) + got(3, NULL), 0);
	check_accounting(5);
}

/*
 * Every port in one bridge domain and one vector: a broadcast gives every
 * port's queue a frame, then 96 frames to one port fill its queue three
 * times over. Every frame leaves in the same pass; none waits in a queue.
 */
static void test_all_ports_one_vector(void **state)
{
	static const uint8_t src[4][6] = {
		{ 2, 0, 0, 0, 1, 0 }, { 2, 0, 0, 0, 1, 2 }, { 2, 0, 0, 0, 1, 3 }, { 2, 0, 0, 0, 1, 4 },
	};
	struct wr_port *all[WR_PORT_MAX];
	struct wr_port_conf c;

	(void)state;
	wr_port_conf_init(&c);
	for (int i = 0; i < N_PORTS; i++)
		all[i] = port[i];
	for (int i = N_PORTS; i < WR_PORT_MAX; i++) {
		all[i] = wr_ring_port_create(pool, "many", 128);
		assert_non_null(all[i]);
		assert_int_equal(wr_switch_port_add(sw, all[i], &c), i);
		assert_int_equal(wr_worker_add_port(w, (uint16_t)i), 0);
	}
	send(1, bcast, mac_b, 0);
	run();
	for (int i = 0; i < WR_PORT_MAX; i++)
		assert_int_equal(collect_all(all[i]), i != 1);

	/* One pass: bursts of 32 from p0, p2, p3, one from p4; p1 is mac_b's. */
	send(0, bcast, src[0], 0);
	for (int i = 0; i < 31; i++)
		send(0, mac_b, src[0], 0);
	for (int i = 0; i < 65; i++) {
		uint8_t f[128];

		assert_int_equal(wr_ring_inject(all[2 + i / 32], f, frame(f, mac_b, src[1 + i / 32], 0)),
				 0);
	}
	assert_int_equal(wr_worker_poll(w, now), 97);
	for (int i = 0; i < WR_PORT_MAX; i++)
		assert_int_equal(collect_all(all[i]), i == 1 ? 97 : i != 0);
	wr_switch_tick(sw, now);
	check_accounting(98);
}

/* ------------------------------------------------------------ the mirror */

/* What a mirror was told, as the kernel fast path's map would hold it. */
struct mirror_copy {
	int n;
	struct { uint16_t bd; uint8_t mac[6]; int port; bool is_static; uint32_t seen; } e[16];
	int sets, dels;
};

static int mc_find(struct mirror_copy *mc, uint16_t bd, const uint8_t mac[6])
{
	for (int i = 0; i < mc->n; i++)
		if (mc->e[i].bd == bd && !memcmp(mc->e[i].mac, mac, 6))
			return i;
	return -1;
}

static void mc_set(void *ctx, uint16_t bd, const uint8_t mac[6], uint16_t port, bool is_static)
{
	struct mirror_copy *mc = ctx;
	int i = mc_find(mc, bd, mac);

	if (i < 0) {
		assert_true(mc->n < 16);
		i = mc->n++;
		mc->e[i].bd = bd;
		memcpy(mc->e[i].mac, mac, 6);
		mc->e[i].seen = 0;
	}
	mc->e[i].port = port;
	mc->e[i].is_static = is_static;
	mc->sets++;
}

static void mc_del(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct mirror_copy *mc = ctx;
	int i = mc_find(mc, bd, mac);

	assert_true(i >= 0);	/* never told to delete what it was not told of */
	mc->e[i] = mc->e[--mc->n];
	mc->dels++;
}

static uint32_t mc_seen(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct mirror_copy *mc = ctx;
	int i = mc_find(mc, bd, mac);

	return i < 0 ? 0 : mc->e[i].seen;
}

static int mc_port(struct mirror_copy *mc, uint16_t bd, const uint8_t mac[6])
{
	int i = mc_find(mc, bd, mac);

	return i < 0 ? -1 : mc->e[i].port;
}

/* The mirror holds what the FDB holds through every kind of change. */
static void test_mirror_follows_fdb(void **state)
{
	static const uint8_t mac_s[6] = { 0x02, 0, 0, 0, 0, 0x5 };
	struct mirror_copy mc = { 0 };
	struct wr_fdb_mirror m = { mc_set, mc_del, mc_seen, &mc };

	(void)state;
	send(0, bcast, mac_a, 0);
	run();
	wr_switch_set_mirror(sw, &m);			/* replays what is there */
	assert_int_equal(mc_port(&mc, 1, mac_a), 0);

	send(1, mac_a, mac_b, 0);			/* learned */
	run();
	assert_int_equal(mc_port(&mc, 1, mac_b), 1);
	send(2, bcast, mac_a, 0);			/* moved */
	run();
	assert_int_equal(mc_port(&mc, 1, mac_a), 2);
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_s, 3), 0);
	assert_true(mc.e[mc_find(&mc, 1, mac_s)].is_static);
	assert_int_equal(wr_fdb_del(sw, 1, mac_s), 0);	/* deleted */
	assert_int_equal(mc_port(&mc, 1, mac_s), -1);
	assert_int_equal(mc.n, 2);

	/* Aging: b was forwarded by the mirror alone (seen there), a was not. */
	now += 400;
	mc.e[mc_find(&mc, 1, mac_b)].seen = now - 10;
	wr_switch_tick(sw, now);
	wr_switch_tick(sw, now + 8);			/* the sweep covers the table in 8 s */
	assert_int_equal(fdb_port(1, mac_b), 1);
	assert_int_equal(mc_port(&mc, 1, mac_b), 1);
	assert_int_equal(fdb_port(1, mac_a), -1);
	assert_int_equal(mc_port(&mc, 1, mac_a), -1);

	assert_int_equal(wr_switch_port_del(sw, 1), 0);	/* its port goes */
	port[1] = NULL;
	assert_int_equal(mc.n, 0);
	assert_int_equal(mc.sets, 4);
	assert_int_equal(mc.dels, 3);

	wr_switch_set_mirror(sw, NULL);
	send(0, bcast, mac_c, 0);
	run();
	assert_int_equal(mc.sets, 4);			/* told nothing any more */
	got(2, NULL), got(3, NULL), got(0, NULL);
}

/* ------------------------------------------------ learning and isolation */

/*
 * A learn request a worker queued before its port was deleted is refused
 * when applied: no entry points at the empty slot, and a port made there
 * later neither gets the old host's frames nor counts its MAC.
 */
static void test_learn_queued_before_port_del(void **state)
{
	struct wr_port_conf c;

	(void)state;
	send(1, bcast, mac_b, 0);
	assert_int_equal(wr_worker_poll(w, now), 1);	/* b's request queued, not applied */
	assert_int_equal(wr_switch_port_del(sw, 1), 0);
	run();
	assert_int_equal(fdb_port(1, mac_b), -1);
	assert_int_equal(wr_fdb_count(sw), 0);

	port[1] = wr_ring_port_create(pool, "p1again", 64);
	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_add(sw, port[1], &c), 1);
	assert_int_equal(wr_worker_add_port(w, 1), 0);
	assert_int_equal(wr_fdb_port_learned(sw->fdb, 1), 0);
	got(0, NULL), got(2, NULL), got(3, NULL);
	send(0, mac_b, mac_a, 0);			/* b is unknown: flooded */
	run();
	assert_int_equal(got(1, NULL) + got(2, NULL) + got(3, NULL), 3);
}

/*
 * A learn request queued before its port moved to another bridge domain
 * is refused: the old domain's frames to that MAC do not cross into the
 * new one, nor does the kernel's copy of the table learn it.
 */
static void test_learn_queued_before_bd_change(void **state)
{
	struct mirror_copy mc = { 0 };
	struct wr_fdb_mirror m = { mc_set, mc_del, mc_seen, &mc };
	struct wr_port_conf c;

	(void)state;
	wr_switch_set_mirror(sw, &m);
	send(1, bcast, mac_b, 0);
	assert_int_equal(wr_worker_poll(w, now), 1);	/* b asked for in bd 1 */
	wr_port_conf_init(&c);
	c.bd = 2;
	assert_int_equal(wr_switch_port_set(sw, 1, &c), 0);
	run();
	assert_int_equal(fdb_port(1, mac_b), -1);
	assert_int_equal(mc_port(&mc, 1, mac_b), -1);
	got(0, NULL), got(2, NULL), got(3, NULL);
	send(0, mac_b, mac_a, 0);			/* flooded in bd 1: p1 is not in it */
	run();
	assert_int_equal(got(1, NULL), 0);
	assert_int_equal(got(2, NULL) + got(3, NULL), 2);

	/* In its new domain it learns at once (the same second). */
	send(1, bcast, mac_b, 0);
	run();
	assert_int_equal(fdb_port(2, mac_b), 1);
	assert_int_equal(mc_port(&mc, 2, mac_b), 1);
	wr_switch_set_mirror(sw, NULL);
}

/* The same when a VLAN's bridge domain changes under an access port. */
static void test_learn_queued_before_vlan_bd_change(void **state)
{
	struct wr_port_conf c;

	(void)state;
	wr_port_conf_init(&c);
	c.vlan_mode = WR_VLAN_ACCESS;
	c.access_vlan = 10;
	assert_int_equal(wr_switch_port_set(sw, 1, &c), 0);
	assert_int_equal(wr_switch_port_set(sw, 2, &c), 0);
	send(1, bcast, mac_b, 0);
	assert_int_equal(wr_worker_poll(w, now), 1);	/* b asked for in bd 10 */
	assert_int_equal(wr_switch_vlan_bd(sw, 10, 20), 0);
	run();
	assert_int_equal(fdb_port(10, mac_b), -1);
	send(1, bcast, mac_b, 0);
	run();
	assert_int_equal(fdb_port(20, mac_b), 1);
	assert_int_equal(got(2, NULL), 2);
}

/*
 * A static entry is for a bridge domain its port is in (for an access or
 * trunk port, one its VLANs belong to), and goes when the port leaves it.
 */
static void test_static_entry_in_port_bd(void **state)
{
	static const uint8_t mac_s[6] = { 0x02, 0, 0, 0, 0, 0x5 };
	struct wr_port_conf c;

	(void)state;
	assert_int_equal(wr_fdb_add_static(sw, 2, mac_s, 1), -EXDEV);
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_s, 1), 0);
	assert_int_equal(wr_fdb_add_static(sw, 0, mac_a, 1), 0);	/* 0: the port's own */
	assert_int_equal(fdb_port(1, mac_a), 1);

	wr_port_conf_init(&c);
	c.vlan_mode = WR_VLAN_TRUNK;
	c.allowed[0] = 1ull << 10 | 1ull << 20;
	assert_int_equal(wr_switch_port_set(sw, 2, &c), 0);
	assert_int_equal(wr_switch_vlan_bd(sw, 20, 200), 0);
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_s, 2), -EXDEV);
	assert_int_equal(wr_fdb_add_static(sw, 0, mac_s, 2), -EXDEV);	/* two: which? */
	assert_int_equal(wr_fdb_add_static(sw, 10, mac_b, 2), 0);
	assert_int_equal(wr_fdb_add_static(sw, 200, mac_b, 2), 0);
	assert_int_equal(wr_fdb_add_static(sw, 20, mac_b, 2), -EXDEV);	/* VLAN 20 is bd 200's */

	/* p1 leaves bd 1: its static entries there go; p2 leaves bd 200 with VLAN 20. */
	c.allowed[0] = 1ull << 10;
	assert_int_equal(wr_switch_port_set(sw, 2, &c), 0);
	assert_int_equal(fdb_port(10, mac_b), 2);
	assert_int_equal(fdb_port(200, mac_b), -1);
	wr_port_conf_init(&c);
	c.bd = 3;
	assert_int_equal(wr_switch_port_set(sw, 1, &c), 0);
	assert_int_equal(fdb_port(1, mac_s), -1);
	assert_int_equal(fdb_port(1, mac_a), -1);
	assert_int_equal(wr_fdb_count(sw), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_then_learn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_unicast_floods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_port_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_in_one_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_domains_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_access_trunk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_down_and_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reused_slot_counts_anew, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn_queued_before_port_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn_queued_before_bd_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn_queued_before_vlan_bd_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_entry_in_port_bd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fdb_full_still_forwards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning_off_and_mac_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big_for_other_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_drops_on_input_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_ports_one_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror_follows_fdb, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
