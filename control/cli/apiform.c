/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * apiform.c - commands whose arguments are the keys of one command of
 * wr_api.def (struct wr_form in cli.h): what they take by position and as
 * keywords, the bounds, the synopsis and ARGUMENTS, all read from the
 * table, and the request they make, checked with wr_api_check() before it
 * goes. A key added to such a command in wr_api.def is a keyword of its
 * form with no change here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "wr_control.h"

#define FORMS_MAX 16

static const struct wr_form *forms[FORMS_MAX];
static size_t n_forms;

/* @k's text in the CLI's words, then what it takes (but for an enum, whose words the name shows). */
static void key_help(const struct wr_api_key *k, char *buf, size_t size)
{
	char range[128];
	size_t o;

	snprintf(buf, size, "%s", k->text);
	wr_cli_api_msg(buf);
	o = strlen(buf);
	if (k->type != WR_T_ENUM && *wr_api_key_range(k, range, sizeof(range)) && o < size)
		snprintf(buf + o, size - o, "; %s", range);
}

/* ARGUMENTS entry @i of @f: @name, and @k's help (or the range keyword's, @k NULL). */
static void describe(struct wr_form *f, size_t i, const char *name, const struct wr_api_key *k)
{
	const struct wr_api_key *lo, *hi;
	char l[160], h[160];

	snprintf(f->names[i], sizeof(f->names[i]), "%s", name);
	if (k) {
		key_help(k, f->helps[i], sizeof(f->helps[i]));
	} else {
		lo = wr_api_key_find(f->cmd, f->range.lo);
		hi = wr_api_key_find(f->cmd, f->range.hi);
		snprintf(l, sizeof(l), "%s", lo->text);
		snprintf(h, sizeof(h), "%s", hi->text);
		snprintf(f->helps[i], sizeof(f->helps[i]),
			 "LO-HI, or N for both: LO is %s, HI %s; each %lld to %lld",
			 wr_cli_api_msg(l), wr_cli_api_msg(h), (long long)lo->min,
			 (long long)hi->max);
	}
	f->args[i] = (struct wr_arg){ f->names[i], f->helps[i] };
}

static void add_kw(struct wr_form *f, const struct wr_api_key *k, const char *word)
{
	snprintf(f->kw_word[f->n_kw], sizeof(f->kw_word[f->n_kw]), "%s", word);
	/* A list of hops is given a hop at a time: "hop in=a,out=b hop ..." */
	if (k && k->type == WR_T_HOPS && strlen(word) > 1 && word[strlen(word) - 1] == 's')
		f->kw_word[f->n_kw][strlen(word) - 1] = '\0';
	for (char *c = f->kw_word[f->n_kw]; *c; c++)
		*c = *c == '_' ? '-' : *c;
	f->kw_k[f->n_kw] = k;
	f->words[f->n_kw] = f->kw_word[f->n_kw];
	f->n_kw++;
}

/* After a list of hops's entry: one per hop key, "  fail=open|closed", as a hop word takes them. */
static void describe_hop_keys(struct wr_form *f, size_t *a)
{
	char word[24], mv[32], entry[64];

	for (size_t i = 0; i < wr_api_n_hop_keys; i++) {
		const struct wr_api_key *hk = &wr_api_hop_keys[i];

		snprintf(word, sizeof(word), "%s", hk->name);
		for (char *c = word; *c; c++)
			*c = *c == '_' ? '-' : *c;
		wr_cli_metavar(hk, word, mv, sizeof(mv));
		snprintf(entry, sizeof(entry), "  %s=%s", word, mv);
		describe(f, (*a)++, entry, hk);
	}
}

/* Whether @k is taken by position in @f. */
static bool is_pos(const struct wr_form *f, const struct wr_api_key *k)
{
	for (size_t p = 0; p < f->n_pos; p++)
		if (f->pos_k[p] == k)
			return true;
	return false;
}

/* The synopsis entry of keyword @w ("underlay PORT") into @buf. */
static void kw_synopsis(const struct wr_form *f, size_t w, char *buf, size_t size)
{
	char mv[80];

	if (f->kw_k[w])
		wr_cli_metavar(f->kw_k[w], f->words[w], mv, sizeof(mv));
	else
		snprintf(mv, sizeof(mv), "LO-HI");
	snprintf(buf, size, "%s %s", f->words[w], mv);
}

static bool kw_required(const struct wr_form *f, size_t w)
{
	return f->kw_k[w] && (f->kw_k[w]->flags & WR_KEY_REQUIRED);
}

static bool kw_one_of(const struct wr_form *f, size_t w)
{
	return f->kw_k[w] && (f->kw_k[w]->flags & WR_KEY_ONE_OF);
}

/* The synopsis of the keywords of which one is given: " {mac MAC | vlan N | vni N}". */
static size_t one_of_synopsis(struct wr_form *f, size_t o, size_t *a)
{
	char entry[128];
	int n = 0;

	for (size_t w = 0; w < f->n_kw; w++) {
		if (!kw_one_of(f, w))
			continue;
		kw_synopsis(f, w, entry, sizeof(entry));
		if (o < sizeof(f->synopsis))
			o += (size_t)snprintf(f->synopsis + o, sizeof(f->synopsis) - o, "%s%s",
					      n++ ? " | " : " {", entry);
		describe(f, (*a)++, entry, f->kw_k[w]);
	}
	if (n && o < sizeof(f->synopsis))
		o += (size_t)snprintf(f->synopsis + o, sizeof(f->synopsis) - o, "}");
	return o;
}

void wr_form_init(struct wr_form *f)
{
	size_t o, a = 0;
	char entry[128];

	for (f->n_pos = 0; f->n_pos < WR_FORM_POS_MAX && f->pos[f->n_pos].key; f->n_pos++)
		f->pos_k[f->n_pos] = wr_api_key_find(f->cmd, f->pos[f->n_pos].key);
	for (size_t i = 0; i < wr_api_n_keys && f->n_kw < WR_FORM_KW_MAX; i++) {
		const struct wr_api_key *k = &wr_api_keys[i];

		if (k->cmd != f->cmd || is_pos(f, k))
			continue;
		if (f->range.word && !strcmp(k->name, f->range.lo))
			add_kw(f, NULL, f->range.word);
		else if (!f->range.word || strcmp(k->name, f->range.hi))
			add_kw(f, k, wr_api_word(k->name));
	}
	o = (size_t)snprintf(f->synopsis, sizeof(f->synopsis), "%s %s", f->object, f->verb);
	for (size_t p = 0; p < f->n_pos; p++) {
		bool opt = f->pos_optional && p + 1 == f->n_pos;

		o += (size_t)snprintf(f->synopsis + o, sizeof(f->synopsis) - o, opt ? " [%s]" : " %s",
				      f->pos[p].metavar);
		describe(f, a++, f->pos[p].metavar, f->pos_k[p]);
	}
	/*
	 * The keywords of which one is given, in braces; the required ones,
	 * without brackets; then the others, in the table's order.
	 */
	o = one_of_synopsis(f, o, &a);
	for (int pass = 0; pass < 2; pass++)
		for (size_t w = 0; w < f->n_kw; w++) {
			if (kw_required(f, w) != !pass || kw_one_of(f, w))
				continue;
			kw_synopsis(f, w, entry, sizeof(entry));
			if (o < sizeof(f->synopsis))
				o += (size_t)snprintf(f->synopsis + o, sizeof(f->synopsis) - o,
						      pass ? " [%s]" : " %s", entry);
			describe(f, a++, entry, f->kw_k[w]);
			if (f->kw_k[w] && f->kw_k[w]->type == WR_T_HOPS)
				describe_hop_keys(f, &a);
		}
	f->args[a] = (struct wr_arg){ NULL, NULL };
	if (n_forms < FORMS_MAX)
		forms[n_forms++] = f;
}

const struct wr_form *wr_form_find(const char *object, const char *verb)
{
	for (size_t i = 0; i < n_forms; i++)
		if (!strcmp(forms[i]->object, object) && !strcmp(forms[i]->verb, verb))
			return forms[i];
	return NULL;
}

static int put_value(const struct wr_ctx *ctx, const struct wr_api_key *k, const char *word,
		     const char *text, struct json_object *a);

/* "in=fw-in,out=fw-out,fail=closed": one hop, appended to @a's list of key @k. */
static int put_hop(const struct wr_ctx *ctx, const struct wr_api_key *k, const char *word,
		   const char *text, struct json_object *a)
{
	struct json_object *hops, *hop = json_object_new_object();
	char item[128];

	for (const char *p = text; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		size_t n = strcspn(p, ",");
		const struct wr_api_key *hk;
		char *eq;

		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		/* The CLI's words: interval-ms for interval_ms. */
		for (char *c = item; eq && c < eq; c++)
			*c = *c == '-' ? '_' : *c;
		hk = wr_api_hop_key_find(item);
		if (!eq || !hk || json_object_object_get_ex(hop, item, NULL)) {
			char keys[256];
			size_t o = 0;

			for (size_t i = 0; i < wr_api_n_hop_keys && o < sizeof(keys); i++)
				o += (size_t)snprintf(keys + o, sizeof(keys) - o, "%s%s", i ? ", " : "",
						      wr_api_hop_keys[i].name);
			for (char *c = keys; *c; c++)
				*c = *c == '_' ? '-' : *c;
			json_object_put(hop);
			return wr_usage(ctx, "%s '%s': KEY=VALUE, by commas, of %s (in and out "
					"required), each once", word, text, keys);
		}
		if (put_value(ctx, hk, item, eq + 1, hop)) {
			json_object_put(hop);
			return WR_EXIT_USAGE;
		}
	}
	if (!json_object_object_get_ex(a, k->name, &hops)) {
		hops = json_object_new_array();
		json_object_object_add(a, k->name, hops);
	}
	json_object_array_add(hops, hop);
	return 0;
}

/* @text, the value of key @k given as @word, into @a as the key's type says. */
static int put_value(const struct wr_ctx *ctx, const struct wr_api_key *k, const char *word,
		     const char *text, struct json_object *a)
{
	const char *const *names = wr_cli_on_off;
	struct json_object *v;
	unsigned int u;
	int n = 2, i;

	switch (k->type) {
	case WR_T_INT:
		if (wr_parse_u32(ctx, word, text, (unsigned long)k->min, (unsigned long)k->max, &u))
			return WR_EXIT_USAGE;
		v = json_object_new_int64(u);
		break;
	case WR_T_ENUM:
		names = wr_api_enum_names((enum wr_api_enum)k->min, &n);
		/* fallthrough */
	case WR_T_BOOL:
		i = wr_cli_word(ctx, word, text, names, (size_t)n);
		if (i < 0)
			return WR_EXIT_USAGE;
		v = k->type == WR_T_BOOL ? json_object_new_boolean(i == 0) :
			json_object_new_string(names[i]);
		break;
	case WR_T_HOPS:
		return put_hop(ctx, k, word, text, a);
	case WR_T_RANGE:
		/* A number, or "LO-HI" as it is: wr_api_check() says what is wrong with it. */
		v = text[0] && strspn(text, "0123456789") == strlen(text) && strlen(text) < 6 ?
		    json_object_new_int(atoi(text)) : json_object_new_string(text);
		break;
	case WR_T_GOPTS:
		/* "0102:01:0000abcd,0103:80": wr_api_check() says what is wrong with each. */
		v = json_object_new_array();
		for (const char *p = text; ; p += strcspn(p, ",") + 1) {
			json_object_array_add(v, json_object_new_string_len(p, (int)strcspn(p, ",")));
			if (!p[strcspn(p, ",")])
				break;
		}
		break;
	default:
		/* Names, addresses, MACs: wr_api_check() says what is wrong with them. */
		v = json_object_new_string(text);
		break;
	}
	json_object_object_add(a, k->name, v);
	return 0;
}

/* The range keyword's @text "LO-HI" (or "N") into its two keys. */
static int put_range(const struct wr_ctx *ctx, const struct wr_form *f, size_t w,
		     const char *text, struct json_object *a)
{
	const struct wr_api_key *lo = wr_api_key_find(f->cmd, f->range.lo);
	const struct wr_api_key *hi = wr_api_key_find(f->cmd, f->range.hi);
	uint16_t l, h;
	int err;

	err = wr_range_scan(text, (unsigned int)lo->min, (unsigned int)hi->max, &l, &h);
	if (err == -ERANGE)
		return wr_usage(ctx, "%s: '%s' ends below its start (LO-HI, LO <= HI)", f->words[w],
				text);
	if (err)
		return wr_usage(ctx, "%s: '%s' is not LO-HI or N, each from %lld to %lld",
				f->words[w], text, (long long)lo->min, (long long)hi->max);
	json_object_object_add(a, lo->name, json_object_new_int(l));
	json_object_object_add(a, hi->name, json_object_new_int(h));
	return 0;
}

/*
 * wr_api_check()'s @msg in the CLI's words; a positional key at its start
 * is called what the synopsis calls it ("tunnel: ..." is "TUNNEL: ...").
 */
static const char *check_msg(const struct wr_form *f, char *msg, size_t size)
{
	char rest[256];
	size_t klen = strcspn(msg, ": '");

	for (size_t p = 0; p < f->n_pos; p++)
		if (strlen(f->pos_k[p]->name) == klen && !strncmp(msg, f->pos_k[p]->name, klen)) {
			snprintf(rest, sizeof(rest), "%s", msg + klen);
			snprintf(msg, size, "%s%s", f->pos[p].metavar, rest);
			break;
		}
	return wr_cli_api_msg(msg);
}

/* The keywords from argv[@i] into @a. */
static int keywords(const struct wr_ctx *ctx, const struct wr_form *f, int argc, char **argv,
		    int i, struct json_object *a)
{
	bool said[WR_FORM_KW_MAX] = { false };
	char entry[128];
	const char *v;
	int w;

	for (; i < argc; i++) {
		if (!f->n_kw)
			return wr_usage(ctx, "unexpected '%s' after %s", argv[i],
					f->pos[f->n_pos - 1].metavar);
		w = wr_cli_word(ctx, "keyword", argv[i], f->words, f->n_kw);
		if (w < 0)
			return WR_EXIT_USAGE;
		if (said[w] && !(f->kw_k[w] && f->kw_k[w]->type == WR_T_HOPS))
			return wr_usage(ctx, "'%s' given twice", f->words[w]);
		said[w] = true;
		v = wr_next_arg(ctx, argc, argv, &i);
		if (!v)
			return WR_EXIT_USAGE;
		if (f->kw_k[w] ? put_value(ctx, f->kw_k[w], f->words[w], v, a) :
		    put_range(ctx, f, (size_t)w, v, a))
			return WR_EXIT_USAGE;
	}
	for (size_t k = 0; k < f->n_kw; k++)
		if (kw_required(f, k) && !said[k]) {
			char help[384];

			kw_synopsis(f, k, entry, sizeof(entry));
			snprintf(help, sizeof(help), "%s", f->kw_k[k]->text);
			return wr_usage(ctx, "'%s' is missing: %s", entry, wr_cli_api_msg(help));
		}
	return 0;
}

int wr_form_args(const struct wr_ctx *ctx, const struct wr_form *f, int argc, char **argv,
		 struct json_object **args)
{
	struct json_object *a = json_object_new_object();
	char msg[320];
	int i = 0, err = 0;

	*args = NULL;
	if (!a)
		return wr_usage(ctx, "out of memory");
	for (size_t p = 0; p < f->n_pos && !err; p++, i++) {
		if (i < argc) {
			err = put_value(ctx, f->pos_k[p], f->pos[p].metavar, argv[i], a);
			continue;
		}
		if (f->pos_optional && p + 1 == f->n_pos)
			break;
		snprintf(msg, sizeof(msg), "%s", f->pos_k[p]->text);
		err = wr_usage(ctx, "expected %s: %s", f->pos[p].metavar, wr_cli_api_msg(msg));
	}
	if (!err)
		err = keywords(ctx, f, argc, argv, i, a);
	if (!err) {
		*args = wr_api_args_ordered(f->cmd, a);
		if (!*args)
			err = wr_usage(ctx, "out of memory");
	}
	json_object_put(a);
	if (!err && wr_api_check(f->cmd, *args, msg, sizeof(msg)))
		err = wr_usage(ctx, "%s", check_msg(f, msg, sizeof(msg)));
	if (err) {
		json_object_put(*args);
		*args = NULL;
	}
	return err;
}

int wr_form_run(const struct wr_ctx *ctx, const struct wr_form *f, int argc, char **argv,
		void (*text)(struct json_object *res))
{
	const char *cmd = wr_api_cmds[f->cmd].name;
	struct json_object *args;
	int err;

	err = wr_form_args(ctx, f, argc, argv, &args);
	if (err)
		return err;
	if (text)
		return wr_cli_show(ctx, cmd, args, text);
	return wr_cli_request(ctx, cmd, args, NULL);
}
