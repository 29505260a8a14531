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
 *
 * And a port with a UMEM of its own (umem own; zero-copy where a driver
 * has it, which a veth has not) beside a shared-UMEM one, on two pairs:
 *
 *   xb ~~~ xa: port x, own UMEM --- switch --- port y, shared UMEM: ya ~~~ yb
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

/* @n frames from @src to @dst out of @dev. */
static void send_on(const char *dev, const uint8_t *dst, const uint8_t *src, int n)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(dev),
				  .sll_halen = 6 };
	uint8_t f[ENV_FRAME_LEN] = { 0 };

	assert_true(fd >= 0);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ENV_ETHERTYPE >> 8;
	f[13] = ENV_ETHERTYPE & 0xff;
	for (int i = 0; i < n; i++) {
		f[20] = (uint8_t)i;	/* told apart in a capture */
		assert_int_equal(sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to)),
				 (ssize_t)sizeof(f));
	}
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
	send_on("xb", mac_r, mac_x, 8);
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

/* ------------------------------------------------------------- own UMEM */

/* A raw socket on @dev that sees the test's frames (ENV_ETHERTYPE), non-blocking. */
static int raw_on(const char *dev)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ENV_ETHERTYPE));
	struct sockaddr_ll at = { .sll_family = AF_PACKET, .sll_protocol = htons(ENV_ETHERTYPE),
				  .sll_ifindex = (int)if_nametoindex(dev) };

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&at, sizeof(at)), 0);
	return fd;
}

/*
 * Run worker @w until @fd has received @n frames from @src (the veth
 * delivers them within the pass that sent them; the bound is a count of
 * passes with a millisecond's nap, not a time to wait for).
 */
static int pass_until(struct wr_worker *w, int fd, const uint8_t *src, int n)
{
	uint8_t f[ENV_FRAME_MAX];
	int got = 0;

	for (int pass = 0; pass < 2000 && got < n; pass++) {
		ssize_t len;

		wr_worker_poll(w, 1);
		while ((len = recv(fd, f, sizeof(f), 0)) > 0)
			got += len >= 12 && !memcmp(f + 6, src, 6);
		if (got < n)
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	return got;
}

struct own_rig {
	struct wr_afxdp_umem *um;	/* the shared one */
	struct wr_switch *sw;
	struct wr_worker *w;
	struct wr_port *x, *y;		/* x: umem own, y: shared */
	uint32_t free0;
};

static void own_up(struct own_rig *g)
{
	struct wr_switch_conf sc;
	struct wr_port_conf c;
	char err[256];
	int ifa, ifb;

	env_del("xa");
	env_del("ya");
	assert_int_equal(env_veth("xa", "xb", &ifa, &ifb), 0);
	assert_int_equal(env_veth("ya", "yb", &ifa, &ifb), 0);
	g->um = wr_afxdp_umem_create(N_FRAMES, 1, err, sizeof(err));
	if (!g->um)
		fail_msg("%s", err);
	g->free0 = wr_afxdp_umem_free_count(g->um);
	wr_switch_conf_init(&sc);
	sc.n_workers = 1;
	g->sw = wr_switch_create(&sc);
	assert_non_null(g->sw);
	g->w = wr_worker_create(g->sw, 0);
	g->x = wr_afxdp_port_create(g->um, &(struct wr_afxdp_conf){ .name = "x", .dev = "xa",
		.zerocopy = -1, .own_umem = true }, err, sizeof(err));
	if (!g->x)
		fail_msg("%s", err);
	g->y = wr_afxdp_port_create(g->um, &(struct wr_afxdp_conf){ .name = "y", .dev = "ya",
		.zerocopy = -1 }, err, sizeof(err));
	if (!g->y)
		fail_msg("%s", err);
	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_add(g->sw, g->x, &c), 0);
	assert_int_equal(wr_switch_port_add(g->sw, g->y, &c), 1);
	assert_int_equal(wr_worker_add_port(g->w, 0), 0);
	assert_int_equal(wr_worker_add_port(g->w, 1), 0);
}

/*
 * The own-UMEM port in copy mode on a veth, with the reason, its buffers
 * apart; frames both ways between it and the shared-UMEM port, each one
 * copied and counted; both ports deleted: every buffer of the shared UMEM
 * back, and none missing from x's own when it went.
 */
static void test_own_umem_both_ways(void **state)
{
	struct wr_afxdp_info ix, iy;
	struct wr_port_stats sx, sy;
	struct own_rig g;
	uint64_t lost0 = wr_afxdp_own_lost();
	int at_yb, at_xb;

	(void)state;
	own_up(&g);
	wr_afxdp_port_info(g.x, &ix);
	wr_afxdp_port_info(g.y, &iy);
	assert_false(ix.zerocopy);
	assert_true(ix.own_umem);
	assert_string_equal(ix.why, "copy: the driver (veth) has no AF_XDP zero-copy");
	assert_false(iy.own_umem);
	assert_true(wr_afxdp_port_umem(g.x) != (const struct wr_afxdp_umem *)g.um);
	assert_true(wr_afxdp_port_umem(g.y) == (const struct wr_afxdp_umem *)g.um);
	assert_true(g.x->pool != g.y->pool);

	at_yb = raw_on("yb");
	at_xb = raw_on("xb");
	send_on("xb", bcast, mac_x, 8);			/* x to y, flooded: y learns nothing yet */
	assert_int_equal(pass_until(g.w, at_yb, mac_x, 8), 8);
	send_on("yb", mac_x, mac_r, 8);			/* y to x, known unicast */
	assert_int_equal(pass_until(g.w, at_xb, mac_r, 8), 8);
	close(at_yb);
	close(at_xb);
	wr_switch_port_stats(g.sw, 0, &sx);
	wr_switch_port_stats(g.sw, 1, &sy);
	assert_int_equal(sx.rx_pkts, 8);
	assert_int_equal(sx.copies, 8);
	assert_int_equal(sy.rx_pkts, 8);
	assert_int_equal(sy.copies, 8);

	assert_int_equal(wr_switch_port_del(g.sw, 0), 0);
	assert_int_equal(wr_switch_port_del(g.sw, 1), 0);
	wr_worker_poll(g.w, 1);
	wr_switch_tick(g.sw, 1);
	assert_int_equal(wr_afxdp_umem_free_count(g.um), g.free0);
	assert_int_equal(wr_afxdp_own_lost(), lost0);
	wr_switch_destroy(g.sw);
	wr_afxdp_umem_destroy(g.um);
	env_del("xa");
	env_del("ya");
}

/*
 * zerocopy on, on a veth: refused, naming the device, the driver and the
 * kernel's answer, nothing taken from the shared UMEM; auto: copy on the
 * shared UMEM, with the reason.
 */
static void test_zerocopy_on_a_veth(void **state)
{
	struct wr_afxdp_umem *um;
	struct wr_afxdp_info info;
	struct wr_port *p;
	char err[256];
	int ifa, ifb;

	(void)state;
	env_del("xa");
	assert_int_equal(env_veth("xa", "xb", &ifa, &ifb), 0);
	um = wr_afxdp_umem_create(N_FRAMES, 1, err, sizeof(err));
	if (!um)
		fail_msg("%s", err);
	p = wr_afxdp_port_create(um, &(struct wr_afxdp_conf){ .name = "x", .dev = "xa",
		.zerocopy = 1 }, err, sizeof(err));
	assert_null(p);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_string_equal(err, "port x: zero-copy asked for (zerocopy on), but xa (driver veth) "
			    "refused it: Operation not supported (the driver has no AF_XDP "
			    "zero-copy; use zerocopy auto or off)");
	assert_int_equal(wr_afxdp_umem_free_count(um), N_FRAMES);

	p = wr_afxdp_port_create(um, &(struct wr_afxdp_conf){ .name = "x", .dev = "xa",
		.zerocopy = -1 }, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	wr_afxdp_port_info(p, &info);
	assert_false(info.zerocopy);
	assert_false(info.own_umem);
	assert_string_equal(info.why, "copy: the driver (veth) has no AF_XDP zero-copy");
	p->ops->close(p);
	assert_int_equal(wr_afxdp_umem_free_count(um), N_FRAMES);

	/* The kernel releases a closed socket's queue later (a work item): another device. */
	env_del("ya");
	assert_int_equal(env_veth("ya", "yb", &ifa, &ifb), 0);
	p = wr_afxdp_port_create(um, &(struct wr_afxdp_conf){ .name = "y", .dev = "ya",
		.zerocopy = 0 }, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	wr_afxdp_port_info(p, &info);
	assert_string_equal(info.why, "copy: asked (zerocopy off)");
	p->ops->close(p);
	wr_afxdp_umem_destroy(um);
	env_del("xa");
	env_del("ya");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handed_over_frames_return),
		cmocka_unit_test(test_sent_and_received_frames_return),
		cmocka_unit_test(test_one_worker),
		cmocka_unit_test(test_own_umem_both_ways),
		cmocka_unit_test(test_zerocopy_on_a_veth),
	};

	if (env_enter())
		return 1;
	libbpf_set_print(NULL);		/* libxdp's fallbacks are not this test's business */
	libxdp_set_print(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
