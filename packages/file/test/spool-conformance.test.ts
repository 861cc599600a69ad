import { jest } from '@jest/globals';
import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { spoolPair } from './fixtures/pairs.js';

jest.setTimeout(60_000);

// A spool stores messages on disk: by default a sender never waits for the receiver (its memory
// stays flat; the disk is the buffer), and a send after the other side closed still succeeds,
// because the folder outlives any one consumer (the message waits for the next one). The
// bounded variant (`maxQueued`) makes the sender wait, and passes the backpressure test.
// No forked echo peer: a spool's receiver cannot tell a dead writer from a slow one (the files
// wait for it); the cross-process tests in spool-crash-recovery.test.ts cover other processes.
describeChannelConformance(
  'spool folder (fsync off)',
  {
    pair: ({ codec }) => spoolPair(codec, { fsync: false }),
    messages: 20_000,
    backpressure: false,
    sendFailsAfterPeerClose: false,
  },
  jestRunner(),
);

describeChannelConformance(
  'spool folder (fsync on)',
  {
    pair: ({ codec }) => spoolPair(codec, { fsync: true }),
    messages: 500,
    bigMessageBytes: 4 * 1024 * 1024,
    backpressure: false,
    sendFailsAfterPeerClose: false,
  },
  jestRunner(),
);

describeChannelConformance(
  'spool folder bounded (maxQueued 8)',
  {
    pair: ({ codec }) => spoolPair(codec, { fsync: false, maxQueued: 8, pollInterval: 100 }),
    messages: 5_000,
    sendFailsAfterPeerClose: false,
  },
  jestRunner(),
);
