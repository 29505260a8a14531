/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk_none.c - the DPDK backend of a build without DPDK (meson found no
 * libdpdk, or -Ddpdk=disabled): every call says so, so warrend builds and
 * runs the same and refuses DPDK ports with a sentence.
 */
#include <errno.h>
#include <stdio.h>

#include "wr_drivers.h"

#define NO_DPDK "this warrend was built without DPDK (install libdpdk-dev; meson -Ddpdk=enabled)"

int wr_dpdk_init(const char *const *args, int n_args, uint32_t n_mbufs, char *err,
		 size_t errlen)
{
	(void)args;
	(void)n_args;
	(void)n_mbufs;
	snprintf(err, errlen, "dpdk: " NO_DPDK);
	return -ENOTSUP;
}

void wr_dpdk_log_to(void (*fn)(int level, const char *line))
{
	(void)fn;
}

bool wr_dpdk_ready(void)
{
	return false;
}

void wr_dpdk_fini(void)
{
}

bool wr_dpdk_thread_register(void)
{
	return false;
}

void wr_dpdk_thread_unregister(void)
{
}

struct wr_port *wr_dpdk_port_create(const struct wr_dpdk_conf *conf, char *err, size_t errlen)
{
	snprintf(err, errlen, "port %s: " NO_DPDK, conf->name);
	errno = ENOTSUP;
	return NULL;
}

uint16_t wr_dpdk_port_id(const struct wr_port *port)
{
	(void)port;
	return 0;
}

void wr_dpdk_port_info(const struct wr_port *port, struct wr_dpdk_info *info)
{
	(void)port;
	*info = (struct wr_dpdk_info){ .socket = -1 };
}
