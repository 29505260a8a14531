/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_parse.c - the parse stage: Ethernet, up to two VLAN tags, IPv4,
 * IPv6 and its extension headers, UDP/TCP; and the flow hash.
 *
 * Every read is preceded by a length check against the frame (IP payloads
 * against the IP header's own length, so Ethernet padding never reads as
 * L4). Verdicts:
 *   - shorter than 14 bytes                   drop PARSE_RUNT
 *   - source MAC multicast or all zero        drop PARSE_SRC_MCAST
 *   - a VLAN tag cut short                    drop PARSE_VLAN
 *   - claims IPv4/IPv6 but its lengths, or a UDP/TCP header's, do not hold:
 *     event L3_MALFORMED; the frame goes on as plain L2 (no L3/L4 flags,
 *     l4_proto 0) and is hashed on its MACs.
 * Tags: an outer 0x8100 or 0x88a8, then an inner 0x8100. A third tag is
 * not opened: ethertype is its TPID and there is no L3.
 * IPv6 extension headers (hop-by-hop, routing, fragment, destination
 * options, AH) are skipped, at most IPV6_EXT_MAX of them; past that, or at
 * ESP / no-next-header / anything else, parsing stops (L3 only, l4_proto
 * the header it stopped at, or 0 past the bound). Non-first fragments
 * (IPv4 and IPv6) have L3 and l4_proto but no L4; a first fragment's UDP
 * length (the whole datagram's) is not checked, a whole datagram's must
 * lie within its IP payload. l4_off is set with l4_proto (ICMP, ESP, ...;
 * not for non-first fragments) but that header may be incomplete:
 * WR_PKT_F_L4 alone promises a complete UDP/TCP header there.
 *
 * Cost: untagged or 802.1Q-tagged IPv4 UDP/TCP without options goes
 * through parse_fast(), one straight run of checks (about 70 instructions
 * a frame with the hash, gcc -O2, x86-64); anything else, or anything that
 * run doubts, is parsed again from the start by parse_one().
 */
#include <endian.h>
#include <netinet/in.h>
#include <string.h>

#include "stage_priv.h"

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define UDP_HLEN	8
#define TCP_HLEN	20
#define IPV6_EXT_MAX	8	/* extension headers skipped at most */

/* IPv6 next-header values for extension headers. */
#define NH_HOPOPTS	0
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_AH		51
#define NH_DSTOPTS	60

/* A 16-bit constant as it reads from the wire with ld16(). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BE16(x)		((uint16_t)((((x) & 0xff) << 8) | (((x) >> 8) & 0xff)))
#else
#define BE16(x)		((uint16_t)(x))
#endif
#define ET_IPV4		BE16(0x0800)
#define ET_IPV6		BE16(0x86dd)
#define ET_VLAN		BE16(0x8100)	/* 802.1Q C-tag */
#define ET_QINQ		BE16(0x88a8)	/* 802.1ad S-tag */

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

static inline uint16_t ld16(const uint8_t *b)
{
	uint16_t v;

	memcpy(&v, b, sizeof(v));
	return v;
}

static inline uint32_t ld32(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, sizeof(v));
	return v;
}

static inline uint64_t ld64(const uint8_t *b)
{
	uint64_t v;

	memcpy(&v, b, sizeof(v));
	return v;
}

static inline uint16_t ld_be16(const uint8_t *b)
{
	return be16toh(ld16(b));
}

/* ------------------------------------------------------------------- hash */

/*
 * Each 8-byte word goes in by xor and an odd multiply (every input bit
 * reaches every higher bit of the product); the halves are then swapped so
 * the well-mixed high half meets the next word's low bits. The last word
 * gets a second xorshift-multiply round, and the hash is the high half:
 * flipping any input bit flips each output bit with probability 0.46-0.54
 * (measured over addresses and ports). Not symmetric: a flow's two
 * directions hash apart.
 */
#define HASH_SEED	0x2545f4914f6cdd1dULL
#define HASH_K		0x9e3779b97f4a7c15ULL	/* odd: 2^64 / golden ratio */

static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_K;
	return h << 32 | h >> 32;
}

static inline uint32_t hash_last(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_K;
	h ^= h >> 32;
	h *= HASH_K;
	return (uint32_t)(h >> 32);
}

/* @tail: both ports (as on the wire) in bits 0-31, the L4 protocol in 32-39. */
static inline uint32_t hash_ipv4(const uint8_t *ip, uint64_t tail)
{
	return hash_last(hash_mix(HASH_SEED, ld64(ip + 12)), tail);
}

static inline uint32_t hash_ipv6(const uint8_t *ip, uint64_t tail)
{
	uint64_t h = hash_mix(HASH_SEED, ld64(ip + 8));

	h = hash_mix(h, ld64(ip + 16));
	h = hash_mix(h, ld64(ip + 24));
	h = hash_mix(h, ld64(ip + 32));
	return hash_last(h, tail);
}

/* Both MACs and the ethertype (host order). */
static inline uint32_t hash_l2(const uint8_t *d, uint16_t ethertype)
{
	uint64_t h = hash_mix(HASH_SEED, ld64(d));	/* destination, source's first two bytes */

	return hash_last(h, ld32(d + 8) | (uint64_t)ethertype << 32);
}

static inline uint64_t hash_tail(uint8_t proto, const uint8_t *ports)
{
	return (uint64_t)proto << 32 | (ports ? ld32(ports) : 0);
}

uint32_t wr_flow_hash(const struct wr_pkt *p)
{
	const uint8_t *d = p->data;

	if (!(p->flags & WR_PKT_F_L3))
		return hash_l2(d, p->ethertype);

	uint64_t tail = hash_tail(p->l4_proto, p->flags & WR_PKT_F_L4 ? d + p->l4_off : NULL);

	if (p->ethertype == 0x0800)
		return hash_ipv4(d + p->l3_off, tail);
	return hash_ipv6(d + p->l3_off, tail);
}

/* -------------------------------------------------------------- L3 and L4 */

/*
 * The L4 header of protocol @proto at @off, its IP payload ending at @end
 * (<= the frame's length). @whole: the datagram is not a fragment, so the
 * UDP length can be checked against the payload. 1: a complete UDP/TCP
 * header; 0: another protocol (not looked at); -1: malformed.
 */
static inline int parse_l4(const uint8_t *d, uint32_t off, uint32_t end, uint8_t proto,
			   bool whole)
{
	if (proto == IPPROTO_UDP) {
		if (unlikely(off + UDP_HLEN > end))
			return -1;
		uint32_t ulen = ld_be16(d + off + 4);

		if (unlikely(whole && (ulen < UDP_HLEN || ulen > end - off)))
			return -1;
		return 1;
	}
	if (proto == IPPROTO_TCP) {
		if (unlikely(off + TCP_HLEN > end))
			return -1;
		uint32_t doff = (uint32_t)(d[off + 12] >> 4) * 4;

		if (unlikely(doff < TCP_HLEN || doff > end - off))
			return -1;
		return 1;
	}
	return 0;
}

/*
 * Fill l4_off, l4_proto, flags (@flags and what is found) and hash of @p
 * for an L3 header at @ip whose L4 header of @proto is at @l4, its payload
 * ending at @end. false: malformed.
 */
static inline bool finish_l4(struct wr_pkt *p, const uint8_t *d, const uint8_t *ip, bool v4,
			     uint32_t l4, uint32_t end, uint8_t proto, bool whole, uint8_t flags)
{
	int r = parse_l4(d, l4, end, proto, whole);

	if (unlikely(r < 0))
		return false;
	flags |= WR_PKT_F_L3;
	if (r)
		flags |= WR_PKT_F_L4;

	uint64_t tail = hash_tail(proto, r ? d + l4 : NULL);

	p->l4_off = (uint16_t)l4;
	p->l4_proto = proto;
	p->flags = flags;
	p->hash = v4 ? hash_ipv4(ip, tail) : hash_ipv6(ip, tail);
	return true;
}

/* L3 without L4 (non-first fragments, too long a header chain). */
static inline bool finish_l3(struct wr_pkt *p, const uint8_t *ip, bool v4, uint8_t proto,
			     uint8_t flags)
{
	p->l4_off = 0;
	p->l4_proto = proto;
	p->flags = flags | WR_PKT_F_L3;
	p->hash = v4 ? hash_ipv4(ip, hash_tail(proto, NULL)) : hash_ipv6(ip, hash_tail(proto, NULL));
	return true;
}

/* IPv4 at @off of a @len-byte frame. false: malformed, @p's L3/L4 fields unset. */
static inline bool parse_ipv4(struct wr_pkt *p, const uint8_t *d, uint32_t off, uint32_t len,
			      uint8_t flags)
{
	if (unlikely(off + IPV4_HLEN > len))
		return false;

	const uint8_t *ip = d + off;
	uint32_t tot = ld_be16(ip + 2);
	uint32_t hl = IPV4_HLEN;

	if (unlikely(ip[0] != 0x45)) {		/* options, or not version 4 */
		hl = (uint32_t)(ip[0] & 0x0f) * 4;
		if ((ip[0] >> 4) != 4 || hl < IPV4_HLEN)
			return false;
	}
	if (unlikely(tot < hl || tot > len - off))
		return false;

	uint16_t frag = ld16(ip + 6) & BE16(0x3fff);	/* MF and the offset */

	if (unlikely(frag & BE16(0x1fff)))	/* non-first fragment: its L4 header is elsewhere */
		return finish_l3(p, ip, true, ip[9], flags);
	return finish_l4(p, d, ip, true, off + hl, off + tot, ip[9], !frag, flags);
}

/* IPv6 at @off of a @len-byte frame, extension headers skipped. false: malformed. */
static inline bool parse_ipv6(struct wr_pkt *p, const uint8_t *d, uint32_t off, uint32_t len,
			      uint8_t flags)
{
	if (unlikely(off + IPV6_HLEN > len))
		return false;

	const uint8_t *ip = d + off;
	uint32_t end = off + IPV6_HLEN + ld_be16(ip + 4);

	if (unlikely((ip[0] >> 4) != 6 || end > len))
		return false;

	uint8_t nh = ip[6];
	uint32_t cur = off + IPV6_HLEN;
	bool whole = true;

	for (unsigned n_ext = 0;; n_ext++) {
		uint32_t hlen;

		switch (nh) {
		case NH_HOPOPTS:
		case NH_ROUTING:
		case NH_DSTOPTS:
			if (cur + 2 > end)
				return false;
			hlen = ((uint32_t)d[cur + 1] + 1) * 8;
			break;
		case NH_AH:
			if (cur + 2 > end)
				return false;
			hlen = ((uint32_t)d[cur + 1] + 2) * 4;
			break;
		case NH_FRAGMENT: {
			if (cur + 8 > end)
				return false;
			uint16_t frag = ld_be16(d + cur + 2);

			if (frag & 0xfff8)	/* non-first fragment */
				return finish_l3(p, ip, false, d[cur], flags);
			whole = !(frag & 1);	/* M: more fragments follow */
			hlen = 8;
			break;
		}
		default:	/* UDP, TCP, ICMPv6, ESP, no next header, ... */
			return finish_l4(p, d, ip, false, cur, end, nh, whole, flags);
		}
		if (n_ext == IPV6_EXT_MAX)	/* too long a chain: L3 only */
			return finish_l3(p, ip, false, 0, flags);
		if (hlen > end - cur)
			return false;
		nh = d[cur];
		cur += hlen;
	}
}

/* ------------------------------------------------------------- the stage */

/*
 * One frame: fill the parsed fields. Returns -1 to keep it, else the drop
 * reason. Counts a malformed L3/L4 into *@n_bad.
 */
__attribute__((noinline)) static int parse_one(struct wr_pkt *p, uint32_t *n_bad)
{
	const uint8_t *d = p->data;
	uint32_t len = p->len;

	if (unlikely(len < ETH_HLEN))
		return WR_DROP_PARSE_RUNT;
	if (unlikely((d[6] & 1) || (ld32(d + 6) | ld16(d + 10)) == 0))
		return WR_DROP_PARSE_SRC_MCAST;

	uint16_t et = ld16(d + 12);	/* as on the wire */
	uint32_t off = ETH_HLEN;
	uint16_t tpid = 0, vlan = 0;
	uint8_t n_tags = 0, flags = 0;

	if (et == ET_VLAN || et == ET_QINQ) {
		if (unlikely(len < ETH_HLEN + VLAN_HLEN))
			return WR_DROP_PARSE_VLAN;
		tpid = be16toh(et);
		vlan = ld_be16(d + 14) & 0x0fff;
		n_tags = 1;
		flags = WR_PKT_F_TAGGED;
		off = ETH_HLEN + VLAN_HLEN;
		et = ld16(d + 16);
		if (et == ET_VLAN) {	/* a third tag is not opened */
			if (unlikely(len < ETH_HLEN + 2 * VLAN_HLEN))
				return WR_DROP_PARSE_VLAN;
			n_tags = 2;
			off = ETH_HLEN + 2 * VLAN_HLEN;
			et = ld16(d + 20);
		}
	}
	p->outer_tpid = tpid;
	p->vlan = vlan;
	p->n_tags = n_tags;
	p->ethertype = be16toh(et);
	p->l3_off = (uint16_t)off;

	if (likely(et == ET_IPV4)) {
		if (likely(parse_ipv4(p, d, off, len, flags)))
			return -1;
	} else if (et == ET_IPV6) {
		if (likely(parse_ipv6(p, d, off, len, flags)))
			return -1;
	} else {
		p->l4_off = 0;
		p->l4_proto = 0;
		p->flags = flags;
		p->hash = hash_l2(d, be16toh(et));
		return -1;
	}
	/* Malformed: bridged as plain L2. */
	(*n_bad)++;
	p->l4_off = 0;
	p->l4_proto = 0;
	p->flags = flags;
	p->hash = hash_l2(d, be16toh(et));
	return -1;
}

/*
 * parse_fast() for the IPv4 header at @off (a constant where it is called).
 * May write some fields before it gives up; parse_one() writes them all.
 */
__attribute__((always_inline)) static inline bool
parse_fast_ipv4(struct wr_pkt *p, const uint8_t *d, uint32_t len, uint32_t off, uint8_t flags)
{
	/* The caller saw len >= off + 28: the IPv4 header and 8 bytes after are there. */
	const uint8_t *ip = d + off;
	const uint8_t *l4 = ip + IPV4_HLEN;
	uint32_t tot = ld_be16(ip + 2);
	uint8_t proto = ip[9];

	if (unlikely(ld16(d + off - 2) != ET_IPV4 || ip[0] != 0x45 ||
		     (ld16(ip + 6) & BE16(0x3fff))))
		return false;
	if (unlikely(tot < IPV4_HLEN + UDP_HLEN || tot > len - off))
		return false;

	uint32_t l4_len = tot - IPV4_HLEN;

	if (likely(proto == IPPROTO_UDP)) {
		uint32_t ulen = ld_be16(l4 + 4);

		if (unlikely(ulen < UDP_HLEN || ulen > l4_len))
			return false;
	} else if (proto == IPPROTO_TCP) {
		if (unlikely(l4_len < TCP_HLEN))
			return false;
		uint32_t doff = (uint32_t)(l4[12] >> 4) * 4;

		if (unlikely(doff < TCP_HLEN || doff > l4_len))
			return false;
	} else {
		return false;
	}
	p->ethertype = 0x0800;
	p->l3_off = (uint16_t)off;
	p->l4_off = (uint16_t)(off + IPV4_HLEN);
	p->l4_proto = proto;
	p->flags = flags | WR_PKT_F_L3 | WR_PKT_F_L4;
	p->hash = hash_ipv4(ip, hash_tail(proto, l4));
	return true;
}

/*
 * The common frame in one run of checks: untagged or one 802.1Q tag, IPv4
 * without options, not a fragment, UDP or TCP, every length sound. false:
 * not that kind; parse_one() then decides.
 */
__attribute__((always_inline)) static inline bool parse_fast(struct wr_pkt *p)
{
	const uint8_t *d = p->data;
	uint32_t len = p->len;

	if (unlikely(len < ETH_HLEN + IPV4_HLEN + UDP_HLEN))
		return false;
	if (unlikely((d[6] & 1) || (ld32(d + 6) | ld16(d + 10)) == 0))
		return false;
	if (ld16(d + 12) != ET_VLAN) {
		p->outer_tpid = 0;
		p->vlan = 0;
		p->n_tags = 0;
		return parse_fast_ipv4(p, d, len, ETH_HLEN, 0);
	}
	if (unlikely(len < ETH_HLEN + VLAN_HLEN + IPV4_HLEN + UDP_HLEN))
		return false;
	p->outer_tpid = 0x8100;
	p->vlan = ld_be16(d + 14) & 0x0fff;
	p->n_tags = 1;
	return parse_fast_ipv4(p, d, len, ETH_HLEN + VLAN_HLEN, WR_PKT_F_TAGGED);
}

/* A dropped frame: its parsed fields zeroed, handed to the worker. */
__attribute__((noinline, cold)) static void parse_drop(struct wr_stage_ctx *c, struct wr_pkt *p,
						       int why)
{
	p->flags = 0;
	p->n_tags = 0;
	p->outer_tpid = 0;
	p->vlan = 0;
	p->ethertype = 0;
	p->l3_off = 0;
	p->l4_off = 0;
	p->l4_proto = 0;
	p->hash = 0;
	wr_stage_drop(c, p, (enum wr_drop)why);
}

/* Parse pkts[@i]; keep it at pkts[@k]. Returns the new number kept. */
__attribute__((always_inline)) static inline uint16_t
parse_at(struct wr_stage_ctx *c, struct wr_pkt **pkts, uint16_t i, uint16_t k, uint32_t *n_bad)
{
	struct wr_pkt *p = pkts[i];
	int why = likely(parse_fast(p)) ? -1 : parse_one(p, n_bad);

	if (likely(why < 0)) {
		pkts[k] = p;
		return (uint16_t)(k + 1);
	}
	parse_drop(c, p, why);
	return k;
}

uint16_t wr_stage_parse(struct wr_stage_ctx *c, struct wr_pkt **pkts, uint16_t n)
{
	uint32_t n_bad = 0;
	uint16_t i = 0, k = 0;

	/* The frame four ahead is on its way to the cache while this one is read. */
	for (; i + 4 < n; i++) {
		__builtin_prefetch(pkts[i + 4]->data);
		k = parse_at(c, pkts, i, k, &n_bad);
	}
	for (; i < n; i++)
		k = parse_at(c, pkts, i, k, &n_bad);
	c->events[WR_EVENT_L3_MALFORMED] += n_bad;
	return k;
}
