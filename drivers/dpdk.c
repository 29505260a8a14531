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
 * A port has one receive queue, polled by the worker that owns it, and
 * one transmit queue per worker, so no call takes a lock. Frames in more
 * than one segment are not taken (counted, and dropped): the switch sees
 * contiguous frames only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "netdev_priv.h"
#include "wr_drivers.h"

#define RX_DESC		1024
#define TX_DESC		1024
#define MBUF_CACHE	256

/* The EAL and the pools: one per process. */
static struct {
	bool up;
	uint32_t n_mbufs;
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
} eal;

struct dpdk_port {
	struct wr_port port;
	uint16_t port_id;
	uint16_t owner;			/* the worker queue that receives */
	uint16_t n_queues;		/* transmit queues: one per worker */
	struct rte_mempool *mp;
	char devargs[256];
	bool probed;			/* we probed the device: we remove it at close */
	uint64_t rx_multiseg;		/* frames in several segments, dropped */
};

static struct dpdk_port *dp(const struct wr_port *p)
{
	return (struct dpdk_port *)p->priv;
}

/* ------------------------------------------------------------------- EAL */

int wr_dpdk_init(const char *const *args, int n_args, uint32_t n_mbufs, char *err,
		 size_t errlen)
{
	char *argv[64];
	int argc = 0, ret;

	if (eal.up)
		return 0;
	if (n_args > 60) {
		snprintf(err, errlen, "dpdk: too many EAL arguments (%d, at most 60)", n_args);
		return -E2BIG;
	}
	argv[argc++] = (char *)"warrend";
	for (int i = 0; i < n_args; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		ret = rte_errno ? -rte_errno : -EINVAL;
		snprintf(err, errlen, "dpdk: EAL init: %s (arguments:%s%s)", rte_strerror(-ret),
			 n_args ? " " : " none", n_args ? args[0] : "");
		return ret;
	}
	eal.up = true;
	eal.n_mbufs = n_mbufs;
	return 0;
}

bool wr_dpdk_ready(void)
{
	return eal.up;
}

void wr_dpdk_fini(void)
{
	if (!eal.up)
		return;
	for (int i = 0; i < RTE_MAX_NUMA_NODES; i++)
		rte_mempool_free(eal.pools[i]);
	memset(eal.pools, 0, sizeof(eal.pools));
	rte_eal_cleanup();
	eal.up = false;
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

static uint16_t dpdk_rx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts,
			      uint16_t n)
{
	struct dpdk_port *p = dp(port);
	struct rte_mbuf *m[WR_VEC_MAX];
	uint16_t got, kept = 0;

	if (queue != p->owner)
		return 0;
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

	if (n > WR_VEC_MAX)
		n = WR_VEC_MAX;
	for (uint16_t i = 0; i < n; i++)
		m[i] = unwrap(pkts[i]);
	return rte_eth_tx_burst(p->port_id, queue % p->n_queues, m, n);
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
	got = rte_eth_xstats_get_names(p->port_id, xnames, 256);
	if (got <= 0 || got > 256 || rte_eth_xstats_get(p->port_id, xs, 256) != got)
		return n;
	for (int i = 0; i < got && n < max; i++)
		n = wr_xstat(names, vals, n, max, xnames[xs[i].id].name, xs[i].value);
	return n;
}

/* ------------------------------------------------------------ open, close */

/* Stop and close the ethdev; a device we probed goes too. */
static void release(struct dpdk_port *p)
{
	struct rte_eth_dev_info info;
	bool remove = p->probed && rte_eth_dev_info_get(p->port_id, &info) == 0 && info.device;

	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
	if (remove)
		rte_dev_remove(info.device);
	free(p);
}

static void dpdk_close(struct wr_port *port)
{
	release(dp(port));
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

/* The ethdev @devargs made: by the name before the first comma. */
static int probe(struct dpdk_port *p, const char *devargs, char *err, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t len = strcspn(devargs, ",");
	int ret;

	if (len >= sizeof(name)) {
		snprintf(err, errlen, "port %s: devargs '%s': the device name is too long",
			 p->port.name, devargs);
		return -EINVAL;
	}
	memcpy(name, devargs, len);
	name[len] = '\0';
	/* A device the EAL already has (-a, --vdev): use it as it is. */
	if (rte_eth_dev_get_port_by_name(name, &p->port_id) == 0)
		return 0;
	ret = rte_dev_probe(devargs);
	if (ret < 0) {
		snprintf(err, errlen, "port %s: devargs '%s': probe: %s", p->port.name, devargs,
			 rte_strerror(-ret));
		return ret;
	}
	p->probed = true;
	if (rte_eth_dev_get_port_by_name(name, &p->port_id)) {
		snprintf(err, errlen, "port %s: devargs '%s': probed, but no ethdev is named '%s'",
			 p->port.name, devargs, name);
		return -ENODEV;
	}
	return 0;
}

static int setup(struct dpdk_port *p, char *err, size_t errlen)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t mtu = 0;
	int ret, socket = rte_eth_dev_socket_id(p->port_id);
	const char *what = "device info";

	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (!ret && info.max_tx_queues < p->n_queues) {
		snprintf(err, errlen, "port %s: the device has %u transmit queues, warrend needs %u "
			 "(one per worker)", p->port.name, info.max_tx_queues, p->n_queues);
		return -ENOTSUP;
	}
	p->mp = ret ? NULL : pool_of(socket, err, errlen);
	if (!ret && !p->mp)
		return -ENOMEM;
	if (!ret) {
		what = "configure";
		ret = rte_eth_dev_configure(p->port_id, 1, p->n_queues, &conf);
	}
	if (!ret) {
		what = "receive queue";
		ret = rte_eth_rx_queue_setup(p->port_id, 0, RX_DESC, (unsigned int)socket, NULL, p->mp);
	}
	for (uint16_t q = 0; !ret && q < p->n_queues; q++) {
		what = "transmit queue";
		ret = rte_eth_tx_queue_setup(p->port_id, q, TX_DESC, (unsigned int)socket, NULL);
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

struct wr_port *wr_dpdk_port_create(const struct wr_dpdk_conf *conf, char *err, size_t errlen)
{
	struct dpdk_port *p;
	int ret;

	err[0] = '\0';
	if (!eal.up) {
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
	p->owner = conf->owner;
	p->n_queues = conf->n_queues ? conf->n_queues : 1;
	ret = probe(p, conf->devargs, err, errlen);
	if (!ret)
		ret = setup(p, err, errlen);
	if (ret) {
		if (p->probed)
			release(p);
		else
			free(p);
		errno = -ret;
		return NULL;
	}
	p->port.ops = &dpdk_ops;
	p->port.priv = p;
	p->port.pool = p->mp;
	return &p->port;
}

uint16_t wr_dpdk_port_id(const struct wr_port *port)
{
	return dp(port)->port_id;
}
