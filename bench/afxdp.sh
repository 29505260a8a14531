# SPDX-License-Identifier: BSD-3-Clause
# bench/afxdp.sh - `bench/run afxdp` and `bench/run xdp`, sourced by
# bench/run (which sets top, build, json, reps, seconds, systems, smoke,
# plot; see its header for the options).
#
# Two hosts, namespaces ${pfx}gen (10.77.0.1/24) and ${pfx}sink (10.77.0.2/24),
# each with one veth (eth0) whose other end (${pfx}g, ${pfx}s) sits in a
# switch namespace ${pfx}sw. The same veths are joined in turn by each
# system, switch on core 1, everything else on core 0:
#
#   linux-bridge      a kernel bridge in ${pfx}sw; its work runs in the
#                     sender's softirq (a veth delivers on the sending CPU)
#   linux-bridge-rps  the same, RPS on the switch-side veths moving the
#                     bridge's work to core 1
#   testpmd-afxdp     dpdk-testpmd io forwarding between two net_af_xdp ports
#   ovs-afxdp         Open vSwitch, userspace datapath, type=afxdp ports,
#                     NORMAL action (MAC learning), PMD thread on core 1
#   warren-afxdp      warrend --cores 1, two AF_XDP ports in bridge domain 1,
#                     their kernel fast path off: every frame through warrend
#   warren-afxdp-own  the same with `umem own` on the gen side's port: every
#                     frame copied between its UMEM and the other port's
#                     (not in the default list; --systems names it)
#
# `xdp` runs the same with three more systems, the kernel fast paths:
#
#   xdp-redirect      bench/xdpfwd: one XDP redirect each way between the
#                     switch-side veths, no lookup at all: the kernel ceiling
#   warren-xdp        warren-afxdp with `fastpath xdp` ports
#   warren-tc         warren-afxdp with `fastpath tc` ports
#
# These three forward in the sender's softirq, as linux-bridge does (a veth
# delivers on the sending CPU): on core 0 with the generator. What reaches
# warrend (frames to unlearned MACs, the first of a flow) is handled on
# core 1; afx_connected's ping before any load teaches it both hosts.
#
# Loads, each --seconds S long, --runs N times, medians reported:
#   tcp       iperf3, one stream, gen -> sink
#   udp 64    bench/xdpgen: 60-byte frames (64 on a wire, with the FCS a
#             veth does not carry) made in the kernel by BPF_PROG_TEST_RUN
#             in live-frames mode, counted by XDP at the sink's eth0; or,
#             where the kernel refuses live frames (or --gen loop), its
#             closed loop (bench/xdploop.c): XDP at both hosts' eth0 sends
#             every bench frame back, --seeds frames circulate through the
#             switch both ways, counted at both ends. For the loop the
#             hosts' eth0 run NAPI threaded, pinned to core 0, so that the
#             reflectors stay off the switch's core whoever sends to them.
#   udp 1518  the same with 1514-byte frames (1518 with FCS; MTU 1500)
#   rtt       sockperf ping-pong (UDP, one message in flight), p50 and p99
# and the idle CPU of a switch that is a process (its ports attached, no
# traffic), from utime+stime in /proc/PID/stat.
#
# Everything is made with the prefix ${pfx} (ba<pid>-) and removed on every
# way out; the root namespace gets no address and no route.

pfx="ba$$-"
# What bench_xdp changes: the scenario's name (heading, JSON), its systems,
# --smoke's systems.
afx_scenario=afxdp
afx_systems_all="warren-afxdp linux-bridge linux-bridge-rps testpmd-afxdp ovs-afxdp"
afx_systems_smoke="warren-afxdp linux-bridge"
# Run only when --systems names them.
afx_systems_extra="warren-afxdp-own"
# What afx_system runs on each system, in order: tcp, rtt, or a frame size
# (64, 1518) for xdpgen. bench_dpdk (bench/dpdk.sh) leaves 1518 out.
afx_loads="tcp 64 1518 rtt"
afx_helpers=()		# background helpers (servers) still to stop
afx_stop=""		# how to stop the system that is up
afx_pid=""		# the pid of the system that is up, if a process

afx_nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# afx_cleanup: stop what runs, remove the namespaces (their veths go with them).
afx_cleanup() {
	local p n
	[ -n "$afx_stop" ] && $afx_stop >/dev/null 2>&1
	for p in "${afx_helpers[@]}"; do kill "$p" 2>/dev/null; done
	for n in gen sink sw; do ip netns del "${pfx}$n" 2>/dev/null; done
	rm -rf "$tmp"
}

# afx_topology: the three namespaces and two veth pairs, nothing in the root namespace.
afx_topology() {
	local n
	for n in gen sink sw; do
		ip netns add "${pfx}$n" || return 1
		ip -n "${pfx}$n" link set lo up
		# No IPv6: no router or neighbour solicitations to disturb the
		# counts or the idle measurement.
		afx_nsx "${pfx}$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	ip -n "${pfx}gen" link add eth0 type veth peer name "${pfx}g" netns "${pfx}sw" || return 1
	ip -n "${pfx}sink" link add eth0 type veth peer name "${pfx}s" netns "${pfx}sw" || return 1
	ip -n "${pfx}gen" addr add 10.77.0.1/24 dev eth0 || return 1
	ip -n "${pfx}sink" addr add 10.77.0.2/24 dev eth0 || return 1
	for n in gen sink; do
		# tx off: a frame sent with checksum offload carries a partial
		# checksum that only the kernel's skb path knows how to finish;
		# after an XDP or AF_XDP hop it arrives broken (TCP stalls while
		# ping works). It also turns TSO off: the sender cuts TCP into
		# 1500-byte frames for every system (a kernel bridge's GRO on the
		# switch ends merges them again).
		# gro on: an XDP redirect or XSK transmit into a veth is dropped
		# unless the receiving end runs NAPI, which GRO (or an XDP
		# program) switches on.
		# (Set on a device that is up: a veth that opens with GRO
		# already on does not start NAPI.)
		ip -n "${pfx}$n" link set eth0 up || return 1
		afx_nsx "${pfx}$n" ethtool -K eth0 tx off gro on >/dev/null || return 1
	done
	for n in g s; do
		# The generator's frames enter the switch through the gen veth's
		# XDP transmit, so the switch ends need NAPI too (same reason).
		ip -n "${pfx}sw" link set "${pfx}$n" up || return 1
		afx_nsx "${pfx}sw" ethtool -K "${pfx}$n" gro on >/dev/null || return 1
	done
}

# afx_csum SYS: the hosts' TX checksum offload (and with it TSO) as SYS is
# best served: on for the systems that hand skbs on whole (linux-bridge,
# warren-tc: 64 KB GSO frames cross them), off for those an XDP or AF_XDP
# hop would leave with unfinished checksums (afx_topology says why).
afx_csum() {
	local n on=off
	case $1 in linux-bridge*|warren-tc) on=on ;; esac
	for n in gen sink; do
		afx_nsx "${pfx}$n" ethtool -K eth0 tx $on >/dev/null || return 1
	done
}

# afx_wait_port NS PROTO PORT: until something listens there (5 s at most).
afx_wait_port() {
	local i
	for i in $(seq 50); do
		afx_nsx "$1" ss -Hln"${2:0:1}" "sport = :$3" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# afx_connected: gen reaches sink through the switch (AF_XDP ports take a moment).
afx_connected() {
	local i
	for i in $(seq 10); do
		timeout 5 ip netns exec "${pfx}gen" ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# afx_cpu_ticks PID: user + system clock ticks of a process, all threads.
afx_cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }

# afx_idle SYS PID: CPU % of PID over the idle period (no traffic).
afx_idle() {
	local t0 t1 hz
	hz=$(getconf CLK_TCK)
	t0=$(afx_cpu_ticks "$2") || return 1
	sleep "$afx_idle_s"
	t1=$(afx_cpu_ticks "$2")
	[ -n "$t0" ] && [ -n "$t1" ] || return 1
	echo "($t1 - $t0) * 100 / $hz / $afx_idle_s" | bc -l >>"$tmp/res/$1/idle_cpu_pct"
}

# ---------------------------------------------------------------- systems
# afx_start_SYS: make the switch and set afx_pid to its pid if it is a
# process; nonzero and a message on stderr if it cannot. afx_stop_SYS
# undoes it, whatever state the start left (it is also the cleanup).

afx_start_bridge() {
	ip -n "${pfx}sw" link add br0 type bridge || return 1
	ip -n "${pfx}sw" link set br0 up || return 1
	ip -n "${pfx}sw" link set "${pfx}g" master br0 || return 1
	ip -n "${pfx}sw" link set "${pfx}s" master br0 || return 1
}

afx_stop_bridge() { ip -n "${pfx}sw" link del br0 2>/dev/null; return 0; }

# afx_rps MASK: RPS on every rx queue of the switch-side veths.
afx_rps() {
	afx_nsx "${pfx}sw" sh -c "for q in /sys/class/net/${pfx}g/queues/rx-* /sys/class/net/${pfx}s/queues/rx-*; do
		echo $1 >\$q/rps_cpus || exit 1; done"
}

afx_start_linux_bridge() { afx_start_bridge; }
afx_stop_linux_bridge() { afx_stop_bridge; }
afx_start_linux_bridge_rps() { afx_start_bridge && afx_rps 2; }
afx_stop_linux_bridge_rps() { afx_rps 0; afx_stop_bridge; }

# testpmd: io forwarding, main lcore 0 (asleep in the stats loop), forwarding
# lcore 1; --stats-period keeps it running without a prompt until SIGTERM.
# stdbuf: into a file, testpmd's stdout is block-buffered, and the line
# waited for ("packet forwarding") would stay in the buffer.
afx_testpmd_pid=""
afx_start_testpmd_afxdp() {
	local i
	command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd not installed (dpdk-dev)" >&2; return 1; }
	ip netns exec "${pfx}sw" stdbuf -oL dpdk-testpmd --no-huge -m 512 -l 0,1 --main-lcore 0 --no-pci \
		--no-telemetry --file-prefix "${pfx}tp" \
		--vdev "net_af_xdp0,iface=${pfx}g,start_queue=0,queue_count=1" \
		--vdev "net_af_xdp1,iface=${pfx}s,start_queue=0,queue_count=1" \
		-- --forward-mode=io --nb-cores=1 --total-num-mbufs=16384 --stats-period 3600 \
		</dev/null >"$tmp/testpmd.log" 2>&1 &
	afx_testpmd_pid=$!
	for i in $(seq 100); do
		grep -q 'packet forwarding - ports=2' "$tmp/testpmd.log" && { afx_pid=$afx_testpmd_pid; return 0; }
		kill -0 "$afx_testpmd_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "testpmd did not start forwarding: $(grep -m1 -iE 'error|cause|fail' "$tmp/testpmd.log")" >&2
	return 1
}

# afx_reap PID [group]: wait up to 10 s for a process we started to go,
# then kill it; with "group", its whole process group (what `timeout`, a
# group leader, runs).
afx_reap() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if [ "${2:-}" = group ]; then
		kill -KILL -- "-$1" 2>/dev/null
	else
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	return 0
}

# afx_end PID: SIGTERM, then afx_reap.
afx_end() { kill -TERM "$1" 2>/dev/null; afx_reap "$1"; }

afx_stop_testpmd_afxdp() {
	[ -n "$afx_testpmd_pid" ] || return 0
	afx_end "$afx_testpmd_pid"
	afx_testpmd_pid=""
	rm -rf "/var/run/dpdk/${pfx}tp"
}

# Open vSwitch: its own database, run directory, logs and control sockets in
# $tmp/ovs; ovsdb-server and ovs-vswitchd in ${pfx}sw, vswitchd on core 1
# and its PMD thread there too (pmd-cpu-mask).
afx_ovs=""
afx_vsctl() { ovs-vsctl --db="unix:$afx_ovs/db.sock" --timeout=10 "$@"; }
afx_start_ovs_afxdp() {
	local d
	command -v ovs-vswitchd >/dev/null || { echo "ovs-vswitchd not installed (openvswitch-switch)" >&2; return 1; }
	afx_ovs=$tmp/ovs
	mkdir -p "$afx_ovs"
	export OVS_RUNDIR=$afx_ovs OVS_DBDIR=$afx_ovs OVS_LOGDIR=$afx_ovs OVS_SYSCONFDIR=$afx_ovs
	ovsdb-tool create "$afx_ovs/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ip netns exec "${pfx}sw" ovsdb-server "$afx_ovs/conf.db" --remote="punix:$afx_ovs/db.sock" \
		--pidfile="$afx_ovs/ovsdb-server.pid" --unixctl="$afx_ovs/ovsdb-server.ctl" \
		--log-file="$afx_ovs/ovsdb-server.log" --no-chdir --detach 2>/dev/null || return 1
	afx_vsctl --no-wait -- init -- set Open_vSwitch . other_config:pmd-cpu-mask=0x2 || return 1
	ip netns exec "${pfx}sw" taskset -c 1 ovs-vswitchd "unix:$afx_ovs/db.sock" \
		--pidfile="$afx_ovs/ovs-vswitchd.pid" --unixctl="$afx_ovs/ovs-vswitchd.ctl" \
		--log-file="$afx_ovs/ovs-vswitchd.log" --no-chdir --detach 2>/dev/null || return 1
	# native-with-zerocopy fails on veth (no zero-copy there); best-effort
	# takes native XDP in copy mode, as every AF_XDP system here does.
	afx_vsctl add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=standalone || return 1
	for d in g s; do
		afx_vsctl add-port br0 "${pfx}$d" -- set interface "${pfx}$d" type=afxdp \
			options:xdp-mode=best-effort options:n_rxq=1 || return 1
		[ -z "$(afx_vsctl get interface "${pfx}$d" error 2>/dev/null | tr -d '[]"')" ] ||
			{ echo "ovs: ${pfx}$d: $(afx_vsctl get interface "${pfx}$d" error)" >&2; return 1; }
	done
	afx_pid=$(cat "$afx_ovs/ovs-vswitchd.pid")
}

# afx_ovs_exit DIR: the OVS whose control sockets and pid files are in DIR
# stopped. exit --cleanup removes the bridges' ports, and with them the XDP
# programs.
afx_ovs_exit() {
	local p
	timeout 15 ovs-appctl -t "$1/ovs-vswitchd.ctl" exit --cleanup >/dev/null 2>&1
	timeout 15 ovs-appctl -t "$1/ovsdb-server.ctl" exit >/dev/null 2>&1
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$1/$p.pid" ] || continue
		p=$(cat "$1/$p.pid")
		[ -n "$p" ] && afx_end "$p"
	done
}

afx_stop_ovs_afxdp() {
	local p
	[ -n "$afx_ovs" ] && [ -d "$afx_ovs" ] || return 0
	afx_ovs_exit "$afx_ovs"
	# Debian's OVS 3.1 leaves its XDP program behind at times, even so.
	for p in g s; do afx_nsx "${pfx}sw" ip link set dev "${pfx}$p" xdp off 2>/dev/null; done
	unset OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR
	rm -rf "$afx_ovs"
	afx_ovs=""
}

# warren: warrend in the root namespace, its worker on core 1, two AF_XDP
# ports on the switch-side veths (bridge domain 1 by default), with
# `fastpath MODE` when afx_start_warren is given a MODE; WORDS more for the
# gen side's port g when given as well.
afx_warren_name="${pfx}w"
afx_warren_up=0 afx_warren_pid=""
afx_warren_built() {
	[ -x "$build/dataplane/warrend" ] && [ -x "$build/control/warren" ] &&
		"$build/control/warren" -S "$afx_warren_name" port add --help >/dev/null 2>&1
}

afx_start_warren() {
	local w=$build/control/warren d
	afx_warren_built || { echo "not built ($build/dataplane/warrend and 'warren -S NAME port add')" >&2; return 1; }
	taskset -c 1 timeout 30 "$build/dataplane/warrend" --name "$afx_warren_name" --daemon --cores 1 \
		--log-file "$tmp/warrend.log" >&2 || return 1
	afx_warren_up=1
	afx_warren_pid=$(timeout 10 "$w" -S "$afx_warren_name" -j switch show 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["pid"])' 2>/dev/null)
	[ -n "$afx_warren_pid" ] || afx_warren_pid=$(cat "/run/warren/$afx_warren_name.pid" 2>/dev/null)
	[ -n "$afx_warren_pid" ] || { echo "warrend started but says no pid" >&2; return 1; }
	for d in g s; do
		# shellcheck disable=SC2086 # $2: words
		timeout 20 "$w" -S "$afx_warren_name" port add "$d" netns "${pfx}sw" dev "${pfx}$d" \
			${1:+fastpath "$1"} $([ $d = g ] && echo ${2:-}) >"$tmp/port.log" 2>&1 &&
			continue
		# The error, not the "Try 'warren port add --help'" after it.
		echo "port add $d${1:+ fastpath $1}: $(grep -v -e "^Try '" -e '^$' "$tmp/port.log" | tail -1)" >&2
		return 1
	done
	afx_pid=$afx_warren_pid
}

afx_stop_warren() {
	[ "$afx_warren_up" = 1 ] || return 0
	timeout 15 "$build/control/warren" -S "$afx_warren_name" switch stop >/dev/null 2>&1 ||
		{ [ -n "$afx_warren_pid" ] && kill -TERM "$afx_warren_pid" 2>/dev/null; }
	[ -n "$afx_warren_pid" ] && afx_reap "$afx_warren_pid"
	afx_warren_up=0 afx_warren_pid=""
}

afx_start_warren_afxdp() { afx_start_warren off; }
afx_stop_warren_afxdp() { afx_stop_warren; }
afx_start_warren_afxdp_own() { afx_start_warren off "umem own"; }
afx_stop_warren_afxdp_own() { afx_stop_warren; }
afx_start_warren_xdp() { afx_start_warren xdp; }
afx_stop_warren_xdp() { afx_stop_warren; }
afx_start_warren_tc() { afx_start_warren tc; }
afx_stop_warren_tc() { afx_stop_warren; }

# xdp-redirect: bench/xdpfwd in ${pfx}sw holds the programs and sleeps
# (pinned to core 1 like the other switches, for form); the redirects run
# in the sender's softirq, on core 0. No afx_pid: its idle CPU is nil by
# construction, like linux-bridge's.
afx_xdpfwd_pid=""
afx_start_xdp_redirect() {
	local i
	[ -x "$build/bench/xdpfwd" ] || { echo "not built ($build/bench/xdpfwd)" >&2; return 1; }
	ip netns exec "${pfx}sw" taskset -c 1 "$build/bench/xdpfwd" "${pfx}g" "${pfx}s" \
		</dev/null >"$tmp/xdpfwd.log" 2>&1 &
	afx_xdpfwd_pid=$!
	for i in $(seq 50); do
		grep -q '^xdpfwd: forwarding' "$tmp/xdpfwd.log" && return 0
		kill -0 "$afx_xdpfwd_pid" 2>/dev/null || break
		sleep 0.1
	done
	# Its own message comes last, after any of libbpf's.
	echo "$(grep -v '^$' "$tmp/xdpfwd.log" | tail -1 | grep . || echo "xdpfwd did not start")" >&2
	return 1
}

afx_stop_xdp_redirect() {
	[ -n "$afx_xdpfwd_pid" ] || return 0
	afx_end "$afx_xdpfwd_pid"
	afx_xdpfwd_pid=""
}

# ------------------------------------------------------------------ loads
# Each appends one value per metric to $tmp/res/SYS/METRIC, or returns
# nonzero with a message on stderr.

afx_tcp() {
	local sys=$1 out srv bound=$((seconds + 15))
	timeout "$bound" ip netns exec "${pfx}sink" taskset -c 0 iperf3 -s -1 -B 10.77.0.2 \
		>/dev/null 2>&1 &
	srv=$!
	afx_helpers+=("$srv")
	afx_wait_port "${pfx}sink" tcp 5201 || { echo "iperf3 server did not start" >&2; return 1; }
	out=$(timeout "$bound" ip netns exec "${pfx}gen" taskset -c 0 iperf3 -J -t "$seconds" \
		-c 10.77.0.2 2>/dev/null)
	wait "$srv" 2>/dev/null
	out=$(python3 -c 'import json, sys
d = json.loads(sys.argv[1])
print("%.4f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9) if "error" not in d else d["error"])' \
		"$out" 2>/dev/null)
	[[ $out =~ ^[0-9.]+$ ]] || { echo "iperf3: ${out:-no result}" >&2; return 1; }
	echo "$out" >>"$tmp/res/$sys/tcp_gbps"
}

# afx_udp SYS SIZE LABEL: the generator on core 0 for S seconds.
afx_udp() {
	local sys=$1 out
	# Teach the switch where the sink is, so that the frames are unicast.
	timeout 5 ip netns exec "${pfx}sink" ping -c 2 -i 0.2 -W 1 10.77.0.1 >/dev/null 2>&1
	[ "$afx_gen" = loop ] && { afx_loop_udp "$@"; return; }
	out=$(taskset -c 0 timeout $((seconds + 15)) "$build/bench/xdpgen" --netns "${pfx}gen" --dev eth0 \
		--sink-netns "${pfx}sink" --sink-dev eth0 --size "$2" --seconds "$seconds" \
		--flows "$flows" 2>"$tmp/xdpgen.err") ||
		{ echo "xdpgen: $(head -1 "$tmp/xdpgen.err")" >&2; return 1; }
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
open(sys.argv[2] + "/mpps_" + sys.argv[3], "a").write("%.4f\n" % d["mpps"])
open(sys.argv[2] + "/offered_mpps_" + sys.argv[3], "a").write("%.4f\n" % d["offered_mpps"])' \
		"$out" "$tmp/res/$sys" "$3"
}

# afx_gen_choose: afx_gen (live or loop) from --gen (auto, live, loop) and
# what the kernel allows (xdpgen --probe); afx_gen_why says why.
afx_gen="" afx_gen_why=""
afx_gen_choose() {
	local p
	if [ "$gen" = loop ]; then
		afx_gen=loop afx_gen_why="--gen loop"
		return 0
	fi
	if p=$("$build/bench/xdpgen" --probe 2>&1); then
		afx_gen=live afx_gen_why="the kernel runs live frames"
		return 0
	fi
	[ "$gen" = live ] && { echo "bench/run: --gen live: ${p:-xdpgen --probe failed}" >&2; return 1; }
	afx_gen=loop afx_gen_why="${p#xdpgen: }"
}

# afx_napi_threaded 1|0: the hosts' veths' NAPI in a kernel thread of its
# own, pinned to core 0 (the loop's reflectors run there, whichever core
# sent the frame), or back in softirq. Each thread is found as the one
# "napi/eth0-ID" that appears when its device turns threaded.
afx_napi_threaded() {
	local n before t
	for n in gen sink; do
		before=$(pgrep -d' ' '^napi/eth0-')
		afx_nsx "${pfx}$n" sh -c "echo $1 >/sys/class/net/eth0/threaded" || return 1
		[ "$1" = 1 ] || continue
		for t in $(pgrep '^napi/eth0-'); do
			case " $before " in *" $t "*) continue ;; esac
			taskset -pc 0 "$t" >/dev/null || return 1
		done
	done
}

# afx_loop_udp SYS SIZE LABEL: xdpgen --gen loop (see bench/xdploop.c): its
# forwarded rate, frames in flight and lost, and the cores' busy shares.
# DPDK 22.11's net_af_xdp (testpmd-afxdp, warren-dpdk-afxdp) keeps softirq
# NAPI: fed by a thread on the other core, its receive queue runs out of
# fill-ring buffers and its lcore sleeps up to a second in poll() at a
# time (the loop falls to a few thousand frames per second, and the port
# stays deaf after it). In softirq the hosts' receive runs in the transmit
# of whoever sends to them: core 1 for what such a switch sends.
afx_loop_softirq="testpmd-afxdp warren-dpdk-afxdp"
afx_loop_udp() {
	local sys=$1 out rc threaded=1
	case " $afx_loop_softirq " in *" $sys "*) threaded=0 ;; esac
	# A kernel without threaded NAPI (before 5.12) runs the loop in softirq.
	if [ $threaded = 1 ] && ! afx_napi_threaded 1 2>/dev/null; then
		afx_napi_threaded 0 2>/dev/null
		threaded=0
	fi
	out=$(taskset -c 0 timeout $((seconds + 17)) "$build/bench/xdpgen" --gen loop \
		--netns "${pfx}gen" --dev eth0 --sink-netns "${pfx}sink" --sink-dev eth0 --size "$2" \
		--seconds "$seconds" --warmup "$afx_warmup" --seeds "$seeds" --flows "$flows" \
		2>"$tmp/xdpgen.err")
	rc=$?
	[ $threaded = 0 ] || afx_napi_threaded 0
	[ $rc = 0 ] || { echo "xdpgen --gen loop: $(head -1 "$tmp/xdpgen.err")" >&2; return 1; }
	echo "$threaded" >"$tmp/res/$sys/loop_threaded"
	python3 -c 'import json, sys
d, res, z = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
def add(m, v):
    open("%s/%s_%s" % (res, m, z), "a").write("%s\n" % v)
add("mpps", "%.4f" % d["mpps"])
add("in_flight", d["in_flight"])
add("lost", d["lost"])
cpu = d["cpu_busy_pct"] + [0, 0]
add("gen_core_busy", cpu[0])
add("switch_core_busy", cpu[1])
# Generator-bound: its core (0) saturated; or no frame lost (the loop never
# had a full queue) or under 64 left in flight (a NAPI poll): too few
# frames may have set the rate, not the switch.
add("loop_bound", int(cpu[0] >= 95 or d["lost"] <= 0 or d["in_flight"] < 64))' "$out" "$tmp/res/$sys" "$3"
}

# afx_rtt SYS: sockperf ping-pong (client and server on core 0), or ping.
afx_rtt() {
	local sys=$1 out srv bound=$((seconds + 15))
	if command -v sockperf >/dev/null; then
		timeout "$bound" ip netns exec "${pfx}sink" taskset -c 0 sockperf server \
			-i 10.77.0.2 -p 11111 >/dev/null 2>&1 &
		srv=$!
		afx_helpers+=("$srv")
		afx_wait_port "${pfx}sink" udp 11111 || { echo "sockperf server did not start" >&2; return 1; }
		out=$(timeout "$bound" ip netns exec "${pfx}gen" taskset -c 0 sockperf ping-pong \
			-i 10.77.0.2 -p 11111 -t "$seconds" --full-rtt 2>&1)
		kill "$srv" 2>/dev/null
		wait "$srv" 2>/dev/null
		out=$(sed -n 's/.*percentile 50.000 = *\([0-9.]*\).*/p50 \1/p; s/.*percentile 99.000 = *\([0-9.]*\).*/p99 \1/p' <<<"$out")
	else
		out=$(timeout "$bound" ip netns exec "${pfx}gen" taskset -c 0 ping -i 0.01 \
			-c $((seconds * 100)) -W 1 10.77.0.2 2>/dev/null |
			sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n |
			awk '{v[NR] = $1 * 1000} END {if (NR) {print "p50", v[int((NR - 1) * 0.5) + 1]; print "p99", v[int((NR - 1) * 0.99) + 1]}}')
	fi
	grep -q p99 <<<"$out" || { echo "rtt: no result" >&2; return 1; }
	awk '$1 == "p50" {print $2}' <<<"$out" >>"$tmp/res/$sys/rtt_p50_us"
	awk '$1 == "p99" {print $2}' <<<"$out" >>"$tmp/res/$sys/rtt_p99_us"
}

# afx_system SYS: start it, measure its idle CPU, run every load --runs
# times, stop it. Errors land in $tmp/res/SYS/error; what was measured stays.
afx_system() {
	local sys=$1 fn r e load
	fn=${sys//-/_}
	mkdir -p "$tmp/res/$sys"
	echo "== $sys" >&2
	afx_csum "$sys"
	afx_stop=afx_stop_$fn afx_pid=""
	if ! afx_start_"$fn" 2>"$tmp/start.err"; then
		e=$(grep -v '^$' "$tmp/start.err" | tail -1)
		echo "$sys: ${e:-could not start}" >&2
		echo "${e:-could not start}" >"$tmp/res/$sys/error"
		$afx_stop >/dev/null 2>&1
		afx_stop=""
		return
	fi
	if ! afx_connected; then
		echo "no connectivity from gen to sink through the switch" >"$tmp/res/$sys/error"
	else
		# afx_idle_s=0: no idle measurement (bench_dpdk: its switches spin).
		[ -n "$afx_pid" ] && [ "$afx_idle_s" != 0 ] && afx_idle "$sys" "$afx_pid"
		for r in $(seq "$reps"); do
			for load in $afx_loads; do
				case $load in
				tcp|rtt) load="afx_$load $sys" ;;
				*) load="afx_udp $sys $((load - 4)) $load" ;;	# the frame without its FCS
				esac
				$load 2>"$tmp/load.err" && continue
				e="${load%% *}: $(head -1 "$tmp/load.err")"
				echo "$sys run $r: ${e#afx_}" >&2
				[ -f "$tmp/res/$sys/error" ] || echo "${e#afx_}" >"$tmp/res/$sys/error"
			done
		done
	fi
	$afx_stop >/dev/null 2>&1
	afx_stop=""
	# A program left on a switch-side veth would take the next system's frames.
	if afx_nsx "${pfx}sw" ip link show 2>/dev/null | grep -q 'prog/xdp'; then
		echo "$sys: left an XDP program on the switch veths" >&2
		[ -f "$tmp/res/$sys/error" ] || echo "left an XDP program on the switch veths" >"$tmp/res/$sys/error"
	fi
}

# afx_begin SECONDS CLEANUP [COMMAND...]: root, xdpgen and the commands
# needed (iperf3 and the like, COMMANDs, gnuplot for --plot) there; reps,
# seconds (SECONDS by default) and systems (afx_systems_all, or
# afx_systems_smoke with --smoke: 1 run of 1 s) from the options, each
# system checked, the generator chosen, $tmp made and CLEANUP run on every
# way out.
afx_begin() {
	local sys c me="bench/run $afx_scenario"
	[ "$(id -u)" = 0 ] || { echo "$me: needs root" >&2; exit 1; }
	[ -x "$build/bench/xdpgen" ] || { echo "$me: build first (make)" >&2; exit 1; }
	for c in iperf3 ethtool taskset timeout python3 "${@:3}"; do
		command -v "$c" >/dev/null || { echo "$me: needs $c (make deps)" >&2; exit 1; }
	done
	# Before the run, not after its minutes.
	[ -z "$plot" ] || command -v gnuplot >/dev/null ||
		{ echo "$me: --plot needs gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }
	afx_warmup=1
	if [ "$smoke" = 1 ]; then
		reps=${reps:-1} seconds=${seconds:-1} afx_warmup=0.5
		[ "$afx_idle_s" = 0 ] || afx_idle_s=1
		systems=${systems:-$afx_systems_smoke}
	fi
	reps=${reps:-3} seconds=${seconds:-$1} systems=${systems:-$afx_systems_all}
	for sys in $systems; do
		case " $afx_systems_all $afx_systems_extra " in *" $sys "*) ;; *)
			echo "$me: unknown system '$sys' (known: $afx_systems_all $afx_systems_extra)" >&2
			exit 2 ;;
		esac
	done
	afx_gen_choose || exit 1
	echo "generator: xdpgen $afx_gen ($afx_gen_why)" >&2
	tmp=$(mktemp -d /tmp/warren-bench.XXXXXX)
	trap "$2" EXIT
	trap 'exit 130' INT TERM
}

bench_afxdp() {
	local sys rc
	afx_idle_s=5
	afx_begin 10 afx_cleanup bc
	afx_topology || { echo "bench/run $afx_scenario: could not build the topology" >&2; exit 1; }
	for sys in $systems; do afx_system "$sys"; done
	# Exit status 1 if a system failed; one that is not built is only skipped.
	python3 - "$tmp/res" "$systems" "$reps" "$seconds" "$json" "$(date -u +%Y-%m-%dT%H:%MZ)" \
		"$afx_scenario" "$tmp/results.json" "xdpgen-$afx_gen" "$(nproc)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" <<'PYEOF'
import json, os, statistics, sys

res, systems, reps, seconds, want_json, date, scenario, saved, gen, ncpu, load = sys.argv[1:]
out, runs = {}, {}
loop = gen == "xdpgen-loop"
for s in systems.split():
    d, r, samples = os.path.join(res, s), {}, {}
    for m in ("tcp_gbps", "mpps_64", "offered_mpps_64", "mpps_1518", "offered_mpps_1518",
              "rtt_p50_us", "rtt_p99_us", "idle_cpu_pct") + tuple(
              "%s_%s" % (m, z) for m in ("in_flight", "lost", "gen_core_busy", "switch_core_busy",
                                         "loop_bound") for z in ("64", "1518")):
        try:
            v = [float(x) for x in open(os.path.join(d, m)).read().split()]
        except OSError:
            continue
        if v:
            r[m] = round(statistics.median(v), 3)
            samples[m] = v
    for z in ("64", "1518"):
        if "mpps_" + z in r and "offered_mpps_" + z in r:
            # Not above what it forwarded (1 % for the frames in flight):
            # the generator, not the switch, set this figure.
            r["generator_bound_" + z] = r["offered_mpps_" + z] <= r["mpps_" + z] * 1.01
        if "loop_bound_" + z in r:
            # The loop: bound in most runs (afx_loop_udp says when).
            r["generator_bound_" + z] = r.pop("loop_bound_" + z) >= 0.5
    if "mpps_64" in r or "mpps_1518" in r:
        r["generator"] = gen
    if os.path.exists(os.path.join(d, "loop_threaded")):
        # Where the hosts' receive (the reflectors) ran: afx_loop_udp.
        r["loop_napi"] = ("threaded, core 0" if open(os.path.join(d, "loop_threaded")).read().strip() == "1"
                          else "softirq")
    if "mpps_1518" in r:
        r["gbps_1518"] = round(r["mpps_1518"] * 1514 * 8 / 1e3, 3)
    if os.path.exists(os.path.join(d, "error")):
        r["error"] = open(os.path.join(d, "error")).read().strip()
    out[s] = r
    runs[s] = samples

def f(r, k, fmt="%.2f"):
    return fmt % r[k] if k in r else "-"

print("%s: gen -> switch -> sink over veth; switch on core 1, generator and endpoints on core 0" % scenario)
if scenario == "xdp":
    print("xdp-redirect, warren-xdp and warren-tc forward in the sender's softirq: on core 0")
print("median of %s runs of %s s; %s; %s CPUs, load %s" % (reps, seconds, date, ncpu, load))
if loop:
    print("frames: xdpgen loop (bench/xdploop.c), seeds circulating gen -> switch -> sink -> switch -> gen;")
    print("  Mpps forwarded, both directions (busy % of core 0, the generator's); * = generator-bound:")
    print("  core 0 at 95 % or more, or no frame lost or under 64 in flight (the loop may have lacked frames);")
    print("  GEN loop/softirq: the hosts' NAPI not threaded (DPDK's net_af_xdp stalls so), their reflectors")
    print("  ran on core 1, in the switch's transmit")
else:
    print("frames: xdpgen live (BPF_PROG_TEST_RUN live frames), gen -> sink; Mpps forwarded (offered);")
    print("  * = generator-bound: offered no more than forwarded")
print("%-17s %8s %18s %18s %9s %9s %8s  %s" % ("SYSTEM", "TCP Gb/s", "64B Mpps", "1518B Mpps",
                                                 "p50 us", "p99 us", "idle %", "GEN"))
for s, r in out.items():
    u = {}
    for z in ("64", "1518"):
        u[z] = "-" if "mpps_" + z not in r else "%.2f (%s)%s" % (
            r["mpps_" + z], "%.0f%%" % r["gen_core_busy_" + z] if loop else "%.2f" % r["offered_mpps_" + z],
            "*" if r["generator_bound_" + z] else " ")
    print("%-17s %8s %18s %18s %9s %9s %8s  %s" % (s, f(r, "tcp_gbps"), u["64"], u["1518"],
          f(r, "rtt_p50_us", "%.1f"), f(r, "rtt_p99_us", "%.1f"), f(r, "idle_cpu_pct", "%.1f"),
          r.get("generator", "-").replace("xdpgen-", "") +
          ("/softirq" if r.get("loop_napi") == "softirq" else "")))
    if "error" in r:
        print("%-17s error: %s" % ("", r["error"]))
# "samples": every run's value behind each median, to judge the spread.
line = json.dumps({"scenario": scenario, "runs": int(reps), "seconds": float(seconds), "date": date,
                   "cpus": int(ncpu), "loadavg": load, "generator": gen, "systems": out,
                   "idle_cpu_pct": out.get("warren-afxdp", {}).get("idle_cpu_pct"),
                   "samples": runs},
                  separators=(",", ":"))
open(saved, "w").write(line + "\n")
if want_json == "1":
    print(line)
sys.exit(any(not r.get("error", "not built").startswith("not built") for r in out.values()))
PYEOF
	rc=$?
	[ -z "$plot" ] || afx_plot "$tmp/results.json" "$plot" || rc=1
	return $rc
}

# afx_plot JSON PNG [WHAT NOTES PANEL]: two panels from the medians, 64-byte
# Mpps and TCP Gbit/s per system, drawn by gnuplot; systems with an error
# are left out and named under the panels (their figures may be partial).
# bench_dpdk gives its own WHAT (the title after the date), NOTES (lines
# under the panels) and PANEL (the 64-byte panel's title).
afx_plot() {
	python3 - "$1" "$2" "$tmp" "${3:-}" "${4:-}" "${5:-}" <<'PYEOF' || return 1
import json, os, subprocess, sys

src, png, tmp, what, mynotes, panel = sys.argv[1:]
d = json.load(open(src))
shown = {s: r for s, r in d["systems"].items() if "error" not in r}
left = ["%s (%s)" % (s, r["error"] if len(r["error"]) < 70 else r["error"][:67] + "...")
        for s, r in d["systems"].items() if "error" in r]
if not shown:
    sys.exit("bench/run %s: --plot: no system without an error to plot" % d["scenario"])

def colour(s):
    # Kernel paths blue, Warren orange, other userspace switches grey.
    return 0xdd8833 if s.startswith("warren") else \
        0x4477aa if s.startswith(("linux", "xdp")) else 0x999999

def quote(t):
    # One gnuplot string: backslashes, quotes and newlines escaped.
    return '"%s"' % t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

# The TCP panel (plot-tcp.dat) leaves out systems without a TCP figure
# (bench_dpdk's memif systems), unless none has one.
tcp = any("tcp_gbps" in r for r in shown.values())
with open(os.path.join(tmp, "plot.dat"), "w") as f, open(os.path.join(tmp, "plot-tcp.dat"), "w") as ft:
    for s, r in shown.items():
        m = r.get("mpps_64")
        t = r.get("tcp_gbps")
        row = "%s %s %s %s %s %d\n" % (
            quote(s), "-" if m is None else m,
            quote("" if m is None else "%.2f%s" % (m, "*" if r.get("generator_bound_64") else "")),
            "-" if t is None else t, quote("" if t is None else "%.2f" % t), colour(s))
        f.write(row)
        if t is not None or not tcp:
            ft.write(row)
notes = mynotes.split("\n") if mynotes else [
    "core 0: generator, endpoints and the kernel paths (sender's softirq); core 1: switch processes",
    "* generator-bound: core 0 at 95 % or more, or the loop lost no frame" if d.get("generator") == "xdpgen-loop"
    else "* generator-bound: the generator offered no more than was forwarded"]
if left:
    notes.append("not shown, with an error: " + "; ".join(left))
gp = """set terminal pngcairo size 1280,640 font "DejaVu Sans,11"
set output %(png)s
set datafile missing "-"
set style fill solid 0.85 border -1
set boxwidth 0.6
set yrange [0:*]
set offsets 0.5, 0.5, graph 0.12, 0
set grid ytics
set xtics rotate by 30 right nomirror
set ytics nomirror
set border 3
unset key
set bmargin 8
set multiplot layout 1,2 title %(title)s font ",14"
set label 1 %(notes)s at screen 0.01, 0.06 left font ",9" noenhanced
set title %(panel)s
set ylabel "Mpps"
plot %(dat)s using 0:2:6:xtic(1) with boxes lc rgb variable, \\
     '' using 0:2:3 with labels offset 0,0.8
unset label 1
set title "TCP, iperf3, one stream"
set ylabel "Gbit/s"
plot %(tcpdat)s using 0:4:6:xtic(1) with boxes lc rgb variable, \\
     '' using 0:4:5 with labels offset 0,0.8
unset multiplot
""" % {"png": quote(png), "dat": quote(os.path.join(tmp, "plot.dat")),
       "tcpdat": quote(os.path.join(tmp, "plot-tcp.dat")),
       "notes": quote("\n".join(notes)),
       "panel": quote(panel or ("64-byte frames forwarded, both directions (xdpgen loop)"
                                if d.get("generator") == "xdpgen-loop" else
                                "64-byte frames forwarded (xdpgen live frames)")),
       "title": quote("bench/run %s, %s: %s, median of %d run(s) of %g s"
                      % (d["scenario"], d["date"].replace("T", " ").replace("Z", " UTC"),
                         what or "gen -> switch -> sink over veth", d["runs"], d["seconds"]))}
open(os.path.join(tmp, "plot.gp"), "w").write(gp)
if os.path.dirname(png):
    os.makedirs(os.path.dirname(png), exist_ok=True)
p = subprocess.run(["gnuplot", os.path.join(tmp, "plot.gp")], capture_output=True, text=True)
if p.returncode:
    sys.exit("bench/run %s: gnuplot: %s" % (d["scenario"], p.stderr.strip().splitlines()[-1:]))
print("plot: %s" % png, file=sys.stderr)
PYEOF
}

# bench_xdp: bench_afxdp with the kernel fast paths added (see the header).
bench_xdp() {
	afx_scenario=xdp
	afx_systems_all="xdp-redirect warren-xdp warren-tc warren-afxdp linux-bridge linux-bridge-rps testpmd-afxdp ovs-afxdp"
	afx_systems_smoke="xdp-redirect warren-xdp linux-bridge"
	bench_afxdp
}
