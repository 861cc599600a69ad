import { openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The run queue is sampled at most this often (ms): one read of /proc/loadavg costs about 5–20 µs. */
const SAMPLE_MS = 10;
/** Weight of a new sample in the smoothed run-queue length (the kernel's count is instantaneous, so noisy). */
const SMOOTHING = 0.3;

let fd: number | null | undefined;
let sampledAt = Number.NEGATIVE_INFINITY;
let runnable = 0;
let oversubscribed = false;
const text = Buffer.alloc(128);

/**
 * Whether more threads are ready to run than this machine has CPUs — as when busy processes outnumber
 * the cores. Then a spinning waiter only takes the CPU that the process it waits for needs to make
 * progress, so waiters in @ipc/shm and @ipc/queue skip their spin phase and sleep in the kernel at once
 * (the rule of the Linux kernel's adaptive mutexes: spin only while the owner is on a CPU).
 *
 * Reads the running count of `/proc/loadavg` (the fourth field's numerator: runnable threads, this
 * one included), smoothed over samples at most every 10 ms, against `os.availableParallelism()`.
 * Where `/proc/loadavg` cannot be read, it is never oversubscribed (spinning stays as configured).
 *
 * @see https://man7.org/linux/man-pages/man5/proc_loadavg.5.html
 */
export function cpuOversubscribed(now: number = performance.now()): boolean {
  if (now - sampledAt < SAMPLE_MS) return oversubscribed;
  sampledAt = now;
  const running = readRunnable();
  if (running === undefined) return false;
  runnable += SMOOTHING * (running - runnable);
  oversubscribed = runnable > availableParallelism() + 0.5;
  return oversubscribed;
}

/** The number of runnable threads now, or undefined where /proc/loadavg is not readable. */
function readRunnable(): number | undefined {
  if (fd === null) return undefined;
  try {
    fd ??= openSync('/proc/loadavg', 'r');
    const n = readSync(fd, text, 0, text.length, 0);
    // "0.20 0.18 0.12 3/80 11206": the fourth field is running/total.
    const line = text.toString('latin1', 0, n);
    const slash = line.indexOf('/');
    const start = line.lastIndexOf(' ', slash) + 1;
    const running = Number.parseInt(line.slice(start, slash), 10);
    return Number.isFinite(running) ? running : undefined;
  } catch {
    fd = null;
    return undefined;
  }
}
