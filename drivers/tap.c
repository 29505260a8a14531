/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tap.c - ports on existing kernel TAP devices (see wr_drivers.h).
 *
 * A port holds one /dev/net/tun fd attached to a persistent TAP device
 * (IFF_TAP | IFF_NO_PI, non-blocking) and a buffer pool of its own
 * (pool.c). The kernel hands frames over one per read() and takes them one
 * per write(): a burst is a loop of such calls, never a wait. A frame the
 * kernel sends is copied into a pool buffer, so frames from a tap port are
 * like any other; what goes out is copied by write() and its buffer freed
 * at once.
 *
 * Carrier and MTU are asked of the kernel at most every 100 ms (netdev.c),
 * through a socket made in the device's namespace: link_up is called once
 * per worker pass.
 *
 * Counters are per queue (the worker's), summed on read.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "netdev_priv.h"
#include "pool_priv.h"
#include "wr_drivers.h"

#define TAP_N_BUFS		4096
#define TAP_STRIDE		2048	/* WR_HEADROOM + TAP_BUF_SIZE */
#define TAP_BUF_SIZE		(TAP_STRIDE - WR_HEADROOM)

struct tap_queue {
	uint64_t rx_pkts, rx_bytes;
	uint64_t tx_pkts, tx_bytes;	/* frames the kernel took */
	uint64_t rx_too_big, rx_errors, tx_drops;
	uint8_t spill;			/* where read() puts a byte past the buffer */
} __attribute__((aligned(WR_CACHE_LINE)));

struct tap_port {
	struct wr_pool pool;		/* first: cache-line aligned */
	struct wr_port port;
	int fd;				/* /dev/net/tun, attached to dev, O_NONBLOCK */
	struct wr_netdev nd;		/* carrier and MTU; its socket is made in dev's namespace */
	char dev[IFNAMSIZ];
	char serves[IFNAMSIZ];		/* a made TAP: the device whose carrier and MTU nd follows */
	struct tap_queue q[WR_POOL_QUEUES];
};

static struct tap_port *tp(const struct wr_port *p)
{
	return (struct tap_port *)p->priv;
}

/* ------------------------------------------------------------------ port */

static uint16_t tap_rx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts,
			     uint16_t n)
{
	struct tap_port *t = tp(port);
	struct tap_queue *q = &t->q[queue];
	uint32_t idx[WR_BURST];
	uint16_t got, kept = 0;

	if (n > WR_BURST)
		n = WR_BURST;
	got = (uint16_t)wr_pool_get(&t->pool, queue, idx, n);
	/* One read per frame; at most @got reads, so a flood cannot hold the worker. */
	for (uint16_t r = 0; r < got; r++) {
		uint8_t *data = wr_pool_data(&t->pool, idx[kept]);
		/* read() returns what it copied: one byte more than fits means too big. */
		struct iovec iov[2] = {
			{ .iov_base = data, .iov_len = TAP_BUF_SIZE },
			{ .iov_base = &q->spill, .iov_len = 1 },
		};
		ssize_t len = readv(t->fd, iov, 2);

		if (len < 0) {
			if (errno != EAGAIN && errno != EINTR)
				q->rx_errors++;
			break;
		}
		if (len > TAP_BUF_SIZE) {
			q->rx_too_big++;	/* the buffer takes the next frame */
			continue;
		}
		pkts[kept].data = data;
		pkts[kept].len = (uint16_t)len;
		pkts[kept].cookie = idx[kept];
		q->rx_bytes += (uint64_t)len;
		kept++;
	}
	wr_pool_put(&t->pool, queue, idx + kept, got - kept);
	q->rx_pkts += kept;
	return kept;
}

/* Takes every frame: what the kernel refuses is counted (tx_drops), never waited for. */
static uint16_t tap_tx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts,
			     uint16_t n)
{
	struct tap_port *t = tp(port);
	struct tap_queue *q = &t->q[queue];

	if (n > WR_VEC_MAX)
		n = WR_VEC_MAX;
	for (uint16_t i = 0; i < n; i++) {
		if (write(t->fd, pkts[i]->data, pkts[i]->len) >= 0) {
			q->tx_pkts++;
			q->tx_bytes += pkts[i]->len;
			continue;
		}
		if (errno == EAGAIN || errno == ENOBUFS) {
			/* Full now, full for the rest of the burst too. */
			q->tx_drops += n - i;
			break;
		}
		q->tx_drops++;		/* this frame (EINVAL, EIO, ...), not the next */
	}
	wr_pool_free_pkts(&t->pool, queue, pkts, n);
	return n;
}

static uint16_t tap_alloc(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	return wr_pool_alloc_pkts(&tp(port)->pool, queue, pkts, n);
}

static void tap_free(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	wr_pool_free_pkts(&tp(port)->pool, queue, pkts, n);
}

static bool tap_link_up(const struct wr_port *port)
{
	/* The MTU the refresh may find is the port's to record. */
	return wr_netdev_up(&tp(port)->nd, (struct wr_port *)port);
}

static void tap_sum(const struct tap_port *t, struct tap_queue *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (int i = 0; i < WR_POOL_QUEUES; i++) {
		const struct tap_queue *q = &t->q[i];

		sum->rx_pkts += q->rx_pkts;
		sum->rx_bytes += q->rx_bytes;
		sum->tx_pkts += q->tx_pkts;
		sum->tx_bytes += q->tx_bytes;
		sum->rx_too_big += q->rx_too_big;
		sum->rx_errors += q->rx_errors;
		sum->tx_drops += q->tx_drops;
	}
}

static void tap_stats(const struct wr_port *port, struct wr_port_stats *st)
{
	struct tap_queue sum;

	tap_sum(tp(port), &sum);
	st->rx_pkts += sum.rx_pkts;
	st->rx_bytes += sum.rx_bytes;
	st->tx_pkts += sum.tx_pkts;
	st->tx_bytes += sum.tx_bytes;
	st->drops += sum.rx_too_big;	/* arrived, never reached the switch */
}

static int tap_xstats(const struct wr_port *port, const char **names, uint64_t *vals, int max)
{
	struct tap_queue sum;
	int n = 0;

	tap_sum(tp(port), &sum);
	/* rx_too_big: longer than a buffer, dropped (in drops too); rx_errors: read()
	 * failures but EAGAIN (EBADFD: the device went); tx_drops: frames write() refused. */
	n = wr_xstat(names, vals, n, max, "rx_too_big", sum.rx_too_big);
	n = wr_xstat(names, vals, n, max, "rx_errors", sum.rx_errors);
	return wr_xstat(names, vals, n, max, "tx_drops", sum.tx_drops);
}

static int tap_poll_fd(const struct wr_port *port, uint16_t queue)
{
	(void)queue;		/* one fd: the device has one queue */
	return tp(port)->fd;
}

static void tap_close(struct wr_port *port)
{
	struct tap_port *t = tp(port);

	close(t->fd);
	wr_netdev_close(&t->nd);
	wr_pool_fini(&t->pool);
	free(t);
}

const struct wr_port_ops wr_tap_ops = {
	.kind = "tap",
	.rx_burst = tap_rx_burst,
	.tx_burst = tap_tx_burst,
	.alloc = tap_alloc,
	.free = tap_free,
	.link_up = tap_link_up,
	.stats = tap_stats,
	.close = tap_close,
	.poll_fd = tap_poll_fd,
	.xstats = tap_xstats,
};


/* ---------------------------------------------------------------- create */

struct tap_open {
	struct tap_port *t;
	bool make;		/* a TAP of the port's own, made now, gone with it */
	const char *where;	/* " in netns NAME", or "" */
	char *err;
	size_t errlen;
};

/* Whether dev is there and a TAP, asked before TUNSETIFF (which would create it). */
static int check_dev(struct tap_open *o)
{
	struct tap_port *t = o->t;
	struct ethtool_drvinfo info;
	int err = wr_netdev_drvinfo(&t->nd, &info);

	if (err) {

		if (err == -ENODEV)
			snprintf(o->err, o->errlen, "port %s: tap %s%s: no such device "
				 "(create it: ip tuntap add dev %s mode tap)", t->port.name,
				 t->dev, o->where, t->dev);
		else	/* the tun driver answers; lo, for one, does not */
			snprintf(o->err, o->errlen, "port %s: tap %s%s: not a TAP device "
				 "(driver info: %s)", t->port.name, t->dev, o->where, strerror(-err));
		return err == -ENODEV ? err : -EINVAL;
	}
	if (strcmp(info.driver, "tun")) {
		snprintf(o->err, o->errlen, "port %s: tap %s%s: not a TAP device (driver %s)",
			 t->port.name, t->dev, o->where, info.driver);
		return -EINVAL;
	}
	/* The tun driver names the kind in bus_info. */
	if (strcmp(info.bus_info, "tap")) {
		snprintf(o->err, o->errlen, "port %s: tap %s%s: a TUN device, not a TAP "
			 "(ip tuntap add dev %s mode tap)", t->port.name, t->dev, o->where, t->dev);
		return -EINVAL;
	}
	return 0;
}

static const char *attach_hint(int err)
{
	switch (err) {
	case -EBUSY:
		return " (another process has it open)";
	case -EPERM:
		return " (owned by another user or group; needs CAP_NET_ADMIN)";
	case -EINVAL:
		return " (a multi-queue TAP: not supported)";
	default:
		return "";
	}
}

/*
 * A TAP made for the port: up, with no IPv6 (a link-local address would
 * make the stack send solicitations into it, which warrend would read as
 * frames from the port). In the device's namespace.
 */
static int tap_bring_up(struct tap_open *o)
{
	struct tap_port *t = o->t;
	char path[96];
	struct ifreq ifr;
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", t->dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {		/* absent: no IPv6 in this kernel, nothing to turn off */
		if (write(fd, "1", 1) != 1)
			err = -errno;
		close(fd);
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->dev, sizeof(t->dev));
	if (!err && ioctl(t->nd.ctl, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(t->nd.ctl, SIOCSIFFLAGS, &ifr))
			err = -errno;
	} else if (!err) {
		err = -errno;
	}
	if (err)
		snprintf(o->err, o->errlen, "port %s: tap %s%s: bringing it up: %s", t->port.name,
			 t->dev, o->where, strerror(-err));
	return err;
}

/* Runs inside the device's namespace: the socket and the fd belong to it. */
static int tap_open(void *arg)
{
	struct tap_open *o = arg;
	struct tap_port *t = o->t;
	struct ifreq ifr;
	int err;

	err = wr_netdev_open(&t->nd, o->make ? t->serves : t->dev, &t->port);
	if (err) {
		snprintf(o->err, o->errlen, "port %s: tap %s%s: socket: %s", t->port.name, t->dev,
			 o->where, strerror(-err));
		return err;
	}
	if (o->make && if_nametoindex(t->dev)) {
		snprintf(o->err, o->errlen, "port %s: tap %s%s: a device of that name exists",
			 t->port.name, t->dev, o->where);
		return -EEXIST;
	}
	err = o->make ? 0 : check_dev(o);
	if (err)
		return err;
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		snprintf(o->err, o->errlen, "port %s: tap %s%s: open /dev/net/tun: %s%s",
			 t->port.name, t->dev, o->where, strerror(-err),
			 err == -ENOENT ? " (modprobe tun)" : "");
		return err;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->dev, sizeof(t->dev));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(t->fd, TUNSETIFF, &ifr)) {
		err = -errno;
		snprintf(o->err, o->errlen, "port %s: tap %s%s: attach: %s%s", t->port.name,
			 t->dev, o->where, strerror(-err), attach_hint(err));
		return err;
	}
	if (o->make)
		return tap_bring_up(o);
	/* Removed since check_dev(): TUNSETIFF made a new one, which goes with our fd. */
	if (ioctl(t->fd, TUNGETIFF, &ifr) || !(ifr.ifr_flags & IFF_PERSIST)) {
		snprintf(o->err, o->errlen, "port %s: tap %s%s: attach: not a persistent device "
			 "(removed meanwhile?)", t->port.name, t->dev, o->where);
		return -ENODEV;
	}
	return 0;
}

static struct wr_port *tap_create(const char *name, const char *netns, const char *dev,
				   const char *serves, char *err, size_t errlen)
{
	struct wr_pool_conf conf = {
		.n_bufs = TAP_N_BUFS,
		.stride = TAP_STRIDE,
		.data_off = WR_HEADROOM,
		.buf_size = TAP_BUF_SIZE,
	};
	char where[300] = "", ns_err[300] = "";
	struct tap_open o = { .make = serves != NULL, .where = where, .err = err, .errlen = errlen };
	struct tap_port *t;
	int ret;

	if (!name || !name[0])
		name = dev;
	/* As the kernel's dev_valid_name(), which would say only ENODEV. */
	if (!dev || !dev[0] || strlen(dev) >= IFNAMSIZ || !strcmp(dev, ".") || !strcmp(dev, "..") ||
	    strpbrk(dev, "/: \t\n")) {
		snprintf(err, errlen, "port %s: tap %s: invalid device name", name ? name : "",
			 dev ? dev : "(none)");
		errno = EINVAL;
		return NULL;
	}
	if (netns && netns[0])
		snprintf(where, sizeof(where), " in netns %s", netns);
	t = wr_zalloc_aligned(sizeof(*t));
	if (!t)
		goto end_nomem;
	ret = wr_pool_init(&t->pool, &conf);
	if (ret) {
		free(t);
		goto end_nomem;
	}
	t->fd = -1;
	t->nd.ctl = -1;
	t->port.buf_size = TAP_BUF_SIZE;
	strncpy(t->dev, dev, sizeof(t->dev) - 1);
	if (serves)
		strncpy(t->serves, serves, sizeof(t->serves) - 1);
	strncpy(t->port.name, name, sizeof(t->port.name) - 1);
	o.t = t;
	ret = wr_netns_run(netns, tap_open, &o, ns_err, sizeof(ns_err));
	if (ret && ns_err[0])	/* the namespace, not the device */
		snprintf(err, errlen, "port %s: tap %s: %s", name, dev, ns_err);
	if (ret)
		goto end_close;
	/* Attached now, the TAP has its carrier: the next link_up asks again. */
	atomic_store(&t->nd.next_ns, 0);
	t->port.ops = &wr_tap_ops;
	t->port.priv = t;
	t->port.pool = &t->pool;
	t->port.buf_size = TAP_BUF_SIZE;
	return &t->port;

end_close:
	if (t->fd >= 0)
		close(t->fd);
	wr_netdev_close(&t->nd);
	wr_pool_fini(&t->pool);
	free(t);
	errno = -ret;
	return NULL;
end_nomem:
	snprintf(err, errlen, "port %s: tap %s%s: %s", name, dev, where, strerror(ENOMEM));
	errno = ENOMEM;
	return NULL;
}

struct wr_port *wr_tap_port_create(const char *name, const char *netns, const char *dev,
				   char *err, size_t errlen)
{
	return tap_create(name, netns, dev, NULL, err, errlen);
}

struct wr_port *wr_tap_port_make(const char *name, const char *netns, const char *dev,
				 const char *serves, char *err, size_t errlen)
{
	return tap_create(name, netns, dev, serves, err, errlen);
}
