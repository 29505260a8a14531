/* SPDX-License-Identifier: BSD-3-Clause */
/* nl_priv.h - rtnetlink sockets bound to a named namespace (control/ only). */
#ifndef WR_NL_PRIV_H
#define WR_NL_PRIV_H

#include <netlink/netlink.h>

/**
 * Open an rtnetlink socket inside @netns (root when NULL/""). A netlink
 * socket belongs to the namespace it was created in, so the thread visits
 * @netns only for the socket() call. Kernel extended-ack text is kept and
 * returned by wr_nl_extack() after a failed request.
 */
int wr_nl_open(const char *netns, struct nl_sock **out);
void wr_nl_close(struct nl_sock *sk);

/** The kernel's message for the last failed request on any socket ("" if none). */
const char *wr_nl_extack(void);

/**
 * Turn a libnl error into a negative errno, recording
 * "@what: <cause>" (with the kernel's extack when it said something).
 */
int wr_nl_err(int nlerr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* WR_NL_PRIV_H */
