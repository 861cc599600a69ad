import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it, jest } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import * as amqp from '@ipc/mq/amqp';
import { BROKER_URL, describeWithBroker } from './fixtures/broker.js';

jest.setTimeout(60_000); // the root Jest config (projects) ignores the preset's testTimeout

describeWithBroker('amqp consumer killed with SIGKILL', () => {
  it('redelivers its unacknowledged messages to another consumer', async () => {
    const conn = await amqp.connect(BROKER_URL);
    const name = uniqueName('ipc-mq-killed');
    const queue = await conn.queue<{ n: number }>(name, { durable: true });
    const child = spawn(
      process.execPath,
      [join(__dirname, 'fixtures/amqp-slow-consumer.mjs'), BROKER_URL, name, '5'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    try {
      const tx = queue.sender();
      for (let n = 0; n < 20; n++) await tx.send({ n });
      // The child holds 5 (prefetch 5, never acked) — then dies in the middle of handling them.
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      expect(line).toBe('holding 5');
      child.kill('SIGKILL');
      await exited;

      const rx = await queue.receiver({ ack: 'manual', prefetch: 50 });
      const got = new Map<number, boolean>();
      while (got.size < 20) {
        const d = await rx.recv({ timeout: 10_000 });
        expect(got.has(d.message.n)).toBe(false);
        got.set(d.message.n, d.redelivered);
        await d.ack();
      }
      // Every message arrived once here; exactly the 5 the dead consumer held are flagged redelivered.
      expect([...got.keys()].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
      expect([...got.values()].filter(Boolean)).toHaveLength(5);
      await expect(rx.recv({ timeout: 200 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      await rx.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await queue.delete().catch(() => undefined);
      await conn.close();
    }
  });

  it('requeues the message whose handler threw (auto ack) and dead-letters a poison one', async () => {
    const conn = await amqp.connect(BROKER_URL);
    const name = uniqueName('ipc-mq-throw');
    const dead = await conn.queue(`${name}.dead`, { durable: false });
    const queue = await conn.queue<string>(name, {
      durable: false,
      deadLetterExchange: '',
      deadLetterRoutingKey: `${name}.dead`,
    });
    try {
      await queue.sender().send('job');
      const first = await queue.receiver();
      await expect(
        (async () => {
          for await (const job of first) throw new Error(`handler failed on ${job}`);
        })(),
      ).rejects.toThrow('handler failed on job');
      await first.close(); // the unacknowledged message goes back
      const second = await queue.receiver({ ack: 'manual' });
      const again = await second.recv({ timeout: 5000 });
      expect(again).toMatchObject({ message: 'job', redelivered: true });
      await again.nack({ requeue: false }); // → dead-letter queue
      const deadRx = await dead.receiver();
      expect(await deadRx.recv({ timeout: 5000 })).toBe('job');
      await Promise.all([second.close(), deadRx.close()]);
    } finally {
      await Promise.all([queue.delete(), dead.delete()]).catch(() => undefined);
      await conn.close();
    }
  });
});
