#!/bin/bash
# docs/examples/evpn-rr.yaml, evpn-a.yaml and evpn-b.yaml: a route reflector
# and two hosts, each a lab file; `lab up` writes FRR's configuration,
# starts zebra and bgpd in the namespace (vtysh -N works) and, on a host,
# warren-evpnd, which makes the anchors. Checked: each host's warrend gets
# the other's VTEP from its type-3 route; a1 and b1 ping across; each
# tenant's MAC is static behind its host's VTEP on the other; a second `up`
# changes nothing; `lab down` of all three leaves nothing: no process, no
# /run/frr folder, no namespace.
. "$(dirname "$0")/lib.sh"
test_deadline 120
[ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/bgpd ] || skip "FRR is not installed (apt-get install frr)"
export WARREND WARREN_EVPND=${EVPND:-$(dirname "$WARREN")/warren-evpnd}

# All three share the namespace wire: one prefix for all, in place of ev-.
for f in rr a b; do
	sed "s/^prefix: ev-$/prefix: $PFX/" "$EXAMPLES/evpn-$f.yaml" >"$TMP/evpn-$f.yaml"
done
A=${PFX}hosta B=${PFX}hostb
for s in "$A" "$B"; do
	on_exit "rm -f '$WR_RUN/$s.log'"
	on_exit "sw_stop '$s'"
done
# lab_up registers lab down first: on every way out, FRR and the companions stop.
lab_up "$TMP/evpn-rr.yaml" 7>&-
lab_up "$TMP/evpn-a.yaml" 7>&-
lab_up "$TMP/evpn-b.yaml" 7>&-

ok "frr.conf written in A's pathspace folder" grep -q "advertise-all-vni" "/run/frr/${PFX}ua/frr.conf"
ok "vtysh -N reaches A's FRR" eval 'vtysh -N "${PFX}ua" -c "show evpn vni" 2>/dev/null | grep -q "5010 *L2 *evx5010"'
vtep() { swq "$1" '" ".join("%s:%s" % (v["remote"], v["flood"]) for v in d["tunnels"][0]["vteps"])' tunnel show; }
check "each host has the other's VTEP on its flood list (30 s)" \
	'wait_until 30 "[ \"\$(vtep $A)\" = 192.0.2.2:True ] && [ \"\$(vtep $B)\" = 192.0.2.1:True ]"'
ok "a1 pings b1 across VNI 5010" pingr "${PFX}a1" 10.0.0.2
mac_of() { ip -n "$1" -j link show eth0 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }
ma=$(mac_of "${PFX}a1") mb=$(mac_of "${PFX}b1")
st() { swq "$1" "' '.join('%s:%s' % (e.get('remote'), e['static']) for e in d['entries'] if e['mac'] == '$2')" fdb show; }
check "b1 is static behind 192.0.2.2 on A, a1 behind 192.0.2.1 on B (10 s)" \
	'wait_until 10 "[ \"\$(st $A $mb)\" = 192.0.2.2:True ] && [ \"\$(st $B $ma)\" = 192.0.2.1:True ]"'
pids() { cat /run/frr/"${PFX}"u"$1"/{zebra,bgpd,warren-evpnd}.pid 2>/dev/null | tr '\n' ' '; }
before=$(pids a)
ok "a second lab up of A" "$WARREN" lab up "$TMP/evpn-a.yaml"
check "changes nothing: the same daemons ($before)" '[ "$(pids a)" = "$before" ] && [ -n "$before" ]'
ok "warren-evpnd status of A" "$WARREN_EVPND" status "$A" -j
check "its companion counts no error" '[ "$(json "d[\"errors\"] + d[\"kernel_errors\"]")" = 0 ]'

ok "lab down B" "$WARREN" lab down "$TMP/evpn-b.yaml"
ok "lab down A" "$WARREN" lab down "$TMP/evpn-a.yaml"
ok "lab down rr" "$WARREN" lab down "$TMP/evpn-rr.yaml"
left=""
for p in $before; do [ -d /proc/$p ] && left="$left $p"; done
check "zebra, bgpd and warren-evpnd of A ended ($before)" '[ -z "$left" ]'
check "no FRR folder left" '! ls -d /run/frr/"$PFX"* 2>/dev/null'
check "no companion status left" '[ ! -e "$WR_RUN/$A.evpn.json" ]'
nothing_left
