/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tunnel.c - the tunnel codec (dataplane/overlay.c) alone, on one core:
 * wr_tun_encap() of a 64-byte inner frame, or wr_tun_decap() of the frame
 * that gives, over and over. No driver, no switch: the cost of the codec.
 *
 *   tunnel [--case NAME] [--frames N]
 *
 * Cases: encap-vxlan4 (UDP checksum on), encap-vxlan4-nocsum,
 * encap-vxlan6, encap-geneve6-opts (16 bytes of options), and decap- of
 * each (checksums verified). Prints ns per frame of each case; under
 * callgrind, run one case twice with different --frames and divide the
 * difference of instructions by the difference of frames.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overlay_priv.h"

#define INNER_LEN	64

static const uint8_t DATA[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const struct wr_geneve_opt OPTS[] = { { 0x0102, 0x03, 4, DATA }, { 0x0103, 0x04, 4, DATA } };

struct bench_case {
	const char *name;
	enum wr_tunnel_type type;
	bool v6, csum, opts;
};

static const struct bench_case cases[] = {
	{ "vxlan4", WR_TUNNEL_VXLAN, false, true, false },
	{ "vxlan4-nocsum", WR_TUNNEL_VXLAN, false, false, false },
	{ "vxlan6", WR_TUNNEL_VXLAN, true, true, false },
	{ "geneve6-opts", WR_TUNNEL_GENEVE, true, true, true },
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void setup(const struct bench_case *c, struct wr_tun_hdr *h, struct wr_tun_rx_conf *rx)
{
	struct wr_tun_params p;

	wr_tun_params_init(&p, c->type);
	p.ipv6 = c->v6;
	p.src_ip[0] = 10;
	p.dst_ip[0] = 11;
	p.vni = 42;
	p.udp_csum = c->csum;
	p.opts = c->opts ? OPTS : NULL;
	p.n_opts = c->opts ? 2 : 0;
	if (wr_tun_hdr_build(&p, h) != 0)
		abort();
	wr_tun_rx_conf_init(rx, c->type);
	rx->ipv6 = c->v6;
	rx->local_ip[0] = 11;
}

/* @n encaps of one inner frame, the flow hash changing. */
static uint64_t run_encap(const struct wr_tun_hdr *h, uint8_t *buf, uint64_t n)
{
	uint64_t sum = 0;
	enum wr_drop why;

	for (uint64_t i = 0; i < n; i++) {
		struct wr_pkt p = { .data = buf + WR_HEADROOM, .len = INNER_LEN,
				    .hash = (uint32_t)i * 0x9e3779b9u };

		if (wr_tun_encap(h, &p, WR_HEADROOM, 1500, &why) != 0)
			abort();
		sum += p.data[h->l4_off];
	}
	return sum;
}

/* @n decaps of the frame at @f. */
static uint64_t run_decap(const struct wr_tun_rx_conf *rx, const uint8_t *f, uint16_t len,
			  uint64_t n)
{
	uint64_t sum = 0;
	struct wr_tun_rx out;
	enum wr_drop why;

	for (uint64_t i = 0; i < n; i++) {
		if (wr_tun_decap(rx, f, len, &out, &why) != WR_TUN_DECAP)
			abort();
		sum += out.inner_off;
	}
	return sum;
}

static void run_case(const struct bench_case *c, bool decap, uint64_t frames)
{
	static uint8_t buf[WR_HEADROOM + INNER_LEN];
	struct wr_tun_hdr h;
	struct wr_tun_rx_conf rx;
	uint64_t n = frames ? frames : 20000000, sum;

	setup(c, &h, &rx);
	for (int i = 0; i < INNER_LEN; i++)
		buf[WR_HEADROOM + i] = (uint8_t)(i * 13);
	run_encap(&h, buf, 1);	/* the frame decap reads */

	double t0 = now_s();

	sum = decap ? run_decap(&rx, buf + WR_HEADROOM - h.len, (uint16_t)(h.len + INNER_LEN), n)
		    : run_encap(&h, buf, n);

	double t = now_s() - t0;

	if (!frames)
		printf("%s-%-16s %6.1f ns/frame (%llu)\n", decap ? "decap" : "encap", c->name,
		       t * 1e9 / (double)n, (unsigned long long)(sum & 1));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "case", required_argument, NULL, 'c' },
		{ "frames", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	uint64_t frames = 0;
	int opt, n_run = 0;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'c')
			only = optarg;
		else if (opt == 'f')
			frames = strtoull(optarg, NULL, 10);
		else
			return 2;
	}
	for (int decap = 0; decap <= 1; decap++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char name[64];

			snprintf(name, sizeof(name), "%s-%s", decap ? "decap" : "encap", cases[i].name);
			if (only && strcmp(only, name) != 0)
				continue;
			run_case(&cases[i], decap, frames);
			n_run++;
		}
	if (!n_run) {
		fprintf(stderr, "tunnel: no case %s\n", only);
		return 2;
	}
	return 0;
}
