/**
 * `npm run chaos [-- --quick] [--only name,name] [--list]`: runs the chaos scenarios, prints the report
 * table, and exits 1 when any row failed (2 on a bad command line).
 */
import { parseCliOptions } from './cli-options.js';
import { allScenarios, finalCheck } from './scenarios/all-scenarios.js';
import { reportTable } from './suite/report-table.js';
import { runSuite } from './suite/run-suite.js';

let options;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
if (options.list) {
  for (const s of [...allScenarios, finalCheck]) process.stdout.write(`${s.name}: ${s.description}\n`);
  process.exit(0);
}
const only = options.only;
const unknown = only?.filter((name) => !allScenarios.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')} (see --list)\n`);
  process.exit(2);
}
const chosen = [...allScenarios.filter((s) => only === undefined || only.includes(s.name)), finalCheck];
const started = Date.now();
const result = await runSuite(chosen, {
  quick: options.quick,
  onStart: (s) => process.stderr.write(`chaos: ${s.name} (${Math.round((Date.now() - started) / 1000)} s)\n`),
  onDone: (_s, rows) => process.stderr.write(`${reportTable(rows)}\n`),
});
process.stdout.write(`\n${reportTable(result.rows)}\n\n`);
const failed = result.rows.filter((r) => !r.passed).length;
process.stdout.write(
  `chaos ${options.quick ? 'quick' : 'full'} pass: ${result.rows.length - failed} rows ok, ${failed} failed, ${Math.round((Date.now() - started) / 1000)} s\n`,
);
process.exit(failed === 0 ? 0 : 1);
