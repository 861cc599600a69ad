import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/** A child process of the harness whose unexpected exit fails the run, with its stderr's last lines. */
export class TrackedChildren {
  private readonly children = new Set<ChildProcess>();
  private expectExit = false;
  private rejectFailure!: (err: Error) => void;
  /** Rejects when a tracked child exits before {@link TrackedChildren.finishing} was called, or fails. */
  readonly failure: Promise<never>;

  constructor() {
    this.failure = new Promise<never>((_, reject) => (this.rejectFailure = reject));
    this.failure.catch(() => undefined);
  }

  /** Spawns `node args…` with fd 2 piped (kept for error messages) and tracks it. */
  spawnNode(
    label: string,
    args: string[],
    stdio: StdioOptions,
    serialization?: 'json' | 'advanced',
    /** A clean exit (code 0) is not a failure (W4 roles exit once they reported). */
    mayExit = false,
  ): ChildProcess {
    const child = spawn(process.execPath, args, { stdio, serialization: serialization ?? 'json' });
    this.children.add(child);
    let tail = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      tail = (tail + s).slice(-2000);
    });
    let channelError: Error | undefined;
    let errorReport: NodeJS.Timeout | undefined;
    child.on('error', (err) => {
      // A write to a child that is dying (EPIPE on its IPC channel) is a symptom: its exit, with the
      // reason on its stderr, usually follows at once and says more. Report the error only if it does not.
      channelError ??= err;
      errorReport ??= setTimeout(() => this.rejectFailure(new Error(`${label}: ${err.message}`)), 1000);
      errorReport.unref();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(errorReport);
      this.children.delete(child);
      if ((this.expectExit || mayExit) && code === 0) return;
      const last = lastLine(tail);
      // Give stderr a moment to arrive before reporting.
      setTimeout(() => {
        const why = lastLine(tail) || last || channelError?.message || 'no error output';
        this.rejectFailure(
          new Error(`${label} exited (${signal ?? `code ${code}`}) before the run finished: ${why}`),
        );
      }, 50);
    });
    return child;
  }

  /** Children may exit from now on. */
  finishing(): void {
    this.expectExit = true;
  }

  /** Waits up to `graceMs` for every child to exit, then kills the rest. */
  async reap(graceMs = 3000): Promise<void> {
    this.expectExit = true;
    const deadline = Date.now() + graceMs;
    while (this.children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.children) c.kill('SIGKILL');
  }
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '));
  return lines.at(-1) ?? '';
}
