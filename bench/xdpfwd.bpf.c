// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdpfwd.bpf.c - the XDP program of bench/xdpfwd: the kernel's ceiling for
 * forwarding between two devices, with nothing a switch would do (no
 * parsing, no FDB lookup, no learning, no counters).
 *
 * xdpfwd: attached to both devices; redirects every frame to the device
 * that peers[ingress ifindex] names (the other one of the pair), through
 * a DEVMAP_HASH so that the kernel can batch the transmits per device.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* ingress ifindex -> egress ifindex; the loader fills both directions. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} peers SEC(".maps");

SEC("xdp")
int xdpfwd(struct xdp_md *ctx)
{
	/* A device the map does not know (none, if the loader did its job): the stack. */
	return bpf_redirect_map(&peers, ctx->ingress_ifindex, XDP_PASS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
