#!/bin/bash
# A lab file's vfs: on a fake sysfs tree whose VF netdevs are veth
# stand-ins (as test_sriov.sh): two VFs lent to two lab namespaces (one by
# index, one as `any`), pinged through; a second `up` changes nothing;
# `down` releases them and one the file does not name, each exactly as it
# was. `any` skips a VF lent elsewhere; a failure half way undoes what was
# lent; `lab check` on a PF this host does not have is a note, an index
# past sriov_numvfs an error. This machine has no SR-IOV.
#
#   root ns:  PF (veth stand-in)   VF0 ==== VF1 (one veth pair)   VF2 ---- eth2 in PEER
#   lab:      h1: net1 = VF0 10.79.0.1/24  ====  h2: net1 = VF1 10.79.0.2/24
. "$(dirname "$0")/lib.sh"

test_deadline 150
SYS=$TMP/sys
export WARREN_SYSFS=$SYS WARREN_RUN_DIR=$TMP/run
PF=${PFX}pf VF0=${PFX}v0 VF1=${PFX}v1 VF2=${PFX}v2 PEER=${PFX}peer
H1=${PFX}h1 H2=${PFX}h2
PF_PCI=0000:03:00.0
W() { timeout 20 "$WARREN" "$@"; }

snap() { ip -d -o link show dev "$1" 2>&1; ip -o addr show dev "$1" 2>&1; }
snaps() { snap "$VF0"; snap "$VF1"; snap "$VF2"; }
# Where each VF is lent, from vf show -j: "NETNS:NAME" or "None:None" per VF.
lent() {
	W -j vf show "$PF" >"$TMP/show" 2>&1
	$PY -c 'import json,sys; print(" ".join("%s:%s" % (v["netns"], v["name"]) for v in json.load(open(sys.argv[1]))[0]["vfs"]))' "$TMP/show"
}

on_exit "ip link del $PF"
on_exit "ip link del $VF0"
on_exit "ip link del $VF2"
ip link add "$PF" type veth peer name "${PFX}pp"
mkns "$PEER"
ip link add "$VF0" type veth peer name "$VF1"
ip link add "$VF2" type veth peer name eth2 netns "$PEER"
fx_pf "$PF" "$PF_PCI" 4
echo 3 >"$SYS/$BUS/$PF_PCI/sriov_numvfs"	# the kernel's part
fx_vf 0 0000:03:02.0 "$VF0"
fx_vf 1 0000:03:02.1 "$VF1"
fx_vf 2 0000:03:02.2 "$VF2"

LAB=$TMP/lab.yaml
cat >"$LAB" <<EOF
prefix: $PFX
namespaces:
  h1:
    routes:
      - {to: 10.81.0.0/24, dev: net1}
  h2:
vfs:
  - pf: $PF
    vf: any
    netns: h2
    name: net1
    addresses: [10.79.0.2/24]
  - pf: $PF
    vf: 0
    netns: h1
    name: net1
    addresses: [10.79.0.1/24]
EOF

# ------------------------------------------------------ up, use, down
before=$(snaps)
ok "lab check" W lab check "$LAB"
check "counts the VFs" 'last_out | grep -q "2 VFs"'
lab_up "$LAB"
check "h1 has net1 10.79.0.1/24" 'ip -n $H1 -o addr show dev net1 | grep -q "10.79.0.1/24"'
check "h2 has net1 10.79.0.2/24" 'ip -n $H2 -o addr show dev net1 | grep -q "10.79.0.2/24"'
got=$(lent)
check "vf 0 to h1, any took vf 1 (vf 0 is the lab's), vf 2 free (got $got)" \
	'[ "$got" = "$H1:net1 $H2:net1 None:None" ]'
ok "ping h1 -> h2 through the VFs" pingr "$H1" 10.79.0.2
check "the route through the VF is there" 'ip -n $H1 route show 10.81.0.0/24 | grep -q "dev net1"'
ok "lab show" W lab show "$LAB"
check "shows both VFs present" \
	'[ "$(last_out | grep -c "^vf .*present")" = 2 ] && last_out | grep -q "(PF $PF vf any: 1)"'
ok "lab up again" W lab up "$LAB"
got=$(lent)
check "changes nothing (got $got)" '[ "$got" = "$H1:net1 $H2:net1 None:None" ]'
# A VF lent to a lab namespace that the file does not name: down takes it too.
ok "vf attach vf 2 to h1 by hand" W vf attach "$PF" vf 2 netns "$H1" name extra
ok "lab down" W lab down "$LAB"
check "namespaces gone" '! ip netns list | grep -q -- "$H1\|$H2"'
check "no state left" '[ -z "$(ls "$TMP/run/vf" 2>/dev/null)" ]'
after=$(snaps)
check "every VF exactly as before (name, MAC, up state, addresses)" '[ "$before" = "$after" ]'
[ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after") | sed 's/^/     /'

# --------------------------------------------- any skips a VF lent elsewhere
LAB2=$TMP/lab2.yaml
cat >"$LAB2" <<EOF
prefix: $PFX
namespaces: {h1: , h2: }
vfs:
  - {pf: $PF, vf: any, netns: h1, name: a}
  - {pf: $PF, vf: any, netns: h2, name: b}
EOF
ok "vf 0 lent to another namespace" W vf attach "$PF" vf 0 netns "$PEER" name other
ok "lab up of two 'any'" W lab up "$LAB2"
got=$(lent)
check "they took vf 1 and vf 2 (got $got)" '[ "$got" = "$PEER:other $H1:a $H2:b" ]'
ok "lab down" W lab down "$LAB2"
got=$(lent)
check "vf 0 stays lent: not the lab's (got $got)" '[ "$got" = "$PEER:other None:None None:None" ]'

# --------------------------------------------- a failure half way is undone
fails "lab up: vf 0 is lent, after any took vf 1" 1 W lab up "$LAB"
check "says vf 0 is lent" 'last_out | grep -q "lent already, to netns $PEER"'
got=$(lent)
check "vf 1 given back (got $got)" '[ "$got" = "$PEER:other None:None None:None" ]'
check "no lab namespace left" '! ip netns list | grep -q -- "$H1\|$H2"'
ok "release vf 0" W vf release "$PF" vf 0
after=$(snaps)
check "every VF exactly as before" '[ "$before" = "$after" ]'
[ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after") | sed 's/^/     /'

# ------------------------------------------------------- lab check on this host
LAB3=$TMP/lab3.yaml
cat >"$LAB3" <<EOF
prefix: $PFX
namespaces: {h1: }
vfs:
  - {pf: ${PFX}nopf, vf: 0, netns: h1, name: a}
  - {pf: $PF, vf: 5, netns: h1, name: b}
EOF
col=$((9 + ${#PF} + 2 + 4 + 1))	# of the 5 in "  - {pf: $PF, vf: 5"
fails "lab check: vf 5 of 3" 1 W lab check "$LAB3"
check "an error at its line:column" \
	'last_out | grep -qF "lab3.yaml:5:$col: vf: 5 is out of range: PF '"'$PF'"' has 3 VFs (sriov_numvfs), 0 to 2"'
check "a missing PF is a note at its line:column" \
	'last_out | grep -qF "lab3.yaml:4:10: note: pf: PF ${PFX}nopf: No such device"'
sed -i '$d' "$LAB3"
ok "lab check: only a missing PF" W lab check "$LAB3"
check "is a note, not an error" 'last_out | grep -q "note: pf: PF ${PFX}nopf" && last_out | grep -q "1 notes about this host"'
fails "lab up refuses it" 1 W lab up "$LAB3"
check "says why" 'last_out | grep -q "this host cannot lend its VFs"'
check "and made nothing" '! ip netns list | grep -q -- "$H1"'

ip link del "$PF"
ip link del "$VF0"
ip link del "$VF2"
ip netns del "$PEER"
nothing_left
