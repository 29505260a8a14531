/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysctl.c - net.* sysctls of a named namespace, through /proc/sys/net.
 *
 * /proc/sys/net shows the namespace of the thread that opens a file under
 * it, not of the reader: the thread visits the namespace for open() only,
 * and reads or writes once it is back.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wr_control.h"

/* " in h1" or "" for the root namespace. */
static const char *in_ns(const char *netns, char *buf, size_t size)
{
	if (netns && netns[0])
		snprintf(buf, size, " in %s", netns);
	else
		buf[0] = '\0';
	return buf;
}

/* Why open() or I/O failed, in a sysctl's terms. */
static const char *hint(int err, bool writing)
{
	switch (err) {
	case ENOENT:
		return "unknown key";
	case EISDIR:
		return "a group of keys, not a key";
	case EACCES:
	case EPERM:
		return writing ? "read-only key" : NULL;
	case EINVAL:
	case ERANGE:
		return writing ? "value refused by the kernel" : NULL;
	default:
		return NULL;
	}
}

static int fail(const char *netns, const char *key, int err, bool writing)
{
	char in[WR_NETNS_NAME_MAX + 8];
	const char *h = hint(err, writing);

	if (h)
		return wr_err_set(-err, "sysctl %s%s: %s (%s)", key, in_ns(netns, in, sizeof(in)),
				  strerror(err), h);
	return wr_err_set(-err, "sysctl %s%s: %s", key, in_ns(netns, in, sizeof(in)),
			  strerror(err));
}

/* Open the file of @key inside @netns: an fd or -errno (with a message). */
static int open_key(const char *netns, const char *key, int flags)
{
	char path[sizeof("/proc/sys/") + WR_SYSCTL_KEY_MAX];
	int saved, fd, err;

	err = wr_sysctl_valid_key(key);
	if (err)
		return err;
	/* As sysctl(8): dots separate parts, a '/' is a dot inside one (eth0/10). */
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		*p = *p == '.' ? '/' : *p == '/' ? '.' : *p;
	err = wr_netns_enter(netns, &saved);
	if (err)
		return err;
	fd = open(path, flags | O_CLOEXEC);
	err = errno;
	wr_netns_leave(saved);
	if (fd < 0)
		return fail(netns, key, err, flags != O_RDONLY);
	return fd;
}

int wr_sysctl_get(const char *netns, const char *key, char *val, size_t size)
{
	ssize_t n;
	int fd, err = 0;

	if (!size)
		return wr_err_set(-EINVAL, "sysctl %s: no room for the value", key);
	fd = open_key(netns, key, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, val, size - 1);
	if (n < 0) {
		err = fail(netns, key, errno, false);
		n = 0;
	}
	val[n] = '\0';
	/* One value per line; the last newline is the file's, not the value's. */
	if (n > 0 && val[n - 1] == '\n')
		val[n - 1] = '\0';
	close(fd);
	return err;
}

int wr_sysctl_set(const char *netns, const char *key, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open_key(netns, key, O_WRONLY);
	if (fd < 0)
		return fd;
	/* proc handlers take the whole value in one write, as sysctl(8) gives it. */
	n = write(fd, val, len);
	if (n < 0)
		err = fail(netns, key, errno, true);
	else if ((size_t)n != len)
		err = wr_err_set(-EIO, "sysctl %s: short write (%zd of %zu bytes)", key, n, len);
	close(fd);
	return err;
}
