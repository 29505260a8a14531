/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sriov_priv.h - the seam under SR-IOV's sysfs writes (control/ and its
 * unit tests only). A fake sysfs tree holds sriov_numvfs as a plain file,
 * which neither refuses a value nor keeps a record of the values written:
 * a test that wants the kernel's answers or the order of the writes sets
 * the hook.
 */
#ifndef WR_SRIOV_PRIV_H
#define WR_SRIOV_PRIV_H

/**
 * When set, called before each write of @val to sriov_numvfs file @path
 * that holds @old. A negative errno stands for the kernel's refusal of the
 * write (nothing is written then); 0 lets the write happen. NULL (the
 * default) outside tests.
 */
extern int (*wr_sriov_numvfs_hook)(const char *path, unsigned int old, unsigned int val);

struct nlmsghdr;
struct nl_msg;
struct wr_vf_conf;

/**
 * The RTM_NEWLINK request that applies @c (checked by wr_vf_conf_check(),
 * rates both set) to VF @vf of the PF of ifindex @ifindex, into *@out:
 * IFLA_VFINFO_LIST { IFLA_VF_INFO { ... } }, every attribute carrying @vf,
 * in iproute2's order (MAC, VLAN, spoof check, trust, link state, RSS
 * query, rate) and byte for byte as iproute2 builds it (see test_vf_nl.c).
 * 0, -EINVAL (wr_vf_conf_check()'s message), -ENOMEM.
 */
int wr_vf_msg(int ifindex, unsigned int vf, const struct wr_vf_conf *c, struct nl_msg **out);

/**
 * The RTM_GETLINK request for PF @ifindex with its VFs but without their
 * counters (RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS), into *@out.
 */
int wr_vf_getlink_msg(int ifindex, struct nl_msg **out);

/**
 * Call @fn for every IFLA_VF_INFO of RTM_NEWLINK message @h (a request or
 * the kernel's reply). Count; -ENODATA when it has no IFLA_VFINFO_LIST;
 * -EINVAL when an entry is malformed or its attributes disagree on the VF
 * index. No message recorded.
 */
int wr_vf_parse(const struct nlmsghdr *h,
		int (*fn)(unsigned int vf, const struct wr_vf_conf *c, void *arg), void *arg);

/** Give @c the rate that it lacks from @cur (NULL or unset: 0), as iproute2 does. */
void wr_vf_conf_rates(struct wr_vf_conf *c, const struct wr_vf_conf *cur);

#endif /* WR_SRIOV_PRIV_H */
