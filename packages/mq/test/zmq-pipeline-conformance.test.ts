import { jest } from '@jest/globals';
import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { pipelinesOverIpc } from './fixtures/zmq-fixtures.js';

jest.setTimeout(60_000); // the root Jest config (projects) ignores the preset's testTimeout

describeChannelConformance(
  'zmq PUSH/PULL over ipc://',
  {
    pair: ({ codec }) => pipelinesOverIpc(codec),
    // A PUSH socket has no notion of its puller being gone: ZeroMQ keeps its messages (up to the
    // high-water mark) for a reconnect, then makes send wait. So sends do not fail after the peer
    // closed; the closing side's end-of-stream marker does end the other side's iteration.
    sendFailsAfterPeerClose: false,
    // No peer-death test: PULL does not report a pusher's death (ZeroMQ reconnects silently);
    // PAIR covers peer death.
  },
  jestRunner(),
);
