/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * switch_priv.h - the switch's tables as workers read them (dataplane/ only).
 *
 * The control thread owns every table. What a worker reads through a
 * pointer (a port's config, a bridge domain's flood list, a worker's port
 * list) is replaced whole: a new copy is published with a release store and
 * the old one is freed only after every worker has passed a quiescent
 * point (wr_qsbr). Scalars (vlan_bd[], admin state) are single aligned
 * stores a worker sees old or new.
 */
#ifndef WR_SWITCH_PRIV_H
#define WR_SWITCH_PRIV_H

#include <stdatomic.h>

#include "fdb_priv.h"
#include "qsbr_priv.h"
#include "stage_priv.h"
#include "wr_dataplane.h"

/*
 * A port's configuration as workers read it, with the port's FDB learning
 * generation it was published under (wr_fdb_port_renew): a learn request
 * carries the generation of a configuration that puts the frame in the
 * bridge domain of its key, so one made before the port went or changed
 * domains is refused, however late it is applied.
 */
/*
 * A VTEP's configuration (tunnel.c): not a mode anyone sets, so that the
 * ordinary ports' path tests nothing more; its frames bring their bridge
 * domain (their VNI's) and leave encapsulated.
 */
#define WR_VLAN_VTEP	((enum wr_vlan_mode)WR_VLAN_MODE_COUNT)

struct sw_conf {
	struct wr_port_conf c;
	uint32_t learn_gen;	/* that generation */
};

struct sw_vtep;
struct sw_tunnel;
struct steer_table;
struct sw_steer;
struct chain_table;
struct sw_chains;
struct wr_trace;
struct tap_table;
struct sw_taps;

/* One worker's count of one steering rule's frames. */
struct steer_ctr {
	uint64_t pkts, bytes;
};

struct sw_port {
	struct wr_port *_Atomic port;			/* NULL: free slot or leaving */
	const struct sw_conf *_Atomic conf;
	_Atomic bool up;				/* administrative state */
	/* A tunnel's underlay: the tunnel's id + 1 (tunnel_priv.h); 0: none. */
	_Atomic uint8_t tun;
	uint16_t worker;				/* which worker receives from it */
	/* A tunnel's remote VTEP (its frames come with their bridge domain); NULL: none. */
	struct sw_vtep *_Atomic vtep;
};

/*
 * The ports of a bridge domain, for flooding: the ordinary ones first,
 * then the VTEPs on the flood list, so that a frame off a tunnel is
 * flooded to the first n_local only (split horizon) with no test per port.
 */
struct flood_set {
	uint16_t n;
	uint16_t n_local;
	uint16_t ports[];
};

/* The ports a worker receives from. */
struct rx_list {
	uint16_t n;
	uint16_t ports[];
};

/* Something to free (or a port to close) once no worker can see it. */
struct limbo {
	void *ptr;		/* to free(), or the struct wr_port to close */
	uint64_t token;
	int port;		/* >= 0: close the port, release its slot */
};

#define LIMBO_MAX 1024

struct wr_switch {
	struct wr_switch_conf conf;
	struct wr_qsbr *qsbr;
	struct wr_fdb *fdb;
	struct sw_port ports[WR_PORT_MAX];
	_Atomic uint16_t vlan_bd[WR_VLAN_MAX];
	/*
	 * The VLAN a bridge domain's frames belong to when they come out of a
	 * tunnel (the lowest VLAN mapped to it; 0: none, they are untagged
	 * frames of its bd ports only). Kept with vlan_bd.
	 */
	_Atomic uint16_t bd_vlan[WR_BD_MAX];
	const struct flood_set *_Atomic flood[WR_BD_MAX];
	struct sw_tunnel *_Atomic tunnels[WR_TUNNEL_MAX];	/* tunnel.c */
	struct wr_tunnel_mirror tun_mirror;	/* tunnel.c; hdr_set NULL: none */
	const struct steer_table *_Atomic steer;	/* steer.c; NULL: no rule */
	struct sw_steer *steer_ctl;			/* steer.c */
	const struct chain_table *_Atomic chains;	/* chain.c; NULL: no chain */
	struct sw_chains *chain_ctl;			/* chain.c */
	struct wr_trace *_Atomic trace;			/* trace.c; NULL: none armed */
	const struct tap_table *_Atomic taps;		/* tap.c; NULL: no mirror, no capture */
	struct sw_taps *tap_ctl;			/* tap.c */
	struct wr_worker *workers[WR_WORKER_MAX];
	struct limbo limbo[LIMBO_MAX];
	uint32_t n_limbo;
	uint32_t now_s;
	uint32_t aged_s;	/* the second of the last aging sweep */
};

/*
 * Frames waiting for a port's next tx_burst. @port is set while the queue
 * is on the pass's dirty list, so a port is listed once per pass however
 * often its queue fills and leaves in a burst: the list never holds more
 * than WR_PORT_MAX ports.
 */
struct wr_txq {
	struct wr_port *port;
	uint16_t n;
	struct wr_pkt *pkts[WR_BURST];
};

/* A flooded frame of this pass: to how many ports it was to go, how many it did not reach. */
struct flood_rec {
	uint16_t in_port;
	uint16_t tries;
	uint16_t lost;
};

/* One worker's count of one service chain's frames (chain.c). */
struct chain_ctr {
	uint64_t matched[WR_CHAIN_DIRS];
	struct wr_chain_hop_stats hop[WR_CHAIN_HOPS_MAX][WR_CHAIN_DIRS];
};

/* Per-worker, per-port counters, one cache line each. */
struct port_ctr {
	struct wr_port_stats s;
} __attribute__((aligned(WR_CACHE_LINE)));

#define WR_NH_WAIT	4	/* frames a worker keeps for VTEPs without a next hop */
#define WR_NH_WAIT_LEN	1600	/* the longest it keeps */

struct wr_worker {
	struct wr_switch *sw;
	uint16_t id;
	const struct rx_list *_Atomic rx;
	struct wr_stage_ctx stage;
	uint32_t now_s;
	/* A trace's synthetic frame runs on a worker of its own that asks no learning (trace.c). */
	bool dry;

	/* The vector and its descriptors: fixed, never allocated per pass. */
	struct wr_pkt pkts[WR_VEC_MAX];
	struct wr_pkt copies[WR_VEC_MAX];	/* flooded copies */
	struct wr_pkt *vec[WR_VEC_MAX];
	struct wr_pkt *dropped[2 * WR_VEC_MAX];
	/* The input ports of this pass, as loaded when receiving from them. */
	struct wr_port *in_ptr[WR_PORT_MAX];

	/* Output: per-port queues, the ports that have frames queued. */
	struct wr_txq txq[WR_PORT_MAX];
	uint16_t dirty[WR_PORT_MAX];
	uint16_t n_dirty;
	uint16_t n_copies;		/* of copies[] in use until the next flush */
	/*
	 * Frames for a VTEP whose next hop was not known yet (stage_bridge.c):
	 * copies, not buffers (a buffer may not outlive the pass that holds it),
	 * tried again each pass for a second, then dropped as tun_no_nexthop.
	 */
	struct nh_wait {
		uint16_t vtep, in_port, bd, len;
		uint32_t hash, since;
		uint8_t data[WR_NH_WAIT_LEN];
	} nh_wait[WR_NH_WAIT];
	uint16_t n_nh_wait;
	/*
	 * The pass's flooded frames (a port's drops count one when none of
	 * its copies left). A flooded frame, and each copy of it, names its
	 * record in wr_pkt.drop, unused while out_port is WR_OUT_FLOOD.
	 */
	struct flood_rec flood[WR_VEC_MAX];
	uint16_t n_flood;
	_Static_assert(WR_VEC_MAX <= 256, "wr_pkt.drop indexes flood[] in a byte");
	/* This pass's mirrors and captures (tap_priv.h); NULL: none. */
	const struct tap_table *taps;
	uint64_t tap_ts_ns;		/* the pass's capture stamp; 0: not taken yet */
	/* Mirror copies waiting for one tx_burst on port tap_to (stage_tap.c). */
	uint16_t tap_to, tap_n;
	uint8_t tap_mirror;
	struct wr_pkt tap_desc[WR_BURST];
	struct wr_pkt *tap_q[WR_BURST];
	/* Which ports can send, asked once per pass (gen). */
	uint32_t gen;
	uint32_t usable_gen[WR_PORT_MAX];
	struct wr_port *usable[WR_PORT_MAX];

	uint64_t drops[WR_DROP_COUNT] __attribute__((aligned(WR_CACHE_LINE)));
	uint64_t events[WR_EVENT_COUNT];
	struct port_ctr ports[WR_PORT_MAX];
	struct steer_ctr steer[WR_STEER_MAX] __attribute__((aligned(WR_CACHE_LINE)));
	struct chain_ctr chain[WR_CHAIN_MAX] __attribute__((aligned(WR_CACHE_LINE)));
	uint64_t mirror_copied[WR_MIRROR_MAX] __attribute__((aligned(WR_CACHE_LINE)));
	uint64_t mirror_dropped[WR_MIRROR_MAX];
};

/*
 * Whether @port can send now: attached, up, with carrier. Asked once per
 * port and pass (the answer is kept with the pass's generation), not once
 * per frame: link_up is an indirect call.
 */
static inline bool wr_port_usable(struct wr_worker *w, uint16_t port, struct wr_port **wp)
{
	struct wr_switch *sw = w->sw;

	if (w->usable_gen[port] != w->gen) {
		struct wr_port *p = atomic_load_explicit(&sw->ports[port].port, memory_order_acquire);

		w->usable_gen[port] = w->gen;
		w->usable[port] = p && atomic_load_explicit(&sw->ports[port].up,
							    memory_order_relaxed) &&
				  p->ops->link_up(p) ? p : NULL;
	}
	*wp = w->usable[port];
	return *wp != NULL;
}

/** wr_stage_decap() on @n frames of underlay port @idx (its tunnel may be gone: all kept). */
uint16_t wr_worker_decap(struct wr_worker *w, uint16_t idx, struct wr_pkt **pkts, uint16_t n);
/** Free what the stages dropped, one burst per run of the same input port. */
void wr_worker_free_dropped(struct wr_worker *w);

/** Stop receiving from port @index on @w (the port is being deleted). */
int wr_worker_remove_port(struct wr_worker *w, uint16_t index);

/** Hand @ptr to the limbo list: freed once every worker passed this point. */
void wr_switch_defer_free(struct wr_switch *sw, void *ptr);

/*
 * For tunnel.c: attach a port with @conf unchecked (a VTEP's bd 0: the
 * frame's own), detach one whoever owns it, and move the ports marked in
 * @moved to the domains their configuration gives now (a VLAN's or a
 * VNI's domain changed): published again in a new learning generation,
 * flood sets rebuilt, entries of their old domains purged. [control]
 */
int wr_switch_port_attach(struct wr_switch *sw, struct wr_port *port,
			  const struct wr_port_conf *conf);
int wr_switch_port_detach(struct wr_switch *sw, uint16_t index);
int wr_switch_ports_moved(struct wr_switch *sw, const bool moved[WR_PORT_MAX]);

/**
 * The bridge stage: ingress VLAN → bridge domain, learn the source, look the
 * destination up; sets out_port (a port, WR_OUT_FLOOD) or drops.
 */
uint16_t wr_stage_bridge(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n);

/**
 * Egress: flood expansion (copies), VLAN tag edits per output port, and one
 * tx_burst per output port. Frames a port would not take are dropped
 * (counted) and freed. Consumes the whole vector.
 */
void wr_stage_output(struct wr_worker *w, struct wr_pkt **pkts, uint16_t n);

#endif /* WR_SWITCH_PRIV_H */
