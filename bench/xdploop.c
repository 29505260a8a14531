/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdploop.c - xdpgen --gen loop: a load of small frames for kernels that
 * refuse BPF_PROG_TEST_RUN's live frames. A closed loop through the switch:
 *
 *   gen's DEV --> switch --> sink's DEV
 *      ^ XDP_TX                   | XDP_TX
 *      +--------- switch <--------+
 *
 * xdploop_reflect (xdpgen.bpf.c) is attached to both hosts' devices (BPF
 * links: they go with this process, however it ends). From GEN, an
 * AF_PACKET socket seeds --seeds frames (--flows flows, as the live
 * generator's: source MAC and UDP source port per flow) to the sink's MAC,
 * a burst at a time; each reflector sends every bench frame straight back
 * with its MACs turned around, so they circulate at whatever rate the
 * switch forwards, both directions. A burst more every 10 ms makes up for
 * frames the loop loses (a switch that drops under load would otherwise
 * run it dry). After --warmup seconds the counters of both sides are read
 * over --seconds; then the reflectors are told to drop, and what they drop
 * is what was still in flight. One JSON line:
 *
 *   {"gen":"loop","size":60,"flows":256,"seconds":5.00,"seeds":2048,
 *    "in_flight":N,"lost":N,"forwarded":N,"to_sink":N,"to_gen":N,
 *    "mpps":..,"gbps":..,"cpu_busy_pct":[..]}
 *
 * forwarded (mpps) counts what the switch forwarded, both directions;
 * cpu_busy_pct is each CPU's busy share over the window (/proc/stat): with
 * the reflectors' NAPI on one core (bench/afxdp.sh makes it threaded and
 * pins it) it says whether that core, the generator's, was the limit.
 * seeds counts the top-ups too; lost is seeds less in_flight: frames
 * dropped where a queue of the loop overflowed. None lost means no queue
 * ever filled: too few frames may have set the rate, not the switch. A
 * loop whose frames do not come back (one side's count under a quarter
 * of the other's) is an error, not a figure.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <arpa/inet.h>
#include <bpf/libbpf.h>

#include "xdpgen.h"
#include "xdpgen_priv.h"
#include "xdpgen.skel.h"

/* Seeds go a burst at a time, a pause between, so that the loop takes them in. */
#define SEED_BURST 32
#define SEED_GAP_US 50
/* A burst of top-up every so often, during warm-up and window. */
#define TOPUP_US (10 * 1000)
/* After the stop, time for the frames in flight to reach a reflector. */
#define DRAIN_US (300 * 1000)
#define MAX_CPUS 64

struct cpu_times {
	int n;
	unsigned long long busy[MAX_CPUS], total[MAX_CPUS];
};

/* cpu_times: busy and total ticks of each CPU from /proc/stat. */
static int cpu_times(struct cpu_times *t)
{
	FILE *f = fopen("/proc/stat", "re");
	char line[512];

	t->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 }, sum = 0;
		int cpu, i;

		/* "cpuN ..." only; "cpu ..." is the sum. */
		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5 || cpu < 0 || cpu >= MAX_CPUS)
			continue;
		/* user nice system idle iowait irq softirq steal; guest is in user. */
		for (i = 0; i < 8; i++)
			sum += v[i];
		t->total[cpu] = sum;
		t->busy[cpu] = sum - v[3] - v[4];
		if (cpu >= t->n)
			t->n = cpu + 1;
	}
	fclose(f);
	return t->n ? 0 : -ENOENT;
}

/* The seeder: an AF_PACKET socket on GEN's device and the frame it sends. */
struct seeder {
	int fd;
	unsigned next, sent;	/* frames tried, and taken */
	const struct opts *o;
	struct sockaddr_ll to;
	unsigned char frame[MAX_FRAME];
};

static int seeder_open(struct seeder *sd, int ifindex, const unsigned char dst[ETH_ALEN],
		       const struct opts *o)
{
	int one = 1;

	*sd = (struct seeder){ .o = o };
	sd->to = (struct sockaddr_ll){
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	memcpy(sd->to.sll_addr, dst, ETH_ALEN);
	build_frame(sd->frame, o->size, dst);
	/* Protocol 0: the socket sends only, it receives nothing. */
	sd->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sd->fd < 0) {
		fprintf(stderr, "xdpgen: %s: AF_PACKET socket: %s\n", o->dev, strerror(errno));
		return -errno;
	}
	setsockopt(sd->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	return 0;
}

/* seed: n frames, the flows in turn; a full queue on the way is no error. */
static int seed(struct seeder *sd, unsigned n)
{
	/* The UDP source port, copied in: it sits unaligned in the frame. */
	unsigned char *sport = sd->frame + sizeof(struct ethhdr) + sizeof(struct iphdr) +
			       offsetof(struct udphdr, source);
	uint16_t port;
	unsigned flow;

	for (; n; n--, sd->next++) {
		flow = sd->next % sd->o->flows;
		sd->frame[ETH_ALEN + 4] = (unsigned char)(flow >> 8);
		sd->frame[ETH_ALEN + 5] = (unsigned char)flow;
		port = htons((uint16_t)(XDPGEN_PORT + 1 + flow));
		memcpy(sport, &port, sizeof(port));
		if (sendto(sd->fd, sd->frame, sd->o->size, 0, (struct sockaddr *)&sd->to,
			   sizeof(sd->to)) == (ssize_t)sd->o->size) {
			sd->sent++;
		} else if (errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "xdpgen: %s: send seed: %s\n", sd->o->dev, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

/* seed_for: top-up bursts for s seconds. */
static int seed_for(struct seeder *sd, double s)
{
	double end = now_s() + s;
	int rc = 0;

	while (!rc && now_s() < end) {
		usleep(TOPUP_US);
		rc = seed(sd, SEED_BURST);
	}
	return rc;
}

/* loop_counts: frames that reached the sink's and the generator's side. */
static int loop_counts(struct xdpgen *skel, uint64_t *at_sink, uint64_t *at_gen)
{
	return sink_count(skel, XDPLOOP_AT_SINK, at_sink) ?: sink_count(skel, XDPLOOP_AT_GEN, at_gen);
}

/* attach: the reflector on DEV of namespace NS; its MAC into mac. */
static struct bpf_link *attach(struct xdpgen *skel, const char *ns, const char *dev, int *ifindex,
			       unsigned char mac[ETH_ALEN])
{
	struct bpf_link *link;

	if (dev_in_netns(ns, dev, ifindex, mac))
		return NULL;
	link = bpf_program__attach_xdp(skel->progs.xdploop_reflect, *ifindex);
	if (!link)
		fprintf(stderr, "xdpgen: %s in %s: attach XDP reflector: %s\n", dev, ns, strerror(errno));
	return link;
}

int xdploop_run(struct xdpgen *skel, const struct opts *o)
{
	struct bpf_link *sink_link = NULL, *gen_link = NULL;
	unsigned char sink_mac[ETH_ALEN], gen_mac[ETH_ALEN];
	uint64_t s0, g0, s1, g1, drained = 0;
	struct seeder sd = { .fd = -1 };
	struct cpu_times c0, c1;
	int sink_if, gen_if, rc = -EIO, i;
	unsigned n;
	double t0, el;

	sink_link = attach(skel, o->sink_netns, o->sink_dev, &sink_if, sink_mac);
	if (!sink_link)
		goto out;
	/* Last into GEN: the socket below sends from there. */
	gen_link = attach(skel, o->netns, o->dev, &gen_if, gen_mac);
	if (!gen_link)
		goto out;
	rc = seeder_open(&sd, gen_if, sink_mac, o);
	for (n = 0; !rc && n < o->seeds; n += SEED_BURST) {
		rc = seed(&sd, o->seeds - n < SEED_BURST ? o->seeds - n : SEED_BURST);
		usleep(SEED_GAP_US);
	}
	rc = rc ?: seed_for(&sd, o->warmup) ?: loop_counts(skel, &s0, &g0) ?: cpu_times(&c0);
	if (rc)
		goto out;
	t0 = now_s();
	rc = seed_for(&sd, o->seconds) ?: loop_counts(skel, &s1, &g1) ?: cpu_times(&c1);
	el = now_s() - t0;
	if (rc)
		goto out;
	skel->bss->loop_stop = 1;
	usleep(DRAIN_US);
	rc = sink_count(skel, XDPLOOP_DRAINED, &drained);
	if (rc)
		goto out;
	/*
	 * Each frame that reaches one side goes on to the other: one side
	 * far behind means frames go in and do not come back (a reflector's
	 * transmit that stalls, a switch that forwards one way only), and the
	 * rate would be the top-ups', not the switch's.
	 */
	if ((s1 - s0) > 4 * (g1 - g0) || (g1 - g0) > 4 * (s1 - s0)) {
		fprintf(stderr, "xdpgen: the loop does not come back: %llu frames reached the sink, "
			"%llu the generator\n", (unsigned long long)(s1 - s0), (unsigned long long)(g1 - g0));
		rc = -EIO;
		goto out;
	}
	printf("{\"gen\":\"loop\",\"size\":%u,\"flows\":%u,\"seconds\":%.3f,\"seeds\":%u,"
	       "\"in_flight\":%llu,\"lost\":%lld,\"forwarded\":%llu,\"to_sink\":%llu,\"to_gen\":%llu,"
	       "\"mpps\":%.4f,\"gbps\":%.4f,\"cpu_busy_pct\":[",
	       o->size, o->flows, el, sd.sent, (unsigned long long)drained,
	       (long long)sd.sent - (long long)drained, (unsigned long long)(s1 - s0 + g1 - g0),
	       (unsigned long long)(s1 - s0), (unsigned long long)(g1 - g0),
	       (s1 - s0 + g1 - g0) / el / 1e6, (s1 - s0 + g1 - g0) * o->size * 8 / el / 1e9);
	for (i = 0; i < c1.n && i < c0.n; i++) {
		unsigned long long dt = c1.total[i] - c0.total[i];

		printf("%s%.1f", i ? "," : "", dt ? 100.0 * (c1.busy[i] - c0.busy[i]) / dt : 0.0);
	}
	printf("]}\n");
out:
	if (sd.fd >= 0)
		close(sd.fd);
	bpf_link__destroy(gen_link);
	bpf_link__destroy(sink_link);
	return rc;
}
