/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netdev.c - carrier, presence and MTU of a backend's device (netdev_priv.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "netdev_priv.h"

#define REFRESH_NS	100000000u	/* 100 ms */
#define L2_OVERHEAD	18		/* Ethernet header and one VLAN tag, as a veth allows */

static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);	/* vDSO, no syscall */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void refresh(struct wr_netdev *nd, struct wr_port *port)
{
	struct ifreq ifr;
	bool up = false, gone = false;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, nd->dev, sizeof(nd->dev));
	if (ioctl(nd->ctl, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	else
		gone = errno == ENODEV;
	if (!gone && ioctl(nd->ctl, SIOCGIFMTU, &ifr) == 0) {
		uint32_t max = (uint32_t)ifr.ifr_mtu + L2_OVERHEAD;

		__atomic_store_n(&port->max_len, max < port->buf_size ? max : port->buf_size,
				 __ATOMIC_RELAXED);
	}
	atomic_store_explicit(&nd->up, up, memory_order_relaxed);
	atomic_store_explicit(&nd->gone, gone, memory_order_relaxed);
}

int wr_netdev_open(struct wr_netdev *nd, const char *dev, struct wr_port *port)
{
	if (strlen(dev) >= sizeof(nd->dev))
		return -EINVAL;
	snprintf(nd->dev, sizeof(nd->dev), "%s", dev);
	nd->ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (nd->ctl < 0)
		return -errno;
	port->max_len = port->buf_size;
	refresh(nd, port);
	atomic_store(&nd->next_ns, coarse_ns() + REFRESH_NS);
	return 0;
}

int wr_netdev_drvinfo(const struct wr_netdev *nd, struct ethtool_drvinfo *info)
{
	struct ifreq ifr;

	memset(info, 0, sizeof(*info));
	info->cmd = ETHTOOL_GDRVINFO;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, nd->dev, sizeof(nd->dev));
	ifr.ifr_data = (void *)info;
	return ioctl(nd->ctl, SIOCETHTOOL, &ifr) ? -errno : 0;
}

void wr_netdev_close(struct wr_netdev *nd)
{
	if (nd->ctl >= 0)
		close(nd->ctl);
	nd->ctl = -1;
}

bool wr_netdev_up(struct wr_netdev *nd, struct wr_port *port)
{
	uint64_t now = coarse_ns(), next = atomic_load_explicit(&nd->next_ns, memory_order_relaxed);

	/* One asker refreshes; the others read what it found. */
	if (now >= next && atomic_compare_exchange_strong(&nd->next_ns, &next, now + REFRESH_NS))
		refresh(nd, port);
	return atomic_load_explicit(&nd->up, memory_order_relaxed);
}
