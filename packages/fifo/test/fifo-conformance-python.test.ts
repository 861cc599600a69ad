import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  childEchoPeer,
  describePythonPeerConformance,
  pythonEchoPeerArgs,
  jestRunner,
} from '@ipc/core/testing';
import { createFifo, openFifoChannel } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';

const dirs = fifoDirs();

// The Python peer reads one FIFO and writes the other with multiprocessing.connection.Connection over
// the FIFOs' file descriptors: the same length-prefixed frames. One writer per FIFO: exclusive senders.
describePythonPeerConformance(
  '@ipc/fifo (two FIFOs, Python peer)',
  {
    peer: async (codec) => {
      const dir = dirs.make();
      const toPeer = await createFifo(dir.fifo('to-peer'));
      const fromPeer = await createFifo(dir.fifo('from-peer'));
      const child = spawn(
        'python3',
        pythonEchoPeerArgs(codec, { fifo: { read: toPeer.path, write: fromPeer.path } }),
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const channel = await openFifoChannel(
        { read: fromPeer.path, write: toPeer.path },
        { codec, exclusive: true },
      );
      await once(child.stdout, 'data');
      return childEchoPeer(channel, child, async () => {
        await Promise.all([toPeer.remove(), fromPeer.remove()]);
        dir.remove();
      });
    },
  },
  jestRunner(),
);
