/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * labtest.h - what the lab file's unit tests share: parsing a text, and
 * tables of error cases, each wanting one error at its line:column.
 * Include after <cmocka.h> and "wr_control.h".
 */
#ifndef WR_LABTEST_H
#define WR_LABTEST_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct wr_lab *parse(const char *text)
{
	struct wr_lab *lab = wr_lab_parse("t.yaml", text, strlen(text));

	assert_non_null(lab);
	return lab;
}

static void print_errors(const struct wr_lab *lab)
{
	size_t i;

	for (i = 0; i < lab->n_errors; i++)
		print_message("  %s:%u:%u: %s\n", lab->file, lab->errors[i].pos.line,
			      lab->errors[i].pos.col, lab->errors[i].msg);
}

static struct wr_lab *parse_ok(const char *text)
{
	struct wr_lab *lab = parse(text);

	if (lab->n_errors) {
		print_errors(lab);
		fail_msg("expected no errors in:\n%s", text);
	}
	return lab;
}

/* -------------------------------------------------------------- errors */

struct err_case {
	const char *yaml;
	unsigned int line, col;
	const char *msg;
	size_t n_errors;	/* in the whole file */
};

/* One error, the one named. */
#define E(y, l, c, m) { (y), (l), (c), (m), 1 }
/* Several errors; the one named is among them. */
#define EN(y, l, c, m, n) { (y), (l), (c), (m), (n) }

static void check_cases(const struct err_case *cases, size_t n)
{
	struct wr_lab *lab;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct err_case *ec = &cases[i];

		lab = parse(ec->yaml);
		for (j = 0; j < lab->n_errors; j++)
			if (lab->errors[j].pos.line == ec->line && lab->errors[j].pos.col == ec->col &&
			    strstr(lab->errors[j].msg, ec->msg))
				break;
		if (j == lab->n_errors || lab->n_errors != ec->n_errors) {
			print_message("case %zu: want %zu error(s), one at %u:%u with '%s'; got:\n", i,
				      ec->n_errors, ec->line, ec->col, ec->msg);
			print_errors(lab);
			print_message("in:\n%s\n", ec->yaml);
			wr_lab_free(lab);
			fail();
		}
		/* Errors come sorted by position. */
		for (j = 1; j < lab->n_errors; j++) {
			const struct wr_pos *a = &lab->errors[j - 1].pos, *b = &lab->errors[j].pos;

			assert_true(a->line < b->line || (a->line == b->line && a->col <= b->col));
		}
		wr_lab_free(lab);
	}
}

#endif /* WR_LABTEST_H */
