import { jest } from '@jest/globals';
import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { sqlitePair } from './fixtures/pairs.js';

jest.setTimeout(60_000);

// A SQLite queue stores messages in the database: a sender never waits for the receiver (the
// file is the buffer; the sender's memory stays flat), and a send after the other side closed
// still succeeds, because the queue outlives any one consumer. No forked echo peer: a receiver
// cannot tell a dead writer from a slow one (rows wait for it); sqlite-crash-recovery.test.ts
// covers other processes.
describeChannelConformance(
  'SQLite queue (fsync off: synchronous=NORMAL)',
  {
    pair: ({ codec }) => sqlitePair(codec, { fsync: false }),
    messages: 20_000,
    backpressure: false,
    sendFailsAfterPeerClose: false,
  },
  jestRunner(),
);

describeChannelConformance(
  'SQLite queue (fsync on: synchronous=FULL)',
  {
    pair: ({ codec }) => sqlitePair(codec, { fsync: true }),
    messages: 2_000,
    bigMessageBytes: 4 * 1024 * 1024,
    backpressure: false,
    sendFailsAfterPeerClose: false,
  },
  jestRunner(),
);
