/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapng.c - the few pcapng blocks `warren capture` writes (the pcapng
 * draft, IETF opsawg): a section header, one interface (Ethernet,
 * nanosecond timestamps) and enhanced packet blocks with the direction
 * (epb_flags) and a comment (opt_comment): the switch's verdict.
 *
 * libpcap's writer (pcap_dump, libpcap 1.10) writes classic pcap only:
 * no per-packet comment, no direction, microsecond stamps; hence these
 * ~100 lines. Blocks are written in the host's byte order, which the
 * section header's magic tells readers.
 */
#include <string.h>

#include "wr_control.h"

enum {
	BT_SHB = 0x0A0D0D0A,
	BT_IDB = 0x00000001,
	BT_EPB = 0x00000006,
	OPT_END = 0,
	OPT_COMMENT = 1,
	OPT_SHB_USERAPPL = 4,
	OPT_IF_NAME = 2,
	OPT_IF_TSRESOL = 9,
	OPT_EPB_FLAGS = 2,
};

struct out {
	uint8_t *buf;
	size_t size, len;
	bool full;
};

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void put(struct out *o, const void *p, size_t n)
{
	if (o->full || o->size - o->len < pad4(n)) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	memset(o->buf + o->len + n, 0, pad4(n) - n);
	o->len += pad4(n);
}

static void put32(struct out *o, uint32_t v)
{
	put(o, &v, 4);
}

static void put_opt(struct out *o, uint16_t code, const void *v, size_t n)
{
	uint16_t h[2] = { code, (uint16_t)n };

	put(o, h, 4);
	put(o, v, n);
}

/* Opens a block of @type; wr_pcapng_end() writes its length at both ends. */
static size_t begin(struct out *o, uint32_t type)
{
	size_t at = o->len;

	put32(o, type);
	put32(o, 0);
	return at;
}

static size_t end(struct out *o, size_t at)
{
	uint32_t len;

	put32(o, OPT_END);	/* opt_endofopt: code 0, length 0 */
	if (o->full || o->size - o->len < 4)
		return 0;
	len = (uint32_t)(o->len + 4 - at);
	memcpy(o->buf + at + 4, &len, 4);
	put32(o, len);
	return len;
}

size_t wr_pcapng_shb(uint8_t *buf, size_t size, const char *app)
{
	struct out o = { buf, size, 0, false };
	size_t at = begin(&o, BT_SHB);
	uint16_t version[2] = { 1, 0 };
	int64_t section_len = -1;	/* not known: a stream */

	put32(&o, 0x1A2B3C4D);
	put(&o, version, 4);
	put(&o, &section_len, 8);
	put_opt(&o, OPT_SHB_USERAPPL, app, strlen(app));
	return end(&o, at);
}

size_t wr_pcapng_idb(uint8_t *buf, size_t size, uint16_t linktype, uint32_t snaplen,
		     const char *ifname)
{
	struct out o = { buf, size, 0, false };
	size_t at = begin(&o, BT_IDB);
	uint16_t lt[2] = { linktype, 0 };
	uint8_t tsresol = 9;	/* 10^-9 s */

	put(&o, lt, 4);
	put32(&o, snaplen);
	put_opt(&o, OPT_IF_NAME, ifname, strlen(ifname));
	put_opt(&o, OPT_IF_TSRESOL, &tsresol, 1);
	return end(&o, at);
}

size_t wr_pcapng_epb(uint8_t *buf, size_t size, const struct wr_pcapng_pkt *p)
{
	struct out o = { buf, size, 0, false };
	size_t at = begin(&o, BT_EPB);
	/* epb_flags bits 0-1: 1 inbound, 2 outbound. */
	uint32_t flags = p->outbound ? 2 : 1;

	put32(&o, p->if_id);
	put32(&o, (uint32_t)(p->ts_ns >> 32));
	put32(&o, (uint32_t)p->ts_ns);
	put32(&o, p->cap_len);
	put32(&o, p->orig_len);
	put(&o, p->data, p->cap_len);
	put_opt(&o, OPT_EPB_FLAGS, &flags, 4);
	if (p->comment_len)
		put_opt(&o, OPT_COMMENT, p->comment, p->comment_len);
	return end(&o, at);
}
