#!/bin/bash
# `make demo`, `bench/run lab`, `bench/run afxdp` and (with DPDK) `bench/run
# dpdk` keep working: each runs once, small, and must print its table,
# measure something and leave nothing behind.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$(dirname "$WARREN")")

# bench_json ARGS...: `bench/run ARGS --json` must succeed; its JSON line
# (the last) is left where json() reads it.
bench_json() {
	ok "bench/run $* --json" "$TOP/bench/run" "$@" --json --build "$build"
	tail -n 1 "$TMP/out" >"$TMP/json"
	cp "$TMP/json" "$TMP/out"
}

ok "bench/demo" "$TOP/bench/demo" "$build"
check "demo: six pings without loss, through the bridge and through warrend" \
	'[ "$(last_out | grep -Ec "^h[1-3]-h[1-3] +0% [0-9.]+ ms +0% [0-9.]+ ms")" = 6 ]'
check "demo: iperf3 figures in Gbit/s for both" \
	'last_out | grep -Eq "^iperf3 +[0-9]+\.[0-9]+ Gbit/s +[0-9]+\.[0-9]+ Gbit/s"'
check "demo: warrend learned the three hosts" 'last_out | grep -q "FDB after the pings: 3 MACs"'
check "demo: nothing left" 'last_out | grep -q "namespaces left with prefix demo[0-9]*-: 0"'

bench_json lab --hosts 3 --reps 1
got=$(json 'd["scenario"], d["hosts"], sorted(d["systems"]) == ["ip-script", "warren"], all(v["up_ms"] > 0 and v["down_ms"] > 0 for v in d["systems"].values())')
check "bench JSON: scenario, hosts, both systems, times measured" '[ "$got" = "lab 3 True True" ]'
check "bench: no namespace left" '! ip netns list | grep -q "^bl[0-9]*-"'

bench_json afxdp --smoke
got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), d["systems"]["warren-afxdp"]["mpps_64"] > 0, d["systems"]["warren-afxdp"]["tcp_gbps"] > 0, d["idle_cpu_pct"] < 2')
check "afxdp JSON: warren-afxdp and linux-bridge measured, idle under 2 %" \
	'[ "$got" = "afxdp linux-bridge,warren-afxdp True True True" ]'
check "afxdp bench: no namespace left" '! ip netns list | grep -q "^ba[0-9]*-"'

if [ "${WARREN_DPDK:-1}" = 1 ] && command -v dpdk-testpmd >/dev/null; then
	bench_json dpdk --smoke
	got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), all(r.get("mpps_64", 0) > 0 and "error" not in r for r in d["systems"].values()), d["systems"]["warren-dpdk-afxdp"]["tcp_gbps"] > 0')
	check "dpdk JSON: warren-dpdk-afxdp and warren-dpdk-memif measured, no error (got: $got)" \
		'[ "$got" = "dpdk warren-dpdk-afxdp,warren-dpdk-memif True True" ]'
	check "dpdk bench: no namespace, no DPDK runtime directory left" \
		'! ip netns list | grep -q "^ba[0-9]*-" && ! ls /var/run/dpdk 2>/dev/null | grep -q "^ba[0-9]*-"'
else
	echo "     bench/run dpdk not run: this build has no DPDK, or dpdk-testpmd is missing"
fi
