/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * overlay.c - the VXLAN and Geneve header codec: encap templates, per-frame
 * encap, per-frame decap (overlay_priv.h says what each promises).
 *
 * Checksums are one's complement sums of the bytes as they sit in memory,
 * 8 bytes at a time with the carry added back in: RFC 1071 shows such a
 * sum is the byte-swapped network-order sum on a little-endian machine, so
 * the folded result is stored as it is, and constants (lengths, protocol)
 * are added as they read from the wire (htobe16). Encap adds to the
 * template's precomputed sum only what changes per frame: the lengths,
 * the source port and the inner frame.
 *
 * Decap's verdicts: a frame is the tunnel's once it is IPv4/IPv6 to the
 * local address, UDP, to the tunnel's port. Before that anything else is
 * the kernel's (WR_TUN_NOT_MINE): ARP, ND, other addresses, other ports,
 * non-first fragments (their port is unknown); but an IP header too short
 * or malformed to tell is dropped, as the kernel would drop it. After
 * that every fault is its own drop reason.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "overlay_priv.h"

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define UDP_HLEN	8
#define TUN_HLEN	8	/* VXLAN, and Geneve before its options */
#define IPV6_EXT_MAX	8	/* extension headers walked at most */
#define PROTO_UDP	17

#define VXLAN_F_I	0x08	/* the VNI is valid */
#define GENEVE_F_O	0x80	/* control frame */
#define GENEVE_F_C	0x40	/* critical options present */

/* Internal verdicts of the decap steps; a value >= 0 is an enum wr_drop. */
#define GO		(-1)
#define NOT_MINE	(-2)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Unaligned loads and stores: frames sit at any offset (UBSan holds us to it). */
static inline uint16_t ld16(const uint8_t *b) { uint16_t v; memcpy(&v, b, 2); return v; }
static inline uint32_t ld32(const uint8_t *b) { uint32_t v; memcpy(&v, b, 4); return v; }
static inline uint64_t ld64(const uint8_t *b) { uint64_t v; memcpy(&v, b, 8); return v; }
static inline void st16(uint8_t *b, uint16_t v) { memcpy(b, &v, 2); }
static inline uint16_t ld_be16(const uint8_t *b) { return be16toh(ld16(b)); }

/* ------------------------------------------------------------- checksums */

static inline uint64_t csum_add(uint64_t s, uint64_t w)
{
	s += w;
	return s + (s < w);	/* end-around carry */
}

/* @s plus the sum of @n bytes at @b, whose first byte starts a 16-bit word. */
static uint64_t csum_bytes(const uint8_t *b, uint32_t n, uint64_t s)
{
	uint64_t s2 = 0;	/* a second chain: two adds in flight */

	for (; n >= 16; b += 16, n -= 16) {
		s = csum_add(s, ld64(b));
		s2 = csum_add(s2, ld64(b + 8));
	}
	s = csum_add(s, s2);
	if (n >= 8) {
		s = csum_add(s, ld64(b));
		b += 8, n -= 8;
	}
	if (n >= 4) {
		s = csum_add(s, ld32(b));
		b += 4, n -= 4;
	}
	if (n >= 2) {
		s = csum_add(s, ld16(b));
		b += 2, n -= 2;
	}
	if (n) {
		uint8_t last[2] = { b[0], 0 };	/* an odd byte is the high half of a word */

		s = csum_add(s, ld16(last));
	}
	return s;
}

/* @s plus @n 8-byte words at @b: for fixed sizes, unrolled where it is called. */
__attribute__((always_inline)) static inline uint64_t csum_words(const uint8_t *b, unsigned n,
								 uint64_t s)
{
	for (unsigned i = 0; i < n; i++)
		s = csum_add(s, ld64(b + 8 * i));
	return s;
}

static inline uint16_t csum_fold(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* ----------------------------------------------------------------- encap */

void wr_tun_params_init(struct wr_tun_params *p, enum wr_tunnel_type type)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->sport_min = WR_TUN_SPORT_MIN;
	p->sport_max = WR_TUN_SPORT_MAX;
	p->udp_csum = true;
	p->flow_label = true;
}

/* Bytes of Geneve options @p adds, or -EINVAL. */
static int opts_size(const struct wr_tun_params *p)
{
	int size = 0;

	if (p->n_opts && p->type != WR_TUNNEL_GENEVE)
		return -EINVAL;
	for (unsigned i = 0; i < p->n_opts; i++) {
		const struct wr_geneve_opt *o = &p->opts[i];

		if (o->len % 4 || o->len > WR_GENEVE_OPT_DATA_MAX || (o->len && !o->data))
			return -EINVAL;
		size += 4 + o->len;
	}
	return size <= WR_GENEVE_OPTS_MAX ? size : -EINVAL;
}

/* The outer IP header at @b, lengths zero; returns its size. */
static unsigned build_ip(const struct wr_tun_params *p, uint8_t *b)
{
	if (p->ipv6) {
		b[0] = 0x60;			/* version; class and flow label 0 */
		b[6] = PROTO_UDP;
		b[7] = WR_TUN_TTL;
		memcpy(b + 8, p->src_ip, 16);
		memcpy(b + 24, p->dst_ip, 16);
		return IPV6_HLEN;
	}
	b[0] = 0x45;
	b[6] = 0x40;				/* DF; id 0 as RFC 6864 allows for atomic datagrams */
	b[8] = WR_TUN_TTL;
	b[9] = PROTO_UDP;
	memcpy(b + 12, p->src_ip, 4);
	memcpy(b + 16, p->dst_ip, 4);
	st16(b + 10, (uint16_t)~csum_fold(csum_bytes(b, IPV4_HLEN, 0)));	/* for length 0 */
	return IPV4_HLEN;
}

/* The VXLAN or Geneve header at @b, options @size bytes; returns its size. */
static unsigned build_tun(const struct wr_tun_params *p, uint8_t *b, unsigned size)
{
	uint32_t vni = htobe32(p->vni << 8);

	memcpy(b + 4, &vni, 4);
	if (p->type == WR_TUNNEL_VXLAN) {
		b[0] = VXLAN_F_I;
		return TUN_HLEN;
	}
	b[0] = (uint8_t)(size / 4);		/* version 0, option length in words */
	st16(b + 2, htobe16(WR_GENEVE_ETH));
	for (unsigned i = 0, off = TUN_HLEN; i < p->n_opts; i++) {
		const struct wr_geneve_opt *o = &p->opts[i];

		st16(b + off, htobe16(o->cls));
		b[off + 2] = o->type;
		b[off + 3] = (uint8_t)(o->len / 4);
		if (o->len)
			memcpy(b + off + 4, o->data, o->len);
		off += 4 + o->len;
		if (o->type & WR_GENEVE_CRIT)
			b[1] = GENEVE_F_C;	/* RFC 8926 3.4: set when any option is critical */
	}
	return TUN_HLEN + size;
}

int wr_tun_hdr_build(const struct wr_tun_params *p, struct wr_tun_hdr *out)
{
	int size = opts_size(p);
	unsigned alen = p->ipv6 ? 16 : 4;

	if (size < 0 || p->vni > WR_VNI_LAST || !p->sport_min || p->sport_min > p->sport_max)
		return -EINVAL;
	memset(out, 0, sizeof(*out));

	uint8_t *b = out->bytes;

	memcpy(b, p->dst_mac, 6);
	memcpy(b + 6, p->src_mac, 6);
	st16(b + 12, htobe16(p->ipv6 ? 0x86dd : 0x0800));

	unsigned l4 = ETH_HLEN + build_ip(p, b + ETH_HLEN);

	st16(b + l4 + 2, htobe16(wr_tunnel_port(p->type, p->dst_port)));
	out->len = (uint8_t)(l4 + UDP_HLEN + build_tun(p, b + l4 + UDP_HLEN, (unsigned)size));
	out->l4_off = (uint8_t)l4;
	out->ipv6 = p->ipv6;
	out->udp_csum = p->udp_csum || p->ipv6;	/* RFC 8200 8.1: IPv6 needs it */
	out->flow_label = p->ipv6 && p->flow_label;
	out->sport_min = p->sport_min;
	out->sport_span = (uint32_t)p->sport_max - p->sport_min + 1;

	/* The pseudo-header's addresses and protocol, and UDP's and the tunnel's constants. */
	uint64_t s = csum_bytes(p->src_ip, alen, htobe16(PROTO_UDP));

	s = csum_bytes(p->dst_ip, alen, s);
	out->udp_sum = csum_fold(csum_bytes(b + l4, out->len - l4, s));
	return 0;
}

/*
 * The template to @d: two fixed-size copies that overlap rather than one of
 * variable size (which gcc makes a rep movs, slow to start for 50 bytes).
 */
static inline void copy_hdr(uint8_t *d, const uint8_t *b, uint32_t n)
{
	_Static_assert(14 + 20 + 8 + 8 >= 32 && WR_TUN_HDR_MAX <= 128, "copy_hdr's two halves");
	if (n <= 64) {
		memcpy(d, b, 32);
		memcpy(d + n - 32, b + n - 32, 32);
	} else {
		memcpy(d, b, 64);
		memcpy(d + n - 64, b + n - 64, 64);
	}
}

/* The outer IP header's lengths (and IPv4 checksum, IPv6 flow label) for a UDP datagram of @ulen. */
static inline void encap_ip(const struct wr_tun_hdr *h, uint8_t *ip, uint32_t ulen, uint32_t hash)
{
	if (h->ipv6) {
		st16(ip + 4, htobe16((uint16_t)ulen));
		if (h->flow_label) {
			uint32_t w = htobe32(0x60000000 | (hash & 0xfffff));

			memcpy(ip, &w, 4);
		}
		return;
	}

	uint16_t tot = htobe16((uint16_t)(ulen + IPV4_HLEN));
	uint64_t s = (uint16_t)~ld16(ip + 10);	/* RFC 1624: HC' = ~(~HC + m'), m was 0 */

	st16(ip + 2, tot);
	st16(ip + 10, (uint16_t)~csum_fold(s + tot));
}

int wr_tun_encap(const struct wr_tun_hdr *h, struct wr_pkt *p, uint16_t headroom, uint16_t mtu,
		 enum wr_drop *why)
{
	uint32_t hl = h->len;
	uint32_t ip_len = hl - ETH_HLEN + p->len;

	if (unlikely(headroom < hl)) {
		*why = WR_DROP_TUN_NO_HEADROOM;
		return -1;
	}
	if (unlikely(ip_len > mtu || ip_len + ETH_HLEN > UINT16_MAX)) {
		*why = WR_DROP_TUN_TOO_BIG;
		return -1;
	}

	uint8_t *d = p->data - hl;
	uint8_t *udp = d + h->l4_off;
	uint32_t ulen = hl - h->l4_off + p->len;
	uint16_t sport = htobe16(wr_tun_sport(h, p->hash));
	uint16_t be_ulen = htobe16((uint16_t)ulen);

	copy_hdr(d, h->bytes, hl);
	encap_ip(h, d + ETH_HLEN, ulen, p->hash);
	st16(udp, sport);
	st16(udp + 4, be_ulen);
	if (h->udp_csum) {
		/* The pseudo-header's length and the UDP header's: the same number twice. */
		uint64_t s = (uint64_t)h->udp_sum + 2u * be_ulen + sport;
		uint16_t c = (uint16_t)~csum_fold(csum_bytes(p->data, p->len, s));

		st16(udp + 6, c ? c : 0xffff);	/* RFC 768: 0 means none */
	}
	p->data = d;
	p->len = (uint16_t)(p->len + hl);
	return 0;
}

/* ----------------------------------------------------------------- decap */

void wr_tun_rx_conf_init(struct wr_tun_rx_conf *c, enum wr_tunnel_type type)
{
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->dst_port = wr_tunnel_port(type, 0);
	c->verify_udp_csum = true;
}

/* wr_geneve_opt_next(), inlined into decap's walk. */
static inline int opt_next(const uint8_t *opts, uint32_t len, uint16_t *off,
			   struct wr_geneve_opt *o)
{
	uint32_t at = *off;

	if (at >= len)
		return 0;
	if (len - at < 4)
		return -1;
	o->cls = ld_be16(opts + at);
	o->type = opts[at + 2];
	o->len = (uint8_t)((opts[at + 3] & 0x1f) * 4);	/* the top 3 bits are reserved */
	if (o->len > len - at - 4)
		return -1;
	o->data = opts + at + 4;
	*off = (uint16_t)(at + 4 + o->len);
	return 1;
}

int wr_geneve_opt_next(const uint8_t *opts, uint16_t len, uint16_t *off,
		       struct wr_geneve_opt *o)
{
	return opt_next(opts, len, off, o);
}

/* Where one decap is: offsets into the frame, the pseudo-header's sum. */
struct rx {
	const uint8_t *d;
	uint32_t l4;		/* the UDP header */
	uint32_t end;		/* the end of the IP payload, then of the UDP datagram */
	uint64_t pseudo;	/* the pseudo-header's addresses */
};

/* IPv4 at @off: the tunnel's, not, or broken. */
static int rx_ipv4(const struct wr_tun_rx_conf *conf, struct rx *x, uint32_t off, uint32_t len,
		   struct wr_tun_rx *out)
{
	const uint8_t *ip = x->d + off;

	if (unlikely(off + IPV4_HLEN > len))
		return WR_DROP_TUN_RUNT;

	uint32_t hl = (uint32_t)(ip[0] & 0x0f) * 4, tot = ld_be16(ip + 2);

	if (unlikely((ip[0] >> 4) != 4 || hl < IPV4_HLEN || tot < hl))
		return WR_DROP_TUN_BAD_IP;
	if (unlikely(tot > len - off))
		return WR_DROP_TUN_RUNT;
	if (ld32(ip + 16) != ld32(conf->local_ip) || ip[9] != PROTO_UDP)
		return NOT_MINE;

	uint16_t frag = ld_be16(ip + 6) & 0x3fff;	/* MF and the offset */

	if (frag & 0x1fff)
		return NOT_MINE;	/* no UDP header here: its port is unknown */
	if (unlikely(hl + UDP_HLEN > tot))
		return WR_DROP_TUN_RUNT;
	if (ld_be16(ip + hl + 2) != conf->dst_port)
		return NOT_MINE;
	if (unlikely(frag))
		return WR_DROP_TUN_FRAGMENT;
	uint64_t s = likely(hl == IPV4_HLEN) ? csum_add(csum_words(ip, 2, 0), ld32(ip + 16)) :
		     csum_bytes(ip, hl, 0);

	if (unlikely(csum_fold(s) != 0xffff))
		return WR_DROP_TUN_BAD_IP;
	memset(out->src_ip, 0, sizeof(out->src_ip));
	memcpy(out->src_ip, ip + 12, 4);
	out->ipv6 = false;
	x->l4 = off + hl;
	x->end = off + tot;
	x->pseudo = ld64(ip + 12);
	return GO;
}

/*
 * IPv6 extension headers from @cur, the first of type @nh: the port of the
 * UDP datagram behind them says whether the packet was the tunnel's (then a
 * drop: not supported), or the kernel's.
 */
static int rx_ipv6_ext(const struct wr_tun_rx_conf *conf, const uint8_t *d, uint32_t cur,
		       uint32_t end, uint8_t nh)
{
	bool frag = false;

	for (unsigned n = 0; n <= IPV6_EXT_MAX; n++) {
		uint32_t hlen;

		if (nh == PROTO_UDP) {
			if (cur + UDP_HLEN > end)
				return WR_DROP_TUN_RUNT;
			if (ld_be16(d + cur + 2) != conf->dst_port)
				return NOT_MINE;
			return frag ? WR_DROP_TUN_FRAGMENT : WR_DROP_TUN_IPV6_EXT;
		}
		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 44:	/* fragment */
		case 51:	/* AH */
		case 60:	/* destination options */
			break;
		default:	/* ICMPv6 (ND), TCP, ESP, ...: the kernel's */
			return NOT_MINE;
		}
		if (cur + 8 > end)	/* every extension header is 8 bytes or more */
			return WR_DROP_TUN_RUNT;
		if (nh == 44) {
			if (ld_be16(d + cur + 2) & 0xfff8)
				return NOT_MINE;	/* not the first fragment: no UDP header */
			frag = true;
			hlen = 8;
		} else if (nh == 51) {
			hlen = ((uint32_t)d[cur + 1] + 2) * 4;
		} else {
			hlen = ((uint32_t)d[cur + 1] + 1) * 8;
		}
		if (hlen > end - cur)
			return WR_DROP_TUN_RUNT;
		nh = d[cur];
		cur += hlen;
	}
	return NOT_MINE;
}

/* IPv6 at @off: the tunnel's, not, or broken. */
static int rx_ipv6(const struct wr_tun_rx_conf *conf, struct rx *x, uint32_t off, uint32_t len,
		   struct wr_tun_rx *out)
{
	const uint8_t *ip = x->d + off;

	if (unlikely(off + IPV6_HLEN > len))
		return WR_DROP_TUN_RUNT;
	if (unlikely((ip[0] >> 4) != 6))
		return WR_DROP_TUN_BAD_IP;

	uint32_t l4 = off + IPV6_HLEN, end = l4 + ld_be16(ip + 4);

	if (unlikely(end > len))
		return WR_DROP_TUN_RUNT;
	if (memcmp(ip + 24, conf->local_ip, 16) != 0)
		return NOT_MINE;
	if (ip[6] != PROTO_UDP)
		return rx_ipv6_ext(conf, x->d, l4, end, ip[6]);
	if (unlikely(l4 + UDP_HLEN > end))
		return WR_DROP_TUN_RUNT;
	if (ld_be16(ip + IPV6_HLEN + 2) != conf->dst_port)
		return NOT_MINE;
	memcpy(out->src_ip, ip + 8, 16);
	out->ipv6 = true;
	x->l4 = l4;
	x->end = end;
	x->pseudo = csum_words(ip + 8, 4, 0);
	return GO;
}

/* The UDP header of a datagram that is the tunnel's: length and checksum. */
static int rx_udp(const struct wr_tun_rx_conf *conf, struct rx *x, struct wr_tun_rx *out)
{
	const uint8_t *udp = x->d + x->l4;
	uint16_t ulen = ld_be16(udp + 4);

	if (unlikely(ulen < UDP_HLEN || ulen > x->end - x->l4))
		return WR_DROP_TUN_BAD_UDP;
	x->end = x->l4 + ulen;		/* what follows is padding */
	if (ld16(udp + 6) == 0) {
		if (unlikely(out->ipv6 && !conf->udp6_zero_csum))
			return WR_DROP_TUN_UDP_CSUM;
	} else if (conf->verify_udp_csum) {
		uint64_t s = csum_add(x->pseudo, (uint64_t)htobe16(PROTO_UDP) + htobe16(ulen));

		if (unlikely(csum_fold(csum_bytes(udp, ulen, s)) != 0xffff))
			return WR_DROP_TUN_UDP_CSUM;
	}
	out->src_port = ld_be16(udp);
	return GO;
}

static bool geneve_known(const struct wr_tun_rx_conf *conf, const struct wr_geneve_opt *o)
{
	for (unsigned i = 0; i < conf->n_known && i < WR_GENEVE_KNOWN_MAX; i++)
		if (conf->known[i].cls == o->cls && conf->known[i].type == o->type)
			return true;
	return false;
}

/* Geneve at @g: header, options; sets out's VNI, options and inner_off. */
static int rx_geneve(const struct wr_tun_rx_conf *conf, const struct rx *x, uint32_t g,
		     struct wr_tun_rx *out)
{
	const uint8_t *h = x->d + g;
	uint32_t opts_len = (uint32_t)(h[0] & 0x3f) * 4;

	if (unlikely(h[0] >> 6))
		return WR_DROP_GENEVE_VERSION;
	if (unlikely(opts_len > x->end - g - TUN_HLEN))
		return WR_DROP_GENEVE_OPT_LEN;
	if (unlikely(h[1] & GENEVE_F_O))
		return WR_DROP_GENEVE_OAM;
	if (unlikely(ld16(h + 2) != htobe16(WR_GENEVE_ETH)))
		return WR_DROP_GENEVE_PROTO;

	struct wr_geneve_opt o;
	uint16_t at = 0;
	uint8_t n = 0;
	int r;

	/* Options' critical bits are read whatever the C bit says: it is the sender's claim. */
	while ((r = opt_next(h + TUN_HLEN, opts_len, &at, &o)) > 0) {
		n++;
		if (unlikely((o.type & WR_GENEVE_CRIT) && !geneve_known(conf, &o)))
			return WR_DROP_GENEVE_CRITICAL;
	}
	if (unlikely(r < 0))
		return WR_DROP_GENEVE_OPT_LEN;
	out->critical = h[1] & GENEVE_F_C;
	out->opts_off = (uint16_t)(g + TUN_HLEN);
	out->opts_len = (uint8_t)opts_len;
	out->n_opts = n;
	out->inner_off = (uint16_t)(g + TUN_HLEN + opts_len);
	return GO;
}

/* The tunnel header after the UDP header, and the inner frame. */
static int rx_tun(const struct wr_tun_rx_conf *conf, const struct rx *x, struct wr_tun_rx *out)
{
	uint32_t t = x->l4 + UDP_HLEN;
	const uint8_t *h = x->d + t;

	if (unlikely(t + TUN_HLEN > x->end))
		return WR_DROP_TUN_RUNT;
	out->vni = be32toh(ld32(h + 4)) >> 8;
	out->critical = false;
	out->opts_off = 0;
	out->opts_len = 0;
	out->n_opts = 0;
	if (conf->type == WR_TUNNEL_VXLAN) {
		/* RFC 7348 5: the other flag and reserved bits are ignored on receipt. */
		if (unlikely(!(h[0] & VXLAN_F_I)))
			return WR_DROP_VXLAN_FLAGS;
		out->inner_off = (uint16_t)(t + TUN_HLEN);
	} else {
		int r = rx_geneve(conf, x, t, out);

		if (r != GO)
			return r;
	}
	if (unlikely(x->end - out->inner_off < ETH_HLEN))
		return WR_DROP_TUN_INNER_RUNT;
	out->inner_len = (uint16_t)(x->end - out->inner_off);
	return GO;
}

/* The outer frame: Ethernet and IP, UDP, tunnel header. */
static int rx_frame(const struct wr_tun_rx_conf *conf, const uint8_t *d, uint32_t len,
		    struct wr_tun_rx *out)
{
	struct rx x = { .d = d };
	uint32_t off = ETH_HLEN;
	int r;

	if (unlikely(len < ETH_HLEN))
		return WR_DROP_TUN_RUNT;

	uint16_t et = ld_be16(d + 12);

	out->vlan = 0;
	if (et == 0x8100) {
		if (unlikely(len < ETH_HLEN + VLAN_HLEN))
			return WR_DROP_TUN_RUNT;
		out->vlan = ld_be16(d + 14) & 0x0fff;
		et = ld_be16(d + 16);
		off += VLAN_HLEN;
	}
	if (et == 0x0800 && !conf->ipv6)
		r = rx_ipv4(conf, &x, off, len, out);
	else if (et == 0x86dd && conf->ipv6)
		r = rx_ipv6(conf, &x, off, len, out);
	else
		return NOT_MINE;
	if (r == GO)
		r = rx_udp(conf, &x, out);
	if (r == GO)
		r = rx_tun(conf, &x, out);
	return r;
}

int wr_tun_decap(const struct wr_tun_rx_conf *conf, const uint8_t *frame, uint16_t len,
		 struct wr_tun_rx *out, enum wr_drop *why)
{
	int r = rx_frame(conf, frame, len, out);

	if (likely(r == GO))
		return WR_TUN_DECAP;
	if (r == NOT_MINE)
		return WR_TUN_NOT_MINE;
	*why = (enum wr_drop)r;
	return WR_TUN_DROP;
}
