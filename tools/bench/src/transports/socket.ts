/**
 * @ipc/socket: a server (`listen`) in the driver, a client (`connect`) in the peer, over a Unix socket
 * file in the case's private folder, and over TCP on 127.0.0.1 (an ephemeral port). msgpack for W1/W2,
 * the raw codec for W3 (received with `recvInto` one buffer); `[u32 BE len]` framing (streamChannel
 * underneath). W3 keeps the kernel's socket buffers (no `socketBufferBytes`), like the C ceiling and
 * the pipe case: 1 MiB buffers cut the reads and writes per message from ~5 to ~2 but made the Unix
 * socket slower here (by 8-40 % in Node, and the C ceiling itself lost a third with them, measured
 * interleaved) — most likely because the more bytes are in flight, the fewer of them are still in the
 * CPU cache when the receiver copies them out.
 */
import { join } from 'node:path';
import type { SocketChannel } from '@ipc/socket';
import type { BenchCase, CaseContext, DriverContext, Link } from '../adapter.js';
import { receivingInto } from '../links/receive-into-link.js';

type Kind = 'unix' | 'tcp';

/** The options both ends share: the codec and the frame limit. */
function channelOptions(ctx: CaseContext): { codec: 'raw' | 'msgpack'; maxFrameBytes: number } {
  return { codec: ctx.payload === 'bytes' ? 'raw' : 'msgpack', maxFrameBytes: 8 * 1024 * 1024 };
}

function makeCase(kind: Kind): BenchCase {
  return {
    name: `ipc-socket-${kind}`,
    group: 'ipc',
    description:
      kind === 'unix'
        ? '@ipc/socket server/client over a Unix domain socket file (0600)'
        : '@ipc/socket server/client over TCP on 127.0.0.1 (TCP_NODELAY)',
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'raw bytes, [u32 BE len], recvInto' : 'msgpack, [u32 BE len]'),
    async available() {
      try {
        const mod = await import('@ipc/socket');
        return typeof mod.listen === 'function' ? undefined : '@ipc/socket does not export listen';
      } catch (err) {
        return `@ipc/socket is not built (${(err as Error).message.split('\n')[0]})`;
      }
    },
    link: {
      async driver(ctx: DriverContext): Promise<Link> {
        const { listen } = await import('@ipc/socket');
        const address = kind === 'unix' ? `unix://${join(ctx.dir, 's.sock')}` : 'tcp://127.0.0.1:0';
        const server = await listen(address, channelOptions(ctx));
        const accepted = server.accept({ timeout: 60_000 });
        const a = server.address;
        ctx.spawnPeer({
          info: a.kind === 'unix' ? { path: a.path } : { port: (a as { port: number }).port },
        });
        const channel = await accepted;
        return {
          send: (message) => channel.send(message),
          recv: () => channel.recv(),
          close: async () => {
            await channel.close();
            await server.close();
          },
        };
      },
      async peer(ctx: CaseContext): Promise<Link> {
        const { connect } = await import('@ipc/socket');
        const address =
          kind === 'unix'
            ? { kind: 'unix' as const, path: ctx.info['path'] as string }
            : { kind: 'tcp' as const, host: '127.0.0.1', port: ctx.info['port'] as number };
        const channel = await connect(address, { ...channelOptions(ctx), timeout: 30_000 });
        return ctx.payload === 'bytes' ? receivingInto(channel as SocketChannel<Uint8Array>) : channel;
      },
    },
  };
}

export const cases: BenchCase[] = [makeCase('unix'), makeCase('tcp')];
