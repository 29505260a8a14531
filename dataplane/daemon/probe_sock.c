/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_sock.c - the sockets of the hops' health probes (probe.c): each
 * made inside the probe's namespace (setns there, socket(), setns back: a
 * socket stays in the namespace it was made in) and non-blocking, so that
 * the control thread only ever polls it. A ping is an ICMP or ICMPv6 echo
 * on a datagram ICMP socket (as ping(8) makes it), or on a raw one where
 * the namespace's net.ipv4.ping_group_range leaves root out (a new
 * namespace's default); a tcp probe is a connect. The unit tests bring
 * their own (tests/unit/test_probe.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "warrend.h"

/* A socket made in @netns; -errno with @err (a namespace gone says so). */
static int socket_in(const char *netns, int domain, int type, int proto, char *err, size_t errlen)
{
	int saved, fd, e;

	e = wr_netns_enter(netns, &saved);
	if (e < 0) {
		snprintf(err, errlen, "namespace %s: %s", netns,
			 e == -ENOENT ? "gone" : wr_err_msg());
		return e;
	}
	fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	e = fd < 0 ? -errno : 0;
	wr_netns_leave(saved);
	if (fd < 0)
		snprintf(err, errlen, "namespace %s: socket: %s", netns, strerror(-e));
	return fd < 0 ? e : fd;
}

static void sockaddr_of(const struct wd_probe_conf *c, uint16_t port, struct sockaddr_storage *sa,
			socklen_t *len)
{
	memset(sa, 0, sizeof(*sa));
	if (c->ipv6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, c->ip, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, c->ip, 4);
		*len = sizeof(*s4);
	}
}

static uint16_t csum(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

/* The echo: type, code, checksum, ident, seq, then 8 bytes of payload. */
static int ping_send(const struct wd_probe_conf *c, uint16_t ident, uint16_t seq, char *err,
		     size_t errlen)
{
	int domain = c->ipv6 ? AF_INET6 : AF_INET, proto = c->ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	uint8_t m[16] = { c->ipv6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO, 0 };
	struct sockaddr_storage sa;
	socklen_t len;
	int fd;

	fd = socket_in(c->netns, domain, SOCK_DGRAM, proto, err, errlen);
	/* A namespace's ping_group_range (default "1 0") leaves everyone out: raw, as root. */
	if (fd == -EACCES || fd == -EPERM)
		fd = socket_in(c->netns, domain, SOCK_RAW, proto, err, errlen);
	if (fd < 0)
		return fd;
	m[4] = (uint8_t)(ident >> 8);
	m[5] = (uint8_t)ident;
	m[6] = (uint8_t)(seq >> 8);
	m[7] = (uint8_t)seq;
	memcpy(m + 8, "warren\0", 8);
	if (!c->ipv6) {
		uint16_t k = csum(m, sizeof(m));

		memcpy(m + 2, &k, 2);	/* ICMPv6's the kernel makes */
	}
	sockaddr_of(c, 0, &sa, &len);
	/* Connected: the socket hears only the target. */
	if (connect(fd, (struct sockaddr *)&sa, len) || send(fd, m, sizeof(m), 0) < 0) {
		int e = -errno;

		snprintf(err, errlen, "echo: %s", strerror(-e));
		close(fd);
		return e;
	}
	return fd;
}

static int tcp_send(const struct wd_probe_conf *c, char *err, size_t errlen)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int fd = socket_in(c->netns, c->ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0, err, errlen);

	if (fd < 0)
		return fd;
	sockaddr_of(c, c->port, &sa, &len);
	if (connect(fd, (struct sockaddr *)&sa, len) && errno != EINPROGRESS) {
		int e = -errno;

		snprintf(err, errlen, "connect: %s", strerror(-e));
		close(fd);
		return e;
	}
	return fd;
}

int wd_probe_send(const struct wd_probe_conf *c, uint16_t ident, uint16_t seq, char *err,
		  size_t errlen)
{
	return c->kind == WR_PROBE_TCP ? tcp_send(c, err, errlen) :
	       ping_send(c, ident, seq, err, errlen);
}

/* Echo replies waiting on @fd: 1 when ours came, 0 not yet; -errno (an ICMP error) with @err. */
static int ping_recv(const struct wd_probe_conf *c, int fd, uint16_t ident, uint16_t seq,
		     char *err, size_t errlen)
{
	uint8_t b[1500];

	/* A few at most per pass: a raw socket hears every echo reply of the namespace. */
	for (int i = 0; i < 16; i++) {
		ssize_t n = recv(fd, b, sizeof(b), 0);
		const uint8_t *m = b;
		bool raw4;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			int e = -errno;

			/* An ICMP error for the echo (unreachable, say). */
			snprintf(err, errlen, "echo: %s", strerror(-e));
			return e;
		}
		/* A raw IPv4 socket gives the IP header too; datagram and ICMPv6 ones do not. */
		raw4 = !c->ipv6 && n >= 20 && (b[0] >> 4) == 4;
		if (raw4) {
			m = b + (b[0] & 0xf) * 4;
			n -= m - b;
		}
		if (n < 8 || m[0] != (c->ipv6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) ||
		    (uint16_t)(m[6] << 8 | m[7]) != seq)
			continue;
		/* A datagram socket's ident is the kernel's, and only its replies come to it. */
		if (raw4 || c->ipv6) {
			int type = 0;
			socklen_t tl = sizeof(type);

			if (!getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) && type == SOCK_RAW &&
			    (uint16_t)(m[4] << 8 | m[5]) != ident)
				continue;
		}
		return 1;
	}
	return 0;
}

int wd_probe_recv(const struct wd_probe_conf *c, int fd, uint16_t ident, uint16_t seq,
		  short revents, char *err, size_t errlen)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (c->kind != WR_PROBE_TCP)
		return revents ? ping_recv(c, fd, ident, seq, err, errlen) : 0;
	if (!revents)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len))
		e = errno;
	if (!e)
		return 1;
	snprintf(err, errlen, "connect: %s", strerror(e));
	return -e;
}
