#!/bin/bash
# BGP EVPN through FRR (docs/evpn.md): three hosts, each an underlay
# namespace with its warrend, zebra, bgpd and warren-evpnd, and a route
# reflector; the underlays on a Linux bridge in a namespace of their own:
#
#   a1 - warrend A  ua:eth0 (192.0.2.1) -pa-+
#   b1 - warrend B  ub:eth0 (192.0.2.2) -pb-+- br0 (namespace u)
#   c1 - warrend C  uc:eth0 (192.0.2.3) -pc-+
#        route reflector rr:eth0 (.254) -pr-+
#
# VNI 5010 is bridge domain 10 on each warrend's tunnel vx0; no VTEP is
# configured by hand: EVPN's type-3 routes make them. Checked: the flood
# lists; a MAC learned on A in B's and C's FDBs behind A within 5 s, and
# unicast to it from C then reaching only A's underlay; the MAC moved to B
# (withdrawn, learned again, behind B on A and C); warrend restarted on B
# and zebra restarted on C with the same state after and nothing stale;
# A's FRR stopped: A's VTEP and MACs gone from B and C.
. "$(dirname "$0")/lib.sh"
test_deadline 170
EVPND=${EVPND:-$(dirname "$WARREN")/warren-evpnd}
FRR=/usr/lib/frr
[ -x "$FRR/zebra" ] && [ -x "$FRR/bgpd" ] || skip "FRR is not installed (apt-get install frr)"
[ -x "$EVPND" ] || { echo "FAIL: $EVPND not built"; exit 1; }
FASTPATH=off	# the VTEPs' counters count every frame (the kernel's fast path would skip them)

U=${PFX}u RR=${PFX}rr
declare -A IP=([a]=192.0.2.1 [b]=192.0.2.2 [c]=192.0.2.3 [rr]=192.0.2.254)
declare -A TMAC=([a]=02:00:0a:45:00:01 [b]=02:00:0a:45:00:02 [c]=02:00:0a:45:00:03)
mkns "$U" "$RR" "${PFX}ua" "${PFX}ub" "${PFX}uc" "${PFX}a1" "${PFX}b1" "${PFX}c1"
ip -n "$U" link add br0 type bridge && ip -n "$U" link set br0 up
# underlay NS PORT ADDR: NS's eth0 (ADDR/24) on br0's PORT.
underlay() {
	ip -n "$U" link add "$2" type veth peer name eth0 netns "$1" &&
	ip -n "$U" link set "$2" master br0 && ip -n "$U" link set "$2" up &&
	ip -n "$1" addr add "$3/24" dev eth0 && ip -n "$1" link set eth0 up
}
for h in a b c; do underlay "${PFX}u$h" p$h "${IP[$h]}"; done
underlay "$RR" pr "${IP[rr]}"
mac_of() { ip -n "$1" -j link show "$2" | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }

# frr_start NAME NS ROLE: zebra and bgpd in NS with pathspace NAME (vtysh -N
# NAME reaches them); their files in /run/frr/NAME, removed on exit.
frr_conf() {
	local name=$1 ip=$2 role=$3
	echo "hostname $name"
	echo "router bgp 65000"
	echo " bgp router-id $ip"
	echo " no bgp default ipv4-unicast"
	if [ "$role" = rr ]; then
		echo " neighbor hosts peer-group"
		echo " neighbor hosts remote-as 65000"
		echo " neighbor hosts timers 1 3"
		echo " bgp listen range 192.0.2.0/24 peer-group hosts"
		echo " address-family l2vpn evpn"
		echo "  neighbor hosts activate"
		echo "  neighbor hosts route-reflector-client"
	else
		echo " neighbor ${IP[rr]} remote-as 65000"
		echo " neighbor ${IP[rr]} timers 1 3"
		echo " neighbor ${IP[rr]} timers connect 1"
		echo " address-family l2vpn evpn"
		echo "  neighbor ${IP[rr]} activate"
		echo "  advertise-all-vni"
	fi
	echo " exit-address-family"
}
frr_daemon() {	# NAME NS DAEMON
	local dir=/run/frr/$1
	ip netns exec "$2" "$FRR/$3" -d -F datacenter -N "$1" -f "$dir/frr.conf" \
		-i "$dir/$3.pid" --log "file:$dir/$3.log" 7>&-
}
frr_stop() {	# NAME DAEMON...
	local n=$1 d pid; shift
	for d; do
		pid=$(cat "/run/frr/$n/$d.pid" 2>/dev/null) || continue
		kill -TERM "$pid" 2>/dev/null && wait_until 5 "[ ! -d /proc/$pid ]" || kill -KILL "$pid" 2>/dev/null
	done
}
frr_start() {
	local name=$1 ns=$2 role=$3 dir=/run/frr/$1
	mkdir -p "$dir" && chown frr:frr "$dir"
	on_exit "rm -rf '$dir'"
	on_exit "frr_stop '$name' zebra bgpd"
	frr_conf "$name" "${IP[$role]:-${IP[rr]}}" "$role" >"$dir/frr.conf"
	ok "$name: zebra starts" frr_daemon "$name" "$ns" zebra
	ok "$name: bgpd starts" frr_daemon "$name" "$ns" bgpd
}

# anchors NS LOCAL: the kernel side of VNI 5010 that zebra sees (docs/evpn.md).
anchors() {
	ip -n "$1" link add br5010 type bridge &&
	ip -n "$1" link add evx5010 type vxlan id 5010 local "$2" dstport 4790 nolearning &&
	ip -n "$1" link add esh5010 type veth peer name esh5010p &&
	ip -n "$1" link set evx5010 master br5010 && ip -n "$1" link set esh5010 master br5010 &&
	nsx "$1" bridge link set dev esh5010 learning off &&
	for d in br5010 evx5010 esh5010 esh5010p; do ip -n "$1" link set "$d" up || return 1; done
}

# sw_host H: warrend of host H: underlay u, tenant t1 (bd 10), tunnel vx0, VNI 5010.
sw_host() {
	local h=$1 s=${PFX}$1 ns=${PFX}u$1
	sw_start "$s"
	ok "$h: underlay, tenant, tunnel, VNI" eval 'sw "$s" port add u netns "$ns" dev eth0 &&
		sw "$s" port add t1 netns "$ns" dev t1 bd 10 &&
		wr_api "$s" tunnel.add "{\"name\": \"vx0\", \"underlay\": \"u\", \"local\": \"${IP[$h]}\"}" &&
		wr_api "$s" vni.set "{\"tunnel\": \"vx0\", \"vni\": 5010, \"bd\": 10}"'
}
declare -A EVPID
# evpnd_start H: host H's companion; C's makes its anchors itself (--local).
evpnd_start() {
	local mk=()
	[ "$1" = c ] && mk=(--local "${IP[c]}")
	"$EVPND" -s "${PFX}$1" -n "${PFX}u$1" -t vx0 --vni 5010:10 -i 100 "${mk[@]}" \
		>>"$TMP/evpnd-$1.log" 2>&1 7>&- &
	EVPID[$1]=$!
	on_exit "kill ${EVPID[$1]} 2>/dev/null; wait ${EVPID[$1]} 2>/dev/null"
}

# The companions write their status files until they end: removed after them.
on_exit "rm -f '$WR_RUN/${PFX}a.evpn.json' '$WR_RUN/${PFX}b.evpn.json' '$WR_RUN/${PFX}c.evpn.json'"
frr_start "${PFX}rr" "$RR" rr
for h in a b c; do
	host_link "${PFX}u$h" t1 "${PFX}${h}1" "10.69.0.${IP[$h]##*.}/24" "${TMAC[$h]}"
	[ $h = c ] || ok "$h: anchors" anchors "${PFX}u$h" "${IP[$h]}"
	sw_host $h
	frr_start "${PFX}$h" "${PFX}u$h" "$h"
	evpnd_start $h
done

# vteps H: host H's warrend's VTEPs, "IP:flood" sorted.
vteps() {
	swq "${PFX}$1" '" ".join(sorted("%s:%s" % (v["remote"], v["flood"]) for t in d["tunnels"] for v in t["vteps"]))' tunnel list
}
# at H MAC: where host H's warrend has MAC in bd 10: "local", "REMOTE:static" or "".
at() {
	wr_api "${PFX}$1" fdb.show '{"bd": 10}' | $PY -c 'import json, sys
for e in json.load(sys.stdin)["result"]["entries"]:
    if e["mac"] == sys.argv[1]:
        print("%s:%s" % (e["remote"], e["static"]) if e.get("remote") else "local")' "$2"
}
# remotes H: host H's static entries behind VTEPs, "MAC@REMOTE" sorted.
remotes() {
	wr_api "${PFX}$1" fdb.show '{"bd": 10}' | $PY -c 'import json, sys
print(" ".join(sorted("%s@%s" % (e["mac"], e["remote"]) for e in json.load(sys.stdin)["result"]["entries"] if e.get("remote") and e["static"])))'
}
# speak MAC NS: one broadcast frame from NS's eth0 with source MAC, carrying
# marker evpn-hello; hello H: from host H's tenant.
speak() {
	echo "frames = [Ether(src='$1', dst='ff:ff:ff:ff:ff:ff', type=0x88b5)/Raw(b'evpn-hello' + bytes(50))]" |
		frames_send "$2" eth0
}
hello() { speak "${TMAC[$1]}" "${PFX}${1}1"; }

shadow_c() { nsx "${PFX}uc" bridge -d link show dev esh5010 | tr '\n' ' '; }
check "C's companion made C's anchors: the shadow port in br5010, not learning (5 s)" \
	'wait_until 5 "shadow_c | grep -q \"master br5010 .*learning off\""'
ok "vtysh -N reaches each pathspace" eval 'vtysh -N "${PFX}a" -c "show evpn vni" 2>/dev/null | grep -q evx5010'
check "type-3 routes: each warrend has the other two VTEPs on its flood list (30 s)" \
	'wait_until 30 "[ \"\$(vteps a)\" = \"192.0.2.2:True 192.0.2.3:True\" ] && [ \"\$(vteps b)\" = \"192.0.2.1:True 192.0.2.3:True\" ] && [ \"\$(vteps c)\" = \"192.0.2.1:True 192.0.2.2:True\" ]"'
echo "     vteps a: $(vteps a); b: $(vteps b); c: $(vteps c)"

# 1. A MAC learned on A: in B's and C's FDB behind A.
t0=$(ms)
ok "a1 speaks" hello a
check "A learned a1 on its port" 'wait_until 2 "[ \"\$(at a ${TMAC[a]})\" = local ]"'
wait_until 10 '[ "$(at c ${TMAC[a]})" = 192.0.2.1:True ] && [ "$(at b ${TMAC[a]})" = 192.0.2.1:True ]'
t1=$(ms)
check "a1 is static behind 192.0.2.1 on B and C within 5 s ($((t1 - t0)) ms)" \
	'[ "$(at b ${TMAC[a]})" = 192.0.2.1:True ] && [ "$(at c ${TMAC[a]})" = 192.0.2.1:True ] && [ $((t1 - t0)) -le 5000 ]'
check "zebra on A has a1 local on the shadow port" \
	'vtysh -N "${PFX}a" -c "show evpn mac vni 5010" 2>/dev/null | grep -q "${TMAC[a]} *local *esh5010"'

# 2. Unicast from C to a1 goes to A only: no flood once the route is there.
ok "c1 speaks (learned before the test frames)" hello c
wait_until 10 '[ "$(at a ${TMAC[c]})" = 192.0.2.3:True ]'
cap_start pc "$U" pc evpnflood
mac_ua=$(mac_of "${PFX}ua" eth0) mac_ub=$(mac_of "${PFX}ub" eth0)
ok "c1 sends 20 frames to a1" eval "echo \"frames = [Ether(src='${TMAC[c]}', dst='${TMAC[a]}', type=0x88b5)/Raw(b'evpnflood' + bytes(50))] * 20\" | frames_send '${PFX}c1' eth0"
sleep 1
cap_stop pc
n_a=$(cap_count pc "f['dst'] == '$mac_ua'") n_b=$(cap_count pc "f['dst'] == '$mac_ub'")
check "all 20 went from C to A's underlay, none to B's (A: $n_a, B: $n_b)" '[ "$n_a" = 20 ] && [ "$n_b" = 0 ]'

# 3. a1 moves to B: gone from A (port deleted), withdrawn, learned on B, behind B on A and C.
ok "A's tenant port goes" sw "${PFX}a" port del t1
check "a1 withdrawn from B and C (10 s)" \
	'wait_until 10 "[ -z \"\$(at b ${TMAC[a]})\" ] && [ -z \"\$(at c ${TMAC[a]})\" ]"'
mkns "${PFX}a1b"
host_link "${PFX}ub" t2 "${PFX}a1b" 10.69.0.11/24 "${TMAC[a]}"
ok "B's port for the moved a1" sw "${PFX}b" port add t2 netns "${PFX}ub" dev t2 bd 10
ok "a1 speaks on B" speak "${TMAC[a]}" "${PFX}a1b"
check "a1 is behind 192.0.2.2 on A and C (10 s)" \
	'wait_until 10 "[ \"\$(at a ${TMAC[a]})\" = 192.0.2.2:True ] && [ \"\$(at c ${TMAC[a]})\" = 192.0.2.2:True ]"'

# 4. warrend restarted on B: the same remote state, no stale entry.
hello c >/dev/null; hello b >/dev/null
wait_until 10 '[ "$(at a ${TMAC[b]})" = 192.0.2.2:True ] && [ "$(at c ${TMAC[b]})" = 192.0.2.2:True ]'
before_b=$(remotes b) vteps_b=$(vteps b)
check "B has c1 behind C before its restart ($before_b)" '[ "$before_b" = "${TMAC[c]}@192.0.2.3" ]'
ok "warrend B stops" sw_stop "${PFX}b"
sw_host b
ok "B's port for the moved a1 again" sw "${PFX}b" port add t2 netns "${PFX}ub" dev t2 bd 10
check "after B's restart: the same VTEPs and remote entries (10 s)" \
	'wait_until 10 "[ \"\$(remotes b)\" = \"$before_b\" ] && [ \"\$(vteps b)\" = \"$vteps_b\" ]"'
echo "     B: $(vteps b); $(remotes b)"
ok "b1 and the moved a1 speak again on B" eval 'hello b && speak "${TMAC[a]}" "${PFX}a1b"'
check "and are behind B on C again (10 s)" \
	'wait_until 10 "[ \"\$(at c ${TMAC[a]})\" = 192.0.2.2:True ] && [ \"\$(at c ${TMAC[b]})\" = 192.0.2.2:True ]"'

# 5. zebra restarted on C, as FRR's watchfrr restarts it: with bgpd (8.4's
# bgpd does not give a new zebra the remote VTEPs and MACs it had given the
# old one). The same remote state after, nothing stale.
before_c=$(remotes c) vteps_c=$(vteps c)
frr_stop "${PFX}c" bgpd zebra
check "C's zebra withdrew its kernel entries, and the companion Warren's (10 s)" \
	'wait_until 10 "[ -z \"\$(vteps c)\" ] && [ -z \"\$(remotes c)\" ]"'
ok "C's zebra and bgpd start again" eval 'frr_daemon "${PFX}c" "${PFX}uc" zebra && frr_daemon "${PFX}c" "${PFX}uc" bgpd'
check "after C's zebra restart: the same VTEPs and remote entries (20 s; before: $vteps_c; $before_c)" \
	'wait_until 20 "[ \"\$(remotes c)\" = \"$before_c\" ] && [ \"\$(vteps c)\" = \"$vteps_c\" ]"'
echo "     C: $(vteps c); $(remotes c)"
ok "C's companion reports no error" eval '"$EVPND" status "${PFX}c" -j | $PY -c "import json,sys; d=json.load(sys.stdin); sys.exit(d[\"kernel_errors\"] + d[\"errors\"] > 0)"'

# 5b. The companion restarted: what Warren has from EVPN that the kernel no
# longer has goes (an entry behind A that no route names).
kill "${EVPID[c]}"; wait "${EVPID[c]}"
ok "a static entry behind A on C that EVPN does not have" wr_api "${PFX}c" fdb.add \
	'{"mac": "02:00:00:00:99:99", "port": "vx0", "remote": "192.0.2.1", "bd": 10}'
evpnd_start c
check "C's companion restarted removes it, keeps the rest (5 s)" \
	'wait_until 5 "[ \"\$(remotes c)\" = \"$before_c\" ]"'

# 6. A's VTEP goes down (its FRR stops): its flood entry and MACs leave B and C.
frr_stop "${PFX}a" bgpd zebra
check "A's VTEP gone from B and C (15 s)" \
	'wait_until 15 "[ \"\$(vteps b)\" = 192.0.2.3:True ] && [ \"\$(vteps c)\" = 192.0.2.2:True ]"'
check "and no entry behind A left on B or C" \
	'! remotes b | grep -q 192.0.2.1 && ! remotes c | grep -q 192.0.2.1'
"$EVPND" status "${PFX}b" | sed 's/^/     /' | head -24
