/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server.c - the API socket: a unix stream socket, JSON lines. Clients
 * are checked by their credentials when they connect; each complete line
 * is one request and gets one reply line. The control thread serves it
 * between switch ticks, so a slow client never holds the switch: a reply
 * the socket cannot take at once waits in the client's buffer, and the
 * client's next request is read only once it has all gone. A client that
 * lets WD_OUT_MAX bytes pile up is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "warrend.h"

#define WD_OUT_MAX	(64u << 20)	/* reply bytes waiting for one client, at most */

int wd_server_open(struct warrend *wd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(wd->sock_path, sizeof(wd->sock_path), "%s/%s.sock", wd->conf.run_dir,
		 wd->conf.name);
	if (strlen(wd->sock_path) >= sizeof(sa.sun_path)) {
		wd_err("%s: path too long for a unix socket", wd->sock_path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, wd->sock_path);
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		wd->clients[i].fd = -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* We hold the instance lock: a socket file left there is stale. */
	unlink(wd->sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		goto fail_close;
	if (chmod(wd->sock_path, 0660) < 0 ||
	    (wd->conf.gid >= 0 && chown(wd->sock_path, 0, (gid_t)wd->conf.gid) < 0))
		goto fail_close;
	wd->listen_fd = fd;
	return 0;

fail_close:
	close(fd);
fail:
	wd_err("API socket %s: %s", wd->sock_path, strerror(errno));
	return -errno;
}

void wd_server_close(struct warrend *wd)
{
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		if (wd->clients[i].fd >= 0) {
			close(wd->clients[i].fd);
			free(wd->clients[i].buf);
			free(wd->clients[i].out);
			wd->clients[i].fd = -1;
		}
	if (wd->listen_fd > 0) {
		close(wd->listen_fd);
		unlink(wd->sock_path);
	}
}

/* Root, or a member of --group (by its primary group or its supplementary ones). */
static bool allowed(const struct warrend *wd, const struct ucred *cr)
{
	struct passwd *pw;
	gid_t groups[256];
	int n = 256;

	if (cr->uid == 0)
		return true;
	if (wd->conf.gid < 0)
		return false;
	if (cr->gid == (gid_t)wd->conf.gid)
		return true;
	pw = getpwuid(cr->uid);
	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == (gid_t)wd->conf.gid)
			return true;
	return false;
}

static void send_line(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* the client goes at its next read */
		off += (size_t)n;
	}
}

static void drop_client(struct wd_client *c)
{
	close(c->fd);
	free(c->buf);
	free(c->out);
	*c = (struct wd_client){ .fd = -1 };
}

/* Send what waits for @c; false when the client is gone. */
static bool flush_out(struct wd_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0)
			return false;
		c->out_off += (size_t)n;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return true;
}

/* Queue @s (one reply line) for @c and send what the socket takes. */
static bool reply_to(struct wd_client *c, const char *s)
{
	size_t len = strlen(s);
	char *out;

	if (c->out_len - c->out_off + len > WD_OUT_MAX)
		return false;
	out = realloc(c->out, c->out_len + len);
	if (!out)
		return false;
	memcpy(out + c->out_len, s, len);
	c->out = out;
	c->out_len += len;
	return flush_out(c);
}

static void accept_clients(struct warrend *wd)
{
	for (;;) {
		int fd = accept4(wd->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		struct wd_client *c = NULL;
		struct ucred cr;
		socklen_t len = sizeof(cr);

		if (fd < 0)
			return;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || !allowed(wd, &cr)) {
			send_line(fd, "{\"v\":1,\"id\":null,\"ok\":false,\"error\":{\"errno\":1,"
				      "\"code\":\"EPERM\",\"message\":\"only root and the group "
				      "given to warrend --group may use this socket\"}}\n");
			wd_warn("API: refused uid %d pid %d", (int)cr.uid, (int)cr.pid);
			close(fd);
			continue;
		}
		for (int i = 0; i < WD_CLIENT_MAX && !c; i++)
			if (wd->clients[i].fd < 0)
				c = &wd->clients[i];
		if (c)
			c->buf = malloc(WD_LINE_MAX);
		if (!c || !c->buf) {
			send_line(fd, "{\"v\":1,\"id\":null,\"ok\":false,\"error\":{\"errno\":16,"
				      "\"code\":\"EBUSY\",\"message\":\"too many clients\"}}\n");
			close(fd);
			continue;
		}
		/* Neither requests nor replies ever block the control thread. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		c->fd = fd;
		c->len = 0;
	}
}

/* Read what is there; answer every complete line. */
static void serve_client(struct warrend *wd, struct wd_client *c)
{
	if (c->out && !flush_out(c)) {
		drop_client(c);
		return;
	}
	while (!c->out) {
		ssize_t n = recv(c->fd, c->buf + c->len, WD_LINE_MAX - c->len, 0);
		char *start = c->buf, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			drop_client(c);
			return;
		}
		c->len += (uint32_t)n;
		while ((nl = memchr(start, '\n', c->len - (size_t)(start - c->buf)))) {
			char *reply;

			*nl = '\0';
			reply = wd_api_handle(wd, start, (size_t)(nl - start));
			if (reply) {
				bool alive = reply_to(c, reply);

				free(reply);
				if (!alive) {
					drop_client(c);
					return;
				}
			}
			start = nl + 1;
		}
		c->len -= (uint32_t)(start - c->buf);
		memmove(c->buf, start, c->len);
		if (c->len == WD_LINE_MAX) {
			send_line(c->fd, "{\"v\":1,\"id\":null,\"ok\":false,\"error\":{\"errno\":71,"
					 "\"code\":\"EPROTO\",\"message\":\"request line longer than "
					 "65536 bytes\"}}\n");
			drop_client(c);
			return;
		}
	}
}

void wd_server_poll(struct warrend *wd, int timeout_ms)
{
	struct pollfd pfd[WD_CLIENT_MAX + 2];
	int map[WD_CLIENT_MAX + 2];
	nfds_t n = 0, first = 1;
	uint64_t woken;

	pfd[n] = (struct pollfd){ .fd = wd->listen_fd, .events = POLLIN };
	map[n++] = -1;
	if (wd->ctl_wake_fd >= 0) {
		pfd[n] = (struct pollfd){ .fd = wd->ctl_wake_fd, .events = POLLIN };
		map[n++] = -1;
		first = 2;
	}
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		if (wd->clients[i].fd >= 0) {
			/* A client with a reply still going out is heard again only after it. */
			pfd[n] = (struct pollfd){ .fd = wd->clients[i].fd,
						  .events = wd->clients[i].out ? POLLOUT : POLLIN };
			map[n++] = i;
		}
	if (poll(pfd, n, timeout_ms) <= 0)
		return;
	/* A worker woke us: the caller's tick does the rest. */
	if (first == 2 && pfd[1].revents && read(wd->ctl_wake_fd, &woken, sizeof(woken)) < 0)
		wd_debug("control wake: %s", strerror(errno));
	for (nfds_t i = first; i < n; i++)
		if (pfd[i].revents && !atomic_load(&wd->stop))
			serve_client(wd, &wd->clients[map[i]]);
	if (pfd[0].revents)
		accept_clients(wd);
}
