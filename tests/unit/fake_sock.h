/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_sock.h - a unix socket that a thread of the test serves, standing
 * in for warrend's API socket (test_api_client.c, test_cli_tunnel.c).
 * Include after <cmocka.h>.
 */
#ifndef WR_FAKE_SOCK_H
#define WR_FAKE_SOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Answers one request @line on @f; false to drop the connection. */
typedef bool (*fake_answer_fn)(void *arg, FILE *f, const char *line);

struct fake_sock {
	int lfd;
	char path[100];	/* fits sun_path */
	pthread_t thread;
	fake_answer_fn answer;
	void *arg;
};

/* The thread: every connection, every line, answered until the socket is shut. */
static inline void *fake_sock_serve(void *p)
{
	struct fake_sock *fs = p;
	char *line = NULL;
	size_t cap = 0;
	int fd;

	while ((fd = accept(fs->lfd, NULL, NULL)) >= 0) {
		FILE *f = fdopen(fd, "r+");

		while (f && getline(&line, &cap, f) > 0 && fs->answer(fs->arg, f, line))
			fflush(f);
		if (f)
			fclose(f);
	}
	free(line);
	return NULL;
}

/* Listen on @path and answer in a thread: @answer(@arg, ...) for each request line. */
static inline void fake_sock_start(struct fake_sock *fs, const char *path,
				   fake_answer_fn answer, void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(fs->path, sizeof(fs->path), "%s", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", fs->path);
	fs->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fs->lfd >= 0);
	assert_int_equal(bind(fs->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fs->lfd, 8), 0);
	fs->answer = answer;
	fs->arg = arg;
	assert_int_equal(pthread_create(&fs->thread, NULL, fake_sock_serve, fs), 0);
}

/* Stop accepting, wait for the thread, remove the socket. */
static inline void fake_sock_stop(struct fake_sock *fs)
{
	shutdown(fs->lfd, SHUT_RDWR);
	close(fs->lfd);
	pthread_join(fs->thread, NULL);
	unlink(fs->path);
}

/* A new private run directory from @tmpl ("/tmp/x.XXXXXX") into @dir, as $WARREN_RUN_DIR; 0 or -1. */
static inline int fake_run_dir(char *dir, size_t size, const char *tmpl)
{
	snprintf(dir, size, "%s", tmpl);
	if (!mkdtemp(dir))
		return -1;
	return setenv("WARREN_RUN_DIR", dir, 1);
}

#endif /* WR_FAKE_SOCK_H */
