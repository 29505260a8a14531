/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdb_priv.h - the forwarding database (dataplane/ only): one fixed table
 * for all bridge domains, keyed by (bridge domain, MAC), read by workers
 * without locks and written by the control thread alone.
 *
 * Table. Buckets of four 16-byte slots, one 64-byte cache line each, about
 * two slots per entry allowed (wr_fdb_create's @max), a power of two of
 * buckets. A key has two candidate buckets, both taken from one 64-bit mix
 * of the key, so a lookup touches at most two cache lines, and
 * wr_fdb_prefetch() can ask for both early. An insert goes to the first
 * candidate unless it is fuller than the second (and has 3 entries or
 * more): two-choice balance, yet most lookups end in the first line. When
 * both are full, one of their entries moves to its other bucket (one
 * cuckoo hop) and the insert is parked until the emptied slot is safe to
 * reuse (the next tick, normally; FDB_FULL after WR_FDB_PARK_S).
 *
 * Publishing (workers read while the control thread writes):
 *  - a slot's key is WR_FDB_EMPTY (never used), a live key (< 2^60), or
 *    WR_FDB_DEAD | token (deleted; the token is the QSBR epoch after the
 *    delete).
 *  - insert: port, last_seen, flags first, then the key (release).
 *  - move: one atomic 16-bit store of port (release): a reader sees the old
 *    or the new port, both right at some instant.
 *  - delete: the key becomes dead (release). The slot is reused only when
 *    wr_qsbr says every online worker has passed the token, so no worker
 *    that saw the old key is still looking at the slot.
 *  - a reader loads the keys (then an acquire fence), the port (acquire),
 *    then the key again; it takes the port only if the key did not change.
 *    With QSBR this cannot fail; the re-check keeps the lookup honest even
 *    without it (a seqlock read with the key as the sequence).
 *  - workers write nothing but last_seen, and only when it differs from
 *    now (wr_fdb_refresh): a fresh entry costs no store per packet.
 *
 * Learning: a worker cannot insert. It queues (key, port) on its own
 * single-producer single-consumer ring (wr_fdb_learn_request), behind a
 * small filter of what it asked this second; the control thread drains
 * every ring in wr_fdb_apply_learns() and inserts, moves or refreshes.
 * A request also carries the port's learning generation, published with
 * the port's configuration: the control thread renews it when the port
 * goes or its bridge domains change (wr_fdb_port_renew) and refuses
 * requests of an older one, which the purge that follows such a change
 * would otherwise see come back.
 *
 * Threads: [worker @id] functions are called by worker @id only, and only
 * between wr_qsbr_online() and wr_qsbr_offline() of the fdb's QSBR;
 * [control] functions by the one control thread.
 */
#ifndef WR_FDB_PRIV_H
#define WR_FDB_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "qsbr_priv.h"
#include "wr_dataplane.h"

#define WR_FDB_WAYS		4		/* slots per bucket */
#define WR_FDB_MAX_ENTRIES	(1u << 24)	/* largest @max wr_fdb_create takes */
#define WR_FDB_LQ_SIZE		4096		/* learn requests queued per worker */
#define WR_FDB_ASKED_SIZE	256		/* per-worker "asked this second" filter */
#define WR_FDB_PARK_MAX		64		/* inserts waiting for room being made */
#define WR_FDB_PARK_S		2		/* seconds an insert waits before FDB_FULL */

#define WR_FDB_EMPTY		0ULL		/* slot never used (key 0 is not a valid key) */
#define WR_FDB_DEAD		(1ULL << 63)	/* | token: deleted at that QSBR epoch */
#define WR_FDB_KEY_BITS		60		/* bd (12) and MAC (48) */

enum {
	WR_FDB_F_STATIC = 1 << 0,	/* configured: never ages, never moves */
};

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2 &&
	       ATOMIC_SHORT_LOCK_FREE == 2, "FDB readers need lock-free atomics");

/* One entry: a quarter of a cache line. */
struct wr_fdb_slot {
	_Atomic uint64_t key;		/* live key, WR_FDB_EMPTY or WR_FDB_DEAD | token */
	_Atomic uint16_t port;		/* output port */
	uint8_t flags;			/* WR_FDB_F_*; the control thread's only */
	uint8_t pad;
	_Atomic uint32_t last_seen;	/* switch clock (s) of the last frame from it */
};
_Static_assert(sizeof(struct wr_fdb_slot) == 16, "four slots per cache line");

struct wr_fdb_bucket {
	_Alignas(WR_CACHE_LINE) struct wr_fdb_slot slot[WR_FDB_WAYS];
};
_Static_assert(sizeof(struct wr_fdb_bucket) == WR_CACHE_LINE, "one bucket, one line");

/* A learn request: @key was seen as a source on @port, in its generation @gen. */
struct wr_fdb_learn {
	uint64_t key;
	uint16_t port;
	uint32_t gen;
};

/* An insert waiting for a slot to become reusable, since @since_s. */
struct wr_fdb_parked {
	uint64_t key;
	uint16_t port;
	uint32_t gen;
	uint32_t since_s;
};

/* The filter's memory of one request: asked at second @when_s (the generation's low bits). */
struct wr_fdb_asked {
	uint64_t key;
	uint16_t port;
	uint16_t gen;
	uint32_t when_s;
};
_Static_assert(sizeof(struct wr_fdb_learn) == 16 && sizeof(struct wr_fdb_asked) == 16,
	       "a generation costs a request and a filter entry no room");

/*
 * One worker's learn queue: single producer (the worker), single consumer
 * (the control thread). head and tail are free-running counters; each
 * lives on its own cache line, so the two sides only share a line when one
 * actually reads the other's index.
 */
struct wr_fdb_lq {
	/* The worker's line: head, its cached view of tail. */
	_Alignas(WR_CACHE_LINE) _Atomic uint32_t head;	/* next request to fill */
	uint32_t tail_seen;				/* tail when the worker last looked */
	/* The control thread's line. */
	_Alignas(WR_CACHE_LINE) _Atomic uint32_t tail;	/* next request to apply */
	_Alignas(WR_CACHE_LINE) struct wr_fdb_learn ring[WR_FDB_LQ_SIZE];
	struct wr_fdb_asked asked[WR_FDB_ASKED_SIZE];	/* the worker's only */
};

struct wr_fdb {
	/* Set at creation, read by every worker. */
	_Alignas(WR_CACHE_LINE) struct wr_fdb_bucket *buckets;
	uint64_t mask;			/* n_buckets - 1 */
	struct wr_fdb_lq *lq;		/* [n_workers] */
	struct wr_qsbr *qsbr;
	uint32_t max;			/* entries at most (static and learned) */
	uint16_t n_workers;

	/* The control thread's. */
	_Alignas(WR_CACHE_LINE) uint32_t count;	/* live entries */
	uint32_t n_dead;		/* slots deleted, not yet reusable or reclaimed */
	uint64_t safe;			/* tokens <= safe are reusable (wr_qsbr_safe) */
	uint64_t pending;		/* token of this call's deletes, 0 if none */
	uint32_t *dead;			/* FIFO of dead slot indexes, oldest first */
	uint32_t dead_head, dead_tail;	/* free-running; capacity n_buckets * WAYS */
	uint32_t age_cursor;		/* next bucket for wr_fdb_age */
	uint64_t sweeps;		/* whole-table walks of purges: what flushes cost */
	uint16_t n_parked;
	struct wr_fdb_parked parked[WR_FDB_PARK_MAX];	/* inserts waiting for room */
	uint32_t port_limit[WR_PORT_MAX];	/* learned MACs at most, 0: no limit */
	uint32_t port_gen[WR_PORT_MAX];		/* learning generation; requests of others refused */
	uint32_t port_learned[WR_PORT_MAX];	/* learned (not static) entries per port */
	uint64_t events[WR_EVENT_COUNT];	/* LEARNED, AGED, MAC_MOVE, FDB_FULL, MAC_LIMIT */
	struct wr_fdb_mirror mirror;	/* set() NULL: none */
};

/* -------------------------------------------------------------------- keys */

/** The key of (@bd, @mac): bd in bits 48..59, the MAC big-endian in 0..47. */
static inline uint64_t wr_fdb_key(uint16_t bd, const uint8_t mac[6])
{
	return (uint64_t)(bd & 0xfff) << 48 | (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	       (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
}

/**
 * wr_fdb_key() for the hot path: one 8-byte load instead of six byte loads,
 * so @mac must have two readable bytes after it (a MAC inside an Ethernet
 * header always has: the source MAC is followed by the EtherType). The
 * same value as wr_fdb_key(). [worker]
 */
static inline uint64_t wr_fdb_key_at(uint16_t bd, const uint8_t *mac)
{
	uint64_t v;

	memcpy(&v, mac, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return (uint64_t)(bd & 0xfff) << 48 | v >> 16;
}

static inline uint16_t wr_fdb_key_bd(uint64_t key)
{
	return (uint16_t)(key >> 48 & 0xfff);
}

static inline void wr_fdb_key_mac(uint64_t key, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(key >> (40 - 8 * i));
}

/** A key the table can hold: not 0 (bd 0 with MAC 00:00:00:00:00:00), 60 bits. */
static inline bool wr_fdb_key_valid(uint64_t key)
{
	return key != WR_FDB_EMPTY && key >> WR_FDB_KEY_BITS == 0;
}

/* ------------------------------------------------------------ lookup [worker] */

/** The 64-bit mix both bucket indexes come from (murmur3's finaliser, halved). */
static inline uint64_t wr_fdb_hash(uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key;
}

static inline uint64_t wr_fdb_bucket1(const struct wr_fdb *fdb, uint64_t hash)
{
	return hash & fdb->mask;
}

/** The second candidate: the high half of the hash, never the first bucket. */
static inline uint64_t wr_fdb_bucket2(const struct wr_fdb *fdb, uint64_t hash)
{
	uint64_t b1 = hash & fdb->mask, b2 = hash >> 32 & fdb->mask;

	return b2 ^ (b2 == b1);
}

/*
 * always_inline, for a reason: GCC 12 finds a function whose only effect is
 * __builtin_prefetch "const" and deletes calls to it when it did not inline
 * it early; the prefetches then silently vanish (seen at -O2).
 */
#define WR_FDB_PREFETCH_INLINE static inline __attribute__((always_inline))

/** Start loading both candidate buckets of a key whose wr_fdb_hash() is @hash. */
WR_FDB_PREFETCH_INLINE void wr_fdb_prefetch_hash(const struct wr_fdb *fdb, uint64_t hash)
{
	__builtin_prefetch(&fdb->buckets[wr_fdb_bucket1(fdb, hash)]);
	__builtin_prefetch(&fdb->buckets[wr_fdb_bucket2(fdb, hash)]);
}

/** Start loading both candidate buckets of @key (for a later lookup). [worker] */
WR_FDB_PREFETCH_INLINE void wr_fdb_prefetch(const struct wr_fdb *fdb, uint64_t key)
{
	wr_fdb_prefetch_hash(fdb, wr_fdb_hash(key));
}

/*
 * Bit i set when slot i of @b holds @key: four loads, four compares, no
 * branch. Which way holds a key is random, so a branch per way would
 * mispredict about once a lookup (measured: this halves a lookup's time).
 */
static inline unsigned wr_fdb_match(struct wr_fdb_bucket *b, uint64_t key)
{
	return (unsigned)(atomic_load_explicit(&b->slot[0].key, memory_order_relaxed) == key) |
	       (unsigned)(atomic_load_explicit(&b->slot[1].key, memory_order_relaxed) == key) << 1 |
	       (unsigned)(atomic_load_explicit(&b->slot[2].key, memory_order_relaxed) == key) << 2 |
	       (unsigned)(atomic_load_explicit(&b->slot[3].key, memory_order_relaxed) == key) << 3;
}

/*
 * @key in bucket @b: its port and *@slot, or -1. The writer keeps a key
 * live in one slot of a bucket; a reader racing a delete and re-insert may
 * see it twice, takes the first, and may then miss once: harmless.
 */
static inline int wr_fdb_lookup_bucket(struct wr_fdb_bucket *b, uint64_t key,
				       struct wr_fdb_slot **slot)
{
	unsigned m = wr_fdb_match(b, key);
	struct wr_fdb_slot *s;
	uint16_t port;

	if (!m)
		return -1;
	/* Acquire for the key loads in match(): the port is read after them. */
	atomic_thread_fence(memory_order_acquire);
	s = &b->slot[__builtin_ctz(m)];
	/* Acquire: the re-check below cannot be done before this load. */
	port = atomic_load_explicit(&s->port, memory_order_acquire);
	if (atomic_load_explicit(&s->key, memory_order_relaxed) != key)
		return -1;	/* deleted under us */
	*slot = s;
	return port;
}

/**
 * Look @key (whose wr_fdb_hash() is @hash) up. Returns its port and sets
 * *@slot (for wr_fdb_refresh), or -1 when absent. @key must be valid.
 * The slot stays the key's until this worker's next quiescent point. [worker]
 */
static inline int wr_fdb_lookup_hash(const struct wr_fdb *fdb, uint64_t key, uint64_t hash,
				     struct wr_fdb_slot **slot)
{
	int port = wr_fdb_lookup_bucket(&fdb->buckets[wr_fdb_bucket1(fdb, hash)], key, slot);

	if (port >= 0)
		return port;
	return wr_fdb_lookup_bucket(&fdb->buckets[wr_fdb_bucket2(fdb, hash)], key, slot);
}

/** wr_fdb_lookup_hash() hashing @key itself. [worker] */
static inline int wr_fdb_lookup(const struct wr_fdb *fdb, uint64_t key, struct wr_fdb_slot **slot)
{
	return wr_fdb_lookup_hash(fdb, key, wr_fdb_hash(key), slot);
}

/**
 * A frame came from the entry of @slot on its own port: note it. Stores
 * only when the second changed, so a busy fresh entry's line stays clean
 * in every cache. [worker]
 */
static inline void wr_fdb_refresh(struct wr_fdb_slot *slot, uint32_t now_s)
{
	if (atomic_load_explicit(&slot->last_seen, memory_order_relaxed) != now_s)
		atomic_store_explicit(&slot->last_seen, now_s, memory_order_relaxed);
}

/**
 * Ask the control thread to learn @key on @port (unknown source, or known
 * on another port), where @gen is the port's learning generation published
 * with a configuration that puts @key's bridge domain on it. The same (key,
 * port, gen) asked again in the same second @now_s is dropped by a small
 * direct-mapped filter, so a flow's frames do not flood the queue; it is
 * asked again the next second if still unknown (the request may have been
 * refused: FDB full, MAC limit). Returns false only when the queue is
 * full: the caller counts LEARN_QUEUE_FULL. @hash is wr_fdb_hash(@key),
 * which the caller computed for its lookup. [worker @worker]
 */
static inline bool wr_fdb_learn_request_hash(struct wr_fdb *fdb, uint16_t worker, uint64_t key,
					     uint64_t hash, uint16_t port, uint32_t gen,
					     uint32_t now_s)
{
	struct wr_fdb_lq *q = &fdb->lq[worker];
	struct wr_fdb_asked *a = &q->asked[hash >> 56 & (WR_FDB_ASKED_SIZE - 1)];
	uint32_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	if (a->key == key && a->port == port && a->gen == (uint16_t)gen && a->when_s == now_s)
		return true;
	if (head - q->tail_seen >= WR_FDB_LQ_SIZE) {
		/* Acquire: the control thread is done reading the slots it freed. */
		q->tail_seen = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (head - q->tail_seen >= WR_FDB_LQ_SIZE)
			return false;
	}
	q->ring[head & (WR_FDB_LQ_SIZE - 1)] =
		(struct wr_fdb_learn){ .key = key, .port = port, .gen = gen };
	/* Release: the request is written before the control thread sees it. */
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	*a = (struct wr_fdb_asked){ .key = key, .port = port, .gen = (uint16_t)gen,
				    .when_s = now_s };
	return true;
}

/** wr_fdb_learn_request_hash() for a key whose hash is not at hand. [worker @worker] */
static inline bool wr_fdb_learn_request(struct wr_fdb *fdb, uint16_t worker, uint64_t key,
					uint16_t port, uint32_t gen, uint32_t now_s)
{
	return wr_fdb_learn_request_hash(fdb, worker, key, wr_fdb_hash(key), port, gen, now_s);
}

/* ------------------------------------------------------------ control side */

/**
 * A table for @max entries (1..WR_FDB_MAX_ENTRIES) and @n_workers
 * (1..WR_WORKER_MAX) learn queues, reclaiming through @qsbr (whose readers
 * are the workers). NULL with errno EINVAL or ENOMEM. [control]
 */
struct wr_fdb *wr_fdb_create(uint32_t max, uint16_t n_workers, struct wr_qsbr *qsbr);
void wr_fdb_destroy(struct wr_fdb *fdb);

/** Learned MACs allowed on @port at most (0: only the table's bound). [control] */
void wr_fdb_set_port_limit(struct wr_fdb *fdb, uint16_t port, uint32_t limit);

/**
 * A new learning generation for @port (its slot emptied or filled, its
 * bridge domains changed): requests made under earlier ones are refused
 * from now on, also those already queued. Returns it, to publish with the
 * port's configuration. [control]
 */
uint32_t wr_fdb_port_renew(struct wr_fdb *fdb, uint16_t port);
/** Learned (not static) entries on @port. [control] */
uint32_t wr_fdb_port_learned(const struct wr_fdb *fdb, uint16_t port);

/**
 * Drain every worker's learn queue (and retry inserts parked for a cuckoo
 * hop): a new key is inserted (LEARNED; FDB_FULL, MAC_LIMIT when refused),
 * a key on another port moves (MAC_MOVE; a static one never does), a key on
 * the same port is refreshed. Returns the requests taken. [control]
 */
uint32_t wr_fdb_apply_learns(struct wr_fdb *fdb, uint32_t now_s);

/** Learn one (key, port) now, as if a worker had asked in the port's current generation. [control] */
void wr_fdb_learn(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t now_s);

/**
 * Add or replace a static entry (a learned one becomes static). 0, -EINVAL
 * (bad key or port), -ENOSPC (bound reached, or both buckets full), or
 * -EAGAIN (both buckets full, room being made: a worker must first pass a
 * quiescent point; try again after a tick). [control]
 */
int wr_fdb_insert_static(struct wr_fdb *fdb, uint64_t key, uint16_t port, uint32_t now_s);

/** Remove @key, static or learned: 0 or -ENOENT. [control] */
int wr_fdb_remove(struct wr_fdb *fdb, uint64_t key);

/**
 * Remove learned entries (and static ones when @all) of @port / of @bd /
 * of the whole table, each in one sweep. Returns how many. [control]
 */
uint32_t wr_fdb_purge_port(struct wr_fdb *fdb, uint16_t port, bool all);
uint32_t wr_fdb_purge_bd(struct wr_fdb *fdb, uint16_t bd, bool all);
uint32_t wr_fdb_purge_all(struct wr_fdb *fdb, bool all);
/**
 * Remove @port's entries, static ones too, whose bridge domain is not set
 * in @bds (a bitmap of WR_BD_MAX bits): it left them. How many. [control]
 */
uint32_t wr_fdb_purge_port_outside(struct wr_fdb *fdb, uint16_t port, const uint64_t *bds);

/**
 * Age learned entries not seen for more than @age_s seconds (0: never),
 * sweeping @n_buckets buckets from where the last call stopped (0: all of
 * them). Counted as AGED. Returns how many went. [control]
 */
uint32_t wr_fdb_age(struct wr_fdb *fdb, uint32_t now_s, uint32_t age_s, uint32_t n_buckets);

/**
 * Turn deleted slots every worker has passed into empty ones. Inserts reuse
 * such slots anyway; this keeps the dead count honest. Returns the slots
 * still waiting for a worker. [control]
 */
uint32_t wr_fdb_reclaim(struct wr_fdb *fdb);

/** One entry into *@out (age from @now_s): 0 or -ENOENT. [control] */
int wr_fdb_find(const struct wr_fdb *fdb, uint64_t key, uint32_t now_s, struct wr_fdb_entry *out);

/** Call @fn for every entry, in table order: the count, or the first negative @fn returned. [control] */
int wr_fdb_walk(const struct wr_fdb *fdb, uint32_t now_s,
		int (*fn)(const struct wr_fdb_entry *e, void *arg), void *arg);

/** Live entries (static and learned). [control] */
static inline uint32_t wr_fdb_n_entries(const struct wr_fdb *fdb)
{
	return fdb->count;
}

/** Add the table's event counters into @events[WR_EVENT_COUNT]. [control] */
void wr_fdb_events(const struct wr_fdb *fdb, uint64_t *events);

/** Requests waiting in every learn queue. [control] */
uint32_t wr_fdb_learn_pending(const struct wr_fdb *fdb);

#endif /* WR_FDB_PRIV_H */
