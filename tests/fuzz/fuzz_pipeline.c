/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_pipeline.c - arbitrary bytes as frames on arbitrary ports, through
 * the whole pipeline (parse, bridge, output) of a switch whose port modes
 * come from the input too. Whatever arrives, nothing crashes, nothing
 * leaks: every buffer is back in the pool at the end.
 *
 * Input: 4 bytes of port setup (mode and VLAN per port), then records of
 * [port: 1][length: 1][bytes: length]. One switch serves the whole run;
 * each input sets the ports' modes again and empties the table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wr_dataplane.h"
#include "wr_drivers.h"

#define N_PORTS 4
#define N_BUFS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wr_port *ports[N_PORTS];
static struct wr_ring_pool *pool;
static struct wr_switch *sw;
static struct wr_worker *w;
static uint32_t now = 1;

/* One switch for the whole run: building one per input was 9 in 10 of the time. */
static void setup(void)
{
	struct wr_switch_conf sc;

	wr_switch_conf_init(&sc);
	sc.fdb_max = 64;	/* small: the bound is reached often */
	sw = wr_switch_create(&sc);
	w = sw ? wr_worker_create(sw, 0) : NULL;
	pool = wr_ring_pool_create(N_BUFS, 2048);
	if (!sw || !w || !pool)
		abort();
	wr_switch_vlan_bd(sw, 1, 1);
	wr_switch_vlan_bd(sw, 2, 2);
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;

		wr_port_conf_init(&c);
		ports[i] = wr_ring_port_create(pool, "f", 64);
		if (!ports[i] || wr_switch_port_add(sw, ports[i], &c) != i ||
		    wr_worker_add_port(w, (uint16_t)i))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[2048];

	if (size < N_PORTS)
		return 0;
	if (!sw)
		setup();
	/* This input's port modes, and a table that forgets the last input. */
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;

		wr_port_conf_init(&c);
		c.vlan_mode = (enum wr_vlan_mode)(data[i] % 3);
		c.access_vlan = 1 + (data[i] >> 2 & 1);
		c.native_vlan = data[i] >> 3 & 3;
		c.allowed[0] = 0x6;
		c.mac_limit = data[i] >> 5;
		if (wr_switch_port_set(sw, (uint16_t)i, &c))
			abort();
		wr_fdb_flush_port(sw, (uint16_t)i, true);
	}
	data += N_PORTS;
	size -= N_PORTS;
	while (size >= 2) {
		uint8_t port = data[0] % N_PORTS, len = data[1];

		data += 2;
		size -= 2;
		if (len > size)
			len = (uint8_t)size;
		wr_ring_inject(ports[port], data, len);
		data += len;
		size -= len;
		while (wr_worker_poll(w, now))
			;
		wr_switch_tick(sw, now++);
		for (int i = 0; i < N_PORTS; i++)
			while (wr_ring_collect(ports[i], out, sizeof(out)) >= 0)
				;
	}
	/* Every frame was sent and collected, or dropped: all buffers are back. */
	if (wr_ring_pool_free_count(pool) != N_BUFS)
		abort();
	return 0;
}
