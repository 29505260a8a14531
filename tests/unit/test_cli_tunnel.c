/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_tunnel.c - the tunnel commands of the CLI (tunnel, vni, vtep,
 * and fdb add with a remote VTEP) and the steering commands without warrend: each command line into
 * the JSON of its request, every usage error by its text, the synopses
 * made from wr_api.def, and what `tunnel show` and `fdb show` print of
 * warrend's replies, from a fake server in a private $WARREN_RUN_DIR.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli.h"
#include "cli_capture.h"
#include "fake_sock.h"
#include "wr_control.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The command @object @verb of the CLI's tables. */
static const struct wr_cmd *find_cmd(const char *object, const char *verb)
{
	static const struct wr_cmd *const tables[] = { wr_tunnel_cmds, wr_vni_cmds, wr_vtep_cmds,
						       wr_fdb_cmds, wr_steer_cmds, wr_chain_cmds };

	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct wr_cmd *c = tables[t]; c->name; c++)
			if (!strcmp(c->object, object) && !strcmp(c->name, verb))
				return c;
	fail_msg("no command %s %s", object, verb);
	return NULL;
}

struct parse_call {
	const char *line;	/* "tunnel add vx0 ..." */
	struct json_object *args;
	enum wr_api_cmd cmd;
	int ret;
};

/* wr_form_args() on the words of pc->line after OBJECT VERB. */
static int parse_fn(void *arg)
{
	struct parse_call *pc = arg;
	char buf[512], *argv[CAPTURE_ARGV_MAX];
	struct wr_ctx ctx = { .switch_name = "warren" };
	const struct wr_form *f;
	int argc;

	snprintf(buf, sizeof(buf), "%s", pc->line);
	argc = capture_split(buf, argv);
	ctx.cmd = find_cmd(argv[0], argv[1]);
	f = wr_form_find(argv[0], argv[1]);
	if (!f)
		return -1;
	pc->cmd = f->cmd;
	pc->ret = wr_form_args(&ctx, f, argc - 2, argv + 2, &pc->args);
	return pc->ret;
}

/* ---------------------------------------------------------- requests */

static const struct {
	const char *line, *want;
} good[] = {
	{ "tunnel add vx0 underlay u0 local 192.0.2.1",
	  "{\"name\":\"vx0\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\"}" },
	{ "tunnel add gn0 local 2001:db8::1 type geneve underlay u0 dstport 6081 sport 50000-59999 "
	  "udp-csum off",
	  "{\"name\":\"gn0\",\"type\":\"geneve\",\"underlay\":\"u0\",\"local\":\"2001:db8::1\","
	  "\"dstport\":6081,\"sport_min\":50000,\"sport_max\":59999,\"udp_csum\":false}" },
	/* Unique prefixes of keywords and of values; sport N is a range of one. */
	{ "tunnel add vx1 und u0 lo 192.0.2.1 t v d 8472 s 1 ud on",
	  "{\"name\":\"vx1\",\"type\":\"vxlan\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\","
	  "\"dstport\":8472,\"sport_min\":1,\"sport_max\":1,\"udp_csum\":true}" },
	{ "tunnel add gn1 underlay u0 local 192.0.2.1 type geneve options 0102:01:0000abcd,0103:80",
	  "{\"name\":\"gn1\",\"type\":\"geneve\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\","
	  "\"options\":[\"0102:01:0000abcd\",\"0103:80\"]}" },
	{ "tunnel add vx2 underlay u0 local 192.0.2.1 sport 1-65535",
	  "{\"name\":\"vx2\",\"underlay\":\"u0\",\"local\":\"192.0.2.1\",\"sport_min\":1,"
	  "\"sport_max\":65535}" },
	{ "tunnel del vx0", "{\"tunnel\":\"vx0\"}" },
	{ "tunnel show", "{}" },
	{ "tunnel show vx0", "{\"tunnel\":\"vx0\"}" },
	{ "vni set vx0 5010 bd 10", "{\"tunnel\":\"vx0\",\"vni\":5010,\"bd\":10}" },
	{ "vni set vx0 0 bd 4095", "{\"tunnel\":\"vx0\",\"vni\":0,\"bd\":4095}" },
	{ "vni set vx0 16777215 b 1", "{\"tunnel\":\"vx0\",\"vni\":16777215,\"bd\":1}" },
	{ "vni del vx0 5010", "{\"tunnel\":\"vx0\",\"vni\":5010}" },
	{ "vtep add vx0 192.0.2.2", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}" },
	{ "vtep add vx0 2001:db8::2 flood off",
	  "{\"tunnel\":\"vx0\",\"remote\":\"2001:db8::2\",\"flood\":false}" },
	{ "vtep add vx0 192.0.2.3 f on", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.3\",\"flood\":true}" },
	{ "vtep del vx0 192.0.2.2", "{\"tunnel\":\"vx0\",\"remote\":\"192.0.2.2\"}" },
	{ "fdb add 02:00:00:00:00:01 port p1", "{\"mac\":\"02:00:00:00:00:01\",\"port\":\"p1\"}" },
	{ "fdb add 02:00:00:00:00:03 bd 10 remote 192.0.2.2 port vx0",
	  "{\"mac\":\"02:00:00:00:00:03\",\"port\":\"vx0\",\"remote\":\"192.0.2.2\",\"bd\":10}" },
	{ "steer add mac 02:00:00:00:00:0b port vf1",
	  "{\"mac\":\"02:00:00:00:00:0b\",\"port\":\"vf1\"}" },
	{ "steer add port cap0 vlan 100", "{\"vlan\":100,\"port\":\"cap0\"}" },
	{ "steer add vn 16777215 p vf2", "{\"vni\":16777215,\"port\":\"vf2\"}" },
	{ "steer del vlan 4094", "{\"vlan\":4094}" },
	{ "steer del vni 0", "{\"vni\":0}" },
	{ "steer show", "{}" },
	{ "steer show vf1", "{\"port\":\"vf1\"}" },
	{ "chain add web bd 1 dst-port 80 proto 6 hop in=a,out=b",
	  "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"dst_port\":80,"
	  "\"hops\":[{\"in\":\"a\",\"out\":\"b\"}]}" },
	{ "chain add web hop in=a,out=b,fail=closed bd 2 src 10.0.0.0/8 src-port 1000-2000 "
	  "hop out=d,in=c,kind=l2 priority 7 in-port cl",
	  "{\"name\":\"web\",\"bd\":2,\"priority\":7,\"in_port\":\"cl\","
	  "\"src\":\"10.0.0.0\\/8\",\"src_port\":\"1000-2000\",\"hops\":[{\"in\":\"a\","
	  "\"out\":\"b\",\"fail\":\"closed\"},{\"out\":\"d\",\"in\":\"c\",\"kind\":\"l2\"}]}" },
	/* A probe's keys in the hop, in the CLI's words or the API's. */
	{ "chain add web bd 1 proto 6 hop in=a,out=b,probe=tcp,target=10.0.0.9,target-port=80,"
	  "netns=h1,interval-ms=200,timeout_ms=100,fails=2,passes=1",
	  "{\"name\":\"web\",\"bd\":1,\"proto\":6,\"hops\":[{\"in\":\"a\",\"out\":\"b\","
	  "\"probe\":\"tcp\",\"target\":\"10.0.0.9\",\"target_port\":80,\"netns\":\"h1\","
	  "\"interval_ms\":200,\"timeout_ms\":100,\"fails\":2,\"passes\":1}]}" },
	/* A router hop's MACs. */
	{ "chain add rt bd 1 dst 10.1.0.0/16 hop in=a,out=b,kind=l3,in-mac=02:00:00:00:00:01,"
	  "out_mac=02:00:00:00:00:02",
	  "{\"name\":\"rt\",\"bd\":1,\"dst\":\"10.1.0.0\\/16\",\"hops\":[{\"in\":\"a\",\"out\":\"b\","
	  "\"kind\":\"l3\",\"in_mac\":\"02:00:00:00:00:01\",\"out_mac\":\"02:00:00:00:00:02\"}]}" },
	{ "chain del web", "{\"chain\":\"web\"}" },
	{ "chain show", "{}" },
	{ "chain show web", "{\"chain\":\"web\"}" },
	{ "chain hop web 1 down", "{\"chain\":\"web\",\"hop\":1,\"state\":\"down\"}" },
};

static void test_requests(void **state)
{
	struct captured c;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct parse_call pc = { .line = good[i].line };
		const char *got;

		if (capture(parse_fn, &pc, &c))
			fail_msg("'%s' refused: %s", good[i].line, c.err);
		got = json_object_to_json_string_ext(pc.args, JSON_C_TO_STRING_PLAIN);
		if (strcmp(got, good[i].want))
			fail_msg("'%s': %s, want %s", good[i].line, got, good[i].want);
		/* What the CLI sends, warrend's check takes. */
		assert_int_equal(wr_api_check(pc.cmd, pc.args, c.err, sizeof(c.err)), 0);
		json_object_put(pc.args);
	}
}

/* -------------------------------------------------------- usage errors */

static const struct {
	const char *line, *want;
} bad[] = {
	{ "tunnel add", "expected NAME: the tunnel's name (no port's)" },
	{ "tunnel add vx0", "'underlay PORT' is missing: the afxdp port on the device that has 'local'" },
	{ "tunnel add vx0 underlay u0", "'local ADDR' is missing: the local VTEP address, IPv4 or IPv6" },
	{ "tunnel add vx0 underlay u0 local 1.2.3",
	  "local '1.2.3': a unicast IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1" },
	{ "tunnel add vx0 underlay u0 local 0.0.0.0", "local '0.0.0.0': a unicast IPv4 or IPv6" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 sport 9-3",
	  "sport: '9-3' ends below its start (LO-HI, LO <= HI)" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 sport x",
	  "sport: 'x' is not LO-HI or N, each from 1 to 65535" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 sport 0-5",
	  "sport: '0-5' is not LO-HI or N, each from 1 to 65535" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 sport 5-65536",
	  "sport: '5-65536' is not LO-HI or N" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 type x",
	  "unknown type 'x' (expected one of: vxlan, geneve)" },
	{ "tunnel add a/b underlay u0 local 192.0.2.1", "NAME: 'a/b': port name may not contain '/'" },
	{ "tunnel add abcdefghijklmnop underlay u0 local 192.0.2.1",
	  "NAME: 'abcdefghijklmnop': port name is 16 bytes, at most 15 are allowed" },
	{ "tunnel add vx0 underlay u/0 local 192.0.2.1", "underlay: 'u/0': port name may not contain '/'" },
	{ "tunnel add vx0 u u0", "keyword 'u' is ambiguous: underlay, udp-csum" },
	{ "tunnel add vx0 mtu 1500", "unknown keyword 'mtu' (expected one of: type, underlay, local, "
	  "dstport, sport, options, known-options, learn-vteps, udp-csum)" },
	{ "tunnel add gn0 underlay u0 local 192.0.2.1 type geneve options 0102:zz",
	  "options[0] '0102:zz': a Geneve option CLASS:TYPE[:DATA] in hex" },
	{ "tunnel add gn0 underlay u0 local 192.0.2.1 type geneve options 0102:01:abc",
	  "options[0] '0102:01:abc': a Geneve option" },
	{ "tunnel add gn0 underlay u0 local 192.0.2.1 type geneve options "
	  "1:1:00000000000000000000000000000000000000000000000000000000000000000000000000000000,"
	  "2:2:00000000",
	  "options: 52 bytes of options with their headers, at most 48" },
	{ "tunnel add vx0 underlay u0 underlay u1", "'underlay' given twice" },
	{ "tunnel add vx0 underlay u0 local", "'local' needs a value" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 dstport 0",
	  "dstport: '0' is not a number from 1 to 65535" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 dstport 65536",
	  "dstport: '65536' is not a number from 1 to 65535" },
	{ "tunnel add vx0 underlay u0 local 192.0.2.1 udp-csum yes",
	  "unknown udp-csum 'yes' (expected one of: on, off)" },
	{ "tunnel del", "expected NAME: the tunnel" },
	{ "tunnel del vx0 foo", "unexpected 'foo' after NAME" },
	{ "tunnel show vx0 foo", "unexpected 'foo' after NAME" },
	{ "tunnel show a:b", "NAME: 'a:b': port name may not contain ':'" },
	{ "vni set", "expected TUNNEL: the tunnel" },
	{ "vni set vx0", "expected VNI: the VNI" },
	{ "vni set vx0 5010", "'bd N' is missing: its bridge domain (one VNI per domain and tunnel)" },
	{ "vni set vx0 99999999 bd 1", "VNI: '99999999' is not a number from 0 to 16777215" },
	{ "vni set vx0 16777216 bd 1", "VNI: '16777216' is not a number from 0 to 16777215" },
	{ "vni set vx0 -1 bd 1", "VNI: '-1' is not a number from 0 to 16777215" },
	{ "vni set vx0 10 bd 0", "bd: '0' is not a number from 1 to 4095" },
	{ "vni set vx0 10 bd 4096", "bd: '4096' is not a number from 1 to 4095" },
	{ "vni set vx0 10 bd", "'bd' needs a value" },
	{ "vni del vx0", "expected VNI: the VNI" },
	{ "vni del vx0 1 bd 2", "unexpected 'bd' after VNI" },
	{ "vtep add vx0", "expected REMOTE: its address, of the tunnel's family" },
	{ "vtep add vx0 224.0.0.1", "REMOTE '224.0.0.1': a unicast IPv4 or IPv6 address" },
	{ "vtep add vx0 ff02::1", "REMOTE 'ff02::1': a unicast IPv4 or IPv6 address" },
	{ "vtep add vx0 255.255.255.255", "REMOTE '255.255.255.255': a unicast" },
	{ "vtep add vx0 192.0.2.2 flood maybe", "unknown flood 'maybe' (expected one of: on, off)" },
	{ "vtep add vx0 192.0.2.2 flood on flood off", "'flood' given twice" },
	{ "vtep del vx0 host", "REMOTE 'host': a unicast IPv4 or IPv6 address" },
	{ "fdb add", "expected MAC: a unicast MAC, '02:00:00:00:00:01'" },
	{ "fdb add 02:00:00:00:00:01", "'port PORT' is missing: the port, or a tunnel with 'remote'" },
	{ "fdb add zz port p1", "MAC 'zz': a MAC address such as 02:00:00:00:00:01" },
	{ "fdb add 02:00:00:00:00:01 port vx0 remote 1.2.3.4.5",
	  "remote '1.2.3.4.5': a unicast IPv4 or IPv6 address" },
	{ "fdb add 02:00:00:00:00:01 port vx0 remote", "'remote' needs a value" },
	{ "fdb add 02:00:00:00:00:01 port vx0 bd 0", "bd: '0' is not a number from 1 to 4095" },
	{ "steer add port vf1", "one of 'mac', 'vlan' or 'vni' is required" },
	{ "steer add vlan 10", "'port PORT' is missing: where they go" },
	{ "steer add vlan 10 mac 02:00:00:00:00:01 port vf1", "vlan: with 'mac': give one of 'mac', "
	  "'vlan' or 'vni'" },
	{ "steer add vlan 4095 port vf1", "vlan: '4095' is not a number from 1 to 4094" },
	{ "steer add vni 16777216 port vf1", "vni: '16777216' is not a number from 0 to 16777215" },
	{ "steer add mac 02:00:00:00:00 port vf1", "mac '02:00:00:00:00': a MAC address" },
	{ "steer add v 10 port vf1", "keyword 'v' is ambiguous: vlan, vni" },
	{ "steer del", "one of 'mac', 'vlan' or 'vni' is required" },
	{ "steer del vlan 10 port vf1", "unknown keyword 'port' (expected one of: mac, vlan, vni)" },
	{ "steer show vf1 x", "unexpected 'x' after PORT" },
	{ "chain add web bd 1 proto 6", "'hop in=PORT,out=PORT[,KEY=VALUE]...' is missing" },
	{ "chain add web bd 1 proto 6 hop in=a", "hops[0].out: required" },
	{ "chain add web bd 1 proto 6 hop in=a,out=b,via=c", "hop 'in=a,out=b,via=c': KEY=VALUE, "
	  "by commas, of in, out, kind, in-mac, out-mac, fail, probe, target, target-port, netns, interval-ms, "
	  "timeout-ms, fails, passes" },
	{ "chain add web bd 1 proto 6 hop in=a,out=b,probe=ping,target=10.0.0.9",
	  "hops[0].netns: required by 'probe'" },
	{ "chain add web bd 1 proto 6 hop in=a,out=b,fail=maybe", "unknown fail 'maybe' (expected "
	  "one of: open, closed)" },
	{ "chain add web bd 1 src 10.0.0.1/8 hop in=a,out=b", "src '10.0.0.1/8': an IPv4 or IPv6 "
	  "prefix" },
	{ "chain add web bd 1 dst-port 9-8 hop in=a,out=b", "dst-port: N or \"LO-HI\"" },
	{ "chain hop web 1 sideways", "unknown up|down 'sideways'" },
	{ "chain hop web 8 up", "HOP: '8' is not a number from 0 to 7" },
};

static void test_usage(void **state)
{
	struct captured c;
	char head[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parse_call pc = { .line = bad[i].line };

		if (capture(parse_fn, &pc, &c) != WR_EXIT_USAGE || !strstr(c.err, bad[i].want))
			fail_msg("'%s': want usage error '%s', got %d: %s", bad[i].line, bad[i].want,
				 pc.ret, c.err);
		assert_null(pc.args);
		/* Each names its command and says where to read more. */
		snprintf(head, sizeof(head), "warren %.*s: ",
			 (int)(strchr(strchr(bad[i].line, ' ') + 1, ' ') ?
			       strchr(strchr(bad[i].line, ' ') + 1, ' ') - bad[i].line :
			       (long)strlen(bad[i].line)), bad[i].line);
		if (!strstr(c.err, head) || !strstr(c.err, "--help'."))
			fail_msg("'%s': %s", bad[i].line, c.err);
	}
}

/* ------------------------------------------------------------ synopses */

static void test_synopses(void **state)
{
	static const struct {
		const char *object, *verb, *synopsis;
	} cases[] = {
		{ "tunnel", "add", "tunnel add NAME underlay PORT local ADDR [type vxlan|geneve] "
		  "[dstport N] [sport LO-HI] [options OPTIONS] [known-options OPTIONS] [learn-vteps on|off] [udp-csum on|off]" },
		{ "tunnel", "del", "tunnel del NAME" },
		{ "tunnel", "show", "tunnel show [NAME]" },
		{ "vni", "set", "vni set TUNNEL VNI bd N" },
		{ "vni", "del", "vni del TUNNEL VNI" },
		{ "vtep", "add", "vtep add TUNNEL REMOTE [flood on|off]" },
		{ "vtep", "del", "vtep del TUNNEL REMOTE" },
		{ "fdb", "add", "fdb add MAC port PORT [remote ADDR] [bd N]" },
		{ "steer", "add", "steer add {mac MAC | vlan N | vni N} port PORT" },
		{ "steer", "del", "steer del {mac MAC | vlan N | vni N}" },
		{ "steer", "show", "steer show [PORT]" },
		{ "chain", "add", "chain add NAME bd N hop in=PORT,out=PORT[,KEY=VALUE]... "
		  "[priority N] [in-port PORT] [vlan N] [src-mac MAC] [dst-mac MAC] [src PREFIX] "
		  "[dst PREFIX] [proto N] [src-port LO-HI] [dst-port LO-HI]" },
		{ "chain", "del", "chain del CHAIN" },
		{ "chain", "show", "chain show [CHAIN]" },
		{ "chain", "hop", "chain hop CHAIN HOP up|down" },
	};
	const struct wr_cmd *c;
	size_t n;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		c = find_cmd(cases[i].object, cases[i].verb);
		assert_string_equal(c->synopsis, cases[i].synopsis);
		/* An ARGUMENTS entry per positional and keyword, each with a help text. */
		for (n = 0; c->args[n].name; n++)
			assert_true(strlen(c->args[n].help) > 4);
		assert_true(n >= 1);
	}
	c = find_cmd("tunnel", "add");
	assert_string_equal(c->args[5].name, "sport LO-HI");
	assert_non_null(strstr(c->args[5].help, "LO is the lowest UDP source port, chosen by the "
				"inner flow (default 49152), HI the highest (default 65535); each 1 to "
				"65535"));
	assert_string_equal(c->args[2].name, "local ADDR");
	assert_non_null(strstr(c->args[1].help, "the device that has 'local'"));
}

/* ------------------------------------------- show, against a fake warrend */

static char dir[64];

/* Answers every request with @result; keeps the last request line. */
struct fake {
	struct fake_sock fs;
	const char *result;
	char last[1024];
};

static bool answer(void *arg, FILE *f, const char *line)
{
	struct json_object *req = json_tokener_parse(line), *id = NULL;
	struct fake *fk = arg;

	snprintf(fk->last, sizeof(fk->last), "%s", line);
	json_object_object_get_ex(req, "id", &id);
	fprintf(f, "{\"v\": 1, \"id\": %s, \"ok\": true, \"result\": %s}\n",
		json_object_to_json_string(id), fk->result);
	json_object_put(req);
	return true;
}

static void fake_start(struct fake *fk, const char *result)
{
	char path[sizeof(fk->fs.path)];

	memset(fk, 0, sizeof(*fk));
	fk->result = result;
	snprintf(path, sizeof(path), "%s/t.sock", dir);
	fake_sock_start(&fk->fs, path, answer, fk);
}

static void fake_stop(struct fake *fk)
{
	fake_sock_stop(&fk->fs);
}

struct run_call {
	const char *line;
	bool json;
};

/* The command of @line run against instance "t", as main() runs it. */
static int run_fn(void *arg)
{
	struct run_call *rc = arg;
	char buf[512], *argv[CAPTURE_ARGV_MAX];
	struct wr_ctx ctx = { .switch_name = "t", .json = rc->json };
	int argc;

	snprintf(buf, sizeof(buf), "%s", rc->line);
	argc = capture_split(buf, argv);
	ctx.cmd = find_cmd(argv[0], argv[1]);
	wr_cli_print_start(&ctx);
	return ctx.cmd->run(&ctx, argc - 2, argv + 2);
}

static const char tunnels[] =
	"{\"tunnels\": [{\"name\": \"vx0\", \"type\": \"vxlan\", \"underlay\": \"u0\", "
	"\"local\": \"192.0.2.1\", \"dstport\": 4789, \"sport_min\": 49152, \"sport_max\": 65535, "
	"\"udp_csum\": true, \"mtu\": 1500, \"tenant_mtu\": 1450, "
	"\"vnis\": [{\"vni\": 5010, \"bd\": 10}, {\"vni\": 5020, \"bd\": 20}], "
	"\"vteps\": [{\"remote\": \"192.0.2.2\", \"flood\": true, \"port\": 5, "
	"\"nexthop\": {\"resolved\": true, \"mac\": \"02:00:00:00:00:0b\", \"via\": \"192.0.2.2\", "
	"\"dev\": \"eth0\", \"why\": \"\"}, \"rx_pkts\": 1, \"rx_bytes\": 2, \"tx_pkts\": 3, "
	"\"tx_bytes\": 4, \"drops\": 5}, "
	"{\"remote\": \"192.0.2.9\", \"flood\": false, \"learned\": true, \"port\": 6, "
	"\"nexthop\": {\"resolved\": false, \"mac\": \"\", \"via\": \"\", \"dev\": \"\", "
	"\"why\": \"no route to 192.0.2.9\"}, \"rx_pkts\": 0, \"rx_bytes\": 0, \"tx_pkts\": 0, "
	"\"tx_bytes\": 0, \"drops\": 7}]}, "
	"{\"name\": \"gn0\", \"type\": \"geneve\", \"underlay\": \"u1\", \"local\": \"2001:db8::1\", "
	"\"dstport\": 6081, \"sport_min\": 1000, \"sport_max\": 2000, \"udp_csum\": true, "
	"\"mtu\": 9000, \"tenant_mtu\": 8930, \"vnis\": [], \"options\": [\"0102:01:deadbeef\"], "
	"\"options_rx\": [{\"class\": \"0102\", \"type\": \"01\", \"pkts\": 7}], "
	"\"options_rx_other\": 2, \"vteps\": []}]}";

static void test_tunnel_show(void **state)
{
	struct run_call rc = { .line = "tunnel show" };
	struct captured c;
	struct fake fk;

	(void)state;
	fake_start(&fk, tunnels);
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"tunnel.list\""));
	assert_string_equal(c.out,
		"NAME            TYPE   UNDERLAY        LOCAL                                   "
		"DSTPORT VNIS                     VTEPS\n"
		"vx0             vxlan  u0              192.0.2.1                               "
		"4789    5010:10,5020:20          2\n"
		"    sport 49152-65535 udp-csum on mtu 1500 tenant-mtu 1450\n"
		"    vtep 192.0.2.2 flood on: next hop 02:00:00:00:00:0b via 192.0.2.2 dev eth0; "
		"rx 1 pkts 2 bytes, tx 3 pkts 4 bytes, 5 drops\n"
		"    vtep 192.0.2.9 (learned) flood off: next hop unresolved: no route to 192.0.2.9; "
		"rx 0 pkts 0 bytes, tx 0 pkts 0 bytes, 7 drops\n"
		"gn0             geneve u1              2001:db8::1                             "
		"6081    -                        0\n"
		"    sport 1000-2000 udp-csum on mtu 9000 tenant-mtu 8930\n"
		"    options sent 0102:01:deadbeef\n"
		"    options received 0102:01 7 other 2\n");

	/* One tunnel: its name goes in the request; -j prints the reply as it is. */
	rc = (struct run_call){ .line = "tunnel show vx0", .json = true };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"tunnel.list\""));
	assert_non_null(strstr(fk.last, "\"args\":{\"tunnel\":\"vx0\"}"));
	assert_non_null(strstr(c.out, "\"tenant_mtu\":1450"));
	assert_non_null(strstr(c.out, "\"why\":\"no route to 192.0.2.9\""));
	assert_non_null(strstr(c.out, "\"vnis\":[{\"vni\":5010,\"bd\":10}"));
	fake_stop(&fk);
}

static void test_fdb_show(void **state)
{
	struct run_call rc = { .line = "fdb show" };
	struct captured c;
	struct fake fk;

	(void)state;
	fake_start(&fk, "{\"entries\": [{\"bd\": 10, \"mac\": \"02:00:00:00:00:01\", "
		   "\"port\": \"p1\", \"static\": false, \"age_s\": 3}, "
		   "{\"bd\": 10, \"mac\": \"02:00:00:00:00:0b\", \"port\": \"vx0\", "
		   "\"remote\": \"192.0.2.2\", \"static\": true, \"age_s\": 0}], "
		   "\"count\": 2, \"max\": 65536}");
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_string_equal(c.out,
		"BD   MAC               PORT            TYPE   AGE      REMOTE\n"
		"10   02:00:00:00:00:01 p1              learnt 3 s      -\n"
		"10   02:00:00:00:00:0b vx0             static -        192.0.2.2\n"
		"2 entries (the FDB holds 65536 at most)\n");

	/* The commands that change something send their request and print nothing. */
	rc = (struct run_call){ .line = "fdb add 02:00:00:00:00:0b port vx0 remote 192.0.2.2" };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"fdb.add\",\"args\":{\"mac\":\"02:00:00:00:00:0b\","
			       "\"port\":\"vx0\",\"remote\":\"192.0.2.2\"}"));
	assert_string_equal(c.out, "");
	rc = (struct run_call){ .line = "vni set vx0 5010 bd 10" };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"vni.set\",\"args\":{\"tunnel\":\"vx0\","
			       "\"vni\":5010,\"bd\":10}"));
	/* A usage error sends nothing. */
	fk.last[0] = '\0';
	rc = (struct run_call){ .line = "vtep add vx0 nowhere" };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_USAGE);
	assert_string_equal(fk.last, "");
	fake_stop(&fk);
}

static void test_steer_show(void **state)
{
	struct run_call rc = { .line = "steer show" };
	struct captured c;
	struct fake fk;

	(void)state;
	fake_start(&fk, "{\"rules\": [{\"id\": 0, \"mac\": \"02:00:00:00:00:0b\", \"port\": \"vf1\", "
		   "\"active\": true, \"pkts\": 1200, \"bytes\": 76800}, "
		   "{\"id\": 3, \"vlan\": 100, \"port\": \"cap0\", \"active\": false, \"pkts\": 0, "
		   "\"bytes\": 0}, {\"id\": 4, \"vni\": 0, \"port\": \"vf2\", \"active\": true, "
		   "\"pkts\": 1, \"bytes\": 60}], \"count\": 3, \"max\": 4096}");
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"steer.list\""));
	assert_string_equal(c.out,
		"ID    MATCH                  PORT            STATE            PKTS          BYTES\n"
		"0     mac 02:00:00:00:00:0b  vf1             active           1200          76800\n"
		"3     vlan 100               cap0            inactive            0              0\n"
		"4     vni 0                  vf2             active              1             60\n"
		"3 rules (at most 4096)\n");
	rc = (struct run_call){ .line = "steer show vf1", .json = true };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"args\":{\"port\":\"vf1\"}"));
	assert_non_null(strstr(c.out, "\"pkts\":1200"));
	rc = (struct run_call){ .line = "steer add vlan 100 port cap0" };
	assert_int_equal(capture(run_fn, &rc, &c), WR_EXIT_OK);
	assert_non_null(strstr(fk.last, "\"cmd\":\"steer.add\",\"args\":{\"vlan\":100,\"port\":\"cap0\"}"));
	fake_stop(&fk);
}

static int setup(void **state)
{
	(void)state;
	return fake_run_dir(dir, sizeof(dir), "/tmp/wr-cli-tunnel.XXXXXX");
}

static int teardown(void **state)
{
	char path[sizeof(dir) + 16];

	(void)state;
	snprintf(path, sizeof(path), "%s/t.sock", dir);
	unlink(path);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_synopses),
		cmocka_unit_test(test_tunnel_show),
		cmocka_unit_test(test_fdb_show),
		cmocka_unit_test(test_steer_show),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
