/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_check.c - the lab file's cross-references, checked once every
 * link has been read, since a name may be used before the link that creates
 * it: the table of devices the links create (pass 3), the lower devices of
 * links (pass 4), the bridges interfaces name as master (pass 5), and the
 * devices of the switch's ports (pass 6).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labfile_priv.h"

/* ---------------------------------------------------------------- devices */

static int dev_cmp(const void *a, const void *b)
{
	const struct lab_dev *x = a, *y = b;
	int r;

	r = strcmp(x->netns, y->netns);
	if (!r)
		r = strcmp(x->ifname, y->ifname);
	if (!r && x->link != y->link)
		r = x->link < y->link ? -1 : 1;
	if (!r && x->end != y->end)
		r = x->end < y->end ? -1 : 1;
	return r;
}

/* "h1:eth0", or "eth0" for the root: the device as the file names it. */
static const char *dev_show(const struct lab_ctx *c, char *buf, const struct lab_dev *d)
{
	char tmp[WR_NETNS_NAME_MAX + IFNAMSIZ + 2];

	if (d->ns >= 0)
		snprintf(tmp, sizeof(tmp), "%s:%s", c->lab->ns[d->ns].name, d->ifname);
	else
		snprintf(tmp, sizeof(tmp), "%s", d->ifname + strlen(c->lab->prefix));
	return wr_lab_show(buf, tmp);
}

const struct lab_dev *wr_lab_find_dev(const struct lab_ctx *c, const char *netns,
				      const char *ifname)
{
	size_t lo = 0, hi = c->n_devs;

	/* The first of equal entries: the one that came first in the file. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct lab_dev *d = &c->devs[mid];
		int r = strcmp(d->netns, netns);

		if (!r)
			r = strcmp(d->ifname, ifname);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_devs && !strcmp(c->devs[lo].netns, netns) &&
	    !strcmp(c->devs[lo].ifname, ifname))
		return &c->devs[lo];
	return NULL;
}

int wr_lab_dev_kind(const struct lab_ctx *c, const struct lab_dev *d)
{
	if (!d || !c->aux[d->link].kind_ok)
		return -1;
	return (int)c->lab->links[d->link].spec.kind;
}

static void add_dev(struct lab_ctx *c, size_t link, unsigned int end)
{
	const struct wr_link_spec *s = &c->lab->links[link].spec;
	const struct lab_link_aux *a = &c->aux[link];
	struct lab_dev *d = &c->devs[c->n_devs++];

	d->netns = end ? s->peer.netns : s->ep.netns;
	d->ifname = end ? s->peer.ifname : s->ep.ifname;
	d->ns = end ? a->peer_ns : a->ns;
	d->pos = end ? a->peer_pos : a->ep_pos;
	d->link = link;
	d->end = end;
}

/* Pass 3: the table of devices the links create; no name may come twice. */
void wr_lab_build_devs(struct lab_ctx *c)
{
	struct wr_lab *lab = c->lab;
	size_t i, f, n = 0;
	char b[LAB_SHOW_SIZE];

	for (i = 0; i < lab->n_links; i++)
		n += c->aux[i].ep_ok + c->aux[i].peer_ok;
	if (!n)
		return;
	c->devs = calloc(n, sizeof(*c->devs));
	if (!c->devs) {
		c->oom = true;
		return;
	}
	for (i = 0; i < lab->n_links; i++) {
		if (c->aux[i].ep_ok)
			add_dev(c, i, 0);
		if (c->aux[i].peer_ok)
			add_dev(c, i, 1);
	}
	qsort(c->devs, c->n_devs, sizeof(*c->devs), dev_cmp);
	for (f = 0, i = 1; i < c->n_devs; i++) {
		const struct lab_dev *d = &c->devs[i], *first = &c->devs[f];

		if (strcmp(d->netns, first->netns) || strcmp(d->ifname, first->ifname)) {
			f = i;
			continue;
		}
		wr_lab_err_at(c, d->pos, "device '%s' is already created by the link at line %u",
			      dev_show(c, b, d), lab->links[first->link].pos.line);
	}
}

/* "namespace 'h1'" or "the root namespace", for messages. */
static const char *ns_show(const struct lab_ctx *c, char *buf, int ns)
{
	if (ns < 0)
		return "the root namespace";
	snprintf(buf, WR_NETNS_NAME_MAX + 16, "namespace '%s'", c->lab->ns[ns].name);
	return buf;
}

/* Pass 4: each `link` must be another device of the same namespace. */
void wr_lab_check_lowers(struct lab_ctx *c)
{
	struct wr_lab *lab = c->lab;
	char nb[WR_NETNS_NAME_MAX + 16], b[LAB_SHOW_SIZE], b2[LAB_SHOW_SIZE];
	size_t i, plen = strlen(lab->prefix), steps;
	long j;

	for (i = 0; i < lab->n_links; i++) {
		struct wr_link_spec *s = &lab->links[i].spec;
		struct lab_link_aux *a = &c->aux[i];
		char full[IFNAMSIZ + LAB_PREFIX_MAX];
		const struct lab_dev *d = NULL;
		const char *t;

		if (!a->lower || !a->ep_ok)
			continue;
		t = lab_text(a->lower);
		snprintf(full, sizeof(full), "%s%s", a->ns < 0 ? lab->prefix : "", t);
		if (!strcmp(full, s->ep.ifname)) {
			wr_lab_err_node(c, a->lower, "link: '%s' is the device itself (expected the device it sits on)",
					wr_lab_show(b, t));
			continue;
		}
		if (a->ns >= 0 || plen + strlen(t) <= WR_IFNAME_MAX)
			d = wr_lab_find_dev(c, s->ep.netns, full);
		if (!d) {
			wr_lab_err_node(c, a->lower, "link: no link creates '%s' in %s (the lower device must be in the same namespace)",
					wr_lab_show(b, t), ns_show(c, nb, a->ns));
			continue;
		}
		/* macvlan, ipvlan and vlan add to Ethernet frames; a tun has none. */
		if (wr_lab_dev_kind(c, d) == WR_LINK_TUN && s->kind != WR_LINK_VXLAN) {
			wr_lab_err_node(c, a->lower, "link: '%s' is a tun device, which has no Ethernet frames for a %s",
					wr_lab_show(b, t), wr_link_kind_name(s->kind));
			continue;
		}
		strcpy(s->lower, full);
		a->lower_link = (long)d->link;
	}

	/* A loop of lower devices can never be created: each waits for the next. */
	for (i = 0; i < lab->n_links; i++) {
		const struct lab_link_aux *a = &c->aux[i];

		if (a->lower_link < 0)
			continue;
		j = a->lower_link;
		for (steps = 0; j >= 0 && (size_t)j != i && steps < lab->n_links; steps++)
			j = c->aux[j].lower_link;
		if (j >= 0 && (size_t)j == i)
			wr_lab_err_node(c, a->lower, "link: lower devices form a loop ('%s' sits on '%s', which leads back to it)",
					wr_lab_show(b, lab->links[i].spec.ep.ifname),
					wr_lab_show(b2, lab_text(a->lower)));
	}
}

/* ---------------------------------------------------------------- masters */

void wr_lab_check_master(struct lab_ctx *c, const struct wr_lab_ns *ns,
			 struct wr_lab_iface *ifc, const struct lab_dev *d,
			 const yaml_node_t *n)
{
	char b[LAB_SHOW_SIZE], nb[LAB_SHOW_SIZE];
	const struct lab_dev *md;
	const char *t;
	int kind;

	t = wr_lab_scalar(c, n, "master", "the name of a bridge");
	if (!t)
		return;
	if (wr_valid_ifname(t)) {
		wr_lab_err_node(c, n, "master: %s", wr_err_msg());
		return;
	}
	if (!strcmp(t, ifc->ifname)) {
		wr_lab_err_node(c, n, "master: '%s' is the interface itself (expected a bridge)", t);
		return;
	}
	if (!strcmp(ifc->ifname, "lo")) {
		wr_lab_err_node(c, n, "master: the loopback device 'lo' cannot be a bridge port");
		return;
	}
	md = wr_lab_find_dev(c, ns->full, t);
	if (!md) {
		wr_lab_err_node(c, n, "master: no link creates '%s' in namespace '%s' (expected a bridge there)",
				t, wr_lab_show(nb, ns->name));
		return;
	}
	kind = wr_lab_dev_kind(c, md);
	if (kind >= 0 && kind != WR_LINK_BRIDGE) {
		wr_lab_err_node(c, n, "master: '%s' is a %s, not a bridge", t,
				wr_link_kind_name((enum wr_link_kind)kind));
		return;
	}
	if (wr_lab_dev_kind(c, d) == WR_LINK_BRIDGE) {
		wr_lab_err_node(c, n, "master: '%s' is a bridge itself, and bridges do not nest",
				wr_lab_show(b, ifc->ifname));
		return;
	}
	if (wr_lab_dev_kind(c, d) == WR_LINK_TUN) {
		wr_lab_err_node(c, n, "master: '%s' is a tun device, which has no Ethernet frames to bridge",
				wr_lab_show(b, ifc->ifname));
		return;
	}
	strcpy(ifc->master, t);
}


/* ------------------------------------------------------------------ ports */

int wr_lab_check_port_dev(struct lab_ctx *c, const struct wr_ep *ep, int ns,
			  const yaml_node_t *n)
{
	char b[LAB_SHOW_SIZE], nb[WR_NETNS_NAME_MAX + 16];
	const struct lab_dev *d;

	d = wr_lab_find_dev(c, ep->netns, ep->ifname);
	if (!d) {
		wr_lab_err_node(c, n, "dev: no link creates '%s' in %s (a port is a device of the lab)",
				wr_lab_show(b, lab_text(n)), ns_show(c, nb, ns));
		return -ENODEV;
	}
	return wr_lab_dev_kind(c, d);
}
