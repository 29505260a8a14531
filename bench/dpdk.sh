# SPDX-License-Identifier: BSD-3-Clause
# bench/dpdk.sh - `bench/run dpdk`, sourced by bench/run (which sets top,
# build, json, reps, seconds, systems, smoke, plot; see its header).
#
# warrend on DPDK ports against dpdk-testpmd io forwarding on the same
# ports, in two pairs; the switch on core 1 (--cores 1 --busy-poll: it spins,
# as testpmd does), the generator on core 0:
#
#   warren-dpdk-afxdp  warrend with two dpdk ports net_af_xdp0/1 on the
#                      switch-side veths of bench/afxdp.sh's topology
#   testpmd-afxdp      dpdk-testpmd on the same two net_af_xdp ports
#                      (bench/afxdp.sh's system, unchanged)
#     loads: iperf3 TCP, bench/xdpgen 60-byte frames (64 with the FCS;
#     live frames or its loop, as --gen and the kernel decide), sockperf
#     RTT; the machinery of bench/afxdp.sh (afx_system).
#
#   warren-dpdk-memif  warrend with two memif server ports m0, m1 (sockets
#                      in a temporary directory, socket-abstract=no)
#   testpmd-memif      dpdk-testpmd io forwarding between two memif servers
#     load: one dpdk-testpmd on core 0 with two memif client ports, MACs
#     02:00:00:00:00:01 and :02, 60-byte frames (64 with the FCS). It runs
#     a closed loop: `start tx_first 16` puts 16 bursts of 32 frames per
#     port in flight (1024 in all, half of what the rings between it and
#     the switch hold, so that none needs dropping), then `mac` forwarding
#     with --port-topology=loop sends every frame that comes back out of
#     the port it came in on, with that port's MAC as source and the other
#     port's as destination: the switch learns both MACs and forwards
#     unicast both ways. (flowgen, which also counts what comes back, puts
#     the same fixed MACs in every frame of both ports in DPDK 22.11: a
#     flood and a MAC move at every burst.) The figure is the frames per
#     second that come back to the generator, both ports, both directions,
#     over S seconds after a warm-up, from testpmd's own rate ("show port
#     stats", Rx-pps since the last show). Each run is a session of its
#     own (switch and generator started afresh; the two memif systems take
#     turns): within a session the rate is steady, between sessions it
#     varies by 2x and more (memory layout, with 4 KiB pages). A session
#     ends in this order: the generator stops forwarding, the switch stops,
#     the generator quits, so that no memif link goes down under an lcore
#     that polls it (DPDK 22.11's memif PMD can then read a region being
#     unmapped; warrend crashed so once, as a server whose client quit).
#     Generator-bound (*) when under 10 % of the generator's receive polls
#     came back empty: frames waited for it, not for the switch.
#
# Pairs are reported as ratios warren/testpmd. Everything is made with the
# prefix ${pfx} (ba<pid>-, as bench/afxdp.sh's) and removed on every way out;
# the root namespace gets no address and no route (memif needs none).

. "$top/bench/afxdp.sh"

afx_scenario=dpdk
dp_systems_all="warren-dpdk-afxdp testpmd-afxdp warren-dpdk-memif testpmd-memif"
dp_pairs="warren-dpdk-afxdp:testpmd-afxdp warren-dpdk-memif:testpmd-memif"
dp_systems_smoke=$dp_systems_all	# every pair's ratio; about 25 s
dp_mac0=02:00:00:00:00:01 dp_mac1=02:00:00:00:00:02
dp_inflight=16		# tx_first bursts (of 32 frames) per generator port
dp_gen_pid="" dp_gen_fd="" dp_gen_log=""	# the memif generator, if it runs
dp_gen_fwd=0		# whether it forwards
dp_sw_pid=""		# testpmd-memif's testpmd, if it runs

# EAL options of the memif testpmds: a runtime directory of their own
# (/var/run/dpdk/PREFIX, removed as each stops), not --no-shconf, which
# turns off the multi-process channel that the memif PMD registers with
# (DPDK 22.11 logs "Failed to register mp action callback").
dp_eal() { echo "--no-huge -m 256 --no-pci --no-telemetry --file-prefix $1"; }

# dp_cleanup: the generator's forwarding, bench/afxdp.sh's cleanup (the
# system that is up, the namespaces, $tmp), the generator, then what DPDK
# left in /var/run/dpdk.
dp_cleanup() {
	dp_gen_halt
	afx_cleanup
	dp_gen_stop
	rm -rf "/var/run/dpdk/${pfx}"* "/var/run/dpdk/warren-${pfx}"*
}

# --------------------------------------------------------- warrend, DPDK
# dp_warren_start: warrend on core 1, busy-polling; sets afx_warren_* so
# that afx_stop_warren stops it.
dp_warren_start() {
	afx_warren_built || { echo "not built ($build/dataplane/warrend and 'warren -S NAME port add')" >&2; return 1; }
	taskset -c 1 timeout 30 "$build/dataplane/warrend" --name "$afx_warren_name" --daemon --cores 1 \
		--busy-poll --log-file "$tmp/warrend.log" >&2 || return 1
	afx_warren_up=1
	afx_warren_pid=$(timeout 10 "$build/control/warren" -S "$afx_warren_name" -j switch show 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["pid"])' 2>/dev/null)
	[ -n "$afx_warren_pid" ] || afx_warren_pid=$(cat "/run/warren/$afx_warren_name.pid" 2>/dev/null)
	[ -n "$afx_warren_pid" ] || { echo "warrend started but says no pid" >&2; return 1; }
	afx_pid=$afx_warren_pid
}

# dp_warren_port NAME DEVARGS [NS]
dp_warren_port() {
	timeout 20 "$build/control/warren" -S "$afx_warren_name" port add "$1" type dpdk devargs "$2" \
		${3:+netns "$3"} >"$tmp/port.log" 2>&1 && return 0
	echo "port add $1 type dpdk: $(grep -v -e "^Try '" -e '^$' "$tmp/port.log" | tail -1)" >&2
	return 1
}

# dp_warren_stop: afx_stop_warren, and what a warrend that crashed leaves.
dp_warren_stop() {
	local was=$afx_warren_pid
	afx_stop_warren
	if [ -n "$was" ] && ! kill -0 "$was" 2>/dev/null; then
		rm -f "/run/warren/$afx_warren_name.pid" "/run/warren/$afx_warren_name.sock"
	fi
	rm -rf "/var/run/dpdk/warren-$afx_warren_name"
}

afx_start_warren_dpdk_afxdp() {
	dp_warren_start &&
		dp_warren_port d1 "net_af_xdp0,iface=${pfx}g" "${pfx}sw" &&
		dp_warren_port d2 "net_af_xdp1,iface=${pfx}s" "${pfx}sw"
}
afx_stop_warren_dpdk_afxdp() { dp_warren_stop; }

# ------------------------------------------------------------------ memif
# dp_sockets SYS: the directory of SYS's memif sockets (a fresh one each:
# a stale socket file makes a server fail).
dp_sockets() { echo "$tmp/memif-$1"; }

dp_start_warren_dpdk_memif() {
	local d
	d=$(dp_sockets warren-dpdk-memif)
	rm -rf "$d"
	mkdir -p "$d"
	dp_warren_start &&
		dp_warren_port m0 "net_memif0,role=server,id=0,socket=$d/m0.sock,socket-abstract=no" &&
		dp_warren_port m1 "net_memif1,role=server,id=0,socket=$d/m1.sock,socket-abstract=no"
}

# The switch's counted drops (warrend's 'stats'), after the runs.
dp_drops_warren_dpdk_memif() {
	timeout 10 "$build/control/warren" -S "$afx_warren_name" -j stats 2>/dev/null |
		python3 -c 'import json, sys; print(sum(json.load(sys.stdin)["drops"].values()))' 2>/dev/null
}
dp_stop_warren_dpdk_memif() { dp_warren_stop; }

# testpmd-memif: io forwarding between two memif servers, both lcores on
# core 1 (the main one asleep in the stats loop); no link check at start,
# or it waits 9 s for a client. stdbuf: into a file, testpmd's stdout is
# block-buffered and "packet forwarding" would stay in the buffer.
dp_start_testpmd_memif() {
	local d i bound=$((seconds + 90))
	d=$(dp_sockets testpmd-memif)
	rm -rf "$d"
	mkdir -p "$d"
	taskset -c 1 timeout "$bound" stdbuf -oL dpdk-testpmd $(dp_eal "${pfx}tm") --lcores 0@1,1@1 \
		--vdev "net_memif0,role=server,id=0,socket=$d/m0.sock,socket-abstract=no" \
		--vdev "net_memif1,role=server,id=0,socket=$d/m1.sock,socket-abstract=no" \
		-- --forward-mode=io --nb-cores=1 --total-num-mbufs=16384 --stats-period 3600 \
		--disable-link-check </dev/null >"$tmp/testpmd-memif.log" 2>&1 &
	dp_sw_pid=$!
	for i in $(seq 100); do
		grep -q 'packet forwarding - ports=2' "$tmp/testpmd-memif.log" &&
			[ -S "$d/m1.sock" ] && { afx_pid=$dp_sw_pid; return 0; }
		kill -0 "$dp_sw_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "testpmd did not start forwarding: $(grep -m1 -iE 'error|cause|fail' "$tmp/testpmd-memif.log")" >&2
	return 1
}

dp_drops_testpmd_memif() { :; }	# in its final statistics: dp_stop_testpmd_memif

dp_stop_testpmd_memif() {
	[ -n "$dp_sw_pid" ] || return 0
	kill -TERM "$dp_sw_pid" 2>/dev/null
	afx_reap "$dp_sw_pid" group
	dp_sw_pid=""
	rm -rf "/var/run/dpdk/${pfx}tm"
}

# dp_gen_cmd CMD: a command to the generator's prompt. Its stdin is a FIFO
# that this shell holds open for reading and writing too: no write blocks
# or raises SIGPIPE, whether testpmd reads yet or has gone.
dp_gen_cmd() { echo "$1" >&"$dp_gen_fd"; }

# dp_gen_text: the generator's log without its terminal escapes.
dp_gen_text() { sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$dp_gen_log"; }

# dp_gen_count PATTERN: how many lines of the generator's log match.
dp_gen_count() { dp_gen_text | grep -c -- "$1"; }

# dp_gen_await CMD PATTERN N SECONDS: send CMD and wait until N more lines
# of the log match PATTERN (the generator's answer is complete).
dp_gen_await() {
	local n i
	n=$(($(dp_gen_count "$2") + $3))
	dp_gen_cmd "$1"
	for i in $(seq $(($4 * 10))); do
		[ "$(dp_gen_count "$2")" -ge "$n" ] && return 0
		kill -0 "$dp_gen_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# dp_gen_start SYS R: testpmd on core 0 (both lcores; the main one waits at
# the prompt), two memif clients of SYS's sockets, the loop in flight.
dp_gen_start() {
	local d i bound=$((seconds + 60))
	d=$(dp_sockets "$1")
	dp_gen_log=$tmp/gen-$1-$2.log
	rm -f "$tmp/gen.cmd"
	mkfifo "$tmp/gen.cmd" || return 1
	exec {dp_gen_fd}<>"$tmp/gen.cmd"
	# stdbuf: its answers reach the log a line at a time, not a block.
	taskset -c 0 timeout "$bound" stdbuf -oL dpdk-testpmd $(dp_eal "${pfx}gen") --lcores 0@0,1@0 \
		--vdev "net_memif0,role=client,id=0,socket=$d/m0.sock,socket-abstract=no,mac=$dp_mac0" \
		--vdev "net_memif1,role=client,id=0,socket=$d/m1.sock,socket-abstract=no,mac=$dp_mac1" \
		-- -i --forward-mode=mac --port-topology=loop --record-burst-stats --txpkts=60 \
		--eth-peer="0,$dp_mac1" --eth-peer="1,$dp_mac0" --nb-cores=1 --total-num-mbufs=16384 \
		<"$tmp/gen.cmd" >"$dp_gen_log" 2>&1 &
	dp_gen_pid=$!
	# Both links up (the EAL's start and the memif handshake: a second or two).
	for i in $(seq 20); do
		dp_gen_await "show port info all" "Link status:" 2 15 ||
			{ echo "generator: $(grep -m1 -iE 'error|cause|fail' "$dp_gen_log" || echo "no answer")" >&2; return 1; }
		[ "$(dp_gen_text | grep 'Link status:' | tail -2 | grep -c up)" = 2 ] && break
		[ "$i" = 20 ] && { echo "generator: memif links not up after 10 s" >&2; return 1; }
		sleep 0.5
	done
	dp_gen_fwd=1
	dp_gen_await "start tx_first $dp_inflight" "forwards packets on" 1 10 ||
		{ echo "generator: did not start forwarding" >&2; return 1; }
}

# dp_gen_show: "show port stats all", and its answer parsed: returned
# Mpps (both ports' Rx-pps since the last show), sent Mpps, frames in flight.
dp_gen_show() {
	dp_gen_await "show port stats all" "Tx-pps:" 2 10 || return 1
	dp_gen_text | awk '
		/NIC statistics for port/ {p = $6}
		/RX-packets:/ {rx[p] = $2}
		/TX-packets:/ {tx[p] = $2}
		/Rx-pps:/ {rp[p] = $2}
		/Tx-pps:/ {tp[p] = $2; if (p == 1) l = sprintf("%.4f %.4f %d",
			(rp[0] + rp[1]) / 1e6, (tp[0] + tp[1]) / 1e6, tx[0] + tx[1] - rx[0] - rx[1])}
		END {print l}'
}

# dp_gen_halt: the generator stops forwarding (its statistics, with the
# bursts, come out); the switch is stopped next, then the generator: no
# memif link goes down under an lcore that polls it.
dp_gen_halt() {
	[ "$dp_gen_fwd" = 1 ] && [ -n "$dp_gen_pid" ] || return 0
	dp_gen_fwd=0
	kill -0 "$dp_gen_pid" 2>/dev/null &&
		dp_gen_await "stop" "Accumulated forward statistics" 1 10
	return 0
}

# dp_gen_stop: the generator quits (reaped, or killed after 10 s).
dp_gen_stop() {
	[ -n "$dp_gen_pid" ] || return 0
	dp_gen_halt
	kill -0 "$dp_gen_pid" 2>/dev/null && dp_gen_cmd "quit"
	exec {dp_gen_fd}>&-
	afx_reap "$dp_gen_pid" group
	dp_gen_pid="" dp_gen_fd=""
	rm -rf "/var/run/dpdk/${pfx}gen" "$tmp/gen.cmd"
}

# dp_memif_run SYS R: run R of SYS, a session of its own: the switch, the
# generator, a warm-up, one window of --seconds, the generator's forwarding
# stopped, the switch stopped, the generator stopped. (A session per run:
# the rate of one session is steady, but sessions differ by up to 2x or
# more, with the memory layout of the day; a window per session shows it.)
dp_memif_run() {
	local sys=$1 r=$2 fn e a b warm=2 d rx tx fl
	fn=${sys//-/_}
	mkdir -p "$tmp/res/$sys"
	[ -f "$tmp/res/$sys/dead" ] && return
	[ "$smoke" = 1 ] && warm=1
	echo "== $sys${3:+ run $r}" >&2
	afx_stop=dp_stop_$fn afx_pid=""
	if ! dp_start_"$fn" 2>"$tmp/start.err"; then
		e=$(grep -v '^$' "$tmp/start.err" | tail -1)
		echo "$sys: ${e:-could not start}" >&2
		echo "${e:-could not start}" >"$tmp/res/$sys/error"
		: >"$tmp/res/$sys/dead"
		$afx_stop >/dev/null 2>&1
		afx_stop=""
		return
	fi
	if ! dp_gen_start "$sys" "$r" 2>"$tmp/gen.err"; then
		e=$(grep -v '^$' "$tmp/gen.err" | tail -1)
		echo "$sys run $r: ${e:-generator did not start}" >&2
		[ -f "$tmp/res/$sys/error" ] || echo "${e:-generator did not start}" >"$tmp/res/$sys/error"
	else
		sleep "$warm"
		if a=$(dp_gen_show) && sleep "$seconds" && b=$(dp_gen_show) && [ -n "$b" ]; then
			read -r rx tx fl <<<"$b"
			echo "$rx" >>"$tmp/res/$sys/mpps_64"
			echo "$tx" >>"$tmp/res/$sys/sent_mpps_64"
			# The change of the frames in flight over the window: what the
			# loop lost, give or take a burst in transit at either count.
			echo $((${a##* } - fl)) >>"$tmp/res/$sys/loop_lost"
			if awk -v x="$rx" 'BEGIN {exit !(x < 0.001)}'; then
				echo "$sys run $r: nothing came back" >&2
				[ -f "$tmp/res/$sys/error" ] || echo "nothing came back to the generator" >"$tmp/res/$sys/error"
			fi
		else
			echo "$sys run $r: no statistics from the generator" >&2
			[ -f "$tmp/res/$sys/error" ] || echo "no statistics from the generator" >"$tmp/res/$sys/error"
		fi
		d=$(dp_drops_"$fn")
		[ -n "$d" ] && echo "$d" >>"$tmp/res/$sys/switch_drops"
	fi
	dp_gen_halt
	$afx_stop >/dev/null 2>&1
	afx_stop=""
	dp_gen_stop
	python3 - "$dp_gen_log" "$tmp/testpmd-memif.log" "$tmp/res/$sys" "$sys" <<'PYEOF'
import os, re, sys
gen, sw, res, sysname = sys.argv[1:]
def text(p):
    try:
        return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", open(p, errors="replace").read())
    except OSError:
        return ""
def add(name, v):
    open(os.path.join(res, name), "a").write("%s\n" % v)
g = text(gen)
# The generator's receive polls that found nothing.
polls = empty = 0
for m in re.finditer(r"RX-bursts : (\d+) \[([^\]]*)\]", g):
    n = int(m.group(1))
    z = re.search(r"(\d+)% of 0 pkts", m.group(2))
    polls += n
    empty += n * int(z.group(1)) / 100 if z else 0
if polls:
    add("gen_empty_polls_pct", "%.1f" % (100 * empty / polls))
m = re.search(r"Accumulated forward statistics.*?TX-dropped: (\d+)", g, re.S)
if m:
    add("gen_tx_dropped", m.group(1))
if sysname == "testpmd-memif":
    m = re.search(r"Accumulated forward statistics.*?RX-dropped: (\d+).*?TX-dropped: (\d+)", text(sw), re.S)
    if m:
        add("switch_drops", int(m.group(1)) + int(m.group(2)))
PYEOF
}

# ------------------------------------------------------------------ main
bench_dpdk() {
	local sys c r rc afx_sys=0 memif=""
	local me="bench/run dpdk"
	[ "$(id -u)" = 0 ] || { echo "$me: needs root" >&2; exit 1; }
	command -v dpdk-testpmd >/dev/null || { echo "$me: needs dpdk-testpmd (make deps: dpdk-dev)" >&2; exit 1; }
	for c in iperf3 ethtool taskset timeout stdbuf bc python3; do
		command -v $c >/dev/null || { echo "$me: needs $c (make deps)" >&2; exit 1; }
	done
	[ -z "$plot" ] || command -v gnuplot >/dev/null ||
		{ echo "$me: --plot needs gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }
	afx_idle_s=0		# busy-polling switches: 100 % of a core, idle or not
	afx_loads="tcp 64 rtt"
	if [ "$smoke" = 1 ]; then
		reps=${reps:-1} seconds=${seconds:-1} systems=${systems:-$dp_systems_smoke}
		afx_loads="tcp 64"
	fi
	reps=${reps:-3} seconds=${seconds:-10} systems=${systems:-$dp_systems_all}
	for sys in $systems; do
		case " $dp_systems_all " in *" $sys "*) ;; *)
			echo "$me: unknown system '$sys' (known: $dp_systems_all)" >&2; exit 2 ;;
		esac
		case $sys in *-afxdp) afx_sys=1 ;; *) memif="$memif $sys" ;; esac
	done
	if [ "$afx_sys" = 1 ]; then
		[ -x "$build/bench/xdpgen" ] || { echo "$me: build first (make)" >&2; exit 1; }
		afx_warmup=1
		[ "$smoke" = 1 ] && afx_warmup=0.5
		afx_gen_choose || exit 1
		echo "generator of the *-afxdp systems: xdpgen $afx_gen ($afx_gen_why)" >&2
	fi
	tmp=$(mktemp -d /tmp/warren-bench.XXXXXX)
	trap dp_cleanup EXIT
	trap 'exit 130' INT TERM
	if [ "$afx_sys" = 1 ]; then
		afx_topology || { echo "$me: could not build the topology" >&2; exit 1; }
	fi
	for sys in $systems; do
		case $sys in *-afxdp) afx_system "$sys" ;; esac
	done
	# The memif systems take turns, run by run: a change in the machine's
	# load falls on both.
	for r in $(seq "$reps"); do
		for sys in $memif; do dp_memif_run "$sys" "$r" "$([ "$reps" -gt 1 ] && echo x)"; done
	done
	python3 - "$tmp/res" "$systems" "$reps" "$seconds" "$json" "$(date -u +%Y-%m-%dT%H:%MZ)" \
		"$tmp/results.json" "$dp_pairs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
		"xdpgen-${afx_gen:-live}" <<'PYEOF'
import json, os, statistics, sys

res, systems, reps, seconds, want_json, date, saved, pairs, ncpu, load, xdpgen = sys.argv[1:]
out, runs = {}, {}
for s in systems.split():
    d, r, samples = os.path.join(res, s), {}, {}
    for m in ("tcp_gbps", "mpps_64", "offered_mpps_64", "sent_mpps_64", "rtt_p50_us", "rtt_p99_us",
              "loop_lost", "gen_empty_polls_pct", "gen_tx_dropped", "switch_drops",
              "in_flight_64", "lost_64", "gen_core_busy_64", "switch_core_busy_64", "loop_bound_64"):
        try:
            v = [float(x) for x in open(os.path.join(d, m)).read().split()]
        except OSError:
            continue
        if not v:
            continue
        if m in ("loop_lost", "gen_tx_dropped", "switch_drops"):
            r[m] = int(sum(v))	# over all runs
        elif m == "mpps_64":
            r[m] = round(statistics.median(v), 3)
            r["mpps_64_min"], r["mpps_64_max"] = round(min(v), 3), round(max(v), 3)
        else:
            r[m] = round(statistics.median(v), 3)
        if len(v) > 1 or m in ("tcp_gbps", "mpps_64", "rtt_p50_us", "rtt_p99_us"):
            samples[m] = v
    if "offered_mpps_64" in r and "mpps_64" in r:
        # xdpgen: offered no more than was forwarded (1 % for frames in flight).
        r["generator_bound_64"] = r["offered_mpps_64"] <= r["mpps_64"] * 1.01
    elif "loop_bound_64" in r:
        # xdpgen's loop: bound in most runs (afx_loop_udp says when).
        r["generator_bound_64"] = r.pop("loop_bound_64") >= 0.5
    elif "gen_empty_polls_pct" in r and "mpps_64" in r:
        # The memif loop: frames waited for the generator, not the switch.
        r["generator_bound_64"] = r["gen_empty_polls_pct"] < 10
    # xdpgen-live: gen -> sink, one direction; xdpgen-loop and testpmd-memif-loop:
    # both directions.
    r["generator"] = xdpgen if s.endswith("-afxdp") else "testpmd-memif-loop"
    if os.path.exists(os.path.join(d, "loop_threaded")):
        # Where the hosts' receive (the reflectors) ran: afx_loop_udp.
        r["loop_napi"] = ("threaded, core 0" if open(os.path.join(d, "loop_threaded")).read().strip() == "1"
                          else "softirq")
    if os.path.exists(os.path.join(d, "error")):
        r["error"] = open(os.path.join(d, "error")).read().strip()
    out[s] = r
    runs[s] = samples

ratios = {}
for p in pairs.split():
    w, t = p.split(":")
    if w in out and t in out:
        q = {}
        for m in ("mpps_64", "tcp_gbps"):
            if out[w].get(m) and out[t].get(m):
                q[m] = round(out[w][m] / out[t][m], 3)
        # The memif systems take turns run by run: the ratio of each run
        # to its partner's, which the machine's moods touch less.
        a, b = runs[w].get("mpps_64", []), runs[t].get("mpps_64", [])
        if not w.endswith("-afxdp") and a and len(a) == len(b) and all(b):
            q["mpps_64_by_run"] = [round(x / y, 3) for x, y in zip(a, b)]
            q["mpps_64_paired"] = round(statistics.median(q["mpps_64_by_run"]), 3)
        if q:
            ratios["%s/%s" % (w, t)] = q

def f(r, k, fmt="%.2f"):
    return fmt % r[k] if k in r else "-"

print("dpdk: warrend (--cores 1 --busy-poll) on DPDK ports vs dpdk-testpmd io forwarding; "
      "switch on core 1, generator on core 0")
if xdpgen == "xdpgen-loop":
    print("  *-afxdp: net_af_xdp on the switch-side veths, bench/xdpgen's loop gen <-> sink "
          "(64B: forwarded, both directions (busy % of core 0));")
    print("    the hosts' NAPI in softirq (net_af_xdp stalls when threaded): their reflectors run on core 1")
else:
    print("  *-afxdp: net_af_xdp on the switch-side veths, bench/xdpgen gen -> sink (64B: forwarded (offered))")
print("  *-memif: two memif ports, one dpdk-testpmd looping 1024 frames through the switch "
      "(64B: frames back per second, both directions)")
print("median of %s runs of %s s; * = generator-bound; %s; %s CPUs, load %s" % (reps, seconds, date, ncpu, load))
print("%-18s %8s %18s %13s %9s %9s %8s  %s" % ("SYSTEM", "TCP Gb/s", "64B Mpps", "64B min-max",
                                                "p50 us", "p99 us", "drops", "GEN"))
for s, r in out.items():
    u = "-"
    if "mpps_64" in r:
        u = "%.2f" % r["mpps_64"]
        if "offered_mpps_64" in r:
            u += " (%.2f)" % r["offered_mpps_64"]
        elif "gen_core_busy_64" in r:
            u += " (%.0f%%)" % r["gen_core_busy_64"]
        u += "*" if r.get("generator_bound_64") else " "
    dr = r.get("switch_drops")
    mm = "%.2f-%.2f" % (r["mpps_64_min"], r["mpps_64_max"]) if "mpps_64_min" in r else "-"
    print("%-18s %8s %18s %13s %9s %9s %8s  %s" % (s, f(r, "tcp_gbps"), u, mm, f(r, "rtt_p50_us", "%.1f"),
          f(r, "rtt_p99_us", "%.1f"), "-" if dr is None else dr,
          r["generator"] + ("/softirq" if r.get("loop_napi") == "softirq" else "")))
    if "error" in r:
        print("%-18s error: %s" % ("", r["error"]))
for k, q in ratios.items():
    t = ", ".join("%s %.2fx" % (m, q[m]) for m in ("mpps_64", "tcp_gbps") if m in q)
    if "mpps_64_paired" in q:
        t += "; run by run %s, median %.2fx" % (" ".join("%.2f" % x for x in q["mpps_64_by_run"]),
                                                q["mpps_64_paired"])
    print("%-32s %s" % (k, t))
line = json.dumps({"scenario": "dpdk", "runs": int(reps), "seconds": float(seconds), "date": date,
                   "cpus": int(ncpu), "loadavg": load, "systems": out, "ratios": ratios,
                   "samples": runs}, separators=(",", ":"))
open(saved, "w").write(line + "\n")
if want_json == "1":
    print(line)
sys.exit(any(not r.get("error", "not built").startswith("not built") for r in out.values()))
PYEOF
	rc=$?
	[ -z "$plot" ] || afx_plot "$tmp/results.json" "$plot" \
		"warrend on DPDK ports vs dpdk-testpmd, switch on core 1" \
		"$(printf '%s\n%s\n%s' \
			"*-afxdp: net_af_xdp on veths, bench/xdpgen gen -> sink, one direction; *-memif: a dpdk-testpmd memif loop, both directions" \
			"core 0: generator and endpoints; core 1: the switch (warrend --busy-poll, testpmd io forwarding)" \
			"* generator-bound")" \
		"64-byte frames forwarded (xdpgen, or the memif loop)" || rc=1
	return $rc
}
