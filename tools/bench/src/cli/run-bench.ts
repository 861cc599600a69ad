import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Counts, Workload } from '../adapter.js';
import { benchDir, transportsDir } from '../process/paths.js';
import { formatDuration } from '../report/format.js';
import { markdownReport } from '../report/markdown-report.js';
import { machineInfo, type RunInfo } from '../report/run-info.js';
import { svgChart } from '../report/svg-chart.js';
import { planSteps } from '../run/plan.js';
import { discoverCases } from '../run/registry.js';
import type { ResultRecord } from '../run/result-record.js';
import { startBusyLoops } from '../run/busy-loops.js';
import { runCaseProcess } from '../run/run-case-process.js';
import { contentionLevels, contentionTitle, summarize, type SummaryRow } from '../run/summary.js';
import { countsFor } from '../workloads/counts.js';
import type { CliOptions } from './cli-options.js';
import { Progress } from './progress.js';
import { selectCases } from './select-cases.js';

/** What a finished run produced. */
export interface BenchRun {
  records: ResultRecord[];
  rows: SummaryRow[];
  skipped: { name: string; reason: string }[];
  info: RunInfo;
  workloads: Workload[];
  /** Files written. */
  files: string[];
}

/** Per-case time limits (the whole case process, setup included). */
const TIMEOUT_MS = { full: 240_000, quick: 45_000, tiny: 30_000 } as const;

/** Discovers, selects, runs (interleaved launches) and writes the results. */
export async function runBench(
  options: CliOptions,
  command: string,
  progress = new Progress(),
): Promise<BenchRun> {
  const started = Date.now();
  const { cases, broken } = await discoverCases(transportsDir);
  const { run, skipped } = selectCases(cases, broken, options.only);
  const counts = countsFor(options.size, options.cold);
  const steps = planSteps(run, options.workloads, options.launches, options.contention);
  for (const s of skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
  progress.start(
    steps.length,
    `bench (${options.size}, ${options.launches} launch${options.launches > 1 ? 'es' : ''}${contentionLabel(options.contention)})`,
  );
  const records: ResultRecord[] = [];
  try {
    for (const step of steps) {
      progress.caseStarted(step.reg.case.name, step.workload, step.launch, options.launches);
      const loops = step.contention > 0 ? await startBusyLoops(step.contention) : undefined;
      let record: ResultRecord;
      try {
        record = await runCaseProcess(
          step.reg,
          step.workload,
          counts,
          step.launch,
          TIMEOUT_MS[options.size],
          options.verifyAll,
        );
      } finally {
        await loops?.stop();
      }
      if (step.contention > 0) record.contention = step.contention;
      records.push(record);
      progress.caseDone(record);
    }
  } finally {
    progress.finish();
  }
  const descriptions = new Map(run.map((r) => [r.case.name, r.case.description] as const));
  const notes = new Map(
    run.flatMap((r) => (r.case.note !== undefined ? [[r.case.name, r.case.note] as const] : [])),
  );
  const rows = summarize(records, notes);
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command,
    size: options.size === 'full' ? 'full SPEC' : options.size,
    launches: options.launches,
    warmUp: warmUpLine(counts),
    contention: options.contention,
    duration: formatDuration(Date.now() - started),
    machine: machineInfo(),
  };
  if (process.env['IPC_BENCH_NOTE'] !== undefined) info.note = process.env['IPC_BENCH_NOTE'];
  const files = writeOutputs(
    options,
    { records, rows, skipped, info, workloads: options.workloads, files: [] },
    counts,
    descriptions,
  );
  return { records, rows, skipped, info, workloads: options.workloads, files };
}

/** The progress header's words for the contention levels (nothing for a quiet-only run). */
function contentionLabel(levels: readonly number[]): string {
  if (levels.length === 1 && levels[0] === 0) return '';
  return `, ${levels.map((n) => (n === 0 ? 'quiet' : `${n} busy loop${n > 1 ? 's' : ''}`)).join(' and ')}`;
}

/** The report's line on what ran untimed first. */
function warmUpLine(c: Counts): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const pass = (w: string, x: number, what: string): string =>
    x > 0
      ? `${w} an untimed pass of ${n(x)} ${x === 1 ? what.slice(0, -1) : what} first, in the same processes`
      : `${w} cold (\`--cold\`)`;
  return [
    `W1 ${n(c.w1Warmup)} round trips`,
    pass('W2', c.w2Warmup, 'messages'),
    pass('W3', c.w3Warmup, 'buffers'),
    pass('W4', c.w4Warmup, 'messages'),
    'C programs none (no JIT)',
  ].join('; ');
}

/** The link to SPEC.md from a report in `dir`. */
function specFrom(dir: string): string {
  return relative(resolve(dir), join(benchDir, 'SPEC.md')).split(sep).join('/');
}

function writeOutputs(
  options: CliOptions,
  run: BenchRun,
  counts: object,
  descriptions: ReadonlyMap<string, string>,
): string[] {
  const files: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    files.push(path);
  };
  const subtitle = `${run.info.date} · ${run.info.machine.cpus} cores · Node ${run.info.machine.node} · ${run.info.size} counts, ${run.info.launches} launch(es)`;
  // The chart shows one machine state: the first level measured (quiet, unless only loaded runs).
  const charted = contentionLevels(run.rows)[0] ?? 0;
  const chart = svgChart(
    run.rows.filter((r) => (r.contention ?? 0) === charted),
    run.workloads,
    charted === 0 ? subtitle : `${subtitle} · ${contentionTitle(charted)}`,
  );
  write(join(options.out, 'results.jsonl'), run.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  write(
    join(options.out, 'results.json'),
    `${JSON.stringify({ info: run.info, counts, workloads: run.workloads, summary: run.rows, skipped: run.skipped, records: run.records }, null, 2)}\n`,
  );
  write(join(options.out, 'chart.svg'), chart);
  write(
    join(options.out, 'report.md'),
    markdownReport(run.rows, run.info, 'chart.svg', run.skipped, descriptions, specFrom(options.out)),
  );
  if (options.markdown !== undefined) {
    const svgPath = options.markdown.replace(/\.md$/i, '') + '.svg';
    write(svgPath, chart);
    write(
      options.markdown,
      markdownReport(
        run.rows,
        run.info,
        basename(svgPath),
        run.skipped,
        descriptions,
        specFrom(dirname(options.markdown)),
      ),
    );
  }
  return files;
}
