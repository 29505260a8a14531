/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_vf.c - the VFs of a lab (its `vfs:` section) on this host: checked
 * against sysfs (`lab check`), lent to the lab's namespaces (`up`), taken
 * back (`down`) and compared with what is lent (`show`).
 *
 * Warren's state files (wr_vf_lent_foreach()) are the record of what is
 * lent, not the lab file: `down` releases every VF lent to a namespace of
 * the lab, so that one the file has stopped naming since its `up` does not
 * stay behind in a namespace about to go.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_priv.h"
#include "labfile_priv.h"

/* ---------------------------------------------------------------- check */

__attribute__((format(printf, 4, 5)))
static int finding(struct wr_lab *lab, bool error, struct wr_pos pos, const char *fmt, ...)
{
	size_t n_dropped = 0, i;
	struct wr_lab_error *v;
	va_list ap;

	va_start(ap, fmt);
	if (error) {
		wr_lab_add_error(lab, &n_dropped, pos, fmt, ap);
		va_end(ap);
		wr_lab_finish_errors(lab, n_dropped);
		return 0;
	}
	v = realloc(lab->notes, (lab->n_notes + 1) * sizeof(*v));
	if (!v) {
		va_end(ap);
		return wr_err_set(-ENOMEM, "lab %s: out of memory", lab->file);
	}
	lab->notes = v;
	/* In file order, as the errors. */
	for (i = lab->n_notes; i > 0 && (v[i - 1].pos.line > pos.line ||
					 (v[i - 1].pos.line == pos.line && v[i - 1].pos.col > pos.col)); i--)
		v[i] = v[i - 1];
	v[i].pos = pos;
	vsnprintf(v[i].msg, sizeof(v[i].msg), fmt, ap);
	va_end(ap);
	lab->n_notes++;
	return 0;
}

static size_t n_on_pf(const struct wr_lab *lab, const char *pf)
{
	size_t n = 0;

	for (size_t i = 0; i < lab->n_vfs; i++)
		n += !strcmp(lab->vfs[i].a.pf, pf);
	return n;
}

int wr_lab_check_host(struct wr_lab *lab, const char *sysfs)
{
	size_t before = lab->n_errors;
	int err = 0;

	for (size_t i = 0; i < lab->n_vfs && !err; i++) {
		const struct wr_lab_vf *e = &lab->vfs[i];
		struct wr_sriov_pf pf;
		size_t n;

		/* An entry the file got wrong has its error already. */
		if (!e->a.pf[0] || (!e->any && e->a.vf > 65535))
			continue;
		if (wr_sriov_pf_get(sysfs, e->a.pf, &pf)) {
			err = finding(lab, false, e->pf_pos, "pf: %s: this host cannot lend the VF",
				      wr_err_msg());
			continue;
		}
		n = n_on_pf(lab, e->a.pf);
		if (!pf.num_vfs)
			err = finding(lab, true, e->vf_pos, "vf: PF '%s' has no VFs (sriov_numvfs is 0: "
				      "'warren vf set %s numvfs N' makes them)", pf.ifname, pf.ifname);
		else if (!e->any && e->a.vf >= pf.num_vfs)
			err = finding(lab, true, e->vf_pos, "vf: %u is out of range: PF '%s' has %u "
				      "VFs (sriov_numvfs), 0 to %u", e->a.vf, pf.ifname, pf.num_vfs,
				      pf.num_vfs - 1);
		else if (e->any && n > pf.num_vfs)
			err = finding(lab, true, e->vf_pos, "vf: 'any' may find none: PF '%s' has %u "
				      "VFs (sriov_numvfs) and the lab wants %zu", pf.ifname,
				      pf.num_vfs, n);
	}
	return err ? err : (int)(lab->n_errors - before);
}

/* ------------------------------------------------------------------- up */

/* Whether @idx of @pf is an index some entry of @lab names (`any` ones do not). */
static bool named(const struct wr_lab *lab, const char *pf, unsigned int idx)
{
	for (size_t i = 0; i < lab->n_vfs; i++)
		if (!lab->vfs[i].any && lab->vfs[i].a.vf == idx && !strcmp(lab->vfs[i].a.pf, pf))
			return true;
	return false;
}

struct lent_match {
	const struct wr_lab_vf *e;
	const char *pf_pci;
	int vf;		/* the VF lent as @e wants it, -1 none */
};

static int lent_cb(const struct wr_vf_lent *l, void *arg)
{
	struct lent_match *m = arg;

	if (m->vf < 0 && !strcmp(l->pf_pci, m->pf_pci) && !strcmp(l->netns, m->e->a.netns) &&
	    !strcmp(l->name, m->e->a.name) && (m->e->any || l->vf == m->e->a.vf))
		m->vf = (int)l->vf;
	return 0;
}

/* Into *@vf: the VF lent already as entry @e wants one (a second `up`), or -1. */
static int lent_as(const struct wr_lab_vf *e, const struct wr_sriov_pf *pf, int *vf)
{
	struct lent_match m = { e, pf->pci, -1 };
	int err = wr_vf_lent_foreach(lent_cb, &m);

	*vf = m.vf;
	return err < 0 ? err : 0;
}

struct pick {
	const struct wr_lab *lab;
	const struct wr_sriov_pf *pf;
	int vf;		/* the first free one, -1 none yet */
};

/* Free: a netdev here to lend, not named by the lab, not lent, not in use. */
static int pick_cb(const struct wr_sriov_vf *vf, void *arg)
{
	struct pick *p = arg;
	char who[128];

	if (p->vf >= 0 || !vf->ifname[0] || named(p->lab, p->pf->ifname, vf->index))
		return 0;
	if (wr_vf_in_use(p->pf, vf, who, sizeof(who), NULL) == 0)
		p->vf = (int)vf->index;
	return 0;
}

int wr_lab_vf_lend(const struct wr_lab *lab, size_t i, unsigned int *vf)
{
	const struct wr_lab_vf *e = &lab->vfs[i];
	struct wr_vf_attach a = e->a;
	struct wr_sriov_pf pf;
	struct pick p = { lab, &pf, -1 };
	int err, have;

	err = wr_sriov_pf_get(NULL, a.pf, &pf);
	if (!err)
		err = lent_as(e, &pf, &have);
	if (err)
		return err;
	if (have >= 0) {
		*vf = (unsigned int)have;
		return 0;
	}
	if (e->any) {
		err = wr_sriov_vf_foreach(NULL, a.pf, pick_cb, &p);
		if (err < 0)
			return err;
		if (p.vf < 0)
			return wr_err_set(-EBUSY, "PF %s: no free VF for %s:%s (line %u): each is "
					  "lent, in use, named by the lab or without a netdev here",
					  a.pf, a.netns, a.name, e->pos.line);
		a.vf = (unsigned int)p.vf;
	}
	err = wr_vf_attach(NULL, &a);
	if (err)
		return err;
	*vf = a.vf;
	return 1;
}

/* ----------------------------------------------------------------- down */

struct lent_set {
	const struct wr_lab *lab;
	struct wr_vf_lent *v;
	size_t n;
	int err;
};

static int collect_cb(const struct wr_vf_lent *l, void *arg)
{
	struct lent_set *s = arg;
	struct wr_vf_lent *v;

	for (size_t i = 0; i < s->lab->n_ns; i++) {
		if (strcmp(l->netns, s->lab->ns[i].full))
			continue;
		v = realloc(s->v, (s->n + 1) * sizeof(*v));
		if (!v)
			return wr_err_set(-ENOMEM, "lab: out of memory");
		s->v = v;
		s->v[s->n++] = *l;
		break;
	}
	return 0;
}

int wr_lab_vfs_down(const struct wr_lab *lab)
{
	struct lent_set s = { .lab = lab };
	struct wr_vf_release_report r;
	char first[512] = "";
	int ret, err;

	/* Listed first, released after: each release removes a state file. */
	ret = wr_vf_lent_foreach(collect_cb, &s);
	if (ret > 0)
		ret = 0;
	for (size_t i = 0; i < s.n; i++) {
		err = wr_vf_release(NULL, s.v[i].pf, s.v[i].vf, &r);
		if (err && err != -ENOENT && !ret) {
			ret = err;
			snprintf(first, sizeof(first), "%s", wr_err_msg());
		}
	}
	if (first[0])
		wr_err_set(ret, "%s", first);
	free(s.v);
	return ret;
}

/* --------------------------------------------------------------- status */

void wr_lab_vfs_status(const struct wr_lab *lab,
		       void (*report)(void *st, struct wr_lab_item *it), void *st)
{
	for (size_t i = 0; i < lab->n_vfs; i++) {
		const struct wr_lab_vf *e = &lab->vfs[i];
		struct wr_lab_item it = { .type = "vf" };
		struct wr_sriov_pf pf;
		char idx[16];
		int vf = -1;

		snprintf(idx, sizeof(idx), "%u", e->a.vf);
		if (wr_sriov_pf_get(NULL, e->a.pf, &pf))
			snprintf(it.detail, sizeof(it.detail), "no PF %s here", e->a.pf);
		else if (lent_as(e, &pf, &vf) || vf < 0)
			snprintf(it.detail, sizeof(it.detail), "not lent");
		if (e->any && vf >= 0)
			snprintf(idx, sizeof(idx), "any: %d", vf);
		snprintf(it.name, sizeof(it.name), "%s:%s (PF %s vf %s)", e->a.netns, e->a.name,
			 e->a.pf, e->any && vf < 0 ? "any" : idx);
		it.present = vf >= 0;
		report(st, &it);
	}
}
