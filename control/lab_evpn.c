/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_evpn.c - a lab's `evpn:` up and down (docs/evpn.md, docs/labfile.md):
 * FRR's configuration written once into its pathspace folder
 * /run/frr/NETNS (kept afterwards: FRR's to edit), zebra and bgpd started
 * in the namespace with pathspace NETNS (`vtysh -N NETNS`), and for a host
 * warren-evpnd, which makes the anchors. Each runs unless its pid file
 * names a live process, so a second `up` changes nothing.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab_priv.h"

#define FRR_RUN "/run/frr"
#define START_MS 5000		/* for a daemon's pid file to appear */
#define STOP_MS 5000		/* for SIGTERM, then SIGKILL */

static const char *frr_dir(void)
{
	const char *env = getenv("WARREN_FRR_DIR");

	return env && env[0] ? env : "/usr/lib/frr";
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void path_of(char *buf, size_t size, const struct wr_lab_evpn *e, const char *file)
{
	snprintf(buf, size, "%s/%s%s%s", FRR_RUN, e->netns, file[0] ? "/" : "", file);
}

/* The pid in @file if that process lives, else 0. */
static pid_t live_pid(const char *file)
{
	FILE *f = fopen(file, "r");
	long pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || kill((pid_t)pid, 0))
		pid = 0;
	fclose(f);
	return (pid_t)pid;
}

static const char *ip4(const struct wr_cidr *c, char *buf)
{
	return inet_ntop(AF_INET, &c->addr.v4, buf, INET_ADDRSTRLEN);
}

/* frr.conf from the section, unless there is one: it is FRR's from then on. */
static int write_conf(const struct wr_lab_evpn *e)
{
	char path[PATH_MAX], a[INET_ADDRSTRLEN];
	FILE *f;
	int fd;

	path_of(path, sizeof(path), e, "frr.conf");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : wr_err_set(-errno, "evpn: %s: %s", path, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return wr_err_set(-ENOMEM, "evpn: %s: out of memory", path);
	}
	fprintf(f, "! Written by warren lab up from the lab's evpn section; yours to edit.\n");
	fprintf(f, "hostname %s\nrouter bgp %u\n bgp router-id %s\n no bgp default ipv4-unicast\n",
		e->netns, e->asn, ip4(&e->router_id, a));
	for (size_t i = 0; i < e->n_peers; i++) {
		ip4(&e->peers[i], a);
		fprintf(f, " neighbor %s remote-as %u\n neighbor %s timers 3 9\n"
			" neighbor %s timers connect 2\n", a, e->asn, a, a);
	}
	if (e->has_listen) {
		fprintf(f, " neighbor clients peer-group\n neighbor clients remote-as %u\n"
			" neighbor clients timers 3 9\n bgp listen range %s/%u peer-group clients\n",
			e->asn, ip4(&e->listen, a), e->listen.prefixlen);
	}
	fprintf(f, " address-family l2vpn evpn\n");
	for (size_t i = 0; i < e->n_peers; i++)
		fprintf(f, "  neighbor %s activate\n", ip4(&e->peers[i], a));
	if (e->has_listen)
		fprintf(f, "  neighbor clients activate\n  neighbor clients route-reflector-client\n");
	if (e->tunnel[0])
		fprintf(f, "  advertise-all-vni\n");
	fprintf(f, " exit-address-family\n");
	if (fclose(f))
		return wr_err_set(-EIO, "evpn: %s: %s", path, strerror(errno));
	return 0;
}

/* In the child: signals back to their defaults, stdio to @log, exec. */
static void child_exec(const char *path, char *const argv[], const char *log)
{
	int fd;

	wr_child_signals();
	setsid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, STDIN_FILENO);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0640);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execv(path, argv);
	dprintf(STDERR_FILENO, "exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* FRR's daemon @name in the section's namespace, unless it runs. */
static int start_frr(const struct wr_lab_evpn *e, const char *name)
{
	char exe[PATH_MAX], conf[PATH_MAX], pidf[PATH_MAX], log[PATH_MAX], logarg[PATH_MAX + 8];
	char *argv[] = { exe, "-d", "-F", "datacenter", "-N", (char *)e->netns, "-f", conf,
			 "-i", pidf, "--log", logarg, NULL };
	int status, saved = -1, err;
	pid_t pid;

	path_of(pidf, sizeof(pidf), e, name);
	strncat(pidf, ".pid", sizeof(pidf) - strlen(pidf) - 1);
	if (live_pid(pidf))
		return 0;
	snprintf(exe, sizeof(exe), "%s/%s", frr_dir(), name);
	if (access(exe, X_OK))
		return wr_err_set(-ENOENT, "evpn: %s: not found (apt-get install frr, or set WARREN_FRR_DIR)",
				  exe);
	path_of(conf, sizeof(conf), e, "frr.conf");
	path_of(log, sizeof(log), e, name);
	strncat(log, ".log", sizeof(log) - strlen(log) - 1);
	snprintf(logarg, sizeof(logarg), "file:%s", log);
	unlink(pidf);
	pid = fork();
	if (pid < 0)
		return wr_err_set(-errno, "evpn: %s: fork: %s", name, strerror(errno));
	if (!pid) {
		if (wr_netns_enter(e->netns, &saved))
			_exit(126);
		child_exec(exe, argv, log);
	}
	/* -d: the parent returns once the daemon is on its own; its pid file follows. */
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return wr_err_set(-EIO, "evpn: %s in %s did not start (see %s)", name, e->netns, log);
	for (int ms = 0; ms < START_MS; ms += 20) {
		if (live_pid(pidf))
			return 0;
		sleep_ms(20);
	}
	err = wr_err_set(-ETIMEDOUT, "evpn: %s in %s: no pid file after %d ms (see %s)", name,
			 e->netns, START_MS, log);
	return err;
}

static int start_evpnd(const struct wr_lab *lab)
{
	const struct wr_lab_evpn *e = &lab->evpn;
	char exe[PATH_MAX], pidf[PATH_MAX], log[PATH_MAX], a[INET_ADDRSTRLEN], port[8];
	char vnis[WR_LAB_EVPN_VNIS_MAX][24];
	char *argv[16 + 2 * WR_LAB_EVPN_VNIS_MAX];
	size_t k = 0;
	FILE *f;
	pid_t pid;

	path_of(pidf, sizeof(pidf), e, "warren-evpnd.pid");
	if (live_pid(pidf))
		return 0;
	path_of(log, sizeof(log), e, "warren-evpnd.log");
	wr_find_program("WARREN_EVPND", "warren-evpnd", "/usr/sbin/warren-evpnd", exe, sizeof(exe));
	snprintf(port, sizeof(port), "%u", e->anchor_port);
	argv[k++] = exe;
	argv[k++] = "-s", argv[k++] = (char *)lab->sw.name;
	argv[k++] = "-n", argv[k++] = (char *)e->netns;
	argv[k++] = "-t", argv[k++] = (char *)e->tunnel;
	argv[k++] = "--local", argv[k++] = (char *)ip4(&e->local, a);
	argv[k++] = "--anchor-port", argv[k++] = port;
	for (size_t i = 0; i < e->n_vnis; i++) {
		snprintf(vnis[i], sizeof(vnis[i]), "%u:%u", e->vni[i], e->bd[i]);
		argv[k++] = "--vni", argv[k++] = vnis[i];
	}
	argv[k] = NULL;
	pid = fork();
	if (pid < 0)
		return wr_err_set(-errno, "evpn: warren-evpnd: fork: %s", strerror(errno));
	if (!pid)
		child_exec(exe, argv, log);
	f = fopen(pidf, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f)) {
		kill(pid, SIGTERM);
		return wr_err_set(-EIO, "evpn: %s: cannot write", pidf);
	}
	/* One that cannot run (a bad argument, no binary) ends at once: say so. */
	sleep_ms(100);
	if (waitpid(pid, NULL, WNOHANG) == pid)
		return wr_err_set(-EIO, "evpn: warren-evpnd ended at once (see %s)", log);
	return 0;
}

static void stop_pid(const char *pidf)
{
	pid_t pid = live_pid(pidf);

	if (pid && !kill(pid, SIGTERM)) {
		for (int ms = 0; ms < STOP_MS && !kill(pid, 0); ms += 20) {
			waitpid(pid, NULL, WNOHANG);	/* ours when this process started it */
			sleep_ms(20);
		}
		if (!kill(pid, 0))
			kill(pid, SIGKILL);
	}
	unlink(pidf);
}

int wr_lab_evpn_up(const struct wr_lab *lab)
{
	const struct wr_lab_evpn *e = &lab->evpn;
	char dir[PATH_MAX];
	struct passwd *pw;
	int err;

	if (!e->present)
		return 0;
	path_of(dir, sizeof(dir), e, "");
	mkdir(FRR_RUN, 0755);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return wr_err_set(-errno, "evpn: %s: %s", dir, strerror(errno));
	/* FRR's daemons drop to user frr, and write their sockets there. */
	pw = getpwnam("frr");
	if (pw && chown(dir, pw->pw_uid, pw->pw_gid))
		return wr_err_set(-errno, "evpn: %s: chown frr: %s", dir, strerror(errno));
	err = write_conf(e);
	if (!err)
		err = start_frr(e, "zebra");
	if (!err)
		err = start_frr(e, "bgpd");
	if (!err && e->tunnel[0])
		err = start_evpnd(lab);
	if (err) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", wr_err_msg());
		wr_lab_evpn_down(lab);
		wr_err_set(err, "%s", msg);
	}
	return err;
}

int wr_lab_evpn_down(const struct wr_lab *lab)
{
	const struct wr_lab_evpn *e = &lab->evpn;
	static const char *const files[] = { "warren-evpnd", "bgpd", "zebra" };
	char path[PATH_MAX], status[64];
	struct dirent *de;
	DIR *d;

	if (!e->present)
		return 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(status, sizeof(status), "%s.pid", files[i]);
		path_of(path, sizeof(path), e, status);
		stop_pid(path);
	}
	if (e->tunnel[0] && !wr_switch_path(lab->sw.name, ".evpn.json", path, sizeof(path)))
		unlink(path);
	/* FRR's folder goes with the lab: configuration, logs, sockets (no subfolder). */
	path_of(path, sizeof(path), e, "");
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	if (rmdir(path) && errno != ENOENT)
		return wr_err_set(-errno, "evpn: %s: %s", path, strerror(errno));
	return 0;
}
