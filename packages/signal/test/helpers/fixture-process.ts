import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running fixture: its stdout lines as they come, and how it ended. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly lines: string[];
  readonly stderr: () => string;
  /** Resolves with the first stdout line (seen so far or later) that matches; rejects if the process ends first. */
  line(match: string | RegExp): Promise<string>;
  /** Resolves once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts `node test/fixtures/<name>` (fixtures import the BUILT @ipc/signal: build first). */
export function startFixture(name: string, args: string[] = [], options: SpawnOptions = {}): FixtureProcess {
  return startProcess(process.execPath, [join(__dirname, '..', 'fixtures', name), ...args], options);
}

/** Starts any command with piped stdout/stderr and line tracking. */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): FixtureProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  const lines: string[] = [];
  const waiters: { match: string | RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const matches = (l: string, m: string | RegExp): boolean => (typeof m === 'string' ? l === m : m.test(l));
  const stdoutDone = new Promise<void>((resolve) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      lines.push(l);
      for (const w of [...waiters]) {
        if (matches(l, w.match)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    });
    rl.on('close', resolve);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      // Let the last stdout lines arrive before reporting the end.
      void stdoutDone.then(() => {
        for (const w of waiters.splice(0)) {
          w.reject(
            new Error(
              `process ended (${code ?? signal}) before a line matching ${String(w.match)}; stdout:\n${lines.join('\n')}\nstderr:\n${err}`,
            ),
          );
        }
        resolve({ code, signal });
      });
    });
  });
  return {
    child,
    pid: child.pid!,
    lines,
    stderr: () => err,
    exited,
    line(match) {
      const seen = lines.find((l) => matches(l, match));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}

/** SIGKILLs every fixture still running (afterEach), so a failing test leaves no process behind. */
export function killFixtures(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
