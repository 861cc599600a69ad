/**
 * `@ipc/pipe`: the driver starts the peer itself with `spawnChannel` (a socketpair on the child's fd 3),
 * the peer opens its end with `parentChannel`. msgpack for W1/W2, raw bytes for W3 (received with
 * `recvInto` one buffer); the default length-prefixed framing. `ipc-pipe-pickle`: the same with the
 * pickle codec on W1/W2 (what a Python peer's `send`/`recv` speak; the `python-mp-pipe` rival).
 */
import type { BenchCase, Link } from '../adapter.js';
import { receivingInto } from '../links/receive-into-link.js';

function pipeCase(objects: 'msgpack' | 'pickle'): BenchCase {
  const codecFor = (payload: 'object' | 'bytes'): 'raw' | 'msgpack' | 'pickle' =>
    payload === 'bytes' ? 'raw' : objects;
  return {
    name: objects === 'msgpack' ? 'ipc-pipe' : `ipc-pipe-${objects}`,
    group: 'ipc',
    description: 'spawnChannel / parentChannel: a socketpair on the child’s fd 3, streamChannel framing',
    // The pickle case: the codec a Python peer speaks with send/recv, beside msgpack (W1/W2 only).
    workloads: objects === 'msgpack' ? ['W1', 'W2', 'W3'] : ['W1', 'W2'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len], recvInto' : `${objects}, [u32 BE len]`),
    async available() {
      try {
        const pipe = await import('@ipc/pipe');
        return typeof pipe.spawnChannel === 'function'
          ? undefined
          : '@ipc/pipe has no spawnChannel (not built?)';
      } catch (err) {
        return `@ipc/pipe does not load: ${String(err)}`;
      }
    },
    link: {
      async driver(ctx): Promise<Link> {
        const { spawnChannel } = await import('@ipc/pipe');
        const { child, channel, exited } = spawnChannel(process.execPath, ctx.peerArgv(ctx.info), {
          codec: codecFor(ctx.payload),
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        return {
          send: (m) => channel.send(m),
          recv: () => channel.recv(),
          async close() {
            await channel.close();
            // The peer exits once its side is closed; make sure it is gone either way.
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited.catch(() => undefined);
            clearTimeout(timer);
          },
        };
      },
      async peer(ctx) {
        const { parentChannel } = await import('@ipc/pipe');
        if (ctx.payload === 'bytes') return receivingInto(parentChannel<Uint8Array>({ codec: 'raw' }));
        return parentChannel({ codec: codecFor(ctx.payload) });
      },
    },
  };
}

export const cases: BenchCase[] = [pipeCase('msgpack'), pipeCase('pickle')];
