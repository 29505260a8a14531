/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netdev_priv.h - what a kernel-device backend (afxdp, tap) asks of its
 * device while running: carrier, presence and MTU, kept in a cache that
 * whoever asks refreshes at most every 100 ms (drivers/ only).
 *
 * link_up is asked once per worker pass and output port: the cache makes
 * that a load and a vDSO clock read; the ioctl happens ten times a second.
 */
#ifndef WR_NETDEV_PRIV_H
#define WR_NETDEV_PRIV_H

#include <net/if.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "wr_driver.h"

struct wr_netdev {
	int ctl;			/* a socket made in the device's namespace, or -1 */
	char dev[IF_NAMESIZE];
	_Atomic bool up;		/* IFF_UP and IFF_RUNNING */
	_Atomic bool gone;		/* the kernel said ENODEV */
	_Atomic uint64_t next_ns;	/* CLOCK_MONOTONIC_COARSE: when to ask again */
};

/**
 * Set @nd up for device @dev of the calling thread's namespace and ask it
 * once, setting @port->max_len from its MTU. 0 or -errno. [control]
 */
int wr_netdev_open(struct wr_netdev *nd, const char *dev, struct wr_port *port);
void wr_netdev_close(struct wr_netdev *nd);

struct ethtool_drvinfo;
/** What `ethtool -i` says of the device (driver, bus_info, ...): 0 or -errno. [control] */
int wr_netdev_drvinfo(const struct wr_netdev *nd, struct ethtool_drvinfo *info);

/** Carrier, from the cache; refreshes it (and @port->max_len) when stale. [any] */
bool wr_netdev_up(struct wr_netdev *nd, struct wr_port *port);

/** The device disappeared (as of the last refresh). [any] */
static inline bool wr_netdev_gone(const struct wr_netdev *nd)
{
	return atomic_load_explicit(&nd->gone, memory_order_relaxed);
}

/** One name/value pair into a port's xstats arrays (of @max); the new count. */
static inline int wr_xstat(const char **names, uint64_t *vals, int n, int max, const char *name,
			   uint64_t val)
{
	if (n < max) {
		names[n] = name;
		vals[n++] = val;
	}
	return n;
}

#endif /* WR_NETDEV_PRIV_H */
