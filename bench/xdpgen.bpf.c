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
 * (ARP, ping, TCP) goes on to the stack. tcsink_count does the same at its
 * tcx ingress, for frames that skip XDP.
 *
 * xdploop_reflect: the closed loop (xdpgen --gen loop), for kernels that
 * refuse live frames. Attached to both hosts' veths, it sends every bench
 * frame (IPv4/UDP from or to port XDPGEN_PORT) straight back out of the
 * device it came in on, MACs, addresses and ports turned around, so that
 * seeded frames circulate
 * gen -> switch -> sink -> switch -> gen; it counts each arrival by the
 * side it reached. Once userspace sets loop_stop it drops them instead,
 * counted as drained: the frames that were still in the loop.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdpgen.h"

/* Flows the generator cycles through: distinct source MACs and UDP ports. */
const volatile __u32 nflows = 256;

/* Frames made so far; one generator thread runs the program, so no atomics. */
__u64 seq;

/* Set by userspace to end the loop (read through the mmapped .bss). */
volatile __u32 loop_stop;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPGEN_NCOUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * frame_udp_in: the headers of an Ethernet/IPv4/UDP frame from @data to
 * @end without IP options, NULL if the frame is too short for them (their
 * contents are unchecked).
 */
static __always_inline struct udphdr *frame_udp_in(void *data, void *end, struct ethhdr **eth,
						   struct iphdr **ip)
{
	struct udphdr *udp;

	*eth = data;
	*ip = (void *)(*eth + 1);
	udp = (void *)(*ip + 1);
	return (void *)(udp + 1) > end ? NULL : udp;
}

static __always_inline struct udphdr *frame_udp(struct xdp_md *ctx, struct ethhdr **eth,
						struct iphdr **ip)
{
	return frame_udp_in((void *)(long)ctx->data, (void *)(long)ctx->data_end, eth, ip);
}

/* Whether the frame is the generator's: IPv4/UDP to XDPGEN_PORT. */
static __always_inline int is_bench(const struct ethhdr *eth, const struct iphdr *ip,
				    const struct udphdr *udp)
{
	return udp && eth->h_proto == bpf_htons(ETH_P_IP) && ip->ihl == 5 &&
	       ip->protocol == IPPROTO_UDP && udp->dest == bpf_htons(XDPGEN_PORT);
}

/* The sink's counters: one frame of @len bytes more. */
static __always_inline void sink_add(__u64 len)
{
	__u32 key = XDPGEN_FRAMES;
	__u64 *n = bpf_map_lookup_elem(&counters, &key);

	if (n)
		*n += 1;
	key = XDPGEN_BYTES;
	n = bpf_map_lookup_elem(&counters, &key);
	if (n)
		*n += len;
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

	if (!is_bench(eth, ip, udp))
		return XDP_PASS;
	sink_add(ctx->data_end - ctx->data);
	return XDP_DROP;
}

/*
 * tcsink_count: the same at tcx ingress of the sink's veth, for frames that
 * reach it without passing its XDP program: those a TC program on the
 * switch's side put there with bpf_redirect_peer().
 */
SEC("tc")
int tcsink_count(struct __sk_buff *skb)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp = frame_udp_in((void *)(long)skb->data, (void *)(long)skb->data_end,
					  &eth, &ip);

	if (!is_bench(eth, ip, udp))
		return TC_ACT_UNSPEC;	/* the next program, or the stack */
	sink_add(skb->len);
	return TC_ACT_SHOT;
}

static __always_inline void count(__u32 key)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &key);

	if (n)
		*n += 1;
}

SEC("xdp")
int xdploop_reflect(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp = frame_udp(ctx, &eth, &ip);
	unsigned char mac[ETH_ALEN];
	__be32 addr;
	__be16 port;

	if (!udp || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	if (udp->dest == bpf_htons(XDPGEN_PORT))
		count(XDPLOOP_AT_SINK);
	else if (udp->source == bpf_htons(XDPGEN_PORT))
		count(XDPLOOP_AT_GEN);
	else
		return XDP_PASS;
	if (loop_stop) {
		count(XDPLOOP_DRAINED);
		return XDP_DROP;
	}
	/*
	 * A reply: the swaps leave the IP checksum as it was. Out again by a
	 * redirect to the same device, not XDP_TX: after XDP_TX a veth wakes
	 * its peer's NAPI only if the peer has an XDP program (a bridge's port
	 * has none, and the frames would wait in its ring), while a redirect's
	 * flush wakes it whatever runs there, as the live frames' transmit does.
	 */
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	return bpf_redirect(ctx->ingress_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
