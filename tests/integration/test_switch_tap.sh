#!/bin/bash
# A TAP port: a persistent TAP device in a namespace, with an address, added
# to warrend with type tap, pings a veth host through the switch (both
# ways); frames too big for its buffers are counted; deleting the port leaves
# the TAP device where it was.
. "$(dirname "$0")/lib.sh"
test_deadline 60

S=${PFX}s
SW=${PFX}sw
TN=${PFX}t
mkns "$SW" "${PFX}h1" "$TN"
host_link "$SW" h1 "${PFX}h1" 10.54.0.1/24 02:00:0a:36:00:01
ep_prep "${PFX}h1"
ok "tuntap add tap0 (persistent) in $TN" ip -n "$TN" tuntap add dev tap0 mode tap
ip -n "$TN" link set tap0 address 02:00:0a:36:00:09
ip -n "$TN" addr add 10.54.0.9/24 dev tap0
ip -n "$TN" link set tap0 up
sw_start "$S"
ok "port add p1 (afxdp)" sw "$S" port add p1 netns "$SW" dev h1
ok "port add t0 type tap" sw "$S" port add t0 netns "$TN" dev tap0 type tap
# The TAP's operational state follows its new carrier through the kernel's
# linkwatch, which may batch it for up to a second.
tport() { swq "$S" '"%s/%s/%s/%s" % (d["ports"][0]["type"], d["ports"][0]["mode"], d["ports"][0]["link"], d["ports"][0]["xdp_mode"])' port show t0; }
check "t0 is a tap port, up within 3 s, without XDP" 'wait_until 3 "[ \"\$(tport)\" = tap/tap/up/None ]"'
echo "     t0: $(tport)"
check "tap0 has carrier now that warrend holds it" \
	'wait_until 5 "ip -n $TN link show tap0 | grep -q LOWER_UP"'

ok "the tap namespace pings h1" pingr "$TN" 10.54.0.1
ok "h1 pings the tap namespace" pingr "${PFX}h1" 10.54.0.9
ok "fdb show -j" sw "$S" -j fdb show
fdb=$(json '" ".join(sorted("%s@%s" % (e["mac"], e["port"]) for e in d["entries"]))')
check "fdb: h1's MAC on p1, tap0's on t0 (got: $fdb)" '[ "$fdb" = "02:00:0a:36:00:01@p1 02:00:0a:36:00:09@t0" ]'
ok "200 pings of 1400 bytes, 0.01 s apart" nsx "${PFX}h1" ping -q -c 200 -i 0.01 -s 1400 -W 2 10.54.0.9
loss=$(last_out | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
echo "     200 pings of 1400 bytes h1 -> tap: ${loss:-?}% loss"
check "most of them came back (loss ${loss:-?}% < 10%)" '[ -n "$loss" ] && awk "BEGIN { exit !($loss < 10) }"'
gbps=$(iperf_tcp "$TN" 10.54.0.9 "${PFX}h1" 2)
rc=$?
echo "     iperf3 TCP h1 -> tap, 2 s: ${gbps:-?} Gbit/s"
check "iperf3 runs through the tap port (${gbps:-no result} Gbit/s)" \
	'[ $rc = 0 ] && awk "BEGIN { exit !(${gbps:-0} > 0) }"'
ok "port stats t0 -j" sw "$S" -j port stats t0
st=$(json 'd["ports"][0]["rx_pkts"] > 0 and d["ports"][0]["tx_pkts"] > 0')
check "t0 counts frames both ways" '[ "$st" = True ]'

# Frames bigger than the tap driver's buffers (2 KiB) from the tap side:
# dropped, and counted in the port's drops (never silent).
ip -n "$TN" link set tap0 mtu 9000
drops0=$(pstat "$S" t0 drops)
tx0=$(nsx "$TN" cat /sys/class/net/tap0/statistics/tx_packets)
M=wr$$big
cap_start h1 "${PFX}h1" eth0 "$M"
ok "the tap side sends 3 frames of 3000 and 3 of 6000 bytes" frames_send "$TN" tap0 <<EOF
frames = [Ether(src="02:00:0a:36:00:09", dst="02:00:0a:36:00:01", type=0x88b5) / Raw(b"$M" + bytes(n)) for n in (3000, 6000) for i in range(3)]
EOF
tx1=$(nsx "$TN" cat /sys/class/net/tap0/statistics/tx_packets)
check "the tap device handed them to warrend (tx_packets $tx0 -> $tx1)" '[ $((tx1 - tx0)) -ge 6 ]'
wait_until 3 '[ $(($(pstat "$S" t0 drops) - drops0)) -ge 6 ]'
drops1=$(pstat "$S" t0 drops)
echo "     t0: drops $drops0 -> $drops1, driver counters: $(swq "$S" 'd["ports"][0]["driver"]' port stats t0)"
check "the port's drops counted the 6 (got +$((drops1 - drops0)))" '[ $((drops1 - drops0)) = 6 ]'
sleep 0.2
cap_stop h1
check "h1 got none of them" '[ "$(cap_count h1)" = 0 ]'
ip -n "$TN" link set tap0 mtu 1500
ok "the tap namespace still pings h1" pingr "$TN" 10.54.0.1

# Deleting the port releases the device and leaves it in place.
ok "port del t0" sw "$S" port del t0
check "tap0 is still there" 'ip -n "$TN" link show tap0 >/dev/null'
check "tap0 lost its carrier (nobody holds it)" \
	'wait_until 5 "ip -n $TN link show tap0 | grep -q NO-CARRIER"'
fails "h1 no longer reaches the tap namespace" 1 noping "${PFX}h1" 10.54.0.9
ok "port add t0 again" sw "$S" port add t0 netns "$TN" dev tap0 type tap
ok "h1 reaches it again" pingr "${PFX}h1" 10.54.0.9
fails "a tap port on a device that is not a TAP is refused" 1 sw "$S" port add t1 netns "$SW" dev h1 type tap
fails "a tap port on a missing device is refused" 1 sw "$S" port add t1 netns "$TN" dev nosuch type tap
ok "health" wr_api "$S" health
check "health: ok, 2 ports" '[ "$(json "d[\"result\"][\"status\"], d[\"result\"][\"ports\"]")" = "ok 2" ]'
