import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { sendSignal } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';

afterEach(killFixtures);

describe('doorbell: a signal wakes a reader for data left in a file', () => {
  it('300 records rung in 300 times arrive whole, however many rings were merged', async () => {
    const dir = tempDir('signal-doorbell-');
    try {
      const file = join(dir.path, 'spool.txt');
      writeFileSync(file, '', { mode: 0o600 });
      const reader = startFixture('doorbell-consumer.mjs', [file]);
      await reader.line('ready');
      let expected = 0;
      for (let i = 1; i <= 300; i++) {
        // Write first, then ring. A half-written line waits for the next ring; here we split one on purpose.
        if (i === 150) {
          appendFileSync(file, '15');
          sendSignal(reader.pid, 'SIGUSR2');
          appendFileSync(file, '0\n');
        } else appendFileSync(file, `${i}\n`);
        expected += i;
        sendSignal(reader.pid, 'SIGUSR2');
      }
      appendFileSync(file, 'END\n');
      sendSignal(reader.pid, 'SIGUSR2');
      expect(await reader.exited).toEqual({ code: 0, signal: null });
      const result = JSON.parse(reader.lines[1]!) as { records: number; sum: number; wakeups: number };
      expect(result.records).toBe(300);
      expect(result.sum).toBe(expected);
      // Everything was written after the reader's first look: only rings can have made it read the data.
      expect(result.wakeups).toBeGreaterThanOrEqual(1);
      expect(result.wakeups).toBeLessThanOrEqual(302);
    } finally {
      dir.remove();
    }
  });

  it('data written before the reader subscribed is found by its first look (no lost wake-up)', async () => {
    const dir = tempDir('signal-doorbell-');
    try {
      const file = join(dir.path, 'spool.txt');
      writeFileSync(file, '1\n2\nEND\n', { mode: 0o600 });
      const reader = startFixture('doorbell-consumer.mjs', [file]);
      expect(await reader.exited).toEqual({ code: 0, signal: null });
      expect(JSON.parse(reader.lines[1]!)).toEqual({ records: 2, sum: 3, wakeups: 0 });
    } finally {
      dir.remove();
    }
  });
});
