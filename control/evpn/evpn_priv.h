/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evpn_priv.h - warren-evpnd's two views of one host (docs/evpn.md): what
 * FRR's zebra wrote into the kernel's bridge tables of the anchors, and
 * what warrend has in its tunnel and FDB; and the pass that makes them
 * agree. The pass (evpn_sync.c) is pure: it reads the views and calls an
 * ops table, so that a unit test drives it without a kernel or a switch.
 */
#ifndef WR_EVPN_PRIV_H
#define WR_EVPN_PRIV_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define EV_VNI_MAX 64		/* VNIs per companion (one bridge each in the kernel) */
#define EV_VTEP_MAX 128		/* remote VTEPs: WR_VTEP_MAX's order */
#define EV_MACS_DEFAULT 65536	/* per side and kind, all VNIs together */

/* A MAC and where it is: a remote VTEP (IPv4, network order), 0 for local. */
struct ev_mac {
	uint8_t mac[6];
	uint16_t vni_idx;	/* index into ev_state.vnis */
	uint32_t vtep;
};

struct ev_vtep {
	uint32_t ip;		/* network order */
	bool flood;
};

/* A bounded list; what did not fit is counted in full. */
struct ev_macs {
	struct ev_mac *v;
	uint32_t n, max;
	uint64_t full;
};

struct ev_vni {
	uint32_t vni;
	uint16_t bd;
	char anchor[IFNAMSIZ];	/* the kernel VXLAN device zebra sees */
	char shadow[IFNAMSIZ];	/* the bridge port Warren's local MACs are written to */
	int anchor_if, shadow_if;	/* ifindexes, 0 when missing */
	uint32_t flood[EV_VTEP_MAX];	/* type-3: VTEPs of this VNI */
	uint32_t n_flood;
};

struct ev_state {
	struct ev_vni vnis[EV_VNI_MAX];
	uint16_t n_vnis;
	/* The kernel's side (zebra's remote entries, the shadow ports' entries). */
	struct ev_macs krem, kloc;
	/* Warren's side (static entries behind the tunnel, local ports' entries). */
	struct ev_macs wrem, wloc;
	struct ev_vtep wvteps[EV_VTEP_MAX];
	uint32_t n_wvteps;
	uint64_t vtep_full;	/* type-3 or type-2 VTEPs past EV_VTEP_MAX */
};

/* What a pass asks for; each returns 0 or -errno (counted, the pass goes on). */
struct ev_ops {
	int (*vtep_add)(void *ctx, uint32_t ip, bool flood);
	int (*vtep_del)(void *ctx, uint32_t ip);
	int (*mac_add)(void *ctx, const struct ev_vni *v, const uint8_t mac[6], uint32_t vtep);
	int (*mac_del)(void *ctx, const struct ev_vni *v, const uint8_t mac[6]);
	int (*local_add)(void *ctx, const struct ev_vni *v, const uint8_t mac[6]);
	int (*local_del)(void *ctx, const struct ev_vni *v, const uint8_t mac[6]);
};

struct ev_counts {
	uint64_t vtep_add, vtep_del, mac_add, mac_del, local_add, local_del, errors;
};

int ev_macs_init(struct ev_macs *m, uint32_t max);
void ev_macs_free(struct ev_macs *m);
/** Append (counted in full past the bound). */
void ev_macs_push(struct ev_macs *m, uint16_t vni_idx, const uint8_t mac[6], uint32_t vtep);

/** The VNI index of @bd, or -1. */
int ev_vni_of_bd(const struct ev_state *s, uint16_t bd);

/**
 * One pass: make Warren's tunnel and FDB agree with the kernel's remote
 * entries, and the shadow ports agree with Warren's local entries (a MAC
 * the kernel has as remote is not written as local: EVPN's answer wins
 * over a learned one). Sorts the four lists. Adds to @c what it did.
 */
void ev_sync(struct ev_state *s, const struct ev_ops *ops, void *ctx, struct ev_counts *c);

/* ---------------------------------------------------------- the kernel side */
struct nl_sock;

/**
 * Make what is missing of VNI @v's anchor in @netns (docs/evpn.md): bridge
 * brVNI, vxlan @v->anchor (id VNI, local @local, UDP @port), veth
 * @v->shadow (peer: the shadow's name and "p") in the bridge, its learning
 * off, all up. What exists is kept. 1 when something was made, 0 when
 * nothing was missing, or -errno with a message.
 */
int ev_kernel_anchor(const char *netns, const struct ev_vni *v, uint32_t local, uint16_t port);

/** The anchors' and shadows' ifindexes, checked (vxlan of the VNI, same bridge). */
int ev_kernel_links(struct nl_sock *sk, struct ev_state *s);
/** Fill krem, kloc and each VNI's flood list from an AF_BRIDGE dump. */
int ev_kernel_read(struct nl_sock *sk, struct ev_state *s);
/** A static (NUD_NOARP | NUD_REACHABLE) bridge entry on @ifindex, or its removal. */
int ev_kernel_local(struct nl_sock *sk, int ifindex, const uint8_t mac[6], bool add);

#endif /* WR_EVPN_PRIV_H */
