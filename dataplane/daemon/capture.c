/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * capture.c - captures streamed to their clients (docs/capture.md).
 *
 * capture.start (api_mirror.c) opens the switch's capture; server.c then
 * hands the client's connection over here, with the reply as its first
 * bytes. Each pass of the control thread moves the frames the workers
 * put in the capture's rings into a bounded buffer (WD_CAPTURE_BUF) as
 * records (wr_api.h, struct wr_caprec) with the verdict in words, and
 * sends what the socket takes without waiting. A client that reads slowly
 * fills the buffer, then the rings, whose overflow the switch counts:
 * the workers never wait for a client. The capture ends at its count, on
 * a line from the client (the CLI's SIGINT), when its port is deleted or
 * warrend stops, with an end record saying how many frames went and how
 * many were dropped; or silently when the client goes away or takes no
 * byte for --client-idle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warrend.h"

/* A record's verdict in words into @buf. */
static int verdict_text(struct warrend *wd, const struct wr_capture_rec *r, char *buf, size_t size)
{
	const struct wd_port *p;

	switch (r->verdict) {
	case WR_CAP_TO_PORT:
		p = wd_port_by_index(wd, r->arg);
		return snprintf(buf, size, "rx: to port %s", p ? p->name : "?");
	case WR_CAP_FLOOD:
		return snprintf(buf, size, "rx: flood %u port%s", r->arg, r->arg == 1 ? "" : "s");
	case WR_CAP_DROP:
		return snprintf(buf, size, "rx: drop %s (%s)", wr_drop_name((enum wr_drop)r->arg),
				wr_drop_text((enum wr_drop)r->arg));
	default:
		return snprintf(buf, size, "tx");
	}
}

static void put(struct wd_capture *k, const void *data, size_t len)
{
	if (!len)
		return;	/* the end record has no frame (data NULL) */
	memcpy(k->buf + k->len, data, len);
	k->len += len;
}

static void put_rec(struct wd_capture *k, uint8_t type, uint8_t dir, uint64_t ts_ns,
		    uint32_t orig_len, const void *data, uint32_t cap_len, const char *text,
		    size_t text_len)
{
	struct wr_caprec h = {
		.len = (uint32_t)(sizeof(h) + cap_len + text_len), .type = type, .dir = dir,
		.comment_len = (uint16_t)text_len, .ts_ns = ts_ns, .orig_len = orig_len,
		.cap_len = cap_len,
	};

	put(k, &h, sizeof(h));
	put(k, data, cap_len);
	put(k, text, text_len);
}

struct drain {
	struct warrend *wd;
	struct wd_capture *k;
};

static bool one_frame(const struct wr_capture_rec *r, void *arg)
{
	struct drain *d = arg;
	struct wd_capture *k = d->k;
	char text[160];
	int n;

	if (WD_CAPTURE_BUF - k->len < WR_CAPREC_MAX || (k->limit && k->sent >= k->limit))
		return false;
	n = verdict_text(d->wd, r, text, sizeof(text));
	if (n < 0 || (size_t)n >= sizeof(text))
		n = (int)strlen(text);
	put_rec(k, WR_CAPREC_FRAME, r->verdict == WR_CAP_TX ? WR_TAP_TX : WR_TAP_RX, r->ts_ns,
		r->orig_len, r->data, r->cap_len, text, (size_t)n);
	k->sent++;
	return true;
}

static void end(struct warrend *wd, struct wd_capture *k, const char *why)
{
	struct drain d = { wd, k };

	if (k->ending)
		return;
	/*
	 * What the workers wrote before the end is the capture's: a stop asked
	 * a moment after the last frame would otherwise lose what the control
	 * thread had not read yet.
	 */
	wr_capture_read(wd->sw, k->id, UINT32_MAX, one_frame, &d);
	k->ending = true;
	k->why = why;
	k->dropped = wr_capture_dropped(wd->sw, k->id);
	wr_capture_close(wd->sw, k->id);
	if (k->port < WR_PORT_MAX && wd_port_by_index(wd, k->port))
		wd_port_fastpath_sync(wd, wd_port_by_index(wd, k->port));
	wd_info("capture %d: port %s: %s: %llu captured, %llu dropped", k->id, k->port_name, why,
		(unsigned long long)k->sent, (unsigned long long)k->dropped);
}

static void release(struct warrend *wd, struct wd_capture *k, const char *why)
{
	end(wd, k, why);
	if (k->fd >= 0)
		close(k->fd);
	free(k->buf);
	*k = (struct wd_capture){ .fd = -1 };
}

/* The end record, once there is room for it. */
static void queue_end(struct wd_capture *k)
{
	char text[160];
	int n;

	if (k->end_queued || WD_CAPTURE_BUF - k->len < sizeof(text) + sizeof(struct wr_caprec))
		return;
	n = snprintf(text, sizeof(text), "{\"captured\":%llu,\"dropped\":%llu,\"why\":\"%s\"}",
		     (unsigned long long)k->sent, (unsigned long long)k->dropped, k->why);
	put_rec(k, WR_CAPREC_END, 0, 0, 0, NULL, 0, text, (size_t)n);
	k->end_queued = true;
}

/* Send what the socket takes; false when the client is gone. */
static bool flush(struct wd_capture *k, uint64_t now)
{
	while (k->off < k->len) {
		ssize_t n = send(k->fd, k->buf + k->off, k->len - k->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return false;
		k->off += (size_t)n;
		k->last_ns = now;
	}
	if (k->off == k->len)
		k->off = k->len = 0;
	else if (k->off > WD_CAPTURE_BUF / 2) {
		memmove(k->buf, k->buf + k->off, k->len - k->off);
		k->len -= k->off;
		k->off = 0;
	}
	return true;
}

static void pump(struct warrend *wd, struct wd_capture *k, uint64_t now)
{
	struct drain d = { wd, k };
	uint64_t idle_ns = (uint64_t)wd->conf.client_idle_s * 1000000000u;

	if (!k->ending) {
		wr_capture_read(wd->sw, k->id, UINT32_MAX, one_frame, &d);
		if (k->limit && k->sent >= k->limit)
			end(wd, k, "count reached");
	}
	if (k->ending)
		queue_end(k);
	if (!flush(k, now)) {
		release(wd, k, "client gone");
		return;
	}
	if (k->end_queued && k->len == 0) {
		release(wd, k, k->why);
		return;
	}
	if (idle_ns && k->len && now - k->last_ns >= idle_ns)
		release(wd, k, "client took nothing for --client-idle");
}

void wd_capture_adopt(struct warrend *wd, int fd, char *reply)
{
	struct wd_capture *k = wd->cap_claim ? &wd->caps[wd->cap_claim - 1] : NULL;

	wd->cap_claim = 0;
	if (!k || fd < 0 || !reply) {
		if (k)
			release(wd, k, "no client");
		if (fd >= 0)
			close(fd);
		free(reply);
		return;
	}
	k->fd = fd;
	/* The reply line first: the client reads it before the records. */
	put(k, reply, strlen(reply));
	free(reply);
	flush(k, wd_now_ns());
}

int wd_captures_pollfds(struct warrend *wd, struct pollfd *pfd)
{
	int n = 0;

	for (int i = 0; i < WR_CAPTURE_MAX; i++) {
		struct wd_capture *k = &wd->caps[i];

		if (k->used && k->fd >= 0)
			pfd[n++] = (struct pollfd){
				.fd = k->fd, .events = (short)(POLLIN | (k->len ? POLLOUT : 0)) };
	}
	return n;
}

void wd_captures_events(struct warrend *wd, const struct pollfd *pfd, int n)
{
	uint64_t now = wd_now_ns();
	char junk[256];

	for (int j = 0; j < n; j++) {
		struct wd_capture *k = NULL;

		for (int i = 0; i < WR_CAPTURE_MAX && !k; i++)
			if (wd->caps[i].used && wd->caps[i].fd == pfd[j].fd)
				k = &wd->caps[i];
		if (!k || !(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		/* A line from the client asks the end; nothing to read is the client gone. */
		ssize_t got = recv(k->fd, junk, sizeof(junk), MSG_DONTWAIT);

		if (got > 0)
			end(wd, k, "stopped");
		else if (got == 0 || (errno != EAGAIN && errno != EINTR))
			release(wd, k, "client gone");
	}
	for (int i = 0; i < WR_CAPTURE_MAX; i++)
		if (wd->caps[i].used && wd->caps[i].fd >= 0)
			pump(wd, &wd->caps[i], now);
}

bool wd_captures_active(const struct warrend *wd)
{
	for (int i = 0; i < WR_CAPTURE_MAX; i++)
		if (wd->caps[i].used)
			return true;
	return false;
}

void wd_captures_port_gone(struct warrend *wd, uint16_t index)
{
	for (int i = 0; i < WR_CAPTURE_MAX; i++) {
		struct wd_capture *k = &wd->caps[i];

		if (k->used && k->port == index) {
			end(wd, k, "port deleted");
			k->port = WR_PORT_MAX;	/* not synced again */
			pump(wd, k, wd_now_ns());
		}
	}
}

void wd_taps_close_all(struct warrend *wd)
{
	struct wr_mirror_info mi;

	for (int i = 0; i < WR_CAPTURE_MAX; i++) {
		struct wd_capture *k = &wd->caps[i];

		if (!k->used)
			continue;
		end(wd, k, "warrend stops");
		/* One try at the end record, then gone. */
		if (k->fd >= 0) {
			queue_end(k);
			flush(k, wd_now_ns());
		}
		release(wd, k, k->why);
	}
	for (int id = 0; id < WR_MIRROR_MAX; id++)
		if (!wr_mirror_get(wd->sw, id, &mi))
			wr_mirror_del(wd->sw, id);
}
