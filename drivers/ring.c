/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ring.c - in-memory ports for tests and benchmarks (see wr_drivers.h).
 *
 * Buffers come from a pool (pool.c: a lock-free stack of free indexes
 * behind a cache per worker queue); a buffer index is a frame's cookie. A
 * port has one receive ring (test side → queue 0) and one send ring per
 * queue (queue → test side), all single-producer single-consumer. The test
 * side's inject and collect use the pool's shared stack, not a cache.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pool_priv.h"
#include "wr_drivers.h"

/*
 * A ring pool is a pool (pool.c) under its public name: its only member,
 * so a pointer to one is a pointer to the other (C11 6.7.2.1).
 */
struct wr_ring_pool {
	struct wr_pool pool;
};

/* One frame in a ring: which buffer, where its data starts, how long. */
struct desc {
	uint32_t idx;
	uint16_t off;
	uint16_t len;
};

struct spsc {
	_Atomic uint32_t head __attribute__((aligned(WR_CACHE_LINE)));	/* producer */
	_Atomic uint32_t tail __attribute__((aligned(WR_CACHE_LINE)));	/* consumer */
	uint32_t mask;
	struct desc *d;
};

struct ring_port {
	struct wr_port port;
	struct wr_pool *pool;
	struct spsc rx;
	struct spsc tx[WR_WORKER_MAX];
	_Atomic bool link;
	bool sink;
	/* Replay (bench) mode. */
	const uint8_t *const *replay;
	const uint16_t *replay_lens;
	uint32_t n_replay, next_replay;
	uint32_t n_macs, next_mac;	/* distinct MAC pairs written over replayed frames */
	bool churn;			/* a new source MAC in every frame */
	uint32_t churn_ctr;
	uint64_t sent __attribute__((aligned(WR_CACHE_LINE)));
	uint64_t sent_bytes;
	uint64_t received, received_bytes;	/* by queue 0's worker */
};

static struct ring_port *rp(const struct wr_port *p)
{
	return (struct ring_port *)p->priv;
}

/* ------------------------------------------------------------------ pool */

struct wr_ring_pool *wr_ring_pool_create(uint32_t n_bufs, uint16_t buf_size)
{
	struct wr_pool_conf conf = {
		.n_bufs = n_bufs,
		.data_off = WR_HEADROOM,
		.buf_size = buf_size,
	};

	return (struct wr_ring_pool *)wr_pool_create(&conf);
}

void wr_ring_pool_destroy(struct wr_ring_pool *pool)
{
	wr_pool_destroy((struct wr_pool *)pool);
}

uint32_t wr_ring_pool_free_count(const struct wr_ring_pool *pool)
{
	return wr_pool_free_count(&pool->pool);
}

/* ----------------------------------------------------------------- rings */

static int spsc_init(struct spsc *r, uint32_t size)
{
	r->d = calloc(size, sizeof(*r->d));
	r->mask = size - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return r->d ? 0 : -ENOMEM;
}

static uint32_t spsc_count(const struct spsc *r)
{
	return atomic_load_explicit(&r->head, memory_order_acquire) -
	       atomic_load_explicit(&r->tail, memory_order_acquire);
}

/* ------------------------------------------------------------------ port */

static uint16_t ring_rx_replay(struct ring_port *p, uint16_t queue, struct wr_pkt *pkts,
			       uint16_t n)
{
	uint32_t idx[WR_BURST];
	uint16_t got;

	if (n > WR_BURST)
		n = WR_BURST;
	got = (uint16_t)wr_pool_get(p->pool, queue, idx, n);
	for (uint16_t i = 0; i < got; i++) {
		uint32_t f = p->next_replay;
		uint8_t *data = wr_pool_data(p->pool, idx[i]);

		p->next_replay = f + 1 == p->n_replay ? 0 : f + 1;
		/* As a NIC's DMA would: every frame is written into its buffer. */
		memcpy(data, p->replay[f], p->replay_lens[f]);
		if (p->n_macs) {
			uint32_t m = p->next_mac;

			p->next_mac = m + 1 == p->n_macs ? 0 : m + 1;
			/* dst 02:00:00:mm:mm:mm, src 02:00:01:mm:mm:mm, or ever new */
			data[3] = (uint8_t)(m >> 16), data[4] = (uint8_t)(m >> 8), data[5] = (uint8_t)m;
			if (p->churn)	/* distinct for 2^24 frames */
				m = p->churn_ctr++ * 2654435761u;
			data[9] = (uint8_t)(m >> 16), data[10] = (uint8_t)(m >> 8), data[11] = (uint8_t)m;
		}
		pkts[i].data = data;
		pkts[i].len = p->replay_lens[f];
		pkts[i].cookie = idx[i];
		p->received_bytes += pkts[i].len;
	}
	p->received += got;
	return got;
}

static uint16_t ring_rx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts,
			      uint16_t n)
{
	struct ring_port *p = rp(port);
	struct spsc *r = &p->rx;
	uint32_t head, tail, avail;

	if (!atomic_load_explicit(&p->link, memory_order_relaxed))
		return 0;
	if (p->n_replay)
		return ring_rx_replay(p, queue, pkts, n);
	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	head = atomic_load_explicit(&r->head, memory_order_acquire);
	avail = head - tail;
	if (n > avail)
		n = (uint16_t)avail;
	for (uint16_t i = 0; i < n; i++) {
		const struct desc *d = &r->d[(tail + i) & r->mask];

		pkts[i].data = wr_pool_buf(p->pool, d->idx) + d->off;
		pkts[i].len = d->len;
		pkts[i].cookie = d->idx;
	}
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	for (uint16_t i = 0; i < n; i++)
		p->received_bytes += pkts[i].len;
	p->received += n;
	return n;
}

static uint16_t ring_tx_burst(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts,
			      uint16_t n)
{
	struct ring_port *p = rp(port);
	struct spsc *r = &p->tx[queue];
	uint32_t head, tail, room;

	if (p->sink) {
		uint32_t idx[WR_VEC_MAX];

		if (n > WR_VEC_MAX)
			n = WR_VEC_MAX;
		for (uint16_t i = 0; i < n; i++) {
			idx[i] = (uint32_t)pkts[i]->cookie;
			p->sent_bytes += pkts[i]->len;
		}
		wr_pool_put(p->pool, queue, idx, n);
		p->sent += n;
		return n;
	}
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	room = r->mask + 1 - (head - tail);
	if (n > room)
		n = (uint16_t)room;
	for (uint16_t i = 0; i < n; i++) {
		struct desc *d = &r->d[(head + i) & r->mask];

		d->idx = (uint32_t)pkts[i]->cookie;
		d->off = (uint16_t)(pkts[i]->data - wr_pool_buf(p->pool, d->idx));
		d->len = pkts[i]->len;
		p->sent_bytes += d->len;
	}
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	p->sent += n;
	return n;
}

static uint16_t ring_alloc(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	return wr_pool_alloc_pkts(rp(port)->pool, queue, pkts, n);
}

static void ring_free(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	wr_pool_free_pkts(rp(port)->pool, queue, pkts, n);
}

static int ring_poll_fd(const struct wr_port *port, uint16_t queue)
{
	(void)port;
	(void)queue;
	return -1;	/* nothing to sleep on: the test side fills the rings */
}

static bool ring_link_up(const struct wr_port *port)
{
	return atomic_load_explicit(&rp(port)->link, memory_order_relaxed);
}

static void ring_stats(const struct wr_port *port, struct wr_port_stats *st)
{
	const struct ring_port *p = rp(port);

	st->rx_pkts += p->received;
	st->rx_bytes += p->received_bytes;
	st->tx_pkts += p->sent;
	st->tx_bytes += p->sent_bytes;
}

static void drain(struct ring_port *p, struct spsc *r)
{
	uint32_t tail = atomic_load(&r->tail), head = atomic_load(&r->head);

	for (; tail != head; tail++)
		wr_pool_put_shared(p->pool, &r->d[tail & r->mask].idx, 1);
	atomic_store(&r->tail, tail);
}

static void ring_close(struct wr_port *port)
{
	struct ring_port *p = rp(port);

	drain(p, &p->rx);
	for (int q = 0; q < WR_WORKER_MAX; q++) {
		drain(p, &p->tx[q]);
		free(p->tx[q].d);
	}
	free(p->rx.d);
	free(p);
}

const struct wr_port_ops wr_ring_ops = {
	.kind = "ring",
	.rx_burst = ring_rx_burst,
	.tx_burst = ring_tx_burst,
	.alloc = ring_alloc,
	.free = ring_free,
	.link_up = ring_link_up,
	.stats = ring_stats,
	.close = ring_close,
	.poll_fd = ring_poll_fd,
};

struct wr_port *wr_ring_port_create(struct wr_ring_pool *pool, const char *name,
				    uint32_t ring_size)
{
	struct ring_port *p;

	if (!pool || ring_size < 2 || (ring_size & (ring_size - 1))) {
		errno = EINVAL;
		return NULL;
	}
	p = wr_zalloc_aligned(sizeof(*p));
	if (!p)
		return NULL;
	p->pool = &pool->pool;
	if (spsc_init(&p->rx, ring_size))
		goto end_free;
	for (int q = 0; q < WR_WORKER_MAX; q++)
		if (spsc_init(&p->tx[q], ring_size))
			goto end_free;
	atomic_init(&p->link, true);
	p->port.ops = &wr_ring_ops;
	p->port.priv = p;
	p->port.pool = p->pool;
	p->port.buf_size = p->pool->buf_size;
	p->port.max_len = p->port.buf_size;
	strncpy(p->port.name, name ? name : "ring", sizeof(p->port.name) - 1);
	return &p->port;

end_free:
	for (int q = 0; q < WR_WORKER_MAX; q++)
		free(p->tx[q].d);
	free(p->rx.d);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int wr_ring_inject(struct wr_port *port, const void *frame, uint16_t len)
{
	struct ring_port *p = rp(port);
	struct spsc *r = &p->rx;
	uint32_t head, idx;
	struct desc *d;

	if (len > p->pool->buf_size)
		return -EMSGSIZE;
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (head - atomic_load_explicit(&r->tail, memory_order_acquire) > r->mask)
		return -ENOBUFS;
	if (wr_pool_get_shared(p->pool, &idx, 1) != 1)
		return -ENOBUFS;
	d = &r->d[head & r->mask];
	d->idx = idx;
	d->off = p->pool->data_off;
	d->len = len;
	memcpy(wr_pool_data(p->pool, idx), frame, len);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return 0;
}

int wr_ring_collect(struct wr_port *port, void *buf, uint16_t size)
{
	struct ring_port *p = rp(port);

	for (int q = 0; q < WR_WORKER_MAX; q++) {
		struct spsc *r = &p->tx[q];
		uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		const struct desc *d;

		if (atomic_load_explicit(&r->head, memory_order_acquire) == tail)
			continue;
		d = &r->d[tail & r->mask];
		memcpy(buf, wr_pool_buf(p->pool, d->idx) + d->off, d->len < size ? d->len : size);
		wr_pool_put_shared(p->pool, &d->idx, 1);
		atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
		return d->len;
	}
	return -1;
}

uint32_t wr_ring_pending(const struct wr_port *port)
{
	const struct ring_port *p = rp(port);
	uint32_t n = 0;

	for (int q = 0; q < WR_WORKER_MAX; q++)
		n += spsc_count(&p->tx[q]);
	return n;
}

void wr_ring_set_link(struct wr_port *port, bool up)
{
	atomic_store_explicit(&rp(port)->link, up, memory_order_relaxed);
}

void wr_ring_replay(struct wr_port *port, const uint8_t *const *frames, const uint16_t *lens,
		    uint32_t n)
{
	struct ring_port *p = rp(port);

	p->replay = frames;
	p->replay_lens = lens;
	p->next_replay = 0;
	p->n_replay = n;
}

void wr_ring_replay_macs(struct wr_port *port, uint32_t n_macs, bool churn)
{
	struct ring_port *p = rp(port);

	p->n_macs = n_macs;
	p->next_mac = 0;
	p->churn = churn;
}

void wr_ring_sink(struct wr_port *port, bool sink)
{
	rp(port)->sink = sink;
}

uint64_t wr_ring_sent(const struct wr_port *port)
{
	return rp(port)->sent;
}
