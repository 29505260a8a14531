#!/bin/bash
# warren netns and `ip netns` see each other's namespaces; exec binds
# /etc/netns/NAME/*; attach names a running process's namespace.
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

fails "deleting a missing namespace fails" 1 "$WARREN" netns del "${PFX}missing"
fails "a bad name is a usage error" 2 "$WARREN" netns add "bad/name"
ok "warren netns del" "$WARREN" netns del "${PFX}w" "${PFX}att"
kill $pid
nothing_left
