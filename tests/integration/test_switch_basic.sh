#!/bin/bash
# warrend joins three hosts in bridge domain 1 (AF_XDP on veth): `port add`
# prepares the host ends; ARP and ping between every pair; the FDB learns
# each MAC on its port; broadcast and unknown unicast reach every port but
# the sender; entries age out; iperf3 TCP runs through it.
. "$(dirname "$0")/lib.sh"
test_deadline 90

S=${PFX}s
SW=${PFX}sw
mkns "$SW" "${PFX}h1" "${PFX}h2" "${PFX}h3"
declare -A mac
for i in 1 2 3; do
	mac[$i]=02:00:0a:00:00:0$i
	host_link "$SW" h$i "${PFX}h$i" 10.50.0.$i/24 "${mac[$i]}"
done
sw_start "$S"

# port add: warrend turns GRO on at the host end, and TX checksum offload
# off unless the port's fast path, warrend's default here, is tc (which
# keeps checksums and GSO frames whole); the CLI says what it did.
csum=off
[ "$FASTPATH" = tc ] && csum=on
for i in 1 2 3; do
	ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i
	check "p$i: the message names the peer ${PFX}h$i:eth0" \
		"last_out | grep -q 'port p$i: peer ${PFX}h$i:eth0: tx checksum'"
	feat=$(nsx "${PFX}h$i" ethtool -k eth0 | awk '/^tx-checksumming:|^generic-receive-offload:/ {print $2}' | tr '\n' ' ')
	check "h$i:eth0 has tx checksum $csum and gro on (got: $feat)" '[ "$feat" = "$csum on " ]'
	ep_prep "${PFX}h$i"	# so that what follows tests the switch, whatever warrend did
done
pshow() { swq "$S" '" ".join("%s/%s/%s/%s/%d" % (p["name"], p["dev"], p["mode"], p["link"], p["bd"]) for p in d["ports"])' port show; }
m=copy
[ "$FASTPATH" = tc ] && m=tap	# frames reach warrend through a TAP of its own (up once linkwatch says so)
check "three $m-mode ports, up, in bd 1" \
	'wait_until 3 "[ \"\$(pshow)\" = \"p1/h1/$m/up/1 p2/h2/$m/up/1 p3/h3/$m/up/1\" ]"'
echo "     ports: $(pshow)"
ok "port show (text)" sw "$S" port show
check "port show names every port" '[ "$(last_out | grep -c "^p[123] ")" = 3 ]'

# ARP and ping between every pair.
for a in 1 2 3; do
	for b in 1 2 3; do
		[ $a = $b ] && continue
		ok "h$a pings h$b" pingr "${PFX}h$a" 10.50.0.$b
		n=$(nsx "${PFX}h$a" ip -j neigh show 10.50.0.$b | $PY -c 'import json,sys; print(" ".join(n.get("lladdr","") for n in json.load(sys.stdin)))')
		check "h$a resolved h$b by ARP to ${mac[$b]} (got: $n)" '[ "$n" = "${mac[$b]}" ]'
	done
done

# The FDB: each MAC on its port.
ok "fdb show -j" sw "$S" -j fdb show
fdb=$(json '" ".join(sorted("%s@%s/%d" % (e["mac"], e["port"], e["bd"]) for e in d["entries"]))')
check "fdb: the three MACs on their ports (got: $fdb)" \
	'[ "$fdb" = "${mac[1]}@p1/1 ${mac[2]}@p2/1 ${mac[3]}@p3/1" ]'
check "fdb count is 3" '[ "$(json "d[\"count\"]")" = 3 ]'
ok "fdb show port p2 -j" sw "$S" -j fdb show port p2
check "fdb show port p2: only h2's MAC" '[ "$(json "[e[\"mac\"] for e in d[\"entries\"]]")" = "['"'${mac[2]}'"']" ]'

# Broadcast and unknown unicast from h1 reach h2 and h3, never h1 again.
M=wr$$flood
for i in 1 2 3; do cap_start h$i "${PFX}h$i" eth0 "$M"; done
flood0=$(event "$S" flood)
kd0=$(kdrops)
ok "h1 sends 5 broadcasts and 5 frames to an unknown MAC" frames_send "${PFX}h1" eth0 <<EOF
frames = [Ether(src="${mac[1]}", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"$M-bcast-%d" % i) for i in range(5)]
frames += [Ether(src="${mac[1]}", dst="02:00:0a:00:99:99", type=0x88b5) / Raw(b"$M-unknown-%d" % i) for i in range(5)]
EOF
wait_until 5 '[ "$(cap_count h2)" -ge 10 ] && [ "$(cap_count h3)" -ge 10 ]'
sleep 0.3	# anything coming back to h1 would be there by now
for i in 1 2 3; do cap_stop h$i; done
for i in 2 3; do
	check_n "h$i got the 5 broadcasts" 5 "$(cap_count h$i 'f["dst"] == "ff:ff:ff:ff:ff:ff"')" "$kd0"
	check_n "h$i got the 5 unknown unicasts" 5 "$(cap_count h$i 'f["dst"] == "02:00:0a:00:99:99"')" "$kd0"
done
n=$(cap_count h1)
check "h1, the sender, got none of them back (got $n)" '[ "$n" = 0 ]'
flood1=$(event "$S" flood)
check "events.flood counted them: $flood0 -> $flood1" '[ $((flood1 - flood0)) -ge 10 ]'
ok "fdb show -j" sw "$S" -j fdb show
n=$(json 'sum(1 for e in d["entries"] if e["mac"] == "02:00:0a:00:99:99")')
check "the unknown destination was not learned" '[ "$n" = 0 ]'

# Aging: 2 s; with no traffic every learned entry goes within 2 s plus one
# sweep of the table (1/8 a second).
ok "switch set aging 2" sw "$S" switch set aging 2
check "switch show -j says aging 2" '[ "$(swq "$S" "d[\"switch\"][\"age_s\"]" switch show)" = 2 ]'
aged0=$(event "$S" aged)
t0=$(ms)
if wait_until 15 '[ "$(swq "$S" "d[\"count\"]" fdb show)" = 0 ]'; then
	echo "     the FDB emptied in $(awk -v t=$(($(ms) - t0)) 'BEGIN { printf "%.1f", t / 1000 }') s"
	check "every entry aged out within 15 s" true
else
	check "every entry aged out within 15 s (left: $(swq "$S" "d['count']" fdb show))" false
fi
aged1=$(event "$S" aged)
check "events.aged counted the 3 entries: $aged0 -> $aged1" \
	'[ $((aged1 - aged0)) -ge 3 ]'
ok "switch set aging 300" sw "$S" switch set aging 300
ok "h3 pings h1 after aging" pingr "${PFX}h3" 10.50.0.1
check "both are learned again" '[ "$(swq "$S" "d[\"count\"]" fdb show)" -ge 2 ]'

# iperf3 TCP through the switch.
gbps=$(iperf_tcp "${PFX}h2" 10.50.0.2 "${PFX}h1" 5)
rc=$?
echo "     iperf3 TCP h1 -> h2, 5 s: ${gbps:-?} Gbit/s"
check "iperf3 ran and moved data (${gbps:-no result} Gbit/s)" \
	'[ $rc = 0 ] && awk "BEGIN { exit !(${gbps:-0} > 0) }"'
ok "health" wr_api "$S" health
check "health: ok, 3 ports" '[ "$(json "d[\"result\"][\"status\"], d[\"result\"][\"ports\"]")" = "ok 3" ]'
ok "warrend stops on SIGTERM" sw_stop "$S"
