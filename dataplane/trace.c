/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.c - following frames through the stages (docs/trace.md).
 *
 * A traced frame goes through the very stages every frame does, alone (a
 * vector of one): decap (a tunnel's underlay), parse, bridge (with steer
 * and chains), output. Nothing in the stages knows it is traced; what each
 * did is read off the frame between them (its bridge domain, VLAN, verdict,
 * drop reason), off the tables they read (the FDB, the steering and chain
 * tables, looked at again, never written), and off the worker's counters
 * around the output stage (which ports' tx grew, which drop reasons).
 *
 * A synthetic frame runs dry: on a worker of its own (struct wr_trace.dry,
 * with the real worker's queue id, on the real worker's thread), whose
 * counters nobody sums and which asks nothing to be learned; its output
 * stage sees every port through a sink that frees what it is given
 * (struct wr_trace.sink), so nothing leaves. The stages run unchanged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace_priv.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------ the control thread */

int wr_trace_start(struct wr_switch *sw, const struct wr_trace_conf *c)
{
	uint16_t n = sw->conf.n_workers;
	struct wr_trace *t;

	if (atomic_load(&sw->trace))
		return -EBUSY;
	if (c->port >= WR_PORT_MAX || !atomic_load(&sw->ports[c->port].port))
		return -ENOENT;
	if (c->count < 1 || c->count > WR_TRACE_MAX || (c->filter.fields & WR_CHAIN_F_IN_PORT) ||
	    (c->frame_len && (c->frame_len < 14 || c->frame_len > WR_TRACE_FRAME_MAX)))
		return -EINVAL;
	t = wr_zalloc_aligned(sizeof(*t) + n * sizeof(t->ring[0]));
	if (!t)
		return -ENOMEM;
	t->port = c->port;
	t->count = c->frame_len ? 1 : c->count;
	t->any = c->filter.fields == 0;
	if (!t->any)
		wr_chain_compile(&c->filter, &t->cls);
	t->n_rings = n;
	if (c->frame_len) {
		struct wr_worker *d = wr_zalloc_aligned(sizeof(*d));

		if (!d) {
			free(t);
			return -ENOMEM;
		}
		d->sw = sw;
		d->id = sw->ports[c->port].worker;	/* its queues, on its thread */
		d->gen = 1;
		d->dry = true;
		d->stage.drops = d->drops;
		d->stage.events = d->events;
		d->stage.dropped = d->dropped;
		t->dry = d;
		t->frame_len = c->frame_len;
		memcpy(t->frame, c->frame, c->frame_len);
		atomic_store(&t->inject, INJECT_PENDING);
	}
	atomic_store_explicit(&sw->trace, t, memory_order_release);
	return 0;
}

int wr_trace_collect(struct wr_switch *sw, const struct wr_trace_rec **recs, uint64_t *overflow)
{
	struct wr_trace *t = atomic_load(&sw->trace);

	if (!t)
		return -ENOENT;
	*overflow = 0;
	for (uint16_t i = 0; i < t->n_rings; i++) {
		struct trace_ring *g = &t->ring[i];
		uint32_t tail = atomic_load_explicit(&g->tail, memory_order_relaxed);
		uint32_t head = atomic_load_explicit(&g->head, memory_order_acquire);

		for (; tail != head && t->n_got < t->count; tail++)
			t->got[t->n_got++] = g->rec[tail % WR_TRACE_RING];
		atomic_store_explicit(&g->tail, head, memory_order_release);
		*overflow += atomic_load_explicit(&g->overflow, memory_order_relaxed);
	}
	*recs = t->got;
	return t->n_got;
}

void wr_trace_stop(struct wr_switch *sw)
{
	struct wr_trace *t = atomic_exchange(&sw->trace, NULL);

	if (!t)
		return;
	/* A worker may still be in a pass with it: freed after the grace period. */
	wr_switch_defer_free(sw, t->dry);
	wr_switch_defer_free(sw, t);
}

/* -------------------------------------------------------------- the dry run's ports */

static struct wr_port *real_of(const struct wr_port *s)
{
	return s->priv;
}

/* Nothing leaves: what the output stage sends is freed, as if the port had taken it. */
static uint16_t sink_tx(struct wr_port *s, uint16_t q, struct wr_pkt **pkts, uint16_t n)
{
	real_of(s)->ops->free(real_of(s), q, pkts, n);
	return n;
}

static uint16_t sink_alloc(struct wr_port *s, uint16_t q, struct wr_pkt **pkts, uint16_t n)
{
	return real_of(s)->ops->alloc(real_of(s), q, pkts, n);
}

static void sink_free(struct wr_port *s, uint16_t q, struct wr_pkt **pkts, uint16_t n)
{
	real_of(s)->ops->free(real_of(s), q, pkts, n);
}

static bool sink_link_up(const struct wr_port *s)
{
	return real_of(s)->ops->link_up(real_of(s));
}

static const struct wr_port_ops sink_ops = {
	.kind = "trace-sink",
	.tx_burst = sink_tx,
	.alloc = sink_alloc,
	.free = sink_free,
	.link_up = sink_link_up,
};

/*
 * Before the dry run's output stage: every port it may ask for (once per
 * pass, wr_port_usable(), the pass being the stage's next generation) is
 * its sink; a tunnel's underlay, which the encap reaches without asking,
 * has its queue taken by its sink, so that it is never listed to flush.
 */
static void sinks_arm(struct wr_worker *d, struct wr_trace *t)
{
	struct wr_switch *sw = d->sw;

	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		struct wr_port *real = atomic_load_explicit(&sw->ports[i].port, memory_order_acquire);
		struct wr_port *s = &t->sink[i];

		d->usable_gen[i] = d->gen + 1;
		d->usable[i] = NULL;
		if (!real)
			continue;
		*s = *real;
		s->ops = &sink_ops;
		s->priv = real;
		if (atomic_load_explicit(&sw->ports[i].up, memory_order_relaxed) &&
		    real->ops->link_up(real))
			d->usable[i] = s;
		if (atomic_load_explicit(&sw->ports[i].tun, memory_order_relaxed))
			d->txq[i].port = s;
	}
}

/* After it: what the underlays' queues hold is "sent" (counted, freed), their queues free again. */
static void sinks_drain(struct wr_worker *d)
{
	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		struct wr_txq *q = &d->txq[i];

		if (!atomic_load_explicit(&d->sw->ports[i].tun, memory_order_relaxed) || !q->port)
			continue;
		if (q->n) {
			for (uint16_t j = 0; j < q->n; j++)
				d->ports[i].s.tx_bytes += q->pkts[j]->len;
			d->ports[i].s.tx_pkts += q->n;
			sink_tx(q->port, d->id, q->pkts, q->n);
		}
		q->n = 0;
		q->port = NULL;
	}
}

/* ------------------------------------------------------------------ recording */

/* Into worker @id's ring; a full ring counts the record lost. */
static void put(struct wr_trace *t, uint16_t id, const struct wr_trace_rec *r)
{
	struct trace_ring *g = &t->ring[id];
	uint32_t head = atomic_load_explicit(&g->head, memory_order_relaxed);

	if (head - atomic_load_explicit(&g->tail, memory_order_acquire) == WR_TRACE_RING) {
		atomic_fetch_add_explicit(&g->overflow, 1, memory_order_relaxed);
		return;
	}
	g->rec[head % WR_TRACE_RING] = *r;
	atomic_store_explicit(&g->head, head + 1, memory_order_release);
}

/* One more of the frames to record, unless there are enough already. */
static bool choose(struct wr_trace *t)
{
	return atomic_fetch_add_explicit(&t->taken, 1, memory_order_relaxed) < t->count;
}

/* The bridge's findings for @p, which it kept (its source, destination, rule, chain). */
static void note_bridge(struct wr_worker *x, const struct wr_pkt *p, uint16_t in,
			struct wr_trace_rec *r)
{
	struct wr_switch *sw = x->sw;
	const struct chain_table *ct = atomic_load_explicit(&sw->chains, memory_order_acquire);
	const struct steer_table *st = atomic_load_explicit(&sw->steer, memory_order_acquire);
	const struct sw_conf *sc = atomic_load_explicit(&sw->ports[in].conf, memory_order_acquire);
	struct wr_fdb_slot *slot;
	int port;

	r->bd = p->bd;
	r->vlan = p->vlan;
	r->out_port = p->out_port;
	r->dst_mcast = p->data[0] & 1;
	if (ct && ct->hopport[in].chain) {
		const struct chain_port *hp = &ct->hopport[in];
		const struct chain_port *to = p->out_port < WR_PORT_MAX ? &ct->hopport[p->out_port] : NULL;

		r->src = WR_TRACE_SRC_FROM_HOP;
		r->chain = ct->c[hp->chain - 1].id;
		r->chain_dir = hp->is_out ? WR_CHAIN_FWD : WR_CHAIN_REV;
		r->chain_how = to && to->chain == hp->chain ? WR_TRACE_CHAIN_NEXT :
								 WR_TRACE_CHAIN_BRIDGE;
		r->chain_hop = to && to->chain == hp->chain ? to->hop : hp->hop;
		if (r->chain_how == WR_TRACE_CHAIN_NEXT)
			return;
	} else {
		port = wr_fdb_lookup(sw->fdb, wr_fdb_key_at(p->bd, p->data + 6), &slot);
		if (port == in)
			r->src = WR_TRACE_SRC_REFRESHED;
		else if (sc && !sc->c.learning)
			r->src = WR_TRACE_SRC_NO_LEARN;
		else if (port < 0)
			r->src = WR_TRACE_SRC_LEARN;
		else
			r->src = WR_TRACE_SRC_MOVE, r->src_was = (uint16_t)port;
		if (ct && p->out_port < WR_PORT_MAX && ct->hopport[p->out_port].chain) {
			const struct chain_port *to = &ct->hopport[p->out_port];

			r->chain_how = WR_TRACE_CHAIN_INTO;
			r->chain = ct->c[to->chain - 1].id;
			r->chain_hop = to->hop;
			r->chain_dir = to->is_out ? WR_CHAIN_REV : WR_CHAIN_FWD;
			return;
		}
	}
	if (!r->dst_mcast) {
		const struct steer_slot *rule = st ? steer_match(sw, st, p) : NULL;

		port = wr_fdb_lookup(sw->fdb, wr_fdb_key_at(p->bd, p->data), &slot);
		r->dst = port < 0 ? WR_TRACE_NONE : (uint16_t)port;
		r->steer = rule ? rule->id : WR_TRACE_NONE;
	}
}

/* The output stage on @p, and which ports it left by or why it did not (counters around it). */
static void output(struct wr_worker *x, struct wr_trace *t, struct wr_pkt *p,
		   struct wr_trace_rec *r)
{
	struct wr_switch *sw = x->sw;
	uint64_t tx[WR_PORT_MAX], drops[WR_DROP_COUNT];

	for (uint16_t i = 0; i < WR_PORT_MAX; i++)
		tx[i] = x->ports[i].s.tx_pkts;
	memcpy(drops, x->drops, sizeof(drops));
	if (x->dry)
		sinks_arm(x, t);
	wr_stage_output(x, &p, 1);
	if (x->dry)
		sinks_drain(x);
	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		/* An underlay's share is its VTEP's frame, named already. */
		if (x->ports[i].s.tx_pkts == tx[i] ||
		    atomic_load_explicit(&sw->ports[i].tun, memory_order_relaxed))
			continue;
		if (r->n_out < WR_TRACE_OUT_MAX)
			r->out[r->n_out] = i;
		r->n_out++;
	}
	for (int i = 0; i < WR_DROP_COUNT; i++) {
		if (x->drops[i] == drops[i])
			continue;
		if (r->drop == 0xff)
			r->drop = (uint8_t)i;
		r->n_lost += (uint16_t)(x->drops[i] - drops[i]);
	}
}

/* @r ends at @stage: @p was dropped there (its reason in p->drop until it is freed). */
static void stopped(struct wr_worker *x, struct wr_trace_rec *r, enum wr_trace_stage stage,
		    const struct wr_pkt *p)
{
	r->stage = (uint8_t)stage;
	r->drop = p->drop;
	wr_worker_free_dropped(x);
}

/*
 * Frame @p through every stage on worker @x (the real one, or a dry run's),
 * recorded into ring @ring when @t wants it: @rec true to record it
 * whatever it is, false to let the filter say.
 */
static void run_one(struct wr_worker *x, struct wr_trace *t, struct wr_pkt *p, uint16_t ring,
		    bool rec)
{
	struct wr_switch *sw = x->sw;
	uint16_t in = p->in_port, n;
	struct wr_trace_rec r;
	uint64_t t0, t1;

	memset(&r, 0, sizeof(r));
	r.when_ns = clock_ns(CLOCK_REALTIME);
	r.worker = x->id;
	r.in_port = in;
	r.len = p->len;
	r.n_hdr = p->len < WR_TRACE_HDR ? p->len : WR_TRACE_HDR;
	memcpy(r.hdr, p->data, r.n_hdr);
	r.synthetic = x->dry;
	r.drop = 0xff;
	r.vtep = r.src_was = r.dst = r.steer = WR_TRACE_NONE;
	rec = rec || (t->any && choose(t));

	t0 = clock_ns(CLOCK_MONOTONIC);
	if (atomic_load_explicit(&sw->ports[in].tun, memory_order_relaxed)) {
		n = wr_worker_decap(x, in, &p, 1);
		t1 = clock_ns(CLOCK_MONOTONIC);
		r.ns[WR_TRACE_DECAP] = (uint32_t)(t1 - t0);
		t0 = t1;
		if (!n) {
			stopped(x, &r, WR_TRACE_DECAP, p);
			goto out;
		}
		r.tunnel = p->in_port != in;
		if (r.tunnel) {
			r.vtep = p->in_port;
			r.vni = p->vni;
		}
	}
	n = wr_stage_parse(&x->stage, &p, 1);
	t1 = clock_ns(CLOCK_MONOTONIC);
	r.ns[WR_TRACE_PARSE] = (uint32_t)(t1 - t0);
	t0 = t1;
	if (!n) {
		stopped(x, &r, WR_TRACE_PARSE, p);
		goto out;
	}
	r.ethertype = p->ethertype;
	r.tag = p->vlan;
	r.n_tags = p->n_tags;
	r.l4_proto = p->l4_proto;
	r.pkt_flags = p->flags;
	if (!rec && !t->any) {
		struct chain_key k;

		wr_chain_frame_key(p, &k);
		rec = chain_match(&t->cls, &k) && choose(t);
	}
	in = p->in_port;	/* a VTEP's, off a tunnel */
	/* A descriptor's bd is its last frame's until the bridge sets it (off a tunnel: the VNI's). */
	if (!r.tunnel)
		p->bd = 0;
	x->gen++;
	n = wr_stage_bridge(x, &p, 1);
	t1 = clock_ns(CLOCK_MONOTONIC);
	r.ns[WR_TRACE_BRIDGE] = (uint32_t)(t1 - t0);
	if (!n) {
		/* What the bridge found before it dropped the frame, when it got as far as a domain. */
		if (rec && p->bd)
			note_bridge(x, p, in, &r);
		r.bd = p->bd;
		r.vlan = p->bd ? p->vlan : 0;
		stopped(x, &r, WR_TRACE_BRIDGE, p);
		goto out;
	}
	if (rec)
		note_bridge(x, p, in, &r);
	r.stage = WR_TRACE_OUTPUT;
	t0 = clock_ns(CLOCK_MONOTONIC);
	if (rec) {
		output(x, t, p, &r);
	} else {
		wr_stage_output(x, &p, 1);
	}
	r.ns[WR_TRACE_OUTPUT] = (uint32_t)(clock_ns(CLOCK_MONOTONIC) - t0);
out:
	if (rec)
		put(t, ring, &r);
}

/* The synthetic frame, into a buffer of its port's pool, run dry. */
static void inject(struct wr_worker *w, struct wr_trace *t)
{
	struct wr_worker *d = t->dry;
	struct wr_port *wp = atomic_load_explicit(&w->sw->ports[t->port].port, memory_order_acquire);
	bool up = wp && atomic_load_explicit(&w->sw->ports[t->port].up, memory_order_relaxed);
	struct wr_pkt *p = &d->pkts[0];

	atomic_store_explicit(&t->inject, INJECT_DONE, memory_order_release);
	if (!up || wp->ops->alloc(wp, w->id, &p, 1) != 1) {
		struct wr_trace_rec r = { .in_port = t->port, .synthetic = true,
					  .stage = WR_TRACE_DECAP };

		/* The port down or gone (nothing is received there), or no buffer: a frame that never started. */
		r.when_ns = clock_ns(CLOCK_REALTIME);
		r.drop = up ? WR_DROP_FLOOD_NO_BUF : WR_DROP_PORT_DOWN;
		put(t, w->id, &r);
		return;
	}
	memcpy(p->data, t->frame, t->frame_len);
	p->len = t->frame_len;
	p->in_port = t->port;
	p->bd = p->vlan = 0;
	p->flags = 0;
	d->now_s = w->now_s;
	d->in_ptr[t->port] = wp;
	run_one(d, t, p, w->id, true);
}

void wr_trace_pass(struct wr_worker *w, struct wr_trace *t, struct wr_pkt **held, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		run_one(w, t, held[i], w->id, false);
	if (t->dry && t->dry->id == w->id &&
	    atomic_load_explicit(&t->inject, memory_order_acquire) == INJECT_PENDING)
		inject(w, t);
}
