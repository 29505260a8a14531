#!/bin/bash
# docs/examples/dpdk-lab.yaml: `lab up` starts warrend with the lab's EAL
# arguments and its DPDK ports (net_af_xdp on veths in sw, the far ends
# prepared; two memif servers); h1 pings h2; dpdk-testpmd sends into one
# memif port and counts what the switch delivers on the other; `lab down`
# stops warrend and leaves no namespace, socket or runtime file.
. "$(dirname "$0")/lib.sh"
test_deadline 90
[ "${WARREN_DPDK:-1}" = 1 ] || skip "this build has no DPDK (libdpdk-dev not found, or -Ddpdk=disabled)"
command -v dpdk-testpmd >/dev/null || skip "dpdk-testpmd is not installed (apt-get install dpdk)"

# The example's socket is /run/warren/dpdk-lab.memif; this run's is its own.
MS=$TMP/memif.sock
lab=$(lab_copy "$EXAMPLES/dpdk-lab.yaml")
sed -i "s|/run/warren/dpdk-lab.memif|$MS|" "$lab"
export WARREND
lab_up "$lab" 7>&-	# (7: see lib.sh)
ok "lab show -j" "$WARREN" -j lab show "$lab"
check "show: complete" '[ "$(json "d[\"complete\"]")" = True ]'
S=$(json '" ".join(i["name"] for i in d["items"] if i["type"] == "switch")')
on_exit "rm -f '$WR_RUN/$S.log'"
on_exit "sw_stop '$S'"	# should lab down not stop it
args=$(swq "$S" '" ".join(d["switch"]["dpdk"]["args"]) + " running=%s" % d["switch"]["dpdk"]["running"]' switch show)
check "warrend's EAL runs with the lab's arguments (got: $args)" \
	'[ "$args" = "--no-huge -m 512 --no-shconf --no-pci --no-telemetry -l 0 --file-prefix=warren-$S running=True" ]'
ports=$(swq "$S" '" ".join("%s/%s/%s/%s" % (p["name"], p["type"], p["driver"], p["link"]) for p in d["ports"])' port show)
check "four DPDK ports, up (got: $ports)" \
	'[ "$ports" = "h1/dpdk/net_af_xdp/up h2/dpdk/net_af_xdp/up tp0/dpdk/net_memif/down tp1/dpdk/net_memif/down" ]'
for h in h1 h2; do
	check "lab up turned $h:eth0's TX checksum offload off" \
		'nsx "$PFX$h" ethtool -k eth0 | grep -q "^tx-checksumming: off"'
done
ok "h1 pings h2 through net_af_xdp ports" pingr "${PFX}h1" 10.0.0.2
iperf_ok "${PFX}h2" 10.0.0.2 "${PFX}h1" 2 "h1 -> h2 through the lab's switch" 0.05
ok "switch show" sw "$S" switch show
check "it says the EAL runs, and with what" 'last_out | grep -q "dpdk: running, EAL --no-huge -m 512"' 
testpmd_memif "$S" "$MS" tp0 tp1 h1
ok "lab down" "$WARREN" lab down "$lab"
check "warrend stopped" '! sw_pid "$S" >/dev/null'
check "the memif socket went with it" '[ ! -e "$MS" ]'
check "no DPDK runtime files of the instance" '[ ! -e "/var/run/dpdk/warren-$S" ]'
nothing_left
