/** `npm run bench` — see `--help` and tools/bench/README.md. */
import { parseCliOptions, USAGE, UsageError } from './cli/cli-options.js';
import { runBench } from './cli/run-bench.js';
import { oneLine } from './process/one-line.js';
import { transportsDir } from './process/paths.js';
import { discoverCases } from './run/registry.js';
import { textTable } from './report/text-table.js';

const argv = process.argv.slice(2);

/** How this run was started, as a reader would type it (for the report's header). */
function commandLine(args: readonly string[]): string {
  const event = process.env['npm_lifecycle_event'];
  if (event === 'bench:report') {
    const fixed = ['--out', 'bench-results', '--markdown', 'BENCHMARKS.md'];
    const extra = args.join(' ').replace(fixed.join(' '), '').trim();
    return `npm run bench:report${extra !== '' ? ` -- ${extra}` : ''}`;
  }
  if (event === 'bench') return `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  return ['node tools/bench/dist/cli.js', ...args].join(' ');
}
try {
  const options = parseCliOptions(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
  } else if (options.list) {
    const { cases, broken } = await discoverCases(transportsDir);
    for (const c of cases) {
      process.stdout.write(
        `${c.case.name.padEnd(24)} ${c.case.group.padEnd(7)} ${c.case.workloads.join(',').padEnd(12)} ${c.unavailable === undefined ? 'ready' : `unavailable: ${c.unavailable}`}\n`,
      );
    }
    for (const b of broken) process.stdout.write(`${b.name.padEnd(24)} -       -            ${b.reason}\n`);
  } else {
    const run = await runBench(options, commandLine(argv));
    process.stdout.write(`\n${textTable(run.rows, run.workloads)}\n\n`);
    process.stdout.write(`Wrote ${run.files.join(', ')}\n`);
  }
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`bench: ${err.message}\n(npm run bench -- --help for usage)\n`);
    process.exit(2);
  }
  process.stderr.write(`bench: ${oneLine(err)}\n`);
  process.exit(1);
}
