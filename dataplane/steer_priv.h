/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * steer_priv.h - steering rules as workers read them (dataplane/ only).
 *
 * The control thread keeps the rules by id (struct sw_steer) and publishes
 * them as one open-addressing hash table on the match key (struct
 * steer_table), made anew on every change and swapped in with a release
 * store; the old table is freed after a grace period (wr_qsbr). A worker
 * loads the table once per vector: no lock, one probe per kind of rule.
 * Each worker counts the frames of rule id i in its own steer[i]; an id is
 * given again only once no worker can still count with it.
 */
#ifndef WR_STEER_PRIV_H
#define WR_STEER_PRIV_H

#include "switch_priv.h"

/* A match as one word: the kind above bit 48, the MAC (big-endian), VLAN or VNI below. */
static inline uint64_t steer_key(enum wr_steer_kind kind, uint64_t value)
{
	return (uint64_t)kind << 48 | value;
}

/* The 48 bits of a MAC as a number, first byte highest. */
static inline uint64_t steer_mac(const uint8_t *m)
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	       (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

/* The same of a frame's destination MAC, read as one word: the frame has 14 bytes at least. */
static inline uint64_t steer_dst_mac(const uint8_t *frame)
{
	uint64_t w;

	__builtin_memcpy(&w, frame, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w >> 16;
}

struct steer_slot {
	uint64_t key;		/* 0: empty (every key has its kind, never 0) */
	uint16_t id;		/* the rule: its counters */
	uint16_t port;		/* WR_STEER_NO_PORT: its port is gone */
	/*
	 * The port's bridge domain when it has no VLANs (it takes frames of
	 * that domain only); 0: its VLAN egress decides. Published again when
	 * the port's configuration changes.
	 */
	uint16_t bd;
};

struct steer_table {
	uint32_t mask;		/* slots - 1; at most half of them are used */
	uint32_t kinds;		/* bit k: a rule of kind k exists */
	struct steer_slot slot[];
};

static inline uint32_t steer_slot_of(uint64_t key, uint32_t mask)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* The rule of @key in @t, or NULL. [any] */
static inline const struct steer_slot *steer_find(const struct steer_table *t, uint64_t key)
{
	for (uint32_t i = steer_slot_of(key, t->mask);; i = (i + 1) & t->mask) {
		if (t->slot[i].key == key)
			return &t->slot[i];
		if (!t->slot[i].key)
			return NULL;
	}
}

/* The control thread's own: every rule by id. */
struct sw_steer {
	struct {
		struct wr_steer_match m;
		uint64_t key;
		uint16_t port;
		bool used;
		uint64_t freed;		/* the QSBR token after which a free id may be given again */
	} rules[WR_STEER_MAX];
	uint32_t n;
	struct wr_steer_mirror mirror;	/* set NULL: none */
};

/** Rules that send to port @index now send nowhere (it is being deleted). [control] */
void wr_steer_port_gone(struct wr_switch *sw, uint16_t index);
/** Port @index's configuration changed: the rules to it learn its bridge domain. [control] */
void wr_steer_port_changed(struct wr_switch *sw, uint16_t index);
/** Whether a rule sends to port @index. [control] */
bool wr_steer_targets(const struct wr_switch *sw, uint16_t index);
/** The rules' memory, when the switch goes. [control] */
void wr_steer_free(struct wr_switch *sw);

#define STEER_KIND(k)	(1u << WR_STEER_##k)

/*
 * The rule of @t that matches unicast frame @p (its destination MAC, else
 * its VLAN, else the VNI it came off a tunnel with), or NULL: a probe per
 * kind of rule there is. [worker]
 */
static inline const struct steer_slot *steer_match(const struct wr_switch *sw,
						   const struct steer_table *t,
						   const struct wr_pkt *p)
{
	const struct steer_slot *s;

	if (t->kinds & STEER_KIND(MAC)) {
		s = steer_find(t, steer_key(WR_STEER_MAC, steer_dst_mac(p->data)));
		if (s)
			return s;
	}
	if ((t->kinds & STEER_KIND(VLAN)) && p->vlan) {
		s = steer_find(t, steer_key(WR_STEER_VLAN, p->vlan));
		if (s)
			return s;
	}
	/* Only a frame that came in by a VTEP has a VNI (stage_tunnel.c set it). */
	if ((t->kinds & STEER_KIND(VNI)) &&
	    atomic_load_explicit(&sw->ports[p->in_port].vtep, memory_order_relaxed))
		return steer_find(t, steer_key(WR_STEER_VNI, p->vni));
	return NULL;
}

/*
 * Whether rule @s may send @p where it says; else *@why. The output port's
 * VLAN egress comes later, as for any frame; a port without VLANs has no
 * egress check, so its domain is checked here (the slot keeps it): the
 * bridge would never send it a frame of another. [worker]
 */
static inline bool steer_allowed(const struct steer_slot *s, const struct wr_pkt *p,
				 enum wr_drop *why)
{
	if (__builtin_expect(s->port != p->in_port && s->port != WR_STEER_NO_PORT &&
			     (!s->bd || s->bd == p->bd), 1))
		return true;
	*why = s->port == WR_STEER_NO_PORT ? WR_DROP_STEER_NO_PORT :
	       s->port == p->in_port ? WR_DROP_STEER_SAME_PORT : WR_DROP_STEER_OTHER_BD;
	return false;
}

#endif /* WR_STEER_PRIV_H */
