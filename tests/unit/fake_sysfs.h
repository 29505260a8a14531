/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_sysfs.h - a sysfs tree in a temporary directory with the files and
 * links SR-IOV is read through, as the kernel lays them out:
 *
 *   class/net/PF -> ../../devices/pci0000:00/PFPCI/net/PF
 *   devices/pci0000:00/PFPCI/{sriov_totalvfs,sriov_numvfs,virtfnN -> ../VFPCI}
 *   devices/pci0000:00/PFPCI/net/PF/device -> ../../../PFPCI
 *   devices/pci0000:00/VFPCI/{physfn -> ../PFPCI,driver -> ...,net/VF/}
 *
 * sriov_numvfs is a plain file here; the kernel's answers to its writes
 * are the test's to play (sriov_priv.h). Include after <cmocka.h>.
 */
#ifndef WR_FAKE_SYSFS_H
#define WR_FAKE_SYSFS_H

#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAKE_BUS "devices/pci0000:00"

/* @root/@fmt... into @buf (PATH_MAX). */
static inline const char *fake_path(char *buf, const char *root, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(buf, PATH_MAX, "%s/", root);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, PATH_MAX - n, fmt, ap);
	va_end(ap);
	return buf;
}

/* mkdir -p of @path. */
static inline void fake_mkdirs(const char *path)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static inline void fake_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A new empty tree: its root, for fake_sysfs_free(). */
static inline char *fake_sysfs_new(void)
{
	char *root = strdup("/tmp/wr-sysfs.XXXXXX"), p[PATH_MAX];

	assert_non_null(mkdtemp(root));
	fake_mkdirs(fake_path(p, root, "class/net"));
	fake_mkdirs(fake_path(p, root, FAKE_BUS));
	return root;
}

/* A netdev @ifname of PCI device @pci (its directory made already). */
static inline void fake_netdev(const char *root, const char *pci, const char *ifname)
{
	char p[PATH_MAX], t[PATH_MAX];

	fake_mkdirs(fake_path(p, root, FAKE_BUS "/%s/net/%s", pci, ifname));
	snprintf(t, sizeof(t), "../../../%s", pci);
	assert_int_equal(symlink(t, fake_path(p, root, FAKE_BUS "/%s/net/%s/device", pci, ifname)), 0);
	snprintf(t, sizeof(t), "../../" FAKE_BUS "/%s/net/%s", pci, ifname);
	assert_int_equal(symlink(t, fake_path(p, root, "class/net/%s", ifname)), 0);
}

/* PF @ifname at @pci offering @total VFs, with none. */
static inline void fake_pf(const char *root, const char *ifname, const char *pci,
			   unsigned int total)
{
	char p[PATH_MAX], v[16];

	fake_mkdirs(fake_path(p, root, FAKE_BUS "/%s", pci));
	snprintf(v, sizeof(v), "%u\n", total);
	fake_write(fake_path(p, root, FAKE_BUS "/%s/sriov_totalvfs", pci), v);
	fake_write(fake_path(p, root, FAKE_BUS "/%s/sriov_numvfs", pci), "0\n");
	fake_netdev(root, pci, ifname);
}

/* sriov_numvfs of PF @pci says @n. */
static inline void fake_numvfs(const char *root, const char *pci, unsigned int n)
{
	char p[PATH_MAX], v[16];

	snprintf(v, sizeof(v), "%u\n", n);
	fake_write(fake_path(p, root, FAKE_BUS "/%s/sriov_numvfs", pci), v);
}

/* VF @index of PF @pf_pci at @pci, with netdev @ifname (NULL: none) and @driver (NULL: none). */
static inline void fake_vf(const char *root, const char *pf_pci, unsigned int index,
			   const char *pci, const char *ifname, const char *driver)
{
	char p[PATH_MAX], t[PATH_MAX];

	fake_mkdirs(fake_path(p, root, FAKE_BUS "/%s", pci));
	snprintf(t, sizeof(t), "../%s", pf_pci);
	assert_int_equal(symlink(t, fake_path(p, root, FAKE_BUS "/%s/physfn", pci)), 0);
	snprintf(t, sizeof(t), "../%s", pci);
	assert_int_equal(symlink(t, fake_path(p, root, FAKE_BUS "/%s/virtfn%u", pf_pci, index)), 0);
	if (driver) {
		fake_mkdirs(fake_path(p, root, "bus/pci/drivers/%s", driver));
		snprintf(t, sizeof(t), "../../../bus/pci/drivers/%s", driver);
		assert_int_equal(symlink(t, fake_path(p, root, FAKE_BUS "/%s/driver", pci)), 0);
	}
	if (ifname)
		fake_netdev(root, pci, ifname);
}

static inline int fake_rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* Remove the tree and free @root. */
static inline void fake_sysfs_free(char *root)
{
	nftw(root, fake_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

#endif /* WR_FAKE_SYSFS_H */
