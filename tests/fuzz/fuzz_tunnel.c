/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_tunnel.c - a switch with a tunnel, its underlay taking arbitrary
 * frames and well-formed VXLAN or Geneve around arbitrary inner frames from
 * VTEPs known and unknown, while the input adds and removes VNIs and VTEPs,
 * makes next hops come and go, and deletes and makes the tunnel again.
 * Whatever happens, nothing crashes, nothing leaks (every buffer back in
 * the pool), and no FDB entry names a VTEP that is gone or a bridge domain
 * its tunnel does not carry.
 *
 * Ports: 0 the underlay, 1..3 tenants in bridge domains 1..3. Addresses:
 * local 192.0.2.1, VTEPs 192.0.2.2..5. Input: a first byte (tunnel type,
 * Geneve if odd), then operations, one byte each and their arguments:
 *
 *   RAW   len bytes[len]              a frame on the underlay as it is
 *   WRAP  vtep vni len bytes[len]     the frame inside VXLAN/Geneve from VTEP
 *                                     (2..7: 6 and 7 are none), VNI 5000 + vni % 5
 *   TEN   port count dst src          count (1..8) frames on tenant port 1..3
 *   VNI   vni bd                      VNI 5000 + vni % 5 is bd % 4 (0: removed)
 *   VADD  vtep flood                  a VTEP (192.0.2.2..5)
 *   VDEL  vtep
 *   NH    vtep on                     its next hop known or not
 *   TDEL                              the tunnel deleted (made again at TADD)
 *   TADD
 *   POLL / TICK / SEND                a vector; the control thread; drain all
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tunnel_priv.h"
#include "wr_drivers.h"

#define N_BUFS		8192
#define BUF_SIZE	512
#define N_TEN		3
#define N_VNI		5
#define N_VTEP		4

enum { RAW, WRAP, TEN, VNI, VADD, VDEL, NH, TDEL, TADD, POLL, TICK, SEND, N_OPS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wr_ring_pool *pool;
static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_port *ports[1 + N_TEN];
static int tun = -1;
static int vtep_port[N_VTEP];	/* -1: none */
static enum wr_tunnel_type type;
static uint32_t now = 1;
static const uint8_t mac_local[6] = { 0x02, 0xee, 0, 0, 0, 1 };

static void ip_of(uint8_t ip[16], uint8_t last)
{
	memset(ip, 0, 16);
	ip[0] = 192, ip[2] = 2, ip[3] = last;
}

static uint32_t poll_once(void)
{
	uint32_t n;

	wr_worker_unpark(w);
	n = wr_worker_poll(w, now);
	wr_worker_park(w);
	return n;
}

static void tunnel_make(void)
{
	struct wr_tunnel_conf c;

	wr_tunnel_conf_init(&c, type);
	ip_of(c.local_ip, 1);
	tun = wr_tunnel_add(sw, 0, &c);
	if (tun < 0)
		abort();
	for (int i = 0; i < N_VTEP; i++)
		vtep_port[i] = -1;
}

static void setup(void)
{
	struct wr_switch_conf sc;

	wr_switch_conf_init(&sc);
	sc.fdb_max = 64;
	sw = wr_switch_create(&sc);
	w = sw ? wr_worker_create(sw, 0) : NULL;
	pool = wr_ring_pool_create(N_BUFS, BUF_SIZE);
	if (!sw || !w || !pool)
		abort();
	wr_worker_park(w);
	for (int i = 0; i <= N_TEN; i++) {
		struct wr_port_conf c;

		wr_port_conf_init(&c);
		c.bd = (uint16_t)(i ? i : 1);
		ports[i] = wr_ring_port_create(pool, "f", 256);
		if (!ports[i] || wr_switch_port_add(sw, ports[i], &c) != i ||
		    wr_worker_add_port(w, (uint16_t)i))
			abort();
	}
}

static void drain(void)
{
	uint8_t out[BUF_SIZE];

	while (poll_once())
		;
	for (int i = 0; i <= N_TEN; i++)
		while (wr_ring_collect(ports[i], out, sizeof(out)) >= 0)
			;
}

/* Entries behind a VTEP: a VTEP of the tunnel now, in a domain the tunnel carries. */
static int entry_ok(const struct wr_fdb_entry *e, void *arg)
{
	const struct sw_vtep *v;

	(void)arg;
	if (e->port <= N_TEN)
		return 0;
	v = sw_vtep_of(sw, e->port);
	if (!v || !atomic_load(&sw->ports[e->port].port) || v->tun->bd_vni[e->bd] == WR_VNI_NONE)
		abort();
	return 0;
}

/* @inner in the tunnel's encapsulation from 192.0.2.@from, VNI 5000 + @vni % 5, onto the underlay. */
static void send_underlay_wrapped(uint8_t from, uint8_t vni, const uint8_t *inner, uint16_t len)
{
	uint8_t f[BUF_SIZE + 128] = { 0 };
	struct wr_tun_params p;
	struct wr_tun_hdr h;
	struct wr_pkt pkt = { 0 };
	enum wr_drop why;

	if (len > BUF_SIZE - WR_TUN_HDR_MAX)
		len = BUF_SIZE - WR_TUN_HDR_MAX;
	wr_tun_params_init(&p, type);
	memcpy(p.src_mac, (uint8_t[6]){ 0x02, 0xdd, 0, 0, 0, from }, 6);
	memcpy(p.dst_mac, mac_local, 6);
	ip_of(p.src_ip, from);
	ip_of(p.dst_ip, 1);
	p.vni = 5000 + vni % N_VNI;
	if (wr_tun_hdr_build(&p, &h))
		abort();
	memcpy(f + 128, inner, len);
	pkt.data = f + 128;
	pkt.len = len;
	pkt.hash = vni;
	if (wr_tun_encap(&h, &pkt, 128, 9000, &why))
		return;
	wr_ring_inject(ports[0], pkt.data, pkt.len);
}

static void tenant_frames(uint8_t port, int count, uint8_t dst, uint8_t src)
{
	uint8_t f[64] = { 0x02, 0, 0, 0, 0, dst, 0x02, 0, 0, 0, 0, src, 0x88, 0xb5 };

	if (dst == 0xff)
		memset(f, 0xff, 6);
	for (int i = 0; i < count; i++)
		wr_ring_inject(ports[1 + port % N_TEN], f, sizeof(f));
}

/* This input starts from a tunnel with VNIs 5000..5002 in bds 1..3, no VTEP. */
static void begin(void)
{
	if (tun >= 0)
		wr_tunnel_del(sw, tun);
	tunnel_make();
	for (int i = 0; i < 3; i++)
		if (wr_tunnel_vni(sw, tun, 5000 + (uint32_t)i, (uint16_t)(1 + i)))
			abort();
	wr_fdb_flush_all(sw, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 1;

	if (size < 2)
		return 0;
	if (!sw)
		setup();
	type = data[0] & 1 ? WR_TUNNEL_GENEVE : WR_TUNNEL_VXLAN;
	begin();
	while (at < size) {
		uint8_t op = data[at++] % N_OPS;
		const uint8_t *a = data + at;
		size_t left = size - at;
		uint8_t ip[16];
		int k;

		switch (op) {
		case RAW: {
			size_t len;

			if (left < 1)
				goto end;
			len = a[0] < left - 1 ? a[0] : left - 1;
			at += 1 + len;
			wr_ring_inject(ports[0], a + 1, (uint16_t)len);
			break;
		}
		case WRAP: {
			size_t len;

			if (left < 3)
				goto end;
			len = a[2] < left - 3 ? a[2] : left - 3;
			at += 3 + len;
			send_underlay_wrapped((uint8_t)(2 + a[0] % 6), a[1], a + 3, (uint16_t)len);
			break;
		}
		case TEN:
			if (left < 4)
				goto end;
			at += 4;
			tenant_frames(a[0], 1 + a[1] % 8, a[2], a[3]);
			break;
		case VNI:
			if (left < 2)
				goto end;
			at += 2;
			if (tun >= 0) {
				int err = wr_tunnel_vni(sw, tun, 5000 + a[0] % N_VNI, a[1] % 4);

				if (err && err != -EBUSY && err != -ENOENT)
					abort();
			}
			break;
		case VADD:
			if (left < 2)
				goto end;
			at += 2;
			k = a[0] % N_VTEP;
			if (tun >= 0 && vtep_port[k] < 0) {
				ip_of(ip, (uint8_t)(2 + k));
				vtep_port[k] = wr_tunnel_vtep_add(sw, tun, ip, a[1] & 1);
				if (vtep_port[k] < 0)
					abort();
			}
			break;
		case VDEL:
			if (left < 1)
				goto end;
			at += 1;
			k = a[0] % N_VTEP;
			if (vtep_port[k] >= 0) {
				if (wr_tunnel_vtep_del(sw, (uint16_t)vtep_port[k]))
					abort();
				vtep_port[k] = -1;
			}
			break;
		case NH:
			if (left < 2)
				goto end;
			at += 2;
			k = a[0] % N_VTEP;
			if (vtep_port[k] >= 0 &&
			    wr_tunnel_vtep_nexthop(sw, (uint16_t)vtep_port[k], mac_local,
						   a[1] & 1 ? (uint8_t[6]){ 0x02, 0xdd, 0, 0, 0, 9 } : NULL))
				abort();
			break;
		case TDEL:
			if (tun >= 0 && wr_tunnel_del(sw, tun))
				abort();
			tun = -1;
			for (int i = 0; i < N_VTEP; i++)
				vtep_port[i] = -1;
			break;
		case TADD:
			if (tun < 0)
				tunnel_make();
			break;
		case POLL:
			poll_once();
			break;
		case TICK:
			wr_switch_tick(sw, now++);
			break;
		case SEND:
			drain();
			break;
		}
		wr_fdb_foreach(sw, entry_ok, NULL);
	}
end:
	drain();
	wr_switch_tick(sw, now++);
	wr_fdb_foreach(sw, entry_ok, NULL);
	wr_switch_tick(sw, now++);
	drain();
	if (wr_ring_pool_free_count(pool) != N_BUFS)
		abort();
	return 0;
}
