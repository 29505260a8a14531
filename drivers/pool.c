/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pool.c - the buffer pool of ring, tap and afxdp ports (see pool_priv.h):
 * its memory, the shared free stack, and the free count. The per-queue
 * caches in front of the stack are inline in pool_priv.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "pool_priv.h"

uint32_t wr_pool_get_shared(struct wr_pool *pool, uint32_t *idx, uint32_t n)
{
	uint32_t got = 0;

	while (got < n) {
		uint64_t old = atomic_load_explicit(&pool->head, memory_order_acquire), new;
		uint32_t top;

		do {
			top = (uint32_t)old;
			if (top == WR_POOL_NIL)
				goto out;
			/* next[] of a buffer popped meanwhile is stale; the tag makes the CAS fail. */
			new = ((old >> 32) + 1) << 32 | pool->next[top];
		} while (!atomic_compare_exchange_weak_explicit(&pool->head, &old, new,
								memory_order_acq_rel,
								memory_order_acquire));
		idx[got++] = top;
	}
out:
	atomic_fetch_sub_explicit(&pool->n_free, got, memory_order_relaxed);
	return got;
}

void wr_pool_put_shared(struct wr_pool *pool, const uint32_t *idx, uint32_t n)
{
	uint64_t old, new;

	if (n == 0)
		return;
	/* Link the batch first; publish it with one CAS. */
	for (uint32_t i = 0; i + 1 < n; i++)
		pool->next[idx[i]] = idx[i + 1];
	old = atomic_load_explicit(&pool->head, memory_order_acquire);
	do {
		pool->next[idx[n - 1]] = (uint32_t)old;
		new = ((old >> 32) + 1) << 32 | idx[0];
	} while (!atomic_compare_exchange_weak_explicit(&pool->head, &old, new,
							memory_order_release,
							memory_order_acquire));
	atomic_fetch_add_explicit(&pool->n_free, n, memory_order_relaxed);
}

int wr_pool_init(struct wr_pool *pool, const struct wr_pool_conf *conf)
{
	uint32_t stride = conf->stride;
	uint32_t *all;

	memset(pool, 0, sizeof(*pool));		/* wr_pool_fini() is safe after a failure */
	if (!stride)
		stride = (conf->data_off + conf->buf_size + WR_CACHE_LINE - 1) &
			 ~(WR_CACHE_LINE - 1u);
	if (conf->n_bufs == 0 || conf->n_bufs >= WR_POOL_NIL || conf->buf_size < 64 ||
	    stride < (uint32_t)conf->data_off + conf->buf_size)
		return -EINVAL;
	pool->stride = stride;
	pool->n_bufs = conf->n_bufs;
	pool->data_off = conf->data_off;
	pool->buf_size = conf->buf_size;
	if (!(stride & (stride - 1)))
		pool->stride_shift = (uint8_t)__builtin_ctz(stride);
	pool->base = conf->base;
	if (!pool->base) {
		pool->base = wr_zalloc_aligned((size_t)stride * conf->n_bufs);
		pool->own_base = true;
	}
	pool->next = calloc(conf->n_bufs, sizeof(*pool->next));
	all = calloc(conf->n_bufs, sizeof(*all));
	if (!pool->base || !pool->next || !all)
		goto end_free;
	atomic_init(&pool->head, WR_POOL_NIL);
	atomic_init(&pool->n_free, 0);
	for (uint32_t i = 0; i < conf->n_bufs; i++)
		all[i] = i;
	wr_pool_put_shared(pool, all, conf->n_bufs);
	free(all);
	return 0;

end_free:
	free(all);
	wr_pool_fini(pool);
	return -ENOMEM;
}

void wr_pool_fini(struct wr_pool *pool)
{
	free(pool->next);
	if (pool->own_base)
		free(pool->base);
	pool->next = NULL;
	pool->base = NULL;
}

struct wr_pool *wr_pool_create(const struct wr_pool_conf *conf)
{
	struct wr_pool *pool = wr_zalloc_aligned(sizeof(*pool));
	int err;

	if (!pool)
		return NULL;
	err = wr_pool_init(pool, conf);
	if (err) {
		free(pool);
		errno = -err;
		return NULL;
	}
	return pool;
}

void wr_pool_destroy(struct wr_pool *pool)
{
	if (!pool)
		return;
	wr_pool_fini(pool);
	free(pool);
}

uint32_t wr_pool_free_count(const struct wr_pool *pool)
{
	uint32_t n = atomic_load_explicit(&pool->n_free, memory_order_relaxed);

	for (int q = 0; q < WR_POOL_QUEUES; q++)
		n += pool->caches[q].n;
	return n;
}
