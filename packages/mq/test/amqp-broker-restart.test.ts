import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it, jest } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { uniqueName } from '@ipc/core/testing';
import * as amqp from '@ipc/mq/amqp';
import { BROKER_URL, describeWithBroker, RABBITMQCTL } from './fixtures/broker.js';

jest.setTimeout(120_000); // stop_app + 5 s down + start_app; the root config ignores the preset's timeout

const run = promisify(execFile);
const rabbitmqctl = (...args: string[]) => run(RABBITMQCTL, ['-q', ...args], { timeout: 60_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reconnect = { initialDelay: 100, maxDelay: 1000 };

/** Drains `queue` (manual ack) until `count` distinct ids arrived; fails on an unflagged duplicate. */
async function drain(queue: amqp.AmqpQueue<{ id: number }>, count: number): Promise<Set<number>> {
  const rx = await queue.receiver({ ack: 'manual', prefetch: 500 });
  const seen = new Set<number>();
  try {
    while (seen.size < count) {
      const d = await rx.recv({ timeout: 15_000 });
      if (seen.has(d.message.id) && !d.redelivered) throw new Error(`duplicate ${d.message.id} not flagged`);
      seen.add(d.message.id);
      await ackUnlessDropped(d);
    }
    await expect(rx.recv({ timeout: 300 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  } finally {
    await rx.close();
  }
  return seen;
}

// One broker outage serves both scenarios, to keep the broker down as briefly as possible.
describeWithBroker('amqp across a broker restart (rabbitmqctl stop_app / start_app)', () => {
  it('keeps 10,000 confirmed messages; a wait publisher delivers all once; a fail-fast one gets errors', async () => {
    const conn = await amqp.connect(BROKER_URL, { reconnect });
    const failFast = await amqp.connect(BROKER_URL, { reconnect, whileDisconnected: 'fail-fast' });
    const base = uniqueName('ipc-mq-restart');
    const stored = await conn.queue<{ id: number }>(`${base}.stored`, { durable: true });
    const waited = await conn.queue<{ id: number }>(`${base}.wait`, { durable: true });
    const fast = await failFast.queue<{ id: number }>(`${base}.fast`, { durable: true });
    const states: string[] = [];
    void (async () => {
      for await (const s of conn.status) states.push(s.state);
    })();
    let stopped = false;
    try {
      // 10,000 persistent messages, every one confirmed by the broker.
      const tx = stored.sender({ persistent: true });
      for (let i = 0; i < 10_000; i += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, k) => tx.send({ id: i + k })));
      }

      stopped = true;
      await rabbitmqctl('stop_app');

      // Both publishers keep sending every 50 ms while the broker is down for 5 s.
      const waitTx = waited.sender();
      const fastTx = fast.sender();
      const waitSends: Promise<void>[] = [];
      const fastOutcomes: Promise<{ id: number; ok: boolean; code?: string }>[] = [];
      for (let id = 0; id < 100; id++) {
        waitSends.push(waitTx.send({ id }));
        fastOutcomes.push(
          fastTx.send({ id }).then(
            () => ({ id, ok: true }),
            (err: unknown) => ({ id, ok: false, code: isIpcError(err) ? err.code : String(err) }),
          ),
        );
        await sleep(50);
      }
      await rabbitmqctl('start_app');
      stopped = false;

      await Promise.all(waitSends); // resolved only once confirmed after the reconnect
      const outcomes = await Promise.all(fastOutcomes);
      const failed = outcomes.filter((o) => !o.ok);
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((o) => o.code))).toEqual(new Set(['ERR_SERVICE_UNAVAILABLE']));

      expect((await drain(stored, 10_000)).size).toBe(10_000);
      expect((await drain(waited, 100)).size).toBe(100);
      await failFast.whenConnected({ timeout: 30_000 }).catch(() => undefined);
      const confirmed = outcomes.filter((o) => o.ok).map((o) => o.id);
      const fastSeen = await drain(fast, confirmed.length);
      for (const id of confirmed) expect(fastSeen.has(id)).toBe(true);
      expect(states).toEqual(expect.arrayContaining(['connected', 'disconnected', 'reconnecting']));
    } finally {
      if (stopped) await rabbitmqctl('start_app'); // never leave the broker down
      await Promise.all([stored.delete(), waited.delete(), fast.delete()]).catch(() => undefined);
      await Promise.all([conn.close(), failFast.close()]);
    }
  });

  it('a receiver kept open across the outage is re-subscribed: it gets what was published after the restart', async () => {
    const conn = await amqp.connect(BROKER_URL, { reconnect });
    const queue = await conn.queue<{ id: number }>(uniqueName('ipc-mq-live'), { durable: true });
    const rx = await queue.receiver({ ack: 'manual', prefetch: 50 });
    const tx = queue.sender({ persistent: true });
    const seen = new Set<number>();
    // Takes deliveries until `count` distinct ids arrived; an id seen twice must be flagged redelivered.
    const take = async (count: number): Promise<void> => {
      while (seen.size < count) {
        const d = await rx.recv({ timeout: 30_000 });
        if (seen.has(d.message.id) && !d.redelivered)
          throw new Error(`duplicate ${d.message.id} not flagged`);
        seen.add(d.message.id);
        await ackUnlessDropped(d);
      }
    };
    const states: string[] = [];
    let stopped = false;
    try {
      void (async () => {
        for await (const s of conn.status) states.push(s.state);
      })();
      // Before the outage: 200 sent, 100 taken (the broker holds up to 50 more unacked for rx).
      await Promise.all(Array.from({ length: 200 }, (_, id) => tx.send({ id })));
      await take(100);

      stopped = true;
      await rabbitmqctl('stop_app');
      await sleep(2000);
      await rabbitmqctl('start_app');
      stopped = false;
      await conn.whenConnected({ timeout: 60_000 });

      // After the restart: 200 more, published only now; the same rx gets them and the other 100.
      await Promise.all(Array.from({ length: 200 }, (_, k) => tx.send({ id: 200 + k })));
      await take(400);
      expect([...seen].sort((a, b) => a - b)).toEqual([...Array(400).keys()]);
      await expect(rx.recv({ timeout: 300 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      expect(states).toEqual(expect.arrayContaining(['disconnected', 'reconnecting', 'connected']));
    } finally {
      if (stopped) await rabbitmqctl('start_app'); // never leave the broker down
      await rx.close();
      await queue.delete().catch(() => undefined);
      await conn.close();
    }
  });
});

/** Acks; a connection that dropped since the delivery (ERR_PEER_GONE) means the broker redelivers it, flagged. */
async function ackUnlessDropped(d: { ack(): Promise<void> }): Promise<void> {
  await d.ack().catch((err: unknown) => {
    if (!isIpcError(err, 'ERR_PEER_GONE')) throw err;
  });
}
