/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_yaml.c - the generic layer under the lab file schema: libyaml's
 * document tree read as typed values, with every problem reported at the
 * line and column of the node at fault.
 *
 * It owns the error list of a lab (kept sorted by position as errors come,
 * capped at LAB_MAX_ERRORS), quoting file text safely into messages, key
 * checking (unknown, misplaced, repeated), the typed getters, and pass 1:
 * the scan of libyaml's events for what the tree hides. It knows nothing of
 * namespaces or links; labfile.c does.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "err_priv.h"
#include "labfile_priv.h"

#define LAB_MAX_ERRORS	100		/* the last one says how many more */
/*
 * Mappings and sequences inside each other. A lab needs 6; libyaml's
 * scanner costs O(depth) per token in flow style ("[[[[..."), so a deep
 * file would take minutes to read unless refused at the first level past.
 */
#define LAB_MAX_DEPTH	32

/* ----------------------------------------------------------------- errors */

static bool pos_before(struct wr_pos a, struct wr_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/*
 * Insert an error in position order (after those at the same place, so that
 * the order they were found in is kept among them). When full, keep the
 * first LAB_MAX_ERRORS in file order: a later pass may find earlier errors.
 */
void wr_lab_add_error(struct wr_lab *lab, size_t *n_dropped, struct wr_pos pos,
		      const char *fmt, va_list ap)
{
	struct wr_lab_error *e = lab->errors;
	size_t i;

	if (lab->n_errors == LAB_MAX_ERRORS) {
		(*n_dropped)++;
		if (!pos_before(pos, e[LAB_MAX_ERRORS - 1].pos))
			return;
		lab->n_errors--;
	}
	for (i = lab->n_errors; i > 0 && pos_before(pos, e[i - 1].pos); i--)
		;
	memmove(&e[i + 1], &e[i], (lab->n_errors - i) * sizeof(*e));
	e[i].pos = pos;
	vsnprintf(e[i].msg, sizeof(e[i].msg), fmt, ap);
	lab->n_errors++;
}

struct wr_lab *wr_lab_new(const char *file)
{
	struct wr_lab *lab;

	lab = calloc(1, sizeof(*lab));
	if (!lab)
		return NULL;
	lab->errors = calloc(LAB_MAX_ERRORS, sizeof(*lab->errors));
	if (!lab->errors) {
		free(lab);
		return NULL;
	}
	snprintf(lab->file, sizeof(lab->file), "%s", file ? file : "");
	return lab;
}

/* The last slot says how many more there were, in place of one of them. */
void wr_lab_finish_errors(struct wr_lab *lab, size_t n_dropped)
{
	struct wr_lab_error *last = &lab->errors[LAB_MAX_ERRORS - 1];

	if (!n_dropped)
		return;
	snprintf(last->msg, sizeof(last->msg), "too many errors: %zu more not shown",
		 n_dropped + 1);
}

void wr_lab_err_at(struct lab_ctx *c, struct wr_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wr_lab_add_error(c->lab, &c->n_dropped, pos, fmt, ap);
	va_end(ap);
}

void wr_lab_err_node(struct lab_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wr_lab_add_error(c->lab, &c->n_dropped, lab_node_pos(n), fmt, ap);
	va_end(ap);
}

/* @s quoted for a message (wr_err_quote) into @buf of LAB_SHOW_SIZE bytes. */
const char *wr_lab_show(char *buf, const char *s)
{
	return wr_err_quote(buf, LAB_SHOW_SIZE, s);
}

/* The first @len bytes of @s, shown. */
const char *wr_lab_show_n(char *buf, const char *s, size_t len)
{
	char tmp[LAB_SHOW_SIZE];

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return wr_lab_show(buf, tmp);
}

/* ------------------------------------------------------------------ nodes */

static unsigned int node_line(const yaml_node_t *n)
{
	return (unsigned int)n->start_mark.line + 1;
}

const char *wr_lab_desc(char *buf, const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_SCALAR_NODE:
		if (lab_is_null(n))
			return "an empty value";
		buf[0] = '\'';
		wr_lab_show(buf + 1, lab_text(n));
		strcat(buf, "'");
		return buf;
	default:
		return "nothing";
	}
}

const char *wr_lab_scalar(struct lab_ctx *c, const yaml_node_t *n, const char *what,
			  const char *expected)
{
	char d[LAB_DESC_SIZE];

	if (n->type != YAML_SCALAR_NODE || lab_is_null(n)) {
		wr_lab_err_node(c, n, "%s: expected %s, got %s", what, expected, wr_lab_desc(d, n));
		return NULL;
	}
	/* A double-quoted "\0" gets through libyaml; C strings cannot hold it. */
	if (strlen(lab_text(n)) != n->data.scalar.length) {
		wr_lab_err_node(c, n, "%s: a NUL byte is not allowed here", what);
		return NULL;
	}
	return lab_text(n);
}

yaml_node_t *wr_lab_find_value(struct lab_ctx *c, const yaml_node_t *map, const char *name)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = lab_node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(lab_text(k), name))
			return lab_node(c, p->value);
	}
	return NULL;
}

/* "a, b, c": the names in @known whose bit is set in @allowed. */
static const char *join_keys(char *buf, size_t size, const char *const *known, unsigned int allowed)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; known[i] && o < size; i++)
		if (allowed & (1u << i))
			o += snprintf(buf + o, size - o, "%s%s", o ? ", " : "", known[i]);
	return buf;
}

void wr_lab_get_keys(struct lab_ctx *c, const yaml_node_t *map, const char *const *known,
		     unsigned int allowed, const char *where, yaml_node_t **vals)
{
	yaml_node_t *keys[32] = { NULL };
	yaml_node_pair_t *p;
	char b[LAB_SHOW_SIZE], list[256];
	const char *name;
	size_t i;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = lab_node(c, p->key);

		name = wr_lab_scalar(c, k, "mapping key", "a key name");
		if (!name)
			continue;
		for (i = 0; known[i] && strcmp(known[i], name); i++)
			;
		if (!known[i]) {
			wr_lab_err_node(c, k, "unknown key '%s' %s (expected one of: %s)",
					wr_lab_show(b, name), where,
					join_keys(list, sizeof(list), known, allowed));
			continue;
		}
		if (!(allowed & (1u << i))) {
			wr_lab_err_node(c, k, "key '%s' is not valid %s (expected one of: %s)",
					name, where, join_keys(list, sizeof(list), known, allowed));
			continue;
		}
		if (keys[i]) {
			wr_lab_err_node(c, k, "duplicate key '%s' (first at line %u)", name,
					node_line(keys[i]));
			continue;
		}
		keys[i] = k;
		vals[i] = lab_node(c, p->value);
	}
}

struct key_ref {
	const char *s;
	size_t len;
	size_t i;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int r;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	r = memcmp(x->s, y->s, x->len);
	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * For mappings keyed by names (namespaces, interfaces, sysctls), which may
 * be long: mark in @dup the pairs whose key repeats an earlier one, and
 * report each as "duplicate @what". Sorting keeps this O(n log n).
 */
void wr_lab_find_dups(struct lab_ctx *c, const yaml_node_t *map, bool *dup, const char *what)
{
	yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
	size_t n = lab_n_pairs(map), m = 0, i, f;
	struct key_ref *r;
	char b[LAB_SHOW_SIZE];

	if (n < 2)
		return;
	r = calloc(n, sizeof(*r));
	if (!r) {
		c->oom = true;
		return;
	}
	for (i = 0; i < n; i++) {
		yaml_node_t *k = lab_node(c, pairs[i].key);

		if (k->type != YAML_SCALAR_NODE)
			continue;
		r[m].s = lab_text(k);
		r[m].len = k->data.scalar.length;
		r[m].i = i;
		m++;
	}
	qsort(r, m, sizeof(*r), key_ref_cmp);
	for (f = 0, i = 1; i < m; i++) {
		yaml_node_t *k;

		if (r[i].len != r[f].len || memcmp(r[i].s, r[f].s, r[i].len)) {
			f = i;
			continue;
		}
		dup[r[i].i] = true;
		k = lab_node(c, pairs[r[i].i].key);
		wr_lab_err_node(c, k, "duplicate %s '%s' (first at line %u)", what,
				wr_lab_show(b, r[i].s), node_line(lab_node(c, pairs[r[f].i].key)));
	}
	free(r);
}

/* --------------------------------------------------------------- scalars */

/* An integer min..max written in plain decimal; 0 or -EINVAL after an error. */
int wr_lab_get_uint(struct lab_ctx *c, const yaml_node_t *n, const char *what, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	char expected[64], b[LAB_SHOW_SIZE];
	const char *s, *p;
	uint64_t v = 0;

	snprintf(expected, sizeof(expected), "an integer %" PRIu64 "..%" PRIu64, min, max);
	s = wr_lab_scalar(c, n, what, expected);
	if (!s)
		return -EINVAL;
	p = s[0] == '-' ? s + 1 : s;
	if (!*p || p[strspn(p, "0123456789")]) {
		wr_lab_err_node(c, n, "%s: '%s' is not a decimal integer (expected %" PRIu64 "..%" PRIu64 ")",
				what, wr_lab_show(b, s), min, max);
		return -EINVAL;
	}
	/* YAML 1.1 reads 0755 as octal; refuse rather than guess. */
	if (p[0] == '0' && p[1]) {
		wr_lab_err_node(c, n, "%s: '%s' has a leading zero (write a plain decimal integer %"
				PRIu64 "..%" PRIu64 ")", what, wr_lab_show(b, s), min, max);
		return -EINVAL;
	}
	if (s[0] == '-') {
		wr_lab_err_node(c, n, "%s: %s is negative (expected %" PRIu64 "..%" PRIu64 ")",
				what, wr_lab_show(b, s), min, max);
		return -EINVAL;
	}
	for (; *p; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10) {
			v = UINT64_MAX;
			break;
		}
		v = v * 10 + d;
	}
	if (v < min || v > max || *p) {
		wr_lab_err_node(c, n, "%s: %s is out of range (expected %" PRIu64 "..%" PRIu64 ")",
				what, wr_lab_show(b, s), min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int wr_lab_get_bool(struct lab_ctx *c, const yaml_node_t *n, const char *what, bool *out)
{
	char b[LAB_SHOW_SIZE];
	const char *s;

	s = wr_lab_scalar(c, n, what, "true or false");
	if (!s)
		return -EINVAL;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
		*out = false;
		return 0;
	}
	wr_lab_err_node(c, n, "%s: expected true, false, yes or no, got '%s'", what,
			wr_lab_show(b, s));
	return -EINVAL;
}

int wr_lab_get_addr(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_cidr *out)
{
	char b[LAB_SHOW_SIZE];
	const char *s;

	s = wr_lab_scalar(c, n, what, "an IPv4 or IPv6 address");
	if (!s)
		return -EINVAL;
	if (strchr(s, '/')) {
		wr_lab_err_node(c, n, "%s: '%s': expected an address without a prefix length", what,
				wr_lab_show(b, s));
		return -EINVAL;
	}
	if (wr_parse_cidr(s, false, out)) {
		wr_lab_err_node(c, n, "%s: %s", what, wr_err_msg());
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------- YAML */

/* Line and column of byte @off of @buf, for libyaml's reader errors. */
static struct wr_pos offset_pos(const char *buf, size_t len, size_t off)
{
	struct wr_pos pos = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
			pos.line++;
			pos.col = 1;
		} else if (buf[i] != '\r') {
			pos.col++;
		}
	}
	return pos;
}

void wr_lab_yaml_error(struct lab_ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	struct wr_pos pos = lab_mark_pos(p->problem_mark);
	const char *problem = p->problem ? p->problem : "unknown error";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		c->oom = true;
		break;
	case YAML_READER_ERROR:
		/* The reader counts bytes, not lines. */
		pos = offset_pos(buf, len, p->problem_offset);
		if (p->problem_value != -1)
			wr_lab_err_at(c, pos, "%s (byte 0x%02x)", problem,
				      (unsigned int)p->problem_value & 0xff);
		else
			wr_lab_err_at(c, pos, "%s", problem);
		break;
	default:
		if (p->context)
			wr_lab_err_at(c, pos, "%s (%s at line %zu, column %zu)", problem,
				      p->context, p->context_mark.line + 1,
				      p->context_mark.column + 1);
		else
			wr_lab_err_at(c, pos, "%s", problem);
		break;
	}
}

/*
 * libyaml's events show what the document tree hides: where the syntax
 * breaks, where aliases are (the tree holds only the anchored node), a
 * second document, and a nesting too deep to load in reasonable time.
 */
int wr_lab_prescan(struct lab_ctx *c, const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int docs = 0, depth = 0, err = 0;
	char b[LAB_SHOW_SIZE];

	if (!yaml_parser_initialize(&p)) {
		c->oom = true;
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			wr_lab_yaml_error(c, &p, buf, len);
			err = -EINVAL;
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs == 2) {
			wr_lab_err_at(c, lab_mark_pos(ev.start_mark),
				      "a second YAML document: a lab file holds one");
			yaml_event_delete(&ev);
			err = -EINVAL;
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > LAB_MAX_DEPTH) {
				wr_lab_err_at(c, lab_mark_pos(ev.start_mark),
					      "nested more than %d levels deep (a lab needs 6)",
					      LAB_MAX_DEPTH);
				yaml_event_delete(&ev);
				err = -EINVAL;
				break;
			}
		}
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (ev.type == YAML_ALIAS_EVENT) {
			wr_lab_err_at(c, lab_mark_pos(ev.start_mark),
				      "alias '*%s' is not supported in lab files (write the value out)",
				      wr_lab_show(b, (const char *)ev.data.alias.anchor));
			err = -EINVAL;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return err;
}
