/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_run.c - a namespace's `run`: each command through /bin/sh -c inside
 * the namespace (as `warren netns exec`: its /sys, its /etc/netns files),
 * in the lab file's folder, one after the other, when `up` made the
 * namespace: a second `up` runs nothing again. A command must end within
 * RUN_TIMEOUT_S, its output kept for the message if it fails; one that
 * starts a daemon puts it in the background, and `down` ends every process
 * left in the lab's namespaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab_priv.h"

#define RUN_TIMEOUT_S	30
#define RUN_SHOW	160	/* bytes of a command or of its output in a message */

/* The child: never returns. @out takes its output; @dir is where it runs. */
static void child(const char *netns, const char *cmd, const char *dir, int out)
{
	char *const argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);	/* its own group: a timeout ends what it started too */
	wr_child_signals();	/* not up's held SIGTERM: down ends its daemons with one */
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	if (chdir(dir))
		dprintf(2, "warren: run: cd %s: %s\n", dir, strerror(errno));
	setenv("WARREN_NETNS", netns, 1);
	wr_netns_exec(netns, argv);
	dprintf(2, "warren: run: %s\n", wr_err_msg());
	_exit(127);
}

/* The last line of what the command wrote to @out, into @buf. */
static void last_line(int out, char *buf, size_t size)
{
	char tail[1024];
	off_t end = lseek(out, 0, SEEK_END);
	off_t from = end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 : 0;
	ssize_t n = pread(out, tail, sizeof(tail) - 1, from);
	char *line;

	buf[0] = '\0';
	if (n <= 0)
		return;
	tail[n] = '\0';
	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
		tail[--n] = '\0';
	line = strrchr(tail, '\n');
	snprintf(buf, size, "%.*s", RUN_SHOW, line ? line + 1 : tail);
}

/* Wait for @pid until @deadline (CLOCK_MONOTONIC seconds): 0 and *@status, or -ETIMEDOUT. */
static int wait_until(pid_t pid, time_t deadline, int *status)
{
	struct timespec now, nap = { 0, 10 * 1000 * 1000 };

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec >= deadline)
			return -ETIMEDOUT;
		nanosleep(&nap, NULL);
	}
}

static int run_one(const struct wr_lab *lab, const struct wr_lab_ns *ns, size_t k, const char *dir)
{
	const struct wr_lab_cmd *c = &ns->run[k];
	char what[sizeof(lab->file) + sizeof(ns->name) + RUN_SHOW + 64], said[RUN_SHOW + 1];
	int out = memfd_create("warren-run", MFD_CLOEXEC), status = 0, err;
	struct timespec now;
	pid_t pid;

	snprintf(what, sizeof(what), "%s:%u:%u: namespace %s: run '%.*s%s'", lab->file,
		 c->pos.line, c->pos.col, ns->name, RUN_SHOW, c->cmd,
		 strlen(c->cmd) > RUN_SHOW ? "..." : "");
	if (out < 0)
		return wr_err_set(-errno, "%s: %s", what, strerror(errno));
	fflush(NULL);	/* the child must not write our buffers again */
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(out);
		return wr_err_set(err, "%s: fork: %s", what, strerror(-err));
	}
	if (pid == 0)
		child(ns->full, c->cmd, dir, out);
	clock_gettime(CLOCK_MONOTONIC, &now);
	err = wait_until(pid, now.tv_sec + RUN_TIMEOUT_S, &status);
	if (err == -ETIMEDOUT) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(out);
		return wr_err_set(-ETIMEDOUT, "%s: still running after %d s (a daemon goes to the "
				  "background: end the command with &)", what, RUN_TIMEOUT_S);
	}
	last_line(out, said, sizeof(said));
	close(out);
	if (err)
		return wr_err_set(err, "%s: wait: %s", what, strerror(-err));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return wr_err_set(-ECANCELED, "%s: killed by signal %d%s%s", what, WTERMSIG(status),
				  said[0] ? ": " : "", said);
	return wr_err_set(-ECANCELED, "%s: exit status %d%s%s", what, WEXITSTATUS(status),
			  said[0] ? ": " : "", said);
}

int wr_lab_run(const struct wr_lab *lab, const bool *made)
{
	char path[PATH_MAX], *dir;
	int err;

	snprintf(path, sizeof(path), "%s", lab->file);
	dir = dirname(path);
	for (size_t i = 0; i < lab->n_ns; i++) {
		if (!made[i])
			continue;
		for (size_t k = 0; k < lab->ns[i].n_run; k++) {
			err = run_one(lab, &lab->ns[i], k, dir);
			if (err)
				return err;
		}
	}
	return 0;
}
