/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api.c - the client side of warrend's socket API (docs/api.md): JSON lines
 * over /run/warren/NAME.sock, one reply per request, each within
 * WR_API_TIMEOUT_MS; the request arguments of port.add and port.set; and
 * starting and stopping an instance.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "wr_control.h"

#define RUN_DIR "/run/warren"
#define REPLY_MAX (64u << 20)	/* bytes: a full FDB dump is a few MB */
#define START_TIMEOUT_MS 30000	/* warrend --daemon returns once it answers */
#define STOP_TIMEOUT_MS 5000

struct wr_api {
	int fd;
	char name[WR_SWITCH_NAME_MAX + 1];
	int64_t next_id;
	char *buf;		/* what came after the last reply line */
	size_t len, cap;
};

/* ------------------------------------------------------------------ paths */

const char *wr_api_run_dir(void)
{
	const char *dir = getenv("WARREN_RUN_DIR");

	return dir && dir[0] ? dir : RUN_DIR;
}

int wr_switch_path(const char *sw, const char *suffix, char *buf, size_t size)
{
	int n;

	if (wr_switch_valid_name(sw))
		return -EINVAL;
	n = snprintf(buf, size, "%s/%s%s", wr_api_run_dir(), sw, suffix);
	if (n < 0 || (size_t)n >= size)
		return wr_err_set(-ENAMETOOLONG, "switch '%s': %s/%s%s: path too long", sw,
				  wr_api_run_dir(), sw, suffix);
	return 0;
}

/* ------------------------------------------------------------------ time */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ connection */

int wr_api_open(const char *sw, struct wr_api **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct wr_api *api;
	int err;

	err = wr_switch_path(sw, ".sock", sa.sun_path, sizeof(sa.sun_path));
	if (err)
		return err;
	api = calloc(1, sizeof(*api));
	if (!api)
		return wr_err_set(-ENOMEM, "switch '%s': out of memory", sw);
	snprintf(api->name, sizeof(api->name), "%s", sw);
	api->next_id = 1;
	api->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (api->fd < 0) {
		err = wr_err_set(-errno, "switch '%s': socket: %s", sw, strerror(errno));
		goto end_free;
	}
	/* A unix socket connects at once or not at all: no EINPROGRESS here. */
	if (connect(api->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		if (err == -ENOENT)
			wr_err_set(err, "switch '%s' is not running (no %s)", sw, sa.sun_path);
		else if (err == -ECONNREFUSED)
			wr_err_set(err, "switch '%s' is not running (nothing listens on %s)", sw,
				   sa.sun_path);
		else if (err == -EACCES || err == -EPERM)
			wr_err_set(err, "switch '%s': connect to %s: %s (root and the group of "
				   "warrend --group may)", sw, sa.sun_path, strerror(-err));
		else if (err == -EAGAIN)
			wr_err_set(err, "switch '%s': connect to %s: too many clients waiting",
				   sw, sa.sun_path);
		else
			wr_err_set(err, "switch '%s': connect to %s: %s", sw, sa.sun_path,
				   strerror(-err));
		goto end_close;
	}
	*out = api;
	return 0;

end_close:
	close(api->fd);
end_free:
	free(api);
	return err;
}

int wr_api_take_fd(struct wr_api *api, char **rest, size_t *rest_len)
{
	int fd = api->fd;

	*rest = api->len ? api->buf : NULL;
	*rest_len = api->len;
	if (!api->len)
		free(api->buf);
	free(api);
	return fd;
}

void wr_api_close(struct wr_api *api)
{
	if (!api)
		return;
	close(api->fd);
	free(api->buf);
	free(api);
}

/*
 * Wait for @events on the socket until @deadline: 0 when ready, else
 * -ETIMEDOUT ("@late within 5 s") or -errno.
 */
static int wait_api(struct wr_api *api, const char *cmd, short events, int64_t deadline,
		    const char *late)
{
	struct pollfd p = { .fd = api->fd, .events = events };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return wr_err_set(-ETIMEDOUT, "switch '%s': %s: %s within %d s", api->name,
					  cmd, late, WR_API_TIMEOUT_MS / 1000);
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return wr_err_set(-errno, "switch '%s': %s: poll: %s", api->name, cmd,
					  strerror(errno));
	}
}

static int send_all(struct wr_api *api, const char *cmd, const char *data, size_t len,
		    int64_t deadline)
{
	size_t off = 0;
	ssize_t w;
	int err;

	while (off < len) {
		w = send(api->fd, data + off, len - off, MSG_NOSIGNAL);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return wr_err_set(-errno, "switch '%s': %s: send: %s", api->name, cmd,
					  errno == EPIPE ? "the switch closed the connection" :
					  strerror(errno));
		err = wait_api(api, cmd, POLLOUT, deadline, "the switch took no request");
		if (err)
			return err;
	}
	return 0;
}

/* One reply line into a new string (the caller frees it), without its '\n'. */
static int recv_line(struct wr_api *api, const char *cmd, int64_t deadline, char **line)
{
	char *nl;
	ssize_t r;
	int err;

	for (;;) {
		nl = api->len ? memchr(api->buf, '\n', api->len) : NULL;
		if (nl) {
			size_t n = (size_t)(nl - api->buf);

			*line = strndup(api->buf, n);
			if (!*line)
				return wr_err_set(-ENOMEM, "switch '%s': out of memory", api->name);
			api->len -= n + 1;
			memmove(api->buf, nl + 1, api->len);
			return 0;
		}
		if (api->len == REPLY_MAX)
			return wr_err_set(-EPROTO, "switch '%s': %s: reply longer than %u MiB",
					  api->name, cmd, REPLY_MAX >> 20);
		if (api->cap - api->len < 4096) {
			size_t cap = api->cap ? 2 * api->cap : 65536;
			char *b;

			if (cap > REPLY_MAX)
				cap = REPLY_MAX;
			b = realloc(api->buf, cap);
			if (!b)
				return wr_err_set(-ENOMEM, "switch '%s': out of memory", api->name);
			api->buf = b;
			api->cap = cap;
		}
		r = recv(api->fd, api->buf + api->len, api->cap - api->len, 0);
		if (r > 0) {
			api->len += (size_t)r;
			continue;
		}
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return wr_err_set(-ECONNRESET, "switch '%s': %s: the switch closed the "
					  "connection without a reply", api->name, cmd);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return wr_err_set(-errno, "switch '%s': %s: receive: %s", api->name, cmd,
					  strerror(errno));
		err = wait_api(api, cmd, POLLIN, deadline, "no reply");
		if (err)
			return err;
	}
}

/* The error object of a failed reply as -errno and its message. */
static int reply_error(struct wr_api *api, const char *cmd, struct json_object *reply)
{
	struct json_object *e = NULL, *v;
	const char *msg = NULL;
	int no = 0;

	json_object_object_get_ex(reply, "error", &e);
	if (e && json_object_object_get_ex(e, "errno", &v))
		no = json_object_get_int(v);
	if (e && json_object_object_get_ex(e, "message", &v) && json_object_is_type(v, json_type_string))
		msg = json_object_get_string(v);
	if (no <= 0)
		no = EIO;
	if (msg && msg[0])
		return wr_err_set(-no, "%s", msg);
	return wr_err_set(-no, "switch '%s': %s: %s", api->name, cmd, strerror(no));
}

int wr_api_call(struct wr_api *api, const char *cmd, struct json_object *args,
		struct json_object **result)
{
	struct json_object *req, *reply = NULL, *v;
	int64_t deadline = now_ms() + WR_API_TIMEOUT_MS, id = api->next_id++;
	char *line = NULL;
	const char *text;
	size_t len;
	int err;

	req = json_object_new_object();
	if (!req)
		return wr_err_set(-ENOMEM, "switch '%s': out of memory", api->name);
	json_object_object_add(req, "v", json_object_new_int(WR_API_VERSION));
	json_object_object_add(req, "id", json_object_new_int64(id));
	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	if (args)
		json_object_object_add(req, "args", json_object_get(args));
	text = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN, &len);
	err = send_all(api, cmd, text, len, deadline);
	if (!err)
		err = send_all(api, cmd, "\n", 1, deadline);
	if (!err)
		err = recv_line(api, cmd, deadline, &line);
	if (err)
		goto end_req;
	reply = json_tokener_parse(line);
	if (!reply || !json_object_is_type(reply, json_type_object)) {
		err = wr_err_set(-EPROTO, "switch '%s': %s: the reply is not a JSON object",
				 api->name, cmd);
		goto end_reply;
	}
	if (!json_object_object_get_ex(reply, "id", &v) || json_object_get_int64(v) != id) {
		err = wr_err_set(-EPROTO, "switch '%s': %s: the reply is for another request",
				 api->name, cmd);
		goto end_reply;
	}
	if (!json_object_object_get_ex(reply, "ok", &v) || !json_object_get_boolean(v)) {
		err = reply_error(api, cmd, reply);
		goto end_reply;
	}
	if (result) {
		if (json_object_object_get_ex(reply, "result", &v) &&
		    json_object_is_type(v, json_type_object))
			*result = json_object_get(v);
		else
			*result = json_object_new_object();
	}
end_reply:
	json_object_put(reply);
	free(line);
end_req:
	json_object_put(req);
	return err;
}

int wr_api_request(const char *sw, const char *cmd, struct json_object *args,
		   struct json_object **result)
{
	struct wr_api *api;
	int err;

	err = wr_api_open(sw, &api);
	if (err)
		return err;
	err = wr_api_call(api, cmd, args, result);
	wr_api_close(api);
	return err;
}

/* ---------------------------------------------------------------- results */

static struct json_object *member(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

const char *wr_json_str(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string);

	return v ? json_object_get_string(v) : "";
}

int64_t wr_json_int(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_int);

	return v ? json_object_get_int64(v) : 0;
}

bool wr_json_bool(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_boolean);

	return v && json_object_get_boolean(v);
}

struct json_object *wr_json_array(struct json_object *o, const char *key)
{
	return member(o, key, json_type_array);
}

struct json_object *wr_json_object(struct json_object *o, const char *key)
{
	return member(o, key, json_type_object);
}

/* ------------------------------------------------------- start and stop */

int wr_switch_running(const char *sw)
{
	char msg[512];
	int err;

	/* Asking must not lose the message of a failure being reported. */
	snprintf(msg, sizeof(msg), "%s", wr_err_msg());
	err = wr_api_request(sw, "hello", NULL, NULL);
	wr_err_set(0, "%s", msg);
	return !err;
}

void wr_find_program(const char *env_var, const char *rel, const char *fallback, char *buf,
		     size_t size)
{
	const char *env = getenv(env_var);
	char exe[PATH_MAX - 32];
	ssize_t n;
	char *slash;

	if (env && env[0]) {
		snprintf(buf, size, "%s", env);
		return;
	}
	/* build/control/warren runs build/dataplane/warrend: no install needed. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, size, "%s/%s", exe, rel);
			if (!access(buf, X_OK))
				return;
		}
	}
	snprintf(buf, size, "%s", fallback);
}

/* The warrend to run into @buf: $WARREND, the build tree's, or "warrend" for $PATH. */
static void find_warrend(char *buf, size_t size)
{
	wr_find_program("WARREND", "../dataplane/warrend", "warrend", buf, size);
}

void wr_child_signals(void)
{
	sigset_t none;

	/* The caller may hold signals (lab up); a daemon must get its SIGTERM. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* In the child: stdin and stdout to /dev/null, stderr to @err_fd, then exec. */
static void exec_warrend(const char *path, char *const argv[], int err_fd)
{
	int null;

	wr_child_signals();
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(err_fd, STDERR_FILENO);
	if (strchr(path, '/'))
		execv(path, argv);
	else
		execvp(path, argv);
	dprintf(STDERR_FILENO, "exec %s: %s%s\n", path, strerror(errno),
		errno == ENOENT ? " (build it, install it, or set WARREND to its path)" : "");
	_exit(127);
}

/*
 * Wait until @pid exits (at most until @deadline) and put in @msg what it
 * wrote on its stderr, the memfd @fd: its last lines, joined by "; ". A
 * memfd rather than a pipe: warrend's parent exits once the daemon answers,
 * and a daemon that kept the stderr it was given must neither block on a
 * full pipe nor die of SIGPIPE once nobody reads.
 */
static int collect(pid_t pid, int fd, int64_t deadline, int *status, char *msg, size_t size)
{
	char buf[512], *line, *save = NULL;
	size_t o = 0;
	ssize_t len;
	off_t end;
	int err = 0;

	while (waitpid(pid, status, WNOHANG) != pid) {
		if (now_ms() > deadline) {
			kill(pid, SIGTERM);
			waitpid(pid, status, 0);
			err = -ETIMEDOUT;
			break;
		}
		usleep(10 * 1000);
	}
	end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		end = 0;
	len = pread(fd, buf, sizeof(buf) - 1,
		    end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0);
	buf[len > 0 ? len : 0] = '\0';
	/* A line cut at its start is no line. */
	line = end > (off_t)sizeof(buf) - 1 ? strchr(buf, '\n') : buf;
	msg[0] = '\0';
	for (line = line ? strtok_r(line, "\r\n", &save) : NULL; line && o < size;
	     line = strtok_r(NULL, "\r\n", &save))
		o += (size_t)snprintf(msg + o, size - o, "%s%s", o ? "; " : "", line);
	return err;
}

int wr_switch_start(const char *sw, const char *cores, int64_t age_s, const char *dpdk_args)
{
	char path[PATH_MAX], age[24], msg[400], sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *argv[14];
	int n = 0, fd, status = 0, err;
	pid_t pid;

	err = wr_switch_path(sw, ".sock", sock, sizeof(sock));
	if (err)
		return err;
	if (wr_switch_running(sw))
		return wr_err_set(-EEXIST, "switch '%s': already running (%s answers)", sw, sock);
	find_warrend(path, sizeof(path));
	argv[n++] = path;
	argv[n++] = "--name";
	argv[n++] = (char *)sw;
	argv[n++] = "--daemon";
	if (cores && cores[0]) {
		argv[n++] = "--cores";
		argv[n++] = (char *)cores;
	}
	if (age_s >= 0) {
		snprintf(age, sizeof(age), "%lld", (long long)age_s);
		argv[n++] = "--age";
		argv[n++] = age;
	}
	if (dpdk_args && dpdk_args[0]) {
		argv[n++] = "--dpdk";
		argv[n++] = (char *)dpdk_args;
	}
	if (getenv("WARREN_RUN_DIR") && getenv("WARREN_RUN_DIR")[0]) {
		argv[n++] = "--run-dir";
		argv[n++] = (char *)wr_api_run_dir();
	}
	argv[n] = NULL;
	fd = memfd_create("warrend-stderr", MFD_CLOEXEC);
	if (fd < 0)
		return wr_err_set(-errno, "switch '%s': start: memfd: %s", sw, strerror(errno));
	pid = fork();
	if (pid < 0) {
		err = wr_err_set(-errno, "switch '%s': start: fork: %s", sw, strerror(errno));
		goto end_close;
	}
	if (pid == 0)
		exec_warrend(path, argv, fd);
	err = collect(pid, fd, now_ms() + START_TIMEOUT_MS, &status, msg, sizeof(msg));
	if (err) {
		err = wr_err_set(err, "switch '%s': start %s: no answer within %d s%s%s", sw, path,
				 START_TIMEOUT_MS / 1000, msg[0] ? ": " : "", msg);
		goto end_close;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFSIGNALED(status))
			snprintf(msg, sizeof(msg), "killed by signal %d", WTERMSIG(status));
		else if (!msg[0])
			snprintf(msg, sizeof(msg), "exit status %d", WEXITSTATUS(status));
		err = wr_err_set(-ECHILD, "switch '%s': start %s: %s", sw, path, msg);
		goto end_close;
	}
	if (!wr_switch_running(sw))
		err = wr_err_set(-ECHILD, "switch '%s': %s said it started, but %s does not answer",
				 sw, path, sock);
end_close:
	close(fd);
	return err;
}

/* 1 while process @pid runs: a zombie (its parent, init, has yet to reap it) does not. */
static int alive(pid_t pid)
{
	char path[64], buf[256], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold anything, the last ')' ends it. */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

int wr_switch_stop(const char *sw)
{
	struct json_object *hello = NULL, *v;
	char sock[PATH_MAX], mark[PATH_MAX];
	struct wr_api *api;
	int64_t deadline;
	pid_t pid = 0;
	struct stat st;
	int err;

	err = wr_switch_path(sw, ".sock", sock, sizeof(sock));
	if (!err)
		err = wr_switch_path(sw, ".lab", mark, sizeof(mark));
	if (err)
		return err;
	err = wr_api_open(sw, &api);
	if (err)
		return err;
	if (!wr_api_call(api, "hello", NULL, &hello) &&
	    json_object_object_get_ex(hello, "pid", &v))
		pid = (pid_t)json_object_get_int(v);
	json_object_put(hello);
	err = wr_api_call(api, "shutdown", NULL, NULL);
	wr_api_close(api);
	if (err)
		return err;
	/*
	 * Gone once its process is (its XDP programs are detached then, so a
	 * namespace deleted next takes nothing of it along); when its pid is
	 * not known, once its socket is.
	 */
	deadline = now_ms() + STOP_TIMEOUT_MS;
	while (pid > 0 ? alive(pid) : !stat(sock, &st)) {
		if (now_ms() > deadline)
			return wr_err_set(-ETIMEDOUT, "switch '%s': still running %d s after "
					  "shutdown (pid %d)", sw, STOP_TIMEOUT_MS / 1000, (int)pid);
		usleep(20 * 1000);
	}
	unlink(mark);
	return 0;
}
