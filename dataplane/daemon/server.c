/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server.c - the API socket: a unix stream socket, JSON lines. Clients
 * are checked by their credentials when they connect; each complete line
 * is one request and gets one reply line. The control thread serves it
 * between switch ticks, and no client can hold it there:
 *
 * - a pass gives each client at most WD_PASS_REQS requests and one read,
 *   starting with another client each time; what is left waits in the
 *   client's buffer for the next pass, which then does not sleep;
 * - a reply the socket cannot take at once waits in the client's buffer,
 *   and the client's next request is handled only once it has all gone:
 *   one reply at most is queued per client (and none over WD_OUT_MAX);
 * - a client silent for --client-idle seconds, or that takes no reply byte
 *   for as long, is cut, so that silent clients cannot hold every slot;
 * - out of descriptors, a spare one is given back to accept and close the
 *   connection (told EMFILE); failing that the listener rests a while
 *   rather than wake every pass.
 *
 * What is refused or cut is counted in wd->srv.st (switch.show's "api").
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

#define WD_OUT_MAX	(64u << 20)	/* one reply, at most */
#define WD_PASS_REQS	32		/* requests a client has answered per pass, at most */
#define WD_ACCEPT_PASS	16		/* connections taken per pass, at most */
#define WD_LISTEN_REST_NS (250 * 1000000ull)	/* out of descriptors, with no spare one */

#define REFUSAL(err, code, msg) \
	"{\"v\":1,\"id\":null,\"ok\":false,\"error\":{\"errno\":" #err ",\"code\":\"" code \
	"\",\"message\":\"" msg "\"}}\n"

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
	wd->srv = (struct wd_server){ .spare_fd = -1 };
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* We hold the instance lock: a socket file left there is stale. */
	unlink(wd->sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, WD_CLIENT_MAX) < 0)
		goto fail_close;
	/* Not through a link planted in its place since bind (chmod would follow it). */
	if (fchmodat(AT_FDCWD, wd->sock_path, 0660, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (wd->conf.gid >= 0 && fchownat(AT_FDCWD, wd->sock_path, (uid_t)-1, (gid_t)wd->conf.gid,
					   AT_SYMLINK_NOFOLLOW) < 0))
		goto fail_close;
	wd->srv.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (wd->srv.spare_fd < 0)
		goto fail_close;
	wd->listen_fd = fd;
	return 0;

fail_close:
	close(fd);
fail:
	wd_err("API socket %s: %s", wd->sock_path, strerror(errno));
	return -errno;
}

static void drop_client(struct wd_client *c)
{
	close(c->fd);
	free(c->buf);
	free(c->out);
	*c = (struct wd_client){ .fd = -1 };
}

void wd_server_close(struct warrend *wd)
{
	for (int i = 0; i < WD_CLIENT_MAX; i++)
		if (wd->clients[i].fd >= 0)
			drop_client(&wd->clients[i]);
	if (wd->srv.spare_fd >= 0)
		close(wd->srv.spare_fd);
	wd->srv.spare_fd = -1;
	if (wd->listen_fd > 0) {
		close(wd->listen_fd);
		unlink(wd->sock_path);
	}
}

unsigned int wd_server_clients(const struct warrend *wd)
{
	unsigned int n = 0;

	for (int i = 0; i < WD_CLIENT_MAX; i++)
		n += wd->clients[i].fd >= 0;
	return n;
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

/* A last word before the connection goes: what the socket takes at once, no more. */
static void tell(int fd, const char *s)
{
	if (send(fd, s, strlen(s), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		wd_debug("API: refusal not sent: %s", strerror(errno));
}

static void refuse(int fd, const char *s)
{
	tell(fd, s);
	close(fd);
}

/* Send what waits for @c; false when the client is gone. */
static bool flush_out(struct wd_client *c, uint64_t now)
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
		c->last_ns = now;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return true;
}

/*
 * The socket has the reply before whole (c->out is NULL): @s (one reply
 * line, ours to free) waits for @c, and goes as far as the socket takes it.
 * False when the client is gone.
 */
static bool reply_to(struct warrend *wd, struct wd_client *c, char *s, uint64_t now)
{
	size_t len = strlen(s);

	if (len > WD_OUT_MAX) {
		wd->srv.st.cut_reply_max++;
		wd_warn("API: a reply of %zu bytes is over %u MiB: client dropped", len,
			WD_OUT_MAX >> 20);
		free(s);
		return false;
	}
	c->out = s;
	c->out_len = len;
	c->out_off = 0;
	return flush_out(c, now);
}

/*
 * Out of descriptors: the listener stays readable and poll() would wake at
 * once, again and again. The spare descriptor, closed for a moment, lets
 * the connection be taken off the queue, told and closed; without one the
 * listener rests. Logged once a spell (until a connection is taken again).
 * True when the next connection may be tried.
 */
static bool out_of_fds(struct warrend *wd, int err, uint64_t now)
{
	int fd = -1;

	if (!wd->srv.no_fd_told)
		wd_warn("API %s: accept: %s: connections are refused until descriptors are free "
			"(see the limit in /proc/%d/limits)", wd->sock_path, strerror(err),
			(int)getpid());
	wd->srv.no_fd_told = true;
	if (wd->srv.spare_fd >= 0) {
		close(wd->srv.spare_fd);
		fd = accept4(wd->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0) {
			wd->srv.st.refused_no_fd++;
			refuse(fd, REFUSAL(24, "EMFILE", "warrend is out of file descriptors"));
		}
		wd->srv.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (wd->srv.spare_fd >= 0 && fd >= 0)
		return true;
	/* None waits: accept wants a descriptor before it looks at the queue. */
	if (wd->srv.spare_fd >= 0 && (err == EAGAIN || err == EWOULDBLOCK))
		return false;
	/* Nothing to take a connection with: rest rather than spin. */
	if (fd < 0)
		wd->srv.st.refused_no_fd++;
	wd->srv.listen_resume_ns = now + WD_LISTEN_REST_NS;
	return false;
}

static void accept_clients(struct warrend *wd, uint64_t now)
{
	for (int k = 0; k < WD_ACCEPT_PASS; k++) {
		int fd = accept4(wd->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct wd_client *c = NULL;
		struct ucred cr = { .pid = 0 };
		socklen_t len = sizeof(cr);

		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && (errno == EMFILE || errno == ENFILE) && out_of_fds(wd, errno, now))
			continue;
		if (fd < 0)
			return;
		wd->srv.no_fd_told = false;
		if (wd->srv.spare_fd < 0)
			wd->srv.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || !allowed(wd, &cr)) {
			wd->srv.st.refused_perm++;
			wd_warn("API: refused uid %d pid %d", (int)cr.uid, (int)cr.pid);
			refuse(fd, REFUSAL(1, "EPERM", "only root and the group given to warrend "
					   "--group may use this socket"));
			continue;
		}
		for (int i = 0; i < WD_CLIENT_MAX && !c; i++)
			if (wd->clients[i].fd < 0)
				c = &wd->clients[i];
		if (c)
			c->buf = malloc(WD_LINE_MAX);
		if (!c || !c->buf) {
			wd->srv.st.refused_full++;
			refuse(fd, REFUSAL(16, "EBUSY", "too many clients"));
			continue;
		}
		wd->srv.st.accepted++;
		c->fd = fd;
		c->len = 0;
		c->last_ns = now;
	}
}

/* Answer the whole lines at the start of c->buf, within *@budget; how many bytes they took. */
static size_t answer_lines(struct warrend *wd, struct wd_client *c, unsigned int *budget,
			   uint64_t now, bool *gone)
{
	size_t used = 0;
	char *nl;

	while (*budget && !c->out && !*gone &&
	       (nl = memchr(c->buf + used, '\n', c->len - used))) {
		char *line = c->buf + used, *reply;

		*nl = '\0';
		reply = wd_api_handle(wd, line, (size_t)(nl - line));
		used = (size_t)(nl + 1 - c->buf);
		if (reply && wd->cap_claim) {
			/* A capture started: the connection is its stream now (capture.c). */
			wd_capture_adopt(wd, c->fd, reply);
			c->fd = -1;
			*gone = true;
			break;
		}
		/* A blank line (a keep-alive, no reply) costs only its bytes: one read a pass. */
		if (reply) {
			(*budget)--;
			*gone = !reply_to(wd, c, reply, now);
		}
	}
	return used;
}

/*
 * One pass for @c: send what waits, then answer its buffered lines and
 * read once more, within WD_PASS_REQS requests. No request is answered
 * while a reply waits.
 */
static void serve_client(struct warrend *wd, struct wd_client *c, uint64_t now)
{
	unsigned int budget = WD_PASS_REQS;
	bool gone = false, read_once = false;

	if (c->out && !flush_out(c, now))
		goto drop;
	while (!c->out) {
		size_t used = answer_lines(wd, c, &budget, now, &gone);
		ssize_t n;

		if (gone)
			goto drop;
		c->len -= (uint32_t)used;
		memmove(c->buf, c->buf + used, c->len);
		if (!budget || c->out)
			break;
		/* No whole line left: a full buffer holds one over-long line. */
		if (c->len == WD_LINE_MAX) {
			wd->srv.st.cut_long_line++;
			tell(c->fd, REFUSAL(71, "EPROTO", "request line longer than 65536 bytes"));
			goto drop;
		}
		if (read_once)
			break;
		n = recv(c->fd, c->buf + c->len, WD_LINE_MAX - c->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			goto drop;
		c->len += (uint32_t)n;
		c->last_ns = now;
		read_once = true;
	}
	c->ready = !c->out && memchr(c->buf, '\n', c->len);
	if (c->ready)
		wd->srv.st.deferred++;
	return;

drop:
	drop_client(c);
}

/* Cut @c if it was silent, or took no reply, for --client-idle (and nothing came now). */
static void cut_if_idle(struct warrend *wd, struct wd_client *c, uint64_t now)
{
	uint64_t idle_ns = (uint64_t)wd->conf.client_idle_s * 1000000000u;

	if (!idle_ns || now - c->last_ns < idle_ns)
		return;
	if (c->out)
		wd->srv.st.cut_stalled++;
	else
		wd->srv.st.cut_idle++;
	wd_debug("API: client %d %s for %u s: closed", c->fd, c->out ? "took no reply" : "silent",
		 wd->conf.client_idle_s);
	drop_client(c);
}

void wd_server_poll(struct warrend *wd, int timeout_ms)
{
	struct pollfd pfd[WD_CLIENT_MAX + 2 + WR_TUNNEL_MAX + 1 + WD_METRICS_CLIENTS + WD_PROBE_MAX +
			  WR_CAPTURE_MAX];
	short revents[WD_CLIENT_MAX] = { 0 };
	int map[WD_CLIENT_MAX + 2 + WR_TUNNEL_MAX], watch[WR_TUNNEL_MAX], n_watch;
	uint64_t now = wd_now_ns(), woken;
	nfds_t n = 0;
	int listen_at = -1, wake_at = -1, metrics_at, n_metrics, n_probes, n_caps;

	if (now >= wd->srv.listen_resume_ns) {
		listen_at = (int)n;
		pfd[n] = (struct pollfd){ .fd = wd->listen_fd, .events = POLLIN };
		map[n++] = -1;
	} else if (timeout_ms < 0 || (uint64_t)timeout_ms > (wd->srv.listen_resume_ns - now) / 1000000u) {
		timeout_ms = (int)((wd->srv.listen_resume_ns - now) / 1000000u) + 1;
	}
	if (wd->ctl_wake_fd >= 0) {
		wake_at = (int)n;
		pfd[n] = (struct pollfd){ .fd = wd->ctl_wake_fd, .events = POLLIN };
		map[n++] = -1;
	}
	/* The tunnels' underlay namespaces: a change there wakes the loop (tunnels.c). */
	n_watch = wd_tunnels_watch_fds(wd, watch, WR_TUNNEL_MAX);
	for (int k = 0; k < n_watch; k++) {
		pfd[n] = (struct pollfd){ .fd = watch[k], .events = POLLIN };
		map[n++] = -2 - k;
	}
	for (int i = 0; i < WD_CLIENT_MAX; i++) {
		struct wd_client *c = &wd->clients[i];

		if (c->fd < 0)
			continue;
		/* A client with a reply still going out is heard again only after it. */
		pfd[n] = (struct pollfd){ .fd = c->fd, .events = c->out ? POLLOUT : POLLIN };
		map[n++] = i;
		if (c->ready)
			timeout_ms = 0;
	}
	/* The HTTP endpoint's last, map[] not covering them (metrics.c). */
	metrics_at = (int)n;
	n_metrics = wd_metrics_pollfds(wd, pfd + n);
	/* Then the hops' health probes under way (probe.c). */
	n_probes = wd_probes_pollfds(wd, pfd + n + n_metrics);
	/* Then the captures' streams; their rings are bounded: drained every 2 ms at least. */
	n_caps = wd_captures_pollfds(wd, pfd + n + n_metrics + n_probes);
	if (wd_captures_active(wd) && (timeout_ms < 0 || timeout_ms > 2))
		timeout_ms = 2;
	if (poll(pfd, n + (nfds_t)n_metrics + (nfds_t)n_probes + (nfds_t)n_caps, timeout_ms) < 0)
		return;
	wd_probes_events(wd, pfd + n + n_metrics, n_probes);
	wd_captures_events(wd, pfd + n + n_metrics + n_probes, n_caps);
	/* A worker woke us: the caller's tick does the rest. */
	if (wake_at >= 0 && pfd[wake_at].revents && read(wd->ctl_wake_fd, &woken, sizeof(woken)) < 0)
		wd_debug("control wake: %s", strerror(errno));
	for (nfds_t i = 0; i < n; i++) {
		if (map[i] >= 0)
			revents[map[i]] = pfd[i].revents;
		else if (map[i] <= -2 && pfd[i].revents)
			wd_tunnels_watch_event(wd, watch[-2 - map[i]]);
	}
	now = wd_now_ns();
	/* Round robin: the pass starts one client further each time. */
	for (int k = 0; k < WD_CLIENT_MAX && !atomic_load(&wd->stop); k++) {
		int i = (wd->srv.next + k) % WD_CLIENT_MAX;
		struct wd_client *c = &wd->clients[i];

		if (c->fd >= 0 && (revents[i] || c->ready))
			serve_client(wd, c, now);
		else if (c->fd >= 0)
			cut_if_idle(wd, c, now);
	}
	wd->srv.next = (uint16_t)((wd->srv.next + 1) % WD_CLIENT_MAX);
	if (listen_at >= 0 && pfd[listen_at].revents)
		accept_clients(wd, now);
	wd_metrics_serve(wd, pfd + metrics_at, n_metrics, now);
}
