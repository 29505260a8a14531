/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_decap.c - arbitrary underlay frames into wr_tun_decap() (overlay.c)
 * with a receiver the first byte picks; what decapsulates is sent again
 * through wr_tun_encap() with the VNI and options it carried and must
 * decapsulate to the same VNI, options and inner bytes.
 *
 * Input: one mode byte, then the frame.
 *   bit 0      Geneve (else VXLAN)
 *   bit 1      IPv6 underlay (else IPv4)
 *   bit 2      UDP checksums verified
 *   bit 3      the receiver knows the critical option (0x0102, 0x83)
 *   bit 4      the frame's IP destination and UDP port are made the
 *              receiver's (untagged offsets), so mutations go deep
 *   bit 5      a zero UDP checksum over IPv6 is accepted
 * The frame sits in a heap block of exactly its size, for ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t LOCAL4[16] = { 10, 0, 0, 2 };
static const uint8_t LOCAL6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void conf_of(uint8_t mode, struct wr_tun_rx_conf *c)
{
	wr_tun_rx_conf_init(c, mode & 1 ? WR_TUNNEL_GENEVE : WR_TUNNEL_VXLAN);
	c->ipv6 = mode & 2;
	memcpy(c->local_ip, c->ipv6 ? LOCAL6 : LOCAL4, 16);
	c->verify_udp_csum = mode & 4;
	c->udp6_zero_csum = mode & 32;
	if (mode & 8) {
		c->known[0].cls = 0x0102;
		c->known[0].type = 0x83;
		c->n_known = 1;
	}
}

/* Bit 4: the receiver's address and port written where an untagged frame has them. */
static void aim(uint8_t *f, size_t len, const struct wr_tun_rx_conf *c)
{
	size_t ip_dst = c->ipv6 ? 14 + 24 : 14 + 16, l4 = c->ipv6 ? 14 + 40 : 14 + 20;

	if (len >= ip_dst + (c->ipv6 ? 16 : 4))
		memcpy(f + ip_dst, c->local_ip, c->ipv6 ? 16 : 4);
	if (len >= l4 + 4) {
		f[l4 + 2] = (uint8_t)(c->dst_port >> 8);
		f[l4 + 3] = (uint8_t)c->dst_port;
	}
}

/* What decap gave, encapsulated again towards the same receiver, must give the same. */
static void again(const struct wr_tun_rx_conf *c, const uint8_t *f, const struct wr_tun_rx *rx)
{
	struct wr_geneve_opt opts[WR_GENEVE_OPTS_MAX / 4];
	struct wr_tun_params p;
	struct wr_tun_hdr h;
	uint16_t at = 0;
	uint8_t n_opts = 0;

	wr_tun_params_init(&p, c->type);
	p.ipv6 = c->ipv6;
	memcpy(p.dst_ip, c->local_ip, 16);
	memcpy(p.src_ip, rx->src_ip, 16);
	p.vni = rx->vni;
	p.udp_csum = rx->src_port & 1;
	/* Options as they came, when they fit a template (48 bytes); else none. */
	if (rx->opts_len <= WR_GENEVE_OPTS_MAX) {
		while (wr_geneve_opt_next(f + rx->opts_off, rx->opts_len, &at, &opts[n_opts]) > 0)
			n_opts++;
		p.opts = opts;
		p.n_opts = n_opts;
	}
	if (wr_tun_hdr_build(&p, &h) != 0)
		abort();

	uint8_t *buf = malloc(WR_HEADROOM + rx->inner_len);
	struct wr_pkt pkt = { .data = buf + WR_HEADROOM, .len = rx->inner_len, .hash = rx->vni };
	struct wr_tun_rx rx2;
	enum wr_drop why;

	if (!buf)
		abort();
	memcpy(pkt.data, f + rx->inner_off, rx->inner_len);
	if (wr_tun_encap(&h, &pkt, WR_HEADROOM, UINT16_MAX - 200, &why) != 0)
		abort();
	if (wr_tun_decap(c, pkt.data, pkt.len, &rx2, &why) != WR_TUN_DECAP)
		abort();
	if (rx2.vni != rx->vni || rx2.inner_len != rx->inner_len ||
	    memcmp(pkt.data + rx2.inner_off, f + rx->inner_off, rx->inner_len) != 0 ||
	    memcmp(rx2.src_ip, rx->src_ip, 16) != 0 || rx2.n_opts != n_opts)
		abort();
	/* The options read back as they went (their reserved bits are not carried). */
	at = 0;
	for (unsigned i = 0; i < n_opts; i++) {
		struct wr_geneve_opt o;

		if (wr_geneve_opt_next(pkt.data + rx2.opts_off, rx2.opts_len, &at, &o) != 1 ||
		    o.cls != opts[i].cls || o.type != opts[i].type || o.len != opts[i].len ||
		    memcmp(o.data, opts[i].data, o.len) != 0)
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr_tun_rx_conf c;
	struct wr_tun_rx rx;
	enum wr_drop why = WR_DROP_COUNT;

	if (size < 1 || size > UINT16_MAX)
		return 0;
	conf_of(data[0], &c);

	size_t len = size - 1;
	uint8_t *f = malloc(len ? len : 1);

	if (!f)
		abort();
	memcpy(f, data + 1, len);
	if (data[0] & 16)
		aim(f, len, &c);

	int r = wr_tun_decap(&c, f, (uint16_t)len, &rx, &why);

	if (r == WR_TUN_DROP && (why < WR_DROP_TUN_RUNT || why > WR_DROP_TUN_INNER_RUNT))
		abort();	/* decap gives only its own reasons */
	if (r == WR_TUN_DECAP) {
		if (rx.inner_len < 14 || rx.inner_off + rx.inner_len > len)
			abort();
		again(&c, f, &rx);
	}
	free(f);
	return 0;
}
