import { afterAll, expect, jest } from '@jest/globals';
import {
  describeDeliveryConformance,
  holdingConsumerProcess,
  uniqueName,
  jestRunner,
} from '@ipc/core/testing';
import { createQueue, openQueue } from '@ipc/queue';
import { fixture, segments } from './helpers.js';

jest.setTimeout(60_000);

const PREFIX = `ipcq-delivery-${process.pid}`;

afterAll(() => {
  expect(segments(PREFIX)).toEqual([]);
});

// A queue record carries no delivery count: attempt is always 1.
describeDeliveryConformance(
  'shared-memory queue',
  {
    countsAttempts: false,
    queue: async () => {
      const queue = createQueue(uniqueName(PREFIX), { capacityBytes: 1 << 16 });
      return {
        send: (message) => queue.put(message),
        receiver: async () => openQueue(queue.name),
        // ack-consumer.mjs gets one message with ack, prints it as JSON and never acks it.
        spawnHoldingConsumer: () => holdingConsumerProcess(fixture('ack-consumer.mjs', [queue.name])),
        cleanup: () => queue.close(),
      };
    },
  },
  jestRunner(),
);
