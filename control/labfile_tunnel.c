/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_tunnel.c - the `tunnels:` list of the lab file's `switch:`
 * section (pass 6, after the ports): each tunnel's keys are tunnel.add's
 * (wr_api.def) in their words, read by their types into the request, plus
 * `sport` (the CLI's LO-HI for sport_min and sport_max), `vnis` (vni.set
 * requests) and `remotes` (vtep.add requests). Each request is checked
 * with wr_api_check(); what needs the whole switch (the underlay is one of
 * its afxdp ports, no name twice, each VNI and bridge domain once per
 * tunnel, remotes of the local address's family) is checked here. It
 * fills lab->sw.tunnels, ready for wr_lab_up(). The `steer:` list, whose
 * items are steer.add requests read the same way, is here too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "labfile_priv.h"

/* Keys of the lab's own for a tunnel, after tunnel.add's. */
static const char *const own_keys[] = { "sport", "vnis", "remotes" };
enum { OWN_SPORT, OWN_VNIS, OWN_REMOTES, OWN_COUNT };

void wr_lab_rk_init(struct wr_lab_rk *rk, enum wr_api_cmd cmd, const char *skip,
			  const char *const *own, size_t n_own)
{
	memset(rk, 0, sizeof(*rk));
	rk->cmd = cmd;
	for (size_t i = 0; i < wr_api_n_keys && rk->n < KEYS_MAX - n_own; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];

		if (k->cmd != cmd || (skip && !strcmp(k->name, skip)))
			continue;
		rk->k[rk->n] = k;
		rk->words[rk->n++] = wr_api_word(k->name);
	}
	rk->n_api = rk->n;
	for (size_t i = 0; i < n_own; i++)
		rk->words[rk->n++] = own[i];
}

/* The node of key @name of @rk's command, NULL if not given. */
yaml_node_t *wr_lab_rk_node(const struct wr_lab_rk *rk, const char *name)
{
	for (size_t i = 0; i < rk->n_api; i++)
		if (!strcmp(rk->k[i]->name, name))
			return rk->v[i];
	return NULL;
}

/* A list of strings, or one: an array of them (what each must be, wr_api_check() says). */
static struct json_object *strings_json(struct lab_ctx *c, const yaml_node_t *n, const char *word,
					const char *what)
{
	struct json_object *a = json_object_new_array();
	const char *s;

	if (n->type != YAML_SEQUENCE_NODE) {
		s = wr_lab_scalar(c, n, word, what);
		if (s)
			json_object_array_add(a, json_object_new_string(s));
		return s ? a : (json_object_put(a), NULL);
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		s = wr_lab_scalar(c, lab_node(c, *it), word, what);
		if (!s) {
			json_object_put(a);
			return NULL;
		}
		json_object_array_add(a, json_object_new_string(s));
	}
	return a;
}

/* The value @n of key @k (its word @word) as its type says, or NULL after an error. */
struct json_object *wr_lab_value_json(struct lab_ctx *c, const struct wr_api_key *k,
				      const char *word, const yaml_node_t *n)
{
	const char *const *names;
	const char *s;
	uint64_t u;
	bool b;
	int i;

	switch (k->type) {
	case WR_T_INT:
		if (wr_lab_get_uint(c, n, word, (uint64_t)k->min, (uint64_t)k->max, &u))
			return NULL;
		return json_object_new_int64((int64_t)u);
	case WR_T_BOOL:
		return wr_lab_get_bool(c, n, word, &b) ? NULL : json_object_new_boolean(b);
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &i);
		i = wr_lab_get_word(c, n, word, names, (size_t)i);
		return i < 0 ? NULL : json_object_new_string(names[i]);
	case WR_T_GOPTS:
		return strings_json(c, n, word, k->text);
	case WR_T_HOPS:
		return wr_lab_hops_json(c, k, word, n);
	default:
		/* Names and addresses: wr_api_check() says what is wrong with them. */
		s = wr_lab_scalar(c, n, word, k->text);
		return s ? json_object_new_string(s) : NULL;
	}
}

/* The values of @rk's API keys into @args; false after an error. */
bool wr_lab_rk_values(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args)
{
	struct json_object *v;
	bool ok = true;

	for (size_t i = 0; i < rk->n_api; i++) {
		if (!rk->v[i])
			continue;
		v = wr_lab_value_json(c, rk->k[i], rk->words[i], rk->v[i]);
		if (v)
			json_object_object_add(args, rk->k[i]->name, v);
		ok = ok && v;
	}
	return ok;
}

/* The keys @m must have, as wr_api.def says; false after an error at @m. */
bool wr_lab_rk_required(struct lab_ctx *c, const struct wr_lab_rk *rk, const yaml_node_t *m,
			 const char *what)
{
	char text[256];
	bool ok = true;

	for (size_t i = 0; i < rk->n_api; i++)
		if ((rk->k[i]->flags & WR_KEY_REQUIRED) && !rk->v[i]) {
			snprintf(text, sizeof(text), "%s", rk->k[i]->text);
			wr_lab_err_node(c, m, "%s: missing '%s' (%s)", what, rk->words[i],
					wr_api_in_words(text));
			ok = false;
		}
	return ok;
}

/*
 * wr_api_check() on @args, a request of @rk's command: each message in the
 * lab's words at the node of the key it names, which then leaves @args so
 * that the next one shows; one that names no key given is reported at @at
 * if @whole (every value was read, the required keys are there), else it
 * follows from an error already reported. False after an error.
 */
bool wr_lab_rk_check(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args,
		      const yaml_node_t *at, bool whole)
{
	bool was_whole = whole;
	char msg[320];
	size_t klen, i;

	for (size_t round = 0; round <= rk->n_api; round++) {
		if (!wr_api_check(rk->cmd, args, msg, sizeof(msg)))
			return was_whole && !round;
		klen = strcspn(msg, ": '[");
		for (i = 0; i < rk->n_api; i++)
			if (strlen(rk->k[i]->name) == klen && !strncmp(rk->k[i]->name, msg, klen) &&
			    rk->v[i] && json_object_object_get_ex(args, rk->k[i]->name, NULL))
				break;
		if (i == rk->n_api) {
			if (whole)
				wr_lab_err_node(c, at, "%s", wr_api_in_words(msg));
			return false;
		}
		wr_lab_err_node(c, rk->v[i], "%s", wr_api_in_words(msg));
		json_object_object_del(args, rk->k[i]->name);
		/* What follows may be the key just taken out ("required"). */
		whole = false;
	}
	return false;
}

/* Member @key of request @o (api.c's wr_json_*() are not the parser's to link). */
static int64_t req_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

const char *wr_lab_req_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* ---------------------------------------------------------- the tunnel */

/* What the sub-requests of one tunnel check against. */
struct tun {
	const char *name;	/* valid, or a stand-in after an error */
	bool have_local, v6;
	uint8_t local[16];
	struct wr_lab_tunnel *t;
};

/* A request of @cmd with @args at @n, appended to the tunnel's. */
static void push_req(struct tun *tu, enum wr_api_cmd cmd, struct json_object *args,
		     const yaml_node_t *n)
{
	struct wr_lab_req *r = &tu->t->reqs[tu->t->n_reqs++];

	r->cmd = cmd;
	r->args = args;
	r->pos = lab_node_pos(n);
}

/* `sport: LO-HI` (or N) into sport_min and sport_max, unless they are given. */
static bool parse_sport(struct lab_ctx *c, const struct wr_lab_rk *rk, const yaml_node_t *n,
			struct json_object *args)
{
	const struct wr_api_key *lo = wr_api_key_find(WR_CMD_TUNNEL_ADD, "sport_min");
	const struct wr_api_key *hi = wr_api_key_find(WR_CMD_TUNNEL_ADD, "sport_max");
	char b[LAB_SHOW_SIZE];
	const char *s;
	uint16_t l, h;
	int err;

	if (wr_lab_rk_node(rk, lo->name) || wr_lab_rk_node(rk, hi->name)) {
		wr_lab_err_node(c, n, "sport: give either 'sport' or '%s' and '%s'",
				wr_api_word(lo->name), wr_api_word(hi->name));
		return false;
	}
	s = wr_lab_scalar(c, n, "sport", "a range LO-HI of UDP source ports");
	if (!s)
		return false;
	err = wr_range_scan(s, (unsigned int)lo->min, (unsigned int)hi->max, &l, &h);
	if (err) {
		wr_lab_err_node(c, n, err == -ERANGE ?
				"sport: '%s' ends below its start (LO-HI, LO <= HI)" :
				"sport: '%s' is not LO-HI or N, each %lld..%lld",
				wr_lab_show(b, s), (long long)lo->min, (long long)hi->max);
		return false;
	}
	json_object_object_add(args, lo->name, json_object_new_int(l));
	json_object_object_add(args, hi->name, json_object_new_int(h));
	return true;
}

/* sport_min above sport_max, when both are given: an error at sport_max. */
static bool sport_order(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args)
{
	struct json_object *lo, *hi;

	if (!wr_lab_rk_node(rk, "sport_max") || !json_object_object_get_ex(args, "sport_min", &lo) ||
	    !json_object_object_get_ex(args, "sport_max", &hi) ||
	    json_object_get_int(lo) <= json_object_get_int(hi))
		return true;
	wr_lab_err_node(c, wr_lab_rk_node(rk, "sport_max"), "%s: %d is below %s %d", wr_api_word("sport_max"),
			json_object_get_int(hi), wr_api_word("sport_min"), json_object_get_int(lo));
	return false;
}

/* @parsed (consumed) with its keys in the table's order. */
struct json_object *wr_lab_in_table_order(enum wr_api_cmd cmd, struct json_object *parsed)
{
	struct json_object *a = wr_api_args_ordered(cmd, parsed);

	json_object_put(parsed);
	return a;
}

/* Port @name of the switch, or NULL. */
const struct wr_lab_port *wr_lab_find_port(const struct wr_lab_switch *sw, const char *name)
{
	for (size_t i = 0; i < sw->n_ports; i++)
		if (!strcmp(sw->ports[i].conf.name, name))
			return &sw->ports[i];
	return NULL;
}

/* The underlay @n names must be an afxdp port of the switch. */
static bool check_underlay(struct lab_ctx *c, const yaml_node_t *n, const char *name)
{
	const struct wr_lab_port *p = wr_lab_find_port(&c->lab->sw, name);
	char b[LAB_SHOW_SIZE];

	if (!p)
		wr_lab_err_node(c, n, "underlay: '%s' is not a port of this switch (a tunnel sits "
				"on one of its afxdp ports)", wr_lab_show(b, name));
	else if (p->conf.type != WR_PORT_AFXDP)
		wr_lab_err_node(c, n, "underlay: port '%s' (line %u) is a %s port, and a tunnel "
				"sits on an afxdp port", name, p->pos.line,
				wr_port_type_names[p->conf.type]);
	return p && p->conf.type == WR_PORT_AFXDP;
}

/* No port and no tunnel before has the tunnel's name @name (written at @n). */
static bool check_name(struct lab_ctx *c, const yaml_node_t *n, const char *name)
{
	const struct wr_lab_switch *sw = &c->lab->sw;
	const struct wr_lab_port *p = wr_lab_find_port(sw, name);

	if (p) {
		wr_lab_err_node(c, n, "name: '%s' is already the name of the port at line %u", name,
				p->pos.line);
		return false;
	}
	for (size_t i = 0; i < sw->n_tunnels; i++)
		if (!strcmp(sw->tunnels[i].name, name)) {
			wr_lab_err_node(c, n, "name: '%s' is already the name of the tunnel at line %u",
					name, sw->tunnels[i].pos.line);
			return false;
		}
	return true;
}

/* ----------------------------------------------------------- VNIs */

/* A vni.set of the tunnel from VNI node @kn and bridge domain node @vn; NULL after errors. */
static struct json_object *vni_req(struct lab_ctx *c, const struct tun *tu, const yaml_node_t *kn,
				   const yaml_node_t *vn)
{
	const struct wr_api_key *vk = wr_api_key_find(WR_CMD_VNI_SET, "vni");
	const struct wr_api_key *bk = wr_api_key_find(WR_CMD_VNI_SET, "bd");
	struct json_object *args;
	uint64_t vni, bd;
	int e1, e2;

	e1 = wr_lab_get_uint(c, kn, "vni", (uint64_t)vk->min, (uint64_t)vk->max, &vni);
	e2 = wr_lab_get_uint(c, vn, "bd", (uint64_t)bk->min, (uint64_t)bk->max, &bd);
	if (e1 || e2)
		return NULL;
	args = json_object_new_object();
	json_object_object_add(args, "tunnel", json_object_new_string(tu->name));
	json_object_object_add(args, vk->name, json_object_new_int64((int64_t)vni));
	json_object_object_add(args, bk->name, json_object_new_int64((int64_t)bd));
	return args;
}

/* The vni.set requests so far of the tunnel: none with @args's VNI or bridge domain. */
static bool vni_unique(struct lab_ctx *c, const struct tun *tu, struct json_object *args,
		       const yaml_node_t *kn, const yaml_node_t *vn)
{
	int64_t vni = req_int(args, "vni"), bd = req_int(args, "bd");

	for (size_t i = 0; i < tu->t->n_reqs; i++) {
		const struct wr_lab_req *r = &tu->t->reqs[i];

		if (r->cmd != WR_CMD_VNI_SET)
			continue;
		if (req_int(r->args, "vni") == vni) {
			wr_lab_err_node(c, kn, "vni: %lld is already mapped at line %u",
					(long long)vni, r->pos.line);
			return false;
		}
		if (req_int(r->args, "bd") == bd) {
			wr_lab_err_node(c, vn, "bd: bridge domain %lld already has VNI %lld in this "
					"tunnel (line %u): one VNI per bridge domain and tunnel",
					(long long)bd, (long long)req_int(r->args, "vni"),
					r->pos.line);
			return false;
		}
	}
	return true;
}

static void add_vni(struct lab_ctx *c, struct tun *tu, const yaml_node_t *kn,
		    const yaml_node_t *vn)
{
	struct json_object *args = vni_req(c, tu, kn, vn);

	if (args && vni_unique(c, tu, args, kn, vn))
		push_req(tu, WR_CMD_VNI_SET, args, kn);
	else
		json_object_put(args);
}

/* `vnis`: a mapping VNI: BD, or a sequence of {vni, bd}. */
static void parse_vnis(struct lab_ctx *c, struct tun *tu, const yaml_node_t *n)
{
	char d[LAB_DESC_SIZE];
	struct wr_lab_rk rk;

	if (lab_is_null(n))
		return;
	if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
		     p++)
			add_vni(c, tu, lab_node(c, p->key), lab_node(c, p->value));
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, n, "vnis: expected a mapping of VNI: BRIDGE-DOMAIN or a sequence "
				"of {vni, bd}, got %s", wr_lab_desc(d, n));
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *m = lab_node(c, *it);

		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "vnis: expected a mapping {vni, bd}, got %s",
					wr_lab_desc(d, m));
			continue;
		}
		wr_lab_rk_init(&rk, WR_CMD_VNI_SET, "tunnel", NULL, 0);
		wr_lab_get_keys(c, m, rk.words, ~0u, "in a VNI", rk.v);
		if (wr_lab_rk_required(c, &rk, m, "vnis"))
			add_vni(c, tu, wr_lab_rk_node(&rk, "vni"), wr_lab_rk_node(&rk, "bd"));
	}
}

/* ------------------------------------------------------------ remotes */

/* The remote of @args (at @n): of the local address's family, not it, not twice. */
static bool remote_fits(struct lab_ctx *c, const struct tun *tu, struct json_object *args,
			const yaml_node_t *n)
{
	const char *s = wr_lab_req_str(args, "remote");
	uint8_t ip[16], other[16];
	char b[48];
	bool v6, ov6;

	if (wr_ip_parse(s, ip, &v6))
		return false;	/* wr_lab_rk_check() said why */
	if (tu->have_local && v6 != tu->v6) {
		wr_lab_err_node(c, n, "remote: %s is IPv%d, and the tunnel's local address %s is "
				"IPv%d", s, v6 ? 6 : 4, wr_ip_text(tu->local, tu->v6, b, sizeof(b)),
				tu->v6 ? 6 : 4);
		return false;
	}
	if (tu->have_local && !memcmp(ip, tu->local, sizeof(ip))) {
		wr_lab_err_node(c, n, "remote: %s is the tunnel's local address", s);
		return false;
	}
	for (size_t i = 0; i < tu->t->n_reqs; i++) {
		const struct wr_lab_req *r = &tu->t->reqs[i];

		if (r->cmd == WR_CMD_VTEP_ADD && !wr_ip_parse(wr_lab_req_str(r->args, "remote"), other,
							     &ov6) &&
		    !memcmp(ip, other, sizeof(ip))) {
			wr_lab_err_node(c, n, "remote: %s is already a remote of this tunnel, at "
					"line %u", s, r->pos.line);
			return false;
		}
	}
	return true;
}

/* One item of `remotes`: an address, or {remote, flood}. */
static void parse_remote(struct lab_ctx *c, struct tun *tu, yaml_node_t *m)
{
	struct json_object *args = json_object_new_object();
	const yaml_node_t *at = m;
	struct wr_lab_rk rk;
	bool ok;

	wr_lab_rk_init(&rk, WR_CMD_VTEP_ADD, "tunnel", NULL, 0);
	json_object_object_add(args, "tunnel", json_object_new_string(tu->name));
	if (m->type == YAML_MAPPING_NODE) {
		wr_lab_get_keys(c, m, rk.words, ~0u, "in a remote", rk.v);
		ok = wr_lab_rk_required(c, &rk, m, "remotes") && wr_lab_rk_values(c, &rk, args);
		at = ok ? wr_lab_rk_node(&rk, "remote") : m;
	} else {
		/* An address alone: the value of `remote`. */
		for (size_t i = 0; i < rk.n_api; i++)
			if (!strcmp(rk.k[i]->name, "remote"))
				rk.v[i] = m;
		ok = wr_lab_rk_values(c, &rk, args);
	}
	args = wr_lab_in_table_order(WR_CMD_VTEP_ADD, args);
	if (wr_lab_rk_check(c, &rk, args, at, ok) && remote_fits(c, tu, args, at))
		push_req(tu, WR_CMD_VTEP_ADD, args, at);
	else
		json_object_put(args);
}

static void parse_remotes(struct lab_ctx *c, struct tun *tu, const yaml_node_t *n)
{
	char d[LAB_DESC_SIZE];

	if (lab_is_null(n))
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, n, "remotes: expected a sequence of addresses or of {remote, "
				"flood}, got %s", wr_lab_desc(d, n));
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		parse_remote(c, tu, lab_node(c, *it));
}

/* ------------------------------------------------------------- tunnels */

/* How many requests the tunnel may make: its add, and one per VNI and per remote. */
static size_t n_items(const yaml_node_t *n)
{
	if (!n)
		return 0;
	if (n->type == YAML_MAPPING_NODE)
		return lab_n_pairs(n);
	return n->type == YAML_SEQUENCE_NODE ? lab_n_items(n) : 0;
}

/*
 * tunnel.add from mapping @m into @add (true if it is whole and valid);
 * the tunnel's name and local address into @tu, and the checks against
 * the switch of the values that are valid, whatever else is wrong.
 */
static bool tunnel_add(struct lab_ctx *c, const struct wr_lab_rk *rk, const yaml_node_t *m,
		       struct tun *tu, struct json_object **add)
{
	yaml_node_t *underlay = wr_lab_rk_node(rk, "underlay");
	bool ok;

	*add = json_object_new_object();
	ok = wr_lab_rk_values(c, rk, *add);
	if (rk->v[rk->n_api + OWN_SPORT])
		ok = parse_sport(c, rk, rk->v[rk->n_api + OWN_SPORT], *add) && ok;
	ok = wr_lab_rk_required(c, rk, m, "tunnel") && ok;
	*add = wr_lab_in_table_order(WR_CMD_TUNNEL_ADD, *add);
	ok = wr_lab_rk_check(c, rk, *add, m, ok);
	ok = sport_order(c, rk, *add) && ok;
	if (json_object_object_get_ex(*add, "name", NULL)) {
		/* It stays for the next tunnels' check, also when this one has errors. */
		snprintf(tu->t->name, sizeof(tu->t->name), "%s", wr_lab_req_str(*add, "name"));
		tu->name = tu->t->name;
		ok = check_name(c, wr_lab_rk_node(rk, "name"), tu->name) && ok;
	}
	tu->have_local = !wr_ip_parse(wr_lab_req_str(*add, "local"), tu->local, &tu->v6);
	if (json_object_object_get_ex(*add, "underlay", NULL))
		ok = check_underlay(c, underlay, wr_lab_req_str(*add, "underlay")) && ok;
	return ok;
}

static void parse_tunnel(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct wr_lab_tunnel *t = &sw->tunnels[sw->n_tunnels];
	size_t n;
	struct json_object *add = NULL;
	struct tun tu = { .name = "-", .t = t };
	struct wr_lab_rk rk;

	memset(t, 0, sizeof(*t));
	t->pos = lab_node_pos(m);
	wr_lab_rk_init(&rk, WR_CMD_TUNNEL_ADD, NULL, own_keys, OWN_COUNT);
	wr_lab_get_keys(c, m, rk.words, ~0u, "in tunnel", rk.v);
	n = 1 + n_items(rk.v[rk.n_api + OWN_VNIS]) + n_items(rk.v[rk.n_api + OWN_REMOTES]);
	t->reqs = calloc(n, sizeof(*t->reqs));
	if (!t->reqs) {
		c->oom = true;
		return;
	}
	if (tunnel_add(c, &rk, m, &tu, &add))
		push_req(&tu, WR_CMD_TUNNEL_ADD, add, m);
	else
		json_object_put(add);
	if (rk.v[rk.n_api + OWN_VNIS])
		parse_vnis(c, &tu, rk.v[rk.n_api + OWN_VNIS]);
	if (n_items(rk.v[rk.n_api + OWN_REMOTES]) > WR_LAB_VTEPS_MAX)
		wr_lab_err_node(c, rk.v[rk.n_api + OWN_REMOTES], "remotes: more than %d",
				WR_LAB_VTEPS_MAX);
	else if (rk.v[rk.n_api + OWN_REMOTES])
		parse_remotes(c, &tu, rk.v[rk.n_api + OWN_REMOTES]);
	/* Kept with its errors too (the lab is unusable then), so that names stay unique. */
	sw->n_tunnels++;
}

void wr_lab_parse_tunnels(struct lab_ctx *c, const yaml_node_t *seq)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	char d[LAB_DESC_SIZE];
	size_t n;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "tunnels: expected a sequence of tunnels, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	n = lab_n_items(seq);
	if (!n)
		return;
	sw->tunnels = calloc(n < WR_LAB_TUNNELS_MAX ? n : WR_LAB_TUNNELS_MAX, sizeof(*sw->tunnels));
	if (!sw->tunnels) {
		c->oom = true;
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top && !c->oom; it++) {
		yaml_node_t *m = lab_node(c, *it);

		if ((size_t)(it - seq->data.sequence.items.start) == WR_LAB_TUNNELS_MAX) {
			wr_lab_err_node(c, m, "tunnels: too many tunnels (at most %d)",
					WR_LAB_TUNNELS_MAX);
			break;
		}
		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "tunnel: expected a mapping (name, underlay, local, "
					"vnis, remotes, ...), got %s", wr_lab_desc(d, m));
			continue;
		}
		parse_tunnel(c, m);
	}
}

/* --------------------------------------------------------------- steer */

/* The match of a steer.add, as "mac 02:00:00:00:00:01", into @buf; "" when it has none. */
static const char *steer_match(struct json_object *args, char *buf, size_t size)
{
	static const char *const keys[] = { "mac", "vlan", "vni" };
	uint8_t mac[6];

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct json_object *v;

		if (!json_object_object_get_ex(args, keys[i], &v))
			continue;
		/* MACs in one spelling, so that 02:AA:... and 02:aa:... are one match. */
		if (i == 0 && !wr_mac_parse(json_object_get_string(v), mac))
			snprintf(buf, size, "mac %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
				 mac[2], mac[3], mac[4], mac[5]);
		else
			snprintf(buf, size, "%s %s", keys[i], json_object_get_string(v));
	}
	return buf;
}

/* One item of `steer`: a steer.add to a port of the switch, with a match no item before has. */
static void parse_steer_item(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct json_object *args = json_object_new_object();
	char b[LAB_SHOW_SIZE], mine[48], other[48];
	struct wr_lab_rk rk;
	bool ok;

	wr_lab_rk_init(&rk, WR_CMD_STEER_ADD, NULL, NULL, 0);
	wr_lab_get_keys(c, m, rk.words, ~0u, "in a steering rule", rk.v);
	ok = wr_lab_rk_values(c, &rk, args);
	ok = wr_lab_rk_required(c, &rk, m, "steer") && ok;
	args = wr_lab_in_table_order(WR_CMD_STEER_ADD, args);
	ok = wr_lab_rk_check(c, &rk, args, m, ok);
	if (ok && !wr_lab_find_port(sw, wr_lab_req_str(args, "port"))) {
		wr_lab_err_node(c, wr_lab_rk_node(&rk, "port"), "port: '%s' is not a port of this switch",
				wr_lab_show(b, wr_lab_req_str(args, "port")));
		ok = false;
	}
	for (size_t i = 0; ok && i < sw->n_steer; i++)
		if (!strcmp(steer_match(args, mine, sizeof(mine)),
			    steer_match(sw->steer[i].args, other, sizeof(other)))) {
			wr_lab_err_node(c, m, "steer: %s has a rule already, at line %u", mine,
					sw->steer[i].pos.line);
			ok = false;
		}
	if (!ok) {
		json_object_put(args);
		return;
	}
	sw->steer[sw->n_steer++] = (struct wr_lab_req){ WR_CMD_STEER_ADD, args, lab_node_pos(m) };
}

void wr_lab_parse_req_list(struct lab_ctx *c, const yaml_node_t *seq, const char *what,
			   const char *noun, const char *shape, size_t max, struct wr_lab_req **out,
			   void (*item)(struct lab_ctx *c, yaml_node_t *m))
{
	char d[LAB_DESC_SIZE];
	size_t n;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "%s: expected a sequence of %s (%s), got %s", what, noun, shape,
				wr_lab_desc(d, seq));
		return;
	}
	n = lab_n_items(seq);
	if (n > max) {
		wr_lab_err_node(c, seq, "%s: %zu %s, a switch takes %zu at most", what, n, noun, max);
		return;
	}
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		c->oom = true;
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
	     it++) {
		yaml_node_t *m = lab_node(c, *it);

		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "%s: expected a mapping %s, got %s", what, shape,
					wr_lab_desc(d, m));
			continue;
		}
		item(c, m);
	}
}

void wr_lab_parse_steer(struct lab_ctx *c, const yaml_node_t *seq)
{
	wr_lab_parse_req_list(c, seq, "steer", "rules", "{mac | vlan | vni, port}", WR_STEER_MAX,
			      &c->lab->sw.steer, parse_steer_item);
}
