/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tunnels.c - warrend's tunnels by name: each on an underlay port, its
 * VNIs and its remote VTEPs (the switch's side is dataplane/tunnel.c). The
 * next hop towards each VTEP comes from the underlay namespace's routes
 * and neighbours (underlay.c), looked up when the VTEP is added and again
 * every few seconds, sooner while it is not resolved; until it is, frames
 * to the VTEP are counted as tun_no_nexthop. No JSON here (api_tunnel.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "warrend.h"

#define RESOLVED_S	5	/* a resolved next hop is looked at again after this */
#define UNRESOLVED_S	1	/* one that is not, after this */
#define TUN_LEARN_MAX	16	/* VTEPs learned per tunnel and tick at most */

struct wd_tunnel *wd_tunnel_find(struct warrend *wd, const char *name)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		if (wd->tunnels[i].used && !strcmp(wd->tunnels[i].name, name))
			return &wd->tunnels[i];
	return NULL;
}

struct wd_tunnel *wd_tunnel_on(struct warrend *wd, const struct wd_port *p)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		if (wd->tunnels[i].used && !strcmp(wd->tunnels[i].underlay, p->name))
			return &wd->tunnels[i];
	return NULL;
}

static const char *ip_text(const struct wd_tunnel *t, const uint8_t ip[16], char *buf)
{
	return wr_ip_text(ip, t->conf.ipv6, buf, INET6_ADDRSTRLEN);
}

int wd_tunnel_add(struct warrend *wd, const struct wd_tunnel_req *req, char *err, size_t errlen)
{
	struct wd_port *p = wd_port_find(wd, req->underlay);
	struct wd_underlay_info info;
	struct wd_tunnel *t = NULL;
	int id, ret;

	if (wd_tunnel_find(wd, req->name) || wd_port_find(wd, req->name)) {
		snprintf(err, errlen, "tunnel %s: the name of a %s already", req->name,
			 wd_tunnel_find(wd, req->name) ? "tunnel" : "port");
		return -EEXIST;
	}
	if (!p) {
		snprintf(err, errlen, "tunnel %s: underlay %s: no such port", req->name,
			 req->underlay);
		return -ENOENT;
	}
	if (p->type != WR_PORT_AFXDP) {
		snprintf(err, errlen, "tunnel %s: underlay %s is a %s port; an underlay is an afxdp "
			 "port, which leaves the device's other traffic (ARP, ND) to the kernel",
			 req->name, p->name, wr_port_type_names[p->type]);
		return -EINVAL;
	}
	if (wd_tunnel_on(wd, p)) {
		snprintf(err, errlen, "tunnel %s: port %s is the underlay of tunnel %s already",
			 req->name, p->name, wd_tunnel_on(wd, p)->name);
		return -EBUSY;
	}
	if (wd_steer_rules_to(wd, p->name)) {
		snprintf(err, errlen, "tunnel %s: %d steering rules send frames to port %s, and an "
			 "underlay bridges nothing (delete them first: warren steer show port %s)",
			 req->name, wd_steer_rules_to(wd, p->name), p->name, p->name);
		return -EBUSY;
	}
	if (wd_chain_of_port(wd, p)) {
		snprintf(err, errlen, "tunnel %s: port %s is a port of chain %s (delete the chain "
			 "first)", req->name, p->name, wd_chain_of_port(wd, p));
		return -EBUSY;
	}
	if (wr_mirror_of_port(wd->sw, p->index) >= 0 || wr_tap_port_watched(wd->sw, p->index)) {
		snprintf(err, errlen, "tunnel %s: port %s is mirrored or captured (delete the "
			 "mirror, stop the capture first)", req->name, p->name);
		return -EBUSY;
	}
	for (int i = 0; i < WR_TUNNEL_MAX && !t; i++)
		if (!wd->tunnels[i].used)
			t = &wd->tunnels[i];
	if (!t) {
		snprintf(err, errlen, "tunnel %s: warrend has %d tunnels, the most it may",
			 req->name, WR_TUNNEL_MAX);
		return -ENOSPC;
	}
	ret = wd_underlay_probe(p, req->conf.ipv6, req->conf.local_ip, &info, err, errlen);
	if (ret)
		return ret;
	memset(t, 0, sizeof(*t));
	t->conf = req->conf;
	t->conf.mtu = (uint16_t)(info.mtu < UINT16_MAX ? info.mtu : UINT16_MAX);
	/* Its tunnel frames to warrend, the rest to the kernel; a TC port is made again. */
	ret = wd_port_underlay(wd, p, t->conf.local_ip, t->conf.ipv6, t->conf.type,
			       wr_tunnel_port(t->conf.type, t->conf.dst_port), err, errlen);
	p = wd_port_find(wd, req->underlay);
	if (ret || !p)
		return ret ? ret : -EIO;
	if (!wd->fp)
		wd_warn("tunnel %s: no kernel fast path: %s's device gives every frame to warrend, "
			"ARP and ND included", req->name, p->name);
	id = wr_tunnel_add(wd->sw, p->index, &t->conf);
	if (id < 0) {
		snprintf(err, errlen, "tunnel %s: %s", req->name, id == -EINVAL ?
			 "the local address, source ports or the underlay's MTU are refused" :
			 strerror(-id));
		wd_port_underlay(wd, p, NULL, false, WR_TUNNEL_VXLAN, 0, err, errlen);
		return id;
	}
	t->used = true;
	t->id = id;
	snprintf(t->name, sizeof(t->name), "%s", req->name);
	snprintf(t->underlay, sizeof(t->underlay), "%s", p->name);
	t->ifindex = info.ifindex;
	t->watch_fd = wd_underlay_watch(p);
	memcpy(t->src_mac, info.mac, 6);
	wd_info("tunnel %s: %s on %s, MTU %u", t->name, wr_tunnel_type_names[t->conf.type],
		p->name, t->conf.mtu);
	return 0;
}

int wd_tunnel_del(struct warrend *wd, struct wd_tunnel *t)
{
	int ret = wr_tunnel_del(wd->sw, t->id);
	struct wd_port *p = wd_port_find(wd, t->underlay);
	char err[160];

	if (ret)
		return ret;
	if (p && wd_port_underlay(wd, p, NULL, false, WR_TUNNEL_VXLAN, 0, err, sizeof(err)))
		wd_warn("tunnel %s: port %s: %s", t->name, t->underlay, err);
	if (t->watch_fd >= 0)
		close(t->watch_fd);
	t->used = false;
	wd_info("tunnel %s: deleted", t->name);
	return 0;
}

void wd_tunnels_close_all(struct warrend *wd)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		if (wd->tunnels[i].used)
			wd_tunnel_del(wd, &wd->tunnels[i]);
}

int wd_tunnel_vni(struct warrend *wd, struct wd_tunnel *t, uint32_t vni, uint16_t bd, char *err,
		  size_t errlen)
{
	int ret = wr_tunnel_vni(wd->sw, t->id, vni, bd);
	uint16_t i, n = 0;

	if (ret == -EBUSY) {
		for (i = 0; i < t->n_vnis && t->vnis[i].bd != bd; i++)
			;
		snprintf(err, errlen, "tunnel %s: bd %u carries VNI %u already (one VNI per "
			 "bridge domain)", t->name, bd, i < t->n_vnis ? t->vnis[i].vni : 0);
	} else if (ret == -ENOENT) {
		snprintf(err, errlen, "tunnel %s: VNI %u: not carried", t->name, vni);
	} else if (ret) {
		snprintf(err, errlen, "tunnel %s: VNI %u: %s", t->name, vni, strerror(-ret));
	}
	if (ret)
		return ret;
	/* The list as the switch has it now, in VNI order. */
	for (i = 0; i < t->n_vnis; i++)
		if (t->vnis[i].vni != vni)
			t->vnis[n++] = t->vnis[i];
	t->n_vnis = n;
	if (bd) {
		for (i = n; i > 0 && t->vnis[i - 1].vni > vni; i--)
			t->vnis[i] = t->vnis[i - 1];
		t->vnis[i].vni = vni;
		t->vnis[i].bd = bd;
		t->n_vnis++;
	}
	return 0;
}

struct wd_vtep *wd_vtep_find(struct wd_tunnel *t, const uint8_t ip[16])
{
	for (int i = 0; i < WR_VTEP_MAX; i++)
		if (t->vteps[i].used && !memcmp(t->vteps[i].ip, ip, 16))
			return &t->vteps[i];
	return NULL;
}

struct wd_tunnel *wd_vtep_by_port(struct warrend *wd, uint16_t index, struct wd_vtep **v)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		for (int k = 0; wd->tunnels[i].used && k < WR_VTEP_MAX; k++)
			if (wd->tunnels[i].vteps[k].used && wd->tunnels[i].vteps[k].port == index) {
				*v = &wd->tunnels[i].vteps[k];
				return &wd->tunnels[i];
			}
	return NULL;
}

/* Look the way to @v up again; tell the switch when its next hop changed. */
static void resolve(struct warrend *wd, struct wd_tunnel *t, struct wd_vtep *v, uint32_t now_s)
{
	const struct wd_port *p = wd_port_find(wd, t->underlay);
	char why[sizeof(v->why)], addr[INET6_ADDRSTRLEN], via[INET6_ADDRSTRLEN];
	bool was = v->resolved;
	uint8_t mac[6];
	int ret;

	memcpy(mac, v->nh.mac, 6);
	ret = p ? wd_underlay_nexthop(p, t->ifindex, t->conf.ipv6, v->ip, &v->nh, why, sizeof(why))
		: -ENODEV;
	if (!ret && !v->nh.resolved)
		snprintf(why, sizeof(why), "resolving %s on %s (neighbour %s)",
			 ip_text(t, v->nh.via, via), p->dev, v->nh.state);
	v->resolved = !ret && v->nh.resolved;
	if (v->resolved) {
		v->why[0] = '\0';
		if (!was || memcmp(mac, v->nh.mac, 6))
			wr_tunnel_vtep_nexthop(wd->sw, v->port, t->src_mac, v->nh.mac);
		/* Frames the workers keep for it go now, not with the next frame. */
		if (!was && wd->n_workers)
			wd_workers_wake(wd);
	} else {
		snprintf(v->why, sizeof(v->why), "%s", p ? why : "the underlay port is gone");
		if (was)
			wr_tunnel_vtep_nexthop(wd->sw, v->port, t->src_mac, NULL);
	}
	if (was != v->resolved)
		wd_info("tunnel %s: VTEP %s: %s", t->name, ip_text(t, v->ip, addr),
			v->resolved ? "next hop resolved" : v->why);
	v->next_s = now_s + (v->resolved ? RESOLVED_S : UNRESOLVED_S);
}

int wd_vtep_add(struct warrend *wd, struct wd_tunnel *t, const uint8_t ip[16], bool ipv6,
		bool flood, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN];
	struct wd_vtep *v = NULL;
	int port;

	if (ipv6 != t->conf.ipv6) {
		snprintf(err, errlen, "tunnel %s: remote %s: an %s address, and the tunnel's local "
			 "one is %s", t->name, wr_ip_text(ip, ipv6, addr, sizeof(addr)),
			 ipv6 ? "IPv6" : "IPv4", t->conf.ipv6 ? "IPv6" : "IPv4");
		return -EINVAL;
	}
	if (wd_vtep_find(t, ip)) {
		snprintf(err, errlen, "tunnel %s: remote %s: a VTEP already", t->name,
			 ip_text(t, ip, addr));
		return -EEXIST;
	}
	for (int i = 0; i < WR_VTEP_MAX && !v; i++)
		if (!t->vteps[i].used)
			v = &t->vteps[i];
	port = v ? wr_tunnel_vtep_add(wd->sw, t->id, ip, flood) : -ENOSPC;
	if (port == -ENOSPC) {
		snprintf(err, errlen, "tunnel %s: %s", t->name, v ?
			 "no port left in the switch for another VTEP" :
			 "it has the most VTEPs a tunnel may have");
		return -ENOSPC;
	}
	if (port < 0) {
		snprintf(err, errlen, "tunnel %s: remote %s: %s", t->name, ip_text(t, ip, addr),
			 port == -EINVAL ? "the local address, or not a unicast address" :
			 strerror(-port));
		return port;
	}
	memset(v, 0, sizeof(*v));
	v->used = true;
	memcpy(v->ip, ip, 16);
	v->flood = flood;
	v->port = (uint16_t)port;
	resolve(wd, t, v, wd_now_s());
	return 0;
}

int wd_vtep_del(struct warrend *wd, struct wd_tunnel *t, struct wd_vtep *v)
{
	int ret = wr_tunnel_vtep_del(wd->sw, v->port);

	(void)t;
	if (!ret)
		v->used = false;
	return ret;
}

void wd_vtep_pin(struct warrend *wd, uint16_t port)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		for (int k = 0; wd->tunnels[i].used && k < WR_VTEP_MAX; k++)
			if (wd->tunnels[i].vteps[k].used && wd->tunnels[i].vteps[k].port == port)
				wd->tunnels[i].vteps[k].learned = false;
}

/* The VTEPs frames asked for (learn_vteps): made, on the flood list, with their next hop. */
static void learn_vteps(struct warrend *wd, struct wd_tunnel *t)
{
	uint8_t ips[TUN_LEARN_MAX][16];
	char addr[INET6_ADDRSTRLEN], err[160];
	int n = wr_tunnel_vtep_requests(wd->sw, t->id, ips, TUN_LEARN_MAX);

	for (int i = 0; i < n; i++) {
		struct wd_vtep *v;

		if (wd_vtep_find(t, ips[i]))
			continue;	/* asked twice, or made since */
		if (wd_vtep_add(wd, t, ips[i], t->conf.ipv6, true, err, sizeof(err))) {
			wd_warn("tunnel %s: VTEP %s not learned: %s", t->name,
				ip_text(t, ips[i], addr), err);
			continue;
		}
		v = wd_vtep_find(t, ips[i]);
		v->learned = true;
		wd_info("tunnel %s: VTEP %s learned", t->name, ip_text(t, ips[i], addr));
	}
}

/*
 * A learned VTEP that went quiet goes: no MAC learned behind it (the
 * kernel's decap keeps those fresh too) and no frame from it in userspace
 * for the switch's aging time (never with aging off). One asked for, or
 * named by a static entry (fdb.add), stays.
 */
static void age_vtep(struct warrend *wd, struct wd_tunnel *t, struct wd_vtep *v, uint32_t now_s)
{
	uint32_t age = wr_switch_age(wd->sw);
	char addr[INET6_ADDRSTRLEN];
	struct wr_port_stats st;

	wr_switch_port_stats(wd->sw, v->port, &st);
	if (st.rx_pkts != v->rx_seen || wr_switch_port_learned(wd->sw, v->port)) {
		v->rx_seen = st.rx_pkts;
		v->idle_s = 0;
		return;
	}
	if (!v->idle_s)
		v->idle_s = now_s ? now_s : 1;
	if (!age || now_s - v->idle_s < age)
		return;
	ip_text(t, v->ip, addr);
	if (wd_vtep_del(wd, t, v))
		return;		/* the next tick tries again */
	wd_info("tunnel %s: learned VTEP %s aged out (%u s without a frame or a MAC)", t->name,
		addr, age);
}

int wd_tunnels_watch_fds(const struct warrend *wd, int *fds, int max)
{
	int n = 0;

	for (int i = 0; i < WR_TUNNEL_MAX && n < max; i++)
		if (wd->tunnels[i].used && wd->tunnels[i].watch_fd >= 0)
			fds[n++] = wd->tunnels[i].watch_fd;
	return n;
}

void wd_tunnels_watch_event(struct warrend *wd, int fd)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		if (wd->tunnels[i].used && wd->tunnels[i].watch_fd == fd) {
			wr_route_watch_drain(fd);
			wd->tunnels[i].changed = true;
		}
}

#define REACT_NS	100000000u	/* a busy namespace's changes: one look per 100 ms */

void wd_tunnels_react(struct warrend *wd)
{
	uint64_t now = wd_now_ns();

	for (int i = 0; i < WR_TUNNEL_MAX; i++) {
		struct wd_tunnel *t = &wd->tunnels[i];

		if (!t->used || !t->changed || now - t->looked_ns < REACT_NS)
			continue;
		t->changed = false;
		t->looked_ns = now;
		for (int k = 0; k < WR_VTEP_MAX; k++)
			if (t->vteps[k].used)
				resolve(wd, t, &t->vteps[k], (uint32_t)(now / 1000000000u));
	}
}

void wd_tunnels_tick(struct warrend *wd, uint32_t now_s)
{
	for (int i = 0; i < WR_TUNNEL_MAX; i++) {
		struct wd_tunnel *t = &wd->tunnels[i];

		if (t->used && t->conf.learn_vteps)
			learn_vteps(wd, t);
		for (int k = 0; t->used && k < WR_VTEP_MAX; k++) {
			if (t->vteps[k].used && t->vteps[k].learned)
				age_vtep(wd, t, &t->vteps[k], now_s);
			if (t->vteps[k].used && now_s >= t->vteps[k].next_s)
				resolve(wd, t, &t->vteps[k], now_s);
		}
	}
}
