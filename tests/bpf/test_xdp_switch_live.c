/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_xdp_switch_live.c - the fast path on real devices, where test runs
 * cannot look: frames sent with AF_PACKET into veths whose switch ends
 * carry the program (XDP through a DEVMAP, or TC on tcx ingress), and read
 * where they come out. At a real tc ingress the stack has already moved the
 * outer tag into the skb's metadata, and a TC push leaves it there; the
 * receiving socket gets it back as PACKET_AUXDATA and the test puts it
 * where it was on the wire.
 *
 * Needs root. In a namespace of the process's own:
 *
 *   h0 ── s0  port 0  trunk 10,20, native 20
 *   h1 ── s1  port 1  access 10
 *   h2 ── s2  port 2  trunk 10,20, no native
 *
 * Each case sends one frame on an h end and expects one frame, exactly
 * these bytes, on another h end (or none anywhere), within a second.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <cmocka.h>

#include "bpf_env.h"

/*
 * BPF_TCX_INGRESS of linux 6.6's uapi: Debian 12's headers stop at
 * BPF_LSM_CGROUP (43), and libbpf 1.1 passes attach types it does not know
 * on to the kernel unchanged.
 */
#define TCX_INGRESS ((enum bpf_attach_type)46)

#define N_PORTS 3
#define WAIT_MS 1000		/* for a frame that must come */
#define QUIET_MS 200		/* for one that must not */

static const char *const h_names[N_PORTS] = { "h0", "h1", "h2" };
static const char *const s_names[N_PORTS] = { "s0", "s1", "s2" };

#define MAC(bd, h) { 0x02, 0, 0, 0, bd, h }
static const uint8_t m0[6] = MAC(10, 0), m1[6] = MAC(10, 1), m2[6] = MAC(10, 2),
	m0_20[6] = MAC(20, 0), m2_20[6] = MAC(20, 2),
	bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

enum mode { M_XDP, M_TC };

/* Everything a test makes, undone by its teardown however it ends. */
struct live {
	struct xdp_switch *s;
	int h[N_PORTS], sw[N_PORTS];	/* ifindexes */
	int links[N_PORTS];		/* the program on s0..s2 */
	int rx[N_PORTS];		/* AF_PACKET on h0..h2 */
	int tx;
};

static struct live L;

static int open_rx(int ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)), one = 1;

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int attach(enum mode m, int ifindex)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = XDP_FLAGS_DRV_MODE);

	if (m == M_XDP)
		return bpf_link_create(bpf_program__fd(L.s->progs.wr_xdp_switch), ifindex, BPF_XDP,
				       &o);
	return bpf_link_create(bpf_program__fd(L.s->progs.wr_tc_switch), ifindex, TCX_INGRESS,
			       NULL);
}

/* Nothing made yet. */
static void live_reset(void)
{
	memset(&L, 0, sizeof(L));
	for (int i = 0; i < N_PORTS; i++)
		L.links[i] = L.rx[i] = -1;
	L.tx = -1;
}

static int teardown(void **state);

static int setup(enum mode m)
{
	static const uint16_t vlans[] = { 10, 20 };
	uint64_t now;

	live_reset();
	for (int i = 0; i < N_PORTS; i++)
		if (env_veth(h_names[i], s_names[i], &L.h[i], &L.sw[i]))
			return -1;
	L.s = env_load();
	if (!L.s)
		return -1;
	env_port(L.s, 0, env_port_trunk(L.sw[0], 20, vlans, 2));
	env_port(L.s, 1, env_port_access(L.sw[1], 10));
	env_port(L.s, 2, env_port_trunk(L.sw[2], 0, vlans, 2));
	env_vlan_bd(L.s, 10, 10);
	env_vlan_bd(L.s, 20, 20);
	now = env_now_ns();
	env_fdb(L.s, 10, m0, 0, now);
	env_fdb(L.s, 10, m1, 1, now);
	env_fdb(L.s, 10, m2, 2, now);
	env_fdb(L.s, 20, m0_20, 0, now);
	env_fdb(L.s, 20, m2_20, 2, now);
	for (int i = 0; i < N_PORTS; i++) {
		L.links[i] = attach(m, L.sw[i]);
		if (L.links[i] < 0) {
			fprintf(stderr, "%s: attach %s: %s\n", s_names[i],
				m == M_XDP ? "XDP" : "tcx", strerror(errno));
			return -1;
		}
		L.rx[i] = open_rx(L.h[i]);
		if (L.rx[i] < 0)
			return -1;
	}
	L.tx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	return L.tx < 0 ? -1 : 0;
}

/* cmocka skips the teardown of a test whose setup failed: undo here. */
static int setup_xdp(void **state)
{
	if (setup(M_XDP) == 0)
		return 0;
	teardown(state);
	return -1;
}

static int setup_tc(void **state)
{
	if (setup(M_TC) == 0)
		return 0;
	teardown(state);
	return -1;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < N_PORTS; i++) {
		if (L.rx[i] >= 0)
			close(L.rx[i]);
		if (L.links[i] >= 0)
			close(L.links[i]);
	}
	if (L.tx >= 0)
		close(L.tx);
	xdp_switch__destroy(L.s);
	for (int i = 0; i < N_PORTS; i++)
		env_del(h_names[i]);
	live_reset();
	return 0;
}

static void send_on(int port, const uint8_t *frame, uint16_t len)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = L.h[port],
				  .sll_halen = 6 };

	memcpy(to.sll_addr, frame, 6);
	assert_int_equal(sendto(L.tx, frame, len, 0, (struct sockaddr *)&to, sizeof(to)), len);
}

/*
 * The next test frame on h @port within @ms, with its outer tag back in
 * the bytes if the stack gave it as metadata: its length, or 0.
 */
static uint16_t recv_on(int port, int ms, uint8_t *out)
{
	struct pollfd pfd = { .fd = L.rx[port], .events = POLLIN };

	while (poll(&pfd, 1, ms) == 1) {
		uint8_t buf[ENV_FRAME_MAX];
		union {
			struct cmsghdr h;
			uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl,
				      .msg_controllen = sizeof(ctl) };
		const struct tpacket_auxdata *aux = NULL;
		ssize_t n = recvmsg(L.rx[port], &msg, MSG_DONTWAIT);
		uint16_t len = 12;

		if (n < 14)
			continue;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA)
				aux = (const struct tpacket_auxdata *)CMSG_DATA(c);
		memcpy(out, buf, 12);
		if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID)) {
			uint16_t tpid = aux->tp_status & TP_STATUS_VLAN_TPID_VALID ?
					aux->tp_vlan_tpid : ETH_P_8021Q;

			out[len++] = (uint8_t)(tpid >> 8);
			out[len++] = (uint8_t)tpid;
			out[len++] = (uint8_t)(aux->tp_vlan_tci >> 8);
			out[len++] = (uint8_t)aux->tp_vlan_tci;
		}
		if ((size_t)n - 12 > (size_t)(ENV_FRAME_MAX - len))
			continue;
		memcpy(out + len, buf + 12, (size_t)n - 12);
		len = (uint16_t)(len + n - 12);
		/* Only the test's own frames: ENV_ETHERTYPE after at most one tag. */
		if ((out[12] << 8 | out[13]) == ENV_ETHERTYPE ||
		    (len >= 18 && (out[16] << 8 | out[17]) == ENV_ETHERTYPE))
			return len;
	}
	return 0;
}

/* ---------------------------------------------------------------- cases */

struct lcase {
	const char *name;
	int in, out;			/* h ends; out -1: nowhere */
	const uint8_t *dst, *src;
	uint16_t tci_in;		/* outer 802.1Q tag sent; NO_TAG: none */
	uint16_t tci_out;		/* expected; NO_TAG: none */
};

#define NO_TAG 0xffff

static const struct lcase lcases[] = {
	{ "trunk to access: popped", 0, 1, m1, m0, 5 << 13 | 10, NO_TAG },
	{ "access to trunk: pushed", 1, 0, m0, m1, NO_TAG, 10 },
	{ "trunk to trunk: kept, PCP too", 0, 2, m2, m0, 5 << 13 | 10, 5 << 13 | 10 },
	{ "priority tag, native 20, to trunk: rewritten, PCP kept", 0, 2, m2_20, m0_20, 6 << 13,
	  6 << 13 | 20 },
	{ "trunk to trunk native: popped", 2, 0, m0_20, m2_20, 20, NO_TAG },
	{ "broadcast: to userspace, not forwarded", 0, -1, bcast, m0_20, NO_TAG, NO_TAG },
};

/* @in with its outer 802.1Q tag, if any, made @tci (NO_TAG: none), into @out. */
static uint16_t retag(const uint8_t *in, uint16_t len, uint16_t tci, uint8_t *out)
{
	uint16_t from = (in[12] << 8 | in[13]) == ETH_P_8021Q ? 16 : 12, n = 12;

	memcpy(out, in, 12);
	if (tci != NO_TAG) {
		out[n++] = ETH_P_8021Q >> 8;
		out[n++] = ETH_P_8021Q & 0xff;
		out[n++] = (uint8_t)(tci >> 8);
		out[n++] = (uint8_t)tci;
	}
	memcpy(out + n, in + from, (size_t)(len - from));
	return (uint16_t)(n + len - from);
}

static void run_live(const char *mode)
{
	for (size_t i = 0; i < sizeof(lcases) / sizeof(lcases[0]); i++) {
		const struct lcase *c = &lcases[i];
		uint8_t frame[ENV_FRAME_MAX], want[ENV_FRAME_MAX], got[ENV_FRAME_MAX];
		struct wr_bpf_stats st0, st1;
		uint16_t len, wlen, glen;

		len = env_frame(frame, c->dst, c->src, c->tci_in == NO_TAG ? 0 : ETH_P_8021Q, c->tci_in,
				0, 0, 0);
		env_stats(L.s, &st0);
		send_on(c->in, frame, len);
		if (c->out < 0) {
			for (int p = 0; p < N_PORTS; p++)
				if (p != c->in && recv_on(p, QUIET_MS, got))
					fail_msg("%s (%s): came out of h%d", c->name, mode, p);
			env_stats(L.s, &st1);
			assert_int_equal(st1.up[WR_BPF_UP_FLOOD], st0.up[WR_BPF_UP_FLOOD] + 1);
			continue;
		}
		wlen = retag(frame, len, c->tci_out, want);
		glen = recv_on(c->out, WAIT_MS, got);
		if (!glen)
			fail_msg("%s (%s): nothing on h%d", c->name, mode, c->out);
		if (glen != wlen || memcmp(got, want, wlen))
			fail_msg("%s (%s): %u bytes, tag %02x%02x %02x%02x; want %u, %02x%02x %02x%02x",
				 c->name, mode, glen, got[12], got[13], got[14], got[15], wlen,
				 want[12], want[13], want[14], want[15]);
		for (int p = 0; p < N_PORTS; p++)
			if (p != c->in && p != c->out && recv_on(p, 0, got))
				fail_msg("%s (%s): a copy came out of h%d", c->name, mode, p);
	}
}

static void test_xdp(void **state)
{
	(void)state;
	run_live("xdp");
}

static void test_tc(void **state)
{
	(void)state;
	run_live("tc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xdp, setup_xdp, teardown),
		cmocka_unit_test_setup_teardown(test_tc, setup_tc, teardown),
	};

	if (env_enter())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
