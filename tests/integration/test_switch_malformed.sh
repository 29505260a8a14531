#!/bin/bash
# Malformed frames (scapy) and malformed API messages never hurt warrend:
# frames are counted by reason (drops for what cannot be bridged, the event
# l3_malformed for broken IP that is bridged as L2), every bad message gets
# an error reply, and warrend keeps answering health and forwarding pings.
. "$(dirname "$0")/lib.sh"
test_deadline 120

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 4 10.56.0
# h1 may send frames of up to 3000 bytes; the other hosts take 1500.
ip -n "${PFX}h1" link set eth0 mtu 3000
ip -n "$SW" link set h1 mtu 3000
sw_start "$S"
pid=$(sw_pid "$S")
ok "port add p1, p2 (bd 1)" eval 'sw "$S" port add p1 netns "$SW" dev h1 && sw "$S" port add p2 netns "$SW" dev h2'
ok "port add p3 (trunk 10), p4 (access 10)" \
	eval 'sw "$S" port add p3 netns "$SW" dev h3 trunk 10 && sw "$S" port add p4 netns "$SW" dev h4 access 10'
ok "h1 pings h2" pingr "${PFX}h1" 10.56.0.2
ok "stats -j before" sw "$S" -j stats
cp "$TMP/out" "$TMP/stats0.json"

# ------------------------------------------------------------- frames
M=wr$$bad
h1=02:00:0a:38:00:01 h2=02:00:0a:38:00:02 h3=02:00:0a:38:00:03 h4=02:00:0a:38:00:04
cap_start h2 "${PFX}h2" eth0 "$M"
cap_start h4 "${PFX}h4" eth0 "$M"
kd0=$(kdrops)
# Each list's frames carry the marker where there is room for it; the
# counts below are the lists' lengths.
ok "h1 sends malformed frames" frames_send "${PFX}h1" eth0 <<EOF
E = lambda t=None, src="$h1", dst="$h2": Ether(src=src, dst=dst, type=t) if t is not None else Ether(src=src, dst=dst)
m = b"$M"
ip = IP(src="10.56.0.1", dst="10.56.0.2")
ip6 = IPv6(src="fd00::1", dst="fd00::2")
# Broken IPv4/IPv6/UDP/TCP: bridged as L2, counted as l3_malformed (11).
l3 = [
    bytes(E(0x0800)),                                          # ethertype IPv4, nothing after
    bytes(E() / ip / UDP() / m)[:14 + 10],                     # IPv4 header cut short
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", ihl=15) / Raw(m)),  # IHL 60 bytes, 20 there
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", len=1000) / Raw(m)),  # total length past the end
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", len=10) / Raw(m)),    # total length under the header
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", ihl=3) / Raw(m)),     # IHL under 5
    bytes(E() / ip / UDP())[:14 + 20 + 4],                     # UDP header cut short
    bytes(E() / ip / UDP(len=500) / m),                        # UDP length past the datagram
    bytes(E() / ip / TCP(dataofs=15) / m),                     # TCP data offset past the segment
    bytes(E(0x86dd) / Raw(bytes(ip6)[:20])),                   # IPv6 header cut short
    bytes(E() / IPv6(src="fd00::1", dst="fd00::2", plen=1000) / Raw(m)),  # payload length past the end
]
# Cut-short VLAN tags: dropped as parse_vlan (4).
vlan = [
    bytes(E(0x8100)),                                          # a TPID and no tag
    bytes(E(0x8100)) + b"\x00",                                # one byte of tag
    bytes(E(0x88a8)) + b"\x00\x05\x81\x00",                    # outer tag, inner TPID, no inner tag
    bytes(E(0x88a8)) + b"\x00\x05\x81",                        # outer tag cut, half an ethertype
]
# Multicast or zero source: dropped as parse_src_mcast (3).
src = [
    bytes(E(0x88b5, src="01:00:5e:00:00:01") / m),
    bytes(E(0x88b5, src="ff:ff:ff:ff:ff:ff") / m),
    bytes(E(0x88b5, src="00:00:00:00:00:00") / m),
]
# Odd but bridgeable: runts of 14 to 20 bytes, 802.3 length fields that
# lie, two and three tags, IPv6 with too many extension headers, IPv4
# options, IPv4 fragments (9 + 6 runts).
odd = [
    bytes(E(0x0020) / Raw(m + bytes(100))),                    # 802.3 length 32, 100+ bytes there
    bytes(E(0x05dc) / Raw(m)),                                 # 802.3 length 1500, a few there
    bytes(E(0x0000) / Raw(m)),                                 # length 0
    bytes(E() / Dot1Q(vlan=10) / Dot1Q(vlan=20) / ip / UDP() / m),          # two tags
    bytes(E() / Dot1AD(vlan=10) / Dot1Q(vlan=20) / Dot1Q(vlan=30) / ip / m),  # three tags
    bytes(E() / IPv6(src="fd00::1", dst="fd00::2") / (IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop()) / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / UDP() / m),
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", options=[IPOption_RR()]) / UDP() / m),
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", flags="MF") / UDP() / m),
    bytes(E() / IP(src="10.56.0.1", dst="10.56.0.2", frag=100) / m),
] + [bytes(E(0x88b5))[:14] + bytes(n) for n in range(6)]
# Too big for the output port (h2: MTU 1500), fine for the input (3000): 2.
big = [bytes(E(0x88b5) / Raw(m + bytes(n))) for n in (2000, 2900)]
frames = l3 + vlan + src + odd + big
EOF
ok "h3 (trunk) sends a frame with two tags, 10 outside" frames_send "${PFX}h3" eth0 <<EOF
frames = [Ether(src="$h3", dst="$h4") / Dot1Q(vlan=10) / Dot1Q(vlan=20) / IP(src="10.56.0.3", dst="10.56.0.4") / UDP() / b"$M-qinq"]
EOF
wait_until 5 '[ "$(cap_count h4)" -ge 1 ]'
sleep 0.5
cap_stop h2; cap_stop h4
ok "stats -j after" sw "$S" -j stats
cp "$TMP/out" "$TMP/stats1.json"
delta() { $PY -c "import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:3]); k, n = sys.argv[3].split('.')
print(b[k][n] - a[k][n])" "$TMP/stats0.json" "$TMP/stats1.json" "$1"; }
echo "     counters that moved: $($PY -c "import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:3])
print(' '.join('%s.%s+%d' % (k, n, b[k][n] - a[k][n]) for k in ('drops', 'events') for n in b[k] if b[k][n] != a[k][n]))" "$TMP/stats0.json" "$TMP/stats1.json")"
# The fast path forwards the broken IP frames (h1 to h2, both known) as the
# L2 frames they are, without warrend seeing them; and in tc mode the
# stack drops the cut-short tags before tcx ingress, where nothing counts
# them: only their absence at h2 and h4 (the captures) shows.
if [ "$FASTPATH" = off ]; then
	check "events.l3_malformed counted the 11 broken IP frames (+$(delta events.l3_malformed))" \
		'[ "$(delta events.l3_malformed)" = 11 ]'
else
	check "$FASTPATH: the kernel bridged the 11 broken IP frames, warrend saw none (+$(delta events.l3_malformed))" \
		'[ "$(delta events.l3_malformed)" = 0 ]'
fi
parse_vlan=4 parse_drops=7
[ "$FASTPATH" = tc ] && parse_vlan=0 parse_drops=3
check "drops.parse_vlan counted $parse_vlan of the 4 cut-short tags (+$(delta drops.parse_vlan))" \
	'[ "$(delta drops.parse_vlan)" = $parse_vlan ]'
check "drops.parse_src_mcast counted the 3 bad sources (+$(delta drops.parse_src_mcast))" \
	'[ "$(delta drops.parse_src_mcast)" = 3 ]'
check_n "h2 got the bridged ones that carry the marker (7 broken IP, 9 odd)" 16 "$(cap_count h2)" "$kd0"
n=$(cap_count h2 'f["len"] > 1518')
check "h2 got no frame over its MTU (got $n)" '[ "$n" = 0 ]'
# Frames longer than the output port's MTU: the kernel drops them at the
# veth after warrend has counted them as sent; warrend must drop them itself
# and say so, under some reason.
reasons=$($PY -c "import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:3])
print(sum(b['drops'].values()) - sum(a['drops'].values()))" "$TMP/stats0.json" "$TMP/stats1.json")
check "the 2 frames too big for p2's MTU are counted under a drop reason (drops by reason: +$reasons, $parse_drops of them parse drops)" \
	'[ "$reasons" -ge $((parse_drops + 2)) ]'
n=$(cap_count h4 'f["m"] == "-qinq" and f["vlan"] == 20')
check "the trunk's double-tagged frame reached h4 with its outer tag popped, inner 20 kept (got $n)" '[ "$n" = 1 ]'
ok "health after the frames" wr_api "$S" health
check "health says ok" '[ "$(json "d[\"result\"][\"status\"]")" = ok ]'
check "same warrend (pid $pid)" '[ "$(sw_pid "$S")" = "$pid" ]'
ok "h1 pings h2" pingr "${PFX}h1" 10.56.0.2
ok "h2 pings h1" pingr "${PFX}h2" 10.56.0.1

# ------------------------------------------------------------- API
# One connection, one reply per line, in order, each an error with the
# right code; the id is copied when the line could be read.
{
	printf '%s\n' 'not json at all' '[1, 2]' '"a string"' '{"v": 1, "id": 3}' \
		'{"v": 1, "id": 4, "cmd": "no.such.cmd"}' '{"v": 2, "id": 5, "cmd": "health"}' \
		'{"v": 1, "id": 6, "cmd": 5}' \
		'{"v": 1, "id": 7, "cmd": "port.add", "args": {"name": 5}}' \
		'{"v": 1, "id": 8, "cmd": "switch.set", "args": {"age_s": "x"}}' \
		'{"v": 1, "id": 9, "cmd": "fdb.show", "args": {"bd": "1"}}' \
		'{"v": 1, "id": 10, "cmd": "health", "args": [1]}' \
		'{"v": 1, "id": 11, "cmd": "health", "args": {"x": 1}}' \
		'{"v": 1, "id": 25, "cmd": "hello", "args": {"x": 1}}' \
		'{"v": 1, "id": 12, "cmd": "port.add", "args": {"name": "z", "dev": "h1", "bogus": true}}' \
		'{"v": 1, "id": 13, "cmd": "fdb.add", "args": {"mac": "zz:00:00:00:00:01", "port": "p1"}}' \
		'{"v": 1, "id": 14, "cmd": "fdb.add", "args": {"mac": "01:00:5e:00:00:01", "port": "p1"}}' \
		'{"v": 1, "id": 15, "cmd": "switch.set", "args": {"age_s": -1}}' \
		'{"v": 1, "id": 16, "cmd": "port.del", "args": {"port": "nosuch"}}' \
		'{"v": 1, "id": 17, "cmd": "port.add", "args": {"name": "this-name-is-far-too-long", "dev": "h1"}}' \
		'{"v": 1, "id": 18, "cmd": "port.add", "args": {"name": "p9", "netns": "'"$SW"'", "dev": "nosuch"}}' \
		'{"v": 1, "id": 19, "cmd": "port.add", "args": {"name": "p1", "netns": "'"$SW"'", "dev": "h2"}}' \
		'{"v": 1, "id": 20, "cmd": "fdb.show", "args": {"bd": 99999999999999999999}}' \
		'{"v": 1, "id": 21, "cmd": "health"}'
	printf '\x00\x01\xff\xfe garbage\n'
	printf '%s\n' "$(printf '[%.0s' $(seq 3000))$(printf ']%.0s' $(seq 3000))"
	printf '%s\n' '{"v": 1, "id": 24, "cmd": "health"}'
} >"$TMP/bad.txt"
ok "26 bad and good lines on one connection get 26 replies" eval 'wr_api_raw "$S" 26 <"$TMP/bad.txt" >"$TMP/replies"'
$PY - "$TMP/replies" >"$TMP/verdict" <<'PY'
import json, sys
want = ["EPROTO", "EPROTO", "EPROTO", "EINVAL", "EINVAL", "EPROTO", "EINVAL", "EINVAL", "EINVAL",
        "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "ENOENT",
        "EINVAL", "ENODEV", "EEXIST", "EINVAL", "ok", "EPROTO", "EPROTO", "ok"]
ids = [None, None, None, 3, 4, 5, 6, 7, 8, 9, 10, 11, 25, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
       None, None, 24]
lines = [json.loads(l) for l in open(sys.argv[1])]
bad = 0
for i, (r, w, id_) in enumerate(zip(lines, want, ids)):
    got = "ok" if r.get("ok") else r.get("error", {}).get("code")
    msg = r.get("error", {}).get("message", "")
    fine = got == w and (id_ is None or r.get("id") == id_) and (w == "ok" or msg)
    if not fine:
        bad += 1
    print("%s line %d: %s (wanted %s, id %s)%s" % ("ok  " if fine else "FAIL", i + 1, got, w,
          r.get("id"), "" if w == "ok" else ": " + msg[:80]))
print("bad %d of %d" % (bad, len(lines)))
PY
sed 's/^/     /' "$TMP/verdict"
check "every bad line got its error (code, id, message), the good ones their results" \
	'grep -q "^bad 0 of 26$" "$TMP/verdict"'

# A line longer than 64 KiB: an error reply, then the connection closes.
$PY -c 'import sys; sys.stdout.write("{\"v\": 1, \"cmd\": \"health\", \"pad\": \"" + "a" * 70000 + "\"}\n" + "{\"v\": 1, \"cmd\": \"health\"}\n")' >"$TMP/huge.txt"
wr_api_raw "$S" 2 <"$TMP/huge.txt" >"$TMP/huge.out" 2>/dev/null
echo "     replies to a 70 kB line and a health after it: $(head -c 300 "$TMP/huge.out" | tr '\n' ' ')"
check "the over-long line got an EPROTO error" 'head -1 "$TMP/huge.out" | grep -q "\"code\": *\"EPROTO\""'
check "and nothing more on that connection" '[ "$(grep -c "\"ok\": *true" "$TMP/huge.out")" = 0 ]'
$PY -c 'import sys; sys.stdout.write("x" * 200000)' >"$TMP/endless.txt"
wr_api_raw "$S" 1 <"$TMP/endless.txt" >"$TMP/endless.out" 2>/dev/null
check "200 kB without a newline: an error reply too" 'grep -q "\"ok\": *false" "$TMP/endless.out"'

# Half a line, then the client goes; 70 clients at once (64 allowed); a
# client that is not root.
printf '{"v": 1, "cmd": "hea' | timeout 5 $PY -c "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect('$WR_RUN/$S.sock'); s.sendall(sys.stdin.buffer.read()); s.close()"
timeout 30 $PY - "$WR_RUN/$S.sock" >"$TMP/many.out" 2>&1 <<'PY'
import json, socket, sys, time
socks = []
for i in range(70):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sys.argv[1])	# blocking: the listen backlog is short
        s.settimeout(3)
        socks.append(s)
    except OSError as e:
        print("connect %d: %s" % (i, e))
served = refused = 0
for s in socks:
    try:
        s.sendall(b'{"v": 1, "cmd": "hello"}\n')
        r = s.recv(65536)
        if r and json.loads(r.split(b"\n")[0]).get("ok"):
            served += 1
        else:
            refused += 1
    except (OSError, ValueError):
        refused += 1
print("served %d refused %d" % (served, refused))
for s in socks:
    s.close()
PY
echo "     70 clients at once: $(tail -1 "$TMP/many.out")"
check "64 of 70 clients at once were served, 6 turned away" '[ "$(tail -1 "$TMP/many.out")" = "served 64 refused 6" ]'
fails "a client that is not root is turned away" 1 \
	setpriv --reuid=65534 --regid=65534 --clear-groups $PY -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(3)
try:
    s.connect('$WR_RUN/$S.sock'); s.sendall(b'{\"v\": 1, \"cmd\": \"health\"}\n')
    r = s.recv(65536); print(r)
    sys.exit(0 if b'\"ok\": true' in r or b'\"ok\":true' in r else 1)
except OSError as e:
    print(e); sys.exit(1)"

# A client that sends and never reads must not hold the daemon up.
ok "a client that never reads, and another that asks for health meanwhile" \
	timeout 20 $PY - "$WR_RUN/$S.sock" <<'PY'
import json, socket, sys, time
hog = socket.socket(socket.AF_UNIX); hog.connect(sys.argv[1]); hog.setblocking(False)
req = (json.dumps({"v": 1, "cmd": "stats"}) + "\n").encode()
sent = 0
try:
    for _ in range(100000):
        hog.send(req); sent += 1
except BlockingIOError:
    pass
other = socket.socket(socket.AF_UNIX); other.connect(sys.argv[1]); other.settimeout(5)
t0 = time.time()
other.sendall(b'{"v": 1, "cmd": "health"}\n')
reply = other.recv(65536)
took = time.time() - t0
print("hog sent %d requests unread; health answered in %.3f s" % (sent, took))
sys.exit(0 if b'"ok":true' in reply and took < 1 else 1)
PY
ok "health after the bad messages" wr_api "$S" health
check "health says ok, 4 ports" '[ "$(json "d[\"result\"][\"status\"], d[\"result\"][\"ports\"]")" = "ok 4" ]'
check "same warrend (pid $pid)" '[ "$(sw_pid "$S")" = "$pid" ]'
ok "the CLI still works" sw "$S" port show
ok "h2 pings h1" pingr "${PFX}h2" 10.56.0.1
