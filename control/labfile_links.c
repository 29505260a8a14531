/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_links.c - the lab file's `links:` list, the first half of pass 3
 * (see labfile.c): each link's kind, the keys that kind takes and needs, its
 * endpoints ("ns:ifname" or a root device, made into real, prefixed names),
 * and the values of the per-kind keys, down to the checks on a tunnel's
 * local and remote addresses. It fills lab->links and, per link, what the
 * later passes need (struct lab_link_aux); a lower device (`link`) is only
 * read here, since it may be created by a later link (labfile_check.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labfile_priv.h"

#define LAB_MAX_LINKS	4096

static const char *const link_keys[] = {
	"kind", "name", "endpoints", "owner", "group", "vni", "dstport", "local", "remote",
	"link", "mode", "id", "flags", NULL
};
enum {
	LK_KIND, LK_NAME, LK_ENDPOINTS, LK_OWNER, LK_GROUP, LK_VNI, LK_DSTPORT, LK_LOCAL,
	LK_REMOTE, LK_LINK, LK_MODE, LK_ID, LK_FLAGS, LK_COUNT
};

#define K(x) (1u << LK_##x)
/* The keys each kind takes, and those it cannot do without. */
static const struct {
	unsigned int allowed, required;
} kind_rules[WR_LINK_KIND_COUNT] = {
	[WR_LINK_VETH] = { K(KIND) | K(ENDPOINTS), K(ENDPOINTS) },
	[WR_LINK_TAP] = { K(KIND) | K(NAME) | K(OWNER) | K(GROUP), K(NAME) },
	[WR_LINK_TUN] = { K(KIND) | K(NAME) | K(OWNER) | K(GROUP), K(NAME) },
	[WR_LINK_BRIDGE] = { K(KIND) | K(NAME), K(NAME) },
	[WR_LINK_VXLAN] = { K(KIND) | K(NAME) | K(VNI) | K(DSTPORT) | K(LOCAL) | K(REMOTE) |
			    K(LINK), K(NAME) | K(VNI) },
	[WR_LINK_MACVLAN] = { K(KIND) | K(NAME) | K(LINK) | K(MODE), K(NAME) | K(LINK) },
	[WR_LINK_DUMMY] = { K(KIND) | K(NAME), K(NAME) },
	[WR_LINK_IPVLAN] = { K(KIND) | K(NAME) | K(LINK) | K(MODE) | K(FLAGS), K(NAME) | K(LINK) },
	[WR_LINK_VLAN] = { K(KIND) | K(NAME) | K(LINK) | K(ID), K(NAME) | K(LINK) | K(ID) },
	[WR_LINK_GENEVE] = { K(KIND) | K(NAME) | K(VNI) | K(REMOTE) | K(DSTPORT),
			     K(NAME) | K(VNI) | K(REMOTE) },
};
#undef K

/* See labfile_priv.h. */
int wr_lab_ns_ref(struct lab_ctx *c, const yaml_node_t *n, const char *what, const char *name,
		  size_t len)
{
	int idx = wr_lab_ns_index(c->lab, name, len);
	char b[LAB_SHOW_SIZE];

	if (idx < 0)
		wr_lab_err_node(c, n, "%s: namespace '%s' is not declared (add it under 'namespaces')",
				what, wr_lab_show_n(b, name, len));
	return idx;
}

/* See labfile_priv.h. */
int wr_lab_parse_ep(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_ep *ep, int *ns_idx, struct wr_pos *pos)
{
	struct wr_lab *lab = c->lab;
	size_t plen = strlen(lab->prefix);
	const char *s, *colon, *ifname;
	char b[LAB_SHOW_SIZE], b2[LAB_SHOW_SIZE];
	int idx = -1, err = 0;

	*pos = lab_node_pos(n);
	s = wr_lab_scalar(c, n, what, "NAMESPACE:IFNAME or IFNAME");
	if (!s)
		return -EINVAL;
	colon = strchr(s, ':');
	ifname = colon ? colon + 1 : s;
	if (colon == s) {
		wr_lab_err_node(c, n, "%s: '%s': the namespace before ':' is empty", what,
				wr_lab_show(b, s));
		err = -EINVAL;
	} else if (colon) {
		idx = wr_lab_ns_ref(c, n, what, s, (size_t)(colon - s));
		if (idx < 0)
			err = -EINVAL;
	}
	if (wr_valid_ifname(ifname)) {
		wr_lab_err_node(c, n, "%s: %s", what, wr_err_msg());
		return -EINVAL;
	}
	if (err)
		return err;
	if (!colon && plen + strlen(ifname) > WR_IFNAME_MAX) {
		wr_lab_err_node(c, n, "%s: '%s%s': with the prefix the interface name is %zu bytes, at most %d are allowed",
				what, lab->prefix, wr_lab_show(b, ifname), plen + strlen(ifname),
				WR_IFNAME_MAX);
		return -EINVAL;
	}
	if (colon) {
		strcpy(ep->netns, lab->ns[idx].full);
		strcpy(ep->ifname, ifname);
	} else {
		ep->netns[0] = '\0';
		memcpy(ep->ifname, lab->prefix, plen);
		strcpy(ep->ifname + plen, ifname);
	}
	if (!strcmp(ep->ifname, "lo")) {
		wr_lab_err_node(c, n, "%s: '%s': every namespace already has its loopback device 'lo'",
				what, wr_lab_show(b2, s));
		return -EINVAL;
	}
	*ns_idx = idx;
	return 0;
}

static void parse_endpoints(struct lab_ctx *c, const yaml_node_t *seq, struct wr_link_spec *s,
			    struct lab_link_aux *a)
{
	char d[LAB_DESC_SIZE], b[LAB_SHOW_SIZE];
	yaml_node_t *e0, *e1;

	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "endpoints: expected a sequence of two endpoints, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	if (lab_n_items(seq) != 2) {
		wr_lab_err_node(c, seq, "endpoints: expected exactly two endpoints, got %zu",
				lab_n_items(seq));
		return;
	}
	e0 = lab_node(c, seq->data.sequence.items.start[0]);
	e1 = lab_node(c, seq->data.sequence.items.start[1]);
	a->ep_ok = !wr_lab_parse_ep(c, e0, "endpoints", &s->ep, &a->ns, &a->ep_pos);
	a->peer_ok = !wr_lab_parse_ep(c, e1, "endpoints", &s->peer, &a->peer_ns, &a->peer_pos);
	if (a->ep_ok && a->peer_ok && !strcmp(s->ep.netns, s->peer.netns) &&
	    !strcmp(s->ep.ifname, s->peer.ifname)) {
		wr_lab_err_node(c, e1, "endpoints: both ends are '%s' (expected two distinct endpoints)",
				wr_lab_show(b, lab_text(e1)));
		a->peer_ok = false;
	}
}

/* vxlan/geneve `remote`, once parsed into s->remote. */
static void check_remote(struct lab_ctx *c, yaml_node_t **v, struct wr_link_spec *s)
{
	const yaml_node_t *n = v[LK_REMOTE];
	char b[LAB_SHOW_SIZE];
	const char *t = lab_text(n);

	if (wr_lab_addr_is_zero(&s->remote) ||
	    (!wr_lab_addr_is_unicast(&s->remote) && !wr_lab_addr_is_multicast(&s->remote))) {
		wr_lab_err_node(c, n, "remote: '%s' is not a usable address (expected the unicast address of the other end%s)",
				wr_lab_show(b, t),
				s->kind == WR_LINK_VXLAN ? " or a multicast group" : "");
		return;
	}
	if (s->kind == WR_LINK_GENEVE && wr_lab_addr_is_multicast(&s->remote)) {
		wr_lab_err_node(c, n, "remote: '%s' is a multicast address; geneve needs the unicast address of the other end",
				wr_lab_show(b, t));
		return;
	}
	if (s->has_local && s->local.family != s->remote.family) {
		wr_lab_err_node(c, n, "remote: '%s' is IPv%d but local is IPv%d", wr_lab_show(b, t),
				wr_lab_ip_version(&s->remote), wr_lab_ip_version(&s->local));
		return;
	}
	/* The kernel must know which device joins the group (iproute2 says so too). */
	if (wr_lab_addr_is_multicast(&s->remote) && !v[LK_LINK]) {
		wr_lab_err_node(c, n, "remote: multicast group '%s' needs 'link', the device to join it on",
				wr_lab_show(b, t));
		return;
	}
	s->has_remote = true;
}

/* @n, one of the words @parse knows (@what, for messages): its index, or -1 after an error. */
static int get_word(struct lab_ctx *c, yaml_node_t *n, const char *key, const char *what,
		    int (*parse)(const char *word))
{
	const char *t = wr_lab_scalar(c, n, key, what);
	int i;

	if (!t)
		return -1;
	i = parse(t);
	if (i < 0)
		wr_lab_err_node(c, n, "%s: %s", key, wr_err_msg());
	return i;
}

static void parse_link(struct lab_ctx *c, yaml_node_t *map, struct wr_lab_link *l,
		       struct lab_link_aux *a)
{
	struct wr_link_spec *s = &l->spec;
	yaml_node_t *v[LK_COUNT] = { NULL };
	char where[40], d[LAB_DESC_SIZE];
	unsigned int allowed = ~0u;
	yaml_node_t *kn;
	const char *t;
	int kind = -1, word;
	uint64_t u;
	size_t i;

	l->pos = lab_node_pos(map);
	s->owner = -1;
	s->group = -1;
	s->macvlan_mode = WR_MACVLAN_BRIDGE;
	a->ns = -1;
	a->peer_ns = -1;
	a->lower_link = -1;
	if (map->type != YAML_MAPPING_NODE) {
		wr_lab_err_node(c, map, "link: expected a mapping, got %s", wr_lab_desc(d, map));
		return;
	}
	/* The kind decides which keys are valid, so it comes first. */
	kn = wr_lab_find_value(c, map, "kind");
	if (kn && (t = wr_lab_scalar(c, kn, "kind", "a link kind"))) {
		kind = wr_link_kind_parse(t);
		if (kind < 0)
			wr_lab_err_node(c, kn, "kind: %s", wr_err_msg());
	}
	if (kind >= 0) {
		allowed = kind_rules[kind].allowed;
		snprintf(where, sizeof(where), "in link of kind %s", wr_link_kind_name(kind));
	} else {
		snprintf(where, sizeof(where), "in link");
	}
	wr_lab_get_keys(c, map, link_keys, allowed, where, v);
	if (!kn)
		wr_lab_err_node(c, map, "link: missing 'kind'");
	if (kind < 0) {
		/* Still learn the names it creates, so that uses of them do not fail too. */
		if (v[LK_ENDPOINTS])
			parse_endpoints(c, v[LK_ENDPOINTS], s, a);
		else if (v[LK_NAME])
			a->ep_ok = !wr_lab_parse_ep(c, v[LK_NAME], "name", &s->ep, &a->ns, &a->ep_pos);
		return;
	}
	s->kind = (enum wr_link_kind)kind;
	a->kind_ok = true;
	for (i = 0; i < LK_COUNT; i++)
		if ((kind_rules[kind].required & (1u << i)) && !v[i])
			wr_lab_err_node(c, map, "link of kind %s: missing '%s'",
					wr_link_kind_name(kind), link_keys[i]);

	if (v[LK_ENDPOINTS])
		parse_endpoints(c, v[LK_ENDPOINTS], s, a);
	if (v[LK_NAME])
		a->ep_ok = !wr_lab_parse_ep(c, v[LK_NAME], "name", &s->ep, &a->ns, &a->ep_pos);
	if (v[LK_OWNER] && !wr_lab_get_uint(c, v[LK_OWNER], "owner", 0, 4294967294u, &u))
		s->owner = (int64_t)u;
	if (v[LK_GROUP] && !wr_lab_get_uint(c, v[LK_GROUP], "group", 0, 4294967294u, &u))
		s->group = (int64_t)u;
	if (v[LK_VNI] && !wr_lab_get_uint(c, v[LK_VNI], "vni", 0, 16777215, &u))
		s->vni = (uint32_t)u;
	if (v[LK_DSTPORT] && !wr_lab_get_uint(c, v[LK_DSTPORT], "dstport", 1, 65535, &u))
		s->dstport = (uint16_t)u;
	if (v[LK_ID] && !wr_lab_get_uint(c, v[LK_ID], "id", 1, 4094, &u))
		s->vlan_id = (uint16_t)u;
	if (v[LK_MODE] && kind == WR_LINK_MACVLAN &&
	    (word = get_word(c, v[LK_MODE], "mode", "a macvlan mode", wr_macvlan_mode_parse)) >= 0)
		s->macvlan_mode = (enum wr_macvlan_mode)word;
	if (v[LK_MODE] && kind == WR_LINK_IPVLAN &&
	    (word = get_word(c, v[LK_MODE], "mode", "an ipvlan mode", wr_ipvlan_mode_parse)) >= 0)
		s->ipvlan_mode = (enum wr_ipvlan_mode)word;
	if (v[LK_FLAGS] &&
	    (word = get_word(c, v[LK_FLAGS], "flags", "an ipvlan flag", wr_ipvlan_flag_parse)) >= 0)
		s->ipvlan_flag = (enum wr_ipvlan_flag)word;
	if (v[LK_LOCAL] && !wr_lab_get_addr(c, v[LK_LOCAL], "local", &s->local)) {
		if (!wr_lab_addr_is_unicast(&s->local))
			wr_lab_err_node(c, v[LK_LOCAL], "local: '%s' is not a unicast address (expected an address of this host)",
					wr_lab_show(d, lab_text(v[LK_LOCAL])));
		else
			s->has_local = true;
	}
	if (v[LK_REMOTE] && !wr_lab_get_addr(c, v[LK_REMOTE], "remote", &s->remote))
		check_remote(c, v, s);
	/* The lower device may come from a later link: resolved in pass 4. */
	if (v[LK_LINK] && (t = wr_lab_scalar(c, v[LK_LINK], "link", "the name of a device"))) {
		if (wr_valid_ifname(t))
			wr_lab_err_node(c, v[LK_LINK], "link: %s", wr_err_msg());
		else
			a->lower = v[LK_LINK];
	}
}

void wr_lab_parse_links(struct lab_ctx *c, const yaml_node_t *seq)
{
	struct wr_lab *lab = c->lab;
	yaml_node_item_t *it;
	char d[LAB_DESC_SIZE];
	size_t n;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "links: expected a sequence, got %s", wr_lab_desc(d, seq));
		return;
	}
	n = lab_n_items(seq);
	if (n > LAB_MAX_LINKS)
		n = LAB_MAX_LINKS;
	if (!n)
		return;
	lab->links = calloc(n, sizeof(*lab->links));
	c->aux = calloc(n, sizeof(*c->aux));
	if (!lab->links || !c->aux) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = lab_node(c, *it);

		if (lab->n_links == LAB_MAX_LINKS) {
			wr_lab_err_node(c, m, "links: too many links (at most %d)", LAB_MAX_LINKS);
			break;
		}
		parse_link(c, m, &lab->links[lab->n_links], &c->aux[lab->n_links]);
		lab->n_links++;
	}
}
