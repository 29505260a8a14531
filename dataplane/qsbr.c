/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qsbr.c - quiescent-state-based reclamation: the epoch, reader counters
 * and the writer's non-blocking check. The protocol is in qsbr_priv.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qsbr_priv.h"

struct wr_qsbr *wr_qsbr_create(uint16_t n_readers)
{
	struct wr_qsbr *q;

	if (n_readers == 0 || n_readers > WR_WORKER_MAX) {
		errno = EINVAL;
		return NULL;
	}
	q = aligned_alloc(WR_CACHE_LINE, sizeof(*q));
	if (!q) {
		errno = ENOMEM;
		return NULL;
	}
	memset(q, 0, sizeof(*q));
	q->n_readers = n_readers;
	atomic_init(&q->epoch, 1);
	for (uint16_t i = 0; i < WR_WORKER_MAX; i++)
		atomic_init(&q->readers[i].cnt, WR_QSBR_OFFLINE);
	return q;
}

void wr_qsbr_destroy(struct wr_qsbr *q)
{
	free(q);
}

void wr_qsbr_online(struct wr_qsbr *q, uint16_t id)
{
	uint64_t e = atomic_load_explicit(&q->epoch, memory_order_acquire);

	atomic_store_explicit(&q->readers[id].cnt, e, memory_order_relaxed);
	/*
	 * The counter must be visible before this reader's first table load:
	 * otherwise a writer could still see it offline, reuse a slot, and the
	 * reader read that slot mid-reuse. Pairs with the fence in safe().
	 */
	atomic_thread_fence(memory_order_seq_cst);
}

void wr_qsbr_offline(struct wr_qsbr *q, uint16_t id)
{
	/* Release: every table load of this reader happens before. */
	atomic_store_explicit(&q->readers[id].cnt, WR_QSBR_OFFLINE, memory_order_release);
}

uint64_t wr_qsbr_start(struct wr_qsbr *q)
{
	/* seq_cst: the unpublishing stores before it are ordered before. */
	return atomic_fetch_add_explicit(&q->epoch, 1, memory_order_seq_cst) + 1;
}

uint64_t wr_qsbr_safe(struct wr_qsbr *q)
{
	uint64_t min;

	/* Pairs with the fence in online(): see qsbr_priv.h. */
	atomic_thread_fence(memory_order_seq_cst);
	min = atomic_load_explicit(&q->epoch, memory_order_acquire);
	for (uint16_t i = 0; i < q->n_readers; i++) {
		uint64_t c = atomic_load_explicit(&q->readers[i].cnt, memory_order_acquire);

		if (c != WR_QSBR_OFFLINE && c < min)
			min = c;
	}
	return min;
}
