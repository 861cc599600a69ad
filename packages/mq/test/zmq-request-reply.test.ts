import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

it('answers requests, reports a throwing handler as ERR_REMOTE, survives a timed-out request', async () => {
  const dir = tempDir('ipc-mq-');
  const endpoint = `ipc://${join(dir.path, 'rep.sock')}`;
  let slow = true;
  const server = await zmq.reply<number, number>(endpoint, async (n) => {
    if (n < 0) throw new Error('negative');
    if (n === 99 && slow) {
      slow = false;
      await new Promise((r) => setTimeout(r, 300));
    }
    // Answering 21 late too makes the dropped reply to 99 arrive alone: the requester's socket wakes
    // for it, discards it (ZMQ_REQ_CORRELATE) and must keep waiting for the reply to 21.
    if (n === 21) await new Promise((r) => setTimeout(r, 200));
    return n * 2;
  });
  const client = await zmq.request<number, number>(endpoint, { timeout: 5000 });
  try {
    expect(await Promise.all([client.request(1), client.request(2), client.request(3)])).toEqual([2, 4, 6]);
    await expect(client.request(-1)).rejects.toMatchObject({ code: 'ERR_REMOTE', message: 'negative' });
    await expect(client.request(99, { timeout: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    // The late reply to 99 is dropped; the socket goes on with the next request.
    expect(await client.request(21)).toBe(42);
    const controller = new AbortController();
    controller.abort();
    await expect(client.request(1, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    });
  } finally {
    await Promise.all([client.close(), server.close()]);
    dir.remove();
  }
});

it('routes DEALER messages through a ROUTER and back to the right peer', async () => {
  const dir = tempDir('ipc-mq-');
  const endpoint = `ipc://${join(dir.path, 'router.sock')}`;
  const router = await zmq.router<string>(endpoint);
  const d1 = await zmq.dealer<string>(endpoint);
  const d2 = await zmq.dealer<string>(endpoint);
  try {
    await d1.send('one');
    await d2.send('two');
    for (let i = 0; i < 2; i++) {
      const { peer, message } = await router.recv({ timeout: 5000 });
      await router.send({ peer, message: `re:${message}` });
    }
    expect(await d1.recv({ timeout: 5000 })).toBe('re:one');
    expect(await d2.recv({ timeout: 5000 })).toBe('re:two');
    await expect(router.send({ message: 'x' } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  } finally {
    await Promise.all([router.close(), d1.close(), d2.close()]);
    dir.remove();
  }
});
