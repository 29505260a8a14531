/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_driver.h - the contract between the switch and its port backends: the
 * packet descriptor, the port, and the ops table a driver fills. A driver
 * includes this header alone; the switch (dataplane/) builds on it.
 *
 * Threads: [control] is the one control thread; [worker] the worker that
 * owns the port's queue; [any] anyone.
 */
#ifndef WR_DRIVER_H
#define WR_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WR_BURST	32	/* frames per rx/tx call, as DPDK */
#define WR_VEC_MAX	256	/* frames per vector, as a VPP frame */
#define WR_WORKER_MAX	64
#define WR_HEADROOM	128	/* bytes every driver leaves before a frame */
#define WR_CACHE_LINE	64

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
	uint32_t vni;		/* off a tunnel (in_port a VTEP): the VNI it came in; else not set */
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

/**
 * A file descriptor to sleep on in poll() (POLLIN) until @port may have
 * frames for @queue, or -1 when it has none and must be polled (ring). [any]
 */
static inline int wr_port_poll_fd(const struct wr_port *port, uint16_t queue)
{
	return port->ops->poll_fd ? port->ops->poll_fd(port, queue) : -1;
}

#endif /* WR_DRIVER_H */
