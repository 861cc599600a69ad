/**
 * The ceilings: what a C program does on this machine with the kernel's Unix stream socket
 * (`c/unix_ceiling.c`) and with shared memory (`c/shm_ceiling.c`: an SPSC ring with spin-then-futex
 * for W1–W3; a ring under a process-shared mutex and condition variables for W4), measured in the same
 * run, each compiled here on first use with the system's `cc`. Opaque 64-byte payloads for W1/W2 (no
 * encoding at all), 1 MiB buffers for W3, 96-byte slots for W4.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase, ExternalRequest } from '../adapter.js';
import { benchDir } from '../process/paths.js';
import { W3_SOCKET_BUFFER_BYTES } from '../workloads/counts.js';

/** Where compiled programs go (`IPC_BENCH_C_BUILD` to put them elsewhere). */
const buildDir = process.env['IPC_BENCH_C_BUILD'] ?? join(benchDir, 'c', 'build');

/** The header both programs include. */
const header = join(benchDir, 'c', 'ceiling.h');

/** A C program of `c/`, compiled once per process (when its binary is missing or older than its sources). */
function program(name: string, flags: string[] = []): { binary: string; compile: () => string | undefined } {
  const source = join(benchDir, 'c', `${name}.c`);
  const binary = join(buildDir, name);
  let checked: string | undefined | null = null;
  /** Compiles the program unless an up-to-date binary exists; the reason it cannot run, or undefined. */
  const compile = (): string | undefined => {
    if (checked !== null) return checked;
    const mtime = (file: string): number => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
    if (mtime(binary) >= Math.max(mtime(source), mtime(header)) && mtime(source) >= 0)
      return (checked = undefined);
    mkdirSync(buildDir, { recursive: true });
    const cc = process.env['CC'] ?? 'cc';
    const r = spawnSync(cc, ['-O2', '-o', binary, source, ...flags], { encoding: 'utf8', timeout: 60_000 });
    checked =
      r.status === 0
        ? undefined
        : `cannot compile ${source} with ${cc}: ${(r.stderr || String(r.error ?? '')).trim().split('\n')[0]}`;
    return checked;
  };
  return { binary, compile };
}

/** The arguments both programs take: the workload and the run's counts. */
function countArgs({ workload, counts }: ExternalRequest): string[] {
  return [
    workload,
    String(counts.w1Warmup),
    String(counts.w1RoundTrips),
    String(counts.w2Messages),
    String(counts.w3Buffers),
    String(counts.w3BufferBytes),
  ];
}

const unix = program('unix_ceiling');
const shm = program('shm_ceiling', ['-pthread']);

export const cases: BenchCase[] = [
  {
    name: 'c-unix-socket',
    group: 'c',
    description: 'C program on a Unix socketpair: the kernel mechanism’s ceiling (no encoding)',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len]' : 'opaque 64 bytes, [u32 BE len]'),
    available: () => Promise.resolve(unix.compile()),
    external: { command: (request) => ({ file: unix.binary, args: countArgs(request) }) },
  },
  {
    name: 'c-unix-socket-1m',
    group: 'c',
    description:
      'the same C program with 1 MiB socket buffers (SO_SNDBUF/SO_RCVBUF on both ends), beside ipc-socket-unix-1m',
    workloads: ['W3'],
    encoding: () => 'raw bytes, [u32 BE len]',
    available: () => Promise.resolve(unix.compile()),
    external: {
      command: (request) => ({
        file: unix.binary,
        args: [...countArgs(request), String(W3_SOCKET_BUFFER_BYTES)],
      }),
    },
  },
  {
    name: 'c-shm',
    group: 'c',
    description:
      'C programs on shared memory: an SPSC ring with spin-then-futex (W1–W3); a ring under a process-shared mutex and condition variables (W4)',
    workloads: ['W1', 'W2', 'W3', 'W4'],
    encoding: (w) =>
      w === 'W4'
        ? 'opaque 96-byte slots, pthread mutex + condvars'
        : w === 'W3'
          ? 'raw bytes, ring records'
          : 'opaque 64 bytes, ring records',
    available: () => Promise.resolve(shm.compile()),
    external: {
      command: (request) => ({
        file: shm.binary,
        args: [...countArgs(request), String(request.counts.w4Messages)],
      }),
    },
  },
];
