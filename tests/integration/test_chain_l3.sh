#!/bin/bash
# A service chain through a router (an l3 hop, docs/chains.md), in the
# kernel fast path's mode of this run:
#
#   h1 10.63.1.1/24 --- p1 --+                      +-- p2 --- h2 10.63.2.1/24
#                            +---- warrend, bd 1 ---+
#                        r1i | ^ r1o     (each in a bridge domain of its own
#                            v |          until the chain takes them)
#              eth0 10.63.1.254  eth1 10.63.2.254: a router, namespace r
#
# h1's gateway is 10.63.1.253, a neighbour entry with a MAC nobody has:
# without the switch's rewrite of the destination MAC to the router's, h1
# reaches nobody. h2's gateway is the router's eth1, found by ARP across
# bd 1 (the router is a host of the chain's domain). Checked: the MACs the
# chain took from the veths' far ends, h1 and h2 both ways through the
# router (TTL one less), its neighbours resolved and its MACs learned on
# its ports, iperf3 through it, a hop down that fails closed, the chain
# deleted (the fake gateway is a dead end again).
. "$(dirname "$0")/lib.sh"
test_deadline 120
command -v iperf3 >/dev/null || skip "iperf3 not installed: make deps"

S=${PFX}s
SW=${PFX}sw
R=${PFX}r
mkns "$SW" "$R"
hosts "$SW" 2 10.63.0
ok "h1 in 10.63.1.0/24" nsx "${PFX}h1" ip addr replace 10.63.1.1/24 dev eth0
ok "h2 in 10.63.2.0/24" nsx "${PFX}h2" ip addr replace 10.63.2.1/24 dev eth0
for i in 1 2; do nsx "${PFX}h$i" ip addr del 10.63.0.$i/24 dev eth0; done
ok "h1: gateway 10.63.1.253" nsx "${PFX}h1" ip route add default via 10.63.1.253
ok "h1: its MAC is nobody's" nsx "${PFX}h1" ip neigh replace 10.63.1.253 lladdr 02:00:00:00:fe:fe \
	dev eth0 nud permanent
ok "h2: gateway the router" nsx "${PFX}h2" ip route add default via 10.63.2.254

# The router: eth0 and eth1, the far ends of r1i and r1o.
router() {
	ip -n "$SW" link add r1i type veth peer name eth0 netns "$R" &&
	ip -n "$SW" link add r1o type veth peer name eth1 netns "$R" &&
	ip -n "$R" addr add 10.63.1.254/24 dev eth0 && ip -n "$R" addr add 10.63.2.254/24 dev eth1 &&
	ip -n "$R" link set eth0 up && ip -n "$R" link set eth1 up &&
	ip -n "$SW" link set r1i up && ip -n "$SW" link set r1o up &&
	nsx "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2
}
ok "router r" router
rmac() { nsx "$R" cat "/sys/class/net/$1/address"; }

sw_start "$S"
ok "port add p1" sw "$S" port add p1 netns "$SW" dev h1
ok "port add p2" sw "$S" port add p2 netns "$SW" dev h2
ok "port add r1i (bd 101)" sw "$S" port add r1i netns "$SW" dev r1i bd 101
ok "port add r1o (bd 102)" sw "$S" port add r1o netns "$SW" dev r1o bd 102
fails "no chain: h1 cannot reach h2 (its gateway's MAC is nobody's)" 1 \
	nsx "${PFX}h1" ping -c 1 -W 1 10.63.2.1

ok "chain add rt (kind l3)" sw "$S" chain add rt bd 1 src 10.63.1.0/24 dst 10.63.2.0/24 \
	hop in=r1i,out=r1o,kind=l3,fail=closed
hopv() { swq "$S" "d['chains'][0]['hops'][0]['$1']" chain show; }
hopd() { swq "$S" "d['chains'][0]['hops'][0]['$1']['$2']" chain show; }
check "in_mac is the router's eth0 ($(hopv in_mac))" '[ "$(hopv in_mac)" = "$(rmac eth0)" ]'
check "out_mac is the router's eth1 ($(hopv out_mac))" '[ "$(hopv out_mac)" = "$(rmac eth1)" ]'

ok "h1 pings h2 through the router" pingr "${PFX}h1" 10.63.2.1
check "the answer crossed a router (ttl=63)" \
	'nsx "${PFX}h1" ping -c 1 -W 2 10.63.2.1 | grep -q "ttl=63"'
check "forward and reverse into the router ($(hopd forward into), $(hopd reverse into))" \
	'[ "$(hopd forward into)" -ge 2 ] && [ "$(hopd reverse into)" -ge 2 ]'
check "the router found h1 and h2 by ARP across bd 1" \
	'nsx "$R" ip neigh show 10.63.1.1 | grep -q lladdr && nsx "$R" ip neigh show 10.63.2.1 | grep -q lladdr'
fdbp() { swq "$S" "[e['port'] for e in d['entries'] if e['mac'] == '$1'][0]" fdb show; }
check "its MACs learned on its ports in bd 1 ($(fdbp "$(rmac eth0)") $(fdbp "$(rmac eth1)"))" \
	'[ "$(fdbp "$(rmac eth0)") $(fdbp "$(rmac eth1)")" = "r1i r1o" ]'
kfwd() { swq "$S" "(d['ports'][0]['fastpath'] or {}).get('tx_pkts', 0)" port stats "$1"; }
if [ "$FASTPATH" != off ]; then
	check "the router's ARP went up to warrend, to be bridged (up reason chain)" \
		'[ "$(swq "$S" "d[\"fastpath\"][\"up\"][\"chain\"]" stats)" -gt 0 ]'
	check "the kernel sent the chain's frames into the router, both ways ($(kfwd r1i) $(kfwd r1o))" \
		'[ "$(kfwd r1i)" -ge 1 ] && [ "$(kfwd r1o)" -ge 1 ]'
fi
iperf_ok "${PFX}h2" 10.63.2.1 "${PFX}h1" 2 "through the router"

ok "chain hop rt 0 down" sw "$S" chain hop rt 0 down
d0=$(drop "$S" chain_hop_down)
fails "h1 cannot reach h2: the router's hop fails closed" 1 nsx "${PFX}h1" ping -c 2 -i 0.2 -W 1 10.63.2.1
check "chain_hop_down counted them" '[ $(($(drop "$S" chain_hop_down) - d0)) -ge 2 ]'
ok "chain hop rt 0 up" sw "$S" chain hop rt 0 up
ok "h1 pings h2 again" pingr "${PFX}h1" 10.63.2.1

ok "chain del rt" sw "$S" chain del rt
check "the router's MACs forgotten" \
	'! swq "$S" "[e[\"port\"] for e in d[\"entries\"] if e[\"port\"] in (\"r1i\", \"r1o\")][0]" fdb show'
fails "h1 cannot reach h2 again" 1 nsx "${PFX}h1" ping -c 1 -W 1 10.63.2.1
ok "warrend stops on SIGTERM" sw_stop "$S"
