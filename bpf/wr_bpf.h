/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_bpf.h - what the kernel fast path (xdp_switch.bpf.c) and userspace
 * share: the layouts of its maps, their sizes and the meaning of every
 * field. Plain fixed-width types, explicit padding, sizes asserted: the
 * same bytes on both sides, with clang -target bpf and with gcc/clang for
 * the host.
 *
 * The maps themselves are declared in xdp_switch.bpf.c and reached from
 * userspace through its skeleton (xdp_switch.skel.h, made by bpftool):
 *
 *   map            type            key                      value
 *   wr_fdb         HASH            struct wr_bpf_fdb_key    struct wr_bpf_fdb_val
 *   wr_ports       ARRAY           port index (__u32)       struct wr_bpf_port
 *   wr_ifports     HASH            ifindex (__u32)          port index (__u32)
 *   wr_vlan_bd     ARRAY           VLAN id (__u32)          bridge domain (__u16)
 *   wr_devmap      DEVMAP          port index (__u32)       ifindex (__u32)
 *   wr_xsks        XSKMAP          wr_bpf_xsk_key()         AF_XDP socket fd
 *   wr_stats       PERCPU_ARRAY    0                        struct wr_bpf_stats
 *   wr_port_stats  PERCPU_ARRAY    port index (__u32)       struct wr_bpf_port_stats
 *   wr_tun_hdrs    HASH            struct wr_bpf_tun_hdr_key struct wr_bpf_tun_hdr
 *   wr_tun_vni     HASH            struct wr_bpf_tun_vni_key bridge domain (__u16)
 *   wr_tun_vteps   HASH            struct wr_bpf_tun_vtep_key VTEP port index (__u16)
 *   wr_steer       HASH            wr_bpf_steer_key()       struct wr_bpf_steer
 *   wr_steer_kinds ARRAY           0                        bit k: a rule of kind k (__u32)
 *   wr_steer_stats PERCPU_ARRAY    rule id (__u32)          struct wr_bpf_steer_stats
 *   wr_chains      ARRAY           asking order (__u32)     struct wr_bpf_chain
 *   wr_chain_ports ARRAY           port index (__u32)       struct wr_bpf_chain_port
 *   wr_chain_stats PERCPU_ARRAY    wr_bpf_chain_stats_key() struct wr_bpf_chain_stats
 *
 * Userspace is the single source of truth: it writes every map but the
 * counters; the program only reads, except the last-seen stamp of FDB
 * entries and the counters.
 *
 * Changing a layout here changes the program and every reader: warrend's
 * mirror sync and `warren stats` (next step). Drop counters use the
 * numbering of dataplane/wr_drop.def, which is append-only for that reason.
 */
#ifndef WR_BPF_H
#define WR_BPF_H

#include <linux/types.h>

#define WR_BPF_PORT_MAX		256	/* ports (= WR_PORT_MAX of the dataplane) */
#define WR_BPF_VLAN_MAX		4096	/* VLAN ids 0..4095; 0 and 4095 never carry traffic */
#define WR_BPF_QUEUE_MAX	64	/* receive queues per device with an AF_XDP socket */
#define WR_BPF_FDB_MAX		65536	/* default wr_fdb size; set before load to fdb_max */
#define WR_BPF_PORT_NONE	0xffffffffu	/* wr_in_port: not set, ask wr_ifports */
#define WR_BPF_TUNNEL_MAX	16	/* tunnels (= WR_TUNNEL_MAX) */
#define WR_BPF_VTEP_MAX		64	/* remote VTEPs per tunnel (= WR_VTEP_MAX) */
#define WR_BPF_TUNNEL_VNI_MAX	4095	/* VNIs per tunnel (= WR_TUNNEL_VNI_MAX) */
/*
 * (VTEP, bridge domain) headers in the kernel. Every VTEP in every domain
 * of its tunnel could be a million; past this many, frames of the rest go
 * up (warrend counts the refusals, tunnel_errors) and warrend encapsulates.
 */
#define WR_BPF_TUN_HDR_MAX	65536
#define WR_BPF_TUN_HDR_LEN	120	/* = WR_TUN_HDR_MAX, the template's bytes */

/*
 * The XDP side stores last_seen_ns at most once per this many ns per
 * entry: a busy entry's cache line stays shared between CPUs.
 */
#define WR_BPF_STAMP_NS		1000000000ull

/* ------------------------------------------------------------------- FDB */

/*
 * wr_fdb key: a MAC in a bridge domain. 8 bytes, no padding (the hash map
 * hashes every byte of the key).
 */
struct wr_bpf_fdb_key {
	__u16 bd;		/* bridge domain 1..4095, host order */
	__u8 mac[6];		/* as on the wire */
};

enum {
	WR_BPF_FDB_F_STATIC = 1 << 0,	/* configured, never ages or moves (userspace's bookkeeping) */
};

/* wr_fdb value: where a MAC lives, and when it was last seen. */
struct wr_bpf_fdb_val {
	/*
	 * CLOCK_MONOTONIC in ns, as bpf_ktime_get_coarse_ns() reads it (the
	 * coarse clock, up to one tick behind clock_gettime(CLOCK_MONOTONIC),
	 * warrend's clock): userspace writes it when it installs the entry,
	 * the program refreshes it when it forwards a frame from this MAC on
	 * this port and the stamp is WR_BPF_STAMP_NS old or older. Compare as
	 * a signed difference.
	 */
	__u64 last_seen_ns;
	__u16 port;		/* output port index (< WR_BPF_PORT_MAX) */
	__u8 flags;		/* WR_BPF_FDB_F_* */
	__u8 pad[5];		/* zero */
};

/* ----------------------------------------------------------------- ports */

/* How a port takes and gives VLANs: the dataplane's enum wr_vlan_mode, same values. */
enum wr_bpf_vlan_mode {
	WR_BPF_VLAN_NONE = 0,	/* frames bridged as they are, in the port's bd */
	WR_BPF_VLAN_ACCESS = 1,	/* untagged (or tagged access_vlan) frames, in access_vlan */
	WR_BPF_VLAN_TRUNK = 2,	/* tagged frames of allowed VLANs; untagged in native_vlan */
};

enum {
	/*
	 * The fast path may take frames from this port and give frames to
	 * it. Clear: everything from it goes to userspace, and frames for it
	 * are handed to userspace too (its mode is "off", it is down, being
	 * deleted, or its device has no XDP/TC redirect target).
	 */
	WR_BPF_PORT_F_FASTPATH = 1 << 0,
	/* Userspace learns source MACs on this port (wr_port_conf.learning). */
	WR_BPF_PORT_F_LEARNING = 1 << 1,
	/*
	 * TC: the device is a veth whose far end lives in another namespace.
	 * A frame forwarded to it goes straight into that far end's ingress
	 * (bpf_redirect_peer), without the veth's transmit and a pass through
	 * the receiving CPU's backlog, which a bridge pays.
	 */
	WR_BPF_PORT_F_PEER = 1 << 2,
	/*
	 * The device is a tunnel's underlay (XDP, or TC when the port asked
	 * TC). Its tunnel frames (UDP to ul_ip, port ul_dport) are
	 * decapsulated for known unicast, and otherwise go up to warrend's
	 * decap (the port's AF_XDP socket, or its TAP), whatever else the
	 * port says; every other frame (ARP, ND, ICMP, other UDP, TCP, frames
	 * for other addresses, runts) goes on to the device's own stack, as
	 * if warrend were not there. warrend keeps such a port out of the
	 * switch's fast path (WR_BPF_PORT_F_FASTPATH clear: nothing is
	 * forwarded to it but what is encapsulated).
	 */
	WR_BPF_PORT_F_UNDERLAY = 1 << 3,
	/*
	 * A tunnel's remote VTEP (no device of its own; ifindex is its
	 * underlay's). XDP encapsulates known unicast for it with the
	 * (VTEP, bridge domain) header of wr_tun_hdrs and sends it out of the
	 * header's underlay port; and decapsulates what comes from it on the
	 * underlay as frames of this port. TC encapsulates the same way when
	 * the underlay has WR_BPF_PORT_F_TC_ENCAP (docs/overlays.md).
	 */
	WR_BPF_PORT_F_VTEP = 1 << 4,
	/*
	 * WR_BPF_PORT_F_UNDERLAY: netns_id is its namespace's number, so TC
	 * may send encapsulated frames out of it from ports of that number
	 * (a TC redirect stays in the input device's namespace). Clear: no
	 * number was left for it; TC hands frames for its VTEPs up.
	 */
	WR_BPF_PORT_F_TC_ENCAP = 1 << 5,
	/*
	 * A service chain's hop port, or a port of a bridge domain with a
	 * chain (docs/chains.md): its frames are asked of the chains
	 * (wr_chains, wr_chain_ports) before anything else; what the kernel
	 * cannot carry whole goes up (UP(CHAIN)), and warrend walks it.
	 */
	WR_BPF_PORT_F_CHAIN = 1 << 6,
	/*
	 * warrend watches the port: a trace is armed on it (docs/trace.md), a
	 * mirror or a capture takes its frames (docs/capture.md). Its frames,
	 * and frames for it, go up (UP(WATCH)), a tunnel frame of an underlay
	 * too, so that warrend sees every one it receives and sends; a trace
	 * says what the kernel would have done.
	 */
	WR_BPF_PORT_F_WATCH = 1 << 7,
};

/* wr_bpf_port.ul_type: the tunnel on an underlay (enum wr_tunnel_type's values). */
enum wr_bpf_tun_type {
	WR_BPF_TUN_VXLAN = 0,
	WR_BPF_TUN_GENEVE = 1,
};

/*
 * What a source MAC must be for a frame to stay in the kernel, on a port
 * that does not learn (on a learning port, the source must be in wr_fdb on
 * this very port: otherwise the frame goes up, to be learned or moved).
 */
enum wr_bpf_src_check {
	WR_BPF_SRC_KNOWN_HERE = 0,	/* in wr_fdb on this port, else to userspace */
	WR_BPF_SRC_ANY = 1,		/* not checked: userspace would not learn it either */
};

/* wr_ports value: a port's configuration, by port index. */
struct wr_bpf_port {
	__u32 ifindex;		/* the device; 0: no port at this index */
	__u16 bd;		/* WR_BPF_VLAN_NONE: the bridge domain */
	__u16 access_vlan;	/* WR_BPF_VLAN_ACCESS */
	__u16 native_vlan;	/* WR_BPF_VLAN_TRUNK: 0 = untagged frames dropped */
	/*
	 * The longest frame the device takes, Ethernet header and a tag
	 * included (wr_port.max_len); longer ones are dropped as too_big.
	 * 0: not checked. GSO super-frames (TC) are not checked.
	 */
	__u16 max_len;
	__u8 vlan_mode;		/* enum wr_bpf_vlan_mode */
	__u8 flags;		/* WR_BPF_PORT_F_* */
	__u8 src_check;		/* enum wr_bpf_src_check */
	/*
	 * Which network namespace the device is in: any number userspace
	 * gives each namespace. ifindex means a device of that namespace
	 * only, and a TC redirect stays in the input device's namespace, so
	 * TC forwards only between ports of the same netns_id (XDP's DEVMAP
	 * holds the devices themselves and crosses namespaces).
	 */
	__u8 netns_id;
	/*
	 * TC: the device frames go up to warrend through (a TAP of warrend's
	 * in the port's namespace, redirected into), since TC runs after XDP
	 * and no AF_XDP socket sees what it hands up; 0: TC_ACT_OK, the frame
	 * goes on to the input device's stack. XDP ignores it.
	 */
	__u32 up_ifindex;
	/* WR_BPF_PORT_F_UNDERLAY: the tunnel's UDP destination port, network order. */
	__be16 ul_dport;
	__u8 ul_ipv6;		/* WR_BPF_PORT_F_UNDERLAY: 1: ul_ip is IPv6, 0: IPv4 */
	__u8 ul_type;		/* WR_BPF_PORT_F_UNDERLAY: enum wr_bpf_tun_type */
	/*
	 * WR_BPF_PORT_F_UNDERLAY: the tunnel's local address, as on the wire:
	 * IPv6's 16 bytes, or IPv4's 4 first and 12 zero bytes.
	 */
	__u8 ul_ip[16];
	__u64 allowed[WR_BPF_VLAN_MAX / 64];	/* WR_BPF_VLAN_TRUNK: bit v = VLAN v allowed */
};

/* --------------------------------------------------------------- tunnels */

/*
 * wr_tun_hdrs: the outer header of a VTEP's frames in one bridge domain, as
 * dataplane/overlay.c builds it (struct wr_tun_hdr; docs/overlays.md,
 * Encapsulation). Userspace writes it when the VTEP's next hop is found or
 * changes, and removes it when the next hop is lost, the VNI goes or the
 * VTEP goes.
 */
struct wr_bpf_tun_hdr_key {
	__u16 vtep;		/* the VTEP's port index */
	__u16 bd;
};

enum {
	WR_BPF_TUN_F_IPV6 = 1 << 0,		/* the outer IP header is IPv6 */
	WR_BPF_TUN_F_UDP_CSUM = 1 << 1,		/* fill the UDP checksum */
	WR_BPF_TUN_F_FLOW_LABEL = 1 << 2,	/* IPv6: flow label from the flow hash */
};

struct wr_bpf_tun_hdr {
	__u8 bytes[WR_BPF_TUN_HDR_LEN];	/* outer Ethernet to the last Geneve option */
	__u8 len;		/* bytes of it used: 50 or 70, plus options (len % 4 == 2) */
	__u8 l4_off;		/* the UDP header: 34 (IPv4) or 54 (IPv6) */
	__u8 flags;		/* WR_BPF_TUN_F_* */
	__u8 pad0;		/* zero */
	__u16 sport_min;	/* UDP source ports: sport_min + (hash * sport_span >> 32) */
	__u16 underlay;		/* the port (wr_devmap key) the frame leaves by */
	__u32 sport_span;
	/*
	 * One's complement sum (16 bits, as the bytes lie in memory) of the
	 * pseudo-header's addresses and protocol and the UDP and tunnel
	 * headers' constant words: the per-frame sum starts from it.
	 */
	__u32 udp_sum;
	__u16 mtu;		/* the underlay's IP MTU: longer outer packets are dropped */
	__u8 pad1[6];		/* zero */
};

/* wr_tun_vni: a tunnel's VNI, the tunnel known by its underlay port. */
struct wr_bpf_tun_vni_key {
	__u16 underlay;
	__u16 pad;		/* zero */
	__u32 vni;		/* host order */
};

/* wr_tun_vteps: a tunnel's remote VTEP by its address. */
struct wr_bpf_tun_vtep_key {
	__u16 underlay;
	__u16 pad;		/* zero */
	__u8 ip[16];		/* as on the wire; IPv4 in the first 4 bytes, the rest zero */
};

/* -------------------------------------------------------------- steering */

/*
 * wr_steer: the switch's steering rules (dataplane/steer_priv.h), keyed as
 * there: the kind above bit 48, below it the destination MAC (first byte
 * highest), the VLAN or the VNI. Asked before the FDB for unicast, MAC
 * first, then the frame's VLAN, then (a frame off a tunnel) its VNI; only
 * kinds wr_steer_kinds has are asked.
 */
#define WR_BPF_STEER_MAX	4096	/* rules (= WR_STEER_MAX) */
enum {
	WR_BPF_STEER_MAC = 1,	/* enum wr_steer_kind's values */
	WR_BPF_STEER_VLAN = 2,
	WR_BPF_STEER_VNI = 3,
};
#define WR_BPF_STEER_NO_PORT	0xffff	/* the rule's port is gone: frames up, warrend drops them */

static inline __u64 wr_bpf_steer_key(__u32 kind, __u64 value)
{
	return (__u64)kind << 48 | value;
}

struct wr_bpf_steer {
	__u16 port;		/* where the frames go, or WR_BPF_STEER_NO_PORT */
	__u16 pad;		/* zero */
	__u32 id;		/* the rule: wr_steer_stats' key */
};

/* Frames a rule sent or dropped in the kernel (those it hands up, warrend counts). */
struct wr_bpf_steer_stats {
	__u64 pkts, bytes;
};

/* ---------------------------------------------------------------- chains */

/*
 * Service chains (docs/chains.md), as dataplane/chain.c publishes them to
 * its workers, for frames of WR_BPF_PORT_F_CHAIN ports:
 *   - wr_chains: the chains in the order they are asked (priority, then
 *     name), each with its classifier as masked words (struct
 *     wr_chain_cls) and where a frame it takes goes first, each way;
 *     the list ends at the first entry of bd 0;
 *   - wr_chain_ports: for a hop port, where a frame that comes back by it
 *     goes next.
 * "Where a frame goes" (struct wr_bpf_chain_step) is the chain's walk done
 * by warrend when the chains or a hop's state change: the hops it passes
 * by (down, failing open), then the hop port it enters, or the bridge, or
 * a drop. Frames the kernel cannot take whole go up (UP(CHAIN)): tagged,
 * fragments, IPv6 extension headers, a router's own ARP and ND, floods,
 * unknown destinations, ports not in the fast path.
 */
#define WR_BPF_CHAIN_MAX	64	/* chains (= WR_CHAIN_MAX) */
#define WR_BPF_CHAIN_HOPS	8	/* hops per chain (= WR_CHAIN_HOPS_MAX) */
#define WR_BPF_CHAIN_BRIDGE	0xfffd	/* step.port: past the last hop, to the bridge */
#define WR_BPF_CHAIN_DROP	0xfffe	/* step.port: at a hop down that fails closed */

struct wr_bpf_chain_step {
	__u16 port;		/* the hop port it goes into, or WR_BPF_CHAIN_BRIDGE / _DROP */
	__u8 hop;		/* the hop it goes into, or is dropped at */
	__u8 bypassed;		/* bit j: hop j passed by on the way */
	__u8 l3;		/* a router: the destination MAC becomes mac */
	__u8 mac[6];
	__u8 pad;		/* zero */
};

/* The classifier's words (dataplane/chain_priv.h, struct chain_cls). */
struct wr_bpf_chain_cls {
	__u64 w0, m0;		/* IP version 0-7, protocol 8-15, L3 16, L4 17, VLAN 32-47, port 48-63 */
	__u64 smac, msmac, dmac, mdmac;	/* MACs as 48-bit numbers, first byte highest */
	__u64 sip[2], msip[2], dip[2], mdip[2];	/* big-endian halves; IPv4 in the top of [0] */
	__u16 sp_lo, sp_span, dp_lo, dp_span;	/* port ranges; none: 0, 0xffff */
};

enum { WR_BPF_CHAIN_W0_L3 = 1 << 16, WR_BPF_CHAIN_W0_L4 = 1 << 17 };

/* wr_chains value. */
struct wr_bpf_chain {
	__u16 bd;		/* 0: the end of the list */
	__u16 id;		/* its counters: wr_chain_stats */
	__u32 pad;		/* zero */
	struct wr_bpf_chain_cls cls;
	struct wr_bpf_chain_step start[2];	/* forward, reverse */
};

/* wr_chain_ports value, by port index. */
struct wr_bpf_chain_port {
	__u16 bd;		/* the chain's bridge domain; 0: not a hop port */
	__u16 id;
	__u8 hop;
	__u8 dir;		/* the way frames back by it go: 0 forward (an out port), 1 reverse */
	__u8 l3;		/* a router's: its ARP and ND go up, to be bridged */
	__u8 pad;		/* zero */
	struct wr_bpf_chain_step next;
};

/* wr_chain_stats key of chain @id's hop @hop in direction @dir. */
static inline __u32 wr_bpf_chain_stats_key(__u32 id, __u32 hop, __u32 dir)
{
	return (id * WR_BPF_CHAIN_HOPS + hop) * 2 + dir;
}

#define WR_BPF_CHAIN_STATS_MAX	(WR_BPF_CHAIN_MAX * WR_BPF_CHAIN_HOPS * 2)

/* wr_chain_stats value: what the kernel did, as the workers count it (struct chain_ctr). */
struct wr_bpf_chain_stats {
	__u64 matched;		/* hop 0's entry: frames the classifier took this way */
	__u64 into, back, bypassed, dropped;
};

/* ---------------------------------------------------------------- AF_XDP */

/*
 * wr_xsks key of @port's receive queue @queue: one XSKMAP serves every port
 * (ports of one program may share it), so the key says which device.
 */
static inline __u32 wr_bpf_xsk_key(__u32 port, __u32 queue)
{
	return port * WR_BPF_QUEUE_MAX + queue;
}

#define WR_BPF_XSK_MAX		(WR_BPF_PORT_MAX * WR_BPF_QUEUE_MAX)

/* -------------------------------------------------------------- counters */

/*
 * Why a frame goes to userspace (XDP: the port's AF_XDP socket through
 * wr_xsks, or the stack when there is none; TC: the port's up_ifindex, or
 * TC_ACT_OK). Not drops:
 * userspace decides what becomes of the frame.
 */
#define WR_BPF_UP_REASONS(X)								\
	X(NO_PORT,	"input device is no port of the fast path")			\
	X(FASTPATH_OFF,	"fast path off on the input port")				\
	X(TAGS,		"802.1ad outer tag or two tags: left to userspace")		\
	X(FLOOD,	"broadcast or multicast destination: flooded by userspace")	\
	X(SRC_UNKNOWN,	"source MAC not known on this port: to be learned")		\
	X(SRC_MOVED,	"source MAC known on another port: a move")			\
	X(DST_UNKNOWN,	"destination MAC unknown: flooded by userspace")		\
	X(OUT_OFF,	"destination port not in the fast path")			\
	X(OTHER_NETNS,	"destination port in another namespace: no TC redirect there")	\
	X(NO_ROOM,	"VLAN tag could not be pushed or rewritten in the kernel")	\
	X(TUNNEL,	"tunnel frame on an underlay port: for warrend's decap")	\
	X(TUN_VLAN,	"tunnel frame from or to a port of VLANs: warrend gives it its VLAN")	\
	X(TC_ENCAP,	"to a VTEP through TC, not IP over an IPv4 tunnel: warrend encapsulates") \
	X(TC_DECAP,	"from a VTEP through TC, not IP inside or a GSO frame TC cannot take: warrend decapsulates") \
	X(CHAIN,	"a service chain's frame the kernel leaves to warrend (tagged, a fragment, a router's ARP, a flood)") \
	X(WATCH,	"from or to a port a trace, a mirror or a capture watches")

enum wr_bpf_up {
#define WR_BPF_UP_ENUM(name, text) WR_BPF_UP_##name,
	WR_BPF_UP_REASONS(WR_BPF_UP_ENUM)
#undef WR_BPF_UP_ENUM
	WR_BPF_UP_COUNT
};

/* Drop reasons: dataplane/wr_drop.def's, same numbers as enum wr_drop. */
enum wr_bpf_drop {
#define WR_DROP(name, text) WR_BPF_DROP_##name,
#include "wr_drop.def"
	WR_BPF_DROP_COUNT
};

#define WR_BPF_DROP_MAX		64	/* room for reasons wr_drop.def gains later */
#define WR_BPF_UP_MAX		16

/* wr_stats value (one per CPU, key 0): frames dropped and handed up, per reason. */
struct wr_bpf_stats {
	__u64 drops[WR_BPF_DROP_MAX];	/* enum wr_bpf_drop */
	__u64 up[WR_BPF_UP_MAX];	/* enum wr_bpf_up */
};

/*
 * wr_port_stats value (one per CPU and port). What arrived is partitioned:
 * rx_pkts = fwd_pkts + up_pkts + drop_pkts + kernel_pkts. Bytes are as on
 * the wire: a tag the stack holds in an skb's metadata counts, tx_bytes
 * after the egress tag edit. A TC GSO super-frame counts as its segments in the
 * packet counts, and its whole length in the bytes. Frames from devices
 * that are no port are counted in wr_stats only.
 */
struct wr_bpf_port_stats {
	__u64 rx_pkts, rx_bytes;	/* arrived on this port */
	__u64 fwd_pkts, fwd_bytes;	/* of those, forwarded in the kernel */
	__u64 up_pkts;			/* of those, handed to userspace */
	__u64 drop_pkts;		/* of those, dropped (wr_stats says why) */
	__u64 tx_pkts, tx_bytes;	/* forwarded in the kernel out of this port */
	/*
	 * Of those that arrived, left to the device's own stack: on an
	 * underlay port, all but its tunnel frames. Past the first 64 bytes,
	 * which hold what every other frame touches.
	 */
	__u64 kernel_pkts;
};

_Static_assert(sizeof(struct wr_bpf_fdb_key) == 8, "wr_bpf_fdb_key layout");
_Static_assert(sizeof(struct wr_bpf_fdb_val) == 16, "wr_bpf_fdb_val layout");
_Static_assert(sizeof(struct wr_bpf_port) == 40 + WR_BPF_VLAN_MAX / 8, "wr_bpf_port layout");
_Static_assert(__builtin_offsetof(struct wr_bpf_port, ul_ip) == 24 &&
	       __builtin_offsetof(struct wr_bpf_port, allowed) == 40, "wr_bpf_port layout");
_Static_assert(sizeof(struct wr_bpf_tun_hdr_key) == 4, "wr_bpf_tun_hdr_key layout");
_Static_assert(sizeof(struct wr_bpf_tun_hdr) == 144 &&
	       __builtin_offsetof(struct wr_bpf_tun_hdr, sport_span) == 128 &&
	       __builtin_offsetof(struct wr_bpf_tun_hdr, mtu) == 136, "wr_bpf_tun_hdr layout");
_Static_assert(sizeof(struct wr_bpf_tun_vni_key) == 8, "wr_bpf_tun_vni_key layout");
_Static_assert(sizeof(struct wr_bpf_tun_vtep_key) == 20, "wr_bpf_tun_vtep_key layout");
_Static_assert(sizeof(struct wr_bpf_steer) == 8 && sizeof(struct wr_bpf_steer_stats) == 16,
	       "wr_bpf_steer layout");
_Static_assert(sizeof(struct wr_bpf_stats) == 8 * (WR_BPF_DROP_MAX + WR_BPF_UP_MAX),
	       "wr_bpf_stats layout");
_Static_assert(__builtin_offsetof(struct wr_bpf_port_stats, kernel_pkts) == 64 &&
	       sizeof(struct wr_bpf_port_stats) == 72,
	       "wr_bpf_port_stats: what most frames touch in one cache line");
_Static_assert(sizeof(struct wr_bpf_chain_step) == 12 && sizeof(struct wr_bpf_chain_cls) == 120 &&
	       sizeof(struct wr_bpf_chain) == 152 && sizeof(struct wr_bpf_chain_port) == 20,
	       "wr_bpf_chain layout");
_Static_assert(WR_BPF_DROP_COUNT <= WR_BPF_DROP_MAX, "wr_drop.def outgrew wr_bpf_stats.drops");
_Static_assert(WR_BPF_UP_COUNT <= WR_BPF_UP_MAX, "up reasons outgrew wr_bpf_stats.up");

#endif /* WR_BPF_H */
