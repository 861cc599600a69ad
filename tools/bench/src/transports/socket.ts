/**
 * @ipc/socket: a server (`listen`) in the driver, a client (`connect`) in the peer, over a Unix socket
 * file in the case's private folder, and over TCP on 127.0.0.1 (an ephemeral port). msgpack for W1/W2,
 * the raw codec for W3 (received with `recvInto` one buffer); `[u32 BE len]` framing (streamChannel
 * underneath). `ipc-socket-unix` keeps the kernel's socket buffers, like `c-unix-socket` and the pipe
 * case; `ipc-socket-unix-1m` (W3 only) sets `socketBufferBytes: 1 MiB`, beside `c-unix-socket-1m`
 * with the same buffers. Whether the bigger buffers pay depends on the machine: on one day's 2-vCPU
 * machine they made W3 8-40 % slower (C: a third slower), on another's 25 % faster (C: 14-21 %), both
 * measured interleaved, so every sitting shows both.
 */
import { join } from 'node:path';
import type { SocketChannel } from '@ipc/socket';
import type { BenchCase, CaseContext, DriverContext, Link } from '../adapter.js';
import { receivingInto } from '../links/receive-into-link.js';
import { W3_SOCKET_BUFFER_BYTES } from '../workloads/counts.js';

type Kind = 'unix' | 'tcp';

/** The options both ends share: the codec, the frame limit and (`bulk`) 1 MiB socket buffers. */
function channelOptions(
  ctx: CaseContext,
  bulk: boolean,
): { codec: 'raw' | 'msgpack'; maxFrameBytes: number; socketBufferBytes?: number } {
  return {
    codec: ctx.payload === 'bytes' ? 'raw' : 'msgpack',
    maxFrameBytes: 8 * 1024 * 1024,
    ...(bulk ? { socketBufferBytes: W3_SOCKET_BUFFER_BYTES } : {}),
  };
}

/** `bulk`: the W3-only variant with `socketBufferBytes: 1 MiB` (Unix sockets). */
function makeCase(kind: Kind, bulk = false): BenchCase {
  return {
    name: bulk ? `ipc-socket-${kind}-1m` : `ipc-socket-${kind}`,
    group: 'ipc',
    description: bulk
      ? 'the same with socketBufferBytes: 1 MiB (SO_SNDBUF/SO_RCVBUF on both ends), beside c-unix-socket-1m'
      : kind === 'unix'
        ? '@ipc/socket server/client over a Unix domain socket file (0600)'
        : '@ipc/socket server/client over TCP on 127.0.0.1 (TCP_NODELAY)',
    workloads: bulk ? ['W3'] : ['W1', 'W2', 'W3'],
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
        const server = await listen(address, channelOptions(ctx, bulk));
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
        const channel = await connect(address, { ...channelOptions(ctx, bulk), timeout: 30_000 });
        return ctx.payload === 'bytes' ? receivingInto(channel as SocketChannel<Uint8Array>) : channel;
      },
    },
  };
}

export const cases: BenchCase[] = [makeCase('unix'), makeCase('unix', true), makeCase('tcp')];
