/**
 * The ceiling: what the kernel's Unix stream socket does for a C program on this machine, measured
 * in the same run (`c/unix_ceiling.c`, compiled here on first use with the system's `cc`). Opaque
 * 64-byte payloads for W1/W2 (no encoding at all), 1 MiB buffers for W3; the same framing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from '../adapter.js';
import { benchDir } from '../process/paths.js';

const source = join(benchDir, 'c', 'unix_ceiling.c');
/** Where the compiled program goes (`IPC_BENCH_C_BUILD` to put it elsewhere). */
const buildDir = process.env['IPC_BENCH_C_BUILD'] ?? join(benchDir, 'c', 'build');
const binary = join(buildDir, 'unix_ceiling');
let checked: string | undefined | null = null;

/** Compiles the program unless an up-to-date binary exists; the reason it cannot run, or undefined. */
function compile(): string | undefined {
  if (checked !== null) return checked;
  const mtime = (file: string): number => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (mtime(binary) >= mtime(source) && mtime(source) >= 0) return (checked = undefined);
  mkdirSync(buildDir, { recursive: true });
  const cc = process.env['CC'] ?? 'cc';
  const r = spawnSync(cc, ['-O2', '-o', binary, source], { encoding: 'utf8', timeout: 60_000 });
  checked =
    r.status === 0
      ? undefined
      : `cannot compile ${source} with ${cc}: ${(r.stderr || String(r.error ?? '')).trim().split('\n')[0]}`;
  return checked;
}

export const cases: BenchCase[] = [
  {
    name: 'c-unix-socket',
    group: 'c',
    description: 'C program on a Unix socketpair: the kernel mechanism’s ceiling (no encoding)',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len]' : 'opaque 64 bytes, [u32 BE len]'),
    available: () => Promise.resolve(compile()),
    external: {
      command: ({ workload, counts }) => ({
        file: binary,
        args: [
          workload,
          String(counts.w1Warmup),
          String(counts.w1RoundTrips),
          String(counts.w2Messages),
          String(counts.w3Buffers),
          String(counts.w3BufferBytes),
        ],
      }),
    },
  },
];
