/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_drivers.h - what drivers/ offers: port backends behind
 * struct wr_port_ops (wr_driver.h).
 *
 * ring: in-memory ports for tests and benchmarks. Ports made from one pool
 * share its buffers, so forwarding between them moves descriptors only, as
 * AF_XDP ports sharing a UMEM do. The test or bench side injects frames
 * into a port's receive ring and collects what the switch sent.
 *
 * tap: a port on an existing kernel TAP device, through its /dev/net/tun
 * fd, with a buffer pool of its own.
 */
#ifndef WR_DRIVERS_H
#define WR_DRIVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wr_driver.h"

extern const struct wr_port_ops wr_ring_ops;
extern const struct wr_port_ops wr_tap_ops;

/* -------------------------------------------------------------------- ring */

struct wr_ring_pool;

/** A pool of @n_bufs buffers of WR_HEADROOM + @buf_size bytes. NULL on ENOMEM/EINVAL. */
struct wr_ring_pool *wr_ring_pool_create(uint32_t n_bufs, uint16_t buf_size);
/** Free the pool; every port made from it must be closed first. */
void wr_ring_pool_destroy(struct wr_ring_pool *pool);
/** Buffers not in use (on the shared stack and in the queue caches). */
uint32_t wr_ring_pool_free_count(const struct wr_ring_pool *pool);

/**
 * A port on @pool whose receive and send rings hold @ring_size frames each
 * (a power of two). The receive ring is single-producer (the test side),
 * single-consumer (queue 0's worker); every worker queue has its own send
 * ring. NULL on ENOMEM/EINVAL.
 */
struct wr_port *wr_ring_port_create(struct wr_ring_pool *pool, const char *name,
				    uint32_t ring_size);

/** Copy @len bytes of @frame into a pool buffer and queue it for rx. 0, -ENOBUFS, -EMSGSIZE. */
int wr_ring_inject(struct wr_port *port, const void *frame, uint16_t len);

/**
 * Take the oldest frame sent on @port (any queue, queue order), copy at
 * most @size bytes to @buf and free its buffer. The frame's length, or -1
 * when nothing was sent.
 */
int wr_ring_collect(struct wr_port *port, void *buf, uint16_t size);

/** Frames waiting to be collected on @port. */
uint32_t wr_ring_pending(const struct wr_port *port);

/** Carrier of @port (up at creation). */
void wr_ring_set_link(struct wr_port *port, bool up);

/**
 * Bench mode: rx_burst produces copies of @frames (cycled) forever instead
 * of reading the receive ring, and tx_burst frees what it is given after
 * counting it (wr_ring_sent()), so a loop measures the switch, not a
 * generator. @frames stay the caller's until replay is turned off (n = 0).
 */
void wr_ring_replay(struct wr_port *port, const uint8_t *const *frames, const uint16_t *lens,
		    uint32_t n);
/**
 * With replay: overwrite the last three bytes of the destination MAC with
 * a counter cycling through @n_macs values (02:00:00:mm:mm:mm when the
 * frames say so), and the source's with the same counter, or, with
 * @churn, with a value that changes every frame.
 */
void wr_ring_replay_macs(struct wr_port *port, uint32_t n_macs, bool churn);
void wr_ring_sink(struct wr_port *port, bool sink);
uint64_t wr_ring_sent(const struct wr_port *port);

/* ------------------------------------------------------------------ afxdp */

/*
 * afxdp: AF_XDP sockets (libxdp) on any netdev, veth included (copy mode
 * there). Ports in copy mode share one UMEM, so frames between them move
 * without a copy. A port in zero-copy mode, or asked for with own_umem,
 * has a UMEM of its own (5120 + 512 per worker queue and one more buffers
 * of 4 KiB, freed with the port): frames between it and any other port are copied.
 * A port is owned by one worker queue, which alone receives and sends on
 * it.
 */
struct wr_afxdp_umem;

/** @n_frames buffers of 4 KiB for ports served by @n_queues workers; NULL and @err. */
struct wr_afxdp_umem *wr_afxdp_umem_create(uint32_t n_frames, uint16_t n_queues, char *err,
					   size_t errlen);
/** Every port on @um must be closed first. */
void wr_afxdp_umem_destroy(struct wr_afxdp_umem *um);
/** Buffers of @um no port, worker or kernel holds. [any] */
uint32_t wr_afxdp_umem_free_count(const struct wr_afxdp_umem *um);

struct wr_afxdp_conf {
	const char *name;	/* the port's name, for messages */
	const char *netns;	/* NULL: the caller's namespace */
	const char *dev;
	uint32_t queue;		/* device queue */
	/*
	 * -1: zero-copy if the driver has it (on a UMEM of the port's own),
	 * else copy; 0: copy; 1: zero-copy or fail.
	 */
	int zerocopy;
	bool own_umem;		/* in copy mode too, a UMEM of its own rather than the shared one */
	bool busy_poll;		/* SO_PREFER_BUSY_POLL on the socket */
	uint16_t owner;		/* the worker queue that receives and sends */
	/*
	 * The caller attaches the device's XDP program and puts the socket in
	 * its XSKMAP (wr_afxdp_info.fd); false: libxdp's default program.
	 */
	bool own_prog;
};

/**
 * Open an AF_XDP port; the shared UMEM @um serves it in copy mode unless
 * @conf says own_umem. NULL with errno and a sentence in @err. [control]
 */
struct wr_port *wr_afxdp_port_create(struct wr_afxdp_umem *um, const struct wr_afxdp_conf *conf,
				     char *err, size_t errlen);

struct wr_afxdp_info {
	int ifindex;		/* in the device's namespace */
	int fd;			/* the AF_XDP socket */
	bool zerocopy;		/* the kernel said XDP_OPTIONS_ZEROCOPY */
	bool native;		/* libxdp's program runs in the driver, not in the generic hook */
	bool own_umem;		/* its UMEM is its own, not the shared one */
	char why[160];		/* "zerocopy: asked (auto), the driver (ice) took it", ... */
};

void wr_afxdp_port_info(const struct wr_port *port, struct wr_afxdp_info *info);
/** The UMEM whose buffers @port uses: the shared one or its own. */
const struct wr_afxdp_umem *wr_afxdp_port_umem(const struct wr_port *port);
/**
 * Buffers own UMEMs did not have back when their ports closed, since
 * start: 0 unless a send did not complete in time. [any]
 */
uint64_t wr_afxdp_own_lost(void);
/** The device went away (deleted, or its namespace). [control] */
bool wr_afxdp_port_gone(const struct wr_port *port);

/** What the backend of @port counts itself, as name/value pairs; how many. [control] */
static inline int wr_port_xstats(const struct wr_port *port, const char **names, uint64_t *vals,
				 int max)
{
	return port->ops->xstats ? port->ops->xstats(port, names, vals, max) : 0;
}

/* -------------------------------------------------------------------- dpdk */

/*
 * dpdk: ports on DPDK ethdevs, any PMD a devargs string names; every
 * DPDK port on a NUMA node shares its mbuf pool. Built when meson finds
 * libdpdk (-Ddpdk=auto|enabled|disabled); WR_HAVE_DPDK says so.
 */

/**
 * Start the EAL with @args (as after the program name: "--no-huge",
 * "--in-memory", ...) and pools of @n_mbufs mbufs per NUMA node, made at
 * each node's first port. Once per process; 0 or -errno with @err. [control]
 */
int wr_dpdk_init(const char *const *args, int n_args, uint32_t n_mbufs, char *err,
		 size_t errlen);
bool wr_dpdk_ready(void);
/**
 * DPDK's messages (the EAL's, the PMDs') to @fn, a line at a time, with
 * their level (RTE_LOG_EMERG 1 .. RTE_LOG_DEBUG 8), instead of stderr.
 * Before wr_dpdk_init(), to have the EAL's too. [control]
 */
void wr_dpdk_log_to(void (*fn)(int level, const char *line));
/** Every DPDK port must be closed first. */
void wr_dpdk_fini(void);
/**
 * Make the calling thread (a worker, not the EAL's) an lcore of the EAL,
 * so that it has mbuf caches of its own; false while the EAL is down or
 * out of lcores (frames still flow, through the pools' shared rings). [worker]
 */
bool wr_dpdk_thread_register(void);
void wr_dpdk_thread_unregister(void);

struct wr_dpdk_conf {
	const char *name;	/* the port's name, for messages */
	/*
	 * What the EAL probes: "net_tap0,iface=t0", "net_memif0,role=server",
	 * "0000:03:00.0", "0000:03:00.0,representor=vf1": it must match one
	 * ethdev. A device the EAL already has (-a, --vdev) is used as it is
	 * and only stopped at close; one probed here is removed at close.
	 */
	const char *devargs;
	const char *netns;	/* where the PMD works (net_tap's TAP, net_af_xdp's device); NULL: ours */
	uint16_t owner;		/* the worker queue that receives and sends */
	uint16_t n_queues;	/* workers: more than one, and the others hand frames over */
};

/** Open a DPDK port; NULL with errno and a sentence in @err. [control] */
struct wr_port *wr_dpdk_port_create(const struct wr_dpdk_conf *conf, char *err, size_t errlen);
/** Its ethdev port id. */
uint16_t wr_dpdk_port_id(const struct wr_port *port);

struct wr_dpdk_info {
	char name[64];		/* the ethdev's ("net_tap0", "0000:03:00.0") */
	char driver[32];	/* the PMD's ("net_tap") */
	uint16_t port_id;
	int socket;		/* NUMA node; -1 unknown */
};

void wr_dpdk_port_info(const struct wr_port *port, struct wr_dpdk_info *info);

/* -------------------------------------------------------------- namespaces */

/**
 * Call @fn(@arg) with the calling thread in network namespace @netns
 * (/run/netns/@netns, as `ip netns` makes them; NULL or "": the thread's
 * own, no switch), then bring the thread back. Sockets and fds keep the
 * namespace they were made in, so only their creation (and whatever names
 * a device by its ifindex) has to happen inside.
 *
 * Returns what @fn returned (0 or -errno; @fn writes its own message into
 * whatever @arg carries), or -errno when the namespace could not be
 * entered, with a message in @err (@errlen bytes, may be 0). The thread
 * must not share its namespaces with a concurrent setns() of its own.
 * Aborts if the thread cannot get back (it would be left in @netns).
 * [control]
 */
int wr_netns_run(const char *netns, int (*fn)(void *), void *arg, char *err, size_t errlen);

/**
 * The same in two steps, for a namespace to be visited again later even
 * if its name is gone by then (`ip netns del` while something of ours
 * still holds it): a descriptor of /run/netns/@netns (O_CLOEXEC; the
 * caller closes it), or -errno with @err; then @fn run inside it (@netns
 * only names it in messages; @netns_fd < 0: the thread's own). [control]
 */
int wr_netns_fd(const char *netns, char *err, size_t errlen);
int wr_netns_run_fd(int netns_fd, const char *netns, int (*fn)(void *), void *arg, char *err,
		    size_t errlen);

/* --------------------------------------------------------------------- tap */

/**
 * A port on the existing persistent TAP device @dev of network namespace
 * @netns (NULL or "": the caller's), named @name (NULL: @dev). Attaches
 * with IFF_TAP | IFF_NO_PI, non-blocking; the device must be a TAP, not
 * multi-queue, and not open elsewhere. Its buffers hold frames of up to
 * 1920 bytes (WR_HEADROOM before each); longer ones are dropped and counted
 * (rx_too_big). poll_fd is the device's fd. Carrier is IFF_UP and
 * IFF_RUNNING, asked of the kernel at most every 100 ms.
 *
 * NULL on failure, with errno and a message in @err (@errlen bytes), e.g.
 * "port vm1: tap tap0 in netns blue: no such device (create it: ...)".
 * The calling thread visits @netns and comes back. [control]
 */
struct wr_port *wr_tap_port_create(const char *name, const char *netns, const char *dev,
				   char *err, size_t errlen);

/**
 * The same on a TAP made now, named @dev (refused if a device has that
 * name), up, without IPv6, and not persistent: it goes when the port is
 * closed. For warrend's own use (a TC fast-path port's way to userspace
 * and back out of @serves, the port's device in @netns): the port's
 * carrier and MTU are @serves', not the TAP's. [control]
 */
struct wr_port *wr_tap_port_make(const char *name, const char *netns, const char *dev,
				 const char *serves, char *err, size_t errlen);


#endif /* WR_DRIVERS_H */
