/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stage_tunnel.c - the decap stage: each frame an underlay port received
 * is taken off its tunnel (overlay.c checks the outer headers), its VNI
 * gives its bridge domain and its outer source the VTEP port it comes in
 * by, so that the bridge learns the inner source against that VTEP. The
 * frame's buffer stays the underlay's: the VTEP's input pointer is the
 * underlay's port, so drops and copies free and allocate there.
 */
#include <string.h>

#include "tunnel_priv.h"

/* Ask the control thread to make @ip a VTEP; a full ring forgets it (the next frame asks again). */
static void vtep_request(struct tun_req_ring *r, const uint8_t ip[16])
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (head - atomic_load_explicit(&r->tail, memory_order_acquire) == TUN_REQ_MAX)
		return;
	memcpy(r->ip[head % TUN_REQ_MAX], ip, 16);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
}

/* The Geneve options of one frame, counted by (class, type) in this worker's row. */
static void count_options(struct tun_opt_row *r, const uint8_t *opts, uint16_t len)
{
	struct wr_geneve_opt o;
	uint16_t off = 0;

	while (wr_geneve_opt_next(opts, len, &off, &o) == 1) {
		int i = 0;

		while (i < WR_TUNNEL_RX_OPTS && r->e[i].used &&
		       (r->e[i].cls != o.cls || r->e[i].type != o.type))
			i++;
		if (i == WR_TUNNEL_RX_OPTS) {
			r->other++;
			continue;
		}
		if (!r->e[i].used) {
			r->e[i].cls = o.cls;
			r->e[i].type = o.type;
			r->e[i].used = true;
		}
		r->e[i].pkts++;
	}
}

/* @p off tunnel @t: true with @p its inner frame, false when it was dropped. */
static bool decap_one(struct wr_worker *w, struct sw_tunnel *t, struct wr_pkt *p)
{
	const struct tun_map *m = atomic_load_explicit(&t->map, memory_order_acquire);
	struct wr_switch *sw = w->sw;
	struct wr_tun_rx rx;
	enum wr_drop why;
	uint16_t bd;
	int r, vtep;

	r = wr_tun_decap(&t->rx, p->data, p->len, &rx, &why);
	if (r != WR_TUN_DECAP)
		why = r == WR_TUN_NOT_MINE ? WR_DROP_UNDERLAY_OTHER : why;
	else if (!(bd = tun_map_bd(m, rx.vni)))
		why = WR_DROP_TUN_NO_VNI;
	else if ((vtep = tun_map_vtep(m, rx.src_ip)) < 0) {
		why = WR_DROP_TUN_NO_VTEP;
		if (t->conf.learn_vteps)
			vtep_request(&t->vtep_req[w->id], rx.src_ip);
	}
	else if (!atomic_load_explicit(&sw->ports[vtep].up, memory_order_relaxed))
		why = WR_DROP_PORT_DOWN;
	else {
		if (rx.n_opts)
			count_options(&t->rx_opts[w->id], p->data + rx.opts_off, rx.opts_len);
		w->in_ptr[vtep] = w->in_ptr[p->in_port];
		w->ports[vtep].s.rx_pkts++;
		w->ports[vtep].s.rx_bytes += rx.inner_len;
		p->data += rx.inner_off;
		p->len = rx.inner_len;
		p->in_port = (uint16_t)vtep;
		p->bd = bd;
		p->vni = rx.vni;
		return true;
	}
	wr_stage_drop(&w->stage, p, why);
	return false;
}

uint16_t wr_stage_decap(struct wr_worker *w, struct sw_tunnel *t, struct wr_pkt **pkts,
			uint16_t n)
{
	uint16_t kept = 0;

	for (uint16_t i = 0; i < n; i++)
		if (decap_one(w, t, pkts[i]))
			pkts[kept++] = pkts[i];
	return kept;
}
