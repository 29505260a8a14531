/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rtnl.c - small helpers under link.c, addr.c and route.c: endpoint names
 * for messages, ifindex lookups, wr_cidr <-> nl_addr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/route/link.h>

#include "nl_priv.h"
#include "rtnl_priv.h"

const char *wr_ep_str(const struct wr_ep *ep, char *buf, size_t size)
{
	if (ep->netns[0])
		snprintf(buf, size, "%s:%s", ep->netns, ep->ifname);
	else
		snprintf(buf, size, "%s", ep->ifname);
	return buf;
}

const char *wr_in_ns(const char *netns, char *buf, size_t size)
{
	if (netns && netns[0])
		snprintf(buf, size, " in %s", netns);
	else
		buf[0] = '\0';
	return buf;
}

int wr_rtnl_ifindex(struct nl_sock *sk, const char *ifname)
{
	struct rtnl_link *link = NULL;
	int err, ifindex;

	err = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
		return -ENODEV;
	if (err)
		return wr_nl_err(err, "link %s: look up", ifname);
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}

struct nl_addr *wr_rtnl_addr(const struct wr_cidr *c)
{
	struct nl_addr *a;

	a = nl_addr_build(c->family, c->addr.bytes, c->family == AF_INET ? 4 : 16);
	if (a)
		nl_addr_set_prefixlen(a, c->prefixlen);
	return a;
}

int wr_rtnl_cidr(const struct nl_addr *a, int family, struct wr_cidr *out)
{
	unsigned int len;

	memset(out, 0, sizeof(*out));
	if (a && nl_addr_get_len(a))
		family = nl_addr_get_family(a);
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	len = family == AF_INET ? 4 : 16;
	out->family = family;
	if (a && nl_addr_get_len(a) == len)
		memcpy(out->addr.bytes, nl_addr_get_binary_addr(a), len);
	out->prefixlen = a ? (uint8_t)nl_addr_get_prefixlen(a) : 0;
	return 0;
}
