/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_metrics.c - warrend's Prometheus endpoint without a socket: the
 * text writer (escaping, each family's HELP and TYPE once, its samples
 * together), the whole exposition of a switch with ring ports, a tunnel
 * and a steering rule (every drop reason and event there, the ports'
 * counters equal to the API's stats), and the HTTP request parser fed
 * whole, in pieces, too long, with a wrong method and pipelined.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../wd_ring.h"
#include "metrics_priv.h"

static struct warrend wd;

static int setup(void **state)
{
	(void)state;
	return wd_ring_open(&wd);
}

static int teardown(void **state)
{
	(void)state;
	wd_ring_close(&wd);
	return 0;
}

/* ------------------------------------------------------------- a checker */

#define FAMILIES_MAX 256

/* What check_text() found: the families, and the samples' lines for lookups. */
struct parsed {
	char families[FAMILIES_MAX][96];
	int n_families;
	int n_samples;
};

/* A label value from @p (after its opening quote) to its closing quote; its end. */
static const char *label_value(const char *p, char *out, size_t size)
{
	size_t n = 0;

	for (; *p != '"'; p++) {
		assert_true(*p && *p != '\n');
		if (*p == '\\') {
			p++;
			assert_true(*p == '\\' || *p == '"' || *p == 'n');
		}
		if (n + 1 < size)
			out[n++] = p[-1] == '\\' && *p == 'n' ? '\n' : *p;
	}
	out[n] = '\0';
	return p + 1;
}

/*
 * The format's rules (text format 0.0.4): each family has one HELP, then
 * one TYPE, then its samples, all named as the family, before any other
 * family; label values escaped; every line ends with a newline.
 */
static void check_text(const char *text, struct parsed *out)
{
	const char *p = text;
	char name[96] = "", help_of[96] = "";

	memset(out, 0, sizeof(*out));
	assert_true(text[0] && text[strlen(text) - 1] == '\n');
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p);

		if (!strncmp(p, "# HELP ", 7)) {
			sscanf(p + 7, "%95s", help_of);
			for (int i = 0; i < out->n_families; i++)
				if (!strcmp(out->families[i], help_of))
					fail_msg("family %s: HELP twice", help_of);
			assert_true(out->n_families < FAMILIES_MAX);
			strcpy(out->families[out->n_families++], help_of);
			name[0] = '\0';
		} else if (!strncmp(p, "# TYPE ", 7)) {
			char type[16];

			assert_int_equal(sscanf(p + 7, "%95s %15s", name, type), 2);
			assert_string_equal(name, help_of);
			assert_true(!strcmp(type, "counter") || !strcmp(type, "gauge"));
			if (!strcmp(type, "counter"))
				assert_string_equal(name + strlen(name) - 6, "_total");
		} else {
			const char *q = p + strcspn(p, "{ ");
			char value[256];

			assert_true(name[0]);	/* a sample after its family's TYPE */
			if ((size_t)(q - p) != strlen(name) || strncmp(p, name, strlen(name)))
				fail_msg("sample '%.*s' outside its family (%s)", (int)len, p, name);
			if (*q == '{') {
				do {
					q++;
					q += strspn(q, "abcdefghijklmnopqrstuvwxyz_");
					assert_memory_equal(q, "=\"", 2);
					q = label_value(q + 2, value, sizeof(value));
				} while (*q == ',');
				assert_int_equal(*q++, '}');
			}
			assert_int_equal(*q, ' ');
			assert_true(strspn(q + 1, "0123456789") == (size_t)(nl - q - 1));
			out->n_samples++;
		}
		p = nl + 1;
	}
}

/* The value of the sample whose line starts with @head (name and labels), or -1. */
static long long value_of(const char *text, const char *head)
{
	const char *p = text;

	while ((p = strstr(p, head))) {
		if ((p == text || p[-1] == '\n') && p[strlen(head)] == ' ')
			return atoll(p + strlen(head) + 1);
		p++;
	}
	return -1;
}

/* ---------------------------------------------------------------- writer */

static void test_escaping(void **state)
{
	struct wd_prom p = { .buf = NULL };
	struct parsed got;

	(void)state;
	wd_prom_family(&p, "warren_x_total", "counter", "a \\ back\nslash \"quoted\"");
	wd_prom_sample(&p, (const char *[]){ "a", "q\"uo\\te\nnl", "b", "", NULL }, 7);
	wd_prom_sample(&p, NULL, 8);
	assert_false(p.failed);
	assert_string_equal(p.buf,
			    "# HELP warren_x_total a \\\\ back\\nslash \"quoted\"\n"
			    "# TYPE warren_x_total counter\n"
			    "warren_x_total{a=\"q\\\"uo\\\\te\\nnl\",b=\"\"} 7\n"
			    "warren_x_total 8\n");
	check_text(p.buf, &got);
	assert_int_equal(got.n_families, 1);
	assert_int_equal(got.n_samples, 2);
	free(p.buf);
}

/* The checker takes a good text; test_checker_twice (run apart) must fail it. */
static void test_checker_catches(void **state)
{
	struct parsed got;

	(void)state;
	check_text("# HELP a_total x\n# TYPE a_total counter\na_total{l=\"v\"} 1\n", &got);
	assert_int_equal(got.n_samples, 1);
}

static void test_checker_twice(void **state)
{
	struct parsed got;

	(void)state;
	check_text("# HELP a_total x\n# TYPE a_total counter\na_total 1\n"
		   "# HELP a_total x\n# TYPE a_total counter\na_total 2\n", &got);
}

/* -------------------------------------------------------- the exposition */

static char *scrape(void)
{
	struct wd_prom p = { .buf = NULL };

	wd_metrics_text(&wd, &p);
	assert_false(p.failed);
	assert_non_null(p.buf);
	return p.buf;
}

static void api_ok(const char *cmd, const char *args)
{
	char line[512], *reply;

	snprintf(line, sizeof(line), "{\"v\":1,\"cmd\":\"%s\",\"args\":%s}", cmd, args);
	reply = wd_api_handle(&wd, line, strlen(line));
	assert_non_null(reply);
	if (!strstr(reply, "\"ok\":true"))
		fail_msg("%s -> %s", line, reply);
	free(reply);
}

static void test_exposition(void **state)
{
	char head[256], *text, *reply, *chains;
	struct parsed got;
	json_object *stats, *ports;
	const char *line = "{\"v\":1,\"cmd\":\"stats\"}";

	(void)state;
	api_ok("port.add", "{\"name\":\"h1\"}");
	api_ok("port.add", "{\"name\":\"h2\"}");
	api_ok("port.add", "{\"name\":\"u0\"}");
	api_ok("tunnel.add", "{\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}");
	api_ok("vtep.add", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.7\"}");
	api_ok("steer.add", "{\"mac\":\"02:00:00:00:00:09\",\"port\":\"h2\"}");
	api_ok("port.add", "{\"name\":\"f1\",\"bd\":101}");
	api_ok("port.add", "{\"name\":\"f2\",\"bd\":102}");
	api_ok("chain.add", "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"dst_port\":\"80\","
			    "\"hops\":[{\"in\":\"f1\",\"out\":\"f2\"}]}");
	text = scrape();
	if (getenv("WR_METRICS_DUMP"))
		fputs(text, stderr);
	check_text(text, &got);

	/* Every drop reason and event of wr_drop.def, with the API's value. */
	reply = wd_api_handle(&wd, line, strlen(line));
	stats = json_tokener_parse(strstr(reply, "\"result\":") + 9);
	assert_non_null(stats);
	for (int i = 0; i < WR_DROP_COUNT; i++) {
		json_object *v;

		snprintf(head, sizeof(head), "warren_drops_total{reason=\"%s\",path=\"userspace\"}",
			 wr_drop_name((enum wr_drop)i));
		assert_true(json_object_object_get_ex(json_object_object_get(stats, "drops"),
						      wr_drop_name((enum wr_drop)i), &v));
		assert_int_equal(value_of(text, head), json_object_get_int64(v));
		snprintf(head, sizeof(head), "warren_reason_info{kind=\"drop\",reason=\"%s\",text=\"%s\"}",
			 wr_drop_name((enum wr_drop)i), wr_drop_text((enum wr_drop)i));
		assert_int_equal(value_of(text, head), 1);
	}
	for (int i = 0; i < WR_EVENT_COUNT; i++) {
		snprintf(head, sizeof(head), "warren_events_total{event=\"%s\"}",
			 wr_event_name((enum wr_event)i));
		assert_int_equal(value_of(text, head), 0);
	}
	/* No fast path loaded: no kernel samples, no fast path families. */
	assert_null(strstr(text, ",path=\"kernel\"}"));
	assert_null(strstr(text, "warren_fastpath_"));
	/* Each port's counters, as the API's port.stats names them. */
	ports = json_object_object_get(stats, "ports");
	assert_int_equal(json_object_array_length(ports), 5);
	for (size_t i = 0; i < 5; i++) {
		const char *name = json_object_get_string(
			json_object_object_get(json_object_array_get_idx(ports, i), "name"));

#define PORT_KEY(f, help)									\
		snprintf(head, sizeof(head), "warren_port_" #f "_total{port=\"%s\",path=\"userspace\"}", \
			 name);									\
		assert_int_equal(value_of(text, head), json_object_get_int64(json_object_object_get( \
			json_object_array_get_idx(ports, i), #f)));
		WD_PORT_COUNTERS(PORT_KEY)
#undef PORT_KEY
	}
	assert_int_equal(value_of(text, "warren_tunnel_rx_pkts_total{tunnel=\"vx0\"}"), 0);
	assert_int_equal(value_of(text, "warren_vtep_tx_bytes_total{tunnel=\"vx0\",remote=\"192.0.2.7\"}"), 0);
	assert_int_equal(value_of(text, "warren_steer_pkts_total{rule=\"0\",match=\"mac 02:00:00:00:00:09\","
				  "port=\"h2\",path=\"userspace\"}"), 0);
	/* A chain's families, and its hop's state as chain.list says it. */
	assert_int_equal(value_of(text, "warren_chain_matched_total{chain=\"web\",direction=\"reverse\"}"), 0);
	assert_int_equal(value_of(text, "warren_chain_hop_into_total{chain=\"web\",hop=\"0\","
				  "direction=\"forward\"}"), 0);
	assert_int_equal(value_of(text, "warren_chain_hop_dropped_total{chain=\"web\",hop=\"0\","
				  "direction=\"reverse\"}"), 0);
	line = "{\"v\":1,\"cmd\":\"chain.list\"}";
	chains = wd_api_handle(&wd, line, strlen(line));
	assert_non_null(chains);
	assert_int_equal(value_of(text, "warren_chain_hop_up{chain=\"web\",hop=\"0\"}"),
			 strstr(chains, "\"state\":\"up\"") != NULL);
	free(chains);
	assert_int_equal(value_of(text, "warren_metrics_requests_total{code=\"200\"}"), 0);
	json_object_put(stats);
	free(reply);
	free(text);
	wd_ring_reset(&wd);
}

/* ------------------------------------------------------------ the parser */

static const char req[] = "GET /metrics HTTP/1.1\r\nHost: localhost:9100\r\n"
			  "User-Agent: Prometheus/2.42\r\nAccept: text/plain\r\n\r\n";

static void test_parse_whole(void **state)
{
	(void)state;
	assert_int_equal(wd_http_parse(req, strlen(req), 4096), WD_HTTP_OK);
	assert_int_equal(wd_http_parse("GET /metrics HTTP/1.0\r\n\r\n", 25, 4096), WD_HTTP_OK);
	assert_int_equal(wd_http_parse("GET /metrics HTTP/1.0\n\n", 23, 4096), WD_HTTP_OK);
	assert_int_equal(wd_http_parse("\r\nGET /metrics?x=1 HTTP/1.1\r\n\r\n", 31, 4096),
			 WD_HTTP_OK);
	assert_int_equal(wd_http_parse("HEAD /metrics HTTP/1.1\r\n\r\n", 26, 4096), WD_HTTP_HEAD);
	assert_int_equal(wd_http_parse("GET / HTTP/1.1\r\n\r\n", 18, 4096), WD_HTTP_NOT_FOUND);
	assert_int_equal(wd_http_parse("GET /metricsx HTTP/1.1\r\n\r\n", 26, 4096),
			 WD_HTTP_NOT_FOUND);
	assert_int_equal(wd_http_parse("GET /metrics HTTP/2.0\r\n\r\n", 25, 4096), WD_HTTP_VERSION);
	assert_int_equal(wd_http_parse("GET /metrics\r\n\r\n", 16, 4096), WD_HTTP_BAD);
	assert_int_equal(wd_http_parse("GET  HTTP/1.1\r\n\r\n", 17, 4096), WD_HTTP_BAD);
	assert_int_equal(wd_http_parse("\x16\x03\x01\x02\x00 x y\r\n\r\n", 13, 4096), WD_HTTP_BAD);
}

static void test_parse_methods(void **state)
{
	static const char *const other[] = { "POST", "PUT", "DELETE", "OPTIONS", "get", "PATCH" };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		int n = snprintf(buf, sizeof(buf), "%s /metrics HTTP/1.1\r\n\r\n", other[i]);

		assert_int_equal(wd_http_parse(buf, (size_t)n, 4096), WD_HTTP_METHOD);
	}
	/* A body after a POST's head changes nothing. */
	assert_int_equal(wd_http_parse("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
				       48, 4096), WD_HTTP_METHOD);
}

/* Byte by byte: nothing decided before the empty line, then the verdict. */
static void test_parse_partial(void **state)
{
	size_t n = strlen(req);

	(void)state;
	for (size_t len = 0; len < n; len++)
		assert_int_equal(wd_http_parse(req, len, 4096), WD_HTTP_MORE);
	assert_int_equal(wd_http_parse(req, n, 4096), WD_HTTP_OK);
}

static void test_parse_too_long(void **state)
{
	char *buf = malloc(1 << 20);

	(void)state;
	/* 1 MB of garbage: decided at the bound, whatever else came. */
	memset(buf, 'A', 1 << 20);
	assert_int_equal(wd_http_parse(buf, 4095, 4096), WD_HTTP_MORE);
	assert_int_equal(wd_http_parse(buf, 4096, 4096), WD_HTTP_TOO_LONG);
	assert_int_equal(wd_http_parse(buf, 1 << 20, 4096), WD_HTTP_TOO_LONG);
	/* A head of headers that never ends. */
	memcpy(buf, "GET /metrics HTTP/1.1\r\n", 23);
	for (size_t i = 23; i + 8 < 4096; i += 8)
		memcpy(buf + i, "X: yyy\r\n", 8);
	assert_int_equal(wd_http_parse(buf, 4096, 4096), WD_HTTP_TOO_LONG);
	/* The empty line just within the bound. */
	memcpy(buf + 4092, "\r\n\r\n", 4);
	memcpy(buf + 4088, "X: y", 4);
	assert_int_equal(wd_http_parse(buf, 4096, 4096), WD_HTTP_OK);
	free(buf);
}

/* Pipelined requests: the first decides; what follows is never looked at. */
static void test_parse_pipelined(void **state)
{
	char buf[512];
	int n;

	(void)state;
	n = snprintf(buf, sizeof(buf), "%s%s", req, "POST /x HTTP/1.1\r\n\r\n");
	assert_int_equal(wd_http_parse(buf, (size_t)n, 4096), WD_HTTP_OK);
	n = snprintf(buf, sizeof(buf), "GET /nope HTTP/1.1\r\n\r\n%s", req);
	assert_int_equal(wd_http_parse(buf, (size_t)n, 4096), WD_HTTP_NOT_FOUND);
	/* The second one cut short: the first is whole all the same. */
	n = snprintf(buf, sizeof(buf), "%sGET /met", req);
	assert_int_equal(wd_http_parse(buf, (size_t)n, 4096), WD_HTTP_OK);
}

/* ---------------------------------------------------------- the address */

static void test_addr(void **state)
{
	static const struct {
		const char *spec;
		int family;
		const char *host;
		int port;
	} good[] = {
		{ "9100", AF_INET, "127.0.0.1", 9100 },
		{ ":9100", AF_INET, "127.0.0.1", 9100 },
		{ "0.0.0.0:80", AF_INET, "0.0.0.0", 80 },
		{ "192.0.2.1:65535", AF_INET, "192.0.2.1", 65535 },
		{ "[::1]:9100", AF_INET6, "::1", 9100 },
		{ "[::]:1", AF_INET6, "::", 1 },
	};
	static const char *const bad[] = {
		"", ":", "0", "65536", "-1", "x", "localhost:9100", "::1:9100", "[::1]",
		"[::1]9100", "[127.0.0.1]:9100", "1.2.3.4:", "1.2.3.4:+80", "9100 ", "[::1:9100",
	};
	struct sockaddr_storage sa;
	socklen_t len;
	char err[256], host[64];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const void *a = good[i].family == AF_INET ?
			(const void *)&((struct sockaddr_in *)&sa)->sin_addr :
			(const void *)&((struct sockaddr_in6 *)&sa)->sin6_addr;

		if (wd_metrics_addr(good[i].spec, &sa, &len, err, sizeof(err)))
			fail_msg("%s: %s", good[i].spec, err);
		assert_int_equal(sa.ss_family, good[i].family);
		inet_ntop(good[i].family, a, host, sizeof(host));
		assert_string_equal(host, good[i].host);
		assert_int_equal(ntohs(((struct sockaddr_in *)&sa)->sin_port), good[i].port);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!wd_metrics_addr(bad[i], &sa, &len, err, sizeof(err)))
			fail_msg("'%s' taken", bad[i]);
		assert_non_null(strstr(err, "--metrics"));
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_checker_catches),
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_parse_whole),
		cmocka_unit_test(test_parse_methods),
		cmocka_unit_test(test_parse_partial),
		cmocka_unit_test(test_parse_too_long),
		cmocka_unit_test(test_parse_pipelined),
		cmocka_unit_test(test_addr),
	};
	/* The checker must fail on a family written twice (run alone: it is expected to fail). */
	const struct CMUnitTest must_fail[] = {
		cmocka_unit_test(test_checker_twice),
	};

	if (argc > 1 && !strcmp(argv[1], "--checker-must-fail"))
		return cmocka_run_group_tests(must_fail, NULL, NULL) ? 0 : 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
