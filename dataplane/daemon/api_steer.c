/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_steer.c - the steering commands of docs/api.md (steer.*) and the
 * rules' ports by name: the switch knows a rule's port by index, and once
 * that port is deleted by none (the rule is inactive, its frames dropped);
 * warrend keeps the name, and points the rule at the next port of that
 * name that is added.
 */
#include "api_priv.h"

#define ADD(o, k, v) json_object_object_add(o, k, v)

/* The match of a request (wr_api_check() saw exactly one key), and its words into @what. */
static void arg_match(const struct req *r, struct wr_steer_match *m, char *what, size_t size)
{
	int64_t v;

	memset(m, 0, sizeof(*m));
	if (arg(r, "mac")) {
		m->kind = WR_STEER_MAC;
		arg_mac(r, "mac", m->mac);
		snprintf(what, size, "steer mac %s", json_object_get_string(arg(r, "mac")));
	} else if (arg_int(r, "vlan", &v)) {
		m->kind = WR_STEER_VLAN;
		m->id = (uint32_t)v;
		snprintf(what, size, "steer vlan %u", m->id);
	} else if (arg_int(r, "vni", &v)) {
		m->kind = WR_STEER_VNI;
		m->id = (uint32_t)v;
		snprintf(what, size, "steer vni %u", m->id);
	}
}

int wd_cmd_steer_add(struct req *r)
{
	struct wr_steer_match m;
	struct wd_port *p;
	char what[48];
	int id, err;

	arg_match(r, &m, what, sizeof(what));
	err = arg_port(r, "port", &p);
	if (err)
		return err;
	id = wr_steer_add(r->wd->sw, &m, p->index);
	if (id >= 0) {
		snprintf(r->wd->steer_port[id], sizeof(r->wd->steer_port[id]), "%s", p->name);
		ADD(r->result, "id", json_object_new_int(id));
		return 0;
	}
	switch (id) {
	case -EEXIST:
		return fail(r, id, "%s: a rule exists (to port %s); delete it first", what,
			    r->wd->steer_port[wr_steer_find(r->wd->sw, &m)]);
	case -ENOSPC:
		return fail(r, id, "%s: the switch has %d rules already, the most it takes", what,
			    WR_STEER_MAX);
	case -EAGAIN:
		return fail(r, id, "%s: the rules deleted a moment ago are still being counted by "
			    "the workers; try again", what);
	case -EINVAL:
		if (m.kind == WR_STEER_MAC)
			return fail(r, id, "%s: not a unicast MAC", what);
		if (wd_chain_of_port(r->wd, p))
			return fail(r, id, "%s: port %s is a hop port of chain %s; steer to another "
				    "port", what, p->name, wd_chain_of_port(r->wd, p));
		return fail(r, id, "%s: port %s belongs to a tunnel (its underlay bridges nothing); "
			    "steer to another port", what, p->name);
	}
	return fail(r, id, "%s: %s", what, strerror(-id));
}

int wd_cmd_steer_del(struct req *r)
{
	struct wr_steer_match m;
	char what[48];
	int id, err;

	arg_match(r, &m, what, sizeof(what));
	id = wr_steer_find(r->wd->sw, &m);
	err = wr_steer_del(r->wd->sw, &m);
	if (err == -ENOENT)
		return fail(r, err, "%s: no such rule", what);
	if (err)
		return fail(r, err, "%s: %s", what, strerror(-err));
	r->wd->steer_port[id][0] = '\0';
	return 0;
}

static json_object *rule_json(struct warrend *wd, int id, const struct wr_steer_rule *s)
{
	json_object *o = json_object_new_object();
	struct wd_steer_counters c;
	char mac[18];

	ADD(o, "id", json_object_new_int(id));
	switch (s->m.kind) {
	case WR_STEER_MAC:
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", s->m.mac[0], s->m.mac[1],
			 s->m.mac[2], s->m.mac[3], s->m.mac[4], s->m.mac[5]);
		ADD(o, "mac", json_object_new_string(mac));
		break;
	case WR_STEER_VLAN:
		ADD(o, "vlan", json_object_new_int64(s->m.id));
		break;
	case WR_STEER_VNI:
		ADD(o, "vni", json_object_new_int64(s->m.id));
		break;
	}
	ADD(o, "port", json_object_new_string(wd->steer_port[id]));
	ADD(o, "active", json_object_new_boolean(s->port != WR_STEER_NO_PORT));
	wd_steer_counters(wd, id, s, &c);
	ADD(o, "pkts", json_object_new_uint64(c.pkts));
	ADD(o, "bytes", json_object_new_uint64(c.bytes));
	ADD(o, "fastpath_pkts", json_object_new_uint64(c.kernel_pkts));
	return o;
}

int wd_cmd_steer_list(struct req *r)
{
	json_object *a = json_object_new_array();
	const char *only = NULL;
	struct wr_steer_rule s;

	arg_str(r, "port", &only);
	for (int id = 0; id < WR_STEER_MAX; id++)
		if (!wr_steer_get(r->wd->sw, id, &s) && (!only || !strcmp(only, r->wd->steer_port[id])))
			json_object_array_add(a, rule_json(r->wd, id, &s));
	ADD(r->result, "rules", a);
	ADD(r->result, "count", json_object_new_int64(wr_steer_count(r->wd->sw)));
	ADD(r->result, "max", json_object_new_int(WR_STEER_MAX));
	return 0;
}

void wd_steer_port_back(struct warrend *wd, const struct wd_port *p)
{
	for (int id = 0; id < WR_STEER_MAX; id++)
		if (!strcmp(wd->steer_port[id], p->name) &&
		    wr_steer_set_port(wd->sw, id, p->index))
			wd_warn("steer rule %d: port %s is back, the rule stays inactive", id, p->name);
}

int wd_steer_rules_to(const struct warrend *wd, const char *name)
{
	int n = 0;

	for (int id = 0; id < WR_STEER_MAX; id++)
		n += !strcmp(wd->steer_port[id], name);
	return n;
}
