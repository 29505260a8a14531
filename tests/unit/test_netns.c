/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_netns.c - `netns identify` and `netns pids` without privileges: the
 * scans run on made-up trees, where hard links stand for bind mounts of one
 * namespace (same device and inode); the commands' arguments, errors and
 * JSON; and names that `netns exec` must refuse before it does anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli.h"
#include "cli_capture.h"
#include "netns_priv.h"
#include "wr_control.h"

/* ------------------------------------------------------------ the trees */

static char top[64];		/* this test's directory */
static struct stat ns_st;	/* top/ns: "the namespace" */

/* top/@fmt... as a path into @buf. */
static const char *at(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *at(char *buf, const char *fmt, ...)
{
	char rel[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(buf, PATH_MAX, "%s/%s", top, rel);
	return buf;
}

static void mkdir_at(const char *rel)
{
	char p[PATH_MAX];

	assert_int_equal(mkdir(at(p, "%s", rel), 0755), 0);
}

static void file_at(const char *rel)
{
	char p[PATH_MAX];
	int fd = open(at(p, "%s", rel), O_CREAT | O_EXCL | O_WRONLY, 0644);

	assert_true(fd >= 0);
	close(fd);
}

/* top/@rel becomes another name of top/ns. */
static void ns_link_at(const char *rel)
{
	char p[PATH_MAX], ns[PATH_MAX];

	assert_int_equal(link(at(ns, "ns"), at(p, "%s", rel)), 0);
}

/* A process directory top/proc/@pid, its ns/net a name of top/ns or not. */
static void proc_at(const char *pid, bool in_ns)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "proc/%s", pid);
	mkdir_at(rel);
	snprintf(rel, sizeof(rel), "proc/%s/ns", pid);
	mkdir_at(rel);
	snprintf(rel, sizeof(rel), "proc/%s/ns/net", pid);
	if (in_ns)
		ns_link_at(rel);
	else
		file_at(rel);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	char p[PATH_MAX];

	(void)state;
	snprintf(top, sizeof(top), "/tmp/wr-test-netns.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	file_at("ns");
	return stat(at(p, "ns"), &ns_st);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* What a scan handed its callback, as "a b c". */
struct seen {
	char list[512];
	int n;
};

static int see_name(const char *name, void *arg)
{
	struct seen *s = arg;
	size_t o = strlen(s->list);

	snprintf(s->list + o, sizeof(s->list) - o, "%s%s", s->n++ ? " " : "", name);
	return 0;
}

static int see_pid(pid_t pid, void *arg)
{
	char b[16];

	snprintf(b, sizeof(b), "%d", (int)pid);
	return see_name(b, arg);
}

/* ------------------------------------------------------------- identify */

/* Every name of the namespace, in name order; other entries are no match. */
static void test_names_at(void **state)
{
	struct seen s = { "", 0 };
	char p[PATH_MAX], run[PATH_MAX];

	(void)state;
	mkdir_at("run");
	ns_link_at("run/zeta");
	file_at("run/other");		/* a file left by a killed command */
	ns_link_at("run/alpha");
	assert_int_equal(symlink("/nonexistent", at(p, "run/dangling")), 0);
	mkdir_at("run/dir");
	ns_link_at("run/mid");
	assert_int_equal(wr_netns_names_at(at(run, "run"), &ns_st, see_name, &s), 3);
	assert_string_equal(s.list, "alpha mid zeta");
	assert_int_equal(s.n, 3);
}

/* No /run/netns yet: no name, no failure (as ip). */
static void test_names_at_no_dir(void **state)
{
	struct seen s = { "", 0 };
	char run[PATH_MAX];

	(void)state;
	assert_int_equal(wr_netns_names_at(at(run, "none"), &ns_st, see_name, &s), 0);
	assert_int_equal(s.n, 0);
}

static int stop_at_first(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	return -EINTR;
}

/* A callback's failure ends the scan and is what it returns. */
static void test_names_at_stops(void **state)
{
	char run[PATH_MAX];

	(void)state;
	mkdir_at("run");
	ns_link_at("run/a");
	ns_link_at("run/b");
	assert_int_equal(wr_netns_names_at(at(run, "run"), &ns_st, stop_at_first, NULL), -EINTR);
}

static void test_identify_gone(void **state)
{
	struct seen s = { "", 0 };
	pid_t pid = gone_pid();
	char want[64];

	(void)state;
	assert_int_equal(wr_netns_identify(pid, see_name, &s), -ESRCH);
	snprintf(want, sizeof(want), "netns identify: process %d: no such process", (int)pid);
	assert_string_equal(wr_err_msg(), want);
	assert_int_equal(s.n, 0);
}

/* No PID is the caller itself. */
static void test_identify_self(void **state)
{
	struct seen self = { "", 0 }, own = { "", 0 };
	int n;

	(void)state;
	n = wr_netns_identify(0, see_name, &self);
	assert_true(n >= 0);
	assert_int_equal(wr_netns_identify(getpid(), see_name, &own), n);
	assert_string_equal(self.list, own.list);
	assert_int_equal(wr_netns_identify(-1, see_name, &self), -EINVAL);
}

/* ----------------------------------------------------------------- pids */

/*
 * Processes in the namespace in numeric order (4 before 12 before 300, not
 * as text); what is not a pid, a process in another namespace and one
 * that vanished (no ns/net left) are skipped.
 */
static void test_pids_at(void **state)
{
	struct seen s = { "", 0 };
	char p[PATH_MAX], proc[PATH_MAX];
	pid_t *pids;
	size_t n;

	(void)state;
	mkdir_at("proc");
	proc_at("300", true);
	proc_at("12", true);
	proc_at("9", false);
	proc_at("4", true);
	mkdir_at("proc/77");			/* gone: its directory empty */
	proc_at("abc", true);
	proc_at("0", true);
	proc_at("99999999999", true);		/* more than a pid can be */
	proc_at("2147483648", true);
	assert_int_equal(symlink("12", at(p, "proc/self")), 0);
	file_at("proc/uptime");
	assert_int_equal(wr_netns_pids_at(at(proc, "proc"), &ns_st, &pids, &n), 0);
	for (size_t i = 0; i < n; i++)
		see_pid(pids[i], &s);
	free(pids);
	assert_string_equal(s.list, "4 12 300");
}

static void test_pids_at_none(void **state)
{
	char proc[PATH_MAX];
	pid_t *pids;
	size_t n;

	(void)state;
	mkdir_at("proc");
	proc_at("5", false);
	assert_int_equal(wr_netns_pids_at(at(proc, "proc"), &ns_st, &pids, &n), 0);
	assert_int_equal(n, 0);
	free(pids);
	assert_int_equal(wr_netns_pids_at(at(proc, "none"), &ns_st, &pids, &n), -ENOENT);
	assert_non_null(strstr(wr_err_msg(), "none: No such file or directory"));
}

static void test_pids_names(void **state)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "../etc", "x y" };
	struct seen s = { "", 0 };
	char name[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(wr_netns_pids(bad[i], see_pid, &s), -EINVAL);
		assert_non_null(strstr(wr_err_msg(), "netns pids: "));
	}
	snprintf(name, sizeof(name), "wr%d-unit-none", (int)getpid());
	assert_int_equal(wr_netns_pids(name, see_pid, &s), -ENOENT);
	assert_non_null(strstr(wr_err_msg(), "no such namespace"));
	assert_int_equal(s.n, 0);
}

/* ----------------------------------------------------------------- exec */

static const char *exec_name;

/* 0 if exec refused exec_name as it should; 3 if it ran the command. */
static int try_exec(void *arg)
{
	char *argv[] = { "sh", "-c", "exit 3", NULL };
	int err;

	(void)arg;
	err = wr_netns_exec(exec_name, argv);
	return err == -EINVAL && !strncmp(wr_err_msg(), "netns exec: ", 12) ? 0 : 1;
}

/* Refused before anything is done: "" is no way into the root namespace. */
static void test_exec_bad_names(void **state)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "../../etc", "x y" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		exec_name = bad[i];
		if (in_child(try_exec, NULL))
			fail_msg("netns exec '%s' was not refused", bad[i]);
	}
}

/* ------------------------------------------------------------------ CLI */

/* One command line of `warren [-j] [-n NETNS] netns CMD ...`. */
struct line {
	const char *netns;
	bool json;
	int argc;
	char **argv;
};

static int run_line(void *arg)
{
	const struct line *l = arg;
	struct wr_ctx ctx = { .json = l->json, .netns = l->netns, .switch_name = "warren" };
	const struct wr_cmd *c;

	for (c = wr_netns_cmds; c->name && strcmp(c->name, l->argv[0]); c++)
		;
	assert_non_null(c->name);
	ctx.cmd = c;
	wr_cli_print_start(&ctx);
	return c->run(&ctx, l->argc - 1, l->argv + 1);
}

/* `warren [-j] [-n NETNS] netns TEXT`: its exit status, what it printed in @c. */
static int cli(bool json, const char *netns, const char *text, struct captured *c)
{
	char buf[256], *argv[CAPTURE_ARGV_MAX];
	struct line l = { netns, json, 0, argv };

	snprintf(buf, sizeof(buf), "%s", text);
	l.argc = capture_split(buf, argv);
	return capture(run_line, &l, c);
}

static void test_cli_identify_usage(void **state)
{
	struct captured c;

	(void)state;
	assert_int_equal(cli(false, NULL, "identify abc", &c), WR_EXIT_USAGE);
	assert_non_null(strstr(c.err, "warren netns identify: PID: 'abc' is not a number from 1 "
				      "to 4194304"));
	assert_int_equal(cli(false, NULL, "identify 0", &c), WR_EXIT_USAGE);
	assert_int_equal(cli(false, NULL, "identify 4194305", &c), WR_EXIT_USAGE);
	assert_int_equal(cli(false, NULL, "identify -5", &c), WR_EXIT_USAGE);
	assert_int_equal(cli(false, NULL, "identify 1 2", &c), WR_EXIT_USAGE);
	assert_non_null(strstr(c.err, "expected at most one PID"));
	assert_string_equal(c.out, "");
}

/* JSON: an array of {"name": string}; the text has one line per name. */
static void test_cli_identify_json(void **state)
{
	struct json_object *doc, *e, *v;
	struct captured c;
	size_t n, lines = 0;
	char line[64];

	(void)state;
	snprintf(line, sizeof(line), "identify %d", (int)getpid());
	assert_int_equal(cli(true, NULL, line, &c), WR_EXIT_OK);
	doc = json_tokener_parse(c.out);
	assert_non_null(doc);
	assert_true(json_object_is_type(doc, json_type_array));
	n = json_object_array_length(doc);
	for (size_t i = 0; i < n; i++) {
		e = json_object_array_get_idx(doc, i);
		assert_true(json_object_is_type(e, json_type_object));
		assert_int_equal(json_object_object_length(e), 1);
		assert_true(json_object_object_get_ex(e, "name", &v));
		assert_true(json_object_is_type(v, json_type_string));
	}
	json_object_put(doc);
	assert_int_equal(cli(false, NULL, line, &c), WR_EXIT_OK);
	for (const char *p = c.out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, n);
}

/* A failure prints its message and nothing on stdout, not even []. */
static void test_cli_identify_gone(void **state)
{
	struct captured c;
	char line[64];

	(void)state;
	snprintf(line, sizeof(line), "identify %d", (int)gone_pid());
	assert_int_equal(cli(true, NULL, line, &c), WR_EXIT_FAIL);
	assert_string_equal(c.out, "");
	assert_non_null(strstr(c.err, "no such process"));
}

static void test_cli_pids(void **state)
{
	struct captured c;
	char name[32], line[96];

	(void)state;
	assert_int_equal(cli(false, NULL, "pids", &c), WR_EXIT_USAGE);
	assert_non_null(strstr(c.err, "expected NAME (or -n NAME)"));
	assert_int_equal(cli(false, NULL, "pids a b", &c), WR_EXIT_USAGE);
	assert_int_equal(cli(false, NULL, "pids a/b", &c), WR_EXIT_USAGE);
	assert_non_null(strstr(c.err, "'a/b': namespace name may not contain '/'"));
	assert_int_equal(cli(false, NULL, "pids ..", &c), WR_EXIT_USAGE);

	snprintf(name, sizeof(name), "wr%d-unit-none", (int)getpid());
	snprintf(line, sizeof(line), "pids %s", name);
	assert_int_equal(cli(true, NULL, line, &c), WR_EXIT_FAIL);
	assert_string_equal(c.out, "");
	snprintf(line, sizeof(line), "warren: netns %s: no such namespace\n", name);
	assert_string_equal(c.err, line);
	/* -n NAME stands for NAME. */
	assert_int_equal(cli(true, name, "pids", &c), WR_EXIT_FAIL);
	assert_string_equal(c.err, line);
}

static int cli_exec_empty(void *arg)
{
	char *argv[] = { "exec", "", "sh", "-c", "exit 3", NULL };
	struct line l = { NULL, false, 5, argv };
	struct captured c;
	int rc;

	(void)arg;
	rc = capture(run_line, &l, &c);
	return rc == WR_EXIT_USAGE && strstr(c.err, "namespace name is empty") ? 0 : 1;
}

/* del checks every name before it deletes the first. */
static void test_cli_bad_names(void **state)
{
	struct captured c;
	char line[128];

	(void)state;
	assert_int_equal(in_child(cli_exec_empty, NULL), 0);
	assert_int_equal(cli(false, NULL, "exec a/b true", &c), WR_EXIT_USAGE);
	snprintf(line, sizeof(line), "del wr%d-unit-none a/b", (int)getpid());
	assert_int_equal(cli(false, NULL, line, &c), WR_EXIT_USAGE);
	assert_non_null(strstr(c.err, "'a/b'"));
	assert_null(strstr(c.err, "no such namespace"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_at_no_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_at_stops, setup, teardown),
		cmocka_unit_test(test_identify_gone),
		cmocka_unit_test(test_identify_self),
		cmocka_unit_test_setup_teardown(test_pids_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pids_at_none, setup, teardown),
		cmocka_unit_test(test_pids_names),
		cmocka_unit_test(test_exec_bad_names),
		cmocka_unit_test(test_cli_identify_usage),
		cmocka_unit_test(test_cli_identify_json),
		cmocka_unit_test(test_cli_identify_gone),
		cmocka_unit_test(test_cli_pids),
		cmocka_unit_test(test_cli_bad_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
