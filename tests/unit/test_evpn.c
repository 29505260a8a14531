/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_evpn.c - warren-evpnd's pass (control/evpn/evpn_sync.c) on views
 * made by hand: what it asks of warrend and of the kernel, in order, for
 * type-3 and type-2 entries added, changed and gone, local MACs learned
 * and forgotten, a MAC both local and remote, the bounds, and a pass on
 * views that already agree (nothing asked).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "evpn/evpn_priv.h"

#define IP(d) (0x000200c0u | ((uint32_t)(d) << 24))	/* 192.0.2.d, network order */

static char log_[4096];

static void say(const char *fmt, ...)
{
	size_t n = strlen(log_);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_ + n, sizeof(log_) - n, fmt, ap);
	va_end(ap);
}

static int vtep_add(void *ctx, uint32_t ip, bool flood)
{
	(void)ctx;
	say("vtep+%u%s ", ip >> 24, flood ? "f" : "");
	return 0;
}

static int vtep_del(void *ctx, uint32_t ip)
{
	(void)ctx;
	say("vtep-%u ", ip >> 24);
	return 0;
}

static int mac_add(void *ctx, const struct ev_vni *v, const uint8_t mac[6], uint32_t vtep)
{
	(void)ctx;
	say("mac+%u:%02x@%u ", v->vni, mac[5], vtep >> 24);
	return 0;
}

static int mac_del(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	(void)ctx;
	say("mac-%u:%02x ", v->vni, mac[5]);
	return 0;
}

static int local_add(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	(void)ctx;
	say("loc+%u:%02x ", v->vni, mac[5]);
	return mac[5] == 0xee ? -EIO : 0;	/* a kernel that refuses one */
}

static int local_del(void *ctx, const struct ev_vni *v, const uint8_t mac[6])
{
	(void)ctx;
	say("loc-%u:%02x ", v->vni, mac[5]);
	return 0;
}

static const struct ev_ops ops = { vtep_add, vtep_del, mac_add, mac_del, local_add, local_del };

static struct ev_state st;

static int setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	st.n_vnis = 2;
	st.vnis[0].vni = 5010, st.vnis[0].bd = 10;
	st.vnis[1].vni = 5020, st.vnis[1].bd = 20;
	log_[0] = '\0';
	return ev_macs_init(&st.krem, 8) || ev_macs_init(&st.kloc, 8) ||
	       ev_macs_init(&st.wrem, 8) || ev_macs_init(&st.wloc, 8);
}

static int teardown(void **state)
{
	(void)state;
	ev_macs_free(&st.krem);
	ev_macs_free(&st.kloc);
	ev_macs_free(&st.wrem);
	ev_macs_free(&st.wloc);
	return 0;
}

static void mac(uint8_t m[6], uint8_t last)
{
	const uint8_t base[6] = { 2, 0, 0, 0, 0, last };

	memcpy(m, base, 6);
}

static void push(struct ev_macs *l, uint16_t vi, uint8_t last, uint32_t vtep)
{
	uint8_t m[6];

	mac(m, last);
	ev_macs_push(l, vi, m, vtep);
}

static void run(const char *want, const struct ev_counts *cwant)
{
	struct ev_counts c = { 0 };

	log_[0] = '\0';
	ev_sync(&st, &ops, NULL, &c);
	assert_string_equal(log_, want);
	if (cwant)
		assert_memory_equal(&c, cwant, sizeof(c));
}

/* Type-3 routes make flood VTEPs, a type-2 alone one that is not; then nothing. */
static void test_vteps_from_routes(void **state)
{
	(void)state;
	st.vnis[0].flood[st.vnis[0].n_flood++] = IP(2);
	st.vnis[1].flood[st.vnis[1].n_flood++] = IP(2);	/* the same VTEP in two VNIs: once */
	st.vnis[1].flood[st.vnis[1].n_flood++] = IP(3);
	push(&st.krem, 0, 0x0a, IP(2));
	push(&st.krem, 1, 0x0b, IP(4));	/* no type-3 from 192.0.2.4 */
	run("vtep+2f vtep+3f vtep+4 mac+5010:0a@2 mac+5020:0b@4 ",
	    &(struct ev_counts){ .vtep_add = 3, .mac_add = 2 });

	/* Warren now as asked: nothing to do. */
	st.wvteps[0] = (struct ev_vtep){ IP(2), true };
	st.wvteps[1] = (struct ev_vtep){ IP(3), true };
	st.wvteps[2] = (struct ev_vtep){ IP(4), false };
	st.n_wvteps = 3;
	push(&st.wrem, 1, 0x0b, IP(4));
	push(&st.wrem, 0, 0x0a, IP(2));
	run("", NULL);
}

/* A flood bit that changes: the VTEP is made again, its entries added again. */
static void test_flood_change(void **state)
{
	(void)state;
	st.vnis[0].flood[st.vnis[0].n_flood++] = IP(4);
	push(&st.krem, 0, 0x0a, IP(4));
	push(&st.krem, 0, 0x0c, IP(2));
	st.wvteps[0] = (struct ev_vtep){ IP(4), false };
	st.wvteps[1] = (struct ev_vtep){ IP(2), false };
	st.n_wvteps = 2;
	push(&st.wrem, 0, 0x0a, IP(4));
	push(&st.wrem, 0, 0x0c, IP(2));
	run("vtep-4 vtep+4f mac+5010:0a@4 ", NULL);
}

/* A MAC moved between VTEPs, one gone, a VTEP gone (its entries with it, not one by one). */
static void test_remote_changes(void **state)
{
	(void)state;
	st.vnis[0].flood[st.vnis[0].n_flood++] = IP(2);
	st.vnis[0].flood[st.vnis[0].n_flood++] = IP(3);
	push(&st.krem, 0, 0x0a, IP(3));	/* was behind .2 */
	st.wvteps[0] = (struct ev_vtep){ IP(2), true };
	st.wvteps[1] = (struct ev_vtep){ IP(3), true };
	st.wvteps[2] = (struct ev_vtep){ IP(5), true };	/* no route names it any more */
	st.n_wvteps = 3;
	push(&st.wrem, 0, 0x0a, IP(2));
	push(&st.wrem, 0, 0x0d, IP(2));	/* withdrawn */
	push(&st.wrem, 1, 0x0e, IP(5));	/* behind the VTEP that goes */
	run("mac+5010:0a@3 mac-5010:0d vtep-5 ",
	    &(struct ev_counts){ .vtep_del = 1, .mac_add = 1, .mac_del = 1 });
}

/* Local MACs: written, withdrawn, and not written when EVPN has them as remote. */
static void test_local(void **state)
{
	(void)state;
	st.vnis[0].flood[st.vnis[0].n_flood++] = IP(2);
	st.wvteps[0] = (struct ev_vtep){ IP(2), true };
	st.n_wvteps = 1;
	push(&st.wloc, 0, 0x01, 0);	/* new */
	push(&st.wloc, 1, 0x02, 0);	/* there already */
	push(&st.kloc, 1, 0x02, 0);
	push(&st.kloc, 0, 0x03, 0);	/* Warren forgot it */
	push(&st.wloc, 0, 0x04, 0);	/* learned, but EVPN says behind .2 */
	push(&st.krem, 0, 0x04, IP(2));
	push(&st.wloc, 1, 0x05, 0);	/* written before, now remote: withdrawn */
	push(&st.kloc, 1, 0x05, 0);
	push(&st.krem, 1, 0x05, IP(2));
	push(&st.wloc, 0, 0xee, 0);	/* the kernel refuses it: an error, the pass goes on */
	run("mac+5010:04@2 mac+5020:05@2 loc+5010:01 loc-5010:03 loc+5010:ee loc-5020:05 ",
	    &(struct ev_counts){ .mac_add = 2, .local_add = 1, .local_del = 2, .errors = 1 });
}

/* Past the bound: counted, not kept. */
static void test_bounds(void **state)
{
	(void)state;
	for (int i = 0; i < 10; i++)
		push(&st.wloc, 0, (uint8_t)(0x10 + i), 0);
	assert_int_equal(st.wloc.n, 8);
	assert_int_equal(st.wloc.full, 2);
	assert_int_equal(ev_vni_of_bd(&st, 20), 1);
	assert_int_equal(ev_vni_of_bd(&st, 30), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vteps_from_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
