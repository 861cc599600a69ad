/*
 * What the C ceiling programs share: the clock, the failure line, and the W1 latency and W2–W4 time
 * reports, all in the JSON-line shape the benchmark reads (../SPEC.md).
 */
#ifndef IPC_BENCH_CEILING_H
#define IPC_BENCH_CEILING_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void fail(const char *what) {
  printf("{\"ok\":false,\"error\":\"%s\"}\n", what);
  fflush(stdout);
  exit(1);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Prints the W1 figures of `trips` round-trip times in µs (sorted here). */
static void print_latencies(double *samples, long trips) {
  qsort(samples, (size_t)trips, sizeof(double), cmp_double);
  double sum = 0;
  for (long i = 0; i < trips; i++) sum += samples[i];
  long rank = (long)((99 * trips + 99) / 100); /* nearest rank: ceil(0.99 N) */
  printf("{\"ok\":true,\"median_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,\"min_us\":%.3f,\"max_us\":%.3f}\n",
         samples[trips / 2], samples[rank - 1], sum / trips, samples[0], samples[trips - 1]);
}

/* Prints a throughput run's time, in seconds. */
static void print_secs(double secs) { printf("{\"ok\":true,\"secs\":%.6f}\n", secs); }

/* Ends a throughput run that started at `start` (now_ns): its time, or the failure `why` unless `ok`. */
static void report_run(double start, int ok, const char *why) {
  double secs = (now_ns() - start) / 1e9;
  if (!ok) fail(why);
  print_secs(secs);
}

#endif
