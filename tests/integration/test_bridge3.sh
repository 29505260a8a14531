#!/bin/bash
# docs/examples/bridge-3.yaml: three hosts on a kernel bridge in namespace sw;
# every pair pings, the ports are enslaved, down leaves nothing.
. "$(dirname "$0")/lib.sh"

lab=$(lab_copy "$EXAMPLES/bridge-3.yaml")
lab_up "$lab"
declare -A addr=([h1]=192.0.2.1 [h2]=192.0.2.2 [h3]=192.0.2.3)
for a in h1 h2 h3; do
	for b in h1 h2 h3; do
		[ $a = $b ] && continue
		ok "$a pings $b" pings "$PFX$a" "${addr[$b]}"
	done
done
ok "h1 pings h3 over IPv6" pings "${PFX}h1" 2001:db8::3
ok "link show in sw" "$WARREN" -j -n "${PFX}sw" link show
ports=$(json '" ".join(sorted(l["ifname"] for l in d if l["master"] == "br0"))')
check "h1, h2, h3 are ports of br0" '[ "$ports" = "h1 h2 h3" ]'
br=$(json '" ".join("%s/%s" % (l["kind"], l["up"]) for l in d if l["ifname"] == "br0")')
check "br0 is a bridge and up" '[ "$br" = bridge/True ]'
ok "lab down" "$WARREN" lab down "$lab"
nothing_left
