/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns_priv.h - run a function inside a named network namespace
 * (drivers/ only): what a backend needs to open a device's fd or socket
 * there. Sockets and fds keep the namespace they were made in, so only
 * their creation has to happen inside.
 */
#ifndef WR_NETNS_PRIV_H
#define WR_NETNS_PRIV_H

#include <stddef.h>

/**
 * Call @fn(@arg) with the calling thread in network namespace @netns
 * (/run/netns/@netns, as `ip netns` makes them; NULL or "": the thread's
 * own, no switch), then bring the thread back.
 *
 * Returns what @fn returned (0 or -errno; @fn writes its own message into
 * whatever @arg carries), or -errno when the namespace could not be
 * entered, with a message in @err (@errlen bytes, may be 0). The thread
 * must not share its namespaces with a concurrent setns() of its own.
 * Aborts if the thread cannot get back (it would be left in @netns).
 * [control]
 */
int wr_netns_run(const char *netns, int (*fn)(void *), void *arg, char *err, size_t errlen);

#endif /* WR_NETNS_PRIV_H */
