/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fdb.c - the FDB and its QSBR: insert, lookup, refresh and aging,
 * moves, bounds (table, per-port limit, learn queue), static entries,
 * flushes, the learn filter, slot reuse only after a grace period, the
 * cuckoo hop, and two threads learning and looking up the same MACs while
 * the control thread moves, deletes, re-adds and ages them.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <cmocka.h>

#include "fdb_priv.h"
#include "qsbr_priv.h"

/* A key in @bd whose MAC carries @i (02:00:00:00:ii:ii). */
static uint64_t key_of(uint16_t bd, uint32_t i)
{
	uint8_t mac[6] = { 0x02, 0, (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8),
			   (uint8_t)i };

	return wr_fdb_key(bd, mac);
}

struct fixture {
	struct wr_qsbr *q;
	struct wr_fdb *fdb;
};

static struct fixture *fx_new(uint32_t max, uint16_t n_workers)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->q = wr_qsbr_create(n_workers);
	assert_non_null(f->q);
	f->fdb = wr_fdb_create(max, n_workers, f->q);
	assert_non_null(f->fdb);
	return f;
}

static void fx_free(struct fixture *f)
{
	wr_fdb_destroy(f->fdb);
	wr_qsbr_destroy(f->q);
	free(f);
}

static int lookup(const struct wr_fdb *fdb, uint64_t key)
{
	struct wr_fdb_slot *s = NULL;

	return wr_fdb_lookup(fdb, key, &s);
}

/* Live slots holding @key, whatever the buckets: 1 for every present key. */
static int copies(const struct wr_fdb *fdb, uint64_t key)
{
	int n = 0;

	for (uint64_t b = 0; b <= fdb->mask; b++)
		for (int i = 0; i < WR_FDB_WAYS; i++)
			n += atomic_load(&fdb->buckets[b].slot[i].key) == key;
	return n;
}

/* ---------------------------------------------------------------- keys */

/* The hot path's 8-byte-load key is the same as the byte-wise one. */
static void test_key_at(void **state)
{
	uint8_t hdr[14];
	uint32_t x = 12345;

	(void)state;
	for (int n = 0; n < 1000; n++) {
		for (int i = 0; i < 14; i++) {
			x = x * 1103515245 + 12345;
			hdr[i] = (uint8_t)(x >> 16);
		}
		for (uint16_t bd = 1; bd < WR_BD_MAX; bd += 1365) {
			assert_int_equal(wr_fdb_key_at(bd, hdr), wr_fdb_key(bd, hdr));
			assert_int_equal(wr_fdb_key_at(bd, hdr + 6), wr_fdb_key(bd, hdr + 6));
		}
	}
}

static void test_key(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x07 };
	uint8_t back[6];
	uint64_t k = wr_fdb_key(4095, mac);

	(void)state;
	assert_int_equal(k, 0x0fff0242ac110007ULL);
	assert_int_equal(wr_fdb_key_bd(k), 4095);
	wr_fdb_key_mac(k, back);
	assert_memory_equal(back, mac, 6);
	assert_true(wr_fdb_key_valid(k));
	assert_false(wr_fdb_key_valid(0));
	assert_false(wr_fdb_key_valid(WR_FDB_DEAD | 1));
	/* bd is 12 bits: 4096 would collide with bd 0 and is cut. */
	assert_int_equal(wr_fdb_key_bd(wr_fdb_key(4096 + 7, mac)), 7);
}

static void test_create(void **state)
{
	struct wr_qsbr *q = wr_qsbr_create(2);
	struct wr_fdb *fdb;

	(void)state;
	assert_non_null(q);
	errno = 0;
	assert_null(wr_fdb_create(0, 1, q));
	assert_int_equal(errno, EINVAL);
	assert_null(wr_fdb_create(WR_FDB_MAX_ENTRIES + 1, 1, q));
	assert_null(wr_fdb_create(16, 0, q));
	assert_null(wr_fdb_create(16, 3, q));	/* more workers than QSBR readers */
	assert_null(wr_fdb_create(16, 1, NULL));
	assert_null(wr_qsbr_create(0));
	assert_null(wr_qsbr_create(WR_WORKER_MAX + 1));

	/* 1000 entries: >= 2000 slots, a power of two of buckets. */
	fdb = wr_fdb_create(1000, 2, q);
	assert_non_null(fdb);
	assert_int_equal(fdb->mask + 1, 512);
	assert_int_equal((uintptr_t)fdb->buckets % WR_CACHE_LINE, 0);
	assert_int_equal((uintptr_t)&fdb->lq[1].tail % WR_CACHE_LINE, 0);
	assert_int_not_equal((uintptr_t)&fdb->lq[1].tail / WR_CACHE_LINE,
			     (uintptr_t)&fdb->lq[1].head / WR_CACHE_LINE);
	assert_int_equal(wr_fdb_n_entries(fdb), 0);
	wr_fdb_destroy(fdb);
	wr_qsbr_destroy(q);
}

/* -------------------------------------------------------- insert, lookup */

static void test_insert_lookup(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	struct wr_fdb_entry e;
	uint64_t ev[WR_EVENT_COUNT] = { 0 };
	struct wr_fdb_slot *s = NULL;

	(void)state;
	for (uint32_t i = 1; i <= 500; i++)
		wr_fdb_learn(f->fdb, key_of(1 + i % 3, i), (uint16_t)(i % 7), 100);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 500);
	for (uint32_t i = 1; i <= 500; i++) {
		assert_int_equal(lookup(f->fdb, key_of(1 + i % 3, i)), i % 7);
		assert_int_equal(copies(f->fdb, key_of(1 + i % 3, i)), 1);
		/* Same MAC, another bridge domain: a different key. */
		assert_int_equal(lookup(f->fdb, key_of(1 + (i + 1) % 3, i)), -1);
	}
	assert_int_equal(lookup(f->fdb, key_of(1, 9999)), -1);
	assert_int_equal(wr_fdb_lookup(f->fdb, key_of(2, 1), &s), 1);
	assert_non_null(s);
	assert_int_equal(atomic_load(&s->key), key_of(2, 1));

	assert_int_equal(wr_fdb_find(f->fdb, key_of(2, 1), 130, &e), 0);
	assert_int_equal(e.bd, 2);
	assert_int_equal(e.mac[5], 1);
	assert_int_equal(e.port, 1);
	assert_false(e.is_static);
	assert_int_equal(e.age_s, 30);
	assert_int_equal(wr_fdb_find(f->fdb, key_of(1, 1), 130, &e), -ENOENT);

	wr_fdb_events(f->fdb, ev);
	assert_int_equal(ev[WR_EVENT_LEARNED], 500);
	assert_int_equal(ev[WR_EVENT_FDB_FULL], 0);
	uint32_t sum = 0;

	for (uint16_t p = 0; p < 7; p++)
		sum += wr_fdb_port_learned(f->fdb, p);
	assert_int_equal(sum, 500);
	/* Learning a known key on its port learns nothing new. */
	wr_fdb_learn(f->fdb, key_of(2, 1), 1, 140);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 500);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 500);
	assert_int_equal(wr_fdb_find(f->fdb, key_of(2, 1), 140, &e), 0);
	assert_int_equal(e.age_s, 0);
	/* Bad keys and ports are ignored. */
	wr_fdb_learn(f->fdb, 0, 1, 140);
	wr_fdb_learn(f->fdb, key_of(1, 77777), WR_PORT_MAX, 140);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 500);
	fx_free(f);
}

static void test_learn_queue(void **state)
{
	struct fixture *f = fx_new(1024, 2);

	(void)state;
	assert_true(wr_fdb_learn_request(f->fdb, 0, key_of(1, 1), 3, 0, 10));
	assert_true(wr_fdb_learn_request(f->fdb, 1, key_of(1, 2), 4, 0, 10));
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 2);
	assert_int_equal(lookup(f->fdb, key_of(1, 1)), -1);	/* not before the control thread */
	assert_int_equal(wr_fdb_apply_learns(f->fdb, 10), 2);
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 0);
	assert_int_equal(lookup(f->fdb, key_of(1, 1)), 3);
	assert_int_equal(lookup(f->fdb, key_of(1, 2)), 4);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 2);
	fx_free(f);
}

/* ----------------------------------------------------------------- aging */

static void test_refresh_no_write_when_fresh(void **state)
{
	/* 65536 entries: a 2 MB table on its own huge-page-aligned pages. */
	struct fixture *f = fx_new(65536, 1);
	size_t size = (f->fdb->mask + 1) * sizeof(struct wr_fdb_bucket);
	struct wr_fdb_slot *s = NULL;

	(void)state;
	wr_fdb_learn(f->fdb, key_of(1, 1), 2, 100);
	assert_int_equal(wr_fdb_lookup(f->fdb, key_of(1, 1), &s), 2);

	/* Read-only table: a lookup and a refresh in the same second must not store. */
	assert_int_equal(mprotect(f->fdb->buckets, size, PROT_READ), 0);
	assert_int_equal(wr_fdb_lookup(f->fdb, key_of(1, 1), &s), 2);
	wr_fdb_refresh(s, 100);
	wr_fdb_prefetch(f->fdb, key_of(1, 1));
	assert_int_equal(mprotect(f->fdb->buckets, size, PROT_READ | PROT_WRITE), 0);

	/* A new second is stored. */
	wr_fdb_refresh(s, 101);
	assert_int_equal(atomic_load(&s->last_seen), 101);
	fx_free(f);
}

static void test_age(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	struct wr_fdb_slot *s = NULL;
	uint64_t a = key_of(1, 1), b = key_of(1, 2), st = key_of(1, 3), ahead = key_of(1, 4);

	(void)state;
	wr_fdb_learn(f->fdb, a, 1, 100);
	wr_fdb_learn(f->fdb, b, 1, 100);
	assert_int_equal(wr_fdb_insert_static(f->fdb, st, 1, 100), 0);
	wr_fdb_learn(f->fdb, ahead, 1, 402);		/* a worker's clock ahead of ours */
	assert_int_equal(wr_fdb_lookup(f->fdb, b, &s), 1);
	wr_fdb_refresh(s, 350);

	assert_int_equal(wr_fdb_age(f->fdb, 400, 300, 0), 0);	/* 300 s old: not yet */
	assert_int_equal(wr_fdb_age(f->fdb, 401, 0, 0), 0);	/* age 0: never */
	assert_int_equal(wr_fdb_age(f->fdb, 401, 300, 0), 1);
	assert_int_equal(lookup(f->fdb, a), -1);
	assert_int_equal(lookup(f->fdb, b), 1);
	assert_int_equal(lookup(f->fdb, st), 1);
	assert_int_equal(lookup(f->fdb, ahead), 1);
	assert_int_equal(f->fdb->events[WR_EVENT_AGED], 1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 3);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 1), 2);

	/* Incremental: slices of 7 buckets cover the table in a few calls. */
	uint32_t aged = 0;

	for (uint64_t done = 0; done <= f->fdb->mask; done += 7)
		aged += wr_fdb_age(f->fdb, 10000, 300, 7);
	assert_int_equal(aged, 2);
	assert_int_equal(lookup(f->fdb, st), 1);	/* statics never age */
	assert_int_equal(wr_fdb_n_entries(f->fdb), 1);
	assert_int_equal(f->fdb->events[WR_EVENT_AGED], 3);
	fx_free(f);
}

/* ----------------------------------------------------------------- moves */

static void test_move(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	uint64_t k = key_of(1, 1), st = key_of(1, 2);

	(void)state;
	wr_fdb_learn(f->fdb, k, 1, 10);
	wr_fdb_learn(f->fdb, k, 2, 11);
	assert_int_equal(lookup(f->fdb, k), 2);
	assert_int_equal(copies(f->fdb, k), 1);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_MOVE], 1);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 1);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 1), 0);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 2), 1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 1);

	/* Through a worker's queue too. */
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 3, 0, 12));
	wr_fdb_apply_learns(f->fdb, 12);
	assert_int_equal(lookup(f->fdb, k), 3);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_MOVE], 2);

	/* A static entry never moves. */
	assert_int_equal(wr_fdb_insert_static(f->fdb, st, 5, 10), 0);
	wr_fdb_learn(f->fdb, st, 6, 13);
	assert_int_equal(lookup(f->fdb, st), 5);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_MOVE], 2);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 6), 0);
	fx_free(f);
}

/* ---------------------------------------------------------------- bounds */

static void test_bound(void **state)
{
	struct fixture *f = fx_new(64, 1);

	(void)state;
	for (uint32_t i = 1; i <= 64; i++)
		wr_fdb_learn(f->fdb, key_of(1, i), 1, 10);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 64);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);

	wr_fdb_learn(f->fdb, key_of(1, 65), 1, 10);
	assert_true(wr_fdb_learn_request(f->fdb, 0, key_of(1, 66), 2, 0, 10));
	wr_fdb_apply_learns(f->fdb, 10);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 2);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 64);
	assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(1, 67), 1, 10), -ENOSPC);
	assert_int_equal(lookup(f->fdb, key_of(1, 65)), -1);
	assert_int_equal(lookup(f->fdb, key_of(1, 66)), -1);
	for (uint32_t i = 1; i <= 64; i++)
		assert_int_equal(lookup(f->fdb, key_of(1, i)), 1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 64);
	/* Moves and refreshes need no room. */
	wr_fdb_learn(f->fdb, key_of(1, 1), 2, 11);
	assert_int_equal(lookup(f->fdb, key_of(1, 1)), 2);

	/* One out, one in. */
	assert_int_equal(wr_fdb_remove(f->fdb, key_of(1, 2)), 0);
	wr_fdb_learn(f->fdb, key_of(1, 65), 1, 12);
	assert_int_equal(lookup(f->fdb, key_of(1, 65)), 1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 64);
	fx_free(f);
}

static void test_port_limit(void **state)
{
	struct fixture *f = fx_new(1024, 1);

	(void)state;
	wr_fdb_set_port_limit(f->fdb, 5, 2);
	assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(1, 100), 5, 10), 0);	/* not counted */
	for (uint32_t i = 1; i <= 3; i++)
		wr_fdb_learn(f->fdb, key_of(1, i), 5, 10);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 5), 2);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_LIMIT], 1);
	assert_int_equal(lookup(f->fdb, key_of(1, 3)), -1);

	/* Moving onto a port at its limit is refused too; the entry stays. */
	wr_fdb_learn(f->fdb, key_of(1, 4), 6, 10);
	wr_fdb_learn(f->fdb, key_of(1, 4), 5, 11);
	assert_int_equal(lookup(f->fdb, key_of(1, 4)), 6);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_LIMIT], 2);

	/* An entry leaving makes room. */
	assert_int_equal(wr_fdb_remove(f->fdb, key_of(1, 1)), 0);
	wr_fdb_learn(f->fdb, key_of(1, 3), 5, 12);
	assert_int_equal(lookup(f->fdb, key_of(1, 3)), 5);
	/* 0: no limit. */
	wr_fdb_set_port_limit(f->fdb, 5, 0);
	wr_fdb_learn(f->fdb, key_of(1, 4), 5, 13);
	assert_int_equal(lookup(f->fdb, key_of(1, 4)), 5);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 5), 3);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_LIMIT], 2);
	fx_free(f);
}

static void test_learn_queue_full(void **state)
{
	struct fixture *f = fx_new(8192, 1);

	(void)state;
	for (uint32_t i = 1; i <= WR_FDB_LQ_SIZE; i++)
		assert_true(wr_fdb_learn_request(f->fdb, 0, key_of(1, i), 1, 0, 10));
	assert_false(wr_fdb_learn_request(f->fdb, 0, key_of(1, WR_FDB_LQ_SIZE + 1), 1, 0, 10));
	assert_false(wr_fdb_learn_request(f->fdb, 0, key_of(1, WR_FDB_LQ_SIZE + 1), 1, 0, 10));
	assert_int_equal(wr_fdb_learn_pending(f->fdb), WR_FDB_LQ_SIZE);

	assert_int_equal(wr_fdb_apply_learns(f->fdb, 10), WR_FDB_LQ_SIZE);
	assert_int_equal(wr_fdb_n_entries(f->fdb), WR_FDB_LQ_SIZE);
	/* Refused, so not remembered by the filter: asked again, and taken. */
	assert_true(wr_fdb_learn_request(f->fdb, 0, key_of(1, WR_FDB_LQ_SIZE + 1), 1, 0, 10));
	wr_fdb_apply_learns(f->fdb, 10);
	assert_int_equal(lookup(f->fdb, key_of(1, WR_FDB_LQ_SIZE + 1)), 1);
	fx_free(f);
}

static void test_learn_filter(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	uint64_t k = key_of(1, 1);

	(void)state;
	for (int i = 0; i < 100; i++)
		assert_true(wr_fdb_learn_request(f->fdb, 0, k, 1, 0, 10));
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 1);
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 2, 0, 10));	/* another port: a move */
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 2);
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 2, 0, 11));	/* asked again next second */
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 2, 0, 11));
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 3);
	assert_true(wr_fdb_learn_request(f->fdb, 0, key_of(1, 2), 2, 0, 11));
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 4);
	wr_fdb_apply_learns(f->fdb, 11);
	assert_int_equal(lookup(f->fdb, k), 2);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 2);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_MOVE], 1);
	fx_free(f);
}

/*
 * A request made in a port's older generation (before it went, or changed
 * bridge domains) is refused when applied, queued or parked; one of the
 * new generation is asked for at once, the filter notwithstanding.
 */
static void test_learn_generation(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	uint64_t k = key_of(1, 1);
	uint32_t gen;

	(void)state;
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 3, 0, 10));
	gen = wr_fdb_port_renew(f->fdb, 3);
	assert_int_not_equal(gen, 0);
	wr_fdb_apply_learns(f->fdb, 10);
	assert_int_equal(lookup(f->fdb, k), -1);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 3), 0);
	assert_int_equal(f->fdb->events[WR_EVENT_LEARNED], 0);

	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 3, 0, 10));	/* the filter: asked */
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 0);
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 3, gen, 10));	/* new: asked anew */
	assert_int_equal(wr_fdb_learn_pending(f->fdb), 1);
	wr_fdb_apply_learns(f->fdb, 10);
	assert_int_equal(lookup(f->fdb, k), 3);

	/* An old request does not move an entry back either. */
	assert_true(wr_fdb_learn_request(f->fdb, 0, k, 4, 0, 11));
	wr_fdb_port_renew(f->fdb, 4);
	wr_fdb_apply_learns(f->fdb, 11);
	assert_int_equal(lookup(f->fdb, k), 3);
	assert_int_equal(f->fdb->events[WR_EVENT_MAC_MOVE], 0);
	fx_free(f);
}

/* --------------------------------------------------------- static, flush */

static void test_static(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	struct wr_fdb_entry e;
	uint64_t k = key_of(7, 1);

	(void)state;
	assert_int_equal(wr_fdb_insert_static(f->fdb, 0, 1, 10), -EINVAL);
	assert_int_equal(wr_fdb_insert_static(f->fdb, k, WR_PORT_MAX, 10), -EINVAL);

	/* A learned entry becomes static, and leaves its port's learned count. */
	wr_fdb_learn(f->fdb, k, 1, 10);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 1), 1);
	assert_int_equal(wr_fdb_insert_static(f->fdb, k, 2, 20), 0);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 1), 0);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 2), 0);
	assert_int_equal(lookup(f->fdb, k), 2);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 1);
	assert_int_equal(copies(f->fdb, k), 1);
	assert_int_equal(wr_fdb_find(f->fdb, k, 25, &e), 0);
	assert_true(e.is_static);
	assert_int_equal(e.port, 2);
	assert_int_equal(e.bd, 7);
	/* Replace the port. */
	assert_int_equal(wr_fdb_insert_static(f->fdb, k, 3, 20), 0);
	assert_int_equal(lookup(f->fdb, k), 3);

	assert_int_equal(wr_fdb_remove(f->fdb, k), 0);
	assert_int_equal(wr_fdb_remove(f->fdb, k), -ENOENT);
	assert_int_equal(wr_fdb_remove(f->fdb, 0), -ENOENT);
	assert_int_equal(lookup(f->fdb, k), -1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 0);
	/* Learnable again afterwards. */
	wr_fdb_learn(f->fdb, k, 4, 30);
	assert_int_equal(lookup(f->fdb, k), 4);
	fx_free(f);
}

struct walk_acc {
	uint32_t n, n_static;
	uint64_t keysum;
};

static int walk_fn(const struct wr_fdb_entry *e, void *arg)
{
	struct walk_acc *a = arg;

	a->n++;
	a->n_static += e->is_static;
	a->keysum += wr_fdb_key(e->bd, e->mac);
	return 0;
}

static int walk_stop(const struct wr_fdb_entry *e, void *arg)
{
	(void)e;
	return ++*(int *)arg == 3 ? -E2BIG : 0;
}

static void test_flush(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	struct walk_acc acc = { 0 };
	uint64_t sum = 0;
	int calls = 0;

	(void)state;
	/* bd 1 and 2; ports 1 and 2; one static of each (bd, port). */
	for (uint16_t bd = 1; bd <= 2; bd++)
		for (uint16_t port = 1; port <= 2; port++) {
			for (uint32_t i = 0; i < 10; i++)
				wr_fdb_learn(f->fdb, key_of(bd, port * 100 + i), port, 10);
			assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(bd, port * 100 + 50), port,
							      10), 0);
		}
	assert_int_equal(wr_fdb_n_entries(f->fdb), 44);
	assert_int_equal(wr_fdb_walk(f->fdb, 10, walk_fn, &acc), 44);
	assert_int_equal(acc.n, 44);
	assert_int_equal(acc.n_static, 4);
	for (uint16_t bd = 1; bd <= 2; bd++)
		for (uint16_t port = 1; port <= 2; port++) {
			for (uint32_t i = 0; i < 10; i++)
				sum += key_of(bd, port * 100 + i);
			sum += key_of(bd, port * 100 + 50);
		}
	assert_int_equal(acc.keysum, sum);
	assert_int_equal(wr_fdb_walk(f->fdb, 10, walk_stop, &calls), -E2BIG);
	assert_int_equal(calls, 3);

	assert_int_equal(wr_fdb_purge_port(f->fdb, 1, false), 20);	/* learned only */
	assert_int_equal(lookup(f->fdb, key_of(1, 100)), -1);
	assert_int_equal(lookup(f->fdb, key_of(2, 105)), -1);
	assert_int_equal(lookup(f->fdb, key_of(1, 150)), 1);		/* static stays */
	assert_int_equal(lookup(f->fdb, key_of(1, 200)), 2);		/* other port stays */
	assert_int_equal(wr_fdb_port_learned(f->fdb, 1), 0);
	assert_int_equal(wr_fdb_purge_port(f->fdb, 1, true), 2);	/* now the statics */
	assert_int_equal(lookup(f->fdb, key_of(1, 150)), -1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 22);

	assert_int_equal(wr_fdb_purge_bd(f->fdb, 2, false), 10);
	assert_int_equal(lookup(f->fdb, key_of(2, 200)), -1);
	assert_int_equal(lookup(f->fdb, key_of(2, 250)), 2);
	assert_int_equal(lookup(f->fdb, key_of(1, 200)), 2);		/* other bd stays */
	assert_int_equal(wr_fdb_purge_bd(f->fdb, 2, true), 1);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 11);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 2), 10);
	assert_int_equal(wr_fdb_purge_bd(f->fdb, 3, true), 0);

	/* Everything, whatever the bridge domains, in one walk of the table. */
	assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(4000, 1), 3, 10), 0);
	calls = (int)f->fdb->sweeps;
	assert_int_equal(wr_fdb_purge_all(f->fdb, false), 10);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 2);			/* the statics */
	assert_int_equal(wr_fdb_purge_all(f->fdb, true), 2);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 0);
	assert_int_equal(wr_fdb_port_learned(f->fdb, 2), 0);
	assert_int_equal(f->fdb->sweeps - (uint64_t)calls, 2);
	fx_free(f);
}

/* ------------------------------------------------------------------ QSBR */

static void test_qsbr(void **state)
{
	struct wr_qsbr *q = wr_qsbr_create(3);
	uint64_t t;

	(void)state;
	assert_non_null(q);
	/* Nobody online: everything is safe at once. */
	t = wr_qsbr_start(q);
	assert_true(wr_qsbr_check(q, t));

	wr_qsbr_online(q, 0);
	wr_qsbr_online(q, 2);
	t = wr_qsbr_start(q);
	assert_false(wr_qsbr_check(q, t));
	wr_qsbr_quiescent(q, 0);
	assert_false(wr_qsbr_check(q, t));	/* reader 2 is still behind */
	wr_qsbr_quiescent(q, 2);
	assert_true(wr_qsbr_check(q, t));

	/* An idle reader going offline does not hold reclamation up. */
	t = wr_qsbr_start(q);
	wr_qsbr_quiescent(q, 0);
	assert_false(wr_qsbr_check(q, t));
	wr_qsbr_offline(q, 2);
	assert_true(wr_qsbr_check(q, t));
	/* Back online: counted again from the current epoch. */
	wr_qsbr_online(q, 2);
	assert_true(wr_qsbr_check(q, t));
	t = wr_qsbr_start(q);
	assert_false(wr_qsbr_check(q, t));
	assert_int_equal(wr_qsbr_safe(q), t - 1);
	wr_qsbr_destroy(q);
}

static bool slot_is_dead(const struct wr_fdb_slot *s)
{
	return atomic_load(&s->key) & WR_FDB_DEAD;
}

static void test_qsbr_reuse(void **state)
{
	/* max 4: two buckets, eight slots, every key's candidates are both. */
	struct fixture *f = fx_new(4, 1);
	struct wr_fdb_slot *s = NULL;
	uint32_t i;

	(void)state;
	assert_int_equal(f->fdb->mask, 1);
	wr_qsbr_online(f->q, 0);
	/* Round 1 takes 4 empty slots, round 2 the other 4; all 8 die. */
	for (int round = 0; round < 2; round++) {
		for (i = 0; i < 4; i++)
			wr_fdb_learn(f->fdb, key_of(1, round * 4 + i + 1), 1, 10);
		assert_int_equal(wr_fdb_n_entries(f->fdb), 4);
		for (i = 0; i < 4; i++)
			assert_int_equal(wr_fdb_remove(f->fdb, key_of(1, round * 4 + i + 1)), 0);
	}
	assert_int_equal(f->fdb->n_dead, 8);
	assert_int_equal(wr_fdb_n_entries(f->fdb), 0);
	/* The worker has not passed a quiescent point: no slot may be reused. */
	wr_fdb_learn(f->fdb, key_of(1, 100), 1, 10);
	assert_int_equal(lookup(f->fdb, key_of(1, 100)), -1);
	assert_int_equal(f->fdb->n_parked, 1);		/* waits for the grace period */
	assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(1, 101), 1, 10), -EAGAIN);
	assert_int_equal(wr_fdb_reclaim(f->fdb), 8);
	for (uint64_t b = 0; b <= f->fdb->mask; b++)
		for (int j = 0; j < WR_FDB_WAYS; j++)
			assert_true(slot_is_dead(&f->fdb->buckets[b].slot[j]));

	/* Quiescent: the parked insert goes in, into a slot that was dead. */
	wr_qsbr_quiescent(f->q, 0);
	wr_fdb_apply_learns(f->fdb, 11);
	assert_int_equal(f->fdb->n_parked, 0);
	assert_int_equal(wr_fdb_lookup(f->fdb, key_of(1, 100), &s), 1);
	assert_int_equal(f->fdb->n_dead, 7);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	assert_int_equal(wr_fdb_insert_static(f->fdb, key_of(1, 101), 1, 10), 0);
	assert_int_equal(wr_fdb_reclaim(f->fdb), 0);
	assert_int_equal(f->fdb->n_dead, 0);

	/* The reused slot serves its new key, and dies again like any other. */
	assert_int_equal(wr_fdb_remove(f->fdb, key_of(1, 100)), 0);
	assert_int_equal(lookup(f->fdb, key_of(1, 100)), -1);
	assert_true(slot_is_dead(s));
	assert_int_equal(wr_fdb_reclaim(f->fdb), 1);	/* the worker is behind again */
	fx_free(f);
}

/*
 * Both candidate buckets of a key full: one entry hops to its other bucket,
 * the insert waits for the grace period and goes in on the next tick.
 */
static int bucket_live(const struct wr_fdb *fdb, uint64_t b)
{
	int n = 0;

	for (int j = 0; j < WR_FDB_WAYS; j++) {
		uint64_t k = atomic_load(&fdb->buckets[b].slot[j].key);

		n += k != WR_FDB_EMPTY && !(k & WR_FDB_DEAD);
	}
	return n;
}

/*
 * Fill buckets @x and @y with live entries of @bd (keys from @i on that
 * have the bucket as a candidate), written the way the control thread
 * writes them: with two-choice placement, learning alone almost never
 * fills two given buckets of a big table. Returns the keys planted.
 */
static int fill_pair(struct wr_fdb *fdb, uint16_t bd, uint32_t i, uint64_t x, uint64_t y,
		     uint64_t *keys, uint32_t now_s)
{
	int n = 0;

	for (int j = 0; j < 2; j++) {
		uint64_t b = j ? y : x;

		for (int way = 0; way < WR_FDB_WAYS; i++) {
			uint64_t k = key_of(bd, i), hk = wr_fdb_hash(k);
			struct wr_fdb_slot *s = &fdb->buckets[b].slot[way];

			if (wr_fdb_bucket1(fdb, hk) != b && wr_fdb_bucket2(fdb, hk) != b)
				continue;
			if (atomic_load(&s->key) != WR_FDB_EMPTY) {	/* taken: keep it */
				way++;
				continue;
			}
			atomic_store(&s->port, 1);
			atomic_store(&s->last_seen, now_s);
			s->flags = 0;
			atomic_store(&s->key, k);
			fdb->count++;
			fdb->port_learned[1]++;
			keys[n++] = k;
			way++;
		}
	}
	assert_int_equal(bucket_live(fdb, x) + bucket_live(fdb, y), 2 * WR_FDB_WAYS);
	return n;
}

static void test_cuckoo_hop(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	uint64_t target = key_of(9, 1), h = wr_fdb_hash(target);
	uint64_t x = wr_fdb_bucket1(f->fdb, h), y = wr_fdb_bucket2(f->fdb, h);
	uint64_t filled[2 * WR_FDB_WAYS];
	int n;

	(void)state;
	/* Fill x and y with keys that have one of them as a candidate. */
	n = fill_pair(f->fdb, 9, 2, x, y, filled, 10);
	assert_int_equal(n, 2 * WR_FDB_WAYS);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	wr_qsbr_online(f->q, 0);

	wr_fdb_learn(f->fdb, target, 2, 10);
	assert_int_equal(lookup(f->fdb, target), -1);
	assert_int_equal(f->fdb->n_parked, 1);
	assert_int_equal(f->fdb->n_dead, 1);		/* the hop's old slot */
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	for (int i = 0; i < n; i++) {			/* the hopped entry is still found */
		assert_int_equal(lookup(f->fdb, filled[i]), 1);
		assert_int_equal(copies(f->fdb, filled[i]), 1);
	}
	/* Still within the grace period: waits, no second hop. */
	wr_fdb_apply_learns(f->fdb, 10);
	assert_int_equal(f->fdb->n_parked, 1);
	assert_int_equal(f->fdb->n_dead, 1);

	wr_qsbr_quiescent(f->q, 0);
	wr_fdb_apply_learns(f->fdb, 11);
	assert_int_equal(lookup(f->fdb, target), 2);
	assert_int_equal(f->fdb->n_parked, 0);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	assert_int_equal(wr_fdb_n_entries(f->fdb), n + 1);

	/* The same again, with a worker that never passes: FDB_FULL after the wait. */
	wr_qsbr_offline(f->q, 0);
	assert_int_equal(wr_fdb_remove(f->fdb, target), 0);
	assert_int_equal(wr_fdb_reclaim(f->fdb), 0);
	/* x and y hold 7 of the old keys and the empty slot target left. */
	assert_int_equal(fill_pair(f->fdb, 9, 1000, x, y, filled, 12), 1);
	wr_qsbr_online(f->q, 0);
	wr_fdb_learn(f->fdb, target, 2, 20);
	assert_int_equal(f->fdb->n_parked, 1);
	wr_fdb_apply_learns(f->fdb, 20 + WR_FDB_PARK_S - 1);
	assert_int_equal(f->fdb->n_parked, 1);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	wr_fdb_apply_learns(f->fdb, 20 + WR_FDB_PARK_S);
	assert_int_equal(f->fdb->n_parked, 0);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 1);
	assert_int_equal(lookup(f->fdb, target), -1);
	fx_free(f);
}

/* An insert parked for room is refused too if its port's generation changed meanwhile. */
static void test_parked_generation(void **state)
{
	struct fixture *f = fx_new(1024, 1);
	uint64_t target = key_of(9, 1), h = wr_fdb_hash(target);
	uint64_t x = wr_fdb_bucket1(f->fdb, h), y = wr_fdb_bucket2(f->fdb, h);
	uint64_t filled[2 * WR_FDB_WAYS];

	(void)state;
	assert_int_equal(fill_pair(f->fdb, 9, 2, x, y, filled, 10), 2 * WR_FDB_WAYS);
	wr_qsbr_online(f->q, 0);
	wr_fdb_learn(f->fdb, target, 2, 10);
	assert_int_equal(f->fdb->n_parked, 1);
	wr_fdb_port_renew(f->fdb, 2);			/* port 2 went, or changed domains */
	wr_qsbr_quiescent(f->q, 0);
	wr_fdb_apply_learns(f->fdb, 11);
	assert_int_equal(f->fdb->n_parked, 0);
	assert_int_equal(lookup(f->fdb, target), -1);
	assert_int_equal(f->fdb->events[WR_EVENT_FDB_FULL], 0);
	fx_free(f);
}

/* ------------------------------------------------------------ concurrency */

/*
 * Two workers learn and look up the same CC_N MACs while the control
 * thread applies their requests and moves, deletes, re-adds, statics and
 * ages the same keys. MAC i may only ever be on port A(i) or B(i) (both
 * written in the MAC itself, and unique to it), so a reader that sees any
 * other port saw another key's port: the bug this design must rule out.
 * The table is small (256 entries for 120 MACs) so slots are reused often.
 */
#define CC_N		120
#define CC_FINAL_S	0x7ffffff0u

static uint16_t cc_port_a(uint32_t i)
{
	return (uint16_t)(1 + i);
}

static uint16_t cc_port_b(uint32_t i)
{
	return (uint16_t)(128 + i);
}

static uint64_t cc_key(uint32_t i)
{
	uint8_t mac[6] = { 0x02, 0xcc, (uint8_t)i, (uint8_t)cc_port_a(i), (uint8_t)cc_port_b(i), 0 };

	return wr_fdb_key((uint16_t)(1 + i % 3), mac);
}

struct cc {
	struct wr_fdb *fdb;
	struct wr_qsbr *q;
	atomic_bool stop;
	_Atomic uint32_t now_s;
	atomic_int n_done;
	atomic_int n_bad;
	_Atomic uint64_t bad_key;
	_Atomic int bad_port;
	atomic_ulong n_lookups, n_hits, n_full;
};

struct cc_reader {
	struct cc *cc;
	uint16_t id;
};

static void *cc_reader(void *arg)
{
	struct cc_reader *r = arg;
	struct cc *cc = r->cc;
	unsigned long lookups = 0, hits = 0, full = 0;
	uint32_t pass = 0;

	wr_qsbr_online(cc->q, r->id);
	while (!atomic_load_explicit(&cc->stop, memory_order_relaxed)) {
		uint32_t now = atomic_load_explicit(&cc->now_s, memory_order_relaxed);

		for (uint32_t n = 0; n < CC_N; n++) {
			uint32_t i = (n + r->id * 61) % CC_N;
			uint64_t k = cc_key(i);
			struct wr_fdb_slot *s = NULL;
			int port;

			wr_fdb_prefetch(cc->fdb, cc_key((i + 8) % CC_N));
			port = wr_fdb_lookup(cc->fdb, k, &s);
			lookups++;
			if (port == cc_port_a(i)) {
				hits++;
				wr_fdb_refresh(s, now);
				continue;
			}
			if (port != -1 && port != cc_port_b(i)) {
				atomic_fetch_add(&cc->n_bad, 1);
				atomic_store(&cc->bad_key, k);
				atomic_store(&cc->bad_port, port);
			}
			if (port == cc_port_b(i))
				hits++;
			/* Unknown, or on B: the frames say A. */
			if (!wr_fdb_learn_request(cc->fdb, r->id, k, cc_port_a(i), 0, now))
				full++;
		}
		wr_qsbr_quiescent(cc->q, r->id);
		if (++pass % 16 == 0) {
			/* An idle spell: offline, so reclamation goes on without us. */
			wr_qsbr_offline(cc->q, r->id);
			sched_yield();
			wr_qsbr_online(cc->q, r->id);
		}
	}
	/* Last word: every MAC on A, asked at a second never used before. */
	for (uint32_t i = 0; i < CC_N; i++)
		while (!wr_fdb_learn_request(cc->fdb, r->id, cc_key(i), cc_port_a(i), 0, CC_FINAL_S))
			sched_yield();
	wr_qsbr_offline(cc->q, r->id);
	atomic_fetch_add(&cc->n_lookups, lookups);
	atomic_fetch_add(&cc->n_hits, hits);
	atomic_fetch_add(&cc->n_full, full);
	atomic_fetch_add(&cc->n_done, 1);
	return NULL;
}

static double elapsed_s(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

struct cc_seen {
	uint8_t n[CC_N];
	int bad;
	uint32_t n_entries;
};

static int cc_walk(const struct wr_fdb_entry *e, void *arg)
{
	struct cc_seen *seen = arg;
	uint32_t i = e->mac[2];

	seen->n_entries++;
	if (i >= CC_N || wr_fdb_key(e->bd, e->mac) != cc_key(i))
		seen->bad++;
	else
		seen->n[i]++;
	return 0;
}

static void test_concurrent(void **state)
{
	struct cc cc = { 0 };
	struct cc_reader readers[2];
	pthread_t tid[2];
	bool is_static[CC_N] = { false };
	struct timespec t0;
	struct cc_seen seen = { 0 };
	uint32_t now = 1, rnd = 12345, iter = 0;
	uint64_t ops[6] = { 0 };

	(void)state;
	cc.q = wr_qsbr_create(2);
	assert_non_null(cc.q);
	cc.fdb = wr_fdb_create(256, 2, cc.q);
	assert_non_null(cc.fdb);
	atomic_store(&cc.now_s, now);
	for (uint16_t i = 0; i < 2; i++) {
		readers[i] = (struct cc_reader){ .cc = &cc, .id = i };
		assert_int_equal(pthread_create(&tid[i], NULL, cc_reader, &readers[i]), 0);
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (elapsed_s(&t0) < 1.0) {
		uint32_t i;

		if (++iter % 64 == 0)
			atomic_store(&cc.now_s, ++now);
		wr_fdb_apply_learns(cc.fdb, now);
		rnd = rnd * 1103515245 + 12345;
		i = (rnd >> 8) % CC_N;
		switch ((rnd >> 20) % 8) {
		case 0:
		case 1:
			if (!is_static[i]) {
				wr_fdb_learn(cc.fdb, cc_key(i), cc_port_b(i), now);	/* move to B */
				ops[0]++;
			}
			break;
		case 2:
			if (!is_static[i]) {		/* delete and re-add, on A or B */
				wr_fdb_remove(cc.fdb, cc_key(i));
				wr_fdb_learn(cc.fdb, cc_key(i), rnd & 1 ? cc_port_a(i) : cc_port_b(i), now);
				ops[1]++;
			}
			break;
		case 3:
			if (wr_fdb_insert_static(cc.fdb, cc_key(i), rnd & 1 ? cc_port_a(i) : cc_port_b(i),
						 now) == 0) {
				is_static[i] = true;
				ops[2]++;
			}
			break;
		case 4:
			if (is_static[i]) {
				assert_int_equal(wr_fdb_remove(cc.fdb, cc_key(i)), 0);
				is_static[i] = false;
				ops[3]++;
			}
			break;
		case 5:
			ops[4] += wr_fdb_age(cc.fdb, now, 1, 16);
			break;
		case 6:
			wr_fdb_reclaim(cc.fdb);
			break;
		default:
			if (iter % 512 == 0) {
				wr_fdb_purge_bd(cc.fdb, (uint16_t)(1 + i % 3), false);
				ops[5]++;
			}
			break;
		}
	}
	for (uint32_t i = 0; i < CC_N; i++)
		if (is_static[i])
			assert_int_equal(wr_fdb_remove(cc.fdb, cc_key(i)), 0);
	atomic_store(&cc.stop, true);
	while (atomic_load(&cc.n_done) < 2) {
		wr_fdb_apply_learns(cc.fdb, now);
		sched_yield();
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(tid[i], NULL), 0);
	wr_fdb_apply_learns(cc.fdb, now);	/* readers offline now: parked inserts go in */

	print_message("concurrent: %u control rounds, %lu lookups (%lu hits), %lu queue-full, "
		      "moves %lu, re-adds %lu, statics %lu/%lu, aged %lu, purges %lu; "
		      "events: learned %lu, moved %lu, full %lu\n",
		      iter, atomic_load(&cc.n_lookups), atomic_load(&cc.n_hits),
		      atomic_load(&cc.n_full), (unsigned long)ops[0], (unsigned long)ops[1],
		      (unsigned long)ops[2], (unsigned long)ops[3], (unsigned long)ops[4],
		      (unsigned long)ops[5],
		      (unsigned long)cc.fdb->events[WR_EVENT_LEARNED],
		      (unsigned long)cc.fdb->events[WR_EVENT_MAC_MOVE],
		      (unsigned long)cc.fdb->events[WR_EVENT_FDB_FULL]);
	if (atomic_load(&cc.n_bad))
		print_error("key %#llx seen on port %d\n", (unsigned long long)atomic_load(&cc.bad_key),
			    atomic_load(&cc.bad_port));
	assert_int_equal(atomic_load(&cc.n_bad), 0);
	/* The churn happened, and both sides of it. */
	assert_true(atomic_load(&cc.n_lookups) > 10 * CC_N);
	assert_true(atomic_load(&cc.n_hits) > 0);
	assert_true(ops[0] > 0 && ops[1] > 0 && ops[2] > 0);
	assert_true(cc.fdb->events[WR_EVENT_MAC_MOVE] > 0);

	/* Every MAC exactly once, on A, and the counters agree with the table. */
	assert_int_equal(wr_fdb_walk(cc.fdb, now, cc_walk, &seen), CC_N);
	assert_int_equal(seen.bad, 0);
	for (uint32_t i = 0; i < CC_N; i++) {
		assert_int_equal(seen.n[i], 1);
		assert_int_equal(lookup(cc.fdb, cc_key(i)), cc_port_a(i));
		assert_int_equal(wr_fdb_port_learned(cc.fdb, cc_port_a(i)), 1);
		assert_int_equal(wr_fdb_port_learned(cc.fdb, cc_port_b(i)), 0);
	}
	assert_int_equal(wr_fdb_n_entries(cc.fdb), CC_N);
	assert_int_equal(wr_fdb_learn_pending(cc.fdb), 0);
	assert_int_equal(wr_fdb_reclaim(cc.fdb), 0);
	wr_fdb_destroy(cc.fdb);
	wr_qsbr_destroy(cc.q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_key_at),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_insert_lookup),
		cmocka_unit_test(test_learn_queue),
		cmocka_unit_test(test_refresh_no_write_when_fresh),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_port_limit),
		cmocka_unit_test(test_learn_queue_full),
		cmocka_unit_test(test_learn_filter),
		cmocka_unit_test(test_learn_generation),
		cmocka_unit_test(test_parked_generation),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_qsbr),
		cmocka_unit_test(test_qsbr_reuse),
		cmocka_unit_test(test_cuckoo_hop),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
