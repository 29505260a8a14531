/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tunnel.c - the control thread's side of tunnels: the underlay, the VNI
 * to bridge domain map, the remote VTEPs as ports, and the outer headers
 * built for each (VTEP, bridge domain) once its next hop is known.
 * Everything a worker reads is published whole (tunnel_priv.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steer_priv.h"
#include "tunnel_priv.h"

_Static_assert(WR_TUNNEL_VNI_MAX == WR_BD_LAST, "one VNI per bridge domain: bd_vni[] is the bound");

void wr_tunnel_conf_init(struct wr_tunnel_conf *c, enum wr_tunnel_type type)
{
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->udp_csum = true;
	c->mtu = 1500;
}

static struct sw_tunnel *tunnel(const struct wr_switch *sw, int id)
{
	return id >= 0 && id < WR_TUNNEL_MAX ? atomic_load(&sw->tunnels[id]) : NULL;
}

bool wr_tunnel_owns(const struct wr_switch *sw, uint16_t index)
{
	return index < WR_PORT_MAX &&
	       (atomic_load(&sw->ports[index].tun) || sw_vtep_of(sw, index));
}

uint16_t wr_tunnel_vtep_bds(const struct sw_vtep *v, uint16_t *bds)
{
	uint16_t n = 0;

	for (uint16_t bd = 1; bd < WR_BD_MAX; bd++)
		if (v->tun->bd_vni[bd] != WR_VNI_NONE)
			bds[n++] = bd;
	return n;
}

/* Slots of an open-addressed table for @n keys: a power of two, at least twice as many. */
static uint32_t table_slots(uint32_t n)
{
	uint32_t slots = 4;

	while (slots < 2 * n + 2)
		slots *= 2;
	return slots;
}

/*
 * The mirror (wr_switch_set_tunnel_mirror) told what changed from @old to
 * @new (NULL: nothing) of @t's map: removals first, so that a decap entry
 * never outlives what it names.
 */
static void mirror_map(struct wr_switch *sw, const struct sw_tunnel *t, const struct tun_map *old,
		       const struct tun_map *new)
{
	const struct wr_tunnel_mirror *m = &sw->tun_mirror;

	if (!m->hdr_set)
		return;
	for (uint32_t i = 0; old && i <= old->vni_mask; i++)
		if (old->vni[i].vni != WR_VNI_NONE && (!new || !tun_map_bd(new, old->vni[i].vni)))
			m->vni_del(m->ctx, t->underlay, old->vni[i].vni);
	for (uint16_t i = 0; old && i < old->n_vteps; i++)
		if (!new || tun_map_vtep(new, old->vteps[i].ip) != old->vteps[i].port)
			m->vtep_del(m->ctx, t->underlay, old->vteps[i].ip, old->vteps[i].port);
	for (uint32_t i = 0; new && i <= new->vni_mask; i++)
		if (new->vni[i].vni != WR_VNI_NONE &&
		    (!old || tun_map_bd(old, new->vni[i].vni) != new->vni[i].bd))
			m->vni_set(m->ctx, t->underlay, new->vni[i].vni, new->vni[i].bd);
	for (uint16_t i = 0; new && i < new->n_vteps; i++)
		if (!old || tun_map_vtep(old, new->vteps[i].ip) != new->vteps[i].port)
			m->vtep_set(m->ctx, t->underlay, new->vteps[i].ip, new->vteps[i].port);
}

/* The mirror told @v's headers went from @old to @new (NULL: none). */
static void mirror_hdrs(struct wr_switch *sw, const struct sw_vtep *v, const struct vtep_hdrs *old,
			const struct vtep_hdrs *new)
{
	const struct wr_tunnel_mirror *m = &sw->tun_mirror;

	if (!m->hdr_set)
		return;
	for (uint32_t i = 0; old && i <= old->mask; i++)
		if (old->slot[i].bd && !hdrs_find(new, old->slot[i].bd))
			m->hdr_del(m->ctx, v->port.index, old->slot[i].bd);
	for (uint32_t i = 0; new && i <= new->mask; i++)
		if (new->slot[i].bd)
			m->hdr_set(m->ctx, v->port.index, new->slot[i].bd, &new->slot[i].h,
				   v->tun->underlay, v->tun->conf.mtu);
}

void wr_switch_set_tunnel_mirror(struct wr_switch *sw, const struct wr_tunnel_mirror *m)
{
	memset(&sw->tun_mirror, 0, sizeof(sw->tun_mirror));
	if (!m || !m->hdr_set)
		return;
	sw->tun_mirror = *m;
	for (int i = 0; i < WR_TUNNEL_MAX; i++) {
		const struct sw_tunnel *t = atomic_load(&sw->tunnels[i]);

		if (!t)
			continue;
		mirror_map(sw, t, NULL, atomic_load(&t->map));
		for (uint16_t k = 0; k < t->n_vteps; k++)
			mirror_hdrs(sw, t->vteps[k], NULL, atomic_load(&t->vteps[k]->hdrs));
	}
}

/* Publish what workers need of @t now: its VNIs and its VTEPs' addresses. */
static int publish_map(struct wr_switch *sw, struct sw_tunnel *t)
{
	uint32_t slots = table_slots(t->n_bds);
	struct tun_map *m = calloc(1, sizeof(*m) + slots * sizeof(m->vni[0]));
	const struct tun_map *old;

	if (!m)
		return -ENOMEM;
	m->vni_mask = (uint16_t)(slots - 1);
	for (uint32_t i = 0; i < slots; i++)
		m->vni[i].vni = WR_VNI_NONE;
	for (uint16_t bd = 1; bd < WR_BD_MAX; bd++) {
		uint32_t vni = t->bd_vni[bd], i = vni_slot(vni, m->vni_mask);

		if (vni == WR_VNI_NONE)
			continue;
		while (m->vni[i].vni != WR_VNI_NONE)
			i = (i + 1) & m->vni_mask;
		m->vni[i].vni = vni;
		m->vni[i].bd = bd;
	}
	m->n_vteps = t->n_vteps;
	for (uint16_t i = 0; i < t->n_vteps; i++) {
		memcpy(m->vteps[i].ip, t->vteps[i]->ip, 16);
		m->vteps[i].port = t->vteps[i]->port.index;
	}
	old = atomic_exchange_explicit(&t->map, m, memory_order_acq_rel);
	mirror_map(sw, t, old, m);
	wr_switch_defer_free(sw, (void *)old);
	return 0;
}

/* @v's outer headers for every domain of its tunnel, or none without a next hop. */
static int build_hdrs(struct wr_switch *sw, struct sw_vtep *v)
{
	const struct sw_tunnel *t = v->tun;
	struct wr_geneve_opt opts[WR_GENEVE_OPTS_MAX / 4];
	struct wr_tun_params p;
	struct vtep_hdrs *h = NULL;
	const struct vtep_hdrs *old;
	uint32_t slots = table_slots(t->n_bds);
	int err;

	if (v->has_nexthop) {
		h = calloc(1, sizeof(*h) + slots * sizeof(h->slot[0]));
		if (!h)
			return -ENOMEM;
		h->mask = (uint16_t)(slots - 1);
		wr_tun_params_init(&p, t->conf.type);
		p.ipv6 = t->conf.ipv6;
		memcpy(p.src_mac, v->src_mac, 6);
		memcpy(p.dst_mac, v->dst_mac, 6);
		memcpy(p.src_ip, t->conf.local_ip, 16);
		memcpy(p.dst_ip, v->ip, 16);
		p.dst_port = t->rx.dst_port;
		p.sport_min = t->conf.sport_min;
		p.sport_max = t->conf.sport_max;
		p.udp_csum = t->conf.udp_csum;
		p.opts = opts;
		p.n_opts = t->conf.n_opts;
		for (uint8_t i = 0; i < t->conf.n_opts; i++)
			opts[i] = (struct wr_geneve_opt){ t->conf.opts[i].cls, t->conf.opts[i].type,
							  t->conf.opts[i].len, t->conf.opts[i].data };
		for (uint16_t bd = 1; bd < WR_BD_MAX; bd++) {
			uint16_t i = bd & h->mask;

			if (t->bd_vni[bd] == WR_VNI_NONE)
				continue;
			while (h->slot[i].bd)
				i = (i + 1) & h->mask;
			p.vni = t->bd_vni[bd];
			err = wr_tun_hdr_build(&p, &h->slot[i].h);
			if (err) {
				free(h);
				return err;
			}
			h->slot[i].bd = bd;
		}
	}
	old = atomic_exchange_explicit(&v->hdrs, h, memory_order_acq_rel);
	mirror_hdrs(sw, v, old, h);
	wr_switch_defer_free(sw, (void *)old);
	return 0;
}

static bool ip_is_zero(const uint8_t ip[16])
{
	static const uint8_t zero[16];

	return !memcmp(ip, zero, 16);
}

/* A unicast address of the tunnel's family: not zero, not multicast, nothing past IPv4's 4 bytes. */
static bool valid_ip(bool ipv6, const uint8_t ip[16])
{
	static const uint8_t zero[12];

	if (ip_is_zero(ip))
		return false;
	if (ipv6)
		return ip[0] != 0xff;
	return !memcmp(ip + 4, zero, 12) && (ip[0] < 224 || ip[0] > 239) &&
	       !(ip[0] == 255 && ip[1] == 255 && ip[2] == 255 && ip[3] == 255);
}

/* Options only on Geneve, within their bound, each whole words of data. */
static bool opts_fit(const struct wr_tunnel_conf *c)
{
	size_t total = 0;

	if (c->n_opts && c->type != WR_TUNNEL_GENEVE)
		return false;
	for (uint8_t i = 0; i < c->n_opts && i < WR_GENEVE_OPTS_MAX / 4; i++) {
		if (c->opts[i].len % 4 || c->opts[i].len > sizeof(c->opts[i].data))
			return false;
		total += 4u + c->opts[i].len;
	}
	return c->n_opts <= WR_GENEVE_OPTS_MAX / 4 && total <= WR_GENEVE_OPTS_MAX;
}

int wr_tunnel_add(struct wr_switch *sw, uint16_t underlay, const struct wr_tunnel_conf *c)
{
	bool moved[WR_PORT_MAX] = { false };
	struct sw_tunnel *t;
	int id = -1, err;

	if (!c || underlay >= WR_PORT_MAX || !atomic_load(&sw->ports[underlay].port))
		return -ENOENT;
	/* An underlay bridges nothing: a steering rule's frames would leave it raw. */
	if (wr_tunnel_owns(sw, underlay) || wr_steer_targets(sw, underlay) ||
	    wr_chain_of_port(sw, underlay) >= 0)
		return -EBUSY;
	if ((unsigned int)c->type >= WR_TUNNEL_TYPE_COUNT || !valid_ip(c->ipv6, c->local_ip) ||
	    c->sport_min > c->sport_max || c->mtu < 576 || !opts_fit(c) ||
	    c->n_known > WR_GENEVE_KNOWN_MAX || (c->n_known && c->type != WR_TUNNEL_GENEVE))
		return -EINVAL;
	for (int i = 0; i < WR_TUNNEL_MAX && id < 0; i++)
		if (!atomic_load(&sw->tunnels[i]))
			id = i;
	if (id < 0)
		return -ENOSPC;
	t = wr_zalloc_aligned(sizeof(*t));	/* per-worker rows on their own lines */
	if (!t)
		return -ENOMEM;
	t->conf = *c;
	if (!t->conf.sport_min && !t->conf.sport_max) {
		t->conf.sport_min = WR_TUN_SPORT_MIN;
		t->conf.sport_max = WR_TUN_SPORT_MAX;
	}
	wr_tun_rx_conf_init(&t->rx, c->type);
	t->rx.ipv6 = c->ipv6;
	memcpy(t->rx.local_ip, c->local_ip, 16);
	t->rx.n_known = c->n_known;
	for (uint8_t i = 0; i < c->n_known; i++) {
		t->rx.known[i].cls = c->known[i].cls;
		t->rx.known[i].type = c->known[i].type;
	}
	if (c->dst_port)
		t->rx.dst_port = c->dst_port;
	t->id = id;
	t->underlay = underlay;
	t->under = atomic_load(&sw->ports[underlay].port);
	for (int bd = 0; bd < WR_BD_MAX; bd++)
		t->bd_vni[bd] = WR_VNI_NONE;
	err = publish_map(sw, t);
	if (err) {
		free(t);
		return err;
	}
	atomic_store(&sw->tunnels[id], t);
	/* From here on its frames are the tunnel's; it leaves its domains. */
	atomic_store(&sw->ports[underlay].tun, (uint8_t)(id + 1));
	moved[underlay] = true;
	wr_fdb_flush_port(sw, underlay, true);
	err = wr_switch_ports_moved(sw, moved);
	return err ? err : id;
}

int wr_tunnel_del(struct wr_switch *sw, int id)
{
	struct sw_tunnel *t = tunnel(sw, id);
	bool moved[WR_PORT_MAX] = { false };

	if (!t)
		return -ENOENT;
	while (t->n_vteps)
		wr_tunnel_vtep_del(sw, t->vteps[t->n_vteps - 1]->port.index);
	mirror_map(sw, t, atomic_load(&t->map), NULL);
	atomic_store(&sw->ports[t->underlay].tun, 0);
	atomic_store(&sw->tunnels[id], NULL);
	moved[t->underlay] = true;
	/* A worker may still be decapsulating with it: freed after them. */
	wr_switch_defer_free(sw, (void *)atomic_load(&t->map));
	wr_switch_defer_free(sw, t);
	return wr_switch_ports_moved(sw, moved);
}

/* Every VTEP of @t moves with its tunnel's domains, and gets headers for them. */
static int vteps_moved(struct wr_switch *sw, struct sw_tunnel *t)
{
	bool moved[WR_PORT_MAX] = { false };
	int err = 0;

	for (uint16_t i = 0; i < t->n_vteps && !err; i++) {
		moved[t->vteps[i]->port.index] = true;
		err = build_hdrs(sw, t->vteps[i]);
	}
	return err ? err : wr_switch_ports_moved(sw, moved);
}

int wr_tunnel_vni(struct wr_switch *sw, int id, uint32_t vni, uint16_t bd)
{
	struct sw_tunnel *t = tunnel(sw, id);
	int err, old = 0;

	if (!t)
		return -ENOENT;
	if (vni > WR_VNI_LAST || bd >= WR_BD_MAX)
		return -EINVAL;
	for (uint16_t b = 1; b < WR_BD_MAX && !old; b++)
		if (t->bd_vni[b] == vni)
			old = b;
	if (bd == 0 && !old)
		return -ENOENT;
	if (old == bd)
		return 0;
	/* One VNI per domain: a second would make the way out ambiguous. */
	if (bd && t->bd_vni[bd] != WR_VNI_NONE)
		return -EBUSY;
	if (old) {
		t->bd_vni[old] = WR_VNI_NONE;
		t->n_bds--;
	}
	if (bd) {
		t->bd_vni[bd] = vni;
		t->n_bds++;
	}
	err = publish_map(sw, t);
	return err ? err : vteps_moved(sw, t);
}

/* ------------------------------------------------------------- VTEPs */

static uint16_t vtep_rx(struct wr_port *port, uint16_t queue, struct wr_pkt *pkts, uint16_t n)
{
	(void)port, (void)queue, (void)pkts, (void)n;
	return 0;	/* its frames come out of the underlay's (wr_stage_decap) */
}

static uint16_t vtep_tx(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	(void)port, (void)queue, (void)pkts, (void)n;
	return 0;	/* never called: the output stage queues its frames on the underlay */
}

static uint16_t vtep_alloc(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	struct wr_port *u = ((struct sw_vtep *)port->priv)->tun->under;

	return u->ops->alloc(u, queue, pkts, n);
}

static void vtep_free(struct wr_port *port, uint16_t queue, struct wr_pkt **pkts, uint16_t n)
{
	struct wr_port *u = ((struct sw_vtep *)port->priv)->tun->under;

	u->ops->free(u, queue, pkts, n);
}

static bool vtep_link_up(const struct wr_port *port)
{
	const struct wr_port *u = ((const struct sw_vtep *)port->priv)->tun->under;

	return u->ops->link_up(u);
}

static void vtep_stats(const struct wr_port *port, struct wr_port_stats *st)
{
	(void)port, (void)st;
}

static void vtep_close(struct wr_port *port)
{
	struct sw_vtep *v = port->priv;

	free((void *)atomic_load(&v->hdrs));
	free(v);
}

static const struct wr_port_ops vtep_ops = {
	.kind = "vtep",
	.rx_burst = vtep_rx,
	.tx_burst = vtep_tx,
	.alloc = vtep_alloc,
	.free = vtep_free,
	.link_up = vtep_link_up,
	.stats = vtep_stats,
	.close = vtep_close,
};

int wr_tunnel_vtep_add(struct wr_switch *sw, int id, const uint8_t ip[16], bool flood)
{
	struct sw_tunnel *t = tunnel(sw, id);
	bool moved[WR_PORT_MAX] = { false };
	struct wr_port_conf conf;
	struct sw_vtep *v;
	int index, err;

	if (!t)
		return -ENOENT;
	if (!valid_ip(t->conf.ipv6, ip) || !memcmp(ip, t->conf.local_ip, 16))
		return -EINVAL;
	for (uint16_t i = 0; i < t->n_vteps; i++)
		if (!memcmp(t->vteps[i]->ip, ip, 16))
			return -EEXIST;
	if (t->n_vteps == WR_VTEP_MAX)
		return -ENOSPC;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->tun = t;
	memcpy(v->ip, ip, 16);
	v->flood = flood;
	v->port.ops = &vtep_ops;
	v->port.priv = v;
	v->port.pool = t->under->pool;
	v->port.buf_size = t->under->buf_size;
	v->port.max_len = t->under->max_len;
	snprintf(v->port.name, sizeof(v->port.name), "tunnel%d.vtep", id);
	wr_port_conf_init(&conf);
	conf.vlan_mode = WR_VLAN_VTEP;
	conf.bd = 0;
	index = wr_switch_port_attach(sw, &v->port, &conf);
	if (index < 0) {
		free(v);
		return index;
	}
	atomic_store_explicit(&sw->ports[index].vtep, v, memory_order_release);
	t->vteps[t->n_vteps++] = v;
	moved[index] = true;
	err = publish_map(sw, t);
	if (!err)
		err = wr_switch_ports_moved(sw, moved);
	if (err) {
		wr_tunnel_vtep_del(sw, (uint16_t)index);
		return err;
	}
	return index;
}

int wr_tunnel_vtep_del(struct wr_switch *sw, uint16_t port)
{
	struct sw_vtep *v = port < WR_PORT_MAX ? sw_vtep_of(sw, port) : NULL;
	struct sw_tunnel *t;
	uint16_t i = 0;

	if (!v || !atomic_load(&sw->ports[port].port))
		return -ENOENT;
	t = v->tun;
	while (t->vteps[i] != v)
		i++;
	t->vteps[i] = t->vteps[--t->n_vteps];
	publish_map(sw, t);
	mirror_hdrs(sw, v, atomic_load(&v->hdrs), NULL);
	/* Closed, and freed, once no worker can still see it. */
	return wr_switch_port_detach(sw, port);
}

int wr_tunnel_vtep_nexthop(struct wr_switch *sw, uint16_t port, const uint8_t src_mac[6],
			   const uint8_t *dst_mac)
{
	struct sw_vtep *v = port < WR_PORT_MAX ? sw_vtep_of(sw, port) : NULL;

	if (!v || !atomic_load(&sw->ports[port].port))
		return -ENOENT;
	v->has_nexthop = dst_mac != NULL;
	memcpy(v->src_mac, src_mac, 6);
	if (dst_mac)
		memcpy(v->dst_mac, dst_mac, 6);
	return build_hdrs(sw, v);
}

int wr_tunnel_vtep_of(const struct wr_switch *sw, uint16_t port, uint8_t ip[16])
{
	const struct sw_vtep *v = port < WR_PORT_MAX ? sw_vtep_of(sw, port) : NULL;

	if (!v)
		return -1;
	if (ip)
		memcpy(ip, v->ip, 16);
	return v->tun->id;
}

int wr_tunnel_vtep_requests(struct wr_switch *sw, int id, uint8_t (*ips)[16], int max)
{
	struct sw_tunnel *t = tunnel(sw, id);
	int n = 0;

	if (!t)
		return -ENOENT;
	for (int w = 0; w < WR_WORKER_MAX; w++) {
		struct tun_req_ring *r = &t->vtep_req[w];
		uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);

		for (; tail != head && n < max; tail++)
			memcpy(ips[n++], r->ip[tail % TUN_REQ_MAX], 16);
		atomic_store_explicit(&r->tail, tail, memory_order_release);
	}
	return n;
}

int wr_tunnel_rx_options(const struct wr_switch *sw, int id, struct wr_tunnel_opt_count *out,
			 uint64_t *other)
{
	const struct sw_tunnel *t = tunnel(sw, id);
	int n = 0;

	*other = 0;
	if (!t)
		return -ENOENT;
	for (int w = 0; w < WR_WORKER_MAX; w++) {
		const struct tun_opt_row *r = &t->rx_opts[w];

		*other += r->other;
		for (int i = 0; i < WR_TUNNEL_RX_OPTS && r->e[i].used; i++) {
			int k = 0;

			while (k < n && (out[k].cls != r->e[i].cls || out[k].type != r->e[i].type))
				k++;
			if (k == n && n == WR_TUNNEL_RX_OPTS) {
				*other += r->e[i].pkts;
				continue;
			}
			if (k == n)
				out[n++] = (struct wr_tunnel_opt_count){ r->e[i].cls, r->e[i].type, 0 };
			out[k].pkts += r->e[i].pkts;
		}
	}
	return n;
}

void wr_tunnels_free(struct wr_switch *sw)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++) {
		struct sw_tunnel *t = atomic_load(&sw->tunnels[i]);

		if (t) {
			free((void *)atomic_load(&t->map));
			free(t);
		}
	}
}
