import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { within } from './bounded.js';
import { ChildSet } from './child-set.js';
import type { PassOptions, Scenario } from './scenario.js';
import { Tally } from './tally.js';

/** Options of {@link runSuite}. */
export interface RunSuiteOptions extends PassOptions {
  /** Where the run's private folder goes (default the OS temp folder). */
  tempRoot?: string | undefined;
  /** Called with each scenario's name as it starts (progress output). */
  onStart?: ((scenario: Scenario) => void) | undefined;
  /** Called with each scenario's rows once it is over (so that a long pass shows results as it goes). */
  onDone?: ((scenario: Scenario, rows: readonly Tally[]) => void) | undefined;
}

/** The outcome of a run: every row, and whether all passed. */
export interface SuiteResult {
  /** The rows of the report table, in order. */
  readonly rows: Tally[];
  /** True when every row passed. */
  readonly passed: boolean;
  /** The run's private folder (removed by now). */
  readonly dir: string;
}

/** The prefix of every file and folder the suite makes in /tmp and /dev/shm. */
export const CHAOS_PREFIX = 'ipc-chaos-';

/**
 * Runs `scenarios` one after the other, each in its own private folder with its own {@link ChildSet}
 * and time bound: a scenario past its bound is reported as hung (a row `<name>` with `hung` 1), its
 * children are killed and the run goes on. Rows that ran no trial fail; skipped rows do not.
 */
export async function runSuite(
  scenarios: readonly Scenario[],
  options: RunSuiteOptions,
): Promise<SuiteResult> {
  const tempRoot = options.tempRoot ?? tmpdir();
  const otherRuns = readdirSync(tempRoot).filter((n) => n.startsWith(CHAOS_PREFIX));
  const root = mkdtempSync(join(tempRoot, CHAOS_PREFIX));
  const rows: Tally[] = [];
  const earlier: ChildSet[] = [];
  try {
    for (const scenario of scenarios) {
      options.onStart?.(scenario);
      const dir = mkdtempSync(join(root, `${scenario.name}-`));
      const children = new ChildSet();
      const controller = new AbortController();
      const own = new Map<string, Tally>();
      const row = (name: string): Tally => {
        let tally = own.get(name);
        if (tally === undefined) {
          tally = new Tally(name);
          own.set(name, tally);
          rows.push(tally);
        }
        return tally;
      };
      const bound = scenario.timeoutMs(options);
      const outcome = await within(
        scenario.run({
          quick: options.quick,
          dir,
          root,
          otherRuns,
          liveChildren: () => earlier.reduce((n, set) => n + set.running, 0),
          children,
          signal: controller.signal,
          row,
        }),
        bound,
      );
      controller.abort();
      if (outcome.kind === 'hung') {
        row(scenario.name).hang(`the scenario did not end within ${Math.round(bound / 1000)} s`);
      } else if (outcome.kind === 'error') {
        row(scenario.name).fail(`the scenario threw: ${String(outcome.error).split('\n')[0]}`);
      }
      await children.killAll();
      earlier.push(children);
      if (own.size === 0) row(scenario.name);
      options.onDone?.(scenario, [...own.values()]);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { rows, passed: rows.every((r) => r.passed), dir: root };
}
