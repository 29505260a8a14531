/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_labfile.c - libFuzzer target for the lab file parser. Any bytes must
 * give a lab, with errors or without, and never a crash, a leak, undefined
 * behaviour, or a report that breaks the promises of wr_control.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wr_control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every report promises, whatever the input. */
static void check_errors(const struct wr_lab *lab)
{
	size_t i;

	if (lab->n_errors > 100)
		__builtin_trap();
	for (i = 0; i < lab->n_errors; i++) {
		const struct wr_lab_error *e = &lab->errors[i];
		const unsigned char *p;

		/* Sorted by position, so that the CLI prints them in file order. */
		if (i && (e->pos.line < e[-1].pos.line ||
			  (e->pos.line == e[-1].pos.line && e->pos.col < e[-1].pos.col)))
			__builtin_trap();
		if (!e->msg[0] || !memchr(e->msg, '\0', sizeof(e->msg)))
			__builtin_trap();
		/* Text from the file is escaped: one error is one line of output. */
		for (p = (const unsigned char *)e->msg; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				__builtin_trap();
	}
}

/* A lab without errors is ready for wr_lab_up(): its names are valid. */
static void check_clean(const struct wr_lab *lab)
{
	size_t i;

	for (i = 0; i < lab->n_ns; i++)
		if (wr_valid_netns_name(lab->ns[i].full))
			__builtin_trap();
	for (i = 0; i < lab->n_links; i++) {
		const struct wr_link_spec *s = &lab->links[i].spec;

		if (wr_valid_ifname(s->ep.ifname) || !wr_link_kind_name(s->kind))
			__builtin_trap();
		if (s->kind == WR_LINK_VETH && wr_valid_ifname(s->peer.ifname))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr_lab *lab;

	lab = wr_lab_parse("fuzz", (const char *)data, size);
	if (!lab)
		return 0;
	check_errors(lab);
	if (!lab->n_errors)
		check_clean(lab);
	wr_lab_free(lab);
	return 0;
}
