import { afterAll, beforeAll, jest } from '@jest/globals';
import type { CodecOption } from '@ipc/core';
import { describeChannelConformance, uniqueName, jestRunner } from '@ipc/core/testing';
import * as amqp from '@ipc/mq/amqp';
import { BROKER_URL, describeWithBroker } from './fixtures/broker.js';
import { duplex } from './fixtures/duplex.js';

jest.setTimeout(60_000); // the root Jest config (projects) ignores the preset's testTimeout

describeWithBroker('amqp queue sender/receiver', () => {
  let conn: amqp.AmqpConnection;
  beforeAll(async () => {
    conn = await amqp.connect(BROKER_URL);
  });
  afterAll(() => conn.close());

  // Each side is a sender to one queue plus a receiver of the other; end-of-stream markers on, so
  // that closing one side ends the other's iteration as the suite expects.
  const pair = async ({ codec }: { codec?: CodecOption }) => {
    const [ab, ba] = await Promise.all([
      conn.queue(uniqueName('ipc-mq-ab'), { durable: false, codec }),
      conn.queue(uniqueName('ipc-mq-ba'), { durable: false, codec }),
    ]);
    const a = duplex(ab.sender({ endOnClose: true }), await ba.receiver({ endAfter: 1, prefetch: 200 }));
    const b = duplex(ba.sender({ endOnClose: true }), await ab.receiver({ endAfter: 1, prefetch: 200 }));
    return { a, b, cleanup: async () => void (await Promise.all([ab.delete(), ba.delete()])) };
  };

  describeChannelConformance(
    'amqp queue',
    {
      pair,
      // Every send waits for the broker's confirm: 5,000 keeps the suite short.
      messages: 5000,
      bigMessageBytes: 4 * 1024 * 1024,
      // The broker stores what the receiver does not read (its memory, not the sender's, bounds it),
      // and a queue outlives its consumers: sends neither wait for a reader nor fail after it closed.
      backpressure: false,
      sendFailsAfterPeerClose: false,
    },
    jestRunner(),
  );
});
