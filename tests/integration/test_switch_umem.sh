#!/bin/bash
# An afxdp port with a UMEM of its own (umem own) beside one on the shared
# UMEM: port show says copy, why, and whose UMEM (in the tc fast path,
# where the ports are served through TAPs, that they have none); ping and
# iperf3 pass
# between them both ways, every frame warrend forwards between the two
# copied and counted; zerocopy on, on a veth, is refused naming the device,
# its driver and the kernel's answer; the own-UMEM port deleted and added
# again (its UMEM freed and made anew) still passes traffic.
. "$(dirname "$0")/lib.sh"
test_deadline 90

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
hosts "$SW" 3 10.57.0
sw_start "$S"
ok "port add p1 umem own" sw "$S" port add p1 netns "$SW" dev h1 umem own
ok "port add p2 (shared UMEM)" sw "$S" port add p2 netns "$SW" dev h2
ok "port add p3 (shared UMEM)" sw "$S" port add p3 netns "$SW" dev h3

# In the tc fast path an afxdp port is served through a TAP: no UMEM at all.
umem() { swq "$S" '"%s|%s|%s" % (d["ports"][0]["mode"], d["ports"][0]["umem"], d["ports"][0]["mode_why"])' port show "$1"; }
if [ "$FASTPATH" = tc ]; then
	check "p1 (tc): a TAP, no UMEM ($(umem p1))" '[ "$(umem p1)" = "tap|None|None" ]'
else
	check "p1: copy, its own UMEM, and why ($(umem p1))" \
		'[ "$(umem p1)" = "copy|own|copy: the driver (veth) has no AF_XDP zero-copy" ]'
	check "p2: copy on the shared UMEM ($(umem p2))" \
		'[ "$(umem p2)" = "copy|shared|copy: the driver (veth) has no AF_XDP zero-copy" ]'
	ok "port show p1 (text)" sw "$S" port show p1
	check "port show p1 prints the reason and the UMEM" \
		'last_out | grep -qx "    copy: the driver (veth) has no AF_XDP zero-copy; umem own"'
fi

ok "h1 (own UMEM) pings h2 (shared)" pingr "${PFX}h1" 10.57.0.2
ok "h2 pings h1" pingr "${PFX}h2" 10.57.0.1
ok "100 pings h1 -> h2, 0.01 s apart" nsx "${PFX}h1" ping -q -c 100 -i 0.01 -W 2 10.57.0.2
loss=$(last_out | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
check "no more than 5 % lost (${loss:-?} %)" '[ -n "$loss" ] && awk "BEGIN { exit !($loss <= 5) }"'
iperf_ok "${PFX}h2" 10.57.0.2 "${PFX}h1" 2 "h1 (own UMEM) -> h2 (shared)"
iperf_ok "${PFX}h1" 10.57.0.1 "${PFX}h2" 2 "h2 (shared) -> h1 (own UMEM)"

# What warrend forwarded between the two UMEMs it copied: every frame
# received on either port and sent on the other (the kernel fast path,
# when on, forwards the rest without warrend).
rx1=$(pstat "$S" p1 rx_pkts); c1=$(pstat "$S" p1 copies)
rx2=$(pstat "$S" p2 rx_pkts); c2=$(pstat "$S" p2 copies)
echo "     p1: rx $rx1, copies $c1; p2: rx $rx2, copies $c2"
check "frames warrend forwarded from p1 to p2 were copied (copies $c1 > 0)" '[ "$c1" -gt 0 ]'
check "and from p2 to p1 (copies $c2 > 0)" '[ "$c2" -gt 0 ]'
if [ "$FASTPATH" = off ]; then
	# A frame flooded to p2 and p3 is copied once for each (p1's UMEM is
	# neither's); a frame of p2 to p3 would not be, but there is none yet.
	d1=$(pstat "$S" p1 drops); d2=$(pstat "$S" p2 drops)
	check "fast path off: every frame of p1 copied or dropped ($c1 + $d1 >= $rx1)" \
		'[ $((c1 + d1)) -ge "$rx1" ]'
	check "and every frame of p2 ($c2 + $d2 >= $rx2)" '[ $((c2 + d2)) -ge "$rx2" ]'
fi
# Frames within the shared UMEM move without a copy: h3 and h2 talk, p3
# counts none (its only copies would be frames it floods to p1).
c3=$(pstat "$S" p3 copies)
ok "h3 pings h2, 20 times" nsx "${PFX}h3" ping -q -c 20 -i 0.01 -W 2 10.57.0.2
check "p3's frames to p2 were not copied (copies $c3 -> $(pstat "$S" p3 copies), flooded ARP at most)" \
	'[ $(($(pstat "$S" p3 copies) - c3)) -le 2 ]'

if [ "$FASTPATH" != tc ]; then
	ip -n "$SW" link add ${PFX}z type veth peer name ${PFX}zp
	ip -n "$SW" link set ${PFX}z up
	ip -n "$SW" link set ${PFX}zp up
	fails "zerocopy on, on a veth, is refused" 1 sw "$S" port add z netns "$SW" dev ${PFX}z zerocopy on
	check "the message names device, driver and the kernel's answer" \
		'last_out | grep -q "port z: zero-copy asked for (zerocopy on), but $SW:${PFX}z (driver veth) refused it: Operation not supported"'
	ip -n "$SW" link del ${PFX}z
fi

# The own UMEM goes with its port and a new one comes with the next.
ok "port del p1" sw "$S" port del p1
# The kernel frees a closed socket's device queue a moment later.
check "port add p1 umem own again succeeds within 5 s" \
	'wait_until 5 "sw \"$S\" port add p1 netns \"$SW\" dev h1 umem own"'

ok "h1 pings h2 again" pingr "${PFX}h1" 10.57.0.2
ok "health" wr_api "$S" health
check "health: ok, 3 ports" '[ "$(json "d[\"result\"][\"status\"], d[\"result\"][\"ports\"]")" = "ok 3" ]'
