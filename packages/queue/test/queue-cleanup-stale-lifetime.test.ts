import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { uniqueName } from '@ipc/core/testing';
import { cleanupStale, openQueue } from '@ipc/queue';
import { cleanupStale as cleanupStaleSegments } from '@ipc/shm';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-lifetime-${process.pid}`;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exited(child);
  }
  for (const name of segments(PREFIX)) cleanupStaleSegments({ filter: (n) => n === name });
});

afterAll(() => {
  expect(segments(PREFIX)).toEqual([]);
});

describe('a queue lives as long as its users, not its creator', () => {
  test.each(['@ipc/shm', '@ipc/queue'] as const)(
    'creator A exits cleanly while B uses the queue: both cleanups leave it; once B is killed, %s reclaims it',
    async (reclaimer) => {
      const name = uniqueName(PREFIX);
      const a = fixture('create-then-exit.mjs', [name]);
      children.push(a);
      expect(await lines(a)()).toBe('created');
      const b = fixture('hold-queue.mjs', [name]);
      children.push(b);
      const fromB = lines(b);
      expect(await fromB()).toBe('opened');

      a.stdin!.write('exit\n');
      await exited(a);
      expect(a.exitCode).toBe(0);
      expect(segments(name)).toEqual([name]);

      // B still uses it: neither cleanup may remove it, in either order, however often.
      for (let round = 0; round < 2; round++) {
        expect(cleanupStaleSegments()).not.toContain(name);
        expect(cleanupStale()).not.toContain(name);
      }
      expect(segments(name)).toEqual([name]);
      b.stdin!.write('get\n');
      expect(await fromB()).toBe('"from the creator"');
      const q = openQueue<string>(name);
      await q.put('from the test');
      await q.close(); // B is still a user: this close must not unlink
      b.stdin!.write('get\n');
      expect(await fromB()).toBe('"from the test"');
      expect(cleanupStaleSegments()).not.toContain(name);

      b.kill('SIGKILL');
      await exited(b);
      expect(segments(name)).toEqual([name]); // nobody closed it last: it is stale now
      const removed = reclaimer === '@ipc/shm' ? cleanupStaleSegments() : cleanupStale();
      expect(removed).toContain(name);
      expect(segments(name)).toEqual([]);
      expect(() => openQueue(name)).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    },
    60_000,
  );
});
