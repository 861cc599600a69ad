import { afterAll, expect } from '@jest/globals';
import type { CodecOption } from '@ipc/core';
import { childEchoPeer, describeChannelConformance, uniqueName, jestRunner } from '@ipc/core/testing';
import { createQueue, openQueue, queueChannel } from '@ipc/queue';
import { fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-conf-${process.pid}`;
/** Room for the suite's 16 MiB message. */
const CAPACITY = 32 * 1024 * 1024;

function pair(codec: CodecOption | undefined) {
  const ab = uniqueName(PREFIX);
  const ba = uniqueName(PREFIX);
  const options = { capacityBytes: CAPACITY, codec };
  const a = queueChannel(createQueue(ab, options), createQueue(ba, options));
  // The other end opens the same two queues by name, the other way round.
  const b = queueChannel(openQueue(ba, { codec }), openQueue(ab, { codec }));
  return { a, b };
}

describeChannelConformance(
  '@ipc/queue (a queue each way)',
  {
    pair: async ({ codec }) => {
      const { a, b } = pair(codec);
      return { a, b };
    },
    peer: async () => {
      const toPeer = uniqueName(PREFIX);
      const fromPeer = uniqueName(PREFIX);
      const channel = queueChannel(createQueue(toPeer), createQueue(fromPeer));
      const child = fixture('echo-peer.mjs', [fromPeer, toPeer]);
      await lines(child)();
      return childEchoPeer(channel, child);
    },
  },
  jestRunner(),
);

afterAll(() => {
  expect(segments(PREFIX)).toEqual([]);
});
