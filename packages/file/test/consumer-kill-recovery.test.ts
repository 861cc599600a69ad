import { describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@ipc/core/testing';
import { recoverStale, spoolReceiver, spoolSender, sqliteQueue } from '@ipc/file';
import { startFixture } from './fixtures/processes.js';

jest.setTimeout(60_000);

describe('a consumer killed with SIGKILL between claim and ack', () => {
  it('spool: the claimed file goes back to new/ on recovery and is delivered again', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      const tx = spoolSender(spool, { codec: 'json' });
      await tx.send({ job: 1 });
      await tx.close();
      const consumer = startFixture('crash-consumer', ['spool', spool]);
      expect(JSON.parse(await consumer.waitForLine((l) => l.startsWith('{')))).toEqual({
        claimed: { job: 1 },
      });
      expect(readdirSync(join(spool, 'new'))).toEqual([]);
      const [owner] = readdirSync(join(spool, 'cur'));
      expect(owner).toMatch(new RegExp(`^${consumer.child.pid}-\\d+-1$`));
      expect(readdirSync(join(spool, 'cur', owner!))).toHaveLength(1);
      expect(recoverStale(spool)).toEqual({ returned: 0, removedTemp: 0 }); // alive: left alone
      await consumer.kill();
      expect(recoverStale(spool)).toEqual({ returned: 1, removedTemp: 0 });
      expect(readdirSync(join(spool, 'cur'))).toEqual([]);
      const rx = spoolReceiver(spool, { codec: 'json' });
      expect(await rx.recv({ timeout: 10_000 })).toEqual({ job: 1 });
      await rx.close();
      expect(readdirSync(join(spool, 'new'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('spool: a receiver recovers on open by itself', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      const tx = spoolSender(spool, { codec: 'json', fsync: false });
      await tx.send({ job: 2 });
      await tx.close();
      const consumer = startFixture('crash-consumer', ['spool', spool]);
      await consumer.waitForLine((l) => l.startsWith('{'));
      await consumer.kill();
      const rx = spoolReceiver(spool, { codec: 'json' });
      expect(await rx.recv({ timeout: 10_000 })).toEqual({ job: 2 });
      await rx.close();
    } finally {
      dir.remove();
    }
  });

  it('spool: a reused pid with another start time counts as dead; a live process does not', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      recoverStale(spool); // creates the folders
      const parentStart = readFileSync(`/proc/${process.ppid}/stat`, 'latin1').split(') ')[1]!.split(' ')[19];
      const reused = join(spool, 'cur', `${process.ppid}-1-1`); // the parent's pid, a wrong start time
      const live = join(spool, 'cur', `${process.ppid}-${parentStart}-1`);
      for (const folder of [reused, live]) {
        mkdirSync(folder);
        writeFileSync(join(folder, `m-${folder === live ? 'live' : 'reused'}`), '"x"');
      }
      expect(recoverStale(spool).returned).toBe(1);
      expect(readdirSync(join(spool, 'new'))).toEqual(['m-reused']);
      expect(existsSync(reused)).toBe(false);
      expect(readdirSync(live)).toEqual(['m-live']);
    } finally {
      dir.remove();
    }
  });

  it('SQLite: recoverStale makes the row visible again at once; attempt counts 2', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const path = join(dir.path, 'queue.db');
      const q = sqliteQueue(path, { name: 'jobs', codec: 'json' });
      await q.send({ job: 3 });
      const consumer = startFixture('crash-consumer', ['sqlite', path, '600000']);
      expect(JSON.parse(await consumer.waitForLine((l) => l.startsWith('{')))).toEqual({
        claimed: { job: 3 },
      });
      expect(q.recoverStale()).toBe(0); // alive: left alone
      await consumer.kill();
      const d = await q.recvDelivery({ timeout: 10_000 }); // the receiver recovers when it starts
      expect(d.message).toEqual({ job: 3 });
      expect(d.attempt).toBe(2);
      await d.ack();
      await q.close();
    } finally {
      dir.remove();
    }
  });

  it('SQLite: without recovery, the visibility timeout makes it visible again', async () => {
    const dir = tempDir('ipc-file-test-');
    const path = join(dir.path, 'queue.db');
    // prefetch 1: holding one unacked delivery, `first` claims nothing more.
    const first = sqliteQueue(path, { name: 'jobs', codec: 'json', visibilityTimeout: 300, prefetch: 1 });
    const second = sqliteQueue(path, { name: 'jobs', codec: 'json' });
    try {
      await first.send({ job: 4 });
      const claimed = await first.recvDelivery({ timeout: 10_000 });
      expect(claimed.attempt).toBe(1);
      // `first` is alive, so only the timeout can hand the row to `second`.
      const again = await second.recvDelivery({ timeout: 10_000 });
      expect(again.message).toEqual({ job: 4 });
      expect(again.attempt).toBe(2);
      await expect(claimed.ack()).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      await again.ack();
    } finally {
      await Promise.all([first.close(), second.close()]);
      dir.remove();
    }
  });
});

describe.each(['spool', 'sqlite'] as const)('%s: two consumer processes share one queue', (kind) => {
  it('each message is received by exactly one of them', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const path = join(dir.path, kind === 'spool' ? 'spool' : 'queue.db');
      const tx =
        kind === 'spool'
          ? spoolSender(path, { fsync: false })
          : sqliteQueue(path, { name: 'jobs', fsync: false });
      const consumers = [
        startFixture('drain-consumer', [kind, path]),
        startFixture('drain-consumer', [kind, path]),
      ];
      await Promise.all(consumers.map((c) => c.waitForLine((l) => l === 'ready')));
      const n = 3000;
      for (let id = 0; id < n; id++) await tx.send({ id });
      for (const _ of consumers) await tx.send({ stop: true });
      const results = await Promise.all(consumers.map((c) => c.waitForLine((l) => l.startsWith('['))));
      await tx.close();
      await Promise.all(consumers.map((c) => c.kill()));
      const all = results.flatMap((r) => JSON.parse(r) as number[]).sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    } finally {
      dir.remove();
    }
  });
});
