#!/bin/bash
# Two "hosts", each an underlay namespace with its own warrend, joined by a
# veth underlay (192.0.2.1 - 192.0.2.2); two tenants per host in two VNIs:
#
#   a1 (bd 10) -+                                          +- b1 (bd 10)
#               +- warrend A - ua:eth0 ~~~ ub:eth0 - warrend B -+
#   a2 (bd 20) -+      VNI 5010 = bd 10, VNI 5020 = bd 20       +- b2 (bd 20)
#
# The four tenants share one subnet, so only the VNIs keep a1/b1 apart
# from a2/b2. Same-VNI tenants ping and run iperf3 across both ways; the
# other VNI is unreachable; remote MACs are learned against the VTEP and
# moved; a broadcast reaches the other host once; a static remote entry
# does not move; frames too big for the underlay are counted, not sent.
# Each VTEP's next hop is resolved by ARP in the underlay namespace, which
# the underlay's XDP program leaves to the kernel while warrend runs.
. "$(dirname "$0")/lib.sh"
test_deadline 150

A=${PFX}a B=${PFX}b UA=${PFX}ua UB=${PFX}ub
mkns "$UA" "$UB" "${PFX}a1" "${PFX}a2" "${PFX}b1" "${PFX}b2"
ip -n "$UA" link add eth0 mtu 1600 type veth peer name eth0 netns "$UB" mtu 1600
ip -n "$UA" addr add 192.0.2.1/24 dev eth0 && ip -n "$UB" addr add 192.0.2.2/24 dev eth0
ip -n "$UA" link set eth0 up && ip -n "$UB" link set eth0 up
host_link "$UA" a1 "${PFX}a1" 10.62.0.1/24 02:00:0a:3e:00:01
host_link "$UA" a2 "${PFX}a2" 10.62.0.3/24 02:00:0a:3e:00:03
host_link "$UB" b1 "${PFX}b1" 10.62.0.2/24 02:00:0a:3e:00:02
host_link "$UB" b2 "${PFX}b2" 10.62.0.4/24 02:00:0a:3e:00:04

# apiq NAME EXPR CMD [ARGS]: EXPR (Python, over d: the result) of one request.
apiq() {
	local out
	out=$(wr_api "$1" "$3" "${4:-}") || { echo "$out" >&2; return 1; }
	$PY -c "import json, sys; d = json.loads(sys.argv[1])['result']; r = ($2)
print(' '.join(map(str, r)) if isinstance(r, tuple) else r)" "$out"
}

# host NAME UNDERLAY LOCAL REMOTE T1 T2: warrend NAME with its underlay, two
# tenants and a tunnel to REMOTE.
host() {
	local s=$1 u=$2 local=$3 remote=$4 t1=$5 t2=$6
	sw_start "$s"
	ok "$s: underlay port" sw "$s" port add u netns "$u" dev eth0
	ok "$s: tenant ports" eval 'sw "$s" port add t1 netns "$u" dev "$t1" bd 10 &&
		sw "$s" port add t2 netns "$u" dev "$t2" bd 20'
	ok "$s: tunnel vx0" wr_api "$s" tunnel.add "{\"name\": \"vx0\", \"underlay\": \"u\", \"local\": \"$local\"}"
	ok "$s: VNIs" eval 'wr_api "$s" vni.set "{\"tunnel\": \"vx0\", \"vni\": 5010, \"bd\": 10}" &&
		wr_api "$s" vni.set "{\"tunnel\": \"vx0\", \"vni\": 5020, \"bd\": 20}"'
	ok "$s: VTEP $remote" wr_api "$s" vtep.add "{\"tunnel\": \"vx0\", \"remote\": \"$remote\"}"
}
host "$A" "$UA" 192.0.2.1 192.0.2.2 a1 a2
host "$B" "$UB" 192.0.2.2 192.0.2.1 b1 b2
for s in "$A" "$B"; do
	wait_until 5 '[ "$(apiq "$s" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"resolved\"]" tunnel.list)" = True ]'
	got=$(apiq "$s" 'd["tunnels"][0]["vteps"][0]["nexthop"]["resolved"], d["tunnels"][0]["mtu"], d["tunnels"][0]["tenant_mtu"]' tunnel.list)
	check "$s: next hop resolved from the underlay's neighbours; MTU 1600, tenants 1550 (got: $got)" \
		'[ "$got" = "True 1600 1550" ]'
done

got=$(apiq "$A" '"%s %s %s" % (d["ports"][0]["underlay_of"], d["ports"][0]["fastpath"], d["ports"][0]["fastpath_why"][:19])' port.list '{"port": "u"}')
# TC keeps its TC (tunnel frames stay whole); anything else runs XDP, which
# sorts them from the kernel's even with the fast path off.
want="vx0 xdp a tunnel's underlay"
[ "$FASTPATH" = tc ] && want="vx0 tc default: TC, TCP ke"
check "the underlay is vx0's, runs $FASTPATH's program (XDP for off), and says why (got: $got)" '[ "$got" = "$want" ]'
ok "ARP and ping on the underlay still reach the kernel" nsx "$UA" ping -c 1 -W 2 192.0.2.2

# A next hop that changes is taken at once (the underlay namespace is
# watched), not at the next look every 5 s.
mac_b=$(ip -n "$UB" -j link show eth0 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
ip -n "$UA" neigh replace 192.0.2.2 lladdr 02:00:00:00:de:ad dev eth0 nud permanent
t0=$(ms)
wait_until 3 '[ "$(apiq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"mac\"]" tunnel.list)" = 02:00:00:00:de:ad ]'
t1=$(ms)
check "A took the new next hop MAC within a second ($((t1 - t0)) ms)" '[ $((t1 - t0)) -lt 1000 ]'
ip -n "$UA" neigh replace 192.0.2.2 lladdr "$mac_b" dev eth0 nud reachable
wait_until 3 '[ "$(apiq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"mac\"]" tunnel.list)" = "$mac_b" ]'
check "and back to B's" '[ "$(apiq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"mac\"]" tunnel.list)" = "$mac_b" ]'

# 1. Same VNI across, both ways; the other VNI not at all.
ok "a1 pings b1 across VNI 5010" pingr "${PFX}a1" 10.62.0.2
ok "b2 pings a2 across VNI 5020" pingr "${PFX}b2" 10.62.0.3
fails "a1 does not reach b2 (VNI 5020)" 1 noping "${PFX}a1" 10.62.0.4
fails "b1 does not reach a2 (VNI 5010)" 1 noping "${PFX}b1" 10.62.0.3
got=$(apiq "$B" '[(e["bd"], e["port"], e.get("remote")) for e in d["entries"] if e["mac"] == "02:00:0a:3e:00:01"]' fdb.show)
check "B learned a1's MAC in bd 10 behind vx0's VTEP 192.0.2.1 (got: $got)" \
	"[ \"\$got\" = \"[(10, 'vx0', '192.0.2.1')]\" ]"
ok "1400-byte pings a1 → b1" nsx "${PFX}a1" ping -c 3 -i 0.2 -W 2 -s 1400 -M do 10.62.0.2

# 2. TCP across, both ways, 2 s each. With fastpath xdp or tc the kernel
# carries a1 → b1 (known unicast both ways): encapsulated on A (t1's fast
# path forwards: XDP, or TC with 64 KB frames the kernel cuts on u's way
# out), decapsulated on B (u's XDP, or TC with the frames whole), the
# answers the other way, and
# neither warrend's VTEP counts a frame of it (a few ARP or stray frames
# at most).
# kcount NAME PORT: the fast path's fwd_pkts of PORT on instance NAME.
kcount() { swq "$1" "d['ports'][0]['fastpath']['fwd_pkts']" port stats "$2"; }
# vcount NAME: the VTEP's rx_pkts + tx_pkts, as warrend counts them.
vcount() { apiq "$1" 'd["tunnels"][0]["vteps"][0]["rx_pkts"] + d["tunnels"][0]["vteps"][0]["tx_pkts"]' tunnel.list; }
k0="$(kcount "$A" t1) $(kcount "$A" u) $(kcount "$B" t1) $(kcount "$B" u)" v0="$(vcount "$A") $(vcount "$B")"
iperf_ok "${PFX}b1" 10.62.0.2 "${PFX}a1" 2 "a1 → b1 through VXLAN" 0.05
k1="$(kcount "$A" t1) $(kcount "$A" u) $(kcount "$B" t1) $(kcount "$B" u)" v1="$(vcount "$A") $(vcount "$B")"
if [ "$FASTPATH" != off ]; then
	read -r at0 au0 bt0 bu0 <<<"$k0"; read -r at1 au1 bt1 bu1 <<<"$k1"
	read -r va0 vb0 <<<"$v0"; read -r va1 vb1 <<<"$v1"
	check "the kernel encapsulated a1's segments on A and decapsulated them on B, and the answers back (fwd_pkts: A t1 +$((at1 - at0)), B u +$((bu1 - bu0)), B t1 +$((bt1 - bt0)), A u +$((au1 - au0)))" \
		'[ $((at1 - at0)) -ge 1000 ] && [ $((bu1 - bu0)) -ge 1000 ] && [ $((bt1 - bt0)) -ge 100 ] && [ $((au1 - au0)) -ge 100 ]'
	check "warrend's VTEPs carried none of it (A +$((va1 - va0)), B +$((vb1 - vb0)) frames)" \
		'[ $((va1 - va0)) -le 10 ] && [ $((vb1 - vb0)) -le 10 ]'
else
	echo "     (skipped: with fastpath off the tenant ports' frames to the VTEP go through warrend)"
fi
iperf_ok "${PFX}a2" 10.62.0.3 "${PFX}b2" 2 "b2 → a2 through VXLAN" 0.05

# 3. A broadcast from a1 reaches B once, b1 once, and never b2.
M=wr$$bum
cap_start b1 "${PFX}b1" eth0 "$M"
cap_start b2 "${PFX}b2" eth0 "$M"
rx0=$(apiq "$B" 'd["tunnels"][0]["vteps"][0]["rx_pkts"]' tunnel.list)
ok "a1 sends one broadcast" frames_send "${PFX}a1" eth0 <<EOF
frames = [Ether(src="02:00:0a:3e:00:01", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"$M" + bytes(40))]
EOF
sleep 1
cap_stop b1; cap_stop b2
rx1=$(apiq "$B" 'd["tunnels"][0]["vteps"][0]["rx_pkts"]' tunnel.list)
check "b1 got it once (got $(cap_count b1))" '[ "$(cap_count b1)" = 1 ]'
check "b2 did not get it (got $(cap_count b2))" '[ "$(cap_count b2)" = 0 ]'
check "B's VTEP received it once (got $((rx1 - rx0)))" '[ $((rx1 - rx0)) = 1 ]'
got=$(apiq "$B" 'd["tunnels"][0]["rx_pkts"] == sum(v["rx_pkts"] for v in d["tunnels"][0]["vteps"]) > 0' tunnel.list)
check "the tunnel's counters are its VTEPs' together (got: $got)" '[ "$got" = True ]'

# 4. A MAC moves from behind the tunnel to a local port, and back.
ok "b1 sends a frame from a1's MAC" frames_send "${PFX}b1" eth0 <<EOF
frames = [Ether(src="02:00:0a:3e:00:01", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"move" + bytes(40))]
EOF
sleep 0.5
got=$(apiq "$B" '[e["port"] for e in d["entries"] if e["mac"] == "02:00:0a:3e:00:01" and e["bd"] == 10]' fdb.show)
check "a1's MAC moved to t1 on B (got: $got)" "[ \"\$got\" = \"['t1']\" ]"
ok "a1 pings b1 again: the MAC moves back behind the VTEP" pingr "${PFX}a1" 10.62.0.2
got=$(apiq "$B" '[(e["port"], e.get("remote")) for e in d["entries"] if e["mac"] == "02:00:0a:3e:00:01" and e["bd"] == 10]' fdb.show)
check "a1's MAC behind the VTEP again (got: $got)" "[ \"\$got\" = \"[('vx0', '192.0.2.1')]\" ]"

# 5. A static remote entry does not move.
ok "static 02:00:0a:3e:00:99 behind A" wr_api "$B" fdb.add '{"mac": "02:00:0a:3e:00:99", "port": "vx0", "remote": "192.0.2.1", "bd": 10}'
frames_send "${PFX}b1" eth0 <<EOF
frames = [Ether(src="02:00:0a:3e:00:99", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"nomove" + bytes(40))]
EOF
sleep 0.5
got=$(apiq "$B" '[(e["port"], e["static"]) for e in d["entries"] if e["mac"] == "02:00:0a:3e:00:99"]' fdb.show)
check "the static entry stayed behind the VTEP (got: $got)" "[ \"\$got\" = \"[('vx0', True)]\" ]"

# 6. Too big for the underlay: counted, never sent.
ip -n "${PFX}a1" link set eth0 mtu 1600 && ip -n "$UA" link set a1 mtu 1600
big0=$(drop "$A" tun_too_big)
nsx "${PFX}a1" ping -c 2 -i 0.2 -W 1 -s 1560 -M do 10.62.0.2 >/dev/null 2>&1
big1=$(drop "$A" tun_too_big)
check "A dropped the 1588-byte frames as tun_too_big (+$((big1 - big0)))" '[ $((big1 - big0)) -ge 2 ]'

# 7. The underlay is the tunnel's; the tunnel goes, with its VTEP's entries.
fails "port del u while the tunnel holds it" 1 sw "$A" port del u
ok "tunnel.del on B" wr_api "$B" tunnel.del '{"tunnel": "vx0"}'
got=$(apiq "$B" 'sum(1 for e in d["entries"] if e.get("remote"))' fdb.show)
check "B has no entry behind a VTEP left (got: $got)" '[ "$got" = 0 ]'
ok "port del u on B" sw "$B" port del u
ok "A answers" wr_api "$A" health
