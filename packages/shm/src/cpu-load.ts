import { availableParallelism } from 'node:os';
import { closeSync, openSync, readSync } from 'node:fs';

/** How often the run queue is sampled, at most (ms). */
const SAMPLE_MS = 10;
/** Samples averaged: a moment's extra thread (a compiler, a GC helper) does not turn spinning off. */
const WINDOW = 4;

let fd: number | undefined; // -1: no /proc/loadavg here
const scratch = Buffer.alloc(128);
const samples = new Float64Array(WINDOW);
let filled = 0;
let next = 0;
let sampledAt = Number.NEGATIVE_INFINITY;
let verdict = false;
const cpus = availableParallelism();

/**
 * Whether more threads want to run than this machine has CPUs: the average of the last 4 samples of
 * the kernel's count of runnable threads (`/proc/loadavg`, its fourth field; this thread counted),
 * read at most every 10 ms, is above the number of CPUs. Then a busy-wait may take the CPU that the
 * thread it waits for needs (`Spinner` asks only after spins failed: the count is noisy). False where
 * `/proc` cannot be read. One `pread` per sample on a kept file descriptor.
 */
export function machineOversubscribed(now: number = performance.now()): boolean {
  if (now - sampledAt < SAMPLE_MS) return verdict;
  sampledAt = now;
  const running = readRunnable();
  if (running === undefined) return (verdict = false);
  samples[next] = running;
  next = (next + 1) % WINDOW;
  filled = Math.min(WINDOW, filled + 1);
  let sum = 0;
  for (let i = 0; i < filled; i++) sum += samples[i] ?? 0;
  verdict = sum / filled > cpus;
  return verdict;
}

/** The runnable-thread count of `/proc/loadavg` ("0.52 0.19 0.07 3/165 6801": 3), or undefined. */
function readRunnable(): number | undefined {
  if (fd === undefined) {
    try {
      fd = openSync('/proc/loadavg', 'r');
    } catch {
      fd = -1;
    }
  }
  if (fd < 0) return undefined;
  try {
    const n = readSync(fd, scratch, 0, scratch.length, 0);
    const text = scratch.toString('latin1', 0, n);
    const slash = text.indexOf('/');
    const space = text.lastIndexOf(' ', slash);
    const running = Number(text.slice(space + 1, slash));
    return Number.isFinite(running) ? running : undefined;
  } catch {
    closeSync(fd);
    fd = -1;
    return undefined;
  }
}
