#!/bin/bash
# warren lab explain: the way between two namespaces of a running lab, or
# the first place it breaks: through a router (routes, neighbours,
# forwarding), through the switch (its FDB, flooding, bridge domains).
. "$(dirname "$0")/lib.sh"
test_deadline 120

top=$(cd "$(dirname "$0")/../.." && pwd)
sed "s/^namespaces:/prefix: ${PFX}\nnamespaces:/" "$top/docs/examples/router.yaml" >"$TMP/rt.yaml"
on_exit "'$WARREN' lab down '$TMP/rt.yaml'"
ok "router lab up" "$WARREN" lab up "$TMP/rt.yaml"
ok "client reaches server" "$WARREN" lab explain "$TMP/rt.yaml" client server
check "by the router, which holds the client's gateway, to the server's own address" \
	'last_out | grep -q "router holds 198.51.100.1" && last_out | grep -q "server: 203.0.113.2 is its own address: reached"'
ok "and over IPv6" "$WARREN" lab explain "$TMP/rt.yaml" client 2001:db8:2::2
fails "server does not reach 10.9.9.9" 1 "$WARREN" lab explain "$TMP/rt.yaml" server 10.9.9.9
check "the router has no route: step 3" 'last_out | grep -q "✗  router: no route to 10.9.9.9" && last_out | grep -q "breaks at step 3"'
nsx "${PFX}router" sysctl -qw net.ipv4.ip_forward=0
fails "with forwarding off, client does not reach server" 1 "$WARREN" lab explain "$TMP/rt.yaml" client server
check "the router is named" 'last_out | grep -q "router: forwarding is off"'
fails "-j says the same" 1 "$WARREN" -j lab explain "$TMP/rt.yaml" client server
check "as JSON (breaks_at 3, not reached)" '[ "$(json "d[\"breaks_at\"], d[\"reached\"]")" = "3 False" ]'
fails "an unknown namespace" 1 "$WARREN" lab explain "$TMP/rt.yaml" nobody server
check "is said" 'last_out | grep -q "namespace nobody is not there"'
ok "router lab down" "$WARREN" lab down "$TMP/rt.yaml"

# Through the switch: h1 and h2 in bridge domain 1, h3 in 2, one subnet.
cat >"$TMP/sw.yaml" <<YAML
prefix: ${PFX}
namespaces:
  h1:
    interfaces:
      eth0: {addresses: [10.71.0.1/24]}
  h2:
    interfaces:
      eth0: {addresses: [10.71.0.2/24]}
  h3:
    interfaces:
      eth0: {addresses: [10.71.0.3/24]}
  h4:
    interfaces:
      eth0: {addresses: [10.71.0.4/24]}
  h5:
    interfaces:
      eth0: {addresses: [10.71.0.5/24]}
  sw:
links:
  - {kind: veth, endpoints: [h1:eth0, sw:p1]}
  - {kind: veth, endpoints: [h2:eth0, sw:p2]}
  - {kind: veth, endpoints: [h3:eth0, sw:p3]}
  - {kind: veth, endpoints: [h4:eth0, sw:p4]}
  - {kind: veth, endpoints: [h5:eth0, sw:p5]}
switch:
  ports:
    - {name: p1, dev: sw:p1, bd: 1}
    - {name: p2, dev: sw:p2, bd: 1}
    - {name: p3, dev: sw:p3, bd: 2}
    - {name: p4, dev: sw:p4, vlan: access, access: 10}
    - {name: p5, dev: sw:p5, vlan: access, access: 20}
YAML
on_exit "'$WARREN' lab down '$TMP/sw.yaml'"
ok "switch lab up" "$WARREN" lab up "$TMP/sw.yaml"
ok "h1 reaches h2 before any frame: flooded" "$WARREN" lab explain "$TMP/sw.yaml" h1 h2
check "the switch floods the unknown MAC in bd 1 to p2" 'last_out | grep -Eq "(is not in the FDB|is not known yet).*flooded"'
ok "h1 pings h2" pingr "${PFX}h1" 10.71.0.2
ok "h1 reaches h2 after" "$WARREN" lab explain "$TMP/sw.yaml" h1 h2
check "by the port h2's MAC is learned on" 'last_out | grep -q "is learned on port p2"'
fails "h1 does not reach h3, in another bridge domain" 1 "$WARREN" lab explain "$TMP/sw.yaml" h1 h3
check "the domains are named" 'last_out | grep -q "behind port p3 in bd 2, and port p1 is in bd 1"'
fails "h4 does not reach h5, of another VLAN" 1 "$WARREN" lab explain "$TMP/sw.yaml" h4 h5
check "the VLANs and their domains are named" \
	'last_out | grep -q "behind port p5 (access VLAN 20) in bd 20, and port p4 (access VLAN 10) is in bd 10"'
ok "switch lab down" "$WARREN" lab down "$TMP/sw.yaml"
nothing_left
