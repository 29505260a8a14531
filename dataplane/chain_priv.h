/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * chain_priv.h - service chains as workers read them (dataplane/ only).
 *
 * The control thread keeps the chains by id (struct sw_chains) and
 * publishes them as one table (struct chain_table), made anew on every
 * change (a chain added or deleted, a hop set up or down) and swapped in
 * with a release store; the old table is freed after a grace period
 * (wr_qsbr). A worker loads it once per vector: with no chain it is NULL
 * and the bridge stage tests nothing more per frame than that pointer.
 *
 * Per frame, with chains:
 *   - from a hop port: hopport[] says which chain, hop and side, so the
 *     next hop (or the bridge) follows without a look at the headers;
 *   - from an ordinary port whose bridge domain has a chain (bdc[]): the
 *     chains of that domain alone, which the table keeps side by side
 *     (sorted by domain, then as asked), are asked in order (priority,
 *     then name), each classifier forward, then swapped (reverse): at most
 *     WR_CHAIN_MAX chains, a few masked compares each (struct wr_chain_words;
 *     the cost of 64 is bench/l2ring chain-64-miss's, docs/performance.md),
 *     and chains of other domains cost nothing (chain-64-away).
 * Each worker counts chain id i's frames in its own chain[i]; an id is
 * given again only once no worker can still count with it.
 */
#ifndef WR_CHAIN_PRIV_H
#define WR_CHAIN_PRIV_H

#include "steer_priv.h"

/*
 * What a classifier compares, as words (struct wr_chain_words): a frame's
 * key (struct chain_key) is made once per frame and once swapped (the
 * reverse), then each chain is a few masked compares and two range tests,
 * without a branch per field.
 */
#define CHAIN_W0_L3	(1ull << 16)
#define CHAIN_W0_L4	(1ull << 17)

struct chain_key {
	uint64_t w0;
	uint64_t smac, dmac;		/* steer_mac()'s numbers */
	uint64_t sip[2], dip[2];	/* big-endian halves; IPv4 in the top 32 bits of [0] */
	uint16_t sport, dport;
};

/* Whether key @k is one classifier @c takes. [worker] */
static inline bool chain_match(const struct wr_chain_words *c, const struct chain_key *k)
{
	return !(((k->w0 ^ c->w0) & c->m0) | ((k->smac ^ c->smac) & c->msmac) |
		 ((k->dmac ^ c->dmac) & c->mdmac)) &&
	       (uint16_t)(k->sport - c->sp_lo) <= c->sp_span &&
	       (uint16_t)(k->dport - c->dp_lo) <= c->dp_span &&
	       !(((k->sip[0] ^ c->sip[0]) & c->msip[0]) | ((k->sip[1] ^ c->sip[1]) & c->msip[1]) |
		 ((k->dip[0] ^ c->dip[0]) & c->mdip[0]) | ((k->dip[1] ^ c->dip[1]) & c->mdip[1]));
}

/* A chain as a worker reads it. */
struct chain_rt {
	struct wr_chain_words cls;
	uint16_t id;			/* its counters */
	uint16_t bd;
	uint8_t n_hops;
	struct {
		uint16_t in, out;
		bool set_up;		/* administratively up and its probe passing */
		bool fail_closed;
		bool l3;		/* a router: frames into it take mac[dir] as destination */
		uint8_t mac[WR_CHAIN_DIRS][6];
	} hop[WR_CHAIN_HOPS_MAX];
};

/* A hop port's place: which chain (index in chain_table.c + 1; 0: none), hop and side. */
struct chain_port {
	uint8_t chain;
	uint8_t hop;
	bool is_out;			/* the hop's out port (else its in port) */
	bool l3;			/* a router's: a host of the chain's domain too */
};

_Static_assert(WR_CHAIN_MAX <= UINT8_MAX, "chain_table.bdc[] holds chain indices in bytes");

struct chain_table {
	struct {
		uint8_t first, n;	/* c[first] .. c[first + n - 1]: domain bd's chains */
	} bdc[WR_BD_MAX];
	struct chain_port hopport[WR_PORT_MAX];
	uint16_t n;
	struct chain_rt c[];		/* by domain, then in the order they are asked */
};

/* The control thread's own: every chain by id. */
struct sw_chains {
	struct {
		bool used;
		struct wr_chain_conf conf;
		bool admin_up[WR_CHAIN_HOPS_MAX];
		bool probe_up[WR_CHAIN_HOPS_MAX];	/* as warrend's health probe last said */
		bool up[WR_CHAIN_HOPS_MAX];		/* as last seen (admin, probe and links) */
		int64_t since_s[WR_CHAIN_HOPS_MAX];
		uint64_t freed;		/* the QSBR token after which a free id may be given again */
	} ch[WR_CHAIN_MAX];
	uint32_t n;
	struct wr_chain_mirror mirror;	/* the kernel fast path's */
};

/* A frame out of a chain's last hop (or every hop bypassed): to the bridge of the chain's domain. */
#define CHAIN_TO_BRIDGE	0xfffd

/**
 * A frame from hop port @p->in_port (hopport[] names it): the port of the
 * hop it goes into next; CHAIN_TO_BRIDGE with @p's bd and VLAN set (the
 * chain's domain); or WR_OUT_DROP at a hop down that fails closed
 * (counted). [worker]
 */
uint16_t wr_chain_from_hop(struct wr_worker *w, const struct chain_table *t, struct wr_pkt *p);
/**
 * A frame of a domain with chains, from an ordinary port: the hop port it
 * goes into first, WR_OUT_FLOOD when no chain takes it (or every hop of
 * the one that does is bypassed: bridged as any frame), or WR_OUT_DROP.
 * [worker]
 */
uint16_t wr_chain_classify(struct wr_worker *w, const struct chain_table *t, struct wr_pkt *p);

/**
 * Whether a frame from l3 hop port @p->in_port is the router's own
 * neighbour discovery (ARP or anything not IP, IPv6 ND): bridged in the
 * chain's domain as from an ordinary port, not sent along the chain.
 * [worker]
 */
static inline bool chain_l3_own(const struct wr_pkt *p)
{
	uint8_t type;

	if (!(p->flags & WR_PKT_F_L3))
		return true;
	if (p->ethertype != 0x86dd || p->l4_proto != 58 || !p->l4_off || p->l4_off >= p->len)
		return false;
	type = p->data[p->l4_off];
	return type >= 133 && type <= 137;	/* RS, RA, NS, NA, redirect */
}

/** @p's classifier key, forward only, as wr_chain_classify() makes it (a trace's filter too). [worker] */
void wr_chain_frame_key(const struct wr_pkt *p, struct chain_key *k);
/** Classifier @k compiled into @c as workers compare it (a trace's filter too). [control] */
void wr_chain_compile(const struct wr_chain_class *k, struct wr_chain_words *c);

/** Hop states from the ports' carriers, their changes timed. [control] */
void wr_chain_tick(struct wr_switch *sw);
/** The chains' memory, when the switch goes. [control] */
void wr_chain_free(struct wr_switch *sw);

static inline bool chain_bd(const struct chain_table *t, uint16_t bd)
{
	return t->bdc[bd].n != 0;
}

#endif /* WR_CHAIN_PRIV_H */
