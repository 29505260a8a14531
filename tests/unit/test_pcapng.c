/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pcapng.c - the pcapng blocks of `warren capture` (control/pcapng.c),
 * read back field by field as a reader would: block types and both length
 * fields, the byte-order magic, the interface's link type, snap length and
 * nanosecond resolution, the packet's timestamp halves, lengths, data
 * padded to 32 bits, its direction flags and its comment; and a block
 * that does not fit is refused whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wr_control.h"

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Block at @b of @n bytes: its type, equal lengths at both ends, a multiple of 4. */
static void block(const uint8_t *b, size_t n, uint32_t type)
{
	assert_true(n >= 12);
	assert_int_equal(n % 4, 0);
	assert_int_equal(u32(b), type);
	assert_int_equal(u32(b + 4), n);
	assert_int_equal(u32(b + n - 4), n);
}

/* The option @code in the options from @o to @end: its value, length in *@len; NULL if absent. */
static const uint8_t *option(const uint8_t *o, const uint8_t *end, uint16_t code, uint16_t *len)
{
	while (o + 4 <= end) {
		uint16_t c = u16(o), l = u16(o + 2);

		if (c == 0)
			return NULL;
		if (c == code) {
			*len = l;
			return o + 4;
		}
		o += 4 + ((l + 3u) & ~3u);
	}
	return NULL;
}

static void test_header(void **state)
{
	uint8_t b[256];
	const uint8_t *v;
	uint16_t len;
	size_t n;

	(void)state;
	n = wr_pcapng_shb(b, sizeof(b), "warren capture");
	block(b, n, 0x0A0D0D0A);
	assert_int_equal(u32(b + 8), 0x1A2B3C4D);
	assert_int_equal(u16(b + 12), 1);	/* major */
	assert_int_equal(u16(b + 14), 0);
	v = option(b + 24, b + n - 4, 4, &len);
	assert_non_null(v);
	assert_int_equal(len, 14);
	assert_memory_equal(v, "warren capture", 14);

	n = wr_pcapng_idb(b, sizeof(b), WR_LINKTYPE_ETHERNET, 2048, "p1");
	block(b, n, 1);
	assert_int_equal(u16(b + 8), 1);
	assert_int_equal(u32(b + 12), 2048);
	v = option(b + 16, b + n - 4, 9, &len);
	assert_non_null(v);
	assert_int_equal(len, 1);
	assert_int_equal(v[0], 9);	/* nanoseconds */
	v = option(b + 16, b + n - 4, 2, &len);
	assert_non_null(v);
	assert_memory_equal(v, "p1", 2);
}

static void test_packet(void **state)
{
	static const char comment[] = "rx: to port p2";
	uint8_t b[256], data[61];
	const uint8_t *v;
	uint64_t ts = 1765000000123456789ull;
	uint16_t len;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 1);
	n = wr_pcapng_epb(b, sizeof(b), &(struct wr_pcapng_pkt){
		.ts_ns = ts, .data = data, .cap_len = sizeof(data), .orig_len = 1514,
		.comment = comment, .comment_len = strlen(comment) });
	block(b, n, 6);
	assert_int_equal(u32(b + 8), 0);	/* interface 0 */
	assert_int_equal(((uint64_t)u32(b + 12) << 32) | u32(b + 16), ts);
	assert_int_equal(u32(b + 20), sizeof(data));
	assert_int_equal(u32(b + 24), 1514);
	assert_memory_equal(b + 28, data, sizeof(data));
	assert_int_equal(b[28 + 61], 0);	/* padding to 64 */
	v = option(b + 28 + 64, b + n - 4, 2, &len);
	assert_non_null(v);
	assert_int_equal(u32(v), 1);		/* inbound */
	v = option(b + 28 + 64, b + n - 4, 1, &len);
	assert_non_null(v);
	assert_int_equal(len, strlen(comment));
	assert_memory_equal(v, comment, len);

	/* Outbound, no comment: the flags say so, no comment option. */
	n = wr_pcapng_epb(b, sizeof(b), &(struct wr_pcapng_pkt){
		.data = data, .cap_len = 4, .orig_len = 4, .outbound = true });
	block(b, n, 6);
	assert_int_equal(u32(option(b + 32, b + n - 4, 2, &len)), 2);
	assert_null(option(b + 32, b + n - 4, 1, &len));
}

static void test_too_small(void **state)
{
	uint8_t b[64], data[64] = { 0 };
	size_t need;

	(void)state;
	need = wr_pcapng_epb(b, sizeof(b), &(struct wr_pcapng_pkt){
		.data = data, .cap_len = 8, .orig_len = 8 });
	assert_true(need > 0);
	assert_int_equal(wr_pcapng_epb(b, need - 1, &(struct wr_pcapng_pkt){
		.data = data, .cap_len = 8, .orig_len = 8 }), 0);
	assert_int_equal(wr_pcapng_epb(b, sizeof(b), &(struct wr_pcapng_pkt){
		.data = data, .cap_len = 64, .orig_len = 64 }), 0);
	assert_int_equal(wr_pcapng_shb(b, 16, "warren capture"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_packet),
		cmocka_unit_test(test_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
