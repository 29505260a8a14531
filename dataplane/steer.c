/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * steer.c - the control thread's side of the steering rules: add, delete,
 * re-point, publish the table workers read (steer_priv.h), count.
 *
 * A rule whose port is deleted stays, inactive: frames it matches are
 * dropped as steer_no_port (never bridged elsewhere: the rule says where
 * they must go), until warrend points it at the port again when a port of
 * that name comes back (wr_steer_set_port).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "steer_priv.h"

static const uint8_t zero_mac[6];

static int match_key(const struct wr_steer_match *m, uint64_t *key)
{
	switch (m->kind) {
	case WR_STEER_MAC:
		if ((m->mac[0] & 1) || !memcmp(m->mac, zero_mac, 6))
			return -EINVAL;
		*key = steer_key(m->kind, steer_mac(m->mac));
		return 0;
	case WR_STEER_VLAN:
		if (m->id == 0 || m->id > WR_VLAN_LAST)
			return -EINVAL;
		*key = steer_key(m->kind, m->id);
		return 0;
	case WR_STEER_VNI:
		if (m->id > WR_VNI_LAST)
			return -EINVAL;
		*key = steer_key(m->kind, m->id);
		return 0;
	}
	return -EINVAL;
}

static struct sw_steer *ctl(struct wr_switch *sw)
{
	if (!sw->steer_ctl)
		sw->steer_ctl = calloc(1, sizeof(*sw->steer_ctl));
	return sw->steer_ctl;
}

/* What a slot keeps of @port's domain (struct steer_slot). */
static uint16_t target_bd(const struct wr_switch *sw, uint16_t port)
{
	const struct sw_conf *c;

	if (port == WR_STEER_NO_PORT)
		return 0;
	c = atomic_load(&sw->ports[port].conf);
	return c && c->c.vlan_mode == WR_VLAN_NONE ? c->c.bd : 0;
}

/* Publish the rules as a new table (NULL when there is none); the old one goes after a grace period. */
static int publish(struct wr_switch *sw)
{
	const struct sw_steer *c = sw->steer_ctl;
	struct steer_table *t = NULL;
	const struct steer_table *old;
	uint32_t size = 16;

	if (c->n) {
		while (size < 2 * c->n)
			size *= 2;
		t = calloc(1, sizeof(*t) + size * sizeof(t->slot[0]));
		if (!t)
			return -ENOMEM;
		t->mask = size - 1;
		for (uint16_t id = 0; id < WR_STEER_MAX; id++) {
			uint32_t i;

			if (!c->rules[id].used)
				continue;
			i = steer_slot_of(c->rules[id].key, t->mask);
			while (t->slot[i].key)
				i = (i + 1) & t->mask;
			t->slot[i] = (struct steer_slot){ c->rules[id].key, id, c->rules[id].port,
							  target_bd(sw, c->rules[id].port) };
			t->kinds |= 1u << c->rules[id].m.kind;
		}
	}
	old = atomic_exchange_explicit(&sw->steer, t, memory_order_acq_rel);
	wr_switch_defer_free(sw, (void *)old);
	return 0;
}

/* A port a rule may send to: attached, neither a tunnel's underlay nor a VTEP. */
static int target_ok(const struct wr_switch *sw, uint16_t port)
{
	if (port >= WR_PORT_MAX || !atomic_load(&sw->ports[port].port))
		return -ENOENT;
	if (atomic_load(&sw->ports[port].tun) || atomic_load(&sw->ports[port].vtep) ||
	    wr_chain_hop_port(sw, port))
		return -EINVAL;
	return 0;
}

int wr_steer_find(const struct wr_switch *sw, const struct wr_steer_match *m)
{
	const struct sw_steer *c = sw->steer_ctl;
	uint64_t key;

	if (!c || match_key(m, &key))
		return -ENOENT;
	for (int id = 0; id < WR_STEER_MAX; id++)
		if (c->rules[id].used && c->rules[id].key == key)
			return id;
	return -ENOENT;
}

/* A free id no worker can still count with, or -1. */
static int free_id(struct wr_switch *sw, const struct sw_steer *c)
{
	uint64_t safe = wr_qsbr_safe(sw->qsbr);

	for (int id = 0; id < WR_STEER_MAX; id++)
		if (!c->rules[id].used && c->rules[id].freed <= safe)
			return id;
	return -1;
}

int wr_steer_add(struct wr_switch *sw, const struct wr_steer_match *m, uint16_t port)
{
	struct sw_steer *c = ctl(sw);
	uint64_t key;
	int id, err;

	if (!c)
		return -ENOMEM;
	if (match_key(m, &key))
		return -EINVAL;
	err = target_ok(sw, port);
	if (err)
		return err;
	if (wr_steer_find(sw, m) >= 0)
		return -EEXIST;
	if (c->n == WR_STEER_MAX)
		return -ENOSPC;
	id = free_id(sw, c);
	if (id < 0)
		return -EAGAIN;
	/* Its counters start again: no worker has counted with this id since a grace period. */
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i])
			memset(&sw->workers[i]->steer[id], 0, sizeof(sw->workers[i]->steer[id]));
	c->rules[id].m = *m;
	c->rules[id].key = key;
	c->rules[id].port = port;
	c->rules[id].used = true;
	c->n++;
	err = publish(sw);
	if (err) {
		c->rules[id].used = false;
		c->n--;
		return err;
	}
	if (c->mirror.set)
		c->mirror.set(c->mirror.ctx, id, m, port);
	return id;
}

int wr_steer_del(struct wr_switch *sw, const struct wr_steer_match *m)
{
	struct sw_steer *c = sw->steer_ctl;
	int id = wr_steer_find(sw, m), err;

	if (id < 0)
		return id;
	/* The kernel's copy first: it must not send what userspace no longer would. */
	if (c->mirror.del)
		c->mirror.del(c->mirror.ctx, id, &c->rules[id].m);
	c->rules[id].used = false;
	c->n--;
	err = publish(sw);
	if (err) {
		c->rules[id].used = true;
		c->n++;
		if (c->mirror.set)
			c->mirror.set(c->mirror.ctx, id, &c->rules[id].m, c->rules[id].port);
		return err;
	}
	/* Workers holding the old table may count with the id until they pass this token. */
	c->rules[id].freed = wr_qsbr_epoch(sw->qsbr);
	return 0;
}

/* Rule @id to @port, published. */
static int repoint(struct wr_switch *sw, int id, uint16_t port)
{
	struct sw_steer *c = sw->steer_ctl;
	uint16_t was = c->rules[id].port;
	int err;

	if (was == port)
		return 0;
	c->rules[id].port = port;
	err = publish(sw);
	if (err) {
		c->rules[id].port = was;
		return err;
	}
	if (c->mirror.set)
		c->mirror.set(c->mirror.ctx, id, &c->rules[id].m, port);
	return 0;
}

int wr_steer_set_port(struct wr_switch *sw, int id, uint16_t port)
{
	const struct sw_steer *c = sw->steer_ctl;
	int err;

	if (!c || id < 0 || id >= WR_STEER_MAX || !c->rules[id].used)
		return -ENOENT;
	err = target_ok(sw, port);
	return err ? err : repoint(sw, id, port);
}

void wr_steer_port_gone(struct wr_switch *sw, uint16_t index)
{
	const struct sw_steer *c = sw->steer_ctl;

	for (int id = 0; c && id < WR_STEER_MAX; id++)
		if (c->rules[id].used && c->rules[id].port == index &&
		    repoint(sw, id, WR_STEER_NO_PORT))
			/* No memory for the table: the rule goes rather than point at a slot reused. */
			wr_steer_del(sw, &c->rules[id].m);
}

void wr_steer_port_changed(struct wr_switch *sw, uint16_t index)
{
	/* No memory for a new table: the old one's domain stays until the next change. */
	if (wr_steer_targets(sw, index))
		publish(sw);
}

bool wr_steer_targets(const struct wr_switch *sw, uint16_t index)
{
	const struct sw_steer *c = sw->steer_ctl;

	for (int id = 0; c && id < WR_STEER_MAX; id++)
		if (c->rules[id].used && c->rules[id].port == index)
			return true;
	return false;
}

int wr_steer_get(const struct wr_switch *sw, int id, struct wr_steer_rule *out)
{
	const struct sw_steer *c = sw->steer_ctl;

	if (!c || id < 0 || id >= WR_STEER_MAX || !c->rules[id].used)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->m = c->rules[id].m;
	out->port = c->rules[id].port;
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i]) {
			out->pkts += sw->workers[i]->steer[id].pkts;
			out->bytes += sw->workers[i]->steer[id].bytes;
		}
	return 0;
}

uint32_t wr_steer_count(const struct wr_switch *sw)
{
	return sw->steer_ctl ? sw->steer_ctl->n : 0;
}

void wr_switch_set_steer_mirror(struct wr_switch *sw, const struct wr_steer_mirror *m)
{
	struct sw_steer *c = ctl(sw);

	if (!c)
		return;
	if (!m) {
		memset(&c->mirror, 0, sizeof(c->mirror));
		return;
	}
	c->mirror = *m;
	for (int id = 0; m->set && id < WR_STEER_MAX; id++)
		if (c->rules[id].used)
			m->set(m->ctx, id, &c->rules[id].m, c->rules[id].port);
}

void wr_steer_free(struct wr_switch *sw)
{
	free((void *)atomic_load(&sw->steer));
	free(sw->steer_ctl);
}
