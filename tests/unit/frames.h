/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * frames.h - build test frames byte by byte (Ethernet, VLAN tags, IPv4,
 * IPv6 and its extension headers, UDP, TCP) and note where each header
 * starts, so that tests can cut them and fix their lengths. Tests only.
 *
 *	struct fb f = FB_INIT;
 *	fb_eth(&f, FB_SRC);
 *	fb_et(&f, 0x0800);
 *	fb_ipv4(&f, IPPROTO_UDP, 5, 0);
 *	fb_udp(&f, 1000, 2000, 18, 0);
 *	fb_ip_done(&f);
 */
#ifndef WR_TEST_FRAMES_H
#define WR_TEST_FRAMES_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FB_MAX 2048

struct fb {
	uint8_t b[FB_MAX];
	uint16_t n;		/* bytes so far */
	uint16_t tags_end;	/* where the ethertype after the tags ends (L3 starts) */
	uint16_t l3;		/* the IP header (0: none) */
	uint8_t ipver;		/* 4, 6 or 0 */
	bool frag;		/* the datagram is a fragment (UDP length not checked) */
	uint16_t l4;		/* the L4 header (0: none) */
	uint16_t udp;		/* a UDP header whose length can be fixed (0: none) */
	uint16_t need;		/* bytes needed for a whole parse once lengths are fixed */
	uint16_t ip_end;	/* end of the IP datagram (padding may follow) */
};

#define FB_INIT { .n = 0 }

static const uint8_t FB_DST[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t FB_SRC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static inline void fb_put(struct fb *f, const void *p, size_t n)
{
	assert(f->n + n <= FB_MAX);
	memcpy(f->b + f->n, p, n);
	f->n = (uint16_t)(f->n + n);
}

static inline void fb_fill(struct fb *f, uint8_t byte, size_t n)
{
	assert(f->n + n <= FB_MAX);
	memset(f->b + f->n, byte, n);
	f->n = (uint16_t)(f->n + n);
}

static inline void fb_u8(struct fb *f, uint8_t v)
{
	fb_put(f, &v, 1);
}

static inline void fb_be16(struct fb *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	fb_put(f, b, 2);
}

static inline void fb_be32(struct fb *f, uint32_t v)
{
	fb_be16(f, (uint16_t)(v >> 16));
	fb_be16(f, (uint16_t)v);
}

static inline void set_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline uint16_t get_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Destination FB_DST (unicast) and source @src. */
static inline void fb_eth(struct fb *f, const uint8_t src[6])
{
	fb_put(f, FB_DST, 6);
	fb_put(f, src, 6);
}

static inline void fb_tag(struct fb *f, uint16_t tpid, uint16_t tci)
{
	fb_be16(f, tpid);
	fb_be16(f, tci);
}

/* The ethertype after the tags: L3 starts here. */
static inline void fb_et(struct fb *f, uint16_t et)
{
	fb_be16(f, et);
	f->tags_end = f->n;
	f->need = f->n;
}

/* IPv4 10.0.0.1 → 10.0.0.2 with @ihl (options NOPs), @frag (flags+offset). */
static inline void fb_ipv4(struct fb *f, uint8_t proto, uint8_t ihl, uint16_t frag)
{
	f->l3 = f->n;
	f->ipver = 4;
	f->frag = (frag & 0x3fff) != 0;	/* MF or an offset; DF alone is no fragment */
	fb_u8(f, (uint8_t)(0x40 | (ihl & 0x0f)));
	fb_u8(f, 0);
	fb_be16(f, 0);		/* total length: fb_ip_done() */
	fb_be16(f, 0x1234);
	fb_be16(f, frag);
	fb_u8(f, 64);
	fb_u8(f, proto);
	fb_be16(f, 0);
	fb_be32(f, 0x0a000001);
	fb_be32(f, 0x0a000002);
	if (ihl > 5)
		fb_fill(f, 0x01, (size_t)(ihl - 5) * 4);
	f->need = f->n;
}

/* IPv6 2001:db8::1 → 2001:db8::2, next header @nh. */
static inline void fb_ipv6(struct fb *f, uint8_t nh)
{
	static const uint8_t a1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t a2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	f->l3 = f->n;
	f->ipver = 6;
	fb_be32(f, 0x60000000);
	fb_be16(f, 0);		/* payload length: fb_ip_done() */
	fb_u8(f, nh);
	fb_u8(f, 64);
	fb_put(f, a1, 16);
	fb_put(f, a2, 16);
	f->need = f->n;
}

/* An extension header of @bytes in all, its length field @len_field. */
static inline void fb_ext6(struct fb *f, uint8_t next, uint8_t len_field, size_t bytes)
{
	fb_u8(f, next);
	fb_u8(f, len_field);
	fb_fill(f, 0, bytes - 2);
	f->need = f->n;
}

/* Hop-by-hop / routing / destination options of (@len_field + 1) * 8 bytes. */
static inline void fb_opts6(struct fb *f, uint8_t next, uint8_t len_field)
{
	fb_ext6(f, next, len_field, ((size_t)len_field + 1) * 8);
}

/* AH of (@len_field + 2) * 4 bytes. */
static inline void fb_ah6(struct fb *f, uint8_t next, uint8_t len_field)
{
	fb_ext6(f, next, len_field, ((size_t)len_field + 2) * 4);
}

/* Fragment header: @offset in 8-byte units, @more. */
static inline void fb_frag6(struct fb *f, uint8_t next, uint16_t offset, bool more)
{
	fb_u8(f, next);
	fb_u8(f, 0);
	fb_be16(f, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	fb_be32(f, 0xcafe);
	f->frag = more || offset;	/* else an atomic fragment: a whole datagram */
	f->need = f->n;
}

/* UDP with @payload bytes; @ulen 0: the true length, else this one. */
static inline void fb_udp(struct fb *f, uint16_t sport, uint16_t dport, size_t payload,
			  uint16_t ulen)
{
	f->l4 = f->n;
	f->udp = f->frag ? 0 : f->n;
	fb_be16(f, sport);
	fb_be16(f, dport);
	fb_be16(f, ulen ? ulen : (uint16_t)(8 + payload));
	fb_be16(f, 0);
	f->need = f->n;
	fb_fill(f, 0xab, payload);
}

/* TCP with data offset @doff (options NOPs when > 5) and @payload bytes. */
static inline void fb_tcp(struct fb *f, uint16_t sport, uint16_t dport, uint8_t doff,
			  size_t payload)
{
	f->l4 = f->n;
	fb_be16(f, sport);
	fb_be16(f, dport);
	fb_be32(f, 1);
	fb_be32(f, 0);
	fb_u8(f, (uint8_t)(doff << 4));
	fb_u8(f, 0x02);		/* SYN */
	fb_be16(f, 65535);
	fb_be16(f, 0);
	fb_be16(f, 0);
	if (doff > 5)
		fb_fill(f, 0x01, (size_t)(doff - 5) * 4);
	f->need = f->n;
	fb_fill(f, 0xcd, payload);
}

/* Another L4 (ICMP, ESP, ...): its header is not checked. */
static inline void fb_l4_other(struct fb *f, size_t bytes)
{
	f->l4 = f->n;
	f->need = f->n;
	fb_fill(f, 0x77, bytes);
}

/* The IP datagram ends here: fix its length field. */
static inline void fb_ip_done(struct fb *f)
{
	f->ip_end = f->n;
	if (f->ipver == 4)
		set_be16(f->b + f->l3 + 2, (uint16_t)(f->n - f->l3));
	else if (f->ipver == 6)
		set_be16(f->b + f->l3 + 4, (uint16_t)(f->n - f->l3 - 40));
}

/*
 * Make the first @len bytes of @f a self-consistent shorter datagram in
 * @out: the IP and UDP length fields say what is left.
 */
static inline void fb_cut_fixed(const struct fb *f, uint16_t len, uint8_t *out)
{
	memcpy(out, f->b, len);
	if (f->ipver == 4 && len >= f->l3 + 4)
		set_be16(out + f->l3 + 2, (uint16_t)(len - f->l3));
	if (f->ipver == 6 && len >= f->l3 + 40)
		set_be16(out + f->l3 + 4, (uint16_t)(len - f->l3 - 40));
	if (f->udp && len >= f->udp + 6)
		set_be16(out + f->udp + 4, (uint16_t)(len - f->udp));
}

#endif /* WR_TEST_FRAMES_H */
