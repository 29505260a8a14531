/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ports.c - the daemon's ports by name: which backend, device and
 * namespace, which worker, which fast path, and their JSON form for the
 * API. The AF_XDP buffer area (UMEM) is made with the first AF_XDP port
 * and shared by all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "warrend.h"
#include "wr_bpf.h"
#include "wr_control.h"
#include "wr_drivers.h"

struct wd_port *wd_port_find(struct warrend *wd, const char *name)
{
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used && !strcmp(wd->ports[i].name, name))
			return &wd->ports[i];
	return NULL;
}

struct wd_port *wd_port_by_index(struct warrend *wd, uint16_t index)
{
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used && wd->ports[i].index == index)
			return &wd->ports[i];
	return NULL;
}

/*
 * The same device queue twice would fail in the kernel with a vaguer
 * EBUSY. (DPDK ports: the driver knows which ethdev devargs names.)
 */
static struct wd_port *find_dev(struct warrend *wd, const struct wd_port *req)
{
	if (req->type == WR_PORT_DPDK)
		return NULL;
	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wd_port *p = &wd->ports[i];

		if (p->used && p->type != WR_PORT_DPDK && !strcmp(p->netns, req->netns) &&
		    !strcmp(p->dev, req->dev) && p->queue == req->queue)
			return p;
	}
	return NULL;
}

/*
 * The device @req is served through, prepared for its fast path: the far
 * end of a veth as AF_XDP or TC needs it (wr_endpoint_prepare()), noted in
 * req->peer so that wd_port_del() puts it back. A dpdk port on net_af_xdp
 * is an AF_XDP socket on its `iface` too, without a kernel fast path.
 */
static int prepare_dev(struct wd_port *req, char *err, size_t errlen)
{
	char iface[IFNAMSIZ];
	const char *dev = req->dev;
	int ret;

	memset(&req->peer, 0, sizeof(req->peer));
	if (req->type == WR_PORT_TAP)
		return 0;
	if (req->type == WR_PORT_DPDK) {
		ret = wr_devargs_afxdp_iface(req->devargs, iface, sizeof(iface));
		if (ret <= 0)
			return ret;
		dev = iface;
	}
	ret = wr_endpoint_probe(req->netns, dev, &req->peer);
	if (!ret)
		ret = wr_endpoint_prepare(&req->peer, req->type == WR_PORT_DPDK ? WR_FASTPATH_OFF :
					  (int)req->fp_mode);
	if (ret)
		snprintf(err, errlen, "port %s: %s", req->name, wr_err_msg());
	return ret;
}

struct wr_port *wd_port_open(struct warrend *wd, struct wd_port *req, uint16_t worker,
			     char *err, size_t errlen)
{
	const char *netns = req->netns[0] ? req->netns : NULL;
	int ret = prepare_dev(req, err, errlen);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (req->type == WR_PORT_TAP)
		return wr_tap_port_create(req->name, netns, req->dev, err, errlen);
	if (req->type == WR_PORT_DPDK) {
		ret = wd_dpdk_start(wd, err, errlen);
		if (ret) {
			errno = -ret;
			return NULL;
		}
		return wr_dpdk_port_create(&(struct wr_dpdk_conf){
			.name = req->name,
			.devargs = req->devargs,
			.netns = netns,
			.owner = worker,
			.n_queues = wd->n_workers,
		}, err, errlen);
	}
	if (req->fp_mode == WR_FASTPATH_TC)
		return wr_tap_port_make(req->name, netns, req->fp_tap, err, errlen);
	if (!wd->umem) {
		wd->umem = wr_afxdp_umem_create(wd->conf.umem_frames, wd->n_workers, err, errlen);
		if (!wd->umem)
			return NULL;
	}
	return wr_afxdp_port_create(wd->umem, &(struct wr_afxdp_conf){
		.name = req->name,
		.netns = netns,
		.dev = req->dev,
		.queue = req->queue,
		.zerocopy = req->zerocopy,
		.busy_poll = wd->conf.busy_poll,
		.owner = worker,
		.own_prog = wd->fp != NULL,
	}, err, errlen);
}

/* Why a port is out of the fast path when the kernel program cannot tell its namespace apart. */
static const char netns_full[] =
	"off: the fast path tells namespaces apart by 8 bits, and ports of 255 other "
	"namespaces hold them all; frames go through warrend";

/* Whether @p, in the fast path, would find no namespace number left. */
static bool fp_netns_full(const struct warrend *wd, const struct wd_port *p)
{
	return wd->fp && p->type == WR_PORT_AFXDP && !wd_fastpath_netns_room(wd->fp, p->netns);
}

/* A fast path asked for by name that the namespace numbers cannot give: refused, said why. */
static int fp_refuse_full(const struct warrend *wd, const struct wd_port *p, char *err,
			  size_t errlen)
{
	if (p->fastpath == WR_FASTPATH_AUTO || p->fp_mode == WR_FASTPATH_OFF || !fp_netns_full(wd, p))
		return 0;
	snprintf(err, errlen, "port %s: fastpath %s: ports of 255 other namespaces hold every "
		 "namespace number the fast path has (8 bits); fastpath off or auto would work",
		 p->name, wr_fastpath_names[p->fastpath]);
	return -ENOSPC;
}

/* The mode @p gets, and why: what was asked, if the port and the kernel allow it. */
static enum wr_fastpath fp_choose(const struct warrend *wd, struct wd_port *p)
{
	if (p->type != WR_PORT_AFXDP) {
		p->fp_why = "only AF_XDP ports have a kernel fast path";
		return WR_FASTPATH_OFF;
	}
	if (!wd->fp) {
		p->fp_why = "the fast path did not load (warrend's log says why)";
		return WR_FASTPATH_OFF;
	}
	if (p->fastpath == WR_FASTPATH_AUTO && wd->conf.fastpath == WR_FASTPATH_AUTO) {
		struct wr_endpoint_report dev;

		/* A device that is not there fails at its opening, with the reason. */
		if (!wr_endpoint_probe(p->netns, p->dev, &dev) && dev.veth) {
			p->fp_why = "default for a veth: TC, TCP keeps its 64 KB frames (XDP on a "
				    "veth takes TSO from its peer)";
			return WR_FASTPATH_TC;
		}
		p->fp_why = "default: XDP in the driver, fewest cycles per frame";
		return WR_FASTPATH_XDP;
	}
	if (p->fastpath == WR_FASTPATH_AUTO) {
		static const char *const why[] = {
			[WR_FASTPATH_OFF] = "default (warrend --fastpath off)",
			[WR_FASTPATH_XDP] = "default: XDP, fewest cycles per frame (warrend --fastpath)",
			[WR_FASTPATH_TC] = "default: TC, TCP keeps its large frames (warrend --fastpath)",
		};

		if (wd->conf.fastpath != WR_FASTPATH_OFF && fp_netns_full(wd, p)) {
			p->fp_why = netns_full;
			return WR_FASTPATH_OFF;
		}
		p->fp_why = why[wd->conf.fastpath];
		return wd->conf.fastpath;
	}
	p->fp_why = "asked for";
	return p->fastpath;
}

/* Load and attach @p's program: its AF_XDP socket then gets what goes up. */
static int fp_attach(struct warrend *wd, struct wd_port *p, char *err, size_t errlen)
{
	struct wr_afxdp_info info;

	if (!wd->fp || p->type != WR_PORT_AFXDP)
		return 0;
	if (p->fp_mode != WR_FASTPATH_TC)
		wr_afxdp_port_info(p->port, &info);
	return wd_fastpath_attach(wd->fp, p->index, &(struct wd_fp_attach){
		.name = p->name,
		.netns = p->netns[0] ? p->netns : NULL,
		.dev = p->dev,
		.queue = p->queue,
		.xsk_fd = p->fp_mode == WR_FASTPATH_TC ? -1 : info.fd,
		.tap = p->fp_mode == WR_FASTPATH_TC ? p->fp_tap : NULL,
	}, err, errlen);
}

/* @p's device is a veth whose far end is in another namespace. */
static bool peer_elsewhere(const struct wd_port *p)
{
	return p->peer.veth && (!p->peer.peer_found || strcmp(p->peer.peer.netns, p->netns));
}

void wd_port_fastpath_sync(struct warrend *wd, struct wd_port *p)
{
	int err;

	if (!wd->fp || p->type != WR_PORT_AFXDP)
		return;
	p->fp_max_len = p->port->max_len;
	err = wd_fastpath_port(wd->fp, p->index, &p->conf, p->fp_max_len,
			       p->fp_mode != WR_FASTPATH_OFF && p->admin_up, peer_elsewhere(p));
	if (err == -ENOSPC && p->fp_why != netns_full) {
		/* Out of the fast path after all: say so where port show looks. */
		wd_warn("port %s: fast path %s", p->name, netns_full);
		p->fp_why = netns_full;
		if (p->fp_mode == WR_FASTPATH_XDP)	/* one program with off: the flag said it */
			p->fp_mode = WR_FASTPATH_OFF;
	} else if (err && err != -ENOSPC) {
		wd_warn("port %s: fast path: writing wr_ports: %s", p->name, strerror(-err));
	}
}

int wd_port_set_fastpath(struct warrend *wd, struct wd_port *p, enum wr_fastpath m, char *err,
			 size_t errlen)
{
	struct wd_port want = *p, *now;
	enum wr_fastpath was = p->fastpath;
	int ret;

	want.fastpath = m;
	want.fp_mode = fp_choose(wd, &want);
	ret = fp_refuse_full(wd, &want, err, errlen);
	if (ret)
		return ret;
	if ((want.fp_mode == WR_FASTPATH_TC) == (p->fp_mode == WR_FASTPATH_TC)) {
		/* XDP and off are one program: only the port's flag changes. */
		p->fastpath = want.fastpath;
		p->fp_mode = want.fp_mode;
		p->fp_why = want.fp_why;
		wd_port_fastpath_sync(wd, p);
		return 0;
	}
	/* To or from TC the backend changes: the port is made again, its MACs learned anew. */
	want.used = false;
	wd_port_del(wd, p);
	ret = wd_port_add(wd, &want, err, errlen);
	if (ret) {
		char again[256];

		want.fastpath = was;
		if (wd_port_add(wd, &want, again, sizeof(again)))
			wd_warn("port %s: lost: its fast path could not change, and it did not come "
				"back: %s", want.name, again);
	}
	/* Made again, up; as it was, if it was down. */
	now = wd_port_find(wd, want.name);
	if (now && !want.admin_up) {
		wr_switch_port_up(wd->sw, now->index, false);
		now->admin_up = false;
		wd_port_fastpath_sync(wd, now);
	}
	return ret;
}

void wd_ports_tick(struct warrend *wd)
{
	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wd_port *p = &wd->ports[i];

		if (p->used && p->port->max_len != p->fp_max_len)
			wd_port_fastpath_sync(wd, p);
	}
}

/* What prepare_dev() changed on @p's veth peer, put back (unless it is gone). */
static void restore_peer(struct wd_port *p)
{
	int err = wr_endpoint_restore(&p->peer);

	if (err && err != -ENOENT && err != -ENODEV)
		wd_warn("port %s: %s", p->name, wr_err_msg());
}

int wd_port_add(struct warrend *wd, struct wd_port *req, char *errbuf, size_t errlen)
{
	struct wd_port *slot = NULL, *other;
	uint16_t worker = wd_worker_pick(wd);
	struct wr_port *port;
	int index, err;

	if (wd_port_find(wd, req->name)) {
		snprintf(errbuf, errlen, "port %s: exists", req->name);
		return -EEXIST;
	}
	other = find_dev(wd, req);
	if (other) {
		snprintf(errbuf, errlen, "port %s: %s%s%s queue %u is already port %s", req->name,
			 req->netns, req->netns[0] ? ":" : "", req->dev, req->queue, other->name);
		return -EBUSY;
	}
	for (int i = 0; i < WR_PORT_MAX && !slot; i++)
		if (!wd->ports[i].used)
			slot = &wd->ports[i];
	if (!slot) {
		snprintf(errbuf, errlen, "port %s: the switch has %d ports already", req->name,
			 WR_PORT_MAX);
		return -ENOSPC;
	}
	req->fp_mode = fp_choose(wd, req);
	err = fp_refuse_full(wd, req, errbuf, errlen);
	if (err)
		return err;
	if (req->fp_why == netns_full)
		wd_warn("port %s: fast path %s", req->name, netns_full);
	if (req->fp_mode == WR_FASTPATH_TC)	/* unique in the namespace: this warrend's, this slot */
		snprintf(req->fp_tap, sizeof(req->fp_tap), "wt%d.%d", (int)(getpid() % 10000000),
			 (int)(slot - wd->ports));
	port = wd->open_port(wd, req, worker, errbuf, errlen);
	if (!port) {
		err = errno ? -errno : -EIO;
		goto err_peer;
	}
	index = wr_switch_port_add(wd->sw, port, &req->conf);
	if (index < 0) {
		port->ops->close(port);
		snprintf(errbuf, errlen, "port %s: %s", req->name, strerror(-index));
		err = index;
		goto err_peer;
	}
	*slot = *req;
	slot->admin_up = true;
	slot->port = port;
	slot->index = (uint16_t)index;
	slot->worker = worker;
	err = fp_attach(wd, slot, errbuf, errlen);
	if (err) {
		/* The switch closes the port once no worker can use it. */
		wr_switch_port_del(wd->sw, (uint16_t)index);
		goto err_peer;
	}
	/* What the device turned out to support. */
	if (slot->fp_mode == WR_FASTPATH_XDP && wd->fp && !wd_fastpath_native(wd->fp, slot->index))
		slot->fp_why = slot->fastpath == WR_FASTPATH_AUTO ?
			"default: XDP, but in the generic hook (the driver has no native XDP); "
			"fastpath tc is likely faster" :
			"asked for; in the generic hook (the driver has no native XDP)";
	slot->used = true;
	wd_port_fastpath_sync(wd, slot);
	if (wd->n_workers) {
		wr_worker_add_port(wd->workers[worker].w, (uint16_t)index);
		wd_worker_ports_changed(wd, worker);
	}
	wd_info("port %s: %s %s%s%s added (index %d, worker %u, fast path %s)", slot->name,
		port->ops->kind, slot->netns, slot->netns[0] ? ":" : "",
		slot->type == WR_PORT_DPDK ? slot->devargs : slot->dev, index, worker,
		wr_fastpath_names[slot->fp_mode]);
	return 0;

err_peer:
	restore_peer(req);
	return err;
}

int wd_port_del(struct warrend *wd, struct wd_port *p)
{
	int err;

	/* The kernel forwards nothing more to or from it, from now on. */
	if (wd->fp)
		wd_fastpath_detach(wd->fp, p->index);
	err = wr_switch_port_del(wd->sw, p->index);
	if (err)
		return err;
	/* The switch closes the port once no worker can still use it. */
	p->used = false;
	if (wd->n_workers)
		wd_worker_ports_changed(wd, p->worker);
	restore_peer(p);
	wd_info("port %s: deleted", p->name);
	return 0;
}

void wd_ports_close_all(struct warrend *wd)
{
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used)
			wd_port_del(wd, &wd->ports[i]);
}

void wd_umem_release(struct warrend *wd)
{
	if (wd->umem)
		wr_afxdp_umem_destroy(wd->umem);
	wd->umem = NULL;
}

const char *wd_port_link(const struct warrend *wd, const struct wd_port *p)
{
	/* A TC port's backend is warrend's TAP, which stays up: ask about the device. */
	if (p->fp_mode == WR_FASTPATH_TC && wd->fp && wd_fastpath_gone(wd->fp, p->index))
		return "gone";
	if (p->port->ops->link_up(p->port))
		return "up";
	if (!strcmp(p->port->ops->kind, "afxdp") && wr_afxdp_port_gone(p->port))
		return "gone";
	return "down";
}


/* [10, 20, "30-39"] from the trunk bitmap: runs of three or more as ranges. */
static json_object *allowed_json(const struct wr_port_conf *c)
{
	json_object *a = json_object_new_array();

	for (int v = 1; v < WR_VLAN_MAX; v++) {
		int end = v;
		char buf[16];

		if (!(c->allowed[v / 64] >> (v % 64) & 1))
			continue;
		while (end + 1 < WR_VLAN_MAX && (c->allowed[(end + 1) / 64] >> ((end + 1) % 64) & 1))
			end++;
		if (end - v >= 2) {
			snprintf(buf, sizeof(buf), "%d-%d", v, end);
			json_object_array_add(a, json_object_new_string(buf));
		} else {
			for (int k = v; k <= end; k++)
				json_object_array_add(a, json_object_new_int(k));
		}
		v = end;
	}
	return a;
}

#define ADD(o, k, v) json_object_object_add(o, k, v)

/* What warrend did to the far end of the port's veth; NULL when it has none. */
static json_object *peer_json(const struct wr_endpoint_report *r)
{
	json_object *o;
	char text[256];

	if (!r->veth)
		return NULL;
	o = json_object_new_object();
	ADD(o, "netns", r->peer_found && r->peer.netns[0] ? json_object_new_string(r->peer.netns) :
		NULL);
	ADD(o, "dev", r->peer_found ? json_object_new_string(r->peer.ifname) : NULL);
	ADD(o, "found", json_object_new_boolean(r->peer_found));
	ADD(o, "tx_csum_off", json_object_new_boolean(r->peer_found && !r->tx_csum_kept));
	ADD(o, "prepared", json_object_new_string(wr_endpoint_describe(r, text, sizeof(text))));
	return o;
}

json_object *wd_port_json(struct warrend *wd, const struct wd_port *p)
{
	json_object *o = json_object_new_object();
	const struct wr_port_conf *c = &p->conf;
	struct wr_afxdp_info info = { .ifindex = 0 };
	struct wr_dpdk_info dpdk;
	bool xsk = !strcmp(p->port->ops->kind, "afxdp");
	bool eth = !strcmp(p->port->ops->kind, "dpdk");

	if (xsk)
		wr_afxdp_port_info(p->port, &info);
	if (eth)
		wr_dpdk_port_info(p->port, &dpdk);
	ADD(o, "name", json_object_new_string(p->name));
	ADD(o, "index", json_object_new_int(p->index));
	ADD(o, "type", json_object_new_string(wr_port_type_names[p->type]));
	ADD(o, "netns", p->netns[0] ? json_object_new_string(p->netns) : NULL);
	ADD(o, "dev", json_object_new_string(eth ? dpdk.name : p->dev));
	ADD(o, "devargs", eth ? json_object_new_string(p->devargs) : NULL);
	ADD(o, "driver", eth ? json_object_new_string(dpdk.driver) : NULL);
	ADD(o, "numa_node", eth ? json_object_new_int(dpdk.socket) : NULL);
	ADD(o, "ifindex", json_object_new_int(xsk ? info.ifindex : 0));
	ADD(o, "queue", json_object_new_int64(p->queue));
	/* How frames reach warrend: the backend's way. */
	ADD(o, "mode", json_object_new_string(strcmp(p->port->ops->kind, "afxdp") ? p->port->ops->kind :
					      info.zerocopy ? "zerocopy" : "copy"));
	ADD(o, "fastpath_tap", p->fp_mode == WR_FASTPATH_TC ? json_object_new_string(p->fp_tap) : NULL);
	ADD(o, "xdp_mode", !xsk ? NULL :
	    json_object_new_string((wd->fp ? wd_fastpath_native(wd->fp, p->index) : info.native) ?
				   "native" : "skb"));
	ADD(o, "fastpath", json_object_new_string(wr_fastpath_names[p->fp_mode]));
	ADD(o, "fastpath_asked", json_object_new_string(wr_fastpath_names[p->fastpath]));
	ADD(o, "fastpath_why", json_object_new_string(p->fp_why));
	ADD(o, "peer", peer_json(&p->peer));
	ADD(o, "worker", json_object_new_int(p->worker));
	ADD(o, "link", json_object_new_string(wd_port_link(wd, p)));
	ADD(o, "admin", json_object_new_string(p->admin_up ? "up" : "down"));
	ADD(o, "bd", json_object_new_int(c->vlan_mode == WR_VLAN_NONE ? c->bd : 0));
	ADD(o, "vlan_mode", json_object_new_string(wr_vlan_mode_names[c->vlan_mode]));
	ADD(o, "access_vlan", json_object_new_int(c->vlan_mode == WR_VLAN_ACCESS ? c->access_vlan : 0));
	ADD(o, "native_vlan", json_object_new_int(c->vlan_mode == WR_VLAN_TRUNK ? c->native_vlan : 0));
	ADD(o, "allowed", c->vlan_mode == WR_VLAN_TRUNK ? allowed_json(c) : json_object_new_array());
	ADD(o, "learning", json_object_new_boolean(c->learning));
	ADD(o, "mac_limit", json_object_new_int64(c->mac_limit));
	return o;
}

json_object *wd_port_stats_json(struct warrend *wd, const struct wd_port *p)
{
	json_object *o = json_object_new_object(), *drv = json_object_new_object();
	struct wr_port_stats st, drv_st;
	struct wr_bpf_port_stats k;
	bool fast = wd->fp && !wd_fastpath_port_stats(wd->fp, p->index, &k);
	const char *names[32];
	uint64_t vals[32];
	int n;

	wr_switch_port_stats(wd->sw, p->index, &st);
	/* Frames the backend dropped before the switch saw them (a TAP's too long ones). */
	memset(&drv_st, 0, sizeof(drv_st));
	p->port->ops->stats(p->port, &drv_st);
	st.drops += drv_st.drops;
	/* The port's totals: what the kernel forwarded or dropped never reached warrend. */
	if (fast) {
		st.rx_pkts += k.fwd_pkts + k.drop_pkts;
		st.rx_bytes += k.fwd_bytes;
		st.tx_pkts += k.tx_pkts;
		st.tx_bytes += k.tx_bytes;
		st.drops += k.drop_pkts;
	}
	ADD(o, "name", json_object_new_string(p->name));
	ADD(o, "rx_pkts", json_object_new_uint64(st.rx_pkts));
	ADD(o, "rx_bytes", json_object_new_uint64(st.rx_bytes));
	ADD(o, "tx_pkts", json_object_new_uint64(st.tx_pkts));
	ADD(o, "tx_bytes", json_object_new_uint64(st.tx_bytes));
	ADD(o, "drops", json_object_new_uint64(st.drops));
	ADD(o, "copies", json_object_new_uint64(st.copies));
	n = wr_port_xstats(p->port, names, vals, 32);
	for (int i = 0; i < n; i++)
		ADD(drv, names[i], json_object_new_uint64(vals[i]));
	ADD(o, "driver", drv);
	ADD(o, "fastpath", fast ? wd_fastpath_port_stats_json(&k) : NULL);
	return o;
}
