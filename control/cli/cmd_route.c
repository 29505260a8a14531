/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_route.c - warren route add|del|show: routes of the main table. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

/* -4 / -6 → AF_INET / AF_INET6; 0 when @arg is neither. */
static int family_flag(const char *arg)
{
	if (!strcmp(arg, "-4"))
		return AF_INET;
	if (!strcmp(arg, "-6"))
		return AF_INET6;
	return 0;
}

/* 1 if @c has bits set beyond its prefix length (10.0.0.1/24). */
static bool has_host_bits(const struct wr_cidr *c)
{
	unsigned int len = c->family == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < len; i++) {
		unsigned int keep = c->prefixlen >= 8 * (i + 1) ? 8 :
				    c->prefixlen > 8 * i ? c->prefixlen - 8 * i : 0;
		uint8_t mask = (uint8_t)(0xff << (8 - keep));

		if (keep < 8 && (c->addr.bytes[i] & (uint8_t)~mask))
			return true;
	}
	return false;
}

static void clear_host_bits(struct wr_cidr *c)
{
	unsigned int len = c->family == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < len; i++) {
		unsigned int keep = c->prefixlen >= 8 * (i + 1) ? 8 :
				    c->prefixlen > 8 * i ? c->prefixlen - 8 * i : 0;

		c->addr.bytes[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

/* (default|CIDR) [via ADDR] [dev IFNAME] [metric N] [-4|-6], in any order after the first. */
static int parse_route(struct wr_ctx *ctx, int argc, char **argv, bool add, struct wr_route *r)
{
	const char *dst = NULL, *via = NULL, *dev = NULL, *metric = NULL, *v;
	char fixed[INET6_ADDRSTRLEN + 4];
	int family = 0, f;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < argc; i++) {
		const char **slot = NULL;

		if ((f = family_flag(argv[i]))) {
			if (family && family != f)
				return wr_usage(ctx, "give one of -4 and -6");
			family = f;
			continue;
		}
		if (!strcmp(argv[i], "via"))
			slot = &via;
		else if (!strcmp(argv[i], "dev"))
			slot = &dev;
		else if (!strcmp(argv[i], "metric") || !strcmp(argv[i], "priority") ||
			 !strcmp(argv[i], "preference"))
			slot = &metric;
		if (slot) {
			if (*slot)
				return wr_usage(ctx, "'%s' given twice", argv[i]);
			v = wr_next_arg(ctx, argc, argv, &i);
			if (!v)
				return WR_EXIT_USAGE;
			*slot = v;
		} else if (!dst) {
			dst = argv[i];
		} else {
			return wr_usage(ctx, "unknown keyword '%s'", argv[i]);
		}
	}
	if (!dst)
		return wr_usage(ctx, "expected 'default' or a destination CIDR");
	if (via) {
		if (strchr(via, '/'))
			return wr_usage(ctx, "via: '%s': expected an address without a prefix length",
					via);
		if (wr_parse_cidr(via, false, &r->via))
			return wr_usage(ctx, "via: %s", wr_err_msg());
		r->has_via = true;
		if (family && r->via.family != family)
			return wr_usage(ctx, "via: '%s' is not an IPv%d address", via,
					family == AF_INET ? 4 : 6);
	}
	if (!strcmp(dst, "default")) {
		/* The family of a default route: -4/-6, else the gateway's, else IPv4. */
		r->dst.family = family ? family : r->has_via ? r->via.family : AF_INET;
		r->dst.prefixlen = 0;
	} else {
		if (wr_parse_cidr(dst, false, &r->dst))
			return wr_usage(ctx, "%s", wr_err_msg());
		if (family && r->dst.family != family)
			return wr_usage(ctx, "'%s' is not an IPv%d destination", dst,
					family == AF_INET ? 4 : 6);
		if (has_host_bits(&r->dst)) {
			struct wr_cidr c = r->dst;

			clear_host_bits(&c);
			wr_format_cidr(&c, fixed, sizeof(fixed));
			return wr_usage(ctx, "'%s' has host bits set beyond its prefix; did you mean "
					"%s?", dst, fixed);
		}
	}
	if (r->has_via && r->via.family != r->dst.family)
		return wr_usage(ctx, "via: '%s' and the destination are of different address "
				"families", via);
	if (dev) {
		if (wr_valid_ifname(dev))
			return wr_usage(ctx, "dev: %s", wr_err_msg());
		snprintf(r->dev, sizeof(r->dev), "%s", dev);
	}
	if (add && !via && !dev)
		return wr_usage(ctx, "a route needs 'via ADDR', 'dev IFNAME' or both");
	if (metric && wr_parse_u32(ctx, "metric", metric, 0, 4294967295UL, &r->metric))
		return WR_EXIT_USAGE;
	return 0;
}

static int route_add(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_route r;
	int err;

	err = parse_route(ctx, argc, argv, true, &r);
	if (err)
		return err;
	return wr_route_add(ctx->netns, &r) ? wr_fail() : WR_EXIT_OK;
}

static int route_del(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_route r;
	int err;

	err = parse_route(ctx, argc, argv, false, &r);
	if (err)
		return err;
	return wr_route_del(ctx->netns, &r) ? wr_fail() : WR_EXIT_OK;
}

static int print_route(const struct wr_route *r, void *arg)
{
	char dst[INET6_ADDRSTRLEN + 4], gw[INET6_ADDRSTRLEN];

	(void)arg;
	if (r->dst.prefixlen == 0)
		snprintf(dst, sizeof(dst), "default");
	else
		wr_format_cidr(&r->dst, dst, sizeof(dst));
	wr_print_open_object(NULL);
	wr_print_str("dst", "%s", dst);
	wr_print_str("family", NULL, r->dst.family == AF_INET ? "inet" : "inet6");
	if (r->has_via && inet_ntop(r->via.family, r->via.addr.bytes, gw, sizeof(gw)))
		wr_print_str("gateway", " via %s", gw);
	else
		wr_print_null("gateway", NULL);
	if (r->dev[0])
		wr_print_str("dev", " dev %s", r->dev);
	else
		wr_print_null("dev", NULL);
	wr_print_uint("metric", " metric %" PRIu64, r->metric);
	wr_print_text("\n");
	wr_print_close_object();
	return 0;
}

static int route_show(struct wr_ctx *ctx, int argc, char **argv)
{
	int family = 0, f, n;

	for (int i = 0; i < argc; i++) {
		f = family_flag(argv[i]);
		if (!f)
			return wr_usage(ctx, "unknown argument '%s' (only -4 or -6)", argv[i]);
		if (family && family != f)
			return wr_usage(ctx, "give one of -4 and -6");
		family = f;
	}
	wr_print_open_array(NULL);
	n = wr_route_foreach(ctx->netns, family, print_route, NULL);
	wr_print_close_array();
	wr_print_end();
	return n < 0 ? wr_fail() : WR_EXIT_OK;
}

static const struct wr_arg change_args[] = {
	{ "default", "the default route: 0.0.0.0/0, or ::/0 with -6 or an IPv6 gateway" },
	{ "CIDR", "the destination prefix, e.g. 198.51.100.0/24 or 2001:db8:1::/48; no "
	  "host bits beyond the prefix; without a length a host route" },
	{ "via ADDR", "the gateway, of the destination's family; it must be reachable "
	  "through a connected subnet" },
	{ "dev IFNAME", "the output device; for add optional with via, required without it" },
	{ "metric N", "the route's priority, lower wins ('priority' and 'preference' are "
	  "synonyms); omitted or 0: the kernel's default (IPv4 0, IPv6 1024)" },
	{ "-4, -6", "the family of 'default' when there is no gateway to tell it" },
	{ NULL, NULL },
};

const struct wr_cmd wr_route_cmds[] = {
	{
		.object = "route", .name = "add",
		.synopsis = "route add (default|CIDR) [via ADDR] [dev IFNAME] [metric N] [-4|-6]",
		.summary = "add a route to the main table",
		.description =
			"Adds a unicast route to the main table of the namespace given with -n, "
			"with protocol static, as `ip route add`. A route through a gateway has "
			"scope global; a route with only a device has scope link (the destination "
			"is on the link). At least one of via and dev is needed. Adding a route "
			"that exists is an error.",
		.args = change_args,
		.examples = "warren -n h1 route add default via 192.0.2.254\n"
			    "warren -n h1 route add default via 2001:db8::fe\n"
			    "warren -n h1 route add 198.51.100.0/24 via 192.0.2.2 dev eth0 metric 10\n"
			    "warren -n h1 route add 203.0.113.0/24 dev eth1",
		.run = route_add,
	},
	{
		.object = "route", .name = "del",
		.synopsis = "route del (default|CIDR) [via ADDR] [dev IFNAME] [metric N] [-4|-6]",
		.summary = "delete a route from the main table",
		.description =
			"Deletes a route of the main table of the namespace given with -n, as "
			"`ip route del`. The destination must match; via, dev and metric narrow "
			"the choice when several routes share it. Routes the kernel made (protocol "
			"kernel) can be deleted too.",
		.args = change_args,
		.examples = "warren -n h1 route del default\n"
			    "warren -n h1 route del 198.51.100.0/24 via 192.0.2.2",
		.run = route_del,
	},
	{
		.object = "route", .name = "show",
		.synopsis = "route show [-4|-6]",
		.summary = "show the routes of the main table",
		.description =
			"Shows the unicast routes of the main table of the namespace given with -n, "
			"IPv4 then IPv6, or one family: what `ip route` and `ip -6 route` show, "
			"including the prefix routes the kernel adds for addresses (IPv6 "
			"link-local fe80::/64 among them). Local, broadcast and multicast routes of "
			"the local table are left out. A multipath route shows as one entry per "
			"hop.\n\n"
			"JSON: an array of objects with the keys dst (\"default\" or a CIDR), "
			"family (\"inet\" or \"inet6\"), gateway (null if none), dev (null if none) "
			"and metric.",
		.args = (const struct wr_arg[]){
			{ "-4, -6", "only IPv4 or only IPv6 routes" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 route show\nwarren -j -n h1 route show -6",
		.shows_state = true,
		.run = route_show,
	},
	{ .name = NULL },
};
