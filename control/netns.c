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

#include "netns_priv.h"
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

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The entries of @dir but . and .., in name order, into *@out (free_names).
 * A missing @dir has no entries when @missing_ok, else it is an error.
 */
static int read_names(const char *dir, bool missing_ok, char ***out, size_t *n_out)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int err = 0;
	DIR *d;

	*out = NULL;
	*n_out = 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT && missing_ok ? 0 :
		       wr_err_set(-errno, "netns: list %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				err = wr_err_set(-ENOMEM, "netns: list %s: out of memory", dir);
				goto end_free;
			}
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			err = wr_err_set(-ENOMEM, "netns: list %s: out of memory", dir);
			goto end_free;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	*n_out = n;
	return 0;
end_free:
	closedir(d);
	free_names(names, n);
	return err;
}

int wr_netns_foreach(int (*fn)(const char *name, void *arg), void *arg)
{
	char **names;
	size_t n;
	int ret;

	ret = read_names(NETNS_RUN_DIR, true, &names, &n);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = fn(names[i], arg);

		ret = r < 0 ? r : ret + 1;
	}
	free_names(names, n);
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
	char msg[256];
	struct statvfs fs;
	int saved, err;

	/*
	 * Never the root namespace: with "" the thread would stay where it is
	 * and every directory under /etc/netns would be bound over /etc.
	 */
	if (wr_valid_netns_name(name)) {
		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		return wr_err_set(-EINVAL, "netns exec: %s", msg);
	}
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

/* ------------------------------------------------ who is in which namespace */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* See netns_priv.h. */
int wr_netns_names_at(const char *run_dir, const struct stat *ns,
		      int (*fn)(const char *name, void *arg), void *arg)
{
	char path[PATH_MAX];
	struct stat st;
	char **names;
	size_t n;
	int ret;

	ret = read_names(run_dir, true, &names, &n);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r;

		snprintf(path, sizeof(path), "%s/%s", run_dir, names[i]);
		/* Removed since the listing, or not ours to see: not a match. */
		if (stat(path, &st) || !same_file(&st, ns))
			continue;
		r = fn(names[i], arg);
		ret = r < 0 ? r : ret + 1;
	}
	free_names(names, n);
	return ret;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* @s as a pid if it is one: digits only, as /proc names processes. */
static pid_t as_pid(const char *s)
{
	long v = 0;

	if (!*s || strlen(s) > 10)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v > 0 && v <= INT_MAX ? (pid_t)v : 0;
}

/* See netns_priv.h. */
int wr_netns_pids_at(const char *proc_dir, const struct stat *ns, pid_t **out, size_t *n_out)
{
	char path[PATH_MAX], **names;
	size_t n = 0, n_names;
	struct stat st;
	pid_t *pids;
	int err;

	*out = NULL;
	*n_out = 0;
	err = read_names(proc_dir, false, &names, &n_names);
	if (err)
		return err;
	pids = malloc((n_names ? n_names : 1) * sizeof(*pids));
	if (!pids) {
		free_names(names, n_names);
		return wr_err_set(-ENOMEM, "netns: list %s: out of memory", proc_dir);
	}
	for (size_t i = 0; i < n_names; i++) {
		pid_t pid = as_pid(names[i]);

		if (!pid)
			continue;
		snprintf(path, sizeof(path), "%s/%s/ns/net", proc_dir, names[i]);
		/* Gone since the listing, a zombie, or hidden from us: skipped, as ip does. */
		if (stat(path, &st) || !same_file(&st, ns))
			continue;
		pids[n++] = pid;
	}
	free_names(names, n_names);
	if (n)
		qsort(pids, n, sizeof(*pids), cmp_pid);
	*out = pids;
	*n_out = n;
	return 0;
}

int wr_netns_identify(pid_t pid, int (*fn)(const char *name, void *arg), void *arg)
{
	char path[64], proc[32];
	struct stat ns;

	if (pid < 0)
		return wr_err_set(-EINVAL, "netns identify: %d is not a process id", (int)pid);
	if (pid)
		snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	else
		snprintf(proc, sizeof(proc), "/proc/self");
	snprintf(path, sizeof(path), "%s/ns/net", proc);
	if (stat(path, &ns)) {
		int err = -errno;

		if (err == -ENOENT && access(proc, F_OK))
			return wr_err_set(-ESRCH, "netns identify: process %d: no such process",
					  (int)pid);
		if (err == -ENOENT)
			return wr_err_set(-ESRCH, "netns identify: process %d: it has no network "
					  "namespace any more (it is exiting)", (int)pid);
		return wr_err_set(err, "netns identify: process %d: %s: %s%s", (int)pid, path,
				  strerror(-err), err == -EACCES ? " (reading another process's "
				  "namespace needs the right to ptrace it)" : "");
	}
	return wr_netns_names_at(NETNS_RUN_DIR, &ns, fn, arg);
}

int wr_netns_pids(const char *name, int (*fn)(pid_t pid, void *arg), void *arg)
{
	char path[PATH_MAX], msg[256];
	struct statfs sfs;
	struct stat ns;
	pid_t *pids;
	size_t n;
	int fd, ret;

	if (netns_path(name, path, sizeof(path))) {
		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		return wr_err_set(-EINVAL, "netns pids: %s", msg);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wr_err_set(-errno, "netns %s: %s", name,
				  errno == ENOENT ? "no such namespace" : strerror(errno));
	if (fstat(fd, &ns) || fstatfs(fd, &sfs)) {
		ret = wr_err_set(-errno, "netns %s: stat %s: %s", name, path, strerror(errno));
		close(fd);
		return ret;
	}
	close(fd);
	if (sfs.f_type != NSFS_MAGIC)
		return wr_err_set(-ENOENT, "netns %s: %s is not a namespace, only a file (left by "
				  "a killed command? 'warren netns del %s' removes it)", name,
				  path, name);
	ret = wr_netns_pids_at("/proc", &ns, &pids, &n);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = fn(pids[i], arg);

		ret = r < 0 ? r : ret + 1;
	}
	free(pids);
	return ret;
}

/* Signal every process but init and us in namespace @ns; count them. */
static int signal_ns(const struct stat *ns, int sig)
{
	pid_t *pids;
	size_t n;
	int hit = 0;

	hit = wr_netns_pids_at("/proc", ns, &pids, &n);
	if (hit)
		return hit;
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 1 && pids[i] != getpid() && !kill(pids[i], sig))
			hit++;
	free(pids);
	return hit;
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
	n = signal_ns(&st, SIGTERM);
	for (int i = 0; i < 20 && n > 0 && signal_ns(&st, 0) > 0; i++)
		usleep(50 * 1000);
	if (n > 0)
		signal_ns(&st, SIGKILL);
	return n;
}
