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
 * A tunnel's underlay port (WR_BPF_PORT_F_UNDERLAY, XDP or TC) is no switch
 * port: underlay() picks its tunnel frames, which are decapsulated or go
 * up, and leaves the rest to the device's stack (ACT_KERNEL: XDP_PASS,
 * TC_ACT_OK), before any check of the switch's.
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WR_BPF_STEER_MAX);
	__type(key, __u64);
	__type(value, struct wr_bpf_steer);
} wr_steer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} wr_steer_kinds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WR_BPF_STEER_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_steer_stats);
} wr_steer_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WR_BPF_CHAIN_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_chain);
} wr_chains SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WR_BPF_PORT_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_chain_port);
} wr_chain_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WR_BPF_CHAIN_STATS_MAX);
	__type(key, __u32);
	__type(value, struct wr_bpf_chain_stats);
} wr_chain_stats SEC(".maps");


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
	__u32 vni;		/* a frame off a tunnel: the VNI it came in */
};

/* What wr_decide() found: the ports, and for a forward the tag edit. */
struct decision {
	__u32 in;		/* input port index, WR_BPF_PORT_NONE if none */
	__u32 out;		/* output port index (forward) */
	__u32 out_ifindex;	/* the output device (forward) */
	__u8 out_flags;		/* its WR_BPF_PORT_F_* (forward) */
	__u32 out_len;		/* bytes on the wire after the tag edit (forward) */
	__u16 bd;		/* the frame's bridge domain (forward) */
	__u16 tci;		/* TAG_PUSH / TAG_REWRITE: the new TCI */
	__u8 op;		/* enum tag_op */
	__u32 rule;		/* a steering rule's id + 1 decided (0: none), and the bytes it counts */
	__u32 rule_len;
	__u8 chained;		/* a chain decided: its note (chain_note()) says how */
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

#define KIND(k)	(1u << WR_BPF_STEER_##k)

/* The steering rule of (@kind, @value), when the table has that kind, or NULL. */
static __always_inline struct wr_bpf_steer *steer_get(__u32 kinds, __u32 kind, __u64 value)
{
	__u64 key = wr_bpf_steer_key(kind, value);

	return kinds & (1u << kind) ? bpf_map_lookup_elem(&wr_steer, &key) : NULL;
}

/*
 * The steering rule that matches a unicast frame (dataplane/steer_priv.h's
 * steer_match()), or NULL: its destination MAC, its VLAN, its VNI. A frame
 * off a tunnel has no VLAN here (warrend gives it its domain's): with
 * VLAN rules about, *@up says it goes up to be matched there.
 */
static __always_inline struct wr_bpf_steer *steer_match(const struct ethhdr *eth, int vlan,
						      const struct frame *f, __u16 tun_bd, int *up)
{
	struct wr_bpf_steer *s;
	__u32 zero = 0, *kinds = bpf_map_lookup_elem(&wr_steer_kinds, &zero);
	const __u8 *m = eth->h_dest;

	if (!kinds || !*kinds)
		return NULL;
	s = steer_get(*kinds, WR_BPF_STEER_MAC, (__u64)m[0] << 40 | (__u64)m[1] << 32 |
		      (__u64)m[2] << 24 | (__u64)m[3] << 16 | (__u64)m[4] << 8 | m[5]);
	if (s)
		return s;
	if (tun_bd && (*kinds & KIND(VLAN))) {
		*up = 1;
		return NULL;
	}
	if (vlan > 0 && (s = steer_get(*kinds, WR_BPF_STEER_VLAN, (__u64)vlan)))
		return s;
	return tun_bd ? steer_get(*kinds, WR_BPF_STEER_VNI, f->vni) : NULL;
}

/* ---------------------------------------------------------------- chains */

/* A frame's classifier key, as stage_chain.c's frame_keys() makes it. */
struct chain_key {
	__u64 w0, smac, dmac, sip[2], dip[2];
	__u16 sport, dport;
};

/*
 * What a chain made of the frame at hand (struct decision's chained),
 * counted by account() if the frame stays in the kernel: off the stack,
 * which the switch's decisions fill.
 */
struct chain_note {
	struct chain_key k;
	__u16 id;		/* the chain */
	__u8 dir;		/* 0 forward, 1 reverse */
	__u8 from;		/* back from hop from - 1; 0: taken by the classifier */
	struct wr_bpf_chain_step ch;	/* where it goes */
	__u16 bd;		/* chain_find()'s: the frame's bridge domain */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct chain_note);
} wr_chain_note SEC(".maps");

static __always_inline struct chain_note *chain_note(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&wr_chain_note, &zero);
}

static __always_inline __u64 mac48(const __u8 *m)
{
	return (__u64)m[0] << 40 | (__u64)m[1] << 32 | (__u64)m[2] << 24 | (__u64)m[3] << 16 |
	       (__u64)m[4] << 8 | m[5];
}

static __always_inline __u64 be64_at(const __u8 *b)
{
	return (__u64)bpf_ntohl(*(__u32 *)b) << 32 | bpf_ntohl(*(__u32 *)(b + 4));
}

/*
 * TCP or UDP at @l4 (@len bytes of L4 by the IP header): its ports into
 * @k, as stage_parse.c's parse_l4() finds a whole header; -1 when it would
 * not (the frame goes up, userspace judges it); 0 for other protocols.
 */
static __always_inline int chain_l4(void *l4, void *end, __u8 proto, __u32 len,
				    struct chain_key *k)
{
	__u8 *b = l4;

	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return 0;
	if (proto == IPPROTO_UDP) {
		if (b + 8 > (__u8 *)end)
			return -1;
		if (bpf_ntohs(*(__u16 *)(b + 4)) < 8 || bpf_ntohs(*(__u16 *)(b + 4)) > len)
			return -1;
	} else {
		if (b + 20 > (__u8 *)end)
			return -1;
		if ((b[12] >> 4) < 5 || (__u32)(b[12] >> 4) * 4 > len)
			return -1;
	}
	k->w0 |= WR_BPF_CHAIN_W0_L4;
	k->sport = bpf_ntohs(*(__u16 *)b);
	k->dport = bpf_ntohs(*(__u16 *)(b + 2));
	return 0;
}

/*
 * The key of the untagged frame @eth (to @end) from port @port of VLAN
 * @vlan; -1: one the kernel leaves to userspace (a fragment, IPv4 options
 * cut short, an IPv6 extension header, a cut L4 header).
 */
static __always_inline int chain_frame_key(const struct ethhdr *eth, void *end, __u32 port,
					   int vlan, struct chain_key *k)
{
	void *l3 = (void *)(eth + 1);

	k->w0 = (__u64)(vlan & 0xffff) << 32 | (__u64)(port & 0xffff) << 48;
	k->smac = mac48(eth->h_source);
	k->dmac = mac48(eth->h_dest);
	k->sip[0] = k->sip[1] = k->dip[0] = k->dip[1] = 0;
	k->sport = k->dport = 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		__u32 hl, tot;

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return -1;
		hl = ip->ihl * 4;
		tot = bpf_ntohs(ip->tot_len);
		if (tot < hl || (ip->frag_off & bpf_htons(0x3fff)))
			return -1;
		k->w0 |= WR_BPF_CHAIN_W0_L3 | (__u64)ip->protocol << 8 | 4;
		k->sip[0] = (__u64)bpf_ntohl(ip->saddr) << 32;
		k->dip[0] = (__u64)bpf_ntohl(ip->daddr) << 32;
		hl &= 0x3c;
		return chain_l4(l3 + hl, end, ip->protocol, tot - hl, k);
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		__u8 nh;

		if ((void *)(ip6 + 1) > end)
			return -1;
		nh = ip6->nexthdr;
		/* Extension headers (hop-by-hop, routing, fragment, ESP, AH, options, ...): userspace's. */
		if (nh == 0 || nh == 43 || nh == 44 || nh == 50 || nh == 51 || nh == 60 ||
		    nh == 135 || nh == 139 || nh == 140 || nh == 253 || nh == 254)
			return -1;
		k->w0 |= WR_BPF_CHAIN_W0_L3 | (__u64)nh << 8 | 6;
		k->sip[0] = be64_at((__u8 *)&ip6->saddr);
		k->sip[1] = be64_at((__u8 *)&ip6->saddr + 8);
		k->dip[0] = be64_at((__u8 *)&ip6->daddr);
		k->dip[1] = be64_at((__u8 *)&ip6->daddr + 8);
		return chain_l4(ip6 + 1, end, nh, bpf_ntohs(ip6->payload_len), k);
	}
	return 0;
}

/*
 * Whether classifier @c takes key @k (stage_chain.c's chain_match()), or
 * (@rev) @k with sources and destinations swapped and no input port: the
 * reverse key, read in place. Field by field, out at the first miss: it
 * runs in chain_find() only, which the verifier checks once, and few
 * values live at a time keep that function's stack small (the entry
 * point's and its together must fit 512 bytes).
 */
static __always_inline int chain_match(const struct wr_bpf_chain_cls *c, const struct chain_key *k,
				       int rev)
{
	if (((rev ? k->w0 | 0xffffull << 48 : k->w0) ^ c->w0) & c->m0)
		return 0;
	if (((rev ? k->dmac : k->smac) ^ c->smac) & c->msmac)
		return 0;
	if (((rev ? k->smac : k->dmac) ^ c->dmac) & c->mdmac)
		return 0;
	if ((__u16)((rev ? k->dport : k->sport) - c->sp_lo) > c->sp_span)
		return 0;
	if ((__u16)((rev ? k->sport : k->dport) - c->dp_lo) > c->dp_span)
		return 0;
	for (int h = 0; h < 2; h++) {
		if (((rev ? k->dip[h] : k->sip[h]) ^ c->sip[h]) & c->msip[h])
			return 0;
		if (((rev ? k->sip[h] : k->dip[h]) ^ c->dip[h]) & c->mdip[h])
			return 0;
	}
	return 1;
}

/* A frame that takes chain step @st (chain @id, direction @dir; back from hop @from - 1) into @d. */
static __always_inline int chain_go(const struct wr_bpf_chain_step *st, __u16 id, __u8 dir,
				    __u8 from, struct chain_note *n, struct decision *d)
{
	n->id = id;
	n->dir = dir;
	n->from = from;
	n->ch = *st;
	d->chained = 1;
	if (st->port == WR_BPF_CHAIN_DROP)
		return DROP(CHAIN_HOP_DOWN);
	d->out = st->port;		/* WR_BPF_CHAIN_BRIDGE: the caller bridges it */
	return ACT_FWD;
}

#define CHAIN_NONE	(-1)	/* chain_classify(): no chain takes it */

/*
 * The first chain of domain @n->bd that takes key @n->k, forward or (with
 * sources and destinations swapped) reverse: its index in wr_chains, the
 * way in @n->dir; -1 if none. A global function: the verifier checks it
 * once, on its own, and its callers see a number it returns, whichever
 * chain it found (a loop over 64 chains inline would be checked through
 * for each).
 */
__noinline int chain_find(struct chain_note *n)
{
	if (!n)
		return -1;
	for (__u32 i = 0; i < WR_BPF_CHAIN_MAX; i++) {
		__u32 key = i;
		const struct wr_bpf_chain *c = bpf_map_lookup_elem(&wr_chains, &key);

		if (!c || !c->bd)
			break;
		if (c->bd != n->bd)
			continue;
		if (chain_match(&c->cls, &n->k, 0)) {
			n->dir = 0;
			return (int)i;
		}
		if (chain_match(&c->cls, &n->k, 1)) {
			n->dir = 1;
			return (int)i;
		}
	}
	return -1;
}

/*
 * The chains of bridge domain @bd asked for the untagged frame @eth from
 * ordinary port @port of VLAN @vlan, in their order: chain_go() for the
 * first that takes it, CHAIN_NONE, or UP(CHAIN).
 */
static __always_inline int chain_classify(const struct ethhdr *eth, void *end, __u32 port,
					  int vlan, __u16 bd, struct chain_note *n,
					  struct decision *d)
{
	const struct wr_bpf_chain *c;
	__u32 key, dir;
	int i;

	if (chain_frame_key(eth, end, port, vlan, &n->k))
		return UP(CHAIN);
	n->bd = bd;
	i = chain_find(n);
	key = (__u32)i;
	if (i < 0 || !(c = bpf_map_lookup_elem(&wr_chains, &key)))
		return CHAIN_NONE;
	dir = n->dir & 1;
	return chain_go(&c->start[dir], c->id, dir, 0, n, d);
}

/* A router's own ARP and ND (stage_chain.c's chain_l3_own()): userspace bridges them. */
static __always_inline int l3_own(const struct ethhdr *eth, void *end)
{
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	__u8 *icmp = (__u8 *)(ip6 + 1);

	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return 1;
	if (icmp + 1 > (__u8 *)end)
		return 1;	/* cut short: userspace judges it */
	return ip6->nexthdr == 58 && *icmp >= 133 && *icmp <= 137;
}

/*
 * The switch's decision for a parsed frame from port @d->in, configured as
 * @in (NULL: none), whose Ethernet header @eth lies within the packet: ACT_FWD with @d filled, or
 * UP()/DROP() with the reason, in the order the userspace pipeline meets
 * them (parse, VLAN and bridge domain, source, destination, egress VLAN,
 * length). @tun_bd: 0, or the bridge domain of a frame decapsulated from
 * VTEP @d->in (its VNI's, VLAN 0, as the userspace bridge takes it).
 */
static __always_inline int wr_decide(const struct wr_bpf_port *in, const struct ethhdr *eth,
				     void *end, const struct frame *f, struct decision *d,
				     __u16 tun_bd)
{
	const struct wr_bpf_chain_port *hp;
	struct chain_note *n = NULL;
	const struct wr_bpf_port *out;
	struct wr_bpf_fdb_val *src, *dst;
	struct wr_bpf_steer *rule = NULL;	/* a chain decides before steering is asked */
	__u32 key, *kinds;
	__u16 bd, *vbd;
	int vlan, up = 0, act;
	int chain;

	if (!in || !in->ifindex)
		return UP(NO_PORT);
	if (!(in->flags & WR_BPF_PORT_F_FASTPATH))
		return UP(FASTPATH_OFF);
	/* A trace, a mirror or a capture: warrend sees what the port receives. */
	if (in->flags & WR_BPF_PORT_F_WATCH)
		return UP(WATCH);
	chain = in->flags & WR_BPF_PORT_F_CHAIN;
	/* A frame off a tunnel into a domain with chains: warrend classifies it. */
	if (chain && tun_bd)
		return UP(CHAIN);
	key = d->in;
	if (chain && !(n = chain_note()))
		return UP(CHAIN);
	hp = chain ? bpf_map_lookup_elem(&wr_chain_ports, &key) : NULL;
	if (hp && hp->bd && n) {
		/* Back from a hop: where the chain goes next, its headers unread. */
		if (f->tagged || (hp->l3 && l3_own(eth, end)))
			return UP(CHAIN);	/* a router's ARP and ND are bridged by warrend */
		act = chain_go(&hp->next, hp->id, hp->dir, hp->hop + 1, n, d);
		if (act != ACT_FWD)
			return act;
		vlan = 0;
		bd = hp->bd;
		if (d->out == WR_BPF_CHAIN_BRIDGE) {
			/* Past the last hop: the FDB's port, the source not learned; else warrend. */
			key = 0;
			kinds = bpf_map_lookup_elem(&wr_steer_kinds, &key);
			if ((eth->h_dest[0] & 1) || (kinds && *kinds))
				return UP(CHAIN);
			dst = fdb_lookup(bd, eth->h_dest);
			if (!dst || dst->port == d->in)
				return UP(CHAIN);
			d->out = dst->port;
		}
		goto out_port;
	}

	vlan = tun_bd ? 0 : classify(in, f);
	if (vlan < 0)
		return DROP(VLAN_NOT_ALLOWED);
	if (tun_bd) {
		bd = tun_bd;
	} else if (in->vlan_mode == WR_BPF_VLAN_NONE) {
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
	/* A domain with chains: asked before steering; what none takes is bridged as any. */
	if (chain && n) {
		if (f->tagged)
			return UP(CHAIN);	/* into a hop untagged: warrend pops the tag */
		act = chain_classify(eth, end, d->in, vlan, bd, n, d);
		if (act != CHAIN_NONE && (act != ACT_FWD || d->out != WR_BPF_CHAIN_BRIDGE))
			goto chained;
	}
	/* A steering rule over the FDB, whatever it knows. */
	rule = steer_match(eth, vlan, f, tun_bd, &up);
	if (up)
		return UP(TUN_VLAN);
	if (rule) {
		d->rule = rule->id + 1;
		d->rule_len = f->len;
		if (rule->port == d->in)
			return DROP(STEER_SAME_PORT);
		d->out = rule->port;	/* WR_BPF_STEER_NO_PORT: no port, up (OUT_OFF) */
	} else {
		dst = fdb_lookup(bd, eth->h_dest);
		if (!dst)
			return UP(DST_UNKNOWN);
		if (dst->port == d->in)
			return DROP(SAME_PORT);
		d->out = dst->port;
	}
	goto out_port;
chained:
	if (act != ACT_FWD)
		return act;
out_port:
	key = d->out;
	out = bpf_map_lookup_elem(&wr_ports, &key);
	if (!out || !out->ifindex || !(out->flags & WR_BPF_PORT_F_FASTPATH))
		return UP(OUT_OFF);	/* userspace sends it, or counts it down */
	if (out->flags & WR_BPF_PORT_F_CHAIN) {
		/* From a port of no chain's domain (a steering rule's); or to a hop port by the FDB. */
		if (!chain)
			return UP(CHAIN);
		hp = bpf_map_lookup_elem(&wr_chain_ports, &key);
		if (!n || (hp && hp->bd && !(d->chained && n->ch.port == d->out)))
			return UP(CHAIN);
		/* Out of a hop into the domain: its VLAN is warrend's to give. */
		if (d->chained && n->from && out->vlan_mode != WR_BPF_VLAN_NONE)
			return UP(CHAIN);
	}
	if (out->flags & WR_BPF_PORT_F_WATCH)
		return UP(WATCH);	/* warrend copies what the port sends */
	/*
	 * A frame crosses a tunnel untagged and comes out in its domain's
	 * VLAN (docs/overlays.md): warrend pops the tag, and knows the VLAN.
	 */
	if ((tun_bd && out->vlan_mode != WR_BPF_VLAN_NONE) ||
	    ((out->flags & WR_BPF_PORT_F_VTEP) && f->tagged))
		return UP(TUN_VLAN);
	if (out->flags & WR_BPF_PORT_F_VTEP) {
		/* Split horizon: what came off a tunnel never goes back into one. */
		if (in->flags & WR_BPF_PORT_F_VTEP)
			return DROP(SAME_PORT);
	} else if (f->tc && out->netns_id != in->netns_id) {
		/* A VTEP's underlay is checked by tc_encap(). */
		return UP(OTHER_NETNS);	/* its ifindex names nothing, or another device, here */
	}
	/* A rule's port without VLANs takes frames of its own domain only (steer_priv.h). */
	if (rule && out->vlan_mode == WR_BPF_VLAN_NONE && out->bd != bd)
		return DROP(STEER_OTHER_BD);
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
	d->bd = bd;
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
 * it as cut short (tunnels do not fragment, issue 15). *@tagged: whether
 * the frame had the tag (xdp_decap() leaves such frames to warrend).
 */
static __always_inline int underlay(void *data, void *end, const struct wr_bpf_port *c,
				    __u8 *tagged)
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
		*tagged = 1;
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

static __always_inline struct wr_bpf_chain_stats *chain_stats(__u32 id, __u32 hop, __u32 dir)
{
	__u32 key = wr_bpf_chain_stats_key(id, hop & (WR_BPF_CHAIN_HOPS - 1), dir & 1);

	return bpf_map_lookup_elem(&wr_chain_stats, &key);
}

/* A chain's frame that stayed in the kernel, counted as a worker counts it (stage_chain.c). */
static __always_inline void chain_account(__u32 pkts)
{
	const struct chain_note *n = chain_note();
	struct wr_bpf_chain_stats *cs;
	__u32 id;

	if (!n || (id = n->id) >= WR_BPF_CHAIN_MAX)
		return;
	cs = chain_stats(id, n->from ? n->from - 1 : 0, n->dir);
	if (cs && n->from)
		cs->back += pkts;
	else if (cs)
		cs->matched += pkts;
	for (__u32 j = 0; j < WR_BPF_CHAIN_HOPS; j++)
		if ((n->ch.bypassed >> j) & 1 && (cs = chain_stats(id, j, n->dir)))
			cs->bypassed += pkts;
	if (n->ch.port == WR_BPF_CHAIN_BRIDGE)
		return;
	cs = chain_stats(id, n->ch.hop, n->dir);
	if (cs && n->ch.port == WR_BPF_CHAIN_DROP)
		cs->dropped += pkts;
	else if (cs)
		cs->into += pkts;
}

/* Into a router hop: the MAC its frame takes as destination, or NULL. */
static __always_inline const __u8 *chain_mac(const struct decision *d)
{
	const struct chain_note *n = d->chained ? chain_note() : NULL;

	return n && n->ch.l3 && n->ch.port == d->out ? n->ch.mac : NULL;
}

/* Count @act for a frame @f of port @d->in (and @d->out when forwarded). */
static __always_inline void account(int act, const struct frame *f, const struct decision *d)
{
	struct wr_bpf_port_stats *ps = NULL;
	struct wr_bpf_steer_stats *ss;
	struct wr_bpf_stats *st;
	__u32 key = d->rule - 1;

	if (d->chained && (act & ACT_MASK) != ACT_UP)
		chain_account(f->pkts);

	/* A rule's frame that went up is warrend's to count. */
	if (d->rule && (act & ACT_MASK) != ACT_UP &&
	    (ss = bpf_map_lookup_elem(&wr_steer_stats, &key))) {
		ss->pkts += f->pkts;
		ss->bytes += d->rule_len;
	}
	key = d->in;

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

/* --------------------------------------------------------------- tunnels */

/*
 * Known unicast to and from a tunnel's remote VTEPs (docs/overlays.md,
 * The kernel fast path; TC encapsulates too, tc_encap()). Encap puts the (VTEP, bridge
 * domain) header warrend built (wr_tun_hdrs) in front of the frame and
 * writes what dataplane/overlay.c's wr_tun_encap() writes, the same bytes
 * but for the UDP source port and IPv6 flow label: they come from this
 * program's flow hash (flow_hash()), not warrend's, so one flow may leave
 * with another source port when warrend sends it than when the kernel
 * does. Decap takes only the plainest frames: no outer tag, IPv4 without
 * options or fragments, IPv6 without extension headers, no padding after
 * the datagram, no Geneve option (warrend counts them), a known VNI and
 * VTEP, a UDP checksum that is zero (IPv4 only) or right. Every other one
 * goes up whole (UP(TUNNEL)): warrend's decap judges, counts and learns.
 */

#define CSUM_CHUNK	256	/* bytes bpf_csum_diff() sums in place; the tail's buffer */
#define CSUM_CHUNKS	16	/* 4 KB: more than a frame XDP sees (one page) */
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define UDP_HLEN	8
#define TUN_HLEN	8	/* VXLAN; Geneve without options */
#define VXLAN_F_I	0x08	/* the VNI is valid */
#define GENEVE_F_O	0x80	/* control frame */
#define GENEVE_ETH	0x6558	/* Geneve protocol: Ethernet */

/* A 64-bit one's complement sum folded into 16 bits, as overlay.c's csum_fold(). */
static __always_inline __u16 csum_fold(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

/*
 * The one's complement sum of the frame's bytes from offset @off (even) to
 * its end, as they lie in memory (overlay.c's csum_bytes()), into *@sum,
 * unfolded: whole chunks in place, the rest (under a chunk) copied to the
 * stack with its last word padded with zeros (bpf_csum_diff() sums whole
 * words). Not a walk of halves in place: each way through one would be a
 * state of its own for the verifier, a thousand per call. @ctx is an
 * xdp_md, or (@tc) an __sk_buff whose bytes are all in its linear part. 0,
 * or -1 for a frame longer than any XDP sees, or not linear.
 */
static __always_inline int csum_to_end(void *ctx, __u32 off, __u64 *sum, const int tc)
{
	struct __sk_buff *skb = ctx;
	struct xdp_md *xdp = ctx;
	void *p, *end;
	__u8 tail[CSUM_CHUNK + 4];	/* the verifier bounds the rounded-up length by 258 */
	__u64 s = 0;
	__u32 n;

	if (tc) {
		p = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		if ((long)end - (long)p != skb->len)
			return -1;
	} else {
		p = (void *)(long)xdp->data;
		end = (void *)(long)xdp->data_end;
	}
	p += off;
	for (int i = 0; i < CSUM_CHUNKS; i++) {
		if (p + CSUM_CHUNK > end)
			break;
		s += (__u32)bpf_csum_diff(NULL, 0, p, CSUM_CHUNK, 0);
		p += CSUM_CHUNK;
		off += CSUM_CHUNK;
	}
	n = (long)end - (long)p;
	if (n >= CSUM_CHUNK)
		return -1;
	barrier_var(n);
	n &= CSUM_CHUNK - 1;	/* what the test said, for the verifier (as in vlan_allowed()) */
	if (n) {
		*(__u32 *)(tail + (n & ~3u)) = 0;
		if (tc ? bpf_skb_load_bytes(skb, off, tail, n) : bpf_xdp_load_bytes(xdp, off, tail, n))
			return -1;
		s += (__u32)bpf_csum_diff(NULL, 0, (__be32 *)tail, (n + 3) & ~3u, 0);
	}
	*sum = s;
	return 0;
}

static __always_inline __u64 hash_mix(__u64 h, __u64 w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

#define HASH_SEED	0x77617272656e2121ull

/*
 * The flow of the frame from @data to @end, for its tunnel's UDP source
 * port (RSS and ECMP spread by it): an untagged IPv4 (no options, not a
 * fragment) or IPv6 packet by its addresses, protocol and TCP/UDP ports;
 * any other frame by its MACs and type.
 */
static __always_inline __u32 flow_hash(void *data, void *end)
{
	struct ethhdr *eth = data;
	__u64 h = HASH_SEED;
	__u32 ports = 0;

	if ((void *)(eth + 1) > end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) <= end && ip->ihl == 5 && !(ip->frag_off & bpf_htons(0x3fff))) {
			if ((ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) &&
			    (void *)(ip + 1) + 4 <= end)
				ports = *(__u32 *)(ip + 1);
			h = hash_mix(h, (__u64)ip->saddr << 32 | ip->daddr);
			return hash_mix(h, (__u64)ports << 8 | ip->protocol) >> 32;
		}
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) <= end) {
			const __u64 *a = (const __u64 *)&ip6->saddr;	/* and daddr */

			if ((ip6->nexthdr == IPPROTO_TCP || ip6->nexthdr == IPPROTO_UDP) &&
			    (void *)(ip6 + 1) + 4 <= end)
				ports = *(__u32 *)(ip6 + 1);
			h = hash_mix(hash_mix(h, a[0]), a[1]);
			h = hash_mix(hash_mix(h, a[2]), a[3]);
			return hash_mix(h, (__u64)ports << 8 | ip6->nexthdr) >> 32;
		}
	}
	h = hash_mix(h, *(__u64 *)eth);		/* the destination, the source's first two bytes */
	return hash_mix(h, (__u64)*(__u32 *)(eth->h_source + 2) << 16 | eth->h_proto) >> 32;
}

/*
 * The header of VTEP @d->out in bridge domain @d->bd, if there is one and
 * it is what overlay.c builds: 50 or 70 bytes (l4_off 34 or 54), Geneve
 * options in words. NULL: none (no next hop yet: warrend counts the drop).
 */
static __always_inline const struct wr_bpf_tun_hdr *tun_hdr(const struct decision *d)
{
	struct wr_bpf_tun_hdr_key k = { .vtep = d->out, .bd = d->bd };
	const struct wr_bpf_tun_hdr *h = bpf_map_lookup_elem(&wr_tun_hdrs, &k);
	__u32 l4;

	if (!h)
		return NULL;
	l4 = ETH_HLEN + (h->flags & WR_BPF_TUN_F_IPV6 ? IPV6_HLEN : IPV4_HLEN);
	if (h->l4_off != l4 || h->len < l4 + UDP_HLEN + TUN_HLEN || h->len > WR_BPF_TUN_HDR_LEN ||
	    (h->len & 3) != 2)
		return NULL;
	return h;
}

/* The UDP source port of a frame of flow hash @hash through @h, host order. */
static __always_inline __u16 tun_sport(const struct wr_bpf_tun_hdr *h, __u32 hash)
{
	return h->sport_min + (__u16)(((__u64)hash * h->sport_span) >> 32);
}

/* RFC 1624 from the template's IPv4 checksum @hc (of length 0): ~(~HC + length @tot). */
static __always_inline __u16 ip4_check(__u16 hc, __be16 tot)
{
	return (__u16)~csum_fold((__u64)(__u16)~hc + tot);
}

/*
 * Known unicast for VTEP @d->out in bridge domain @d->bd: the frame of
 * @f->len bytes (as it came: a VTEP keeps a frame's tag) behind its
 * header, out of the header's underlay, as wr_tun_encap() would.
 * ACT_FWD with @d->out the underlay and @d->out_len the bytes sent;
 * UP(OUT_OFF) without a header (no next hop yet: warrend counts the drop)
 * or without the underlay in wr_devmap, UP(NO_ROOM) without headroom;
 * DROP(TUN_TOO_BIG) for an outer packet over the underlay's MTU. The
 * frame is left as it came unless ACT_FWD.
 */
static __always_inline int xdp_encap(struct xdp_md *ctx, const struct frame *f,
				     struct decision *d)
{
	const struct wr_bpf_tun_hdr *h = tun_hdr(d);
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 hl, ulen, hash, l4;
	struct udphdr *udp;
	__u16 sport;
	__u64 sum = 0;
	int ipv6;

	if (!h)
		return UP(OUT_OFF);
	hl = h->len;
	ipv6 = h->flags & WR_BPF_TUN_F_IPV6;
	l4 = h->l4_off;
	if (hl - ETH_HLEN + f->len > h->mtu)
		return DROP(TUN_TOO_BIG);
	hash = flow_hash(data, end);
	if ((h->flags & WR_BPF_TUN_F_UDP_CSUM) && csum_to_end(ctx, 0, &sum, 0))
		return UP(OUT_OFF);
	if (bpf_redirect_map(&wr_devmap, h->underlay, 0) != XDP_REDIRECT)
		return UP(OUT_OFF);
	if (bpf_xdp_adjust_head(ctx, -(int)hl))
		return UP(NO_ROOM);	/* warrend's drivers leave 128 bytes */

	/*
	 * The header: 2 bytes, then words (len % 4 == 2 puts the IP header
	 * on a word). The checks below cannot fail (the frame is hl bytes
	 * longer than it was); they are the verifier's.
	 */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + 2 > end)
		return DROP(TUN_NO_HEADROOM);
	*(__u16 *)data = *(const __u16 *)h->bytes;
	for (__u32 i = 2; i + 4 <= WR_BPF_TUN_HDR_LEN; i += 4) {
		if (i >= hl)
			break;
		if (data + i + 4 > end)
			return DROP(TUN_NO_HEADROOM);
		*(__u32 *)(data + i) = *(const __u32 *)(h->bytes + i);
	}
	ulen = hl - l4 + f->len;
	if (ipv6) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;

		udp = (void *)(ip6 + 1);
		if ((void *)(udp + 1) > end)
			return DROP(TUN_NO_HEADROOM);
		ip6->payload_len = bpf_htons(ulen);
		if (h->flags & WR_BPF_TUN_F_FLOW_LABEL)
			*(__be32 *)ip6 = bpf_htonl(0x60000000 | (hash & 0xfffff));
	} else {
		struct iphdr *ip = data + ETH_HLEN;
		__u16 tot = bpf_htons(ulen + IPV4_HLEN);

		udp = (void *)(ip + 1);
		if ((void *)(udp + 1) > end)
			return DROP(TUN_NO_HEADROOM);
		ip->tot_len = tot;
		ip->check = ip4_check(ip->check, tot);
	}
	sport = tun_sport(h, hash);
	udp->source = bpf_htons(sport);
	udp->len = bpf_htons(ulen);
	if (h->flags & WR_BPF_TUN_F_UDP_CSUM) {
		/* The pseudo-header's length and the UDP header's: the same number twice. */
		__u16 c = ~csum_fold(sum + h->udp_sum + 2 * (__u64)bpf_htons(ulen) +
				     bpf_htons(sport));

		udp->check = c ? c : 0xffff;	/* RFC 768: 0 means none */
	}
	d->out = h->underlay;
	d->out_len = f->len + hl;
	return ACT_FWD;
}

/*
 * The outer IP and UDP headers of a tunnel frame of @len bytes on an
 * underlay configured as @c, untagged, in @ctx (an xdp_md, or with @tc an
 * __sk_buff whose headers are in its linear part): 0 when they are plain
 * and right (the file comment above), with the outer source into @tk;
 * else UP(TUNNEL). A GSO frame (@gso: TC's, a local sender's, whole: it
 * crossed no wire) has its lengths and UDP checksum written per segment
 * when it is cut: they are not checked. TC makes a frame whose UDP
 * checksum it sums linear first. The checksum's bounds checks leave a
 * different packet range for each frame length on every pointer they
 * derive from: the caller reads the packet again afresh, so that the
 * verifier's states after this do not differ by them.
 */
static __always_inline int decap_outer(void *ctx, const struct wr_bpf_port *c,
				       struct wr_bpf_tun_vtep_key *tk, __u32 len, __u8 gso,
				       const int tc)
{
	void *data, *end;
	struct udphdr *udp;
	__u64 pseudo, sum;
	__u32 l4;

	if (tc) {
		data = (void *)(long)((struct __sk_buff *)ctx)->data;
		end = (void *)(long)((struct __sk_buff *)ctx)->data_end;
	} else {
		data = (void *)(long)((struct xdp_md *)ctx)->data;
		end = (void *)(long)((struct xdp_md *)ctx)->data_end;
	}
	if (c->ul_ipv6) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;

		l4 = ETH_HLEN + IPV6_HLEN;
		udp = (void *)(ip6 + 1);
		if ((void *)(udp + 1) > end)
			return UP(TUNNEL);
		/* Payload to the frame's end (no padding); a zero checksum is refused (RFC 8200). */
		if ((!gso && bpf_ntohs(ip6->payload_len) != len - l4) || !udp->check)
			return UP(TUNNEL);
		pseudo = (__u32)bpf_csum_diff(NULL, 0, (__be32 *)&ip6->saddr, 32, 0);
		__builtin_memcpy(tk->ip, &ip6->saddr, 16);
	} else {
		struct iphdr *ip = data + ETH_HLEN;

		l4 = ETH_HLEN + IPV4_HLEN;
		udp = (void *)(ip + 1);
		if ((void *)(udp + 1) > end)
			return UP(TUNNEL);
		if (ip->ihl != 5 || (ip->frag_off & bpf_htons(0x3fff)) ||
		    (!gso && bpf_ntohs(ip->tot_len) != len - ETH_HLEN) ||
		    csum_fold((__u32)bpf_csum_diff(NULL, 0, (__be32 *)ip, IPV4_HLEN, 0)) != 0xffff)
			return UP(TUNNEL);
		pseudo = (__u32)bpf_csum_diff(NULL, 0, (__be32 *)&ip->saddr, 8, 0);
		__builtin_memcpy(tk->ip, &ip->saddr, 4);
	}
	if (gso)
		return 0;
	if (bpf_ntohs(udp->len) != len - l4)
		return UP(TUNNEL);
	if (!udp->check)
		return 0;
	pseudo += bpf_htons(IPPROTO_UDP) + udp->len;
	if (tc && bpf_skb_pull_data(ctx, len))
		return UP(TUNNEL);
	if (csum_to_end(ctx, l4, &sum, tc) || csum_fold(sum + pseudo) != 0xffff)
		return UP(TUNNEL);	/* warrend counts it */
	return 0;
}

/*
 * The VTEP port of a tunnel frame with tunnel header @tun (TUN_HLEN bytes
 * inside the packet) from outer source @tk on underlay @c: its entry in
 * wr_ports, with @di->in its index, *@bd its VNI's bridge domain and
 * *@vni the VNI (for steering rules); NULL
 * for what only warrend takes (Geneve with options, another version or a
 * control frame; VXLAN without its I flag; an unknown VNI or VTEP).
 */
static __always_inline const struct wr_bpf_port *decap_vtep(const struct wr_bpf_port *c,
							    const __u8 *tun,
							    const struct wr_bpf_tun_vtep_key *tk,
							    struct decision *di, __u16 *bd, __u32 *vni)
{
	struct wr_bpf_tun_vni_key vk = { .underlay = tk->underlay };
	const struct wr_bpf_port *vc;
	__u16 *b, *vtep;
	__u32 key;

	if (c->ul_type == WR_BPF_TUN_VXLAN) {
		if (!(tun[0] & VXLAN_F_I))
			return NULL;
	} else if (tun[0] || (tun[1] & GENEVE_F_O) ||
		   *(__be16 *)(tun + 2) != bpf_htons(GENEVE_ETH)) {
		return NULL;
	}
	vk.vni = (__u32)tun[4] << 16 | (__u32)tun[5] << 8 | tun[6];
	*vni = vk.vni;
	b = bpf_map_lookup_elem(&wr_tun_vni, &vk);
	vtep = bpf_map_lookup_elem(&wr_tun_vteps, tk);
	if (!b || !vtep)
		return NULL;
	di->in = *vtep;
	key = di->in;
	vc = bpf_map_lookup_elem(&wr_ports, &key);
	if (!vc || !(vc->flags & WR_BPF_PORT_F_VTEP))
		return NULL;
	*bd = *b;
	return vc;
}

/*
 * A tunnel frame on underlay port @d->in (configured as @c; underlay()
 * found UDP to its address and port; @tagged: under an 802.1Q tag): its
 * inner frame decided as the switch would for a frame of its VTEP port in
 * its VNI's bridge domain. ACT_FWD: decapsulated (outer headers off, the
 * inner frame's tag edited), redirected, @d->out and @d->out_len the
 * inner frame's; the inner frame's UP() and DROP() decisions as they
 * are; UP(TUNNEL) for what only warrend takes (the file comment above).
 */
static __always_inline int xdp_decap(struct xdp_md *ctx, const struct wr_bpf_port *c, __u8 tagged,
				     struct decision *d)
{
	struct wr_bpf_tun_vtep_key tk = { .underlay = d->in };
	struct frame fi = { .pkts = 1 };
	struct decision di = { 0 };
	const struct wr_bpf_port *vc;
	void *data, *end;
	__u8 *tun, *inner;
	__u32 key;
	__u16 bd;
	int act;

	/* A trace on the underlay: warrend decapsulates, and follows, every tunnel frame. */
	if (c->flags & WR_BPF_PORT_F_WATCH)
		return UP(WATCH);
	if (tagged ||
	    decap_outer(ctx, c, &tk, ctx->data_end - ctx->data, 0, 0))
		return UP(TUNNEL);
	asm volatile("" ::: "memory");	/* the packet afresh (decap_outer() says why) */
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	tun = data + ETH_HLEN + (c->ul_ipv6 ? IPV6_HLEN : IPV4_HLEN) + UDP_HLEN;
	inner = tun + TUN_HLEN;
	if ((void *)(inner + ETH_HLEN) > end)
		return UP(TUNNEL);
	vc = decap_vtep(c, tun, &tk, &di, &bd, &fi.vni);
	if (!vc)
		return UP(TUNNEL);
	fi.len = (long)end - (long)inner;
	if (parse(inner, end, &fi, META_NONE))
		return UP(TUNNEL);
	act = wr_decide(vc, (void *)inner, end, &fi, &di, bd);
	d->rule = di.rule;
	d->rule_len = di.rule_len;
	if (act != ACT_FWD)
		return act;
	key = (long)inner - (long)data;
	if (bpf_redirect_map(&wr_devmap, di.out, 0) != XDP_REDIRECT)
		return UP(OUT_OFF);
	if (bpf_xdp_adjust_head(ctx, key))
		return UP(TUNNEL);
	if (xdp_edit_tag(ctx, &di)) {
		/* Cannot fail for a frame parse() took (xdp_edit_tag()): the outer frame back, up. */
		bpf_xdp_adjust_head(ctx, -(int)key);
		return UP(NO_ROOM);
	}
	d->out = di.out;
	d->out_len = di.out_len;
	return ACT_FWD;
}

/*
 * Known unicast to a port in the fast path as @d says: the target first
 * (a port missing from wr_devmap sends the frame up as it came); the
 * redirect itself happens after the program returns, with the frame as
 * the tag edit leaves it.
 */
static __always_inline int xdp_forward(struct xdp_md *ctx, const struct decision *d)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	const __u8 *mac = chain_mac(d);

	/* Into a router hop: the frame takes its interface's MAC as destination. */
	if (mac && data + ETH_ALEN <= end)
		__builtin_memcpy(data, mac, ETH_ALEN);
	if (bpf_redirect_map(&wr_devmap, d->out, 0) != XDP_REDIRECT)
		return UP(OUT_OFF);
	return xdp_edit_tag(ctx, d) ? UP(NO_ROOM) : ACT_FWD;
}

SEC("xdp")
int wr_xdp_switch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct frame f = { .len = end - data, .pkts = 1 };
	struct decision d = { .in = input_port(ctx->ingress_ifindex) };
	const struct wr_bpf_port *in = port_conf(d.in);
	__u8 tagged = 0;
	int act;

	if (in && (in->flags & WR_BPF_PORT_F_UNDERLAY)) {
		/* Before the switch's checks: ARP is the stack's. */
		act = underlay(data, end, in, &tagged);
		if (act == UP(TUNNEL))
			act = xdp_decap(ctx, in, tagged, &d);
	} else {
		act = parse(data, end, &f, META_NONE);
		if (!act && d.in == WR_BPF_PORT_NONE)
			act = UP(NO_PORT);
		else if (!act)
			act = wr_decide(in, data, end, &f, &d, 0);	/* parse() checked the header */
		if (act == ACT_FWD && (d.out_flags & WR_BPF_PORT_F_VTEP))
			act = xdp_encap(ctx, &f, &d);
		else if (act == ACT_FWD)
			act = xdp_forward(ctx, &d);
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
/* And a chain's classifier: IPv4 with options or IPv6, then TCP. */
#define TC_CHAIN_PULL	(ETH_HLEN + 60 + 20)

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

/*
 * The bytes of each segment of a GSO frame @skb but its payload: its
 * Ethernet, IP and TCP or UDP headers; 0 when they are not plain.
 */
static __always_inline __u32 gso_hdrs(struct __sk_buff *skb)
{
	__u8 b[2];
	__u32 n;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN, b, 1) ||
		    bpf_skb_load_bytes(skb, ETH_HLEN + 9, b + 1, 1))
			return 0;
		n = ETH_HLEN + (b[0] & 0xf) * 4;
	} else {
		if (bpf_skb_load_bytes(skb, ETH_HLEN + 6, b + 1, 1))
			return 0;
		n = ETH_HLEN + IPV6_HLEN;
	}
	if (b[1] == IPPROTO_UDP)
		return n + UDP_HLEN;
	if (b[1] != IPPROTO_TCP || bpf_skb_load_bytes(skb, n + 12, b, 1))
		return 0;
	return n + (b[0] >> 4) * 4;
}

/*
 * bpf_skb_adjust_room()'s room for the outer headers, made after the
 * frame's Ethernet header: the skb becomes a UDP tunnel's (encapsulation,
 * the inner headers where the frame's are, the inner Ethernet header
 * ETH_HLEN before its IP header), and a GSO frame's segments are cut by
 * the kernel on the underlay's way out, each with its own outer IP
 * header and UDP length (SKB_GSO_UDP_TUNNEL), keeping their size (FIXED:
 * the tenant's MSS already counts the tunnel's bytes).
 */
#define TC_ENCAP_FLAGS	(BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 |	\
			 BPF_F_ADJ_ROOM_ENCAP_L4_UDP | BPF_F_ADJ_ROOM_ENCAP_L2_ETH |	\
			 BPF_F_ADJ_ROOM_ENCAP_L2(ETH_HLEN))

/*
 * Known unicast for VTEP @d->out in bridge domain @d->bd from input port
 * @in, through TC: xdp_encap()'s header and fields but the UDP checksum,
 * which is 0 (docs/overlays.md, The kernel fast path: TC cannot tell
 * whether the inner checksum is still the device's to fill, and a GSO
 * frame's segments keep what the header says). ACT_FWD with @d naming
 * the underlay; UP(OUT_OFF) without a header, UP(OTHER_NETNS) when the
 * underlay is not in @in's namespace, UP(TC_ENCAP) for what TC does not
 * encapsulate (an IPv6 tunnel, which needs the checksum; a frame that is
 * not IP; a GSO frame but TCP or UDP), all with the frame as it came;
 * DROP(TUN_TOO_BIG) for outer packets (a GSO frame's segments) over the
 * underlay's MTU.
 */
static __always_inline int tc_encap(struct __sk_buff *skb, const struct wr_bpf_port *in,
				    const struct frame *f, struct decision *d)
{
	const struct wr_bpf_tun_hdr *h = tun_hdr(d);
	const struct wr_bpf_port *ul;
	__u32 hl, ulen, hash, key, seg;
	__u8 eth[ETH_HLEN];
	struct udphdr udp;
	__be16 tot, check;

	if (!h)
		return UP(OUT_OFF);
	key = h->underlay;
	ul = bpf_map_lookup_elem(&wr_ports, &key);
	if (!ul || !ul->ifindex || !(ul->flags & WR_BPF_PORT_F_TC_ENCAP) ||
	    ul->netns_id != in->netns_id)
		return UP(OTHER_NETNS);
	/* bpf_skb_adjust_room() encapsulates IP only. */
	if ((h->flags & WR_BPF_TUN_F_IPV6) ||
	    (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6)))
		return UP(TC_ENCAP);
	hl = h->len;
	barrier_var(hl);
	hl &= 127;	/* tun_hdr() said 120 at most, for the verifier (as in vlan_allowed()) */
	if (hl < ETH_HLEN + IPV4_HLEN + UDP_HLEN + TUN_HLEN)
		return UP(OUT_OFF);
	seg = f->len;
	if (f->gso) {
		seg = gso_hdrs(skb);
		if (!seg)
			return UP(TC_ENCAP);
		seg += skb->gso_size;
	}
	if (hl - ETH_HLEN + seg > h->mtu)
		return DROP(TUN_TOO_BIG);
	hash = flow_hash((void *)(long)skb->data, (void *)(long)skb->data_end);
	if (bpf_skb_load_bytes(skb, 0, eth, ETH_HLEN) ||
	    bpf_skb_adjust_room(skb, (__s32)hl, BPF_ADJ_ROOM_MAC, TC_ENCAP_FLAGS))
		return UP(TC_ENCAP);	/* not TCP or UDP GSO, or no memory: left as it was */

	/*
	 * The Ethernet header to its place in front of the inner IP header,
	 * the header over the room. A GSO frame's lengths do not fit in 16
	 * bits: each segment gets its own.
	 */
	ulen = hl - IPV4_HLEN - ETH_HLEN + f->len;
	tot = bpf_htons(ulen + IPV4_HLEN);
	check = ip4_check(*(const __u16 *)(h->bytes + ETH_HLEN + 10), tot);
	udp.source = bpf_htons(tun_sport(h, hash));
	udp.dest = *(const __be16 *)(h->bytes + ETH_HLEN + IPV4_HLEN + 2);
	udp.len = bpf_htons(ulen);
	udp.check = 0;
	if (bpf_skb_store_bytes(skb, hl, eth, ETH_HLEN, 0) ||
	    bpf_skb_store_bytes(skb, 0, h->bytes, hl, 0) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN + 2, &tot, sizeof(tot), 0) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN + 10, &check, sizeof(check), 0) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN + IPV4_HLEN, &udp, sizeof(udp), 0))
		return DROP(TUN_NO_HEADROOM);	/* cannot fail: the room is there */
	d->out = h->underlay;
	d->out_len = f->len + hl;
	d->out_ifindex = ul->ifindex;
	/*
	 * Out of the underlay, never into a veth peer's ingress
	 * (WR_BPF_PORT_F_PEER): that would pass the far end's XDP program,
	 * its decap, and the kernel's segmentation on the way out.
	 */
	d->out_flags = 0;
	return ACT_FWD;
}

/* bpf_skb_adjust_room()'s decap flags (Linux 6.3): libbpf 1.1's headers do not have them. */
#ifndef BPF_F_ADJ_ROOM_DECAP_L3_IPV4
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV4	(1ULL << 7)
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV6	(1ULL << 8)
#endif

/*
 * The bytes an underlay's frame is read by in TC, in the linear part: the
 * outer Ethernet, IPv6 and UDP headers, the tunnel's, and the inner
 * Ethernet header with two tags (parse()).
 */
#define TC_UL_PULL	(ETH_HLEN + IPV6_HLEN + UDP_HLEN + TUN_HLEN + ETH_HLEN + 2 * VLAN_HLEN)

/*
 * xdp_decap() through TC, for an underlay in TC (@f: the frame, @tagged:
 * a tag in metadata): the same checks and decision, and a GSO frame (a
 * local sender's TCP, crossed whole) stays whole: bpf_skb_adjust_room()
 * takes the outer IP, UDP and tunnel headers and the inner Ethernet
 * header from behind the outer Ethernet header, which the inner one then
 * overwrites; FIXED_GSO keeps its segments' size (the inner TCP's MSS).
 * UP(TC_DECAP) for an inner frame that is not IPv4 or IPv6 (the helper
 * takes IP only) or that the helper refuses, all as the frame came.
 */
static __always_inline int tc_decap(struct __sk_buff *skb, const struct wr_bpf_port *c,
				    __u8 tagged, const struct frame *f, struct decision *d)
{
	struct wr_bpf_tun_vtep_key tk = { .underlay = d->in };
	struct frame fi = { .pkts = f->pkts, .gso = f->gso, .tc = 1 };
	__u32 outer = ETH_HLEN + (c->ul_ipv6 ? IPV6_HLEN : IPV4_HLEN) + UDP_HLEN + TUN_HLEN;
	__u64 flags = BPF_F_ADJ_ROOM_FIXED_GSO;
	struct decision di = { 0 };
	const struct wr_bpf_port *vc;
	__u8 eth[ETH_HLEN];
	void *data, *end;
	__u16 bd, proto;
	int act;

	/* A trace on the underlay: warrend decapsulates, and follows, every tunnel frame. */
	if (c->flags & WR_BPF_PORT_F_WATCH)
		return UP(WATCH);
	if (tagged || decap_outer(skb, c, &tk, skb->len, f->gso, 1))
		return UP(TUNNEL);
	asm volatile("" ::: "memory");	/* the packet afresh (decap_outer() says why) */
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	outer &= 127;		/* 50 or 70, for the verifier */
	if (data + outer + ETH_HLEN > end)
		return UP(TUNNEL);
	vc = decap_vtep(c, data + outer - TUN_HLEN, &tk, &di, &bd, &fi.vni);
	if (!vc)
		return UP(TUNNEL);
	fi.len = skb->len - outer;
	if (parse(data + outer, end, &fi, META_NONE))
		return UP(TUNNEL);
	act = wr_decide(vc, data + outer, end, &fi, &di, bd);
	d->rule = di.rule;
	d->rule_len = di.rule_len;
	if (act != ACT_FWD)
		return act;
	proto = ((struct ethhdr *)(data + outer))->h_proto;
	if (proto == bpf_htons(ETH_P_IP))
		flags |= c->ul_ipv6 ? BPF_F_ADJ_ROOM_DECAP_L3_IPV4 : 0;
	else if (proto == bpf_htons(ETH_P_IPV6))
		flags |= c->ul_ipv6 ? 0 : BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
	else
		return UP(TC_DECAP);	/* ARP, a tagged frame: warrend */
	__builtin_memcpy(eth, data + outer, ETH_HLEN);
	if (bpf_skb_adjust_room(skb, -(__s32)outer, BPF_ADJ_ROOM_MAC, flags))
		return UP(TC_DECAP);	/* left as it was */
	if (bpf_skb_store_bytes(skb, 0, eth, ETH_HLEN, 0))
		return DROP(TUN_NO_HEADROOM);	/* cannot fail: the bytes are there */
	d->out = di.out;
	d->out_len = di.out_len;
	d->out_ifindex = di.out_ifindex;
	d->out_flags = di.out_flags;
	return ACT_FWD;
}

SEC("tc")
int wr_tc_switch(struct __sk_buff *skb)
{
	struct frame f = { .len = skb->len, .pkts = skb->gso_segs ? skb->gso_segs : 1, .tc = 1,
			   .gso = skb->gso_size != 0 };
	struct decision d = { .in = input_port(skb->ifindex) };
	const struct wr_bpf_port *in = port_conf(d.in);
	enum meta_tag meta = META_NONE;
	const __u8 *mac;
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
	if (in && (in->flags & WR_BPF_PORT_F_CHAIN) && data + TC_CHAIN_PULL > end) {
		/* A chain's classifier reads IP and TCP or UDP headers. */
		bpf_skb_pull_data(skb, skb->len < TC_CHAIN_PULL ? skb->len : TC_CHAIN_PULL);
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
	}
	if (in && (in->flags & WR_BPF_PORT_F_UNDERLAY)) {
		/* As XDP's: before the switch's checks, ARP is the stack's. */
		__u8 tagged = skb->vlan_present;

		if (tagged)
			f.len += VLAN_HLEN;
		if (data + TC_UL_PULL > end) {
			bpf_skb_pull_data(skb, skb->len < TC_UL_PULL ? skb->len : TC_UL_PULL);
			data = (void *)(long)skb->data;
			end = (void *)(long)skb->data_end;
		}
		act = underlay(data, end, in, &tagged);
		if (act == UP(TUNNEL))
			act = tc_decap(skb, in, tagged, &f, &d);
		goto out;
	}
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
			act = wr_decide(in, data, end, &f, &d, 0);
	}
	if (act == ACT_FWD && in && (d.out_flags & WR_BPF_PORT_F_VTEP))
		act = tc_encap(skb, in, &f, &d);	/* wr_decide() said it is in the fast path */
	else if (act == ACT_FWD && tc_edit_tag(skb, &d))
		act = UP(NO_ROOM);
	/* Into a router hop: the frame takes its interface's MAC as destination. */
	if (act == ACT_FWD && (mac = chain_mac(&d)) && bpf_skb_store_bytes(skb, 0, mac, ETH_ALEN, 0))
		act = UP(NO_ROOM);
out:
	account(act, &f, &d);
	switch (act & ACT_MASK) {
	case ACT_FWD:
		if (d.out_flags & WR_BPF_PORT_F_PEER)
			return bpf_redirect_peer(d.out_ifindex, 0);
		return bpf_redirect(d.out_ifindex, 0);
	case ACT_UP:
		return tc_up(d.in);
	case ACT_KERNEL:
		return TC_ACT_OK;
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
