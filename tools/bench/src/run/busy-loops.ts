import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** CPU hogs started beside a case (`--contention N`): a loaded machine, as a server running workers is. */
export interface BusyLoops {
  /** How many loops run. */
  readonly count: number;
  /** Kills every loop and waits for it to exit. */
  stop(): Promise<void>;
}

/** The program of one loop: says it runs, then spins on one core until killed. */
const LOOP = "process.stdout.write('spinning\\n'); for (;;) {}";

/**
 * Starts `count` pure CPU loops (`node -e 'for (;;) {}'`, as ../shared/bench/SPEC.md's busy loops) and
 * resolves once each of them is running. They are killed by {@link BusyLoops.stop}, and when this
 * process exits.
 */
export async function startBusyLoops(count: number): Promise<BusyLoops> {
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, ['-e', LOOP], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(child);
      const [first] = (await Promise.race([
        once(child.stdout, 'data'),
        once(child, 'exit').then(([code, signal]) => {
          throw new Error(`busy loop ${i + 1} exited (${signal ?? `code ${code}`}) before it ran`);
        }),
      ])) as [Buffer];
      if (!first.toString().startsWith('spinning')) throw new Error(`busy loop ${i + 1} did not start`);
      child.stdout.resume();
    }
  } catch (err) {
    killAll();
    process.removeListener('exit', killAll);
    throw err;
  }
  return {
    count,
    async stop() {
      const exits = children
        .filter((c) => c.exitCode === null && c.signalCode === null)
        .map((c) => once(c, 'exit'));
      killAll();
      await Promise.all(exits);
      process.removeListener('exit', killAll);
    },
  };
}
