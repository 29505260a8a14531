/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * workers.c - one thread per worker, pinned to its core. A worker polls
 * its ports; after SPIN_POLLS passes with nothing received it parks
 * (reclamation stops waiting for it) and sleeps in poll() on its ports'
 * descriptors and its wake eventfd, so an idle switch costs next to no CPU.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "warrend.h"
#include "wr_drivers.h"

#define SPIN_POLLS	2000	/* empty passes before sleeping: some 50-200 us */
#define SLEEP_MS	100	/* poll() timeout: the clock and port lists stay fresh */
#define NAP_MS		1	/* the same with a port that has no descriptor (DPDK): its
				 * frames wait at most this long for an idle worker */

static void drain(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		wd_debug("wake fd: %s", strerror(errno));
}

/* One more event on eventfd @fd: its poller wakes. */
static void kick(int fd, const char *who)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) < 0)
		wd_debug("waking %s: %s", who, strerror(errno));
}

static void wake(struct wd_worker *k)
{
	kick(k->wake_fd, "a worker");
}

/*
 * Wake the control thread if it sleeps, so that what this pass learned is
 * applied within a millisecond. The fence pairs with the one in main's
 * loop (a seq_cst store, then a last tick): either the control thread sees
 * this pass's learns before it sleeps, or this worker sees it asleep.
 */
static void wake_control(struct warrend *wd)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&wd->ctl_asleep, memory_order_relaxed) &&
	    atomic_exchange(&wd->ctl_asleep, false))
		kick(wd->ctl_wake_fd, "the control thread");
}

/*
 * A worker that received frames may have handed some to ports another
 * worker owns (drivers queue them for the owner): a sleeping sibling is
 * woken to send them. Paired with the flag-then-last-pass order in
 * worker_sleep(), no handed-over frame waits for a sleeper's timeout.
 */
static void wake_siblings(struct wd_worker *k)
{
	struct warrend *wd = k->wd;

	for (uint16_t i = 0; i < wd->n_workers; i++)
		if (i != k->id && atomic_load(&wd->workers[i].sleeping))
			wake(&wd->workers[i]);
}

/*
 * Sleep until a port has something, the ports change, or SLEEP_MS pass.
 * Whether something woke it: after a timeout the worker looks once and
 * sleeps again, rather than spin (a TAP costs a syscall a look).
 */
static bool worker_sleep(struct wd_worker *k, uint32_t now_s)
{
	struct pollfd pfd[WR_PORT_MAX + 1];
	nfds_t n = 0;
	bool woken;

	/* Say so first, then look once more: a sibling that hands over after this wakes us. */
	atomic_store(&k->sleeping, true);
	if (wr_worker_poll(k->w, now_s)) {
		atomic_store(&k->sleeping, false);
		return true;
	}

	pthread_mutex_lock(&k->lock);
	for (uint16_t i = 0; i < k->n_fds; i++)
		pfd[n++] = (struct pollfd){ .fd = k->fds[i], .events = POLLIN };
	pthread_mutex_unlock(&k->lock);
	pfd[n++] = (struct pollfd){ .fd = k->wake_fd, .events = POLLIN };

	wr_worker_park(k->w);
	atomic_fetch_add_explicit(&k->sleeps, 1, memory_order_relaxed);
	woken = poll(pfd, n, atomic_load(&k->nap) ? NAP_MS : SLEEP_MS) > 0;
	if (woken) {
		if (pfd[n - 1].revents)
			drain(k->wake_fd);
		/*
		 * A descriptor whose device went (a deleted TAP) polls as an
		 * error for ever: leave it out until the ports change, or the
		 * worker would never sleep again.
		 */
		pthread_mutex_lock(&k->lock);
		for (nfds_t i = 0; i + 1 < n; i++)
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				for (uint16_t f = 0; f < k->n_fds; f++)
					if (k->fds[f] == pfd[i].fd)
						k->fds[f] = -1;
		pthread_mutex_unlock(&k->lock);
	}
	atomic_store(&k->sleeping, false);
	wr_worker_unpark(k->w);
	return woken;
}

/* An lcore of the EAL: mbuf caches of its own. Once, whether it worked or not. */
static bool dpdk_register(struct wd_worker *k)
{
	if (wr_dpdk_thread_register())
		wd_info("worker %u: a DPDK lcore now", k->id);
	else
		wd_warn("worker %u: cannot become a DPDK lcore (no lcore id free): its DPDK "
			"frames go through the pools' shared rings, slower", k->id);
	return true;
}

static void *worker_main(void *arg)
{
	struct wd_worker *k = arg;
	struct warrend *wd = k->wd;
	uint32_t idle = 0, now_s = wd_now_s();
	uint64_t polls = 0, rx = 0;
	bool lcore = false;

	if (k->core >= 0) {
		cpu_set_t set;
		int err;

		CPU_ZERO(&set);
		CPU_SET(k->core, &set);
		err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		if (err)
			wd_warn("worker %u: cannot pin to core %d: %s", k->id, k->core, strerror(err));
	}
	wd_info("worker %u running%s%d", k->id, k->core >= 0 ? " on core " : "",
		k->core >= 0 ? k->core : 0);
	while (!atomic_load_explicit(&wd->stop, memory_order_relaxed)) {
		uint32_t got = wr_worker_poll(k->w, now_s);

		polls++;
		rx += got;
		/* The clock and the shared counters, every 64 passes. */
		if ((polls & 63) == 0) {
			if (!lcore && atomic_load_explicit(&wd->dpdk_up, memory_order_relaxed))
				lcore = dpdk_register(k);
			now_s = wd_now_s();
			atomic_store_explicit(&k->polls, polls, memory_order_relaxed);
			atomic_store_explicit(&k->rx_pkts, rx, memory_order_relaxed);
		}
		if (got) {
			idle = 0;
			if (wd->n_workers > 1)
				wake_siblings(k);
			wake_control(wd);
		} else if (++idle >= SPIN_POLLS && !wd->conf.busy_poll) {
			atomic_store_explicit(&k->polls, polls, memory_order_relaxed);
			atomic_store_explicit(&k->rx_pkts, rx, memory_order_relaxed);
			idle = worker_sleep(k, now_s) ? 0 : SPIN_POLLS - 1;
			now_s = wd_now_s();
		}
	}
	atomic_store(&k->polls, polls);
	atomic_store(&k->rx_pkts, rx);
	if (lcore)
		wr_dpdk_thread_unregister();
	return NULL;
}

int wd_workers_start(struct warrend *wd)
{
	sigset_t all, old;
	int err = 0;

	/* Signals are the control thread's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (uint16_t i = 0; i < wd->conf.n_cores && !err; i++) {
		struct wd_worker *k = &wd->workers[i];

		k->wd = wd;
		k->id = i;
		k->core = wd->conf.cores[i];
		pthread_mutex_init(&k->lock, NULL);
		k->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		k->w = wr_worker_create(wd->sw, i);
		if (k->wake_fd < 0 || !k->w) {
			err = -errno;
			wd_err("worker %u: %s", i, strerror(errno));
			break;
		}
		err = -pthread_create(&k->thread, NULL, worker_main, k);
		if (err) {
			wd_err("worker %u: cannot start its thread: %s", i, strerror(-err));
			break;
		}
		wd->n_workers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

void wd_worker_ports_changed(struct warrend *wd, uint16_t id)
{
	struct wd_worker *k = &wd->workers[id];

	pthread_mutex_lock(&k->lock);
	k->n_fds = 0;
	k->n_ports = 0;
	atomic_store(&k->nap, false);
	for (int i = 0; i < WR_PORT_MAX; i++) {
		const struct wd_port *p = &wd->ports[i];
		int fd;

		if (!p->used || p->worker != id)
			continue;
		k->n_ports++;
		fd = wr_port_poll_fd(p->port, id);
		if (fd >= 0)
			k->fds[k->n_fds++] = fd;
		else
			atomic_store(&k->nap, true);
	}
	pthread_mutex_unlock(&k->lock);
	wake(k);
}

void wd_workers_wake(struct warrend *wd)
{
	for (uint16_t i = 0; i < wd->n_workers; i++)
		wake(&wd->workers[i]);
}

uint16_t wd_worker_pick(const struct warrend *wd)
{
	uint16_t best = 0;

	for (uint16_t i = 1; i < wd->n_workers; i++)
		if (wd->workers[i].n_ports < wd->workers[best].n_ports)
			best = i;
	return best;
}

void wd_workers_stop(struct warrend *wd)
{
	atomic_store(&wd->stop, true);
	for (uint16_t i = 0; i < wd->n_workers; i++) {
		struct wd_worker *k = &wd->workers[i];

		wake(k);
		pthread_join(k->thread, NULL);
	}
	for (uint16_t i = 0; i < wd->conf.n_cores; i++) {
		struct wd_worker *k = &wd->workers[i];

		/* wr_switch_destroy() destroys the wr_workers. */
		if (k->wake_fd > 0)
			close(k->wake_fd);
		pthread_mutex_destroy(&k->lock);
	}
}
