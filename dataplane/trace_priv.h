/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_priv.h - an armed trace as workers see it (dataplane/ only).
 *
 * The control thread makes one struct wr_trace per trace and publishes it
 * in sw->trace with a release store; stopping clears the pointer and frees
 * the trace after a grace period (wr_qsbr), so a worker may use what it
 * loaded until its pass ends. Each worker writes its records into its own
 * ring (one producer, the control thread the one consumer): a full ring
 * loses the record and counts it, never waits.
 *
 * A worker pays for tracing only while one is armed: wr_worker_poll()
 * tests sw->trace once per pass, relaxed; with a trace it runs the pass's
 * traced copy (worker.c), which holds the traced port's frames out of the
 * vector and gives them to wr_trace_pass() after the vector's pass.
 */
#ifndef WR_TRACE_PRIV_H
#define WR_TRACE_PRIV_H

#include "chain_priv.h"

struct trace_ring {
	_Atomic uint32_t head;		/* the worker's: records written */
	_Atomic uint32_t tail;		/* the control thread's: records taken */
	_Atomic uint64_t overflow;	/* records lost to a full ring */
	struct wr_trace_rec rec[WR_TRACE_RING];
} __attribute__((aligned(WR_CACHE_LINE)));

enum { INJECT_NONE, INJECT_PENDING, INJECT_DONE };

struct wr_trace {
	uint16_t port;
	uint16_t count;
	bool any;			/* no filter: every frame */
	struct wr_chain_words cls;		/* the filter, compiled as a chain's classifier */
	_Atomic uint32_t taken;		/* frames the workers chose to record, all together */
	/* A synthetic frame: run once by the worker of its port, on a worker of its own (dry). */
	_Atomic int inject;		/* INJECT_* */
	uint16_t frame_len;
	uint8_t frame[WR_TRACE_FRAME_MAX];
	struct wr_worker *dry;		/* counts what the dry run would count, apart */
	struct wr_port sink[WR_PORT_MAX];	/* the ports as the dry run sees them: nothing sent */
	/* The control thread's: the records taken from the rings. */
	uint16_t n_got;
	struct wr_trace_rec got[WR_TRACE_MAX];
	uint16_t n_rings;
	struct trace_ring ring[];	/* one per worker */
};

/* Whether frames of port @idx are to be held for @t (its count not reached yet). [worker] */
static inline bool wr_trace_wants(const struct wr_trace *t, uint16_t idx)
{
	return idx == t->port && !t->frame_len &&
	       atomic_load_explicit(&t->taken, memory_order_relaxed) < t->count;
}

/**
 * After a pass with trace @t armed: @held (@n frames of the traced port,
 * received but not yet through any stage) one by one through every
 * stage, those the filter takes recorded; then @t's synthetic frame, when
 * it is this worker's to run. [worker]
 */
void wr_trace_pass(struct wr_worker *w, struct wr_trace *t, struct wr_pkt **held, uint16_t n);

#endif /* WR_TRACE_PRIV_H */
