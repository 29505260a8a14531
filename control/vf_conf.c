/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vf_conf.c - a VF's settings as people write them: the keywords and value
 * spellings of `warren vf set|attach` and of a lab file's `vfs:` entries,
 * which both parse through wr_vf_conf_put(), and the checks of a whole set.
 * Nothing here touches the system (the lab file's fuzz target links it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wr_control.h"

static const char *const state_names[] = {
	[WR_VF_STATE_AUTO] = "auto",
	[WR_VF_STATE_ENABLE] = "enable",
	[WR_VF_STATE_DISABLE] = "disable",
	NULL,
};

const char *wr_vf_state_name(int state)
{
	return state >= 0 && state <= WR_VF_STATE_DISABLE ? state_names[state] : NULL;
}

int wr_vf_state_parse(const char *name)
{
	for (int i = 0; i <= WR_VF_STATE_DISABLE; i++)
		if (name && !strcmp(name, state_names[i]))
			return i;
	return wr_err_set(-EINVAL, "VF link state '%s' is unknown (expected one of: auto, "
			  "enable, disable)", name ? name : "");
}

void wr_vf_conf_init(struct wr_vf_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->proto = WR_VF_PROTO_8021Q;
	c->min_rate = c->max_rate = -1;
	c->spoofchk = c->trust = c->link_state = c->rss_query = -1;
}

int wr_vf_conf_check(const struct wr_vf_conf *c)
{
	if (!c->has_mac && !c->has_vlan && c->min_rate < 0 && c->max_rate < 0 &&
	    c->spoofchk < 0 && c->trust < 0 && c->link_state < 0 && c->rss_query < 0)
		return wr_err_set(-EINVAL, "no VF setting given");
	if (c->has_vlan) {
		if (c->vlan > 4095)
			return wr_err_set(-EINVAL, "VLAN %u out of range (0..4095)", c->vlan);
		if (c->qos > 7)
			return wr_err_set(-EINVAL, "QoS %u out of range (0..7)", c->qos);
		if (c->proto != WR_VF_PROTO_8021Q && c->proto != WR_VF_PROTO_8021AD)
			return wr_err_set(-EINVAL, "VLAN protocol 0x%04x unknown (802.1Q or 802.1ad)",
					  c->proto);
		if (!c->vlan && c->qos)
			return wr_err_set(-EINVAL, "QoS %u needs a VLAN", c->qos);
	}
	if (c->min_rate > UINT32_MAX || c->max_rate > UINT32_MAX)
		return wr_err_set(-EINVAL, "rate out of range (0..4294967295 Mbit/s)");
	if (c->min_rate > 0 && c->max_rate > 0 && c->min_rate > c->max_rate)
		return wr_err_set(-EINVAL, "min_rate %lld is above max_rate %lld",
				  (long long)c->min_rate, (long long)c->max_rate);
	if (c->link_state > WR_VF_STATE_DISABLE || c->spoofchk > 1 || c->trust > 1 ||
	    c->rss_query > 1)
		return wr_err_set(-EINVAL, "VF setting out of range");
	return 0;
}

/* One list: wr_vf_conf_put() looks keywords up in it, help and lab files name them from it. */
const char *const wr_vf_conf_keys[] = {
	"mac", "vlan", "qos", "proto", "min_rate", "max_rate", "rate", "min_tx_rate",
	"max_tx_rate", "spoofchk", "trust", "state", "query_rss", NULL,
};

static const char *const on_off[] = { "on", "off", NULL };
static const char *const protos[] = { "802.1Q", "802.1ad", NULL };

/* The index of @v in @words, or -EINVAL with "KW: 'V' is not one of: A, B". */
static int word(const char *kw, const char *v, const char *const *words)
{
	char list[64];
	size_t o = 0;
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(v, words[i]))
			return i;
	list[0] = '\0';
	for (i = 0; words[i] && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", words[i]);
	return wr_err_set(-EINVAL, "%s: '%s' is not one of: %s", kw, v, list);
}

/* A decimal number @min..@max, as the CLI reads its numbers. */
static int number(const char *kw, const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	if (v[0] < '0' || v[0] > '9')
		goto bad;
	/* ERANGE: where long is 32 bits, 2^32 would read as 4294967295. */
	errno = 0;
	*out = strtoul(v, &end, 10);
	if (!*end && !errno && *out <= max)
		return 0;
bad:
	return wr_err_set(-EINVAL, "%s: '%s' is not a number from 0 to %lu", kw, v, max);
}

static int rate(const char *kw, const char *v, int64_t *out)
{
	unsigned long r;

	if (*out >= 0)
		return wr_err_set(-EINVAL, "'%s' given twice (rate is max_rate)", kw);
	if (number(kw, v, 4294967295UL, &r))
		return -EINVAL;
	*out = (int64_t)r;
	return 0;
}

static int flag(const char *kw, const char *v, int *out)
{
	int i = word(kw, v, on_off);

	if (i < 0)
		return i;
	*out = i == 0;
	return 0;
}

int wr_vf_conf_put(struct wr_vf_conf *c, const char *kw, const char *v)
{
	unsigned long n;
	size_t k;
	int w;

	for (k = 0; wr_vf_conf_keys[k] && strcmp(kw, wr_vf_conf_keys[k]); k++)
		;
	if (!wr_vf_conf_keys[k])
		return 1;	/* not a setting */
	if (!strcmp(kw, "mac")) {
		if (wr_parse_mac(v, c->mac))
			return wr_err_set(-EINVAL, "mac: %s", wr_err_msg());
		c->has_mac = true;
	} else if (!strcmp(kw, "vlan") || !strcmp(kw, "qos")) {
		bool vlan = kw[0] == 'v';

		if (number(kw, v, vlan ? 4095 : 7, &n))
			return -EINVAL;
		if (vlan) {
			c->has_vlan = true;
			c->vlan = (uint16_t)n;
		} else {
			c->qos = (uint8_t)n;
		}
	} else if (!strcmp(kw, "proto")) {
		w = word(kw, v, protos);
		if (w < 0)
			return w;
		c->proto = w ? WR_VF_PROTO_8021AD : WR_VF_PROTO_8021Q;
	} else if (!strcmp(kw, "min_rate") || !strcmp(kw, "min_tx_rate")) {
		return rate(kw, v, &c->min_rate);
	} else if (strstr(kw, "rate")) {
		return rate(kw, v, &c->max_rate);
	} else if (!strcmp(kw, "spoofchk")) {
		return flag(kw, v, &c->spoofchk);
	} else if (!strcmp(kw, "trust")) {
		return flag(kw, v, &c->trust);
	} else if (!strcmp(kw, "query_rss")) {
		return flag(kw, v, &c->rss_query);
	} else {
		w = word(kw, v, state_names);
		if (w < 0)
			return w;
		c->link_state = w;
	}
	return 0;
}

int wr_vf_conf_finish(const struct wr_vf_conf *c, bool qos_or_proto)
{
	if (!c->has_vlan && qos_or_proto)
		return wr_err_set(-EINVAL, "'qos' and 'proto' go with 'vlan'");
	if (c->has_vlan && wr_vf_conf_check(c))
		return -EINVAL;
	if (c->min_rate > 0 && c->max_rate > 0 && c->min_rate > c->max_rate)
		return wr_err_set(-EINVAL, "min_rate %lld is above max_rate %lld",
				  (long long)c->min_rate, (long long)c->max_rate);
	return 0;
}
