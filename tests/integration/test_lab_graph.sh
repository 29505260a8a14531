#!/bin/bash
# warren lab graph: every example drawn by graphviz without a complaint, the
# graph holding each namespace, device, link, port and tunnel of the file;
# live, devices coloured by their state and ports labelled with warrend's
# counters and learned MACs.
. "$(dirname "$0")/lib.sh"
test_deadline 90

top=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$top"/docs/examples/*.yaml; do
	ok "$(basename "$f"): drawn as SVG" "$WARREN" lab graph "$f" -o "$TMP/g.svg"
done
check "an SVG came out" 'grep -q "<svg" "$TMP/g.svg"'
"$WARREN" lab graph "$top/docs/examples/overlay-a.yaml" >"$TMP/ov.dot"
for want in '"cluster_ns:ov-ua"' '"dev:ov-a1:eth0" -- "dev:ov-ua:a1"' '"port:a1" -- "dev:ov-ua:a1"' \
	'VNI 5010 = bd 10' 'VTEP 198.51.100.1' '"tunnel:vx0" -- "port:u0"' '10.0.0.1/24'; do
	check "overlay-a's graph has $want" 'grep -qF "$want" "$TMP/ov.dot"'
done
"$WARREN" lab graph "$top/docs/examples/chain.yaml" >"$TMP/ch.dot"
check "chain.yaml's graph has the chain and its hop ports" \
	'grep -qF "\"chain:web\" -- \"port:fw-in\" [style=dotted, color=\"#1565c0\", label=\"hop 0 in\"]" "$TMP/ch.dot"'
fails "an output of another kind is refused" 2 "$WARREN" lab graph "$top/docs/examples/router.yaml" -o "$TMP/g.pdf"
check "saying which names it takes" 'last_out | grep -q ".dot, .gv, .svg or .png"'

# Live: a small switched lab, up.
cat >"$TMP/live.yaml" <<YAML
prefix: ${PFX}
namespaces:
  h1:
    interfaces:
      eth0: {addresses: [10.70.0.1/24]}
  h2:
    interfaces:
      eth0: {addresses: [10.70.0.2/24]}
  sw:
links:
  - {kind: veth, endpoints: [h1:eth0, sw:p1]}
  - {kind: veth, endpoints: [h2:eth0, sw:p2]}
switch:
  ports:
    - {name: p1, dev: sw:p1, bd: 1}
    - {name: p2, dev: sw:p2, bd: 1}
YAML
on_exit "'$WARREN' lab down '$TMP/live.yaml'"
ok "lab up" "$WARREN" lab up "$TMP/live.yaml"
ok "h1 pings h2 through the switch" pingr "${PFX}h1" 10.70.0.2
"$WARREN" lab graph "$TMP/live.yaml" live >"$TMP/live.dot"
check "a present device is green" 'grep -F "\"dev:${PFX}h1:eth0\"" "$TMP/live.dot" | grep -q "#2e7d32"'
check "port p1's edge has its counters and one MAC" \
	'grep -F "\"port:p1\" --" "$TMP/live.dot" | grep -Eq "label=\"rx [1-9][0-9]* tx [1-9][0-9]* drops [0-9]+\\\\n1 MACs\""'
ip -n "${PFX}h2" link set eth0 down
"$WARREN" lab graph "$TMP/live.yaml" live >"$TMP/live.dot"
check "a device set down is orange" 'grep -F "\"dev:${PFX}h2:eth0\"" "$TMP/live.dot" | grep -q "#ef6c00"'
ok "drawn live as PNG" "$WARREN" lab graph "$TMP/live.yaml" live -o "$TMP/live.png"
ok "lab down" "$WARREN" lab down "$TMP/live.yaml"
"$WARREN" lab graph "$TMP/live.yaml" live >"$TMP/gone.dot"
check "after down, devices are red and the switch not running" \
	'grep -F "\"dev:${PFX}h1:eth0\"" "$TMP/gone.dot" | grep -q "#c62828" && grep -q "(not running)" "$TMP/gone.dot"'
nothing_left
