#!/bin/bash
# Interop with a VTEP that is not Warren: warrend on one host, the kernel's
# VXLAN device with a Linux bridge on the other, VNI 5010 between them.
#
#   a1 -- warrend A -- ua:eth0 192.0.2.1 ~~~ uk:eth0 192.0.2.2 -- vx10 -- br10 -- k1
#
# Pings and iperf3 across both ways, what each side learned, and the
# kernel's own decap and encap counters moving. The kernel sends its outer
# UDP checksum as zero (its default for IPv4) and warrend its own: each
# side must take the other's.
. "$(dirname "$0")/lib.sh"
test_deadline 90

A=${PFX}a UA=${PFX}ua UK=${PFX}uk
mkns "$UA" "$UK" "${PFX}a1" "${PFX}k1"
ip -n "$UA" link add eth0 mtu 1600 type veth peer name eth0 netns "$UK" mtu 1600
ip -n "$UA" addr add 192.0.2.1/24 dev eth0 && ip -n "$UK" addr add 192.0.2.2/24 dev eth0
ip -n "$UA" link set eth0 up && ip -n "$UK" link set eth0 up

# The kernel's side: a VXLAN device flooding to warrend, in a bridge with k1.
ip -n "$UK" link add vx10 type vxlan id 5010 local 192.0.2.2 remote 192.0.2.1 dstport 4789 dev eth0
ip -n "$UK" link add br10 type bridge
ip -n "$UK" link set vx10 master br10 && ip -n "$UK" link set vx10 up
host_link "$UK" k1 "${PFX}k1" 10.63.0.2/24 02:00:0a:3f:00:02
ip -n "$UK" link set k1 master br10 && ip -n "$UK" link set br10 up

host_link "$UA" a1 "${PFX}a1" 10.63.0.1/24 02:00:0a:3f:00:01
tun_warrend "$A" "$UA" vx0 vxlan "the kernel"
TUN_DROPS="tun_bad_udp tun_udp_csum vxlan_flags tun_no_vni tun_no_vtep"
declare -A d0
for d in $TUN_DROPS; do d0[$d]=$(drop "$A" $d); done

ok "a1 pings k1 through warrend and the kernel's VXLAN" pingr "${PFX}a1" 10.63.0.2
ok "k1 pings a1" pingr "${PFX}k1" 10.63.0.1
ok "1400-byte pings, DF" nsx "${PFX}a1" ping -c 3 -i 0.2 -W 2 -s 1400 -M do 10.63.0.2

fdb=$(wr_api "$A" fdb.show)
got=$(echo "$fdb" | $PY -c 'import json,sys; d=json.load(sys.stdin)["result"]
print([(e["port"], e.get("remote")) for e in d["entries"] if e["mac"] == "02:00:0a:3f:00:02"])')
check "warrend learned k1 behind the kernel's VTEP (got: $got)" "[ \"\$got\" = \"[('vx0', '192.0.2.2')]\" ]"
check "the kernel learned a1 behind 192.0.2.1" \
	'nsx "$UK" bridge -j fdb show dev vx10 | $PY -c "import json,sys; sys.exit(not any(e.get(\"mac\") == \"02:00:0a:3f:00:01\" and e.get(\"dst\") == \"192.0.2.1\" for e in json.load(sys.stdin)))"'

iperf_ok "${PFX}k1" 10.63.0.2 "${PFX}a1" 2 "a1 → k1, warrend to the kernel's VXLAN" 0.05
iperf_ok "${PFX}a1" 10.63.0.1 "${PFX}k1" 2 "k1 → a1, the kernel's VXLAN to warrend" 0.05
rx=$(ip -n "$UK" -j -s link show vx10 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')
check "the kernel's vx10 decapsulated what warrend sent ($rx frames)" '[ "$rx" -gt 1000 ]'
# (From before the VTEP was added, the kernel's floods count as tun_no_vtep.)
for d in $TUN_DROPS; do
	check "warrend dropped nothing as $d since" '[ "$(drop "$A" $d)" = "${d0[$d]}" ]'
done
ok "A answers" wr_api "$A" health

# learn_vteps: the tunnel made again without a VTEP; the kernel's floods
# from 192.0.2.2 make it one (on the flood list), and traffic flows again.
ok "vx0 made again, learning VTEPs, with no VTEP" eval 'wr_api "$A" tunnel.del "{\"tunnel\": \"vx0\"}" &&
	wr_api "$A" tunnel.add "{\"name\": \"vx0\", \"underlay\": \"u\", \"local\": \"192.0.2.1\", \"learn_vteps\": true}" &&
	wr_api "$A" vni.set "{\"tunnel\": \"vx0\", \"vni\": 5010, \"bd\": 10}"'
nsx "${PFX}k1" ip neigh flush dev eth0
ok "k1 pings a1: its first frames teach warrend the VTEP" pingr "${PFX}k1" 10.63.0.1
got=$(swq "$A" '[(v["remote"], v["learned"], v["flood"]) for v in d["tunnels"][0]["vteps"]]' tunnel show)
check "192.0.2.2 is a learned VTEP on the flood list (got: $got)" "[ \"\$got\" = \"[('192.0.2.2', True, True)]\" ]"
ok "a1 pings k1" pingr "${PFX}a1" 10.63.0.2

# A learned VTEP that goes quiet goes too: once no MAC is learned behind it
# and no frame came from it for the aging time (2 s here). One that a static
# entry names stays.
# Warrend's tick decides it, whatever the fast path: once, in the xdp
# variant (about 8 s of aging).
if [ "$FASTPATH" = xdp ]; then
	vteps() { swq "$A" '[v["remote"] for v in d["tunnels"][0]["vteps"]]' tunnel show; }
	ok "aging 2 s" sw "$A" switch set aging 2
	wait_until 12 '[ "$(vteps)" = "[]" ]'
	check "the quiet learned VTEP aged out (got: $(vteps))" '[ "$(vteps)" = "[]" ]'
	ok "k1 pings a1 again: learned again" pingr "${PFX}k1" 10.63.0.1
	ok "a static entry behind it" wr_api "$A" fdb.add \
		'{"mac": "02:00:0a:3f:00:99", "port": "vx0", "remote": "192.0.2.2", "bd": 10}'
	sleep 6
	got=$(swq "$A" '[(v["remote"], v["learned"]) for v in d["tunnels"][0]["vteps"]]' tunnel show)
	check "a learned VTEP a static entry names stays, no longer learned (got: $got)" \
		"[ \"\$got\" = \"[('192.0.2.2', False)]\" ]"
	ok "aging back to 300 s" sw "$A" switch set aging 300
else
	echo "     (learned VTEPs aging: checked in the xdp variant)"
fi
