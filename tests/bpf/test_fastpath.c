/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fastpath.c - warrend's fast-path maps follow the switch: FDB entries
 * through the mirror hook (added, moved, deleted, their port deleted),
 * ports and VLANs as they are set, and the kernel's last-seen stamps read
 * back in the switch's clock, a port's program instance attached to a
 * veth and detached, and a port made a tunnel's underlay (wd_port_underlay:
 * its mode, its entry, ARP answered by the stack behind it). Loads bpf/xdp_switch (root), in a namespace of its own.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>

#include "bpf_env.h"
#include "warrend.h"
#include "wr_bpf.h"
#include "wr_control.h"
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
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, false, false, false, NULL), -ENOENT);
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

	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, false, false, false, NULL), 0);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.ifindex, (uint32_t)ifa);
	assert_int_equal(p.vlan_mode, WR_BPF_VLAN_TRUNK);
	assert_int_equal(p.native_vlan, 5);
	assert_int_equal(p.max_len, 1518);
	assert_true(p.allowed[0] & 1ull << 10);
	assert_int_equal(p.flags, WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING);
	assert_int_equal(p.src_check, WR_BPF_SRC_KNOWN_HERE);

	/* A veth whose far end is elsewhere: TC forwards into the far end directly. */
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, true, true, false, false, NULL), 0);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	assert_int_equal(p.flags, WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING | WR_BPF_PORT_F_PEER);

	c.learning = false;
	assert_int_equal(wd_fastpath_port(fp, 7, &c, 1518, false, false, false, false, NULL), 0);
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
	*ret = wd_fastpath_port(fp, index, &c, 1518, true, false, false, false, NULL);
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &p), 0);
	return p;
}

/*
 * A namespace's number (the kernel program's 8 bits) is given back when its
 * last port goes: ports in 260 namespaces, one after the other, all keep
 * the fast path.
 */
/* The kernel's entry of @fd at @k into @v (@len bytes): 0, or -ENOENT. */
static int klook(int fd, const void *k, void *v)
{
	return bpf_map_lookup_elem(fd, k, v) ? -errno : 0;
}

/*
 * The tunnel maps follow the switch's tunnels through the tunnel mirror:
 * VNIs, VTEP addresses and the VTEPs' ports, each VTEP's header per domain
 * as the switch built it; all gone with the tunnel.
 */
static void test_tunnels_follow(void **state)
{
	struct xdp_switch *skel = wd_fastpath_skel(fp);
	int hdrs = bpf_map__fd(skel->maps.wr_tun_hdrs), vnis = bpf_map__fd(skel->maps.wr_tun_vni),
	    vteps = bpf_map__fd(skel->maps.wr_tun_vteps);
	const uint8_t src[6] = { 2, 0, 0, 0, 1, 1 }, dst[6] = { 2, 0, 0, 0, 1, 2 };
	struct wr_bpf_tun_vni_key vk = { .underlay = 0, .vni = 5010 };
	struct wr_bpf_tun_vtep_key tk = { .underlay = 0, .ip = { 192, 0, 2, 2 } };
	struct wr_bpf_tun_hdr_key hk = { .bd = 10 };
	struct wr_tunnel_mirror tm;
	struct wr_tunnel_conf c;
	struct wr_bpf_tun_hdr h;
	struct wr_bpf_port p;
	uint16_t v16;
	int tun, vtep;

	(void)state;
	wd_fastpath_tunnel_mirror(fp, &tm);
	wr_switch_set_tunnel_mirror(sw, &tm);
	wr_tunnel_conf_init(&c, WR_TUNNEL_VXLAN);
	memcpy(c.local_ip, (uint8_t[4]){ 192, 0, 2, 1 }, 4);
	tun = wr_tunnel_add(sw, 0, &c);
	assert_true(tun >= 0);
	assert_int_equal(wr_tunnel_vni(sw, tun, 5010, 10), 0);
	assert_int_equal(klook(vnis, &vk, &v16), 0);
	assert_int_equal(v16, 10);
	vtep = wr_tunnel_vtep_add(sw, tun, tk.ip, true);
	assert_true(vtep > 0);
	assert_int_equal(klook(vteps, &tk, &v16), 0);
	assert_int_equal(v16, vtep);
	assert_int_equal(klook(PORTS_FD, &(uint32_t){ (uint32_t)vtep }, &p), 0);
	assert_int_equal(p.flags, WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING |
				  WR_BPF_PORT_F_VTEP);
	hk.vtep = (uint16_t)vtep;
	assert_int_equal(klook(hdrs, &hk, &h), -ENOENT);	/* no next hop yet */

	assert_int_equal(wr_tunnel_vtep_nexthop(sw, (uint16_t)vtep, src, dst), 0);
	assert_int_equal(klook(hdrs, &hk, &h), 0);
	assert_int_equal(h.len, 50);
	assert_int_equal(h.l4_off, 34);
	assert_int_equal(h.flags, WR_BPF_TUN_F_UDP_CSUM);
	assert_int_equal(h.underlay, 0);
	assert_int_equal(h.mtu, 1500);
	assert_int_equal(h.sport_min, 49152);
	assert_int_equal(h.sport_span, 16384);
	assert_memory_equal(h.bytes, dst, 6);
	assert_memory_equal(h.bytes + 6, src, 6);
	assert_int_equal(h.bytes[49], 0);			/* VNI 5010 = 0x001392 */
	assert_int_equal(h.bytes[48], 0x92);

	assert_int_equal(wr_tunnel_vni(sw, tun, 5010, 20), 0);	/* moved */
	assert_int_equal(klook(vnis, &vk, &v16), 0);
	assert_int_equal(v16, 20);
	assert_int_equal(klook(hdrs, &hk, &h), -ENOENT);
	hk.bd = 20;
	assert_int_equal(klook(hdrs, &hk, &h), 0);

	assert_int_equal(wr_tunnel_del(sw, tun), 0);
	assert_int_equal(klook(vnis, &vk, &v16), -ENOENT);
	assert_int_equal(klook(vteps, &tk, &v16), -ENOENT);
	assert_int_equal(klook(hdrs, &hk, &h), -ENOENT);
	assert_int_equal(klook(PORTS_FD, &(uint32_t){ (uint32_t)vtep }, &p), 0);
	assert_int_equal(p.flags, 0);
	assert_int_equal(wd_fastpath_tunnel_errors(fp), 0);
	wr_switch_set_tunnel_mirror(sw, NULL);
}

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

/* ------------------------------------------------------- an underlay port */

static struct warrend *wd;

static int underlay_teardown(void **state)
{
	struct wd_port *p;

	(void)state;
	if (!wd)
		return 0;
	p = wd_port_find(wd, "ul");
	if (p)
		wd_port_del(wd, p);
	wr_switch_destroy(wd->sw);
	wd_umem_release(wd);
	free(wd);
	wd = NULL;
	env_del("ula");
	return 0;
}

/* Port "ul"'s wr_ports entry. */
static struct wr_bpf_port ul_entry(struct wd_port **p)
{
	struct wr_bpf_port e;
	uint32_t key;

	*p = wd_port_find(wd, "ul");
	assert_non_null(*p);
	key = (*p)->index;
	assert_int_equal(bpf_map_lookup_elem(PORTS_FD, &key, &e), 0);
	return e;
}

/*
 * Whether the stack behind device "ula" answers an ARP who-has for
 * 10.0.0.1 sent into its veth peer "ulb" (@ifb) within @ms.
 */
static bool arp_answered(int ifb, int ms)
{
	static const uint8_t me[6] = { 0x02, 0, 0, 0, 0x0b, 1 };
	uint8_t req[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0x0b, 1, 0x08, 0x06,
			    0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0x0b, 1, 10, 0, 0, 2,
			    0, 0, 0, 0, 0, 0, 10, 0, 0, 1 }, got[128];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifb, .sll_halen = 6 };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
	bool answered = false;

	assert_true(fd >= 0);
	to.sll_protocol = htons(ETH_P_ARP);
	assert_int_equal(bind(fd, (struct sockaddr *)&to, sizeof(to)), 0);
	memcpy(to.sll_addr, req, 6);
	assert_int_equal(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(req));
	for (int waited = 0; !answered && waited < ms; waited += 10) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 10) <= 0)
			continue;
		n = recv(fd, got, sizeof(got), 0);
		/* A reply (opcode 2) to us from 10.0.0.1; our own request comes by too. */
		answered = n >= 42 && got[21] == 2 && !memcmp(got + 28, req + 38, 4) &&
			   !memcmp(got, me, 6);
	}
	close(fd);
	return answered;
}

/*
 * wd_port_underlay() on an afxdp port of a warrend whose fast path is
 * loaded: a TC port stays TC (its tunnel frames stay whole), any other
 * runs XDP, whatever it asks (the program sorts tunnel frames from the
 * kernel's even with the fast path off); its wr_ports entry says underlay
 * with the address, family and UDP port, out of the switch's fast path,
 * with its namespace's number for TC; undone, it goes back to what it
 * asked. Only afxdp ports; without the fast path the setting is only
 * recorded.
 */
static void test_underlay_port(void **state)
{
	static const uint8_t ip4[4] = { 10, 0, 0, 1 }, ip6[16] = { 0xfd, [15] = 1 };
	struct wd_port req = { .type = WR_PORT_AFXDP, .fastpath = WR_FASTPATH_TC, .zerocopy = -1 };
	struct wd_port *p, tap;
	struct wr_bpf_port e;
	struct wr_cidr addr;
	int ifa, ifb;
	char err[256];

	(void)state;
	assert_int_equal(env_veth("ula", "ulb", &ifa, &ifb), 0);
	wd = calloc(1, sizeof(*wd));
	assert_non_null(wd);
	wd->sw = wr_switch_create(NULL);
	assert_non_null(wd->sw);
	wd->fp = fp;
	wd->ctl_wake_fd = -1;
	wd->conf.fastpath = WR_FASTPATH_AUTO;
	wd->conf.umem_frames = 4096;
	snprintf(req.name, sizeof(req.name), "ul");
	snprintf(req.dev, sizeof(req.dev), "ula");
	wr_port_conf_init(&req.conf);
	if (wd_port_add(wd, &req, err, sizeof(err)))
		fail_msg("%s", err);
	p = wd_port_find(wd, "ul");
	assert_int_equal(p->fp_mode, WR_FASTPATH_TC);
	assert_int_equal(xdp_prog_id(ifa), 0);

	/* TC stays TC, the switch's fast path off on it. */
	if (wd_port_underlay(wd, p, ip4, false, WR_TUNNEL_VXLAN, 4789, err, sizeof(err)))
		fail_msg("%s", err);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_TC);
	assert_int_equal(xdp_prog_id(ifa), 0);
	assert_int_equal(e.ifindex, (uint32_t)ifa);
	assert_int_equal(e.flags & (WR_BPF_PORT_F_UNDERLAY | WR_BPF_PORT_F_FASTPATH),
			 WR_BPF_PORT_F_UNDERLAY);
	/* Its namespace's number (warrend's own: 0), for TC's encap from tenants there. */
	assert_true(e.flags & WR_BPF_PORT_F_TC_ENCAP);
	assert_int_equal(e.netns_id, 0);
	assert_int_equal(e.ul_dport, htons(4789));
	assert_int_equal(e.ul_ipv6, 0);
	assert_memory_equal(e.ul_ip, ((uint8_t[16]){ 10, 0, 0, 1 }), 16);
	/* The stack has the address: its ARP answers go through the program (TC). */
	assert_int_equal(wr_parse_cidr("10.0.0.1/24", true, &addr), 0);
	assert_int_equal(wr_addr_add(&(struct wr_ep){ .ifname = "ula" }, &addr), 0);
	assert_true(arp_answered(ifb, 2000));

	/* Another address: only the entry changes. */
	if (wd_port_underlay(wd, p, ip6, true, WR_TUNNEL_GENEVE, 6081, err, sizeof(err)))
		fail_msg("%s", err);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_TC);
	assert_int_equal(e.ul_dport, htons(6081));
	assert_int_equal(e.ul_ipv6, 1);
	assert_memory_equal(e.ul_ip, ip6, 16);
	assert_true(e.flags & WR_BPF_PORT_F_UNDERLAY);

	/* Asked xdp: XDP, the program attached, still out of the switch's fast path. */
	assert_int_equal(wd_port_set_fastpath(wd, p, WR_FASTPATH_XDP, err, sizeof(err)), 0);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_XDP);
	assert_non_null(strstr(p->fp_why, "underlay"));
	assert_int_not_equal(xdp_prog_id(ifa), 0);
	assert_int_equal(e.flags & (WR_BPF_PORT_F_UNDERLAY | WR_BPF_PORT_F_FASTPATH),
			 WR_BPF_PORT_F_UNDERLAY);
	assert_true(arp_answered(ifb, 2000));
	/* Asked off: still XDP, which sorts the frames; asked tc: TC again. */
	assert_int_equal(wd_port_set_fastpath(wd, p, WR_FASTPATH_OFF, err, sizeof(err)), 0);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_XDP);
	assert_int_equal(p->fastpath, WR_FASTPATH_OFF);		/* still what it asked */
	assert_true(e.flags & WR_BPF_PORT_F_UNDERLAY);
	assert_int_equal(wd_port_set_fastpath(wd, p, WR_FASTPATH_TC, err, sizeof(err)), 0);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_TC);
	assert_int_equal(xdp_prog_id(ifa), 0);
	assert_true(e.flags & WR_BPF_PORT_F_UNDERLAY);

	/* No longer an underlay: back to TC, as asked. */
	if (wd_port_underlay(wd, p, NULL, false, WR_TUNNEL_VXLAN, 0, err, sizeof(err)))
		fail_msg("%s", err);
	e = ul_entry(&p);
	assert_int_equal(p->fp_mode, WR_FASTPATH_TC);
	assert_false(p->underlay.on);
	assert_int_equal(xdp_prog_id(ifa), 0);
	assert_int_equal(e.flags & WR_BPF_PORT_F_UNDERLAY, 0);
	assert_int_equal(e.ul_dport, 0);

	/* On XDP without the underlay, ARP goes to warrend's socket: no answer. */
	assert_int_equal(wd_port_set_fastpath(wd, p, WR_FASTPATH_XDP, err, sizeof(err)), 0);
	p = wd_port_find(wd, "ul");
	assert_int_equal(p->fp_mode, WR_FASTPATH_XDP);
	assert_false(arp_answered(ifb, 300));

	/* Not an afxdp port: refused, said why. */
	tap = *p;
	tap.type = WR_PORT_TAP;
	assert_int_equal(wd_port_underlay(wd, &tap, ip4, false, WR_TUNNEL_VXLAN, 4789, err,
					  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "afxdp"));
	assert_false(tap.underlay.on);
	assert_int_equal(wd_port_underlay(wd, p, ip4, false, WR_TUNNEL_VXLAN, 0, err, sizeof(err)), -EINVAL);

	/* No fast path: recorded, nothing else. */
	wd->fp = NULL;
	assert_int_equal(wd_port_underlay(wd, p, ip4, false, WR_TUNNEL_VXLAN, 4789, err, sizeof(err)),
			 0);
	wd->fp = fp;
	assert_true(p->underlay.on);
	assert_int_equal(p->underlay.dport, 4789);
	assert_int_equal(p->fp_mode, WR_FASTPATH_XDP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdb_follows),
		cmocka_unit_test(test_ports_and_vlans),
		cmocka_unit_test(test_tunnels_follow),
		cmocka_unit_test(test_netns_numbers_released),
		cmocka_unit_test(test_netns_numbers_full),
		cmocka_unit_test_teardown(test_underlay_port, underlay_teardown),
	};

	if (env_enter())
		return 1;
	netns_names();
	return cmocka_run_group_tests(tests, setup, teardown);
}
