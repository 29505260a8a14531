/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_tunnel.c - tunnels through the switch, on ring ports: two switches
 * ("hosts" A and B, and for split horizon a third address C) whose
 * underlay ports the test joins by carrying frames from one's send ring
 * to the other's receive ring.
 *
 *   a1 (bd 10) --+                                   +-- b1 (bd 10)
 *   a2 (bd 20) --+-- A --- ua ~~~~~~~~~~~~~ ub --- B --+-- b2 (bd 20)
 *                  VNI 5010 = bd 10, VNI 5020 = bd 20
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

#include "tunnel_priv.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define POOL_BUFS 4096

struct host {
	struct wr_switch *sw;
	struct wr_worker *w;
	struct wr_ring_pool *pool;
	struct wr_port *p1, *p2, *u;	/* p1 in bd 10, p2 in bd 20, the underlay */
	int i1, i2, iu;
	int tun;
	int vtep;			/* the port of the other host's VTEP */
	uint8_t ip[16];
	uint8_t mac[6];			/* the underlay's */
};

static struct host A, B;
static uint32_t now = 1000;
static enum wr_tunnel_type type = WR_TUNNEL_VXLAN;

static const uint8_t mac_x[6] = { 0x02, 0, 0, 0, 0, 0x0a };	/* behind a1 */
static const uint8_t mac_y[6] = { 0x02, 0, 0, 0, 0, 0x0b };	/* behind b1 */
static const uint8_t mac_z[6] = { 0x02, 0, 0, 0, 0, 0x0c };	/* behind b2 */
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void ip4(uint8_t ip[16], uint8_t last)
{
	memset(ip, 0, 16);
	ip[0] = 192, ip[1] = 0, ip[2] = 2, ip[3] = last;
}

static struct wr_port *port_in(struct host *h, const char *name, uint16_t bd, int *index)
{
	struct wr_port *p = wr_ring_port_create(h->pool, name, 1024);
	struct wr_port_conf c;

	assert_non_null(p);
	wr_port_conf_init(&c);
	c.bd = bd;
	*index = wr_switch_port_add(h->sw, p, &c);
	assert_true(*index >= 0);
	assert_int_equal(wr_worker_add_port(h->w, (uint16_t)*index), 0);
	return p;
}

static void host_up(struct host *h, uint8_t last, const struct host *peer, uint8_t peer_last)
{
	struct wr_tunnel_conf tc;
	uint8_t peer_ip[16];

	h->sw = wr_switch_create(NULL);
	assert_non_null(h->sw);
	h->w = wr_worker_create(h->sw, 0);
	assert_non_null(h->w);
	h->pool = wr_ring_pool_create(POOL_BUFS, 2048);
	assert_non_null(h->pool);
	h->p1 = port_in(h, "p1", 10, &h->i1);
	h->p2 = port_in(h, "p2", 20, &h->i2);
	h->u = port_in(h, "u", 1, &h->iu);
	ip4(h->ip, last);
	memcpy(h->mac, (uint8_t[6]){ 0x02, 0xee, 0, 0, 0, last }, 6);
	wr_tunnel_conf_init(&tc, type);
	memcpy(tc.local_ip, h->ip, 16);
	h->tun = wr_tunnel_add(h->sw, (uint16_t)h->iu, &tc);
	assert_int_equal(h->tun, 0);
	assert_int_equal(wr_tunnel_vni(h->sw, h->tun, 5010, 10), 0);
	assert_int_equal(wr_tunnel_vni(h->sw, h->tun, 5020, 20), 0);
	ip4(peer_ip, peer_last);
	h->vtep = wr_tunnel_vtep_add(h->sw, h->tun, peer_ip, true);
	assert_true(h->vtep >= 0);
	(void)peer;
}

static void nexthops(void)
{
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.vtep, A.mac, B.mac), 0);
	assert_int_equal(wr_tunnel_vtep_nexthop(B.sw, (uint16_t)B.vtep, B.mac, A.mac), 0);
}

static int setup(void **state)
{
	(void)state;
	host_up(&A, 1, &B, 2);
	host_up(&B, 2, &A, 1);
	nexthops();
	return 0;
}

static int setup_geneve(void **state)
{
	type = WR_TUNNEL_GENEVE;
	return setup(state);
}

static void host_down(struct host *h)
{
	wr_switch_destroy(h->sw);
	/* Every buffer is back, whatever way each frame went. */
	assert_int_equal(wr_ring_pool_free_count(h->pool), POOL_BUFS);
	wr_ring_pool_destroy(h->pool);
}

static int teardown(void **state)
{
	(void)state;
	host_down(&A);
	host_down(&B);
	type = WR_TUNNEL_VXLAN;
	return 0;
}

/* A 64-byte IPv4/UDP frame dst ← src. */
static uint16_t frame(uint8_t *f, const uint8_t *dst, const uint8_t *src)
{
	memset(f, 0, 64);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 50;
	f[22] = 64;
	f[23] = 17;
	f[26] = 10, f[29] = 1;
	f[30] = 10, f[33] = 2;
	f[35] = 7, f[37] = 9;
	f[39] = 30;
	for (int i = 42; i < 64; i++)
		f[i] = (uint8_t)i;
	return 64;
}

static void send(struct wr_port *p, const uint8_t *dst, const uint8_t *src)
{
	uint8_t f[64];

	assert_int_equal(wr_ring_inject(p, f, frame(f, dst, src)), 0);
}

/* Carry what @from's underlay sent to @to's; how many frames. */
static int carry(struct host *from, struct host *to)
{
	uint8_t f[2048];
	int n = 0, len;

	while ((len = wr_ring_collect(from->u, f, sizeof(f))) >= 0) {
		assert_int_equal(wr_ring_inject(to->u, f, (uint16_t)len), 0);
		n++;
	}
	return n;
}

static void run(struct host *h)
{
	while (wr_worker_poll(h->w, now))
		;
	wr_switch_tick(h->sw, now);
}

/* Frames @p sent, drained; the last one into @last (64 bytes) when not NULL. */
static int got(struct wr_port *p, uint8_t *last)
{
	uint8_t f[2048];
	int n = 0, len;

	while ((len = wr_ring_collect(p, f, sizeof(f))) >= 0) {
		n++;
		if (last) {
			assert_int_equal(len, 64);
			memcpy(last, f, 64);
		}
	}
	return n;
}

static uint64_t drops(const struct host *h, enum wr_drop d)
{
	uint64_t dr[WR_DROP_COUNT] = { 0 }, ev[WR_EVENT_COUNT] = { 0 };

	wr_switch_counters(h->sw, dr, ev);
	return dr[d];
}

static int fdb_port(const struct host *h, uint16_t bd, const uint8_t *mac)
{
	struct wr_fdb_entry e;

	return wr_fdb_get(h->sw, bd, mac, &e) ? -1 : e.port;
}

/* A frame from behind a1 to @dst, through A, the underlay and B. */
static void a_to_b(const uint8_t *dst)
{
	send(A.p1, dst, mac_x);
	run(&A);
	assert_int_equal(carry(&A, &B), 1);
	run(&B);
}

/* ---------------------------------------------------------------- tests */

/* Unknown unicast crosses in bd 10 only, is learned against the VTEP, and the answer comes back. */
static void test_flood_learn_reply(void **state)
{
	uint8_t sent[64], recv[64];
	struct wr_port_stats st;

	(void)state;
	frame(sent, mac_y, mac_x);
	send(A.p1, mac_y, mac_x);
	run(&A);
	assert_int_equal(got(A.p2, NULL), 0);		/* bd 20 is another domain */
	assert_int_equal(carry(&A, &B), 1);		/* one copy: one VTEP on the flood list */
	run(&B);
	assert_int_equal(got(B.p1, recv), 1);
	assert_memory_equal(recv, sent, 64);		/* the inner frame, byte for byte */
	assert_int_equal(got(B.p2, NULL), 0);		/* VNI 5010 is bd 10 only */
	assert_int_equal(carry(&B, &A), 0);		/* never flooded back into the tunnel */
	assert_int_equal(fdb_port(&B, 10, mac_x), B.vtep);
	assert_int_equal(fdb_port(&B, 20, mac_x), -1);

	/* The answer: known unicast, straight into the tunnel, learned on A's side. */
	send(B.p1, mac_x, mac_y);
	run(&B);
	assert_int_equal(got(B.p2, NULL), 0);
	assert_int_equal(carry(&B, &A), 1);
	run(&A);
	assert_int_equal(got(A.p1, NULL), 1);
	assert_int_equal(fdb_port(&A, 10, mac_y), A.vtep);

	/* The VTEP's counters are the inner frames'; the underlay's the outer ones. */
	wr_switch_port_stats(B.sw, (uint16_t)B.vtep, &st);
	assert_int_equal(st.rx_pkts, 1);
	assert_int_equal(st.rx_bytes, 64);
	assert_int_equal(st.tx_pkts, 1);
	assert_int_equal(st.tx_bytes, 64);
	wr_switch_port_stats(B.sw, (uint16_t)B.iu, &st);
	assert_int_equal(st.rx_pkts, 1);
	assert_int_equal(st.tx_pkts, 1);
	assert_int_equal(st.tx_bytes, 64 + 50);
}

/* Frames of bd 20 go as VNI 5020 and arrive in bd 20, never in bd 10. */
static void test_vnis_isolated(void **state)
{
	(void)state;
	send(A.p2, bcast, mac_z);
	run(&A);
	assert_int_equal(got(A.p1, NULL), 0);
	assert_int_equal(carry(&A, &B), 1);
	run(&B);
	assert_int_equal(got(B.p2, NULL), 1);
	assert_int_equal(got(B.p1, NULL), 0);
	assert_int_equal(fdb_port(&B, 20, mac_z), B.vtep);
	assert_int_equal(fdb_port(&B, 10, mac_z), -1);
}

/* Split horizon: a frame from one VTEP is not flooded to another, nor sent to one. */
static void test_split_horizon(void **state)
{
	uint8_t ip_c[16], mac_c[6] = { 0x02, 0xee, 0, 0, 0, 3 };
	int vtep_c;

	(void)state;
	ip4(ip_c, 3);
	vtep_c = wr_tunnel_vtep_add(B.sw, B.tun, ip_c, true);
	assert_true(vtep_c >= 0);
	assert_int_equal(wr_tunnel_vtep_nexthop(B.sw, (uint16_t)vtep_c, B.mac, mac_c), 0);

	/* From A, broadcast: B floods it to b1 only, not to C. */
	a_to_b(bcast);
	assert_int_equal(got(B.p1, NULL), 1);
	assert_int_equal(wr_ring_pending(B.u), 0);
	got(B.u, NULL);

	/* From b1, broadcast: to A and to C, one copy each. */
	send(B.p1, bcast, mac_y);
	run(&B);
	assert_int_equal(got(B.u, NULL), 2);

	/* A MAC behind C (static), and a frame from A to it: dropped at B, not sent to C. */
	assert_int_equal(wr_fdb_add_static(B.sw, 10, mac_z, (uint16_t)vtep_c), 0);
	a_to_b(mac_z);	/* A floods the unknown mac_z into its only VTEP (B) */
	assert_int_equal(got(B.u, NULL), 0);
	assert_int_equal(drops(&B, WR_DROP_SAME_PORT), 1);
}

/* What the underlay gets that is not the tunnel's, or is from strangers, is dropped by reason. */
static void test_underlay_drops(void **state)
{
	uint8_t f[256], arp[60] = { 0 };
	struct wr_port_stats st;
	int len;

	(void)state;
	/* ARP on the underlay: not the tunnel's. */
	memset(arp, 0xff, 6);
	memcpy(arp + 6, A.mac, 6);
	arp[12] = 0x08, arp[13] = 0x06;
	assert_int_equal(wr_ring_inject(B.u, arp, sizeof(arp)), 0);
	run(&B);
	assert_int_equal(drops(&B, WR_DROP_UNDERLAY_OTHER), 1);

	/*
	 * Dropped in the pass that receives it, before a port served after
	 * the underlay: its descriptor is not that port's to fill.
	 */
	{
		struct wr_port *p4;
		int i4;

		p4 = port_in(&B, "p4", 10, &i4);
		assert_true(i4 > B.iu);
		for (int i = 0; i < 8; i++)
			assert_int_equal(wr_ring_inject(B.u, arp, sizeof(arp)), 0);
		for (int i = 0; i < 8; i++)
			send(p4, mac_x, mac_y);
		assert_int_equal(wr_worker_poll(B.w, now), 16);
		assert_int_equal(drops(&B, WR_DROP_UNDERLAY_OTHER), 9);
		assert_int_equal(got(B.p1, NULL), 8);
		wr_switch_port_stats(B.sw, (uint16_t)B.iu, &st);
		assert_int_equal(st.drops, 9);
		wr_switch_port_stats(B.sw, (uint16_t)i4, &st);
		assert_int_equal(st.drops, 0);
	}

	/* A VNI B does not carry: A maps bd 30 to VNI 5030, B has no such VNI. */
	{
		struct wr_port *p3;
		int i3;

		p3 = port_in(&A, "p3", 30, &i3);
		assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5030, 30), 0);
		send(p3, bcast, mac_x);
		run(&A);
		assert_int_equal(carry(&A, &B), 1);
		run(&B);
		assert_int_equal(drops(&B, WR_DROP_TUN_NO_VNI), 1);
	}

	/* From an address that is no VTEP of B's: B forgets A. */
	send(A.p1, bcast, mac_x);
	run(&A);
	len = wr_ring_collect(A.u, f, sizeof(f));
	assert_int_equal(len, 64 + 50);
	assert_int_equal(wr_tunnel_vtep_del(B.sw, (uint16_t)B.vtep), 0);
	assert_int_equal(wr_ring_inject(B.u, f, (uint16_t)len), 0);
	run(&B);
	assert_int_equal(drops(&B, WR_DROP_TUN_NO_VTEP), 1);
	assert_int_equal(got(B.p1, NULL), 0);
}

/* No next hop yet: kept a second, then counted; then too big for the underlay's MTU: counted, never sent. */
static void test_nexthop_and_mtu(void **state)
{
	uint8_t big[1500] = { 0 };
	struct wr_port_stats st;

	(void)state;
	/*
	 * No next hop: the worker keeps copies of the first four frames (six
	 * sent: two counted at once), and sends them once the next hop is
	 * known, in their order, before what comes after.
	 */
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.vtep, A.mac, NULL), 0);
	for (int i = 0; i < 6; i++)
		send(A.p1, bcast, mac_x);
	run(&A);
	assert_int_equal(got(A.u, NULL), 0);
	assert_int_equal(drops(&A, WR_DROP_TUN_NO_NEXTHOP), 2);
	nexthops();
	run(&A);			/* a pass with no new frame sends them */
	assert_int_equal(got(A.u, NULL), 4);
	assert_int_equal(drops(&A, WR_DROP_TUN_NO_NEXTHOP), 2);

	/* Kept for a second only: then dropped, on their input port. */
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.vtep, A.mac, NULL), 0);
	send(A.p1, bcast, mac_x);
	run(&A);
	now += 2;
	run(&A);
	assert_int_equal(got(A.u, NULL), 0);
	assert_int_equal(drops(&A, WR_DROP_TUN_NO_NEXTHOP), 3);
	wr_switch_port_stats(A.sw, (uint16_t)A.i1, &st);
	assert_int_equal(st.drops, 3);

	nexthops();
	/* 1500 bytes of Ethernet: 1486 of IP inside, 1536 outside, over 1500. */
	frame(big, bcast, mac_x);
	assert_int_equal(wr_ring_inject(A.p1, big, sizeof(big)), 0);
	run(&A);
	assert_int_equal(got(A.u, NULL), 0);
	assert_int_equal(drops(&A, WR_DROP_TUN_TOO_BIG), 1);
	/* 1450 bytes: 1500 outside, it fits. */
	assert_int_equal(wr_ring_inject(A.p1, big, 1450), 0);
	run(&A);
	assert_int_equal(got(A.u, NULL), 1);
}

/*
 * A VNI moved to another domain takes what was learned through it along
 * (purged: the old domain's frames must not reach the new one); the
 * underlay and the VTEPs refuse the ordinary port calls.
 */
static void test_remap_and_ownership(void **state)
{
	struct wr_port_conf c;

	(void)state;
	a_to_b(bcast);
	got(B.p1, NULL);
	assert_int_equal(fdb_port(&B, 10, mac_x), B.vtep);
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5010, 20), -EBUSY);	/* bd 20 has 5020 */
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5020, 0), 0);
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5010, 20), 0);
	assert_int_equal(fdb_port(&B, 10, mac_x), -1);
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5020, 0), -ENOENT);

	/* Now VNI 5010 lands in bd 20. */
	a_to_b(bcast);
	assert_int_equal(got(B.p2, NULL), 1);
	assert_int_equal(got(B.p1, NULL), 0);

	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_del(B.sw, (uint16_t)B.iu), -EBUSY);
	assert_int_equal(wr_switch_port_del(B.sw, (uint16_t)B.vtep), -EBUSY);
	assert_int_equal(wr_switch_port_set(B.sw, (uint16_t)B.iu, &c), -EBUSY);
	assert_int_equal(wr_fdb_add_static(B.sw, 1, mac_y, (uint16_t)B.iu), -EXDEV);
	assert_int_equal(wr_tunnel_add(B.sw, (uint16_t)B.iu, &(struct wr_tunnel_conf){ 0 }), -EBUSY);
}

/* Deleting the tunnel takes its VTEPs and their entries; the underlay bridges again. */
static void test_tunnel_del(void **state)
{
	(void)state;
	a_to_b(bcast);
	got(B.p1, NULL);
	assert_int_equal(fdb_port(&B, 10, mac_x), B.vtep);
	assert_int_equal(wr_tunnel_del(B.sw, B.tun), 0);
	assert_int_equal(wr_tunnel_del(B.sw, B.tun), -ENOENT);
	run(&B);
	assert_int_equal(fdb_port(&B, 10, mac_x), -1);
	assert_null(atomic_load(&B.sw->ports[B.vtep].port));
	/* The underlay is a port of bd 1 again: a frame from it is bridged, not decapsulated. */
	send(B.u, bcast, mac_y);
	run(&B);
	assert_int_equal(drops(&B, WR_DROP_UNDERLAY_OTHER), 0);
	assert_int_equal(fdb_port(&B, 1, mac_y), B.iu);
}

/* A's tunnel made again with @n Geneve options of @type, classes from @cls on (4 bytes of data each). */
static void a_with_options(uint8_t type, uint8_t n, uint16_t cls)
{
	struct wr_tunnel_conf tc;
	uint8_t ip[16];

	assert_int_equal(wr_tunnel_del(A.sw, A.tun), 0);
	wr_tunnel_conf_init(&tc, WR_TUNNEL_GENEVE);
	memcpy(tc.local_ip, A.ip, 16);
	for (uint8_t i = 0; i < n; i++)
		tc.opts[tc.n_opts++] = (struct wr_gopt){ .cls = (uint16_t)(cls + i), .type = type,
							 .len = 4, .data = { 0xde, 0xad, 0xbe, 0xef } };
	A.tun = wr_tunnel_add(A.sw, (uint16_t)A.iu, &tc);
	assert_true(A.tun >= 0);
	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5010, 10), 0);
	ip4(ip, 2);
	A.vtep = wr_tunnel_vtep_add(A.sw, A.tun, ip, true);
	assert_true(A.vtep >= 0);
	nexthops();
}

/*
 * Geneve options: what A adds, B counts by class and type; past its table
 * of 16 pairs, together; a critical one B does not know is a counted drop.
 */
static void test_geneve_options(void **state)
{
	struct wr_tunnel_opt_count rx[WR_TUNNEL_RX_OPTS];
	struct wr_tunnel_conf tc;
	uint64_t other;

	(void)state;
	a_with_options(0x01, 2, 0x0102);
	a_to_b(bcast);
	assert_int_equal(got(B.p1, NULL), 1);
	assert_int_equal(wr_tunnel_rx_options(B.sw, B.tun, rx, &other), 2);
	assert_int_equal(rx[0].cls, 0x0102);
	assert_int_equal(rx[0].type, 0x01);
	assert_int_equal(rx[0].pkts, 1);
	assert_int_equal(rx[1].cls, 0x0103);
	assert_int_equal(other, 0);

	/* Eighteen more pairs (six a frame, the most 48 bytes hold): sixteen apart, the rest together. */
	for (uint16_t round = 0; round < 3; round++) {
		a_with_options(0x02, 6, (uint16_t)(0x0200 + 6 * round));
		a_to_b(bcast);
	}
	assert_int_equal(wr_tunnel_rx_options(B.sw, B.tun, rx, &other), WR_TUNNEL_RX_OPTS);
	assert_int_equal(other, 2 + 18 - WR_TUNNEL_RX_OPTS);
	got(B.p1, NULL);

	a_with_options(0x80, 1, 0x0300);	/* critical, and B knows none */
	a_to_b(bcast);
	assert_int_equal(got(B.p1, NULL), 0);
	assert_int_equal(drops(&B, WR_DROP_GENEVE_CRITICAL), 1);

	/* B told it knows 0300:80: taken. */
	assert_int_equal(wr_tunnel_del(B.sw, B.tun), 0);
	wr_tunnel_conf_init(&tc, WR_TUNNEL_GENEVE);
	memcpy(tc.local_ip, B.ip, 16);
	tc.n_known = 1;
	tc.known[0].cls = 0x0300;
	tc.known[0].type = 0x80;
	B.tun = wr_tunnel_add(B.sw, (uint16_t)B.iu, &tc);
	assert_true(B.tun >= 0);
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5010, 10), 0);
	B.vtep = wr_tunnel_vtep_add(B.sw, B.tun, A.ip, true);
	assert_true(B.vtep >= 0);
	assert_int_equal(wr_tunnel_vtep_nexthop(B.sw, (uint16_t)B.vtep, B.mac, A.mac), 0);
	a_to_b(bcast);
	assert_int_equal(got(B.p1, NULL), 1);
	assert_int_equal(drops(&B, WR_DROP_GENEVE_CRITICAL), 1);

	/* Options on VXLAN, or over their bound: refused. */
	wr_tunnel_conf_init(&tc, WR_TUNNEL_VXLAN);
	ip4(tc.local_ip, 1);
	tc.n_opts = 1;
	assert_int_equal(wr_tunnel_add(A.sw, (uint16_t)A.i1, &tc), -EINVAL);
	tc.type = WR_TUNNEL_GENEVE;
	tc.n_opts = 2;
	tc.opts[0].len = 44;
	tc.opts[1].len = 4;
	assert_int_equal(wr_tunnel_add(A.sw, (uint16_t)A.i1, &tc), -EINVAL);
}

/*
 * learn_vteps: frames from an address that is no VTEP are dropped and the
 * address asked for, as often as frames come (up to the ring's room),
 * until the caller makes it a VTEP; without it, nothing is asked.
 */
static void test_learn_vteps(void **state)
{
	struct wr_tunnel_conf tc;
	uint8_t ips[16][16];

	(void)state;
	assert_int_equal(wr_tunnel_vtep_del(B.sw, (uint16_t)B.vtep), 0);
	a_to_b(bcast);
	assert_int_equal(drops(&B, WR_DROP_TUN_NO_VTEP), 1);
	assert_int_equal(wr_tunnel_vtep_requests(B.sw, B.tun, ips, 16), 0);	/* not asked */

	assert_int_equal(wr_tunnel_del(B.sw, B.tun), 0);
	wr_tunnel_conf_init(&tc, type);
	memcpy(tc.local_ip, B.ip, 16);
	tc.learn_vteps = true;
	B.tun = wr_tunnel_add(B.sw, (uint16_t)B.iu, &tc);
	assert_true(B.tun >= 0);
	assert_int_equal(wr_tunnel_vni(B.sw, B.tun, 5010, 10), 0);
	for (int i = 0; i < 10; i++)
		a_to_b(bcast);
	assert_int_equal(drops(&B, WR_DROP_TUN_NO_VTEP), 11);
	assert_int_equal(got(B.p1, NULL), 0);
	assert_int_equal(wr_tunnel_vtep_requests(B.sw, B.tun, ips, 16), 8);	/* the ring's room */
	assert_memory_equal(ips[7], A.ip, 16);
	assert_int_equal(wr_tunnel_vtep_requests(B.sw, B.tun, ips, 16), 0);	/* drained */

	B.vtep = wr_tunnel_vtep_add(B.sw, B.tun, ips[0], true);
	assert_true(B.vtep >= 0);
	a_to_b(bcast);
	assert_int_equal(got(B.p1, NULL), 1);
	assert_int_equal(wr_tunnel_vtep_requests(B.sw, B.tun, ips, 16), 0);
}

/* A port of @h with VLAN mode @mode (ACCESS: VLAN @vlan; TRUNK: VLANs 10 and 20). */
static struct wr_port *vlan_port(struct host *h, enum wr_vlan_mode mode, uint16_t vlan, int *index)
{
	struct wr_port *p = wr_ring_port_create(h->pool, "v", 1024);
	struct wr_port_conf c;

	assert_non_null(p);
	wr_port_conf_init(&c);
	c.vlan_mode = mode;
	c.access_vlan = vlan;
	c.allowed[0] = 1ull << 10 | 1ull << 20;
	*index = wr_switch_port_add(h->sw, p, &c);
	assert_true(*index >= 0);
	assert_int_equal(wr_worker_add_port(h->w, (uint16_t)*index), 0);
	return p;
}

/*
 * A VNI's domain is also a VLAN's (VLAN 20 is bd 20): a tagged frame from
 * a trunk crosses untagged, and comes out of the tunnel in that VLAN, to
 * an access port untagged and to a trunk tagged.
 */
static void test_vlans_across(void **state)
{
	uint8_t f[2048];
	struct wr_port *tr_a, *acc_b, *tr_b;
	int i_tr_a, i_acc_b, i_tr_b, len;

	(void)state;
	tr_a = vlan_port(&A, WR_VLAN_TRUNK, 0, &i_tr_a);
	acc_b = vlan_port(&B, WR_VLAN_ACCESS, 20, &i_acc_b);
	tr_b = vlan_port(&B, WR_VLAN_TRUNK, 0, &i_tr_b);
	frame(f, bcast, mac_x);
	memmove(f + 16, f + 12, 52);		/* a tag for VLAN 20 */
	f[12] = 0x81, f[13] = 0x00, f[14] = 0, f[15] = 20;
	assert_int_equal(wr_ring_inject(tr_a, f, 68), 0);
	run(&A);
	len = wr_ring_collect(A.u, f, sizeof(f));
	assert_int_equal(len, 50 + 64);		/* the tag stayed behind */
	assert_int_equal(f[50 + 12], 0x08);
	assert_int_equal(wr_ring_inject(B.u, f, (uint16_t)len), 0);
	run(&B);
	assert_int_equal(got(B.p2, NULL), 1);	/* bd 20's own port */
	assert_int_equal(wr_ring_collect(acc_b, f, sizeof(f)), 64);	/* untagged */
	assert_int_equal(wr_ring_collect(tr_b, f, sizeof(f)), 68);	/* tagged 20 */
	assert_int_equal(f[15], 20);
	assert_int_equal(got(B.p1, NULL), 0);
}

/* Bad arguments. */
static void test_refused(void **state)
{
	struct wr_tunnel_conf tc;
	uint8_t ip[16];

	(void)state;
	wr_tunnel_conf_init(&tc, WR_TUNNEL_VXLAN);
	assert_int_equal(wr_tunnel_add(A.sw, (uint16_t)A.i1, &tc), -EINVAL);	/* no local address */
	ip4(tc.local_ip, 1);
	tc.local_ip[0] = 239;
	assert_int_equal(wr_tunnel_add(A.sw, (uint16_t)A.i1, &tc), -EINVAL);	/* multicast */
	assert_int_equal(wr_tunnel_add(A.sw, 200, &tc), -ENOENT);
	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 1u << 24, 10), -EINVAL);
	assert_int_equal(wr_tunnel_vni(A.sw, 5, 1, 10), -ENOENT);
	ip4(ip, 2);
	assert_int_equal(wr_tunnel_vtep_add(A.sw, A.tun, ip, true), -EEXIST);
	assert_int_equal(wr_tunnel_vtep_add(A.sw, A.tun, A.ip, true), -EINVAL);	/* itself */
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.i1, A.mac, B.mac), -ENOENT);
	for (int i = 0; i < WR_VTEP_MAX - 1; i++) {
		ip4(ip, (uint8_t)(10 + i));
		assert_true(wr_tunnel_vtep_add(A.sw, A.tun, ip, false) >= 0);
	}
	ip4(ip, 100);
	assert_int_equal(wr_tunnel_vtep_add(A.sw, A.tun, ip, false), -ENOSPC);
}

/* ------------------------------------------------------------- the mirror */

#define FAKE_MAX 64

/* What a mirror was told, as a set: the last set of each key, removed by its del. */
static struct fake {
	struct { bool on; uint16_t vtep, bd, underlay, mtu; struct wr_tun_hdr h; } hdr[FAKE_MAX];
	struct { bool on; uint16_t underlay, bd; uint32_t vni; } vni[FAKE_MAX];
	struct { bool on; uint16_t underlay, vtep; uint8_t ip[16]; } vtep[FAKE_MAX];
	unsigned calls;
} fk;

/* The slot of the key @match says, or a free one (NULL when @add is false and there is none). */
#define FAKE_SLOT(tab, add, match) ({ \
	__typeof__(&(tab)[0]) _hit = NULL, _free = NULL; \
	for (int _i = 0; _i < FAKE_MAX; _i++) { \
		__typeof__(&(tab)[0]) e = &(tab)[_i]; \
		if (e->on && (match)) _hit = e; \
		else if (!e->on && !_free) _free = e; \
	} \
	assert_true(_hit || ((add) && _free)); \
	_hit ? _hit : _free; })

static void fk_hdr_set(void *ctx, uint16_t vtep, uint16_t bd, const struct wr_tun_hdr *h,
		       uint16_t underlay, uint16_t mtu)
{
	__typeof__(&fk.hdr[0]) s = FAKE_SLOT(fk.hdr, true, e->vtep == vtep && e->bd == bd);

	assert_ptr_equal(ctx, &fk);
	*s = (__typeof__(*s)){ true, vtep, bd, underlay, mtu, *h };
	fk.calls++;
}

static void fk_hdr_del(void *ctx, uint16_t vtep, uint16_t bd)
{
	(void)ctx;
	FAKE_SLOT(fk.hdr, false, e->vtep == vtep && e->bd == bd)->on = false;
	fk.calls++;
}

static void fk_vni_set(void *ctx, uint16_t underlay, uint32_t vni, uint16_t bd)
{
	__typeof__(&fk.vni[0]) s = FAKE_SLOT(fk.vni, true, e->underlay == underlay && e->vni == vni);

	(void)ctx;
	*s = (__typeof__(*s)){ true, underlay, bd, vni };
	fk.calls++;
}

static void fk_vni_del(void *ctx, uint16_t underlay, uint32_t vni)
{
	(void)ctx;
	FAKE_SLOT(fk.vni, false, e->underlay == underlay && e->vni == vni)->on = false;
	fk.calls++;
}

static void fk_vtep_set(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep)
{
	__typeof__(&fk.vtep[0]) s = FAKE_SLOT(fk.vtep, true,
					      e->underlay == underlay && !memcmp(e->ip, ip, 16));

	(void)ctx;
	*s = (__typeof__(*s)){ true, underlay, vtep, { 0 } };
	memcpy(s->ip, ip, 16);
	fk.calls++;
}

static void fk_vtep_del(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep)
{
	__typeof__(&fk.vtep[0]) s = FAKE_SLOT(fk.vtep, false,
					      e->underlay == underlay && !memcmp(e->ip, ip, 16));

	(void)ctx;
	assert_int_equal(s->vtep, vtep);
	s->on = false;
	fk.calls++;
}

static const struct wr_tunnel_mirror fake_mirror = {
	fk_hdr_set, fk_hdr_del, fk_vni_set, fk_vni_del, fk_vtep_set, fk_vtep_del, &fk,
};

static int fk_count(void)
{
	int n = 0;

	for (int i = 0; i < FAKE_MAX; i++)
		n += fk.hdr[i].on + fk.vni[i].on + fk.vtep[i].on;
	return n;
}

/* The mirror's view is @sw's tunnels: every VNI, VTEP and header, and nothing else. */
static void expect_view(struct wr_switch *sw)
{
	int n = 0;

	for (int id = 0; id < WR_TUNNEL_MAX; id++) {
		const struct sw_tunnel *t = atomic_load(&sw->tunnels[id]);
		const struct tun_map *m = t ? atomic_load(&t->map) : NULL;

		for (uint32_t i = 0; m && i <= m->vni_mask; i++) {
			if (m->vni[i].vni == WR_VNI_NONE)
				continue;
			n++;
			assert_int_equal(FAKE_SLOT(fk.vni, false, e->underlay == t->underlay &&
						   e->vni == m->vni[i].vni)->bd, m->vni[i].bd);
		}
		for (uint16_t i = 0; m && i < m->n_vteps; i++, n++)
			assert_int_equal(FAKE_SLOT(fk.vtep, false, e->underlay == t->underlay &&
						   !memcmp(e->ip, m->vteps[i].ip, 16))->vtep,
					 m->vteps[i].port);
		for (uint16_t k = 0; t && k < t->n_vteps; k++) {
			const struct sw_vtep *v = t->vteps[k];
			const struct vtep_hdrs *h = atomic_load(&v->hdrs);

			for (uint32_t i = 0; h && i <= h->mask; i++) {
				__typeof__(&fk.hdr[0]) s;

				if (!h->slot[i].bd)
					continue;
				n++;
				s = FAKE_SLOT(fk.hdr, false, e->vtep == v->port.index &&
					      e->bd == h->slot[i].bd);
				assert_memory_equal(&s->h, &h->slot[i].h, sizeof(s->h));
				assert_int_equal(s->underlay, t->underlay);
				assert_int_equal(s->mtu, t->conf.mtu);
			}
		}
	}
	assert_int_equal(fk_count(), n);
}

/*
 * The tunnel mirror: replayed when set, then told of each change, its view
 * equal to the switch's after every one; silent once unset.
 */
static void test_mirror(void **state)
{
	uint8_t ip[16];
	unsigned calls;
	int v3;

	(void)state;
	memset(&fk, 0, sizeof(fk));
	wr_switch_set_tunnel_mirror(A.sw, &fake_mirror);
	/* Two VNIs, one VTEP, its two headers. */
	assert_int_equal(fk_count(), 5);
	expect_view(A.sw);

	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5030, 30), 0);	/* added */
	expect_view(A.sw);
	assert_int_equal(fk_count(), 7);
	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5030, 40), 0);	/* moved */
	expect_view(A.sw);
	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5010, 0), 0);	/* removed */
	expect_view(A.sw);
	assert_int_equal(fk_count(), 5);

	/* Next hop lost: no header; found again: headers. */
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.vtep, A.mac, NULL), 0);
	expect_view(A.sw);
	assert_int_equal(fk_count(), 3);
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)A.vtep, A.mac, B.mac), 0);
	expect_view(A.sw);

	/* A second VTEP, resolved, then deleted. */
	ip4(ip, 3);
	v3 = wr_tunnel_vtep_add(A.sw, A.tun, ip, true);
	assert_true(v3 >= 0);
	expect_view(A.sw);
	assert_int_equal(wr_tunnel_vtep_nexthop(A.sw, (uint16_t)v3, A.mac, mac_z), 0);
	expect_view(A.sw);
	assert_int_equal(fk_count(), 8);
	assert_int_equal(wr_tunnel_vtep_del(A.sw, (uint16_t)v3), 0);
	expect_view(A.sw);

	/* The tunnel goes with everything; a mirror set again replays nothing. */
	assert_int_equal(wr_tunnel_del(A.sw, A.tun), 0);
	expect_view(A.sw);
	assert_int_equal(fk_count(), 0);

	/* Unset: not told any more. */
	assert_int_equal(wr_tunnel_del(B.sw, B.tun), 0);
	wr_switch_set_tunnel_mirror(B.sw, &fake_mirror);
	assert_int_equal(fk_count(), 0);
	wr_switch_set_tunnel_mirror(A.sw, NULL);
	calls = fk.calls;
	A.tun = wr_tunnel_add(A.sw, (uint16_t)A.iu, &(struct wr_tunnel_conf){
		.type = WR_TUNNEL_VXLAN, .local_ip = { 192, 0, 2, 1 }, .mtu = 1500 });
	assert_true(A.tun >= 0);
	assert_int_equal(wr_tunnel_vni(A.sw, A.tun, 5010, 10), 0);
	assert_int_equal(fk.calls, calls);
	wr_switch_set_tunnel_mirror(B.sw, NULL);
}

/* A VNI rule on B: frames off the tunnel in VNI 5010 go to b3, whatever B learned; 5020's are of another domain. */
static void test_steer_vni(void **state)
{
	struct wr_steer_match m = { .kind = WR_STEER_VNI, .id = 5010 };
	struct wr_steer_rule r;
	struct wr_port *b3;
	int i3, id;

	(void)state;
	b3 = port_in(&B, "b3", 10, &i3);
	/* mac_y behind b1, learned by B. */
	send(B.p1, bcast, mac_y);
	run(&B);
	got(B.u, NULL);
	assert_int_equal(got(b3, NULL), 1);
	run(&B);
	assert_int_equal(fdb_port(&B, 10, mac_y), B.i1);
	id = wr_steer_add(B.sw, &m, (uint16_t)i3);
	assert_true(id >= 0);
	a_to_b(mac_y);
	assert_int_equal(got(b3, NULL), 1);
	assert_int_equal(got(B.p1, NULL), 0);
	assert_int_equal(wr_steer_get(B.sw, id, &r), 0);
	assert_int_equal(r.pkts, 1);
	/* Frames of b1 itself are not off a tunnel: bridged. */
	send(b3, mac_y, mac_z);
	run(&B);
	assert_int_equal(got(B.p1, NULL), 1);
	/* VNI 5020 (bd 20) steered to b3 (bd 10): dropped, counted. */
	m.id = 5020;
	assert_true(wr_steer_add(B.sw, &m, (uint16_t)i3) >= 0);
	send(A.p2, mac_z, mac_x);
	run(&A);
	assert_int_equal(carry(&A, &B), 1);
	run(&B);
	assert_int_equal(drops(&B, WR_DROP_STEER_OTHER_BD), 1);
	assert_int_equal(got(b3, NULL), 0);
	assert_int_equal(got(B.p2, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_learn_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_learn_reply, setup_geneve, teardown),
		cmocka_unit_test_setup_teardown(test_vnis_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_horizon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_underlay_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_and_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remap_and_ownership, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geneve_options, setup_geneve, teardown),
		cmocka_unit_test_setup_teardown(test_learn_vteps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlans_across, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror, setup, teardown),
		cmocka_unit_test_setup_teardown(test_steer_vni, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
