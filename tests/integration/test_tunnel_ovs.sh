#!/bin/bash
# Interop with a VTEP that is not Warren: warrend on one host, Open vSwitch's
# userspace datapath on the other (Geneve, VNI 5010). This kernel has no
# Geneve device and no openvswitch module; OVS's netdev datapath builds and
# strips the tunnel headers itself ("native tunneling").
#
#   a1 -- warrend A -- ua:eth0 192.0.2.1 ~~~ uo:eth0 -- br-phy (192.0.2.2)
#                                                         (OVS, netdev)
#                                           o1 -- br-int -- gnv0 (geneve, key 5010)
#
# OVS runs privately in the namespace uo: its own database, sockets, pid
# and log files in $TMP/ovs, stopped on every way out. Pings across both
# ways, what each side learned, no tunnel drop on warrend's side; then OVS
# adds a Geneve option to what o1 sends: a critical one warrend does not
# know is dropped and counted (geneve_critical), a non-critical one passes,
# and warrend counts both by class and type; then warrend adds an option
# of its own, which OVS takes. tshark decodes both sides' frames on the wire.
. "$(dirname "$0")/lib.sh"
test_deadline 120
for t in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovs-appctl tshark; do
	command -v $t >/dev/null || skip "$t not installed"
done

A=${PFX}a UA=${PFX}ua UO=${PFX}uo
OVS=$TMP/ovs
mkns "$UA" "$UO" "${PFX}a1" "${PFX}o1"
ip -n "$UA" link add eth0 mtu 1600 type veth peer name eth0 netns "$UO" mtu 1600
ip -n "$UA" addr add 192.0.2.1/24 dev eth0
ip -n "$UA" link set eth0 up && ip -n "$UO" link set eth0 up
host_link "$UA" a1 "${PFX}a1" 10.64.0.1/24 02:00:0a:40:00:01
host_link "$UO" o1 "${PFX}o1" 10.64.0.2/24 02:00:0a:40:00:02

# ------------------------------------------------------------ Open vSwitch
# ovs_env CMD...: CMD with every OVS directory in $OVS, never the system's.
ovs_env() { env OVS_RUNDIR="$OVS" OVS_DBDIR="$OVS" OVS_LOGDIR="$OVS" OVS_SYSCONFDIR="$OVS" "$@"; }
ovs_vsctl() { timeout 20 ovs-vsctl --db="unix:$OVS/db.sock" --timeout=10 "$@"; }
ovs_appctl() { timeout 20 ovs-appctl -t "$OVS/ovs-vswitchd.ctl" "$@"; }
ovs_ofctl() { local br=$1 cmd=$2; shift 2; timeout 20 ovs-ofctl "$cmd" "unix:$OVS/$br.mgmt" "$@"; }
# ovs_daemon NAME ARGS...: NAME detached in namespace uo, with its pid file,
# control socket and log in $OVS, nothing to syslog or the console.
ovs_daemon() {
	local d=$1; shift
	ovs_env timeout 20 ip netns exec "$UO" "$d" "$@" --pidfile="$OVS/$d.pid" \
		--unixctl="$OVS/$d.ctl" --log-file="$OVS/$d.log" -vsyslog:off -vconsole:off \
		--detach --no-chdir 7>&-
}
# ovs_stop: both daemons, by their pid files (if the pid is still theirs),
# SIGTERM then, after 5 s, SIGKILL.
ovs_stop() {
	local d pid
	for d in ovs-vswitchd ovsdb-server; do
		pid=$(cat "$OVS/$d.pid" 2>/dev/null) || continue
		[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$d" ] || continue
		kill -TERM "$pid"
		wait_until 5 '[ ! -d /proc/$pid ]' || kill -KILL "$pid"
	done
}
ovs_log() {
	[ "$_failed" -ne 0 ] && [ -s "$OVS/ovs-vswitchd.log" ] || return 0
	echo "---- last lines of ovs-vswitchd's log:" >&7
	tail -n 25 "$OVS/ovs-vswitchd.log" | sed 's/^/     /' >&7
}
_wr_fd7
mkdir -p "$OVS"
on_exit ovs_log
on_exit ovs_stop
ok "OVS database created" ovsdb-tool create "$OVS/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ok "ovsdb-server starts" ovs_daemon ovsdb-server "$OVS/conf.db" --remote="punix:$OVS/db.sock"
ok "OVS database initialised" ovs_vsctl --no-wait init
ok "ovs-vswitchd starts" ovs_daemon ovs-vswitchd "unix:$OVS/db.sock"
# The underlay: eth0 a port of br-phy, the local VTEP address on br-phy's
# own (tap) interface, where OVS's tunnel routing finds it.
# br-phy's MAC fixed: by default OVS gives a bridge its ports' lowest MAC,
# changed as ports come, which would leave warrend's ARP answer stale.
BR_PHY_MAC=02:00:c0:00:02:02
ok "br-phy (netdev, MAC $BR_PHY_MAC) with eth0" ovs_vsctl add-br br-phy \
	-- set bridge br-phy datapath_type=netdev other-config:hwaddr=$BR_PHY_MAC -- add-port br-phy eth0
# OVS reads its "system" ports with a packet socket, which leaves uo's
# kernel a copy of each frame: it would answer ARP for 192.0.2.2 on eth0
# too, with eth0's MAC, which OVS's bridge does not take for its own.
# Only br-phy answers (then the Geneve frames are to br-phy's MAC, and the
# kernel's copies of them on eth0, to another host, are dropped).
ok "uo's kernel answers no ARP on eth0" nsx "$UO" sysctl -qw net.ipv4.conf.eth0.arp_ignore=1
ok "192.0.2.2 on br-phy" eval 'ip -n "$UO" addr add 192.0.2.2/24 dev br-phy && ip -n "$UO" link set br-phy up'
ok "br-int (netdev) with o1 and gnv0 (geneve to 192.0.2.1, key 5010)" \
	ovs_vsctl add-br br-int -- set bridge br-int datapath_type=netdev -- add-port br-int o1 \
	-- add-port br-int gnv0 -- set interface gnv0 type=geneve options:remote_ip=192.0.2.1 options:key=5010
ok "OVS routes 192.0.2.0/24 through br-phy (from uo's routes)" \
	wait_until 5 'ovs_appctl ovs/route/show | grep -q "192.0.2.0/24 dev br-phy"'
GNV_PORT=$(ovs_vsctl get interface gnv0 ofport)

# ----------------------------------------------------------------- warrend
tun_warrend "$A" "$UA" gn0 geneve OVS
wait_until 5 '[ "$(swq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"resolved\"]" tunnel show)" = True ]'
got=$(swq "$A" 'd["tunnels"][0]["vteps"][0]["nexthop"]["mac"]' tunnel show)
check "warrend's next hop to 192.0.2.2 is br-phy, by ARP answered through OVS (got: $got)" \
	'[ "$got" = "$BR_PHY_MAC" ]'

# tdrops: warrend's tunnel drop counters (tun_*, geneve_*), "name=N ...";
# moved BEFORE AFTER: those that changed, "name+N ...".
tdrops() { swq "$A" '" ".join("%s=%s" % kv for kv in sorted(d["drops"].items()) if kv[0].startswith(("tun_", "geneve_")))' stats; }
moved() {
	$PY -c 'import sys
a, b = (dict(x.split("=") for x in s.split()) for s in sys.argv[1:3])
print(" ".join("%s+%d" % (k, int(b[k]) - int(a.get(k, 0))) for k in sorted(b) if b[k] != a.get(k)))' "$1" "$2"
}

# One capture on the wire for the whole test: uo's end of the underlay
# (ua's end is no use: its XDP program hands warrend the tunnel's frames
# before any capture socket sees them, and AF_XDP's sends skip the taps).
timeout 90 ip netns exec "$UO" tshark -i eth0 -f "udp port 6081" -w "$TMP/gnv.pcapng" \
	>"$TMP/tshark.out" 2>&1 7>&- &
TSHARK=$!
on_exit "kill $TSHARK 2>/dev/null"
check "tshark captures on uo:eth0" 'wait_until 10 "grep -q \"Capturing on\" \"\$TMP/tshark.out\""'

# 1. Plain Geneve, both ways.
d0=$(tdrops)
ok "a1 pings o1 through warrend and OVS's Geneve" pingr "${PFX}a1" 10.64.0.2
ok "o1 pings a1" pingr "${PFX}o1" 10.64.0.1
ok "1400-byte pings a1 → o1, DF" nsx "${PFX}a1" ping -c 3 -i 0.2 -W 2 -s 1400 -M do 10.64.0.2
got=$(swq "$A" '[(e["port"], e.get("remote")) for e in d["entries"] if e["mac"] == "02:00:0a:40:00:02"]' fdb show)
check "warrend learned o1 behind OVS's VTEP (got: $got)" "[ \"\$got\" = \"[('gn0', '192.0.2.2')]\" ]"
got=$(ovs_appctl fdb/show br-int | awk '$3 == "02:00:0a:40:00:01" { print $1 }')
check "OVS learned a1 on gnv0 (port ${got:-none}, gnv0 is $GNV_PORT)" '[ "$got" = "$GNV_PORT" ]'
got=$(ovs_appctl tnl/neigh/show | awk '$1 == "192.0.2.1" { print $2, $3 }')
want="$(ip -n "$UA" -j link show eth0 | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])') br-phy"
check "OVS resolved 192.0.2.1 to ua:eth0 by ARP (got: $got)" '[ "$got" = "$want" ]'
got=$(moved "$d0" "$(tdrops)")
check "no tunnel drop on warrend's side (moved: ${got:-none})" '[ -z "$got" ]'

# 2. OVS adds a critical option (type 0x80) to what o1 sends: warrend does
# not know it, so it drops each such frame and counts it.
opt_on() {
	ovs_ofctl br-int del-flows "in_port=o1" && ovs_ofctl br-int del-tlv-map &&
	ovs_ofctl br-int add-tlv-map "{class=0x0102,type=$1,len=4}->tun_metadata0" &&
	ovs_ofctl br-int add-flow "priority=10,in_port=o1,actions=set_field:0x1234->tun_metadata0,NORMAL"
}
ok "OVS sends option class 0x0102 type 0x80 (critical) from o1" opt_on 0x80
d0=$(tdrops)
fails "o1 no longer reaches a1" 1 noping "${PFX}o1" 10.64.0.1
got=$(moved "$d0" "$(tdrops)")
check "warrend dropped them as geneve_critical and nothing else (moved: ${got:-none})" \
	'[[ "$got" =~ ^geneve_critical\+[0-9]+$ ]]'

# 3. The same option, not critical (type 0x01): it passes.
ok "OVS sends option class 0x0102 type 0x01 (not critical) from o1" opt_on 0x01
d0=$(tdrops)
ok "o1 pings a1 with the option" pingr "${PFX}o1" 10.64.0.1
ok "a1 pings o1 (the answers carry it)" pingr "${PFX}a1" 10.64.0.2
got=$(moved "$d0" "$(tdrops)")
check "no tunnel drop on warrend's side (moved: ${got:-none})" '[ -z "$got" ]'

got=$(swq "$A" '[(o["class"], o["type"]) for o in d["tunnels"][0]["options_rx"] if o["pkts"] > 0]' tunnel show)
check "warrend counted the frames it took with OVS's option by class and type (the critical ones were dropped before) (got: $got)" \
	"[ \"\$got\" = \"[('0102', '01')]\" ]"

# 3b. warrend adds an option of its own (class 0x0203, not critical) to what it sends.
ok "OVS adds no option any more" ovs_ofctl br-int del-flows "in_port=o1"
ok "gn0 made again with an option" eval 'wr_api "$A" tunnel.del "{\"tunnel\": \"gn0\"}" &&
	wr_api "$A" tunnel.add "{\"name\": \"gn0\", \"type\": \"geneve\", \"underlay\": \"u\",
		\"local\": \"192.0.2.1\", \"options\": [\"0203:01:0000abcd\"]}" &&
	wr_api "$A" vni.set "{\"tunnel\": \"gn0\", \"vni\": 5010, \"bd\": 10}" &&
	wr_api "$A" vtep.add "{\"tunnel\": \"gn0\", \"remote\": \"192.0.2.2\"}"'
wait_until 5 '[ "$(swq "$A" "d[\"tunnels\"][0][\"vteps\"][0][\"nexthop\"][\"resolved\"]" tunnel show)" = True ]'
ok "a1 pings o1: OVS takes warrend's frames with their option" pingr "${PFX}a1" 10.64.0.2

# 4. What tshark makes of the capture: no malformed frame or warning (IP
# and UDP checksums checked), VNI 5010 both ways, OVS's options as set.
sleep 0.5; kill -INT $TSHARK; wait $TSHARK
TS="tshark -r $TMP/gnv.pcapng -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE"
got=$($TS -Y '_ws.malformed || _ws.expert.severity >= warning' 2>&1 | grep -v '^Running as user')
check "tshark: no malformed frame, no warning${got:+ (got: $got)}" '[ -z "$got" ]'
$TS -T fields -E occurrence=f -E separator=/s -e ip.src -e geneve.vni -e geneve.flags.critical \
	-e geneve.option.type 2>/dev/null | sort | uniq -c >"$TMP/gnv.txt"
sed 's/^/     /' "$TMP/gnv.txt"
# Per line: count, outer source, VNI (5010 is 0x001392), C flag, option
# type (none from warrend).
got=$(awk '{ print $2, $3, $4, $5 }' "$TMP/gnv.txt" | tr '\n' ';')
want="192.0.2.1 0x001392 0 ;192.0.2.1 0x001392 0 0x01;192.0.2.2 0x001392 0 ;192.0.2.2 0x001392 0 0x01;192.0.2.2 0x001392 1 0x80;"
check "warrend's and OVS's Geneve, VNI 5010, each with and without options (got: $got)" '[ "$got" = "$want" ]'

ok "A answers" wr_api "$A" health
ovs_stop
check "OVS stopped" '[ ! -e "$OVS/ovs-vswitchd.pid" ] && [ ! -e "$OVS/ovsdb-server.pid" ]'
