/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_chain.c - the workers' side of service chains, asked by the bridge
 * stage (stage_bridge.c) for frames of hop ports and of domains with
 * chains: which chain a frame is in, and which hop it goes into next.
 *
 * A hop is passable when it is administratively up and both its ports are
 * there, up and have carrier (wr_port_usable(), asked once per port and
 * pass). Past a hop that is not, a frame goes on (fail open: bypassed) or
 * is dropped as chain_hop_down (fail closed).
 */
#include <string.h>

#include "chain_priv.h"

/*
 * From hop @j on in direction @dir: the port to send @p into (a router's
 * interface's MAC its destination), CHAIN_TO_BRIDGE or WR_OUT_DROP.
 */
static uint16_t walk(struct wr_worker *w, const struct chain_rt *c, int j, int dir,
		     struct wr_pkt *p)
{
	struct chain_ctr *k = &w->chain[c->id];
	int step = dir == WR_CHAIN_FWD ? 1 : -1;
	struct wr_port *wp;

	for (; j >= 0 && j < c->n_hops; j += step) {
		if (c->hop[j].set_up && wr_port_usable(w, c->hop[j].in, &wp) &&
		    wr_port_usable(w, c->hop[j].out, &wp)) {
			k->hop[j][dir].into++;
			if (c->hop[j].l3)
				memcpy(p->data, c->hop[j].mac[dir], 6);
			return dir == WR_CHAIN_FWD ? c->hop[j].in : c->hop[j].out;
		}
		if (c->hop[j].fail_closed) {
			k->hop[j][dir].dropped++;
			return WR_OUT_DROP;
		}
		k->hop[j][dir].bypassed++;
	}
	return CHAIN_TO_BRIDGE;
}

uint16_t wr_chain_from_hop(struct wr_worker *w, const struct chain_table *t, struct wr_pkt *p)
{
	const struct chain_port *hp = &t->hopport[p->in_port];
	const struct chain_rt *c = &t->c[hp->chain - 1];
	/* Out of a hop's out port the frame goes forward; out of its in port, back. */
	int dir = hp->is_out ? WR_CHAIN_FWD : WR_CHAIN_REV;
	uint16_t to;

	w->chain[c->id].hop[hp->hop][dir].back++;
	to = walk(w, c, hp->hop + (dir == WR_CHAIN_FWD ? 1 : -1), dir, p);
	if (to == CHAIN_TO_BRIDGE) {
		/* As a frame off a tunnel: untagged, of its domain's VLAN (stage_bridge.c). */
		p->bd = c->bd;
		p->vlan = atomic_load_explicit(&w->sw->bd_vlan[c->bd], memory_order_relaxed);
	}
	return to;
}

static inline uint64_t be64_at(const uint8_t *b)
{
	uint64_t v;

	__builtin_memcpy(&v, b, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint32_t be32_at(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* @p's classifier key (struct chain_key) into *@k. */
static inline __attribute__((always_inline)) void frame_key(const struct wr_pkt *p,
							    struct chain_key *k)
{
	const uint8_t *l3 = p->data + p->l3_off;

	memset(k, 0, sizeof(*k));
	k->w0 = (uint64_t)p->vlan << 32 | (uint64_t)p->in_port << 48;
	k->smac = steer_mac(p->data + 6);
	k->dmac = steer_mac(p->data);
	if (p->flags & WR_PKT_F_L3) {
		bool v6 = p->ethertype == 0x86dd;

		k->w0 |= CHAIN_W0_L3 | (uint64_t)p->l4_proto << 8 | (v6 ? 6 : 4);
		if (v6) {
			k->sip[0] = be64_at(l3 + 8);
			k->sip[1] = be64_at(l3 + 16);
			k->dip[0] = be64_at(l3 + 24);
			k->dip[1] = be64_at(l3 + 32);
		} else {
			k->sip[0] = (uint64_t)be32_at(l3 + 12) << 32;
			k->dip[0] = (uint64_t)be32_at(l3 + 16) << 32;
		}
	}
	/* Ports only where parse found a whole TCP or UDP header (not later fragments). */
	if (p->flags & WR_PKT_F_L4) {
		k->w0 |= CHAIN_W0_L4;
		k->sport = (uint16_t)(p->data[p->l4_off] << 8 | p->data[p->l4_off + 1]);
		k->dport = (uint16_t)(p->data[p->l4_off + 2] << 8 | p->data[p->l4_off + 3]);
	}
}

/* A trace's filter: not inlined there, where the classifier's loop wants it inlined. */
void wr_chain_frame_key(const struct wr_pkt *p, struct chain_key *k)
{
	frame_key(p, k);
}

/* @p's classifier key (struct chain_key) into *@k, and the same swapped into *@r. */
static void frame_keys(const struct wr_pkt *p, struct chain_key *k, struct chain_key *r)
{
	frame_key(p, k);
	*r = *k;
	r->w0 |= 0xffffull << 48;	/* no port: the input port is a forward field */
	r->smac = k->dmac;
	r->dmac = k->smac;
	memcpy(r->sip, k->dip, sizeof(r->sip));
	memcpy(r->dip, k->sip, sizeof(r->dip));
	r->sport = k->dport;
	r->dport = k->sport;
}

uint16_t wr_chain_classify(struct wr_worker *w, const struct chain_table *t, struct wr_pkt *p)
{
	struct chain_key k, r;

	frame_keys(p, &k, &r);
	for (unsigned int i = t->bdc[p->bd].first, end = i + t->bdc[p->bd].n; i < end; i++) {
		const struct chain_rt *c = &t->c[i];
		int dir;
		uint16_t to;

		if (chain_match(&c->cls, &k))
			dir = WR_CHAIN_FWD;
		else if (chain_match(&c->cls, &r))
			dir = WR_CHAIN_REV;
		else
			continue;
		w->chain[c->id].matched[dir]++;
		to = walk(w, c, dir == WR_CHAIN_FWD ? 0 : c->n_hops - 1, dir, p);
		return to == CHAIN_TO_BRIDGE ? WR_OUT_FLOOD : to;
	}
	return WR_OUT_FLOOD;
}
