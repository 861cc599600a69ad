/**
 * Rivals: Python's `multiprocessing` on this machine (standard library only): `Pipe` (pickle;
 * `send_bytes` for W3) for W1–W3, `shared_memory` for W3 (slots flow-controlled by two semaphores,
 * copied in and copied out) and `Queue` for W4, run by `python/mp_bench.py`, which measures itself.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchCase, ExternalSide } from '../adapter.js';
import { benchDir } from '../process/paths.js';

const PYTHON = process.env['IPC_BENCH_PYTHON'] ?? 'python3';
let checked: string | undefined | null = null;

async function pythonAvailable(): Promise<string | undefined> {
  if (checked !== null) return checked;
  const r = spawnSync(PYTHON, ['-c', 'import multiprocessing, sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  checked = r.status === 0 ? undefined : `${PYTHON} not found or without multiprocessing`;
  return checked;
}

/** Runs `python/mp_bench.py` for the workload, with `extra` arguments after its own (`shm`: shared_memory). */
function external(...extra: string[]): ExternalSide {
  return {
    command: (request) => ({
      file: PYTHON,
      args: [
        join(benchDir, 'python', 'mp_bench.py'),
        request.workload,
        JSON.stringify(request.counts),
        request.verifyAll ? 'all' : 'sample',
        ...extra,
      ],
    }),
  };
}

export const cases: BenchCase[] = [
  {
    name: 'python-mp-pipe',
    group: 'python',
    description: 'Python multiprocessing.Pipe + Process',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes (send_bytes), [u32 BE len]' : 'pickle, [u32 BE len]'),
    available: pythonAvailable,
    external: external(),
  },
  {
    name: 'python-mp-shared-memory',
    group: 'python',
    description:
      'Python multiprocessing.shared_memory: 8 one-buffer slots, two Semaphores (free, filled); copied in, copied out into a kept buffer',
    workloads: ['W3'],
    encoding: () => 'raw bytes, shared-memory slots, copy in and copy out',
    available: pythonAvailable,
    external: external('shm'),
  },
  {
    name: 'python-mp-queue',
    group: 'python',
    description: 'Python multiprocessing.Queue, 2 producers + 2 consumers',
    workloads: ['W4'],
    encoding: () => 'pickle (Queue feeder thread + pipe + lock)',
    available: pythonAvailable,
    external: external(),
  },
];
