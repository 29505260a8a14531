/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wr_api.h - the contract between warrend and its clients, declared once:
 * the API version, the bounds of what a request may name, the enums of
 * docs/api.md with their words, and the one validator of names. warrend,
 * the CLI, the lab file and the docs all derive from what is here; nothing
 * here touches the system or needs a library, so every side links it.
 *
 * An enum is a list X(ID, "word", "what it means") from which the enum
 * (WR_<TYPE>_<ID>), its count (WR_<TYPE>_COUNT), its words
 * (wr_<type>_names[]) and its texts (wr_<type>_texts[]) are made.
 */
#ifndef WR_API_H
#define WR_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WR_API_VERSION	1	/* "v" of every request and reply */

/* A number's macro as a string, for texts made at compile time. */
#define WR_STR_(x)	#x
#define WR_STR(x)	WR_STR_(x)

/* ---------------------------------------------------------------- bounds */

#define WR_PORT_MAX		256	/* ports per switch */
#define WR_BD_LAST		4095	/* bridge domains are 1..4095 */
#define WR_VLAN_LAST		4094	/* VLAN ids are 1..4094 */
#define WR_AGE_MAX		31536000	/* seconds of FDB aging at most: a year */
#define WR_QUEUE_LAST		4095	/* an afxdp port's device queue */
#define WR_VNI_LAST		16777215	/* VXLAN and Geneve: 24 bits */
#define WR_TUNNEL_MAX		16	/* tunnels per switch */
#define WR_VTEP_MAX		64	/* remote VTEPs per tunnel (each takes a port) */
#define WR_TUNNEL_VNI_MAX	4095	/* VNIs per tunnel: one per bridge domain at most */
#define WR_GENEVE_OPTS_MAX	48	/* bytes of Geneve options a tunnel adds, their headers included */
#define WR_GENEVE_KNOWN_MAX	8	/* critical Geneve options a tunnel may be told it knows */
#define WR_STEER_MAX		4096	/* steering rules per switch */
#define WR_CHAIN_MAX		64	/* service chains per switch */
#define WR_CHAIN_HOPS_MAX	8	/* hops per chain */
#define WR_HOP_KEYS_MAX		16	/* keys of one hop object (wr_api.def's WR_HOP_KEYs) */
#define WR_TRACE_MAX		256	/* frames one trace follows */
#define WR_TRACE_TIMEOUT_MAX	3600	/* seconds a trace stays armed at most */
#define WR_MIRROR_MAX		16	/* port mirrors per switch (docs/capture.md) */
#define WR_CAPTURE_MAX		4	/* captures at once per switch */
#define WR_CAPTURE_SLOTS	512	/* frames a worker holds per capture until warrend drains them */
#define WR_CAPTURE_SNAP		2048	/* bytes of a frame a capture keeps (longer ones are cut) */
/* Names, in bytes without the NUL. */
#define WR_SWITCH_NAME_MAX	31	/* an instance is /run/warren/NAME.sock */
#define WR_PORT_NAME_MAX	15	/* as an interface name */
#define WR_IFNAME_MAX		15	/* IFNAMSIZ - 1: the kernel's limit */
#define WR_NETNS_NAME_MAX	64	/* a file under /run/netns */
#define WR_DEVARGS_MAX		255	/* a dpdk port's devargs */
#define WR_DPDK_ARGS_MAX	1023	/* `warrend --dpdk "EAL ARGS"` */

/* ----------------------------------------------------------------- enums */

/* A port's backend: port.add's "type". */
#define WR_PORT_TYPES(X) \
	X(AFXDP, "afxdp", "an AF_XDP socket on a kernel netdev (veth, NIC, VF)") \
	X(TAP, "tap", "a TAP device, read and written through its /dev/net/tun descriptor") \
	X(DPDK, "dpdk", "a DPDK ethdev named by devargs (net_tap, net_af_xdp, net_memif, " \
	  "a NIC, a VF representor)")

/*
 * A port's kernel fast path: known unicast forwarded by an XDP program in
 * the driver, by the same lookup at tcx ingress, or not at all; auto lets
 * warrend choose for the device.
 */
#define WR_FASTPATHS(X) \
	X(OFF, "off", "every frame through warrend") \
	X(XDP, "xdp", "known unicast forwarded by XDP in the driver: fewest cycles per frame") \
	X(TC, "tc", "known unicast forwarded at tcx ingress: TCP keeps its 64 KB frames") \
	X(AUTO, "auto", "warrend chooses for the device")

/* How a port's frames map to bridge domains. */
#define WR_VLAN_MODES(X) \
	X(NONE, "none", "frames bridged as they are, in the port's bridge domain") \
	X(ACCESS, "access", "untagged frames, in the access VLAN") \
	X(TRUNK, "trunk", "tagged frames of the allowed VLANs; untagged in the native VLAN")

/* An afxdp port's zero-copy (on a UMEM of its own): what the driver offers, asked for, or not. */
#define WR_ZEROCOPIES(X) \
	X(AUTO, "auto", "zero-copy where the driver has it, else copy mode (veth, macvlan)") \
	X(ON, "on", "zero-copy, or the port is refused") \
	X(OFF, "off", "copy mode")

/* Whose UMEM an afxdp port in copy mode uses (a zero-copy one has its own). */
#define WR_UMEMS(X) \
	X(SHARED, "shared", "the switch's one UMEM: frames between its ports move uncopied") \
	X(OWN, "own", "a UMEM of the port's own (24 MiB): its buffers apart, its frames copied")

/* A tunnel's encapsulation (docs/overlays.md). */
#define WR_TUNNEL_TYPES(X) \
	X(VXLAN, "vxlan", "VXLAN (RFC 7348), UDP port 4789 by default") \
	X(GENEVE, "geneve", "Geneve (RFC 8926) with options, UDP port 6081 by default")

/* A service chain's hop (docs/chains.md). */
#define WR_CHAIN_KINDS(X) \
	X(L2, "l2", "transparent: frames go in and come out untouched (a bridge in the hop)") \
	X(L3, "l3", "routed: a frame going in takes the hop interface's MAC as its destination")

/* What becomes of a chain's frames at a hop that is down. */
#define WR_CHAIN_FAILS(X) \
	X(OPEN, "open", "the hop is skipped: frames go on to what comes after it") \
	X(CLOSED, "closed", "frames are dropped, counted as chain_hop_down")

/* A hop's administrative state (chain.hop). */
#define WR_HOP_STATES(X) \
	X(UP, "up", "used while its ports have carrier") \
	X(DOWN, "down", "bypassed or dropped, as its fail mode says")

/* A hop's health probe (docs/chains.md): what warrend sends, from a namespace of the host. */
#define WR_PROBE_KINDS(X) \
	X(PING, "ping", "an ICMP or ICMPv6 echo: passes when the reply comes") \
	X(TCP, "tcp", "a TCP connect to target_port: passes when it is accepted")

/* Which of a port's frames a mirror copies or a capture records (docs/capture.md). */
#define WR_TAP_DIRS(X) \
	X(RX, "rx", "what the port receives") \
	X(TX, "tx", "what the port sends") \
	X(BOTH, "both", "what it receives and what it sends")

/* A probe's defaults where the hop names none. */
#define WR_PROBE_INTERVAL_MS	1000
#define WR_PROBE_TIMEOUT_MS	500
#define WR_PROBE_FAILS		3
#define WR_PROBE_PASSES		2

/** A probe's timeout when the hop names none: the default, or its interval if shorter. */
static inline uint32_t wr_probe_timeout_ms(uint32_t interval_ms)
{
	return interval_ms < WR_PROBE_TIMEOUT_MS ? interval_ms : WR_PROBE_TIMEOUT_MS;
}

/* A tunnel type's UDP port when the tunnel names none (IANA's; 8472 is Linux's old VXLAN one). */
#define WR_VXLAN_PORT		4789
#define WR_GENEVE_PORT		6081

#define WR_X_PORT(id, word, text) WR_PORT_##id,
#define WR_X_FASTPATH(id, word, text) WR_FASTPATH_##id,
#define WR_X_VLAN(id, word, text) WR_VLAN_##id,
#define WR_X_ZEROCOPY(id, word, text) WR_ZEROCOPY_##id,
#define WR_X_UMEM(id, word, text) WR_UMEM_##id,
#define WR_X_TUNNEL(id, word, text) WR_TUNNEL_##id,
#define WR_X_CHAIN_KIND(id, word, text) WR_CHAIN_##id,
#define WR_X_CHAIN_FAIL(id, word, text) WR_CHAIN_FAIL_##id,
#define WR_X_HOP_STATE(id, word, text) WR_HOP_##id,
#define WR_X_PROBE(id, word, text) WR_PROBE_##id,
#define WR_X_TAP_DIR(id, word, text) WR_TAP_##id,
#define WR_X_ONE(id, word, text) + 1

enum wr_port_type { WR_PORT_TYPES(WR_X_PORT) };
enum wr_fastpath { WR_FASTPATHS(WR_X_FASTPATH) };
enum wr_vlan_mode { WR_VLAN_MODES(WR_X_VLAN) };
enum wr_zerocopy { WR_ZEROCOPIES(WR_X_ZEROCOPY) };
enum wr_umem { WR_UMEMS(WR_X_UMEM) };
enum wr_tunnel_type { WR_TUNNEL_TYPES(WR_X_TUNNEL) };
enum wr_chain_kind { WR_CHAIN_KINDS(WR_X_CHAIN_KIND) };
enum wr_chain_fail { WR_CHAIN_FAILS(WR_X_CHAIN_FAIL) };
enum wr_hop_state { WR_HOP_STATES(WR_X_HOP_STATE) };
enum wr_probe_kind { WR_PROBE_KINDS(WR_X_PROBE) };
enum wr_tap_dir { WR_TAP_DIRS(WR_X_TAP_DIR) };

/* Counts apart from the enums: a switch over one need not name them. */
enum {
	WR_PORT_TYPE_COUNT = 0 WR_PORT_TYPES(WR_X_ONE),
	WR_FASTPATH_COUNT = 0 WR_FASTPATHS(WR_X_ONE),
	WR_VLAN_MODE_COUNT = 0 WR_VLAN_MODES(WR_X_ONE),
	WR_ZEROCOPY_COUNT = 0 WR_ZEROCOPIES(WR_X_ONE),
	WR_UMEM_COUNT = 0 WR_UMEMS(WR_X_ONE),
	WR_TUNNEL_TYPE_COUNT = 0 WR_TUNNEL_TYPES(WR_X_ONE),
	WR_CHAIN_KIND_COUNT = 0 WR_CHAIN_KINDS(WR_X_ONE),
	WR_CHAIN_FAIL_COUNT = 0 WR_CHAIN_FAILS(WR_X_ONE),
	WR_HOP_STATE_COUNT = 0 WR_HOP_STATES(WR_X_ONE),
	WR_PROBE_KIND_COUNT = 0 WR_PROBE_KINDS(WR_X_ONE),
	WR_TAP_DIR_COUNT = 0 WR_TAP_DIRS(WR_X_ONE),
};

#undef WR_X_PORT
#undef WR_X_FASTPATH
#undef WR_X_VLAN
#undef WR_X_ZEROCOPY
#undef WR_X_UMEM
#undef WR_X_TUNNEL
#undef WR_X_CHAIN_KIND
#undef WR_X_CHAIN_FAIL
#undef WR_X_HOP_STATE
#undef WR_X_PROBE
#undef WR_X_TAP_DIR
#undef WR_X_ONE

extern const char *const wr_port_type_names[WR_PORT_TYPE_COUNT];
extern const char *const wr_port_type_texts[WR_PORT_TYPE_COUNT];
extern const char *const wr_fastpath_names[WR_FASTPATH_COUNT];
extern const char *const wr_fastpath_texts[WR_FASTPATH_COUNT];
extern const char *const wr_vlan_mode_names[WR_VLAN_MODE_COUNT];
extern const char *const wr_vlan_mode_texts[WR_VLAN_MODE_COUNT];
extern const char *const wr_zerocopy_names[WR_ZEROCOPY_COUNT];
extern const char *const wr_zerocopy_texts[WR_ZEROCOPY_COUNT];
extern const char *const wr_umem_names[WR_UMEM_COUNT];
extern const char *const wr_umem_texts[WR_UMEM_COUNT];
extern const char *const wr_tunnel_type_names[WR_TUNNEL_TYPE_COUNT];
extern const char *const wr_tunnel_type_texts[WR_TUNNEL_TYPE_COUNT];
extern const char *const wr_chain_kind_names[WR_CHAIN_KIND_COUNT];
extern const char *const wr_chain_kind_texts[WR_CHAIN_KIND_COUNT];
extern const char *const wr_chain_fail_names[WR_CHAIN_FAIL_COUNT];
extern const char *const wr_chain_fail_texts[WR_CHAIN_FAIL_COUNT];
extern const char *const wr_hop_state_names[WR_HOP_STATE_COUNT];
extern const char *const wr_hop_state_texts[WR_HOP_STATE_COUNT];
extern const char *const wr_probe_kind_names[WR_PROBE_KIND_COUNT];
extern const char *const wr_probe_kind_texts[WR_PROBE_KIND_COUNT];
extern const char *const wr_tap_dir_names[WR_TAP_DIR_COUNT];
extern const char *const wr_tap_dir_texts[WR_TAP_DIR_COUNT];

/** @port, or when it is 0 the UDP port of tunnel type @t. */
static inline uint16_t wr_tunnel_port(enum wr_tunnel_type t, uint16_t port)
{
	return port ? port : t == WR_TUNNEL_VXLAN ? WR_VXLAN_PORT : WR_GENEVE_PORT;
}

/** The index of @word in @names[0..@n), or -1. */
int wr_enum_parse(const char *const *names, int n, const char *word);

/**
 * @names[0..@n) as "a, b or c" into @buf (for messages and help); @buf.
 */
const char *wr_enum_list(const char *const *names, int n, char *buf, size_t size);

/*
 * What follows capture.start's reply on its connection (docs/capture.md):
 * records, each a header, cap_len bytes of the frame and comment_len bytes
 * of text, in the host's byte order (the two ends share a host). The
 * frame records' comment is the switch's verdict ("rx: to port p2"); the
 * last record is WR_CAPREC_END, whose text is a JSON object
 * {"captured": N, "dropped": M, "why": "..."}. A line the client sends
 * ends the capture; so does the client going away.
 */
enum { WR_CAPREC_FRAME = 1, WR_CAPREC_END = 2 };

struct wr_caprec {
	uint32_t len;		/* bytes of the record, this header included */
	uint8_t type;		/* WR_CAPREC_* */
	uint8_t dir;		/* enum wr_tap_dir: WR_TAP_RX or WR_TAP_TX */
	uint16_t comment_len;
	uint64_t ts_ns;		/* CLOCK_REALTIME */
	uint32_t orig_len;	/* the frame's length on the wire */
	uint32_t cap_len;	/* the bytes of it that follow (at most WR_CAPTURE_SNAP) */
};
_Static_assert(sizeof(struct wr_caprec) == 24, "wr_caprec has no padding");
#define WR_CAPREC_MAX	(sizeof(struct wr_caprec) + WR_CAPTURE_SNAP + 1024)	/* a record, at most */

/* ----------------------------------------------------------------- names */

enum wr_name_kind {
	WR_NAME_SWITCH,		/* [A-Za-z0-9_.-], 1..31, no leading '.' */
	WR_NAME_PORT,		/* [A-Za-z0-9_.-], 1..15, not . or .. */
	WR_NAME_NETNS,		/* [A-Za-z0-9_.-], 1..64, not . or .. */
	WR_NAME_PREFIX,		/* [A-Za-z0-9_.-], 0..@max: a lab's name prefix */
};

/**
 * 0 if @name is a valid name of @kind (at most @max bytes for
 * WR_NAME_PREFIX, else the kind's bound); -EINVAL with a sentence that
 * quotes the name in @msg otherwise.
 */
int wr_name_check(enum wr_name_kind kind, const char *name, size_t max, char *msg, size_t size);

/**
 * @s for a message into @buf: control characters, quotes and backslashes
 * as \xNN, cut with "..." to fit. Returns @buf.
 */
const char *wr_quote(char *buf, size_t size, const char *s);

/* ----------------------------------------------------------- text forms */

/** "02:00:00:00:00:01": exactly two hex digits per byte. 0 or -EINVAL. */
int wr_mac_parse(const char *text, uint8_t mac[6]);

/**
 * A unicast IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") address into @ip
 * (16 bytes; IPv4 in the first 4, the rest zero), *@ipv6 says which. 0, or
 * -EINVAL for anything else (also 0.0.0.0, ::, multicast, broadcast).
 */
int wr_ip_parse(const char *text, uint8_t ip[16], bool *ipv6);

/* One Geneve option as a request writes it: "CLASS:TYPE[:DATA]" in hex. */
struct wr_gopt {
	uint16_t cls;
	uint8_t type;		/* 0x80: critical */
	uint8_t len;		/* bytes of data, a multiple of 4 */
	uint8_t data[WR_GENEVE_OPTS_MAX - 4];
};

/**
 * "0102:80:0000abcd": class (1-4 hex digits), type (1-2), and data (a
 * multiple of 8 hex digits, at most WR_GENEVE_OPTS_MAX - 4 bytes), or no
 * data ("0102:01"). 0, or -EINVAL.
 */
int wr_gopt_parse(const char *text, struct wr_gopt *o);

/** @o as wr_gopt_parse() takes it, into @buf (2 * WR_GENEVE_OPTS_MAX + 16 bytes suffice); @buf. */
const char *wr_gopt_text(const struct wr_gopt *o, char *buf, size_t size);

/**
 * "ADDR/LEN": an IPv4 (LEN 0-32) or IPv6 (0-128) prefix into @ip (16
 * bytes as wr_ip_parse(), bits past LEN cleared), *@ipv6, *@len. 0 or
 * -EINVAL (bits set past LEN are an error too: "10.0.0.1/8").
 */
int wr_prefix_parse(const char *text, uint8_t ip[16], bool *ipv6, uint8_t *len);

/** @ip (as wr_ip_parse() gives it) as text into @buf (46 bytes suffice); @buf. */
const char *wr_ip_text(const uint8_t ip[16], bool ipv6, char *buf, size_t size);

/**
 * "N" or "LO-HI", plain decimals (no sign, blank or leading zero) in
 * [@min, @max]: 0 with *@lo, *@hi; -EINVAL, or -ERANGE when HI < LO.
 */
int wr_range_scan(const char *text, unsigned int min, unsigned int max, uint16_t *lo,
		  uint16_t *hi);

/* ---------------------------------------------------------- the API table */

/* The types of a request's values (wr_api.def). */
enum wr_api_type {
	WR_T_INT, WR_T_BOOL, WR_T_STR, WR_T_ENUM, WR_T_NAME, WR_T_IFNAME, WR_T_MAC, WR_T_VLANS,
	WR_T_PORT, WR_T_IP, WR_T_GOPTS, WR_T_PREFIX, WR_T_RANGE, WR_T_HOPS,
};

/* The enums a key of type ENUM takes its words from. */
enum wr_api_enum {
	WR_ENUM_PORT_TYPE, WR_ENUM_FASTPATH, WR_ENUM_VLAN_MODE, WR_ENUM_ZEROCOPY,
	WR_ENUM_TUNNEL_TYPE, WR_ENUM_CHAIN_KIND, WR_ENUM_CHAIN_FAIL, WR_ENUM_HOP_STATE,
	WR_ENUM_UMEM,
	WR_ENUM_PROBE_KIND,
	WR_ENUM_TAP_DIR,
};

#define WR_KEY_REQUIRED	1u	/* always */
#define WR_KEY_NEEDED	2u	/* by the port types the key is for */
#define WR_KEY_ONE_OF	4u	/* exactly one of the command's keys so flagged */
#define WR_PT(t)	(1u << WR_PORT_##t)

enum wr_api_cmd {
#define WR_CMD(id, name, text) WR_CMD_##id,
#include "wr_api.def"
};
enum {
#define WR_CMD(id, name, text) + 1
	WR_CMD_COUNT = 0
#include "wr_api.def"
};

struct wr_api_key {
	enum wr_api_cmd cmd;
	const char *name;
	enum wr_api_type type;
	int64_t min, max;	/* INT, VLANS: bounds; STR: max bytes; ENUM, NAME: which */
	unsigned int flags;	/* WR_KEY_* */
	unsigned int ports;	/* WR_PT() of the port types it is for; 0: all */
	const char *text;
};

struct wr_api_cmd_info {
	const char *name;
	const char *text;
};

extern const struct wr_api_cmd_info wr_api_cmds[WR_CMD_COUNT];
extern const struct wr_api_key wr_api_keys[];
extern const size_t wr_api_n_keys;
/* The keys of one object of a HOPS value (their cmd: WR_CMD_CHAIN_ADD). */
extern const struct wr_api_key wr_api_hop_keys[];
extern const size_t wr_api_n_hop_keys;

/** Hop key @name, or NULL. */
const struct wr_api_key *wr_api_hop_key_find(const char *name);

/** The command named @name, or -1. */
int wr_api_cmd_find(const char *name);

/** Key @name of @cmd, or NULL. */
const struct wr_api_key *wr_api_key_find(enum wr_api_cmd cmd, const char *name);

/** The CLI's and lab file's word for API key @key ("access" for "access_vlan"). */
const char *wr_api_word(const char *key);

/**
 * The key of @cmd whose word is the first @len bytes of @word ("mac-limit"
 * is the lab file's mac_limit and the API's), or NULL.
 */
const struct wr_api_key *wr_api_key_of_word(enum wr_api_cmd cmd, const char *word, size_t len);

/**
 * A message of wr_api_check() (or a key's text) in the CLI's and lab
 * file's words, in place: the key it starts with ("native_vlan: ...") made
 * the word ("native: ..."), and each `key` inside made 'word' (any other
 * `text` 'text'). Returns @msg.
 */
char *wr_api_in_words(char *msg);

/**
 * What key @k takes, for people: "0 to 4095", "afxdp, tap or dpdk", "1 to
 * 15 bytes of A-Z a-z 0-9 _ . -", "VLAN ids 1 to 4094 and LO-HI ranges";
 * "" for a bool. Returns @buf.
 */
const char *wr_api_key_range(const struct wr_api_key *k, char *buf, size_t size);

/** The words of @e and how many. */
const char *const *wr_api_enum_names(enum wr_api_enum e, int *n);

struct json_object;

/**
 * Check @args (a JSON object) against @cmd's keys in wr_api.def: no key it
 * does not take, each value of its type and within its bounds, the
 * required ones there, and (port.add) no key for another port type than
 * the request's, no kernel fast path but for afxdp ports, and (port.add,
 * port.set with vlan_mode) VLAN keys that fit the VLAN mode. 0, or -EINVAL with a sentence naming the key in @msg.
 * What needs the switch's state (a port that exists) is the daemon's.
 */
int wr_api_check(enum wr_api_cmd cmd, struct json_object *args, char *msg, size_t size);

#endif /* WR_API_H */
