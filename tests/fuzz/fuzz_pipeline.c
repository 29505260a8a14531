/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_pipeline.c - arbitrary bytes as frames on arbitrary ports, through
 * the whole pipeline (parse, bridge, output) of a switch whose port modes
 * come from the input too. Whatever arrives, nothing crashes, nothing
 * leaks: every buffer is back in the pool at the end.
 *
 * Input: 4 bytes of port setup (mode and VLAN per port), then records of
 * [port: 1][length: 1][bytes: length].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wr_dataplane.h"
#include "wr_drivers.h"

#define N_PORTS 4
#define N_BUFS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr_port *ports[N_PORTS];
	struct wr_switch_conf sc;
	struct wr_ring_pool *pool;
	struct wr_switch *sw;
	struct wr_worker *w;
	uint8_t out[2048];
	uint32_t now = 1;

	if (size < N_PORTS)
		return 0;
	wr_switch_conf_init(&sc);
	sc.fdb_max = 64;	/* small: the bound is reached often */
	sw = wr_switch_create(&sc);
	w = wr_worker_create(sw, 0);
	pool = wr_ring_pool_create(N_BUFS, 2048);
	if (!sw || !w || !pool)
		abort();
	wr_switch_vlan_bd(sw, 1, 1);
	wr_switch_vlan_bd(sw, 2, 2);
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;

		wr_port_conf_init(&c);
		c.vlan_mode = (enum wr_vlan_mode)(data[i] % 3);
		c.access_vlan = 1 + (data[i] >> 2 & 1);
		c.native_vlan = data[i] >> 3 & 3;
		c.allowed[0] = 0x6;
		c.mac_limit = data[i] >> 5;
		ports[i] = wr_ring_port_create(pool, "f", 64);
		if (!ports[i] || wr_switch_port_add(sw, ports[i], &c) != i ||
		    wr_worker_add_port(w, (uint16_t)i))
			abort();
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
	wr_switch_destroy(sw);
	if (wr_ring_pool_free_count(pool) != N_BUFS)
		abort();	/* a path of the pipeline lost a buffer */
	wr_ring_pool_destroy(pool);
	return 0;
}
