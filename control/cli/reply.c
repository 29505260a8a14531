/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * reply.c - what the commands that talk to warrend share: one request to the
 * instance of -S with its failure reported, the daemon's results printed
 * for -j with their own keys, and VLAN lists for people.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

int wr_cli_request(const struct wr_ctx *ctx, const char *cmd, struct json_object *args,
		   struct json_object **result)
{
	int err;

	err = wr_api_request(ctx->switch_name, cmd, args, result);
	json_object_put(args);
	return err ? wr_fail() : WR_EXIT_OK;
}

int wr_cli_show(const struct wr_ctx *ctx, const char *cmd, struct json_object *args,
		void (*text)(struct json_object *res))
{
	struct json_object *res;
	int err;

	err = wr_cli_request(ctx, cmd, args, &res);
	if (err)
		return err;
	if (wr_print_is_json())
		wr_cli_print_json(NULL, res);
	else
		text(res);
	json_object_put(res);
	return wr_print_end() ? WR_EXIT_FAIL : WR_EXIT_OK;
}

void wr_cli_print_json(const char *key, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_boolean:
		wr_print_bool(key, NULL, json_object_get_boolean(o));
		break;
	case json_type_int:
		if (json_object_get_int64(o) < 0)
			wr_print_int(key, NULL, json_object_get_int64(o));
		else
			wr_print_uint(key, NULL, json_object_get_uint64(o));
		break;
	case json_type_double:
		if (isfinite(json_object_get_double(o)))
			wr_print_double(key, NULL, json_object_get_double(o));
		else
			wr_print_null(key, NULL);
		break;
	case json_type_string:
		wr_print_str(key, NULL, json_object_get_string(o));
		break;
	case json_type_object:
		wr_print_open_object(key);
		json_object_object_foreach(o, k, v)
			wr_cli_print_json(k, v);
		wr_print_close_object();
		break;
	case json_type_array:
		wr_print_open_array(key);
		for (size_t i = 0; i < json_object_array_length(o); i++)
			wr_cli_print_json(NULL, json_object_array_get_idx(o, i));
		wr_print_close_array();
		break;
	case json_type_null:
	default:
		wr_print_null(key, NULL);
		break;
	}
}

const char *wr_cli_vlan_list(struct json_object *a, char *buf, size_t size)
{
	size_t o = 0, n = a ? json_object_array_length(a) : 0;

	snprintf(buf, size, "-");
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "",
				      json_object_get_string(json_object_array_get_idx(a, i)));
	return buf;
}
