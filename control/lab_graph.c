/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_graph.c - a lab as a graphviz graph: each namespace a box of its
 * devices (the root namespace's in "host"), each link an edge (a veth's
 * two ends; a device on its lower device; a bridge port to its bridge), the
 * switch a box of its ports, each port an edge to its device, each tunnel
 * an edge to its underlay port with its VNIs and VTEPs, each chain edges to
 * its hops' ports in order. Live, the devices
 * are coloured by what the kernel says (up, down, missing) and the ports'
 * edges carry warrend's counters and learned MACs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <json-c/json.h>

#include "lab_priv.h"

#define LIVE_UP		"#2e7d32"	/* up, with carrier */
#define LIVE_DOWN	"#ef6c00"	/* there, but down or without carrier */
#define LIVE_MISSING	"#c62828"	/* not there */

/* @s as the inside of a double-quoted dot string. */
static void put_q(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* The node id of device @ifname in namespace @netns (real names). */
static void put_dev_id(FILE *f, const char *netns, const char *ifname)
{
	fputs("\"dev:", f);
	put_q(f, netns);
	fputc(':', f);
	put_q(f, ifname);
	fputc('"', f);
}

/* The namespace @full as the lab file names it: without the prefix; "host" for the root. */
static const char *ns_label(const struct wr_lab *lab, const char *full)
{
	size_t n = strlen(lab->prefix);

	if (!full[0])
		return "host";
	return strncmp(full, lab->prefix, n) ? full : full + n;
}

static const struct wr_lab_iface *iface_of(const struct wr_lab *lab, const struct wr_ep *ep)
{
	for (size_t i = 0; i < lab->n_ns; i++) {
		if (strcmp(lab->ns[i].full, ep->netns))
			continue;
		for (size_t k = 0; k < lab->ns[i].n_ifaces; k++)
			if (!strcmp(lab->ns[i].ifaces[k].ifname, ep->ifname))
				return &lab->ns[i].ifaces[k];
	}
	return NULL;
}

/* One device: its name, kind and addresses; live, its colour. */
static void put_dev(FILE *f, const struct wr_lab *lab, const struct wr_ep *ep, const char *kind,
		    bool live)
{
	const struct wr_lab_iface *ifc = iface_of(lab, ep);
	struct wr_link_info li;
	char addr[INET6_ADDRSTRLEN + 8];

	fputs("    ", f);
	put_dev_id(f, ep->netns, ep->ifname);
	fputs(" [label=\"", f);
	put_q(f, ep->ifname);
	fprintf(f, "\\n(%s)", kind);
	for (size_t i = 0; ifc && i < ifc->n_addrs && i < 4; i++) {
		wr_format_cidr(&ifc->addrs[i], addr, sizeof(addr));
		fprintf(f, "\\n%s", addr);
	}
	if (ifc && ifc->n_addrs > 4)
		fprintf(f, "\\n+%zu more", ifc->n_addrs - 4);
	fputc('"', f);
	if (live) {
		const char *c = LIVE_MISSING;

		if (!wr_link_get(ep, &li))
			c = li.up && li.lower_up ? LIVE_UP : LIVE_DOWN;
		fprintf(f, ", color=\"%s\", fontcolor=\"%s\"", c, c);
	}
	fputs("];\n", f);
}

/* Every device of the lab in namespace @netns ("" the root). */
static void put_ns_devs(FILE *f, const struct wr_lab *lab, const char *netns, bool live)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;
		const char *kind = wr_link_kind_name(s->kind);

		if (!strcmp(s->ep.netns, netns))
			put_dev(f, lab, &s->ep, kind, live);
		if (s->kind == WR_LINK_VETH && !strcmp(s->peer.netns, netns))
			put_dev(f, lab, &s->peer, kind, live);
	}
	for (size_t i = 0; i < lab->n_vfs; i++) {
		const struct wr_vf_attach *a = &lab->vfs[i].a;
		struct wr_ep ep = { 0 };
		char kind[IFNAMSIZ + 32];

		if (strcmp(a->netns, netns))
			continue;
		snprintf(ep.netns, sizeof(ep.netns), "%s", a->netns);
		snprintf(ep.ifname, sizeof(ep.ifname), "%s", a->name);
		if (lab->vfs[i].any)
			snprintf(kind, sizeof(kind), "VF of %s", a->pf);
		else
			snprintf(kind, sizeof(kind), "VF %u of %s", a->vf, a->pf);
		put_dev(f, lab, &ep, kind, live);
	}
}

static void put_cluster(FILE *f, const struct wr_lab *lab, const char *netns, bool live)
{
	fputs("  subgraph \"cluster_ns:", f);
	put_q(f, netns);
	fputs("\" {\n    label=\"", f);
	put_q(f, ns_label(lab, netns));
	fputs("\"; style=rounded;\n", f);
	put_ns_devs(f, lab, netns, live);
	fputs("  }\n", f);
}

/* The links' edges: veth ends, lower devices, bridge ports. */
static void put_links(FILE *f, const struct wr_lab *lab)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (s->kind == WR_LINK_VETH) {
			fputs("  ", f);
			put_dev_id(f, s->ep.netns, s->ep.ifname);
			fputs(" -- ", f);
			put_dev_id(f, s->peer.netns, s->peer.ifname);
			fputs(" [penwidth=2];\n", f);
		} else if (s->lower[0]) {
			fputs("  ", f);
			put_dev_id(f, s->ep.netns, s->ep.ifname);
			fputs(" -- ", f);
			put_dev_id(f, s->ep.netns, s->lower);
			fprintf(f, " [style=dotted, label=\"on\"];\n");
		}
	}
	for (size_t i = 0; i < lab->n_ns; i++)
		for (size_t k = 0; k < lab->ns[i].n_ifaces; k++) {
			const struct wr_lab_iface *ifc = &lab->ns[i].ifaces[k];

			if (!ifc->master[0])
				continue;
			fputs("  ", f);
			put_dev_id(f, lab->ns[i].full, ifc->ifname);
			fputs(" -- ", f);
			put_dev_id(f, lab->ns[i].full, ifc->master);
			fputs(" [style=dashed, label=\"port\"];\n", f);
		}
}

/* Live: what warrend says of port @name, as an edge label's extra lines. */
static void port_live(struct json_object *stats, struct json_object *fdb, const char *name,
		      char *buf, size_t size)
{
	struct json_object *ports = NULL, *entries = NULL;
	size_t macs = 0;

	buf[0] = '\0';
	if (stats)
		json_object_object_get_ex(stats, "ports", &ports);
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);

		if (strcmp(wr_json_str(p, "name"), name))
			continue;
		snprintf(buf, size, "\\nrx %lld tx %lld drops %lld",
			 (long long)wr_json_int(p, "rx_pkts"), (long long)wr_json_int(p, "tx_pkts"),
			 (long long)wr_json_int(p, "drops"));
	}
	if (fdb)
		json_object_object_get_ex(fdb, "entries", &entries);
	for (size_t i = 0; entries && i < json_object_array_length(entries); i++)
		macs += !strcmp(wr_json_str(json_object_array_get_idx(entries, i), "port"), name);
	if (fdb)
		snprintf(buf + strlen(buf), size - strlen(buf), "\\n%zu MACs", macs);
}

/* A tunnel's label: its name, then its VNIs and VTEPs as its requests give them. */
static void put_tunnel_label(FILE *f, const struct wr_lab_tunnel *t)
{
	put_q(f, t->name);
	for (size_t k = 0; k < t->n_reqs; k++) {
		struct json_object *a = t->reqs[k].args;

		if (t->reqs[k].cmd == WR_CMD_TUNNEL_ADD)
			fprintf(f, " (%s)", wr_json_str(a, "type")[0] ? wr_json_str(a, "type") : "vxlan");
		else if (t->reqs[k].cmd == WR_CMD_VNI_SET)
			fprintf(f, "\\nVNI %lld = bd %lld", (long long)wr_json_int(a, "vni"),
				(long long)wr_json_int(a, "bd"));
		else if (t->reqs[k].cmd == WR_CMD_VTEP_ADD)
			fprintf(f, "\\nVTEP %s", wr_json_str(a, "remote"));
	}
}

static const char *tunnel_underlay(const struct wr_lab_tunnel *t)
{
	for (size_t k = 0; k < t->n_reqs; k++)
		if (t->reqs[k].cmd == WR_CMD_TUNNEL_ADD)
			return wr_json_str(t->reqs[k].args, "underlay");
	return "";
}

/* A chain of the lab: its node (@edges false, in the switch's box) or an edge to each hop's ports. */
static void put_chain(FILE *f, struct json_object *a, bool edges)
{
	struct json_object *hops = wr_json_array(a, "hops");
	const char *name = wr_json_str(a, "name");
	size_t n = hops ? json_object_array_length(hops) : 0;

	if (!edges) {
		fputs("    \"chain:", f);
		put_q(f, name);
		fprintf(f, "\" [shape=cds, style=filled, fillcolor=\"#e3f2fd\", label=\"chain ");
		put_q(f, name);
		fprintf(f, "\\nbd %lld, %zu hop%s\"];\n", (long long)wr_json_int(a, "bd"), n,
			n == 1 ? "" : "s");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hops, i);

		for (int side = 0; side < 2; side++) {
			fputs("  \"chain:", f);
			put_q(f, name);
			fputs("\" -- \"port:", f);
			put_q(f, wr_json_str(h, side ? "out" : "in"));
			fprintf(f, "\" [style=dotted, color=\"#1565c0\", label=\"hop %zu %s\"];\n", i,
				side ? "out" : "in");
		}
	}
}

/* The switch: its ports, an edge each to its device; its tunnels, to their underlays. */
static void put_switch(FILE *f, const struct wr_lab *lab, bool live)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *stats = NULL, *fdb = NULL;
	char extra[160];

	if (live && wr_api_request(sw->name, "port.stats", NULL, &stats) == 0)
		wr_api_request(sw->name, "fdb.show", NULL, &fdb);
	fputs("  subgraph \"cluster_switch\" {\n    label=\"switch ", f);
	put_q(f, sw->name);
	fprintf(f, "%s\"; style=\"rounded,bold\";\n", live && !stats ? " (not running)" : "");
	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_port_req *p = &sw->ports[i].conf;

		fputs("    \"port:", f);
		put_q(f, p->name);
		fputs("\" [shape=box, label=\"", f);
		put_q(f, p->name);
		if (p->bd > 0)
			fprintf(f, "\\nbd %d", p->bd);
		if (p->access_vlan > 0)
			fprintf(f, "\\naccess VLAN %d", p->access_vlan);
		if (p->has_allowed)
			fputs("\\ntrunk", f);
		fputs("\"];\n", f);
	}
	for (size_t i = 0; i < sw->n_tunnels; i++) {
		fputs("    \"tunnel:", f);
		put_q(f, sw->tunnels[i].name);
		fputs("\" [shape=hexagon, label=\"", f);
		put_tunnel_label(f, &sw->tunnels[i]);
		fputs("\"];\n", f);
	}
	for (size_t i = 0; i < sw->n_chains; i++)
		put_chain(f, sw->chains[i].args, false);
	fputs("  }\n", f);
	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_port_req *p = &sw->ports[i].conf;

		if (p->type == WR_PORT_DPDK)
			continue;	/* a PMD's device is no netdev of the lab */
		fputs("  \"port:", f);
		put_q(f, p->name);
		fputs("\" -- ", f);
		put_dev_id(f, p->dev.netns, p->dev.ifname[0] ? p->dev.ifname : p->name);
		extra[0] = '\0';
		if (live)
			port_live(stats, fdb, p->name, extra, sizeof(extra));
		fprintf(f, " [label=\"%s\"];\n", extra[0] ? extra + 2 : "");
	}
	for (size_t i = 0; i < sw->n_tunnels; i++) {
		fputs("  \"tunnel:", f);
		put_q(f, sw->tunnels[i].name);
		fputs("\" -- \"port:", f);
		put_q(f, tunnel_underlay(&sw->tunnels[i]));
		fputs("\" [style=bold, label=\"underlay\"];\n", f);
	}
	for (size_t i = 0; i < sw->n_chains; i++)
		put_chain(f, sw->chains[i].args, true);
	json_object_put(stats);
	json_object_put(fdb);
}

/* Whether some device of the lab lives in the root namespace. */
static bool has_root_devs(const struct wr_lab *lab)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (!s->ep.netns[0] || (s->kind == WR_LINK_VETH && !s->peer.netns[0]))
			return true;
	}
	return false;
}

int wr_lab_graph(const struct wr_lab *lab, bool live, FILE *f)
{
	fputs("graph \"", f);
	put_q(f, lab->file);
	fputs("\" {\n  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", label=\"", f);
	put_q(f, lab->file);
	fprintf(f, "%s\"];\n  node [shape=ellipse, fontname=\"Helvetica\", fontsize=10];\n"
		"  edge [fontname=\"Helvetica\", fontsize=9];\n", live ? " (live)" : "");
	if (has_root_devs(lab))
		put_cluster(f, lab, "", live);
	for (size_t i = 0; i < lab->n_ns; i++)
		put_cluster(f, lab, lab->ns[i].full, live);
	put_links(f, lab);
	if (lab->sw.present)
		put_switch(f, lab, live);
	fputs("}\n", f);
	return ferror(f) ? wr_err_set(-EIO, "lab %s: graph: write error", lab->file) : 0;
}
