#!/bin/bash
# `make demo` and `bench/run lab` keep working: each runs once, small, and
# must print its table, measure something and leave nothing behind.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$(dirname "$WARREN")")

ok "bench/demo" "$TOP/bench/demo" "$build"
check "demo: six pings without loss" '[ "$(last_out | grep -c "^ping .* 0% ")" = 6 ]'
check "demo: an iperf3 figure in Gbit/s" 'last_out | grep -Eq "^iperf3 .* [0-9]+\.[0-9]+ Gbit/s"'
check "demo: nothing left" 'last_out | grep -q "namespaces left with prefix demo[0-9]*-: 0"'

ok "bench/run lab --hosts 3 --reps 1 --json" "$TOP/bench/run" lab --hosts 3 --reps 1 --json --build "$build"
tail -n 1 "$TMP/out" >"$TMP/json"
cp "$TMP/json" "$TMP/out"
got=$(json 'd["scenario"], d["hosts"], sorted(d["systems"]) == ["ip-script", "warren"], all(v["up_ms"] > 0 and v["down_ms"] > 0 for v in d["systems"].values())')
check "bench JSON: scenario, hosts, both systems, times measured" '[ "$got" = "lab 3 True True" ]'
check "bench: no namespace left" '! ip netns list | grep -q "^bl[0-9]*-"'
