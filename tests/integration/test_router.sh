#!/bin/bash
# docs/examples/router.yaml: forwarding in the router; the client reaches the
# server and the internet host (IPv4, IPv6) and fetches a page over HTTP.
. "$(dirname "$0")/lib.sh"

lab=$(lab_copy "$EXAMPLES/router.yaml")
lab_up "$lab"
ok "client pings server" pings "${PFX}client" 203.0.113.2
ok "client pings internet" pings "${PFX}client" 192.0.2.2
ok "internet pings server" pings "${PFX}internet" 203.0.113.2
ok "client pings server over IPv6" pings "${PFX}client" 2001:db8:2::2
ok "client pings internet over IPv6" pings "${PFX}client" 2001:db8:3::2
ok "forwarding is on in router" "$WARREN" -j -n "${PFX}router" sysctl get net.ipv4.ip_forward
fwd=$(json 'd["net.ipv4.ip_forward"]')
check "net.ipv4.ip_forward = 1" '[ "$fwd" = 1 ]'

echo "warren router test page" >"$TMP/index.html"
ip netns exec "${PFX}server" timeout 60 python3 -m http.server --bind 203.0.113.2 \
	--directory "$TMP" 8080 >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
for _ in $(seq 50); do
	ip netns exec "${PFX}server" ss -ltn | grep -q '203.0.113.2:8080' && break
	sleep 0.1
done
ok "client fetches a page from server" \
	nsx "${PFX}client" curl -sS --max-time 5 -o "$TMP/got" http://203.0.113.2:8080/index.html
check "the page is the one served" 'grep -q "warren router test page" "$TMP/got"'
check "the client has no route of its own to 203.0.113.0/24 (it goes via the router)" \
	'ip -n "${PFX}client" route get 203.0.113.2 | grep -q "via 198.51.100.1"'
ok "lab down (stops the HTTP server too)" "$WARREN" lab down "$lab"
nothing_left
