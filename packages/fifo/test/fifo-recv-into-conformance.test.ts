import { describeRecvIntoConformance, jestRunner } from '@ipc/core/testing';
import { createFifo, openFifoChannel } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();

// Two FIFOs joined into a two-way channel, one writer each (exclusive: frames of any size).
describeRecvIntoConformance(
  '@ipc/fifo (two FIFOs, one each way)',
  {
    pair: async ({ codec }) => {
      const dir = dirs.make();
      const ab = await createFifo(dir.fifo('a-to-b'));
      const ba = await createFifo(dir.fifo('b-to-a'));
      const options = { codec, exclusive: true };
      const [a, b] = await Promise.all([
        openFifoChannel({ read: ba.path, write: ab.path }, options),
        openFifoChannel({ read: ab.path, write: ba.path }, options),
      ]);
      return {
        a,
        b,
        cleanup: async () => {
          await Promise.all([ab.remove(), ba.remove()]);
          dir.remove();
        },
      };
    },
  },
  jestRunner(),
);
