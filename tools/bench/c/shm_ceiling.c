/*
 * The C ceiling of shared memory on this machine, measured like W1-W4 (../SPEC.md): processes made
 * by fork share an anonymous MAP_SHARED mapping (nothing is left in /dev/shm).
 *   W1-W3: two single-producer/single-consumer byte rings (one each way), records [u32 length]
 *     [payload], wrapping at the end; a side with nothing to do spins up to SPIN_NS, then sleeps on
 *     a futex that the other side bumps only when the sleeper said it sleeps (as @ipc/shm does).
 *     W1: a 64-byte payload echoed, one in flight, each round trip timed. W2: n 64-byte messages
 *     one way (one record each), every one copied out by the peer. W3: n buffers of `bytes` one way
 *     through an 8 MiB ring, copied in, and copied out into a buffer the peer owns.
 *   W4: a bounded ring of 96-byte slots under one process-shared pthread mutex with two condition
 *     variables (not empty, not full); 2 producers, 2 consumers, stop sentinels put by the parent
 *     once both producers exited; each consumer checks that every producer's ids arrive in order.
 * Usage: shm_ceiling W1|W2|W3|W4 warmup roundtrips messages buffers bytes w4messages
 * Prints one JSON line: {"ok":true,"secs":...} or the W1 latency figures.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ceiling.h"

#define SPIN_NS 100000.0

static void *shared(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) fail("mmap failed");
  return p;
}

static void futex_wait(_Atomic uint32_t *word, uint32_t seen) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, seen, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

/* ---------------------------------------------------------------- SPSC byte ring (W1-W3) */

struct ring {
  _Alignas(64) _Atomic uint64_t tail; /* bytes written */
  _Atomic uint32_t data_seq;          /* bumped for a sleeping reader */
  _Atomic uint32_t reader_sleeps;
  _Alignas(64) _Atomic uint64_t head; /* bytes read */
  _Atomic uint32_t room_seq;          /* bumped for a sleeping writer */
  _Atomic uint32_t writer_sleeps;
  _Alignas(64) uint64_t capacity;     /* a power of two */
  unsigned char data[];
};

static struct ring *ring_new(uint64_t capacity) {
  struct ring *r = shared(sizeof(struct ring) + capacity);
  r->capacity = capacity;
  return r;
}

/* Spins until `ready(r, need)` holds, then sleeps on `seq` (having said so in `sleeps`). */
static void wait_for(struct ring *r, int (*ready)(struct ring *, uint64_t), uint64_t need,
                     _Atomic uint32_t *seq, _Atomic uint32_t *sleeps) {
  if (ready(r, need)) return;
  double until = now_ns() + SPIN_NS;
  for (;;) {
    for (int i = 0; i < 256; i++)
      if (ready(r, need)) return;
    if (now_ns() >= until) break;
  }
  for (;;) {
    uint32_t seen = atomic_load(seq);
    atomic_store(sleeps, 1);
    if (ready(r, need)) break;
    futex_wait(seq, seen);
    if (ready(r, need)) break;
  }
  atomic_store(sleeps, 0);
}

static int has_room(struct ring *r, uint64_t need) {
  return r->capacity - (atomic_load_explicit(&r->tail, memory_order_relaxed) -
                        atomic_load_explicit(&r->head, memory_order_acquire)) >= need;
}

static int has_data(struct ring *r, uint64_t need) {
  return atomic_load_explicit(&r->tail, memory_order_acquire) -
             atomic_load_explicit(&r->head, memory_order_relaxed) >= need;
}

/* memcpy in pieces of at most 512 KiB. glibc copies with `rep movsb` up to a limit and with a
   vector loop above it; on AMD CPUs the limit is the L2 cache size (1 MiB on the machines this was
   measured on), and there the vector loop went about half as fast between two processes. @ipc/shm
   copies in such pieces (`copyBytes`); so does the ceiling. */
static void copy_pieces(void *dst, const void *src, size_t n) {
  const size_t piece = 512 * 1024;
  for (size_t i = 0; i < n; i += piece) memcpy((char *)dst + i, (const char *)src + i, n - i < piece ? n - i : piece);
}

static void copy_in(struct ring *r, uint64_t at, const void *src, size_t n) {
  uint64_t off = at & (r->capacity - 1), first = r->capacity - off;
  if (first >= n) copy_pieces(r->data + off, src, n);
  else {
    copy_pieces(r->data + off, src, first);
    copy_pieces(r->data, (const char *)src + first, n - first);
  }
}

static void copy_out(struct ring *r, uint64_t at, void *dst, size_t n) {
  uint64_t off = at & (r->capacity - 1), first = r->capacity - off;
  if (first >= n) copy_pieces(dst, r->data + off, n);
  else {
    copy_pieces(dst, r->data + off, first);
    copy_pieces((char *)dst + first, r->data, n - first);
  }
}

/* Sends one record of `n` bytes, waiting for room. */
static void ring_send(struct ring *r, const void *p, uint32_t n) {
  wait_for(r, has_room, 4 + (uint64_t)n, &r->room_seq, &r->writer_sleeps);
  uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  copy_in(r, tail, &n, 4);
  copy_in(r, tail + 4, p, n);
  atomic_store_explicit(&r->tail, tail + 4 + n, memory_order_seq_cst);
  if (atomic_load(&r->reader_sleeps)) {
    atomic_fetch_add(&r->data_seq, 1);
    futex_wake(&r->data_seq);
  }
}

/* Receives one record into `p` (at most `max` bytes), waiting for it; returns its length. */
static uint32_t ring_recv(struct ring *r, void *p, uint32_t max) {
  wait_for(r, has_data, 4, &r->data_seq, &r->reader_sleeps);
  uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
  uint32_t n;
  copy_out(r, head, &n, 4);
  if (n > max) fail("a record is bigger than the receive buffer");
  wait_for(r, has_data, 4 + (uint64_t)n, &r->data_seq, &r->reader_sleeps);
  copy_out(r, head + 4, p, n);
  atomic_store_explicit(&r->head, head + 4 + n, memory_order_seq_cst);
  if (atomic_load(&r->writer_sleeps)) {
    atomic_fetch_add(&r->room_seq, 1);
    futex_wake(&r->room_seq);
  }
  return n;
}

static void link_workload(const char *w, long warmup, long trips, long messages, long buffers, size_t bytes) {
  uint64_t capacity = strcmp(w, "W3") == 0 ? 8u << 20 : 1u << 20;
  if (strcmp(w, "W3") == 0 && 4 + bytes > capacity) fail("a W3 buffer does not fit in the ring");
  struct ring *to_peer = ring_new(capacity), *to_driver = ring_new(1u << 16);
  pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    if (strcmp(w, "W1") == 0) {
      unsigned char m[64];
      for (long i = 0; i < warmup + trips; i++) ring_send(to_driver, m, ring_recv(to_peer, m, sizeof m));
    } else if (strcmp(w, "W2") == 0) {
      unsigned char m[64];
      long got = 0;
      for (long i = 0; i < messages; i++) got += ring_recv(to_peer, m, sizeof m) == 64;
      ring_send(to_driver, &got, sizeof got);
    } else {
      long total = 0;
      for (long i = 0; i < buffers; i++) {
        char *own = malloc(bytes);
        if (own == NULL) fail("malloc failed");
        total += ring_recv(to_peer, own, (uint32_t)bytes);
        free(own);
      }
      ring_send(to_driver, &total, sizeof total);
    }
    _exit(0);
  }
  if (strcmp(w, "W1") == 0) {
    unsigned char m[64], echo[64];
    memset(m, 7, sizeof m);
    double *samples = malloc(sizeof(double) * (size_t)trips);
    if (samples == NULL) fail("malloc failed");
    for (long i = 0; i < warmup + trips; i++) {
      double t = now_ns();
      ring_send(to_peer, m, sizeof m);
      if (ring_recv(to_driver, echo, sizeof echo) != sizeof m) fail("a wrong echo");
      if (i >= warmup) samples[i - warmup] = (now_ns() - t) / 1000.0;
    }
    print_latencies(samples, trips);
  } else if (strcmp(w, "W2") == 0) {
    unsigned char m[64];
    memset(m, 7, sizeof m);
    long got = 0;
    double t = now_ns();
    for (long i = 0; i < messages; i++) ring_send(to_peer, m, sizeof m);
    ring_recv(to_driver, &got, sizeof got);
    report_run(t, got == messages, "the peer counted the wrong number of messages");
  } else {
    unsigned char *buffer = malloc(bytes);
    if (buffer == NULL) fail("malloc failed");
    for (size_t i = 0; i < bytes; i++) buffer[i] = (unsigned char)(i & 0xff);
    long total = 0;
    double t = now_ns();
    for (long i = 0; i < buffers; i++) ring_send(to_peer, buffer, (uint32_t)bytes);
    ring_recv(to_driver, &total, sizeof total);
    report_run(t, total == buffers * (long)bytes, "the peer counted the wrong number of bytes");
  }
  waitpid(pid, NULL, 0);
}

/* ---------------------------------------------------------------- W4: mutex + condition variables */

#define SLOTS 4096
#define SLOT_BYTES 96

struct queue {
  pthread_mutex_t lock;
  pthread_cond_t not_empty, not_full;
  long head, tail; /* slots taken, slots put */
  _Atomic int ready, go;
  long counts[2], id_sums[2];
  int bad[2];
  unsigned char slots[SLOTS][SLOT_BYTES];
};

static void queue_put(struct queue *q, long id) {
  pthread_mutex_lock(&q->lock);
  while (q->tail - q->head == SLOTS) pthread_cond_wait(&q->not_full, &q->lock);
  unsigned char *slot = q->slots[q->tail % SLOTS];
  memset(slot, 7, SLOT_BYTES);
  memcpy(slot, &id, sizeof id);
  q->tail++;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->lock);
}

static long queue_get(struct queue *q, unsigned char *out) {
  pthread_mutex_lock(&q->lock);
  while (q->tail == q->head) pthread_cond_wait(&q->not_empty, &q->lock);
  memcpy(out, q->slots[q->head % SLOTS], SLOT_BYTES);
  q->head++;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->lock);
  long id;
  memcpy(&id, out, sizeof id);
  return id;
}

static void start_when_told(struct queue *q) {
  atomic_fetch_add(&q->ready, 1);
  while (!atomic_load(&q->go)) sched_yield();
}

static void queue_workload(long messages) {
  struct queue *q = shared(sizeof(struct queue));
  pthread_mutexattr_t ma;
  pthread_condattr_t ca;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_condattr_init(&ca);
  pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
  if (pthread_mutex_init(&q->lock, &ma) != 0 || pthread_cond_init(&q->not_empty, &ca) != 0 ||
      pthread_cond_init(&q->not_full, &ca) != 0)
    fail("process-shared mutex or condition variable failed");
  pid_t producers[2], consumers[2];
  for (int k = 0; k < 2; k++) {
    if ((producers[k] = fork()) < 0) fail("fork failed");
    if (producers[k] == 0) {
      start_when_told(q);
      for (long id = k; id < messages; id += 2) queue_put(q, id);
      _exit(0);
    }
  }
  for (int c = 0; c < 2; c++) {
    if ((consumers[c] = fork()) < 0) fail("fork failed");
    if (consumers[c] == 0) {
      unsigned char m[SLOT_BYTES];
      long next[2] = {0, 1}, count = 0, sum = 0;
      start_when_told(q);
      for (;;) {
        long id = queue_get(q, m);
        if (id < 0) break;
        if (id < next[id % 2]) q->bad[c] = 1;
        next[id % 2] = id + 2;
        count++;
        sum += id;
      }
      q->counts[c] = count;
      q->id_sums[c] = sum;
      _exit(0);
    }
  }
  while (atomic_load(&q->ready) < 4) usleep(100);
  double t = now_ns();
  atomic_store(&q->go, 1);
  for (int k = 0; k < 2; k++) waitpid(producers[k], NULL, 0);
  for (int c = 0; c < 2; c++) queue_put(q, -1);
  for (int c = 0; c < 2; c++) waitpid(consumers[c], NULL, 0);
  double secs = (now_ns() - t) / 1e9;
  if (q->counts[0] + q->counts[1] != messages) fail("the consumers counted the wrong number of messages");
  if (q->id_sums[0] + q->id_sums[1] != messages * (messages - 1) / 2) fail("a message was lost or doubled");
  if (q->bad[0] || q->bad[1]) fail("a producer's messages arrived out of order");
  print_secs(secs);
}

int main(int argc, char **argv) {
  if (argc != 8) fail("usage: shm_ceiling W1|W2|W3|W4 warmup roundtrips messages buffers bytes w4messages");
  const char *w = argv[1];
  if (strcmp(w, "W4") == 0) queue_workload(atol(argv[7]));
  else if (strcmp(w, "W1") == 0 || strcmp(w, "W2") == 0 || strcmp(w, "W3") == 0)
    link_workload(w, atol(argv[2]), atol(argv[3]), atol(argv[4]), atol(argv[5]), (size_t)atol(argv[6]));
  else fail("unknown workload");
  return 0;
}
