/* SPDX-License-Identifier: BSD-3-Clause */
/* xdpgen.h - what bench/xdpgen.c and its XDP programs share. */
#ifndef XDPGEN_H
#define XDPGEN_H

/* UDP destination port of the generator's frames (discard); the sink counts these only. */
#define XDPGEN_PORT 9

/*
 * Slots of the per-CPU counter array: the live sink's frames and bytes;
 * the loop's frames that reached the sink's and the generator's side (each
 * one forwarded by the switch once), and those dropped once it stops.
 */
enum {
	XDPGEN_FRAMES,
	XDPGEN_BYTES,
	XDPLOOP_AT_SINK,
	XDPLOOP_AT_GEN,
	XDPLOOP_DRAINED,
	XDPGEN_NCOUNTERS
};

#endif
