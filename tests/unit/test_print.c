/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_print.c - the output layer: the same calls give the text people read
 * and JSON that parses, with the keys and types the docs promise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "print.h"

static char *buf;
static size_t len;
static FILE *out;

static void start(bool json, bool pretty)
{
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	wr_print_start(out, json, pretty);
}

static char *finish(void)
{
	assert_int_equal(wr_print_end(), 0);
	fclose(out);
	return buf;
}

/* What `warren link show` prints for two devices, through the same calls. */
static void print_links(void)
{
	wr_print_open_array(NULL);
	for (int i = 0; i < 2; i++) {
		wr_print_open_object(NULL);
		wr_print_str("ifname", "%-6s", i ? "eth1" : "eth0");
		wr_print_uint("mtu", " mtu %lu", 1500 + i);
		wr_print_bool("up", " up %s", i == 0);
		wr_print_int("offset", " off %ld", -3);
		if (i)
			wr_print_str("master", " master %s", "br0");
		else
			wr_print_null("master", "");
		wr_print_text("\n");
		wr_print_close_object();
	}
	wr_print_close_array();
}

static void test_text(void **state)
{
	(void)state;
	start(false, false);
	print_links();
	assert_string_equal(finish(),
			    "eth0   mtu 1500 up yes off -3\n"
			    "eth1   mtu 1501 up no off -3 master br0\n");
	free(buf);
}

static void test_json_shape(void **state)
{
	struct json_object *root, *o, *v;

	(void)state;
	start(true, false);
	print_links();
	finish();
	assert_string_equal(buf,
		"[{\"ifname\":\"eth0\",\"mtu\":1500,\"up\":true,\"offset\":-3,\"master\":null},"
		"{\"ifname\":\"eth1\",\"mtu\":1501,\"up\":false,\"offset\":-3,\"master\":\"br0\"}]\n");
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_int_equal(json_object_get_type(root), json_type_array);
	assert_int_equal(json_object_array_length(root), 2);
	o = json_object_array_get_idx(root, 1);
	assert_true(json_object_object_get_ex(o, "mtu", &v));
	assert_int_equal(json_object_get_type(v), json_type_int);
	assert_int_equal(json_object_get_int(v), 1501);
	assert_true(json_object_object_get_ex(o, "up", &v));
	assert_int_equal(json_object_get_type(v), json_type_boolean);
	json_object_put(root);
	free(buf);
}

static void test_json_pretty_parses(void **state)
{
	struct json_object *root, *v;

	(void)state;
	start(true, true);
	wr_print_open_object(NULL);
	wr_print_str("file", NULL, "lab.yaml");
	wr_print_open_array("items");
	wr_print_close_array();
	wr_print_open_object("nested");
	wr_print_uint("n", NULL, 7);
	wr_print_close_object();
	wr_print_close_object();
	finish();
	assert_non_null(strchr(buf, '\n'));
	assert_string_equal(buf, "{\n  \"file\": \"lab.yaml\",\n  \"items\": [],\n"
				 "  \"nested\": {\n    \"n\": 7\n  }\n}\n");
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "items", &v));
	assert_int_equal(json_object_array_length(v), 0);
	json_object_put(root);
	free(buf);
}

static void test_json_escapes(void **state)
{
	struct json_object *root, *v;
	const char *nasty = "a\"b\\c\nd\te\x01" "f";

	(void)state;
	start(true, false);
	wr_print_open_object(NULL);
	wr_print_str("s", NULL, nasty);
	wr_print_str("empty", NULL, NULL);
	wr_print_close_object();
	finish();
	assert_string_equal(buf, "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001f\",\"empty\":\"\"}\n");
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "s", &v));
	assert_string_equal(json_object_get_string(v), nasty);
	json_object_put(root);
	free(buf);
}

static void test_text_only_ignored_in_json(void **state)
{
	(void)state;
	start(true, false);
	wr_print_open_array(NULL);
	wr_print_text("HEADER %d\n", 1);
	wr_print_str(NULL, "%s", "x");
	wr_print_uint(NULL, "%lu", 2);
	wr_print_close_array();
	assert_string_equal(finish(), "[\"x\",2]\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_pretty_parses),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_text_only_ignored_in_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
