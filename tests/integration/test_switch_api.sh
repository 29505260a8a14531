#!/bin/bash
# warrend's API socket under clients that misbehave, and its own files:
# - the pid and log files are never opened through a planted link;
# - the soft limit of open files is raised to the hard one;
# - a client that sends without pause does not hold the control loop (the
#   CLI is answered meanwhile); pipelined heavy requests from clients that
#   do not read queue one reply each, not all of them;
# - 64 connected clients fill the socket (the 65th is told EBUSY), silent
#   ones are cut after --client-idle; out of descriptors, a connection is
#   told EMFILE and closed, without the loop spinning;
# each counted in switch.show's "api" (docs/api.md).
. "$(dirname "$0")/lib.sh"
test_deadline 170

A=${PFX}a	# soft limit 64 at start, default idle
B=${PFX}b	# --client-idle 2
C=${PFX}c	# hard limit 48: runs out of descriptors
TN=${PFX}t
R=$TMP/run
X=${PFX}x

# api NAME MODE ARGS...: the clients below, on instance NAME's socket.
cat >"$TMP/api.py" <<'EOF'
import os, socket, sys, threading, time
path, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
HELLO = b'{"v":1,"cmd":"hello"}\n'

def conn():
    # A full listen queue says EAGAIN at once (no waiting for unix sockets).
    for _ in range(100):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            time.sleep(0.05)
    raise TimeoutError("listen queue full for 5 s")

def read_lines(s, n, got):
    # Count reply lines (into got[0], and ok ones into got[1]) until N or EOF.
    buf = b""
    try:
        while got[0] < n:
            b = s.recv(1 << 16)
            if not b:
                return
            buf += b
            lines = buf.split(b"\n")
            buf = lines.pop()
            got[0] += len(lines)
            got[1] += sum(1 for l in lines if b'"ok":true' in l)
    except OSError:
        return

def reply(s, wait=10):
    s.settimeout(wait)
    buf = b""
    try:
        while not buf.endswith(b"\n"):
            got = s.recv(65536)
            if not got:
                break
            buf += got
    except OSError:
        pass
    return buf.decode(errors="replace")

def code(line):
    return "ok" if '"ok":true' in line else line.split('"code":"')[1].split('"')[0] if '"code":"' in line else "none"

if mode == "hold":
    # N clients, each answered once; one more; then all silent until warrend
    # closes them (SECONDS at most).
    n, secs = int(args[0]), float(args[1])
    cs = [conn() for _ in range(n)]
    answered = 0
    for s in cs:
        s.sendall(HELLO)
        answered += code(reply(s)) == "ok"
    extra = conn()
    extra_code = code(reply(extra))
    end, closed = time.time() + secs, 0
    for s in cs:
        s.settimeout(max(0.1, end - time.time()))
        try:
            closed += s.recv(1) == b""
        except OSError:
            pass
    print("answered=%d extra=%s closed=%d" % (answered, extra_code, closed))
elif mode == "flood":
    # One client sends hello without pause for SECONDS, reading on the side.
    secs, s, got = float(args[0]), conn(), [0, 0]
    threading.Thread(target=read_lines, args=(s, 1 << 62, got), daemon=True).start()
    block, end = HELLO * 2000, time.time() + secs
    while time.time() < end:
        s.sendall(block)
    print("replies=%d" % got[0])
elif mode == "fill":
    # N static FDB entries on PORT, pipelined (replies read as they come).
    n, port, s, got = int(args[0]), args[1], conn(), [0, 0]
    t = threading.Thread(target=read_lines, args=(s, n, got))
    t.start()
    s.sendall(b"".join(b'{"v":1,"cmd":"fdb.add","args":{"mac":"02:00:00:00:%02x:%02x","port":"%s"}}\n'
                       % (i >> 8, i & 255, port.encode()) for i in range(n)))
    t.join()
    print("ok=%d" % got[1])
elif mode == "pipeline":
    # N clients send K fdb.show each, read nothing, hold SECONDS.
    n, k, secs = int(args[0]), int(args[1]), float(args[2])
    cs = [conn() for _ in range(n)]
    for s in cs:
        s.sendall(b'{"v":1,"cmd":"fdb.show"}\n' * k)
    time.sleep(secs)
elif mode == "exhaust":
    # Connect until warrend says EMFILE (or answers nothing); hold all SECONDS.
    secs, cs, last = float(args[0]), [], "none"
    while len(cs) < 100:
        s = conn()
        cs.append(s)
        s.sendall(HELLO)
        last = code(reply(s, 5))
        if last != "ok":
            break
    print("held=%d code=%s" % (len(cs), last), flush=True)
    time.sleep(secs)
EOF
api() { timeout 60 $PY "$TMP/api.py" "$WR_RUN/$1.sock" "${@:2}"; }
# api_key NAME KEY: switch.show's api.KEY (KEY may be cut.idle).
api_key() { swq "$1" "__import__('functools').reduce(lambda o, k: o[k], '$2'.split('.'), d['switch']['api'])" switch show; }

# warrend_limited NOFILE NAME ARGS...: sw_start NAME with `ulimit NOFILE` (-Sn 64, -n 48).
warrend_limited() {
	local lim=$1 real=$WARREND; shift
	printf '#!/bin/bash\nulimit %s || exit 1\nexec "%s" "$@"\n' "$lim" "$real" >"$TMP/warrend-lim"
	chmod +x "$TMP/warrend-lim"
	WARREND=$TMP/warrend-lim
	sw_start "$@"
	WARREND=$real
}
nofile() { awk '/^Max open files/ { print $4 "/" $5 }' /proc/"$(sw_pid "$1")"/limits; }
# cpu_pct PID SECONDS: the share of a core PID used over SECONDS.
cpu_pct() {
	local t0 t1 hz
	hz=$(getconf CLK_TCK)
	t0=$(awk '{ print $14 + $15 }' /proc/"$1"/stat)
	sleep "$2"
	t1=$(awk '{ print $14 + $15 }' /proc/"$1"/stat)
	echo $(((t1 - t0) * 100 / hz / $2))
}

# 1. The pid and log files: a link planted where warrend writes is refused.
mkdir -p "$R"
echo keep >"$TMP/victim"
# Had one started after all (it wrote its pid who knows where): stop each
# warrend whose command line names this test's own run directory.
on_exit 'for p in $(grep -lz -- "^$R\$" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do kill "$p"; done'
xstart() { timeout 20 "$WARREND" --name "$X" --run-dir "$R" --cores 1 --daemon "$@" 7>&-; }
ln -s "$TMP/victim" "$R/$X.pid"
fails "a symbolic link as the pid file is refused" 1 xstart
check "... saying so" 'last_out | grep -q "pid file.*symbolic link"'
ln -sf "$TMP/victim" "$R/$X.log"
rm -f "$R/$X.pid"
fails "a symbolic link as the log file (--daemon's) is refused" 1 xstart
check "... saying so" 'last_out | grep -q "log file.*symbolic link"'
rm -f "$R/$X.log" "$R/$X.pid"
ln -s "$TMP/victim" "$TMP/loglink"
fails "a symbolic link given as --log-file is refused" 1 xstart --log-file "$TMP/loglink"
rm -f "$R/$X.pid"
ln "$TMP/victim" "$R/$X.pid"
fails "a hard link as the pid file is refused" 1 xstart
check "the file they pointed to is untouched" '[ "$(cat "$TMP/victim")" = keep ]'
rm -f "$R/$X.pid"

# 2. The soft limit of open files, 64 at start, is the hard one once running.
warrend_limited -Sn64 "$A"
lim=$(nofile "$A")
echo "     warrend's open files (soft/hard): $lim, started with soft 64"
check "soft limit raised to the hard one ($lim)" '[ "${lim%/*}" = "${lim#*/}" ] && [ "${lim%/*}" -gt 64 ]'
check "... and logged" 'grep -q "open files: soft limit raised from 64" "$TMP/$A.log"'

# 3. A client sending without pause: the CLI is answered meanwhile.
api "$A" flood 6 >"$TMP/flood.out" &
flood=$!
on_exit "kill $flood 2>/dev/null"
sleep 1
for i in 1 2 3; do
	t0=$(ms)
	ok "switch show answers during the flood ($i)" sw "$A" switch show
	echo "     answered in $(($(ms) - t0)) ms"
	sleep 0.5
done
wait $flood
echo "     the flooder got $(cat "$TMP/flood.out") in 6 s"
check "the flooder was answered too" 'grep -q "replies=[1-9]" "$TMP/flood.out"'
check "its requests were deferred (api.deferred $(api_key "$A" deferred))" \
	'[ "$(api_key "$A" deferred)" -gt 0 ]'

# 4. Pipelined heavy requests that nobody reads: one reply waits per client.
mkns "$TN"
ip -n "$TN" tuntap add dev tap0 mode tap && ip -n "$TN" link set tap0 up
ok "port add t0 type tap" sw "$A" port add t0 netns "$TN" dev tap0 type tap
ok "4000 static FDB entries" eval 'api "$A" fill 4000 t0 | grep -q ok=4000'
rss() { awk '/^VmRSS/ { print $2 }' /proc/"$(sw_pid "$A")"/status; }
rss0=$(rss) rss1=$rss0
api "$A" pipeline 4 64 3 &
pipe=$!
on_exit "kill $pipe 2>/dev/null"
for i in $(seq 12); do
	r=$(rss)
	[ "$r" -gt "$rss1" ] && rss1=$r
	sleep 0.25
done
ok "switch show answers meanwhile" sw "$A" switch show
wait $pipe
echo "     RSS $((rss0 / 1024)) MiB before, at most $((rss1 / 1024)) MiB with 4 clients x 64 fdb.show unread"
check "RSS grew by less than 32 MiB (+$(((rss1 - rss0) / 1024)) MiB)" '[ $((rss1 - rss0)) -lt 32768 ]'

# 5. 64 clients fill the socket; silent ones are cut after --client-idle 2.
sw_start "$B" --client-idle 2
out=$(api "$B" hold 64 10)
echo "     $out"
check "64 clients answered, the 65th told EBUSY, all 64 cut when silent" \
	'[ "$out" = "answered=64 extra=EBUSY closed=64" ]'
ok "a new client is served" sw "$B" switch show
check "counted: refused.full >= 1, cut.idle >= 64" \
	'[ "$(api_key "$B" refused.full)" -ge 1 ] && [ "$(api_key "$B" cut.idle)" -ge 64 ]'

# 6. Out of descriptors (hard limit 48): told EMFILE, and no spinning.
warrend_limited -n48 "$C"
api "$C" exhaust 4 >"$TMP/exhaust.out" &
ex=$!
on_exit "kill $ex 2>/dev/null"
wait_until 40 'grep -q held= "$TMP/exhaust.out"'
echo "     $(cat "$TMP/exhaust.out")"
check "a client is told EMFILE" 'grep -q "code=EMFILE" "$TMP/exhaust.out"'
cpu=$(cpu_pct "$(sw_pid "$C")" 2)
echo "     warrend used $cpu % of a core meanwhile"
check "warrend does not spin ($cpu % < 30 %)" '[ "$cpu" -lt 30 ]'
wait $ex
ok "served again once the clients are gone" sw "$C" switch show
check "counted: refused.no_fd >= 1" '[ "$(api_key "$C" refused.no_fd)" -ge 1 ]'
check "logged once" '[ "$(grep -c "connections are refused" "$TMP/$C.log")" = 1 ]'
