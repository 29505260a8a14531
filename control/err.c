/* SPDX-License-Identifier: BSD-3-Clause */
/* err.c - the message of the last failure, for callers to print. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err_priv.h"
#include "wr_control.h"

static char last_msg[512];

int wr_err_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	return err;
}

const char *wr_err_msg(void)
{
	return last_msg;
}

void wr_err_clear(void)
{
	last_msg[0] = '\0';
}

const char *wr_err_quote(char *buf, size_t size, const char *s)
{
	return wr_quote(buf, size, s);
}
