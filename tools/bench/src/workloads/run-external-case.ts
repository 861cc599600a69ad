import { spawn } from 'node:child_process';
import type { BenchCase } from '../adapter.js';
import type { CaseSpec } from '../process/case-spec.js';
import { bulkRate, messageRate, type Measurement } from './measurement.js';

interface ExternalResult {
  ok: boolean;
  error?: string;
  secs?: number;
  median_us?: number;
  p99_us?: number;
  mean_us?: number;
  min_us?: number;
  max_us?: number;
}

/** Runs a self-measuring program (a Python rival) and turns its last stdout line into a measurement. */
export async function runExternalCase(c: BenchCase, spec: CaseSpec): Promise<Measurement> {
  if (c.external === undefined) throw new Error(`${c.name} has no external side`);
  const { file, args } = c.external.command({
    caseName: c.name,
    workload: spec.workload,
    counts: spec.counts,
    dir: spec.dir,
    verifyAll: spec.verifyAll === true,
  });
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const last = out.trim().split('\n').at(-1) ?? '';
  let r: ExternalResult;
  try {
    r = JSON.parse(last) as ExternalResult;
  } catch {
    const why = err.trim().split('\n').at(-1) ?? 'no output';
    throw new Error(`${file} exited with code ${code}: ${why}`);
  }
  if (!r.ok) throw new Error(r.error ?? 'the program reported a failure');
  const n = spec.counts;
  switch (spec.workload) {
    case 'W1':
      return {
        workload: 'W1',
        unit: 'us/roundtrip',
        median_us: r.median_us ?? NaN,
        p99_us: r.p99_us ?? NaN,
        mean_us: r.mean_us ?? NaN,
        min_us: r.min_us ?? NaN,
        max_us: r.max_us ?? NaN,
        count: n.w1RoundTrips,
      };
    case 'W2':
      return messageRate('W2', n.w2Messages, (r.secs ?? NaN) * 1e9);
    case 'W3':
      return bulkRate(n.w3Buffers * n.w3BufferBytes, (r.secs ?? NaN) * 1e9);
    case 'W4':
      return messageRate('W4', n.w4Messages, (r.secs ?? NaN) * 1e9);
  }
}
