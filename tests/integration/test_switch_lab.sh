#!/bin/bash
# docs/examples/switch-3.yaml: `lab up` builds three hosts and starts
# warrend with their ports; every pair pings and the FDB learns them; `lab
# down` stops warrend and leaves no namespace, process, socket or XDP
# program.
. "$(dirname "$0")/lib.sh"
test_deadline 60

lab=$(lab_copy "$EXAMPLES/switch-3.yaml")
export WARREND
lab_up "$lab" 7>&-	# (7: see lib.sh)
ok "lab show -j" "$WARREN" -j lab show "$lab"
state=$(json 'd["complete"], d["missing"]')
check "show: complete, 0 missing" '[ "$state" = "True 0" ]'
S=$(json '" ".join(i["name"] for i in d["items"] if i["type"] == "switch")')
check "the lab has one switch, named with the prefix ($S)" '[[ "$S" == "$PFX"* ]] && [[ "$S" != *" "* ]]'
on_exit "rm -f '$WR_RUN/$S.log'"
on_exit "sw_stop '$S'"	# should lab down not stop it
pid=$(sw_pid "$S")
check "its warrend runs (pid ${pid:-none})" '[ -n "$pid" ]'
ok "port show -j" sw "$S" -j port show
ports=$(json '" ".join("%s/%s/%s/%d" % (p["name"], p["dev"], p["link"], p["bd"]) for p in d["ports"])')
check "three ports on sw's h1..h3, up, bd 1 (got: $ports)" '[ "$ports" = "h1/h1/up/1 h2/h2/up/1 h3/h3/up/1" ]'
# warrend's default on a veth is tc: the host ends keep checksum offload, GRO on.
fps=$(json '" ".join(p["fastpath"] for p in d["ports"])')
check "the ports' fast path is tc, warrend's default for a veth (got: $fps)" '[ "$fps" = "tc tc tc" ]'
for i in 1 2 3; do
	feat=$(nsx "${PFX}h$i" ethtool -k eth0 | awk '/^tx-checksumming:|^generic-receive-offload:/ {print $2}' | tr '\n' ' ')
	check "warrend prepared h$i:eth0: tx checksum on, gro on (got: $feat)" '[ "$feat" = "on on " ]'
done
declare -A addr=([h1]=10.0.0.1 [h2]=10.0.0.2 [h3]=10.0.0.3)
for a in h1 h2 h3; do
	for b in h1 h2 h3; do
		[ $a = $b ] && continue
		ok "$a pings $b" pingr "$PFX$a" "${addr[$b]}"
	done
done
check "the FDB learned the three hosts" '[ "$(swq "$S" "d[\"count\"]" fdb show)" = 3 ]'
gbps=$(iperf_tcp "${PFX}h3" 10.0.0.3 "${PFX}h1" 2)
rc=$?
echo "     iperf3 TCP h1 -> h3 through the lab's switch, 2 s: ${gbps:-?} Gbit/s"
check "iperf3 moves data (${gbps:-no result} Gbit/s)" '[ $rc = 0 ] && awk "BEGIN { exit !(${gbps:-0} > 0) }"'
ok "a second lab up changes nothing" "$WARREN" lab up "$lab" 7>&-
check "same warrend (pid $pid)" '[ "$(sw_pid "$S")" = "$pid" ]'
check "still three ports" '[ "$(swq "$S" "len(d[\"ports\"])" port show)" = 3 ]'

ok "lab down" "$WARREN" lab down "$lab"
check "warrend has exited" 'wait_until 5 "[ ! -d /proc/$pid ]"'
check "its socket and pid file are gone" '[ ! -e "$WR_RUN/$S.sock" ] && [ ! -e "$WR_RUN/$S.pid" ]'
check "no file of the lab's switch is left but its log" \
	'[ -z "$(ls "$WR_RUN" | grep -F "$S." | grep -v "\.log$")" ]'
nothing_left
ok "lab show -j after down" "$WARREN" -j lab show "$lab"
check "show: nothing present" '[ "$(json "sum(1 for i in d[\"items\"] if i[\"present\"])")" = 0 ]'
ok "a second lab down is fine" "$WARREN" lab down "$lab"
