/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drop.c - names and sentences of drop reasons and events (wr_drop.def).
 *
 * The name is the .def identifier in lower case ("parse_runt"): the key in
 * `warren stats -j`. The preprocessor cannot lower a string, so the names
 * are lowered once, in a constructor, before main() and before any thread
 * can ask; afterwards the tables are only read.
 */
#include <ctype.h>
#include <string.h>

#include "wr_dataplane.h"

#define WR_NAME_MAX 32	/* bytes of a lowered name, NUL included */

/* The .def names as written (upper case) and their sentences. */
static const char *const drop_ids[WR_DROP_COUNT] = {
#define WR_DROP(name, text) [WR_DROP_##name] = #name,
#include "wr_drop.def"
};
static const char *const drop_texts[WR_DROP_COUNT] = {
#define WR_DROP(name, text) [WR_DROP_##name] = text,
#include "wr_drop.def"
};
static const char *const event_ids[WR_EVENT_COUNT] = {
#define WR_EVENT(name, text) [WR_EVENT_##name] = #name,
#include "wr_drop.def"
};
static const char *const event_texts[WR_EVENT_COUNT] = {
#define WR_EVENT(name, text) [WR_EVENT_##name] = text,
#include "wr_drop.def"
};

/* Every name must fit its lowered copy. */
#define WR_DROP(name, text) \
	_Static_assert(sizeof(#name) <= WR_NAME_MAX, "drop name too long: " #name);
#define WR_EVENT(name, text) \
	_Static_assert(sizeof(#name) <= WR_NAME_MAX, "event name too long: " #name);
#include "wr_drop.def"

static char drop_names[WR_DROP_COUNT][WR_NAME_MAX];
static char event_names[WR_EVENT_COUNT][WR_NAME_MAX];

static void lower_into(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i < WR_NAME_MAX - 1; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

__attribute__((constructor)) static void wr_drop_names_init(void)
{
	for (int i = 0; i < WR_DROP_COUNT; i++)
		lower_into(drop_names[i], drop_ids[i]);
	for (int i = 0; i < WR_EVENT_COUNT; i++)
		lower_into(event_names[i], event_ids[i]);
}

const char *wr_drop_name(enum wr_drop d)
{
	return (unsigned)d < WR_DROP_COUNT ? drop_names[d] : "unknown";
}

const char *wr_drop_text(enum wr_drop d)
{
	return (unsigned)d < WR_DROP_COUNT ? drop_texts[d] : "unknown drop reason";
}

const char *wr_event_name(enum wr_event e)
{
	return (unsigned)e < WR_EVENT_COUNT ? event_names[e] : "unknown";
}

const char *wr_event_text(enum wr_event e)
{
	return (unsigned)e < WR_EVENT_COUNT ? event_texts[e] : "unknown event";
}
