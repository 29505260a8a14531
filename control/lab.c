/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab.c - build, remove and inspect what a parsed lab file describes.
 *
 * `up` keeps a journal of what it created (never what it found), so that a
 * failure half way removes exactly that and a second `up` changes nothing.
 *
 * The VFs of `vfs` are lent right after the namespaces and released before
 * they go (lab_vf.c). The switch comes once the devices of its ports
 * exist, and first in `down`; lab_switch.c owns it. Last, the namespaces'
 * `run` commands, with everything they may use in place (lab_run.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_priv.h"

enum undo_what { UNDO_NS, UNDO_LINK, UNDO_VF };

struct undo {
	enum undo_what what;
	struct wr_ep ep;	/* NS: ep.netns names the namespace; VF: ep.ifname the PF */
	unsigned int vf;
};

struct journal {
	struct undo *v;
	size_t n, cap;
};

static int journal_add(struct journal *j, enum undo_what what, const struct wr_ep *ep,
		       unsigned int vf)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 32;
		struct undo *v = realloc(j->v, cap * sizeof(*v));

		if (!v)
			return wr_err_set(-ENOMEM, "lab: out of memory");
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n].what = what;
	j->v[j->n].ep = *ep;
	j->v[j->n].vf = vf;
	j->n++;
	return 0;
}

/* Remove what the journal holds, newest first; the first message is kept. */
static void journal_rollback(struct journal *j)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	while (j->n > 0) {
		const struct undo *u = &j->v[--j->n];
		struct wr_vf_release_report r;

		if (u->what == UNDO_NS) {
			wr_netns_kill(u->ep.netns);	/* what a `run` command started */
			wr_netns_del(u->ep.netns);
		}
		else if (u->what == UNDO_VF)
			wr_vf_release(NULL, u->ep.ifname, u->vf, &r);
		else
			wr_link_del(&u->ep);
	}
	wr_err_set(0, "%s", msg);
}

static const char *ep_str(const struct wr_ep *ep, char *buf, size_t size)
{
	if (ep->netns[0])
		snprintf(buf, size, "%s:%s", ep->netns, ep->ifname);
	else
		snprintf(buf, size, "%s", ep->ifname);
	return buf;
}

/* The kind the kernel reports: TAP and TUN devices are both "tun". */
static const char *kernel_kind(enum wr_link_kind kind)
{
	return kind == WR_LINK_TAP || kind == WR_LINK_TUN ? "tun" : wr_link_kind_name(kind);
}

/*
 * 1 if @ep exists with the kind of @spec, 0 if it is absent, -EEXIST (with
 * a message) if something else holds the name.
 */
static int link_present(const struct wr_link_spec *spec, const struct wr_ep *ep)
{
	struct wr_link_info li;
	char buf[96];

	if (!wr_netns_exists(ep->netns))
		return 0;
	if (wr_link_get(ep, &li))
		return 0;
	if (strcmp(li.kind, kernel_kind(spec->kind)))
		return wr_err_set(-EEXIST, "link %s: exists as a %s device, the lab wants %s",
				  ep_str(ep, buf, sizeof(buf)), li.kind[0] ? li.kind : "plain",
				  wr_link_kind_name(spec->kind));
	return 1;
}

/* The namespaces; @made[i]: lab->ns[i] is made now. */
static int create_namespaces(const struct wr_lab *lab, struct journal *j, bool *made)
{
	const struct wr_ep lo_ep = { .ifname = "lo" };
	const struct wr_link_change up = { .up = 1 };
	int err;

	for (size_t i = 0; i < lab->n_ns; i++) {
		struct wr_ep ep = lo_ep;

		snprintf(ep.netns, sizeof(ep.netns), "%s", lab->ns[i].full);
		if (!wr_netns_exists(ep.netns)) {
			err = wr_netns_add(ep.netns);
			if (err)
				return err;
			made[i] = true;
			err = journal_add(j, UNDO_NS, &ep, 0);
			if (err)
				return err;
		}
		/* A lab's hosts expect a working loopback; `ip netns add` leaves it down. */
		err = wr_link_set(&ep, &up);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Right after the namespaces, before the links: a VF is the step most
 * likely to fail on a given host (no PF, no free VF), so it fails before
 * much is made to undo; and once lent, its netdev is a device of its
 * namespace like the others, there for the addresses, routes and settings
 * that follow (a route may name it as its dev).
 */
static int lend_vfs(const struct wr_lab *lab, struct journal *j)
{
	struct wr_ep ep = { .netns = "" };
	unsigned int vf;
	int r;

	for (size_t i = 0; i < lab->n_vfs; i++) {
		r = wr_lab_vf_lend(lab, i, &vf);
		if (r < 0)
			return r;
		if (!r)
			continue;
		snprintf(ep.ifname, sizeof(ep.ifname), "%s", lab->vfs[i].a.pf);
		r = journal_add(j, UNDO_VF, &ep, vf);
		if (r)
			return r;
	}
	return 0;
}

static bool created_before(const struct wr_lab *lab, const bool *done, const char *netns,
			   const char *ifname)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (!done[i])
			continue;
		if ((!strcmp(s->ep.netns, netns) && !strcmp(s->ep.ifname, ifname)) ||
		    (s->kind == WR_LINK_VETH && !strcmp(s->peer.netns, netns) &&
		     !strcmp(s->peer.ifname, ifname)))
			return true;
	}
	return false;
}

/* A device on a lower one (macvlan, vlan, vxlan) waits for it, whatever the file order. */
static int create_links(const struct wr_lab *lab, struct journal *j)
{
	size_t n_done = 0, progress = 1;
	bool *done;
	int err = 0;

	done = calloc(lab->n_links + 1, sizeof(*done));
	if (!done)
		return wr_err_set(-ENOMEM, "lab: out of memory");
	while (n_done < lab->n_links && progress) {
		progress = 0;
		for (size_t i = 0; i < lab->n_links; i++) {
			const struct wr_link_spec *s = &lab->links[i].spec;
			int present;

			if (done[i] || (s->lower[0] &&
					!created_before(lab, done, s->ep.netns, s->lower)))
				continue;
			present = link_present(s, &s->ep);
			if (present < 0) {
				err = present;
				goto end_free;
			}
			if (!present) {
				err = wr_link_add(s);
				if (err)
					goto end_free;
				err = journal_add(j, UNDO_LINK, &s->ep, 0);
				if (err)
					goto end_free;
			}
			done[i] = true;
			n_done++;
			progress++;
		}
	}
	if (n_done < lab->n_links)
		err = wr_err_set(-ELOOP, "lab: links depend on each other in a circle");
end_free:
	free(done);
	return err;
}

static const struct wr_lab_iface *find_iface(const struct wr_lab *lab, const char *netns,
					     const char *ifname)
{
	for (size_t i = 0; i < lab->n_ns; i++) {
		if (strcmp(lab->ns[i].full, netns))
			continue;
		for (size_t k = 0; k < lab->ns[i].n_ifaces; k++)
			if (!strcmp(lab->ns[i].ifaces[k].ifname, ifname))
				return &lab->ns[i].ifaces[k];
	}
	return NULL;
}

/*
 * Duplicate address detection makes a lab's IPv6 wait a second or more after
 * `up` (link-local addresses stay tentative, so the first neighbour
 * solicitation goes nowhere). Every address in a lab is planned by its file,
 * so DAD buys nothing: turn it off before the device comes up. A namespace
 * without IPv6 simply has no such key.
 */
static void no_dad(const struct wr_ep *ep)
{
	char key[64 + IFNAMSIZ];

	/* sysctl(8) spells a dot inside an interface name as '/'. */
	snprintf(key, sizeof(key), "net.ipv6.conf.%s.accept_dad", ep->ifname);
	for (char *c = key + strlen("net.ipv6.conf."); *c && strcmp(c, ".accept_dad"); c++)
		if (*c == '.')
			*c = '/';
	wr_sysctl_set(ep->netns, key, "0");
}

/* Settings of one device: those of its `interfaces` entry, else just up. */
static int configure_ep(const struct wr_lab *lab, const struct wr_ep *ep)
{
	const struct wr_lab_iface *ifc = find_iface(lab, ep->netns, ep->ifname);
	struct wr_link_change chg = { .up = 1 };
	int err;

	no_dad(ep);
	if (ifc) {
		chg.mtu = ifc->mtu;
		chg.has_mac = ifc->has_mac;
		memcpy(chg.mac, ifc->mac, sizeof(chg.mac));
		chg.master = ifc->master[0] ? ifc->master : NULL;
		chg.up = ifc->up;
	}
	err = wr_link_set(ep, &chg);
	if (err || !ifc)
		return err;
	for (size_t i = 0; i < ifc->n_addrs; i++) {
		err = wr_addr_add(ep, &ifc->addrs[i]);
		if (err && err != -EEXIST)
			return err;
	}
	return 0;
}

static int configure(const struct wr_lab *lab)
{
	int err;

	for (size_t i = 0; i < lab->n_ns; i++) {
		const struct wr_lab_ns *ns = &lab->ns[i];

		for (size_t k = 0; k < ns->n_sysctls; k++) {
			err = wr_sysctl_set(ns->full, ns->sysctls[k].key, ns->sysctls[k].val);
			if (err)
				return err;
		}
	}
	/* Bridges first, so that a port's master exists when the port joins. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < lab->n_links; i++) {
			const struct wr_link_spec *s = &lab->links[i].spec;

			if ((s->kind == WR_LINK_BRIDGE) != (pass == 0))
				continue;
			err = configure_ep(lab, &s->ep);
			if (!err && s->kind == WR_LINK_VETH)
				err = configure_ep(lab, &s->peer);
			if (err)
				return err;
		}
	}
	/* Interfaces no link creates (lo) may carry addresses too. */
	for (size_t i = 0; i < lab->n_ns; i++) {
		for (size_t k = 0; k < lab->ns[i].n_ifaces; k++) {
			struct wr_ep ep;

			if (strcmp(lab->ns[i].ifaces[k].ifname, "lo"))
				continue;
			snprintf(ep.netns, sizeof(ep.netns), "%s", lab->ns[i].full);
			snprintf(ep.ifname, sizeof(ep.ifname), "lo");
			err = configure_ep(lab, &ep);
			if (err)
				return err;
		}
	}
	for (size_t i = 0; i < lab->n_ns; i++) {
		const struct wr_lab_ns *ns = &lab->ns[i];

		for (size_t k = 0; k < ns->n_routes; k++) {
			err = wr_route_add(ns->full, &ns->routes[k].r);
			if (err && err != -EEXIST)
				return err;
		}
	}
	return 0;
}

int wr_lab_up(const struct wr_lab *lab)
{
	struct journal j = { 0 };
	bool *made;
	int err;

	if (lab->n_errors)
		return wr_err_set(-EINVAL, "lab %s: has %zu errors; run 'warren lab check'",
				  lab->file, lab->n_errors);
	made = calloc(lab->n_ns ? lab->n_ns : 1, sizeof(*made));
	if (!made)
		return wr_err_set(-ENOMEM, "lab: out of memory");
	err = create_namespaces(lab, &j, made);
	if (!err)
		err = lend_vfs(lab, &j);
	if (!err)
		err = create_links(lab, &j);
	if (!err)
		err = configure(lab);
	/* The switch undoes what it did itself, when it fails. */
	if (!err)
		err = wr_lab_switch_up(lab);
	if (!err) {
		err = wr_lab_evpn_up(lab);
		if (!err)
			err = wr_lab_run(lab, made);
		if (err) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", wr_err_msg());
			wr_lab_evpn_down(lab);
			wr_lab_switch_down(lab);
			wr_err_set(err, "%s", msg);
		}
	}
	if (err)
		journal_rollback(&j);
	free(j.v);
	free(made);
	return err;
}

int wr_lab_down(const struct wr_lab *lab)
{
	char first[512] = "";
	int ret = 0, err;

	/* EVPN's companion first (it talks to the switch), then the switch: its ports' devices are about to go. */
	ret = wr_lab_evpn_down(lab);
	if (ret)
		snprintf(first, sizeof(first), "%s", wr_err_msg());
	err = wr_lab_switch_down(lab);
	if (err && !ret) {
		ret = err;
		snprintf(first, sizeof(first), "%s", wr_err_msg());
	}
	/*
	 * The VFs before their namespaces: released from a namespace that still
	 * exists, a VF comes back whole; from one that is gone, a real VF's
	 * netdev comes back under another name and a stand-in not at all.
	 */
	err = wr_lab_vfs_down(lab);
	if (err && !ret) {
		ret = err;
		snprintf(first, sizeof(first), "%s", wr_err_msg());
	}
	/*
	 * Only root-namespace devices need deleting one by one: the others go
	 * with their namespace, in one batch in the kernel, instead of one RCU
	 * grace period each (50 veths: 1.1 s one by one, 0.2 s with the
	 * namespaces). A veth with one end in the root goes either way.
	 */
	for (size_t i = lab->n_links; i-- > 0;) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (s->ep.netns[0] && !(s->kind == WR_LINK_VETH && !s->peer.netns[0]))
			continue;
		if (!wr_netns_exists(s->ep.netns))
			continue;
		err = wr_link_del(&s->ep);
		if (err && err != -ENODEV && err != -ENOENT && !ret) {
			ret = err;
			snprintf(first, sizeof(first), "%s", wr_err_msg());
		}
	}
	for (size_t i = lab->n_ns; i-- > 0;) {
		const char *name = lab->ns[i].full;

		/* Processes left inside would keep the namespace alive unnamed. */
		if (wr_netns_exists(name))
			wr_netns_kill(name);
		/* Deleted even when not mounted: a stale file from a killed `up`. */
		err = wr_netns_del(name);
		if (err && err != -ENOENT && !ret) {
			ret = err;
			snprintf(first, sizeof(first), "%s", wr_err_msg());
		}
	}
	if (ret)
		wr_err_set(ret, "%s", first);
	return ret;
}

/* ------------------------------------------------------------------ status */

struct addr_match {
	const struct wr_cidr *want;
	bool found;
};

static bool same_cidr(const struct wr_cidr *a, const struct wr_cidr *b)
{
	size_t len = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && a->prefixlen == b->prefixlen &&
	       !memcmp(a->addr.bytes, b->addr.bytes, len);
}

static int addr_cb(const struct wr_addr_info *ai, void *arg)
{
	struct addr_match *m = arg;

	if (same_cidr(&ai->addr, m->want))
		m->found = true;
	return 0;
}

struct route_match {
	const struct wr_route *want;
	bool found;
};

static int route_cb(const struct wr_route *r, void *arg)
{
	struct route_match *m = arg;
	const struct wr_route *w = m->want;

	if (!same_cidr(&r->dst, &w->dst))
		return 0;
	if (w->has_via) {
		size_t len = w->via.family == AF_INET ? 4 : 16;

		if (!r->has_via || r->via.family != w->via.family ||
		    memcmp(r->via.addr.bytes, w->via.addr.bytes, len))
			return 0;
	}
	if (w->dev[0] && strcmp(w->dev, r->dev))
		return 0;
	m->found = true;
	return 0;
}

struct status {
	int (*fn)(const struct wr_lab_item *it, void *arg);
	void *arg;
	int missing;
	int err;
};

static void report(void *arg, struct wr_lab_item *it)
{
	struct status *st = arg;

	if (!it->present)
		st->missing++;
	if (!st->err)
		st->err = st->fn(it, st->arg) < 0 ? -ECANCELED : 0;
}

static void status_link(struct status *st, const struct wr_link_spec *s, const struct wr_ep *ep)
{
	struct wr_lab_item it = { .type = "link" };
	int present;

	ep_str(ep, it.name, sizeof(it.name));
	present = link_present(s, ep);
	it.present = present > 0;
	if (present < 0)
		snprintf(it.detail, sizeof(it.detail), "exists with another kind");
	else if (!present)
		snprintf(it.detail, sizeof(it.detail), "absent");
	report(st, &it);
}

int wr_lab_status(const struct wr_lab *lab,
		  int (*fn)(const struct wr_lab_item *it, void *arg), void *arg)
{
	struct status st = { .fn = fn, .arg = arg };
	char cidr[64];

	for (size_t i = 0; i < lab->n_ns; i++) {
		struct wr_lab_item it = { .type = "namespace" };

		snprintf(it.name, sizeof(it.name), "%s", lab->ns[i].full);
		it.present = wr_netns_exists(lab->ns[i].full) == 1;
		if (!it.present)
			snprintf(it.detail, sizeof(it.detail), "absent");
		report(&st, &it);
	}
	wr_lab_vfs_status(lab, report, &st);
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		status_link(&st, s, &s->ep);
		if (s->kind == WR_LINK_VETH)
			status_link(&st, s, &s->peer);
	}
	for (size_t i = 0; i < lab->n_ns; i++) {
		const struct wr_lab_ns *ns = &lab->ns[i];
		bool here = wr_netns_exists(ns->full) == 1;

		for (size_t k = 0; k < ns->n_sysctls; k++) {
			struct wr_lab_item it = { .type = "sysctl" };
			char val[64] = "";

			snprintf(it.name, sizeof(it.name), "%s %s", ns->full, ns->sysctls[k].key);
			if (!here || wr_sysctl_get(ns->full, ns->sysctls[k].key, val, sizeof(val)))
				snprintf(it.detail, sizeof(it.detail), "unreadable");
			else if (strcmp(val, ns->sysctls[k].val))
				snprintf(it.detail, sizeof(it.detail), "is %s", val);
			else
				it.present = true;
			report(&st, &it);
		}
		for (size_t k = 0; k < ns->n_ifaces; k++) {
			const struct wr_lab_iface *ifc = &ns->ifaces[k];

			for (size_t a = 0; a < ifc->n_addrs; a++) {
				struct wr_lab_item it = { .type = "address" };
				struct addr_match m = { .want = &ifc->addrs[a] };

				wr_format_cidr(&ifc->addrs[a], cidr, sizeof(cidr));
				snprintf(it.name, sizeof(it.name), "%s:%s %s", ns->full,
					 ifc->ifname, cidr);
				if (here)
					wr_addr_foreach(ns->full, ifc->ifname, addr_cb, &m);
				it.present = m.found;
				if (!m.found)
					snprintf(it.detail, sizeof(it.detail), "absent");
				report(&st, &it);
			}
		}
		for (size_t k = 0; k < ns->n_routes; k++) {
			const struct wr_route *r = &ns->routes[k].r;
			struct wr_lab_item it = { .type = "route" };
			struct route_match m = { .want = r };
			char via[64] = "";

			if (r->dst.prefixlen == 0)
				snprintf(cidr, sizeof(cidr), "default");
			else
				wr_format_cidr(&r->dst, cidr, sizeof(cidr));
			if (r->has_via) {
				struct wr_cidr v = r->via;

				v.prefixlen = v.family == AF_INET ? 32 : 128;
				wr_format_cidr(&v, via, sizeof(via));
				via[strcspn(via, "/")] = '\0';
			}
			snprintf(it.name, sizeof(it.name), "%s %s%s%s%s%s", ns->full, cidr,
				 r->has_via ? " via " : "", via, r->dev[0] ? " dev " : "", r->dev);
			if (here)
				wr_route_foreach(ns->full, r->dst.family, route_cb, &m);
			it.present = m.found;
			if (!m.found)
				snprintf(it.detail, sizeof(it.detail), "absent");
			report(&st, &it);
		}
	}
	wr_lab_switch_status(lab, report, &st);
	return st.err ? st.err : st.missing;
}
