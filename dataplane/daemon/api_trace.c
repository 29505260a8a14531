/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_trace.c - the trace commands of docs/api.md (trace.*): arming the
 * switch's trace (the filter read as a chain's classifier, a synthetic
 * frame built from its fields), the kernel told to hand the port's frames
 * up while it is armed, and the records as JSON with the switch's numbers
 * named: ports, tunnels and VTEPs, chains, drop reasons. One trace at a
 * time; it stops by itself at its deadline or when its port goes.
 */
#include <arpa/inet.h>

#include "api_priv.h"

#define ADD(o, k, v) json_object_object_add(o, k, v)
#define TRACE_TIMEOUT_S	10

static const char *const src_words[] = {
	[WR_TRACE_SRC_NONE] = "none", [WR_TRACE_SRC_REFRESHED] = "refreshed",
	[WR_TRACE_SRC_LEARN] = "learn", [WR_TRACE_SRC_MOVE] = "move",
	[WR_TRACE_SRC_NO_LEARN] = "no_learn", [WR_TRACE_SRC_FROM_HOP] = "from_hop",
};
static const char *const chain_words[] = {
	[WR_TRACE_CHAIN_NONE] = "none", [WR_TRACE_CHAIN_INTO] = "into",
	[WR_TRACE_CHAIN_NEXT] = "next", [WR_TRACE_CHAIN_BRIDGE] = "bridge",
};
static const char *const stage_words[WR_TRACE_STAGES] = {
	[WR_TRACE_DECAP] = "decap", [WR_TRACE_PARSE] = "parse",
	[WR_TRACE_BRIDGE] = "bridge", [WR_TRACE_OUTPUT] = "output",
};

/* ----------------------------------------------------------------- arming */

/* The kernel hands @p's frames up while traced (or no longer): its wr_ports entry again. */
static void fastpath_trace(struct warrend *wd, struct wd_port *p, bool on)
{
	if (!wd->fp || !p || p->type != WR_PORT_AFXDP)
		return;
	wd_fastpath_trace(wd->fp, on ? p->index : -1);
	wd_port_fastpath_sync(wd, p);
}

void wd_trace_stop(struct warrend *wd)
{
	const struct wr_trace_rec *recs;
	int n;

	if (!wd->trace.on)
		return;
	/* Its records stay for trace.show and trace.stop (a client may come a moment late). */
	n = wr_trace_collect(wd->sw, &recs, &wd->trace.overflow);
	wd->trace.n_kept = (uint16_t)(n > 0 ? n : 0);
	if (n > 0)
		memcpy(wd->trace.kept, recs, (size_t)n * sizeof(recs[0]));
	wr_trace_stop(wd->sw);
	if (!wd->trace.synthetic)
		fastpath_trace(wd, wd_port_by_index(wd, wd->trace.port), false);
	wd->trace.on = false;
}

static int arm(struct req *r, struct wd_port *p, const struct wr_trace_conf *c, int64_t timeout_s)
{
	struct warrend *wd = r->wd;
	int err = wr_trace_start(wd->sw, c);

	if (err == -EBUSY)
		return fail(r, err, "trace: one is armed already, on port %s (trace.stop it first)",
			    wd->trace.port_name);
	if (err)
		return fail(r, err, "trace on port %s: %s", p->name, strerror(-err));
	wd->trace.on = true;
	wd->trace.synthetic = c->frame_len > 0;
	wd->trace.port = p->index;
	wd->trace.count = c->count;
	wd->trace.deadline_ns = wd_now_ns() + (uint64_t)timeout_s * 1000000000u;
	wd->trace.n_kept = 0;
	wd->trace.overflow = 0;
	snprintf(wd->trace.port_name, sizeof(wd->trace.port_name), "%s", p->name);
	if (!c->frame_len)
		fastpath_trace(wd, p, true);
	/* An idle worker sleeps: the synthetic frame's, or the first frame's, pass comes sooner. */
	wd_workers_wake(wd);
	return 0;
}

void wd_trace_tick(struct warrend *wd)
{
	const struct wd_port *p;

	if (!wd->trace.on)
		return;
	p = wd_port_by_index(wd, wd->trace.port);
	if (wd_now_ns() > wd->trace.deadline_ns || !p || strcmp(p->name, wd->trace.port_name))
		wd_trace_stop(wd);
}

int wd_cmd_trace_start(struct req *r)
{
	struct wr_trace_conf c = { .count = 1 };
	int64_t v, timeout_s = TRACE_TIMEOUT_S;
	struct wd_port *p;
	int err;

	if ((err = arg_port(r, "port", &p)))
		return err;
	c.port = p->index;
	if (arg_int(r, "count", &v))
		c.count = (uint16_t)v;
	arg_int(r, "timeout_s", &timeout_s);
	if ((err = wd_arg_class(r, "trace", &c.filter, false)))
		return err;
	return arm(r, p, &c, timeout_s);
}

/* ---------------------------------------------------------- synthetic frames */

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* The one's complement sum of @n bytes (even) folded, for the IPv4 header's checksum. */
static uint16_t csum(const uint8_t *b, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * trace.frame's frame into @f: Ethernet, an 802.1Q tag, then an IPv4 or
 * IPv6 header with a UDP or TCP header (ports), or another protocol's
 * empty payload; without addresses an empty frame of ethertype 0x88b5
 * (local experimental). Padded to 60 bytes. Its length, or -errno.
 */
static int build_frame(struct req *r, uint8_t *f)
{
	int64_t vlan = 0, proto = 17, sport = 12345, dport = 80;
	const char *src = NULL, *dst = NULL;
	uint8_t sip[16], dip[16];
	bool v6 = false, v6d = false;
	size_t o = 12, l3, l4len;

	memset(f, 0, WR_TRACE_FRAME_MAX);
	arg_mac(r, "dst_mac", f);
	arg_mac(r, "src_mac", f + 6);
	if (arg_int(r, "vlan", &vlan)) {
		put16(f + o, 0x8100);
		put16(f + o + 2, (uint16_t)vlan);
		o += 4;
	}
	arg_str(r, "src", &src);
	arg_str(r, "dst", &dst);
	if (!src != !dst)
		return fail(r, -EINVAL, "trace frame: src and dst go together (an IP packet has both)");
	if (!src) {
		if (arg(r, "proto") || arg(r, "src_port") || arg(r, "dst_port"))
			return fail(r, -EINVAL, "trace frame: proto and ports need src and dst");
		put16(f + o, 0x88b5);
		return 60;
	}
	wr_ip_parse(src, sip, &v6);
	wr_ip_parse(dst, dip, &v6d);
	if (v6 != v6d)
		return fail(r, -EINVAL, "trace frame: src and dst: one IPv4 and one IPv6 address");
	arg_int(r, "proto", &proto);
	arg_int(r, "src_port", &sport);
	arg_int(r, "dst_port", &dport);
	l4len = proto == 6 ? 20 : proto == 17 ? 8 : 0;
	put16(f + o, v6 ? 0x86dd : 0x0800);
	l3 = o + 2;
	if (v6) {
		f[l3] = 0x60;
		put16(f + l3 + 4, (uint16_t)l4len);
		f[l3 + 6] = (uint8_t)proto;
		f[l3 + 7] = 64;
		memcpy(f + l3 + 8, sip, 16);
		memcpy(f + l3 + 24, dip, 16);
		o = l3 + 40;
	} else {
		f[l3] = 0x45;
		put16(f + l3 + 2, (uint16_t)(20 + l4len));
		f[l3 + 8] = 64;
		f[l3 + 9] = (uint8_t)proto;
		memcpy(f + l3 + 12, sip, 4);
		memcpy(f + l3 + 16, dip, 4);
		put16(f + l3 + 10, csum(f + l3, 20));
		o = l3 + 20;
	}
	if (l4len) {
		put16(f + o, (uint16_t)sport);
		put16(f + o + 2, (uint16_t)dport);
		if (proto == 17)
			put16(f + o + 4, 8);
		else
			f[o + 12] = 5 << 4, f[o + 13] = 0x02;	/* a SYN */
	}
	/* The checksums of UDP and TCP are left 0: the switch does not look at them. */
	return (int)(o + l4len < 60 ? 60 : o + l4len);
}

int wd_cmd_trace_frame(struct req *r)
{
	uint8_t f[WR_TRACE_FRAME_MAX];
	struct wr_trace_conf c = { .count = 1, .frame = f };
	struct wd_port *p;
	int err, len;

	if ((err = arg_port(r, "port", &p)))
		return err;
	len = build_frame(r, f);
	if (len < 0)
		return len;
	c.port = p->index;
	c.frame_len = (uint16_t)len;
	return arm(r, p, &c, TRACE_TIMEOUT_S);
}

/* ---------------------------------------------------------------- records */

/* A switch port by name; a VTEP as its tunnel and remote address. */
static json_object *port_json(struct warrend *wd, uint16_t index)
{
	json_object *o = json_object_new_object(), *v;

	wd_fdb_entry_where(wd, index, o);
	if (!json_object_object_get_ex(o, "remote", NULL)) {
		v = json_object_object_get_ex(o, "port", &v) ? json_object_get(v) : NULL;
		json_object_put(o);
		return v;
	}
	return o;
}

static json_object *ip_json(const uint8_t *b, bool v6)
{
	uint8_t ip[16] = { 0 };
	char t[46];

	memcpy(ip, b, v6 ? 16 : 4);
	return json_object_new_string(wr_ip_text(ip, v6, t, sizeof(t)));
}

/* The frame as it came, from the bytes kept: MACs, tags, IP addresses, protocol, ports. */
static json_object *frame_json(const struct wr_trace_rec *t)
{
	json_object *o = json_object_new_object();
	const uint8_t *h = t->hdr;
	unsigned int off = 12, type, l4 = 0, proto = 0;
	char b[8];

	if (t->n_hdr < 14)
		return o;
	ADD(o, "dst_mac", mac_json(h));
	ADD(o, "src_mac", mac_json(h + 6));
	type = (unsigned int)(h[off] << 8 | h[off + 1]);
	if ((type == 0x8100 || type == 0x88a8) && t->n_hdr >= off + 6) {
		ADD(o, "vlan", json_object_new_int((h[off + 2] & 0x0f) << 8 | h[off + 3]));
		off += 4;
		type = (unsigned int)(h[off] << 8 | h[off + 1]);
	}
	snprintf(b, sizeof(b), "0x%04x", type);
	ADD(o, "ethertype", json_object_new_string(b));
	off += 2;
	if (type == 0x0800 && t->n_hdr >= off + 20) {
		ADD(o, "src", ip_json(h + off + 12, false));
		ADD(o, "dst", ip_json(h + off + 16, false));
		proto = h[off + 9];
		l4 = off + (h[off] & 0x0f) * 4u;
	} else if (type == 0x86dd && t->n_hdr >= off + 40) {
		ADD(o, "src", ip_json(h + off + 8, true));
		ADD(o, "dst", ip_json(h + off + 24, true));
		proto = h[off + 6];
		l4 = off + 40;
	}
	if (l4)
		ADD(o, "proto", json_object_new_int((int)proto));
	if (l4 && (proto == 6 || proto == 17) && t->n_hdr >= l4 + 4) {
		ADD(o, "src_port", json_object_new_int(h[l4] << 8 | h[l4 + 1]));
		ADD(o, "dst_port", json_object_new_int(h[l4 + 2] << 8 | h[l4 + 3]));
	}
	return o;
}

/* A VTEP's VNI for bridge domain @bd (the tunnel's map), or -1. */
static int64_t vtep_vni(struct warrend *wd, uint16_t vtep, uint16_t bd)
{
	struct wd_vtep *v;
	const struct wd_tunnel *t = wd_vtep_by_port(wd, vtep, &v);

	for (uint16_t i = 0; t && i < t->n_vnis; i++)
		if (t->vnis[i].bd == bd)
			return t->vnis[i].vni;
	return -1;
}

/*
 * What the kernel fast path does with such a frame, in the order its
 * wr_decide() asks (bpf/xdp_switch.bpf.c), from what the userspace stages
 * found in the tables the kernel's maps mirror, and the ports' modes.
 * NULL: the port has no fast path (not afxdp, no program loaded).
 */
static const char *fastpath_would(struct warrend *wd, const struct wd_port *in,
				  const struct wr_trace_rec *t, char *buf, size_t size)
{
	const struct wd_port *out;
	uint16_t to;

	if (!wd->fp || !in || in->type != WR_PORT_AFXDP)
		return NULL;
	if (in->underlay.on)
		return "up: tunnel (warrend decapsulates; the kernel only known unicast, plainest frames)";
	if (in->fp_mode == WR_FASTPATH_OFF)
		return "up: fastpath_off";
	if (t->stage == WR_TRACE_PARSE)
		return snprintf(buf, size, "drop: %s", wr_drop_name(t->drop)), buf;
	if (t->n_tags > 1 || (t->hdr[12] == 0x88 && t->hdr[13] == 0xa8))
		return "up: tags";
	if (wr_chain_port_chained(wd->sw, in->index))
		return "up: chain";
	if (t->stage == WR_TRACE_BRIDGE)
		return snprintf(buf, size, "drop: %s", wr_drop_name(t->drop)), buf;
	if (t->src == WR_TRACE_SRC_LEARN)
		return "up: src_unknown";
	if (t->src == WR_TRACE_SRC_MOVE)
		return "up: src_moved";
	if (t->dst_mcast)
		return "up: flood";
	to = t->steer != WR_TRACE_NONE ? t->out_port : t->dst;
	if (to == WR_TRACE_NONE)
		return "up: dst_unknown";
	if (to == in->index)
		return t->steer != WR_TRACE_NONE ? "drop: steer_same_port" : "drop: same_port";
	out = wd_port_by_index(wd, to);
	if (!out)
		return "encapsulate in the kernel, or up (tc_encap, tun_vlan) where it cannot";
	if (out->type != WR_PORT_AFXDP || out->fp_mode == WR_FASTPATH_OFF || !out->admin_up ||
	    out->underlay.on)
		return "up: out_off";
	if (wr_chain_port_chained(wd->sw, out->index))
		return "up: chain";
	if (in->fp_mode == WR_FASTPATH_TC && strcmp(in->netns, out->netns))
		return "up: other_netns";
	snprintf(buf, size, "forward to %s in the kernel (%s)", out->name,
		 wr_fastpath_names[in->fp_mode]);
	return buf;
}

static json_object *stage_json(const struct wr_trace_rec *t, enum wr_trace_stage s)
{
	json_object *o = json_object_new_object();

	ADD(o, "stage", json_object_new_string(stage_words[s]));
	ADD(o, "ns", json_object_new_int64(t->ns[s]));
	if (t->stage == s && t->drop != 0xff) {
		ADD(o, "drop", json_object_new_string(wr_drop_name(t->drop)));
		ADD(o, "drop_text", json_object_new_string(wr_drop_text(t->drop)));
	}
	return o;
}

static json_object *chain_json(struct warrend *wd, const struct wr_trace_rec *t)
{
	static struct wr_chain_info info;
	json_object *o = json_object_new_object();

	ADD(o, "name", json_object_new_string(!wr_chain_get(wd->sw, t->chain, &info) ?
					      info.conf.name : "?"));
	ADD(o, "action", json_object_new_string(chain_words[t->chain_how]));
	ADD(o, "hop", json_object_new_int(t->chain_hop));
	ADD(o, "direction", json_object_new_string(t->chain_dir == WR_CHAIN_FWD ? "forward" :
										  "reverse"));
	return o;
}

static json_object *bridge_json(struct warrend *wd, const struct wr_trace_rec *t)
{
	json_object *o = stage_json(t, WR_TRACE_BRIDGE);

	ADD(o, "bd", json_object_new_int(t->bd));
	ADD(o, "vlan", json_object_new_int(t->vlan));
	/* Dropped before it had a domain: nothing more was asked. */
	if (t->src == WR_TRACE_SRC_NONE)
		return o;
	ADD(o, "src", json_object_new_string(src_words[t->src]));
	if (t->src == WR_TRACE_SRC_MOVE)
		ADD(o, "src_was", port_json(wd, t->src_was));
	if (t->chain_how != WR_TRACE_CHAIN_NONE)
		ADD(o, "chain", chain_json(wd, t));
	if (t->chain_how == WR_TRACE_CHAIN_INTO || t->chain_how == WR_TRACE_CHAIN_NEXT) {
		if (t->stage != WR_TRACE_BRIDGE)
			ADD(o, "out", port_json(wd, t->out_port));
		return o;
	}
	ADD(o, "dst", t->dst_mcast ? json_object_new_string("multicast") :
		t->dst == WR_TRACE_NONE ? json_object_new_string("unknown") : port_json(wd, t->dst));
	if (t->steer != WR_TRACE_NONE)
		ADD(o, "steer", json_object_new_int(t->steer));
	if (t->stage != WR_TRACE_BRIDGE)
		ADD(o, "out", t->out_port == WR_OUT_FLOOD ? json_object_new_string("flood") :
			port_json(wd, t->out_port));
	return o;
}

static json_object *output_json(struct warrend *wd, const struct wr_trace_rec *t)
{
	json_object *o = stage_json(t, WR_TRACE_OUTPUT), *ports = json_object_new_array();
	json_object *encap = NULL;

	for (uint16_t i = 0; i < t->n_out && i < WR_TRACE_OUT_MAX; i++) {
		struct wd_vtep *v;

		json_object_array_add(ports, port_json(wd, t->out[i]));
		if (wd_vtep_by_port(wd, t->out[i], &v)) {
			json_object *e = json_object_new_object();

			if (!encap)
				encap = json_object_new_array();
			wd_fdb_entry_where(wd, t->out[i], e);
			ADD(e, "vni", json_object_new_int64(vtep_vni(wd, t->out[i], t->bd)));
			json_object_array_add(encap, e);
		}
	}
	ADD(o, "ports", ports);
	ADD(o, "count", json_object_new_int(t->n_out));
	ADD(o, "flood", json_object_new_boolean(t->out_port == WR_OUT_FLOOD));
	ADD(o, "lost", json_object_new_int(t->n_lost));
	if (encap)
		ADD(o, "encap", encap);
	return o;
}

static json_object *record_json(struct warrend *wd, const struct wr_trace_rec *t)
{
	json_object *o = json_object_new_object(), *st = json_object_new_array(), *d;
	const struct wd_port *in = wd_port_by_index(wd, t->in_port);
	uint64_t total = 0;
	const char *would;
	char buf[96];

	ADD(o, "time", json_object_new_double((double)t->when_ns / 1e9));
	ADD(o, "worker", json_object_new_int(t->worker));
	ADD(o, "port", port_json(wd, t->in_port));
	ADD(o, "len", json_object_new_int(t->len));
	ADD(o, "synthetic", json_object_new_boolean(t->synthetic));
	ADD(o, "frame", frame_json(t));
	would = t->synthetic ? NULL : fastpath_would(wd, in, t, buf, sizeof(buf));
	if (would) {
		json_object *f = json_object_new_object();

		ADD(f, "mode", json_object_new_string(in->underlay.on ? "xdp" :
						      wr_fastpath_names[in->fp_mode]));
		ADD(f, "would", json_object_new_string(would));
		ADD(o, "fastpath", f);
	}
	if (t->ns[WR_TRACE_DECAP] || t->tunnel || t->stage == WR_TRACE_DECAP) {
		d = stage_json(t, WR_TRACE_DECAP);
		if (t->tunnel) {
			wd_fdb_entry_where(wd, t->vtep, d);
			ADD(d, "vni", json_object_new_int64(t->vni));
		}
		json_object_array_add(st, d);
	}
	if (t->stage >= WR_TRACE_PARSE) {
		d = stage_json(t, WR_TRACE_PARSE);
		if (t->stage > WR_TRACE_PARSE) {
			snprintf(buf, sizeof(buf), "0x%04x", t->ethertype);
			ADD(d, "ethertype", json_object_new_string(buf));
			ADD(d, "vlan", json_object_new_int(t->tag));
			ADD(d, "tags", json_object_new_int(t->n_tags));
			ADD(d, "l4_proto", json_object_new_int(t->l4_proto));
		}
		json_object_array_add(st, d);
	}
	if (t->stage >= WR_TRACE_BRIDGE)
		json_object_array_add(st, bridge_json(wd, t));
	if (t->stage == WR_TRACE_OUTPUT)
		json_object_array_add(st, output_json(wd, t));
	ADD(o, "stages", st);
	for (int i = 0; i < WR_TRACE_STAGES; i++)
		total += t->ns[i];
	ADD(o, "ns", json_object_new_int64((int64_t)total));
	ADD(o, "stopped", json_object_new_string(stage_words[t->stage]));
	ADD(o, "verdict", json_object_new_string(t->n_out ? (t->synthetic ? "would_send" : "sent") :
						 "dropped"));
	ADD(o, "drop", t->drop == 0xff ? NULL : json_object_new_string(wr_drop_name(t->drop)));
	return o;
}

/* The records so far (the last trace's, once it is disarmed) into r->result. */
static int show(struct req *r)
{
	struct warrend *wd = r->wd;
	const struct wr_trace_rec *recs = wd->trace.kept;
	json_object *a = json_object_new_array();
	uint64_t overflow = wd->trace.overflow;
	int n = wd->trace.on ? wr_trace_collect(wd->sw, &recs, &overflow) : wd->trace.n_kept;

	for (int i = 0; i < n; i++)
		json_object_array_add(a, record_json(wd, &recs[i]));
	ADD(r->result, "armed", json_object_new_boolean(wd->trace.on));
	ADD(r->result, "port", wd->trace.port_name[0] ?
		json_object_new_string(wd->trace.port_name) : NULL);
	ADD(r->result, "count", json_object_new_int(wd->trace.count));
	ADD(r->result, "done", json_object_new_boolean(n >= wd->trace.count));
	ADD(r->result, "overflow", json_object_new_uint64(overflow));
	ADD(r->result, "records", a);
	return 0;
}

int wd_cmd_trace_show(struct req *r)
{
	return show(r);
}

int wd_cmd_trace_stop(struct req *r)
{
	show(r);
	wd_trace_stop(r->wd);
	json_object_object_add(r->result, "armed", json_object_new_boolean(false));
	return 0;
}
