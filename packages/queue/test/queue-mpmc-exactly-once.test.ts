import { expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { uniqueName } from '@ipc/core/testing';
import { createQueue } from '@ipc/queue';
import { SharedMemory } from '@ipc/shm';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-mpmc-${process.pid}`;
const PRODUCERS = 4;
const CONSUMERS = 4;
/** Messages per producer (the issue asks 250,000; QUEUE_MPMC_MESSAGES overrides). */
const PER_PRODUCER = Number(process.env['QUEUE_MPMC_MESSAGES'] ?? 250_000);

test(`${PRODUCERS} producers × ${CONSUMERS} consumers × ${PER_PRODUCER} messages: exactly once, per-producer order kept`, async () => {
  const name = uniqueName(PREFIX);
  const queue = createQueue<{ p: number; s: number } | { stop: true }>(name, { capacityBytes: 1 << 20 });
  const tally = SharedMemory.create(uniqueName(PREFIX), PRODUCERS * PER_PRODUCER);
  const children: ChildProcess[] = [];
  try {
    const consumers = Array.from({ length: CONSUMERS }, () =>
      fixture('mpmc-consumer.mjs', [name, tally.name, String(PRODUCERS), String(PER_PRODUCER)]),
    );
    const producers = Array.from({ length: PRODUCERS }, (_, i) =>
      fixture('mpmc-producer.mjs', [name, String(i), String(PER_PRODUCER)]),
    );
    children.push(...consumers, ...producers);
    const results = consumers.map((c) => lines(c)());
    const done = producers.map((p) => lines(p)());
    for (const d of done) expect(await d).toBe('done');
    await Promise.all(producers.map(exited));
    for (let i = 0; i < CONSUMERS; i++) await queue.put({ stop: true });
    const reports = (await Promise.all(results)).map(
      (l) => JSON.parse(l) as { got: number; disorder: number },
    );
    await Promise.all(consumers.map(exited));

    expect(reports.map((r) => r.disorder)).toEqual(new Array(CONSUMERS).fill(0));
    expect(reports.reduce((sum, r) => sum + r.got, 0)).toBe(PRODUCERS * PER_PRODUCER);
    // Every (producer, seq) exactly once.
    const counts = new Uint8Array(tally.buffer);
    let wrong = 0;
    for (const c of counts) if (c !== 1) wrong++;
    expect(wrong).toBe(0);
    // Fairness: under contention every consumer got a share.
    for (const r of reports) expect(r.got).toBeGreaterThan(0);
    expect(queue.size).toBe(0);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await queue.close();
    tally.close();
  }
  expect(segments(PREFIX)).toEqual([]);
}, 120_000); // 1M messages through 9 processes on a 2-CPU machine: a limit for hangs, not a speed check
