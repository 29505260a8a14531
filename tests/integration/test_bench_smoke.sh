#!/bin/bash
# `make demo`, `bench/run lab`, `bench/run afxdp`, `bench/run overlay`, `bench/run chain` and
# (with DPDK) `bench/run dpdk` keep working: each runs once, small, and must print its table,
# measure something and leave nothing behind. The 64-byte figures come from
# the generator the kernel allows (xdpgen --probe: live frames, or the
# loop); on a kernel with live frames the loop is run as well.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$(dirname "$WARREN")")

# bench_json ARGS...: `bench/run ARGS --json` must succeed; its JSON line
# (the last) is left where json() reads it. Its pid names what it makes
# (namespaces and DPDK runtime directories bl<pid>-*, ba<pid>-*, bo<pid>-*, bc<pid>-*), so that
# none_added looks at this run's only, whatever else runs beside it.
bench_json() {
	ok "bench/run $* --json" bash -c 'echo $$ >"$0"; exec "$@"' "$TMP/bench.pid" \
		"$TOP/bench/run" "$@" --json --build "$build"
	tail -n 1 "$TMP/out" >"$TMP/json"
	cp "$TMP/json" "$TMP/out"
}
none_added() {
	local pid
	pid=$(cat "$TMP/bench.pid")
	! { ip netns list; ls /var/run/dpdk 2>/dev/null; } | grep -qE "^b[laoc]$pid-"
}

ok "bench/demo, one round of 1 s" env DEMO_ROUNDS=1 DEMO_SECONDS=1 "$TOP/bench/demo" "$build"
check "demo: six pings without loss, through the bridge and through warrend" \
	'[ "$(last_out | grep -Ec "^h[1-3]-h[1-3] +0% [0-9.]+ ms +0% [0-9.]+ ms")" = 6 ]'
check "demo: iperf3 figures in Gbit/s for both" \
	'last_out | grep -Eq "^iperf3 +[0-9]+\.[0-9]+ Gbit/s +[0-9]+\.[0-9]+ Gbit/s"'
check "demo: warrend learned the three hosts" 'last_out | grep -q "FDB after the pings: 3 MACs"'
check "demo: TCP through the chain's firewall, port 5202 dropped there" \
	'last_out | grep -Eq "through the firewall: [0-9]+\.[0-9]+ Gbit/s" && last_out | grep -Eq "firewall dropped: [1-9]"'
check "demo: nothing left" 'last_out | grep -q "namespaces left with prefix demo[0-9]*-: 0"'

bench_json lab --hosts 3 --reps 1
got=$(json 'd["scenario"], d["hosts"], sorted(d["systems"]) == ["ip-script", "warren"], all(v["up_ms"] > 0 and v["down_ms"] > 0 for v in d["systems"].values())')
check "bench JSON: scenario, hosts, both systems, times measured" '[ "$got" = "lab 3 True True" ]'
check "bench: no namespace left" none_added

if "$build/bench/xdpgen" --probe >"$TMP/probe"; then gen=live; else gen=loop; fi
echo "     $(cat "$TMP/probe")"
bench_json afxdp --smoke
got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), all(r["mpps_64"] > 0 for r in d["systems"].values()), d["systems"]["warren-afxdp"]["tcp_gbps"] > 0, d["idle_cpu_pct"] < 2, d["generator"], sorted(set(r["generator"] for r in d["systems"].values())) == [d["generator"]]')
check "afxdp JSON: warren-afxdp and linux-bridge measured, idle under 2 %, every figure from xdpgen-$gen (got: $got)" \
	'[ "$got" = "afxdp linux-bridge,warren-afxdp True True True xdpgen-$gen True" ]'
check "afxdp bench: no namespace left" none_added

if [ $gen = live ]; then
	# The loop too, where the kernel would not force it: it must work on both.
	# (linux-bridge: its ports run no XDP program, the case the loop's
	# reflectors must not stall on.)
	bench_json afxdp --smoke --gen loop
	got=$(json 'd["generator"], sorted(set(r["generator"] for r in d["systems"].values())) == ["xdpgen-loop"], all(r["mpps_64"] > 0 and r["in_flight_64"] > 0 and "error" not in r for r in d["systems"].values())')
	check "afxdp --gen loop: warren-afxdp's and linux-bridge's 64-byte figures from the loop, frames in flight at the end (got: $got)" \
		'[ "$got" = "xdpgen-loop True True" ]'
	check "afxdp --gen loop: no namespace left" none_added
else
	fails "afxdp --gen live on a kernel that refuses live frames: an error, at once" 1 \
		"$TOP/bench/run" afxdp --smoke --gen live --build "$build"
	check "afxdp --gen live: says why" 'grep -q "live frames refused" "$TMP/out"'
fi

# Two warrend instances with a VXLAN tunnel between them, and the kernel's
# VXLAN + bridge on the same hosts.
bench_json overlay --smoke
got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), all(r["mpps_64"] > 0 and r["tcp_gbps"] > 0 and "error" not in r for r in d["systems"].values()), sorted(set(r["generator"] for r in d["systems"].values())) == [d["generator"]], d["generator"], "mpps_64" in d["ratios"]["warren-afxdp/kernel-vxlan"]')
check "overlay JSON: warren-afxdp and kernel-vxlan measured (64 B and TCP), no error, every figure from xdpgen-$gen, their ratio (got: $got)" \
	'[ "$got" = "overlay kernel-vxlan,warren-afxdp True True xdpgen-$gen True" ]'
check "overlay bench: no namespace left" none_added

# One warrend, directly and through a chain of two pass-through hops.
bench_json chain --smoke
got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), all(r["mpps_64"] > 0 and r["tcp_gbps"] > 0 and "error" not in r for r in d["systems"].values()), d["systems"]["chain-2"]["hop_into_min"] >= 1000, d["generator"], "mpps_64" in d["ratios"]["chain-2/direct"]')
check "chain JSON: direct and chain-2 measured (64 B and TCP), no error, both hops carried the frames, from xdpgen-$gen, their ratio (got: $got)" \
	'[ "$got" = "chain chain-2,direct True True xdpgen-$gen True" ]'
check "chain bench: no namespace left" none_added

if [ "${WARREN_DPDK:-1}" = 1 ] && command -v dpdk-testpmd >/dev/null; then
	# With the testpmd peers: each pair must give its ratio.
	bench_json dpdk --smoke
	got=$(json 'd["scenario"], ",".join(sorted(d["systems"])), all(r.get("mpps_64", 0) > 0 and "error" not in r for r in d["systems"].values()), d["systems"]["warren-dpdk-afxdp"]["tcp_gbps"] > 0, d["systems"]["warren-dpdk-afxdp"]["generator"], ",".join(sorted(k for k, q in d["ratios"].items() if "mpps_64" in q))')
	check "dpdk JSON: both warrend systems and both testpmd peers measured, no error, both ratios (got: $got)" \
		'[ "$got" = "dpdk testpmd-afxdp,testpmd-memif,warren-dpdk-afxdp,warren-dpdk-memif True True xdpgen-$gen warren-dpdk-afxdp/testpmd-afxdp,warren-dpdk-memif/testpmd-memif" ]'
	check "dpdk bench: no namespace, no DPDK runtime directory left" \
		none_added
else
	echo "     bench/run dpdk not run: this build has no DPDK, or dpdk-testpmd is missing"
fi
