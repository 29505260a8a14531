/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_tap.c - port mirrors and captures on ring ports: copies of what a
 * port receives and sends go out of another port, a full destination
 * drops and counts copies without touching the originals, a capture
 * records each frame with the switch's verdict, a full capture ring
 * drops and counts, and the refusals (self, loop, duplicate, a port in
 * use).
 *
 *   p0 ---+--- switch (one worker) ---+--- p1
 *   p2 ---+                           +--- p3 (the analyzer: small send ring)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tap_priv.h"
#include "wr_drivers.h"

#define N_PORTS 4
#define SMALL_RING 8	/* p3's send ring: a slow analyzer */

static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_ring_pool *pool;
static struct wr_port *port[N_PORTS];
static uint32_t now = 1000;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };

static int setup(void **state)
{
	struct wr_switch_conf sc;

	(void)state;
	wr_switch_conf_init(&sc);
	sw = wr_switch_create(&sc);
	assert_non_null(sw);
	w = wr_worker_create(sw, 0);
	assert_non_null(w);
	pool = wr_ring_pool_create(4096, 2048);
	assert_non_null(pool);
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;
		char name[8];

		wr_port_conf_init(&c);
		snprintf(name, sizeof(name), "p%d", i);
		port[i] = wr_ring_port_create(pool, name, i == 3 ? SMALL_RING : 1024);
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
	assert_int_equal(wr_ring_pool_free_count(pool), 4096);
	wr_ring_pool_destroy(pool);
	return 0;
}

static void send_len(int p, const uint8_t *dst, const uint8_t *src, uint16_t len)
{
	uint8_t f[128] = { 0 };

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88, f[13] = 0xb5;	/* local experimental ethertype: L2 only */
	f[14] = (uint8_t)p;
	assert_int_equal(wr_ring_inject(port[p], f, len), 0);
}

static void send(int p, const uint8_t *dst, const uint8_t *src)
{
	send_len(p, dst, src, 64);
}

static void run(void)
{
	while (wr_worker_poll(w, now))
		;
	wr_switch_tick(sw, now);
}

static int got(int p)
{
	uint8_t f[2048];
	int n = 0;

	while (wr_ring_collect(port[p], f, sizeof(f)) >= 0)
		n++;
	return n;
}

/* a on p0 and b on p1 learned; every port drained. */
static void learn_ab(void)
{
	send(0, mac_b, mac_a);
	send(1, mac_a, mac_b);
	run();
	for (int i = 0; i < N_PORTS; i++)
		got(i);
}

/* The switch's tx counts agree with the drivers': mirror copies are counted where they leave. */
static void check_tx_counts(void)
{
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_stats sws, drv = { 0 };

		wr_switch_port_stats(sw, (uint16_t)i, &sws);
		port[i]->ops->stats(port[i], &drv);
		assert_int_equal(drv.tx_pkts, sws.tx_pkts);
		assert_int_equal(drv.tx_bytes, sws.tx_bytes);
	}
}

static void test_mirror_rx_tx(void **state)
{
	struct wr_mirror_info mi;
	int rx, tx;

	(void)state;
	learn_ab();
	rx = wr_mirror_add(sw, 0, 3, WR_TAP_RX);
	assert_true(rx >= 0);
	send(0, mac_b, mac_a);		/* p0 receives */
	send(1, mac_a, mac_b);		/* p0 sends */
	run();
	assert_int_equal(got(1), 1);
	assert_int_equal(got(0), 1);
	assert_int_equal(got(3), 1);	/* only what p0 received */
	assert_int_equal(wr_mirror_get(sw, rx, &mi), 0);
	assert_int_equal(mi.copied, 1);
	assert_int_equal(mi.dropped, 0);
	assert_int_equal(wr_mirror_del(sw, rx), 0);

	tx = wr_mirror_add(sw, 0, 3, WR_TAP_TX);
	assert_true(tx >= 0);
	send(0, mac_b, mac_a);
	send(1, mac_a, mac_b);
	send(1, mac_a, mac_b);
	run();
	assert_int_equal(got(1), 1);
	assert_int_equal(got(0), 2);
	assert_int_equal(got(3), 2);	/* only what p0 sent */
	assert_int_equal(wr_mirror_get(sw, tx, &mi), 0);
	assert_int_equal(mi.copied, 2);
	check_tx_counts();
	assert_int_equal(wr_mirror_del(sw, tx), 0);
	assert_int_equal(wr_mirror_del(sw, tx), -ENOENT);
	run();
	assert_null(atomic_load(&sw->taps));
}

/* The analyzer's send ring full: the originals all go, the copies beyond it are counted drops. */
static void test_mirror_full_drops(void **state)
{
	struct wr_mirror_info mi;
	int id;

	(void)state;
	learn_ab();
	id = wr_mirror_add(sw, 0, 3, WR_TAP_BOTH);
	assert_true(id >= 0);
	for (int i = 0; i < 20; i++)
		send(0, mac_b, mac_a);
	run();
	assert_int_equal(got(1), 20);
	assert_int_equal(wr_ring_pending(port[3]), SMALL_RING);
	assert_int_equal(wr_mirror_get(sw, id, &mi), 0);
	assert_int_equal(mi.copied, SMALL_RING);
	assert_int_equal(mi.dropped, 20 - SMALL_RING);
	assert_int_equal(got(3), SMALL_RING);
	check_tx_counts();
}

static void test_mirror_refusals(void **state)
{
	int id;

	(void)state;
	assert_int_equal(wr_mirror_add(sw, 0, 0, WR_TAP_BOTH), -EINVAL);
	assert_int_equal(wr_mirror_add(sw, 0, 9, WR_TAP_BOTH), -ENOENT);
	id = wr_mirror_add(sw, 0, 3, WR_TAP_BOTH);
	assert_true(id >= 0);
	assert_int_equal(wr_mirror_add(sw, 0, 3, WR_TAP_RX), -EEXIST);
	assert_int_equal(wr_mirror_add(sw, 3, 1, WR_TAP_RX), -ELOOP);	/* from a destination */
	assert_int_equal(wr_mirror_add(sw, 2, 0, WR_TAP_RX), -ELOOP);	/* to a source */
	assert_true(wr_mirror_add(sw, 2, 3, WR_TAP_RX) >= 0);		/* two into one analyzer */
	assert_true(wr_mirror_add(sw, 0, 1, WR_TAP_RX) >= 0);		/* one port to two */
	assert_int_equal(wr_mirror_of_port(sw, 3), id);
	assert_int_equal(wr_switch_port_del(sw, 3), -EBUSY);
	assert_int_equal(wr_switch_port_del(sw, 0), -EBUSY);
	assert_true(wr_tap_port_watched(sw, 0));
	assert_false(wr_tap_port_watched(sw, 3));
}

struct seen {
	int n;
	struct wr_capture_rec r[16];
	uint8_t first_byte[16];
};

static bool keep(const struct wr_capture_rec *r, void *arg)
{
	struct seen *s = arg;

	if (s->n == 16)
		return false;
	s->first_byte[s->n] = r->data[14];
	s->r[s->n++] = *r;
	return true;
}

static void test_capture_verdicts(void **state)
{
	struct seen s = { 0 };
	int id;

	(void)state;
	id = wr_capture_open(sw, 0, WR_TAP_BOTH);
	assert_true(id >= 0);
	send(0, mac_b, mac_a);		/* b unknown: flooded to 3 ports */
	run();
	send(1, mac_a, mac_b);		/* p0 sends it (a is known) */
	run();
	send(0, mac_b, mac_a);		/* to p1 */
	send_len(0, mac_b, mac_a, 10);	/* a runt */
	run();
	assert_int_equal(wr_capture_read(sw, id, 100, keep, &s), 4);
	assert_int_equal(s.r[0].verdict, WR_CAP_FLOOD);
	assert_int_equal(s.r[0].arg, 3);
	assert_int_equal(s.r[1].verdict, WR_CAP_TX);
	assert_int_equal(s.first_byte[1], 1);	/* the frame p1 sent */
	/* Within a pass the stages' drops come first. */
	assert_int_equal(s.r[2].verdict, WR_CAP_DROP);
	assert_int_equal(s.r[2].arg, WR_DROP_PARSE_RUNT);
	assert_int_equal(s.r[2].orig_len, 10);
	assert_int_equal(s.r[3].verdict, WR_CAP_TO_PORT);
	assert_int_equal(s.r[3].arg, 1);
	assert_int_equal(s.r[3].orig_len, 64);
	assert_int_equal(s.r[3].cap_len, 64);
	assert_true(s.r[3].ts_ns > 0);
	assert_int_equal(wr_capture_dropped(sw, id), 0);
	assert_int_equal(wr_switch_port_del(sw, 0), -EBUSY);
	wr_capture_close(sw, id);
	run();
	assert_null(atomic_load(&sw->taps));
	assert_int_equal(wr_switch_port_del(sw, 2), 0);
}

/* Nobody drains: the ring keeps WR_CAPTURE_SLOTS frames, the rest are counted, all are forwarded. */
static void test_capture_ring_full(void **state)
{
	struct seen s = { 0 };
	int id, n = WR_CAPTURE_SLOTS + 40;

	(void)state;
	learn_ab();
	id = wr_capture_open(sw, 1, WR_TAP_TX);
	assert_true(id >= 0);
	for (int i = 0; i < n; i++) {
		send(0, mac_b, mac_a);
		if (i % 256 == 255) {
			run();
			got(1);
		}
	}
	run();
	got(1);
	assert_int_equal(wr_capture_dropped(sw, id), 40);
	/* Read in steps; a stop keeps the record for the next read. */
	assert_int_equal(wr_capture_read(sw, id, 100, keep, &s), 16);
	s.n = 0;
	assert_int_equal(wr_capture_read(sw, id, 8, keep, &s), 8);
	for (int k = 0; k < WR_CAPTURE_MAX - 1; k++)
		assert_true(wr_capture_open(sw, 0, WR_TAP_RX) >= 0);
	assert_int_equal(wr_capture_open(sw, 0, WR_TAP_RX), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mirror_rx_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror_full_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_ring_full, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
