/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dpdk.c - DPDK ports through the switch, on net_ring ethdevs (in
 * memory: no device, no hugepage; the EAL runs with --no-huge --no-shconf
 * --no-pci). A net_ring port made by --vdev loops what is sent on it back
 * to its receive queue, so the test sends on a port's ethdev to make a
 * frame arrive, and receives on it to see what the switch sent there.
 * Also: the PMD's xstats, a bad devargs refused with a sentence, and a
 * port by devargs the EAL probes at run time and removes at close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "wr_dataplane.h"
#include "wr_drivers.h"

static struct wr_switch *sw;
static struct wr_worker *w;
static struct wr_port *a, *b;
static struct rte_mempool *test_mp;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/*
 * A frame arrives on @port: sent on its ethdev, which loops it to its
 * receive queue. (gcc 12 takes the mbuf's data for a zero-length array.)
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
static void arrive(struct wr_port *port, const uint8_t dst[6], const uint8_t src[6], uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mp);
	uint8_t *d;

	assert_non_null(m);
	d = (uint8_t *)rte_pktmbuf_append(m, len);
	assert_non_null(d);
	memset(d, 0x5a, len);
	memcpy(d, dst, 6);
	memcpy(d + 6, src, 6);
	d[12] = 0x88;
	d[13] = 0xb5;
	assert_int_equal(rte_eth_tx_burst(wr_dpdk_port_id(port), 0, &m, 1), 1);
}
#pragma GCC diagnostic pop

/* What the switch sent on @port: frames taken off its ethdev; the first one's source in @src. */
static int sent(struct wr_port *port, uint8_t src[6], uint16_t *len)
{
	struct rte_mbuf *m[16];
	uint16_t n = rte_eth_rx_burst(wr_dpdk_port_id(port), 0, m, 16);

	for (uint16_t i = 0; i < n; i++) {
		if (i == 0 && src)
			memcpy(src, rte_pktmbuf_mtod(m[i], uint8_t *) + 6, 6);
		if (i == 0 && len)
			*len = m[i]->data_len;
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

static int setup(void **state)
{
	struct wr_port_conf c;
	char err[256];

	(void)state;
	sw = wr_switch_create(NULL);
	w = sw ? wr_worker_create(sw, 0) : NULL;
	test_mp = rte_pktmbuf_pool_create("test_mbufs", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (!w || !test_mp)
		return -1;
	a = wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "a", .devargs = "net_ring0",
							.n_queues = 1 }, err, sizeof(err));
	b = wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "b", .devargs = "net_ring1",
							.n_queues = 1 }, err, sizeof(err));
	if (!a || !b) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	wr_port_conf_init(&c);
	if (wr_switch_port_add(sw, a, &c) != 0 || wr_switch_port_add(sw, b, &c) != 1)
		return -1;
	return wr_worker_add_port(w, 0) || wr_worker_add_port(w, 1);
}

static int teardown(void **state)
{
	(void)state;
	wr_worker_destroy(w);
	wr_switch_destroy(sw);	/* closes the ports */
	rte_mempool_free(test_mp);
	return 0;
}

static void test_learn_and_forward(void **state)
{
	struct wr_port_stats st;
	uint8_t src[6];
	uint16_t len = 0;

	(void)state;
	/* A broadcast from A floods to B, and A's MAC is learned. */
	arrive(a, bcast, mac_a, 60);
	assert_int_equal(wr_worker_poll(w, 1), 1);
	wr_switch_tick(sw, 1);
	assert_int_equal(sent(b, src, &len), 1);
	assert_memory_equal(src, mac_a, 6);
	assert_int_equal(len, 60);
	assert_int_equal(sent(a, NULL, NULL), 0);	/* never back to the sender */

	/* B answers A by unicast: only A gets it, whole. */
	arrive(b, mac_a, mac_b, 1514);
	assert_int_equal(wr_worker_poll(w, 1), 1);
	wr_switch_tick(sw, 1);
	assert_int_equal(sent(a, src, &len), 1);
	assert_memory_equal(src, mac_b, 6);
	assert_int_equal(len, 1514);
	assert_int_equal(sent(b, NULL, NULL), 0);

	wr_switch_port_stats(sw, 0, &st);
	assert_int_equal(st.rx_pkts, 1);
	assert_int_equal(st.tx_pkts, 1);
	assert_true(a->ops->link_up(a));
}

static void test_xstats(void **state)
{
	const char *names[64];
	uint64_t vals[64];
	int n;
	bool multiseg = false, pmd = false;

	(void)state;
	n = wr_port_xstats(a, names, vals, 64);
	for (int i = 0; i < n; i++) {
		multiseg |= !strcmp(names[i], "rx_multiseg");
		pmd |= !strcmp(names[i], "rx_good_packets") && vals[i] >= 1;
	}
	assert_true(multiseg);
	assert_true(pmd);	/* the PMD's own counters come through */
}

static void test_bad_devargs(void **state)
{
	char err[256];

	(void)state;
	assert_null(wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "x",
		.devargs = "net_nosuchpmd0", .n_queues = 1 }, err, sizeof(err)));
	assert_non_null(strstr(err, "port x: devargs 'net_nosuchpmd0'"));
}

/* A device the EAL did not have: probed at run time, removed at close. */
static void test_probe_and_remove(void **state)
{
	struct wr_port *p;
	char err[256];
	uint16_t id;

	(void)state;
	p = wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "n", .devargs = "net_null0",
		.n_queues = 2 }, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &id), 0);
	assert_int_equal(wr_dpdk_port_id(p), id);
	p->ops->close(p);
	assert_int_not_equal(rte_eth_dev_get_port_by_name("net_null0", &id), 0);
}

/*
 * Frames another worker handed to a port's owner, which the owner never
 * sent (the port was deleted before its next pass), go back to their pool
 * when the port closes.
 */
static void test_handoff_returned_at_close(void **state)
{
	struct wr_switch_conf sc;
	struct wr_switch *s2;
	struct wr_worker *w0, *w1;
	struct wr_port *x, *y;
	struct wr_port_conf c;
	unsigned int before;
	char err[256];

	(void)state;
	wr_switch_conf_init(&sc);
	sc.n_workers = 2;
	s2 = wr_switch_create(&sc);
	assert_non_null(s2);
	w0 = wr_worker_create(s2, 0);
	w1 = wr_worker_create(s2, 1);
	x = wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "x", .devargs = "net_ring2",
							.owner = 0, .n_queues = 2 }, err, sizeof(err));
	y = wr_dpdk_port_create(&(struct wr_dpdk_conf){ .name = "y", .devargs = "net_ring3",
							.owner = 1, .n_queues = 2 }, err, sizeof(err));
	assert_non_null(w0);
	assert_non_null(w1);
	assert_non_null(x);
	assert_non_null(y);
	wr_port_conf_init(&c);
	assert_int_equal(wr_switch_port_add(s2, x, &c), 0);
	assert_int_equal(wr_switch_port_add(s2, y, &c), 1);
	assert_int_equal(wr_worker_add_port(w0, 0), 0);
	assert_int_equal(wr_worker_add_port(w1, 1), 0);

	before = rte_mempool_avail_count(test_mp);
	for (int i = 0; i < 8; i++)
		arrive(y, bcast, mac_b, 60);
	assert_int_equal(wr_worker_poll(w1, 1), 8);	/* flooded to x: handed to worker 0 */
	assert_int_equal(rte_mempool_avail_count(test_mp), before - 8);

	assert_int_equal(wr_switch_port_del(s2, 0), 0);
	wr_worker_poll(w0, 1);				/* x is no longer among its ports */
	wr_worker_poll(w1, 1);
	wr_switch_tick(s2, 1);				/* x closed */
	assert_int_equal(rte_mempool_avail_count(test_mp), before);
	wr_switch_destroy(s2);
}

int main(void)
{
	static const char *const args[] = { "--no-huge", "-m", "128", "--no-shconf", "--no-pci",
					    "--no-telemetry", "-l", "0", "--log-level", "error",
					    "--file-prefix", "wr-test-dpdk",
					    "--vdev", "net_ring0", "--vdev", "net_ring1",
					    "--vdev", "net_ring2", "--vdev", "net_ring3" };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_and_forward),
		cmocka_unit_test(test_xstats),
		cmocka_unit_test(test_bad_devargs),
		cmocka_unit_test(test_probe_and_remove),
		cmocka_unit_test(test_handoff_returned_at_close),
	};
	char err[256];
	int ret;

	if (wr_dpdk_init(args, sizeof(args) / sizeof(args[0]), 4096, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	ret = cmocka_run_group_tests(tests, setup, teardown);
	wr_dpdk_fini();
	return ret;
}
