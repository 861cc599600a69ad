import { describe, expect, it, jest } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isIpcError, type Receiver } from '@ipc/core';
import { tempDir } from '@ipc/core/testing';
import { recoverStale, spoolReceiver, sqliteQueue } from '@ipc/file';
import { startFixture } from './fixtures/processes.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isIntact } = require('./fixtures/crash-message.cjs') as { isIntact: (m: unknown) => boolean };

/**
 * Power-cut simulation: a writer process is killed with SIGKILL at a random moment, many times
 * (IPC_FILE_CRASH_ROUNDS per transport, default 60: each round is a process start, ~0.2 s on
 * this machine; 1,000 rounds were run by hand, see the README). Then everything is drained: no
 * message may be partial or undecodable, and every message whose send had resolved must be there.
 * SIGKILL keeps the page cache, so this checks the write protocol (tmp + rename, transactions),
 * not the fsync calls themselves.
 */
const rounds = Number(process.env.IPC_FILE_CRASH_ROUNDS ?? 60);
jest.setTimeout(60_000 + rounds * 1_000);

async function crashRounds(kind: 'spool' | 'sqlite', path: string): Promise<Map<number, number>> {
  const acked = new Map<number, number>(); // round -> highest acknowledged seq
  for (let round = 0; round < rounds; round++) {
    const writer = startFixture('crash-writer', [kind, path, String(round), round % 2 === 0 ? '1' : '0']);
    await writer.waitForLine((l) => l === 'ready');
    await new Promise((r) => setTimeout(r, Math.random() * 25));
    await writer.kill();
    const last = writer.lines.filter((l) => l !== 'ready').map(Number);
    acked.set(round, last.length > 0 ? Math.max(...last) : -1);
  }
  return acked;
}

async function drain(rx: Receiver<unknown>): Promise<{ got: Map<number, Set<number>>; bad: unknown[] }> {
  const got = new Map<number, Set<number>>();
  const bad: unknown[] = [];
  for (;;) {
    let m: { round: number; seq: number };
    try {
      m = (await rx.recv({ timeout: 1500 })) as { round: number; seq: number };
    } catch (err) {
      if (isIpcError(err, 'ERR_TIMEOUT')) break;
      bad.push(err);
      continue;
    }
    if (!isIntact(m)) bad.push(m);
    const seqs = got.get(m.round) ?? new Set<number>();
    if (seqs.has(m.seq)) bad.push({ duplicate: m.seq });
    seqs.add(m.seq);
    got.set(m.round, seqs);
  }
  return { got, bad };
}

function expectAllAcknowledged(acked: Map<number, number>, got: Map<number, Set<number>>): void {
  let missing = 0;
  let total = 0;
  for (const [round, last] of acked) {
    for (let seq = 0; seq <= last; seq++) {
      total++;
      if (!got.get(round)?.has(seq)) missing++;
    }
  }
  expect({ missing, acknowledgedRounds: [...acked.values()].filter((v) => v >= 0).length > 0 }).toEqual({
    missing: 0,
    acknowledgedRounds: true,
  });
  expect(total).toBeGreaterThan(0);
}

describe(`writer killed with SIGKILL at random points, ${rounds} times`, () => {
  it('spool: no partial message delivered, nothing acknowledged lost, no temp file left', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const spool = join(dir.path, 'spool');
      const acked = await crashRounds('spool', spool);
      expect(recoverStale(spool).returned).toBe(0);
      expect(readdirSync(join(spool, 'tmp'))).toEqual([]); // dead writers' half files removed
      const rx = spoolReceiver(spool);
      const { got, bad } = await drain(rx);
      await rx.close();
      expect(bad).toEqual([]);
      expectAllAcknowledged(acked, got);
    } finally {
      dir.remove();
    }
  });

  it('SQLite: no partial message delivered, nothing acknowledged lost', async () => {
    const dir = tempDir('ipc-file-test-');
    try {
      const path = join(dir.path, 'queue.db');
      const acked = await crashRounds('sqlite', path);
      const rx = sqliteQueue(path, { name: 'crash' });
      const { got, bad } = await drain(rx);
      await rx.close();
      expect(bad).toEqual([]);
      expectAllAcknowledged(acked, got);
    } finally {
      dir.remove();
    }
  });
});
