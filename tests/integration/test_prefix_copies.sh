#!/bin/bash
# Two copies of one lab, with different prefixes, side by side: both work,
# and removing one leaves the other whole.
. "$(dirname "$0")/lib.sh"

a=$(lab_copy "$EXAMPLES/bridge-3.yaml" "${PFX}a-")
b=$(lab_copy "$EXAMPLES/bridge-3.yaml" "${PFX}b-")
lab_up "$a"
lab_up "$b"
ok "copy a: h1 pings h3" pings "${PFX}a-h1" 192.0.2.3
ok "copy b: h1 pings h3" pings "${PFX}b-h1" 192.0.2.3
ok "lab down a" "$WARREN" lab down "$a"
check "copy a is gone" '! ip netns list | grep -q "^${PFX}a-"'
ok "copy b still complete" "$WARREN" -j lab show "$b"
state=$(json 'd["complete"]')
check "lab show b: complete" '[ "$state" = True ]'
ok "copy b: h2 still pings h1" pings "${PFX}b-h2" 192.0.2.1
ok "lab down b" "$WARREN" lab down "$b"
nothing_left
