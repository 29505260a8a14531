/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_steer.c - steering rules on ring ports: add, delete, bounds, the
 * published table, matching by destination MAC and by VLAN over what the
 * FDB says, counters, a rule whose port goes and comes back, a rule
 * deleted between two vectors, the mirror. (A VNI rule: test_tunnel.c.)
 *
 *   p0 (bd 1) --+                  +-- p2 (bd 1)
 *   p1 (bd 1) --+--- switch -------+-- p3 (bd 2)
 *   a0 (access 10) --+   +-- t0 (trunk 10, 20)
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

#include "frames.h"
#include "steer_priv.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define POOL_BUFS 4096
#define N_PORTS 6
enum { P0, P1, P2, P3, A0, T0 };

static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_ring_pool *pool;
static struct wr_port *port[N_PORTS];
static const uint32_t now = 1000;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int setup(void **state)
{
	(void)state;
	sw = wr_switch_create(NULL);
	assert_non_null(sw);
	w = wr_worker_create(sw, 0);
	assert_non_null(w);
	pool = wr_ring_pool_create(POOL_BUFS, 2048);
	assert_non_null(pool);
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;
		char name[8];

		wr_port_conf_init(&c);
		c.bd = i == P3 ? 2 : 1;
		if (i == A0) {
			c.vlan_mode = WR_VLAN_ACCESS;
			c.access_vlan = 10;
		} else if (i == T0) {
			c.vlan_mode = WR_VLAN_TRUNK;
			c.allowed[0] = 1ull << 10 | 1ull << 20;
		}
		snprintf(name, sizeof(name), "p%d", i);
		port[i] = wr_ring_port_create(pool, name, 1024);
		assert_non_null(port[i]);
		assert_int_equal(wr_switch_port_add(sw, port[i], &c), i);
		assert_int_equal(wr_worker_add_port(w, (uint16_t)i), 0);
	}
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

/* An Ethernet frame dst ← src (frames.h), tagged @vid when not 0. */
static void send(int p, const uint8_t *dst, const uint8_t *src, uint16_t vid)
{
	struct fb f = FB_INIT;

	fb_eth(&f, src);
	memcpy(f.b, dst, 6);
	if (vid)
		fb_tag(&f, 0x8100, vid);
	fb_et(&f, 0x0800);
	fb_ipv4(&f, 17, 5, 0);
	fb_udp(&f, 16, 32, 18, 0);
	fb_ip_done(&f);
	assert_int_equal(wr_ring_inject(port[p], f.b, f.n), 0);
}

static void run(void)
{
	while (wr_worker_poll(w, now))
		;
	wr_switch_tick(sw, now);
}

/* Frames port @p sent, drained; the last one's tag into *@vid (0: untagged) when not NULL. */
static int got(int p, int *vid)
{
	uint8_t f[2048];
	int n = 0;

	while (wr_ring_collect(port[p], f, sizeof(f)) >= 0) {
		n++;
		if (vid)
			*vid = f[12] == 0x81 ? ((f[14] & 0x0f) << 8 | f[15]) : 0;
	}
	return n;
}

static void drain(void)
{
	for (int i = 0; i < N_PORTS; i++)
		got(i, NULL);
}

static uint64_t drops(enum wr_drop d)
{
	uint64_t dr[WR_DROP_COUNT] = { 0 }, ev[WR_EVENT_COUNT] = { 0 };

	wr_switch_counters(sw, dr, ev);
	return dr[d];
}

static struct wr_steer_match mac_rule(const uint8_t *mac)
{
	struct wr_steer_match m = { .kind = WR_STEER_MAC };

	memcpy(m.mac, mac, 6);
	return m;
}

static struct wr_steer_match vlan_rule(uint32_t vlan)
{
	return (struct wr_steer_match){ .kind = WR_STEER_VLAN, .id = vlan };
}

/* mac_b learned on p1, mac_a on p0. */
static void learn_ab(void)
{
	send(P1, bcast, mac_b, 0);
	send(P0, bcast, mac_a, 0);
	run();
	drain();
}

/* ---------------------------------------------------------------- tests */

static void test_add_del_bounds(void **state)
{
	struct wr_steer_match m = mac_rule(mac_b), bad;
	struct wr_steer_rule r;
	int id;

	(void)state;
	assert_null(atomic_load(&sw->steer));
	id = wr_steer_add(sw, &m, P2);
	assert_true(id >= 0);
	assert_int_equal(wr_steer_find(sw, &m), id);
	assert_int_equal(wr_steer_add(sw, &m, P3), -EEXIST);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.port, P2);
	assert_memory_equal(r.m.mac, mac_b, 6);
	assert_int_equal(wr_steer_count(sw), 1);

	/* Bad matches and ports. */
	bad = mac_rule(bcast);
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = mac_rule((uint8_t[6]){ 0 });
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = vlan_rule(0);
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = vlan_rule(4095);
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = (struct wr_steer_match){ .kind = WR_STEER_VNI, .id = WR_VNI_LAST + 1 };
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = (struct wr_steer_match){ .kind = 0 };
	assert_int_equal(wr_steer_add(sw, &bad, P2), -EINVAL);
	bad = vlan_rule(10);
	assert_int_equal(wr_steer_add(sw, &bad, 200), -ENOENT);
	assert_int_equal(wr_steer_add(sw, &bad, WR_PORT_MAX), -ENOENT);

	assert_int_equal(wr_steer_del(sw, &m), 0);
	assert_int_equal(wr_steer_del(sw, &m), -ENOENT);
	assert_int_equal(wr_steer_find(sw, &m), -ENOENT);
	assert_int_equal(wr_steer_get(sw, id, &r), -ENOENT);
	assert_int_equal(wr_steer_count(sw), 0);
	run();	/* a grace period: the old tables are freed */
	assert_null(atomic_load(&sw->steer));
}

/* WR_STEER_MAX rules, every one found in the published table; one more is refused. */
static void test_full_table(void **state)
{
	const struct steer_table *t;
	struct wr_steer_match m;

	(void)state;
	for (uint32_t i = 0; i < WR_STEER_MAX; i++) {
		m = (struct wr_steer_match){ .kind = WR_STEER_VNI, .id = i * 7 };
		assert_int_equal(wr_steer_add(sw, &m, P2), (int)i);
		/* The workers pass a quiescent point now and then: the old tables go. */
		if (i % 256 == 0)
			run();
	}
	m = vlan_rule(10);
	assert_int_equal(wr_steer_add(sw, &m, P2), -ENOSPC);
	t = atomic_load(&sw->steer);
	assert_true(t->mask + 1 >= 2 * WR_STEER_MAX);
	assert_int_equal(t->kinds, 1u << WR_STEER_VNI);
	for (uint32_t i = 0; i < WR_STEER_MAX; i++) {
		const struct steer_slot *s = steer_find(t, steer_key(WR_STEER_VNI, i * 7));

		assert_non_null(s);
		assert_int_equal(s->id, i);
		assert_int_equal(s->port, P2);
	}
	assert_null(steer_find(t, steer_key(WR_STEER_VNI, 1)));
	assert_null(steer_find(t, steer_key(WR_STEER_VLAN, 7)));
	/* One goes, one comes: the id is free again after a grace period. */
	m = (struct wr_steer_match){ .kind = WR_STEER_VNI, .id = 7 };
	assert_int_equal(wr_steer_del(sw, &m), 0);
	run();
	m = vlan_rule(10);
	assert_int_equal(wr_steer_add(sw, &m, P2), 1);
	run();
}

/* A frame to a MAC learned on p1 goes to p2 by rule, only there; counted per rule. */
static void test_mac_overrides_fdb(void **state)
{
	struct wr_steer_match m = mac_rule(mac_b);
	struct wr_steer_rule r;
	struct wr_fdb_entry e;
	int id;

	(void)state;
	learn_ab();
	assert_int_equal(wr_fdb_get(sw, 1, mac_b, &e), 0);
	assert_int_equal(e.port, P1);
	id = wr_steer_add(sw, &m, P2);
	assert_true(id >= 0);
	for (int i = 0; i < 5; i++)
		send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(P2, NULL), 5);
	assert_int_equal(got(P1, NULL), 0);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.pkts, 5);
	assert_int_equal(r.bytes, 5 * 60);
	/* Other destinations are bridged; broadcast is flooded, not steered. */
	send(P1, mac_a, mac_b, 0);
	send(P0, bcast, mac_a, 0);
	run();
	assert_int_equal(got(P0, NULL), 1);
	assert_int_equal(got(P1, NULL), 1);
	assert_int_equal(got(P2, NULL), 1);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.pkts, 5);
	/* An unknown destination: steered, not flooded. */
	assert_int_equal(wr_fdb_del(sw, 1, mac_b), 0);
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(P2, NULL), 1);
	assert_int_equal(got(P1, NULL), 0);
	/* Deleted: the FDB decides again. */
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_b, P1), 0);
	assert_int_equal(wr_steer_del(sw, &m), 0);
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(P1, NULL), 1);
	assert_int_equal(got(P2, NULL), 0);
}

/* Back to the input port, out of the bridge domain: counted drops, and the rule counts them. */
static void test_refused_targets(void **state)
{
	struct wr_steer_match m = mac_rule(mac_b);
	struct wr_steer_rule r;
	int id;

	(void)state;
	learn_ab();
	id = wr_steer_add(sw, &m, P0);
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_STEER_SAME_PORT), 1);
	assert_int_equal(got(P1, NULL), 0);
	assert_int_equal(wr_steer_del(sw, &m), 0);
	id = wr_steer_add(sw, &m, P3);	/* bd 2 */
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_STEER_OTHER_BD), 1);
	assert_int_equal(got(P3, NULL), 0);
	assert_int_equal(got(P1, NULL), 0);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.pkts, 1);
	/* Every frame is accounted for on its input port. */
	{
		struct wr_port_stats st;

		wr_switch_port_stats(sw, P0, &st);
		assert_int_equal(st.rx_pkts, st.drops + 1);	/* + learn_ab's broadcast */
	}
}

/* A VLAN rule: the frame leaves the trunk tagged, as the bridge would send it; an access target pops. */
static void test_vlan_rule_egress(void **state)
{
	struct wr_steer_match m = vlan_rule(10);
	int vid = -1, id;

	(void)state;
	/* mac_b learned on the access port a0 (VLAN 10). */
	send(A0, bcast, mac_b, 0);
	run();
	drain();
	id = wr_steer_add(sw, &m, T0);
	assert_true(id >= 0);
	/* From the trunk in VLAN 10 to mac_b: the rule sends it back to the trunk: dropped. */
	send(T0, mac_b, mac_a, 10);
	run();
	assert_int_equal(drops(WR_DROP_STEER_SAME_PORT), 1);
	assert_int_equal(got(A0, NULL), 0);
	assert_int_equal(wr_steer_del(sw, &m), 0);
	/* From the access port to a MAC on the trunk, VLAN 10 steered to the trunk: tagged 10. */
	send(T0, bcast, mac_a, 10);
	run();
	drain();
	m = vlan_rule(10);
	assert_true(wr_steer_add(sw, &m, T0) >= 0);
	send(A0, mac_a, mac_b, 0);
	run();
	assert_int_equal(got(T0, &vid), 1);
	assert_int_equal(vid, 10);
	/* VLAN 20 steered to the access port of VLAN 10: its egress refuses it. */
	m = vlan_rule(20);
	assert_true(wr_steer_add(sw, &m, A0) >= 0);
	send(T0, mac_b, mac_a, 20);
	run();
	assert_int_equal(drops(WR_DROP_VLAN_NOT_ALLOWED), 1);
	assert_int_equal(got(A0, NULL), 0);
}

/*
 * Two VLANs of a trunk in one bridge domain: frames alike but for their VLAN
 * are one flow to the FDB, not to a VLAN rule. Back to back in one vector,
 * the second is not given the first's verdict.
 */
static void test_vlan_rule_same_flow(void **state)
{
	struct wr_steer_match m = vlan_rule(20);

	(void)state;
	assert_int_equal(wr_switch_vlan_bd(sw, 20, 10), 0);
	send(A0, bcast, mac_b, 0);
	run();
	drain();
	assert_true(wr_steer_add(sw, &m, T0) >= 0);
	send(T0, mac_b, mac_a, 10);
	send(T0, mac_b, mac_a, 20);
	run();
	assert_int_equal(got(A0, NULL), 1);
	assert_int_equal(drops(WR_DROP_STEER_SAME_PORT), 1);
}

/* The target port goes: the rule stays, inactive, and drops; it comes back: steered again. */
static void test_port_gone_and_back(void **state)
{
	struct wr_steer_match m = mac_rule(mac_b);
	struct wr_port_conf c;
	struct wr_steer_rule r;
	int id, idx;

	(void)state;
	learn_ab();
	id = wr_steer_add(sw, &m, P2);
	assert_int_equal(wr_switch_port_del(sw, P2), 0);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.port, WR_STEER_NO_PORT);
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(drops(WR_DROP_STEER_NO_PORT), 1);
	assert_int_equal(got(P1, NULL), 0);
	/* Back, in another slot perhaps: pointed at it again. */
	port[P2] = wr_ring_port_create(pool, "p2", 1024);
	wr_port_conf_init(&c);
	idx = wr_switch_port_add(sw, port[P2], &c);
	assert_true(idx >= 0);
	assert_int_equal(wr_worker_add_port(w, (uint16_t)idx), 0);
	assert_int_equal(wr_steer_set_port(sw, id, (uint16_t)idx), 0);
	send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(P2, NULL), 1);
	assert_int_equal(wr_steer_get(sw, id, &r), 0);
	assert_int_equal(r.pkts, 2);
	assert_int_equal(wr_steer_set_port(sw, id + 1, (uint16_t)idx), -ENOENT);
	assert_int_equal(wr_steer_set_port(sw, id, 250), -ENOENT);
}

/*
 * A rule deleted while a worker holds the table: the worker's vector
 * finishes under the old table, the next one under the new; the old table
 * is freed only after the worker's quiescent point, and the id is not given
 * again before it (its counters would mix).
 */
static void test_delete_under_traffic(void **state)
{
	struct wr_steer_match m = mac_rule(mac_b), m2 = mac_rule(mac_a);
	const struct steer_table *held;
	int id;

	(void)state;
	learn_ab();
	id = wr_steer_add(sw, &m, P2);
	run();
	held = atomic_load(&sw->steer);
	/* The worker is between two polls, and the table it read is still what it may hold. */
	assert_int_equal(wr_steer_del(sw, &m), 0);
	assert_null(atomic_load(&sw->steer));
	/* No quiescent point yet: the id is not free, another rule gets another id. */
	assert_int_equal(wr_steer_add(sw, &m2, P2), id + 1);
	assert_non_null(steer_find(held, steer_key(WR_STEER_MAC, steer_mac(mac_b))));
	/* The next vector goes by the FDB again. */
	for (int i = 0; i < 100; i++)
		send(P0, mac_b, mac_a, 0);
	run();
	assert_int_equal(got(P1, NULL), 100);
	assert_int_equal(got(P2, NULL), 0);
	/* Past it, the id is free again, its counters from zero. */
	assert_int_equal(wr_steer_del(sw, &m2), 0);
	run();
	assert_int_equal(wr_steer_add(sw, &m, P2), id);
}

static struct {
	int sets, dels;
	int id;
	uint16_t port;
} mirror_seen;

static void mir_set(void *ctx, int id, const struct wr_steer_match *m, uint16_t port)
{
	(void)ctx;
	(void)m;
	mirror_seen.sets++;
	mirror_seen.id = id;
	mirror_seen.port = port;
}

static void mir_del(void *ctx, int id, const struct wr_steer_match *m)
{
	(void)ctx;
	(void)m;
	mirror_seen.dels++;
	mirror_seen.id = id;
}

/* The mirror: replayed, then told of every add, re-point and delete. */
static void test_mirror(void **state)
{
	const struct wr_steer_mirror mir = { mir_set, mir_del, NULL };
	struct wr_steer_match m = vlan_rule(20), m2 = mac_rule(mac_a);
	int id;

	(void)state;
	memset(&mirror_seen, 0, sizeof(mirror_seen));
	id = wr_steer_add(sw, &m, P2);
	wr_switch_set_steer_mirror(sw, &mir);
	assert_int_equal(mirror_seen.sets, 1);
	assert_int_equal(mirror_seen.id, id);
	assert_int_equal(wr_steer_add(sw, &m2, P1), id + 1);
	assert_int_equal(mirror_seen.sets, 2);
	assert_int_equal(mirror_seen.port, P1);
	assert_int_equal(wr_switch_port_del(sw, P2), 0);
	assert_int_equal(mirror_seen.sets, 3);
	assert_int_equal(mirror_seen.id, id);
	assert_int_equal(mirror_seen.port, WR_STEER_NO_PORT);
	assert_int_equal(wr_steer_del(sw, &m), 0);
	assert_int_equal(mirror_seen.dels, 1);
	wr_switch_set_steer_mirror(sw, NULL);
	assert_int_equal(wr_steer_del(sw, &m2), 0);
	assert_int_equal(mirror_seen.dels, 1);
}

/* A tunnel's underlay takes no rule, and a rule's port becomes no underlay. */
static void test_underlay(void **state)
{
	struct wr_steer_match m = vlan_rule(10);
	struct wr_tunnel_conf tc;

	(void)state;
	wr_tunnel_conf_init(&tc, WR_TUNNEL_VXLAN);
	tc.local_ip[0] = 192, tc.local_ip[3] = 1;
	assert_true(wr_steer_add(sw, &m, P2) >= 0);
	assert_int_equal(wr_tunnel_add(sw, P2, &tc), -EBUSY);
	assert_int_equal(wr_tunnel_add(sw, P3, &tc), 0);
	m = vlan_rule(20);
	assert_int_equal(wr_steer_add(sw, &m, P3), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_del_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_overrides_fdb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_rule_egress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_rule_same_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_gone_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_under_traffic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror, setup, teardown),
		cmocka_unit_test_setup_teardown(test_underlay, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
