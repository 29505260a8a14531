/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tunnel_priv.h - tunnels as the switch keeps them (dataplane/ only).
 *
 * A tunnel owns an underlay port; each remote VTEP is a port of the switch
 * whose driver is the tunnel itself: it receives nothing (its frames come
 * out of the underlay's through the decap stage) and sends nothing (the
 * output stage encapsulates frames for it and queues them on the
 * underlay). What workers read, the VNI map and the VTEPs' addresses
 * (struct tun_map) and each VTEP's outer headers (struct vtep_hdrs), is
 * replaced whole and reclaimed after a grace period, as the ports' confs.
 */
#ifndef WR_TUNNEL_PRIV_H
#define WR_TUNNEL_PRIV_H

#include <string.h>

#include "overlay_priv.h"
#include "switch_priv.h"

#define WR_VNI_NONE	UINT32_MAX

/* One VTEP's outer headers, one per bridge domain of the tunnel; open addressing on bd. */
struct vtep_hdrs {
	uint16_t mask;			/* slots - 1; a power of two minus one */
	struct {
		uint16_t bd;		/* 0: empty */
		struct wr_tun_hdr h;
	} slot[];
};

struct sw_tunnel;

struct sw_vtep {
	struct wr_port port;		/* its port in the switch; priv is this */
	struct sw_tunnel *tun;
	uint8_t ip[16];
	bool flood;			/* on the tunnel's flood list */
	bool has_nexthop;
	uint8_t src_mac[6], dst_mac[6];
	const struct vtep_hdrs *_Atomic hdrs;	/* NULL: no next hop yet */
};

/* What a worker needs to take a frame off the tunnel. */
struct tun_map {
	uint16_t n_vteps;
	struct {
		uint8_t ip[16];
		uint16_t port;
	} vteps[WR_VTEP_MAX];
	uint16_t vni_mask;		/* slots - 1 */
	struct {
		uint32_t vni;		/* WR_VNI_NONE: empty */
		uint16_t bd;
	} vni[];
};

/* One worker's counts of the Geneve options a tunnel received; only that worker writes it. */
struct tun_opt_row {
	struct {
		uint16_t cls;
		uint8_t type;
		bool used;
		uint64_t pkts;
	} e[WR_TUNNEL_RX_OPTS];
	uint64_t other;		/* options of no room in e[] */
} __attribute__((aligned(WR_CACHE_LINE)));

/* One worker's unknown outer sources, for the control thread (learn_vteps): one writer, one reader. */
#define TUN_REQ_MAX	8
struct tun_req_ring {
	_Atomic uint32_t head;		/* the worker's */
	_Atomic uint32_t tail;		/* the control thread's */
	uint8_t ip[TUN_REQ_MAX][16];
} __attribute__((aligned(WR_CACHE_LINE)));

struct sw_tunnel {
	struct wr_tunnel_conf conf;
	struct tun_req_ring vtep_req[WR_WORKER_MAX];
	struct tun_opt_row rx_opts[WR_WORKER_MAX];
	struct wr_tun_rx_conf rx;
	uint16_t underlay;		/* port index */
	struct wr_port *under;		/* that port: it outlives the tunnel */
	const struct tun_map *_Atomic map;
	/* The control thread's own. */
	int id;
	uint32_t bd_vni[WR_BD_MAX];	/* WR_VNI_NONE: the domain is not on the tunnel */
	uint16_t n_bds;
	uint16_t n_vteps;
	struct sw_vtep *vteps[WR_VTEP_MAX];
};

/* Where VNI @vni's search starts in a tun_map of @mask. */
static inline uint32_t vni_slot(uint32_t vni, uint16_t mask)
{
	return (vni * 0x9e3779b1u) >> 16 & mask;
}

/* The bridge domain of @vni, 0 when the tunnel does not carry it. */
static inline uint16_t tun_map_bd(const struct tun_map *m, uint32_t vni)
{
	for (uint32_t i = vni_slot(vni, m->vni_mask);; i = (i + 1) & m->vni_mask) {
		if (m->vni[i].vni == vni)
			return m->vni[i].bd;
		if (m->vni[i].vni == WR_VNI_NONE)
			return 0;
	}
}

/* The VTEP port of address @ip, -1 when it is none of the tunnel's. */
static inline int tun_map_vtep(const struct tun_map *m, const uint8_t ip[16])
{
	for (uint16_t i = 0; i < m->n_vteps; i++)
		if (!memcmp(m->vteps[i].ip, ip, 16))
			return m->vteps[i].port;
	return -1;
}

/* The VTEP behind port @index, or NULL. [any] */
static inline struct sw_vtep *sw_vtep_of(const struct wr_switch *sw, uint16_t index)
{
	return atomic_load_explicit(&sw->ports[index].vtep, memory_order_acquire);
}

/* Bridge domain @bd's header in @t (NULL: none), or NULL. [any] */
static inline const struct wr_tun_hdr *hdrs_find(const struct vtep_hdrs *t, uint16_t bd)
{
	if (!t)
		return NULL;
	for (uint16_t i = bd & t->mask;; i = (i + 1) & t->mask) {
		if (t->slot[i].bd == bd)
			return &t->slot[i].h;
		if (t->slot[i].bd == 0)
			return NULL;
	}
}

/** Bridge domain @bd's outer header on @v's way, or NULL. [worker] */
static inline const struct wr_tun_hdr *vtep_hdr(const struct sw_vtep *v, uint16_t bd)
{
	return hdrs_find(atomic_load_explicit(&v->hdrs, memory_order_acquire), bd);
}

/** Every tunnel's memory, when the switch goes (its ports are closed). [control] */
void wr_tunnels_free(struct wr_switch *sw);

/** Whether port @index belongs to a tunnel (an underlay or a VTEP). [control] */
bool wr_tunnel_owns(const struct wr_switch *sw, uint16_t index);

/**
 * The bridge domains VTEP @v is in (every one of its tunnel's VNIs), into
 * @bds; their number. [control]
 */
uint16_t wr_tunnel_vtep_bds(const struct sw_vtep *v, uint16_t *bds);

/**
 * The decap stage, on a burst of tunnel @t's underlay: each frame is taken
 * off the tunnel (in_port becomes the VTEP's, bd the VNI's, data the inner
 * frame) or dropped with its reason. Run per burst, as it is received, so
 * that frames of other ports pay nothing for it. [worker]
 */
uint16_t wr_stage_decap(struct wr_worker *w, struct sw_tunnel *t, struct wr_pkt **pkts,
			uint16_t n);

/**
 * Encapsulate @p, in bridge domain p->bd, for VTEP @v: 0, or -1 with *@why
 * (no header for the domain yet, no headroom, too big for the underlay)
 * and @p untouched. [worker]
 */
static inline int wr_vtep_encap(const struct sw_vtep *v, struct wr_pkt *p, enum wr_drop *why)
{
	const struct wr_tun_hdr *h = vtep_hdr(v, p->bd);

	if (!h) {
		*why = WR_DROP_TUN_NO_NEXTHOP;
		return -1;
	}
	return wr_tun_encap(h, p, WR_HEADROOM, v->tun->conf.mtu, why);
}

#endif /* WR_TUNNEL_PRIV_H */
