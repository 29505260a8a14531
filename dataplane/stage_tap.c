/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_tap.c - the workers' side of mirrors and captures (tap_priv.h).
 *
 * A mirror's copy is made in a buffer of the destination port's pool and
 * sent with the other copies for that port in one tx_burst on this
 * worker's queue: what the port does not take (its ring full: a slow
 * reader) is freed and counted as the mirror's drop, at once. A capture's
 * record is a copy into the worker's ring of that capture; a full ring is
 * a counted drop. Neither waits, neither touches the original frame.
 */
#include <string.h>
#include <time.h>

#include "tap_priv.h"

/* Send the copies waiting for w->tap_to; what it does not take is the mirror's drop. */
static void mirror_flush(struct wr_worker *w)
{
	struct wr_port *wp;
	uint16_t sent = 0, n = w->tap_n;

	if (!n)
		return;
	w->tap_n = 0;
	/* Asked in this pass already when the copies were made: the answer is kept. */
	wr_port_usable(w, w->tap_to, &wp);
	sent = wp->ops->tx_burst(wp, w->id, w->tap_q, n);
	for (uint16_t i = 0; i < sent; i++)
		w->ports[w->tap_to].s.tx_bytes += w->tap_q[i]->len;
	w->ports[w->tap_to].s.tx_pkts += sent;
	w->mirror_copied[w->tap_mirror] += sent;
	if (sent < n) {
		w->mirror_dropped[w->tap_mirror] += n - sent;
		wp->ops->free(wp, w->id, w->tap_q + sent, n - sent);
	}
}

static void mirror_copy(struct wr_worker *w, uint8_t m, const struct wr_pkt *p)
{
	uint16_t to = w->taps->mirror_to[m];
	struct wr_pkt *c;
	struct wr_port *wp;
	uint64_t cookie;
	uint8_t *data;

	if (w->tap_n && (w->tap_to != to || w->tap_mirror != m || w->tap_n == WR_BURST))
		mirror_flush(w);
	if (!wr_port_usable(w, to, &wp) || p->len > wp->buf_size) {
		w->mirror_dropped[m]++;
		return;
	}
	c = &w->tap_desc[w->tap_n];
	if (wp->ops->alloc(wp, w->id, &c, 1) != 1) {
		w->mirror_dropped[m]++;
		return;
	}
	data = c->data;
	cookie = c->cookie;
	memcpy(data, p->data, p->len);
	*c = *p;
	c->data = data;
	c->cookie = cookie;
	c->out_port = to;
	w->tap_to = to;
	w->tap_mirror = m;
	w->tap_q[w->tap_n++] = c;
}

/* Ports a frame of @p's domain floods to, besides its own. */
static uint16_t flood_ports(const struct wr_worker *w, const struct wr_pkt *p)
{
	const struct flood_set *fs = atomic_load_explicit(&w->sw->flood[p->bd],
							  memory_order_acquire);
	uint16_t n = 0;

	for (uint16_t i = 0; fs && i < fs->n; i++)
		n += fs->ports[i] != p->in_port;
	return n;
}

static void capture(struct wr_worker *w, uint8_t c, const struct wr_pkt *p, uint8_t verdict)
{
	struct cap_ring *r = w->taps->cap[c][w->id];
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	struct cap_slot *s;

	if (head - atomic_load_explicit(&r->tail, memory_order_acquire) >= WR_CAPTURE_SLOTS) {
		atomic_store_explicit(&r->dropped,
				      atomic_load_explicit(&r->dropped, memory_order_relaxed) + 1,
				      memory_order_relaxed);
		return;
	}
	if (!w->tap_ts_ns) {
		struct timespec ts;

		/* Once a pass: the vDSO's clock, no system call. */
		clock_gettime(CLOCK_REALTIME, &ts);
		w->tap_ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	s = &r->slots[head % WR_CAPTURE_SLOTS];
	s->ts_ns = w->tap_ts_ns;
	s->orig_len = p->len;
	s->cap_len = p->len < WR_CAPTURE_SNAP ? p->len : WR_CAPTURE_SNAP;
	s->verdict = verdict;
	switch (verdict) {
	case WR_CAP_DROP:
		s->arg = p->drop;
		break;
	case WR_CAP_FLOOD:
		s->arg = flood_ports(w, p);
		break;
	case WR_CAP_TO_PORT:
		s->arg = p->out_port;
		break;
	default:
		s->arg = 0;
	}
	memcpy(s->data, p->data, s->cap_len);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
}

static void tap_frame(struct wr_worker *w, uint32_t bits, const struct wr_pkt *p, uint8_t verdict)
{
	while (bits) {
		unsigned int b = (unsigned int)__builtin_ctz(bits);

		bits &= bits - 1;
		if (b < TAP_CAP_BIT)
			mirror_copy(w, (uint8_t)b, p);
		else
			capture(w, (uint8_t)(b - TAP_CAP_BIT), p, verdict);
	}
}

static uint8_t rx_verdict(const struct wr_pkt *p)
{
	return p->out_port == WR_OUT_DROP ? WR_CAP_DROP :
	       p->out_port == WR_OUT_FLOOD ? WR_CAP_FLOOD : WR_CAP_TO_PORT;
}

void wr_tap_rx(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n)
{
	const struct tap_table *t = w->taps;
	struct wr_pkt **d = w->stage.dropped;

	for (uint16_t i = 0; i < w->stage.n_dropped; i++)
		if (t->rx[d[i]->in_port])
			tap_frame(w, t->rx[d[i]->in_port], d[i], WR_CAP_DROP);
	for (uint16_t i = 0; i < n; i++)
		if (t->rx[pkts[i]->in_port])
			tap_frame(w, t->rx[pkts[i]->in_port], pkts[i], rx_verdict(pkts[i]));
	mirror_flush(w);
}

void wr_tap_tx(struct wr_worker *w, uint16_t port, struct wr_pkt **pkts, uint16_t n)
{
	uint32_t bits = w->taps->tx[port];

	if (!bits)
		return;
	for (uint16_t i = 0; i < n; i++)
		tap_frame(w, bits, pkts[i], WR_CAP_TX);
	mirror_flush(w);
}
