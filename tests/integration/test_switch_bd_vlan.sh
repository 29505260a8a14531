#!/bin/bash
# Bridge domains and VLANs on warrend: two bridge domains never meet; an
# access port (VLAN 10) and a trunk (10,20) exchange frames untagged on one
# side, tagged on the other; a VLAN the port does not allow is dropped and
# counted.
. "$(dirname "$0")/lib.sh"
test_deadline 90

S=${PFX}s
SW=${PFX}sw
mkns "$SW"
for h in a1 a2 b1 b2 acc acc20 tr; do mkns "${PFX}$h"; done
host_link "$SW" a1 "${PFX}a1" 10.51.0.1/24
host_link "$SW" a2 "${PFX}a2" 10.51.0.2/24
host_link "$SW" b1 "${PFX}b1" 10.51.0.3/24
host_link "$SW" b2 "${PFX}b2" 10.51.0.4/24
host_link "$SW" acc "${PFX}acc" 10.51.10.1/24 02:00:0a:33:00:01
ip -n "${PFX}acc" addr add 10.51.20.9/24 dev eth0	# answers for VLAN 20, should a frame of it leak
host_link "$SW" acc20 "${PFX}acc20" 10.51.20.1/24 02:00:0a:33:00:02
host_link "$SW" tr "${PFX}tr" "" 02:00:0a:33:00:03
# The trunk host's own VLAN devices, if this kernel has them (8021q).
have_vlan=1
for v in 10 20; do
	ip -n "${PFX}tr" link add link eth0 name eth0.$v type vlan id $v 2>/dev/null || { have_vlan=0; break; }
	ip -n "${PFX}tr" addr add 10.51.$v.2/24 dev eth0.$v
	ip -n "${PFX}tr" link set eth0.$v up
done
for h in a1 a2 b1 b2 acc acc20 tr; do ep_prep "${PFX}$h"; done
acc=02:00:0a:33:00:01 acc20=02:00:0a:33:00:02 tr=02:00:0a:33:00:03

sw_start "$S"
ok "port add a1 bd 1" sw "$S" port add a1 netns "$SW" bd 1
ok "port add a2 bd 1" sw "$S" port add a2 netns "$SW" bd 1
ok "port add b1 bd 2" sw "$S" port add b1 netns "$SW" bd 2
ok "port add b2 bd 2" sw "$S" port add b2 netns "$SW" bd 2
ok "port add acc access 10" sw "$S" port add acc netns "$SW" access 10
ok "port add acc20 access 20" sw "$S" port add acc20 netns "$SW" access 20
ok "port add tr trunk 10,20" sw "$S" port add tr netns "$SW" trunk 10,20
ok "port show -j" sw "$S" -j port show
conf=$(json '" ".join("%s:%s:%d:%d:%s" % (p["name"], p["vlan_mode"], p["bd"], p["access_vlan"], p["allowed"]) for p in d["ports"] if p["name"] in ("acc", "tr"))')
check "acc is access 10, tr is trunk 10,20 (got: $conf)" \
	'[[ "$conf" =~ ^acc:access:[0-9]+:10:\[\]\ tr:trunk:[0-9]+:0:\[10,\ 20\]$ ]]'

# Two bridge domains, one subnet: within a domain pings pass, across they fail.
ok "a1 pings a2 (bd 1)" pingr "${PFX}a1" 10.51.0.2
ok "b1 pings b2 (bd 2)" pingr "${PFX}b1" 10.51.0.4
fails "a1 cannot reach b1 (bd 2)" 1 noping "${PFX}a1" 10.51.0.3
fails "b2 cannot reach a2 (bd 1)" 1 noping "${PFX}b2" 10.51.0.2
ok "fdb show bd 2 -j" sw "$S" -j fdb show bd 2
ports=$(json '" ".join(sorted(set(e["port"] for e in d["entries"])))')
check "bd 2 holds only b1's and b2's MACs (ports: $ports)" '[ "$ports" = "b1 b2" ]'

# VLANs through the kernel's own tagging: the trunk host's eth0.10 and eth0.20.
if [ $have_vlan = 1 ]; then
	ok "acc (access 10) pings tr's eth0.10" pingr "${PFX}acc" 10.51.10.2
	ok "tr's eth0.10 pings acc" pingr "${PFX}tr" 10.51.10.1
	ok "acc20 (access 20) pings tr's eth0.20" pingr "${PFX}acc20" 10.51.20.2
	fails "tr's eth0.20 cannot reach acc (VLAN 10)" 1 noping "${PFX}tr" 10.51.20.9
else
	echo "     (this kernel has no VLAN devices (8021q): pings over the trunk skipped, scapy's frames below test it)"
fi
fails "acc20 cannot reach acc (VLAN 10) through VLAN 20" 1 noping "${PFX}acc20" 10.51.20.9

# Tagged frames from scapy on the trunk arrive untagged at the access host;
# untagged frames from the access host arrive tagged on the trunk.
M=wr$$vlan
cap_start acc "${PFX}acc" eth0 "$M"
cap_start acc20 "${PFX}acc20" eth0 "$M"
cap_start tr "${PFX}tr" eth0 "$M"
nva0=$(drop "$S" vlan_not_allowed)
kd0=$(kdrops)
ok "tr sends frames tagged 10, 20, 30 and untagged" frames_send "${PFX}tr" eth0 <<EOF
frames = [Ether(src="$tr", dst="$acc") / Dot1Q(vlan=10) / Raw(b"$M-t10-%d" % i) for i in range(3)]
frames += [Ether(src="$tr", dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=20, type=0x88b5) / Raw(b"$M-t20-%d" % i) for i in range(3)]
frames += [Ether(src="$tr", dst="$acc") / Dot1Q(vlan=30) / Raw(b"$M-t30-%d" % i) for i in range(4)]
frames += [Ether(src="$tr", dst="$acc", type=0x88b5) / Raw(b"$M-untagged-%d" % i) for i in range(2)]
EOF
ok "acc sends untagged frames to tr, and frames tagged 20" frames_send "${PFX}acc" eth0 <<EOF
frames = [Ether(src="$acc", dst="$tr", type=0x88b5) / Raw(b"$M-u-%d" % i) for i in range(3)]
frames += [Ether(src="$acc", dst="$tr") / Dot1Q(vlan=20) / Raw(b"$M-a20-%d" % i) for i in range(2)]
EOF
wait_until 5 '[ "$(cap_count acc)" -ge 3 ] && [ "$(cap_count acc20)" -ge 3 ] && [ "$(cap_count tr)" -ge 3 ]'
sleep 0.3
for c in acc acc20 tr; do cap_stop $c; done
check_n "acc got the 3 frames tagged 10, untagged" 3 "$(cap_count acc 'f["vlan"] is None and f["src"] == "'$tr'"')" "$kd0"
n=$(cap_count acc 'not (f["vlan"] is None and f["m"].startswith("-t10-"))')
check "acc got nothing else: not VLAN 20 or 30, not the untagged ones (got $n)" '[ "$n" = 0 ]'
check_n "acc20 got the 3 broadcasts tagged 20, untagged" 3 "$(cap_count acc20 'f["vlan"] is None and f["dst"] == "ff:ff:ff:ff:ff:ff"')" "$kd0"
n=$(cap_count acc20 'not (f["vlan"] is None and f["dst"] == "ff:ff:ff:ff:ff:ff")')
check "acc20 got nothing else (got $n)" '[ "$n" = 0 ]'
check_n "tr got acc's 3 untagged frames tagged 10" 3 "$(cap_count tr 'f["vlan"] == 10 and f["src"] == "'$acc'"')" "$kd0"
n=$(cap_count tr 'not (f["vlan"] == 10 and f["src"] == "'$acc'")')
check "tr got nothing else: not the frames acc tagged 20 (got $n)" '[ "$n" = 0 ]'
nva1=$(drop "$S" vlan_not_allowed)
check "drops.vlan_not_allowed counted VLAN 30 (4), untagged on the trunk without native (2) and tagged 20 on access 10 (2): $nva0 -> $nva1" \
	'[ $((nva1 - nva0)) = 8 ]'
ok "stats (text) shows the reason" sw "$S" stats
check "stats names vlan_not_allowed" 'last_out | grep -q vlan_not_allowed'

# A native VLAN: untagged frames on the trunk belong to it, and leave it untagged.
ok "port set tr native 10" sw "$S" port set tr native 10
cap_start acc "${PFX}acc" eth0 "$M-n"
cap_start tr "${PFX}tr" eth0 "$M-n"
ok "tr sends untagged, acc answers" frames_send "${PFX}tr" eth0 <<EOF
frames = [Ether(src="$tr", dst="$acc", type=0x88b5) / Raw(b"$M-n-%d" % i) for i in range(2)]
EOF
ok "acc answers" frames_send "${PFX}acc" eth0 <<EOF
frames = [Ether(src="$acc", dst="$tr", type=0x88b5) / Raw(b"$M-n-back-%d" % i) for i in range(2)]
EOF
wait_until 5 '[ "$(cap_count acc)" -ge 2 ] && [ "$(cap_count tr)" -ge 2 ]'
sleep 0.2
cap_stop acc; cap_stop tr
check_n "acc got tr's untagged frames through native VLAN 10" 2 "$(cap_count acc 'f["vlan"] is None')" "$kd0"
check_n "tr got acc's frames untagged, as VLAN 10 is native" 2 "$(cap_count tr 'f["vlan"] is None')" "$kd0"
n=$(cap_count tr 'f["vlan"] is not None')
check "tr got none of them tagged (got $n)" '[ "$n" = 0 ]'

# The VLAN to bridge domain map.
ok "vlan set 30 bd 2" sw "$S" vlan set 30 bd 2
ok "vlan show -j" sw "$S" -j vlan show
check "vlan show has 30 -> bd 2" '[ "$(json "[(v[\"vlan\"], v[\"bd\"]) for v in d[\"vlans\"]]")" = "[(30, 2)]" ]'
ok "vlan del 30" sw "$S" vlan del 30
ok "vlan show -j" sw "$S" -j vlan show
check "vlan show is empty again" '[ "$(json "len(d[\"vlans\"])")" = 0 ]'
fails "the CLI refuses access 4095" 2 sw "$S" port add x1 netns "$SW" dev b2 access 4095
fails "the CLI refuses bd 0" 2 sw "$S" port add x1 netns "$SW" dev b2 bd 0
fails "the API refuses access_vlan 4095" 1 wr_api "$S" port.add '{"name": "x1", "netns": "'"$SW"'", "dev": "b2", "vlan_mode": "access", "access_vlan": 4095}'
check "... with EINVAL" '[ "$(json "d[\"error\"][\"code\"]")" = EINVAL ]'
fails "the API refuses bd 0" 1 wr_api "$S" port.add '{"name": "x1", "netns": "'"$SW"'", "dev": "b2", "bd": 0}'
check "... with EINVAL" '[ "$(json "d[\"error\"][\"code\"]")" = EINVAL ]'
fails "the API refuses a trunk without allowed VLANs" 1 wr_api "$S" port.add '{"name": "x1", "netns": "'"$SW"'", "dev": "b2", "vlan_mode": "trunk"}'
ok "health" wr_api "$S" health
check "health: ok, 7 ports" '[ "$(json "d[\"result\"][\"status\"], d[\"result\"][\"ports\"]")" = "ok 7" ]'
