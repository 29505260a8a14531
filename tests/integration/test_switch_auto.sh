#!/bin/bash
# warrend's default fast path and its own preparation of its ports'
# devices. With `fastpath auto` (the default) a veth gets tc (TCP keeps its
# 64 KB frames) and its peer keeps TX checksum offload; another device gets
# xdp. warrend, not the client, turns the peer's TX checksum offload off
# and GRO on where the mode needs it, says so in port show, and puts back
# what it changed when the port goes, changes mode or warrend stops.
. "$(dirname "$0")/lib.sh"
test_deadline 90

S=${PFX}s
SW=${PFX}sw
mkns "$SW" "${PFX}h1" "${PFX}h2"
for i in 1 2; do host_link "$SW" h$i "${PFX}h$i" 10.54.0.$i/24; done
# The host ends as a new veth has them: checksum offload on; GRO off.
for i in 1 2; do nsx "${PFX}h$i" ethtool -K eth0 tx on gro off >/dev/null; done
feat() { nsx "${PFX}$1" ethtool -k eth0 | awk '/^tx-checksumming:|^generic-receive-offload:/ {print $2}' | tr '\n' ' '; }
FASTPATH=auto sw_start "$S"

# 1. auto on a veth: tc, the peer's checksum offload kept, GRO on.
ok "port add p1 (fastpath auto)" sw "$S" port add p1 netns "$SW" dev h1
check "the CLI says what warrend did to the peer" \
	"last_out | grep -q 'port p1: peer ${PFX}h1:eth0: tx checksum left on'"
got=$(swq "$S" '"%s|%s|%s|%s" % (d["ports"][0]["fastpath"], d["ports"][0]["fastpath_asked"], d["ports"][0]["peer"]["dev"], d["ports"][0]["peer"]["tx_csum_off"])' port show p1)
check "p1: tc, asked auto, peer eth0, tx checksum not turned off (got: $got)" '[ "$got" = "tc|auto|eth0|False" ]'
why=$(swq "$S" 'd["ports"][0]["fastpath_why"]' port show p1)
check "p1 says why: a veth ($why)" 'echo "$why" | grep -q "veth"'
check "h1:eth0: tx checksum on, gro on (got: $(feat h1))" '[ "$(feat h1)" = "on on " ]'

# 2. auto on a device that is no veth: xdp.
macvlan_port "$S" "$SW" h2
got=$(swq "$S" '"%s|%s" % (d["ports"][0]["fastpath"], d["ports"][0]["peer"])' port show mv)
check "mv: xdp, no veth peer (got: $got)" '[ "$got" = "xdp|None" ]'
macvlan_port_del "$S" "$SW"

# 3. xdp asked on a veth: warrend turns the peer's checksum offload off, and
#    puts it back (and GRO) when the port goes.
ok "port add p2 fastpath xdp" sw "$S" port add p2 netns "$SW" dev h2 fastpath xdp
check "the CLI says what warrend did" "last_out | grep -q 'port p2: peer ${PFX}h2:eth0: tx checksum off, gro on'"
check "h2:eth0: tx checksum off, gro on (got: $(feat h2))" '[ "$(feat h2)" = "off on " ]'
ok "h1 pings h2 through tc and xdp ports" pingr "${PFX}h1" 10.54.0.2
ok "port del p2" sw "$S" port del p2
check "h2:eth0 as it was: tx checksum on, gro off (got: $(feat h2))" '[ "$(feat h2)" = "on off " ]'

# 4. A mode change: from tc to xdp the peer is prepared, back to tc restored.
ok "port set p1 fastpath xdp" sw "$S" port set p1 fastpath xdp
check "h1:eth0 after tc -> xdp: tx checksum off (got: $(feat h1))" '[ "$(feat h1)" = "off on " ]'
ok "port set p1 fastpath tc" sw "$S" port set p1 fastpath tc
check "h1:eth0 after xdp -> tc: tx checksum on again, gro on (got: $(feat h1))" \
	'[ "$(feat h1)" = "on on " ]'

# 5. Two tc ports on veths whose far ends are in other namespaces: the
#    kernel forwards h1 -> h2 straight into h2's eth0 (bpf_redirect_peer),
#    so sw's end of h2's veth transmits (almost) nothing of it.
ok "port add p2 (auto: tc)" sw "$S" port add p2 netns "$SW" dev h2
ok "h1 pings h2 (learned)" pingr "${PFX}h1" 10.54.0.2
ok "h2 pings h1 (learned)" pingr "${PFX}h2" 10.54.0.1
# Bytes, not frames: the kernel counts a GSO frame as its segments, a veth as one.
kfwd() { swq "$S" "(d['ports'][0]['fastpath'] or {}).get('fwd_bytes', 0)" port stats "$1"; }
vtx() { ip -n "$SW" -j -s link show "$1" | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["bytes"])'; }
kf0=$(kfwd p1) vt0=$(vtx h2)
iperf_ok "${PFX}h2" 10.54.0.2 "${PFX}h1" 1 "through two tc ports"
kf=$(($(kfwd p1) - kf0)) vt=$(($(vtx h2) - vt0))
check "the kernel forwarded from p1 ($kf bytes), sw:h2 sent under a tenth of it ($vt)" \
	'[ "$kf" -gt 1000000 ] && [ $((vt * 10)) -lt "$kf" ]'
ok "port del p2" sw "$S" port del p2

# 6. warrend stops: what it changed goes back.
ok "port add p2 fastpath off" sw "$S" port add p2 netns "$SW" dev h2 fastpath off
check "h2:eth0: tx checksum off (got: $(feat h2))" '[ "$(feat h2)" = "off on " ]'
ok "warrend stops (SIGTERM)" sw_stop "$S"
check "h2:eth0 as it was after warrend stopped (got: $(feat h2))" '[ "$(feat h2)" = "on off " ]'
