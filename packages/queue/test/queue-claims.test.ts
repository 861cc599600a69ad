import { expect, test } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { createQueue, openQueue, type Queue } from '@ipc/queue';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-claims-${process.pid}`;

/** Gets until `count` messages arrived (each within 5 s). */
async function drain(queue: Queue<number>, count: number): Promise<number[]> {
  const got: number[] = [];
  while (got.length < count) got.push(await queue.get({ timeout: 5000 }));
  return got;
}

test('a consumer killed while holding claimed messages: they are delivered to another, exactly once', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    for (let i = 0; i < 100; i++) await queue.put(i);
    const child = fixture('claim-consumer.mjs', [queue.name]);
    const theirs = JSON.parse(await lines(child)()) as number[];
    expect(theirs).toEqual([0, 1, 2, 3, 4]);
    // The child claimed messages ahead: still in the queue (size), but not at the head.
    expect(queue.size).toBe(95);
    const first = queue.tryGet();
    expect(first).toBeGreaterThan(5);
    child.kill('SIGKILL');
    await exited(child);
    const rest = await drain(queue, 94);
    const all = [...theirs, first!, ...rest].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(queue.size).toBe(0);
  } finally {
    await queue.close();
  }
  expect(segments(PREFIX)).toEqual([]);
});

test('claims go back when their handle closes, or stops getting', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    for (const release of ['close', 'idle'] as const) {
      for (let i = 0; i < 40; i++) await queue.put(i);
      const other = openQueue<number>(queue.name);
      try {
        // Gets back to back (no await between them: a loop of gets is what makes a handle claim ahead).
        const theirs = [other.tryGet(), other.tryGet(), other.tryGet()];
        expect(theirs).toEqual([0, 1, 2]);
        const first = queue.tryGet();
        expect(first).toBeGreaterThan(3);
        if (release === 'close') await other.close();
        else await new Promise((r) => setTimeout(r, 100));
        // The claims come back first, in order, then the rest.
        const rest = await drain(queue, 36);
        expect(rest).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i > 2 && i !== first));
        expect(queue.empty).toBe(true);
      } finally {
        await other.close(); // (again, for 'close': a no-op) — also when an expectation failed
      }
    }
  } finally {
    await queue.close();
  }
  expect(segments(PREFIX)).toEqual([]);
});
