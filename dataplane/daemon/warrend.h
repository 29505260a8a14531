/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * warrend.h - the daemon's own state: one switch, its workers (one thread
 * per core), the ports by name, the API socket. Everything here but the
 * worker threads' loops runs on the control thread (main).
 */
#ifndef WARREND_H
#define WARREND_H

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "wr_bpf.h"
#include "wr_control.h"
#include "wr_dataplane.h"

/* Buffers of wr_api.h's names, with the NUL. */
#define WD_NAME_MAX	(WR_SWITCH_NAME_MAX + 1)
#define WD_NETNS_MAX	(WR_NETNS_NAME_MAX + 1)
#define WD_PORT_NAME_MAX (WR_PORT_NAME_MAX + 1)
#define WD_DEVARGS_MAX	(WR_DEVARGS_MAX + 1)
#define WD_DPDK_ARGS_MAX (WR_DPDK_ARGS_MAX + 1)
#define WD_CLIENT_MAX	64
#define WD_LINE_MAX	(64 * 1024)
#define WD_EAL_ARGS_MAX	56	/* the user's and warrend's; the driver takes 60 */
#define WD_DPDK_MBUFS	32767	/* per NUMA node: 1024 per port's receive ring, as many in flight */

/* ---------------------------------------------------------------- logging */

enum wd_log_level { WD_LOG_ERR, WD_LOG_WARN, WD_LOG_INFO, WD_LOG_DEBUG };

void wd_log_open(enum wd_log_level level, const char *file);
/**
 * Open (or create, with @mode) warrend's own file @path, @flags besides
 * O_CREAT: a symbolic link, anything but a regular file, or a file with
 * other names is refused, so that a link planted in the run directory
 * cannot turn root's writes elsewhere. A descriptor, or -errno and @err.
 */
int wd_file_open(const char *path, int flags, mode_t mode, char *err, size_t errlen);
/** Whether anything at level warn or worse was logged. */
bool wd_log_troubled(void);
void wd_log(enum wd_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wd_log_level_parse(const char *text, enum wd_log_level *out);

#define wd_err(...)   wd_log(WD_LOG_ERR, __VA_ARGS__)
#define wd_warn(...)  wd_log(WD_LOG_WARN, __VA_ARGS__)
#define wd_info(...)  wd_log(WD_LOG_INFO, __VA_ARGS__)
#define wd_debug(...) wd_log(WD_LOG_DEBUG, __VA_ARGS__)

/* ------------------------------------------------------------------ ports */

/*
 * A tunnel's underlay on an afxdp port (wd_port_underlay): the XDP program
 * sends UDP to ip:dport up to warrend and every other frame to the device's
 * stack (WR_BPF_PORT_F_UNDERLAY).
 */
struct wd_underlay {
	bool on;
	bool ipv6;
	uint8_t ip[16];			/* as on the wire; IPv4 in the first 4, the rest zero */
	uint16_t dport;			/* host order */
	enum wr_tunnel_type type;	/* the tunnel's: the XDP program decapsulates it */
};

struct wd_port {
	bool used;
	char name[WD_PORT_NAME_MAX];
	enum wr_port_type type;
	char netns[WD_NETNS_MAX];	/* "" = warrend's own namespace */
	char dev[WD_PORT_NAME_MAX];
	char devargs[WD_DEVARGS_MAX];	/* dpdk: what the EAL probes */
	uint32_t queue;
	int zerocopy;			/* -1 auto, 0 off, 1 on (asked) */
	bool own_umem;			/* umem own (asked) */
	enum wr_fastpath fastpath;	/* asked (auto by default) */
	enum wr_fastpath fp_mode;	/* in effect: never auto */
	const char *fp_why;		/* why fp_mode, for port.list */
	char fp_tap[WD_PORT_NAME_MAX];	/* TC: warrend's TAP for the port, in its namespace */
	uint16_t fp_max_len;		/* max_len the kernel was last told */
	struct wd_underlay underlay;	/* a tunnel's: the port is no switch port in the kernel */
	struct wr_endpoint_report peer;	/* the device's veth peer, as warrend prepared it */
	struct wr_port_conf conf;
	bool admin_up;
	uint16_t index;			/* in the switch */
	uint16_t worker;
	struct wr_port *port;
};

/* ---------------------------------------------------------------- tunnels */

/* A remote VTEP of a tunnel, and the way to it. */
struct wd_vtep {
	bool used;
	uint8_t ip[16];
	bool flood;			/* on the tunnel's flood list */
	bool learned;			/* made by a frame from it (learn_vteps), not asked for */
	uint64_t rx_seen;		/* learned: its frames in userspace at the last look */
	uint32_t idle_s;		/* learned: since when no frame and no MAC (0: busy) */
	uint16_t port;			/* the switch's port of it */
	struct wr_nexthop nh;		/* as last looked up */
	bool resolved;			/* its frames leave: the switch has its headers */
	char why[160];			/* what is missing while not resolved */
	uint32_t next_s;		/* when to look again */
};

struct wd_tunnel {
	bool used;
	char name[WD_PORT_NAME_MAX];
	int id;				/* the switch's */
	struct wr_tunnel_conf conf;
	char underlay[WD_PORT_NAME_MAX];
	int ifindex;			/* the underlay device's, in its namespace */
	int watch_fd;			/* its namespace's changes (wr_route_watch_open); -1: none */
	bool changed;			/* something changed there: look again */
	uint64_t looked_ns;		/* when its VTEPs were last looked at for a change */
	uint8_t src_mac[6];		/* its MAC: the outer source */
	uint16_t n_vnis;
	struct {
		uint32_t vni;
		uint16_t bd;
	} vnis[WR_BD_LAST];
	struct wd_vtep vteps[WR_VTEP_MAX];
};

/* ------------------------------------------------------------------ trace */

/* The armed trace (api_trace.c): one at a time, as the switch has. */
struct wd_trace {
	bool on;
	bool synthetic;
	uint16_t port;			/* the switch's index */
	char port_name[WD_PORT_NAME_MAX];
	uint16_t count;
	uint64_t deadline_ns;		/* wd_now_ns() past which it stops by itself */
	/* What the last trace recorded, kept once it is disarmed (by its deadline, say). */
	uint16_t n_kept;
	uint64_t overflow;
	struct wr_trace_rec kept[WR_TRACE_MAX];
};

/* ---------------------------------------------------------------- workers */

struct wd_worker {
	struct warrend *wd;
	struct wr_worker *w;
	uint16_t id;
	int core;			/* -1: not pinned */
	pthread_t thread;
	int wake_fd;			/* eventfd: ports changed, or stop */
	pthread_mutex_t lock;		/* guards fds; taken only to go to sleep */
	int fds[WR_PORT_MAX];
	uint16_t n_fds;
	uint16_t n_ports;
	/* Written by the worker, read by the control thread. */
	_Atomic uint64_t polls;
	_Atomic uint64_t rx_pkts;
	_Atomic uint64_t sleeps;
	_Atomic bool sleeping;
	_Atomic bool nap;		/* a port has no descriptor to sleep on: short sleeps */
};

/* ---------------------------------------------------------------- probes */

/* A hop's health probe as chain.add named it (docs/chains.md). */
struct wd_probe_conf {
	enum wr_probe_kind kind;
	bool ipv6;
	uint8_t ip[16];			/* the target; IPv4 in the first 4 */
	uint16_t port;			/* tcp: the port it connects to */
	char netns[WD_NETNS_MAX];	/* where it is sent from */
	uint32_t interval_ms, timeout_ms;	/* timeout_ms <= interval_ms */
	uint32_t fails, passes;
};

/* A hop's probe and what it found (probe.c), by chain id and hop. */
struct wd_probe {
	bool on;
	struct wd_probe_conf conf;
	bool passing;			/* what the switch was told (wr_chain_hop_probe) */
	uint32_t fails_in_row, passes_in_row;
	int fd;				/* the probe under way; -1: none */
	uint16_t seq;
	uint64_t sent_ns;		/* when the one under way went */
	uint64_t next_ns;		/* when the next goes */
	uint64_t sent, failed;		/* since the chain came */
	char error[160];		/* the last failure's cause; "": none yet */
	int64_t error_s;		/* its CLOCK_REALTIME second */
};

#define WD_PROBE_MAX	(WR_CHAIN_MAX * WR_CHAIN_HOPS_MAX)

/* ------------------------------------------------------------- the daemon */

struct wd_conf {
	char name[WD_NAME_MAX];
	char run_dir[108];
	int cores[WR_WORKER_MAX];
	uint16_t n_cores;
	long gid;			/* may connect besides root; -1 none */
	bool busy_poll;
	uint32_t age_s;
	uint32_t fdb_max;
	uint32_t umem_frames;
	enum wr_fastpath fastpath;	/* what a port's auto means (--fastpath) */
	char dpdk_args[WD_DPDK_ARGS_MAX];	/* --dpdk; "": the defaults */
	bool dpdk;			/* --dpdk given: the EAL starts with warrend */
	uint32_t client_idle_s;		/* --client-idle: an API client silent this long goes; 0 never */
	char metrics[64];		/* --metrics ADDR:PORT as given; "": no HTTP endpoint */
};

/* The EAL's argument vector, and the words warrend adds. */
struct wd_eal_args {
	char buf[WD_DPDK_ARGS_MAX];
	char lcore[16];
	char prefix[64];
	char *argv[WD_EAL_ARGS_MAX];
	int argc;
};

struct wd_client {
	int fd;
	uint32_t len;
	char *buf;			/* WD_LINE_MAX */
	/* Reply bytes the socket did not take yet; no request is read meanwhile. */
	char *out;
	size_t out_len, out_off;
	uint64_t last_ns;		/* a request byte came or a reply byte went */
	bool ready;			/* a whole request waits in buf (its pass's budget ran out) */
};

/* What the API server refused or cut since start (switch.show's "api", docs/api.md). */
struct wd_server_stats {
	uint64_t accepted;
	uint64_t refused_perm;		/* neither root nor --group */
	uint64_t refused_full;		/* WD_CLIENT_MAX clients connected */
	uint64_t refused_no_fd;		/* accept: EMFILE or ENFILE */
	uint64_t cut_idle;		/* silent for --client-idle */
	uint64_t cut_stalled;		/* took no reply byte for --client-idle */
	uint64_t cut_long_line;		/* a request line over WD_LINE_MAX */
	uint64_t cut_reply_max;		/* a reply over what a client may have queued */
	uint64_t deferred;		/* passes that left a client's requests to the next */
};

struct wd_server {
	int spare_fd;			/* given back to accept (and close) when out of descriptors */
	uint64_t listen_resume_ns;	/* the listener is not polled before (no descriptor to take) */
	bool no_fd_told;		/* running out of descriptors was logged (once a spell) */
	uint16_t next;			/* the client served first in the next pass (round robin) */
	struct wd_server_stats st;
};

/* ---------------------------------------------------------------- metrics */

#define WD_METRICS_CLIENTS	8		/* connections served at once; more are closed */
#define WD_METRICS_REQ_MAX	4096		/* a request's head, at most */
#define WD_METRICS_DEADLINE_NS	(5 * 1000000000ull)	/* a connection's whole life, at most */

struct wd_metrics_client {
	bool used;
	int fd;
	uint16_t len;
	bool draining;			/* answered and shut down: what comes is read and dropped */
	uint64_t deadline_ns;
	char *out;			/* the answer; out_off bytes of it sent */
	size_t out_len, out_off;
	char req[WD_METRICS_REQ_MAX];
};

/* What the endpoint answered and cut since start (its own families in /metrics). */
struct wd_metrics_stats {
	uint64_t ok, not_found, bad_method, bad_request, too_long;
	uint64_t cut_deadline;		/* not done within WD_METRICS_DEADLINE_NS */
	uint64_t refused_full;		/* WD_METRICS_CLIENTS were connected */
};

struct wd_metrics {
	bool open;
	int fd;				/* the listening socket, with open */
	char where[80];			/* ADDR:PORT, for messages */
	struct wd_metrics_client c[WD_METRICS_CLIENTS];
	struct wd_metrics_stats st;
};

/* A capture streamed to the client that started it (capture.c; docs/capture.md). */
struct wd_capture {
	bool used;
	int fd;				/* the client's connection; -1 until the reply is handed over */
	int id;				/* the switch's capture */
	uint16_t port;
	char port_name[WR_PORT_NAME_MAX + 1];
	uint64_t limit, sent;		/* frames: at most (0: no bound), and sent so far */
	uint64_t dropped;		/* the switch's count, read when the capture ends */
	bool ending, end_queued;
	const char *why;		/* why it ends */
	uint64_t last_ns;		/* a byte went to the client */
	char *buf;			/* WD_CAPTURE_BUF: bytes for the client, off of len sent */
	size_t len, off;
};

#define WD_CAPTURE_BUF	(1u << 20)

struct warrend {
	struct wd_conf conf;
	struct wr_switch *sw;
	struct wd_worker workers[WR_WORKER_MAX];
	uint16_t n_workers;
	struct wd_port ports[WR_PORT_MAX];
	struct wd_tunnel tunnels[WR_TUNNEL_MAX];
	struct wd_probe probes[WD_PROBE_MAX];	/* chain id * WR_CHAIN_HOPS_MAX + hop */
	/*
	 * Each steering rule's port by name ("": no rule with that id): the
	 * switch forgets a deleted port, warrend points the rule at the next
	 * port of that name (api_steer.c).
	 */
	char steer_port[WR_STEER_MAX][WR_PORT_NAME_MAX + 1];
	void *umem;			/* struct wr_afxdp_umem, made at the first afxdp port */
	struct wd_fastpath *fp;		/* the kernel fast path; NULL: did not load, or tests */
	struct wd_trace trace;		/* api_trace.c */
	_Atomic bool dpdk_up;		/* the EAL runs: workers become lcores */
	/*
	 * The control thread sleeps up to 100 ms when no frames flow; a worker
	 * that receives one wakes it, so that what it learned (a move, say)
	 * reaches the FDB, and the kernel's copy, within a millisecond.
	 */
	int ctl_wake_fd;		/* eventfd; -1 in tests */
	_Atomic bool ctl_asleep;
	int listen_fd;
	struct wd_client clients[WD_CLIENT_MAX];
	struct wd_server srv;
	struct wd_metrics metrics;	/* --metrics: Prometheus over HTTP, served with the API */
	struct wd_capture caps[WR_CAPTURE_MAX];
	int cap_claim;			/* a capture.start just answered: its slot + 1, for server.c; 0 */
	_Atomic bool stop;
	uint64_t started_ns;
	char sock_path[192];
};

/** Monotonic clock. */
uint64_t wd_now_ns(void);
static inline uint32_t wd_now_s(void)
{
	return (uint32_t)(wd_now_ns() / 1000000000u);
}

/* workers.c */
int wd_workers_start(struct warrend *wd);
void wd_workers_stop(struct warrend *wd);
/** The worker for a new port (the one with fewest ports). */
uint16_t wd_worker_pick(const struct warrend *wd);
/** Wake every worker for a pass (frames kept for a VTEP whose next hop just came). */
void wd_workers_wake(struct warrend *wd);
/** A trace past its deadline, or whose port went, stops (api_trace.c). [control, once a second] */
void wd_trace_tick(struct warrend *wd);
/** The armed trace, if any, disarmed (its records dropped). [control] */
void wd_trace_stop(struct warrend *wd);
/** Tell worker @id its ports changed (it re-reads its poll set). */
void wd_worker_ports_changed(struct warrend *wd, uint16_t id);

/*
 * port_open.c: @req's backend on its device, the device prepared first
 * (req->peer); NULL with errno and a sentence in @err. The API's tests link
 * their own (ring ports).
 */
struct wr_port *wd_port_open(struct warrend *wd, struct wd_port *req, uint16_t worker,
			     char *err, size_t errlen);
int wd_port_add(struct warrend *wd, struct wd_port *req, char *err, size_t errlen);
int wd_port_del(struct warrend *wd, struct wd_port *p);
struct wd_port *wd_port_find(struct warrend *wd, const char *name);
struct wd_port *wd_port_by_index(struct warrend *wd, uint16_t index);
void wd_ports_close_all(struct warrend *wd);
/** Steering rules to a port named as @p point at @p (it was added). */
void wd_steer_port_back(struct warrend *wd, const struct wd_port *p);
/** How many steering rules name port @name. */
int wd_steer_rules_to(const struct warrend *wd, const char *name);
/** Every chain goes (warrend stops): their ports may then go too. */
void wd_chains_close_all(struct warrend *wd);

/* capture.c: mirrors' names and captures' streams [control] */
/** The first mirror from or to @p, as "mirror 0 (p1 to p3)" into @buf; NULL when none. */
const char *wd_mirror_of_port(struct warrend *wd, const struct wd_port *p, char *buf, size_t size);
/** Hand the connection @fd of the client whose capture.start was answered with @reply (ours) over. */
void wd_capture_adopt(struct warrend *wd, int fd, char *reply);
/** The captures' descriptors for poll(), into @pfd; how many. */
int wd_captures_pollfds(struct warrend *wd, struct pollfd *pfd);
/** What poll() said of them; then every capture's frames moved towards its client. */
void wd_captures_events(struct warrend *wd, const struct pollfd *pfd, int n);
/** Whether a capture runs (the control thread then polls often: its rings are bounded). */
bool wd_captures_active(const struct warrend *wd);
/** End the captures of port @index (it is being deleted), telling their clients. */
void wd_captures_port_gone(struct warrend *wd, uint16_t index);
/** Every mirror and capture removed (warrend stops). */
void wd_taps_close_all(struct warrend *wd);
/** The name of the chain that names @p (a hop port, or its classifier's in_port), or NULL. */
const char *wd_chain_of_port(struct warrend *wd, const struct wd_port *p);
/** wr_chain_get(), with the kernel fast path's counters added: 0 or -ENOENT. */
int wd_chain_get(struct warrend *wd, int id, struct wr_chain_info *info);
/** After the switch is gone (every port closed): the AF_XDP buffers. */
void wd_umem_release(struct warrend *wd);
#define WD_XSTATS_MAX 32

/*
 * counters.c: the one reader of each counter. stats, port.stats,
 * tunnel.list and steer.list (api*.c) and /metrics (metrics_text.c) all
 * take their numbers from these snapshots, never from the switch or the
 * kernel's maps themselves. [control]
 */

/* A port's counters as port.stats names them (struct wr_port_stats): the key, what it counts. */
#define WD_PORT_COUNTERS(X)							\
	X(rx_pkts,  "frames received on the port")				\
	X(rx_bytes, "bytes received on the port")				\
	X(tx_pkts,  "frames sent out of the port")				\
	X(tx_bytes, "bytes sent out of the port")				\
	X(drops,    "frames that arrived on the port and were dropped")

/* The kernel fast path's own counters of a port (struct wr_bpf_port_stats, bpf/wr_bpf.h). */
#define WD_KERNEL_PORT_COUNTERS(X)						\
	X(rx_pkts,     "frames that reached the port's XDP or TC program")	\
	X(rx_bytes,    "bytes that reached the port's XDP or TC program")	\
	X(fwd_pkts,    "of those, frames forwarded in the kernel")		\
	X(fwd_bytes,   "of those, bytes forwarded in the kernel")		\
	X(up_pkts,     "of those, frames handed up to warrend")			\
	X(drop_pkts,   "of those, frames dropped in the kernel")		\
	X(tx_pkts,     "frames the kernel forwarded out of the port")		\
	X(tx_bytes,    "bytes the kernel forwarded out of the port")		\
	X(kernel_pkts, "of those that arrived, frames left to the device's own stack")

/* A port's counters: the switch's, the backend's and the kernel's, summed. */
struct wd_port_counters {
	struct wr_port_stats st;	/* the port's totals */
	struct wr_port_stats user;	/* of those, what went through warrend (switch and backend) */
	bool fast;			/* kernel holds the kernel fast path's own */
	struct wr_bpf_port_stats kernel;
	const char *xnames[WD_XSTATS_MAX];	/* what only the backend counts */
	uint64_t xvals[WD_XSTATS_MAX];
	int n_xstats;
};

void wd_port_counters(struct warrend *wd, const struct wd_port *p, struct wd_port_counters *out);

/* The switch's counters by reason (stats). */
struct wd_switch_counters {
	uint64_t drops[WR_DROP_COUNT];	/* warrend's own; the switch's total adds kernel.drops */
	uint64_t events[WR_EVENT_COUNT];
	bool fast;			/* the kernel fast path is loaded: what follows is its */
	struct wr_bpf_stats kernel;
	uint64_t fdb_errors, tunnel_errors;
};

void wd_switch_counters(struct warrend *wd, struct wd_switch_counters *out);
/** Drop reason @d of the switch: warrend's and the kernel's. */
uint64_t wd_drop_total(const struct wd_switch_counters *c, enum wr_drop d);

/* Steering rule @id's frames (steer.list): pkts and bytes are the totals. */
struct wd_steer_counters {
	uint64_t pkts, bytes;
	uint64_t kernel_pkts, kernel_bytes;	/* of those, what the kernel steered */
};

/** Rule @id, @s as wr_steer_get() gave it. */
void wd_steer_counters(struct warrend *wd, int id, const struct wr_steer_rule *s,
		       struct wd_steer_counters *out);

/* A mirror's ports by name and its counters (the switch's, since it was added). */
struct wd_mirror_counters {
	const char *port, *to;
	enum wr_tap_dir dir;
	uint64_t copied, dropped;
};

/** Mirror @id's: 0, or -ENOENT when there is none. */
int wd_mirror_counters(struct warrend *wd, int id, struct wd_mirror_counters *out);
/** Every mirror as mirror.list and stats show them: a JSON array. */
json_object *wd_mirrors_json(struct warrend *wd);

/* Tunnel @t's VTEPs' counters by slot (@vteps, unused slots zero) and their sum (the tunnel's). */
void wd_tunnel_counters(struct warrend *wd, const struct wd_tunnel *t,
			struct wr_port_stats vteps[WR_VTEP_MAX], struct wr_port_stats *sum);

/** Tell the kernel fast path what @p is now (conf, state, MTU). */
void wd_port_fastpath_sync(struct warrend *wd, struct wd_port *p);
/** Fast path @m for @p (port.set). 0 or -errno with @err. */
int wd_port_set_fastpath(struct warrend *wd, struct wd_port *p, enum wr_fastpath m, char *err,
			 size_t errlen);
/**
 * Make afxdp port @p a tunnel's underlay: its XDP program sends UDP to
 * @ip (16 bytes, or 4 with @ipv6 false), port @dport (host order) up to
 * its AF_XDP socket and leaves every other frame to the stack of @p's
 * namespace (ARP, ND, ...); @ip NULL: an underlay no more. A port on TC
 * is made again on XDP (and back to what it asked for when @ip is NULL):
 * @p's slot and index may then change, so find the port again by name
 * afterwards. Without the kernel fast path (wd->fp NULL) only the setting
 * is recorded. 0, or -EINVAL (not an afxdp port, @dport 0) or the error of
 * remaking the port, with @err. [control]
 */
int wd_port_underlay(struct warrend *wd, struct wd_port *p, const uint8_t *ip, bool ipv6,
		     enum wr_tunnel_type type, uint16_t dport, char *err, size_t errlen);
/** Once a second: MTU changes into the fast path. */
void wd_ports_tick(struct warrend *wd);
/** Carrier gone/down/up, for health. */
const char *wd_port_link(const struct warrend *wd, const struct wd_port *p);

/* fastpath.c: the kernel fast path, in step with the switch */
struct wd_fastpath;
/** Load bpf/xdp_switch (maps and programs; nothing attached). NULL and @err. */
struct wd_fastpath *wd_fastpath_open(uint32_t fdb_max, char *err, size_t errlen);
/** Detach every port's program, then unload. */
void wd_fastpath_close(struct wd_fastpath *fp);
/** The mirror that keeps the kernel's FDB (for wr_switch_set_mirror). */
void wd_fastpath_mirror(struct wd_fastpath *fp, struct wr_fdb_mirror *m);

/* What port @index's program is attached to. */
struct wd_fp_attach {
	const char *name;	/* the port's, for messages */
	const char *netns;	/* NULL: warrend's own */
	const char *dev;
	uint32_t queue;		/* the AF_XDP socket's device queue */
	int xsk_fd;		/* XDP: the socket frames go up to; -1: none */
	const char *tap;	/* TC (tcx ingress, not XDP): the TAP frames go up to */
};
/** Load port @index's program and attach it as @at says. 0 or -errno with @err. */
int wd_fastpath_attach(struct wd_fastpath *fp, uint16_t index, const struct wd_fp_attach *at,
		       char *err, size_t errlen);
/** The port stops being a fast-path port, its program goes (no-op if none). */
void wd_fastpath_detach(struct wd_fastpath *fp, uint16_t index);
/** Port @index's device (TC) went away: its tcx link names none any more. */
bool wd_fastpath_gone(const struct wd_fastpath *fp, uint16_t index);
/** Port @index's XDP program runs in the driver (not the generic hook). */
bool wd_fastpath_native(const struct wd_fastpath *fp, uint16_t index);
/**
 * Port @index (attached) as @c says; @fast: the fast path may take frames
 * from it and give it frames; @peer: its device is a veth whose far end is
 * in another namespace (TC forwards straight into it); @chain: its frames
 * and those for it go up (a chain's hop port, or a port of a domain with
 * chains); @tapped: the same, for a mirror or capture watching the port;
 * @ul (NULL, or not on: none): the port is a tunnel's underlay,
 * out of the fast path whatever @fast says. 0 or -errno; -ENOSPC: written, but out of the fast
 * path, since 255 other namespaces have fast-path ports.
 */
int wd_fastpath_port(struct wd_fastpath *fp, uint16_t index, const struct wr_port_conf *c,
		     uint16_t max_len, bool fast, bool peer, bool chain, bool tapped,
		     const struct wd_underlay *ul);
/**
 * The port whose frames the kernel hands up, all of them (up reason
 * `watch`), so that a trace sees them: its index, or -1 for none. Takes
 * effect at the port's next wd_fastpath_port().
 */
void wd_fastpath_trace(struct wd_fastpath *fp, int index);
/** Whether a port in @netns (NULL, "": warrend's own) can take part in the fast path. */
bool wd_fastpath_netns_room(const struct wd_fastpath *fp, const char *netns);
/** Port @index is no target and no source of the fast path any more. */
int wd_fastpath_port_del(struct wd_fastpath *fp, uint16_t index);
int wd_fastpath_vlan(struct wd_fastpath *fp, uint16_t vlan, uint16_t bd);
/** FDB writes the kernel refused (its map full). */
uint64_t wd_fastpath_fdb_errors(const struct wd_fastpath *fp);
/** The mirror that keeps the kernel's tunnel maps (for wr_switch_set_tunnel_mirror). */
void wd_fastpath_tunnel_mirror(struct wd_fastpath *fp, struct wr_tunnel_mirror *m);
/** @h as wr_tun_hdrs holds it: leaving by port @underlay, IP MTU @mtu. */
void wd_fastpath_tun_hdr(const struct wr_tun_hdr *h, uint16_t underlay, uint16_t mtu,
			 struct wr_bpf_tun_hdr *out);
/** Tunnel map writes the kernel refused (wr_tun_hdrs full). */
uint64_t wd_fastpath_tunnel_errors(const struct wd_fastpath *fp);
/** The switch's steering rules into wr_steer (a hook for wr_switch_set_steer_mirror()). */
void wd_fastpath_steer_mirror(struct wd_fastpath *fp, struct wr_steer_mirror *m);
/** What rule @id's frames the kernel sent or dropped, summed over the CPUs, into *@pkts, *@bytes. */
int wd_fastpath_steer_stats(const struct wd_fastpath *fp, int id, uint64_t *pkts, uint64_t *bytes);
/** The switch @sw's chains into wr_chains and wr_chain_ports (a hook for wr_switch_set_chain_mirror()). */
void wd_fastpath_chain_mirror(struct wd_fastpath *fp, struct wr_switch *sw,
			      struct wr_chain_mirror *m);
/** What the kernel did with chain @id's frames at hop @hop in direction @dir, summed over CPUs. */
int wd_fastpath_chain_stats(const struct wd_fastpath *fp, int id, int hop, int dir,
			    struct wr_bpf_chain_stats *cs);
/** Chain @id's kernel counters from zero (an id given again). */
int wd_fastpath_chain_clear(struct wd_fastpath *fp, int id);
/** The kernel's drops and hand-ups by reason, summed over CPUs. 0 or -errno. */
int wd_fastpath_stats(const struct wd_fastpath *fp, struct wr_bpf_stats *st);

/** Port @index's kernel counters, summed over CPUs; -ENOENT if it has no program. */
int wd_fastpath_port_stats(const struct wd_fastpath *fp, uint16_t index,
			   struct wr_bpf_port_stats *ps);

/** The loaded skeleton (struct xdp_switch): its maps, for tests and counters. */
void *wd_fastpath_skel(const struct wd_fastpath *fp);

/* dpdk.c */
/** The EAL's arguments: --dpdk's or the defaults, plus -l and --file-prefix. 0 or -E2BIG. */
int wd_dpdk_args(const struct wd_conf *c, struct wd_eal_args *a);
/** Start the EAL if it does not run yet. 0 or -errno with @err. [control] */
int wd_dpdk_start(struct warrend *wd, char *err, size_t errlen);

/*
 * tunnels.c: tunnels by name, their VNIs and VTEPs, and the next hop of
 * each VTEP, looked up again every few seconds (wd_tunnels_tick). [control]
 */
struct wd_tunnel_req {
	char name[WD_PORT_NAME_MAX];
	char underlay[WD_PORT_NAME_MAX];
	struct wr_tunnel_conf conf;
};
int wd_tunnel_add(struct warrend *wd, const struct wd_tunnel_req *req, char *err, size_t errlen);
int wd_tunnel_del(struct warrend *wd, struct wd_tunnel *t);
struct wd_tunnel *wd_tunnel_find(struct warrend *wd, const char *name);
/** The tunnel whose underlay is @p, or NULL. */
struct wd_tunnel *wd_tunnel_on(struct warrend *wd, const struct wd_port *p);
int wd_tunnel_vni(struct warrend *wd, struct wd_tunnel *t, uint32_t vni, uint16_t bd, char *err,
		  size_t errlen);
int wd_vtep_add(struct warrend *wd, struct wd_tunnel *t, const uint8_t ip[16], bool ipv6,
		bool flood, char *err, size_t errlen);
struct wd_vtep *wd_vtep_find(struct wd_tunnel *t, const uint8_t ip[16]);
int wd_vtep_del(struct warrend *wd, struct wd_tunnel *t, struct wd_vtep *v);
/** The VTEP on switch port @port, if it is one, stays: a static entry names it. */
void wd_vtep_pin(struct warrend *wd, uint16_t port);
/** The tunnel and VTEP behind switch port @index, or NULL. */
struct wd_tunnel *wd_vtep_by_port(struct warrend *wd, uint16_t index, struct wd_vtep **v);
void wd_tunnels_tick(struct warrend *wd, uint32_t now_s);
/** The tunnels' watch descriptors into @fds (up to @max); how many. */
int wd_tunnels_watch_fds(const struct warrend *wd, int *fds, int max);
/** Descriptor @fd polled readable: its tunnel's namespace changed. */
void wd_tunnels_watch_event(struct warrend *wd, int fd);
/** The VTEPs of tunnels whose namespace changed, looked up again (at most every 100 ms). */
void wd_tunnels_react(struct warrend *wd);
void wd_tunnels_close_all(struct warrend *wd);

/*
 * underlay.c: what tunnels need of the underlay's device and namespace.
 * The API's tests link their own (tests/wd_ring.h).
 */
struct wd_underlay_info {
	int ifindex;
	uint8_t mac[6];
	uint32_t mtu;
};
/** @p's device, which must hold address @ip. 0, or -errno and a sentence in @err. */
int wd_underlay_probe(const struct wd_port *p, bool ipv6, const uint8_t ip[16],
		      struct wd_underlay_info *out, char *err, size_t errlen);
/** A descriptor readable when @p's namespace's neighbours, routes or links change; -1: none. */
int wd_underlay_watch(const struct wd_port *p);
/** The way from @p's namespace to @dst, which must leave by @ifindex. 0, or -errno and @err. */
int wd_underlay_nexthop(const struct wd_port *p, int ifindex, bool ipv6, const uint8_t dst[16],
			struct wr_nexthop *nh, char *err, size_t errlen);

/* api_port.c: the JSON of ports and counters (docs/api.md) */
/** The port as port.list gives it. */
json_object *wd_port_json(struct warrend *wd, const struct wd_port *p);
/** rx_pkts, rx_bytes, tx_pkts, tx_bytes and drops of @st into @o. */
void wd_stats_json(json_object *o, const struct wr_port_stats *st);
/** Its counters, as port.stats gives them. */
json_object *wd_port_stats_json(struct warrend *wd, const struct wd_port *p);
/** @c's kernel part as the "fastpath" object of stats. */
json_object *wd_fastpath_stats_json(const struct wd_switch_counters *c);

/* api.c */
/** Handle one request line; returns the reply (caller frees). */
char *wd_api_handle(struct warrend *wd, const char *line, size_t len);

/* probe.c: the hops' health probes, on the control thread [control] */
/** Chain @id's hop @hop probed as @c says, the first at the next tick; it starts passing. */
void wd_probe_start(struct warrend *wd, int id, int hop, const struct wd_probe_conf *c);
/** Chain @id's probes stop (it goes). */
void wd_probes_stop(struct warrend *wd, int id);
/** Chain @id's hop @hop's probe, or NULL when it has none. */
const struct wd_probe *wd_probe_get(struct warrend *wd, int id, int hop);
/** At @now: probes not answered within their timeout fail, those due go. */
void wd_probes_tick(struct warrend *wd, uint64_t now);
/** The probes under way into @pfd (room for WD_PROBE_MAX); how many. */
int wd_probes_pollfds(const struct warrend *wd, struct pollfd *pfd);
/** After poll: the answers @pfd (as wd_probes_pollfds() made them) says came. */
void wd_probes_events(struct warrend *wd, const struct pollfd *pfd, int n);
/** @timeout_ms (-1: none), or less: until the first probe is due or times out. */
int wd_probes_timeout_ms(const struct warrend *wd, uint64_t now, int timeout_ms);
/*
 * probe_sock.c: the probes' sockets; the unit tests link their own.
 * Send probe @seq of @c (@ident: a raw echo's): a non-blocking socket
 * made in @c's namespace, or -errno and a sentence in @err.
 */
int wd_probe_send(const struct wd_probe_conf *c, uint16_t ident, uint16_t seq, char *err,
		  size_t errlen);
/** Whether probe @fd was answered, poll having said @revents: 1 passed, 0 not yet, -errno failed (@err). */
int wd_probe_recv(const struct wd_probe_conf *c, int fd, uint16_t ident, uint16_t seq,
		  short revents, char *err, size_t errlen);

/* server.c */
int wd_server_open(struct warrend *wd);
void wd_server_close(struct warrend *wd);
/**
 * One pass: wait up to @timeout_ms (not at all while a request waits in a
 * buffer), then give each client a bounded share (requests, bytes) so that
 * the caller's tick comes soon whatever clients send. Cuts idle clients.
 */
void wd_server_poll(struct warrend *wd, int timeout_ms);
/** Clients connected now. */
unsigned int wd_server_clients(const struct warrend *wd);

/* metrics.c: GET /metrics over HTTP (docs/metrics.md), on the API's poll. [control] */
/**
 * @spec (PORT, :PORT, ADDR:PORT, [ADDR6]:PORT; no address: 127.0.0.1) as
 * a socket address. 0, or -EINVAL with a sentence in @err.
 */
int wd_metrics_addr(const char *spec, struct sockaddr_storage *sa, socklen_t *len, char *err,
		    size_t errlen);
/** Listen where conf.metrics says (nothing when it is ""). 0 or -errno, logged. */
int wd_metrics_open(struct warrend *wd);
void wd_metrics_close(struct warrend *wd);
/** The descriptors to poll into @pfd (room for 1 + WD_METRICS_CLIENTS); how many. */
int wd_metrics_pollfds(const struct warrend *wd, struct pollfd *pfd);
/** After poll: serve what @pfd (as wd_metrics_pollfds() made them) says, within a share. */
void wd_metrics_serve(struct warrend *wd, const struct pollfd *pfd, int n, uint64_t now);

#endif /* WARREND_H */
