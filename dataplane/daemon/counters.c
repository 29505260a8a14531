/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * counters.c - the one reader of each counter: a port's (the switch's,
 * its backend's, the kernel fast path's), the switch's by reason, a
 * tunnel's VTEPs', a steering rule's. The API's JSON (api*.c) and the
 * Prometheus text (metrics_text.c) are both written from these snapshots,
 * so that what `warren stats` and a scrape say is added up one way.
 */
#include <errno.h>
#include <string.h>

#include "warrend.h"
#include "wr_bpf.h"
#include "wr_drivers.h"

void wd_port_counters(struct warrend *wd, const struct wd_port *p, struct wd_port_counters *out)
{
	struct wr_port_stats drv;

	memset(out, 0, sizeof(*out));
	wr_switch_port_stats(wd->sw, p->index, &out->st);
	/* Frames the backend dropped before the switch saw them (a TAP's too long ones). */
	memset(&drv, 0, sizeof(drv));
	p->port->ops->stats(p->port, &drv);
	out->st.drops += drv.drops;
	out->user = out->st;
	/* The port's totals: what the kernel forwarded or dropped never reached warrend. */
	out->fast = wd->fp && !wd_fastpath_port_stats(wd->fp, p->index, &out->kernel);
	if (out->fast) {
		out->st.rx_pkts += out->kernel.fwd_pkts + out->kernel.drop_pkts;
		out->st.rx_bytes += out->kernel.fwd_bytes;
		out->st.tx_pkts += out->kernel.tx_pkts;
		out->st.tx_bytes += out->kernel.tx_bytes;
		out->st.drops += out->kernel.drop_pkts;
	}
	out->n_xstats = wr_port_xstats(p->port, out->xnames, out->xvals, WD_XSTATS_MAX);
}

void wd_switch_counters(struct warrend *wd, struct wd_switch_counters *out)
{
	memset(out, 0, sizeof(*out));
	wr_switch_counters(wd->sw, out->drops, out->events);
	out->fast = wd->fp && !wd_fastpath_stats(wd->fp, &out->kernel);
	if (out->fast) {
		out->fdb_errors = wd_fastpath_fdb_errors(wd->fp);
		out->tunnel_errors = wd_fastpath_tunnel_errors(wd->fp);
	}
}

uint64_t wd_drop_total(const struct wd_switch_counters *c, enum wr_drop d)
{
	/* The kernel's drops are the switch's too. */
	return c->drops[d] + (c->fast && (int)d < WR_BPF_DROP_COUNT ? c->kernel.drops[d] : 0);
}

void wd_steer_counters(struct warrend *wd, int id, const struct wr_steer_rule *s,
		       struct wd_steer_counters *out)
{
	memset(out, 0, sizeof(*out));
	/* The kernel's frames too: those it steered never reach the workers. */
	if (wd->fp && wd_fastpath_steer_stats(wd->fp, id, &out->kernel_pkts, &out->kernel_bytes))
		out->kernel_pkts = out->kernel_bytes = 0;
	out->pkts = s->pkts + out->kernel_pkts;
	out->bytes = s->bytes + out->kernel_bytes;
}

void wd_tunnel_counters(struct warrend *wd, const struct wd_tunnel *t,
			struct wr_port_stats vteps[WR_VTEP_MAX], struct wr_port_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	memset(vteps, 0, sizeof(vteps[0]) * WR_VTEP_MAX);
	for (int i = 0; i < WR_VTEP_MAX; i++) {
		struct wr_port_stats *st = &vteps[i];

		if (!t->vteps[i].used)
			continue;
		wr_switch_port_stats(wd->sw, t->vteps[i].port, st);
		sum->rx_pkts += st->rx_pkts, sum->rx_bytes += st->rx_bytes;
		sum->tx_pkts += st->tx_pkts, sum->tx_bytes += st->tx_bytes;
		sum->drops += st->drops;
	}
}

int wd_mirror_counters(struct warrend *wd, int id, struct wd_mirror_counters *out)
{
	struct wr_mirror_info mi;
	const struct wd_port *p, *to;

	if (wr_mirror_get(wd->sw, id, &mi))
		return -ENOENT;
	p = wd_port_by_index(wd, mi.port);
	to = wd_port_by_index(wd, mi.to);
	*out = (struct wd_mirror_counters){ .port = p ? p->name : "?", .to = to ? to->name : "?",
					    .dir = mi.dir, .copied = mi.copied,
					    .dropped = mi.dropped };
	return 0;
}
