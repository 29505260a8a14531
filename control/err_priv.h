/* SPDX-License-Identifier: BSD-3-Clause */
/* err_priv.h - helpers for building messages (control/ only). */
#ifndef WR_ERR_PRIV_H
#define WR_ERR_PRIV_H

#include <stddef.h>

/**
 * Copy @s into @buf (@size bytes, at least 16) for a message: bytes that are
 * not printable ASCII, the quote and the backslash become \xNN, so that a
 * message never carries a newline or a terminal escape out of its input;
 * a value too long is cut with "...". Returns @buf.
 */
const char *wr_err_quote(char *buf, size_t size, const char *s);

#endif /* WR_ERR_PRIV_H */
