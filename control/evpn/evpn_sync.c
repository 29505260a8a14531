/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evpn_sync.c - one pass of warren-evpnd (docs/evpn.md): both views whole
 * in, the differences out as calls. Lists are sorted by (VNI, MAC) and
 * merged, so a pass costs O(n log n) in the number of entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evpn_priv.h"

int ev_macs_init(struct ev_macs *m, uint32_t max)
{
	memset(m, 0, sizeof(*m));
	m->v = calloc(max ? max : 1, sizeof(*m->v));
	if (!m->v)
		return -ENOMEM;
	m->max = max;
	return 0;
}

void ev_macs_free(struct ev_macs *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->max = 0;
}

void ev_macs_push(struct ev_macs *m, uint16_t vni_idx, const uint8_t mac[6], uint32_t vtep)
{
	if (m->n == m->max) {
		m->full++;
		return;
	}
	memcpy(m->v[m->n].mac, mac, 6);
	m->v[m->n].vni_idx = vni_idx;
	m->v[m->n].vtep = vtep;
	m->n++;
}

int ev_vni_of_bd(const struct ev_state *s, uint16_t bd)
{
	for (int i = 0; i < s->n_vnis; i++)
		if (s->vnis[i].bd == bd)
			return i;
	return -1;
}

static int cmp_key(const struct ev_mac *a, const struct ev_mac *b)
{
	if (a->vni_idx != b->vni_idx)
		return a->vni_idx < b->vni_idx ? -1 : 1;
	return memcmp(a->mac, b->mac, 6);
}

static int cmp_mac(const void *a, const void *b)
{
	return cmp_key(a, b);
}

static void sort(struct ev_macs *m)
{
	qsort(m->v, m->n, sizeof(*m->v), cmp_mac);
}

static bool in_list(const uint32_t *ips, uint32_t n, uint32_t ip)
{
	for (uint32_t i = 0; i < n; i++)
		if (ips[i] == ip)
			return true;
	return false;
}

static const struct ev_vtep *wvtep(const struct ev_state *s, uint32_t ip)
{
	for (uint32_t i = 0; i < s->n_wvteps; i++)
		if (s->wvteps[i].ip == ip)
			return &s->wvteps[i];
	return NULL;
}

static void count(struct ev_counts *c, uint64_t *what, int err)
{
	if (err)
		c->errors++;
	else
		(*what)++;
}

/* @ip into @out once (its first flood bit stays), or counted past the bound. */
static void want_vtep(struct ev_state *s, struct ev_vtep *out, uint32_t *n, uint32_t ip, bool flood)
{
	for (uint32_t k = 0; k < *n; k++)
		if (out[k].ip == ip)
			return;
	if (*n == EV_VTEP_MAX) {
		s->vtep_full++;
		return;
	}
	out[(*n)++] = (struct ev_vtep){ .ip = ip, .flood = flood };
}

/* The VTEPs the kernel names, with their flood bit: type-3 first, then type-2's. */
static uint32_t wanted_vteps(struct ev_state *s, struct ev_vtep *out)
{
	uint32_t n = 0;

	for (int i = 0; i < s->n_vnis; i++)
		for (uint32_t j = 0; j < s->vnis[i].n_flood; j++)
			want_vtep(s, out, &n, s->vnis[i].flood[j], true);
	for (uint32_t i = 0; i < s->krem.n; i++)
		want_vtep(s, out, &n, s->krem.v[i].vtep, false);
	return n;
}

void ev_sync(struct ev_state *s, const struct ev_ops *ops, void *ctx, struct ev_counts *c)
{
	struct ev_vtep want[EV_VTEP_MAX];
	uint32_t n_want, renewed[EV_VTEP_MAX], n_renewed = 0, gone[EV_VTEP_MAX], n_gone = 0;
	uint32_t i, j;

	sort(&s->krem);
	sort(&s->kloc);
	sort(&s->wrem);
	sort(&s->wloc);

	/*
	 * VTEPs first: fdb.add needs its VTEP. A VTEP whose flood bit must
	 * change is made again, which takes its entries with it: those are
	 * then missing on Warren's side, and added below.
	 */
	n_want = wanted_vteps(s, want);
	for (i = 0; i < n_want; i++) {
		const struct ev_vtep *w = wvtep(s, want[i].ip);

		if (w && w->flood == want[i].flood)
			continue;
		if (w) {
			count(c, &c->vtep_del, ops->vtep_del(ctx, w->ip));
			renewed[n_renewed++] = w->ip;
		}
		count(c, &c->vtep_add, ops->vtep_add(ctx, want[i].ip, want[i].flood));
	}
	for (i = 0; i < s->n_wvteps; i++) {
		bool wanted = false;

		for (j = 0; j < n_want && !wanted; j++)
			wanted = want[j].ip == s->wvteps[i].ip;
		if (!wanted)
			gone[n_gone++] = s->wvteps[i].ip;
	}

	/* Remote MACs: the kernel's (zebra's) are the truth. */
	for (i = 0, j = 0; i < s->krem.n || j < s->wrem.n;) {
		const struct ev_mac *k = i < s->krem.n ? &s->krem.v[i] : NULL;
		const struct ev_mac *w = j < s->wrem.n ? &s->wrem.v[j] : NULL;
		int d = !k ? 1 : !w ? -1 : cmp_key(k, w);

		if (d < 0 || (d == 0 && (k->vtep != w->vtep || in_list(renewed, n_renewed, w->vtep))))
			count(c, &c->mac_add, ops->mac_add(ctx, &s->vnis[k->vni_idx], k->mac, k->vtep));
		else if (d > 0 && !in_list(gone, n_gone, w->vtep) && !in_list(renewed, n_renewed, w->vtep))
			count(c, &c->mac_del, ops->mac_del(ctx, &s->vnis[w->vni_idx], w->mac));
		i += d <= 0;
		j += d >= 0;
	}
	/* Gone VTEPs last: vtep.del takes their entries. */
	for (i = 0; i < n_gone; i++)
		count(c, &c->vtep_del, ops->vtep_del(ctx, gone[i]));

	/* Local MACs: Warren's are the truth, but for those EVPN has as remote. */
	for (i = 0, j = 0; i < s->wloc.n || j < s->kloc.n;) {
		const struct ev_mac *w = i < s->wloc.n ? &s->wloc.v[i] : NULL;
		const struct ev_mac *k = j < s->kloc.n ? &s->kloc.v[j] : NULL;
		int d = !w ? 1 : !k ? -1 : cmp_key(w, k);
		bool remote = w && bsearch(w, s->krem.v, s->krem.n, sizeof(*w), cmp_mac);

		if (d < 0 && !remote)
			count(c, &c->local_add, ops->local_add(ctx, &s->vnis[w->vni_idx], w->mac));
		else if (d > 0 || (d == 0 && remote))
			count(c, &c->local_del, ops->local_del(ctx, &s->vnis[k->vni_idx], k->mac));
		i += d <= 0;
		j += d >= 0;
	}
}
