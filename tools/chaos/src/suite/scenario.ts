import type { ChildSet } from './child-set.js';
import type { Tally } from './tally.js';

/** How hard a pass pushes: the quick pass (CI) or the full pass. */
export interface PassOptions {
  /** True for the bounded CI pass (fewer trials, smaller floods). */
  readonly quick: boolean;
}

/** What a scenario gets to run with. */
export interface ScenarioContext extends PassOptions {
  /** A private (0700) folder for this scenario's files, inside the run's own folder. */
  readonly dir: string;
  /** Starts and tracks child processes; every one is SIGKILLed at the end of the scenario. */
  readonly children: ChildSet;
  /** Fires when the scenario ran out of time: stop starting trials and return. */
  readonly signal: AbortSignal;
  /** The run's own folder (every scenario's `dir` is inside it). */
  readonly root: string;
  /** Names in the temp folder that were already there when the run began (other runs': not ours to judge). */
  readonly otherRuns: readonly string[];
  /** How many child processes of earlier scenarios still run (all are killed after each scenario). */
  liveChildren(): number;
  /** Makes (or returns) the row of `name` in the report table. */
  row(name: string): Tally;
}

/** One scenario of the suite: a group of rows in the report table. */
export interface Scenario {
  /** A short kebab-case name (`--only` selects by it). */
  readonly name: string;
  /** What it does, for `--list` and the README. */
  readonly description: string;
  /** The most time it may take, in ms, before it is reported as hung. */
  timeoutMs(options: PassOptions): number;
  /** Runs the trials, adding their outcomes to rows. */
  run(ctx: ScenarioContext): Promise<void>;
}
