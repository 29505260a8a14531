# SPDX-License-Identifier: BSD-3-Clause
# bench/steer.sh - `bench/run steer`, sourced by bench/run (which sets top,
# build, json, reps, seconds, core; see its header).
#
# The cost of steering rules in the dataplane alone (bench/l2ring.c), on
# the same three ring ports, one pinned core, 64-byte frames to 1000
# destination MACs that the FDB knows on port 1:
#
#   warren-bridge      plain bridging (l2ring case steer-bridge)
#   warren-steer-1000  the same with 1000 steering rules, one per
#                      destination MAC, sending every frame to port 2 over
#                      the FDB's choice (case steer-1000)
#
# The two alternate run by run (R runs of S seconds each, medians), so that
# the machine's noise falls on both; then one callgrind run of each counts
# instructions per frame (the whole worker pass), which noise does not
# move. The goal (issue 16): the rules cost at most 10 % of the plain rate.

steer_cg() {	# CASE: instructions per frame of one callgrind run of 1,000,000 frames
	local n=1000000
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "$build/bench/l2ring" \
		--case "$1" --frames $n >/dev/null 2>&1 || return 1
	callgrind_annotate --inclusive=yes "$tmp/cg.$1" 2>/dev/null |
		awk -v n=$n '/worker.c:wr_worker_poll \[/ { gsub(",", "", $1); printf "%.0f", $1 / n; exit }'
}

bench_steer() {
	local exe=$build/bench/l2ring r c line b s bm sm bi si cost icost
	[ -x "$exe" ] || { echo "bench/run steer: build first (ninja -C build bench/l2ring)" >&2; exit 1; }
	command -v valgrind >/dev/null || { echo "bench/run steer: needs valgrind" >&2; exit 1; }
	tmp=$(mktemp -d /tmp/warren-steer.XXXXXX)
	trap 'rm -rf "$tmp"' EXIT
	for r in $(seq "$reps"); do
		for c in steer-bridge steer-1000; do
			line=$(taskset -c "$core" "$exe" --case $c --reps 1 --seconds "$seconds" --json) ||
				exit 1
			python3 -c 'import json, sys; print(json.loads(sys.argv[1])["cases"][sys.argv[2]]["mpps"])' \
				"$line" $c >>"$tmp/$c"
		done
	done
	bm=$(median <"$tmp/steer-bridge")
	sm=$(median <"$tmp/steer-1000")
	bi=$(steer_cg steer-bridge) && si=$(steer_cg steer-1000) || exit 1
	cost=$(echo "(1 - $sm / $bm) * 100" | bc -l)
	icost=$(echo "($si / $bi - 1) * 100" | bc -l)
	printf 'steer: core %s, 64-byte frames to 1000 MACs, median of %d runs of %s s each\n' \
		"$core" "$reps" "$seconds"
	printf '%-20s %8s %12s\n' SYSTEM Mpps instr/pkt
	printf '%-20s %8.2f %12s\n' warren-bridge "$bm" "$bi" warren-steer-1000 "$sm" "$si"
	printf 'cost of 1000 rules: %.1f %% of the rate, %.1f %% more instructions (goal: <= 10 %%)\n' \
		"$cost" "$icost"
	[ $json = 1 ] && printf '{"scenario":"steer","reps":%d,"seconds":%s,"systems":{"warren-bridge":{"mpps_64":%s,"instr_per_pkt":%s},"warren-steer-1000":{"mpps_64":%s,"instr_per_pkt":%s}},"cost_pct":%.1f,"instr_cost_pct":%.1f,"goal_pct":10}\n' \
		"$reps" "$seconds" "$bm" "$bi" "$sm" "$si" "$cost" "$icost"
	return 0
}
