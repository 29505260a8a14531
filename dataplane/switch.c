/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * switch.c - the control thread's side of the switch: ports and their
 * configuration, VLAN → bridge domain, the flood sets derived from both,
 * and reclamation of whatever workers may still be reading.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain_priv.h"
#include "steer_priv.h"
#include "tap_priv.h"
#include "tunnel_priv.h"

void wr_switch_conf_init(struct wr_switch_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->fdb_max = 65536;
	c->age_s = 300;
	c->n_workers = 1;
}

void wr_port_conf_init(struct wr_port_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->bd = 1;
	c->vlan_mode = WR_VLAN_NONE;
	c->learning = true;
}

/* ---------------------------------------------------------- reclamation */

/* Close a deleted port and give its slot back. */
static void close_port(struct wr_switch *sw, int index, struct wr_port *port)
{
	const struct sw_conf *conf;

	atomic_store(&sw->ports[index].vtep, NULL);
	port->ops->close(port);
	conf = atomic_exchange(&sw->ports[index].conf, NULL);
	free((void *)conf);
}

/*
 * Free (or close) what waits in limbo. Entries are in token order, so the
 * first one not yet safe ends the walk.
 */
static void limbo_reclaim(struct wr_switch *sw, bool force)
{
	uint64_t safe = wr_qsbr_safe(sw->qsbr);
	uint32_t i = 0;

	while (i < sw->n_limbo && (force || sw->limbo[i].token <= safe)) {
		if (sw->limbo[i].port >= 0)
			close_port(sw, sw->limbo[i].port, sw->limbo[i].ptr);
		else
			free(sw->limbo[i].ptr);
		i++;
	}
	memmove(sw->limbo, sw->limbo + i, (sw->n_limbo - i) * sizeof(sw->limbo[0]));
	sw->n_limbo -= i;
}

static void defer(struct wr_switch *sw, void *ptr, int port)
{
	if (sw->n_limbo == LIMBO_MAX) {
		/* Workers stuck for 1024 changes: wait for them, do not grow. */
		while (sw->n_limbo == LIMBO_MAX)
			limbo_reclaim(sw, false);
	}
	sw->limbo[sw->n_limbo].ptr = ptr;
	sw->limbo[sw->n_limbo].port = port;
	sw->limbo[sw->n_limbo].token = wr_qsbr_start(sw->qsbr);
	sw->n_limbo++;
}

void wr_switch_defer_free(struct wr_switch *sw, void *ptr)
{
	if (ptr)
		defer(sw, ptr, -1);
}

/* ----------------------------------------------------------- flood sets */

/*
 * The bridge domains port @index belongs to, into @bds; their number. An
 * underlay is in none, a VTEP in its tunnel's; a chain's hop port in
 * none, or in the chain's if the hop is a router.
 */
static uint16_t port_bds(const struct wr_switch *sw, uint16_t index, uint16_t *bds)
{
	const struct wr_port_conf *c = &atomic_load(&sw->ports[index].conf)->c;
	const struct sw_vtep *v = sw_vtep_of(sw, index);
	uint16_t n = 0;

	if (v)
		return wr_tunnel_vtep_bds(v, bds);
	if (atomic_load(&sw->ports[index].tun))
		return 0;
	if (wr_chain_hop_port(sw, index)) {
		bds[0] = wr_chain_l3_bd(sw, index);
		return bds[0] ? 1 : 0;
	}
	switch (c->vlan_mode) {
	case WR_VLAN_NONE:
		bds[n++] = c->bd;
		break;
	case WR_VLAN_ACCESS:
		bds[n++] = atomic_load(&sw->vlan_bd[c->access_vlan]);
		break;
	case WR_VLAN_TRUNK: {
		uint64_t seen[WR_BD_MAX / 64] = { 0 };

		/* The allowed VLANs only, a word of the bitmap at a time: a trunk has few. */
		for (uint16_t i = 0; i < WR_VLAN_MAX / 64; i++) {
			for (uint64_t m = c->allowed[i]; m; m &= m - 1) {
				uint16_t v = (uint16_t)(i * 64 + __builtin_ctzll(m)), bd;

				if (!wr_vlan_allowed(c, v))
					continue;
				bd = atomic_load(&sw->vlan_bd[v]);
				if (bd && !(seen[bd / 64] >> (bd % 64) & 1)) {
					seen[bd / 64] |= 1ull << (bd % 64);
					bds[n++] = bd;
				}
			}
		}
		break;
	}
	}
	return n;
}

bool wr_chain_port_chained(const struct wr_switch *sw, uint16_t index)
{
	uint16_t bds[WR_BD_MAX], n;

	if (index >= WR_PORT_MAX || !atomic_load(&sw->ports[index].conf) || !wr_chain_count(sw))
		return false;
	if (wr_chain_hop_port(sw, index))
		return true;
	n = port_bds(sw, index, bds);
	for (uint16_t i = 0; i < n; i++)
		if (wr_chain_in_bd(sw, bds[i]))
			return true;
	return false;
}

static bool same_set(const struct flood_set *a, const uint16_t *ports, uint16_t n,
		     uint16_t n_local)
{
	if (!a)
		return n == 0;
	return a->n == n && a->n_local == n_local && !memcmp(a->ports, ports, n * sizeof(*ports));
}

/* Recompute every bridge domain's ports; publish the sets that changed. */
static int rebuild_flood(struct wr_switch *sw)
{
	uint16_t *n_bds, *count, *members = NULL, *n_local = NULL, bds[WR_BD_MAX];
	uint32_t *start = NULL, total = 0;
	int err = -ENOMEM;

	/* Pass 1: how many domains each port is in, how many ports each domain has. */
	n_bds = calloc(WR_PORT_MAX, sizeof(*n_bds));
	count = calloc(WR_BD_MAX, sizeof(*count));
	if (!n_bds || !count)
		goto end_free;
	for (uint16_t p = 0; p < WR_PORT_MAX; p++) {
		const struct sw_conf *c = atomic_load(&sw->ports[p].conf);

		const struct sw_vtep *v = sw_vtep_of(sw, p);

		/* A VTEP off the flood list is in its domains, but gets no flooded frame. */
		if (!atomic_load(&sw->ports[p].port) || !c || (v && !v->flood))
			continue;
		n_bds[p] = port_bds(sw, p, bds);
		for (uint16_t k = 0; k < n_bds[p]; k++)
			count[bds[k]]++;
		total += n_bds[p];
	}
	/* Pass 2: lay the members out by domain, in port order, VTEPs last. */
	start = calloc(WR_BD_MAX + 1u, sizeof(*start));
	members = malloc((total + 1) * sizeof(*members));
	n_local = calloc(WR_BD_MAX, sizeof(*n_local));
	if (!start || !members || !n_local)
		goto end_free;
	for (uint32_t bd = 1; bd <= WR_BD_MAX; bd++)
		start[bd] = start[bd - 1] + count[bd - 1];
	memset(count, 0, WR_BD_MAX * sizeof(*count));
	for (int vteps = 0; vteps < 2; vteps++) {
		for (uint16_t p = 0; p < WR_PORT_MAX; p++) {
			if (!n_bds[p] || (sw_vtep_of(sw, p) != NULL) != vteps)
				continue;
			port_bds(sw, p, bds);
			for (uint16_t k = 0; k < n_bds[p]; k++)
				members[start[bds[k]] + count[bds[k]]++] = p;
		}
		if (!vteps)
			memcpy(n_local, count, WR_BD_MAX * sizeof(*count));
	}
	err = 0;
	for (uint16_t bd = 1; bd < WR_BD_MAX; bd++) {
		const struct flood_set *old = atomic_load(&sw->flood[bd]);
		struct flood_set *fs = NULL;

		if (same_set(old, members + start[bd], count[bd], n_local[bd]))
			continue;
		if (count[bd]) {
			fs = malloc(sizeof(*fs) + count[bd] * sizeof(fs->ports[0]));
			if (!fs) {
				err = -ENOMEM;
				goto end_free;
			}
			fs->n = count[bd];
			fs->n_local = n_local[bd];
			memcpy(fs->ports, members + start[bd], count[bd] * sizeof(fs->ports[0]));
		}
		atomic_store_explicit(&sw->flood[bd], fs, memory_order_release);
		wr_switch_defer_free(sw, (void *)old);
	}
end_free:
	free(n_local);
	free(members);
	free(start);
	free(count);
	free(n_bds);
	return err;
}

/* ---------------------------------------------------------------- ports */

static int check_conf(const struct wr_port_conf *c)
{
	switch (c->vlan_mode) {
	case WR_VLAN_NONE:
		return c->bd > 0 && c->bd < WR_BD_MAX ? 0 : -EINVAL;
	case WR_VLAN_ACCESS:
		return c->access_vlan > 0 && c->access_vlan < WR_VLAN_MAX - 1 ? 0 : -EINVAL;
	case WR_VLAN_TRUNK:
		return c->native_vlan < WR_VLAN_MAX - 1 ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/*
 * Publish @conf for port @index in a new learning generation: requests
 * the workers made under the old configuration are refused from now on.
 */
static int publish_conf(struct wr_switch *sw, uint16_t index, const struct wr_port_conf *conf)
{
	struct sw_conf *c = malloc(sizeof(*c));
	const struct sw_conf *old;

	if (!c)
		return -ENOMEM;
	c->c = *conf;
	c->learn_gen = wr_fdb_port_renew(sw->fdb, index);
	old = atomic_exchange_explicit(&sw->ports[index].conf, c, memory_order_acq_rel);
	wr_switch_defer_free(sw, (void *)old);
	wr_fdb_set_port_limit(sw->fdb, index, conf->mac_limit);
	return 0;
}

/* The bridge domains of port @index, as a bitmap of WR_BD_MAX bits into @bds. */
static void port_bd_set(const struct wr_switch *sw, uint16_t index, uint64_t *bds)
{
	uint16_t list[WR_BD_MAX], n = port_bds(sw, index, list);

	memset(bds, 0, WR_BD_MAX / 8);
	for (uint16_t i = 0; i < n; i++)
		bds[list[i] / 64] |= 1ull << (list[i] % 64);
}

/*
 * Port @index's bridge domains may have changed (its configuration was
 * published again, or a VLAN's domain moved): what it learned goes, to be
 * learned again where it is now, and its static entries go from the
 * domains it left. The publish renewed its generation, so no request of
 * its old setting brings an entry back.
 */
static void port_rebound(struct wr_switch *sw, uint16_t index)
{
	uint64_t bds[WR_BD_MAX / 64];

	wr_fdb_purge_port(sw->fdb, index, false);
	port_bd_set(sw, index, bds);
	wr_fdb_purge_port_outside(sw->fdb, index, bds);
}

int wr_switch_port_add(struct wr_switch *sw, struct wr_port *port, const struct wr_port_conf *conf)
{
	if (!port || !port->ops || !conf || check_conf(conf))
		return -EINVAL;
	return wr_switch_port_attach(sw, port, conf);
}

int wr_switch_port_attach(struct wr_switch *sw, struct wr_port *port,
			  const struct wr_port_conf *conf)
{
	int err, index = -1;

	for (int i = 0; i < WR_PORT_MAX && index < 0; i++)
		if (!atomic_load(&sw->ports[i].port) && !atomic_load(&sw->ports[i].conf))
			index = i;
	if (index < 0)
		return -ENOSPC;
	port->index = (uint16_t)index;
	/*
	 * The slot's counters start again: no worker has written them since
	 * the last port here was closed (a grace period ago), and the release
	 * store of the port below orders these stores before its next ones.
	 */
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i])
			memset(&sw->workers[i]->ports[index], 0, sizeof(sw->workers[i]->ports[index]));
	err = publish_conf(sw, (uint16_t)index, conf);
	if (err)
		return err;
	atomic_store(&sw->ports[index].up, true);
	atomic_store_explicit(&sw->ports[index].port, port, memory_order_release);
	err = rebuild_flood(sw);
	return err ? err : index;
}

static struct sw_port *live_port(struct wr_switch *sw, uint16_t index)
{
	if (index >= WR_PORT_MAX || !atomic_load(&sw->ports[index].port))
		return NULL;
	return &sw->ports[index];
}

int wr_switch_port_del(struct wr_switch *sw, uint16_t index)
{
	if (!live_port(sw, index))
		return -ENOENT;
	/* The tunnel goes first (it holds the underlay), and takes its VTEPs; so does a chain. */
	if (wr_tunnel_owns(sw, index) || wr_chain_of_port(sw, index) >= 0 ||
	    wr_mirror_of_port(sw, index) >= 0 || wr_tap_port_watched(sw, index))
		return -EBUSY;
	return wr_switch_port_detach(sw, index);
}

int wr_switch_port_detach(struct wr_switch *sw, uint16_t index)
{
	struct sw_port *sp = live_port(sw, index);
	struct wr_port *port;
	struct wr_worker *w;

	if (!sp)
		return -ENOENT;
	port = atomic_exchange(&sp->port, NULL);
	w = sw->workers[sp->worker];
	if (w)
		wr_worker_remove_port(w, index);
	/* Its requests still queued, and those workers make until they see it gone: refused. */
	wr_fdb_port_renew(sw->fdb, index);
	wr_fdb_purge_port(sw->fdb, index, true);
	wr_steer_port_gone(sw, index);
	rebuild_flood(sw);
	/*
	 * A worker may still hold frames of this port, or queue some to it,
	 * until its next quiescent point: the port is closed, and its slot
	 * freed, after that (wr_switch_tick). The slot stays taken meanwhile
	 * because its conf is still set.
	 */
	defer(sw, port, index);
	limbo_reclaim(sw, false);
	return 0;
}

/* Whether @conf keeps port @index in the domains and VLANs it is in (a chain's port may only keep them). */
static bool same_place(const struct wr_switch *sw, uint16_t index, const struct wr_port_conf *conf)
{
	const struct wr_port_conf *c = &atomic_load(&sw->ports[index].conf)->c;

	return c->vlan_mode == conf->vlan_mode && c->bd == conf->bd &&
	       c->access_vlan == conf->access_vlan && c->native_vlan == conf->native_vlan &&
	       !memcmp(c->allowed, conf->allowed, sizeof(c->allowed));
}

int wr_switch_port_set(struct wr_switch *sw, uint16_t index, const struct wr_port_conf *conf)
{
	int err;

	if (!live_port(sw, index))
		return -ENOENT;
	if (!conf || check_conf(conf))
		return -EINVAL;
	if (wr_tunnel_owns(sw, index) || (wr_chain_of_port(sw, index) >= 0 && !same_place(sw, index, conf)))
		return -EBUSY;
	err = publish_conf(sw, index, conf);
	if (!err)
		err = rebuild_flood(sw);
	if (!err)
		wr_steer_port_changed(sw, index);
	/* Entries learned in the old setting would send frames the wrong way. */
	if (!err)
		port_rebound(sw, index);
	return err;
}

int wr_switch_port_up(struct wr_switch *sw, uint16_t index, bool up)
{
	struct sw_port *sp = live_port(sw, index);

	if (!sp)
		return -ENOENT;
	atomic_store(&sp->up, up);
	return 0;
}

static int mirror_replay(const struct wr_fdb_entry *e, void *arg)
{
	const struct wr_fdb_mirror *m = arg;

	m->set(m->ctx, e->bd, e->mac, e->port, e->is_static);
	return 0;
}

void wr_switch_set_mirror(struct wr_switch *sw, const struct wr_fdb_mirror *m)
{
	if (!m) {
		memset(&sw->fdb->mirror, 0, sizeof(sw->fdb->mirror));
		return;
	}
	sw->fdb->mirror = *m;
	if (m->set)
		wr_fdb_foreach(sw, mirror_replay, &sw->fdb->mirror);
}

void wr_switch_set_age(struct wr_switch *sw, uint32_t age_s)
{
	sw->conf.age_s = age_s;
}

uint32_t wr_switch_age(const struct wr_switch *sw)
{
	return sw->conf.age_s;
}

uint32_t wr_switch_port_learned(const struct wr_switch *sw, uint16_t index)
{
	return wr_fdb_port_learned(sw->fdb, index);
}

uint16_t wr_switch_vlan_bd_get(const struct wr_switch *sw, uint16_t vlan)
{
	return vlan && vlan < WR_VLAN_MAX - 1 ? atomic_load(&sw->vlan_bd[vlan]) : 0;
}

/* Whether a port of @c has frames of @vlan. */
static bool port_has_vlan(const struct wr_port_conf *c, uint16_t vlan)
{
	return c->vlan_mode == WR_VLAN_ACCESS ? c->access_vlan == vlan :
	       c->vlan_mode == WR_VLAN_TRUNK && wr_vlan_allowed(c, vlan);
}

/* Each bridge domain's lowest VLAN, after the VLAN map changed. */
static void bd_vlans(struct wr_switch *sw)
{
	uint16_t first[WR_BD_MAX] = { 0 };

	for (uint16_t v = WR_VLAN_MAX - 2; v >= 1; v--)
		first[atomic_load(&sw->vlan_bd[v])] = v;
	for (uint16_t bd = 1; bd < WR_BD_MAX; bd++)
		atomic_store_explicit(&sw->bd_vlan[bd], first[bd], memory_order_relaxed);
}

int wr_switch_vlan_bd(struct wr_switch *sw, uint16_t vlan, uint16_t bd)
{
	bool moved[WR_PORT_MAX];

	if (vlan == 0 || vlan >= WR_VLAN_MAX - 1 || bd >= WR_BD_MAX)
		return -EINVAL;
	if (atomic_load(&sw->vlan_bd[vlan]) == bd)
		return 0;
	atomic_store(&sw->vlan_bd[vlan], bd);
	bd_vlans(sw);
	/*
	 * The ports of @vlan change domains, as if their configuration had:
	 * published again after the store above, in a new generation, so a
	 * request made with the old map carries the old generation.
	 */
	for (uint16_t i = 0; i < WR_PORT_MAX; i++) {
		const struct sw_conf *c = atomic_load(&sw->ports[i].conf);

		moved[i] = atomic_load(&sw->ports[i].port) && c && port_has_vlan(&c->c, vlan);
	}
	return wr_switch_ports_moved(sw, moved);
}

int wr_switch_ports_moved(struct wr_switch *sw, const bool moved[WR_PORT_MAX])
{
	bool done[WR_PORT_MAX] = { false };
	int err = 0;

	for (uint16_t i = 0; i < WR_PORT_MAX && !err; i++) {
		const struct sw_conf *c = atomic_load(&sw->ports[i].conf);

		if (moved[i] && atomic_load(&sw->ports[i].port) && c) {
			err = publish_conf(sw, i, &c->c);
			done[i] = !err;
		}
	}
	if (!err)
		err = rebuild_flood(sw);
	for (uint16_t i = 0; i < WR_PORT_MAX; i++)
		if (done[i])
			port_rebound(sw, i);
	return err;
}

/* -------------------------------------------------------------- lifetime */

struct wr_switch *wr_switch_create(const struct wr_switch_conf *conf)
{
	struct wr_switch_conf def;
	struct wr_switch *sw;

	if (!conf) {
		wr_switch_conf_init(&def);
		conf = &def;
	}
	if (conf->n_workers == 0 || conf->n_workers > WR_WORKER_MAX || conf->fdb_max == 0) {
		errno = EINVAL;
		return NULL;
	}
	sw = wr_zalloc_aligned(sizeof(*sw));
	if (!sw)
		return NULL;
	sw->conf = *conf;
	for (uint16_t v = 1; v < WR_VLAN_MAX - 1; v++) {
		atomic_init(&sw->vlan_bd[v], v);
		atomic_init(&sw->bd_vlan[v], v);
	}
	sw->qsbr = wr_qsbr_create(conf->n_workers);
	if (!sw->qsbr)
		goto end_free;
	sw->fdb = wr_fdb_create(conf->fdb_max, conf->n_workers, sw->qsbr);
	if (!sw->fdb)
		goto end_qsbr;
	return sw;

end_qsbr:
	wr_qsbr_destroy(sw->qsbr);
end_free:
	free(sw);
	errno = ENOMEM;
	return NULL;
}

void wr_switch_destroy(struct wr_switch *sw)
{
	if (!sw)
		return;
	wr_trace_stop(sw);
	for (int i = 0; i < WR_WORKER_MAX; i++)
		wr_worker_destroy(sw->workers[i]);
	limbo_reclaim(sw, true);
	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wr_port *port = atomic_load(&sw->ports[i].port);

		if (port)
			port->ops->close(port);
		free((void *)atomic_load(&sw->ports[i].conf));
	}
	wr_tunnels_free(sw);
	wr_steer_free(sw);
	wr_chain_free(sw);
	wr_tap_free(sw);
	for (int bd = 0; bd < WR_BD_MAX; bd++)
		free((void *)atomic_load(&sw->flood[bd]));
	wr_fdb_destroy(sw->fdb);
	wr_qsbr_destroy(sw->qsbr);
	free(sw);
}

/* ---------------------------------------------------------------- ticks */

#define AGE_PARTS 8	/* the table is aged in this many seconds */

void wr_switch_tick(struct wr_switch *sw, uint32_t now_s)
{
	sw->now_s = now_s;
	wr_fdb_apply_learns(sw->fdb, now_s);
	/*
	 * Aging counts in seconds: sweep when the second changes, an eighth of
	 * the table per second (the whole of it every 8 s, far less than any
	 * sensible age), so that no tick is long whatever the table's size
	 * and frequent ticks (learning) cost no sweeping at all.
	 */
	if (now_s != sw->aged_s) {
		uint64_t n = (sw->fdb->mask + 1) / AGE_PARTS + 1;

		n *= now_s - sw->aged_s < AGE_PARTS ? now_s - sw->aged_s : AGE_PARTS;
		wr_fdb_age(sw->fdb, now_s, sw->conf.age_s, (uint32_t)n);
		sw->aged_s = now_s;
	}
	wr_fdb_reclaim(sw->fdb);
	if (sw->chain_ctl && sw->chain_ctl->n)
		wr_chain_tick(sw);
	limbo_reclaim(sw, false);
}

void wr_switch_counters(const struct wr_switch *sw, uint64_t *drops, uint64_t *events)
{
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i])
			wr_worker_counters(sw->workers[i], drops, events);
	wr_fdb_events(sw->fdb, events);
}

void wr_switch_port_stats(const struct wr_switch *sw, uint16_t index, struct wr_port_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i] && index < WR_PORT_MAX)
			wr_worker_port_stats(sw->workers[i], index, st);
}

/* ------------------------------------------------------------------- FDB */

static bool valid_mac(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6);
}

int wr_fdb_add_static(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6], uint16_t port)
{
	uint64_t bds[WR_BD_MAX / 64];
	uint16_t list[WR_BD_MAX];

	if (bd >= WR_BD_MAX || !valid_mac(mac) || !live_port(sw, port))
		return -EINVAL;
	/* Frames of another domain must never be sent to it. */
	if (bd == 0) {
		if (port_bds(sw, port, list) != 1)
			return -EXDEV;
		bd = list[0];
	}
	port_bd_set(sw, port, bds);
	if (!(bds[bd / 64] >> (bd % 64) & 1))
		return -EXDEV;
	return wr_fdb_insert_static(sw->fdb, wr_fdb_key(bd, mac), port, sw->now_s);
}

int wr_fdb_del(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6])
{
	if (bd == 0 || bd >= WR_BD_MAX)
		return -EINVAL;
	return wr_fdb_remove(sw->fdb, wr_fdb_key(bd, mac));
}

int wr_fdb_flush_port(struct wr_switch *sw, uint16_t port, bool all)
{
	if (port >= WR_PORT_MAX)
		return -EINVAL;
	return (int)wr_fdb_purge_port(sw->fdb, port, all);
}

int wr_fdb_flush_bd(struct wr_switch *sw, uint16_t bd, bool all)
{
	if (bd == 0 || bd >= WR_BD_MAX)
		return -EINVAL;
	return (int)wr_fdb_purge_bd(sw->fdb, bd, all);
}

int wr_fdb_flush_all(struct wr_switch *sw, bool all)
{
	return (int)wr_fdb_purge_all(sw->fdb, all);
}

int wr_fdb_get(struct wr_switch *sw, uint16_t bd, const uint8_t mac[6], struct wr_fdb_entry *out)
{
	if (bd == 0 || bd >= WR_BD_MAX)
		return -EINVAL;
	return wr_fdb_find(sw->fdb, wr_fdb_key(bd, mac), sw->now_s, out);
}

int wr_fdb_foreach(struct wr_switch *sw, int (*fn)(const struct wr_fdb_entry *e, void *arg),
		   void *arg)
{
	return wr_fdb_walk(sw->fdb, sw->now_s, fn, arg);
}

uint32_t wr_fdb_count(const struct wr_switch *sw)
{
	return wr_fdb_n_entries(sw->fdb);
}
