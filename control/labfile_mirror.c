/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_mirror.c - the switch's `mirrors:` list: a mirror.add each
 * (wr_api.def's keys: port, to, dir), both ports the switch's, checked as
 * warrend would refuse them (a port to itself, a loop, a pair twice), so
 * that `lab check` says so before anything is touched.
 */
#include <string.h>

#include <json-c/json.h>

#include "labfile_priv.h"

/* The mirror before @args in the file from or to port @name as @key says ("port", "to"), or NULL. */
static const struct wr_lab_req *mirror_with(const struct wr_lab_switch *sw, const char *key,
					    const char *name)
{
	for (size_t i = 0; i < sw->n_mirrors; i++)
		if (!strcmp(wr_lab_req_str(sw->mirrors[i].args, key), name))
			return &sw->mirrors[i];
	return NULL;
}

static bool port_of_switch(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args,
			   const char *key)
{
	char b[LAB_SHOW_SIZE];

	if (wr_lab_find_port(&c->lab->sw, wr_lab_req_str(args, key)))
		return true;
	wr_lab_err_node(c, wr_lab_rk_node(rk, key), "%s: '%s' is not a port of this switch", key,
			wr_lab_show(b, wr_lab_req_str(args, key)));
	return false;
}

static void parse_mirror(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct json_object *args = json_object_new_object();
	const struct wr_lab_req *o;
	const char *port, *to;
	struct wr_lab_rk rk;
	bool ok;

	wr_lab_rk_init(&rk, WR_CMD_MIRROR_ADD, NULL, NULL, 0);
	wr_lab_get_keys(c, m, rk.words, ~0u, "in a mirror", rk.v);
	ok = wr_lab_rk_values(c, &rk, args);
	ok = wr_lab_rk_required(c, &rk, m, "mirrors") && ok;
	args = wr_lab_in_table_order(WR_CMD_MIRROR_ADD, args);
	ok = wr_lab_rk_check(c, &rk, args, m, ok);
	ok = ok && port_of_switch(c, &rk, args, "port") && port_of_switch(c, &rk, args, "to");
	port = wr_lab_req_str(args, "port");
	to = wr_lab_req_str(args, "to");
	if (ok && !strcmp(port, to)) {
		wr_lab_err_node(c, m, "mirrors: port %s is not mirrored to itself", port);
		ok = false;
	}
	for (size_t i = 0; ok && i < sw->n_mirrors; i++)
		if (!strcmp(wr_lab_req_str(sw->mirrors[i].args, "port"), port) &&
		    !strcmp(wr_lab_req_str(sw->mirrors[i].args, "to"), to)) {
			wr_lab_err_node(c, m, "mirrors: %s to %s is there already, at line %u", port,
					to, sw->mirrors[i].pos.line);
			ok = false;
		}
	if (ok && ((o = mirror_with(sw, "to", port)) || (o = mirror_with(sw, "port", to)))) {
		wr_lab_err_node(c, m, "mirrors: %s to %s: a loop with %s to %s at line %u (a copy "
				"is never copied again)", port, to, wr_lab_req_str(o->args, "port"),
				wr_lab_req_str(o->args, "to"), o->pos.line);
		ok = false;
	}
	if (!ok) {
		json_object_put(args);
		return;
	}
	sw->mirrors[sw->n_mirrors++] = (struct wr_lab_req){ WR_CMD_MIRROR_ADD, args, lab_node_pos(m) };
}

void wr_lab_parse_mirrors(struct lab_ctx *c, const yaml_node_t *seq)
{
	wr_lab_parse_req_list(c, seq, "mirrors", "mirrors", "{port, to, dir}", WR_MIRROR_MAX,
			      &c->lab->sw.mirrors, parse_mirror);
}
