/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_trace.c - warren trace: follow frames through the switch's stages.
 * `warren trace PORT [FILTER]` arms trace.start, waits for its records (or
 * its timeout, or ^C), disarms it with trace.stop and prints what came;
 * `warren trace PORT frame FIELDS` does the same with trace.frame, a frame
 * warrend builds and runs dry. The filter and the frame's fields are the
 * commands' keys (wr_api.def) through apiform.c; -c, -t, sport and dport
 * are the short words for count, timeout-s, src-port and dst-port.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

static struct wr_form trace_start = {
	.cmd = WR_CMD_TRACE_START, .object = "trace", .verb = "run",
	.pos = { { "port", "PORT" } },
};
static struct wr_form trace_frame = {
	.cmd = WR_CMD_TRACE_FRAME, .object = "trace", .verb = "frame",
	.pos = { { "port", "PORT" } },
};

__attribute__((constructor)) static void trace_forms(void)
{
	wr_form_init(&trace_start);
	wr_form_init(&trace_frame);
}

#define POLL_MS		50
#define ARGS_MAX	64

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------------ text */

static const char *str(struct json_object *o, const char *key)
{
	return wr_json_str(o, key);
}

/* A port as trace.* names it: a name, or a VTEP {port: TUNNEL, remote: ADDR}. */
static const char *port_text(struct json_object *p, char *buf, size_t size)
{
	if (json_object_is_type(p, json_type_object))
		snprintf(buf, size, "%s %s", str(p, "port"), str(p, "remote"));
	else
		snprintf(buf, size, "%s", p ? json_object_get_string(p) : "?");
	return buf;
}

static void frame_text(struct json_object *f)
{
	struct json_object *v;

	printf("%s > %s", str(f, "src_mac"), str(f, "dst_mac"));
	if (json_object_object_get_ex(f, "vlan", &v))
		printf(" vlan %d", json_object_get_int(v));
	printf(" %s", str(f, "ethertype"));
	if (json_object_object_get_ex(f, "src", NULL))
		printf(" %s > %s proto %" PRId64, str(f, "src"), str(f, "dst"), wr_json_int(f, "proto"));
	if (json_object_object_get_ex(f, "src_port", NULL))
		printf(" port %" PRId64 " > %" PRId64, wr_json_int(f, "src_port"),
		       wr_json_int(f, "dst_port"));
}

static void bridge_text(struct json_object *s)
{
	struct json_object *v;
	char b[64];

	printf("bd %" PRId64 " vlan %" PRId64, wr_json_int(s, "bd"), wr_json_int(s, "vlan"));
	if (json_object_object_get_ex(s, "src", &v)) {
		const char *src = json_object_get_string(v);

		printf(", source ");
		if (!strcmp(src, "refreshed"))
			printf("known here (refreshed)");
		else if (!strcmp(src, "learn"))
			printf("unknown (learned)");
		else if (!strcmp(src, "move"))
			printf("known on %s (moved here)",
			       port_text(json_object_object_get_ex(s, "src_was", &v) ? v : NULL, b,
					 sizeof(b)));
		else if (!strcmp(src, "no_learn"))
			printf("not learned (the port does not learn)");
		else
			printf("not learned (out of a chain's hop)");
	}
	if (json_object_object_get_ex(s, "dst", &v))
		printf(", destination %s", json_object_is_type(v, json_type_string) &&
		       (!strcmp(json_object_get_string(v), "unknown") ||
			!strcmp(json_object_get_string(v), "multicast")) ?
		       json_object_get_string(v) : port_text(v, b, sizeof(b)));
	if (json_object_object_get_ex(s, "steer", &v))
		printf(", steering rule %d", json_object_get_int(v));
	if (json_object_object_get_ex(s, "chain", &v))
		printf(", chain %s: %s hop %" PRId64 " %s", str(v, "name"), str(v, "action"),
		       wr_json_int(v, "hop"), str(v, "direction"));
	if (json_object_object_get_ex(s, "out", &v))
		printf(" -> %s", port_text(v, b, sizeof(b)));
}

static void output_text(struct json_object *s)
{
	struct json_object *ports = wr_json_array(s, "ports"), *enc = wr_json_array(s, "encap");
	char b[64];

	printf("%s", wr_json_bool(s, "flood") ? "flooded to" : "to");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++)
		printf(" %s", port_text(json_object_array_get_idx(ports, i), b, sizeof(b)));
	if (wr_json_int(s, "count") > (int64_t)(ports ? json_object_array_length(ports) : 0))
		printf(" (%" PRId64 " ports)", wr_json_int(s, "count"));
	if (!wr_json_int(s, "count"))
		printf(" no port");
	for (size_t i = 0; enc && i < json_object_array_length(enc); i++) {
		struct json_object *e = json_object_array_get_idx(enc, i);

		printf(", encap vni %" PRId64 " to %s", wr_json_int(e, "vni"), str(e, "remote"));
	}
	if (wr_json_int(s, "lost"))
		printf(", %" PRId64 " not sent", wr_json_int(s, "lost"));
}

static void record_text(size_t i, struct json_object *r)
{
	struct json_object *st = wr_json_array(r, "stages"), *v;
	char b[64];

	printf("frame %zu: port %s, %" PRId64 " bytes%s: ", i + 1,
	       port_text(json_object_object_get_ex(r, "port", &v) ? v : NULL, b, sizeof(b)),
	       wr_json_int(r, "len"), wr_json_bool(r, "synthetic") ? ", synthetic (dry run)" : "");
	if (json_object_object_get_ex(r, "frame", &v))
		frame_text(v);
	printf("\n");
	if (json_object_object_get_ex(r, "fastpath", &v))
		printf("  %-9s %s: %s%s\n", "fastpath", str(v, "mode"), str(v, "would"),
		       strncmp(str(v, "would"), "up", 2) ? " (handed up for the trace)" : "");
	for (size_t k = 0; st && k < json_object_array_length(st); k++) {
		struct json_object *s = json_object_array_get_idx(st, k);
		const char *name = str(s, "stage");

		printf("  %-9s ", name);
		if (!strcmp(name, "decap") && json_object_object_get_ex(s, "vni", NULL))
			printf("tunnel %s vni %" PRId64 " from %s", str(s, "port"), wr_json_int(s, "vni"),
			       str(s, "remote"));
		else if (!strcmp(name, "parse") && json_object_object_get_ex(s, "ethertype", NULL))
			printf("ethertype %s, vlan %" PRId64 " (%" PRId64 " tags), l4 proto %" PRId64,
			       str(s, "ethertype"), wr_json_int(s, "vlan"), wr_json_int(s, "tags"),
			       wr_json_int(s, "l4_proto"));
		else if (!strcmp(name, "bridge"))
			bridge_text(s);
		else if (!strcmp(name, "output"))
			output_text(s);
		if (json_object_object_get_ex(s, "drop", NULL))
			printf("%sdropped: %s (%s)", strcmp(name, "output") ? "" : ", ", str(s, "drop"),
			       str(s, "drop_text"));
		printf("  [%" PRId64 " ns]\n", wr_json_int(s, "ns"));
	}
	printf("  %-9s %s", "verdict", str(r, "verdict"));
	if (strcmp(str(r, "verdict"), "dropped") == 0)
		printf(" at %s", str(r, "stopped"));
	printf(", %" PRId64 " ns in all\n", wr_json_int(r, "ns"));
}

static void trace_text(struct json_object *res)
{
	struct json_object *recs = wr_json_array(res, "records");
	size_t n = recs ? json_object_array_length(recs) : 0;

	for (size_t i = 0; i < n; i++)
		record_text(i, json_object_array_get_idx(recs, i));
	printf("%zu of %" PRId64 " frames traced on port %s", n, wr_json_int(res, "count"),
	       str(res, "port"));
	if (wr_json_int(res, "overflow"))
		printf(", %" PRId64 " records lost (a worker's ring was full)",
		       wr_json_int(res, "overflow"));
	printf("\n");
}

/* ------------------------------------------------------------------- run */

/*
 * argv (PORT and what follows) as the forms take it: -c N and -t S as
 * count and timeout-s, sport and dport as src-port and dst-port, -j as
 * the global option; "frame" chooses trace.frame. Into @out (ARGS_MAX).
 */
static int rewrite(struct wr_ctx *ctx, int argc, char **argv, char **out, int *n_out,
		   bool *frame, long *timeout_s)
{
	int n = 0;

	*frame = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (n + 2 > ARGS_MAX)
			return wr_usage(ctx, "too many arguments");
		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			ctx->json = true;
			continue;
		}
		if (i == 1 && !strcmp(a, "frame")) {
			*frame = true;
			continue;
		}
		if (!strcmp(a, "-c") || !strcmp(a, "-t")) {
			if (i + 1 == argc)
				return wr_usage(ctx, "%s: a number follows it", a);
			out[n++] = a[1] == 'c' ? "count" : "timeout-s";
			if (a[1] == 't')
				*timeout_s = strtol(argv[i + 1], NULL, 10);
			out[n++] = argv[++i];
			continue;
		}
		out[n++] = !strcmp(a, "sport") ? "src-port" : !strcmp(a, "dport") ? "dst-port" :
			   (char *)a;
	}
	*n_out = n;
	return 0;
}

static int run_trace(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *args, *res = NULL;
	char *av[ARGS_MAX];
	long timeout_s = 10;
	struct timespec t0, t;
	bool frame;
	int n = 0, err;

	if (argc < 1)
		return wr_usage(ctx, "the port to trace is missing");
	if ((err = rewrite(ctx, argc, argv, av, &n, &frame, &timeout_s)))
		return err;
	wr_cli_print_start(ctx);
	err = wr_form_args(ctx, frame ? &trace_frame : &trace_start, n, av, &args);
	if (err)
		return err;
	err = wr_cli_request(ctx, frame ? "trace.frame" : "trace.start", args, NULL);
	if (err)
		return err;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Until the count is reached, the trace's time is up, or ^C. */
	while (!interrupted) {
		err = wr_cli_request(ctx, "trace.show", NULL, &res);
		if (err)
			break;
		if (wr_json_bool(res, "done") || !wr_json_bool(res, "armed"))
			break;
		json_object_put(res);
		res = NULL;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= (frame ? 2 : timeout_s))
			break;
		sleep_ms(POLL_MS);
	}
	json_object_put(res);
	/* Its records, the trace disarmed however the wait ended. */
	return wr_cli_show(ctx, "trace.stop", NULL, trace_text);
}

static int run_trace_stop(struct wr_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return wr_usage(ctx, "no argument expected");
	return wr_cli_show(ctx, "trace.stop", NULL, trace_text);
}

static const struct wr_arg run_args[] = {
	{ "PORT", "The port whose received frames are followed." },
	{ "-c N, count N", "Frames to follow, 1 to " WR_STR(WR_TRACE_MAX) " (default 1)." },
	{ "-t SECONDS, timeout-s SECONDS", "How long to wait for them; the trace is disarmed "
	  "then (default 10)." },
	{ "vlan N", "Only frames tagged with VLAN N." },
	{ "src-mac MAC, dst-mac MAC", "Only frames from, to this MAC." },
	{ "src PREFIX, dst PREFIX", "Only IP packets from, to this prefix (IPv4 or IPv6)." },
	{ "proto N", "Only IP packets of protocol N (6 TCP, 17 UDP)." },
	{ "src-port RANGE, dst-port RANGE", "Only TCP and UDP from, to these ports (N or LO-HI; "
	  "sport and dport are short for them)." },
	{ "frame src-mac MAC dst-mac MAC [vlan N] [src ADDR dst ADDR [proto N] [sport N] "
	  "[dport N]]", "Instead of real frames: one warrend builds (an 802.1Q tag with vlan, an "
	  "IPv4 or IPv6 header with src and dst, a UDP header by default, TCP with proto 6; "
	  "ports 12345 and 80 by default) and runs through the stages as if PORT received it, "
	  "dry: nothing is sent, learned or counted." },
	{ "-j", "Print the records as JSON (as the global -j)." },
	{ NULL, NULL },
};

const struct wr_cmd wr_trace_cmds[] = {
	{
		.object = "trace", .name = "run",
		.synopsis = "trace [run] PORT [-c N] [-t SECONDS] [FILTER | frame FIELDS] [-j]",
		.summary = "follow frames through every stage of the switch",
		.description =
			"Arms a trace on PORT of the switch named by -S and prints, for each of the "
			"next N frames PORT receives that match FILTER (the keys of a chain's "
			"classifier; none: every frame), what every stage did with it: decap (a "
			"tunnel's underlay: the tunnel, VNI and VTEP), parse (ethertype, tag, L4 "
			"protocol), bridge (bridge domain and VLAN; the source MAC known here and "
			"refreshed, unknown and learned, or moved from another port; the "
			"destination's FDB entry, or unknown, or multicast; the steering rule and "
			"the chain, hop and direction that decided), output (the ports it left by, "
			"how many for a flood, the VNI and VTEP of an encapsulation), or the drop "
			"reason (as warren stats names it) of the stage that stopped it, with the "
			"nanoseconds each stage took. It waits for the N frames, SECONDS, or ^C, "
			"then disarms the trace, so that an idle port costs nothing.\n\n"
			"Traced frames are real: they are forwarded, learned and counted as any, "
			"one at a time after their vector. On a port with the kernel fast path "
			"(xdp, tc), the kernel hands every frame of PORT up while the trace is "
			"armed (counted as up reason trace), and each record says what the kernel "
			"would have done with the frame: forwarded it itself, handed it up and "
			"why, or dropped it.\n\n"
			"With frame, warrend builds the frame from the fields given and runs it "
			"through the same stages as if PORT had received it, dry, as Open vSwitch's "
			"ofproto/trace: nothing is sent, nothing learned, no counter moves.\n\n"
			"One trace at a time per switch; warrend disarms one itself at its timeout "
			"or when its port goes. A port named like a command (run, stop) is given "
			"after run. See docs/trace.md.\n\n"
			"JSON: trace.stop's result, {\"armed\", \"port\", \"count\", \"done\", "
			"\"overflow\", \"records\": [{\"time\", \"worker\", \"port\", \"len\", "
			"\"synthetic\", \"frame\", \"fastpath\", \"stages\": [{\"stage\", \"ns\", "
			"...}], \"ns\", \"stopped\", \"verdict\", \"drop\"}]} (docs/api.md).",
		.args = run_args,
		.examples =
			"warren trace p1\n"
			"warren trace p1 -c 5 -t 30 dst-mac 02:00:00:00:00:0b proto 6 dst-port 80\n"
			"warren -S hosta trace eth0 -c 10 -j\n"
			"warren trace p1 frame src-mac 02:00:00:00:00:0a dst-mac 02:00:00:00:00:0b "
			"src 10.0.0.1 dst 10.0.0.2 proto 6 dport 443",
		.shows_state = true,
		.uses_switch = true,
		.bare = true,
		.run = run_trace,
	},
	{
		.object = "trace", .name = "stop",
		.synopsis = "trace stop",
		.summary = "disarm the switch's trace, printing what it recorded",
		.description =
			"Disarms the trace armed on the switch named by -S (by a warren trace that "
			"was killed, say) and prints the frames it recorded.",
		.examples = "warren trace stop",
		.shows_state = true,
		.uses_switch = true,
		.run = run_trace_stop,
	},
	{ .name = NULL },
};
