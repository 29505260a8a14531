/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * port_open.c - a port's backend opened on its device, the device prepared
 * first: what touches the system when a port is added. The API's unit
 * tests and fuzz targets link their own wd_port_open() (ring ports, no
 * device) in place of this file.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "warrend.h"
#include "wr_control.h"
#include "wr_drivers.h"

/*
 * The device @req is served through, prepared for its fast path: the far
 * end of a veth as AF_XDP or TC needs it (wr_endpoint_prepare()), noted in
 * req->peer so that wd_port_del() puts it back. A dpdk port on net_af_xdp
 * is an AF_XDP socket on its `iface` too, without a kernel fast path.
 */
static int prepare_dev(struct wd_port *req, char *err, size_t errlen)
{
	char iface[IFNAMSIZ];
	const char *dev = req->dev;
	int ret = 0;

	memset(&req->peer, 0, sizeof(req->peer));
	if (req->type == WR_PORT_TAP)
		return 0;
	if (req->type == WR_PORT_DPDK) {
		ret = wr_devargs_afxdp_iface(req->devargs, iface, sizeof(iface));
		if (!ret)
			return 0;
		dev = iface;
	}
	ret = ret < 0 ? ret : wr_endpoint_probe(req->netns, dev, &req->peer);
	if (!ret)
		ret = wr_endpoint_prepare(&req->peer, req->type == WR_PORT_DPDK ? WR_FASTPATH_OFF :
					  (int)req->fp_mode);
	if (ret)
		snprintf(err, errlen, "port %s: %s", req->name, wr_err_msg());
	return ret;
}

struct wr_port *wd_port_open(struct warrend *wd, struct wd_port *req, uint16_t worker,
			     char *err, size_t errlen)
{
	const char *netns = req->netns[0] ? req->netns : NULL;
	int ret = prepare_dev(req, err, errlen);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (req->type == WR_PORT_TAP)
		return wr_tap_port_create(req->name, netns, req->dev, err, errlen);
	if (req->type == WR_PORT_DPDK) {
		ret = wd_dpdk_start(wd, err, errlen);
		if (ret) {
			errno = -ret;
			return NULL;
		}
		return wr_dpdk_port_create(&(struct wr_dpdk_conf){
			.name = req->name,
			.devargs = req->devargs,
			.netns = netns,
			.owner = worker,
			.n_queues = wd->n_workers,
		}, err, errlen);
	}
	if (req->fp_mode == WR_FASTPATH_TC)
		return wr_tap_port_make(req->name, netns, req->fp_tap, req->dev, err, errlen);
	if (!wd->umem) {
		wd->umem = wr_afxdp_umem_create(wd->conf.umem_frames, wd->n_workers, err, errlen);
		if (!wd->umem)
			return NULL;
	}
	return wr_afxdp_port_create(wd->umem, &(struct wr_afxdp_conf){
		.name = req->name,
		.netns = netns,
		.dev = req->dev,
		.queue = req->queue,
		.zerocopy = req->zerocopy,
		.own_umem = req->own_umem,
		.busy_poll = wd->conf.busy_poll,
		.owner = worker,
		.own_prog = wd->fp != NULL,
	}, err, errlen);
}
