/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pool.c - the drivers' buffer pool (drivers/pool.c): bad confs, the
 * default stride, taking and giving back across queues and the shared
 * stack, exhaustion (and what other queues' caches keep), a base the
 * caller owns with AF_XDP's layout, index/address conversion with and
 * without a power-of-two stride, packets for port ops, and two threads
 * taking and giving back at once with every buffer owned by one at a time.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pool_priv.h"

static struct wr_pool *make(uint32_t n_bufs, uint32_t stride, uint16_t data_off,
			    uint16_t buf_size, void *base)
{
	struct wr_pool_conf conf = {
		.n_bufs = n_bufs,
		.stride = stride,
		.data_off = data_off,
		.buf_size = buf_size,
		.base = base,
	};
	struct wr_pool *pool = wr_pool_create(&conf);

	assert_non_null(pool);
	return pool;
}

/* Each index of 0..n_bufs-1 exactly once in idx[0..n). */
static void assert_all_once(const uint32_t *idx, uint32_t n, uint32_t n_bufs)
{
	uint8_t *seen = calloc(n_bufs, 1);

	assert_non_null(seen);
	assert_int_equal(n, n_bufs);
	for (uint32_t i = 0; i < n; i++) {
		assert_true(idx[i] < n_bufs);
		assert_int_equal(seen[idx[i]], 0);
		seen[idx[i]] = 1;
	}
	free(seen);
}

static void test_bad_conf(void **state)
{
	struct wr_pool pool __attribute__((aligned(WR_CACHE_LINE)));
	struct wr_pool_conf c = { .n_bufs = 8, .data_off = WR_HEADROOM, .buf_size = 2048 };

	(void)state;
	c.n_bufs = 0;
	assert_int_equal(wr_pool_init(&pool, &c), -EINVAL);
	wr_pool_fini(&pool);		/* safe after a failed init */
	c.n_bufs = WR_POOL_NIL;
	assert_int_equal(wr_pool_init(&pool, &c), -EINVAL);
	c.n_bufs = 8;
	c.buf_size = 63;
	assert_int_equal(wr_pool_init(&pool, &c), -EINVAL);
	c.buf_size = 2048;
	c.stride = WR_HEADROOM + 2047;	/* the frame would not fit */
	assert_int_equal(wr_pool_init(&pool, &c), -EINVAL);
	errno = 0;
	assert_null(wr_pool_create(&c));
	assert_int_equal(errno, EINVAL);
	c.stride = WR_HEADROOM + 2048;
	assert_int_equal(wr_pool_init(&pool, &c), 0);
	wr_pool_fini(&pool);
}

static void test_default_stride(void **state)
{
	struct wr_pool *pool = make(4, 0, WR_HEADROOM, 100, NULL);

	(void)state;
	/* 128 + 100 rounded up to a cache line */
	assert_int_equal(pool->stride, 256);
	assert_int_equal(pool->stride_shift, 8);
	assert_int_equal(wr_pool_free_count(pool), 4);
	assert_int_equal((uintptr_t)pool->base % WR_CACHE_LINE, 0);
	wr_pool_destroy(pool);
}

static void test_queues(void **state)
{
	struct wr_pool *pool = make(1000, 0, WR_HEADROOM, 2048, NULL);
	uint32_t a[100], b[100], all[1000];
	uint32_t n = 0;

	(void)state;
	assert_int_equal(wr_pool_get(pool, 0, a, 100), 100);
	assert_int_equal(wr_pool_get(pool, 1, b, 100), 100);
	assert_int_equal(wr_pool_free_count(pool), 800);
	/* Taken by one queue, given back through another: a buffer is a buffer. */
	wr_pool_put(pool, WR_POOL_SIDE_QUEUE, a, 100);
	wr_pool_put(pool, 0, b, 100);
	assert_int_equal(wr_pool_free_count(pool), 1000);
	assert_int_equal(pool->caches[WR_POOL_SIDE_QUEUE].n, 100);

	/* Everything comes back out once, from the caches and the stack. */
	for (uint16_t q = 0; q < WR_POOL_QUEUES; q++) {
		uint32_t got;

		while ((got = wr_pool_get(pool, q, all + n, 64)) > 0)
			n += got;
	}
	assert_int_equal(wr_pool_free_count(pool), 0);
	assert_all_once(all, n, 1000);

	/* The shared stack, bypassing the caches. */
	wr_pool_put_shared(pool, all, 10);
	assert_int_equal(pool->caches[0].n, 0);
	assert_int_equal(wr_pool_get_shared(pool, a, 20), 10);
	wr_pool_put(pool, 3, all, 1000);	/* more than a cache holds */
	assert_true(pool->caches[3].n <= WR_POOL_CACHE_MAX);
	assert_int_equal(wr_pool_free_count(pool), 1000);
	wr_pool_destroy(pool);
}

static void test_exhaustion(void **state)
{
	struct wr_pool *pool = make(700, 0, WR_HEADROOM, 2048, NULL);
	uint32_t all[700], kept[5];
	uint32_t n = 0, got;

	(void)state;
	/* Five buffers sit in queue 1's cache: queue 0 cannot reach them. */
	assert_int_equal(wr_pool_get(pool, 1, kept, 5), 5);
	wr_pool_put(pool, 1, kept, 5);
	while ((got = wr_pool_get(pool, 0, all + n, 32)) > 0) {
		assert_true(got <= 32);
		n += got;
	}
	/* One refill moved 256 to queue 1's cache: those are out of reach. */
	assert_int_equal(n, 700 - pool->caches[1].n);
	assert_int_equal(wr_pool_get(pool, 0, all + n, 1), 0);
	assert_int_equal(wr_pool_get_shared(pool, all + n, 1), 0);
	assert_int_equal(wr_pool_free_count(pool), pool->caches[1].n);
	/* A big ask is answered in part: one refill's worth. */
	wr_pool_put_shared(pool, all, n);
	assert_int_equal(wr_pool_get(pool, 2, all, 600), WR_POOL_CACHE_MOVE);
	wr_pool_destroy(pool);
}

/* AF_XDP's layout: 4096-byte frames in the caller's memory, data at 256. */
static void test_external_base(void **state)
{
	enum { N = 64, FRAME = 4096, HEADROOM = 256 };
	uint8_t *umem = aligned_alloc(FRAME, (size_t)N * FRAME);
	struct wr_pool *pool;
	uint32_t idx[N];

	(void)state;
	assert_non_null(umem);
	memset(umem, 0xab, (size_t)N * FRAME);
	pool = make(N, FRAME, HEADROOM, FRAME - HEADROOM, umem);
	assert_ptr_equal(pool->base, umem);
	assert_int_equal(pool->stride_shift, 12);
	assert_false(pool->own_base);
	/* The pool does not touch the memory: the caller may have filled it. */
	assert_int_equal(umem[0], 0xab);
	assert_int_equal(umem[(size_t)N * FRAME - 1], 0xab);

	assert_int_equal(wr_pool_get(pool, 0, idx, N), N);
	for (int i = 0; i < N; i++) {
		uint32_t b = idx[i];

		assert_int_equal(wr_pool_addr(pool, b), (uint64_t)b * FRAME);
		assert_ptr_equal(wr_pool_buf(pool, b), umem + (size_t)b * FRAME);
		assert_ptr_equal(wr_pool_data(pool, b), umem + (size_t)b * FRAME + HEADROOM);
		/* Any address in the frame names it, as an rx descriptor's does. */
		assert_int_equal(wr_pool_index(pool, wr_pool_addr(pool, b)), b);
		assert_int_equal(wr_pool_index(pool, wr_pool_addr(pool, b) + HEADROOM + 60), b);
		assert_int_equal(wr_pool_index(pool, wr_pool_addr(pool, b) + FRAME - 1), b);
		assert_int_equal(wr_pool_index_of(pool, wr_pool_data(pool, b) + 1500), b);
	}
	wr_pool_put(pool, 0, idx, N);
	assert_int_equal(wr_pool_free_count(pool), N);
	wr_pool_destroy(pool);
	/* Still the caller's (ASan would say if the pool had freed it). */
	umem[0] = 0;
	free(umem);
}

static void test_odd_stride(void **state)
{
	struct wr_pool *pool = make(10, 3000, 200, 2800, NULL);

	(void)state;
	assert_int_equal(pool->stride_shift, 0);	/* not a power of two: divide */
	for (uint32_t b = 0; b < 10; b++) {
		assert_int_equal(wr_pool_index(pool, (uint64_t)b * 3000), b);
		assert_int_equal(wr_pool_index(pool, (uint64_t)b * 3000 + 2999), b);
		assert_int_equal(wr_pool_index_of(pool, wr_pool_data(pool, b)), b);
		assert_ptr_equal(wr_pool_data(pool, b), pool->base + b * 3000 + 200);
	}
	wr_pool_destroy(pool);
}

static void test_pkts(void **state)
{
	struct wr_pool *pool = make(100, 0, WR_HEADROOM, 2048, NULL);
	struct wr_pkt pk[40], *pkts[40];

	(void)state;
	for (int i = 0; i < 40; i++)
		pkts[i] = &pk[i];
	memset(pk, 0xff, sizeof(pk));
	assert_int_equal(wr_pool_alloc_pkts(pool, 0, pkts, 40), 40);
	for (int i = 0; i < 40; i++) {
		assert_true(pk[i].cookie < 100);
		assert_ptr_equal(pk[i].data, wr_pool_data(pool, (uint32_t)pk[i].cookie));
		assert_int_equal(pk[i].len, 0);
	}
	assert_int_equal(wr_pool_free_count(pool), 60);
	/* Given back by cookie alone. */
	wr_pool_free_pkts(pool, 1, pkts, 40);
	assert_int_equal(wr_pool_free_count(pool), 100);
	wr_pool_destroy(pool);
}

/* ------------------------------------------------------------ two threads */

#define STRESS_BUFS	1200	/* few: the stack runs dry and refills race */
#define STRESS_ROUNDS	200000

struct stresser {
	struct wr_pool *pool;
	uint16_t queue;
	uint32_t seed;
	uint32_t errors;
};

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/*
 * Take a few, stamp each with who and when, check the stamps are still
 * ours, give them back (through the cache or the shared stack). A buffer
 * handed to both threads at once would show the other's stamp.
 */
static void *stress(void *arg)
{
	struct stresser *s = arg;
	uint32_t idx[64];

	for (uint32_t round = 0; round < STRESS_ROUNDS; round++) {
		uint32_t want = 1 + rnd(&s->seed) % 64, got;
		bool shared = rnd(&s->seed) % 8 == 0;
		uint64_t stamp = (uint64_t)s->queue << 32 | round;

		got = shared ? wr_pool_get_shared(s->pool, idx, want)
			     : wr_pool_get(s->pool, s->queue, idx, want);
		for (uint32_t i = 0; i < got; i++)
			memcpy(wr_pool_data(s->pool, idx[i]), &stamp, sizeof(stamp));
		for (uint32_t i = 0; i < got; i++) {
			uint64_t seen;

			memcpy(&seen, wr_pool_data(s->pool, idx[i]), sizeof(seen));
			s->errors += seen != stamp;
		}
		if (rnd(&s->seed) % 8 == 0)
			wr_pool_put_shared(s->pool, idx, got);
		else
			wr_pool_put(s->pool, s->queue, idx, got);
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct wr_pool *pool = make(STRESS_BUFS, 0, WR_HEADROOM, 64, NULL);
	struct stresser s[2] = {
		{ .pool = pool, .queue = 0, .seed = 1 },
		{ .pool = pool, .queue = 1, .seed = 2 },
	};
	pthread_t th[2];
	uint32_t all[STRESS_BUFS], n = 0, got;

	(void)state;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stress, &s[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(s[0].errors, 0);
	assert_int_equal(s[1].errors, 0);
	assert_int_equal(wr_pool_free_count(pool), STRESS_BUFS);
	/* Nothing lost, nothing twice: the stack's links are whole. */
	for (uint16_t q = 0; q < 2; q++)
		while ((got = wr_pool_get(pool, q, all + n, 64)) > 0)
			n += got;
	assert_all_once(all, n, STRESS_BUFS);
	wr_pool_destroy(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_conf),
		cmocka_unit_test(test_default_stride),
		cmocka_unit_test(test_queues),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_external_base),
		cmocka_unit_test(test_odd_stride),
		cmocka_unit_test(test_pkts),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
