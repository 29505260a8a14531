/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_evpn.c - the lab file's `evpn:` section (docs/labfile.md, EVPN):
 * BGP settings for FRR, and for a host the switch's tunnel whose VNIs,
 * local address and underlay namespace EVPN takes (one fact, one place);
 * a route reflector names its namespace instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "labfile_priv.h"

static const char *const keys[] = { "asn", "router_id", "neighbors", "listen", "tunnel", "netns",
				    "anchor_port", NULL };
enum { K_ASN, K_ROUTER_ID, K_NEIGHBORS, K_LISTEN, K_TUNNEL, K_NETNS, K_ANCHOR_PORT, K_COUNT };

#define ANCHOR_PORT_DEFAULT 4790

static int get_ipv4(struct lab_ctx *c, const yaml_node_t *n, const char *what, struct wr_cidr *out)
{
	if (wr_lab_get_addr(c, n, what, out))
		return -EINVAL;
	if (out->family != AF_INET) {
		wr_lab_err_node(c, n, "%s: FRR 8.4's EVPN has IPv4 only", what);
		return -EINVAL;
	}
	return 0;
}

static void parse_neighbors(struct lab_ctx *c, struct wr_lab_evpn *e, const yaml_node_t *seq)
{
	char d[LAB_DESC_SIZE];

	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "evpn: neighbors: expected a sequence of IPv4 addresses, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = lab_node(c, *it);

		if (e->n_peers == WR_LAB_EVPN_PEERS_MAX) {
			wr_lab_err_node(c, n, "evpn: neighbors: at most %d", WR_LAB_EVPN_PEERS_MAX);
			return;
		}
		if (!get_ipv4(c, n, "evpn: neighbors", &e->peers[e->n_peers]))
			e->n_peers++;
	}
}

static const struct wr_lab_tunnel *find_tunnel(const struct wr_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->sw.n_tunnels; i++)
		if (!strcmp(lab->sw.tunnels[i].name, name))
			return &lab->sw.tunnels[i];
	return NULL;
}

static const char *arg_str(const struct wr_lab_req *r, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(r->args, key, &v) ? json_object_get_string(v) : "";
}

static int64_t arg_int(const struct wr_lab_req *r, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(r->args, key, &v) ? json_object_get_int64(v) : -1;
}

/* The tunnel's local address, VNIs and underlay namespace, from its requests. */
static void take_tunnel(struct lab_ctx *c, struct wr_lab_evpn *e, const yaml_node_t *n,
			const char *name)
{
	const struct wr_lab *lab = c->lab;
	const struct wr_lab_tunnel *t = find_tunnel(lab, name);
	const char *underlay = NULL;
	int64_t dstport = -1;

	if (!t) {
		wr_lab_err_node(c, n, "evpn: tunnel '%s': no such tunnel in the switch", name);
		return;
	}
	snprintf(e->tunnel, sizeof(e->tunnel), "%s", name);
	for (size_t i = 0; i < t->n_reqs; i++) {
		const struct wr_lab_req *r = &t->reqs[i];

		if (r->cmd == WR_CMD_TUNNEL_ADD) {
			underlay = arg_str(r, "underlay");
			dstport = arg_int(r, "dstport");
			if (dstport < 0)	/* warrend's default (docs/api.md, tunnel.add) */
				dstport = strcmp(arg_str(r, "type"), "geneve") ? 4789 : 6081;
			if (wr_parse_cidr(arg_str(r, "local"), false, &e->local) ||
			    e->local.family != AF_INET)
				wr_lab_err_node(c, n, "evpn: tunnel '%s': its local address is not IPv4 (FRR 8.4's EVPN has IPv4 VTEPs only)",
						name);
		} else if (r->cmd == WR_CMD_VNI_SET && e->n_vnis < WR_LAB_EVPN_VNIS_MAX) {
			e->vni[e->n_vnis] = (uint32_t)arg_int(r, "vni");
			e->bd[e->n_vnis++] = (uint16_t)arg_int(r, "bd");
		} else if (r->cmd == WR_CMD_VNI_SET) {
			wr_lab_err_node(c, n, "evpn: tunnel '%s': more than %d VNIs", name,
					WR_LAB_EVPN_VNIS_MAX);
			return;
		}
	}
	if (!e->n_vnis)
		wr_lab_err_node(c, n, "evpn: tunnel '%s': carries no VNI", name);
	if (dstport == e->anchor_port)
		wr_lab_err_node(c, n, "evpn: anchor_port %u is tunnel '%s''s own UDP port (the anchors must not take its frames)",
				e->anchor_port, name);
	for (size_t i = 0; underlay && i < lab->sw.n_ports; i++)
		if (!strcmp(lab->sw.ports[i].conf.name, underlay))
			snprintf(e->netns, sizeof(e->netns), "%s", lab->sw.ports[i].conf.dev.netns);
	if (underlay && !e->netns[0])
		wr_lab_err_node(c, n, "evpn: tunnel '%s': its underlay is in no namespace of the lab (FRR runs there)",
				name);
}

void wr_lab_parse_evpn(struct lab_ctx *c, const yaml_node_t *n)
{
	struct wr_lab_evpn *e = &c->lab->evpn;
	yaml_node_t *v[K_COUNT] = { NULL };
	char d[LAB_DESC_SIZE];
	const char *t;
	uint64_t u;
	int ns;

	if (lab_is_null(n))
		return;
	if (n->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, n, "evpn: expected a mapping (asn, router_id, neighbors, listen, tunnel, netns, anchor_port), got %s",
				wr_lab_desc(d, n));
		return;
	}
	e->present = true;
	e->pos = lab_node_pos(n);
	e->anchor_port = ANCHOR_PORT_DEFAULT;
	wr_lab_get_keys(c, n, keys, ~0u, "in evpn", v);
	if (!v[K_ASN])
		wr_lab_err_node(c, n, "evpn: missing 'asn'");
	else if (!wr_lab_get_uint(c, v[K_ASN], "evpn: asn", 1, UINT32_MAX, &u))
		e->asn = (uint32_t)u;
	if (!v[K_ROUTER_ID])
		wr_lab_err_node(c, n, "evpn: missing 'router_id'");
	else
		get_ipv4(c, v[K_ROUTER_ID], "evpn: router_id", &e->router_id);
	if (v[K_NEIGHBORS])
		parse_neighbors(c, e, v[K_NEIGHBORS]);
	if (v[K_LISTEN] && !(t = wr_lab_scalar(c, v[K_LISTEN], "evpn: listen", "an IPv4 prefix such as 192.0.2.0/24")))
		v[K_LISTEN] = NULL;
	else if (v[K_LISTEN] && (wr_parse_cidr(t, true, &e->listen) || e->listen.family != AF_INET))
		wr_lab_err_node(c, v[K_LISTEN], "evpn: listen: expected an IPv4 prefix such as 192.0.2.0/24");
	else if (v[K_LISTEN])
		e->has_listen = true;
	if (!v[K_NEIGHBORS] && !v[K_LISTEN])
		wr_lab_err_node(c, n, "evpn: no BGP peer: give 'neighbors' (a host: its route reflector) or 'listen' (a route reflector: its clients' prefix)");
	if (v[K_ANCHOR_PORT] && !wr_lab_get_uint(c, v[K_ANCHOR_PORT], "evpn: anchor_port", 1, 65535, &u))
		e->anchor_port = (uint16_t)u;
	if (v[K_TUNNEL] && v[K_NETNS]) {
		wr_lab_err_node(c, v[K_NETNS], "evpn: 'netns' with 'tunnel': FRR runs in the tunnel's underlay namespace");
	} else if (v[K_TUNNEL]) {
		if (!c->lab->sw.present)
			wr_lab_err_node(c, v[K_TUNNEL], "evpn: tunnel: the lab has no switch");
		else if ((t = wr_lab_scalar(c, v[K_TUNNEL], "evpn: tunnel", "a tunnel of the switch")))
			take_tunnel(c, e, v[K_TUNNEL], t);
	} else if (v[K_NETNS]) {
		if (v[K_ANCHOR_PORT])
			wr_lab_err_node(c, v[K_ANCHOR_PORT], "evpn: anchor_port without 'tunnel': no VNI to anchor");
		t = wr_lab_scalar(c, v[K_NETNS], "evpn: netns", "a namespace of the lab");
		ns = t ? wr_lab_ns_ref(c, v[K_NETNS], "evpn: netns", t, strlen(t)) : -1;
		if (ns >= 0)
			snprintf(e->netns, sizeof(e->netns), "%s", c->lab->ns[ns].full);
	} else {
		wr_lab_err_node(c, n, "evpn: give 'tunnel' (a host: the switch's tunnel whose VNIs EVPN carries) or 'netns' (a route reflector: where FRR runs)");
	}
}
