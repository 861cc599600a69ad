import { afterAll, expect } from '@jest/globals';
import { describeRecvIntoConformance, jestRunner, uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { leftovers } from './helpers.js';

// 4 KiB rings: records of at most 1,024 bytes, so most of the suite's messages travel in pieces.
describeRecvIntoConformance(
  'ShmChannel (4 KiB rings)',
  {
    pair: ({ codec }) => {
      const a = ShmChannel.create<Uint8Array>(uniqueName(), { codec, capacity: 4096 });
      const b = ShmChannel.open<Uint8Array>(a.segment.name, { codec });
      return Promise.resolve({ a, b });
    },
    needsRawCodec: false, // ShmChannel.recvInto hands over any codec's bytes as sent (like recvView)
  },
  jestRunner(),
);

afterAll(() => expect(leftovers()).toEqual([]));
