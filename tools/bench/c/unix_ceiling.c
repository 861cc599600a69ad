/*
 * The C ceiling of a Unix stream socket on this machine, measured like W1-W3 (../SPEC.md): a driver
 * and a peer process (fork) on a socketpair, frames [u32 big-endian length][payload].
 *   W1: a 64-byte payload echoed, strictly one in flight; each round trip timed.
 *   W2: n 64-byte messages one way, one write() each; the peer parses every frame, then answers.
 *   W3: n buffers of `bytes` one way, one write() call each (looping on partial writes); the peer
 *       reads each into a fresh buffer it owns (malloc, then free), then answers with the total.
 * Usage: unix_ceiling W1|W2|W3 warmup roundtrips messages buffers bytes [socket-buffer-bytes]
 * Prints one JSON line: {"ok":true,"secs":...} or the W1 latency figures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ceiling.h"

static void write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w <= 0) fail("write failed");
    c += w;
    n -= (size_t)w;
  }
}

static void read_all(int fd, void *p, size_t n) {
  char *c = p;
  while (n > 0) {
    ssize_t r = read(fd, c, n);
    if (r <= 0) fail("read failed");
    c += r;
    n -= (size_t)r;
  }
}

static uint32_t be32(const unsigned char *b) {
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void put_be32(unsigned char *b, uint32_t v) {
  b[0] = v >> 24;
  b[1] = v >> 16;
  b[2] = v >> 8;
  b[3] = v;
}

/* W2 peer: counts frames in a stream read 64 KiB at a time. */
static void peer_w2(int fd, long messages) {
  static unsigned char buf[65536 + 68];
  size_t have = 0;
  long got = 0;
  while (got < messages) {
    ssize_t r = read(fd, buf + have, 65536);
    if (r <= 0) fail("peer read failed");
    have += (size_t)r;
    size_t pos = 0;
    while (have - pos >= 4 && have - pos >= 4 + be32(buf + pos)) {
      pos += 4 + be32(buf + pos);
      got++;
    }
    memmove(buf, buf + pos, have - pos);
    have -= pos;
  }
  write_all(fd, &got, sizeof got);
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8)
    fail("usage: unix_ceiling W1|W2|W3 warmup roundtrips messages buffers bytes [socket-buffer-bytes]");
  const char *w = argv[1];
  long warmup = atol(argv[2]), trips = atol(argv[3]), messages = atol(argv[4]), buffers = atol(argv[5]);
  size_t bytes = (size_t)atol(argv[6]);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) fail("socketpair failed");
  /* Optional: both ends' SO_SNDBUF and SO_RCVBUF (the kernel doubles the value), as @ipc/socket's
     socketBufferBytes sets them; without it, the kernel's defaults. */
  int sockbuf = argc == 8 ? atoi(argv[7]) : 0;
  for (int k = 0; k < 2 && sockbuf > 0; k++) {
    if (setsockopt(sv[k], SOL_SOCKET, SO_SNDBUF, &sockbuf, sizeof sockbuf) != 0 ||
        setsockopt(sv[k], SOL_SOCKET, SO_RCVBUF, &sockbuf, sizeof sockbuf) != 0)
      fail("setsockopt failed");
  }
  pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    close(sv[0]);
    int fd = sv[1];
    if (strcmp(w, "W1") == 0) {
      unsigned char m[68];
      for (long i = 0; i < warmup + trips; i++) {
        read_all(fd, m, sizeof m);
        write_all(fd, m, sizeof m);
      }
    } else if (strcmp(w, "W2") == 0) {
      peer_w2(fd, messages);
    } else {
      long total = 0;
      unsigned char h[4];
      for (long i = 0; i < buffers; i++) {
        read_all(fd, h, 4);
        uint32_t n = be32(h);
        char *own = malloc(n);
        if (own == NULL) fail("malloc failed");
        read_all(fd, own, n);
        total += n;
        free(own);
      }
      write_all(fd, &total, sizeof total);
    }
    _exit(0);
  }
  close(sv[1]);
  int fd = sv[0];
  if (strcmp(w, "W1") == 0) {
    unsigned char m[68], echo[68];
    put_be32(m, 64);
    memset(m + 4, 7, 64);
    double *samples = malloc(sizeof(double) * (size_t)trips);
    for (long i = 0; i < warmup + trips; i++) {
      double t = now_ns();
      write_all(fd, m, sizeof m);
      read_all(fd, echo, sizeof echo);
      if (i >= warmup) samples[i - warmup] = (now_ns() - t) / 1000.0;
    }
    print_latencies(samples, trips);
  } else if (strcmp(w, "W2") == 0) {
    unsigned char m[68];
    put_be32(m, 64);
    memset(m + 4, 7, 64);
    long got = 0;
    double t = now_ns();
    for (long i = 0; i < messages; i++) write_all(fd, m, sizeof m);
    read_all(fd, &got, sizeof got);
    report_run(t, got == messages, "the peer counted the wrong number of messages");
  } else if (strcmp(w, "W3") == 0) {
    unsigned char *frame = malloc(4 + bytes);
    if (frame == NULL) fail("malloc failed");
    put_be32(frame, (uint32_t)bytes);
    for (size_t i = 0; i < bytes; i++) frame[4 + i] = (unsigned char)(i & 0xff);
    long total = 0;
    double t = now_ns();
    for (long i = 0; i < buffers; i++) write_all(fd, frame, 4 + bytes);
    read_all(fd, &total, sizeof total);
    report_run(t, total == buffers * (long)bytes, "the peer counted the wrong number of bytes");
  } else {
    fail("unknown workload");
  }
  waitpid(pid, NULL, 0);
  return 0;
}
