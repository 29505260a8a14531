/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lab_priv.h - what lab.c (namespaces, links, settings), lab_vf.c (the
 * VFs it lends) and lab_switch.c (the lab's warrend instance) share
 * (control/ only).
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

/**
 * The first key (a chain's, or hop *@hop's) in which chain.list's chain
 * @have is not what the lab's chain.add @args asks for, defaults counted
 * (lab_chain.c); NULL when it is the same chain. *@hop is -1 for a key of
 * the chain's own.
 */
const char *wr_lab_chain_changed(struct json_object *have, struct json_object *args, int *hop);

/** Stop an instance the lab started, or remove the lab's ports from one it found. */
int wr_lab_switch_down(const struct wr_lab *lab);

/**
 * Report the switch, its VLAN mappings and ports (wr_lab_status()): each
 * item goes to @report(@st, item).
 */
void wr_lab_switch_status(const struct wr_lab *lab,
			  void (*report)(void *st, struct wr_lab_item *it), void *st);

/**
 * Lend VF entry @i of @lab (lab_vf.c): the VF it names, or for `any` the
 * first free one, unless one is lent already as the entry wants (a second
 * `up`). *@vf receives its index. 1 when lent now, 0 when it was already,
 * or -errno with a message.
 */
int wr_lab_vf_lend(const struct wr_lab *lab, size_t i, unsigned int *vf);

/** Release every VF Warren lent to a namespace of @lab; the first failure is returned. */
int wr_lab_vfs_down(const struct wr_lab *lab);

/** Report each VF entry of @lab: lent as it wants, or not (wr_lab_status()). */
void wr_lab_vfs_status(const struct wr_lab *lab,
		       void (*report)(void *st, struct wr_lab_item *it), void *st);

/**
 * Run the `run` commands of each namespace of @lab that `up` made now
 * (@made[i] for lab->ns[i]), in file order (lab_run.c). The first failure
 * is returned, its message naming the command's place in the file, how it
 * ended and the last line it wrote.
 */
int wr_lab_run(const struct wr_lab *lab, const bool *made);

/**
 * The lab's `evpn:` (lab_evpn.c), once its switch runs: FRR's configuration
 * in /run/frr/NETNS unless there is one, zebra and bgpd in NETNS with
 * pathspace NETNS, and for a host warren-evpnd (which makes the anchors),
 * each unless it runs. On failure what runs is stopped again.
 */
int wr_lab_evpn_up(const struct wr_lab *lab);

/** Stop warren-evpnd, bgpd and zebra, and remove /run/frr/NETNS. */
int wr_lab_evpn_down(const struct wr_lab *lab);

#endif /* WR_LAB_PRIV_H */
