/*
 * udp-replay: sends a prepared schedule of UDP datagrams to ports on 127.0.0.1, each at its time,
 * for the capacity benchmark (scripts/bench-capacity.ts), which builds the schedule and compiles
 * this file with the system C compiler.
 *
 * Why not Node: a dgram send costs Node about 9 us of CPU, so at 20 desks (49,000 packets/s) the
 * senders alone took half of the core they share with the edge worker. sendmmsg() hands the
 * kernel up to 64 datagrams per call.
 *
 * Usage: udp-replay SCHEDULE_FILE
 * The file is a sequence of records: f64 due time (ms after the start), u16 destination port,
 * u16 length, then that many bytes (little-endian, as the benchmark writes them, in due order).
 * It loads the file, prints "ready", waits for a line on stdin, then sends. Nothing is skipped: a
 * late datagram goes out late. At the end it prints one JSON line: datagrams sent, the greatest
 * lateness in ms, and send errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 64

struct datagram {
	double due_ms;
	uint16_t port;
	uint16_t length;
	unsigned char *bytes;
};

static double now_ms(const struct timespec *start) {
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Reads the whole schedule; exits with a message on a malformed file. */
static struct datagram *load(const char *path, size_t *count) {
	FILE *file = fopen(path, "rb");
	if (!file) {
		perror(path);
		exit(1);
	}
	size_t capacity = 1 << 16, used = 0;
	struct datagram *datagrams = malloc(capacity * sizeof *datagrams);
	if (!datagrams) {
		fprintf(stderr, "%s: out of memory\n", path);
		exit(1);
	}
	for (;;) {
		double due_ms;
		uint16_t header[2];
		if (fread(&due_ms, sizeof due_ms, 1, file) != 1) break;
		if (fread(header, sizeof header, 1, file) != 1) {
			fprintf(stderr, "%s: truncated record\n", path);
			exit(1);
		}
		if (used == capacity) {
			capacity *= 2;
			datagrams = realloc(datagrams, capacity * sizeof *datagrams);
			if (!datagrams) {
				fprintf(stderr, "%s: out of memory\n", path);
				exit(1);
			}
		}
		struct datagram *datagram = &datagrams[used++];
		datagram->due_ms = due_ms;
		datagram->port = header[0];
		datagram->length = header[1];
		datagram->bytes = malloc(datagram->length);
		if (!datagram->bytes || fread(datagram->bytes, 1, datagram->length, file) != datagram->length) {
			fprintf(stderr, "%s: truncated datagram or out of memory\n", path);
			exit(1);
		}
	}
	fclose(file);
	*count = used;
	return datagrams;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: udp-replay SCHEDULE_FILE\n");
		return 2;
	}
	size_t count;
	struct datagram *datagrams = load(argv[1], &count);
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_in *addresses = calloc(count, sizeof *addresses);
	for (size_t i = 0; i < count; i++) {
		addresses[i].sin_family = AF_INET;
		addresses[i].sin_port = htons(datagrams[i].port);
		addresses[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (!fgets(line, sizeof line, stdin)) return 1;

	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct mmsghdr messages[BATCH];
	struct iovec vectors[BATCH];
	size_t next = 0, sent = 0, errors = 0;
	double max_late_ms = 0;
	while (next < count) {
		double now = now_ms(&start);
		if (datagrams[next].due_ms > now) {
			/* Sleep until the next datagram is due. */
			double wait_ms = datagrams[next].due_ms - now;
			struct timespec pause = { (time_t)(wait_ms / 1e3), (long)((wait_ms - (double)(time_t)(wait_ms / 1e3) * 1e3) * 1e6) };
			nanosleep(&pause, NULL);
			continue;
		}
		int batch = 0;
		while (next < count && batch < BATCH && datagrams[next].due_ms <= now) {
			double late_ms = now - datagrams[next].due_ms;
			if (late_ms > max_late_ms) max_late_ms = late_ms;
			vectors[batch] = (struct iovec){ datagrams[next].bytes, datagrams[next].length };
			memset(&messages[batch], 0, sizeof messages[batch]);
			messages[batch].msg_hdr.msg_name = &addresses[next];
			messages[batch].msg_hdr.msg_namelen = sizeof addresses[next];
			messages[batch].msg_hdr.msg_iov = &vectors[batch];
			messages[batch].msg_hdr.msg_iovlen = 1;
			batch++;
			next++;
		}
		for (int offset = 0; offset < batch;) {
			int done = sendmmsg(sock, messages + offset, (unsigned)(batch - offset), 0);
			if (done < 0) {
				if (errno == EINTR) continue;
				/* A refused or full destination: count it and go on with the next datagram. */
				errors++;
				offset++;
				continue;
			}
			sent += (size_t)done;
			offset += done;
		}
	}
	printf("{\"sent\":%zu,\"maxLateMs\":%.1f,\"errors\":%zu}\n", sent, max_late_ms, errors);
	return 0;
}
