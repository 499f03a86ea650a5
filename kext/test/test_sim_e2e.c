/*
 * kextsim end to end: starts the real simulator (sanitizers on) and speaks
 * the wire protocol to it over its SEQPACKET socket, as the daemon would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kextbridge/frame.h>
#include <kextbridge/pb.h>

#include "check.h"

static char sock_path[108];
static uint8_t rbuf[1 << 17];

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Starts kextsim with extra arguments; waits for its ready line. */
static pid_t start_sim(const char *const *extra)
{
	const char *bin = getenv("KEXTSIM") ? getenv("KEXTSIM") : "build/kextsim-asan";
	const char *argv[24];
	char line[512];
	int pipefd[2], n = 0, i;
	FILE *out;
	pid_t pid;

	argv[n++] = bin;
	argv[n++] = "--socket";
	argv[n++] = sock_path;
	for (i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = 0;
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0) {
		perror("test_sim_e2e: fork");
		exit(1);
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		if (!getenv("KB_TEST_VERBOSE"))
			freopen("/dev/null", "w", stderr);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	if (!fgets(line, sizeof(line), out) || strncmp(line, "KEXTSIM READY {", 15) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, 0, 0);
		fclose(out);
		/*
		 * Stop here: every caller would otherwise signal pid -1, which
		 * kill(2) takes as "every process we may signal" (as root: all).
		 */
		fprintf(stderr, "test_sim_e2e: %s did not start (is it built?)\n", bin);
		exit(1);
	}
	fclose(out);
	return pid;
}

static int stop_sim(pid_t pid)
{
	int status = 0;

	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int connect_sim(void)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, sock_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_frame(int fd, uint8_t type, uint32_t id, uint32_t code, const void *p, uint32_t len)
{
	uint8_t b[4096];
	size_t n = kb_frame_put(b, sizeof(b), type, 0, id, code, p, len);

	send(fd, b, n, MSG_NOSIGNAL);
}

/* One datagram within timeout_ms; its length, 0 on EOF, -1 on timeout. */
static ssize_t recv_dgram(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	return recv(fd, rbuf, sizeof(rbuf), 0);
}

/* Reads until a frame of type (and id, unless 0) arrives; copies it. */
static int wait_frame(int fd, uint8_t type, uint32_t id, struct kb_frame *out, uint8_t *payload)
{
	uint64_t until = now_ms() + 5000;

	while (now_ms() < until) {
		ssize_t n = recv_dgram(fd, 500);
		struct kb_frame f;
		size_t off = 0;

		if (n == 0)
			return -1;
		while (n > 0 && kb_frame_next(rbuf, (size_t)n, &off, &f) == KB_FRAME_OK) {
			if (f.type == type && (!id || f.id == id)) {
				*out = f;
				memcpy(payload, f.payload, f.length);
				out->payload = payload;
				return 0;
			}
		}
	}
	return -1;
}

static int hello(int fd, struct kb_frame *w, uint8_t *payload)
{
	uint8_t h[KB_HELLO_SIZE];

	kb_put_u16(h, 1);
	kb_put_u16(h + 2, 1);
	kb_put_u32(h + 4, 65536);
	kb_put_u32(h + 8, 1 << 20);
	send_frame(fd, KB_HELLO, 0, 0, h, sizeof(h));
	return wait_frame(fd, KB_WELCOME, 0, w, payload);
}

static int catalog_has(const uint8_t *p, size_t len, uint8_t kind, uint32_t id, const char *name)
{
	size_t off = KB_WELCOME_SIZE;
	uint16_t i, n = kb_get_u16(p + 2);

	off += 1 + p[off];
	off += 1 + p[off];
	for (i = 0; i < n && off + KB_ENTRY_SIZE <= len; i++) {
		const uint8_t *e = p + off;

		if (e[0] == kind && kb_get_u32(e + 4) == id && e[3] == strlen(name) &&
		    memcmp(e + KB_ENTRY_SIZE, name, e[3]) == 0)
			return 1;
		off += KB_ENTRY_SIZE + e[3];
	}
	return 0;
}

static uint64_t stat_field(int fd, uint32_t id, uint32_t field)
{
	static uint8_t pl[4096];
	struct kb_pb_reader r;
	struct kb_pb_field f;
	struct kb_frame fr;

	send_frame(fd, KB_REQUEST, id, 2, 0, 0);
	if (wait_frame(fd, KB_RESPONSE, id, &fr, pl))
		return ~0ull;
	kb_pb_reader_init(&r, pl, fr.length);
	while (kb_pb_next(&r, &f) == KB_PB_OK)
		if (f.number == field)
			return f.value;
	return 0;
}

static size_t emit_request(uint8_t *b, uint32_t topic, uint32_t count, uint32_t size)
{
	struct kb_pb_writer w;
	size_t len;

	kb_pb_writer_init(&w, b, 64);
	kb_pb_put_varint(&w, 1, topic);
	kb_pb_put_varint(&w, 2, count);
	kb_pb_put_varint(&w, 3, size);
	kb_pb_finish(&w, &len);
	return len;
}

static uint64_t reply_field(const uint8_t *p, size_t len, uint32_t field)
{
	struct kb_pb_reader r;
	struct kb_pb_field f;

	kb_pb_reader_init(&r, p, len);
	while (kb_pb_next(&r, &f) == KB_PB_OK)
		if (f.number == field)
			return f.value;
	return 0;
}

static void test_basics(void)
{
	static uint8_t pl[1 << 17];
	struct kb_frame fr;
	pid_t pid = start_sim(0);
	int fd = connect_sim(), second, rc;

	CHECK(pid > 0 && fd >= 0, "sim: starts, prints READY and accepts root");
	CHECK(hello(fd, &fr, pl) == 0, "sim: HELLO answered with WELCOME");
	CHECK(fr.length > KB_WELCOME_SIZE && kb_get_u16(pl) == 1 && pl[20] == 22 &&
	      memcmp(pl + 21, "org.kextbridge.example", 22) == 0, "sim: WELCOME names the example kext");
	CHECK(catalog_has(pl, fr.length, KB_KIND_COMMAND, 1, "echo") &&
	      catalog_has(pl, fr.length, KB_KIND_COMMAND, 2, "stats") &&
	      catalog_has(pl, fr.length, KB_KIND_COMMAND, 3, "emit") &&
	      catalog_has(pl, fr.length, KB_KIND_COMMAND, 4, "simulate_exec") &&
	      catalog_has(pl, fr.length, KB_KIND_TOPIC, 1, "exec") &&
	      catalog_has(pl, fr.length, KB_KIND_TOPIC, 2, "heartbeat") &&
	      catalog_has(pl, fr.length, KB_KIND_OPTION, 1, "log_level") &&
	      catalog_has(pl, fr.length, KB_KIND_OPTION, 2, "max_event_rate") &&
	      catalog_has(pl, fr.length, KB_KIND_UPCALL, 1, "authorize_exec"),
	      "sim: catalog has every command, topic, option and upcall");

	send_frame(fd, KB_REQUEST, 10, 1, "\x0a\x05hello", 7);
	CHECK(wait_frame(fd, KB_RESPONSE, 10, &fr, pl) == 0 && fr.code == 0 && fr.length == 7 &&
	      memcmp(pl, "\x0a\x05hello", 7) == 0, "sim: echo round trip");
	send_frame(fd, KB_REQUEST, 11, 1, "\x0a\x09short", 7);
	CHECK(wait_frame(fd, KB_RESPONSE, 11, &fr, pl) == 0 && fr.code == KB_INVALID_ARGUMENT,
	      "sim: malformed EchoRequest -> INVALID_ARGUMENT");
	send_frame(fd, KB_REQUEST, 12, 42, 0, 0);
	CHECK(wait_frame(fd, KB_RESPONSE, 12, &fr, pl) == 0 && fr.code == KB_UNIMPLEMENTED,
	      "sim: unknown command -> UNIMPLEMENTED");

	second = connect_sim();
	CHECK(second >= 0 && recv_dgram(second, 2000) == 0,
	      "sim: second client closed at once (EBUSY semantics)");
	if (second >= 0)
		close(second);
	send_frame(fd, KB_PING, 99, 0, 0, 0);
	CHECK(wait_frame(fd, KB_PONG, 99, &fr, pl) == 0, "sim: first client unaffected");

	send(fd, "\x4b\x42\x63garbage-garbage-garbage", 26, 0);
	CHECK(stat_field(fd, 13, 7) >= 1, "sim: malformed datagram counted in stats");

	kill(pid, SIGTERM);
	CHECK(wait_frame(fd, KB_GOODBYE, 0, &fr, pl) == 0 && fr.code == KB_BYE_UNLOAD,
	      "sim: SIGTERM sends GOODBYE(UNLOAD)");
	close(fd);
	rc = stop_sim(pid);
	CHECK(rc == 0, "sim: exits 0 once the daemon closed");
	CHECK(access(sock_path, F_OK) != 0, "sim: socket file removed");
}

static void test_non_root_refused(void)
{
	pid_t pid = start_sim(0), child;
	int status = 0;

	child = fork();
	if (child == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		fd = connect_sim();
		if (fd < 0)
			_exit(4);
		_exit(recv_dgram(fd, 2000) == 0 ? 0 : 5);
	}
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "sim: uid 65534 refused (closed on connect, like CTL_FLAG_PRIVILEGED)");
	stop_sim(pid);
}

struct emit_tally {
	uint64_t events, lost_told, emitted, lost, datagrams, multi;
	int contiguous, replied;
};

/*
 * Reads until the emit's reply has come and LOSS frames account for every
 * event it reports lost (the tail's LOSS may follow the reply).
 */
static void drain_emit(int fd, uint32_t id, struct emit_tally *t)
{
	uint64_t expect = 0, until = now_ms() + 15000;
	struct kb_frame fr;

	memset(t, 0, sizeof(*t));
	t->contiguous = 1;
	while (now_ms() < until && (!t->replied || t->lost_told < t->lost)) {
		ssize_t n = recv_dgram(fd, 1000);
		size_t off = 0;
		int frames = 0;

		if (n <= 0)
			break;
		t->datagrams++;
		while (kb_frame_next(rbuf, (size_t)n, &off, &fr) == KB_FRAME_OK) {
			frames++;
			if (fr.type == KB_EVENT) {
				if (expect && kb_get_u64(fr.payload) != expect)
					t->contiguous = 0;
				expect = kb_get_u64(fr.payload) + 1;
				t->events++;
			} else if (fr.type == KB_LOSS) {
				t->lost_told += kb_get_u64(fr.payload);
				if (kb_get_u64(fr.payload + 16) >= expect)
					expect = kb_get_u64(fr.payload + 16) + 1;
			} else if (fr.type == KB_RESPONSE && fr.id == id) {
				t->emitted = reply_field(fr.payload, fr.length, 1);
				t->lost = reply_field(fr.payload, fr.length, 2);
				t->replied = 1;
			}
		}
		if (frames > 1)
			t->multi++;
	}
}

static void test_events(void)
{
	static uint8_t pl[1 << 16];
	const char *args[] = { "--recv-size", "8192", "--backlog", "65536", 0 };
	uint8_t req[64], sub[8];
	struct emit_tally t;
	struct kb_frame fr;
	pid_t pid = start_sim(args);
	int fd = connect_sim();

	hello(fd, &fr, pl);
	kb_put_u32(sub, 1);
	send_frame(fd, KB_SUBSCRIBE, 0, 0, sub, 4);
	send_frame(fd, KB_REQUEST, 20, 3, req, (uint32_t)emit_request(req, 1, 10000, 64));
	drain_emit(fd, 20, &t);
	CHECK(t.replied && t.emitted + t.lost == 10000, "events: emit 10000 answered with its counts");
	CHECK(t.events == t.emitted && t.lost_told == t.lost,
	      "events: every event arrived or was told lost");
	CHECK(t.contiguous, "events: seqs contiguous (gaps only where LOSS says)");
	CHECK(t.multi > 0, "events: several frames coalesced into one datagram");

	/* A daemon that stops reading: the kext loses events and says so. */
	send_frame(fd, KB_REQUEST, 21, 3, req, (uint32_t)emit_request(req, 1, 50000, 200));
	usleep(1500000);
	drain_emit(fd, 21, &t);
	CHECK(t.replied && t.lost > 0, "loss: a stalled reader makes the kext lose events");
	CHECK(t.events == t.emitted && t.lost_told == t.lost && t.emitted + t.lost == 50000,
	      "loss: LOSS frames account for exactly the lost events");
	CHECK(t.contiguous, "loss: seqs contiguous once LOSS is applied");
	close(fd);
	stop_sim(pid);
}

/* simulate_exec: answers allow and deny, and no answer. */
static void test_upcall(void)
{
	static uint8_t pl[4096];
	const char *args[] = { "--upcall-timeout-ms", "300", 0 };
	static const uint8_t req[] = "\x08\x2a\x18\x01\x22\x08/bin/tru";
	struct kb_frame fr;
	pid_t pid = start_sim(args);
	int fd = connect_sim();
	uint64_t t0;

	hello(fd, &fr, pl);
	send_frame(fd, KB_REQUEST, 30, 4, req, sizeof(req) - 1);
	CHECK(wait_frame(fd, KB_UPCALL, 0, &fr, pl) == 0 && fr.code == 1 &&
	      kb_get_u32(pl) <= 300 && memmem(pl + 8, fr.length - 8, "/bin/tru", 8) != 0,
	      "upcall: authorize_exec asked with the path");
	send_frame(fd, KB_UPCALL_REPLY, fr.id, 0, "\x08\x00", 2);
	CHECK(wait_frame(fd, KB_RESPONSE, 30, &fr, pl) == 0 && fr.length == 2 &&
	      memcmp(pl, "\x10\x01", 2) == 0, "upcall: handler's deny -> not allowed, decided by handler");

	send_frame(fd, KB_REQUEST, 31, 4, req, sizeof(req) - 1);
	wait_frame(fd, KB_UPCALL, 0, &fr, pl);
	send_frame(fd, KB_UPCALL_REPLY, fr.id, 0, "\x08\x01", 2);
	CHECK(wait_frame(fd, KB_RESPONSE, 31, &fr, pl) == 0 && fr.length == 4 &&
	      memcmp(pl, "\x08\x01\x10\x01", 4) == 0, "upcall: handler's allow -> allowed");

	t0 = now_ms();
	send_frame(fd, KB_REQUEST, 32, 4, req, sizeof(req) - 1);
	CHECK(wait_frame(fd, KB_RESPONSE, 32, &fr, pl) == 0 && fr.length == 4 &&
	      memcmp(pl, "\x08\x01\x10\x02", 4) == 0 && now_ms() - t0 >= 300,
	      "upcall: no answer -> default (allow) after the 300 ms timeout");
	close(fd);
	stop_sim(pid);
}

/* The second kext on the framework, through the same socket and protocol. */
static void test_counter_kext(void)
{
	static uint8_t pl[4096];
	const char *args[] = { "--kext", "counter", 0 };
	uint8_t sub[4];
	struct kb_frame fr;
	pid_t pid = start_sim(args);
	int fd = connect_sim();

	CHECK(hello(fd, &fr, pl) == 0 && pl[20] == 22 &&
	      memcmp(pl + 21, "org.kextbridge.counter", 22) == 0,
	      "counter: kextsim --kext counter announces the counter kext");
	CHECK(catalog_has(pl, fr.length, KB_KIND_COMMAND, 1, "add") &&
	      catalog_has(pl, fr.length, KB_KIND_COMMAND, 2, "get") &&
	      catalog_has(pl, fr.length, KB_KIND_TOPIC, 1, "changes") &&
	      catalog_has(pl, fr.length, KB_KIND_OPTION, 1, "step") &&
	      !catalog_has(pl, fr.length, KB_KIND_COMMAND, 1, "echo"),
	      "counter: its own catalog, nothing of the example's");
	kb_put_u32(sub, 1);
	send_frame(fd, KB_SUBSCRIBE, 0, 0, sub, 4);
	send_frame(fd, KB_REQUEST, 40, 1, "\x08\x07", 2); /* AddRequest{delta: 7} */
	CHECK(wait_frame(fd, KB_RESPONSE, 40, &fr, pl) == 0 && fr.code == KB_OK && fr.length == 2 &&
	      memcmp(pl, "\x08\x07", 2) == 0, "counter: add answers the new value");
	CHECK(wait_frame(fd, KB_EVENT, 0, &fr, pl) == 0 && fr.code == 1 &&
	      reply_field(pl + 16, fr.length - 16, 1) == 7 && reply_field(pl + 16, fr.length - 16, 2) == 7,
	      "counter: the change is published on its topic");
	send_frame(fd, KB_REQUEST, 41, 2, 0, 0);
	CHECK(wait_frame(fd, KB_RESPONSE, 41, &fr, pl) == 0 && fr.length == 2 &&
	      memcmp(pl, "\x08\x07", 2) == 0, "counter: get reads it back");
	send_frame(fd, KB_REQUEST, 42, 1, "\x0a\x01", 2); /* truncated: not a message */
	CHECK(wait_frame(fd, KB_RESPONSE, 42, &fr, pl) == 0 && fr.code == KB_INVALID_ARGUMENT,
	      "counter: malformed AddRequest -> INVALID_ARGUMENT");
	close(fd);
	CHECK(stop_sim(pid) == 0, "counter: stops cleanly");
}

int main(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/kb-e2e-%d.sock", (int)getpid());
	signal(SIGPIPE, SIG_IGN);
	test_basics();
	test_non_root_refused();
	test_events();
	test_upcall();
	test_counter_kext();
	unlink(sock_path);
	return kb_checks_done();
}
