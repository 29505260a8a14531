/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_priv.h - what lab.c (namespaces, links, settings) and lab_switch.c
 * (the lab's warrend instance) share (control/ only).
 */
#ifndef WR_LAB_PRIV_H
#define WR_LAB_PRIV_H

#include "wr_control.h"

/**
 * The switch of @lab, once its devices exist: start the instance unless it
 * runs, set aging and VLANs, add the ports (warrend prepares their
 * devices). On failure,
 * what this call did is undone (ports it added go, an instance it started
 * stops) and the message names what failed.
 */
int wr_lab_switch_up(const struct wr_lab *lab);

/** Stop an instance the lab started, or remove the lab's ports from one it found. */
int wr_lab_switch_down(const struct wr_lab *lab);

/**
 * Report the switch, its VLAN mappings and ports (wr_lab_status()): each
 * item goes to @report(@st, item).
 */
void wr_lab_switch_status(const struct wr_lab *lab,
			  void (*report)(void *st, struct wr_lab_item *it), void *st);

#endif /* WR_LAB_PRIV_H */
