/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_explain.c - can namespace A of a running lab reach B, and by which
 * way: the route and neighbour in A (as a packet would find them), then
 * the wire from A's output device to whoever holds the next hop (a veth's
 * far end; the Warren switch's FDB in the port's bridge domain, or its
 * flooding; a kernel bridge's other ports), then the same from there
 * (forwarding on) until B's address is local. The first place the way
 * breaks is named: no route, forwarding off, a next hop nobody holds, the
 * next hop behind another bridge domain.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lab_priv.h"

#define HOPS_MAX	16	/* namespaces crossed at most: a loop ends here */

struct walk {
	const struct wr_lab *lab;
	struct wr_lab_way *way;
	bool ipv6;
	const uint8_t *hop;		/* the next hop's address (16 bytes) */
	struct json_object *fdb;	/* the switch's fdb.show, or NULL */
	bool mac_known;			/* the next hop's MAC, from the neighbour table */
	uint8_t mac[6];
	char ns[WR_NETNS_NAME_MAX + 1];	/* where the next hop was found */
	int depth;
};

static void step(struct wr_lab_way *w, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void step(struct wr_lab_way *w, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (w->n_steps == WR_LAB_WAY_STEPS)
		return;
	va_start(ap, fmt);
	vsnprintf(w->steps[w->n_steps].text, sizeof(w->steps[0].text), fmt, ap);
	va_end(ap);
	w->steps[w->n_steps++].ok = ok;
	if (!ok && !w->broken)
		w->broken = w->n_steps;
}

/* The lab's name of namespace @full (without the prefix). */
static const char *short_ns(const struct wr_lab *lab, const char *full)
{
	size_t n = strlen(lab->prefix);

	if (!full[0])
		return "the root namespace";
	return strncmp(full, lab->prefix, n) ? full : full + n;
}

/* Every device end the lab makes, in order: @fn until it returns true. */
static bool each_ep(const struct wr_lab *lab, bool (*fn)(const struct wr_ep *ep, void *arg),
		    void *arg)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (fn(&s->ep, arg) || (s->kind == WR_LINK_VETH && fn(&s->peer, arg)))
			return true;
	}
	return false;
}

struct by_index {
	const char *netns;
	int ifindex;
	struct wr_ep *out;
};

static bool match_index(const struct wr_ep *ep, void *arg)
{
	struct by_index *b = arg;
	struct wr_link_info li;

	if (strcmp(ep->netns, b->netns) || wr_link_get(ep, &li) || li.ifindex != b->ifindex)
		return false;
	*b->out = *ep;
	return true;
}

/* The far end of @ep when it is a veth end the lab makes. */
static bool veth_peer(const struct wr_lab *lab, const struct wr_ep *ep, struct wr_ep *out)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (s->kind != WR_LINK_VETH)
			continue;
		if (!strcmp(s->ep.netns, ep->netns) && !strcmp(s->ep.ifname, ep->ifname)) {
			*out = s->peer;
			return true;
		}
		if (!strcmp(s->peer.netns, ep->netns) && !strcmp(s->peer.ifname, ep->ifname)) {
			*out = s->ep;
			return true;
		}
	}
	return false;
}

/* Whether device @ep holds address @ip now. */
static bool holds(const struct wr_ep *ep, bool ipv6, const uint8_t *ip)
{
	return wr_addr_held(ep->netns, ep->ifname, ipv6 ? AF_INET6 : AF_INET, ip) > 0;
}

/* The switch port whose device is @ep, or NULL. */
static const struct wr_port_req *port_on(const struct wr_lab *lab, const struct wr_ep *ep)
{
	for (size_t i = 0; lab->sw.present && i < lab->sw.n_ports; i++) {
		const struct wr_port_req *p = &lab->sw.ports[i].conf;
		const char *dev = p->dev.ifname[0] ? p->dev.ifname : p->name;

		if (p->type != WR_PORT_DPDK && !strcmp(p->dev.netns, ep->netns) &&
		    !strcmp(dev, ep->ifname))
			return p;
	}
	return NULL;
}

static const struct wr_port_req *port_named(const struct wr_lab *lab, const char *name)
{
	for (size_t i = 0; lab->sw.present && i < lab->sw.n_ports; i++)
		if (!strcmp(lab->sw.ports[i].conf.name, name))
			return &lab->sw.ports[i].conf;
	return NULL;
}

static void port_dev(const struct wr_port_req *p, struct wr_ep *out)
{
	*out = p->dev;
	if (!out->ifname[0])
		snprintf(out->ifname, sizeof(out->ifname), "%s", p->name);
}

static bool reach(struct walk *wk, const struct wr_ep *in);

/* Out of switch port @p (as the FDB or flooding sends it): whether the next hop is there. */
static bool out_port(struct walk *wk, const struct wr_port_req *p)
{
	struct wr_ep dev, far;

	port_dev(p, &dev);
	return veth_peer(wk->lab, &dev, &far) && reach(wk, &far);
}

/* out_port() for a port flooding tries: what a way that fails said is taken back. */
static bool try_port(struct walk *wk, const struct wr_port_req *p)
{
	size_t n = wk->way->n_steps, broken = wk->way->broken;
	bool leaves = wk->way->leaves;

	if (out_port(wk, p))
		return true;
	wk->way->n_steps = n;
	wk->way->broken = broken;
	wk->way->leaves = leaves;
	return false;
}

/* The lab's chains in bridge domain @bd: some of its traffic may go through their hops. */
static void chains_note(struct walk *wk, int bd)
{
	char names[160] = "";
	size_t n = 0;

	for (size_t i = 0; i < wk->lab->sw.n_chains; i++) {
		struct json_object *a = wk->lab->sw.chains[i].args;

		if (wr_json_int(a, "bd") != bd)
			continue;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", n++ ? ", " : "",
			 wr_json_str(a, "name"));
	}
	if (n)
		step(wk->way, true, "switch %s: bd %d has chains (%s): what their classifiers take "
		     "crosses their hops first ('warren -S %s chain show')", wk->lab->sw.name, bd,
		     names, wk->lab->sw.name);
}

/* The bridge domain VLAN @vlan's frames belong to: the lab's `vlans`, else bd @vlan. */
static int vlan_bd(const struct wr_lab *lab, int vlan)
{
	for (size_t i = 0; i < lab->sw.n_vlans; i++)
		if (lab->sw.vlans[i].vlan == vlan)
			return lab->sw.vlans[i].bd;
	return vlan;
}

/*
 * The bridge domain an untagged frame of a host behind port @p lands in
 * (0: none, a trunk without a native VLAN), and its place in words into
 * @buf: "port p1 (VLAN 10)".
 */
static int port_bd(const struct wr_lab *lab, const struct wr_port_req *p, char *buf, size_t size)
{
	switch (p->vlan_mode) {
	case WR_VLAN_ACCESS:
		snprintf(buf, size, "port %s (access VLAN %d)", p->name, p->access_vlan);
		return vlan_bd(lab, p->access_vlan);
	case WR_VLAN_TRUNK:
		snprintf(buf, size, "port %s (trunk, native VLAN %d)", p->name,
			 p->native_vlan > 0 ? p->native_vlan : 0);
		return p->native_vlan > 0 ? vlan_bd(lab, p->native_vlan) : 0;
	default:
		snprintf(buf, size, "port %s", p->name);
		return p->bd > 0 ? p->bd : 1;
	}
}

/*
 * Into the switch by port @in: its FDB sends the next hop's frames to one
 * port of @in's bridge domain, or it floods them (unknown MAC).
 */
static bool through_switch(struct walk *wk, const struct wr_port_req *in, const uint8_t *mac)
{
	struct json_object *entries = wk->fdb ? wr_json_array(wk->fdb, "entries") : NULL;
	struct json_object *e = NULL;
	const struct wr_port_req *out;
	char m[18], inw[64], pw[64];
	int bd = port_bd(wk->lab, in, inw, sizeof(inw)), pbd;

	snprintf(m, sizeof(m), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	for (size_t i = 0; entries && i < json_object_array_length(entries); i++) {
		struct json_object *x = json_object_array_get_idx(entries, i);

		if (!strcmp(wr_json_str(x, "mac"), m) && wr_json_int(x, "bd") == bd)
			e = x;
	}
	if (e && wr_json_str(e, "remote")[0]) {
		step(wk->way, true, "switch %s: %s is behind tunnel %s's VTEP %s (bd %d): the way "
		     "leaves this lab there", wk->lab->sw.name, m, wr_json_str(e, "port"),
		     wr_json_str(e, "remote"), bd);
		wk->way->leaves = true;
		return true;
	}
	out = e ? port_named(wk->lab, wr_json_str(e, "port")) : NULL;
	if (out) {
		step(wk->way, true, "switch %s: %s, bd %d: %s is learned on port %s", wk->lab->sw.name,
		     inw, bd, m, out->name);
		chains_note(wk, bd);
		if ((pbd = port_bd(wk->lab, out, pw, sizeof(pw))) != bd)
			step(wk->way, false, "switch %s: %s is in bd %d, not %d", wk->lab->sw.name,
			     pw, pbd, bd);
		return out_port(wk, out);
	}
	if (wk->mac_known)
		step(wk->way, true, "switch %s: %s, bd %d: %s is not in the FDB: flooded to "
		     "the domain's ports", wk->lab->sw.name, inw, bd, m);
	else
		step(wk->way, true, "switch %s: %s, bd %d: the next hop's MAC is not known yet "
		     "(its neighbour is being resolved): flooded to the domain's ports",
		     wk->lab->sw.name, inw, bd);
	chains_note(wk, bd);
	for (size_t i = 0; i < wk->lab->sw.n_ports; i++) {
		const struct wr_port_req *p = &wk->lab->sw.ports[i].conf;

		if (p != in && port_bd(wk->lab, p, pw, sizeof(pw)) == bd && try_port(wk, p))
			return true;
	}
	/* Not in the domain: behind another? That is the break to name. */
	for (size_t i = 0; i < wk->lab->sw.n_ports; i++) {
		const struct wr_port_req *p = &wk->lab->sw.ports[i].conf;

		if (p == in || (pbd = port_bd(wk->lab, p, pw, sizeof(pw))) == bd || !try_port(wk, p))
			continue;
		step(wk->way, false, "switch %s: the next hop is behind %s in bd %d, and %s is in "
		     "bd %d: frames do not cross bridge domains", wk->lab->sw.name, pw, pbd, inw, bd);
		return false;
	}
	return false;
}

struct bridged {
	struct walk *wk;
	const struct wr_ep *in;
	char master[IFNAMSIZ];
	bool found;
};

static bool bridge_port(const struct wr_ep *ep, void *arg)
{
	struct bridged *b = arg;
	struct wr_link_info li;
	struct wr_ep far;

	if (strcmp(ep->netns, b->in->netns) || !strcmp(ep->ifname, b->in->ifname) ||
	    wr_link_get(ep, &li) || strcmp(li.master, b->master))
		return false;
	if (holds(ep, b->wk->ipv6, b->wk->hop)) {
		snprintf(b->wk->ns, sizeof(b->wk->ns), "%s", ep->netns);
		return b->found = true;
	}
	return b->found = veth_peer(b->wk->lab, ep, &far) && reach(b->wk, &far);
}

/*
 * Device @in, reached over a wire: whether the next hop is
 * there or beyond it (a switch port, a bridge port), with the steps.
 */
static bool reach(struct walk *wk, const struct wr_ep *in)
{
	const struct wr_port_req *p;
	struct wr_link_info li;
	struct bridged b = { wk, in, "", false };

	if (++wk->depth > 4 * HOPS_MAX)
		return false;
	if (holds(in, wk->ipv6, wk->hop)) {
		snprintf(wk->ns, sizeof(wk->ns), "%s", in->netns);
		return true;
	}
	p = port_on(wk->lab, in);
	if (p)
		return through_switch(wk, p, wk->mac);
	if (!wr_link_get(in, &li) && li.master[0]) {
		snprintf(b.master, sizeof(b.master), "%s", li.master);
		each_ep(wk->lab, bridge_port, &b);
		if (b.found)
			step(wk->way, true, "%s: bridge %s carries it from %s", short_ns(wk->lab, in->netns),
			     li.master, in->ifname);
		return b.found;
	}
	return false;
}

/* Address text of @ip. */
static const char *ip_str(bool ipv6, const uint8_t *ip, char *buf)
{
	return inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip, buf, INET6_ADDRSTRLEN);
}

int wr_lab_explain(const struct wr_lab *lab, const char *from, bool ipv6, const uint8_t dst[16],
		   struct wr_lab_way *way)
{
	char ns[WR_NETNS_NAME_MAX + 1], a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN], fwd[16];
	struct walk wk = { .lab = lab, .way = way, .ipv6 = ipv6 };
	int err = 0;

	memset(way, 0, sizeof(*way));
	ip_str(ipv6, dst, a);
	snprintf(ns, sizeof(ns), "%s%s", lab->prefix, from);
	if (!wr_netns_exists(ns))
		return wr_err_set(-ENOENT, "lab %s: namespace %s is not there (is the lab up?)",
				  lab->file, from);
	if (lab->sw.present)
		wr_api_request(lab->sw.name, "fdb.show", NULL, &wk.fdb);
	for (int hop = 0; hop < HOPS_MAX && !way->broken && !way->leaves; hop++) {
		struct wr_nexthop nh;
		struct wr_ep out = { 0 }, far;
		struct by_index bi = { ns, 0, &out };

		err = wr_nexthop_get(ns, ipv6, dst, &nh);
		if (err == -EINVAL) {
			step(way, true, "%s: %s is its own address: reached", short_ns(lab, ns), a);
			way->reached = true;
			break;
		}
		if (err) {
			step(way, false, "%s: %s", short_ns(lab, ns), wr_err_msg());
			break;
		}
		bi.ifindex = nh.ifindex;
		if (!each_ep(lab, match_index, &bi)) {
			step(way, false, "%s: the route to %s leaves by a device the lab does not make "
			     "(ifindex %d)", short_ns(lab, ns), a, nh.ifindex);
			break;
		}
		wk.mac_known = nh.resolved;
		memcpy(wk.mac, nh.mac, 6);
		step(way, true, "%s: route to %s %s%s dev %s; neighbour %s", short_ns(lab, ns), a,
		     nh.has_gateway ? "via " : "(on link)", nh.has_gateway ? ip_str(ipv6, nh.via, g) : "",
		     out.ifname, nh.state[0] ? nh.state : "none");
		wk.hop = nh.via;
		wk.depth = 0;
		wk.ns[0] = '\0';
		if (!veth_peer(lab, &out, &far) || !reach(&wk, &far)) {
			if (!way->broken && !way->leaves)
				step(way, false, "%s: nothing the lab connects to %s holds %s",
				     short_ns(lab, ns), out.ifname, ip_str(ipv6, nh.via, g));
			break;
		}
		if (way->leaves)
			break;
		step(way, true, "%s holds %s", short_ns(lab, wk.ns), ip_str(ipv6, nh.via, g));
		snprintf(ns, sizeof(ns), "%s", wk.ns);
		if (!memcmp(nh.via, dst, ipv6 ? 16 : 4))
			continue;	/* the next turn finds it local */
		if (wr_sysctl_get(ns, ipv6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward",
				  fwd, sizeof(fwd)) == 0 && fwd[0] == '0')
			step(way, false, "%s: forwarding is off (sysctl %s = 0): it does not route on",
			     short_ns(lab, ns), ipv6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward");
	}
	json_object_put(wk.fdb);
	if (!way->reached && !way->broken && !way->leaves)
		step(way, false, "more than %d hops: a routing loop?", HOPS_MAX);
	return 0;
}
