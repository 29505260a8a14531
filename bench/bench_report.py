# SPDX-License-Identifier: BSD-3-Clause
"""bench/bench_report.py - what the reports of bench/overlay.sh and
bench/chain.sh share: the per-run values of RES/SYSTEM/METRIC as medians,
and a ratio's line."""
import os
import statistics


def load_results(res, systems, gen, metrics):
    """Each system's medians (with its generator and error) and samples, from RES."""
    out, runs = {}, {}
    for s in systems.split():
        d, r, samples = os.path.join(res, s), {}, {}
        for m in metrics:
            try:
                v = [float(x) for x in open(os.path.join(d, m)).read().split()]
            except OSError:
                continue
            if v:
                r[m] = round(statistics.median(v), 3)
                samples[m] = v
        if "mpps_64" in r:
            r["generator"] = gen
            if "offered_mpps_64" in r:
                # Offered no more than was forwarded (1 % for the frames in
                # flight): the generator, not the system, set the figure.
                r["generator_bound_64"] = r["offered_mpps_64"] <= r["mpps_64"] * 1.01
            elif "loop_bound_64" in r:
                # The loop: bound in most runs (bench/afxdp.sh's afx_loop_udp says when).
                r["generator_bound_64"] = r.pop("loop_bound_64") >= 0.5
        if os.path.exists(os.path.join(d, "error")):
            r["error"] = open(os.path.join(d, "error")).read().strip()
        out[s] = r
        runs[s] = samples
    return out, runs


def ratio_text(q):
    """A ratio's figures as "64B 0.50x (goal >= 0.5x: met), TCP 0.40x"."""
    t = []
    for m, label in (("mpps_64", "64B"), ("tcp_gbps", "TCP")):
        if m in q:
            g = ""
            if "goal_" + m in q:
                g = " (goal >= %.1fx: %s)" % (q["goal_" + m], "met" if q["goal_met_" + m] else "NOT met")
            t.append("%s %.2fx%s" % (label, q[m], g))
    return ", ".join(t)
