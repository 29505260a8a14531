/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe.c - the hops' health probes (docs/chains.md), on the control
 * thread without ever blocking it: a probe is a non-blocking socket
 * (probe_sock.c) polled with the API's descriptors (server.c), bounded by
 * its timeout, which the loop's poll wakes for (wd_probes_timeout_ms).
 * At most one probe per hop is under way: its timeout is at most its
 * interval. `fails` failures in a row take the hop down
 * (wr_chain_hop_probe), `passes` successes in a row bring it back; a hop
 * starts up. A probe that cannot even be sent (its namespace gone, no
 * route) fails at once, with the cause.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "warrend.h"

static struct wd_probe *probe_at(struct warrend *wd, int id, int hop)
{
	return &wd->probes[id * WR_CHAIN_HOPS_MAX + hop];
}

/* The echo's ident on a raw socket: one per hop of the switch. */
static uint16_t ident_of(int id, int hop)
{
	return (uint16_t)(0x5700 + id * WR_CHAIN_HOPS_MAX + hop);
}

static void close_probe(struct wd_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

void wd_probe_start(struct warrend *wd, int id, int hop, const struct wd_probe_conf *c)
{
	struct wd_probe *p = probe_at(wd, id, hop);

	if (p->on)
		close_probe(p);
	memset(p, 0, sizeof(*p));
	p->on = true;
	p->conf = *c;
	p->passing = true;
	p->fd = -1;
	p->next_ns = 0;		/* at the next tick */
}

void wd_probes_stop(struct warrend *wd, int id)
{
	for (int h = 0; h < WR_CHAIN_HOPS_MAX; h++) {
		struct wd_probe *p = probe_at(wd, id, h);

		if (p->on)
			close_probe(p);
		p->on = false;
	}
}

const struct wd_probe *wd_probe_get(struct warrend *wd, int id, int hop)
{
	const struct wd_probe *p = probe_at(wd, id, hop);

	return p->on ? p : NULL;
}

/* The probe of chain @id's hop @hop came out as @r (1 passed, else failed with @why). */
static void outcome(struct warrend *wd, int id, int hop, int r, const char *why)
{
	struct wd_probe *p = probe_at(wd, id, hop);
	struct wr_chain_info info;
	bool flip;

	close_probe(p);
	if (r > 0) {
		p->passes_in_row++;
		p->fails_in_row = 0;
		flip = !p->passing && p->passes_in_row >= p->conf.passes;
	} else {
		struct timespec ts;

		p->failed++;
		p->fails_in_row++;
		p->passes_in_row = 0;
		snprintf(p->error, sizeof(p->error), "%s", why);
		clock_gettime(CLOCK_REALTIME, &ts);
		p->error_s = ts.tv_sec;
		flip = p->passing && p->fails_in_row >= p->conf.fails;
	}
	if (!flip)
		return;
	p->passing = !p->passing;
	wr_chain_hop_probe(wd->sw, id, (unsigned int)hop, p->passing);
	if (wr_chain_get(wd->sw, id, &info))
		return;
	if (p->passing)
		wd_info("chain %s: hop %d: probe passes again (%u in a row)", info.conf.name, hop,
			p->passes_in_row);
	else
		wd_warn("chain %s: hop %d: probe failed %u times in a row, the last: %s",
			info.conf.name, hop, p->fails_in_row, p->error);
}

void wd_probes_tick(struct warrend *wd, uint64_t now)
{
	char err[160];

	for (int i = 0; i < WD_PROBE_MAX; i++) {
		struct wd_probe *p = &wd->probes[i];
		int id = i / WR_CHAIN_HOPS_MAX, hop = i % WR_CHAIN_HOPS_MAX;

		if (!p->on)
			continue;
		if (p->fd >= 0 && now >= p->sent_ns + p->conf.timeout_ms * 1000000ull) {
			snprintf(err, sizeof(err), "no answer within %u ms", p->conf.timeout_ms);
			outcome(wd, id, hop, -ETIMEDOUT, err);
		}
		if (p->fd >= 0 || now < p->next_ns)
			continue;
		/* On the interval's beat; after a stall, from now. */
		p->next_ns += p->conf.interval_ms * 1000000ull;
		if (p->next_ns <= now)
			p->next_ns = now + p->conf.interval_ms * 1000000ull;
		p->seq++;
		p->sent++;
		p->sent_ns = now;
		err[0] = '\0';
		p->fd = wd_probe_send(&p->conf, ident_of(id, hop), p->seq, err, sizeof(err));
		if (p->fd < 0) {
			int e = p->fd;

			p->fd = -1;
			outcome(wd, id, hop, e, err);
		}
	}
}

int wd_probes_pollfds(const struct warrend *wd, struct pollfd *pfd)
{
	int n = 0;

	for (int i = 0; i < WD_PROBE_MAX; i++) {
		const struct wd_probe *p = &wd->probes[i];

		if (p->on && p->fd >= 0)
			pfd[n++] = (struct pollfd){
				.fd = p->fd,
				.events = p->conf.kind == WR_PROBE_TCP ? POLLOUT : POLLIN,
			};
	}
	return n;
}

void wd_probes_events(struct warrend *wd, const struct pollfd *pfd, int n)
{
	char err[160];
	int k = 0;

	/* In wd_probes_pollfds()'s order; a probe done meanwhile has no descriptor. */
	for (int i = 0; i < WD_PROBE_MAX && k < n; i++) {
		struct wd_probe *p = &wd->probes[i];
		int r;

		if (!p->on || p->fd < 0 || pfd[k].fd != p->fd)
			continue;
		err[0] = '\0';
		r = wd_probe_recv(&p->conf, p->fd, ident_of(i / WR_CHAIN_HOPS_MAX,
							     i % WR_CHAIN_HOPS_MAX),
				  p->seq, pfd[k].revents, err, sizeof(err));
		k++;
		if (r)
			outcome(wd, i / WR_CHAIN_HOPS_MAX, i % WR_CHAIN_HOPS_MAX, r, err);
	}
}

int wd_probes_timeout_ms(const struct warrend *wd, uint64_t now, int timeout_ms)
{
	for (int i = 0; i < WD_PROBE_MAX; i++) {
		const struct wd_probe *p = &wd->probes[i];
		uint64_t at, ms;

		if (!p->on)
			continue;
		at = p->fd >= 0 ? p->sent_ns + p->conf.timeout_ms * 1000000ull : p->next_ns;
		ms = at > now ? (at - now + 999999) / 1000000 : 0;
		if (timeout_ms < 0 || ms < (uint64_t)timeout_ms)
			timeout_ms = (int)ms;
	}
	return timeout_ms;
}
