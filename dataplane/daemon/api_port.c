/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_port.c - the JSON of docs/api.md for ports and counters: a port as
 * port.list gives it, its counters (port.stats), the kernel fast path's
 * (stats). The registry (ports.c) and the fast path (fastpath.c) know no
 * JSON.
 */
#include <stdio.h>
#include <string.h>

#include "warrend.h"
#include "wr_bpf.h"
#include "wr_drivers.h"

static const char *const up_names[] = {
#define UP_NAME(name, text) #name,
	WR_BPF_UP_REASONS(UP_NAME)
#undef UP_NAME
};

/* "NO_PORT" as "no_port", the way every other counter is named. */
static json_object *lower_key(json_object *o, const char *name, uint64_t v)
{
	char key[32];
	size_t i;

	for (i = 0; name[i] && i < sizeof(key) - 1; i++)
		key[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	key[i] = '\0';
	json_object_object_add(o, key, json_object_new_uint64(v));
	return o;
}

#define ADD(o, k, v) json_object_object_add(o, k, v)

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
	/* Why zerocopy or copy, and whose UMEM: an AF_XDP socket's only. */
	ADD(o, "mode_why", xsk ? json_object_new_string(info.why) : NULL);
	ADD(o, "umem", !xsk ? NULL : json_object_new_string(wr_umem_names[info.own_umem ?
				     WR_UMEM_OWN : WR_UMEM_SHARED]));
	ADD(o, "fastpath_tap", p->fp_mode == WR_FASTPATH_TC ? json_object_new_string(p->fp_tap) : NULL);
	ADD(o, "xdp_mode", !xsk ? NULL :
	    json_object_new_string((wd->fp ? wd_fastpath_native(wd->fp, p->index) : info.native) ?
				   "native" : "skb"));
	ADD(o, "fastpath", json_object_new_string(wr_fastpath_names[p->fp_mode]));
	ADD(o, "fastpath_asked", json_object_new_string(wr_fastpath_names[p->fastpath]));
	ADD(o, "fastpath_why", json_object_new_string(p->fp_why));
	ADD(o, "peer", peer_json(&p->peer));
	/* A tunnel's underlay bridges nothing itself: its frames are the tunnel's. */
	ADD(o, "underlay_of", wd_tunnel_on(wd, p) ? json_object_new_string(wd_tunnel_on(wd, p)->name) : NULL);
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

/* A port's kernel counters (docs/api.md, port.stats's "fastpath"). */
static json_object *kernel_port_json(const struct wr_bpf_port_stats *ps)
{
	json_object *o = json_object_new_object();

#define PS(f, text) ADD(o, #f, json_object_new_uint64(ps->f));
	WD_KERNEL_PORT_COUNTERS(PS)
#undef PS
	return o;
}

void wd_stats_json(json_object *o, const struct wr_port_stats *st)
{
#define ST(f, text) ADD(o, #f, json_object_new_uint64(st->f));
	WD_PORT_COUNTERS(ST)
#undef ST
}

json_object *wd_port_stats_json(struct warrend *wd, const struct wd_port *p)
{
	json_object *o = json_object_new_object(), *drv = json_object_new_object(), *user;
	struct wd_port_counters n;

	wd_port_counters(wd, p, &n);
	ADD(o, "name", json_object_new_string(p->name));
	wd_stats_json(o, &n.st);
	ADD(o, "copies", json_object_new_uint64(n.st.copies));
	/* Of the totals, what went through warrend: the kernel's share is the rest. */
	user = json_object_new_object();
	wd_stats_json(user, &n.user);
	ADD(o, "userspace", user);
	for (int i = 0; i < n.n_xstats; i++)
		ADD(drv, n.xnames[i], json_object_new_uint64(n.xvals[i]));
	ADD(o, "driver", drv);
	ADD(o, "fastpath", n.fast ? kernel_port_json(&n.kernel) : NULL);
	return o;
}

json_object *wd_fastpath_stats_json(const struct wd_switch_counters *c)
{
	json_object *o = json_object_new_object();
	json_object *drops = json_object_new_object(), *up = json_object_new_object();

	for (int i = 0; i < WR_BPF_DROP_COUNT; i++)
		json_object_object_add(drops, wr_drop_name((enum wr_drop)i),
				       json_object_new_uint64(c->kernel.drops[i]));
	for (int i = 0; i < WR_BPF_UP_COUNT; i++)
		lower_key(up, up_names[i], c->kernel.up[i]);
	json_object_object_add(o, "drops", drops);
	json_object_object_add(o, "up", up);
	json_object_object_add(o, "fdb_errors", json_object_new_uint64(c->fdb_errors));
	json_object_object_add(o, "tunnel_errors", json_object_new_uint64(c->tunnel_errors));
	return o;
}
