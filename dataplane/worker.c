/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * worker.c - one worker's pass: a burst from each of its ports into one
 * vector, parse → bridge (and steer) → output, the dropped frames freed in bursts, and
 * a quiescent point for the control thread's reclamation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"
#include "tap_priv.h"
#include "tunnel_priv.h"

struct wr_worker *wr_worker_create(struct wr_switch *sw, uint16_t id)
{
	struct rx_list *rx;
	struct wr_worker *w;

	if (id >= sw->conf.n_workers || sw->workers[id]) {
		errno = EINVAL;
		return NULL;
	}
	w = wr_zalloc_aligned(sizeof(*w));
	rx = calloc(1, sizeof(*rx));
	if (!w || !rx) {
		free(w);
		free(rx);
		errno = ENOMEM;
		return NULL;
	}
	w->sw = sw;
	w->id = id;
	/* Not 0: wr_port_usable()'s answers, all of generation 0, are not asked yet. */
	w->gen = 1;
	w->stage.drops = w->drops;
	w->stage.events = w->events;
	w->stage.dropped = w->dropped;
	atomic_init(&w->rx, rx);
	sw->workers[id] = w;
	wr_qsbr_online(sw->qsbr, id);
	return w;
}

void wr_worker_destroy(struct wr_worker *w)
{
	if (!w)
		return;
	wr_qsbr_offline(w->sw->qsbr, w->id);
	w->sw->workers[w->id] = NULL;
	free((void *)atomic_load(&w->rx));
	free(w);
}

int wr_worker_add_port(struct wr_worker *w, uint16_t index)
{
	const struct rx_list *old = atomic_load(&w->rx);
	struct rx_list *rx;

	if (index >= WR_PORT_MAX || !atomic_load(&w->sw->ports[index].port))
		return -ENOENT;
	for (uint16_t i = 0; i < old->n; i++)
		if (old->ports[i] == index)
			return -EEXIST;
	rx = malloc(sizeof(*rx) + (old->n + 1u) * sizeof(rx->ports[0]));
	if (!rx)
		return -ENOMEM;
	memcpy(rx->ports, old->ports, old->n * sizeof(rx->ports[0]));
	rx->ports[old->n] = index;
	rx->n = old->n + 1;
	w->sw->ports[index].worker = w->id;
	atomic_store_explicit(&w->rx, rx, memory_order_release);
	wr_switch_defer_free(w->sw, (void *)old);
	return 0;
}

void wr_worker_park(struct wr_worker *w)
{
	wr_qsbr_offline(w->sw->qsbr, w->id);
}

void wr_worker_unpark(struct wr_worker *w)
{
	wr_qsbr_online(w->sw->qsbr, w->id);
}

/* Remove @index from @w's ports (the control thread, deleting the port). */
int wr_worker_remove_port(struct wr_worker *w, uint16_t index)
{
	const struct rx_list *old = atomic_load(&w->rx);
	struct rx_list *rx;
	uint16_t n = 0;

	rx = malloc(sizeof(*rx) + old->n * sizeof(rx->ports[0]));
	if (!rx)
		return -ENOMEM;
	for (uint16_t i = 0; i < old->n; i++)
		if (old->ports[i] != index)
			rx->ports[n++] = old->ports[i];
	rx->n = n;
	atomic_store_explicit(&w->rx, rx, memory_order_release);
	wr_switch_defer_free(w->sw, (void *)old);
	return 0;
}

void wr_worker_free_dropped(struct wr_worker *w)
{
	struct wr_pkt **d = w->stage.dropped;
	uint16_t n = w->stage.n_dropped;

	for (uint16_t i = 0; i < n;) {
		uint16_t port = d[i]->in_port, j = i + 1;
		struct wr_port *wp = w->in_ptr[port];

		while (j < n && d[j]->in_port == port)
			j++;
		w->ports[port].s.drops += j - i;
		wp->ops->free(wp, w->id, d + i, j - i);
		i = j;
	}
	w->stage.n_dropped = 0;
}

uint16_t wr_worker_decap(struct wr_worker *w, uint16_t idx, struct wr_pkt **pkts, uint16_t n)
{
	struct wr_switch *sw = w->sw;
	uint8_t tun = atomic_load_explicit(&sw->ports[idx].tun, memory_order_relaxed);
	struct sw_tunnel *t = tun ? atomic_load_explicit(&sw->tunnels[tun - 1],
							       memory_order_acquire) : NULL;

	return t ? wr_stage_decap(w, t, pkts, n) : n;
}

/*
 * The pass, made twice (as the bridge stage is): without a trace (@t
 * NULL) it has no trace code at all. With one, the traced port's frames
 * are held out of the vector and go through the stages one by one after
 * it (trace.c), and a synthetic frame may be run.
 */
static inline __attribute__((always_inline)) uint32_t
poll_pass(struct wr_worker *w, uint32_t now_s, struct wr_trace *t)
{
	struct wr_switch *sw = w->sw;
	const struct rx_list *rx = atomic_load_explicit(&w->rx, memory_order_acquire);
	uint16_t used = 0, n = 0;	/* descriptors filled; frames in the vector */
	struct wr_pkt *held[WR_BURST];
	uint16_t n_held = 0;

	w->now_s = now_s;
	/* Mirrors and captures: one load and one test a pass when there are none. */
	w->taps = atomic_load_explicit(&sw->taps, memory_order_acquire);
	w->tap_ts_ns = 0;
	for (uint16_t i = 0; i < rx->n && used < WR_VEC_MAX; i++) {
		uint16_t idx = rx->ports[i], got, room = WR_VEC_MAX - used;
		struct wr_port *wp = atomic_load_explicit(&sw->ports[idx].port, memory_order_acquire);
		struct port_ctr *ctr = &w->ports[idx];

		if (!wp || !atomic_load_explicit(&sw->ports[idx].up, memory_order_relaxed))
			continue;
		got = wp->ops->rx_burst(wp, w->id, &w->pkts[used], room < WR_BURST ? room : WR_BURST);
		w->in_ptr[idx] = wp;
		for (uint16_t j = 0; j < got; j++) {
			w->pkts[used + j].in_port = idx;
			w->vec[n + j] = &w->pkts[used + j];
			ctr->s.rx_bytes += w->pkts[used + j].len;
		}
		ctr->s.rx_pkts += got;
		used += got;
		if (t && got && wr_trace_wants(t, idx)) {
			for (uint16_t j = 0; j < got; j++)
				held[j] = w->vec[n + j];
			n_held = got;
			continue;
		}
		/*
		 * A tunnel's underlay: its frames go on as their inner frames or
		 * are dropped (their descriptors stay taken until then).
		 */
		if (__builtin_expect(atomic_load_explicit(&sw->ports[idx].tun,
							  memory_order_relaxed), 0) && got)
			got = wr_worker_decap(w, idx, &w->vec[n], got);
		n += got;
	}
	if (n) {
		uint16_t m;

		/* Ports' states asked anew this pass (the chains' hops before the output's). */
		w->gen++;
		m = wr_stage_parse(&w->stage, w->vec, n);
		m = wr_stage_bridge(w, w->vec, m);
		if (__builtin_expect(w->taps != NULL, 0))
			wr_tap_rx(w, w->vec, m);
		wr_worker_free_dropped(w);
		wr_stage_output(w, w->vec, m);
	} else {
		if (w->stage.n_dropped)
			wr_worker_free_dropped(w);
		/* Frames kept for a VTEP's next hop go, or expire, without new ones. */
		if (w->n_nh_wait)
			wr_stage_output(w, w->vec, 0);
	}
	if (t)
		wr_trace_pass(w, t, held, n_held);
	wr_qsbr_quiescent(sw->qsbr, w->id);
	return used;
}

static __attribute__((noinline)) uint32_t poll_traced(struct wr_worker *w, uint32_t now_s)
{
	return poll_pass(w, now_s, atomic_load_explicit(&w->sw->trace, memory_order_acquire));
}

uint32_t wr_worker_poll(struct wr_worker *w, uint32_t now_s)
{
	/* The one test tracing costs when off: a relaxed load and a branch per pass. */
	if (__builtin_expect(atomic_load_explicit(&w->sw->trace, memory_order_relaxed) != NULL, 0))
		return poll_traced(w, now_s);
	return poll_pass(w, now_s, NULL);
}

void wr_worker_counters(const struct wr_worker *w, uint64_t *drops, uint64_t *events)
{
	for (int i = 0; i < WR_DROP_COUNT; i++)
		drops[i] += w->drops[i];
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		events[i] += w->events[i];
}

void wr_worker_port_stats(const struct wr_worker *w, uint16_t index, struct wr_port_stats *st)
{
	const struct wr_port_stats *s = &w->ports[index].s;

	st->rx_pkts += s->rx_pkts;
	st->rx_bytes += s->rx_bytes;
	st->tx_pkts += s->tx_pkts;
	st->tx_bytes += s->tx_bytes;
	st->drops += s->drops;
	st->copies += s->copies;
}
