/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_switch.c - the switch of a lab (its `switch:` section): the warrend
 * instance started or found (with its cores, aging and DPDK arguments), the
 * far ends of the veths its ports are served through prepared, its
 * aging time, VLAN map and ports set, all through the socket API; and
 * taken down again, and compared with what the instance has.
 *
 * A warrend that `lab up` starts is marked as the lab's (/run/warren/
 * NAME.lab, naming the lab file), so that `lab down` stops it, even from
 * another run; one found running is only lent: `down` removes the lab's
 * ports from it and leaves it running.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lab_priv.h"
#include "rtnl_priv.h"

int wr_lab_switch_started(const char *sw)
{
	char mark[PATH_MAX];

	return !wr_switch_path(sw, ".lab", mark, sizeof(mark)) && !access(mark, F_OK);
}

static int port_del(const char *sw, const char *port)
{
	struct json_object *args = json_object_new_object();
	int err;

	json_object_object_add(args, "port", json_object_new_string(port));
	err = wr_api_request(sw, "port.del", args, NULL);
	json_object_put(args);
	return err;
}

/* Mark the lab's switch as started by it, for `down`: the mark names the lab file. */
static int mark_started(const struct wr_lab *lab)
{
	char mark[PATH_MAX];
	FILE *f;
	int err;

	err = wr_switch_path(lab->sw.name, ".lab", mark, sizeof(mark));
	if (err)
		return err;
	f = fopen(mark, "we");
	if (!f)
		return wr_err_set(-errno, "switch '%s': create %s: %s", lab->sw.name, mark,
				  strerror(errno));
	fprintf(f, "%s\n", lab->file);
	if (fclose(f))
		return wr_err_set(-errno, "switch '%s': write %s: %s", lab->sw.name, mark,
				  strerror(errno));
	return 0;
}

/* The element of port.list's @ports named @name, or NULL. */
static struct json_object *find_port(struct json_object *ports, const char *name)
{
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);

		if (!strcmp(wr_json_str(p, "name"), name))
			return p;
	}
	return NULL;
}

/* Room for where a port is (where()): a dpdk port's devargs and namespace. */
#define WHERE_MAX (WR_DEVARGS_MAX + WR_NETNS_NAME_MAX + 16)

/*
 * Where a port is, into @buf: "ns:dev" (wr_ep_str()), but for a dpdk port
 * (@devargs not NULL) "devargs DEVARGS in NS": DPDK finds its device, and
 * two ports on one devargs are the same port.
 */
static const char *where(const char *netns, const char *dev, const char *devargs, char *buf,
			 size_t size)
{
	char in[WR_NETNS_NAME_MAX + 8];
	struct wr_ep ep;

	if (devargs) {
		snprintf(buf, size, "devargs %s%s", devargs, wr_in_ns(netns, in, sizeof(in)));
		return buf;
	}
	snprintf(ep.netns, sizeof(ep.netns), "%s", netns);
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", dev);
	return wr_ep_str(&ep, buf, size);
}

/* Where port.list's @p is, in where()'s words. */
static const char *port_where(struct json_object *p, char *buf, size_t size)
{
	bool dpdk = !strcmp(wr_json_str(p, "type"), wr_port_type_names[WR_PORT_DPDK]);

	return where(wr_json_str(p, "netns"), wr_json_str(p, "dev"),
		     dpdk ? wr_json_str(p, "devargs") : NULL, buf, size);
}

/* Where the lab wants port @pc, in where()'s words. */
static const char *conf_where(const struct wr_port_req *pc, char *buf, size_t size)
{
	return where(pc->dev.netns, pc->dev.ifname,
		     pc->type == WR_PORT_DPDK ? pc->devargs : NULL, buf, size);
}

/*
 * Add @lp unless it is there on its device already (*@added says whether it
 * was added). warrend prepares the device (the far end of its veth) itself.
 */
static int add_port(const struct wr_lab *lab, struct wr_api *api, struct json_object *ports,
		    const struct wr_lab_port *lp, bool *added)
{
	const struct wr_port_req *pc = &lp->conf;
	struct json_object *have = find_port(ports, pc->name), *args;
	char want[WHERE_MAX], is[WHERE_MAX];
	int err;

	conf_where(pc, want, sizeof(want));
	if (have && !strcmp(port_where(have, is, sizeof(is)), want))
		return 0;
	if (have)
		return wr_err_set(-EEXIST, "switch '%s': port %s: exists on %s, the lab wants it "
				  "on %s", lab->sw.name, pc->name, is, want);
	args = wr_port_req_json(pc, true);
	if (!args)
		return wr_err_set(-ENOMEM, "lab: out of memory");
	err = wr_api_call(api, "port.add", args, NULL);
	json_object_put(args);
	*added = !err;
	return err;
}

/* One request on @api whose args are {@k1: @v1[, @k2: @v2]} (@k2 may be NULL). */
static int call_ints(struct wr_api *api, const char *cmd, const char *k1, int64_t v1,
		     const char *k2, int64_t v2)
{
	struct json_object *args = json_object_new_object();
	int err;

	json_object_object_add(args, k1, json_object_new_int64(v1));
	if (k2)
		json_object_object_add(args, k2, json_object_new_int64(v2));
	err = wr_api_call(api, cmd, args, NULL);
	json_object_put(args);
	return err;
}

/* ---------------------------------------------------------------- tunnels */

static int tunnel_del(const char *sw, const char *name)
{
	struct json_object *args = json_object_new_object();
	int err;

	json_object_object_add(args, "tunnel", json_object_new_string(name));
	err = wr_api_request(sw, "tunnel.del", args, NULL);
	json_object_put(args);
	return err;
}

/* Whether addresses @a and @b (as text) are the same address. */
static bool same_ip(const char *a, const char *b)
{
	uint8_t x[16], y[16];
	bool xv6, yv6;

	return !wr_ip_parse(a, x, &xv6) && !wr_ip_parse(b, y, &yv6) && xv6 == yv6 &&
	       !memcmp(x, y, sizeof(x));
}

/* The element of tunnel.list's @tunnels named @name, or NULL. */
static struct json_object *find_tunnel(struct json_object *tunnels, const char *name)
{
	return find_port(tunnels, name);
}

/* Whether tunnel.list's @have is where the lab wants @t: the same underlay and local address. */
static bool tunnel_same(struct json_object *have, const struct wr_lab_tunnel *t)
{
	struct json_object *add = t->n_reqs ? t->reqs[0].args : NULL;

	return add && !strcmp(wr_json_str(have, "underlay"), wr_json_str(add, "underlay")) &&
	       same_ip(wr_json_str(have, "local"), wr_json_str(add, "local"));
}

/* Whether tunnel.list's @have has what request @r of the lab asks for (a VNI's map, a VTEP). */
static bool tunnel_has(struct json_object *have, const struct wr_lab_req *r)
{
	struct json_object *a = wr_json_array(have, r->cmd == WR_CMD_VNI_SET ? "vnis" : "vteps");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (r->cmd == WR_CMD_VNI_SET && wr_json_int(e, "vni") == wr_json_int(r->args, "vni") &&
		    wr_json_int(e, "bd") == wr_json_int(r->args, "bd"))
			return true;
		if (r->cmd == WR_CMD_VTEP_ADD &&
		    same_ip(wr_json_str(e, "remote"), wr_json_str(r->args, "remote")))
			return true;
	}
	return false;
}

/*
 * Tunnel @t: its tunnel.add, vni.set and vtep.add, but what warrend has of
 * them already (a second `up` changes nothing); one of that name on another
 * underlay or address is an error. *@added says whether it was added.
 */
static int add_tunnel(const struct wr_lab *lab, struct wr_api *api, struct json_object *tunnels,
		      const struct wr_lab_tunnel *t, bool *added)
{
	struct json_object *have = find_tunnel(tunnels, t->name);
	int err = 0;

	if (have && !tunnel_same(have, t))
		return wr_err_set(-EEXIST, "switch '%s': tunnel %s: exists on %s with local %s, the "
				  "lab wants it on %s with local %s", lab->sw.name, t->name,
				  wr_json_str(have, "underlay"), wr_json_str(have, "local"),
				  wr_json_str(t->reqs[0].args, "underlay"),
				  wr_json_str(t->reqs[0].args, "local"));
	for (size_t i = 0; !err && i < t->n_reqs; i++) {
		const struct wr_lab_req *r = &t->reqs[i];

		if (have && (r->cmd == WR_CMD_TUNNEL_ADD || tunnel_has(have, r)))
			continue;
		err = wr_api_call(api, wr_api_cmds[r->cmd].name, r->args, NULL);
		if (!err && r->cmd == WR_CMD_TUNNEL_ADD)
			*added = true;
	}
	return err;
}

/* ----------------------------------------------------------------- mirrors */

/* mirror.list's mirror of the lab's mirror.add @args (same port and to), or NULL. */
static struct json_object *find_mirror(struct json_object *ms, struct json_object *args)
{
	for (size_t i = 0; ms && i < json_object_array_length(ms); i++) {
		struct json_object *m = json_object_array_get_idx(ms, i);

		if (!strcmp(wr_json_str(m, "port"), wr_json_str(args, "port")) &&
		    !strcmp(wr_json_str(m, "to"), wr_json_str(args, "to")))
			return m;
	}
	return NULL;
}

/* The lab's mirror.add @args undone (its port and to). */
static int mirror_del(const char *sw, struct json_object *args)
{
	struct json_object *a = json_object_new_object();
	int err;

	json_object_object_add(a, "port", json_object_new_string(wr_json_str(args, "port")));
	json_object_object_add(a, "to", json_object_new_string(wr_json_str(args, "to")));
	err = wr_api_request(sw, "mirror.del", a, NULL);
	json_object_put(a);
	return err;
}

/* The lab's mirrors: each added, but one warrend has already (the same ports). @added marks them. */
static int add_mirrors(const struct wr_lab *lab, struct wr_api *api, bool *added)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *res = NULL;
	int err = wr_api_call(api, "mirror.list", NULL, &res);

	for (size_t i = 0; !err && i < sw->n_mirrors; i++)
		if (!find_mirror(wr_json_array(res, "mirrors"), sw->mirrors[i].args) &&
		    !(err = wr_api_call(api, "mirror.add", sw->mirrors[i].args, NULL)))
			added[i] = true;
	json_object_put(res);
	return err;
}

/* The lab's mirrors that warrend has go (first: they hold the lab's ports). */
static int del_mirrors(const struct wr_lab_switch *sw)
{
	struct json_object *res = NULL;
	int ret = 0, err;

	if (!sw->n_mirrors || wr_api_request(sw->name, "mirror.list", NULL, &res))
		return 0;
	for (size_t i = 0; i < sw->n_mirrors; i++) {
		if (!find_mirror(wr_json_array(res, "mirrors"), sw->mirrors[i].args))
			continue;
		err = mirror_del(sw->name, sw->mirrors[i].args);
		if (err && err != -ENOENT && !ret)
			ret = err;
	}
	json_object_put(res);
	return ret;
}

/* ---------------------------------------------------------------- steering */

/* The match keys of a steer.add (or a steer.list rule), as a steer.del's args. */
static struct json_object *steer_match(struct json_object *o)
{
	static const char *const keys[] = { "mac", "vlan", "vni" };
	struct json_object *m = json_object_new_object(), *v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_object_get_ex(o, keys[i], &v))
			json_object_object_add(m, keys[i], json_object_get(v));
	return m;
}

/* Whether steer.list's rule @have and the lab's steer.add @args match the same frames. */
static bool steer_same_match(struct json_object *have, struct json_object *args)
{
	uint8_t x[6], y[6];

	if (wr_json_str(args, "mac")[0])
		return !wr_mac_parse(wr_json_str(have, "mac"), x) &&
		       !wr_mac_parse(wr_json_str(args, "mac"), y) && !memcmp(x, y, 6);
	if (wr_json_int(args, "vlan") > 0)
		return wr_json_int(have, "vlan") == wr_json_int(args, "vlan");
	return !wr_json_str(have, "mac")[0] && wr_json_int(have, "vlan") <= 0 &&
	       wr_json_int(have, "vni") == wr_json_int(args, "vni");
}

/* The rule of steer.list's @rules that matches what @args does, or NULL. */
static struct json_object *find_rule(struct json_object *rules, struct json_object *args)
{
	for (size_t i = 0; rules && i < json_object_array_length(rules); i++)
		if (steer_same_match(json_object_array_get_idx(rules, i), args))
			return json_object_array_get_idx(rules, i);
	return NULL;
}

static int steer_del(const char *sw, struct json_object *args)
{
	struct json_object *m = steer_match(args);
	int err = wr_api_request(sw, "steer.del", m, NULL);

	json_object_put(m);
	return err;
}

/*
 * The lab's rules: each added, but one warrend has already to the same
 * port; one of that match to another port is an error. @added marks them.
 */
static int add_steer(const struct wr_lab *lab, struct wr_api *api, bool *added)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *res = NULL, *have, *m;
	int err = wr_api_call(api, "steer.list", NULL, &res);

	for (size_t i = 0; !err && i < sw->n_steer; i++) {
		struct json_object *args = sw->steer[i].args;

		have = find_rule(wr_json_array(res, "rules"), args);
		if (have && strcmp(wr_json_str(have, "port"), wr_json_str(args, "port"))) {
			m = steer_match(args);
			err = wr_err_set(-EEXIST, "switch '%s': steering rule %s: sends to port %s, "
					 "the lab wants port %s", sw->name,
					 json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN),
					 wr_json_str(have, "port"), wr_json_str(args, "port"));
			json_object_put(m);
		}
		else if (!have && !(err = wr_api_call(api, "steer.add", args, NULL)))
			added[i] = true;
	}
	json_object_put(res);
	return err;
}

/* The lab's rules that warrend has as the lab made them go (before the ports they send to). */
static int del_steer(const struct wr_lab_switch *sw)
{
	struct json_object *res = NULL, *have;
	int ret = 0, err;

	if (!sw->n_steer || wr_api_request(sw->name, "steer.list", NULL, &res))
		return 0;
	for (size_t i = 0; i < sw->n_steer; i++) {
		have = find_rule(wr_json_array(res, "rules"), sw->steer[i].args);
		if (!have || strcmp(wr_json_str(have, "port"), wr_json_str(sw->steer[i].args, "port")))
			continue;
		err = steer_del(sw->name, sw->steer[i].args);
		if (err && err != -ENOENT && !ret)
			ret = err;
	}
	json_object_put(res);
	return ret;
}

/* ---------------------------------------------------------------- chains */

/* The chain named @name of chain.list's @chains, or NULL. */
static struct json_object *find_chain(struct json_object *chains, const char *name)
{
	for (size_t i = 0; chains && i < json_object_array_length(chains); i++)
		if (!strcmp(wr_json_str(json_object_array_get_idx(chains, i), "name"), name))
			return json_object_array_get_idx(chains, i);
	return NULL;
}

/* Whether chain.list's @have runs through the hop ports the lab's chain.add @args names. */
static bool chain_same(struct json_object *have, struct json_object *args)
{
	struct json_object *h = wr_json_array(have, "hops"), *w = wr_json_array(args, "hops");
	size_t n = w ? json_object_array_length(w) : 0;

	if (!h || json_object_array_length(h) != n ||
	    wr_json_int(have, "bd") != wr_json_int(args, "bd"))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(h, i);
		struct json_object *b = json_object_array_get_idx(w, i);

		if (strcmp(wr_json_str(a, "in"), wr_json_str(b, "in")) ||
		    strcmp(wr_json_str(a, "out"), wr_json_str(b, "out")))
			return false;
	}
	return true;
}

static int chain_del(const char *sw, const char *name)
{
	struct json_object *a = json_object_new_object();
	int err;

	json_object_object_add(a, "chain", json_object_new_string(name));
	err = wr_api_request(sw, "chain.del", a, NULL);
	json_object_put(a);
	return err;
}

/*
 * Chain @args that warrend has as @have but otherwise (its classifier,
 * priority, a hop's kind, fail mode or probe) made anew: deleted and
 * added, its counters and hop states starting again (chain.add takes no
 * change). Adding it can fail after the old one went: the message says so.
 */
static int chain_replace(const char *sw, struct wr_api *api, struct json_object *have,
			 struct json_object *args)
{
	const char *name = wr_json_str(args, "name"), *key;
	struct json_object *a;
	char msg[512], what[64] = "";
	int hop, err;

	key = wr_lab_chain_changed(have, args, &hop);
	if (!key)
		return 0;
	if (hop >= 0)
		snprintf(what, sizeof(what), "hop %d's ", hop);
	a = json_object_new_object();
	json_object_object_add(a, "chain", json_object_new_string(name));
	err = wr_api_call(api, "chain.del", a, NULL);
	json_object_put(a);
	if (!err)
		err = wr_api_call(api, "chain.add", args, NULL);
	if (err) {
		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		return wr_err_set(err, "switch '%s': chain %s: its %s%s changed in the lab: deleted "
				  "to be added anew, which failed: %s", sw, name, what, key, msg);
	}
	return 0;
}

/*
 * The lab's chains: each added, but one warrend has already through the
 * same hops is kept, or, if the lab changed it, replaced (chain_replace());
 * one of that name through others is an error. @added marks those added.
 */
static int add_chains(const struct wr_lab *lab, struct wr_api *api, bool *added)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *res = NULL, *have;
	int err = wr_api_call(api, "chain.list", NULL, &res);

	for (size_t i = 0; !err && i < sw->n_chains; i++) {
		struct json_object *args = sw->chains[i].args;
		const char *name = wr_json_str(args, "name");

		have = find_chain(wr_json_array(res, "chains"), name);
		if (have && !chain_same(have, args))
			err = wr_err_set(-EEXIST, "switch '%s': chain %s: runs through other hops "
					 "than the lab's (warren chain show %s)", sw->name, name, name);
		else if (have)
			err = chain_replace(sw->name, api, have, args);
		else if (!(err = wr_api_call(api, "chain.add", args, NULL)))
			added[i] = true;
	}
	json_object_put(res);
	return err;
}

/* The lab's chains that warrend has as the lab made them go (before their ports). */
static int del_chains(const struct wr_lab_switch *sw)
{
	struct json_object *res = NULL, *have;
	int ret = 0, err;

	if (!sw->n_chains || wr_api_request(sw->name, "chain.list", NULL, &res))
		return 0;
	for (size_t i = sw->n_chains; i-- > 0;) {
		const char *name = wr_json_str(sw->chains[i].args, "name");

		have = find_chain(wr_json_array(res, "chains"), name);
		if (!have || !chain_same(have, sw->chains[i].args))
			continue;
		err = chain_del(sw->name, name);
		if (err && err != -ENOENT && !ret)
			ret = err;
	}
	json_object_put(res);
	return ret;
}

/*
 * Undo a failed `up`: the mirrors marked in @madded, the chains in @cadded, the rules in
 * @sadded, the tunnels in @tadded and the ports in @added go, or the switch, if it @started it.
 */
static void switch_undo(const struct wr_lab *lab, const bool *added, const bool *tadded,
			const bool *sadded, const bool *cadded, const bool *madded, bool started)
{
	const struct wr_lab_switch *sw = &lab->sw;
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	if (started) {
		wr_switch_stop(sw->name);	/* its ports go with it */
	} else {
		for (size_t i = sw->n_mirrors; i-- > 0;)
			if (madded && madded[i])
				mirror_del(sw->name, sw->mirrors[i].args);
		for (size_t i = sw->n_chains; i-- > 0;)
			if (cadded && cadded[i])
				chain_del(sw->name, wr_json_str(sw->chains[i].args, "name"));
		for (size_t i = sw->n_steer; i-- > 0;)
			if (sadded && sadded[i])
				steer_del(sw->name, sw->steer[i].args);
		for (size_t i = sw->n_tunnels; i-- > 0;)
			if (tadded[i])
				tunnel_del(sw->name, sw->tunnels[i].name);
		for (size_t i = sw->n_ports; i-- > 0;)
			if (added[i])
				port_del(sw->name, sw->ports[i].conf.name);
	}
	wr_err_set(0, "%s", msg);
}

int wr_lab_switch_up(const struct wr_lab *lab)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *res = NULL, *tl = NULL;
	char cores[WR_RANGES_MAX * 12];
	bool added[WR_LAB_PORTS_MAX] = { false }, tadded[WR_LAB_TUNNELS_MAX] = { false };
	bool started = false, *sadded = NULL, *cadded = NULL, *madded = NULL;
	struct wr_api *api;
	int err;

	if (!sw->present)
		return 0;
	sadded = calloc(sw->n_steer ? sw->n_steer : 1, sizeof(*sadded));
	cadded = calloc(sw->n_chains ? sw->n_chains : 1, sizeof(*cadded));
	madded = calloc(sw->n_mirrors ? sw->n_mirrors : 1, sizeof(*madded));
	if (!sadded || !cadded || !madded) {
		free(sadded);
		free(cadded);
		free(madded);
		return wr_err_set(-ENOMEM, "switch '%s': %s", sw->name, strerror(ENOMEM));
	}
	if (!wr_switch_running(sw->name)) {
		wr_range_list_format(sw->cores, sw->n_cores, cores, sizeof(cores));
		err = wr_switch_start(sw->name, cores, sw->age_s, sw->dpdk_args);
		if (err) {
			free(sadded);
			free(cadded);
			free(madded);
			return err;
		}
		started = true;
		err = mark_started(lab);
		if (err)
			goto end_undo;
	}
	err = wr_api_open(sw->name, &api);
	if (err)
		goto end_undo;
	if (sw->age_s >= 0)
		err = call_ints(api, "switch.set", "age_s", sw->age_s, NULL, 0);
	for (size_t i = 0; !err && i < sw->n_vlans; i++)
		err = call_ints(api, "vlan.set", "vlan", sw->vlans[i].vlan, "bd", sw->vlans[i].bd);
	if (!err)
		err = wr_api_call(api, "port.list", NULL, &res);
	for (size_t i = 0; !err && i < sw->n_ports; i++)
		err = add_port(lab, api, wr_json_array(res, "ports"), &sw->ports[i], &added[i]);
	/* The tunnels after the ports: each sits on one. */
	if (!err && sw->n_tunnels)
		err = wr_api_call(api, "tunnel.list", NULL, &tl);
	for (size_t i = 0; !err && i < sw->n_tunnels; i++)
		err = add_tunnel(lab, api, wr_json_array(tl, "tunnels"), &sw->tunnels[i], &tadded[i]);
	/* The rules last: their ports are there. */
	if (!err && sw->n_steer)
		err = add_steer(lab, api, sadded);
	/* The chains after the ports they run through. */
	if (!err && sw->n_chains)
		err = add_chains(lab, api, cadded);
	/* The mirrors last: no chain takes a port a mirror holds in between. */
	if (!err && sw->n_mirrors)
		err = add_mirrors(lab, api, madded);
	json_object_put(tl);
	json_object_put(res);
	wr_api_close(api);
end_undo:
	if (err)
		switch_undo(lab, added, tadded, sadded, cadded, madded, started);
	free(sadded);
	free(cadded);
	free(madded);
	return err;
}

int wr_lab_switch_down(const struct wr_lab *lab)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *res = NULL, *have;
	char mark[PATH_MAX], want[WHERE_MAX], is[WHERE_MAX];
	int ret = 0, err;

	if (!sw->present)
		return 0;
	if (wr_lab_switch_started(sw->name)) {
		if (wr_switch_running(sw->name))
			return wr_switch_stop(sw->name);
		if (!wr_switch_path(sw->name, ".lab", mark, sizeof(mark)))
			unlink(mark);
		return 0;
	}
	if (!wr_switch_running(sw->name))
		return 0;
	/* The lab's mirrors and chains first: they hold its ports. */
	ret = del_mirrors(sw);
	err = del_chains(sw);
	ret = ret ? ret : err;
	/* Its rules then: they send to its ports. */
	err = del_steer(sw);
	ret = ret ? ret : err;
	/* The lab's tunnels then: they sit on its ports. */
	if (sw->n_tunnels && !wr_api_request(sw->name, "tunnel.list", NULL, &res)) {
		for (size_t i = 0; i < sw->n_tunnels; i++) {
			have = find_tunnel(wr_json_array(res, "tunnels"), sw->tunnels[i].name);
			if (!have || !tunnel_same(have, &sw->tunnels[i]))
				continue;
			err = tunnel_del(sw->name, sw->tunnels[i].name);
			if (err && err != -ENOENT && !ret)
				ret = err;
		}
		json_object_put(res);
		res = NULL;
	}
	err = wr_api_request(sw->name, "port.list", NULL, &res);
	if (err)
		return err;
	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_port_req *pc = &sw->ports[i].conf;

		have = find_port(wr_json_array(res, "ports"), pc->name);
		if (!have || strcmp(port_where(have, is, sizeof(is)),
				    conf_where(pc, want, sizeof(want))))
			continue;
		err = port_del(sw->name, pc->name);
		if (err && err != -ENOENT && !ret)
			ret = err;
	}
	json_object_put(res);
	return ret;
}

/* The bridge domain @vl maps VLAN @v->vlan to, or -1 when it has no mapping. */
static int64_t vlan_bd(struct json_object *vl, const struct wr_lab_vlan *v)
{
	struct json_object *a = wr_json_array(vl, "vlans");

	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (wr_json_int(json_object_array_get_idx(a, i), "vlan") == v->vlan)
			return wr_json_int(json_object_array_get_idx(a, i), "bd");
	return -1;
}

/*
 * Each tunnel of the lab, as instance @up has it: there on its underlay
 * and address, with every VNI and remote VTEP of the lab.
 */
static void tunnels_status(const struct wr_lab *lab, bool up,
			   void (*report)(void *st, struct wr_lab_item *it), void *st)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct json_object *tl = NULL, *have;

	if (up && sw->n_tunnels)
		wr_api_request(sw->name, "tunnel.list", NULL, &tl);
	for (size_t i = 0; i < sw->n_tunnels; i++) {
		const struct wr_lab_tunnel *t = &sw->tunnels[i];
		struct json_object *add = t->reqs[0].args;
		struct wr_lab_item it = { .type = "tunnel" };

		snprintf(it.name, sizeof(it.name), "%s %s underlay %s local %s", sw->name, t->name,
			 wr_json_str(add, "underlay"), wr_json_str(add, "local"));
		have = find_tunnel(wr_json_array(tl, "tunnels"), t->name);
		if (!up)
			snprintf(it.detail, sizeof(it.detail), "switch not running");
		else if (!have)
			snprintf(it.detail, sizeof(it.detail), "absent");
		else if (!tunnel_same(have, t))
			snprintf(it.detail, sizeof(it.detail), "on %.15s local %.38s",
				 wr_json_str(have, "underlay"), wr_json_str(have, "local"));
		for (size_t r = 1; have && !it.detail[0] && r < t->n_reqs; r++) {
			struct json_object *a = t->reqs[r].args;

			if (tunnel_has(have, &t->reqs[r]))
				continue;
			if (t->reqs[r].cmd == WR_CMD_VNI_SET)
				snprintf(it.detail, sizeof(it.detail), "vni %lld not bd %lld",
					 (long long)wr_json_int(a, "vni"),
					 (long long)wr_json_int(a, "bd"));
			else
				snprintf(it.detail, sizeof(it.detail), "remote %.46s absent",
					 wr_json_str(a, "remote"));
		}
		it.present = !it.detail[0];
		report(st, &it);
	}
	json_object_put(tl);
}

/* The switch, then its VLAN map and ports, as the instance has them. */
void wr_lab_switch_status(const struct wr_lab *lab,
			  void (*report)(void *st, struct wr_lab_item *it), void *st)
{
	const struct wr_lab_switch *sw = &lab->sw;
	struct wr_lab_item it = { .type = "switch" };
	struct json_object *pl = NULL, *vl = NULL, *p;
	struct wr_api *api;
	char want[WHERE_MAX], is[WHERE_MAX];
	bool up;

	if (!sw->present)
		return;
	snprintf(it.name, sizeof(it.name), "%s", sw->name);
	up = !wr_api_open(sw->name, &api);
	if (up) {
		wr_api_call(api, "port.list", NULL, &pl);
		wr_api_call(api, "vlan.list", NULL, &vl);
		wr_api_close(api);
	}
	it.present = up;
	if (!up)
		snprintf(it.detail, sizeof(it.detail), "not running");
	report(st, &it);
	for (size_t i = 0; i < sw->n_vlans; i++) {
		const struct wr_lab_vlan *v = &sw->vlans[i];
		struct wr_lab_item vit = { .type = "vlan" };
		int64_t bd = vlan_bd(vl, v);

		snprintf(vit.name, sizeof(vit.name), "%s vlan %u bd %u", sw->name, v->vlan, v->bd);
		vit.present = bd == v->bd;
		if (!up)
			snprintf(vit.detail, sizeof(vit.detail), "switch not running");
		else if (bd < 0)
			snprintf(vit.detail, sizeof(vit.detail), "absent");
		else if (!vit.present)
			snprintf(vit.detail, sizeof(vit.detail), "is bd %lld", (long long)bd);
		report(st, &vit);
	}
	for (size_t i = 0; i < sw->n_ports; i++) {
		const struct wr_port_req *pc = &sw->ports[i].conf;
		struct wr_lab_item pit = { .type = "port" };

		conf_where(pc, want, sizeof(want));
		snprintf(pit.name, sizeof(pit.name), "%s %s %s%s", sw->name, pc->name,
			 pc->type == WR_PORT_DPDK ? "" : "dev ", want);
		p = find_port(wr_json_array(pl, "ports"), pc->name);
		if (!up)
			snprintf(pit.detail, sizeof(pit.detail), "switch not running");
		else if (!p)
			snprintf(pit.detail, sizeof(pit.detail), "absent");
		else if (strcmp(port_where(p, is, sizeof(is)), want))
			snprintf(pit.detail, sizeof(pit.detail), "on %.60s", is);
		else if (!strcmp(wr_json_str(p, "link"), "gone"))
			snprintf(pit.detail, sizeof(pit.detail), "its device is gone");
		else
			pit.present = true;
		report(st, &pit);
	}
	tunnels_status(lab, up, report, st);
	json_object_put(pl);
	json_object_put(vl);
}

