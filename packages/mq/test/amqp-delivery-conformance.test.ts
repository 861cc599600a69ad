import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import {
  describeDeliveryConformance,
  holdingConsumerProcess,
  uniqueName,
  jestRunner,
} from '@ipc/core/testing';
import * as amqp from '@ipc/mq/amqp';
import { BROKER_URL, describeWithBroker } from './fixtures/broker.js';

jest.setTimeout(60_000); // the root Jest config (projects) ignores the preset's testTimeout

type QueueType = 'classic' | 'quorum';

function fixture(type: QueueType): Parameters<typeof describeDeliveryConformance>[1] {
  return {
    // A classic queue only flags a redelivery (attempt 2); a quorum queue counts (x-delivery-count).
    countsAttempts: type === 'quorum',
    // AMQP 0-9-1 has no delayed requeue without plugins: nack({ delay }) says ERR_UNSUPPORTED.
    nackDelay: false,
    queue: async () => {
      const conn = await amqp.connect(BROKER_URL);
      const name = uniqueName(`ipc-mq-delivery-${type}`);
      const queue = await conn.queue<unknown>(
        name,
        type === 'quorum' ? { durable: true, arguments: { 'x-queue-type': 'quorum' } } : { durable: false },
      );
      const tx = queue.sender();
      return {
        send: (message) => tx.send(message),
        receiver: () => queue.receiver({ ack: 'manual', prefetch: 10 }),
        spawnHoldingConsumer: () =>
          holdingConsumerProcess(
            spawn(
              process.execPath,
              [join(__dirname, 'fixtures', 'amqp-hold-delivery.mjs'), BROKER_URL, name, type],
              { stdio: ['ignore', 'pipe', 'inherit'] },
            ),
          ),
        cleanup: async () => {
          await tx.close();
          await queue.delete().catch(() => undefined);
          await conn.close();
        },
      };
    },
  };
}

describeWithBroker('amqp delivery', () => {
  describeDeliveryConformance('AMQP classic queue', fixture('classic'), jestRunner());
  describeDeliveryConformance('AMQP quorum queue', fixture('quorum'), jestRunner());
});
