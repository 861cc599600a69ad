import { expect, test } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { createQueue } from '@ipc/queue';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-redeliver-${process.pid}`;

test('a consumer SIGKILLed while holding an un-acked message: the message is redelivered to another consumer', async () => {
  const queue = createQueue<{ job: number }>(uniqueName(PREFIX));
  try {
    await queue.put({ job: 1 });
    await queue.put({ job: 2 });
    const child = fixture('ack-consumer.mjs', [queue.name]);
    expect(JSON.parse(await lines(child)())).toEqual({ job: 1 });
    // job 1 is in flight in the child: this process gets job 2, then nothing until the child dies.
    const second = await queue.get({ ack: true });
    expect(second.message).toEqual({ job: 2 });
    expect(second.tryAck()).toBe(true);
    await expect(queue.get({ timeout: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    child.kill('SIGKILL');
    await exited(child);
    const again = await queue.get({ ack: true, timeout: 10_000 });
    expect(again.message).toEqual({ job: 1 });
    expect(again.tryAck()).toBe(true);
    expect(queue.empty).toBe(true);
  } finally {
    await queue.close();
  }
  expect(segments(PREFIX)).toEqual([]);
});

test('a plain get is at-most-once: a consumer killed after get returned does not get its message redelivered', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    await queue.put(1);
    expect(await queue.get()).toBe(1);
    await expect(queue.get({ timeout: 150 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  } finally {
    await queue.close();
  }
});

test('an un-acked delivery comes back after its visibility timeout; a late ack then fails, nack redelivers at once', async () => {
  const queue = createQueue<string>(uniqueName(PREFIX));
  try {
    await queue.put('m');
    const first = await queue.get({ ack: true, visibilityTimeout: 30 });
    const second = await queue.get({ ack: true, timeout: 5000 });
    expect(second.message).toBe('m');
    expect(first.tryAck()).toBe(false);
    await second.nack();
    const third = await queue.get({ ack: true, timeout: 1000 });
    expect(third.message).toBe('m');
    expect(second.tryAck()).toBe(false);
    await expect(second.ack()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    expect(third.tryAck()).toBe(true);
    expect(third.tryAck()).toBe(false);
    await expect(queue.get({ timeout: 0 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  } finally {
    await queue.close();
  }
});
