import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeRecvIntoConformance, jestRunner, type RecvIntoPair } from '@ipc/core/testing';
import { forkChannel } from '@ipc/pipe';
import { relayPair } from './fixtures/pipe-pair.js';

// The pair: spawnChannel's end and a second inherited socket joined by a relaying child.
// The echo peer: a child speaking through parentChannel (forkChannel, raw codec); it must exit 0.
describeRecvIntoConformance(
  '@ipc/pipe (spawnChannel through a relaying child; forkChannel echo child)',
  {
    pair: async ({ codec }) => (await relayPair(codec)) as RecvIntoPair,
    echoPeer: () => {
      const { channel, exited } = forkChannel<Uint8Array>(join(__dirname, 'fixtures', 'echo-child.mjs'), [], {
        codec: 'raw',
        env: { ...process.env, IPC_CODEC: 'raw' },
      });
      return Promise.resolve({
        channel: channel,
        cleanup: async () => assert.deepEqual(await exited, { code: 0, signal: null }),
      });
    },
  },
  jestRunner(),
);
