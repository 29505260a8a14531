/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_priv.h - what the API's command files share: a request being
 * served, its error, and reading its arguments.
 */
#ifndef WD_API_PRIV_H
#define WD_API_PRIV_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "warrend.h"

#define ERR_MAX 256

struct req {
	struct warrend *wd;
	json_object *args;	/* never NULL */
	json_object *result;	/* the handler fills it */
	char err[ERR_MAX];
};

__attribute__((format(printf, 3, 4)))
static inline int fail(struct req *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return err;
}

/* ------------------------------------------------------------- arguments */

/*
 * wr_api_check() has checked every key against wr_api.def before a
 * command runs: types, bounds and required keys. What is left here is
 * reading them, and what needs the switch (a port that exists).
 */

static inline json_object *arg(const struct req *r, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(r->args, key, &v) ? v : NULL;
}

/* Whether @key is there, and its value into *@out. */
static inline bool arg_int(const struct req *r, const char *key, int64_t *out)
{
	json_object *v = arg(r, key);

	if (v)
		*out = json_object_get_int64(v);
	return v;
}

static inline bool arg_str(const struct req *r, const char *key, const char **out)
{
	json_object *v = arg(r, key);

	if (v)
		*out = json_object_get_string(v);
	return v;
}

static inline bool arg_bool(const struct req *r, const char *key, bool *out)
{
	json_object *v = arg(r, key);

	if (v)
		*out = json_object_get_boolean(v);
	return v;
}

/* An ENUM key: the index of its word in @names. */
static inline bool arg_enum(const struct req *r, const char *key, const char *const *names, int n,
		     int *out)
{
	const char *s;

	if (!arg_str(r, key, &s))
		return false;
	*out = wr_enum_parse(names, n, s);
	return true;
}

/* @m as "02:00:00:00:00:01" in @b; returns @b. */
static inline const char *mac_text(const uint8_t m[6], char b[18])
{
	snprintf(b, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

static inline json_object *mac_json(const uint8_t m[6])
{
	char b[18];

	return json_object_new_string(mac_text(m, b));
}

static inline void arg_mac(const struct req *r, const char *key, uint8_t mac[6])
{
	const char *s = "";

	arg_str(r, key, &s);
	wr_mac_parse(s, mac);
}

/* A port name that must exist: 0, 1 when absent, -ENOENT. */
static inline int arg_port(struct req *r, const char *key, struct wd_port **out)
{
	const char *name;

	if (!arg_str(r, key, &name))
		return 1;
	*out = wd_port_find(r->wd, name);
	if (!*out)
		return fail(r, -ENOENT, "port %s: no such port", name);
	return 0;
}

/* The steering commands (api_steer.c). */
int wd_cmd_steer_add(struct req *r);
int wd_cmd_steer_del(struct req *r);
int wd_cmd_steer_list(struct req *r);

/* The service chain commands (api_chain.c). */
int wd_cmd_chain_add(struct req *r);
int wd_cmd_chain_del(struct req *r);
int wd_cmd_chain_list(struct req *r);
int wd_cmd_chain_hop(struct req *r);

/*
 * A classifier's keys (chain.add's, trace.start's) of @r into @k, @what
 * naming it in messages ("chain web"); none is refused when @need_one.
 * 0 or -errno with r->err. (api_chain.c)
 */
int wd_arg_class(struct req *r, const char *what, struct wr_chain_class *k, bool need_one);

/* The trace commands (api_trace.c). */
int wd_cmd_trace_start(struct req *r);
int wd_cmd_trace_frame(struct req *r);
int wd_cmd_trace_show(struct req *r);
int wd_cmd_trace_stop(struct req *r);

/* The mirror and capture commands (api_mirror.c). */
int wd_cmd_mirror_add(struct req *r);
int wd_cmd_mirror_del(struct req *r);
int wd_cmd_mirror_list(struct req *r);
int wd_cmd_capture_start(struct req *r);

/* The tunnel commands (api_tunnel.c). */
int wd_cmd_tunnel_add(struct req *r);
int wd_cmd_tunnel_del(struct req *r);
int wd_cmd_tunnel_list(struct req *r);
int wd_cmd_vni_set(struct req *r);
int wd_cmd_vni_del(struct req *r);
int wd_cmd_vtep_add(struct req *r);
int wd_cmd_vtep_del(struct req *r);
/*
 * fdb.add's "port" (and "remote", when it names a tunnel): the switch port
 * into *@port, and what it is for messages into @what ("port p1", "tunnel
 * vx0's VTEP 192.0.2.2"); 0 or -errno with r->err.
 */
int wd_fdb_target(struct req *r, uint16_t *port, char *what, size_t size);
/* Where an FDB entry of switch port @index points: "port", and "remote" for a VTEP's. */
void wd_fdb_entry_where(struct warrend *wd, uint16_t index, json_object *o);

#endif /* WD_API_PRIV_H */
