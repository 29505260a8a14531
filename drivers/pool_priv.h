/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pool_priv.h - the buffer pool the port backends share (drivers/ only).
 *
 * A pool is n_bufs buffers of one stride laid out from a base address:
 * memory the pool allocates itself (ring, tap) or memory the caller owns
 * (an AF_XDP UMEM). A buffer is named by its index; its frame data starts
 * data_off bytes in (WR_HEADROOM for ring and tap, XDP_PACKET_HEADROOM for
 * AF_XDP) and may be buf_size bytes long.
 *
 * Free indexes sit on a lock-free stack (Treiber, with a generation tag in
 * the head against ABA) behind a cache per queue, as DPDK's mempool cache:
 * the owner of a queue takes and gives back from its cache and touches the
 * shared stack once per WR_POOL_CACHE_MOVE buffers.
 *
 * Threads: queue q's cache (wr_pool_get/put, wr_pool_alloc_pkts/free_pkts)
 * is used by one thread at a time: worker q, or for WR_POOL_SIDE_QUEUE one
 * thread that is not a worker (a test or bench side, the control thread).
 * wr_pool_get_shared/put_shared and the address helpers: [any].
 * init/fini: [control], with no other user.
 */
#ifndef WR_POOL_PRIV_H
#define WR_POOL_PRIV_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "wr_driver.h"

#define WR_POOL_CACHE_MAX	512	/* indexes a queue's cache holds */
#define WR_POOL_CACHE_MOVE	256	/* indexes moved between a cache and the stack at once */
#define WR_POOL_SIDE_QUEUE	WR_WORKER_MAX	/* the one queue for a thread that is not a worker */
#define WR_POOL_QUEUES		(WR_WORKER_MAX + 1)
#define WR_POOL_NIL		UINT32_MAX	/* no buffer: the end of the free stack */

struct wr_pool_cache {
	uint32_t n;
	uint32_t idx[WR_POOL_CACHE_MAX];
} __attribute__((aligned(WR_CACHE_LINE)));

struct wr_pool_conf {
	uint32_t n_bufs;	/* buffers, 1 .. WR_POOL_NIL - 1 */
	uint32_t stride;	/* bytes from one buffer to the next; 0: data_off + buf_size
				 * rounded up to a cache line */
	uint16_t data_off;	/* where a frame's data starts in its buffer (headroom) */
	uint16_t buf_size;	/* bytes of frame a buffer holds from data_off, >= 64 */
	void *base;		/* NULL: the pool allocates (zeroed) and frees its memory;
				 * else n_bufs * stride bytes that stay the caller's */
};

struct wr_pool {
	uint8_t *base;
	uint32_t stride;		/* bytes per buffer, headroom included */
	uint32_t n_bufs;
	uint16_t data_off;
	uint16_t buf_size;
	uint8_t stride_shift;		/* log2(stride) when a power of two, else 0 */
	bool own_base;			/* base is ours to free */
	uint32_t *next;			/* free stack links, by index */
	_Atomic uint64_t head;		/* generation << 32 | index of the top, NIL = empty */
	_Atomic uint32_t n_free;	/* on the stack */
	struct wr_pool_cache caches[WR_POOL_QUEUES];
};

/**
 * Set @pool (cache-line aligned: embed it in an object from
 * wr_zalloc_aligned(), or use wr_pool_create()) up from @conf, every buffer
 * free. 0, -EINVAL (a bad conf) or -ENOMEM.
 */
int wr_pool_init(struct wr_pool *pool, const struct wr_pool_conf *conf);
/** Release what wr_pool_init() allocated; an external base stays the caller's. */
void wr_pool_fini(struct wr_pool *pool);

/** wr_pool_init() on a fresh allocation: the pool, or NULL with errno EINVAL/ENOMEM. */
struct wr_pool *wr_pool_create(const struct wr_pool_conf *conf);
void wr_pool_destroy(struct wr_pool *pool);

/** Buffers not in use: on the shared stack and in every queue's cache. [any] */
uint32_t wr_pool_free_count(const struct wr_pool *pool);

/**
 * Take up to @n free indexes from the shared stack, bypassing the caches;
 * how many were taken. [any]
 */
uint32_t wr_pool_get_shared(struct wr_pool *pool, uint32_t *idx, uint32_t n);
/** Give @n indexes back to the shared stack, with one CAS. [any] */
void wr_pool_put_shared(struct wr_pool *pool, const uint32_t *idx, uint32_t n);

/* ------------------------------------------------------- per queue, inline */

/*
 * Inline: these run per burst on every port's hot path, and ring.c
 * measured them inlined (bench/l2ring).
 */

/**
 * Take up to @n free indexes for @queue: from its cache, refilled once
 * from the shared stack (WR_POOL_CACHE_MOVE at most) when short. Fewer than
 * @n when the stack ran dry, or when @n is more than one refill brings:
 * call again for more. Indexes in other queues' caches are not reached.
 */
static inline uint32_t wr_pool_get(struct wr_pool *pool, uint16_t queue, uint32_t *idx,
				   uint32_t n)
{
	struct wr_pool_cache *c = &pool->caches[queue];

	if (c->n < n)
		c->n += wr_pool_get_shared(pool, c->idx + c->n,
					   WR_POOL_CACHE_MOVE < WR_POOL_CACHE_MAX - c->n ?
					   WR_POOL_CACHE_MOVE : WR_POOL_CACHE_MAX - c->n);
	if (c->n < n)
		n = c->n;
	c->n -= n;
	memcpy(idx, c->idx + c->n, n * sizeof(*idx));
	return n;
}

/** Give @n indexes back into @queue's cache; what it cannot hold goes to the stack. */
static inline void wr_pool_put(struct wr_pool *pool, uint16_t queue, const uint32_t *idx,
			       uint32_t n)
{
	struct wr_pool_cache *c = &pool->caches[queue];

	if (c->n + n > WR_POOL_CACHE_MAX) {
		uint32_t move = c->n < WR_POOL_CACHE_MOVE ? c->n : WR_POOL_CACHE_MOVE;

		c->n -= move;
		wr_pool_put_shared(pool, c->idx + c->n, move);
	}
	if (c->n + n > WR_POOL_CACHE_MAX) {
		wr_pool_put_shared(pool, idx, n);
		return;
	}
	memcpy(c->idx + c->n, idx, n * sizeof(*idx));
	c->n += n;
}

/* ------------------------------------------------------------- addresses */

/** Byte offset of buffer @idx from the base: its AF_XDP UMEM address. */
static inline uint64_t wr_pool_addr(const struct wr_pool *pool, uint32_t idx)
{
	return (uint64_t)idx * pool->stride;
}

/** The buffer that holds byte offset @addr (anywhere inside it). */
static inline uint32_t wr_pool_index(const struct wr_pool *pool, uint64_t addr)
{
	return (uint32_t)(pool->stride_shift ? addr >> pool->stride_shift : addr / pool->stride);
}

/** Start of buffer @idx. */
static inline uint8_t *wr_pool_buf(const struct wr_pool *pool, uint32_t idx)
{
	return pool->base + (size_t)idx * pool->stride;
}

/** Where a frame's data starts in buffer @idx. */
static inline uint8_t *wr_pool_data(const struct wr_pool *pool, uint32_t idx)
{
	return wr_pool_buf(pool, idx) + pool->data_off;
}

/** The buffer @p points into. */
static inline uint32_t wr_pool_index_of(const struct wr_pool *pool, const void *p)
{
	return wr_pool_index(pool, (uint64_t)((const uint8_t *)p - pool->base));
}

/* ----------------------------------------------- packets, for port ops */

/*
 * What struct wr_port_ops alloc and free do for a backend whose cookie is
 * the buffer index: fresh buffers with data at data_off and len 0, and
 * buffers given back by cookie. n <= WR_VEC_MAX.
 */
static inline uint16_t wr_pool_alloc_pkts(struct wr_pool *pool, uint16_t queue,
					  struct wr_pkt **pkts, uint16_t n)
{
	uint32_t idx[WR_VEC_MAX];
	uint16_t got;

	got = (uint16_t)wr_pool_get(pool, queue, idx, n);
	for (uint16_t i = 0; i < got; i++) {
		pkts[i]->data = wr_pool_data(pool, idx[i]);
		pkts[i]->len = 0;
		pkts[i]->cookie = idx[i];
	}
	return got;
}

static inline void wr_pool_free_pkts(struct wr_pool *pool, uint16_t queue, struct wr_pkt **pkts,
				     uint16_t n)
{
	uint32_t idx[WR_VEC_MAX];

	for (uint16_t i = 0; i < n; i++)
		idx[i] = (uint32_t)pkts[i]->cookie;
	wr_pool_put(pool, queue, idx, n);
}

#endif /* WR_POOL_PRIV_H */
