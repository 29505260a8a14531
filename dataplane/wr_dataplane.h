/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_dataplane.h - what dataplane/ offers: the switch (ports, bridge
 * domains, VLANs, FDB) that the control thread configures, and the workers
 * that move frames through the pipeline a vector at a time. The packet
 * descriptor and the port contract that drivers fill are wr_driver.h's;
 * the enums and bounds that the API shares, wr_api.h's.
 *
 * Threads: functions marked [control] are called by one control thread;
 * [worker] by the worker that owns the object; [any] by anyone. Workers
 * never take a lock and never allocate; tables they read are published by
 * the control thread and reclaimed after a grace period (wr_qsbr).
 */
#ifndef WR_DATAPLANE_H
#define WR_DATAPLANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wr_api.h"
#include "wr_driver.h"

#define WR_BD_MAX	(WR_BD_LAST + 1)	/* bridge domains 0..4095; 0 means "none" */
#define WR_VLAN_MAX	4096		/* VLAN ids 1..4094, as a table index */

#define WR_OUT_FLOOD	0xfffe	/* wr_pkt.out_port: every port of the bridge domain but the input */
#define WR_OUT_DROP	0xffff	/* wr_pkt.out_port: dropped; wr_pkt.drop says why */

/* ---------------------------------------------------------------- counters */

enum wr_drop {
#define WR_DROP(name, text) WR_DROP_##name,
#include "wr_drop.def"
	WR_DROP_COUNT
};

enum wr_event {
#define WR_EVENT(name, text) WR_EVENT_##name,
#include "wr_drop.def"
	WR_EVENT_COUNT
};

/** "parse_runt", the key in stats; and the sentence for people. [any] */
const char *wr_drop_name(enum wr_drop d);
const char *wr_drop_text(enum wr_drop d);
const char *wr_event_name(enum wr_event e);
const char *wr_event_text(enum wr_event e);

/* ------------------------------------------------------------------ frames */

/* -------------------------------------------------------------- the switch */

struct wr_switch;

struct wr_switch_conf {
	uint32_t fdb_max;	/* entries, all bridge domains (default 65536) */
	uint32_t age_s;		/* seconds an unused entry lives (default 300; 0 = never) */
	uint16_t n_workers;	/* learn queues to create (default 1) */
};

struct wr_port_conf {
	uint16_t bd;			/* WR_VLAN_NONE: the bridge domain */
	enum wr_vlan_mode vlan_mode;
	uint16_t access_vlan;		/* WR_VLAN_ACCESS */
	uint16_t native_vlan;		/* WR_VLAN_TRUNK: 0 = untagged frames dropped */
	uint64_t allowed[WR_VLAN_MAX / 64];	/* WR_VLAN_TRUNK: bitmap of VLAN ids */
	bool learning;			/* learn source MACs (default true) */
	uint32_t mac_limit;		/* learned MACs at most (0 = only the FDB's bound) */
};

/** A port_conf with the defaults: bd 1, no VLANs, learning on, no limit. [any] */
void wr_port_conf_init(struct wr_port_conf *c);

/** The defaults: 65536 FDB entries, 300 s aging, one worker. [any] */
void wr_switch_conf_init(struct wr_switch_conf *c);

/** Create a switch (@conf NULL: the defaults). NULL on bad conf (errno EINVAL) or no memory. [control] */
struct wr_switch *wr_switch_create(const struct wr_switch_conf *conf);
void wr_switch_destroy(struct wr_switch *sw);

/** Attach @port with @conf: its index (>= 0) or -errno. [control] */
int wr_switch_port_add(struct wr_switch *sw, struct wr_port *port, const struct wr_port_conf *conf);
/** Detach port @index: its FDB entries go, workers stop using it. [control] */
int wr_switch_port_del(struct wr_switch *sw, uint16_t index);
int wr_switch_port_set(struct wr_switch *sw, uint16_t index, const struct wr_port_conf *conf);
/** Administrative state: a down port receives and sends nothing. [control] */
int wr_switch_port_up(struct wr_switch *sw, uint16_t index, bool up);

/** Entries unused for @age_s seconds are removed (0: never). [control] */
void wr_switch_set_age(struct wr_switch *sw, uint32_t age_s);
uint32_t wr_switch_age(const struct wr_switch *sw);
/** The learned (not static) FDB entries on port @index. [control] */
uint32_t wr_switch_port_learned(const struct wr_switch *sw, uint16_t index);

/** Frames of @vlan go to bridge domain @bd (0: nowhere; by default VLAN N's is N). [control] */
int wr_switch_vlan_bd(struct wr_switch *sw, uint16_t vlan, uint16_t bd);
/** The bridge domain of @vlan's frames now (0: nowhere, or no such VLAN). [any] */
uint16_t wr_switch_vlan_bd_get(const struct wr_switch *sw, uint16_t vlan);

/* ----------------------------------------------------------------- tunnels */

/*
 * A tunnel (docs/overlays.md) takes an underlay port: every frame that port
 * receives is looked at as VXLAN or Geneve for the tunnel's local address;
 * the tunnel's frames are decapsulated and bridged, everything else is
 * dropped as underlay_other (AF_XDP underlays never see it: their XDP
 * program gives it to the kernel). The underlay leaves every bridge domain.
 * Each remote VTEP is a port of its own (FDB entries, counters, split
 * horizon: a frame from a VTEP is never flooded to another), in every
 * bridge domain of the tunnel's VNIs; its frames leave encapsulated through
 * the underlay once its next hop is known.
 */

struct wr_tunnel_conf {
	enum wr_tunnel_type type;
	bool ipv6;			/* the underlay's family */
	uint8_t local_ip[16];		/* the local VTEP (IPv4: the first 4 bytes) */
	uint16_t dst_port;		/* 0: 4789 (vxlan), 6081 (geneve) */
	uint16_t sport_min, sport_max;	/* UDP source ports from the inner flow (0, 0: 49152-65535) */
	bool udp_csum;			/* IPv4: outer UDP checksum (IPv6: always) */
	uint16_t mtu;			/* the underlay's IP MTU: longer outer packets are dropped */
	bool learn_vteps;		/* an unknown outer source asks to become a VTEP */
	uint8_t n_known;		/* geneve: critical options it takes (the others drop) */
	struct {
		uint16_t cls;
		uint8_t type;
	} known[WR_GENEVE_KNOWN_MAX];
	uint8_t n_opts;			/* geneve: options every frame sent carries */
	struct wr_gopt opts[WR_GENEVE_OPTS_MAX / 4];
};

/* How many frames came in with one Geneve option class and type (wr_tunnel_rx_options). */
struct wr_tunnel_opt_count {
	uint16_t cls;
	uint8_t type;
	uint64_t pkts;
};
#define WR_TUNNEL_RX_OPTS	16	/* (class, type) pairs counted apart per tunnel; the rest together */

/** Defaults: @type, UDP checksum on, MTU 1500, source ports 49152-65535. [any] */
void wr_tunnel_conf_init(struct wr_tunnel_conf *c, enum wr_tunnel_type type);

/** A tunnel on port @underlay: its id (0..WR_TUNNEL_MAX-1) or -errno. [control] */
int wr_tunnel_add(struct wr_switch *sw, uint16_t underlay, const struct wr_tunnel_conf *c);
/** Remove tunnel @id and its VTEP ports; the underlay becomes an ordinary port of bd 1 again. [control] */
int wr_tunnel_del(struct wr_switch *sw, int id);
/** VNI @vni is bridge domain @bd on tunnel @id (@bd 0: the VNI goes). [control] */
int wr_tunnel_vni(struct wr_switch *sw, int id, uint32_t vni, uint16_t bd);
/**
 * A remote VTEP at @ip (16 bytes, IPv4 in the first 4) on tunnel @id; with
 * @flood it gets the tunnel's broadcast, multicast and unknown unicast (its
 * flood list). Its port index or -errno. [control]
 */
int wr_tunnel_vtep_add(struct wr_switch *sw, int id, const uint8_t ip[16], bool flood);
int wr_tunnel_vtep_del(struct wr_switch *sw, uint16_t port);
/**
 * The way to VTEP @port: frames leave from @src_mac to the next hop's
 * @dst_mac (NULL: not known, frames to it are dropped as tun_no_nexthop).
 * [control]
 */
int wr_tunnel_vtep_nexthop(struct wr_switch *sw, uint16_t port, const uint8_t src_mac[6],
			   const uint8_t *dst_mac);
/**
 * The Geneve options tunnel @id received, by (class, type), into @out (up
 * to WR_TUNNEL_RX_OPTS); how many; those beyond the table into *@other. [any]
 */
int wr_tunnel_rx_options(const struct wr_switch *sw, int id, struct wr_tunnel_opt_count *out,
			 uint64_t *other);

/**
 * The addresses tunnel @id (with learn_vteps) received frames from that
 * are none of its VTEPs, since the last call, into @ips (16 bytes each, up
 * to @max; an address may come more than once). How many. Their frames
 * were dropped (tun_no_vtep); once the caller adds the VTEP, the next ones
 * are bridged. [control]
 */
int wr_tunnel_vtep_requests(struct wr_switch *sw, int id, uint8_t (*ips)[16], int max);

/** The tunnel of VTEP @port (and its address into @ip), or -1 when it is none. [control] */
int wr_tunnel_vtep_of(const struct wr_switch *sw, uint16_t port, uint8_t ip[16]);

/*
 * An outer header, built once per (remote VTEP, bridge domain) by the
 * control thread (overlay_priv.h's wr_tun_hdr_build), then read only: the
 * bytes every frame gets, and what the per-frame writes need
 * (docs/overlays.md, Encapsulation). At most WR_TUN_HDR_MAX bytes: the
 * headroom every driver leaves, less one VLAN tag pushed on the inner
 * frame and one kept for a tag on the underlay.
 */
#define WR_TUN_HDR_MAX		(WR_HEADROOM - 2 * 4)
struct wr_tun_hdr {
	uint8_t bytes[WR_TUN_HDR_MAX];	/* outer Ethernet to the last Geneve option */
	uint32_t udp_sum;	/* one's complement sum of the pseudo-header's addresses and
				 * protocol, and of the UDP and tunnel header's constant words */
	uint32_t sport_span;	/* sport_max - sport_min + 1 */
	uint16_t sport_min;
	uint8_t len;		/* bytes of the header: the frame grows by this */
	uint8_t l4_off;		/* the UDP header, from bytes */
	bool ipv6;
	bool udp_csum;
	bool flow_label;
};

/*
 * A copy of the tunnels kept elsewhere, such as the kernel fast path's
 * maps: told of every change as the control thread makes it (next hop
 * found, changed or lost; VNI added, moved or removed; VTEP added or
 * deleted; tunnel deleted), after a replay of what there is when it is
 * set. Removals come before what depends on them goes: a VNI's or a
 * VTEP's decap entry before its headers, headers before the VTEP's port.
 * A tunnel is known by its underlay port, a VTEP by its port. [control]
 */
struct wr_tunnel_mirror {
	/* VTEP @vtep's header for bridge domain @bd, leaving by port @underlay, IP MTU @mtu. */
	void (*hdr_set)(void *ctx, uint16_t vtep, uint16_t bd, const struct wr_tun_hdr *h,
			uint16_t underlay, uint16_t mtu);
	void (*hdr_del)(void *ctx, uint16_t vtep, uint16_t bd);
	/* VNI @vni of the tunnel on @underlay is bridge domain @bd. */
	void (*vni_set)(void *ctx, uint16_t underlay, uint32_t vni, uint16_t bd);
	void (*vni_del)(void *ctx, uint16_t underlay, uint32_t vni);
	/* The remote VTEP at @ip (16 bytes, IPv4 in the first 4) of the tunnel on @underlay is port @vtep. */
	void (*vtep_set)(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep);
	void (*vtep_del)(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep);
	void *ctx;
};

/**
 * Keep @m (copied) told of the tunnels from now on, starting with a set
 * for everything there is; NULL stops it. [control]
 */
void wr_switch_set_tunnel_mirror(struct wr_switch *sw, const struct wr_tunnel_mirror *m);

/* ---------------------------------------------------------------- steering */

/*
 * Steering rules (docs/steering.md): a unicast frame (its destination MAC
 * not multicast) whose destination MAC, VLAN, or VNI (a frame off a tunnel)
 * a rule matches leaves by the rule's port, whatever the FDB says or does
 * not know. A MAC rule is tried first, then a VLAN rule, then a VNI rule.
 * The frame still meets the output port's VLAN egress as a bridged frame
 * does; a rule that sends it back to its input port, to a port outside
 * its bridge domain, or whose port is gone, drops it (counted). At most
 * WR_STEER_MAX rules; matching costs one hash probe per kind of rule there is.
 */
enum wr_steer_kind {
	WR_STEER_MAC = 1,	/* the destination MAC (a unicast one) */
	WR_STEER_VLAN = 2,	/* the VLAN the frame belongs to (1..4094) */
	WR_STEER_VNI = 3,	/* the VNI a frame came off a tunnel with */
};

struct wr_steer_match {
	enum wr_steer_kind kind;
	uint8_t mac[6];		/* WR_STEER_MAC */
	uint32_t id;		/* WR_STEER_VLAN: the VLAN; WR_STEER_VNI: the VNI */
};

/* A rule's port after its port was deleted: the rule matches and drops (steer_no_port). */
#define WR_STEER_NO_PORT	0xffff

struct wr_steer_rule {
	struct wr_steer_match m;
	uint16_t port;		/* WR_STEER_NO_PORT: inactive */
	uint64_t pkts, bytes;	/* frames it matched (in userspace), summed over the workers */
};

/**
 * A rule: frames @m matches go to @port. Its id (0..WR_STEER_MAX-1), or
 * -EINVAL (a bad match, or @port a tunnel's underlay or VTEP), -ENOENT (no
 * port @port), -EEXIST (a rule with @m), -ENOSPC (WR_STEER_MAX rules), or
 * -EAGAIN (every free id was let go of a moment ago; workers still count
 * with it). [control]
 */
int wr_steer_add(struct wr_switch *sw, const struct wr_steer_match *m, uint16_t port);
/** Remove the rule of @m: 0 or -ENOENT. Frames in flight finish under the old rules. [control] */
int wr_steer_del(struct wr_switch *sw, const struct wr_steer_match *m);
/** Rule @id sends to @port from now on (a port that came back): 0 or -errno as add. [control] */
int wr_steer_set_port(struct wr_switch *sw, int id, uint16_t port);
/** The id of the rule of @m, or -ENOENT. [control] */
int wr_steer_find(const struct wr_switch *sw, const struct wr_steer_match *m);
/** Rule @id with its counters into *@out: 0, or -ENOENT when no rule has that id. [control] */
int wr_steer_get(const struct wr_switch *sw, int id, struct wr_steer_rule *out);
/** How many rules there are. [control] */
uint32_t wr_steer_count(const struct wr_switch *sw);

/*
 * A copy of the rules kept elsewhere, such as the kernel fast path's map:
 * told of every rule as it is added, re-pointed (its port deleted or back)
 * or deleted, after a replay of those there are when it is set. [control]
 */
struct wr_steer_mirror {
	void (*set)(void *ctx, int id, const struct wr_steer_match *m, uint16_t port);
	void (*del)(void *ctx, int id, const struct wr_steer_match *m);
	void *ctx;
};

/** Keep @m (copied) told of the rules from now on; NULL stops it. [control] */
void wr_switch_set_steer_mirror(struct wr_switch *sw, const struct wr_steer_mirror *m);

/* ------------------------------------------------------------------ chains */

/*
 * Service chains (docs/chains.md). A chain takes the frames of its bridge
 * domain that its classifier matches, from the domain's ordinary ports,
 * through its hops in order and back into the bridge; what matches with
 * source and destination swapped goes through the hops in reverse. Each
 * hop is a pair of ports (in, out) into a network function; the port a
 * frame comes back by says where it is in the chain. An l2 hop's ports
 * belong to no bridge domain while its chain lives: they never learn and
 * get no flooded frame. An l3 hop (a router) is a host of the chain's
 * domain besides: its ports learn, get flooded frames, and what they send
 * that is not IP, or is IPv6 neighbour discovery, is bridged there; a
 * frame the chain sends into it takes the hop interface's MAC as its
 * destination. Chains are asked by priority (lowest first), then name.
 */

/* Which classifier fields are set (wr_chain_class.fields). */
enum {
	WR_CHAIN_F_IN_PORT = 1 << 0,	/* forward direction only */
	WR_CHAIN_F_VLAN = 1 << 1,
	WR_CHAIN_F_SRC_MAC = 1 << 2,
	WR_CHAIN_F_DST_MAC = 1 << 3,
	WR_CHAIN_F_SRC_NET = 1 << 4,
	WR_CHAIN_F_DST_NET = 1 << 5,
	WR_CHAIN_F_PROTO = 1 << 6,
	WR_CHAIN_F_SPORT = 1 << 7,
	WR_CHAIN_F_DPORT = 1 << 8,
};

struct wr_chain_class {
	uint32_t fields;		/* WR_CHAIN_F_*: the others match anything */
	uint16_t in_port;
	uint16_t vlan;			/* the VLAN the frame belongs to */
	uint8_t src_mac[6], dst_mac[6];
	uint8_t ip_version;		/* 4 or 6 with a prefix; 0: any frame */
	uint8_t src_len, dst_len;	/* prefix lengths */
	uint8_t src_ip[16], dst_ip[16];	/* IPv4 in the first 4 bytes */
	uint8_t proto;			/* IP protocol */
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;	/* TCP and UDP */
};

/*
 * A classifier as the masked words workers (chain_priv.h) and the kernel
 * fast path (bpf/wr_bpf.h) compare a frame's key with. w0: IP version
 * (bits 0-7: 4, 6; 0 not IP), IP protocol (8-15), an IP header (16), a
 * whole TCP or UDP header (17), VLAN (32-47), input port (48-63; the
 * reverse key's is none, so a classifier with an input port matches
 * forward only).
 */
struct wr_chain_words {
	uint64_t w0, m0;
	uint64_t smac, msmac, dmac, mdmac;	/* MACs as 48-bit numbers, first byte highest */
	uint64_t sip[2], msip[2], dip[2], mdip[2];	/* big-endian halves; IPv4 in the top of [0] */
	uint16_t sp_lo, sp_span, dp_lo, dp_span;	/* not given: 0, 0xffff */
};

struct wr_chain_hop {
	uint16_t in, out;		/* ports */
	enum wr_chain_kind kind;
	enum wr_chain_fail fail;
	/* l3: the destination MAC of a frame sent into the hop, by direction (WR_CHAIN_FWD: by in) */
	uint8_t mac[2][6];
};

struct wr_chain_conf {
	char name[WR_PORT_NAME_MAX + 1];
	uint16_t bd;
	int32_t priority;		/* lowest first; ties by name */
	struct wr_chain_class cls;
	uint8_t n_hops;
	struct wr_chain_hop hops[WR_CHAIN_HOPS_MAX];
};

/* Direction: forward (as the classifier says) and reverse (swapped). */
enum { WR_CHAIN_FWD, WR_CHAIN_REV, WR_CHAIN_DIRS };

/* A hop's frames in one direction. */
struct wr_chain_hop_stats {
	uint64_t into;		/* sent into the hop */
	uint64_t back;		/* come back from it */
	uint64_t bypassed;	/* went past it while it was down (fail open) */
	uint64_t dropped;	/* dropped at it while it was down (fail closed) */
};

struct wr_chain_info {
	struct wr_chain_conf conf;
	uint64_t matched[WR_CHAIN_DIRS];	/* frames the classifier took */
	struct {
		bool admin_up;		/* as last set (wr_chain_hop_set) */
		bool probe_up;		/* as last set (wr_chain_hop_probe); true without a probe */
		bool link_up;		/* both ports there, up, with carrier */
		bool up;		/* all three */
		int64_t since_s;	/* CLOCK_REALTIME second of the last change of up */
		struct wr_chain_hop_stats st[WR_CHAIN_DIRS];
	} hop[WR_CHAIN_HOPS_MAX];
};

/**
 * A chain as @c says: its id (0..WR_CHAIN_MAX-1) or -errno: -EINVAL (no
 * classifier field, a bad one, no hop, an l3 hop without unicast MACs, a
 * hop port that is not untagged, or a port twice), -EDOM (a classifier without a
 * direction: it matches its own answers), -ENOENT (a port not there), -EEXIST
 * (a chain of that name), -EBUSY (a port that is a tunnel's, a steering
 * rule's or another chain's), -ENOSPC (WR_CHAIN_MAX chains), -EAGAIN (ids
 * let go of a moment ago only). Its hop ports leave their bridge domains
 * and forget what they learned. [control]
 */
int wr_chain_add(struct wr_switch *sw, const struct wr_chain_conf *c);
/** Remove chain @id: its hop ports take their own configuration again. [control] */
int wr_chain_del(struct wr_switch *sw, int id);
/** The id of the chain named @name, or -ENOENT. [control] */
int wr_chain_find(const struct wr_switch *sw, const char *name);
/** Chain @id with its hops' state (looked at now) and counters into *@out: 0 or -ENOENT. [control] */
int wr_chain_get(struct wr_switch *sw, int id, struct wr_chain_info *out);
/** Hop @hop of chain @id administratively up or down: 0, -ENOENT, -ERANGE (no such hop). [control] */
int wr_chain_hop_set(struct wr_switch *sw, int id, unsigned int hop, bool up);
/**
 * Hop @hop of chain @id's health probe passing or failing (warrend's
 * checker): the hop is up only while it is set up, its probe passes (as
 * it does until told otherwise) and both ports have carrier. As
 * wr_chain_hop_set(). [control]
 */
int wr_chain_hop_probe(struct wr_switch *sw, int id, unsigned int hop, bool passing);
/** The chain that names port @index (as a hop port or in its classifier), or -1. [control] */
int wr_chain_of_port(const struct wr_switch *sw, uint16_t index);
/** Whether bridge domain @bd has a chain. [control] */
bool wr_chain_in_bd(const struct wr_switch *sw, uint16_t bd);
/**
 * Whether the kernel fast path must ask the chains of port @index's frames
 * (wr_chain_export()): a chain's hop port, or a port of a bridge domain
 * with a chain. [control]
 */
bool wr_chain_port_chained(const struct wr_switch *sw, uint16_t index);
/** Whether port @index is a hop port of a chain. [control] */
bool wr_chain_hop_port(const struct wr_switch *sw, uint16_t index);
/** The chain's bridge domain if port @index is an l3 hop's (a host there too), else 0. [control] */
uint16_t wr_chain_l3_bd(const struct wr_switch *sw, uint16_t index);

/*
 * Where a chain's frame goes from one point on: the chain's walk (hops
 * down and failing open passed by, one failing closed a drop) with the
 * hops' states as they are now.
 */
#define WR_CHAIN_STEP_BRIDGE	0xfffd	/* past the last hop: to the bridge of the chain's domain */
#define WR_CHAIN_STEP_DROP	0xfffe	/* at a hop down that fails closed */

struct wr_chain_step {
	uint16_t port;		/* the hop port it goes into, or WR_CHAIN_STEP_* */
	uint8_t hop;		/* the hop it goes into, or is dropped at */
	uint8_t bypassed;	/* bit j: hop j passed by */
	bool l3;		/* into a router: the destination MAC becomes mac */
	uint8_t mac[6];
};

/* The chains as the kernel fast path takes them (bpf/wr_bpf.h, wr_chains and wr_chain_ports). */
struct wr_chain_export {
	uint16_t n;
	struct {
		uint16_t id, bd;
		struct wr_chain_words cls;
		struct wr_chain_step start[WR_CHAIN_DIRS];	/* where a frame it takes goes */
	} c[WR_CHAIN_MAX];	/* in the order they are asked */
	struct {
		uint16_t bd;	/* the chain's domain; 0: not a hop port */
		uint16_t id;
		uint8_t hop, dir;	/* dir: the way frames back by this port go */
		bool l3;
		struct wr_chain_step next;	/* where they go */
	} port[WR_PORT_MAX];
};

/** The chains now, for the kernel fast path, into *@out. [control] */
void wr_chain_export(const struct wr_switch *sw, struct wr_chain_export *out);

/*
 * Told when the chains change: one added or deleted, a hop's state (set,
 * probed, its links). wr_chain_export() then says how they are. [control]
 */
struct wr_chain_mirror {
	void (*changed)(void *ctx);
	void *ctx;
};

/** Keep @m (copied) told of the chains from now on, told once now; NULL stops it. [control] */
void wr_switch_set_chain_mirror(struct wr_switch *sw, const struct wr_chain_mirror *m);
uint32_t wr_chain_count(const struct wr_switch *sw);

/* ------------------------------------------------------------------- trace */

/*
 * Tracing (trace.c, docs/trace.md): the next frames a port receives that
 * match a filter, or one synthetic frame, followed through every stage
 * and recorded by the worker that handles them. While no trace is armed a
 * worker pays one relaxed load and a branch per pass.
 */
#define WR_TRACE_RING		64	/* records a worker holds until the control thread takes them */
#define WR_TRACE_HDR		128	/* bytes of a frame a record keeps, as it arrived */
#define WR_TRACE_OUT_MAX	16	/* output ports a record names (flood_count says how many) */
#define WR_TRACE_FRAME_MAX	1514	/* a synthetic frame's bytes at most */

/* Where a traced frame stopped: a stage that dropped it, or OUTPUT (sent, or dropped there). */
enum wr_trace_stage {
	WR_TRACE_DECAP,
	WR_TRACE_PARSE,
	WR_TRACE_BRIDGE,
	WR_TRACE_OUTPUT,
	WR_TRACE_STAGES
};

/* What the bridge did with a frame's source MAC. */
enum wr_trace_src {
	WR_TRACE_SRC_NONE,	/* not asked: the frame stopped before */
	WR_TRACE_SRC_REFRESHED,	/* known on this port: its entry refreshed */
	WR_TRACE_SRC_LEARN,	/* unknown: a learn request queued */
	WR_TRACE_SRC_MOVE,	/* known on another port (src_was): a move requested */
	WR_TRACE_SRC_NO_LEARN,	/* the port does not learn */
	WR_TRACE_SRC_FROM_HOP,	/* out of a chain's hop: never learned there */
};

/* What a chain did with a frame (wr_trace_rec.chain_how). */
enum wr_trace_chain {
	WR_TRACE_CHAIN_NONE,
	WR_TRACE_CHAIN_INTO,	/* classified: into the hop's port */
	WR_TRACE_CHAIN_NEXT,	/* back from a hop: into the next hop's port */
	WR_TRACE_CHAIN_BRIDGE,	/* back from the last hop (or the rest bypassed): bridged */
};

#define WR_TRACE_NONE	0xffff	/* a port, VTEP, FDB port or rule not there */

/* One traced frame, stage by stage; numbers only (warrend names them). */
struct wr_trace_rec {
	uint64_t when_ns;		/* CLOCK_REALTIME when the worker received it */
	uint32_t ns[WR_TRACE_STAGES];	/* time in each stage that ran */
	uint16_t worker;
	uint16_t in_port;		/* as received (a tunnel's underlay for a tunnel frame) */
	uint16_t len;			/* bytes as received */
	uint16_t n_hdr;			/* of hdr[] */
	uint8_t hdr[WR_TRACE_HDR];
	bool synthetic;			/* made by warrend, run dry: not sent, not learned */
	uint8_t stage;			/* enum wr_trace_stage: where it stopped */
	uint8_t drop;			/* enum wr_drop, or 0xff: not dropped */
	/* decap (a tunnel's underlay) */
	bool tunnel;
	uint16_t vtep;			/* the VTEP port it came in by */
	uint32_t vni;
	/* parse */
	uint16_t ethertype;
	uint16_t tag;			/* the outer tag's VLAN id (0: untagged) */
	uint8_t n_tags;
	uint8_t l4_proto;
	uint8_t pkt_flags;		/* WR_PKT_F_* */
	/* bridge */
	uint16_t bd, vlan;
	uint8_t src;			/* enum wr_trace_src */
	uint16_t src_was;		/* WR_TRACE_SRC_MOVE: the port it was known on */
	uint16_t dst;			/* the FDB's port for the destination; WR_TRACE_NONE: miss */
	bool dst_mcast;
	uint16_t steer;			/* the steering rule that decided, or WR_TRACE_NONE */
	uint8_t chain_how;		/* enum wr_trace_chain */
	uint16_t chain;			/* chain id */
	uint8_t chain_hop;
	uint8_t chain_dir;		/* WR_CHAIN_FWD, WR_CHAIN_REV */
	uint16_t out_port;		/* the bridge's verdict: a port, WR_OUT_FLOOD */
	/* output */
	uint16_t n_out;			/* ports it left by (each copy of a flood) */
	uint16_t out[WR_TRACE_OUT_MAX];
	uint16_t n_lost;		/* copies that did not leave (drop: the first's reason) */
};

/* A trace to arm. */
struct wr_trace_conf {
	uint16_t port;			/* the input port */
	uint16_t count;			/* frames to record, 1..WR_TRACE_MAX */
	struct wr_chain_class filter;	/* fields 0: every frame; in_port is not taken */
	/* A synthetic frame (len 0: trace real frames): run once, dry, as if port received it. */
	const uint8_t *frame;
	uint16_t frame_len;
};

/**
 * Arm a trace: 0, -EBUSY (one is armed already), -ENOENT (no such port),
 * -EINVAL (a bad count, filter or frame), -ENOMEM. [control]
 */
int wr_trace_start(struct wr_switch *sw, const struct wr_trace_conf *c);
/**
 * Take what the workers recorded since the last call: the records so far
 * (in the order taken) into *@recs, at most the count asked; *@overflow
 * gets the records the workers could not keep (their rings full). How
 * many there are, or -ENOENT when no trace is armed. [control]
 */
int wr_trace_collect(struct wr_switch *sw, const struct wr_trace_rec **recs, uint64_t *overflow);
/** Disarm the trace (its records go with it). [control] */
void wr_trace_stop(struct wr_switch *sw);

/* ------------------------------------------------- mirrors and captures */

/*
 * A mirror copies what a port receives and/or sends out of another port:
 * the copy is one more transmit on that port's queue, dropped and counted
 * when the queue is full, never waited for. A capture records a port's
 * frames with the switch's verdict into a bounded ring per worker, which
 * the control thread drains (wr_capture_read); a full ring drops and
 * counts. Both are found through one table pointer per pass: without any,
 * a worker pays one pointer test per vector (docs/capture.md).
 */
struct wr_mirror_info {
	uint16_t port, to;
	enum wr_tap_dir dir;
	uint64_t copied, dropped;	/* since it was added */
};

/**
 * Mirror port @port's frames (@dir) to port @to: the mirror's id
 * (0..WR_MIRROR_MAX-1) or -ENOENT (no such port), -EINVAL (@to is @port),
 * -ELOOP (@to is mirrored itself, or @port is a mirror's destination),
 * -EEXIST (that pair is mirrored already), -ENOSPC (WR_MIRROR_MAX). [control]
 */
int wr_mirror_add(struct wr_switch *sw, uint16_t port, uint16_t to, enum wr_tap_dir dir);
/** Remove mirror @id: 0 or -ENOENT. [control] */
int wr_mirror_del(struct wr_switch *sw, int id);
/** Mirror @id into *@out: 0 or -ENOENT. [control] */
int wr_mirror_get(const struct wr_switch *sw, int id, struct wr_mirror_info *out);
/** The first mirror from or to port @index, or -1. [control] */
int wr_mirror_of_port(const struct wr_switch *sw, uint16_t index);
/** Whether a mirror or a capture watches port @index (the kernel must hand its frames up). [control] */
bool wr_tap_port_watched(const struct wr_switch *sw, uint16_t index);

/* What a capture's record says the switch did with a frame. */
enum wr_capture_verdict {
	WR_CAP_TO_PORT,		/* received, forwarded to port @arg */
	WR_CAP_FLOOD,		/* received, flooded to @arg ports */
	WR_CAP_DROP,		/* received, dropped for enum wr_drop @arg */
	WR_CAP_TX,		/* sent by the port */
};

/* One frame a capture recorded, as wr_capture_read() gives it. */
struct wr_capture_rec {
	uint64_t ts_ns;		/* CLOCK_REALTIME, one stamp per worker pass */
	uint32_t orig_len;	/* the frame's length; data holds cap_len of it */
	uint16_t cap_len;
	uint16_t arg;		/* of the verdict */
	uint8_t verdict;	/* enum wr_capture_verdict */
	const uint8_t *data;	/* valid until the next wr_capture_read() call for it */
};

/**
 * Record port @port's frames (@dir): the capture's id (0..WR_CAPTURE_MAX-1),
 * or -ENOENT, -ENOSPC (WR_CAPTURE_MAX), -ENOMEM. [control]
 */
int wr_capture_open(struct wr_switch *sw, uint16_t port, enum wr_tap_dir dir);
/**
 * Hand up to @max of capture @id's frames to @fn, oldest first per worker,
 * each slot released when @fn returns; @fn returns false to stop (its
 * record is kept for the next call). How many were handed. [control]
 */
unsigned int wr_capture_read(struct wr_switch *sw, int id, unsigned int max,
			     bool (*fn)(const struct wr_capture_rec *r, void *arg), void *arg);
/** Frames capture @id lost to full rings since it was opened. [control] */
uint64_t wr_capture_dropped(const struct wr_switch *sw, int id);
/** Stop capture @id; its rings go once no worker can see them. [control] */
void wr_capture_close(struct wr_switch *sw, int id);

/* --------------------------------------------------------------------- FDB */

struct wr_fdb_entry {
	uint16_t bd;
	uint8_t mac[6];
	uint16_t port;
	bool is_static;
	uint32_t age_s;		/* seconds since last seen */
};

/**
 * A static entry: frames to @mac in @bd go to @port. @bd must be one of the
 * port's bridge domains (0: its only one): -EXDEV otherwise. [control]
 */
int wr_fdb_add_static(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6], uint16_t port);
int wr_fdb_del(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6]);
/** Remove learned entries (and static ones too when @all) of a port / a bd / all, in one pass. */
int wr_fdb_flush_port(struct wr_switch *sw, uint16_t port, bool all);
int wr_fdb_flush_bd(struct wr_switch *sw, uint16_t bd, bool all);
int wr_fdb_flush_all(struct wr_switch *sw, bool all);
/** Look one entry up: 0 and *out, or -ENOENT. [control] */
int wr_fdb_get(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6], struct wr_fdb_entry *out);
/** Every entry, in table order. Count or the first negative @fn returned. [control] */
int wr_fdb_foreach(struct wr_switch *sw, int (*fn)(const struct wr_fdb_entry *e, void *arg),
		   void *arg);
uint32_t wr_fdb_count(const struct wr_switch *sw);

/*
 * A copy of the FDB kept elsewhere, such as the kernel fast path's map:
 * told of every change as the control thread makes it (learned, moved,
 * static, aged, flushed, deleted, its port deleted), and asked, before an
 * entry ages out, when it last saw the entry's MAC as a source, since
 * frames it forwards itself never reach the workers. [control]
 */
struct wr_fdb_mirror {
	void (*set)(void *ctx, uint16_t bd, const uint8_t mac[6], uint16_t port, bool is_static);
	void (*del)(void *ctx, uint16_t bd, const uint8_t mac[6]);
	/* The switch-clock second it last saw (bd, mac) as a source; 0: never. May be NULL. */
	uint32_t (*last_seen)(void *ctx, uint16_t bd, const uint8_t mac[6]);
	void *ctx;
};

/**
 * Keep @m (copied) told of the FDB from now on, starting with a set() for
 * every entry there is; NULL stops it. [control]
 */
void wr_switch_set_mirror(struct wr_switch *sw, const struct wr_fdb_mirror *m);

/**
 * The control thread's periodic work: apply what workers asked to learn,
 * age entries older than age_s, recycle slots no worker can still see.
 * @now_s is the switch clock (seconds, monotonic). [control]
 */
void wr_switch_tick(struct wr_switch *sw, uint32_t now_s);

/* ----------------------------------------------------------------- workers */

struct wr_worker;

/** Worker @id (< n_workers) of @sw; ports are given with wr_worker_add_port(). [control] */
struct wr_worker *wr_worker_create(struct wr_switch *sw, uint16_t id);
void wr_worker_destroy(struct wr_worker *w);
/** Serve port @index from worker @w (every port is served by one worker). [control] */
int wr_worker_add_port(struct wr_worker *w, uint16_t index);

/**
 * One pass: a burst from each port, through the pipeline, out. Returns the
 * frames received. @now_s is the switch clock. [worker]
 */
uint32_t wr_worker_poll(struct wr_worker *w, uint32_t now_s);

/**
 * A worker about to sleep (in poll(), say) parks: the control thread's
 * reclamation stops waiting for it. It unparks before its next poll. [worker]
 */
void wr_worker_park(struct wr_worker *w);
void wr_worker_unpark(struct wr_worker *w);

/** Counters of @w, summed into @drops/@events (arrays of *_COUNT); [any] */
void wr_worker_counters(const struct wr_worker *w, uint64_t *drops, uint64_t *events);
/** Port @index's counters as seen by @w, added into @st. [any] */
void wr_worker_port_stats(const struct wr_worker *w, uint16_t index, struct wr_port_stats *st);

/** The switch's counters: every worker's and the FDB's, added into the arrays. [any] */
void wr_switch_counters(const struct wr_switch *sw, uint64_t *drops, uint64_t *events);
/** Port @index's counters summed over the workers, into *@st (zeroed first). [any] */
void wr_switch_port_stats(const struct wr_switch *sw, uint16_t index, struct wr_port_stats *st);

#endif /* WR_DATAPLANE_H */
