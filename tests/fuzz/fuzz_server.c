/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_server.c - warrend's API socket (dataplane/daemon/server.c): its
 * framing (lines split over reads, several in one read, blank lines,
 * over-long lines), the share each client gets per pass, replies that wait
 * for a client that does not read. Two clients on a real socket in a
 * temporary folder; each input is a script of steps, one byte each:
 *
 *   bit 7      read what came for the client after the pass
 *   bit 6      which client (0 or 1)
 *   bits 0-5   0: a pass only; 1-62: that many bytes of the input follow
 *              and are sent; 63: two bytes C and K follow, and (K+1)*512
 *              bytes C are sent (long lines, floods of blank lines)
 *
 * then one pass. At the end both clients close their sending side and read
 * what is left. Checked: every reply is one JSON object with "v":1 and
 * "ok", a client has no more replies than lines it ended (plus one refusal),
 * no more than one reply waits in warrend, and every client is gone from
 * warrend once it closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../wd_ring.h"

static struct warrend wd;

struct client {
	int fd;
	size_t newlines;	/* ends of lines sent */
	size_t replies;
	size_t len;		/* of the reply line being received */
	char line[1 << 17];	/* its start, for the check */
};

static char dir[] = "/tmp/wr-fuzz-server.XXXXXX";

/* At exit: the socket and its folder go. */
static void fini(void)
{
	wd_server_close(&wd);
	rmdir(dir);
}

static void init(void)
{

	if (!mkdtemp(dir))
		abort();
	strcpy(wd.conf.name, "f");
	strcpy(wd.conf.run_dir, dir);
	wd.conf.gid = (long)getgid();
	wd.conf.fdb_max = 256;
	wd.ctl_wake_fd = -1;
	wd.sw = wr_switch_create(&(struct wr_switch_conf){ .fdb_max = 256, .age_s = 300,
							   .n_workers = 1 });
	wd_ring_pool = wr_ring_pool_create(8192, 256);
	wd_log_open(WD_LOG_ERR, NULL);
	if (!wd.sw || !wd_ring_pool || wd_server_open(&wd))
		abort();
	atexit(fini);
}

/* A reply line, whole: the envelope of docs/api.md. */
static void check_reply(struct client *c)
{
	json_object *o, *v;

	c->line[c->len < sizeof(c->line) ? c->len : sizeof(c->line) - 1] = '\0';
	if (c->len >= sizeof(c->line))
		return;	/* too big to keep: counted, not parsed */
	o = json_tokener_parse(c->line);
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "v", &v) || json_object_get_int(v) != 1 ||
	    !json_object_object_get_ex(o, "ok", &v) || !json_object_is_type(v, json_type_boolean))
		abort();
	json_object_put(o);
}

/* Read what came; true at end of stream. */
static bool take(struct client *c)
{
	char buf[65536];
	ssize_t n;

	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				check_reply(c);
				c->replies++;
				c->len = 0;
			} else {
				if (c->len < sizeof(c->line))
					c->line[c->len] = buf[i];
				c->len++;
			}
		}
	/* One reply per line ended, and one refusal (an over-long line) at most. */
	if (c->replies > c->newlines + 1)
		abort();
	return n == 0 || (n < 0 && errno != EAGAIN);
}

static void pass(void)
{
	wd_server_poll(&wd, 0);
	atomic_store(&wd.stop, false);	/* a "shutdown" request is only a flag here */
	for (int i = 0; i < WD_CLIENT_MAX; i++) {
		const struct wd_client *c = &wd.clients[i];

		/* One reply waits at most: it is the one being sent. */
		if (c->fd >= 0 && c->out && memchr(c->out + c->out_off, '\n',
						   c->out_len - c->out_off - 1))
			abort();
	}
}

static void send_some(struct client *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c->newlines += p[i] == '\n';
	/* What the socket does not take now is left out: the script goes on. */
	if (send(c->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN &&
	    errno != EPIPE && errno != ECONNRESET)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct client cl[2];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char bulk[256 * 512];
	size_t i = 0;
	bool gone[2] = { false, false };

	if (!wd.sw)
		init();
	memcpy(sa.sun_path, wd.sock_path, strlen(wd.sock_path));
	for (int k = 0; k < 2; k++) {
		cl[k] = (struct client){ .fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) };
		if (cl[k].fd < 0 || connect(cl[k].fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			abort();
	}
	pass();
	if (wd_server_clients(&wd) != 2)
		abort();
	while (i < size) {
		uint8_t op = data[i++];
		struct client *c = &cl[(op >> 6) & 1];
		size_t n = op & 63;

		if (n == 63 && i + 2 <= size) {
			memset(bulk, data[i], ((size_t)data[i + 1] + 1) * 512);
			send_some(c, bulk, ((size_t)data[i + 1] + 1) * 512);
			i += 2;
		} else if (n && n < 63) {
			n = n < size - i ? n : size - i;
			send_some(c, (const char *)data + i, n);
			i += n;
		}
		pass();
		if (op & 0x80)
			take(c);
	}
	/* The end: both stop sending, read everything, and are let go. */
	for (int k = 0; k < 2; k++)
		shutdown(cl[k].fd, SHUT_WR);
	for (int round = 0; round < 1000000 && !(gone[0] && gone[1]); round++) {
		pass();
		for (int k = 0; k < 2; k++)
			gone[k] = gone[k] || take(&cl[k]);
	}
	if (!gone[0] || !gone[1])
		abort();	/* warrend never closed a client that closed */
	for (int k = 0; k < 2; k++)
		close(cl[k].fd);
	pass();
	if (wd_server_clients(&wd))
		abort();
	wd_ring_reset(&wd);
	return 0;
}
