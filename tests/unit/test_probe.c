/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe.c - the hops' health probes (dataplane/daemon/probe.c) on a
 * fake clock and a fake socket layer: in place of probe_sock.c, a probe
 * "sent" is a descriptor of /dev/null and its answer is what the test
 * says. Failures and successes counted in a row, a probe timing out, a
 * namespace gone, the hop's state in the switch and in chain.list, the
 * probe keys chain.add takes and refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../wd_ring.h"

#define MS 1000000ull

static struct warrend wd;

/* What the fake sockets do: the send's error (0: sent), then the answer (1, 0 or -errno). */
static struct {
	int send_err;
	int answer;
	int sends;
	char netns[WD_NETNS_MAX];
} fake;

int wd_probe_send(const struct wd_probe_conf *c, uint16_t ident, uint16_t seq, char *err,
		  size_t errlen)
{
	(void)ident;
	(void)seq;
	fake.sends++;
	snprintf(fake.netns, sizeof(fake.netns), "%s", c->netns);
	if (fake.send_err) {
		snprintf(err, errlen, "namespace %s: gone", c->netns);
		return fake.send_err;
	}
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int wd_probe_recv(const struct wd_probe_conf *c, int fd, uint16_t ident, uint16_t seq,
		  short revents, char *err, size_t errlen)
{
	(void)c;
	(void)fd;
	(void)ident;
	(void)seq;
	if (!revents)
		return 0;
	if (fake.answer < 0)
		snprintf(err, errlen, "connect: %s", strerror(-fake.answer));
	return fake.answer;
}

static json_object *call(const char *cmd, const char *args)
{
	char line[1024], *reply;
	json_object *o;

	snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"%s\",\"args\":%s}", cmd, args);
	reply = wd_api_handle(&wd, line, strlen(line));
	assert_non_null(reply);
	o = json_tokener_parse(reply);
	free(reply);
	assert_non_null(o);
	return o;
}

static void ok(const char *cmd, const char *args)
{
	json_object *r = call(cmd, args), *v;

	if (!json_object_object_get_ex(r, "ok", &v) || !json_object_get_boolean(v))
		fail_msg("%s %s -> %s", cmd, args, json_object_to_json_string(r));
	json_object_put(r);
}

static void refused(const char *args, const char *words)
{
	json_object *r = call("chain.add", args), *e;
	const char *msg;

	assert_true(json_object_object_get_ex(r, "error", &e));
	msg = json_object_get_string(json_object_object_get(e, "message"));
	if (!strstr(msg, words))
		fail_msg("%s -> '%s', wanted '%s'", args, msg, words);
	json_object_put(r);
}

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	if (wd_ring_open(&wd))
		return -1;
	ok("port.add", "{\"name\":\"cl\"}");
	ok("port.add", "{\"name\":\"sv\"}");
	ok("port.add", "{\"name\":\"h-in\",\"bd\":11}");
	ok("port.add", "{\"name\":\"h-out\",\"bd\":12}");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wd_ring_reset(&wd);
	wd_ring_close(&wd);
	return 0;
}

/* Chain "web" of one hop whose probe is @probe's keys. */
static void add_chain(const char *probe)
{
	char args[512];

	snprintf(args, sizeof(args), "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"dst_port\":\"80\",\"hops\":[{\"in\":"
		 "\"h-in\",\"out\":\"h-out\",%s}]}", probe);
	ok("chain.add", args);
}

/* At @now: the tick, then the answers to the probes under way (as if poll said so). */
static void at(uint64_t now, bool answered)
{
	struct pollfd pfd[WD_PROBE_MAX];
	int n;

	wd_probes_tick(&wd, now);
	n = wd_probes_pollfds(&wd, pfd);
	for (int i = 0; i < n; i++)
		pfd[i].revents = answered ? pfd[i].events : 0;
	wd_probes_events(&wd, pfd, n);
}

static bool hop_up(void)
{
	struct wr_chain_info info;

	assert_int_equal(wr_chain_get(wd.sw, 0, &info), 0);
	assert_int_equal(info.hop[0].up, info.hop[0].probe_up);
	return info.hop[0].up;
}

/* chain.list's hop 0 of web: its @key (a path "probe.error" one deep at most). */
static json_object *listed(json_object **reply, const char *key)
{
	json_object *res, *o;
	char k[64], *dot;

	*reply = call("chain.list", "{\"chain\":\"web\"}");
	assert_true(json_object_object_get_ex(*reply, "result", &res));
	o = json_object_array_get_idx(json_object_object_get(res, "chains"), 0);
	o = json_object_array_get_idx(json_object_object_get(o, "hops"), 0);
	snprintf(k, sizeof(k), "%s", key);
	dot = strchr(k, '.');
	if (dot) {
		*dot = '\0';
		o = json_object_object_get(o, k);
		return json_object_object_get(o, dot + 1);
	}
	return json_object_object_get(o, k);
}

static void assert_listed(const char *key, const char *want)
{
	json_object *r, *v = listed(&r, key);

	assert_non_null(v);
	if (!strstr(json_object_to_json_string(v), want))
		fail_msg("chain.list %s: %s, wanted %s", key, json_object_to_json_string(v), want);
	json_object_put(r);
}

/* `fails` failures in a row take the hop down, `passes` successes bring it back; a pass breaks a run. */
static void test_fails_passes(void **state)
{
	uint64_t t = 0;

	(void)state;
	add_chain("\"probe\":\"tcp\",\"target\":\"10.0.0.9\",\"target_port\":80,\"netns\":\"h1\"");
	assert_true(hop_up());
	assert_listed("why", "[ ]");
	assert_listed("probe.state", "up");
	fake.answer = 1;
	at(t, true);
	assert_int_equal(fake.sends, 1);
	assert_string_equal(fake.netns, "h1");
	/* Not again before its interval. */
	at(t += 999 * MS, true);
	assert_int_equal(fake.sends, 1);

	/* Two failures, a pass, two failures: never three in a row. */
	fake.answer = -ECONNREFUSED;
	at(t += 1 * MS, true);
	at(t += 1000 * MS, true);
	fake.answer = 1;
	at(t += 1000 * MS, true);
	fake.answer = -ECONNREFUSED;
	at(t += 1000 * MS, true);
	at(t += 1000 * MS, true);
	assert_int_equal(fake.sends, 6);
	assert_true(hop_up());
	assert_listed("probe.fails_in_row", "2");

	/* The third in a row: down, and chain.list says why. */
	at(t += 1000 * MS, true);
	assert_false(hop_up());
	assert_listed("state", "down");
	assert_listed("why", "\"probe\"");
	assert_listed("probe.error", "connect: Connection refused");
	assert_listed("probe.failed", "5");

	/* One pass is not enough (passes 2 by default); the second is. */
	fake.answer = 1;
	at(t += 1000 * MS, true);
	assert_false(hop_up());
	at(t += 1000 * MS, true);
	assert_true(hop_up());
	assert_listed("why", "[ ]");
	assert_listed("probe.passes_in_row", "2");
}

/* A probe unanswered within timeout_ms fails then, not before; the loop's poll wakes for it. */
static void test_timeout(void **state)
{
	uint64_t t = 1000 * MS;

	(void)state;
	add_chain("\"probe\":\"ping\",\"target\":\"2001:db8::9\",\"netns\":\"h1\","
		  "\"interval_ms\":200,\"timeout_ms\":50,\"fails\":2,\"passes\":1");
	assert_int_equal(wd_probes_timeout_ms(&wd, t, 100), 0);	/* due now */
	at(t, false);
	assert_int_equal(wd_probes_timeout_ms(&wd, t, 100), 50);
	assert_int_equal(wd_probes_timeout_ms(&wd, t, 10), 10);
	at(t + 49 * MS, false);
	assert_listed("probe.failed", "0");
	at(t + 50 * MS, false);
	assert_listed("probe.failed", "1");
	assert_listed("probe.error", "no answer within 50 ms");
	assert_true(hop_up());
	/* Next at 200 ms; times out at 250: down (fails 2). */
	assert_int_equal(wd_probes_timeout_ms(&wd, t + 50 * MS, -1), 150);
	at(t + 200 * MS, false);
	assert_int_equal(fake.sends, 2);
	at(t + 250 * MS, false);
	assert_false(hop_up());
	assert_listed("probe.target", "2001:db8::9");
	/* An answer in time brings it back (passes 1). */
	fake.answer = 1;
	at(t + 400 * MS, true);
	assert_true(hop_up());
}

/* A namespace gone fails each probe at once, with the cause; no descriptor left open. */
static void test_netns_gone(void **state)
{
	uint64_t t = 0;

	(void)state;
	add_chain("\"probe\":\"ping\",\"target\":\"10.0.0.9\",\"netns\":\"h1\",\"fails\":2");
	fake.send_err = -ENOENT;
	at(t, true);
	assert_int_equal(wd_probes_pollfds(&wd, (struct pollfd[WD_PROBE_MAX]){ 0 }), 0);
	assert_true(hop_up());
	at(t += 1000 * MS, true);
	assert_false(hop_up());
	assert_listed("probe.error", "namespace h1: gone");
	/* It comes back: so does the hop. */
	fake.send_err = 0;
	fake.answer = 1;
	at(t += 1000 * MS, true);
	at(t += 1000 * MS, true);
	assert_true(hop_up());
}

/* The hop is down for each of its causes: set down, and its probe failing, both said. */
static void test_admin_and_probe(void **state)
{
	(void)state;
	add_chain("\"probe\":\"ping\",\"target\":\"10.0.0.9\",\"netns\":\"h1\",\"fails\":1");
	fake.answer = -EHOSTUNREACH;
	at(0, true);
	ok("chain.hop", "{\"chain\":\"web\",\"hop\":0,\"state\":\"down\"}");
	assert_listed("why", "[ \"admin\", \"probe\" ]");
	fake.answer = 1;
	at(1000 * MS, true);
	at(2000 * MS, true);
	assert_listed("why", "[ \"admin\" ]");
	assert_listed("state", "down");
	ok("chain.hop", "{\"chain\":\"web\",\"hop\":0,\"state\":\"up\"}");
	assert_listed("state", "up");
}

/* The probe keys: what chain.add refuses; a chain gone takes its probes with it. */
static void test_keys(void **state)
{
	static const char *const H = "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"dst_port\":\"80\",\"hops\":[{\"in\":"
				     "\"h-in\",\"out\":\"h-out\",";
#define PING "\"probe\":\"ping\",\"target\":\"10.0.0.9\",\"netns\":\"h\""
	static const struct {
		const char *keys, *words;
	} bad[] = {
		{ "\"probe\":\"ping\",\"netns\":\"h1\"", "hops[0].target: required by `probe`" },
		{ "\"probe\":\"ping\",\"target\":\"10.0.0.9\"", "hops[0].netns: required by `probe`" },
		{ "\"probe\":\"tcp\",\"target\":\"10.0.0.9\",\"netns\":\"h\"",
		  "target_port: required by a `tcp` probe" },
		{ PING ",\"target_port\":80", "target_port: for a `tcp` probe only" },
		{ "\"fails\":2", "hops[0].fails: a key of the hop's `probe`" },
		{ PING ",\"interval_ms\":400,\"timeout_ms\":401",
		  "timeout_ms: 401, above `interval_ms` (400)" },
		{ "\"probe\":\"icmp\",\"target\":\"10.0.0.9\",\"netns\":\"h\"",
		  "probe 'icmp': ping or tcp" },
		{ PING ",\"fails\":0", "fails: an integer from 1 to 100" },
	};
	char a[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(a, sizeof(a), "%s%s}]}", H, bad[i].keys);
		refused(a, bad[i].words);
	}
	snprintf(a, sizeof(a), "%s" PING ",\"interval_ms\":400}]}", H);
	ok("chain.add", a);
	ok("chain.del", "{\"chain\":\"web\"}");

	add_chain("\"probe\":\"ping\",\"target\":\"10.0.0.9\",\"netns\":\"h1\"");
	at(0, false);
	assert_int_equal(wd_probes_pollfds(&wd, (struct pollfd[WD_PROBE_MAX]){ 0 }), 1);
	ok("chain.del", "{\"chain\":\"web\"}");
	assert_null(wd_probe_get(&wd, 0, 0));
	assert_int_equal(wd_probes_pollfds(&wd, (struct pollfd[WD_PROBE_MAX]){ 0 }), 0);
	assert_int_equal(wd_probes_timeout_ms(&wd, 0, -1), -1);
	/* A chain without probes has none, whatever the id had before. */
	add_chain("\"fail\":\"closed\"");
	assert_null(wd_probe_get(&wd, 0, 0));
	assert_listed("why", "[ ]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fails_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_and_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
