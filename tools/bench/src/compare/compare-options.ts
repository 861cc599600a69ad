import { parseArgs } from 'node:util';
import { UsageError } from '../cli/cli-options.js';

/** The options of `npm run bench:compare`. */
export interface CompareOptions {
  /** The commit to compare against (built in a cached worktree), when `baseDir` is not given. */
  base?: string;
  /** An already built checkout to use as the base instead of `base`. */
  baseDir?: string;
  /** Only these cases (`--only`); every case ready on both sides when undefined. */
  only?: string[];
  /** Only these workloads (`--workloads`); all when undefined. */
  workloads?: string[];
  /** Options passed through to each bench run (size, contention, cold). */
  benchArgs: string[];
  /** Interleaved rounds (each case runs once per side per round). */
  launches: number;
  /** Install the base with `npm ci` even when a cached build exists. */
  fresh: boolean;
  help: boolean;
}

const OPTIONS = {
  base: { type: 'string' },
  'base-dir': { type: 'string' },
  launches: { type: 'string' },
  fresh: { type: 'boolean' },
  quick: { type: 'boolean' },
  tiny: { type: 'boolean' },
  only: { type: 'string' },
  workloads: { type: 'string' },
  contention: { type: 'string' },
  cold: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMPARE_USAGE = `Usage: npm run bench:compare -- --base REV [options]

Runs the same cases from two commits interleaved in one sitting (base, this checkout, this checkout,
base, …) and prints this checkout's speed relative to the base for each case.

  --base REV          the commit to compare with (built once in .bench-compare/<sha>, then reused)
  --base-dir DIR      an already built checkout to use as the base instead
  --launches N        interleaved rounds (default 3; each case runs once per side per round)
  --fresh             reinstall the base's dependencies (npm ci) even when it is cached
  --quick, --tiny, --only a,b, --workloads W1,W2, --contention N, --cold   as for npm run bench
  -h, --help          this help`;

/** Parses the command line (throws {@link UsageError}). */
export function parseCompareOptions(argv: readonly string[]): CompareOptions {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; args: string[]; strict: true }>
  >['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const launches = values.launches === undefined ? 3 : Number(values.launches);
  if (!Number.isInteger(launches) || launches < 1 || launches > 50)
    throw new UsageError(`--launches must be an integer from 1 to 50, got "${values.launches}"`);
  if (values.help !== true && (values.base === undefined) === (values['base-dir'] === undefined))
    throw new UsageError('give exactly one of --base REV and --base-dir DIR');
  const benchArgs: string[] = [];
  for (const flag of ['quick', 'tiny', 'cold'] as const)
    if (values[flag] === true) benchArgs.push(`--${flag}`);
  if (values.contention !== undefined) benchArgs.push('--contention', values.contention);
  const options: CompareOptions = {
    benchArgs,
    launches,
    fresh: values.fresh === true,
    help: values.help === true,
  };
  const list = (text: string): string[] =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (values.only !== undefined) options.only = list(values.only);
  if (values.workloads !== undefined) options.workloads = list(values.workloads.toUpperCase());
  if (values.base !== undefined) options.base = values.base;
  if (values['base-dir'] !== undefined) options.baseDir = values['base-dir'];
  return options;
}
