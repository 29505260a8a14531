/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * print.h - one call per field, for people and for JSON alike.
 *
 * As iproute2's print_*(PRINT_ANY, ...): each field is printed once with its
 * JSON key and its text format, so that the two outputs cannot drift. In
 * text mode @fmt is used with the value; in JSON mode @key and the value.
 * A NULL @key inside an array prints a bare element; a NULL @fmt prints
 * nothing in text mode.
 */
#ifndef WR_PRINT_H
#define WR_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/** Start output to @out; JSON when @json, indented when @pretty too. */
void wr_print_start(FILE *out, bool json, bool pretty);
/** Finish: a newline after the JSON document; returns ferror-style 0/-EIO. */
int wr_print_end(void);
bool wr_print_is_json(void);

void wr_print_open_object(const char *key);
void wr_print_close_object(void);
void wr_print_open_array(const char *key);
void wr_print_close_array(void);

void wr_print_str(const char *key, const char *fmt, const char *val);
void wr_print_uint(const char *key, const char *fmt, uint64_t val);
void wr_print_int(const char *key, const char *fmt, int64_t val);
void wr_print_bool(const char *key, const char *fmt, bool val);
/** A finite number; in JSON as the shortest text that reads back the same. */
void wr_print_double(const char *key, const char *fmt, double val);
/** JSON null; in text mode @fmt is printed as it is. */
void wr_print_null(const char *key, const char *fmt);

/** Text mode only (separators, newlines); ignored in JSON mode. */
void wr_print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* WR_PRINT_H */
