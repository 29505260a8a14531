/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_control.h - what control/ offers: namespaces, links, addresses, routes
 * and sysctls inside named network namespaces (iproute2-compatible), the
 * client of warrend's socket API and the preparation of its ports, and the
 * lab file that describes all of them.
 *
 * Every function that can fail returns 0 (or a count) on success and a
 * negative errno on failure, after recording a message that names the object
 * and the cause (wr_err_msg()). Nothing here prints or exits.
 *
 * The library is single-threaded: namespace switches (setns) apply to the
 * calling thread and are undone before each function returns.
 */
#ifndef WR_CONTROL_H
#define WR_CONTROL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wr_api.h"

/* ------------------------------------------------------------------ errors */

/**
 * Record the message of the current failure and return @err unchanged, so
 * that `return wr_err_set(-ENOENT, "netns %s: open: %s", ...)` reads as one.
 */
int wr_err_set(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The last message recorded by wr_err_set() ("" when none). */
const char *wr_err_msg(void);

/** Forget the last message. */
void wr_err_clear(void);

/* ------------------------------------------------------------- validation */


/** 0 if @name is a valid interface name (1..15 bytes, no '/', ':' or space). */
int wr_valid_ifname(const char *name);

/** 0 if @name is a valid namespace name ([A-Za-z0-9_.-], 1..64, not . or ..). */
int wr_valid_netns_name(const char *name);

/** An IPv4 or IPv6 address with an optional prefix length. */
struct wr_cidr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t prefixlen;	/* 32/128 when the text had none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} addr;
};

/**
 * Parse "192.0.2.1/24", "2001:db8::1/64", or a bare address (@need_prefix
 * false). Returns 0 or -EINVAL with a message saying what is wrong.
 */
int wr_parse_cidr(const char *text, bool need_prefix, struct wr_cidr *out);

/** Format @c as "addr/len" into @buf (INET6_ADDRSTRLEN + 4 bytes is enough). */
void wr_format_cidr(const struct wr_cidr *c, char *buf, size_t size);

/** Parse "02:00:00:00:00:01"; 0 or -EINVAL. */
int wr_parse_mac(const char *text, uint8_t mac[6]);

#define WR_SYSCTL_KEY_MAX 127	/* bytes, without the NUL */

/**
 * 0 if @key is a sysctl key wr_sysctl_get/set() and lab files accept:
 * "net." then parts of [A-Za-z0-9_-/] separated by dots, none empty or all
 * '/', at most WR_SYSCTL_KEY_MAX bytes. As in sysctl(8), a '/' stands for a
 * dot inside a part ("net.ipv4.conf.eth0/10.forwarding"). -EINVAL with a
 * message otherwise. Touches nothing outside the process.
 */
int wr_sysctl_valid_key(const char *key);

/* ------------------------------------------------------------- namespaces */

/*
 * A namespace name of NULL or "" means the root namespace, the one warren
 * itself was started in.
 */

/** Create /run/netns/@name as iproute2 does. -EEXIST if it exists. */
int wr_netns_add(const char *name);

/** Unmount and remove /run/netns/@name. -ENOENT if absent. */
int wr_netns_del(const char *name);

/** 1 if /run/netns/@name is a mounted namespace, 0 if not. */
int wr_netns_exists(const char *name);

/** Name the network namespace of process @pid as @name. */
int wr_netns_attach(const char *name, pid_t pid);

/**
 * Call @fn once per namespace under /run/netns, in name order.
 * Returns the number listed, or the first negative value @fn returned.
 */
int wr_netns_foreach(int (*fn)(const char *name, void *arg), void *arg);

/**
 * Stop every process inside @name: SIGTERM, then SIGKILL to those still
 * there after a second. Returns how many were signalled, or -errno.
 */
int wr_netns_kill(const char *name);

/** Open the namespace file of @name (root when NULL/""): an fd or -errno. */
int wr_netns_open(const char *name);

/**
 * Move the calling thread into @name. *@saved receives an fd of the
 * namespace it was in; give it to wr_netns_leave() to come back.
 */
int wr_netns_enter(const char *name, int *saved);
void wr_netns_leave(int saved);

/**
 * Run @argv inside @name as `ip netns exec` does: a private mount namespace,
 * /sys remounted for @name, /etc/netns/@name/<file> bind-mounted over
 * /etc/<file>. Replaces the process; returns only on failure, -EINVAL
 * before doing anything when @name is not a valid name ("" is no root).
 */
int wr_netns_exec(const char *name, char *const argv[]);

/**
 * Call @fn, in name order, with every name under /run/netns for the network
 * namespace of process @pid (0: the caller), as `ip netns identify`. Count
 * (0: no name), or -errno: -ESRCH when there is no such process.
 */
int wr_netns_identify(pid_t pid, int (*fn)(const char *name, void *arg), void *arg);

/**
 * Call @fn, in ascending order, with every process whose network namespace
 * is /run/netns/@name, as `ip netns pids`. Count, or -errno: -ENOENT when
 * there is no such namespace.
 */
int wr_netns_pids(const char *name, int (*fn)(pid_t pid, void *arg), void *arg);

/* ------------------------------------------------------------------ links */

enum wr_link_kind {
	WR_LINK_VETH,
	WR_LINK_TAP,
	WR_LINK_TUN,
	WR_LINK_BRIDGE,
	WR_LINK_VXLAN,
	WR_LINK_MACVLAN,
	WR_LINK_DUMMY,
	WR_LINK_IPVLAN,
	WR_LINK_VLAN,
	WR_LINK_GENEVE,
	WR_LINK_KIND_COUNT
};

/** "veth", "tap", ... ; NULL for an unknown kind. */
const char *wr_link_kind_name(enum wr_link_kind kind);
/** The kind named @name, or -EINVAL. */
int wr_link_kind_parse(const char *name);

enum wr_macvlan_mode {
	WR_MACVLAN_PRIVATE,
	WR_MACVLAN_VEPA,
	WR_MACVLAN_BRIDGE,
	WR_MACVLAN_PASSTHRU,
};

/** "private", "vepa", "bridge", "passthru" and back; -EINVAL if unknown. */
const char *wr_macvlan_mode_name(enum wr_macvlan_mode mode);
int wr_macvlan_mode_parse(const char *name);

/* ipvlan, in iproute2's order: the first of each is the kernel's default. */
enum wr_ipvlan_mode {
	WR_IPVLAN_L3,
	WR_IPVLAN_L3S,
	WR_IPVLAN_L2,
};
enum wr_ipvlan_flag {
	WR_IPVLAN_BRIDGE,
	WR_IPVLAN_PRIVATE,
	WR_IPVLAN_VEPA,
};

/** "l3", "l3s", "l2" and back; -EINVAL if unknown. */
const char *wr_ipvlan_mode_name(enum wr_ipvlan_mode mode);
int wr_ipvlan_mode_parse(const char *name);
/** "bridge", "private", "vepa" and back; -EINVAL if unknown. */
const char *wr_ipvlan_flag_name(enum wr_ipvlan_flag flag);
int wr_ipvlan_flag_parse(const char *name);

/** One end of a link: an interface in a namespace ("" = root). */
struct wr_ep {
	char netns[WR_NETNS_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
};

/* Room for "netns:ifname" and its NUL. */
#define WR_EP_STR_MAX (WR_NETNS_NAME_MAX + IFNAMSIZ + 2)

/** @ep as "ns:ifname", or "ifname" in the root namespace; returns @buf. */
const char *wr_ep_str(const struct wr_ep *ep, char *buf, size_t size);

/** Everything needed to create one device (or one veth pair). */
struct wr_link_spec {
	enum wr_link_kind kind;
	struct wr_ep ep;		/* the device; the first end of a veth */
	struct wr_ep peer;		/* veth: the other end */
	char lower[IFNAMSIZ];		/* macvlan/ipvlan/vlan/vxlan: parent device, same netns */
	uint32_t vni;			/* vxlan, geneve */
	uint16_t vlan_id;		/* vlan: 1..4094 */
	uint16_t dstport;		/* vxlan, geneve: UDP port, 0 = kind's default */
	enum wr_macvlan_mode macvlan_mode;
	enum wr_ipvlan_mode ipvlan_mode;	/* shared by every ipvlan on the lower device */
	enum wr_ipvlan_flag ipvlan_flag;	/* likewise */
	bool has_local, has_remote;
	struct wr_cidr local, remote;	/* vxlan/geneve; remote may be multicast (vxlan group) */
	int64_t owner, group;		/* tap/tun: uid/gid, -1 = none */
};

/** Create the device(s) described by @spec, down, with kernel defaults. */
int wr_link_add(const struct wr_link_spec *spec);

/** Delete @ep (a veth takes its peer with it). -ENODEV if absent. */
int wr_link_del(const struct wr_ep *ep);

/** Changes to apply to an existing link; a field left at its "unset" value is not touched. */
struct wr_link_change {
	uint32_t mtu;			/* 0: unset */
	bool has_mac;
	uint8_t mac[6];
	int up;				/* -1 unset, 0 down, 1 up */
	const char *master;		/* NULL unset, "" = no master */
	const char *netns;		/* NULL unset: move to this namespace ("" = root) */
	const char *new_name;		/* NULL unset: rename */
};

/** Apply @chg to @ep. */
int wr_link_set(const struct wr_ep *ep, const struct wr_link_change *chg);

/** What the kernel says about one link (wr_link_get, wr_link_foreach). */
struct wr_link_info {
	char ifname[IFNAMSIZ];
	int ifindex;
	char kind[16];			/* "veth", "bridge", "tun", ... ; "" for none */
	uint32_t mtu;
	uint8_t mac[6];
	bool up;			/* IFF_UP */
	bool lower_up;			/* carrier */
	char master[IFNAMSIZ];		/* "" when none */
	char operstate[16];
};

/** Look @ep up. 0, or -ENODEV when absent. */
int wr_link_get(const struct wr_ep *ep, struct wr_link_info *out);

/** Call @fn for every link in @netns, in ifindex order. Count or -errno. */
int wr_link_foreach(const char *netns,
		    int (*fn)(const struct wr_link_info *li, void *arg), void *arg);

/* -------------------------------------------------------------- addresses */

/** Add/delete @addr on @ep. Add of an existing address is -EEXIST. */
int wr_addr_add(const struct wr_ep *ep, const struct wr_cidr *addr);
int wr_addr_del(const struct wr_ep *ep, const struct wr_cidr *addr);

struct wr_addr_info {
	char ifname[IFNAMSIZ];
	struct wr_cidr addr;
	char scope[16];			/* "global", "link", "host" */
};

/** Every address in @netns, or only on @ifname when not NULL. Count or -errno. */
int wr_addr_foreach(const char *netns, const char *ifname,
		    int (*fn)(const struct wr_addr_info *ai, void *arg), void *arg);

/**
 * Whether @ifname in @netns has address @ip (4 or 16 bytes as @family
 * says): 1 or 0, or -errno with a message when the addresses cannot be read.
 */
int wr_addr_held(const char *netns, const char *ifname, int family, const uint8_t *ip);

/* ----------------------------------------------------------------- routes */

struct wr_route {
	struct wr_cidr dst;		/* prefixlen 0: default route */
	bool has_via;
	struct wr_cidr via;		/* gateway (prefixlen ignored) */
	char dev[IFNAMSIZ];		/* "" = let the kernel pick from via */
	uint32_t metric;
};

/** Add/delete @r in @netns. Add of an existing route is -EEXIST. */
int wr_route_add(const char *netns, const struct wr_route *r);
int wr_route_del(const char *netns, const struct wr_route *r);

/** Every route of the main table in @netns (family 0 = both). Count or -errno. */
int wr_route_foreach(const char *netns, int family,
		     int (*fn)(const struct wr_route *r, void *arg), void *arg);

/* -------------------------------------------------------------- next hops */

/* The way from a namespace to an address (wr_nexthop_get). */
struct wr_nexthop {
	int ifindex;			/* the route's output device, in that namespace */
	bool has_gateway;
	uint8_t via[16];		/* the gateway, or the address itself (IPv4: 4 bytes) */
	bool resolved;			/* mac holds via's link-layer address */
	uint8_t mac[6];
	char state[32];			/* the neighbour's: "reachable", "incomplete", "none" */
};

/**
 * The route from @netns to @dst (16 bytes, IPv4 in the first 4), as `ip
 * route get`, and the neighbour it leads to. A neighbour not resolved yet
 * is handed to the kernel to resolve (as a frame to it would be): ask
 * again later. 0, or -errno with a message (no route: -ENETUNREACH; @dst
 * is local: -EINVAL).
 */
int wr_nexthop_get(const char *netns, bool ipv6, const uint8_t dst[16], struct wr_nexthop *out);

/**
 * A non-blocking netlink socket of @netns that turns readable when its
 * neighbours, routes or links change: a file descriptor, or -errno with a
 * message. wr_route_watch_drain() reads what came (how many messages), to
 * be looked up again with wr_nexthop_get().
 */
int wr_route_watch_open(const char *netns);
int wr_route_watch_drain(int fd);

/* ---------------------------------------------------------------- sysctls */

/**
 * Read/write a net.* sysctl of @netns ("net.ipv4.ip_forward"). Only keys
 * under net. are namespaced, so only they are accepted (-EINVAL otherwise).
 */
int wr_sysctl_get(const char *netns, const char *key, char *val, size_t size);
int wr_sysctl_set(const char *netns, const char *key, const char *val);

/* ---------------------------------------------------------------- SR-IOV */

/*
 * A physical function (PF) and its virtual functions (VFs) as sysfs shows
 * them: /sys/class/net/PF/device/{sriov_totalvfs,sriov_numvfs,virtfnN}, each
 * virtfnN a link to the VF's PCI device, whose net/ holds its netdev's name
 * (only while the netdev is in the namespace that looks) and physfn leads
 * back. @sysfs is the tree's root: NULL means wr_sysfs_root(), so that tests
 * run on a fake tree.
 */

#define WR_PCI_ADDR_MAX 32	/* "0000:03:02.0" and room for long domains */

/** $WARREN_SYSFS when set and not empty, else "/sys". */
const char *wr_sysfs_root(void);

struct wr_sriov_pf {
	char ifname[IFNAMSIZ];
	char pci[WR_PCI_ADDR_MAX];	/* the PF's PCI address */
	unsigned int total_vfs;		/* sriov_totalvfs: what the device offers */
	unsigned int num_vfs;		/* sriov_numvfs: how many exist now */
};

struct wr_sriov_vf {
	unsigned int index;		/* N of virtfnN */
	char pci[WR_PCI_ADDR_MAX];
	char ifname[IFNAMSIZ];		/* "" when no netdev shows here: bound to
					 * vfio-pci, or moved to another namespace */
	char driver[32];		/* "iavf", "mlx5_core", "vfio-pci"; "" none */
};

/**
 * Read PF @pf. -ENODEV when there is no such netdev, -EOPNOTSUPP when it
 * has no SR-IOV (no sriov_totalvfs), each with a message.
 */
int wr_sriov_pf_get(const char *sysfs, const char *pf, struct wr_sriov_pf *out);

/** Call @fn for every SR-IOV capable netdev, in name order. Count or -errno. */
int wr_sriov_pf_foreach(const char *sysfs,
			int (*fn)(const struct wr_sriov_pf *pf, void *arg), void *arg);

/** Call @fn for every VF of @pf, in index order. Count or -errno. */
int wr_sriov_vf_foreach(const char *sysfs, const char *pf,
			int (*fn)(const struct wr_sriov_vf *vf, void *arg), void *arg);

/** VF @index of @pf. -ENOENT with a message when the PF has no such VF. */
int wr_sriov_vf_get(const char *sysfs, const char *pf, unsigned int index,
		    struct wr_sriov_vf *out);

/**
 * The PF of netdev @ifname (through its physfn link) into @pf (IFNAMSIZ
 * bytes) and its VF index into *@index. -ENOENT when @ifname is no VF.
 */
int wr_sriov_physfn(const char *sysfs, const char *ifname, char *pf, unsigned int *index);

/**
 * Who uses VF @vf: a text such as "attached to netns h1 as net1" into @who
 * and 1, or 0 when it is free; negative errno on failure.
 */
typedef int (*wr_sriov_user_fn)(const struct wr_sriov_pf *pf, const struct wr_sriov_vf *vf,
				char *who, size_t size, void *arg);

/**
 * Make @pf have @n VFs through sriov_numvfs: nothing when it has them
 * already; 0 first when it has some (the kernel answers EBUSY to a change
 * between two non-zero counts). Refused with -EBUSY, naming each user,
 * when @in_use (may be NULL) says a VF that would go is in use; -ERANGE
 * when @n is more than sriov_totalvfs; a refusal of the kernel is
 * explained (-ENOENT: the driver has no SR-IOV).
 */
int wr_sriov_set_numvfs(const char *sysfs, const char *pf, unsigned int n,
			wr_sriov_user_fn in_use, void *arg);

/*
 * The settings of one VF, kept by the PF's driver and reached over
 * rtnetlink (IFLA_VFINFO_LIST of the PF): what to set, or what the PF
 * reported. A field at its "unset" value (has_* false, -1) is left alone
 * when setting and was not reported when reading.
 */

#define WR_VF_PROTO_8021Q 0x8100
#define WR_VF_PROTO_8021AD 0x88a8

/* IFLA_VF_LINK_STATE_*: follow the PF's link, always up, always down. */
enum wr_vf_state {
	WR_VF_STATE_AUTO,
	WR_VF_STATE_ENABLE,
	WR_VF_STATE_DISABLE,
};

/** "auto", "enable", "disable" and back; -EINVAL (with a message) if unknown. */
const char *wr_vf_state_name(int state);
int wr_vf_state_parse(const char *name);

struct wr_vf_conf {
	bool has_mac;
	uint8_t mac[6];			/* all zero: none given to the VF */
	bool has_vlan;
	uint16_t vlan;			/* 0..4095; 0: no VLAN (and no QoS) */
	uint8_t qos;			/* 802.1p priority, 0..7 */
	uint16_t proto;			/* WR_VF_PROTO_8021Q (default) or _8021AD */
	int64_t min_rate, max_rate;	/* Mbit/s, 0: no limit; -1 unset */
	int spoofchk, trust;		/* 0, 1; -1 unset (or not supported by the driver) */
	int link_state;			/* enum wr_vf_state; -1 unset */
	int rss_query;			/* 0, 1: the VF may query the PF's RSS; -1 unset */
};

/** Every field of @c unset. */
void wr_vf_conf_init(struct wr_vf_conf *c);

/**
 * 0 if @c asks for something and every value is in range (VLAN 0..4095,
 * QoS 0..7 and only with a VLAN, a known protocol, min_rate <= max_rate
 * unless max_rate is 0); -EINVAL with a message otherwise.
 */
int wr_vf_conf_check(const struct wr_vf_conf *c);

/**
 * The keywords of a VF's settings, as `warren vf set|attach` and a lab
 * file's `vfs:` entries take them (NULL-terminated): mac, vlan, qos, proto,
 * min_rate, max_rate and their other names (rate, min_tx_rate, max_tx_rate),
 * spoofchk, trust, state, query_rss.
 */
extern const char *const wr_vf_conf_keys[];

/**
 * Setting @kw (one of wr_vf_conf_keys) with the value @v, as people write
 * it ("02:00:00:00:00:01", "100", "802.1ad", "on", "enable"), into @c: the
 * one parser of the CLI and the lab file. 0; 1 when @kw is no VF setting
 * (nothing done); -EINVAL with a message starting with @kw ("vlan: '4096'
 * is not a number from 0 to 4095"; a rate given twice, under two names).
 */
int wr_vf_conf_put(struct wr_vf_conf *c, const char *kw, const char *v);

/**
 * Once every setting is in @c: 0, or -EINVAL with a message when qos or
 * proto was given (@qos_or_proto) without vlan, or min_rate is above
 * max_rate.
 */
int wr_vf_conf_finish(const struct wr_vf_conf *c, bool qos_or_proto);

/**
 * Apply @c to VF @vf of PF @pf (in the root namespace) in one RTM_NEWLINK
 * request. Rates are sent as a pair (IFLA_VF_RATE): when only one is
 * given, the VF's other one is read first, as iproute2 does (0 when the
 * PF reports none). 0, or -errno with a message naming the PF, the VF and
 * the cause (the kernel's extack when it said something).
 */
int wr_vf_set(const char *pf, unsigned int vf, const struct wr_vf_conf *c);

/**
 * Call @fn for every VF that PF @pf reports over rtnetlink, with its
 * settings, in the kernel's order. The request asks for VF information
 * (RTEXT_FILTER_VF) and is received in a buffer that holds hundreds of
 * VFs. Count, or -ENODATA (with a message) when the PF reports no VF
 * information at all (no VFs, no driver support, or not a PF), or -errno.
 */
int wr_vf_foreach_conf(const char *pf,
		       int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg), void *arg);

/** The settings of VF @vf of @pf; -ENODATA as above, -ENOENT if it is not reported. */
int wr_vf_get_conf(const char *pf, unsigned int vf, struct wr_vf_conf *out);

/*
 * A VF lent to a namespace. Before anything is touched, Warren saves the
 * VF's netdev name and settings in a file of the run directory
 * (wr_api_run_dir()/vf/PFPCI-vfN.json, written whole or not at all), so
 * that a crash of the CLI loses nothing; release puts back the name and the
 * settings that differ, and forgets the file.
 */

#define WR_VF_ADDRS_MAX 16	/* addresses given to a VF's netdev in its namespace */

/** What to lend: VF @vf of @pf to @netns, as @name, with @addrs and @conf. */
struct wr_vf_attach {
	char pf[IFNAMSIZ];
	unsigned int vf;
	char netns[WR_NETNS_NAME_MAX + 1];	/* must exist, not the root */
	char name[IFNAMSIZ];			/* "": keep the netdev's name */
	struct wr_cidr addrs[WR_VF_ADDRS_MAX];
	size_t n_addrs;
	struct wr_vf_conf conf;			/* settings given to the VF first (unset: none) */
	bool down;				/* leave the netdev down (default: up) */
};

/** What Warren keeps of a VF it lent (its state file). */
struct wr_vf_lent {
	char pf[IFNAMSIZ];
	char pf_pci[WR_PCI_ADDR_MAX];
	unsigned int vf;
	char vf_pci[WR_PCI_ADDR_MAX];
	char ifname[IFNAMSIZ];		/* the netdev's name before: it comes back as this */
	char netns[WR_NETNS_NAME_MAX + 1];
	uint64_t netns_ino;		/* which namespace of that name: one made again is another */
	char name[IFNAMSIZ];		/* its name in @netns */
	bool has_saved;			/* the PF reported the VF's settings */
	struct wr_vf_conf saved;	/* as they were before Warren touched them */
	/* The netdev as it was: what a workload may change inside the namespace. */
	uint8_t mac[6];
	uint32_t mtu;
	bool up;
};

/**
 * Lend VF @a->vf: save its state, give it @a->conf, move its netdev into
 * @a->netns renamed @a->name, add @a->addrs, bring it up. -EBUSY when it
 * is lent already; on failure what was done is undone and the state file
 * forgotten. @sysfs as for wr_sriov_pf_get().
 */
int wr_vf_attach(const char *sysfs, const struct wr_vf_attach *a);

/** What wr_vf_release() found and did. */
struct wr_vf_release_report {
	bool netns_gone;		/* the namespace (that one) no longer exists */
	char found[IFNAMSIZ];		/* where the netdev was in the root namespace
					 * before the rename ("" when it came from the namespace) */
	bool lost;			/* the netdev exists nowhere (a stand-in that died with
					 * its namespace); the VF's state is forgotten all the same */
	bool settings_restored;		/* settings that differed were sent back */
};

/**
 * Take VF @vf of @pf back: from its namespace, or, when the namespace is
 * gone (the kernel then returns the netdev to the root namespace itself,
 * as "devN" if its name is taken), from where sysfs says it is; give it
 * its name, MAC, MTU and up/down state, and the VF settings that differ
 * from the saved ones, back, and forget its state file. -ENOENT when
 * Warren did not lend it; on another failure the state file stays, for a
 * second try.
 */
int wr_vf_release(const char *sysfs, const char *pf, unsigned int vf,
		  struct wr_vf_release_report *r);

/** The state of VF @vf of the PF at @pf_pci; -ENOENT when it is not lent. */
int wr_vf_lent_get(const char *pf_pci, unsigned int vf, struct wr_vf_lent *out);

/** Call @fn for every VF Warren has lent, in file name order. Count or -errno. */
int wr_vf_lent_foreach(int (*fn)(const struct wr_vf_lent *l, void *arg), void *arg);

/**
 * A wr_sriov_user_fn: a VF is in use when Warren lent it, or when its
 * netdev (in the root namespace) is up with an address of global scope.
 */
int wr_vf_in_use(const struct wr_sriov_pf *pf, const struct wr_sriov_vf *vf, char *who,
		 size_t size, void *arg);

/* --------------------------------------------------------- switch settings */

/*
 * What a warrend instance and its ports are configured with (docs/api.md),
 * as the CLI and lab files give it. Nothing here touches the system.
 */

#define WR_SWITCH_DEFAULT "warren"	/* the instance when none is named */
#define WR_RANGES_MAX 64	/* ids and ranges in one VLAN or core list */

/** wr_name_check() recording its message: 0 or -EINVAL. */
int wr_valid_name(enum wr_name_kind kind, const char *name, size_t max);

/** 0 if @name is a valid warrend instance name ([A-Za-z0-9_.-], 1..31, no leading '.'). */
int wr_switch_valid_name(const char *name);

/** 0 if @name is a valid port name ([A-Za-z0-9_.-], 1..15). */
int wr_port_valid_name(const char *name);

/** One id, or an inclusive range of them: "10" is {10, 10}, "20-29" is {20, 29}. */
struct wr_range {
	uint16_t lo, hi;
};

/**
 * Parse "N" or "LO-HI", each in [@min, @max] and LO <= HI. @what names the
 * ids in messages ("VLAN", "core"). 0 or -EINVAL with a message.
 */
int wr_range_parse(const char *text, const char *what, unsigned int min, unsigned int max,
		   struct wr_range *out);

/**
 * Parse a comma-separated list of ranges ("10,20-29") into @out, at most
 * @max_n of them; *@n receives how many. 0 or -EINVAL with a message.
 */
int wr_range_list_parse(const char *text, const char *what, unsigned int min,
			unsigned int max, struct wr_range *out, size_t max_n, size_t *n);

/** Format @n ranges as "10,20-29" into @buf ("" for none); returns @buf. */
const char *wr_range_list_format(const struct wr_range *r, size_t n, char *buf, size_t size);


/**
 * 0 if @devargs is what port.add takes for a dpdk port: 1..WR_DEVARGS_MAX
 * bytes, no control characters, a device name before the first comma
 * ("net_tap0,iface=dt1", "0000:03:00.0"), and for a net_af_xdp device an
 * `iface` that is an interface name. -EINVAL with a message otherwise.
 */
int wr_devargs_valid(const char *devargs);

/**
 * The device name of @devargs, the text before its first comma, into @buf
 * (as warrend reports it in a port's "dev"); returns @buf.
 */
const char *wr_devargs_dev(const char *devargs, char *buf, size_t size);

/**
 * The interface that @devargs gives a net_af_xdp device (a name starting
 * with "net_af_xdp") in its `iface=` key, into @ifname (IFNAMSIZ bytes).
 * 1 if there is one, 0 for another device or none given; -EINVAL with a
 * message when it is no interface name.
 */
int wr_devargs_afxdp_iface(const char *devargs, char *ifname, size_t size);

/**
 * The settings of one port, for port.add and port.set. A setting left at
 * its "unset" value (-1, or false for has_allowed) stays out of the request:
 * warrend's default (add) or the current value (set) holds.
 */
struct wr_port_req {
	char name[WR_PORT_NAME_MAX + 1];
	/* port.add only */
	struct wr_ep dev;		/* netns "" = root; ifname "" = the port's name (dpdk:
					 * netns is where the PMD works, ifname stays "") */
	int type;			/* enum wr_port_type; always set */
	char devargs[WR_DEVARGS_MAX + 1];	/* dpdk: what the EAL probes; "" unset */
	int64_t queue;			/* afxdp: device queue; -1 unset */
	int zerocopy;			/* afxdp: enum wr_zerocopy; -1 unset */
	int umem;			/* afxdp: enum wr_umem; -1 unset */
	/* port.add and port.set */
	int vlan_mode;			/* enum wr_vlan_mode; -1 unset */
	int bd;				/* 1..4095 (vlan mode none); -1 unset */
	int access_vlan;		/* 1..4094; -1 unset */
	int native_vlan;		/* 0..4094 (0: untagged frames dropped); -1 unset */
	bool has_allowed;
	struct wr_range allowed[WR_RANGES_MAX];	/* trunk: the VLANs carried tagged */
	size_t n_allowed;
	int learning;			/* 0, 1; -1 unset */
	int64_t mac_limit;		/* 0: only the FDB's bound; -1 unset */
	int fastpath;			/* enum wr_fastpath; -1 unset */
	/* port.set only */
	int up;				/* administrative state 0, 1; -1 unset */
};

/** Every setting of @pc unset, name and device empty, type afxdp. */
void wr_port_req_init(struct wr_port_req *pc);

/*
 * A value of a port.add or port.set key as the CLI or the lab file parsed
 * it, by the key's type (wr_api.def): INT, ENUM (the word's index), BOOL
 * (0, 1) in @i; NAME, IFNAME, STR, PORT in @s (NULL: back to unset); VLANS
 * in @r[0..@n).
 */
struct wr_port_val {
	int64_t i;
	const char *s;
	const struct wr_range *r;
	size_t n;
};

/**
 * Key @k of port.add or port.set into its field of @pc (control/portreq.c
 * holds the one mapping): a text checked as the key's type takes it (a
 * name, an interface name, devargs), a number within the key's bounds. A
 * key that says a VLAN mode (access_vlan: access, allowed: trunk, or
 * vlan_mode itself) sets vlan_mode, and is refused when another key asked
 * for another mode. 0, or -EINVAL with a message that does not name @k
 * (the caller says it in its word) and names other keys as `key`
 * (wr_api_in_words()).
 */
int wr_port_req_put(struct wr_port_req *pc, const struct wr_api_key *k,
		    const struct wr_port_val *v);

/**
 * A new object with the keys of @args that @cmd takes, in wr_api.def's
 * order (the values shared with @args), so that a request reads the same
 * however it was written; NULL when memory runs out.
 */
struct json_object *wr_api_args_ordered(enum wr_api_cmd cmd, struct json_object *args);

/* ---------------------------------------------------------- warrend API client */

/*
 * One request, one reply line, over /run/warren/NAME.sock (docs/api.md);
 * the directory is $WARREN_RUN_DIR when set (tests). Requests and results
 * are json-c objects; a failure returns -errno with the daemon's own
 * message (error.message), or one naming the switch and the cause.
 */

/* ----------------------------------------------------------------- pcapng */

/*
 * pcapng blocks into @buf (@size bytes): how many bytes the block took, 0
 * when it does not fit (pcapng.c; `warren capture`).
 */
#define WR_LINKTYPE_ETHERNET	1

/* One frame of an enhanced packet block. */
struct wr_pcapng_pkt {
	uint32_t if_id;		/* the interface block's number, from 0 */
	uint64_t ts_ns;		/* since the epoch, in nanoseconds (the IDB says 10^-9) */
	const void *data;
	uint32_t cap_len, orig_len;
	bool outbound;		/* epb_flags' direction: sent, else received */
	const char *comment;	/* UTF-8, comment_len bytes (0: none) */
	size_t comment_len;
};

/** The section header, naming the application @app (shb_userappl). */
size_t wr_pcapng_shb(uint8_t *buf, size_t size, const char *app);
/** An interface of @linktype, @snaplen, named @ifname, with nanosecond timestamps. */
size_t wr_pcapng_idb(uint8_t *buf, size_t size, uint16_t linktype, uint32_t snaplen,
		     const char *ifname);
/** An enhanced packet block with its direction and comment. */
size_t wr_pcapng_epb(uint8_t *buf, size_t size, const struct wr_pcapng_pkt *p);

struct json_object;
struct wr_api;

#define WR_API_TIMEOUT_MS 5000	/* for one reply */

/**
 * A program of Warren's into @buf: $@env_var when set, else @rel from the
 * folder of the running program when executable there (the build tree),
 * else @fallback.
 */
void wr_find_program(const char *env_var, const char *rel, const char *fallback, char *buf,
		     size_t size);

/** In a child about to exec a daemon: no signal blocked, the usual ones to their defaults. */
void wr_child_signals(void);

/** The directory of the sockets: $WARREN_RUN_DIR or /run/warren. */
const char *wr_api_run_dir(void);

/**
 * The file of instance @sw with @suffix in the run directory, into @buf:
 * ".sock" is its socket, ".lab" the mark left by a lab that started it.
 * 0, or -EINVAL (bad name) / -ENAMETOOLONG with a message.
 */
int wr_switch_path(const char *sw, const char *suffix, char *buf, size_t size);

/**
 * Connect to instance @sw. -ENOENT / -ECONNREFUSED with "switch 'NAME' is
 * not running (...)" when nothing listens there.
 */
int wr_api_open(const char *sw, struct wr_api **out);
void wr_api_close(struct wr_api *api);
/**
 * The connection of @api taken out of it (a reply that a stream follows:
 * capture.start): its descriptor, and into *@rest (malloc'ed, NULL when
 * none) the *@rest_len bytes already read past the reply. @api is freed.
 */
int wr_api_take_fd(struct wr_api *api, char **rest, size_t *rest_len);

/**
 * Send @cmd with @args (an object, NULL for none; not consumed) and wait
 * WR_API_TIMEOUT_MS at most for the reply. On success *@result (when not
 * NULL) receives the result, an object the caller puts. On failure -errno:
 * the daemon's errno with its message, -ETIMEDOUT, -EPROTO for a reply that
 * is not one, -ECONNRESET when the daemon went away.
 */
int wr_api_call(struct wr_api *api, const char *cmd, struct json_object *args,
		struct json_object **result);

/** wr_api_open(), wr_api_call(), wr_api_close() in one. */
int wr_api_request(const char *sw, const char *cmd, struct json_object *args,
		   struct json_object **result);

/**
 * Member @key of object @o of a result: a string ("" when absent or of
 * another type), an integer (0), a boolean (false), an array or an object
 * (NULL).
 */
const char *wr_json_str(struct json_object *o, const char *key);
int64_t wr_json_int(struct json_object *o, const char *key);
bool wr_json_bool(struct json_object *o, const char *key);
struct json_object *wr_json_array(struct json_object *o, const char *key);
struct json_object *wr_json_object(struct json_object *o, const char *key);

/**
 * The `args` of port.add (@add) or port.set for @pc, with the keys of
 * docs/api.md; NULL when memory runs out. The caller puts it.
 */
struct json_object *wr_port_req_json(const struct wr_port_req *pc, bool add);

/** 1 if instance @sw answers `hello`, 0 if not. */
int wr_switch_running(const char *sw);

/**
 * Start instance @sw: `warrend --name SW --daemon [--cores CORES] [--age
 * AGE_S] [--dpdk DPDK_ARGS]` (@cores NULL or "", @age_s -1, @dpdk_args
 * NULL or "": warrend's defaults; @dpdk_args is one argument, the EAL's
 * arguments separated by blanks), with `--run-dir` when $WARREN_RUN_DIR is
 * set. The binary is $WARREND, else ../dataplane/warrend next to this
 * program (the build tree), else warrend in $PATH. Returns once the
 * instance answers; on failure the message carries what warrend said on
 * stderr.
 */
int wr_switch_start(const char *sw, const char *cores, int64_t age_s, const char *dpdk_args);

/**
 * Stop instance @sw: `shutdown`, then wait up to 5 s for its process to
 * exit (for its socket to go when `hello` gave no pid). Forgets that a lab
 * started it (wr_lab_switch_started()).
 */
int wr_switch_stop(const char *sw);

/* ------------------------------------------------------------ endpoints */

/*
 * A port's device and, for a veth, its far end (the peer), which warrend
 * prepares for the port's fast path and puts back when the port goes.
 */
struct wr_endpoint_report {
	struct wr_ep dev;		/* the port's device */
	bool veth;			/* the device is a veth; nothing else was looked at otherwise */
	bool peer_found;		/* the peer's namespace has a name (or is the root) */
	int peer_ifindex;		/* in its namespace */
	struct wr_ep peer;		/* the far end, when peer_found */
	uint8_t peer_mac[6];		/* its MAC, when peer_found */
	bool tx_csum_kept;		/* fastpath tc: TX checksum offload left as it is */
	bool tx_csum_on;		/* with tx_csum_kept: it is on */
	bool tx_csum_changed;		/* TX checksum offload was on: now off */
	bool gro_changed;		/* GRO was off: now on */
};

/**
 * Look device @ifname of @netns up: whether it is a veth and where its peer
 * is. Nothing is changed. 0, or -ENODEV / -EINVAL / a netlink error with a
 * message.
 */
int wr_endpoint_probe(const char *netns, const char *ifname, struct wr_endpoint_report *out);

/**
 * Make the device @r probed fit to be an AF_XDP port whose fast path is
 * @fastpath (enum wr_fastpath): if it is a veth, turn GRO on at its peer,
 * in the peer's namespace, and TX checksum offload off unless @fastpath is
 * WR_FASTPATH_TC. A frame from a namespace with checksum offload carries a
 * partial checksum that is wrong once it has crossed AF_XDP or an XDP
 * redirect; tcx ingress keeps the skb's checksum state and its GSO frames
 * whole. An XDP transmit into a veth (warrend's own, in every mode) is
 * dropped unless the far end runs NAPI, which GRO turns on. Other devices
 * need nothing. A peer in a namespace without a name is left as it is
 * (peer_found false). @r records what was changed.
 */
int wr_endpoint_prepare(struct wr_endpoint_report *r, int fastpath);

/** Put back what wr_endpoint_prepare() changed on @r's peer (0 if nothing). */
int wr_endpoint_restore(struct wr_endpoint_report *r);

/**
 * @r for people: "peer h1:eth0: tx checksum off, gro on" (or "already off",
 * "already on"; for fastpath tc "tx checksum left on (...)"); "" when the
 * device is not a veth. Returns @buf.
 */
const char *wr_endpoint_describe(const struct wr_endpoint_report *r, char *buf, size_t size);

/* What a device offloads, its MTU and who drives it (warren doctor). */
struct wr_dev_info {
	bool tso;			/* tx-tcp-segmentation */
	bool gso;			/* generic-segmentation-offload */
	bool gro;			/* generic-receive-offload */
	bool tx_csum;			/* tx-checksumming */
	uint32_t mtu;
	char driver[32];		/* "veth", "macvlan", "ixgbe"; "" unknown */
	char bus_info[32];		/* "0000:03:00.0" for a PCI device; "" for a virtual one */
};

/** Read device @ep (in its namespace); nothing is changed. 0, or -errno with a message. */
int wr_dev_info(const struct wr_ep *ep, struct wr_dev_info *out);

/* -------------------------------------------------------------- lab files */

/* A position in a lab file, 1-based; line 0 means "the file as a whole". */
struct wr_pos {
	uint32_t line, col;
};

struct wr_lab_sysctl {
	char key[WR_SYSCTL_KEY_MAX + 1];	/* "net.ipv4.ip_forward" */
	char val[64];
	struct wr_pos pos;
};

struct wr_lab_iface {
	char ifname[IFNAMSIZ];
	uint32_t mtu;			/* 0: leave as created */
	bool has_mac;
	uint8_t mac[6];
	char master[IFNAMSIZ];		/* "" : none */
	bool up;			/* default true */
	struct wr_cidr *addrs;
	size_t n_addrs;
	struct wr_pos pos;
};

struct wr_lab_route {
	struct wr_route r;
	struct wr_pos pos;
};

/* A command of a namespace's `run`: /bin/sh -c @cmd inside it (lab_run.c). */
struct wr_lab_cmd {
	char *cmd;
	struct wr_pos pos;
};

struct wr_lab_ns {
	char name[WR_NETNS_NAME_MAX + 1];	/* as written in the file */
	char full[WR_NETNS_NAME_MAX + 1];	/* with the lab's prefix: the real name */
	struct wr_pos pos;
	struct wr_lab_sysctl *sysctls;
	size_t n_sysctls;
	struct wr_lab_iface *ifaces;
	size_t n_ifaces;
	struct wr_lab_route *routes;
	size_t n_routes;
	struct wr_lab_cmd *run;
	size_t n_run;
};

struct wr_lab_link {
	struct wr_link_spec spec;	/* names already prefixed: ready for wr_link_add() */
	struct wr_pos pos;
};

struct wr_lab_error {
	struct wr_pos pos;
	char msg[200];
};

struct wr_lab_port {
	struct wr_port_req conf;	/* dev holds real names: ready for port.add */
	struct wr_pos pos;
};

#define WR_LAB_PORTS_MAX 256	/* ports of a lab's switch, as warrend's bound */

/* One entry of `vlans`: frames of VLAN @vlan belong to bridge domain @bd. */
struct wr_lab_vlan {
	uint16_t vlan, bd;
	struct wr_pos pos;
};

/*
 * One request a lab makes of its switch, checked against wr_api.def when
 * the file was read: @args is ready for wr_api_call().
 */
struct wr_lab_req {
	enum wr_api_cmd cmd;
	struct json_object *args;
	struct wr_pos pos;		/* what in the file asks for it */
};

#define WR_LAB_TUNNELS_MAX WR_TUNNEL_MAX	/* warrend takes no more */
#define WR_LAB_VTEPS_MAX WR_VTEP_MAX	/* remote VTEPs of one tunnel */

/*
 * One entry of `tunnels`: its tunnel.add, then a vni.set per VNI and a
 * vtep.add per remote, in the file's order.
 */
struct wr_lab_tunnel {
	char name[WR_PORT_NAME_MAX + 1];
	struct wr_lab_req *reqs;
	size_t n_reqs;
	struct wr_pos pos;
};

/* The `switch:` section: one warrend instance and what it is given. */
struct wr_lab_switch {
	bool present;			/* the file has a switch section */
	char name[WR_SWITCH_NAME_MAX + 1];	/* the instance (prefix included) */
	struct wr_range cores[WR_RANGES_MAX];	/* n_cores 0: warrend's default */
	size_t n_cores;
	int64_t age_s;			/* FDB aging in seconds; -1: warrend's default */
	char dpdk_args[WR_DPDK_ARGS_MAX + 1];	/* `dpdk: args`, joined by spaces; "" none */
	struct wr_lab_vlan *vlans;
	size_t n_vlans;
	struct wr_lab_port *ports;
	size_t n_ports;
	struct wr_lab_tunnel *tunnels;	/* on ports of the switch, added after them */
	size_t n_tunnels;
	struct wr_lab_req *steer;	/* `steer`: a steer.add each, after the tunnels */
	size_t n_steer;
	struct wr_lab_req *mirrors;	/* `mirrors`: a mirror.add each, after the ports */
	size_t n_mirrors;
	struct wr_lab_req *chains;	/* `chains`: a chain.add each, after the rules */
	size_t n_chains;
	struct wr_pos pos;		/* of the `switch` key */
};

#define WR_LAB_VFS_MAX 1024	/* entries of `vfs` */

/* One entry of `vfs`: a VF of the host lent to a namespace of the lab (wr_vf_attach()). */
struct wr_lab_vf {
	struct wr_vf_attach a;		/* a.netns: the namespace's real name; a.vf unused if any */
	bool any;			/* `vf: any`: a free VF of the PF, chosen by `up` */
	struct wr_pos pos;		/* of the entry */
	struct wr_pos pf_pos, vf_pos;	/* of its pf and vf values: where the host's checks point */
};

#define WR_LAB_EVPN_PEERS_MAX 16	/* `neighbors` */
#define WR_LAB_EVPN_VNIS_MAX 64	/* VNIs of its tunnel (warren-evpnd's bound) */

/*
 * The `evpn:` section (docs/evpn.md): FRR's zebra and bgpd in a namespace
 * of the lab, and for a host, warren-evpnd between them and the switch's
 * tunnel, whose VNIs, local address and underlay namespace it takes.
 */
struct wr_lab_evpn {
	bool present;
	uint32_t asn;
	struct wr_cidr router_id;	/* IPv4 */
	struct wr_cidr peers[WR_LAB_EVPN_PEERS_MAX];	/* iBGP neighbours, IPv4 */
	size_t n_peers;
	bool has_listen;
	struct wr_cidr listen;		/* route reflector: its clients' prefix */
	char netns[WR_NETNS_NAME_MAX + 1];	/* FRR's (real name): its pathspace too */
	char tunnel[WR_PORT_NAME_MAX + 1];	/* "" for a route reflector */
	struct wr_cidr local;		/* the tunnel's local address: the VTEP */
	uint16_t anchor_port;		/* the anchors' UDP port */
	uint32_t vni[WR_LAB_EVPN_VNIS_MAX];
	uint16_t bd[WR_LAB_EVPN_VNIS_MAX];
	size_t n_vnis;
	struct wr_pos pos;
};

struct wr_lab {
	char file[256];			/* as given, for messages */
	char prefix[33];
	struct wr_lab_ns *ns;
	size_t n_ns;
	struct wr_lab_link *links;
	size_t n_links;
	struct wr_lab_vf *vfs;
	size_t n_vfs;
	struct wr_lab_switch sw;
	struct wr_lab_evpn evpn;
	/* Every problem found, in file order; the lab is usable only if none. */
	struct wr_lab_error *errors;
	size_t n_errors;
	/* What wr_lab_check_host() found that this host lacks (not errors of the file). */
	struct wr_lab_error *notes;
	size_t n_notes;
};

/**
 * Parse and validate a lab file held in @buf. @file names it in messages.
 * Returns a lab (check ->n_errors before using it), or NULL only when memory
 * runs out. Touches nothing outside the process.
 */
struct wr_lab *wr_lab_parse(const char *file, const char *buf, size_t len);

/**
 * @lab as a graphviz graph (the dot language) on @f: its namespaces with
 * their devices, its links, its switch's ports and tunnels. @live: devices
 * coloured by their state now, and the switch's counters and learned MACs
 * per port (when it runs). 0, or -EIO with a message.
 */
int wr_lab_graph(const struct wr_lab *lab, bool live, FILE *f);

/* The way from a namespace of a running lab to an address (wr_lab_explain()). */
#define WR_LAB_WAY_STEPS 64
struct wr_lab_way {
	struct {
		char text[256];
		bool ok;		/* false: the way breaks here */
	} steps[WR_LAB_WAY_STEPS];
	size_t n_steps;
	size_t broken;			/* 1 + the step where it breaks; 0: it does not */
	bool reached;			/* the address is local where it ends */
	bool leaves;			/* it leaves the lab (behind a tunnel's VTEP) */
};

/**
 * Whether namespace @from (as the lab file names it) of the running @lab
 * reaches @dst (16 bytes; IPv4 in the first 4), and by which way: each
 * namespace's route and neighbour, then the wire to whoever holds the next
 * hop (a veth's far end, the switch's FDB or flooding in the port's bridge
 * domain, a kernel bridge's ports), until @dst is local; the first step
 * that breaks is marked. Looking a neighbour up asks the kernel to resolve
 * it, as a packet would. 0 (the answer in @way), or -errno with a message
 * when the question cannot be asked (no such namespace).
 */
int wr_lab_explain(const struct wr_lab *lab, const char *from, bool ipv6, const uint8_t dst[16],
		   struct wr_lab_way *way);

/** Read @path and wr_lab_parse() it; an unreadable file is one error at line 0. */
struct wr_lab *wr_lab_load(const char *path);

void wr_lab_free(struct wr_lab *lab);

/** Find the namespace @name (as written in the file) of @lab, or NULL. */
const struct wr_lab_ns *wr_lab_find_ns(const struct wr_lab *lab, const char *name);

/**
 * Check @lab's `vfs` against this host's sysfs (under @sysfs, NULL:
 * wr_sysfs_root()), reading only. A PF that is missing or has no SR-IOV is
 * a note at the entry's pf (lab->notes: the file may be meant for another
 * host); a VF index at or past the PF's sriov_numvfs, or more entries on a
 * PF than it has VFs, is an error (lab->errors, in file order). Returns
 * the number of errors added, or -ENOMEM.
 */
int wr_lab_check_host(struct wr_lab *lab, const char *sysfs);

/**
 * Build @lab: namespaces, the VFs it lends (`vfs`: a VF given `any` is
 * the first of its PF that has a netdev in the root namespace, is not
 * lent, not in use (wr_vf_in_use()) and not named by another entry), links,
 * interface settings, addresses, routes, sysctls, in that order; then its
 * switch: warrend is started unless it
 * runs already (with the lab's cores, aging and DPDK arguments;
 * wr_lab_switch_started() remembers that the lab started it), the aging
 * time and VLAN map are set and the ports added (warrend prepares their
 * devices) (a port already there on the same device, or for a dpdk port the
 * same devargs, is fine). What already exists is kept, so a
 * second `up` is a no-op. On failure everything this call created is
 * removed again (a warrend it started is stopped) and the message names the
 * object that failed.
 */
int wr_lab_up(const struct wr_lab *lab);

/**
 * Remove every namespace and device @lab describes (absent ones are fine).
 * First the switch: a warrend the lab started is stopped; from one it found
 * running, only the lab's ports are removed. Then every VF Warren lent to a
 * namespace of the lab, whether the file still names it or not, is
 * released (wr_vf_release()), before the namespaces go.
 */
int wr_lab_down(const struct wr_lab *lab);

/** 1 if `lab up` started warrend instance @sw (and no `down` or stop came since), else 0. */
int wr_lab_switch_started(const char *sw);

/** What wr_lab_status() reports for one object of a lab. */
struct wr_lab_item {
	const char *type;		/* "namespace", "vf", "link", "address", "route",
					 * "sysctl", "switch", "vlan", "port", "tunnel" */
	char name[400];			/* "h1", "h1:eth0", "h1:eth0 192.0.2.1/24", ...;
					 * room for a dpdk port's devargs */
	bool present;			/* exists (and for sysctls: has the value) */
	char detail[64];		/* why not, or what differs; "" when present */
};

/**
 * Compare @lab with the running system, calling @fn once per object in file
 * order. Returns the number of missing objects (0 = complete) or -errno.
 */
int wr_lab_status(const struct wr_lab *lab,
		  int (*fn)(const struct wr_lab_item *it, void *arg), void *arg);

#endif /* WR_CONTROL_H */
