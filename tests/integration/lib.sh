# SPDX-License-Identifier: BSD-3-Clause
# lib.sh - sourced by every integration test.
#
# - Needs root; without it the test says why and skips (exit 77).
# - Every name a test makes starts with $PFX (wr<pid>-), unique per run, so
#   parallel runs never collide; root-namespace devices stay under 15 bytes.
# - What a test makes is undone by `on_exit` commands, run newest first on
#   every way out: success, failure, timeout (SIGTERM) or ^C.
# - Everything sent stays between namespaces the test made; every command
#   that waits on the network is bounded by `timeout`.

set -u
WARREN=${WARREN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/control/warren}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXAMPLES=$TOP/docs/examples
PFX="wr$$-"
TMP=$(mktemp -d /tmp/warren-test.XXXXXX)
_cleanups=()
_failed=0
_checks=0

skip() { echo "SKIP: $*"; exit 77; }
[ "${NEEDS_ROOT:-1}" = 0 ] || [ "$(id -u)" = 0 ] || skip "needs root (namespaces and devices)"
[ -x "$WARREN" ] || { echo "FAIL: $WARREN not built"; exit 1; }

on_exit() { _cleanups+=("$*"); }

_run_cleanups() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1
	done
	_cleanups=()
	rm -rf "$TMP"
}

_finish() {
	local rc=$?
	_run_cleanups
	if [ "$_failed" -ne 0 ]; then
		echo "FAIL: $_failed of $_checks checks failed"
		exit 1
	fi
	[ $rc -ne 0 ] && { echo "FAIL: exit status $rc"; exit $rc; }
	echo "PASS: $_checks checks"
	exit 0
}
trap _finish EXIT
trap 'echo "interrupted"; _failed=$((_failed + 1)); exit 130' INT TERM

# ok DESCRIPTION COMMAND...: the command must succeed.
ok() {
	local what=$1; shift
	_checks=$((_checks + 1))
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok   $what"
	else
		echo "FAIL $what: '$*' exited $?"; sed 's/^/     /' "$TMP/out" | head -20
		_failed=$((_failed + 1))
	fi
}

# fails DESCRIPTION STATUS COMMAND...: the command must exit with STATUS.
fails() {
	local what=$1 want=$2 rc; shift 2
	_checks=$((_checks + 1))
	"$@" >"$TMP/out" 2>&1; rc=$?
	if [ $rc -eq "$want" ]; then
		echo "ok   $what"
	else
		echo "FAIL $what: '$*' exited $rc, wanted $want"; sed 's/^/     /' "$TMP/out" | head -20
		_failed=$((_failed + 1))
	fi
}

# check DESCRIPTION CONDITION...: a test expression (or command) must hold.
check() {
	local what=$1; shift
	_checks=$((_checks + 1))
	if eval "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what: $*"
		_failed=$((_failed + 1))
	fi
}

# Output of the last ok/fails command.
last_out() { cat "$TMP/out"; }

# json EXPR: a Python expression over the JSON of the last output (as d);
# a tuple prints as its items separated by spaces.
json() {
	python3 -c "import json; d = json.load(open('$TMP/out')); r = ($1)
print(' '.join(map(str, r)) if isinstance(r, tuple) else r)"
}

# lab_copy EXAMPLE [PREFIX]: the example with a unique prefix, in $TMP; prints its path.
lab_copy() {
	local src=$1 pfx=${2:-$PFX} dst
	dst="$TMP/$(basename "$src" .yaml)-$pfx.yaml"
	{ echo "prefix: $pfx"; cat "$src"; } >"$dst"
	echo "$dst"
}

# lab_up FILE: warren lab up, with lab down registered first.
lab_up() {
	on_exit "'$WARREN' lab down '$1'"
	ok "lab up $(basename "$1")" "$WARREN" lab up "$1"
}

# nsx NS CMD...: run CMD in namespace NS, bounded in time.
nsx() { local ns=$1; shift; timeout 20 ip netns exec "$ns" "$@"; }

# pings FROM_NS ADDR: one bounded ping.
pings() { nsx "$1" ping -c 1 -W 2 "$2"; }

# leftovers: names with our prefix still present (namespaces, root devices, mounts).
leftovers() {
	{ ip netns list | awk '{print $1}'; ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1;
	  awk '{print $2}' /proc/mounts; ls /var/run/dpdk 2>/dev/null; } | grep -F -- "$PFX" || true
}

nothing_left() { check "nothing left with prefix $PFX" '[ -z "$(leftovers)" ]'; }

# ------------------------------------------------------------------ switch
# Helpers for the tests of warrend (test_switch_*.sh). Instance names are
# full names (with $PFX), as namespaces are.

PY=/usr/bin/python3	# Debian's: python3-scapy lives there, not in other pythons
[ -x "$PY" ] || PY=python3
WARREND=${WARREND:-$(cd "$(dirname "$WARREN")/.." 2>/dev/null && pwd)/dataplane/warrend}
WR_RUN=/run/warren
# fd 7: the test's stdout, for what cleanups print (they run with >/dev/null);
# opened by the first sw_start or test_deadline, and closed (7>&-) for
# whatever may start a daemon, which would keep it open.
_wr_fd7() { [ -e /proc/$$/fd/7 ] || exec 7>&1; }

# ms: milliseconds since the epoch.
ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_until SECONDS CONDITION...: poll CONDITION (eval'd, as check's) every
# 0.1 s until it holds (status 0) or SECONDS (an integer) pass (status 1).
wait_until() {
	local end=$(($(ms) + $1 * 1000)); shift
	while :; do
		eval "$@" >/dev/null 2>&1 && return 0
		[ "$(ms)" -ge $end ] && return 1
		sleep 0.1
	done
}

# test_deadline SECONDS: the whole test ends (as on SIGTERM: cleanups run,
# the test fails) if it runs longer than SECONDS.
test_deadline() {
	_wr_fd7
	( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep "$1" & s=$!; wait $s
	  echo "deadline of $1 s reached" >&7; kill -TERM $$ ) &
	on_exit "kill $! 2>/dev/null"
}

# mkns NS...: namespaces, removed on exit; lo up, IPv6 off (quiet hosts: no
# router solicitations or MLD reports that refresh FDB entries or cost CPU).
mkns() {
	local ns
	for ns; do
		ip netns add "$ns" || return 1
		on_exit "ip netns del '$ns'"
		ip -n "$ns" link set lo up
		nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
}

# host_link SWNS DEV HOSTNS [ADDR/LEN [MAC]]: a veth whose end DEV is in
# SWNS and whose end eth0 (ADDR, MAC) is in HOSTNS; both up. Namespaces
# must exist.
host_link() {
	local swns=$1 dev=$2 hns=$3 addr=${4:-} mac=${5:-}
	ip -n "$swns" link add "$dev" type veth peer name eth0 netns "$hns" || return 1
	[ -n "$mac" ] && ip -n "$hns" link set eth0 address "$mac"
	[ -n "$addr" ] && ip -n "$hns" addr add "$addr" dev eth0
	ip -n "$hns" link set eth0 up && ip -n "$swns" link set "$dev" up
}

# ep_prep NS [DEV]: what warrend does to the far end of a veth port for
# fastpath xdp or off (docs/api.md): TX checksum offload off, GRO on.
ep_prep() { nsx "$1" ethtool -K "${2:-eth0}" tx off gro on >/dev/null 2>&1; }

# hosts SWNS N NET: namespaces ${PFX}h1..hN, each joined to SWNS by a veth
# (hI there, eth0 in the host) with address NET.I/24 and MAC
# 02:00:0a:XX:00:0I (XX: NET's second number in hex, 10.53.0 → 35),
# prepared by ep_prep.
hosts() {
	local swns=$1 n=$2 net=$3 i xx
	xx=${net#*.}
	xx=$(printf %02x "${xx%%.*}")
	for ((i = 1; i <= n; i++)); do
		mkns "${PFX}h$i" || return 1
		host_link "$swns" h$i "${PFX}h$i" "$net.$i/24" "02:00:0a:$xx:00:0$i" || return 1
		ep_prep "${PFX}h$i"
	done
}

# sw_start NAME [WARREND OPTIONS...]: warrend --name NAME --cores 1 --daemon,
# logging to $TMP/NAME.log, its ports' fast path $WARREN_TEST_FASTPATH
# (xdp, tc or off; meson runs the switch tests once in each); sw_stop is
# registered first, so it stops on every way out, and then sw_log shows
# its log if the test failed.
FASTPATH=${WARREN_TEST_FASTPATH:-xdp}
sw_start() {
	local name=$1; shift
	_wr_fd7
	on_exit "sw_log '$name'"
	on_exit "sw_stop '$name'"
	ok "warrend $name starts (fast path $FASTPATH)" timeout 20 "$WARREND" --name "$name" \
		--cores 1 --daemon --fastpath "$FASTPATH" --log-file "$TMP/$name.log" "$@" 7>&-
}

# sw_pid NAME: the pid of running instance NAME (from its pid file), if it
# is a warrend.
sw_pid() {
	local pid
	pid=$(cat "$WR_RUN/$1.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = warrend ] && echo "$pid"
}

# sw_stop NAME: SIGTERM to instance NAME and wait (10 s at most, then
# SIGKILL) until it is gone. Status 0 if it ended by SIGTERM.
sw_stop() {
	local name=$1 pid rc=0
	if pid=$(sw_pid "$name"); then
		kill -TERM "$pid"
		wait_until 10 '[ ! -d /proc/$pid ]' || { kill -KILL "$pid"; rc=1; }
	fi
	return $rc
}

# sw_log NAME: after a failure, the end of instance NAME's log.
sw_log() {
	if [ "$_failed" -ne 0 ] && [ -s "$TMP/$1.log" ]; then
		echo "---- last lines of warrend $1's log:" >&7
		tail -n 25 "$TMP/$1.log" | sed 's/^/     /' >&7
	fi
}

# sw NAME ARGS...: the CLI on instance NAME, bounded.
sw() { local name=$1; shift; timeout 20 "$WARREN" -S "$name" "$@" 7>&-; }

# macvlan_port SW NETNS PARENT: a macvlan mv0 on PARENT in NETNS (a device
# that is no veth and has no native XDP), added to SW as port mv with
# fastpath auto; macvlan_port_del SW NETNS takes both away again.
macvlan_port() {
	ip -n "$2" link add mv0 link "$3" type macvlan mode bridge && ip -n "$2" link set mv0 up
	ok "port add of a macvlan (fastpath auto)" sw "$1" port add mv netns "$2" dev mv0
}
macvlan_port_del() { ok "port del mv" sw "$1" port del mv; ip -n "$2" link del mv0; }

# swq NAME EXPR ARGS...: EXPR (Python, over d) of `warren -S NAME -j ARGS...`;
# prints nothing and fails if the command fails.
swq() {
	local name=$1 expr=$2 out; shift 2
	out=$(timeout 20 "$WARREN" -S "$name" -j "$@" 2>/dev/null) || return 1
	$PY -c "import json, sys; d = json.loads(sys.argv[1]); r = ($expr)
print(' '.join(map(str, r)) if isinstance(r, tuple) else r)" "$out"
}

# drop NAME REASON, event NAME EVENT: one counter of `stats -j`.
drop() { swq "$1" "d['drops']['$2']" stats; }
event() { swq "$1" "d['events']['$2']" stats; }
# pstat NAME PORT KEY: one counter of a port (KEY may be driver.rx_too_big).
pstat() {
	local k=$3
	case $k in driver.*) k="['driver']['${k#driver.}']" ;; *) k="['$k']" ;; esac
	swq "$1" "d['ports'][0]$k" port stats "$2"
}

# wr_api NAME CMD [ARGS_JSON]: one request to instance NAME's socket
# (docs/api.md), without the CLI. Prints the reply line; status 0 if it
# says ok, 1 if it is an error reply, 2 if there is no reply.
_wr_api_py='
import json, socket, sys
path, cmd, args = sys.argv[1:4]
req = {"v": 1, "id": 1, "cmd": cmd}
if args:
    req["args"] = json.loads(args)
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall((json.dumps(req) + "\n").encode())
    buf = b""
    while b"\n" not in buf:
        got = s.recv(65536)
        if not got:
            break
        buf += got
except OSError as e:
    print("wr_api: %s: %s" % (path, e), file=sys.stderr)
    sys.exit(2)
if b"\n" not in buf:
    print("wr_api: %s: no reply" % path, file=sys.stderr)
    sys.exit(2)
line = buf.split(b"\n")[0].decode()
print(line)
sys.exit(0 if json.loads(line).get("ok") is True else 1)
'
wr_api() { timeout 15 $PY -c "$_wr_api_py" "$WR_RUN/$1.sock" "$2" "${3:-}"; }

# tun_warrend NAME UNS TUNNEL TYPE PEER: warrend NAME as one side of an
# interop test: underlay port u on UNS's eth0 (192.0.2.1), tenant port t1
# on UNS's a1 in bd 10, tunnel TUNNEL of TYPE (vxlan, geneve), VNI 5010 =
# bd 10, VTEP 192.0.2.2 (PEER: what it is, for the check's name).
tun_warrend() {
	local s=$1 uns=$2 tun=$3 type=$4 peer=$5
	sw_start "$s"
	ok "underlay port" sw "$s" port add u netns "$uns" dev eth0
	ok "tenant port" sw "$s" port add t1 netns "$uns" dev a1 bd 10
	ok "tunnel $tun ($type)" wr_api "$s" tunnel.add \
		"{\"name\": \"$tun\", \"type\": \"$type\", \"underlay\": \"u\", \"local\": \"192.0.2.1\"}"
	ok "VNI 5010 is bd 10" wr_api "$s" vni.set "{\"tunnel\": \"$tun\", \"vni\": 5010, \"bd\": 10}"
	ok "VTEP 192.0.2.2 ($peer)" wr_api "$s" vtep.add "{\"tunnel\": \"$tun\", \"remote\": \"192.0.2.2\"}"
}

# wr_api_raw NAME N: send stdin, as it is, to instance NAME's socket and
# print the reply lines until N have come, the daemon closes, or 5 s pass.
# Status 0 if N lines came.
_wr_raw_py='
import socket, sys, time
path, want = sys.argv[1], int(sys.argv[2])
data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(path)
try:
    s.sendall(data)
except OSError as e:
    print("wr_api_raw: send: %s" % e, file=sys.stderr)
buf, end = b"", time.time() + 5
try:
    while buf.count(b"\n") < want and time.time() < end:
        got = s.recv(65536)
        if not got:
            break
        buf += got
except OSError as e:
    print("wr_api_raw: recv: %s" % e, file=sys.stderr)
lines = buf.split(b"\n")[:-1]
for l in lines:
    print(l.decode(errors="replace"))
sys.exit(0 if len(lines) >= want else 1)
'
wr_api_raw() { timeout 15 $PY -c "$_wr_raw_py" "$WR_RUN/$1.sock" "$2"; }

# frames_send NS DEV: Python code on stdin (with scapy's names) builds the
# list `frames` (packets or bytes); each is sent as it is on DEV of NS
# (AF_PACKET). Prints how many went.
_wr_send_py='
import socket, sys
from scapy.all import *
dev = sys.argv[1]
g = {k: v for k, v in globals().items()}
exec(sys.stdin.read(), g)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
n = 0
for f in g["frames"]:
    s.send(bytes(f))
    n += 1
print(n)
'
frames_send() { nsx "$1" $PY -c "$_wr_send_py" "$2"; }

# cap_start TAG NS DEV MARKER: capture, in the background, the frames that
# DEV of NS receives (not those it sends) whose bytes contain MARKER; one
# JSON line each in $TMP/cap.TAG: {"vlan": ID or null, "len", "src", "dst",
# "type", "m": what follows MARKER} (a tag the kernel took out of the frame
# counts as the frame's).
# Returns once the capture is listening. cap_stop TAG ends it; cap_count TAG
# [FILTER] then counts its lines (FILTER: Python over the line, as f).
_wr_cap_py='
import json, signal, socket, struct, sys
dev, marker, ready = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
SOL_PACKET, PACKET_AUXDATA, VLAN_VALID = 263, 8, 0x10
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
s.bind((dev, 3))
open(ready, "w").close()
mac = lambda b: ":".join("%02x" % x for x in b)
while True:
    data, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(64))
    if addr[2] == socket.PACKET_OUTGOING or marker not in data:
        continue
    vlan, et = None, data[12:14].hex()
    for lvl, typ, cd in anc:
        if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(cd) >= 20:
            st, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", cd[:20])
            if st & VLAN_VALID:
                vlan = tci & 0xfff
    if vlan is None and data[12:14] in (b"\x81\x00", b"\x88\xa8"):
        vlan = int.from_bytes(data[14:16], "big") & 0xfff
    i = data.find(marker) + len(marker)
    print(json.dumps({"vlan": vlan, "len": len(data), "src": mac(data[6:12]),
                      "dst": mac(data[0:6]), "type": et,
                      "m": data[i:i + 24].split(b"\0")[0].decode(errors="replace")}), flush=True)
'
declare -A _cap_pid
cap_start() {
	local tag=$1 ns=$2 dev=$3 marker=$4
	rm -f "$TMP/cap.$tag.ready"
	timeout 120 ip netns exec "$ns" $PY -c "$_wr_cap_py" "$dev" "$marker" "$TMP/cap.$tag.ready" \
		>"$TMP/cap.$tag" 2>"$TMP/cap.$tag.err" &
	_cap_pid[$tag]=$!
	on_exit "kill ${_cap_pid[$tag]} 2>/dev/null"
	wait_until 10 '[ -e "$TMP/cap.$tag.ready" ]' || { cat "$TMP/cap.$tag.err"; return 1; }
}
cap_stop() {
	local tag=$1
	kill -TERM "${_cap_pid[$tag]}" 2>/dev/null
	wait "${_cap_pid[$tag]}" 2>/dev/null
	return 0
}
cap_count() {
	$PY -c "import json, sys
print(sum(1 for l in open(sys.argv[1]) if l.strip() and (lambda f: ${2:-True})(json.loads(l))))" "$TMP/cap.$1"
}

# iperf_tcp SRVNS ADDR CLINS SECONDS: iperf3 TCP from CLINS to ADDR (a server
# for one test, in SRVNS); prints the received rate in Gbit/s. Status 0 if
# the test ran.
iperf_tcp() {
	local srv=$1 addr=$2 cli=$3 secs=$4 spid rc
	timeout $((secs + 20)) ip netns exec "$srv" iperf3 -s -1 -B "$addr" >"$TMP/iperf-s.out" 2>&1 &
	spid=$!
	on_exit "kill $spid 2>/dev/null"
	wait_until 5 'nsx "$srv" ss -Hltn "sport = :5201" | grep -q .' || { kill $spid; return 1; }
	timeout $((secs + 15)) ip netns exec "$cli" iperf3 -c "$addr" -t "$secs" -J >"$TMP/iperf.json" 2>&1
	rc=$?
	wait $spid 2>/dev/null
	[ $rc -eq 0 ] || { tail -5 "$TMP/iperf.json"; return 1; }
	$PY -c "import json, sys; d = json.load(open(sys.argv[1]))
print('%.3f' % (d['end']['sum_received']['bits_per_second'] / 1e9))" "$TMP/iperf.json"
}

# iperf_ok SRVNS ADDR CLINS SECONDS WHAT [MIN]: iperf_tcp, its rate shown,
# and a check that it ran and moved more than MIN Gbit/s (default 0).
iperf_ok() {
	local gbps rc
	gbps=$(iperf_tcp "$1" "$2" "$3" "$4")
	rc=$?
	echo "     iperf3 TCP $5, $4 s: ${gbps:-?} Gbit/s"
	check "iperf3 runs $5 (${gbps:-no result} Gbit/s)" \
		"[ $rc = 0 ] && awk 'BEGIN { exit !(${gbps:-0} > ${6:-0}) }'"
}

# memif SOCK ID ROLE [MAC]: the devargs of net_memif port ID on socket file SOCK.
memif() { echo "net_memif$2,role=$3,id=$2,socket=$1,socket-abstract=no${4:+,mac=$4}"; }

# testpmd NAME MODE SOCK ID MAC PEER SECONDS: dpdk-testpmd for SECONDS with
# one memif client port (ID on SOCK, MAC), forwarding MODE (txonly sends to
# PEER, rxonly counts), 64-byte frames, its output in $TMP/NAME.out. Its
# main lcore sleeps in the stats loop and shares core 0 with its
# forwarding lcore; SIGINT ends it with its totals.
testpmd() {
	local rc
	timeout -s INT "$7" dpdk-testpmd --no-huge -m 256 --no-shconf --no-pci --no-telemetry \
		--lcores 0@0,1@0 --file-prefix "$PFX$1" --vdev "$(memif "$3" "$4" client "$5")" -- \
		--forward-mode="$2" --eth-peer=0,"$6" --total-num-mbufs=8192 --txpkts=64 \
		--stats-period=1 </dev/null >"$TMP/$1.out" 2>&1
	rc=$?
	rm -rf "/var/run/dpdk/$PFX$1"	# the EAL leaves its runtime directory
	return $rc
}
# testpmd_total NAME RX|TX: the last RX-packets or TX-packets testpmd NAME printed.
testpmd_total() { sed -n "s/.*$2-packets: *\([0-9]*\).*/\1/p" "$TMP/$1.out" | tail -1; }

# testpmd_memif S SOCK TXPORT RXPORT OTHER: the virtual lab's check. Switch
# S has memif server ports TXPORT (id 0) and RXPORT (id 1) on SOCK; one
# testpmd sends (txonly) into TXPORT to a MAC static on RXPORT, another
# counts (rxonly) what the switch delivers there: it must be all the switch
# sent on RXPORT, the sender's MAC learnt on TXPORT, and port OTHER must not
# see the stream.
testpmd_memif() {
	local s=$1 sock=$2 txp=$3 rxp=$4 other=$5 rpid tx0 o0 sent got n
	ok "fdb add 02:00:00:00:00:02 port $rxp" sw "$s" fdb add 02:00:00:00:00:02 port "$rxp"
	on_exit "rm -rf '/var/run/dpdk/${PFX}rcv' '/var/run/dpdk/${PFX}snd'"	# if interrupted
	testpmd rcv rxonly "$sock" 1 02:00:00:00:00:02 02:00:00:00:00:01 8 &
	rpid=$!
	on_exit "kill -INT $rpid"
	wait_until 5 'grep -q "Port statistics" "$TMP/rcv.out"'
	tx0=$(pstat "$s" "$rxp" tx_pkts) o0=$(pstat "$s" "$other" tx_pkts)
	testpmd snd txonly "$sock" 0 02:00:00:00:00:01 02:00:00:00:00:02 4
	wait $rpid
	sent=$(testpmd_total snd TX) got=$(testpmd_total rcv RX)
	n=$(($(pstat "$s" "$rxp" tx_pkts) - tx0))
	echo "     testpmd txonly sent ${sent:-?}, the switch sent $n on $rxp, testpmd rxonly got ${got:-?}"
	check "testpmd's sender sent (${sent:-none})" '[ "${sent:-0}" -gt 100000 ]'
	check "testpmd's receiver got the switch's frames (${got:-none})" '[ "${got:-0}" -gt 10000 ]'
	# A stray frame (a host's ARP, flooded) may reach the receiver between
	# its start and the first count: a few more than n, never fewer.
	check "it got all the switch sent on $rxp (${got:-?} of $n)" \
		'[ "${got:-0}" -ge "$n" ] && [ "${got:-0}" -le $((n + 10)) ]'
	check "the stream did not reach $other" '[ "$(pstat "$s" "$other" tx_pkts)" -lt $((o0 + 100)) ]'
	n=$(swq "$s" '" ".join(sorted("%s@%s/%s" % (e["mac"], e["port"], "static" if e["static"] else "learnt") for e in d["entries"] if e["mac"].startswith("02:00:00:00:00:0")))' fdb show)
	check "fdb show: the sender learnt on $txp, the receiver static on $rxp (got: $n)" \
		'[ "$n" = "02:00:00:00:00:01@$txp/learnt 02:00:00:00:00:02@$rxp/static" ]'
}

# cpu_pct PID SECONDS: the CPU time PID (all its threads) used over the next
# SECONDS, in % of one core.
cpu_pct() {
	local pid=$1 secs=$2 a b
	a=$(sed 's/.*) //' /proc/"$pid"/stat | awk '{print $12 + $13}')
	sleep "$secs"
	b=$(sed 's/.*) //' /proc/"$pid"/stat | awk '{print $12 + $13}')
	awk -v a="$a" -v b="$b" -v s="$secs" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f\n", (b - a) * 100 / hz / s }'
}

# pingr FROM_NS ADDR: ping, up to 3 tries (a frame lost to a busy machine is
# not a failure of reachability; see kdrops).
pingr() { pings "$1" "$2" || pings "$1" "$2" || pings "$1" "$2"; }

# kdrops: frames the kernel dropped from its per-CPU input backlogs so far
# (/proc/net/softnet_stat). An AF_XDP copy-mode transmit into a veth goes
# through that backlog, so another job flooding the same CPU (a benchmark)
# can cost a test a frame.
kdrops() {
	local s=0 _a b _r
	while read -r _a b _r; do s=$((s + 0x$b)); done </proc/net/softnet_stat
	echo $s
}

# check_n DESCRIPTION WANT GOT KDROPS0: GOT frames arrived where WANT were
# sent. Exactly WANT, unless the kernel dropped frames from its backlogs
# since KDROPS0 was read (kdrops): then 1 to WANT, with a note.
check_n() {
	local what=$1 want=$2 got=$3 kd0=$4 kd
	kd=$(kdrops)
	if [ "$got" != "$want" ] && [ "$kd" -gt "$kd0" ] && [ "$got" -ge 1 ] && [ "$got" -le "$want" ]; then
		echo "     note: $got of $want; the kernel dropped $((kd - kd0)) frames from its backlogs meanwhile (a busy machine)"
		check "$what (got $got of $want)" true
	else
		check "$what (got $got of $want)" '[ "$got" = "$want" ]'
	fi
}

# prog_ids NS DEV: the ids of the programs warrend's fast path would have
# on DEV in NS in this run's mode: its XDP program (xdp, off), or its tcx
# ingress programs (tc; asked with BPF_PROG_QUERY, which iproute2 and this
# bpftool do not show). Empty if none.
_wr_tcx_py='
import ctypes, socket, struct, sys
ids = (ctypes.c_uint32 * 8)()
attr = ctypes.create_string_buffer(struct.pack("IIIIQI", socket.if_nametoindex(sys.argv[1]), 46, 0, 0,
                                               ctypes.addressof(ids), 8), 128)
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(321, 16, attr, 128) < 0:	# bpf(BPF_PROG_QUERY)
    sys.exit("BPF_PROG_QUERY: %s" % ctypes.get_errno())
n = struct.unpack_from("I", attr.raw, 24)[0]
print(" ".join(str(ids[i]) for i in range(min(n, 8))))
'
prog_ids() {
	if [ "$FASTPATH" = tc ]; then
		nsx "$1" $PY -c "$_wr_tcx_py" "$2"
	else
		ip -n "$1" -d link show "$2" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
	fi
}
prog_on() { [ -n "$(prog_ids "$1" "$2")" ]; }

# noping FROM_NS ADDR: one ping that is expected to fail, so bounded at 1 s
# (through a working switch a reply takes milliseconds).
noping() { nsx "$1" ping -c 1 -W 1 "$2"; }

# ------------------------------------------------------------------ SR-IOV
# A fake sysfs tree under $SYS for $WARREN_SYSFS (test_sriov*.sh), laid out
# as the kernel lays it out (tests/unit/fake_sysfs.h is the same in C); the
# PF of fx_vf is $PF_PCI.
BUS=devices/pci0000:00
fx_netdev() {	# PCI IFNAME
	mkdir -p "$SYS/$BUS/$1/net/$2" "$SYS/class/net"
	ln -s "../../../$1" "$SYS/$BUS/$1/net/$2/device"
	ln -s "../../$BUS/$1/net/$2" "$SYS/class/net/$2"
}
fx_pf() {	# IFNAME PCI TOTAL
	mkdir -p "$SYS/$BUS/$2"
	echo "$3" >"$SYS/$BUS/$2/sriov_totalvfs"
	echo 0 >"$SYS/$BUS/$2/sriov_numvfs"
	fx_netdev "$2" "$1"
}
fx_vf() {	# INDEX PCI IFNAME: what the kernel makes for a new VF
	mkdir -p "$SYS/$BUS/$2"
	ln -s "../$PF_PCI" "$SYS/$BUS/$2/physfn"
	ln -s "../$2" "$SYS/$BUS/$PF_PCI/virtfn$1"
	fx_netdev "$2" "$3"
}
fx_rename() {	# PCI OLD NEW: sysfs follows a netdev's rename in the root namespace
	mv "$SYS/$BUS/$1/net/$2" "$SYS/$BUS/$1/net/$3"
	rm "$SYS/class/net/$2"
	ln -s "../../$BUS/$1/net/$3" "$SYS/class/net/$3"
}

