/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api.c - the requests of docs/api.md: one table of commands, each with
 * the argument keys it takes, and the reply envelope. A bad request gets
 * an error reply naming what is wrong; nothing else changes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warrend.h"
#include "wr_bpf.h"

#define ERR_MAX 256

struct req {
	struct warrend *wd;
	json_object *args;	/* never NULL */
	json_object *result;	/* the handler fills it */
	char err[ERR_MAX];
};

__attribute__((format(printf, 3, 4)))
static int fail(struct req *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return err;
}

/* ------------------------------------------------------------- arguments */

static json_object *arg(const struct req *r, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(r->args, key, &v) ? v : NULL;
}

/* 0 and *out, 1 when absent, -EINVAL when not an integer in [min, max]. */
static int arg_int(struct req *r, const char *key, int64_t min, int64_t max, int64_t *out)
{
	json_object *v = arg(r, key);

	if (!v)
		return 1;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < min ||
	    json_object_get_int64(v) > max)
		return fail(r, -EINVAL, "%s: an integer from %lld to %lld", key, (long long)min,
			    (long long)max);
	*out = json_object_get_int64(v);
	return 0;
}

static int arg_str(struct req *r, const char *key, size_t max, const char **out)
{
	json_object *v = arg(r, key);

	if (!v)
		return 1;
	if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0 ||
	    (size_t)json_object_get_string_len(v) >= max)
		return fail(r, -EINVAL, "%s: a string of 1 to %zu characters", key, max - 1);
	*out = json_object_get_string(v);
	return 0;
}

static int arg_bool(struct req *r, const char *key, bool *out)
{
	json_object *v = arg(r, key);

	if (!v)
		return 1;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(r, -EINVAL, "%s: true or false", key);
	*out = json_object_get_boolean(v);
	return 0;
}

static int arg_mac(struct req *r, const char *key, uint8_t mac[6])
{
	const char *s;
	unsigned int b[6];
	char end;
	int err = arg_str(r, key, 18, &s);

	if (err)
		return err > 0 ? fail(r, -EINVAL, "%s: required", key) : err;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6)
		return fail(r, -EINVAL, "%s '%s': a MAC address such as 02:00:00:00:00:01", key, s);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* A required port name that exists. */
static int arg_port(struct req *r, const char *key, struct wd_port **out)
{
	const char *name;
	int err = arg_str(r, key, WD_PORT_NAME_MAX, &name);

	if (err)
		return err > 0 ? fail(r, -EINVAL, "%s: required", key) : err;
	*out = wd_port_find(r->wd, name);
	if (!*out)
		return fail(r, -ENOENT, "port %s: no such port", name);
	return 0;
}

/* [10, "20-29"] into the trunk bitmap. */
static int arg_vlans(struct req *r, const char *key, uint64_t *bits)
{
	json_object *v = arg(r, key);
	size_t n;

	if (!v)
		return 1;
	if (!json_object_is_type(v, json_type_array))
		return fail(r, -EINVAL, "%s: an array of VLAN ids and \"LO-HI\" ranges", key);
	memset(bits, 0, WR_VLAN_MAX / 8);
	n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		int lo, hi;
		char end;

		if (json_object_is_type(e, json_type_int)) {
			lo = hi = (int)json_object_get_int64(e);
			if (json_object_get_int64(e) != lo)
				lo = hi = -1;
		} else if (!json_object_is_type(e, json_type_string) ||
			   sscanf(json_object_get_string(e), "%d-%d%c", &lo, &hi, &end) != 2) {
			return fail(r, -EINVAL, "%s[%zu]: a VLAN id or \"LO-HI\"", key, i);
		}
		if (lo < 1 || hi > WR_VLAN_MAX - 2 || hi < lo)
			return fail(r, -EINVAL, "%s[%zu]: VLAN ids are 1 to 4094", key, i);
		for (int k = lo; k <= hi; k++)
			bits[k / 64] |= 1ull << (k % 64);
	}
	return 0;
}

static int check_keys(struct req *r, const char *const *keys)
{
	json_object_object_foreach(r->args, key, val) {
		const char *const *k = keys;

		(void)val;
		while (*k && strcmp(*k, key))
			k++;
		if (!*k)
			return fail(r, -EINVAL, "unknown argument '%s'", key);
	}
	return 0;
}

#define CONF_KEYS "bd", "vlan_mode", "access_vlan", "allowed", "native_vlan", "learning", \
	"mac_limit", "fastpath"

/* "fastpath": into *@m if present. 0, 1 if absent, or -EINVAL. */
static int arg_fastpath(struct req *r, enum wd_fp_mode *m)
{
	const char *s;
	int err = arg_str(r, "fastpath", 8, &s), v;

	if (err)
		return err;
	v = wd_fp_mode_parse(s);
	if (v < 0)
		return fail(r, -EINVAL, "fastpath '%s': xdp, tc, off or auto", s);
	*m = (enum wd_fp_mode)v;
	return 0;
}

/* The keys of a port's configuration that are present, applied onto *c. */
static int parse_conf(struct req *r, struct wr_port_conf *c)
{
	const char *mode;
	int64_t v;
	bool b;
	int err;

	if ((err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &v)) < 0)
		return err;
	if (!err)
		c->bd = (uint16_t)v;
	if ((err = arg_str(r, "vlan_mode", 8, &mode)) < 0)
		return err;
	if (!err) {
		if (!strcmp(mode, "none"))
			c->vlan_mode = WR_VLAN_NONE;
		else if (!strcmp(mode, "access"))
			c->vlan_mode = WR_VLAN_ACCESS;
		else if (!strcmp(mode, "trunk"))
			c->vlan_mode = WR_VLAN_TRUNK;
		else
			return fail(r, -EINVAL, "vlan_mode '%s': none, access or trunk", mode);
	}
	if ((err = arg_int(r, "access_vlan", 1, WR_VLAN_MAX - 2, &v)) < 0)
		return err;
	if (!err)
		c->access_vlan = (uint16_t)v;
	if ((err = arg_int(r, "native_vlan", 0, WR_VLAN_MAX - 2, &v)) < 0)
		return err;
	if (!err)
		c->native_vlan = (uint16_t)v;
	if ((err = arg_vlans(r, "allowed", c->allowed)) < 0)
		return err;
	if ((err = arg_bool(r, "learning", &b)) < 0)
		return err;
	if (!err)
		c->learning = b;
	if ((err = arg_int(r, "mac_limit", 0, UINT32_MAX, &v)) < 0)
		return err;
	if (!err)
		c->mac_limit = (uint32_t)v;
	if (c->vlan_mode == WR_VLAN_ACCESS && c->access_vlan == 0)
		return fail(r, -EINVAL, "vlan_mode access needs access_vlan");
	return 0;
}

/* --------------------------------------------------------------- commands */

static int cmd_hello(struct req *r)
{
	if (check_keys(r, (const char *const[]){ NULL }))
		return -EINVAL;
	json_object_object_add(r->result, "api", json_object_new_int(WD_API_VERSION));
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

	if (check_keys(r, (const char *const[]){ NULL }))
		return -EINVAL;
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
	static const char *const keys[] = { "name", "type", "netns", "dev", "queue", "zerocopy",
					    "devargs", CONF_KEYS, NULL };
	struct wd_port p = { .zerocopy = -1, .fastpath = WD_FP_AUTO };
	const char *s;
	int64_t v;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_str(r, "name", WD_PORT_NAME_MAX, &s)))
		return err > 0 ? fail(r, -EINVAL, "name: required") : err;
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
	    strlen(s))
		return fail(r, -EINVAL, "name '%s': only A-Z a-z 0-9 _ . -", s);
	strcpy(p.name, s);
	strcpy(p.dev, s);
	if ((err = arg_str(r, "type", 8, &s)) < 0)
		return err;
	if (!err && !strcmp(s, "tap"))
		p.type = WD_PORT_TAP;
	else if (!err && !strcmp(s, "dpdk"))
		p.type = WD_PORT_DPDK;
	else if (!err && strcmp(s, "afxdp"))
		return fail(r, -EINVAL, "type '%s': afxdp, tap or dpdk", s);
	if ((err = arg_str(r, "netns", WD_NETNS_MAX, &s)) < 0)
		return err;
	if (!err)
		strcpy(p.netns, s);
	if ((err = arg_str(r, "dev", WD_PORT_NAME_MAX, &s)) < 0)
		return err;
	if (!err)
		strcpy(p.dev, s);
	if ((err = arg_int(r, "queue", 0, 4095, &v)) < 0)
		return err;
	if (!err)
		p.queue = (uint32_t)v;
	if ((err = arg_str(r, "zerocopy", 8, &s)) < 0)
		return err;
	if (!err && strcmp(s, "auto"))
		p.zerocopy = !strcmp(s, "on") ? 1 : !strcmp(s, "off") ? 0 : -2;
	if (p.zerocopy == -2)
		return fail(r, -EINVAL, "zerocopy '%s': auto, on or off", s);
	if (p.type != WD_PORT_AFXDP && (arg(r, "queue") || arg(r, "zerocopy")))
		return fail(r, -EINVAL, "queue and zerocopy are for afxdp ports");
	if ((err = arg_str(r, "devargs", WD_DEVARGS_MAX, &s)) < 0)
		return err;
	if (!err && p.type != WD_PORT_DPDK)
		return fail(r, -EINVAL, "devargs is for dpdk ports");
	if (!err)
		strcpy(p.devargs, s);
	if (p.type == WD_PORT_DPDK && !p.devargs[0])
		return fail(r, -EINVAL, "devargs: required for a dpdk port (net_tap0,iface=dt0, "
			    "0000:03:00.0, ...)");
	if (p.type == WD_PORT_DPDK && arg(r, "dev"))
		return fail(r, -EINVAL, "dev: a dpdk port's device is its devargs");
	if ((err = arg_fastpath(r, &p.fastpath)) < 0)
		return err;
	if (p.type == WD_PORT_DPDK && (p.fastpath == WD_FP_XDP || p.fastpath == WD_FP_TC))
		return fail(r, -EINVAL, "fastpath %s: dpdk ports have no kernel fast path",
			    wd_fp_mode_name(p.fastpath));
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

static int cmd_port_set(struct req *r)
{
	static const char *const keys[] = { "port", "up", CONF_KEYS, NULL };
	struct wd_port *p;
	struct wr_port_conf c;
	enum wd_fp_mode fpm;
	bool up;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_port(r, "port", &p)))
		return err;
	c = p->conf;
	if ((err = parse_conf(r, &c)))
		return err;
	if ((err = arg_bool(r, "up", &up)) < 0)
		return err;
	fpm = p->fastpath;
	if ((err = arg_fastpath(r, &fpm)) < 0)
		return err;
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
	if (arg(r, "up")) {
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
	static const char *const keys[] = { "port", NULL };
	struct wd_port *p;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_port(r, "port", &p)))
		return err;
	return wd_port_del(r->wd, p);
}

/* port.list and port.stats: one port or all. */
static int each_port(struct req *r, json_object *(*fn)(struct warrend *, const struct wd_port *))
{
	static const char *const keys[] = { "port", NULL };
	json_object *a = json_object_new_array();
	struct wd_port *one = NULL;
	int err;

	json_object_object_add(r->result, "ports", a);
	if (check_keys(r, keys))
		return -EINVAL;
	if (arg(r, "port") && (err = arg_port(r, "port", &one)))
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
	static const char *const keys[] = { "vlan", "bd", NULL };
	int64_t vlan, bd;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_int(r, "vlan", 1, WR_VLAN_MAX - 2, &vlan)) ||
	    (err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &bd)))
		return err > 0 ? fail(r, -EINVAL, "vlan and bd are required") : err;
	err = wr_switch_vlan_bd(r->wd->sw, (uint16_t)vlan, (uint16_t)bd);
	if (err)
		return fail(r, err, "vlan %lld: %s", (long long)vlan, strerror(-err));
	r->wd->vlan_bd[vlan] = (uint16_t)bd;
	if (r->wd->fp)
		wd_fastpath_vlan(r->wd->fp, (uint16_t)vlan, (uint16_t)bd);
	return 0;
}

static int cmd_vlan_del(struct req *r)
{
	static const char *const keys[] = { "vlan", NULL };
	int64_t vlan;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_int(r, "vlan", 1, WR_VLAN_MAX - 2, &vlan)))
		return err > 0 ? fail(r, -EINVAL, "vlan: required") : err;
	if (!r->wd->vlan_bd[vlan])
		return fail(r, -ENOENT, "vlan %lld: not mapped (it is in bridge domain %lld)",
			    (long long)vlan, (long long)vlan);
	r->wd->vlan_bd[vlan] = 0;
	if (r->wd->fp)
		wd_fastpath_vlan(r->wd->fp, (uint16_t)vlan, (uint16_t)vlan);
	return wr_switch_vlan_bd(r->wd->sw, (uint16_t)vlan, (uint16_t)vlan);
}

static int cmd_vlan_list(struct req *r)
{
	json_object *a = json_object_new_array();

	for (int v = 1; v < WR_VLAN_MAX; v++)
		if (r->wd->vlan_bd[v]) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "vlan", json_object_new_int(v));
			json_object_object_add(o, "bd", json_object_new_int(r->wd->vlan_bd[v]));
			json_object_array_add(a, o);
		}
	json_object_object_add(r->result, "vlans", a);
	return check_keys(r, (const char *const[]){ NULL });
}

struct fdb_walk {
	struct warrend *wd;
	json_object *a;
	int64_t bd;		/* -1: any */
	int port;		/* -1: any */
};

static int fdb_entry_json(const struct wr_fdb_entry *e, void *arg)
{
	struct fdb_walk *fw = arg;
	const struct wd_port *p;
	json_object *o;
	char mac[18];

	if ((fw->bd >= 0 && e->bd != fw->bd) || (fw->port >= 0 && e->port != fw->port))
		return 0;
	p = wd_port_by_index(fw->wd, e->port);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1],
		 e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
	o = json_object_new_object();
	json_object_object_add(o, "bd", json_object_new_int(e->bd));
	json_object_object_add(o, "mac", json_object_new_string(mac));
	json_object_object_add(o, "port", p ? json_object_new_string(p->name) : NULL);
	json_object_object_add(o, "static", json_object_new_boolean(e->is_static));
	json_object_object_add(o, "age_s", json_object_new_int64(e->age_s));
	json_object_array_add(fw->a, o);
	return 0;
}

static int cmd_fdb_show(struct req *r)
{
	static const char *const keys[] = { "bd", "port", NULL };
	struct fdb_walk fw = { .wd = r->wd, .bd = -1, .port = -1 };
	struct wd_port *p;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &fw.bd)) < 0)
		return err;
	if (arg(r, "port")) {
		if ((err = arg_port(r, "port", &p)))
			return err;
		fw.port = p->index;
	}
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
	static const char *const keys[] = { "mac", "port", "bd", NULL };
	struct wd_port *p;
	uint8_t mac[6];
	int64_t bd;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_mac(r, "mac", mac)) || (err = arg_port(r, "port", &p)))
		return err;
	bd = 0;		/* the port's bridge domain */
	if ((err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &bd)) < 0)
		return err;
	err = wr_fdb_add_static(r->wd->sw, (uint16_t)bd, mac, p->index);
	if (err == -EAGAIN)	/* a worker was busy; the tick frees room */
		err = fail(r, err, "fdb: the table is reorganising; try again");
	else if (err == -EXDEV && bd)
		err = fail(r, err, "fdb %s: port %s is not in bridge domain %lld",
			   json_object_get_string(arg(r, "mac")), p->name, (long long)bd);
	else if (err == -EXDEV)
		err = fail(r, err, "fdb %s: port %s is in several bridge domains (or none): "
			   "say which with bd", json_object_get_string(arg(r, "mac")), p->name);
	else if (err)
		err = fail(r, err, "fdb %s bd %lld: %s", json_object_get_string(arg(r, "mac")),
			   (long long)bd, err == -EINVAL ? "not a unicast address" : strerror(-err));
	return err;
}

static int cmd_fdb_del(struct req *r)
{
	static const char *const keys[] = { "mac", "bd", NULL };
	uint8_t mac[6];
	int64_t bd = 1;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_mac(r, "mac", mac)) || (err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &bd)) < 0)
		return err;
	err = wr_fdb_del(r->wd->sw, (uint16_t)bd, mac);
	if (err)
		return fail(r, err, "fdb %s bd %lld: %s", json_object_get_string(arg(r, "mac")),
			    (long long)bd, err == -ENOENT ? "no such entry" : strerror(-err));
	return 0;
}

static int cmd_fdb_flush(struct req *r)
{
	static const char *const keys[] = { "port", "bd", "all", NULL };
	uint32_t before = wr_fdb_count(r->wd->sw);
	struct wd_port *p;
	bool all = false;
	int64_t bd = -1;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_bool(r, "all", &all)) < 0 || (err = arg_int(r, "bd", 1, WR_BD_MAX - 1, &bd)) < 0)
		return err;
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
	static const char *const keys[] = { "age_s", NULL };
	int64_t age;
	int err;

	if (check_keys(r, keys))
		return -EINVAL;
	if ((err = arg_int(r, "age_s", 0, 86400 * 365, &age)) < 0)
		return err;
	if (!err)
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

static int cmd_switch_show(struct req *r)
{
	json_object_object_add(r->result, "age_s", json_object_new_int64(wr_switch_age(r->wd->sw)));
	json_object_object_add(r->result, "fdb_max", json_object_new_int64(r->wd->conf.fdb_max));
	json_object_object_add(r->result, "workers", json_object_new_int(r->wd->n_workers));
	json_object_object_add(r->result, "busy_poll", json_object_new_boolean(r->wd->conf.busy_poll));
	/* What a port's "auto" means: warrend --fastpath. */
	json_object_object_add(r->result, "fastpath",
			       json_object_new_string(wd_fp_mode_name(r->wd->conf.fastpath)));
	json_object_object_add(r->result, "dpdk", dpdk_json(r->wd));
	return check_keys(r, (const char *const[]){ NULL });
}

static int cmd_stats(struct req *r)
{
	uint64_t drops[WR_DROP_COUNT] = { 0 }, events[WR_EVENT_COUNT] = { 0 };
	json_object *d = json_object_new_object(), *e = json_object_new_object();
	json_object *ports = json_object_new_array();

	struct wr_bpf_stats k;
	bool fast = r->wd->fp && !wd_fastpath_stats(r->wd->fp, &k);

	wr_switch_counters(r->wd->sw, drops, events);
	/* The switch's totals: the kernel's drops are the switch's too. */
	for (int i = 0; fast && i < WR_DROP_COUNT && i < WR_BPF_DROP_COUNT; i++)
		drops[i] += k.drops[i];
	for (int i = 0; i < WR_DROP_COUNT; i++)
		json_object_object_add(d, wr_drop_name((enum wr_drop)i), json_object_new_uint64(drops[i]));
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		json_object_object_add(e, wr_event_name((enum wr_event)i),
				       json_object_new_uint64(events[i]));
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (r->wd->ports[i].used)
			json_object_array_add(ports, wd_port_stats_json(r->wd, &r->wd->ports[i]));
	json_object_object_add(r->result, "drops", d);
	json_object_object_add(r->result, "events", e);
	json_object_object_add(r->result, "ports", ports);
	json_object_object_add(r->result, "fastpath", fast ? wd_fastpath_stats_json(r->wd->fp, &k) : NULL);
	return check_keys(r, (const char *const[]){ NULL });
}

static int cmd_shutdown(struct req *r)
{
	wd_info("shutdown asked through the API");
	atomic_store(&r->wd->stop, true);
	return check_keys(r, (const char *const[]){ NULL });
}

static const struct {
	const char *name;
	int (*fn)(struct req *r);
} cmds[] = {
	{ "hello", cmd_hello },
	{ "health", cmd_health },
	{ "port.add", cmd_port_add },
	{ "port.set", cmd_port_set },
	{ "port.del", cmd_port_del },
	{ "port.list", cmd_port_list },
	{ "port.stats", cmd_port_stats },
	{ "vlan.set", cmd_vlan_set },
	{ "vlan.del", cmd_vlan_del },
	{ "vlan.list", cmd_vlan_list },
	{ "fdb.show", cmd_fdb_show },
	{ "fdb.add", cmd_fdb_add },
	{ "fdb.del", cmd_fdb_del },
	{ "fdb.flush", cmd_fdb_flush },
	{ "switch.set", cmd_switch_set },
	{ "switch.show", cmd_switch_show },
	{ "stats", cmd_stats },
	{ "shutdown", cmd_shutdown },
};

/* ------------------------------------------------------------- envelope */

static char *reply(json_object *id, int err, const char *msg, json_object *result)
{
	json_object *o = json_object_new_object();
	char *s;

	json_object_object_add(o, "v", json_object_new_int(WD_API_VERSION));
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
	int err = 0;

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
	    json_object_get_int64(v) != WD_API_VERSION) {
		err = fail(&r, -EPROTO, "\"v\": this warrend speaks API version %d", WD_API_VERSION);
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
	err = -EINVAL;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, json_object_get_string(cmd))) {
			err = cmds[i].fn(&r);
			break;
		}
	if (err == -EINVAL && !r.err[0])
		fail(&r, err, "unknown command '%s'", json_object_get_string(cmd));
	wd_debug("API %s: %s", json_object_get_string(cmd), err ? r.err : "ok");
out:
	out = reply(id, err, r.err, r.result);
	json_object_put(req);
	return out;
}
