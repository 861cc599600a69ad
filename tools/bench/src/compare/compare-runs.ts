import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRecord } from '../run/result-record.js';

/** A checkout whose benchmark is compared: its folder and a label for the table. */
export interface Side {
  label: string;
  dir: string;
}

/** A case on a workload, as both sides can run it. */
export interface CaseWorkload {
  name: string;
  workload: string;
}

function cli(side: Side): string {
  return join(side.dir, 'tools', 'bench', 'dist', 'cli.js');
}

/** The (case, workload) pairs a side's `--list` says are ready. */
export function readyCases(side: Side): CaseWorkload[] {
  const file = cli(side);
  if (!existsSync(file)) throw new Error(`${file} is missing: build ${side.dir} first`);
  const r = spawnSync(process.execPath, [file, '--list'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${side.label}: bench --list failed: ${r.stderr.trim()}`);
  const out: CaseWorkload[] = [];
  for (const line of r.stdout.split('\n')) {
    const [name, , workloads, status] = line.trim().split(/\s+/);
    if (name === undefined || workloads === undefined || status !== 'ready') continue;
    for (const workload of workloads.split(',')) out.push({ name, workload });
  }
  return out;
}

/** Runs one case on one workload once with a side's bench; returns its records (none if it broke). */
export function runOnce(
  side: Side,
  cw: CaseWorkload,
  benchArgs: readonly string[],
  outDir: string,
): ResultRecord[] {
  const args = [cli(side), '--only', cw.name, '--workloads', cw.workload, '--launches', '1', '--out', outDir];
  const r = spawnSync(process.execPath, [...args, ...benchArgs], {
    cwd: side.dir,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  const results = join(outDir, 'results.jsonl');
  if (!existsSync(results)) {
    process.stderr.write(
      `bench:compare: ${side.label} ${cw.workload} ${cw.name} did not run: ${r.stderr.trim().split('\n').at(-1) ?? ''}\n`,
    );
    return [];
  }
  return readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ResultRecord);
}
