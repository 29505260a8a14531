/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_server.c - warrend's API socket (dataplane/daemon/server.c) on a
 * socket in a temporary folder, without root: clients are non-blocking
 * sockets of this thread, and the server runs one pass (wd_server_poll)
 * at a time, as warrend's control loop does between two ticks. What is
 * checked is what a pass did (replies, cuts, counters), never how long
 * anything took.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "../wd_ring.h"

static struct warrend wd;
static char dir[64] = "/tmp/wr-server.XXXXXX";

/* A client: what it received, whole lines counted. */
struct peer {
	int fd;
	bool eof;
	bool keep;		/* keep every line in @in; else only what follows the last */
	int lines;
	size_t len;
	char in[1 << 20];
};

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	strcpy(wd.conf.name, "t");
	snprintf(wd.conf.run_dir, sizeof(wd.conf.run_dir), "%s", dir);
	/* Our own group may connect: the test needs no root. */
	wd.conf.gid = (long)getgid();
	wd.conf.fdb_max = 65536;
	wd.ctl_wake_fd = -1;
	wd.sw = wr_switch_create(NULL);
	wd_ring_pool = wr_ring_pool_create(4096, 2048);
	wd_log_open(WD_LOG_ERR, NULL);
	if (!wd.sw || !wd_ring_pool)
		return -1;
	return wd_server_open(&wd);
}

static int teardown(void **state)
{
	char path[128];

	(void)state;
	wd_server_close(&wd);
	wr_switch_destroy(wd.sw);
	wr_ring_pool_destroy(wd_ring_pool);
	snprintf(path, sizeof(path), "%s/t.log", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Before each test: no client left by the one before (had it failed half way). */
static int fresh(void **state)
{
	(void)state;
	for (int i = 0; i < WD_CLIENT_MAX; i++) {
		struct wd_client *c = &wd.clients[i];

		if (c->fd < 0)
			continue;
		close(c->fd);
		free(c->buf);
		free(c->out);
		memset(c, 0, sizeof(*c));
		c->fd = -1;
	}
	return 0;
}

static void pass(void)
{
	wd_server_poll(&wd, 0);
}

/* A client socket, not connected yet. */
static struct peer *new_peer(void)
{
	struct peer *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(p->fd >= 0);
	return p;
}

/* Connect @p: it waits in the listener's queue until a pass takes it. */
static void dial(struct peer *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	assert_true(strlen(wd.sock_path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, wd.sock_path, strlen(wd.sock_path));
	assert_int_equal(connect(p->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

/* A connected client, taken by the server (one pass). */
static struct peer *connect_peer(void)
{
	struct peer *p = new_peer();

	dial(p);
	pass();
	return p;
}

static void close_peer(struct peer *p)
{
	close(p->fd);
	free(p);
}

/* After a test: every client gone from the server too. */
static void all_gone(void)
{
	for (int i = 0; i < 100 && wd_server_clients(&wd); i++)
		pass();
	assert_int_equal(wd_server_clients(&wd), 0);
}

static void say(struct peer *p, const char *s)
{
	assert_int_equal(send(p->fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Take what has come; the number of whole reply lines received so far. */
static int replies(struct peer *p)
{
	for (;;) {
		ssize_t n = recv(p->fd, p->in + p->len, sizeof(p->in) - p->len, 0);
		char *last;

		if (n <= 0) {
			p->eof |= n == 0;
			return p->lines;
		}
		for (ssize_t i = 0; i < n; i++)
			p->lines += p->in[p->len + (size_t)i] == '\n';
		p->len += (size_t)n;
		last = memrchr(p->in, '\n', p->len);
		if (!p->keep && last) {
			/* Each reply whole: it ends a JSON object. */
			assert_true(last > p->in && last[-1] == '}');
			p->len -= (size_t)(last + 1 - p->in);
			memmove(p->in, last + 1, p->len);
		}
		assert_true(p->len < sizeof(p->in));
	}
}

/* A counter of switch.show's "api" object (docs/api.md); -1 if there is none. */
static int64_t api(const char *key)
{
	char *reply = wd_api_handle(&wd, "{\"v\":1,\"cmd\":\"switch.show\"}", strlen("{\"v\":1,\"cmd\":\"switch.show\"}"));
	json_object *o = json_tokener_parse(reply), *v = o;
	char buf[64], *save = NULL;
	int64_t n = -1;

	snprintf(buf, sizeof(buf), "result.api.%s", key);
	for (char *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(v, k, &v))
			v = NULL;
	if (v)
		n = json_object_get_int64(v);
	json_object_put(o);
	free(reply);
	return n;
}

/* Client @n (in slot order) as the server holds it. */
static struct wd_client *slot_of(int n)
{
	for (int i = 0, k = 0; i < WD_CLIENT_MAX; i++)
		if (wd.clients[i].fd >= 0 && k++ == n)
			return &wd.clients[i];
	return NULL;
}

/*
 * A client that sends 200 requests at once gets a share of a pass, not the
 * pass: another client is answered in the same pass, the rest of the 200
 * come in the passes after, in order, and none of those passes sleeps.
 */
static void test_share_per_pass(void **state)
{
	struct peer *a = connect_peer(), *b = connect_peer();
	char *burst = malloc(200 * 64);
	int64_t deferred = api("deferred");
	int got, before;
	size_t o = 0;

	(void)state;
	assert_non_null(burst);
	a->keep = true;
	for (int i = 0; i < 200; i++)
		o += (size_t)sprintf(burst + o, "{\"v\":1,\"id\":%d,\"cmd\":\"hello\"}\n", i);
	say(a, burst);
	say(b, "{\"v\":1,\"id\":\"b\",\"cmd\":\"hello\"}\n");
	pass();
	got = replies(a);
	assert_int_equal(replies(b), 1);
	if (got == 0 || got >= 200)
		fail_msg("one pass answered %d of the 200 requests of one client", got);
	assert_true(api("deferred") > deferred);
	/* What is left waits in warrend's buffer: a pass must not sleep on it. */
	for (int n = 0; got < 200 && n < 200; n++) {
		before = got;
		wd_server_poll(&wd, 10000);
		got = replies(a);
		if (got == before)
			fail_msg("a pass answered nothing with %d requests waiting", 200 - got);
	}
	assert_int_equal(got, 200);
	o = 0;
	for (int i = 0; i < 200; i++) {
		char *nl = memchr(a->in + o, '\n', a->len - o);
		json_object *r, *id;

		*nl = '\0';
		r = json_tokener_parse(a->in + o);
		assert_true(json_object_object_get_ex(r, "id", &id));
		assert_int_equal(json_object_get_int(id), i);
		json_object_put(r);
		o = (size_t)(nl + 1 - a->in);
	}
	free(burst);
	close_peer(a);
	close_peer(b);
	all_gone();
}

/*
 * Pipelined heavy requests from a client that does not read: at most one
 * reply waits in warrend for it, however many it asked for; once it reads,
 * every reply comes, whole. One that never reads is cut after --client-idle.
 */
static void test_reply_queue_bound(void **state)
{
	static const char req[] = "{\"v\":1,\"cmd\":\"fdb.show\"}\n";
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	struct peer *a;
	struct wd_client *c;
	char *reply;
	size_t one;
	int sndbuf;
	socklen_t optlen = sizeof(sndbuf);
	int64_t stalled = api("cut.stalled");

	(void)state;
	reply = wd_api_handle(&wd, "{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p1\"}}", strlen("{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"p1\"}}"));
	assert_non_null(strstr(reply, "\"ok\":true"));
	free(reply);
	for (int i = 0; i < 4000; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		assert_int_equal(wr_fdb_add_static(wd.sw, 1, mac, wd_port_find(&wd, "p1")->index), 0);
	}
	reply = wd_api_handle(&wd, req, sizeof(req) - 2);	/* without its newline */
	one = strlen(reply);
	free(reply);

	a = connect_peer();
	/* A reply is more than warrend's end of the socket takes at once. */
	assert_int_equal(getsockopt(slot_of(0)->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &optlen), 0);
	if (one <= (size_t)sndbuf)
		fail_msg("fdb.show: %zu bytes, the socket takes %d", one, sndbuf);
	for (int i = 0; i < 64; i++)
		say(a, req);
	for (int i = 0; i < 20; i++)
		pass();
	c = slot_of(0);
	assert_non_null(c);
	if (c->out_len - c->out_off > one)
		fail_msg("%zu reply bytes wait for a client that does not read (one reply: %zu)",
			 c->out_len - c->out_off, one);
	/* It reads: all 64 come, whole. */
	for (int i = 0; i < 10000 && replies(a) < 64; i++)
		pass();
	assert_int_equal(a->lines, 64);
	assert_int_equal(a->len, 0);

	/* 64 more, never read: cut once it took nothing for --client-idle. */
	for (int i = 0; i < 64; i++)
		say(a, req);
	for (int i = 0; i < 20; i++)
		pass();
	c = slot_of(0);
	assert_non_null(c->out);
	wd.conf.client_idle_s = 60;
	pass();
	assert_int_equal(wd_server_clients(&wd), 1);	/* it took bytes a moment ago */
	c->last_ns -= 61 * 1000000000ull;
	pass();
	assert_int_equal(wd_server_clients(&wd), 0);
	assert_int_equal(api("cut.stalled"), stalled + 1);
	wd.conf.client_idle_s = 0;
	close_peer(a);
	reply = wd_api_handle(&wd, "{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"p1\"}}", strlen("{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"p1\"}}"));
	free(reply);
	wr_switch_tick(wd.sw, 1);
}

/*
 * 64 silent clients hold every slot: the next is refused (EBUSY), until
 * --client-idle cuts the silent ones; one that talks stays. Idle 0: never.
 */
static void test_idle(void **state)
{
	struct peer *p[WD_CLIENT_MAX], *x;
	int64_t full = api("refused.full"), idle = api("cut.idle");

	(void)state;
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		p[i] = connect_peer();
	assert_int_equal(wd_server_clients(&wd), WD_CLIENT_MAX);
	assert_int_equal(api("clients"), WD_CLIENT_MAX);
	x = connect_peer();
	replies(x);
	assert_non_null(strstr(x->in, "\"code\":\"EBUSY\""));
	assert_true(x->eof);
	assert_int_equal(api("refused.full"), full + 1);
	close_peer(x);

	/* Never: silent for an hour, all stay. */
	wd.conf.client_idle_s = 0;
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		wd.clients[i].last_ns -= 3600 * 1000000000ull;
	pass();
	assert_int_equal(wd_server_clients(&wd), WD_CLIENT_MAX);

	/* 60 s: the silent ones go; the one that spoke since stays and is answered. */
	wd.conf.client_idle_s = 60;
	say(p[0], "{\"v\":1,\"cmd\":\"hello\"}\n");
	pass();
	assert_int_equal(replies(p[0]), 1);
	assert_int_equal(wd_server_clients(&wd), 1);
	assert_int_equal(wd_server_clients(&wd), 1);
	assert_int_equal(api("cut.idle"), idle + WD_CLIENT_MAX - 1);
	for (int i = 1; i < WD_CLIENT_MAX; i++) {
		replies(p[i]);
		assert_true(p[i]->eof);
		close_peer(p[i]);
	}
	x = connect_peer();
	say(x, "{\"v\":1,\"cmd\":\"hello\"}\n");
	pass();
	assert_int_equal(replies(x), 1);
	assert_int_equal(wd_server_clients(&wd), 2);
	wd.conf.client_idle_s = 0;
	close_peer(x);
	close_peer(p[0]);
	all_gone();
}

/*
 * Framing: a request in pieces over several passes is answered once, when
 * whole; CRLF ends a line too; a line of 65535 bytes is a request (a bad
 * one); 65536 bytes without a newline close the connection (EPROTO).
 */
static void test_framing(void **state)
{
	static const char *const pieces[] = { "{\"v\":1,", "\"cmd\":\"hel", "lo\"}\r", "\n" };
	struct peer *a = connect_peer();
	char *big = malloc(WD_LINE_MAX + 2);
	int64_t long_line = api("cut.long_line");

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(replies(a), 0);
		say(a, pieces[i]);
		pass();
	}
	assert_int_equal(replies(a), 1);
	assert_non_null(strstr(a->in, "\"ok\":true"));

	memset(big, 'x', WD_LINE_MAX - 1);
	big[WD_LINE_MAX - 1] = '\n';
	big[WD_LINE_MAX] = '\0';
	say(a, big);
	for (int i = 0; i < 10 && replies(a) < 2; i++)
		pass();
	assert_int_equal(a->lines, 2);
	assert_non_null(strstr(a->in, "not JSON"));
	assert_false(a->eof);

	big[WD_LINE_MAX - 1] = 'x';
	say(a, big);
	for (int i = 0; i < 10 && !a->eof; i++) {
		pass();
		replies(a);
	}
	assert_true(a->eof);
	assert_int_equal(a->lines, 3);
	assert_non_null(strstr(a->in, "\"code\":\"EPROTO\""));
	assert_int_equal(api("cut.long_line"), long_line + 1);
	free(big);
	close_peer(a);
	all_gone();
}

/* Descriptors this process may still open, all taken; they are closed by free_fds(). */
static int fillers[4096], n_fillers;
static struct rlimit saved_nofile;

static void use_all_fds(void)
{
	struct rlimit rl;
	int fd;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
	rl = saved_nofile;
	rl.rlim_cur = 512;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
		assert_true(n_fillers < 4096);
		fillers[n_fillers++] = fd;
	}
	assert_int_equal(errno, EMFILE);
}

static void free_fds(void)
{
	while (n_fillers)
		close(fillers[--n_fillers]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
}

/* Whether the listener has a connection waiting. */
static bool queued(void)
{
	struct pollfd p = { .fd = wd.listen_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static int count_in_log(const char *path, const char *words)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, words) != NULL;
	fclose(f);
	return n;
}

/*
 * Out of descriptors, a connection is taken off the queue, told EMFILE and
 * closed (the listener does not stay readable, so the loop cannot spin on
 * it), counted, logged once; served again once descriptors are free.
 * Without a spare descriptor either, the listener rests instead.
 */
static void test_no_fd(void **state)
{
	struct peer *a, *b, *c;
	int64_t no_fd = api("refused.no_fd");
	char log[128];

	(void)state;
	snprintf(log, sizeof(log), "%s/t.log", dir);
	wd_log_open(WD_LOG_WARN, log);
	a = new_peer();
	b = new_peer();
	use_all_fds();
	for (int k = 0; k < 2; k++) {
		struct peer *p = k ? b : a;

		dial(p);
		assert_true(queued());
		pass();
		if (queued())
			fail_msg("out of descriptors, the listener stays readable: the loop would spin");
		replies(p);
		assert_non_null(strstr(p->in, "\"code\":\"EMFILE\""));
		assert_true(p->eof);
		assert_int_equal(api("refused.no_fd"), no_fd + 1 + k);
	}
	assert_int_equal(wd_server_clients(&wd), 0);
	free_fds();
	assert_int_equal(count_in_log(log, "connections are refused"), 1);
	close_peer(a);
	close_peer(b);

	c = connect_peer();
	say(c, "{\"v\":1,\"cmd\":\"hello\"}\n");
	pass();
	assert_int_equal(replies(c), 1);
	close_peer(c);
	all_gone();

	/* No spare descriptor: the listener rests, then serves again. */
	close(wd.srv.spare_fd);
	wd.srv.spare_fd = -1;
	c = new_peer();
	use_all_fds();
	dial(c);
	pass();
	assert_int_equal(api("refused.no_fd"), no_fd + 3);
	assert_true(wd.srv.listen_resume_ns > wd_now_ns());
	pass();
	assert_int_equal(api("refused.no_fd"), no_fd + 3);	/* resting: not tried again */
	assert_true(queued());
	free_fds();
	wd.srv.listen_resume_ns = 0;	/* the rest is over */
	pass();
	assert_int_equal(wd_server_clients(&wd), 1);
	assert_true(wd.srv.spare_fd >= 0);
	say(c, "{\"v\":1,\"cmd\":\"hello\"}\n");
	pass();
	assert_int_equal(replies(c), 1);
	close_peer(c);
	all_gone();
	wd_log_open(WD_LOG_ERR, NULL);
}

/* ------------------------------------------------------------- captures */

static struct wr_worker *cap_worker;

/* Port @name added through the API, received from by cap_worker. */
static struct wr_port *cap_port(const char *name)
{
	char line[128], *reply;
	struct wd_port *p;

	snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"port.add\",\"args\":{\"name\":\"%s\"}}", name);
	reply = wd_api_handle(&wd, line, strlen(line));
	assert_non_null(strstr(reply, "\"ok\":true"));
	free(reply);
	p = wd_port_find(&wd, name);
	assert_non_null(p);
	assert_int_equal(wr_worker_add_port(cap_worker, p->index), 0);
	return p->port;
}

static void cap_del(const char *name)
{
	char line[128], *reply;

	snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"port.del\",\"args\":{\"port\":\"%s\"}}", name);
	reply = wd_api_handle(&wd, line, strlen(line));
	assert_non_null(strstr(reply, "\"ok\":true"));
	free(reply);
}

/* @n frames from 02::a to 02::b into @port, through the worker. */
static void cap_frames(struct wr_port *port, int n)
{
	uint8_t f[64] = { 0x02, 0, 0, 0, 0, 0xb, 0x02, 0, 0, 0, 0, 0xa, 0x88, 0xb5 };

	for (int i = 0; i < n; i++)
		assert_int_equal(wr_ring_inject(port, f, sizeof(f)), 0);
	while (wr_worker_poll(cap_worker, 1))
		;
}

/* The records after the reply line in @p->in: frames, and the end's text into @end. */
static int cap_records(struct peer *p, char *end, size_t size)
{
	const char *nl = memchr(p->in, '\n', p->len), *at;
	int frames = 0;

	assert_non_null(nl);
	assert_non_null(strstr(p->in, "\"ok\":true"));
	end[0] = '\0';
	for (at = nl + 1; at + sizeof(struct wr_caprec) <= p->in + p->len;) {
		struct wr_caprec h;

		memcpy(&h, at, sizeof(h));
		assert_int_equal(h.len, sizeof(h) + h.cap_len + h.comment_len);
		if (at + h.len > p->in + p->len)
			break;
		if (h.type == WR_CAPREC_FRAME) {
			assert_int_equal(h.cap_len, 64);
			assert_int_equal(h.orig_len, 64);
			assert_int_equal(h.dir, WR_TAP_RX);
			/* b is unknown: flooded to the other port. */
			assert_true(h.comment_len == strlen("rx: flood 1 port") &&
				    !memcmp(at + sizeof(h) + 64, "rx: flood 1 port", h.comment_len));
			frames++;
		} else {
			assert_int_equal(h.type, WR_CAPREC_END);
			snprintf(end, size, "%.*s", (int)h.comment_len, at + sizeof(h));
		}
		at += h.len;
	}
	return frames;
}

/* Passes until warrend closes @c's capture; its frames, and the end's text into @end. */
static int cap_to_end(struct peer *c, char *end, size_t size)
{
	for (int i = 0; i < 5 && !c->eof; i++) {
		pass();
		replies(c);
	}
	assert_true(c->eof);
	return cap_records(c, end, size);
}

/*
 * capture.start over the socket: the reply, then the records, then the
 * end record, and the connection closed; a line from the client ends a
 * capture, a client gone ends it silently; nothing is left either way.
 */
static void test_capture_stream(void **state)
{
	struct wr_port *p1;
	struct peer *c;
	char end[128];

	(void)state;
	cap_worker = wr_worker_create(wd.sw, 0);
	assert_non_null(cap_worker);
	p1 = cap_port("p1");
	cap_port("p2");

	/* A count: 3 of 5 frames go, then the end, then EOF. */
	c = connect_peer();
	c->keep = true;
	say(c, "{\"v\":1,\"cmd\":\"capture.start\",\"args\":{\"port\":\"p1\",\"dir\":\"rx\",\"count\":3}}\n");
	pass();
	assert_int_equal(wd_server_clients(&wd), 0);	/* the capture's now, not a client */
	assert_true(wd_captures_active(&wd));
	cap_frames(p1, 5);
	assert_int_equal(cap_to_end(c, end, sizeof(end)), 3);
	assert_string_equal(end, "{\"captured\":3,\"dropped\":0,\"why\":\"count reached\"}");
	assert_false(wd_captures_active(&wd));
	assert_false(wr_tap_port_watched(wd.sw, wd_port_find(&wd, "p1")->index));
	close_peer(c);

	/* Until stopped: a line ends it, with what went. */
	c = connect_peer();
	c->keep = true;
	say(c, "{\"v\":1,\"cmd\":\"capture.start\",\"args\":{\"port\":\"p1\"}}\n");
	pass();
	cap_frames(p1, 2);
	pass();
	/* One more the workers wrote, not read yet when the line comes: it goes too. */
	cap_frames(p1, 1);
	say(c, "stop\n");
	assert_int_equal(cap_to_end(c, end, sizeof(end)), 3);
	assert_string_equal(end, "{\"captured\":3,\"dropped\":0,\"why\":\"stopped\"}");
	close_peer(c);

	/* The client goes: so does the capture. */
	c = connect_peer();
	say(c, "{\"v\":1,\"cmd\":\"capture.start\",\"args\":{\"port\":\"p1\"}}\n");
	pass();
	assert_true(wd_captures_active(&wd));
	close_peer(c);
	pass();
	assert_false(wd_captures_active(&wd));
	assert_false(wr_tap_port_watched(wd.sw, wd_port_find(&wd, "p1")->index));

	cap_del("p1");
	cap_del("p2");
	wr_switch_tick(wd.sw, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_share_per_pass, fresh),
		cmocka_unit_test_setup(test_reply_queue_bound, fresh),
		cmocka_unit_test_setup(test_idle, fresh),
		cmocka_unit_test_setup(test_framing, fresh),
		cmocka_unit_test_setup(test_no_fd, fresh),
		cmocka_unit_test_setup(test_capture_stream, fresh),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
