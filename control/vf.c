/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vf.c - VFs lent to namespaces and taken back: the state file saved
 * before anything is touched, attach (settings, move, rename, addresses,
 * up), release (from the namespace, or from wherever the kernel put the
 * netdev when the namespace died), and who uses a VF.
 *
 * The state file is the only record: release reads it, never the
 * caller's memory, so a release after a crash of the CLI, or by another
 * process, restores the same.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "wr_control.h"

#define STATE_DIR "vf"
#define STATE_SUFFIX ".json"
#define LENT_MAX 1024	/* state files listed at once */

/* ------------------------------------------------------------ the file */

static int state_path(const char *pf_pci, unsigned int vf, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/" STATE_DIR "/%s-vf%u" STATE_SUFFIX, wr_api_run_dir(),
			     pf_pci, vf) >= size)
		return wr_err_set(-ENAMETOOLONG, "VF state of %s vf %u: path too long", pf_pci, vf);
	return 0;
}

static void put_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static const char *mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}

/* The reported settings of @c; an unset one is left out. */
static struct json_object *conf_json(const struct wr_vf_conf *c)
{
	struct json_object *o = json_object_new_object();
	char mac[18];

	if (c->has_mac)
		json_object_object_add(o, "mac", json_object_new_string(mac_str(c->mac, mac)));
	if (c->has_vlan) {
		put_int(o, "vlan", c->vlan);
		put_int(o, "qos", c->qos);
		put_int(o, "proto", c->proto);
	}
	if (c->min_rate >= 0)
		put_int(o, "min_rate", c->min_rate);
	if (c->max_rate >= 0)
		put_int(o, "max_rate", c->max_rate);
	if (c->spoofchk >= 0)
		put_int(o, "spoofchk", c->spoofchk);
	if (c->trust >= 0)
		put_int(o, "trust", c->trust);
	if (c->link_state >= 0)
		put_int(o, "link_state", c->link_state);
	if (c->rss_query >= 0)
		put_int(o, "rss_query", c->rss_query);
	return o;
}

static int64_t get_int(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : dflt;
}

static void conf_from_json(struct json_object *o, struct wr_vf_conf *c)
{
	struct json_object *v;

	wr_vf_conf_init(c);
	if (json_object_object_get_ex(o, "mac", &v) &&
	    !wr_parse_mac(json_object_get_string(v), c->mac))
		c->has_mac = true;
	if (json_object_object_get_ex(o, "vlan", &v)) {
		c->has_vlan = true;
		c->vlan = (uint16_t)json_object_get_int(v);
		c->qos = (uint8_t)get_int(o, "qos", 0);
		c->proto = (uint16_t)get_int(o, "proto", WR_VF_PROTO_8021Q);
	}
	c->min_rate = get_int(o, "min_rate", -1);
	c->max_rate = get_int(o, "max_rate", -1);
	c->spoofchk = (int)get_int(o, "spoofchk", -1);
	c->trust = (int)get_int(o, "trust", -1);
	c->link_state = (int)get_int(o, "link_state", -1);
	c->rss_query = (int)get_int(o, "rss_query", -1);
}

static void put_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

static void get_str(struct json_object *o, const char *key, char *buf, size_t size)
{
	struct json_object *v;

	snprintf(buf, size, "%s", json_object_object_get_ex(o, key, &v) ?
		 json_object_get_string(v) : "");
}

/* Write @l's file whole or not at all: a new file, synced, renamed over the old. */
static int state_write(const struct wr_vf_lent *l)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX], mac[18];
	struct json_object *o = json_object_new_object();
	const char *text;
	int fd, err = 0;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/" STATE_DIR, wr_api_run_dir());
	if (mkdir(wr_api_run_dir(), 0755) && errno != EEXIST)
		err = -errno;
	if (!err && mkdir(dir, 0700) && errno != EEXIST)
		err = -errno;
	if (err) {
		json_object_put(o);
		return wr_err_set(err, "VF state: make %s: %s", dir, strerror(-err));
	}
	err = state_path(l->pf_pci, l->vf, path, sizeof(path));
	if (err) {
		json_object_put(o);
		return err;
	}
	put_str(o, "pf", l->pf);
	put_str(o, "pf_pci", l->pf_pci);
	put_int(o, "vf", l->vf);
	put_str(o, "vf_pci", l->vf_pci);
	put_str(o, "ifname", l->ifname);
	put_str(o, "netns", l->netns);
	put_int(o, "netns_ino", (int64_t)l->netns_ino);
	put_str(o, "name", l->name);
	put_str(o, "mac", mac_str(l->mac, mac));
	put_int(o, "mtu", l->mtu);
	json_object_object_add(o, "up", json_object_new_boolean(l->up));
	json_object_object_add(o, "saved", l->has_saved ? conf_json(&l->saved) : NULL);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		goto end_put;
	}
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		goto end_put;
	}
	/* The rename itself lasts once the directory is on disk. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
end_put:
	json_object_put(o);
	if (err)
		return wr_err_set(err, "VF state: write %s: %s", path, strerror(-err));
	return 0;
}

static int state_read(const char *path, struct wr_vf_lent *l)
{
	struct json_object *o, *v;
	char mac[24];

	memset(l, 0, sizeof(*l));
	if (access(path, F_OK))
		return -errno;
	o = json_object_from_file(path);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return wr_err_set(-EINVAL, "VF state %s: not a state file (remove it by hand once "
				  "the VF is back)", path);
	}
	get_str(o, "pf", l->pf, sizeof(l->pf));
	get_str(o, "pf_pci", l->pf_pci, sizeof(l->pf_pci));
	l->vf = (unsigned int)get_int(o, "vf", 0);
	get_str(o, "vf_pci", l->vf_pci, sizeof(l->vf_pci));
	get_str(o, "ifname", l->ifname, sizeof(l->ifname));
	get_str(o, "netns", l->netns, sizeof(l->netns));
	l->netns_ino = (uint64_t)get_int(o, "netns_ino", 0);
	get_str(o, "name", l->name, sizeof(l->name));
	get_str(o, "mac", mac, sizeof(mac));
	wr_parse_mac(mac, l->mac);
	l->mtu = (uint32_t)get_int(o, "mtu", 0);
	l->up = json_object_object_get_ex(o, "up", &v) && json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "saved", &v) && v) {
		l->has_saved = true;
		conf_from_json(v, &l->saved);
	}
	json_object_put(o);
	return 0;
}

static int state_forget(const struct wr_vf_lent *l)
{
	char path[PATH_MAX];
	int err;

	err = state_path(l->pf_pci, l->vf, path, sizeof(path));
	if (err)
		return err;
	if (unlink(path) && errno != ENOENT)
		return wr_err_set(-errno, "VF state: remove %s: %s", path, strerror(errno));
	return 0;
}

int wr_vf_lent_get(const char *pf_pci, unsigned int vf, struct wr_vf_lent *out)
{
	char path[PATH_MAX];
	int err;

	err = state_path(pf_pci, vf, path, sizeof(path));
	if (err)
		return err;
	err = state_read(path, out);
	if (err == -ENOENT)
		return wr_err_set(-ENOENT, "%s vf %u: not lent by Warren (no %s)", pf_pci, vf, path);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int wr_vf_lent_foreach(int (*fn)(const struct wr_vf_lent *l, void *arg), void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], *names[LENT_MAX];
	struct wr_vf_lent l;
	struct dirent *de;
	size_t n = 0, len;
	int ret = 0, r;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/" STATE_DIR, wr_api_run_dir());
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : wr_err_set(-errno, "VF state: list %s: %s", dir,
							strerror(errno));
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len <= strlen(STATE_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(STATE_SUFFIX), STATE_SUFFIX))
			continue;
		/* More VFs lent than any host has PFs times VFs: said, not cut silently. */
		if (n == LENT_MAX) {
			ret = wr_err_set(-E2BIG, "VF state: more than %d files in %s", LENT_MAX, dir);
			break;
		}
		if ((names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (ret >= 0 && !state_read(path, &l)) {
			r = fn(&l, arg);
			ret = r < 0 ? r : ret + 1;
		}
		free(names[i]);
	}
	return ret;
}

/* ------------------------------------------------------------ lending */

/* The inode of namespace @netns (which one of that name), or 0 when there is none. */
static uint64_t netns_ino(const char *netns)
{
	struct stat st;
	int fd;

	if (!wr_netns_exists(netns))
		return 0;
	fd = wr_netns_open(netns);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st))
		st.st_ino = 0;
	close(fd);
	return st.st_ino;
}

/* "@prefix: <the message recorded>" as the message; returns @err. */
static int prefixed(int err, const char *prefix)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	return wr_err_set(err, "%s: %s", prefix, msg);
}

static bool conf_any(const struct wr_vf_conf *c)
{
	return c->has_mac || c->has_vlan || c->min_rate >= 0 || c->max_rate >= 0 ||
	       c->spoofchk >= 0 || c->trust >= 0 || c->link_state >= 0 || c->rss_query >= 0;
}

/* The netdev's own settings, saved with the VF's. */
static int save_netdev(struct wr_vf_lent *l)
{
	struct wr_ep ep = { .netns = "" };
	struct wr_link_info li;
	int err;

	snprintf(ep.ifname, sizeof(ep.ifname), "%s", l->ifname);
	err = wr_link_get(&ep, &li);
	if (err)
		return err;
	memcpy(l->mac, li.mac, 6);
	l->mtu = li.mtu;
	l->up = li.up;
	return 0;
}

/* Give the netdev, now @ifname in @netns, its addresses and state. */
static int configure(const struct wr_vf_attach *a, const char *name)
{
	struct wr_ep ep;
	struct wr_link_change up = { .up = 1 };
	int err;

	snprintf(ep.netns, sizeof(ep.netns), "%s", a->netns);
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", name);
	for (size_t i = 0; i < a->n_addrs; i++) {
		err = wr_addr_add(&ep, &a->addrs[i]);
		if (err)
			return err;
	}
	return a->down ? 0 : wr_link_set(&ep, &up);
}

int wr_vf_attach(const char *sysfs, const struct wr_vf_attach *a)
{
	struct wr_link_change move = { .up = 0 };
	struct wr_vf_release_report rep;
	struct wr_sriov_pf pf;
	struct wr_sriov_vf vf;
	struct wr_vf_lent l, old;
	struct wr_ep ep = { .netns = "" };
	char who[64], msg[512];
	int err;

	snprintf(who, sizeof(who), "PF %s: vf %u", a->pf, a->vf);
	if (!a->netns[0] || wr_valid_netns_name(a->netns))
		return wr_err_set(-EINVAL, "%s: attach: '%s' is no namespace name", who, a->netns);
	if (a->name[0] && wr_valid_ifname(a->name))
		return wr_err_set(-EINVAL, "%s: attach: name '%s' is no interface name", who, a->name);
	if (a->n_addrs > WR_VF_ADDRS_MAX)
		return wr_err_set(-EINVAL, "%s: attach: more than %d addresses", who,
				  WR_VF_ADDRS_MAX);
	if (conf_any(&a->conf) && wr_vf_conf_check(&a->conf))
		return prefixed(-EINVAL, who);
	if (!wr_netns_exists(a->netns))
		return wr_err_set(-ENOENT, "%s: attach: netns %s: %s", who, a->netns,
				  strerror(ENOENT));
	err = wr_sriov_pf_get(sysfs, a->pf, &pf);
	if (!err)
		err = wr_sriov_vf_get(sysfs, a->pf, a->vf, &vf);
	if (err)
		return err;
	if (!wr_vf_lent_get(pf.pci, a->vf, &old))
		return wr_err_set(-EBUSY, "%s: attach: lent already, to netns %s as %s (warren vf "
				  "release %s vf %u)", who, old.netns, old.name, a->pf, a->vf);
	if (!vf.ifname[0])
		return wr_err_set(-ENODEV, "%s (%s): attach: no netdev in the root namespace (bound "
				  "to %s)", who, vf.pci, vf.driver[0] ? vf.driver : "no driver");

	memset(&l, 0, sizeof(l));
	snprintf(l.pf, sizeof(l.pf), "%s", pf.ifname);
	snprintf(l.pf_pci, sizeof(l.pf_pci), "%s", pf.pci);
	l.vf = a->vf;
	snprintf(l.vf_pci, sizeof(l.vf_pci), "%s", vf.pci);
	snprintf(l.ifname, sizeof(l.ifname), "%s", vf.ifname);
	snprintf(l.netns, sizeof(l.netns), "%s", a->netns);
	l.netns_ino = netns_ino(a->netns);
	snprintf(l.name, sizeof(l.name), "%s", a->name[0] ? a->name : vf.ifname);
	err = save_netdev(&l);
	if (err)
		return prefixed(err, who);
	err = wr_vf_get_conf(a->pf, a->vf, &l.saved);
	if (err && err != -ENODATA && err != -ENOENT)
		return err;
	l.has_saved = !err;
	/* Saved before anything is touched: a crash from here on loses nothing. */
	err = state_write(&l);
	if (err)
		return err;

	if (conf_any(&a->conf)) {
		err = wr_vf_set(a->pf, a->vf, &a->conf);
		if (err)
			goto end_undo;
	}
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", l.ifname);
	move.netns = a->netns;
	if (strcmp(l.name, l.ifname))
		move.new_name = l.name;
	err = wr_link_set(&ep, &move);
	if (!err)
		err = configure(a, l.name);
	if (!err)
		return 0;
end_undo:
	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	if (wr_vf_release(sysfs, a->pf, a->vf, &rep))
		return wr_err_set(err, "%s; undoing it failed too: %s", msg, wr_err_msg());
	return wr_err_set(err, "%s (undone: the VF is back as it was)", msg);
}

/* ------------------------------------------------------------ release */

/* Where the netdev is: 1 in the namespace, 0 in the root as *@found, -ENODEV nowhere. */
static int locate(const char *sysfs, const struct wr_vf_lent *l, bool ns_here, char *found)
{
	struct wr_ep ep = { .netns = "" };
	struct wr_link_info li;
	struct wr_sriov_vf vf;

	found[0] = '\0';
	if (ns_here) {
		snprintf(ep.netns, sizeof(ep.netns), "%s", l->netns);
		snprintf(ep.ifname, sizeof(ep.ifname), "%s", l->name);
		if (!wr_link_get(&ep, &li))
			return 1;
		ep.netns[0] = '\0';
	}
	/* Never moved, or given back by the kernel under its own name. */
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", l->ifname);
	if (!wr_link_get(&ep, &li)) {
		snprintf(found, IFNAMSIZ, "%s", l->ifname);
		return 0;
	}
	/* Given back as its name in the namespace, or as devN: sysfs says which. */
	if (!wr_sriov_vf_get(sysfs, l->pf, l->vf, &vf) && vf.ifname[0]) {
		snprintf(ep.ifname, sizeof(ep.ifname), "%s", vf.ifname);
		if (!wr_link_get(&ep, &li)) {
			snprintf(found, IFNAMSIZ, "%s", vf.ifname);
			return 0;
		}
	}
	return -ENODEV;
}

/* The settings of @saved that differ from the VF's now: what release sends. */
static bool conf_diff(const struct wr_vf_conf *saved, const struct wr_vf_conf *now,
		      struct wr_vf_conf *out)
{
	wr_vf_conf_init(out);
	if (saved->has_mac && (!now->has_mac || memcmp(saved->mac, now->mac, 6))) {
		out->has_mac = true;
		memcpy(out->mac, saved->mac, 6);
	}
	if (saved->has_vlan && (!now->has_vlan || saved->vlan != now->vlan ||
				saved->qos != now->qos || (saved->vlan && saved->proto != now->proto))) {
		out->has_vlan = true;
		out->vlan = saved->vlan;
		out->qos = saved->qos;
		out->proto = saved->vlan ? saved->proto : WR_VF_PROTO_8021Q;
	}
	if (saved->max_rate >= 0 &&
	    (saved->max_rate != now->max_rate || saved->min_rate != now->min_rate)) {
		out->min_rate = saved->min_rate >= 0 ? saved->min_rate : 0;
		out->max_rate = saved->max_rate;
	}
#define DIFF(f) if (saved->f >= 0 && saved->f != now->f) out->f = saved->f
	DIFF(spoofchk);
	DIFF(trust);
	DIFF(link_state);
	DIFF(rss_query);
#undef DIFF
	return out->has_mac || out->has_vlan || out->max_rate >= 0 || out->spoofchk >= 0 ||
	       out->trust >= 0 || out->link_state >= 0 || out->rss_query >= 0;
}

static int restore_settings(const struct wr_vf_lent *l, struct wr_vf_release_report *r)
{
	struct wr_vf_conf now, diff;
	int err;

	err = wr_vf_get_conf(l->pf, l->vf, &now);
	if (err == -ENODATA || err == -ENOENT)
		wr_vf_conf_init(&now);	/* nothing to compare with: send all */
	else if (err)
		return err;
	if (!conf_diff(&l->saved, &now, &diff))
		return 0;
	err = wr_vf_set(l->pf, l->vf, &diff);
	r->settings_restored = !err;
	return err;
}

int wr_vf_release(const char *sysfs, const char *pf, unsigned int vf,
		  struct wr_vf_release_report *r)
{
	struct wr_link_change back = { .up = 0 };
	struct wr_sriov_pf p;
	struct wr_vf_lent l;
	struct wr_ep ep;
	char who[64];
	bool ns_here;
	int where, err;

	memset(r, 0, sizeof(*r));
	snprintf(who, sizeof(who), "PF %s: vf %u: release", pf, vf);
	err = wr_sriov_pf_get(sysfs, pf, &p);
	if (err)
		return err;
	err = wr_vf_lent_get(p.pci, vf, &l);
	if (err)
		return err == -ENOENT ? wr_err_set(-ENOENT, "%s: not lent by Warren", who) : err;
	ns_here = l.netns_ino && netns_ino(l.netns) == l.netns_ino;
	r->netns_gone = !ns_here;
	where = locate(sysfs, &l, ns_here, r->found);
	if (where == -ENODEV) {
		/* A virtual stand-in dies with its namespace: only the VF's settings are left. */
		r->lost = true;
		if (l.has_saved) {
			err = restore_settings(&l, r);
			if (err)
				return prefixed(err, who);
		}
		return state_forget(&l);
	}
	snprintf(ep.netns, sizeof(ep.netns), "%s", where ? l.netns : "");
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", where ? l.name : r->found);
	if (where)
		back.netns = "";
	if (strcmp(ep.ifname, l.ifname))
		back.new_name = l.ifname;
	back.mtu = l.mtu;
	back.has_mac = true;
	memcpy(back.mac, l.mac, 6);
	err = wr_link_set(&ep, &back);
	if (err)
		return prefixed(err, who);
	if (l.up) {
		struct wr_link_change up = { .up = 1 };

		snprintf(ep.ifname, sizeof(ep.ifname), "%s", l.ifname);
		ep.netns[0] = '\0';
		err = wr_link_set(&ep, &up);
		if (err)
			return prefixed(err, who);
	}
	if (l.has_saved) {
		err = restore_settings(&l, r);
		if (err)
			return prefixed(err, who);
	}
	return state_forget(&l);
}

/* ------------------------------------------------------------ users */

static int global_addr(const struct wr_addr_info *ai, void *arg)
{
	char *who = arg;

	if (strcmp(ai->scope, "global") || who[0])
		return 0;
	wr_format_cidr(&ai->addr, who, INET6_ADDRSTRLEN + 4);
	return 0;
}

int wr_vf_in_use(const struct wr_sriov_pf *pf, const struct wr_sriov_vf *vf, char *who,
		 size_t size, void *arg)
{
	struct wr_ep ep = { .netns = "" };
	struct wr_link_info li;
	struct wr_vf_lent l;
	char addr[INET6_ADDRSTRLEN + 4] = "";

	(void)arg;
	if (!wr_vf_lent_get(pf->pci, vf->index, &l)) {
		snprintf(who, size, "lent to netns %s as %s", l.netns, l.name);
		return 1;
	}
	if (!vf->ifname[0])
		return 0;
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", vf->ifname);
	if (wr_link_get(&ep, &li) || !li.up)
		return 0;
	if (wr_addr_foreach("", vf->ifname, global_addr, addr) < 0 || !addr[0])
		return 0;
	snprintf(who, size, "up with address %s", addr);
	return 1;
}
