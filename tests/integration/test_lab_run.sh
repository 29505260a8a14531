#!/bin/bash
# A namespace's `run` commands: run inside it, in the lab file's folder, in
# order, once (a second `up` runs nothing again); a daemon put in the
# background stays until `down`, which ends it with SIGTERM (it gets it:
# up's held signals are not passed on) and leaves no process behind; a command
# that fails stops `up`, which says which one and how, and undoes the lab.
. "$(dirname "$0")/lib.sh"
test_deadline 90

# gone PID: no such process, or one that only waits to be reaped (a zombie).
gone() { [ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }

mkdir -p "$TMP/lab"
cat >"$TMP/lab/fw.nft" <<'NFT'
table inet fw {
	counter blocked {}
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 5202 counter name blocked drop
	}
}
NFT
cat >"$TMP/lab/run.yaml" <<YAML
prefix: ${PFX}
namespaces:
  a:
    interfaces:
      eth0: {addresses: [192.0.2.1/24]}
  b:
    interfaces:
      eth0: {addresses: [192.0.2.2/24]}
    run:
      - nft -f fw.nft
      - echo "\$WARREN_NETNS \$(ip -o link show eth0 | cut -d' ' -f2)" >> ran.txt
      - |
        sleep 300 &
        echo \$! > daemon.pid
links:
  - {kind: veth, endpoints: [a:eth0, b:eth0]}
YAML
on_exit "'$WARREN' lab down '$TMP/lab/run.yaml'"
ok "lab up with run commands" "$WARREN" lab up "$TMP/lab/run.yaml"
check "they ran in b, in the lab file's folder (got: $(cat "$TMP/lab/ran.txt" 2>/dev/null))" \
	'[ "$(cut -d" " -f1 "$TMP/lab/ran.txt")" = "${PFX}b" ] && grep -q " eth0@" "$TMP/lab/ran.txt"'
check "the ruleset is b's, not the root's" \
	'ip netns exec ${PFX}b nft list counter inet fw blocked >/dev/null && ! nft list table inet fw >/dev/null 2>&1'
pid=$(cat "$TMP/lab/daemon.pid")
check "the daemon runs in b (pid $pid)" '[ "$(ip netns identify "$pid")" = "${PFX}b" ]'
blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$pid/status")
check "it blocks no signal: up's held SIGTERM is not passed on, down's reaches it (SigBlk $blk)" \
	'[ "$blk" = 0000000000000000 ]'
nsx "${PFX}a" timeout 3 bash -c 'echo > /dev/tcp/192.0.2.2/5202' 2>/dev/null
got=$(ip netns exec "${PFX}b" nft -j list counter inet fw blocked | $PY -c 'import json,sys; print([o["counter"]["packets"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])')
check "b's firewall counted a's connection to 5202 (got $got)" '[ "$got" -ge 1 ]'
ok "a second up" "$WARREN" lab up "$TMP/lab/run.yaml"
check "ran nothing again" '[ "$(wc -l < "$TMP/lab/ran.txt")" = 1 ]'
ok "lab down" "$WARREN" lab down "$TMP/lab/run.yaml"
check "the daemon is gone" 'gone "$pid"'
nothing_left

# A command that fails: up stops there, names it, undoes the lab, and ends
# what an earlier command left running.
cat >"$TMP/lab/bad.yaml" <<YAML
prefix: ${PFX}
namespaces:
  c:
    run:
      - 'sleep 300 & echo \$! > bad.pid'
      - echo boom >&2; exit 3
      - touch never.txt
links: []
YAML
fails "lab up with a failing command fails" 1 "$WARREN" lab up "$TMP/lab/bad.yaml"
check "the message names the command, its place, its status and its output" \
	'last_out | grep -q "bad.yaml:6:9: namespace c: run .echo boom >&2; exit 3.: exit status 3: boom"'
check "the command after it did not run" '[ ! -e "$TMP/lab/never.txt" ]'
check "what the first one started is gone" 'gone "$(cat "$TMP/lab/bad.pid")"'
nothing_left
