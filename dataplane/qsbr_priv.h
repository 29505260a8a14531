/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qsbr_priv.h - quiescent-state-based reclamation (dataplane/ only).
 *
 * Workers read shared tables without locks; the control thread must not
 * reuse memory a worker may still be reading. QSBR (the idea of DPDK's
 * rte_rcu_qsbr and of userspace RCU's QSBR flavour) answers "may I reuse it
 * now?" without the readers doing anything per packet:
 *
 *  - A global epoch, only ever advanced by the writer (the control thread).
 *    The writer unpublishes something, then wr_qsbr_start() advances the
 *    epoch and hands back the new value as a token.
 *  - Each reader (worker) has a counter on its own cache line. At a
 *    quiescent point, where it holds no pointer into a shared table (once
 *    per poll, between two vectors), it copies the epoch into its counter:
 *    one load and one store, wr_qsbr_quiescent().
 *  - A reader whose counter is >= token has read the epoch after the writer
 *    unpublished, so it cannot see the old thing any more. When every
 *    online reader is there, wr_qsbr_check() says yes and the writer reuses
 *    the memory. Nobody waits: the writer asks again on a later tick.
 *  - An idle reader goes offline (counter 0) so it does not hold reclamation
 *    up, and back online before it touches a shared table again.
 *
 * Ordering: the writer's unpublish happens before its epoch increment
 * (seq_cst); a reader's table loads happen before its counter store
 * (release). Going online is a store followed by a full fence, so a writer
 * that still saw the reader offline has made its unpublish visible before
 * the reader's first table load (the Dekker pattern DPDK uses too).
 *
 * Threads: one writer (the control thread) calls start/check/safe; reader
 * @id is used by one worker thread at a time.
 */
#ifndef WR_QSBR_PRIV_H
#define WR_QSBR_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "wr_dataplane.h"

#define WR_QSBR_OFFLINE 0	/* a reader counter's value while offline */

/* One reader's counter, alone on its cache line. */
struct wr_qsbr_reader {
	_Alignas(WR_CACHE_LINE) _Atomic uint64_t cnt;	/* last epoch seen, or WR_QSBR_OFFLINE */
};

struct wr_qsbr {
	/* Read by every reader once per poll, written once per writer batch. */
	_Alignas(WR_CACHE_LINE) _Atomic uint64_t epoch;	/* starts at 1, never 0 */
	uint16_t n_readers;				/* ids 0..n_readers-1 */
	struct wr_qsbr_reader readers[WR_WORKER_MAX];
};

/** Make a QSBR domain for @n_readers (1..WR_WORKER_MAX) readers, all offline.
 *  NULL with errno EINVAL or ENOMEM. [control] */
struct wr_qsbr *wr_qsbr_create(uint16_t n_readers);
void wr_qsbr_destroy(struct wr_qsbr *q);

/**
 * Reader @id passed a quiescent state: it holds no reference into any
 * table this domain protects. The hot path's only QSBR cost. [worker @id]
 */
static inline void wr_qsbr_quiescent(struct wr_qsbr *q, uint16_t id)
{
	uint64_t e = atomic_load_explicit(&q->epoch, memory_order_acquire);

	atomic_store_explicit(&q->readers[id].cnt, e, memory_order_release);
}

/** Reader @id starts reading (counted from now on). [worker @id] */
void wr_qsbr_online(struct wr_qsbr *q, uint16_t id);
/** Reader @id stops reading until wr_qsbr_online(): idle, stopping. [worker @id] */
void wr_qsbr_offline(struct wr_qsbr *q, uint16_t id);

/**
 * Advance the epoch after unpublishing something; returns the token to
 * check. Call it after the unpublishing stores. [control]
 */
uint64_t wr_qsbr_start(struct wr_qsbr *q);

/** The epoch now (the token a start() before now returned, at most). [any] */
static inline uint64_t wr_qsbr_epoch(const struct wr_qsbr *q)
{
	return atomic_load_explicit(&q->epoch, memory_order_acquire);
}

/**
 * The largest token every online reader has passed: the smallest counter
 * of an online reader, or the epoch when all are offline. Every token
 * <= this value is safe to reclaim. [control]
 */
uint64_t wr_qsbr_safe(struct wr_qsbr *q);

/** true when every online reader has passed @token; never blocks. [control] */
static inline bool wr_qsbr_check(struct wr_qsbr *q, uint64_t token)
{
	return token <= wr_qsbr_safe(q);
}

#endif /* WR_QSBR_PRIV_H */
