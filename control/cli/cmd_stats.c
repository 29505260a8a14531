/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_stats.c - warren stats [--watch [-i SECONDS] [-c COUNT]]: the
 * switch's counters by drop reason and event, and per port; or, watching,
 * their rates over each interval (per port frames, bits and drops per
 * second, the kernel fast path's share and warrend's apart), redrawn until
 * SIGINT or SIGTERM or COUNT intervals.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"
#include "wr_bpf.h"

#define WATCH_MAX 3600	/* seconds between two redraws, at most */

/*
 * The sentence for each counter, from the list warrend builds its keys
 * from (lower case there): only the text is taken, so a newer warrend's
 * keys still print, without their sentence.
 */
static const struct {
	const char *name;
	const char *text;
} reasons[] = {
#define WR_DROP(name, text) { #name, text },
#define WR_EVENT(name, text) { #name, text },
#include "wr_drop.def"
#define WR_UP(name, text) { #name, text },
	WR_BPF_UP_REASONS(WR_UP)
#undef WR_UP
};

static const char *reason_text(const char *key)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcasecmp(reasons[i].name, key))
			return reasons[i].text;
	return "";
}

/* ---------------------------------------------------------------- deltas */

static struct json_object *delta(struct json_object *cur, struct json_object *prev);

/* The element of @prev matching @e of @cur: same "name", else same index. */
static struct json_object *match(struct json_object *prev, struct json_object *e, size_t i)
{
	const char *name = wr_json_str(e, "name");

	if (!prev)
		return NULL;
	for (size_t k = 0; name[0] && k < json_object_array_length(prev); k++)
		if (!strcmp(wr_json_str(json_object_array_get_idx(prev, k), "name"), name))
			return json_object_array_get_idx(prev, k);
	return name[0] ? NULL : json_object_array_get_idx(prev, i);
}

/*
 * @cur with each counter replaced by how much it grew since @prev (the
 * whole value where @prev lacks it, or it went back: warrend restarted).
 */
static struct json_object *delta(struct json_object *cur, struct json_object *prev)
{
	struct json_object *out, *p;

	switch (json_object_get_type(cur)) {
	case json_type_int:
		if (prev && json_object_is_type(prev, json_type_int) &&
		    json_object_get_uint64(cur) >= json_object_get_uint64(prev))
			return json_object_new_uint64(json_object_get_uint64(cur) -
						      json_object_get_uint64(prev));
		return json_object_get(cur);
	case json_type_object:
		out = json_object_new_object();
		json_object_object_foreach(cur, k, v) {
			if (!prev || !json_object_object_get_ex(prev, k, &p))
				p = NULL;
			json_object_object_add(out, k, delta(v, p));
		}
		return out;
	case json_type_array:
		out = json_object_new_array();
		if (prev && !json_object_is_type(prev, json_type_array))
			prev = NULL;
		for (size_t i = 0; i < json_object_array_length(cur); i++) {
			struct json_object *e = json_object_array_get_idx(cur, i);

			json_object_array_add(out, delta(e, match(prev, e, i)));
		}
		return out;
	default:
		return json_object_get(cur);
	}
}

/* ------------------------------------------------------------------ text */

/* The counters of @group that are not zero: name, total, what it means. */
static void print_group(const char *title, struct json_object *group)
{
	bool any = false;

	json_object_object_foreach(group, k, v) {
		uint64_t n = json_object_get_uint64(v);

		if (!n)
			continue;
		if (!any)
			printf("%s\n", title);
		any = true;
		printf("  %-20s %14" PRIu64 "  %s\n", k, n, reason_text(k));
	}
}

/* The table's columns: warrend's own counters, then the kernel fast path's ("fastpath"). */
static const struct {
	const char *head, *obj, *key;
} port_keys[] = {
	{ "rx_pkts", NULL, "rx_pkts" },
	{ "rx_bytes", NULL, "rx_bytes" },
	{ "tx_pkts", NULL, "tx_pkts" },
	{ "tx_bytes", NULL, "tx_bytes" },
	{ "drops", NULL, "drops" },
	{ "kernel_fwd", "fastpath", "fwd_pkts" },
	{ "kernel_tx", "fastpath", "tx_pkts" },
};
#define N_PORT_KEYS (sizeof(port_keys) / sizeof(port_keys[0]))

static int64_t port_value(struct json_object *p, size_t k)
{
	if (port_keys[k].obj)
		p = wr_json_object(p, port_keys[k].obj);
	return p ? wr_json_int(p, port_keys[k].key) : 0;
}

static void print_ports(struct json_object *ports)
{
	printf("%-15s", "PORT");
	for (size_t k = 0; k < N_PORT_KEYS; k++)
		printf(" %14s", port_keys[k].head);
	printf("\n");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);

		printf("%-15s", wr_json_str(p, "name"));
		for (size_t k = 0; k < N_PORT_KEYS; k++)
			printf(" %14" PRId64, port_value(p, k));
		printf("\n");
	}
}

/* The mirrors' copies, after the ports (none: nothing printed). */
static void print_mirrors(struct json_object *ms)
{
	for (size_t i = 0; ms && i < json_object_array_length(ms); i++) {
		struct json_object *m = json_object_array_get_idx(ms, i);

		if (!i)
			printf("\n%-31s %14s %14s\n", "MIRROR", "COPIED", "DROPPED");
		printf("%-15s to %-12s %14" PRId64 " %14" PRId64 "\n", wr_json_str(m, "port"),
		       wr_json_str(m, "to"), wr_json_int(m, "copied"), wr_json_int(m, "dropped"));
	}
}

static void totals_text(struct json_object *s)
{
	struct json_object *f = wr_json_object(s, "fastpath");

	print_group("drops", wr_json_object(s, "drops"));
	print_group("events", wr_json_object(s, "events"));
	print_ports(wr_json_array(s, "ports"));
	print_mirrors(wr_json_array(s, "mirrors"));
	if (f) {
		print_group("kernel fast path: handed to warrend", wr_json_object(f, "up"));
		print_group("kernel fast path: drops", wr_json_object(f, "drops"));
	}
}

/* ----------------------------------------------------------------- rates */

/* A port's rates: each from a counter of port.stats, bytes as bits. */
static const struct {
	const char *key;	/* port.stats' counter */
	const char *rate;	/* its rate's key (-j) */
	const char *head;	/* its column */
	int mult;
} rate_cols[] = {
	{ "rx_pkts", "rx_pps", "RX frames/s", 1 },
	{ "tx_pkts", "tx_pps", "TX frames/s", 1 },
	{ "rx_bytes", "rx_bps", "RX bits/s", 8 },
	{ "tx_bytes", "tx_bps", "TX bits/s", 8 },
	{ "drops", "drops_ps", "drops/s", 1 },
};
#define N_RATE_COLS (sizeof(rate_cols) / sizeof(rate_cols[0]))

static struct json_object *rate_of(double n, int64_t ms)
{
	return json_object_new_double(ms > 0 ? n * 1000 / (double)ms : 0);
}

/*
 * The rates of a port's growth @d: of its totals, of what went through
 * warrend (port.stats' "userspace"), and of the kernel's share, the rest
 * (NULL when the port has no fast path: @fast).
 */
static struct json_object *port_rates(struct json_object *d, bool fast, int64_t ms)
{
	struct json_object *o = json_object_new_object(), *user = wr_json_object(d, "userspace");
	struct json_object *r[3] = { json_object_new_object(), json_object_new_object(),
				     fast ? json_object_new_object() : NULL };

	json_object_object_add(o, "name", json_object_new_string(wr_json_str(d, "name")));
	for (size_t k = 0; k < N_RATE_COLS; k++) {
		int64_t tot = wr_json_int(d, rate_cols[k].key) * rate_cols[k].mult;
		int64_t us = (user ? wr_json_int(user, rate_cols[k].key) : tot / rate_cols[k].mult) *
			     rate_cols[k].mult;

		json_object_object_add(r[0], rate_cols[k].rate, rate_of((double)tot, ms));
		json_object_object_add(r[1], rate_cols[k].rate, rate_of((double)us, ms));
		if (fast)
			json_object_object_add(r[2], rate_cols[k].rate, rate_of((double)(tot - us), ms));
	}
	json_object_object_add(o, "total", r[0]);
	json_object_object_add(o, "userspace", r[1]);
	json_object_object_add(o, "kernel", r[2]);
	return o;
}

/* Each counter of @group (a growth) as a rate over @ms. */
static struct json_object *group_rates(struct json_object *group, int64_t ms)
{
	struct json_object *o;

	if (!group)
		return NULL;
	o = json_object_new_object();
	json_object_object_foreach(group, k, v)
		json_object_object_add(o, k, rate_of((double)json_object_get_uint64(v), ms));
	return o;
}

/* The rates of the growth @d over @ms, @s being the sample at its end. */
static struct json_object *rates(struct json_object *s, struct json_object *d, int64_t ms)
{
	struct json_object *o = json_object_new_object(), *ports = json_object_new_array();
	struct json_object *dp = wr_json_array(d, "ports"), *sp = wr_json_array(s, "ports");
	struct json_object *f = wr_json_object(d, "fastpath");

	for (size_t i = 0; dp && i < json_object_array_length(dp); i++)
		json_object_array_add(ports, port_rates(json_object_array_get_idx(dp, i),
			wr_json_object(json_object_array_get_idx(sp, i), "fastpath") != NULL, ms));
	json_object_object_add(o, "ports", ports);
	json_object_object_add(o, "drops", group_rates(wr_json_object(d, "drops"), ms));
	json_object_object_add(o, "events", group_rates(wr_json_object(d, "events"), ms));
	json_object_object_add(o, "up", f ? group_rates(wr_json_object(f, "up"), ms) : NULL);
	return o;
}

/* @v as a short number: 950, 12.3k, 9.41G. */
static const char *human(double v, char *buf, size_t size)
{
	static const char units[] = " kMGTP";
	int u = 0;

	while (v >= 999.95 && u < 5) {
		v /= 1000;
		u++;
	}
	if (u)
		snprintf(buf, size, "%.1f%c", v, units[u]);
	else
		snprintf(buf, size, v == (double)(int64_t)v ? "%.0f" : "%.1f", v);
	return buf;
}

static void rate_row(const char *name, const char *path, struct json_object *r)
{
	char buf[32];

	printf("%-15s %-10s", name, path);
	for (size_t k = 0; k < N_RATE_COLS; k++)
		printf(" %12s", human(json_object_get_double(wr_json_object(r, rate_cols[k].rate)),
				     buf, sizeof(buf)));
	printf("\n");
}

/* The rates of @group that are not zero, with what each means. */
static void rate_group(const char *title, struct json_object *group)
{
	bool any = false;
	char buf[32];

	json_object_object_foreach(group, k, v) {
		if (json_object_get_double(v) <= 0)
			continue;
		if (!any)
			printf("%s\n", title);
		any = true;
		printf("  %-20s %10s/s  %s\n", k, human(json_object_get_double(v), buf, sizeof(buf)),
		       reason_text(k));
	}
}

static void rates_text(struct json_object *r)
{
	struct json_object *ports = wr_json_array(r, "ports");

	printf("%-15s %-10s", "PORT", "PATH");
	for (size_t k = 0; k < N_RATE_COLS; k++)
		printf(" %12s", rate_cols[k].head);
	printf("\n");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);
		struct json_object *kernel = wr_json_object(p, "kernel");

		if (kernel) {
			rate_row(wr_json_str(p, "name"), "kernel", kernel);
			rate_row("", "userspace", wr_json_object(p, "userspace"));
		} else {
			rate_row(wr_json_str(p, "name"), "userspace", wr_json_object(p, "userspace"));
		}
	}
	rate_group("drops", wr_json_object(r, "drops"));
	if (wr_json_object(r, "up"))
		rate_group("kernel fast path: handed to warrend", wr_json_object(r, "up"));
	rate_group("events", wr_json_object(r, "events"));
}

/* ----------------------------------------------------------------- watch */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep until @until (CLOCK_MONOTONIC, ms) unless a signal asks to stop. */
static void pause_until(int64_t until)
{
	struct timespec ts;
	int64_t left;

	while (!stop && (left = until - now_ms(CLOCK_MONOTONIC)) > 0) {
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		nanosleep(&ts, NULL);
	}
}

struct watch {
	unsigned int interval_s;
	unsigned int count;	/* intervals to report; 0: until interrupted */
};

/* Interval @n (from 1) ending with sample @s, @prev at its start, @ms long. */
static void print_sample(const struct wr_ctx *ctx, const struct watch *w, unsigned int n,
			 struct json_object *s, struct json_object *prev, int64_t ms)
{
	struct json_object *d = delta(s, prev), *r = rates(s, d, ms);

	wr_cli_print_start(ctx);
	if (wr_print_is_json()) {
		wr_print_open_object(NULL);
		wr_print_int("time_ms", NULL, now_ms(CLOCK_REALTIME));
		wr_print_int("interval_ms", NULL, ms);
		wr_cli_print_json("rates", r);
		wr_cli_print_json("stats", s);
		wr_cli_print_json("delta", d);
		wr_print_close_object();
	} else {
		/* Redrawn in place on a terminal; one report after the other elsewhere. */
		if (isatty(STDOUT_FILENO))
			printf("\033[H\033[J");
		else if (n > 1)
			printf("\n");
		printf("switch %s: rates over the last %.1f s (report %u", ctx->switch_name,
		       (double)ms / 1000, n);
		if (w->count)
			printf(" of %u", w->count);
		printf("%s)\n", isatty(STDOUT_FILENO) ? ", Ctrl-C ends" : "");
		rates_text(r);
	}
	wr_print_end();
	fflush(stdout);
	json_object_put(r);
	json_object_put(d);
}

static int watch(struct wr_ctx *ctx, const struct watch *w)
{
	struct json_object *prev = NULL, *cur = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	int64_t t_prev, t, next;
	unsigned int n = 0;
	int err;

	/* No SA_RESTART: the sleep ends at once. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* The first sample starts the first interval: each report has its rates. */
	err = wr_api_request(ctx->switch_name, "stats", NULL, &prev);
	if (err)
		return wr_fail();
	t_prev = next = now_ms(CLOCK_MONOTONIC);
	if (!ctx->json && isatty(STDOUT_FILENO))
		printf("switch %s: measuring for %u s ...\n", ctx->switch_name, w->interval_s);
	fflush(stdout);
	while (!stop && (!w->count || n < w->count)) {
		next += (int64_t)w->interval_s * 1000;
		pause_until(next);
		if (stop)
			break;
		/* A connection per sample: warrend cuts one silent for --client-idle. */
		err = wr_api_request(ctx->switch_name, "stats", NULL, &cur);
		if (err)
			break;
		t = now_ms(CLOCK_MONOTONIC);
		print_sample(ctx, w, ++n, cur, prev, t - t_prev);
		json_object_put(prev);
		prev = cur;
		t_prev = t;
	}
	json_object_put(prev);
	return err ? wr_fail() : WR_EXIT_OK;
}

static int stats_show(struct wr_ctx *ctx, int argc, char **argv)
{
	struct watch w = { .interval_s = 1 };
	bool watching = false;

	for (int i = 0; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--watch") || !strcmp(argv[i], "-w")) {
			watching = true;
			/* The interval may follow, as before -i. */
			if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9' &&
			    wr_parse_u32(ctx, "--watch", argv[++i], 1, WATCH_MAX, &w.interval_s))
				return WR_EXIT_USAGE;
		} else if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--interval")) {
			watching = true;
			if (!(v = wr_next_arg(ctx, argc, argv, &i)) ||
			    wr_parse_u32(ctx, "-i", v, 1, WATCH_MAX, &w.interval_s))
				return WR_EXIT_USAGE;
		} else if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--count")) {
			watching = true;
			if (!(v = wr_next_arg(ctx, argc, argv, &i)) ||
			    wr_parse_u32(ctx, "-c", v, 1, UINT32_MAX, &w.count))
				return WR_EXIT_USAGE;
		} else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			ctx->json = true;	/* as warren -j, given after the command */
		} else {
			return wr_usage(ctx, "unexpected '%s'", argv[i]);
		}
	}
	return watching ? watch(ctx, &w) : wr_cli_show(ctx, "stats", NULL, totals_text);
}

const struct wr_cmd wr_stats_cmds[] = {
	{
		.object = "stats", .name = "show",
		.synopsis = "stats show [--watch [-i SECONDS] [-c COUNT]]",
		.summary = "show the counters of the switch, or their rates live",
		.description =
			"Shows the counters of the switch named by -S ('show' may be left out: "
			"'warren stats', 'warren stats --watch'): the frames dropped, by "
			"reason, and the events counted (learnt, aged, flooded, MAC moves, ...), "
			"each with what it means; only those that are not zero. Then per port the "
			"packets and bytes received and sent and the frames dropped, and what the "
			"kernel fast path forwarded itself (kernel_fwd, kernel_tx).\n\n"
			"--watch (or -w) shows rates instead, live: it samples the counters every "
			"SECONDS (-i, default 1) and after each interval reports, per port, the "
			"frames received and sent per second, the bits per second each way and the "
			"drops per second, in two rows for a port with a kernel fast path: "
			"'kernel', what the XDP or TC program forwarded or dropped without "
			"warrend, and 'userspace', what went through warrend's workers (together "
			"the port's total); then the drop reasons, the kernel's reasons for "
			"handing frames up, and the events that moved, per second, with what each "
			"means. On a terminal the report is redrawn in place; elsewhere each "
			"follows the last. It ends on SIGINT (Ctrl-C) or SIGTERM, status 0, or "
			"after COUNT reports (-c).\n\n"
			"JSON: warrend's stats result, {\"drops\": {...}, \"events\": {...}, "
			"\"ports\": [...], \"mirrors\": [...] (as mirror show's), \"fastpath\": "
			"{...}}, every reason and event present, "
			"zero or not. With --watch, one document per interval, each on its own "
			"line: {\"time_ms\": T (Unix time in ms), \"interval_ms\": I, \"rates\": "
			"{\"ports\": [{\"name\", \"total\", \"userspace\", \"kernel\" (null "
			"without a fast path): {\"rx_pps\", \"tx_pps\", \"rx_bps\", \"tx_bps\", "
			"\"drops_ps\"}}], \"drops\", \"events\", \"up\": {REASON: per second}}, "
			"\"stats\": {...} (the sample at the interval's end), \"delta\": {...} (the "
			"same shape, each counter replaced by its growth over the interval)}.",
		.args = (const struct wr_arg[]){
			{ "--watch, -w", "report rates live, until interrupted (or -c)" },
			{ "-i SECONDS, --interval SECONDS", "the interval, 1 to 3600 (default 1); "
			  "implies --watch (--watch SECONDS says the same)" },
			{ "-c COUNT, --count COUNT", "stop after COUNT reports; implies --watch" },
			{ "-j, --json", "JSON, as warren -j (either place)" },
			{ NULL, NULL },
		},
		.examples = "warren stats\nwarren stats --watch\nwarren -S lab1 stats -w -i 5\n"
			    "warren -j stats --watch -c 10 > rates.jsonl",
		.shows_state = true,
		.uses_switch = true,
		.run = stats_show,
	},
	{ .name = NULL },
};
