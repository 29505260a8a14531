# SPDX-License-Identifier: BSD-3-Clause
"""bench/overlay_report.py - the table, ratios and JSON of `bench/run overlay`
(bench/overlay.sh), from the per-run values it left in RES/SYSTEM/METRIC.

  overlay_report.py RES SYSTEMS RUNS SECONDS JSON DATE GENERATOR CPUS LOAD KERNEL

Exit status 1 when a system has an error (one not built is only skipped).
"""
import json
import sys

from bench_report import load_results, ratio_text

res, systems, reps, seconds, want_json, date, gen, ncpu, load, kernel = sys.argv[1:]
loop = gen == "xdpgen-loop"
out, runs = load_results(res, systems, gen, ("tcp_gbps", "mpps_64", "offered_mpps_64", "in_flight_64",
                                             "lost_64", "gen_core_busy_64", "switch_core_busy_64",
                                             "loop_bound_64"))

# (numerator, denominator, the goal for (mpps_64, tcp_gbps), what it measures)
PAIRS = (("warren-xdp", "kernel-vxlan", (2.0, None), "fast path xdp vs the kernel's VXLAN + bridge"),
         ("warren-tc", "kernel-vxlan", (None, 1.0), "fast path tc vs the kernel's VXLAN + bridge"),
         ("warren-afxdp", "kernel-vxlan", (None, None), "userspace vs the kernel's VXLAN + bridge"),
         ("warren-afxdp", "warren-l2", (0.5, None), "userspace encap + decap vs Warren's plain L2"),
         ("warren-afxdp", "ovs-vxlan", (None, None), "userspace vs Open vSwitch's userspace VXLAN"))
ratios = {}
for a, b, goals, what in PAIRS:
    if a not in out or b not in out:
        continue
    q = {}
    for m, goal in zip(("mpps_64", "tcp_gbps"), goals):
        if out[a].get(m) and out[b].get(m):
            q[m] = round(out[a][m] / out[b][m], 3)
            if goal is not None:
                q["goal_" + m] = goal
                q["goal_met_" + m] = q[m] >= goal
    if q:
        ratios["%s/%s" % (a, b)] = q
        q["what"] = what

print("overlay: tenant gen (host A) -> VXLAN VNI 5001 over a veth underlay -> tenant sink (host B)")
print("warren-xdp, -tc, -afxdp: a warrend per host, --fastpath xdp, tc, off: known unicast encapsulated")
print("  and decapsulated in XDP, in TC (GSO frames whole), or in warrend's userspace")
print("warren-l2: one warrend, the same two tenant veths, plain L2, no tunnel (fast path off)")
print("pinned: warrend(s), ovs-vswitchd and its PMDs on core 1; xdpgen and iperf3 on core 0;")
print("  the kernel's work (kernel-vxlan, fast paths, veth delivery) in the sender's softirq")
print("median of %s runs of %s s; %s; kernel %s; %s CPUs, load %s" % (reps, seconds, date, kernel, ncpu, load))
if loop:
    print("64B: xdpgen loop, Mpps forwarded both directions (busy % of core 0); * = generator-bound:")
    print("  core 0 at 95 % or more, or no frame lost or under 64 in flight")
else:
    print("64B: xdpgen live frames, gen -> sink, Mpps forwarded (offered); * = generator-bound:")
    print("  offered no more than forwarded")
print("%-14s %9s %18s  %s" % ("SYSTEM", "TCP Gb/s", "64B Mpps", "GEN"))
for s, r in out.items():
    u = "-"
    if "mpps_64" in r:
        u = "%.3f (%s)%s" % (r["mpps_64"], "%.0f%%" % r["gen_core_busy_64"] if loop else
                             "%.3f" % r["offered_mpps_64"], "*" if r["generator_bound_64"] else " ")
    print("%-14s %9s %18s  %s" % (s, "%.2f" % r["tcp_gbps"] if "tcp_gbps" in r else "-", u,
                                  r.get("generator", "-").replace("xdpgen-", "")))
    if "error" in r:
        print("%-14s error: %s" % ("", r["error"]))
for k, q in ratios.items():
    print("%-27s %s  [%s]" % (k, ratio_text(q), q["what"]))
line = json.dumps({"scenario": "overlay", "runs": int(reps), "seconds": float(seconds), "date": date,
                   "kernel": kernel, "cpus": int(ncpu), "loadavg": load, "generator": gen,
                   "systems": out, "ratios": ratios, "samples": runs}, separators=(",", ":"))
if want_json == "1":
    print(line)
sys.exit(any(not r.get("error", "not built").startswith("not built") for r in out.values()))
