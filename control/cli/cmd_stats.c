/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_stats.c - warren stats [--watch [SECONDS]]: the switch's counters by
 * drop reason and event, and per port; once, or redrawn with the changes
 * since the last time until SIGINT or SIGTERM.
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

/* The counters of @group that are not zero: name, total, and with @d the change and rate. */
static void print_group(const char *title, struct json_object *group, struct json_object *d,
			int64_t interval_ms)
{
	bool any = false;

	json_object_object_foreach(group, k, v) {
		uint64_t n = json_object_get_uint64(v), dn = 0;
		struct json_object *dv;

		if (d && json_object_object_get_ex(d, k, &dv))
			dn = json_object_get_uint64(dv);
		if (!n)
			continue;
		if (!any)
			printf("%s\n", title);
		any = true;
		if (d)
			printf("  %-20s %14" PRIu64 " %+12" PRId64 " %10.1f/s  %s\n", k, n,
			       (int64_t)dn, interval_ms ? (double)dn * 1000 / (double)interval_ms : 0,
			       reason_text(k));
		else
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

static void print_ports(struct json_object *ports, struct json_object *dports, int64_t interval_ms)
{
	printf("%-15s", dports ? "PORT (per s)" : "PORT");
	for (size_t k = 0; k < N_PORT_KEYS; k++)
		printf(" %14s", port_keys[k].head);
	printf("\n");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);
		struct json_object *dp = dports ? json_object_array_get_idx(dports, i) : NULL;

		printf("%-15s", wr_json_str(p, "name"));
		for (size_t k = 0; k < N_PORT_KEYS; k++) {
			if (dp)
				printf(" %14" PRIu64, interval_ms ? (uint64_t)port_value(dp, k) *
				       1000 / (uint64_t)interval_ms : 0);
			else
				printf(" %14" PRId64, port_value(p, k));
		}
		printf("\n");
	}
}

static void print_text(struct json_object *s, struct json_object *d, int64_t interval_ms)
{
	print_group("drops", wr_json_object(s, "drops"), d ? wr_json_object(d, "drops") : NULL,
		    interval_ms);
	print_group("events", wr_json_object(s, "events"), d ? wr_json_object(d, "events") : NULL,
		    interval_ms);
	print_ports(wr_json_array(s, "ports"), d ? wr_json_array(d, "ports") : NULL, interval_ms);
	if (wr_json_object(s, "fastpath")) {
		struct json_object *f = wr_json_object(s, "fastpath"), *df = d ? wr_json_object(d, "fastpath") : NULL;

		print_group("kernel fast path: handed to warrend", wr_json_object(f, "up"),
			    df ? wr_json_object(df, "up") : NULL, interval_ms);
		print_group("kernel fast path: drops", wr_json_object(f, "drops"),
			    df ? wr_json_object(df, "drops") : NULL, interval_ms);
	}
}

static void totals_text(struct json_object *res)
{
	print_text(res, NULL, 0);
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

/* Sleep @ms unless a signal asks to stop. */
static void pause_ms(int64_t ms)
{
	int64_t until = now_ms(CLOCK_MONOTONIC) + ms, left;
	struct timespec ts;

	while (!stop && (left = until - now_ms(CLOCK_MONOTONIC)) > 0) {
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		nanosleep(&ts, NULL);
	}
}

static void print_sample(const struct wr_ctx *ctx, struct json_object *s, struct json_object *prev,
			 int64_t interval_ms)
{
	struct json_object *d = prev ? delta(s, prev) : NULL;

	wr_cli_print_start(ctx);
	if (wr_print_is_json()) {
		wr_print_open_object(NULL);
		wr_print_int("time_ms", NULL, now_ms(CLOCK_REALTIME));
		wr_print_int("interval_ms", NULL, prev ? interval_ms : 0);
		wr_cli_print_json("stats", s);
		if (d)
			wr_cli_print_json("delta", d);
		else
			wr_print_null("delta", NULL);
		wr_print_close_object();
	} else {
		/* Redraw in place on a terminal; one report after the other elsewhere. */
		if (isatty(STDOUT_FILENO))
			printf("\033[H\033[J");
		else if (prev)
			printf("\n");
		if (prev)
			printf("switch %s: the counters, how much they grew in the last %.1f s, "
			       "and at what rate\n", ctx->switch_name, (double)interval_ms / 1000);
		else
			printf("switch %s: the counters (their growth from the next report on)\n",
			       ctx->switch_name);
		print_text(s, d, interval_ms);
	}
	wr_print_end();
	json_object_put(d);
}

static int watch(struct wr_ctx *ctx, unsigned int seconds)
{
	struct json_object *prev = NULL, *cur = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	int64_t t_prev = 0, t;
	int err;

	/* No SA_RESTART: the sleep ends at once. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		/* A connection per sample: warrend cuts one silent for --client-idle. */
		err = wr_api_request(ctx->switch_name, "stats", NULL, &cur);
		if (err)
			break;
		t = now_ms(CLOCK_MONOTONIC);
		print_sample(ctx, cur, prev, t - t_prev);
		json_object_put(prev);
		prev = cur;
		t_prev = t;
		pause_ms((int64_t)seconds * 1000);
	}
	json_object_put(prev);
	return stop ? WR_EXIT_OK : wr_fail();
}

static int stats_show(struct wr_ctx *ctx, int argc, char **argv)
{
	unsigned int seconds = 1;
	bool watching = false;

	for (int i = 0; i < argc; i++) {
		if (watching || (strcmp(argv[i], "--watch") && strcmp(argv[i], "-w")))
			return wr_usage(ctx, "unexpected '%s'", argv[i]);
		watching = true;
		if (i + 1 < argc && wr_parse_u32(ctx, "--watch", argv[++i], 1, WATCH_MAX, &seconds))
			return WR_EXIT_USAGE;
	}
	return watching ? watch(ctx, seconds) : wr_cli_show(ctx, "stats", NULL, totals_text);
}

const struct wr_cmd wr_stats_cmds[] = {
	{
		.object = "stats", .name = "show",
		.synopsis = "stats show [--watch [SECONDS]]",
		.summary = "show the counters of the switch",
		.description =
			"Shows the counters of the switch named by -S ('show' may be left out: "
			"'warren stats', 'warren stats --watch'): the frames dropped, by "
			"reason, and the events counted (learnt, aged, flooded, MAC moves, ...), "
			"each with what it means; only those that are not zero. Then per port the "
			"packets and bytes received and sent and the frames dropped.\n\n"
			"--watch (or -w) asks again every SECONDS (default 1) until SIGINT or "
			"SIGTERM, and shows besides each counter how much it grew since the last "
			"time and at what rate, and per port the rates; on a terminal the report "
			"is redrawn in place.\n\n"
			"JSON: warrend's stats result, {\"drops\": {...}, \"events\": {...}, "
			"\"ports\": [...]}, every reason and event present, zero or not. With "
			"--watch, one document per line and time: {\"time_ms\": T (Unix time in "
			"ms), \"interval_ms\": I (since the previous document, 0 for the first), "
			"\"stats\": {...}, \"delta\": {...} (the same shape, counters replaced by "
			"their growth; null the first time)}.",
		.args = (const struct wr_arg[]){
			{ "--watch [SECONDS], -w [SECONDS]", "report again every SECONDS, 1 to 3600 "
			  "(default 1), until interrupted" },
			{ NULL, NULL },
		},
		.examples = "warren stats\nwarren stats --watch\nwarren -j -S lab1 stats -w 5",
		.shows_state = true,
		.uses_switch = true,
		.run = stats_show,
	},
	{ .name = NULL },
};
