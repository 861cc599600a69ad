import type { BrokenAdapter, RegisteredCase } from '../run/registry.js';
import { UsageError } from './cli-options.js';

/** The cases a run will measure, and those it skips with a reason. */
export interface Selection {
  run: RegisteredCase[];
  skipped: { name: string; reason: string }[];
}

/** Picks `only` (or every case); unknown names are a {@link UsageError} listing the valid ones. */
export function selectCases(
  cases: readonly RegisteredCase[],
  broken: readonly BrokenAdapter[],
  only: readonly string[] | undefined,
): Selection {
  const known = [...cases.map((c) => c.case.name), ...broken.map((b) => b.name)];
  if (only !== undefined) {
    const unknown = only.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown case${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Valid cases: ${[...known].sort().join(', ')}`,
      );
    }
  }
  const wanted = (name: string): boolean => only === undefined || only.includes(name);
  const run: RegisteredCase[] = [];
  const skipped: Selection['skipped'] = [];
  for (const c of cases) {
    if (!wanted(c.case.name)) continue;
    if (c.unavailable !== undefined) skipped.push({ name: c.case.name, reason: c.unavailable });
    else run.push(c);
  }
  for (const b of broken) if (wanted(b.name)) skipped.push({ name: b.name, reason: b.reason });
  return { run, skipped };
}
