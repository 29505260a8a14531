/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_vfs.c - the lab file's `vfs:` section: SR-IOV VFs of the host,
 * each lent to a namespace of the lab under a name, with addresses and the
 * VF settings of `warren vf set` (read by the same wr_vf_conf_put()).
 *
 * Read after the links (pass 5, before the namespace bodies): a VF's name
 * must not be a device a link creates there, and routes may name it. What
 * only the host can say (is the PF there, has it that VF) is not read here
 * but by wr_lab_check_host() (lab_vf.c): parsing touches nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labfile_priv.h"

/* The entry's own keys; the VF settings (wr_vf_conf_keys) follow them. */
static const char *const entry_keys[] = { "pf", "vf", "netns", "name", "addresses", "up" };
enum { VF_PF, VF_VF, VF_NETNS, VF_NAME, VF_ADDRS, VF_UP, VF_N_OWN };

#define VF_UNKNOWN UINT_MAX	/* a.vf while the entry's `vf` is bad or `any` */

const struct wr_lab_vf *wr_lab_find_vf(const struct wr_lab *lab, const char *netns,
				       const char *ifname)
{
	for (size_t i = 0; i < lab->n_vfs; i++)
		if (!strcmp(lab->vfs[i].a.netns, netns) && !strcmp(lab->vfs[i].a.name, ifname))
			return &lab->vfs[i];
	return NULL;
}

static void parse_vf_index(struct lab_ctx *c, struct wr_lab_vf *e, const yaml_node_t *n)
{
	char b[LAB_SHOW_SIZE];
	const char *t;
	uint64_t u;

	e->vf_pos = lab_node_pos(n);
	t = wr_lab_scalar(c, n, "vf", "a VF index or 'any'");
	if (!t)
		return;
	if (!strcmp(t, "any")) {
		e->any = true;
		return;
	}
	if (t[strspn(t, "0123456789")]) {
		wr_lab_err_node(c, n, "vf: expected a VF index or 'any', got '%s'", wr_lab_show(b, t));
		return;
	}
	if (!wr_lab_get_uint(c, n, "vf", 0, 65535, &u))
		e->a.vf = (unsigned int)u;
}

/* Two entries may not want one VF: the same index of the same PF. */
static void check_twice(struct lab_ctx *c, const struct wr_lab_vf *e, const yaml_node_t *n)
{
	const struct wr_lab *lab = c->lab;

	if (e->any || e->a.vf == VF_UNKNOWN || !e->a.pf[0])
		return;
	for (size_t j = 0; j < lab->n_vfs; j++) {
		const struct wr_lab_vf *o = &lab->vfs[j];

		if (!o->any && o->a.vf == e->a.vf && !strcmp(o->a.pf, e->a.pf)) {
			wr_lab_err_node(c, n, "vf: PF '%s' vf %u is wanted by the entry at line %u already",
					e->a.pf, e->a.vf, o->pos.line);
			return;
		}
	}
}

static void parse_name(struct lab_ctx *c, struct wr_lab_vf *e, int ns, const yaml_node_t *n)
{
	char b[LAB_SHOW_SIZE];
	const struct lab_dev *d;
	const struct wr_lab_vf *o;
	const char *t;

	t = wr_lab_scalar(c, n, "name", "an interface name");
	if (!t)
		return;
	if (wr_valid_ifname(t)) {
		wr_lab_err_node(c, n, "name: %s", wr_err_msg());
		return;
	}
	if (!strcmp(t, "lo")) {
		wr_lab_err_node(c, n, "name: 'lo' is the namespace's loopback device");
		return;
	}
	if (ns < 0)
		return;
	d = wr_lab_find_dev(c, e->a.netns, t);
	if (d) {
		wr_lab_err_node(c, n, "name: the link at line %u creates '%s' in namespace '%s' already",
				c->lab->links[d->link].pos.line, t,
				wr_lab_show(b, c->lab->ns[ns].name));
		return;
	}
	o = wr_lab_find_vf(c->lab, e->a.netns, t);
	if (o) {
		wr_lab_err_node(c, n, "name: the VF at line %u is '%s' in namespace '%s' already",
				o->pos.line, t, wr_lab_show(b, c->lab->ns[ns].name));
		return;
	}
	strcpy(e->a.name, t);
}

static void parse_addrs(struct lab_ctx *c, struct wr_lab_vf *e, const yaml_node_t *n)
{
	struct wr_lab_iface tmp = { .n_addrs = 0 };

	snprintf(tmp.ifname, sizeof(tmp.ifname), "%s", e->a.name[0] ? e->a.name : "?");
	wr_lab_parse_addrs(c, &tmp, n);
	if (tmp.n_addrs > WR_VF_ADDRS_MAX)
		wr_lab_err_node(c, n, "addresses: %zu for one VF, at most %d are allowed",
				tmp.n_addrs, WR_VF_ADDRS_MAX);
	else if (tmp.n_addrs)
		memcpy(e->a.addrs, tmp.addrs, tmp.n_addrs * sizeof(*tmp.addrs));
	e->a.n_addrs = tmp.n_addrs <= WR_VF_ADDRS_MAX ? tmp.n_addrs : 0;
	free(tmp.addrs);
}

/* The VF settings of the entry: @v holds the values of wr_vf_conf_keys. */
static void parse_settings(struct lab_ctx *c, struct wr_lab_vf *e, yaml_node_t *const *v,
			   const yaml_node_t *m)
{
	const yaml_node_t *qos = NULL, *proto = NULL, *min = NULL;
	bool bad = false;
	const char *t;

	for (size_t k = 0; wr_vf_conf_keys[k]; k++) {
		const char *kw = wr_vf_conf_keys[k];

		if (!v[k])
			continue;
		t = wr_lab_scalar(c, v[k], kw, "a value, as `warren vf set` takes it");
		if (!t || wr_vf_conf_put(&e->a.conf, kw, t) < 0) {
			if (t)
				wr_lab_err_node(c, v[k], "%s", wr_err_msg());
			bad = true;
			continue;
		}
		if (!strcmp(kw, "qos"))
			qos = v[k];
		else if (!strcmp(kw, "proto"))
			proto = v[k];
		else if (strstr(kw, "min"))
			min = v[k];
	}
	if (bad || !wr_vf_conf_finish(&e->a.conf, qos || proto))
		return;
	/* Where the fault is: the qos or proto without a vlan, or the rates. */
	if (!e->a.conf.has_vlan && (qos || proto))
		m = qos ? qos : proto;
	else if (min)
		m = min;
	wr_lab_err_node(c, m, "%s", wr_err_msg());
}

static void parse_entry(struct lab_ctx *c, const yaml_node_t *m)
{
	const char *keys[VF_N_OWN + 16];
	yaml_node_t *v[VF_N_OWN + 16] = { NULL };
	struct wr_lab_vf *e = &c->lab->vfs[c->lab->n_vfs];
	size_t n_keys = 0;
	bool up = true;
	const char *t;
	int ns = -1;

	for (size_t k = 0; k < VF_N_OWN; k++)
		keys[n_keys++] = entry_keys[k];
	for (size_t k = 0; wr_vf_conf_keys[k] && n_keys + 1 < sizeof(keys) / sizeof(keys[0]); k++)
		keys[n_keys++] = wr_vf_conf_keys[k];
	keys[n_keys] = NULL;

	e->a.vf = VF_UNKNOWN;
	wr_vf_conf_init(&e->a.conf);
	e->pos = e->pf_pos = e->vf_pos = lab_node_pos(m);
	wr_lab_get_keys(c, m, keys, ~0u, "in a vfs entry", v);
	for (size_t k = 0; k < VF_ADDRS; k++)
		if (!v[k])
			wr_lab_err_node(c, m, "vfs entry: missing '%s'", entry_keys[k]);
	if (v[VF_PF] && (t = wr_lab_scalar(c, v[VF_PF], "pf", "the PF's netdev name"))) {
		e->pf_pos = lab_node_pos(v[VF_PF]);
		if (wr_valid_ifname(t))
			wr_lab_err_node(c, v[VF_PF], "pf: %s", wr_err_msg());
		else
			strcpy(e->a.pf, t);
	}
	if (v[VF_VF]) {
		parse_vf_index(c, e, v[VF_VF]);
		check_twice(c, e, v[VF_VF]);
	}
	if (v[VF_NETNS] && (t = wr_lab_scalar(c, v[VF_NETNS], "netns", "a namespace of the lab"))) {
		ns = wr_lab_ns_ref(c, v[VF_NETNS], "netns", t, strlen(t));
		if (ns >= 0)
			strcpy(e->a.netns, c->lab->ns[ns].full);
	}
	if (v[VF_NAME])
		parse_name(c, e, ns, v[VF_NAME]);
	if (v[VF_ADDRS])
		parse_addrs(c, e, v[VF_ADDRS]);
	if (v[VF_UP] && !wr_lab_get_bool(c, v[VF_UP], "up", &up))
		e->a.down = !up;
	parse_settings(c, e, v + VF_N_OWN, m);
	c->lab->n_vfs++;
}

void wr_lab_parse_vfs(struct lab_ctx *c, const yaml_node_t *seq)
{
	char d[LAB_DESC_SIZE];
	size_t n;

	if (lab_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		wr_lab_err_node(c, seq, "vfs: expected a sequence of VF entries, got %s",
				wr_lab_desc(d, seq));
		return;
	}
	n = lab_n_items(seq);
	if (!n)
		return;
	c->lab->vfs = calloc(n < WR_LAB_VFS_MAX ? n : WR_LAB_VFS_MAX, sizeof(*c->lab->vfs));
	if (!c->lab->vfs) {
		c->oom = true;
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = lab_node(c, *it);

		if (c->lab->n_vfs == WR_LAB_VFS_MAX) {
			wr_lab_err_node(c, m, "vfs: too many entries (at most %d)", WR_LAB_VFS_MAX);
			break;
		}
		if (m->type != YAML_MAPPING_NODE) {
			wr_lab_err_node(c, m, "vfs entry: expected a mapping (pf, vf, netns, name, addresses, up, settings), got %s",
					wr_lab_desc(d, m));
			continue;
		}
		parse_entry(c, m);
	}
}
