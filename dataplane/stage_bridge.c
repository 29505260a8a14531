/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_bridge.c - the bridge and output stages.
 *
 * bridge: per frame, the input port's VLAN mode gives the VLAN, the VLAN
 * (or the port) gives the bridge domain; the source is learned (a request
 * to the control thread, see fdb_priv.h) and the destination looked up.
 * The FDB buckets of the whole vector are prefetched before the first
 * lookup, so the cache misses of a big table overlap. A frame with the
 * same input port and keys as the one before it (a burst of one flow, the
 * common case) takes that frame's verdict without looking the FDB up
 * again: its learn request or refresh was made a frame ago.
 *
 * chains: a frame from a hop port goes into the next hop (never seen by
 * the bridge) or, after the last, on to the bridge of the chain's domain
 * without being learned on the hop port; a frame of a domain with chains
 * from an ordinary port is learned as any, and goes into its chain's
 * first hop when a classifier takes it (stage_chain.c), before steering
 * rules are asked. A router hop's own ARP and ND (chain_l3_own()) are
 * bridged in the chain's domain as from an ordinary port. The table is
 * loaded once per vector: NULL, no chain.
 *
 * steer: a unicast frame that a steering rule matches (steer_priv.h) takes
 * the rule's port, looked up before the FDB, whose destination lookup it
 * then skips; counted per rule. The table is loaded once per vector.
 *
 * output: frames are queued per output port and leave in bursts; a
 * flooded frame is copied once per extra port; VLAN tags are pushed,
 * popped or rewritten per output port.
 */
#include <string.h>

#include "chain_priv.h"
#include "steer_priv.h"
#include "tap_priv.h"
#include "tunnel_priv.h"

#define SAME_PORT	(1u << 16)	/* a verdict: drop, the destination is the input port */

static inline const struct sw_conf *port_sconf(const struct wr_switch *sw, uint16_t port)
{
	return atomic_load_explicit(&sw->ports[port].conf, memory_order_acquire);
}

static inline const struct wr_port_conf *port_conf(const struct wr_switch *sw, uint16_t port)
{
	return &port_sconf(sw, port)->c;
}

static inline bool is_vtep(const struct wr_switch *sw, uint16_t port)
{
	return port_conf(sw, port)->vlan_mode == WR_VLAN_VTEP;
}

static inline bool is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

/* The bridge domain a port of @conf puts @p in (0: none, *@why says), and its VLAN. */
static inline uint16_t frame_bd(const struct wr_switch *sw, const struct wr_port_conf *conf,
				const struct wr_pkt *p, uint16_t *vlan, enum wr_drop *why)
{
	if (conf->vlan_mode == WR_VLAN_NONE) {
		*vlan = 0;
		return conf->bd;
	}
	if (conf->vlan_mode == WR_VLAN_VTEP) {
		/* Its VNI's domain (wr_stage_decap), and that domain's VLAN for access and trunk ports. */
		*vlan = atomic_load_explicit(&sw->bd_vlan[p->bd], memory_order_relaxed);
		return p->bd;
	}
	*vlan = wr_vlan_classify(conf, p, why);
	return *vlan ? atomic_load_explicit(&sw->vlan_bd[*vlan], memory_order_relaxed) : 0;
}

/*
 * The chain's domain when @p's input port is an l3 hop's in the chains as
 * they are now (a router is a host there), else 0. The port's configuration
 * is read first: a learning generation of a chain's change comes with that
 * change's table.
 */
static uint16_t l3_hop_bd(struct wr_switch *sw, const struct wr_pkt *p)
{
	const struct chain_table *ct = atomic_load_explicit(&sw->chains, memory_order_acquire);
	const struct chain_port *hp = ct ? &ct->hopport[p->in_port] : NULL;

	return hp && hp->chain && hp->l3 ? ct->c[hp->chain - 1].bd : 0;
}

/*
 * Ask to learn @p's source (key @skey, hash @shash) on its input port; false
 * when the queue is full. The request carries the learning generation of
 * the port's configuration as it is now, and is made only if that
 * configuration still puts the frame in the bridge domain the first pass
 * found: a request made after the port changed or went is of an old
 * generation (refused when applied) or not made at all, never one of the
 * new generation for the old domain. Read here, on this rare path, rather
 * than kept per frame from the first pass.
 */
static bool learn_request(struct wr_worker *w, const struct wr_pkt *p, uint64_t skey,
			  uint64_t shash)
{
	const struct sw_conf *sc = port_sconf(w->sw, p->in_port);
	enum wr_drop why;
	uint16_t vlan;

	/* A trace's synthetic frame (trace.c) teaches the switch nothing. */
	if (!sc->c.learning || w->dry ||
	    (frame_bd(w->sw, &sc->c, p, &vlan, &why) != p->bd && l3_hop_bd(w->sw, p) != p->bd))
		return true;
	return wr_fdb_learn_request_hash(w->sw->fdb, w->id, skey, shash, p->in_port, sc->learn_gen,
					 w->now_s);
}

/*
 * Learn @p's source (key @skey) unless it came out of a chain's hop
 * (@from_hop); unless a steering rule or a chain decides (@steered), look
 * its destination (@dkey) up: its verdict.
 */
static inline uint32_t learn_and_look_up(struct wr_worker *w, const struct wr_pkt *p,
					 uint64_t skey, uint64_t shash, uint64_t dkey,
					 uint64_t dhash, bool steered, bool from_hop)
{
	struct wr_switch *sw = w->sw;
	struct wr_fdb_slot *slot;
	int port;

	if (__builtin_expect(!from_hop, 1)) {
		port = wr_fdb_lookup_hash(sw->fdb, skey, shash, &slot);
		if (port == p->in_port)
			wr_fdb_refresh(slot, w->now_s);
		else if (!learn_request(w, p, skey, shash))
			w->events[WR_EVENT_LEARN_QUEUE_FULL]++;
	}

	if (steered || is_multicast(p->data))
		return WR_OUT_FLOOD;
	port = wr_fdb_lookup_hash(sw->fdb, dkey, dhash, &slot);
	return port < 0 ? WR_OUT_FLOOD : port == p->in_port ? SAME_PORT : (uint32_t)port;
}

/* What a chain made of a frame (the bridge stage's per-frame note). */
enum {
	CH_NONE,	/* bridged as any frame */
	CH_INTO,	/* from an ordinary port into a chain's first hop: learned, not looked up */
	CH_FROM_HOP,	/* out of a chain's last hop: looked up, not learned */
	CH_DIRECT,	/* from one hop into the next: neither */
	CH_OWN,		/* (ingress only) a router hop's own ARP or ND: CH_NONE, from its port */
};

/*
 * A frame with a chain table @ct: from a hop port, or of a domain with
 * chains. Its CH_* and, for CH_INTO, the hop port in *@to; -1 when it was
 * dropped (a hop down that fails closed). @p's bd is set, but for
 * CH_DIRECT.
 */
static int chained(struct wr_worker *w, const struct chain_table *ct, struct wr_pkt *p,
		   uint16_t *to)
{
	if (ct->hopport[p->in_port].chain) {
		*to = wr_chain_from_hop(w, ct, p);
		if (*to == CHAIN_TO_BRIDGE)
			return CH_FROM_HOP;
		p->out_port = *to;
	} else if (chain_bd(ct, p->bd)) {
		*to = wr_chain_classify(w, ct, p);
		if (*to == WR_OUT_FLOOD)
			return CH_NONE;
	} else {
		return CH_NONE;
	}
	if (*to == WR_OUT_DROP) {
		wr_stage_drop(&w->stage, p, WR_DROP_CHAIN_HOP_DOWN);
		return -1;
	}
	return ct->hopport[p->in_port].chain ? CH_DIRECT : CH_INTO;
}

/*
 * The stage's body, made twice (as VPP makes its traced and untraced
 * nodes): without chains (@ct NULL, @chains false) it has no chain code at
 * all, so a switch without chains pays one pointer test per vector.
 */
static inline __attribute__((always_inline)) uint16_t
bridge(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n, const struct chain_table *ct,
       const bool chains)
{
	struct wr_switch *sw = w->sw;
	uint64_t skey[WR_VEC_MAX], dkey[WR_VEC_MAX], shash[WR_VEC_MAX], dhash[WR_VEC_MAX];
	bool same[WR_VEC_MAX];		/* as the frame before it: not looked up again */
	uint8_t how[WR_VEC_MAX];	/* CH_* */
	uint16_t hop[WR_VEC_MAX];	/* CH_INTO: the hop port */
	uint32_t out = WR_OUT_FLOOD;	/* the last verdict: a port, WR_OUT_FLOOD or SAME_PORT */
	const struct steer_table *st = atomic_load_explicit(&sw->steer, memory_order_acquire);
	const struct steer_slot *rule = NULL;	/* the last verdict's rule, if one decided */
	uint16_t kept = 0;

	/* Ingress: VLAN and bridge domain; chains; keys; prefetch. */
	for (uint16_t i = 0; i < n; i++) {
		struct wr_pkt *p = pkts[i];
		enum wr_drop why = WR_DROP_NO_BD;
		uint16_t vlan, bd;
		int h = CH_NONE;

		/* A hop port is in no domain: its frames are the chain's (its conf is not asked). */
		if (chains && ct->hopport[p->in_port].chain) {
			const struct chain_port *hp = &ct->hopport[p->in_port];

			bd = 1;
			/* But a router's own ARP and ND: from a host of the chain's domain. */
			if (hp->l3 && chain_l3_own(p)) {
				bd = p->bd = ct->c[hp->chain - 1].bd;
				p->vlan = atomic_load_explicit(&sw->bd_vlan[bd],
							       memory_order_relaxed);
				h = CH_OWN;
			}
		} else {
			bd = frame_bd(sw, port_conf(sw, p->in_port), p, &vlan, &why);
			if (bd == 0) {
				wr_stage_drop(&w->stage, p, why);
				continue;
			}
			p->vlan = vlan;
			p->bd = bd;
		}
		if (chains) {
			h = h == CH_OWN ? CH_NONE : chained(w, ct, p, &hop[kept]);
			if (h < 0)
				continue;
			how[kept] = (uint8_t)h;
			if (h == CH_DIRECT) {
				same[kept] = false;
				pkts[kept++] = p;
				continue;
			}
			bd = p->bd;
		}
		if (chains)
			how[kept] = (uint8_t)h;
		skey[kept] = wr_fdb_key_at(bd, p->data + 6);	/* parse: len >= 14 */
		dkey[kept] = wr_fdb_key_at(bd, p->data);
		/*
		 * Like the frame before (same port, VLAN, keys and chain: two VLANs
		 * of a trunk may share a domain, not a VLAN rule): its verdict, so
		 * no hash and no prefetch (re-asking for the same lines costs).
		 */
		same[kept] = kept && (!chains || how[kept - 1] == h) && skey[kept] == skey[kept - 1] &&
			     dkey[kept] == dkey[kept - 1] && p->in_port == pkts[kept - 1]->in_port &&
			     p->vlan == pkts[kept - 1]->vlan;
		if (!same[kept]) {
			shash[kept] = wr_fdb_hash(skey[kept]);
			dhash[kept] = wr_fdb_hash(dkey[kept]);
			wr_fdb_prefetch_hash(sw->fdb, shash[kept]);
			wr_fdb_prefetch_hash(sw->fdb, dhash[kept]);
		}
		pkts[kept++] = p;
	}

	/* Learn the source; a chain, a steering rule, or the FDB, says where the frame goes. */
	n = kept;
	kept = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct wr_pkt *p = pkts[i];
		enum wr_drop why;

		if (chains && how[i] == CH_DIRECT) {
			pkts[kept++] = p;
			continue;
		}
		if (!same[i]) {
			rule = st && (!chains || how[i] != CH_INTO) && !is_multicast(p->data) ?
			       steer_match(sw, st, p) : NULL;
			out = learn_and_look_up(w, p, skey[i], shash[i], dkey[i], dhash[i],
						rule || (chains && how[i] == CH_INTO),
						chains && how[i] == CH_FROM_HOP);
		}
		if (chains && how[i] == CH_INTO) {
			/* Into a hop untagged, as by an access port: the chain knows its domain. */
			if (p->vlan && p->n_tags)
				wr_vlan_pop(p);
			p->out_port = hop[i];
			pkts[kept++] = p;
			continue;
		}
		if (rule) {
			w->steer[rule->id].pkts++;
			w->steer[rule->id].bytes += p->len;
			if (!steer_allowed(rule, p, &why)) {
				wr_stage_drop(&w->stage, p, why);
				continue;
			}
			p->out_port = rule->port;
			pkts[kept++] = p;
			continue;
		}
		if (out == SAME_PORT) {
			wr_stage_drop(&w->stage, p, WR_DROP_SAME_PORT);
			continue;
		}
		p->out_port = (uint16_t)out;
		pkts[kept++] = p;
	}
	return kept;
}

/* Flattened: made twice, the FDB's lookups would otherwise no longer be inlined (+7 % instructions). */
static __attribute__((flatten, noinline)) uint16_t
bridge_plain(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n)
{
	return bridge(w, pkts, n, NULL, false);
}

static __attribute__((flatten, noinline)) uint16_t
bridge_chained(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n, const struct chain_table *ct)
{
	return bridge(w, pkts, n, ct, true);
}

uint16_t wr_stage_bridge(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n)
{
	const struct chain_table *ct = atomic_load_explicit(&w->sw->chains, memory_order_acquire);

	return ct ? bridge_chained(w, pkts, n, ct) : bridge_plain(w, pkts, n);
}

/* ------------------------------------------------------------------ output */

/*
 * Which port a drop belongs to: the one the frame came in by (docs/api.md,
 * port.stats "drops"), as for every stage's drops. A frame dropped whole
 * (unicast) counts there at once. A flooded frame counts there only when
 * none of its copies left: its record (w->flood) counts the ports it was
 * for and those it did not reach, and is settled after the pass's last
 * flush. So rx_pkts = frames forwarded + drops, port by port. Every copy
 * that does not leave is still counted by its reason in the worker's drops.
 */

/* @p will not leave by the port it was meant for. */
static inline void output_lost(struct wr_worker *w, const struct wr_pkt *p)
{
	if (p->out_port == WR_OUT_FLOOD)
		w->flood[p->drop].lost++;	/* its record: flood() */
	else
		w->ports[p->in_port].s.drops++;
}

/* The output state lives in the worker (switch_priv.h): w->txq, w->dirty. */
static void flush_port(struct wr_worker *w, uint16_t port)
{
	struct wr_txq *q = &w->txq[port];
	struct wr_port *wp = q->port;
	uint16_t sent;

	if (q->n == 0)
		return;
	if (__builtin_expect(w->taps != NULL, 0))
		wr_tap_tx(w, port, q->pkts, q->n);
	sent = wp->ops->tx_burst(wp, w->id, q->pkts, q->n);
	for (uint16_t i = 0; i < sent; i++)
		w->ports[port].s.tx_bytes += q->pkts[i]->len;
	w->ports[port].s.tx_pkts += sent;
	if (sent < q->n) {
		/* As testpmd: what the port did not take is counted and freed. */
		w->drops[WR_DROP_TX_FULL] += q->n - sent;
		for (uint16_t i = sent; i < q->n; i++)
			output_lost(w, q->pkts[i]);
		wp->ops->free(wp, w->id, q->pkts + sent, q->n - sent);
	}
	q->n = 0;
}

static void flush_all(struct wr_worker *w)
{
	for (uint16_t i = 0; i < w->n_dirty; i++) {
		flush_port(w, w->dirty[i]);
		w->txq[w->dirty[i]].port = NULL;	/* off the list */
	}
	w->n_dirty = 0;
	/* The copies' descriptors are free again: drivers keep only cookies. */
	w->n_copies = 0;
}

/*
 * Queue @p on @port (@wp) after the egress VLAN edit. @p's buffer belongs to
 * @wp's pool already. The port pointer is kept with the queue: the table's
 * may be cleared by the control thread meanwhile, the port itself lives
 * until this pass is over (QSBR).
 */
/* A copy of @p for VTEP @vtep kept until its next hop is known; false: no room. */
static bool nh_park(struct wr_worker *w, uint16_t vtep, const struct wr_pkt *p)
{
	struct nh_wait *k;

	if (w->n_nh_wait == WR_NH_WAIT || p->len > WR_NH_WAIT_LEN)
		return false;
	k = &w->nh_wait[w->n_nh_wait++];
	*k = (struct nh_wait){ .vtep = vtep, .in_port = p->in_port, .bd = p->bd, .len = p->len,
			       .hash = p->hash, .since = w->now_s };
	memcpy(k->data, p->data, p->len);
	return true;
}

static void vtep_enqueue(struct wr_worker *w, uint16_t port, struct wr_port *wp, struct wr_pkt *p);

/* Inlined: per frame, and the call's own cost was a third of it. */
static inline __attribute__((always_inline)) void
enqueue(struct wr_worker *w, uint16_t port, struct wr_port *wp, struct wr_pkt *p)
{
	const struct wr_port_conf *conf = port_conf(w->sw, port);
	struct wr_txq *q = &w->txq[port];
	enum wr_drop why;

	if (__builtin_expect(conf->vlan_mode == WR_VLAN_VTEP, 0)) {
		vtep_enqueue(w, port, wp, p);
		return;
	}
	if (conf->vlan_mode != WR_VLAN_NONE &&
	    wr_vlan_egress(conf, p->vlan, p, WR_HEADROOM, &why)) {
		w->drops[why]++;
		output_lost(w, p);
		wp->ops->free(wp, w->id, &p, 1);
		return;
	}
	/* The device would drop it unseen (a veth checks its MTU): count it here. */
	if (__builtin_expect(p->len > __atomic_load_n(&wp->max_len, __ATOMIC_RELAXED), 0)) {
		w->drops[WR_DROP_TOO_BIG]++;
		output_lost(w, p);
		wp->ops->free(wp, w->id, &p, 1);
		return;
	}
	/* Listed once per pass: an empty queue may be one that left in a burst already. */
	if (q->n == 0 && !q->port) {
		w->dirty[w->n_dirty++] = port;
		q->port = wp;
	}
	q->pkts[q->n++] = p;
	/* Still listed after this, until flush_all(); an empty queue flushes as a no-op. */
	if (q->n == WR_BURST)
		flush_port(w, port);
}

/*
 * @p for VTEP @port (@wp): encapsulated, then queued on the tunnel's
 * underlay. Out of line: enqueue() stays small for the ports that are not.
 */
static __attribute__((noinline)) void
vtep_enqueue(struct wr_worker *w, uint16_t port, struct wr_port *wp, struct wr_pkt *p)
{
	const struct sw_vtep *v = sw_vtep_of(w->sw, port);
	enum wr_drop why = WR_DROP_SAME_PORT;
	uint16_t len;

	/* A frame of a VLAN leaves its tag here, as by an access port: the VNI says its domain. */
	if (p->vlan && p->n_tags)
		wr_vlan_pop(p);
	len = p->len;
	/* Split horizon: what came off a tunnel never goes back into one. */
	if (is_vtep(w->sw, p->in_port) || wr_vtep_encap(v, p, &why)) {
		if (why == WR_DROP_TUN_NO_NEXTHOP && nh_park(w, port, p)) {
			wp->ops->free(wp, w->id, &p, 1);
			return;
		}
		w->drops[why]++;
		output_lost(w, p);
		wp->ops->free(wp, w->id, &p, 1);
		return;
	}
	w->ports[port].s.tx_pkts++;
	w->ports[port].s.tx_bytes += len;
	enqueue(w, v->tun->underlay, v->tun->under, p);
}

/*
 * The kept frames: sent where their VTEP has a next hop now, dropped
 * (counted on their input port) when it is gone or a second has passed,
 * kept otherwise. Before the pass's own frames, which come after them.
 */
static void nh_retry(struct wr_worker *w)
{
	struct nh_wait todo[WR_NH_WAIT];
	uint16_t n = w->n_nh_wait;

	/* A frame sent again may be kept again: the list starts anew. */
	memcpy(todo, w->nh_wait, n * sizeof(todo[0]));
	w->n_nh_wait = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct nh_wait *k = &todo[i];
		struct sw_vtep *v = sw_vtep_of(w->sw, k->vtep);
		struct wr_pkt *c = &w->copies[w->n_copies];
		enum wr_drop why = WR_DROP_TUN_NO_NEXTHOP;

		/* Its VTEP, and the port it came in by, still there (the split horizon reads it). */
		if (v && atomic_load_explicit(&w->sw->ports[k->vtep].port, memory_order_acquire) &&
		    atomic_load_explicit(&w->sw->ports[k->in_port].port, memory_order_acquire) &&
		    w->now_s - k->since < 2) {
			if (!vtep_hdr(v, k->bd)) {
				w->nh_wait[w->n_nh_wait++] = *k;
				continue;
			}
			if (v->port.ops->alloc(&v->port, w->id, &c, 1) == 1) {
				w->n_copies++;
				memcpy(c->data, k->data, k->len);
				c->len = k->len;
				c->hash = k->hash;
				c->bd = k->bd;
				c->vlan = 0;
				c->n_tags = 0;
				c->flags = 0;
				c->in_port = k->in_port;
				c->out_port = k->vtep;
				vtep_enqueue(w, k->vtep, &v->port, c);
				continue;
			}
			why = WR_DROP_FLOOD_NO_BUF;
		}
		w->drops[why]++;
		w->ports[k->in_port].s.drops++;
	}
}

/* A copy of @p in a buffer of @wp's pool, or NULL with the reason counted. */
static struct wr_pkt *copy_for(struct wr_worker *w, struct wr_port *wp, const struct wr_pkt *p)
{
	struct wr_pkt *c;
	uint64_t cookie;
	uint8_t *data;

	/* Pools differ in buffer size (AF_XDP 3840, TAP 1920 bytes). */
	if (p->len > wp->buf_size) {
		w->drops[WR_DROP_TOO_BIG]++;
		return NULL;
	}
	if (w->n_copies == WR_VEC_MAX)
		flush_all(w);
	c = &w->copies[w->n_copies];
	if (wp->ops->alloc(wp, w->id, &c, 1) != 1) {
		w->drops[WR_DROP_FLOOD_NO_BUF]++;
		return NULL;
	}
	w->n_copies++;
	data = c->data;
	cookie = c->cookie;
	memcpy(data, p->data, p->len);
	*c = *p;		/* what the stages found out holds for the copy too */
	c->data = data;
	c->cookie = cookie;
	w->ports[p->in_port].s.copies++;
	return c;
}

/* Whether a frame of @p's VLAN may leave on @port at all (before copying it). */
static inline bool vlan_fits(const struct wr_switch *sw, uint16_t port, const struct wr_pkt *p)
{
	const struct wr_port_conf *c = port_conf(sw, port);

	switch (c->vlan_mode) {
	case WR_VLAN_ACCESS:
		return c->access_vlan == p->vlan;
	case WR_VLAN_TRUNK:
		return wr_vlan_allowed(c, p->vlan);
	default:
		return true;
	}
}

static void flood(struct wr_worker *w, struct wr_pkt *p)
{
	struct wr_switch *sw = w->sw;
	const struct flood_set *fs = atomic_load_explicit(&sw->flood[p->bd], memory_order_acquire);
	struct wr_port *in = w->in_ptr[p->in_port];
	struct wr_port *wps[WR_PORT_MAX];
	uint16_t targets[WR_PORT_MAX], n = 0, n_copies, last = 0;
	struct flood_rec *r;

	/* Split horizon: a frame off a tunnel goes to the ordinary ports only. */
	if (fs)
		last = is_vtep(sw, p->in_port) ? fs->n_local : fs->n;
	w->events[WR_EVENT_FLOOD]++;
	for (uint16_t i = 0; i < last; i++) {
		uint16_t port = fs->ports[i];
		struct wr_port *wp;

		if (port != p->in_port && wr_port_usable(w, port, &wp) && vlan_fits(sw, port, p)) {
			wps[n] = wp;
			targets[n++] = port;
		}
	}
	if (n == 0) {
		w->drops[WR_DROP_NO_PORT]++;
		w->ports[p->in_port].s.drops++;
		in->ops->free(in, w->id, &p, 1);
		return;
	}
	/* Its record, named in the frame and so in its copies. */
	p->drop = (uint8_t)w->n_flood;
	r = &w->flood[w->n_flood++];
	*r = (struct flood_rec){ .in_port = p->in_port, .tries = n };
	/*
	 * Copies first, from the frame as it arrived (egress edits change it);
	 * the original itself goes to the last port, unless that port's buffers
	 * come from another pool.
	 */
	n_copies = wps[n - 1]->pool == in->pool ? n - 1 : n;
	for (uint16_t i = 0; i < n_copies; i++) {
		struct wr_pkt *c = copy_for(w, wps[i], p);

		if (c)
			enqueue(w, targets[i], wps[i], c);
		else
			r->lost++;
	}
	if (n_copies == n)
		in->ops->free(in, w->id, &p, 1);
	else
		enqueue(w, targets[n - 1], wps[n - 1], p);
}

static void unicast(struct wr_worker *w, struct wr_pkt *p)
{
	struct wr_port *out, *in = w->in_ptr[p->in_port];

	if (!wr_port_usable(w, p->out_port, &out)) {
		w->drops[WR_DROP_PORT_DOWN]++;
		w->ports[p->in_port].s.drops++;
		in->ops->free(in, w->id, &p, 1);
		return;
	}
	if (out->pool != in->pool) {
		/* Another buffer pool (AF_XDP and DPDK ports): one copy, counted. */
		struct wr_pkt *c = copy_for(w, out, p);

		if (!c) {
			w->ports[p->in_port].s.drops++;
			in->ops->free(in, w->id, &p, 1);
			return;
		}
		in->ops->free(in, w->id, &p, 1);
		p = c;
	}
	enqueue(w, p->out_port, out, p);
}

void wr_stage_output(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n)
{
	w->gen++;
	w->n_dirty = 0;
	w->n_copies = 0;
	w->n_flood = 0;
	if (w->n_nh_wait)
		nh_retry(w);
	for (uint16_t i = 0; i < n; i++) {
		if (pkts[i]->out_port == WR_OUT_FLOOD)
			flood(w, pkts[i]);
		else
			unicast(w, pkts[i]);
	}
	flush_all(w);
	/* Every copy has left or been refused: a flood no port took is its port's drop. */
	for (uint16_t i = 0; i < w->n_flood; i++)
		if (w->flood[i].lost == w->flood[i].tries)
			w->ports[w->flood[i].in_port].s.drops++;
}
