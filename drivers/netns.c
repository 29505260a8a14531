/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns.c - run a function inside a named network namespace (see
 * wr_drivers.h): setns(CLONE_NEWNET) on the calling thread there and back.
 * drivers/ does not use control/'s namespace code: that one comes with
 * libnl and the lab; this is the one thing a backend needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wr_drivers.h"


#define NETNS_RUN_DIR	"/run/netns"

int wr_netns_fd(const char *netns, char *err, size_t errlen)
{
	char path[sizeof(NETNS_RUN_DIR) + 256];
	int fd;

	if (strchr(netns, '/') || !strcmp(netns, ".") || !strcmp(netns, "..") ||
	    strlen(netns) > 255) {
		snprintf(err, errlen, "netns %s: invalid name", netns);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		snprintf(err, errlen, "netns %s: open %s: %s", netns, path,
			 errno == ENOENT ? "no such namespace" : strerror(errno));
	}
	return fd;
}

int wr_netns_run_fd(int netns_fd, const char *netns, int (*fn)(void *), void *arg, char *err,
		    size_t errlen)
{
	int saved, ret;

	if (netns_fd < 0)
		return fn(arg);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		ret = -errno;
		snprintf(err, errlen, "netns %s: open own namespace: %s", netns, strerror(errno));
		return ret;
	}
	if (setns(netns_fd, CLONE_NEWNET)) {
		ret = -errno;
		snprintf(err, errlen, "netns %s: enter: %s", netns,
			 errno == EINVAL ? "not a network namespace" : strerror(errno));
		goto end;
	}
	ret = fn(arg);
	/* Cannot fail for a namespace the thread was in; staying elsewhere would be worse. */
	if (setns(saved, CLONE_NEWNET))
		abort();
end:
	close(saved);
	return ret;
}

int wr_netns_run(const char *netns, int (*fn)(void *), void *arg, char *err, size_t errlen)
{
	int fd, ret;

	if (!netns || !netns[0])
		return fn(arg);
	fd = wr_netns_fd(netns, err, errlen);
	if (fd < 0)
		return fd;
	ret = wr_netns_run_fd(fd, netns, fn, arg, err, errlen);
	close(fd);
	return ret;
}
