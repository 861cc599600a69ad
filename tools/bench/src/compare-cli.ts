/**
 * `npm run bench:compare -- --base REV` — the same cases from two commits, interleaved in one sitting,
 * so a change to a hot path shows its effect beside the machine's noise. See `--help`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './cli/cli-options.js';
import { baseCheckout } from './compare/base-checkout.js';
import { COMPARE_USAGE, parseCompareOptions } from './compare/compare-options.js';
import { readyCases, runOnce, type CaseWorkload, type Side } from './compare/compare-runs.js';
import { compareRecords, compareTable } from './compare/compare-table.js';
import { oneLine } from './process/one-line.js';
import { benchDir } from './process/paths.js';
import type { ResultRecord } from './run/result-record.js';

try {
  const options = parseCompareOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${COMPARE_USAGE}\n`);
  } else {
    const repo = resolve(benchDir, '..', '..');
    const head: Side = { label: 'this checkout', dir: repo };
    const base: Side =
      options.baseDir !== undefined
        ? { label: 'base', dir: resolve(options.baseDir) }
        : { label: options.base!, dir: baseCheckout(repo, options.base!, options.fresh) };
    const inBase = new Set(readyCases(base).map((c) => `${c.name} ${c.workload}`));
    const pairs: CaseWorkload[] = readyCases(head).filter(
      (c) =>
        inBase.has(`${c.name} ${c.workload}`) &&
        (options.only === undefined || options.only.includes(c.name)) &&
        (options.workloads === undefined || options.workloads.includes(c.workload)),
    );
    if (pairs.length === 0)
      throw new UsageError('no case is ready on both sides (see npm run bench -- --list)');
    const tmp = mkdtempSync(join(tmpdir(), 'ipc-bench-compare-'));
    const records = { base: [] as ResultRecord[], head: [] as ResultRecord[] };
    try {
      let n = 0;
      const total = pairs.length * options.launches * 2;
      for (let launch = 1; launch <= options.launches; launch++) {
        for (const cw of pairs) {
          // ABBA: alternate which side goes first, so neither always meets the warmer machine.
          const order = launch % 2 === 1 ? (['base', 'head'] as const) : (['head', 'base'] as const);
          for (const side of order) {
            n++;
            process.stderr.write(
              `[${n}/${total}] ${side === 'base' ? base.label : head.label} ${cw.workload} ${cw.name}\n`,
            );
            const got = runOnce(side === 'base' ? base : head, cw, options.benchArgs, join(tmp, String(n)));
            records[side].push(...got);
          }
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    process.stdout.write(`\n${compareTable(compareRecords(records.base, records.head), base.label)}\n`);
  }
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`bench:compare: ${err.message}\n(npm run bench:compare -- --help for usage)\n`);
    process.exit(2);
  }
  process.stderr.write(`bench:compare: ${oneLine(err)}\n`);
  process.exit(1);
}
