import { describeRecvIntoConformance, jestRunner } from '@ipc/core/testing';
import { fifoDirs } from './fixtures/fifo-dirs.js';
import { twoFifoPair } from './fixtures/two-fifo-pair.js';

const dirs = fifoDirs();

// Two FIFOs joined into a two-way channel, one writer each (exclusive: frames of any size).
describeRecvIntoConformance(
  '@ipc/fifo (two FIFOs, one each way)',
  {
    pair: ({ codec }) => twoFifoPair(dirs, codec),
  },
  jestRunner(),
);
