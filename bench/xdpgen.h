/* SPDX-License-Identifier: BSD-3-Clause */
/* xdpgen.h - what bench/xdpgen.c and its XDP programs share. */
#ifndef XDPGEN_H
#define XDPGEN_H

/* UDP destination port of the generator's frames (discard); the sink counts these only. */
#define XDPGEN_PORT 9

/* Slots of the sink's per-CPU counter array. */
enum { XDPGEN_FRAMES, XDPGEN_BYTES, XDPGEN_NCOUNTERS };

#endif
