/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns_priv.h - the scans behind `netns identify` and `netns pids` (control/
 * only), with their directories as parameters so that tests run them on
 * trees of their own, without privileges.
 */
#ifndef WR_NETNS_PRIV_H
#define WR_NETNS_PRIV_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/**
 * Call @fn, in name order, with each entry of @run_dir that is the same
 * file as @ns (st_dev and st_ino: a bind mount of that namespace). Entries
 * that cannot be stat'ed are no match. Count, or the first negative @fn
 * returned, or -errno (a missing @run_dir has no entries).
 */
int wr_netns_names_at(const char *run_dir, const struct stat *ns,
		      int (*fn)(const char *name, void *arg), void *arg);

/**
 * The processes under @proc_dir (entries named by digits only) whose ns/net
 * is @ns, in ascending order, into *@out (for free()) and *@n. A process
 * that is gone before its turn, a zombie, or one the caller may not
 * inspect is left out, as `ip netns pids` does. 0 or -errno.
 */
int wr_netns_pids_at(const char *proc_dir, const struct stat *ns, pid_t **out, size_t *n);

#endif /* WR_NETNS_PRIV_H */
