/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sriov.c - SR-IOV through sysfs on a fake tree (fake_sysfs.h): PFs
 * and their VFs read back, physfn, and sriov_numvfs changed the way the
 * kernel takes it (0 first), refused for a VF in use or beyond
 * sriov_totalvfs, the kernel's refusals explained. The kernel's side of
 * each write is played by a hook that keeps the values in order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_sysfs.h"
#include "sriov_priv.h"
#include "wr_control.h"

#define PF_PCI "0000:03:00.0"

/* The kernel as sriov_numvfs_store() answers, and what was written. */
static struct {
	unsigned int total;
	bool no_driver;		/* no sriov_configure: -ENOENT */
	unsigned int writes[8];
	size_t n_writes;
} kernel;

static int kernel_write(const char *path, unsigned int old, unsigned int val)
{
	(void)path;
	if (kernel.n_writes < 8)
		kernel.writes[kernel.n_writes++] = val;
	if (val > kernel.total)
		return -ERANGE;
	if (kernel.no_driver)
		return -ENOENT;
	if (old && val && old != val)
		return -EBUSY;
	return 0;
}

struct fixture {
	char *root;
};

/* PF eth0 offering 8 VFs, with 2: VF 0 eth0v0 (iavf), VF 1 bound to vfio-pci, no netdev. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[PATH_MAX];

	f->root = fake_sysfs_new();
	fake_pf(f->root, "eth0", PF_PCI, 8);
	fake_numvfs(f->root, PF_PCI, 2);
	fake_vf(f->root, PF_PCI, 0, "0000:03:02.0", "eth0v0", "iavf");
	fake_vf(f->root, PF_PCI, 1, "0000:03:02.1", NULL, "vfio-pci");
	/* A netdev without SR-IOV beside it, and a second PF. */
	fake_mkdirs(fake_path(p, f->root, FAKE_BUS "/0000:00:19.0"));
	fake_netdev(f->root, "0000:00:19.0", "eno1");
	fake_pf(f->root, "enp4s0f0", "0000:04:00.0", 64);
	memset(&kernel, 0, sizeof(kernel));
	kernel.total = 8;
	wr_sriov_numvfs_hook = kernel_write;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	wr_sriov_numvfs_hook = NULL;
	fake_sysfs_free(f->root);
	free(f);
	return 0;
}

static unsigned int numvfs_now(const char *root)
{
	struct wr_sriov_pf p;

	assert_int_equal(wr_sriov_pf_get(root, "eth0", &p), 0);
	return p.num_vfs;
}

static void test_pf(void **state)
{
	struct fixture *f = *state;
	struct wr_sriov_pf p;

	assert_int_equal(wr_sriov_pf_get(f->root, "eth0", &p), 0);
	assert_string_equal(p.ifname, "eth0");
	assert_string_equal(p.pci, PF_PCI);
	assert_int_equal(p.total_vfs, 8);
	assert_int_equal(p.num_vfs, 2);

	assert_int_equal(wr_sriov_pf_get(f->root, "eno1", &p), -EOPNOTSUPP);
	assert_non_null(strstr(wr_err_msg(), "PF eno1: no SR-IOV"));
	assert_int_equal(wr_sriov_pf_get(f->root, "eth9", &p), -ENODEV);
	assert_non_null(strstr(wr_err_msg(), "PF eth9: No such device"));
	assert_int_equal(wr_sriov_pf_get(f->root, "../x", &p), -EINVAL);
}

/* The root comes from $WARREN_SYSFS when none is given. */
static void test_root_from_env(void **state)
{
	struct fixture *f = *state;
	struct wr_sriov_pf p;

	setenv("WARREN_SYSFS", f->root, 1);
	assert_string_equal(wr_sysfs_root(), f->root);
	assert_int_equal(wr_sriov_pf_get(NULL, "eth0", &p), 0);
	assert_int_equal(p.total_vfs, 8);
	setenv("WARREN_SYSFS", "", 1);
	assert_string_equal(wr_sysfs_root(), "/sys");
	unsetenv("WARREN_SYSFS");
	assert_string_equal(wr_sysfs_root(), "/sys");
}

static int add_pf(const struct wr_sriov_pf *pf, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 200 - strlen(out), "%s/%u/%u ", pf->ifname, pf->num_vfs,
		 pf->total_vfs);
	return 0;
}

static void test_pf_foreach(void **state)
{
	struct fixture *f = *state;
	char got[200] = "";

	assert_int_equal(wr_sriov_pf_foreach(f->root, add_pf, got), 2);
	assert_string_equal(got, "enp4s0f0/0/64 eth0/2/8 ");
}

static int add_vf(const struct wr_sriov_vf *vf, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 300 - strlen(out), "%u=%s,%s,%s ", vf->index, vf->pci,
		 vf->ifname[0] ? vf->ifname : "-", vf->driver[0] ? vf->driver : "-");
	return 0;
}

static void test_vfs(void **state)
{
	struct fixture *f = *state;
	struct wr_sriov_vf vf;
	char got[300] = "";

	/* Index order, not the directory's: virtfn10 after virtfn2. */
	fake_vf(f->root, PF_PCI, 10, "0000:03:03.2", "eth0v10", NULL);
	fake_vf(f->root, PF_PCI, 2, "0000:03:02.2", "eth0v2", "iavf");
	assert_int_equal(wr_sriov_vf_foreach(f->root, "eth0", add_vf, got), 4);
	assert_string_equal(got, "0=0000:03:02.0,eth0v0,iavf 1=0000:03:02.1,-,vfio-pci "
			    "2=0000:03:02.2,eth0v2,iavf 10=0000:03:03.2,eth0v10,- ");
	assert_int_equal(wr_sriov_vf_get(f->root, "eth0", 2, &vf), 0);
	assert_string_equal(vf.ifname, "eth0v2");
	assert_int_equal(wr_sriov_vf_get(f->root, "eth0", 5, &vf), -ENOENT);
	assert_non_null(strstr(wr_err_msg(), "PF eth0: no VF 5"));
	got[0] = '\0';
	assert_int_equal(wr_sriov_vf_foreach(f->root, "enp4s0f0", add_vf, got), 0);
	assert_string_equal(got, "");
}

static void test_physfn(void **state)
{
	struct fixture *f = *state;
	char pf[IFNAMSIZ];
	unsigned int index = 99;

	assert_int_equal(wr_sriov_physfn(f->root, "eth0v0", pf, &index), 0);
	assert_string_equal(pf, "eth0");
	assert_int_equal(index, 0);
	fake_vf(f->root, PF_PCI, 7, "0000:03:02.7", "eth0v7", NULL);
	assert_int_equal(wr_sriov_physfn(f->root, "eth0v7", pf, &index), 0);
	assert_int_equal(index, 7);
	assert_int_equal(wr_sriov_physfn(f->root, "eth0", pf, &index), -ENOENT);
	assert_int_equal(wr_sriov_physfn(f->root, "eno1", pf, &index), -ENOENT);
	assert_int_equal(wr_sriov_physfn(f->root, "nope0", pf, &index), -ENOENT);
}

/* 2 → 4 is 0 then 4: the kernel refuses a change between two counts. */
static void test_numvfs_change(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 4, NULL, NULL), 0);
	assert_int_equal(kernel.n_writes, 2);
	assert_int_equal(kernel.writes[0], 0);
	assert_int_equal(kernel.writes[1], 4);
	assert_int_equal(numvfs_now(f->root), 4);

	/* The same count: nothing written. */
	kernel.n_writes = 0;
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 4, NULL, NULL), 0);
	assert_int_equal(kernel.n_writes, 0);

	/* Down to 0: one write. */
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 0, NULL, NULL), 0);
	assert_int_equal(kernel.n_writes, 1);
	assert_int_equal(kernel.writes[0], 0);
	assert_int_equal(numvfs_now(f->root), 0);

	/* Up from 0: one write. */
	kernel.n_writes = 0;
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 8, NULL, NULL), 0);
	assert_int_equal(kernel.n_writes, 1);
	assert_int_equal(kernel.writes[0], 8);
	assert_int_equal(numvfs_now(f->root), 8);
}

static void test_numvfs_range(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 9, NULL, NULL), -ERANGE);
	assert_string_equal(wr_err_msg(), "PF eth0 (0000:03:00.0): set numvfs 9: more than the 8 "
			    "VFs the device offers (sriov_totalvfs)");
	assert_int_equal(kernel.n_writes, 0);
	assert_int_equal(numvfs_now(f->root), 2);

	/* A kernel that says ERANGE all the same (sriov_totalvfs lowered by the driver). */
	kernel.total = 3;
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 5, NULL, NULL), -ERANGE);
	assert_non_null(strstr(wr_err_msg(), "set numvfs 5: Numerical result out of range (more "
			       "than sriov_totalvfs: the device offers no more); the PF now has "
			       "0 VFs"));
}

static void test_numvfs_no_driver(void **state)
{
	struct fixture *f = *state;

	kernel.no_driver = true;
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 4, NULL, NULL), -ENOENT);
	assert_non_null(strstr(wr_err_msg(), "set numvfs 0: No such file or directory (the "
			       "driver bound to the PF has no SR-IOV support"));
	assert_int_equal(numvfs_now(f->root), 2);

	assert_int_equal(wr_sriov_set_numvfs(f->root, "eno1", 1, NULL, NULL), -EOPNOTSUPP);
}

/* VF 0 is in use: nothing is written, and the message names it and its user. */
static int vf0_used(const struct wr_sriov_pf *pf, const struct wr_sriov_vf *vf, char *who,
		    size_t size, void *arg)
{
	int *asked = arg;

	assert_string_equal(pf->ifname, "eth0");
	(*asked)++;
	if (vf->index != 0)
		return 0;
	snprintf(who, size, "attached to netns h1 as net1");
	return 1;
}

static void test_numvfs_in_use(void **state)
{
	struct fixture *f = *state;
	int asked = 0;

	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 4, vf0_used, &asked), -EBUSY);
	assert_int_equal(asked, 2);
	assert_string_equal(wr_err_msg(), "PF eth0: set numvfs 4: 1 VF in use (vf 0 eth0v0: "
			    "attached to netns h1 as net1); release it first (warren vf release "
			    "eth0)");
	assert_int_equal(kernel.n_writes, 0);
	assert_int_equal(numvfs_now(f->root), 2);
	/* Taking every VF away is refused alike. */
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 0, vf0_used, &asked), -EBUSY);
	/* Nothing changes: nobody is asked. */
	asked = 0;
	assert_int_equal(wr_sriov_set_numvfs(f->root, "eth0", 2, vf0_used, &asked), 0);
	assert_int_equal(asked, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_from_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pf_foreach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_physfn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_no_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_in_use, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
