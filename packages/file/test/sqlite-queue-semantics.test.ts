import { describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import { tempDir } from '@ipc/core/testing';
import { sqliteQueue, type SqliteQueue } from '@ipc/file';

jest.setTimeout(60_000);

async function withQueue(
  body: (q: SqliteQueue<unknown>, path: string) => Promise<void>,
  options: Parameters<typeof sqliteQueue>[1] = {},
): Promise<void> {
  const dir = tempDir('ipc-file-test-');
  const path = join(dir.path, 'queue.db');
  const q = sqliteQueue(path, { name: 'jobs', codec: 'json', ...options });
  try {
    await body(q, path);
  } finally {
    await q.close();
    dir.remove();
  }
}

describe('SQLite queue semantics', () => {
  it('delivers higher priorities first, FIFO within one priority', () =>
    withQueue(async (q) => {
      await Promise.all([
        q.send('low-1', { priority: -1 }),
        q.send('mid-1'),
        q.send('high', { priority: 5 }),
        q.send('mid-2'),
        q.send('low-2', { priority: -1 }),
      ]);
      const got = [];
      for (let i = 0; i < 5; i++) got.push(await q.recv({ timeout: 10_000 }));
      expect(got).toEqual(['high', 'mid-1', 'mid-2', 'low-1', 'low-2']);
    }));

  it('holds a delayed message back until its delay is over', () =>
    withQueue(async (q) => {
      await q.send('later', { delay: 400 });
      await q.send('now');
      expect(await q.recv({ timeout: 10_000 })).toBe('now');
      await expect(q.recv({ timeout: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      expect(await q.recv({ timeout: 10_000 })).toBe('later');
    }));

  it('redelivers a nacked message (after its delay) and dead-letters it after maxAttempts', () =>
    withQueue(
      async (q) => {
        await q.send({ job: 'flaky' });
        const first = await q.recvDelivery({ timeout: 10_000 });
        expect(first.attempt).toBe(1);
        await first.nack({ delay: 300 });
        await expect(q.recvDelivery({ timeout: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
        const second = await q.recvDelivery({ timeout: 10_000 });
        expect(second).toMatchObject({ message: { job: 'flaky' }, attempt: 2 });
        await expect(second.ack()).resolves.toBeUndefined();
        await q.send({ job: 'poison' });
        for (let attempt = 1; attempt <= 3; attempt++) {
          const d = await q.recvDelivery({ timeout: 10_000 });
          expect(d.attempt).toBe(attempt);
          await d.nack();
        }
        await expect(q.recv({ timeout: 200 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
        expect(q.deadLetters()).toEqual([
          { id: expect.any(Number), attempts: 3, error: 'nacked 3 times', message: { job: 'poison' } },
        ]);
      },
      { maxAttempts: 3 },
    ));

  it('rejects a second ack, and acks after close, with typed errors', () =>
    withQueue(async (q) => {
      await q.send(1);
      const d = await q.recvDelivery({ timeout: 10_000 });
      await d.ack();
      await expect(d.ack()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
      await q.send(2);
      const e = await q.recvDelivery({ timeout: 10_000 });
      await q.close();
      await expect(e.ack()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      const again = sqliteQueue(q.file, { name: 'jobs', codec: 'json' });
      expect(await again.recv({ timeout: 10_000 })).toBe(2); // given back on close
      await again.close();
    }));

  it('dead-letters an undecodable row with ERR_DECODE and goes on', () =>
    withQueue(async (q, path) => {
      const raw = sqliteQueue(path, { name: 'jobs', codec: 'raw' });
      await raw.send(Buffer.from('{broken'));
      await raw.close();
      await q.send('ok');
      await expect(q.recv({ timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_DECODE' });
      expect(await q.recv({ timeout: 10_000 })).toBe('ok');
      expect(q.deadLetters()).toHaveLength(1);
    }));

  it('refuses bad options and bad sends with ERR_INVALID_ARGUMENT / ERR_ENCODE', () =>
    withQueue(async (q, path) => {
      expect(() => sqliteQueue(path, { visibilityTimeout: 0 })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
      expect(() => sqliteQueue('')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
      await expect(q.send(1, { priority: 1.5 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(q.send(1, { delay: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(q.send(10n)).rejects.toMatchObject({ code: 'ERR_ENCODE' });
    }));
});
