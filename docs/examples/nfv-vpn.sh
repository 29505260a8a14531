#!/bin/bash
# nfv-vpn.sh: the VPN gateways of docs/examples/nfv.yaml, WireGuard in
# userspace (wireguard-go over a TUN device; this kernel has no WireGuard
# module) configured by wireguard-tools' wg.
#
#   nfv-vpn.sh up ADDR/LEN        in a gateway's namespace (a run command):
#                                 wg0 with ADDR, a private key made now,
#                                 listening on 51820, and nfv-vpn.nft
#   nfv-vpn.sh pair SELF SELF_AT SELF_NETS PEER PEER_AT PEER_NETS
#                                 in SELF's namespace, once both are up: each
#                                 end learns the other's public key, address
#                                 (the UDP endpoint) and the networks behind it
#   nfv-vpn.sh show NETNS         wg show, for a gateway (its full name)
#
# wireguard-go keeps its control socket in /run/wireguard, which `up` makes
# a tmpfs of the daemon's own (a mount namespace of its own): two copies of
# the lab do not meet there, and no key is ever written to a disk. So wg
# talks to a gateway through nsenter into its daemon's namespaces; `lab
# down` ends the daemon with every other process of the namespace.
set -eu
PORT=51820

# wgpid NETNS: the wireguard-go running in NETNS.
wgpid() {
	local p
	for p in $(ip netns pids "$1"); do
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = wireguard-go ]; then
			echo "$p"
			return 0
		fi
	done
	echo "nfv-vpn.sh: no wireguard-go in namespace $1" >&2
	return 1
}

# wgin NETNS ARGS...: wg ARGS on NETNS's wireguard-go.
wgin() {
	local ns=$1 pid
	shift
	pid=$(wgpid "$ns")
	nsenter -t "$pid" -m -n wg "$@"
}

case ${1:-} in
up)
	[ $# = 2 ] || { echo "usage: nfv-vpn.sh up ADDR/LEN" >&2; exit 2; }
	[ "${NFV_PRIVATE:-}" = 1 ] ||
		NFV_PRIVATE=1 exec unshare --mount --propagation slave "$0" "$@"
	mkdir -p /run/wireguard	# the mount point; the daemon's socket is in its tmpfs
	mount -t tmpfs -o mode=0700,size=64k nfv-wg /run/wireguard
	wireguard-go wg0 2>/dev/null	# it puts itself in the background
	wg set wg0 private-key <(wg genkey) listen-port "$PORT"
	ip addr add "$2" dev wg0
	ip link set wg0 up
	nft -f "$(dirname "$0")/nfv-vpn.nft"
	;;
pair)
	[ $# = 7 ] || { echo "usage: nfv-vpn.sh pair SELF SELF_AT SELF_NETS PEER PEER_AT PEER_NETS" >&2; exit 2; }
	self=${WARREN_NETNS:?run in a namespace of the lab}
	prefix=${self%"$2"}
	[ "$prefix$2" = "$self" ] || { echo "nfv-vpn.sh: this namespace is $self, not $2" >&2; exit 2; }
	peer=$prefix$5
	mine=$(wgin "$self" show wg0 public-key)
	theirs=$(wgin "$peer" show wg0 public-key)
	wgin "$self" set wg0 peer "$theirs" endpoint "$6:$PORT" allowed-ips "$7"
	wgin "$peer" set wg0 peer "$mine" endpoint "$3:$PORT" allowed-ips "$4"
	;;
show)
	[ $# = 2 ] || { echo "usage: nfv-vpn.sh show NETNS" >&2; exit 2; }
	wgin "$2" show
	;;
*)
	echo "usage: nfv-vpn.sh up|pair|show ..." >&2
	exit 2
	;;
esac
