import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { describeDeliveryConformance, holdingConsumerProcess, tempDir, jestRunner } from '@ipc/core/testing';
import { spoolReceiver, spoolSender, sqliteQueue } from '@ipc/file';

jest.setTimeout(60_000);

function holdOne(kind: 'spool' | 'sqlite', path: string): ReturnType<typeof holdingConsumerProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'hold-delivery.mjs'), kind, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return holdingConsumerProcess(child);
}

// A file carries no delivery count: a spool delivery's attempt is always 1.
describeDeliveryConformance(
  'spool folder',
  {
    countsAttempts: false,
    queue: async () => {
      const dir = tempDir('ipc-file-delivery-');
      const spool = join(dir.path, 'spool');
      const tx = spoolSender(spool, { codec: 'json', fsync: false });
      return {
        send: (message) => tx.send(message),
        receiver: async () => spoolReceiver(spool, { codec: 'json' }),
        spawnHoldingConsumer: () => holdOne('spool', spool),
        cleanup: async () => {
          await tx.close();
          dir.remove();
        },
      };
    },
  },
  jestRunner(),
);

describeDeliveryConformance(
  'SQLite queue',
  {
    queue: async () => {
      const dir = tempDir('ipc-file-delivery-');
      const path = join(dir.path, 'queue.db');
      const tx = sqliteQueue(path, { name: 'jobs', codec: 'json', fsync: false });
      return {
        send: (message) => tx.send(message),
        receiver: async () => sqliteQueue(path, { name: 'jobs', codec: 'json', fsync: false }),
        spawnHoldingConsumer: () => holdOne('sqlite', path),
        cleanup: async () => {
          await tx.close();
          dir.remove();
        },
      };
    },
  },
  jestRunner(),
);
