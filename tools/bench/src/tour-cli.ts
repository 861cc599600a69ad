/**
 * `npm start` — the tour: every transport that can run here, across real processes, on W1–W4 at quick
 * counts, every message checked field by field; then one table. A case that cannot run (a service
 * down, a package not built, no adapter) is skipped with a one-line reason.
 */
import { join } from 'node:path';
import { parseCliOptions, UsageError, type CliOptions } from './cli/cli-options.js';
import { runBench } from './cli/run-bench.js';
import { oneLine } from './process/one-line.js';
import { tourTable } from './report/tour-table.js';
import { contentionLevels, contentionTitle } from './run/summary.js';

// The same options as the bench (e.g. `npm start -- --only ipc-pipe`), but quick (or tiny), one
// launch, every message checked.
let options: CliOptions;
try {
  const parsed = parseCliOptions(process.argv.slice(2));
  options = {
    ...parsed,
    size: parsed.size === 'tiny' ? 'tiny' : 'quick',
    launches: 1,
    out: process.argv.includes('--out')
      ? parsed.out
      : (process.env['IPC_TOUR_OUT'] ?? join('bench-results', 'tour')),
    verifyAll: true,
  };
} catch (err) {
  process.stderr.write(`tour: ${err instanceof UsageError ? err.message : oneLine(err)}\n`);
  process.exit(2);
}
const out = options.out;
process.stdout.write(
  '@ipc tour: each transport and its rivals (Node built-ins, Python multiprocessing) on workloads W1–W4,\n' +
    'in separate processes, quick counts, every message checked. Figures are noisy: see BENCHMARKS.md.\n\n',
);
try {
  const run = await runBench(options, 'npm start');
  const failures = run.records.filter((r) => !r.ok);
  const levels = contentionLevels(run.rows);
  for (const level of levels) {
    if (levels.length > 1 || level !== 0) process.stdout.write(`\n${contentionTitle(level)}:`);
    const rows = run.rows.filter((r) => (r.contention ?? 0) === level);
    process.stdout.write(`\n${tourTable(rows, run.workloads)}\n`);
  }
  process.stdout.write('(×N: speed relative to the best Node built-in of the workload; higher is faster)\n');
  if (run.skipped.length > 0) {
    process.stdout.write('\nSkipped:\n');
    for (const s of run.skipped) process.stdout.write(`  ${s.name}: ${s.reason}\n`);
  }
  const checked = run.records.length - failures.length;
  process.stdout.write(
    `\n${checked} of ${run.records.length} case runs delivered every message intact` +
      `${run.skipped.length > 0 ? `; ${run.skipped.length} case(s) skipped` : ''}. Results in ${out}/.\n`,
  );
  const leaks = run.records.filter((r) => r.leftovers !== undefined);
  if (leaks.length > 0) {
    process.stdout.write('\nLeft behind (removed by the harness):\n');
    for (const r of leaks) process.stdout.write(`  ${r.workload} ${r.peer}: ${r.leftovers!.join(', ')}\n`);
  }
  if (failures.length > 0) {
    process.stdout.write('\nFailed:\n');
    for (const f of failures) process.stdout.write(`  ${f.workload} ${f.peer}: ${f.error}\n`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`tour: ${oneLine(err)}\n`);
  process.exitCode = 1;
}
