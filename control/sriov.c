/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sriov.c - SR-IOV physical functions and their VFs through sysfs: what a
 * PF offers and has (sriov_totalvfs, sriov_numvfs), its VFs (virtfnN, each
 * with its PCI address, netdev and driver), the way back (physfn), and the
 * change of the VF count.
 *
 * Everything is read under a root given by the caller (tests build a fake
 * tree); names are checked as interface names before they become paths.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov_priv.h"
#include "wr_control.h"

#define VF_MAX 4096	/* virtfnN entries read (PCIe allows 65535; no NIC has more than 256) */

int (*wr_sriov_numvfs_hook)(const char *path, unsigned int old, unsigned int val);

const char *wr_sysfs_root(void)
{
	const char *r = getenv("WARREN_SYSFS");

	return r && r[0] ? r : "/sys";
}

static const char *root_of(const char *sysfs)
{
	return sysfs ? sysfs : wr_sysfs_root();
}

/* @root/class/net/@dev/device/@fmt... into @buf; -ENAMETOOLONG if it does not fit. */
static int dev_path(char *buf, size_t size, const char *root, const char *dev, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));
static int dev_path(char *buf, size_t size, const char *root, const char *dev, const char *fmt,
		    ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(buf, size, "%s/class/net/%s/device/", root, dev);
	if (n >= size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	n += (size_t)vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n >= size ? -ENAMETOOLONG : 0;
}

/* An unsigned number from the file @path: 0 or -errno. */
static int read_uint(const char *path, unsigned int *out)
{
	char buf[32], *end;
	unsigned long v;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (end == buf || errno || v > UINT_MAX || (*end && *end != '\n'))
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* The last part of where link @path points (a PCI address, a driver) into @buf. */
static int link_base(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	snprintf(buf, size, "%s", base);
	return 0;
}

/* The first entry of directory @path (a device's net/: its netdev) into @buf; "" if none. */
static void first_entry(const char *path, char *buf, size_t size)
{
	struct dirent *de;
	DIR *d;

	buf[0] = '\0';
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strlen(de->d_name) < size) {
			snprintf(buf, size, "%s", de->d_name);
			break;
		}
	closedir(d);
}

int wr_sriov_pf_get(const char *sysfs, const char *pf, struct wr_sriov_pf *out)
{
	const char *root = root_of(sysfs);
	char path[PATH_MAX];
	int err;

	memset(out, 0, sizeof(*out));
	if (wr_valid_ifname(pf))
		return wr_err_set(-EINVAL, "PF '%s': invalid interface name", pf);
	snprintf(out->ifname, sizeof(out->ifname), "%s", pf);
	snprintf(path, sizeof(path), "%s/class/net/%s", root, pf);
	if (access(path, F_OK))
		return wr_err_set(-ENODEV, "PF %s: %s (no %s)", pf, strerror(ENODEV), path);
	err = dev_path(path, sizeof(path), root, pf, "sriov_totalvfs");
	if (err)
		return wr_err_set(err, "PF %s: %s: path too long", pf, root);
	err = read_uint(path, &out->total_vfs);
	if (err == -ENOENT)
		return wr_err_set(-EOPNOTSUPP, "PF %s: no SR-IOV (no %s: not a PCI device with "
				  "the SR-IOV capability, or a kernel without CONFIG_PCI_IOV)",
				  pf, path);
	if (err)
		return wr_err_set(err, "PF %s: read %s: %s", pf, path, strerror(-err));
	dev_path(path, sizeof(path), root, pf, "sriov_numvfs");
	err = read_uint(path, &out->num_vfs);
	if (err)
		return wr_err_set(err, "PF %s: read %s: %s", pf, path, strerror(-err));
	snprintf(path, sizeof(path), "%s/class/net/%s/device", root, pf);
	err = link_base(path, out->pci, sizeof(out->pci));
	if (err)
		return wr_err_set(err, "PF %s: read link %s: %s", pf, path, strerror(-err));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int wr_sriov_pf_foreach(const char *sysfs,
			int (*fn)(const struct wr_sriov_pf *pf, void *arg), void *arg)
{
	const char *root = root_of(sysfs);
	char path[PATH_MAX], **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct wr_sriov_pf pf;
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/class/net", root);
	d = opendir(path);
	if (!d)
		return wr_err_set(-errno, "SR-IOV: list %s: %s", path, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || wr_valid_ifname(de->d_name))
			continue;
		if (dev_path(path, sizeof(path), root, de->d_name, "sriov_totalvfs") ||
		    access(path, F_OK))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				ret = wr_err_set(-ENOMEM, "SR-IOV: list PFs: out of memory");
				goto end_free;
			}
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			ret = wr_err_set(-ENOMEM, "SR-IOV: list PFs: out of memory");
			goto end_free;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r = wr_sriov_pf_get(root, names[i], &pf);

		/* Gone since the listing: not one any more. */
		if (r == -ENODEV || r == -EOPNOTSUPP)
			continue;
		if (r < 0) {
			ret = r;
			break;
		}
		r = fn(&pf, arg);
		ret = r < 0 ? r : ret + 1;
	}
end_free:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

/* VF @index of the PF whose device directory is @pfdev, into @out. */
static int vf_read(const char *pfdev, unsigned int index, struct wr_sriov_vf *out)
{
	char path[PATH_MAX];
	int err;

	memset(out, 0, sizeof(*out));
	out->index = index;
	if ((size_t)snprintf(path, sizeof(path), "%s/virtfn%u", pfdev, index) >= sizeof(path) - 16)
		return -ENAMETOOLONG;
	err = link_base(path, out->pci, sizeof(out->pci));
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/virtfn%u/net", pfdev, index);
	first_entry(path, out->ifname, sizeof(out->ifname));
	snprintf(path, sizeof(path), "%s/virtfn%u/driver", pfdev, index);
	if (link_base(path, out->driver, sizeof(out->driver)))
		out->driver[0] = '\0';
	return 0;
}

/* The VF indexes under @pfdev, ascending, into *@out (for free()) and *@n. */
static int vf_indexes(const char *pfdev, unsigned int **out, size_t *n)
{
	unsigned int *idx, i;
	struct dirent *de;
	size_t k = 0;
	int len;
	DIR *d;

	*out = NULL;
	*n = 0;
	d = opendir(pfdev);
	if (!d)
		return -errno;
	idx = calloc(VF_MAX, sizeof(*idx));
	if (!idx) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d)) && k < VF_MAX) {
		len = 0;
		if (sscanf(de->d_name, "virtfn%u%n", &i, &len) == 1 &&
		    (size_t)len == strlen(de->d_name))
			idx[k++] = i;
	}
	closedir(d);
	/* Few entries: insertion sort keeps it short. */
	for (size_t a = 1; a < k; a++)
		for (size_t b = a; b > 0 && idx[b - 1] > idx[b]; b--) {
			i = idx[b];
			idx[b] = idx[b - 1];
			idx[b - 1] = i;
		}
	*out = idx;
	*n = k;
	return 0;
}

int wr_sriov_vf_foreach(const char *sysfs, const char *pf,
			int (*fn)(const struct wr_sriov_vf *vf, void *arg), void *arg)
{
	const char *root = root_of(sysfs);
	struct wr_sriov_pf p;
	struct wr_sriov_vf vf;
	char pfdev[PATH_MAX];
	unsigned int *idx;
	size_t n;
	int ret, err;

	ret = wr_sriov_pf_get(root, pf, &p);
	if (ret)
		return ret;
	snprintf(pfdev, sizeof(pfdev), "%s/class/net/%s/device", root, pf);
	err = vf_indexes(pfdev, &idx, &n);
	if (err)
		return wr_err_set(err, "PF %s: list VFs: %s", pf, strerror(-err));
	for (size_t i = 0; i < n && ret >= 0; i++) {
		err = vf_read(pfdev, idx[i], &vf);
		if (err == -ENOENT)
			continue;	/* removed meanwhile */
		if (err) {
			ret = wr_err_set(err, "PF %s: VF %u: %s", pf, idx[i], strerror(-err));
			break;
		}
		err = fn(&vf, arg);
		ret = err < 0 ? err : ret + 1;
	}
	free(idx);
	return ret;
}

int wr_sriov_vf_get(const char *sysfs, const char *pf, unsigned int index,
		    struct wr_sriov_vf *out)
{
	const char *root = root_of(sysfs);
	struct wr_sriov_pf p;
	char pfdev[PATH_MAX];
	int err;

	err = wr_sriov_pf_get(root, pf, &p);
	if (err)
		return err;
	snprintf(pfdev, sizeof(pfdev), "%s/class/net/%s/device", root, pf);
	err = vf_read(pfdev, index, out);
	if (err == -ENOENT)
		return wr_err_set(-ENOENT, "PF %s: no VF %u (it has %u: sriov_numvfs)", pf, index,
				  p.num_vfs);
	if (err)
		return wr_err_set(err, "PF %s: VF %u: %s", pf, index, strerror(-err));
	return 0;
}

int wr_sriov_physfn(const char *sysfs, const char *ifname, char *pf, unsigned int *index)
{
	const char *root = root_of(sysfs);
	/* Room for a name after a resolved directory: realpath() fills PATH_MAX at most. */
	char path[PATH_MAX + 64], vfdev[PATH_MAX], pfdev[PATH_MAX], other[PATH_MAX];
	unsigned int *idx;
	size_t n;
	int err;

	if (wr_valid_ifname(ifname))
		return wr_err_set(-EINVAL, "VF '%s': invalid interface name", ifname);
	snprintf(path, sizeof(path), "%s/class/net/%s/device", root, ifname);
	if (!realpath(path, vfdev))
		return wr_err_set(-ENOENT, "%s: not a VF (no PCI device)", ifname);
	snprintf(path, sizeof(path), "%s/physfn", vfdev);
	if (!realpath(path, pfdev))
		return wr_err_set(-ENOENT, "%s: not a VF (no physfn)", ifname);
	snprintf(path, sizeof(path), "%s/net", pfdev);
	first_entry(path, pf, IFNAMSIZ);
	err = vf_indexes(pfdev, &idx, &n);
	if (err)
		return wr_err_set(err, "%s: list the VFs of its PF: %s", ifname, strerror(-err));
	err = wr_err_set(-ENOENT, "%s: not among the VFs of its PF", ifname);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/virtfn%u", pfdev, idx[i]);
		if (realpath(path, other) && !strcmp(other, vfdev)) {
			*index = idx[i];
			err = 0;
			break;
		}
	}
	free(idx);
	return err;
}

/* ------------------------------------------------------------- numvfs */

/* Write @val to sriov_numvfs at @path that holds @old; 0 or -errno, no message. */
static int write_numvfs(const char *path, unsigned int old, unsigned int val)
{
	char buf[16];
	int fd, n, err = 0;

	if (wr_sriov_numvfs_hook) {
		err = wr_sriov_numvfs_hook(path, old, val);
		if (err)
			return err;
	}
	/* O_TRUNC: a fake tree's plain file is rewritten; sysfs ignores it. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%u\n", val);
	if (write(fd, buf, (size_t)n) != n)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* The kernel's refusal of sriov_numvfs, in plain words. */
static int numvfs_failed(const struct wr_sriov_pf *p, unsigned int n, int err, bool zeroed)
{
	const char *why;

	switch (-err) {
	case ERANGE:
		why = "more than sriov_totalvfs: the device offers no more";
		break;
	case ENOENT:
		why = "the driver bound to the PF has no SR-IOV support (no sriov_configure), "
		      "or no driver is bound";
		break;
	case EBUSY:
		why = "VFs are still enabled, or one is assigned to a guest";
		break;
	case EPERM:
	case EACCES:
		why = "needs root";
		break;
	default:
		why = NULL;
	}
	return wr_err_set(err, "PF %s (%s): set numvfs %u: %s%s%s%s%s", p->ifname, p->pci, n,
			  strerror(-err), why ? " (" : "", why ? why : "", why ? ")" : "",
			  zeroed ? "; the PF now has 0 VFs" : "");
}

/* Ask @in_use about every VF of @p; -EBUSY naming the users, 0 if none. */
static int check_users(const char *root, const struct wr_sriov_pf *p, unsigned int n,
		       wr_sriov_user_fn in_use, void *arg)
{
	char pfdev[PATH_MAX], who[160], msg[400];
	struct wr_sriov_vf vf;
	unsigned int *idx;
	size_t k, o = 0, users = 0;
	int err, r;

	snprintf(pfdev, sizeof(pfdev), "%s/class/net/%s/device", root, p->ifname);
	err = vf_indexes(pfdev, &idx, &k);
	if (err)
		return wr_err_set(err, "PF %s: list VFs: %s", p->ifname, strerror(-err));
	msg[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		if (vf_read(pfdev, idx[i], &vf))
			continue;
		who[0] = '\0';
		r = in_use(p, &vf, who, sizeof(who), arg);
		if (r < 0) {
			err = r;
			goto end_free;
		}
		if (!r)
			continue;
		users++;
		if (o < sizeof(msg))
			o += (size_t)snprintf(msg + o, sizeof(msg) - o, "%svf %u%s%s: %s",
					      users > 1 ? "; " : "", vf.index,
					      vf.ifname[0] ? " " : "", vf.ifname, who);
	}
	if (users)
		err = wr_err_set(-EBUSY, "PF %s: set numvfs %u: %zu VF%s in use (%s); release "
				 "%s first (warren vf release %s)", p->ifname, n, users,
				 users > 1 ? "s" : "", msg, users > 1 ? "them" : "it", p->ifname);
end_free:
	free(idx);
	return err;
}

int wr_sriov_set_numvfs(const char *sysfs, const char *pf, unsigned int n,
			wr_sriov_user_fn in_use, void *arg)
{
	const char *root = root_of(sysfs);
	struct wr_sriov_pf p;
	char path[PATH_MAX];
	int err;

	err = wr_sriov_pf_get(root, pf, &p);
	if (err)
		return err;
	if (n == p.num_vfs)
		return 0;
	if (n > p.total_vfs)
		return wr_err_set(-ERANGE, "PF %s (%s): set numvfs %u: more than the %u VFs the "
				  "device offers (sriov_totalvfs)", pf, p.pci, n, p.total_vfs);
	if (p.num_vfs && in_use) {
		err = check_users(root, &p, n, in_use, arg);
		if (err)
			return err;
	}
	dev_path(path, sizeof(path), root, pf, "sriov_numvfs");
	/* The kernel changes only from or to 0 (EBUSY otherwise). */
	if (p.num_vfs) {
		err = write_numvfs(path, p.num_vfs, 0);
		if (err)
			return numvfs_failed(&p, 0, err, false);
	}
	if (!n)
		return 0;
	err = write_numvfs(path, 0, n);
	return err ? numvfs_failed(&p, n, err, p.num_vfs != 0) : 0;
}
