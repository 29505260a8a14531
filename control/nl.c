/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nl.c - rtnetlink sockets inside named namespaces, and the kernel's own
 * words (extended ack) when a request fails.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netlink/msg.h>

#include "nl_priv.h"
#include "wr_control.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

/* What the kernel said about the last failed request. */
static char extack[256];
static int last_errno;

/*
 * libnl 3.7 has no extack API; the error callback sees the whole NLMSG_ERROR
 * message, whose TLVs (after the capped original request) carry the text.
 */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;
	int rem;

	(void)who;
	(void)arg;
	extack[0] = '\0';
	last_errno = -e->error;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) && off < hdr->nlmsg_len) {
		rem = (int)(hdr->nlmsg_len - off);
		nla_for_each_attr(a, (struct nlattr *)((char *)hdr + off), rem, rem) {
			if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0) {
				snprintf(extack, sizeof(extack), "%.*s",
					 nla_len(a), (const char *)nla_data(a));
				/* The kernel ends its text with a NUL or nothing. */
				extack[strcspn(extack, "\n")] = '\0';
			}
		}
	}
	return -nl_syserr2nlerr(e->error);
}

int wr_nl_open(const char *netns, struct nl_sock **out)
{
	struct nl_sock *sk;
	struct nl_cb *cb;
	int saved = -1, one = 1, err;

	sk = nl_socket_alloc();
	if (!sk)
		return wr_err_set(-ENOMEM, "netlink: socket: out of memory");
	err = wr_netns_enter(netns, &saved);
	if (err)
		goto end_free;
	err = nl_connect(sk, NETLINK_ROUTE);
	wr_netns_leave(saved);
	if (err) {
		err = wr_nl_err(err, "netlink: connect");
		goto end_free;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	cb = nl_socket_get_cb(sk);	/* takes a reference */
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, NULL);
	nl_cb_put(cb);
	*out = sk;
	return 0;

end_free:
	nl_socket_free(sk);
	return err;
}

void wr_nl_close(struct nl_sock *sk)
{
	nl_socket_free(sk);
}

const char *wr_nl_extack(void)
{
	return extack;
}

/* libnl folds errnos into its own codes; go back for messages and callers. */
static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_EXIST: return EEXIST;
	case NLE_NOMEM: return ENOMEM;
	case NLE_INVAL: return EINVAL;
	case NLE_RANGE: return ERANGE;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND: return ENOENT;
	case NLE_NODEV: return ENODEV;
	case NLE_PERM: return EPERM;
	case NLE_NOACCESS: return EACCES;
	case NLE_BUSY: return EBUSY;
	case NLE_AGAIN: return EAGAIN;
	case NLE_MSGSIZE: return EMSGSIZE;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	default: return EIO;
	}
}

int wr_nl_err(int nlerr, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int e;

	/*
	 * The error callback kept the kernel's errno, more precise than libnl's
	 * code; it is used only if it is the one behind this code.
	 */
	if (last_errno && nl_syserr2nlerr(last_errno) == (nlerr < 0 ? -nlerr : nlerr))
		e = last_errno;
	else
		e = nlerr_to_errno(nlerr), extack[0] = '\0';
	last_errno = 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (extack[0]) {
		wr_err_set(-e, "%s: %s (%s)", what, strerror(e), extack);
		extack[0] = '\0';
	} else {
		wr_err_set(-e, "%s: %s", what, strerror(e));
	}
	return -e;
}
