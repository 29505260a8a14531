/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_table.c - wr_api.def as tables, and the one check of a request's
 * keys against them (types, bounds, required keys, the port types a key
 * is for), which warrend runs before any command and the clients may run
 * before they send.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "wr_api.h"

const struct wr_api_cmd_info wr_api_cmds[WR_CMD_COUNT] = {
#define WR_CMD(id, name, text) [WR_CMD_##id] = { name, text },
#include "wr_api.def"
};

const struct wr_api_key wr_api_keys[] = {
#define WR_KEY(cmd, key, type, min, max, flags, ports, text) \
	{ WR_CMD_##cmd, key, WR_T_##type, min, max, flags, ports, text },
#include "wr_api.def"
};

const size_t wr_api_n_keys = sizeof(wr_api_keys) / sizeof(wr_api_keys[0]);

const struct wr_api_key wr_api_hop_keys[] = {
#define WR_HOP_KEY(key, type, min, max, flags, text) \
	{ WR_CMD_CHAIN_ADD, key, WR_T_##type, min, max, flags, 0, text },
#include "wr_api.def"
};

const size_t wr_api_n_hop_keys = sizeof(wr_api_hop_keys) / sizeof(wr_api_hop_keys[0]);
_Static_assert(sizeof(wr_api_hop_keys) / sizeof(wr_api_hop_keys[0]) <= WR_HOP_KEYS_MAX,
	       "WR_HOP_KEYS_MAX: room for every hop key");

const struct wr_api_key *wr_api_hop_key_find(const char *name)
{
	for (size_t i = 0; i < wr_api_n_hop_keys; i++)
		if (!strcmp(wr_api_hop_keys[i].name, name))
			return &wr_api_hop_keys[i];
	return NULL;
}

int wr_api_cmd_find(const char *name)
{
	for (int i = 0; name && i < WR_CMD_COUNT; i++)
		if (!strcmp(wr_api_cmds[i].name, name))
			return i;
	return -1;
}

const struct wr_api_key *wr_api_key_find(enum wr_api_cmd cmd, const char *name)
{
	for (size_t i = 0; i < wr_api_n_keys; i++)
		if (wr_api_keys[i].cmd == cmd && !strcmp(wr_api_keys[i].name, name))
			return &wr_api_keys[i];
	return NULL;
}

const char *wr_api_word(const char *key)
{
	static const struct {
		const char *key, *word;
	} words[] = {
#define WR_WORD(key, word) { key, word },
#include "wr_api.def"
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].key, key))
			return words[i].word;
	return key;
}

const struct wr_api_key *wr_api_key_of_word(enum wr_api_cmd cmd, const char *word, size_t len)
{
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const char *w = wr_api_word(wr_api_keys[i].name);
		size_t k;

		if (wr_api_keys[i].cmd != cmd || strlen(w) != len)
			continue;
		for (k = 0; k < len && (w[k] == word[k] || (w[k] == '_' && word[k] == '-')); k++)
			;
		if (k == len)
			return &wr_api_keys[i];
	}
	return NULL;
}

/* Replace @len bytes at @at of @msg by @with (no longer than @len). */
static void splice(char *at, size_t len, const char *with)
{
	size_t wl = strlen(with);

	memmove(at + wl, at + len, strlen(at + len) + 1);
	memcpy(at, with, wl);
}

char *wr_api_in_words(char *msg)
{
	size_t klen = strcspn(msg, ": '[`");
	char key[32], *p, *end;
	const char *w;

	if (klen < sizeof(key)) {
		memcpy(key, msg, klen);
		key[klen] = '\0';
		w = wr_api_word(key);
		if (w != key && strlen(w) <= klen)
			splice(msg, klen, w);
	}
	/* `key` -> 'word'; any other `text` -> 'text'. */
	for (p = strchr(msg, '`'); p && (end = strchr(p + 1, '`')); p = strchr(p, '`')) {
		klen = (size_t)(end - p - 1);
		w = NULL;
		if (klen < sizeof(key)) {
			memcpy(key, p + 1, klen);
			key[klen] = '\0';
			w = wr_api_word(key);
		}
		*p = '\'';
		*end = '\'';
		if (w && w != key && strlen(w) <= klen)
			splice(p + 1, klen, w), end = p + 1 + strlen(w);
		p = end + 1;
	}
	return msg;
}

const char *wr_api_key_range(const struct wr_api_key *k, char *buf, size_t size)
{
	static const int name_max[] = {
		[WR_NAME_SWITCH] = WR_SWITCH_NAME_MAX, [WR_NAME_PORT] = WR_PORT_NAME_MAX,
		[WR_NAME_NETNS] = WR_NETNS_NAME_MAX, [WR_NAME_PREFIX] = 32,
	};
	const char *const *names;
	int n;

	switch (k->type) {
	case WR_T_INT:
		snprintf(buf, size, "%lld to %lld", (long long)k->min, (long long)k->max);
		break;
	case WR_T_STR:
		snprintf(buf, size, "1 to %lld bytes", (long long)k->max);
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		wr_enum_list(names, n, buf, size);
		break;
	case WR_T_NAME:
	case WR_T_PORT:
		snprintf(buf, size, "1 to %d bytes of A-Z a-z 0-9 _ . -",
			 k->type == WR_T_PORT ? WR_PORT_NAME_MAX : name_max[k->min]);
		break;
	case WR_T_IFNAME:
		snprintf(buf, size, "1 to %d bytes", WR_IFNAME_MAX);
		break;
	case WR_T_VLANS:
		snprintf(buf, size, "VLAN ids %lld to %lld and LO-HI ranges", (long long)k->min,
			 (long long)k->max);
		break;
	case WR_T_MAC:
		snprintf(buf, size, "six hex pairs, 02:00:00:00:00:01");
		break;
	case WR_T_IP:
		snprintf(buf, size, "an IPv4 or IPv6 address, 192.0.2.1 or 2001:db8::1");
		break;
	case WR_T_GOPTS:
		snprintf(buf, size, "CLASS:TYPE[:DATA] in hex, %d bytes at most with 4 per option",
			 WR_GENEVE_OPTS_MAX);
		break;
	case WR_T_PREFIX:
		snprintf(buf, size, "an IPv4 or IPv6 prefix, 10.0.0.0/8 or 2001:db8::/32");
		break;
	case WR_T_RANGE:
		snprintf(buf, size, "N or LO-HI, each %lld to %lld", (long long)k->min,
			 (long long)k->max);
		break;
	case WR_T_HOPS:
		snprintf(buf, size, "%lld to %lld of them, in their order", (long long)k->min,
			 (long long)k->max);
		break;
	case WR_T_BOOL:
		buf[0] = '\0';
		break;
	}
	return buf;
}

const char *const *wr_api_enum_names(enum wr_api_enum e, int *n)
{
	switch (e) {
	case WR_ENUM_PORT_TYPE:
		*n = WR_PORT_TYPE_COUNT;
		return wr_port_type_names;
	case WR_ENUM_FASTPATH:
		*n = WR_FASTPATH_COUNT;
		return wr_fastpath_names;
	case WR_ENUM_VLAN_MODE:
		*n = WR_VLAN_MODE_COUNT;
		return wr_vlan_mode_names;
	case WR_ENUM_ZEROCOPY:
		*n = WR_ZEROCOPY_COUNT;
		return wr_zerocopy_names;
	case WR_ENUM_TUNNEL_TYPE:
		*n = WR_TUNNEL_TYPE_COUNT;
		return wr_tunnel_type_names;
	case WR_ENUM_CHAIN_KIND:
		*n = WR_CHAIN_KIND_COUNT;
		return wr_chain_kind_names;
	case WR_ENUM_CHAIN_FAIL:
		*n = WR_CHAIN_FAIL_COUNT;
		return wr_chain_fail_names;
	case WR_ENUM_HOP_STATE:
		*n = WR_HOP_STATE_COUNT;
		return wr_hop_state_names;
	case WR_ENUM_UMEM:
		*n = WR_UMEM_COUNT;
		return wr_umem_names;
	case WR_ENUM_PROBE_KIND:
		*n = WR_PROBE_KIND_COUNT;
		return wr_probe_kind_names;
	case WR_ENUM_TAP_DIR:
		*n = WR_TAP_DIR_COUNT;
		return wr_tap_dir_names;
	}
	*n = 0;
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static int bad(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* One element of a VLANS value: an id, or "LO-HI". */
static int check_vlan(const struct wr_api_key *k, size_t i, json_object *e, char *msg,
		      size_t size)
{
	uint16_t lo, hi;

	if (json_object_is_type(e, json_type_int)) {
		int64_t v = json_object_get_int64(e);

		if (v >= k->min && v <= k->max)
			return 0;
	} else if (json_object_is_type(e, json_type_string) &&
		   !wr_range_scan(json_object_get_string(e), (unsigned int)k->min,
				  (unsigned int)k->max, &lo, &hi)) {
		return 0;
	}
	return bad(msg, size, "%s[%zu]: a VLAN id or \"LO-HI\", each %lld to %lld", k->name, i,
		   (long long)k->min, (long long)k->max);
}

/* Geneve options: ["CLASS:TYPE[:DATA]", ...], WR_GENEVE_OPTS_MAX bytes at most with their headers. */
static int check_gopts(const struct wr_api_key *k, json_object *v, char *msg, size_t size)
{
	size_t total = 0;
	struct wr_gopt o;
	char q[72];

	if (!json_object_is_type(v, json_type_array))
		return bad(msg, size, "%s: an array of Geneve options \"CLASS:TYPE[:DATA]\"", k->name);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		const char *s = json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL;

		if (wr_gopt_parse(s, &o))
			return bad(msg, size, "%s[%zu] '%s': a Geneve option CLASS:TYPE[:DATA] in hex, "
				   "0102:80:0000abcd (data in 4-byte words)", k->name, i,
				   s ? wr_quote(q, sizeof(q), s) : json_object_to_json_string(e));
		total += 4u + o.len;
	}
	if (total > WR_GENEVE_OPTS_MAX)
		return bad(msg, size, "%s: %zu bytes of options with their headers, at most %d", k->name,
			   total, WR_GENEVE_OPTS_MAX);
	return 0;
}

static int check_value(const struct wr_api_key *k, json_object *v, char *msg, size_t size);

/* The hop keys of a probe, "hops[@i]": all need `probe`, which needs a target and a namespace. */
static int check_probe(const struct wr_api_key *k, size_t i, json_object *h, char *msg, size_t size)
{
	static const char *const needs_probe[] = {
		"target", "target_port", "netns", "interval_ms", "timeout_ms", "fails", "passes",
	};
	json_object *v;
	int64_t interval = WR_PROBE_INTERVAL_MS, timeout;
	bool tcp;

	if (!json_object_object_get_ex(h, "probe", &v)) {
		for (size_t j = 0; j < sizeof(needs_probe) / sizeof(needs_probe[0]); j++)
			if (json_object_object_get_ex(h, needs_probe[j], NULL))
				return bad(msg, size, "%s[%zu].%s: a key of the hop's `probe`, which is "
					   "not given", k->name, i, needs_probe[j]);
		return 0;
	}
	tcp = !strcmp(json_object_get_string(v), wr_probe_kind_names[WR_PROBE_TCP]);
	if (!json_object_object_get_ex(h, "target", NULL))
		return bad(msg, size, "%s[%zu].target: required by `probe` (the address it goes to)",
			   k->name, i);
	if (!json_object_object_get_ex(h, "netns", NULL))
		return bad(msg, size, "%s[%zu].netns: required by `probe` (the namespace it is sent "
			   "from)", k->name, i);
	if (tcp != json_object_object_get_ex(h, "target_port", NULL))
		return bad(msg, size, tcp ? "%s[%zu].target_port: required by a `tcp` probe" :
			   "%s[%zu].target_port: for a `tcp` probe only", k->name, i);
	if (json_object_object_get_ex(h, "interval_ms", &v))
		interval = json_object_get_int64(v);
	timeout = wr_probe_timeout_ms((uint32_t)interval);
	if (json_object_object_get_ex(h, "timeout_ms", &v))
		timeout = json_object_get_int64(v);
	if (timeout > interval)
		return bad(msg, size, "%s[%zu].timeout_ms: %lld, above `interval_ms` (%lld): one probe "
			   "at a time", k->name, i, (long long)timeout, (long long)interval);
	return 0;
}

/* One hop of a HOPS value, "hops[@i]": an object of hop keys, the required ones there. */
static int check_hop(const struct wr_api_key *k, size_t i, json_object *h, char *msg, size_t size)
{
	char sub[192];

	if (!json_object_is_type(h, json_type_object))
		return bad(msg, size, "%s[%zu]: an object {\"in\": PORT, \"out\": PORT, ...}", k->name, i);
	json_object_object_foreach(h, key, val) {
		const struct wr_api_key *hk = wr_api_hop_key_find(key);

		if (!hk)
			return bad(msg, size, "%s[%zu]: unknown argument '%s'", k->name, i, key);
		if (check_value(hk, val, sub, sizeof(sub)))
			return bad(msg, size, "%s[%zu].%s", k->name, i, sub);
	}
	for (size_t j = 0; j < wr_api_n_hop_keys; j++)
		if ((wr_api_hop_keys[j].flags & WR_KEY_REQUIRED) &&
		    !json_object_object_get_ex(h, wr_api_hop_keys[j].name, NULL))
			return bad(msg, size, "%s[%zu].%s: required", k->name, i, wr_api_hop_keys[j].name);
	return check_probe(k, i, h, msg, size);
}

/* @v as key @k says it must be. */
static int check_value(const struct wr_api_key *k, json_object *v, char *msg, size_t size)
{
	char list[128], why[192], q[72];
	const char *const *names;
	const char *s = NULL;
	uint8_t mac[6], ip[16];
	bool v6;
	int n;

	if (json_object_is_type(v, json_type_string))
		s = json_object_get_string(v);
	switch (k->type) {
	case WR_T_INT:
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < k->min ||
		    json_object_get_int64(v) > k->max ||
		    (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > INT64_MAX))
			return bad(msg, size, "%s: an integer from %lld to %lld", k->name,
				   (long long)k->min, (long long)k->max);
		return 0;
	case WR_T_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return bad(msg, size, "%s: true or false", k->name);
		return 0;
	case WR_T_STR:
		if (!s || !*s || strlen(s) > (size_t)k->max)
			return bad(msg, size, "%s: a string of 1 to %lld characters", k->name,
				   (long long)k->max);
		return 0;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		if (wr_enum_parse(names, n, s) < 0)
			return bad(msg, size, "%s '%s': %s", k->name,
				   s ? wr_quote(q, sizeof(q), s) : json_object_to_json_string(v),
				   wr_enum_list(names, n, list, sizeof(list)));
		return 0;
	case WR_T_NAME:
	case WR_T_PORT:
		if (!s)
			return bad(msg, size, "%s: a string", k->name);
		if (wr_name_check(k->type == WR_T_PORT ? WR_NAME_PORT : (enum wr_name_kind)k->min, s,
				  0, why, sizeof(why)))
			return bad(msg, size, "%s: %s", k->name, why);
		return 0;
	case WR_T_IFNAME:
		if (!s || !*s || strlen(s) > WR_IFNAME_MAX || strpbrk(s, "/: \t\n%"))
			return bad(msg, size, "%s: an interface name, 1 to %d bytes without / : %% "
				   "or blanks", k->name, WR_IFNAME_MAX);
		return 0;
	case WR_T_MAC:
		if (!s || wr_mac_parse(s, mac))
			return bad(msg, size, "%s '%s': a MAC address such as 02:00:00:00:00:01",
				   k->name, s ? wr_quote(q, sizeof(q), s) : json_object_to_json_string(v));
		return 0;
	case WR_T_IP:
		if (!s || wr_ip_parse(s, ip, &v6))
			return bad(msg, size, "%s '%s': a unicast IPv4 or IPv6 address such as "
				   "192.0.2.1 or 2001:db8::1", k->name,
				   s ? wr_quote(q, sizeof(q), s) : json_object_to_json_string(v));
		return 0;
	case WR_T_GOPTS:
		return check_gopts(k, v, msg, size);
	case WR_T_PREFIX: {
		uint8_t len;

		if (!s || wr_prefix_parse(s, ip, &v6, &len))
			return bad(msg, size, "%s '%s': an IPv4 or IPv6 prefix ADDR/LEN such as "
				   "10.0.0.0/8 or 2001:db8::/32, no bits set past LEN", k->name,
				   s ? wr_quote(q, sizeof(q), s) : json_object_to_json_string(v));
		return 0;
	}
	case WR_T_RANGE: {
		uint16_t lo, hi;

		if (json_object_is_type(v, json_type_int) ? json_object_get_int64(v) >= k->min &&
		    json_object_get_int64(v) <= k->max :
		    s && !wr_range_scan(s, (unsigned int)k->min, (unsigned int)k->max, &lo, &hi))
			return 0;
		return bad(msg, size, "%s: N or \"LO-HI\" (LO <= HI), each %lld to %lld", k->name,
			   (long long)k->min, (long long)k->max);
	}
	case WR_T_HOPS:
		if (!json_object_is_type(v, json_type_array) ||
		    (int64_t)json_object_array_length(v) < k->min ||
		    (int64_t)json_object_array_length(v) > k->max)
			return bad(msg, size, "%s: an array of %lld to %lld hops", k->name,
				   (long long)k->min, (long long)k->max);
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (check_hop(k, i, json_object_array_get_idx(v, i), msg, size))
				return -EINVAL;
		return 0;
	case WR_T_VLANS:
		if (!json_object_is_type(v, json_type_array))
			return bad(msg, size, "%s: an array of VLAN ids and \"LO-HI\" ranges", k->name);
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (check_vlan(k, i, json_object_array_get_idx(v, i), msg, size))
				return -EINVAL;
		return 0;
	}
	return bad(msg, size, "%s: of no known type", k->name);
}

/* port.add: the request's port type (afxdp unless given), or -1 if the word is bad. */
static int port_type(enum wr_api_cmd cmd, json_object *args)
{
	json_object *t;

	if (cmd != WR_CMD_PORT_ADD || !json_object_object_get_ex(args, "type", &t))
		return cmd == WR_CMD_PORT_ADD ? WR_PORT_AFXDP : -1;
	return wr_enum_parse(wr_port_type_names, WR_PORT_TYPE_COUNT, json_object_get_string(t));
}

/* Only an AF_XDP port has a kernel fast path: the others take off or auto. */
static int port_fastpath(enum wr_api_cmd cmd, json_object *args, int type, char *msg,
			 size_t size)
{
	json_object *v;
	int fp;

	if (cmd != WR_CMD_PORT_ADD || type == WR_PORT_AFXDP ||
	    !json_object_object_get_ex(args, "fastpath", &v))
		return 0;
	fp = wr_enum_parse(wr_fastpath_names, WR_FASTPATH_COUNT, json_object_get_string(v));
	if (fp == WR_FASTPATH_XDP || fp == WR_FASTPATH_TC)
		return bad(msg, size, "fastpath: %s ports have no kernel fast path ('%s' is for "
			   "afxdp ports; give off or auto)", wr_port_type_names[type],
			   wr_fastpath_names[fp]);
	return 0;
}

/* The port types of mask @ports as "afxdp and tap". */
static const char *port_types(unsigned int ports, char *buf, size_t size)
{
	const char *names[WR_PORT_TYPE_COUNT];
	int n = 0;

	for (int t = 0; t < WR_PORT_TYPE_COUNT; t++)
		if (ports & (1u << t))
			names[n++] = wr_port_type_names[t];
	wr_enum_list(names, n, buf, size);
	return buf;
}

/*
 * A port's VLAN keys must fit its VLAN mode: the request's, or for
 * port.add none when not given (port.set without vlan_mode: the port's,
 * which warrend knows).
 */
static int port_vlans(enum wr_api_cmd cmd, json_object *args, char *msg, size_t size)
{
	static const struct {
		const char *key;
		enum wr_vlan_mode mode;
	} fits[] = {
		{ "bd", WR_VLAN_NONE }, { "access_vlan", WR_VLAN_ACCESS },
		{ "allowed", WR_VLAN_TRUNK }, { "native_vlan", WR_VLAN_TRUNK },
	};
	int mode = WR_VLAN_NONE;
	json_object *v;

	if (cmd != WR_CMD_PORT_ADD && cmd != WR_CMD_PORT_SET)
		return 0;
	if (json_object_object_get_ex(args, "vlan_mode", &v))
		mode = wr_enum_parse(wr_vlan_mode_names, WR_VLAN_MODE_COUNT, json_object_get_string(v));
	else if (cmd == WR_CMD_PORT_SET)
		return 0;
	for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		if ((int)fits[i].mode != mode && json_object_object_get_ex(args, fits[i].key, NULL))
			return bad(msg, size, "%s: for %s ports only, this one is %s",
				   fits[i].key, fits[i].mode == WR_VLAN_NONE ? "untagged (`vlan_mode` none)" :
				   wr_vlan_mode_names[fits[i].mode], mode == WR_VLAN_NONE ?
				   "untagged" : wr_vlan_mode_names[mode]);
	if (mode == WR_VLAN_ACCESS && !json_object_object_get_ex(args, "access_vlan", NULL))
		return bad(msg, size, "access_vlan: required for an access port");
	return 0;
}

/* Exactly one of @cmd's WR_KEY_ONE_OF keys; the message names a second one first. */
static int one_of(enum wr_api_cmd cmd, json_object *args, char *msg, size_t size)
{
	const struct wr_api_key *k[8];
	const char *given[2];
	char list[128];
	size_t o = 0;
	int n = 0, n_given = 0;

	for (size_t i = 0; i < wr_api_n_keys && n < 8; i++)
		if (wr_api_keys[i].cmd == cmd && (wr_api_keys[i].flags & WR_KEY_ONE_OF))
			k[n++] = &wr_api_keys[i];
	list[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s`%s`",
					      !i ? "" : i + 1 == n ? " or " : ", ", k[i]->name);
		if (json_object_object_get_ex(args, k[i]->name, NULL) && n_given < 2)
			given[n_given++] = k[i]->name;
	}
	if (n_given == 2)
		return bad(msg, size, "%s: with `%s`: give one of %s", given[1], given[0], list);
	if (n && !n_given)
		return bad(msg, size, "one of %s is required", list);
	return 0;
}

int wr_api_check(enum wr_api_cmd cmd, json_object *args, char *msg, size_t size)
{
	char list[64];
	int type;

	json_object_object_foreach(args, key, val) {
		const struct wr_api_key *k = wr_api_key_find(cmd, key);

		if (!k)
			return bad(msg, size, "unknown argument '%s'", key);
		if (check_value(k, val, msg, size))
			return -EINVAL;
	}
	type = port_type(cmd, args);
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];
		bool given = json_object_object_get_ex(args, k->name, NULL);

		if (k->cmd != cmd)
			continue;
		if ((k->flags & WR_KEY_REQUIRED) && !given)
			return bad(msg, size, "%s: required", k->name);
		if ((k->flags & WR_KEY_NEEDED) && !given && type >= 0 && (k->ports & (1u << type)))
			return bad(msg, size, "%s: required for %s ports", k->name,
				   wr_port_type_names[type]);
		if (given && k->ports && type >= 0 && !(k->ports & (1u << type)))
			return bad(msg, size, "%s: for %s ports, not %s", k->name,
				   port_types(k->ports, list, sizeof(list)), wr_port_type_names[type]);
	}
	if (port_fastpath(cmd, args, type, msg, size) || one_of(cmd, args, msg, size))
		return -EINVAL;
	return port_vlans(cmd, args, msg, size);
}
