# SPDX-License-Identifier: BSD-3-Clause
# bench/evpn.sh - `bench/run evpn`, sourced by bench/run (which sets top,
# build, json, reps, smoke; see its header).
#
# docs/examples/evpn-rr.yaml, evpn-a.yaml and evpn-b.yaml under one prefix
# (bv<pid>-): a route reflector and two hosts, each with its warrend, FRR
# (zebra, bgpd) and warren-evpnd. Each trial (--runs, 20):
#
#   convergence  tenant a1 takes a new MAC and sends one frame that stays
#                on host A (to a MAC A has on a1's own port): from the send
#                until B's warrend has that MAC static behind A's VTEP
#                (polled every 10 ms through its API);
#   withdraw     the MAC deleted from A's FDB: until B has it no more;
#   floods       once the MAC has converged, b1 sends it 10 unicast frames:
#                the frames B's warrend floods (events.flood: unknown
#                unicast goes to every VTEP of the flood list).
#
# Then flood-and-learn, for the same traffic: B's warren-evpnd stopped, so
# B learns remote MACs from traffic only (issue 07's tunnels), and for
# each trial a1 takes a new MAC and b1 sends it 10 unicast frames.
#
# Everything is made with the prefix and removed on every way out; the root
# namespace gets no address and no route.

ev_pfx="bv$$-"
ev_py=/usr/bin/python3	# Debian's: python3-scapy lives there
[ -x "$ev_py" ] || ev_py=python3
ev_labs=()

ev_cleanup() {
	local lab i
	for ((i = ${#ev_labs[@]} - 1; i >= 0; i--)); do
		"$build/control/warren" lab down "${ev_labs[i]}" >/dev/null 2>&1
	done
	rm -rf "$ev_tmp"
}

# ev_api HOST CMD [ARGS]: warrend HOST's result, JSON on one line.
ev_api() {
	python3 - "/run/warren/${ev_pfx}host$1.sock" "$2" "${3:-}" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
req = {"v": 1, "cmd": sys.argv[2]}
if sys.argv[3]:
    req["args"] = json.loads(sys.argv[3])
s.sendall((json.dumps(req) + "\n").encode())
buf = b""
while not buf.endswith(b"\n"):
    buf += s.recv(65536)
print(json.dumps(json.loads(buf)["result"]))
PY
}

# ev_has HOST MAC: "static" when HOST's FDB has MAC static behind a VTEP
# (what EVPN installs; what data-plane learning makes is not static), else nothing.
ev_has() {
	ev_api "$1" fdb.show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("static" for e in d["entries"]
               if e["mac"] == sys.argv[1] and e.get("remote") and e.get("static")))' "$2"
}

# ev_wait HOST MAC WANT: ms until ev_has HOST MAC says WANT ("static" or ""), 10 s at most.
ev_wait() {
	local t0 now
	t0=$(date +%s%3N)
	while :; do
		[ "$(ev_has "$1" "$2")" = "$3" ] && { now=$(date +%s%3N); echo $((now - t0)); return 0; }
		now=$(date +%s%3N)
		[ $((now - t0)) -lt 10000 ] || { echo -1; return 1; }
		sleep 0.01
	done
}

# A MAC that A's FDB has on a1's own port: a frame to it teaches A its
# source and goes nowhere (same port), so B hears of the source only
# through EVPN, or, with flood-and-learn, only from later traffic.
ev_sink=02:ee:ff:ff:ff:ff

# ev_newmac I: a1's MAC for trial I, and one frame from it to ev_sink.
ev_newmac() {
	local mac
	mac=$(printf '02:ee:00:00:%02x:%02x' $(($1 / 256)) $(($1 % 256)))
	ip -n "${ev_pfx}a1" link set eth0 address "$mac"
	ip netns exec "${ev_pfx}a1" timeout 5 "$ev_py" -c '
import sys
from scapy.all import Ether, Raw, sendp
sendp(Ether(src=sys.argv[1], dst=sys.argv[2], type=0x88b5) / Raw(b"warren" * 8), iface="eth0",
      verbose=False)' "$mac" "$ev_sink"
	echo "$mac"
}

# ev_floods HOST: frames HOST's warrend flooded (broadcast, multicast, unknown unicast).
ev_floods() {
	ev_api "$1" stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["events"]["flood"])'
}

# ev_send10 MAC: b1 sends 10 UDP frames to MAC (10.0.0.1).
ev_send10() {
	ip netns exec "${ev_pfx}b1" timeout 10 "$ev_py" -c '
import sys
from scapy.all import IP, UDP, Ether, Raw, sendp
sendp(Ether(dst=sys.argv[1]) / IP(dst="10.0.0.1") / UDP(sport=4000, dport=9) / Raw(b"x" * 18),
      iface="eth0", count=10, verbose=False)' "$1"
}

bench_evpn() {
	local trials=${reps:-20} f i mac ms conv=() wd=() evpn_bum=0 flb_bum=0 tx0 tx1 pid
	[ "$smoke" = 1 ] && trials=2
	[ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/bgpd ] ||
		{ echo "bench/run evpn: FRR is not installed (apt-get install frr)" >&2; exit 1; }
	[ -x "$build/control/warren-evpnd" ] || { echo "bench/run evpn: build first" >&2; exit 1; }
	export WARREND="$build/dataplane/warrend" WARREN_EVPND="$build/control/warren-evpnd"
	ev_tmp=$(mktemp -d /tmp/warren-evpn.XXXXXX)
	trap ev_cleanup EXIT
	trap 'exit 130' INT TERM
	for f in rr a b; do
		sed "s/^prefix: ev-$/prefix: $ev_pfx/" "$top/docs/examples/evpn-$f.yaml" >"$ev_tmp/evpn-$f.yaml"
		ev_labs+=("$ev_tmp/evpn-$f.yaml")
		"$build/control/warren" lab up "$ev_tmp/evpn-$f.yaml" >/dev/null || exit 1
	done
	for i in $(seq 300); do
		[ "$(ev_api a tunnel.list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tunnels"][0]["vteps"]))')" = 1 ] &&
			[ "$(ev_api b tunnel.list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tunnels"][0]["vteps"]))')" = 1 ] && break
		sleep 0.1
	done
	ev_api a fdb.add "{\"mac\": \"$ev_sink\", \"port\": \"a1\", \"bd\": 10}" >/dev/null || exit 1
	echo "== EVPN up: each host has the other's VTEP; $trials trials" >&2
	for i in $(seq "$trials"); do
		mac=$(ev_newmac "$i")
		ms=$(ev_wait b "$mac" static) || { echo "trial $i: $mac never reached B" >&2; exit 1; }
		conv+=("$ms")
		tx0=$(ev_floods b)
		ev_send10 "$mac"
		sleep 0.2
		tx1=$(ev_floods b)
		evpn_bum=$((evpn_bum + tx1 - tx0))
		ev_api a fdb.del "{\"mac\": \"$mac\", \"bd\": 10}" >/dev/null
		ms=$(ev_wait b "$mac" "") || { echo "trial $i: $mac never left B" >&2; exit 1; }
		wd+=("$ms")
	done
	# Flood-and-learn: B's companion stopped; B learns from traffic only.
	pid=$(cat "/run/frr/${ev_pfx}ub/warren-evpnd.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" && sleep 0.5
	for i in $(seq "$trials"); do
		mac=$(ev_newmac $((1000 + i)))
		sleep 0.3	# what EVPN would have told B by now: nothing, its companion is gone
		tx0=$(ev_floods b)
		ev_send10 "$mac"
		sleep 0.2
		tx1=$(ev_floods b)
		flb_bum=$((flb_bum + tx1 - tx0))
	done
	python3 - "$json" "$trials" "$evpn_bum" "$flb_bum" "${conv[*]}" "${wd[*]}" <<'PY'
import json, sys
js, n, eb, fb = sys.argv[1] == "1", int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
conv = sorted(int(x) for x in sys.argv[5].split())
wd = sorted(int(x) for x in sys.argv[6].split())
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
r = {"scenario": "evpn", "trials": n,
     "convergence_ms_p50": pct(conv, 50), "convergence_ms_p99": pct(conv, 99),
     "withdraw_ms_p50": pct(wd, 50), "withdraw_ms_p99": pct(wd, 99),
     "bum_evpn": eb, "bum_flood_and_learn": fb, "frames_sent": 10 * n,
     "goal_convergence_ms_p50": 1000}
r["goal_met"] = r["convergence_ms_p50"] <= 1000
print("evpn: route reflector and two hosts (docs/examples/evpn-*.yaml), %d trials" % n)
print("convergence: a MAC new on A until B's warrend has it behind A's VTEP")
print("  p50 %d ms, p99 %d ms (goal p50 <= 1000 ms: %s)" % (r["convergence_ms_p50"],
      r["convergence_ms_p99"], "met" if r["goal_met"] else "NOT met"))
print("withdraw: the MAC deleted on A until B has it no more: p50 %d ms, p99 %d ms"
      % (r["withdraw_ms_p50"], r["withdraw_ms_p99"]))
print("frames B flooded for %d unicast frames to new MACs of A: EVPN %d, flood-and-learn %d"
      % (10 * n, eb, fb))
if js:
    print(json.dumps(r))
PY
}
