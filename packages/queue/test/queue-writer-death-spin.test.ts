import { expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { uniqueName } from '@ipc/core/testing';
import { createQueue } from '@ipc/queue';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-wdeath-${process.pid}`;
/** Kill rounds: most of them land while the producer copies a 4 MiB message into the ring. */
const ROUNDS = 20;

/** `next()` resolves with the next line, or rejects after `ms`. */
async function lineWithin(next: () => Promise<string>, ms: number, what: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

test(`a spinning consumer gets past a record its producer died writing (${ROUNDS} kills mid-put), never spinning on it`, async () => {
  const name = uniqueName(PREFIX);
  const queue = createQueue<Uint8Array>(name, { capacityBytes: 16 << 20, codec: 'raw' });
  // The consumer runs in its own process: one that spins for ever would block this test's timers.
  const consumer = fixture('probe-consumer.mjs', [name]);
  const consumed = lines(consumer);
  let producer: ChildProcess | undefined;
  try {
    expect(await lineWithin(consumed, 30_000, 'consumer start')).toBe('ready');
    for (let round = 0; round < ROUNDS; round++) {
      producer = fixture('big-producer.mjs', [name]);
      expect(await lineWithin(lines(producer), 30_000, 'producer start')).toBe('ready');
      producer.stdin!.write('go\n');
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 6));
      producer.kill('SIGKILL');
      await exited(producer);
      // The consumer must go on: a probe put now reaches it within 5 s (it waits out a dead
      // producer's half-written record by the liveness watch, in 100 ms).
      await queue.put(Uint8Array.of(round), { timeout: 5000 });
      let line = await lineWithin(consumed, 5000, `round ${round}: the consumer is wedged`);
      while (line !== `probe ${round}`) line = await lineWithin(consumed, 5000, `round ${round}`);
    }
  } finally {
    producer?.kill('SIGKILL');
    consumer.kill('SIGKILL');
    if (producer) await exited(producer);
    await exited(consumer);
    await queue.close();
  }
  expect(segments(PREFIX)).toEqual([]);
}, 120_000);
