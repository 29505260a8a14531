#!/bin/bash
# A service chain (docs/chains.md) of two transparent hops through warrend,
# in the kernel fast path's mode of this run:
#
#   h1 (client) --- p1 --+                         +-- p2 --- h2 (server)
#                        +------ warrend, bd 1 ----+
#        f1i  f1o  f2i  f2o: hop ports, each in a bridge domain of its own
#         |    |    |    |
#        [br0 + nftables]  [br0]     f1: a firewall (stateful, port 5202
#         hop 0: ns f1     hop 1: ns f2   blocked, a named counter), f2: a bridge
#
# The chain takes IPv4 between h1 and h2 (ARP is bridged): ping and iperf3
# cross both hops, whose counters move both ways; the firewall's
# conntrack sees no invalid packet (warrend delivers complete checksums
# into hops); a connection to 5202 fails and the firewall's counter moves.
# Hop 1 down with fail open is bypassed (ping goes on), with fail closed
# its frames are dropped (chain_hop_down), and up again restores them; its
# carrier lost counts as down. The chain deleted, h1 and h2 are bridged.
# Two chains through one hop namespace (a bridge each) keep their flows
# apart: counters per chain, per hop and per interface in the hop.
. "$(dirname "$0")/lib.sh"
test_deadline 170
command -v nft >/dev/null || skip "nft (nftables) not installed: make deps"
command -v iperf3 >/dev/null || skip "iperf3 not installed: make deps"

S=${PFX}s
SW=${PFX}sw
F1=${PFX}f1
F2=${PFX}f2
mkns "$SW" "$F1" "$F2"
hosts "$SW" 2 10.62.0

# hop NS IN OUT [BR FIN FOUT]: veths IN and OUT in the switch's namespace,
# their far ends FIN and FOUT (eth0, eth1) bridged by BR (br0) in NS.
hop() {
	local ns=$1 in=$2 out=$3 br=${4:-br0} fin=${5:-eth0} fout=${6:-eth1}
	ip -n "$SW" link add "$in" type veth peer name "$fin" netns "$ns" &&
	ip -n "$SW" link add "$out" type veth peer name "$fout" netns "$ns" &&
	ip -n "$ns" link add "$br" type bridge &&
	ip -n "$ns" link set "$fin" master "$br" && ip -n "$ns" link set "$fout" master "$br" &&
	ip -n "$ns" link set "$br" up && ip -n "$ns" link set "$fin" up &&
	ip -n "$ns" link set "$fout" up && ip -n "$SW" link set "$in" up &&
	ip -n "$SW" link set "$out" up
}
ok "hop f1 (a bridge)" hop "$F1" f1i f1o
ok "hop f2 (a bridge)" hop "$F2" f2i f2o
# A second way through f1, for a second chain sharing its function: br1.
ok "f1: a second bridge (eth2, eth3)" hop "$F1" g1i g1o br1 eth2 eth3

# The firewall in f1: bridged IPv4 through its inet hooks (br_netfilter).
ok "f1: bridged IPv4 through netfilter" nsx "$F1" sysctl -qw net.bridge.bridge-nf-call-iptables=1
ok "f1: a stateful firewall" nsx "$F1" nft -f - <<'NFT'
table inet fw {
	counter invalid {}
	counter blocked {}
	chain forward_filter {
		type filter hook forward priority 0; policy accept;
		ct state invalid counter name invalid drop
		ct state established,related accept
		tcp dport 5202 counter name blocked drop
	}
}
NFT
nftc() { nsx "$F1" nft list counter inet fw "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }

sw_start "$S"
ok "port add p1" sw "$S" port add p1 netns "$SW" dev h1
ok "port add p2" sw "$S" port add p2 netns "$SW" dev h2
bd=100
for p in f1i f1o f2i f2o g1i g1o; do
	bd=$((bd + 1))
	ok "port add $p (bd $bd, alone)" sw "$S" port add $p netns "$SW" dev $p bd $bd
done
for i in 1 2; do ep_prep "${PFX}h$i"; done
ok "h1 pings h2, bridged" pingr "${PFX}h1" 10.62.0.2

CHAIN=(bd 1 src 10.62.0.1/32 dst 10.62.0.2/32 hop in=f1i,out=f1o hop in=f2i,out=f2o)
ok "chain add fw" sw "$S" chain add fw "${CHAIN[@]}"
ok "chain show" sw "$S" chain show
check "chain show lists both hops, up" \
	"last_out | grep -q '^  0 *f1i *f1o *l2 *open *up' && last_out | grep -q '^  1 *f2i *f2o *l2 *open *up'"
fails "a hop port cannot be deleted" 1 sw "$S" port del f1o
check "the refusal names the chain" "last_out | grep -q 'a port of chain fw'"
# hopv HOP KEY, hopd HOP DIR KEY: a hop's value, a hop's counter in direction DIR.
hopv() { swq "$S" "d['chains'][0]['hops'][$1]['$2']" chain show; }
hopd() { swq "$S" "d['chains'][0]['hops'][$1]['$2']['$3']" chain show; }

ok "h1 pings h2 through the chain" pingr "${PFX}h1" 10.62.0.2
ok "5 more pings" nsx "${PFX}h1" ping -c 5 -i 0.2 -W 2 10.62.0.2
for h in 0 1; do
	for dir in forward reverse; do
		check "hop $h: frames into it and back, $dir ($(hopd $h $dir into), $(hopd $h $dir back))" \
			'[ "$(hopd $h $dir into)" -ge 5 ] && [ "$(hopd $h $dir back)" -ge 5 ]'
	done
done
# kfwd PORT: what the kernel fast path sent out of PORT.
kfwd() { swq "$S" "(d['ports'][0]['fastpath'] or {}).get('tx_pkts', 0)" port stats "$1"; }
if [ "$FASTPATH" != off ]; then
	check "the kernel sent the chain's frames into both hops and out of them ($(kfwd f1i) $(kfwd f2i) $(kfwd p2))" \
		'[ "$(kfwd f1i)" -ge 5 ] && [ "$(kfwd f2i)" -ge 5 ] && [ "$(kfwd p2)" -ge 5 ]'
fi

# TCP through both hops: the firewall's conntrack finds every packet valid.
iperf_ok "${PFX}h2" 10.62.0.2 "${PFX}h1" 3 "through the chain"
check "the firewall saw no invalid packet (ct state invalid: $(nftc invalid))" '[ "$(nftc invalid)" = 0 ]'
fwd0=$(hopd 0 forward into)
check "hop 0 carried the stream (forward into $fwd0)" '[ "$fwd0" -gt 1000 ]'

# Port 5202 is blocked in the firewall: the connection fails, its counter moves.
b0=$(nftc blocked)
timeout 20 ip netns exec "${PFX}h2" iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
spid=$!
on_exit "kill $spid 2>/dev/null"
wait_until 5 'nsx "${PFX}h2" ss -Hltn "sport = :5202" | grep -q .'
fails "a connection to 5202 fails (its SYNs dropped: timed out)" 124 nsx "${PFX}h1" timeout 3 bash -c 'exec 3<>/dev/tcp/10.62.0.2/5202'
kill $spid 2>/dev/null
check "the firewall's blocked counter moved ($b0 -> $(nftc blocked))" '[ "$(nftc blocked)" -gt "$b0" ]'

# Hop 1 down, fail open: bypassed, ping goes on.
ok "chain hop fw 1 down" sw "$S" chain hop fw 1 down
into1=$(hopd 1 forward into)
ok "h1 pings h2, hop 1 bypassed" nsx "${PFX}h1" ping -c 3 -i 0.2 -W 2 10.62.0.2
check "hop 1: state down, admin down" '[ "$(hopv 1 state) $(hopv 1 admin)" = "down down" ]'
check "hop 1: bypassed both ways ($(hopd 1 forward bypassed), $(hopd 1 reverse bypassed))" \
	'[ "$(hopd 1 forward bypassed)" -ge 3 ] && [ "$(hopd 1 reverse bypassed)" -ge 3 ]'
check "nothing sent into it" '[ "$(hopd 1 forward into)" = "$into1" ]'

ok "chain hop fw 1 up" sw "$S" chain hop fw 1 up

# Its carrier gone: down too.
ok "f2's eth0 down" ip -n "$F2" link set eth0 down
check "hop 1 down by its link" 'wait_until 5 "[ \"\$(hopv 1 link)\" = down ]"'
ok "h1 pings h2 past it" nsx "${PFX}h1" ping -c 2 -i 0.2 -W 2 10.62.0.2
ok "f2's eth0 up" ip -n "$F2" link set eth0 up
check "hop 1 up again" 'wait_until 5 "[ \"\$(hopv 1 state)\" = up ]"'

# The chain again with hop 1 failing closed: down drops, up restores.
ok "chain del fw" sw "$S" chain del fw
ok "chain add fw, hop 1 fail closed" sw "$S" chain add fw bd 1 src 10.62.0.1/32 dst 10.62.0.2/32 \
	hop in=f1i,out=f1o hop in=f2i,out=f2o,fail=closed
ok "h1 pings h2 through it" pingr "${PFX}h1" 10.62.0.2
ok "chain hop fw 1 down" sw "$S" chain hop fw 1 down
d0=$(drop "$S" chain_hop_down)
fails "h1 cannot ping h2: hop 1 fails closed" 1 nsx "${PFX}h1" ping -c 3 -i 0.2 -W 1 10.62.0.2
check "chain_hop_down counted them ($d0 -> $(drop "$S" chain_hop_down))" \
	'[ $(($(drop "$S" chain_hop_down) - d0)) -ge 3 ]'
check "and hop 1 did ($(hopd 1 forward dropped))" '[ "$(hopd 1 forward dropped)" -ge 3 ]'
ok "chain hop fw 1 up" sw "$S" chain hop fw 1 up
ok "h1 pings h2 again" pingr "${PFX}h1" 10.62.0.2

# Deleted: plain bridging, no hop sees a frame, the hop ports are free.
ok "chain del fw" sw "$S" chain del fw
check "no chain left" '[ "$(swq "$S" "d[\"count\"]" chain show)" = 0 ]'
ok "h1 pings h2, bridged again" pingr "${PFX}h1" 10.62.0.2
rx0=$(swq "$S" "[p for p in d['ports'] if p['name'] == 'f1i'][0]['tx_pkts']" port stats)
ok "5 more pings" nsx "${PFX}h1" ping -c 5 -i 0.2 -W 2 10.62.0.2
check "none of them went into f1" \
	'[ "$(swq "$S" "[p for p in d[\"ports\"] if p[\"name\"] == \"f1i\"][0][\"tx_pkts\"]" port stats)" = "$rx0" ]'
for p in f2i f2o; do
	ok "port del $p" sw "$S" port del $p
done
ok "health" wr_api "$S" health
check "health: ok" '[ "$(json "d[\"result\"][\"status\"]")" = ok ]'

# Two chains through one namespace, f1 (its firewall too), each by ports of
# its own: ca UDP to 5201 by f1i/f1o (br0: eth0, eth1), cb UDP to 5202 by
# g1i/g1o (br1: eth2, eth3). Both flows at once, 30 and 50 datagrams, each
# echoed: every counter of a chain and of its hop counts its own flow
# alone, and in f1 each flow crossed only its own chain's interfaces.
ok "f1: counters per flow and interface" nsx "$F1" nft -f - <<NFT
table bridge cnt {
$(for f in a:5201 b:5202; do for i in 0 1 2 3; do echo "counter ${f%:*}_eth$i {}"; done; done)
	chain forward {
		type filter hook forward priority 0; policy accept;
$(for f in a:5201 b:5202; do for i in 0 1 2 3; do for d in dport sport; do
	echo "iifname eth$i udp $d ${f#*:} counter name ${f%:*}_eth$i"; done; done; done)
	}
}
NFT
ok "chain add ca (UDP to 5201, f1's br0)" sw "$S" chain add ca bd 1 proto 17 dst-port 5201 hop in=f1i,out=f1o
ok "chain add cb (UDP to 5202, f1's br1)" sw "$S" chain add cb bd 1 proto 17 dst-port 5202 hop in=g1i,out=g1o
timeout 10 ip netns exec "${PFX}h2" $PY -c '
import select, socket, time
ss = []
for port in (5201, 5202):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.62.0.2", port)); ss.append(s)
end = time.monotonic() + 8
while time.monotonic() < end:
    for s in select.select(ss, [], [], 0.2)[0]:
        d, a = s.recvfrom(2048); s.sendto(d, a)
' &
spid=$!
on_exit "kill $spid 2>/dev/null"
wait_until 5 '[ "$(nsx "${PFX}h2" ss -Hlun "sport >= :5201 and sport <= :5202" | wc -l)" = 2 ]'
ok "h1: 30 datagrams to 5201 and 50 to 5202, interleaved, all echoed" nsx "${PFX}h1" $PY -c '
import select, socket, sys, time
want = {5201: 30, 5202: 50}
ss = {}
for port in want:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("10.62.0.2", port)); ss[port] = s
for i in range(max(want.values())):
    for port, n in want.items():
        if i < n:
            ss[port].send(b"x" * 64)
got = {p: 0 for p in want}
end = time.monotonic() + 3
while got != want and time.monotonic() < end:
    for port, s in ss.items():
        if s in select.select(list(ss.values()), [], [], 0.2)[0]:
            s.recv(2048); got[port] += 1
print(got); sys.exit(got != want)
'
kill $spid 2>/dev/null
# Per chain: matched both ways, its hop's into and back both ways.
chainc() {
	swq "$S" "tuple(str(c['matched']['forward']) + '/' + str(c['matched']['reverse']) + ' ' +
		' '.join(str(c['hops'][0][d][k]) for d in ('forward', 'reverse') for k in ('into', 'back'))
		for c in sorted(d['chains'], key=lambda c: c['name']))" chain show
}
check "ca counts its 30 alone, cb its 50 ($(chainc))" \
	'[ "$(chainc)" = "30/30 30 30 30 30 50/50 50 50 50 50" ]'
f1cnt() { nsx "$F1" nft list table bridge cnt | awk '$1 == "counter" { n = $2 } $1 == "packets" { printf "%s=%s ", n, $2 }'; }
check "f1: a crossed eth0 and eth1 alone, b eth2 and eth3 ($(f1cnt))" \
	'[ "$(f1cnt)" = "a_eth0=30 a_eth1=30 a_eth2=0 a_eth3=0 b_eth0=0 b_eth1=0 b_eth2=50 b_eth3=50 " ]'
for c in ca cb; do
	ok "chain del $c" sw "$S" chain del $c
done

# Stopped with a chain: its ports go too, their devices put back as warrend found them.
ok "chain add fw over f1 alone" sw "$S" chain add fw bd 1 proto 1 dst 10.62.0.2/32 hop in=f1i,out=f1o
txc() { nsx "$F1" ethtool -k eth0 | sed -n 's/^tx-checksumming: \([a-z]*\).*/\1/p'; }
[ "$FASTPATH" = tc ] || check "f1's eth0: TX checksum offload off while warrend serves it" '[ "$(txc)" = off ]'
ok "warrend stops on SIGTERM" sw_stop "$S"
check "f1's eth0: TX checksum offload on again" '[ "$(txc)" = on ]'
check "warrend's log: its ports deleted, f1i among them" 'grep -q "port f1i: deleted" "$TMP/$S.log"'

