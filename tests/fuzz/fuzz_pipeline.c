/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_pipeline.c - arbitrary frames on up to all 256 ports, through the
 * whole pipeline (parse, bridge, output) of a switch whose ports, VLANs and
 * table the input changes between vectors: ports deleted and made again,
 * moved to other bridge domains or VLANs while their learn requests wait,
 * static entries, flushes. Whatever happens, nothing crashes, nothing
 * leaks (every buffer is back in the pool at the end), and no FDB entry
 * names a port that is gone or a bridge domain its port is not in.
 *
 * Input: a header of 2 bytes (how many ports take part, 1..256; how many
 * mode bytes follow, then those bytes: port i < 16's mode is byte i % n,
 * the others are in bridge domain 1 unless SET), then operations, one byte
 * each and their arguments:
 *
 *   RAW   port len bytes[len]          a frame as it is
 *   MACS  port count dst src vlan      count (1..16) frames 02:..:dst <- 02:..:src,
 *                                      dst 0xff: broadcast; vlan 0: untagged
 *   POLL                               one vector: learn requests stay queued
 *   TICK                               the control thread learns, ages, reclaims
 *   DEL   port                         deleted (made again at TICK, or at the end)
 *   SET   port mode                    its configuration changed
 *   VLAN  vlan bd                      VLAN vlan (1..7) belongs to bd (0..7)
 *   STAT  port bd mac                  a static entry (refused when it must be)
 *   FLUSH all                          the table emptied
 *   SEND                               poll until nothing is left, collect every port
 *   TRACE port arg                     a trace armed on port (the last one stopped):
 *                                      arg & 0x80: a synthetic frame 02:..:arg <- 02:..:port,
 *                                      run dry; else the next 1 + arg % 8 frames
 *
 * One switch serves the whole run; each input sets the ports again and
 * empties the table; a trace's records are checked and it is stopped at
 * the end of each input. Ports from 16 on send into a sink (freed as they are
 * sent, no ring to fill or collect): they are many, and per input the
 * same.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch_priv.h"
#include "wr_drivers.h"

#define N_BUFS		(WR_PORT_MAX * 64 + 4096)	/* every send ring full, and a vector */
#define BUF_SIZE	256				/* a RAW frame is 255 bytes at most */
#define N_VLANS		8
#define N_MODED		16				/* ports whose mode the header gives */

enum { RAW, MACS, POLL, TICK, DEL, SET, VLAN, STAT, FLUSH, SEND, TRACE, N_OPS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wr_ring_pool *pool;
static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_port *ports[WR_PORT_MAX];	/* NULL: deleted, made again at the next TICK */
static struct wr_port_conf conf[WR_PORT_MAX];	/* what each port was given */
static uint8_t mode_of[WR_PORT_MAX];		/* the mode byte conf[] came from */
static uint16_t vlan_bd[N_VLANS];		/* what VLANs 1..7 were given */
static uint16_t n_active;
static uint32_t now = 1;

/*
 * One vector. The worker is parked (QSBR offline) but for its passes, as
 * an idle warrend worker is: this thread is also the control thread, and
 * its reclamation must not wait for a pass that only it could make.
 */
static uint32_t poll_once(void)
{
	uint32_t n;

	wr_worker_unpark(w);
	n = wr_worker_poll(w, now);
	wr_worker_park(w);
	return n;
}

/* A port's configuration from one byte: VLAN mode, bd or VLANs (1..7), learning, MAC limit. */
static void conf_of(uint8_t b, struct wr_port_conf *c)
{
	wr_port_conf_init(c);
	c->vlan_mode = (enum wr_vlan_mode)(b % 3);
	c->bd = 1 + (b >> 2 & 3);
	c->access_vlan = 1 + (b >> 2 & 3);
	c->native_vlan = b >> 4 & 3;
	c->allowed[0] = 0x6 | (uint64_t)(b >> 6) << 3;	/* 1, 2, and maybe 3, 4 */
	if (c->native_vlan)
		c->allowed[0] |= 1ull << c->native_vlan;
	c->learning = (b & 0x30) != 0x30;
	c->mac_limit = b >> 7 ? 3 : 0;
}

static void set_port(uint16_t i, uint8_t mode)
{
	conf_of(mode, &conf[i]);
	mode_of[i] = mode;
	if (wr_switch_port_set(sw, i, &conf[i]))
		abort();
}

/* Port @i made (again) in slot @i: free slots are taken lowest first, and only @i is free. */
static void make_port(uint16_t i)
{
	ports[i] = wr_ring_port_create(pool, "f", 64);
	if (!ports[i] || wr_switch_port_add(sw, ports[i], &conf[i]) != i ||
	    wr_worker_add_port(w, i))
		abort();
	wr_ring_sink(ports[i], i >= N_MODED);
	wr_switch_port_up(sw, i, i < n_active);
}

/* One switch for the whole run: building one per input was 9 in 10 of the time. */
static void setup(void)
{
	struct wr_switch_conf sc;

	wr_switch_conf_init(&sc);
	sc.fdb_max = 64;	/* small: the bound is reached often */
	sw = wr_switch_create(&sc);
	w = sw ? wr_worker_create(sw, 0) : NULL;
	pool = wr_ring_pool_create(N_BUFS, BUF_SIZE);
	if (!sw || !w || !pool)
		abort();
	wr_worker_park(w);
	for (uint16_t v = 1; v < N_VLANS; v++) {
		vlan_bd[v] = v;
		wr_switch_vlan_bd(sw, v, v);
	}
	n_active = WR_PORT_MAX;
	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		conf_of(0, &conf[i]);
		make_port(i);
	}
}

/* A port just made has no entry yet: none of its slot's last port came back. */
static int entry_not_on(const struct wr_fdb_entry *e, void *arg)
{
	if (e->port == *(const uint16_t *)arg)
		abort();
	return 0;
}

/*
 * The deleted ports whose slots are free again (closed a grace period after
 * the delete) made again there, in order, so each takes its own slot.
 */
static void remake_ports(void)
{
	for (uint16_t i = 0; i < WR_PORT_MAX; i++)
		if (!ports[i] && !atomic_load(&sw->ports[i].conf)) {
			make_port(i);
			wr_fdb_foreach(sw, entry_not_on, &i);
		}
}

static void drain(void)
{
	uint8_t out[BUF_SIZE];

	while (poll_once())
		;
	for (uint16_t i = 0; i < N_MODED; i++)
		while (ports[i] && wr_ring_collect(ports[i], out, sizeof(out)) >= 0)
			;
}

static bool in_bd(uint16_t port, uint16_t bd)
{
	const struct wr_port_conf *c = &conf[port];

	switch (c->vlan_mode) {
	case WR_VLAN_NONE:
		return c->bd == bd;
	case WR_VLAN_ACCESS:
		return vlan_bd[c->access_vlan] == bd;
	default:
		for (uint16_t v = 1; v < N_VLANS; v++)
			if (vlan_bd[v] == bd && (c->allowed[0] >> v & 1))
				return true;
		return false;
	}
}

/* No entry for a port that is gone, or in a bridge domain its port is not in. */
static int entry_ok(const struct wr_fdb_entry *e, void *arg)
{
	(void)arg;
	if (e->port >= WR_PORT_MAX || !ports[e->port] || !in_bd(e->port, e->bd))
		abort();
	return 0;
}

static void frame_macs(struct wr_port *p, int count, uint8_t dst, uint8_t src, uint8_t vlan)
{
	uint8_t f[64] = { 0x02, 0, 0, 0, 0, dst, 0x02, 0, 0, 0, 0, src };
	uint16_t o = 12;

	if (dst == 0xff)
		memset(f, 0xff, 6);
	if (vlan % N_VLANS) {
		f[o++] = 0x81, f[o++] = 0x00, f[o++] = 0, f[o++] = vlan % N_VLANS;
	}
	f[o++] = 0x88, f[o++] = 0xb5;
	for (int i = 0; i < count; i++)
		wr_ring_inject(p, f, sizeof(f));
}

/* What a trace recorded names real stages, ports and reasons; then it is stopped. */
static void trace_end(void)
{
	const struct wr_trace_rec *r;
	uint64_t overflow;
	int n = wr_trace_collect(sw, &r, &overflow);

	for (int i = 0; i < n; i++)
		if (r[i].in_port >= WR_PORT_MAX || r[i].stage >= WR_TRACE_STAGES ||
		    (r[i].drop != 0xff && r[i].drop >= WR_DROP_COUNT) ||
		    (r[i].stage < WR_TRACE_OUTPUT && r[i].drop == 0xff) ||
		    (r[i].n_out && r[i].out[0] >= WR_PORT_MAX))
			abort();
	wr_trace_stop(sw);
}

/* This input's ports: how many take part, their modes; a table that forgets the last input. */
static size_t begin(const uint8_t *data, size_t size)
{
	uint16_t n_modes;

	n_active = (uint16_t)(1 + data[0]);
	n_modes = data[1] % 16 + 1;
	if (size < 2u + n_modes)
		return 0;
	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		uint8_t mode = i < n_active && i < N_MODED ? data[2 + i % n_modes] : 0;

		if (!ports[i]) {		/* still closing: made with it later */
			conf_of(mode, &conf[i]);
			mode_of[i] = mode;
		} else if (mode != mode_of[i]) {
			set_port(i, mode);
		}
		wr_switch_port_up(sw, i, i < n_active);
	}
	for (uint16_t v = 1; v < N_VLANS; v++)
		if (vlan_bd[v] != v) {
			vlan_bd[v] = v;
			wr_switch_vlan_bd(sw, v, v);
		}
	wr_fdb_flush_all(sw, true);
	return 2u + n_modes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at;

	if (size < 3)
		return 0;
	if (!sw)
		setup();
	at = begin(data, size);
	if (!at)
		return 0;
	while (at < size) {
		uint8_t op = data[at++] % N_OPS;
		const uint8_t *a = data + at;
		size_t left = size - at;
		uint16_t port = left ? a[0] % n_active : 0;

		switch (op) {
		case RAW: {
			size_t len;

			if (left < 2)
				goto end;
			len = a[1] < left - 2 ? a[1] : left - 2;
			at += 2 + len;
			if (ports[port])
				wr_ring_inject(ports[port], a + 2, (uint16_t)len);
			break;
		}
		case MACS:
			if (left < 5)
				goto end;
			at += 5;
			if (ports[port])
				frame_macs(ports[port], 1 + a[1] % 16, a[2], a[3], a[4]);
			break;
		case POLL:
			poll_once();
			break;
		case TICK:
			wr_switch_tick(sw, now++);
			wr_fdb_foreach(sw, entry_ok, NULL);
			remake_ports();
			break;
		case DEL:
			if (left < 1)
				goto end;
			at += 1;
			if (ports[port] && !wr_switch_port_del(sw, port))
				ports[port] = NULL;
			break;
		case SET:
			if (left < 2)
				goto end;
			at += 2;
			if (ports[port])
				set_port(port, a[1]);
			break;
		case VLAN:
			if (left < 2)
				goto end;
			at += 2;
			if (a[0] % N_VLANS) {
				vlan_bd[a[0] % N_VLANS] = a[1] % N_VLANS;
				if (wr_switch_vlan_bd(sw, a[0] % N_VLANS, a[1] % N_VLANS))
					abort();
			}
			break;
		case STAT:
			if (left < 3)
				goto end;
			at += 3;
			if (ports[port]) {
				uint8_t mac[6] = { 0x02, 0, 0, 0, 0, a[2] };
				int err = wr_fdb_add_static(sw, a[1] % N_VLANS, mac, port);

				/* Refused only for a domain the port is not in (or no single one). */
				if (err && err != -EXDEV && err != -ENOSPC && err != -EAGAIN)
					abort();
				if (!err && a[1] % N_VLANS && !in_bd(port, a[1] % N_VLANS))
					abort();
			}
			break;
		case FLUSH:
			if (left < 1)
				goto end;
			at += 1;
			wr_fdb_flush_all(sw, a[0] & 1);
			break;
		case SEND:
			drain();
			break;
		case TRACE:
			if (left < 2)
				goto end;
			at += 2;
			if (ports[port]) {
				uint8_t f[60] = { 0x02, 0, 0, 0, 0, a[1], 0x02, 0, 0, 0, 0, (uint8_t)port,
						  0x88, 0xb5 };
				struct wr_trace_conf c = { .port = port, .count = 1 + a[1] % 8 };

				if (a[1] & 0x80) {
					c.frame = f;
					c.frame_len = sizeof(f);
				}
				trace_end();
				if (wr_trace_start(sw, &c))
					abort();
			}
			break;
		}
		wr_fdb_foreach(sw, entry_ok, NULL);
	}
end:
	drain();
	trace_end();
	wr_switch_tick(sw, now++);
	wr_fdb_foreach(sw, entry_ok, NULL);
	wr_switch_tick(sw, now++);	/* the deleted ports close */
	remake_ports();
	drain();
	/* Every frame was sent and collected, or dropped: all buffers are back. */
	if (wr_ring_pool_free_count(pool) != N_BUFS)
		abort();
	return 0;
}
