#!/bin/bash
# docs/examples/overlay-a.yaml and overlay-b.yaml: two lab files, each a
# host with its own warrend, joined by a routed underlay they share. `lab
# up` of both gives a VXLAN overlay whose next hops are the router (ARP
# through the underlay ports); the tenants of one VNI reach each other, not
# those of the other; `warren tunnel show` and `fdb show` tell it; `lab
# down` of both leaves nothing.
. "$(dirname "$0")/lib.sh"
test_deadline 90

# Both files share the namespace wire: one prefix for both, in place of ov-.
for h in a b; do
	sed "s/^prefix: ov-$/prefix: $PFX/" "$EXAMPLES/overlay-$h.yaml" >"$TMP/overlay-$h.yaml"
done
export WARREND
lab_up "$TMP/overlay-a.yaml" 7>&-
lab_up "$TMP/overlay-b.yaml" 7>&-
A=${PFX}hosta B=${PFX}hostb
for s in "$A" "$B"; do
	on_exit "rm -f '$WR_RUN/$s.log'"
	on_exit "sw_stop '$s'"
done
wait_until 5 '[ "$(swq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"resolved\"]" tunnel show)" = True ]'
got=$(swq "$A" 'd["tunnels"][0]["vteps"][0]["nexthop"]["resolved"], d["tunnels"][0]["vteps"][0]["nexthop"]["via"], [v["vni"] for v in d["tunnels"][0]["vnis"]]' tunnel show)
check "A's VTEP 198.51.100.1 is reached through the router 192.0.2.254 (got: $got)" \
	'[ "$got" = "True 192.0.2.254 [5010, 5020]" ]'
ok "a1 pings b1 (VNI 5010)" pingr "${PFX}a1" 10.0.0.2
ok "b2 pings a2 (VNI 5020)" pingr "${PFX}b2" 10.0.0.3
fails "a1 does not reach b2 (VNI 5020)" 1 noping "${PFX}a1" 10.0.0.4
got=$(swq "$B" 'sorted(set((e["bd"], e["port"], e.get("remote")) for e in d["entries"] if e.get("remote")))' fdb show)
check "B learned A's tenants behind 192.0.2.1 in both domains (got: $got)" \
	"[ \"\$got\" = \"[(10, 'vx0', '192.0.2.1'), (20, 'vx0', '192.0.2.1')]\" ]"
ok "tunnel show for people" sw "$A" tunnel show
check "it names the VTEP and its next hop" 'last_out | grep -q "vtep 198.51.100.1 flood on: next hop .* via 192.0.2.254 dev eth0"'
ok "lab down B" "$WARREN" lab down "$TMP/overlay-b.yaml"
ok "lab down A" "$WARREN" lab down "$TMP/overlay-a.yaml"
nothing_left
