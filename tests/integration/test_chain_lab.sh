#!/bin/bash
# docs/examples/chain.yaml, and `lab up` again after the file changed its
# chain (docs/labfile.md): the chain warrend has is replaced by the one the
# file now names. A probe added to the hop, then its interval changed,
# each show in `chain show` after the next `up`; an `up` of an unchanged
# file keeps the chain (its counters go on). `lab down` leaves nothing.
. "$(dirname "$0")/lib.sh"
test_deadline 90
command -v nft >/dev/null || skip "nft (nftables) not installed: make deps"

lab=$TMP/chain.yaml
{ echo "prefix: $PFX"; sed '/^prefix:/d' "$EXAMPLES/chain.yaml"; } >"$lab"
cp "$EXAMPLES/chain-fw.nft" "$TMP/"
S=${PFX}chain
export WARREND
on_exit "rm -f '$WR_RUN/$S.log'"
lab_up "$lab" 7>&-	# (7: see lib.sh)
# hop KEY: hop 0's KEY in chain show ("-" when it has none).
hop() { swq "$S" "d['chains'][0]['hops'][0].get('$1', '-')" chain show; }
check "chain web: hop 0 without a probe" '[ "$(hop probe)" = - ]'

# The file changed: a probe on the hop (pinging the server from the client,
# ICMP: bridged, the chain takes TCP), then its interval.
probed() {
	sed -i "s/- {in: fw-in, out: fw-out, fail: closed.*}/- {in: fw-in, out: fw-out, fail: closed, probe: ping, target: 10.80.0.2, netns: ${PFX}client, interval_ms: $1, fails: 2}/" "$lab"
}
probe() { swq "$S" "' '.join(str(d['chains'][0]['hops'][0]['probe'][k]) for k in ('probe', 'interval_ms', 'timeout_ms', 'fails'))" chain show; }
probed 200
ok "lab up, the hop probed every 200 ms" "$WARREN" lab up "$lab" 7>&-
check "chain show: its probe, as the file says ($(probe))" '[ "$(probe)" = "ping 200 200 2" ]'
probed 300
ok "lab up, every 300 ms" "$WARREN" lab up "$lab" 7>&-
check "chain show: every 300 ms ($(probe))" '[ "$(probe)" = "ping 300 300 2" ]'
pk() { swq "$S" "d['chains'][0]['hops'][0]['probe']['$1']" chain show; }
check "the probe runs ($(pk sent) sent)" 'wait_until 5 "[ \"\$(pk sent)\" -ge 3 ]"'
check "and passes: none failed, the hop up ($(pk failed), $(hop state))" \
	'[ "$(pk failed)" = 0 ] && [ "$(hop state)" = up ]'

# Unchanged: kept, its counters go on. A SYN to the server (nothing listens: refused).
nsx "${PFX}client" timeout 2 bash -c 'exec 3<>/dev/tcp/10.80.0.2/5201' 2>/dev/null
fwd() { swq "$S" "d['chains'][0]['matched']['forward']" chain show; }
m=$(fwd)
check "the chain took the SYN (matched forward $m)" '[ "$m" -ge 1 ]'
ok "lab up, the file unchanged" "$WARREN" lab up "$lab" 7>&-
check "the chain kept: its counter went on ($m -> $(fwd))" '[ "$(fwd)" -ge "$m" ] && [ "$(fwd)" -ge 1 ]'

ok "lab down" "$WARREN" lab down "$lab"
nothing_left
