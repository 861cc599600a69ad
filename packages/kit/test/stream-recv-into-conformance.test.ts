import { describeRecvIntoConformance, jestRunner, type RecvIntoPair } from '@ipc/core/testing';
import { forkedEchoPeer, unixSocketPair } from './fixtures/socket-pair.js';

// streamChannel over a Unix socket; the peer: a child echoing over an inherited socketpair.
describeRecvIntoConformance(
  'streamChannel over a Unix socket',
  {
    pair: async ({ codec }) => (await unixSocketPair({ codec })) as RecvIntoPair,
    echoPeer: async () => {
      const peer = await forkedEchoPeer('raw');
      return { channel: peer.channel as RecvIntoPair['b'], cleanup: peer.cleanup };
    },
  },
  jestRunner(),
);
