# SPDX-License-Identifier: BSD-3-Clause
# bench/chain.sh - `bench/run chain`, sourced by bench/run (which sets top,
# build, json, reps, seconds, systems, smoke, gen; see its header).
#
# The cost of a service chain's hops (docs/chains.md, issue 17): bench/afxdp.sh's
# hosts ${pfx}gen (10.77.0.1) and ${pfx}sink (10.77.0.2), their veths' far
# ends ${pfx}g and ${pfx}s in ${pfx}sw, and three pass-through hops made
# once: namespace ${pfx}hK (K = 1, 2, 3) whose eth0 and eth1 are bridged
# (a Linux bridge, nothing else), their far ends ${pfx}iK and ${pfx}oK in
# ${pfx}sw. One warrend (core 1, fast path off: a chain's frames all go
# through warrend's userspace, so the reference does too), in turn:
#
#   direct    ports g and s in bridge domain 1, no chain
#   chain-K   the same, and a chain of bd 1 taking gen <-> sink IPv4
#             (src 10.77.0.1/32 dst 10.77.0.2/32, answers reversed) through
#             hops 1..K in order: ports iK (in) and oK (out), each in a
#             bridge domain of its own
#
# A hop's bridge runs in the softirq of whoever sends into it: warrend's
# transmit, on core 1, so a hop's cost falls on the switch's core as a
# function's would. Loads (bench/afxdp.sh's): iperf3 one TCP stream and
# bench/xdpgen 60-byte frames (64 on a wire) gen -> sink as --gen says;
# median of N runs (3) of S seconds (5). Goals (issue 17): chain-K forwards
# >= 0.9 x chain-1 / K 64-byte frames, and chain-3 carries >= 0.5 x
# direct's TCP. --smoke: 1 run of 1 s, direct and chain-2.

. "$top/bench/afxdp.sh"

pfx="bc$$-"
afx_scenario=chain
afx_loads="tcp 64"
afx_idle_s=0
afx_systems_all="direct chain-1 chain-2 chain-3"
afx_systems_smoke="direct chain-2"
afx_warren_name="${pfx}w"

ch_cleanup() {
	local k
	afx_cleanup
	for k in 1 2 3; do ip netns del "${pfx}h$k" 2>/dev/null; done
}

# ch_hops: hops 1..3, each a namespace bridging eth0 and eth1, their far ends in ${pfx}sw.
ch_hops() {
	local k h d
	for k in 1 2 3; do
		h=${pfx}h$k
		ip netns add "$h" && ip -n "$h" link set lo up || return 1
		afx_nsx "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
		ip -n "$h" link add eth0 type veth peer name "${pfx}i$k" netns "${pfx}sw" &&
			ip -n "$h" link add eth1 type veth peer name "${pfx}o$k" netns "${pfx}sw" &&
			ip -n "$h" link add br0 type bridge &&
			ip -n "$h" link set eth0 master br0 && ip -n "$h" link set eth1 master br0 || return 1
		# GRO once up, as afx_topology says: NAPI for warrend's AF_XDP transmits.
		for d in br0 eth0 eth1; do ip -n "$h" link set $d up || return 1; done
		for d in eth0 eth1; do afx_nsx "$h" ethtool -K $d gro on >/dev/null || return 1; done
		for d in i o; do
			ip -n "${pfx}sw" link set "${pfx}$d$k" up &&
				afx_nsx "${pfx}sw" ethtool -K "${pfx}$d$k" gro on >/dev/null || return 1
		done
	done
}

# ch_w ARGS...: one warren command to the bench's warrend; its error, not the usage hint.
ch_w() {
	timeout 20 "$build/control/warren" -S "$afx_warren_name" "$@" >"$tmp/w.log" 2>&1 && return 0
	echo "$*: $(grep -v -e "^Try '" -e '^$' "$tmp/w.log" | tail -1)" >&2
	return 1
}

afx_start_direct() { afx_start_warren "$fastpath"; }
afx_stop_direct() { afx_stop_warren; }

# ch_start K: direct's warrend, hops 1..K's ports and the chain through them.
ch_start() {
	local k hops=()
	afx_start_warren "$fastpath" || return 1
	for k in $(seq "$1"); do
		ch_w port add "i$k" netns "${pfx}sw" dev "${pfx}i$k" fastpath "$fastpath" \
			bd $((100 + 2 * k)) &&
			ch_w port add "o$k" netns "${pfx}sw" dev "${pfx}o$k" fastpath "$fastpath" \
				bd $((101 + 2 * k)) || return 1
		hops+=(hop "in=i$k,out=o$k")
	done
	ch_w chain add bench bd 1 src 10.77.0.1/32 dst 10.77.0.2/32 "${hops[@]}"
}

# ch_stop: the chain's counters kept (ch_system reads them), then warrend stopped.
ch_stop() {
	[ -d "$tmp/res/chain-$ch_k" ] && timeout 10 "$build/control/warren" -S "$afx_warren_name" \
		-j chain show bench >"$tmp/res/chain-$ch_k/chain.json" 2>/dev/null
	afx_stop_warren
}

ch_k=0
afx_start_chain_1() { ch_k=1; ch_start 1; }
afx_start_chain_2() { ch_k=2; ch_start 2; }
afx_start_chain_3() { ch_k=3; ch_start 3; }
afx_stop_chain_1() { ch_stop; }
afx_stop_chain_2() { ch_stop; }
afx_stop_chain_3() { ch_stop; }

# ch_system SYS: afx_system, and for a chain, that every hop carried the
# frames (what was measured went through the hops, not past them).
ch_system() {
	local into
	afx_system "$1"
	[ "$1" = direct ] && return
	into=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["chains"][0]["hops"]
print(min(h["forward"]["into"] for h in d))' "$tmp/res/$1/chain.json" 2>/dev/null)
	if [ -z "$into" ] || [ "$into" -lt 1000 ]; then
		echo "$1: its hops carried ${into:-no} frames" >&2
		[ -f "$tmp/res/$1/error" ] || echo "hops carried ${into:-no} frames" >"$tmp/res/$1/error"
	fi
	echo "${into:-0}" >"$tmp/res/$1/hop_into_min"
}

bench_chain() {
	local sys
	afx_begin 5 ch_cleanup
	afx_topology && ch_hops || { echo "bench/run chain: could not build the topology" >&2; exit 1; }
	for sys in $systems; do ch_system "$sys"; done
	python3 "$top/bench/chain_report.py" "$tmp/res" "$systems" "$reps" "$seconds" "$json" \
		"$(date -u +%Y-%m-%dT%H:%MZ)" "xdpgen-$afx_gen" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
		"$(uname -r)" "$fastpath"
}
