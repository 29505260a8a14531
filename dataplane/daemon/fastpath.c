/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastpath.c - the kernel fast path's maps (bpf/wr_bpf.h) kept in step
 * with the switch: the FDB through the switch's mirror hook, ports and
 * VLANs as the API sets them. Userspace is the single source of truth;
 * every write here happens on the control thread, as the change it
 * mirrors is made.
 *
 * This file owns the maps only. Attaching the program to the ports'
 * devices, the XSKMAP and the DEVMAP (written from inside each port's
 * namespace) come with the per-port fast path modes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "warrend.h"
#include "wr_bpf.h"
#include "xdp_switch.skel.h"

struct wd_fastpath {
	struct xdp_switch *skel;
	int fdb_fd, ports_fd, ifports_fd, vlan_bd_fd;
	uint64_t fdb_errors;	/* map writes the kernel refused (a full map) */
};

static struct wr_bpf_fdb_key fdb_key(uint16_t bd, const uint8_t mac[6])
{
	struct wr_bpf_fdb_key k = { .bd = bd };

	memcpy(k.mac, mac, 6);
	return k;
}

static void fdb_set(void *ctx, uint16_t bd, const uint8_t mac[6], uint16_t port, bool is_static)
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);
	struct wr_bpf_fdb_val v = {
		.last_seen_ns = wd_now_ns(),
		.port = port,
		.flags = is_static ? WR_BPF_FDB_F_STATIC : 0,
	};

	if (bpf_map_update_elem(fp->fdb_fd, &k, &v, BPF_ANY))
		fp->fdb_errors++;
}

static void fdb_del(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);

	bpf_map_delete_elem(fp->fdb_fd, &k);	/* absent after a refused set: fine */
}

/* The kernel's stamp, in the switch clock's seconds (both CLOCK_MONOTONIC). */
static uint32_t fdb_seen(void *ctx, uint16_t bd, const uint8_t mac[6])
{
	struct wd_fastpath *fp = ctx;
	struct wr_bpf_fdb_key k = fdb_key(bd, mac);
	struct wr_bpf_fdb_val v;

	if (bpf_map_lookup_elem(fp->fdb_fd, &k, &v))
		return 0;
	return (uint32_t)(v.last_seen_ns / 1000000000u);
}

struct wd_fastpath *wd_fastpath_open(uint32_t fdb_max, char *err, size_t errlen)
{
	struct wd_fastpath *fp = calloc(1, sizeof(*fp));
	int ret;

	if (!fp) {
		snprintf(err, errlen, "fast path: %s", strerror(ENOMEM));
		return NULL;
	}
	fp->skel = xdp_switch__open();
	if (!fp->skel) {
		ret = -errno;
		goto fail;
	}
	ret = bpf_map__set_max_entries(fp->skel->maps.wr_fdb, fdb_max);
	if (!ret)
		ret = xdp_switch__load(fp->skel);
	if (ret)
		goto fail;
	fp->fdb_fd = bpf_map__fd(fp->skel->maps.wr_fdb);
	fp->ports_fd = bpf_map__fd(fp->skel->maps.wr_ports);
	fp->ifports_fd = bpf_map__fd(fp->skel->maps.wr_ifports);
	fp->vlan_bd_fd = bpf_map__fd(fp->skel->maps.wr_vlan_bd);
	/* VLAN N belongs to bridge domain N, as in warrend, until vlan.set. */
	for (uint32_t v = 1; v < WR_BPF_VLAN_MAX - 1; v++)
		wd_fastpath_vlan(fp, (uint16_t)v, (uint16_t)v);
	return fp;

fail:
	snprintf(err, errlen, "fast path: loading bpf/xdp_switch: %s", strerror(-ret));
	wd_fastpath_close(fp);
	errno = -ret;
	return NULL;
}

void wd_fastpath_close(struct wd_fastpath *fp)
{
	if (!fp)
		return;
	xdp_switch__destroy(fp->skel);
	free(fp);
}

void wd_fastpath_mirror(struct wd_fastpath *fp, struct wr_fdb_mirror *m)
{
	*m = (struct wr_fdb_mirror){ fdb_set, fdb_del, fdb_seen, fp };
}

int wd_fastpath_port(struct wd_fastpath *fp, uint16_t index, uint32_t ifindex,
		     const struct wr_port_conf *c, uint16_t max_len, bool fast)
{
	struct wr_bpf_port p = {
		.ifindex = ifindex,
		.bd = c->bd,
		.access_vlan = c->access_vlan,
		.native_vlan = c->native_vlan,
		.max_len = max_len,
		.vlan_mode = (uint8_t)c->vlan_mode,	/* same values, wr_bpf.h says */
		.flags = (fast ? WR_BPF_PORT_F_FASTPATH : 0) | (c->learning ? WR_BPF_PORT_F_LEARNING : 0),
		.src_check = c->learning ? WR_BPF_SRC_KNOWN_HERE : WR_BPF_SRC_ANY,
	};
	uint32_t key = index, idx = index;

	_Static_assert(sizeof(p.allowed) == sizeof(c->allowed), "VLAN bitmaps differ");
	memcpy(p.allowed, c->allowed, sizeof(p.allowed));
	if (bpf_map_update_elem(fp->ports_fd, &key, &p, BPF_ANY) ||
	    bpf_map_update_elem(fp->ifports_fd, &ifindex, &idx, BPF_ANY))
		return -errno;
	return 0;
}

int wd_fastpath_port_del(struct wd_fastpath *fp, uint16_t index, uint32_t ifindex)
{
	struct wr_bpf_port none = { 0 };
	uint32_t key = index;

	/* Order: the port stops being a target before its device stops being one. */
	if (bpf_map_update_elem(fp->ports_fd, &key, &none, BPF_ANY))
		return -errno;
	bpf_map_delete_elem(fp->ifports_fd, &ifindex);
	return 0;
}

int wd_fastpath_vlan(struct wd_fastpath *fp, uint16_t vlan, uint16_t bd)
{
	uint32_t key = vlan;

	return bpf_map_update_elem(fp->vlan_bd_fd, &key, &bd, BPF_ANY) ? -errno : 0;
}

uint64_t wd_fastpath_fdb_errors(const struct wd_fastpath *fp)
{
	return fp->fdb_errors;
}

void *wd_fastpath_skel(const struct wd_fastpath *fp)
{
	return fp->skel;
}
