/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api.c - the requests of docs/api.md: the command of each entry of
 * wr_api.def, and the reply envelope. Every request is checked against
 * wr_api.def first (wr_api_check()); a bad one gets an error reply naming
 * what is wrong, and nothing else changes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_priv.h"
#include "wr_bpf.h"

/* [10, "20-29"] into the trunk bitmap, if given. */
static void arg_vlans(const struct req *r, const char *key, uint64_t *bits)
{
	json_object *v = arg(r, key);

	if (!v)
		return;
	memset(bits, 0, WR_VLAN_MAX / 8);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		uint16_t lo, hi;

		if (json_object_is_type(e, json_type_int))
			lo = hi = (uint16_t)json_object_get_int64(e);
		else
			wr_range_scan(json_object_get_string(e), 1, WR_VLAN_LAST, &lo, &hi);
		for (int k = lo; k <= hi; k++)
			bits[k / 64] |= 1ull << (k % 64);
	}
}

/* The keys of a port's configuration that are present, applied onto *c. */
static int parse_conf(struct req *r, struct wr_port_conf *c)
{
	int64_t v;
	int e;

	if (arg_int(r, "bd", &v))
		c->bd = (uint16_t)v;
	if (arg_enum(r, "vlan_mode", wr_vlan_mode_names, WR_VLAN_MODE_COUNT, &e))
		c->vlan_mode = (enum wr_vlan_mode)e;
	if (arg_int(r, "access_vlan", &v))
		c->access_vlan = (uint16_t)v;
	if (arg_int(r, "native_vlan", &v))
		c->native_vlan = (uint16_t)v;
	arg_vlans(r, "allowed", c->allowed);
	arg_bool(r, "learning", &c->learning);
	if (arg_int(r, "mac_limit", &v))
		c->mac_limit = (uint32_t)v;
	if (c->vlan_mode == WR_VLAN_ACCESS && c->access_vlan == 0)
		return fail(r, -EINVAL, "vlan_mode access needs access_vlan");
	return 0;
}

/* --------------------------------------------------------------- commands */

static int cmd_hello(struct req *r)
{
	json_object_object_add(r->result, "api", json_object_new_int(WR_API_VERSION));
	json_object_object_add(r->result, "version", json_object_new_string(WR_VERSION));
	json_object_object_add(r->result, "name", json_object_new_string(r->wd->conf.name));
	json_object_object_add(r->result, "pid", json_object_new_int(getpid()));
	return 0;
}

static int cmd_health(struct req *r)
{
	struct warrend *wd = r->wd;
	json_object *workers = json_object_new_array();
	bool degraded = false;
	int n_ports = 0;

	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used) {
			n_ports++;
			degraded |= !strcmp(wd_port_link(wd, &wd->ports[i]), "gone");
		}
	for (uint16_t i = 0; i < wd->n_workers; i++) {
		struct wd_worker *k = &wd->workers[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int(i));
		json_object_object_add(o, "core", k->core >= 0 ? json_object_new_int(k->core) : NULL);
		json_object_object_add(o, "ports", json_object_new_int(k->n_ports));
		json_object_object_add(o, "polls", json_object_new_uint64(atomic_load(&k->polls)));
		json_object_object_add(o, "rx_pkts", json_object_new_uint64(atomic_load(&k->rx_pkts)));
		json_object_object_add(o, "sleeps", json_object_new_uint64(atomic_load(&k->sleeps)));
		json_object_object_add(o, "sleeping", json_object_new_boolean(atomic_load(&k->sleeping)));
		json_object_array_add(workers, o);
	}
	json_object_object_add(r->result, "status", json_object_new_string(degraded ? "degraded" : "ok"));
	json_object_object_add(r->result, "uptime_s",
			       json_object_new_uint64((wd_now_ns() - wd->started_ns) / 1000000000u));
	json_object_object_add(r->result, "name", json_object_new_string(wd->conf.name));
	json_object_object_add(r->result, "pid", json_object_new_int(getpid()));
	json_object_object_add(r->result, "ports", json_object_new_int(n_ports));
	json_object_object_add(r->result, "fdb_entries", json_object_new_int64(wr_fdb_count(wd->sw)));
	json_object_object_add(r->result, "fdb_max", json_object_new_int64(wd->conf.fdb_max));
	json_object_object_add(r->result, "age_s", json_object_new_int64(wr_switch_age(wd->sw)));
	json_object_object_add(r->result, "workers", workers);
	return 0;
}

static int cmd_port_add(struct req *r)
{
	struct wd_port p = { .zerocopy = -1, .fastpath = WR_FASTPATH_AUTO };
	const char *s = "";
	int64_t v;
	int e, err;

	arg_str(r, "name", &s);
	if (wd_tunnel_find(r->wd, s))
		return fail(r, -EEXIST, "port %s: the name of a tunnel already", s);
	strcpy(p.name, s);
	strcpy(p.dev, s);
	if (arg_enum(r, "type", wr_port_type_names, WR_PORT_TYPE_COUNT, &e))
		p.type = (enum wr_port_type)e;
	if (arg_str(r, "netns", &s))
		strcpy(p.netns, s);
	if (arg_str(r, "dev", &s))
		strcpy(p.dev, s);
	if (arg_int(r, "queue", &v))
		p.queue = (uint32_t)v;
	if (arg_enum(r, "zerocopy", wr_zerocopy_names, WR_ZEROCOPY_COUNT, &e) &&
	    e != WR_ZEROCOPY_AUTO)
		p.zerocopy = e == WR_ZEROCOPY_ON;
	if (arg_enum(r, "umem", wr_umem_names, WR_UMEM_COUNT, &e))
		p.own_umem = e == WR_UMEM_OWN;
	if (arg_str(r, "devargs", &s))
		strcpy(p.devargs, s);
	if (arg_enum(r, "fastpath", wr_fastpath_names, WR_FASTPATH_COUNT, &e))
		p.fastpath = (enum wr_fastpath)e;
	wr_port_conf_init(&p.conf);
	if ((err = parse_conf(r, &p.conf)))
		return err;
	err = wd_port_add(r->wd, &p, r->err, sizeof(r->err));
	if (err)
		return err;
	json_object_put(r->result);
	r->result = wd_port_json(r->wd, wd_port_find(r->wd, p.name));
	return 0;
}

/* A tunnel's underlay is the tunnel's, a chain's port the chain's: -EBUSY with why. */
static int not_underlay(struct req *r, const struct wd_port *p)
{
	const struct wd_tunnel *t = wd_tunnel_on(r->wd, p);
	const char *chain = wd_chain_of_port(r->wd, p);

	if (chain)
		return fail(r, -EBUSY, "port %s: a port of chain %s (delete the chain first)",
			    p->name, chain);
	return t ? fail(r, -EBUSY, "port %s: the underlay of tunnel %s (delete the tunnel "
			"first)", p->name, t->name) : 0;
}

static int cmd_port_set(struct req *r)
{
	struct wd_port *p;
	struct wr_port_conf c;
	enum wr_fastpath fpm;
	bool up;
	int e, err;

	if ((err = arg_port(r, "port", &p)))
		return err;
	/* Its bridging and fast path are the tunnel's; its state stays the user's. */
	if ((arg(r, "fastpath") || json_object_object_length(r->args) > 1 + !!arg(r, "up")) &&
	    (err = not_underlay(r, p)))
		return err;
	c = p->conf;
	if ((err = parse_conf(r, &c)))
		return err;
	fpm = p->fastpath;
	if (arg_enum(r, "fastpath", wr_fastpath_names, WR_FASTPATH_COUNT, &e))
		fpm = (enum wr_fastpath)e;
	if (fpm != p->fastpath && (wr_mirror_of_port(r->wd->sw, p->index) >= 0 ||
				   wr_tap_port_watched(r->wd->sw, p->index)))
		/* To or from tc the port is made again, and a mirror or capture holds it. */
		return fail(r, -EBUSY, "port %s: mirrored or captured: its fast path stays while it "
			    "is (delete the mirror, stop the capture)", p->name);
	if (fpm != p->fastpath) {
		char name[WD_PORT_NAME_MAX];

		/* To or from tc the port is made again, maybe in another slot. */
		memcpy(name, p->name, sizeof(name));
		err = wd_port_set_fastpath(r->wd, p, fpm, r->err, sizeof(r->err));
		p = wd_port_find(r->wd, name);
		if (err || !p)
			return err ? err : -EIO;
	}
	if (memcmp(&c, &p->conf, sizeof(c))) {
		err = wr_switch_port_set(r->wd->sw, p->index, &c);
		if (err)
			return fail(r, err, "port %s: %s", p->name, strerror(-err));
		p->conf = c;
	}
	if (arg_bool(r, "up", &up)) {
		wr_switch_port_up(r->wd->sw, p->index, up);
		p->admin_up = up;
	}
	wd_port_fastpath_sync(r->wd, p);
	json_object_put(r->result);
	r->result = wd_port_json(r->wd, p);
	return 0;
}

static int cmd_port_del(struct req *r)
{
	struct wd_port *p;
	char mirror[64];
	int err;

	if ((err = arg_port(r, "port", &p)) || (err = not_underlay(r, p)))
		return err;
	if (wd_mirror_of_port(r->wd, p, mirror, sizeof(mirror)))
		return fail(r, -EBUSY, "port %s: a port of %s (delete the mirror first)", p->name,
			    mirror);
	wd_captures_port_gone(r->wd, p->index);
	return wd_port_del(r->wd, p);
}

/* port.list and port.stats: one port or all. */
static int each_port(struct req *r, json_object *(*fn)(struct warrend *, const struct wd_port *))
{
	json_object *a = json_object_new_array();
	struct wd_port *one = NULL;
	int err;

	json_object_object_add(r->result, "ports", a);
	if ((err = arg_port(r, "port", &one)) < 0)
		return err;
	for (int i = 0; i < WR_PORT_MAX; i++) {
		struct wd_port *p = &r->wd->ports[i];

		if (p->used && (!one || one == p))
			json_object_array_add(a, fn(r->wd, p));
	}
	return 0;
}

static int cmd_port_list(struct req *r)
{
	return each_port(r, wd_port_json);
}

static int cmd_port_stats(struct req *r)
{
	return each_port(r, wd_port_stats_json);
}

static int cmd_vlan_set(struct req *r)
{
	int64_t vlan = 0, bd = 0;
	int err;

	arg_int(r, "vlan", &vlan);
	arg_int(r, "bd", &bd);
	err = wr_switch_vlan_bd(r->wd->sw, (uint16_t)vlan, (uint16_t)bd);
	if (err)
		return fail(r, err, "vlan %lld: %s", (long long)vlan, strerror(-err));
	if (r->wd->fp)
		wd_fastpath_vlan(r->wd->fp, (uint16_t)vlan, (uint16_t)bd);
	return 0;
}

static int cmd_vlan_del(struct req *r)
{
	int64_t vlan = 0;

	arg_int(r, "vlan", &vlan);
	if (wr_switch_vlan_bd_get(r->wd->sw, (uint16_t)vlan) == vlan)
		return fail(r, -ENOENT, "vlan %lld: not mapped (it is in bridge domain %lld)",
			    (long long)vlan, (long long)vlan);
	if (r->wd->fp)
		wd_fastpath_vlan(r->wd->fp, (uint16_t)vlan, (uint16_t)vlan);
	return wr_switch_vlan_bd(r->wd->sw, (uint16_t)vlan, (uint16_t)vlan);
}

static int cmd_vlan_list(struct req *r)
{
	json_object *a = json_object_new_array();

	/* Those mapped elsewhere than their own bridge domain, the default. */
	for (uint16_t v = 1; v <= WR_VLAN_LAST; v++) {
		uint16_t bd = wr_switch_vlan_bd_get(r->wd->sw, v);
		json_object *o;

		if (bd == v)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "vlan", json_object_new_int(v));
		json_object_object_add(o, "bd", json_object_new_int(bd));
		json_object_array_add(a, o);
	}
	json_object_object_add(r->result, "vlans", a);
	return 0;
}

struct fdb_walk {
	struct warrend *wd;
	json_object *a;
	int64_t bd;		/* -1: any */
	int port;		/* -1: any */
	const struct wd_tunnel *tunnel;	/* only its VTEPs' entries; NULL: any */
};

static int fdb_entry_json(const struct wr_fdb_entry *e, void *arg)
{
	struct fdb_walk *fw = arg;
	struct wd_vtep *v;
	json_object *o;
	char mac[18];

	if ((fw->bd >= 0 && e->bd != fw->bd) || (fw->port >= 0 && e->port != fw->port) ||
	    (fw->tunnel && wd_vtep_by_port(fw->wd, e->port, &v) != fw->tunnel))
		return 0;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1],
		 e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
	o = json_object_new_object();
	json_object_object_add(o, "bd", json_object_new_int(e->bd));
	json_object_object_add(o, "mac", json_object_new_string(mac));
	wd_fdb_entry_where(fw->wd, e->port, o);
	json_object_object_add(o, "static", json_object_new_boolean(e->is_static));
	json_object_object_add(o, "age_s", json_object_new_int64(e->age_s));
	json_object_array_add(fw->a, o);
	return 0;
}

static int cmd_fdb_show(struct req *r)
{
	struct fdb_walk fw = { .wd = r->wd, .bd = -1, .port = -1 };
	struct wd_port *p;
	int err;

	arg_int(r, "bd", &fw.bd);
	if (arg(r, "port"))
		fw.tunnel = wd_tunnel_find(r->wd, json_object_get_string(arg(r, "port")));
	if (!fw.tunnel && (err = arg_port(r, "port", &p)) < 0)
		return err;
	if (!fw.tunnel && !err)
		fw.port = p->index;
	fw.a = json_object_new_array();
	json_object_object_add(r->result, "entries", fw.a);
	wr_fdb_foreach(r->wd->sw, fdb_entry_json, &fw);
	json_object_object_add(r->result, "count",
			       json_object_new_int64((int64_t)json_object_array_length(fw.a)));
	json_object_object_add(r->result, "max", json_object_new_int64(r->wd->conf.fdb_max));
	return 0;
}

static int cmd_fdb_add(struct req *r)
{
	char name[96];
	uint16_t port;
	uint8_t mac[6];
	int64_t bd;
	int err;

	arg_mac(r, "mac", mac);
	if ((err = wd_fdb_target(r, &port, name, sizeof(name))))
		return err;
	bd = 0;		/* the port's bridge domain */
	arg_int(r, "bd", &bd);
	err = wr_fdb_add_static(r->wd->sw, (uint16_t)bd, mac, port);
	if (err == -EAGAIN)	/* a worker was busy; the tick frees room */
		err = fail(r, err, "fdb: the table is reorganising; try again");
	else if (err == -EXDEV && bd)
		err = fail(r, err, "fdb %s: %s is not in bridge domain %lld",
			   json_object_get_string(arg(r, "mac")), name, (long long)bd);
	else if (err == -EXDEV)
		err = fail(r, err, "fdb %s: %s is in several bridge domains (or none): "
			   "say which with bd", json_object_get_string(arg(r, "mac")), name);
	else if (err)
		err = fail(r, err, "fdb %s bd %lld: %s", json_object_get_string(arg(r, "mac")),
			   (long long)bd, err == -EINVAL ? "not a unicast address" : strerror(-err));
	else
		wd_vtep_pin(r->wd, port);	/* a learned VTEP a static entry names does not age */
	return err;
}

static int cmd_fdb_del(struct req *r)
{
	uint8_t mac[6];
	int64_t bd = 1;
	int err;

	arg_mac(r, "mac", mac);
	arg_int(r, "bd", &bd);
	err = wr_fdb_del(r->wd->sw, (uint16_t)bd, mac);
	if (err)
		return fail(r, err, "fdb %s bd %lld: %s", json_object_get_string(arg(r, "mac")),
			    (long long)bd, err == -ENOENT ? "no such entry" : strerror(-err));
	return 0;
}

static int cmd_fdb_flush(struct req *r)
{
	uint32_t before = wr_fdb_count(r->wd->sw);
	struct wd_port *p;
	bool all = false;
	int64_t bd = -1;
	int err = 0;

	arg_bool(r, "all", &all);
	arg_int(r, "bd", &bd);
	if (arg(r, "port") && arg(r, "bd"))
		return fail(r, -EINVAL, "flush by port or by bd, not both");
	if (arg(r, "port")) {
		if ((err = arg_port(r, "port", &p)))
			return err;
		err = wr_fdb_flush_port(r->wd->sw, p->index, all);
	} else if (bd > 0) {
		err = wr_fdb_flush_bd(r->wd->sw, (uint16_t)bd, all);
	} else {
		err = wr_fdb_flush_all(r->wd->sw, all);
	}
	if (err < 0)
		return fail(r, err, "fdb flush: %s", strerror(-err));
	json_object_object_add(r->result, "flushed",
			       json_object_new_int64(before - wr_fdb_count(r->wd->sw)));
	return 0;
}

static int cmd_switch_set(struct req *r)
{
	int64_t age;

	if (arg_int(r, "age_s", &age))
		wr_switch_set_age(r->wd->sw, (uint32_t)age);
	return 0;
}

/* The EAL: whether it runs, and with which arguments (it would start with). */
static json_object *dpdk_json(struct warrend *wd)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct wd_eal_args eal;

	if (wd_dpdk_args(&wd->conf, &eal) == 0)
		for (int i = 0; i < eal.argc; i++)
			json_object_array_add(a, json_object_new_string(eal.argv[i]));
	json_object_object_add(o, "running", json_object_new_boolean(atomic_load(&wd->dpdk_up)));
	json_object_object_add(o, "args", a);
	return o;
}

/* The API server: its clients, and what it refused or cut (server.c). */
static json_object *server_json(struct warrend *wd)
{
	const struct wd_server_stats *st = &wd->srv.st;
	json_object *o = json_object_new_object(), *ref = json_object_new_object();
	json_object *cut = json_object_new_object();

	json_object_object_add(o, "clients", json_object_new_int((int)wd_server_clients(wd)));
	json_object_object_add(o, "clients_max", json_object_new_int(WD_CLIENT_MAX));
	json_object_object_add(o, "client_idle_s", json_object_new_int64(wd->conf.client_idle_s));
	json_object_object_add(o, "accepted", json_object_new_uint64(st->accepted));
	json_object_object_add(ref, "perm", json_object_new_uint64(st->refused_perm));
	json_object_object_add(ref, "full", json_object_new_uint64(st->refused_full));
	json_object_object_add(ref, "no_fd", json_object_new_uint64(st->refused_no_fd));
	json_object_object_add(o, "refused", ref);
	json_object_object_add(cut, "idle", json_object_new_uint64(st->cut_idle));
	json_object_object_add(cut, "stalled", json_object_new_uint64(st->cut_stalled));
	json_object_object_add(cut, "long_line", json_object_new_uint64(st->cut_long_line));
	json_object_object_add(cut, "reply_max", json_object_new_uint64(st->cut_reply_max));
	json_object_object_add(o, "cut", cut);
	json_object_object_add(o, "deferred", json_object_new_uint64(st->deferred));
	return o;
}

static int cmd_switch_show(struct req *r)
{
	json_object_object_add(r->result, "age_s", json_object_new_int64(wr_switch_age(r->wd->sw)));
	json_object_object_add(r->result, "fdb_max", json_object_new_int64(r->wd->conf.fdb_max));
	json_object_object_add(r->result, "workers", json_object_new_int(r->wd->n_workers));
	json_object_object_add(r->result, "busy_poll", json_object_new_boolean(r->wd->conf.busy_poll));
	/* What a port's "auto" means: warrend --fastpath. */
	json_object_object_add(r->result, "fastpath",
			       json_object_new_string(wr_fastpath_names[r->wd->conf.fastpath]));
	json_object_object_add(r->result, "dpdk", dpdk_json(r->wd));
	json_object_object_add(r->result, "api", server_json(r->wd));
	return 0;
}

static int cmd_stats(struct req *r)
{
	json_object *d = json_object_new_object(), *e = json_object_new_object();
	json_object *ports = json_object_new_array();
	struct wd_switch_counters c;

	wd_switch_counters(r->wd, &c);
	for (int i = 0; i < WR_DROP_COUNT; i++)
		json_object_object_add(d, wr_drop_name((enum wr_drop)i),
				       json_object_new_uint64(wd_drop_total(&c, (enum wr_drop)i)));
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		json_object_object_add(e, wr_event_name((enum wr_event)i),
				       json_object_new_uint64(c.events[i]));
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (r->wd->ports[i].used)
			json_object_array_add(ports, wd_port_stats_json(r->wd, &r->wd->ports[i]));
	json_object_object_add(r->result, "drops", d);
	json_object_object_add(r->result, "events", e);
	json_object_object_add(r->result, "ports", ports);
	json_object_object_add(r->result, "mirrors", wd_mirrors_json(r->wd));
	json_object_object_add(r->result, "fastpath", c.fast ? wd_fastpath_stats_json(&c) : NULL);
	return 0;
}

static int cmd_shutdown(struct req *r)
{
	/* Only a valid request stops the daemon: wr_api_check() ran first. */
	wd_info("shutdown asked through the API");
	atomic_store(&r->wd->stop, true);
	return 0;
}

/* The command of each of wr_api.def's: test_api sends every one. */
static int (*const handlers[WR_CMD_COUNT])(struct req *r) = {
	[WR_CMD_HELLO] = cmd_hello,
	[WR_CMD_HEALTH] = cmd_health,
	[WR_CMD_PORT_ADD] = cmd_port_add,
	[WR_CMD_PORT_SET] = cmd_port_set,
	[WR_CMD_PORT_DEL] = cmd_port_del,
	[WR_CMD_PORT_LIST] = cmd_port_list,
	[WR_CMD_PORT_STATS] = cmd_port_stats,
	[WR_CMD_VLAN_SET] = cmd_vlan_set,
	[WR_CMD_VLAN_DEL] = cmd_vlan_del,
	[WR_CMD_VLAN_LIST] = cmd_vlan_list,
	[WR_CMD_TUNNEL_ADD] = wd_cmd_tunnel_add,
	[WR_CMD_TUNNEL_DEL] = wd_cmd_tunnel_del,
	[WR_CMD_TUNNEL_LIST] = wd_cmd_tunnel_list,
	[WR_CMD_VNI_SET] = wd_cmd_vni_set,
	[WR_CMD_VNI_DEL] = wd_cmd_vni_del,
	[WR_CMD_VTEP_ADD] = wd_cmd_vtep_add,
	[WR_CMD_VTEP_DEL] = wd_cmd_vtep_del,
	[WR_CMD_FDB_SHOW] = cmd_fdb_show,
	[WR_CMD_FDB_ADD] = cmd_fdb_add,
	[WR_CMD_FDB_DEL] = cmd_fdb_del,
	[WR_CMD_FDB_FLUSH] = cmd_fdb_flush,
	[WR_CMD_STEER_ADD] = wd_cmd_steer_add,
	[WR_CMD_STEER_DEL] = wd_cmd_steer_del,
	[WR_CMD_STEER_LIST] = wd_cmd_steer_list,
	[WR_CMD_CHAIN_ADD] = wd_cmd_chain_add,
	[WR_CMD_CHAIN_DEL] = wd_cmd_chain_del,
	[WR_CMD_CHAIN_LIST] = wd_cmd_chain_list,
	[WR_CMD_CHAIN_HOP] = wd_cmd_chain_hop,
	[WR_CMD_TRACE_START] = wd_cmd_trace_start,
	[WR_CMD_TRACE_FRAME] = wd_cmd_trace_frame,
	[WR_CMD_TRACE_SHOW] = wd_cmd_trace_show,
	[WR_CMD_TRACE_STOP] = wd_cmd_trace_stop,
	[WR_CMD_MIRROR_ADD] = wd_cmd_mirror_add,
	[WR_CMD_MIRROR_DEL] = wd_cmd_mirror_del,
	[WR_CMD_MIRROR_LIST] = wd_cmd_mirror_list,
	[WR_CMD_CAPTURE_START] = wd_cmd_capture_start,
	[WR_CMD_SWITCH_SET] = cmd_switch_set,
	[WR_CMD_SWITCH_SHOW] = cmd_switch_show,
	[WR_CMD_STATS] = cmd_stats,
	[WR_CMD_SHUTDOWN] = cmd_shutdown,
};

/* ------------------------------------------------------------- envelope */

static char *reply(json_object *id, int err, const char *msg, json_object *result)
{
	json_object *o = json_object_new_object();
	char *s;

	json_object_object_add(o, "v", json_object_new_int(WR_API_VERSION));
	json_object_object_add(o, "id", id ? json_object_get(id) : NULL);
	json_object_object_add(o, "ok", json_object_new_boolean(err == 0));
	if (err) {
		json_object *e = json_object_new_object();
		const char *code = strerrorname_np(-err);

		json_object_object_add(e, "errno", json_object_new_int(-err));
		json_object_object_add(e, "code", json_object_new_string(code ? code : "EIO"));
		json_object_object_add(e, "message", json_object_new_string(msg[0] ? msg : strerror(-err)));
		json_object_object_add(o, "error", e);
		json_object_put(result);
	} else {
		json_object_object_add(o, "result", result);
	}
	if (asprintf(&s, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		s = NULL;
	json_object_put(o);
	return s;
}

char *wd_api_handle(struct warrend *wd, const char *line, size_t len)
{
	struct req r = { .wd = wd, .result = json_object_new_object() };
	json_object *req, *v, *cmd, *id = NULL;
	enum json_tokener_error jerr;
	json_tokener *tok;
	char *out;
	int c, err = 0;

	/* A capture.start no server took over (tests call this alone): ended. */
	if (wd->cap_claim)
		wd_capture_adopt(wd, -1, NULL);
	if (len == 0 || strspn(line, " \t\r") == len) {
		json_object_put(r.result);
		return NULL;	/* blank lines are keep-alives */
	}
	tok = json_tokener_new();
	req = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	if (req && (size_t)json_tokener_get_parse_end(tok) < len &&
	    strspn(line + json_tokener_get_parse_end(tok), " \t\r") != len - json_tokener_get_parse_end(tok))
		jerr = json_tokener_error_parse_unexpected;
	json_tokener_free(tok);
	if (!req || jerr != json_tokener_success) {
		err = fail(&r, -EPROTO, "not JSON: %s", json_tokener_error_desc(jerr == json_tokener_success ?
						       json_tokener_continue : jerr));
		goto out;
	}
	if (!json_object_is_type(req, json_type_object)) {
		err = fail(&r, -EPROTO, "a request is a JSON object");
		goto out;
	}
	json_object_object_get_ex(req, "id", &id);
	if (!json_object_object_get_ex(req, "v", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != WR_API_VERSION) {
		err = fail(&r, -EPROTO, "\"v\": this warrend speaks API version %d", WR_API_VERSION);
		goto out;
	}
	if (!json_object_object_get_ex(req, "cmd", &cmd) || !json_object_is_type(cmd, json_type_string)) {
		err = fail(&r, -EINVAL, "\"cmd\": required, a string");
		goto out;
	}
	if (!json_object_object_get_ex(req, "args", &r.args) || !r.args)
		r.args = json_object_new_object(), json_object_object_add(req, "args", r.args);
	if (!json_object_is_type(r.args, json_type_object)) {
		err = fail(&r, -EINVAL, "\"args\": an object");
		goto out;
	}
	json_object_object_foreach(req, key, val) {
		(void)val;
		if (strcmp(key, "v") && strcmp(key, "id") && strcmp(key, "cmd") && strcmp(key, "args")) {
			err = fail(&r, -EINVAL, "unknown key '%s' in the request", key);
			goto out;
		}
	}
	c = wr_api_cmd_find(json_object_get_string(cmd));
	if (c < 0)
		err = fail(&r, -EINVAL, "unknown command '%s'", json_object_get_string(cmd));
	else if (!handlers[c])
		err = fail(&r, -ENOSYS, "%s: not served by this warrend", wr_api_cmds[c].name);
	else
		err = wr_api_check((enum wr_api_cmd)c, r.args, r.err, sizeof(r.err));
	if (!err)
		err = handlers[c](&r);
	wd_debug("API %s: %s", json_object_get_string(cmd), err ? r.err : "ok");
out:
	out = reply(id, err, r.err, r.result);
	json_object_put(req);
	return out;
}
