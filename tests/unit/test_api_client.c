/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_api_client.c - the client of warrend's socket API (control/api.c)
 * against a fake server thread in a private $WARREN_RUN_DIR: requests as
 * docs/api.md frames them, results and errors as the CLI sees them, the
 * replies it must refuse, the timeout, stopping an instance, and starting
 * one that fails. No privileges, no warrend.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "fake_sock.h"
#include "wr_control.h"

static char dir[64];

/* ------------------------------------------------------------ the fake */

struct fake {
	struct fake_sock fs;
	char last[4096];	/* the last request line */
	bool big;		/* answer `ok` with a result of about 1 MB */
};

static void reply(FILE *f, struct json_object *req, const char *rest)
{
	struct json_object *id = NULL;

	json_object_object_get_ex(req, "id", &id);
	fprintf(f, "{\"v\": 1, \"id\": %s, %s}\n", json_object_to_json_string(id), rest);
}

/* Answer one request line; false to drop the connection. */
static bool answer(void *arg, FILE *f, const char *line)
{
	struct fake *fk = arg;
	struct json_object *req = json_tokener_parse(line), *cmd = NULL;
	const char *c;
	bool keep = true;

	snprintf(fk->last, sizeof(fk->last), "%s", line);
	if (!req || !json_object_object_get_ex(req, "cmd", &cmd)) {
		json_object_put(req);
		return false;
	}
	c = json_object_get_string(cmd);
	if (!strcmp(c, "hello")) {
		reply(f, req, "\"ok\": true, \"result\": {\"api\": 1, \"pid\": 0}");
	} else if (!strcmp(c, "ok") && fk->big) {
		fprintf(f, "{\"v\": 1, \"id\": %s, \"ok\": true, \"result\": {\"s\": \"",
			json_object_to_json_string(json_object_object_get(req, "id")));
		for (int i = 0; i < 1 << 20; i++)
			fputc('x', f);
		fprintf(f, "\"}}\n");
	} else if (!strcmp(c, "ok")) {
		reply(f, req, "\"ok\": true, \"result\": {\"a\": 1, \"b\": [1, \"2-3\"]}");
	} else if (!strcmp(c, "bare")) {
		reply(f, req, "\"ok\": true");
	} else if (!strcmp(c, "fail")) {
		reply(f, req, "\"ok\": false, \"error\": {\"errno\": 2, \"code\": \"ENOENT\", "
			      "\"message\": \"port p9: no such port\"}");
	} else if (!strcmp(c, "fail_bare")) {
		reply(f, req, "\"ok\": false");
	} else if (!strcmp(c, "wrong_id")) {
		fprintf(f, "{\"v\": 1, \"id\": 123456, \"ok\": true}\n");
	} else if (!strcmp(c, "garbage")) {
		fprintf(f, "this is not JSON\n");
	} else if (!strcmp(c, "array")) {
		fprintf(f, "[1, 2]\n");
	} else if (!strcmp(c, "close")) {
		keep = false;
	} else if (!strcmp(c, "slow")) {
		/* No answer: the next line read is the client hanging up. */
	} else if (!strcmp(c, "shutdown")) {
		reply(f, req, "\"ok\": true, \"result\": {}");
		fflush(f);
		unlink(fk->fs.path);
		keep = false;
	} else {
		reply(f, req, "\"ok\": false, \"error\": {\"errno\": 22, \"code\": \"EINVAL\", "
			      "\"message\": \"unknown command\"}");
	}
	fflush(f);
	json_object_put(req);
	return keep;
}

static void fake_start(struct fake *fk, const char *name)
{
	char path[sizeof(fk->fs.path)];

	memset(fk, 0, sizeof(*fk));
	snprintf(path, sizeof(path), "%s/%s.sock", dir, name);
	fake_sock_start(&fk->fs, path, answer, fk);
}

static void fake_stop(struct fake *fk)
{
	fake_sock_stop(&fk->fs);
}

/* ----------------------------------------------------------------- tests */

static void test_not_running(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char want[256];
	int fd;

	(void)state;
	assert_int_equal(wr_api_request("nope", "hello", NULL, NULL), -ENOENT);
	snprintf(want, sizeof(want), "switch 'nope' is not running (no %s/nope.sock)", dir);
	assert_string_equal(wr_err_msg(), want);
	assert_int_equal(wr_switch_running("nope"), 0);

	/* A socket file nobody listens on: left by a warrend that was killed. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/stale.sock", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(wr_api_request("stale", "hello", NULL, NULL), -ECONNREFUSED);
	assert_non_null(strstr(wr_err_msg(), "switch 'stale' is not running (nothing listens on "));
	unlink(sa.sun_path);

	assert_int_equal(wr_api_request("a/b", "hello", NULL, NULL), -EINVAL);
	assert_non_null(strstr(wr_err_msg(), "'a/b': switch name may not contain '/'"));
	assert_int_equal(wr_switch_stop("nope"), -ENOENT);
}

static void test_paths(void **state)
{
	char buf[256], want[256];

	(void)state;
	assert_string_equal(wr_api_run_dir(), dir);
	assert_int_equal(wr_switch_path("lab1", ".lab", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/lab1.lab", dir);
	assert_string_equal(buf, want);
	assert_int_equal(wr_switch_path("lab1", ".sock", buf, 10), -ENAMETOOLONG);
	assert_int_equal(wr_switch_path("", ".sock", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(wr_lab_switch_started("lab1"), 0);
}

static void test_requests(void **state)
{
	struct json_object *args, *res = NULL, *req;
	struct wr_api *api;
	struct fake fk;

	(void)state;
	fake_start(&fk, "t1");
	assert_int_equal(wr_switch_running("t1"), 1);

	/* The request line: v, id, cmd, args; the result an object of its own. */
	args = json_object_new_object();
	json_object_object_add(args, "port", json_object_new_string("p1"));
	assert_int_equal(wr_api_request("t1", "ok", args, &res), 0);
	req = json_tokener_parse(fk.last);
	assert_non_null(req);
	assert_int_equal(wr_json_int(req, "v"), 1);
	assert_true(wr_json_int(req, "id") > 0);
	assert_string_equal(wr_json_str(req, "cmd"), "ok");
	assert_string_equal(wr_json_str(wr_json_object(req, "args"), "port"), "p1");
	json_object_put(req);
	assert_int_equal(wr_json_int(res, "a"), 1);
	assert_int_equal(json_object_array_length(wr_json_array(res, "b")), 2);
	assert_string_equal(wr_json_str(res, "missing"), "");
	assert_int_equal(wr_json_int(res, "b"), 0);
	assert_false(wr_json_bool(res, "a"));
	assert_null(wr_json_object(res, "a"));
	json_object_put(res);
	/* The caller keeps its args. */
	assert_string_equal(wr_json_str(args, "port"), "p1");
	json_object_put(args);

	/* No args: no "args" key. */
	assert_int_equal(wr_api_request("t1", "ok", NULL, NULL), 0);
	assert_null(strstr(fk.last, "\"args\""));

	/* No result: an empty object. */
	assert_int_equal(wr_api_request("t1", "bare", NULL, &res), 0);
	assert_true(json_object_is_type(res, json_type_object));
	assert_int_equal(json_object_object_length(res), 0);
	json_object_put(res);

	/* Several requests on one connection, each with its own id. */
	assert_int_equal(wr_api_open("t1", &api), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(wr_api_call(api, "ok", NULL, NULL), 0);
		req = json_tokener_parse(fk.last);
		assert_int_equal(wr_json_int(req, "id"), i + 1);
		json_object_put(req);
	}
	/* A reply bigger than any buffer at first. */
	fk.big = true;
	assert_int_equal(wr_api_call(api, "ok", NULL, &res), 0);
	assert_int_equal(strlen(wr_json_str(res, "s")), 1 << 20);
	json_object_put(res);
	fk.big = false;
	assert_int_equal(wr_api_call(api, "ok", NULL, NULL), 0);
	wr_api_close(api);
	fake_stop(&fk);
}

static void test_errors(void **state)
{
	struct json_object *res = NULL;
	struct fake fk;

	(void)state;
	fake_start(&fk, "t2");
	/* The daemon's errno and message, as they are. */
	assert_int_equal(wr_api_request("t2", "fail", NULL, &res), -ENOENT);
	assert_string_equal(wr_err_msg(), "port p9: no such port");
	assert_null(res);
	assert_int_equal(wr_api_request("t2", "fail_bare", NULL, NULL), -EIO);
	assert_string_equal(wr_err_msg(), "switch 't2': fail_bare: Input/output error");
	assert_int_equal(wr_api_request("t2", "wrong_id", NULL, NULL), -EPROTO);
	assert_string_equal(wr_err_msg(), "switch 't2': wrong_id: the reply is for another request");
	assert_int_equal(wr_api_request("t2", "garbage", NULL, NULL), -EPROTO);
	assert_string_equal(wr_err_msg(), "switch 't2': garbage: the reply is not a JSON object");
	assert_int_equal(wr_api_request("t2", "array", NULL, NULL), -EPROTO);
	assert_int_equal(wr_api_request("t2", "close", NULL, NULL), -ECONNRESET);
	assert_string_equal(wr_err_msg(), "switch 't2': close: the switch closed the connection without a reply");
	fake_stop(&fk);
}

static void test_timeout(void **state)
{
	struct timespec a, b;
	struct fake fk;

	(void)state;
	fake_start(&fk, "t3");
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(wr_api_request("t3", "slow", NULL, NULL), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_string_equal(wr_err_msg(), "switch 't3': slow: no reply within 5 s");
	assert_true(b.tv_sec - a.tv_sec >= WR_API_TIMEOUT_MS / 1000 - 1);
	assert_true(b.tv_sec - a.tv_sec <= WR_API_TIMEOUT_MS / 1000 + 1);
	fake_stop(&fk);
}

static void test_stop(void **state)
{
	char mark[256];
	struct fake fk;
	FILE *f;

	(void)state;
	fake_start(&fk, "t4");
	/* A lab's mark goes with the switch. */
	snprintf(mark, sizeof(mark), "%s/t4.lab", dir);
	f = fopen(mark, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(wr_lab_switch_started("t4"), 1);
	assert_int_equal(wr_switch_stop("t4"), 0);
	assert_int_equal(access(fk.fs.path, F_OK), -1);
	assert_int_equal(wr_lab_switch_started("t4"), 0);
	assert_int_equal(wr_switch_running("t4"), 0);
	fake_stop(&fk);
}

/* A warrend that fails says why; its last line on stderr is the message. */
static void test_start_fails(void **state)
{
	char script[128];
	struct fake fk;
	FILE *f;

	(void)state;
	snprintf(script, sizeof(script), "%s/fake-warrend", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"starting $*\" >&2\necho 'warrend: --cores 99: no such CPU' >&2\nexit 2\n");
	fclose(f);
	chmod(script, 0755);
	setenv("WARREND", script, 1);
	assert_int_equal(wr_switch_start("s1", "99", 5, "--no-huge -m 512"), -ECHILD);
	assert_non_null(strstr(wr_err_msg(), "switch 's1': start "));
	/* What it was given (the EAL's arguments as one), and what it said, line after line. */
	assert_non_null(strstr(wr_err_msg(), ": starting --name s1 --daemon --cores 99 --age 5 "
			       "--dpdk --no-huge -m 512 --run-dir /tmp/wr-api-test."));
	assert_non_null(strstr(wr_err_msg(), "; warrend: --cores 99: no such CPU"));

	setenv("WARREND", "/bin/true", 1);
	assert_int_equal(wr_switch_start("s1", NULL, -1, NULL), -ECHILD);
	assert_non_null(strstr(wr_err_msg(), "said it started, but"));

	setenv("WARREND", "/nonexistent/warrend", 1);
	assert_int_equal(wr_switch_start("s1", NULL, -1, NULL), -ECHILD);
	assert_non_null(strstr(wr_err_msg(), "exec /nonexistent/warrend: No such file or directory"));

	/* One that runs already is not started again. */
	fake_start(&fk, "s2");
	assert_int_equal(wr_switch_start("s2", NULL, -1, ""), -EEXIST);
	assert_non_null(strstr(wr_err_msg(), "switch 's2': already running"));
	fake_stop(&fk);
	unsetenv("WARREND");
	unlink(script);
}

static int setup(void **state)
{
	(void)state;
	return fake_run_dir(dir, sizeof(dir), "/tmp/wr-api-test.XXXXXX");
}

/* Everything the tests made goes, also after a failure. */
static int teardown(void **state)
{
	char path[sizeof(dir) + 256];
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(dir);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_running),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_start_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
