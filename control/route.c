/* SPDX-License-Identifier: BSD-3-Clause */
/* route.c - unicast routes of the main table inside named namespaces. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/socket.h>
#include <netlink/route/route.h>

#include "nl_priv.h"
#include "rtnl_priv.h"

/* "route default via 192.0.2.1 dev eth0 metric 10 in h1" for messages. */
static const char *route_str(const char *netns, const struct wr_route *r, char *buf,
			     size_t size)
{
	char dst[INET6_ADDRSTRLEN + 4], via[INET6_ADDRSTRLEN + 4], in[WR_NETNS_NAME_MAX + 8];
	char metric[24] = "";
	struct wr_cidr gw = r->via;
	char *slash;

	if (r->dst.prefixlen == 0)
		snprintf(dst, sizeof(dst), "default");
	else
		wr_format_cidr(&r->dst, dst, sizeof(dst));
	via[0] = '\0';
	if (r->has_via) {
		wr_format_cidr(&gw, via, sizeof(via));
		slash = strchr(via, '/');
		if (slash)
			*slash = '\0';
	}
	if (r->metric)
		snprintf(metric, sizeof(metric), " metric %u", r->metric);
	snprintf(buf, size, "route %s%s%s%s%s%s%s", dst, r->has_via ? " via " : "", via,
		 r->dev[0] ? " dev " : "", r->dev, metric, wr_in_ns(netns, in, sizeof(in)));
	return buf;
}

/*
 * The route @r as a request; for a delete only what @r names is set, so
 * that the kernel matches routes whatever their protocol or scope.
 */
static int build(struct nl_sock *sk, const struct wr_route *r, bool add, const char *what,
		 struct rtnl_route **out)
{
	const char *action = add ? "add" : "delete";
	struct rtnl_nexthop *nh = NULL;
	struct rtnl_route *route;
	struct nl_addr *dst = NULL, *gw = NULL;
	int ifindex = 0, err;

	if (r->dst.family != AF_INET && r->dst.family != AF_INET6)
		return wr_err_set(-EAFNOSUPPORT, "%s: %s: destination is not IPv4 or IPv6", what,
				  action);
	if (r->has_via && r->via.family != r->dst.family)
		return wr_err_set(-EINVAL, "%s: %s: gateway and destination are of different "
				  "address families", what, action);
	if (add && !r->has_via && !r->dev[0])
		return wr_err_set(-EINVAL, "%s: %s: needs a gateway (via) or a device (dev)", what,
				  action);
	if (r->dev[0]) {
		if (wr_valid_ifname(r->dev))
			return wr_err_set(-EINVAL, "%s: %s: invalid device name", what, action);
		ifindex = wr_rtnl_ifindex(sk, r->dev);
		if (ifindex == -ENODEV)
			return wr_err_set(-ENODEV, "%s: %s: %s", what, action, strerror(ENODEV));
		if (ifindex < 0)
			return ifindex;
	}

	route = rtnl_route_alloc();
	nh = rtnl_route_nh_alloc();
	dst = wr_rtnl_addr(&r->dst);
	if (r->has_via) {
		struct wr_cidr via = r->via;

		via.prefixlen = via.family == AF_INET ? 32 : 128;
		gw = wr_rtnl_addr(&via);
	}
	if (!route || !nh || !dst || (r->has_via && !gw)) {
		err = wr_err_set(-ENOMEM, "%s: %s: out of memory", what, action);
		goto end_free;
	}
	rtnl_route_set_family(route, (uint8_t)r->dst.family);
	err = rtnl_route_set_dst(route, dst);
	if (err) {
		err = wr_nl_err(err, "%s: %s", what, action);
		goto end_free;
	}
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_type(route, RTN_UNICAST);
	if (add) {
		rtnl_route_set_protocol(route, RTPROT_STATIC);
		/* As iproute2: through a gateway the route leaves the link. */
		rtnl_route_set_scope(route, r->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	} else {
		rtnl_route_set_protocol(route, RTPROT_UNSPEC);
		rtnl_route_set_scope(route, RT_SCOPE_NOWHERE);
	}
	if (r->metric)
		rtnl_route_set_priority(route, r->metric);
	if (gw)
		rtnl_route_nh_set_gateway(nh, gw);
	if (ifindex)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	/* A delete that names neither matches on the destination alone. */
	if (gw || ifindex)
		rtnl_route_add_nexthop(route, nh);	/* the route owns it now */
	else
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(gw);
	*out = route;
	return 0;

end_free:
	nl_addr_put(gw);
	nl_addr_put(dst);
	if (nh)
		rtnl_route_nh_free(nh);
	if (route)
		rtnl_route_put(route);
	return err;
}

/* A hint for the usual refusals. */
static const char *hint(int err, bool add)
{
	switch (err) {
	case -EEXIST:
		return "the route exists already";
	case -ESRCH:
		return add ? NULL : "no such route";
	case -ENETUNREACH:
		return "the gateway is not on a connected subnet: give the device an address "
		       "of its subnet first";
	case -ENETDOWN:
		return "the device is down";
	default:
		return NULL;
	}
}

static int route_change(const char *netns, const struct wr_route *r, bool add)
{
	const char *action = add ? "add" : "delete";
	struct rtnl_route *route = NULL;
	struct nl_sock *sk;
	char what[256];
	bool said;
	int err;

	route_str(netns, r, what, sizeof(what));
	err = wr_nl_open(netns, &sk);
	if (err)
		return err;
	err = build(sk, r, add, what, &route);
	if (err)
		goto end_close;
	if (add)
		err = rtnl_route_add(sk, route, NLM_F_EXCL);
	else
		err = rtnl_route_delete(sk, route, 0);
	if (err) {
		said = wr_nl_extack()[0];
		err = wr_nl_err(err, "%s: %s", what, action);
		if (!said && hint(err, add))
			wr_err_set(err, "%s: %s: %s (%s)", what, action, strerror(-err),
				   hint(err, add));
	}
	rtnl_route_put(route);
end_close:
	wr_nl_close(sk);
	return err;
}

int wr_route_add(const char *netns, const struct wr_route *r)
{
	return route_change(netns, r, true);
}

int wr_route_del(const char *netns, const struct wr_route *r)
{
	return route_change(netns, r, false);
}

/* 1 if @route is one we list: a unicast route of the main table. */
static bool listed(struct rtnl_route *route)
{
	/* Local, broadcast, multicast, unreachable... are the kernel's business. */
	return rtnl_route_get_table(route) == RT_TABLE_MAIN &&
	       rtnl_route_get_type(route) == RTN_UNICAST;
}

/* Hop @nh of @route (NULL: none) as a struct wr_route. */
static void fill_route(struct rtnl_route *route, struct rtnl_nexthop *nh,
		       struct nl_cache *links, struct wr_route *out)
{
	int family = rtnl_route_get_family(route);
	struct nl_addr *gw;
	int ifindex;

	memset(out, 0, sizeof(*out));
	wr_rtnl_cidr(rtnl_route_get_dst(route), family, &out->dst);
	out->metric = rtnl_route_get_priority(route);
	if (!nh)
		return;
	gw = rtnl_route_nh_get_gateway(nh);
	if (gw && !wr_rtnl_cidr(gw, family, &out->via)) {
		out->has_via = true;
		out->via.prefixlen = out->via.family == AF_INET ? 32 : 128;
	}
	ifindex = rtnl_route_nh_get_ifindex(nh);
	if (ifindex > 0 && !rtnl_link_i2name(links, ifindex, out->dev, sizeof(out->dev)))
		snprintf(out->dev, sizeof(out->dev), "if%d", ifindex);
}

struct dump {
	int family;
	struct nl_cache *links;
	int (*fn)(const struct wr_route *r, void *arg);
	void *arg;
	int ret;		/* count, or the first negative value of fn */
};

static int on_route(struct nl_msg *msg, void *arg)
{
	struct rtnl_route *route = NULL;
	struct dump *d = arg;
	struct wr_route r;
	int family, n_hops;

	if (rtnl_route_parse(nlmsg_hdr(msg), &route) < 0)
		return NL_SKIP;
	family = rtnl_route_get_family(route);
	if ((family == AF_INET || family == AF_INET6) && (!d->family || family == d->family) &&
	    listed(route)) {
		/* struct wr_route holds one hop: a multipath route gives one per hop. */
		n_hops = rtnl_route_get_nnexthops(route);
		for (int h = 0; h < (n_hops ? n_hops : 1) && d->ret >= 0; h++) {
			int r2;

			fill_route(route, n_hops ? rtnl_route_nexthop_n(route, h) : NULL,
				   d->links, &r);
			r2 = d->fn(&r, d->arg);
			d->ret = r2 < 0 ? r2 : d->ret + 1;
		}
	}
	rtnl_route_put(route);
	return d->ret < 0 ? NL_STOP : NL_OK;
}

int wr_route_foreach(const char *netns, int family,
		     int (*fn)(const struct wr_route *r, void *arg), void *arg)
{
	struct dump d = { .family = family, .fn = fn, .arg = arg };
	struct rtmsg rtm = { .rtm_family = (unsigned char)family };
	char in[WR_NETNS_NAME_MAX + 8];
	struct nl_sock *sk;
	int err;

	wr_in_ns(netns, in, sizeof(in));
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return wr_err_set(-EAFNOSUPPORT, "routes%s: list: family %d is not IPv4 or IPv6",
				  in, family);
	err = wr_nl_open(netns, &sk);
	if (err)
		return err;
	err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &d.links);
	if (err) {
		err = wr_nl_err(err, "routes%s: list links", in);
		goto end_close;
	}
	/*
	 * A plain dump rather than a route cache: the cache keys routes without
	 * their device and keeps one of each IPv6 fe80::/64.
	 */
	err = nl_send_simple(sk, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	if (err < 0) {
		err = wr_nl_err(err, "routes%s: list", in);
		goto end_links;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, &d);
	err = nl_recvmsgs_default(sk);
	if (err < 0 && d.ret >= 0)
		err = wr_nl_err(err, "routes%s: list", in);
	else
		err = d.ret;
end_links:
	nl_cache_free(d.links);
end_close:
	wr_nl_close(sk);
	return err;
}
