#!/bin/bash
# Captures and mirrors (docs/capture.md) through warrend, in the kernel
# fast path's mode of this run:
#
#   h1 --- p1 --+
#   h2 --- p2 --+-- warrend (bd 1)
#   h3 --- an --+   (the analyzer; fastpath off)
#
# A capture of p1 both ways for a known number of frames, read back by
# tshark (frames, verdict comments, nothing malformed); one streamed into
# `tshark -r -`; one ended by SIGINT. A mirror of p1 to an: h3 sees copies
# of what h1 sends to h2. Under iperf3 with the analyzer's end down (no
# reader: every copy is refused) and a capture whose reader is stopped,
# iperf3 moves traffic and both count their drops. Nothing is left after.
. "$(dirname "$0")/lib.sh"
test_deadline 60
command -v tshark >/dev/null || skip "needs tshark"

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 3 10.62.0
sw_start "$S"
ok "port add p1" sw "$S" port add p1 netns "$SW" dev h1
ok "port add p2" sw "$S" port add p2 netns "$SW" dev h2
ok "port add an (fastpath off)" sw "$S" port add an netns "$SW" dev h3 fastpath off
for i in 1 2 3; do ep_prep "${PFX}h$i"; done
ok "h1 pings h2" pingr "${PFX}h1" 10.62.0.2
started() { grep -c "capture [0-9]*: port $1" "$TMP/$S.log"; }
# capture_bg ERRFILE PORT ARGS...: `warren capture PORT ARGS...` in the
# background (pid in $cpid, stderr in ERRFILE), once warrend has started it.
capture_bg() {
	local err=$1 port=$2 n0
	shift 2
	n0=$(started "$port")
	timeout 20 "$WARREN" -S "$S" capture "$port" "$@" 2>"$err" &
	cpid=$!
	on_exit "kill $cpid 2>/dev/null"
	check "capture $port $* started" 'wait_until 5 "[ \$(started $port) -gt $n0 ]"'
}

# Both ways, 6 frames: 3 echo requests p1 receives, 3 replies it sends.
capture_bg "$TMP/cap1.err" p1 -c 6 -w "$TMP/p1.pcapng"
ok "h1 pings h2 3 times" nsx "${PFX}h1" ping -c 3 -i 0.2 -W 2 10.62.0.2
wait $cpid
check "capture -c 6 ends by itself, status 0" "[ $? = 0 ]"
check "it says 6 captured, 0 dropped ($(cat "$TMP/cap1.err"))" 'grep -q "^6 captured, 0 dropped" "$TMP/cap1.err"'
ok "tshark reads the file" tshark -r "$TMP/p1.pcapng"
check "6 frames in it" '[ "$(tshark -r "$TMP/p1.pcapng" 2>/dev/null | wc -l)" = 6 ]'
check "none malformed" '[ -z "$(tshark -r "$TMP/p1.pcapng" -Y _ws.malformed 2>/dev/null)" ]'
tshark -r "$TMP/p1.pcapng" -T fields -e frame.comment -e icmp.type >"$TMP/comments" 2>/dev/null
check "echo requests: 'rx: to port p2'" '[ "$(grep -c "^rx: to port p2	8$" "$TMP/comments")" = 3 ]'
check "echo replies: 'tx'" '[ "$(grep -c "^tx	0$" "$TMP/comments")" = 3 ]'
check "directions in epb_flags" \
	'[ "$(tshark -r "$TMP/p1.pcapng" -Y "frame.packet_flags_direction == 1" 2>/dev/null | wc -l)" = 3 ]'

# A flood and a drop, each with its verdict: a broadcast, and a frame to
# h1's own MAC (same_port; decided in warrend: a captured port's frames go
# up, while the kernel's parse drops, runts and multicast sources, happen
# before that).
capture_bg "$TMP/cap2.err" p1 dir rx -c 2 -w "$TMP/v.pcapng"
ok "h1 sends a broadcast and a frame to itself" frames_send "${PFX}h1" eth0 <<PY
frames = [Ether(src="02:00:0a:3e:00:01", dst="ff:ff:ff:ff:ff:ff", type=0x88b5) / Raw(b"x" * 46),
          Ether(src="02:00:0a:3e:00:01", dst="02:00:0a:3e:00:01", type=0x88b5) / Raw(b"x" * 46)]
PY
wait $cpid
tshark -r "$TMP/v.pcapng" -T fields -e frame.comment >"$TMP/vc" 2>/dev/null
check "'rx: flood 2 ports' ($(head -1 "$TMP/vc"))" 'grep -qx "rx: flood 2 ports" "$TMP/vc"'
check "'rx: drop same_port (...)' ($(tail -1 "$TMP/vc"))" 'grep -q "^rx: drop same_port (" "$TMP/vc"'

# Streamed to tshark on stdout.
n0=$(started p1)
( timeout 20 "$WARREN" -S "$S" capture p1 -c 4 2>"$TMP/cap3.err" | \
	timeout 20 tshark -r - -T fields -e frame.comment >"$TMP/stream" 2>/dev/null ) &
cpid=$!
on_exit "kill $cpid 2>/dev/null"
check "the streamed capture started" 'wait_until 5 "[ \$(started p1) -gt $n0 ]"'
ok "h1 pings h2 twice" nsx "${PFX}h1" ping -c 2 -i 0.2 -W 2 10.62.0.2
wait $cpid
check "tshark -r - read 4 frames" '[ "$(wc -l <"$TMP/stream")" = 4 ]'

# Ended by SIGINT: the CLI tells warrend, which says how many went.
capture_bg "$TMP/cap4.err" p2 -w "$TMP/p2.pcapng"
ok "h1 pings h2" nsx "${PFX}h1" ping -c 2 -i 0.2 -W 2 10.62.0.2
kill -INT $cpid
wait $cpid
check "SIGINT ends it, status 0 ($(cat "$TMP/cap4.err"))" "[ $? = 0 ] && grep -q ' captured, 0 dropped (stopped)' '$TMP/cap4.err'"
check "its frames are in the file" '[ "$(tshark -r "$TMP/p2.pcapng" 2>/dev/null | wc -l)" -ge 4 ]'
check "no capture left in warrend" 'wait_until 5 "grep -q \"capture [0-9]*: port p2: stopped\" $TMP/$S.log"'

# A mirror: h3 sees copies of what h1 sends to h2.
fails "a port mirrored to itself" 1 sw "$S" mirror add p1 to p1
check "  says so" 'last_out | grep -q "not mirrored to itself"'
ok "mirror add p1 to an" sw "$S" mirror add p1 to an
fails "a loop: an mirrored to p1" 1 sw "$S" mirror add an to p1
check "  says it is a loop" 'last_out | grep -q "a loop"'
fails "port del p1 while mirrored" 1 sw "$S" port del p1
check "  names the mirror" 'last_out | grep -q "mirror 0 (p1 to an)"'
H2=02:00:0a:3e:00:02
M=wr$$mirror
cap_start an "${PFX}h3" eth0 "$M"
ok "h1 sends 20 frames to h2" frames_send "${PFX}h1" eth0 <<PY
frames = [Ether(src="02:00:0a:3e:00:01", dst="$H2", type=0x88b5) / Raw(b"$M-%d" % i) for i in range(20)]
PY
check "h3 got the 20 copies" 'wait_until 5 "[ \$(cap_count an) -ge 20 ]"'
cap_stop an
mq() { swq "$S" "d['mirrors'][0]['$1']" mirror show; }
check "mirror show: copied $(mq copied) >= 20" '[ "$(mq copied)" -ge 20 ]'
ok "mirror show" sw "$S" mirror show
check "  lists it" 'last_out | grep -q "^0 *p1 *an *both"'

# iperf3 with nobody to take the copies (the analyzer's far end down), and
# a capture of p1 whose reader is stopped: both drop and count, never wait.
ip -n "${PFX}h3" link set eth0 down
d0=$(mq dropped)
capture_bg "$TMP/cap5.err" p1 dir rx -c 20000 -w "$TMP/big.pcapng"
cli=$(pgrep -P $cpid)	# warren itself, under timeout
check "the capture's reader stops" 'kill -STOP $cli'
iperf_ok "${PFX}h2" 10.62.0.2 "${PFX}h1" 3 "h1 to h2, mirrored to a port that takes nothing, captured by a stopped reader"
check "the copies are counted as dropped ($d0 -> $(mq dropped))" '[ "$(mq dropped)" -gt $((d0 + 1000)) ]'
kill -CONT $cli
kill -INT $cpid	# timeout passes it on
wait $cpid
check "the stopped capture ends on SIGINT, status 0 ($(cat "$TMP/cap5.err"))" "[ $? = 0 ]"
check "  and counted what its reader was too slow for" \
	'[ "$(sed -n "s/^[0-9]* captured, \([0-9]*\) dropped.*/\1/p" "$TMP/cap5.err")" -gt 0 ]'
check "  what it kept reads back whole" '[ -z "$(tshark -r "$TMP/big.pcapng" -Y _ws.malformed 2>/dev/null)" ]'
ok "mirror del p1" sw "$S" mirror del p1
check "no mirror left" '[ "$(swq "$S" "len(d[\"mirrors\"])" mirror show)" = 0 ]'
fails "mirror del p1 again" 1 sw "$S" mirror del p1
ok "port del p1" sw "$S" port del p1
ok "warrend stops on SIGTERM" sw_stop "$S"
