# SPDX-License-Identifier: BSD-3-Clause
# bench/overlay.sh - `bench/run overlay`, sourced by bench/run (which sets
# top, build, json, reps, seconds, systems, smoke, gen; see its header).
#
# Two hosts, underlay namespaces ${pfx}ha (192.0.2.1) and ${pfx}hb
# (192.0.2.2) joined by a veth (eth0 at both ends, MTU 1600, so that the
# tenants keep 1500 under 50 bytes of VXLAN); one tenant on each, as in
# bench/afxdp.sh: ${pfx}gen (10.77.0.1/24) behind the veth ${pfx}g in
# ${pfx}ha, ${pfx}sink (10.77.0.2/24) behind ${pfx}s in ${pfx}hb. VNI 5001
# carries them across. Each system in turn on the same namespaces and veths:
#
#   warren-xdp     warrend on each host (two instances, `--fastpath xdp`):
#   warren-tc      ports u (the underlay's eth0, the tunnel's) and t (the
#   warren-afxdp   tenant's veth, bridge domain 1), tunnel vx0 with VNI 5001
#                  = bd 1 and the other host's VTEP; the three differ only
#                  in --fastpath xdp, tc, off: known unicast is
#                  encapsulated and decapsulated by XDP programs, by TC
#                  programs (TCP's 64 KB frames whole across the underlay),
#                  or by warrend's userspace.
#   kernel-vxlan   on each host a kernel VXLAN device (VNI 5001, dstport
#                  4789, remote the other host) in a Linux bridge with the
#                  tenant's veth; its work runs in the sender's softirq.
#   ovs-vxlan      Open vSwitch, userspace datapath, on each host: br-int
#                  (tenant veth as an afxdp port, a vxlan port) and br-phy
#                  (eth0 as an afxdp port; the local address moves to
#                  br-phy's internal port, where OVS's native tunnels want
#                  it); the other VTEP's MAC given by tnl/arp/set.
#   warren-l2      the reference for the tunnel's cost: ONE warrend, the
#                  two tenant veths as its ports (each in its host's
#                  namespace), plain L2 in bridge domain 1, fast path off,
#                  no tunnel.
#
# Pinned: warrend (both instances), ovs-vswitchd and its PMD threads on
# core 1; xdpgen, iperf3 client and server on core 0. The kernel's own work
# (kernel-vxlan entirely, the fast paths' XDP and TC programs, veth
# delivery) runs in softirq wherever the sender runs, mostly core 0.
#
# Loads (bench/afxdp.sh's afx_tcp and afx_udp, gen -> sink): iperf3 one TCP
# stream, and bench/xdpgen 60-byte frames (64 on a wire) as --gen says,
# counted at the sink's XDP or, for frames a TC program put into its
# ingress (warren-tc), its tcx.
# Ratios: warren-xdp and warren-tc against kernel-vxlan, warren-afxdp
# (userspace encap + decap) against warren-l2, each with issue 15's goal.
#
# Everything is made with the prefix ${pfx} (bo<pid>-) and removed on every
# way out; the root namespace gets no address and no route.

. "$top/bench/afxdp.sh"

pfx="bo$$-"
afx_scenario=overlay
afx_loads="tcp 64"
afx_idle_s=0
afx_systems_all="warren-xdp warren-tc warren-afxdp kernel-vxlan ovs-vxlan warren-l2"
afx_systems_smoke="warren-afxdp kernel-vxlan"
ov_vni=5001
ov_ip_a=192.0.2.1 ov_ip_b=192.0.2.2
ov_warrends=()		# the warrend instances up: "NAME:PID"

ov_cleanup() {
	afx_cleanup
	ip netns del "${pfx}ha" 2>/dev/null
	ip netns del "${pfx}hb" 2>/dev/null
}

# ov_topology: the four namespaces, the underlay veth and the tenants' veths.
ov_topology() {
	local n h
	for n in gen sink ha hb; do
		ip netns add "${pfx}$n" || return 1
		ip -n "${pfx}$n" link set lo up
		afx_nsx "${pfx}$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	ip -n "${pfx}ha" link add eth0 mtu 1600 type veth peer name eth0 netns "${pfx}hb" mtu 1600 || return 1
	ip -n "${pfx}ha" addr add $ov_ip_a/24 dev eth0 || return 1
	ip -n "${pfx}hb" addr add $ov_ip_b/24 dev eth0 || return 1
	ip -n "${pfx}gen" link add eth0 type veth peer name "${pfx}g" netns "${pfx}ha" || return 1
	ip -n "${pfx}sink" link add eth0 type veth peer name "${pfx}s" netns "${pfx}hb" || return 1
	ip -n "${pfx}gen" addr add 10.77.0.1/24 dev eth0 || return 1
	ip -n "${pfx}sink" addr add 10.77.0.2/24 dev eth0 || return 1
	# GRO on every veth end, up first (afx_topology says why): NAPI for XDP
	# and AF_XDP transmits, and the kernel's UDP tunnel GRO on the underlay.
	for n in gen:eth0 sink:eth0 ha:eth0 hb:eth0 ha:${pfx}g hb:${pfx}s; do
		h=${n%%:*}
		ip -n "${pfx}$h" link set "${n#*:}" up || return 1
		afx_nsx "${pfx}$h" ethtool -K "${n#*:}" gro on >/dev/null || return 1
	done
}

# afx_csum SYS (bench/afxdp.sh's, for these systems): the tenants' TX
# checksum offload and TSO on where skbs cross whole (kernel-vxlan; and
# warren-tc, whose TC program keeps them), off where an XDP or AF_XDP hop
# would leave unfinished checksums.
afx_csum() {
	local n on=off
	case $1 in kernel-vxlan|warren-tc) on=on ;; esac
	for n in gen sink; do
		afx_nsx "${pfx}$n" ethtool -K eth0 tx $on >/dev/null || return 1
	done
}

# ---------------------------------------------------------------- systems

# ov_warrend NAME MODE: warrend NAME on core 1, --fastpath MODE.
ov_warrend() {
	local pid
	afx_warren_built || { echo "not built ($build/dataplane/warrend and 'warren -S NAME port add')" >&2; return 1; }
	taskset -c 1 timeout 30 "$build/dataplane/warrend" --name "$1" --daemon --cores 1 \
		--fastpath "$2" --log-file "$tmp/$1.log" >&2 || return 1
	pid=$(cat "/run/warren/$1.pid" 2>/dev/null)
	[ -n "$pid" ] || { echo "warrend $1 started but left no pid file" >&2; return 1; }
	ov_warrends+=("$1:$pid")
}

# ov_w NAME ARGS...: one warren command to NAME; its error, not the usage hint.
ov_w() {
	local name=$1
	shift
	timeout 20 "$build/control/warren" -S "$name" "$@" >"$tmp/w.log" 2>&1 && return 0
	echo "$name: $*: $(grep -v -e "^Try '" -e '^$' "$tmp/w.log" | tail -1)" >&2
	return 1
}

# ov_host NAME MODE NS TENANT LOCAL REMOTE: warrend NAME in host NS: the
# underlay, the tenant's port, the tunnel and its VTEP.
ov_host() {
	ov_warrend "$1" "$2" &&
		ov_w "$1" port add u netns "$3" dev eth0 &&
		ov_w "$1" port add t netns "$3" dev "$4" bd 1 &&
		ov_w "$1" tunnel add vx0 underlay u local "$5" &&
		ov_w "$1" vni set vx0 $ov_vni bd 1 &&
		ov_w "$1" vtep add vx0 "$6"
}

ov_start_warren() {
	ov_host "${pfx}wa" "$1" "${pfx}ha" "${pfx}g" $ov_ip_a $ov_ip_b &&
		ov_host "${pfx}wb" "$1" "${pfx}hb" "${pfx}s" $ov_ip_b $ov_ip_a
}

# ov_stop_warren: every instance up, stopped (it puts back what it changed
# on the veths' far ends), then reaped.
ov_stop_warren() {
	local w
	for w in "${ov_warrends[@]}"; do
		timeout 15 "$build/control/warren" -S "${w%%:*}" switch stop >/dev/null 2>&1 ||
			kill -TERM "${w#*:}" 2>/dev/null
	done
	for w in "${ov_warrends[@]}"; do afx_reap "${w#*:}"; done
	ov_warrends=()
}

afx_start_warren_xdp() { ov_start_warren xdp; }
afx_start_warren_tc() { ov_start_warren tc; }
afx_start_warren_afxdp() { ov_start_warren off; }
afx_stop_warren_xdp() { ov_stop_warren; }
afx_stop_warren_tc() { ov_stop_warren; }
afx_stop_warren_afxdp() { ov_stop_warren; }

afx_start_warren_l2() {
	ov_warrend "${pfx}wa" off &&
		ov_w "${pfx}wa" port add g netns "${pfx}ha" dev "${pfx}g" bd 1 &&
		ov_w "${pfx}wa" port add s netns "${pfx}hb" dev "${pfx}s" bd 1
}
afx_stop_warren_l2() { ov_stop_warren; }

# kernel-vxlan: vx0 and br0 in each host.
ov_kvx() {
	ip -n "$1" link add vx0 type vxlan id $ov_vni local "$2" remote "$3" dstport 4789 dev eth0 &&
		ip -n "$1" link add br0 type bridge &&
		ip -n "$1" link set vx0 master br0 &&
		ip -n "$1" link set "$4" master br0 &&
		ip -n "$1" link set vx0 up &&
		ip -n "$1" link set br0 up
}
afx_start_kernel_vxlan() {
	ov_kvx "${pfx}ha" $ov_ip_a $ov_ip_b "${pfx}g" && ov_kvx "${pfx}hb" $ov_ip_b $ov_ip_a "${pfx}s"
}
afx_stop_kernel_vxlan() {
	local h
	for h in ha hb; do
		ip -n "${pfx}$h" link del br0 2>/dev/null
		ip -n "${pfx}$h" link del vx0 2>/dev/null
	done
	return 0
}

# ovs-vxlan: per host H an ovsdb-server and an ovs-vswitchd in ${pfx}hH,
# each with its own database, run directory (bridges' sockets), logs and
# control sockets in $tmp/ovs-H; vswitchd and its PMD thread on core 1.
ov_ovs_hosts=""		# the hosts whose OVS was started
ov_ovs_env() { echo "OVS_RUNDIR=$1 OVS_DBDIR=$1 OVS_LOGDIR=$1 OVS_SYSCONFDIR=$1"; }
ov_vsctl() { local h=$1; shift; ovs-vsctl --db="unix:$tmp/ovs-$h/db.sock" --timeout=10 "$@"; }

# ov_ovs_host H LOCAL REMOTE TENANT: br-phy holds eth0 and LOCAL (moved
# from eth0 to its internal port, where OVS's native tunnels look for the
# local VTEP's route), br-int the tenant's veth and vx0; both netdev.
ov_ovs_host() {
	local h=$1 d=$tmp/ovs-$1 ns=${pfx}h$1 p mac
	mkdir -p "$d"
	ov_ovs_hosts="$ov_ovs_hosts $h"
	ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ip netns exec "$ns" env $(ov_ovs_env "$d") ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
		--pidfile="$d/ovsdb-server.pid" --unixctl="$d/ovsdb-server.ctl" \
		--log-file="$d/ovsdb-server.log" --no-chdir --detach 2>/dev/null || return 1
	ov_vsctl "$h" --no-wait -- init -- set Open_vSwitch . other_config:pmd-cpu-mask=0x2 || return 1
	ip netns exec "$ns" env $(ov_ovs_env "$d") taskset -c 1 ovs-vswitchd "unix:$d/db.sock" \
		--pidfile="$d/ovs-vswitchd.pid" --unixctl="$d/ovs-vswitchd.ctl" \
		--log-file="$d/ovs-vswitchd.log" --no-chdir --detach 2>/dev/null || return 1
	mac=$(afx_nsx "$ns" cat /sys/class/net/eth0/address)
	ov_vsctl "$h" add-br br-phy -- set bridge br-phy datapath_type=netdev fail_mode=standalone \
		other_config:hwaddr="$mac" -- add-br br-int -- set bridge br-int datapath_type=netdev \
		fail_mode=standalone || return 1
	for p in br-phy:eth0 br-int:$4; do
		ov_vsctl "$h" add-port "${p%%:*}" "${p#*:}" -- set interface "${p#*:}" type=afxdp \
			options:xdp-mode=best-effort options:n_rxq=1 || return 1
		[ -z "$(ov_vsctl "$h" get interface "${p#*:}" error 2>/dev/null | tr -d '[]"')" ] ||
			{ echo "ovs: ${p#*:}: $(ov_vsctl "$h" get interface "${p#*:}" error)" >&2; return 1; }
	done
	ov_vsctl "$h" add-port br-int vx0 -- set interface vx0 type=vxlan options:remote_ip="$3" \
		options:local_ip="$2" options:key=$ov_vni options:dst_port=4789 || return 1
	ip -n "$ns" addr del "$2/24" dev eth0 || return 1
	ip -n "$ns" addr add "$2/24" dev br-phy && ip -n "$ns" link set br-phy up || return 1
}

# ov_ovs_tnl H REMOTE MAC: the route and the neighbour of REMOTE for OVS's
# tunnel (its own tables, not the kernel's).
ov_ovs_tnl() {
	local c=$tmp/ovs-$1/ovs-vswitchd.ctl
	ovs-appctl -t "$c" ovs/route/add "$2/32" br-phy >/dev/null 2>&1
	ovs-appctl -t "$c" tnl/arp/set br-phy "$2" "$3" >/dev/null || return 1
}

afx_start_ovs_vxlan() {
	command -v ovs-vswitchd >/dev/null || { echo "ovs-vswitchd not installed (openvswitch-switch)" >&2; return 1; }
	ov_ovs_host a $ov_ip_a $ov_ip_b "${pfx}g" && ov_ovs_host b $ov_ip_b $ov_ip_a "${pfx}s" &&
		ov_ovs_tnl a $ov_ip_b "$(afx_nsx "${pfx}hb" cat /sys/class/net/eth0/address)" &&
		ov_ovs_tnl b $ov_ip_a "$(afx_nsx "${pfx}ha" cat /sys/class/net/eth0/address)"
}

afx_stop_ovs_vxlan() {
	local h d p ip t
	for h in $ov_ovs_hosts; do
		d=$tmp/ovs-$h
		afx_ovs_exit "$d"
		# Debian's OVS 3.1 leaves its XDP programs behind at times (as
		# bench/afxdp.sh's afx_stop_ovs_afxdp says).
		ip=$ov_ip_a t=${pfx}g
		[ "$h" = b ] && ip=$ov_ip_b t=${pfx}s
		for p in eth0 "$t"; do ip -n "${pfx}h$h" link set dev "$p" xdp off 2>/dev/null; done
		# Its TAPs stay too (br-phy with the local address and its route).
		for p in br-phy br-int ovs-netdev; do ip -n "${pfx}h$h" link del "$p" 2>/dev/null; done
		# The local address back on eth0.
		ip -n "${pfx}h$h" addr add "$ip/24" dev eth0 2>/dev/null
		rm -rf "$d"
	done
	ov_ovs_hosts=""
	return 0
}

# ov_system SYS: bench/afxdp.sh's afx_system (start, loads, stop), then a
# look for what the system may have left on the hosts' devices.
ov_system() {
	local h
	afx_system "$1"
	for h in ha hb; do
		afx_nsx "${pfx}$h" ip link show | grep -q 'prog/xdp' || continue
		echo "$1: left an XDP program in ${pfx}$h" >&2
		[ -f "$tmp/res/$1/error" ] || echo "left an XDP program in host $h" >"$tmp/res/$1/error"
		afx_nsx "${pfx}$h" sh -c 'for d in $(ls /sys/class/net); do ip link set dev $d xdp off; done' 2>/dev/null
	done
}

bench_overlay() {
	local sys
	afx_begin 5 ov_cleanup
	ov_topology || { echo "bench/run overlay: could not build the topology" >&2; exit 1; }
	for sys in $systems; do ov_system "$sys"; done
	python3 "$top/bench/overlay_report.py" "$tmp/res" "$systems" "$reps" "$seconds" "$json" \
		"$(date -u +%Y-%m-%dT%H:%MZ)" "xdpgen-$afx_gen" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
		"$(uname -r)"
}
