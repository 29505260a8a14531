/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastpath.c - the kernel fast path (bpf/xdp_switch.bpf.c, maps in
 * bpf/wr_bpf.h) kept in step with the switch, and attached to the ports'
 * devices.
 *
 * One set of maps, loaded once (wd_fastpath_open), written only here and
 * only on the control thread: the FDB through the switch's mirror hook,
 * ports and VLANs as the API sets them, tunnels (each VTEP's headers, VNIs,
 * VTEP addresses, and the VTEPs' entries in wr_ports) through the switch's
 * tunnel mirror, steering rules through its steer mirror. Userspace is the single source of truth; every write
 * happens as the change it mirrors is made.
 *
 * One program instance per port device, loaded with the port's index in
 * its rodata (wr_in_port) and the shared maps reused: ifindexes are per
 * namespace, so a program serving devices of several namespaces could not
 * tell them apart. The instance is attached with a BPF link that warrend
 * holds (XDP, or tcx ingress for TC): if warrend dies, the kernel detaches
 * it, and no frozen copy of the switch goes on forwarding. Its XDP side
 * is also the port's AF_XDP steering program (wr_xsks), so the sockets are
 * made with libxdp's own program inhibited. Whatever names a device by
 * its ifindex (the link, wr_devmap) is done inside the port's namespace.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "warrend.h"
#include "wr_bpf.h"
#include "wr_drivers.h"
#include "xdp_switch.skel.h"

#define TCX_INGRESS	46	/* BPF_TCX_INGRESS: the kernel has it, libbpf 1.1's headers do not */

/* A port's program instance, attached to its device. */
struct fp_inst {
	struct xdp_switch *skel;
	struct bpf_link *link;	/* XDP */
	int tc_link;		/* TC: the tcx link's fd, or -1 */
	int tap_link;		/* TC: wr_tc_to_port's link on the TAP, or -1 */
	uint32_t ifindex;	/* in the port's namespace */
	uint32_t up_ifindex;	/* TC: the TAP */
	uint32_t xsk_key;	/* wr_xsks entry, or WR_BPF_XSK_MAX */
	bool native;		/* XDP in the driver, not the generic hook */
	int ns_id;		/* its namespace's number; 0: warrend's own, -1: none held yet */
	char netns[WD_NETNS_MAX];
};

/* Namespace numbers are 8 bits in wr_bpf_port: 0 is warrend's own namespace, 1..255 others. */
#define NS_IDS	255

struct wd_fastpath {
	struct xdp_switch *skel;
	int fdb_fd, ports_fd, vlan_bd_fd, tun_hdrs_fd, tun_vni_fd, tun_vteps_fd;
	uint64_t fdb_errors;	/* map writes the kernel refused (a full map) */
	uint64_t tun_errors;	/* the same for the tunnel maps */
	uint64_t steer_errors;	/* the same for wr_steer */
	uint64_t chain_errors;	/* the same for wr_chains and wr_chain_ports */
	struct wr_switch *sw;	/* whose chains it mirrors */
	uint8_t steer_kind[WR_BPF_STEER_MAX];	/* each rule id's kind in wr_steer; 0: none */
	uint16_t n_kind[4];	/* rules of each kind there: wr_steer_kinds says which are */
	struct fp_inst *inst[WR_BPF_PORT_MAX];
	/*
	 * netns_id N + 1 names netns[N] while ns_users[N] ports hold it
	 * ("" is warrend's own, id 0); a number no port holds is free again.
	 */
	char netns[NS_IDS][WD_NETNS_MAX];
	uint16_t ns_users[NS_IDS];
	int trace_port;		/* wd_fastpath_trace(); -1: none */
};

static struct wr_bpf_fdb_key fdb_key(uint16_t bd, const uint8_t mac[6])
{
	struct wr_bpf_fdb_key k = { .bd = bd };

	memcpy(k.mac, mac, 6);
	return k;
}

static void fdb_set(void *ctx, uint16_t bd, const uint8_t mac[6], uint16_t port, bool is_static)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);
	struct wr_bpf_fdb_val v = {
		.last_seen_ns = wd_now_ns(),
		.port = port,
		.flags = is_static ? WR_BPF_FDB_F_STATIC : 0,
	};

	if (bpf_map_update_elem(fp->fdb_fd, &k, &v, BPF_ANY))
		fp->fdb_errors++;
}

static void fdb_del(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);

	bpf_map_delete_elem(fp->fdb_fd, &k);	/* absent after a refused set: fine */
}

/* The kernel's stamp, in the switch clock's seconds (both CLOCK_MONOTONIC). */
static uint32_t fdb_seen(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);
	struct wr_bpf_fdb_val v;

	if (bpf_map_lookup_elem(fp->fdb_fd, &k, &v))
		return 0;
	return (uint32_t)(v.last_seen_ns / 1000000000u);
}

struct wd_fastpath *wd_fastpath_open(uint32_t fdb_max, char *err, size_t errlen)
{
	struct wd_fastpath *fp = calloc(1, sizeof(*fp));
	int ret;

	if (!fp) {
		snprintf(err, errlen, "fast path: %s", strerror(ENOMEM));
		return NULL;
	}
	fp->trace_port = -1;
	fp->skel = xdp_switch__open();
	if (!fp->skel) {
		ret = -errno;
		goto fail;
	}
	ret = bpf_map__set_max_entries(fp->skel->maps.wr_fdb, fdb_max);
	if (!ret)
		ret = xdp_switch__load(fp->skel);
	if (ret)
		goto fail;
	fp->fdb_fd = bpf_map__fd(fp->skel->maps.wr_fdb);
	fp->ports_fd = bpf_map__fd(fp->skel->maps.wr_ports);
	fp->vlan_bd_fd = bpf_map__fd(fp->skel->maps.wr_vlan_bd);
	fp->tun_hdrs_fd = bpf_map__fd(fp->skel->maps.wr_tun_hdrs);
	fp->tun_vni_fd = bpf_map__fd(fp->skel->maps.wr_tun_vni);
	fp->tun_vteps_fd = bpf_map__fd(fp->skel->maps.wr_tun_vteps);
	/* VLAN N belongs to bridge domain N, as in warrend, until vlan.set. */
	for (uint32_t v = 1; v < WR_BPF_VLAN_MAX - 1; v++)
		wd_fastpath_vlan(fp, (uint16_t)v, (uint16_t)v);
	return fp;

fail:
	snprintf(err, errlen, "fast path: loading bpf/xdp_switch: %s", strerror(-ret));
	wd_fastpath_close(fp);
	errno = -ret;
	return NULL;
}

void wd_fastpath_close(struct wd_fastpath *fp)
{
	if (!fp)
		return;
	for (int i = 0; i < WR_BPF_PORT_MAX; i++)
		wd_fastpath_detach(fp, (uint16_t)i);
	xdp_switch__destroy(fp->skel);
	free(fp);
}

void wd_fastpath_mirror(struct wd_fastpath *fp, struct wr_fdb_mirror *m)
{
	*m = (struct wr_fdb_mirror){ fdb_set, fdb_del, fdb_seen, fp };
}

/* ------------------------------------------------------------------ tunnels */

_Static_assert(WR_BPF_TUN_HDR_LEN == WR_TUN_HDR_MAX && WR_BPF_TUNNEL_MAX == WR_TUNNEL_MAX &&
	       WR_BPF_VTEP_MAX == WR_VTEP_MAX && WR_BPF_TUNNEL_VNI_MAX == WR_TUNNEL_VNI_MAX,
	       "wr_bpf.h's tunnel bounds are the dataplane's");
_Static_assert((int)WR_BPF_TUN_VXLAN == (int)WR_TUNNEL_VXLAN &&
	       (int)WR_BPF_TUN_GENEVE == (int)WR_TUNNEL_GENEVE,
	       "tunnel types differ");

static void tun_update(struct wd_fastpath *fp, int fd, const void *k, const void *v)
{
	if (bpf_map_update_elem(fd, k, v, BPF_ANY))
		fp->tun_errors++;
}

void wd_fastpath_tun_hdr(const struct wr_tun_hdr *h, uint16_t underlay, uint16_t mtu,
			 struct wr_bpf_tun_hdr *out)
{
	*out = (struct wr_bpf_tun_hdr){
		.len = h->len,
		.l4_off = h->l4_off,
		.flags = (h->ipv6 ? WR_BPF_TUN_F_IPV6 : 0) | (h->udp_csum ? WR_BPF_TUN_F_UDP_CSUM : 0) |
			 (h->flow_label ? WR_BPF_TUN_F_FLOW_LABEL : 0),
		.sport_min = h->sport_min,
		.underlay = underlay,
		.sport_span = h->sport_span,
		.udp_sum = h->udp_sum,
		.mtu = mtu,
	};
	_Static_assert(sizeof(out->bytes) == sizeof(h->bytes), "header templates differ");
	memcpy(out->bytes, h->bytes, sizeof(out->bytes));
}

static void tun_hdr_set(void *ctx, uint16_t vtep, uint16_t bd, const struct wr_tun_hdr *h,
			uint16_t underlay, uint16_t mtu)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_hdr_key k = { .vtep = vtep, .bd = bd };
	struct wr_bpf_tun_hdr v;

	wd_fastpath_tun_hdr(h, underlay, mtu, &v);
	tun_update(fp, fp->tun_hdrs_fd, &k, &v);
}

static void tun_hdr_del(void *ctx, uint16_t vtep, uint16_t bd)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_hdr_key k = { .vtep = vtep, .bd = bd };

	bpf_map_delete_elem(fp->tun_hdrs_fd, &k);	/* absent after a refused set: fine */
}

static void tun_vni_set(void *ctx, uint16_t underlay, uint32_t vni, uint16_t bd)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_vni_key k = { .underlay = underlay, .vni = vni };

	tun_update(fp, fp->tun_vni_fd, &k, &bd);
}

static void tun_vni_del(void *ctx, uint16_t underlay, uint32_t vni)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_vni_key k = { .underlay = underlay, .vni = vni };

	bpf_map_delete_elem(fp->tun_vni_fd, &k);
}

/*
 * A VTEP: its address, and its port in wr_ports, a switch port without a
 * device: it learns, and its frames leave by its underlay's device. Its
 * namespace is its underlay's: TC decapsulates to ports there.
 */
static void tun_vtep_set(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_vtep_key k = { .underlay = underlay };
	const struct fp_inst *ul = underlay < WR_BPF_PORT_MAX ? fp->inst[underlay] : NULL;
	struct wr_bpf_port p = {
		.ifindex = ul ? ul->ifindex : 0,
		.vlan_mode = WR_BPF_VLAN_NONE,
		.flags = WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING | WR_BPF_PORT_F_VTEP,
		.src_check = WR_BPF_SRC_KNOWN_HERE,
		.netns_id = (uint8_t)(ul && ul->ns_id > 0 ? ul->ns_id : 0),
	};
	uint32_t key = vtep;

	memcpy(k.ip, ip, sizeof(k.ip));
	if (bpf_map_update_elem(fp->ports_fd, &key, &p, BPF_ANY))
		fp->tun_errors++;
	tun_update(fp, fp->tun_vteps_fd, &k, &vtep);
}

static void tun_vtep_del(void *ctx, uint16_t underlay, const uint8_t ip[16], uint16_t vtep)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_tun_vtep_key k = { .underlay = underlay };

	memcpy(k.ip, ip, sizeof(k.ip));
	bpf_map_delete_elem(fp->tun_vteps_fd, &k);
	wd_fastpath_port_del(fp, vtep);
}

void wd_fastpath_tunnel_mirror(struct wd_fastpath *fp, struct wr_tunnel_mirror *m)
{
	*m = (struct wr_tunnel_mirror){ tun_hdr_set, tun_hdr_del, tun_vni_set, tun_vni_del,
					tun_vtep_set, tun_vtep_del, fp };
}

uint64_t wd_fastpath_tunnel_errors(const struct wd_fastpath *fp)
{
	return fp->tun_errors;
}

/* ----------------------------------------------------------------- steering */

_Static_assert(WR_BPF_STEER_MAX == WR_STEER_MAX && (int)WR_BPF_STEER_MAC == (int)WR_STEER_MAC &&
	       (int)WR_BPF_STEER_VLAN == (int)WR_STEER_VLAN &&
	       (int)WR_BPF_STEER_VNI == (int)WR_STEER_VNI &&
	       WR_BPF_STEER_NO_PORT == WR_STEER_NO_PORT, "wr_bpf.h's steering is the switch's");

static uint64_t steer_key(const struct wr_steer_match *m)
{
	const uint8_t *a = m->mac;

	if (m->kind != WR_STEER_MAC)
		return wr_bpf_steer_key(m->kind, m->id);
	return wr_bpf_steer_key(m->kind, (uint64_t)a[0] << 40 | (uint64_t)a[1] << 32 |
				(uint64_t)a[2] << 24 | (uint64_t)a[3] << 16 | (uint64_t)a[4] << 8 | a[5]);
}

/* wr_steer_kinds: a bit for each kind of rule there is, so that the program asks for no other. */
static void steer_kinds(struct wd_fastpath *fp)
{
	uint32_t kinds = 0, zero = 0;

	for (int k = 1; k < 4; k++)
		kinds |= fp->n_kind[k] ? 1u << k : 0;
	if (bpf_map_update_elem(bpf_map__fd(fp->skel->maps.wr_steer_kinds), &zero, &kinds, BPF_ANY))
		fp->steer_errors++;
}

static void steer_set(void *ctx, int id, const struct wr_steer_match *m, uint16_t port)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_steer v = { .port = port, .id = (uint32_t)id };
	uint64_t k = steer_key(m);

	if (id < 0 || id >= WR_BPF_STEER_MAX)
		return;
	if (bpf_map_update_elem(bpf_map__fd(fp->skel->maps.wr_steer), &k, &v, BPF_ANY)) {
		fp->steer_errors++;
		return;
	}
	if (!fp->steer_kind[id]) {
		fp->steer_kind[id] = (uint8_t)m->kind;
		fp->n_kind[m->kind]++;
		steer_kinds(fp);
	}
}

static void steer_del(void *ctx, int id, const struct wr_steer_match *m)
{
	struct wd_fastpath *fp = ctx;
	int n_cpus = libbpf_num_possible_cpus();
	uint64_t k = steer_key(m);
	uint32_t key = (uint32_t)id;
	struct wr_bpf_steer_stats *zero;

	if (id < 0 || id >= WR_BPF_STEER_MAX || !fp->steer_kind[id])
		return;
	bpf_map_delete_elem(bpf_map__fd(fp->skel->maps.wr_steer), &k);
	fp->n_kind[fp->steer_kind[id]]--;
	fp->steer_kind[id] = 0;
	steer_kinds(fp);
	/* The id's next rule counts from zero. */
	zero = n_cpus > 0 ? calloc((size_t)n_cpus, sizeof(*zero)) : NULL;
	if (zero && bpf_map_update_elem(bpf_map__fd(fp->skel->maps.wr_steer_stats), &key, zero,
					BPF_ANY))
		fp->steer_errors++;
	free(zero);
}

void wd_fastpath_steer_mirror(struct wd_fastpath *fp, struct wr_steer_mirror *m)
{
	*m = (struct wr_steer_mirror){ steer_set, steer_del, fp };
}

/* ---------------------------------------------------------- per-port programs */

/*
 * Namespace numbers: what TC compares to keep its redirects inside one
 * namespace. A port holds its namespace's number from the first time it
 * takes part in the fast path until its program goes; the last port of a
 * namespace to go frees the number.
 */

/* The number of @netns if some port holds it, else -1. */
static int ns_find(const struct wd_fastpath *fp, const char *netns)
{
	for (int i = 0; i < NS_IDS; i++)
		if (fp->ns_users[i] && !strcmp(fp->netns[i], netns))
			return i + 1;
	return -1;
}

static int ns_free_id(const struct wd_fastpath *fp)
{
	for (int i = 0; i < NS_IDS; i++)
		if (!fp->ns_users[i])
			return i + 1;
	return -1;
}

/* @in holds its namespace's number from now on: 0, or -ENOSPC when all are taken. */
static int ns_hold(struct wd_fastpath *fp, struct fp_inst *in)
{
	int id;

	if (in->ns_id >= 0)
		return 0;
	if (!in->netns[0]) {
		in->ns_id = 0;
		return 0;
	}
	id = ns_find(fp, in->netns);
	if (id < 0)
		id = ns_free_id(fp);
	if (id < 0)
		return -ENOSPC;
	snprintf(fp->netns[id - 1], sizeof(fp->netns[id - 1]), "%s", in->netns);
	fp->ns_users[id - 1]++;
	in->ns_id = id;
	return 0;
}

static void ns_release(struct wd_fastpath *fp, struct fp_inst *in)
{
	if (in->ns_id > 0 && --fp->ns_users[in->ns_id - 1] == 0)
		fp->netns[in->ns_id - 1][0] = '\0';
	in->ns_id = -1;
}

bool wd_fastpath_netns_room(const struct wd_fastpath *fp, const char *netns)
{
	return !netns || !netns[0] || ns_find(fp, netns) > 0 || ns_free_id(fp) > 0;
}

/* A program instance for port @index: its rodata says which port, its maps are the shared ones. */
static int inst_load(struct wd_fastpath *fp, struct fp_inst *in, uint16_t index, bool tc)
{
	struct xdp_switch *sk = xdp_switch__open();
	struct bpf_map *m;

	if (!sk)
		return -errno;
	in->skel = sk;
	sk->rodata->wr_in_port = index;
	bpf_program__set_autoload(sk->progs.wr_xdp_switch, !tc);
	bpf_program__set_autoload(sk->progs.wr_tc_switch, tc);
	bpf_program__set_autoload(sk->progs.wr_tc_to_port, tc);
	bpf_object__for_each_map(m, sk->obj) {
		const struct bpf_map *shared;

		if (bpf_map__is_internal(m))
			continue;	/* .rodata: the instance's own */
		shared = bpf_object__find_map_by_name(fp->skel->obj, bpf_map__name(m));
		if (!shared || bpf_map__reuse_fd(m, bpf_map__fd(shared)))
			return shared ? -errno : -ENOENT;
	}
	return xdp_switch__load(sk);
}

struct attach {
	struct wd_fastpath *fp;
	struct fp_inst *in;
	uint16_t index;
	const struct wd_fp_attach *at;
	bool tc;		/* at->tap given */
	char *err;
	size_t errlen;
};

static const char *attach_hint(int err, bool tc)
{
	if (err == -EBUSY || err == -EEXIST)
		return tc ? " (the device has a tcx ingress program already, another warrend's "
			    "perhaps: 'bpftool net show' names it)" :
			    " (the device has an XDP program already, another warrend's perhaps: "
			    "'ip link show' names it)";
	if (err == -EPERM)
		return " (root, with CAP_BPF and CAP_NET_ADMIN, is needed)";
	if (err == -ERANGE)
		return " (the MTU of the veth's peer is too large for XDP: a frame must fit in "
		       "one page, an MTU of about 3500 at most; fastpath tc has no such limit)";
	return "";
}

/* Whether @ifindex has a tcx ingress program already (another warrend's, say). */
static bool tcx_busy(uint32_t ifindex)
{
	uint32_t ids[4], n = 4, flags = 0;

	return !bpf_prog_query((int)ifindex, TCX_INGRESS, 0, &flags, ids, &n) && n > 0;
}

/* Inside the port's namespace: the instance, its wr_devmap and wr_xsks entries, the link. */
static int attach_in_ns(void *arg)
{
	struct attach *a = arg;
	const struct wd_fp_attach *at = a->at;
	struct fp_inst *in = a->in;
	uint32_t key = a->index;
	const char *what = "loading bpf/xdp_switch";
	struct bpf_xdp_query_opts q = { .sz = sizeof(q) };
	int ret;

	in->ifindex = if_nametoindex(at->dev);
	if (!in->ifindex) {
		snprintf(a->err, a->errlen, "port %s: fast path: no device %s", at->name, at->dev);
		return -ENODEV;
	}
	if (a->tc) {
		in->up_ifindex = if_nametoindex(at->tap);
		if (!in->up_ifindex) {
			snprintf(a->err, a->errlen, "port %s: fast path: no TAP %s", at->name, at->tap);
			return -ENODEV;
		}
	}
	ret = inst_load(a->fp, in, a->index, a->tc);
	/* Targets before the first frame: the program finds them at once. */
	if (!ret) {
		what = "adding the device to wr_devmap";
		if (bpf_map_update_elem(bpf_map__fd(a->fp->skel->maps.wr_devmap), &key, &in->ifindex, 0))
			ret = -errno;
	}
	if (!ret && at->xsk_fd >= 0) {
		what = "adding the AF_XDP socket to wr_xsks";
		in->xsk_key = wr_bpf_xsk_key(a->index, at->queue);
		if (bpf_map_update_elem(bpf_map__fd(a->fp->skel->maps.wr_xsks), &in->xsk_key,
					&at->xsk_fd, 0))
			ret = -errno;
	}
	if (!ret && a->tc && tcx_busy(in->ifindex)) {
		/* tcx would stack a second switch's program: refuse, as XDP does. */
		what = "attaching to tcx ingress";
		ret = -EBUSY;
	}
	if (!ret && a->tc) {
		/* The way out of the TAP first: the way up leads into it. */
		what = "attaching to the TAP's tcx ingress";
		in->tap_link = bpf_link_create(bpf_program__fd(in->skel->progs.wr_tc_to_port),
					       (int)in->up_ifindex, TCX_INGRESS, NULL);
		if (in->tap_link < 0)
			ret = -errno;
		what = "attaching to tcx ingress";
		if (!ret)
			in->tc_link = bpf_link_create(bpf_program__fd(in->skel->progs.wr_tc_switch),
						      (int)in->ifindex, TCX_INGRESS, NULL);
		if (!ret && in->tc_link < 0)
			ret = -errno;
	} else if (!ret) {
		what = "attaching to XDP";
		in->link = bpf_program__attach_xdp(in->skel->progs.wr_xdp_switch, (int)in->ifindex);
		if (!in->link)
			ret = -errno;
		else if (!bpf_xdp_query((int)in->ifindex, 0, &q))
			in->native = q.attach_mode == XDP_ATTACHED_DRV;
	}
	if (ret)
		snprintf(a->err, a->errlen, "port %s: fast path: %s on %s: %s%s", at->name, what, at->dev,
			 strerror(-ret), attach_hint(ret, a->tc));
	return ret;
}

int wd_fastpath_attach(struct wd_fastpath *fp, uint16_t index, const struct wd_fp_attach *at,
		       char *err, size_t errlen)
{
	struct fp_inst *in = calloc(1, sizeof(*in));
	struct attach a = { .fp = fp, .in = in, .index = index, .at = at, .tc = at->tap != NULL,
			    .err = err, .errlen = errlen };
	int ret;

	if (!in)
		return -ENOMEM;
	if (index >= WR_BPF_PORT_MAX || fp->inst[index]) {
		free(in);
		return -EINVAL;
	}
	in->tc_link = -1;
	in->tap_link = -1;
	in->xsk_key = WR_BPF_XSK_MAX;
	in->ns_id = -1;
	snprintf(in->netns, sizeof(in->netns), "%s", at->netns ? at->netns : "");
	fp->inst[index] = in;
	err[0] = '\0';
	ret = wr_netns_run(at->netns, attach_in_ns, &a, err, errlen);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "port %s: fast path: %s", at->name, strerror(-ret));
		wd_fastpath_detach(fp, index);
	}
	return ret;
}

void wd_fastpath_detach(struct wd_fastpath *fp, uint16_t index)
{
	struct fp_inst *in = index < WR_BPF_PORT_MAX ? fp->inst[index] : NULL;
	uint32_t key = index;

	if (!in)
		return;
	/* The port stops being a target before its program goes. */
	wd_fastpath_port_del(fp, index);
	bpf_map_delete_elem(bpf_map__fd(fp->skel->maps.wr_devmap), &key);
	if (in->xsk_key < WR_BPF_XSK_MAX)
		bpf_map_delete_elem(bpf_map__fd(fp->skel->maps.wr_xsks), &in->xsk_key);
	/* Links are by device, not by name: no namespace to enter. */
	bpf_link__destroy(in->link);
	if (in->tc_link >= 0)
		close(in->tc_link);
	if (in->tap_link >= 0)
		close(in->tap_link);
	xdp_switch__destroy(in->skel);
	ns_release(fp, in);
	free(in);
	fp->inst[index] = NULL;
}

bool wd_fastpath_gone(const struct wd_fastpath *fp, uint16_t index)
{
	const struct fp_inst *in = index < WR_BPF_PORT_MAX ? fp->inst[index] : NULL;
	struct bpf_link_info info;
	uint32_t len = sizeof(info);

	if (!in || in->tc_link < 0)
		return false;
	/* A tcx link outlives its device, which it then names as ifindex 0 (same place as XDP's). */
	memset(&info, 0, sizeof(info));
	return !bpf_obj_get_info_by_fd(in->tc_link, &info, &len) && info.xdp.ifindex == 0;
}

bool wd_fastpath_native(const struct wd_fastpath *fp, uint16_t index)
{
	return index < WR_BPF_PORT_MAX && fp->inst[index] && fp->inst[index]->native;
}

static int percpu_sum(int map_fd, uint32_t key, uint64_t *sum, size_t words);

/* ----------------------------------------------------------------- chains */

static void chain_step(const struct wr_chain_step *s, struct wr_bpf_chain_step *b)
{
	_Static_assert(WR_CHAIN_STEP_BRIDGE == WR_BPF_CHAIN_BRIDGE &&
		       WR_CHAIN_STEP_DROP == WR_BPF_CHAIN_DROP, "chain steps differ");
	memset(b, 0, sizeof(*b));
	b->port = s->port;
	b->hop = s->hop;
	b->bypassed = s->bypassed;
	b->l3 = s->l3;
	memcpy(b->mac, s->mac, sizeof(b->mac));
}

/* The switch's chains into wr_chains and wr_chain_ports, whole (a hook for wr_switch_set_chain_mirror()). */
static void chains_changed(void *ctx)
{
	_Static_assert(sizeof(struct wr_chain_words) == sizeof(struct wr_bpf_chain_cls),
		       "chain classifiers differ");
	_Static_assert(WR_BPF_CHAIN_MAX == WR_CHAIN_MAX && WR_BPF_CHAIN_HOPS == WR_CHAIN_HOPS_MAX &&
		       WR_BPF_PORT_MAX == WR_PORT_MAX, "chain bounds differ");
	struct wd_fastpath *fp = ctx;
	struct wr_chain_export *e = calloc(1, sizeof(*e));
	int chains_fd = bpf_map__fd(fp->skel->maps.wr_chains);
	int ports_fd = bpf_map__fd(fp->skel->maps.wr_chain_ports);

	if (!e) {
		fp->chain_errors++;
		return;
	}
	wr_chain_export(fp->sw, e);
	/* The list ends at the first entry of bd 0: those after it are never read. */
	for (uint32_t i = 0; i <= e->n && i < WR_BPF_CHAIN_MAX; i++) {
		struct wr_bpf_chain b = { 0 };

		if (i < e->n) {
			b.bd = e->c[i].bd;
			b.id = e->c[i].id;
			memcpy(&b.cls, &e->c[i].cls, sizeof(b.cls));
			for (int d = 0; d < WR_CHAIN_DIRS; d++)
				chain_step(&e->c[i].start[d], &b.start[d]);
		}
		if (bpf_map_update_elem(chains_fd, &i, &b, BPF_ANY))
			fp->chain_errors++;
	}
	for (uint32_t p = 0; p < WR_BPF_PORT_MAX; p++) {
		struct wr_bpf_chain_port b = { 0 };

		if (e->port[p].bd) {
			b.bd = e->port[p].bd;
			b.id = e->port[p].id;
			b.hop = e->port[p].hop;
			b.dir = e->port[p].dir;
			b.l3 = e->port[p].l3;
			chain_step(&e->port[p].next, &b.next);
		}
		if (bpf_map_update_elem(ports_fd, &p, &b, BPF_ANY))
			fp->chain_errors++;
	}
	free(e);
}

void wd_fastpath_chain_mirror(struct wd_fastpath *fp, struct wr_switch *sw,
			      struct wr_chain_mirror *m)
{
	fp->sw = sw;
	*m = (struct wr_chain_mirror){ .changed = chains_changed, .ctx = fp };
}

int wd_fastpath_chain_stats(const struct wd_fastpath *fp, int id, int hop, int dir,
			    struct wr_bpf_chain_stats *cs)
{
	if (id < 0 || id >= WR_BPF_CHAIN_MAX || hop < 0 || hop >= WR_BPF_CHAIN_HOPS)
		return -ENOENT;
	return percpu_sum(bpf_map__fd(fp->skel->maps.wr_chain_stats),
			  wr_bpf_chain_stats_key((uint32_t)id, (uint32_t)hop, (uint32_t)dir),
			  (uint64_t *)cs, sizeof(*cs) / 8);
}

int wd_fastpath_chain_clear(struct wd_fastpath *fp, int id)
{
	int n_cpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(fp->skel->maps.wr_chain_stats);
	struct wr_bpf_chain_stats *zero;
	int err = 0;

	if (n_cpus <= 0 || id < 0 || id >= WR_BPF_CHAIN_MAX)
		return -EINVAL;
	zero = calloc((size_t)n_cpus, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	for (uint32_t h = 0; h < WR_BPF_CHAIN_HOPS && !err; h++)
		for (uint32_t d = 0; d < 2 && !err; d++) {
			uint32_t key = wr_bpf_chain_stats_key((uint32_t)id, h, d);

			if (bpf_map_update_elem(fd, &key, zero, BPF_ANY))
				err = -errno;
		}
	free(zero);
	return err;
}

/* ------------------------------------------------------------------- maps */

int wd_fastpath_port(struct wd_fastpath *fp, uint16_t index, const struct wr_port_conf *c,
		     uint16_t max_len, bool fast, bool peer, bool chain, bool tapped,
		     const struct wd_underlay *ul)
{
	struct fp_inst *in = index < WR_BPF_PORT_MAX ? fp->inst[index] : NULL;
	bool under = ul && ul->on;
	/*
	 * Out of numbers (255 other namespaces hold one): the port stays in
	 * userspace. An underlay forwards nothing in the kernel but what TC
	 * encapsulates for its VTEPs: without a number, TC leaves that to
	 * warrend, and its XDP goes on.
	 */
	int full = in && fast && !under ? ns_hold(fp, in) : 0;
	bool ul_ns = in && under && !ns_hold(fp, in);
	struct wr_bpf_port p = {
		.ifindex = in ? in->ifindex : 0,
		.bd = c->bd,
		.access_vlan = c->access_vlan,
		.native_vlan = c->native_vlan,
		.max_len = max_len,
		.vlan_mode = (uint8_t)c->vlan_mode,	/* same values, wr_bpf.h says */
		.flags = (fast && !under && !full ? WR_BPF_PORT_F_FASTPATH : 0) |
			 (c->learning ? WR_BPF_PORT_F_LEARNING : 0) | (peer ? WR_BPF_PORT_F_PEER : 0) |
			 (chain ? WR_BPF_PORT_F_CHAIN : 0) |
			 (tapped || fp->trace_port == index ? WR_BPF_PORT_F_WATCH : 0),
		.src_check = c->learning ? WR_BPF_SRC_KNOWN_HERE : WR_BPF_SRC_ANY,
		/* Not in the fast path without one: then no TC redirect compares it. */
		.netns_id = (uint8_t)(in && in->ns_id > 0 ? in->ns_id : 0),
		.up_ifindex = in ? in->up_ifindex : 0,
	};
	uint32_t key = index;

	if (!in)
		return -ENOENT;
	_Static_assert(sizeof(p.allowed) == sizeof(c->allowed), "VLAN bitmaps differ");
	memcpy(p.allowed, c->allowed, sizeof(p.allowed));
	if (under) {
		p.flags |= WR_BPF_PORT_F_UNDERLAY | (ul_ns ? WR_BPF_PORT_F_TC_ENCAP : 0);
		p.ul_dport = htons(ul->dport);
		p.ul_ipv6 = ul->ipv6;
		p.ul_type = (uint8_t)ul->type;
		_Static_assert(sizeof(p.ul_ip) == sizeof(ul->ip), "underlay addresses differ");
		memcpy(p.ul_ip, ul->ip, sizeof(p.ul_ip));
	}
	if (bpf_map_update_elem(fp->ports_fd, &key, &p, BPF_ANY))
		return -errno;
	return full;
}

void wd_fastpath_trace(struct wd_fastpath *fp, int index)
{
	fp->trace_port = index;
}

int wd_fastpath_port_del(struct wd_fastpath *fp, uint16_t index)
{
	struct wr_bpf_port none = { 0 };
	uint32_t key = index;

	return bpf_map_update_elem(fp->ports_fd, &key, &none, BPF_ANY) ? -errno : 0;
}

int wd_fastpath_vlan(struct wd_fastpath *fp, uint16_t vlan, uint16_t bd)
{
	uint32_t key = vlan;

	return bpf_map_update_elem(fp->vlan_bd_fd, &key, &bd, BPF_ANY) ? -errno : 0;
}

uint64_t wd_fastpath_fdb_errors(const struct wd_fastpath *fp)
{
	return fp->fdb_errors;
}

void *wd_fastpath_skel(const struct wd_fastpath *fp)
{
	return fp->skel;
}

/* ------------------------------------------------------------- counters */

/* The per-CPU values of @map at @key, summed into @sum (@words 64-bit counters). */
static int percpu_sum(int map_fd, uint32_t key, uint64_t *sum, size_t words)
{
	int n_cpus = libbpf_num_possible_cpus();
	uint64_t *v;

	if (n_cpus <= 0)
		return -EINVAL;
	v = calloc((size_t)n_cpus, words * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, v)) {
		free(v);
		return -errno;
	}
	memset(sum, 0, words * sizeof(*sum));
	for (int c = 0; c < n_cpus; c++)
		for (size_t w = 0; w < words; w++)
			sum[w] += v[(size_t)c * words + w];
	free(v);
	return 0;
}

int wd_fastpath_stats(const struct wd_fastpath *fp, struct wr_bpf_stats *st)
{
	return percpu_sum(bpf_map__fd(fp->skel->maps.wr_stats), 0, (uint64_t *)st, sizeof(*st) / 8);
}

int wd_fastpath_steer_stats(const struct wd_fastpath *fp, int id, uint64_t *pkts, uint64_t *bytes)
{
	struct wr_bpf_steer_stats s;
	int err;

	if (id < 0 || id >= WR_BPF_STEER_MAX)
		return -ENOENT;
	err = percpu_sum(bpf_map__fd(fp->skel->maps.wr_steer_stats), (uint32_t)id, (uint64_t *)&s,
			 sizeof(s) / 8);
	if (!err) {
		*pkts = s.pkts;
		*bytes = s.bytes;
	}
	return err;
}

int wd_fastpath_port_stats(const struct wd_fastpath *fp, uint16_t index, struct wr_bpf_port_stats *ps)
{
	if (index >= WR_BPF_PORT_MAX || !fp->inst[index])
		return -ENOENT;
	return percpu_sum(bpf_map__fd(fp->skel->maps.wr_port_stats), index, (uint64_t *)ps,
			  sizeof(*ps) / 8);
}
