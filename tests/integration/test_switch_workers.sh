#!/bin/bash
# warrend with two workers (--cores 0,1): ports are spread over them, and a
# frame between ports of different workers crosses through the receiving
# port owner's handoff ring. Every pair pings, TCP flows across workers,
# and a sleeping worker is woken at once for a frame handed to it: pings
# spaced wider than the workers' spin stay fast (a missed wake would cost
# the sleeper's 100 ms poll timeout). The ports' fast path is off: known
# unicast would otherwise never reach the workers this test is about.
. "$(dirname "$0")/lib.sh"
test_deadline 90

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 4 10.57.0
sw_start "$S" --cores 0,1
for i in 1 2 3 4; do ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i fastpath off; done

ok "switch show -j" sw "$S" -j switch show
got=$(json 'len(d["health"]["workers"]), sorted(w["ports"] for w in d["health"]["workers"])')
check "two workers, two ports each (got $got)" '[ "$got" = "2 [2, 2]" ]'
ok "port show -j" sw "$S" -j port show
got=$(json '" ".join("%s:%d" % (p["name"], p["worker"]) for p in d["ports"])')
check "ports alternate between the workers (got $got)" '[ "$got" = "p1:0 p2:1 p3:0 p4:1" ]'

for a in 1 2 3 4; do
	for b in 1 2 3 4; do
		[ $a = $b ] && continue
		ok "h$a pings h$b" pingr "${PFX}h$a" 10.57.0.$b
	done
done

# Idle long enough for both workers to sleep, then pings 0.5 s apart.
sleep 1
ok "h1 -> h2, 5 pings 0.5 s apart" nsx "${PFX}h1" ping -c 5 -i 0.5 -W 1 10.57.0.2
max=$(sed -n 's|^rtt [^=]*= [0-9.]*/[0-9.]*/\([0-9.]*\)/.*|\1|p' "$TMP/out")
check "no ping waited for a sleeping worker: max RTT ${max:-?} ms < 50" \
	'[ -n "$max" ] && [ "$(echo "$max < 50" | bc)" = 1 ]'

gbps=$(iperf_tcp "${PFX}h2" 10.57.0.2 "${PFX}h1" 3)
echo "iperf3 h1 (worker 0) -> h2 (worker 1): ${gbps:-?} Gbit/s"
check "TCP across workers: ${gbps:-?} Gbit/s > 0" '[ -n "$gbps" ] && [ "$(echo "$gbps > 0" | bc)" = 1 ]'
ok "port stats -j" sw "$S" -j port stats
got=$(json 'all("handoff_full" in p["driver"] for p in d["ports"])')
check "every port reports handoff_full" '[ "$got" = True ]'
ok "health after all that" sw "$S" switch show
