/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_capture.c - warren capture PORT: the frames a port of a warrend
 * instance receives and sends, with the switch's verdict, written as
 * pcapng (pcapng.c) to a file or to stdout for `tshark -r -`.
 *
 * capture.start's reply is followed on the same connection by records
 * (wr_api.h, struct wr_caprec); SIGINT or SIGTERM sends warrend a line,
 * which ends the capture with a last record that says how many frames
 * were captured and dropped. Closing the connection ends it too.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define IN_MAX	(256u << 10)	/* bytes read ahead of the records */

static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

struct capture {
	FILE *out;
	const char *path;	/* NULL: stdout */
	char *in, *in_rest;
	size_t len;
	uint8_t blk[WR_CAPREC_MAX + 256];
	int64_t captured, dropped;
	char why[64];
	bool ended;
};

static int write_block(struct capture *c, size_t n)
{
	if (!n || fwrite(c->blk, 1, n, c->out) != n)
		return wr_err_set(-EIO, "capture: write %s: %s", c->path ? c->path : "stdout",
				  n ? strerror(errno) : "block too big");
	return 0;
}

static int header(struct capture *c, const char *port)
{
	int err = write_block(c, wr_pcapng_shb(c->blk, sizeof(c->blk), "warren capture"));

	return err ? err : write_block(c, wr_pcapng_idb(c->blk, sizeof(c->blk),
							WR_LINKTYPE_ETHERNET, WR_CAPTURE_SNAP,
							port));
}

static void end_record(struct capture *c, const char *text, size_t len)
{
	char *s = strndup(text, len);
	struct json_object *o = s ? json_tokener_parse(s) : NULL;

	c->ended = true;
	c->captured = o ? wr_json_int(o, "captured") : -1;
	c->dropped = o ? wr_json_int(o, "dropped") : -1;
	snprintf(c->why, sizeof(c->why), "%s", o ? wr_json_str(o, "why") : "?");
	json_object_put(o);
	free(s);
}

/* The whole records at the start of c->in written out; 0 or -errno. */
static int records(struct capture *c)
{
	size_t used = 0;
	int err = 0;

	while (!err && !c->ended && c->len - used >= sizeof(struct wr_caprec)) {
		struct wr_caprec h;
		const char *p = c->in + used;

		memcpy(&h, p, sizeof(h));
		if (h.len < sizeof(h) || h.len > WR_CAPREC_MAX ||
		    h.len != sizeof(h) + h.cap_len + h.comment_len)
			return wr_err_set(-EPROTO, "capture: a record warrend sent is malformed");
		if (c->len - used < h.len)
			break;
		if (h.type == WR_CAPREC_END) {
			end_record(c, p + sizeof(h), h.comment_len);
		} else {
			struct wr_pcapng_pkt pk = {
				.ts_ns = h.ts_ns, .data = p + sizeof(h), .cap_len = h.cap_len,
				.orig_len = h.orig_len, .outbound = h.dir == WR_TAP_TX,
				.comment = p + sizeof(h) + h.cap_len, .comment_len = h.comment_len,
			};

			err = write_block(c, wr_pcapng_epb(c->blk, sizeof(c->blk), &pk));
		}
		used += h.len;
	}
	c->len -= used;
	memmove(c->in, c->in + used, c->len);
	if (!err && fflush(c->out))
		err = wr_err_set(-EIO, "capture: write %s: %s", c->path ? c->path : "stdout",
				 strerror(errno));
	return err;
}

/* Read records until the end record, asking the end on SIGINT/SIGTERM. */
static int stream(struct capture *c, int fd)
{
	bool told = false;
	int err = 0;

	while (!err && !c->ended) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (stop_asked && !told) {
			told = true;
			if (send(fd, "stop\n", 5, MSG_NOSIGNAL) < 0)
				return wr_err_set(-errno, "capture: telling warrend to stop: %s",
						  strerror(errno));
		}
		if (poll(&pfd, 1, 200) < 0 && errno != EINTR)
			return wr_err_set(-errno, "capture: poll: %s", strerror(errno));
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(fd, c->in + c->len, IN_MAX - c->len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return wr_err_set(-ECONNRESET, "capture: warrend closed the capture before "
					  "its end");
		c->len += (size_t)n;
		err = records(c);
	}
	return err;
}

static int parse_args(const struct wr_ctx *ctx, int argc, char **argv, struct json_object *a,
		      const char **path)
{
	const char *const *dirs = wr_tap_dir_names;
	bool have_port = false;

	for (int i = 0; i < argc; i++) {
		const char *v;
		unsigned int n;
		int d;

		if (!strcmp(argv[i], "-c") || wr_matches(argv[i], "count")) {
			if (!(v = wr_next_arg(ctx, argc, argv, &i)) ||
			    wr_parse_u32(ctx, "count", v, 1, UINT32_MAX, &n))
				return WR_EXIT_USAGE;
			json_object_object_add(a, "count", json_object_new_int64(n));
		} else if (!strcmp(argv[i], "-w") || wr_matches(argv[i], "write")) {
			if (!(*path = wr_next_arg(ctx, argc, argv, &i)))
				return WR_EXIT_USAGE;
		} else if (wr_matches(argv[i], "dir")) {
			if (!(v = wr_next_arg(ctx, argc, argv, &i)) ||
			    (d = wr_cli_word(ctx, "dir", v, dirs, WR_TAP_DIR_COUNT)) < 0)
				return WR_EXIT_USAGE;
			json_object_object_add(a, "dir", json_object_new_string(dirs[d]));
		} else if (!have_port && argv[i][0] != '-') {
			json_object_object_add(a, "port", json_object_new_string(argv[i]));
			have_port = true;
		} else {
			return wr_usage(ctx, "'%s': not an argument of capture", argv[i]);
		}
	}
	return have_port ? 0 : wr_usage(ctx, "PORT is required");
}

static int capture(struct wr_ctx *ctx, int argc, char **argv)
{
	struct json_object *a = json_object_new_object(), *res = NULL;
	struct capture c = { .out = stdout };
	struct sigaction sa = { .sa_handler = on_stop };
	struct wr_api *api = NULL;
	char msg[256];
	int fd = -1, err, ret;

	ret = parse_args(ctx, argc, argv, a, &c.path);
	if (ret)
		goto end_args;
	if (wr_api_check(WR_CMD_CAPTURE_START, a, msg, sizeof(msg))) {
		ret = wr_usage(ctx, "%s", wr_cli_api_msg(msg));
		goto end_args;
	}
	if (!c.path && isatty(STDOUT_FILENO)) {
		ret = wr_usage(ctx, "stdout is a terminal: give -w FILE.pcapng, or pipe it "
			       "(warren capture PORT | tshark -r -)");
		goto end_args;
	}
	c.in = malloc(IN_MAX);
	if (!c.in) {
		ret = wr_fail();
		goto end_args;
	}
	if (c.path && !(c.out = fopen(c.path, "we"))) {
		wr_err_set(-errno, "capture: %s: %s", c.path, strerror(errno));
		ret = wr_fail();
		goto end_in;
	}
	/* A reader that went (tshark quit) is a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((err = wr_api_open(ctx->switch_name, &api)) ||
	    (err = wr_api_call(api, "capture.start", a, &res))) {
		ret = wr_fail();
		goto end_out;
	}
	fd = wr_api_take_fd(api, &c.in_rest, &c.len);
	api = NULL;
	err = c.len > IN_MAX ? wr_err_set(-EPROTO, "capture: %zu bytes came with the reply",
					  c.len) : header(&c, wr_json_str(res, "port"));
	if (!err) {
		if (c.len)
			memcpy(c.in, c.in_rest, c.len);
		err = records(&c);
	}
	if (!err)
		err = stream(&c, fd);
	if (err) {
		ret = wr_fail();
		goto end_out;
	}
	if (ctx->json && c.path) {
		printf("{\"captured\":%" PRId64 ",\"dropped\":%" PRId64 ",\"why\":\"%s\"}\n",
		       c.captured, c.dropped, c.why);
	} else {
		fprintf(stderr, "%" PRId64 " captured, %" PRId64 " dropped (%s)\n", c.captured,
			c.dropped, c.why);
	}
	ret = WR_EXIT_OK;
end_out:
	if (fd >= 0)
		close(fd);
	wr_api_close(api);
	json_object_put(res);
	if (c.path && c.out && fclose(c.out) && ret == WR_EXIT_OK)
		ret = wr_fail();
end_in:
	free(c.in_rest);
	free(c.in);
end_args:
	json_object_put(a);
	return ret;
}

const struct wr_cmd wr_capture_cmds[] = {
	{
		.object = "capture", .name = "start",
		.synopsis = "capture [start] PORT [-c N] [-w FILE.pcapng] [dir rx|tx|both]",
		.summary = "write what a port receives and sends, with the switch's verdict, as pcapng",
		.description =
			"Records the frames PORT of the switch named by -S receives and sends "
			"(dir, default both) and writes them as pcapng to FILE (-w), or to stdout "
			"for a reader (warren capture p1 | tshark -r -); never to a terminal. "
			"Each frame carries its direction (epb_flags) and, as its comment, what "
			"the switch did: \"rx: to port p2\", \"rx: flood 3 ports\", \"rx: drop "
			"REASON (text)\" with the reasons of warren stats, or \"tx\". Frames are "
			"cut at " WR_STR(WR_CAPTURE_SNAP) " bytes (their length is kept). In the kernel fast path the "
			"port's frames go through warrend while the capture runs, so each is "
			"seen.\n\n"
			"The capture ends after N frames (-c), on SIGINT or SIGTERM, or when the "
			"port is deleted, and then says on stderr \"N captured, M dropped\": "
			"frames warrend could not keep because this reader (or the file) was "
			"slower than the port; the switch is never slowed for it. At most "
			WR_STR(WR_CAPTURE_MAX) " captures run at once per switch. With -j and -w, the summary is JSON "
			"on stdout, {captured, dropped, why}. See docs/capture.md.",
		.args = (const struct wr_arg[]){
			{ "PORT", "The port." },
			{ "-c, count N", "End after N frames." },
			{ "-w, write FILE", "Write pcapng to FILE (default: stdout, which must not be a "
			  "terminal)." },
			{ "dir rx|tx|both", "What the port receives, sends, or both (the default)." },
			{ NULL, NULL },
		},
		.examples = "warren capture p1 -c 10 -w p1.pcapng\nwarren capture p1 | tshark -r -\n"
			    "warren -S lab1 capture p1 dir rx -c 100 -w rx.pcapng",
		.shows_state = true,
		.uses_switch = true,
		.run = capture,
	},
	{ .name = NULL },
};
