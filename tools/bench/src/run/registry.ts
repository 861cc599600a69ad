import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase, Workload } from '../adapter.js';
import { oneLine } from '../process/one-line.js';

/** A case found in `dist/transports/`, and whether it can run here. */
export interface RegisteredCase {
  readonly case: BenchCase;
  /** The compiled module that exports it. */
  readonly module: string;
  /** `undefined` when it can run; otherwise the one-line reason. */
  readonly unavailable?: string;
}

/** An adapter file that could not be loaded (its cases are unknown). */
export interface BrokenAdapter {
  readonly module: string;
  readonly name: string;
  readonly reason: string;
}

const WORKLOADS: readonly Workload[] = ['W1', 'W2', 'W3', 'W4'];

/**
 * Imports every `*.js` adapter in `dir` (and in the folders of `IPC_BENCH_ADAPTERS`, separated by
 * `:` — for out-of-tree adapters and the harness's own tests), validates its cases and asks each
 * whether it is available.
 */
export async function discoverCases(
  dir: string,
): Promise<{ cases: RegisteredCase[]; broken: BrokenAdapter[] }> {
  const dirs = [dir, ...(process.env['IPC_BENCH_ADAPTERS'] ?? '').split(':').filter((d) => d !== '')];
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.js'))
      .sort()
      .map((f) => join(d, f)),
  );
  const found: RegisteredCase[] = [];
  const broken: BrokenAdapter[] = [];
  const seen = new Set<string>();
  for (const module of files) {
    const file = basename(module);
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(module).href)) as { cases?: unknown }).cases;
    } catch (err) {
      broken.push({ module, name: basename(file, '.js'), reason: `adapter failed to load: ${oneLine(err)}` });
      continue;
    }
    if (!Array.isArray(exported)) {
      broken.push({ module, name: basename(file, '.js'), reason: 'adapter exports no `cases` array' });
      continue;
    }
    for (const c of exported as BenchCase[]) {
      const problem = validate(c, seen);
      if (problem !== undefined) {
        broken.push({
          module,
          name: typeof c?.name === 'string' ? c.name : basename(file, '.js'),
          reason: problem,
        });
        continue;
      }
      seen.add(c.name);
      // 'node' is the ratios' reference: the Node built-ins (child_process, net), named node-*.
      // A library used directly (raw zeromq, amqplib) counts as 'library' whatever it says.
      const group = c.group === 'node' && !c.name.startsWith('node-') ? 'library' : c.group;
      found.push({ case: group === c.group ? c : { ...c, group }, module });
    }
  }
  // Availability checks run together (a service check may take its time).
  const cases = await Promise.all(
    found.map(async (reg): Promise<RegisteredCase> => {
      let unavailable: string | undefined;
      try {
        const reason = await withTimeout(reg.case.available?.() ?? Promise.resolve(undefined), 15_000);
        if (reason !== undefined) unavailable = oneLine(reason);
      } catch (err) {
        unavailable = `availability check failed: ${oneLine(err)}`;
      }
      return unavailable === undefined ? reg : { ...reg, unavailable };
    }),
  );
  return { cases, broken };
}

function validate(c: BenchCase, seen: Set<string>): string | undefined {
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.name !== 'string' ||
    !/^[a-z0-9][a-z0-9-]*$/.test(c.name)
  ) {
    return 'invalid case: `name` must be kebab-case';
  }
  if (seen.has(c.name)) return `duplicate case name ${c.name}`;
  if (
    !Array.isArray(c.workloads) ||
    (c.workloads as unknown[]).some((w) => !WORKLOADS.includes(w as Workload))
  ) {
    return `${c.name}: \`workloads\` must list W1–W4`;
  }
  if (c.external === undefined) {
    if (c.workloads.some((w) => w !== 'W4') && c.link === undefined) return `${c.name}: W1–W3 need \`link\``;
    if (c.workloads.includes('W4') && c.queue === undefined) return `${c.name}: W4 needs \`queue\``;
  }
  const scales = Object.values(c.countScale ?? {});
  if (scales.some((f) => typeof f !== 'number' || !(f > 0 && f <= 1))) {
    return `${c.name}: \`countScale\` fractions must be in (0, 1]`;
  }
  if (typeof c.encoding !== 'function') return `${c.name}: \`encoding\` must be a function of the workload`;
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
