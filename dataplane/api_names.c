/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_names.c - the words of wr_api.h's enums, made from their lists, and
 * the one validator of the names a request carries.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wr_api.h"

#define WR_X_WORD(id, word, text) word,
#define WR_X_TEXT(id, word, text) text,

const char *const wr_port_type_names[] = { WR_PORT_TYPES(WR_X_WORD) };
const char *const wr_port_type_texts[] = { WR_PORT_TYPES(WR_X_TEXT) };
const char *const wr_fastpath_names[] = { WR_FASTPATHS(WR_X_WORD) };
const char *const wr_fastpath_texts[] = { WR_FASTPATHS(WR_X_TEXT) };
const char *const wr_vlan_mode_names[] = { WR_VLAN_MODES(WR_X_WORD) };
const char *const wr_vlan_mode_texts[] = { WR_VLAN_MODES(WR_X_TEXT) };
const char *const wr_zerocopy_names[] = { WR_ZEROCOPIES(WR_X_WORD) };
const char *const wr_zerocopy_texts[] = { WR_ZEROCOPIES(WR_X_TEXT) };
const char *const wr_umem_names[] = { WR_UMEMS(WR_X_WORD) };
const char *const wr_umem_texts[] = { WR_UMEMS(WR_X_TEXT) };
const char *const wr_tunnel_type_names[] = { WR_TUNNEL_TYPES(WR_X_WORD) };
const char *const wr_tunnel_type_texts[] = { WR_TUNNEL_TYPES(WR_X_TEXT) };
const char *const wr_chain_kind_names[] = { WR_CHAIN_KINDS(WR_X_WORD) };
const char *const wr_chain_kind_texts[] = { WR_CHAIN_KINDS(WR_X_TEXT) };
const char *const wr_chain_fail_names[] = { WR_CHAIN_FAILS(WR_X_WORD) };
const char *const wr_chain_fail_texts[] = { WR_CHAIN_FAILS(WR_X_TEXT) };
const char *const wr_hop_state_names[] = { WR_HOP_STATES(WR_X_WORD) };
const char *const wr_hop_state_texts[] = { WR_HOP_STATES(WR_X_TEXT) };
const char *const wr_probe_kind_names[] = { WR_PROBE_KINDS(WR_X_WORD) };
const char *const wr_probe_kind_texts[] = { WR_PROBE_KINDS(WR_X_TEXT) };
const char *const wr_tap_dir_names[] = { WR_TAP_DIRS(WR_X_WORD) };
const char *const wr_tap_dir_texts[] = { WR_TAP_DIRS(WR_X_TEXT) };

int wr_enum_parse(const char *const *names, int n, const char *word)
{
	for (int i = 0; word && i < n; i++)
		if (!strcmp(names[i], word))
			return i;
	return -1;
}

const char *wr_enum_list(const char *const *names, int n, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", !i ? "" : i == n - 1 ? " or " : ", ",
				      names[i]);
	return buf;
}

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

static const struct {
	const char *what;
	size_t max;
	bool empty_ok, no_dot;
} kinds[] = {
	[WR_NAME_SWITCH] = { "switch name", WR_SWITCH_NAME_MAX, false, true },
	[WR_NAME_PORT] = { "port name", WR_PORT_NAME_MAX, false, false },
	[WR_NAME_NETNS] = { "namespace name", WR_NETNS_NAME_MAX, false, false },
	[WR_NAME_PREFIX] = { "prefix", 0, true, false },
};

const char *wr_quote(char *buf, size_t size, const char *s)
{
	size_t o = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		/* Room left for one escape (4) and "..." with its NUL (4). */
		if (o + 9 > size) {
			memcpy(buf + o, "...", 4);
			return buf;
		}
		if (ch < 0x20 || ch >= 0x7f || ch == '\'' || ch == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return buf;
}

int wr_name_check(enum wr_name_kind kind, const char *name, size_t max, char *msg, size_t size)
{
	const char *what = kinds[kind].what;
	size_t len;
	char b[72];

	if (kind != WR_NAME_PREFIX)
		max = kinds[kind].max;
	if (!name || (!*name && !kinds[kind].empty_ok)) {
		snprintf(msg, size, "%s is empty (expected 1..%zu bytes of A-Z a-z 0-9 _ . -)",
			 what, max);
		return -EINVAL;
	}
	len = strspn(name, NAME_CHARS);
	if (name[len]) {
		char c[16];

		snprintf(msg, size, "'%s': %s may not contain '%s' (only A-Z a-z 0-9 _ . -)",
			 wr_quote(b, sizeof(b), name), what, wr_quote(c, sizeof(c), (char[]){ name[len], 0 }));
		return -EINVAL;
	}
	if (kind != WR_NAME_PREFIX && (!strcmp(name, ".") || !strcmp(name, ".."))) {
		snprintf(msg, size, "'%s' is not a valid %s", name, what);
		return -EINVAL;
	}
	/* Its files under /run/warren would hide. */
	if (kinds[kind].no_dot && name[0] == '.') {
		snprintf(msg, size, "'%s': %s may not start with '.'", wr_quote(b, sizeof(b), name), what);
		return -EINVAL;
	}
	if (len > max) {
		snprintf(msg, size, "'%s': %s is %zu bytes, at most %zu are allowed", wr_quote(b, sizeof(b), name),
			 what, len, max);
		return -EINVAL;
	}
	return 0;
}

static int hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

int wr_mac_parse(const char *text, uint8_t mac[6])
{
	uint8_t m[6];

	if (!text)
		return -EINVAL;
	/* Each read stops at the NUL, which is neither hex nor ':'. */
	for (int i = 0; i < 6; i++) {
		const char *p = text + 3 * i;
		int hi = hex_val(p[0]), lo = hi < 0 ? -1 : hex_val(p[1]);

		if (lo < 0 || p[2] != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, sizeof(m));
	return 0;
}

int wr_ip_parse(const char *text, uint8_t ip[16], bool *ipv6)
{
	uint8_t a[16] = { 0 };
	bool v6;

	if (!text)
		return -EINVAL;
	v6 = strchr(text, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, text, a) != 1)
		return -EINVAL;
	if (v6 ? a[0] == 0xff || !memcmp(a, (uint8_t[16]){ 0 }, 16) :
	    !memcmp(a, (uint8_t[4]){ 0 }, 4) || (a[0] >= 224 && a[0] <= 239) ||
	    !memcmp(a, (uint8_t[4]){ 255, 255, 255, 255 }, 4))
		return -EINVAL;
	memcpy(ip, a, 16);
	*ipv6 = v6;
	return 0;
}

static int hex_digits(const char *s, size_t n, unsigned long *out)
{
	unsigned long v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = hex_val(s[i]);

		if (d < 0)
			return -EINVAL;
		v = v << 4 | (unsigned long)d;
	}
	*out = v;
	return 0;
}

int wr_gopt_parse(const char *text, struct wr_gopt *o)
{
	const char *c1, *c2;
	size_t n_cls, n_type, n_data;
	unsigned long v;
	struct wr_gopt g = { 0 };

	if (!text || !(c1 = strchr(text, ':')))
		return -EINVAL;
	c2 = strchr(c1 + 1, ':');
	n_cls = (size_t)(c1 - text);
	n_type = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	n_data = c2 ? strlen(c2 + 1) : 0;
	if (n_cls < 1 || n_cls > 4 || n_type < 1 || n_type > 2 || (c2 && !n_data) ||
	    n_data % 8 || n_data / 2 > sizeof(g.data))
		return -EINVAL;
	if (hex_digits(text, n_cls, &v))
		return -EINVAL;
	g.cls = (uint16_t)v;
	if (hex_digits(c1 + 1, n_type, &v))
		return -EINVAL;
	g.type = (uint8_t)v;
	g.len = (uint8_t)(n_data / 2);
	for (size_t i = 0; i < g.len; i++) {
		if (hex_digits(c2 + 1 + 2 * i, 2, &v))
			return -EINVAL;
		g.data[i] = (uint8_t)v;
	}
	*o = g;
	return 0;
}

const char *wr_gopt_text(const struct wr_gopt *o, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%04x:%02x%s", o->cls, o->type, o->len ? ":" : "");

	for (size_t i = 0; i < o->len && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%02x", o->data[i]);
	return buf;
}

const char *wr_ip_text(const uint8_t ip[16], bool ipv6, char *buf, size_t size)
{
	if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

/* A plain decimal in [@min, @max] at the start of @s; *@end after it. -1 if none. */
static long number(const char *s, const char **end, unsigned int min, unsigned int max)
{
	unsigned long v = 0;
	int digits = 0;

	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits == 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*end = s;
	return !digits || v < min || v > max ? -1 : (long)v;
}

int wr_range_scan(const char *text, unsigned int min, unsigned int max, uint16_t *lo,
		  uint16_t *hi)
{
	const char *p = text;
	long l, h;

	l = number(p, &p, min, max);
	if (l < 0)
		return -EINVAL;
	h = l;
	if (*p == '-') {
		h = number(p + 1, &p, min, max);
		if (h < 0)
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if (h < l)
		return -ERANGE;
	*lo = (uint16_t)l;
	*hi = (uint16_t)h;
	return 0;
}

int wr_prefix_parse(const char *text, uint8_t ip[16], bool *ipv6, uint8_t *len)
{
	const char *slash = text ? strchr(text, '/') : NULL;
	char addr[INET6_ADDRSTRLEN];
	unsigned int n = 0, max;
	const char *d;

	if (!slash || slash == text || (size_t)(slash - text) >= sizeof(addr) || !slash[1])
		return -EINVAL;
	memcpy(addr, text, (size_t)(slash - text));
	addr[slash - text] = '\0';
	memset(ip, 0, 16);
	*ipv6 = strchr(addr, ':') != NULL;
	if (inet_pton(*ipv6 ? AF_INET6 : AF_INET, addr, ip) != 1)
		return -EINVAL;
	max = *ipv6 ? 128 : 32;
	for (d = slash + 1; *d >= '0' && *d <= '9' && n <= max; d++)
		n = n * 10 + (unsigned int)(*d - '0');
	if (*d || n > max || (slash[1] == '0' && slash[2]))
		return -EINVAL;
	for (unsigned int bit = n; bit < max; bit++)
		if (ip[bit / 8] & (0x80 >> (bit % 8)))
			return -EINVAL;
	*len = (uint8_t)n;
	return 0;
}
