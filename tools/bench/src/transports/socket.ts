/**
 * @ipc/socket: a server (`listen`) in the driver, a client (`connect`) in the peer, over a Unix socket
 * file in the case's private folder, and over TCP on 127.0.0.1 (an ephemeral port). msgpack for W1/W2,
 * the raw codec for W3 (received with `recvInto` one buffer); `[u32 BE len]` framing (streamChannel
 * underneath). W3 on the Unix socket sets `socketBufferBytes` to one message (1 MiB) on both ends, as
 * a bulk user would: the kernel's default (~208 KiB) costs each side ~5 reads or writes per message.
 */
import { join } from 'node:path';
import type { SocketChannel } from '@ipc/socket';
import type { BenchCase, CaseContext, DriverContext, Link } from '../adapter.js';
import { receivingInto } from '../links/receive-into-link.js';

type Kind = 'unix' | 'tcp';

/** W3's `socketBufferBytes` on a Unix socket: one message (SPEC.md's 1 MiB). */
const W3_SOCKET_BUFFER_BYTES = 1 << 20;

/** The options both ends share: the codec, the frame limit, and for W3 the kernel buffer size. */
function channelOptions(ctx: CaseContext): {
  codec: 'raw' | 'msgpack';
  maxFrameBytes: number;
  socketBufferBytes: number | undefined;
} {
  const bytes = ctx.payload === 'bytes';
  return {
    codec: bytes ? 'raw' : 'msgpack',
    maxFrameBytes: 8 * 1024 * 1024,
    socketBufferBytes: bytes ? W3_SOCKET_BUFFER_BYTES : undefined,
  };
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
    encoding: (w) =>
      w !== 'W3'
        ? 'msgpack, [u32 BE len]'
        : kind === 'unix'
          ? 'raw bytes, [u32 BE len], recvInto, 1 MiB socket buffers'
          : 'raw bytes, [u32 BE len], recvInto',
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
