#!/bin/bash
# warren netns and `ip netns` see each other's namespaces; exec binds
# /etc/netns/NAME/* and refuses names that are none; attach names a running
# process's namespace; identify and pids answer as `ip netns identify` and
# `ip netns pids` do on the same namespaces.
. "$(dirname "$0")/lib.sh"

# ip -> warren
ip netns add "${PFX}ip"
on_exit "ip netns del ${PFX}ip"
ok "warren netns list" "$WARREN" netns list
check "warren lists ip's namespace" 'last_out | grep -qx "${PFX}ip"'
ok "warren -j netns list" "$WARREN" -j netns list
has=$(json '"'"${PFX}ip"'" in [n["name"] for n in d]')
check "JSON lists it too" '[ "$has" = True ]'
ok "warren exec in ip's namespace" "$WARREN" netns exec "${PFX}ip" ip -o link show
check "only lo inside" '[ "$(last_out | wc -l)" = 1 ] && last_out | grep -q ": lo:"'
ok "warren deletes ip's namespace" "$WARREN" netns del "${PFX}ip"
check "ip no longer lists it" '! ip netns list | grep -q "^${PFX}ip\b"'

# warren -> ip
ok "warren netns add" "$WARREN" netns add "${PFX}w"
on_exit "ip netns del ${PFX}w"
check "ip lists warren's namespace" 'ip netns list | grep -q "^${PFX}w\b"'
ok "ip works inside it" ip -n "${PFX}w" link add d0 type bridge
ok "warren sees ip's device there" "$WARREN" -n "${PFX}w" link show d0
ok "ip netns exec enters it" ip netns exec "${PFX}w" ip link show d0
fails "adding it twice fails" 1 "$WARREN" netns add "${PFX}w"
check "and says it exists" 'last_out | grep -qi "exists"'

# /etc/netns/NAME/* over /etc, as ip netns exec does
mkdir -p "/etc/netns/${PFX}w"
on_exit "rm -rf /etc/netns/${PFX}w"
echo "192.0.2.77 wr-interop-host" >"/etc/netns/${PFX}w/hosts"
ok "exec sees /etc/netns/NAME/hosts as /etc/hosts" \
	"$WARREN" netns exec "${PFX}w" grep -q wr-interop-host /etc/hosts
check "the root namespace's /etc/hosts is untouched" '! grep -q wr-interop-host /etc/hosts'
ok "exec sees the namespace's devices in /sys" "$WARREN" netns exec "${PFX}w" test -e /sys/class/net/d0
fails "exec passes the command's exit status" 3 "$WARREN" netns exec "${PFX}w" sh -c "exit 3"
ok "exec leaves the command's -h alone" "$WARREN" netns exec "${PFX}w" ls -h /

# attach
unshare -n sleep 60 &
pid=$!
on_exit "kill $pid"
sleep 0.2
ok "attach a process's namespace" "$WARREN" netns attach "${PFX}att" "$pid"
on_exit "ip netns del ${PFX}att"
inside=$(ip netns exec "${PFX}att" readlink /proc/self/ns/net)
check "the name refers to the process's namespace" '[ "$inside" = "$(readlink /proc/$pid/ns/net)" ]'
sh -c 'exit 0' &
gone=$!
wait $gone
fails "attach to a process that is gone fails" 1 "$WARREN" netns attach "${PFX}none" $gone
check "and says so" 'last_out | grep -q "no such process"'
check "and leaves no name behind" '[ ! -e /run/netns/${PFX}none ]'
fails "attach with a bad pid is a usage error" 2 "$WARREN" netns attach "${PFX}none" abc

# exec with an empty name: refused before anything, not run in the root namespace
fails "exec with an empty name is a usage error" 2 "$WARREN" netns exec "" sh -c "exit 3"
check "  ... that says so, and binds nothing" \
	'last_out | grep -q "namespace name is empty" && ! last_out | grep -q bind'
fails "exec with a path as name is a usage error" 2 "$WARREN" netns exec "../${PFX}w" true
fails "del with an empty name is a usage error" 2 "$WARREN" netns del "${PFX}w" ""
check "  ... and deletes none of the names" 'ip netns list | grep -q "^${PFX}w\b"'

# identify and pids, against ip on the same namespaces and processes
W() { "$WARREN" "$@"; }
I1=${PFX}i1 I2=${PFX}i2 E=${PFX}empty
for ns in $I1 $I2 $E; do
	ok "netns add $ns" W netns add $ns
	on_exit "ip netns del $ns"
done
for ns in $I1 $I1 $I2; do
	ip netns exec $ns sleep 60 &
	on_exit "kill $!"
done
wait_until 5 '[ "$(ip netns pids $I1 | wc -l)" = 2 ] && [ "$(ip netns pids $I2 | wc -l)" = 1 ]'
for ns in $I1 $I2 $E; do
	ok "pids $ns" W netns pids $ns
	check "  ... as ip netns pids: $(last_out | tr '\n' ' ')" '[ "$(last_out)" = "$(ip netns pids $ns)" ]'
	ok "pids -j $ns" W -j netns pids $ns
	got=$(json '" ".join(str(p["pid"]) for p in d)')
	check "  ... the same pids as numbers" '[ "$got" = "$(ip netns pids $ns | tr "\n" " " | sed "s/ $//")" ]'
done
check "an empty namespace has [] as JSON" '[ "$(W -j netns pids $E)" = "[]" ]'
for pid in $(ip netns pids $I1) $(ip netns pids $I2) $$; do
	ok "identify $pid" W netns identify $pid
	check "  ... as ip netns identify: '$(last_out)'" '[ "$(last_out)" = "$(ip netns identify $pid)" ]'
done
ok "identify -j, a process of $I2" W -j netns identify "$(ip netns pids $I2)"
got=$(json '" ".join(n["name"] for n in d)')
check "  ... names $I2" '[ "$got" = "$I2" ]'
check "identify without PID is warren's own namespace (as ip's)" \
	'[ "$(ip netns exec $I2 "$WARREN" netns identify)" = "$(ip netns exec $I2 ip netns identify)" ]'
check "  ... none in the root namespace, and [] as JSON" \
	'[ -z "$(W netns identify)" ] && [ "$(W -j netns identify $$)" = "[]" ]'
# a namespace with two names: both, where ip prints one of them
pid=$(ip netns pids $I2)
ok "attach a second name to $I2" W netns attach ${I2}b "$pid"
on_exit "ip netns del ${I2}b"
ok "identify a process with two names" W netns identify "$pid"
check "  ... prints both, in name order" '[ "$(last_out | tr "\n" " ")" = "$I2 ${I2}b " ]'
check "  ... ip's one is among them ($(ip netns identify $pid))" 'last_out | grep -qx "$(ip netns identify $pid)"'
ok "pids under the second name" W netns pids ${I2}b
check "  ... the same process" '[ "$(last_out)" = "$pid" ]'
# errors
sh -c 'exit 0' &
gone=$!
wait $gone
fails "identify a process that is gone fails" 1 W netns identify $gone
check "  ... saying so" 'last_out | grep -q "process $gone: no such process"'
fails "identify abc is a usage error" 2 W netns identify abc
fails "pids of a missing namespace fails" 1 W -j netns pids ${PFX}missing
check "  ... saying so, with nothing on stdout" '[ "$(last_out)" = "warren: netns ${PFX}missing: no such namespace" ]'
fails "pids with a bad name is a usage error" 2 W netns pids "a/b"
fails "pids with an empty name is a usage error" 2 W netns pids ""
# processes that come and go during the scans are skipped, never an error
ip netns exec $I1 sh -c 'end=$(($(date +%s) + 3)); while [ $(date +%s) -lt $end ]; do /bin/true; done' &
churn=$!
on_exit "kill $churn"
bad=0
for i in $(seq 40); do
	W netns pids $I1 >/dev/null 2>"$TMP/err" || { bad=$((bad + 1)); cat "$TMP/err"; }
	for p in $(ip netns pids $I1); do W netns identify $p >/dev/null 2>&1; done
done
wait $churn
check "40 scans among short-lived processes all succeed ($bad failed)" '[ $bad = 0 ]'
ok "netns del" W netns del $I1 $I2 ${I2}b $E

fails "deleting a missing namespace fails" 1 "$WARREN" netns del "${PFX}missing"
fails "a bad name is a usage error" 2 "$WARREN" netns add "bad/name"
ok "warren netns del" "$WARREN" netns del "${PFX}w" "${PFX}att"
kill $pid
nothing_left
