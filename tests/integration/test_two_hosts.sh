#!/bin/bash
# docs/examples/two-hosts.yaml: up, ping both ways (IPv4, IPv6), show says
# complete, a second up changes nothing, down leaves nothing.
. "$(dirname "$0")/lib.sh"

lab=$(lab_copy "$EXAMPLES/two-hosts.yaml")
lab_up "$lab"
ok "h1 pings h2" pings "${PFX}h1" 192.0.2.2
ok "h2 pings h1" pings "${PFX}h2" 192.0.2.1
ok "h1 pings h2 over IPv6" pings "${PFX}h1" 2001:db8::2
ok "loopback is up in h1" pings "${PFX}h1" 127.0.0.1
ok "lab show -j" "$WARREN" -j lab show "$lab"
state=$(json 'd["complete"], d["missing"], len(d["items"])')
check "show: complete, 0 missing, 8 items (2 ns, 2 links, 4 addresses)" '[ "$state" = "True 0 8" ]'
ok "second up" "$WARREN" lab up "$lab"
ok "h1 still pings h2" pings "${PFX}h1" 192.0.2.2
ok "h1 has its addresses once" "$WARREN" -j -n "${PFX}h1" addr show dev eth0
n=$(json '[a["address"] for a in d].count("192.0.2.1")')
check "192.0.2.1 is there exactly once" '[ "$n" = 1 ]'
ok "lab down" "$WARREN" lab down "$lab"
nothing_left
ok "lab show after down" "$WARREN" -j lab show "$lab"
state=$(json 'd["complete"], d["missing"]')
check "show: all 8 missing" '[ "$state" = "False 8" ]'
ok "second down is fine" "$WARREN" lab down "$lab"
