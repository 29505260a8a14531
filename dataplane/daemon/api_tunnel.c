/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_tunnel.c - the tunnel commands of docs/api.md (tunnel.*, vni.*,
 * vtep.*) and a tunnel's JSON. The registry is tunnels.c's.
 */
#include <arpa/inet.h>

#include "api_priv.h"

#define ADD(o, k, v) json_object_object_add(o, k, v)

/* A tunnel named by @key that must exist: 0, or -ENOENT. */
static int arg_tunnel(struct req *r, const char *key, struct wd_tunnel **out)
{
	const char *name = "";

	arg_str(r, key, &name);
	*out = wd_tunnel_find(r->wd, name);
	return *out ? 0 : fail(r, -ENOENT, "tunnel %s: no such tunnel", name);
}

/* An IP key (checked by wr_api_check): its address and family. */
static bool arg_ip(const struct req *r, const char *key, uint8_t ip[16], bool *ipv6)
{
	const char *s;

	return arg_str(r, key, &s) && !wr_ip_parse(s, ip, ipv6);
}

static json_object *ip_json(const uint8_t ip[16], bool ipv6)
{
	char buf[INET6_ADDRSTRLEN];

	return json_object_new_string(wr_ip_text(ip, ipv6, buf, sizeof(buf)));
}

/* VTEP @v, whose counters are @st. */
static json_object *vtep_json(struct warrend *wd, const struct wd_tunnel *t,
			      const struct wd_vtep *v, const struct wr_port_stats *st)
{
	json_object *o = json_object_new_object(), *nh = json_object_new_object();
	const struct wd_port *u = wd_port_find(wd, t->underlay);
	ADD(o, "remote", ip_json(v->ip, t->conf.ipv6));
	ADD(o, "flood", json_object_new_boolean(v->flood));
	ADD(o, "learned", json_object_new_boolean(v->learned));
	ADD(o, "port", json_object_new_int(v->port));
	ADD(nh, "resolved", json_object_new_boolean(v->resolved));
	ADD(nh, "mac", v->resolved ? mac_json(v->nh.mac) : NULL);
	ADD(nh, "via", v->nh.ifindex ? ip_json(v->nh.via, t->conf.ipv6) : NULL);
	ADD(nh, "dev", json_object_new_string(u ? u->dev : ""));
	ADD(nh, "state", json_object_new_string(v->nh.state));
	ADD(nh, "why", json_object_new_string(v->why));
	ADD(o, "nexthop", nh);
	wd_stats_json(o, st);
	return o;
}

/* "known_options" (checked by wr_api_check as options) into @c: geneve, no data, 8 at most. */
static int arg_known(struct req *r, const char *key, struct wr_tunnel_conf *c)
{
	json_object *v = arg(r, key);
	struct wr_gopt o;

	if (!v || !json_object_array_length(v))
		return 0;
	if (c->type != WR_TUNNEL_GENEVE)
		return fail(r, -EINVAL, "known_options: for a geneve tunnel only (this one is %s)",
			    wr_tunnel_type_names[c->type]);
	if (json_object_array_length(v) > WR_GENEVE_KNOWN_MAX)
		return fail(r, -EINVAL, "known_options: %zu given, at most %d",
			    json_object_array_length(v), WR_GENEVE_KNOWN_MAX);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		wr_gopt_parse(json_object_get_string(json_object_array_get_idx(v, i)), &o);
		if (o.len)
			return fail(r, -EINVAL, "known_options[%zu]: CLASS:TYPE only, no data", i);
		c->known[c->n_known].cls = o.cls;
		c->known[c->n_known++].type = o.type;
	}
	return 0;
}

/* The options it sends, and those it received by class and type. */
static void options_json(struct warrend *wd, const struct wd_tunnel *t, json_object *o)
{
	struct wr_tunnel_opt_count rx[WR_TUNNEL_RX_OPTS];
	json_object *sent = json_object_new_array(), *got = json_object_new_array();
	char buf[2 * WR_GENEVE_OPTS_MAX + 16];
	uint64_t other = 0;
	int n = wr_tunnel_rx_options(wd->sw, t->id, rx, &other);

	for (uint8_t i = 0; i < t->conf.n_opts; i++)
		json_object_array_add(sent, json_object_new_string(wr_gopt_text(&t->conf.opts[i], buf,
										 sizeof(buf))));
	for (int i = 0; i < n; i++) {
		json_object *e = json_object_new_object();

		snprintf(buf, sizeof(buf), "%04x", rx[i].cls);
		ADD(e, "class", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "%02x", rx[i].type);
		ADD(e, "type", json_object_new_string(buf));
		ADD(e, "pkts", json_object_new_uint64(rx[i].pkts));
		json_object_array_add(got, e);
	}
	ADD(o, "options", sent);
	sent = json_object_new_array();
	for (uint8_t i = 0; i < t->conf.n_known; i++) {
		snprintf(buf, sizeof(buf), "%04x:%02x", t->conf.known[i].cls, t->conf.known[i].type);
		json_object_array_add(sent, json_object_new_string(buf));
	}
	ADD(o, "known_options", sent);
	ADD(o, "options_rx", got);
	ADD(o, "options_rx_other", json_object_new_uint64(other));
}

static json_object *tunnel_json(struct warrend *wd, const struct wd_tunnel *t)
{
	json_object *o = json_object_new_object(), *vnis = json_object_new_array();
	json_object *vteps = json_object_new_array();
	struct wr_port_stats st[WR_VTEP_MAX], sum;
	/* What the outer headers take: the tenant's frames must fit the rest. */
	uint16_t over = (uint16_t)((t->conf.ipv6 ? 40 : 20) + 8 + 8);

	for (uint8_t i = 0; i < t->conf.n_opts; i++)	/* Geneve's options, with their headers */
		over = (uint16_t)(over + 4 + t->conf.opts[i].len);
	ADD(o, "name", json_object_new_string(t->name));
	ADD(o, "type", json_object_new_string(wr_tunnel_type_names[t->conf.type]));
	ADD(o, "underlay", json_object_new_string(t->underlay));
	ADD(o, "local", ip_json(t->conf.local_ip, t->conf.ipv6));
	ADD(o, "dstport", json_object_new_int(wr_tunnel_port(t->conf.type, t->conf.dst_port)));
	ADD(o, "sport_min", json_object_new_int(t->conf.sport_min ? t->conf.sport_min : 49152));
	ADD(o, "sport_max", json_object_new_int(t->conf.sport_max ? t->conf.sport_max : 65535));
	ADD(o, "udp_csum", json_object_new_boolean(t->conf.udp_csum || t->conf.ipv6));
	ADD(o, "learn_vteps", json_object_new_boolean(t->conf.learn_vteps));
	ADD(o, "mtu", json_object_new_int(t->conf.mtu));
	ADD(o, "tenant_mtu", json_object_new_int(t->conf.mtu > over + 14 ? t->conf.mtu - over - 14 : 0));
	for (uint16_t i = 0; i < t->n_vnis; i++) {
		json_object *v = json_object_new_object();

		ADD(v, "vni", json_object_new_int64(t->vnis[i].vni));
		ADD(v, "bd", json_object_new_int(t->vnis[i].bd));
		json_object_array_add(vnis, v);
	}
	ADD(o, "vnis", vnis);
	options_json(wd, t, o);
	wd_tunnel_counters(wd, t, st, &sum);
	for (int i = 0; i < WR_VTEP_MAX; i++)
		if (t->vteps[i].used)
			json_object_array_add(vteps, vtep_json(wd, t, &t->vteps[i], &st[i]));
	ADD(o, "vteps", vteps);
	wd_stats_json(o, &sum);	/* the tunnel's own: its VTEPs' together */
	return o;
}

/* "options" (checked by wr_api_check) into @c; on VXLAN, refused. */
static int arg_gopts(struct req *r, const char *key, struct wr_tunnel_conf *c)
{
	json_object *v = arg(r, key);

	if (!v || !json_object_array_length(v))
		return 0;
	if (c->type != WR_TUNNEL_GENEVE)
		return fail(r, -EINVAL, "options: for a geneve tunnel only (this one is %s)",
			    wr_tunnel_type_names[c->type]);
	for (size_t i = 0; i < json_object_array_length(v); i++)
		wr_gopt_parse(json_object_get_string(json_object_array_get_idx(v, i)),
			      &c->opts[c->n_opts++]);
	return 0;
}

int wd_cmd_tunnel_add(struct req *r)
{
	struct wd_tunnel_req tr = { 0 };
	const char *s = "";
	int64_t v;
	int e;

	arg_str(r, "name", &s);
	snprintf(tr.name, sizeof(tr.name), "%s", s);
	arg_str(r, "underlay", &s);
	snprintf(tr.underlay, sizeof(tr.underlay), "%s", s);
	e = WR_TUNNEL_VXLAN;
	arg_enum(r, "type", wr_tunnel_type_names, WR_TUNNEL_TYPE_COUNT, &e);
	wr_tunnel_conf_init(&tr.conf, (enum wr_tunnel_type)e);
	arg_ip(r, "local", tr.conf.local_ip, &tr.conf.ipv6);
	if (arg_int(r, "dstport", &v))
		tr.conf.dst_port = (uint16_t)v;
	tr.conf.sport_min = 49152;
	tr.conf.sport_max = 65535;
	if (arg_int(r, "sport_min", &v))
		tr.conf.sport_min = (uint16_t)v;
	if (arg_int(r, "sport_max", &v))
		tr.conf.sport_max = (uint16_t)v;
	if (tr.conf.sport_min > tr.conf.sport_max)
		return fail(r, -EINVAL, "sport_min %u is above sport_max %u", tr.conf.sport_min,
			    tr.conf.sport_max);
	arg_bool(r, "udp_csum", &tr.conf.udp_csum);
	arg_bool(r, "learn_vteps", &tr.conf.learn_vteps);
	if ((e = arg_gopts(r, "options", &tr.conf)) || (e = arg_known(r, "known_options", &tr.conf)))
		return e;
	e = wd_tunnel_add(r->wd, &tr, r->err, sizeof(r->err));
	if (e)
		return e;
	json_object_put(r->result);
	r->result = tunnel_json(r->wd, wd_tunnel_find(r->wd, tr.name));
	return 0;
}

int wd_cmd_tunnel_del(struct req *r)
{
	struct wd_tunnel *t;
	int err;

	if ((err = arg_tunnel(r, "tunnel", &t)))
		return err;
	err = wd_tunnel_del(r->wd, t);
	return err ? fail(r, err, "tunnel %s: %s", t->name, strerror(-err)) : 0;
}

int wd_cmd_tunnel_list(struct req *r)
{
	json_object *a = json_object_new_array();
	struct wd_tunnel *one = NULL;
	int err;

	ADD(r->result, "tunnels", a);
	if (arg(r, "tunnel") && (err = arg_tunnel(r, "tunnel", &one)))
		return err;
	for (int i = 0; i < WR_TUNNEL_MAX; i++) {
		struct wd_tunnel *t = &r->wd->tunnels[i];

		if (t->used && (!one || one == t))
			json_object_array_add(a, tunnel_json(r->wd, t));
	}
	return 0;
}

int wd_cmd_vni_set(struct req *r)
{
	struct wd_tunnel *t;
	int64_t vni = 0, bd = 0;
	int err;

	if ((err = arg_tunnel(r, "tunnel", &t)))
		return err;
	arg_int(r, "vni", &vni);
	arg_int(r, "bd", &bd);
	return wd_tunnel_vni(r->wd, t, (uint32_t)vni, (uint16_t)bd, r->err, sizeof(r->err));
}

int wd_cmd_vni_del(struct req *r)
{
	struct wd_tunnel *t;
	int64_t vni = 0;
	int err;

	if ((err = arg_tunnel(r, "tunnel", &t)))
		return err;
	arg_int(r, "vni", &vni);
	return wd_tunnel_vni(r->wd, t, (uint32_t)vni, 0, r->err, sizeof(r->err));
}

int wd_cmd_vtep_add(struct req *r)
{
	struct wd_tunnel *t;
	bool ipv6 = false, flood = true;
	uint8_t ip[16] = { 0 };
	int err;

	if ((err = arg_tunnel(r, "tunnel", &t)))
		return err;
	arg_ip(r, "remote", ip, &ipv6);
	arg_bool(r, "flood", &flood);
	return wd_vtep_add(r->wd, t, ip, ipv6, flood, r->err, sizeof(r->err));
}

int wd_cmd_vtep_del(struct req *r)
{
	char addr[INET6_ADDRSTRLEN];
	struct wd_tunnel *t;
	struct wd_vtep *v;
	uint8_t ip[16] = { 0 };
	bool ipv6 = false;
	int err;

	if ((err = arg_tunnel(r, "tunnel", &t)))
		return err;
	arg_ip(r, "remote", ip, &ipv6);
	v = ipv6 == t->conf.ipv6 ? wd_vtep_find(t, ip) : NULL;
	if (!v)
		return fail(r, -ENOENT, "tunnel %s: remote %s: no such VTEP", t->name,
			    wr_ip_text(ip, ipv6, addr, sizeof(addr)));
	err = wd_vtep_del(r->wd, t, v);
	return err ? fail(r, err, "tunnel %s: remote %s: %s", t->name,
			  wr_ip_text(ip, ipv6, addr, sizeof(addr)), strerror(-err)) : 0;
}

int wd_fdb_target(struct req *r, uint16_t *port, char *what, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	struct wd_tunnel *t;
	struct wd_port *p;
	struct wd_vtep *v;
	uint8_t ip[16] = { 0 };
	bool ipv6 = false;
	const char *s = "";

	arg_str(r, "port", &s);
	t = wd_tunnel_find(r->wd, s);
	if (!t) {
		int err = arg_port(r, "port", &p);

		if (err)
			return err;
		if (arg(r, "remote"))
			return fail(r, -EINVAL, "remote: for a tunnel only, and %s is a port", s);
		*port = p->index;
		snprintf(what, size, "port %s", p->name);
		return 0;
	}
	if (!arg_ip(r, "remote", ip, &ipv6))
		return fail(r, -EINVAL, "remote: required when the port is a tunnel (%s)", s);
	v = ipv6 == t->conf.ipv6 ? wd_vtep_find(t, ip) : NULL;
	if (!v)
		return fail(r, -ENOENT, "tunnel %s: remote %s: no such VTEP", t->name,
			    wr_ip_text(ip, ipv6, addr, sizeof(addr)));
	*port = v->port;
	snprintf(what, size, "tunnel %s's VTEP %s", t->name, wr_ip_text(ip, ipv6, addr, sizeof(addr)));
	return 0;
}

void wd_fdb_entry_where(struct warrend *wd, uint16_t index, json_object *o)
{
	const struct wd_port *p = wd_port_by_index(wd, index);
	const struct wd_tunnel *t;
	struct wd_vtep *v;

	if (p) {
		ADD(o, "port", json_object_new_string(p->name));
		return;
	}
	t = wd_vtep_by_port(wd, index, &v);
	ADD(o, "port", t ? json_object_new_string(t->name) : NULL);
	if (t)
		ADD(o, "remote", ip_json(v->ip, t->conf.ipv6));
}
