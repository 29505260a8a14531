/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk.c - ports on DPDK ethdevs: any PMD a devargs string names
 * (net_tap, net_af_xdp, net_memif, net_ring, vhost, a PCI NIC, a VF
 * representor), through the same ops as every other backend.
 *
 * One EAL per process (wr_dpdk_init), one mbuf pool per NUMA node, shared
 * by every DPDK port on it: a frame from one DPDK port leaves by another
 * with only its mbuf pointer moved. A frame's wr_pkt wraps its mbuf (the
 * cookie is the mbuf, data points into it), so nothing is copied on the
 * way in or out; a frame to or from another backend's pool is copied by
 * the switch, as for any two pools.
 *
 * A port has one receive queue and one transmit queue, both used by the
 * worker that owns it, so no call takes a lock and any PMD will do (some
 * have a single queue pair, net_af_xdp by default; memif's peer decides
 * how many rings there are). Another worker's frames for the port are
 * handed to the owner through a DPDK ring (many producers, one consumer)
 * and sent on its next pass. Frames in more than one segment are not
 * taken (counted, and dropped): the switch sees contiguous frames only.
 *
 * A port in a network namespace is probed, set up and closed with the
 * calling thread inside it: net_tap makes its TAP there, net_af_xdp finds
 * its device and attaches its program there, memif's abstract socket
 * lives there. Their file descriptors keep that namespace afterwards.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "netdev_priv.h"
#include "wr_drivers.h"

#define RX_DESC		1024
#define TX_DESC		1024
#define MBUF_CACHE	256
#define HANDOFF_SIZE	1024	/* frames other workers may queue for a port's owner */

/* The EAL and the pools: one per process. */
static struct {
	_Atomic bool up;
	uint32_t n_mbufs;
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	char users[RTE_MAX_ETHPORTS][32];	/* the port on each ethdev */
} eal;

struct dpdk_port {
	struct wr_port port;
	uint16_t port_id;
	uint16_t owner;			/* the worker queue that receives and sends */
	struct rte_mempool *mp;
	struct rte_ring *handoff;	/* other workers' frames; NULL with one worker */
	char devargs[256];
	char netns[256];		/* "": the caller's */
	int netns_fd;			/* held: close() finds it even if its name went */
	bool probed;			/* we probed the device: we remove it at close */
	uint64_t rx_multiseg;		/* frames in several segments, dropped */
	_Atomic uint64_t handoff_full;	/* frames another worker could not hand over */
	uint64_t handoff_drops;		/* handed over, but the device took none */
	/* For wr_netns_run(): the step to take inside, and its message. */
	int (*step)(struct dpdk_port *p);
	char *err;
	size_t errlen;
};

static struct dpdk_port *dp(const struct wr_port *p)
{
	return (struct dpdk_port *)p->priv;
}

/* ------------------------------------------------------------------- EAL */

static void (*log_fn)(int level, const char *line);

/* The EAL's and the PMDs' messages, a line at a time, with their level. */
static ssize_t log_write(void *cookie, const char *buf, size_t n)
{
	char line[512];
	size_t at = 0;

	(void)cookie;
	while (at < n) {
		size_t len = strcspn(buf + at, "\n");

		if (len > n - at)
			len = n - at;
		snprintf(line, sizeof(line), "%.*s", (int)len, buf + at);
		if (line[0])
			log_fn(rte_log_cur_msg_loglevel(), line);
		at += len + 1;
	}
	return (ssize_t)n;
}

void wr_dpdk_log_to(void (*fn)(int level, const char *line))
{
	FILE *f;

	log_fn = fn;
	f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = log_write });
	if (!f)
		return;
	setvbuf(f, NULL, _IOLBF, 1024);
	rte_openlog_stream(f);
}

int wr_dpdk_init(const char *const *args, int n_args, uint32_t n_mbufs, char *err,
		 size_t errlen)
{
	char *argv[64];
	cpu_set_t mine;
	int argc = 0, ret;
	bool pinned;

	if (atomic_load(&eal.up))
		return 0;
	if (n_args > 60) {
		snprintf(err, errlen, "dpdk: too many EAL arguments (%d, at most 60)", n_args);
		return -E2BIG;
	}
	argv[argc++] = (char *)"warrend";
	for (int i = 0; i < n_args; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	/* The EAL pins the calling thread to its main lcore: the caller's is not a worker. */
	pinned = pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) == 0;
	ret = rte_eal_init(argc, argv);
	if (pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine);
	if (ret < 0) {
		ret = rte_errno ? -rte_errno : -EINVAL;
		snprintf(err, errlen, "dpdk: EAL init: %s (its messages above say more)",
			 rte_strerror(-ret));
		return ret;
	}
	eal.n_mbufs = n_mbufs;
	atomic_store(&eal.up, true);
	return 0;
}

bool wr_dpdk_ready(void)
{
	return atomic_load_explicit(&eal.up, memory_order_acquire);
}

bool wr_dpdk_thread_register(void)
{
	if (rte_lcore_id() != LCORE_ID_ANY)
		return true;
	return wr_dpdk_ready() && rte_thread_register() == 0;
}

void wr_dpdk_thread_unregister(void)
{
	if (wr_dpdk_ready() && rte_lcore_id() != LCORE_ID_ANY)
		rte_thread_unregister();
}

void wr_dpdk_fini(void)
{
	char run_dir[PATH_MAX];

	if (!wr_dpdk_ready())
		return;
	for (int i = 0; i < RTE_MAX_NUMA_NODES; i++)
		rte_mempool_free(eal.pools[i]);
	memset(eal.pools, 0, sizeof(eal.pools));
	snprintf(run_dir, sizeof(run_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	atomic_store(&eal.up, false);
	/* The EAL leaves its runtime directory (/var/run/dpdk/PREFIX); empty, it goes. */
	if (run_dir[0] && rmdir(run_dir) == 0 && strrchr(run_dir, '/')) {
		*strrchr(run_dir, '/') = '\0';
		rmdir(run_dir);		/* /var/run/dpdk, if no other EAL uses it */
	}
}

/* The pool of NUMA node @socket, made at its first port. */
static struct rte_mempool *pool_of(int socket, char *err, size_t errlen)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i = socket < 0 ? 0 : (unsigned int)socket;

	if (i >= RTE_MAX_NUMA_NODES)
		i = 0;
	if (eal.pools[i])
		return eal.pools[i];
	snprintf(name, sizeof(name), "wr_mbufs_%u", i);
	eal.pools[i] = rte_pktmbuf_pool_create(name, eal.n_mbufs, MBUF_CACHE, 0,
					       RTE_MBUF_DEFAULT_BUF_SIZE, (int)i);
	if (!eal.pools[i])
		snprintf(err, errlen, "dpdk: mbuf pool of %u on node %u: %s", eal.n_mbufs, i,
			 rte_strerror(rte_errno));
	return eal.pools[i];
}

/* ----------------------------------------------------------------- frames */

static inline void wrap(struct wr_pkt *pkt, struct rte_mbuf *m)
{
	pkt->data = rte_pktmbuf_mtod(m, uint8_t *);
	pkt->len = m->data_len;
	pkt->cookie = (uint64_t)(uintptr_t)m;
}

/* The mbuf behind @pkt, its data where the switch left it (a tag pushed or popped). */
static inline struct rte_mbuf *unwrap(const struct wr_pkt *pkt)
{
	struct rte_mbuf *m = (struct rte_mbuf *)(uintptr_t)pkt->cookie;

	m->data_off = (uint16_t)(pkt->data - (uint8_t *)m->buf_addr);
	m->data_len = pkt->len;
	m->pkt_len = pkt->len;
	return m;
}

/* What other workers handed over, out on the device; what it does not take is dropped. */
static void handoff_drain(struct dpdk_port *p)
{
	struct rte_mbuf *m[WR_VEC_MAX];
	unsigned int got = rte_ring_sc_dequeue_burst(p->handoff, (void **)m, WR_VEC_MAX, NULL);
	uint16_t sent = got ? rte_eth_tx_burst(p->port_id, 0, m, (uint16_t)got) : 0;

	if (sent < got) {
		p->handoff_drops += got - sent;
		rte_pktmbuf_free_bulk(m + sent, got - sent);
	}
}

static uint16_t dpdk_rx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts,
			      uint16_t n)
{
	struct dpdk_port *p = dp(port);
	struct rte_mbuf *m[WR_VEC_MAX];
	uint16_t got, kept = 0;

	if (queue != p->owner)
		return 0;
	if (p->handoff && !rte_ring_empty(p->handoff))
		handoff_drain(p);
	got = rte_eth_rx_burst(p->port_id, 0, m, n < WR_VEC_MAX ? n : WR_VEC_MAX);
	for (uint16_t i = 0; i < got; i++) {
		if (m[i]->nb_segs != 1) {
			p->rx_multiseg++;
			rte_pktmbuf_free(m[i]);
			continue;
		}
		wrap(&pkts[kept++], m[i]);
	}
	return kept;
}

static uint16_t dpdk_tx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts,
			      uint16_t n)
{
	struct dpdk_port *p = dp(port);
	struct rte_mbuf *m[WR_VEC_MAX];
	unsigned int put;

	if (n > WR_VEC_MAX)
		n = WR_VEC_MAX;
	for (uint16_t i = 0; i < n; i++)
		m[i] = unwrap(pkts[i]);
	if (queue == p->owner)
		return rte_eth_tx_burst(p->port_id, 0, m, n);
	if (!p->handoff)
		return 0;
	put = rte_ring_mp_enqueue_burst(p->handoff, (void **)m, n, NULL);
	if (put < n)
		atomic_fetch_add_explicit(&p->handoff_full, n - put, memory_order_relaxed);
	return (uint16_t)put;
}

static uint16_t dpdk_alloc(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	struct rte_mbuf *m[WR_VEC_MAX];

	(void)queue;
	if (n > WR_VEC_MAX)
		n = WR_VEC_MAX;
	if (rte_pktmbuf_alloc_bulk(dp(port)->mp, m, n))
		return 0;
	for (uint16_t i = 0; i < n; i++)
		wrap(pkts[i], m[i]);
	return n;
}

static void dpdk_free(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	struct rte_mbuf *m[WR_VEC_MAX];

	(void)port;
	(void)queue;
	if (n > WR_VEC_MAX)
		n = WR_VEC_MAX;
	for (uint16_t i = 0; i < n; i++)
		m[i] = (struct rte_mbuf *)(uintptr_t)pkts[i]->cookie;
	rte_pktmbuf_free_bulk(m, n);
}

/* ---------------------------------------------------------- state, stats */

static bool dpdk_link_up(const struct wr_port *port)
{
	struct rte_eth_link link;

	return rte_eth_link_get_nowait(dp(port)->port_id, &link) == 0 &&
	       link.link_status == RTE_ETH_LINK_UP;
}

static void dpdk_stats(const struct wr_port *port, struct wr_port_stats *st)
{
	/* Frames the switch never saw: several segments. */
	st->drops += dp(port)->rx_multiseg;
}

/* The PMD's own counters (rte_eth_xstats), with ours first. */
static int dpdk_xstats(const struct wr_port *port, const char **names, uint64_t *vals, int max)
{
	static __thread struct rte_eth_xstat_name xnames[256];
	struct rte_eth_xstat xs[256];
	const struct dpdk_port *p = dp(port);
	int n = 0, got;

	n = wr_xstat(names, vals, n, max, "rx_multiseg", p->rx_multiseg);
	n = wr_xstat(names, vals, n, max, "handoff_full", atomic_load(&p->handoff_full));
	n = wr_xstat(names, vals, n, max, "handoff_drops", p->handoff_drops);
	got = rte_eth_xstats_get_names(p->port_id, xnames, 256);
	if (got <= 0 || got > 256 || rte_eth_xstats_get(p->port_id, xs, 256) != got)
		return n;
	for (int i = 0; i < got && n < max; i++)
		n = wr_xstat(names, vals, n, max, xnames[xs[i].id].name, xs[i].value);
	return n;
}

/* ------------------------------------------------------------ open, close */

static int run_step(void *arg)
{
	struct dpdk_port *p = arg;

	return p->step(p);
}

/* @step(@p) with the thread in the port's namespace; 0 or -errno with p->err. */
static int in_netns(struct dpdk_port *p, int (*step)(struct dpdk_port *p))
{
	p->step = step;
	return wr_netns_run_fd(p->netns_fd, p->netns, run_step, p, p->err, p->errlen);
}

/*
 * Stop the ethdev. One we probed is closed and removed; one the EAL had
 * before (-a, --vdev) is left to it, stopped, for a port to use again.
 * [in the namespace]
 */
static int release(struct dpdk_port *p)
{
	struct rte_eth_dev_info info;

	rte_eth_dev_stop(p->port_id);
	if (!p->probed)
		return 0;
	if (rte_eth_dev_info_get(p->port_id, &info))
		info.device = NULL;
	rte_eth_dev_close(p->port_id);
	if (info.device)
		rte_dev_remove(info.device);
	return 0;
}

/*
 * Frames other workers handed over that the owner never sent: back to
 * their pool. No worker uses the port any more (it is closed a grace
 * period after its deletion), so the ring has no producer left.
 */
static void handoff_free(struct dpdk_port *p)
{
	struct rte_mbuf *m[WR_VEC_MAX];
	unsigned int got;

	while (p->handoff &&
	       (got = rte_ring_sc_dequeue_burst(p->handoff, (void **)m, WR_VEC_MAX, NULL)))
		rte_pktmbuf_free_bulk(m, got);
}

static void destroy(struct dpdk_port *p)
{
	char err[256];

	handoff_free(p);
	p->err = err;
	p->errlen = sizeof(err);
	/*
	 * Never outside: a PMD's close names its device by ifindex, which in
	 * another namespace is another device. (Entering a held namespace
	 * does not fail.)
	 */
	in_netns(p, release);
	eal.users[p->port_id][0] = '\0';
	if (p->netns_fd >= 0)
		close(p->netns_fd);
	rte_ring_free(p->handoff);
	free(p);
}

static void dpdk_close(struct wr_port *port)
{
	destroy(dp(port));
}

static const struct wr_port_ops dpdk_ops = {
	.kind = "dpdk",
	.rx_burst = dpdk_rx_burst,
	.tx_burst = dpdk_tx_burst,
	.alloc = dpdk_alloc,
	.free = dpdk_free,
	.link_up = dpdk_link_up,
	.stats = dpdk_stats,
	.close = dpdk_close,
	.xstats = dpdk_xstats,
};

/*
 * The ethdev @devargs names, as DPDK matches them ("0000:03:00.0",
 * "net_tap0,iface=t0", "0000:03:00.0,representor=vf1"): its port id, or
 * -ENODEV if none, -E2BIG if several (a representor range).
 */
static int match(const char *devargs, uint16_t *port_id)
{
	struct rte_dev_iterator it;
	int n = 0;

	if (rte_eth_iterator_init(&it, devargs) < 0)
		return -ENODEV;
	for (uint16_t id = rte_eth_iterator_next(&it); id != RTE_MAX_ETHPORTS;
	     id = rte_eth_iterator_next(&it))
		if (n++ == 0)
			*port_id = id;
	rte_eth_iterator_cleanup(&it);
	return n == 0 ? -ENODEV : n > 1 ? -E2BIG : 0;
}

/*
 * The ethdev of p->devargs: one the EAL has already (-a, --vdev, another
 * port's PCI device), used as it is, or one probed now. [in the namespace]
 */
static int probe(struct dpdk_port *p)
{
	int ret = match(p->devargs, &p->port_id);

	if (ret == -ENODEV) {
		ret = rte_dev_probe(p->devargs);
		if (ret < 0) {
			snprintf(p->err, p->errlen, "port %s: devargs '%s': probe: %s", p->port.name,
				 p->devargs, rte_strerror(-ret));
			return ret;
		}
		p->probed = true;
		ret = match(p->devargs, &p->port_id);
	}
	if (ret == -E2BIG)
		snprintf(p->err, p->errlen, "port %s: devargs '%s' names several ports; a port is "
			 "one of them (representor=vf1, say)", p->port.name, p->devargs);
	else if (ret)
		snprintf(p->err, p->errlen, "port %s: devargs '%s': probed, but no ethdev matches",
			 p->port.name, p->devargs);
	else if (eal.users[p->port_id][0]) {
		snprintf(p->err, p->errlen, "port %s: devargs '%s': its ethdev is already port %s",
			 p->port.name, p->devargs, eal.users[p->port_id]);
		p->probed = false;	/* not ours to remove */
		ret = -EBUSY;
	}
	return ret;
}

/* One queue pair on the node's pool, started. [in the namespace] */
static int setup(struct dpdk_port *p)
{
	char *err = p->err;
	size_t errlen = p->errlen;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t mtu = 0;
	int ret, socket = rte_eth_dev_socket_id(p->port_id);
	const char *what = "device info";

	ret = rte_eth_dev_info_get(p->port_id, &info);
	p->mp = ret ? NULL : pool_of(socket, err, errlen);
	if (!ret && !p->mp)
		return -ENOMEM;
	if (!ret) {
		what = "configure";
		ret = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	}
	if (!ret) {
		what = "receive queue";
		ret = rte_eth_rx_queue_setup(p->port_id, 0, RX_DESC, (unsigned int)socket, NULL, p->mp);
	}
	if (!ret) {
		what = "transmit queue";
		ret = rte_eth_tx_queue_setup(p->port_id, 0, TX_DESC, (unsigned int)socket, NULL);
	}
	if (!ret) {
		what = "start";
		ret = rte_eth_dev_start(p->port_id);
	}
	if (ret) {
		snprintf(err, errlen, "port %s: %s: %s", p->port.name, what, rte_strerror(-ret));
		return ret;
	}
	/* A switch port hears every address. Not every PMD can say so: best effort. */
	rte_eth_promiscuous_enable(p->port_id);
	p->port.buf_size = (uint16_t)(rte_pktmbuf_data_room_size(p->mp) - RTE_PKTMBUF_HEADROOM);
	p->port.max_len = p->port.buf_size;
	if (rte_eth_dev_get_mtu(p->port_id, &mtu) == 0 && mtu + 18u < p->port.buf_size)
		p->port.max_len = (uint16_t)(mtu + 18);
	return 0;
}

static int open_dev(struct dpdk_port *p)
{
	int ret = probe(p);

	if (!ret)
		ret = setup(p);
	if (ret && p->probed)
		release(p);
	return ret;
}

/* Other workers' frames for the owner: one ring per port, named by its ethdev. */
static int handoff_make(struct dpdk_port *p, uint16_t n_queues)
{
	char name[RTE_RING_NAMESIZE];

	if (n_queues < 2)
		return 0;
	snprintf(name, sizeof(name), "wr_handoff_%u", p->port_id);
	p->handoff = rte_ring_create(name, HANDOFF_SIZE, rte_eth_dev_socket_id(p->port_id),
				     RING_F_SC_DEQ);
	if (p->handoff)
		return 0;
	snprintf(p->err, p->errlen, "port %s: handoff ring: %s", p->port.name,
		 rte_strerror(rte_errno));
	return -rte_errno;
}

struct wr_port *wr_dpdk_port_create(const struct wr_dpdk_conf *conf, char *err, size_t errlen)
{
	struct dpdk_port *p;
	int ret;

	err[0] = '\0';
	if (!wr_dpdk_ready()) {
		snprintf(err, errlen, "port %s: DPDK is not set up (warrend --dpdk)", conf->name);
		errno = ENODEV;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(p->port.name, sizeof(p->port.name), "%s", conf->name);
	snprintf(p->devargs, sizeof(p->devargs), "%s", conf->devargs);
	snprintf(p->netns, sizeof(p->netns), "%s", conf->netns ? conf->netns : "");
	p->owner = conf->owner;
	p->err = err;
	p->errlen = errlen;
	p->netns_fd = p->netns[0] ? wr_netns_fd(p->netns, err, errlen) : -1;
	if (p->netns_fd < -1) {
		ret = p->netns_fd;
		free(p);
		errno = -ret;
		return NULL;
	}
	ret = in_netns(p, open_dev);
	if (!ret) {
		ret = handoff_make(p, conf->n_queues);
		if (ret)
			in_netns(p, release);
	}
	if (ret) {
		if (p->netns_fd >= 0)
			close(p->netns_fd);
		free(p);
		errno = -ret;
		return NULL;
	}
	p->port.ops = &dpdk_ops;
	p->port.priv = p;
	p->port.pool = p->mp;
	snprintf(eal.users[p->port_id], sizeof(eal.users[0]), "%s", p->port.name);
	return &p->port;
}

uint16_t wr_dpdk_port_id(const struct wr_port *port)
{
	return dp(port)->port_id;
}

void wr_dpdk_port_info(const struct wr_port *port, struct wr_dpdk_info *info)
{
	struct rte_eth_dev_info di;
	const struct dpdk_port *p = dp(port);

	memset(info, 0, sizeof(*info));
	info->port_id = p->port_id;
	info->socket = rte_eth_dev_socket_id(p->port_id);
	if (rte_eth_dev_get_name_by_port(p->port_id, info->name))
		info->name[0] = '\0';
	if (rte_eth_dev_info_get(p->port_id, &di) == 0 && di.driver_name)
		snprintf(info->driver, sizeof(info->driver), "%s", di.driver_name);
}
