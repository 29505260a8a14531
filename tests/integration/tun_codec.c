/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tun_codec.c - the tunnel codec (dataplane/overlay.c) from the shell, for
 * test_overlay_codec.sh to hold against scapy and tshark.
 *
 *   tun_codec encap FILE.pcap   VXLAN and Geneve frames, every family,
 *                               checksum setting and option set, into a
 *                               pcap; one line a frame on stdout saying
 *                               what it should decode as:
 *                               type v6 csum vni dport sport_min sport_max
 *                               inner_len opts (class.type.len,...|-)
 *   tun_codec decap             lines "CONF HEX" on stdin, a verdict a line
 *                               on stdout: "decap VNI INNER_LEN N_OPTS",
 *                               "not_mine", or the drop reason's name.
 *                               CONF: vxlan4, vxlan6, geneve4, geneve6,
 *                               with "+known" the receiver knows option
 *                               (0x0102, 0x83). Local addresses 10.0.0.2,
 *                               2001:db8::2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay_priv.h"

#define INNER_MAX	1500

static const uint8_t V4_A[16] = { 10, 0, 0, 1 };
static const uint8_t V4_B[16] = { 10, 0, 0, 2 };
static const uint8_t V6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t DATA[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static const struct wr_geneve_opt OPTS[] = {
	{ 0x0102, 0x83, 4, DATA }, { 0xffff, 0x01, 0, NULL }, { 0x0103, 0x7f, 16, DATA },
};

static void put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* A sound inner frame of @len bytes: Ethernet, IPv4 (checksummed), UDP without checksum. */
static void inner_frame(uint8_t *b, unsigned len)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00 };
	uint8_t *ip = b + 14, *udp = ip + 20;
	uint32_t s = 0;

	memset(b, 0, len);
	memcpy(b, eth, 14);
	ip[0] = 0x45;
	put16(ip + 2, len - 14);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (uint8_t[]){ 192, 168, 1, 1, 192, 168, 1, 2 }, 8);
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(ip + 10, ~s & 0xffff);
	put16(udp, 1234);
	put16(udp + 2, 5678);
	put16(udp + 4, len - 34);
	for (unsigned i = 42; i < len; i++)
		b[i] = (uint8_t)i;
}

static void pcap_header(FILE *f)
{
	const uint32_t h[6] = { 0xa1b2c3d4, 2 | 4u << 16, 0, 0, 65535, 1 };	/* Ethernet */

	fwrite(h, sizeof(h), 1, f);
}

static void pcap_frame(FILE *f, const uint8_t *b, uint32_t len, uint32_t i)
{
	const uint32_t h[4] = { 1700000000 + i, 0, len, len };

	fwrite(h, sizeof(h), 1, f);
	fwrite(b, len, 1, f);
}

/* One frame through @p into @f; its expectation on stdout. */
static int encap_one(FILE *f, const struct wr_tun_params *p, unsigned inner_len, uint32_t hash,
		     uint32_t i)
{
	static uint8_t buf[WR_HEADROOM + INNER_MAX];
	struct wr_tun_hdr h;
	struct wr_pkt pkt = { .data = buf + WR_HEADROOM, .len = (uint16_t)inner_len, .hash = hash };
	enum wr_drop why;

	if (wr_tun_hdr_build(p, &h) != 0)
		return -1;
	inner_frame(pkt.data, inner_len);
	if (wr_tun_encap(&h, &pkt, WR_HEADROOM, 9000, &why) != 0)
		return -1;
	pcap_frame(f, pkt.data, pkt.len, i);
	printf("%s %d %d %u %u %u %u %u ", p->type == WR_TUNNEL_VXLAN ? "vxlan" : "geneve", p->ipv6,
	       p->udp_csum || p->ipv6, p->vni, p->dst_port ? p->dst_port :
	       p->type == WR_TUNNEL_VXLAN ? WR_VXLAN_PORT : WR_GENEVE_PORT,
	       p->sport_min, p->sport_max, inner_len);
	for (unsigned k = 0; k < p->n_opts; k++)
		printf("%s%u.%u.%u", k ? "," : "", p->opts[k].cls, p->opts[k].type, p->opts[k].len);
	printf("%s\n", p->n_opts ? "" : "-");
	return 0;
}

static int encap_all(const char *path)
{
	static const unsigned LENS[] = { 60, 61, 1000 };
	FILE *f = fopen(path, "wb");
	uint32_t i = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	pcap_header(f);
	for (int type = WR_TUNNEL_VXLAN; type <= WR_TUNNEL_GENEVE; type++)
	for (int v6 = 0; v6 <= 1; v6++)
	for (int csum = v6; csum <= 1; csum++)
	for (int o = 0; o < (type == WR_TUNNEL_GENEVE ? 2 : 1); o++)
	for (unsigned k = 0; k < 3; k++, i++) {
		struct wr_tun_params p;

		wr_tun_params_init(&p, (enum wr_tunnel_type)type);
		p.ipv6 = v6;
		memcpy(p.src_mac, (uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
		memcpy(p.dst_mac, (uint8_t[]){ 2, 0, 0, 0, 0, 2 }, 6);
		memcpy(p.src_ip, v6 ? V6_A : V4_A, 16);
		memcpy(p.dst_ip, v6 ? V6_B : V4_B, 16);
		p.vni = 0x10000 * i + 42;
		p.udp_csum = csum;
		if (k == 2) {
			p.sport_min = 30000;
			p.sport_max = 30099;
		}
		p.opts = o ? OPTS : NULL;
		p.n_opts = o ? 3 : 0;
		if (encap_one(f, &p, LENS[k], 0x9e3779b9u * (i + 1), i) != 0) {
			fprintf(stderr, "tun_codec: frame %u: encap failed\n", i);
			fclose(f);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

static int conf_of(const char *name, struct wr_tun_rx_conf *c)
{
	bool v6 = strncmp(name + strcspn(name, "46"), "6", 1) == 0;

	if (strncmp(name, "vxlan", 5) == 0)
		wr_tun_rx_conf_init(c, WR_TUNNEL_VXLAN);
	else if (strncmp(name, "geneve", 6) == 0)
		wr_tun_rx_conf_init(c, WR_TUNNEL_GENEVE);
	else
		return -1;
	c->ipv6 = v6;
	memcpy(c->local_ip, v6 ? V6_B : V4_B, 16);
	if (strstr(name, "+known")) {
		c->known[0].cls = 0x0102;
		c->known[0].type = 0x83;
		c->n_known = 1;
	}
	return 0;
}

static int decap_lines(void)
{
	static char line[2 * 65536 + 64];
	static uint8_t frame[65536];

	while (fgets(line, sizeof(line), stdin)) {
		struct wr_tun_rx_conf c;
		struct wr_tun_rx rx;
		enum wr_drop why;
		char *hex = strchr(line, ' ');
		unsigned n = 0;

		if (!hex || (*hex++ = '\0', conf_of(line, &c) != 0)) {
			fprintf(stderr, "tun_codec: bad line (want CONF HEX)\n");
			return 2;
		}
		for (unsigned v; n < sizeof(frame) && sscanf(hex + 2 * n, "%2x", &v) == 1; n++)
			frame[n] = (uint8_t)v;

		int r = wr_tun_decap(&c, frame, (uint16_t)n, &rx, &why);

		if (r == WR_TUN_DECAP)
			printf("decap %u %u %u\n", rx.vni, rx.inner_len, rx.n_opts);
		else if (r == WR_TUN_NOT_MINE)
			printf("not_mine\n");
		else
			printf("%s\n", wr_drop_name(why));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "encap") == 0)
		return encap_all(argv[2]);
	if (argc == 2 && strcmp(argv[1], "decap") == 0)
		return decap_lines();
	fprintf(stderr, "usage: tun_codec encap FILE.pcap | tun_codec decap < CONF-HEX-LINES\n");
	return 2;
}
