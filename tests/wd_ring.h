/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wd_ring.h - warrend's API without devices, for its unit test and fuzz
 * target: ports opened as ring ports on wd_ring_pool (which the test
 * makes), so that port.add touches no device and needs no privilege.
 */
#ifndef WD_RING_H
#define WD_RING_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "warrend.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

static struct wr_ring_pool *wd_ring_pool;

/* In place of port_open.c's: a ring port, whatever the request names. */
struct wr_port *wd_port_open(struct warrend *wd, struct wd_port *req, uint16_t worker, char *err,
			     size_t errlen)
{
	(void)wd;
	(void)worker;
	(void)err;
	(void)errlen;
	return wr_ring_port_create(wd_ring_pool, req->name, 64);
}

/*
 * In place of underlay.c's: a ring port's "device" has ifindex 7, MAC
 * 02:ee:00:00:00:07, MTU 1500 and every address but 192.0.2.99 (so that a
 * test sees the refusal); every remote is reached directly, resolved to
 * 02:dd and the address's last byte, but 192.0.2.98, which has no route.
 */
int wd_underlay_probe(const struct wd_port *p, bool ipv6, const uint8_t ip[16],
		      struct wd_underlay_info *out, char *err, size_t errlen)
{
	(void)ipv6;
	if (ip[0] == 192 && ip[1] == 0 && ip[2] == 2 && ip[3] == 99) {
		snprintf(err, errlen, "local 192.0.2.99 is no address of %s's device", p->name);
		return -EADDRNOTAVAIL;
	}
	out->ifindex = 7;
	memcpy(out->mac, (uint8_t[6]){ 0x02, 0xee, 0, 0, 0, 7 }, 6);
	out->mtu = 1500;
	return 0;
}

/* No namespace to watch: next hops are looked up on the tick only. */
int wd_underlay_watch(const struct wd_port *p)
{
	(void)p;
	return -1;
}

int wd_underlay_nexthop(const struct wd_port *p, int ifindex, bool ipv6, const uint8_t dst[16],
			struct wr_nexthop *nh, char *err, size_t errlen)
{
	(void)p;
	memset(nh, 0, sizeof(*nh));
	if (!ipv6 && dst[0] == 192 && dst[1] == 0 && dst[2] == 2 && dst[3] == 98) {
		snprintf(err, errlen, "no route to 192.0.2.98");
		return -ENETUNREACH;
	}
	nh->ifindex = ifindex;
	memcpy(nh->via, dst, 16);
	nh->resolved = true;
	memcpy(nh->mac, (uint8_t[6]){ 0x02, 0xdd, 0, 0, 0, dst[ipv6 ? 15 : 3] }, 6);
	snprintf(nh->state, sizeof(nh->state), "reachable");
	return 0;
}

/* @wd: a switch named "test" whose ports will be ring ports. 0, or -1. */
static inline int wd_ring_open(struct warrend *wd)
{
	memset(wd, 0, sizeof(*wd));
	strcpy(wd->conf.name, "test");
	wd->conf.fdb_max = 1024;
	wd->sw = wr_switch_create(NULL);
	wd_ring_pool = wr_ring_pool_create(4096, 2048);
	wd_log_open(WD_LOG_ERR, NULL);
	return wd->sw && wd_ring_pool ? 0 : -1;
}

static inline void wd_ring_close(struct warrend *wd)
{
	wr_switch_destroy(wd->sw);
	wr_ring_pool_destroy(wd_ring_pool);
}

/*
 * After a fuzz input: @wd as it started, but for its counters (its ports
 * gone, their FDB entries, static ones too, with them; the VLAN map, the
 * aging time and the stop flag as they were).
 */
static inline void wd_ring_reset(struct warrend *wd)
{
	wd_trace_stop(wd);
	wd_chains_close_all(wd);
	wd_tunnels_close_all(wd);
	for (int id = 0; id < WR_STEER_MAX; id++) {
		struct wr_steer_rule r;

		if (!wr_steer_get(wd->sw, id, &r))
			wr_steer_del(wd->sw, &r.m);
		wd->steer_port[id][0] = '\0';
	}
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used)
			wd_port_del(wd, &wd->ports[i]);
	for (uint16_t v = 1; v <= WR_VLAN_LAST; v++)
		if (wr_switch_vlan_bd_get(wd->sw, v) != v)
			wr_switch_vlan_bd(wd->sw, v, v);
	wr_switch_set_age(wd->sw, 300);
	wr_switch_tick(wd->sw, 1);
	atomic_store(&wd->stop, false);
}

#endif /* WD_RING_H */
