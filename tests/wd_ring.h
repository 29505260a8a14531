/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wd_ring.h - warrend's API without devices, for its unit test and fuzz
 * target: ports opened as ring ports on wd_ring_pool (which the test
 * makes), so that port.add touches no device and needs no privilege.
 */
#ifndef WD_RING_H
#define WD_RING_H

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
 * After a fuzz input: @wd as it started, but for its counters (its ports
 * gone, their FDB entries, static ones too, with them; the VLAN map, the
 * aging time and the stop flag as they were).
 */
static inline void wd_ring_reset(struct warrend *wd)
{
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
