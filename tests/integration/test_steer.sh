#!/bin/bash
# Steering rules (docs/steering.md) through warrend on three hosts in
# bridge domain 1, in the kernel fast path's mode of this run:
#
#   h1 --- p1 --+
#   h2 --- p2 --+-- warrend (bd 1)
#   h3 --- p3 --+
#
# h2's MAC is learned on p2; a rule sends frames to it to p3: they reach h3
# only (captures count them), and the rule's counters move. The rule's port
# goes and comes back; the rule is deleted under a ping flood from h1 to
# h2: the flood gets through again, warrend goes on.
. "$(dirname "$0")/lib.sh"
test_deadline 120

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 3 10.61.0
sw_start "$S"
for i in 1 2 3; do
	ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i
	ep_prep "${PFX}h$i"
done
H2=02:00:0a:3d:00:02
ok "h1 pings h2" pingr "${PFX}h1" 10.61.0.2
ok "h1 pings h3" pingr "${PFX}h1" 10.61.0.3
fdbport() { swq "$S" "[e['port'] for e in d['entries'] if e['mac'] == '$H2'][0]" fdb show; }
check "h2's MAC is learned on p2" '[ "$(fdbport)" = p2 ]'

# The rule: frames to h2's MAC go to p3.
ok "steer add mac $H2 port p3" sw "$S" steer add mac $H2 port p3
ok "steer show" sw "$S" steer show
check "steer show lists it, active" "last_out | grep -q '^0 *mac $H2 *p3 *active'"
rule() { swq "$S" "d['rules'][0]['$1']" steer show; }
pkts0=$(rule pkts)
M=wr$$steer
for i in 2 3; do cap_start h$i "${PFX}h$i" eth0 "$M"; done
kd0=$(kdrops)
ok "h1 sends 20 frames to h2's MAC" frames_send "${PFX}h1" eth0 <<PY
frames = [Ether(src="02:00:0a:3d:00:01", dst="$H2", type=0x88b5) / Raw(b"$M-%d" % i) for i in range(20)]
PY
wait_until 5 '[ "$(cap_count h3)" -ge 20 ]'
sleep 0.3	# anything for h2 would be there by now
for i in 2 3; do cap_stop h$i; done
check_n "h3 got the 20 frames for h2's MAC" 20 "$(cap_count h3 "f['dst'] == '$H2'")" "$kd0"
n=$(cap_count h2)
check "h2 got none of them (got $n)" '[ "$n" = 0 ]'
check "h2's MAC is still learned on p2: the rule, not the FDB, decided" '[ "$(fdbport)" = p2 ]'
pkts1=$(rule pkts)
check "the rule counted them: pkts $pkts0 -> $pkts1" '[ $((pkts1 - pkts0)) -ge 20 ]'
check "and their bytes (14 a frame at least)" '[ "$(rule bytes)" -ge $((20 * 14)) ]'
# In the kernel fast path's modes the kernel steered them: warrend never saw them.
if [ "$FASTPATH" != off ]; then
	check "the kernel steered them (fastpath_pkts $(rule fastpath_pkts))" '[ "$(rule fastpath_pkts)" -ge 20 ]'
else
	check "warrend steered them (fastpath_pkts $(rule fastpath_pkts))" '[ "$(rule fastpath_pkts)" = 0 ]'
fi

# Its port goes: the rule stays, inactive, and h2's frames are dropped, not bridged.
ok "port del p3" sw "$S" port del p3
check "steer show -j: inactive, still to p3" '[ "$(swq "$S" "d[\"rules\"][0][\"active\"], d[\"rules\"][0][\"port\"]" steer show)" = "False p3" ]'
nop0=$(drop "$S" steer_no_port)
ok "h1 sends 5 more" frames_send "${PFX}h1" eth0 <<PY
frames = [Ether(src="02:00:0a:3d:00:01", dst="$H2", type=0x88b5) / Raw(b"$M-gone-%d" % i) for i in range(5)]
PY
check "steer_no_port counted them" 'wait_until 5 "[ \$((\$(drop $S steer_no_port) - $nop0)) -ge 5 ]"'
ok "port add p3 again" sw "$S" port add p3 netns "$SW" dev h3
ep_prep "${PFX}h3"
check "the rule is active again" '[ "$(rule active)" = True ]'

# Deleted under a ping flood from h1 to h2: the flood's requests go to h3
# (no answer) until the rule goes, then h2 answers; warrend goes on.
timeout 20 ip netns exec "${PFX}h1" ping -f -w 6 10.61.0.2 >"$TMP/flood" 2>&1 &
fpid=$!
on_exit "kill $fpid 2>/dev/null"
sleep 2
ok "steer del under the flood" sw "$S" steer del mac $H2
wait $fpid
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/flood")
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMP/flood")
echo "     ping flood: ${sent:-?} sent, ${got:-?} answered"
check "the flood got answers once the rule went (${got:-0} of ${sent:-?})" '[ "${got:-0}" -gt 0 ]'
check "and none while it was there: fewer answers than requests" '[ "${got:-0}" -lt "${sent:-0}" ]'
ok "h1 pings h2" pingr "${PFX}h1" 10.61.0.2
check "no rule left" '[ "$(swq "$S" "d[\"count\"]" steer show)" = 0 ]'
ok "health" wr_api "$S" health
check "health: ok" '[ "$(json "d[\"result\"][\"status\"]")" = ok ]'
ok "warrend stops on SIGTERM" sw_stop "$S"
