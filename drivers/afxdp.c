/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * afxdp.c - AF_XDP ports (libxdp's xsk API).
 *
 * One UMEM holds the buffers of the daemon's AF_XDP ports, managed by the
 * shared pool (pool_priv.h): a frame received on one port leaves by
 * another with only its descriptor moved, from the first port's RX ring to
 * the second's TX ring. Each port has its own fill and completion rings
 * (XDP_SHARED_UMEM on a different device or queue), filled and reaped by
 * the worker that owns the port, in batches, with a syscall only when the
 * kernel asks for one (need_wakeup) and, in copy mode, one sendto() per
 * TX burst to push frames out.
 *
 * The shared UMEM is bound in copy mode (holder_open()), and sharers take
 * the mode of the first binding: a port that runs zero-copy, or that is
 * asked to keep its buffers apart (own_umem), has a UMEM of its own
 * (OWN_FRAMES), bound by its own socket. Its buffers are another pool, so
 * the switch copies frames between it and every other port.
 *
 * The XDP program that steers the device queue into the socket is the
 * caller's (own_prog: warrend's fast path, which owns its XSKMAP) or
 * libxdp's default one, attached through its dispatcher so that it lives
 * beside other programs; the socket is created, and closed, inside the
 * device's namespace, since both the bind and the attach name the device
 * by its index there.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "netdev_priv.h"
#include "pool_priv.h"
#include "wr_drivers.h"

#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE	/* 4096: one page per frame */
#define RING_SIZE	2048	/* descriptors in each of a port's four rings */
#define FILL_BATCH	64	/* the fill ring is topped up this many at a time */
#define FILL_TARGET	1024	/* buffers a port lends the kernel: enough for the worker to
				 * be away a few hundred microseconds at line rate, few
				 * enough that many ports fit in one UMEM */
#define KICK_TRIES	8	/* copy mode sends 32 frames per sendto() */
#define HANDOFF_SIZE	1024	/* frames another worker may queue for a port's owner */
#define CLOSE_WAIT_MS	20	/* a closing port waits this long at most for sends to complete */
/*
 * A port's own UMEM: what it lends the kernel (FILL_TARGET), a full RX and
 * a full TX ring, and one cache's worth for each worker queue that copies
 * frames into it, and the control thread's: 24 MiB with one worker, 2 MiB
 * more for each other, pinned while the port lives.
 */
#define OWN_FRAMES(n_queues)	(FILL_TARGET + 2 * RING_SIZE + WR_POOL_CACHE_MAX * \
				 ((uint32_t)(n_queues) + 1))

/*
 * Frames another worker sends on this port: the TX ring has one producer,
 * the owner, so a worker that does not own the port hands their
 * descriptors over (single producer, single consumer, one ring per
 * sending worker) and the owner moves them to the TX ring on its next
 * pass. The buffers are in the port's UMEM already (the switch copied
 * frames from another pool): nothing is copied here.
 */
struct handoff {
	_Atomic uint32_t head __attribute__((aligned(WR_CACHE_LINE)));	/* the sender's */
	_Atomic uint32_t tail __attribute__((aligned(WR_CACHE_LINE)));	/* the owner's */
	struct xdp_desc d[HANDOFF_SIZE];
};

struct wr_afxdp_umem {
	struct wr_pool pool;		/* first: cache-line aligned */
	void *area;
	size_t size;
	struct xsk_umem *umem;
	struct xsk_socket *holder;	/* owns the shared UMEM's fd; see holder_open(). An own
					 * UMEM has none: its port's socket binds the fd */
	struct xsk_ring_prod holder_tx;
	struct xsk_ring_prod fill;	/* the holder's, never used */
	struct xsk_ring_cons comp;
	uint16_t n_queues;
};

struct afxdp_port {
	struct wr_port port;
	struct wr_afxdp_umem *um;
	struct xsk_socket *xsk;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	int fd;
	struct wr_netdev nd;		/* carrier and MTU, asked in the device's namespace */
	uint16_t owner;			/* the worker queue that receives and sends */
	uint32_t queue;
	int ifindex;
	bool zerocopy;
	bool native;
	bool own;			/* um is the port's own, freed with it */
	char why[160];			/* why zerocopy or copy, for port.list */
	char netns[256];	/* as /run/netns names go */
	char dev[IF_NAMESIZE];
	/* Owner's counters. */
	uint64_t tx_full;		/* frames the TX ring had no room for */
	struct handoff *handoff;	/* one per worker queue (the owner's unused) */
	uint16_t n_queues;
	uint64_t handoff_full;		/* frames another worker could not hand over */
	uint64_t wakeups;		/* syscalls made because the kernel asked */
	uint64_t fill_short;		/* fill top-ups the pool could not complete */
	uint32_t completed;		/* sends reaped, free-running as the TX ring's consumer */
};

static struct afxdp_port *ap(const struct wr_port *p)
{
	return (struct afxdp_port *)p->priv;
}

/* ------------------------------------------------------------------ UMEM */

/*
 * libxdp binds the first socket made on a UMEM with the UMEM's own fd,
 * which lives in the namespace it was created in and stays open until the
 * UMEM goes: a port that got it could never release its device queue, and
 * one in another namespace would bind the wrong device. So the UMEM is
 * made, and its fd bound, in a private namespace of its own, to that
 * namespace's loopback (TX ring only, no program): every port socket is a
 * shared one, opened and closed freely in its device's namespace. The
 * price: the holder binds in copy mode, and shared sockets inherit the
 * UMEM's mode, so a port that runs zero-copy has a UMEM of its own
 * (own_bind()), whose fd goes when the port does.
 */
static int holder_open(struct wr_afxdp_umem *um, const struct xsk_umem_config *ucfg)
{
	struct xsk_socket_config cfg = {
		.tx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP | XDP_COPY,
	};
	int orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), ret;

	if (orig < 0)
		return -errno;
	if (unshare(CLONE_NEWNET) < 0) {
		ret = -errno;
		close(orig);
		return ret;
	}
	ret = xsk_umem__create(&um->umem, um->area, um->size, &um->fill, &um->comp, ucfg);
	if (!ret)
		ret = xsk_socket__create_shared(&um->holder, "lo", 0, um->umem, NULL, &um->holder_tx,
						&um->fill, &um->comp, &cfg);
	if (setns(orig, CLONE_NEWNET) < 0)
		abort();	/* the control thread cannot stay in a private namespace */
	close(orig);
	return ret;
}

static const struct xsk_umem_config umem_cfg = {
	.fill_size = RING_SIZE,
	.comp_size = RING_SIZE,
	.frame_size = FRAME_SIZE,
	.frame_headroom = 0,
};

/* Buffers lost to own UMEMs at their ports' close (see reclaim()). */
static _Atomic uint64_t own_lost;

/* The memory and the pool of a UMEM, not yet registered; NULL and @err. */
static struct wr_afxdp_umem *umem_alloc(uint32_t n_frames, uint16_t n_queues, char *err,
					size_t errlen)
{
	struct wr_afxdp_umem *um = wr_zalloc_aligned(sizeof(*um));
	int ret;

	if (!um) {
		snprintf(err, errlen, "AF_XDP buffers: %s", strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	um->n_queues = n_queues;
	um->size = (size_t)n_frames * FRAME_SIZE;
	/* Pages, not hugepages: none are reserved on most hosts and copy mode does not care. */
	um->area = mmap(NULL, um->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
			MAP_POPULATE, -1, 0);
	if (um->area == MAP_FAILED) {
		ret = errno;
		snprintf(err, errlen, "AF_XDP buffers: %zu MiB: %s", um->size >> 20, strerror(ret));
		free(um);
		errno = ret;
		return NULL;
	}
	ret = wr_pool_init(&um->pool, &(struct wr_pool_conf){
		.n_bufs = n_frames,
		.stride = FRAME_SIZE,
		.data_off = XDP_PACKET_HEADROOM,
		.buf_size = FRAME_SIZE - XDP_PACKET_HEADROOM,
		.base = um->area,
	});
	if (ret) {
		snprintf(err, errlen, "AF_XDP buffers: %s", strerror(-ret));
		munmap(um->area, um->size);
		free(um);
		errno = -ret;
		return NULL;
	}
	return um;
}

/* The UMEM, its memory and pool; its sockets (the holder's aside) are closed. */
static void umem_free(struct wr_afxdp_umem *um)
{
	if (um->umem)
		xsk_umem__delete(um->umem);
	wr_pool_fini(&um->pool);
	munmap(um->area, um->size);
	free(um);
}

struct wr_afxdp_umem *wr_afxdp_umem_create(uint32_t n_frames, uint16_t n_queues, char *err,
					   size_t errlen)
{
	struct wr_afxdp_umem *um = umem_alloc(n_frames, n_queues, err, errlen);
	int ret;

	if (!um)
		return NULL;
	ret = holder_open(um, &umem_cfg);
	if (ret) {
		snprintf(err, errlen, "AF_XDP buffers: registering the UMEM: %s", strerror(-ret));
		umem_free(um);
		errno = -ret;
		return NULL;
	}
	return um;
}

void wr_afxdp_umem_destroy(struct wr_afxdp_umem *um)
{
	if (!um)
		return;
	xsk_socket__delete(um->holder);
	umem_free(um);
}

uint64_t wr_afxdp_own_lost(void)
{
	return atomic_load(&own_lost);
}

/* ----------------------------------------------------------------- rings */

/* Completed sends: their buffers go back to the pool (@queue's cache). */
static void reap(struct afxdp_port *p, uint16_t queue)
{
	uint32_t idx, n = xsk_ring_cons__peek(&p->comp, WR_VEC_MAX, &idx);
	uint32_t bufs[WR_VEC_MAX];

	if (!n)
		return;
	for (uint32_t i = 0; i < n; i++)
		bufs[i] = wr_pool_index(&p->um->pool, *xsk_ring_cons__comp_addr(&p->comp, idx + i));
	xsk_ring_cons__release(&p->comp, n);
	wr_pool_put(&p->um->pool, queue, bufs, n);
	p->completed += n;
}

/* Buffers on the fill ring the kernel has not taken yet. */
static uint32_t fill_outstanding(const struct afxdp_port *p)
{
	return p->fill.cached_prod - __atomic_load_n(p->fill.consumer, __ATOMIC_ACQUIRE);
}

/* Keep the kernel supplied with empty buffers to receive into (@queue's cache). */
static void refill(struct afxdp_port *p, uint16_t queue)
{
	uint32_t bufs[FILL_BATCH], idx = 0, n, lent = fill_outstanding(p);

	/* A batch at a time, as many as the kernel took since the last call. */
	while (lent + FILL_BATCH <= FILL_TARGET) {
		n = wr_pool_get(&p->um->pool, queue, bufs, FILL_BATCH);
		if (n < FILL_BATCH)
			p->fill_short++;
		if (!n)
			return;
		xsk_ring_prod__reserve(&p->fill, n, &idx);
		for (uint32_t i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&p->fill, idx + i) = wr_pool_addr(&p->um->pool, bufs[i]);
		xsk_ring_prod__submit(&p->fill, n);
		lent += n;
	}
}

static void handoff_drain(struct afxdp_port *p);

static uint16_t afxdp_rx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts,
			       uint16_t n)
{
	struct afxdp_port *p = ap(port);
	const struct wr_pool *pool = &p->um->pool;
	uint32_t idx, got;

	if (queue != p->owner)
		return 0;
	reap(p, queue);
	refill(p, queue);
	if (p->n_queues > 1)
		handoff_drain(p);
	got = xsk_ring_cons__peek(&p->rx, n, &idx);
	if (!got) {
		/* The kernel stopped for want of buffers: tell it there are some now. */
		if (xsk_ring_prod__needs_wakeup(&p->fill)) {
			p->wakeups++;
			recvfrom(p->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		}
		return 0;
	}
	for (uint32_t i = 0; i < got; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&p->rx, idx + i);

		pkts[i].data = pool->base + d->addr;
		pkts[i].len = (uint16_t)d->len;
		pkts[i].cookie = wr_pool_index(pool, d->addr);
	}
	xsk_ring_cons__release(&p->rx, got);
	return (uint16_t)got;
}

/* Copy mode transmits in sendto(), 32 frames a call: push until done or refused. */
static void kick_tx(struct afxdp_port *p)
{
	for (int i = 0; i < KICK_TRIES; i++) {
		if (!xsk_ring_prod__needs_wakeup(&p->tx) && p->zerocopy)
			return;
		p->wakeups++;
		if (sendto(p->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0 || errno != EAGAIN)
			return;
	}
}

/* A frame's TX descriptor: where it is in the UMEM, how long. */
static inline struct xdp_desc desc_of(const struct afxdp_port *p, const struct wr_pkt *pkt)
{
	return (struct xdp_desc){ .addr = (uint64_t)(pkt->data - p->um->pool.base),
				  .len = pkt->len };
}

/* Another worker's frames for this port, into its handoff ring. */
static uint16_t handoff_put(struct afxdp_port *p, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	struct handoff *h = &p->handoff[queue];
	uint32_t head = atomic_load_explicit(&h->head, memory_order_relaxed);
	uint32_t room = HANDOFF_SIZE - (head - atomic_load_explicit(&h->tail, memory_order_acquire));

	if (room < n) {
		/* Counted here and, as every refused frame, by the switch as tx_full. */
		__atomic_fetch_add(&p->handoff_full, n - room, __ATOMIC_RELAXED);
		n = (uint16_t)room;
	}
	for (uint16_t i = 0; i < n; i++)
		h->d[(head + i) & (HANDOFF_SIZE - 1)] = desc_of(p, pkts[i]);
	atomic_store_explicit(&h->head, head + n, memory_order_release);
	return n;
}

/* Room for up to @n descriptors on the TX ring, from *@idx: how many. [owner] */
static uint32_t tx_reserve(struct afxdp_port *p, uint32_t n, uint32_t *idx)
{
	uint32_t room = xsk_prod_nb_free(&p->tx, n);

	if (room < n)
		n = room;
	if (n)
		xsk_ring_prod__reserve(&p->tx, n, idx);
	return n;
}

/* What other workers handed over, onto the TX ring. [owner] */
static void handoff_drain(struct afxdp_port *p)
{
	bool sent = false;

	for (uint16_t q = 0; q < p->n_queues; q++) {
		struct handoff *h = &p->handoff[q];
		uint32_t tail = atomic_load_explicit(&h->tail, memory_order_relaxed);
		uint32_t n = atomic_load_explicit(&h->head, memory_order_acquire) - tail, done = 0;

		/* The ring may wrap: at most two runs. */
		while (done < n) {
			uint32_t at = (tail + done) & (HANDOFF_SIZE - 1);
			uint32_t run = n - done < HANDOFF_SIZE - at ? n - done : HANDOFF_SIZE - at;
			uint32_t idx = 0, put = tx_reserve(p, run, &idx);

			for (uint32_t i = 0; i < put; i++)
				*xsk_ring_prod__tx_desc(&p->tx, idx + i) = h->d[at + i];
			xsk_ring_prod__submit(&p->tx, put);
			done += put;
			if (put < run)
				break;	/* the TX ring is full: the rest waits for the next pass */
		}
		if (done) {
			atomic_store_explicit(&h->tail, tail + done, memory_order_release);
			sent = true;
		}
	}
	if (sent)
		kick_tx(p);
}

static uint16_t afxdp_tx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts,
			       uint16_t n)
{
	struct afxdp_port *p = ap(port);
	uint32_t idx = 0, sent;

	if (queue != p->owner)
		return handoff_put(p, queue, pkts, n);
	reap(p, queue);
	sent = tx_reserve(p, n, &idx);
	for (uint32_t i = 0; i < sent; i++)
		*xsk_ring_prod__tx_desc(&p->tx, idx + i) = desc_of(p, pkts[i]);
	xsk_ring_prod__submit(&p->tx, sent);
	p->tx_full += n - sent;
	if (sent)
		kick_tx(p);
	return (uint16_t)sent;
}

static uint16_t afxdp_alloc(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	return wr_pool_alloc_pkts(&ap(port)->um->pool, queue, pkts, n);
}

static void afxdp_free(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	wr_pool_free_pkts(&ap(port)->um->pool, queue, pkts, n);
}

/* ---------------------------------------------------------------- carrier */

static bool afxdp_link_up(const struct wr_port *port)
{
	/* The MTU the refresh may find is the port's to record. */
	return wr_netdev_up(&ap(port)->nd, (struct wr_port *)port);
}

bool wr_afxdp_port_gone(const struct wr_port *port)
{
	afxdp_link_up(port);
	return wr_netdev_gone(&ap(port)->nd);
}

/* ------------------------------------------------------------------ stats */

static void afxdp_stats(const struct wr_port *port, struct wr_port_stats *st)
{
	(void)port;
	(void)st;	/* the switch counts frames; the kernel's own counts are xstats */
}

static int afxdp_xstats(const struct wr_port *port, const char **names, uint64_t *vals, int max)
{
	const struct afxdp_port *p = ap(port);
	struct xdp_statistics xs = { 0 };
	socklen_t len = sizeof(xs);
	int n = 0;

	getsockopt(p->fd, SOL_XDP, XDP_STATISTICS, &xs, &len);
#define X(name, val) (n = wr_xstat(names, vals, n, max, name, val))
	X("rx_dropped", xs.rx_dropped);
	X("rx_invalid", xs.rx_invalid_descs);
	X("tx_invalid", xs.tx_invalid_descs);
	X("rx_ring_full", xs.rx_ring_full);
	X("fill_empty", xs.rx_fill_ring_empty_descs);
	X("tx_ring_empty", xs.tx_ring_empty_descs);
	X("tx_full", p->tx_full);
	X("handoff_full", p->handoff_full);
	X("fill_short", p->fill_short);
	X("wakeups", p->wakeups);
	X("fill_lent", fill_outstanding(p));
#undef X
	return n;
}

static int afxdp_poll_fd(const struct wr_port *port, uint16_t queue)
{
	return queue == ap(port)->owner ? ap(port)->fd : -1;
}

/* ------------------------------------------------------------ open, close */

struct open_args {
	struct afxdp_port *p;
	const struct wr_afxdp_conf *conf;
	struct wr_afxdp_umem *shared;
	char *err;
	size_t errlen;
};

static int xdp_mode_of(struct afxdp_port *p)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(p->ifindex);
	enum xdp_attach_mode mode = XDP_MODE_UNSPEC;

	if (!libxdp_get_error(mp) && mp) {
		mode = xdp_multiprog__attach_mode(mp);
		xdp_multiprog__close(mp);
	}
	return mode;
}

/* The kernel's answer to a bind, in words where a number says little. */
static const char *bind_hint(int ret)
{
	return ret == -EBUSY ? " (another AF_XDP socket, another warrend perhaps, serves that queue)" :
	       ret == -EINVAL ? " (is the queue there? see ethtool -l)" :
	       ret == -ERANGE ? " (the MTU of the veth's peer is too large for XDP: a frame must "
				"fit in one page, an MTU of about 3500 at most)" : "";
}

/*
 * The port's socket on a UMEM of its own, bound zero-copy (@zc) or copy:
 * the socket is the first on the UMEM, so libxdp binds the UMEM's fd, made
 * here in the device's namespace, and closed with the port. 0, or -errno
 * (the kernel's answer) with nothing left.
 */
static int own_bind(struct afxdp_port *p, const struct wr_afxdp_conf *c,
		    struct xsk_socket_config cfg, bool zc, char *err, size_t errlen)
{
	struct wr_afxdp_umem *um = umem_alloc(OWN_FRAMES(p->n_queues), p->n_queues, err, errlen);
	int ret;

	if (!um)
		return -errno;
	cfg.bind_flags |= zc ? XDP_ZEROCOPY : XDP_COPY;
	ret = xsk_umem__create(&um->umem, um->area, um->size, &p->fill, &p->comp, &umem_cfg);
	if (ret) {
		snprintf(err, errlen, "AF_XDP buffers: registering the UMEM: %s", strerror(-ret));
	} else {
		ret = xsk_socket__create(&p->xsk, c->dev, c->queue, um->umem, &p->rx, &p->tx, &cfg);
		if (ret)
			p->xsk = NULL;
	}
	if (ret) {
		umem_free(um);
		return ret;
	}
	p->um = um;
	p->own = true;
	return 0;
}

/* The port's socket as a sharer of the daemon's UMEM, in copy mode (see holder_open()). */
static int shared_bind(struct afxdp_port *p, struct open_args *a, struct xsk_socket_config cfg)
{
	const struct wr_afxdp_conf *c = a->conf;

	if (wr_pool_free_count(&a->shared->pool) < 2 * FILL_TARGET) {
		snprintf(a->err, a->errlen, "port %s: the AF_XDP buffers are all lent to other ports "
			 "(%u free); start warrend with a larger --umem-frames", c->name,
			 wr_pool_free_count(&a->shared->pool));
		return -ENOSPC;
	}
	p->um = a->shared;
	return xsk_socket__create_shared(&p->xsk, c->dev, c->queue, p->um->umem, &p->rx, &p->tx,
					 &p->fill, &p->comp, &cfg);
}

/*
 * Software devices, which have no AF_XDP zero-copy: auto does not try it
 * on them (a try pins a UMEM of its own, 24 MiB, for nothing).
 */
static bool no_zc_driver(const char *drv)
{
	static const char *const sw[] = { "veth", "tun", "macvlan", "ipvlan", "bridge", "dummy",
					  "vxlan", "geneve", "bonding", "team", NULL };

	for (int i = 0; sw[i]; i++)
		if (!strcmp(drv, sw[i]))
			return true;
	return false;
}

/*
 * Zero-copy when asked (on) or offered (auto): a UMEM of the port's own,
 * bound XDP_ZEROCOPY. The kernel refuses it where the driver has no
 * AF_XDP zero-copy (veth, macvlan, ...): on fails with its answer, auto
 * goes on in copy mode. @why says which, and why. 0, 1 (go on in copy
 * mode) or -errno with a message.
 */
static int zc_bind(struct afxdp_port *p, struct open_args *a, struct xsk_socket_config cfg,
		   const char *drv)
{
	const struct wr_afxdp_conf *c = a->conf;
	const char *asked = c->zerocopy == 1 ? "on" : "auto";
	char e[128] = "";
	int ret;

	if (c->zerocopy == 0) {
		snprintf(p->why, sizeof(p->why), "copy: asked (zerocopy off)");
		return 1;
	}
	if (c->zerocopy != 1 && no_zc_driver(drv)) {
		snprintf(p->why, sizeof(p->why), "copy: the driver (%s) has no AF_XDP zero-copy",
			 drv);
		return 1;
	}
	ret = own_bind(p, c, cfg, true, e, sizeof(e));
	if (!ret) {
		snprintf(p->why, sizeof(p->why), "zerocopy: asked (%s), the driver (%s) took it",
			 asked, drv);
		return 0;
	}
	if (c->zerocopy == 1) {
		snprintf(a->err, a->errlen, "port %s: zero-copy asked for (zerocopy on), but %s%s%s "
			 "(driver %s) refused it: %s%s", c->name, c->netns ? c->netns : "",
			 c->netns ? ":" : "", c->dev, drv, e[0] ? e : strerror(-ret),
			 ret == -EOPNOTSUPP ? " (the driver has no AF_XDP zero-copy; use zerocopy "
			 "auto or off)" : bind_hint(ret));
		return ret;
	}
	if (ret == -EOPNOTSUPP)
		snprintf(p->why, sizeof(p->why), "copy: the driver (%s) has no AF_XDP zero-copy",
			 drv);
	else
		snprintf(p->why, sizeof(p->why), "copy: the driver (%s) refused zero-copy: %s", drv,
			 e[0] ? e : strerror(-ret));
	return 1;
}

/* In the device's namespace: the socket, its rings, the XDP program. */
static int open_in_ns(void *arg)
{
	struct open_args *a = arg;
	struct afxdp_port *p = a->p;
	const struct wr_afxdp_conf *c = a->conf;
	struct xsk_socket_config cfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
		.libxdp_flags = c->own_prog ? XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD : 0,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xdp_options opts = { 0 };
	struct ethtool_drvinfo drv;
	socklen_t len = sizeof(opts);
	int ret;

	p->ifindex = (int)if_nametoindex(c->dev);
	if (!p->ifindex) {
		snprintf(a->err, a->errlen, "port %s: no device %s%s%s", c->name,
			 c->netns ? c->netns : "", c->netns ? ":" : "", c->dev);
		return -ENODEV;
	}
	ret = wr_netdev_open(&p->nd, c->dev, &p->port);
	if (ret)
		return ret;
	if (wr_netdev_drvinfo(&p->nd, &drv) || !drv.driver[0])
		snprintf(drv.driver, sizeof(drv.driver), "unknown");
	ret = zc_bind(p, a, cfg, drv.driver);
	if (ret == 1 && c->own_umem)
		ret = own_bind(p, c, cfg, false, a->err, a->errlen);
	else if (ret == 1)
		ret = shared_bind(p, a, cfg);
	if (ret) {
		if (!a->err[0])
			snprintf(a->err, a->errlen, "port %s: AF_XDP socket on %s%s%s queue %u: %s%s",
				 c->name, c->netns ? c->netns : "", c->netns ? ":" : "", c->dev,
				 c->queue, strerror(-ret), bind_hint(ret));
		return ret;
	}
	p->fd = xsk_socket__fd(p->xsk);
	if (getsockopt(p->fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
		p->zerocopy = opts.flags & XDP_OPTIONS_ZEROCOPY;
	p->native = !c->own_prog && xdp_mode_of(p) == XDP_MODE_NATIVE;
	if (c->busy_poll) {
		int one = 1, usecs = 20, budget = WR_BURST;

		/* Best effort: devices without NAPI ignore it. */
		setsockopt(p->fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one));
		setsockopt(p->fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs));
		setsockopt(p->fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget));
	}
	return 0;
}

static int close_in_ns(void *arg)
{
	struct afxdp_port *p = arg;

	/* Detaches libxdp's program when this was its last socket on the device. */
	xsk_socket__delete(p->xsk);
	return 0;
}

/* Give buffer @addr (a UMEM offset) back, from the control thread. */
static void put_addr(struct afxdp_port *p, uint64_t addr)
{
	uint32_t b = wr_pool_index(&p->um->pool, addr);

	wr_pool_put(&p->um->pool, WR_POOL_SIDE_QUEUE, &b, 1);
}

/*
 * Take back every buffer the port holds before its rings go: frames other
 * workers handed over, frames received and not read, buffers lent on the
 * fill ring, sends the kernel has not taken from the TX ring, and sends it
 * took, once it completes them (a veth completes as it sends; a NIC soon
 * after: waited for CLOSE_WAIT_MS at most). The workers are done with the
 * port (the control thread uses the side queue) and in copy mode the
 * kernel takes from the TX ring only when asked, so what it holds is what
 * it took. A frame arriving while this runs, between the RX ring's read
 * and the fill ring's, is lost to the pool; so are sends that do not
 * complete in time.
 */
static void reclaim(struct afxdp_port *p)
{
	uint32_t idx, n, taken;

	for (uint16_t q = 0; p->handoff && q < p->n_queues; q++) {	/* none with one worker */
		struct handoff *h = &p->handoff[q];

		for (uint32_t t = atomic_load(&h->tail); t != atomic_load(&h->head); t++)
			put_addr(p, h->d[t & (HANDOFF_SIZE - 1)].addr);
		atomic_store(&h->tail, atomic_load(&h->head));
	}
	n = xsk_ring_cons__peek(&p->rx, RING_SIZE, &idx);
	for (uint32_t i = 0; i < n; i++)
		put_addr(p, xsk_ring_cons__rx_desc(&p->rx, idx + i)->addr);
	xsk_ring_cons__release(&p->rx, n);
	for (idx = p->fill.cached_prod - fill_outstanding(p); idx != p->fill.cached_prod; idx++)
		put_addr(p, *xsk_ring_prod__fill_addr(&p->fill, idx));
	taken = __atomic_load_n(p->tx.consumer, __ATOMIC_ACQUIRE);
	for (idx = taken; idx != p->tx.cached_prod; idx++)
		put_addr(p, xsk_ring_prod__tx_desc(&p->tx, idx)->addr);
	for (int ms = 0;; ms++) {
		reap(p, WR_POOL_SIDE_QUEUE);
		if (p->completed == taken || ms == CLOSE_WAIT_MS)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
}

static void afxdp_close(struct wr_port *port)
{
	struct afxdp_port *p = ap(port);
	char err[128];

	if (p->xsk) {
		reclaim(p);
		if (wr_netns_run(p->netns[0] ? p->netns : NULL, close_in_ns, p, err, sizeof(err)))
			close_in_ns(p);	/* the namespace is gone, and the program with it */
	}
	if (p->own) {
		/*
		 * Its socket closed, the UMEM goes. What reclaim() could not take
		 * back is counted (zero-copy: the driver may still have been
		 * taking fill buffers while it ran, so there the count is a bound).
		 */
		uint32_t back = wr_pool_free_count(&p->um->pool);

		if (back < p->um->pool.n_bufs)
			atomic_fetch_add(&own_lost, p->um->pool.n_bufs - back);
		umem_free(p->um);
	}
	wr_netdev_close(&p->nd);
	free(p->handoff);
	free(p);
}

static const struct wr_port_ops afxdp_ops = {
	.kind = "afxdp",
	.rx_burst = afxdp_rx_burst,
	.tx_burst = afxdp_tx_burst,
	.alloc = afxdp_alloc,
	.free = afxdp_free,
	.link_up = afxdp_link_up,
	.stats = afxdp_stats,
	.close = afxdp_close,
	.poll_fd = afxdp_poll_fd,
	.xstats = afxdp_xstats,
};

struct wr_port *wr_afxdp_port_create(struct wr_afxdp_umem *um, const struct wr_afxdp_conf *conf,
				     char *err, size_t errlen)
{
	struct afxdp_port *p = calloc(1, sizeof(*p));
	struct open_args a = { .p = p, .conf = conf, .shared = um, .err = err, .errlen = errlen };
	int ret;

	err[0] = '\0';
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	if (strlen(conf->dev) >= IF_NAMESIZE || (conf->netns && strlen(conf->netns) >= sizeof(p->netns))) {
		snprintf(err, errlen, "port %s: device or namespace name too long", conf->name);
		free(p);
		errno = EINVAL;
		return NULL;
	}
	p->n_queues = um->n_queues;
	if (p->n_queues > 1) {
		p->handoff = wr_zalloc_aligned(p->n_queues * sizeof(*p->handoff));
		if (!p->handoff) {
			free(p);
			errno = ENOMEM;
			return NULL;
		}
	}
	p->owner = conf->owner;
	p->queue = conf->queue;
	p->nd.ctl = -1;
	p->port.ops = &afxdp_ops;
	p->port.priv = p;
	p->port.buf_size = um->pool.buf_size;	/* an own UMEM's buffers are the same */
	snprintf(p->port.name, sizeof(p->port.name), "%s", conf->name);
	strcpy(p->dev, conf->dev);
	if (conf->netns)
		strcpy(p->netns, conf->netns);
	ret = wr_netns_run(conf->netns, open_in_ns, &a, err, errlen);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "port %s: %s", conf->name, strerror(-ret));
		wr_netdev_close(&p->nd);
		free(p->handoff);
		free(p);
		errno = -ret;
		return NULL;
	}
	p->port.pool = &p->um->pool;
	/* Buffers before the first frame arrives (the owner may be busy with its cache). */
	refill(p, WR_POOL_SIDE_QUEUE);
	return &p->port;
}

uint32_t wr_afxdp_umem_free_count(const struct wr_afxdp_umem *um)
{
	return wr_pool_free_count(&um->pool);
}

void wr_afxdp_port_info(const struct wr_port *port, struct wr_afxdp_info *info)
{
	const struct afxdp_port *p = ap(port);

	info->ifindex = p->ifindex;
	info->fd = p->fd;
	info->zerocopy = p->zerocopy;
	info->native = p->native;
	info->own_umem = p->own;
	snprintf(info->why, sizeof(info->why), "%s", p->why);
}

const struct wr_afxdp_umem *wr_afxdp_port_umem(const struct wr_port *port)
{
	return ap(port)->um;
}
