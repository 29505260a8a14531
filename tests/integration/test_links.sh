#!/bin/bash
# warren link/addr/route/sysctl one by one: every kind, every setting, the
# kinds this kernel may lack, and the JSON each show prints.
. "$(dirname "$0")/lib.sh"

A=${PFX}a
B=${PFX}b
for ns in $A $B; do
	ok "netns add $ns" "$WARREN" netns add $ns
	on_exit "ip netns del $ns"
done
W() { "$WARREN" "$@"; }

# veth across two namespaces, nothing in the root namespace on the way
ok "veth a:eth0 <-> b:eth0" W -n $A link add eth0 type veth peer eth0 peer-netns $B
check "a:eth0 is a veth" 'ip -n $A -d link show eth0 | grep -q veth'
check "b:eth0 is its peer" 'ip -n $B -d link show eth0 | grep -q veth'
fails "adding it again fails" 1 W -n $A link add eth0 type veth peer eth9 peer-netns $B
check "and says it exists" 'last_out | grep -qi exist'

# settings
ok "set mtu, mac, up" W -n $A link set eth0 mtu 1400 address 02:00:00:00:aa:01 up
ok "link show -j eth0" W -j -n $A link show eth0
got=$(json '[(l["mtu"], l["address"], l["up"], l["kind"]) for l in d if l["ifname"] == "eth0"][0]')
check "mtu 1400, mac, up, veth" '[ "$got" = "1400 02:00:00:00:aa:01 True veth" ]'
keys=$(json '" ".join(sorted(d[0].keys()))')
check "link show keys" '[ "$keys" = "address carrier ifindex ifname kind master mtu operstate up" ]'
ok "rename" W -n $A link set eth0 name lan0
check "renamed" 'ip -n $A link show lan0 >/dev/null'
fails "bad MTU is a usage error" 2 W -n $A link set lan0 mtu huge
fails "bad MAC is a usage error" 2 W -n $A link set lan0 address 02:00:00:00:00
fails "too small MTU is refused by the kernel" 1 W -n $A link set lan0 mtu 10

# addresses and routes
ok "addr add v4" W -n $A addr add 192.0.2.1/24 dev lan0
ok "addr add v6" W -n $A addr add 2001:db8::1/64 dev lan0
fails "addr add twice fails" 1 W -n $A addr add 192.0.2.1/24 dev lan0
ok "addr show -j" W -j -n $A addr show dev lan0
got=$(json '" ".join(sorted("%s/%s/%s" % (a["family"], a["address"], a["prefixlen"]) for a in d if a["scope"] == "global"))')
check "both addresses listed" '[ "$got" = "inet/192.0.2.1/24 inet6/2001:db8::1/64" ]'
ok "b side" W -n $B addr add 192.0.2.2/24 dev eth0
ok "b up" W -n $B link set eth0 up
ok "a pings b" pings $A 192.0.2.2
ok "route add default v4" W -n $A route add default via 192.0.2.2
ok "route add v6 with metric" W -n $A route add 2001:db8:99::/48 via 2001:db8::2 dev lan0 metric 77
ok "route show -j" W -j -n $A route show
got=$(json '" ".join(sorted("%s>%s" % (r["dst"], r["gateway"]) for r in d if r["gateway"]))')
check "both routes listed" '[ "$got" = "2001:db8:99::/48>2001:db8::2 default>192.0.2.2" ]'
check "metric 77 kept" 'ip -n $A -6 route show 2001:db8:99::/48 | grep -q "metric 77"'
ok "route del" W -n $A route del default via 192.0.2.2
check "default route gone" '[ -z "$(ip -n $A route show default)" ]'
ok "addr del" W -n $A addr del 192.0.2.1/24 dev lan0
check "address gone" '! ip -n $A addr show lan0 | grep -q 192.0.2.1/'

# sysctl
ok "sysctl set" W -n $A sysctl set net.ipv4.ip_forward=1
ok "sysctl get" W -j -n $A sysctl get net.ipv4.ip_forward
v=$(json 'd["net.ipv4.ip_forward"]')
check "forwarding on in a" '[ "$v" = 1 ]'
check "and off in b (per namespace)" '[ "$(ip netns exec $B cat /proc/sys/net/ipv4/ip_forward)" = 0 ]'
fails "non-net sysctl refused" 2 W -n $A sysctl get kernel.hostname
fails "unknown key fails" 1 W -n $A sysctl get net.ipv4.no_such_key

# bridge, tap, tun, vxlan, macvlan (on a veth end)
ok "bridge" W -n $A link add br0 type bridge
ok "veth pair as lower devices" W -n $A link add d0 type veth peer d1
ok "enslave lan0 to br0" W -n $A link set lan0 master br0
check "lan0's master is br0" 'ip -n $A link show lan0 | grep -q "master br0"'
ok "release lan0" W -n $A link set lan0 nomaster
check "lan0 has no master" '! ip -n $A link show lan0 | grep -q master'
ok "tap with owner" W -n $A link add tap0 type tap owner 1234 group 4321
check "tap0 owner 1234" '[ "$(ip netns exec $A cat /sys/class/net/tap0/owner)" = 1234 ]'
check "tap0 group 4321" '[ "$(ip netns exec $A cat /sys/class/net/tap0/group)" = 4321 ]'
check "tap0 is a tap" 'ip -n $A -d link show tap0 | grep -q "tun type tap"'
ok "tun" W -n $A link add tun0 type tun
check "tun0 is a tun" 'ip -n $A -d link show tun0 | grep -q "tun type tun"'
ok "vxlan" W -n $A link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 remote 192.0.2.2
check "vxlan id 42 dstport 4789" 'ip -n $A -d link show vx0 | grep -q "vxlan id 42 remote 192.0.2.2 local 192.0.2.1.*dstport 4789"'
for mode in private vepa bridge; do
	ok "macvlan mode $mode" W -n $A link add mv-$mode type macvlan link d0 mode $mode
	check "  ... is macvlan mode $mode" 'ip -n $A -d link show mv-$mode | grep -q "macvlan mode $mode"'
done
ok "macvlan mode passthru" W -n $A link add mv-pt type macvlan link d1 mode passthru
check "  ... is macvlan mode passthru" 'ip -n $A -d link show mv-pt | grep -q "macvlan mode passthru"'
fails "macvlan on a missing lower" 1 W -n $A link add mv-x type macvlan link nope0

# Kinds this kernel may lack: created if it has them, else a message naming the support.
kind_or_missing() {	# KIND CONFIG ARGS...
	local kind=$1 cfg=$2 rc; shift 2
	W -n $A link add "x-$kind" type $kind "$@" >"$TMP/out" 2>&1; rc=$?
	if [ $rc = 0 ]; then
		check "$kind: created (this kernel has it)" 'ip -n $A -d link show x-$kind | grep -q " $kind "'
	else
		check "$kind: exit 1 naming $cfg" '[ $rc = 1 ] && last_out | grep -q "$cfg"'
		check "$kind: nothing half made" '! ip -n $A link show x-$kind >/dev/null 2>&1'
	fi
}
kind_or_missing dummy CONFIG_DUMMY
kind_or_missing vlan CONFIG_VLAN_8021Q link d0 id 10
kind_or_missing ipvlan CONFIG_IPVLAN link d0

# ipvlan's modes and flags as iproute2 takes them: made with them, or refused
# as ip is refused, naming what the kernel lacks.
i=0
for args in "mode l2" "mode l3s private" "vepa mode l3" "bridge" ""; do
	i=$((i + 1))
	mode=$(echo "$args" | sed -n 's/.*mode \(l[23]s*\).*/\1/p')
	flag=$(echo "$args" | grep -ow 'bridge\|private\|vepa')
	W -n $A link add iv$i type ipvlan link d0 $args >"$TMP/out" 2>&1; rc=$?
	ipout=$(ip -n $A link add ipiv$i link d0 type ipvlan $args 2>&1); iprc=$?
	ip -n $A link del ipiv$i >/dev/null 2>&1
	check "ipvlan ${args:-(defaults)}: made or refused as ip is (warren $rc, ip $iprc)" \
		'[ $((rc == 0)) = $((iprc == 0)) ]'
	# ip took the same words: if refused, then by the kernel, not by its parser
	check "  ... words ip takes too" '[ $iprc = 0 ] || echo "$ipout" | grep -q "Unknown device type"'
	if [ $rc = 0 ]; then
		check "  ... is ipvlan mode ${mode:-l3} ${flag:-bridge}" \
			'ip -n $A -d link show iv$i | grep -q "ipvlan  *mode ${mode:-l3} ${flag:-bridge}"'
		W -n $A link del iv$i
	else
		check "  ... exit 1 naming CONFIG_IPVLAN" \
			'[ $rc = 1 ] && last_out | grep -q "create ipvlan: .*(kernel lacks IPVLAN support: CONFIG_IPVLAN)"'
		check "  ... nothing half made" '! ip -n $A link show iv$i >/dev/null 2>&1'
	fi
done
fails "ipvlan: a flag given as a mode is a usage error" 2 W -n $A link add iv9 type ipvlan link d0 mode vepa
check "  ... that says so" 'last_out | grep -q "flags, given without .mode."'
fails "ipvlan: two flags are a usage error" 2 W -n $A link add iv9 type ipvlan link d0 private vepa
kind_or_missing geneve CONFIG_GENEVE id 7 remote 192.0.2.2

# move and delete
ok "move tun0 to b" W -n $A link set tun0 netns $B
check "tun0 now in b" 'ip -n $B link show tun0 >/dev/null && ! ip -n $A link show tun0 >/dev/null 2>&1'
ok "del veth end in a" W -n $A link del lan0
check "the peer went too" '! ip -n $B link show eth0 >/dev/null 2>&1'
fails "del of a missing device fails" 1 W -n $A link del lan0
ok "netns del" W netns del $A $B
nothing_left
