/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_chain.c - the `chains:` list of the lab file's `switch:` section
 * (docs/chains.md): each chain's keys are chain.add's (wr_api.def) in
 * their words, its `hops` a list of mappings of the hop keys
 * (WR_HOP_KEY), read by their types into the request as the tunnels' are
 * (labfile_tunnel.c). Each request is checked with wr_api_check(); what
 * needs the whole switch (its ports are the switch's, no name twice, no
 * port in two chains) is checked here. It fills lab->sw.chains, added by
 * wr_lab_up() after the ports and deleted first by wr_lab_down().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "labfile_priv.h"

/* One hop's mapping @m as its object, or NULL after an error (at the key it concerns). */
static struct json_object *hop_json(struct lab_ctx *c, const yaml_node_t *m)
{
	const char *words[WR_HOP_KEYS_MAX + 1] = { NULL };
	yaml_node_t *v[WR_HOP_KEYS_MAX] = { NULL };
	struct json_object *o = json_object_new_object(), *val;
	char d[LAB_DESC_SIZE];
	bool ok = true;

	if (m->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, m, "hops: expected a mapping {in, out, kind, fail, probe, ...}, got %s",
				wr_lab_desc(d, m));
		json_object_put(o);
		return NULL;
	}
	for (size_t i = 0; i < wr_api_n_hop_keys; i++)
		words[i] = wr_api_hop_keys[i].name;
	wr_lab_get_keys(c, m, words, ~0u, "in a hop", v);
	for (size_t i = 0; i < wr_api_n_hop_keys; i++) {
		const struct wr_api_key *k = &wr_api_hop_keys[i];

		if (!v[i]) {
			if (k->flags & WR_KEY_REQUIRED) {
				wr_lab_err_node(c, m, "hop: missing '%s' (%s)", k->name, k->text);
				ok = false;
			}
			continue;
		}
		val = wr_lab_value_json(c, k, k->name, v[i]);
		if (val)
			json_object_object_add(o, k->name, val);
		ok = ok && val;
	}
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *wr_lab_hops_json(struct lab_ctx *c, const struct wr_api_key *k,
				     const char *word, const yaml_node_t *n)
{
	struct json_object *a, *h;
	char d[LAB_DESC_SIZE];
	bool ok = true;

	if (n->type != YAML_SEQUENCE_NODE || !lab_n_items(n) ||
	    lab_n_items(n) > (size_t)k->max) {
		wr_lab_err_node(c, n, "%s: expected a list of %lld to %lld hops ({in, out}), got %s",
				word, (long long)k->min, (long long)k->max, wr_lab_desc(d, n));
		return NULL;
	}
	a = json_object_new_array();
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		h = hop_json(c, lab_node(c, *it));
		if (h)
			json_object_array_add(a, h);
		ok = ok && h;
	}
	if (!ok) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* Where in the file port @name is a hop port of an earlier chain, or NULL. */
static const struct wr_lab_req *port_chain(const struct wr_lab_switch *sw, const char *name,
					   const char **as)
{
	for (size_t i = 0; i < sw->n_chains; i++) {
		struct json_object *hops = NULL;

		json_object_object_get_ex(sw->chains[i].args, "hops", &hops);
		for (size_t h = 0; hops && h < json_object_array_length(hops); h++) {
			struct json_object *o = json_object_array_get_idx(hops, h);

			if (!strcmp(wr_lab_req_str(o, "in"), name) ||
			    !strcmp(wr_lab_req_str(o, "out"), name)) {
				*as = wr_lab_req_str(sw->chains[i].args, "name");
				return &sw->chains[i];
			}
		}
	}
	return NULL;
}

/* The hop ports of @args: the switch's, in no chain before, each once. */
static bool hops_ok(struct lab_ctx *c, struct json_object *args, const yaml_node_t *at)
{
	const struct wr_lab_switch *sw = &c->lab->sw;
	struct json_object *hops = NULL;
	char b[LAB_SHOW_SIZE];
	const char *seen[2 * WR_CHAIN_HOPS_MAX], *other;
	size_t n_seen = 0;
	bool ok = true;

	json_object_object_get_ex(args, "hops", &hops);
	for (size_t h = 0; hops && h < json_object_array_length(hops); h++) {
		struct json_object *o = json_object_array_get_idx(hops, h);
		const char *names[2] = { wr_lab_req_str(o, "in"), wr_lab_req_str(o, "out") };

		for (int s = 0; s < 2; s++) {
			const struct wr_lab_req *r;

			if (!wr_lab_find_port(sw, names[s])) {
				wr_lab_err_node(c, at, "hops[%zu].%s: '%s' is not a port of this switch",
						h, s ? "out" : "in", wr_lab_show(b, names[s]));
				ok = false;
			} else if ((r = port_chain(sw, names[s], &other))) {
				wr_lab_err_node(c, at, "hops[%zu].%s: port '%s' is a hop port of chain "
						"'%s' already, at line %u", h, s ? "out" : "in",
						names[s], other, r->pos.line);
				ok = false;
			}
			for (size_t i = 0; i < n_seen; i++)
				if (!strcmp(seen[i], names[s])) {
					wr_lab_err_node(c, at, "hops[%zu].%s: port '%s' twice in the chain",
							h, s ? "out" : "in", names[s]);
					ok = false;
				}
			seen[n_seen++] = names[s];
		}
	}
	return ok;
}

/* One item of `chains`: a chain.add on ports of the switch, with a name no item before has. */
static void parse_chain(struct lab_ctx *c, yaml_node_t *m)
{
	struct wr_lab_switch *sw = &c->lab->sw;
	struct json_object *args = json_object_new_object();
	char b[LAB_SHOW_SIZE];
	struct wr_lab_rk rk;
	bool ok;

	wr_lab_rk_init(&rk, WR_CMD_CHAIN_ADD, NULL, NULL, 0);
	wr_lab_get_keys(c, m, rk.words, ~0u, "in a chain", rk.v);
	ok = wr_lab_rk_values(c, &rk, args);
	ok = wr_lab_rk_required(c, &rk, m, "chain") && ok;
	args = wr_lab_in_table_order(WR_CMD_CHAIN_ADD, args);
	ok = wr_lab_rk_check(c, &rk, args, m, ok);
	if (ok && wr_lab_req_str(args, "in_port")[0] &&
	    !wr_lab_find_port(sw, wr_lab_req_str(args, "in_port"))) {
		wr_lab_err_node(c, wr_lab_rk_node(&rk, "in_port"), "in_port: '%s' is not a port of "
				"this switch", wr_lab_show(b, wr_lab_req_str(args, "in_port")));
		ok = false;
	}
	ok = ok && hops_ok(c, args, wr_lab_rk_node(&rk, "hops"));
	for (size_t i = 0; ok && i < sw->n_chains; i++)
		if (!strcmp(wr_lab_req_str(args, "name"), wr_lab_req_str(sw->chains[i].args, "name"))) {
			wr_lab_err_node(c, wr_lab_rk_node(&rk, "name"), "chain '%s': a chain of that "
					"name already, at line %u", wr_lab_req_str(args, "name"),
					sw->chains[i].pos.line);
			ok = false;
		}
	if (!ok) {
		json_object_put(args);
		return;
	}
	sw->chains[sw->n_chains++] = (struct wr_lab_req){ WR_CMD_CHAIN_ADD, args, lab_node_pos(m) };
}

void wr_lab_parse_chains(struct lab_ctx *c, const yaml_node_t *seq)
{
	wr_lab_parse_req_list(c, seq, "chains", "chains", "{name, bd, classifier keys, hops}",
			      WR_CHAIN_MAX, &c->lab->sw.chains, parse_chain);
}
