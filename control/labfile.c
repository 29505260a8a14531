/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile.c - the lab file: YAML text in, a checked struct wr_lab out.
 *
 * Everything is checked here, before wr_lab_up() could touch the system,
 * and every problem is reported, each at the line and column of the node at
 * fault: the key for unknown or repeated keys, the value for bad values, the
 * mapping for missing keys. Names may be used before they are defined (an
 * interface section names a device that a link further down creates), so the
 * work goes in passes, and errors are kept sorted by position as they come:
 *
 *   1. libyaml's event stream: syntax errors, aliases, a second document;
 *   2. the document tree: top-level keys, the prefix, namespace names;
 *   3. links, then the table of the devices they create (duplicates);
 *   4. lower devices of links (they may name a later link);
 *   5. namespace bodies: sysctls, interfaces, routes (they name devices).
 *
 * Aliases are refused rather than resolved: the tree holds one node for an
 * anchor and all its aliases, so a value used twice would be reported twice
 * at the anchor, and a few aliases of aliases could make a small file
 * describe millions of objects.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "wr_control.h"

#define LAB_MAX_SIZE	(1024 * 1024)	/* bytes of YAML */
#define LAB_MAX_ERRORS	100		/* the last one says how many more */
#define LAB_MAX_NS	1024
#define LAB_MAX_LINKS	4096
#define LAB_MAX_IFACES	1024		/* per namespace */
#define LAB_MAX_ADDRS	256		/* per interface */
#define LAB_MAX_ROUTES	1024		/* per namespace */
#define LAB_MAX_SYSCTLS	256		/* per namespace */
#define LAB_PREFIX_MAX	32		/* bytes; sizeof(wr_lab.prefix) - 1 */
/*
 * Mappings and sequences inside each other. A lab needs 6; libyaml's
 * scanner costs O(depth) per token in flow style ("[[[[..."), so a deep
 * file would take minutes to read unless refused at the first level past.
 */
#define LAB_MAX_DEPTH	32

/* Room for a quoted value in a message; longer values are cut with "...". */
#define SHOW_SIZE	72
/* Room for what a node is: "a mapping", "'text'", ... */
#define DESC_SIZE	(SHOW_SIZE + 2)

/* A device some link creates: what names in the file can refer to. */
struct lab_dev {
	const char *netns;	/* real name, "" for root: in lab->links */
	const char *ifname;	/* real name: in lab->links */
	size_t link;		/* index in lab->links */
	int ns;			/* index in lab->ns, -1 for root */
	unsigned int end;	/* 0: the link's device, 1: a veth's peer */
	struct wr_pos pos;	/* of the name or endpoint that creates it */
};

/* What the later passes need to know about one link. */
struct lab_link_aux {
	bool kind_ok;		/* spec.kind was given and is known */
	bool ep_ok, peer_ok;	/* spec.ep / spec.peer hold valid names */
	int ns, peer_ns;	/* index in lab->ns, -1 for root */
	struct wr_pos ep_pos, peer_pos;
	yaml_node_t *lower;	/* the value of `link`, NULL if none */
	long lower_link;	/* the link creating the lower device, -1 if none */
};

struct lab_ctx {
	struct wr_lab *lab;
	yaml_document_t *doc;
	size_t n_dropped;		/* errors found past LAB_MAX_ERRORS */
	bool oom;
	yaml_node_t **ns_body;		/* per lab->ns: its body */
	struct lab_link_aux *aux;	/* per lab->links */
	struct lab_dev *devs;		/* sorted by netns, ifname, file order */
	size_t n_devs;
};

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
static void add_error(struct wr_lab *lab, size_t *n_dropped, struct wr_pos pos,
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

static struct wr_pos node_pos(const yaml_node_t *n)
{
	struct wr_pos p = {
		.line = (uint32_t)n->start_mark.line + 1,
		.col = (uint32_t)n->start_mark.column + 1,
	};

	return p;
}

static unsigned int node_line(const yaml_node_t *n)
{
	return (unsigned int)n->start_mark.line + 1;
}

__attribute__((format(printf, 3, 4)))
static void err_at(struct lab_ctx *c, struct wr_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(c->lab, &c->n_dropped, pos, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void err_node(struct lab_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(c->lab, &c->n_dropped, node_pos(n), fmt, ap);
	va_end(ap);
}

/*
 * Copy @s into @buf (SHOW_SIZE bytes) for a message: bytes that are not
 * printable ASCII, and the quote and backslash, become \xNN so that a
 * message never carries a newline or a terminal escape out of the file.
 */
static const char *show(char *buf, const char *s)
{
	size_t o = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (o > SHOW_SIZE - 9) {
			memcpy(buf + o, "...", 4);
			return buf;
		}
		if (ch < 0x20 || ch >= 0x7f || ch == '\'' || ch == '\\')
			o += snprintf(buf + o, SHOW_SIZE - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return buf;
}

/* The first @len bytes of @s, shown. */
static const char *show_n(char *buf, const char *s, size_t len)
{
	char tmp[SHOW_SIZE];

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return show(buf, tmp);
}

/* ------------------------------------------------------------------ nodes */

static yaml_node_t *node(struct lab_ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

static const char *text_of(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* An empty value: nothing after the colon, "~" or "null", unquoted. */
static bool is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = text_of(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* What @n is, for "expected X, got Y". */
static const char *desc(char *buf, const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_SCALAR_NODE:
		if (is_null(n))
			return "an empty value";
		buf[0] = '\'';
		show(buf + 1, text_of(n));
		strcat(buf, "'");
		return buf;
	default:
		return "nothing";
	}
}

static size_t n_pairs(const yaml_node_t *map)
{
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static size_t n_items(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * The text of @n, the value of @what; NULL after an error saying that
 * @expected was expected.
 */
static const char *scalar(struct lab_ctx *c, const yaml_node_t *n, const char *what,
			  const char *expected)
{
	char d[DESC_SIZE];

	if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		err_node(c, n, "%s: expected %s, got %s", what, expected, desc(d, n));
		return NULL;
	}
	/* A double-quoted "\0" gets through libyaml; C strings cannot hold it. */
	if (strlen(text_of(n)) != n->data.scalar.length) {
		err_node(c, n, "%s: a NUL byte is not allowed here", what);
		return NULL;
	}
	return text_of(n);
}

/* The value of the first key @name in @map, NULL if none. */
static yaml_node_t *find_value(struct lab_ctx *c, const yaml_node_t *map, const char *name)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(text_of(k), name))
			return node(c, p->value);
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

/*
 * Sort the pairs of @map among the keys of this place: @known lists them
 * (NULL-terminated, at most 32), @allowed has a bit set for each one that is
 * valid here, @where says where "here" is. @vals[i] receives the value of
 * known[i], NULL when absent. Unknown, repeated and non-text keys are
 * reported at the key.
 */
static void get_keys(struct lab_ctx *c, const yaml_node_t *map, const char *const *known,
		     unsigned int allowed, const char *where, yaml_node_t **vals)
{
	yaml_node_t *keys[32] = { NULL };
	yaml_node_pair_t *p;
	char b[SHOW_SIZE], list[128];
	const char *name;
	size_t i;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);

		name = scalar(c, k, "mapping key", "a key name");
		if (!name)
			continue;
		for (i = 0; known[i] && strcmp(known[i], name); i++)
			;
		if (!known[i]) {
			err_node(c, k, "unknown key '%s' %s (expected one of: %s)", show(b, name),
				 where, join_keys(list, sizeof(list), known, allowed));
			continue;
		}
		if (!(allowed & (1u << i))) {
			err_node(c, k, "key '%s' is not valid %s (expected one of: %s)", name,
				 where, join_keys(list, sizeof(list), known, allowed));
			continue;
		}
		if (keys[i]) {
			err_node(c, k, "duplicate key '%s' (first at line %u)", name,
				 node_line(keys[i]));
			continue;
		}
		keys[i] = k;
		vals[i] = node(c, p->value);
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
static void find_dups(struct lab_ctx *c, const yaml_node_t *map, bool *dup, const char *what)
{
	yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
	size_t n = n_pairs(map), m = 0, i, f;
	struct key_ref *r;
	char b[SHOW_SIZE];

	if (n < 2)
		return;
	r = calloc(n, sizeof(*r));
	if (!r) {
		c->oom = true;
		return;
	}
	for (i = 0; i < n; i++) {
		yaml_node_t *k = node(c, pairs[i].key);

		if (k->type != YAML_SCALAR_NODE)
			continue;
		r[m].s = text_of(k);
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
		k = node(c, pairs[r[i].i].key);
		err_node(c, k, "duplicate %s '%s' (first at line %u)", what, show(b, r[i].s),
			 node_line(node(c, pairs[r[f].i].key)));
	}
	free(r);
}

/* --------------------------------------------------------------- scalars */

/* An integer min..max written in plain decimal; 0 or -EINVAL after an error. */
static int get_uint(struct lab_ctx *c, const yaml_node_t *n, const char *what, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	char expected[64], b[SHOW_SIZE];
	const char *s, *p;
	uint64_t v = 0;

	snprintf(expected, sizeof(expected), "an integer %" PRIu64 "..%" PRIu64, min, max);
	s = scalar(c, n, what, expected);
	if (!s)
		return -EINVAL;
	p = s[0] == '-' ? s + 1 : s;
	if (!*p || p[strspn(p, "0123456789")]) {
		err_node(c, n, "%s: '%s' is not a decimal integer (expected %" PRIu64 "..%" PRIu64 ")",
			 what, show(b, s), min, max);
		return -EINVAL;
	}
	/* YAML 1.1 reads 0755 as octal; refuse rather than guess. */
	if (p[0] == '0' && p[1]) {
		err_node(c, n, "%s: '%s' has a leading zero (write a plain decimal integer %" PRIu64
			 "..%" PRIu64 ")", what, show(b, s), min, max);
		return -EINVAL;
	}
	if (s[0] == '-') {
		err_node(c, n, "%s: %s is negative (expected %" PRIu64 "..%" PRIu64 ")", what,
			 show(b, s), min, max);
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
		err_node(c, n, "%s: %s is out of range (expected %" PRIu64 "..%" PRIu64 ")", what,
			 show(b, s), min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int get_bool(struct lab_ctx *c, const yaml_node_t *n, const char *what, bool *out)
{
	char b[SHOW_SIZE];
	const char *s;

	s = scalar(c, n, what, "true or false");
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
	err_node(c, n, "%s: expected true, false, yes or no, got '%s'", what, show(b, s));
	return -EINVAL;
}

static size_t addr_len(const struct wr_cidr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

static bool addr_is_zero(const struct wr_cidr *a)
{
	size_t i;

	for (i = 0; i < addr_len(a); i++)
		if (a->addr.bytes[i])
			return false;
	return true;
}

static bool addr_is_multicast(const struct wr_cidr *a)
{
	if (a->family == AF_INET)
		return (a->addr.bytes[0] & 0xf0) == 0xe0;
	return a->addr.bytes[0] == 0xff;
}

static bool addr_is_unicast(const struct wr_cidr *a)
{
	static const uint8_t bcast[4] = { 0xff, 0xff, 0xff, 0xff };

	if (a->family == AF_INET && !memcmp(a->addr.bytes, bcast, 4))
		return false;
	return !addr_is_zero(a) && !addr_is_multicast(a);
}

static int ip_version(const struct wr_cidr *a)
{
	return a->family == AF_INET ? 4 : 6;
}

/* An address without prefix length (gateway, tunnel end); 0 or -EINVAL. */
static int get_addr(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_cidr *out)
{
	char b[SHOW_SIZE];
	const char *s;

	s = scalar(c, n, what, "an IPv4 or IPv6 address");
	if (!s)
		return -EINVAL;
	if (strchr(s, '/')) {
		err_node(c, n, "%s: '%s': expected an address without a prefix length", what,
			 show(b, s));
		return -EINVAL;
	}
	if (wr_parse_cidr(s, false, out)) {
		err_node(c, n, "%s: %s", what, wr_err_msg());
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------- top level */

static const char *const top_keys[] = { "prefix", "namespaces", "links", NULL };
enum { TOP_PREFIX, TOP_NAMESPACES, TOP_LINKS, TOP_COUNT };

static void parse_prefix(struct lab_ctx *c, const yaml_node_t *n)
{
	char b[SHOW_SIZE];
	const char *s;
	size_t len;

	if (is_null(n))
		return;
	s = scalar(c, n, "prefix", "a name prefix such as 't1-'");
	if (!s)
		return;
	len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	if (s[len]) {
		err_node(c, n, "prefix: '%s' may only contain A-Z a-z 0-9 _ . -", show(b, s));
		return;
	}
	if (len > LAB_PREFIX_MAX) {
		err_node(c, n, "prefix: '%s' is %zu bytes, at most %d are allowed", show(b, s), len,
			 LAB_PREFIX_MAX);
		return;
	}
	memcpy(c->lab->prefix, s, len + 1);
}

/* Index of the namespace written @name (@len bytes) in @lab, or -1. */
static int find_ns(const struct wr_lab *lab, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < lab->n_ns; i++)
		if (strlen(lab->ns[i].name) == len && !memcmp(lab->ns[i].name, name, len))
			return (int)i;
	return -1;
}

const struct wr_lab_ns *wr_lab_find_ns(const struct wr_lab *lab, const char *name)
{
	int i;

	if (!lab || !name)
		return NULL;
	i = find_ns(lab, name, strlen(name));
	return i < 0 ? NULL : &lab->ns[i];
}

/* Pass 2: the names under `namespaces`; their bodies wait for pass 5. */
static void parse_ns_names(struct lab_ctx *c, const yaml_node_t *map)
{
	struct wr_lab *lab = c->lab;
	size_t n, i, plen = strlen(lab->prefix);
	char d[DESC_SIZE], b[SHOW_SIZE];
	bool *dup;

	if (is_null(map))
		return;
	if (map->type != YAML_MAPPING_NODE) {
		err_node(c, map, "namespaces: expected a mapping, got %s", desc(d, map));
		return;
	}
	n = n_pairs(map);
	if (!n)
		return;
	dup = calloc(n, sizeof(*dup));
	lab->ns = calloc(min_size(n, LAB_MAX_NS), sizeof(*lab->ns));
	c->ns_body = calloc(min_size(n, LAB_MAX_NS), sizeof(*c->ns_body));
	if (!dup || !lab->ns || !c->ns_body) {
		c->oom = true;
		goto out;
	}
	find_dups(c, map, dup, "namespace");
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = node(c, p->key);
		struct wr_lab_ns *ns;
		const char *name;
		size_t len;

		if (dup[i])
			continue;
		if (lab->n_ns == LAB_MAX_NS) {
			err_node(c, k, "namespaces: too many namespaces (at most %d)", LAB_MAX_NS);
			break;
		}
		name = scalar(c, k, "namespaces", "a namespace name");
		if (!name)
			continue;
		if (wr_valid_netns_name(name)) {
			err_node(c, k, "%s", wr_err_msg());
			continue;
		}
		len = strlen(name);
		ns = &lab->ns[lab->n_ns];
		memcpy(ns->name, name, len + 1);
		/* Kept even when too long, so that links naming it do not fail too. */
		if (plen + len > WR_NETNS_NAME_MAX) {
			err_node(c, k, "namespace '%s': with the prefix '%s' its name is %zu bytes, at most %d are allowed",
				 show(b, name), lab->prefix, plen + len, WR_NETNS_NAME_MAX);
			len = WR_NETNS_NAME_MAX - plen;
		}
		memcpy(ns->full, lab->prefix, plen);
		memcpy(ns->full + plen, name, len);
		ns->full[plen + len] = '\0';
		ns->pos = node_pos(k);
		c->ns_body[lab->n_ns] = node(c, p->value);
		lab->n_ns++;
	}
out:
	free(dup);
}

/* ------------------------------------------------------------------ links */

static const char *const link_keys[] = {
	"kind", "name", "endpoints", "owner", "group", "vni", "dstport", "local", "remote",
	"link", "mode", "id", NULL
};
enum {
	LK_KIND, LK_NAME, LK_ENDPOINTS, LK_OWNER, LK_GROUP, LK_VNI, LK_DSTPORT, LK_LOCAL,
	LK_REMOTE, LK_LINK, LK_MODE, LK_ID, LK_COUNT
};

#define K(x) (1u << LK_##x)
/* The keys each kind takes, and those it cannot do without. */
static const struct {
	unsigned int allowed, required;
} kind_rules[WR_LINK_KIND_COUNT] = {
	[WR_LINK_VETH] = { K(KIND) | K(ENDPOINTS), K(ENDPOINTS) },
	[WR_LINK_TAP] = { K(KIND) | K(NAME) | K(OWNER) | K(GROUP), K(NAME) },
	[WR_LINK_TUN] = { K(KIND) | K(NAME) | K(OWNER) | K(GROUP), K(NAME) },
	[WR_LINK_BRIDGE] = { K(KIND) | K(NAME), K(NAME) },
	[WR_LINK_VXLAN] = { K(KIND) | K(NAME) | K(VNI) | K(DSTPORT) | K(LOCAL) | K(REMOTE) |
			    K(LINK), K(NAME) | K(VNI) },
	[WR_LINK_MACVLAN] = { K(KIND) | K(NAME) | K(LINK) | K(MODE), K(NAME) | K(LINK) },
	[WR_LINK_DUMMY] = { K(KIND) | K(NAME), K(NAME) },
	[WR_LINK_IPVLAN] = { K(KIND) | K(NAME) | K(LINK), K(NAME) | K(LINK) },
	[WR_LINK_VLAN] = { K(KIND) | K(NAME) | K(LINK) | K(ID), K(NAME) | K(LINK) | K(ID) },
	[WR_LINK_GENEVE] = { K(KIND) | K(NAME) | K(VNI) | K(REMOTE) | K(DSTPORT),
			     K(NAME) | K(VNI) | K(REMOTE) },
};
#undef K

/*
 * Parse the endpoint @n, "ns:ifname" or "ifname" (root namespace), into @ep
 * with the real names: the namespace's full name, and for the root the
 * prefixed device name. *@ns_idx: index in lab->ns, -1 for root.
 */
static int parse_ep(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_ep *ep, int *ns_idx, struct wr_pos *pos)
{
	struct wr_lab *lab = c->lab;
	size_t plen = strlen(lab->prefix);
	const char *s, *colon, *ifname;
	char b[SHOW_SIZE], b2[SHOW_SIZE];
	int idx = -1, err = 0;

	*pos = node_pos(n);
	s = scalar(c, n, what, "NAMESPACE:IFNAME or IFNAME");
	if (!s)
		return -EINVAL;
	colon = strchr(s, ':');
	ifname = colon ? colon + 1 : s;
	if (colon == s) {
		err_node(c, n, "%s: '%s': the namespace before ':' is empty", what, show(b, s));
		err = -EINVAL;
	} else if (colon) {
		idx = find_ns(lab, s, (size_t)(colon - s));
		if (idx < 0) {
			err_node(c, n, "%s: namespace '%s' is not declared (add it under 'namespaces')",
				 what, show_n(b, s, (size_t)(colon - s)));
			err = -EINVAL;
		}
	}
	if (wr_valid_ifname(ifname)) {
		err_node(c, n, "%s: %s", what, wr_err_msg());
		return -EINVAL;
	}
	if (err)
		return err;
	if (!colon && plen + strlen(ifname) > WR_IFNAME_MAX) {
		err_node(c, n, "%s: '%s%s': with the prefix the interface name is %zu bytes, at most %d are allowed",
			 what, lab->prefix, show(b, ifname), plen + strlen(ifname), WR_IFNAME_MAX);
		return -EINVAL;
	}
	if (colon) {
		strcpy(ep->netns, lab->ns[idx].full);
		strcpy(ep->ifname, ifname);
	} else {
		ep->netns[0] = '\0';
		memcpy(ep->ifname, lab->prefix, plen);
		strcpy(ep->ifname + plen, ifname);
	}
	if (!strcmp(ep->ifname, "lo")) {
		err_node(c, n, "%s: '%s': every namespace already has its loopback device 'lo'",
			 what, show(b2, s));
		return -EINVAL;
	}
	*ns_idx = idx;
	return 0;
}

static void parse_endpoints(struct lab_ctx *c, const yaml_node_t *seq, struct wr_link_spec *s,
			    struct lab_link_aux *a)
{
	char d[DESC_SIZE], b[SHOW_SIZE];
	yaml_node_t *e0, *e1;

	if (seq->type != YAML_SEQUENCE_NODE) {
		err_node(c, seq, "endpoints: expected a sequence of two endpoints, got %s",
			 desc(d, seq));
		return;
	}
	if (n_items(seq) != 2) {
		err_node(c, seq, "endpoints: expected exactly two endpoints, got %zu", n_items(seq));
		return;
	}
	e0 = node(c, seq->data.sequence.items.start[0]);
	e1 = node(c, seq->data.sequence.items.start[1]);
	a->ep_ok = !parse_ep(c, e0, "endpoints", &s->ep, &a->ns, &a->ep_pos);
	a->peer_ok = !parse_ep(c, e1, "endpoints", &s->peer, &a->peer_ns, &a->peer_pos);
	if (a->ep_ok && a->peer_ok && !strcmp(s->ep.netns, s->peer.netns) &&
	    !strcmp(s->ep.ifname, s->peer.ifname)) {
		err_node(c, e1, "endpoints: both ends are '%s' (expected two distinct endpoints)",
			 show(b, text_of(e1)));
		a->peer_ok = false;
	}
}

/* vxlan/geneve `remote`, once parsed into s->remote. */
static void check_remote(struct lab_ctx *c, yaml_node_t **v, struct wr_link_spec *s)
{
	const yaml_node_t *n = v[LK_REMOTE];
	char b[SHOW_SIZE];
	const char *t = text_of(n);

	if (addr_is_zero(&s->remote) ||
	    (!addr_is_unicast(&s->remote) && !addr_is_multicast(&s->remote))) {
		err_node(c, n, "remote: '%s' is not a usable address (expected the unicast address of the other end%s)",
			 show(b, t), s->kind == WR_LINK_VXLAN ? " or a multicast group" : "");
		return;
	}
	if (s->kind == WR_LINK_GENEVE && addr_is_multicast(&s->remote)) {
		err_node(c, n, "remote: '%s' is a multicast address; geneve needs the unicast address of the other end",
			 show(b, t));
		return;
	}
	if (s->has_local && s->local.family != s->remote.family) {
		err_node(c, n, "remote: '%s' is IPv%d but local is IPv%d", show(b, t),
			 ip_version(&s->remote), ip_version(&s->local));
		return;
	}
	/* The kernel must know which device joins the group (iproute2 says so too). */
	if (addr_is_multicast(&s->remote) && !v[LK_LINK]) {
		err_node(c, n, "remote: multicast group '%s' needs 'link', the device to join it on",
			 show(b, t));
		return;
	}
	s->has_remote = true;
}

static void parse_link(struct lab_ctx *c, yaml_node_t *map, struct wr_lab_link *l,
		       struct lab_link_aux *a)
{
	struct wr_link_spec *s = &l->spec;
	yaml_node_t *v[LK_COUNT] = { NULL };
	char where[40], d[DESC_SIZE];
	unsigned int allowed = ~0u;
	yaml_node_t *kn;
	const char *t;
	int kind = -1, mode;
	uint64_t u;
	size_t i;

	l->pos = node_pos(map);
	s->owner = -1;
	s->group = -1;
	s->macvlan_mode = WR_MACVLAN_BRIDGE;
	a->ns = -1;
	a->peer_ns = -1;
	a->lower_link = -1;
	if (map->type != YAML_MAPPING_NODE) {
		err_node(c, map, "link: expected a mapping, got %s", desc(d, map));
		return;
	}
	/* The kind decides which keys are valid, so it comes first. */
	kn = find_value(c, map, "kind");
	if (kn && (t = scalar(c, kn, "kind", "a link kind"))) {
		kind = wr_link_kind_parse(t);
		if (kind < 0)
			err_node(c, kn, "kind: %s", wr_err_msg());
	}
	if (kind >= 0) {
		allowed = kind_rules[kind].allowed;
		snprintf(where, sizeof(where), "in link of kind %s", wr_link_kind_name(kind));
	} else {
		snprintf(where, sizeof(where), "in link");
	}
	get_keys(c, map, link_keys, allowed, where, v);
	if (!kn)
		err_node(c, map, "link: missing 'kind'");
	if (kind < 0) {
		/* Still learn the names it creates, so that uses of them do not fail too. */
		if (v[LK_ENDPOINTS])
			parse_endpoints(c, v[LK_ENDPOINTS], s, a);
		else if (v[LK_NAME])
			a->ep_ok = !parse_ep(c, v[LK_NAME], "name", &s->ep, &a->ns, &a->ep_pos);
		return;
	}
	s->kind = (enum wr_link_kind)kind;
	a->kind_ok = true;
	for (i = 0; i < LK_COUNT; i++)
		if ((kind_rules[kind].required & (1u << i)) && !v[i])
			err_node(c, map, "link of kind %s: missing '%s'", wr_link_kind_name(kind),
				 link_keys[i]);

	if (v[LK_ENDPOINTS])
		parse_endpoints(c, v[LK_ENDPOINTS], s, a);
	if (v[LK_NAME])
		a->ep_ok = !parse_ep(c, v[LK_NAME], "name", &s->ep, &a->ns, &a->ep_pos);
	if (v[LK_OWNER] && !get_uint(c, v[LK_OWNER], "owner", 0, 4294967294u, &u))
		s->owner = (int64_t)u;
	if (v[LK_GROUP] && !get_uint(c, v[LK_GROUP], "group", 0, 4294967294u, &u))
		s->group = (int64_t)u;
	if (v[LK_VNI] && !get_uint(c, v[LK_VNI], "vni", 0, 16777215, &u))
		s->vni = (uint32_t)u;
	if (v[LK_DSTPORT] && !get_uint(c, v[LK_DSTPORT], "dstport", 1, 65535, &u))
		s->dstport = (uint16_t)u;
	if (v[LK_ID] && !get_uint(c, v[LK_ID], "id", 1, 4094, &u))
		s->vlan_id = (uint16_t)u;
	if (v[LK_MODE] && (t = scalar(c, v[LK_MODE], "mode", "a macvlan mode"))) {
		mode = wr_macvlan_mode_parse(t);
		if (mode < 0)
			err_node(c, v[LK_MODE], "mode: %s", wr_err_msg());
		else
			s->macvlan_mode = (enum wr_macvlan_mode)mode;
	}
	if (v[LK_LOCAL] && !get_addr(c, v[LK_LOCAL], "local", &s->local)) {
		if (!addr_is_unicast(&s->local))
			err_node(c, v[LK_LOCAL], "local: '%s' is not a unicast address (expected an address of this host)",
				 show(d, text_of(v[LK_LOCAL])));
		else
			s->has_local = true;
	}
	if (v[LK_REMOTE] && !get_addr(c, v[LK_REMOTE], "remote", &s->remote))
		check_remote(c, v, s);
	/* The lower device may come from a later link: resolved in pass 4. */
	if (v[LK_LINK] && (t = scalar(c, v[LK_LINK], "link", "the name of a device"))) {
		if (wr_valid_ifname(t))
			err_node(c, v[LK_LINK], "link: %s", wr_err_msg());
		else
			a->lower = v[LK_LINK];
	}
}

static void parse_links(struct lab_ctx *c, const yaml_node_t *seq)
{
	struct wr_lab *lab = c->lab;
	yaml_node_item_t *it;
	char d[DESC_SIZE];
	size_t n;

	if (is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		err_node(c, seq, "links: expected a sequence, got %s", desc(d, seq));
		return;
	}
	n = min_size(n_items(seq), LAB_MAX_LINKS);
	if (!n)
		return;
	lab->links = calloc(n, sizeof(*lab->links));
	c->aux = calloc(n, sizeof(*c->aux));
	if (!lab->links || !c->aux) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = node(c, *it);

		if (lab->n_links == LAB_MAX_LINKS) {
			err_node(c, m, "links: too many links (at most %d)", LAB_MAX_LINKS);
			break;
		}
		parse_link(c, m, &lab->links[lab->n_links], &c->aux[lab->n_links]);
		lab->n_links++;
	}
}

/* ---------------------------------------------------------------- devices */

static int dev_cmp(const void *a, const void *b)
{
	const struct lab_dev *x = a, *y = b;
	int r;

	r = strcmp(x->netns, y->netns);
	if (!r)
		r = strcmp(x->ifname, y->ifname);
	if (!r && x->link != y->link)
		r = x->link < y->link ? -1 : 1;
	if (!r && x->end != y->end)
		r = x->end < y->end ? -1 : 1;
	return r;
}

/* "h1:eth0", or "eth0" for the root: the device as the file names it. */
static const char *dev_show(const struct lab_ctx *c, char *buf, const struct lab_dev *d)
{
	char tmp[WR_NETNS_NAME_MAX + IFNAMSIZ + 2];

	if (d->ns >= 0)
		snprintf(tmp, sizeof(tmp), "%s:%s", c->lab->ns[d->ns].name, d->ifname);
	else
		snprintf(tmp, sizeof(tmp), "%s", d->ifname + strlen(c->lab->prefix));
	return show(buf, tmp);
}

/* The device @ifname (real name) in @netns (full name), or NULL. */
static const struct lab_dev *find_dev(const struct lab_ctx *c, const char *netns,
				      const char *ifname)
{
	size_t lo = 0, hi = c->n_devs;

	/* The first of equal entries: the one that came first in the file. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct lab_dev *d = &c->devs[mid];
		int r = strcmp(d->netns, netns);

		if (!r)
			r = strcmp(d->ifname, ifname);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_devs && !strcmp(c->devs[lo].netns, netns) &&
	    !strcmp(c->devs[lo].ifname, ifname))
		return &c->devs[lo];
	return NULL;
}

/* The kind of link that creates @d, or -1 when that link's kind is bad. */
static int dev_kind(const struct lab_ctx *c, const struct lab_dev *d)
{
	if (!d || !c->aux[d->link].kind_ok)
		return -1;
	return (int)c->lab->links[d->link].spec.kind;
}

static void add_dev(struct lab_ctx *c, size_t link, unsigned int end)
{
	const struct wr_link_spec *s = &c->lab->links[link].spec;
	const struct lab_link_aux *a = &c->aux[link];
	struct lab_dev *d = &c->devs[c->n_devs++];

	d->netns = end ? s->peer.netns : s->ep.netns;
	d->ifname = end ? s->peer.ifname : s->ep.ifname;
	d->ns = end ? a->peer_ns : a->ns;
	d->pos = end ? a->peer_pos : a->ep_pos;
	d->link = link;
	d->end = end;
}

/* Pass 3: the table of devices the links create; no name may come twice. */
static void build_devs(struct lab_ctx *c)
{
	struct wr_lab *lab = c->lab;
	size_t i, f, n = 0;
	char b[SHOW_SIZE];

	for (i = 0; i < lab->n_links; i++)
		n += c->aux[i].ep_ok + c->aux[i].peer_ok;
	if (!n)
		return;
	c->devs = calloc(n, sizeof(*c->devs));
	if (!c->devs) {
		c->oom = true;
		return;
	}
	for (i = 0; i < lab->n_links; i++) {
		if (c->aux[i].ep_ok)
			add_dev(c, i, 0);
		if (c->aux[i].peer_ok)
			add_dev(c, i, 1);
	}
	qsort(c->devs, c->n_devs, sizeof(*c->devs), dev_cmp);
	for (f = 0, i = 1; i < c->n_devs; i++) {
		const struct lab_dev *d = &c->devs[i], *first = &c->devs[f];

		if (strcmp(d->netns, first->netns) || strcmp(d->ifname, first->ifname)) {
			f = i;
			continue;
		}
		err_at(c, d->pos, "device '%s' is already created by the link at line %u",
		       dev_show(c, b, d), lab->links[first->link].pos.line);
	}
}

/* "namespace 'h1'" or "the root namespace", for messages. */
static const char *ns_show(const struct lab_ctx *c, char *buf, int ns)
{
	if (ns < 0)
		return "the root namespace";
	snprintf(buf, WR_NETNS_NAME_MAX + 16, "namespace '%s'", c->lab->ns[ns].name);
	return buf;
}

/* Pass 4: each `link` must be another device of the same namespace. */
static void check_lowers(struct lab_ctx *c)
{
	struct wr_lab *lab = c->lab;
	char nb[WR_NETNS_NAME_MAX + 16], b[SHOW_SIZE], b2[SHOW_SIZE];
	size_t i, plen = strlen(lab->prefix), steps;
	long j;

	for (i = 0; i < lab->n_links; i++) {
		struct wr_link_spec *s = &lab->links[i].spec;
		struct lab_link_aux *a = &c->aux[i];
		char full[IFNAMSIZ + LAB_PREFIX_MAX];
		const struct lab_dev *d = NULL;
		const char *t;

		if (!a->lower || !a->ep_ok)
			continue;
		t = text_of(a->lower);
		snprintf(full, sizeof(full), "%s%s", a->ns < 0 ? lab->prefix : "", t);
		if (!strcmp(full, s->ep.ifname)) {
			err_node(c, a->lower, "link: '%s' is the device itself (expected the device it sits on)",
				 show(b, t));
			continue;
		}
		if (a->ns >= 0 || plen + strlen(t) <= WR_IFNAME_MAX)
			d = find_dev(c, s->ep.netns, full);
		if (!d) {
			err_node(c, a->lower, "link: no link creates '%s' in %s (the lower device must be in the same namespace)",
				 show(b, t), ns_show(c, nb, a->ns));
			continue;
		}
		/* macvlan, ipvlan and vlan add to Ethernet frames; a tun has none. */
		if (dev_kind(c, d) == WR_LINK_TUN && s->kind != WR_LINK_VXLAN) {
			err_node(c, a->lower, "link: '%s' is a tun device, which has no Ethernet frames for a %s",
				 show(b, t), wr_link_kind_name(s->kind));
			continue;
		}
		strcpy(s->lower, full);
		a->lower_link = (long)d->link;
	}

	/* A loop of lower devices can never be created: each waits for the next. */
	for (i = 0; i < lab->n_links; i++) {
		const struct lab_link_aux *a = &c->aux[i];

		if (a->lower_link < 0)
			continue;
		j = a->lower_link;
		for (steps = 0; j >= 0 && (size_t)j != i && steps < lab->n_links; steps++)
			j = c->aux[j].lower_link;
		if (j >= 0 && (size_t)j == i)
			err_node(c, a->lower, "link: lower devices form a loop ('%s' sits on '%s', which leads back to it)",
				 show(b, lab->links[i].spec.ep.ifname), show(b2, text_of(a->lower)));
	}
}

/* ------------------------------------------------------ namespace bodies */

static const char *const ns_keys[] = { "sysctls", "interfaces", "routes", NULL };
enum { NS_SYSCTLS, NS_INTERFACES, NS_ROUTES, NS_COUNT };

static const char *const iface_keys[] = { "addresses", "mtu", "mac", "master", "up", NULL };
enum { IF_ADDRESSES, IF_MTU, IF_MAC, IF_MASTER, IF_UP, IF_COUNT };

static const char *const route_keys[] = { "to", "via", "dev", "metric", NULL };
enum { RT_TO, RT_VIA, RT_DEV, RT_METRIC, RT_COUNT };

/* 0 if @key names a per-namespace sysctl the way sysctl(8) writes it. */
static int check_sysctl_key(struct lab_ctx *c, const yaml_node_t *k, const char *key)
{
	char b[SHOW_SIZE];
	const char *p, *q;
	size_t len = strlen(key);

	/* Only net.* is per namespace; others would change the whole host. */
	if (strncmp(key, "net.", 4)) {
		err_node(c, k, "sysctl '%s': only keys under 'net.' belong to a namespace",
			 show(b, key));
		return -EINVAL;
	}
	if (key[strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-/")]) {
		err_node(c, k, "sysctl '%s': may only contain A-Z a-z 0-9 _ . - /", show(b, key));
		return -EINVAL;
	}
	if (len >= sizeof(((struct wr_lab_sysctl *)0)->key)) {
		err_node(c, k, "sysctl '%s': is %zu bytes, at most %zu are allowed", show(b, key), len,
			 sizeof(((struct wr_lab_sysctl *)0)->key) - 1);
		return -EINVAL;
	}
	/*
	 * As in sysctl(8), '/' stands for a '.' inside a part (an interface
	 * "eth0.10"); a part made of nothing, or of '/' alone, would become
	 * "" or ".." in the /proc path.
	 */
	for (p = key; ; p = q + 1) {
		q = strchr(p, '.');
		if (!q)
			q = p + strlen(p);
		if (q == p || strspn(p, "/") >= (size_t)(q - p)) {
			err_node(c, k, "sysctl '%s': every part between dots must be a name",
				 show(b, key));
			return -EINVAL;
		}
		if (!*q)
			return 0;
	}
}

static void parse_sysctls(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *map)
{
	char d[DESC_SIZE], b[SHOW_SIZE], nb[SHOW_SIZE];
	size_t n, i;
	bool *dup;

	if (is_null(map))
		return;
	if (map->type != YAML_MAPPING_NODE) {
		err_node(c, map, "sysctls: expected a mapping of key: value, got %s", desc(d, map));
		return;
	}
	n = n_pairs(map);
	if (!n)
		return;
	dup = calloc(n, sizeof(*dup));
	ns->sysctls = calloc(min_size(n, LAB_MAX_SYSCTLS), sizeof(*ns->sysctls));
	if (!dup || !ns->sysctls) {
		c->oom = true;
		goto out;
	}
	find_dups(c, map, dup, "sysctl");
	for (i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		struct wr_lab_sysctl *sc;
		const char *key, *val, *q;

		if (dup[i])
			continue;
		if (ns->n_sysctls == LAB_MAX_SYSCTLS) {
			err_node(c, k, "sysctls: too many in namespace '%s' (at most %d)",
				 show(nb, ns->name), LAB_MAX_SYSCTLS);
			break;
		}
		key = scalar(c, k, "sysctls", "a sysctl name");
		if (!key || check_sysctl_key(c, k, key))
			continue;
		val = scalar(c, v, show(b, key), "a value");
		if (!val)
			continue;
		if (strlen(val) >= sizeof(sc->val)) {
			err_node(c, v, "%s: the value is %zu bytes, at most %zu are allowed",
				 show(b, key), strlen(val), sizeof(sc->val) - 1);
			continue;
		}
		for (q = val; *q && ((unsigned char)*q >= 0x20 || *q == '\t') && *q != 0x7f; q++)
			;
		if (*q) {
			err_node(c, v, "%s: the value may not contain control characters",
				 show(b, key));
			continue;
		}
		/* The kernel reads 1 or 0; "true" would be refused at `lab up`. */
		if (!strcasecmp(val, "true") || !strcasecmp(val, "false") ||
		    !strcasecmp(val, "yes") || !strcasecmp(val, "no")) {
			err_node(c, v, "%s: '%s' is not a sysctl value (write 1 or 0)", show(b, key),
				 val);
			continue;
		}
		sc = &ns->sysctls[ns->n_sysctls++];
		strcpy(sc->key, key);
		strcpy(sc->val, val);
		sc->pos = node_pos(k);
	}
out:
	free(dup);
}

static void parse_addrs(struct lab_ctx *c, struct wr_lab_iface *ifc, const yaml_node_t *seq)
{
	char d[DESC_SIZE], b[SHOW_SIZE];
	yaml_node_item_t *it;
	size_t n, j;

	if (is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		err_node(c, seq, "addresses: expected a sequence of ADDRESS/PREFIX, got %s",
			 desc(d, seq));
		return;
	}
	n = min_size(n_items(seq), LAB_MAX_ADDRS);
	if (!n)
		return;
	ifc->addrs = calloc(n, sizeof(*ifc->addrs));
	if (!ifc->addrs) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *a = node(c, *it);
		struct wr_cidr cidr;
		const char *t;

		if (ifc->n_addrs == LAB_MAX_ADDRS) {
			err_node(c, a, "addresses: too many on interface '%s' (at most %d)",
				 ifc->ifname, LAB_MAX_ADDRS);
			break;
		}
		t = scalar(c, a, "addresses", "ADDRESS/PREFIX");
		if (!t)
			continue;
		if (wr_parse_cidr(t, true, &cidr)) {
			err_node(c, a, "addresses: %s", wr_err_msg());
			continue;
		}
		if (addr_is_zero(&cidr) || addr_is_multicast(&cidr)) {
			err_node(c, a, "addresses: '%s' is not a unicast address", show(b, t));
			continue;
		}
		for (j = 0; j < ifc->n_addrs; j++)
			if (ifc->addrs[j].family == cidr.family &&
			    !memcmp(ifc->addrs[j].addr.bytes, cidr.addr.bytes, addr_len(&cidr)))
				break;
		if (j < ifc->n_addrs) {
			err_node(c, a, "addresses: '%s' is already on interface '%s'", show(b, t),
				 ifc->ifname);
			continue;
		}
		ifc->addrs[ifc->n_addrs++] = cidr;
	}
}

static void parse_master(struct lab_ctx *c, const struct wr_lab_ns *ns, struct wr_lab_iface *ifc,
			 const struct lab_dev *d, const yaml_node_t *n)
{
	char b[SHOW_SIZE], nb[SHOW_SIZE];
	const struct lab_dev *md;
	const char *t;
	int kind;

	t = scalar(c, n, "master", "the name of a bridge");
	if (!t)
		return;
	if (wr_valid_ifname(t)) {
		err_node(c, n, "master: %s", wr_err_msg());
		return;
	}
	if (!strcmp(t, ifc->ifname)) {
		err_node(c, n, "master: '%s' is the interface itself (expected a bridge)", t);
		return;
	}
	if (!strcmp(ifc->ifname, "lo")) {
		err_node(c, n, "master: the loopback device 'lo' cannot be a bridge port");
		return;
	}
	md = find_dev(c, ns->full, t);
	if (!md) {
		err_node(c, n, "master: no link creates '%s' in namespace '%s' (expected a bridge there)",
			 t, show(nb, ns->name));
		return;
	}
	kind = dev_kind(c, md);
	if (kind >= 0 && kind != WR_LINK_BRIDGE) {
		err_node(c, n, "master: '%s' is a %s, not a bridge", t,
			 wr_link_kind_name((enum wr_link_kind)kind));
		return;
	}
	if (dev_kind(c, d) == WR_LINK_BRIDGE) {
		err_node(c, n, "master: '%s' is a bridge itself, and bridges do not nest",
			 show(b, ifc->ifname));
		return;
	}
	if (dev_kind(c, d) == WR_LINK_TUN) {
		err_node(c, n, "master: '%s' is a tun device, which has no Ethernet frames to bridge",
			 show(b, ifc->ifname));
		return;
	}
	strcpy(ifc->master, t);
}

static void parse_iface_body(struct lab_ctx *c, const struct wr_lab_ns *ns,
			     struct wr_lab_iface *ifc, const struct lab_dev *d,
			     const yaml_node_t *body)
{
	static const uint8_t zero[6];
	yaml_node_t *v[IF_COUNT] = { NULL };
	char where[48], db[DESC_SIZE], b[SHOW_SIZE];
	const char *t;
	uint64_t u;

	if (is_null(body))
		return;
	if (body->type != YAML_MAPPING_NODE) {
		err_node(c, body, "interface '%s': expected a mapping (addresses, mtu, mac, master, up), got %s",
			 ifc->ifname, desc(db, body));
		return;
	}
	snprintf(where, sizeof(where), "in interface '%s'", ifc->ifname);
	get_keys(c, body, iface_keys, ~0u, where, v);
	if (v[IF_ADDRESSES])
		parse_addrs(c, ifc, v[IF_ADDRESSES]);
	if (v[IF_MTU] && !get_uint(c, v[IF_MTU], "mtu", 68, 65535, &u))
		ifc->mtu = (uint32_t)u;
	if (v[IF_MAC] && (t = scalar(c, v[IF_MAC], "mac", "a MAC address"))) {
		if (wr_parse_mac(t, ifc->mac))
			err_node(c, v[IF_MAC], "mac: %s", wr_err_msg());
		else if (ifc->mac[0] & 1)
			err_node(c, v[IF_MAC], "mac: '%s' is a multicast address (the low bit of the first byte must be clear)",
				 show(b, t));
		else if (!memcmp(ifc->mac, zero, 6))
			err_node(c, v[IF_MAC], "mac: '%s' is all zeros, which no device may have",
				 show(b, t));
		else if (dev_kind(c, d) == WR_LINK_TUN)
			err_node(c, v[IF_MAC], "mac: '%s' is a tun device, which has no MAC address",
				 ifc->ifname);
		else
			ifc->has_mac = true;
	}
	if (v[IF_MASTER])
		parse_master(c, ns, ifc, d, v[IF_MASTER]);
	if (v[IF_UP])
		get_bool(c, v[IF_UP], "up", &ifc->up);
}

static void parse_ifaces(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *map)
{
	char d[DESC_SIZE], nb[SHOW_SIZE];
	size_t n, i;
	bool *dup;

	if (is_null(map))
		return;
	if (map->type != YAML_MAPPING_NODE) {
		err_node(c, map, "interfaces: expected a mapping, got %s", desc(d, map));
		return;
	}
	n = n_pairs(map);
	if (!n)
		return;
	dup = calloc(n, sizeof(*dup));
	ns->ifaces = calloc(min_size(n, LAB_MAX_IFACES), sizeof(*ns->ifaces));
	if (!dup || !ns->ifaces) {
		c->oom = true;
		goto out;
	}
	find_dups(c, map, dup, "interface");
	for (i = 0; i < n && !c->oom; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = node(c, p->key);
		const struct lab_dev *dev = NULL;
		struct wr_lab_iface *ifc;
		const char *name;

		if (dup[i])
			continue;
		if (ns->n_ifaces == LAB_MAX_IFACES) {
			err_node(c, k, "interfaces: too many in namespace '%s' (at most %d)",
				 show(nb, ns->name), LAB_MAX_IFACES);
			break;
		}
		name = scalar(c, k, "interfaces", "an interface name");
		if (!name)
			continue;
		if (wr_valid_ifname(name)) {
			err_node(c, k, "%s", wr_err_msg());
			continue;
		}
		/* Still read the settings below: their errors are worth knowing too. */
		if (strcmp(name, "lo")) {
			dev = find_dev(c, ns->full, name);
			if (!dev)
				err_node(c, k, "interface '%s': no link creates it in namespace '%s' (only lo and devices made by links can be set up)",
					 name, show(nb, ns->name));
		}
		ifc = &ns->ifaces[ns->n_ifaces++];
		strcpy(ifc->ifname, name);
		ifc->up = true;
		ifc->pos = node_pos(k);
		parse_iface_body(c, ns, ifc, dev, node(c, p->value));
	}
out:
	free(dup);
}

static bool same_dst(const struct wr_route *a, const struct wr_route *b)
{
	return a->dst.family == b->dst.family && a->dst.prefixlen == b->dst.prefixlen &&
	       !memcmp(a->dst.addr.bytes, b->dst.addr.bytes, addr_len(&a->dst)) &&
	       a->metric == b->metric;
}

/* 0 if the bits of @a past its prefix length are clear, as a route's must be. */
static int host_bits(const struct wr_cidr *a, struct wr_cidr *net)
{
	size_t i;

	*net = *a;
	for (i = 0; i < addr_len(a); i++) {
		unsigned int keep = a->prefixlen > i * 8 ? a->prefixlen - i * 8 : 0;

		if (keep < 8)
			net->addr.bytes[i] &= (uint8_t)(0xff00u >> keep);
	}
	return memcmp(a->addr.bytes, net->addr.bytes, addr_len(a)) ? -EINVAL : 0;
}

static void parse_route(struct lab_ctx *c, struct wr_lab_ns *ns, yaml_node_t *m)
{
	struct wr_lab_route *lr = &ns->routes[ns->n_routes];
	struct wr_route *r = &lr->r;
	yaml_node_t *v[RT_COUNT] = { NULL };
	char b[SHOW_SIZE], nb[SHOW_SIZE], fb[INET6_ADDRSTRLEN + 8];
	bool is_default = false, have_dst = false;
	struct wr_cidr net;
	const char *t;
	uint64_t u;
	size_t j;

	lr->pos = node_pos(m);
	get_keys(c, m, route_keys, ~0u, "in route", v);
	if (!v[RT_TO])
		err_node(c, m, "route: missing 'to'");
	if (!v[RT_VIA] && !v[RT_DEV])
		err_node(c, m, "route: missing 'via' or 'dev' (a route needs at least one)");
	if (v[RT_TO] && (t = scalar(c, v[RT_TO], "to", "'default' or ADDRESS/PREFIX"))) {
		if (!strcmp(t, "default")) {
			is_default = true;
		} else if (wr_parse_cidr(t, true, &r->dst)) {
			err_node(c, v[RT_TO], "to: %s", wr_err_msg());
		} else if (host_bits(&r->dst, &net)) {
			wr_format_cidr(&net, fb, sizeof(fb));
			err_node(c, v[RT_TO], "to: '%s' has host bits set (the network is %s)",
				 show(b, t), fb);
		} else {
			have_dst = true;
		}
	}
	if (v[RT_VIA] && !get_addr(c, v[RT_VIA], "via", &r->via)) {
		t = text_of(v[RT_VIA]);
		if (!addr_is_unicast(&r->via))
			err_node(c, v[RT_VIA], "via: '%s' is not a unicast address (a gateway must be one)",
				 show(b, t));
		else if (have_dst && r->via.family != r->dst.family)
			err_node(c, v[RT_VIA], "via: '%s' is IPv%d but 'to' is IPv%d", show(b, t),
				 ip_version(&r->via), ip_version(&r->dst));
		else
			r->has_via = true;
	}
	if (v[RT_DEV] && (t = scalar(c, v[RT_DEV], "dev", "the name of a device"))) {
		if (wr_valid_ifname(t))
			err_node(c, v[RT_DEV], "dev: %s", wr_err_msg());
		else if (strcmp(t, "lo") && !find_dev(c, ns->full, t))
			err_node(c, v[RT_DEV], "dev: no link creates '%s' in namespace '%s'", t,
				 show(nb, ns->name));
		else
			strcpy(r->dev, t);
	}
	if (v[RT_METRIC] && !get_uint(c, v[RT_METRIC], "metric", 0, UINT32_MAX, &u))
		r->metric = (uint32_t)u;
	if (is_default) {
		/* The gateway says which default: 0.0.0.0/0 or ::/0. */
		memset(&r->dst, 0, sizeof(r->dst));
		r->dst.family = r->has_via ? r->via.family : AF_INET;
		have_dst = true;
	}
	if (have_dst) {
		for (j = 0; j < ns->n_routes; j++)
			if (same_dst(&ns->routes[j].r, r))
				break;
		if (j < ns->n_routes) {
			wr_format_cidr(&r->dst, fb, sizeof(fb));
			err_node(c, m, "route: a route to %s with metric %u is already at line %u", fb,
				 r->metric, ns->routes[j].pos.line);
		}
	}
	ns->n_routes++;
}

static void parse_routes(struct lab_ctx *c, struct wr_lab_ns *ns, const yaml_node_t *seq)
{
	char d[DESC_SIZE], nb[SHOW_SIZE];
	yaml_node_item_t *it;
	size_t n;

	if (is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		err_node(c, seq, "routes: expected a sequence, got %s", desc(d, seq));
		return;
	}
	n = min_size(n_items(seq), LAB_MAX_ROUTES);
	if (!n)
		return;
	ns->routes = calloc(n, sizeof(*ns->routes));
	if (!ns->routes) {
		c->oom = true;
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = node(c, *it);

		if (ns->n_routes == LAB_MAX_ROUTES) {
			err_node(c, m, "routes: too many in namespace '%s' (at most %d)",
				 show(nb, ns->name), LAB_MAX_ROUTES);
			break;
		}
		if (m->type != YAML_MAPPING_NODE) {
			err_node(c, m, "route: expected a mapping (to, via, dev, metric), got %s",
				 desc(d, m));
			continue;
		}
		parse_route(c, ns, m);
	}
}

/* Pass 5: what goes inside one namespace. */
static void parse_ns_body(struct lab_ctx *c, size_t i)
{
	struct wr_lab_ns *ns = &c->lab->ns[i];
	const yaml_node_t *body = c->ns_body[i];
	yaml_node_t *v[NS_COUNT] = { NULL };
	char where[SHOW_SIZE + 16], d[DESC_SIZE], b[SHOW_SIZE];

	if (is_null(body))
		return;
	if (body->type != YAML_MAPPING_NODE) {
		err_node(c, body, "namespace '%s': expected a mapping (sysctls, interfaces, routes) or nothing, got %s",
			 show(b, ns->name), desc(d, body));
		return;
	}
	snprintf(where, sizeof(where), "in namespace '%s'", show(b, ns->name));
	get_keys(c, body, ns_keys, ~0u, where, v);
	if (v[NS_SYSCTLS])
		parse_sysctls(c, ns, v[NS_SYSCTLS]);
	if (v[NS_INTERFACES])
		parse_ifaces(c, ns, v[NS_INTERFACES]);
	if (v[NS_ROUTES])
		parse_routes(c, ns, v[NS_ROUTES]);
}

static void check_lab(struct lab_ctx *c)
{
	static const struct wr_pos top = { 1, 1 };
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	yaml_node_t *v[TOP_COUNT] = { NULL };
	char d[DESC_SIZE];
	size_t i;

	if (!root) {
		err_at(c, top, "the lab file is empty (expected a mapping with 'namespaces' and 'links')");
		return;
	}
	if (root->type != YAML_MAPPING_NODE) {
		err_at(c, top, "expected a mapping (prefix, namespaces, links) at the top level, got %s",
		       desc(d, root));
		return;
	}
	get_keys(c, root, top_keys, ~0u, "at the top level", v);
	/* The prefix first: namespace and device names are built with it. */
	if (v[TOP_PREFIX])
		parse_prefix(c, v[TOP_PREFIX]);
	if (v[TOP_NAMESPACES])
		parse_ns_names(c, v[TOP_NAMESPACES]);
	if (v[TOP_LINKS] && !c->oom)
		parse_links(c, v[TOP_LINKS]);
	if (!c->oom)
		build_devs(c);
	if (!c->oom)
		check_lowers(c);
	for (i = 0; i < c->lab->n_ns && !c->oom; i++)
		parse_ns_body(c, i);
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

static void yaml_error(struct lab_ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	struct wr_pos pos = {
		.line = (uint32_t)p->problem_mark.line + 1,
		.col = (uint32_t)p->problem_mark.column + 1,
	};
	const char *problem = p->problem ? p->problem : "unknown error";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		c->oom = true;
		break;
	case YAML_READER_ERROR:
		/* The reader counts bytes, not lines. */
		pos = offset_pos(buf, len, p->problem_offset);
		if (p->problem_value != -1)
			err_at(c, pos, "%s (byte 0x%02x)", problem, (unsigned int)p->problem_value & 0xff);
		else
			err_at(c, pos, "%s", problem);
		break;
	default:
		if (p->context)
			err_at(c, pos, "%s (%s at line %zu, column %zu)", problem, p->context,
			       p->context_mark.line + 1, p->context_mark.column + 1);
		else
			err_at(c, pos, "%s", problem);
		break;
	}
}

/*
 * Pass 1: libyaml's events show what the document tree hides: where the
 * syntax breaks, where aliases are (the tree holds only the anchored node),
 * a second document, and a nesting too deep to load in reasonable time.
 * 0 if the first document may be loaded.
 */
static int prescan(struct lab_ctx *c, const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int docs = 0, depth = 0, err = 0;
	char b[SHOW_SIZE];

	if (!yaml_parser_initialize(&p)) {
		c->oom = true;
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_error(c, &p, buf, len);
			err = -EINVAL;
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs == 2) {
			err_at(c, (struct wr_pos){ (uint32_t)ev.start_mark.line + 1,
						    (uint32_t)ev.start_mark.column + 1 },
			       "a second YAML document: a lab file holds one");
			yaml_event_delete(&ev);
			err = -EINVAL;
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > LAB_MAX_DEPTH) {
				err_at(c, (struct wr_pos){ (uint32_t)ev.start_mark.line + 1,
							    (uint32_t)ev.start_mark.column + 1 },
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
			err_at(c, (struct wr_pos){ (uint32_t)ev.start_mark.line + 1,
						    (uint32_t)ev.start_mark.column + 1 },
			       "alias '*%s' is not supported in lab files (write the value out)",
			       show(b, (const char *)ev.data.alias.anchor));
			err = -EINVAL;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return err;
}

/* ------------------------------------------------------------------ entry */

static struct wr_lab *lab_new(const char *file)
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
static void finish_errors(struct wr_lab *lab, size_t n_dropped)
{
	struct wr_lab_error *last = &lab->errors[LAB_MAX_ERRORS - 1];

	if (!n_dropped)
		return;
	snprintf(last->msg, sizeof(last->msg), "too many errors: %zu more not shown",
		 n_dropped + 1);
}

struct wr_lab *wr_lab_parse(const char *file, const char *buf, size_t len)
{
	struct lab_ctx c = { .lab = NULL };
	bool have_parser = false, have_doc = false;
	yaml_document_t doc;
	yaml_parser_t p;
	struct wr_lab *lab;

	lab = lab_new(file);
	if (!lab)
		goto fail;
	c.lab = lab;
	if (len > LAB_MAX_SIZE) {
		err_at(&c, (struct wr_pos){ 0, 0 }, "the file is %zu bytes, at most %d are accepted",
		       len, LAB_MAX_SIZE);
		goto done;
	}
	/* libyaml asserts on a NULL input, even an empty one. */
	if (!buf) {
		buf = "";
		len = 0;
	}
	if (prescan(&c, buf, len))
		goto done;
	if (!yaml_parser_initialize(&p)) {
		c.oom = true;
		goto done;
	}
	have_parser = true;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&p, &doc)) {
		yaml_error(&c, &p, buf, len);
		goto done;
	}
	have_doc = true;
	c.doc = &doc;
	check_lab(&c);
done:
	finish_errors(lab, c.n_dropped);
	free(c.ns_body);
	free(c.aux);
	free(c.devs);
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&p);
	if (!c.oom)
		return lab;
	wr_lab_free(lab);
fail:
	wr_err_set(-ENOMEM, "lab %s: %s", file ? file : "", strerror(ENOMEM));
	return NULL;
}

/* A lab holding the one error that kept @path from being read. */
__attribute__((format(printf, 2, 3)))
static struct wr_lab *lab_unreadable(const char *path, const char *fmt, ...)
{
	struct wr_lab *lab;
	size_t n_dropped = 0;
	va_list ap;

	lab = lab_new(path);
	if (!lab) {
		wr_err_set(-ENOMEM, "lab %s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	va_start(ap, fmt);
	add_error(lab, &n_dropped, (struct wr_pos){ 0, 0 }, fmt, ap);
	va_end(ap);
	return lab;
}

struct wr_lab *wr_lab_load(const char *path)
{
	struct wr_lab *lab = NULL;
	char *buf = NULL;
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lab = lab_unreadable(path, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > LAB_MAX_SIZE) {
		lab = lab_unreadable(path, "the file is %lld bytes, at most %d are accepted",
				     (long long)st.st_size, LAB_MAX_SIZE);
		goto out_close;
	}
	/* One byte more than allowed tells a pipe that is too long. */
	buf = malloc(LAB_MAX_SIZE + 1);
	if (!buf) {
		wr_err_set(-ENOMEM, "lab %s: %s", path, strerror(ENOMEM));
		goto out_close;
	}
	while (len < LAB_MAX_SIZE + 1) {
		r = read(fd, buf + len, LAB_MAX_SIZE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			lab = lab_unreadable(path, "cannot read: %s", strerror(errno));
			goto out_free;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	if (len > LAB_MAX_SIZE) {
		lab = lab_unreadable(path, "the file is more than %d bytes, at most %d are accepted",
				     LAB_MAX_SIZE, LAB_MAX_SIZE);
		goto out_free;
	}
	lab = wr_lab_parse(path, buf, len);
out_free:
	free(buf);
out_close:
	close(fd);
out:
	return lab;
}

void wr_lab_free(struct wr_lab *lab)
{
	size_t i, j;

	if (!lab)
		return;
	for (i = 0; i < lab->n_ns; i++) {
		struct wr_lab_ns *ns = &lab->ns[i];

		for (j = 0; j < ns->n_ifaces; j++)
			free(ns->ifaces[j].addrs);
		free(ns->ifaces);
		free(ns->sysctls);
		free(ns->routes);
	}
	free(lab->ns);
	free(lab->links);
	free(lab->errors);
	free(lab);
}
