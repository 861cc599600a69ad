import { jest } from '@jest/globals';
import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { forkedPairPeer, pairOverIpc } from './fixtures/zmq-fixtures.js';

jest.setTimeout(60_000); // the root Jest config (projects) ignores the preset's testTimeout

describeChannelConformance(
  'zmq PAIR over ipc://',
  {
    pair: ({ codec }) => pairOverIpc(codec),
    peer: () => forkedPairPeer(),
  },
  jestRunner(),
);
