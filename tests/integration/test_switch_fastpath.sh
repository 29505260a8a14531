#!/bin/bash
# The kernel fast path, in the mode of this run ($WARREN_TEST_FASTPATH):
#   - every port says which mode it is in, and why;
#   - while iperf3 runs between two learned hosts, warrend's own receive
#     counters stay flat and the kernel's forwarded counters climb (off:
#     the other way round);
#   - a MAC move takes effect within 10 ms: a stream of frames to the MAC
#     stops reaching its old port 10 ms after the frame that moved it was
#     sent, and reaches the new one;
#   - so does a port deletion: nothing reaches the deleted port's host 10 ms
#     after the API said it was done.
. "$(dirname "$0")/lib.sh"
test_deadline 120

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 3 10.53.0
sw_start "$S"
for i in 1 2 3; do ok "port add p$i" sw "$S" port add p$i netns "$SW" dev h$i; done

modes=$(swq "$S" '" ".join(p["fastpath"] for p in d["ports"])' port show)
check "every port's fast path is $FASTPATH (got: $modes)" '[ "$modes" = "$FASTPATH $FASTPATH $FASTPATH" ]'
why=$(swq "$S" 'd["ports"][0]["fastpath_why"]' port show)
check "port show says why ($why)" '[ -n "$why" ]'
if [ "$FASTPATH" = xdp ]; then
	# A device whose driver has no native XDP gets the generic hook, and says so.
	macvlan_port "$S" "$SW" h3
	why=$(swq "$S" '"%s: %s" % (d["ports"][0]["xdp_mode"], d["ports"][0]["fastpath_why"])' port show mv)
	check "it runs XDP in the generic hook and says so ($why)" 'echo "$why" | grep -q "^skb: .*generic hook"'
	macvlan_port_del "$S" "$SW"
fi
for i in 2 3; do ok "h1 pings h$i (learned)" pingr "${PFX}h1" 10.53.0.$i; done
ok "h2 pings h3" pingr "${PFX}h2" 10.53.0.3

# 1. Bulk TCP between learned hosts: where did the frames go?
# kfwd PORT: what the kernel forwarded from PORT; urx PORT: what warrend
# itself received there (the port's total, less the kernel's share).
kfwd() { swq "$S" "(d['ports'][0]['fastpath'] or {}).get('fwd_pkts', 0)" port stats "$1"; }
urx() {
	swq "$S" "(lambda p, k: p['rx_pkts'] - k.get('fwd_pkts', 0) - k.get('drop_pkts', 0))(d['ports'][0], d['ports'][0]['fastpath'] or {})" port stats "$1"
}
urx0=$(urx p1) kfwd0=$(kfwd p1) tx0=$(pstat "$S" p2 tx_pkts)
gbps=$(iperf_tcp "${PFX}h2" 10.53.0.2 "${PFX}h1" 3)
check "iperf3 h1 -> h2 ran ($gbps Gbit/s)" '[ -n "$gbps" ]'
urx=$(($(urx p1) - urx0)) kf=$(($(kfwd p1) - kfwd0)) tx=$(($(pstat "$S" p2 tx_pkts) - tx0))
echo "     p1 during iperf3: warrend received $urx frames, the kernel forwarded $kf; p2 sent $tx in all"
check "p2's total tx_pkts counts the stream, wherever it was forwarded ($tx)" '[ "$tx" -ge 10000 ]' 
if [ "$FASTPATH" = off ]; then
	check "off: warrend received the stream ($urx frames)" '[ "$urx" -ge 10000 ]'
	check "off: the kernel forwarded nothing ($kf)" '[ "$kf" = 0 ]'
else
	check "$FASTPATH: the kernel forwarded the stream ($kf frames)" '[ "$kf" -ge 10000 ]'
	check "$FASTPATH: warrend's receive counter stayed flat ($urx frames)" '[ "$urx" -le 50 ]'
fi
ok "warren stats shows the kernel's counts" sw "$S" stats
check "... in columns kernel_fwd and kernel_tx" 'grep -q "kernel_fwd.*kernel_tx" "$TMP/out"'

# 2. Timing: a stream from h2 to MAC M every 200 us; an event at t0 (a move,
# a deletion); h1 must get none of the stream later than t0 + 10 ms.
# Receive times are the kernel's (SO_TIMESTAMPNS), on the clock t0 is read from.
_fp_py='
import socket, struct, sys, time
SO_TIMESTAMPNS = 35
what, dev = sys.argv[1], sys.argv[2]
if what == "send":		# send DEV SRC DST SECONDS MARK: the stream
    src, dst, secs, mark = sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6].encode()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    hdr = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) + b"\x88\xb5"
    end, n = time.time() + secs, 0
    while time.time() < end:
        s.send(hdr + mark + b"-%d" % n + b"\0" * 32)
        n += 1
        time.sleep(0.0002)
    print(n)
elif what == "once":		# once DEV SRC MARK: one broadcast frame from SRC; prints when (ns)
    src, mark = sys.argv[3], sys.argv[4].encode()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    frame = b"\xff" * 6 + bytes.fromhex(src.replace(":", "")) + b"\x88\xb5" + mark + b"\0" * 40
    t0 = time.time_ns()
    s.send(frame)
    print(t0)
else:				# recv DEV MARK READY: prints the kernel receive time (ns) of each frame
    mark, ready = sys.argv[3].encode(), sys.argv[4]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((dev, 3))
    s.settimeout(0.5)
    open(ready, "w").close()
    while True:
        try:
            data, anc, _, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING or mark not in data:
            continue
        for lvl, typ, cd in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, ns = struct.unpack("qq", cd[:16])
                print(sec * 1000000000 + ns, flush=True)
'
declare -A rx_pid
rx_start() {
	rm -f "$TMP/rx.$1.ready"
	timeout 60 ip netns exec "${PFX}$1" $PY -c "$_fp_py" recv eth0 "$2" "$TMP/rx.$1.ready" \
		>"$TMP/rx.$1" 2>"$TMP/rx.$1.err" &
	rx_pid[$1]=$!
	on_exit "kill ${rx_pid[$1]} 2>/dev/null"
	wait_until 10 "[ -e '$TMP/rx.$1.ready' ]"
}
rx_stop() { kill "${rx_pid[$1]}" 2>/dev/null; wait "${rx_pid[$1]}" 2>/dev/null; return 0; }
# late HOST T0: frames HOST received more than 10 ms after T0 (ns).
late() { awk -v t="$2" '$1 > t + 10000000 { n++ } END { print n + 0 }' "$TMP/rx.$1"; }
after() { awk -v t="$2" '$1 > t { n++ } END { print n + 0 }' "$TMP/rx.$1"; }
stream() { nsx "${PFX}h2" $PY -c "$_fp_py" send eth0 02:00:0a:35:00:02 "$M" "$1" "$2"; }

M=02:00:0a:35:00:4d	# the MAC that moves: none of the hosts' own
T=wr$$fp
ok "h1 sends from $M (learned on p1)" nsx "${PFX}h1" $PY -c "$_fp_py" once eth0 "$M" "$T-hello"
check "fdb: $M on p1" 'wait_until 5 "[ \"\$(swq $S \"[e[\\\"port\\\"] for e in d[\\\"entries\\\"] if e[\\\"mac\\\"] == \\\"$M\\\"][0]\" fdb show)\" = p1 ]"'

# 2a. The move.
ok "a receiver in h1" rx_start h1 "$T-move"; ok "a receiver in h3" rx_start h3 "$T-move"
stream 1.5 "$T-move" >"$TMP/sent" &
spid=$!
sleep 0.5
t0=$(nsx "${PFX}h3" $PY -c "$_fp_py" once eth0 "$M" "$T-moving")
wait $spid
sleep 0.2
rx_stop h1; rx_stop h3
n1=$(wc -l <"$TMP/rx.h1") n3=$(after h3 "$t0") lt=$(late h1 "$t0")
echo "     sent $(cat "$TMP/sent"); h1 got $n1 in all, $(after h1 "$t0") after the move; h3 got $n3 after it"
check "h1 got the stream before the move ($n1 frames)" '[ "$n1" -ge 100 ]'
check "move: none reached h1 later than 10 ms after it (got $lt)" '[ "$lt" = 0 ]'
check "move: the stream reached h3 after it ($n3 frames)" '[ "$n3" -ge 100 ]'

# 2b. The deletion: M back behind h1, then p1 goes while the stream runs.
ok "h1 sends from $M again (moved back to p1)" nsx "${PFX}h1" $PY -c "$_fp_py" once eth0 "$M" "$T-back"
check "fdb: $M on p1" 'wait_until 5 "[ \"\$(swq $S \"[e[\\\"port\\\"] for e in d[\\\"entries\\\"] if e[\\\"mac\\\"] == \\\"$M\\\"][0]\" fdb show)\" = p1 ]"'
ok "a receiver in h1" rx_start h1 "$T-del"
stream 1.5 "$T-del" >"$TMP/sent" &
spid=$!
sleep 0.5
ok "port del p1 during the stream" wr_api "$S" port.del '{"port": "p1"}'
t0=$(date +%s%N)
wait $spid
sleep 0.2
rx_stop h1
n1=$(wc -l <"$TMP/rx.h1") lt=$(late h1 "$t0")
echo "     sent $(cat "$TMP/sent"); h1 got $n1 in all, $(after h1 "$t0") after the deletion"
check "h1 got the stream before the deletion ($n1 frames)" '[ "$n1" -ge 100 ]'
check "deletion: none reached h1 later than 10 ms after it (got $lt)" '[ "$lt" = 0 ]'

# 3. port set: to and from tc the port is made again (a TAP, or an AF_XDP
# socket, in place of the other); between xdp and off one flag changes.
# Either way it keeps its name, its configuration and its admin state.
other=tc
[ "$FASTPATH" = tc ] && other=xdp
pfp() { swq "$S" '"%s %s %s" % (d["ports"][0]["fastpath"], d["ports"][0]["admin"], d["ports"][0]["bd"])' port show p3; }
ok "port set p3 fastpath $other" sw "$S" port set p3 fastpath $other
check "p3: $other, up, bd 1 (got: $(pfp))" '[ "$(pfp)" = "$other up 1" ]'
ok "h2 pings h3 through p3 in $other" pingr "${PFX}h2" 10.53.0.3
ok "port set p3 down fastpath off" sw "$S" port set p3 down fastpath off
check "p3: off, down (got: $(pfp))" '[ "$(pfp)" = "off down 1" ]'
fails "h2 cannot reach h3 through the down port" 1 noping "${PFX}h2" 10.53.0.3
ok "port set p3 up fastpath auto" sw "$S" port set p3 up fastpath auto
check "p3: $FASTPATH again, up (got: $(pfp))" '[ "$(pfp)" = "$FASTPATH up 1" ]'
ok "h2 pings h3 again" pingr "${PFX}h2" 10.53.0.3
taps() { ip -n "$SW" -o link show | grep -c ": wt"; }
want=0
[ "$FASTPATH" = tc ] && want=2	# p2's and p3's; a port made again leaves none behind
check "warrend's TAPs in sw: $want" 'wait_until 5 "[ \$(taps) = $want ]"'
echo "     TAPs in sw: $(taps)"
ok "warrend is alive" wr_api "$S" health

# 4. A port's device deleted under it: the port says gone, health degraded
# (in tc mode too, whose backend, warrend's TAP, is still up).
plink() { swq "$S" 'd["ports"][0]["link"]' port show p2; }
ip -n "$SW" link del h2
check "p2's device deleted: the port says gone" 'wait_until 3 "[ \"\$(plink)\" = gone ]"'
check "health says degraded" '[ "$(swq "$S" "d[\"health\"][\"status\"]" switch show)" = degraded ]'
ok "port del p2" sw "$S" port del p2
check "health is ok again" '[ "$(swq "$S" "d[\"health\"][\"status\"]" switch show)" = ok ]'
