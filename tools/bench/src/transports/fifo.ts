/**
 * `@ipc/fifo`: two FIFOs in the case's folder, one each way (`openFifoChannel`). `ipc-fifo` is the
 * single-writer mode (`exclusive: true`: coalesced writes, any frame size); `ipc-fifo-shared` the
 * default mode, safe with other writers (whole frames ≤ PIPE_BUF per write, one write in flight), which
 * refuses W3's 1 MiB frames by design. W3 is received with `recvInto` one buffer.
 */
import { join } from 'node:path';
import type { FifoChannel } from '@ipc/fifo';
import type { BenchCase, LinkSides } from '../adapter.js';
import { receivingInto } from '../links/receive-into-link.js';

const codecFor = (payload: 'object' | 'bytes'): 'raw' | 'msgpack' =>
  payload === 'bytes' ? 'raw' : 'msgpack';

function fifoSides(exclusive: boolean): LinkSides {
  return {
    async driver(ctx) {
      const { createFifo, openFifoChannel } = await import('@ipc/fifo');
      const toPeer = await createFifo(join(ctx.dir, 'to-peer'));
      const fromPeer = await createFifo(join(ctx.dir, 'from-peer'));
      ctx.spawnPeer({ info: { toPeer: toPeer.path, fromPeer: fromPeer.path } });
      const channel = await openFifoChannel(
        { read: fromPeer.path, write: toPeer.path },
        { codec: codecFor(ctx.payload), exclusive, timeout: 30_000 },
      );
      return {
        send: (m) => channel.send(m),
        recv: () => channel.recv(),
        async close() {
          await channel.close();
          await Promise.all([toPeer.remove(), fromPeer.remove()]);
        },
      };
    },
    async peer(ctx) {
      const { openFifoChannel } = await import('@ipc/fifo');
      const channel = await openFifoChannel(
        { read: ctx.info['toPeer'] as string, write: ctx.info['fromPeer'] as string },
        { codec: codecFor(ctx.payload), exclusive, timeout: 30_000 },
      );
      return ctx.payload === 'bytes' ? receivingInto(channel as FifoChannel<Uint8Array>) : channel;
    },
  };
}

async function available(): Promise<string | undefined> {
  try {
    const fifo = await import('@ipc/fifo');
    return typeof fifo.openFifoChannel === 'function'
      ? undefined
      : '@ipc/fifo has no openFifoChannel (not built?)';
  } catch (err) {
    return `@ipc/fifo does not load: ${String(err)}`;
  }
}

export const cases: BenchCase[] = [
  {
    name: 'ipc-fifo',
    group: 'ipc',
    description: 'two FIFOs (openFifoChannel), single-writer mode: coalesced writes',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len], recvInto' : 'msgpack, [u32 BE len]'),
    available,
    link: fifoSides(true),
  },
  {
    name: 'ipc-fifo-shared',
    group: 'ipc',
    description: 'two FIFOs, default shared-writer mode: whole frames ≤ PIPE_BUF per write',
    workloads: ['W1', 'W2'],
    encoding: () => 'msgpack, [u32 BE len]',
    note: 'safe with concurrent writers; frames over 4096 B refused',
    available,
    link: fifoSides(false),
  },
];
