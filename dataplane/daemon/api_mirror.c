/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_mirror.c - the mirror and capture commands of docs/api.md
 * (mirror.*, capture.start): ports by name to the switch's indices, the
 * switch's refusals said with the ports they concern, the mirrors with
 * their counters. A mirrored port's frames, and frames for it, go up from
 * the kernel fast path (wd_port_fastpath_sync() asks the switch), so that
 * every one is seen. The capture's stream is capture.c's.
 */
#include "api_priv.h"

#define ADD(o, k, v) json_object_object_add(o, k, v)

static const char *name_of(struct warrend *wd, uint16_t index)
{
	const struct wd_port *p = wd_port_by_index(wd, index);

	return p ? p->name : "?";
}

const char *wd_mirror_of_port(struct warrend *wd, const struct wd_port *p, char *buf, size_t size)
{
	struct wr_mirror_info mi;
	int id = wr_mirror_of_port(wd->sw, p->index);

	if (id < 0 || wr_mirror_get(wd->sw, id, &mi))
		return NULL;
	snprintf(buf, size, "mirror %d (%s to %s)", id, name_of(wd, mi.port), name_of(wd, mi.to));
	return buf;
}

/* A tunnel's underlay bridges nothing: its frames are the tunnel's. */
static int not_underlay(struct req *r, const struct wd_port *p, const char *what)
{
	const struct wd_tunnel *t = wd_tunnel_on(r->wd, p);

	return t ? fail(r, -EBUSY, "%s: port %s is the underlay of tunnel %s (its frames are the "
			"tunnel's: mirror or capture the tunnel's hosts' ports)", what, p->name,
			t->name) : 0;
}

static enum wr_tap_dir arg_dir(const struct req *r)
{
	int e = WR_TAP_BOTH;

	arg_enum(r, "dir", wr_tap_dir_names, WR_TAP_DIR_COUNT, &e);
	return (enum wr_tap_dir)e;
}

static json_object *mirror_json(struct warrend *wd, int id)
{
	json_object *o = json_object_new_object();
	struct wd_mirror_counters c;

	wd_mirror_counters(wd, id, &c);
	ADD(o, "id", json_object_new_int(id));
	ADD(o, "port", json_object_new_string(c.port));
	ADD(o, "to", json_object_new_string(c.to));
	ADD(o, "dir", json_object_new_string(wr_tap_dir_names[c.dir]));
	ADD(o, "copied", json_object_new_uint64(c.copied));
	ADD(o, "dropped", json_object_new_uint64(c.dropped));
	return o;
}

json_object *wd_mirrors_json(struct warrend *wd)
{
	json_object *a = json_object_new_array();
	struct wr_mirror_info mi;

	for (int id = 0; id < WR_MIRROR_MAX; id++)
		if (!wr_mirror_get(wd->sw, id, &mi))
			json_object_array_add(a, mirror_json(wd, id));
	return a;
}

/* Why mirroring @p to @to makes a loop, naming the mirror in the way: -ELOOP. */
static int loop(struct req *r, const struct wd_port *p, const struct wd_port *to)
{
	struct wr_mirror_info mi;

	for (int id = 0; id < WR_MIRROR_MAX; id++) {
		if (wr_mirror_get(r->wd->sw, id, &mi))
			continue;
		if (mi.port == to->index)
			return fail(r, -ELOOP, "mirror %s to %s: a loop: %s is mirrored itself (mirror "
				    "%d, to %s), and a copy is never copied again", p->name,
				    to->name, to->name, id, name_of(r->wd, mi.to));
		if (mi.to == p->index)
			return fail(r, -ELOOP, "mirror %s to %s: a loop: %s is the destination of "
				    "mirror %d (from %s), and a copy is never copied again",
				    p->name, to->name, p->name, id, name_of(r->wd, mi.port));
	}
	return fail(r, -ELOOP, "mirror %s to %s: a loop", p->name, to->name);
}

int wd_cmd_mirror_add(struct req *r)
{
	struct wd_port *p, *to;
	int id;

	if ((id = arg_port(r, "port", &p)) || (id = arg_port(r, "to", &to)) ||
	    (id = not_underlay(r, p, "mirror")) || (id = not_underlay(r, to, "mirror")))
		return id;
	id = wr_mirror_add(r->wd->sw, p->index, to->index, arg_dir(r));
	switch (id) {
	case -EINVAL:
		return fail(r, id, "mirror %s to %s: a port is not mirrored to itself", p->name,
			    to->name);
	case -EEXIST:
		return fail(r, id, "mirror %s to %s: there is one already", p->name, to->name);
	case -ELOOP:
		return loop(r, p, to);
	case -ENOSPC:
		return fail(r, id, "mirror %s to %s: %d mirrors already (the switch's bound)",
			    p->name, to->name, WR_MIRROR_MAX);
	}
	if (id < 0)
		return fail(r, id, "mirror %s to %s: %s", p->name, to->name, strerror(-id));
	wd_port_fastpath_sync(r->wd, p);
	wd_info("mirror %d: %s (%s) to %s", id, p->name, wr_tap_dir_names[arg_dir(r)], to->name);
	json_object_put(r->result);
	r->result = mirror_json(r->wd, id);
	return 0;
}

int wd_cmd_mirror_del(struct req *r)
{
	struct wd_port *p, *to = NULL;
	struct wr_mirror_info mi;
	int err, n = 0;

	if ((err = arg_port(r, "port", &p)) || (err = arg_port(r, "to", &to)) < 0)
		return err;
	for (int id = 0; id < WR_MIRROR_MAX; id++) {
		if (wr_mirror_get(r->wd->sw, id, &mi) || mi.port != p->index ||
		    (to && mi.to != to->index))
			continue;
		if ((err = wr_mirror_del(r->wd->sw, id)))
			return fail(r, err, "mirror %d: %s", id, strerror(-err));
		wd_info("mirror %d: %s to %s removed", id, p->name, name_of(r->wd, mi.to));
		n++;
	}
	if (!n)
		return fail(r, -ENOENT, to ? "port %s: no mirror to %s" : "port %s: not mirrored%s",
			    p->name, to ? to->name : "");
	wd_port_fastpath_sync(r->wd, p);
	ADD(r->result, "removed", json_object_new_int(n));
	return 0;
}

int wd_cmd_mirror_list(struct req *r)
{
	ADD(r->result, "mirrors", wd_mirrors_json(r->wd));
	ADD(r->result, "max", json_object_new_int(WR_MIRROR_MAX));
	return 0;
}

int wd_cmd_capture_start(struct req *r)
{
	struct wd_capture *k = NULL;
	struct wd_port *p;
	enum wr_tap_dir dir = arg_dir(r);
	int64_t count = 0;
	int err, slot = 0;

	if ((err = arg_port(r, "port", &p)) || (err = not_underlay(r, p, "capture")))
		return err;
	arg_int(r, "count", &count);
	for (; slot < WR_CAPTURE_MAX && !k; slot++)
		if (!r->wd->caps[slot].used)
			k = &r->wd->caps[slot];
	if (!k)
		return fail(r, -EBUSY, "capture %s: %d captures run already (the switch's bound)",
			    p->name, WR_CAPTURE_MAX);
	k->buf = malloc(WD_CAPTURE_BUF);
	if (!k->buf)
		return fail(r, -ENOMEM, "capture %s: no memory for its buffer", p->name);
	err = wr_capture_open(r->wd->sw, p->index, dir);
	if (err < 0) {
		free(k->buf);
		k->buf = NULL;
		return fail(r, err, "capture %s: %s", p->name, strerror(-err));
	}
	*k = (struct wd_capture){ .used = true, .fd = -1, .id = err, .port = p->index,
				  .limit = (uint64_t)count, .buf = k->buf, .last_ns = wd_now_ns() };
	snprintf(k->port_name, sizeof(k->port_name), "%s", p->name);
	wd_port_fastpath_sync(r->wd, p);
	r->wd->cap_claim = slot;	/* slot + 1: the loop went one past it */
	wd_info("capture %d: port %s (%s)%s", k->id, p->name, wr_tap_dir_names[dir],
		count ? "" : ", until stopped");
	ADD(r->result, "port", json_object_new_string(p->name));
	ADD(r->result, "dir", json_object_new_string(wr_tap_dir_names[dir]));
	ADD(r->result, "count", json_object_new_int64(count));
	ADD(r->result, "snaplen", json_object_new_int(WR_CAPTURE_SNAP));
	return 0;
}
