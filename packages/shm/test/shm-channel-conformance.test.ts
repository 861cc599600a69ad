import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, expect } from '@jest/globals';
import { childEchoPeer, describeChannelConformance, uniqueName, jestRunner } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

describeChannelConformance(
  'ShmChannel (1 MiB rings)',
  {
    pair: ({ codec }) => {
      const a = ShmChannel.create(uniqueName(), { codec, capacity: 1 << 20 });
      const b = ShmChannel.open(a.segment.name, { codec });
      return Promise.resolve({ a, b });
    },
    peer: async () => {
      const channel = ShmChannel.create(uniqueName(), { capacity: 1 << 16 });
      const child = spawn(process.execPath, [join(FIXTURES, 'echo-peer.mjs'), channel.segment.name], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      expect(chunk.toString()).toBe('ready\n');
      return childEchoPeer(channel, child);
    },
  },
  jestRunner(),
);

afterAll(() => expect(leftovers()).toEqual([]));
