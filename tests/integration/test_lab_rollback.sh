#!/bin/bash
# A lab that fails half way removes what it made, and only that, and says
# which object failed.
. "$(dirname "$0")/lib.sh"

# 1. Fails at the last step: a route whose gateway no interface reaches.
cat >"$TMP/late.yaml" <<YAML
prefix: ${PFX}
namespaces:
  a:
    interfaces:
      eth0: {addresses: [192.0.2.1/24]}
    routes:
      - {to: 198.51.100.0/24, via: 203.0.113.9}
  b:
    interfaces:
      eth0: {addresses: [192.0.2.2/24]}
  sw: {}
links:
  - {kind: veth, endpoints: [a:eth0, b:eth0]}
  - {kind: bridge, name: sw:br0}
  - {kind: tap, name: t0}
YAML
on_exit "'$WARREN' lab down '$TMP/late.yaml'"
fails "up with an unreachable gateway fails" 1 "$WARREN" lab up "$TMP/late.yaml"
check "the message names the route's namespace" 'last_out | grep -q "${PFX}a"'
check "the message says the lab was undone" 'last_out | grep -q "removed what it made"'
nothing_left

# 2. Fails while creating links: a kind this kernel may lack, or a name clash.
ip netns add "${PFX}keep"
on_exit "ip netns del ${PFX}keep"
ip -n "${PFX}keep" link add clash type bridge
cat >"$TMP/mid.yaml" <<YAML
prefix: ${PFX}
namespaces:
  keep: {}
  new: {}
links:
  - {kind: veth, endpoints: [new:eth0, keep:eth0]}
  - {kind: tap, name: keep:clash}
YAML
fails "up with a device of another kind in the way fails" 1 "$WARREN" lab up "$TMP/mid.yaml"
check "the message names the device in the way" 'last_out | grep -q "clash"'
check "the namespace that was there before is still there" '[ -e /run/netns/${PFX}keep ]'
check "the device that was there before is still there" 'ip -n ${PFX}keep link show clash >/dev/null'
check "the namespace this run made is gone" '[ ! -e /run/netns/${PFX}new ]'
check "the veth end this run made in keep is gone" '! ip -n ${PFX}keep link show eth0 >/dev/null 2>&1'
ip netns del "${PFX}keep"
nothing_left

# 3. A lab with errors is refused before anything is touched.
cat >"$TMP/bad.yaml" <<YAML
prefix: ${PFX}
namespaces:
  ok1: {}
links:
  - {kind: veth, endpoints: [ok1:eth0, nope:eth0]}
YAML
fails "up of an invalid lab fails" 1 "$WARREN" lab up "$TMP/bad.yaml"
check "the error has FILE:LINE:COLUMN" 'last_out | grep -q "bad.yaml:5:"'
nothing_left

# 4. SIGTERM (or ^C) during up: the signal waits until the lab is whole;
# nothing is half made. 100 namespaces take about 0.15 s here, so the signals
# land at several points. (SIGTERM: bash starts background jobs with SIGINT
# ignored.)
{
	echo "prefix: ${PFX}"
	echo "namespaces:"
	for i in $(seq 100); do echo "  n$i: {interfaces: {eth0: {addresses: [192.0.2.$i/24]}}}"; done
	echo "links:"
	for i in $(seq 2 2 100); do echo "  - {kind: veth, endpoints: [n$((i - 1)):eth0, n$i:eth0]}"; done
} >"$TMP/big.yaml"
on_exit "'$WARREN' lab down '$TMP/big.yaml'"
for delay in 0.005 0.01 0.02 0.04 0.08; do
	"$WARREN" lab up "$TMP/big.yaml" >/dev/null 2>&1 &
	up=$!
	sleep $delay
	kill -TERM $up 2>/dev/null
	wait $up
	ok "lab show after SIGTERM at $delay s" "$WARREN" -j lab show "$TMP/big.yaml"
	state=$(json 'd["missing"] in (0, len(d["items"]))')
	check "the lab is either complete or absent, never half" '[ "$state" = True ]'
	ok "lab down" "$WARREN" lab down "$TMP/big.yaml"
	nothing_left
done
