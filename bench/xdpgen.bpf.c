// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdpgen.bpf.c - the two XDP programs of bench/xdpgen.
 *
 * xdpgen_tx: run by BPF_PROG_TEST_RUN in live-frames mode on a template
 * IPv4/UDP frame. Each run stamps a flow number into the source MAC and
 * the UDP source port and returns XDP_TX, which the test run turns into a
 * redirect out of the device named by the context's ingress_ifindex: the
 * frame leaves the generator's veth towards the switch from inside the
 * kernel, with no socket and no skb on the way.
 *
 * xdpsink_count: attached to the sink's veth; counts the generator's frames
 * (IPv4/UDP to port XDPGEN_PORT) per CPU and drops them; every other frame
 * (ARP, ping, TCP) goes on to the stack.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdpgen.h"

/* Flows the generator cycles through: distinct source MACs and UDP ports. */
const volatile __u32 nflows = 256;

/* Frames made so far; one generator thread runs the program, so no atomics. */
__u64 seq;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPGEN_NCOUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * frame_udp: the headers of an Ethernet/IPv4/UDP frame without IP options,
 * NULL if the frame is too short for them (their contents are unchecked).
 */
static __always_inline struct udphdr *frame_udp(struct xdp_md *ctx, struct ethhdr **eth,
						struct iphdr **ip)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct udphdr *udp;

	*eth = data;
	*ip = (void *)(*eth + 1);
	udp = (void *)(*ip + 1);
	return (void *)(udp + 1) > end ? NULL : udp;
}

SEC("xdp")
int xdpgen_tx(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp = frame_udp(ctx, &eth, &ip);
	__u32 flow;

	if (!udp)
		return XDP_ABORTED;
	/*
	 * Pages of the test run are recycled without being rewritten, so
	 * every byte that varies is written on every run.
	 */
	flow = seq++ % nflows;
	eth->h_source[4] = flow >> 8;
	eth->h_source[5] = flow;
	udp->source = bpf_htons(XDPGEN_PORT + 1 + flow);
	return XDP_TX;
}

SEC("xdp")
int xdpsink_count(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp = frame_udp(ctx, &eth, &ip);
	__u32 key = XDPGEN_FRAMES;
	__u64 *n;

	if (!udp || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(XDPGEN_PORT))
		return XDP_PASS;
	n = bpf_map_lookup_elem(&counters, &key);
	if (n)
		*n += 1;
	key = XDPGEN_BYTES;
	n = bpf_map_lookup_elem(&counters, &key);
	if (n)
		*n += ctx->data_end - ctx->data;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
