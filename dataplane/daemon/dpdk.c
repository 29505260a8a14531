/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk.c - warrend's DPDK environment: the EAL's arguments from --dpdk
 * (or the defaults, enough for virtual devices on any machine), with the
 * lcore and file prefix warrend chooses unless the user did, started once:
 * at start-up when --dpdk is given, else at the first DPDK port.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "warrend.h"
#include "wr_drivers.h"

/* No hugepage, no PCI scan, no shared files: virtual devices (net_tap, memif, ...). */
static const char default_args[] = "--no-huge -m 512 --no-shconf --no-pci --no-telemetry";

static bool has_arg(char *const *argv, int argc, const char *const *names)
{
	for (int i = 0; i < argc; i++)
		for (const char *const *n = names; *n; n++)
			if (!strcmp(argv[i], *n) || (!strncmp(argv[i], *n, strlen(*n)) &&
						     argv[i][strlen(*n)] == '='))
				return true;
	return false;
}

int wd_dpdk_args(const struct wd_conf *c, struct wd_eal_args *a)
{
	static const char *const lcores[] = { "-l", "-c", "--lcores", NULL };
	static const char *const prefix[] = { "--file-prefix", NULL };
	const char *text = c->dpdk_args[0] ? c->dpdk_args : default_args;
	char *save = NULL;

	a->argc = 0;
	snprintf(a->buf, sizeof(a->buf), "%s", text);
	for (char *t = strtok_r(a->buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (a->argc == WD_EAL_ARGS_MAX - 4)
			return -E2BIG;
		a->argv[a->argc++] = t;
	}
	/* The EAL pins its main lcore: one of warrend's cores, not every core it sees. */
	if (!has_arg(a->argv, a->argc, lcores)) {
		snprintf(a->lcore, sizeof(a->lcore), "%d", c->cores[0] >= 0 ? c->cores[0] : 0);
		a->argv[a->argc++] = (char *)"-l";
		a->argv[a->argc++] = a->lcore;
	}
	/* Two instances with hugepages must not share their files. */
	if (!has_arg(a->argv, a->argc, prefix)) {
		snprintf(a->prefix, sizeof(a->prefix), "--file-prefix=warren-%s", c->name);
		a->argv[a->argc++] = a->prefix;
	}
	a->argv[a->argc] = NULL;
	return 0;
}

/*
 * DPDK's messages in warrend's log. PMDs say "error" of much they recover
 * from (net_tap without a multiq qdisc, say); what fails a port comes back
 * as the port's own error. So only critical ones are warnings.
 */
static void dpdk_log(int level, const char *line)
{
	wd_log(level <= 3 ? WD_LOG_WARN : level <= 6 ? WD_LOG_INFO : WD_LOG_DEBUG, "dpdk: %s",
	       line);
}

int wd_dpdk_start(struct warrend *wd, char *err, size_t errlen)
{
	struct wd_eal_args a;
	char line[sizeof(a.buf) + 128];
	size_t at = 0;
	int ret;

	if (wr_dpdk_ready())
		return 0;
	if (wd_dpdk_args(&wd->conf, &a)) {
		snprintf(err, errlen, "dpdk: too many EAL arguments (at most %d)",
			 WD_EAL_ARGS_MAX - 4);
		return -E2BIG;
	}
	line[0] = '\0';
	for (int i = 0; i < a.argc && at < sizeof(line); i++)
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s", i ? " " : "", a.argv[i]);
	wd_info("dpdk: starting the EAL: %s", line);
	wr_dpdk_log_to(dpdk_log);
	ret = wr_dpdk_init((const char *const *)a.argv, a.argc, WD_DPDK_MBUFS, err, errlen);
	if (ret)
		return ret;
	/* The workers make themselves lcores on their next pass (mbuf caches of their own). */
	atomic_store(&wd->dpdk_up, true);
	return 0;
}
