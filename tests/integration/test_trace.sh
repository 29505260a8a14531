#!/bin/bash
# warren trace (docs/trace.md) through warrend, in the kernel fast path's
# mode of this run, checked stage by stage:
#
#   h1 --- p1 --+                 +-- p2 --- h2
#               +--- warrend bd 1 +-- p3 --- h3 (access port of VLAN 20)
#   f1i, f1o: a hop (a bridge in ns f1) of chain fw, for IPv4 h1 -> h2 UDP 7000
#   peer 192.0.2.2 --- u (192.0.2.1): tunnel vx, VNI 5010 = bd 1
#
# A learned unicast (and what the kernel fast path would do with it), a
# flood, drops (a frame tagged with a VLAN its port does not take; the
# output port down), a tunnelled frame (decap: tunnel, VNI, VTEP) and one
# the other way (encap), a chained frame (into hop 0) and a synthetic
# frame, which nobody receives.
. "$(dirname "$0")/lib.sh"
test_deadline 60

S=${PFX}s
SW=${PFX}sw
F1=${PFX}f1
UN=${PFX}un
PEER=${PFX}pe
mkns "$SW" "$F1" "$UN" "$PEER"
hosts "$SW" 3 10.64.0
H1=02:00:0a:40:00:01
H2=02:00:0a:40:00:02
sw_start "$S"
ok "port add p1" sw "$S" port add p1 netns "$SW" dev h1
ok "port add p2" sw "$S" port add p2 netns "$SW" dev h2
ok "port add p3 (access VLAN 20)" sw "$S" port add p3 netns "$SW" dev h3 vlan access access 20
for i in 1 2 3; do ep_prep "${PFX}h$i"; done
ok "h1 pings h2" pingr "${PFX}h1" 10.64.0.2

# raw NS DST SRC [TAG]: a minimal frame of ethertype 0x88b5 (with an 802.1Q
# tag of VLAN TAG) sent on eth0 of NS; no scapy (its import costs a second).
raw() {
	local tag=${4:+8100$(printf %04x "$4")}
	nsx "$1" $PY -c 'import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(bytes.fromhex(sys.argv[1]))' "${2//:/}${3//:/}${tag}88b5$(printf '00%.0s' {1..46})"
}

# tron NAME ARGS...: `warren -j trace ARGS` in the background into
# $TMP/NAME.json, returning once the trace is armed; troff waits for it.
armed() { wr_api "$S" trace.show | $PY -c 'import json, sys; sys.exit(0 if json.loads(sys.stdin.read())["result"]["armed"] else 1)'; }
tron() {
	local n=$1; shift
	sw "$S" -j trace "$@" >"$TMP/$n.json" 2>"$TMP/$n.err" &
	_tpid=$!
	on_exit "kill $_tpid 2>/dev/null"
	wait_until 5 armed
}
troff() { wait $_tpid; }
# tq NAME EXPR: EXPR (Python, over d, the trace's JSON, r its first record, s its stages by
# name); a list printed as A,B.
tq() {
	$PY -c "import json, sys
d = json.load(open(sys.argv[1])); r = d['records'][0] if d['records'] else {}
s = {x['stage']: x for x in r.get('stages', [])}
v = ($2)
t = lambda x: ','.join(map(str, x)) if isinstance(x, list) else str(x)
print(' '.join(map(t, v)) if isinstance(v, tuple) else t(v))" "$TMP/$1.json"
}

# A learned unicast: h1 -> h2, both known.
ok "trace p1 armed" tron uni p1 -c 1 -t 5 dst-mac $H2 proto 1
ok "h1 pings h2, traced" pings "${PFX}h1" 10.64.0.2
ok "the trace ends with its frame" troff
check "one record, sent" '[ "$(tq uni "len(d[\"records\"]), r[\"verdict\"]")" = "1 sent" ]'
check "parse: IPv4, ICMP" '[ "$(tq uni "s[\"parse\"][\"ethertype\"], s[\"parse\"][\"l4_proto\"]")" = "0x0800 1" ]'
check "bridge: bd 1, source known here, destination p2" \
	'[ "$(tq uni "s[\"bridge\"][\"bd\"], s[\"bridge\"][\"src\"], s[\"bridge\"][\"dst\"], s[\"bridge\"][\"out\"]")" = "1 refreshed p2 p2" ]'
check "output: p2" '[ "$(tq uni "s[\"output\"][\"ports\"], s[\"output\"][\"flood\"]")" = "p2 False" ]'
check "times per stage" '[ "$(tq uni "all(x[\"ns\"] > 0 for x in r[\"stages\"]) and r[\"ns\"] > 0")" = True ]'
case $FASTPATH in
off) check "fast path: off on the port" '[ "$(tq uni "r[\"fastpath\"][\"would\"]")" = "up: fastpath_off" ]' ;;
*) check "fast path: the kernel would forward it to p2 ($(tq uni "r['fastpath']"))" \
	'tq uni "r[\"fastpath\"][\"would\"]" | grep -q "^forward to p2 in the kernel"'
   check "the kernel handed traced frames up (up reason trace)" \
	'[ "$(swq "$S" "d[\"fastpath\"][\"up\"][\"watch\"]" stats)" -gt 0 ]' ;;
esac
sw "$S" trace p1 -c 1 -t 5 dst-mac $H2 proto 1 >"$TMP/human" 2>&1 &
_tpid=$!
ok "the human form armed" wait_until 5 armed
ok "h1 pings h2, traced" pings "${PFX}h1" 10.64.0.2
ok "the human form ends" troff
cat "$TMP/human" >&7
check "the human form: a line per stage" \
	"grep -q '^  bridge    bd 1 vlan 0, source known here (refreshed), destination p2 -> p2  \[' '$TMP/human' &&
	 grep -q '^  output    to p2  \[' '$TMP/human' && grep -q '^  verdict   sent, ' '$TMP/human'"
check "the human form: the count" "grep -q '^1 of 1 frames traced on port p1' '$TMP/human'"

# A flood: a broadcast from h1 goes to p2 (p3 is of VLAN 20).
ok "trace p1 armed (broadcast)" tron flood p1 -t 5 dst-mac ff:ff:ff:ff:ff:ff
ok "h1 sends a broadcast" raw "${PFX}h1" ff:ff:ff:ff:ff:ff $H1
ok "traced" troff
check "bridge: multicast, flood" '[ "$(tq flood "s[\"bridge\"][\"dst\"], s[\"bridge\"][\"out\"]")" = "multicast flood" ]'
check "output: flooded to p2 only" '[ "$(tq flood "s[\"output\"][\"flood\"], s[\"output\"][\"ports\"]")" = "True p2" ]'

# Drops: a frame tagged VLAN 30 on access port p3 (VLAN 20).
ok "trace p3 armed" tron vlan p3 -t 5
ok "h3 sends a frame tagged VLAN 30" raw "${PFX}h3" $H2 02:00:0a:40:00:03 30
ok "traced" troff
check "dropped at the bridge: vlan_not_allowed ($(tq vlan "r.get('drop')"))" \
	'[ "$(tq vlan "r[\"verdict\"], r[\"stopped\"], r[\"drop\"], r[\"frame\"][\"vlan\"]")" = "dropped bridge vlan_not_allowed 30" ]'

# The output port down.
ok "port p2 down" sw "$S" port set p2 down
ok "trace p1 armed (p2 down)" tron down p1 -t 5 dst-mac $H2
ok "h1 sends a frame to h2" raw "${PFX}h1" $H2 $H1
ok "traced" troff
check "dropped at the output: port_down ($(tq down "r.get('drop')"))" \
	'[ "$(tq down "r[\"stopped\"], r[\"drop\"], s[\"bridge\"][\"dst\"]")" = "output port_down p2" ]'
ok "port p2 up" sw "$S" port set p2 up

# A synthetic frame: run dry, h2 gets nothing (that nothing is counted: test_trace.c).
M=wr$$trace
cap_start h2 "${PFX}h2" eth0 "$M"
ok "trace p1 frame (dry)" sw "$S" -j trace p1 frame src-mac 02:00:0a:40:00:09 dst-mac $H2 \
	src 10.64.0.9 dst 10.64.0.2 proto 17 dport 53
last_out >"$TMP/dry.json"
check "synthetic, would be sent to p2" \
	'[ "$(tq dry "r[\"synthetic\"], r[\"verdict\"], s[\"output\"][\"ports\"]")" = "True would_send p2" ]'
check "its frame as asked" '[ "$(tq dry "r[\"frame\"][\"src\"], r[\"frame\"][\"dst_port\"]")" = "10.64.0.9 53" ]'
check "source unknown: would be learned" '[ "$(tq dry "s[\"bridge\"][\"src\"]")" = learn ]'
sleep 0.2	# the frame, had it been sent, would be there by now
cap_stop h2
check "h2 got nothing" '[ "$(cap_count h2 "f[\"src\"] == \"02:00:0a:40:00:09\"")" = 0 ]'
check "nothing learned" '[ -z "$(swq "$S" "[e for e in d[\"entries\"] if e[\"mac\"] == \"02:00:0a:40:00:09\"] or \"\"" fdb show)" ]'

# A chained frame: UDP to port 7000 from h1 to h2 goes into hop 0.
ip -n "$SW" link add f1i type veth peer name eth0 netns "$F1" &&
ip -n "$SW" link add f1o type veth peer name eth1 netns "$F1" &&
ip -n "$F1" link add br0 type bridge && ip -n "$F1" link set eth0 master br0 &&
ip -n "$F1" link set eth1 master br0 && for d in br0 eth0 eth1; do ip -n "$F1" link set $d up; done &&
ip -n "$SW" link set f1i up && ip -n "$SW" link set f1o up
ok "hop ports" sw "$S" port add f1i netns "$SW" dev f1i bd 101
ok "hop ports" sw "$S" port add f1o netns "$SW" dev f1o bd 102
ok "chain add fw" sw "$S" chain add fw bd 1 src 10.64.0.1/32 dst 10.64.0.2/32 proto 17 dst-port 7000 \
	hop in=f1i,out=f1o
ok "trace p1 armed (chain)" tron chain p1 -t 5 proto 17 dst-port 7000
ok "h1 sends UDP to h2:7000" frames_send "${PFX}h1" eth0 <<PY
frames = [Ether(src="$H1", dst="$H2") / IP(src="10.64.0.1", dst="10.64.0.2") / UDP(sport=5000, dport=7000) / Raw(b"trace-chain")]
PY
ok "traced" troff
check "bridge: chain fw, into hop 0, forward, out f1i ($(tq chain "s['bridge'].get('chain')"))" \
	'[ "$(tq chain "s[\"bridge\"][\"chain\"][\"name\"], s[\"bridge\"][\"chain\"][\"action\"], s[\"bridge\"][\"chain\"][\"hop\"], s[\"bridge\"][\"chain\"][\"direction\"], s[\"bridge\"][\"out\"]")" = "fw into 0 forward f1i" ]'
check "output: f1i" '[ "$(tq chain "s[\"output\"][\"ports\"]")" = "f1i" ]'
ok "chain del fw" sw "$S" chain del fw

# A tunnelled frame: VXLAN from 192.0.2.2 in VNI 5010 to h1's MAC.
host_link "$UN" eth0 "$PEER" 192.0.2.2/24 && ip -n "$UN" addr add 192.0.2.1/24 dev eth0
ep_prep "$PEER"
ok "underlay port u" sw "$S" port add u netns "$UN" dev eth0
ok "tunnel vx" sw "$S" tunnel add vx underlay u local 192.0.2.1
ok "VNI 5010 is bd 1" sw "$S" vni set vx 5010 bd 1
ok "VTEP 192.0.2.2" sw "$S" vtep add vx 192.0.2.2
UMAC=$(ip -n "$UN" -br link show eth0 | awk '{print $3}')
ok "trace u armed" tron tun u -t 5 dst-mac $H1
ok "the peer sends a VXLAN frame to h1" frames_send "$PEER" eth0 <<PY
from scapy.layers.vxlan import VXLAN
frames = [Ether(dst="$UMAC") / IP(src="192.0.2.2", dst="192.0.2.1") / UDP(sport=50000, dport=4789) /
          VXLAN(vni=5010) / Ether(src="02:00:0a:40:00:77", dst="$H1", type=0x88b5) / Raw(b"trace-tun")]
PY
ok "traced" troff
check "decap: tunnel vx, VNI 5010, from 192.0.2.2 ($(tq tun "s.get('decap')"))" \
	'[ "$(tq tun "s[\"decap\"][\"port\"], s[\"decap\"][\"vni\"], s[\"decap\"][\"remote\"]")" = "vx 5010 192.0.2.2" ]'
check "bridge: bd 1 to h1's port" '[ "$(tq tun "s[\"bridge\"][\"bd\"], s[\"bridge\"][\"dst\"]")" = "1 p1" ]'
check "output: p1" '[ "$(tq tun "s[\"output\"][\"ports\"]")" = "p1" ]'

# And back: h1's frame to the MAC learned behind the VTEP is encapsulated.
ok "trace p1 armed (encap)" tron encap p1 -t 5 dst-mac 02:00:0a:40:00:77
ok "h1 sends a frame to the MAC behind 192.0.2.2" raw "${PFX}h1" 02:00:0a:40:00:77 $H1
ok "traced" troff
check "bridge: the destination is VTEP 192.0.2.2 of vx ($(tq encap "s['bridge'].get('dst')"))" \
	'[ "$(tq encap "s[\"bridge\"][\"dst\"][\"port\"], s[\"bridge\"][\"dst\"][\"remote\"]")" = "vx 192.0.2.2" ]'
check "output: encapsulated in VNI 5010 to 192.0.2.2 ($(tq encap "s['output'].get('encap')"))" \
	'[ "$(tq encap "s[\"output\"][\"encap\"][0][\"vni\"], s[\"output\"][\"encap\"][0][\"remote\"], r[\"verdict\"]")" = "5010 192.0.2.2 sent" ]'

# One at a time; trace stop disarms.
ok "trace.start" wr_api "$S" trace.start '{"port": "p1", "timeout_s": 30}'
fails "a second trace is refused" 1 wr_api "$S" trace.start '{"port": "p2"}'
check "naming the armed one" "last_out | grep -q 'one is armed already, on port p1'"
ok "trace stop" sw "$S" trace stop
fails "armed no more" 1 armed
sw_stop "$S"
check "warrend stopped cleanly" true
