#!/bin/bash
# A MAC address moving between ports of warrend: learned on h1's port,
# then seen from h3's; the FDB follows it (event mac_move) and frames to it
# go to h3, no longer to h1. A static entry never moves.
. "$(dirname "$0")/lib.sh"
test_deadline 60

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 3 10.52.0
sw_start "$S"
for i in 1 2 3; do ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i; done
M=02:00:0a:34:00:4d	# the MAC that moves; none of the hosts' own
T=wr$$move

# fdb_port MAC: the port the FDB of bd 1 has MAC on ("" if none).
fdb_port() { swq "$S" '" ".join(e["port"] for e in d["entries"] if e["mac"] == "'"$1"'")' fdb show bd 1; }

# 1. M appears behind h1.
ok "h1 sends frames from $M" frames_send "${PFX}h1" eth0 <<EOF
frames = [Ether(src="$M", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"$T-hello-%d" % i) for i in range(3)]
EOF
check "fdb: $M on p1" 'wait_until 5 "[ \"\$(fdb_port $M)\" = p1 ]"'
cap_start h1 "${PFX}h1" eth0 "$T"
cap_start h3 "${PFX}h3" eth0 "$T"
kd0=$(kdrops)
ok "h2 sends 4 frames to $M" frames_send "${PFX}h2" eth0 <<EOF
frames = [Ether(src="02:00:0a:34:00:02", dst="$M", type=0x88b5) / Raw(b"$T-before-%d" % i) for i in range(4)]
EOF
wait_until 5 '[ "$(cap_count h1)" -ge 4 ]'
sleep 0.3
cap_stop h1; cap_stop h3
check_n "h1 got the 4 frames to $M" 4 "$(cap_count h1 'f["m"].startswith("-before-")')" "$kd0"
n=$(cap_count h3)
check "h3 got none of them (got $n)" '[ "$n" = 0 ]'

# 2. M moves behind h3.
moves0=$(event "$S" mac_move)
ok "h3 sends frames from $M" frames_send "${PFX}h3" eth0 <<EOF
frames = [Ether(src="$M", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"$T-moved-%d" % i) for i in range(3)]
EOF
check "fdb: $M moved to p3" 'wait_until 5 "[ \"\$(fdb_port $M)\" = p3 ]"'
ok "fdb show -j" sw "$S" -j fdb show
n=$(json 'sum(1 for e in d["entries"] if e["mac"] == "'$M'")')
check "$M is in the FDB once (got $n)" '[ "$n" = 1 ]'
moves1=$(event "$S" mac_move)
check "events.mac_move counted the move: $moves0 -> $moves1" '[ $((moves1 - moves0)) -ge 1 ]'
cap_start h1 "${PFX}h1" eth0 "$T"
cap_start h3 "${PFX}h3" eth0 "$T"
kd0=$(kdrops)
ok "h2 sends 4 frames to $M" frames_send "${PFX}h2" eth0 <<EOF
frames = [Ether(src="02:00:0a:34:00:02", dst="$M", type=0x88b5) / Raw(b"$T-after-%d" % i) for i in range(4)]
EOF
wait_until 5 '[ "$(cap_count h3)" -ge 4 ]'
sleep 0.3
cap_stop h1; cap_stop h3
check_n "h3 got the 4 frames to $M" 4 "$(cap_count h3 'f["m"].startswith("-after-")')" "$kd0"
n=$(cap_count h1)
check "h1 got none of them (got $n)" '[ "$n" = 0 ]'

# 3. And back, by a real host: h1 takes M as its own address and pings.
ip -n "${PFX}h1" link set eth0 address "$M"
ok "h1, now $M, pings h2" pingr "${PFX}h1" 10.52.0.2
check "fdb: $M back on p1" 'wait_until 5 "[ \"\$(fdb_port $M)\" = p1 ]"'
ok "h2 pings h1 at its new MAC" pingr "${PFX}h2" 10.52.0.1
check "h3 still pings h2" 'pingr "${PFX}h3" 10.52.0.2 >/dev/null'

# 4. A static entry does not move.
S_MAC=02:00:0a:34:00:5e
ok "fdb add $S_MAC port p2 (static)" sw "$S" fdb add $S_MAC port p2
ok "h3 sends frames from $S_MAC" frames_send "${PFX}h3" eth0 <<EOF
frames = [Ether(src="$S_MAC", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"$T-static-%d" % i) for i in range(3)]
EOF
sleep 0.5
ok "fdb show -j" sw "$S" -j fdb show
st=$(json '" ".join("%s/%s" % (e["port"], e["static"]) for e in d["entries"] if e["mac"] == "'$S_MAC'")')
check "the static entry stayed on p2 (got: $st)" '[ "$st" = p2/True ]'
ok "fdb del $S_MAC" sw "$S" fdb del $S_MAC
fails "fdb del of an absent entry fails" 1 sw "$S" fdb del $S_MAC
ok "fdb flush" sw "$S" fdb flush
check "the FDB is empty after flush" '[ "$(swq "$S" "d[\"count\"]" fdb show)" = 0 ]'
ok "health" wr_api "$S" health
check "health says ok" '[ "$(json "d[\"result\"][\"status\"]")" = ok ]'
