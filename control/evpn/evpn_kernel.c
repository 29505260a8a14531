/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evpn_kernel.c - warren-evpnd's netlink side: the anchors checked, the
 * AF_BRIDGE neighbour table read whole, and static entries written on the
 * shadow ports (docs/evpn.md has what zebra 8.4 writes and reads).
 */
#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>

#include "../nl_priv.h"
#include "../rtnl_priv.h"
#include "evpn_priv.h"
#include "wr_control.h"

/* Bridge port @ifindex's learning off (RTM_SETLINK, AF_BRIDGE: iproute2's `bridge link set`). */
static int learning_off(struct nl_sock *sk, int ifindex, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = ifindex };
	struct nlattr *prot;
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(RTM_SETLINK, 0);
	if (!msg)
		return wr_err_set(-ENOMEM, "%s: out of memory", name);
	err = nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	prot = err < 0 ? NULL : nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED);
	if (!prot || nla_put_u8(msg, IFLA_BRPORT_LEARNING, 0) < 0) {
		nlmsg_free(msg);
		return wr_err_set(-ENOMEM, "%s: out of memory", name);
	}
	nla_nest_end(msg, prot);
	err = nl_send_sync(sk, msg);
	return err < 0 ? wr_nl_err(err, "%s: bridge port learning off", name) : 0;
}

int ev_kernel_anchor(const char *netns, const struct ev_vni *v, uint32_t local, uint16_t port)
{
	struct wr_link_spec br = { .kind = WR_LINK_BRIDGE }, vx = { .kind = WR_LINK_VXLAN };
	struct wr_link_spec sh = { .kind = WR_LINK_VETH };
	struct wr_link_change up = { .up = 1 }, master = { .up = -1 };
	const struct wr_link_spec *all[] = { &br, &vx, &sh };
	struct wr_link_info li;
	struct nl_sock *sk = NULL;
	int made = 0, err = 0, idx;

	snprintf(br.ep.netns, sizeof(br.ep.netns), "%s", netns ? netns : "");
	snprintf(br.ep.ifname, sizeof(br.ep.ifname), "br%u", v->vni);
	vx.ep = sh.ep = sh.peer = br.ep;
	snprintf(vx.ep.ifname, sizeof(vx.ep.ifname), "%s", v->anchor);
	snprintf(sh.ep.ifname, sizeof(sh.ep.ifname), "%s", v->shadow);
	if (snprintf(sh.peer.ifname, sizeof(sh.peer.ifname), "%sp", v->shadow) >= IFNAMSIZ)
		return wr_err_set(-ENAMETOOLONG, "VNI %u: shadow port %s: no room for its peer's name",
				  v->vni, v->shadow);
	vx.vni = v->vni;
	vx.dstport = port;
	vx.has_local = true;
	vx.local.family = AF_INET;
	vx.local.prefixlen = 32;
	memcpy(&vx.local.addr.v4, &local, 4);
	for (size_t i = 0; i < 3 && !err; i++) {
		if (!wr_link_get(&all[i]->ep, &li))
			continue;
		err = wr_link_add(all[i]);
		made = 1;
	}
	master.master = br.ep.ifname;
	if (!err && made)
		err = wr_link_set(&vx.ep, &master);
	if (!err && made)
		err = wr_link_set(&sh.ep, &master);
	/*
	 * Quiet before up: with IPv6 the bridge and the veths would send ND
	 * and MLD, which the bridge floods to the anchor and the anchor to the
	 * remote VTEPs' anchor port, where their anchors would learn them.
	 */
	for (size_t i = 0; i < 4 && !err && made; i++) {
		char key[64];

		snprintf(key, sizeof(key), "net.ipv6.conf.%s.disable_ipv6",
			 i < 3 ? all[i]->ep.ifname : sh.peer.ifname);
		err = wr_sysctl_set(netns, key, "1");
		if (err == -ENOENT)	/* no IPv6 in this kernel: nothing to quiet */
			err = 0;
	}
	for (size_t i = 0; i < 3 && !err && made; i++)
		err = wr_link_set(&all[i]->ep, &up);
	if (!err && made)
		err = wr_link_set(&sh.peer, &up);
	if (!err && made && !(err = wr_nl_open(netns, &sk))) {
		idx = wr_rtnl_ifindex(sk, sh.ep.ifname);
		err = idx < 0 ? idx : learning_off(sk, idx, sh.ep.ifname);
		wr_nl_close(sk);
	}
	return err ? err : made;
}

static int link_check(struct nl_sock *sk, struct ev_vni *v)
{
	struct rtnl_link *a = NULL, *sh = NULL;
	uint32_t id = 0;
	int err;

	err = rtnl_link_get_kernel(sk, 0, v->anchor, &a);
	if (err < 0) {
		err = wr_err_set(-ENODEV, "VNI %u: anchor %s: no such device (docs/evpn.md, Anchors)",
				 v->vni, v->anchor);
		goto end;
	}
	if (!rtnl_link_is_vxlan(a) || rtnl_link_vxlan_get_id(a, &id) < 0 || id != v->vni) {
		err = wr_err_set(-EINVAL, "VNI %u: anchor %s: not a vxlan device of id %u",
				 v->vni, v->anchor, v->vni);
		goto end;
	}
	if (!rtnl_link_get_master(a)) {
		err = wr_err_set(-EINVAL, "VNI %u: anchor %s: in no bridge (zebra needs one)",
				 v->vni, v->anchor);
		goto end;
	}
	err = rtnl_link_get_kernel(sk, 0, v->shadow, &sh);
	if (err < 0) {
		err = wr_err_set(-ENODEV, "VNI %u: shadow port %s: no such device", v->vni, v->shadow);
		goto end;
	}
	if (rtnl_link_get_master(sh) != rtnl_link_get_master(a)) {
		err = wr_err_set(-EINVAL, "VNI %u: shadow port %s: not in %s's bridge",
				 v->vni, v->shadow, v->anchor);
		goto end;
	}
	v->anchor_if = rtnl_link_get_ifindex(a);
	v->shadow_if = rtnl_link_get_ifindex(sh);
	err = 0;
end:
	if (a)
		rtnl_link_put(a);
	if (sh)
		rtnl_link_put(sh);
	return err;
}

int ev_kernel_links(struct nl_sock *sk, struct ev_state *s)
{
	int err, first = 0;

	for (int i = 0; i < s->n_vnis; i++) {
		s->vnis[i].anchor_if = s->vnis[i].shadow_if = 0;
		err = link_check(sk, &s->vnis[i]);
		if (err && !first)
			first = err;
	}
	return first;
}

static int on_neigh(struct nl_msg *msg, void *arg)
{
	struct ev_state *s = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[NDA_MAX + 1];
	struct ndmsg *ndm;
	const uint8_t *mac;
	uint32_t dst = 0;

	if (h->nlmsg_type != RTM_NEWNEIGH || nlmsg_parse(h, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return NL_OK;
	ndm = nlmsg_data(h);
	if (ndm->ndm_family != AF_BRIDGE || !tb[NDA_LLADDR] || nla_len(tb[NDA_LLADDR]) != 6)
		return NL_OK;
	mac = nla_data(tb[NDA_LLADDR]);
	if (tb[NDA_DST]) {
		if (nla_len(tb[NDA_DST]) != 4)	/* FRR 8.4: IPv4 VTEPs only */
			return NL_OK;
		memcpy(&dst, nla_data(tb[NDA_DST]), 4);
	}
	for (uint16_t i = 0; i < s->n_vnis; i++) {
		struct ev_vni *v = &s->vnis[i];
		static const uint8_t zero[6];

		if (ndm->ndm_ifindex == v->anchor_if && dst) {
			if (memcmp(mac, zero, 6))
				ev_macs_push(&s->krem, i, mac, dst);
			else if (v->n_flood < EV_VTEP_MAX)
				v->flood[v->n_flood++] = dst;
			else
				s->vtep_full++;
		} else if (ndm->ndm_ifindex == v->shadow_if && !dst && tb[NDA_MASTER] &&
			   !(ndm->ndm_state & NUD_PERMANENT)) {
			/*
			 * The bridge's entries on the shadow (NDA_MASTER: the
			 * bridge reports them without NTF_MASTER) are ours:
			 * learning is off there.
			 */
			ev_macs_push(&s->kloc, i, mac, 0);
		}
	}
	return NL_OK;
}

int ev_kernel_read(struct nl_sock *sk, struct ev_state *s)
{
	struct ndmsg ndm = { .ndm_family = AF_BRIDGE };
	struct nl_cb *cb;
	int err;

	s->krem.n = s->kloc.n = 0;
	for (int i = 0; i < s->n_vnis; i++)
		s->vnis[i].n_flood = 0;
	err = nl_send_simple(sk, RTM_GETNEIGH, NLM_F_DUMP, &ndm, sizeof(ndm));
	if (err < 0)
		return wr_nl_err(err, "bridge fdb: dump");
	cb = nl_cb_clone(nl_socket_get_cb(sk));
	if (!cb)
		return wr_err_set(-ENOMEM, "bridge fdb: dump: out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_neigh, s);
	err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	return err < 0 ? wr_nl_err(err, "bridge fdb: dump") : 0;
}

int ev_kernel_local(struct nl_sock *sk, int ifindex, const uint8_t mac[6], bool add)
{
	struct ndmsg ndm = {
		.ndm_family = AF_BRIDGE,
		.ndm_ifindex = ifindex,
		.ndm_flags = NTF_MASTER,
		/* static: never aged by the bridge, and not permanent, which zebra ignores */
		.ndm_state = NUD_NOARP | NUD_REACHABLE,
	};
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(add ? RTM_NEWNEIGH : RTM_DELNEIGH,
				 add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	if (!msg)
		return wr_err_set(-ENOMEM, "bridge fdb: out of memory");
	err = nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO);
	if (err >= 0)
		err = nla_put(msg, NDA_LLADDR, 6, mac);
	if (err >= 0)
		err = nl_send_sync(sk, msg);	/* frees msg */
	else
		nlmsg_free(msg);
	if (err < 0)
		return wr_nl_err(err, "bridge fdb %s %02x:%02x:%02x:%02x:%02x:%02x on ifindex %d",
				 add ? "replace" : "del", mac[0], mac[1], mac[2], mac[3], mac[4],
				 mac[5], ifindex);
	return 0;
}
