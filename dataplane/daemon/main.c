/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - warrend: options, one instance per name (a locked pid file),
 * the switch and its workers, and the control loop that serves the API
 * socket and ticks the switch (learning, aging, reclamation).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "warrend.h"
#include "wr_drivers.h"

static struct warrend wd;

static void usage(FILE *f)
{
	fprintf(f,
"NAME\n"
"    warrend - the Warren switch daemon\n"
"\n"
"SYNOPSIS\n"
"    warrend [--name NAME] [--cores LIST] [--daemon] [OPTIONS]\n"
"\n"
"DESCRIPTION\n"
"    Runs one switch: worker threads that move frames between its ports\n"
"    (AF_XDP sockets on veth or other devices, TAP devices, DPDK ethdevs)\n"
"    through the bridge, and a control thread that serves the API socket\n"
"    RUN_DIR/NAME.sock (JSON lines, docs/api.md) used by `warren port`,\n"
"    `warren fdb`, `warren stats` and `warren lab up`.\n"
"\n"
"    A kernel fast path forwards known unicast without waking warrend: an\n"
"    XDP or a TC (tcx) program on each port's device, whose tables warrend\n"
"    keeps in step with its own. Broadcast, unknown and new addresses, and\n"
"    everything the kernel cannot decide, go up to the workers.\n"
"\n"
"    Several instances run side by side under different names. A second\n"
"    instance of the same name is refused, and so is a port whose device\n"
"    queue another instance already serves.\n"
"\n"
"    DPDK ports (type dpdk) run on DPDK's EAL inside warrend: any ethdev a\n"
"    devargs string names (net_tap, net_af_xdp, net_memif, vhost, a NIC, a\n"
"    VF or its representor; docs/dpdk.md). They share one mbuf pool per\n"
"    NUMA node; a frame between a DPDK port and another backend's is copied,\n"
"    and counted.\n"
"\n"
"    SIGTERM or SIGINT (or the API's shutdown) detaches every XDP program\n"
"    warrend attached and closes every socket and DPDK port (the devices\n"
"    it probed go: a net_tap's TAP, a memif socket); namespaces and other\n"
"    devices are left as they were.\n"
"\n"
"OPTIONS\n"
"    -n, --name NAME       Instance name (default warren), 1-31 of [A-Za-z0-9_.-].\n"
"    -c, --cores LIST      One worker per core, pinned: \"1\", \"0,2-3\". Default: one\n"
"                          unpinned worker.\n"
"    -d, --daemon          Go to the background once the socket answers; the\n"
"                          exit status says whether start-up worked. Logs go to\n"
"                          RUN_DIR/NAME.log unless --log-file says otherwise.\n"
"    -g, --group GROUP     Members of GROUP may use the socket too (default: root only).\n"
"    -a, --age SECONDS     FDB aging time (default 300; 0 = never).\n"
"    -F, --fdb-max N       FDB entries at most (default 65536).\n"
"    -u, --umem-frames N   AF_XDP buffers of 4 KiB shared by all ports (default\n"
"                          32768, 128 MiB; each port lends the kernel 1024).\n"
"    -f, --fastpath MODE   What a port's \"fastpath auto\" means: auto (default)\n"
"                          chooses per device: tc on a veth (TCP keeps its\n"
"                          64 KB frames; XDP on a veth takes TSO from its\n"
"                          peer), xdp elsewhere (fewest cycles per frame).\n"
"                          xdp, tc or off: that mode for every device.\n"
"    -D, --dpdk 'ARGS'     Start DPDK's EAL now, with ARGS (one string, split at\n"
"                          blanks), for ports of type dpdk. Unless ARGS say\n"
"                          otherwise warrend adds -l FIRST-CORE and\n"
"                          --file-prefix=warren-NAME. Without --dpdk the EAL\n"
"                          starts at the first dpdk port with\n"
"                          '--no-huge -m 512 --no-shconf --no-pci --no-telemetry':\n"
"                          virtual devices only. NICs and VFs need hugepages and\n"
"                          -a PCI-ADDRESS (docs/dpdk.md).\n"
"    -b, --busy-poll       Workers never sleep; AF_XDP sockets ask for busy polling\n"
"                          (SO_PREFER_BUSY_POLL). Default: sleep in poll() when idle\n"
"                          (at most 1 ms for a worker with a DPDK port).\n"
"    -l, --log-level LEVEL error, warn, info (default) or debug.\n"
"    -L, --log-file FILE   Log there instead of stderr.\n"
"    -r, --run-dir DIR     Where the socket, pid and log files live (default /run/warren).\n"
"    -I, --client-idle SECONDS\n"
"                          An API client that sends nothing, or takes no reply,\n"
"                          for SECONDS is disconnected (default 60; 0 = never).\n"
"    -M, --metrics [ADDR:]PORT\n"
"                          Serve GET /metrics over HTTP at ADDR:PORT: every counter\n"
"                          of `warren stats` in Prometheus' text format\n"
"                          (docs/metrics.md). ADDR is an IPv4 address or [IPv6];\n"
"                          PORT or :PORT alone means 127.0.0.1. Off by default.\n"
"                          Anyone who reaches ADDR may read the counters: keep it\n"
"                          on loopback or a management network.\n"
"    -h, --help            This text.  -V, --version  The version.\n"
"\n"
"FILES\n"
"    RUN_DIR/NAME.sock  the API socket (mode 0660, root and --group)\n"
"    RUN_DIR/NAME.pid   the instance lock and its pid\n"
"    RUN_DIR/NAME.log   the log with --daemon; removed at a clean stop unless\n"
"                       something was logged at level warn or error\n"
"    The pid and log files are refused if they are symbolic links, hard links\n"
"    or not regular files.\n"
"\n"
"LIMITS\n"
"    warrend raises its soft limit of open files to the hard one at start\n"
"    (each port takes a few descriptors; 1024 end at about 70 fast-path ports).\n"
"\n"
"EXAMPLES\n"
"    warrend --name lab1 --cores 1 --daemon\n"
"    warrend --name lab1 --metrics 9100    # then: curl http://127.0.0.1:9100/metrics\n"
"    warrend --name nic --cores 1 --dpdk '-a 0000:03:00.0 --socket-mem 512'\n"
"    warren -S lab1 port add p1 netns sw dev p1\n");
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "warrend: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nwarrend: see 'warrend --help'\n");
	return 2;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* "0,2-3" → cores[]; every core must exist. */
static int parse_cores(const char *s, struct wd_conf *c)
{
	long n_cpu = sysconf(_SC_NPROCESSORS_CONF);
	char *copy = strdup(s), *save = NULL, *tok;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	c->n_cores = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint32_t lo, hi;

		if (dash)
			*dash = '\0';
		if (parse_u32(tok, 1023, &lo) || parse_u32(dash ? dash + 1 : tok, 1023, &hi) ||
		    hi < lo || hi >= (uint32_t)n_cpu) {
			err = -EINVAL;
			break;
		}
		for (uint32_t i = lo; i <= hi; i++) {
			for (uint16_t k = 0; k < c->n_cores; k++)
				if (c->cores[k] == (int)i)
					err = -EINVAL;
			if (c->n_cores == WR_WORKER_MAX)
				err = -EINVAL;
			if (err)
				break;
			c->cores[c->n_cores++] = (int)i;
		}
	}
	free(copy);
	return err || c->n_cores == 0 ? -EINVAL : 0;
}

/* libbpf and libxdp speak through our log: their warnings are ours, their chatter debug. */
static int lib_print(enum wd_log_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	/* libbpf notes sections of libxdp's programs it does not know: noise. */
	if (strstr(line, "skipping unrecognized data section"))
		level = WD_LOG_DEBUG;
	wd_log(level, "%s", line);
	return 0;
}

static int bpf_print(enum libbpf_print_level l, const char *fmt, va_list ap)
{
	return lib_print(l == LIBBPF_WARN ? WD_LOG_INFO : WD_LOG_DEBUG, fmt, ap);
}

static int xdp_print(enum libxdp_print_level l, const char *fmt, va_list ap)
{
	return lib_print(l == LIBXDP_WARN ? WD_LOG_INFO : WD_LOG_DEBUG, fmt, ap);
}

/*
 * libxdp keeps several XDP programs on one device (its dispatcher) only
 * with a BPF filesystem to pin them in; without one it attaches a single
 * program and another tool's would be refused or replaced. Mount it where
 * every tool looks, as systemd does at boot.
 */
static void ensure_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0)
		wd_warn("no BPF filesystem at /sys/fs/bpf and cannot mount one (%s): "
			"XDP programs will not share devices with other tools", strerror(errno));
	else
		wd_info("mounted a BPF filesystem on /sys/fs/bpf, for libxdp's dispatcher");
}

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&wd.stop, true);
}

/* The instance lock: RUN_DIR/NAME.pid, flock()ed for the daemon's life. */
static int lock_instance(const char *path, int *fd_out)
{
	char buf[32] = "", err[256];
	int fd = wd_file_open(path, O_RDWR, 0644, err, sizeof(err));

	if (fd < 0) {
		fprintf(stderr, "warrend: pid file %s\n", err);
		return fd;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fprintf(stderr, "warrend: instance '%s' already runs (pid %s); stop it first "
			"or choose another --name\n", wd.conf.name, buf[0] ? buf : "?");
		close(fd);
		return -EEXIST;
	}
	*fd_out = fd;
	return 0;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		wd_warn("cannot write the pid file: %s", strerror(errno));
}

/*
 * --daemon: the parent waits on a pipe until the child says the socket
 * answers (one byte) or dies (EOF), so `warrend --daemon && warren ...`
 * never races the socket.
 */
static int daemonize(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	*ready_fd = p[1];
	return 0;
}

static void daemon_ready(int ready_fd, const char *log_file)
{
	char err[256];
	int null = open("/dev/null", O_RDWR);
	int log = wd_file_open(log_file, O_WRONLY | O_APPEND, 0640, err, sizeof(err));

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	if (log < 0)
		wd_warn("log file %s: stderr goes nowhere", err);
	/* Whatever still writes to stderr (libxdp, libbpf) lands in the log. */
	if (log >= 0) {
		dup2(log, STDERR_FILENO);
		close(log);
	}
	if (write(ready_fd, "1", 1) < 0)
		wd_warn("cannot tell the parent we are ready: %s", strerror(errno));
	close(ready_fd);
}

static int setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGHUP, &sa, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * Each port holds a few descriptors (socket, eventfd, BPF links, a TAP):
 * the usual soft limit of 1024 ends at about 70 fast-path ports. warrend
 * uses poll(), never select(), so it may take what the hard limit allows.
 */
static void raise_nofile(rlim_t *was, rlim_t *now)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	*was = *now = rl.rlim_cur;
	if (rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		wd_warn("open files: cannot raise the limit from %llu to %llu: %s",
			(unsigned long long)*was, (unsigned long long)rl.rlim_max, strerror(errno));
	else
		*now = rl.rlim_max;
}

/* Learning wants frequent ticks; an idle switch wakes ten times a second. */
static int tick_timeout(struct warrend *d, uint64_t *last_rx)
{
	uint64_t rx = 0;

	for (uint16_t i = 0; i < d->n_workers; i++)
		rx += atomic_load_explicit(&d->workers[i].rx_pkts, memory_order_relaxed);
	if (rx != *last_rx) {
		*last_rx = rx;
		return 1;
	}
	return 100;
}

/*
 * The kernel fast path, its FDB and tunnels kept by the switch's mirror
 * hooks from now on. Without it warrend still switches, every frame in
 * userspace.
 */
static void fastpath_open(struct warrend *d)
{
	struct wr_tunnel_mirror tm;
	struct wr_steer_mirror sm;
	struct wr_chain_mirror cm;
	struct wr_fdb_mirror m;
	char err[256];

	d->fp = wd_fastpath_open(d->conf.fdb_max, err, sizeof(err));
	if (!d->fp) {
		wd_warn("%s: every port's fast path is off", err);
		return;
	}
	wd_fastpath_mirror(d->fp, &m);
	wr_switch_set_mirror(d->sw, &m);
	wd_fastpath_tunnel_mirror(d->fp, &tm);
	wr_switch_set_tunnel_mirror(d->sw, &tm);
	wd_fastpath_steer_mirror(d->fp, &sm);
	wr_switch_set_steer_mirror(d->sw, &sm);
	wd_fastpath_chain_mirror(d->fp, d->sw, &cm);
	wr_switch_set_chain_mirror(d->sw, &cm);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "cores", required_argument, NULL, 'c' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "group", required_argument, NULL, 'g' },
		{ "age", required_argument, NULL, 'a' },
		{ "fdb-max", required_argument, NULL, 'F' },
		{ "umem-frames", required_argument, NULL, 'u' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "fastpath", required_argument, NULL, 'f' },
		{ "dpdk", required_argument, NULL, 'D' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "client-idle", required_argument, NULL, 'I' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum wd_log_level level = WD_LOG_INFO;
	const char *log_file = NULL;
	struct wr_switch_conf sc;
	rlim_t nofile[2] = { 0, 0 };	/* the soft limit of open files as found, and as raised */
	char pid_path[160], log_path[160], msg[256];
	int opt, lock_fd = -1, ready_fd = -1, ret = 1;
	bool daemon = false;
	uint32_t ports_s = 0;
	uint64_t last_rx = 0;

	strcpy(wd.conf.name, "warren");
	strcpy(wd.conf.run_dir, "/run/warren");
	wd.conf.gid = -1;
	wd.ctl_wake_fd = -1;
	wd.conf.age_s = 300;
	wd.conf.fdb_max = 65536;
	wd.conf.umem_frames = 32768;
	wd.conf.fastpath = WR_FASTPATH_AUTO;
	wd.conf.cores[0] = -1;
	wd.conf.n_cores = 1;
	wd.conf.client_idle_s = 60;

	while ((opt = getopt_long(argc, argv, "n:c:dg:a:F:u:bf:D:l:L:r:I:M:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (wr_name_check(WR_NAME_SWITCH, optarg, 0, msg, sizeof(msg)))
				return bad("--name: %s", msg);
			snprintf(wd.conf.name, sizeof(wd.conf.name), "%s", optarg);
			break;
		case 'c':
			if (parse_cores(optarg, &wd.conf))
				return bad("--cores '%s': a list of existing cores such as 1 or 0,2-3, "
					   "each once", optarg);
			break;
		case 'd': daemon = true; break;
		case 'g': {
			struct group *g = getgrnam(optarg);

			if (!g)
				return bad("--group '%s': no such group", optarg);
			wd.conf.gid = (long)g->gr_gid;
			break;
		}
		case 'a':
			if (parse_u32(optarg, 86400 * 365, &wd.conf.age_s))
				return bad("--age '%s': seconds, 0 to 31536000", optarg);
			break;
		case 'F':
			if (parse_u32(optarg, 1u << 24, &wd.conf.fdb_max) || wd.conf.fdb_max == 0)
				return bad("--fdb-max '%s': 1 to 16777216", optarg);
			break;
		case 'u':
			if (parse_u32(optarg, 1u << 20, &wd.conf.umem_frames) ||
			    wd.conf.umem_frames < 4096)
				return bad("--umem-frames '%s': 4096 to 1048576", optarg);
			break;
		case 'b': wd.conf.busy_poll = true; break;
		case 'f': {
			int m = wr_enum_parse(wr_fastpath_names, WR_FASTPATH_COUNT, optarg);

			if (m < 0)
				return bad("--fastpath '%s': off, xdp, tc or auto", optarg);
			wd.conf.fastpath = (enum wr_fastpath)m;
			break;
		}
		case 'D':
			if (strlen(optarg) >= sizeof(wd.conf.dpdk_args))
				return bad("--dpdk '%s': at most 1023 characters", optarg);
			snprintf(wd.conf.dpdk_args, sizeof(wd.conf.dpdk_args), "%s", optarg);
			wd.conf.dpdk = true;
			break;
		case 'l':
			if (wd_log_level_parse(optarg, &level))
				return bad("--log-level '%s': error, warn, info or debug", optarg);
			break;
		case 'L': log_file = optarg; break;
		case 'r':
			if (strlen(optarg) >= sizeof(wd.conf.run_dir) - WD_NAME_MAX - 8 || optarg[0] != '/')
				return bad("--run-dir '%s': an absolute path of at most 60 characters",
					   optarg);
			snprintf(wd.conf.run_dir, sizeof(wd.conf.run_dir), "%s", optarg);
			break;
		case 'I':
			if (parse_u32(optarg, 86400, &wd.conf.client_idle_s))
				return bad("--client-idle '%s': seconds, 0 to 86400", optarg);
			break;
		case 'M': {
			struct sockaddr_storage sa;
			socklen_t len;

			if (strlen(optarg) >= sizeof(wd.conf.metrics) ||
			    wd_metrics_addr(optarg, &sa, &len, msg, sizeof(msg)))
				return bad("%s", strlen(optarg) >= sizeof(wd.conf.metrics) ?
					   "--metrics: at most 63 characters" : msg);
			snprintf(wd.conf.metrics, sizeof(wd.conf.metrics), "%s", optarg);
			break;
		}
		case 'h': usage(stdout); return 0;
		case 'V': printf("warrend %s\n", WR_VERSION); return 0;
		default: return bad("%s", "unknown option");
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	/* A daemon keeps no descriptor of its caller's (a test harness's pipe would wait on it). */
	if (daemon)
		closefrom(STDERR_FILENO + 1);
	if (geteuid() != 0) {
		fprintf(stderr, "warrend: must run as root (AF_XDP sockets, XDP programs, namespaces)\n");
		return 1;
	}
	if (mkdir(wd.conf.run_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "warrend: %s: %s\n", wd.conf.run_dir, strerror(errno));
		return 1;
	}
	snprintf(pid_path, sizeof(pid_path), "%s/%s.pid", wd.conf.run_dir, wd.conf.name);
	snprintf(log_path, sizeof(log_path), "%s/%s.log", wd.conf.run_dir, wd.conf.name);
	if (daemon && !log_file)
		log_file = log_path;
	if (lock_instance(pid_path, &lock_fd))
		return 1;
	/* Refused now, not found out once the caller is gone (--daemon). */
	if (log_file) {
		char err[256];
		int fd = wd_file_open(log_file, O_WRONLY | O_APPEND, 0640, err, sizeof(err));

		if (fd < 0) {
			fprintf(stderr, "warrend: log file %s\n", err);
			goto out_lock;
		}
		close(fd);
	}
	if (daemon && daemonize(&ready_fd)) {
		fprintf(stderr, "warrend: fork: %s\n", strerror(errno));
		goto out_lock;
	}
	/* Before ready, errors go to the caller's terminal as well as the log. */
	wd_log_open(daemon ? WD_LOG_WARN : level, daemon ? NULL : log_file);
	write_pid(lock_fd);
	raise_nofile(&nofile[0], &nofile[1]);
	wd.started_ns = wd_now_ns();
	libbpf_set_print(bpf_print);
	libxdp_set_print(xdp_print);
	ensure_bpffs();
	if (setup_signals())
		goto out_lock;

	wr_switch_conf_init(&sc);
	sc.age_s = wd.conf.age_s;
	sc.fdb_max = wd.conf.fdb_max;
	sc.n_workers = wd.conf.n_cores;
	wd.sw = wr_switch_create(&sc);
	if (!wd.sw) {
		wd_err("cannot create the switch: %s", strerror(errno));
		goto out_lock;
	}
	wd.ctl_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (wd.ctl_wake_fd < 0) {
		wd_err("eventfd: %s", strerror(errno));
		goto out_switch;
	}
	fastpath_open(&wd);
	if (wd.conf.dpdk) {
		char err[256];

		if (wd_dpdk_start(&wd, err, sizeof(err))) {
			wd_err("%s", err);
			goto out_switch;
		}
	}
	if (wd_workers_start(&wd))
		goto out_switch;
	if (wd_server_open(&wd))
		goto out_workers;
	if (wd_metrics_open(&wd)) {
		wd_server_close(&wd);
		goto out_workers;
	}
	wd_info("warrend %s '%s' ready: %s, %u worker(s)", WR_VERSION, wd.conf.name,
		wd.sock_path, wd.n_workers);
	if (daemon) {
		wd_log_open(level, log_file);
		daemon_ready(ready_fd, log_file);
	}
	if (nofile[1] != nofile[0])
		wd_info("open files: soft limit raised from %llu to the hard limit, %llu",
			(unsigned long long)nofile[0], (unsigned long long)nofile[1]);

	while (!atomic_load(&wd.stop)) {
		/* Not past the next health probe's moment (probe.c). */
		int timeout = wd_probes_timeout_ms(&wd, wd_now_ns(), tick_timeout(&wd, &last_rx));
		uint32_t now_s;

		if (timeout > 1) {
			/* Going to sleep: say so, then apply what came before (workers.c). */
			atomic_store(&wd.ctl_asleep, true);
			wr_switch_tick(wd.sw, wd_now_s());
		}
		wd_server_poll(&wd, timeout);
		atomic_store(&wd.ctl_asleep, false);
		now_s = wd_now_s();
		wr_switch_tick(wd.sw, now_s);
		wd_probes_tick(&wd, wd_now_ns());
		wd_tunnels_react(&wd);
		if (now_s != ports_s) {
			wd_ports_tick(&wd);
			wd_tunnels_tick(&wd, now_s);
			wd_trace_tick(&wd);
			ports_s = now_s;
		}
	}
	wd_info("stopping");
	ret = 0;
	wd_metrics_close(&wd);
	wd_server_close(&wd);
out_workers:
	/*
	 * Ports first (chains and tunnels before the ports they hold): sockets
	 * and XDP programs go while workers park.
	 */
	wd_taps_close_all(&wd);
	wd_chains_close_all(&wd);
	wd_tunnels_close_all(&wd);
	wd_ports_close_all(&wd);
	wd_workers_stop(&wd);
out_switch:
	wr_switch_set_mirror(wd.sw, NULL);
	wr_switch_set_tunnel_mirror(wd.sw, NULL);
	wr_switch_set_steer_mirror(wd.sw, NULL);
	wr_switch_set_chain_mirror(wd.sw, NULL);
	wd_fastpath_close(wd.fp);
	if (wd.ctl_wake_fd >= 0)
		close(wd.ctl_wake_fd);
	wr_switch_destroy(wd.sw);
	wd_umem_release(&wd);
	/* After every port: the pools go, then the EAL. */
	wr_dpdk_fini();
out_lock:
	unlink(pid_path);
	close(lock_fd);
	if (ret == 0)
		wd_info("stopped");
	/* A clean run leaves nothing behind; a troubled one leaves its log to read. */
	if (ret == 0 && daemon && log_file == log_path && !wd_log_troubled())
		unlink(log_path);
	return ret;
}
