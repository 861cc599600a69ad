import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import * as zmq from '@ipc/mq/zmq';

it('gives two subscribers on different topics exactly their messages', async () => {
  const dir = tempDir('ipc-mq-');
  const endpoint = `ipc://${join(dir.path, 'pub.sock')}`;
  const pub = await zmq.publisher<number>(endpoint);
  const weather = await zmq.subscriber<number>(endpoint, { topics: ['weather.'] });
  const prices = await zmq.subscriber<number>(endpoint, { topics: ['prices.'] });
  try {
    // ZeroMQ's slow joiner: wait until both subscriptions reached the publisher.
    await pub.whenSubscribed('weather.x', { timeout: 5000 });
    await pub.whenSubscribed('prices.x', { timeout: 5000 });
    for (let i = 0; i < 300; i++) {
      const topic = ['weather.paris', 'prices.eur', 'sports.f1'][i % 3] as string;
      await pub.publish(topic, i);
    }
    await pub.publish('weather.end', -1);
    await pub.publish('prices.end', -1);
    const collect = async (rx: typeof weather): Promise<zmq.TopicMessage<number>[]> => {
      const got: zmq.TopicMessage<number>[] = [];
      for (;;) {
        const m = await rx.recv({ timeout: 5000 });
        if (m.message === -1) return got;
        got.push(m);
      }
    };
    const [w, p] = await Promise.all([collect(weather), collect(prices)]);
    expect(w.map((m) => m.message)).toEqual([...Array(100).keys()].map((k) => k * 3));
    expect(new Set(w.map((m) => m.topic))).toEqual(new Set(['weather.paris']));
    expect(p.map((m) => m.message)).toEqual([...Array(100).keys()].map((k) => k * 3 + 1));
    expect(new Set(p.map((m) => m.topic))).toEqual(new Set(['prices.eur']));
  } finally {
    await Promise.all([pub.close(), weather.close(), prices.close()]);
    dir.remove();
  }
});
