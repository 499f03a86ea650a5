/*
 * kextsim: a kext's engine in user space (the example unless --kext names
 * another kext the build found and linked), behind an AF_UNIX
 * SOCK_SEQPACKET socket with the semantics of a kernel control registered
 * CTL_FLAG_PRIVILEGED: connected, message boundaries kept, one owner,
 * bounded buffers, root-only. docs/kextsim.md describes it.
 */
#define _GNU_SOURCE /* accept4, struct ucred */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <kextbridge/kext.h>

#include "linked.h"
#include "platform_posix.h"

struct options {
	const struct kb_kext *kext;
	const char *socket_path;
	long allow_uid;
	uint32_t recv_size, send_size, max_datagram, backlog, max_message, upcall_timeout_ms;
};

static const char usage[] =
	"usage: kextsim --socket PATH [options]\n"
	"\n"
	"Runs a kext's engine in user space behind an AF_UNIX SOCK_SEQPACKET\n"
	"socket that behaves like a privileged kernel control: one client at a time,\n"
	"root only, message boundaries kept, bounded buffers.\n"
	"\n"
	"  --socket PATH            where to listen (required)\n"
	"  --kext NAME              which kext (default: example; --list-kexts names them)\n"
	"  --list-kexts             print the name of every linked kext, one a line\n"
	"  --allow-uid N            also accept this uid besides root (tests)\n"
	"  --send-size N            largest datagram the daemon may send, like\n"
	"                           ctl_sendsize (default 16384; the kernel's default is 2048)\n"
	"  --recv-size N            kext->daemon socket buffer, like ctl_recvsize (default\n"
	"                           2097152: a 20 ms stall of the daemon at a million 64-byte\n"
	"                           events a second; the kernel's default is 8192)\n"
	"  --max-datagram N         largest datagram sent (default 65536, at most recv-size)\n"
	"  --backlog N              bytes the engine holds while the daemon is not reading\n"
	"                           (default 262144)\n"
	"  --max-message N          largest MORE-reassembled message (default 65536)\n"
	"  --upcall-timeout-ms N    how long the kext's upcalls wait (the example's\n"
	"                           authorize_exec: default 2000)\n"
	"  --help                   this text\n"
	"\n"
	"Prints one line when ready:\n"
	"  KEXTSIM READY {\"socket\":PATH,\"pid\":N,\"protocol\":1,...}\n"
	"SIGTERM or SIGINT sends GOODBYE to a connected daemon and exits 0.\n"
	"\n"
	"example: kextsim --socket /tmp/kextsim.sock --send-size 2048 --recv-size 8192\n";

static int parse_u32(const char *flag, const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = v ? strtoul(v, &end, 10) : 0;
	if (!v || errno || *end || v[0] == '-' || n < min || n > max) {
		fprintf(stderr, "kextsim: %s needs a whole number from %u to %u, got \"%s\"\n", flag,
			min, max, v ? v : "");
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

static const struct kb_kext *find_kext(const char *name)
{
	size_t k;

	for (k = 0; name && kb_linked_kexts[k]; k++)
		if (!strcmp(name, kb_linked_kexts[k]->name))
			return kb_linked_kexts[k];
	return 0;
}

static void list_kexts(FILE *f, const char *sep)
{
	size_t k;

	for (k = 0; kb_linked_kexts[k]; k++)
		fprintf(f, "%s%s", k ? sep : "", kb_linked_kexts[k]->name);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	uint32_t uid;
	int i;

	o->kext = find_kext("example");
	if (!o->kext)
		o->kext = kb_linked_kexts[0];
	o->socket_path = 0;
	o->allow_uid = -1;
	o->send_size = 16384;
	o->recv_size = 2u << 20;
	o->max_datagram = 65536;
	o->backlog = 262144;
	o->max_message = 65536;
	o->upcall_timeout_ms = 0; /* the kext's own default */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
		int r = 0;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			exit(0);
		} else if (!strcmp(a, "--socket")) {
			if (!v) {
				fprintf(stderr, "kextsim: --socket needs a path\n");
				return -1;
			}
			o->socket_path = v;
		} else if (!strcmp(a, "--list-kexts")) {
			list_kexts(stdout, "\n");
			fputc('\n', stdout);
			exit(0);
		} else if (!strcmp(a, "--kext")) {
			o->kext = find_kext(v);
			if (!o->kext) {
				fprintf(stderr, "kextsim: --kext needs one of the kexts built in (");
				list_kexts(stderr, ", ");
				fprintf(stderr, "), got \"%s\"\n", v ? v : "");
				return -1;
			}
		} else if (!strcmp(a, "--allow-uid")) {
			r = parse_u32(a, v, 1, 0x7fffffff, &uid);
			o->allow_uid = uid;
		} else if (!strcmp(a, "--send-size")) {
			r = parse_u32(a, v, KB_MIN_DATAGRAM, KB_MAX_DATAGRAM, &o->send_size);
		} else if (!strcmp(a, "--recv-size")) {
			r = parse_u32(a, v, KB_MIN_DATAGRAM, 64u << 20, &o->recv_size);
		} else if (!strcmp(a, "--max-datagram")) {
			r = parse_u32(a, v, KB_MIN_DATAGRAM, KB_MAX_DATAGRAM, &o->max_datagram);
		} else if (!strcmp(a, "--backlog")) {
			r = parse_u32(a, v, 16384, 64u << 20, &o->backlog);
		} else if (!strcmp(a, "--max-message")) {
			r = parse_u32(a, v, KB_MIN_DATAGRAM, KB_MAX_MESSAGE, &o->max_message);
		} else if (!strcmp(a, "--upcall-timeout-ms")) {
			r = parse_u32(a, v, 1, 600000, &o->upcall_timeout_ms);
		} else {
			fprintf(stderr, "kextsim: unknown argument \"%s\" (see --help)\n", a);
			return -1;
		}
		if (r)
			return -1;
		i++;
	}
	if (!o->kext) {
		fprintf(stderr, "kextsim: no kext was built in (kext/NAME/kext.mk)\n");
		return -1;
	}
	if (!o->socket_path) {
		fprintf(stderr, "kextsim: --socket PATH is required (see --help)\n");
		return -1;
	}
	if (o->max_message < o->send_size) {
		fprintf(stderr, "kextsim: --max-message must be at least --send-size\n");
		return -1;
	}
	/* One datagram must fit the buffer, as in the kernel. */
	if (o->max_datagram > o->recv_size)
		o->max_datagram = o->recv_size;
	return 0;
}

/* Refuses a live socket, removes a stale one, binds and listens. */
static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "kextsim: socket path is %zu bytes; the limit is %zu\n", strlen(path),
			sizeof(sa.sun_path) - 1);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "kextsim: %s exists and is not a socket; not touching it\n",
				path);
			return -1;
		}
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			fprintf(stderr, "kextsim: another kextsim is live on %s\n", path);
			return -1;
		}
		if (fd >= 0)
			close(fd);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "kextsim: cannot listen on %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Anyone may knock: refusal by credentials is the point, as with EPERM. */
	return fd;
}

struct sim {
	struct options opt;
	struct kb_posix plat;
	struct kb_engine *engine;
	int listen_fd, client_fd;
	uint32_t next_unit;
	uint8_t *rxbuf;
};

static void drop_client(struct sim *s, const char *why)
{
	int fd = s->client_fd;

	if (fd < 0)
		return;
	pthread_mutex_lock(&s->plat.mu);
	s->plat.fd = -1;
	s->plat.want_pollout = 0;
	pthread_mutex_unlock(&s->plat.mu);
	kb_engine_disconnect(s->engine, s->plat.unit);
	close(fd);
	s->client_fd = -1;
	fprintf(stderr, "kextsim: unit %u disconnected (%s)\n", s->plat.unit, why);
}

static void accept_client(struct sim *s)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	uint32_t unit;
	int fd, size;

	fd = accept4(s->listen_fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	unit = ++s->next_unit;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    (cred.uid != 0 && (long)cred.uid != s->opt.allow_uid)) {
		/* CTL_FLAG_PRIVILEGED: the kernel refuses before the kext hears of it. */
		fprintf(stderr, "kextsim: refused uid %u pid %d: not privileged\n", cred.uid,
			cred.pid);
		close(fd);
		return;
	}
	if (kb_engine_connect(s->engine, unit) != KB_R_OK) {
		/* As the kernel does after a refused ctl_connect. */
		kb_engine_disconnect(s->engine, unit);
		fprintf(stderr, "kextsim: refused unit %u (pid %d): another client owns the control\n",
			unit, cred.pid);
		close(fd);
		return;
	}
	size = (int)s->opt.recv_size;
	/*
	 * Past net.core.wmem_max only root may go (SO_SNDBUFFORCE), as only
	 * kern.ipc.maxsockbuf bounds ctl_recvsize; anyone else gets the cap.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	pthread_mutex_lock(&s->plat.mu);
	s->plat.fd = fd;
	s->plat.unit = unit;
	pthread_mutex_unlock(&s->plat.mu);
	s->client_fd = fd;
	fprintf(stderr, "kextsim: unit %u connected (uid %u pid %d)\n", unit, cred.uid, cred.pid);
}

/* Reads what is waiting, a bounded number of datagrams per turn. */
static void read_client(struct sim *s)
{
	int i;

	for (i = 0; i < 64 && s->client_fd >= 0; i++) {
		ssize_t n = recv(s->client_fd, s->rxbuf, s->opt.send_size + 1, MSG_TRUNC);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				drop_client(s, strerror(errno));
			return;
		}
		if (n == 0) {
			drop_client(s, "daemon closed");
			return;
		}
		/* Larger than ctl_sendsize: handed over as such, so the engine counts it. */
		if ((size_t)n > s->opt.send_size)
			n = s->opt.send_size + 1;
		kb_engine_input(s->engine, s->plat.unit, s->rxbuf, (size_t)n);
	}
}

static int timeout_ms(uint64_t now, uint64_t due)
{
	if (!due)
		return -1;
	if (due <= now)
		return 0;
	return (int)((due - now + 999999) / 1000000);
}

static int run(struct sim *s, int sig_fd)
{
	uint64_t heartbeat_due = kb_posix_now_ns() + 1000000000ull, stop_by = 0;

	for (;;) {
		struct pollfd p[4];
		uint64_t now = kb_posix_now_ns(), timer_due;
		int n = 0, t, th, want_out, ci = -1;

		pthread_mutex_lock(&s->plat.mu);
		timer_due = s->plat.timer_due_ns;
		want_out = s->plat.want_pollout;
		pthread_mutex_unlock(&s->plat.mu);

		p[n].fd = s->listen_fd;
		p[n++].events = stop_by ? 0 : POLLIN;
		p[n].fd = s->plat.wake_fd;
		p[n++].events = POLLIN;
		p[n].fd = sig_fd;
		p[n++].events = POLLIN;
		if (s->client_fd >= 0) {
			ci = n;
			p[n].fd = s->client_fd;
			p[n++].events = POLLIN | (want_out ? POLLOUT : 0);
		}
		t = timeout_ms(now, heartbeat_due);
		th = timeout_ms(now, timer_due);
		if (th >= 0 && th < t)
			t = th;
		if (stop_by) {
			th = timeout_ms(now, stop_by);
			if (th < t)
				t = th;
		}
		if (poll(p, (nfds_t)n, t) < 0 && errno != EINTR) {
			perror("kextsim: poll");
			return 1;
		}
		now = kb_posix_now_ns();
		if (p[1].revents & POLLIN) {
			uint64_t v;

			while (read(s->plat.wake_fd, &v, sizeof(v)) > 0)
				;
		}
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == sizeof(si) && !stop_by) {
				fprintf(stderr, "kextsim: signal %u: stopping\n", si.ssi_signo);
				if (kb_engine_stop(s->engine) == KB_R_OK)
					return 0;
				/* A kext's stop fails while connected; a simulator must end. */
				stop_by = now + 2000000000ull;
			}
		}
		if (ci >= 0 && s->client_fd >= 0) {
			if (p[ci].revents & POLLOUT) {
				pthread_mutex_lock(&s->plat.mu);
				s->plat.want_pollout = 0;
				pthread_mutex_unlock(&s->plat.mu);
				kb_engine_writable(s->engine, s->plat.unit);
			}
			if (p[ci].revents & (POLLIN | POLLHUP | POLLERR))
				read_client(s);
		}
		if (p[0].revents & POLLIN)
			accept_client(s);
		if (timer_due && now >= timer_due) {
			pthread_mutex_lock(&s->plat.mu);
			if (s->plat.timer_due_ns == timer_due)
				s->plat.timer_due_ns = 0;
			pthread_mutex_unlock(&s->plat.mu);
			kb_engine_tick(s->engine);
		}
		if (now >= heartbeat_due) {
			if (s->opt.kext->tick)
				s->opt.kext->tick();
			heartbeat_due = now + 1000000000ull;
		}
		if (stop_by && (s->client_fd < 0 || now >= stop_by)) {
			if (s->client_fd >= 0)
				fprintf(stderr, "kextsim: daemon did not close within 2 s\n");
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct kb_kext_env env;
	const struct kb_kext *k;
	const struct kb_catalog *cat;
	struct kb_engine_config cfg;
	struct kb_platform platform;
	struct sim s;
	sigset_t mask;
	size_t mem_size;
	void *mem;
	int sig_fd, rc;

	if (parse_args(argc, argv, &s.opt))
		return 2;
	k = s.opt.kext;
	kb_posix_kext_env(&env);
	if (s.opt.upcall_timeout_ms && k->configure_upcall_timeout)
		k->configure_upcall_timeout(s.opt.upcall_timeout_ms);
	cat = k->catalog();
	kb_engine_default_config(&cfg);
	cfg.max_datagram_in = s.opt.send_size;
	cfg.max_datagram_out = s.opt.max_datagram;
	cfg.max_message = s.opt.max_message;
	cfg.backlog_bytes = s.opt.backlog;
	if (kb_posix_init(&s.plat)) {
		perror("kextsim: eventfd");
		return 1;
	}
	kb_posix_platform(&s.plat, &platform);
	mem_size = kb_engine_memory_size(&cfg, cat);
	if (posix_memalign(&mem, 64, mem_size) ||
	    !(s.rxbuf = malloc((size_t)s.opt.send_size + 1))) {
		fprintf(stderr, "kextsim: out of memory\n");
		return 1;
	}
	if (kb_engine_init(mem, mem_size, &cfg, cat, &platform, &s.engine) != KB_R_OK ||
	    k->start(s.engine, &env) != KB_R_OK) {
		fprintf(stderr, "kextsim: engine refused its configuration (see above)\n");
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, 0);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	s.listen_fd = listen_on(s.opt.socket_path);
	if (sig_fd < 0 || s.listen_fd < 0)
		return 1;
	s.client_fd = -1;
	s.next_unit = 0;

	printf("KEXTSIM READY {\"socket\":\"%s\",\"pid\":%d,\"protocol\":%u,\"identity\":\"%s\","
	       "\"version\":\"%s\",\"send_size\":%u,\"recv_size\":%u,\"max_datagram\":%u}\n",
	       s.opt.socket_path, (int)getpid(), KB_PROTOCOL_VERSION, cat->identity,
	       cat->version, s.opt.send_size, s.opt.recv_size, s.opt.max_datagram);
	fflush(stdout);

	rc = run(&s, sig_fd);
	drop_client(&s, "kextsim stopping");
	k->stop();
	close(s.listen_fd);
	unlink(s.opt.socket_path);
	close(sig_fd);
	kb_posix_destroy(&s.plat);
	free(s.rxbuf);
	free(mem);
	return rc;
}
