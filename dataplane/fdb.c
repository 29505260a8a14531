/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdb.c - the FDB's control side: creation, inserts (learned from the
 * workers' queues, or static), moves, deletes, aging, flushes and slot
 * reclamation. Only the control thread runs this file; the workers' side
 * (lookup, prefetch, refresh, learn requests) is inline in fdb_priv.h,
 * which also explains the table and how it is published.
 *
 * Writer rules kept here:
 *  - a key is live in at most one slot, except for the instant of a cuckoo
 *    hop (new copy first, then the old one dies; same port in both);
 *  - a slot's port, last_seen and flags are written before its key;
 *  - a deleted slot is marked WR_FDB_DEAD | token, where token is the
 *    epoch the QSBR start() at the end of the same call returns
 *    (fdb_publish); it is reused only once token <= wr_qsbr_safe();
 *  - every public call that deletes ends with fdb_publish().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fdb_priv.h"

#define HUGE_PAGE (2u << 20)
#define WR_FDB_FIRST_FILL 3	/* see slot_for() */

static uint32_t n_slots(const struct wr_fdb *fdb)
{
	return (uint32_t)(fdb->mask + 1) * WR_FDB_WAYS;
}

static struct wr_fdb_slot *slot_at(const struct wr_fdb *fdb, uint32_t idx)
{
	return &fdb->buckets[idx / WR_FDB_WAYS].slot[idx % WR_FDB_WAYS];
}

static uint32_t slot_index(const struct wr_fdb *fdb, const struct wr_fdb_slot *s)
{
	return (uint32_t)(((const char *)s - (const char *)fdb->buckets) / sizeof(*s));
}

static uint64_t slot_key(const struct wr_fdb_slot *s)
{
	/* Only this thread writes keys: relaxed reads its own stores. */
	return atomic_load_explicit(&s->key, memory_order_relaxed);
}

static uint16_t slot_port(const struct wr_fdb_slot *s)
{
	return atomic_load_explicit(&s->port, memory_order_relaxed);
}

static bool key_live(uint64_t k)
{
	return k != WR_FDB_EMPTY && !(k & WR_FDB_DEAD);
}

/* An empty slot, or a dead one no worker can still be reading. */
static bool slot_usable(const struct wr_fdb *fdb, uint64_t k)
{
	return k == WR_FDB_EMPTY || ((k & WR_FDB_DEAD) && (k & ~WR_FDB_DEAD) <= fdb->safe);
}

static bool slot_waiting(const struct wr_fdb *fdb, uint64_t k)
{
	return (k & WR_FDB_DEAD) && (k & ~WR_FDB_DEAD) > fdb->safe;
}

static void fdb_refresh_safe(struct wr_fdb *fdb)
{
	fdb->safe = wr_qsbr_safe(fdb->qsbr);
}

/* End of a call that deleted: advance the epoch past this call's deletes. */
static void fdb_publish(struct wr_fdb *fdb)
{
	if (fdb->pending) {
		wr_qsbr_start(fdb->qsbr);
		fdb->pending = 0;
	}
}

static uint32_t dead_pop_usable(struct wr_fdb *fdb);

static void slot_kill(struct wr_fdb *fdb, struct wr_fdb_slot *s)
{
	uint32_t cap = n_slots(fdb);

	/* The token the start() in fdb_publish() will hand out. */
	if (!fdb->pending)
		fdb->pending = wr_qsbr_epoch(fdb->qsbr) + 1;
	atomic_store_explicit(&s->key, WR_FDB_DEAD | fdb->pending, memory_order_release);
	fdb->n_dead++;
	if (fdb->dead_head - fdb->dead_tail == cap)
		dead_pop_usable(fdb);
	/* Still full: reclaim's sweep finds this slot (it stays reusable in place). */
	if (fdb->dead_head - fdb->dead_tail < cap)
		fdb->dead[fdb->dead_head++ & (cap - 1)] = slot_index(fdb, s);
}

static void slot_fill(struct wr_fdb *fdb, struct wr_fdb_slot *s, uint64_t key, uint16_t port,
		      uint8_t flags, uint32_t last_seen)
{
	if (slot_key(s) & WR_FDB_DEAD)
		fdb->n_dead--;
	atomic_store_explicit(&s->port, port, memory_order_relaxed);
	atomic_store_explicit(&s->last_seen, last_seen, memory_order_relaxed);
	s->flags = flags;
	/* Release: a worker that sees the key sees the fields above. */
	atomic_store_explicit(&s->key, key, memory_order_release);
}

/* Tell the mirror, if there is one, what (bd, mac) of @key maps to now. */
static void mirror_set(const struct wr_fdb *fdb, uint64_t key, uint16_t port, bool is_static)
{
	uint8_t mac[6];

	if (!fdb->mirror.set)
		return;
	wr_fdb_key_mac(key, mac);
	fdb->mirror.set(fdb->mirror.ctx, wr_fdb_key_bd(key), mac, port, is_static);
}

static void mirror_del(const struct wr_fdb *fdb, uint64_t key)
{
	uint8_t mac[6];

	if (!fdb->mirror.del)
		return;
	wr_fdb_key_mac(key, mac);
	fdb->mirror.del(fdb->mirror.ctx, wr_fdb_key_bd(key), mac);
}

/* A live entry goes: counters, the mirror, then the slot dies. */
static void entry_remove(struct wr_fdb *fdb, struct wr_fdb_slot *s)
{
	mirror_del(fdb, slot_key(s));
	if (!(s->flags & WR_FDB_F_STATIC))
		fdb->port_learned[slot_port(s)]--;
	fdb->count--;
	slot_kill(fdb, s);
}

static struct wr_fdb_slot *slot_find(const struct wr_fdb *fdb, uint64_t key)
{
	uint64_t h = wr_fdb_hash(key);
	struct wr_fdb_bucket *b[2] = {
		&fdb->buckets[wr_fdb_bucket1(fdb, h)],
		&fdb->buckets[wr_fdb_bucket2(fdb, h)],
	};

	for (int j = 0; j < 2; j++)
		for (int i = 0; i < WR_FDB_WAYS; i++)
			if (slot_key(&b[j]->slot[i]) == key)
				return &b[j]->slot[i];
	return NULL;
}

/*
 * How many slots of @b are taken (live, or dead and still visible to a
 * worker); *@free gets the first usable one, *@waiting whether a dead one
 * will become usable after a grace period.
 */
static int bucket_scan(const struct wr_fdb *fdb, struct wr_fdb_bucket *b,
		       struct wr_fdb_slot **free, bool *waiting)
{
	int taken = 0;

	*free = NULL;
	for (int i = 0; i < WR_FDB_WAYS; i++) {
		uint64_t k = slot_key(&b->slot[i]);

		if (slot_usable(fdb, k)) {
			if (!*free)
				*free = &b->slot[i];
			continue;
		}
		taken++;
		if (slot_waiting(fdb, k))
			*waiting = true;
	}
	return taken;
}

/*
 * One cuckoo hop: move a live entry of @b to its other candidate bucket if
 * that has a usable slot. The copy is published before the original dies,
 * so a worker finds the key in one of them (or, for an instant, misses it
 * and asks to learn it again: harmless). The freed slot is usable after a
 * grace period.
 */
static bool bucket_hop(struct wr_fdb *fdb, struct wr_fdb_bucket *b)
{
	uint64_t idx = (uint64_t)(b - fdb->buckets);

	for (int i = 0; i < WR_FDB_WAYS; i++) {
		struct wr_fdb_slot *s = &b->slot[i], *f;
		uint64_t k = slot_key(s), h, alt;
		bool waiting = false;

		if (!key_live(k))
			continue;
		h = wr_fdb_hash(k);
		alt = wr_fdb_bucket1(fdb, h);
		if (alt == idx)
			alt = wr_fdb_bucket2(fdb, h);
		bucket_scan(fdb, &fdb->buckets[alt], &f, &waiting);
		if (!f)
			continue;
		slot_fill(fdb, f, k, slot_port(s), s->flags,
			  atomic_load_explicit(&s->last_seen, memory_order_relaxed));
		slot_kill(fdb, s);
		return true;
	}
	return false;
}

/*
 * A slot for a new @key: in its first bucket while that holds fewer than
 * WR_FDB_FIRST_FILL entries or no more than the second, else in the
 * second. Nearly as even as "the less loaded" (the two-choice rule that
 * keeps buckets from overflowing), yet most keys sit in the first bucket,
 * where a lookup ends after one cache line. NULL when both are full;
 * then *@waiting says whether room is coming (a dead slot in a grace
 * period, or a hop made now when @may_hop).
 */
static struct wr_fdb_slot *slot_for(struct wr_fdb *fdb, uint64_t key, bool may_hop, bool *waiting)
{
	uint64_t h = wr_fdb_hash(key);
	struct wr_fdb_bucket *b1 = &fdb->buckets[wr_fdb_bucket1(fdb, h)];
	struct wr_fdb_bucket *b2 = &fdb->buckets[wr_fdb_bucket2(fdb, h)];
	struct wr_fdb_slot *f1, *f2;
	int n1, n2;

	*waiting = false;
	n1 = bucket_scan(fdb, b1, &f1, waiting);
	n2 = bucket_scan(fdb, b2, &f2, waiting);
	if (f1 && (!f2 || n1 < WR_FDB_FIRST_FILL || n1 <= n2))
		return f1;
	if (f2)
		return f2;
	/* Room already coming: wait for it rather than kill another slot. */
	if (may_hop && !*waiting && (bucket_hop(fdb, b1) || bucket_hop(fdb, b2)))
		*waiting = true;
	return NULL;
}

static bool port_at_limit(const struct wr_fdb *fdb, uint16_t port)
{
	return fdb->port_limit[port] && fdb->port_learned[port] >= fdb->port_limit[port];
}

static void park(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t gen, uint32_t since_s)
{
	fdb->parked[fdb->n_parked++] = (struct wr_fdb_parked){
		.key = key, .port = port, .gen = gen, .since_s = since_s,
	};
}

/*
 * The heart of learning: insert, move or refresh. @since_s: when the
 * request first came (now, unless it was parked waiting for room). A
 * request of another generation than the port's is of a port that has
 * gone or changed bridge domains since: its key may name a domain the
 * port is not in, or the port may be another one now.
 */
static void learn_one(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t gen,
		      uint32_t now_s, uint32_t since_s)
{
	struct wr_fdb_slot *s;
	bool waiting;

	if (!wr_fdb_key_valid(key) || port >= WR_PORT_MAX || gen != fdb->port_gen[port])
		return;
	s = slot_find(fdb, key);
	if (s) {
		uint16_t old = slot_port(s);

		if (s->flags & WR_FDB_F_STATIC)
			return;		/* configured where it is: never moves */
		if (old != port) {
			if (port_at_limit(fdb, port)) {
				fdb->events[WR_EVENT_MAC_LIMIT]++;
				return;
			}
			fdb->port_learned[old]--;
			fdb->port_learned[port]++;
			fdb->events[WR_EVENT_MAC_MOVE]++;
			/* Release, one 16-bit store: old or new port, nothing else. */
			atomic_store_explicit(&s->port, port, memory_order_release);
			mirror_set(fdb, key, port, false);
		}
		atomic_store_explicit(&s->last_seen, now_s, memory_order_relaxed);
		return;
	}
	if (port_at_limit(fdb, port)) {
		fdb->events[WR_EVENT_MAC_LIMIT]++;
		return;
	}
	if (fdb->count >= fdb->max) {
		fdb->events[WR_EVENT_FDB_FULL]++;
		return;
	}
	s = slot_for(fdb, key, true, &waiting);
	if (!s) {
		/* Room is coming once the workers pass a quiescent point. */
		if (waiting && (int32_t)(now_s - since_s) < WR_FDB_PARK_S &&
		    fdb->n_parked < WR_FDB_PARK_MAX)
			park(fdb, key, port, gen, since_s);
		else
			fdb->events[WR_EVENT_FDB_FULL]++;
		return;
	}
	slot_fill(fdb, s, key, port, 0, now_s);
	fdb->count++;
	fdb->port_learned[port]++;
	fdb->events[WR_EVENT_LEARNED]++;
	mirror_set(fdb, key, port, false);
}

/* ------------------------------------------------------------------ public */

struct wr_fdb *wr_fdb_create(uint32_t max, uint16_t n_workers, struct wr_qsbr *qsbr)
{
	struct wr_fdb *fdb = NULL;
	uint64_t n_buckets = 2;
	size_t size;

	if (max == 0 || max > WR_FDB_MAX_ENTRIES || n_workers == 0 ||
	    n_workers > WR_WORKER_MAX || !qsbr || qsbr->n_readers < n_workers) {
		errno = EINVAL;
		return NULL;
	}
	/* About two slots per entry: the table stays at most half full. */
	while (n_buckets * WR_FDB_WAYS < 2ULL * max)
		n_buckets <<= 1;

	fdb = aligned_alloc(WR_CACHE_LINE, sizeof(*fdb));
	if (!fdb)
		goto err;
	memset(fdb, 0, sizeof(*fdb));
	fdb->mask = n_buckets - 1;
	fdb->max = max;
	fdb->n_workers = n_workers;
	fdb->qsbr = qsbr;

	size = n_buckets * sizeof(struct wr_fdb_bucket);
	if (size >= HUGE_PAGE) {
		/* Big tables: huge pages spare a TLB miss per lookup. */
		fdb->buckets = aligned_alloc(HUGE_PAGE, size);
		if (fdb->buckets)
			(void)madvise(fdb->buckets, size, MADV_HUGEPAGE);
	} else {
		fdb->buckets = aligned_alloc(WR_CACHE_LINE, size);
	}
	if (!fdb->buckets)
		goto err_fdb;
	/* Every key WR_FDB_EMPTY; also faults every page in now, not on the hot path. */
	memset(fdb->buckets, 0, size);

	fdb->lq = aligned_alloc(WR_CACHE_LINE, n_workers * sizeof(*fdb->lq));
	if (!fdb->lq)
		goto err_buckets;
	memset(fdb->lq, 0, n_workers * sizeof(*fdb->lq));

	fdb->dead = malloc(n_buckets * WR_FDB_WAYS * sizeof(*fdb->dead));
	if (!fdb->dead)
		goto err_lq;
	return fdb;

err_lq:
	free(fdb->lq);
err_buckets:
	free(fdb->buckets);
err_fdb:
	free(fdb);
err:
	errno = ENOMEM;
	return NULL;
}

void wr_fdb_destroy(struct wr_fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->dead);
	free(fdb->lq);
	free(fdb->buckets);
	free(fdb);
}

void wr_fdb_set_port_limit(struct wr_fdb *fdb, uint16_t port, uint32_t limit)
{
	if (port < WR_PORT_MAX)
		fdb->port_limit[port] = limit;
}

uint32_t wr_fdb_port_learned(const struct wr_fdb *fdb, uint16_t port)
{
	return port < WR_PORT_MAX ? fdb->port_learned[port] : 0;
}

/* A stale request would pass after 2^32 changes of its port: none waits in a queue that long. */
uint32_t wr_fdb_port_renew(struct wr_fdb *fdb, uint16_t port)
{
	return ++fdb->port_gen[port];
}

/* Retry the inserts that waited for room (refresh safe first). */
static void retry_parked(struct wr_fdb *fdb, uint32_t now_s)
{
	struct wr_fdb_parked parked[WR_FDB_PARK_MAX];
	uint16_t n_parked = fdb->n_parked;

	memcpy(parked, fdb->parked, n_parked * sizeof(parked[0]));
	fdb->n_parked = 0;
	for (uint16_t i = 0; i < n_parked; i++)
		learn_one(fdb, parked[i].key, parked[i].port, parked[i].gen, now_s,
			  parked[i].since_s);
}

/*
 * After a call's publish: when every worker is already past the tokens the
 * call made (idle workers, or none), parked inserts need not wait a tick.
 */
static void fdb_retry_parked(struct wr_fdb *fdb, uint32_t now_s)
{
	if (!fdb->n_parked)
		return;
	fdb_refresh_safe(fdb);
	retry_parked(fdb, now_s);
	fdb_publish(fdb);
}

uint32_t wr_fdb_apply_learns(struct wr_fdb *fdb, uint32_t now_s)
{
	uint32_t n = 0;

	fdb_refresh_safe(fdb);
	/* Inserts that waited for room first: they asked earlier. */
	retry_parked(fdb, now_s);

	for (uint16_t w = 0; w < fdb->n_workers; w++) {
		struct wr_fdb_lq *q = &fdb->lq[w];
		uint32_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
		/* Acquire: the requests up to head are written. */
		uint32_t head = atomic_load_explicit(&q->head, memory_order_acquire);

		for (; tail != head; tail++, n++) {
			const struct wr_fdb_learn *r = &q->ring[tail & (WR_FDB_LQ_SIZE - 1)];

			learn_one(fdb, r->key, r->port, r->gen, now_s, now_s);
		}
		/* Release: done reading those requests; the worker may refill. */
		atomic_store_explicit(&q->tail, tail, memory_order_release);
	}
	fdb_publish(fdb);
	fdb_retry_parked(fdb, now_s);
	return n;
}

void wr_fdb_learn(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t now_s)
{
	fdb_refresh_safe(fdb);
	if (port < WR_PORT_MAX)
		learn_one(fdb, key, port, fdb->port_gen[port], now_s, now_s);
	fdb_publish(fdb);
	fdb_retry_parked(fdb, now_s);
}

int wr_fdb_insert_static(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t now_s)
{
	struct wr_fdb_slot *s;
	bool waiting;

	if (!wr_fdb_key_valid(key) || port >= WR_PORT_MAX)
		return -EINVAL;
	fdb_refresh_safe(fdb);
	s = slot_find(fdb, key);
	if (s) {
		if (!(s->flags & WR_FDB_F_STATIC)) {
			fdb->port_learned[slot_port(s)]--;
			s->flags |= WR_FDB_F_STATIC;
		}
		atomic_store_explicit(&s->port, port, memory_order_release);
		atomic_store_explicit(&s->last_seen, now_s, memory_order_relaxed);
		mirror_set(fdb, key, port, true);
		return 0;
	}
	if (fdb->count >= fdb->max)
		return -ENOSPC;
	s = slot_for(fdb, key, true, &waiting);
	if (!s && waiting) {
		/* A hop or a delete made room: usable now if no worker is behind. */
		fdb_publish(fdb);
		fdb_refresh_safe(fdb);
		s = slot_for(fdb, key, false, &waiting);
	}
	if (!s) {
		fdb_publish(fdb);
		return waiting ? -EAGAIN : -ENOSPC;
	}
	slot_fill(fdb, s, key, port, WR_FDB_F_STATIC, now_s);
	fdb->count++;
	mirror_set(fdb, key, port, true);
	fdb_publish(fdb);
	return 0;
}

int wr_fdb_remove(struct wr_fdb *fdb, uint64_t key)
{
	struct wr_fdb_slot *s;

	if (!wr_fdb_key_valid(key))
		return -ENOENT;
	s = slot_find(fdb, key);
	if (!s)
		return -ENOENT;
	entry_remove(fdb, s);
	fdb_publish(fdb);
	return 0;
}

/* Remove every live entry @match accepts (learned only unless @all). */
static uint32_t purge(struct wr_fdb *fdb, bool all,
		      bool (*match)(uint64_t key, uint16_t port, const void *arg), const void *arg)
{
	uint32_t n = 0, cap = n_slots(fdb);

	fdb->sweeps++;
	for (uint32_t i = 0; i < cap; i++) {
		struct wr_fdb_slot *s = slot_at(fdb, i);
		uint64_t k = slot_key(s);

		if (!key_live(k) || (!all && (s->flags & WR_FDB_F_STATIC)) ||
		    !match(k, slot_port(s), arg))
			continue;
		entry_remove(fdb, s);
		n++;
	}
	fdb_publish(fdb);
	return n;
}

static bool match_port(uint64_t key, uint16_t port, const void *arg)
{
	(void)key;
	return port == *(const uint16_t *)arg;
}

static bool match_bd(uint64_t key, uint16_t port, const void *arg)
{
	(void)port;
	return wr_fdb_key_bd(key) == *(const uint16_t *)arg;
}

struct port_outside {
	uint16_t port;
	const uint64_t *bds;
};

static bool match_port_outside(uint64_t key, uint16_t port, const void *arg)
{
	const struct port_outside *o = arg;
	uint16_t bd = wr_fdb_key_bd(key);

	return port == o->port && !(o->bds[bd / 64] >> (bd % 64) & 1);
}

uint32_t wr_fdb_purge_port(struct wr_fdb *fdb, uint16_t port, bool all)
{
	return purge(fdb, all, match_port, &port);
}

uint32_t wr_fdb_purge_bd(struct wr_fdb *fdb, uint16_t bd, bool all)
{
	return purge(fdb, all, match_bd, &bd);
}

static bool match_any(uint64_t key, uint16_t port, const void *arg)
{
	(void)key;
	(void)port;
	(void)arg;
	return true;
}

uint32_t wr_fdb_purge_all(struct wr_fdb *fdb, bool all)
{
	return purge(fdb, all, match_any, NULL);
}

uint32_t wr_fdb_purge_port_outside(struct wr_fdb *fdb, uint16_t port, const uint64_t *bds)
{
	struct port_outside o = { port, bds };

	return purge(fdb, true, match_port_outside, &o);
}

uint32_t wr_fdb_age(struct wr_fdb *fdb, uint32_t now_s, uint32_t age_s, uint32_t n_buckets)
{
	uint64_t total = fdb->mask + 1, b = fdb->age_cursor;
	uint32_t n = 0;

	if (age_s == 0)
		return 0;
	if (n_buckets == 0 || n_buckets > total)
		n_buckets = (uint32_t)total;
	for (uint32_t i = 0; i < n_buckets; i++, b = (b + 1) & fdb->mask) {
		for (int j = 0; j < WR_FDB_WAYS; j++) {
			struct wr_fdb_slot *s = &fdb->buckets[b].slot[j];
			uint32_t seen;

			if (!key_live(slot_key(s)) || (s->flags & WR_FDB_F_STATIC))
				continue;
			seen = atomic_load_explicit(&s->last_seen, memory_order_relaxed);
			/*
			 * Signed: a worker's clock may be a second ahead of
			 * ours; that entry is fresh, not 4 billion seconds old.
			 */
			if ((int64_t)(int32_t)(now_s - seen) <= (int64_t)age_s)
				continue;
			/* Traffic the mirror forwarded itself counts as seen. */
			if (fdb->mirror.last_seen) {
				uint64_t key = slot_key(s);
				uint8_t mac[6];
				uint32_t m;

				wr_fdb_key_mac(key, mac);
				m = fdb->mirror.last_seen(fdb->mirror.ctx, wr_fdb_key_bd(key), mac);
				if (m && (int64_t)(int32_t)(now_s - m) <= (int64_t)age_s) {
					atomic_store_explicit(&s->last_seen, m, memory_order_relaxed);
					continue;
				}
			}
			entry_remove(fdb, s);
			fdb->events[WR_EVENT_AGED]++;
			n++;
		}
	}
	fdb->age_cursor = (uint32_t)b;
	fdb_publish(fdb);
	return n;
}

/* Pop dead slots every worker has passed off the FIFO, making them empty. */
static uint32_t dead_pop_usable(struct wr_fdb *fdb)
{
	uint32_t cap = n_slots(fdb), n = 0;

	while (fdb->dead_tail != fdb->dead_head) {
		struct wr_fdb_slot *s = slot_at(fdb, fdb->dead[fdb->dead_tail & (cap - 1)]);
		uint64_t k = slot_key(s);

		if (k & WR_FDB_DEAD) {
			if (!slot_usable(fdb, k))
				break;	/* tokens only grow along the FIFO */
			atomic_store_explicit(&s->key, WR_FDB_EMPTY, memory_order_relaxed);
			fdb->n_dead--;
			n++;
		}
		/* else reused in place since: nothing to do */
		fdb->dead_tail++;
	}
	return n;
}

uint32_t wr_fdb_reclaim(struct wr_fdb *fdb)
{
	fdb_refresh_safe(fdb);
	dead_pop_usable(fdb);
	if (fdb->dead_tail == fdb->dead_head && fdb->n_dead) {
		/* Some kills did not fit the FIFO: sweep for them. */
		uint32_t cap = n_slots(fdb);

		for (uint32_t i = 0; i < cap; i++) {
			struct wr_fdb_slot *s = slot_at(fdb, i);
			uint64_t k = slot_key(s);

			if ((k & WR_FDB_DEAD) && slot_usable(fdb, k)) {
				atomic_store_explicit(&s->key, WR_FDB_EMPTY, memory_order_relaxed);
				fdb->n_dead--;
			}
		}
	}
	return fdb->n_dead;
}

static void entry_fill(const struct wr_fdb_slot *s, uint64_t key, uint32_t now_s,
		       struct wr_fdb_entry *e)
{
	int32_t age = (int32_t)(now_s - atomic_load_explicit(&s->last_seen, memory_order_relaxed));

	memset(e, 0, sizeof(*e));
	e->bd = wr_fdb_key_bd(key);
	wr_fdb_key_mac(key, e->mac);
	e->port = slot_port(s);
	e->is_static = s->flags & WR_FDB_F_STATIC;
	e->age_s = age > 0 ? (uint32_t)age : 0;
}

int wr_fdb_find(const struct wr_fdb *fdb, uint64_t key, uint32_t now_s, struct wr_fdb_entry *out)
{
	const struct wr_fdb_slot *s;

	if (!wr_fdb_key_valid(key))
		return -ENOENT;
	s = slot_find(fdb, key);
	if (!s)
		return -ENOENT;
	entry_fill(s, key, now_s, out);
	return 0;
}

int wr_fdb_walk(const struct wr_fdb *fdb, uint32_t now_s,
		int (*fn)(const struct wr_fdb_entry *e, void *arg), void *arg)
{
	uint32_t cap = n_slots(fdb);
	int n = 0;

	for (uint32_t i = 0; i < cap; i++) {
		const struct wr_fdb_slot *s = slot_at(fdb, i);
		uint64_t k = slot_key(s);
		struct wr_fdb_entry e;
		int err;

		if (!key_live(k))
			continue;
		entry_fill(s, k, now_s, &e);
		err = fn(&e, arg);
		if (err < 0)
			return err;
		n++;
	}
	return n;
}

void wr_fdb_events(const struct wr_fdb *fdb, uint64_t *events)
{
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		events[i] += fdb->events[i];
}

uint32_t wr_fdb_learn_pending(const struct wr_fdb *fdb)
{
	uint32_t n = 0;

	for (uint16_t w = 0; w < fdb->n_workers; w++)
		n += atomic_load_explicit(&fdb->lq[w].head, memory_order_acquire) -
		     atomic_load_explicit(&fdb->lq[w].tail, memory_order_relaxed);
	return n;
}
