/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf_env.h - what the fast-path tests share: a private network namespace
 * with veth pairs, the loaded skeleton, its maps filled the way warrend
 * will fill them, counters summed over CPUs, and test frames. Tests only.
 *
 * Cleanup: the namespace is the process's own (unshare), so its devices go
 * when the process does, however it ends; the skeleton and the links to
 * devices are file descriptors, closed the same way. Each test still
 * destroys what it made, for the next test in the same process.
 */
#ifndef WR_BPF_ENV_H
#define WR_BPF_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include <xdp/xsk.h>

#include "wr_bpf.h"
#include "xdp_switch.skel.h"

/* Test frames: ethertype 0x88b5 (local experimental), never an IP frame. */
#define ENV_ETHERTYPE	0x88b5
#define ENV_FRAME_LEN	60	/* the shortest Ethernet frame, FCS not included */
#define ENV_FRAME_MAX	256

/**
 * Exit 77 (meson's skip) with the reason when not root; otherwise move
 * this process into a network namespace of its own, IPv6 off (no router
 * solicitations on the test's devices). 0 or -errno.
 */
int env_enter(void);

/** A veth pair @a / @b in this namespace, both up, GRO on (NAPI, for XDP redirects). */
int env_veth(const char *a, const char *b, int *ifindex_a, int *ifindex_b);

/**
 * Veth pairs @names[0]/@names[1], @names[2]/@names[3], ... (@n names, even),
 * their ifindexes in @ifindex, then the skeleton loaded; NULL after
 * printing why (the caller deletes what was made).
 */
struct xdp_switch *env_veths_load(const char *const *names, int n, int *ifindex);

/** Delete device @name (and its peer). */
void env_del(const char *name);

/** The skeleton, loaded; NULL after printing why. */
struct xdp_switch *env_load(void);

/**
 * Port @idx: its configuration, the device's entry in wr_ifports and
 * wr_devmap (when @p.ifindex is set). Asserts.
 */
void env_port(struct xdp_switch *s, uint32_t idx, struct wr_bpf_port p);

/** A port of mode none in bridge domain @bd, fast path on, learning on. */
struct wr_bpf_port env_port_none(int ifindex, uint16_t bd);
struct wr_bpf_port env_port_access(int ifindex, uint16_t vlan);
/** A trunk allowing the @n VLANs of @vlans, untagged frames in @native (0: none). */
struct wr_bpf_port env_port_trunk(int ifindex, uint16_t native, const uint16_t *vlans, int n);

void env_vlan_bd(struct xdp_switch *s, uint32_t vlan, uint16_t bd);
void env_fdb(struct xdp_switch *s, uint16_t bd, const uint8_t mac[6], uint16_t port,
	     uint64_t last_seen_ns);
/** The entry's value; false if there is none. */
bool env_fdb_get(struct xdp_switch *s, uint16_t bd, const uint8_t mac[6],
		 struct wr_bpf_fdb_val *v);

/** Counters summed over CPUs. */
void env_stats(struct xdp_switch *s, struct wr_bpf_stats *st);
void env_port_stats(struct xdp_switch *s, uint32_t idx, struct wr_bpf_port_stats *ps);

/*
 * An AF_XDP socket that only has to exist: what a test run's redirect to
 * wr_xsks needs (the key's presence decides the verdict; nothing is read).
 */
struct env_xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *sock;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
};

/** A copy-mode socket on @dev's queue 0, libxdp's program inhibited; its fd. Asserts. */
int env_xsk_open(struct env_xsk *x, const char *dev);
/** Close what env_xsk_open() made (any part of it), and zero @x. */
void env_xsk_close(struct env_xsk *x);

/** CLOCK_MONOTONIC in ns (the clock of last_seen_ns). */
uint64_t env_now_ns(void);

/*
 * A test frame into @out (room for ENV_FRAME_MAX): @dst, @src, up to two
 * tags (tpid 0: none), ENV_ETHERTYPE and a payload that makes it @len
 * bytes long (at least ENV_FRAME_LEN plus its tags when @len is 0). Returns
 * the length.
 */
uint16_t env_frame(uint8_t *out, const uint8_t dst[6], const uint8_t src[6], uint16_t tpid1,
		   uint16_t tci1, uint16_t tpid2, uint16_t tci2, uint16_t len);

#endif /* WR_BPF_ENV_H */
