/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evpnd.c - warren-evpnd: joins one warrend to FRR's zebra through the
 * kernel's bridge tables (docs/evpn.md). One thread: a netlink socket on
 * the namespace's neighbour events, warrend's socket API, a timer. Each
 * pass reads both sides whole and calls ev_sync() (evpn_sync.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "../nl_priv.h"
#include "evpn_priv.h"
#include "wr_control.h"

#define EVENT_DELAY_MS 50	/* a burst of zebra's writes is taken in one pass */
#define STATUS_EVERY_MS 1000

struct evpnd {
	const char *sw, *netns, *tunnel;
	int interval_ms;
	uint32_t local;		/* --local: make missing anchors with this VTEP address */
	uint16_t anchor_port;
	struct ev_state st;
	struct ev_counts c;
	struct nl_sock *sk, *watch;
	struct wr_api *api;
	uint64_t passes, events, api_errors, kernel_errors;
	int64_t last_pass_ms, last_status_ms, started_ms;
	char last_error[256];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void note(struct evpnd *d, const char *what)
{
	if (strcmp(d->last_error, what))
		fprintf(stderr, "warren-evpnd %s: %s\n", d->sw, what);
	snprintf(d->last_error, sizeof(d->last_error), "%s", what);
}

/* ---------------------------------------------------------- warrend's side */

static int call(struct evpnd *d, const char *cmd, struct json_object *args,
		struct json_object **res)
{
	int err;

	if (!d->api) {
		err = wr_api_open(d->sw, &d->api);
		if (err)
			goto fail;
	}
	err = wr_api_call(d->api, cmd, args, res);
	if (err == -ECONNRESET || err == -ETIMEDOUT || err == -EPIPE || err == -EPROTO) {
		wr_api_close(d->api);
		d->api = NULL;
	}
	if (!err)
		return 0;
fail:
	d->api_errors++;
	note(d, wr_err_msg());
	return err;
}

static void ip_str(uint32_t ip, char *buf)
{
	inet_ntop(AF_INET, &ip, buf, INET_ADDRSTRLEN);
}

static void mac_str(const uint8_t m[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/*
 * Whether the tunnel carries each VNI as its bridge domain: until it does
 * (a warrend that is being set up), entries behind its VTEPs would be
 * refused, and nothing is done.
 */
static bool carries(struct evpnd *d, struct json_object *vnis)
{
	char what[128];

	for (int i = 0; i < d->st.n_vnis; i++) {
		bool found = false;

		for (size_t j = 0; vnis && j < json_object_array_length(vnis) && !found; j++) {
			struct json_object *v = json_object_array_get_idx(vnis, j);

			found = wr_json_int(v, "vni") == d->st.vnis[i].vni &&
				wr_json_int(v, "bd") == d->st.vnis[i].bd;
		}
		if (!found) {
			snprintf(what, sizeof(what), "tunnel %s: does not carry VNI %u as bridge domain %u (yet)",
				 d->tunnel, d->st.vnis[i].vni, d->st.vnis[i].bd);
			note(d, what);
			return false;
		}
	}
	return true;
}

/* Warren's VTEPs of the tunnel, its static entries behind them and its local entries. */
static int warren_read(struct evpnd *d)
{
	struct ev_state *s = &d->st;
	struct json_object *res = NULL, *args, *tuns, *vteps, *ents;
	int err;

	s->n_wvteps = 0;
	s->wrem.n = s->wloc.n = 0;
	args = json_object_new_object();
	json_object_object_add(args, "tunnel", json_object_new_string(d->tunnel));
	err = call(d, "tunnel.list", args, &res);
	json_object_put(args);
	if (err)
		return err;
	tuns = wr_json_array(res, "tunnels");
	if (!tuns || !json_object_array_length(tuns) ||
	    !carries(d, wr_json_array(json_object_array_get_idx(tuns, 0), "vnis"))) {
		json_object_put(res);
		return -EAGAIN;
	}
	vteps = wr_json_array(json_object_array_get_idx(tuns, 0), "vteps");
	for (size_t i = 0; vteps && i < json_object_array_length(vteps); i++) {
		struct json_object *v = json_object_array_get_idx(vteps, i);
		uint32_t ip;

		if (inet_pton(AF_INET, wr_json_str(v, "remote"), &ip) != 1 || s->n_wvteps == EV_VTEP_MAX)
			continue;
		s->wvteps[s->n_wvteps++] = (struct ev_vtep){ .ip = ip, .flood = wr_json_bool(v, "flood") };
	}
	json_object_put(res);
	res = NULL;

	err = call(d, "fdb.show", NULL, &res);
	if (err)
		return err;
	ents = wr_json_array(res, "entries");
	for (size_t i = 0; ents && i < json_object_array_length(ents); i++) {
		struct json_object *e = json_object_array_get_idx(ents, i);
		int vi = ev_vni_of_bd(s, (uint16_t)wr_json_int(e, "bd"));
		uint8_t mac[6];
		uint32_t ip;

		if (vi < 0 || wr_parse_mac(wr_json_str(e, "mac"), mac))
			continue;
		if (strcmp(wr_json_str(e, "port"), d->tunnel)) {
			ev_macs_push(&s->wloc, (uint16_t)vi, mac, 0);
		} else if (wr_json_bool(e, "static") &&
			   inet_pton(AF_INET, wr_json_str(e, "remote"), &ip) == 1) {
			ev_macs_push(&s->wrem, (uint16_t)vi, mac, ip);
		}
		/* Learned behind a VTEP by the data plane: not EVPN's, left alone. */
	}
	json_object_put(res);
	return 0;
}

static int op_vtep(void *ctx, uint32_t ip, bool add, bool flood)
{
	struct evpnd *d = ctx;
	struct json_object *args = json_object_new_object();
	char a[INET_ADDRSTRLEN];
	int err;

	ip_str(ip, a);
	json_object_object_add(args, "tunnel", json_object_new_string(d->tunnel));
	json_object_object_add(args, "remote", json_object_new_string(a));
	if (add)
		json_object_object_add(args, "flood", json_object_new_boolean(flood));
	err = call(d, add ? "vtep.add" : "vtep.del", args, NULL);
	json_object_put(args);
	return err;
}

static int op_vtep_add(void *ctx, uint32_t ip, bool flood) { return op_vtep(ctx, ip, true, flood); }
static int op_vtep_del(void *ctx, uint32_t ip) { return op_vtep(ctx, ip, false, false); }

static int op_mac(void *ctx, const struct ev_vni *v, const uint8_t mac[6], uint32_t vtep, bool add)
{
	struct evpnd *d = ctx;
	struct json_object *args = json_object_new_object();
	char m[18], a[INET_ADDRSTRLEN];
	int err;

	mac_str(mac, m);
	json_object_object_add(args, "mac", json_object_new_string(m));
	if (add) {
		ip_str(vtep, a);
		json_object_object_add(args, "port", json_object_new_string(d->tunnel));
		json_object_object_add(args, "remote", json_object_new_string(a));
	}
	json_object_object_add(args, "bd", json_object_new_int(v->bd));
	err = call(d, add ? "fdb.add" : "fdb.del", args, NULL);
	json_object_put(args);
	return err == -ENOENT && !add ? 0 : err;	/* gone already: what was wanted */
}

static int op_mac_add(void *ctx, const struct ev_vni *v, const uint8_t mac[6], uint32_t vtep)
{
	return op_mac(ctx, v, mac, vtep, true);
}

static int op_mac_del(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	return op_mac(ctx, v, mac, 0, false);
}

static int op_local(void *ctx, const struct ev_vni *v, const uint8_t mac[6], bool add)
{
	struct evpnd *d = ctx;
	int err = ev_kernel_local(d->sk, v->shadow_if, mac, add);

	if (err == -ENOENT && !add)
		return 0;
	if (err) {
		d->kernel_errors++;
		note(d, wr_err_msg());
	}
	return err;
}

static int op_local_add(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	return op_local(ctx, v, mac, true);
}

static int op_local_del(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	return op_local(ctx, v, mac, false);
}

static const struct ev_ops ops = {
	.vtep_add = op_vtep_add, .vtep_del = op_vtep_del,
	.mac_add = op_mac_add, .mac_del = op_mac_del,
	.local_add = op_local_add, .local_del = op_local_del,
};

/* ------------------------------------------------------------------ status */

static struct json_object *status_json(struct evpnd *d)
{
	struct json_object *o = json_object_new_object(), *vs = json_object_new_array();
	struct ev_state *s = &d->st;

#define I64(k, v) json_object_object_add(o, k, json_object_new_int64((int64_t)(v)))
	json_object_object_add(o, "switch", json_object_new_string(d->sw));
	json_object_object_add(o, "netns", json_object_new_string(d->netns ? d->netns : ""));
	json_object_object_add(o, "tunnel", json_object_new_string(d->tunnel));
	I64("pid", getpid());
	I64("uptime_s", (now_ms() - d->started_ms) / 1000);
	I64("passes", d->passes);
	I64("events", d->events);
	I64("remote_macs", s->krem.n);
	I64("local_macs", s->wloc.n);
	I64("vteps", s->n_wvteps);
	I64("vtep_add", d->c.vtep_add);
	I64("vtep_del", d->c.vtep_del);
	I64("mac_add", d->c.mac_add);
	I64("mac_del", d->c.mac_del);
	I64("local_add", d->c.local_add);
	I64("local_del", d->c.local_del);
	I64("full", s->krem.full + s->kloc.full + s->wrem.full + s->wloc.full + s->vtep_full);
	I64("errors", d->c.errors);
	I64("api_errors", d->api_errors);
	I64("kernel_errors", d->kernel_errors);
#undef I64
	json_object_object_add(o, "last_error", json_object_new_string(d->last_error));
	for (int i = 0; i < s->n_vnis; i++) {
		struct json_object *v = json_object_new_object();

		json_object_object_add(v, "vni", json_object_new_int64(s->vnis[i].vni));
		json_object_object_add(v, "bd", json_object_new_int(s->vnis[i].bd));
		json_object_object_add(v, "anchor", json_object_new_string(s->vnis[i].anchor));
		json_object_object_add(v, "shadow", json_object_new_string(s->vnis[i].shadow));
		json_object_object_add(v, "ok", json_object_new_boolean(s->vnis[i].anchor_if > 0));
		json_object_object_add(v, "flood_vteps", json_object_new_int64(s->vnis[i].n_flood));
		json_object_array_add(vs, v);
	}
	json_object_object_add(o, "vnis", vs);
	return o;
}

static void status_write(struct evpnd *d)
{
	char path[512], tmp[520];
	struct json_object *o;
	FILE *f;

	if (wr_switch_path(d->sw, ".evpn.json", path, sizeof(path)))
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	o = status_json(d);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (fclose(f) == 0)
		rename(tmp, path);
	else
		unlink(tmp);
	d->last_status_ms = now_ms();
}

static int status_show(const char *sw, bool js)
{
	char path[512];
	struct json_object *o;

	if (wr_switch_path(sw, ".evpn.json", path, sizeof(path))) {
		fprintf(stderr, "warren-evpnd: %s\n", wr_err_msg());
		return 1;
	}
	o = json_object_from_file(path);
	if (!o) {
		fprintf(stderr, "warren-evpnd: %s: %s (is warren-evpnd running for switch %s?)\n",
			path, strerror(errno ? errno : ENOENT), sw);
		return 1;
	}
	if (js) {
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	} else {
		json_object_object_foreach(o, k, v) {
			if (json_object_is_type(v, json_type_array)) {
				for (size_t i = 0; i < json_object_array_length(v); i++)
					printf("%-14s %s\n", i ? "" : k, json_object_to_json_string_ext(
						json_object_array_get_idx(v, i), JSON_C_TO_STRING_SPACED));
			} else {
				printf("%-14s %s\n", k, json_object_get_string(v));
			}
		}
	}
	json_object_put(o);
	return 0;
}

/* -------------------------------------------------------------------- pass */

static void pass(struct evpnd *d)
{
	struct ev_state *s = &d->st;
	int err;

	d->passes++;
	d->last_pass_ms = now_ms();
	for (int i = 0; i < s->n_vnis && d->local; i++) {
		err = ev_kernel_anchor(d->netns, &s->vnis[i], d->local, d->anchor_port);
		if (err < 0) {
			d->kernel_errors++;
			note(d, wr_err_msg());
		}
	}
	/* Anchors may be made after the companion starts, or made again. */
	err = ev_kernel_links(d->sk, s);
	if (err)
		note(d, wr_err_msg());
	if (ev_kernel_read(d->sk, s)) {
		d->kernel_errors++;
		note(d, wr_err_msg());
		return;
	}
	for (int i = 0; i < s->n_vnis; i++)
		if (!s->vnis[i].anchor_if)
			return;	/* an anchor missing: Warren's side is left as it is */
	if (warren_read(d))
		return;
	ev_sync(s, &ops, d, &d->c);
}

/* -------------------------------------------------------------------- main */

static const char usage[] =
"Usage: warren-evpnd -s SWITCH -n NETNS -t TUNNEL --vni VNI:BD[:ANCHOR:SHADOW]... [OPTIONS]\n"
"       warren-evpnd status SWITCH [-j]\n"
"\n"
"Joins warrend instance SWITCH to FRR's zebra in namespace NETNS by BGP EVPN's\n"
"kernel tables (docs/evpn.md). Per VNI, zebra's remote entries on the VNI's\n"
"anchor (a kernel vxlan device in a bridge, made beforehand) become:\n"
"  00:00:00:00:00:00 dst VTEP (type-3)  vtep.add on TUNNEL, on the flood list\n"
"  MAC dst VTEP (type-2)                 fdb.add MAC behind VTEP in BD: static,\n"
"                                        never aged or moved by learning\n"
"and Warren's entries of local ports in BD become static bridge entries on the\n"
"VNI's shadow port (a veth end in the anchor's bridge), which zebra advertises.\n"
"What one side no longer has leaves the other. TUNNEL's VTEPs and its static\n"
"entries behind them are the companion's. Each pass reads both sides whole:\n"
"within 50 ms of a neighbour event in NETNS, and every --interval-ms anyway.\n"
"\n"
"Options:\n"
"  -s, --switch NAME      the warrend instance (its socket $WARREN_RUN_DIR/NAME.sock)\n"
"  -n, --netns NS         the namespace of FRR and the anchors (default: this one)\n"
"  -t, --tunnel NAME      Warren's tunnel that carries the VNIs\n"
"      --vni VNI:BD[:ANCHOR:SHADOW]\n"
"                         VNI is bridge domain BD; its anchor (default evxVNI) and\n"
"                         shadow port (default eshVNI); once per VNI, 64 at most\n"
"  -l, --local ADDR       make what is missing of each anchor (bridge brVNI, the\n"
"                         anchor with this IPv4 VTEP address, the shadow port and\n"
"                         its peer SHADOWp) at each pass; without it they are\n"
"                         only checked\n"
"  -P, --anchor-port PORT the anchors' UDP port with --local (default 4790): one\n"
"                         nothing uses, not the tunnel's\n"
"  -i, --interval-ms MS   how often Warren's FDB is read (default 200, 20-60000)\n"
"  -m, --max-macs N       remote and local MACs kept, each (default 65536); past\n"
"                         it entries are not installed and counted in \"full\"\n"
"      --once             one pass, then exit (status 1 if any call failed)\n"
"  -h, --help             this text\n"
"\n"
"status SWITCH [-j]: the counters of SWITCH's companion, as it wrote them to\n"
"$WARREN_RUN_DIR/SWITCH.evpn.json after its last pass (at most 1 s old):\n"
"passes, events, remote_macs, local_macs, vteps, vtep_add, vtep_del, mac_add,\n"
"mac_del, local_add, local_del, full, errors, api_errors, kernel_errors,\n"
"last_error, and per VNI its anchor, shadow port and flood VTEPs.\n"
"\n"
"Runs until SIGTERM or SIGINT; what it installed stays (a restarted companion\n"
"takes it over). Exit status: 0, 1 on failure, 2 on bad usage.\n";

static int parse_vni(struct ev_state *s, const char *arg)
{
	char anchor[IFNAMSIZ + 1] = "", shadow[IFNAMSIZ + 1] = "";
	unsigned long vni, bd;
	struct ev_vni *v;
	int n = 0;

	if (s->n_vnis == EV_VNI_MAX)
		return -ENOSPC;
	if (sscanf(arg, "%lu:%lu%n:%15[^:]:%15s%n", &vni, &bd, &n, anchor, shadow, &n) < 2 ||
	    arg[n] || vni > 0xffffff || bd < 1 || bd > 4095 || (anchor[0] && !shadow[0]))
		return -EINVAL;
	v = &s->vnis[s->n_vnis];
	memset(v, 0, sizeof(*v));
	v->vni = (uint32_t)vni;
	v->bd = (uint16_t)bd;
	if (anchor[0]) {
		snprintf(v->anchor, sizeof(v->anchor), "%s", anchor);
		snprintf(v->shadow, sizeof(v->shadow), "%s", shadow);
	} else {
		snprintf(v->anchor, sizeof(v->anchor), "evx%lu", vni);
		snprintf(v->shadow, sizeof(v->shadow), "esh%lu", vni);
	}
	for (int i = 0; i < s->n_vnis; i++)
		if (s->vnis[i].vni == v->vni || s->vnis[i].bd == v->bd)
			return -EEXIST;
	s->n_vnis++;
	return 0;
}

static int loop(struct evpnd *d, bool once)
{
	int64_t due = 0;

	for (;;) {
		struct pollfd p = { .fd = nl_socket_get_fd(d->watch), .events = POLLIN };
		int64_t t = now_ms();
		char buf[8192];
		int n;

		if (t >= due) {
			uint64_t errs = d->c.errors + d->api_errors + d->kernel_errors;

			pass(d);
			if (once)
				return d->c.errors + d->api_errors + d->kernel_errors > errs;
			due = d->last_pass_ms + d->interval_ms;
			if (now_ms() - d->last_status_ms >= STATUS_EVERY_MS)
				status_write(d);
		}
		if (stop)
			return 0;
		n = poll(&p, 1, (int)(due - now_ms() > 0 ? due - now_ms() : 0));
		if (n > 0) {
			/* What changed is read again whole: the messages are not parsed. */
			while (recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
				d->events++;
			if (due > now_ms() + EVENT_DELAY_MS)
				due = now_ms() + EVENT_DELAY_MS;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "switch", required_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "tunnel", required_argument, NULL, 't' },
		{ "vni", required_argument, NULL, 'V' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "local", required_argument, NULL, 'l' },
		{ "anchor-port", required_argument, NULL, 'P' },
		{ "max-macs", required_argument, NULL, 'm' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct evpnd d = { .interval_ms = 200, .anchor_port = 4790 };
	unsigned long max = EV_MACS_DEFAULT;
	bool once = false;
	char *end;
	int c, rc = 1, err;

	if (argc >= 3 && !strcmp(argv[1], "status"))
		return status_show(argv[2], argc > 3 && !strcmp(argv[3], "-j"));
	while ((c = getopt_long(argc, argv, "s:n:t:i:l:P:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': d.sw = optarg; break;
		case 'n': d.netns = optarg; break;
		case 't': d.tunnel = optarg; break;
		case 'o': once = true; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V':
			err = parse_vni(&d.st, optarg);
			if (err) {
				fprintf(stderr, "warren-evpnd: --vni %s: %s\n", optarg,
					err == -EEXIST ? "VNI or bridge domain given twice" :
					err == -ENOSPC ? "more than 64 VNIs" :
					"not VNI:BD[:ANCHOR:SHADOW] (VNI 0-16777215, BD 1-4095)");
				return 2;
			}
			break;
		case 'i':
			d.interval_ms = (int)strtol(optarg, &end, 10);
			if (*end || d.interval_ms < 20 || d.interval_ms > 60000) {
				fprintf(stderr, "warren-evpnd: --interval-ms %s: not 20-60000\n", optarg);
				return 2;
			}
			break;
		case 'l':
			if (inet_pton(AF_INET, optarg, &d.local) != 1 || !d.local) {
				fprintf(stderr, "warren-evpnd: --local %s: not an IPv4 address\n", optarg);
				return 2;
			}
			break;
		case 'P': {
			long p = strtol(optarg, &end, 10);

			if (*end || p < 1 || p > 65535) {
				fprintf(stderr, "warren-evpnd: --anchor-port %s: not 1-65535\n", optarg);
				return 2;
			}
			d.anchor_port = (uint16_t)p;
			break;
		}
		case 'm':
			max = strtoul(optarg, &end, 10);
			if (*end || !max || max > (1u << 24)) {
				fprintf(stderr, "warren-evpnd: --max-macs %s: not 1-16777216\n", optarg);
				return 2;
			}
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!d.sw || !d.tunnel || !d.st.n_vnis || optind != argc) {
		fprintf(stderr, "warren-evpnd: -s SWITCH, -t TUNNEL and --vni are required (--help)\n");
		return 2;
	}
	if (wr_switch_valid_name(d.sw)) {
		fprintf(stderr, "warren-evpnd: %s\n", wr_err_msg());
		return 2;
	}
	d.started_ms = now_ms();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (ev_macs_init(&d.st.krem, max) || ev_macs_init(&d.st.kloc, max) ||
	    ev_macs_init(&d.st.wrem, max) || ev_macs_init(&d.st.wloc, max)) {
		fprintf(stderr, "warren-evpnd: %lu MACs: out of memory\n", max);
		goto end;
	}
	if (wr_nl_open(d.netns, &d.sk) || wr_nl_open(d.netns, &d.watch)) {
		fprintf(stderr, "warren-evpnd: %s\n", wr_err_msg());
		goto end;
	}
	nl_socket_disable_seq_check(d.watch);
	nl_socket_set_nonblocking(d.watch);
	nl_socket_set_buffer_size(d.watch, 1 << 20, 0);
	err = nl_socket_add_membership(d.watch, RTNLGRP_NEIGH);
	if (err < 0) {
		fprintf(stderr, "warren-evpnd: %s: watch neighbours: %s\n",
			d.netns ? d.netns : "this namespace", nl_geterror(err));
		goto end;
	}
	rc = loop(&d, once);
	status_write(&d);
end:
	if (d.api)
		wr_api_close(d.api);
	if (d.watch)
		wr_nl_close(d.watch);
	if (d.sk)
		wr_nl_close(d.sk);
	ev_macs_free(&d.st.krem);
	ev_macs_free(&d.st.kloc);
	ev_macs_free(&d.st.wrem);
	ev_macs_free(&d.st.wloc);
	return rc;
}
