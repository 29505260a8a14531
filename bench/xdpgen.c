/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdpgen.c - a frame generator that a veth cannot outrun, and the sink that
 * counts what arrives. One run, one JSON line:
 *
 *   xdpgen [--gen live|loop] --netns GEN --dev DEV --sink-netns SINK --sink-dev DEV
 *          [--size BYTES] [--seconds S] [--flows N] [--batch N]
 *          [--seeds N] [--warmup S]
 *   xdpgen --probe
 *
 * --gen live (the default) is described here; --gen loop, a closed loop
 * for kernels that refuse live frames, in xdploop.c. --probe says whether
 * this kernel runs live frames: exit status 0, or 1 and the reason.
 *
 * In SINK it attaches xdpsink_count to the sink's device, and tcsink_count
 * at its tcx ingress for frames that skip XDP (BPF links, so the programs
 * go when this process does, however it ends) and reads that
 * device's MAC: the frames' destination. In GEN it runs xdpgen_tx with
 * BPF_PROG_TEST_RUN in live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES) on an
 * IPv4/UDP frame of BYTES bytes (no FCS) whose ingress device is DEV; every
 * run ends in XDP_TX, so the kernel sends each frame out of DEV: no socket,
 * no skb, no copy from userspace per frame. It does so for S seconds on
 * the calling core (pin it with taskset), then waits for the last frames
 * and prints what it offered and what the sink counted:
 *
 *   {"size":60,"flows":256,"seconds":5.00,"offered":N,"forwarded":N,
 *    "offered_mpps":..,"mpps":..,"gbps":..}
 *
 * The sender's softirq work for DEV's peer runs on the same core (a veth
 * delivers on the sender's CPU), so a receiver that does its work there
 * (a bridge without RPS) slows the generator down: that figure is then
 * the generator's and the receiver's together, and bench/run marks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdpgen.h"
#include "xdpgen_priv.h"

#define TCX_INGRESS	46	/* BPF_TCX_INGRESS: the kernel has it, libbpf 1.1's headers do not */
#include "xdpgen.skel.h"

/* Frames per BPF_PROG_TEST_RUN call: about 10-50 ms on this class of machine. */
#define CHUNK (1u << 16)

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xdpgen [--gen live|loop] --netns NS --dev DEV --sink-netns NS --sink-dev DEV\n"
		   "              [--size BYTES] [--seconds S] [--flows N] [--batch N]\n"
		   "              [--seeds N] [--warmup S]\n"
		   "       xdpgen --probe\n");
}

/* enter_netns: join namespace NAME (as `ip netns` names it). */
static int enter_netns(const char *name)
{
	char path[256];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		fprintf(stderr, "xdpgen: netns %s: %s\n", name, strerror(errno));
		return rc;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		fprintf(stderr, "xdpgen: netns %s: setns: %s\n", name, strerror(errno));
	}
	close(fd);
	return rc;
}

/* dev_info: ifindex and MAC of DEV in the current namespace. */
static int dev_info(const char *dev, int *ifindex, unsigned char mac[ETH_ALEN])
{
	struct ifreq ifr = { 0 };
	int s, rc = 0;

	*ifindex = (int)if_nametoindex(dev);
	if (!*ifindex) {
		rc = -errno;
		fprintf(stderr, "xdpgen: device %s: %s\n", dev, strerror(errno));
		return rc;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0) {
		rc = -errno;
		fprintf(stderr, "xdpgen: device %s: read MAC: %s\n", dev, strerror(errno));
	} else {
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	}
	close(s);
	return rc;
}

/* dev_in_netns: join namespace NS and read DEV's ifindex and MAC there. */
int dev_in_netns(const char *ns, const char *dev, int *ifindex, unsigned char mac[ETH_ALEN])
{
	return enter_netns(ns) ?: dev_info(dev, ifindex, mac);
}

static uint16_t ip_csum(const void *hdr, size_t len)
{
	const uint16_t *p = hdr;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * build_frame: IPv4/UDP from 10.77.0.1 to 10.77.0.2 port XDPGEN_PORT, UDP
 * checksum 0 (none), source MAC 02:77:00:00:FF:FF until the program stamps
 * the flow into its last two bytes. The headers are made apart and copied
 * in: in the frame the IP header starts 14 bytes in, not 4-byte aligned.
 */
void build_frame(unsigned char *f, unsigned size, const unsigned char dst[ETH_ALEN])
{
	static const unsigned char src[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0xff, 0xff };
	struct ethhdr eth = { .h_proto = htons(ETH_P_IP) };
	struct iphdr ip = {
		.version = 4,
		.ihl = 5,
		.ttl = 64,
		.protocol = IPPROTO_UDP,
		.tot_len = htons((uint16_t)(size - sizeof(eth))),
		.saddr = htonl(0x0a4d0001),
		.daddr = htonl(0x0a4d0002),
	};
	struct udphdr udp = {
		.source = htons(XDPGEN_PORT + 1),
		.dest = htons(XDPGEN_PORT),
		.len = htons((uint16_t)(size - sizeof(eth) - sizeof(ip))),
	};

	memcpy(eth.h_dest, dst, ETH_ALEN);
	memcpy(eth.h_source, src, ETH_ALEN);
	ip.check = ip_csum(&ip, sizeof(ip));
	memset(f, 0, size);
	memcpy(f, &eth, sizeof(eth));
	memcpy(f + sizeof(eth), &ip, sizeof(ip));
	memcpy(f + sizeof(eth) + sizeof(ip), &udp, sizeof(udp));
}

/* sink_count: one counter of the sink, summed over CPUs. */
int sink_count(struct xdpgen *skel, uint32_t key, uint64_t *out)
{
	int ncpu = libbpf_num_possible_cpus(), i, rc;
	uint64_t *v;

	if (ncpu < 0)
		return ncpu;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	rc = bpf_map__lookup_elem(skel->maps.counters, &key, sizeof(key), v,
				  sizeof(*v) * (size_t)ncpu, 0);
	*out = 0;
	for (i = 0; !rc && i < ncpu; i++)
		*out += v[i];
	free(v);
	return rc;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "dev", required_argument, NULL, 'd' },
		{ "sink-netns", required_argument, NULL, 'N' },
		{ "sink-dev", required_argument, NULL, 'D' },
		{ "size", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "flows", required_argument, NULL, 'f' },
		{ "batch", required_argument, NULL, 'b' },
		{ "gen", required_argument, NULL, 'g' },
		{ "seeds", required_argument, NULL, 'S' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "probe", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct opts){ .size = 60, .flows = 256, .batch = 64, .seconds = 5,
			    .seeds = 2048, .warmup = 1 };
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o->netns = optarg; break;
		case 'd': o->dev = optarg; break;
		case 'N': o->sink_netns = optarg; break;
		case 'D': o->sink_dev = optarg; break;
		case 's': o->size = (unsigned)strtoul(optarg, NULL, 0); break;
		case 't': o->seconds = strtod(optarg, NULL); break;
		case 'f': o->flows = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'b': o->batch = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'S': o->seeds = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'w': o->warmup = strtod(optarg, NULL); break;
		case 'p': o->probe = true; break;
		case 'g':
			if (strcmp(optarg, "live") && strcmp(optarg, "loop")) {
				fprintf(stderr, "xdpgen: --gen is live or loop, not '%s'\n", optarg);
				return -EINVAL;
			}
			o->gen = strcmp(optarg, "loop") ? XDPGEN_LIVE : XDPGEN_LOOP;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (o->probe && optind == argc)
		return 0;
	if (!o->netns || !o->dev || !o->sink_netns || !o->sink_dev || optind != argc) {
		usage(stderr);
		return -EINVAL;
	}
	if (o->size < sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr) ||
	    o->size > MAX_FRAME || !o->flows || o->flows > 65535 - XDPGEN_PORT || !o->batch ||
	    !(o->seconds > 0) || !o->seeds || !(o->warmup >= 0)) {
		fprintf(stderr, "xdpgen: --size must be 42..%d, --flows 1..%d, --batch, --seeds and "
			"--seconds > 0, --warmup >= 0\n", MAX_FRAME, 65535 - XDPGEN_PORT);
		return -EINVAL;
	}
	return 0;
}

/* generate: run the generator for o->seconds; *offered frames, *elapsed s. */
static int generate(struct xdpgen *skel, int ifindex, const unsigned char dst[ETH_ALEN],
		    const struct opts *o, uint64_t *offered, double *elapsed)
{
	unsigned char frame[MAX_FRAME];
	struct xdp_md ctx = { .data_end = o->size, .ingress_ifindex = (uint32_t)ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, run,
		    .data_in = frame,
		    .data_size_in = o->size,
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .repeat = CHUNK,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = o->batch);
	int fd = bpf_program__fd(skel->progs.xdpgen_tx), rc;
	double t0;

	build_frame(frame, o->size, dst);
	*offered = 0;
	t0 = now_s();
	do {
		rc = bpf_prog_test_run_opts(fd, &run);
		if (rc < 0) {
			fprintf(stderr, "xdpgen: %s: BPF_PROG_TEST_RUN (live frames): %s%s\n", o->dev,
				strerror(-rc), rc == -EINVAL ? " (needs Linux >= 5.18)" : "");
			return rc;
		}
		*offered += CHUNK;
		*elapsed = now_s() - t0;
	} while (*elapsed < o->seconds);
	return 0;
}

/*
 * probe_live: one live-frames run of xdpsink_count on a bench frame, which
 * it drops (no device, nothing sent). 0, or the kernel's negative errno.
 */
static int probe_live(struct xdpgen *skel)
{
	static const unsigned char dst[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0xff, 0xfe };
	unsigned char frame[60];
	LIBBPF_OPTS(bpf_test_run_opts, run,
		    .data_in = frame,
		    .data_size_in = sizeof(frame),
		    .repeat = 1,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	build_frame(frame, sizeof(frame), dst);
	return bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdpsink_count), &run);
}

int main(int argc, char **argv)
{
	struct xdpgen *skel = NULL;
	struct bpf_link *link = NULL;
	unsigned char dst[ETH_ALEN], mac[ETH_ALEN];
	uint64_t offered = 0, f0, f1, b0, b1;
	struct opts o;
	double el = 0;
	int sink_if, gen_if, rc, tc_link = -1;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return 2;
	skel = xdpgen__open();
	if (!skel) {
		rc = -errno;
		fprintf(stderr, "xdpgen: open BPF object: %s\n", strerror(errno));
		goto out;
	}
	skel->rodata->nflows = o.flows;
	rc = xdpgen__load(skel);
	if (rc) {
		fprintf(stderr, "xdpgen: load BPF programs: %s\n", strerror(-rc));
		goto out;
	}

	if (o.probe) {
		rc = probe_live(skel);
		if (rc)
			printf("xdpgen: live frames refused: BPF_PROG_TEST_RUN: %s\n", strerror(-rc));
		else
			printf("xdpgen: live frames allowed\n");
		goto out;
	}
	if (o.gen == XDPGEN_LOOP) {
		rc = xdploop_run(skel, &o);
		goto out;
	}
	rc = dev_in_netns(o.sink_netns, o.sink_dev, &sink_if, dst);
	if (rc)
		goto out;
	link = bpf_program__attach_xdp(skel->progs.xdpsink_count, sink_if);
	if (!link) {
		rc = -errno;
		fprintf(stderr, "xdpgen: %s: attach XDP sink: %s\n", o.sink_dev, strerror(errno));
		goto out;
	}
	/* A BPF link too: it goes with this process. */
	tc_link = bpf_link_create(bpf_program__fd(skel->progs.tcsink_count), sink_if, TCX_INGRESS,
				  NULL);
	if (tc_link < 0) {
		rc = -errno;
		fprintf(stderr, "xdpgen: %s: attach tcx sink: %s\n", o.sink_dev, strerror(errno));
		goto out;
	}

	rc = dev_in_netns(o.netns, o.dev, &gen_if, mac);
	if (rc)
		goto out;
	rc = sink_count(skel, XDPGEN_FRAMES, &f0) ?: sink_count(skel, XDPGEN_BYTES, &b0);
	if (rc)
		goto out;
	rc = generate(skel, gen_if, dst, &o, &offered, &el);
	if (rc)
		goto out;
	/* The last frames may still sit in a queue of the switch. */
	usleep(200 * 1000);
	rc = sink_count(skel, XDPGEN_FRAMES, &f1) ?: sink_count(skel, XDPGEN_BYTES, &b1);
	if (rc)
		goto out;
	printf("{\"size\":%u,\"flows\":%u,\"seconds\":%.3f,\"offered\":%llu,\"forwarded\":%llu,"
	       "\"offered_mpps\":%.4f,\"mpps\":%.4f,\"gbps\":%.4f}\n",
	       o.size, o.flows, el, (unsigned long long)offered, (unsigned long long)(f1 - f0),
	       offered / el / 1e6, (f1 - f0) / el / 1e6, (b1 - b0) * 8 / el / 1e9);
out:
	if (tc_link >= 0)
		close(tc_link);
	bpf_link__destroy(link);
	xdpgen__destroy(skel);
	return rc ? 1 : 0;
}
