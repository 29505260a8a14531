/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns.c - named network namespaces, the iproute2 way: a namespace is kept
 * alive by a bind mount of its nsfs file on /run/netns/NAME, so `ip netns`
 * and warren see each other's namespaces.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "wr_control.h"

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_ETC_DIR "/etc/netns"
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

static bool is_root(const char *name)
{
	return !name || !name[0];
}

static int netns_path(const char *name, char *buf, size_t size)
{
	if (wr_valid_netns_name(name))
		return -EINVAL;
	snprintf(buf, size, NETNS_RUN_DIR "/%s", name);
	return 0;
}

/*
 * /run/netns must be a shared mount so that namespaces mounted later are seen
 * by mount namespaces made earlier (ip netns exec's). Same recipe as iproute2:
 * make it shared; if it is not a mount point yet, bind it on itself first.
 */
static int prepare_run_dir(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return wr_err_set(-errno, "netns: mkdir " NETNS_RUN_DIR ": %s", strerror(errno));
	if (!mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	if (errno != EINVAL)
		return wr_err_set(-errno, "netns: mount --make-shared " NETNS_RUN_DIR ": %s",
				  strerror(errno));
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL))
		return wr_err_set(-errno, "netns: mount --bind " NETNS_RUN_DIR ": %s",
				  strerror(errno));
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return wr_err_set(-errno, "netns: mount --make-shared " NETNS_RUN_DIR ": %s",
				  strerror(errno));
	return 0;
}

/* Bind @src (an nsfs file) on a new /run/netns/@name; undo on failure. */
static int mount_ns(const char *name, const char *src)
{
	char path[PATH_MAX];
	int fd, err;

	err = netns_path(name, path, sizeof(path));
	if (err)
		return wr_err_set(err, "netns %s: invalid name", name);
	err = prepare_run_dir();
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
	if (fd < 0 && errno == EEXIST && !wr_netns_exists(name))
		return wr_err_set(-EEXIST, "netns %s: create %s: a file that is not a namespace is "
				  "in the way (left by a killed command? 'warren netns del %s' "
				  "removes it)", name, path, name);
	if (fd < 0) {
		err = -errno;
		return wr_err_set(err, "netns %s: create %s: %s", name, path,
				  err == -EEXIST ? "namespace already exists" : strerror(-err));
	}
	close(fd);
	if (mount(src, path, "none", MS_BIND, NULL)) {
		err = -errno;
		unlink(path);
		return wr_err_set(err, "netns %s: bind %s: %s", name, src, strerror(-err));
	}
	return 0;
}

int wr_netns_add(const char *name)
{
	int saved, err;

	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		return wr_err_set(-errno, "netns %s: open own namespace: %s", name, strerror(errno));
	if (unshare(CLONE_NEWNET)) {
		err = wr_err_set(-errno, "netns %s: unshare: %s", name, strerror(errno));
		goto end_close;
	}
	err = mount_ns(name, "/proc/thread-self/ns/net");
	if (setns(saved, CLONE_NEWNET) && !err)
		err = wr_err_set(-errno, "netns %s: return to own namespace: %s", name,
				 strerror(errno));
end_close:
	close(saved);
	return err;
}

int wr_netns_attach(const char *name, pid_t pid)
{
	char src[64];
	struct stat st;

	snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
	if (stat(src, &st))
		return wr_err_set(-errno, "netns %s: process %d: %s", name, (int)pid,
				  errno == ENOENT ? "no such process" : strerror(errno));
	return mount_ns(name, src);
}

int wr_netns_del(const char *name)
{
	char path[PATH_MAX];
	int err;

	err = netns_path(name, path, sizeof(path));
	if (err)
		return wr_err_set(err, "netns %s: invalid name", name);
	/* Lazy detach, as iproute2: processes inside keep it alive, not us. */
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return wr_err_set(-errno, "netns %s: umount: %s", name, strerror(errno));
	if (unlink(path)) {
		err = -errno;
		return wr_err_set(err, "netns %s: remove %s: %s", name, path,
				  err == -ENOENT ? "no such namespace" : strerror(-err));
	}
	return 0;
}

int wr_netns_exists(const char *name)
{
	char path[PATH_MAX];
	struct statfs sfs;

	if (is_root(name))
		return 1;
	if (netns_path(name, path, sizeof(path)))
		return 0;
	return !statfs(path, &sfs) && sfs.f_type == NSFS_MAGIC;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int wr_netns_foreach(int (*fn)(const char *name, void *arg), void *arg)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int ret = 0;
	DIR *dir;

	dir = opendir(NETNS_RUN_DIR);
	if (!dir)
		return errno == ENOENT ? 0 :
		       wr_err_set(-errno, "netns: list " NETNS_RUN_DIR ": %s", strerror(errno));
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				ret = wr_err_set(-ENOMEM, "netns: list: out of memory");
				goto end_free;
			}
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			ret = wr_err_set(-ENOMEM, "netns: list: out of memory");
			goto end_free;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = fn(names[i], arg);

		ret = r < 0 ? r : ret + 1;
	}
end_free:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return ret;
}

int wr_netns_open(const char *name)
{
	static int root_fd = -1;
	char path[PATH_MAX];
	int fd;

	if (is_root(name)) {
		/* The namespace warren started in, whatever the thread visits later. */
		if (root_fd < 0)
			root_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (root_fd < 0)
			return wr_err_set(-errno, "netns: open own namespace: %s", strerror(errno));
		fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? wr_err_set(-errno, "netns: dup: %s", strerror(errno)) : fd;
	}
	if (netns_path(name, path, sizeof(path)))
		return wr_err_set(-EINVAL, "netns %s: invalid name", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wr_err_set(-errno, "netns %s: %s", name,
				  errno == ENOENT ? "no such namespace" : strerror(errno));
	return fd;
}

int wr_netns_enter(const char *name, int *saved)
{
	int fd, err = 0;

	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return wr_err_set(-errno, "netns: open own namespace: %s", strerror(errno));
	fd = wr_netns_open(name);
	if (fd < 0) {
		err = fd;
		goto end_saved;
	}
	if (setns(fd, CLONE_NEWNET))
		err = wr_err_set(-errno, "netns %s: enter: %s", is_root(name) ? "(root)" : name,
				 strerror(errno));
	close(fd);
	if (!err)
		return 0;
end_saved:
	close(*saved);
	*saved = -1;
	return err;
}

void wr_netns_leave(int saved)
{
	if (saved < 0)
		return;
	/* Cannot fail for a namespace we were in, short of the kernel losing it. */
	if (setns(saved, CLONE_NEWNET))
		abort();
	close(saved);
}

/* Bind every /etc/netns/@name/<file> over /etc/<file>, as ip netns exec. */
static int bind_etc(const char *name)
{
	char dir[PATH_MAX], src[PATH_MAX + 256], dst[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), NETNS_ETC_DIR "/%s", name);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL))
			fprintf(stderr, "warren: netns %s: bind %s on %s: %s\n", name, src, dst,
				strerror(errno));
	}
	closedir(d);
	return 0;
}

int wr_netns_exec(const char *name, char *const argv[])
{
	unsigned long flags = 0;
	struct statvfs fs;
	int saved, err;

	err = wr_netns_enter(name, &saved);
	if (err)
		return err;
	close(saved);
	if (unshare(CLONE_NEWNS))
		return wr_err_set(-errno, "netns %s: unshare mounts: %s", name, strerror(errno));
	/* Our mounts stay ours: do not let /sys and /etc binds leak back. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return wr_err_set(-errno, "netns %s: mount --make-rslave /: %s", name,
				  strerror(errno));
	/* A fresh sysfs shows this namespace's devices in /sys/class/net. */
	if (!statvfs("/sys", &fs) && (fs.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) == 0 &&
	    mount(name, "/sys", "sysfs", flags, NULL))
		return wr_err_set(-errno, "netns %s: mount /sys: %s", name, strerror(errno));
	bind_etc(name);
	execvp(argv[0], argv);
	return wr_err_set(-errno, "netns %s: exec %s: %s", name, argv[0], strerror(errno));
}

/* Signal every process whose network namespace is @ino; count them. */
static int signal_ns(dev_t dev, ino_t ino, int sig)
{
	char path[64];
	struct dirent *de;
	struct stat st;
	int n = 0;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((de = readdir(proc))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) || st.st_dev != dev || st.st_ino != ino)
			continue;
		if (!kill((pid_t)pid, sig))
			n++;
	}
	closedir(proc);
	return n;
}

int wr_netns_kill(const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int n;

	if (netns_path(name, path, sizeof(path)))
		return wr_err_set(-EINVAL, "netns %s: invalid name", name);
	if (stat(path, &st))
		return wr_err_set(-errno, "netns %s: %s", name, strerror(errno));
	n = signal_ns(st.st_dev, st.st_ino, SIGTERM);
	for (int i = 0; i < 20 && n > 0 && signal_ns(st.st_dev, st.st_ino, 0) > 0; i++)
		usleep(50 * 1000);
	if (n > 0)
		signal_ns(st.st_dev, st.st_ino, SIGKILL);
	return n;
}
