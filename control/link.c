/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link.c - network devices inside named namespaces: create (veth, tap, tun,
 * bridge, vxlan, macvlan, dummy, ipvlan, vlan, geneve), delete, change and
 * list them over rtnetlink (libnl-route-3); TAP/TUN through /dev/net/tun.
 *
 * Every device is created directly in its namespace: the request goes over
 * a socket made inside it, and a veth's far end carries IFLA_NET_NS_FD, so
 * nothing ever shows up in the root namespace on its way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <netlink/route/link.h>
#include <netlink/route/link/geneve.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/vxlan.h>

#include "link_priv.h"
#include "nl_priv.h"
#include "rtnl_priv.h"

/* linux/if.h has it, but clashes with the net/if.h that wr_control.h includes. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#define VXLAN_PORT_IANA 4789	/* the kernel's own default is Linux's old 8472 */
#define GENEVE_PORT_IANA 6081

/* The kernel's word when it has no driver for a kind (rtnl_newlink). */
#define UNKNOWN_KIND_EXTACK "Unknown device type"

/* What a kernel without a kind lacks, for the hint of a failed create. */
static const char *const kind_support[WR_LINK_KIND_COUNT] = {
	[WR_LINK_VETH] = "veth support: CONFIG_VETH",
	[WR_LINK_TAP] = "TUN/TAP support: CONFIG_TUN",
	[WR_LINK_TUN] = "TUN/TAP support: CONFIG_TUN",
	[WR_LINK_BRIDGE] = "bridge support: CONFIG_BRIDGE",
	[WR_LINK_VXLAN] = "VXLAN support: CONFIG_VXLAN",
	[WR_LINK_MACVLAN] = "MACVLAN support: CONFIG_MACVLAN",
	[WR_LINK_DUMMY] = "dummy device support: CONFIG_DUMMY",
	[WR_LINK_IPVLAN] = "IPVLAN support: CONFIG_IPVLAN",
	[WR_LINK_VLAN] = "802.1Q VLAN support: CONFIG_VLAN_8021Q",
	[WR_LINK_GENEVE] = "Geneve support: CONFIG_GENEVE",
};

static const uint32_t macvlan_modes[] = {
	[WR_MACVLAN_PRIVATE] = MACVLAN_MODE_PRIVATE,
	[WR_MACVLAN_VEPA] = MACVLAN_MODE_VEPA,
	[WR_MACVLAN_BRIDGE] = MACVLAN_MODE_BRIDGE,
	[WR_MACVLAN_PASSTHRU] = MACVLAN_MODE_PASSTHRU,
};

static const uint16_t ipvlan_modes[] = {
	[WR_IPVLAN_L3] = IPVLAN_MODE_L3,
	[WR_IPVLAN_L3S] = IPVLAN_MODE_L3S,
	[WR_IPVLAN_L2] = IPVLAN_MODE_L2,
};

static const uint16_t ipvlan_flags[] = {
	[WR_IPVLAN_BRIDGE] = 0,
	[WR_IPVLAN_PRIVATE] = IPVLAN_F_PRIVATE,
	[WR_IPVLAN_VEPA] = IPVLAN_F_VEPA,
};

static const char *ns_name(const char *netns)
{
	return netns && netns[0] ? netns : "the root namespace";
}

/* Put "@fmt: " before the message recorded by a callee; returns @err. */
static int prefix_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int prefix_err(int err, const char *fmt, ...)
{
	char what[160], msg[512];
	va_list ap;

	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return wr_err_set(err, "%s: %s", what, msg);
}

static bool is_multicast(const struct wr_cidr *c)
{
	if (c->family == AF_INET)
		return (c->addr.bytes[0] & 0xf0) == 0xe0;
	return c->addr.bytes[0] == 0xff;
}

/* ------------------------------------------------------------ TAP / TUN */

/*
 * TAP and TUN devices are made by an ioctl on /dev/net/tun, not by netlink.
 * The device lands in the namespace of whoever opened the file, so the
 * thread visits the namespace for the open() only.
 */
static int tun_add(const struct wr_link_spec *spec, const char *who)
{
	const char *kind = wr_link_kind_name(spec->kind);
	struct ifreq ifr;
	int saved, fd, err;

	err = wr_netns_enter(spec->ep.netns, &saved);
	if (err)
		return err;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	wr_netns_leave(saved);
	/* No device node, or a node without a driver behind it. */
	if (fd < 0 && (err == -ENOENT || err == -ENODEV || err == -ENXIO))
		return wr_err_set(err, "link %s: create %s: open /dev/net/tun: %s (kernel lacks "
				  "%s)", who, kind, strerror(-err), kind_support[spec->kind]);
	if (fd < 0)
		return wr_err_set(err, "link %s: create %s: open /dev/net/tun: %s", who, kind,
				  strerror(-err));

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", spec->ep.ifname);
	/*
	 * IFF_TUN_EXCL: without it TUNSETIFF quietly attaches to an existing
	 * device of that name instead of failing.
	 */
	ifr.ifr_flags = (spec->kind == WR_LINK_TAP ? IFF_TAP : IFF_TUN) | IFF_NO_PI | IFF_TUN_EXCL;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		err = -errno;
		if (err == -EBUSY)
			err = wr_err_set(-EEXIST, "link %s: create %s: %s (a device named %s already "
					 "exists in %s)", who, kind, strerror(EEXIST),
					 spec->ep.ifname, ns_name(spec->ep.netns));
		else
			err = wr_err_set(err, "link %s: create %s: TUNSETIFF: %s", who, kind,
					 strerror(-err));
		goto end_close;
	}
	if (spec->owner >= 0 && ioctl(fd, TUNSETOWNER, (unsigned long)spec->owner)) {
		err = wr_err_set(-errno, "link %s: set owner %lld: %s", who,
				 (long long)spec->owner, strerror(errno));
		goto end_close;
	}
	if (spec->group >= 0 && ioctl(fd, TUNSETGROUP, (unsigned long)spec->group)) {
		err = wr_err_set(-errno, "link %s: set group %lld: %s", who,
				 (long long)spec->group, strerror(errno));
		goto end_close;
	}
	/* Last: until the device is persistent, closing fd removes it again. */
	if (ioctl(fd, TUNSETPERSIST, 1UL))
		err = wr_err_set(-errno, "link %s: make persistent: %s", who, strerror(errno));
end_close:
	close(fd);
	return err;
}

/* --------------------------------------------------------------- create */

/* The ifindex of @spec->lower, with a message naming what needed it. */
static int lower_index(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who)
{
	const char *kind = wr_link_kind_name(spec->kind);
	int ifindex;

	if (!spec->lower[0])
		return wr_err_set(-EINVAL, "link %s: create %s: a lower device is needed", who,
				  kind);
	if (wr_valid_ifname(spec->lower))
		return wr_err_set(-EINVAL, "link %s: create %s: lower device '%s': invalid name",
				  who, kind, spec->lower);
	ifindex = wr_rtnl_ifindex(sk, spec->lower);
	if (ifindex == -ENODEV)
		return wr_err_set(-ENODEV, "link %s: create %s: lower device %s: %s (not in %s)",
				  who, kind, spec->lower, strerror(ENODEV),
				  ns_name(spec->ep.netns));
	return ifindex;
}

static int build_veth(const struct wr_link_spec *spec, const char *who,
		      struct rtnl_link **out, int *ns_fd)
{
	struct rtnl_link *link, *peer;

	if (wr_valid_ifname(spec->peer.ifname))
		return wr_err_set(-EINVAL, "link %s: create veth: peer '%s': invalid name", who,
				  spec->peer.ifname);
	link = rtnl_link_veth_alloc();
	if (!link)
		return wr_err_set(-ENOMEM, "link %s: create veth: out of memory", who);
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(peer, spec->peer.ifname);
	if (strcmp(spec->peer.netns, spec->ep.netns)) {
		/* Born in its namespace: the fd stays open until the request is sent. */
		*ns_fd = wr_netns_open(spec->peer.netns);
		if (*ns_fd < 0) {
			int err = *ns_fd;

			rtnl_link_put(peer);
			rtnl_link_put(link);
			return prefix_err(err, "link %s: create veth: peer %s", who,
					  spec->peer.ifname);
		}
		rtnl_link_set_ns_fd(peer, *ns_fd);
	}
	rtnl_link_put(peer);
	*out = link;
	return 0;
}

static int build_vxlan(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who,
		       struct rtnl_link *link)
{
	struct nl_addr *a;
	int ifindex;

	if (spec->vni >= 1u << 24)
		return wr_err_set(-EINVAL, "link %s: create vxlan: VNI %u out of range (0..16777215)",
				  who, spec->vni);
	if (spec->has_local && spec->has_remote && spec->local.family != spec->remote.family)
		return wr_err_set(-EINVAL, "link %s: create vxlan: local and remote are of "
				  "different address families", who);
	rtnl_link_vxlan_set_id(link, spec->vni);
	rtnl_link_vxlan_set_port(link, spec->dstport ? spec->dstport : VXLAN_PORT_IANA);
	if (spec->has_remote) {
		if (is_multicast(&spec->remote) && !spec->lower[0])
			return wr_err_set(-EINVAL, "link %s: create vxlan: multicast group needs a "
					  "lower device (dev LOWER) to join it on", who);
		/* The kernel takes a unicast remote and a multicast group in one attribute. */
		a = wr_rtnl_addr(&spec->remote);
		if (!a)
			return wr_err_set(-ENOMEM, "link %s: create vxlan: out of memory", who);
		rtnl_link_vxlan_set_group(link, a);
		nl_addr_put(a);
	}
	if (spec->has_local) {
		a = wr_rtnl_addr(&spec->local);
		if (!a)
			return wr_err_set(-ENOMEM, "link %s: create vxlan: out of memory", who);
		rtnl_link_vxlan_set_local(link, a);
		nl_addr_put(a);
	}
	if (spec->lower[0]) {
		ifindex = lower_index(sk, spec, who);
		if (ifindex < 0)
			return ifindex;
		rtnl_link_vxlan_set_link(link, (uint32_t)ifindex);
	}
	return 0;
}

static int build_geneve(const struct wr_link_spec *spec, const char *who,
			struct rtnl_link *link)
{
	struct nl_addr *a;

	if (spec->vni >= 1u << 24)
		return wr_err_set(-EINVAL, "link %s: create geneve: VNI %u out of range "
				  "(0..16777215)", who, spec->vni);
	if (!spec->has_remote)
		return wr_err_set(-EINVAL, "link %s: create geneve: a remote address is needed", who);
	if (spec->has_local)
		return wr_err_set(-EINVAL, "link %s: create geneve: geneve has no local address "
				  "(the route to the remote picks it)", who);
	rtnl_link_geneve_set_id(link, spec->vni);
	rtnl_link_geneve_set_port(link, spec->dstport ? spec->dstport : GENEVE_PORT_IANA);
	a = wr_rtnl_addr(&spec->remote);
	if (!a)
		return wr_err_set(-ENOMEM, "link %s: create geneve: out of memory", who);
	rtnl_link_geneve_set_remote(link, a);
	nl_addr_put(a);
	return 0;
}

/* macvlan and vlan: a device stacked on a lower one of the same namespace. */
static int build_stacked(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who,
			 struct rtnl_link *link)
{
	int ifindex;

	if (spec->kind == WR_LINK_MACVLAN) {
		if ((unsigned int)spec->macvlan_mode > WR_MACVLAN_PASSTHRU)
			return wr_err_set(-EINVAL, "link %s: create macvlan: unknown mode %d", who,
					  spec->macvlan_mode);
		rtnl_link_macvlan_set_mode(link, macvlan_modes[spec->macvlan_mode]);
	}
	if (spec->kind == WR_LINK_VLAN) {
		if (spec->vlan_id < 1 || spec->vlan_id > 4094)
			return wr_err_set(-EINVAL, "link %s: create vlan: VLAN id %u out of range "
					  "(1..4094)", who, spec->vlan_id);
		rtnl_link_vlan_set_id(link, spec->vlan_id);
	}
	ifindex = lower_index(sk, spec, who);
	if (ifindex < 0)
		return ifindex;
	rtnl_link_set_link(link, ifindex);
	return 0;
}

/* The request for @spec (all but TAP/TUN), ready for rtnl_link_add(). */
static int build_link(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who,
		      struct rtnl_link **out, int *ns_fd)
{
	const char *kind = wr_link_kind_name(spec->kind);
	struct rtnl_link *link = NULL;
	int err = 0;

	switch (spec->kind) {
	case WR_LINK_VETH:
		err = build_veth(spec, who, &link, ns_fd);
		if (err)
			return err;
		break;
	case WR_LINK_BRIDGE:
	case WR_LINK_DUMMY:
		link = rtnl_link_alloc();
		if (link && rtnl_link_set_type(link, kind) < 0) {
			rtnl_link_put(link);
			link = NULL;
		}
		break;
	case WR_LINK_VXLAN:
		link = rtnl_link_vxlan_alloc();
		break;
	case WR_LINK_MACVLAN:
		link = rtnl_link_macvlan_alloc();
		break;
	case WR_LINK_VLAN:
		link = rtnl_link_vlan_alloc();
		break;
	case WR_LINK_GENEVE:
		link = rtnl_link_geneve_alloc();
		break;
	default:
		return wr_err_set(-EINVAL, "link %s: create: unknown kind %d", who, spec->kind);
	}
	if (!link)
		return wr_err_set(-ENOMEM, "link %s: create %s: out of memory", who, kind);

	if (spec->kind == WR_LINK_VXLAN)
		err = build_vxlan(sk, spec, who, link);
	else if (spec->kind == WR_LINK_GENEVE)
		err = build_geneve(spec, who, link);
	else if (spec->kind == WR_LINK_MACVLAN || spec->kind == WR_LINK_VLAN)
		err = build_stacked(sk, spec, who, link);
	if (err) {
		rtnl_link_put(link);
		return err;
	}
	rtnl_link_set_name(link, spec->ep.ifname);
	*out = link;
	return 0;
}

/* See link_priv.h. */
int wr_link_ipvlan_msg(const struct wr_link_spec *spec, int lower, struct nl_msg **out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *info, *data;
	struct nl_msg *msg;

	if ((unsigned int)spec->ipvlan_mode > WR_IPVLAN_L2 ||
	    (unsigned int)spec->ipvlan_flag > WR_IPVLAN_VEPA)
		return -EINVAL;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		return -ENOMEM;
	/* Both attributes always, as iproute2: what is left out means l3, bridge. */
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, spec->ep.ifname) < 0 ||
	    nla_put_u32(msg, IFLA_LINK, (uint32_t)lower) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "ipvlan") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u16(msg, IFLA_IPVLAN_MODE, ipvlan_modes[spec->ipvlan_mode]) < 0 ||
	    nla_put_u16(msg, IFLA_IPVLAN_FLAGS, ipvlan_flags[spec->ipvlan_flag]) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	*out = msg;
	return 0;
}

/*
 * The message of a refused create. The kernel says EOPNOTSUPP "Unknown
 * device type" when it has no driver for the kind: name what it lacks.
 */
static int add_failed(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who,
		      int nlerr)
{
	const char *kind = wr_link_kind_name(spec->kind);
	char extack[256];
	int err;

	snprintf(extack, sizeof(extack), "%s", wr_nl_extack());
	err = wr_nl_err(nlerr, "link %s: create %s", who, kind);
	if (err == -EOPNOTSUPP && (!extack[0] || strstr(extack, UNKNOWN_KIND_EXTACK)))
		return wr_err_set(err, "link %s: create %s: %s (kernel lacks %s)", who, kind,
				  strerror(EOPNOTSUPP), kind_support[spec->kind]);
	if (err == -EINVAL && !extack[0] && spec->kind == WR_LINK_MACVLAN &&
	    spec->macvlan_mode == WR_MACVLAN_PASSTHRU)
		return wr_err_set(err, "link %s: create macvlan: %s (passthru needs a lower "
				  "device without other macvlans: it takes the device over)",
				  who, strerror(EINVAL));
	if (err != -EEXIST)
		return err;
	/* A veth fails alike when its peer's name is the one taken. */
	if (spec->kind == WR_LINK_VETH && wr_rtnl_ifindex(sk, spec->ep.ifname) == -ENODEV)
		return wr_err_set(err, "link %s: create veth: %s (a device named %s, the peer's "
				  "name, already exists in %s)", who, strerror(EEXIST),
				  spec->peer.ifname, ns_name(spec->peer.netns));
	return wr_err_set(err, "link %s: create %s: %s (a device named %s already exists in %s)",
			  who, kind, strerror(EEXIST), spec->ep.ifname, ns_name(spec->ep.netns));
}

/*
 * libnl 3.7 knows the ipvlan mode but not its flags (IFLA_IPVLAN_FLAGS):
 * the request is built whole here and sent as rtnl_link_add() sends its own.
 */
static int ipvlan_add(struct nl_sock *sk, const struct wr_link_spec *spec, const char *who)
{
	struct nl_msg *msg;
	int lower, err;

	lower = lower_index(sk, spec, who);
	if (lower < 0)
		return lower;
	err = wr_link_ipvlan_msg(spec, lower, &msg);
	if (err == -EINVAL)
		return wr_err_set(err, "link %s: create ipvlan: unknown mode %d or flag %d", who,
				  spec->ipvlan_mode, spec->ipvlan_flag);
	if (err)
		return wr_err_set(err, "link %s: create ipvlan: out of memory", who);
	err = nl_send_sync(sk, msg);	/* frees msg */
	return err ? add_failed(sk, spec, who, err) : 0;
}

int wr_link_add(const struct wr_link_spec *spec)
{
	struct rtnl_link *link = NULL;
	char who[WR_EP_STR_MAX];
	struct nl_sock *sk;
	int ns_fd = -1, err;

	wr_ep_str(&spec->ep, who, sizeof(who));
	if ((unsigned int)spec->kind >= WR_LINK_KIND_COUNT)
		return wr_err_set(-EINVAL, "link %s: create: unknown kind %d", who, spec->kind);
	if (wr_valid_ifname(spec->ep.ifname))
		return wr_err_set(-EINVAL, "link %s: create: invalid interface name", who);
	if (spec->kind == WR_LINK_TAP || spec->kind == WR_LINK_TUN)
		return tun_add(spec, who);

	err = wr_nl_open(spec->ep.netns, &sk);
	if (err)
		return err;
	if (spec->kind == WR_LINK_IPVLAN) {
		err = ipvlan_add(sk, spec, who);
		goto end_close;
	}
	err = build_link(sk, spec, who, &link, &ns_fd);
	if (err)
		goto end_close;
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	if (err)
		err = add_failed(sk, spec, who, err);
	rtnl_link_put(link);
	if (ns_fd >= 0)
		close(ns_fd);
end_close:
	wr_nl_close(sk);
	return err;
}

/* --------------------------------------------------------------- delete */

int wr_link_del(const struct wr_ep *ep)
{
	char who[WR_EP_STR_MAX];
	struct rtnl_link *link;
	struct nl_sock *sk;
	int err;

	wr_ep_str(ep, who, sizeof(who));
	if (wr_valid_ifname(ep->ifname))
		return wr_err_set(-EINVAL, "link %s: delete: invalid interface name", who);
	err = wr_nl_open(ep->netns, &sk);
	if (err)
		return err;
	link = rtnl_link_alloc();
	if (!link) {
		err = wr_err_set(-ENOMEM, "link %s: delete: out of memory", who);
		goto end_close;
	}
	rtnl_link_set_name(link, ep->ifname);
	err = rtnl_link_delete(sk, link);
	if (err)
		err = wr_nl_err(err, "link %s: delete", who);
	rtnl_link_put(link);
end_close:
	wr_nl_close(sk);
	return err;
}

/* --------------------------------------------------------------- change */

/* @ep as the kernel has it now; -ENODEV with a message when absent. */
static int get_kernel(struct nl_sock *sk, const struct wr_ep *ep, const char *who,
		      const char *action, struct rtnl_link **out)
{
	int err;

	err = rtnl_link_get_kernel(sk, 0, ep->ifname, out);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
		return wr_err_set(-ENODEV, "link %s: %s%s%s", who, action, action[0] ? ": " : "",
				  strerror(ENODEV));
	if (err)
		return wr_nl_err(err, "link %s: %s%slook up", who, action, action[0] ? ": " : "");
	return 0;
}

/*
 * Send @changes (a part of @chg, or NULL for a plain down), with a hint for
 * the refusals the kernel does not explain.
 */
static int change(struct nl_sock *sk, struct rtnl_link *orig, struct rtnl_link *changes,
		  const char *who, const struct wr_link_change *chg)
{
	const char *hint = NULL;
	bool said;
	int err;

	err = rtnl_link_change(sk, orig, changes, 0);
	if (!err)
		return 0;
	said = wr_nl_extack()[0];
	err = wr_nl_err(err, "link %s: set", who);
	if (said || !chg)
		return err;
	if (err == -EBUSY && chg->new_name)
		hint = "a device is renamed only while down";
	else if (err == -EOPNOTSUPP && chg->master && chg->master[0])
		hint = "the master must be a bridge, bond or other device that takes ports";
	if (hint)
		wr_err_set(err, "link %s: set: %s (%s)", who, strerror(-err), hint);
	return err;
}

/* Everything in @chg but the move to another namespace, into @changes. */
static int fill_change(struct nl_sock *sk, const struct wr_ep *ep, const char *who,
		       const struct wr_link_change *chg, struct rtnl_link *changes)
{
	int ifindex;

	if (chg->mtu)
		rtnl_link_set_mtu(changes, chg->mtu);
	if (chg->has_mac) {
		struct nl_addr *a = nl_addr_build(AF_LLC, chg->mac, 6);

		if (!a)
			return wr_err_set(-ENOMEM, "link %s: set: out of memory", who);
		rtnl_link_set_addr(changes, a);
		nl_addr_put(a);
	}
	if (chg->master && !chg->master[0]) {
		rtnl_link_set_master(changes, 0);
	} else if (chg->master) {
		if (wr_valid_ifname(chg->master))
			return wr_err_set(-EINVAL, "link %s: set master: '%s': invalid name", who,
					  chg->master);
		ifindex = wr_rtnl_ifindex(sk, chg->master);
		if (ifindex == -ENODEV)
			return wr_err_set(-ENODEV, "link %s: set master %s: %s (not in %s)", who,
					  chg->master, strerror(ENODEV), ns_name(ep->netns));
		if (ifindex < 0)
			return ifindex;
		rtnl_link_set_master(changes, ifindex);
	}
	if (chg->new_name) {
		if (wr_valid_ifname(chg->new_name))
			return wr_err_set(-EINVAL, "link %s: rename to '%s': invalid name", who,
					  chg->new_name);
		rtnl_link_set_name(changes, chg->new_name);
	}
	if (chg->up == 1)
		rtnl_link_set_flags(changes, IFF_UP);
	else if (chg->up == 0)
		rtnl_link_unset_flags(changes, IFF_UP);
	return 0;
}

int wr_link_set(const struct wr_ep *ep, const struct wr_link_change *chg)
{
	struct rtnl_link *orig = NULL, *changes = NULL, *down = NULL;
	char who[WR_EP_STR_MAX];
	struct nl_sock *sk;
	int ns_fd = -1, err;

	wr_ep_str(ep, who, sizeof(who));
	if (wr_valid_ifname(ep->ifname))
		return wr_err_set(-EINVAL, "link %s: set: invalid interface name", who);
	/*
	 * A port leaves its bridge when it changes namespace, and the master
	 * would be looked up in the wrong one: two steps, two commands.
	 */
	if (chg->master && chg->master[0] && chg->netns)
		return wr_err_set(-EINVAL, "link %s: set: cannot join a master and move to "
				  "another namespace at once", who);
	err = wr_nl_open(ep->netns, &sk);
	if (err)
		return err;
	err = get_kernel(sk, ep, who, "set", &orig);
	if (err)
		goto end_close;
	changes = rtnl_link_alloc();
	if (!changes) {
		err = wr_err_set(-ENOMEM, "link %s: set: out of memory", who);
		goto end_orig;
	}
	err = fill_change(sk, ep, who, chg, changes);
	if (err)
		goto end_changes;
	if (chg->netns) {
		/*
		 * One request moves and renames: the kernel gives the device its
		 * new name as it enters the namespace, so a name taken in the old
		 * one is no obstacle. Up/down then apply in the new namespace.
		 */
		ns_fd = wr_netns_open(chg->netns);
		if (ns_fd < 0) {
			err = prefix_err(ns_fd, "link %s: move", who);
			goto end_changes;
		}
		rtnl_link_set_ns_fd(changes, ns_fd);
	}
	/* The kernel renames before it applies flags: take a running device down first. */
	if (chg->new_name && chg->up == 0 && (rtnl_link_get_flags(orig) & IFF_UP)) {
		down = rtnl_link_alloc();
		if (!down) {
			err = wr_err_set(-ENOMEM, "link %s: set: out of memory", who);
			goto end_fd;
		}
		rtnl_link_unset_flags(down, IFF_UP);
		err = change(sk, orig, down, who, NULL);
		rtnl_link_put(down);
		if (err)
			goto end_fd;
	}
	err = change(sk, orig, changes, who, chg);
end_fd:
	if (ns_fd >= 0)
		close(ns_fd);
end_changes:
	rtnl_link_put(changes);
end_orig:
	rtnl_link_put(orig);
end_close:
	wr_nl_close(sk);
	return err;
}

/* ------------------------------------------------------------------ get */

/* iproute2's words for IF_OPER_* (RFC 2863), as `ip link` prints them. */
static const char *const operstates[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

/* Fill @out from @link; @cache (may be NULL) or @sk name the master. */
static void fill_info(struct rtnl_link *link, struct nl_cache *cache, struct nl_sock *sk,
		      struct wr_link_info *out)
{
	struct nl_addr *addr = rtnl_link_get_addr(link);
	const char *kind = rtnl_link_get_type(link);
	unsigned int flags = rtnl_link_get_flags(link);
	uint8_t oper = rtnl_link_get_operstate(link);
	int master = rtnl_link_get_master(link);

	memset(out, 0, sizeof(*out));
	snprintf(out->ifname, sizeof(out->ifname), "%s", rtnl_link_get_name(link));
	out->ifindex = rtnl_link_get_ifindex(link);
	snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
	out->mtu = rtnl_link_get_mtu(link);
	if (addr && nl_addr_get_len(addr) == 6)
		memcpy(out->mac, nl_addr_get_binary_addr(addr), 6);
	out->up = flags & IFF_UP;
	out->lower_up = flags & IFF_LOWER_UP;
	if (oper < sizeof(operstates) / sizeof(operstates[0]))
		snprintf(out->operstate, sizeof(out->operstate), "%s", operstates[oper]);
	else
		snprintf(out->operstate, sizeof(out->operstate), "%u", oper);
	if (master > 0 && cache) {
		rtnl_link_i2name(cache, master, out->master, sizeof(out->master));
	} else if (master > 0 && sk) {
		struct rtnl_link *m = NULL;

		if (!rtnl_link_get_kernel(sk, master, NULL, &m)) {
			snprintf(out->master, sizeof(out->master), "%s", rtnl_link_get_name(m));
			rtnl_link_put(m);
		}
	}
}

int wr_link_get(const struct wr_ep *ep, struct wr_link_info *out)
{
	struct rtnl_link *link = NULL;
	char who[WR_EP_STR_MAX];
	struct nl_sock *sk;
	int err;

	wr_ep_str(ep, who, sizeof(who));
	if (wr_valid_ifname(ep->ifname))
		return wr_err_set(-EINVAL, "link %s: invalid interface name", who);
	err = wr_nl_open(ep->netns, &sk);
	if (err)
		return err;
	err = get_kernel(sk, ep, who, "", &link);
	if (!err) {
		fill_info(link, NULL, sk, out);
		rtnl_link_put(link);
	}
	wr_nl_close(sk);
	return err;
}

static int cmp_ifindex(const void *a, const void *b)
{
	const struct wr_link_info *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

int wr_link_foreach(const char *netns,
		    int (*fn)(const struct wr_link_info *li, void *arg), void *arg)
{
	struct wr_link_info *infos = NULL;
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	struct nl_sock *sk;
	size_t n = 0;
	char in[WR_NETNS_NAME_MAX + 8];
	int ret;

	ret = wr_nl_open(netns, &sk);
	if (ret)
		return ret;
	ret = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (ret) {
		ret = wr_nl_err(ret, "links%s: list", wr_in_ns(netns, in, sizeof(in)));
		goto end_close;
	}
	infos = calloc((size_t)nl_cache_nitems(cache) + 1, sizeof(*infos));
	if (!infos) {
		ret = wr_err_set(-ENOMEM, "links%s: list: out of memory",
				 wr_in_ns(netns, in, sizeof(in)));
		goto end_cache;
	}
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj))
		fill_info((struct rtnl_link *)obj, cache, NULL, &infos[n++]);
	/* Dumps come in ifindex order on today's kernels; older ones hashed. */
	qsort(infos, n, sizeof(*infos), cmp_ifindex);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = fn(&infos[i], arg);

		ret = r < 0 ? r : ret + 1;
	}
	free(infos);
end_cache:
	nl_cache_free(cache);
end_close:
	wr_nl_close(sk);
	return ret;
}
