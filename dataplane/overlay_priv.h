/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * overlay_priv.h - the VXLAN (RFC 7348) and Geneve (RFC 8926) header codec
 * (dataplane/ only): an encap template built once per (remote VTEP, VNI) by
 * the control thread, the per-frame encap that copies it in front of a
 * frame, and the per-frame decap that checks an underlay frame and finds
 * the inner one. Pure functions on bytes: no table, no port, no counter;
 * the caller counts the drop reasons they give.
 *
 * Bounds. A template is at most WR_TUN_HDR_MAX (120) bytes: WR_HEADROOM
 * (128) less one VLAN tag pushed on the inner frame before encap and one
 * kept for a tag on the underlay. The largest header, Geneve over IPv6, is
 * 70 bytes before options, so options add at most WR_GENEVE_OPTS_MAX (48)
 * bytes, whatever the family (one bound to document, not two).
 *
 * Threads: wr_tun_hdr_build() [control]; the rest [any], per frame from a
 * worker: no allocation, no lock, no syscall.
 */
#ifndef WR_OVERLAY_PRIV_H
#define WR_OVERLAY_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "wr_dataplane.h"

#define WR_TUN_SPORT_MIN	49152	/* default UDP source port range (RFC 6335 dynamic) */
#define WR_TUN_SPORT_MAX	65535
#define WR_TUN_TTL		64	/* outer IPv4 TTL, IPv6 hop limit */
#define WR_GENEVE_ETH		0x6558	/* Geneve protocol: Transparent Ethernet Bridging */
#define WR_GENEVE_CRIT		0x80	/* the critical bit of an option's type */
#define WR_GENEVE_OPT_DATA_MAX	124	/* one option's data: 5 bits of 4-byte words */

_Static_assert(14 + 40 + 8 + 8 + WR_GENEVE_OPTS_MAX <= WR_TUN_HDR_MAX,
	       "Geneve over IPv6 with every option must fit the template");

/* One Geneve option. @data holds @len bytes (0..124, a multiple of 4). */
struct wr_geneve_opt {
	uint16_t cls;		/* option class */
	uint8_t type;		/* WR_GENEVE_CRIT: a receiver that does not know it drops the frame */
	uint8_t len;		/* bytes of data, the 4-byte option header not included */
	const uint8_t *data;
};

/* What an encap template is made of. wr_tun_params_init() gives the defaults. */
struct wr_tun_params {
	enum wr_tunnel_type type;
	bool ipv6;		/* underlay family; addresses use 4 or 16 bytes */
	uint8_t src_mac[6];	/* the underlay port's */
	uint8_t dst_mac[6];	/* the next hop's towards the remote VTEP */
	uint8_t src_ip[16];	/* the local VTEP */
	uint8_t dst_ip[16];	/* the remote VTEP */
	uint16_t dst_port;	/* 0: 4789 or 6081 by type */
	uint16_t sport_min;	/* UDP source ports, from the inner flow hash */
	uint16_t sport_max;
	uint32_t vni;		/* 0..2^24-1 */
	bool udp_csum;		/* IPv4: fill the UDP checksum (default); IPv6: always */
	bool flow_label;	/* IPv6: flow label from the inner flow hash (default) */
	const struct wr_geneve_opt *opts;	/* Geneve only: added to every frame */
	uint8_t n_opts;
};

/* struct wr_tun_hdr, a built header, is wr_dataplane.h's: the tunnel mirror hands it on. */

/* How a tunnel receives. wr_tun_rx_conf_init() gives the defaults. */
struct wr_tun_rx_conf {
	enum wr_tunnel_type type;
	bool ipv6;
	uint8_t local_ip[16];	/* frames to another address are not the tunnel's */
	uint16_t dst_port;	/* the UDP port it listens on (init: 4789 or 6081) */
	bool verify_udp_csum;	/* a non-zero UDP checksum is verified (default) */
	bool udp6_zero_csum;	/* IPv6: accept a zero UDP checksum (RFC 6935; default off) */
	uint8_t n_known;	/* critical Geneve options this receiver understands */
	struct {
		uint16_t cls;
		uint8_t type;	/* with its critical bit */
	} known[WR_GENEVE_KNOWN_MAX];
};

/* What a decapsulated frame was. Offsets are from the start of the outer frame. */
struct wr_tun_rx {
	uint32_t vni;
	uint16_t inner_off;	/* the inner Ethernet header */
	uint16_t inner_len;	/* >= 14 */
	uint16_t src_port;	/* outer UDP source port */
	uint16_t vlan;		/* VID of the underlay's 802.1Q tag, 0 untagged */
	uint8_t src_ip[16];	/* the remote VTEP (IPv4: first 4 bytes, the rest zero) */
	bool ipv6;
	bool critical;		/* Geneve: C bit set */
	uint16_t opts_off;	/* Geneve options (0 bytes for VXLAN) */
	uint8_t opts_len;
	uint8_t n_opts;
};

/* What wr_tun_decap() found. */
#define WR_TUN_DECAP	0	/* the tunnel's: *out is filled */
#define WR_TUN_NOT_MINE	1	/* not tunnel traffic (ARP, ND, other addresses, ports,
				 * protocols, fragments it cannot tell): the kernel's */
#define WR_TUN_DROP	(-1)	/* the tunnel's, but broken: *why says how */

/** Defaults: @type's port, source ports 49152-65535, UDP checksum, flow label. [any] */
void wr_tun_params_init(struct wr_tun_params *p, enum wr_tunnel_type type);

/**
 * Build the header for @p into @out. Returns 0, or -EINVAL: VNI over 24
 * bits, a source port range upside down, options on VXLAN, an option's
 * length not a multiple of 4 or over 124, more than 48 bytes of options.
 * [control]
 */
int wr_tun_hdr_build(const struct wr_tun_params *p, struct wr_tun_hdr *out);

/** Bytes a frame grows by: 50 (VXLAN, IPv4), 70 (IPv6), Geneve the same plus options. [any] */
static inline uint16_t wr_tun_overhead(const struct wr_tun_hdr *h)
{
	return h->len;
}

/**
 * The largest inner IP packet (the tenant's MTU) that fits an underlay of
 * IP MTU @underlay_mtu through @h: the inner Ethernet header and the outer
 * IP, UDP and tunnel headers come off; 0 when none fits. Tenants whose
 * frames keep an 802.1Q tag through the tunnel need 4 bytes less. [any]
 */
static inline uint16_t wr_tun_tenant_mtu(const struct wr_tun_hdr *h, uint16_t underlay_mtu)
{
	return underlay_mtu > h->len ? (uint16_t)(underlay_mtu - h->len) : 0;
}

/** The UDP source port @h gives a frame of flow hash @hash. [any] */
static inline uint16_t wr_tun_sport(const struct wr_tun_hdr *h, uint32_t hash)
{
	return (uint16_t)(h->sport_min + (uint32_t)(((uint64_t)hash * h->sport_span) >> 32));
}

/**
 * Encapsulate @p through @h: the header goes into the @headroom bytes
 * before p->data (data moves back, len grows by wr_tun_overhead()), with
 * the IP and UDP lengths, IPv4 checksum, source port (from p->hash),
 * IPv6 flow label and UDP checksum written. The underlay IP packet must
 * fit @mtu (the underlay's IP MTU): nothing is fragmented. Returns 0, or
 * -1 with *@why (TUN_NO_HEADROOM, TUN_TOO_BIG) and @p untouched. [worker]
 */
int wr_tun_encap(const struct wr_tun_hdr *h, struct wr_pkt *p, uint16_t headroom, uint16_t mtu,
		 enum wr_drop *why);

/** Defaults: @type's port, UDP checksums verified, IPv6 zero checksum refused. [any] */
void wr_tun_rx_conf_init(struct wr_tun_rx_conf *c, enum wr_tunnel_type type);

/**
 * Look at an underlay frame of @len bytes: outer Ethernet (one 802.1Q tag
 * at most), IPv4 or IPv6, UDP, VXLAN or Geneve. Returns WR_TUN_DECAP with
 * *@out filled, WR_TUN_NOT_MINE, or WR_TUN_DROP with *@why (the TUN_,
 * VXLAN_ and GENEVE_ reasons of wr_drop.def). Never reads past @len.
 * [worker]
 */
int wr_tun_decap(const struct wr_tun_rx_conf *conf, const uint8_t *frame, uint16_t len,
		 struct wr_tun_rx *out, enum wr_drop *why);

/**
 * The Geneve option at *@off of the @len bytes of options at @opts, into
 * *@o (its data points into @opts); *@off moves past it. Returns 1, 0 at
 * the end, -1 when the option overruns @len. [any]
 */
int wr_geneve_opt_next(const uint8_t *opts, uint16_t len, uint16_t *off,
		       struct wr_geneve_opt *o);

#endif /* WR_OVERLAY_PRIV_H */
