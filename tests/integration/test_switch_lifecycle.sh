#!/bin/bash
# warrend's life: one instance per name; a device queue served by one
# instance only; two instances side by side; an idle warrend with ports
# costs under 2 % of a core; SIGTERM, SIGINT and `switch stop` each leave
# no XDP program, socket or pid file behind, and the devices in place.
. "$(dirname "$0")/lib.sh"
test_deadline 120

A=${PFX}a
B=${PFX}b
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 5 10.57.0
on_exit "rm -f '$WR_RUN/$A.log' '$WR_RUN/$B.log'"

# xdp_on DEV: DEV (in $SW) has the fast path's program (XDP, or tcx in mode tc).
xdp_on() { prog_on "$SW" "$1"; }
xdp_id() { prog_ids "$SW" "$1"; }

# 1. Instance A, ports p1 and p2.
sw_start "$A"
pid_a=$(sw_pid "$A")
ok "A: port add p1, p2" eval 'sw "$A" port add p1 netns "$SW" dev h1 && sw "$A" port add p2 netns "$SW" dev h2'
ok "h1 pings h2 through A" pingr "${PFX}h1" 10.57.0.2
id1=$(xdp_id h1)

# 2. A second instance of the same name is refused, and A is untouched.
fails "a second warrend named A is refused" 1 timeout 20 "$WARREND" --name "$A" --cores 1 --daemon \
	--log-file "$TMP/a2.log" 7>&-
msg=$(last_out; cat "$TMP/a2.log" 2>/dev/null)
echo "     its message: $(echo "$msg" | grep -m1 -i "already\|running\|exists\|lock" || echo "$msg" | head -1)"
check "the message names the instance and says it runs" \
	'echo "$msg" | grep -q "$A" && echo "$msg" | grep -qi "already\|running"'
fails "warren switch start of A is refused too" 1 sw "$A" switch start
check "A's socket and pid file are still there" '[ -S "$WR_RUN/$A.sock" ] && [ -e "$WR_RUN/$A.pid" ]'
check "A still answers, same pid $pid_a" '[ "$(wr_api "$A" health | $PY -c "import json,sys; print(json.load(sys.stdin)[\"result\"][\"pid\"])")" = "$pid_a" ]'

# 3. Instance B: the device queue A serves is refused (EBUSY); A keeps it.
sw_start "$B"
pid_b=$(sw_pid "$B")
fails "B: port add of A's device h1 is refused" 1 sw "$B" port add q1 netns "$SW" dev h1
echo "     its message: $(last_out | head -1)"
check "the message says the device is busy" 'last_out | grep -qi "busy"'
fails "B: the same through the API" 1 wr_api "$B" port.add '{"name": "q1", "netns": "'"$SW"'", "dev": "h1"}'
check "... with EBUSY" '[ "$(json "d[\"error\"][\"code\"]")" = EBUSY ]'
check "h1 still has A's XDP program (id $id1)" '[ "$(xdp_id h1)" = "$id1" ]'
ok "h1 still pings h2 through A" pingr "${PFX}h1" 10.57.0.2
ok "B: port show lists no port" sw "$B" -j port show
check "B has no port" '[ "$(json "len(d[\"ports\"])")" = 0 ]'

# 4. B with its own ports, beside A.
ok "B: port add q3, q4" eval 'sw "$B" port add q3 netns "$SW" dev h3 && sw "$B" port add q4 netns "$SW" dev h4'
ok "h3 pings h4 through B" pingr "${PFX}h3" 10.57.0.4
ok "h1 pings h2 through A" pingr "${PFX}h1" 10.57.0.2
fails "h1 cannot reach h3 (another switch)" 1 noping "${PFX}h1" 10.57.0.3
check "A lists p1 p2, B lists q3 q4" \
	'[ "$(swq "$A" "\" \".join(p[\"name\"] for p in d[\"ports\"])" port show)/$(swq "$B" "\" \".join(p[\"name\"] for p in d[\"ports\"])" port show)" = "p1 p2/q3 q4" ]'

# 5. A veth whose host end has an MTU too big for XDP on veth: refused with
# a message that says so, and nothing left attached. TC has no such limit:
# there the port is taken, and goes again.
ip -n "${PFX}h5" link set eth0 mtu 9000
if [ "$FASTPATH" = tc ]; then
	ok "B: port add of h5 (host end MTU 9000): TC takes it" sw "$B" port add q5 netns "$SW" dev h5
	check "h5 has B's tcx program" 'xdp_on h5'
	ok "B: port del q5" sw "$B" port del q5
	check "h5 has no program left" 'wait_until 5 "! xdp_on h5"'
else
	fails "B: port add of h5 (host end MTU 9000) is refused" 1 sw "$B" port add q5 netns "$SW" dev h5
	echo "     its message: $(last_out | grep -v "^port q5: peer" | head -1)"
	check "the message names the MTU as the cause" 'last_out | grep -qi "mtu"'
	check "h5 has no XDP program" '! xdp_on h5'
fi
check "B still has 2 ports" '[ "$(swq "$B" "len(d[\"ports\"])" port show)" = 2 ]'

# 6. Idle: no traffic, ports up; each instance under 2 % of a core.
sleep 1
cpu_pct "$pid_a" 5 >"$TMP/cpu.a" &
cpa=$!
cpu_pct "$pid_b" 5 >"$TMP/cpu.b"
wait $cpa
cpu_a=$(cat "$TMP/cpu.a") cpu_b=$(cat "$TMP/cpu.b")
echo "     idle CPU over 5 s: A (2 ports) $cpu_a %, B (2 ports) $cpu_b %"
check "A idles under 2 % of a core ($cpu_a %)" 'awk "BEGIN { exit !($cpu_a < 2) }"'
check "B idles under 2 % of a core ($cpu_b %)" 'awk "BEGIN { exit !($cpu_b < 2) }"'
ok "health of A: the worker sleeps" wr_api "$A" health
check "A's worker is sleeping" '[ "$(json "d[\"result\"][\"workers\"][0][\"sleeping\"]")" = True ]'

# 7. SIGTERM to A: its XDP programs go, its files go, the devices stay, B goes on.
kill -TERM "$pid_a"
check "A exits within 10 s of SIGTERM" 'wait_until 10 "[ ! -d /proc/$pid_a ]"'
check "no XDP program on h1 or h2" '! xdp_on h1 && ! xdp_on h2'
xdp_devs=$(for d in h1 h2 h3 h4 h5; do xdp_on $d && echo -n "$d "; done)
check "in sw, only B's h3 and h4 have a program (got: $xdp_devs)" '[ "$xdp_devs" = "h3 h4 " ]'
if [ "$FASTPATH" = tc ]; then
	ok "ip -n sw link show" ip -n "$SW" -o link show
	n=$(last_out | grep -c ": wt")
	check "in sw, only B's two TAPs are left (got $n)" '[ "$n" = 2 ]'
fi
check "A's socket is gone" '[ ! -e "$WR_RUN/$A.sock" ]'
check "A's pid file is gone" '[ ! -e "$WR_RUN/$A.pid" ]'
check "h1 and h2 are still there, up" \
	'ip -n "$SW" link show h1 | grep -q "state UP" && ip -n "$SW" link show h2 | grep -q "state UP"'
check "A's log says it stopped" 'grep -q "stopped" "$TMP/$A.log"'
ok "h3 pings h4 through B" pingr "${PFX}h3" 10.57.0.4
check "B is the same process" '[ "$(sw_pid "$B")" = "$pid_b" ]'

# 8. A again, by the CLI, on the same devices; then SIGINT.
ok "warren switch start A (cores 1)" sw "$A" switch start cores 1
pid_a=$(sw_pid "$A")
ok "A: port add p1, p2 again" eval 'sw "$A" port add p1 netns "$SW" dev h1 && sw "$A" port add p2 netns "$SW" dev h2'
ok "h2 pings h1 through the new A" pingr "${PFX}h2" 10.57.0.1
kill -INT "$pid_a"
check "A exits within 10 s of SIGINT" 'wait_until 10 "[ ! -d /proc/$pid_a ]"'
check "no XDP program on h1 or h2" '! xdp_on h1 && ! xdp_on h2'
check "A's socket and pid file are gone" '[ ! -e "$WR_RUN/$A.sock" ] && [ ! -e "$WR_RUN/$A.pid" ]'

# 9. B by `warren switch stop` (the API's shutdown).
ok "warren switch stop B" sw "$B" switch stop
check "B is gone" 'wait_until 10 "[ ! -d /proc/$pid_b ]"'
check "no XDP program on h3 or h4" '! xdp_on h3 && ! xdp_on h4'
check "B's socket and pid file are gone" '[ ! -e "$WR_RUN/$B.sock" ] && [ ! -e "$WR_RUN/$B.pid" ]'
fails "warren -S B port show: no such switch" 1 sw "$B" port show
echo "     its message: $(last_out | head -1)"
check "no socket or pid file of this test left in $WR_RUN" \
	'[ -z "$(ls "$WR_RUN" | grep -F "$PFX" | grep -v "\.log$")" ]'
ok "the host ends still have their addresses" nsx "${PFX}h1" ip addr show dev eth0
check "h1's eth0 still has 10.57.0.1" 'last_out | grep -q "10.57.0.1/24"'
