/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rtnl_priv.h - what link.c, addr.c and route.c share (control/ only):
 * names of endpoints for messages, interface lookups by name, and
 * conversions between struct wr_cidr and libnl addresses.
 */
#ifndef WR_RTNL_PRIV_H
#define WR_RTNL_PRIV_H

#include <stddef.h>

#include <netlink/addr.h>
#include <netlink/netlink.h>

#include "wr_control.h"

/** " in NETNS" for messages, "" for the root namespace. */
const char *wr_in_ns(const char *netns, char *buf, size_t size);

/**
 * The ifindex of @ifname in the namespace of @sk. -ENODEV when there is
 * no such device, with no message: the caller knows what it was looking
 * for. Other failures record a message naming @ifname.
 */
int wr_rtnl_ifindex(struct nl_sock *sk, const char *ifname);

/** A new libnl address for @c (with its prefix length), or NULL (ENOMEM). */
struct nl_addr *wr_rtnl_addr(const struct wr_cidr *c);

/**
 * Fill @out from @a; an address of length 0 (a default route's missing
 * RTA_DST) becomes the zero address of @family. -EAFNOSUPPORT for anything
 * but IPv4 and IPv6.
 */
int wr_rtnl_cidr(const struct nl_addr *a, int family, struct wr_cidr *out);

#endif /* WR_RTNL_PRIV_H */
