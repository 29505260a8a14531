/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_chain.c - the service chain commands of docs/api.md (chain.*): a
 * request's classifier and hops made the switch's wr_chain_conf (ports by
 * name to their indices), the switch's refusals said with the port and the
 * chain they concern, and the chains with their hops' state and counters.
 * A chain's ports cannot be deleted or remade while it lives (api.c asks
 * wd_chain_of_port()), so the indices it holds stay theirs.
 */
#include "api_priv.h"

#define ADD(o, k, v) json_object_object_add(o, k, v)

/* A port's name by its index (a chain's ports stay while it lives). */
static const char *port_name(struct warrend *wd, uint16_t index)
{
	const struct wd_port *p = wd_port_by_index(wd, index);

	return p ? p->name : "?";
}

int wd_chain_get(struct warrend *wd, int id, struct wr_chain_info *info)
{
	int err = wr_chain_get(wd->sw, id, info);

	/* What the kernel fast path carried, counted as the workers count theirs. */
	for (int h = 0; !err && wd->fp && h < info->conf.n_hops; h++)
		for (int d = 0; d < WR_CHAIN_DIRS; d++) {
			struct wr_bpf_chain_stats k;

			if (wd_fastpath_chain_stats(wd->fp, id, h, d, &k))
				continue;
			if (h == 0)
				info->matched[d] += k.matched;
			info->hop[h].st[d].into += k.into;
			info->hop[h].st[d].back += k.back;
			info->hop[h].st[d].bypassed += k.bypassed;
			info->hop[h].st[d].dropped += k.dropped;
		}
	return err;
}

const char *wd_chain_of_port(struct warrend *wd, const struct wd_port *p)
{
	static struct wr_chain_info info;
	int id = wr_chain_of_port(wd->sw, p->index);

	return id >= 0 && !wr_chain_get(wd->sw, id, &info) ? info.conf.name : NULL;
}

/* "N" or "LO-HI" (wr_api_check() saw it) into *@lo, *@hi. */
static void arg_range(const struct req *r, const char *key, uint16_t *lo, uint16_t *hi)
{
	json_object *v = arg(r, key);

	if (json_object_is_type(v, json_type_int))
		*lo = *hi = (uint16_t)json_object_get_int64(v);
	else
		wr_range_scan(json_object_get_string(v), 0, 65535, lo, hi);
}

int wd_arg_class(struct req *r, const char *what, struct wr_chain_class *k, bool need_one)
{
	static const struct {
		const char *key;
		uint32_t field;
	} fields[] = {
		{ "in_port", WR_CHAIN_F_IN_PORT }, { "vlan", WR_CHAIN_F_VLAN },
		{ "src_mac", WR_CHAIN_F_SRC_MAC }, { "dst_mac", WR_CHAIN_F_DST_MAC },
		{ "src", WR_CHAIN_F_SRC_NET }, { "dst", WR_CHAIN_F_DST_NET },
		{ "proto", WR_CHAIN_F_PROTO }, { "src_port", WR_CHAIN_F_SPORT },
		{ "dst_port", WR_CHAIN_F_DPORT },
	};
	const char *s;
	struct wd_port *p;
	int64_t v;
	bool v6;
	int err;

	memset(k, 0, sizeof(*k));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (arg(r, fields[i].key))
			k->fields |= fields[i].field;
	if (!k->fields && need_one)
		return fail(r, -EINVAL, "%s: no classifier: give one of in_port, vlan, src_mac, "
			    "dst_mac, src, dst, proto, src_port or dst_port", what);
	if ((err = arg_port(r, "in_port", &p)) < 0)
		return err;
	if (!err)
		k->in_port = p->index;
	if (arg_int(r, "vlan", &v))
		k->vlan = (uint16_t)v;
	arg_mac(r, "src_mac", k->src_mac);
	arg_mac(r, "dst_mac", k->dst_mac);
	if (arg_str(r, "src", &s)) {
		wr_prefix_parse(s, k->src_ip, &v6, &k->src_len);
		k->ip_version = v6 ? 6 : 4;
	}
	if (arg_str(r, "dst", &s)) {
		wr_prefix_parse(s, k->dst_ip, &v6, &k->dst_len);
		if (k->ip_version && k->ip_version != (v6 ? 6 : 4))
			return fail(r, -EINVAL, "%s: src and dst: one IPv4 and one IPv6 prefix "
				    "(a packet has one version)", what);
		k->ip_version = v6 ? 6 : 4;
	}
	if (arg_int(r, "proto", &v))
		k->proto = (uint8_t)v;
	if (arg(r, "src_port"))
		arg_range(r, "src_port", &k->sport_lo, &k->sport_hi);
	if (arg(r, "dst_port"))
		arg_range(r, "dst_port", &k->dport_lo, &k->dport_hi);
	return 0;
}

/* Hop port @name of hop @h: one that may be; its index into *@index. */
static int hop_port(struct req *r, const char *chain, int h, const char *name, uint16_t *index)
{
	struct wd_port *p = wd_port_find(r->wd, name);
	const char *other;

	if (!p)
		return fail(r, -ENOENT, "chain %s: hop %d: port %s: no such port", chain, h, name);
	if ((other = wd_chain_of_port(r->wd, p)))
		return fail(r, -EBUSY, "chain %s: hop %d: port %s: a port of chain %s already",
			    chain, h, name, other);
	if (wd_tunnel_on(r->wd, p))
		return fail(r, -EBUSY, "chain %s: hop %d: port %s: the underlay of tunnel %s",
			    chain, h, name, wd_tunnel_on(r->wd, p)->name);
	if (wd_steer_rules_to(r->wd, name))
		return fail(r, -EBUSY, "chain %s: hop %d: port %s: steering rules send to it "
			    "(delete them first)", chain, h, name);
	if (p->conf.vlan_mode != WR_VLAN_NONE)
		return fail(r, -EINVAL, "chain %s: hop %d: port %s: a port of VLANs (vlan %s); a "
			    "hop port is untagged", chain, h, name,
			    wr_vlan_mode_names[p->conf.vlan_mode]);
	*index = p->index;
	return 0;
}

/* Hop @hr's probe into @p (wr_api_check() saw its keys fit): whether it has one. */
static bool arg_probe(const struct req *hr, struct wd_probe_conf *p)
{
	const char *s = "";
	int64_t v;
	int e;

	memset(p, 0, sizeof(*p));
	if (!arg_enum(hr, "probe", wr_probe_kind_names, WR_PROBE_KIND_COUNT, &e))
		return false;
	p->kind = (enum wr_probe_kind)e;
	arg_str(hr, "target", &s);
	wr_ip_parse(s, p->ip, &p->ipv6);
	if (arg_int(hr, "target_port", &v))
		p->port = (uint16_t)v;
	if (arg_str(hr, "netns", &s))
		snprintf(p->netns, sizeof(p->netns), "%s", s);
	p->interval_ms = arg_int(hr, "interval_ms", &v) ? (uint32_t)v : WR_PROBE_INTERVAL_MS;
	p->timeout_ms = arg_int(hr, "timeout_ms", &v) ? (uint32_t)v :
			wr_probe_timeout_ms(p->interval_ms);
	p->fails = arg_int(hr, "fails", &v) ? (uint32_t)v : WR_PROBE_FAILS;
	p->passes = arg_int(hr, "passes", &v) ? (uint32_t)v : WR_PROBE_PASSES;
	return true;
}

/*
 * The MAC an l3 hop's frames take going in by @port (@key of hop @hr, else
 * the far end of the port's veth: the router's interface); 0 or -EINVAL
 * with r->err. An l2 hop takes none.
 */
static int hop_mac(struct req *r, const struct req *hr, const struct wr_chain_conf *c, int h,
		   const char *key, uint16_t port, uint8_t mac[6])
{
	const struct wd_port *p = wd_port_by_index(r->wd, port);
	struct wr_endpoint_report rep;
	char b[18];

	if (c->hops[h].kind != WR_CHAIN_L3) {
		if (arg(hr, key))
			return fail(r, -EINVAL, "chain %s: hop %d: %s: only an l3 hop takes one "
				    "(kind l3)", c->name, h, key);
		return 0;
	}
	if (arg(hr, key))
		arg_mac(hr, key, mac);
	else if (wr_endpoint_probe(p->netns, p->dev, &rep) || !rep.veth || !rep.peer_found)
		return fail(r, -EINVAL, "chain %s: hop %d: port %s: its device %s is not a veth "
			    "whose far end warrend can see: give %s", c->name, h, p->name, p->dev,
			    key);
	else
		memcpy(mac, rep.peer_mac, 6);
	if ((mac[0] & 1) || !memcmp(mac, (uint8_t[6]){ 0 }, 6))
		return fail(r, -EINVAL, "chain %s: hop %d: %s %s: not a unicast MAC", c->name, h,
			    key, mac_text(mac, b));
	return 0;
}

/* The hops of @r into @c, their probes into @probes where @probed; 0 or -errno with r->err. */
static int arg_hops(struct req *r, struct wr_chain_conf *c, struct wd_probe_conf *probes,
		    bool *probed)
{
	json_object *hops = arg(r, "hops");
	int e, err;

	c->n_hops = (uint8_t)json_object_array_length(hops);
	for (int h = 0; h < c->n_hops; h++) {
		struct req hr = { .wd = r->wd, .args = json_object_array_get_idx(hops, (size_t)h) };
		struct wr_chain_hop *hop = &c->hops[h];
		const char *in = "", *out = "";

		arg_str(&hr, "in", &in);
		arg_str(&hr, "out", &out);
		hop->kind = WR_CHAIN_L2;
		hop->fail = WR_CHAIN_FAIL_OPEN;
		if (arg_enum(&hr, "kind", wr_chain_kind_names, WR_CHAIN_KIND_COUNT, &e))
			hop->kind = (enum wr_chain_kind)e;
		if (arg_enum(&hr, "fail", wr_chain_fail_names, WR_CHAIN_FAIL_COUNT, &e))
			hop->fail = (enum wr_chain_fail)e;
		probed[h] = arg_probe(&hr, &probes[h]);
		if ((err = hop_port(r, c->name, h, in, &hop->in)) ||
		    (err = hop_port(r, c->name, h, out, &hop->out)) ||
		    (err = hop_mac(r, &hr, c, h, "in_mac", hop->in, hop->mac[WR_CHAIN_FWD])) ||
		    (err = hop_mac(r, &hr, c, h, "out_mac", hop->out, hop->mac[WR_CHAIN_REV])))
			return err;
		/* A port twice in this chain: named by an earlier hop, or in and out of one. */
		for (int k = 0; k <= h; k++)
			if ((k < h && (c->hops[k].in == hop->in || c->hops[k].out == hop->in ||
				       c->hops[k].in == hop->out || c->hops[k].out == hop->out)) ||
			    hop->in == hop->out)
				return fail(r, -EINVAL, "chain %s: hop %d: port %s: named twice in the "
					    "chain (each hop port is one hop's, one side's)", c->name, h,
					    hop->in == hop->out ? in : port_name(r->wd, hop->in));
		if ((c->cls.fields & WR_CHAIN_F_IN_PORT) &&
		    (c->cls.in_port == hop->in || c->cls.in_port == hop->out))
			return fail(r, -EINVAL, "chain %s: hop %d: in_port %s is a hop port: the "
				    "classifier takes frames of ordinary ports", c->name, h,
				    port_name(r->wd, c->cls.in_port));
	}
	return 0;
}

/* The kernel fast path learns which ports' frames must go up now (wd_port_fastpath_sync). */
static void chains_changed(struct warrend *wd)
{
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used)
			wd_port_fastpath_sync(wd, &wd->ports[i]);
}

int wd_cmd_chain_add(struct req *r)
{
	struct wd_probe_conf probes[WR_CHAIN_HOPS_MAX];
	bool probed[WR_CHAIN_HOPS_MAX] = { false };
	struct wr_chain_conf c = { 0 };
	char what[WR_PORT_NAME_MAX + 8];
	const char *name = "";
	int64_t v;
	int id, err;

	arg_str(r, "name", &name);
	snprintf(c.name, sizeof(c.name), "%s", name);
	if (wr_chain_find(r->wd->sw, name) >= 0)
		return fail(r, -EEXIST, "chain %s: exists (chain.del it first)", name);
	if (wr_chain_count(r->wd->sw) >= WR_CHAIN_MAX)
		return fail(r, -ENOSPC, "chain %s: the switch has %d chains already, the most it "
			    "takes", name, WR_CHAIN_MAX);
	if (arg_int(r, "bd", &v))
		c.bd = (uint16_t)v;
	if (arg_int(r, "priority", &v))
		c.priority = (int32_t)v;
	snprintf(what, sizeof(what), "chain %s", name);
	if ((err = wd_arg_class(r, what, &c.cls, true)) || (err = arg_hops(r, &c, probes, probed)))
		return err;
	if ((c.cls.fields & WR_CHAIN_F_IN_PORT) && wr_chain_hop_port(r->wd->sw, c.cls.in_port))
		return fail(r, -EBUSY, "chain %s: in_port %s: a hop port of chain %s", name,
			    port_name(r->wd, c.cls.in_port),
			    wd_chain_of_port(r->wd, wd_port_by_index(r->wd, c.cls.in_port)));
	id = wr_chain_add(r->wd->sw, &c);
	switch (id) {
	case -EAGAIN:
		return fail(r, id, "chain %s: the chains deleted a moment ago are still being "
			    "counted by the workers; try again", name);
	case -EINVAL:
		return fail(r, id, "chain %s: a classifier field out of its bounds (a prefix longer "
			    "than its address, ports LO above HI)", name);
	case -EDOM:
		return fail(r, -EINVAL, "chain %s: the classifier has no direction: it matches its "
			    "own answers (each source field as its destination field, no in_port); "
			    "name a source or a destination (src, dst, src_port, dst_port, src_mac, "
			    "dst_mac) or in_port", name);
	}
	if (id < 0)
		return fail(r, id, "chain %s: %s", name, strerror(-id));
	/* Its id may have been another chain's: the kernel's counters start again too. */
	if (r->wd->fp)
		wd_fastpath_chain_clear(r->wd->fp, id);
	for (int h = 0; h < c.n_hops; h++)
		if (probed[h])
			wd_probe_start(r->wd, id, h, &probes[h]);
	chains_changed(r->wd);
	ADD(r->result, "id", json_object_new_int(id));
	return 0;
}

/* Chain @key of @r: its id, or -ENOENT with r->err. */
static int arg_chain(struct req *r, const char **name)
{
	int id;

	*name = "";
	arg_str(r, "chain", name);
	id = wr_chain_find(r->wd->sw, *name);
	return id >= 0 ? id : fail(r, -ENOENT, "chain %s: no such chain", *name);
}

int wd_cmd_chain_del(struct req *r)
{
	const char *name;
	int id = arg_chain(r, &name), err;

	if (id < 0)
		return id;
	err = wr_chain_del(r->wd->sw, id);
	if (err)
		return fail(r, err, "chain %s: %s", name, strerror(-err));
	wd_probes_stop(r->wd, id);
	chains_changed(r->wd);
	return 0;
}

int wd_cmd_chain_hop(struct req *r)
{
	const char *name;
	int id = arg_chain(r, &name), state = WR_HOP_UP, err;
	int64_t hop = 0;

	if (id < 0)
		return id;
	arg_int(r, "hop", &hop);
	arg_enum(r, "state", wr_hop_state_names, WR_HOP_STATE_COUNT, &state);
	err = wr_chain_hop_set(r->wd->sw, id, (unsigned int)hop, state == WR_HOP_UP);
	if (err == -ERANGE) {
		struct wr_chain_info info;

		wr_chain_get(r->wd->sw, id, &info);
		return fail(r, err, "chain %s: no hop %lld (its hops are 0 to %d)", name,
			    (long long)hop, info.conf.n_hops - 1);
	}
	return err ? fail(r, err, "chain %s: %s", name, strerror(-err)) : 0;
}

static json_object *range_json(uint16_t lo, uint16_t hi)
{
	char b[16];

	if (lo == hi)
		return json_object_new_int(lo);
	snprintf(b, sizeof(b), "%u-%u", lo, hi);
	return json_object_new_string(b);
}

static json_object *prefix_json(const uint8_t ip[16], bool v6, uint8_t len)
{
	char b[64], a[46];

	snprintf(b, sizeof(b), "%s/%u", wr_ip_text(ip, v6, a, sizeof(a)), len);
	return json_object_new_string(b);
}

/* The classifier as chain.add takes it. */
static void class_json(struct warrend *wd, const struct wr_chain_class *k, json_object *o)
{
	bool v6 = k->ip_version == 6;

	if (k->fields & WR_CHAIN_F_IN_PORT)
		ADD(o, "in_port", json_object_new_string(port_name(wd, k->in_port)));
	if (k->fields & WR_CHAIN_F_VLAN)
		ADD(o, "vlan", json_object_new_int(k->vlan));
	if (k->fields & WR_CHAIN_F_SRC_MAC)
		ADD(o, "src_mac", mac_json(k->src_mac));
	if (k->fields & WR_CHAIN_F_DST_MAC)
		ADD(o, "dst_mac", mac_json(k->dst_mac));
	if (k->fields & WR_CHAIN_F_SRC_NET)
		ADD(o, "src", prefix_json(k->src_ip, v6, k->src_len));
	if (k->fields & WR_CHAIN_F_DST_NET)
		ADD(o, "dst", prefix_json(k->dst_ip, v6, k->dst_len));
	if (k->fields & WR_CHAIN_F_PROTO)
		ADD(o, "proto", json_object_new_int(k->proto));
	if (k->fields & WR_CHAIN_F_SPORT)
		ADD(o, "src_port", range_json(k->sport_lo, k->sport_hi));
	if (k->fields & WR_CHAIN_F_DPORT)
		ADD(o, "dst_port", range_json(k->dport_lo, k->dport_hi));
}

static json_object *dir_json(const struct wr_chain_hop_stats *s)
{
	json_object *o = json_object_new_object();

	ADD(o, "into", json_object_new_uint64(s->into));
	ADD(o, "back", json_object_new_uint64(s->back));
	ADD(o, "bypassed", json_object_new_uint64(s->bypassed));
	ADD(o, "dropped", json_object_new_uint64(s->dropped));
	return o;
}

/* A hop's probe: as chain.add named it, and what it found. */
static json_object *probe_json(const struct wd_probe *p)
{
	json_object *o = json_object_new_object();
	const struct wd_probe_conf *c = &p->conf;
	char a[46];

	ADD(o, "probe", json_object_new_string(wr_probe_kind_names[c->kind]));
	ADD(o, "target", json_object_new_string(wr_ip_text(c->ip, c->ipv6, a, sizeof(a))));
	if (c->kind == WR_PROBE_TCP)
		ADD(o, "target_port", json_object_new_int(c->port));
	ADD(o, "netns", json_object_new_string(c->netns));
	ADD(o, "interval_ms", json_object_new_int64(c->interval_ms));
	ADD(o, "timeout_ms", json_object_new_int64(c->timeout_ms));
	ADD(o, "fails", json_object_new_int64(c->fails));
	ADD(o, "passes", json_object_new_int64(c->passes));
	ADD(o, "state", json_object_new_string(p->passing ? "up" : "down"));
	ADD(o, "fails_in_row", json_object_new_int64(p->fails_in_row));
	ADD(o, "passes_in_row", json_object_new_int64(p->passes_in_row));
	ADD(o, "sent", json_object_new_uint64(p->sent));
	ADD(o, "failed", json_object_new_uint64(p->failed));
	ADD(o, "error", json_object_new_string(p->error));
	ADD(o, "error_at", json_object_new_int64(p->error_s));
	return o;
}

/* Why hop @h is down: "admin", "link", "probe" (none while it is up). */
static json_object *why_json(const struct wr_chain_info *in, int h)
{
	json_object *a = json_object_new_array();

	if (!in->hop[h].admin_up)
		json_object_array_add(a, json_object_new_string("admin"));
	if (!in->hop[h].link_up)
		json_object_array_add(a, json_object_new_string("link"));
	if (!in->hop[h].probe_up)
		json_object_array_add(a, json_object_new_string("probe"));
	return a;
}

static json_object *chain_json(struct warrend *wd, int id, const struct wr_chain_info *in)
{
	json_object *o = json_object_new_object(), *hops = json_object_new_array();
	json_object *cls = json_object_new_object(), *m = json_object_new_object();

	ADD(o, "name", json_object_new_string(in->conf.name));
	ADD(o, "bd", json_object_new_int(in->conf.bd));
	ADD(o, "priority", json_object_new_int(in->conf.priority));
	class_json(wd, &in->conf.cls, cls);
	ADD(o, "classifier", cls);
	ADD(m, "forward", json_object_new_uint64(in->matched[WR_CHAIN_FWD]));
	ADD(m, "reverse", json_object_new_uint64(in->matched[WR_CHAIN_REV]));
	ADD(o, "matched", m);
	for (int h = 0; h < in->conf.n_hops; h++) {
		const struct wr_chain_hop *c = &in->conf.hops[h];
		json_object *j = json_object_new_object();

		ADD(j, "hop", json_object_new_int(h));
		ADD(j, "in", json_object_new_string(port_name(wd, c->in)));
		ADD(j, "out", json_object_new_string(port_name(wd, c->out)));
		ADD(j, "kind", json_object_new_string(wr_chain_kind_names[c->kind]));
		ADD(j, "fail", json_object_new_string(wr_chain_fail_names[c->fail]));
		if (c->kind == WR_CHAIN_L3) {
			ADD(j, "in_mac", mac_json(c->mac[WR_CHAIN_FWD]));
			ADD(j, "out_mac", mac_json(c->mac[WR_CHAIN_REV]));
		}
		ADD(j, "state", json_object_new_string(in->hop[h].up ? "up" : "down"));
		ADD(j, "admin", json_object_new_string(in->hop[h].admin_up ? "up" : "down"));
		ADD(j, "link", json_object_new_string(in->hop[h].link_up ? "up" : "down"));
		ADD(j, "why", why_json(in, h));
		ADD(j, "since", json_object_new_int64(in->hop[h].since_s));
		if (wd_probe_get(wd, id, h))
			ADD(j, "probe", probe_json(wd_probe_get(wd, id, h)));
		ADD(j, "forward", dir_json(&in->hop[h].st[WR_CHAIN_FWD]));
		ADD(j, "reverse", dir_json(&in->hop[h].st[WR_CHAIN_REV]));
		json_object_array_add(hops, j);
	}
	ADD(o, "hops", hops);
	return o;
}

int wd_cmd_chain_list(struct req *r)
{
	json_object *a = json_object_new_array();
	struct wr_chain_info info;
	const char *only = NULL;

	ADD(r->result, "chains", a);
	if (arg_str(r, "chain", &only) && wr_chain_find(r->wd->sw, only) < 0)
		return fail(r, -ENOENT, "chain %s: no such chain", only);
	for (int id = 0; id < WR_CHAIN_MAX; id++)
		if (!wd_chain_get(r->wd, id, &info) && (!only || !strcmp(only, info.conf.name)))
			json_object_array_add(a, chain_json(r->wd, id, &info));
	ADD(r->result, "count", json_object_new_int64(wr_chain_count(r->wd->sw)));
	ADD(r->result, "max", json_object_new_int(WR_CHAIN_MAX));
	return 0;
}

void wd_chains_close_all(struct warrend *wd)
{
	for (int id = 0; id < WR_CHAIN_MAX; id++) {
		wd_probes_stop(wd, id);
		wr_chain_del(wd->sw, id);	/* -ENOENT for the ids no chain has */
	}
}
