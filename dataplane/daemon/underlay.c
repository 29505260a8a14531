/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * underlay.c - what a tunnel needs of its underlay's device and
 * namespace, through control/'s netlink library: the device's MAC, MTU and
 * addresses, and the next hop towards each remote VTEP. The control thread
 * only; the API's tests bring their own (tests/wd_ring.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "warrend.h"

int wd_underlay_probe(const struct wd_port *p, bool ipv6, const uint8_t ip[16],
		      struct wd_underlay_info *out, char *err, size_t errlen)
{
	int family = ipv6 ? AF_INET6 : AF_INET;
	struct wr_link_info li;
	struct wr_ep ep = { 0 };
	char addr[INET6_ADDRSTRLEN];
	int ret;

	snprintf(ep.netns, sizeof(ep.netns), "%s", p->netns);
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", p->dev);
	ret = wr_link_get(&ep, &li);
	if (ret) {
		snprintf(err, errlen, "underlay %s: device %s: %s", p->name, p->dev, wr_err_msg());
		return ret;
	}
	ret = wr_addr_held(p->netns[0] ? p->netns : NULL, p->dev, family, ip);
	if (ret < 0) {
		snprintf(err, errlen, "underlay %s: addresses of %s: %s", p->name, p->dev,
			 wr_err_msg());
		return ret;
	}
	if (!ret) {
		snprintf(err, errlen, "local %s is no address of %s's device %s%s%s: give the "
			 "device the address the remote VTEPs send to",
			 inet_ntop(family, ip, addr, sizeof(addr)), p->name, p->dev,
			 p->netns[0] ? " in " : "", p->netns);
		return -EADDRNOTAVAIL;
	}
	out->ifindex = li.ifindex;
	memcpy(out->mac, li.mac, 6);
	out->mtu = li.mtu;
	return 0;
}

int wd_underlay_watch(const struct wd_port *p)
{
	int fd = wr_route_watch_open(p->netns[0] ? p->netns : NULL);

	if (fd < 0)
		wd_warn("underlay %s: %s: next hops are looked up every few seconds only", p->name,
			wr_err_msg());
	return fd;
}

int wd_underlay_nexthop(const struct wd_port *p, int ifindex, bool ipv6, const uint8_t dst[16],
			struct wr_nexthop *nh, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN];
	int ret;

	ret = wr_nexthop_get(p->netns[0] ? p->netns : NULL, ipv6, dst, nh);
	if (ret) {
		snprintf(err, errlen, "%s", wr_err_msg());
		return ret;
	}
	if (nh->ifindex != ifindex) {
		snprintf(err, errlen, "the route to %s leaves by another device (ifindex %d) than "
			 "the underlay's %s", inet_ntop(ipv6 ? AF_INET6 : AF_INET, dst, addr,
							sizeof(addr)), nh->ifindex, p->dev);
		return -EXDEV;
	}
	return 0;
}
