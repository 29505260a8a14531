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

static inline struct wr_port *wd_ring_open(struct warrend *wd, struct wd_port *req,
					   uint16_t worker, char *err, size_t errlen)
{
	(void)wd;
	(void)worker;
	(void)err;
	(void)errlen;
	return wr_ring_port_create(wd_ring_pool, req->name, 64);
}

#endif /* WD_RING_H */
