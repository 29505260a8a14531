/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_drivers.h - what drivers/ offers: port backends behind
 * struct wr_port_ops (dataplane/wr_dataplane.h).
 *
 * ring: in-memory ports for tests and benchmarks. Ports made from one pool
 * share its buffers, so forwarding between them moves descriptors only, as
 * AF_XDP ports sharing a UMEM do. The test or bench side injects frames
 * into a port's receive ring and collects what the switch sent.
 */
#ifndef WR_DRIVERS_H
#define WR_DRIVERS_H

#include <stdbool.h>
#include <stdint.h>

#include "wr_dataplane.h"

extern const struct wr_port_ops wr_ring_ops;

struct wr_ring_pool;

/** A pool of @n_bufs buffers of WR_HEADROOM + @buf_size bytes. NULL on ENOMEM/EINVAL. */
struct wr_ring_pool *wr_ring_pool_create(uint32_t n_bufs, uint16_t buf_size);
/** Free the pool; every port made from it must be closed first. */
void wr_ring_pool_destroy(struct wr_ring_pool *pool);
/** Buffers not in use (on the shared stack and in the queue caches). */
uint32_t wr_ring_pool_free_count(const struct wr_ring_pool *pool);

/**
 * A port on @pool whose receive and send rings hold @ring_size frames each
 * (a power of two). The receive ring is single-producer (the test side),
 * single-consumer (queue 0's worker); every worker queue has its own send
 * ring. NULL on ENOMEM/EINVAL.
 */
struct wr_port *wr_ring_port_create(struct wr_ring_pool *pool, const char *name,
				    uint32_t ring_size);

/** Copy @len bytes of @frame into a pool buffer and queue it for rx. 0, -ENOBUFS, -EMSGSIZE. */
int wr_ring_inject(struct wr_port *port, const void *frame, uint16_t len);

/**
 * Take the oldest frame sent on @port (any queue, queue order), copy at
 * most @size bytes to @buf and free its buffer. The frame's length, or -1
 * when nothing was sent.
 */
int wr_ring_collect(struct wr_port *port, void *buf, uint16_t size);

/** Frames waiting to be collected on @port. */
uint32_t wr_ring_pending(const struct wr_port *port);

/** Carrier of @port (up at creation). */
void wr_ring_set_link(struct wr_port *port, bool up);

/**
 * Bench mode: rx_burst produces copies of @frames (cycled) forever instead
 * of reading the receive ring, and tx_burst frees what it is given after
 * counting it (wr_ring_sent()), so a loop measures the switch, not a
 * generator. @frames stay the caller's until replay is turned off (n = 0).
 */
void wr_ring_replay(struct wr_port *port, const uint8_t *const *frames, const uint16_t *lens,
		    uint32_t n);
/**
 * With replay: overwrite the last three bytes of the destination MAC with
 * a counter cycling through @n_macs values (02:00:00:mm:mm:mm when the
 * frames say so), and the source's with the same counter, or, with
 * @churn, with a value that changes every frame.
 */
void wr_ring_replay_macs(struct wr_port *port, uint32_t n_macs, bool churn);
void wr_ring_sink(struct wr_port *port, bool sink);
uint64_t wr_ring_sent(const struct wr_port *port);

#endif /* WR_DRIVERS_H */
