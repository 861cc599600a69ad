import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { within } from './bounded.js';

/** The built entry point that runs a peer role in a child process. */
export const PEER_MAIN = fileURLToPath(new URL('../peer-main.js', import.meta.url));

/** A child process started by a {@link ChildSet}, with its stdout seen as lines. */
export interface Peer {
  /** The process. */
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Resolves with the first line (seen or to come) that `match` accepts; rejects when the child exits first. */
  line(match: (line: string) => boolean, ms?: number): Promise<string>;
  /** SIGKILLs the child and resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERMs the child (a graceful stop), and SIGKILLs it when it still runs after `ms`. */
  stop(ms?: number): Promise<void>;
  /** Resolves when the child has exited (at once when it already has). */
  readonly exited: Promise<void>;
}

/**
 * Starts child processes and kills every one of them at the end: each scenario gets one, and the
 * suite calls {@link ChildSet.killAll} after it whatever happened.
 */
export class ChildSet {
  private readonly peers = new Map<ChildProcess, Promise<void>>();

  /** Starts `node peer-main.js <role> <json args>`. */
  spawnPeer(role: string, args: Record<string, unknown> = {}, nodeFlags: string[] = []): Peer {
    const child = spawn(process.execPath, [...nodeFlags, PEER_MAIN, role, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return this.track(child);
  }

  /** Tracks a child started elsewhere (such as `spawnChannel`'s), so that it is killed at the end. */
  track(child: ChildProcess): Peer {
    const running = (): boolean => child.exitCode === null && child.signalCode === null;
    // 'close' comes after 'exit' once stdout is drained too: every line the child wrote has been seen.
    const exited = once(child, 'close').then(() => void this.peers.delete(child));
    this.peers.set(child, exited);
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    let rest = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      for (const w of waiters) w();
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 4000) stderr += text;
    });
    const line = (match: (line: string) => boolean, ms = 30_000): Promise<string> => {
      const found = new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const hit = lines.find(match);
          if (hit !== undefined) {
            waiters.delete(check);
            resolve(hit);
          }
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          check();
          waiters.delete(check);
          reject(
            new Error(`peer exited (${child.exitCode ?? child.signalCode}) ${stderr.trim().slice(0, 300)}`),
          );
        });
      });
      return within(found, ms).then((r) => {
        if (r.kind === 'value') return r.value;
        if (r.kind === 'error') throw r.error;
        throw new Error(`no expected line from the peer within ${ms} ms`);
      });
    };
    return {
      child,
      lines,
      line,
      exited,
      kill: async () => {
        if (running()) child.kill('SIGKILL');
        await exited;
      },
      stop: async (ms = 5000) => {
        if (running()) child.kill('SIGTERM');
        if ((await within(exited, ms)).kind === 'hung') child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** How many children still run. */
  get running(): number {
    return this.peers.size;
  }

  /** SIGKILLs every child still running and waits (at most 10 s) for them to exit. */
  async killAll(): Promise<void> {
    const all = [...this.peers].map(async ([child, exited]) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    await within(Promise.all(all), 10_000);
  }
}
