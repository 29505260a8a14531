#!/bin/bash
# A service chain's health probe (docs/chains.md, Health probes), in the
# kernel fast path's mode of this run:
#
#   h1 --- p1 --+-- warrend, bd 1 --+-- p2 --- h2
#               f1i            f1o                 (hop ports, a domain each)
#                |              |
#               eth0 --[br0]-- eth1     ns f1: the hop, a bridge
#                       mg0 10.63.9.2   its management address
#                        |
#                       m0 10.63.9.1    ns mon: where warrend's probe is sent from
#
# The hop's probe pings 10.63.9.2 from mon every 200 ms (timeout 100 ms,
# 3 failures down, 2 successes up). Under a ping flood from h1 to h2
# through the chain, the management address is removed: the hop goes down
# within 200 × 3 + 100 ms (+ a margin of MARGIN ms for the polling here),
# chain show says why (probe, no answer) and when; with fail open the flood
# is bypassed past it and keeps its answers, with fail closed it is dropped
# and counted. The address back: up within 200 × 2 + 100 ms (+ MARGIN), the
# hop's counters move again. A probe from a namespace that is gone fails
# with that cause.
. "$(dirname "$0")/lib.sh"
test_deadline 150

S=${PFX}s
SW=${PFX}sw
F1=${PFX}f1
MON=${PFX}mon
MARGIN=400
mkns "$SW" "$F1" "$MON"
hosts "$SW" 2 10.63.0

ok "hop f1: eth0, eth1 bridged" bash -c "
	ip -n '$SW' link add f1i type veth peer name eth0 netns '$F1' &&
	ip -n '$SW' link add f1o type veth peer name eth1 netns '$F1' &&
	ip -n '$F1' link add br0 type bridge &&
	ip -n '$F1' link set eth0 master br0 && ip -n '$F1' link set eth1 master br0 &&
	for d in br0 eth0 eth1; do ip -n '$F1' link set \$d up || exit 1; done &&
	ip -n '$SW' link set f1i up && ip -n '$SW' link set f1o up"
ok "f1's management link to mon" bash -c "
	ip -n '$MON' link add m0 type veth peer name mg0 netns '$F1' &&
	ip -n '$MON' addr add 10.63.9.1/24 dev m0 && ip -n '$F1' addr add 10.63.9.2/24 dev mg0 &&
	ip -n '$MON' link set m0 up && ip -n '$F1' link set mg0 up"
ok "mon pings f1's management address" pingr "$MON" 10.63.9.2

sw_start "$S"
ok "port add p1" sw "$S" port add p1 netns "$SW" dev h1
ok "port add p2" sw "$S" port add p2 netns "$SW" dev h2
ok "port add f1i (bd 101)" sw "$S" port add f1i netns "$SW" dev f1i bd 101
ok "port add f1o (bd 102)" sw "$S" port add f1o netns "$SW" dev f1o bd 102
for i in 1 2; do ep_prep "${PFX}h$i"; done

PROBE="probe=ping,target=10.63.9.2,netns=$MON,interval-ms=200,timeout-ms=100,fails=3,passes=2"
DOWN_MS=$((200 * 3 + 100 + MARGIN))
UP_MS=$((200 * 2 + 100 + MARGIN))
# hk KEY [SUB]: hop 0's KEY (KEY's SUB) in chain show.
hk() { swq "$S" "d['chains'][0]['hops'][0]['$1']${2:+['$2']}" chain show; }
state() { hk state; }

# until_state STATE: ms until hop 0 is in STATE (5 s at most), or fails.
until_state() {
	local t0 end
	t0=$(ms)
	end=$((t0 + 5000))
	while [ "$(state)" != "$1" ]; do
		[ "$(ms)" -ge $end ] && return 1
		sleep 0.02
	done
	echo $(($(ms) - t0))
}

# flood SECONDS: h1 floods h2 through the chain in the background, its summary in $TMP/flood.
flood() {
	nsx "${PFX}h1" ping -f -q -w "$1" 10.63.0.2 >"$TMP/flood" 2>&1 &
	fpid=$!
	on_exit "kill $fpid 2>/dev/null"
}
sent() { sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMP/flood"; }
got() { sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/flood"; }

for mode in open closed; do
	ok "chain add web, hop 0 probed (fail $mode)" sw "$S" chain add web bd 1 \
		src 10.63.0.1/32 dst 10.63.0.2/32 hop "in=f1i,out=f1o,fail=$mode,$PROBE"
	check "the probe passes (sent $(hk probe sent))" \
		'wait_until 3 "[ \"\$(hk probe passes_in_row)\" -ge 2 ]"'
	ok "h1 pings h2 through the hop" pingr "${PFX}h1" 10.63.0.2
	into0=$(hk forward into)
	check "hop 0 up, its frames went into it ($into0)" '[ "$(state)" = up ] && [ "$into0" -ge 1 ]'

	flood 5
	sleep 0.5
	now_s=$(date +%s)
	d0=$(drop "$S" chain_hop_down)
	ok "f1's management address removed" ip -n "$F1" addr del 10.63.9.2/24 dev mg0
	took=$(until_state down)
	check "hop 0 down in ${took:-(never)} ms, at most $DOWN_MS" \
		'[ -n "$took" ] && [ "$took" -le "$DOWN_MS" ]'
	check "chain show: down for its probe ($(hk why))" \
		'[ "$(hk why)" = "['"'"'probe'"'"']" ]'
	check "chain show: the probe's error ($(hk probe error))" \
		'hk probe error | grep -q "no answer within 100 ms"'
	check "chain show: since is the change's ($(hk since), the address went at $now_s)" \
		'[ "$(hk since)" -ge "$now_s" ]'
	into1=$(hk forward into)
	sleep 0.5
	if [ $mode = open ]; then
		check "the flood goes past hop 0 (bypassed $(hk forward bypassed))" \
			'[ "$(hk forward bypassed)" -ge 10 ]'
	else
		check "the flood is dropped at hop 0 ($(hk forward dropped))" \
			'[ "$(hk forward dropped)" -ge 10 ]'
		check "and counted chain_hop_down ($d0 -> $(drop "$S" chain_hop_down))" \
			'[ $(($(drop "$S" chain_hop_down) - d0)) -ge 10 ]'
	fi
	check "nothing went into hop 0 meanwhile" '[ "$(hk forward into)" -le $((into1 + 1)) ]'

	ok "the address back" ip -n "$F1" addr add 10.63.9.2/24 dev mg0
	took=$(until_state up)
	check "hop 0 up in ${took:-(never)} ms, at most $UP_MS" '[ -n "$took" ] && [ "$took" -le "$UP_MS" ]'
	check "chain show: nothing holds it down" '[ "$(hk why)" = "[]" ]'
	into2=$(hk forward into)
	sleep 0.5
	check "the flood goes into hop 0 again ($into2 -> $(hk forward into))" \
		'[ "$(hk forward into)" -ge $((into2 + 10)) ]'
	wait "$fpid"
	if [ $mode = open ]; then
		check "fail open: the flood kept its answers ($(got) of $(sent))" \
			'[ -n "$(sent)" ] && [ $(($(got) * 100)) -ge $(($(sent) * 95)) ]'
	else
		check "fail closed: the flood lost its answers while hop 0 was down ($(got) of $(sent))" \
			'[ -n "$(sent)" ] && [ "$(got)" -lt "$(sent)" ]'
	fi
	ok "chain del web" sw "$S" chain del web
done

# A probe from a namespace that is not there fails, and says so.
ok "chain add web, its probe from a namespace that is gone" sw "$S" chain add web bd 1 \
	proto 1 dst 10.63.0.2/32 hop "in=f1i,out=f1o,probe=ping,target=10.63.9.2,netns=${PFX}gone,interval-ms=100,fails=1"
check "hop 0 down" 'wait_until 3 "[ \"\$(state)\" = down ]"'
check "chain show: namespace gone ($(hk probe error))" \
	'hk probe error | grep -q "namespace ${PFX}gone: gone"'
ok "chain show (text)" sw "$S" chain show
check "chain show says why, and the probe" \
	"last_out | grep -q '      down: probe' && last_out | grep -q 'probe ping 10.63.9.2 from ${PFX}gone'"
ok "chain del web" sw "$S" chain del web
check "warrend's log: the hop's probe failing, then passing" \
	'grep -q "chain web: hop 0: probe failed 3 times in a row" "$TMP/$S.log" &&
	 grep -q "chain web: hop 0: probe passes again" "$TMP/$S.log"'
ok "warrend stops on SIGTERM" sw_stop "$S"
