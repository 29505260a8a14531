/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdpfwd.c - forward every frame between two devices with one XDP redirect
 * each way and nothing else: the kernel ceiling of bench/run xdp.
 *
 *   xdpfwd DEV_A DEV_B
 *
 * In the current namespace (run it with `ip netns exec`) it fills the
 * program's DEVMAP_HASH with A -> B and B -> A, attaches xdpfwd to both
 * devices in native (driver) mode, says so on stdout, and waits for
 * SIGTERM or SIGINT. The attachments are BPF links owned by this process:
 * they go when it exits, however it ends (even SIGKILL), so nothing is
 * left on the devices.
 *
 * A veth accepts redirected frames only if its far end runs NAPI (GRO or
 * an XDP program switches it on); otherwise they are dropped, silently
 * but for the devices' xdp counters. bench/afxdp.sh sets GRO on.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdpfwd.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* attach: xdpfwd on DEV in driver mode; a link fd, or a negative errno. */
static int attach(struct xdpfwd *skel, const char *dev, int ifindex)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = XDP_FLAGS_DRV_MODE);
	int fd = bpf_link_create(bpf_program__fd(skel->progs.xdpfwd), ifindex, BPF_XDP, &o);

	if (fd < 0)
		fprintf(stderr, "xdpfwd: %s: attach XDP in native mode: %s%s\n", dev, strerror(-fd),
			fd == -EOPNOTSUPP ? " (the driver has no native XDP)" :
			fd == -EBUSY || fd == -EEXIST ? " (another XDP program is attached)" : "");
	return fd;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct xdpfwd *skel = NULL;
	int ifindex[2], link[2] = { -1, -1 }, rc = 0, i;
	sigset_t block, old;

	if (argc != 3) {
		fprintf(stderr, "usage: xdpfwd DEV_A DEV_B\n");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		ifindex[i] = (int)if_nametoindex(argv[1 + i]);
		if (!ifindex[i]) {
			fprintf(stderr, "xdpfwd: device %s: %s\n", argv[1 + i], strerror(errno));
			return 1;
		}
	}
	/* Signals wait until sigsuspend below: none is lost between checks. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	skel = xdpfwd__open_and_load();
	if (!skel) {
		rc = -errno;
		fprintf(stderr, "xdpfwd: load BPF program: %s\n", strerror(errno));
		goto out;
	}
	/* The map first: the program never sees a device it does not know. */
	for (i = 0; i < 2; i++) {
		__u32 k = (__u32)ifindex[i], v = (__u32)ifindex[1 - i];

		rc = bpf_map__update_elem(skel->maps.peers, &k, sizeof(k), &v, sizeof(v), BPF_ANY);
		if (rc) {
			fprintf(stderr, "xdpfwd: %s: fill DEVMAP: %s\n", argv[1 + i], strerror(-rc));
			goto out;
		}
	}
	for (i = 0; i < 2; i++) {
		link[i] = attach(skel, argv[1 + i], ifindex[i]);
		if (link[i] < 0) {
			rc = link[i];
			goto out;
		}
	}
	printf("xdpfwd: forwarding %s <-> %s\n", argv[1], argv[2]);
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
out:
	/* Closing a link detaches its program. */
	for (i = 0; i < 2; i++)
		if (link[i] >= 0)
			close(link[i]);
	xdpfwd__destroy(skel);
	return rc ? 1 : 0;
}
