/* SPDX-License-Identifier: BSD-3-Clause */
/* xdpgen_priv.h - what bench/xdpgen.c (live frames) and xdploop.c (the loop) share. */
#ifndef XDPGEN_PRIV_H
#define XDPGEN_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/if_ether.h>

#define MAX_FRAME 1514

struct xdpgen;

enum xdpgen_mode { XDPGEN_LIVE, XDPGEN_LOOP };

struct opts {
	const char *netns, *dev, *sink_netns, *sink_dev;
	unsigned size, flows, batch, seeds;
	double seconds, warmup;
	enum xdpgen_mode gen;
	bool probe;
};

double now_s(void);
int dev_in_netns(const char *ns, const char *dev, int *ifindex, unsigned char mac[ETH_ALEN]);
void build_frame(unsigned char *f, unsigned size, const unsigned char dst[ETH_ALEN]);
int sink_count(struct xdpgen *skel, uint32_t key, uint64_t *out);

/* xdploop.c: the closed loop, one run; prints its JSON line. 0 or -errno. */
int xdploop_run(struct xdpgen *skel, const struct opts *o);

#endif
