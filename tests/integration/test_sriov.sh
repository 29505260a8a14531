#!/bin/bash
# warren vf on a fake sysfs tree whose VF netdevs are veth stand-ins: the VF
# count up, changed (through 0), down, beyond sriov_totalvfs and while a VF
# is lent; a VF lent to a namespace (renamed, addressed, pinged through)
# and taken back exactly as it was; its namespace deleted while it held
# the VF, both ways a netdev can end: given back to the root namespace by
# the kernel (a real VF, played here by the test) or gone with it (a
# virtual stand-in). This machine has no SR-IOV: the kernel's side of
# sriov_numvfs (the virtfnN links it makes) is played by the test.
#
#   root ns:  PF (veth stand-in)   VF0, VF1 (veths) ---- eth0, eth1 in PEER
#   VF0 lent: NS: net1 10.77.0.1/24 ---- PEER: eth0 10.77.0.2/24
. "$(dirname "$0")/lib.sh"

test_deadline 150
SYS=$TMP/sys
export WARREN_SYSFS=$SYS WARREN_RUN_DIR=$TMP/run
PF=${PFX}pf VF0=${PFX}v0 VF1=${PFX}v1
NS=${PFX}ns NS2=${PFX}ns2 PEER=${PFX}peer
PF_PCI=0000:03:00.0
NUMVFS=$SYS/$BUS/$PF_PCI/sriov_numvfs
W() { timeout 20 "$WARREN" "$@"; }

# A netdev as `ip` shows it, for before/after: everything but the counters.
snap() { ip -d -o link show dev "$1" 2>&1; ip -o addr show dev "$1" 2>&1; }

on_exit "ip link del $PF"
on_exit "ip link del $VF0"
on_exit "ip link del $VF1"
ip link add "$PF" type veth peer name "${PFX}pp"
mkns "$PEER" "$NS"
ip link add "$VF0" type veth peer name eth0 netns "$PEER"
ip link add "$VF1" type veth peer name eth1 netns "$PEER"
ip -n "$PEER" addr add 10.77.0.2/24 dev eth0
ip -n "$PEER" link set eth0 up
fx_pf "$PF" "$PF_PCI" 4

# ---------------------------------------------------------------- numvfs
ok "numvfs 0 -> 2" W vf set "$PF" numvfs 2
check "sriov_numvfs says 2" '[ "$(cat $NUMVFS)" = 2 ]'
if command -v strace >/dev/null; then
	# LeakSanitizer cannot run under ptrace: a sanitized warren runs without it here.
	nolsan="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	ok "numvfs 2 -> 3 (under strace)" $nolsan strace -f -e trace=write -e signal=none -o "$TMP/st" \
		"$WARREN" vf set "$PF" numvfs 3
	writes=$(grep -o 'write([0-9]*, "[0-9]*\\n"' "$TMP/st" | sed 's/.*"\([0-9]*\)\\n"/\1/' | tr '\n' ' ')
	check "0 written first, then 3 (wrote: $writes)" '[ "$writes" = "0 3 " ]'
	ok "numvfs 3 again (under strace)" $nolsan strace -f -e trace=write -e signal=none -o "$TMP/st" \
		"$WARREN" vf set "$PF" numvfs 3
	check "the same count writes nothing" '! grep -q "write([0-9]*, \"[0-9]*\\\\n\"" "$TMP/st"'
else
	echo "     note: no strace; the order of the writes is checked by test_sriov (unit) only"
	ok "numvfs 2 -> 3" W vf set "$PF" numvfs 3
fi
check "sriov_numvfs says 3" '[ "$(cat $NUMVFS)" = 3 ]'
fails "numvfs 5 of 4 is refused" 1 W vf set "$PF" numvfs 5
check "and says why" 'last_out | grep -q "more than the 4 VFs the device offers (sriov_totalvfs)"'
check "sriov_numvfs still 3" '[ "$(cat $NUMVFS)" = 3 ]'
ok "numvfs 3 -> 0" W vf set "$PF" numvfs 0
check "sriov_numvfs says 0" '[ "$(cat $NUMVFS)" = 0 ]'
fails "a netdev without SR-IOV" 1 W vf set "${PFX}pp" numvfs 1
fails "numvfs needs a number" 2 W vf set "$PF" numvfs many

# Two VFs, their netdevs the veths (the kernel would make them now).
ok "numvfs 0 -> 2 again" W vf set "$PF" numvfs 2
fx_vf 0 0000:03:02.0 "$VF0"
fx_vf 1 0000:03:02.1 "$VF1"

# ------------------------------------------------------------------ show
ok "vf show -j" W -j vf show
got=$(json '" ".join("%s/%s/%s" % (p["ifname"], p["num_vfs"], p["total_vfs"]) for p in d)')
check "one PF, 2 of 4 VFs (got $got)" '[ "$got" = "$PF/2/4" ]'
got=$(json '" ".join("%s=%s,%s" % (v["vf"], v["pci"], v["netdev"]) for v in d[0]["vfs"])')
check "both VFs with PCI address and netdev" '[ "$got" = "0=0000:03:02.0,$VF0 1=0000:03:02.1,$VF1" ]'
got=$(json 'd[0]["settings"], d[0]["vfs"][0]["mac"], "IFLA_VFINFO_LIST" in d[0]["settings_missing"]')
check "a stand-in reports no settings, and show says so (got $got)" '[ "$got" = "False None True" ]'
ok "vf show PF (text)" W vf show "$PF"
check "text says the settings are not shown" 'last_out | grep -q "VF settings not shown: PF $PF reports no VF settings"'
fails "vf show of a netdev without SR-IOV" 1 W vf show "${PFX}pp"

# A stand-in's driver has no VF settings: the kernel refuses, warren says so.
fails "vf set mac on a stand-in" 1 W vf set "$PF" vf 0 mac 02:00:00:00:00:07
check "with the kernel's refusal" 'last_out | grep -q "Operation not supported"'
fails "vf set max_rate alone (min read first) is refused too" 1 W vf set "$PF" vf 0 max_rate 100
check "with the kernel's refusal, not another answer" 'last_out | grep -q "Operation not supported"'
fails "min_rate above max_rate" 2 W vf set "$PF" vf 0 min_rate 200 max_rate 100
fails "qos without vlan" 2 W vf set "$PF" vf 0 qos 3

# ------------------------------------------------------------ attach/release
before0=$(snap "$VF0")
ok "attach vf 0 to $NS as net1 with an address" \
	W vf attach "$PF" vf 0 netns "$NS" name net1 addr 10.77.0.1/24
check "state saved" '[ -s "$TMP/run/vf/$PF_PCI-vf0.json" ]'
check "its original name is in it" 'grep -q "\"ifname\":\"$VF0\"" "$TMP/run/vf/$PF_PCI-vf0.json"'
check "net1 in $NS, up, addressed" 'ip -n $NS -o addr show dev net1 | grep -q "10.77.0.1/24"'
check "no $VF0 in the root namespace" '! ip link show dev $VF0 >/dev/null 2>&1'
ok "ping through the VF to its peer" pingr "$NS" 10.77.0.2
ok "vf show -j while lent" W -j vf show "$PF"
got=$(json '" ".join("%s:%s:%s" % (v["netns"], v["name"], v["ifname"]) for v in d[0]["vfs"])')
check "show names the namespace and the names (got $got)" '[ "$got" = "$NS:net1:$VF0 None:None:None" ]'
fails "attach it again" 1 W vf attach "$PF" vf 0 netns "$NS"
check "says it is lent" 'last_out | grep -q "lent already, to netns $NS as net1"'
fails "numvfs while a VF is lent" 1 W vf set "$PF" numvfs 3
check "names the VF and its user" 'last_out | grep -q "vf 0 $VF0: lent to netns $NS as net1"'
check "sriov_numvfs untouched" '[ "$(cat $NUMVFS)" = 2 ]'
fails "numvfs 0 while a VF is lent" 1 W vf set "$PF" numvfs 0

# The workload changes its netdev; release puts it all back.
ip -n "$NS" link set net1 mtu 1400 address 02:00:00:77:00:01
ok "release vf 0" W vf release "$PF" vf 0
check "$VF0 back in the root namespace" 'ip link show dev $VF0 >/dev/null'
check "no net1 left in $NS" '! ip -n $NS link show dev net1 >/dev/null 2>&1'
check "state forgotten" '[ ! -e "$TMP/run/vf/$PF_PCI-vf0.json" ]'
after0=$(snap "$VF0")
check "$VF0 exactly as before (name, MAC, MTU, flags, no address)" '[ "$before0" = "$after0" ]'
[ "$before0" = "$after0" ] || diff <(echo "$before0") <(echo "$after0") | sed 's/^/     /'
fails "release it again" 1 W vf release "$PF" vf 0
check "says it is not lent" 'last_out | grep -q "not lent by Warren"'

# A failed attach leaves nothing behind: no such namespace.
fails "attach to a namespace that does not exist" 1 W vf attach "$PF" vf 0 netns "${PFX}none"
check "no state left" '[ -z "$(ls "$TMP/run/vf" 2>/dev/null)" ]'

# ------------------------------------------ the namespace dies, the netdev returns
before1=$(snap "$VF1")
mkns "$NS2"
ok "attach vf 1 to $NS2 as net2" W vf attach "$PF" vf 1 netns "$NS2" name net2 addr 10.78.0.1/24
# What the kernel does to a real VF's netdev when its namespace dies
# (default_device_exit_net): back to the root namespace, as devIFINDEX when
# its name is taken there, and sysfs follows. A veth dies instead: the test
# plays the kernel's part, the name taken case.
idx=$(ip -n "$NS2" -o link show dev net2 | cut -d: -f1)
on_exit "ip link del dev$idx"
ip -n "$NS2" link set net2 netns 1 name "dev$idx"
fx_rename 0000:03:02.1 "$VF1" "dev$idx"
ip netns del "$NS2"
ok "release vf 1 after its namespace died" W vf release "$PF" vf 1
check "says it came back as dev$idx" 'last_out | grep -q "namespace is gone; its netdev came back as dev$idx"'
fx_rename 0000:03:02.1 "dev$idx" "$VF1"
after1=$(snap "$VF1")
check "$VF1 exactly as before" '[ "$before1" = "$after1" ]'
[ "$before1" = "$after1" ] || diff <(echo "$before1") <(echo "$after1") | sed 's/^/     /'
check "state forgotten" '[ ! -e "$TMP/run/vf/$PF_PCI-vf1.json" ]'

# ------------------------------------------ the namespace dies, the stand-in with it
mkns "$NS2"
ok "attach vf 1 to $NS2 again" W vf attach "$PF" vf 1 netns "$NS2" name net2
ip netns del "$NS2"
check "the veth died with its namespace" '! ip link show dev $VF1 >/dev/null 2>&1'
ok "release vf 1 (the whole PF)" W vf release "$PF"
check "says the netdev is gone" 'last_out | grep -q "its netdev with it (a virtual stand-in); its state is forgotten"'
check "no state left" '[ -z "$(ls "$TMP/run/vf" 2>/dev/null)" ]'
ok "numvfs 0 once nothing is lent" W vf set "$PF" numvfs 0

# Everything the test made, gone.
ip link del "$PF"
ip link del "$VF0"
ip netns del "$NS"
ip netns del "$PEER"
nothing_left
