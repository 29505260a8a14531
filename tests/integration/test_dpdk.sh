#!/bin/bash
# DPDK ports (warrend's EAL with its defaults: no hugepage, no PCI):
# - net_tap ports whose TAPs the PMD makes inside two host namespaces:
#   ping and iperf3 through the switch;
# - a net_af_xdp port on a veth in the switch namespace (its peer prepared
#   by `port add`), and a plain AF_XDP port beside it in one bridge domain:
#   pings across, the copies between the two buffer pools counted;
# - the virtual lab: dpdk-testpmd over net_memif, one testpmd sending
#   (txonly), one counting what the switch delivered (rxonly); the
#   sender's MAC learned, in `fdb show`;
# - bad devargs and an ethdev taken twice refused with a sentence; port del
#   and stop leave no TAP, no XDP program and no socket behind.
. "$(dirname "$0")/lib.sh"
test_deadline 150
[ "${WARREN_DPDK:-1}" = 1 ] || skip "this build has no DPDK (libdpdk-dev not found, or -Ddpdk=disabled)"
command -v dpdk-testpmd >/dev/null || skip "dpdk-testpmd is not installed (apt-get install dpdk)"

S=${PFX}d
SW=${PFX}sw
H1=${PFX}h1 H2=${PFX}h2 H3=${PFX}h3 H4=${PFX}h4
mkns "$SW" "$H1" "$H2" "$H3" "$H4"
host_link "$SW" v3 "$H3" 10.57.0.3/24 02:00:0a:39:00:03
host_link "$SW" v4 "$H4" 10.57.0.4/24 02:00:0a:39:00:04
ep_prep "$H4"
sw_start "$S"

# --- net_tap: the PMD makes each TAP in its host's namespace ---------------
ok "port add t1 type dpdk devargs net_tap1,iface=dt1 netns h1" \
	sw "$S" port add t1 type dpdk devargs net_tap1,iface=dt1 netns "$H1"
ok "port add t2 type dpdk devargs net_tap2,iface=dt2 netns h2" \
	sw "$S" port add t2 type dpdk devargs net_tap2,iface=dt2 netns "$H2"
check "dt1 exists in h1, made by the PMD" 'ip -n "$H1" link show dt1 >/dev/null'
check "nothing of it in the root namespace" '! ip link show dt1 >/dev/null 2>&1'
ip -n "$H1" link set dt1 address 02:00:0a:39:00:01
ip -n "$H2" link set dt2 address 02:00:0a:39:00:02
ip -n "$H1" addr add 10.57.0.1/24 dev dt1 && ip -n "$H1" link set dt1 up
ip -n "$H2" addr add 10.57.0.2/24 dev dt2 && ip -n "$H2" link set dt2 up
port=$(swq "$S" '"%s/%s/%s/%s/%s" % (d["ports"][0]["type"], d["ports"][0]["dev"], d["ports"][0]["driver"], d["ports"][0]["fastpath"], d["ports"][0]["link"])' port show t1)
check "t1: dpdk/net_tap1/net_tap/off/up (got $port)" '[ "$port" = dpdk/net_tap1/net_tap/off/up ]'
ok "h1 pings h2 through two net_tap ports" pingr "$H1" 10.57.0.2
iperf_ok "$H2" 10.57.0.2 "$H1" 2 "h1 -> h2 through the net_tap ports" 0.05
rx=$(pstat "$S" t1 rx_pkts) drx=$(pstat "$S" t1 driver.rx_good_packets)
check "t1 counted the stream ($rx frames), as the PMD did ($drx)" \
	'[ "${rx:-0}" -gt 10000 ] && [ "$rx" = "$drx" ]'

# --- net_af_xdp on a veth, and a plain AF_XDP port in the same domain ------
ok "port add x3 type dpdk devargs net_af_xdp0,iface=v3 netns sw" \
	sw "$S" port add x3 type dpdk devargs net_af_xdp0,iface=v3 netns "$SW"
check "port add turned the veth peer's TX checksum offload off" \
	'nsx "$H3" ethtool -k eth0 | grep -q "^tx-checksumming: off"'
check "net_af_xdp attached its program to v3, in sw" 'ip -n "$SW" link show v3 | grep -q "prog/xdp"'
ok "port add p4 (afxdp, warren's own AF_XDP)" sw "$S" port add p4 netns "$SW" dev v4
ok "h3 (net_af_xdp) pings h1 (net_tap)" pingr "$H3" 10.57.0.1
iperf_ok "$H1" 10.57.0.1 "$H3" 2 "h3 -> h1, net_af_xdp to net_tap" 0.05
copies0=$(pstat "$S" p4 copies)
ok "h4 (AF_XDP) pings h1 (DPDK net_tap)" pingr "$H4" 10.57.0.1
ok "h4 pings h3 (DPDK net_af_xdp)" pingr "$H4" 10.57.0.3
ok "50 pings h4 -> h1" nsx "$H4" ping -q -c 50 -i 0.01 -W 2 10.57.0.1
copies1=$(pstat "$S" p4 copies)
check "p4's frames copied into DPDK mbufs are counted ($copies0 -> $copies1)" \
	'[ $((copies1 - copies0)) -ge 50 ]'

# --- the virtual lab: testpmd over net_memif ------------------------------
MS=$TMP/memif.sock
ok "port add m0 type dpdk devargs $(memif "$MS" 0 server)" \
	sw "$S" port add m0 type dpdk devargs "$(memif "$MS" 0 server)"
ok "port add m1 type dpdk devargs $(memif "$MS" 1 server)" \
	sw "$S" port add m1 type dpdk devargs "$(memif "$MS" 1 server)"
check "the memif socket is there" '[ -S "$MS" ]'
testpmd_memif "$S" "$MS" m0 m1 t1

# --- two workers: a port's frames from the other worker are handed over --
S2=${PFX}w
sw_start "$S2" --cores 0,1
ok "port add u1 (net_tap in h1) on $S2" sw "$S2" port add u1 type dpdk devargs net_tap5,iface=du1 netns "$H1"
ok "port add u2 (net_tap in h2) on $S2" sw "$S2" port add u2 type dpdk devargs net_tap6,iface=du2 netns "$H2"
workers=$(swq "$S2" '" ".join(str(p["worker"]) for p in d["ports"])' port show)
check "u1 and u2 have different workers (got: $workers)" '[ "$workers" = "0 1" ]'
ip -n "$H1" addr add 10.58.0.1/24 dev du1 && ip -n "$H1" link set du1 up
ip -n "$H2" addr add 10.58.0.2/24 dev du2 && ip -n "$H2" link set du2 up
ok "h1 pings h2 across the two workers" pingr "$H1" 10.58.0.2
iperf_ok "$H2" 10.58.0.2 "$H1" 2 "h1 -> h2 across the two workers" 0.05
# Worker 0 receives h1's stream on u1; u2's owner, worker 1, sends it.
read -r tx good hdrop hfull <<<"$(swq "$S2" '(d["ports"][0]["tx_pkts"], d["ports"][0]["driver"]["tx_good_packets"], d["ports"][0]["driver"]["handoff_drops"], d["ports"][0]["driver"]["handoff_full"])' port stats u2)"
echo "     u2: the switch sent $tx, the PMD $good; handoff drops $hdrop, ring full $hfull"
check "worker 1 sent on u2 what worker 0 handed over ($good = $tx - $hdrop)" \
	'[ "${good:-0}" -gt 10000 ] && [ "$good" -eq $((tx - hdrop)) ]'
ok "$S2 stops" sw_stop "$S2"

# --- refusals --------------------------------------------------------------
fails "devargs naming no driver is refused" 1 sw "$S" port add bad type dpdk devargs net_nosuchpmd0
check "... with the probe's reason" 'last_out | grep -q "port bad: devargs .net_nosuchpmd0.: probe:"'
fails "an ethdev already a port is refused" 1 sw "$S" port add again type dpdk devargs net_tap1
check "... naming the port (t1)" 'last_out | grep -q "already port t1"'
fails "devargs on an afxdp port is refused (usage)" 2 sw "$S" port add q type afxdp devargs net_tap9

# --- nothing left behind ---------------------------------------------------
ok "port del t1" sw "$S" port del t1
check "dt1 is gone from h1" 'wait_until 3 "! ip -n $H1 link show dt1 >/dev/null 2>&1"'
ok "port del x3" sw "$S" port del x3
check "v3's XDP program is gone" 'wait_until 3 "! ip -n $SW link show v3 | grep -q prog/xdp"'
ok "port add t1 again (the name and the vdev are free)" \
	sw "$S" port add t1 type dpdk devargs net_tap1,iface=dt1 netns "$H1"
ok "warrend stops on SIGTERM" sw_stop "$S"
check "dt1 and dt2 went with it" '! ip -n "$H1" link show dt1 2>/dev/null && ! ip -n "$H2" link show dt2 2>/dev/null'
check "the memif socket went with it" '[ ! -e "$MS" ]'
check "no DPDK runtime files left for this instance" '[ ! -e "/var/run/dpdk/warren-$S" ] || [ -z "$(ls -A "/var/run/dpdk/warren-$S" 2>/dev/null)" ]'
check "testpmd left no runtime directory" '! ls /var/run/dpdk 2>/dev/null | grep -qF -- "$PFX"'
