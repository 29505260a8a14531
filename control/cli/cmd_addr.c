/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_addr.c - warren addr add|del|show: IPv4 and IPv6 addresses. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

/* CIDR and "dev IFNAME", in either order; both required. */
static int parse_change(struct wr_ctx *ctx, int argc, char **argv, struct wr_ep *ep,
			struct wr_cidr *addr)
{
	const char *cidr = NULL, *dev = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			if (dev)
				return wr_usage(ctx, "'dev' given twice");
			dev = wr_next_arg(ctx, argc, argv, &i);
			if (!dev)
				return WR_EXIT_USAGE;
		} else if (!cidr) {
			cidr = argv[i];
		} else {
			return wr_usage(ctx, "unexpected '%s' (one CIDR and 'dev IFNAME' expected)",
					argv[i]);
		}
	}
	if (!cidr)
		return wr_usage(ctx, "expected CIDR dev IFNAME");
	if (!dev)
		return wr_usage(ctx, "'dev IFNAME' is missing");
	if (wr_parse_cidr(cidr, false, addr))
		return wr_usage(ctx, "%s", wr_err_msg());
	if (wr_valid_ifname(dev))
		return wr_usage(ctx, "dev: %s", wr_err_msg());
	snprintf(ep->ifname, sizeof(ep->ifname), "%s", dev);
	snprintf(ep->netns, sizeof(ep->netns), "%s", ctx->netns ? ctx->netns : "");
	return 0;
}

static int addr_change(struct wr_ctx *ctx, int argc, char **argv,
		       int (*op)(const struct wr_ep *ep, const struct wr_cidr *addr))
{
	struct wr_cidr addr;
	struct wr_ep ep;
	int err;

	err = parse_change(ctx, argc, argv, &ep, &addr);
	if (err)
		return err;
	return op(&ep, &addr) ? wr_fail() : WR_EXIT_OK;
}

static int addr_add(struct wr_ctx *ctx, int argc, char **argv)
{
	return addr_change(ctx, argc, argv, wr_addr_add);
}

static int addr_del(struct wr_ctx *ctx, int argc, char **argv)
{
	return addr_change(ctx, argc, argv, wr_addr_del);
}

static int print_addr(const struct wr_addr_info *ai, void *arg)
{
	char a[INET6_ADDRSTRLEN];

	(void)arg;
	if (!inet_ntop(ai->addr.family, ai->addr.addr.bytes, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	wr_print_open_object(NULL);
	wr_print_str("ifname", "%-16s ", ai->ifname);
	wr_print_str("family", "%-6s ", ai->addr.family == AF_INET ? "inet" : "inet6");
	wr_print_str("address", "%s", a);
	wr_print_uint("prefixlen", "/%" PRIu64, ai->addr.prefixlen);
	wr_print_str("scope", " scope %s", ai->scope);
	wr_print_text("\n");
	wr_print_close_object();
	return 0;
}

static int addr_show(struct wr_ctx *ctx, int argc, char **argv)
{
	const char *dev = NULL;
	int i = 0, n;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i < argc)
		dev = argv[i++];
	else if (i > 0)
		return wr_usage(ctx, "'dev' needs a value");
	if (i < argc)
		return wr_usage(ctx, "unexpected '%s'", argv[i]);
	if (dev && wr_valid_ifname(dev))
		return wr_usage(ctx, "dev: %s", wr_err_msg());
	if (dev) {
		/* A missing device prints nothing, not an empty list. */
		struct wr_link_info li;
		struct wr_ep ep = { .netns = "" };

		snprintf(ep.netns, sizeof(ep.netns), "%s", ctx->netns ? ctx->netns : "");
		snprintf(ep.ifname, sizeof(ep.ifname), "%s", dev);
		if (wr_link_get(&ep, &li))
			return wr_fail();
	}
	wr_print_open_array(NULL);
	n = wr_addr_foreach(ctx->netns, dev, print_addr, NULL);
	wr_print_close_array();
	wr_print_end();
	return n < 0 ? wr_fail() : WR_EXIT_OK;
}

const struct wr_cmd wr_addr_cmds[] = {
	{
		.object = "addr", .name = "add",
		.synopsis = "addr add CIDR dev IFNAME",
		.summary = "add an IPv4 or IPv6 address to a device",
		.description =
			"Adds address CIDR to device IFNAME of the namespace given with -n, as "
			"`ip addr add CIDR dev IFNAME`. Without a prefix length the address is a "
			"host address (/32 or /128). The kernel adds the route to the prefix once "
			"the device is up.\n\n"
			"IPv6 addresses are added with duplicate address detection off (nodad): "
			"they are usable at once instead of staying tentative for a while, which "
			"is what a lab wants. Adding an address the device already has is an error.",
		.args = (const struct wr_arg[]){
			{ "CIDR", "ADDRESS[/PREFIX], e.g. 192.0.2.1/24 or 2001:db8::1/64" },
			{ "dev IFNAME", "the device" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 addr add 192.0.2.1/24 dev eth0\n"
			    "warren -n h1 addr add 2001:db8::1/64 dev eth0",
		.run = addr_add,
	},
	{
		.object = "addr", .name = "del",
		.synopsis = "addr del CIDR dev IFNAME",
		.summary = "remove an address from a device",
		.description =
			"Removes address CIDR from device IFNAME of the namespace given with -n, as "
			"`ip addr del`. The prefix length must be the one the address was added "
			"with (/32 or /128 when none is given).",
		.args = (const struct wr_arg[]){
			{ "CIDR", "ADDRESS[/PREFIX]" },
			{ "dev IFNAME", "the device" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 addr del 192.0.2.1/24 dev eth0",
		.run = addr_del,
	},
	{
		.object = "addr", .name = "show",
		.synopsis = "addr show [[dev] IFNAME]",
		.summary = "show addresses",
		.description =
			"Shows the IPv4 and IPv6 addresses of the namespace given with -n, grouped "
			"by device in ifindex order, or those of IFNAME only; IPv6 link-local "
			"addresses included. One line per address: device, family, address/prefix "
			"and scope.\n\n"
			"JSON: an array of objects with the keys ifname, family (\"inet\" or "
			"\"inet6\"), address (without prefix), prefixlen and scope (\"global\", "
			"\"link\", \"host\", ...).",
		.args = (const struct wr_arg[]){
			{ "IFNAME", "show only this device's addresses; a missing device is an error" },
			{ NULL, NULL },
		},
		.examples = "warren -n h1 addr show\nwarren -j -n h1 addr show dev eth0",
		.shows_state = true,
		.run = addr_show,
	},
	{ .name = NULL },
};
