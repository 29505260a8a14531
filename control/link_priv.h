/* SPDX-License-Identifier: BSD-3-Clause */
/* link_priv.h - link.c's requests that tests read back (control/ only). */
#ifndef WR_LINK_PRIV_H
#define WR_LINK_PRIV_H

#include <netlink/msg.h>

#include "wr_control.h"

/**
 * The RTM_NEWLINK request (NLM_F_CREATE | NLM_F_EXCL) that creates ipvlan
 * @spec->ep.ifname on the device of ifindex @lower, with @spec's mode and
 * flag, into *@out (for nlmsg_free() or a send). 0, -EINVAL for a mode or
 * flag out of range, -ENOMEM; no message recorded.
 */
int wr_link_ipvlan_msg(const struct wr_link_spec *spec, int lower, struct nl_msg **out);

#endif /* WR_LINK_PRIV_H */
