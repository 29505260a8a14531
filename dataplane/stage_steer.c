/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_steer.c - the steer stage: after the bridge has chosen, a unicast
 * frame that a steering rule matches (its destination MAC, else its VLAN,
 * else the VNI it came off a tunnel with) goes to the rule's port instead.
 * The table is loaded once per vector; with no rule the stage costs that
 * one load. A run of frames with the same keys (a burst of one flow)
 * takes the first one's rule without probing again.
 */
#include "steer_priv.h"

#define KIND(k)	(1u << WR_STEER_##k)

/* The rule that matches @p in @t, or NULL. */
static inline const struct steer_slot *match(const struct wr_switch *sw,
					     const struct steer_table *t, const struct wr_pkt *p)
{
	const struct steer_slot *s;

	if (t->kinds & KIND(MAC)) {
		s = steer_find(t, steer_key(WR_STEER_MAC, steer_mac(p->data)));
		if (s)
			return s;
	}
	if ((t->kinds & KIND(VLAN)) && p->vlan) {
		s = steer_find(t, steer_key(WR_STEER_VLAN, p->vlan));
		if (s)
			return s;
	}
	/* Only a frame that came in by a VTEP has a VNI (stage_tunnel.c set it). */
	if ((t->kinds & KIND(VNI)) &&
	    atomic_load_explicit(&sw->ports[p->in_port].vtep, memory_order_relaxed))
		return steer_find(t, steer_key(WR_STEER_VNI, p->vni));
	return NULL;
}

/*
 * Where a frame of @p's domain may go by rule @s: 0 and its port, or the
 * drop. The output port's VLAN egress comes later, as for any frame; a
 * port without VLANs has no egress check, so its domain is checked here:
 * the bridge would never send it a frame of another.
 */
static inline int verdict(const struct wr_switch *sw, const struct steer_slot *s,
			  const struct wr_pkt *p, enum wr_drop *why)
{
	const struct sw_conf *c;

	if (s->port == WR_STEER_NO_PORT) {
		*why = WR_DROP_STEER_NO_PORT;
		return -1;
	}
	if (s->port == p->in_port) {
		*why = WR_DROP_STEER_SAME_PORT;
		return -1;
	}
	/* Set while the table that names the port can be seen (switch_priv.h). */
	c = atomic_load_explicit(&sw->ports[s->port].conf, memory_order_acquire);
	if (c->c.vlan_mode == WR_VLAN_NONE && c->c.bd != p->bd) {
		*why = WR_DROP_STEER_OTHER_BD;
		return -1;
	}
	return 0;
}

/* Whether @p has the keys of @q, the frame before it: the same rule, or none. */
static inline bool same_keys(const struct wr_pkt *p, const struct wr_pkt *q)
{
	return p->in_port == q->in_port && p->vlan == q->vlan && p->bd == q->bd &&
	       !__builtin_memcmp(p->data, q->data, 6);
}

uint16_t wr_stage_steer(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n)
{
	const struct steer_table *t = atomic_load_explicit(&w->sw->steer, memory_order_acquire);
	const struct steer_slot *s = NULL;
	const struct wr_pkt *prev = NULL;
	uint16_t kept = 0;

	if (!t)
		return n;
	for (uint16_t i = 0; i < n; i++) {
		struct wr_pkt *p = pkts[i];
		enum wr_drop why;

		/* Broadcast and multicast are flooded as the bridge says. */
		if (p->data[0] & 1) {
			pkts[kept++] = p;
			continue;
		}
		/* A VNI is per frame: off a tunnel, the frame before is no guide. */
		if (!prev || !same_keys(p, prev) || p->vni != prev->vni)
			s = match(w->sw, t, p);
		prev = p;
		if (!s) {
			pkts[kept++] = p;
			continue;
		}
		w->steer[s->id].pkts++;
		w->steer[s->id].bytes += p->len;
		if (verdict(w->sw, s, p, &why)) {
			wr_stage_drop(&w->stage, p, why);
			continue;
		}
		p->out_port = s->port;
		pkts[kept++] = p;
	}
	return kept;
}
