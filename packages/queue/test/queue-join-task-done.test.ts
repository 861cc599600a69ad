import { expect, test } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { createQueue } from '@ipc/queue';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-join-${process.pid}`;

test('join() resolves once every put message was got and taskDone()d', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    await queue.join({ timeout: 1000 });
    for (let i = 0; i < 3; i++) await queue.put(i);
    let joined = false;
    const joining = queue.join().then(() => (joined = true));
    for (let i = 0; i < 3; i++) {
      expect(await queue.get()).toBe(i);
      await new Promise((r) => setTimeout(r, 20));
      expect(joined).toBe(false);
      queue.taskDone();
    }
    await joining;
    expect(joined).toBe(true);
    expect(() => queue.taskDone()).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    await expect(queue.join({ timeout: 0 })).resolves.toBeUndefined();
  } finally {
    await queue.close();
  }
});

test('join() waits for messages a producer put before exiting early, and never for a producer that is gone', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    const producer = fixture('early-producer.mjs', [queue.name, '5']);
    expect(await lines(producer)()).toBe('put');
    await exited(producer);
    const joining = queue.join({ timeout: 10_000 });
    for (let i = 0; i < 5; i++) {
      expect(await queue.get()).toBe(i);
      queue.taskDone();
    }
    await joining;
  } finally {
    await queue.close();
  }
});

test('join() forgives the tasks of a consumer that died before taskDone()', async () => {
  const queue = createQueue<{ job: number }>(uniqueName(PREFIX));
  try {
    await queue.put({ job: 7 });
    const consumer = fixture('ack-consumer.mjs', [queue.name]);
    expect(JSON.parse(await lines(consumer)())).toEqual({ job: 7 });
    const joining = queue.join({ timeout: 10_000 });
    consumer.kill('SIGKILL');
    await exited(consumer);
    // The message was in flight (ack) in the dead consumer: it comes back, and join waits for it.
    const again = await queue.get({ ack: true, timeout: 10_000 });
    expect(again.message).toEqual({ job: 7 });
    await again.ack();
    queue.taskDone();
    await joining;
  } finally {
    await queue.close();
  }
  expect(segments(PREFIX)).toEqual([]);
});
