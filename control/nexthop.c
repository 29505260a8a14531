/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nexthop.c - the way from a namespace to an address, as `ip route get`
 * and `ip neigh` would tell it: the route's device and gateway, and the
 * gateway's (or the address's own) link-layer address. warrend asks it
 * for each remote VTEP of a tunnel, from the underlay's namespace; a
 * neighbour not known yet is put to the kernel to resolve (NTF_USE, as
 * traffic would), and asked again later.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include <netlink/msg.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "nl_priv.h"
#include "rtnl_priv.h"

/* What one RTM_GETROUTE answered. */
struct route_reply {
	struct rtnl_route *route;
};

static int on_route(struct nl_msg *msg, void *arg)
{
	struct route_reply *rr = arg;
	struct nl_object *obj = NULL;

	if (!rr->route && !rtnl_route_parse(nlmsg_hdr(msg), (struct rtnl_route **)&obj))
		rr->route = (struct rtnl_route *)obj;
	return NL_OK;
}

/* The kernel's route to @dst (`ip route get`): into *@out, or -errno. */
static int route_get(struct nl_sock *sk, int family, const uint8_t *dst, struct rtnl_route **out)
{
	struct rtmsg rtm = { .rtm_family = (unsigned char)family };
	struct route_reply rr = { 0 };
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST);
	if (!msg)
		return -ENOMEM;
	rtm.rtm_dst_len = family == AF_INET ? 32 : 128;
	if (nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) ||
	    nla_put(msg, RTA_DST, family == AF_INET ? 4 : 16, dst)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, &rr);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	/* The answer, then the ACK libnl asked for: left unread, it would end the next dump. */
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	if (err < 0) {
		if (rr.route)
			rtnl_route_put(rr.route);
		return err;
	}
	if (!rr.route)
		return -NLE_OBJ_NOTFOUND;
	*out = rr.route;
	return 0;
}

/*
 * Ask the kernel to resolve @via on @ifindex, as a frame sent there would.
 * The kernel applies the request's state (none) before it resolves: only
 * for a neighbour that is missing or failed, never one with an address,
 * which it would forget.
 */
static void neigh_use(struct nl_sock *sk, int ifindex, struct nl_addr *via)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();

	if (!n)
		return;
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_dst(n, via);
	rtnl_neigh_set_flags(n, NTF_USE);
	rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_neigh_put(n);
}

/* States whose link-layer address frames may be sent to. */
#define NUD_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)

/* The neighbour @via on @ifindex: its MAC into @out when usable; its state's name. */
static int neigh_get(struct nl_sock *sk, int ifindex, struct nl_addr *via, struct wr_nexthop *out)
{
	struct nl_cache *cache = NULL;
	struct rtnl_neigh *n;
	int err, state;

	err = rtnl_neigh_alloc_cache(sk, &cache);
	if (err < 0)
		return err;
	n = rtnl_neigh_get(cache, ifindex, via);
	state = n ? rtnl_neigh_get_state(n) : 0;
	if (n && (state & NUD_USABLE) && rtnl_neigh_get_lladdr(n) &&
	    nl_addr_get_len(rtnl_neigh_get_lladdr(n)) == 6) {
		memcpy(out->mac, nl_addr_get_binary_addr(rtnl_neigh_get_lladdr(n)), 6);
		out->resolved = true;
	}
	if (n)
		rtnl_neigh_state2str(state, out->state, sizeof(out->state));
	else
		snprintf(out->state, sizeof(out->state), "none");
	if (n)
		rtnl_neigh_put(n);
	nl_cache_free(cache);
	return 0;
}

int wr_nexthop_get(const char *netns, bool ipv6, const uint8_t dst[16], struct wr_nexthop *out)
{
	char in[WR_NETNS_NAME_MAX + 8], addr[INET6_ADDRSTRLEN];
	int family = ipv6 ? AF_INET6 : AF_INET, err, type;
	struct rtnl_route *route = NULL;
	struct rtnl_nexthop *nh;
	struct nl_addr *gw, *via = NULL;
	struct nl_sock *sk;

	memset(out, 0, sizeof(*out));
	inet_ntop(family, dst, addr, sizeof(addr));
	wr_in_ns(netns, in, sizeof(in));
	err = wr_nl_open(netns, &sk);
	if (err)
		return err;
	err = route_get(sk, family, dst, &route);
	if (err) {
		err = err == -NLE_OBJ_NOTFOUND ? wr_err_set(-ENETUNREACH, "no route to %s%s", addr, in)
					       : wr_nl_err(err, "no route to %s%s", addr, in);
		goto end_sock;
	}
	type = rtnl_route_get_type(route);
	nh = rtnl_route_nexthop_n(route, 0);
	if (type == RTN_LOCAL) {
		err = wr_err_set(-EINVAL, "%s is an address of this host%s", addr, in);
		goto end_route;
	}
	if (type != RTN_UNICAST || !nh) {
		err = wr_err_set(-ENETUNREACH, "no route to %s%s (the route is %s)", addr, in,
				 type == RTN_UNREACHABLE ? "unreachable" :
				 type == RTN_BLACKHOLE ? "a blackhole" :
				 type == RTN_PROHIBIT ? "prohibited" : "not unicast");
		goto end_route;
	}
	out->ifindex = rtnl_route_nh_get_ifindex(nh);
	gw = rtnl_route_nh_get_gateway(nh);
	out->has_gateway = gw && nl_addr_get_len(gw) == (ipv6 ? 16 : 4);
	if (out->has_gateway) {
		memcpy(out->via, nl_addr_get_binary_addr(gw), nl_addr_get_len(gw));
		via = nl_addr_clone(gw);
	} else {
		memcpy(out->via, dst, ipv6 ? 16 : 4);
		via = nl_addr_build(family, dst, ipv6 ? 16 : 4);
	}
	if (!via) {
		err = wr_err_set(-ENOMEM, "route to %s: out of memory", addr);
		goto end_route;
	}
	err = neigh_get(sk, out->ifindex, via, out);
	if (err < 0) {
		err = wr_nl_err(err, "neighbours%s", in);
		goto end_via;
	}
	/* An incomplete one is being resolved already: asking again would restart it. */
	if (!out->resolved && (!strcmp(out->state, "none") || !strcmp(out->state, "failed")))
		neigh_use(sk, out->ifindex, via);
	err = 0;
end_via:
	nl_addr_put(via);
end_route:
	rtnl_route_put(route);
end_sock:
	wr_nl_close(sk);
	return err;
}

int wr_route_watch_open(const char *netns)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_NEIGH | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_LINK,
	};
	char in[WR_NETNS_NAME_MAX + 8];
	int fd, saved = -1, err;

	err = wr_netns_enter(netns, &saved);
	if (err)
		return err;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	err = fd < 0 ? -errno : 0;
	wr_netns_leave(saved);
	if (err)
		return wr_err_set(err, "netlink watch%s: %s", wr_in_ns(netns, in, sizeof(in)),
				  strerror(-err));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return wr_err_set(err, "netlink watch%s: bind: %s", wr_in_ns(netns, in, sizeof(in)),
				  strerror(-err));
	}
	return fd;
}

int wr_route_watch_drain(int fd)
{
	char buf[8192];
	int n = 0;

	/* What changed is looked up again whole: the messages themselves are not read. */
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}
