/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_capture.h - what the CLI's unit tests share: a command line split
 * into words, a call whose stdout and stderr are kept as text, and a call
 * made in a child process, for code that might replace the process (exec).
 * Include after <cmocka.h>.
 */
#ifndef WR_CLI_CAPTURE_H
#define WR_CLI_CAPTURE_H

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAPTURE_ARGV_MAX 24

/* What a call printed. */
struct captured {
	char out[4096];
	char err[1024];
};

/* Split @line (modified) at spaces into @argv; returns argc. */
static inline int capture_split(char *line, char **argv)
{
	int argc = 0;

	for (char *t = strtok(line, " "); t && argc < CAPTURE_ARGV_MAX; t = strtok(NULL, " "))
		argv[argc++] = t;
	return argc;
}

/* Everything @f holds, from its start, as text into @buf. */
static inline void capture_read(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* @fn(@arg) with stdout and stderr going into @c; returns what @fn returns. */
static inline int capture(int (*fn)(void *arg), void *arg, struct captured *c)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int saved_out, saved_err, ret;

	assert_non_null(out);
	assert_non_null(err);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	ret = fn(arg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	capture_read(out, c->out, sizeof(c->out));
	capture_read(err, c->err, sizeof(c->err));
	return ret;
}

/* @fn(@arg) in a child process; its exit status, or -1 if it did not exit. */
static inline int in_child(int (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A pid that was a process a moment ago and is none now (a reaped child). */
static inline pid_t gone_pid(void)
{
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

#endif /* WR_CLI_CAPTURE_H */
