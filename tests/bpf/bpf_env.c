/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf_env.c - the fast-path tests' namespace, devices, maps and frames
 * (bpf_env.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "bpf_env.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int env_enter(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root (loads BPF programs, makes a network namespace)\n");
		exit(77);
	}
	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	/* /proc/sys/net shows the namespace of whoever opens it: ours now. */
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	return 0;
}

/* Set IFF_UP and GRO on @name through @fd, an AF_INET datagram socket. */
static int dev_up_gro(int fd, const char *name)
{
	struct ethtool_value gro = { .cmd = ETHTOOL_SGRO, .data = 1 };
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&gro;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

int env_veth(const char *a, const char *b, int *ifindex_a, int *ifindex_b)
{
	struct nl_sock *sk = nl_socket_alloc();
	int fd = -1, rc;

	if (!sk)
		return -ENOMEM;
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc == 0)
		rc = rtnl_link_veth_add(sk, a, b, getpid());
	nl_socket_free(sk);
	if (rc < 0) {
		fprintf(stderr, "veth %s/%s: create: %s\n", a, b, nl_geterror(rc));
		return -EIO;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = dev_up_gro(fd, a);
	if (rc == 0)
		rc = dev_up_gro(fd, b);
	close(fd);
	*ifindex_a = (int)if_nametoindex(a);
	*ifindex_b = (int)if_nametoindex(b);
	if (rc == 0 && (!*ifindex_a || !*ifindex_b))
		rc = -ENODEV;
	return rc;
}

void env_del(const char *name)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *link = rtnl_link_alloc();

	if (sk && link && nl_connect(sk, NETLINK_ROUTE) == 0) {
		rtnl_link_set_name(link, name);
		rtnl_link_delete(sk, link);
	}
	rtnl_link_put(link);
	nl_socket_free(sk);
}

struct xdp_switch *env_load(void)
{
	struct xdp_switch *s = xdp_switch__open_and_load();

	if (!s)
		fprintf(stderr, "xdp_switch: load: %s\n", strerror(errno));
	return s;
}

struct xdp_switch *env_veths_load(const char *const *names, int n, int *ifindex)
{
	for (int i = 0; i + 1 < n; i += 2)
		if (env_veth(names[i], names[i + 1], &ifindex[i], &ifindex[i + 1]))
			return NULL;
	return env_load();
}

void env_port(struct xdp_switch *s, uint32_t idx, struct wr_bpf_port p)
{
	uint32_t ifindex = p.ifindex;

	assert_int_equal(bpf_map__update_elem(s->maps.wr_ports, &idx, sizeof(idx), &p, sizeof(p),
					      BPF_ANY), 0);
	if (!ifindex)
		return;
	assert_int_equal(bpf_map__update_elem(s->maps.wr_ifports, &ifindex, sizeof(ifindex), &idx,
					      sizeof(idx), BPF_ANY), 0);
	assert_int_equal(bpf_map__update_elem(s->maps.wr_devmap, &idx, sizeof(idx), &ifindex,
					      sizeof(ifindex), BPF_ANY), 0);
}

struct wr_bpf_port env_port_none(int ifindex, uint16_t bd)
{
	return (struct wr_bpf_port){
		.ifindex = (uint32_t)ifindex,
		.bd = bd,
		.vlan_mode = WR_BPF_VLAN_NONE,
		.flags = WR_BPF_PORT_F_FASTPATH | WR_BPF_PORT_F_LEARNING,
	};
}

struct wr_bpf_port env_port_access(int ifindex, uint16_t vlan)
{
	struct wr_bpf_port p = env_port_none(ifindex, 0);

	p.vlan_mode = WR_BPF_VLAN_ACCESS;
	p.access_vlan = vlan;
	return p;
}

struct wr_bpf_port env_port_trunk(int ifindex, uint16_t native, const uint16_t *vlans, int n)
{
	struct wr_bpf_port p = env_port_none(ifindex, 0);

	p.vlan_mode = WR_BPF_VLAN_TRUNK;
	p.native_vlan = native;
	for (int i = 0; i < n; i++)
		p.allowed[vlans[i] / 64] |= 1ULL << (vlans[i] % 64);
	return p;
}

void env_vlan_bd(struct xdp_switch *s, uint32_t vlan, uint16_t bd)
{
	assert_int_equal(bpf_map__update_elem(s->maps.wr_vlan_bd, &vlan, sizeof(vlan), &bd,
					      sizeof(bd), BPF_ANY), 0);
}

static struct wr_bpf_fdb_key fdb_key(uint16_t bd, const uint8_t mac[6])
{
	struct wr_bpf_fdb_key k = { .bd = bd };

	memcpy(k.mac, mac, 6);
	return k;
}

void env_fdb(struct xdp_switch *s, uint16_t bd, const uint8_t mac[6], uint16_t port,
	     uint64_t last_seen_ns)
{
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);
	struct wr_bpf_fdb_val v = { .last_seen_ns = last_seen_ns, .port = port };

	assert_int_equal(bpf_map__update_elem(s->maps.wr_fdb, &k, sizeof(k), &v, sizeof(v),
					      BPF_ANY), 0);
}

bool env_fdb_get(struct xdp_switch *s, uint16_t bd, const uint8_t mac[6],
		 struct wr_bpf_fdb_val *v)
{
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);

	return bpf_map__lookup_elem(s->maps.wr_fdb, &k, sizeof(k), v, sizeof(*v), 0) == 0;
}

/*
 * The per-CPU values of @key in @map, summed into @out: a struct of
 * @n_words 64-bit counters.
 */
static void sum_percpu(const struct bpf_map *map, uint32_t key, uint64_t *out, size_t n_words)
{
	int ncpus = libbpf_num_possible_cpus();
	size_t size = n_words * sizeof(uint64_t);
	uint64_t *vals;

	assert_true(ncpus > 0);
	vals = calloc((size_t)ncpus, size);
	assert_non_null(vals);
	assert_int_equal(bpf_map__lookup_elem(map, &key, sizeof(key), vals, (size_t)ncpus * size,
					      0), 0);
	memset(out, 0, size);
	for (int c = 0; c < ncpus; c++)
		for (size_t i = 0; i < n_words; i++)
			out[i] += vals[(size_t)c * n_words + i];
	free(vals);
}

void env_stats(struct xdp_switch *s, struct wr_bpf_stats *st)
{
	sum_percpu(s->maps.wr_stats, 0, (uint64_t *)st, sizeof(*st) / sizeof(uint64_t));
}

void env_port_stats(struct xdp_switch *s, uint32_t idx, struct wr_bpf_port_stats *ps)
{
	sum_percpu(s->maps.wr_port_stats, idx, (uint64_t *)ps, sizeof(*ps) / sizeof(uint64_t));
}

#define XSK_FRAMES	64

int env_xsk_open(struct env_xsk *x, const char *dev)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};

	x->area = mmap(NULL, XSK_FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(x->area != MAP_FAILED);
	assert_int_equal(xsk_umem__create(&x->umem, x->area,
					  XSK_FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE, &x->fill,
					  &x->comp, NULL), 0);
	assert_int_equal(xsk_socket__create(&x->sock, dev, 0, x->umem, &x->rx, NULL, &cfg), 0);
	return xsk_socket__fd(x->sock);
}

void env_xsk_close(struct env_xsk *x)
{
	xsk_socket__delete(x->sock);
	xsk_umem__delete(x->umem);
	if (x->area && x->area != MAP_FAILED)
		munmap(x->area, XSK_FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE);
	memset(x, 0, sizeof(*x));
}

uint64_t env_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t put_be16(uint8_t *b, uint16_t n, uint16_t v)
{
	b[n] = (uint8_t)(v >> 8);
	b[n + 1] = (uint8_t)v;
	return (uint16_t)(n + 2);
}

uint16_t env_frame(uint8_t *out, const uint8_t dst[6], const uint8_t src[6], uint16_t tpid1,
		   uint16_t tci1, uint16_t tpid2, uint16_t tci2, uint16_t len)
{
	uint16_t n = 12;

	memcpy(out, dst, 6);
	memcpy(out + 6, src, 6);
	if (tpid1) {
		n = put_be16(out, n, tpid1);
		n = put_be16(out, n, tci1);
	}
	if (tpid2) {
		n = put_be16(out, n, tpid2);
		n = put_be16(out, n, tci2);
	}
	n = put_be16(out, n, ENV_ETHERTYPE);
	if (!len)
		len = (uint16_t)(ENV_FRAME_LEN + n - 14);
	assert_true(len <= ENV_FRAME_MAX);
	for (; n < len; n++)
		out[n] = (uint8_t)n;
	return len;
}
