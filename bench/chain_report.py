# SPDX-License-Identifier: BSD-3-Clause
"""bench/chain_report.py - the table, ratios and JSON of `bench/run chain`
(bench/chain.sh), from the per-run values it left in RES/SYSTEM/METRIC.

  chain_report.py RES SYSTEMS RUNS SECONDS JSON DATE GENERATOR CPUS LOAD KERNEL FASTPATH

Exit status 1 when a system has an error (one not built is only skipped).
"""
import json
import sys

from bench_report import load_results, ratio_text

res, systems, reps, seconds, want_json, date, gen, ncpu, load, kernel, fastpath = sys.argv[1:]
loop = gen == "xdpgen-loop"
out, runs = load_results(res, systems, gen, ("tcp_gbps", "mpps_64", "offered_mpps_64", "gen_core_busy_64",
                                             "hop_into_min"))

# Issue 17's goals: chain-K >= 0.9 x chain-1 / K (64 B), chain-3 >= 0.5 x direct (TCP).
ratios = {}
one = out.get("chain-1", {}).get("mpps_64")
for k in (2, 3):
    m = out.get("chain-%d" % k, {}).get("mpps_64")
    if one and m:
        q = round(m / (one / k), 3)
        ratios["chain-%d/(chain-1/%d)" % (k, k)] = {"mpps_64": q, "goal_mpps_64": 0.9,
                                                     "goal_met_mpps_64": q >= 0.9}
for k in (1, 2, 3):
    q = {}
    for m in ("mpps_64", "tcp_gbps"):
        a, b = out.get("chain-%d" % k, {}).get(m), out.get("direct", {}).get(m)
        if a and b:
            q[m] = round(a / b, 3)
    if k == 3 and "tcp_gbps" in q:
        q["goal_tcp_gbps"] = 0.5
        q["goal_met_tcp_gbps"] = q["tcp_gbps"] >= 0.5
    if q:
        ratios["chain-%d/direct" % k] = q

print("chain: gen -> warrend (bd 1) -> K pass-through hops (a Linux bridge in a namespace each,")
print("  a port pair in warrend each) -> sink; direct: the same warrend, no chain; fast path %s"
      % fastpath)
print("pinned: warrend on core 1 (the hops' bridges run in its transmit's softirq there too);")
print("  xdpgen and iperf3 on core 0")
print("median of %s runs of %s s; %s; kernel %s; %s CPUs, load %s" % (reps, seconds, date, kernel, ncpu, load))
if loop:
    print("64B: xdpgen loop, Mpps forwarded both directions (busy % of core 0)")
else:
    print("64B: xdpgen live frames, gen -> sink, Mpps forwarded (offered); * = generator-bound")
print("%-10s %9s %18s" % ("SYSTEM", "TCP Gb/s", "64B Mpps"))
for s, r in out.items():
    u = "-"
    if "mpps_64" in r:
        u = "%.3f (%s)%s" % (r["mpps_64"], "%.0f%%" % r["gen_core_busy_64"] if loop and
                             "gen_core_busy_64" in r else "%.3f" % r.get("offered_mpps_64", 0),
                             "*" if r.get("generator_bound_64") else " ")
    print("%-10s %9s %18s" % (s, "%.2f" % r["tcp_gbps"] if "tcp_gbps" in r else "-", u))
    if "error" in r:
        print("%-10s error: %s" % ("", r["error"]))
for k, q in ratios.items():
    print("%-22s %s" % (k, ratio_text(q)))
line = json.dumps({"scenario": "chain", "fastpath": fastpath, "runs": int(reps), "seconds": float(seconds), "date": date,
                   "kernel": kernel, "cpus": int(ncpu), "loadavg": load, "generator": gen,
                   "systems": out, "ratios": ratios, "samples": runs}, separators=(",", ":"))
if want_json == "1":
    print(line)
sys.exit(any(not r.get("error", "not built").startswith("not built") for r in out.values()))
