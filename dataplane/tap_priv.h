/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tap_priv.h - port mirrors and captures as workers see them (dataplane/
 * only; docs/capture.md).
 *
 * One table, published whole by the control thread (tap.c) as every other
 * table is, says per port which mirrors and captures see what it receives
 * and what it sends. A worker loads the pointer once per pass; NULL (no
 * mirror, no capture) costs that load and one test per vector, and one
 * test per output burst. The hooks themselves (stage_tap.c) are out of
 * line.
 *
 * A capture's frames go through one ring per worker: single producer (the
 * worker), single consumer (the control thread). A full ring drops the
 * record and counts it; the worker never waits.
 */
#ifndef WR_TAP_PRIV_H
#define WR_TAP_PRIV_H

#include "switch_priv.h"

/* Bits of tap_table.rx[] and tx[]: mirror i is bit i, capture j bit TAP_CAP_BIT + j. */
#define TAP_CAP_BIT	WR_MIRROR_MAX
_Static_assert(WR_MIRROR_MAX + WR_CAPTURE_MAX <= 32, "a port's taps are bits of a uint32_t");

struct cap_slot {
	uint64_t ts_ns;
	uint32_t orig_len;
	uint16_t cap_len, arg;
	uint8_t verdict;	/* enum wr_capture_verdict */
	uint8_t data[WR_CAPTURE_SNAP];
};

struct cap_ring {
	_Atomic uint32_t head __attribute__((aligned(WR_CACHE_LINE)));	/* the worker's */
	_Atomic uint64_t dropped;	/* written by the worker only (relaxed) */
	_Atomic uint32_t tail __attribute__((aligned(WR_CACHE_LINE)));	/* the control thread's */
	struct cap_slot slots[WR_CAPTURE_SLOTS] __attribute__((aligned(WR_CACHE_LINE)));
};

struct tap_table {
	uint32_t rx[WR_PORT_MAX], tx[WR_PORT_MAX];
	uint16_t mirror_to[WR_MIRROR_MAX];
	struct cap_ring *const *cap[WR_CAPTURE_MAX];	/* a capture's rings, by worker id */
};

/*
 * The frames this pass received, after the bridge stage (@pkts with their
 * out_port, and the stages' drops parked in w->stage): copied to mirrors,
 * recorded for captures. [worker]
 */
void wr_tap_rx(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n);

/* Frames about to leave by @port in one tx_burst: the same for what it sends. [worker] */
void wr_tap_tx(struct wr_worker *w, uint16_t port, struct wr_pkt **pkts, uint16_t n);

/* Free the tables and rings (the switch is being destroyed). [control] */
void wr_tap_free(struct wr_switch *sw);

#endif /* WR_TAP_PRIV_H */
