# SPDX-License-Identifier: BSD-3-Clause
# lib.sh - sourced by every integration test.
#
# - Needs root; without it the test says why and skips (exit 77).
# - Every name a test makes starts with $PFX (wr<pid>-), unique per run, so
#   parallel runs never collide; root-namespace devices stay under 15 bytes.
# - What a test makes is undone by `on_exit` commands, run newest first on
#   every way out: success, failure, timeout (SIGTERM) or ^C.
# - Everything sent stays between namespaces the test made; every command
#   that waits on the network is bounded by `timeout`.

set -u
WARREN=${WARREN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/control/warren}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXAMPLES=$TOP/docs/examples
PFX="wr$$-"
TMP=$(mktemp -d /tmp/warren-test.XXXXXX)
_cleanups=()
_failed=0
_checks=0

skip() { echo "SKIP: $*"; exit 77; }
[ "${NEEDS_ROOT:-1}" = 0 ] || [ "$(id -u)" = 0 ] || skip "needs root (namespaces and devices)"
[ -x "$WARREN" ] || { echo "FAIL: $WARREN not built"; exit 1; }

on_exit() { _cleanups+=("$*"); }

_run_cleanups() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1
	done
	_cleanups=()
	rm -rf "$TMP"
}

_finish() {
	local rc=$?
	_run_cleanups
	if [ "$_failed" -ne 0 ]; then
		echo "FAIL: $_failed of $_checks checks failed"
		exit 1
	fi
	[ $rc -ne 0 ] && { echo "FAIL: exit status $rc"; exit $rc; }
	echo "PASS: $_checks checks"
	exit 0
}
trap _finish EXIT
trap 'echo "interrupted"; _failed=$((_failed + 1)); exit 130' INT TERM

# ok DESCRIPTION COMMAND...: the command must succeed.
ok() {
	local what=$1; shift
	_checks=$((_checks + 1))
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok   $what"
	else
		echo "FAIL $what: '$*' exited $?"; sed 's/^/     /' "$TMP/out" | head -20
		_failed=$((_failed + 1))
	fi
}

# fails DESCRIPTION STATUS COMMAND...: the command must exit with STATUS.
fails() {
	local what=$1 want=$2 rc; shift 2
	_checks=$((_checks + 1))
	"$@" >"$TMP/out" 2>&1; rc=$?
	if [ $rc -eq "$want" ]; then
		echo "ok   $what"
	else
		echo "FAIL $what: '$*' exited $rc, wanted $want"; sed 's/^/     /' "$TMP/out" | head -20
		_failed=$((_failed + 1))
	fi
}

# check DESCRIPTION CONDITION...: a test expression (or command) must hold.
check() {
	local what=$1; shift
	_checks=$((_checks + 1))
	if eval "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what: $*"
		_failed=$((_failed + 1))
	fi
}

# Output of the last ok/fails command.
last_out() { cat "$TMP/out"; }

# json EXPR: a Python expression over the JSON of the last output (as d);
# a tuple prints as its items separated by spaces.
json() {
	python3 -c "import json; d = json.load(open('$TMP/out')); r = ($1)
print(' '.join(map(str, r)) if isinstance(r, tuple) else r)"
}

# lab_copy EXAMPLE [PREFIX]: the example with a unique prefix, in $TMP; prints its path.
lab_copy() {
	local src=$1 pfx=${2:-$PFX} dst
	dst="$TMP/$(basename "$src" .yaml)-$pfx.yaml"
	{ echo "prefix: $pfx"; cat "$src"; } >"$dst"
	echo "$dst"
}

# lab_up FILE: warren lab up, with lab down registered first.
lab_up() {
	on_exit "'$WARREN' lab down '$1'"
	ok "lab up $(basename "$1")" "$WARREN" lab up "$1"
}

# nsx NS CMD...: run CMD in namespace NS, bounded in time.
nsx() { local ns=$1; shift; timeout 20 ip netns exec "$ns" "$@"; }

# pings FROM_NS ADDR: one bounded ping.
pings() { nsx "$1" ping -c 1 -W 2 "$2"; }

# leftovers: names with our prefix still present (namespaces, root devices, mounts).
leftovers() {
	{ ip netns list | awk '{print $1}'; ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1;
	  awk '{print $2}' /proc/mounts; } | grep -F -- "$PFX" || true
}

nothing_left() { check "nothing left with prefix $PFX" '[ -z "$(leftovers)" ]'; }
