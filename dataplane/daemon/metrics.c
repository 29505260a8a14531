/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metrics.c - `warrend --metrics ADDR:PORT`: GET /metrics over HTTP/1.x
 * (docs/metrics.md). The sockets are polled with the API's, on the
 * control thread, between two ticks, and no client can hold that thread:
 *
 * - a pass gives each connection one read or one write, non-blocking;
 * - a request's head is at most WD_METRICS_REQ_MAX bytes: past it the
 *   client is told 431 and closed, whatever it still sends;
 * - a connection lives WD_METRICS_DEADLINE_NS at most, whatever it does
 *   (silent, slow to send or to read its answer), then it is closed;
 * - at most WD_METRICS_CLIENTS at once: one more is told 503 and closed.
 *
 * One request per connection: the answer says Connection: close, and what
 * came after the first request's head (a body, pipelined requests) is
 * read and dropped (a little of it, so that closing does not reset the
 * answer away) until the client closes too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics_priv.h"
#include "warrend.h"

#define DRAIN_MAX	8192		/* bytes read and dropped after an answer, at most */

/* ---------------------------------------------------------------- address */

int wd_metrics_addr(const char *spec, struct sockaddr_storage *sa, socklen_t *len, char *err,
		    size_t errlen)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
	char host[64] = "127.0.0.1";
	const char *port = spec, *colon;
	unsigned long n;
	char *end;

	memset(sa, 0, sizeof(*sa));
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close - spec - 1), spec + 1);
		port = close + 2;
	} else if ((colon = strrchr(spec, ':'))) {
		if (colon > spec && (memchr(spec, ':', (size_t)(colon - spec)) ||
				     (size_t)(colon - spec) >= sizeof(host)))
			goto bad;
		if (colon > spec)
			snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	errno = 0;
	n = strtoul(port, &end, 10);
	if (!port[0] || *end || errno || port[0] < '0' || port[0] > '9' || n == 0 || n > 65535)
		goto bad;
	if (spec[0] == '[' && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)n);
		*len = sizeof(*in6);
		return 0;
	}
	if (spec[0] != '[' && inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)n);
		*len = sizeof(*in);
		return 0;
	}
bad:
	snprintf(err, errlen, "--metrics '%s': PORT, :PORT, ADDR:PORT or [ADDR6]:PORT, an IP "
		 "address (no name) and a port 1-65535 (no address: 127.0.0.1)", spec);
	return -EINVAL;
}

int wd_metrics_open(struct warrend *wd)
{
	struct wd_metrics *m = &wd->metrics;
	struct sockaddr_storage sa;
	socklen_t len;
	char err[256];
	int fd, one = 1;

	*m = (struct wd_metrics){ .fd = -1 };
	if (!wd->conf.metrics[0])
		return 0;
	if (wd_metrics_addr(wd->conf.metrics, &sa, &len, err, sizeof(err))) {
		wd_err("%s", err);
		return -EINVAL;
	}
	snprintf(m->where, sizeof(m->where), "%s", wd->conf.metrics);
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, WD_METRICS_CLIENTS) < 0)
		goto fail_close;
	m->fd = fd;
	m->open = true;
	wd_info("metrics: http://%s/metrics", m->where);
	return 0;

fail_close:
	close(fd);
fail:
	wd_err("metrics %s: %s", wd->conf.metrics, strerror(errno));
	return -errno;
}

static void drop_client(struct wd_metrics_client *c)
{
	close(c->fd);
	free(c->out);
	c->used = false;
	c->out = NULL;
}

void wd_metrics_close(struct warrend *wd)
{
	struct wd_metrics *m = &wd->metrics;

	if (!m->open)
		return;
	for (int i = 0; i < WD_METRICS_CLIENTS; i++)
		if (m->c[i].used)
			drop_client(&m->c[i]);
	close(m->fd);
	m->open = false;
}

/* ------------------------------------------------------------------ parser */

/* The line ending at or after @p, its length without CR LF, or -1 when not whole. */
static long line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	if (!nl)
		return -1;
	return (long)(nl - p) - (nl > p && nl[-1] == '\r');
}

static bool is_token(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 127 || strchr("()<>@,;:\\\"/[]?={}", s[i]))
			return false;
	return n > 0;
}

enum wd_http_verdict wd_http_parse(const char *buf, size_t len, size_t max)
{
	const char *end = buf + (len < max ? len : max), *p = buf, *sp1, *sp2;
	long n;

	/* The head ends at the first empty line (CR LF CR LF, or LF LF). */
	for (;;) {
		n = line_len(p, end);
		if (n < 0)
			return len >= max ? WD_HTTP_TOO_LONG : WD_HTTP_MORE;
		if (n == 0 && p > buf)
			break;
		if (n == 0)	/* blank lines before a request are allowed (RFC 9112 2.2) */
			buf = p + 1 + (p[0] == '\r');
		p = memchr(p, '\n', (size_t)(end - p)) + 1;
	}
	n = line_len(buf, end);
	sp1 = memchr(buf, ' ', (size_t)n);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(buf + n - sp1 - 1)) : NULL;
	if (!sp1 || !sp2 || !is_token(buf, (size_t)(sp1 - buf)) || sp2 == sp1 + 1 ||
	    buf + n - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/", 5))
		return WD_HTTP_BAD;
	if (memcmp(sp2 + 6, "1.0", 3) && memcmp(sp2 + 6, "1.1", 3))
		return WD_HTTP_VERSION;
	if ((sp1 - buf != 3 || memcmp(buf, "GET", 3)) && (sp1 - buf != 4 || memcmp(buf, "HEAD", 4)))
		return WD_HTTP_METHOD;
	/* The path alone: a query (?name[]=...) asks nothing of us. */
	n = sp2 - sp1 - 1;
	if (memchr(sp1 + 1, '?', (size_t)n))
		n = (char *)memchr(sp1 + 1, '?', (size_t)n) - sp1 - 1;
	if (n != 8 || memcmp(sp1 + 1, "/metrics", 8))
		return WD_HTTP_NOT_FOUND;
	return buf[0] == 'H' ? WD_HTTP_HEAD : WD_HTTP_OK;
}

/* ---------------------------------------------------------------- serving */

/* The answer to @v, into c->out; false when there is no memory for it. */
static bool answer(struct warrend *wd, struct wd_metrics_client *c, enum wd_http_verdict v)
{
	static const struct {
		enum wd_http_verdict v;
		const char *status, *extra, *body;
	} errors[] = {
		{ WD_HTTP_BAD, "400 Bad Request", "", "not an HTTP/1.x request\n" },
		{ WD_HTTP_NOT_FOUND, "404 Not Found", "", "the metrics are at /metrics\n" },
		{ WD_HTTP_METHOD, "405 Method Not Allowed", "Allow: GET, HEAD\r\n",
		  "GET /metrics, or HEAD\n" },
		{ WD_HTTP_TOO_LONG, "431 Request Header Fields Too Large", "",
		  "a request's head is 4096 bytes at most\n" },
		{ WD_HTTP_VERSION, "505 HTTP Version Not Supported", "", "HTTP/1.0 or HTTP/1.1\n" },
	};
	struct wd_metrics_stats *st = &wd->metrics.st;
	struct wd_prom p = { .buf = NULL };
	const char *status = "200 OK", *extra = "", *body;
	size_t body_len;
	int n;

	if (v == WD_HTTP_OK || v == WD_HTTP_HEAD) {
		wd_metrics_text(wd, &p);
		if (p.failed) {
			free(p.buf);
			return false;
		}
		body = p.buf ? p.buf : "";
		body_len = p.len;
		st->ok++;
	} else {
		size_t i = 0;

		while (errors[i].v != v)
			i++;
		status = errors[i].status;
		extra = errors[i].extra;
		body = errors[i].body;
		body_len = strlen(body);
		st->not_found += v == WD_HTTP_NOT_FOUND;
		st->bad_method += v == WD_HTTP_METHOD;
		st->too_long += v == WD_HTTP_TOO_LONG;
		st->bad_request += v == WD_HTTP_BAD || v == WD_HTTP_VERSION;
	}
	n = asprintf(&c->out, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
		     "Connection: close\r\n\r\n%.*s", status,
		     v == WD_HTTP_OK || v == WD_HTTP_HEAD ? "text/plain; version=0.0.4; charset=utf-8" :
		     "text/plain; charset=utf-8", body_len, extra,
		     v == WD_HTTP_HEAD ? 0 : (int)body_len, body);
	free(p.buf);
	if (n < 0) {
		c->out = NULL;
		return false;
	}
	c->out_len = (size_t)n;
	c->out_off = 0;
	/* The rest of a head too long or not HTTP is not waited for: closed once answered. */
	c->draining = v != WD_HTTP_TOO_LONG && v != WD_HTTP_BAD && v != WD_HTTP_VERSION;
	c->len = 0;
	return true;
}

/* One step for @c, which poll says is ready; false when it is done with. */
static bool step(struct warrend *wd, struct wd_metrics_client *c)
{
	char scratch[4096];
	ssize_t n;
	enum wd_http_verdict v;

	if (c->out && c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
		c->out_off += (size_t)n;
		if (c->out_off < c->out_len)
			return true;
		shutdown(c->fd, SHUT_WR);
		return c->draining;
	}
	if (c->out) {	/* answered: read what is left until the client closes too */
		n = recv(c->fd, scratch, sizeof(scratch), MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
		c->len = (uint16_t)(c->len + (n > 0 ? 1 : 0));
		return n > 0 && (size_t)c->len * sizeof(scratch) < DRAIN_MAX;
	}
	n = recv(c->fd, c->req + c->len, sizeof(c->req) - c->len, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	if (n == 0)
		return false;
	c->len = (uint16_t)(c->len + n);
	v = wd_http_parse(c->req, c->len, sizeof(c->req));
	if (v == WD_HTTP_MORE)
		return true;
	if (!answer(wd, c, v))
		return false;
	return step(wd, c);
}

static void accept_clients(struct warrend *wd, uint64_t now)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	struct wd_metrics *m = &wd->metrics;

	for (int k = 0; k < WD_METRICS_CLIENTS; k++) {
		int fd = accept4(m->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct wd_metrics_client *c = NULL;

		if (fd < 0)
			return;
		for (int i = 0; i < WD_METRICS_CLIENTS && !c; i++)
			if (!m->c[i].used)
				c = &m->c[i];
		if (!c) {
			m->st.refused_full++;
			if (send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				wd_debug("metrics: 503 not sent: %s", strerror(errno));
			close(fd);
			continue;
		}
		*c = (struct wd_metrics_client){ .used = true, .fd = fd,
						 .deadline_ns = now + WD_METRICS_DEADLINE_NS };
	}
}

int wd_metrics_pollfds(const struct warrend *wd, struct pollfd *pfd)
{
	const struct wd_metrics *m = &wd->metrics;
	int n = 0;

	if (!m->open)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = m->fd, .events = POLLIN };
	for (int i = 0; i < WD_METRICS_CLIENTS; i++)
		if (m->c[i].used)
			pfd[n++] = (struct pollfd){ .fd = m->c[i].fd,
				.events = m->c[i].out && m->c[i].out_off < m->c[i].out_len ?
					  POLLOUT : POLLIN };
	return n;
}

void wd_metrics_serve(struct warrend *wd, const struct pollfd *pfd, int n, uint64_t now)
{
	struct wd_metrics *m = &wd->metrics;
	int k = 1;

	if (!m->open || n < 1)
		return;
	/* The clients in the order wd_metrics_pollfds() gave them. */
	for (int i = 0; i < WD_METRICS_CLIENTS && k < n; i++) {
		struct wd_metrics_client *c = &m->c[i];

		if (!c->used)
			continue;
		if (pfd[k++].revents && !step(wd, c))
			drop_client(c);
	}
	for (int i = 0; i < WD_METRICS_CLIENTS; i++) {
		struct wd_metrics_client *c = &m->c[i];

		if (!c->used || now < c->deadline_ns)
			continue;
		/* Answered and waiting for the client to close is a normal end. */
		if (!c->out || c->out_off < c->out_len)
			m->st.cut_deadline++;
		drop_client(c);
	}
	if (pfd[0].revents)
		accept_clients(wd, now);
}
