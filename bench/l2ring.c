/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2ring.c - the dataplane alone, on one core: ring ports in replay mode
 * feed 64-byte frames, the switch bridges them, sinks count and recycle.
 * No kernel, no copies but the generator's write of each frame into its
 * buffer (what a NIC's DMA does).
 *
 *   l2ring [--case NAME] [--seconds S] [--reps R] [--frames N] [--json]
 *
 * Cases: unicast-1, unicast-1k, unicast-1m (known unicast with that many
 * destination MACs, and as many sources), flood-4 (broadcast to 4 ports),
 * learn-churn (a new source MAC in every frame), vlan-access-trunk,
 * vxlan-encap (unicast-1k to MACs behind a VTEP: each frame leaves in
 * VXLAN over IPv4 with the UDP checksum, by the underlay), vxlan-decap
 * (VXLAN frames on an underlay, their inner frames to a known port),
 * steer-bridge (unicast-1k on three ports, the FDB sends to port 1) and
 * steer-1000 (the same with 1000 steering rules, one per destination MAC,
 * sending to port 2): the cost of the rules, `bench/run steer`;
 * chain-64-miss (unicast-1k with 64 service chains in the bridge domain,
 * UDP to ports none of its frames goes to): the cost of asking them all;
 * chain-64-away (the same with one of the 64 in the frames' domain, 63 in
 * others): what chains of other domains cost a frame.
 * --frames N runs a fixed number of frames once, untimed: for callgrind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wr_dataplane.h"
#include "wr_drivers.h"

struct bench_case {
	const char *name;
	uint32_t n_macs;	/* distinct destination (and source) MACs */
	uint16_t n_ports;	/* in one bridge domain; frames enter on port 0 */
	bool bcast, churn, vlan;
	uint8_t tunnel;		/* TUN_ENCAP: port 1 is an underlay; TUN_DECAP: port 0 is */
	uint16_t steer;		/* steering rules: one per destination MAC, to port 2 */
	uint16_t chains;	/* service chains in bd 1 that no frame matches */
	uint16_t chains_away;	/* more such chains, each in a domain of its own (not 1) */
};

enum { TUN_NONE, TUN_ENCAP, TUN_DECAP };

static const struct bench_case cases[] = {
	{ "unicast-1", 1, 2, false, false, false, TUN_NONE, 0, 0, 0 },
	{ "unicast-1k", 1000, 2, false, false, false, TUN_NONE, 0, 0, 0 },
	{ "unicast-1m", 1000000, 2, false, false, false, TUN_NONE, 0, 0, 0 },
	{ "flood-4", 1, 5, true, false, false, TUN_NONE, 0, 0, 0 },
	{ "learn-churn", 1, 2, false, true, false, TUN_NONE, 0, 0, 0 },
	{ "vlan-access-trunk", 1000, 2, false, false, true, TUN_NONE, 0, 0, 0 },
	{ "vxlan-encap", 1000, 2, false, false, false, TUN_ENCAP, 0, 0, 0 },
	{ "vxlan-decap", 1, 2, false, false, false, TUN_DECAP, 0, 0, 0 },
	{ "steer-bridge", 1000, 3, false, false, false, TUN_NONE, 0, 0, 0 },
	{ "steer-1000", 1000, 3, false, false, false, TUN_NONE, 1000, 0, 0 },
	{ "chain-64-miss", 1000, 2, false, false, false, TUN_NONE, 0, WR_CHAIN_MAX, 0 },
	{ "chain-64-away", 1000, 2, false, false, false, TUN_NONE, 0, 1, WR_CHAIN_MAX - 1 },
};

struct bench {
	struct wr_switch *sw;
	struct wr_worker *w;
	struct wr_ring_pool *pool;
	struct wr_port *ports[8];
	uint8_t frame[128];
	const uint8_t *frames[1];
	uint16_t lens[1];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void mac(uint8_t *m, uint8_t kind, uint32_t i)
{
	m[0] = 0x02, m[1] = 0, m[2] = kind;
	m[3] = (uint8_t)(i >> 16), m[4] = (uint8_t)(i >> 8), m[5] = (uint8_t)i;
}

static void ip4(uint8_t ip[16], uint8_t last)
{
	memset(ip, 0, 16);
	ip[0] = 192, ip[2] = 2, ip[3] = last;
}

/*
 * A tunnel 192.0.2.1 → VTEP 192.0.2.2 on underlay port @underlay, VNI 5000
 * as bridge domain 1, its next hop known: the VTEP's port, or -errno.
 */
static int tunnel(struct bench *b, uint16_t underlay)
{
	static const uint8_t src[6] = { 2, 0xee, 0, 0, 0, 1 }, dst[6] = { 2, 0xee, 0, 0, 0, 2 };
	struct wr_tunnel_conf tc;
	uint8_t ip[16];
	int id, vtep;

	wr_tunnel_conf_init(&tc, WR_TUNNEL_VXLAN);
	ip4(tc.local_ip, 1);
	id = wr_tunnel_add(b->sw, underlay, &tc);
	if (id < 0 || wr_tunnel_vni(b->sw, id, 5000, 1))
		return id < 0 ? id : -EINVAL;
	ip4(ip, 2);
	vtep = wr_tunnel_vtep_add(b->sw, id, ip, true);
	if (vtep < 0 || wr_tunnel_vtep_nexthop(b->sw, (uint16_t)vtep, src, dst))
		return vtep < 0 ? vtep : -EINVAL;
	return vtep;
}

/* The 64-byte frame at @f + 50 in VXLAN from 192.0.2.2 to 192.0.2.1, VNI 5000, UDP checksum 0. */
static void vxlan_wrap(uint8_t *f)
{
	static const uint8_t hdr[50] = {
		2, 0xee, 0, 0, 0, 1, 2, 0xee, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 100, 0, 0, 0x40, 0, 64, 17, 0, 0, 192, 0, 2, 2, 192, 0, 2, 1,
		0xc3, 0x50, 0x12, 0xb5, 0, 80, 0, 0,
		0x08, 0, 0, 0, 0, 0x13, 0x88, 0,
	};
	uint32_t sum = 0;

	memcpy(f, hdr, sizeof(hdr));
	for (int i = 14; i < 34; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	f[24] = (uint8_t)(~sum >> 8), f[25] = (uint8_t)~sum;
}

/* The known unicast of a tunnel case, then its worker. */
static int tunnel_macs(struct bench *b, const struct bench_case *c, uint16_t vtep)
{
	uint8_t m[6];
	int err = 0;

	for (uint32_t i = 0; i < c->n_macs && !err; i++) {
		mac(m, 0, i);
		err = wr_fdb_add_static(b->sw, 1, m, c->tunnel == TUN_ENCAP ? vtep : 1);
		mac(m, 1, i);
		if (!err)
			err = wr_fdb_add_static(b->sw, 1, m, c->tunnel == TUN_ENCAP ? 0 : vtep);
	}
	if (err)
		return err;
	b->w = wr_worker_create(b->sw, 0);
	return !b->w || wr_worker_add_port(b->w, 0) ? -ENOMEM : 0;
}

/*
 * Chain @i of bridge domain @bd: one hop over two ports of its own, UDP (as
 * the frames are) to ports 1000-2000 (theirs is 32), so each is asked to
 * the last field.
 */
static int chain(struct bench *b, uint16_t i, uint16_t bd)
{
	struct wr_chain_conf cc = { .bd = bd, .n_hops = 1 };
	struct wr_port_conf pc;
	int id, ports[2];

	wr_port_conf_init(&pc);
	pc.bd = (uint16_t)(100 + i);
	for (int k = 0; k < 2; k++) {
		char name[8];
		struct wr_port *p;

		snprintf(name, sizeof(name), "h%u%c", i, k ? 'o' : 'i');
		p = wr_ring_port_create(b->pool, name, 64);
		if (!p)
			return -ENOMEM;
		ports[k] = wr_switch_port_add(b->sw, p, &pc);
		if (ports[k] < 0)
			return ports[k];
	}
	snprintf(cc.name, sizeof(cc.name), "c%u", i);
	cc.cls.fields = WR_CHAIN_F_PROTO | WR_CHAIN_F_DPORT;
	cc.cls.proto = 17;
	cc.cls.dport_lo = 1000;
	cc.cls.dport_hi = 2000;
	cc.hops[0] = (struct wr_chain_hop){ .in = (uint16_t)ports[0], .out = (uint16_t)ports[1],
					    .kind = WR_CHAIN_L2, .fail = WR_CHAIN_FAIL_OPEN };
	id = wr_chain_add(b->sw, &cc);
	if (id < 0)
		fprintf(stderr, "l2ring: chain %u: %s\n", i, strerror(-id));
	return id < 0 ? id : 0;
}

static int setup(struct bench *b, const struct bench_case *c)
{
	struct wr_switch_conf sc;
	uint8_t m[6];

	wr_switch_conf_init(&sc);
	/* Room for the sources and destinations; churn fills what it gets. */
	sc.fdb_max = c->churn ? (1u << 22) : 2 * c->n_macs + 16;
	b->sw = wr_switch_create(&sc);
	b->pool = wr_ring_pool_create(8192, 2048);
	if (!b->sw || !b->pool)
		return -ENOMEM;
	for (uint16_t i = 0; i < c->n_ports; i++) {
		struct wr_port_conf pc;
		char name[8];
		int idx;

		wr_port_conf_init(&pc);
		if (c->vlan && i == 0) {
			pc.vlan_mode = WR_VLAN_ACCESS;
			pc.access_vlan = 10;
		} else if (c->vlan) {
			pc.vlan_mode = WR_VLAN_TRUNK;
			pc.allowed[0] = 1ull << 10;
		}
		snprintf(name, sizeof(name), "r%u", i);
		b->ports[i] = wr_ring_port_create(b->pool, name, 1024);
		if (!b->ports[i])
			return -ENOMEM;
		idx = wr_switch_port_add(b->sw, b->ports[i], &pc);
		if (idx < 0)
			return idx;
		if (i > 0)
			wr_ring_sink(b->ports[i], true);
	}
	if (c->vlan && wr_switch_vlan_bd(b->sw, 10, 1))
		return -EINVAL;

	/* The frame: IPv4/UDP, 64 bytes; MACs rewritten per frame by the port. */
	memset(b->frame, 0, sizeof(b->frame));
	if (c->bcast)
		memset(b->frame, 0xff, 6);
	else
		mac(b->frame, 0, 0);
	mac(b->frame + 6, 1, 0);
	b->frame[12] = 0x08, b->frame[14] = 0x45, b->frame[17] = 46, b->frame[22] = 64;
	b->frame[23] = 17, b->frame[26] = 192, b->frame[29] = 1, b->frame[30] = 192, b->frame[33] = 2;
	b->frame[35] = 0x10, b->frame[37] = 0x20, b->frame[39] = 26;
	b->frames[0] = b->frame;
	b->lens[0] = 64;
	if (c->tunnel == TUN_DECAP) {
		memmove(b->frame + 50, b->frame, 64);
		vxlan_wrap(b->frame);
		b->lens[0] = 50 + 64;
	}
	wr_ring_replay(b->ports[0], b->frames, b->lens, 1);
	if (!c->bcast && c->tunnel != TUN_DECAP)
		wr_ring_replay_macs(b->ports[0], c->n_macs, c->churn);
	if (c->tunnel) {
		/* Encap: destinations behind the VTEP; decap: the inner source is. */
		int vtep = tunnel(b, c->tunnel == TUN_ENCAP ? 1 : 0);

		if (vtep < 0)
			return vtep;
		return tunnel_macs(b, c, (uint16_t)vtep);
	}

	/*
	 * Known unicast: every destination on port 1, every source on port 0.
	 * Filled before the worker exists: a table insert that must move an
	 * entry waits for every online worker to pass a quiescent point.
	 */
	if (!c->bcast && !c->churn) {
		for (uint32_t i = 0; i < c->n_macs; i++) {
			int err;

			mac(m, 0, i);
			err = wr_fdb_add_static(b->sw, 1, m, 1);
			mac(m, 1, i);
			if (!err)
				err = wr_fdb_add_static(b->sw, 1, m, 0);
			if (err) {
				fprintf(stderr, "l2ring: static entry %u of %u: %s\n", i, c->n_macs,
					strerror(-err));
				return err;
			}
		}
	}
	/* Rules over what the FDB says: every destination to port 2. */
	for (uint16_t i = 0; i < c->steer; i++) {
		struct wr_steer_match sm = { .kind = WR_STEER_MAC };
		int id;

		mac(sm.mac, 0, i);
		id = wr_steer_add(b->sw, &sm, 2);
		if (id < 0) {
			fprintf(stderr, "l2ring: steering rule %u: %s\n", i, strerror(-id));
			return id;
		}
	}
	/* Hop ports in domains 100 and up; chains away in 300 and up. */
	for (uint16_t i = 0; i < c->chains + c->chains_away; i++) {
		int err = chain(b, i, i < c->chains ? 1 : (uint16_t)(300 + i));

		if (err)
			return err;
	}
	b->w = wr_worker_create(b->sw, 0);
	if (!b->w || wr_worker_add_port(b->w, 0))
		return -ENOMEM;
	return 0;
}

/* A steering case whose frames no rule matched measures nothing: say so and fail. */
static bool unsteered(const struct bench *b, const struct bench_case *c)
{
	struct wr_steer_rule r;
	uint64_t n = 0;

	for (int id = 0; id < WR_STEER_MAX; id++)
		if (!wr_steer_get(b->sw, id, &r))
			n += r.pkts;
	if (c->steer && !n)
		fprintf(stderr, "l2ring: %s: no frame was steered\n", c->name);
	return c->steer && !n;
}

static void teardown(struct bench *b)
{
	wr_switch_destroy(b->sw);
	wr_ring_pool_destroy(b->pool);
	memset(b, 0, sizeof(*b));
}

/* Run until @frames are received or @seconds pass; returns frames received. */
static uint64_t run(struct bench *b, const struct bench_case *c, uint64_t frames,
		    double seconds, double *elapsed)
{
	uint64_t n = 0;
	uint32_t polls = 0;
	double t0 = now_s(), t = t0;

	while ((frames && n < frames) || (!frames && t - t0 < seconds)) {
		n += wr_worker_poll(b->w, 1);
		/* The control thread's share, on the same core: learning. */
		if (c->churn || (++polls & 1023) == 0)
			wr_switch_tick(b->sw, 1);
		if (!frames && (polls & 255) == 0)
			t = now_s();
	}
	*elapsed = now_s() - t0;
	return n;
}

/* A case whose frames were dropped measures the drop: say which and fail. */
static bool dropped(const struct bench *b, const struct bench_case *c)
{
	uint64_t drops[WR_DROP_COUNT] = { 0 }, events[WR_EVENT_COUNT] = { 0 };
	bool any = false;

	wr_switch_counters(b->sw, drops, events);
	for (int i = 0; i < WR_DROP_COUNT; i++)
		if (drops[i]) {
			fprintf(stderr, "l2ring: %s: %llu frames dropped as %s\n", c->name,
				(unsigned long long)drops[i], wr_drop_name((enum wr_drop)i));
			any = true;
		}
	return any;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "case", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "frames", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	double seconds = 1.0;
	uint64_t frames = 0;
	int reps = 5, opt;
	bool json = false, first = true;

	while ((opt = getopt_long(argc, argv, "c:s:r:f:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': only = optarg; break;
		case 's': seconds = atof(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'f': frames = strtoull(optarg, NULL, 10); break;
		case 'j': json = true; break;
		default:
			fprintf(stderr, "usage: l2ring [--case NAME] [--seconds S] [--reps R] "
				"[--frames N] [--json]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (reps < 1 || reps > 99 || seconds <= 0) {
		fprintf(stderr, "l2ring: --reps 1..99, --seconds > 0\n");
		return 2;
	}
	if (!json && !frames)
		printf("%-18s %10s %10s   (median of %d runs of %.1f s, one core)\n", "CASE",
		       "Mpps", "ns/pkt", reps, seconds);
	if (json)
		printf("{\"scenario\":\"l2-ring\",\"cases\":{");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct bench_case *c = &cases[k];
		double mpps[99], el;
		struct bench b = { 0 };

		if (only && strcmp(only, c->name))
			continue;
		if (setup(&b, c)) {
			fprintf(stderr, "l2ring: %s: setup failed\n", c->name);
			return 1;
		}
		if (frames) {
			uint64_t n = run(&b, c, frames, 0, &el);

			printf("%s: %llu frames\n", c->name, (unsigned long long)n);
			teardown(&b);
			continue;
		}
		run(&b, c, 0, 0.2, &el);	/* warm caches and tables */
		for (int r = 0; r < reps; r++) {
			uint64_t n;

			/*
			 * Churn learns a MAC per frame: each run starts from an
			 * empty table and stops before it is full, or it would
			 * measure refusals (FDB_FULL), not learning.
			 */
			if (c->churn) {
				teardown(&b);
				if (setup(&b, c))
					return 1;
				n = run(&b, c, 3000000, 0, &el);
			} else {
				n = run(&b, c, 0, seconds, &el);
			}
			mpps[r] = n / el / 1e6;
		}
		if (dropped(&b, c) || unsteered(&b, c))
			return 1;
		qsort(mpps, (size_t)reps, sizeof(mpps[0]), cmp_double);
		el = reps % 2 ? mpps[reps / 2] : (mpps[reps / 2 - 1] + mpps[reps / 2]) / 2;
		if (json)
			printf("%s\"%s\":{\"mpps\":%.2f,\"ns_per_pkt\":%.1f}", first ? "" : ",",
			       c->name, el, 1e3 / el);
		else
			printf("%-18s %10.2f %10.1f\n", c->name, el, 1e3 / el);
		first = false;
		fflush(stdout);
		teardown(&b);
	}
	if (json)
		printf("}}\n");
	return 0;
}
