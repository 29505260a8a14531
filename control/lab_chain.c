/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_chain.c - whether a chain warrend has (an element of chain.list)
 * is the one the lab file asks for (its chain.add request), key by key
 * of chain.add's table (wr_api.def), so that `lab up` on a running lab
 * replaces a chain the file changed (lab_switch.c).
 *
 * Both sides are read into one canonical text per key: a prefix, an
 * address or a MAC as warrend prints it, a range as LO-HI, so that a
 * file's "10.0.0.1/8" or "02:00:00:00:00:0B" is the chain warrend shows
 * as "10.0.0.0/8", "02:00:00:00:00:0b". A key the file leaves out is
 * compared with its default (priority 0, kind l2, fail open, the probe's
 * timing), or, having none, with its absence.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lab_priv.h"

#define CANON_MAX 64

/* Member @key of @o, or of its object @sub (a hop's "probe", a chain's "classifier"); NULL. */
static struct json_object *look(struct json_object *o, const char *sub, const char *key)
{
	struct json_object *s = NULL, *v = NULL;

	if (json_object_object_get_ex(o, sub, &s) && json_object_is_type(s, json_type_object) &&
	    json_object_object_get_ex(s, key, &v))
		return v;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Value @v of key @k in one form for both sides, into @buf ("" for none). */
static const char *canon(const struct wr_api_key *k, struct json_object *v, char *buf)
{
	const char *s = v ? json_object_get_string(v) : "";
	uint8_t ip[16], len, m[6];
	uint16_t lo, hi;
	char a[46];
	bool v6;

	buf[0] = '\0';
	if (!v)
		return buf;
	if (k->type == WR_T_RANGE && json_object_is_type(v, json_type_int))
		snprintf(buf, CANON_MAX, "%s-%s", s, s);
	else if (k->type == WR_T_RANGE && !wr_range_scan(s, 0, 65535, &lo, &hi))
		snprintf(buf, CANON_MAX, "%u-%u", lo, hi);
	else if (k->type == WR_T_PREFIX && !wr_prefix_parse(s, ip, &v6, &len))
		snprintf(buf, CANON_MAX, "%s/%u", wr_ip_text(ip, v6, a, sizeof(a)), len);
	else if (k->type == WR_T_IP && !wr_ip_parse(s, ip, &v6))
		snprintf(buf, CANON_MAX, "%s", wr_ip_text(ip, v6, a, sizeof(a)));
	else if (k->type == WR_T_MAC && !wr_mac_parse(s, m))
		snprintf(buf, CANON_MAX, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
	else
		snprintf(buf, CANON_MAX, "%s", s);
	return buf;
}

/*
 * What warrend takes for key @key that the file's @want (a chain, or a hop)
 * leaves out: "": none; NULL: whatever warrend found (not compared).
 */
static const char *dflt(struct json_object *want, const char *key, char *buf)
{
	struct json_object *iv = NULL;
	int64_t interval = WR_PROBE_INTERVAL_MS;
	bool probe = json_object_object_get_ex(want, "probe", NULL);

	buf[0] = '\0';
	if (json_object_object_get_ex(want, "interval_ms", &iv))
		interval = json_object_get_int64(iv);
	if (!strcmp(key, "priority"))
		snprintf(buf, CANON_MAX, "0");
	else if (!strcmp(key, "kind"))
		snprintf(buf, CANON_MAX, "%s", wr_chain_kind_names[WR_CHAIN_L2]);
	else if (!strcmp(key, "fail"))
		snprintf(buf, CANON_MAX, "%s", wr_chain_fail_names[WR_CHAIN_FAIL_OPEN]);
	else if (probe && !strcmp(key, "interval_ms"))
		snprintf(buf, CANON_MAX, "%d", WR_PROBE_INTERVAL_MS);
	else if (probe && !strcmp(key, "timeout_ms"))
		snprintf(buf, CANON_MAX, "%u", wr_probe_timeout_ms((uint32_t)interval));
	else if (probe && !strcmp(key, "fails"))
		snprintf(buf, CANON_MAX, "%d", WR_PROBE_FAILS);
	else if (probe && !strcmp(key, "passes"))
		snprintf(buf, CANON_MAX, "%d", WR_PROBE_PASSES);
	else if (!strcmp(key, "in_mac") || !strcmp(key, "out_mac"))
		return NULL;	/* a router's MACs: warrend reads them, whatever they are */
	return buf;
}

/*
 * The first of @cmd's keys in @keys (@n) whose value differs between the
 * file's @want and warrend's @have (looked up in @have and its object
 * @sub), or NULL. The name is how warrend found @have; hops are apart.
 */
static const char *differs(const struct wr_api_key *keys, size_t n, enum wr_api_cmd cmd,
			   struct json_object *want, struct json_object *have, const char *sub)
{
	char w[CANON_MAX], h[CANON_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct wr_api_key *k = &keys[i];
		struct json_object *v = NULL;

		if (k->cmd != cmd || k->type == WR_T_HOPS || !strcmp(k->name, "name"))
			continue;
		if (json_object_object_get_ex(want, k->name, &v))
			canon(k, v, w);
		else if (!dflt(want, k->name, w))
			continue;
		if (strcmp(w, canon(k, look(have, sub, k->name), h)))
			return k->name;
	}
	return NULL;
}

const char *wr_lab_chain_changed(struct json_object *have, struct json_object *args, int *hop)
{
	struct json_object *h = wr_json_array(have, "hops"), *w = wr_json_array(args, "hops");
	const char *key;

	*hop = -1;
	key = differs(wr_api_keys, wr_api_n_keys, WR_CMD_CHAIN_ADD, args, have, "classifier");
	if (key)
		return key;
	if (!h || !w || json_object_array_length(h) != json_object_array_length(w))
		return "hops";
	for (size_t i = 0; i < json_object_array_length(w); i++) {
		key = differs(wr_api_hop_keys, wr_api_n_hop_keys, WR_CMD_CHAIN_ADD,
			      json_object_array_get_idx(w, i), json_object_array_get_idx(h, i),
			      "probe");
		if (key) {
			*hop = (int)i;
			return key;
		}
	}
	return NULL;
}
