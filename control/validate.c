/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * validate.c - checks and parsers for what people type: interface and
 * namespace names, addresses with prefix lengths, MAC addresses, sysctl
 * keys, link kinds and macvlan modes. Each failure returns -EINVAL after
 * recording a message (wr_err_msg()) that quotes the bad text and says what
 * is expected. Nothing here touches the system, so the fuzz targets link it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err_priv.h"
#include "wr_control.h"

/* Room for a quoted value in a message; longer values are cut with "...". */
#define SHOW_SIZE 72

/* @s quoted for a message (wr_err_quote) into @buf of SHOW_SIZE bytes. */
static const char *show(char *buf, const char *s)
{
	return wr_err_quote(buf, SHOW_SIZE, s);
}

/* @ch as a message shows it: 'x', or \xNN when not printable. */
int wr_valid_ifname(const char *name)
{
	char b[SHOW_SIZE];
	const char *p;
	size_t len;

	if (!name || !*name)
		return wr_err_set(-EINVAL, "interface name is empty (expected 1..%d bytes)",
				  WR_IFNAME_MAX);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return wr_err_set(-EINVAL, "'%s' is not a valid interface name", name);
	for (p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		/*
		 * The kernel refuses '/' and ':' (dev_valid_name()); ':' is
		 * also what separates namespace and interface in a lab file.
		 * A '%' makes the kernel treat the name as a template
		 * ("eth%d") and pick a number, so the device would not get
		 * the name asked for.
		 */
		if (ch == '/' || ch == ':' || ch == '%')
			return wr_err_set(-EINVAL, "'%s': interface name may not contain '%c'",
					  show(b, name), ch);
		/* 0xa0 is whitespace to the kernel's isspace() too. */
		if (ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0xa0)
			return wr_err_set(-EINVAL,
					  "'%s': interface name may not contain whitespace",
					  show(b, name));
		if (ch < 0x20 || ch == 0x7f)
			return wr_err_set(-EINVAL,
					  "'%s': interface name may not contain control characters",
					  show(b, name));
	}
	len = strlen(name);
	if (len > WR_IFNAME_MAX)
		return wr_err_set(-EINVAL,
				  "'%s': interface name is %zu bytes, at most %d are allowed",
				  show(b, name), len, WR_IFNAME_MAX);
	return 0;
}

int wr_valid_netns_name(const char *name)
{
	return wr_valid_name(WR_NAME_NETNS, name, 0);
}

int wr_parse_cidr(const char *text, bool need_prefix, struct wr_cidr *out)
{
	char b[SHOW_SIZE], addr[INET6_ADDRSTRLEN];
	struct wr_cidr c;
	const char *slash, *p;
	unsigned int len = 0;
	size_t alen;
	int max;

	if (!text || !*text)
		return wr_err_set(-EINVAL, "address is empty (expected %s)",
				  need_prefix ? "ADDRESS/PREFIX, e.g. 192.0.2.1/24" :
						"an IPv4 or IPv6 address");
	memset(&c, 0, sizeof(c));
	slash = strchr(text, '/');
	alen = slash ? (size_t)(slash - text) : strlen(text);
	if (!alen)
		return wr_err_set(-EINVAL, "'%s': missing address before '/'", show(b, text));
	/* inet_pton() wants the address alone: no prefix, nothing after it. */
	if (alen >= sizeof(addr))
		goto not_addr;
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &c.addr.v4) == 1) {
		c.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, &c.addr.v6) == 1) {
		c.family = AF_INET6;
		max = 128;
	} else {
		goto not_addr;
	}

	if (!slash) {
		if (need_prefix)
			return wr_err_set(-EINVAL,
					  "'%s': missing prefix length (expected ADDRESS/PREFIX, e.g. %s/%d)",
					  show(b, text), c.family == AF_INET ? "192.0.2.1" : "2001:db8::1",
					  c.family == AF_INET ? 24 : 64);
		c.prefixlen = (uint8_t)max;
		*out = c;
		return 0;
	}
	p = slash + 1;
	if (!*p)
		return wr_err_set(-EINVAL, "'%s': missing prefix length after '/'", show(b, text));
	/* Digits only: no sign, no space, no second '/', no hex. */
	if (p[strspn(p, "0123456789")])
		return wr_err_set(-EINVAL, "'%s': prefix length must be a decimal number 0..%d",
				  show(b, text), max);
	if (p[0] == '0' && p[1])
		return wr_err_set(-EINVAL, "'%s': prefix length may not have leading zeros",
				  show(b, text));
	if (strlen(p) <= 3)
		len = (unsigned int)strtoul(p, NULL, 10);
	if (strlen(p) > 3 || len > (unsigned int)max)
		return wr_err_set(-EINVAL, "'%s': prefix length must be 0..%d", show(b, text), max);
	c.prefixlen = (uint8_t)len;
	*out = c;
	return 0;

not_addr:
	return wr_err_set(-EINVAL, "'%s': not an IPv4 or IPv6 address", show(b, text));
}

void wr_format_cidr(const struct wr_cidr *c, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!size)
		return;
	if ((c->family != AF_INET && c->family != AF_INET6) ||
	    !inet_ntop(c->family, c->addr.bytes, a, sizeof(a))) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%s/%u", a, c->prefixlen);
}

int wr_parse_mac(const char *text, uint8_t mac[6])
{
	char b[SHOW_SIZE];

	if (!text || !*text)
		return wr_err_set(-EINVAL,
				  "MAC address is empty (expected six hex pairs like 02:00:00:00:00:01)");
	if (wr_mac_parse(text, mac))
		return wr_err_set(-EINVAL,
				  "'%s': not a MAC address (expected six hex pairs like 02:00:00:00:00:01)",
				  show(b, text));
	return 0;
}

int wr_sysctl_valid_key(const char *key)
{
	char b[SHOW_SIZE];
	const char *p, *q;
	size_t len;

	/* Only net.* is per namespace; others would change the whole host. */
	if (strncmp(key, "net.", 4))
		return wr_err_set(-EINVAL,
				  "sysctl '%s': only keys under 'net.' belong to a namespace",
				  show(b, key));
	if (key[strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-/")])
		return wr_err_set(-EINVAL, "sysctl '%s': may only contain A-Z a-z 0-9 _ . - /",
				  show(b, key));
	len = strlen(key);
	if (len > WR_SYSCTL_KEY_MAX)
		return wr_err_set(-EINVAL, "sysctl '%s': is %zu bytes, at most %d are allowed",
				  show(b, key), len, WR_SYSCTL_KEY_MAX);
	/*
	 * As in sysctl(8), '/' stands for a '.' inside a part (an interface
	 * "eth0.10"); a part made of nothing, or of '/' alone, would become
	 * "", "." or ".." in the /proc path: out of the key's directory.
	 */
	for (p = key; ; p = q + 1) {
		q = strchr(p, '.');
		if (!q)
			q = p + strlen(p);
		if (q == p || strspn(p, "/") >= (size_t)(q - p))
			return wr_err_set(-EINVAL,
					  "sysctl '%s': every part between dots must be a name",
					  show(b, key));
		if (!*q)
			return 0;
	}
}

static const char *const kind_names[WR_LINK_KIND_COUNT] = {
	[WR_LINK_VETH] = "veth",
	[WR_LINK_TAP] = "tap",
	[WR_LINK_TUN] = "tun",
	[WR_LINK_BRIDGE] = "bridge",
	[WR_LINK_VXLAN] = "vxlan",
	[WR_LINK_MACVLAN] = "macvlan",
	[WR_LINK_DUMMY] = "dummy",
	[WR_LINK_IPVLAN] = "ipvlan",
	[WR_LINK_VLAN] = "vlan",
	[WR_LINK_GENEVE] = "geneve",
};

#define N_MACVLAN_MODES 4
static const char *const macvlan_mode_names[N_MACVLAN_MODES] = {
	[WR_MACVLAN_PRIVATE] = "private",
	[WR_MACVLAN_VEPA] = "vepa",
	[WR_MACVLAN_BRIDGE] = "bridge",
	[WR_MACVLAN_PASSTHRU] = "passthru",
};

#define N_IPVLAN_MODES 3
static const char *const ipvlan_mode_names[N_IPVLAN_MODES] = {
	[WR_IPVLAN_L3] = "l3",
	[WR_IPVLAN_L3S] = "l3s",
	[WR_IPVLAN_L2] = "l2",
};

#define N_IPVLAN_FLAGS 3
static const char *const ipvlan_flag_names[N_IPVLAN_FLAGS] = {
	[WR_IPVLAN_BRIDGE] = "bridge",
	[WR_IPVLAN_PRIVATE] = "private",
	[WR_IPVLAN_VEPA] = "vepa",
};

/* "a, b, c" from @names, for "expected one of: ..." */
static const char *join(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < size; i++)
		o += snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

/* Index of @name in @names, or -EINVAL after a message listing them. */
static int lookup(const char *name, const char *what, const char *const *names, size_t n)
{
	char b[SHOW_SIZE], list[128];
	size_t i;

	if (!name || !*name)
		return wr_err_set(-EINVAL, "%s is empty (expected one of: %s)", what,
				  join(list, sizeof(list), names, n));
	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return wr_err_set(-EINVAL, "'%s': unknown %s (expected one of: %s)", show(b, name), what,
			  join(list, sizeof(list), names, n));
}

const char *wr_link_kind_name(enum wr_link_kind kind)
{
	if ((unsigned int)kind >= WR_LINK_KIND_COUNT)
		return NULL;
	return kind_names[kind];
}

int wr_link_kind_parse(const char *name)
{
	return lookup(name, "link kind", kind_names, WR_LINK_KIND_COUNT);
}

const char *wr_macvlan_mode_name(enum wr_macvlan_mode mode)
{
	if ((unsigned int)mode >= N_MACVLAN_MODES)
		return NULL;
	return macvlan_mode_names[mode];
}

int wr_macvlan_mode_parse(const char *name)
{
	return lookup(name, "macvlan mode", macvlan_mode_names, N_MACVLAN_MODES);
}

const char *wr_ipvlan_mode_name(enum wr_ipvlan_mode mode)
{
	return (unsigned int)mode < N_IPVLAN_MODES ? ipvlan_mode_names[mode] : NULL;
}

int wr_ipvlan_mode_parse(const char *name)
{
	return lookup(name, "ipvlan mode", ipvlan_mode_names, N_IPVLAN_MODES);
}

const char *wr_ipvlan_flag_name(enum wr_ipvlan_flag flag)
{
	return (unsigned int)flag < N_IPVLAN_FLAGS ? ipvlan_flag_names[flag] : NULL;
}

int wr_ipvlan_flag_parse(const char *name)
{
	return lookup(name, "ipvlan flag", ipvlan_flag_names, N_IPVLAN_FLAGS);
}
