import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Workload } from '../adapter.js';
import type { RunSize } from '../workloads/counts.js';

/** The options of `npm run bench`. */
export interface CliOptions {
  size: RunSize;
  launches: number;
  /** Case names to run (all available ones when undefined). */
  only?: string[];
  workloads: Workload[];
  /** Folder for results.jsonl, results.json, report.md, chart.svg. */
  out: string;
  /** Also write the Markdown report here (and its chart beside it, same name with `.svg`). */
  markdown?: string;
  /** Check every message completely (`--verify`; the tour), not only ids/order and a sample. */
  verifyAll: boolean;
  /** `--cold`: W2–W4 without their untimed warm-up pass. */
  cold: boolean;
  /**
   * `--contention N[,M]`: how many busy CPU loops run beside every case, one sitting per number
   * (default `[0]`, a quiet machine; `0,2` measures quiet and contended interleaved in one run).
   */
  contention: number[];
  list: boolean;
  help: boolean;
}

/** A command-line mistake: printed as one line plus the valid choices, exit code 2, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const ALL_WORKLOADS: readonly Workload[] = ['W1', 'W2', 'W3', 'W4'];

const OPTIONS = {
  quick: { type: 'boolean' },
  tiny: { type: 'boolean' },
  only: { type: 'string' },
  workloads: { type: 'string' },
  out: { type: 'string' },
  markdown: { type: 'string' },
  launches: { type: 'string' },
  verify: { type: 'boolean' },
  cold: { type: 'boolean' },
  contention: { type: 'string' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: npm run bench -- [options]

  --quick             small counts (a twentieth; W3 32 MiB), one launch: under a minute
  --tiny              smoke-test counts, one launch (seconds)
  --only a,b          run only these cases (transports or rivals; see --list)
  --workloads W1,W3   run only these workloads (default W1,W2,W3,W4)
  --launches N        separate launches per case (default 3; 1 with --quick/--tiny)
  --out DIR           where results.jsonl, results.json, report.md, chart.svg go (default bench-results)
  --markdown FILE     also write the Markdown report to FILE, its chart beside it (FILE.svg)
  --verify            check every message field by field (default: ids/order + every 1,024th)
  --cold              W2–W4 without their untimed warm-up pass (JIT warm-up inside the clock)
  --contention N[,M]  run N busy CPU loops beside every case ("cores" = one per core); a list such as
                      0,cores measures the quiet and the loaded machine interleaved, one table each
  --list              list the cases and whether they can run here
  -h, --help          this help`;

/** Parses the CLI arguments (throws {@link UsageError}). Case names are checked later, against the registry. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; args: string[]; strict: true }>
  >['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    const valid = Object.keys(OPTIONS)
      .map((o) => `--${o}`)
      .join(', ');
    throw new UsageError(`${(err as Error).message.split('\n')[0]}. Valid options: ${valid}`);
  }
  if (values.quick === true && values.tiny === true)
    throw new UsageError('--quick and --tiny exclude each other');
  const size: RunSize = values.tiny === true ? 'tiny' : values.quick === true ? 'quick' : 'full';
  let launches = size === 'full' ? 3 : 1;
  if (values.launches !== undefined) {
    launches = Number(values.launches);
    if (!Number.isInteger(launches) || launches < 1 || launches > 50) {
      throw new UsageError(`--launches must be an integer from 1 to 50, got "${values.launches}"`);
    }
  }
  let workloads = [...ALL_WORKLOADS];
  if (values.workloads !== undefined) {
    const asked = splitList(values.workloads).map((w) => w.toUpperCase());
    const bad = asked.filter((w) => !ALL_WORKLOADS.includes(w as Workload));
    if (bad.length > 0 || asked.length === 0) {
      throw new UsageError(
        `unknown workload ${bad.join(', ') || '(none)'}. Valid workloads: ${ALL_WORKLOADS.join(', ')}`,
      );
    }
    workloads = ALL_WORKLOADS.filter((w) => asked.includes(w));
  }
  const options: CliOptions = {
    size,
    launches,
    workloads,
    out: values.out ?? 'bench-results',
    verifyAll: values.verify === true,
    cold: values.cold === true,
    contention: values.contention === undefined ? [0] : parseContention(values.contention),
    list: values.list === true,
    help: values.help === true,
  };
  if (values.only !== undefined) options.only = splitList(values.only);
  if (values.markdown !== undefined) options.markdown = values.markdown;
  return options;
}

/** `--contention`'s list: integers 0–64 or `cores` (this machine's available parallelism), no repeats. */
function parseContention(text: string): number[] {
  const levels = splitList(text).map((item) => (item === 'cores' ? availableParallelism() : Number(item)));
  if (levels.length === 0 || levels.some((n) => !Number.isInteger(n) || n < 0 || n > 64)) {
    throw new UsageError(
      `--contention takes integers from 0 to 64 or "cores", comma-separated, got "${text}"`,
    );
  }
  return [...new Set(levels)];
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
