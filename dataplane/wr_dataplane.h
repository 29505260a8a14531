/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_dataplane.h - what dataplane/ offers: the packet descriptor and the
 * port contract that drivers fill, the switch (ports, bridge domains, VLANs,
 * FDB) that the control thread configures, and the workers that move
 * frames through the pipeline a vector at a time.
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
#include <stdlib.h>
#include <string.h>

#define WR_BURST	32	/* frames per rx/tx call, as DPDK */
#define WR_VEC_MAX	256	/* frames per vector, as a VPP frame */
#define WR_PORT_MAX	256	/* ports per switch */
#define WR_BD_MAX	4096	/* bridge domains 0..4095; 0 means "none" */
#define WR_VLAN_MAX	4096	/* VLAN ids 1..4094 */
#define WR_WORKER_MAX	64
#define WR_HEADROOM	128	/* bytes every driver leaves before a frame */
#define WR_CACHE_LINE	64

#define WR_OUT_FLOOD	0xfffe	/* wr_pkt.out_port: every port of the bridge domain but the input */
#define WR_OUT_DROP	0xffff	/* wr_pkt.out_port: dropped; wr_pkt.drop says why */

/**
 * Zeroed memory aligned on a cache line, or NULL: C11's aligned_alloc
 * wants a size that is a multiple of the alignment. For objects shared
 * between threads (no false sharing) and tables (no split lines). [control]
 */
static inline void *wr_zalloc_aligned(size_t size)
{
	size_t rounded = (size + WR_CACHE_LINE - 1) & ~(size_t)(WR_CACHE_LINE - 1);
	void *p = aligned_alloc(WR_CACHE_LINE, rounded);

	if (p)
		memset(p, 0, rounded);
	return p;
}

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

enum {
	WR_PKT_F_L3 = 1 << 0,		/* l3_off points at a valid IPv4/IPv6 header */
	WR_PKT_F_L4 = 1 << 1,		/* l4_off points at a complete UDP/TCP header */
	WR_PKT_F_TAGGED = 1 << 2,	/* the frame's data carries an outer VLAN tag now */
};

/*
 * One frame. The data belongs to the driver of in_port (an AF_XDP UMEM frame,
 * a DPDK mbuf, a ring buffer); cookie is the driver's handle on it. Drivers
 * leave WR_HEADROOM bytes before data so a VLAN tag can be pushed in place.
 */
struct wr_pkt {
	uint8_t *data;		/* the Ethernet header */
	uint64_t cookie;	/* the driver's handle on the buffer */
	uint32_t hash;		/* flow hash (5-tuple, or MACs when not IP) */
	uint16_t len;		/* bytes from data */
	uint16_t in_port;
	uint16_t out_port;	/* a port index, WR_OUT_FLOOD or WR_OUT_DROP */
	uint16_t bd;		/* bridge domain (0: none yet) */
	uint16_t vlan;		/* the VLAN the frame belongs to (0: none) */
	uint16_t outer_tpid;	/* 0x8100 / 0x88a8 of the outer tag, 0 when untagged */
	uint16_t ethertype;	/* after the tags */
	uint16_t l3_off;	/* from data */
	uint16_t l4_off;	/* from data */
	uint8_t l4_proto;	/* IPPROTO_UDP, IPPROTO_TCP, ...; 0 when unknown */
	uint8_t n_tags;		/* VLAN tags in the frame's data (0..2) */
	uint8_t flags;		/* WR_PKT_F_* */
	uint8_t drop;		/* out_port WR_OUT_DROP: enum wr_drop; WR_OUT_FLOOD: output's record */
};

/* ------------------------------------------------------------------- ports */

struct wr_port;

/** Per-port traffic counters, kept per worker and summed on read. */
struct wr_port_stats {
	uint64_t rx_pkts, rx_bytes;
	uint64_t tx_pkts, tx_bytes;
	uint64_t drops;		/* frames dropped that arrived on this port */
	uint64_t copies;	/* frames copied between buffer pools */
};

/*
 * What a port backend does (drivers/). Bursts return how many frames they
 * handled, as DPDK's do; none of these may block or sleep. [worker]
 */
struct wr_port_ops {
	const char *kind;	/* "ring", "afxdp", "tap", "dpdk" */
	/*
	 * @queue is the calling worker's id: each worker has its own queue on
	 * every port (as DPDK's per-lcore TX queues), so no call needs a lock.
	 */
	/* Receive up to @n frames into pkts[0..n): data, len and cookie. */
	uint16_t (*rx_burst)(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts, uint16_t n);
	/* Queue pkts for sending; the port owns the first (returned) ones. */
	uint16_t (*tx_burst)(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n);
	/* Fresh empty buffers of this port's pool (for flooded copies); data at the headroom. */
	uint16_t (*alloc)(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n);
	/* Give buffers of this port's pool back. */
	void (*free)(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n);
	/* Carrier. [any] */
	bool (*link_up)(const struct wr_port *port);
	/* What the backend itself counted (its rings, the device), added into @st. [any] */
	void (*stats)(const struct wr_port *port, struct wr_port_stats *st);
	/* Release everything; the port is not used afterwards. [control] */
	void (*close)(struct wr_port *port);
	/*
	 * A file descriptor that polls readable (POLLIN) when @queue may have
	 * frames to receive, for an idle worker to sleep on; -1 when there is
	 * none (the port must be polled). NULL means -1. [any]
	 */
	int (*poll_fd)(const struct wr_port *port, uint16_t queue);
	/*
	 * What only this backend counts, as up to @max name/value pairs
	 * ("rx_ring_full", ...); how many were written. NULL: none. [control]
	 */
	int (*xstats)(const struct wr_port *port, const char **names, uint64_t *vals, int max);
};

/* Set by the driver when it creates a port; the switch fills index. */
struct wr_port {
	const struct wr_port_ops *ops;
	void *priv;		/* the driver's */
	const void *pool;	/* buffer pool: same pool, frames move without a copy */
	uint16_t buf_size;	/* bytes a buffer holds after the headroom */
	/*
	 * The longest frame the device takes, Ethernet header and one VLAN tag
	 * included (its MTU + 18), at most buf_size; longer ones are dropped
	 * as too_big. The driver may update it (MTU changes) at any time.
	 */
	uint16_t max_len;
	uint16_t index;		/* in the switch, set by wr_switch_port_add() */
	char name[32];
};

/* -------------------------------------------------------------- the switch */

struct wr_switch;

struct wr_switch_conf {
	uint32_t fdb_max;	/* entries, all bridge domains (default 65536) */
	uint32_t age_s;		/* seconds an unused entry lives (default 300; 0 = never) */
	uint16_t n_workers;	/* learn queues to create (default 1) */
};

enum wr_vlan_mode {
	WR_VLAN_NONE,		/* frames bridged as they are in port's bd */
	WR_VLAN_ACCESS,		/* untagged frames, in access_vlan */
	WR_VLAN_TRUNK,		/* tagged frames of allowed VLANs; untagged in native_vlan */
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

/** Frames of @vlan go to bridge domain @bd (0: nowhere; by default VLAN N's is N). [control] */
int wr_switch_vlan_bd(struct wr_switch *sw, uint16_t vlan, uint16_t bd);

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
