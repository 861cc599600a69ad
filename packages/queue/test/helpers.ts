import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Runs a fixture (`test/fixtures/<file>`) with `args`; stdin piped, stdout piped, stderr inherited. */
export function fixture(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [join(__dirname, 'fixtures', file), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Resolves with the next stdout line of `child` (rejects if it exits first). */
export function lines(child: ChildProcess): () => Promise<string> {
  const rl = createInterface({ input: child.stdout! });
  const queued: string[] = [];
  const waiting: { resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(l);
    else queued.push(l);
  });
  child.once('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`child exited (${String(code ?? signal)})`));
  });
  return () => {
    const l = queued.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.reject(new Error('child exited'));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

/** Resolves once `child` exited (at once if it already did). */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/** The /dev/shm names that start with `prefix`. */
export function segments(prefix: string): string[] {
  return readdirSync('/dev/shm').filter((n) => n.startsWith(prefix));
}
