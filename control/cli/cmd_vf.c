/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_vf.c - warren vf show|set|attach|release: SR-IOV VFs, their settings and loans. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wr_control.h"

#define VFS_MAX 4096	/* VF settings kept for one PF's show */

/* --------------------------------------------------------- the settings */

int wr_cli_vf_conf(const struct wr_ctx *ctx, int argc, char **argv, int *i, struct wr_vf_conf *c,
		   bool *qos_or_proto)
{
	const char *kw = argv[*i], *v;
	size_t k;

	for (k = 0; wr_vf_conf_keys[k] && strcmp(kw, wr_vf_conf_keys[k]); k++)
		;
	if (!wr_vf_conf_keys[k])
		return 1;	/* not a setting */
	v = wr_next_arg(ctx, argc, argv, i);
	if (!v)
		return WR_EXIT_USAGE;
	*qos_or_proto |= !strcmp(kw, "qos") || !strcmp(kw, "proto");
	if (wr_vf_conf_put(c, kw, v))
		return wr_usage(ctx, "%s", wr_err_msg());
	return 0;
}

/* PF "vf" N: the VF index after the PF's name; returns the next argument's index. */
static int take_vf(const struct wr_ctx *ctx, int argc, char **argv, int i, unsigned int *vf)
{
	if (i + 1 >= argc || strcmp(argv[i], "vf"))
		return -wr_usage(ctx, "expected 'vf N' after the PF");
	if (wr_parse_u32(ctx, "vf", argv[i + 1], 0, 65535, vf))
		return -WR_EXIT_USAGE;
	return i + 2;
}

static int take_pf(const struct wr_ctx *ctx, int argc, char **argv, char pf[IFNAMSIZ])
{
	if (argc < 1)
		return wr_usage(ctx, "expected PF, the physical function's netdev");
	if (wr_valid_ifname(argv[0]))
		return wr_usage(ctx, "PF: %s", wr_err_msg());
	snprintf(pf, IFNAMSIZ, "%s", argv[0]);
	return 0;
}

/* ------------------------------------------------------------------ set */

static int vf_set(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_vf_conf c;
	char pf[IFNAMSIZ];
	unsigned int vf, n;
	bool qp = false;
	int i, r;

	if (take_pf(ctx, argc, argv, pf))
		return WR_EXIT_USAGE;
	if (argc >= 2 && !strcmp(argv[1], "numvfs")) {
		if (argc != 3)
			return wr_usage(ctx, "expected 'numvfs N' and nothing after it");
		if (wr_parse_u32(ctx, "numvfs", argv[2], 0, 65535, &n))
			return WR_EXIT_USAGE;
		return wr_sriov_set_numvfs(NULL, pf, n, wr_vf_in_use, NULL) ? wr_fail() : WR_EXIT_OK;
	}
	i = take_vf(ctx, argc, argv, 1, &vf);
	if (i < 0)
		return -i;
	wr_vf_conf_init(&c);
	for (; i < argc; i++) {
		r = wr_cli_vf_conf(ctx, argc, argv, &i, &c, &qp);
		if (r == 1)
			return wr_usage(ctx, "unknown keyword '%s'", argv[i]);
		if (r)
			return r;
	}
	if (argc == 3)
		return wr_usage(ctx, "nothing to set: give mac, vlan, qos, proto, rate, min_rate, "
				"max_rate, spoofchk, trust, state or query_rss");
	if (wr_vf_conf_finish(&c, qp))
		return wr_usage(ctx, "%s", wr_err_msg());
	return wr_vf_set(pf, vf, &c) ? wr_fail() : WR_EXIT_OK;
}

/* --------------------------------------------------------------- attach */

static int vf_attach(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_vf_attach a;
	const char *v;
	bool qp = false;
	int i, r;

	memset(&a, 0, sizeof(a));
	wr_vf_conf_init(&a.conf);
	if (take_pf(ctx, argc, argv, a.pf))
		return WR_EXIT_USAGE;
	i = take_vf(ctx, argc, argv, 1, &a.vf);
	if (i < 0)
		return -i;
	if (ctx->netns)
		snprintf(a.netns, sizeof(a.netns), "%s", ctx->netns);
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "down")) {
			a.down = true;
			continue;
		}
		if (!strcmp(argv[i], "netns") || !strcmp(argv[i], "name")) {
			bool ns = argv[i][1] == 'e';

			v = wr_next_arg(ctx, argc, argv, &i);
			if (!v)
				return WR_EXIT_USAGE;
			if (ns ? wr_valid_netns_name(v) : wr_valid_ifname(v))
				return wr_usage(ctx, "%s: %s", ns ? "netns" : "name", wr_err_msg());
			snprintf(ns ? a.netns : a.name, ns ? sizeof(a.netns) : sizeof(a.name), "%s", v);
			continue;
		}
		if (!strcmp(argv[i], "addr")) {
			/* Every address up to the next keyword. */
			while (i + 1 < argc && strchr(argv[i + 1], '/')) {
				if (a.n_addrs == WR_VF_ADDRS_MAX)
					return wr_usage(ctx, "more than %d addresses", WR_VF_ADDRS_MAX);
				if (wr_parse_cidr(argv[++i], true, &a.addrs[a.n_addrs++]))
					return wr_usage(ctx, "addr: %s", wr_err_msg());
			}
			if (!a.n_addrs)
				return wr_usage(ctx, "'addr' needs ADDR/LEN");
			continue;
		}
		r = wr_cli_vf_conf(ctx, argc, argv, &i, &a.conf, &qp);
		if (r == 1)
			return wr_usage(ctx, "unknown keyword '%s'", argv[i]);
		if (r)
			return r;
	}
	if (!a.netns[0])
		return wr_usage(ctx, "'netns NS' is missing (or give -n NS)");
	if (wr_vf_conf_finish(&a.conf, qp))
		return wr_usage(ctx, "%s", wr_err_msg());
	return wr_vf_attach(NULL, &a) ? wr_fail() : WR_EXIT_OK;
}

/* -------------------------------------------------------------- release */

struct release_all {
	const char *pf_pci;
	int failed, n;
	char pf[IFNAMSIZ];
};

static int release_one(const char *pf, unsigned int vf)
{
	struct wr_vf_release_report r;

	if (wr_vf_release(NULL, pf, vf, &r))
		return wr_fail();
	if (r.lost)
		printf("PF %s vf %u: its namespace is gone and its netdev with it (a virtual "
		       "stand-in); its state is forgotten\n", pf, vf);
	else if (r.netns_gone)
		printf("PF %s vf %u: its namespace is gone; its netdev came back as %s and has its "
		       "name again\n", pf, vf, r.found);
	return WR_EXIT_OK;
}

static int release_lent(const struct wr_vf_lent *l, void *arg)
{
	struct release_all *ra = arg;

	if (strcmp(l->pf_pci, ra->pf_pci))
		return 0;
	ra->n++;
	if (release_one(ra->pf, l->vf))
		ra->failed++;
	return 0;
}

static int vf_release(struct wr_ctx *ctx, int argc, char **argv)
{
	struct release_all ra = { 0 };
	struct wr_sriov_pf p;
	unsigned int vf;
	int i;

	if (take_pf(ctx, argc, argv, ra.pf))
		return WR_EXIT_USAGE;
	if (argc > 1) {
		i = take_vf(ctx, argc, argv, 1, &vf);
		if (i < 0)
			return -i;
		if (i < argc)
			return wr_usage(ctx, "unexpected '%s'", argv[i]);
		return release_one(ra.pf, vf);
	}
	if (wr_sriov_pf_get(NULL, ra.pf, &p))
		return wr_fail();
	ra.pf_pci = p.pci;
	if (wr_vf_lent_foreach(release_lent, &ra) < 0)
		return wr_fail();
	return ra.failed ? WR_EXIT_FAIL : WR_EXIT_OK;
}

/* ----------------------------------------------------------------- show */

struct confs {
	unsigned int idx[VFS_MAX];
	struct wr_vf_conf c[VFS_MAX];
	size_t n;
};

static int keep_conf(unsigned int vf, const struct wr_vf_conf *c, void *arg)
{
	struct confs *cs = arg;

	if (cs->n < VFS_MAX) {
		cs->idx[cs->n] = vf;
		cs->c[cs->n++] = *c;
	}
	return 0;
}

static const struct wr_vf_conf *conf_of(const struct confs *cs, unsigned int vf)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->idx[i] == vf)
			return &cs->c[i];
	return NULL;
}

static void print_flag(const char *key, const char *word, int v)
{
	if (v >= 0) {
		wr_print_text("  %s ", word);
		wr_print_bool(key, v ? "on" : "off", v);
	} else {
		wr_print_null(key, NULL);
	}
}

static void print_conf(const struct wr_vf_conf *c)
{
	char mac[18];

	if (c && c->has_mac) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", c->mac[0], c->mac[1],
			 c->mac[2], c->mac[3], c->mac[4], c->mac[5]);
		wr_print_str("mac", "  mac %s", mac);
	} else {
		wr_print_null("mac", NULL);
	}
	if (c && c->has_vlan) {
		wr_print_uint("vlan", "  vlan %" PRIu64, c->vlan);
		wr_print_uint("qos", c->qos ? " qos %" PRIu64 : NULL, c->qos);
		wr_print_str("proto", c->proto == WR_VF_PROTO_8021AD ? " proto %s" : NULL,
			     c->proto == WR_VF_PROTO_8021AD ? "802.1ad" : "802.1Q");
	} else {
		wr_print_null("vlan", NULL);
		wr_print_null("qos", NULL);
		wr_print_null("proto", NULL);
	}
	if (c && c->max_rate >= 0) {
		wr_print_uint("min_rate", "  rate %" PRIu64, (uint64_t)c->min_rate);
		wr_print_uint("max_rate", "-%" PRIu64 " Mbit/s", (uint64_t)c->max_rate);
	} else {
		wr_print_null("min_rate", NULL);
		wr_print_null("max_rate", NULL);
	}
	print_flag("spoofchk", "spoofchk", c ? c->spoofchk : -1);
	print_flag("trust", "trust", c ? c->trust : -1);
	if (c && c->link_state >= 0)
		wr_print_str("link_state", "  state %s", wr_vf_state_name(c->link_state));
	else
		wr_print_null("link_state", NULL);
	print_flag("rss_query", "query_rss", c ? c->rss_query : -1);
}

struct show {
	const struct wr_sriov_pf *pf;
	const struct confs *cs;
};

static int print_vf(const struct wr_sriov_vf *vf, void *arg)
{
	struct show *s = arg;
	struct wr_vf_lent l;
	bool lent = !wr_vf_lent_get(s->pf->pci, vf->index, &l);

	wr_print_open_object(NULL);
	wr_print_uint("vf", "  vf %-3" PRIu64, vf->index);
	wr_print_str("pci", " %s", vf->pci);
	if (vf->ifname[0])
		wr_print_str("netdev", "  %-15s", vf->ifname);
	else
		wr_print_null("netdev", "  -              ");
	if (vf->driver[0])
		wr_print_str("driver", " %-9s", vf->driver);
	else
		wr_print_null("driver", " -        ");
	if (lent) {
		wr_print_str("netns", "  in netns %s", l.netns);
		wr_print_str("name", " as %s", l.name);
		wr_print_str("ifname", NULL, l.ifname);
	} else {
		wr_print_null("netns", NULL);
		wr_print_null("name", NULL);
		wr_print_null("ifname", NULL);
	}
	print_conf(s->cs ? conf_of(s->cs, vf->index) : NULL);
	wr_print_text("\n");
	wr_print_close_object();
	return 0;
}

static int show_pf(const struct wr_sriov_pf *pf, void *arg)
{
	struct confs *cs = arg;
	char why[512] = "";
	struct show s = { pf, cs };
	int n;

	cs->n = 0;
	n = wr_vf_foreach_conf(pf->ifname, keep_conf, cs);
	if (n < 0) {
		snprintf(why, sizeof(why), "%s", wr_err_msg());
		s.cs = NULL;
	}
	wr_print_open_object(NULL);
	wr_print_str("ifname", "%s", pf->ifname);
	wr_print_str("pci", " (%s)", pf->pci);
	wr_print_uint("num_vfs", ": %" PRIu64, pf->num_vfs);
	wr_print_uint("total_vfs", " of %" PRIu64 " VFs\n", pf->total_vfs);
	wr_print_bool("settings", NULL, n >= 0);
	if (n < 0)
		wr_print_str("settings_missing", "  VF settings not shown: %s\n", why);
	else
		wr_print_null("settings_missing", NULL);
	wr_print_open_array("vfs");
	n = wr_sriov_vf_foreach(NULL, pf->ifname, print_vf, &s);
	wr_print_close_array();
	wr_print_close_object();
	return n < 0 ? n : 0;
}

static int vf_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct wr_sriov_pf pf;
	struct confs *cs;
	int err;

	if (argc > 1)
		return wr_usage(ctx, "unexpected '%s' after PF", argv[1]);
	if (argc == 1 && wr_valid_ifname(argv[0]))
		return wr_usage(ctx, "PF: %s", wr_err_msg());
	cs = malloc(sizeof(*cs));
	if (!cs) {
		wr_err_set(-ENOMEM, "vf show: out of memory");
		return wr_fail();
	}
	wr_print_open_array(NULL);
	if (argc == 1) {
		err = wr_sriov_pf_get(NULL, argv[0], &pf);
		if (!err)
			err = show_pf(&pf, cs);
	} else {
		err = wr_sriov_pf_foreach(NULL, show_pf, cs);
	}
	wr_print_close_array();
	wr_print_end();
	free(cs);
	return err < 0 ? wr_fail() : WR_EXIT_OK;
}

/* ---------------------------------------------------------------- table */

#define SETTINGS_HELP \
	{ "mac MAC", "the VF's MAC address, as the PF gives it (00:00:00:00:00:00: none)" }, \
	{ "vlan VLAN [qos QOS] [proto 802.1Q|802.1ad]", "the VLAN the PF tags the VF's " \
	  "frames with and strips from its own, 0 to 4095 (0: none); QOS is the 802.1p " \
	  "priority, 0 to 7; proto 802.1ad makes it an S-tag (802.1Q by default)" }, \
	{ "min_rate MBPS, max_rate MBPS", "the VF's transmit rate guarantee and limit in " \
	  "Mbit/s, 0: none; 'rate', 'min_tx_rate' and 'max_tx_rate' are taken too. Both go " \
	  "to the kernel together: one given alone keeps the VF's other one, read first" }, \
	{ "spoofchk on|off", "drop frames the VF sends with a source MAC or VLAN not its own" }, \
	{ "trust on|off", "let the VF change its MAC and enter promiscuous or all-multicast mode" }, \
	{ "state auto|enable|disable", "the VF's link: the PF's (auto), always up, always down" }, \
	{ "query_rss on|off", "let the VF read the PF's RSS key and table (some drivers only)" }

const struct wr_cmd wr_vf_cmds[] = {
	{
		.object = "vf", .name = "show",
		.synopsis = "vf show [PF]",
		.summary = "show SR-IOV PFs, their VFs and the VFs' settings",
		.description =
			"Shows every netdev of the root namespace with SR-IOV (sysfs: "
			"device/sriov_totalvfs), or only PF: its PCI address, how many VFs it has "
			"(sriov_numvfs) of how many it offers (sriov_totalvfs), then one line per "
			"VF: its index, PCI address, netdev (- when none shows in the root "
			"namespace: bound to vfio-pci, or lent), driver, the namespace and name "
			"Warren lent it to, and the settings the PF keeps for it (MAC, VLAN, QoS, "
			"protocol, rates, spoof check, trust, link state, RSS query).\n\n"
			"The settings come from one RTM_GETLINK on the PF that asks for its VFs "
			"(RTEXT_FILTER_VF), received in a buffer that holds hundreds of them. A PF "
			"that reports none (no VFs, a driver that keeps none, a stand-in) shows "
			"its VFs all the same, with a line that says why there are no settings.\n\n"
			"sysfs is read under $WARREN_SYSFS when it is set (tests), else /sys.\n\n"
			"JSON: an array of PFs with the keys ifname, pci, num_vfs, total_vfs, "
			"settings (whether the PF reported them), settings_missing (why not, or "
			"null) and vfs, an array of VFs with vf, pci, netdev, driver, netns, name "
			"(in netns), ifname (the name it comes back as), mac, vlan, qos, proto, "
			"min_rate, max_rate (Mbit/s), spoofchk, trust, link_state, rss_query; "
			"null for what is not there or not reported.",
		.args = (const struct wr_arg[]){
			{ "PF", "show only this physical function (its netdev's name)" },
			{ NULL, NULL },
		},
		.examples = "warren vf show\nwarren -j -p vf show enp3s0f0",
		.shows_state = true,
		.run = vf_show,
	},
	{
		.object = "vf", .name = "set",
		.synopsis = "vf set PF numvfs N | vf set PF vf N SETTING...",
		.summary = "make VFs, or change a VF's settings",
		.description =
			"numvfs N gives PF N VFs through sysfs (sriov_numvfs). The kernel changes "
			"the count only from or to 0, so a PF that has VFs goes to 0 first, which "
			"takes every VF away; nothing happens when it has N already. Refused, "
			"with the name of each user, while a VF that would go is in use: lent to "
			"a namespace by Warren (vf attach), or up with an address of global "
			"scope. N above sriov_totalvfs is refused before anything is written, and "
			"the kernel's refusals are explained (ENOENT: the PF's driver has no "
			"SR-IOV).\n\n"
			"vf N SETTING... changes VF N's settings in one RTM_NEWLINK request on the "
			"PF, as `ip link set dev PF vf N ...` does (byte for byte the same "
			"request); the PF's driver applies them, the VF's own netdev may be "
			"anywhere. Nothing is printed on success.",
		.args = (const struct wr_arg[]){
			{ "PF", "the physical function's netdev, in the root namespace" },
			{ "numvfs N", "the number of VFs, 0 to sriov_totalvfs" },
			{ "vf N", "the VF's index, as `vf show` lists it" },
			SETTINGS_HELP,
			{ NULL, NULL },
		},
		.examples = "warren vf set enp3s0f0 numvfs 8\n"
			    "warren vf set enp3s0f0 vf 2 mac 02:00:00:00:02:01 vlan 100 qos 3 "
			    "spoofchk on trust off\n"
			    "warren vf set enp3s0f0 vf 2 vlan 200 proto 802.1ad\n"
			    "warren vf set enp3s0f0 vf 2 max_rate 1000",
		.run = vf_set,
	},
	{
		.object = "vf", .name = "attach",
		.synopsis = "vf attach PF vf N netns NS [name NAME] [addr ADDR/LEN...] [SETTING...] "
			    "[down]",
		.summary = "lend a VF's netdev to a namespace",
		.description =
			"Moves VF N's netdev into namespace NS (-n NS may give it), renamed NAME "
			"as it arrives, gives it the addresses and brings it up (not with down); "
			"SETTINGS (as for vf set) are given to the VF before it moves.\n\n"
			"Before anything is touched, the netdev's name, MAC, MTU and up/down state "
			"and the VF's settings as the PF reports them (MAC, VLAN, QoS, rates, "
			"spoof check, trust, link state) are saved in a file of the run directory "
			"($WARREN_RUN_DIR, else /run/warren: vf/PFPCI-vfN.json), written whole or "
			"not at all; a crash of warren later loses nothing. If a step fails, what "
			"was done is undone as vf release does.",
		.args = (const struct wr_arg[]){
			{ "PF vf N", "the VF: its PF and index" },
			{ "netns NS", "the namespace it goes to (it must exist)" },
			{ "name NAME", "its name there (default: the name it has)" },
			{ "addr ADDR/LEN...", "addresses for it there, IPv4 or IPv6, one or more" },
			SETTINGS_HELP,
			{ "down", "leave it down" },
			{ NULL, NULL },
		},
		.examples = "warren vf attach enp3s0f0 vf 2 netns h1 name eth1 addr 192.0.2.1/24\n"
			    "warren -n h2 vf attach enp3s0f0 vf 3 vlan 20 trust on",
		.run = vf_attach,
	},
	{
		.object = "vf", .name = "release",
		.synopsis = "vf release PF [vf N]",
		.summary = "take a lent VF back, as it was",
		.description =
			"Brings VF N's netdev (every VF of PF Warren lent, without vf N) back to "
			"the root namespace under the name it had, with its MAC, MTU and up/down "
			"state, and gives the VF back the settings it had before Warren touched it "
			"(those that differ now are sent); then forgets the saved state.\n\n"
			"When the namespace is gone, the kernel has already returned the netdev of "
			"a real VF to the root namespace (as devN when its old name was taken): "
			"release finds it through sysfs and finishes the job, and says so. A "
			"virtual stand-in dies with its namespace instead: then only the saved "
			"state is forgotten. On failure the state stays, for a second try.",
		.args = (const struct wr_arg[]){
			{ "PF", "the physical function" },
			{ "vf N", "the VF (default: every VF of PF that Warren lent)" },
			{ NULL, NULL },
		},
		.examples = "warren vf release enp3s0f0 vf 2\nwarren vf release enp3s0f0",
		.run = vf_release,
	},
	{ .name = NULL },
};
