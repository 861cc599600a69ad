import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Counts, Workload } from '../adapter.js';
import { encodeSpec } from '../process/case-spec.js';
import { caseMain } from '../process/paths.js';
import type { CaseOutcome } from './case-outcome.js';
import type { RegisteredCase } from './registry.js';
import { scaleCounts } from '../workloads/counts.js';
import type { ResultRecord } from './result-record.js';

let runs = 0;

/**
 * Runs one case on one workload in a fresh process group (`case-main.js`), killing it all after
 * `timeoutMs`, and returns its record (a failure is a record with `ok: false` and a one-line error).
 */
export async function runCaseProcess(
  reg: RegisteredCase,
  workload: Workload,
  counts: Counts,
  launch: number,
  timeoutMs: number,
  verifyAll = false,
): Promise<ResultRecord> {
  const c = reg.case;
  const dir = mkdtempSync(join(tmpdir(), 'ipc-bench-'));
  runs += 1;
  const id = `b${process.pid.toString(36)}${runs.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const scale = c.countScale?.[workload];
  const spec = {
    module: reg.module,
    caseName: c.name,
    workload,
    counts: scaleCounts(counts, workload, scale),
    dir,
    id,
    info: {},
    verifyAll,
  };
  const started = Date.now();
  const child = fork(caseMain, [encodeSpec(spec)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    serialization: 'json',
  });
  // Ctrl-C reaches only the CLI's process group: take the case's group down with it.
  const interrupted = (): void => {
    killGroup(child.pid);
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const outcome = await new Promise<CaseOutcome>((resolve) => {
    let settled: CaseOutcome | undefined;
    const timer = setTimeout(() => {
      settled ??= { ok: false, error: `timed out after ${Math.round(timeoutMs / 1000)} s` };
      killGroup(child.pid);
    }, timeoutMs);
    child.on('message', (m: CaseOutcome) => (settled ??= m));
    child.on('error', (err) => (settled ??= { ok: false, error: err.message }));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // any process the case left behind
      resolve(
        settled ?? {
          ok: false,
          error: `the case process exited (${signal ?? `code ${code}`}): ${lastLine(stderr) || 'no output'}`,
        },
      );
    });
  });
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
  rmSync(dir, { recursive: true, force: true });
  const leftovers = removeLeftovers(id);
  const record: ResultRecord = {
    peer: c.name,
    workload,
    ...(outcome.ok ? withoutWorkload(outcome.measurement) : {}),
    launch,
    group: c.group,
    encoding: c.encoding(workload),
    ok: outcome.ok,
    wall_ms: Date.now() - started,
  };
  if (!outcome.ok) record.error = outcome.error;
  if (leftovers.length > 0) record.leftovers = leftovers;
  if (scale !== undefined && scale < 1) record.scale = scale;
  return record;
}

/** Shared-memory segments named after the run's id that the case did not remove (removed here). */
function removeLeftovers(id: string): string[] {
  let names: string[];
  try {
    names = readdirSync('/dev/shm').filter((n) => n.includes(id));
  } catch {
    return [];
  }
  for (const n of names) rmSync(join('/dev/shm', n), { force: true });
  return names.map((n) => join('/dev/shm', n));
}

function withoutWorkload<T extends { workload: unknown }>(m: T): Omit<T, 'workload'> {
  const { workload: _, ...rest } = m;
  return rest;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('at '))
      .at(-1) ?? ''
  );
}
