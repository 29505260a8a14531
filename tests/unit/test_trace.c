/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace.c - tracing on ring ports: what a record says of a learned
 * unicast, a flood, a drop at the bridge and at the output, the filter,
 * the ring's bound (overflow counted), a synthetic frame run dry (nothing
 * sent, nothing learned, every buffer back), and the trace's life (one at
 * a time, nothing recorded when off).
 *
 *        p0 ---+--- switch (one worker) ---+--- p2
 *        p1 ---+                           +--- p3 (access VLAN 10)
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
static const uint32_t now = 1000;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0xc };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

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
		if (i == 3) {
			c.vlan_mode = WR_VLAN_ACCESS;
			c.access_vlan = 10;
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
	/* Every buffer is back: a traced or dry frame leaks none. */
	assert_int_equal(wr_ring_pool_free_count(pool), 4096);
	wr_ring_pool_destroy(pool);
	return 0;
}

/* A 64-byte IPv4/UDP frame dst <- src, sport 0x10, dport 0x20. */
static uint16_t frame(uint8_t *f, const uint8_t *dst, const uint8_t *src)
{
	memset(f, 0, 64);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 46;
	f[22] = 64;
	f[23] = 17;
	f[26] = 192, f[27] = 0, f[28] = 2, f[29] = 1;
	f[30] = 192, f[31] = 0, f[32] = 2, f[33] = 2;
	f[35] = 0x10, f[37] = 0x20, f[39] = 26;
	return 64;
}

static void send(int p, const uint8_t *dst, const uint8_t *src)
{
	uint8_t f[64];

	assert_int_equal(wr_ring_inject(port[p], f, frame(f, dst, src)), 0);
}

static void run(void)
{
	while (wr_worker_poll(w, now))
		;
	wr_switch_tick(sw, now);
}

static int sent(int p)
{
	uint8_t f[2048];
	int n = 0;

	while (wr_ring_collect(port[p], f, sizeof(f)) >= 0)
		n++;
	return n;
}

static void drain(void)
{
	for (int i = 0; i < N_PORTS; i++)
		sent(i);
}

static int fdb_port(const uint8_t *mac)
{
	struct wr_fdb_entry e;

	return wr_fdb_get(sw, 1, mac, &e) ? -1 : e.port;
}

static void start(uint16_t p, uint16_t count, const struct wr_chain_class *filter)
{
	struct wr_trace_conf c = { .port = p, .count = count };

	if (filter)
		c.filter = *filter;
	assert_int_equal(wr_trace_start(sw, &c), 0);
}

/* The records so far; asserts there are @n. */
static const struct wr_trace_rec *records(int n, uint64_t *overflow)
{
	const struct wr_trace_rec *r = NULL;
	uint64_t o;

	assert_int_equal(wr_trace_collect(sw, &r, overflow ? overflow : &o), n);
	return r;
}

static void learn_b_on_p1(void)
{
	send(1, mac_a, mac_b);
	run();
	drain();
	assert_int_equal(fdb_port(mac_b), 1);
}

static void test_unicast(void **state)
{
	const struct wr_trace_rec *r;

	(void)state;
	learn_b_on_p1();
	start(0, 1, NULL);
	send(0, mac_b, mac_a);
	run();
	r = records(1, NULL);
	assert_int_equal(r->in_port, 0);
	assert_int_equal(r->len, 64);
	assert_memory_equal(r->hdr, mac_b, 6);
	assert_false(r->synthetic);
	assert_false(r->tunnel);
	assert_int_equal(r->ethertype, 0x0800);
	assert_int_equal(r->l4_proto, 17);
	assert_int_equal(r->bd, 1);
	assert_int_equal(r->src, WR_TRACE_SRC_LEARN);	/* a: unknown until this frame */
	assert_int_equal(r->dst, 1);
	assert_int_equal(r->out_port, 1);
	assert_int_equal(r->steer, WR_TRACE_NONE);
	assert_int_equal(r->stage, WR_TRACE_OUTPUT);
	assert_int_equal(r->drop, 0xff);
	assert_int_equal(r->n_out, 1);
	assert_int_equal(r->out[0], 1);
	/* Traced frames are real: it left, and a was learned. */
	assert_int_equal(sent(1), 1);
	assert_int_equal(fdb_port(mac_a), 0);

	/* The count reached, the next frame is not recorded. */
	send(0, mac_b, mac_a);
	run();
	assert_int_equal(sent(1), 1);
	r = records(1, NULL);
	wr_trace_stop(sw);
	assert_int_equal(wr_trace_collect(sw, &r, &(uint64_t){ 0 }), -ENOENT);
}

static void test_refresh_flood(void **state)
{
	const struct wr_trace_rec *r;

	(void)state;
	learn_b_on_p1();
	start(1, 2, NULL);
	send(1, bcast, mac_b);
	send(1, mac_c, mac_b);	/* unknown destination */
	run();
	r = records(2, NULL);
	assert_int_equal(r[0].src, WR_TRACE_SRC_REFRESHED);
	assert_true(r[0].dst_mcast);
	assert_int_equal(r[0].out_port, WR_OUT_FLOOD);
	/* p0 and p2; p3 is of VLAN 10, not bd 1's untagged frames. */
	assert_int_equal(r[0].n_out, 2);
	assert_int_equal(r[0].out[0], 0);
	assert_int_equal(r[0].out[1], 2);
	assert_false(r[1].dst_mcast);
	assert_int_equal(r[1].dst, WR_TRACE_NONE);
	assert_int_equal(r[1].n_out, 2);
	assert_int_equal(sent(0), 2);
	assert_int_equal(sent(2), 2);
	wr_trace_stop(sw);
}

static void test_drops(void **state)
{
	const struct wr_trace_rec *r;
	uint8_t tagged[68], f[64];

	(void)state;
	learn_b_on_p1();
	/* A frame tagged VLAN 20 on access port p3 (VLAN 10): the bridge drops it. */
	start(3, 2, NULL);
	frame(f, mac_b, mac_c);
	memcpy(tagged, f, 12);
	tagged[12] = 0x81, tagged[13] = 0, tagged[14] = 0, tagged[15] = 20;
	memcpy(tagged + 16, f + 12, 52);
	assert_int_equal(wr_ring_inject(port[3], tagged, sizeof(tagged)), 0);
	/* A runt: parse drops it. */
	assert_int_equal(wr_ring_inject(port[3], f, 10), 0);
	run();
	r = records(2, NULL);
	assert_int_equal(r[0].stage, WR_TRACE_BRIDGE);
	assert_int_equal(r[0].drop, WR_DROP_VLAN_NOT_ALLOWED);
	assert_int_equal(r[0].tag, 20);
	assert_int_equal(r[1].stage, WR_TRACE_PARSE);
	assert_int_equal(r[1].drop, WR_DROP_PARSE_RUNT);
	wr_trace_stop(sw);

	/* The output port down: the output stage drops it. */
	assert_int_equal(wr_switch_port_up(sw, 1, false), 0);
	start(0, 1, NULL);
	send(0, mac_b, mac_a);
	run();
	r = records(1, NULL);
	assert_int_equal(r->stage, WR_TRACE_OUTPUT);
	assert_int_equal(r->dst, 1);
	assert_int_equal(r->n_out, 0);
	assert_int_equal(r->drop, WR_DROP_PORT_DOWN);
	assert_int_equal(r->n_lost, 1);
	wr_trace_stop(sw);
}

static void test_filter(void **state)
{
	struct wr_chain_class k = { .fields = WR_CHAIN_F_DST_MAC | WR_CHAIN_F_DPORT,
				    .dport_lo = 0x20, .dport_hi = 0x20 };
	const struct wr_trace_rec *r;

	(void)state;
	memcpy(k.dst_mac, mac_b, 6);
	start(0, 4, &k);
	send(0, mac_c, mac_a);
	send(0, mac_b, mac_a);
	send(2, mac_b, mac_c);	/* another port */
	run();
	r = records(1, NULL);
	assert_memory_equal(r->hdr, mac_b, 6);
	assert_memory_equal(r->hdr + 6, mac_a, 6);
	/* Unrecorded frames of the traced port go on as ever. */
	assert_int_equal(sent(1), 3);
	wr_trace_stop(sw);

	/* The port is the trace's, not the filter's. */
	k.fields = WR_CHAIN_F_IN_PORT;
	assert_int_equal(wr_trace_start(sw, &(struct wr_trace_conf){ .port = 0, .count = 1,
								     .filter = k }), -EINVAL);
}

static void test_overflow(void **state)
{
	const struct wr_trace_rec *r;
	uint64_t overflow;

	(void)state;
	start(0, WR_TRACE_MAX, NULL);
	for (int i = 0; i < WR_TRACE_RING + 36; i++)
		send(0, bcast, mac_a);
	run();
	r = records(WR_TRACE_RING, &overflow);
	assert_int_equal(overflow, 36);
	assert_int_equal(r[0].out_port, WR_OUT_FLOOD);
	/* Taken, the ring has room again. */
	send(0, bcast, mac_a);
	run();
	records(WR_TRACE_RING + 1, &overflow);
	wr_trace_stop(sw);
}

static void test_synthetic(void **state)
{
	struct wr_trace_conf c = { .port = 0, .count = 1 };
	const struct wr_trace_rec *r;
	uint64_t rx_before, tx[N_PORTS];
	struct wr_port_stats st;
	uint8_t f[64];

	(void)state;
	learn_b_on_p1();
	for (int i = 0; i < N_PORTS; i++) {
		memset(&st, 0, sizeof(st));
		wr_switch_port_stats(sw, (uint16_t)i, &st);
		tx[i] = st.tx_pkts;
	}
	memset(&st, 0, sizeof(st));
	wr_switch_port_stats(sw, 0, &st);
	rx_before = st.rx_pkts;
	c.frame = f;
	c.frame_len = frame(f, mac_b, mac_a);
	assert_int_equal(wr_trace_start(sw, &c), 0);
	assert_int_equal(wr_trace_start(sw, &c), -EBUSY);
	run();
	r = records(1, NULL);
	assert_true(r->synthetic);
	assert_int_equal(r->stage, WR_TRACE_OUTPUT);
	assert_int_equal(r->src, WR_TRACE_SRC_LEARN);
	assert_int_equal(r->n_out, 1);
	assert_int_equal(r->out[0], 1);
	/* Nothing sent, nothing learned, nothing counted. */
	assert_int_equal(sent(1), 0);
	assert_int_equal(fdb_port(mac_a), -1);
	for (int i = 0; i < N_PORTS; i++) {
		memset(&st, 0, sizeof(st));
		wr_switch_port_stats(sw, (uint16_t)i, &st);
		assert_int_equal(st.tx_pkts, tx[i]);
	}
	memset(&st, 0, sizeof(st));
	wr_switch_port_stats(sw, 0, &st);
	assert_int_equal(st.rx_pkts, rx_before);
	/* Run once only. */
	run();
	records(1, NULL);
	wr_trace_stop(sw);

	/* Its port down: nothing is received there. */
	assert_int_equal(wr_switch_port_up(sw, 0, false), 0);
	assert_int_equal(wr_trace_start(sw, &c), 0);
	run();
	r = records(1, NULL);
	assert_int_equal(r->drop, WR_DROP_PORT_DOWN);
	assert_int_equal(r->n_out, 0);
	wr_trace_stop(sw);
	assert_int_equal(wr_switch_port_up(sw, 0, true), 0);

	/* A broadcast: flooded dry, to every port of the domain, none sent. */
	c.frame_len = frame(f, bcast, mac_a);
	assert_int_equal(wr_trace_start(sw, &c), 0);
	run();
	r = records(1, NULL);
	assert_int_equal(r->n_out, 2);
	assert_int_equal(sent(1) + sent(2), 0);
	wr_trace_stop(sw);
}

static void test_off(void **state)
{
	const struct wr_trace_rec *r;
	uint64_t o;

	(void)state;
	send(0, bcast, mac_a);
	run();
	assert_int_equal(wr_trace_collect(sw, &r, &o), -ENOENT);
	assert_int_equal(wr_trace_start(sw, &(struct wr_trace_conf){ .port = 9, .count = 1 }),
			 -ENOENT);
	assert_int_equal(wr_trace_start(sw, &(struct wr_trace_conf){ .port = 0, .count = 0 }),
			 -EINVAL);
	assert_int_equal(wr_trace_start(sw, &(struct wr_trace_conf){
		.port = 0, .count = 1, .frame = (const uint8_t *)"x", .frame_len = 1 }), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unicast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synthetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_off, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
