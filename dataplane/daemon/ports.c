/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ports.c - the daemon's ports by name: which backend, device and
 * namespace, which worker, which fast path, and their counters. Their JSON
 * form is the API's (api_port.c). The AF_XDP buffer area (UMEM) is made
 * with the first AF_XDP port and shared by all.
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

/* Why a tunnel's underlay runs XDP when TC was not asked for. */
static const char underlay_why[] =
	"a tunnel's underlay: tunnel frames to warrend, the rest to the kernel (XDP: the "
	"program sorts them even with the fast path off)";

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
	if (p->fastpath == WR_FASTPATH_AUTO || p->fp_mode == WR_FASTPATH_OFF || p->underlay.on ||
	    !fp_netns_full(wd, p))
		return 0;
	snprintf(err, errlen, "port %s: fastpath %s: ports of 255 other namespaces hold every "
		 "namespace number the fast path has (8 bits); fastpath off or auto would work",
		 p->name, wr_fastpath_names[p->fastpath]);
	return -ENOSPC;
}

/* The mode an AF_XDP port @p gets with the fast path loaded, and why. */
static enum wr_fastpath fp_asked(const struct warrend *wd, struct wd_port *p)
{
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

/*
 * The mode @p gets, and why: what was asked, if the port and the kernel
 * allow it. A tunnel's underlay runs TC when TC was asked (its tunnel
 * frames stay whole, docs/overlays.md), else XDP.
 */
static enum wr_fastpath fp_choose(const struct warrend *wd, struct wd_port *p)
{
	enum wr_fastpath mode;

	if (p->type != WR_PORT_AFXDP) {
		p->fp_why = "only AF_XDP ports have a kernel fast path";
		return WR_FASTPATH_OFF;
	}
	if (!wd->fp) {
		p->fp_why = "the fast path did not load (warrend's log says why)";
		return WR_FASTPATH_OFF;
	}
	mode = fp_asked(wd, p);
	if (p->underlay.on && mode != WR_FASTPATH_TC) {
		/* The program, with the switch's fast path off: the flag says underlay. */
		p->fp_why = underlay_why;
		return WR_FASTPATH_XDP;
	}
	return mode;
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
			       p->fp_mode != WR_FASTPATH_OFF && p->admin_up, peer_elsewhere(p),
			       wr_chain_port_chained(wd->sw, p->index),
			       wr_tap_port_watched(wd->sw, p->index), &p->underlay);
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

/*
 * @p becomes @want, a copy of it with another fast path asked or another
 * underlay. XDP and off are one program: only the port's entry in the
 * kernel changes. To or from TC the backend changes: the port is made
 * again (its MACs learned anew), and made as it was if that fails.
 */
static int fp_change(struct warrend *wd, struct wd_port *p, struct wd_port *want, char *err,
		     size_t errlen)
{
	struct wd_port was = *p, *now;
	int ret;

	want->fp_mode = fp_choose(wd, want);
	ret = fp_refuse_full(wd, want, err, errlen);
	if (ret)
		return ret;
	if ((want->fp_mode == WR_FASTPATH_TC) == (p->fp_mode == WR_FASTPATH_TC)) {
		p->fastpath = want->fastpath;
		p->fp_mode = want->fp_mode;
		p->fp_why = want->fp_why;
		p->underlay = want->underlay;
		wd_port_fastpath_sync(wd, p);
		return 0;
	}
	/* Not used until attached: wd_port_add() copies it into the slot early. */
	want->used = false;
	was.used = false;
	wd_port_del(wd, p);
	ret = wd_port_add(wd, want, err, errlen);
	if (ret) {
		char again[256];

		if (wd_port_add(wd, &was, again, sizeof(again)))
			wd_warn("port %s: lost: its fast path could not change, and it did not come "
				"back: %s", was.name, again);
	}
	/* Made again, up; as it was, if it was down. */
	now = wd_port_find(wd, was.name);
	if (now && !was.admin_up) {
		wr_switch_port_up(wd->sw, now->index, false);
		now->admin_up = false;
		wd_port_fastpath_sync(wd, now);
	}
	return ret;
}

int wd_port_set_fastpath(struct warrend *wd, struct wd_port *p, enum wr_fastpath m, char *err,
			 size_t errlen)
{
	struct wd_port want = *p;

	want.fastpath = m;
	return fp_change(wd, p, &want, err, errlen);
}

int wd_port_underlay(struct warrend *wd, struct wd_port *p, const uint8_t *ip, bool ipv6,
		     enum wr_tunnel_type type, uint16_t dport, char *err, size_t errlen)
{
	struct wd_port want = *p;

	if (p->type != WR_PORT_AFXDP) {
		snprintf(err, errlen, "port %s: a tunnel's underlay must be an afxdp port (a %s port "
			 "has no XDP program to leave the rest of its frames to the kernel)", p->name,
			 wr_port_type_names[p->type]);
		return -EINVAL;
	}
	if (ip && !dport) {
		snprintf(err, errlen, "port %s: underlay: UDP port 0", p->name);
		return -EINVAL;
	}
	memset(&want.underlay, 0, sizeof(want.underlay));
	if (ip) {
		want.underlay.on = true;
		want.underlay.ipv6 = ipv6;
		memcpy(want.underlay.ip, ip, ipv6 ? 16 : 4);
		want.underlay.dport = dport;
		want.underlay.type = type;
	}
	if (!wd->fp) {
		p->underlay = want.underlay;
		return 0;
	}
	return fp_change(wd, p, &want, err, errlen);
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
	port = wd_port_open(wd, req, worker, errbuf, errlen);
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
	if (slot->fp_mode == WR_FASTPATH_XDP && wd->fp && !wd_fastpath_native(wd->fp, slot->index) &&
	    !slot->underlay.on)
		slot->fp_why = slot->fastpath == WR_FASTPATH_AUTO ?
			"default: XDP, but in the generic hook (the driver has no native XDP); "
			"fastpath tc is likely faster" :
			"asked for; in the generic hook (the driver has no native XDP)";
	slot->used = true;
	wd_port_fastpath_sync(wd, slot);
	wd_steer_port_back(wd, slot);
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
