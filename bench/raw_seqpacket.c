/*
 * Baseline for bench/channel.ts: an AF_UNIX SOCK_SEQPACKET echo peer, and
 * a plain C client that ping-pongs through it. Both are what the addon's
 * KernelChannel is measured against.
 *
 *   raw_seqpacket server PATH           echo every datagram until EOF
 *   raw_seqpacket client PATH N SIZE    N round trips of SIZE bytes; prints ns per round trip
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

static int serve(const char *path)
{
	struct sockaddr_un sa;
	char buf[65536];
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0), c;
	ssize_t n;

	if (addr(path, &sa) || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4))
		return perror("server"), 1;
	printf("ready\n");
	fflush(stdout);
	while ((c = accept(l, 0, 0)) >= 0) {
		while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
			if (send(c, buf, (size_t)n, MSG_NOSIGNAL) != n)
				break;
		close(c);
	}
	return 0;
}

static int client(const char *path, long n, long size)
{
	struct sockaddr_un sa;
	struct timespec a, b;
	char buf[65536];
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	long i;

	if (size < 1 || size > (long)sizeof(buf) || addr(path, &sa) ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		return perror("client"), 1;
	memset(buf, 'x', (size_t)size);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		if (send(s, buf, (size_t)size, 0) != size || recv(s, buf, sizeof(buf), 0) != size)
			return perror("round trip"), 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)n);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return serve(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "client"))
		return client(argv[2], atol(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: raw_seqpacket server PATH | client PATH N SIZE\n");
	return 2;
}
