/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vf_nl.c - the settings of SR-IOV VFs over rtnetlink: MAC, VLAN and QoS
 * (802.1Q, 802.1ad), rates, spoof check, trust, link state and RSS query,
 * set in one RTM_NEWLINK on the PF and read back from its IFLA_VFINFO_LIST.
 *
 * The requests are built here attribute by attribute rather than with
 * libnl's rtnl_link_vf_*() API, because libnl 3.7's bytes are not
 * iproute2's, which every driver has been tested with: its nests carry
 * NLA_F_NESTED, and its IFLA_VF_VLAN_LIST writes the VLAN protocol in host
 * order (0xa888 for 802.1ad on x86) with stack garbage in the padding.
 * test_vf_nl.c holds the requests to iproute2's, byte for byte.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nl_priv.h"
#include "sriov_priv.h"
#include "wr_control.h"

/*
 * Receive buffer: one VF takes about 280 bytes of a PF's reply with its
 * 64-bit counters, so 64 KB ends near 230 VFs, and libnl's default buffer
 * (16 KB) near 60. Warren asks for no counters (RTEXT_FILTER_SKIP_STATS,
 * about 170 bytes a VF, ignored by kernels before 4.20) and receives in
 * 1 MB; libnl also peeks at each message's size and grows the buffer for
 * one that is still larger.
 */
#define VF_MSG_BUF (1u << 20)

void wr_vf_conf_rates(struct wr_vf_conf *c, const struct wr_vf_conf *cur)
{
	if (c->min_rate < 0 && c->max_rate < 0)
		return;
	if (c->min_rate < 0)
		c->min_rate = cur && cur->min_rate >= 0 ? cur->min_rate : 0;
	if (c->max_rate < 0)
		c->max_rate = cur && cur->max_rate >= 0 ? cur->max_rate : 0;
}

/* ------------------------------------------------------------ requests */

/* A nest as iproute2 opens it: without the NLA_F_NESTED of libnl's nla_nest_start(). */
static struct nlattr *nest_start(struct nl_msg *msg, int type)
{
	struct nlattr *start = nlmsg_tail(nlmsg_hdr(msg));

	return nla_put(msg, type, 0, NULL) < 0 ? NULL : start;
}

/* One VF setting: a struct whose first member is the VF index. */
static int put_vf(struct nl_msg *msg, int type, const void *data, size_t len)
{
	return nla_put(msg, type, (int)len, data) < 0 ? -ENOMEM : 0;
}

static int put_flag(struct nl_msg *msg, int type, unsigned int vf, int value)
{
	struct ifla_vf_trust s = { .vf = vf, .setting = (uint32_t)value };

	/* ifla_vf_spoofchk, _trust, _link_state and _rss_query_en: the same two u32s. */
	_Static_assert(sizeof(struct ifla_vf_spoofchk) == sizeof(s) &&
		       sizeof(struct ifla_vf_link_state) == sizeof(s) &&
		       sizeof(struct ifla_vf_rss_query_en) == sizeof(s), "VF flag layout");
	return value < 0 ? 0 : put_vf(msg, type, &s, sizeof(s));
}

static int put_vlan(struct nl_msg *msg, unsigned int vf, const struct wr_vf_conf *c)
{
	struct ifla_vf_vlan_info vi;
	struct ifla_vf_vlan v;
	struct nlattr *list;

	/* 802.1Q in the old attribute, as iproute2: drivers without the list take it. */
	if (c->proto == WR_VF_PROTO_8021Q) {
		v = (struct ifla_vf_vlan){ .vf = vf, .vlan = c->vlan, .qos = c->qos };
		return put_vf(msg, IFLA_VF_VLAN, &v, sizeof(v));
	}
	memset(&vi, 0, sizeof(vi));
	vi.vf = vf;
	vi.vlan = c->vlan;
	vi.qos = c->qos;
	vi.vlan_proto = htons(c->proto);
	list = nest_start(msg, IFLA_VF_VLAN_LIST);
	if (!list || put_vf(msg, IFLA_VF_VLAN_INFO, &vi, sizeof(vi)))
		return -ENOMEM;
	nla_nest_end(msg, list);
	return 0;
}

int wr_vf_msg(int ifindex, unsigned int vf, const struct wr_vf_conf *c, struct nl_msg **out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nlattr *list, *info;
	struct nl_msg *msg;
	int err = -ENOMEM;

	*out = NULL;
	if (wr_vf_conf_check(c) || (c->min_rate < 0) != (c->max_rate < 0))
		return -EINVAL;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    !(list = nest_start(msg, IFLA_VFINFO_LIST)) || !(info = nest_start(msg, IFLA_VF_INFO)))
		goto end_free;
	if (c->has_mac) {
		struct ifla_vf_mac m = { .vf = vf };

		memcpy(m.mac, c->mac, 6);
		if (put_vf(msg, IFLA_VF_MAC, &m, sizeof(m)))
			goto end_free;
	}
	if (c->has_vlan && put_vlan(msg, vf, c))
		goto end_free;
	if (put_flag(msg, IFLA_VF_SPOOFCHK, vf, c->spoofchk) ||
	    put_flag(msg, IFLA_VF_TRUST, vf, c->trust) ||
	    put_flag(msg, IFLA_VF_LINK_STATE, vf, c->link_state) ||
	    put_flag(msg, IFLA_VF_RSS_QUERY_EN, vf, c->rss_query))
		goto end_free;
	if (c->max_rate >= 0) {
		struct ifla_vf_rate r = { .vf = vf, .min_tx_rate = (uint32_t)c->min_rate,
					  .max_tx_rate = (uint32_t)c->max_rate };

		if (put_vf(msg, IFLA_VF_RATE, &r, sizeof(r)))
			goto end_free;
	}
	nla_nest_end(msg, info);
	nla_nest_end(msg, list);
	*out = msg;
	return 0;

end_free:
	nlmsg_free(msg);
	return err;
}

int wr_vf_getlink_msg(int ifindex, struct nl_msg **out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg;

	msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_REQUEST);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	*out = msg;
	return 0;
}

/* -------------------------------------------------------------- replies */

static struct nla_policy vf_policy[IFLA_VF_MAX + 1] = {
	[IFLA_VF_MAC] = { .minlen = sizeof(struct ifla_vf_mac) },
	[IFLA_VF_VLAN] = { .minlen = sizeof(struct ifla_vf_vlan) },
	[IFLA_VF_VLAN_LIST] = { .type = NLA_NESTED },
	[IFLA_VF_TX_RATE] = { .minlen = sizeof(struct ifla_vf_tx_rate) },
	[IFLA_VF_RATE] = { .minlen = sizeof(struct ifla_vf_rate) },
	[IFLA_VF_SPOOFCHK] = { .minlen = sizeof(struct ifla_vf_spoofchk) },
	[IFLA_VF_TRUST] = { .minlen = sizeof(struct ifla_vf_trust) },
	[IFLA_VF_LINK_STATE] = { .minlen = sizeof(struct ifla_vf_link_state) },
	[IFLA_VF_RSS_QUERY_EN] = { .minlen = sizeof(struct ifla_vf_rss_query_en) },
};

/*
 * The VF index of an attribute of one IFLA_VF_INFO: the first u32 of each.
 * All must agree: *@vf is the first seen, -1 before.
 */
static int same_vf(const struct nlattr *a, int64_t *vf)
{
	uint32_t v;

	memcpy(&v, nla_data(a), sizeof(v));
	if (*vf >= 0 && *vf != v)
		return -EINVAL;
	*vf = v;
	return 0;
}

/* 0 or 1; a driver that lacks the setting reports -1 (as a u32): unset. */
static int get_flag(struct nlattr *a, int64_t *vf, int *out)
{
	struct ifla_vf_trust s;

	if (!a)
		return 0;
	if (same_vf(a, vf))
		return -EINVAL;
	memcpy(&s, nla_data(a), sizeof(s));
	*out = s.setting == (uint32_t)-1 ? -1 : (int)s.setting;
	return 0;
}

/* The first entry of IFLA_VF_VLAN_LIST (the only one drivers take), with its protocol. */
static int get_vlan_list(struct nlattr *list, int64_t *vf, struct wr_vf_conf *c)
{
	struct ifla_vf_vlan_info vi;
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != IFLA_VF_VLAN_INFO || nla_len(a) < (int)sizeof(vi) ||
		    same_vf(a, vf))
			return -EINVAL;
		memcpy(&vi, nla_data(a), sizeof(vi));
		c->has_vlan = true;
		c->vlan = (uint16_t)vi.vlan;
		c->qos = (uint8_t)vi.qos;
		c->proto = ntohs(vi.vlan_proto);
		return 0;
	}
	return 0;
}

static int parse_info(struct nlattr *info, int64_t *vf, struct wr_vf_conf *c)
{
	struct nlattr *tb[IFLA_VF_MAX + 1];

	wr_vf_conf_init(c);
	if (nla_parse_nested(tb, IFLA_VF_MAX, info, vf_policy) < 0)
		return -EINVAL;
	if (tb[IFLA_VF_MAC]) {
		struct ifla_vf_mac m;

		if (same_vf(tb[IFLA_VF_MAC], vf))
			return -EINVAL;
		memcpy(&m, nla_data(tb[IFLA_VF_MAC]), sizeof(m));
		memcpy(c->mac, m.mac, 6);
		c->has_mac = true;
	}
	if (tb[IFLA_VF_VLAN_LIST] && get_vlan_list(tb[IFLA_VF_VLAN_LIST], vf, c))
		return -EINVAL;
	if (!c->has_vlan && tb[IFLA_VF_VLAN]) {
		struct ifla_vf_vlan v;

		if (same_vf(tb[IFLA_VF_VLAN], vf))
			return -EINVAL;
		memcpy(&v, nla_data(tb[IFLA_VF_VLAN]), sizeof(v));
		c->has_vlan = true;
		c->vlan = (uint16_t)v.vlan;
		c->qos = (uint8_t)v.qos;
	}
	if (tb[IFLA_VF_RATE]) {
		struct ifla_vf_rate r;

		if (same_vf(tb[IFLA_VF_RATE], vf))
			return -EINVAL;
		memcpy(&r, nla_data(tb[IFLA_VF_RATE]), sizeof(r));
		c->min_rate = r.min_tx_rate;
		c->max_rate = r.max_tx_rate;
	}
	if (get_flag(tb[IFLA_VF_SPOOFCHK], vf, &c->spoofchk) ||
	    get_flag(tb[IFLA_VF_TRUST], vf, &c->trust) ||
	    get_flag(tb[IFLA_VF_LINK_STATE], vf, &c->link_state) ||
	    get_flag(tb[IFLA_VF_RSS_QUERY_EN], vf, &c->rss_query))
		return -EINVAL;
	return *vf < 0 ? -EINVAL : 0;
}

int wr_vf_parse(const struct nlmsghdr *h,
		int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg), void *arg)
{
	struct nlattr *tb[IFLA_MAX + 1], *a;
	struct wr_vf_conf c;
	int rem, n = 0, r;
	int64_t vf;

	if (nlmsg_parse((struct nlmsghdr *)h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return -EINVAL;
	if (!tb[IFLA_VFINFO_LIST])
		return -ENODATA;
	nla_for_each_nested(a, tb[IFLA_VFINFO_LIST], rem) {
		if (nla_type(a) != IFLA_VF_INFO)
			continue;
		vf = -1;
		if (parse_info(a, &vf, &c))
			return -EINVAL;
		r = fn((unsigned int)vf, &c, arg);
		if (r < 0)
			return r;
		n++;
	}
	return n;
}

/* ------------------------------------------------------------ the kernel */

/* A socket in the root namespace for PF @pf, sized for its VFs, and its ifindex. */
static int pf_open(const char *pf, struct nl_sock **out, int *ifindex)
{
	int err;

	if (wr_valid_ifname(pf))
		return wr_err_set(-EINVAL, "PF '%s': invalid interface name", pf);
	err = wr_nl_open(NULL, out);
	if (err)
		return err;
	nl_socket_set_msg_buf_size(*out, VF_MSG_BUF);
	nl_socket_enable_msg_peek(*out);
	nl_socket_set_buffer_size(*out, (int)VF_MSG_BUF, 0);
	/*
	 * Not rtnl_link_get_kernel(): it leaves its request's ACK queued on
	 * the socket, where the next request's wait would take it for its own.
	 * The PF is in the namespace warren runs in.
	 */
	*ifindex = (int)if_nametoindex(pf);
	if (!*ifindex) {
		err = wr_err_set(-ENODEV, "PF %s: %s", pf, strerror(ENODEV));
		wr_nl_close(*out);
	}
	return err;
}

struct query {
	int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg);
	void *arg;
	int ret;
	bool seen;
};

static int on_link(struct nl_msg *msg, void *arg)
{
	struct query *q = arg;

	if (nlmsg_hdr(msg)->nlmsg_type != RTM_NEWLINK)
		return NL_SKIP;
	q->seen = true;
	q->ret = wr_vf_parse(nlmsg_hdr(msg), q->fn, q->arg);
	return NL_STOP;
}

/* The reply of PF @ifindex to a request for its VFs, through @fn. */
static int query(struct nl_sock *sk, const char *pf, int ifindex,
		 int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg), void *arg)
{
	struct query q = { .fn = fn, .arg = arg };
	struct nl_msg *msg;
	int err;

	err = wr_vf_getlink_msg(ifindex, &msg);
	if (err)
		return wr_err_set(err, "PF %s: read VFs: out of memory", pf);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_link, &q);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	/*
	 * The ACK that follows the reply is taken here: left queued, the next
	 * request's wait would take it for its own, so that a refused `vf set`
	 * of one rate would pass for a success.
	 */
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_DEFAULT, NULL, NULL);
	if (err < 0)
		return wr_nl_err(err, "PF %s: read VFs", pf);
	if (!q.seen)
		return wr_err_set(-EPROTO, "PF %s: read VFs: no reply", pf);
	if (q.ret == -ENODATA)
		return wr_err_set(-ENODATA, "PF %s reports no VF settings (no IFLA_VFINFO_LIST: "
				  "it has no VFs, its driver keeps none, or it is no PF)", pf);
	if (q.ret == -EINVAL)
		return wr_err_set(-EINVAL, "PF %s: read VFs: malformed VF information", pf);
	return q.ret;
}

int wr_vf_foreach_conf(const char *pf,
		       int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg), void *arg)
{
	struct nl_sock *sk;
	int ifindex, err;

	err = pf_open(pf, &sk, &ifindex);
	if (err)
		return err;
	err = query(sk, pf, ifindex, fn, arg);
	wr_nl_close(sk);
	return err;
}

struct one {
	unsigned int vf;
	struct wr_vf_conf *out;
	bool found;
};

static int take_one(unsigned int vf, const struct wr_vf_conf *c, void *arg)
{
	struct one *o = arg;

	if (vf == o->vf) {
		*o->out = *c;
		o->found = true;
	}
	return 0;
}

/* VF @vf's settings on the socket of @pf; -ENOENT with a message when not reported. */
static int get_one(struct nl_sock *sk, const char *pf, int ifindex, unsigned int vf,
		   struct wr_vf_conf *out)
{
	struct one o = { .vf = vf, .out = out };
	int err;

	err = query(sk, pf, ifindex, take_one, &o);
	if (err < 0)
		return err;
	if (!o.found)
		return wr_err_set(-ENOENT, "PF %s reports no VF %u (%d VFs reported)", pf, vf, err);
	return 0;
}

int wr_vf_get_conf(const char *pf, unsigned int vf, struct wr_vf_conf *out)
{
	struct nl_sock *sk;
	int ifindex, err;

	err = pf_open(pf, &sk, &ifindex);
	if (err)
		return err;
	err = get_one(sk, pf, ifindex, vf, out);
	wr_nl_close(sk);
	return err;
}

int wr_vf_set(const char *pf, unsigned int vf, const struct wr_vf_conf *c)
{
	struct wr_vf_conf want = *c, cur;
	struct nl_sock *sk;
	struct nl_msg *msg;
	bool said;
	int ifindex, err;

	if (wr_vf_conf_check(c)) {
		char msg_[200];

		snprintf(msg_, sizeof(msg_), "%s", wr_err_msg());
		return wr_err_set(-EINVAL, "PF %s: vf %u: %s", pf, vf, msg_);
	}
	err = pf_open(pf, &sk, &ifindex);
	if (err)
		return err;
	/* Both rates always: the kernel takes the pair, a missing one would be 0. */
	if ((c->min_rate < 0) != (c->max_rate < 0)) {
		err = get_one(sk, pf, ifindex, vf, &cur);
		if (err && err != -ENODATA && err != -ENOENT)
			goto end_close;
		wr_vf_conf_rates(&want, err ? NULL : &cur);
		if (want.max_rate > 0 && want.min_rate > want.max_rate) {
			err = wr_err_set(-EINVAL, "PF %s: vf %u: min_rate %lld is above the VF's "
					 "max_rate %lld", pf, vf, (long long)want.min_rate,
					 (long long)want.max_rate);
			goto end_close;
		}
	}
	err = wr_vf_msg(ifindex, vf, &want, &msg);
	if (err) {
		err = wr_err_set(err, "PF %s: vf %u: build the request: %s", pf, vf, strerror(-err));
		goto end_close;
	}
	err = nl_send_sync(sk, msg);	/* frees msg */
	if (err) {
		said = wr_nl_extack()[0];
		err = wr_nl_err(err, "PF %s: vf %u: set", pf, vf);
		if (!said && err == -EOPNOTSUPP)
			wr_err_set(err, "PF %s: vf %u: set: %s (the PF's driver lacks this VF "
				   "setting, or %s has no VFs)", pf, vf, strerror(EOPNOTSUPP), pf);
		else if (!said && err == -EINVAL)
			wr_err_set(err, "PF %s: vf %u: set: %s (no VF %u, or a value the driver "
				   "refuses)", pf, vf, strerror(EINVAL), vf);
	}
end_close:
	wr_nl_close(sk);
	return err;
}
