/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * swconf.c - the words of warrend's configuration as control/ writes them:
 * instance and port names, lists of VLAN ids or cores ("10,20-29"), a dpdk
 * port's devargs. Each failure returns
 * -EINVAL after recording a message that quotes the bad text. Names and
 * their rules are wr_api.h's. Nothing here touches the system, so the lab
 * file's fuzz target links it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err_priv.h"
#include "wr_control.h"

#define SHOW_SIZE 72

int wr_valid_name(enum wr_name_kind kind, const char *name, size_t max)
{
	char msg[256];

	return wr_name_check(kind, name, max, msg, sizeof(msg)) ?
		wr_err_set(-EINVAL, "%s", msg) : 0;
}

int wr_switch_valid_name(const char *name)
{
	return wr_valid_name(WR_NAME_SWITCH, name, 0);
}

int wr_port_valid_name(const char *name)
{
	return wr_valid_name(WR_NAME_PORT, name, 0);
}

const char *wr_devargs_dev(const char *devargs, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(devargs, ","), devargs);
	return buf;
}

int wr_devargs_afxdp_iface(const char *devargs, char *ifname, size_t size)
{
	const char *p = devargs + strcspn(devargs, ",");
	char val[WR_DEVARGS_MAX + 1], msg[256];
	size_t len;

	if (strncmp(devargs, "net_af_xdp", strlen("net_af_xdp")))
		return 0;
	/* "net_af_xdp0,iface=p1,start_queue=0": keys after the name, one per comma. */
	while (*p == ',') {
		p++;
		len = strcspn(p, ",");
		if (!strncmp(p, "iface=", strlen("iface="))) {
			snprintf(val, sizeof(val), "%.*s", (int)(len - strlen("iface=")),
				 p + strlen("iface="));
			if (wr_valid_ifname(val)) {
				snprintf(msg, sizeof(msg), "%s", wr_err_msg());
				return wr_err_set(-EINVAL, "iface: %s", msg);
			}
			snprintf(ifname, size, "%s", val);
			return 1;
		}
		p += len;
	}
	return 0;
}

int wr_devargs_valid(const char *devargs)
{
	char b[SHOW_SIZE], iface[IFNAMSIZ];
	size_t len = strlen(devargs);

	if (!len)
		return wr_err_set(-EINVAL, "devargs is empty (expected what DPDK probes: "
				  "net_tap0,iface=dt1, 0000:03:00.0, ...)");
	if (len > WR_DEVARGS_MAX)
		return wr_err_set(-EINVAL, "'%s': devargs is %zu bytes, at most %d are allowed",
				  wr_err_quote(b, sizeof(b), devargs), len, WR_DEVARGS_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)devargs[i] < 0x20 || devargs[i] == 0x7f)
			return wr_err_set(-EINVAL, "'%s': devargs may not contain control "
					  "characters", wr_err_quote(b, sizeof(b), devargs));
	if (devargs[0] == ',')
		return wr_err_set(-EINVAL, "'%s': devargs has no device name before its first "
				  "comma (net_tap0,iface=dt1)",
				  wr_err_quote(b, sizeof(b), devargs));
	return wr_devargs_afxdp_iface(devargs, iface, sizeof(iface)) < 0 ? -EINVAL : 0;
}

int wr_range_parse(const char *text, const char *what, unsigned int min, unsigned int max,
		   struct wr_range *out)
{
	char b[SHOW_SIZE];
	int err = wr_range_scan(text, min, max, &out->lo, &out->hi);

	if (err == -ERANGE)
		return wr_err_set(-EINVAL, "%s range '%s' goes backwards (write LOW-HIGH)",
				  what, wr_err_quote(b, sizeof(b), text));
	if (err)
		return wr_err_set(-EINVAL, "'%s' is not a %s or a range of them (expected N or "
				  "LOW-HIGH, each %u..%u)", wr_err_quote(b, sizeof(b), text), what,
				  min, max);
	return 0;
}

int wr_range_list_parse(const char *text, const char *what, unsigned int min,
			unsigned int max, struct wr_range *out, size_t max_n, size_t *n)
{
	char item[32], b[SHOW_SIZE];
	const char *p = text;
	int err;

	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (*n == max_n)
			return wr_err_set(-EINVAL, "'%s': more than %zu %s ids and ranges",
					  wr_err_quote(b, sizeof(b), text), max_n, what);
		if (!len || len >= sizeof(item))
			return wr_err_set(-EINVAL, "'%s' is not a list of %ss (expected N or "
					  "LOW-HIGH, separated by commas)",
					  wr_err_quote(b, sizeof(b), text), what);
		memcpy(item, p, len);
		item[len] = '\0';
		err = wr_range_parse(item, what, min, max, &out[*n]);
		if (err)
			return err;
		(*n)++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

const char *wr_range_list_format(const struct wr_range *r, size_t n, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++) {
		if (r[i].lo == r[i].hi)
			o += (size_t)snprintf(buf + o, size - o, "%s%u", i ? "," : "", r[i].lo);
		else
			o += (size_t)snprintf(buf + o, size - o, "%s%u-%u", i ? "," : "", r[i].lo,
					      r[i].hi);
	}
	return buf;
}
