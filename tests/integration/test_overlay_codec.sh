#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# test_overlay_codec.sh - Warren's VXLAN and Geneve codec (dataplane/overlay.c)
# held against decoders that are not ours:
#   1. tun_codec encap writes frames of every type, family, checksum setting
#      and option set to a pcap; scapy decodes each and checks every field,
#      both checksums and the lengths against what tun_codec says it sent;
#      tshark decodes them with its checksum checks on and finds nothing
#      malformed, no bad checksum, no expert warning.
#   2. scapy builds frames (Geneve with options, critical options, bad option
#      lengths, another protocol, VXLAN with bad flags, truncated outer
#      headers, fragments, not tunnel traffic at all) and tun_codec decap
#      must give each the verdict written next to it.
# No root, no device, no network: files in $TMP only.
NEEDS_ROOT=0
. "$(dirname "$0")/lib.sh"

CODEC=${TUN_CODEC:-$TOP/build/tests/integration/tun_codec}
[ -x "$CODEC" ] || { echo "FAIL: $CODEC not built"; exit 1; }
"$PY" -c 'import scapy.all' 2>/dev/null ||
	skip "scapy not installed for $PY (apt-get install python3-scapy)"

# ------------------------------------------------------------ 1. our frames

ok "tun_codec encap writes a pcap" sh -c '"$0" encap "$1" >"$2"' "$CODEC" "$TMP/enc.pcap" "$TMP/expect.txt"
n_frames=$(wc -l <"$TMP/expect.txt")
check "tun_codec encap wrote frames ($n_frames)" '[ "$n_frames" -eq 27 ]'

cat >"$TMP/check_encap.py" <<'PY'
import sys
from scapy.all import rdpcap, Ether, IP, IPv6, UDP, Raw, raw
from scapy.layers.vxlan import VXLAN
from scapy.contrib.geneve import GENEVE, GeneveOptions

def fail(i, msg):
    print(f"frame {i}: {msg}")
    return 1

def csum_ok(pkt, layer):
    """The checksum scapy computes for the layer with its field cleared."""
    want = pkt[layer].chksum
    p = pkt.copy()
    del p[layer].chksum
    if layer is UDP and p.haslayer(IP):
        del p[IP].len
    return Ether(raw(p))[layer].chksum == want

bad = 0
frames = rdpcap(sys.argv[1])
lines = open(sys.argv[2]).read().split("\n")[:-1]
if len(frames) != len(lines):
    print(f"{len(frames)} frames, {len(lines)} expectations"); sys.exit(1)
for i, (f, line) in enumerate(zip(frames, lines)):
    typ, v6, csum, vni, dport, smin, smax, inner_len, opts = line.split()
    v6, csum, vni, dport, smin, smax, inner_len = map(int, (v6, csum, vni, dport, smin, smax, inner_len))
    ip = f[IPv6] if v6 else f[IP]
    u = f[UDP]
    if not v6:
        if ip.ttl != 64 or ip.flags != "DF" or ip.id != 0 or ip.proto != 17:
            bad += fail(i, f"IPv4 ttl {ip.ttl} flags {ip.flags} id {ip.id}")
        if ip.len != len(f) - 14 or not csum_ok(f, IP):
            bad += fail(i, f"IPv4 length {ip.len} or checksum {ip.chksum:#x} wrong")
    elif ip.hlim != 64 or ip.nh != 17 or ip.plen != len(f) - 54:
        bad += fail(i, f"IPv6 hop limit {ip.hlim} next header {ip.nh} length {ip.plen}")
    if u.dport != dport or not smin <= u.sport <= smax or u.len != len(ip.payload):
        bad += fail(i, f"UDP {u.sport} -> {u.dport} length {u.len}")
    if csum and (u.chksum == 0 or not csum_ok(f, UDP)):
        bad += fail(i, f"UDP checksum {u.chksum:#x} wrong")
    if not csum and u.chksum != 0:
        bad += fail(i, f"UDP checksum {u.chksum:#x}, wanted none")
    if typ == "vxlan":
        t = VXLAN(raw(u.payload))
        got_opts = "-"
        if t.flags != 0x08 or t.vni != vni:
            bad += fail(i, f"VXLAN flags {t.flags} VNI {t.vni}")
    else:
        t = GENEVE(raw(u.payload))
        # scapy 2.5 reads the first option only (the rest is its payload): one at a time.
        b, got = raw(t)[8:8 + t.optionlen * 4], []
        while b:
            o = GeneveOptions(b)
            got.append(o)
            b = b[4 + o.length * 4:]
        got_opts = ",".join(f"{o.classid}.{o.type}.{o.length * 4}" for o in got) or "-"
        crit = any(o.type & 0x80 for o in got)
        if t.version != 0 or t.proto != 0x6558 or t.vni != vni or t.oam or t.critical != crit:
            bad += fail(i, f"Geneve version {t.version} proto {t.proto:#x} VNI {t.vni} O {t.oam} C {t.critical}")
    if got_opts != opts:
        bad += fail(i, f"options {got_opts}, sent {opts}")
    inner = Ether(raw(u.payload)[8 + (t.optionlen * 4 if typ == "geneve" else 0):])
    if len(inner) != inner_len or not inner.haslayer(IP) or inner[IP].len != inner_len - 14:
        bad += fail(i, f"inner frame of {len(inner)} bytes, sent {inner_len}")
print(f"{len(frames)} frames, {bad} faults")
sys.exit(1 if bad else 0)
PY
ok "scapy decodes every field as sent" "$PY" "$TMP/check_encap.py" "$TMP/enc.pcap" "$TMP/expect.txt"

if command -v tshark >/dev/null; then
	tsh() { timeout 60 tshark -n -r "$TMP/enc.pcap" -o ip.check_checksum:TRUE \
		-o udp.check_checksum:TRUE -E occurrence=f "$@" 2>/dev/null; }
	ok "tshark reads the pcap" tsh -V
	cp "$TMP/out" "$TMP/tshark.txt"
	check "tshark finds nothing malformed or bad" \
		'! grep -Ei "malformed|bad checksum|\[incorrect|Expert Info \((Warning|Error)" "$TMP/tshark.txt"'
	ok "tshark fields" tsh -T fields -E occurrence=a -E aggregator=, -e vxlan.vni -e geneve.vni \
		-e udp.dstport -e geneve.option.class -e geneve.option.type
	cp "$TMP/out" "$TMP/fields.txt"
	cat >"$TMP/check_tshark.py" <<'PY'
import sys
bad = 0
want = open(sys.argv[1]).read().split("\n")[:-1]
got = open(sys.argv[2]).read().split("\n")[:-1]
if len(want) != len(got):
    print(f"tshark shows {len(got)} frames, {len(want)} sent"); sys.exit(1)
for i, (w, g) in enumerate(zip(want, got)):
    typ, _, _, vni, dport, _, _, _, opts = w.split()
    vx, gn, ports, classes, types = g.split("\t")
    seen = (("vxlan", vx) if vx else ("geneve", gn))
    sent_opts = [tuple(int(x) for x in o.split(".")[:2]) for o in opts.split(",")] if opts != "-" else []
    seen_opts = list(zip(map(lambda x: int(x, 0), filter(None, classes.split(","))),
                         map(lambda x: int(x, 0), filter(None, types.split(",")))))
    if seen[0] != typ or int(seen[1], 0) != int(vni) or int(ports.split(",")[0]) != int(dport) \
       or seen_opts != sent_opts:
        print(f"frame {i}: tshark {g!r}, sent {w!r}"); bad += 1
sys.exit(1 if bad else 0)
PY
	ok "tshark: every frame's type, VNI, port and options" "$PY" "$TMP/check_tshark.py" \
		"$TMP/expect.txt" "$TMP/fields.txt"
else
	echo "tshark not installed: its half of part 1 not run (apt-get install tshark)"
fi

# -------------------------------------------------------- 2. scapy's frames

cat >"$TMP/make_frames.py" <<'PY'
from scapy.all import Ether, IP, IPv6, UDP, Raw, ARP, raw, IPv6ExtHdrDestOpt
from scapy.layers.vxlan import VXLAN
from scapy.contrib.geneve import GENEVE, GeneveOptions

E = Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01")
INNER = Ether(dst="02:00:00:00:00:0b", src="02:00:00:00:00:0a") / IP(src="192.168.1.1", dst="192.168.1.2") / UDP() / Raw(b"x" * 20)
n_inner = len(INNER)
def v4(**kw):
    kw.setdefault("flags", "DF")
    return E / IP(src="10.0.0.1", dst="10.0.0.2", **kw)
def v6(): return E / IPv6(src="2001:db8::1", dst="2001:db8::2")
def vx(**kw): return UDP(sport=50000, dport=4789) / VXLAN(vni=42, **kw) / INNER
def gn(opts=(), **kw):
    kw.setdefault("proto", 0x6558)
    return UDP(sport=50000, dport=6081) / GENEVE(vni=0x123456, options=list(opts), **kw) / INNER
OPT = GeneveOptions(classid=0x0102, type=0x03, data=b"\xde\xad\xbe\xef")
CRIT = GeneveOptions(classid=0x0102, type=0x83, data=b"\xde\xad\xbe\xef")
OTHER_CRIT = GeneveOptions(classid=0x0103, type=0x80)

def line(conf, pkt, want):
    print(conf, raw(pkt).hex(), want)

line("vxlan4", v4() / vx(), f"decap 42 {n_inner} 0")
line("vxlan6", v6() / vx(), f"decap 42 {n_inner} 0")
line("vxlan4", v4() / vx(flags=0x00), "vxlan_flags")
# RFC 7348: reserved bits ignored on receipt (raw bytes: scapy reads them as VXLAN-GPE/GBP).
line("vxlan4", v4() / UDP(sport=50000, dport=4789) / Raw(bytes([0xff, 0xff, 0xff, 0xff, 0, 0, 42, 0xff])) / INNER,
     f"decap 42 {n_inner} 0")
line("vxlan4", v4() / UDP(sport=50000, dport=4789, chksum=0x1234) / VXLAN(vni=42) / INNER, "tun_udp_csum")
line("vxlan4", v4() / UDP(sport=50000, dport=4789, len=7) / VXLAN(vni=42) / INNER, "tun_bad_udp")
line("vxlan4", v4(flags="MF") / vx(), "tun_fragment")
line("vxlan4", v4(frag=10) / vx(), "not_mine")
line("vxlan4", v4(chksum=0x1234) / vx(), "tun_bad_ip")
line("vxlan4", v4(ihl=4) / vx(), "tun_bad_ip")
line("vxlan4", E / IP(src="10.0.0.1", dst="10.0.0.3") / vx(), "not_mine")
line("vxlan4", v4() / UDP(sport=5353, dport=53) / Raw(b"q" * 30), "not_mine")
line("vxlan4", E / ARP(pdst="10.0.0.2"), "not_mine")
line("vxlan6", v6() / IPv6ExtHdrDestOpt() / vx(), "tun_ipv6_ext")
line("vxlan4", v4() / UDP(sport=50000, dport=4789) / VXLAN(vni=42) / Raw(b"y" * 13), "tun_inner_runt")
line("geneve4", v4() / gn(), f"decap {0x123456} {n_inner} 0")
line("geneve4", v4() / gn([OPT, OTHER_CRIT.copy()]), "geneve_critical")
line("geneve4", v4() / gn([OPT, OPT]), f"decap {0x123456} {n_inner} 2")
line("geneve6", v6() / gn([CRIT], critical=1), "geneve_critical")
line("geneve6+known", v6() / gn([CRIT], critical=1), f"decap {0x123456} {n_inner} 1")
line("geneve6+known", v6() / gn([CRIT, OTHER_CRIT], critical=1), "geneve_critical")
line("geneve4", v4() / gn([OPT], optionlen=1), "geneve_opt_len")  # option overruns the options
line("geneve4", v4() / gn([GeneveOptions(classid=1, type=1, length=9, data=b"z" * 8)]), "geneve_opt_len")
line("geneve4", v4() / UDP(sport=1, dport=6081) / GENEVE(vni=1, proto=0x6558, optionlen=63) / Raw(b"w" * 40), "geneve_opt_len")
line("geneve4", v4() / gn(proto=0x0800), "geneve_proto")
line("geneve4", v4() / gn(version=1), "geneve_version")
line("geneve4", v4() / gn(oam=1), "geneve_oam")
line("geneve4", v4() / UDP(sport=50000, dport=4789) / VXLAN(vni=42) / INNER, "not_mine")
# Truncated outer headers: every cut inside them.
whole = raw(v4() / gn([OPT]))
for k in (0, 10, 14, 20, 33, 34, 40, 41, 42, 49, 50):
    print("geneve4", whole[:k].hex() or "00", "tun_runt")
whole6 = raw(v6() / vx())
for k in (14, 53, 54, 61, 62, 69):
    print("vxlan6", whole6[:k].hex(), "tun_runt")
PY
ok "scapy builds the frames" sh -c '"$0" "$1" >"$2"' "$PY" "$TMP/make_frames.py" "$TMP/frames.txt"
n_scapy=$(wc -l <"$TMP/frames.txt")
ok "tun_codec decap reads them" sh -c 'cut -d" " -f1,2 "$1" | "$0" decap >"$2"' \
	"$CODEC" "$TMP/frames.txt" "$TMP/verdicts.txt"
check "as many verdicts as frames ($n_scapy)" '[ "$(wc -l <"$TMP/verdicts.txt")" -eq "$n_scapy" ]'
check "every scapy frame gets its verdict" \
	'diff <(cut -d" " -f3- "$TMP/frames.txt") "$TMP/verdicts.txt"'
if [ "$_failed" -ne 0 ]; then
	paste -d'|' <(cut -d" " -f1,3- "$TMP/frames.txt") "$TMP/verdicts.txt" | awk -F'|' '$1 !~ $2' | head
fi
