/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * portreq.c - where each key of port.add and port.set (wr_api.def) lives
 * in struct wr_port_req, written once: the CLI and the lab file parse a
 * key's value by its type and put it here; wr_port_req_json() reads the
 * same rows back into the request. A new port key is its WR_KEY line and
 * a row of fields[], and both take it. Nothing here touches the system.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "err_priv.h"
#include "wr_control.h"

/*
 * A key's field, of the kind its type says: text (NAME, IFNAME, STR, PORT:
 * "" is unset), a number (INT, ENUM, BOOL: an int or an int64_t as @size
 * says, -1 is unset), or VLANS (only `allowed` so far, whose count and flag
 * are beside it in struct wr_port_req).
 */
struct field {
	const char *key;
	size_t off, size;
	int (*valid)(const char *s);	/* STR: its own check; NULL: bytes within bounds */
};

#define FIELD(key, member, valid) \
	{ key, offsetof(struct wr_port_req, member), sizeof(((struct wr_port_req *)0)->member), \
	  valid }

static const struct field fields[] = {
	FIELD("name", name, NULL),
	FIELD("port", name, NULL),
	FIELD("type", type, NULL),
	FIELD("netns", dev.netns, NULL),
	FIELD("dev", dev.ifname, NULL),
	FIELD("devargs", devargs, wr_devargs_valid),
	FIELD("queue", queue, NULL),
	FIELD("zerocopy", zerocopy, NULL),
	FIELD("umem", umem, NULL),
	FIELD("bd", bd, NULL),
	FIELD("vlan_mode", vlan_mode, NULL),
	FIELD("access_vlan", access_vlan, NULL),
	FIELD("allowed", allowed, NULL),
	FIELD("native_vlan", native_vlan, NULL),
	FIELD("learning", learning, NULL),
	FIELD("mac_limit", mac_limit, NULL),
	FIELD("fastpath", fastpath, NULL),
	FIELD("up", up, NULL),
};

/* The keys that say the port's VLAN mode besides vlan_mode: the CLI's and lab's access and trunk. */
static const struct {
	const char *key;
	enum wr_vlan_mode mode;
} mode_keys[] = {
	{ "access_vlan", WR_VLAN_ACCESS },
	{ "allowed", WR_VLAN_TRUNK },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field *field_of(const char *key)
{
	for (size_t i = 0; i < N(fields); i++)
		if (!strcmp(fields[i].key, key))
			return &fields[i];
	return NULL;
}

static bool is_text(enum wr_api_type t)
{
	return t == WR_T_NAME || t == WR_T_IFNAME || t == WR_T_STR || t == WR_T_PORT;
}

static int64_t get_num(const struct wr_port_req *pc, const struct field *f)
{
	const char *p = (const char *)pc + f->off;
	int64_t i64;
	int i;

	if (f->size == sizeof(i64)) {
		memcpy(&i64, p, sizeof(i64));
		return i64;
	}
	memcpy(&i, p, sizeof(i));
	return i;
}

static void set_num(struct wr_port_req *pc, const struct field *f, int64_t v)
{
	char *p = (char *)pc + f->off;
	int i = (int)v;

	if (f->size == sizeof(v))
		memcpy(p, &v, sizeof(v));
	else
		memcpy(p, &i, sizeof(i));
}

/* @s as key @k's type says (NAME, IFNAME, STR or PORT); 0 or -EINVAL with a message. */
static int check_text(const struct wr_api_key *k, const struct field *f, const char *s)
{
	char b[72];

	switch (k->type) {
	case WR_T_NAME:
		return wr_valid_name((enum wr_name_kind)k->min, s, 0);
	case WR_T_PORT:
		return wr_port_valid_name(s);
	case WR_T_IFNAME:
		return wr_valid_ifname(s);
	default:
		break;
	}
	if (f->valid)
		return f->valid(s);
	if (!*s || strlen(s) > (size_t)k->max || strlen(s) >= f->size)
		return wr_err_set(-EINVAL, "'%s' is not 1 to %lld bytes", wr_quote(b, sizeof(b), s),
				  (long long)k->max);
	return 0;
}

/* The mode @k says (vlan_mode: @v's), or -1. */
static int mode_of(const struct wr_api_key *k, const struct wr_port_val *v)
{
	if (!strcmp(k->name, "vlan_mode"))
		return (int)v->i;
	for (size_t i = 0; i < N(mode_keys); i++)
		if (!strcmp(k->name, mode_keys[i].key))
			return (int)mode_keys[i].mode;
	return -1;
}

/* Whether key @k (its field @f) is set in @pc. */
static bool is_set(const struct wr_port_req *pc, const struct wr_api_key *k,
		   const struct field *f)
{
	if (is_text(k->type))
		return ((const char *)pc + f->off)[0] != '\0';
	if (k->type == WR_T_VLANS)
		return pc->has_allowed;
	return get_num(pc, f) >= 0;
}

/* Which key of @pc said its VLAN mode: the mode's own key if it is set, else vlan_mode. */
static const char *mode_said_by(const struct wr_port_req *pc)
{
	for (size_t i = 0; i < N(mode_keys); i++) {
		const struct wr_api_key *k = wr_api_key_find(WR_CMD_PORT_ADD, mode_keys[i].key);

		if ((int)mode_keys[i].mode == pc->vlan_mode && is_set(pc, k, field_of(k->name)))
			return k->name;
	}
	return "vlan_mode";
}

int wr_port_req_put(struct wr_port_req *pc, const struct wr_api_key *k,
		    const struct wr_port_val *v)
{
	const struct field *f = field_of(k->name);
	int mode = mode_of(k, v), n;

	if (!f)
		return wr_err_set(-EINVAL, "no field of a port request holds it (control/portreq.c)");
	if (mode >= 0 && pc->vlan_mode >= 0 && pc->vlan_mode != mode)
		return wr_err_set(-EINVAL, "makes the port %s, and `%s` makes it %s",
				  wr_vlan_mode_names[mode], mode_said_by(pc),
				  wr_vlan_mode_names[pc->vlan_mode]);
	if (is_text(k->type)) {
		if (v->s && check_text(k, f, v->s))
			return -EINVAL;
		snprintf((char *)pc + f->off, f->size, "%s", v->s ? v->s : "");
	} else if (k->type == WR_T_VLANS) {
		if (v->n > WR_RANGES_MAX)
			return wr_err_set(-EINVAL, "more than %d VLAN ids and ranges", WR_RANGES_MAX);
		memcpy(pc->allowed, v->r, v->n * sizeof(*v->r));
		pc->n_allowed = v->n;
		pc->has_allowed = true;
	} else {
		if (k->type == WR_T_ENUM)
			wr_api_enum_names((enum wr_api_enum)k->min, &n);
		if ((k->type == WR_T_INT && (v->i < k->min || v->i > k->max)) ||
		    (k->type == WR_T_ENUM && (v->i < 0 || v->i >= n)) ||
		    (k->type == WR_T_BOOL && v->i != 0 && v->i != 1) ||
		    (k->type != WR_T_INT && k->type != WR_T_ENUM && k->type != WR_T_BOOL))
			return wr_err_set(-EINVAL, "%lld is out of its range", (long long)v->i);
		set_num(pc, f, v->i);
	}
	if (mode >= 0)
		pc->vlan_mode = mode;
	return 0;
}

void wr_port_req_init(struct wr_port_req *pc)
{
	memset(pc, 0, sizeof(*pc));
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		const struct field *f = field_of(k->name);

		if ((k->cmd == WR_CMD_PORT_ADD || k->cmd == WR_CMD_PORT_SET) && f &&
		    !is_text(k->type) && k->type != WR_T_VLANS)
			set_num(pc, f, -1);
	}
	pc->type = WR_PORT_AFXDP;
}

/* [10, "20-29"]: a VLAN list as port.add takes it. */
static struct json_object *range_list_json(const struct wr_range *r, size_t n)
{
	struct json_object *a = json_object_new_array();
	char buf[16];

	for (size_t i = 0; a && i < n; i++) {
		if (r[i].lo == r[i].hi) {
			json_object_array_add(a, json_object_new_int(r[i].lo));
		} else {
			snprintf(buf, sizeof(buf), "%u-%u", r[i].lo, r[i].hi);
			json_object_array_add(a, json_object_new_string(buf));
		}
	}
	return a;
}

/* Key @k's value in @pc as JSON, or NULL when it is unset. */
static struct json_object *value_json(const struct wr_port_req *pc, const struct wr_api_key *k,
				      const struct field *f)
{
	const char *const *names;
	int64_t v;
	int n;

	if (!is_set(pc, k, f))
		return NULL;
	if (is_text(k->type))
		return json_object_new_string((const char *)pc + f->off);
	if (k->type == WR_T_VLANS)
		return range_list_json(pc->allowed, pc->n_allowed);
	v = get_num(pc, f);
	switch (k->type) {
	case WR_T_BOOL:
		return json_object_new_boolean(v != 0);
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		return v < n ? json_object_new_string(names[v]) : NULL;
	default:
		return json_object_new_int64(v);
	}
}

struct json_object *wr_port_req_json(const struct wr_port_req *pc, bool add)
{
	enum wr_api_cmd cmd = add ? WR_CMD_PORT_ADD : WR_CMD_PORT_SET;
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o && i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		const struct field *f = k->cmd == cmd ? field_of(k->name) : NULL;
		struct json_object *v = f ? value_json(pc, k, f) : NULL;

		if (v)
			json_object_object_add(o, k->name, v);
	}
	return o;
}

struct json_object *wr_api_args_ordered(enum wr_api_cmd cmd, struct json_object *args)
{
	struct json_object *a = json_object_new_object(), *v;

	for (size_t i = 0; a && i < wr_api_n_keys; i++)
		if (wr_api_keys[i].cmd == cmd &&
		    json_object_object_get_ex(args, wr_api_keys[i].name, &v))
			json_object_object_add(a, wr_api_keys[i].name, json_object_get(v));
	return a;
}
