#!/bin/bash
# A tunnel over an IPv6 underlay: two warrend instances, Geneve between
# 2001:db8::1 and 2001:db8::2, one tenant pair in VNI 5010. Next hops by
# neighbour discovery through the underlay ports (the XDP program leaves ND
# to the kernel), ping and iperf3 across, the outer UDP checksum always on
# (IPv6 wants it), 70 bytes of overhead in the MTU.
. "$(dirname "$0")/lib.sh"
test_deadline 90

A=${PFX}a B=${PFX}b UA=${PFX}ua UB=${PFX}ub
mkns "$UA" "$UB" "${PFX}a1" "${PFX}b1"
ip -n "$UA" link add eth0 mtu 1600 type veth peer name eth0 netns "$UB" mtu 1600
for u in "$UA" "$UB"; do
	# mkns turns IPv6 off (quiet hosts); the underlays need it.
	nsx "$u" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0
done
ip -n "$UA" addr add 2001:db8::1/64 dev eth0 nodad && ip -n "$UB" addr add 2001:db8::2/64 dev eth0 nodad
ip -n "$UA" link set eth0 up && ip -n "$UB" link set eth0 up
host_link "$UA" a1 "${PFX}a1" 10.65.0.1/24 02:00:0a:41:00:01
host_link "$UB" b1 "${PFX}b1" 10.65.0.2/24 02:00:0a:41:00:02

for h in a b; do
	s=${PFX}$h; u=${PFX}u$h
	[ $h = a ] && { local6=2001:db8::1; remote6=2001:db8::2; dev=a1; } || { local6=2001:db8::2; remote6=2001:db8::1; dev=b1; }
	sw_start "$s"
	ok "$h: underlay and tenant ports" eval 'sw "$s" port add u netns "$u" dev eth0 &&
		sw "$s" port add t1 netns "$u" dev "$dev" bd 10'
	ok "$h: geneve tunnel over IPv6" wr_api "$s" tunnel.add \
		"{\"name\": \"gn0\", \"type\": \"geneve\", \"underlay\": \"u\", \"local\": \"$local6\", \"udp_csum\": false}"
	ok "$h: VNI and VTEP" eval 'wr_api "$s" vni.set "{\"tunnel\": \"gn0\", \"vni\": 5010, \"bd\": 10}" &&
		wr_api "$s" vtep.add "{\"tunnel\": \"gn0\", \"remote\": \"$remote6\"}"'
done
for s in "$A" "$B"; do
	wait_until 5 '[ "$(swq "$s" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"resolved\"]" tunnel show)" = True ]'
	got=$(swq "$s" 'd["tunnels"][0]["vteps"][0]["nexthop"]["resolved"], d["tunnels"][0]["udp_csum"], d["tunnels"][0]["tenant_mtu"]' tunnel show)
	check "$s: next hop by ND; UDP checksum on whatever was asked; tenants 1530 (got: $got)" \
		'[ "$got" = "True True 1530" ]'
done
ok "a1 pings b1 over the IPv6 underlay" pingr "${PFX}a1" 10.65.0.2
ok "b1 pings a1" pingr "${PFX}b1" 10.65.0.1
ok "1400-byte pings, DF" nsx "${PFX}a1" ping -c 3 -i 0.2 -W 2 -s 1400 -M do 10.65.0.2
iperf_ok "${PFX}b1" 10.65.0.2 "${PFX}a1" 2 "a1 → b1 through Geneve over IPv6" 0.05
for d in tun_udp_csum tun_bad_udp tun_ipv6_ext tun_no_vtep tun_no_vni; do
	check "B dropped nothing as $d" '[ "$(drop "$B" $d)" = 0 ]'
done
