import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { childEchoPeer, describeChannelConformance, jestRunner } from '@ipc/core/testing';
import { createFifo, openFifoChannel } from '@ipc/fifo';
import { fifoDirs } from './fixtures/fifo-dirs.js';
import { twoFifoPair } from './fixtures/two-fifo-pair.js';

const dirs = fifoDirs();

// A FIFO is one-way: the fixture joins two of them into a two-way channel (openFifoChannel). Each FIFO
// has exactly one writer here, so the senders are `exclusive` (frames of any size: the 16 MiB test).
describeChannelConformance(
  '@ipc/fifo (two FIFOs, one each way)',
  {
    pair: ({ codec }) => twoFifoPair(dirs, codec),
    tellsPeerDeath: true, // the peer's sender announces itself (open and close markers)
    peer: async () => {
      const dir = dirs.make();
      const toPeer = await createFifo(dir.fifo('to-peer'));
      const fromPeer = await createFifo(dir.fifo('from-peer'));
      const child = spawn(
        process.execPath,
        [join(__dirname, 'fixtures', 'fifo-echo-peer.mjs'), toPeer.path, fromPeer.path],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const channel = await openFifoChannel({ read: fromPeer.path, write: toPeer.path }, { exclusive: true });
      await once(child.stdout, 'data');
      return childEchoPeer(channel, child, async () => {
        await Promise.all([toPeer.remove(), fromPeer.remove()]);
        dir.remove();
      });
    },
  },
  jestRunner(),
);

// The default (shared) senders: safe with other writers, so frames are at most PIPE_BUF bytes. The
// suite's big message is then the biggest frame allowed; its backpressure check (1 MiB messages) is
// replaced by the one in fifo-writers-atomic.test.ts, which uses messages the shared mode accepts.
describeChannelConformance(
  '@ipc/fifo (two FIFOs, shared-writer mode)',
  {
    pair: async ({ codec }) => {
      const dir = dirs.make();
      const ab = await createFifo(dir.fifo('a-to-b'));
      const ba = await createFifo(dir.fifo('b-to-a'));
      const [a, b] = await Promise.all([
        openFifoChannel({ read: ba.path, write: ab.path }, { codec }),
        openFifoChannel({ read: ab.path, write: ba.path }, { codec }),
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
    bigMessageBytes: 4096 - 4,
    backpressure: false,
  },
  jestRunner(),
);
