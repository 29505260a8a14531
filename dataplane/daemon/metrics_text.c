/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metrics_text.c - every counter of `warren stats` in Prometheus' text
 * format 0.0.4 (docs/metrics.md), from the snapshots of counters.c that
 * the API's JSON is written from. Names come from the tables: drop
 * reasons and events from wr_drop.def, the kernel's hand-up reasons from
 * WR_BPF_UP_REASONS, a port's counters from WD_PORT_COUNTERS and
 * WD_KERNEL_PORT_COUNTERS; a counter is warren_..._total. What warrend
 * and what the kernel fast path did are told apart by the label path
 * ("userspace", "kernel"), whose values add up to the API's total.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_priv.h"
#include "warrend.h"
#include "wr_bpf.h"

/* ---------------------------------------------------------------- writer */

static void put(struct wd_prom *p, const char *s, size_t n)
{
	if (p->failed)
		return;
	if (p->len + n + 1 > p->size) {
		size_t size = p->size ? p->size : 16384;
		char *b;

		while (p->len + n + 1 > size)
			size *= 2;
		b = realloc(p->buf, size);
		if (!b) {
			p->failed = true;
			return;
		}
		p->buf = b;
		p->size = size;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void puts_(struct wd_prom *p, const char *s)
{
	put(p, s, strlen(s));
}

/* @s escaped: backslash and newline always, the double quote in a label value (@quote). */
static void put_escaped(struct wd_prom *p, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			puts_(p, "\\\\");
		else if (*s == '\n')
			puts_(p, "\\n");
		else if (*s == '"' && quote)
			puts_(p, "\\\"");
		else
			put(p, s, 1);
	}
}

void wd_prom_family(struct wd_prom *p, const char *name, const char *type, const char *help)
{
	p->family = name;
	puts_(p, "# HELP ");
	puts_(p, name);
	puts_(p, " ");
	put_escaped(p, help, false);
	puts_(p, "\n# TYPE ");
	puts_(p, name);
	puts_(p, " ");
	puts_(p, type);
	puts_(p, "\n");
}

void wd_prom_sample(struct wd_prom *p, const char *const *labels, uint64_t value)
{
	char num[24];

	puts_(p, p->family);
	for (int i = 0; labels && labels[i]; i += 2) {
		puts_(p, i ? "," : "{");
		puts_(p, labels[i]);
		puts_(p, "=\"");
		put_escaped(p, labels[i + 1], true);
		puts_(p, "\"");
	}
	if (labels && labels[0])
		puts_(p, "}");
	snprintf(num, sizeof(num), " %llu\n", (unsigned long long)value);
	puts_(p, num);
}

/* A family's name, "warren_" @a @b "_total" (the table's key in the middle). */
static const char *name_of(char *buf, size_t size, const char *a, const char *b)
{
	snprintf(buf, size, "warren_%s%s_total", a, b);
	return buf;
}

/* ------------------------------------------------------------- the switch */

static const char *const up_texts[] = {
#define UP_TEXT(name, text) text,
	WR_BPF_UP_REASONS(UP_TEXT)
#undef UP_TEXT
};

static const char *const up_ids[] = {
#define UP_ID(name, text) #name,
	WR_BPF_UP_REASONS(UP_ID)
#undef UP_ID
};

/* "SRC_UNKNOWN" as stats' key "src_unknown". */
static const char *lower(char *buf, size_t size, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	buf[i] = '\0';
	return buf;
}

static void switch_text(const struct wd_switch_counters *c, struct wd_prom *p)
{
	char key[32];

	wd_prom_family(p, "warren_drops_total", "counter",
		       "Frames dropped, by reason (dataplane/wr_drop.def; texts in "
		       "warren_reason_info): path=\"userspace\" by warrend, path=\"kernel\" by the "
		       "XDP or TC fast path");
	for (int i = 0; i < WR_DROP_COUNT; i++) {
		const char *l[] = { "reason", wr_drop_name((enum wr_drop)i), "path", "userspace",
				    NULL };

		wd_prom_sample(p, l, c->drops[i]);
		l[3] = "kernel";
		if (c->fast && i < WR_BPF_DROP_COUNT)
			wd_prom_sample(p, l, c->kernel.drops[i]);
	}
	wd_prom_family(p, "warren_events_total", "counter",
		       "Events warrend counted that are no drops, by event (dataplane/wr_drop.def)");
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		wd_prom_sample(p, (const char *[]){ "event", wr_event_name((enum wr_event)i), NULL },
			       c->events[i]);
	wd_prom_family(p, "warren_reason_info", "gauge",
		       "What each drop reason, event and fast path hand-up reason means (always 1)");
	for (int i = 0; i < WR_DROP_COUNT; i++)
		wd_prom_sample(p, (const char *[]){ "kind", "drop", "reason",
			       wr_drop_name((enum wr_drop)i), "text", wr_drop_text((enum wr_drop)i),
			       NULL }, 1);
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		wd_prom_sample(p, (const char *[]){ "kind", "event", "reason",
			       wr_event_name((enum wr_event)i), "text",
			       wr_event_text((enum wr_event)i), NULL }, 1);
	for (int i = 0; i < WR_BPF_UP_COUNT; i++)
		wd_prom_sample(p, (const char *[]){ "kind", "up", "reason",
			       lower(key, sizeof(key), up_ids[i]), "text", up_texts[i], NULL }, 1);
	if (!c->fast)
		return;
	wd_prom_family(p, "warren_fastpath_up_total", "counter",
		       "Frames the kernel fast path handed up to warrend, by reason "
		       "(WR_BPF_UP_REASONS, bpf/wr_bpf.h)");
	for (int i = 0; i < WR_BPF_UP_COUNT; i++)
		wd_prom_sample(p, (const char *[]){ "reason", lower(key, sizeof(key), up_ids[i]),
			       NULL }, c->kernel.up[i]);
	wd_prom_family(p, "warren_fastpath_fdb_errors_total", "counter",
		       "FDB entries the kernel's table had no room for (their frames go up)");
	wd_prom_sample(p, NULL, c->fdb_errors);
	wd_prom_family(p, "warren_fastpath_tunnel_errors_total", "counter",
		       "Tunnel map entries the kernel's tables had no room for (their frames go up)");
	wd_prom_sample(p, NULL, c->tunnel_errors);
}

/* ------------------------------------------------------------------ ports */

struct port_snap {
	const struct wd_port *p;
	struct wd_port_counters n;
};

static void ports_text(struct warrend *wd, struct wd_prom *p)
{
	struct port_snap *s = calloc(WR_PORT_MAX, sizeof(*s));
	char name[96], help[256];
	int n = 0;

	if (!s) {
		p->failed = true;
		return;
	}
	for (int i = 0; i < WR_PORT_MAX; i++)
		if (wd->ports[i].used) {
			s[n].p = &wd->ports[i];
			wd_port_counters(wd, &wd->ports[i], &s[n++].n);
		}
	/* The total of port.stats, by path: the kernel's share is what never reached warrend. */
#define PORT_FAMILY(f, text)								\
	snprintf(help, sizeof(help), "%s (path=\"userspace\": through warrend, "	\
		 "\"kernel\": the fast path's alone)", text);				\
	for (int i = 0; i < n; i++) {							\
		const char *l[] = { "port", s[i].p->name, "path", "userspace", NULL };	\
											\
		if (!i)									\
			wd_prom_family(p, name_of(name, sizeof(name), "port_", #f),	\
				       "counter", help);				\
		wd_prom_sample(p, l, s[i].n.user.f);					\
		l[3] = "kernel";							\
		if (s[i].n.fast)							\
			wd_prom_sample(p, l, s[i].n.st.f - s[i].n.user.f);		\
	}
	WD_PORT_COUNTERS(PORT_FAMILY)
#undef PORT_FAMILY
	for (int i = 0; i < n; i++) {
		if (!i)
			wd_prom_family(p, "warren_port_copies_total", "counter",
				       "frames copied between buffer pools on their way out of the port");
		wd_prom_sample(p, (const char *[]){ "port", s[i].p->name, NULL }, s[i].n.user.copies);
	}
	/* The kernel's own view of each port (port.stats's "fastpath"). */
#define KERNEL_FAMILY(f, text)								\
	for (int i = 0, first = 1; i < n; i++) {					\
		if (!s[i].n.fast)							\
			continue;							\
		if (first)								\
			wd_prom_family(p, name_of(name, sizeof(name), "fastpath_port_", #f), \
				       "counter", text);				\
		first = 0;								\
		wd_prom_sample(p, (const char *[]){ "port", s[i].p->name, NULL },	\
			       s[i].n.kernel.f);					\
	}
	WD_KERNEL_PORT_COUNTERS(KERNEL_FAMILY)
#undef KERNEL_FAMILY
	/* What only the backend counts (port.stats's "driver"): names are the backend's. */
	for (int i = 0, first = 1; i < n; i++)
		for (int k = 0; k < s[i].n.n_xstats; k++) {
			if (first)
				wd_prom_family(p, "warren_port_driver_total", "counter",
					       "what only the port's backend counts, by its own names");
			first = 0;
			wd_prom_sample(p, (const char *[]){ "port", s[i].p->name, "counter",
				       s[i].n.xnames[k], NULL }, s[i].n.xvals[k]);
		}
	free(s);
}

/* ---------------------------------------------------------------- tunnels */

struct tunnel_snap {
	const struct wd_tunnel *t;
	struct wr_port_stats vteps[WR_VTEP_MAX], sum;
};

static void tunnels_text(struct warrend *wd, struct wd_prom *p)
{
	struct tunnel_snap *s = calloc(WR_TUNNEL_MAX, sizeof(*s));
	char name[96], help[256], ip[48];
	int n = 0;

	if (!s) {
		p->failed = true;
		return;
	}
	for (int i = 0; i < WR_TUNNEL_MAX; i++)
		if (wd->tunnels[i].used) {
			s[n].t = &wd->tunnels[i];
			wd_tunnel_counters(wd, s[n].t, s[n].vteps, &s[n].sum);
			n++;
		}
#define TUNNEL_FAMILY(f, text)								\
	for (int i = 0; i < n; i++) {							\
		if (!i) {								\
			snprintf(help, sizeof(help), "%s, a tunnel's (its VTEPs')", text);	\
			wd_prom_family(p, name_of(name, sizeof(name), "tunnel_", #f),	\
				       "counter", help);				\
		}									\
		wd_prom_sample(p, (const char *[]){ "tunnel", s[i].t->name, NULL },	\
			       s[i].sum.f);						\
	}										\
	for (int i = 0, first = 1; i < n; i++)						\
		for (int k = 0; k < WR_VTEP_MAX; k++) {					\
			const struct wd_tunnel *t = s[i].t;				\
											\
			if (!t->vteps[k].used)						\
				continue;						\
			if (first) {							\
				snprintf(help, sizeof(help), "%s, a remote VTEP's", text);	\
				wd_prom_family(p, name_of(name, sizeof(name), "vtep_", #f), \
					       "counter", help);			\
			}								\
			first = 0;							\
			wr_ip_text(t->vteps[k].ip, t->conf.ipv6, ip, sizeof(ip));	\
			wd_prom_sample(p, (const char *[]){ "tunnel", t->name, "remote", ip, \
				       NULL }, s[i].vteps[k].f);			\
		}
	WD_PORT_COUNTERS(TUNNEL_FAMILY)
#undef TUNNEL_FAMILY
	free(s);
}

/* --------------------------------------------------------------- steering */

struct steer_snap {
	int id;
	char match[40];
	struct wd_steer_counters c;
};

static void steer_text(struct warrend *wd, struct wd_prom *p)
{
	uint32_t max = wr_steer_count(wd->sw);
	struct steer_snap *s = max ? calloc(max, sizeof(*s)) : NULL;
	struct wr_steer_rule r;
	char id[12];
	uint32_t n = 0;

	if (max && !s) {
		p->failed = true;
		return;
	}
	for (int i = 0; i < WR_STEER_MAX && n < max; i++) {
		const uint8_t *m = r.m.mac;

		if (wr_steer_get(wd->sw, i, &r))
			continue;
		s[n].id = i;
		if (r.m.kind == WR_STEER_MAC)
			snprintf(s[n].match, sizeof(s[n].match), "mac %02x:%02x:%02x:%02x:%02x:%02x",
				 m[0], m[1], m[2], m[3], m[4], m[5]);
		else
			snprintf(s[n].match, sizeof(s[n].match), "%s %u",
				 r.m.kind == WR_STEER_VLAN ? "vlan" : "vni", r.m.id);
		wd_steer_counters(wd, i, &r, &s[n++].c);
	}
#define STEER_FAMILY(f, what)								\
	for (uint32_t i = 0; i < n; i++) {						\
		const char *l[] = { "rule", id, "match", s[i].match, "port",		\
				    wd->steer_port[s[i].id], "path", "userspace", NULL };	\
											\
		if (!i)									\
			wd_prom_family(p, "warren_steer_" #f "_total", "counter",	\
				       what " a steering rule matched (path=\"kernel\": "	\
				       "steered by the fast path)");			\
		snprintf(id, sizeof(id), "%d", s[i].id);				\
		wd_prom_sample(p, l, s[i].c.f - s[i].c.kernel_##f);			\
		l[7] = "kernel";							\
		if (wd->fp)								\
			wd_prom_sample(p, l, s[i].c.kernel_##f);			\
	}
	STEER_FAMILY(pkts, "frames")
	STEER_FAMILY(bytes, "bytes")
#undef STEER_FAMILY
	free(s);
}

/* ----------------------------------------------------------------- chains */

static const char *const dir_names[WR_CHAIN_DIRS] = { "forward", "reverse" };

static void chains_text(struct warrend *wd, struct wd_prom *p)
{
	uint32_t max = wr_chain_count(wd->sw);
	struct wr_chain_info *s = max ? calloc(max, sizeof(*s)) : NULL;
	char hop[8];
	uint32_t n = 0;

	if (max && !s) {
		p->failed = true;
		return;
	}
	for (int id = 0; id < WR_CHAIN_MAX && n < max; id++)
		if (!wd_chain_get(wd, id, &s[n]))
			n++;
	for (uint32_t i = 0; i < n; i++)
		for (int d = 0; d < WR_CHAIN_DIRS; d++) {
			if (!i && !d)
				wd_prom_family(p, "warren_chain_matched_total", "counter",
					       "frames a chain's classifier took, by direction");
			wd_prom_sample(p, (const char *[]){ "chain", s[i].conf.name, "direction",
							    dir_names[d], NULL }, s[i].matched[d]);
		}
#define HOP_FAMILY(f, what)									for (uint32_t i = 0; i < n; i++)								for (uint8_t h = 0; h < s[i].conf.n_hops; h++)							for (int d = 0; d < WR_CHAIN_DIRS; d++) {							if (!i && !h && !d)										wd_prom_family(p, "warren_chain_hop_" #f "_total",							       "counter", what);						snprintf(hop, sizeof(hop), "%u", (unsigned int)h);						wd_prom_sample(p, (const char *[]){ "chain", s[i].conf.name, 						"hop", hop, "direction", dir_names[d], NULL }, 					       s[i].hop[h].st[d].f);						}
	HOP_FAMILY(into, "frames sent into a chain's hop")
	HOP_FAMILY(back, "frames come back from a chain's hop")
	HOP_FAMILY(bypassed, "frames that went past a hop while it was down (fail open)")
	HOP_FAMILY(dropped, "frames dropped at a hop while it was down (fail closed)")
#undef HOP_FAMILY
	for (uint32_t i = 0; i < n; i++)
		for (uint8_t h = 0; h < s[i].conf.n_hops; h++) {
			if (!i && !h)
				wd_prom_family(p, "warren_chain_hop_up", "gauge",
					       "1 while a chain's hop is up (its ports and its admin "
					       "state), 0 while it is down");
			snprintf(hop, sizeof(hop), "%u", (unsigned int)h);
			wd_prom_sample(p, (const char *[]){ "chain", s[i].conf.name, "hop", hop, NULL },
				       s[i].hop[h].up);
		}
	free(s);
}

/* ---------------------------------------------------------------- mirrors */

static void mirrors_text(struct warrend *wd, struct wd_prom *p)
{
	struct wd_mirror_counters c[WR_MIRROR_MAX];
	char ids[WR_MIRROR_MAX][12];
	int n = 0;

	for (int id = 0; id < WR_MIRROR_MAX; id++)
		if (!wd_mirror_counters(wd, id, &c[n]))
			snprintf(ids[n++], sizeof(ids[0]), "%d", id);
#define MIRROR_FAMILY(f, what)								\
	for (int i = 0; i < n; i++) {							\
		if (!i)									\
			wd_prom_family(p, "warren_mirror_" #f "_total", "counter", what);	\
		wd_prom_sample(p, (const char *[]){ "mirror", ids[i], "port", c[i].port,	\
						    "to", c[i].to, NULL }, c[i].f);	\
	}
	MIRROR_FAMILY(copied, "copies a mirror sent out of its destination port")
	MIRROR_FAMILY(dropped, "copies a mirror dropped: its destination's queue was full, or "
		      "its buffers ran out, or it was down")
#undef MIRROR_FAMILY
}

/* ---------------------------------------------------------------- the lot */

static void server_text(const struct warrend *wd, struct wd_prom *p)
{
	const struct wd_metrics_stats *st = &wd->metrics.st;

	wd_prom_family(p, "warren_metrics_requests_total", "counter",
		       "HTTP requests this endpoint answered, by status code");
	wd_prom_sample(p, (const char *[]){ "code", "200", NULL }, st->ok);
	wd_prom_sample(p, (const char *[]){ "code", "404", NULL }, st->not_found);
	wd_prom_sample(p, (const char *[]){ "code", "405", NULL }, st->bad_method);
	wd_prom_sample(p, (const char *[]){ "code", "400", NULL }, st->bad_request);
	wd_prom_sample(p, (const char *[]){ "code", "431", NULL }, st->too_long);
	wd_prom_family(p, "warren_metrics_cut_total", "counter",
		       "HTTP clients this endpoint closed without an answer, by why");
	wd_prom_sample(p, (const char *[]){ "why", "deadline", NULL }, st->cut_deadline);
	wd_prom_sample(p, (const char *[]){ "why", "full", NULL }, st->refused_full);
}

void wd_metrics_text(struct warrend *wd, struct wd_prom *p)
{
	struct wd_switch_counters c;

	wd_switch_counters(wd, &c);
	switch_text(&c, p);
	ports_text(wd, p);
	tunnels_text(wd, p);
	steer_text(wd, p);
	chains_text(wd, p);
	mirrors_text(wd, p);
	server_text(wd, p);
}
