// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdp_switch.bpf.c - the kernel fast path: one lookup, two entry points.
 *
 * wr_xdp_switch (SEC "xdp") and wr_tc_switch (SEC "tc", for tcx or a clsact
 * ingress hook) parse a frame, then share wr_decide(): known unicast from
 * a source known on its own port, to another port in the fast path, is
 * forwarded inside the kernel with its VLAN tag edited as
 * dataplane/vlan.c would; runts, cut tags, multicast sources and frames
 * the userspace switch would drop for their VLAN are dropped and counted;
 * everything else goes to userspace, which learns, moves, floods and
 * decides. The maps mirror what warrend knows (wr_bpf.h); the program
 * writes only counters and the last-seen stamp of source entries.
 *
 * The entry points differ only in what the kernel gives them:
 *   - XDP sees the frame as it came off the device, tag in the data; it
 *     forwards with bpf_redirect_map() on wr_devmap and hands up with
 *     bpf_redirect_map() on wr_xsks (XDP_PASS when that queue has no
 *     socket);
 *   - TC sees an skb whose outer tag the stack has usually moved into
 *     metadata (vlan_tci) before tc ingress; it edits tags with the skb
 *     VLAN helpers, forwards with bpf_redirect() to the output device's
 *     ifindex (in the input device's namespace) and hands up by
 *     redirecting to the port's up_ifindex, warrend's TAP (TC_ACT_OK, the
 *     input device's stack, when there is none).
 *
 * A third entry point, wr_tc_to_port, sits at tcx ingress of that TAP:
 * what warrend writes there leaves by the port's device.
 *
 * A tunnel's underlay port (WR_BPF_PORT_F_UNDERLAY, XDP only) is no switch
 * port: underlay() sends its tunnel frames up and leaves the rest to the
 * device's stack (ACT_KERNEL, XDP_PASS), before any check of the switch's.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "wr_bpf.h"

#define VLAN_HLEN	4
#define MACS_LEN	12	/* destination and source MAC */
#define VID_MASK	0x0fff
#define VID_RESERVED	0x0fff
#define PCP_DEI_MASK	0xf000

/*
 * The port this program instance serves, for a program loaded once per
 * device (warrend sets it through the skeleton's rodata before load);
 * WR_BPF_PORT_NONE: one instance serves several devices and wr_ifports
 * says which port a device is. ifindexes are per namespace: devices of
 * different namespaces need instances of their own, or this constant.
 */
const volatile __u32 wr_in_port = WR_BPF_PORT_NONE;

/* ------------------------------------------------------------------ maps */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_FDB_MAX);
	__type(key, struct wr_bpf_fdb_key);
	__type(value, struct wr_bpf_fdb_val);
} wr_fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WR_BPF_PORT_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_port);
} wr_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_PORT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} wr_ifports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WR_BPF_VLAN_MAX);
	__type(key, __u32);
	__type(value, __u16);
} wr_vlan_bd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, WR_BPF_PORT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} wr_devmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, WR_BPF_XSK_MAX);
	__type(key, __u32);
	__type(value, __u32);
} wr_xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wr_bpf_stats);
} wr_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WR_BPF_PORT_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_port_stats);
} wr_port_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_TUN_HDR_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* most tunnels use a few: no 9 MB up front */
	__type(key, struct wr_bpf_tun_hdr_key);
	__type(value, struct wr_bpf_tun_hdr);
} wr_tun_hdrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_TUNNEL_MAX * WR_BPF_TUNNEL_VNI_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct wr_bpf_tun_vni_key);
	__type(value, __u16);
} wr_tun_vni SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_TUNNEL_MAX * WR_BPF_VTEP_MAX);
	__type(key, struct wr_bpf_tun_vtep_key);
	__type(value, __u16);
} wr_tun_vteps SEC(".maps");

/* -------------------------------------------------------------- decisions */

/* What becomes of a frame: an action in bits 8-9, a reason in bits 0-7. */
#define ACT_FWD		0x000
#define ACT_UP		0x100
#define ACT_DROP	0x200
#define ACT_KERNEL	0x300	/* an underlay's frame for the device's own stack */
#define ACT_MASK	0x300
#define UP(r)		(ACT_UP | WR_BPF_UP_##r)
#define DROP(r)		(ACT_DROP | WR_BPF_DROP_##r)
#define REASON(a)	((a) & 0xff)

/* The outer tag's edit on the way out (dataplane/vlan.c's wr_vlan_egress). */
enum tag_op { TAG_KEEP, TAG_POP, TAG_PUSH, TAG_REWRITE };

/* What an entry point found out about a frame. */
struct frame {
	__u32 len;		/* bytes on the wire (TC: a metadata tag too; GSO frames whole) */
	__u32 pkts;		/* 1, or the segments of a TC GSO frame */
	__u16 tci;		/* the outer 802.1Q tag's TCI, host order */
	__u8 tagged;		/* an outer 802.1Q tag, in the data or (TC) in metadata */
	__u8 gso;		/* a TC GSO frame: its length is not checked */
	__u8 tc;		/* seen by TC: the output must be in the same namespace */
};

/* What wr_decide() found: the ports, and for a forward the tag edit. */
struct decision {
	__u32 in;		/* input port index, WR_BPF_PORT_NONE if none */
	__u32 out;		/* output port index (forward) */
	__u32 out_ifindex;	/* the output device (forward) */
	__u8 out_flags;		/* its WR_BPF_PORT_F_* (forward) */
	__u32 out_len;		/* bytes on the wire after the tag edit (forward) */
	__u16 tci;		/* TAG_PUSH / TAG_REWRITE: the new TCI */
	__u8 op;		/* enum tag_op */
};

/* Port index of device @ifindex: this instance's, or wr_ifports'. */
static __always_inline __u32 input_port(__u32 ifindex)
{
	__u32 *p;

	if (wr_in_port != WR_BPF_PORT_NONE)
		return wr_in_port;
	p = bpf_map_lookup_elem(&wr_ifports, &ifindex);
	return p ? *p : WR_BPF_PORT_NONE;
}

/* Port @port's configuration; NULL for WR_BPF_PORT_NONE. */
static __always_inline const struct wr_bpf_port *port_conf(__u32 port)
{
	return bpf_map_lookup_elem(&wr_ports, &port);
}

static __always_inline int vlan_allowed(const struct wr_bpf_port *c, __u32 vid)
{
	__u32 word = vid / 64;

	if (vid == 0 || vid >= WR_BPF_VLAN_MAX)
		return 0;
	/*
	 * The mask repeats what vid < 4096 says, for the verifier: clang
	 * folds it into the index otherwise and the verifier, which tracks
	 * the copy it compared, not the one it indexes with, refuses.
	 */
	barrier_var(word);
	word &= WR_BPF_VLAN_MAX / 64 - 1;
	return (c->allowed[word] >> (vid % 64)) & 1;
}

/*
 * Ingress (wr_vlan_classify): the VLAN of a frame arriving on @c, 0 on a
 * NONE port, -1 if the port does not take it. Priority-tagged frames (VID
 * 0) count as untagged.
 */
static __always_inline int classify(const struct wr_bpf_port *c, const struct frame *f)
{
	__u32 vid = f->tagged ? f->tci & VID_MASK : 0;

	switch (c->vlan_mode) {
	case WR_BPF_VLAN_NONE:
		return 0;
	case WR_BPF_VLAN_ACCESS:
		if ((vid == 0 || vid == c->access_vlan) &&
		    c->access_vlan > 0 && c->access_vlan < VID_RESERVED)
			return c->access_vlan;
		return -1;
	case WR_BPF_VLAN_TRUNK:
		if (vid == 0)
			vid = c->native_vlan;	/* 0: untagged not wanted */
		if (vid != VID_RESERVED && vlan_allowed(c, vid))
			return vid;
		return -1;
	}
	return -1;
}

/*
 * Egress (wr_vlan_egress): how the outer tag of a frame of @vlan changes
 * on its way out of @c, into @d; -1 if the port does not take that VLAN.
 * A rewrite keeps PCP and DEI; one that would change nothing is a keep.
 */
static __always_inline int egress(const struct wr_bpf_port *c, __u32 vlan,
				  const struct frame *f, struct decision *d)
{
	d->op = TAG_KEEP;
	switch (c->vlan_mode) {
	case WR_BPF_VLAN_NONE:
		return 0;
	case WR_BPF_VLAN_ACCESS:
		if (vlan == 0 || vlan != c->access_vlan)
			return -1;
		if (f->tagged)
			d->op = TAG_POP;
		return 0;
	case WR_BPF_VLAN_TRUNK:
		if (!vlan_allowed(c, vlan) || vlan == VID_RESERVED)
			return -1;
		if (vlan == c->native_vlan) {
			if (f->tagged)
				d->op = TAG_POP;
		} else if (!f->tagged) {
			d->op = TAG_PUSH;
			d->tci = vlan;
		} else if ((f->tci & VID_MASK) != vlan) {
			d->op = TAG_REWRITE;
			d->tci = (f->tci & PCP_DEI_MASK) | vlan;
		}
		return 0;
	}
	return -1;
}

static __always_inline struct wr_bpf_fdb_val *fdb_lookup(__u16 bd, const __u8 *mac)
{
	struct wr_bpf_fdb_key k = { .bd = bd };

	__builtin_memcpy(k.mac, mac, 6);
	return bpf_map_lookup_elem(&wr_fdb, &k);
}

/*
 * The switch's decision for a parsed frame from port @d->in, configured as
 * @in (NULL: none), whose Ethernet header @eth lies within the packet: ACT_FWD with @d filled, or
 * UP()/DROP() with the reason, in the order the userspace pipeline meets
 * them (parse, VLAN and bridge domain, source, destination, egress VLAN,
 * length).
 */
static __always_inline int wr_decide(const struct wr_bpf_port *in, const struct ethhdr *eth,
				     const struct frame *f, struct decision *d)
{
	const struct wr_bpf_port *out;
	struct wr_bpf_fdb_val *src, *dst;
	__u32 key;
	__u16 bd, *vbd;
	int vlan;

	if (!in || !in->ifindex)
		return UP(NO_PORT);
	if (!(in->flags & WR_BPF_PORT_F_FASTPATH))
		return UP(FASTPATH_OFF);

	vlan = classify(in, f);
	if (vlan < 0)
		return DROP(VLAN_NOT_ALLOWED);
	if (in->vlan_mode == WR_BPF_VLAN_NONE) {
		bd = in->bd;
	} else {
		key = vlan;
		vbd = bpf_map_lookup_elem(&wr_vlan_bd, &key);
		bd = vbd ? *vbd : 0;
	}
	if (bd == 0)
		return DROP(NO_BD);

	src = fdb_lookup(bd, eth->h_source);
	if (src && src->port == d->in) {
		/* Aging must see traffic that never reaches userspace. */
		__u64 now = bpf_ktime_get_coarse_ns();

		if ((__s64)(now - src->last_seen_ns) >= (__s64)WR_BPF_STAMP_NS)
			src->last_seen_ns = now;
	} else if ((in->flags & WR_BPF_PORT_F_LEARNING) || in->src_check != WR_BPF_SRC_ANY) {
		/* Userspace learns the source or moves it to this port. */
		return src ? UP(SRC_MOVED) : UP(SRC_UNKNOWN);
	}

	/* Userspace floods: it owns the flood sets and makes the copies. */
	if (eth->h_dest[0] & 1)
		return UP(FLOOD);
	dst = fdb_lookup(bd, eth->h_dest);
	if (!dst)
		return UP(DST_UNKNOWN);
	if (dst->port == d->in)
		return DROP(SAME_PORT);

	d->out = dst->port;
	key = d->out;
	out = bpf_map_lookup_elem(&wr_ports, &key);
	if (!out || !out->ifindex || !(out->flags & WR_BPF_PORT_F_FASTPATH))
		return UP(OUT_OFF);	/* userspace sends it, or counts it down */
	if (out->flags & WR_BPF_PORT_F_VTEP) {
		/* Split horizon: what came off a tunnel never goes back into one. */
		if (in->flags & WR_BPF_PORT_F_VTEP)
			return DROP(SAME_PORT);
		if (f->tc)
			return UP(OUT_OFF);	/* TC does not encapsulate (yet): warrend does */
	}
	if (f->tc && out->netns_id != in->netns_id)
		return UP(OTHER_NETNS);	/* its ifindex names nothing, or another device, here */
	if (egress(out, vlan, f, d))
		return DROP(VLAN_NOT_ALLOWED);
	d->out_len = f->len;
	if (d->op == TAG_PUSH)
		d->out_len += VLAN_HLEN;
	else if (d->op == TAG_POP)
		d->out_len -= VLAN_HLEN;
	if (out->max_len && !f->gso && d->out_len > out->max_len)
		return DROP(TOO_BIG);	/* the device would drop it unseen */
	d->out_ifindex = out->ifindex;
	d->out_flags = out->flags;
	return ACT_FWD;
}

/* Where the outer tag is, for parse(): TC finds it in the skb's metadata. */
enum meta_tag { META_NONE, META_8021Q, META_OTHER };

/*
 * Parse the Ethernet header and the tags in the data from @data to @end
 * into @f, as stage_parse.c does (an outer 802.1Q or 802.1ad tag, an
 * 802.1Q tag inside it, no third one opened): 0 to go on, or the drop / up
 * decision. @meta says whether the outer tag is already out of the data
 * (TC; @f->tagged and @f->tci are then set).
 */
static __always_inline int parse(void *data, void *end, struct frame *f, enum meta_tag meta)
{
	struct ethhdr *eth = data;
	__u16 proto, inner;
	__u8 *s;

	if ((void *)(eth + 1) > end)
		return DROP(PARSE_RUNT);
	s = eth->h_source;
	if ((s[0] & 1) || !(s[0] | s[1] | s[2] | s[3] | s[4] | s[5]))
		return DROP(PARSE_SRC_MCAST);
	proto = eth->h_proto;
	if (meta != META_NONE) {
		/* The data starts where the inner tag would be. */
		if (proto == bpf_htons(ETH_P_8021Q)) {
			if (data + ETH_HLEN + VLAN_HLEN > end)
				return DROP(PARSE_VLAN);
			return UP(TAGS);
		}
		return meta == META_8021Q ? 0 : UP(TAGS);
	}
	if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
		return 0;
	if (data + ETH_HLEN + VLAN_HLEN > end)
		return DROP(PARSE_VLAN);
	inner = *(__u16 *)(data + ETH_HLEN + 2);
	if (inner == bpf_htons(ETH_P_8021Q)) {
		if (data + ETH_HLEN + 2 * VLAN_HLEN > end)
			return DROP(PARSE_VLAN);
		return UP(TAGS);
	}
	if (proto != bpf_htons(ETH_P_8021Q))
		return UP(TAGS);	/* userspace does 802.1ad */
	f->tagged = 1;
	f->tci = bpf_ntohs(*(__u16 *)(data + ETH_HLEN));
	return 0;
}

#define IP_FRAG_OFFSET	0x1fff	/* iphdr.frag_off, host order: where a fragment starts */

/*
 * A frame of an underlay port @c (WR_BPF_PORT_F_UNDERLAY) from @data to
 * @end: UP(TUNNEL) when it is UDP to the tunnel's local address and port,
 * ACT_KERNEL for anything else, the device's stack to judge (a runt or a
 * cut header too: the stack drops it). Only the port's family is looked
 * at. One 802.1Q tag is looked through. An IPv6 extension header is not
 * (a tunnel's sender puts none: the frame is the stack's). An IPv4
 * fragment but the first has no UDP header: the stack's, like every
 * fragment it would reassemble; the first goes up, where the decap counts
 * it as cut short (tunnels do not fragment, issue 15).
 */
static __always_inline int underlay(void *data, void *end, const struct wr_bpf_port *c)
{
	void *l3 = data + ETH_HLEN;
	struct udphdr *udp;
	__u16 proto;

	if (l3 > end)
		return ACT_KERNEL;
	proto = ((struct ethhdr *)data)->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		if (l3 + VLAN_HLEN > end)
			return ACT_KERNEL;
		proto = *(__u16 *)(l3 + 2);
		l3 += VLAN_HLEN;
	}
	if (proto == bpf_htons(ETH_P_IP) && !c->ul_ipv6) {
		struct iphdr *ip = l3;
		__u32 ihl;

		if ((void *)(ip + 1) > end)
			return ACT_KERNEL;
		ihl = ip->ihl;
		if (ip->version != 4 || ihl < 5 || ip->protocol != IPPROTO_UDP ||
		    (ip->frag_off & bpf_htons(IP_FRAG_OFFSET)) || ip->daddr != *(__u32 *)c->ul_ip)
			return ACT_KERNEL;
		udp = l3 + ihl * 4;	/* options skipped: at most 40 bytes */
	} else if (proto == bpf_htons(ETH_P_IPV6) && c->ul_ipv6) {
		struct ipv6hdr *ip6 = l3;
		const __u32 *a, *b = (const __u32 *)c->ul_ip;

		if ((void *)(ip6 + 1) > end)
			return ACT_KERNEL;
		a = ip6->daddr.in6_u.u6_addr32;
		if (ip6->version != 6 || ip6->nexthdr != IPPROTO_UDP ||
		    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])))
			return ACT_KERNEL;
		udp = (void *)(ip6 + 1);
	} else {
		return ACT_KERNEL;
	}
	if ((void *)(udp + 1) > end)
		return ACT_KERNEL;
	/* For warrend's decap, through the port's AF_XDP socket. */
	return udp->dest == c->ul_dport ? UP(TUNNEL) : ACT_KERNEL;
}

/* Count @act for a frame @f of port @d->in (and @d->out when forwarded). */
static __always_inline void account(int act, const struct frame *f, const struct decision *d)
{
	struct wr_bpf_port_stats *ps = NULL;
	struct wr_bpf_stats *st;
	__u32 key = d->in;

	if (key != WR_BPF_PORT_NONE)
		ps = bpf_map_lookup_elem(&wr_port_stats, &key);
	if (ps) {
		ps->rx_pkts += f->pkts;
		ps->rx_bytes += f->len;
	}
	if ((act & ACT_MASK) == ACT_FWD) {
		if (ps) {
			ps->fwd_pkts += f->pkts;
			ps->fwd_bytes += f->len;
		}
		key = d->out;
		ps = bpf_map_lookup_elem(&wr_port_stats, &key);
		if (ps) {
			ps->tx_pkts += f->pkts;
			ps->tx_bytes += d->out_len;
		}
		return;
	}
	if ((act & ACT_MASK) == ACT_KERNEL) {
		if (ps)
			ps->kernel_pkts += f->pkts;
		return;
	}
	key = 0;
	st = bpf_map_lookup_elem(&wr_stats, &key);
	if ((act & ACT_MASK) == ACT_UP) {
		if (ps)
			ps->up_pkts += f->pkts;
		if (st)
			st->up[REASON(act) & (WR_BPF_UP_MAX - 1)] += f->pkts;
	} else {
		if (ps)
			ps->drop_pkts += f->pkts;
		if (st)
			st->drops[REASON(act) & (WR_BPF_DROP_MAX - 1)] += f->pkts;
	}
}

/* ------------------------------------------------------------------- XDP */

/* Move the MACs @delta bytes (+4: a tag removed, -4: a tag's room made). */
static __always_inline int xdp_move_macs(struct xdp_md *ctx, int delta)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 macs[MACS_LEN];

	if (data + MACS_LEN + VLAN_HLEN > end)
		return -1;
	if (delta > 0) {
		__builtin_memcpy(macs, data, MACS_LEN);
		__builtin_memcpy(data + VLAN_HLEN, macs, MACS_LEN);
	} else {
		__builtin_memcpy(macs, data + VLAN_HLEN, MACS_LEN);
		__builtin_memcpy(data, macs, MACS_LEN);
	}
	return 0;
}

/*
 * The outer tag as @d says; 0, or -1 when the frame is left as it was (no
 * headroom for a push). The other failures cannot happen to a frame
 * parse() took (a tagged one has 18 bytes or more, and bpf_xdp_adjust_head
 * only refuses to leave less than 14); their checks are the verifier's.
 */
static __always_inline int xdp_edit_tag(struct xdp_md *ctx, const struct decision *d)
{
	void *data, *end;

	switch (d->op) {
	case TAG_POP:
		if (xdp_move_macs(ctx, VLAN_HLEN))
			return -1;
		return bpf_xdp_adjust_head(ctx, VLAN_HLEN) ? -1 : 0;
	case TAG_PUSH:
		if (bpf_xdp_adjust_head(ctx, -VLAN_HLEN))
			return -1;	/* no headroom: userspace has its own */
		if (xdp_move_macs(ctx, -VLAN_HLEN))
			return -1;
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		if (data + ETH_HLEN + VLAN_HLEN > end)
			return -1;
		*(__u16 *)(data + MACS_LEN) = bpf_htons(ETH_P_8021Q);
		*(__u16 *)(data + ETH_HLEN) = bpf_htons(d->tci);
		return 0;
	case TAG_REWRITE:
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		if (data + ETH_HLEN + VLAN_HLEN > end)
			return -1;
		*(__u16 *)(data + ETH_HLEN) = bpf_htons(d->tci);
		return 0;
	}
	return 0;
}

/* To userspace: the input port's AF_XDP socket on this queue, else the stack. */
static __always_inline int xdp_up(struct xdp_md *ctx, __u32 port)
{
	__u32 q = ctx->rx_queue_index;

	if (port >= WR_BPF_PORT_MAX || q >= WR_BPF_QUEUE_MAX)
		return XDP_PASS;
	return bpf_redirect_map(&wr_xsks, wr_bpf_xsk_key(port, q), XDP_PASS);
}

SEC("xdp")
int wr_xdp_switch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct frame f = { .len = end - data, .pkts = 1 };
	struct decision d = { .in = input_port(ctx->ingress_ifindex) };
	const struct wr_bpf_port *in = port_conf(d.in);
	int act;

	if (in && (in->flags & WR_BPF_PORT_F_UNDERLAY))
		act = underlay(data, end, in);	/* before the switch's checks: ARP is the stack's */
	else
		act = parse(data, end, &f, META_NONE);
	if (!act) {
		if (d.in == WR_BPF_PORT_NONE)
			act = UP(NO_PORT);
		else
			act = wr_decide(in, data, &f, &d);	/* parse() checked the header */
	}
	if (act == ACT_FWD) {
		/*
		 * The target first: a port missing from wr_devmap sends the
		 * frame up as it came. The redirect itself happens after the
		 * program returns, with the frame as the edit leaves it.
		 */
		if (bpf_redirect_map(&wr_devmap, d.out, 0) != XDP_REDIRECT)
			act = UP(OUT_OFF);
		else if (xdp_edit_tag(ctx, &d))
			act = UP(NO_ROOM);
	}
	account(act, &f, &d);
	switch (act & ACT_MASK) {
	case ACT_FWD:
		return XDP_REDIRECT;
	case ACT_UP:
		return xdp_up(ctx, d.in);
	case ACT_KERNEL:
		return XDP_PASS;
	}
	return XDP_DROP;
}

/* -------------------------------------------------------------------- TC */

/* The bytes parse() may read, in the linear part of the skb. */
#define TC_PULL_LEN	(ETH_HLEN + 2 * VLAN_HLEN)

/*
 * The outer tag as @d says; 0, or -1 when the frame is left as it was (the
 * helpers fail before they change anything: no memory to unclone).
 */
static __always_inline int tc_edit_tag(struct __sk_buff *skb, const struct decision *d)
{
	__u16 tci;

	switch (d->op) {
	case TAG_POP:
		/* The metadata tag, or the one in the data. */
		return bpf_skb_vlan_pop(skb) ? -1 : 0;
	case TAG_PUSH:
		/* Into metadata: the device, or the stack for it, writes it out. */
		return bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), d->tci) ? -1 : 0;
	case TAG_REWRITE:
		if (skb->vlan_present) {
			/* Neither can fail: no tag moves into the data. */
			if (bpf_skb_vlan_pop(skb))
				return -1;
			return bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), d->tci) ? -1 : 0;
		}
		tci = bpf_htons(d->tci);
		return bpf_skb_store_bytes(skb, ETH_HLEN, &tci, sizeof(tci), 0) ? -1 : 0;
	}
	return 0;
}

/* To userspace: the port's TAP, else on to the stack. */
static __always_inline int tc_up(__u32 port)
{
	const struct wr_bpf_port *p = bpf_map_lookup_elem(&wr_ports, &port);

	if (p && p->up_ifindex)
		return bpf_redirect(p->up_ifindex, 0);
	return TC_ACT_OK;
}

SEC("tc")
int wr_tc_switch(struct __sk_buff *skb)
{
	struct frame f = { .len = skb->len, .pkts = skb->gso_segs ? skb->gso_segs : 1, .tc = 1 };
	struct decision d = { .in = input_port(skb->ifindex) };
	enum meta_tag meta = META_NONE;
	void *data, *end;
	int act;

	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + TC_PULL_LEN > end) {
		/* Headers in a fragment would read as a runt: bring them in. */
		bpf_skb_pull_data(skb, skb->len < TC_PULL_LEN ? skb->len : TC_PULL_LEN);
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
	}
	f.gso = skb->gso_size != 0;
	if (skb->vlan_present) {
		/* The stack moved the outer tag out of the data before tc ingress. */
		meta = skb->vlan_proto == bpf_htons(ETH_P_8021Q) ? META_8021Q : META_OTHER;
		f.tagged = 1;
		f.tci = skb->vlan_tci;
		f.len += VLAN_HLEN;
	}
	act = parse(data, end, &f, meta);
	if (!act) {
		if (d.in == WR_BPF_PORT_NONE)
			act = UP(NO_PORT);
		else
			act = wr_decide(port_conf(d.in), data, &f, &d);
	}
	if (act == ACT_FWD && tc_edit_tag(skb, &d))
		act = UP(NO_ROOM);
	account(act, &f, &d);
	switch (act & ACT_MASK) {
	case ACT_FWD:
		if (d.out_flags & WR_BPF_PORT_F_PEER)
			return bpf_redirect_peer(d.out_ifindex, 0);
		return bpf_redirect(d.out_ifindex, 0);
	case ACT_UP:
		return tc_up(d.in);
	}
	return TC_ACT_SHOT;
}

/* At tcx ingress of port wr_in_port's TAP: what warrend sends leaves by the port's device. */
SEC("tc")
int wr_tc_to_port(struct __sk_buff *skb)
{
	__u32 key = wr_in_port;
	const struct wr_bpf_port *p = bpf_map_lookup_elem(&wr_ports, &key);

	(void)skb;
	if (!p || !p->ifindex)
		return TC_ACT_SHOT;	/* the port is going: warrend counted the frame sent */
	return bpf_redirect(p->ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
