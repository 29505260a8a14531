#!/bin/bash
# warrend --metrics, `warren stats --watch` and `warren doctor`, in the fast
# path mode of this run:
#   - GET /metrics on a free loopback port answers 200, text/plain version
#     0.0.4, in the format (promtool check metrics where promtool is, else
#     the format's rules checked here); other paths 404, other methods 405;
#   - under traffic between two hosts the scrape's counters lie between two
#     `warren -j stats` taken around it, for every port and drop reason,
#     the kernel's share and warrend's added (path="kernel", "userspace");
#   - a client that sends nothing and one that sends 1 MB of garbage are
#     cut, and scrapes are answered meanwhile; nine at once: the ninth is
#     told 503;
#   - `warren stats --watch -c 2 -j`: two documents, each with its interval's rates;
#   - `warren doctor`: a veth port on TC is well set up; a macvlan port on
#     XDP runs in the generic hook (warn), a veth on XDP loses its peer's
#     TSO (warn), a peer with TX checksum offload on behind an AF_XDP port
#     (warn), and it exits 0 without failures.
# The root namespace's loopback (127.0.0.1, there already) carries the
# scrapes; no address is given to it.
. "$(dirname "$0")/lib.sh"
test_deadline 150

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 6 10.61.0
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT/metrics

fails "--metrics refuses a name" 2 "$WARREND" --metrics localhost:$PORT
check "... saying what it takes" 'grep -q "ADDR:PORT or \[ADDR6\]:PORT" "$TMP/out"'
sw_start "$S" --metrics "$PORT"
for i in 1 2; do ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i; done
ok "h1 pings h2" pingr "${PFX}h1" 10.61.0.2

# 1. The endpoint and the format.
ok "GET /metrics" curl -sS --max-time 5 -o "$TMP/m1" -D "$TMP/h1" "$URL"
check "200 OK" 'head -1 "$TMP/h1" | grep -q "^HTTP/1.1 200"'
check "Content-Type: text/plain; version=0.0.4" \
	'grep -qi "^Content-Type: text/plain; version=0.0.4" "$TMP/h1"'
# The format's rules, for where promtool is not installed: one HELP and
# TYPE per family before its samples, all together; names and label
# values well formed; counters end in _total.
_prom_check_py='
import re, sys
text = open(sys.argv[1]).read()
assert text.endswith("\n"), "no newline at the end"
name_re = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
sample_re = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\n]|\\\\[\\\\\"n])*\",?)*\})? ([0-9.e+-]+|NaN|[+-]Inf)$")
seen, cur, helped = set(), None, None
for n, line in enumerate(text.splitlines(), 1):
    if line.startswith("# HELP "):
        name = line.split(" ")[2]
        assert name_re.match(name) and name not in seen, "line %d: HELP of %s again" % (n, name)
        seen.add(name); helped = name; cur = None
    elif line.startswith("# TYPE "):
        _, _, name, typ = line.split(" ")
        assert name == helped, "line %d: TYPE %s not after its HELP" % (n, name)
        assert typ in ("counter", "gauge"), "line %d: type %s" % (n, typ)
        assert typ != "counter" or name.endswith("_total"), "line %d: counter %s" % (n, name)
        cur = name
    else:
        m = sample_re.match(line)
        assert m, "line %d: not a sample: %r" % (n, line)
        assert m.group(1) == cur, "line %d: %s outside its family %s" % (n, m.group(1), cur)
print("%d families" % len(seen))
'
PROMTOOL=${PROMTOOL:-$(command -v promtool || true)}
if [ -n "$PROMTOOL" ]; then
	ok "promtool check metrics" sh -c "'$PROMTOOL' check metrics < '$TMP/m1'"
else
	echo "     (promtool not installed: the format's rules checked by $PY)"
fi
ok "the format's rules hold ($($PY -c "$_prom_check_py" "$TMP/m1" 2>&1 | tail -1))" \
	$PY -c "$_prom_check_py" "$TMP/m1"
check "every drop reason of wr_drop.def is there" \
	'[ "$(grep -c "^warren_drops_total{reason=\"[a-z0-9_]*\",path=\"userspace\"}" "$TMP/m1")" = \
	   "$(grep -c "^WR_DROP(" "$TOP/dataplane/wr_drop.def")" ]'
fails "GET /other: 404" 22 curl -sSf --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/other"
check "... said so" 'grep -q "404" "$TMP/out"'
fails "POST /metrics: 405" 22 curl -sSf --max-time 5 -o /dev/null -X POST "$URL"
check "... said so" 'grep -q "405" "$TMP/out"'

# 2. The values, under traffic: between two `stats` taken around the scrape.
timeout 8 ip netns exec "${PFX}h1" ping -q -i 0.002 -c 2000 10.61.0.2 >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
sleep 1
sw "$S" -j stats >"$TMP/s0.json"
curl -sS --max-time 5 -o "$TMP/m2" "$URL"
sw "$S" -j stats >"$TMP/s1.json"
_between_py='
import json, re, sys
s0, s1 = (json.load(open(f)) for f in sys.argv[1:3])
text = open(sys.argv[3]).read()
def val(name, **labels):
    tot = 0
    for m in re.finditer(r"^%s\{([^}]*)\} (\d+)$" % name, text, re.M):
        got = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(1)))
        if all(got.get(k) == v for k, v in labels.items()):
            tot += int(m.group(2))
    return tot
bad = []
for p0, p1 in zip(s0["ports"], s1["ports"]):
    for k in ("rx_pkts", "rx_bytes", "tx_pkts", "tx_bytes", "drops"):
        v = val("warren_port_%s_total" % k, port=p0["name"])
        if not p0[k] <= v <= p1[k]:
            bad.append("%s %s: %d not in [%d, %d]" % (p0["name"], k, v, p0[k], p1[k]))
for k in s0["drops"]:
    v = val("warren_drops_total", reason=k)
    if not s0["drops"][k] <= v <= s1["drops"][k]:
        bad.append("drops %s: %d not in [%d, %d]" % (k, v, s0["drops"][k], s1["drops"][k]))
for k in s0["events"]:
    v = val("warren_events_total", event=k)
    if not s0["events"][k] <= v <= s1["events"][k]:
        bad.append("events %s: %d" % (k, v))
print("; ".join(bad) or "p1 rx %d (kernel %d), p2 tx %d" % (val("warren_port_rx_pkts_total", port="p1"),
      val("warren_port_rx_pkts_total", port="p1", path="kernel"), val("warren_port_tx_pkts_total", port="p2")))
sys.exit(1 if bad else 0)
'
ok "every port counter, drop reason and event between two stats around it" \
	$PY -c "$_between_py" "$TMP/s0.json" "$TMP/s1.json" "$TMP/m2"
echo "     $(last_out)"
krx=$(sed -n 's/^warren_port_rx_pkts_total{port="p1",path="kernel"} //p' "$TMP/m2")
urx=$(sed -n 's/^warren_port_rx_pkts_total{port="p1",path="userspace"} //p' "$TMP/m2")
if [ "$FASTPATH" = off ]; then
	check "off: warrend received the pings ($urx), the kernel forwarded none (${krx:-0})" \
		'[ "$urx" -ge 200 ] && [ "${krx:-0}" = 0 ]'
else
	check "$FASTPATH: the kernel forwarded the pings ($krx), warrend saw few ($urx)" \
		'[ "${krx:-0}" -ge 200 ] && [ "$urx" -lt "$krx" ]'
	check "the kernel's hand-up reasons are there" \
		'grep -q "^warren_fastpath_up_total{reason=\"src_unknown\"}" "$TMP/m2"'
fi

# 3. warren stats --watch: one document per interval, with rates.
timeout 8 ip netns exec "${PFX}h1" ping -q -i 0.002 -c 1500 10.61.0.2 >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
sleep 0.5
ok "stats --watch -c 2 -j" sh -c "timeout 10 '$WARREN' -S '$S' stats --watch -c 2 -j 7>&- > '$TMP/watch.jsonl'"
_watch_py='
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
path = "userspace" if sys.argv[2] == "off" else "kernel"
assert len(docs) == 2, "%d documents" % len(docs)
for d in docs:
    assert 900 <= d["interval_ms"] <= 1500, d["interval_ms"]
    p1 = {p["name"]: p for p in d["rates"]["ports"]}["p1"]
    assert p1[path]["rx_pps"] >= 100, p1
    assert abs(p1["total"]["rx_pps"] - p1["userspace"]["rx_pps"] - (p1["kernel"] or {}).get("rx_pps", 0)) < 1, p1
    assert p1["total"]["rx_bps"] >= 8 * 98 * p1["total"]["rx_pps"] * 0.9, p1
    assert set(d["rates"]["drops"]) == set(d["stats"]["drops"]), "drop reasons"
print("p1: %.0f frames/s, %.0f bit/s in, %s %.0f frames/s" % (p1["total"]["rx_pps"], p1["total"]["rx_bps"], path, p1[path]["rx_pps"]))
'
ok "two documents, each with p1's rates, its $([ "$FASTPATH" = off ] && echo userspace || echo kernel) share carrying the pings" \
	$PY -c "$_watch_py" "$TMP/watch.jsonl" "$FASTPATH"
echo "     $(last_out)"
ok "stats --watch -c 1 as a table" sw "$S" stats -w -c 1
check "... a row per port and path" 'grep -q "^PORT  *PATH  *RX frames/s" "$TMP/out" && grep -q "^p1  *\(kernel\|userspace\)" "$TMP/out"'
"$WARREN" -S "$S" stats --watch -i 1 >"$TMP/watch.txt" 2>&1 7>&- &
wpid=$!
sleep 1.5
kill -INT $wpid
wait $wpid
rc=$?
check "Ctrl-C ends --watch, status 0 ($rc)" '[ $rc = 0 ] && grep -q "report 1" "$TMP/watch.txt"'

# 4. Clients that misbehave are cut; scrapes go on meanwhile.
_bad_client_py='
import socket, sys, time
what, port = sys.argv[1], int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port), timeout=10)
t0 = time.time()
if what == "silent":			# sends nothing: closed by warrend
    got = s.recv(100)
    print("closed after %.1f s (%d bytes)" % (time.time() - t0, len(got)))
    sys.exit(0 if got == b"" and time.time() - t0 < 9 else 1)
sent, answer = 0, b""			# garbage: 1 MB without an end of line
try:
    while sent < 1 << 20:
        sent += s.send(b"A" * 65536)
except OSError:
    pass
try:
    answer = s.recv(200)
except OSError:
    pass
print("sent %d bytes before the cut; answer: %r" % (sent, answer[:40]))
sys.exit(0 if sent < 1 << 20 or answer.startswith(b"HTTP/1.1 431") else 1)
'
# The endpoint is the control thread's, whatever the ports' fast path: run
# once, in the xdp variant (about 10 s of waiting for deadlines).
if [ "$FASTPATH" = xdp ]; then
	timeout 15 $PY -c "$_bad_client_py" silent "$PORT" >"$TMP/silent.out" 2>&1 &
	silent=$!
	ok "a client sending 1 MB of garbage is cut" timeout 15 $PY -c "$_bad_client_py" garbage "$PORT"
	echo "     $(last_out)"
	ok "a scrape while the silent client waits" curl -sS --max-time 5 -o "$TMP/m3" "$URL"
	check "... whole" 'grep -q "^warren_metrics_requests_total{code=\"431\"} 1" "$TMP/m3"'
	wait $silent
	rc=$?
	check "the silent client is cut ($(cat "$TMP/silent.out"))" '[ $rc = 0 ]'
	ok "a scrape after" curl -sS --max-time 5 -o "$TMP/m4" "$URL"
	check "... counts the cut" 'grep -q "^warren_metrics_cut_total{why=\"deadline\"} 1" "$TMP/m4"'
	for i in 1 2 3 4 5 6 7 8; do
		timeout 15 $PY -c "$_bad_client_py" silent "$PORT" >/dev/null 2>&1 &
		on_exit "kill $! 2>/dev/null"
	done
	sleep 0.5
	ok "eight connected: the ninth is told 503" sh -c "curl -sS --max-time 5 -D - -o /dev/null '$URL' | grep -q '^HTTP/1.1 503'"
	ok "once they are cut, scrapes are answered again" \
		wait_until 10 "curl -sSf --max-time 2 -o /dev/null '$URL'"
else
	echo "     (misbehaving clients: checked in the xdp variant; the endpoint does not depend on the mode)"
fi
ok "warrend is healthy" sw "$S" switch show

# 5. warren doctor: a port set up well, ports set up badly, the host.
ok "p3: a veth on TC" sw "$S" port add p3 netns "$SW" dev h3 fastpath tc
# hosts' ep_prep turned TX checksums off (for XDP), and TSO with them: TC wants both.
ok "... its peer's TX checksum offload and TSO on" nsx "${PFX}h3" ethtool -K eth0 tx on tso on
ok "p4: a veth on XDP" sw "$S" port add p4 netns "$SW" dev h4 fastpath xdp
ok "... its peer's TX checksum offload turned on again" nsx "${PFX}h4" ethtool -K eth0 tx on
ok "a macvlan" sh -c "ip -n '$SW' link add mv0 link h5 type macvlan mode bridge && ip -n '$SW' link set mv0 up"
ok "mv: the macvlan on XDP" sw "$S" port add mv netns "$SW" dev mv0 fastpath xdp
# A tunnel whose bridge domain holds t1: its host's MTU against the tenant MTU.
U=${PFX}u
mkns "$U" "${PFX}r"
ok "an underlay" sh -c "ip -n '$U' link add eth0 type veth peer name eth0 netns '${PFX}r' &&
	ip -n '$U' addr add 192.0.2.1/24 dev eth0 && ip -n '$U' link set eth0 up && ip -n '${PFX}r' link set eth0 up"
ok "port u, the underlay" sw "$S" port add u netns "$U" dev eth0
ok "t1 in bd 10" sw "$S" port add t1 netns "$SW" dev h6 bd 10
ok "tunnel vx0" wr_api "$S" tunnel.add '{"name": "vx0", "underlay": "u", "local": "192.0.2.1"}'
ok "VNI 5010 is bd 10" wr_api "$S" vni.set '{"tunnel": "vx0", "vni": 5010, "bd": 10}'
fails "doctor: nothing fails (exit 0)" 0 sw "$S" -j doctor
cp "$TMP/out" "$TMP/doctor1.json"
_doctor_py='
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(a.split("=") for a in sys.argv[2:])
got = {"%s/%s" % (c["where"], c["check"]): c for c in d["checks"]}
bad = []
for k, v in want.items():
    c = got.get(k)
    if (c["verdict"] if c else "absent") != v:
        bad.append("%s: %s, wanted %s (%s)" % (k, c["verdict"] if c else "absent", v, c and c["finding"]))
    elif v in ("warn", "fail") and not c["fix"]:
        bad.append("%s: no fix" % k)
print("; ".join(bad) or "%d ok, %d warn, %d fail" % (d["ok"], d["warn"], d["fail"]))
sys.exit(1 if bad else 0)
'
ok "the host is set up well" $PY -c "$_doctor_py" "$TMP/doctor1.json" host/workers=ok \
	host/fastpath_loaded=ok host/memlock=ok host/nofile=ok host/hugepages=ok
ok "p3 (veth, TC) is set up well: TSO kept, checksums fine, no IRQ to place" \
	$PY -c "$_doctor_py" "$TMP/doctor1.json" p3/backend=ok p3/fastpath=ok p3/xdp_mode=absent \
	p3/gso=ok p3/peer_csum=ok p3/irq=ok p3/tunnel_mtu=absent
ok "mv (macvlan, XDP): the generic hook, warned" \
	$PY -c "$_doctor_py" "$TMP/doctor1.json" mv/xdp_mode=warn mv/gso=absent mv/irq=ok
ok "p4 (veth, XDP, peer's TX checksum on): warned, and its TSO lost" \
	$PY -c "$_doctor_py" "$TMP/doctor1.json" p4/peer_csum=warn p4/gso=warn p4/fastpath=ok
ok "t1: its host's MTU 1500 over the tunnel's tenant MTU, warned" \
	$PY -c "$_doctor_py" "$TMP/doctor1.json" t1/tunnel_mtu=warn p1/tunnel_mtu=absent
ok "t1's host at MTU 1450" ip -n "${PFX}h6" link set eth0 mtu 1450
ok "mv on TC, p4's peer's checksum off" sh -c "'$WARREN' -S '$S' port set mv fastpath tc 7>&- &&
	ip netns exec '${PFX}h4' ethtool -K eth0 tx off"
fails "doctor again" 0 sw "$S" -j doctor
cp "$TMP/out" "$TMP/doctor2.json"
ok "... t1, mv and p4's checksum are well now" $PY -c "$_doctor_py" "$TMP/doctor2.json" \
	t1/tunnel_mtu=ok mv/xdp_mode=absent p4/peer_csum=ok
fails "doctor as a table" 0 sw "$S" doctor
sed 's/^/     /' "$TMP/out"
check "... verdicts, findings and each fix" 'grep -q "^warn  *p4  *gso" "$TMP/out" && grep -q "fix: warren port set p4 fastpath tc" "$TMP/out"'
fails "doctor of a switch that does not run: exit 1" 1 sw "${PFX}none" doctor

