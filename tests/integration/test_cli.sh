#!/bin/bash
# The command line itself: exit statuses 0/1/2, a man page for every
# command, docs/warren.8.md in step with the tables, lab check's errors.
# Needs no root and touches nothing.
NEEDS_ROOT=0
. "$(dirname "$0")/lib.sh"

fails "no arguments: usage" 2 "$WARREN"
fails "unknown object: usage" 2 "$WARREN" bogus
fails "unknown command: usage" 2 "$WARREN" link frobnicate
fails "unknown global option: usage" 2 "$WARREN" --frobnicate netns list
fails "ambiguous prefix: usage" 2 "$WARREN" l show
fails "-n with a bad name: usage" 2 "$WARREN" -n "a/b" link show
fails "link add without a kind: usage" 2 "$WARREN" link add foo
fails "addr add with a bad CIDR: usage" 2 "$WARREN" addr add 192.0.2.300/24 dev lo
fails "lab check without FILE: usage" 2 "$WARREN" lab check
ok "--version" "$WARREN" --version
ok "--help" "$WARREN" --help
ok "unique prefixes work: warren ne li" "$WARREN" ne li

# Every command of every object has a man page.
for obj in netns link addr route sysctl lab port fdb vlan stats switch; do
	ok "warren $obj --help" "$WARREN" "$obj" --help
	cmds=$(last_out | sed -n 's/^    warren [a-z]* \([a-z]*\).*/\1/p' | sort -u)
	check "warren $obj has commands" '[ -n "$cmds" ]'
	for c in $cmds; do
		ok "warren $obj $c --help" "$WARREN" "$obj" "$c" --help
		check "  ... reads like a man page" \
			'last_out | grep -q "^NAME" && last_out | grep -q "^SYNOPSIS" && last_out | grep -q "^DESCRIPTION" && last_out | grep -q "^EXIT STATUS"'
	done
done

ok "help --markdown" "$WARREN" help --markdown
check "docs/warren.8.md is what 'warren help --markdown' prints (regenerate it)" \
	'diff -u "$TOP/docs/warren.8.md" "$TMP/out"'

ok "warrend --help" "$WARREND" --help
check "docs/warrend.8.md holds what 'warrend --help' prints (regenerate it)" \
	'sed -n "/^\`\`\`\$/,/^\`\`\`\$/p" "$TOP/docs/warrend.8.md" | sed "1d;\$d" | diff -u - "$TMP/out"'
fails "warrend with a bad option: usage" 2 "$WARREND" --frobnicate
fails "warrend with bad cores: usage" 2 "$WARREND" --cores 0,0
fails "warrend with a bad name: usage" 2 "$WARREND" --name a/b

# lab check: every error with its place, nothing touched.
cat >"$TMP/bad.yaml" <<'YAML'
namespaces:
  h1:
    interfaces:
      eth0:
        adresses: [192.0.2.1/24]
  h2: {}
links:
  - kind: veth
    endpoints: [h1:eth0, h3:eth0]
  - kind: veth
    endpoints: [h2:a-name-longer-than-15, h1:x]
YAML
fails "lab check of a bad file fails" 1 "$WARREN" lab check "$TMP/bad.yaml"
check "unknown key at 5:9" 'last_out | grep -q "bad.yaml:5:9: .*adresses"'
check "undeclared namespace at 9:" 'last_out | grep -q "bad.yaml:9:[0-9]*: .*h3"'
check "long name at 11:" 'last_out | grep -q "bad.yaml:11:[0-9]*: .*a-name-longer-than-15"'
fails "lab check -j of a bad file fails" 1 "$WARREN" -j lab check "$TMP/bad.yaml"
n=$(json 'd["valid"], len(d["errors"]), d["errors"][0]["line"], d["errors"][0]["column"]')
check "JSON: not valid, 3 errors, the first at 5:9" '[ "$n" = "False 3 5 9" ]'
for ex in "$EXAMPLES"/*.yaml; do
	ok "lab check $(basename "$ex")" "$WARREN" lab check "$ex"
done
fails "lab check of a missing file fails" 1 "$WARREN" lab check "$TMP/none.yaml"
check "and says why" 'last_out | grep -q "No such file"'
