/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vlan.c - which VLAN a frame belongs to on the way in (access, trunk,
 * none) and the outer tag it leaves with (popped, pushed or rewritten in
 * place).
 *
 * Both work on frames wr_stage_parse() accepted: n_tags says how many
 * complete tags follow the MACs, and l3_off/l4_off are offsets from data
 * that move with the tag. Priority-tagged frames (VID 0) count as
 * untagged; VID 4095 is reserved and never accepted.
 */
#include <string.h>

#include "stage_priv.h"

#define ET_VLAN		0x8100
#define VLAN_HLEN	4
#define MACS_LEN	12	/* destination and source MAC */
#define VID_MASK	0x0fff
#define VID_RESERVED	0x0fff

static inline uint16_t rd_be16(const uint8_t *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

uint16_t wr_vlan_classify(const struct wr_port_conf *conf, const struct wr_pkt *p,
			  enum wr_drop *why)
{
	/* The outer tag as it is in the frame, whatever p->vlan says now. */
	uint16_t vid = p->n_tags ? rd_be16(p->data + MACS_LEN + 2) & VID_MASK : 0;

	switch (conf->vlan_mode) {
	case WR_VLAN_NONE:
		return 0;
	case WR_VLAN_ACCESS:
		if ((vid == 0 || vid == conf->access_vlan) &&
		    conf->access_vlan > 0 && conf->access_vlan < VID_RESERVED)
			return conf->access_vlan;
		break;
	case WR_VLAN_TRUNK:
		if (vid == 0)
			vid = conf->native_vlan;	/* 0: untagged not wanted */
		if (vid != VID_RESERVED && wr_vlan_allowed(conf, vid))
			return vid;
		break;
	}
	*why = WR_DROP_VLAN_NOT_ALLOWED;
	return 0;
}

/* The offsets from data move by @delta bytes when the tag area changes. */
static inline void shift_offsets(struct wr_pkt *p, int delta)
{
	if (p->l3_off)
		p->l3_off = (uint16_t)(p->l3_off + delta);
	if (p->l4_off)
		p->l4_off = (uint16_t)(p->l4_off + delta);
}

/* Take the outer tag out: the MACs move 4 bytes forward. */
void wr_vlan_pop(struct wr_pkt *p)
{
	memmove(p->data + VLAN_HLEN, p->data, MACS_LEN);
	p->data += VLAN_HLEN;
	p->len = (uint16_t)(p->len - VLAN_HLEN);
	p->n_tags--;
	if (p->n_tags) {
		p->outer_tpid = rd_be16(p->data + MACS_LEN);
	} else {
		p->outer_tpid = 0;
		p->flags &= (uint8_t)~WR_PKT_F_TAGGED;
	}
	shift_offsets(p, -VLAN_HLEN);
}

/* Put an 802.1Q tag for @vlan (priority 0) in front of an untagged frame. */
static void vlan_push(struct wr_pkt *p, uint16_t vlan)
{
	p->data -= VLAN_HLEN;
	memmove(p->data, p->data + VLAN_HLEN, MACS_LEN);

	uint8_t *t = p->data + MACS_LEN;

	t[0] = ET_VLAN >> 8;
	t[1] = ET_VLAN & 0xff;
	t[2] = (uint8_t)(vlan >> 8 & 0x0f);
	t[3] = (uint8_t)(vlan & 0xff);
	p->len = (uint16_t)(p->len + VLAN_HLEN);
	p->n_tags++;
	p->outer_tpid = ET_VLAN;
	p->flags |= WR_PKT_F_TAGGED;
	shift_offsets(p, VLAN_HLEN);
}

/* Make the outer tag 0x8100/@vlan, keeping its PCP and DEI bits. */
static void vlan_rewrite(struct wr_pkt *p, uint16_t vlan)
{
	uint8_t *t = p->data + MACS_LEN;

	t[0] = ET_VLAN >> 8;
	t[1] = ET_VLAN & 0xff;
	t[2] = (uint8_t)((t[2] & 0xf0) | (vlan >> 8 & 0x0f));
	t[3] = (uint8_t)(vlan & 0xff);
	p->outer_tpid = ET_VLAN;
}

int wr_vlan_egress(const struct wr_port_conf *conf, uint16_t vlan, struct wr_pkt *p,
		   uint16_t headroom, enum wr_drop *why)
{
	switch (conf->vlan_mode) {
	case WR_VLAN_NONE:
		return 0;
	case WR_VLAN_ACCESS:
		if (vlan == 0 || vlan != conf->access_vlan)
			break;
		if (p->n_tags)
			wr_vlan_pop(p);
		return 0;
	case WR_VLAN_TRUNK:
		if (!wr_vlan_allowed(conf, vlan) || vlan == VID_RESERVED)
			break;
		if (vlan == conf->native_vlan) {
			if (p->n_tags)
				wr_vlan_pop(p);
		} else if (p->n_tags) {
			vlan_rewrite(p, vlan);
		} else {
			if (headroom < VLAN_HLEN) {
				*why = WR_DROP_NO_HEADROOM;
				return -1;
			}
			vlan_push(p, vlan);
		}
		return 0;
	}
	*why = WR_DROP_VLAN_NOT_ALLOWED;
	return -1;
}
