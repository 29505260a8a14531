#!/bin/bash
# docs/examples/nfv.yaml end to end, in the kernel fast path's mode of this
# run: a client, a firewall (l2 hop: a bridge with stateful nftables), a
# load balancer (l3 hop: nftables numgen DNAT of a VIP over two servers), a
# WireGuard gateway pair (two l3 hops, wireguard-go over TUN) and two
# servers behind it, all set up by the lab's run commands.
#
# Checked: `lab up` makes the chain of four hops, up; 20 HTTP connections
# to the VIP are split over both servers (each answers with its name) and
# the lb's DNAT counted each; a connection to the blocked port 5202 is
# dropped in the firewall (its named counter moves, and the chain's
# counters agree: the frames went into the fw hop, none came back); the
# link between vpn-a and vpn-b carries WireGuard's UDP only, no TCP
# (tshark on vpn-b's in); iperf3 through the whole chain moves data; every
# hop carried frames both ways; `lab down` ends every process of the lab
# (wireguard-go, the web servers, iperf3) and leaves nothing.
. "$(dirname "$0")/lib.sh"
test_deadline 60
for c in nft iperf3 curl tshark wireguard-go wg nsenter; do
	command -v $c >/dev/null || skip "$c not installed: make deps"
done

# The example with this run's prefix and fast path, next to its files
# (run commands read them from the lab file's folder).
cp "$EXAMPLES"/chain-fw.nft "$EXAMPLES"/nfv-* "$TMP"/
lab=$TMP/nfv-test.yaml
sed -e "s/^prefix: nf-$/prefix: $PFX/" -e "s/^switch:$/switch:\n  fastpath: $FASTPATH/" \
	"$EXAMPLES/nfv.yaml" >"$lab"
S=${PFX}nfv
VIP=10.90.5.80
export WARREND
on_exit "rm -f '$WR_RUN/$S.log'"
on_exit "sw_stop '$S'"	# should lab down not stop it
t0=$(ms)
lab_up "$lab" 7>&-	# (7: see lib.sh)
echo "     lab up: $(($(ms) - t0)) ms"
check "the lab's warrend runs, fast path $FASTPATH" \
	'[ -n "$(sw_pid "$S")" ] && [ "$(swq "$S" "d[\"ports\"][0][\"fastpath\"]" port show)" = "$FASTPATH" ]'
listening() { nsx "$PFX$1" ss -Hltn "sport = :$2" | grep -q .; }
check "srv1 and srv2 serve HTTP and iperf3" \
	'wait_until 5 "listening srv1 80 && listening srv2 80 && listening srv1 5201"'

hopv() { swq "$S" "d['chains'][0]['hops'][$1]['$2']" chain show; }
hopd() { swq "$S" "d['chains'][0]['hops'][$1]['$2']['$3']" chain show; }
kinds=$(swq "$S" "' '.join('%s/%s/%s' % (h['in'], h['kind'], h['state']) for h in d['chains'][0]['hops'])" chain show)
check "chain nfv: fw l2, lb, vpn-a, vpn-b l3, all up ($kinds)" \
	'[ "$kinds" = "fw-in/l2/up lb-in/l3/up va-in/l3/up vb-in/l3/up" ]'

# The VPN leg, captured on vpn-b's in while the traffic below crosses it.
VB=${PFX}vpn-b
timeout 30 ip netns exec "$VB" tshark -i in -s 128 -c 20000 -a duration:20 -w "$TMP/vpn.pcap" \
	>"$TMP/tshark.out" 2>&1 &
tpid=$!
on_exit "kill $tpid 2>/dev/null"
check "tshark captures on vpn-b's in" 'wait_until 10 "grep -q Capturing $TMP/tshark.out"'

# The split: 20 short connections, each server answers some.
for i in $(seq 20); do nsx "${PFX}client" curl -s -m 2 "http://$VIP/"; done >"$TMP/split"
n1=$(grep -cx srv1 "$TMP/split") n2=$(grep -cx srv2 "$TMP/split")
check "20 HTTP connections to the VIP: both servers answered, 20 in all (srv1 $n1, srv2 $n2)" \
	'[ "$n1" -ge 1 ] && [ "$n2" -ge 1 ] && [ $((n1 + n2)) = 20 ]'
nftc() { nsx "$PFX$1" nft list counter "$2" "$3" "$4" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
check "the lb's DNAT counted 20 ($(nftc lb ip lb web))" '[ "$(nftc lb ip lb web)" = 20 ]'

iperf3_vip() {
	timeout 15 ip netns exec "${PFX}client" iperf3 -c "$VIP" -t 2 -J >"$TMP/iperf.json" 2>&1 &&
		$PY -c "import json, sys; d = json.load(open(sys.argv[1]))
print('%.3f' % (d['end']['sum_received']['bits_per_second'] / 1e9))" "$TMP/iperf.json"
}
gbps=$(iperf3_vip)
rc=$?
echo "     iperf3 TCP client -> VIP (srv1) through fw, lb, vpn-a, vpn-b, 2 s: ${gbps:-?} Gbit/s"
check "iperf3 through the whole chain moves data (${gbps:-no result} Gbit/s)" \
	"[ $rc = 0 ] && awk 'BEGIN { exit !(${gbps:-0} > 0) }'"
for h in 0 1 2 3; do
	for dir in forward reverse; do
		check "hop $h ($(hopv $h in)): frames into it and back, $dir ($(hopd $h $dir into), $(hopd $h $dir back))" \
			'[ "$(hopd $h $dir into)" -gt 20 ] && [ "$(hopd $h $dir back)" -gt 20 ]'
	done
done

kill -INT $tpid 2>/dev/null
wait $tpid 2>/dev/null
# Each frame's protocols and UDP destination port, in one pass.
tshark -r "$TMP/vpn.pcap" -T fields -e frame.protocols -e udp.dstport >"$TMP/vpn.txt" 2>/dev/null
alln=$(wc -l <"$TMP/vpn.txt")
wgn=$(awk -F'\t' '$2 == 51820' "$TMP/vpn.txt" | wc -l)
tcpn=$(awk -F'\t' '$1 ~ /:tcp(:|$)/' "$TMP/vpn.txt" | wc -l)
check "the VPN leg carried UDP to WireGuard's port ($wgn of $alln frames)" '[ "$wgn" -gt 100 ]'
check "and no TCP ($tcpn)" '[ "$tcpn" = 0 ]'

# Port 5202: dropped in the firewall, before the lb; the chain saw it go in
# and nothing come back.
b0=$(nftc fw inet fw blocked) i0=$(hopd 0 forward into) k0=$(hopd 0 forward back)
fails "a connection to the VIP's port 5202 is dropped (timed out)" 124 \
	nsx "${PFX}client" timeout 2 bash -c "exec 3<>/dev/tcp/$VIP/5202"
b=$(($(nftc fw inet fw blocked) - b0)) i=$(($(hopd 0 forward into) - i0)) k=$(($(hopd 0 forward back) - k0))
check "the firewall's blocked counter moved ($b)" '[ "$b" -ge 1 ]'
check "the fw hop took them in ($i) and gave none back ($k)" '[ "$i" -ge "$b" ] && [ "$k" = 0 ]'

# Down: every process the run commands started ends, nothing is left.
pids=""
for ns in client fw lb vpn-a vpn-b srv1 srv2 sw; do pids="$pids $(ip netns pids "$PFX$ns" | tr '\n' ' ')"; done
names=$(for p in $pids; do cat /proc/$p/comm; done 2>/dev/null | sort | tr '\n' ' ')
check "the lab runs wireguard-go twice, the web servers and iperf3 ($names)" \
	'[ "$(echo "$names" | grep -o wireguard-go | wc -l)" = 2 ] && [[ "$names" == *python3* ]] && [[ "$names" == *iperf3* ]]'
t0=$(ms)
ok "lab down" "$WARREN" lab down "$lab"
echo "     lab down: $(($(ms) - t0)) ms"
# live PIDS: those still running (a zombie waits for its reaper, it runs no more).
live() { local p; for p; do [ -d /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status 2>/dev/null && echo $p; done; }
check "every process of the lab ended ($(live $pids))" '[ -z "$(live $pids)" ]'
check "its warrend is gone" '[ -z "$(sw_pid "$S")" ]'
nothing_left
