import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { expect, it } from '@jest/globals';
import * as amqp from '@ipc/mq/amqp';
import { BROKER_URL, describeWithBroker } from './fixtures/broker.js';

/** A TCP relay to the broker that can be cut (the broker itself is never stopped). */
async function relay(): Promise<{ url: string; cut: () => Promise<void> }> {
  const broker = new URL(BROKER_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = netConnect(Number(broker.port || 5672), broker.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(BROKER_URL);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed; // nothing listens on the port any more: every attempt is refused
    },
  };
}

describeWithBroker('amqp reconnect policy (the one of @ipc/kit)', () => {
  it.each([
    ['maxAttempts', { maxAttempts: 2 }],
    ['maxRetries (its former name)', { maxRetries: 2 }],
  ])('gives up after %s attempts and closes with ERR_SERVICE_UNAVAILABLE', async (_name, limit) => {
    const { url, cut } = await relay();
    const conn = await amqp.connect(url, { reconnect: { initialDelay: 10, maxDelay: 20, ...limit } });
    const states: amqp.AmqpStatus[] = [];
    const watched = (async () => {
      for await (const s of conn.status) states.push(s);
    })();
    try {
      await conn.whenConnected({ timeout: 10_000 });
      await cut();
      await watched; // the feed ends after `closed`
      const attempts = states.filter((s) => s.state === 'reconnecting').map((s) => s.attempt);
      expect(attempts).toEqual([1, 2]);
      const gaveUp = states.find((s) => /gave up/.test(s.error?.message ?? ''));
      expect(gaveUp?.error).toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE' });
      expect(gaveUp?.error?.message).toMatch(/after 2 attempts/);
      expect(states.at(-1)?.state).toBe('closed');
      for (const s of states.filter((x) => x.state === 'reconnecting')) {
        expect(s.delay).toBeGreaterThanOrEqual(5); // initialDelay 10, jitter 0.5 off at most
        expect(s.delay).toBeLessThanOrEqual(20);
      }
    } finally {
      await conn.close();
    }
  });
});

it.each([
  [{ jitter: 2 }, /jitter/],
  [{ initialDelay: 500, maxDelay: 100 }, /maxDelay/],
  [{ maxAttempts: 3, maxRetries: 4 }, /maxAttempts and maxRetries/],
])('amqp.connect refuses reconnect %j with ERR_INVALID_ARGUMENT before dialling', async (reconnect, why) => {
  // Port 9 (discard) on a closed address: had it dialled, this would be ERR_SERVICE_UNAVAILABLE.
  await expect(amqp.connect('amqp://127.0.0.1:9', { reconnect, connectTimeout: 1000 })).rejects.toMatchObject(
    {
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(why),
    },
  );
});
