import { describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tempDir } from '@ipc/core/testing';
import { spoolSender } from '@ipc/file';

/** A fixture child with stdin for "go" lines and its stdout lines in order. */
interface Child {
  child: ChildProcess;
  next(): Promise<string>;
}

function start(fixture: string, args: string[]): Child {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', fixture), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  return {
    child,
    next: () =>
      lines.length > 0
        ? Promise.resolve(lines.shift() as string)
        : new Promise((resolve) => waiters.push(resolve)),
  };
}

/** `promise`, or a rejection saying `what()` after `ms` (a hang, as the benchmark saw it). */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hang: ${what()} after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The files under `dir`, as relative paths (for the failure message). */
function files(dir: string): string {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().join(', ');
  } catch (err) {
    return String(err);
  }
}

const ROUNDS = 8;
const PASSES = 2;
const MESSAGES = 200;

describe('a spool with two producer and two consumer processes (the benchmark W4 case)', () => {
  it(`ends every pass for both consumers, in each producer's order, ${ROUNDS} rounds of ${PASSES} passes, fsync on and off`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDir('ipc-file-w4-');
      const spool = join(dir.path, 'spool');
      const fsync = round % 2 === 1;
      const children: Child[] = [];
      try {
        // Each consumer opens its next receiver before it is told to go on (as the benchmark's
        // does): a receiver not yet asked for a message must not take the other one's stop message.
        const consumers = [0, 1].map(() => start('spool-w4-consumer.mjs', [spool, String(PASSES)]));
        children.push(...consumers);
        for (const c of consumers)
          expect(await within(c.next(), 30_000, () => 'consumer start')).toBe('ready');
        for (let pass = 0; pass < PASSES; pass++) {
          for (const c of consumers) c.child.stdin!.write('go\n');
          const producers = [0, 1].map((i) =>
            start('spool-w4-producer.mjs', [spool, String(i), '2', String(MESSAGES), fsync ? '1' : '0']),
          );
          children.push(...producers);
          for (const p of producers) expect(await within(p.next(), 60_000, () => 'producer')).toBe('done');
          const stops = spoolSender(spool, { fsync });
          await stops.send({ stop: true });
          await stops.send({ stop: true });
          await stops.close();
          const where = `round ${round} pass ${pass} (fsync ${String(fsync)})`;
          const reports = await within(
            Promise.all(consumers.map((c) => c.next())),
            20_000,
            () => `${where}: a consumer never got its stop message; spool: ${files(spool)}`,
          );
          const parsed = reports.map(
            (r) => JSON.parse(r) as { count: number; idSum: number; outOfOrder: number[] },
          );
          // One producer's messages arrive in its send order, at each consumer (ids that came after a
          // later id of their producer are listed).
          expect({ where, outOfOrder: parsed.map((r) => r.outOfOrder) }).toEqual({
            where,
            outOfOrder: [[], []],
          });
          expect(parsed.reduce((a, r) => a + r.count, 0)).toBe(MESSAGES);
          expect(parsed.reduce((a, r) => a + r.idSum, 0)).toBe((MESSAGES * (MESSAGES - 1)) / 2);
        }
        for (const c of consumers) {
          if (c.child.exitCode === null) await within(once(c.child, 'exit'), 10_000, () => 'consumer exit');
          expect(c.child.exitCode).toBe(0);
        }
        // Every message was delivered once and acked; every consumer folder is gone.
        expect(readdirSync(join(spool, 'new'))).toEqual([]);
        expect(readdirSync(join(spool, 'cur'))).toEqual([]);
      } finally {
        for (const c of children) {
          if (c.child.exitCode === null && c.child.signalCode === null) {
            c.child.kill('SIGKILL');
            await once(c.child, 'exit');
          }
        }
        dir.remove();
      }
    }
  }, 600_000);
});
