/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_doctor.c - warren doctor: is this switch set up the fast way? Each
 * check is one row of checks[] (what it looks at, for the host or for
 * each port), gives a verdict (ok, warn, fail), what it found, and for a
 * problem the fix. What warrend chose comes from its API (port.list's
 * fastpath_why, xdp_mode and mode; health; switch.show; tunnel.list);
 * what the kernel says of devices and of warrend's process is read here
 * (ethtool through wr_dev_info(), /proc), never guessed.
 */
#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

enum verdict { V_SKIP, V_OK, V_WARN, V_FAIL };
static const char *const verdict_names[] = { "skip", "ok", "warn", "fail" };

/* What warrend told, asked once. */
struct doc {
	struct json_object *health, *show, *ports, *tunnels, *stats;
	int pid;
};

struct finding {
	enum verdict v;
	char fact[512];
	char fix[384];
};

__attribute__((format(printf, 3, 4)))
static void say(struct finding *f, enum verdict v, const char *fmt, ...)
{
	va_list ap;

	f->v = v;
	va_start(ap, fmt);
	vsnprintf(f->fact, sizeof(f->fact), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->fix, sizeof(f->fix), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ the host */

/* The line of file @path starting with @key: what follows it, into @buf. */
static bool file_line(const char *path, const char *key, char *buf, size_t size)
{
	char line[256];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			snprintf(buf, size, "%s", line + strlen(key));
			found = true;
		}
	fclose(f);
	return found;
}

/* The same of /proc/@pid/@file. */
static bool proc_line(int pid, const char *file, const char *key, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return file_line(path, key, buf, size);
}

/* A limit of warrend's: its soft and hard values as written ("unlimited", a number). */
static bool limit(int pid, const char *name, char *soft, char *hard)
{
	char rest[200];

	return proc_line(pid, "limits", name, rest, sizeof(rest)) &&
	       sscanf(rest, "%31s %31s", soft, hard) == 2;
}

static void check_workers(struct doc *d, struct json_object *p, struct finding *f)
{
	struct json_object *w = wr_json_array(d->health, "workers");
	char cores[128] = "";
	size_t n = w ? json_object_array_length(w) : 0, unpinned = 0;

	(void)p;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_object_get(json_object_array_get_idx(w, i),
								 "core");
		size_t len = strlen(cores);

		if (!c)
			unpinned++;
		else
			snprintf(cores + len, sizeof(cores) - len, "%s%d", len ? "," : "",
				 json_object_get_int(c));
	}
	if (!unpinned) {
		say(f, V_OK, "%zu worker(s), pinned to core(s) %s", n, cores);
		return;
	}
	say(f, V_WARN, "%zu of %zu worker(s) not pinned: the scheduler moves them between CPUs "
	    "(caches go cold, and IRQs cannot be placed against them)", unpinned, n);
	fix(f, "start warrend with --cores LIST, one core per worker, away from the devices' IRQs");
}

static void check_fastpath_loaded(struct doc *d, struct json_object *p, struct finding *f)
{
	(void)p;
	if (wr_json_object(d->stats, "fastpath")) {
		say(f, V_OK, "the kernel fast path is loaded: known unicast between ports on xdp or "
		    "tc is forwarded without warrend");
		return;
	}
	say(f, V_WARN, "the kernel fast path did not load: every frame goes through warrend");
	fix(f, "see warrend's log for the BPF program's load error (a kernel with BPF and BTF, "
	    "a BPF filesystem at /sys/fs/bpf)");
}

/* CAP_IPC_LOCK (bit 14) in warrend's effective set. */
static bool ipc_lock(int pid)
{
	char rest[64];

	return proc_line(pid, "status", "CapEff:", rest, sizeof(rest)) &&
	       (strtoull(rest, NULL, 16) >> 14 & 1);
}

static void check_memlock(struct doc *d, struct json_object *p, struct finding *f)
{
	char soft[32], hard[32];

	(void)p;
	if (!limit(d->pid, "Max locked memory", soft, hard)) {
		say(f, V_WARN, "cannot read /proc/%d/limits (warrend in another PID namespace?)",
		    d->pid);
		fix(f, "run warren doctor where warrend runs");
		return;
	}
	if (!strcmp(soft, "unlimited"))
		say(f, V_OK, "locked memory: unlimited");
	else if (ipc_lock(d->pid))
		say(f, V_OK, "locked memory: %s bytes, but warrend holds CAP_IPC_LOCK: its AF_XDP "
		    "buffers are not held to the limit", soft);
	else {
		say(f, V_WARN, "locked memory: %s bytes (hard %s) and no CAP_IPC_LOCK: AF_XDP "
		    "buffers (128 MiB by default) may be refused", soft, hard);
		fix(f, "LimitMEMLOCK=infinity in its unit, or 'ulimit -l unlimited' before warrend");
	}
}

static void check_nofile(struct doc *d, struct json_object *p, struct finding *f)
{
	char soft[32], hard[32], path[64];
	long open_fds = 0;
	struct dirent *e;
	DIR *dir;

	(void)p;
	snprintf(path, sizeof(path), "/proc/%d/fd", d->pid);
	dir = opendir(path);
	if (!limit(d->pid, "Max open files", soft, hard) || !dir) {
		if (dir)
			closedir(dir);
		say(f, V_WARN, "cannot read /proc/%d (warrend in another PID namespace?)", d->pid);
		fix(f, "run warren doctor where warrend runs");
		return;
	}
	while ((e = readdir(dir)))
		open_fds += e->d_name[0] != '.';
	closedir(dir);
	if (strcmp(soft, "unlimited") && open_fds * 4 > atol(soft) * 3) {
		say(f, V_WARN, "open files: %ld of at most %s (hard %s): new ports and API clients "
		    "will soon be refused", open_fds, soft, hard);
		fix(f, "raise the hard limit (LimitNOFILE= in its unit, or 'ulimit -Hn' before "
		    "warrend, which raises its soft limit to the hard one at start)");
		return;
	}
	say(f, V_OK, "open files: %ld of at most %s (hard %s); each port takes a few", open_fds,
	    soft, hard);
}

static void check_hugepages(struct doc *d, struct json_object *p, struct finding *f)
{
	struct json_object *dpdk = wr_json_object(d->show, "dpdk");
	struct json_object *args = wr_json_array(dpdk, "args");
	char total[32] = "0", free_[32] = "0", size[32] = "?";
	bool no_huge = false;

	(void)p;
	for (size_t i = 0; args && i < json_object_array_length(args); i++)
		no_huge |= !strcmp(json_object_get_string(json_object_array_get_idx(args, i)),
				   "--no-huge");
	if (!wr_json_bool(dpdk, "running")) {
		say(f, V_OK, "DPDK's EAL does not run (no dpdk port): hugepages not needed");
		return;
	}
	if (no_huge) {
		say(f, V_OK, "the EAL runs without hugepages (--no-huge): virtual devices only");
		return;
	}
	file_line("/proc/meminfo", "HugePages_Total:", total, sizeof(total));
	file_line("/proc/meminfo", "HugePages_Free:", free_, sizeof(free_));
	file_line("/proc/meminfo", "Hugepagesize:", size, sizeof(size));
	if (atol(total) == 0) {
		say(f, V_FAIL, "the EAL runs with hugepages, and none are reserved");
		fix(f, "echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages "
		    "(docs/dpdk.md), or --dpdk '--no-huge ...' for virtual devices");
		return;
	}
	size[strcspn(size, "\n")] = '\0';
	say(f, atol(free_) ? V_OK : V_WARN, "hugepages: %ld of %ld free (%s each)", atol(free_),
	    atol(total), size + strspn(size, " "));
	if (!atol(free_))
		fix(f, "reserve more: /sys/kernel/mm/hugepages/*/nr_hugepages");
}

/* -------------------------------------------------------------- a port */

/* The port's device, its namespace "" for the root. */
static struct wr_ep port_ep(struct json_object *p)
{
	struct wr_ep ep;

	snprintf(ep.netns, sizeof(ep.netns), "%s", wr_json_str(p, "netns"));
	snprintf(ep.ifname, sizeof(ep.ifname), "%s", wr_json_str(p, "dev"));
	return ep;
}

/* The veth peer warrend found for @p: false when there is none (or it is out of sight). */
static bool peer_ep(struct json_object *p, struct wr_ep *ep, struct wr_dev_info *info)
{
	struct json_object *peer = wr_json_object(p, "peer");

	if (!peer || !wr_json_bool(peer, "found"))
		return false;
	snprintf(ep->netns, sizeof(ep->netns), "%s", wr_json_str(peer, "netns"));
	snprintf(ep->ifname, sizeof(ep->ifname), "%s", wr_json_str(peer, "dev"));
	return wr_dev_info(ep, info) == 0;
}

/* peer_ep(), its name into @who; without a peer, the check does not apply to @p. */
static bool peer_check(struct json_object *p, struct wr_ep *ep, struct wr_dev_info *info,
		       char who[WR_EP_STR_MAX], struct finding *f)
{
	if (!peer_ep(p, ep, info)) {
		say(f, V_SKIP, "no veth peer");
		return false;
	}
	wr_ep_str(ep, who, WR_EP_STR_MAX);
	return true;
}

/* "ip netns exec NS " to run a command in @ep's namespace; "" in the root one. */
static const char *in_ns(const struct wr_ep *ep, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", ep->netns[0] ? "ip netns exec " : "", ep->netns,
		 ep->netns[0] ? " " : "");
	return buf;
}

/* Whether frames of @p meet an XDP program of warrend's (its AF_XDP socket's, or the fast path's). */
static bool has_xdp(struct json_object *p)
{
	return wr_json_str(p, "xdp_mode")[0] != '\0';
}

static void check_backend(struct doc *d, struct json_object *p, struct finding *f)
{
	const char *mode = wr_json_str(p, "mode"), *name = wr_json_str(p, "name");
	struct wr_ep ep = port_ep(p);
	struct wr_dev_info info;

	(void)d;
	if (strcmp(mode, "copy")) {
		say(f, V_OK, "%s backend%s", mode, !strcmp(mode, "zerocopy") ?
		    ": AF_XDP in zero-copy mode" : !strcmp(mode, "tap") ?
		    ": frames cross a TAP device" : "");
		return;
	}
	if (wr_dev_info(&ep, &info) || !info.bus_info[0]) {
		say(f, V_OK, "AF_XDP in copy mode: %s is a virtual device, it has no zero-copy",
		    info.driver[0] ? info.driver : "the device");
		return;
	}
	say(f, V_WARN, "AF_XDP in copy mode on %s (%s): every frame is copied between the "
	    "driver's buffers and warrend's", info.driver, info.bus_info);
	fix(f, "if %s supports AF_XDP zero-copy: warren port del %s, then port add ... zerocopy on",
	    info.driver, name);
}

static void check_fastpath(struct doc *d, struct json_object *p, struct finding *f)
{
	const char *mode = wr_json_str(p, "fastpath"), *asked = wr_json_str(p, "fastpath_asked");
	const char *why = wr_json_str(p, "fastpath_why");

	if (wr_json_str(p, "underlay_of")[0]) {
		say(f, V_OK, "the underlay of tunnel %s: out of the switch's fast path by design",
		    wr_json_str(p, "underlay_of"));
		return;
	}
	/* Off because warrend --fastpath off says so for every port: asked, then. */
	if (!strcmp(mode, "off") && strcmp(asked, "off") &&
	    (strcmp(asked, "auto") || strcmp(wr_json_str(d->show, "fastpath"), "off"))) {
		say(f, V_WARN, "fast path off (asked %s): %s; every frame goes through warrend",
		    asked, why);
		fix(f, "once what the reason names is gone: warren port set %s fastpath %s",
		    wr_json_str(p, "name"), !strcmp(asked, "auto") ? "tc" : asked);
		return;
	}
	say(f, V_OK, "fast path %s (asked %s): %s", mode, asked, why);
}

static void check_xdp_mode(struct doc *d, struct json_object *p, struct finding *f)
{
	const char *xm = wr_json_str(p, "xdp_mode");
	struct wr_ep ep = port_ep(p);
	struct wr_dev_info info;

	(void)d;
	if (!xm[0]) {
		say(f, V_SKIP, "no XDP program of warrend's on the device");
		return;
	}
	if (!strcmp(xm, "native")) {
		say(f, V_OK, "XDP runs in the driver (native)");
		return;
	}
	wr_dev_info(&ep, &info);
	say(f, V_WARN, "XDP runs in the generic hook (skb mode): %s has no native XDP, so each "
	    "frame is made an skb before XDP sees it, the slowest way in",
	    info.driver[0] ? info.driver : "its driver");
	fix(f, "warren port set %s fastpath tc (no XDP on the device: TC forwards in the kernel "
	    "and frames go up through a TAP), or a device whose driver has native XDP",
	    wr_json_str(p, "name"));
}

static void check_gso(struct doc *d, struct json_object *p, struct finding *f)
{
	struct wr_dev_info info;
	struct wr_ep ep;
	char who[WR_EP_STR_MAX];

	(void)d;
	if (!peer_check(p, &ep, &info, who, f))
		return;
	if (info.tso && info.gso) {
		say(f, V_OK, "peer %s keeps TSO and GSO: TCP crosses in frames of up to 64 KB", who);
		return;
	}
	if (!info.tso && has_xdp(p) && wr_json_str(p, "underlay_of")[0]) {
		say(f, V_OK, "peer %s has lost TSO to the XDP program of tunnel %s's underlay, "
		    "which decapsulates there: tunnel frames are never larger than the underlay "
		    "MTU anyway", who, wr_json_str(p, "underlay_of"));
		return;
	}
	if (!info.tso && has_xdp(p)) {
		say(f, V_WARN, "peer %s has lost TSO (an XDP program on a veth takes it from its "
		    "peer): its TCP crosses in MTU-sized frames, far more frames per byte", who);
		fix(f, "warren port set %s fastpath tc (TC keeps TSO and 64 KB frames)",
		    wr_json_str(p, "name"));
		return;
	}
	/* Turning TX checksums off (as for XDP) takes TSO with it: TSO needs them. */
	say(f, V_WARN, "peer %s: TSO %s, GSO %s%s: its TCP crosses in MTU-sized frames", who,
	    info.tso ? "on" : "off", info.gso ? "on" : "off",
	    info.tx_csum ? "" : " (TX checksum offload is off, and TSO needs it)");
	fix(f, "%sethtool -K %s%s tso on gso on", in_ns(&ep, who, sizeof(who)), ep.ifname,
	    info.tx_csum ? "" : " tx on");
}

static void check_peer_csum(struct doc *d, struct json_object *p, struct finding *f)
{
	struct wr_dev_info info;
	struct wr_ep ep;
	char who[WR_EP_STR_MAX];

	(void)d;
	if (!peer_check(p, &ep, &info, who, f))
		return;
	if (!info.tx_csum) {
		say(f, V_OK, "peer %s: TX checksum offload off, its frames carry whole checksums",
		    who);
	} else if (!has_xdp(p)) {
		say(f, V_OK, "peer %s: TX checksum offload on, and TC keeps the frames' checksum "
		    "state", who);
	} else {
		say(f, V_WARN, "peer %s: TX checksum offload on, behind an XDP/AF_XDP hop: its TCP "
		    "and UDP frames carry partial checksums, wrong once they cross it (other "
		    "hosts drop them)", who);
		fix(f, "%sethtool -K %s tx off (warrend turns it off at port add: something "
		    "turned it on again), or warren port set %s fastpath tc",
		    in_ns(&ep, who, sizeof(who)), ep.ifname, wr_json_str(p, "name"));
	}
}

/* The tunnel carrying bridge domain @bd, or NULL. */
static struct json_object *tunnel_of(struct doc *d, int64_t bd)
{
	for (size_t i = 0; d->tunnels && i < json_object_array_length(d->tunnels); i++) {
		struct json_object *t = json_object_array_get_idx(d->tunnels, i);
		struct json_object *vnis = wr_json_array(t, "vnis");

		for (size_t k = 0; vnis && k < json_object_array_length(vnis); k++)
			if (wr_json_int(json_object_array_get_idx(vnis, k), "bd") == bd)
				return t;
	}
	return NULL;
}

static void check_tunnel_mtu(struct doc *d, struct json_object *p, struct finding *f)
{
	struct json_object *t = tunnel_of(d, wr_json_int(p, "bd"));
	struct wr_ep ep = port_ep(p);
	struct wr_dev_info info;
	int64_t tmtu, mtu, over;
	char who[WR_EP_STR_MAX];

	if (!t || strcmp(wr_json_str(p, "vlan_mode"), "none")) {
		say(f, V_SKIP, "no tunnel carries its bridge domain");
		return;
	}
	if (!peer_ep(p, &ep, &info) && wr_dev_info(&ep, &info)) {
		say(f, V_WARN, "cannot read %s's MTU: %s", wr_json_str(p, "name"), wr_err_msg());
		return;
	}
	tmtu = wr_json_int(t, "tenant_mtu");
	mtu = wr_json_int(t, "mtu");
	over = mtu - tmtu;
	wr_ep_str(&ep, who, sizeof(who));
	if (info.mtu <= tmtu) {
		say(f, V_OK, "%s's MTU %u fits tunnel %s (underlay MTU %" PRId64 ", tenant MTU %"
		    PRId64 ")", who, info.mtu, wr_json_str(t, "name"), mtu, tmtu);
		return;
	}
	say(f, V_WARN, "%s's MTU %u is over tunnel %s's tenant MTU %" PRId64 " (underlay MTU %"
	    PRId64 " less %" PRId64 " bytes of headers): longer frames are dropped (tun_too_big), "
	    "never fragmented", who, info.mtu, wr_json_str(t, "name"), tmtu, mtu, over);
	fix(f, "%sip link set %s mtu %" PRId64 ", or an underlay MTU of %" PRId64,
	    in_ns(&ep, who, sizeof(who)), ep.ifname, tmtu, info.mtu + over);
}

/* The CPUs IRQ @irq may run on ("0-3"), into @buf. */
static bool irq_cpus(const char *irq, char *buf, size_t size)
{
	char path[300];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/irq/%s/smp_affinity_list", irq);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Whether CPU @cpu is in list @list ("0-3,8"). */
static bool in_list(const char *list, int cpu)
{
	for (const char *s = list; *s; ) {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (cpu >= lo && cpu <= hi)
			return true;
		s = *end == ',' ? end + 1 : end + strlen(end);
	}
	return false;
}

static void check_irq(struct doc *d, struct json_object *p, struct finding *f)
{
	struct json_object *w = json_object_array_get_idx(wr_json_array(d->health, "workers"),
							  (size_t)wr_json_int(p, "worker"));
	struct json_object *core = w ? json_object_object_get(w, "core") : NULL;
	struct wr_ep ep = port_ep(p);
	struct wr_dev_info info;
	char path[96], cpus[64], shared[128] = "";
	int n = 0;
	struct dirent *e;
	DIR *dir;

	if (!strcmp(wr_json_str(p, "type"), "dpdk")) {
		say(f, V_OK, "DPDK polls its queues: no IRQs to place");
		return;
	}
	if (wr_dev_info(&ep, &info) || !info.bus_info[0]) {
		say(f, V_OK, "%s is a virtual device: it has no IRQs (frames arrive in the "
		    "sender's context), nothing to place", info.driver[0] ? info.driver : "the device");
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs", info.bus_info);
	dir = opendir(path);
	if (!dir) {
		say(f, V_OK, "%s (%s) shows no MSI IRQs", info.driver, info.bus_info);
		return;
	}
	while ((e = readdir(dir)))
		if (isdigit((unsigned char)e->d_name[0]) && irq_cpus(e->d_name, cpus, sizeof(cpus))) {
			n++;
			if (core && in_list(cpus, json_object_get_int(core)) && strlen(shared) < 100)
				snprintf(shared + strlen(shared), sizeof(shared) - strlen(shared),
					 "%s%.12s", shared[0] ? "," : "", e->d_name);
		}
	closedir(dir);
	if (!core) {
		say(f, V_WARN, "%d IRQs of %s (%s), and its worker is not pinned: they cannot be "
		    "placed against it", n, info.driver, info.bus_info);
		fix(f, "warrend --cores LIST, then the IRQs on other cores (/proc/irq/N/smp_affinity_list)");
	} else if (shared[0] && !wr_json_bool(d->show, "busy_poll")) {
		say(f, V_WARN, "IRQs %s of %s (%s) may run on core %d, the worker's: their NAPI "
		    "polling and the worker take turns on it", shared, info.driver, info.bus_info,
		    json_object_get_int(core));
		fix(f, "move them: echo OTHER-CORES > /proc/irq/N/smp_affinity_list (or warrend "
		    "--busy-poll, where the worker does the device's polling itself)");
	} else {
		say(f, V_OK, "%d IRQs of %s (%s), none on the worker's core %d", n, info.driver,
		    info.bus_info, json_object_get_int(core));
	}
}

/* ------------------------------------------------------------ the table */

/* Each check once: the command's help lists them from here. */
#define DOCTOR_CHECKS(X)									\
	X(workers, false, "whether warrend's workers are pinned to cores")			\
	X(fastpath_loaded, false, "whether the kernel fast path (XDP and TC programs) loaded")	\
	X(memlock, false, "warrend's locked-memory limit, against what AF_XDP buffers need")	\
	X(nofile, false, "warrend's open-file limit, against what it has open")		\
	X(hugepages, false, "hugepages, when DPDK's EAL runs with them")			\
	X(backend, true, "the port's backend, and zero-copy or copy")				\
	X(fastpath, true, "the port's fast path mode and why warrend chose it")		\
	X(xdp_mode, true, "native XDP in the driver, or the generic hook")			\
	X(gso, true, "TSO and GSO kept or lost on the veth peer")				\
	X(peer_csum, true, "the veth peer's TX checksum offload, behind an XDP or AF_XDP hop")	\
	X(tunnel_mtu, true, "the MTU of a port's host against its tunnel's tenant MTU")	\
	X(irq, true, "the device's IRQs against the port's worker core")

static const struct {
	const char *id;
	bool per_port;
	void (*run)(struct doc *d, struct json_object *p, struct finding *f);
} checks[] = {
#define CHECK_ROW(id, per_port, what) { #id, per_port, check_##id },
	DOCTOR_CHECKS(CHECK_ROW)
#undef CHECK_ROW
};
#define N_CHECKS (sizeof(checks) / sizeof(checks[0]))

static void print_finding(const char *where, const char *id, const struct finding *f)
{
	if (wr_print_is_json()) {
		wr_print_open_object(NULL);
		wr_print_str("where", NULL, where);
		wr_print_str("check", NULL, id);
		wr_print_str("verdict", NULL, verdict_names[f->v]);
		wr_print_str("finding", NULL, f->fact);
		if (f->fix[0])
			wr_print_str("fix", NULL, f->fix);
		else
			wr_print_null("fix", NULL);
		wr_print_close_object();
		return;
	}
	printf("%-5s %-12s %-16s %s\n", verdict_names[f->v], where, id, f->fact);
	if (f->fix[0])
		printf("%-35s fix: %s\n", "", f->fix);
}

static int doctor(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *hello = NULL, *res = NULL;
	struct doc d = { .pid = 0 };
	int n[4] = { 0 }, status = WR_EXIT_FAIL;

	if (argc)
		return wr_usage(ctx, "unexpected '%s'", argv[0]);
	if (wr_cli_request(ctx, "hello", NULL, &hello) ||
	    wr_cli_request(ctx, "health", NULL, &d.health) ||
	    wr_cli_request(ctx, "switch.show", NULL, &d.show) ||
	    wr_cli_request(ctx, "stats", NULL, &d.stats) ||
	    wr_cli_request(ctx, "port.list", NULL, &res))
		goto out;
	d.ports = wr_json_array(res, "ports");
	d.pid = (int)wr_json_int(hello, "pid");
	json_object_put(hello);
	hello = NULL;
	if (wr_cli_request(ctx, "tunnel.list", NULL, &hello))
		goto out;
	d.tunnels = wr_json_array(hello, "tunnels");

	wr_cli_print_start(ctx);
	if (wr_print_is_json()) {
		wr_print_open_object(NULL);
		wr_print_str("switch", NULL, ctx->switch_name);
		wr_print_int("pid", NULL, d.pid);
		wr_print_open_array("checks");
	} else {
		printf("switch %s (warrend pid %d)\n%-5s %-12s %-16s %s\n", ctx->switch_name, d.pid,
		       "", "WHERE", "CHECK", "FINDING");
	}
	for (size_t c = 0; c < N_CHECKS; c++) {
		size_t np = checks[c].per_port && d.ports ? json_object_array_length(d.ports) : 1;

		for (size_t i = 0; i < np; i++) {
			struct json_object *p = checks[c].per_port ?
						json_object_array_get_idx(d.ports, i) : NULL;
			struct finding f = { .v = V_OK };

			checks[c].run(&d, p, &f);
			if (f.v == V_SKIP)
				continue;
			n[f.v]++;
			print_finding(p ? wr_json_str(p, "name") : "host", checks[c].id, &f);
		}
	}
	if (wr_print_is_json()) {
		wr_print_close_array();
		wr_print_uint("ok", NULL, (uint64_t)n[V_OK]);
		wr_print_uint("warn", NULL, (uint64_t)n[V_WARN]);
		wr_print_uint("fail", NULL, (uint64_t)n[V_FAIL]);
		wr_print_close_object();
	} else {
		printf("%d ok, %d warn, %d fail\n", n[V_OK], n[V_WARN], n[V_FAIL]);
	}
	wr_print_end();
	status = n[V_FAIL] ? WR_EXIT_FAIL : WR_EXIT_OK;
out:
	json_object_put(hello);
	json_object_put(res);
	json_object_put(d.health);
	json_object_put(d.show);
	json_object_put(d.stats);
	return status;
}

#define CHECK_HELP(id, per_port, what) #id " (" what "); "

const struct wr_cmd wr_doctor_cmds[] = {
	{
		.object = "doctor", .name = "check",
		.synopsis = "doctor [check]",
		.summary = "check that the switch and the host are set up the fast way",
		.description =
			"Checks the switch named by -S and the host it runs on, for the host and "
			"for each port, and explains: each check gives a verdict, ok, warn (it "
			"works, slower than it could, or something is off that may bite) or fail "
			"(it cannot work as set up), what it found, and for each problem the fix. "
			"Checks that do not apply (a port without a veth peer, without a tunnel) "
			"are left out. What warrend chose comes from its API, what the kernel "
			"says of devices (ethtool) and of warrend's process (/proc/PID/limits) is "
			"read by warren, which must run where warrend runs (as root, to read other "
			"namespaces' devices).\n\n"
			"The checks, in order: " DOCTOR_CHECKS(CHECK_HELP) "each once, for the host "
			"or for each port.\n\n"
			"JSON: {\"switch\", \"pid\", \"checks\": [{\"where\" (\"host\" or a port), "
			"\"check\", \"verdict\", \"finding\", \"fix\" (null when none)}], \"ok\", "
			"\"warn\", \"fail\" (how many)}.\n\n"
			"Exit status 0 when no check fails, 1 otherwise (or when warrend does not "
			"answer).",
		.examples = "warren doctor\nwarren -S lab1 -j doctor",
		.shows_state = true,
		.uses_switch = true,
		.run = doctor,
	},
	{ .name = NULL },
};
