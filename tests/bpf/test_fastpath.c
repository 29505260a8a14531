/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fastpath.c - warrend's fast-path maps follow the switch: FDB entries
 * through the mirror hook (added, moved, deleted, their port deleted),
 * ports and VLANs as they are set, and the kernel's last-seen stamps read
 * back in the switch's clock, and a port's program instance attached to a
 * veth and detached. Loads bpf/xdp_switch (root), in a namespace of its own.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>

#include "bpf_env.h"
#include "warrend.h"
#include "wr_bpf.h"
#include "wr_dataplane.h"
#include "wr_drivers.h"

#define N_PORTS 6

static struct wr_switch *sw;
static struct wr_ring_pool *pool;
static struct wd_fastpath *fp;
static struct wr_fdb_mirror mirror;

static int map_fd(int which)
{
	struct xdp_switch *skel = wd_fastpath_skel(fp);

	switch (which) {
	case 0: return bpf_map__fd(skel->maps.wr_fdb);
	case 1: return bpf_map__fd(skel->maps.wr_ports);
	case 2: return bpf_map__fd(skel->maps.wr_devmap);
	default: return bpf_map__fd(skel->maps.wr_vlan_bd);
	}
}
#define FDB_FD		map_fd(0)
#define PORTS_FD	map_fd(1)
#define DEVMAP_FD	map_fd(2)
#define VLAN_BD_FD	map_fd(3)

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };

static int setup(void **state)
{
	char err[256];

	(void)state;
	sw = wr_switch_create(NULL);
	pool = wr_ring_pool_create(1024, 2048);
	fp = wd_fastpath_open(1024, err, sizeof(err));
	if (!fp)
		fprintf(stderr, "%s\n", err);
	if (!sw || !pool || !fp)
		return -1;
	for (int i = 0; i < N_PORTS; i++) {
		struct wr_port_conf c;
		char name[8];

		wr_port_conf_init(&c);
		snprintf(name, sizeof(name), "p%d", i);
		if (wr_switch_port_add(sw, wr_ring_port_create(pool, name, 64), &c) != i)
			return -1;
	}
	wd_fastpath_mirror(fp, &mirror);
	wr_switch_set_mirror(sw, &mirror);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wr_switch_destroy(sw);
	wr_ring_pool_destroy(pool);
	wd_fastpath_close(fp);
	return 0;
}

/* The kernel's entry for (bd, mac): 0 and *v, or -ENOENT. */
static int kfdb(uint16_t bd, const uint8_t mac[6], struct wr_bpf_fdb_val *v)
{
	struct wr_bpf_fdb_key k = { .bd = bd };

	memcpy(k.mac, mac, 6);
	return bpf_map_lookup_elem(FDB_FD, &k, v) ? -errno : 0;
}

static void test_fdb_follows(void **state)
{
	struct wr_bpf_fdb_val v;

	(void)state;
	assert_int_equal(kfdb(1, mac_a, &v), -ENOENT);
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_a, 3), 0);
	assert_int_equal(kfdb(1, mac_a, &v), 0);
	assert_int_equal(v.port, 3);
	assert_int_equal(v.flags, WR_BPF_FDB_F_STATIC);
	/* Stamped at install, in CLOCK_MONOTONIC ns as the program's stamps are. */
	assert_true(v.last_seen_ns <= wd_now_ns() && v.last_seen_ns + 1000000000ull > wd_now_ns());

	assert_int_equal(wr_fdb_add_static(sw, 1, mac_a, 5), 0);	/* moved */
	assert_int_equal(kfdb(1, mac_a, &v), 0);
	assert_int_equal(v.port, 5);
	assert_int_equal(kfdb(2, mac_a, &v), -ENOENT);			/* bd is in the key */

	/* The kernel forwarded from it: the switch reads its stamp back in seconds. */
	v.last_seen_ns = 777ull * 1000000000ull + 5;
	{
		struct wr_bpf_fdb_key k = { .bd = 1 };

		memcpy(k.mac, mac_a, 6);
		assert_int_equal(bpf_map_update_elem(FDB_FD, &k, &v, BPF_ANY), 0);
	}
	assert_int_equal(mirror.last_seen(mirror.ctx, 1, mac_a), 777);
	assert_int_equal(mirror.last_seen(mirror.ctx, 9, mac_a), 0);

	assert_int_equal(wr_fdb_del(sw, 1, mac_a), 0);
	assert_int_equal(kfdb(1, mac_a, &v), -ENOENT);

	/* An entry goes with its port. */
	assert_int_equal(wr_fdb_add_static(sw, 1, mac_a, 4), 0);
	assert_int_equal(kfdb(1, mac_a, &v), 0);
	assert_int_equal(wr_switch_port_del(sw, 4), 0);
	assert_int_equal(kfdb(1, mac_a, &v), -ENOENT);
	assert_int_equal(wd_fastpath_fdb_errors(fp), 0);
}

/* The id of the XDP program on @ifindex, 0 if none. */
static uint32_t xdp_prog_id(int ifindex)
{
	struct bpf_xdp_query_opts q = { .sz = sizeof(q) };

	return bpf_xdp_query(ifindex, 0, &q) ? 0 : q.prog_id;
}

static void test_ports_and_vlans(void **state)
{
	struct wr_bpf_port p;
	struct wr_port_conf c;
	uint32_t key = 7, vlan = 10, devmap_val;
	int ifa, ifb;
	char err[256];
	uint16_t bd;

	(void)state;
	assert_int_equal(env_veth("fpa", "fpb", &ifa, &ifb), 0);
	wr_port_conf_init(&c);
	c.vlan_mode = WR_VLAN_TRUNK;
	c.native_vlan = 5;
	c.allowed[10 / 64] |= 1ull << (10 % 64);
	/* Not attached: nothing to say of it. */
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, false, NULL), -ENOENT);
	assert_int_equal(wd_fastpath_attach(fp, 7, &(struct wd_fp_attach){ .name = "p7", .dev = "nope",
		.xsk_fd = -1 }, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "no device nope"));
	assert_int_equal(wd_fastpath_attach(fp, 7, &(struct wd_fp_attach){ .name = "p7", .dev = "fpa",
		.xsk_fd = -1 }, err, sizeof(err)), 0);
	assert_int_not_equal(xdp_prog_id(ifa), 0);
	assert_true(wd_fastpath_native(fp, 7));		/* veth runs XDP in its driver */
	assert_int_equal(bpf_map_lookup_elem(DEVMAP_FD, &key, &devmap_val), 0);
	assert_int_equal(devmap_val, (uint32_t)ifa);
	/* A second program on the same device is refused, and says why. */
	assert_int_equal(wd_fastpath_attach(fp, 8, &(struct wd_fp_attach){ .name = "p8", .dev = "fpa",
		.xsk_fd = -1 }, err, sizeof(err)) < 0, 1);
	assert_non_null(strstr(err, "XDP program already"));

	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, false, NULL), 0);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.ifindex, (uint32_t)ifa);
	assert_int_equal(p.vlan_mode, WR_BPF_VLAN_TRUNK);
	assert_int_equal(p.native_vlan, 5);
	assert_int_equal(p.max_len, 1518);
	assert_true(p.allowed[0] & 1ull << 10);
	assert_int_equal(p.flags, WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING);
	assert_int_equal(p.src_check, WR_BPF_SRC_KNOWN_HERE);

	/* A veth whose far end is elsewhere: TC forwards into the far end directly. */
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, true, NULL), 0);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.flags, WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING | WR_BPF_PORT_F_PEER);

	c.learning = false;
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, false, false, NULL), 0);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.src_check, WR_BPF_SRC_ANY);

	/* Detached: no entry, no target, no program left on the device. */
	wd_fastpath_detach(fp, 7);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.ifindex, 0);
	assert_int_equal(bpf_map_lookup_elem(DEVMAP_FD, &key, &devmap_val), -ENOENT);
	assert_int_equal(xdp_prog_id(ifa), 0);
	env_del("fpa");

	/* VLAN N is in bridge domain N until set otherwise. */
	assert_int_equal(bpf_map_lookup_elem(VLAN_BD_FD, &vlan, &bd), 0);
	assert_int_equal(bd, 10);
	assert_int_equal(wd_fastpath_vlan(fp, 10, 100), 0);
	assert_int_equal(bpf_map_lookup_elem(VLAN_BD_FD, &vlan, &bd), 0);
	assert_int_equal(bd, 100);
}

/*
 * Namespace names for the fast path, all naming this process's own
 * namespace: a private /run/netns (a tmpfs in a mount namespace of our
 * own, gone with the process) where "base" is bound to it and every other
 * name is a symlink to "base".
 */
static void netns_names(void)
{
	int fd;

	assert_int_equal(unshare(CLONE_NEWNS), 0);
	assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	mkdir("/run/netns", 0755);
	assert_int_equal(mount("wr-test", "/run/netns", "tmpfs", 0, NULL), 0);
	fd = open("/run/netns/base", O_CREAT | O_RDONLY, 0444);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mount("/proc/self/ns/net", "/run/netns/base", NULL, MS_BIND, NULL), 0);
}

static const char *netns_name(int k)
{
	static char name[32];
	char path[64];

	snprintf(name, sizeof(name), "n%d", k);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if (access(path, F_OK))
		assert_int_equal(symlink("base", path), 0);
	return name;
}

/* Port @index attached on @dev in namespace @netns; its wr_ports entry after a sync. */
static struct wr_bpf_port attach_in(uint16_t index, const char *dev, const char *netns, int *ret)
{
	struct wr_bpf_port p;
	struct wr_port_conf c;
	uint32_t key = index;
	char err[256];

	wr_port_conf_init(&c);
	if (wd_fastpath_attach(fp, index, &(struct wd_fp_attach){ .name = "p", .netns = netns,
		.dev = dev, .xsk_fd = -1 }, err, sizeof(err)))
		fail_msg("%s", err);
	*ret = wd_fastpath_port(fp, index, &c, 1518, true, false, NULL);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	return p;
}

/*
 * A namespace's number (the kernel program's 8 bits) is given back when its
 * last port goes: ports in 260 namespaces, one after the other, all keep
 * the fast path.
 */
static void test_netns_numbers_released(void **state)
{
	int ifa, ifb, ret;

	(void)state;
	assert_int_equal(env_veth("fpa", "fpb", &ifa, &ifb), 0);
	for (int k = 0; k < 260; k++) {
		struct wr_bpf_port p = attach_in(7, "fpa", netns_name(k), &ret);

		if (ret || !(p.flags & WR_BPF_PORT_F_FASTPATH) || !p.netns_id)
			fail_msg("namespace %d: port sync %d, flags %#x, netns_id %u", k, ret, p.flags,
				 p.netns_id);
		wd_fastpath_detach(fp, 7);
	}
	env_del("fpa");
}

/*
 * When ports of 255 other namespaces hold every number, a port of one
 * more namespace is out of the fast path and says so (-ENOSPC, and no
 * room for its namespace); the numbers' holders keep theirs, and a number
 * given back is taken again.
 */
static void test_netns_numbers_full(void **state)
{
	char a[16], b[16];
	int ifa, ifb, ret;
	struct wr_bpf_port p;

	(void)state;
	for (int k = 0; k < 256; k++) {
		snprintf(a, sizeof(a), "fq%da", k);
		snprintf(b, sizeof(b), "fq%db", k);
		assert_int_equal(env_veth(a, b, &ifa, &ifb), 0);
	}
	for (int k = 0; k < 255; k++) {
		snprintf(a, sizeof(a), "fq%da", k);
		p = attach_in((uint16_t)k, a, netns_name(1000 + k), &ret);
		assert_int_equal(ret, 0);
		assert_int_equal(p.netns_id, k + 1);
	}
	assert_true(wd_fastpath_netns_room(fp, netns_name(1000)));	/* held: shared */
	assert_true(wd_fastpath_netns_room(fp, NULL));			/* warrend's own */
	assert_false(wd_fastpath_netns_room(fp, netns_name(2000)));
	p = attach_in(255, "fq255a", netns_name(2000), &ret);
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(p.flags & WR_BPF_PORT_F_FASTPATH, 0);
	assert_int_equal(p.netns_id, 0);

	wd_fastpath_detach(fp, 17);					/* number 18 free */
	assert_true(wd_fastpath_netns_room(fp, netns_name(2000)));
	p = attach_in(17, "fq17a", netns_name(2000), &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(p.netns_id, 18);
	assert_true(p.flags & WR_BPF_PORT_F_FASTPATH);
	for (int k = 0; k < 256; k++) {
		wd_fastpath_detach(fp, (uint16_t)k);
		snprintf(a, sizeof(a), "fq%da", k);
		env_del(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdb_follows),
		cmocka_unit_test(test_ports_and_vlans),
		cmocka_unit_test(test_netns_numbers_released),
		cmocka_unit_test(test_netns_numbers_full),
	};

	if (env_enter())
		return 1;
	netns_names();
	return cmocka_run_group_tests(tests, setup, teardown);
}
