/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_afxdp.c - an AF_XDP port gives every buffer back to the shared UMEM
 * when it closes, whatever it held: frames another worker handed over to
 * its owner, frames received and not read, buffers lent to the kernel,
 * frames sent. Root (AF_XDP sockets, XDP), in a network namespace of its
 * own (bpf_env.h), on one veth pair:
 *
 *   ring port r --- switch (workers 0, 1) --- AF_XDP port on xa ~~~ veth ~~~ xb
 *                                                                     (raw socket)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpf_env.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define N_FRAMES 4096

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_r[6] = { 0x02, 0, 0, 0, 0, 0x1 };
static const uint8_t mac_x[6] = { 0x02, 0, 0, 0, 0, 0x2 };

struct rig {
	struct wr_afxdp_umem *um;
	struct wr_ring_pool *pool;
	struct wr_switch *sw;
	struct wr_worker *w[2];
	struct wr_port *r, *x;
	uint32_t free0;		/* the UMEM's free buffers before the port */
};

/*
 * A switch of @n_workers (1 or 2): r on worker @r_worker, the AF_XDP port
 * on xa owned by worker 0 (with one worker, its port has no handoff rings).
 */
static void rig_up(struct rig *g, uint16_t n_workers, uint16_t r_worker)
{
	struct wr_switch_conf sc;
	struct wr_port_conf c;
	int ifa, ifb;
	char err[256];

	env_del("xa");		/* a failed test's, in this process's namespace */
	assert_int_equal(env_veth("xa", "xb", &ifa, &ifb), 0);
	g->um = wr_afxdp_umem_create(N_FRAMES, n_workers, err, sizeof(err));
	if (!g->um)
		fail_msg("%s", err);
	g->free0 = wr_afxdp_umem_free_count(g->um);
	assert_int_equal(g->free0, N_FRAMES);
	g->pool = wr_ring_pool_create(256, 2048);
	wr_switch_conf_init(&sc);
	sc.n_workers = n_workers;
	g->sw = wr_switch_create(&sc);
	assert_non_null(g->pool);
	assert_non_null(g->sw);
	g->w[0] = wr_worker_create(g->sw, 0);
	g->w[1] = n_workers > 1 ? wr_worker_create(g->sw, 1) : g->w[0];
	g->x = wr_afxdp_port_create(g->um, &(struct wr_afxdp_conf){ .name = "x", .dev = "xa",
		.zerocopy = -1, .owner = 0 }, err, sizeof(err));
	if (!g->x)
		fail_msg("%s", err);
	g->r = wr_ring_port_create(g->pool, "r", 64);
	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_add(g->sw, g->x, &c), 0);
	assert_int_equal(wr_switch_port_add(g->sw, g->r, &c), 1);
	assert_int_equal(wr_worker_add_port(g->w[0], 0), 0);
	assert_int_equal(wr_worker_add_port(g->w[r_worker], 1), 0);
}

/* Delete the AF_XDP port; once both workers passed a quiescent point it is closed. */
static void rig_del_x(struct rig *g)
{
	assert_int_equal(wr_switch_port_del(g->sw, 0), 0);
	wr_worker_poll(g->w[0], 1);
	if (g->w[1] != g->w[0])
		wr_worker_poll(g->w[1], 1);
	wr_switch_tick(g->sw, 1);
}

static void rig_down(struct rig *g)
{
	wr_switch_destroy(g->sw);
	wr_afxdp_umem_destroy(g->um);
	wr_ring_pool_destroy(g->pool);
	env_del("xa");
}

/* @n broadcast frames from mac_r into ring port r. */
static void inject(struct rig *g, int n)
{
	uint8_t f[ENV_FRAME_LEN] = { 0 };

	memcpy(f, bcast, 6);
	memcpy(f + 6, mac_r, 6);
	f[12] = ENV_ETHERTYPE >> 8;
	f[13] = ENV_ETHERTYPE & 0xff;
	for (int i = 0; i < n; i++)
		assert_int_equal(wr_ring_inject(g->r, f, sizeof(f)), 0);
}

/*
 * Worker 1 floods r's frames to x, whose owner is worker 0: copied into
 * UMEM buffers and handed over. Worker 0 never runs again before x is
 * deleted, so they are still on x's handoff ring when it closes.
 */
static void test_handed_over_frames_return(void **state)
{
	struct rig g;

	(void)state;
	rig_up(&g, 2, 1);
	inject(&g, 16);
	assert_int_equal(wr_worker_poll(g.w[1], 1), 16);
	assert_true(wr_afxdp_umem_free_count(g.um) <= N_FRAMES - 16);
	rig_del_x(&g);
	assert_int_equal(wr_afxdp_umem_free_count(g.um), g.free0);
	rig_down(&g);
}

/* xb sends @n frames to xa through a raw socket. */
static void send_from_xb(int n)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex("xb"),
				  .sll_halen = 6 };
	uint8_t f[ENV_FRAME_LEN] = { 0 };

	assert_true(fd >= 0);
	memcpy(f, mac_r, 6);
	memcpy(f + 6, mac_x, 6);
	f[12] = ENV_ETHERTYPE >> 8;
	f[13] = ENV_ETHERTYPE & 0xff;
	for (int i = 0; i < n; i++)
		assert_int_equal(sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to)),
				 (ssize_t)sizeof(f));
	close(fd);
}

/*
 * Frames sent out of x (and completed or not when it closes), frames
 * received on x and never read: all back in the UMEM after the close;
 * with two workers (handoff rings, empty) and with one (none).
 */
static void sent_and_received(uint16_t n_workers)
{
	struct rig g;

	rig_up(&g, n_workers, 0);
	inject(&g, 40);
	while (wr_worker_poll(g.w[0], 1))
		;
	send_from_xb(8);
	nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);	/* the kernel's side */
	rig_del_x(&g);
	assert_int_equal(wr_afxdp_umem_free_count(g.um), g.free0);
	rig_down(&g);
}

static void test_sent_and_received_frames_return(void **state)
{
	(void)state;
	sent_and_received(2);
}

static void test_one_worker(void **state)
{
	(void)state;
	sent_and_received(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handed_over_frames_return),
		cmocka_unit_test(test_sent_and_received_frames_return),
		cmocka_unit_test(test_one_worker),
	};

	if (env_enter())
		return 1;
	libbpf_set_print(NULL);		/* libxdp's fallbacks are not this test's business */
	libxdp_set_print(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
