/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_names.c - the words of wr_api.h's enums, made from their lists, and
 * the one validator of the names a request carries.
 */
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
