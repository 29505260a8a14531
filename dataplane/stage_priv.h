/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_priv.h - the shape every pipeline stage shares (dataplane/ only).
 *
 * A stage takes a vector of frames and returns how many stay; those stay
 * packed at the front in their order. The others were handed to
 * wr_stage_drop(), which counts the reason and parks the frame for the
 * worker to free after the pass, in bursts.
 */
#ifndef WR_STAGE_PRIV_H
#define WR_STAGE_PRIV_H

#include "wr_dataplane.h"

/* What a stage needs of its worker; the worker embeds one. */
struct wr_stage_ctx {
	uint64_t *drops;		/* [WR_DROP_COUNT], the worker's */
	uint64_t *events;		/* [WR_EVENT_COUNT], the worker's */
	struct wr_pkt **dropped;	/* room for WR_VEC_MAX */
	uint16_t n_dropped;
};

static inline void wr_stage_drop(struct wr_stage_ctx *c, struct wr_pkt *p, enum wr_drop why)
{
	c->drops[why]++;
	p->out_port = WR_OUT_DROP;
	p->drop = (uint8_t)why;
	c->dropped[c->n_dropped++] = p;
}

/**
 * Parse Ethernet, up to two VLAN tags (802.1Q, 802.1ad), IPv4 (options),
 * IPv6 (extension headers), UDP/TCP ports; fill ethertype, outer_tpid,
 * vlan (outer tag's id, 0 untagged), n_tags, l3_off, l4_off, l4_proto,
 * flags and hash. Drops runts, cut tags and multicast/zero sources; a
 * malformed L3/L4 header is an event, not a drop (the frame is bridged as
 * L2, hashed on its MACs).
 */
uint16_t wr_stage_parse(struct wr_stage_ctx *c, struct wr_pkt **pkts, uint16_t n);

/** The flow hash of a parsed frame (what wr_stage_parse puts in ->hash). */
uint32_t wr_flow_hash(const struct wr_pkt *p);

/* ------------------------------------------------------------------ VLANs */

/**
 * Ingress: which VLAN a parsed frame belongs to on a port of @conf, or 0
 * with *@why set when it must be dropped (VLAN_NOT_ALLOWED). A NONE port
 * gives 0 and never drops. Priority-tagged frames (VID 0) count as untagged.
 */
uint16_t wr_vlan_classify(const struct wr_port_conf *conf, const struct wr_pkt *p,
			  enum wr_drop *why);

/**
 * Egress: make the frame's outer tag what @conf wants for VLAN @vlan:
 * pop it for an access port (or a trunk's native VLAN), push or rewrite an
 * 802.1Q tag for a trunk; NONE ports take the frame as it is. Edits data,
 * len, n_tags, flags in place (a push uses the headroom: data moves 4 bytes
 * back). Returns 0, or -1 with *@why when the frame cannot go there
 * (VLAN_NOT_ALLOWED, NO_HEADROOM). @headroom is how many bytes precede data.
 */
int wr_vlan_egress(const struct wr_port_conf *conf, uint16_t vlan, struct wr_pkt *p,
		   uint16_t headroom, enum wr_drop *why);

/** Take @p's outer tag out (it has one): the MACs move 4 bytes forward. */
void wr_vlan_pop(struct wr_pkt *p);

/** 1 if @vlan is allowed on the trunk @conf. */
static inline bool wr_vlan_allowed(const struct wr_port_conf *conf, uint16_t vlan)
{
	return vlan > 0 && vlan < WR_VLAN_MAX &&
	       (conf->allowed[vlan / 64] >> (vlan % 64)) & 1;
}

#endif /* WR_STAGE_PRIV_H */
