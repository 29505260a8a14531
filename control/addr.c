/* SPDX-License-Identifier: BSD-3-Clause */
/* addr.c - IPv4 and IPv6 addresses of devices inside named namespaces. */
#include <errno.h>
#include <linux/if_addr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/rtnl.h>

#include "nl_priv.h"
#include "rtnl_priv.h"

/* "addr 192.0.2.1/24 on h1:eth0" for messages. */
static const char *addr_str(const struct wr_ep *ep, const struct wr_cidr *addr,
			    char *buf, size_t size)
{
	char cidr[INET6_ADDRSTRLEN + 4], who[WR_EP_STR_MAX];

	wr_format_cidr(addr, cidr, sizeof(cidr));
	snprintf(buf, size, "addr %s on %s", cidr, wr_ep_str(ep, who, sizeof(who)));
	return buf;
}

/* The address @addr on @ep, ready for rtnl_addr_add/delete; *@sk is opened. */
static int build(const struct wr_ep *ep, const struct wr_cidr *addr, const char *what,
		 const char *action, struct nl_sock **sk, struct rtnl_addr **out)
{
	struct nl_addr *local;
	struct rtnl_addr *a;
	int ifindex, err;

	if (wr_valid_ifname(ep->ifname))
		return wr_err_set(-EINVAL, "%s: %s: invalid interface name", what, action);
	if (addr->family != AF_INET && addr->family != AF_INET6)
		return wr_err_set(-EAFNOSUPPORT, "%s: %s: not an IPv4 or IPv6 address", what,
				  action);
	err = wr_nl_open(ep->netns, sk);
	if (err)
		return err;
	ifindex = wr_rtnl_ifindex(*sk, ep->ifname);
	if (ifindex < 0) {
		err = ifindex == -ENODEV ?
		      wr_err_set(-ENODEV, "%s: %s: %s", what, action, strerror(ENODEV)) : ifindex;
		goto end_close;
	}
	a = rtnl_addr_alloc();
	local = wr_rtnl_addr(addr);
	if (!a || !local) {
		err = wr_err_set(-ENOMEM, "%s: %s: out of memory", what, action);
		goto end_free;
	}
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, addr->family);
	err = rtnl_addr_set_local(a, local);
	if (err) {
		err = wr_nl_err(err, "%s: %s", what, action);
		goto end_free;
	}
	rtnl_addr_set_prefixlen(a, addr->prefixlen);
	nl_addr_put(local);
	*out = a;
	return 0;

end_free:
	nl_addr_put(local);
	if (a)
		rtnl_addr_put(a);
end_close:
	wr_nl_close(*sk);
	return err;
}

int wr_addr_add(const struct wr_ep *ep, const struct wr_cidr *addr)
{
	char what[160];
	struct rtnl_addr *a;
	struct nl_sock *sk;
	int err;

	addr_str(ep, addr, what, sizeof(what));
	err = build(ep, addr, what, "add", &sk, &a);
	if (err)
		return err;
	/*
	 * No duplicate address detection: a lab's addresses are meant to be
	 * usable at once, not "tentative" for the second or so DAD takes, during
	 * which the kernel will not send from them.
	 */
	if (addr->family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	err = rtnl_addr_add(sk, a, NLM_F_EXCL);
	if (err) {
		err = wr_nl_err(err, "%s: add", what);
		if (err == -EEXIST)
			wr_err_set(err, "%s: add: %s (the device has it already)", what,
				   strerror(EEXIST));
	}
	rtnl_addr_put(a);
	wr_nl_close(sk);
	return err;
}

int wr_addr_del(const struct wr_ep *ep, const struct wr_cidr *addr)
{
	char what[160];
	struct rtnl_addr *a;
	struct nl_sock *sk;
	int err;

	addr_str(ep, addr, what, sizeof(what));
	err = build(ep, addr, what, "delete", &sk, &a);
	if (err)
		return err;
	err = rtnl_addr_delete(sk, a, 0);
	if (err) {
		err = wr_nl_err(err, "%s: delete", what);
		if (err == -EADDRNOTAVAIL)
			wr_err_set(err, "%s: delete: %s (the device has no such address)", what,
				   strerror(EADDRNOTAVAIL));
	}
	rtnl_addr_put(a);
	wr_nl_close(sk);
	return err;
}

/* One address with what sorts it: interface, then the kernel's order. */
struct addr_item {
	int ifindex;
	size_t seq;
	struct wr_addr_info info;
};

static int cmp_item(const void *a, const void *b)
{
	const struct addr_item *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* libnl calls scope 0 "global" or "universe" depending on rt_scopes; say global. */
static void scope_name(int scope, char *buf, size_t size)
{
	if (scope == RT_SCOPE_UNIVERSE)
		snprintf(buf, size, "global");
	else
		rtnl_scope2str(scope, buf, size);
}

struct held {
	int family;
	const uint8_t *ip;
	bool found;
};

static int held_cb(const struct wr_addr_info *ai, void *arg)
{
	struct held *h = arg;

	if (ai->addr.family == h->family &&
	    !memcmp(ai->addr.addr.bytes, h->ip, h->family == AF_INET ? 4 : 16))
		h->found = true;
	return 0;
}

int wr_addr_held(const char *netns, const char *ifname, int family, const uint8_t *ip)
{
	struct held h = { family, ip, false };
	int ret = wr_addr_foreach(netns, ifname, held_cb, &h);

	return ret < 0 ? ret : h.found;
}

int wr_addr_foreach(const char *netns, const char *ifname,
		    int (*fn)(const struct wr_addr_info *ai, void *arg), void *arg)
{
	struct nl_cache *links = NULL, *addrs = NULL;
	struct addr_item *items = NULL;
	char in[WR_NETNS_NAME_MAX + 8];
	struct nl_object *obj;
	struct nl_sock *sk;
	int only = 0, ret;
	size_t n = 0;

	wr_in_ns(netns, in, sizeof(in));
	if (ifname && wr_valid_ifname(ifname))
		return wr_err_set(-EINVAL, "addresses of %s%s: invalid interface name", ifname, in);
	ret = wr_nl_open(netns, &sk);
	if (ret)
		return ret;
	ret = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (ret) {
		ret = wr_nl_err(ret, "addresses%s: list links", in);
		goto end_close;
	}
	if (ifname) {
		only = rtnl_link_name2i(links, ifname);
		if (!only) {
			ret = wr_err_set(-ENODEV, "addresses of %s%s: %s", ifname, in,
					 strerror(ENODEV));
			goto end_links;
		}
	}
	ret = rtnl_addr_alloc_cache(sk, &addrs);
	if (ret) {
		ret = wr_nl_err(ret, "addresses%s: list", in);
		goto end_links;
	}
	items = calloc((size_t)nl_cache_nitems(addrs) + 1, sizeof(*items));
	if (!items) {
		ret = wr_err_set(-ENOMEM, "addresses%s: list: out of memory", in);
		goto end_addrs;
	}
	for (obj = nl_cache_get_first(addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *a = (struct rtnl_addr *)obj;
		struct addr_item *it = &items[n];

		if (only && rtnl_addr_get_ifindex(a) != only)
			continue;
		if (wr_rtnl_cidr(rtnl_addr_get_local(a), rtnl_addr_get_family(a), &it->info.addr))
			continue;
		it->info.addr.prefixlen = (uint8_t)rtnl_addr_get_prefixlen(a);
		it->ifindex = rtnl_addr_get_ifindex(a);
		it->seq = n;
		if (!rtnl_link_i2name(links, it->ifindex, it->info.ifname, sizeof(it->info.ifname)))
			snprintf(it->info.ifname, sizeof(it->info.ifname), "if%d", it->ifindex);
		scope_name(rtnl_addr_get_scope(a), it->info.scope, sizeof(it->info.scope));
		n++;
	}
	qsort(items, n, sizeof(*items), cmp_item);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = fn(&items[i].info, arg);

		ret = r < 0 ? r : ret + 1;
	}
	free(items);
end_addrs:
	nl_cache_free(addrs);
end_links:
	nl_cache_free(links);
end_close:
	wr_nl_close(sk);
	return ret;
}
