/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labfile_priv.h - what the lab file parser's files share (control/
 * only): the parse context, the generic YAML layer (labfile_yaml.c) that
 * the schema (labfile.c, and its `links:` part in labfile_links.c) is
 * written in, the `vfs:` section (labfile_vfs.c), the `switch:` section
 * (labfile_switch.c), and the
 * cross-reference checks (labfile_check.c) that need the whole file read
 * first.
 *
 * Functions named wr_lab_* here report what they find into the context's
 * error list, at the position of the node at fault; the lab_* inlines only
 * read libyaml's document tree.
 */
#ifndef WR_LABFILE_PRIV_H
#define WR_LABFILE_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <yaml.h>

#include "wr_control.h"

#define LAB_PREFIX_MAX	32		/* bytes; sizeof(wr_lab.prefix) - 1 */

/* Room for a quoted value in a message; longer values are cut with "...". */
#define LAB_SHOW_SIZE	72
/* Room for what a node is: "a mapping", "'text'", ... */
#define LAB_DESC_SIZE	(LAB_SHOW_SIZE + 2)

/* A device some link creates: what names in the file can refer to. */
struct lab_dev {
	const char *netns;	/* real name, "" for root: in lab->links */
	const char *ifname;	/* real name: in lab->links */
	size_t link;		/* index in lab->links */
	int ns;			/* index in lab->ns, -1 for root */
	unsigned int end;	/* 0: the link's device, 1: a veth's peer */
	struct wr_pos pos;	/* of the name or endpoint that creates it */
};

/* What the later passes need to know about one link (labfile_links.c fills it). */
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
	size_t n_dropped;		/* errors found past the cap (labfile_yaml.c) */
	bool oom;
	yaml_node_t **ns_body;		/* per lab->ns: its body */
	struct lab_link_aux *aux;	/* per lab->links */
	struct lab_dev *devs;		/* sorted by netns, ifname, file order */
	size_t n_devs;
};

/* ------------------------------------------------- nodes (labfile_yaml.c) */

static inline yaml_node_t *lab_node(const struct lab_ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

static inline const char *lab_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* @m as a position in the file: libyaml counts from 0, struct wr_pos from 1. */
static inline struct wr_pos lab_mark_pos(yaml_mark_t m)
{
	struct wr_pos p = {
		.line = (uint32_t)m.line + 1,
		.col = (uint32_t)m.column + 1,
	};

	return p;
}

static inline struct wr_pos lab_node_pos(const yaml_node_t *n)
{
	return lab_mark_pos(n->start_mark);
}

/* An empty value: nothing after the colon, "~" or "null", unquoted. */
static inline bool lab_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = lab_text(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

static inline size_t lab_n_pairs(const yaml_node_t *map)
{
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static inline size_t lab_n_items(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

/* ------------------------------------------------ errors (labfile_yaml.c) */

/**
 * A new, empty lab named @file, with room for as many errors as are kept.
 * NULL when memory runs out.
 */
struct wr_lab *wr_lab_new(const char *file);

/**
 * Add an error at @pos to @lab, in position order. Past the cap, *@n_dropped
 * counts those left out, and the earliest ones in the file are kept.
 */
void wr_lab_add_error(struct wr_lab *lab, size_t *n_dropped, struct wr_pos pos,
		      const char *fmt, va_list ap);

/** After the last error: if @n_dropped, the last one says how many more there were. */
void wr_lab_finish_errors(struct wr_lab *lab, size_t n_dropped);

/** Report an error at @pos, or at the start of @n. */
void wr_lab_err_at(struct lab_ctx *c, struct wr_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wr_lab_err_node(struct lab_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Copy @s into @buf (LAB_SHOW_SIZE bytes) for a message, escaped and cut
 * short if long; returns @buf. wr_lab_show_n() shows the first @len bytes.
 */
const char *wr_lab_show(char *buf, const char *s);
const char *wr_lab_show_n(char *buf, const char *s, size_t len);

/** What @n is, for "expected X, got Y": "a mapping", "'text'", ... (@buf: LAB_DESC_SIZE). */
const char *wr_lab_desc(char *buf, const yaml_node_t *n);

/* ------------------------------------------------ values (labfile_yaml.c) */

/**
 * The text of @n, the value of @what; NULL after an error saying that
 * @expected was expected.
 */
const char *wr_lab_scalar(struct lab_ctx *c, const yaml_node_t *n, const char *what,
			  const char *expected);

/** The value of the first key @name in @map, NULL if none. Reports nothing. */
yaml_node_t *wr_lab_find_value(struct lab_ctx *c, const yaml_node_t *map, const char *name);

/**
 * Sort the pairs of @map among the keys of this place: @known lists them
 * (NULL-terminated, at most 32), @allowed has a bit set for each one that is
 * valid here, @where says where "here" is. @vals[i] receives the value of
 * known[i], NULL when absent. Unknown, repeated and non-text keys are
 * reported at the key.
 */
void wr_lab_get_keys(struct lab_ctx *c, const yaml_node_t *map, const char *const *known,
		     unsigned int allowed, const char *where, yaml_node_t **vals);

/**
 * For mappings keyed by names (namespaces, interfaces, sysctls): mark in
 * @dup (one per pair) the pairs whose key repeats an earlier one, and report
 * each as "duplicate @what". Sets c->oom when memory runs out.
 */
void wr_lab_find_dups(struct lab_ctx *c, const yaml_node_t *map, bool *dup, const char *what);

/**
 * Typed values of @n, the value of @what: a plain decimal integer
 * @min..@max, a boolean, an address without prefix length. 0, or -EINVAL
 * after an error (*@out is then untouched).
 */
int wr_lab_get_uint(struct lab_ctx *c, const yaml_node_t *n, const char *what, uint64_t min,
		    uint64_t max, uint64_t *out);
int wr_lab_get_bool(struct lab_ctx *c, const yaml_node_t *n, const char *what, bool *out);
int wr_lab_get_addr(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_cidr *out);

/* -------------------------------------------------- YAML (labfile_yaml.c) */

/**
 * Pass 1: syntax errors, aliases, a second document and nesting too deep,
 * from libyaml's events over @buf. 0 if the first document may be loaded.
 */
int wr_lab_prescan(struct lab_ctx *c, const char *buf, size_t len);

/** Report why libyaml's parser @p stopped reading @buf (or set c->oom). */
void wr_lab_yaml_error(struct lab_ctx *c, const yaml_parser_t *p, const char *buf, size_t len);

/* ----------------------------------------------------- schema (labfile.c) */

/** Index in @lab->ns of the namespace written @name (@len bytes), or -1. */
int wr_lab_ns_index(const struct wr_lab *lab, const char *name, size_t len);

/**
 * What kind of address @a is: all zeros, multicast, unicast (neither of
 * those nor the IPv4 broadcast address); and its IP version, 4 or 6.
 */
bool wr_lab_addr_is_zero(const struct wr_cidr *a);
bool wr_lab_addr_is_multicast(const struct wr_cidr *a);
bool wr_lab_addr_is_unicast(const struct wr_cidr *a);
int wr_lab_ip_version(const struct wr_cidr *a);

/**
 * What the mappings keyed by names (sysctls, interfaces, VLANs) share before
 * their entries are read: null is empty; anything but a mapping is an error
 * ("@what: expected @expect, got ..."); duplicate names ("duplicate
 * @dup_what") are marked in the returned array (free it), and *@arr gets
 * room for min(n, @max) elements of @size bytes. Returns NULL with *@n 0
 * when there is nothing to read (c->oom set if memory ran out).
 */
/*
 * The same for a sequence (routes, run): null is empty, anything but a
 * sequence an error ("@what: expected @expect, got ..."); *@arr gets room
 * for min(n, @max) elements of @size bytes. Returns that count, 0 when
 * there is nothing to read (c->oom set if memory ran out).
 */
size_t wr_lab_seq(struct lab_ctx *c, const yaml_node_t *seq, const char *what,
		  const char *expect, size_t max, size_t size, void **arr);

bool *wr_lab_named_map(struct lab_ctx *c, const yaml_node_t *map, const char *what,
		       const char *expect, const char *dup_what, size_t max, size_t size,
		       void **arr, size_t *n);

/**
 * The addresses @seq of interface @ifc into ifc->addrs (allocated): unicast,
 * with a prefix length, none twice.
 */
void wr_lab_parse_addrs(struct lab_ctx *c, struct wr_lab_iface *ifc, const yaml_node_t *seq);

/* ------------------------------------------------ links (labfile_links.c) */

/**
 * Pass 3, first half: the `links` list @seq into lab->links and c->aux, one
 * entry each per link. Lower devices are only recorded (aux->lower), for
 * pass 4. Sets c->oom when memory runs out.
 */
void wr_lab_parse_links(struct lab_ctx *c, const yaml_node_t *seq);

/**
 * The index in lab->ns of the namespace written @name (@len bytes) in node
 * @n, the value of @what; -1 after an error saying it is not declared.
 */
int wr_lab_ns_ref(struct lab_ctx *c, const yaml_node_t *n, const char *what, const char *name,
		  size_t len);

/**
 * Parse the endpoint @n of @what, "ns:ifname" or "ifname" (root namespace),
 * into @ep with the real names: the namespace's full name, and for the root
 * the prefixed device name. *@ns_idx: index in lab->ns, -1 for root; *@pos:
 * where @n is. 0, or -EINVAL after an error.
 */
int wr_lab_parse_ep(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    struct wr_ep *ep, int *ns_idx, struct wr_pos *pos);

/* --------------------------------------------------- VFs (labfile_vfs.c) */

/**
 * Pass 5, first: the `vfs` list @seq into lab->vfs, each entry checked
 * (its namespace one of the lab's, its name no device a link creates
 * there nor another VF's, no VF of a PF wanted twice, its settings as
 * wr_vf_conf_put() reads them).
 */
void wr_lab_parse_vfs(struct lab_ctx *c, const yaml_node_t *seq);

/** The VF of @lab named @ifname in @netns (real names), or NULL. */
const struct wr_lab_vf *wr_lab_find_vf(const struct wr_lab *lab, const char *netns,
				       const char *ifname);

/* ---------------------------------------------- switch (labfile_switch.c) */

/**
 * Pass 6: the `switch` section @n (the value of the key), once the devices
 * of the links are known: the instance, its VLAN map and its ports, each
 * on a device of the lab. Fills lab->sw.
 */
void wr_lab_parse_switch(struct lab_ctx *c, const yaml_node_t *n);

/** The `evpn` section (labfile_evpn.c), after the switch: its tunnel is the switch's. */
void wr_lab_parse_evpn(struct lab_ctx *c, const yaml_node_t *n);

/** The index of the text of @n (the value of @what) in @names, or -1 after an error. */
int wr_lab_get_word(struct lab_ctx *c, const yaml_node_t *n, const char *what,
		    const char *const *names, size_t n_names);

/* ---------------------------------------------- tunnels (labfile_tunnel.c) */

/**
 * The switch's `tunnels` list @seq, once its ports are read: each into
 * lab->sw.tunnels, its requests checked against wr_api.def and against the
 * switch (the underlay one of its afxdp ports, names unique among ports and
 * tunnels, each VNI and bridge domain once per tunnel, remotes of the local
 * address's family and not the local address).
 */
void wr_lab_parse_tunnels(struct lab_ctx *c, const yaml_node_t *seq);

/**
 * The switch's `steer` list @seq, once its ports are read: a steer.add
 * each into lab->sw.steer, checked against wr_api.def, its port one of the
 * switch's, no match twice. (labfile_tunnel.c: it reads a request as the
 * tunnels' do.)
 */
void wr_lab_parse_steer(struct lab_ctx *c, const yaml_node_t *seq);

/**
 * The switch's `chains` list @seq, once its ports are read: a chain.add
 * each into lab->sw.chains, its hops a list of mappings, checked against
 * wr_api.def, its ports the switch's, no name twice (labfile_chain.c).
 */
void wr_lab_parse_chains(struct lab_ctx *c, const yaml_node_t *seq);

/*
 * The switch's `mirrors` list @seq, once its ports are read: a mirror.add
 * each into lab->sw.mirrors, both ports the switch's, no port to itself,
 * no pair twice, no loop (labfile_mirror.c).
 */
void wr_lab_parse_mirrors(struct lab_ctx *c, const yaml_node_t *seq);
/** A HOPS value @n (key @k, its word @word): a list of hop mappings as their objects, or NULL. */
struct json_object *wr_lab_hops_json(struct lab_ctx *c, const struct wr_api_key *k,
				     const char *word, const yaml_node_t *n);

/*
 * Reading a request's keys from a mapping (labfile_tunnel.c), for the
 * switch's lists whose items are API requests.
 */
#define KEYS_MAX 16
/*
 * The keys of one mapping: @cmd's (but @skip, which the caller fills in)
 * in their words, then @n_own of the lab's own; @v the value of each.
 */
struct wr_lab_rk {
	enum wr_api_cmd cmd;
	const struct wr_api_key *k[KEYS_MAX];
	const char *words[KEYS_MAX + 1];
	yaml_node_t *v[KEYS_MAX];
	size_t n_api, n;
};

void wr_lab_rk_init(struct wr_lab_rk *rk, enum wr_api_cmd cmd, const char *skip,
		    const char *const *own, size_t n_own);
/** The node of key @name of @rk's command, NULL if not given. */
yaml_node_t *wr_lab_rk_node(const struct wr_lab_rk *rk, const char *name);
/** The value @n of key @k (its word @word) as its type says, or NULL after an error. */
struct json_object *wr_lab_value_json(struct lab_ctx *c, const struct wr_api_key *k,
				      const char *word, const yaml_node_t *n);
/** The values of @rk's API keys into @args; false after an error. */
bool wr_lab_rk_values(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args);
/** The keys @m must have, as wr_api.def says; false after an error at @m. */
bool wr_lab_rk_required(struct lab_ctx *c, const struct wr_lab_rk *rk, const yaml_node_t *m,
			const char *what);
/** wr_api_check() on @args, each message at the node of the key it names. False after an error. */
bool wr_lab_rk_check(struct lab_ctx *c, const struct wr_lab_rk *rk, struct json_object *args,
		     const yaml_node_t *at, bool whole);
/** Member @key of request @o, or "". */
const char *wr_lab_req_str(struct json_object *o, const char *key);
/** @parsed's keys in wr_api.def's order for @cmd (a new object; @parsed is released). */
struct json_object *wr_lab_in_table_order(enum wr_api_cmd cmd, struct json_object *parsed);
/**
 * A list @seq of key @what whose items are requests: at most @max
 * mappings (@noun, each like @shape, for messages) into a new array at
 * *@out, each read by @item.
 */
void wr_lab_parse_req_list(struct lab_ctx *c, const yaml_node_t *seq, const char *what,
			   const char *noun, const char *shape, size_t max, struct wr_lab_req **out,
			   void (*item)(struct lab_ctx *c, yaml_node_t *m));
/** The port of the switch named @name, or NULL. */
const struct wr_lab_port *wr_lab_find_port(const struct wr_lab_switch *sw, const char *name);

/* -------------------------------------------- references (labfile_check.c) */

/** Pass 3: the table of the devices the links create; no name may come twice. */
void wr_lab_build_devs(struct lab_ctx *c);

/** Pass 4: each `link` (lower device) must be another device of the same namespace. */
void wr_lab_check_lowers(struct lab_ctx *c);

/** The device @ifname (real name) in @netns (full name), or NULL. */
const struct lab_dev *wr_lab_find_dev(const struct lab_ctx *c, const char *netns,
				      const char *ifname);

/** The kind of link that creates @d, or -1 when @d is NULL or that link's kind is bad. */
int wr_lab_dev_kind(const struct lab_ctx *c, const struct lab_dev *d);

/**
 * `master` @n of interface @ifc in @ns (@d: the device a link creates for
 * it, NULL if none) must be a bridge some link creates there, and @ifc a
 * device that can be its port. Sets ifc->master when all is well.
 */
void wr_lab_check_master(struct lab_ctx *c, const struct wr_lab_ns *ns,
			 struct wr_lab_iface *ifc, const struct lab_dev *d,
			 const yaml_node_t *n);

/**
 * Pass 6: the device @ep of a switch port (written as @n; @ns its namespace
 * index, -1 for root) must be one a link of the lab creates. Returns the
 * kind of that link (-1 if the link's kind is bad), or -ENODEV after an
 * error.
 */
int wr_lab_check_port_dev(struct lab_ctx *c, const struct wr_ep *ep, int ns,
			  const yaml_node_t *n);

#endif /* WR_LABFILE_PRIV_H */
