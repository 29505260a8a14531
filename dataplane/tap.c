/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tap.c - the control thread's side of mirrors and captures: add and
 * remove them, publish the table workers read (tap_priv.h), drain the
 * captures' rings, sum the mirrors' counters.
 *
 * Bounds: WR_MIRROR_MAX mirrors and WR_CAPTURE_MAX captures per switch;
 * each capture holds WR_CAPTURE_SLOTS frames per worker. A mirror's
 * destination is a plain port that no mirror copies from, and a mirrored
 * port is no mirror's destination, so no copy is ever copied again.
 * Ports a mirror or a capture names cannot be deleted (-EBUSY, asked by
 * wr_switch_port_del()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap_priv.h"

struct sw_mirror {
	bool used;
	uint16_t port, to;
	enum wr_tap_dir dir;
	uint64_t base_copied, base_dropped;	/* the workers' counts when it was added */
};

struct sw_capture {
	bool used;
	uint16_t port;
	enum wr_tap_dir dir;
	struct cap_ring **rings;	/* by worker id, conf.n_workers of them */
};

struct sw_taps {
	struct sw_mirror m[WR_MIRROR_MAX];
	struct sw_capture c[WR_CAPTURE_MAX];
};

static struct sw_taps *ctl(struct wr_switch *sw)
{
	if (!sw->tap_ctl)
		sw->tap_ctl = calloc(1, sizeof(*sw->tap_ctl));
	return sw->tap_ctl;
}

static bool has_rx(enum wr_tap_dir d)
{
	return d != WR_TAP_TX;
}

static bool has_tx(enum wr_tap_dir d)
{
	return d != WR_TAP_RX;
}

/* The table for what sw->tap_ctl holds now (NULL when it holds nothing), published. */
static int publish(struct wr_switch *sw)
{
	const struct sw_taps *c = sw->tap_ctl;
	struct tap_table *t = NULL;
	const struct tap_table *old;
	bool any = false;

	for (int i = 0; c && i < WR_MIRROR_MAX; i++)
		any |= c->m[i].used;
	for (int i = 0; c && i < WR_CAPTURE_MAX; i++)
		any |= c->c[i].used;
	if (any) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		for (int i = 0; i < WR_MIRROR_MAX; i++) {
			const struct sw_mirror *m = &c->m[i];

			if (!m->used)
				continue;
			t->mirror_to[i] = m->to;
			t->rx[m->port] |= has_rx(m->dir) ? 1u << i : 0;
			t->tx[m->port] |= has_tx(m->dir) ? 1u << i : 0;
		}
		for (int i = 0; i < WR_CAPTURE_MAX; i++) {
			const struct sw_capture *k = &c->c[i];

			if (!k->used)
				continue;
			t->cap[i] = k->rings;
			t->rx[k->port] |= has_rx(k->dir) ? 1u << (TAP_CAP_BIT + i) : 0;
			t->tx[k->port] |= has_tx(k->dir) ? 1u << (TAP_CAP_BIT + i) : 0;
		}
	}
	old = atomic_exchange_explicit(&sw->taps, t, memory_order_acq_rel);
	wr_switch_defer_free(sw, (void *)old);
	return 0;
}

static bool port_live(const struct wr_switch *sw, uint16_t index)
{
	return index < WR_PORT_MAX && atomic_load(&sw->ports[index].port);
}

static void mirror_sums(const struct wr_switch *sw, int id, uint64_t *copied, uint64_t *dropped)
{
	*copied = *dropped = 0;
	for (int i = 0; i < WR_WORKER_MAX; i++) {
		const struct wr_worker *w = sw->workers[i];

		if (w) {
			*copied += w->mirror_copied[id];
			*dropped += w->mirror_dropped[id];
		}
	}
}

int wr_mirror_add(struct wr_switch *sw, uint16_t port, uint16_t to, enum wr_tap_dir dir)
{
	struct sw_taps *c;
	int id = -1, err;

	if (!port_live(sw, port) || !port_live(sw, to))
		return -ENOENT;
	if (port == to || (unsigned int)dir >= WR_TAP_DIR_COUNT)
		return -EINVAL;
	if (!(c = ctl(sw)))
		return -ENOMEM;
	for (int i = 0; i < WR_MIRROR_MAX; i++) {
		const struct sw_mirror *m = &c->m[i];

		if (!m->used) {
			id = id < 0 ? i : id;
			continue;
		}
		if (m->port == port && m->to == to)
			return -EEXIST;
		if (m->port == to || m->to == port)
			return -ELOOP;
	}
	if (id < 0)
		return -ENOSPC;
	c->m[id] = (struct sw_mirror){ .used = true, .port = port, .to = to, .dir = dir };
	mirror_sums(sw, id, &c->m[id].base_copied, &c->m[id].base_dropped);
	err = publish(sw);
	if (err)
		c->m[id].used = false;
	return err ? err : id;
}

int wr_mirror_del(struct wr_switch *sw, int id)
{
	struct sw_taps *c = sw->tap_ctl;
	int err;

	if (!c || id < 0 || id >= WR_MIRROR_MAX || !c->m[id].used)
		return -ENOENT;
	c->m[id].used = false;
	err = publish(sw);
	if (err)
		c->m[id].used = true;
	return err;
}

int wr_mirror_get(const struct wr_switch *sw, int id, struct wr_mirror_info *out)
{
	const struct sw_taps *c = sw->tap_ctl;
	const struct sw_mirror *m;

	if (!c || id < 0 || id >= WR_MIRROR_MAX || !c->m[id].used)
		return -ENOENT;
	m = &c->m[id];
	*out = (struct wr_mirror_info){ .port = m->port, .to = m->to, .dir = m->dir };
	mirror_sums(sw, id, &out->copied, &out->dropped);
	out->copied -= m->base_copied;
	out->dropped -= m->base_dropped;
	return 0;
}

int wr_mirror_of_port(const struct wr_switch *sw, uint16_t index)
{
	const struct sw_taps *c = sw->tap_ctl;

	for (int i = 0; c && i < WR_MIRROR_MAX; i++)
		if (c->m[i].used && (c->m[i].port == index || c->m[i].to == index))
			return i;
	return -1;
}

bool wr_tap_port_watched(const struct wr_switch *sw, uint16_t index)
{
	const struct sw_taps *c = sw->tap_ctl;

	for (int i = 0; c && i < WR_MIRROR_MAX; i++)
		if (c->m[i].used && c->m[i].port == index)
			return true;
	for (int i = 0; c && i < WR_CAPTURE_MAX; i++)
		if (c->c[i].used && c->c[i].port == index)
			return true;
	return false;
}

/* ---------------------------------------------------------------- captures */

static void rings_free(struct wr_switch *sw, struct cap_ring **rings, bool now)
{
	for (uint16_t i = 0; rings && i < sw->conf.n_workers; i++)
		now ? free(rings[i]) : wr_switch_defer_free(sw, rings[i]);
	now ? free(rings) : wr_switch_defer_free(sw, rings);
}

int wr_capture_open(struct wr_switch *sw, uint16_t port, enum wr_tap_dir dir)
{
	struct sw_taps *c;
	struct cap_ring **rings;
	int id = -1, err;

	if (!port_live(sw, port))
		return -ENOENT;
	if ((unsigned int)dir >= WR_TAP_DIR_COUNT)
		return -EINVAL;
	if (!(c = ctl(sw)))
		return -ENOMEM;
	for (int i = WR_CAPTURE_MAX - 1; i >= 0; i--)
		if (!c->c[i].used)
			id = i;
	if (id < 0)
		return -ENOSPC;
	rings = calloc(sw->conf.n_workers, sizeof(*rings));
	if (!rings)
		return -ENOMEM;
	for (uint16_t i = 0; i < sw->conf.n_workers; i++) {
		rings[i] = wr_zalloc_aligned(sizeof(*rings[i]));
		if (!rings[i]) {
			rings_free(sw, rings, true);
			return -ENOMEM;
		}
	}
	c->c[id] = (struct sw_capture){ .used = true, .port = port, .dir = dir, .rings = rings };
	err = publish(sw);
	if (err) {
		c->c[id].used = false;
		rings_free(sw, rings, true);
		return err;
	}
	return id;
}

static struct sw_capture *cap_of(const struct wr_switch *sw, int id)
{
	struct sw_taps *c = sw->tap_ctl;

	return c && id >= 0 && id < WR_CAPTURE_MAX && c->c[id].used ? &c->c[id] : NULL;
}

unsigned int wr_capture_read(struct wr_switch *sw, int id, unsigned int max,
			     bool (*fn)(const struct wr_capture_rec *r, void *arg), void *arg)
{
	struct sw_capture *k = cap_of(sw, id);
	unsigned int n = 0;

	for (uint16_t i = 0; k && i < sw->conf.n_workers && n < max; i++) {
		struct cap_ring *r = k->rings[i];
		uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);

		for (; tail != head && n < max; tail++, n++) {
			const struct cap_slot *s = &r->slots[tail % WR_CAPTURE_SLOTS];
			struct wr_capture_rec rec = {
				.ts_ns = s->ts_ns, .orig_len = s->orig_len, .cap_len = s->cap_len,
				.arg = s->arg, .verdict = s->verdict, .data = s->data,
			};

			if (!fn(&rec, arg))
				break;
		}
		atomic_store_explicit(&r->tail, tail, memory_order_release);
		if (tail != head && n < max)
			break;	/* @fn said stop */
	}
	return n;
}

uint64_t wr_capture_dropped(const struct wr_switch *sw, int id)
{
	const struct sw_capture *k = cap_of(sw, id);
	uint64_t n = 0;

	for (uint16_t i = 0; k && i < sw->conf.n_workers; i++)
		n += atomic_load_explicit(&k->rings[i]->dropped, memory_order_relaxed);
	return n;
}

void wr_capture_close(struct wr_switch *sw, int id)
{
	struct sw_capture *k = cap_of(sw, id);

	if (!k)
		return;
	k->used = false;
	if (publish(sw)) {
		/* No memory for a smaller table: the rings stay until one is published. */
		k->used = true;
		return;
	}
	rings_free(sw, k->rings, false);
	k->rings = NULL;
}

void wr_tap_free(struct wr_switch *sw)
{
	struct sw_taps *c = sw->tap_ctl;

	for (int i = 0; c && i < WR_CAPTURE_MAX; i++)
		if (c->c[i].used)
			rings_free(sw, c->c[i].rings, true);
	free((void *)atomic_load(&sw->taps));
	free(c);
	sw->tap_ctl = NULL;
}
