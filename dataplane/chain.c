/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * chain.c - the control thread's side of service chains: add, delete, a
 * hop's administrative state, the hops' link state timed, the table the
 * workers read (chain_priv.h), the counters summed.
 *
 * A chain's hop ports leave their bridge domains while it lives (port_bds()
 * gives an l2 hop's none: no flooded frame, no learning; an l3 hop's the
 * chain's domain; their FDB entries purged either way) and take their own
 * configuration again when it goes. The ports
 * a chain names cannot be deleted or moved to another domain meanwhile
 * (wr_chain_of_port(): -EBUSY), as a tunnel holds its underlay.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain_priv.h"
#include "steer_priv.h"
#include "tunnel_priv.h"

static struct sw_chains *ctl(struct wr_switch *sw)
{
	if (!sw->chain_ctl)
		sw->chain_ctl = calloc(1, sizeof(*sw->chain_ctl));
	return sw->chain_ctl;
}

static bool tick(struct wr_switch *sw);

/* The mirror, if any, told the chains changed. */
static void notify(const struct wr_switch *sw)
{
	const struct sw_chains *c = sw->chain_ctl;

	if (c && c->mirror.changed)
		c->mirror.changed(c->mirror.ctx);
}

static int64_t realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

/*
 * Chains by bridge domain, each domain's side by side (chain_table.bdc[]),
 * then in the order workers ask them: priority, then name.
 */
static int order(const void *a, const void *b)
{
	const struct wr_chain_conf *x = a, *y = b;

	if (x->bd != y->bd)
		return x->bd < y->bd ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* An address's first @len bits as chain_key's two words, into @v (the address) and @m (the mask). */
static void prefix_words(const uint8_t ip[16], bool v6, uint8_t len, uint64_t v[2], uint64_t m[2])
{
	uint8_t b[16] = { 0 }, mb[16] = { 0 };

	memcpy(b, ip, v6 ? 16 : 4);
	for (int i = 0; i < 16; i++) {
		int bits = len - 8 * i;

		mb[i] = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff00 >> bits) : 0;
	}
	for (int h = 0; h < 2; h++) {
		v[h] = m[h] = 0;
		for (int i = 0; i < 8; i++) {
			v[h] = v[h] << 8 | b[8 * h + i];
			m[h] = m[h] << 8 | mb[8 * h + i];
		}
		v[h] &= m[h];
	}
}

/* Classifier @k as the masked words workers compare (chain_priv.h); a trace's filter too. */
void wr_chain_compile(const struct wr_chain_class *k, struct wr_chain_words *c)
{
	const uint64_t mac_mask = 0xffffffffffffull;
	uint32_t f = k->fields;
	bool v6 = k->ip_version == 6;

	memset(c, 0, sizeof(*c));
	c->sp_span = c->dp_span = 0xffff;
	if (f & WR_CHAIN_F_IN_PORT) {
		c->w0 |= (uint64_t)k->in_port << 48;
		c->m0 |= 0xffffull << 48;
	}
	if (f & WR_CHAIN_F_VLAN) {
		c->w0 |= (uint64_t)k->vlan << 32;
		c->m0 |= 0xffffull << 32;
	}
	if (f & WR_CHAIN_F_SRC_MAC) {
		c->smac = steer_mac(k->src_mac);
		c->msmac = mac_mask;
	}
	if (f & WR_CHAIN_F_DST_MAC) {
		c->dmac = steer_mac(k->dst_mac);
		c->mdmac = mac_mask;
	}
	if (f & (WR_CHAIN_F_SRC_NET | WR_CHAIN_F_DST_NET)) {
		c->w0 |= CHAIN_W0_L3 | k->ip_version;
		c->m0 |= CHAIN_W0_L3 | 0xff;
	}
	if (f & WR_CHAIN_F_SRC_NET)
		prefix_words(k->src_ip, v6, k->src_len, c->sip, c->msip);
	if (f & WR_CHAIN_F_DST_NET)
		prefix_words(k->dst_ip, v6, k->dst_len, c->dip, c->mdip);
	if (f & WR_CHAIN_F_PROTO) {
		c->w0 |= CHAIN_W0_L3 | (uint64_t)k->proto << 8;
		c->m0 |= CHAIN_W0_L3 | 0xff00;
	}
	if (f & (WR_CHAIN_F_SPORT | WR_CHAIN_F_DPORT)) {
		c->w0 |= CHAIN_W0_L4;
		c->m0 |= CHAIN_W0_L4;
	}
	if (f & WR_CHAIN_F_SPORT) {
		c->sp_lo = k->sport_lo;
		c->sp_span = (uint16_t)(k->sport_hi - k->sport_lo);
	}
	if (f & WR_CHAIN_F_DPORT) {
		c->dp_lo = k->dport_lo;
		c->dp_span = (uint16_t)(k->dport_hi - k->dport_lo);
	}
}

/* Publish the chains as a new table (NULL when there is none); the old one goes after a grace period. */
static int publish(struct wr_switch *sw)
{
	const struct sw_chains *c = sw->chain_ctl;
	struct wr_chain_conf sorted[WR_CHAIN_MAX];
	struct chain_table *t = NULL;
	const struct chain_table *old;
	uint16_t n = 0;

	for (int id = 0; c && id < WR_CHAIN_MAX; id++)
		if (c->ch[id].used)
			sorted[n++] = c->ch[id].conf;
	if (n) {
		t = calloc(1, sizeof(*t) + n * sizeof(t->c[0]));
		if (!t)
			return -ENOMEM;
		qsort(sorted, n, sizeof(sorted[0]), order);
		for (uint16_t i = 0; i < n; i++) {
			struct chain_rt *r = &t->c[i];
			int id = wr_chain_find(sw, sorted[i].name);

			r->id = (uint16_t)id;
			r->bd = sorted[i].bd;
			wr_chain_compile(&sorted[i].cls, &r->cls);
			r->n_hops = sorted[i].n_hops;
			if (!t->bdc[r->bd].n++)
				t->bdc[r->bd].first = (uint8_t)i;
			for (uint8_t h = 0; h < r->n_hops; h++) {
				const struct wr_chain_hop *hc = &sorted[i].hops[h];

				r->hop[h].in = hc->in;
				r->hop[h].out = hc->out;
				r->hop[h].set_up = c->ch[id].admin_up[h] && c->ch[id].probe_up[h];
				r->hop[h].fail_closed = hc->fail == WR_CHAIN_FAIL_CLOSED;
				r->hop[h].l3 = hc->kind == WR_CHAIN_L3;
				memcpy(r->hop[h].mac, hc->mac, sizeof(r->hop[h].mac));
				t->hopport[hc->in] = (struct chain_port){ (uint8_t)(i + 1), h, false,
									  r->hop[h].l3 };
				t->hopport[hc->out] = (struct chain_port){ (uint8_t)(i + 1), h, true,
									   r->hop[h].l3 };
			}
		}
		t->n = n;
	}
	old = atomic_exchange_explicit(&sw->chains, t, memory_order_acq_rel);
	wr_switch_defer_free(sw, (void *)old);
	return 0;
}

int wr_chain_find(const struct wr_switch *sw, const char *name)
{
	const struct sw_chains *c = sw->chain_ctl;

	for (int id = 0; c && name && id < WR_CHAIN_MAX; id++)
		if (c->ch[id].used && !strcmp(c->ch[id].conf.name, name))
			return id;
	return -ENOENT;
}

int wr_chain_of_port(const struct wr_switch *sw, uint16_t index)
{
	const struct sw_chains *c = sw->chain_ctl;

	for (int id = 0; c && id < WR_CHAIN_MAX; id++) {
		const struct wr_chain_conf *k = &c->ch[id].conf;

		if (!c->ch[id].used)
			continue;
		if ((k->cls.fields & WR_CHAIN_F_IN_PORT) && k->cls.in_port == index)
			return id;
		for (uint8_t h = 0; h < k->n_hops; h++)
			if (k->hops[h].in == index || k->hops[h].out == index)
				return id;
	}
	return -1;
}

/* The hop port @index is of, or NULL. */
static const struct wr_chain_hop *hop_of(const struct wr_switch *sw, uint16_t index,
					 uint16_t *bd)
{
	const struct sw_chains *c = sw->chain_ctl;

	for (int id = 0; c && id < WR_CHAIN_MAX; id++)
		for (uint8_t h = 0; c->ch[id].used && h < c->ch[id].conf.n_hops; h++)
			if (c->ch[id].conf.hops[h].in == index || c->ch[id].conf.hops[h].out == index) {
				*bd = c->ch[id].conf.bd;
				return &c->ch[id].conf.hops[h];
			}
	return NULL;
}

bool wr_chain_hop_port(const struct wr_switch *sw, uint16_t index)
{
	uint16_t bd;

	return hop_of(sw, index, &bd) != NULL;
}

uint16_t wr_chain_l3_bd(const struct wr_switch *sw, uint16_t index)
{
	const struct wr_chain_hop *h;
	uint16_t bd = 0;

	h = hop_of(sw, index, &bd);
	return h && h->kind == WR_CHAIN_L3 ? bd : 0;
}

bool wr_chain_in_bd(const struct wr_switch *sw, uint16_t bd)
{
	const struct sw_chains *c = sw->chain_ctl;

	for (int id = 0; c && id < WR_CHAIN_MAX; id++)
		if (c->ch[id].used && c->ch[id].conf.bd == bd)
			return true;
	return false;
}

uint32_t wr_chain_count(const struct wr_switch *sw)
{
	return sw->chain_ctl ? sw->chain_ctl->n : 0;
}

static bool port_live(const struct wr_switch *sw, uint16_t port)
{
	return port < WR_PORT_MAX && atomic_load(&sw->ports[port].port);
}

/* The classifier: at least one field, each within its bounds. */
/*
 * Whether @k matches what it matches swapped (no in_port, and each source
 * field as its destination field): then an answer would match forward
 * too, and go through the hops the same way as the question, which a
 * bridge in a hop cannot take (it learns both ends on its in side).
 */
static bool symmetric(const struct wr_chain_class *k)
{
	uint32_t f = k->fields;

	if (f & WR_CHAIN_F_IN_PORT)
		return false;
	if (!(f & WR_CHAIN_F_SRC_MAC) != !(f & WR_CHAIN_F_DST_MAC) ||
	    ((f & WR_CHAIN_F_SRC_MAC) && memcmp(k->src_mac, k->dst_mac, 6)))
		return false;
	if (!(f & WR_CHAIN_F_SRC_NET) != !(f & WR_CHAIN_F_DST_NET) ||
	    ((f & WR_CHAIN_F_SRC_NET) &&
	     (k->src_len != k->dst_len || memcmp(k->src_ip, k->dst_ip, sizeof(k->src_ip)))))
		return false;
	if (!(f & WR_CHAIN_F_SPORT) != !(f & WR_CHAIN_F_DPORT) ||
	    ((f & WR_CHAIN_F_SPORT) && (k->sport_lo != k->dport_lo || k->sport_hi != k->dport_hi)))
		return false;
	return true;
}

static int check_class(const struct wr_switch *sw, const struct wr_chain_class *k)
{
	uint8_t max = k->ip_version == 6 ? 128 : 32;

	if (!k->fields || k->fields >= WR_CHAIN_F_DPORT << 1)
		return -EINVAL;
	if ((k->fields & WR_CHAIN_F_IN_PORT) && !port_live(sw, k->in_port))
		return -ENOENT;
	if ((k->fields & WR_CHAIN_F_VLAN) && (k->vlan == 0 || k->vlan > WR_VLAN_LAST))
		return -EINVAL;
	if ((k->fields & (WR_CHAIN_F_SRC_NET | WR_CHAIN_F_DST_NET)) &&
	    k->ip_version != 4 && k->ip_version != 6)
		return -EINVAL;
	if (((k->fields & WR_CHAIN_F_SRC_NET) && k->src_len > max) ||
	    ((k->fields & WR_CHAIN_F_DST_NET) && k->dst_len > max))
		return -EINVAL;
	if (((k->fields & WR_CHAIN_F_SPORT) && k->sport_lo > k->sport_hi) ||
	    ((k->fields & WR_CHAIN_F_DPORT) && k->dport_lo > k->dport_hi))
		return -EINVAL;
	return symmetric(k) ? -EDOM : 0;
}

/* A hop port: there, untagged, no one else's, named once. */
static int check_hop_port(const struct wr_switch *sw, const struct wr_chain_conf *c, uint16_t port,
			  int seen)
{
	const struct sw_conf *sc;

	if (!port_live(sw, port))
		return -ENOENT;
	sc = atomic_load(&sw->ports[port].conf);
	if (sc->c.vlan_mode != WR_VLAN_NONE)
		return -EINVAL;
	if (wr_tunnel_owns(sw, port) || atomic_load(&sw->ports[port].tun) ||
	    atomic_load(&sw->ports[port].vtep) || wr_steer_targets(sw, port) ||
	    wr_chain_of_port(sw, port) >= 0)
		return -EBUSY;
	if ((c->cls.fields & WR_CHAIN_F_IN_PORT) && c->cls.in_port == port)
		return -EINVAL;
	/* The ports before it: hop 0's in, its out, hop 1's in, ... */
	for (int i = 0; i < seen; i++)
		if ((i % 2 ? c->hops[i / 2].out : c->hops[i / 2].in) == port)
			return -EINVAL;
	return 0;
}

static int check(const struct wr_switch *sw, const struct wr_chain_conf *c)
{
	int err;

	if (!c->name[0] || c->bd == 0 || c->bd > WR_BD_LAST || c->n_hops == 0 ||
	    c->n_hops > WR_CHAIN_HOPS_MAX)
		return -EINVAL;
	err = check_class(sw, &c->cls);
	for (int h = 0; !err && h < c->n_hops; h++) {
		const struct wr_chain_hop *hc = &c->hops[h];

		if ((unsigned int)hc->kind >= WR_CHAIN_KIND_COUNT ||
		    (unsigned int)hc->fail >= WR_CHAIN_FAIL_COUNT)
			return -EINVAL;
		/* A router's interfaces: unicast MACs a frame can be sent to. */
		for (int d = 0; hc->kind == WR_CHAIN_L3 && d < WR_CHAIN_DIRS; d++)
			if ((hc->mac[d][0] & 1) || !memcmp(hc->mac[d], (uint8_t[6]){ 0 }, 6))
				return -EINVAL;
		if (c->hops[h].in == c->hops[h].out)
			return -EINVAL;
		err = check_hop_port(sw, c, c->hops[h].in, 2 * h);
		if (!err)
			err = check_hop_port(sw, c, c->hops[h].out, 2 * h + 1);
	}
	return err;
}

/* A free id no worker can still count with, or -1. */
static int free_id(struct wr_switch *sw, const struct sw_chains *c)
{
	uint64_t safe = wr_qsbr_safe(sw->qsbr);

	for (int id = 0; id < WR_CHAIN_MAX; id++)
		if (!c->ch[id].used && c->ch[id].freed <= safe)
			return id;
	return -1;
}

/* Chain @id's hop ports into @moved: they leave, or come back to, their domains. */
static void hop_ports(const struct sw_chains *c, int id, bool moved[WR_PORT_MAX])
{
	memset(moved, 0, WR_PORT_MAX * sizeof(moved[0]));
	for (uint8_t h = 0; h < c->ch[id].conf.n_hops; h++) {
		moved[c->ch[id].conf.hops[h].in] = true;
		moved[c->ch[id].conf.hops[h].out] = true;
	}
}

int wr_chain_add(struct wr_switch *sw, const struct wr_chain_conf *conf)
{
	struct sw_chains *c = ctl(sw);
	bool moved[WR_PORT_MAX];
	int id, err;

	if (!c)
		return -ENOMEM;
	if (!conf || memchr(conf->name, 0, sizeof(conf->name)) == NULL)
		return -EINVAL;
	if (wr_chain_find(sw, conf->name) >= 0)
		return -EEXIST;
	err = check(sw, conf);
	if (err)
		return err;
	if (c->n == WR_CHAIN_MAX)
		return -ENOSPC;
	id = free_id(sw, c);
	if (id < 0)
		return -EAGAIN;
	/* Its counters start again: no worker has counted with this id since a grace period. */
	for (int i = 0; i < WR_WORKER_MAX; i++)
		if (sw->workers[i])
			memset(&sw->workers[i]->chain[id], 0, sizeof(sw->workers[i]->chain[id]));
	c->ch[id].used = true;
	c->ch[id].conf = *conf;
	for (int h = 0; h < WR_CHAIN_HOPS_MAX; h++) {
		c->ch[id].admin_up[h] = true;
		c->ch[id].probe_up[h] = true;
		c->ch[id].up[h] = false;
		c->ch[id].since_s[h] = realtime_s();
	}
	c->n++;
	err = publish(sw);
	if (err) {
		c->ch[id].used = false;
		c->n--;
		return err;
	}
	/* Out of their domains: flood sets without them, what they learned forgotten. */
	hop_ports(c, id, moved);
	wr_switch_ports_moved(sw, moved);
	tick(sw);
	notify(sw);
	return id;
}

int wr_chain_del(struct wr_switch *sw, int id)
{
	struct sw_chains *c = sw->chain_ctl;
	bool moved[WR_PORT_MAX];
	int err;

	if (!c || id < 0 || id >= WR_CHAIN_MAX || !c->ch[id].used)
		return -ENOENT;
	c->ch[id].used = false;
	c->n--;
	err = publish(sw);
	if (err) {
		c->ch[id].used = true;
		c->n++;
		return err;
	}
	/* Workers holding the old table may count with the id until they pass this token. */
	c->ch[id].freed = wr_qsbr_epoch(sw->qsbr);
	hop_ports(c, id, moved);
	wr_switch_ports_moved(sw, moved);
	notify(sw);
	return 0;
}

/* Whether hop @h of chain @id can pass frames: its ports there, up, with carrier. */
static bool hop_links(const struct wr_switch *sw, const struct wr_chain_hop *h)
{
	uint16_t ports[2] = { h->in, h->out };

	for (int i = 0; i < 2; i++) {
		struct wr_port *p = atomic_load(&sw->ports[ports[i]].port);

		if (!p || !atomic_load(&sw->ports[ports[i]].up) || !p->ops->link_up(p))
			return false;
	}
	return true;
}

/* Hop @hop of chain @id's administrative (@probe false) or probe state @up, published. */
static int hop_set(struct wr_switch *sw, int id, unsigned int hop, bool probe, bool up)
{
	struct sw_chains *c = sw->chain_ctl;
	bool *at, was;
	int err;

	if (!c || id < 0 || id >= WR_CHAIN_MAX || !c->ch[id].used)
		return -ENOENT;
	if (hop >= c->ch[id].conf.n_hops)
		return -ERANGE;
	at = probe ? &c->ch[id].probe_up[hop] : &c->ch[id].admin_up[hop];
	was = *at;
	if (was == up)
		return 0;
	*at = up;
	err = publish(sw);
	if (err) {
		*at = was;
		return err;
	}
	tick(sw);
	notify(sw);
	return 0;
}

int wr_chain_hop_set(struct wr_switch *sw, int id, unsigned int hop, bool up)
{
	return hop_set(sw, id, hop, false, up);
}

int wr_chain_hop_probe(struct wr_switch *sw, int id, unsigned int hop, bool passing)
{
	return hop_set(sw, id, hop, true, passing);
}

/* Hop states from the ports' carriers, their changes timed: whether one changed. */
static bool tick(struct wr_switch *sw)
{
	struct sw_chains *c = sw->chain_ctl;
	bool changed = false;

	for (int id = 0; c && id < WR_CHAIN_MAX; id++)
		for (uint8_t h = 0; c->ch[id].used && h < c->ch[id].conf.n_hops; h++) {
			bool up = c->ch[id].admin_up[h] && c->ch[id].probe_up[h] &&
				  hop_links(sw, &c->ch[id].conf.hops[h]);

			if (up != c->ch[id].up[h]) {
				c->ch[id].up[h] = up;
				c->ch[id].since_s[h] = realtime_s();
				changed = true;
			}
		}
	return changed;
}

void wr_chain_tick(struct wr_switch *sw)
{
	if (tick(sw))
		notify(sw);
}

/*
 * From hop @j of chain @id on, in direction @dir: where a frame goes now
 * (as stage_chain.c's walk() finds it per frame, from the hops' states the
 * last tick saw).
 */
static void step_from(const struct sw_chains *c, int id, int j, int dir, struct wr_chain_step *s)
{
	const struct wr_chain_conf *k = &c->ch[id].conf;
	int inc = dir == WR_CHAIN_FWD ? 1 : -1;

	memset(s, 0, sizeof(*s));
	for (; j >= 0 && j < k->n_hops; j += inc) {
		const struct wr_chain_hop *h = &k->hops[j];

		if (c->ch[id].up[j]) {
			s->port = dir == WR_CHAIN_FWD ? h->in : h->out;
			s->hop = (uint8_t)j;
			s->l3 = h->kind == WR_CHAIN_L3;
			if (s->l3)
				memcpy(s->mac, h->mac[dir], 6);
			return;
		}
		if (h->fail == WR_CHAIN_FAIL_CLOSED) {
			s->port = WR_CHAIN_STEP_DROP;
			s->hop = (uint8_t)j;
			return;
		}
		s->bypassed |= (uint8_t)(1u << j);
	}
	s->port = WR_CHAIN_STEP_BRIDGE;
}

void wr_chain_export(const struct wr_switch *sw, struct wr_chain_export *out)
{
	const struct chain_table *t = atomic_load(&sw->chains);
	const struct sw_chains *c = sw->chain_ctl;

	memset(out, 0, sizeof(*out));
	for (uint16_t i = 0; t && c && i < t->n; i++) {
		const struct chain_rt *r = &t->c[i];
		const struct wr_chain_conf *k = &c->ch[r->id].conf;

		out->c[i].id = r->id;
		out->c[i].bd = r->bd;
		out->c[i].cls = r->cls;
		step_from(c, r->id, 0, WR_CHAIN_FWD, &out->c[i].start[WR_CHAIN_FWD]);
		step_from(c, r->id, k->n_hops - 1, WR_CHAIN_REV, &out->c[i].start[WR_CHAIN_REV]);
		for (uint8_t h = 0; h < k->n_hops; h++) {
			/* Back by out: forward, on to h + 1; back by in: reverse, on to h - 1. */
			for (int dir = 0; dir < WR_CHAIN_DIRS; dir++) {
				uint16_t port = dir == WR_CHAIN_FWD ? k->hops[h].out : k->hops[h].in;

				out->port[port].bd = r->bd;
				out->port[port].id = r->id;
				out->port[port].hop = h;
				out->port[port].dir = (uint8_t)dir;
				out->port[port].l3 = k->hops[h].kind == WR_CHAIN_L3;
				step_from(c, r->id, dir == WR_CHAIN_FWD ? h + 1 : h - 1, dir,
					  &out->port[port].next);
			}
		}
		out->n = (uint16_t)(i + 1);
	}
}

void wr_switch_set_chain_mirror(struct wr_switch *sw, const struct wr_chain_mirror *m)
{
	struct sw_chains *c = ctl(sw);

	if (!c)
		return;
	if (m)
		c->mirror = *m;
	else
		memset(&c->mirror, 0, sizeof(c->mirror));
	notify(sw);
}

int wr_chain_get(struct wr_switch *sw, int id, struct wr_chain_info *out)
{
	const struct sw_chains *c = sw->chain_ctl;

	if (!c || id < 0 || id >= WR_CHAIN_MAX || !c->ch[id].used)
		return -ENOENT;
	/* A change since the last tick is seen, and timed, now. */
	wr_chain_tick(sw);
	memset(out, 0, sizeof(*out));
	out->conf = c->ch[id].conf;
	for (uint8_t h = 0; h < out->conf.n_hops; h++) {
		out->hop[h].admin_up = c->ch[id].admin_up[h];
		out->hop[h].probe_up = c->ch[id].probe_up[h];
		out->hop[h].link_up = hop_links(sw, &out->conf.hops[h]);
		out->hop[h].up = c->ch[id].up[h];
		out->hop[h].since_s = c->ch[id].since_s[h];
	}
	for (int i = 0; i < WR_WORKER_MAX; i++) {
		const struct chain_ctr *k = sw->workers[i] ? &sw->workers[i]->chain[id] : NULL;

		for (int d = 0; k && d < WR_CHAIN_DIRS; d++) {
			out->matched[d] += k->matched[d];
			for (uint8_t h = 0; h < out->conf.n_hops; h++) {
				out->hop[h].st[d].into += k->hop[h][d].into;
				out->hop[h].st[d].back += k->hop[h][d].back;
				out->hop[h].st[d].bypassed += k->hop[h][d].bypassed;
				out->hop[h].st[d].dropped += k->hop[h][d].dropped;
			}
		}
	}
	return 0;
}

void wr_chain_free(struct wr_switch *sw)
{
	free((void *)atomic_load(&sw->chains));
	free(sw->chain_ctl);
}
