/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ethtool.c - what a device needs before warrend may serve it with AF_XDP.
 * For a veth that is its far end: TX checksum offload off (a frame sent
 * with a partial checksum is only finished by a driver, and AF_XDP and XDP
 * hand it on unfinished: the receiver drops it) and GRO on (an XDP transmit
 * into a veth is delivered by the peer's NAPI, which exists only while GRO
 * or an XDP program is on; without it the frame is dropped). A port whose
 * fast path is TC keeps the peer's checksum offload as it is: tcx ingress
 * sees whole skbs, their checksum state and 64 KB GSO frames intact.
 *
 * A dpdk port on a net_af_xdp device is such a socket too. warrend prepares
 * its ports' devices itself, and puts back what it changed when a port goes.
 *
 * The peer may live in another namespace: IFLA_LINK gives its ifindex there,
 * IFLA_LINK_NETNSID the id the device's namespace gave that namespace, and
 * RTM_GETNSID on each named namespace finds which one it is.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "nl_priv.h"
#include "rtnl_priv.h"

/* ------------------------------------------------------------ namespaces */

struct nsid_query {
	int32_t nsid;		/* the answer, NETNSA_NSID_NOT_ASSIGNED when none */
	bool answered;
};

static int nsid_reply(struct nl_msg *msg, void *arg)
{
	struct nsid_query *q = arg;
	struct nlattr *tb[NETNSA_MAX + 1];

	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtgenmsg), tb, NETNSA_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[NETNSA_NSID]) {
		q->nsid = (int32_t)nla_get_u32(tb[NETNSA_NSID]);
		q->answered = true;
	}
	return NL_OK;
}

/* The id that the namespace of @sk gives the namespace open as @ns_fd (may be NOT_ASSIGNED). */
static int get_nsid(struct nl_sock *sk, int ns_fd, int32_t *out)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nsid_query q = { .nsid = NETNSA_NSID_NOT_ASSIGNED };
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(RTM_GETNSID, NLM_F_REQUEST);
	if (!msg)
		return wr_err_set(-ENOMEM, "netlink: out of memory");
	err = nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO);
	if (!err)
		err = nla_put_u32(msg, NETNSA_FD, (uint32_t)ns_fd);
	if (err < 0) {
		nlmsg_free(msg);
		return wr_nl_err(err, "netns: get id");
	}
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return wr_nl_err(err, "netns: get id");
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, nsid_reply, &q);
	err = nl_recvmsgs_default(sk);
	if (err < 0)
		return wr_nl_err(err, "netns: get id");
	*out = q.answered ? q.nsid : NETNSA_NSID_NOT_ASSIGNED;
	return 0;
}

struct peer_search {
	struct nl_sock *sk;	/* in the device's namespace */
	int32_t nsid;		/* what it calls the peer's namespace */
	bool found;
	char netns[WR_NETNS_NAME_MAX + 1];
};

static int try_ns(const char *name, void *arg)
{
	struct peer_search *ps = arg;
	int32_t id = NETNSA_NSID_NOT_ASSIGNED;
	int fd, err;

	if (ps->found)
		return 0;
	fd = wr_netns_open(name);
	if (fd < 0)
		return 0;	/* a stale file under /run/netns: not the one */
	err = get_nsid(ps->sk, fd, &id);
	close(fd);
	if (!err && id == ps->nsid) {
		ps->found = true;
		snprintf(ps->netns, sizeof(ps->netns), "%s", name ? name : "");
	}
	return 0;
}

/*
 * The name of the namespace that @dev_ns (the device's) calls @nsid ("" =
 * root), if it has one. The queries go over a socket of their own, without
 * the ACK libnl asks for by default: one answer per request, so that no
 * answer is ever read as the next one's.
 */
static bool find_peer_ns(const char *dev_ns, int32_t nsid, char *netns, size_t size)
{
	struct peer_search ps = { .nsid = nsid };

	if (wr_nl_open(dev_ns, &ps.sk))
		return false;
	nl_socket_disable_auto_ack(ps.sk);
	try_ns(NULL, &ps);
	if (!ps.found)
		wr_netns_foreach(try_ns, &ps);
	if (ps.found)
		snprintf(netns, size, "%s", ps.netns);
	wr_nl_close(ps.sk);
	return ps.found;
}

/* -------------------------------------------------------------- ethtool */

/* One ethtool get or set of @ifname: @ev holds the command and, for a set, the value. */
static int ethtool_value(int fd, const char *ifname, struct ethtool_value *ev)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)ev;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* Read (@get) then, if it differs from @want, set (@set) one ethtool flag. */
static int ethtool_flag(int fd, const char *ifname, uint32_t get, uint32_t set, bool want,
			bool *changed)
{
	struct ethtool_value ev = { .cmd = get };
	int err;

	err = ethtool_value(fd, ifname, &ev);
	if (err)
		return err;
	*changed = !ev.data != !want;
	if (!*changed)
		return 0;
	ev.cmd = set;
	ev.data = want;
	return ethtool_value(fd, ifname, &ev);
}

/*
 * Run @fn on a socket made in @r's peer's namespace (an ioctl acts in the
 * namespace its socket was made in).
 */
/* A socket made in namespace @netns (an ioctl acts in its socket's namespace); or -errno. */
static int ns_socket(const char *netns)
{
	int saved, fd, err;

	err = wr_netns_enter(netns, &saved);
	if (err)
		return err;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = fd < 0 ? -errno : 0;
	wr_netns_leave(saved);
	return err ? err : fd;
}

static int with_peer_socket(struct wr_endpoint_report *r, const char *who,
			    int (*fn)(int fd, struct wr_endpoint_report *r, const char *who))
{
	char peer[WR_EP_STR_MAX];
	int fd = ns_socket(r->peer.netns), err;

	if (fd < 0)
		return wr_err_set(fd, "port device %s: peer %s: socket: %s", who,
				  wr_ep_str(&r->peer, peer, sizeof(peer)), strerror(-fd));
	err = fn(fd, r, who);
	close(fd);
	return err;
}

/* TX checksum offload off (unless r->tx_csum_kept: then only read), GRO on. */
static int tune_peer(int fd, struct wr_endpoint_report *r, const char *who)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GTXCSUM };
	char peer[WR_EP_STR_MAX];
	int err;

	wr_ep_str(&r->peer, peer, sizeof(peer));
	if (r->tx_csum_kept) {
		err = ethtool_value(fd, r->peer.ifname, &ev);
		r->tx_csum_on = ev.data != 0;
	} else {
		err = ethtool_flag(fd, r->peer.ifname, ETHTOOL_GTXCSUM, ETHTOOL_STXCSUM, false,
				   &r->tx_csum_changed);
	}
	if (err)
		return wr_err_set(err, "port device %s: peer %s: %s TX checksum offload: %s", who,
				  peer, r->tx_csum_kept ? "read" : "turn off", strerror(-err));
	err = ethtool_flag(fd, r->peer.ifname, ETHTOOL_GGRO, ETHTOOL_SGRO, true,
			   &r->gro_changed);
	if (err)
		return wr_err_set(err, "port device %s: peer %s: turn GRO on: %s", who, peer,
				  strerror(-err));
	return 0;
}

/* What tune_peer() changed, back as it was. */
static int untune_peer(int fd, struct wr_endpoint_report *r, const char *who)
{
	char peer[WR_EP_STR_MAX];
	bool changed;
	int err = 0;

	wr_ep_str(&r->peer, peer, sizeof(peer));
	if (r->tx_csum_changed)
		err = ethtool_flag(fd, r->peer.ifname, ETHTOOL_GTXCSUM, ETHTOOL_STXCSUM, true,
				   &changed);
	if (!err && r->gro_changed)
		err = ethtool_flag(fd, r->peer.ifname, ETHTOOL_GGRO, ETHTOOL_SGRO, false,
				   &changed);
	if (err)
		return wr_err_set(err, "port device %s: peer %s: put back TX checksum offload "
				  "and GRO: %s", who, peer, strerror(-err));
	r->tx_csum_changed = r->gro_changed = false;
	return 0;
}

int wr_endpoint_probe(const char *netns, const char *ifname, struct wr_endpoint_report *out)
{
	struct wr_ep ep = { .netns = "" };
	struct rtnl_link *link = NULL, *peer = NULL;
	char who[WR_EP_STR_MAX];
	struct nl_sock *sk, *psk;
	const char *type;
	int32_t nsid;
	int err;

	memset(out, 0, sizeof(*out));
	snprintf(ep.netns, sizeof(ep.netns), "%s", netns ? netns : "");
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", ifname);
	wr_ep_str(&ep, who, sizeof(who));
	out->dev = ep;
	if (wr_valid_ifname(ifname)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		return wr_err_set(-EINVAL, "port device %s: %s", who, msg);
	}
	err = wr_nl_open(ep.netns, &sk);
	if (err)
		return err;
	err = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) {
		err = wr_err_set(-ENODEV, "port device %s: %s", who, strerror(ENODEV));
		goto end_close;
	}
	if (err) {
		err = wr_nl_err(err, "port device %s: look up", who);
		goto end_close;
	}
	type = rtnl_link_get_type(link);
	if (!type || strcmp(type, "veth"))
		goto end_link;
	out->veth = true;
	out->peer_ifindex = rtnl_link_get_link(link);
	/* No IFLA_LINK_NETNSID: the peer is in the same namespace. */
	if (rtnl_link_get_link_netnsid(link, &nsid)) {
		out->peer_found = true;
		snprintf(out->peer.netns, sizeof(out->peer.netns), "%s", ep.netns);
	} else {
		out->peer_found = find_peer_ns(ep.netns, nsid, out->peer.netns,
					       sizeof(out->peer.netns));
	}
	if (!out->peer_found || out->peer_ifindex <= 0) {
		out->peer_found = false;
		goto end_link;
	}
	err = wr_nl_open(out->peer.netns, &psk);
	if (err)
		goto end_link;
	err = rtnl_link_get_kernel(psk, out->peer_ifindex, NULL, &peer);
	if (err) {
		err = wr_nl_err(err, "port device %s: look up its peer (ifindex %d)", who,
				out->peer_ifindex);
	} else {
		struct nl_addr *a = rtnl_link_get_addr(peer);

		snprintf(out->peer.ifname, sizeof(out->peer.ifname), "%s",
			 rtnl_link_get_name(peer));
		if (a && nl_addr_get_len(a) == 6)
			memcpy(out->peer_mac, nl_addr_get_binary_addr(a), 6);
		rtnl_link_put(peer);
	}
	wr_nl_close(psk);
end_link:
	rtnl_link_put(link);
end_close:
	wr_nl_close(sk);
	return err;
}

int wr_endpoint_prepare(struct wr_endpoint_report *r, int fastpath)
{
	char who[WR_EP_STR_MAX];

	r->tx_csum_kept = fastpath == WR_FASTPATH_TC;
	if (!r->veth || !r->peer_found)
		return 0;
	return with_peer_socket(r, wr_ep_str(&r->dev, who, sizeof(who)), tune_peer);
}

int wr_endpoint_restore(struct wr_endpoint_report *r)
{
	char who[WR_EP_STR_MAX];

	if (!r->tx_csum_changed && !r->gro_changed)
		return 0;
	return with_peer_socket(r, wr_ep_str(&r->dev, who, sizeof(who)), untune_peer);
}

const char *wr_endpoint_describe(const struct wr_endpoint_report *r, char *buf, size_t size)
{
	char peer[WR_EP_STR_MAX];

	if (!r->veth)
		snprintf(buf, size, "%s", "");
	else if (!r->peer_found)
		snprintf(buf, size, "peer (ifindex %d) is in a namespace without a name: left as "
			 "it is (run 'ethtool -K PEER %sgro on' in its namespace)",
			 r->peer_ifindex, r->tx_csum_kept ? "" : "tx off ");
	else if (r->tx_csum_kept)
		snprintf(buf, size, "peer %s: tx checksum left %s (fastpath tc keeps checksums "
			 "and GSO frames whole), gro %son", wr_ep_str(&r->peer, peer, sizeof(peer)),
			 r->tx_csum_on ? "on" : "off", r->gro_changed ? "" : "already ");
	else
		snprintf(buf, size, "peer %s: tx checksum %soff, gro %son",
			 wr_ep_str(&r->peer, peer, sizeof(peer)),
			 r->tx_csum_changed ? "" : "already ", r->gro_changed ? "" : "already ");
	return buf;
}

/* ------------------------------------------------------------ reading */

/* One ethtool get of @ifname: @cmd's value (0 or 1 for a flag), or -errno. */
static int ethtool_get(int fd, const char *ifname, uint32_t cmd)
{
	struct ethtool_value ev = { .cmd = cmd };
	int err = ethtool_value(fd, ifname, &ev);

	return err ? err : ev.data != 0;
}

int wr_dev_info(const struct wr_ep *ep, struct wr_dev_info *out)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	char who[WR_EP_STR_MAX];
	struct ifreq ifr;
	int fd, err = 0;

	memset(out, 0, sizeof(*out));
	wr_ep_str(ep, who, sizeof(who));
	fd = ns_socket(ep->netns);
	if (fd < 0)
		return wr_err_set(fd, "device %s: socket: %s", who, strerror(-fd));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ep->ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		err = wr_err_set(-errno, "device %s: %s", who, strerror(errno));
		goto end_close;
	}
	out->mtu = (uint32_t)ifr.ifr_mtu;
	ifr.ifr_data = (void *)&di;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
		snprintf(out->driver, sizeof(out->driver), "%s", di.driver);
		snprintf(out->bus_info, sizeof(out->bus_info), "%s", di.bus_info);
	}
	/* A device without ethtool (lo) says nothing: its offloads read as off. */
	out->tso = ethtool_get(fd, ep->ifname, ETHTOOL_GTSO) == 1;
	out->gso = ethtool_get(fd, ep->ifname, ETHTOOL_GGSO) == 1;
	out->gro = ethtool_get(fd, ep->ifname, ETHTOOL_GGRO) == 1;
	out->tx_csum = ethtool_get(fd, ep->ifname, ETHTOOL_GTXCSUM) == 1;
end_close:
	close(fd);
	return err;
}
