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

#endif /* WR_SRIOV_PRIV_H */
