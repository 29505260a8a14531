/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_doc.c - wr-apidoc: docs/api.md's key tables, made from wr_api.def.
 *
 *   wr-apidoc                print every command's table
 *   wr-apidoc --check FILE   exit 1 if a table in FILE differs from wr_api.def
 *   wr-apidoc --update FILE  write the tables into FILE
 *
 * In FILE a table stands between "<!-- keys CMD -->" and "<!-- end keys -->".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wr_api.h"

#define TEXT_MAX (256 * 1024)
#define HOP_MARK "chain.add hops"

/* Key @k's type, in the words of docs/api.md. */
static const char *type_text(const struct wr_api_key *k, char *buf, size_t size)
{
	static const struct {
		const char *what;
		int max;
	} kinds[] = {
		[WR_NAME_SWITCH] = { "switch name", WR_SWITCH_NAME_MAX },
		[WR_NAME_PORT] = { "name", WR_PORT_NAME_MAX },
		[WR_NAME_NETNS] = { "namespace name", WR_NETNS_NAME_MAX },
		[WR_NAME_PREFIX] = { "prefix", 32 },
	};
	const char *const *names;
	size_t o = 0;
	int n;

	switch (k->type) {
	case WR_T_INT:
		snprintf(buf, size, "int %lld–%lld", (long long)k->min, (long long)k->max);
		break;
	case WR_T_BOOL:
		snprintf(buf, size, "bool");
		break;
	case WR_T_STR:
		snprintf(buf, size, "string, 1–%lld bytes", (long long)k->max);
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		buf[0] = '\0';
		for (int i = 0; i < n && o < size; i++)
			o += (size_t)snprintf(buf + o, size - o, "%s`\"%s\"`", i ? " \\| " : "",
					      names[i]);
		break;
	case WR_T_NAME:
		snprintf(buf, size, "%s, 1–%d bytes `[A-Za-z0-9_.-]`", kinds[k->min].what,
			 kinds[k->min].max);
		break;
	case WR_T_IFNAME:
		snprintf(buf, size, "interface name, 1–%d bytes", WR_IFNAME_MAX);
		break;
	case WR_T_MAC:
		snprintf(buf, size, "MAC, `\"02:00:00:00:00:01\"`");
		break;
	case WR_T_IP:
		snprintf(buf, size, "IPv4 or IPv6 address, `\"192.0.2.1\"`");
		break;
	case WR_T_GOPTS:
		snprintf(buf, size, "array of Geneve options `\"CLASS:TYPE[:DATA]\"` in hex, %d bytes at most",
			 WR_GENEVE_OPTS_MAX);
		break;
	case WR_T_VLANS:
		snprintf(buf, size, "array of ids and `\"LO-HI\"`, %lld–%lld", (long long)k->min,
			 (long long)k->max);
		break;
	case WR_T_PORT:
		snprintf(buf, size, "a port's name, 1–%d bytes", WR_PORT_NAME_MAX);
		break;
	case WR_T_PREFIX:
		snprintf(buf, size, "IPv4 or IPv6 prefix, `\"10.0.0.0/8\"`");
		break;
	case WR_T_RANGE:
		snprintf(buf, size, "int or `\"LO-HI\"`, %lld–%lld", (long long)k->min,
			 (long long)k->max);
		break;
	case WR_T_HOPS:
		snprintf(buf, size, "array of %lld–%lld hop objects (keys below)", (long long)k->min,
			 (long long)k->max);
		break;
	}
	return buf;
}

/* The table of @cmd's keys (@cmd < 0: a hop's) into @out (a string of TEXT_MAX bytes); its length. */
static size_t table(int cmd, char *out)
{
	const struct wr_api_key *keys = cmd < 0 ? wr_api_hop_keys : wr_api_keys;
	size_t n = cmd < 0 ? wr_api_n_hop_keys : wr_api_n_keys;
	char type[160], ports[64];
	size_t o = 0;

	o += (size_t)snprintf(out + o, TEXT_MAX - o, "| key | type | | meaning |\n"
			      "| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		const struct wr_api_key *k = &keys[i];
		size_t p = 0;

		if (cmd >= 0 && (int)k->cmd != cmd)
			continue;
		ports[0] = '\0';
		for (int t = 0; t < WR_PORT_TYPE_COUNT; t++)
			if (k->ports & (1u << t))
				p += (size_t)snprintf(ports + p, sizeof(ports) - p, "%s%s",
						      p ? " and " : "", wr_port_type_names[t]);
		o += (size_t)snprintf(out + o, TEXT_MAX - o, "| `%s` | %s | %s%s%s%s | %s |\n",
				      k->name, type_text(k, type, sizeof(type)),
				      k->flags & WR_KEY_REQUIRED ? "required" :
				      k->flags & WR_KEY_NEEDED ? "required for " :
				      k->flags & WR_KEY_ONE_OF ? "one of these" : "",
				      k->ports && !(k->flags & WR_KEY_NEEDED) ? "only " : "",
				      ports, k->ports ? " ports" : "", k->text);
	}
	return o;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, TEXT_MAX);
	size_t n;

	if (!f || !s) {
		fprintf(stderr, "wr-apidoc: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	n = fread(s, 1, TEXT_MAX - 1, f);
	fclose(f);
	if (n == TEXT_MAX - 1) {
		fprintf(stderr, "wr-apidoc: %s: larger than %d bytes\n", path, TEXT_MAX);
		exit(2);
	}
	return s;
}

/* FILE with every marked table made anew; how many tables differed in *@stale. */
static char *rewrite(const char *text, int *stale, int *found, bool *seen)
{
	static const char end_mark[] = "<!-- end keys -->";
	char *out = calloc(1, 2 * TEXT_MAX), *t = malloc(TEXT_MAX);
	const char *p = text, *m;
	size_t o = 0;

	if (!out || !t)
		exit(2);
	while ((m = strstr(p, "<!-- keys "))) {
		const char *name = m + strlen("<!-- keys "), *close = strstr(name, " -->");
		const char *end = close ? strstr(close, end_mark) : NULL;
		char cmd[32];
		size_t len;
		int c;

		if (!close || !end || (size_t)(close - name) >= sizeof(cmd)) {
			fprintf(stderr, "wr-apidoc: a '<!-- keys' mark without its end\n");
			exit(2);
		}
		snprintf(cmd, sizeof(cmd), "%.*s", (int)(close - name), name);
		/* "hop": the keys of one hop of chain.add's hops. */
		c = strcmp(cmd, HOP_MARK) ? wr_api_cmd_find(cmd) : -2;
		if (c == -1) {
			fprintf(stderr, "wr-apidoc: no command '%s' in wr_api.def\n", cmd);
			exit(2);
		}
		close += strlen(" -->\n");
		memcpy(out + o, p, (size_t)(close - p));
		o += (size_t)(close - p);
		if (c >= 0)
			seen[c] = true;
		len = table(c, t);
		if ((size_t)(end - close) != len || memcmp(close, t, len))
			(*stale)++;
		memcpy(out + o, t, len);
		o += len;
		(*found)++;
		p = end;
	}
	strcpy(out + o, p);
	free(t);
	return out;
}

int main(int argc, char **argv)
{
	int stale = 0, found = 0, missing = 0;
	bool seen[WR_CMD_COUNT] = { false };
	char *text, *out;
	FILE *f;

	if (argc == 1) {
		char *t = malloc(TEXT_MAX);

		for (int c = 0; t && c < WR_CMD_COUNT; c++) {
			table(c, t);
			printf("### `%s`\n\n%s\n", wr_api_cmds[c].name, t);
		}
		if (t) {
			table(-2, t);
			printf("### `%s`\n\n%s\n", HOP_MARK, t);
		}
		free(t);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[1], "--check") && strcmp(argv[1], "--update"))) {
		fprintf(stderr, "usage: wr-apidoc [--check|--update FILE]\n");
		return 2;
	}
	text = slurp(argv[2]);
	out = rewrite(text, &stale, &found, seen);
	free(text);
	/* A command that takes keys and has no table in the file: the file is behind. */
	for (size_t i = 0; i < wr_api_n_keys; i++) {
		enum wr_api_cmd c = wr_api_keys[i].cmd;

		if (!seen[c]) {
			fprintf(stderr, "wr-apidoc: %s: no key table of %s (add a section with "
				"'<!-- keys %s -->' and '<!-- end keys -->')\n", argv[2],
				wr_api_cmds[c].name, wr_api_cmds[c].name);
			seen[c] = true;
			missing++;
		}
	}
	if (!strcmp(argv[1], "--check")) {
		if (stale)
			fprintf(stderr, "wr-apidoc: %s: %d of %d key tables differ from wr_api.def "
				"(wr-apidoc --update %s)\n", argv[2], stale, found, argv[2]);
		free(out);
		return stale || missing ? 1 : 0;
	}
	f = fopen(argv[2], "w");
	if (!f || fputs(out, f) < 0 || fclose(f)) {
		fprintf(stderr, "wr-apidoc: %s: %s\n", argv[2], strerror(errno));
		free(out);
		return 1;
	}
	free(out);
	return 0;
}
