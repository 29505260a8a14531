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

struct steer_slot {
	uint64_t key;		/* 0: empty (every key has its kind, never 0) */
	uint16_t id;		/* the rule: its counters */
	uint16_t port;		/* WR_STEER_NO_PORT: its port is gone */
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
/** Whether a rule sends to port @index. [control] */
bool wr_steer_targets(const struct wr_switch *sw, uint16_t index);
/** The rules' memory, when the switch goes. [control] */
void wr_steer_free(struct wr_switch *sw);

/**
 * The steer stage, after the bridge: frames a rule matches get its port
 * as out_port, or are dropped with the reason; counted per rule. [worker]
 */
uint16_t wr_stage_steer(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n);

#endif /* WR_STEER_PRIV_H */
