import { afterAll, beforeAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A line of results.jsonl, as the tests read it. */
export interface JsonlRecord {
  peer: string;
  workload: string;
  unit: string;
  ok: boolean;
  launch: number;
  error?: string;
  median_us?: number;
  p99_us?: number;
  msgs_s?: number;
  MiB_s?: number;
  count?: number;
  bytes?: number;
  leftovers?: string[];
  scale?: number;
  contention?: number;
}

/** A row of results.json's summary. */
export interface SummaryJson {
  peer: string;
  workload: string;
  bestNode?: boolean;
  ratio?: number;
}

/** Reads results.jsonl. */
export function readJsonl(text: string): JsonlRecord[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonlRecord);
}

/** tools/bench */
export const benchDir = join(__dirname, '..');
const dist = join(benchDir, 'dist');

/** Runs a compiled entry (`cli.js`, `tour-cli.js`) and returns its exit code and output. */
export function runDist(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const file = join(dist, script);
  if (!existsSync(file))
    throw new Error(`${file} is missing: build first (npx tsc -b tools/bench/tsconfig.json)`);
  const r = spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `fn` with a fresh private temporary folder, removed afterwards (also when `fn` throws). */
export function withTempDir<T>(fn: (dir: string) => T, prefix = 'ipc-bench-test-'): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh private temporary folder for the tests of the enclosing `describe`: made before them, removed after. */
export function tempDirForTests(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipc-bench-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
